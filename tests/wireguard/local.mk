# Build rules for tests/wireguard (included from the top-level Makefile.am).
WIREGUARD_TESTS = \
	tests/wireguard/tunnel.sh \
	tests/wireguard/v4-only.sh \
	tests/wireguard/failures.sh \
	tests/wireguard/config-errors.sh \
	tests/wireguard/endpoint-name.sh
TESTS += $(WIREGUARD_TESTS)
dist_check_SCRIPTS += $(WIREGUARD_TESTS)
EXTRA_DIST += tests/wireguard/common.sh

# The pure logic, without root: the wg-quick parser, the UAPI protocol and
# the kernel plugin's generic netlink messages (this kernel has no
# WireGuard: that path is tested here, attribute by attribute).
WG_LOGIC_SOURCES = \
	plugins/wireguard/wg-config.c plugins/wireguard/wg-uapi.c plugins/wireguard/wg-genl.c
check_PROGRAMS += tests/wireguard/test-wireguard
TESTS += tests/wireguard/test-wireguard
tests_wireguard_test_wireguard_SOURCES = tests/wireguard/test-wireguard.c $(WG_LOGIC_SOURCES)
tests_wireguard_test_wireguard_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/wireguard $(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
tests_wireguard_test_wireguard_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_wireguard_test_wireguard_LDADD = $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(CHECK_LIBS)

# libFuzzer harness (./configure --enable-fuzzing CC=clang; tests/fuzz/run-all.sh)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/wireguard/fuzz-wireguard
tests_wireguard_fuzz_wireguard_SOURCES = tests/wireguard/fuzz-wireguard.c $(WG_LOGIC_SOURCES)
tests_wireguard_fuzz_wireguard_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/wireguard $(LIBNL_CFLAGS) $(LIBNL_GENL_CFLAGS)
tests_wireguard_fuzz_wireguard_CFLAGS = $(AM_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
tests_wireguard_fuzz_wireguard_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_wireguard_fuzz_wireguard_LDADD = $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
endif
EXTRA_DIST += tests/wireguard/fuzz-wireguard.c \
	tests/wireguard/fuzz-seeds/provider.conf \
	tests/wireguard/fuzz-seeds/uapi-get \
	tests/wireguard/fuzz-seeds/refused.conf

# Not a test: time to the first handshake against the same steps by hand.
EXTRA_DIST += tests/wireguard/bench-handshake.sh
bench-wireguard: all
	NH_BUILDDIR='$(abs_top_builddir)' NH_SRCDIR='$(abs_top_srcdir)' BENCH_RUNS='$(BENCH_RUNS)' \
		bash '$(abs_top_srcdir)/tests/wireguard/bench-handshake.sh'
.PHONY: bench-wireguard
