# Tests of the units and of the systemd subcommands (add, remove, enable,
# disable, start, stop, restart, status).  They never touch the real
# /etc/systemd: NETNS_HELPER_SYSTEMD_DIR and a fake systemctl
# (NETNS_HELPER_SYSTEMCTL) stand in for them.
TESTS += tests/svc/verify-units.sh
dist_check_SCRIPTS += tests/svc/verify-units.sh

# Runs the subcommands without core/main.c (see svc-driver.c).
check_PROGRAMS += tests/svc/svc-driver
tests_svc_svc_driver_SOURCES = tests/svc/svc-driver.c tests/svc/svc-stubs.h
tests_svc_svc_driver_LDADD = libnhcore.la
