#!/bin/sh
# "netns-helper status" tells the truth: a failed stage makes it say
# "degraded" or "failed" and exit 1; it lists stage units that are enabled
# but not configured, the services added to the namespace and the other
# links' addresses (a veth's: where the host reaches the namespace); it
# orders the stages as "validate" does, keeps its columns for long names,
# takes several names, refuses an unknown one (exit 3), says when nothing
# is configured, shows a namespace brought up by "netns-helper up" as up,
# and says when the file changed after the stages started.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

ns=nht${NH_ID}t
long=nht${NH_ID}-a-rather-long-name-of-forty-chars
R="$NETNS_HELPER_RUNDIR"

# Nothing configured: said, not an empty screen.
nh_expect_exit 0 "$NHS" status
nh_assert_match "$NH_OUT" "^No namespaces" "status with nothing configured"

# An unknown name: said, exit 3, no skeleton.
nh_expect_exit 3 "$NHS" status nosuch$NH_ID
nh_assert_match "$NH_ERR" "No namespace nosuch$NH_ID" "status of an unknown namespace"
[ -z "$NH_OUT" ] || nh_fail "status of an unknown namespace printed: $NH_OUT"

# The file's order is not the pipeline's: status shows validate's order.
printf 'stages: [postup, dhcp4, macvlan, netns]\nmacvlan: {parent: lo}\n' > "$NH_NSCONF/$ns.yaml"
nh_expect_exit 0 "$NH" validate "$ns"
want=$(printf '%s\n' "$NH_OUT" | sed 's/.*stages: //; s/ ([^)]*)//g; s/, / /g')
nh_assert_eq "$want" "netns macvlan dhcp4 postup" "validate's order"
# A stage enabled the original way but not in the file.
mkdir -p "$SD/netns-helper@$ns.target.wants"
ln -s /nonexistent/netns-helper-wg@.service "$SD/netns-helper@$ns.target.wants/netns-helper-wg@$ns.service"
# A service added to it.
nh_expect_exit 0 "$NHS" add "$ns" mydaemon
cat > "$NH_T/states" <<EOS
netns-helper@$ns.target active
netns-helper@$ns.service active
netns-helper-macvlan@$ns.service active
netns-helper-dhcp@$ns.service failed
netns-helper-postup@$ns.service inactive
netns-helper-wg@$ns.service active
mydaemon.service inactive
EOS
nh_expect_exit 1 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^ +state +degraded: dhcp4 failed" "state of a namespace with a failed stage"
got=$(printf '%s\n' "$NH_OUT" | awk '$2 ~ /^netns-helper.*@/ && $1 != "service" { printf "%s ", $1 }')
nh_assert_eq "$got" "netns macvlan dhcp4 postup wg " "stages in status, in validate's order, then the enabled one"
nh_assert_match "$NH_OUT" "wg +netns-helper-wg@$ns.service +active \\(enabled, not in the configuration\\)" "an enabled stage that is not configured"
nh_assert_match "$NH_OUT" "service +mydaemon.service +inactive" "the service added to the namespace"
nh_expect_exit 1 "$NHS" status "$ns" --json
printf '%s\n' "$NH_OUT" > "$NH_T/s.json"
if command -v python3 >/dev/null 2>&1; then
        get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['namespaces'][0]; print($1)" "$NH_T/s.json"; }
        nh_assert_eq "$(get "d['state']")" degraded "JSON state"
        nh_assert_eq "$(get "' '.join(s['unit']+'='+s['state'] for s in d['services'])")" "mydaemon.service=inactive" "JSON services"
fi
# A unit "activating" again after a failure (Restart=) is no start in
# progress: degraded, exit 1.
sed -i 's/^\(netns-helper-dhcp@[^ ]*\) failed$/\1 activating/' "$NH_T/states"
printf 'netns-helper-dhcp@%s.service NRestarts 3\n' "$ns" > "$NH_T/show"
nh_expect_exit 1 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^ +state +degraded: dhcp4 failed, restarting" "state with a DHCP unit restarting"
nh_assert_match "$NH_OUT" "dhcp4 +netns-helper-dhcp@$ns.service +activating \\(failed, to be restarted\\)" "the restarting unit"
rm "$NH_T/show"
sed -i 's/^\(netns-helper-dhcp@[^ ]*\) activating$/\1 failed/' "$NH_T/states"
# Every stage failed or stopped: "failed".
sed -i 's/ active$/ inactive/' "$NH_T/states"
nh_expect_exit 1 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^ +state +failed: dhcp4 failed" "state with only a failed stage"
# All stopped: "stopped", exit 0.
sed -i 's/ failed$/ inactive/' "$NH_T/states"
nh_expect_exit 0 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^ +state +stopped" "state of a stopped namespace"

# Brought up by "netns-helper up" (no unit active): up, not stopped; the
# file changed after that: said, with the command that applies it.
mkdir -p "$R/$ns/up"
for st in netns macvlan dhcp4 postup; do : > "$R/$ns/up/$st"; done
touch -d '-1 minute' "$R/$ns/up/"*
nh_expect_exit 0 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^ +state +up \\(brought up by \"netns-helper up\"" "state of a namespace brought up by up"
nh_assert_match "$NH_OUT" "changed +the file changed after the stages started: \"netns-helper reload $ns\"" "a file newer than the stages"
touch -d '-2 minutes' "$NH_NSCONF/$ns.yaml"
nh_expect_exit 0 "$NHS" status "$ns"
case "$NH_OUT" in *changed*) nh_fail "status says the file changed although it is older than the stages: $NH_OUT" ;; esac

# A long name keeps the columns: every stage's state starts in one column.
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo}\n' > "$NH_NSCONF/$long.yaml"
nh_expect_exit 0 "$NHS" status "$long" "$ns"
cols=$(printf '%s\n' "$NH_OUT" | awk -v ns="$long" '$2 ~ "@" ns "\\.service$" { print index($0, $3) }' | sort -u)
nh_assert_eq "$(printf '%s\n' "$cols" | wc -l)" 1 "state columns of $long ($cols)"
# Several names: both shown.
nh_assert_match "$NH_OUT" "^netns-helper@$long.target:" "first of two names"
nh_assert_match "$NH_OUT" "^netns-helper@$ns.target:" "second of two names"

# With root: the addresses of a link other than the interface (a veth's
# inside address is where the host reaches the namespace).
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
        ip netns add "$ns" || nh_fail "cannot create namespace $ns"
        nh_defer "ip netns delete '$ns'"
        ip -n "$ns" link add vh0 type veth peer name "nh${NH_ID}tq" || nh_fail "cannot create a veth in $ns"
        ip -n "$ns" addr add 10.250.0.2/30 dev vh0
        nh_expect_exit 0 "$NHS" status "$ns"
        nh_assert_match "$NH_OUT" "^ +link +vh0 10.250.0.2/30" "the veth's address"
else
        nh_log "not root: the addresses of other links are not checked"
fi
