# Build rules for tests/dhclient (included from the top-level Makefile.am).

# The handler's parser of dhclient's environment, fed hostile values.
check_PROGRAMS += tests/dhclient/test-dhclient-lease
TESTS += tests/dhclient/test-dhclient-lease
tests_dhclient_test_dhclient_lease_SOURCES = tests/dhclient/test-dhclient-lease.c \
	plugins/dhclient/lease.c plugins/dhclient/lease.h
tests_dhclient_test_dhclient_lease_CPPFLAGS = -I$(top_srcdir)/plugins/dhclient -I$(top_builddir) $(NH_SDK_INCLUDES)
tests_dhclient_test_dhclient_lease_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_dhclient_test_dhclient_lease_LDADD = $(NH_SDK_LIBS) $(CHECK_LIBS)

# Integration tests as root: dnsmasq in a namespace of its own.
DHCLIENT_TESTS = tests/dhclient/dhclient4.sh tests/dhclient/dhclient6.sh
# The native stages' integration tests again, with NH_DHCP4_IMPL=dhclient4
# and NH_DHCP6_IMPL=dhclient6 (skipped while those tests are absent).
DHCLIENT_TESTS += tests/dhclient/dhcp4-dnsmasq.sh tests/dhclient/dhcp4-dhcpd.sh tests/dhclient/dhcp4-no-server.sh \
	tests/dhclient/dhcp4-hostile.sh \
	tests/dhclient/dhcp6-dnsmasq.sh tests/dhclient/dhcp6-isc-dhcpd.sh
dist_check_SCRIPTS += $(DHCLIENT_TESTS)
TESTS += $(DHCLIENT_TESTS)
EXTRA_DIST += tests/dhclient/common.sh tests/dhclient/wrap.sh

# libFuzzer harness for the parser: ./configure --enable-fuzzing CC=clang.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/dhclient/fuzz-dhclient-lease
tests_dhclient_fuzz_dhclient_lease_SOURCES = tests/dhclient/fuzz-dhclient-lease.c plugins/dhclient/lease.c
tests_dhclient_fuzz_dhclient_lease_CPPFLAGS = -I$(top_srcdir)/plugins/dhclient -I$(top_builddir) $(NH_SDK_INCLUDES)
tests_dhclient_fuzz_dhclient_lease_CFLAGS = $(AM_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
tests_dhclient_fuzz_dhclient_lease_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_dhclient_fuzz_dhclient_lease_LDADD = $(NH_SDK_LIBS)
endif
EXTRA_DIST += tests/dhclient/fuzz-dhclient-lease.c \
	tests/dhclient/fuzz-seeds/bound4 tests/dhclient/fuzz-seeds/bound6
