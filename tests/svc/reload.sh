#!/bin/sh
# One way to apply a changed file: "netns-helper reload NS" checks it as
# enable does (a bad file: exit 3, nothing written, nothing run), makes the
# links the configured stages, stops the stages that left the file and
# restarts the namespace's target, so that every stage starts from the file
# as it is now.  "enable --now", which leaves running stages alone, says
# when they run from an older file.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

ns=nht${NH_ID}r
f="$NH_NSCONF/$ns.yaml"
R="./netns-helper@$ns.target.requires"

printf 'stages: [netns, macvlan, dhcp4, postup]\nmacvlan: {parent: lo}\n' > "$f"
nh_expect_exit 0 "$NHS" enable "$ns" --now
: > "$SCTL_LOG"
# The stages came up (the engine's markers), then the file changed from
# DHCP to a static address.
mkdir -p "$NETNS_HELPER_RUNDIR/$ns/up"
for st in netns macvlan dhcp4 postup; do : > "$NETNS_HELPER_RUNDIR/$ns/up/$st"; done
touch -d '-1 minute' "$NETNS_HELPER_RUNDIR/$ns/up/"*
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo, address4: 192.0.2.10/24}\n' > "$f"

nh_expect_exit 0 "$NHS" enable "$ns" --now
nh_assert_match "$NH_ERR" "changed after stage .* started: \"netns-helper reload $ns\" applies it" "enable --now on a changed file"
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
stop netns-helper-dhcp@$ns.service
start netns-helper@$ns.target" "systemctl calls of enable --now"
: > "$SCTL_LOG"

# Broken: refused, nothing run.
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo, address4: 192.0.2.300/24}\n' > "$f"
before=$(sd_tree)
nh_expect_exit 3 "$NHS" reload "$ns"
nh_assert_match "$NH_ERR" "$f:2:.*macvlan.address4" "reload of a bad file names file, line and key"
nh_assert_eq "$(sd_tree)" "$before" "links after reload of a bad file"
[ -s "$SCTL_LOG" ] && nh_fail "reload of a bad file ran systemctl: $(cat "$SCTL_LOG")"

# Fixed, with dhcp4 back out of a re-enabled list: the target restarts.
printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: lo, address4: 192.0.2.10/24}\n' > "$f"
ln -s "$NETNS_HELPER_UNITDIR/netns-helper-dhcp@.service" "$SD/$R/netns-helper-dhcp@$ns.service"
nh_expect_exit 0 "$NHS" reload "$ns"
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
stop netns-helper-dhcp@$ns.service
restart netns-helper@$ns.target" "systemctl calls of reload"
[ ! -L "$SD/$R/netns-helper-dhcp@$ns.service" ] || nh_fail "reload kept the link of a stage that left the file"
nh_expect_exit 2 "$NHS" reload "$ns" extra
nh_expect_exit 2 "$NHS" reload "$ns" --now
