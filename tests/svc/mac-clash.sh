#!/bin/sh
# A MAC that two namespaces share is found by "validate" (and so by
# "enable"), not only when the second one's macvlan fails to come up:
# another namespace's file with the same MAC, or a namespace that is up
# with it, is named, with its file and line.  Exit 3, nothing written.
# Another file's own mistakes are not reported in this one's validate.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

a=nht${NH_ID}a b=nht${NH_ID}b c=nht${NH_ID}c d=nht${NH_ID}d e=nht${NH_ID}e
printf 'stages: [netns, macvlan]\nmacvlan:\n  parent: lo\n  mac: "02:4e:48:00:aa:01"\n' > "$NH_NSCONF/$a.yaml"
printf 'MAC=02:4E:48:00:AA:01\nPARENT_IF=lo\n' > "$NH_NSCONF/$b-macvlan.conf"
printf 'stages: [netns, macvlan]\nmacvlan: {parent: lo, mac: [broken\n' > "$NH_NSCONF/$e.yaml"

nh_expect_exit 3 "$NH" validate "$a"
nh_assert_match "$NH_ERR" "$a.yaml:4:[0-9]+: macvlan.mac: 02:4e:48:00:aa:01 is also the mac of namespace $b \\($NH_NSCONF/$b-macvlan.conf:1\\)" \
        "validate names the other file with the same MAC"
case "$NH_ERR" in *"$e.yaml"*) nh_fail "validate of $a reports $e's file: $NH_ERR" ;; esac
nh_expect_exit 3 "$NH" validate "$b"
nh_assert_match "$NH_ERR" "is also the mac of namespace $a \\($NH_NSCONF/$a.yaml:4\\)" "and the other way round"

# A namespace that is up holds the MAC (its facts), whatever its file says now.
printf 'stages: [netns, macvlan]\nmacvlan: {parent: lo, mac: "02:4e:48:00:aa:02"}\n' > "$NH_NSCONF/$c.yaml"
mkdir -p "$NETNS_HELPER_RUNDIR/$d/facts"
printf 'nm_%s\n' "$d" > "$NETNS_HELPER_RUNDIR/$d/facts/interface"
printf '02:4e:48:00:aa:02\n' > "$NETNS_HELPER_RUNDIR/$d/facts/mac"
nh_expect_exit 3 "$NH" validate "$c"
nh_assert_match "$NH_ERR" "macvlan.mac: 02:4e:48:00:aa:02 is in use by namespace $d, which is up" "validate names the running holder"
nh_expect_exit 3 "$NHS" enable "$c" --now
nh_assert_eq "$(sd_tree)" "" "the systemd directory after enable of a clashing MAC"

# Its own MAC, and a namespace's own facts: no clash.
printf 'stages: [netns, macvlan]\nmacvlan: {parent: lo, mac: "02:4e:48:00:aa:03"}\n' > "$NH_NSCONF/$c.yaml"
mkdir -p "$NETNS_HELPER_RUNDIR/$c/facts"
printf '02:4e:48:00:aa:03\n' > "$NETNS_HELPER_RUNDIR/$c/facts/mac"
nh_expect_exit 0 "$NH" validate "$c"
