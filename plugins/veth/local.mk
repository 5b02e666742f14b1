# Build rules for plugins/veth (included from the top-level Makefile.am).
