# The core: the public plugin header, the engine library and the two programs.
nhinclude_HEADERS += core/netns-helper/plugin.h
