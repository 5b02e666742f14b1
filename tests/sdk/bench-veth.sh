#!/bin/sh
# Costs of the veth stage, not run by "make check" (run it as root from the
# build tree: NH_BUILDDIR=. NH_SRCDIR=. sh tests/sdk/bench-veth.sh [N]).
#  1. netns-helper up/down of N namespaces with only the netns stage, and
#     with netns + veth (addresses on both ends, a default route): the
#     difference is what the veth stage costs per namespace.
#  2. iproute2: the pair made in one request with the peer born in the
#     namespace, against made on the host and then moved.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
N=${1:-50}
nh_setup_tree
now() { date +%s%N; }
ms() { echo "scale=2; ($2 - $1) / 1000000 / $N" | bc; }

names=""
i=0
while [ $i -lt $N ]; do
        n="nht$NH_ID$i"
        names="$names $n"
        nh_defer "ip netns delete '$n'"
        nh_defer "ip link delete 'nh$NH_ID${i}h'"
        i=$((i + 1))
done

run() {  # run LABEL: up then down of every namespace, one process each
        local t0 t1 t2 n
        t0=$(now)
        for n in $names; do "$NH" up "$n" >/dev/null 2>&1 || nh_fail "up $n failed"; done
        t1=$(now)
        for n in $names; do "$NH" down "$n" >/dev/null 2>&1 || nh_fail "down $n failed"; done
        t2=$(now)
        printf '%-34s up %6s ms  down %6s ms  per namespace (N=%d)\n' "$1" "$(ms "$t0" "$t1")" "$(ms "$t1" "$t2")" "$N"
}

i=0
for n in $names; do printf 'stages: [netns]\n' >"$NH_NSCONF/$n.yaml"; done
run "netns only"
i=0
for n in $names; do
        printf 'stages: [netns, veth]\nveth:\n  host-name: nh%s%sh\n  host-address4: 10.%d.%d.1/30\n  address4: 10.%d.%d.2/30\n  default-route: yes\n' \
                "$NH_ID" "$i" $((200 + i / 250)) $((i % 250)) $((200 + i / 250)) $((i % 250)) >"$NH_NSCONF/$n.yaml"
        i=$((i + 1))
done
run "netns + veth"

# iproute2, on namespaces made by ip netns
for n in $names; do ip netns add "$n"; done
i=0; t0=$(now)
for n in $names; do ip link add "nh$NH_ID${i}h" type veth peer name vh0 netns "$n"; i=$((i + 1)); done
t1=$(now)
i=0; for n in $names; do ip link delete "nh$NH_ID${i}h"; i=$((i + 1)); done
i=0; t2=$(now)
for n in $names; do ip link add "nh$NH_ID${i}h" type veth peer name "nh$NH_ID${i}p"; ip link set "nh$NH_ID${i}p" netns "$n"; i=$((i + 1)); done
t3=$(now)
i=0; for n in $names; do ip link delete "nh$NH_ID${i}h"; i=$((i + 1)); done
for n in $names; do ip netns delete "$n"; done
printf '%-34s %6s ms per pair (N=%d)\n' "ip: peer born in the namespace" "$(ms "$t0" "$t1")" "$N"
printf '%-34s %6s ms per pair (N=%d)\n' "ip: created on the host, moved" "$(ms "$t2" "$t3")" "$N"
