# Build rules for plugins/dhcp6 (included from the top-level Makefile.am).
# The native DHCPv6 client.  The codec, the state machine and the netlink
# scanner are plain logic, also compiled into the unit tests and the fuzzer.
DHCP6_LOGIC_SOURCES = \
	plugins/dhcp6/dhcp6-protocol.c plugins/dhcp6/dhcp6-protocol.h \
	plugins/dhcp6/dhcp6-client.c plugins/dhcp6/dhcp6-client.h \
	plugins/dhcp6/dhcp6-netlink.c plugins/dhcp6/dhcp6-netlink.h

plugin_LTLIBRARIES += plugins/dhcp6/dhcp6.la
plugins_dhcp6_dhcp6_la_SOURCES = plugins/dhcp6/dhcp6.c $(DHCP6_LOGIC_SOURCES)
plugins_dhcp6_dhcp6_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\" $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS)
plugins_dhcp6_dhcp6_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_dhcp6_dhcp6_la_LIBADD = $(NH_SDK_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS)
EXTRA_DIST += plugins/dhcp6/README.md
