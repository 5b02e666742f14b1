# Build rules for plugins/netns (included from the top-level Makefile.am).
