# Build rules for tests/dhcp4 (included from the top-level Makefile.am).
