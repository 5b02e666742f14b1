#!/bin/sh
# "netns-helper status" shows each stage unit's state, the interface, its
# addresses read inside the namespace, and every stage's lease or state from
# the facts, generically (issue 14: "STAGE.KEY" facts, whatever the stage;
# a ".expires" fact is a time or "infinite"); --json is valid JSON with the
# same.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"
nh_require_cmd python3

ns=nht${NH_ID}s
printf 'stages: [netns, macvlan, dhcp4, postup]\n' > "$NH_NSCONF/$ns.yaml"
mkdir -p "$NETNS_HELPER_RUNDIR/$ns/facts"
F="$NETNS_HELPER_RUNDIR/$ns/facts"
printf 'nh%slk\n' "$NH_ID" > "$F/interface"
printf '192.0.2.10/24\n' > "$F/dhcp4.address"
printf '4102444800\n' > "$F/dhcp4.expires"
printf 'a "quoted" \\ value\n' > "$F/odd"
# Stages status has no code for: their facts are shown all the same.
printf '2001:db8::10/128\n' > "$F/dhcp6.address"
printf 'infinite\n' > "$F/dhcp6.expires"
printf '2001:db8:1::5/64\n' > "$F/slaac.address"
printf 'fe80::1\n' > "$F/slaac.router"
printf 'wg%s\n' "$NH_ID" > "$F/tunnel"
cat > "$NH_T/states" <<EOS
netns-helper@$ns.target active
netns-helper@$ns.service active
netns-helper-macvlan@$ns.service active
netns-helper-dhcp@$ns.service activating
EOS

# With root, a real namespace and link, so the addresses are read back.
addr_expected=""
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
        ip netns add "$ns" || nh_fail "cannot create namespace $ns"
        nh_defer "ip netns delete '$ns'"
        ip -n "$ns" link add "nh${NH_ID}lk" type veth peer name "nh${NH_ID}lq" || nh_fail "cannot create a veth in $ns"
        ip -n "$ns" addr add 192.0.2.10/24 dev "nh${NH_ID}lk"
        ip -n "$ns" addr add 2001:db8::10/64 dev "nh${NH_ID}lk" nodad
        addr_expected=yes
else
        nh_log "not root: addresses inside the namespace are not checked"
fi

nh_expect_exit 0 "$NHS" status "$ns" --json
printf '%s\n' "$NH_OUT" > "$NH_T/status.json"
python3 -m json.tool "$NH_T/status.json" >/dev/null || nh_fail "status --json is not JSON: $NH_OUT"
get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['namespaces'][0]; print($1)" "$NH_T/status.json"; }
nh_assert_eq "$(get "d['name']")" "$ns" "name"
nh_assert_eq "$(get "d['target']")" "active" "target state"
nh_assert_eq "$(get "' '.join(s['stage']+'='+s['state'] for s in d['stages'])")" \
        "netns=active macvlan=active dhcp4=activating postup=inactive" "stage states"
nh_assert_eq "$(get "d['stages'][2]['unit']")" "netns-helper-dhcp@$ns.service" "unit of dhcp4"
nh_assert_eq "$(get "d['interface']")" "nh${NH_ID}lk" "interface"
nh_assert_eq "$(get "d['stage_facts']['dhcp4']['address']")" "192.0.2.10/24" "dhcp4 address"
nh_assert_eq "$(get "d['stage_facts']['dhcp4']['expires']")" "4102444800" "dhcp4 expiry"
nh_assert_eq "$(get "d['stage_facts']['dhcp6']['expires']")" "infinite" "an infinite dhcp6 lease"
nh_assert_eq "$(get "d['stage_facts']['slaac']")" "{'address': '2001:db8:1::5/64', 'router': 'fe80::1'}" "slaac's facts"
nh_assert_eq "$(get "sorted(d['stage_facts'])")" "['dhcp4', 'dhcp6', 'slaac']" "the stages with facts"
nh_assert_eq "$(get "d['facts']['odd']")" 'a "quoted" \ value' "a fact with quotes"
if [ -n "$addr_expected" ]; then
        nh_assert_eq "$(get "d['exists']")" "True" "namespace exists"
        nh_assert_eq "$(get "sorted(d['addresses'])")" "['192.0.2.10/24', '2001:db8::10/64']" "addresses"
fi
nh_assert_match "$(cat "$SCTL_LOG")" "^is-active netns-helper@$ns.target netns-helper@$ns.service netns-helper-macvlan@$ns.service netns-helper-dhcp@$ns.service netns-helper-postup@$ns.service$" "is-active call"

nh_expect_exit 0 "$NHS" status "$ns"
nh_assert_match "$NH_OUT" "^netns-helper@$ns.target: active" "text: target"
nh_assert_match "$NH_OUT" "dhcp4 +netns-helper-dhcp@$ns.service +activating" "text: dhcp4 unit"
nh_assert_match "$NH_OUT" "interface +nh${NH_ID}lk" "text: interface"
nh_assert_match "$NH_OUT" "dhcp4 +192.0.2.10/24, expires 2100-01-01 00:00:00 UTC" "text: lease"
nh_assert_match "$NH_OUT" "dhcp6 +2001:db8::10/128, expires never \\(infinite\\)" "text: an infinite lease"
nh_assert_match "$NH_OUT" "slaac +2001:db8:1::5/64, router fe80::1" "text: slaac's facts"
nh_assert_match "$NH_OUT" "tunnel +wg$NH_ID" "text: a fact of no stage"
[ -z "$addr_expected" ] || nh_assert_match "$NH_OUT" "addresses +192.0.2.10/24 2001:db8::10/64" "text: addresses"

# Without a name: every namespace with a configuration or run directory.
printf 'MAC=02:00:00:00:00:01\nPARENT_IF=veth0\n' > "$NH_NSCONF/${ns}l-macvlan.conf"
nh_expect_exit 0 "$NHS" status --json
printf '%s\n' "$NH_OUT" > "$NH_T/all.json"
nh_assert_eq "$(python3 -c "import json,sys; print(' '.join(n['name'] for n in json.load(open(sys.argv[1]))['namespaces']))" "$NH_T/all.json")" \
        "$ns ${ns}l" "namespaces listed"
# Nothing configured: an empty list, still JSON.
rm -r "${NH_NSCONF:?}"/* "${NETNS_HELPER_RUNDIR:?}/$ns"
nh_expect_exit 0 "$NHS" status --json
printf '%s\n' "$NH_OUT" | python3 -m json.tool >/dev/null || nh_fail "empty status --json is not JSON: $NH_OUT"
nh_expect_exit 3 "$NHS" status a b
nh_expect_exit 2 "$NHS" status --now
