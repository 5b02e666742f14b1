#!/bin/sh
# "netns-helper add NS SERVICE" refuses a namespace netns-helper does not
# know (no configuration file, not enabled) with exit 3 and writes nothing:
# the service would run in an empty namespace with only "lo".  Moving a
# service from one namespace to another is said, naming both.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

a=nht${NH_ID}a b=nht${NH_ID}b c=nht${NH_ID}c
f="$SD/mydaemon.service.d/netns-helper.conf"

nh_expect_exit 3 "$NHS" add nosuch$NH_ID mydaemon --now
nh_assert_match "$NH_ERR" "[Nn]amespace nosuch$NH_ID has no configuration" "add into an unknown namespace"
nh_assert_eq "$(sd_tree)" "" "the systemd directory after add into an unknown namespace"
[ -s "$SCTL_LOG" ] && nh_fail "add into an unknown namespace ran systemctl: $(cat "$SCTL_LOG")"

printf 'stages: [netns]\n' > "$NH_NSCONF/$a.yaml"
printf 'MAC=02:00:00:00:00:0b\nPARENT_IF=lo\n' > "$NH_NSCONF/$b-macvlan.conf"
nh_expect_exit 0 "$NHS" add "$a" mydaemon
nh_assert_match "$(cat "$f")" "^NetworkNamespacePath=/run/netns/$a\$" "drop-in after add $a"
case "$NH_ERR" in *Moving*) nh_fail "a first add says it moves the service: $NH_ERR" ;; esac

# An existing drop-in that puts the service into another namespace: said.
nh_expect_exit 0 "$NHS" add "$b" mydaemon
nh_assert_match "$NH_ERR" "Moving mydaemon.service from network namespace $a to $b" "add into another namespace"
nh_assert_match "$(cat "$f")" "^NetworkNamespacePath=/run/netns/$b\$" "drop-in after the move"
# The old namespace no longer starts it, the new one does.
[ ! -e "$SD/netns-helper@$a.target.d" ] || nh_fail "the move left $a's target drop-in: $(ls "$SD/netns-helper@$a.target.d")"
[ -f "$SD/netns-helper@$b.target.d/mydaemon.service.conf" ] || nh_fail "no target drop-in for $b after the move"

# The move into an unknown namespace is refused and keeps the old drop-in.
nh_expect_exit 3 "$NHS" add "$c" mydaemon
nh_assert_match "$(cat "$f")" "^NetworkNamespacePath=/run/netns/$b\$" "drop-in after a refused move"

# A namespace enabled without a file (the original README's way) is known.
mkdir -p "$SD/multi-user.target.wants"
ln -s "$NETNS_HELPER_UNITDIR/netns-helper@.service" "$SD/multi-user.target.wants/netns-helper@$c.service"
nh_expect_exit 0 "$NHS" add "$c" mydaemon
nh_assert_match "$(cat "$f")" "^NetworkNamespacePath=/run/netns/$c\$" "drop-in after add into an enabled namespace"
nh_expect_exit 0 "$NHS" remove mydaemon
nh_assert_eq "$(sd_tree | grep -v multi-user)" "" "the systemd directory after remove"
