# Build rules for man (included from the top-level Makefile.am).
