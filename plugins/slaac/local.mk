# Build rules for plugins/slaac (included from the top-level Makefile.am).
# IPv6 from router advertisements, with their DNS options.  slaac-nd.c is
# plain logic (option parser, lifetimes, netlink scanner), also compiled
# into the unit tests and the fuzzer.
SLAAC_LOGIC_SOURCES = plugins/slaac/slaac-nd.c plugins/slaac/slaac-nd.h

plugin_LTLIBRARIES += plugins/slaac/slaac.la
plugins_slaac_slaac_la_SOURCES = plugins/slaac/slaac.c $(SLAAC_LOGIC_SOURCES)
plugins_slaac_slaac_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
plugins_slaac_slaac_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
plugins_slaac_slaac_la_LIBADD = $(NH_SDK_LIBS)
