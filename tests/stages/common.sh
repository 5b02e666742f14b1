# Helpers shared by the tests of the netns, macvlan and postup stages.
# Sourced after tests/lib.sh.

# st_setup: root, tools, a private tree and a veth parent ($PARENT).
st_setup() {
        nh_require_root
        nh_require_cmd ip jq
        [ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
        for p in netns macvlan postup; do
                [ -f "$NH_BUILDDIR/plugins/$p/.libs/$p.so" ] || nh_skip "plugin $p.so is not built"
        done
        nh_setup_tree
        # Not through $(nh_veth_parent): a handler registered with nh_defer
        # inside a command substitution dies with that subshell.
        PARENT="nh${NH_ID}ap"
        ip link add "$PARENT" type veth peer name "nh${NH_ID}aq" || nh_fail "cannot create veth pair $PARENT"
        nh_defer "ip link delete '$PARENT'"
        ip link set "$PARENT" up && ip link set "nh${NH_ID}aq" up || nh_fail "cannot set $PARENT up"
        PARENT_MAC=$(cat "/sys/class/net/$PARENT/address")
}

# st_ns VAR SUFFIX: VAR=nht<ID><SUFFIX>, a namespace removed at exit (in
# this shell, unlike VAR=$(nh_ns SUFFIX)).
st_ns() {
        eval "$1=nht\$NH_ID\$2"
        nh_defer "ip netns delete 'nht$NH_ID$2'"
}

# st_conf NS: the namespace's YAML from stdin.
st_conf() { cat >"$NH_NSCONF/$1.yaml"; }

# st_hook FILE BODY: an executable hook owned by root, mode 0755.
st_hook() {
        printf '#!/bin/sh\n%s\n' "$2" >"$1"
        chmod 0755 "$1"
}

# st_link NS IFNAME: ip -d -j link of one link inside NS (a JSON object).
st_link() { ip -n "$1" -d -j link show dev "$2" | jq -c '.[0]'; }

# st_up_stages NS STAGE...: netns-helper-run STAGE NS start, one by one.
st_up_stages() {
        local ns="$1" s
        shift
        for s in "$@"; do
                "$NH_RUN" "$s" "$ns" start || nh_fail "netns-helper-run $s $ns start failed"
        done
}

# st_down_stages NS STAGE...: stop in the order given.
st_down_stages() {
        local ns="$1" s
        shift
        for s in "$@"; do
                "$NH_RUN" "$s" "$ns" stop || nh_fail "netns-helper-run $s $ns stop failed"
        done
}

# st_no_link IFNAME [NS]: the link exists neither on the host nor in NS.
st_no_link() {
        ! ip link show dev "$1" >/dev/null 2>&1 || nh_fail "link $1 is present on the host"
        if [ -n "${2:-}" ] && [ -e "/run/netns/$2" ]; then
                ! ip -n "$2" link show dev "$1" >/dev/null 2>&1 || nh_fail "link $1 is still present in $2"
        fi
}

# st_nothing_left NS IFNAME: no namespace, mount or link.
st_nothing_left() {
        nh_no_leftovers "$1"
        st_no_link "$2" "$1"
        ! ip netns list | grep -qw -- "$1" || nh_fail "ip netns list still shows $1"
}

# st_assert_macvlan NS IFNAME MAC MODE: the link is a macvlan in MODE with
# MAC, up, on $PARENT.
st_assert_macvlan() {
        local j
        j=$(st_link "$1" "$2") || nh_fail "no link $2 in namespace $1"
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.linkinfo.info_kind')" macvlan "kind of $2"
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.linkinfo.info_data.mode')" "$4" "macvlan mode of $2"
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.address')" "$3" "MAC of $2"
        nh_assert_match "$(printf '%s' "$j" | jq -r '.flags | join(",")')" '(^|,)UP(,|$)' "flags of $2"
        # The parent's ifindex in the host namespace.
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.link_index')" "$(cat "/sys/class/net/$PARENT/ifindex")" "parent of $2"
}

# st_assert_addr NS IFNAME ADDR/PREFIX
st_assert_addr() {
        local a="${3%/*}" p="${3#*/}"
        ip -n "$1" -j addr show dev "$2" |
                jq -e --arg a "$a" --argjson p "$p" '.[0].addr_info[] | select(.local == $a and .prefixlen == $p)' >/dev/null ||
                nh_fail "address $3 is not on $2 in $1: $(ip -n "$1" -br addr show dev "$2")"
}

# st_assert_default NS FAMILY(4|6) GATEWAY IFNAME: default route, onlink.
st_assert_default() {
        ip -n "$1" -"$2" -j route show default |
                jq -e --arg g "$3" --arg d "$4" '.[] | select(.gateway == $g and .dev == $d and ((.flags // []) | index("onlink")))' >/dev/null ||
                nh_fail "no onlink default route via $3 dev $4 in $1: $(ip -n "$1" -"$2" route show default)"
}

# st_sysctl NS KEY: the value inside NS (read through /proc/sys after setns).
st_sysctl() { ip netns exec "$1" cat "/proc/sys/$(printf '%s' "$2" | tr . /)"; }
