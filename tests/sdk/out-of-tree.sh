#!/bin/sh
# The SDK, proven the way a third party meets it: install netns-helper into
# a DESTDIR, build the example plugin against the installed header found by
# pkg-config and nothing else, drop it into a plugin directory, enable it
# in the global config, and see its effect in the kernel.  Then the same
# example built wrong (another ABI major, a mismatched name, no descriptor,
# a group-writable file) is refused with a reason, and nothing is made.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd ip jq cc make pkg-config nm

nh_setup_tree
NS=$(nh_ns a)
nh_defer "'$NH' down '$NS'"
EXAMPLE="$NH_SRCDIR/tests/sdk/example"
O=$(( $$ % 250 ))
ADDR="198.51.100.$O"

# --- install, as a packager would --------------------------------------------
DEST="$NH_T/dest"
make -C "$NH_BUILDDIR" install DESTDIR="$DEST" >"$NH_T/install.log" 2>&1 ||
        nh_fail "make install DESTDIR=$DEST failed: $(tail -n 20 "$NH_T/install.log")"
PC=$(find "$DEST" -name netns-helper-plugin.pc)
[ -n "$PC" ] && [ "$(printf '%s\n' "$PC" | wc -l)" = 1 ] || nh_fail "expected one installed netns-helper-plugin.pc, found: $PC"
HDR=$(find "$DEST" -path '*/include/netns-helper/plugin.h')
[ -n "$HDR" ] || nh_fail "the public header was not installed under $DEST"
cmp -s "$HDR" "$NH_SRCDIR/include/netns-helper/plugin.h" || nh_fail "the installed header differs from the source"

# Only the installed .pc file: the system's pkg-config directories are not
# searched (PKG_CONFIG_LIBDIR), and the sysroot maps its paths into DEST.
export PKG_CONFIG_PATH="${PC%/*}" PKG_CONFIG_LIBDIR="${PC%/*}" PKG_CONFIG_SYSROOT_DIR="$DEST"
unset CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH
PCFLAGS=$(pkg-config --cflags netns-helper-plugin) || nh_fail "pkg-config does not know netns-helper-plugin"
nh_assert_eq "$(pkg-config --variable=abi_major netns-helper-plugin)" 1 "abi_major in the .pc file"
[ -n "$(pkg-config --variable=plugindir netns-helper-plugin)" ] || nh_fail "the .pc file has no plugindir"
for f in $PCFLAGS; do
        case "$f" in
        -I"$DEST"/*) ;;
        *) nh_fail "pkg-config --cflags gave '$f': everything must point into the installed tree $DEST" ;;
        esac
done

# --- build it out of tree, exactly as printed in the man page ---------------
TP="$NH_T/third-party"
mkdir -p "$TP"
cp "$EXAMPLE/hello.c" "$EXAMPLE/Makefile" "$TP/"
(cd "$TP" && cc -shared -fPIC $PCFLAGS hello.c -o hello.so) || nh_fail "the example does not build out of tree"
# Proof that nothing of the source or build tree was used: every header
# the compiler read is a system header or the installed one.
(cd "$TP" && cc -M $PCFLAGS hello.c) >"$NH_T/deps" || nh_fail "cc -M failed"
grep -q "$HDR" "$NH_T/deps" || nh_fail "the example did not include the installed $HDR: $(cat "$NH_T/deps")"
! grep -qe "$NH_SRCDIR" -e "$NH_BUILDDIR" "$NH_T/deps" || nh_fail "the example read a header from the source tree: $(cat "$NH_T/deps")"
nm -D --defined-only "$TP/hello.so" | grep -q ' netns_helper_plugin$' || nh_fail "hello.so does not export netns_helper_plugin"
# The Makefile a third party keeps next to it works too, warnings as errors.
make -s -C "$TP" clean hello.so CFLAGS="-O2 -Wall -Wextra -Werror" >"$NH_T/make.log" 2>&1 ||
        nh_fail "the example's Makefile failed: $(cat "$NH_T/make.log")"
make -s -C "$TP" install DESTDIR="$NH_T/tp-dest" >/dev/null 2>&1 || nh_fail "the example's make install failed"
[ -f "$NH_T/tp-dest$(pkg-config --variable=plugindir netns-helper-plugin)/hello.so" ] ||
        nh_fail "the example's make install did not put hello.so into plugindir"

# --- the helper library, the same way: netns-helper-sdk.pc ---------------------
SDKPC=$(find "$DEST" -name netns-helper-sdk.pc)
[ -n "$SDKPC" ] || nh_fail "netns-helper-sdk.pc was not installed"
SDKLIB=$(find "$DEST" -name libnetns-helper-sdk.a)
[ -n "$SDKLIB" ] || nh_fail "libnetns-helper-sdk.a was not installed"
[ -z "$(find "$DEST" -name 'libnetns-helper-sdk.so*')" ] || nh_fail "the SDK library is meant to be static only"
SDKFLAGS="$(pkg-config --cflags netns-helper-sdk) $(pkg-config --libs netns-helper-sdk)" ||
        nh_fail "pkg-config does not know netns-helper-sdk"
for f in $SDKFLAGS; do
        case "$f" in
        -I"$DEST"/*|-L"$DEST"/*|-lnetns-helper-sdk) ;;
        *) nh_fail "pkg-config for netns-helper-sdk gave '$f': everything must point into $DEST" ;;
        esac
done
cp "$NH_SRCDIR/tests/sdk/example-sdk/lo6.c" "$TP/"
(cd "$TP" && cc -Wall -Wextra -Werror -shared -fPIC lo6.c $SDKFLAGS -o lo6.so 2>"$NH_T/lo6.log") ||
        nh_fail "a plugin using the SDK does not build out of tree: $(cat "$NH_T/lo6.log")"
(cd "$TP" && cc -M $PCFLAGS lo6.c) >"$NH_T/deps6" || nh_fail "cc -M failed"
grep -q "$DEST.*/netns-helper/sdk.h" "$NH_T/deps6" || nh_fail "lo6.c did not include the installed sdk.h"
! grep -qe "$NH_SRCDIR" -e "$NH_BUILDDIR" "$NH_T/deps6" || nh_fail "lo6.c read a header from the source tree"
# Linked in: nothing of the SDK is needed at run time, and nothing of it is
# exported (two plugins with two SDK versions load side by side).
nh_assert_no_match "$(readelf -d "$TP/lo6.so")" "netns-helper" "lo6.so needs no netns-helper library at run time"
nh_assert_eq "$(nm -D --defined-only "$TP/lo6.so" | awk '{print $3}' | grep '^nh_' | wc -l)" 0 "SDK symbols exported by lo6.so"

