#!/bin/sh
# One brace style (docs/CODING-STYLE.md, .clang-format): a function's
# opening brace on a line of its own, every other brace (if, for, while,
# switch, else, do, struct, enum, union) on the line that opens the block.
# Read from the C sources of the whole tree; strings and comments are not
# counted as braces.  Needs no root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd python3
cd "$NH_SRCDIR" || nh_fail "no $NH_SRCDIR"
files=$(find core include sdk plugins tests -name '*.[ch]' -not -path '*/.*' 2>/dev/null | sort)
[ -n "$files" ] || nh_fail "no C sources found under $NH_SRCDIR"
# shellcheck disable=SC2086
out=$(python3 - $files <<'PY'
import re, sys

control = re.compile(r'(\}\s*)?(if|for|while|switch|else|do)\b')
bad = []
for path in sys.argv[1:]:
    depth, in_comment, prev = 0, False, ''
    for no, line in enumerate(open(path, errors='replace').read().split('\n'), 1):
        s = line.strip()
        if not in_comment and not s.startswith('#'):
            # A definition's signature ends at brace depth 0 with ") {".
            if (depth == 0 and re.search(r'\)\s*\{\s*$', line) and not control.match(s)
                    and '=' not in line.split('(')[0]):
                bad.append('%s:%d: a function\'s opening brace goes on a line of its own: %s' % (path, no, s))
            if s == '{' and control.match(prev):
                bad.append('%s:%d: a block\'s opening brace goes on the line that opens it: %s' % (path, no, prev))
            if s == '{' and depth == 0 and re.match(r'(typedef\s+)?(struct|enum|union)\b[^()]*$', prev):
                bad.append('%s:%d: a type\'s opening brace goes on the line that opens it: %s' % (path, no, prev))
        i, quote = 0, None
        while i < len(line):
            c = line[i]
            if in_comment:
                if line.startswith('*/', i):
                    in_comment = False
                    i += 1
            elif quote:
                if c == '\\':
                    i += 1
                elif c == quote:
                    quote = None
            elif line.startswith('/*', i):
                in_comment = True
                i += 1
            elif line.startswith('//', i) or s.startswith('#'):
                break
            elif c in '"\'':
                quote = c
            elif c == '{':
                depth += 1
            elif c == '}':
                depth -= 1
            i += 1
        if s and not in_comment:
            prev = s
print('\n'.join(bad[:20]))
if len(bad) > 20:
    print('... and %d more' % (len(bad) - 20))
PY
) || nh_fail "the brace check itself failed"
[ -z "$out" ] || nh_fail "braces not in the one style of docs/CODING-STYLE.md:
$out"
exit 0
