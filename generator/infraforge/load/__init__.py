"""Stage 1: read catalog and overlay files into positioned, untyped documents."""
