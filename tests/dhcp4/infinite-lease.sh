#!/bin/sh
# An infinite lease (option 51 = 0xffffffff) is spelled one way in the
# dhcp4.expires fact, "infinite", by every implementation of the dhcp4
# stage (the native client and dhclient4), and "netns-helper status" shows
# it as never expiring, not as expired in 1970.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
d4_setup
nh_require_cmd dnsmasq
d4_dnsmasq --dhcp-range=10.88.0.50,10.88.0.99,255.255.255.0,infinite \
        --dhcp-option=option:router,10.88.0.1
# status asks systemctl for the units' states: none here.
export NETNS_HELPER_SYSTEMCTL=true

impls=dhcp4
if command -v dhclient >/dev/null 2>&1 && [ -f "$NH_BUILDDIR/plugins/dhclient/.libs/dhclient4.so" ]; then
        impls="$impls dhclient4"
        export NETNS_HELPER_DHCLIENT_HANDLER="$NH_BUILDDIR/plugins/dhclient/netns-helper-dhclient-handler"
else
        nh_log "no dhclient: dhclient4 is not checked"
fi
for impl in $impls; do
        NH_DHCP4_IMPL=$impl
        NS=$(nh_ns "${impl#dhclient}")
        nh_defer "'$NH' down '$NS'"
        d4_conf "$NS"
        "$NH" up "$NS" >"$NH_T/up.$NS.log" 2>&1 || nh_fail "$impl: netns-helper up $NS failed: $(cat "$NH_T/up.$NS.log")"
        [ -n "$(d4_fact "$NS" dhcp4.address)" ] || nh_fail "$impl: no dhcp4.address fact"
        nh_assert_eq "$(d4_fact "$NS" dhcp4.expires)" infinite "$impl: fact dhcp4.expires of an infinite lease"
        nh_expect_exit 0 "$NH" status "$NS"
        nh_assert_match "$NH_OUT" "dhcp4 +10\.88\.0\.[0-9]+/24, .*infinite" "$impl: status text"
        ! printf "%s\n" "$NH_OUT" | grep -q expired || nh_fail "$impl: status says an infinite lease expired: $NH_OUT"
        nh_expect_exit 0 "$NH" status "$NS" --json
        nh_assert_eq "$(printf '%s\n' "$NH_OUT" | jq -r '.namespaces[0].stage_facts.dhcp4.expires')" infinite "$impl: status --json"
        "$NH" down "$NS" >/dev/null 2>&1 || nh_fail "$impl: netns-helper down $NS failed"
        nh_no_leftovers "$NS"
done
d4_host_resolv_unchanged
