# Build rules for plugins/macvlan (included from the top-level Makefile.am).
