#!/bin/sh
# The documents say what the tree does, and stay where a reader looks:
# - the README starts with the developers' two commands (a short intro,
#   then the demo and the test suite), and its test command is the one
#   .ci/run runs;
# - the README is a manual: the benchmark diary lives in docs/BENCHMARKS.md,
#   linked from it, and every file it links to exists;
# - every exit code of core's exitcodes.h is in the README's table and in
#   netns-helper-plugin(7)'s EXIT STATUS;
# - the generated man pages have every configured path substituted (no
#   @dir@ left), and plugin(7) shows this build's directories;
# - the unit template that plugin(7) prints is the installed template's;
# - the public plugin headers carry no machine timings (they go to
#   docs/BENCHMARKS.md).
# Needs no root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd groff col
S=$NH_SRCDIR
README=$S/README.md
T=$(mktemp -d "${TMPDIR:-/tmp}/nht-docs.XXXXXX")
nh_defer "rm -rf '$T'"

# --- the README's first commands ----------------------------------------
# The fenced blocks, numbered, each as one line: "N FIRSTLINE START".
blocks=$(awk '/^```/ { if (open) { open = 0 } else { open = 1; n++; start = NR; getline; print n, NR, $0 } }' "$README")
demo=$(printf '%s\n' "$blocks" | sed -n '1s/^1 [0-9]* //p')
suite=$(printf '%s\n' "$blocks" | sed -n '2s/^2 [0-9]* //p')
demo_line=$(printf '%s\n' "$blocks" | sed -n '1s/^1 \([0-9]*\) .*/\1/p')
suite_line=$(printf '%s\n' "$blocks" | sed -n '2s/^2 \([0-9]*\) .*/\1/p')
case $demo in *tests/demo/demo.sh*) ;; *) nh_fail "the README's first code block is not the demo command (tests/demo/demo.sh): '$demo' (line $demo_line)" ;; esac
case $suite in *" check"*) ;; *) nh_fail "the README's second code block is not the test suite's command: '$suite' (line $suite_line)" ;; esac
# A reader sees them at once: after a title and a short intro, before any
# other section (install, configuration...).
[ "${suite_line:-999}" -le 40 ] || nh_fail "the README's two commands start at lines $demo_line and $suite_line: move them to the top (after the title and a 2-3 line intro)"
before=$(head -n "$demo_line" "$README" | grep -c '^## ')
[ "$before" -le 1 ] || nh_fail "the README has $before sections before the demo command (line $demo_line): it must come first"
# Both work in a root shell without sudo and as a user with sudo.
for c in "$demo" "$suite"; do
        case $c in ".ci/as-root apt-get update && .ci/as-root apt-get install -y \$(grep -v '^#' .ci/packages) && "*) ;;
        *) nh_fail "a README command does not install .ci/packages through .ci/as-root first: '$c'" ;; esac
done
[ -x "$S/.ci/as-root" ] || nh_fail ".ci/as-root, which the README's commands run, is not executable"
[ -x "$S/tests/demo/demo.sh" ] || nh_fail "tests/demo/demo.sh, which the README's demo runs, is not executable"
# .ci/run runs the suite's command (as root: without .ci/as-root), with
# VERBOSE=1 for the CI log.
ci=$(grep -E '^\./autogen\.sh && ' "$S/.ci/run" | sed -e 's/ || status=\$?$//' -e 's/ VERBOSE=1$//')
readme_ci=$(printf '%s\n' "$suite" | sed -e 's/^.*&& \(\.\/autogen\.sh\)/\1/' -e 's/\.ci\/as-root //g')
[ -n "$ci" ] || nh_fail ".ci/run has no './autogen.sh && ...' line (the README's test command)"
nh_assert_eq "$readme_ci" "$ci" "the README's test command against .ci/run's"

# --- a manual, with the diary apart -----------------------------------------
[ -f "$S/docs/BENCHMARKS.md" ] || nh_fail "no docs/BENCHMARKS.md"
grep -q '](docs/BENCHMARKS\.md' "$README" || nh_fail "the README does not link docs/BENCHMARKS.md"
! grep -qE '^#+ (Benchmarks|Time to lease)' "$README" ||
        nh_fail "the README still has the benchmark diary ($(grep -nE '^#+ (Benchmarks|Time to lease)' "$README" | head -1)): it belongs in docs/BENCHMARKS.md"
