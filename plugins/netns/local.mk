# Build rules for plugins/netns (included from the top-level Makefile.am).
plugin_LTLIBRARIES += plugins/netns/netns.la
plugins_netns_netns_la_SOURCES = plugins/netns/netns.c
plugins_netns_netns_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\"
plugins_netns_netns_la_CFLAGS = $(AM_CFLAGS)
plugins_netns_netns_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
