# Build rules for include/ and sdk/ (included from the top-level Makefile.am).
#
# The SDK: what every stage plugin, in the tree or not, is built against.
# The plugin ABI is one installed header, <netns-helper/plugin.h>, found
# through netns-helper-plugin.pc; the helper library libnetns-helper-sdk,
# with <netns-helper/sdk.h>, through netns-helper-sdk.pc.
nhinclude_HEADERS += include/netns-helper/plugin.h include/netns-helper/facts.h \
	include/netns-helper/stages.h include/netns-helper/sdk.h
pkgconfig_DATA += sdk/netns-helper-plugin.pc sdk/netns-helper-sdk.pc
DISTCLEANFILES += sdk/netns-helper-plugin.pc sdk/netns-helper-sdk.pc
# configure reads the ABI version of the .pc file from plugin.h: a new
# version there configures again, so the two cannot disagree.
CONFIG_STATUS_DEPENDENCIES = $(top_srcdir)/include/netns-helper/plugin.h

# A static archive of position-independent code (sdk.h says why): -static
# makes libtool build and install only the archive, -fPIC makes it fit
# into a plugin.  The plugins built here link it as a third party does.
lib_LTLIBRARIES = sdk/libnetns-helper-sdk.la
sdk_libnetns_helper_sdk_la_SOURCES = \
	sdk/netlink.c \
	sdk/ipv6-dad.c \
	sdk/nswatch.c
sdk_libnetns_helper_sdk_la_CPPFLAGS = $(NH_SDK_INCLUDES)
sdk_libnetns_helper_sdk_la_CFLAGS = $(AM_CFLAGS) -fPIC
sdk_libnetns_helper_sdk_la_LDFLAGS = -static

NH_SDK_INCLUDES = -I$(top_srcdir)/include
NH_SDK_LIBS = sdk/libnetns-helper-sdk.la
