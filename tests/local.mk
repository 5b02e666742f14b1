# Build rules for tests (included from the top-level Makefile.am).
