#!/bin/sh
# Runs the DHCPv6 fuzzer for SECONDS (default 60) from the committed seeds.
# Needs a build configured with: ./configure --enable-fuzzing CC=clang
# Usage: tests/dhcp6/run-fuzz.sh [SECONDS]   (from the build tree, or with
# NH_BUILDDIR / NH_SRCDIR set).  Exit 0: no finding; non-zero: a crash,
# whose input libFuzzer leaves as crash-* in the current directory.
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
src=${NH_SRCDIR:-$(cd "$here/../.." && pwd)}
build=${NH_BUILDDIR:-$(pwd)}
fuzzer="$build/tests/dhcp6/fuzz-dhcp6"
if [ ! -x "$fuzzer" ]; then
        echo "run-fuzz.sh: $fuzzer is not built; configure with --enable-fuzzing CC=clang and run make" >&2
        exit 77
fi
corpus=$(mktemp -d "${TMPDIR:-/tmp}/nh-fuzz-dhcp6.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
cp "$src/tests/dhcp6/fuzz-seeds/"* "$corpus/"
"$fuzzer" -max_total_time="$secs" -max_len=2048 -print_final_stats=1 "$corpus"
