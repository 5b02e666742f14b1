#!/bin/sh
# A namespace with static addresses gets a DNS setting of its own:
# "dns:" and "search:" in the macvlan section are written into
# /etc/netns/NAME/resolv.conf as the DHCP stages write theirs, and taken
# away with the stage.  A bad entry is a configuration error naming file,
# line and key.  A resolv.conf the administrator wrote there is kept: never
# replaced, never deleted (the README's promise).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS d
RC="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.10/24
  dns: [192.0.2.53, "2001:db8::53"]
  search: [example.org, lan.example.org]
EOF2
nh_expect_exit 0 "$NH" validate "$NS"
nh_expect_exit 0 "$NH" up "$NS"
[ -f "$RC" ] || nh_fail "no $RC for a static namespace with dns:"
nh_assert_eq "$(grep -v '^#' "$RC")" "nameserver 192.0.2.53
nameserver 2001:db8::53
search example.org lan.example.org" "$RC"
nh_expect_exit 0 "$NH" down "$NS"
[ ! -e "$RC" ] || nh_fail "$RC is still there after down"

# Bad entries: exit 3, file, line and key.
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  dns: [192.0.2.300]
EOF2
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$NS.yaml:4:[0-9]+: macvlan.dns\[0\]: \"192.0.2.300\" is not an IPv4 or IPv6 address" "a bad name server"
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  search: ["bad domain"]
EOF2
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "macvlan.search\[[0-9]+\]: \"bad domain\" is not a domain name" "a bad search domain"

# The administrator's own resolv.conf: kept while the stage runs, and
# after it stops.
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.10/24
  dns: [192.0.2.53]
EOF2
mkdir -p "$NETNS_HELPER_ETC_NETNS/$NS"
printf 'nameserver 198.51.100.1 # mine\n' > "$RC"
nh_expect_exit 0 "$NH" up "$NS"
nh_assert_eq "$(cat "$RC")" "nameserver 198.51.100.1 # mine" "the administrator's resolv.conf while up"
nh_assert_match "$NH_ERR" "$RC.*not written by netns-helper" "up says why it leaves the file alone"
nh_expect_exit 0 "$NH" down "$NS"
nh_assert_eq "$(cat "$RC" 2>/dev/null)" "nameserver 198.51.100.1 # mine" "the administrator's resolv.conf after down"
