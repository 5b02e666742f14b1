# Build rules for tests/core (included from the top-level Makefile.am).
