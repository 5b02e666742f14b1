# Build rules for units (included from the top-level Makefile.am).
