# Build rules for core (included from the top-level Makefile.am).
