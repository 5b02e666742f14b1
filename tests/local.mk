# The engine's and loader's tests, with tiny plugins built here.
NH_TEST_PLUGIN_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
NH_TEST_PLUGIN_CFLAGS = $(AM_CFLAGS) -Wno-override-init

check_LTLIBRARIES += tests/engine/alpha.la tests/engine/beta.la tests/engine/gamma.la \
	tests/engine/alt.la tests/engine/badabi.la tests/engine/newminor.la \
	tests/engine/misnamed.la tests/engine/nodesc.la tests/engine/waiter.la \
	tests/engine/omega.la tests/engine/nlask.la tests/engine/nlasknl.la \
	tests/engine/unresolved.la tests/engine/faulty.la tests/engine/lazy.la \
	tests/engine/evil.la
tests_engine_alpha_la_SOURCES = tests/engine/recorder.c
tests_engine_alpha_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"alpha"' -DREC_STAGE='"alpha"' -DREC_ORDER=150
tests_engine_alpha_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_alpha_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_beta_la_SOURCES = tests/engine/recorder.c
tests_engine_beta_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"beta"' -DREC_STAGE='"beta"' -DREC_ORDER=120
tests_engine_beta_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_beta_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_gamma_la_SOURCES = tests/engine/recorder.c
tests_engine_gamma_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"gamma"' -DREC_STAGE='"gamma"' -DREC_ORDER=950
tests_engine_gamma_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_gamma_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_alt_la_SOURCES = tests/engine/recorder.c
tests_engine_alt_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"alt"' -DREC_STAGE='"alpha"' -DREC_ORDER=150
tests_engine_alt_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_alt_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_badabi_la_SOURCES = tests/engine/recorder.c
tests_engine_badabi_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"badabi"' -DREC_STAGE='"badabi"' -DREC_ORDER=500 -DREC_ABI_MAJOR=99
tests_engine_badabi_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_badabi_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_newminor_la_SOURCES = tests/engine/recorder.c
tests_engine_newminor_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"newminor"' -DREC_STAGE='"newminor"' -DREC_ORDER=500 -DREC_ABI_MINOR=99
tests_engine_newminor_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_newminor_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_misnamed_la_SOURCES = tests/engine/recorder.c
tests_engine_misnamed_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"other"' -DREC_STAGE='"misnamed"' -DREC_ORDER=500
tests_engine_misnamed_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_misnamed_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_waiter_la_SOURCES = tests/engine/waiter.c
tests_engine_waiter_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
tests_engine_waiter_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_omega_la_SOURCES = tests/engine/recorder.c
tests_engine_omega_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DREC_NAME='"omega"' -DREC_STAGE='"omega"' -DREC_ORDER=990 -DREC_FLAGS=NH_PLUGIN_AFTER_ALL
tests_engine_omega_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_omega_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_nlask_la_SOURCES = tests/engine/nlask.c
tests_engine_nlask_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNLASK_NAME='"nlask"'
tests_engine_nlask_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_nlask_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_nlasknl_la_SOURCES = tests/engine/nlask.c
tests_engine_nlasknl_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNLASK_NAME='"nlasknl"' -DNLASK_WITH_LIBNL
tests_engine_nlasknl_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS) $(LIBNL_CFLAGS)
tests_engine_nlasknl_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_nlasknl_la_LIBADD = $(LIBNL_LIBS)
tests_engine_unresolved_la_SOURCES = tests/engine/unresolved.c
tests_engine_unresolved_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
tests_engine_unresolved_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_unresolved_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS) -Wl,-z,now
tests_engine_faulty_la_SOURCES = tests/engine/faulty.c
tests_engine_faulty_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DFAULTY_NAME='"faulty"'
tests_engine_faulty_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_faulty_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_lazy_la_SOURCES = tests/engine/faulty.c
tests_engine_lazy_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DFAULTY_NAME='"lazy"' -DFAULTY_LAZY
tests_engine_lazy_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_engine_lazy_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS) -Wl,-z,lazy
tests_engine_nodesc_la_SOURCES = tests/engine/nodesc.c
tests_engine_nodesc_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_engine_evil_la_SOURCES = tests/engine/evil.c
tests_engine_evil_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)

# Root integration tests of the engine with those plugins.
ENGINE_TESTS = \
	tests/engine/repeat-up.sh \
	tests/engine/faulty-plugins.sh \
	tests/engine/descriptors.sh \
	tests/engine/config-files.sh \
	tests/engine/hook-orphans.sh
TESTS += $(ENGINE_TESTS)
dist_check_SCRIPTS += $(ENGINE_TESTS)
EXTRA_DIST += tests/engine/common.sh

check_PROGRAMS += tests/engine/test-engine
tests_engine_test_engine_SOURCES = tests/engine/test-engine.c
tests_engine_test_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_engine_test_engine_LDADD = libnhcore.la $(CHECK_LIBS)
TESTS += tests/engine/test-engine
EXTRA_DIST += tests/demo/demo.sh
# Shared by the check programs: running a suite, temporary directories.
EXTRA_DIST += tests/nht-check.h
