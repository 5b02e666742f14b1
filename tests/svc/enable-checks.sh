#!/bin/sh
# "netns-helper enable NS" checks the whole configuration first, as
# "validate" does: when it is bad it prints the errors (file, line, key),
# exits 3 and writes nothing, so that no target is started whose stages
# must fail.  The stages it links are requirements of the target
# (.requires), so that a stage that fails makes the target fail.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

ns=nht${NH_ID}c
f="$NH_NSCONF/$ns.yaml"

# A bad value in a stage's section (only the plugin's validate finds it).
printf 'stages: [netns, macvlan, postup]\nmacvlan:\n  parent: lo\n  mac: "zz"\n' > "$f"
nh_expect_exit 3 "$NHS" enable "$ns" --now
nh_assert_match "$NH_ERR" "$f:4:[0-9]+: macvlan.mac: 'zz' is not a MAC address" "the error names file, line and key"
nh_assert_match "$NH_ERR" "[Nn]othing written" "enable says it wrote nothing"
nh_assert_eq "$(sd_tree)" "" "the systemd directory after enable of a bad file"
[ -s "$SCTL_LOG" ] && nh_fail "enable of a bad file ran systemctl: $(cat "$SCTL_LOG")"

# An unknown section, and a parent that does not exist.
printf 'stages: [netns, macvlan]\nmacvlan: {parent: lo}\nmacvaln: {}\n' > "$f"
nh_expect_exit 3 "$NHS" enable "$ns"
nh_assert_match "$NH_ERR" "macvaln" "the error names the unknown section"
printf 'stages: [netns, macvlan]\nmacvlan: {parent: nosuch%s}\n' "$NH_ID" > "$f"
nh_expect_exit 3 "$NHS" enable "$ns"
nh_assert_match "$NH_ERR" "nosuch$NH_ID does not exist" "the error names the missing parent"
nh_assert_eq "$(sd_tree)" "" "the systemd directory after enable of bad files"

# A good file: the stages become requirements of the target.
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo}\n' > "$f"
nh_expect_exit 0 "$NHS" enable "$ns"
R="./netns-helper@$ns.target.requires" U="$NETNS_HELPER_UNITDIR"
nh_assert_eq "$(sd_tree)" "./multi-user.target.wants
./multi-user.target.wants/netns-helper@$ns.target -> $U/netns-helper@.target
$R
$R/netns-helper-macvlan@$ns.service -> $U/netns-helper-macvlan@.service
$R/netns-helper-postup@$ns.service -> $U/netns-helper-postup@.service
$R/netns-helper@$ns.service -> $U/netns-helper@.service" "links after enable of a good file"

# The file breaks afterwards: enable refuses and leaves the links alone.
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo, mtu: -5}\n' > "$f"
before=$(sd_tree)
nh_expect_exit 3 "$NHS" enable "$ns" --now
nh_assert_eq "$(sd_tree)" "$before" "links after enable of a file broken later"
[ -s "$SCTL_LOG" ] && nh_fail "enable of a broken file ran systemctl: $(cat "$SCTL_LOG")"
true
