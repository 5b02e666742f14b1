# Build rules for tests/sdk (included from the top-level Makefile.am).
# The veth stage, and the SDK proven the way a third party meets it.
SDK_TESTS = \
	tests/sdk/veth.sh \
	tests/sdk/veth-macvlan.sh \
	tests/sdk/veth-bad.sh
TESTS += $(SDK_TESTS)
dist_check_SCRIPTS += $(SDK_TESTS)
