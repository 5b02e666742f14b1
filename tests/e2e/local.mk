# Build rules for tests/e2e (included from the top-level Makefile.am).
# End-to-end tests in a systemd booted with systemd-nspawn from a cached
# Debian root (tests/e2e/lib-e2e.sh; skipped without root, systemd-nspawn
# or debootstrap).
TESTS += tests/e2e/torrents.sh
dist_check_SCRIPTS += tests/e2e/torrents.sh
EXTRA_DIST += tests/e2e/lib-e2e.sh
