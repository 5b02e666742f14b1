# Build rules for tests/dhcp6 (included from the top-level Makefile.am).
