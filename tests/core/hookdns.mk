# Build rules for tests/core (included from the top-level Makefile.am).
# Hooks and DNS (core/hook.c, core/dns.c).

# DNS files, without root.
check_PROGRAMS += tests/core/test-dns
TESTS += tests/core/test-dns
tests_core_test_dns_SOURCES = tests/core/test-dns.c
tests_core_test_dns_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_core_test_dns_LDADD = libnhcore.la $(CHECK_LIBS)

# Hooks, as root: hook-run.sh drives nh_hook_run() through hook-driver.
check_PROGRAMS += tests/core/hook-driver
tests_core_hook_driver_SOURCES = tests/core/hook-driver.c
tests_core_hook_driver_LDADD = libnhcore.la
TESTS += tests/core/hook-run.sh
dist_check_SCRIPTS += tests/core/hook-run.sh

# Measurement only (README): cost of a DNS update.
check_PROGRAMS += tests/core/dns-bench
tests_core_dns_bench_SOURCES = tests/core/dns-bench.c
tests_core_dns_bench_LDADD = libnhcore.la

# What root runs and reads must be root's alone (core/trust.c), as root.
TESTS += tests/core/path-trust.sh
dist_check_SCRIPTS += tests/core/path-trust.sh
