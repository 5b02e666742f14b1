# Build rules for tests/slaac (included from the top-level Makefile.am).
# The pure logic with check (no root), the stage against radvd in a test
# namespace (root), and the fuzzer of the option parser.
check_PROGRAMS += tests/slaac/test-slaac
TESTS += tests/slaac/test-slaac
tests_slaac_test_slaac_SOURCES = tests/slaac/test-slaac.c $(SLAAC_LOGIC_SOURCES)
tests_slaac_test_slaac_CPPFLAGS = -I$(top_srcdir)/plugins/slaac $(NH_SDK_INCLUDES)
tests_slaac_test_slaac_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_slaac_test_slaac_LDADD = $(NH_SDK_LIBS) $(CHECK_LIBS)

SLAAC_TESTS = tests/slaac/radvd.sh tests/slaac/dhcp6-dnsmasq.sh
TESTS += $(SLAAC_TESTS)
dist_check_SCRIPTS += $(SLAAC_TESTS)

# libFuzzer harness: only with ./configure --enable-fuzzing CC=clang.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/slaac/fuzz-slaac
tests_slaac_fuzz_slaac_SOURCES = tests/slaac/fuzz-slaac.c $(SLAAC_LOGIC_SOURCES) sdk/netlink.c
tests_slaac_fuzz_slaac_CPPFLAGS = -I$(top_srcdir)/plugins/slaac $(NH_SDK_INCLUDES)
tests_slaac_fuzz_slaac_CFLAGS = $(AM_CFLAGS) -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
tests_slaac_fuzz_slaac_LDFLAGS = -fsanitize=fuzzer,address,undefined
endif
SLAAC_FUZZ_SEEDS = \
	tests/slaac/fuzz-seeds/rdnss-dnssl \
	tests/slaac/fuzz-seeds/useropt-msg
EXTRA_DIST += tests/slaac/fuzz-slaac.c $(SLAAC_FUZZ_SEEDS)
