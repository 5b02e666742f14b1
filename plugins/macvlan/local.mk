# Build rules for plugins/macvlan (included from the top-level Makefile.am).
plugin_LTLIBRARIES += plugins/macvlan/macvlan.la
plugins_macvlan_macvlan_la_SOURCES = plugins/macvlan/macvlan.c
plugins_macvlan_macvlan_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\"
plugins_macvlan_macvlan_la_CFLAGS = $(AM_CFLAGS)
plugins_macvlan_macvlan_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_macvlan_macvlan_la_LIBADD = $(NH_SDK_LIBS)
