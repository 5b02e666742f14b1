# Build rules for plugins/dhcp6 (included from the top-level Makefile.am).
