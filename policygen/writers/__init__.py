"""Writers: a Document to the bytes of one output format, without file I/O."""
