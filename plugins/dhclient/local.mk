# Build rules for plugins/dhclient (included from the top-level Makefile.am).
