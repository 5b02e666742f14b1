#!/bin/sh
# End to end, in a booted systemd whose "host" runs systemd-resolved (with
# libnss-resolve, as many distributions ship it): a service put into a
# namespace with "netns-helper add" must resolve names through the
# namespace's DNS server only, never through the host's resolver, which
# glibc's "resolve" NSS module reaches over a socket in the file system
# that network namespaces do not isolate.  Two dnsmasq answer one name
# differently: the host's upstream (what systemd-resolved asks) and the
# namespace's server (from its DHCP lease).  Also "ip netns exec" (the
# namespace's nsswitch.conf), the host's resolv.conf and nsswitch.conf
# byte for byte, nscd's socket directory hidden from the service, and the
# key that turns it all off.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4
NAME=leak.nht.example
NS_ANSWER=192.0.2.200           # the namespace's DNS server
HOST_ANSWER=198.51.100.200      # the host's upstream, through systemd-resolved

e2e_sh 'systemctl is-active -q systemd-resolved' ||
        nh_fail "systemd-resolved does not run in the container: $(e2e systemctl status --no-pager systemd-resolved | tail -5)"
e2e_sh 'grep -Eq "^hosts:.*[[:space:]]resolve" /etc/nsswitch.conf' ||
        nh_fail "the container's nsswitch.conf does not use resolve: $(e2e grep hosts: /etc/nsswitch.conf)"

# The host's upstream: a dnsmasq in namespace "up", reached from the
# container's own namespace; systemd-resolved asks it.
e2e_sh "set -e
        ip netns add up
        ip link add nhup type veth peer name nhupq netns up
        ip addr add 198.51.100.1/24 dev nhup
        ip link set nhup up
        ip -n up link set lo up
        ip -n up addr add 198.51.100.53/24 dev nhupq
        ip -n up link set nhupq up
        mkdir -p /etc/systemd/resolved.conf.d
        printf '[Resolve]\nDNS=198.51.100.53\nDomains=~.\nDNSSEC=no\nLLMNR=no\nMulticastDNS=no\n' >/etc/systemd/resolved.conf.d/nht.conf" ||
        nh_fail "cannot set up the host's upstream"
e2e systemd-run -q --unit=nht-up-dnsmasq --service-type=simple \
        ip netns exec up dnsmasq --keep-in-foreground --no-resolv --no-hosts --user=root --group=root \
        --listen-address=198.51.100.53 --bind-interfaces --address=/$NAME/$HOST_ANSWER ||
        nh_fail "cannot start the upstream dnsmasq"
e2e systemctl restart systemd-resolved || nh_fail "cannot restart systemd-resolved"
e2e_wait 15 "getent hosts $NAME | grep -q '^$HOST_ANSWER '" ||
        nh_fail "the host does not resolve $NAME through systemd-resolved: $(e2e getent hosts $NAME; e2e resolvectl status --no-pager | head -20)"

# The LAN with the namespace's DNS server, which DHCP hands out (.53).
e2e_lan
e2e_sh "ip -n lan addr add $E2E_LAN_V4.53/24 dev nhlan" || nh_fail "cannot add the LAN's DNS address"
e2e systemd-run -q --unit=nht-lan-dns --service-type=simple \
        ip netns exec lan dnsmasq --keep-in-foreground --no-resolv --no-hosts --user=root --group=root \
        --listen-address=$E2E_LAN_V4.53 --bind-interfaces --address=/$NAME/$NS_ANSWER ||
        nh_fail "cannot start the LAN's DNS server"
e2e_wait 10 "systemctl is-active -q nht-lan-dns" ||
        nh_fail "the LAN's DNS server did not start"

# The host's files, byte for byte (resolv.conf is resolved's stub, a link).
host_files() { e2e sh -c 'readlink /etc/resolv.conf; sha256sum /etc/resolv.conf /etc/nsswitch.conf'; }
HOST_FILES=$(host_files)
# nscd is not installed: a stand-in for its socket in the directory the
# drop-in is to make inaccessible.
e2e_sh 'mkdir -p /run/nscd && : >/run/nscd/socket' || nh_fail "cannot make /run/nscd/socket"

NS=web
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, dhcp4]
macvlan:
  parent: nhpar
  mac: "02:4e:48:00:00:0d"
dhcp4:
  timeout: 30
EOF2
# The service: resolves the name the way every program does (getent: NSS)
# and says whether it sees nscd's socket.
e2e_sh 'cat > /etc/systemd/system/nhresolve.service <<"EOT"
[Unit]
Description=netns-helper e2e: resolve a name
StartLimitIntervalSec=0
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c "getent hosts leak.nht.example >/run/nhresolve.out 2>&1; echo rc=$? >>/run/nhresolve.out; if test -e /run/nscd/socket; then echo nscd=reachable; else echo nscd=hidden; fi >>/run/nhresolve.out"
EOT' || nh_fail "cannot write nhresolve.service"

