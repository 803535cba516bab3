"""Document to WordprocessingML: body, zip package, comments, contents and logo, reference."""
