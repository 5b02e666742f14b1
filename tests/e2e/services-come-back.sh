#!/bin/sh
# End to end, in a booted systemd: a service added with "netns-helper add"
# comes back whenever its namespace does: after "netns-helper stop" and
# "start", after "disable --now" and "enable --now", and after the DHCP
# stage recovers by itself from a DHCP server that was down when the
# namespace started (the target wants the service; a DHCP unit that comes
# back pulls the target in).  Then the file
# is switched from DHCP to a static address and "netns-helper reload"
# applies it: the address is there, the DHCP unit is gone, the service runs
# in the new namespace and status says nothing is left to apply.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4
e2e_lan

NS=back
e2e_ns_yaml $NS 'stages: [netns, macvlan, dhcp4, postup]' 'macvlan: {parent: nhpar}' 'dhcp4: {timeout: 3}'
e2e_daemon

# in_ns WHAT: nhdaemon runs, in the namespace as it is now.
in_ns() {
        local pid
        e2e_wait 60 "systemctl is-active -q nhdaemon.service" ||
                nh_fail "$1: nhdaemon.service is $(e2e systemctl is-active nhdaemon.service); jobs: $(e2e systemctl list-jobs --no-pager --no-legend | tr '\n' ' ')"
        pid=$(e2e systemctl show -P MainPID nhdaemon.service)
        nh_assert_eq "$(e2e stat -L -c %i "/proc/$pid/ns/net")" "$(e2e stat -L -c %i "/run/netns/$NS")" \
                "$1: nhdaemon.service is not in /run/netns/$NS"
        nh_log "$1: nhdaemon.service runs in /run/netns/$NS"
}

# The DHCP server is down when the namespace starts: the DHCP stage gives
# up, so do the post-up stage and the service; once the server is up the
# DHCP unit (Restart=on-failure) gets a lease and the rest follows by itself.
e2e systemctl stop nht-lan-dnsmasq.service
e2e netns-helper enable $NS --now >/dev/null 2>&1 && nh_fail "netns-helper enable $NS --now exited 0 with no DHCP server"
e2e netns-helper add $NS nhdaemon >/dev/null 2>&1 || nh_fail "netns-helper add $NS nhdaemon failed"
e2e systemctl daemon-reload
e2e_wait 20 "systemctl show -P NRestarts netns-helper-dhcp@$NS.service | grep -qv '^0$'" ||
        nh_fail "the DHCP unit did not retry: $(e2e systemctl show -P ActiveState,SubState,NRestarts netns-helper-dhcp@$NS.service | tr '\n' ' ')"
nh_assert_eq "$(e2e systemctl is-active nhdaemon.service)" inactive "nhdaemon while no DHCP server answers"
e2e_lan_server
in_ns "DHCP server up, the stages recovered by themselves"
e2e_units_active "netns-helper@$NS.target" "netns-helper-postup@$NS.service" "netns-helper-dhcp@$NS.service"

e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
nh_assert_eq "$(e2e systemctl is-active nhdaemon.service)" inactive "nhdaemon after netns-helper stop"
e2e netns-helper start $NS || nh_fail "netns-helper start $NS failed"
in_ns "stop, then start"

e2e netns-helper disable $NS --now >/dev/null 2>&1 || nh_fail "netns-helper disable $NS --now failed"
nh_assert_eq "$(e2e systemctl is-active nhdaemon.service)" inactive "nhdaemon after disable --now"
e2e netns-helper enable $NS --now >/dev/null 2>&1 || nh_fail "netns-helper enable $NS --now failed after disable"
in_ns "disable --now, then enable --now"

# From DHCP to static: reload applies the file.
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, postup]
macvlan:
  parent: nhpar
  address4: $E2E_LAN_V4.77/24
EOF2
out=$(e2e netns-helper status $NS 2>&1) || true
nh_assert_match "$out" "changed +the file changed after the stages started" "status before reload"
e2e netns-helper reload $NS || nh_fail "netns-helper reload $NS failed: $(e2e netns-helper status $NS 2>&1)"
in_ns "reload"
e2e_sh "ip -n $NS -4 -o addr show dev nm_$NS | grep -q ' $E2E_LAN_V4.77/24 '" ||
        nh_fail "no static address after reload: $(e2e ip -n $NS -o addr show)"
nh_assert_eq "$(e2e systemctl is-active "netns-helper-dhcp@$NS.service")" inactive "the DHCP unit after reload to static"
out=$(e2e netns-helper status $NS 2>&1) || nh_fail "status exits non-zero after reload: $out"
case "$out" in *changed*) nh_fail "status still says the file changed after reload: $out" ;; esac
nh_assert_match "$out" "state +active" "status after reload"
nh_log "reload: static address in place, DHCP unit stopped, nhdaemon in the new namespace, status active"
