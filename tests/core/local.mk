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

# The core knows the stage that makes the namespace by its descriptor's
# NH_PLUGIN_OWNS_NETNS, not by its name: two recorders (tests/engine)
# under names no real stage has.
check_LTLIBRARIES += tests/core/nsowner.la tests/core/inner.la
tests_core_nsowner_la_SOURCES = tests/engine/recorder.c
tests_core_nsowner_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"nsowner"' -DREC_STAGE='"nsowner"' -DREC_ORDER=100 \
	-DREC_FLAGS=NH_PLUGIN_OWNS_NETNS
tests_core_nsowner_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_core_nsowner_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_core_inner_la_SOURCES = tests/engine/recorder.c
tests_core_inner_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"inner"' -DREC_STAGE='"inner"' -DREC_ORDER=200 \
	-DREC_FLAGS=NH_PLUGIN_NEEDS_NETNS
tests_core_inner_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_core_inner_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
TESTS += tests/core/netns-owner.sh
dist_check_SCRIPTS += tests/core/netns-owner.sh