# --- enable it in the global config, run the pipeline -------------------------
# The build above needs no privileges; a root-owned plugin and namespaces do.
nh_require_root
PLUGINS="$NH_T/plugins"
mkdir -m 0755 "$PLUGINS"
install -m 0755 -o root -g root "$TP/hello.so" "$PLUGINS/hello.so"
# plugin-dirs from the global config: the built-in stages and ours.
BUILTIN=$(nh_build_plugin_path)
unset NETNS_HELPER_PLUGIN_PATH
{
        printf 'plugin-dirs:\n'
        printf '%s\n' "$BUILTIN" | tr ':' '\n' | sed 's/^/  - /'
        printf '  - %s\n' "$PLUGINS"
        printf 'plugins: [netns, postup]\n'
} >"$NETNS_HELPER_CONFDIR/netns-helper.yaml"
printf 'stages: [netns, hello]\nhello:\n  address: %s/32\n' "$ADDR" >"$NH_NSCONF/$NS.yaml"

# The ABI the installed header says (the minor grows as the SDK does).
ABI="1\\.$(sed -n 's/^#define NH_PLUGIN_ABI_MINOR //p' "$NH_SRCDIR/include/netns-helper/plugin.h")"

# Found but not enabled yet: listed as such, and a pipeline that needs it
# is refused before anything is made.
nh_expect_exit 0 "$NH" plugins
nh_assert_match "$NH_OUT" "^hello +hello +1\.0 +$ABI +260 +disabled +$PLUGINS/hello\.so\$" "hello listed as disabled"
nh_expect_exit 4 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "$PLUGINS/hello\.so.*not enabled" "the refusal names the plugin and why"
nh_no_leftovers "$NS"

