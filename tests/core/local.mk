# Build rules for tests/core (included from the top-level Makefile.am).
# Unit tests of the configuration module, the name rules, the file writers;
# no root needed.
check_PROGRAMS += tests/core/test-conf tests/core/test-names tests/core/test-util
TESTS += tests/core/test-conf tests/core/test-names tests/core/test-util

tests_core_test_conf_SOURCES = tests/core/test-conf.c
tests_core_test_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_core_test_conf_LDADD = libnhcore.la $(CHECK_LIBS)

tests_core_test_names_SOURCES = tests/core/test-names.c
tests_core_test_names_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_core_test_names_LDADD = libnhcore.la $(CHECK_LIBS)

tests_core_test_util_SOURCES = tests/core/test-util.c
tests_core_test_util_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_core_test_util_LDADD = libnhcore.la $(CHECK_LIBS)

tests_core_test_conf_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_CONFDIR=\"$(abs_top_srcdir)/tests/core/conf\"

# Sample configuration files the tests read.
EXTRA_DIST += \
	tests/core/conf/netns-helper.yaml \
	tests/core/conf/ns/web.yaml \
	tests/core/conf/ns/torrents-macvlan.conf \
	tests/core/conf/ns/typos.yaml

# Not a test: "tests/core/bench-conf [N]" prints the cost of one load+check.
check_PROGRAMS += tests/core/bench-conf
tests_core_bench_conf_SOURCES = tests/core/bench-conf.c
tests_core_bench_conf_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_CONFDIR=\"$(abs_top_srcdir)/tests/core/conf\"
tests_core_bench_conf_LDADD = libnhcore.la
