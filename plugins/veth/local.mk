# Build rules for plugins/veth (included from the top-level Makefile.am).
# The veth stage: written only against the public plugin header.
plugin_LTLIBRARIES += plugins/veth/veth.la
plugins_veth_veth_la_SOURCES = plugins/veth/veth.c
plugins_veth_veth_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\" $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS)
plugins_veth_veth_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_veth_veth_la_LIBADD = $(NH_SDK_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS)