sed -i 's/^plugins: .*/plugins: [netns, postup, hello]/' "$NETNS_HELPER_CONFDIR/netns-helper.yaml"
nh_expect_exit 0 "$NH" plugins
nh_assert_match "$NH_OUT" "^hello +hello +1\.0 +$ABI +260 +enabled +$PLUGINS/hello\.so\$" "hello listed as enabled"
nh_expect_exit 0 "$NH" validate "$NS"
nh_expect_exit 0 "$NH" up "$NS"
A=$(ip -n "$NS" -j addr show dev lo | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
nh_assert_match "$A" "^$ADDR/32\$" "the plugin's address on lo inside $NS"
nh_assert_no_match "$(ip -j addr show | jq -r '.[].addr_info[].local')" "^$ADDR\$" "the address must not be on the host"
nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"

# The SDK-built plugin, in the pipeline after hello.
install -m 0755 -o root -g root "$TP/lo6.so" "$PLUGINS/lo6.so"
sed -i 's/^plugins: .*/plugins: [netns, postup, hello, lo6]/' "$NETNS_HELPER_CONFDIR/netns-helper.yaml"
A6="fd00:5d6:$((O + 1))::1"          # never a group 0, which ip prints compressed
printf 'stages: [netns, hello, lo6]\nhello:\n  address: %s/32\nlo6:\n  address: %s/128\n' "$ADDR" "$A6" >"$NH_NSCONF/$NS.yaml"
nh_expect_exit 0 "$NH" up "$NS"
A=$(ip -n "$NS" -6 -j addr show dev lo | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
nh_assert_match "$A" "^$A6/128\$" "the SDK plugin's address on lo inside $NS"
nh_assert_match "$NH_ERR$NH_OUT" "lo6: $A6/128 on lo" "the SDK's address text in the log"
nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"
printf 'stages: [netns, hello]\nhello:\n  address: %s/32\n' "$ADDR" >"$NH_NSCONF/$NS.yaml"
sed -i 's/^plugins: .*/plugins: [netns, postup, hello]/' "$NETNS_HELPER_CONFDIR/netns-helper.yaml"

# --- refused builds ---------------------------------------------------------
# refused DIR REGEX...: with DIR as the only extra plugin directory, up is
# refused with exit 4 and each REGEX in its message, no namespace is made,
# and "netns-helper plugins" shows the reason too.
refused() {
        local dir=$1 re
        shift
        export NETNS_HELPER_PLUGIN_PATH="$BUILTIN:$dir"
        nh_expect_exit 4 "$NH" up "$NS"
        for re in "$@"; do
                nh_assert_match "$NH_ERR" "$re" "up's refusal"
        done
        nh_no_leftovers "$NS"
        nh_expect_exit 0 "$NH" plugins
        nh_assert_match "$NH_OUT" "$dir/hello\.so" "plugins lists the refused file"
        for re in "$@"; do
                nh_assert_match "$NH_OUT$NH_ERR" "$re" "the listing's reason"
        done
}
variant() {     # variant DIR SED-EXPRESSION: hello.c edited, built into DIR
        mkdir -m 0755 "$1"
        sed "$2" "$TP/hello.c" >"$1/hello.c"
        cmp -s "$1/hello.c" "$TP/hello.c" && nh_fail "the edit '$2' changed nothing"
        (cd "$1" && cc -shared -fPIC $PCFLAGS hello.c -o hello.so 2>"$1/cc.log") || nh_fail "variant $1 does not build: $(cat "$1/cc.log")"
        rm "$1/hello.c" "$1/cc.log"
        chmod 0755 "$1/hello.so"
}

# Another ABI major: the header's own number replaced, as a future
# incompatible header would.
variant "$NH_T/abi99" 's|^#include <netns-helper/plugin.h>|&\n#undef NH_PLUGIN_ABI_MAJOR\n#define NH_PLUGIN_ABI_MAJOR 99|'
refused "$NH_T/abi99" "$NH_T/abi99/hello\.so" "99\.[0-9]+" "$ABI"

variant "$NH_T/name" 's|\.name = "hello"|.name = "howdy"|'
refused "$NH_T/name" "$NH_T/name/hello\.so" "howdy"

mkdir -m 0755 "$NH_T/nosym"
printf 'int hello_world(void) { return 42; }\n' >"$NH_T/nosym.c"
cc -shared -fPIC "$NH_T/nosym.c" -o "$NH_T/nosym/hello.so" || nh_fail "cannot build the plugin without a descriptor"
refused "$NH_T/nosym" "$NH_T/nosym/hello\.so" "netns_helper_plugin"

mkdir -m 0755 "$NH_T/gw"
install -m 0775 "$TP/hello.so" "$NH_T/gw/hello.so"
refused "$NH_T/gw" "$NH_T/gw/hello\.so" "writable"
exit 0
