#!/bin/sh
# A stage's semantic error in one entry of a mapping or a list is reported
# at that entry's line and column, and names the entry, not the key's first
# line: nh_cfg_item_error().  Here the third "sysctl:" entry of a macvlan
# section (it was reported at the first), and the second item of its
# "dns:" list.
. "$NH_SRCDIR/tests/lib.sh"
nh_setup_tree
[ -x "$NH" ] || nh_skip "netns-helper is not built"
[ -f "$NH_BUILDDIR/plugins/macvlan/.libs/macvlan.so" ] || nh_skip "plugin macvlan.so is not built"

NS=nht${NH_ID}i
FILE="$NH_NSCONF/$NS.yaml"
cat >"$FILE" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: lo
  sysctl:
    net.ipv6.conf.all.forwarding: 1
    net.ipv4.ip_forward: 1
    kernel.panic: 1
EOF2
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$FILE:7:5: macvlan\.sysctl\[kernel\.panic\]: .*kernel\.panic" "the error points at the third sysctl entry (line 7, column 5)"
! printf '%s\n' "$NH_ERR" | grep -q "$FILE:[45]:" || nh_fail "the error points at the key or its first entry: $NH_ERR"

cat >"$FILE" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: lo
  dns:
    - 192.0.2.53
    - not-an-address
EOF2
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$FILE:6:7: macvlan\.dns\[1\]: .*not-an-address" "the error points at the second dns item (line 6, column 7)"
