# Build rules for tests/dhcp6 (included from the top-level Makefile.am).
check_PROGRAMS += tests/dhcp6/test-dhcp6
TESTS += tests/dhcp6/test-dhcp6
tests_dhcp6_test_dhcp6_SOURCES = tests/dhcp6/test-dhcp6.c tests/dhcp6/pcap.c tests/dhcp6/pcap.h \
	$(DHCP6_LOGIC_SOURCES)
tests_dhcp6_test_dhcp6_CPPFLAGS = -I$(top_srcdir)/plugins/dhcp6 -DDHCP6_FIXTURES=\"$(abs_top_srcdir)/tests/dhcp6/fixtures\"
tests_dhcp6_test_dhcp6_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_dhcp6_test_dhcp6_LDADD = $(CHECK_LIBS)

DHCP6_FIXTURES = \
	tests/dhcp6/fixtures/dhcpv6-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/dhcpv6-ra-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/dhcpv6-rapidcommit-dhcpcd.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-ra-sarr-dhclient.pcap \
	tests/dhcp6/fixtures/offload-badcsum/dhcpv6-rapidcommit-dhcpcd.pcap
EXTRA_DIST += $(DHCP6_FIXTURES) tests/dhcp6/fixtures/README.md
