# Build rules for plugins/postup (included from the top-level Makefile.am).
plugin_LTLIBRARIES += plugins/postup/postup.la
plugins_postup_postup_la_SOURCES = plugins/postup/postup.c
plugins_postup_postup_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNH_STAGE_VERSION=\"$(PACKAGE_VERSION)\"
plugins_postup_postup_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
