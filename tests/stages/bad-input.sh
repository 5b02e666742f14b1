#!/bin/sh
# Every bad input is refused before anything changes: exit 3, a message that
# names the file, the line and the key, and no namespace or link left.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS x
IF="nm_$NS"
FILE="$NH_NSCONF/$NS.yaml"

# bad KEY 'VALUE' [own]: a macvlan section with one bad line.  "own": a
# mistake only the macvlan plugin's validate() sees (it looks at the host
# or at what the value means), which the other stages do not run.
bad() {
        local key="$1" line="$2" own="${3:-}" cmd
        st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
$line
EOF2
        for cmd in "$NH up $NS" "$NH validate $NS"; do
                # shellcheck disable=SC2086
                nh_expect_exit 3 $cmd
                nh_assert_match "$NH_ERR" "$FILE:[0-9]+" "'$cmd' with '$line' names the file and line"
                nh_assert_match "$NH_ERR" "$key" "'$cmd' with '$line' names the key"
                st_nothing_left "$NS" "$IF"
        done
        # Stage by stage: every stage refuses a file that does not
        # validate, not only the stage whose section is wrong (issue 16).
        for cmd in start check; do
                [ -z "$own" ] || break
                nh_expect_exit 3 "$NH_RUN" netns "$NS" $cmd
                nh_assert_match "$NH_ERR" "$key" "netns-helper-run netns $cmd with '$line' names the key"
        done
        st_nothing_left "$NS" "$IF"
        "$NH_RUN" netns "$NS" stop || nh_fail "netns stop failed"
        # The namespace made from a good file, then the bad one again.
        cp "$FILE" "$NH_T/bad.yaml"
        printf 'stages: [netns]\n' >"$FILE"
        "$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
        mv "$NH_T/bad.yaml" "$FILE"
        nh_expect_exit 3 "$NH_RUN" macvlan "$NS" start
        nh_assert_match "$NH_ERR" "$key" "netns-helper-run macvlan with '$line' names the key"
        st_no_link "$IF" "$NS"
        "$NH_RUN" netns "$NS" stop || nh_fail "netns stop failed"
        st_nothing_left "$NS" "$IF"
}

# validate changes nothing, not even the parsed-tree cache.
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
EOF2
nh_expect_exit 0 "$NH" validate "$NS"
"$NH_RUN" macvlan "$NS" check >/dev/null 2>&1 || :   # (no namespace: a difference)
! ls "$NETNS_HELPER_CACHEDIR"/*.tree >/dev/null 2>&1 ||
        nh_fail "validate or check wrote into the cache: $(ls "$NETNS_HELPER_CACHEDIR")"

bad mac '  mac: 02:00:00:zz:00:01'
bad mac '  mac: 01:00:5e:00:00:01'          # multicast
bad mac '  mac: 00:00:00:00:00:00'          # all zero
bad mac "  mac: $PARENT_MAC" own            # the parent's own
bad paernt '  paernt: eth0'                 # unknown key
bad mode '  mode: bridged'
bad name '  name: abcdefghijklmnop'         # 16 bytes
bad address4 '  address4: 192.0.2.300/24'
bad address6 '  address6: 2001:db8::1/129'
bad gateway4 '  gateway4: 2001:db8::1'
bad privacy-ext '  privacy-ext: 3'
bad mtu '  mtu: 20'
bad sysctl '  sysctl: { kernel.panic: 1 }' own
bad sysctl '  sysctl: { net.ipv4../../x: 1 }' own
bad sysctl '  sysctl: { net/ipv4/../../kernel/panic: 1 }' own  # slash form, leaving net
bad sysctl '  sysctl: { net.ipv4.conf./.x: 1 }' own         # a "." part in dotted form

# Each file above was read by four processes, from the parsed-tree cache
# after the first (lib.sh turns it on), and each mistake was still found:
# the cache is keyed by the file's content, never by an older tree.
ls "$NETNS_HELPER_CACHEDIR"/*"-$NS.yaml.tree" >/dev/null 2>&1 ||
        nh_fail "no tree of $FILE in $NETNS_HELPER_CACHEDIR: the cache was not used"

# The parent: missing, nonexistent, overlong.
for p in '' '  parent: nhtnosuchif0' '  parent: abcdefghijklmnop'; do
        st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
$p
  address4: 192.0.2.30/24
EOF2
        nh_expect_exit 3 "$NH" up "$NS"
        nh_assert_match "$NH_ERR" "$FILE" "the error names the file"
        nh_assert_match "$NH_ERR" "parent" "the error names the key parent"
        st_nothing_left "$NS" "$IF"
done

# A request the kernel refuses, among the addresses and routes sent to it in
# one batch: IPv6 is disabled on the link (a sysctl applied before it comes
# up), so adding the IPv6 address fails.  Exit 1, a message naming the
# request, the address and the kernel's reason, and the link gone again.
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.31/24
  gateway4: 192.0.2.1
  address6: 2001:db8:31::31/64
  gateway6: 2001:db8:31::1
  sysctl:
    net.ipv6.conf.$IF.disable_ipv6: 1
EOF2
"$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
nh_expect_exit 1 "$NH_RUN" macvlan "$NS" start
nh_assert_match "$NH_ERR" "Failed to add address 2001:db8:31::31/64 to $IF inside namespace $NS: Permission denied" \
        "the refused request is named, with the kernel's reason"
st_no_link "$IF" "$NS"
[ ! -e "$NETNS_HELPER_RUNDIR/$NS/facts/interface" ] || nh_fail "the interface fact outlived the failed start"
[ ! -e "$NETNS_HELPER_RUNDIR/$NS/up/macvlan" ] || nh_fail "the failed macvlan stage is marked up"
"$NH_RUN" netns "$NS" stop || nh_fail "netns stop failed"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "Failed to add address 2001:db8:31::31/64" "up names the refused request too"
st_nothing_left "$NS" "$IF"

# Bad namespace names never reach a path or an interface name.
long=$(printf 'n%.0s' $(seq 65))
for n in "../x" "a b" "-x" "$long" "a/b" ".x" 'a;b' 'a$b'; do
        nh_expect_exit 3 "$NH_RUN" netns "$n" start
        [ -n "$NH_ERR" ] || nh_fail "no message for namespace name '$n'"
        nh_expect_exit 3 "$NH" up "$n"
        nh_expect_exit 3 "$NH_RUN" macvlan "$n" start
done
[ ! -e "/run/x" ] || nh_fail "../x escaped /run/netns"
[ ! -e "/run/netns/$long" ] || nh_fail "the 65-byte name made a namespace"
exit 0
