#!/bin/sh
# A new in-tree stage is its folder under plugins/ and one include line in
# Makefile.am, nothing else: in a copy of the tree (as a release tarball
# has it) with a one-shot stage "demo" added that way, the build makes its
# plugin and its unit netns-helper-demo@.service (the STAGE template), and
# netns-helper-generator orders that unit by the plugin's position: after
# the veth stage's unit, before the post-up unit.  No root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd make autoreconf cc
[ -x "$NH_BUILDDIR/netns-helper-generator" ] || nh_skip "netns-helper-generator is not built"
nh_setup_tree
unset MAKEFLAGS MFLAGS MAKELEVEL
src="$NH_T/src"
make -s -C "$NH_BUILDDIR" distdir distdir="$src" >"$NH_T/distdir.log" 2>&1 ||
        { cat "$NH_T/distdir.log" >&2; nh_fail "make distdir failed"; }

mkdir "$src/plugins/demo"
cat >"$src/plugins/demo/demo.c" <<'EOC'
#include <netns-helper/plugin.h>
static int demo_start(struct nh_ctx *ctx) { (void) ctx; return 0; }
static int demo_stop(struct nh_ctx *ctx) { (void) ctx; return 0; }
NH_PLUGIN_DEFINE(.name = "demo", .stage = "demo", .version = "1", .description = "a new stage",
                 .order = NH_ORDER_VETH + 5, .flags = NH_PLUGIN_NEEDS_NETNS,
                 .start = demo_start, .stop = demo_stop);
EOC
cat >"$src/plugins/demo/local.mk" <<'EOC'
plugin_LTLIBRARIES += plugins/demo/demo.la
plugins_demo_demo_la_SOURCES = plugins/demo/demo.c
plugins_demo_demo_la_CPPFLAGS = $(NH_PLUGIN_INCLUDES)
plugins_demo_demo_la_LDFLAGS = $(NH_PLUGIN_LINKFLAGS)
nh_template_stages += demo
EOC
# The one line in the build.
sed -i 's|^include plugins/postup/local.mk$|&\ninclude plugins/demo/local.mk|' "$src/Makefile.am"
grep -q '^include plugins/demo/local.mk$' "$src/Makefile.am" || nh_fail "cannot add the include line"

(cd "$src" && autoreconf -fi && ./configure --prefix="$NH_T/p") >"$NH_T/configure.log" 2>&1 ||
        { tail -20 "$NH_T/configure.log" >&2; nh_fail "autoreconf or configure failed"; }
nice make -C "$src" -j"$(nproc)" plugins/demo/demo.la units/netns-helper-demo@.service >"$NH_T/make.log" 2>&1 ||
        { tail -30 "$NH_T/make.log" >&2; nh_fail "make of the demo stage failed"; }
u="$src/units/netns-helper-demo@.service"
grep -q '^ExecStart=.*/netns-helper-run demo %i start$' "$u" || nh_fail "the demo unit does not run the demo stage: $(cat "$u")"
! grep -E '^[^#].*STAGE' "$u" || nh_fail "the demo unit still says STAGE"
make -s -C "$src" -n install DESTDIR="$NH_T/d" 2>/dev/null | grep -q 'netns-helper-demo@\.service' ||
        nh_fail "make install does not install netns-helper-demo@.service"

# Ordered by its position among the tree's stages.
mkdir "$NH_T/gen"
NETNS_HELPER_PLUGIN_PATH="$(nh_plugin_dir "$src/plugins/demo/.libs"):$NETNS_HELPER_PLUGIN_PATH" \
        "$NH_BUILDDIR/netns-helper-generator" "$NH_T/gen" || nh_fail "netns-helper-generator failed"
d="$NH_T/gen/netns-helper-demo@.service.d/netns-helper-order.conf"
[ -f "$d" ] || nh_fail "no ordering drop-in for the demo unit: $(cd "$NH_T/gen" && find . -type f)"
nh_assert_match "$(grep '^After=' "$d")" "netns-helper-veth@%i\.service" "demo after veth"
! grep -q 'netns-helper-postup@' "$d" || nh_fail "demo is ordered after postup: $(cat "$d")"
nh_assert_match "$(grep '^After=' "$NH_T/gen/netns-helper-postup@.service.d/netns-helper-order.conf")" \
        "netns-helper-demo@%i\.service" "postup after demo"
