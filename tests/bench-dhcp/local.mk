# Build rules for tests/bench-dhcp (included from the top-level Makefile.am).
#
# The DHCP benchmark is not part of "make check" (it times clients, and
# tests make no timing assertions).  Run it as root from the build tree:
#     sudo tests/bench-dhcp/bench-dhcp.sh [-n RUNS] [-s v4,v6,v6fresh]
noinst_PROGRAMS += tests/bench-dhcp/bench-dhcp-measure
tests_bench_dhcp_bench_dhcp_measure_SOURCES = tests/bench-dhcp/bench-dhcp-measure.c
EXTRA_DIST += tests/bench-dhcp/bench-dhcp.sh
