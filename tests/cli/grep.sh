#!/bin/sh
# grep.sh — end-to-end check of `cidx grep` on a copy of the fixture
# repository tests/fixtures/c-repo, to which four files are added (in the
# copy only): one with escape sequences and a C1 control in its text, one
# with "\r\n" line ends and no final newline, one with a line of 2,000 bytes,
# one with a line that makes PCRE2 give up.
#
# Every command's output (stdout and stderr) is appended after a header line
# "== cidx ARGS" (" (in DIR)" when run from a subdirectory) and a line
# "exit N" when it did not exit 0; the transcript must equal
# tests/cli/grep.expected. That file is not a recording: each line was
# checked by hand against the sources. GREP_ACTUAL=FILE keeps the actual
# transcript. Separate checks follow: usage errors, every --json line
# parses, --jobs does not change the output, nothing raw reaches the
# terminal, colour, a vanished file, no index.
#
# Run by tests/run.sh (CIDX_BIN, pinned environment); prints "ok NAME" or
# "FAIL NAME" per check and a closing "N passed, M failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

repo=$T_TMP/repo
cp -R "$here/../fixtures/c-repo" "$repo" || exit 1
git init -q "$repo" >/dev/null 2>&1 || { fail "grep: git init"; finish; exit 1; }
# ESC [ 3 1 m, a C1 control (U+0085 as UTF-8), BEL
printf 'const char *banner = "\033[31mred alert\033[0m\302\205\007";\n' >"$repo/src/banner.c"
printf 'int dos_one(void)\r\n{\r\n\treturn 1; /* dos */\r\n}' >"$repo/src/dos.c"
{
	printf 'static const char wide[] = "'
	i=0
	while [ $i -lt 100 ]; do printf 'xxxxxxxxxx'; i=$((i + 1)); done
	printf 'NEEDLE'
	i=0
	while [ $i -lt 100 ]; do printf 'yyyyyyyyyy'; i=$((i + 1)); done
	printf '";\n'
} >"$repo/src/wide.c"

# a line on which PCRE2 gives up on ^(?:a+)+$ between two that match
printf 'aaa\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX\naaaa\n' >"$repo/src/limit.c"

cidx() { "$CIDX_BIN" "$@"; }
if (cd "$repo" && cidx index >"$T_TMP/index.out" 2>&1); then
	pass "grep: index the fixture"
else
	fail "grep: index the fixture" "$(cat "$T_TMP/index.out")"
fi

out=$T_TMP/actual
: >"$out"
q() { # q DIR ARGS...: run cidx ARGS in the copy's DIR, append to the transcript
	dir=$1
	shift
	if [ "$dir" = . ]; then printf '== cidx %s\n' "$*"; else printf '== cidx %s (in %s)\n' "$*" "$dir"; fi >>"$out"
	(cd "$repo/$dir" && cidx "$@") >>"$out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || echo "exit $rc" >>"$out"
}

# hits with their enclosing definitions; file scope; a prototype is not one
q . grep hash_string
q . grep 'helper2?\('
q src grep 'helper2?\(' --lang c
# case folding
q . grep -i 'HASH_STRING\(argv'
q . grep 'HASH_STRING\(argv'
# "\r\n" line ends: $ matches before them; a last line without newline
q . grep 'dos\b.*$|^}$' --jobs 1
# control characters and escape sequences are made visible, never raw
q . grep 'red alert'
q . grep 'red alert' --json
# a long line is cut around the match
q . grep NEEDLE
q . grep NEEDLE --json
# JSON: several matches on a line, symbols and file scope
q . grep 'helper\(' --json
q . grep 'unsigned long hash_string' --json
# PCRE2's match limit: that line is skipped and counted, the others searched
q . grep '^(?:a+)+$'
# nothing found, bad patterns, unknown language
q . grep no_such_thing_anywhere
q . grep 'a(b'
q . grep '[z-a]'
q . grep x --lang cobol

[ -n "${GREP_ACTUAL:-}" ] && cp "$out" "$GREP_ACTUAL"
if diff -u "$here/grep.expected" "$out" >"$T_TMP/diff"; then
	pass "grep: transcript"
else
	fail "grep: transcript" "$(cat "$T_TMP/diff")"
fi

