# Build rules for include/ and sdk/ (included from the top-level Makefile.am).
#
# The SDK: what every stage plugin, in the tree or not, is built against.
# The plugin ABI is one installed header, <netns-helper/plugin.h>, found
# through netns-helper-plugin.pc.
nhinclude_HEADERS += include/netns-helper/plugin.h include/netns-helper/facts.h
pkgconfig_DATA += sdk/netns-helper-plugin.pc
DISTCLEANFILES += sdk/netns-helper-plugin.pc
