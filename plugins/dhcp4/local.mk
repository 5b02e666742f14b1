# Build rules for plugins/dhcp4 (included from the top-level Makefile.am).
