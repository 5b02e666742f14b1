# Build rules for plugins/wireguard (included from the top-level Makefile.am).
# The wireguard stage's two plugins: "wireguard" (the kernel's, over generic
# netlink; the default) and "wireguard-go" (userspace).  What they share is
# one convenience library: the wg-quick parser, the UAPI protocol and the
# stage itself (keys, routes, DNS, handshake wait, check, stop).
noinst_LTLIBRARIES += plugins/wireguard/libwgstage.la
plugins_wireguard_libwgstage_la_SOURCES = \
	plugins/wireguard/wg-config.c plugins/wireguard/wg-config.h \
	plugins/wireguard/wg-uapi.c plugins/wireguard/wg-proto.h \
	plugins/wireguard/wg-stage.c plugins/wireguard/wg-stage.h
plugins_wireguard_libwgstage_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)

plugin_LTLIBRARIES += plugins/wireguard/wireguard-go.la
plugins_wireguard_wireguard_go_la_SOURCES = plugins/wireguard/wireguard-go.c
plugins_wireguard_wireguard_go_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\"
plugins_wireguard_wireguard_go_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_wireguard_wireguard_go_la_LIBADD = plugins/wireguard/libwgstage.la $(NH_SDK_LIBS)

plugin_LTLIBRARIES += plugins/wireguard/wireguard.la
plugins_wireguard_wireguard_la_SOURCES = plugins/wireguard/wireguard.c plugins/wireguard/wg-genl.c
plugins_wireguard_wireguard_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\" \
	$(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
plugins_wireguard_wireguard_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_wireguard_wireguard_la_LIBADD = plugins/wireguard/libwgstage.la $(NH_SDK_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