e2e netns-helper enable $NS --now || nh_fail "netns-helper enable $NS --now failed"
e2e_sh "grep -qx 'nameserver $E2E_LAN_V4.53' /etc/netns/$NS/resolv.conf" ||
        nh_fail "the namespace's resolv.conf lacks the leased server: $(e2e cat /etc/netns/$NS/resolv.conf)"
e2e netns-helper add $NS nhresolve --now || nh_fail "netns-helper add $NS nhresolve --now failed"
out=$(e2e cat /run/nhresolve.out) || nh_fail "nhresolve.service did not run: $(e2e systemctl status --no-pager nhresolve | tail -5)"
nh_log "a service added to $NS resolved $NAME: $out"
nh_assert_no_match "$out" "$HOST_ANSWER" "the service added to $NS resolved through the host's systemd-resolved (a DNS leak)"
nh_assert_match "$out" "^$NS_ANSWER " "the service added to $NS did not resolve through the namespace's DNS server"
nh_assert_match "$out" "^nscd=hidden\$" "the service added to $NS sees nscd's socket /run/nscd/socket"

# Without the namespace's nsswitch.conf (the service then reads the
# host's, with "resolve"), the drop-in alone keeps it from resolved's socket.
e2e_sh "mv /etc/netns/$NS/nsswitch.conf /run/nht-nsswitch.conf && systemctl restart nhresolve && mv /run/nht-nsswitch.conf /etc/netns/$NS/nsswitch.conf" ||
        nh_fail "cannot restart nhresolve without the namespace's nsswitch.conf"
out=$(e2e cat /run/nhresolve.out)
nh_log "the same with the host's nsswitch.conf: $out"
nh_assert_no_match "$out" "$HOST_ANSWER" "with the host's nsswitch.conf, the service reached systemd-resolved's socket"
nh_assert_match "$out" "^$NS_ANSWER " "with the host's nsswitch.conf, the service did not fall back to the namespace's DNS server"

# "ip netns exec" cannot be kept from the socket, only given an
# nsswitch.conf without "resolve".
out=$(e2e ip netns exec $NS getent hosts $NAME 2>&1)
nh_log "ip netns exec $NS getent hosts $NAME: $out"
nh_assert_no_match "$out" "$HOST_ANSWER" "ip netns exec $NS resolved through the host's systemd-resolved"
nh_assert_match "$out" "^$NS_ANSWER " "ip netns exec $NS did not resolve through the namespace's DNS server"
e2e_sh "! grep -Eq '^hosts:.*[[:space:]]resolve' /etc/netns/$NS/nsswitch.conf" ||
        nh_fail "/etc/netns/$NS/nsswitch.conf still uses resolve: $(e2e cat /etc/netns/$NS/nsswitch.conf)"
nh_assert_eq "$(host_files)" "$HOST_FILES" \
        "the host's /etc/resolv.conf or /etc/nsswitch.conf changed"

# The key that opts out: the service may use the host's resolver again.
e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
e2e_sh "printf 'netns:\n  isolate-dns: no\n' >> /etc/netns-helper/ns/$NS.yaml"
e2e netns-helper validate $NS || nh_fail "isolate-dns: no is refused"
e2e netns-helper add $NS nhresolve || nh_fail "netns-helper add $NS nhresolve (again) failed"
e2e_sh "! grep -q '^InaccessiblePaths=' /etc/systemd/system/nhresolve.service.d/netns-helper.conf" ||
        nh_fail "isolate-dns: no still writes InaccessiblePaths=: $(e2e cat /etc/systemd/system/nhresolve.service.d/netns-helper.conf)"
e2e systemctl daemon-reload
e2e netns-helper start $NS || nh_fail "netns-helper start $NS failed"
e2e_sh "! test -e /etc/netns/$NS/nsswitch.conf" || nh_fail "isolate-dns: no still writes /etc/netns/$NS/nsswitch.conf"
e2e systemctl restart nhresolve || nh_fail "cannot restart nhresolve"
out=$(e2e cat /run/nhresolve.out)
nh_assert_match "$out" "^$HOST_ANSWER " "with isolate-dns: no, the service did not reach the host's resolver"
nh_assert_match "$out" "^nscd=reachable\$" "with isolate-dns: no, the service still cannot see /run/nscd/socket"

e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
e2e netns-helper remove nhresolve || nh_fail "netns-helper remove nhresolve failed"
nh_assert_eq "$(host_files)" "$HOST_FILES" \
        "the host's /etc/resolv.conf or /etc/nsswitch.conf changed"
nh_log "$NS: services resolve through the namespace's server only; isolate-dns: no lets them use the host's resolver"
