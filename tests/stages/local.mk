# Build rules for tests/stages (included from the top-level Makefile.am).
