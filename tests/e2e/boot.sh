#!/bin/sh
# End to end, in a booted systemd: a namespace enabled as the original
# README does it (netns, macvlan and dhcp units in multi-user.target) must
# not hold up the boot while no DHCP server answers.  Units that a target
# Wants= get After= that target unless they set DefaultDependencies=no, so
# a Type=notify DHCP unit wanted by multi-user.target would make the boot
# wait for the lease.  A service put into the namespace must still wait,
# and start in the namespace once a DHCP server that comes up late answers.
#
# The units, their enablement links and the programs have to be there
# before systemd starts: they are bound into the container read-only, the
# units and links through /etc/systemd/system.control (a unit directory of
# its own that systemd reads at boot).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_prepare dhcp4

NS=torrents
T=$(mktemp -d "${TMPDIR:-/tmp}/nht-e2e-boot.XXXXXX")
nh_defer "rm -rf '$T'"
CTL=$T/control
mkdir -p "$CTL/multi-user.target.wants" "$CTL/netns-helper@$NS.target.wants" "$T/conf/ns"
cp "$E2E_STAGE"/usr/lib/systemd/system/netns-helper* "$CTL/"
# The "host interface" the macvlan sits on and the LAN behind it (as
# e2e_lan makes them), made early at boot.  The DHCP server is a unit of
# its own, not enabled: the test starts it once the boot is done.
cat > "$CTL/nht-parent.service" <<EOF2
[Unit]
Description=netns-helper e2e: the parent interface and the LAN
# As the network configuration would make a bridge: before network.target,
# which the netns and macvlan units are ordered after.
DefaultDependencies=no
After=sysinit.target
Wants=network.target
Before=network.target netns-helper-macvlan@$NS.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -ec 'ip netns add lan; ip link add nhpar type veth peer name nhlan netns lan; ip link set nhpar up; ip -n lan link set lo up; ip -n lan link set nhlan up; ip -n lan addr add $E2E_LAN_V4.1/24 dev nhlan'
EOF2
cat > "$CTL/nht-dnsmasq.service" <<EOF2
[Unit]
Description=netns-helper e2e: the LAN's DHCP server
After=nht-parent.service
[Service]
ExecStart=/usr/bin/ip netns exec lan /usr/sbin/dnsmasq --keep-in-foreground --no-ping --no-resolv --no-hosts --user=root --group=root --port=0 --bind-interfaces --interface=nhlan --dhcp-leasefile=/run/nht-lan.leases --dhcp-range=$E2E_LAN_V4.100,$E2E_LAN_V4.150,255.255.255.0,1h --dhcp-option=option:dns-server,$E2E_LAN_V4.53
EOF2
ln -s ../nht-parent.service "$CTL/multi-user.target.wants/"
# What "systemctl enable netns-helper@$NS.service netns-helper-macvlan@$NS.service
# netns-helper-dhcp@$NS.service" writes (WantedBy=multi-user.target netns-helper@%i.target).
for u in "netns-helper@$NS.service" "netns-helper-macvlan@$NS.service" "netns-helper-dhcp@$NS.service"; do
        t=$(printf '%s\n' "$u" | sed "s/@$NS\\./@./")
        ln -s "../$t" "$CTL/multi-user.target.wants/$u"
        ln -s "../$t" "$CTL/netns-helper@$NS.target.wants/$u"
done
printf '%s\n' 'MAC=02:4e:48:00:00:03' 'PARENT_IF=nhpar' > "$T/conf/ns/$NS-macvlan.conf"
cp "$E2E_STAGE/etc/netns-helper/netns-helper.yaml" "$T/conf/"
# The test's daemon, put into the namespace but not enabled.
printf '%s\n' '[Service]' 'ExecStart=/bin/sleep infinity' > "$CTL/nhdaemon.service"
NETNS_HELPER_SYSTEMD_DIR=$CTL NETNS_HELPER_CONFDIR=$T/conf "$E2E_STAGE/usr/sbin/netns-helper" add $NS nhdaemon >/dev/null 2>&1 ||
        nh_fail "netns-helper add $NS nhdaemon (into $CTL) failed"