# Usage errors: exit 2, the reason and then the usage text on stderr.
usage_case() { # usage_case NAME FIRST-LINE ARGS...
	u_name=$1; u_want=$2; shift 2    # lib.sh's helpers use $name and $want
	expect_rc "grep usage: $u_name" 2 sh -c 'cd "$0" && "$@"' "$repo" "$CIDX_BIN" "$@"
	expect_eq "grep usage: $u_name (message)" "$u_want" "$(printf '%s\n' "$T_ERR" | head -n1)"
	expect_match "grep usage: $u_name (usage text)" '^usage: cidx ' "$T_ERR"
}
usage_case "no pattern" "cidx: grep needs a PATTERN" grep
usage_case "two patterns" "cidx: grep takes one PATTERN (quote it)" grep a b
usage_case "--max-size" "cidx: grep does not take --max-size" grep x --max-size 5
usage_case "--lang without value" "cidx: --lang needs a value" grep x --lang
usage_case "--jobs 0" "cidx: --jobs takes a number from 1 to 256, not '0'" grep x --jobs 0

# Every --json line is a JSON object with the documented fields; offsets
# of matches are inside the text.
(cd "$repo" && cidx grep '\w+\(' --json) >"$T_TMP/all.json"
if python3 - "$T_TMP/all.json" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    assert sorted(d) == ["clipped", "col", "file", "line", "matches", "symbol", "symbol_kind", "text"], d
    t = d["text"].encode("utf-8")
    for a, b in d["matches"]:
        assert 0 <= a < b <= len(t), d
    n += 1
assert n > 50, n
EOF
then pass "grep: every --json line parses"; else fail "grep: every --json line parses"; fi

# The same output whatever the number of threads.
(cd "$repo" && cidx grep '[a-z]+_[a-z]+' --jobs 1) >"$T_TMP/j1" 2>&1
(cd "$repo" && cidx grep '[a-z]+_[a-z]+' --jobs 4) >"$T_TMP/j4" 2>&1
if [ -s "$T_TMP/j1" ] && cmp -s "$T_TMP/j1" "$T_TMP/j4"; then
	pass "grep: --jobs 1 and --jobs 4 print the same"
else
	fail "grep: --jobs 1 and --jobs 4 print the same" "$(diff "$T_TMP/j1" "$T_TMP/j4" | head -5)"
fi

# No byte below 0x20 but newline, no DEL, no C1 control anywhere in text output.
(cd "$repo" && cidx grep '.') >"$T_TMP/every" 2>&1
if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T_TMP/every" ||
	grep -q "$(printf '\302[\200-\237]')" "$T_TMP/every"; then
	fail "grep: no control characters reach the terminal"
else
	pass "grep: no control characters reach the terminal"
fi

# Colour only on a terminal (script(1), from Debian's essential bsdutils,
# provides one) and never with NO_COLOR; the file's own escape sequences
# stay visible in between.
script -qec "cd '$repo' && '$CIDX_BIN' grep 'red alert'" /dev/null >"$T_TMP/tty" 2>&1
esc=$(printf '\033')
expect_eq "grep: colour on a terminal" \
	"${esc}[35msrc/banner.c${esc}[m:${esc}[32m1:28${esc}[m: ${esc}[36mbanner${esc}[m: const char *banner = \"^[[31m${esc}[1;31mred alert${esc}[m^[[0m<U+0085>^G\";" \
	"$(tr -d '\r' <"$T_TMP/tty")"
NO_COLOR=1 script -qec "cd '$repo' && '$CIDX_BIN' grep 'red alert'" /dev/null >"$T_TMP/tty" 2>&1
expect_eq "grep: no colour with NO_COLOR" \
	'src/banner.c:1:28: banner: const char *banner = "^[[31mred alert^[[0m<U+0085>^G";' \
	"$(tr -d '\r' <"$T_TMP/tty")"

# A file removed since indexing is counted, not fatal.
rm "$repo/src/wide.c"
expect_rc "grep: a vanished file is reported" 0 sh -c "cd '$repo' && '$CIDX_BIN' grep hash_string"
expect_eq "grep: the vanished file's message" \
	"cidx: 1 indexed files could not be read (removed or replaced since the last index?); run cidx index" \
	"$T_ERR"

# No index yet: the same advice as every other command, exit 2.
mkdir -p "$T_TMP/fresh"
git init -q "$T_TMP/fresh"
expect_rc "grep: no index exits 2" 2 sh -c "cd '$T_TMP/fresh' && '$CIDX_BIN' grep x"
expect_match "grep: no index says to run cidx index" "^cidx: no index at '.*'; run 'cidx index' in the repository first$" "$T_ERR"

finish
