#!/bin/sh
# End to end, in a booted systemd: the macvlan stage fails (its pre-up hook
# refuses, as a MAC in use would make it fail).  The veth must not become
# the namespace's interface and the DHCP units must not run on it; they
# fail once, naming the failed stage, and are not restarted every 2 s for
# ever.  Once fixed, the failed stage recovering brings the later ones
# back ("systemctl start" of the macvlan unit alone: the stages after it
# start, on the macvlan), and restarting the namespace does too.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4 dhcp6 veth
e2e_lan --dhcp-range="$E2E_LAN_V6::100,$E2E_LAN_V6::1ff,64,1h" --enable-ra

NS=web
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, veth, dhcp4, dhcp6, postup]
macvlan:
  parent: nhpar
veth:
  address4: 10.250.0.2/30
  host-address4: 10.250.0.1/30
EOF2
e2e_sh "printf '#!/bin/sh\necho pre-up refuses >&2\nexit 1\n' > /etc/netns-helper/ns/$NS-macvlan-preup && chmod 755 /etc/netns-helper/ns/$NS-macvlan-preup" ||
        nh_fail "cannot write the pre-up hook"

e2e netns-helper enable $NS --now >/dev/null 2>&1 && nh_fail "enable --now exited 0 although the macvlan stage failed"
for u in dhcp dhcp6; do
        unit=netns-helper-$u@$NS.service
        e2e_wait 20 "test \"\$(systemctl show -P ActiveState $unit)\" = failed" ||
                nh_fail "$unit is $(e2e systemctl show -P ActiveState,SubState $unit | tr '\n' ' ') although the macvlan failed"
        st=$(e2e systemctl show -P ExecMainStatus "$unit")
        nh_assert_eq "$st" 7 "exit status of $unit"
        log=$(e2e journalctl --no-pager -o cat -u "$unit")
        nh_assert_match "$log" "not starting: stage macvlan of namespace $NS failed" "$unit's log names the failed stage"
        case "$log" in *"No DHCP"*"vh0"*|*"on vh0"*) nh_fail "$unit ran on the veth: $log" ;; esac
done
# No restart loop: the exit code is one the units do not restart on.
sleep 5
for u in dhcp dhcp6; do
        n=$(e2e systemctl show -P NRestarts "netns-helper-$u@$NS.service")
        nh_assert_eq "$n" 0 "restarts of netns-helper-$u@$NS.service after the macvlan failed"
done
e2e_sh "! test -e /run/netns-helper/$NS/facts/interface" ||
        nh_fail "$(e2e cat /run/netns-helper/$NS/facts/interface) became the interface although the macvlan failed"
nh_log "macvlan failed: the DHCP units failed once with status 7, naming it; no interface fact"

# Fixed, and the failed stage alone started again (as an administrator
# does after reading its log): the stages after it come back by themselves.
e2e rm "/etc/netns-helper/ns/$NS-macvlan-preup"
e2e systemctl start "netns-helper-macvlan@$NS.service" || nh_fail "the macvlan unit failed once fixed"
for u in veth dhcp dhcp6 postup; do
        unit=netns-helper-$u@$NS.service
        e2e_wait 30 "test \"\$(systemctl is-active $unit)\" = active" ||
                nh_fail "$unit is $(e2e systemctl is-active "$unit") after the macvlan stage before it recovered"
done
nh_assert_eq "$(e2e cat /run/netns-helper/$NS/facts/interface)" "nm_$NS" "the interface once the macvlan recovered"
nh_log "the macvlan recovered: the stages after it came back by themselves"

# A restart of the namespace brings everything up on the macvlan too.
e2e netns-helper restart $NS || nh_fail "netns-helper restart $NS failed once the macvlan was fixed"
e2e_units_active "netns-helper@$NS.target" "netns-helper-macvlan@$NS.service" "netns-helper-veth@$NS.service" \
        "netns-helper-dhcp@$NS.service" "netns-helper-dhcp6@$NS.service" "netns-helper-postup@$NS.service"
nh_assert_eq "$(e2e cat /run/netns-helper/$NS/facts/interface)" "nm_$NS" "the interface once the macvlan is up"
e2e_sh "ip -n $NS -4 -o addr show dev nm_$NS | grep -q ' $E2E_LAN_V4\\.'" || nh_fail "nm_$NS has no address from the LAN"
