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