E2E_NSPAWN_EXTRA="--bind-ro=$CTL:/etc/systemd/system.control --bind-ro=$T/conf:/etc/netns-helper"
# The generator too: it orders the stage units (netns-helper.units(7)).
for p in usr/sbin/netns-helper usr/sbin/netns-helper-run usr/lib/netns-helper usr/libexec/netns-helper \
         usr/lib/systemd/system-generators/netns-helper-generator; do
        [ -e "$E2E_STAGE/$p" ] && E2E_NSPAWN_EXTRA="$E2E_NSPAWN_EXTRA --bind-ro=$E2E_STAGE/$p:/$p"
done
e2e_boot "nht$NH_ID" --early

# Wait (bounded) until multi-user.target is reached, or the DHCP unit gives
# up.  systemd itself calls the boot finished ("running") only once its job
# queue is empty, so while the DHCP unit's start job runs it still says
# "starting": what must not wait is multi-user.target (getty, the services
# enabled there, graphical.target).
mu="" dhcp=""
for i in $(seq 1 150); do
        mu=$(e2e systemctl is-active multi-user.target)
        dhcp=$(e2e systemctl is-active "netns-helper-dhcp@$NS.service")
        [ "$mu" = active ] && break
        [ "$dhcp" = activating ] || [ $i -lt 50 ] || break
        sleep 0.1
done
e2e_units_active "netns-helper@$NS.service" "netns-helper-macvlan@$NS.service"
nh_assert_eq "$dhcp" activating "netns-helper-dhcp@$NS.service, with no DHCP server"
if [ "$mu" != active ]; then
        nh_log "multi-user.target is ordered after: $(e2e systemctl show -P After multi-user.target | tr ' ' '\n' | grep netns-helper | tr '\n' ' ')"
        e2e systemctl list-jobs --no-pager >&2
        nh_fail "the boot waits for the DHCP lease: multi-user.target is '$mu' while netns-helper-dhcp@$NS.service is activating (no DHCP server)"
fi
nh_log "multi-user.target reached while netns-helper-dhcp@$NS.service was still waiting for a lease (systemd says '$(e2e systemctl is-system-running)')"

# A service in the namespace still waits for the lease.
e2e systemctl start --no-block nhdaemon.service
sleep 1
nh_assert_eq "$(e2e systemctl is-active nhdaemon.service)" inactive "nhdaemon.service started before the lease"
e2e_sh "systemctl list-jobs --no-legend | grep -q 'nhdaemon.service *start *waiting'" ||
        nh_fail "nhdaemon.service has no waiting start job: $(e2e systemctl list-jobs --no-pager)"
nh_log "nhdaemon.service, in namespace $NS, waits for the lease"

# The DHCP server comes up late: the DHCP unit, still trying, gets a lease,
# and the waiting service then starts inside the namespace.
e2e systemctl start nht-dnsmasq.service || nh_fail "cannot start dnsmasq"
e2e_wait 60 "systemctl is-active -q nhdaemon.service" ||
        nh_fail "nhdaemon.service did not start once the DHCP server answered: $(e2e systemctl list-jobs --no-pager)"
e2e_units_active "netns-helper-dhcp@$NS.service" multi-user.target
pid=$(e2e systemctl show -P MainPID nhdaemon.service)
nh_assert_eq "$(e2e stat -L -c %i "/proc/$pid/ns/net")" "$(e2e stat -L -c %i "/run/netns/$NS")" \
        "nhdaemon.service is not in /run/netns/$NS"
addr=$(e2e ip -n "$NS" -4 -o addr show dev "nm_$NS" | sed -n "s/.* inet \($E2E_LAN_V4\.[0-9]*\)\/.*/\1/p")
[ -n "$addr" ] || nh_fail "nm_$NS has no address from the LAN"
e2e grep -q " $addr " /run/nht-lan.leases || nh_fail "$addr is not in dnsmasq's leases"
nh_assert_eq "$(e2e cat "/proc/$pid/root/etc/resolv.conf")" "$(e2e cat "/etc/netns/$NS/resolv.conf")" \
        "nhdaemon's /etc/resolv.conf is not /etc/netns/$NS/resolv.conf"
nh_log "the DHCP server came up late: lease $addr, then nhdaemon.service started in namespace $NS"
