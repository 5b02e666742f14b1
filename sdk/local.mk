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
# Its objects are built once, in a convenience library that the core's
# library takes in as well (libtool drops an installed static library
# from a convenience library's dependencies).
noinst_LTLIBRARIES += sdk/libnhsdk.la
sdk_libnhsdk_la_SOURCES = \
	sdk/netlink.c \
	sdk/ipv6-dad.c \
	sdk/nswatch.c \
	sdk/file.c \
	sdk/names.c \
	sdk/inet.c \
	sdk/nlerr.c
sdk_libnhsdk_la_CPPFLAGS = $(NH_SDK_INCLUDES) $(LIBNL_CFLAGS)
sdk_libnhsdk_la_CFLAGS = $(AM_CFLAGS) -fPIC

lib_LTLIBRARIES = sdk/libnetns-helper-sdk.la
sdk_libnetns_helper_sdk_la_SOURCES =
sdk_libnetns_helper_sdk_la_LIBADD = sdk/libnhsdk.la
sdk_libnetns_helper_sdk_la_LDFLAGS = -static

NH_SDK_INCLUDES = -I$(top_srcdir)/include
NH_SDK_LIBS = sdk/libnetns-helper-sdk.la
