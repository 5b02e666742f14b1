# The core: the engine library and the two programs.
# Its parts, one folder each (docs/ARCHITECTURE.md): base/ (logging, small
# helpers), config/ (YAML, checks, names), engine/ (pipeline, loader),
# os/ (hooks, DNS, path trust), cli/ (the programs and the systemd side).

# Everything but main(): linked into both programs and the unit tests.
noinst_LTLIBRARIES += libnhcore.la
libnhcore_la_SOURCES = \
	core/base/log.c core/base/log.h \
	core/base/util.c core/base/util.h \
	core/config/conf.h core/os/hookdns.h core/cli/service.h core/engine/exitcodes.h
libnhcore_la_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
# libyaml is dlopen'ed when a file must be parsed (core/config/yaml-dl.h says why):
# only its header is used at build time.
libnhcore_la_SOURCES += core/config/yaml-dl.c core/config/yaml-dl.h
# The SDK's helpers (atomic writes, hashes) serve the core too.
libnhcore_la_LIBADD = sdk/libnhsdk.la

libnhcore_la_SOURCES += \
	core/engine/loader.c core/engine/loader.h \
	core/os/trust.c core/os/trust.h \
	core/engine/engine.c core/engine/engine.h core/engine/internal.h \
	core/engine/pipeline.c core/engine/stage.c core/engine/api.c \
	core/engine/process.c core/engine/rundir.c core/engine/rundir.h
# Values no two namespaces may share (NH_KEY_UNIQUE), for validate and enable.
libnhcore_la_SOURCES += core/engine/clash.c core/engine/clash.h
libnhcore_la_LIBADD += -ldl

sbin_PROGRAMS += netns-helper netns-helper-run
netns_helper_SOURCES = core/cli/main.c core/cli/leaktest.c core/cli/leaktest.h
netns_helper_LDADD = libnhcore.la
netns_helper_run_SOURCES = core/cli/run.c
netns_helper_run_LDADD = libnhcore.la
