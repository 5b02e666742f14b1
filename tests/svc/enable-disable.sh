#!/bin/sh
# "netns-helper enable" links the units of the namespace's stages into
# netns-helper@NS.target and the target into multi-user.target, the links
# "systemctl enable" would write; without stages named it makes them exactly
# the configured ones.  "disable" removes them.  start/stop/restart call
# systemctl on the target.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

ns=nht${NH_ID}e
U="$NETNS_HELPER_UNITDIR"
W="./netns-helper@$ns.target.requires"

printf 'stages: [netns, macvlan, dhcp4, dhcp6, postup]\nmacvlan: {parent: lo}\n' > "$NH_NSCONF/$ns.yaml"
nh_expect_exit 0 "$NHS" enable "$ns"
nh_assert_eq "$(sd_tree)" "./multi-user.target.wants
./multi-user.target.wants/netns-helper@$ns.target -> $U/netns-helper@.target
$W
$W/netns-helper-dhcp6@$ns.service -> $U/netns-helper-dhcp6@.service
$W/netns-helper-dhcp@$ns.service -> $U/netns-helper-dhcp@.service
$W/netns-helper-macvlan@$ns.service -> $U/netns-helper-macvlan@.service
$W/netns-helper-postup@$ns.service -> $U/netns-helper-postup@.service
$W/netns-helper@$ns.service -> $U/netns-helper@.service" "links after enable"
[ -s "$SCTL_LOG" ] && nh_fail "enable without --now ran systemctl: $(cat "$SCTL_LOG")"

# Idempotent.
nh_expect_exit 0 "$NHS" enable "$ns"

# The configuration drops dhcp6: enable follows it, --now stops the unit.
printf 'stages: [netns, macvlan, dhcp4, postup]\nmacvlan: {parent: lo}\n' > "$NH_NSCONF/$ns.yaml"
nh_expect_exit 0 "$NHS" enable "$ns" --now
[ ! -e "$SD/$W/netns-helper-dhcp6@$ns.service" ] && [ ! -L "$SD/$W/netns-helper-dhcp6@$ns.service" ] ||
        nh_fail "enable kept dhcp6 after it left the configuration"
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
stop netns-helper-dhcp6@$ns.service
start netns-helper@$ns.target" "systemctl calls of enable --now"
: > "$SCTL_LOG"

# Named stages are added to what is there; a local template in the
# systemd directory wins over the installed one.
printf '[Service]\n' > "$SD/netns-helper-wg@.service"
nh_expect_exit 0 "$NHS" enable "$ns" wg dhcp6
nh_assert_eq "$(readlink "$SD/$W/netns-helper-wg@$ns.service")" "$SD/netns-helper-wg@.service" "link of a local stage unit"
[ -L "$SD/$W/netns-helper-dhcp6@$ns.service" ] || nh_fail "enable NS dhcp6 did not link dhcp6"
[ -L "$SD/$W/netns-helper-macvlan@$ns.service" ] || nh_fail "enable NS STAGE removed other stages"
# A stage without any unit file: linked, with a warning that says what to do.
nh_expect_exit 0 "$NHS" enable "$ns" nounit
nh_assert_match "$NH_ERR" "No unit netns-helper-nounit@.service" "warning for a stage without a unit"

# disable of stages removes those links (in multi-user.target.wants too,
# where "systemctl enable netns-helper-wg@NS.service" would put one).
ln -s "$SD/netns-helper-wg@.service" "$SD/multi-user.target.wants/netns-helper-wg@$ns.service"
nh_expect_exit 0 "$NHS" disable "$ns" wg nounit --now
[ ! -L "$SD/$W/netns-helper-wg@$ns.service" ] || nh_fail "disable left the wg link"
[ ! -L "$SD/multi-user.target.wants/netns-helper-wg@$ns.service" ] || nh_fail "disable left the wg link in multi-user.target.wants"
[ -L "$SD/$W/netns-helper-dhcp6@$ns.service" ] || nh_fail "disable of wg removed dhcp6"
# Units left failed would keep the system "degraded": reset-failed.
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
stop netns-helper-wg@$ns.service netns-helper-nounit@$ns.service
reset-failed netns-helper-wg@$ns.service netns-helper-nounit@$ns.service" "systemctl calls of disable STAGE --now"
: > "$SCTL_LOG"
rm "$SD/netns-helper-wg@.service"

