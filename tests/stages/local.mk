# Build rules for tests/stages (included from the top-level Makefile.am).
# Root integration tests of the netns, macvlan and postup stages; they skip
# (exit 77, loudly) when not run as root.
STAGES_TESTS = \
	tests/stages/netns.sh \
	tests/stages/macvlan.sh \
	tests/stages/up-down.sh \
	tests/stages/bad-input.sh \
	tests/stages/restart.sh \
	tests/stages/hooks.sh \
	tests/stages/long-name.sh \
	tests/stages/concurrent.sh \
	tests/stages/legacy.sh \
	tests/stages/down-many.sh \
	tests/stages/netns-deleted.sh \
	tests/stages/idempotent-start.sh \
	tests/stages/nsswitch.sh \
	tests/stages/dhcp-descriptors.sh \
	tests/stages/static-dns.sh \
	tests/stages/up-several.sh \
	tests/stages/parent-deleted.sh \
	tests/stages/link-flap.sh
TESTS += $(STAGES_TESTS)
dist_check_SCRIPTS += $(STAGES_TESTS)
EXTRA_DIST += tests/stages/common.sh

# The plugins' descriptors and pure checks, without root.
check_PROGRAMS += tests/stages/test-stage-plugins
TESTS += tests/stages/test-stage-plugins
tests_stages_test_stage_plugins_SOURCES = tests/stages/test-stage-plugins.c
tests_stages_test_stage_plugins_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
tests_stages_test_stage_plugins_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_stages_test_stage_plugins_LDADD = $(CHECK_LIBS) -ldl
