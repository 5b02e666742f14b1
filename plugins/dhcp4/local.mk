# Build rules for plugins/dhcp4 (included from the top-level Makefile.am).
#
# The codec, the lease file and the state machine are plain logic in a
# convenience library that the plugin, the unit tests and the fuzzer share.
noinst_LTLIBRARIES += plugins/dhcp4/libdhcp4core.la
plugins_dhcp4_libdhcp4core_la_SOURCES = \
	plugins/dhcp4/dhcp4-packet.c plugins/dhcp4/dhcp4-packet.h \
	plugins/dhcp4/dhcp4-client.c plugins/dhcp4/dhcp4-client.h \
	plugins/dhcp4/dhcp4-lease.c plugins/dhcp4/dhcp4-lease.h
# The lease file is written with the SDK: what links this links it too.
plugins_dhcp4_libdhcp4core_la_LIBADD = sdk/libnhsdk.la

plugin_LTLIBRARIES += plugins/dhcp4/dhcp4.la
plugins_dhcp4_dhcp4_la_SOURCES = plugins/dhcp4/dhcp4.c
plugins_dhcp4_dhcp4_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\"
plugins_dhcp4_dhcp4_la_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS)
plugins_dhcp4_dhcp4_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_dhcp4_dhcp4_la_LIBADD = plugins/dhcp4/libdhcp4core.la $(NH_SDK_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS)
EXTRA_DIST += plugins/dhcp4/README.md
