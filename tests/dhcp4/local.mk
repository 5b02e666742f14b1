# Build rules for tests/dhcp4 (included from the top-level Makefile.am).
DHCP4_TEST_CPPFLAGS = -I$(top_srcdir)/plugins/dhcp4 -I$(top_srcdir)/tests/dhcp4 \
	-DNH_TEST_SRCDIR=\"$(abs_top_srcdir)\"

check_PROGRAMS += tests/dhcp4/test-dhcp4-packet tests/dhcp4/test-dhcp4-client
TESTS += tests/dhcp4/test-dhcp4-packet tests/dhcp4/test-dhcp4-client

tests_dhcp4_test_dhcp4_packet_SOURCES = tests/dhcp4/test-dhcp4-packet.c tests/dhcp4/pcap.h
tests_dhcp4_test_dhcp4_packet_CPPFLAGS = $(AM_CPPFLAGS) $(DHCP4_TEST_CPPFLAGS)
tests_dhcp4_test_dhcp4_packet_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_dhcp4_test_dhcp4_packet_LDADD = plugins/dhcp4/libdhcp4core.la $(CHECK_LIBS)

tests_dhcp4_test_dhcp4_client_SOURCES = tests/dhcp4/test-dhcp4-client.c tests/dhcp4/pcap.h
tests_dhcp4_test_dhcp4_client_CPPFLAGS = $(AM_CPPFLAGS) $(DHCP4_TEST_CPPFLAGS)
tests_dhcp4_test_dhcp4_client_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_dhcp4_test_dhcp4_client_LDADD = plugins/dhcp4/libdhcp4core.la $(CHECK_LIBS)

EXTRA_DIST += \
	tests/dhcp4/fixtures/dhcpv4-dora-dhclient.pcap \
	tests/dhcp4/fixtures/dhcpv4-dora-dhcpcd.pcap \
	tests/dhcp4/fixtures/dhcpv4-dora-udhcpc.pcap \
	tests/dhcp4/fixtures/offload-badcsum/dhcpv4-dora-dhclient.pcap \
	tests/dhcp4/fixtures/offload-badcsum/dhcpv4-dora-dhcpcd.pcap \
	tests/dhcp4/fixtures/offload-badcsum/dhcpv4-dora-udhcpc.pcap

# libFuzzer harness: ./configure --enable-fuzzing CC=clang; run it bounded
# with tests/dhcp4/run-fuzz.sh SECONDS.  The codec is compiled into it
# directly so that it is instrumented too.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/dhcp4/fuzz-dhcp4
tests_dhcp4_fuzz_dhcp4_SOURCES = tests/dhcp4/fuzz-dhcp4.c \
	plugins/dhcp4/dhcp4-packet.c plugins/dhcp4/dhcp4-client.c plugins/dhcp4/dhcp4-lease.c
tests_dhcp4_fuzz_dhcp4_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/dhcp4
tests_dhcp4_fuzz_dhcp4_CFLAGS = $(AM_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
tests_dhcp4_fuzz_dhcp4_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_dhcp4_fuzz_dhcp4_LDADD = $(NH_SDK_LIBS)
endif
EXTRA_DIST += tests/dhcp4/fuzz-dhcp4.c tests/dhcp4/run-fuzz.sh
EXTRA_DIST += \
	tests/dhcp4/fuzz-seeds/badcsum-dhclient-1-offer \
	tests/dhcp4/fuzz-seeds/badcsum-dhclient-2-ack \
	tests/dhcp4/fuzz-seeds/badcsum-dhcpcd-1-offer \
	tests/dhcp4/fuzz-seeds/badcsum-dhcpcd-2-ack \
	tests/dhcp4/fuzz-seeds/badcsum-udhcpc-1-offer \
	tests/dhcp4/fuzz-seeds/badcsum-udhcpc-2-ack \
	tests/dhcp4/fuzz-seeds/crafted-ack-all-options \
	tests/dhcp4/fuzz-seeds/dhclient-1-discover \
	tests/dhcp4/fuzz-seeds/dhclient-2-offer \
	tests/dhcp4/fuzz-seeds/dhclient-3-request \
	tests/dhcp4/fuzz-seeds/dhclient-4-ack \
	tests/dhcp4/fuzz-seeds/dhcpcd-1-discover \
	tests/dhcp4/fuzz-seeds/dhcpcd-2-offer \
	tests/dhcp4/fuzz-seeds/dhcpcd-3-request \
	tests/dhcp4/fuzz-seeds/dhcpcd-4-ack \
	tests/dhcp4/fuzz-seeds/udhcpc-1-discover \
	tests/dhcp4/fuzz-seeds/udhcpc-2-offer \
	tests/dhcp4/fuzz-seeds/udhcpc-3-request \
	tests/dhcp4/fuzz-seeds/udhcpc-4-ack \
	tests/dhcp4/fuzz-seeds/frame-dhclient-2 tests/dhcp4/fuzz-seeds/frame-dhclient-4 \
	tests/dhcp4/fuzz-seeds/frame-dhcpcd-2 tests/dhcp4/fuzz-seeds/frame-dhcpcd-4 \
	tests/dhcp4/fuzz-seeds/frame-udhcpc-2 tests/dhcp4/fuzz-seeds/frame-udhcpc-4 \
	tests/dhcp4/fuzz-seeds/frame-badcsum-dhclient-2 tests/dhcp4/fuzz-seeds/frame-badcsum-dhclient-4 \
	tests/dhcp4/fuzz-seeds/frame-badcsum-dhcpcd-2 tests/dhcp4/fuzz-seeds/frame-badcsum-dhcpcd-4 \
	tests/dhcp4/fuzz-seeds/frame-badcsum-udhcpc-2 tests/dhcp4/fuzz-seeds/frame-badcsum-udhcpc-4 \
	tests/dhcp4/fuzz-seeds/saved-lease-with-ack tests/dhcp4/fuzz-seeds/arp-reply

# Integration tests (root): real servers in a peer namespace.
TESTS += tests/dhcp4/dnsmasq.sh tests/dhcp4/dhcpd.sh tests/dhcp4/no-server.sh tests/dhcp4/config.sh tests/dhcp4/hostile.sh \
	tests/dhcp4/odd-leases.sh tests/dhcp4/flood.sh tests/dhcp4/restart-outage.sh tests/dhcp4/acd.sh tests/dhcp4/rapid-commit.sh \
	tests/dhcp4/infinite-lease.sh
dist_check_SCRIPTS += tests/dhcp4/dnsmasq.sh tests/dhcp4/dhcpd.sh tests/dhcp4/no-server.sh tests/dhcp4/config.sh tests/dhcp4/hostile.sh \
	tests/dhcp4/odd-leases.sh tests/dhcp4/flood.sh tests/dhcp4/restart-outage.sh tests/dhcp4/acd.sh tests/dhcp4/rapid-commit.sh \
	tests/dhcp4/infinite-lease.sh
EXTRA_DIST += tests/dhcp4/common.sh tests/dhcp4/notify-listen.py tests/dhcp4/fake-server.py tests/dhcp4/flood.py
# Benchmark (root, not part of make check): tests/dhcp4/bench-dhcp4.sh ROUNDS
EXTRA_DIST += tests/dhcp4/bench-dhcp4.sh tests/dhcp4/bench-ready.py
