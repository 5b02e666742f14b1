# Build rules for plugins/common (included from the top-level Makefile.am).
#
# Helpers shared by the stage plugins built here, as convenience libraries
# linked into each plugin that uses them (not part of the plugin ABI).
# rtnl: rtnetlink requests on a plain socket, for plugins on the bring-up
# path that should not load a netlink library.
noinst_LTLIBRARIES += plugins/common/librtnl.la
# ipv6-dad: optimistic DAD (RFC 4429) on the links the plugins make.
plugins_common_librtnl_la_SOURCES = plugins/common/rtnl.c plugins/common/rtnl.h \
	plugins/common/ipv6-dad.c plugins/common/ipv6-dad.h plugins/common/ratelimit.h
plugins_common_librtnl_la_CFLAGS = $(AM_CFLAGS)
NH_RTNL_INCLUDES = -I$(top_srcdir)/plugins/common
# nswatch: a long-running stage notices its namespace deleted from outside.
noinst_LTLIBRARIES += plugins/common/libnswatch.la
plugins_common_libnswatch_la_SOURCES = plugins/common/nswatch.c plugins/common/nswatch.h
plugins_common_libnswatch_la_CFLAGS = $(AM_CFLAGS)
