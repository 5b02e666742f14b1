#!/bin/sh
# End to end, in a booted systemd: the stage units are ordered by the
# plugins' positions and nothing else (netns-helper-generator's drop-ins).
# A stage from outside netns-helper (tests/sdk/example/hello.c, position
# NH_ORDER_VETH + 10) installed with the STAGE template unit, unedited but
# for its name, falls into place: after the veth unit (250), before the
# post-up unit (900); the in-tree units, which name no other stage, are
# ordered after every stage before them.  Then the namespace is enabled
# and started, and each unit became active only after the ones before it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"
nh_require_cmd cc
e2e_setup netns veth postup

# The out-of-tree stage, built as its author builds it: the installed
# header only.
cc -shared -fPIC -O2 -I"$E2E_STAGE/usr/include" -o "$E2E_DIR/hello.so" \
        "$NH_SRCDIR/tests/sdk/example/hello.c" || nh_fail "cannot build the hello plugin"
e2e_sh "cat > /usr/lib/netns-helper/plugins/hello.so && chmod 755 /usr/lib/netns-helper/plugins/hello.so" \
        <"$E2E_DIR/hello.so" || nh_fail "cannot install hello.so"
e2e_sh "sed 's/STAGE/hello/g' /usr/share/netns-helper/units/netns-helper-STAGE@.service \
        > /etc/systemd/system/netns-helper-hello@.service && systemctl daemon-reload" ||
        nh_fail "cannot install the hello unit"

NS=nhtord
e2e_ns_yaml "$NS" <<EOF2
stages: [netns, veth, hello, postup]
veth:
  host-name: nhord0
  host-address4: 198.18.7.1/30
  address4: 198.18.7.2/30
hello:
  address: 192.0.2.77/32
EOF2
e2e_postup_hook "$NS"

# after UNIT: the units UNIT is ordered after.
after() { e2e systemctl show -P After "$1@$NS.service" | tr ' ' '\n'; }
has_after() {
        after "$1" | grep -qx "$2@$NS.service" ||
                nh_fail "$1@$NS.service is not ordered after $2@$NS.service: After=$(after "$1" | tr '\n' ' ')"
}
not_after() {
        ! after "$1" | grep -qx "$2@$NS.service" ||
                nh_fail "$1@$NS.service is ordered after $2@$NS.service, which comes later in the pipeline"
}
has_after netns-helper-hello netns-helper
has_after netns-helper-hello netns-helper-macvlan
has_after netns-helper-hello netns-helper-veth
not_after netns-helper-hello netns-helper-dhcp
has_after netns-helper-postup netns-helper-hello
has_after netns-helper-postup netns-helper-veth
has_after netns-helper-postup netns-helper-dhcp6
has_after netns-helper-postup netns-helper-slaac
has_after netns-helper-dhcp netns-helper-veth
has_after netns-helper-slaac netns-helper-dhcp6
not_after netns-helper-veth netns-helper-hello
# No unit file names the stages before it: the order has one source.
for f in $(e2e sh -c 'ls /usr/lib/systemd/system/netns-helper-*@.service'); do
        ! e2e grep -E '^(After|Before)=.*netns-helper-[a-z0-9]+@' "$f" ||
                nh_fail "$f still lists other stages' units in After=/Before="
done

# Started: each unit active before the next one started.
e2e netns-helper enable --now "$NS" >"$E2E_DIR/enable.log" 2>&1 ||
        nh_fail "enable --now $NS failed: $(cat "$E2E_DIR/enable.log")"
nh_defer "e2e netns-helper disable --now '$NS'"
e2e_units_active "netns-helper@$NS.service" "netns-helper-veth@$NS.service" \
        "netns-helper-hello@$NS.service" "netns-helper-postup@$NS.service"
prev="" prev_active=0
for u in netns-helper netns-helper-veth netns-helper-hello netns-helper-postup; do
        start=$(e2e systemctl show -P ExecMainStartTimestampMonotonic "$u@$NS.service")
        active=$(e2e systemctl show -P ActiveEnterTimestampMonotonic "$u@$NS.service")
        [ -z "$prev" ] || [ "$start" -ge "$prev_active" ] ||
                nh_fail "$u@$NS.service started ($start) before $prev@$NS.service was active ($prev_active)"
        prev=$u prev_active=$active
done
e2e ip -n "$NS" -o addr show dev lo | grep -q '192\.0\.2\.77/32' || nh_fail "the hello stage's address is not on lo"
e2e_sh "test -s /run/nht-postup-$NS.log" || nh_fail "the post-up hook did not run"
