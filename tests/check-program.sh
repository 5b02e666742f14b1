#!/bin/sh
# LOG_COMPILER of the check programs (Makefile.am): runs one, giving it in
# NH_ENGINE_PLUGINS the engine tests' plugins as a directory the loader
# accepts: tests/engine/.libs itself, or a root-owned copy when root tests a
# tree that a normal user built (tests/root-copy.sh says why).
. "$NH_SRCDIR/tests/lib.sh"
if [ -d "$NH_BUILDDIR/tests/engine/.libs" ]; then
        NH_ENGINE_PLUGINS=$(nh_plugin_dir "$NH_BUILDDIR/tests/engine/.libs") ||
                nh_fail "cannot copy $NH_BUILDDIR/tests/engine/.libs"
        export NH_ENGINE_PLUGINS
fi
"$@"