# disable of the namespace removes every link of it and nothing else;
# units of the original's "systemctl enable" style go too.
ln -s "$U/netns-helper-macvlan@.service" "$SD/multi-user.target.wants/netns-helper-macvlan@$ns.service"
ln -s /dev/null "$SD/multi-user.target.wants/other.service"
ln -s "$U/netns-helper-macvlan@.service" "$SD/multi-user.target.wants/netns-helper-macvlan@${ns}x.service"
nh_expect_exit 0 "$NHS" disable "$ns" --now
nh_assert_eq "$(sd_tree)" "./multi-user.target.wants
./multi-user.target.wants/netns-helper-macvlan@${ns}x.service -> $U/netns-helper-macvlan@.service
./multi-user.target.wants/other.service -> /dev/null" "links after disable"
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
stop netns-helper@$ns.target netns-helper@$ns.service
reset-failed netns-helper@$ns.target netns-helper*@$ns.service" "systemctl calls of disable --now"
rm -r "$SD/multi-user.target.wants"
: > "$SCTL_LOG"

# The legacy configuration enables the original's units.
rm "$NH_NSCONF/$ns.yaml"
printf 'MAC=02:00:00:00:00:01\nPARENT_IF=lo\n' > "$NH_NSCONF/$ns-macvlan.conf"
nh_expect_exit 0 "$NHS" enable "$ns"
for u in "netns-helper@$ns.service" "netns-helper-macvlan@$ns.service" \
         "netns-helper-dhcp@$ns.service" "netns-helper-postup@$ns.service"; do
        [ -L "$SD/$W/$u" ] || nh_fail "legacy config: $u not linked"
done
nh_expect_exit 0 "$NHS" disable "$ns"
nh_assert_eq "$(sd_tree)" "./multi-user.target.wants" "links after disable of a legacy namespace"
rmdir "$SD/multi-user.target.wants"
rm "$NH_NSCONF/$ns-macvlan.conf"

# Without configuration and without stages: a configuration error.
nh_expect_exit 3 "$NHS" enable "$ns"
nh_assert_match "$NH_ERR" "no configuration" "enable without configuration"
# Bad names: exit 3, nothing written.
for bad in "../x" "a/b" "a b"; do
        nh_expect_exit 3 "$NHS" enable "$bad" netns
        nh_expect_exit 3 "$NHS" disable "$bad"
        nh_expect_exit 3 "$NHS" enable "$ns" "$bad"
        nh_expect_exit 3 "$NHS" disable "$ns" "$bad"
        nh_expect_exit 3 "$NHS" start "$bad"
        nh_expect_exit 3 "$NHS" status "$bad"
done
nh_assert_eq "$(sd_tree)" "" "the systemd directory after bad names"
[ -s "$SCTL_LOG" ] && nh_fail "bad names ran systemctl: $(cat "$SCTL_LOG")"

# start/stop/restart.
nh_expect_exit 0 "$NHS" start "$ns"
nh_expect_exit 0 "$NHS" restart "$ns"
nh_expect_exit 0 "$NHS" stop "$ns"
nh_assert_eq "$(cat "$SCTL_LOG")" "start netns-helper@$ns.target
restart netns-helper@$ns.target
stop netns-helper@$ns.target netns-helper@$ns.service" "systemctl calls of start/restart/stop"
nh_expect_exit 2 "$NHS" start
nh_expect_exit 2 "$NHS" stop "$ns" extra
nh_expect_exit 0 "$NHS" restart --help
nh_assert_match "$NH_OUT" "Usage: netns-helper restart NAMESPACE" "restart --help"
