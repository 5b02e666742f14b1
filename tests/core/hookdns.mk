# Build rules for tests/core (included from the top-level Makefile.am).
# Hooks and DNS (core/hook.c, core/dns.c).

# DNS files, without root.
check_PROGRAMS += tests/core/test-dns
TESTS += tests/core/test-dns
tests_core_test_dns_SOURCES = tests/core/test-dns.c
tests_core_test_dns_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_core_test_dns_LDADD = libnhcore.la $(CHECK_LIBS)
