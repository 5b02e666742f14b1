#!/bin/sh
# Driven as the units drive it (netns-helper-run, one stage at a time): when
# the macvlan stage's start failed, no stage after it starts.  The veth must
# not become "the interface" and the DHCP clients must not run on it
# towards the host; they say which stage failed and exit 7, a code the
# units do not restart on.  Once the macvlan stage starts again, the
# others start too, and the interface is the macvlan.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_setup_tree

NS=$(nh_ns f)
PARENT=$(nh_veth_parent f)
HOSTVETH="nh${NH_ID}fv"
nh_defer "ip link delete '$HOSTVETH'"
cat > "$NH_NSCONF/$NS.yaml" <<EOF2
stages: [netns, macvlan, veth, dhcp4, dhcp6, postup]
macvlan:
  parent: $PARENT
veth:
  host-name: $HOSTVETH
  address4: 10.250.0.2/30
  host-address4: 10.250.0.1/30
dhcp4:
  timeout: 2
dhcp6:
  timeout: 2
EOF2
# The macvlan fails after its checks passed, as a MAC in use would.
printf '#!/bin/sh\necho "pre-up refuses" >&2\nexit 1\n' > "$NH_NSCONF/$NS-macvlan-preup"
chmod 755 "$NH_NSCONF/$NS-macvlan-preup"
FACTS="$NETNS_HELPER_RUNDIR/$NS/facts"
nh_defer "'$NH_RUN' netns '$NS' stop"

nh_expect_exit 0 "$NH_RUN" netns "$NS" start
nh_expect_exit 1 "$NH_RUN" macvlan "$NS" start
nh_expect_exit 7 "$NH_RUN" veth "$NS" start
nh_assert_match "$NH_ERR" "not starting: stage macvlan of namespace $NS failed.*netns-helper-macvlan@$NS.service" \
        "veth names the failed stage"
! ip link show "$HOSTVETH" >/dev/null 2>&1 || nh_fail "the veth was made although the macvlan failed"
[ ! -e "$FACTS/interface" ] || nh_fail "'$(cat "$FACTS/interface")' became the interface although the macvlan failed"
for st in dhcp4 dhcp6; do
        nh_expect_exit 7 "$NH_RUN" "$st" "$NS" start
        nh_assert_match "$NH_ERR" "$st\\[$NS\\]: not starting: stage macvlan of namespace $NS failed" "$st names the failed stage"
        case "$NH_ERR" in *"start the macvlan stage first"*) nh_fail "$st gives the wrong hint: $NH_ERR" ;; esac
done

# Fixed: the macvlan starts, then the veth, and the macvlan is the interface.
rm "$NH_NSCONF/$NS-macvlan-preup"
nh_expect_exit 0 "$NH_RUN" macvlan "$NS" start
nh_expect_exit 0 "$NH_RUN" veth "$NS" start
nh_assert_eq "$(cat "$FACTS/interface")" "nm_$NS" "the interface once the macvlan is up"
ip link show "$HOSTVETH" >/dev/null 2>&1 || nh_fail "no host end $HOSTVETH after the veth started"
nh_expect_exit 0 "$NH_RUN" veth "$NS" stop
nh_expect_exit 0 "$NH_RUN" macvlan "$NS" stop
nh_expect_exit 0 "$NH_RUN" netns "$NS" stop
nh_no_leftovers "$NS"
