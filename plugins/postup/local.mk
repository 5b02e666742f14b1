# Build rules for plugins/postup (included from the top-level Makefile.am).
