# Build rules for tests/e2e (included from the top-level Makefile.am).
