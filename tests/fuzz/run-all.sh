#!/bin/sh
# Builds every libFuzzer harness (clang, ASan + UBSan) in a scratch copy of
# the tracked sources and runs each for SECONDS (default 60), starting from
# its committed seeds (tests/AREA/fuzz-seeds).  Exit 0 when none found
# anything; a crash leaves its input as crash-* in the current directory.
#   tests/fuzz/run-all.sh [SECONDS]
set -eu

seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang >/dev/null 2>&1 || { echo "run-all.sh: needs clang (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nh-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A configured source tree cannot host a second build: copy what git tracks.
(cd "$src" && git ls-files -z --cached | xargs -0 cp --parents -t "$work")
cd "$work"
./autogen.sh >autogen.out 2>&1 || { cat autogen.out >&2; exit 1; }
./configure --enable-fuzzing CC=clang >configure.out 2>&1 || { cat configure.out >&2; exit 1; }
make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1 || { tail -50 make.out >&2; exit 1; }

status=0
found=0
for f in tests/*/fuzz-*; do
        [ -x "$f" ] && [ -f "$f" ] || continue
        case "$f" in *.c|*.sh) continue ;; esac
        found=$((found + 1))
        area=$(dirname "$f")
        corpus=$(mktemp -d "$work/corpus.XXXXXX")
        seeds=""
        [ -d "$src/$area/fuzz-seeds" ] && seeds="$src/$area/fuzz-seeds"
        echo "run-all.sh: $f for $seconds s${seeds:+ from $seeds}" >&2
        (cd "$OLDPWD" && "$work/$f" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
                "$corpus" $seeds) || status=1
done
[ "$found" -gt 0 ] || { echo "run-all.sh: no fuzzer was built" >&2; exit 1; }
echo "run-all.sh: $found fuzzers ran for $seconds s each; $( [ $status = 0 ] && echo 'no finding' || echo 'FINDINGS above')" >&2
exit $status
