# Build rules for tests/bench-dhcp (included from the top-level Makefile.am).
