# Build rules for tests/sdk (included from the top-level Makefile.am).
# The veth stage, and the SDK proven the way a third party meets it.
SDK_TESTS = \
	tests/sdk/veth.sh \
	tests/sdk/veth-macvlan.sh \
	tests/sdk/veth-bad.sh \
	tests/sdk/man-example.sh \
	tests/sdk/out-of-tree.sh
TESTS += $(SDK_TESTS)
dist_check_SCRIPTS += $(SDK_TESTS)
# The example a third party would keep: built by out-of-tree.sh, printed
# in netns-helper-plugin(7).
EXTRA_DIST += tests/sdk/example/hello.c tests/sdk/example/Makefile
# Not a test: what the veth stage costs, run by hand as root.
EXTRA_DIST += tests/sdk/bench-veth.sh
