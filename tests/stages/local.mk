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
	tests/stages/legacy.sh
TESTS += $(STAGES_TESTS)
dist_check_SCRIPTS += $(STAGES_TESTS)
EXTRA_DIST += tests/stages/common.sh
