#!/bin/sh
# search.sh — `cidx search` end to end on the fixture repository
# tests/fixtures/c-repo (copied, git init-ed, indexed into a scratch cache).
#
# Every command's stdout and stderr are appended to a transcript after a
# header "== cidx ARGS" (and "exit N" when it fails); the transcript must
# equal tests/cli/search.expected, which was checked by hand against the
# scoring rules in src/search.c (16 per character, 10 at the text's start,
# 9 after . : /, 8 after _ -, 7 camelCase; the first character's bonus
# doubled; runs keep their first bonus, at least 4; a gap costs 3, then 1 per
# character, but a gap of vowels only costs 1 per vowel, and a gap from a run
# that began a word to another word's start does not pay for the rest of the
# word it leaves). SEARCH_ACTUAL=FILE keeps the actual transcript.
#
# A file whose name holds an escape character shows that output is
# sanitised: "^[" in text, "\u001b" in JSON.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/search.expected

repo=$T_TMP/repo
cp -R "$here/../fixtures/c-repo" "$repo"
rm -rf "$repo/generated"
git init -q "$repo"
esc=$(printf '\033')
printf 'int esc_fn(void)\n{\n\treturn 0;\n}\n' >"$repo/src/odd${esc}name.c"
(cd "$repo" && "$CIDX_BIN" index) >"$T_TMP/index.out" 2>&1 || { cat "$T_TMP/index.out"; fail "search: index"; }

out=$T_TMP/actual
: >"$out"
s() { # s ARGS...: run cidx search ARGS in the repository, append to the transcript
	echo "== cidx search $*" >>"$out"
	(cd "$repo" && "$CIDX_BIN" search "$@") >>"$out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || echo "exit $rc" >>"$out"
}

s hash
s hs --limit 3
s 'reg k:func'
s '^main$'
s 'reg add'
s 'count$ !k:proto'
s 'f:lib/ k:func' --limit 4
s 'xm !^x'
s helper
s nodes
s DEF
s "'count" --json --limit 3
s xm --json
s esc_fn
s esc --json
s zzzzz
s zzzzz --json
s 'k:bogus x'
s 'l:cobol x'
s 'x f:'

[ -n "${SEARCH_ACTUAL:-}" ] && cp "$out" "$SEARCH_ACTUAL"
if diff -u "$expected" "$out" >"$T_TMP/diff"; then
	pass "search transcript"
else
	fail "search transcript" "$(cat "$T_TMP/diff")"
fi

# usage errors: exit 2, usage on stderr, nothing on stdout
for args in "" " " ; do
	expect_rc "search usage: query '$args'" 2 sh -c 'cd "$1" && "$2" search "$3"' sh "$repo" "$CIDX_BIN" "$args"
	expect_match "search usage text: query '$args'" '^usage: cidx ' "$T_ERR"
done
expect_rc "search usage: no query at all" 2 sh -c 'cd "$1" && "$2" search' sh "$repo" "$CIDX_BIN"
expect_rc "search usage: --limit without a value" 2 sh -c 'cd "$1" && "$2" search x --limit' sh "$repo" "$CIDX_BIN"
expect_rc "search usage: --limit 0" 2 sh -c 'cd "$1" && "$2" search x --limit 0' sh "$repo" "$CIDX_BIN"
expect_match "search usage: --limit 0 message" "^cidx: --limit takes a number from 1 to 100000, not '0'" "$T_ERR"

# no index: the same message as every other command
mkdir -p "$T_TMP/bare"
git init -q "$T_TMP/bare"
expect_rc "search without an index" 1 sh -c 'cd "$1" && "$2" search main' sh "$T_TMP/bare" "$CIDX_BIN"
expect_match "search without an index: message" "no index at .*; run 'cidx index' in the repository first" "$T_ERR"

# JSON is one parseable document
json=$(cd "$repo" && "$CIDX_BIN" search 'reg' --json)
expect_eq "search --json parses" "reg 7 registry struct [0, 1, 2]" \
	"$(json_get "$json" 'd["query"], d["total"], d["results"][0]["name"], d["results"][0]["kind"], d["results"][0]["positions"]')"

finish