for doc in README.md docs/*.md; do
        for l in $(grep -o '](\([A-Za-z0-9_./-]*\))' "$S/$doc" | sed 's/^](\(.*\))$/\1/' | grep -v '^http'); do
                target=$(dirname "$S/$doc")/${l%%#*}
                [ -e "$target" ] || nh_fail "$doc links $l, which does not exist"
        done
done

# --- every exit code --------------------------------------------------------
exitcodes=$(find "$S/core" "$S/include" -name exitcodes.h 2>/dev/null | head -1)
[ -n "$exitcodes" ] || nh_fail "no exitcodes.h under core/ or include/"
codes=$(sed -n 's/^#define NH_EXIT_[A-Z_]* *\([0-9][0-9]*\).*/\1/p' "$exitcodes")
[ -n "$codes" ] || nh_fail "no NH_EXIT_* codes in $exitcodes"
render() { LC_ALL=C groff -man -Tascii "$NH_BUILDDIR/man/$1" 2>/dev/null | col -b; }
plugin7=$(render netns-helper-plugin.7)
exits=$(printf '%s\n' "$plugin7" | sed -n '/^EXIT STATUS/,/^[A-Z]/p')
for c in $codes; do
        grep -qE "^\| *$c *\|" "$README" || nh_fail "the README's exit status table lacks $c (${exitcodes#"$S"/})"
        printf '%s\n' "$exits" | grep -qE "^ +$c( |$)" || nh_fail "netns-helper-plugin(7) EXIT STATUS lacks $c (${exitcodes#"$S"/})"
done

# --- configured paths in the man pages ---------------------------------------
for p in "$NH_BUILDDIR"/man/*.[1-8]; do
        left=$(grep -o '@[a-z_]*@' "$p" | sort -u | tr '\n' ' ')
        [ -z "$left" ] || nh_fail "${p#"$NH_BUILDDIR"/} still has $left: add the substitution to man/local.mk"
done
paths=$(find "$NH_BUILDDIR" -maxdepth 3 -name nh-paths.h | head -1)
[ -n "$paths" ] || nh_fail "no nh-paths.h in the build tree"
dir() { sed -n "s/^#define $1 \"\(.*\)\"$/\1/p" "$paths"; }
# On one long line, so that groff neither breaks nor hyphenates a path.
flat=$(LC_ALL=C groff -man -Tascii -rLL=2000n "$NH_BUILDDIR/man/netns-helper-plugin.7" 2>/dev/null | col -bx | tr -s ' \n' '  ')
for want in "$(dir NH_RUNSTATEDIR)/netns-helper/NAME" "$(dir NH_LOCALSTATEDIR)/lib/netns-helper/NAME" \
            "$(dir NH_SYSCONFDIR)/netns-helper/netns-helper.yaml" "$(dir NH_PLUGINDIR)/" \
            "$(dir NH_SBINDIR)/netns-helper-run STAGE %i start"; do
        case $flat in *"$want"*) ;; *) nh_fail "netns-helper-plugin(7) does not show the configured '$want'" ;; esac
done

# --- the unit template plugin(7) prints --------------------------------------
tmpl=$S/units/netns-helper-STAGE@.service.in
[ -f "$tmpl" ] || tmpl=$(find "$S/units" -name 'netns-helper-STAGE@*.in' | head -1)
[ -f "$tmpl" ] || nh_fail "no unit template for new stages under units/"
sed -n '/^\.SH RUNNING UNDER SYSTEMD/,/^\.SH/p' "$S/man/netns-helper-plugin.7.in" |
        sed -n '/^\.EX/,/^\.EE/p' | sed -e '/^\.E[XE]$/d' -e '/^$/d' -e 's/\\-/-/g' >"$T/units"
[ -s "$T/units" ] || nh_fail "netns-helper-plugin(7) prints no unit template under RUNNING UNDER SYSTEMD"
while IFS= read -r line; do
        grep -qxF "$line" "$tmpl" || nh_fail "netns-helper-plugin(7) prints '$line', which ${tmpl#"$S"/} does not have"
done <"$T/units"

# --- no machine timings in API headers ----------------------------------------
for h in $(find "$S/include" "$S/core/netns-helper" "$S/sdk" -name '*.h' 2>/dev/null); do
        grep -nE '[0-9]+(\.[0-9]+)? ?(ns|us|µs|ms)\b|[0-9.]+ ?x (faster|slower)|[0-9]+(\.[0-9]+)?x\b|measured' "$h" |
                sed "s|^|${h#"$S"/}:|" >>"$T/timings"
done
[ ! -s "$T/timings" ] || nh_fail "machine timings in an API header (move them to docs/BENCHMARKS.md): $(cat "$T/timings")"
exit 0
