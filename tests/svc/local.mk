# Tests of the units and of the systemd subcommands (add, remove, enable,
# disable, start, stop, restart, status).  They never touch the real
# /etc/systemd: NETNS_HELPER_SYSTEMD_DIR and a fake systemctl
# (NETNS_HELPER_SYSTEMCTL) stand in for them.
TESTS += tests/svc/verify-units.sh tests/svc/security-score.sh
dist_check_SCRIPTS += tests/svc/verify-units.sh tests/svc/security-score.sh


TESTS += tests/svc/add-remove.sh tests/svc/add-namespace.sh tests/svc/enable-checks.sh tests/svc/mac-clash.sh tests/svc/reload.sh tests/svc/enable-disable.sh tests/svc/status.sh tests/svc/status-truth.sh
dist_check_SCRIPTS += tests/svc/add-remove.sh tests/svc/add-namespace.sh tests/svc/enable-checks.sh tests/svc/mac-clash.sh tests/svc/reload.sh tests/svc/enable-disable.sh tests/svc/status.sh tests/svc/status-truth.sh
dist_check_DATA += tests/svc/svc-lib.sh
# The stages after one whose start failed refuse to start (as units run them).
TESTS += tests/svc/stage-after-failed.sh
dist_check_SCRIPTS += tests/svc/stage-after-failed.sh
TESTS += tests/svc/man-pages.sh
dist_check_SCRIPTS += tests/svc/man-pages.sh
TESTS += tests/svc/completion.sh
dist_check_SCRIPTS += tests/svc/completion.sh

# Opt-in (NH_NSPAWN_ROOT): the units in a booted systemd.
TESTS += tests/svc/nspawn-units.sh
dist_check_SCRIPTS += tests/svc/nspawn-units.sh
check_SCRIPTS += tests/svc/paths.sh
CLEANFILES += tests/svc/paths.sh
tests/svc/paths.sh: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/svc && \
	{ echo "NH_SYSCONFDIR='$(sysconfdir)'"; echo "NH_PLUGINDIR='$(plugindir)'"; } > $@
