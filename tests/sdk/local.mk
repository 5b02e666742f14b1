# Build rules for tests/sdk (included from the top-level Makefile.am).
# The veth stage, and the SDK proven the way a third party meets it.
SDK_TESTS = \
	tests/sdk/veth.sh \
	tests/sdk/veth-macvlan.sh \
	tests/sdk/veth-bad.sh \
	tests/sdk/man-example.sh \
	tests/sdk/out-of-tree.sh \
	tests/sdk/cfg-error-item.sh
TESTS += $(SDK_TESTS)
dist_check_SCRIPTS += $(SDK_TESTS)
# The example a third party would keep: built by out-of-tree.sh, printed
# in netns-helper-plugin(7).
EXTRA_DIST += tests/sdk/example/hello.c tests/sdk/example/Makefile tests/sdk/example-sdk/lo6.c
# Not a test: what the veth stage costs, run by hand as root.
EXTRA_DIST += tests/sdk/bench-veth.sh

# The veth stage's pure logic, without root: the plugin's source compiled
# into the test with a stand-in for the core's API.
check_PROGRAMS += tests/sdk/test-veth
TESTS += tests/sdk/test-veth
tests_sdk_test_veth_SOURCES = tests/sdk/test-veth.c
tests_sdk_test_veth_CPPFLAGS = $(AM_CPPFLAGS) $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS)
tests_sdk_test_veth_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_sdk_test_veth_LDADD = libnhcore.la $(NH_SDK_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS) $(CHECK_LIBS)

# Unit tests of libnetns-helper-sdk, without root.
check_PROGRAMS += tests/sdk/test-netlink
TESTS += tests/sdk/test-netlink
tests_sdk_test_netlink_SOURCES = tests/sdk/test-netlink.c
tests_sdk_test_netlink_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_sdk_test_netlink_LDADD = $(NH_SDK_LIBS) $(CHECK_LIBS)

# The growth of the plugin ABI: a descriptor of ABI 1.0's layout, and one
# of 1.5 without its size (tests/sdk/abi-growth.sh).
check_LTLIBRARIES += tests/sdk/abi/abiold.la tests/sdk/abi/nosize.la
tests_sdk_abi_abiold_la_SOURCES = tests/sdk/abi-old.c
tests_sdk_abi_abiold_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
tests_sdk_abi_abiold_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_sdk_abi_abiold_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
tests_sdk_abi_nosize_la_SOURCES = tests/sdk/abi-old.c
tests_sdk_abi_nosize_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES) -DNOSIZE
tests_sdk_abi_nosize_la_CFLAGS = $(NH_TEST_PLUGIN_CFLAGS)
tests_sdk_abi_nosize_la_LDFLAGS = $(NH_TEST_PLUGIN_LDFLAGS)
TESTS += tests/sdk/abi-growth.sh tests/sdk/abi-version.sh
dist_check_SCRIPTS += tests/sdk/abi-growth.sh tests/sdk/abi-version.sh

# Unit tests of the SDK's plain helpers, without root.
check_PROGRAMS += tests/sdk/test-sdk
TESTS += tests/sdk/test-sdk
tests_sdk_test_sdk_SOURCES = tests/sdk/test-sdk.c
tests_sdk_test_sdk_CPPFLAGS = $(AM_CPPFLAGS) $(LIBNL_CFLAGS)
tests_sdk_test_sdk_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_sdk_test_sdk_LDADD = $(NH_SDK_LIBS) $(CHECK_LIBS)
