#!/bin/sh
# End to end, in a booted systemd: when the DHCP stage gives up (no server
# answers within its timeout), neither the post-up hook nor a service put
# into the namespace may start: they were promised an address.
#
# The post-up stage refuses to start while a stage configured before it
# is not up, and the drop-in of "netns-helper add" Requires= the post-up
# unit: After= alone would start them anyway.
#
# "netns-helper enable" links the stages as requirements of the target, so
# the target is not "active" either: start and restart of the namespace
# exit non-zero.  "disable --now" then leaves no unit of it failed (the
# system would stay "degraded").
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4
# The LAN without a DHCP server.
e2e_parent_only

NS=lonely
e2e_ns_yaml $NS 'stages: [netns, macvlan, dhcp4, postup]' 'macvlan: {parent: nhpar}' 'dhcp4: {timeout: 3}'
e2e_postup_hook $NS
e2e_daemon
e2e netns-helper enable $NS >/dev/null 2>&1 || nh_fail "netns-helper enable $NS failed"
e2e netns-helper add $NS nhdaemon >/dev/null 2>&1 || nh_fail "netns-helper add $NS nhdaemon failed"
e2e systemctl daemon-reload

# Blocks until the start job ends: the DHCP unit fails after its 3 s.
e2e systemctl start nhdaemon.service 2>/dev/null && started=yes || started=no
dhcp=$(e2e systemctl show -P Result "netns-helper-dhcp@$NS.service")
nh_log "nhdaemon start: $started; the DHCP unit's result: $dhcp"
[ "$dhcp" != success ] || nh_fail "the DHCP unit succeeded without a DHCP server"
if e2e test -e "/run/nht-postup-$NS.log"; then
        nh_fail "the post-up hook ran although the DHCP stage failed: $(e2e cat "/run/nht-postup-$NS.log" | tr '\n' ' ')"
fi
[ "$started" = no ] && ! e2e systemctl is-active -q nhdaemon.service ||
        nh_fail "nhdaemon.service started in namespace $NS although the DHCP stage failed (it has no address)"

state=$(e2e systemctl is-active "netns-helper@$NS.target")
[ "$state" != active ] || nh_fail "netns-helper@$NS.target is active although its DHCP stage failed"
e2e netns-helper restart $NS >/dev/null 2>&1 && rc=0 || rc=$?
state=$(e2e systemctl is-active "netns-helper@$NS.target")
nh_log "restart: exit $rc; target: $state"
[ "$rc" != 0 ] || nh_fail "netns-helper restart $NS exited 0 although its DHCP stage failed"
[ "$state" != active ] || nh_fail "after restart, netns-helper@$NS.target is active although its DHCP stage failed"
# status tells the truth: not active, the failed stage named, exit 1.
out=$(e2e netns-helper status $NS 2>&1) && rc=0 || rc=$?
nh_assert_eq "$rc" 1 "exit status of netns-helper status with a failed stage ($out)"
nh_assert_match "$out" "state +(degraded|failed): .*(dhcp4|postup) failed" "netns-helper status with a failed stage"

e2e netns-helper disable $NS --now >/dev/null 2>&1 || nh_fail "netns-helper disable $NS --now failed"
failed=$(e2e systemctl list-units --failed --plain --no-legend "netns-helper*@$NS.*")
[ -z "$failed" ] || nh_fail "units of $NS left failed after disable --now: $failed"
e2e_sh "! test -e /run/netns/$NS" || nh_fail "/run/netns/$NS is still there after disable --now"
nh_log "disable --now: no unit of $NS is left failed"
