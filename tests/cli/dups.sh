#!/bin/sh
# dups.sh — `cidx dups` end to end on tests/fixtures/dups-repo: a file copied
# verbatim, a definition copied under another name and layout, definitions
# too short to count, planted near duplicates (renamed variables, one
# inserted statement, reordered statements) and non-duplicates of the same
# size and shape; bad option values.
#
# Every command's stdout and stderr go to a transcript after a header
# "== cidx ARGS" (and "exit N" when it fails); the transcript must equal
# tests/cli/dups.expected, checked by hand against the fixture.
# DUPS_ACTUAL=FILE keeps the actual transcript.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/dups.expected

repo=$T_TMP/repo
cp -R "$here/../fixtures/dups-repo" "$repo"
git init -q "$repo"
(cd "$repo" && "$CIDX_BIN" index) >"$T_TMP/index.out" 2>&1 || { cat "$T_TMP/index.out"; fail "dups: index"; }

out=$T_TMP/actual
r() { tr_run "$repo" "$@"; } # r ARGS...: run cidx ARGS in the repository

r dups
r dups --near
r dups --near --json
r dups --json
r dups --near --threshold 0.98
r dups --near --threshold=1 --min-tokens 100
r dups --min-tokens 5
r dups --threshold 0
r dups --threshold 1.5
r dups --threshold abc
r dups --min-tokens 0
r dups --min-tokens x
r dups extra
mkdir -p "$T_TMP/plain"
echo "== cidx dups (no index)" >>"$out"
(cd "$T_TMP/plain" && "$CIDX_BIN" dups --db "$T_TMP/none.db") 2>&1 | sed "s|$T_TMP|TMP|g" >>"$out"

tr_check "dups transcript" "$expected" "${DUPS_ACTUAL:-}"
# every JSON document parses, and its summary adds up
for args in "dups --json" "dups --near --json"; do
	# shellcheck disable=SC2086
	if (cd "$repo" && "$CIDX_BIN" $args) >"$T_TMP/j" &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["summary"]; assert 0 < s["duplicated_lines"] <= s["definition_lines"]' "$T_TMP/j" 2>"$T_TMP/jerr"; then
		pass "dups: $args parses"
	else
		fail "dups: $args parses" "$(cat "$T_TMP/jerr")"
	fi
done
# the signatures survive the shared cache: a second worktree served from
# cas.db (nothing parsed) reports the same
cp -R "$here/../fixtures/dups-repo" "$T_TMP/wt2"
git init -q "$T_TMP/wt2"
(cd "$T_TMP/wt2" && "$CIDX_BIN" index) >"$T_TMP/index2.out" 2>&1
expect_match "dups: second worktree parsed nothing" '\(0 parsed' "$(cat "$T_TMP/index2.out")"
(cd "$repo" && "$CIDX_BIN" dups --near --json) >"$T_TMP/one.json"
(cd "$T_TMP/wt2" && "$CIDX_BIN" dups --near --json) >"$T_TMP/two.json"
expect_eq "dups: same report from the shared cache" "$(cat "$T_TMP/one.json")" "$(cat "$T_TMP/two.json")"
finish
