# Build rules for tests/dhclient (included from the top-level Makefile.am).
