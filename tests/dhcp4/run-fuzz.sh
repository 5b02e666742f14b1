#!/bin/sh
# Build the DHCPv4 libFuzzer harness with clang (ASan + UBSan) and run it for
# at most SECONDS seconds, starting from the committed seeds.
#   tests/dhcp4/run-fuzz.sh [SECONDS]        (default 60)
# It builds in a scratch copy of the source tree configured with
# --enable-fuzzing CC=clang, so the tree it is called from is left alone.
# Set FUZZ_KEEP=DIR to keep the build and the corpus in DIR.  Crashes are
# written to the current directory (crash-*) and make it exit non-zero.
set -eu

seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang >/dev/null 2>&1 || { echo "run-fuzz.sh: needs clang (apt-get install clang)" >&2; exit 77; }

if [ -n "${FUZZ_KEEP:-}" ]; then
        work=$FUZZ_KEEP
        mkdir -p "$work"
else
        work=$(mktemp -d "${TMPDIR:-/tmp}/nh-fuzz-dhcp4.XXXXXX")
        trap 'rm -rf "$work"' EXIT
fi

if [ ! -x "$work/tree/tests/dhcp4/fuzz-dhcp4" ]; then
        mkdir -p "$work/tree"
        # Only the tracked sources: a configured tree cannot host a second build.
        if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
                (cd "$src" && git ls-files -z --cached) |
                        (cd "$src" && xargs -0 cp --parents -t "$work/tree" 2>/dev/null) || true
        else
                cp -a "$src/." "$work/tree/"
                [ ! -f "$work/tree/Makefile" ] || make -C "$work/tree" distclean >/dev/null 2>&1 || true
        fi
        (
                cd "$work/tree"
                [ -x configure ] || ./autogen.sh >/dev/null 2>&1
                ./configure --enable-fuzzing CC=clang >configure.out 2>&1 ||
                        { cat configure.out >&2; exit 1; }
                make -j"$(nproc 2>/dev/null || echo 2)" tests/dhcp4/fuzz-dhcp4 >make.out 2>&1 ||
                        { cat make.out >&2; exit 1; }
        )
fi

mkdir -p "$work/corpus"
echo "run-fuzz.sh: fuzzing the DHCPv4 parser for $seconds s" >&2
"$work/tree/tests/dhcp4/fuzz-dhcp4" -max_total_time="$seconds" -max_len=2100 \
        -print_final_stats=1 "$work/corpus" "$src/tests/dhcp4/fuzz-seeds"
