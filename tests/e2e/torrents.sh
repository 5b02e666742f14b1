#!/bin/sh
# End to end, in a booted systemd: the original README's example.  The
# namespace "torrents" is configured by the legacy torrents-macvlan.conf,
# brought up with the README's "systemctl enable --now" line, and a daemon
# is put into it with "netns-helper add torrents nhdaemon --now".
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4
e2e_lan

NS=torrents
UNITS="netns-helper@$NS.service netns-helper-macvlan@$NS.service netns-helper-dhcp@$NS.service"
e2e_sh "mkdir -p /etc/netns-helper/ns && printf '%s\n' 'MAC=02:4e:48:00:00:01' 'PARENT_IF=nhpar' \
        > /etc/netns-helper/ns/$NS-macvlan.conf"
e2e_postup_hook $NS
e2e_daemon

# shellcheck disable=SC2086
e2e systemctl enable --now $UNITS || nh_fail "systemctl enable --now $UNITS failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS
e2e netns-helper add $NS nhdaemon --now || nh_fail "netns-helper add $NS nhdaemon --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS "netns-helper@$NS.target" "netns-helper-postup@$NS.service" nhdaemon.service
e2e_check_ns $NS 4
nh_log "torrents: nhdaemon runs in /run/netns/$NS (inode $E2E_INO), reads its resolv.conf, has the leased address; post-up ran after the lease"

# shellcheck disable=SC2086
e2e_restarts $NS $UNITS "netns-helper@$NS.target" "netns-helper-postup@$NS.service"
e2e_check_ns $NS 4

# Stopping the namespace stops everything bound to it.
e2e systemctl stop "netns-helper@$NS.service" || nh_fail "systemctl stop netns-helper@$NS.service failed"
for u in $UNITS "netns-helper@$NS.target" "netns-helper-postup@$NS.service" nhdaemon.service; do
        st=$(e2e systemctl is-active "$u")
        nh_assert_eq "$st" inactive "$u after stopping netns-helper@$NS.service"
done
e2e_no_leftovers $NS "$E2E_INO"

# shellcheck disable=SC2086
e2e systemctl disable $UNITS || nh_fail "systemctl disable failed"
e2e netns-helper remove nhdaemon --now || nh_fail "netns-helper remove nhdaemon --now failed"
e2e_sh "! test -e /etc/systemd/system/nhdaemon.service.d/netns-helper.conf" || nh_fail "the drop-in is still there"
e2e_sh "systemctl is-active -q nhdaemon" || nh_fail "nhdaemon did not restart outside the namespace"
pid=$(e2e systemctl show -P MainPID nhdaemon.service)
nh_assert_eq "$(e2e stat -L -c %i "/proc/$pid/ns/net")" "$(e2e stat -L -c %i /proc/1/ns/net)" \
        "after netns-helper remove, nhdaemon is not in the container's own namespace"
e2e systemctl stop nhdaemon.service
e2e_no_leftovers $NS "$E2E_INO"
nh_log "torrents: stopped, disabled and removed with nothing left behind"
