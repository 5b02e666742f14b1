# The core: the public plugin header, the engine library and the two programs.
nhinclude_HEADERS += core/netns-helper/plugin.h

# Everything but main(): linked into both programs and the unit tests.
noinst_LTLIBRARIES += libnhcore.la
libnhcore_la_SOURCES = \
	core/log.c core/log.h \
	core/util.c core/util.h \
	core/conf.h core/hookdns.h core/service.h core/exitcodes.h
libnhcore_la_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
# libyaml is dlopen'ed when a file must be parsed (core/yaml-dl.h says why):
# only its header is used at build time.
libnhcore_la_SOURCES += core/yaml-dl.c core/yaml-dl.h
libnhcore_la_LIBADD =
pkgconfig_DATA += core/netns-helper-plugin.pc
DISTCLEANFILES += core/netns-helper-plugin.pc

libnhcore_la_SOURCES += \
	core/loader.c core/loader.h \
	core/trust.c core/trust.h \
	core/engine.c core/engine.h
libnhcore_la_LIBADD += -ldl

sbin_PROGRAMS += netns-helper netns-helper-run
netns_helper_SOURCES = core/main.c core/leaktest.c core/leaktest.h
netns_helper_LDADD = libnhcore.la
netns_helper_run_SOURCES = core/run.c
netns_helper_run_LDADD = libnhcore.la
