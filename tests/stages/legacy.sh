#!/bin/sh
# The original tool's ns/NAME-macvlan.conf gives the same namespace as the
# equivalent YAML: link, MAC, addresses, gateways, use_tempaddr.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS g
IF="nm_$NS"
cat >"$NH_NSCONF/$NS-macvlan.conf" <<EOF2
# written for the original netns-helper
MAC="02:5e:50:00:00:01"
PARENT_IF=$PARENT
IPADDR4='192.0.2.70/24'
DEFAULT_GATEWAY4=192.0.2.1
IPADDR6=2001:db8:70::7/64
DEFAULT_GATEWAY6="2001:db8:70::1"
PRIVACY_EXT=2
EOF2

nh_expect_exit 0 "$NH" validate "$NS"
for how in stages up; do
        if [ $how = stages ]; then
                st_up_stages "$NS" netns macvlan postup
        else
                "$NH" up "$NS" || nh_fail "up with a legacy file failed"
        fi
        st_assert_macvlan "$NS" "$IF" 02:5e:50:00:00:01 bridge
        st_assert_addr "$NS" "$IF" 192.0.2.70/24
        st_assert_addr "$NS" "$IF" 2001:db8:70::7/64
        st_assert_default "$NS" 4 192.0.2.1 "$IF"
        st_assert_default "$NS" 6 2001:db8:70::1 "$IF"
        nh_assert_eq "$(st_sysctl "$NS" "net.ipv6.conf.$IF.use_tempaddr")" 2 "use_tempaddr"
        nh_expect_exit 0 "$NH" check "$NS"
        if [ $how = stages ]; then
                st_down_stages "$NS" postup macvlan netns
        else
                "$NH" down "$NS" || nh_fail "down failed"
        fi
        st_nothing_left "$NS" "$IF"
done

# A bad value is reported with the .conf file and its line.
cat >>"$NH_NSCONF/$NS-macvlan.conf" <<EOF2
PRIVACY_EXT=5
EOF2
nh_expect_exit 3 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "$NS-macvlan.conf:9" "the error names the file and line"
nh_assert_match "$NH_ERR" "PRIVACY_EXT|privacy-ext" "the error names the key"
st_nothing_left "$NS" "$IF"
exit 0
