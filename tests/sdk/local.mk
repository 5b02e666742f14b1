# Build rules for tests/sdk (included from the top-level Makefile.am).
