# Build rules for tests/wireguard (included from the top-level Makefile.am).
WIREGUARD_TESTS = \
	tests/wireguard/tunnel.sh
TESTS += $(WIREGUARD_TESTS)
dist_check_SCRIPTS += $(WIREGUARD_TESTS)
EXTRA_DIST += tests/wireguard/common.sh
