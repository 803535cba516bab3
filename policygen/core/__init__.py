"""The pipeline from profile and clause files to a format-neutral Document."""
