#!/bin/sh
# The bash completion offers the subcommands, the configured namespaces
# (YAML and legacy), stages, services added to a namespace, and the options
# of each command.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"
nh_require_cmd bash

ns=nht${NH_ID}c
: > "$NH_NSCONF/$ns.yaml"
printf 'PARENT_IF=x\n' > "$NH_NSCONF/${ns}old-macvlan.conf"
: > "$NH_NSCONF/${ns}old-postup"
mkdir -p "$SD/web.service.d"
: > "$SD/web.service.d/netns-helper.conf"
mkdir -p "$SD/other.service.d"

# complete LINE: what the completion offers for the last word of LINE
# (a trailing space means a new, empty word), one per line, sorted.
complete_line() {
        PATH="$NH_BUILDDIR:$PATH" bash -c '
                . "$1"
                line=$2
                read -ra COMP_WORDS <<< "$line"
                [ "${line% }" != "$line" ] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                f=$(complete -p "${COMP_WORDS[0]}" | sed "s/.*-F \([^ ]*\) .*/\1/")
                "$f"
                printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' _ \
                "$NH_SRCDIR/conf/bash-completion/netns-helper" "$1"
}

nh_assert_eq "$(complete_line 'netns-helper st')" "start
status
stop" "subcommands"
nh_assert_eq "$(complete_line 'netns-helper start ')" "$ns
${ns}old" "namespaces"
nh_assert_eq "$(complete_line 'netns-helper start x ')" "" "start takes one namespace"
nh_assert_eq "$(complete_line 'netns-helper leak')" "leaktest" "leaktest"
nh_assert_eq "$(complete_line 'netns-helper leaktest x ')" "" "leaktest takes one namespace"
nh_assert_match "$(complete_line 'netns-helper enable x ')" "^dhcp6$" "stages"
nh_assert_match "$(complete_line 'netns-helper enable x ')" "^macvlan$" "stages"
nh_assert_eq "$(complete_line 'netns-helper remove ')" "web.service" "services added"
nh_assert_eq "$(complete_line 'netns-helper add --now ')" "$ns
${ns}old" "namespaces after an option"
nh_assert_eq "$(complete_line 'netns-helper status --')" "--help
--json" "options of status"
nh_assert_eq "$(complete_line 'netns-helper add x y --')" "--help
--now" "options of add"
nh_assert_eq "$(complete_line 'netns-helper-run macvlan x ')" "check
start
stop" "verbs of netns-helper-run"
nh_assert_eq "$(complete_line "netns-helper-run macvlan ${ns}o")" "${ns}old" "namespace of netns-helper-run"

# bash-completion loads a file per command: netns-helper-run's pulls in the
# functions.
out=$(bash -c '. "$1"; complete -p netns-helper-run' _ "$NH_SRCDIR/conf/bash-completion/netns-helper-run" 2>&1)
nh_assert_match "$out" "-F _netns_helper_run netns-helper-run" "completion file of netns-helper-run"
