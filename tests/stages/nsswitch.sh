#!/bin/sh
# DNS that cannot leak, without systemd: when the host's nsswitch.conf uses
# "resolve" (a stand-in file here), starting the netns stage writes the
# namespace's nsswitch.conf without it, under "up" and stage by stage;
# "isolate-dns: no" writes none; a host file without "resolve" gives none;
# stopping the namespace removes it; the host's file is never written.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
nh_require_root
nh_require_cmd ip
[ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
[ -f "$NH_BUILDDIR/plugins/netns/.libs/netns.so" ] || nh_skip "plugin netns.so is not built"
nh_setup_tree
export NETNS_HELPER_HOST_NSSWITCH="$NH_T/host-nsswitch.conf"
printf 'passwd: files systemd\nhosts: files mymachines resolve [!UNAVAIL=return] dns myhostname\n' >"$NETNS_HELPER_HOST_NSSWITCH"
HOST_SUM=$(cksum <"$NETNS_HELPER_HOST_NSSWITCH")

st_ns A a
st_conf "$A" <<EOF2
stages: [netns]
EOF2
"$NH" up "$A" || nh_fail "up $A failed"
NSS="$NETNS_HELPER_ETC_NETNS/$A/nsswitch.conf"
[ -f "$NSS" ] || nh_fail "up wrote no $NSS"
nh_assert_eq "$(grep '^hosts:' "$NSS")" "hosts: files mymachines dns myhostname" "the hosts line of $NSS"
grep -qx 'passwd: files systemd' "$NSS" || nh_fail "$NSS lost the other lines: $(cat "$NSS")"
"$NH" down "$A" || nh_fail "down $A failed"
[ ! -e "$NSS" ] || nh_fail "$NSS is still there after down"

# Stage by stage, as the units run it; the opt-out key.
"$NH_RUN" netns "$A" start || nh_fail "netns-helper-run netns $A start failed"
[ -f "$NSS" ] || nh_fail "netns-helper-run netns start wrote no $NSS"
"$NH_RUN" netns "$A" stop || nh_fail "netns-helper-run netns $A stop failed"
[ ! -e "$NSS" ] || nh_fail "$NSS is still there after the netns stage stopped"
st_conf "$A" <<EOF2
stages: [netns]
netns:
  isolate-dns: no
EOF2
"$NH" up "$A" || nh_fail "up $A with isolate-dns: no failed"
[ ! -e "$NSS" ] || nh_fail "isolate-dns: no still wrote $NSS"
"$NH" down "$A" || nh_fail "down $A failed"
st_conf "$A" <<EOF2
netns:
  isolate-dns: maybe
EOF2
nh_expect_exit 3 "$NH" validate "$A"
nh_assert_match "$NH_ERR" "isolate-dns" "the error names the key"

nh_assert_eq "$(cksum <"$NETNS_HELPER_HOST_NSSWITCH")" "$HOST_SUM" "the host's nsswitch.conf changed"

# A host without resolve: nothing to replace, no file.
printf 'hosts: files dns\n' >"$NETNS_HELPER_HOST_NSSWITCH"
HOST_SUM=$(cksum <"$NETNS_HELPER_HOST_NSSWITCH")
st_conf "$A" <<EOF2
stages: [netns]
EOF2
"$NH" up "$A" || nh_fail "up $A failed"
[ ! -e "$NSS" ] || nh_fail "$NSS was written although the host's does not use resolve"
"$NH" down "$A" || nh_fail "down $A failed"
nh_assert_eq "$(cksum <"$NETNS_HELPER_HOST_NSSWITCH")" "$HOST_SUM" "the host's nsswitch.conf changed"
nh_no_leftovers "$A"
exit 0
