# Build rules for tests/dhcp6 (included from the top-level Makefile.am).
check_PROGRAMS += tests/dhcp6/test-dhcp6
TESTS += tests/dhcp6/test-dhcp6
tests_dhcp6_test_dhcp6_SOURCES = tests/dhcp6/test-dhcp6.c tests/dhcp6/pcap.c tests/dhcp6/pcap.h \
	$(DHCP6_LOGIC_SOURCES)
tests_dhcp6_test_dhcp6_CPPFLAGS = -I$(top_srcdir)/plugins/dhcp6 $(NH_SDK_INCLUDES) -DDHCP6_FIXTURES=\"$(abs_top_srcdir)/tests/dhcp6/fixtures\"
tests_dhcp6_test_dhcp6_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_dhcp6_test_dhcp6_LDADD = $(NH_SDK_LIBS) $(CHECK_LIBS)

DHCP6_FIXTURES = \
	tests/dhcp6/fixtures/dhcpv6-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/dhcpv6-ra-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/dhcpv6-rapidcommit-dhcpcd.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-ra-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-rapidcommit-dhcpcd.pcap
EXTRA_DIST += $(DHCP6_FIXTURES) tests/dhcp6/fixtures/README.md

# Root integration tests against dnsmasq and ISC dhcpd -6 in a peer
# namespace.  NH_DHCP6_IMPL picks the plugin implementing the dhcp6 stage
# (default: dhcp6), so the same tests run against another implementation.
DHCP6_TESTS = \
	tests/dhcp6/dnsmasq.sh \
	tests/dhcp6/isc-dhcpd.sh \
	tests/dhcp6/native.sh \
	tests/dhcp6/hostile.sh \
	tests/dhcp6/optimistic-dad.sh \
	tests/dhcp6/logs.sh \
	tests/dhcp6/flood.sh \
	tests/dhcp6/restart-outage.sh \
	tests/dhcp6/infinite-lease.sh
TESTS += $(DHCP6_TESTS)
dist_check_SCRIPTS += $(DHCP6_TESTS)
EXTRA_DIST += tests/dhcp6/common.sh tests/dhcp6/notify-listen.py \
	tests/dhcp6/notify-time.py tests/dhcp6/bench-dhcp6.sh tests/dhcp6/fake-server.py \
	tests/dhcp6/flood.py

# libFuzzer harness: only with ./configure --enable-fuzzing CC=clang.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/dhcp6/fuzz-dhcp6
tests_dhcp6_fuzz_dhcp6_SOURCES = tests/dhcp6/fuzz-dhcp6.c $(DHCP6_LOGIC_SOURCES)
tests_dhcp6_fuzz_dhcp6_CPPFLAGS = -I$(top_srcdir)/plugins/dhcp6 $(NH_SDK_INCLUDES)
tests_dhcp6_fuzz_dhcp6_CFLAGS = $(AM_CFLAGS) -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
tests_dhcp6_fuzz_dhcp6_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_dhcp6_fuzz_dhcp6_LDADD = $(NH_SDK_LIBS)
endif
# The seeds replayed through the harness without libFuzzer, in make check:
# they must run clean and reach CONFIRM, renewal and rebinding failures,
# expiry, a restart and RELEASE (tests/dhcp6/fuzz-replay.c).
check_PROGRAMS += tests/dhcp6/fuzz-replay
TESTS += tests/dhcp6/fuzz-replay
tests_dhcp6_fuzz_replay_SOURCES = tests/dhcp6/fuzz-replay.c $(DHCP6_LOGIC_SOURCES)
tests_dhcp6_fuzz_replay_CPPFLAGS = -I$(top_srcdir)/plugins/dhcp6 -I$(top_srcdir)/tests/dhcp6 $(NH_SDK_INCLUDES) \
	-DDHCP6_FUZZ_SEEDS=\"$(abs_top_srcdir)/tests/dhcp6/fuzz-seeds\"
tests_dhcp6_fuzz_replay_LDADD = $(NH_SDK_LIBS)
EXTRA_DIST += tests/dhcp6/fuzz-script-seeds.py
DHCP6_FUZZ_SEEDS = \
	tests/dhcp6/fuzz-seeds/script-confirm \
	tests/dhcp6/fuzz-seeds/script-renew-rebind-fail \
	tests/dhcp6/fuzz-seeds/script-restart-release \
	tests/dhcp6/fuzz-seeds/script-tiny-lease \
	tests/dhcp6/fuzz-seeds/crafted-reply-dns-domains \
	tests/dhcp6/fuzz-seeds/regress-nlmsg-aligned-past-end \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-1-type2 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-2-type3 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-3-type7 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-badcsum-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-badcsum-1-type2 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-badcsum-2-type3 \
	tests/dhcp6/fuzz-seeds/dhcpv6-ra-sarr-dhclient-badcsum-3-type7 \
	tests/dhcp6/fuzz-seeds/dhcpv6-rapidcommit-dhcpcd-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-rapidcommit-dhcpcd-1-type7 \
	tests/dhcp6/fuzz-seeds/dhcpv6-rapidcommit-dhcpcd-badcsum-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-rapidcommit-dhcpcd-badcsum-1-type7 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-1-type2 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-2-type3 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-3-type7 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-badcsum-0-type1 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-badcsum-1-type2 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-badcsum-2-type3 \
	tests/dhcp6/fuzz-seeds/dhcpv6-sarr-dhclient-badcsum-3-type7
EXTRA_DIST += tests/dhcp6/fuzz-dhcp6.c tests/dhcp6/run-fuzz.sh $(DHCP6_FUZZ_SEEDS)
