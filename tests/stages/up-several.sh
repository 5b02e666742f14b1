#!/bin/sh
# "netns-helper up A B" where B fails: A stays up, B is undone, the exit
# status is 1, and one line says which namespaces are up and which failed
# (and how to take the others down), instead of leaving the last error to
# suggest that nothing is up.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns A a
st_ns B b
for n in "$A" "$B"; do
        st_conf "$n" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.10/24
EOF2
done
st_hook "$NH_NSCONF/$B-macvlan-preup" 'echo "pre-up refuses" >&2; exit 1'

nh_expect_exit 1 "$NH" up "$A" "$B"
nh_assert_match "$NH_ERR" "Not every namespace came up: up: $A; failed and undone \\(or not tried\\): $B" "the summary of up A B"
nh_assert_match "$NH_ERR" "netns-helper down $A" "the summary says how to take A down"
[ -e "/run/netns/$A" ] || nh_fail "$A is not up"
[ ! -e "/run/netns/$B" ] || nh_fail "$B was not undone"
nh_expect_exit 0 "$NH" down "$A"
nh_no_leftovers "$A" "$B"
