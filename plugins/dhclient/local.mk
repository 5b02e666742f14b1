# Build rules for plugins/dhclient (included from the top-level Makefile.am).
#
# The dhcp4 and dhcp6 stages done by ISC dhclient: two modules from one
# source (DHC_FAMILY), and the program dhclient runs as its -sf script.
DHCLIENT_COMMON = \
	plugins/dhclient/lease.c plugins/dhclient/lease.h \
	plugins/dhclient/nl.c plugins/dhclient/nl.h

plugin_LTLIBRARIES += plugins/dhclient/dhclient4.la plugins/dhclient/dhclient6.la

plugins_dhclient_dhclient4_la_SOURCES = plugins/dhclient/dhclient.c $(DHCLIENT_COMMON)
plugins_dhclient_dhclient4_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -I$(top_builddir) -DDHC_FAMILY=4
plugins_dhclient_dhclient4_la_LIBADD = $(NH_SDK_LIBS)
plugins_dhclient_dhclient4_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)

plugins_dhclient_dhclient6_la_SOURCES = plugins/dhclient/dhclient.c $(DHCLIENT_COMMON)
plugins_dhclient_dhclient6_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -I$(top_builddir) -DDHC_FAMILY=6
plugins_dhclient_dhclient6_la_LIBADD = $(NH_SDK_LIBS)
plugins_dhclient_dhclient6_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)

pkglibexec_PROGRAMS += plugins/dhclient/netns-helper-dhclient-handler
plugins_dhclient_netns_helper_dhclient_handler_SOURCES = plugins/dhclient/handler.c $(DHCLIENT_COMMON)
plugins_dhclient_netns_helper_dhclient_handler_CPPFLAGS = -I$(top_builddir) $(NH_SDK_INCLUDES)
plugins_dhclient_netns_helper_dhclient_handler_LDADD = $(NH_SDK_LIBS)

EXTRA_DIST += plugins/dhclient/README.md
