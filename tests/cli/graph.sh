#!/bin/sh
# graph.sh — `cidx impact`, `path`, `cycles` and `hotspots` end to end on
# tests/fixtures/graph-repo: a diamond, a chain above it, recursion, a
# two- and a three-definition cycle, a static helper, an ambiguous name, a
# name defined nowhere and a call through a pointer.
#
# Every command's stdout and stderr go to a transcript after a header
# "== cidx ARGS" (and "exit N" when it fails; only the first line of a usage
# error); the transcript must equal
# tests/cli/graph.expected, checked by hand against the fixture.
# GRAPH_ACTUAL=FILE keeps the actual transcript.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/graph.expected

repo=$T_TMP/repo
cp -R "$here/../fixtures/graph-repo" "$repo"
git init -q "$repo"
(cd "$repo" && "$CIDX_BIN" index) >"$T_TMP/index.out" 2>&1 || { cat "$T_TMP/index.out"; fail "graph: index"; }

out=$T_TMP/actual
r() { tr_run "$repo" "$@"; } # r ARGS...: run cidx ARGS in the repository

r impact leaf
r impact leaf --depth 1
r impact leaf --depth all --strict
r impact leaf --depth 2 --json
r impact helper
r impact helper --strict
r impact dup
r impact printf
r impact fact --depth all
r impact leaf --tests 'b.c' --depth 1
r impact nosuch
r impact ops
r impact
r impact leaf --depth 0
r path chain6 leaf
r path chain6 leaf --json
r path cyc_a fact
r path leaf top
r cycles
r cycles --json
r hotspots --top 3
r hotspots --top 2 --json

# impact --diff: a committed base, then an unstaged edit (mid1), a staged
# deletion of a called definition (fact), an untracked new file (fresh)
g() { git -C "$repo" -c user.name=t -c user.email=t@example.com "$@"; }
g add -A && g commit -qm base
sed 's/^void mid1(void) { leaf(); }$/void mid1(void) { leaf(); leaf(); }/' "$repo/a.c" |
	grep -v '^int fact' >"$T_TMP/a.c" && cp "$T_TMP/a.c" "$repo/a.c"
g add a.c
sed -i 's/leaf(); leaf(); }$/leaf(); leaf(); leaf(); }/' "$repo/a.c"
printf 'void fresh(void) { leaf(); }\n' >"$repo/new.c"
r impact --diff
r impact --diff --depth 1 --json
r impact --diff HEAD --strict
r impact --diff nosuchrev
r impact --diff HEAD extra
mkdir -p "$T_TMP/plain"
echo "== cidx impact --diff (not a git repository)" >>"$out"
(cd "$T_TMP/plain" && "$CIDX_BIN" impact --diff --db "$T_TMP/plain.db") 2>&1 | sed "s|$T_TMP|TMP|g" >>"$out"

tr_check "graph transcript" "$expected" "${GRAPH_ACTUAL:-}"
# every JSON document parses
for args in "impact leaf --depth 2 --json" "path chain6 leaf --json" "cycles --json" "hotspots --top 2 --json"; do
	# shellcheck disable=SC2086
	if (cd "$repo" && "$CIDX_BIN" $args) | python3 -c 'import json,sys; json.load(sys.stdin)' 2>"$T_TMP/jerr"; then
		pass "graph: $args parses"
	else
		fail "graph: $args parses" "$(cat "$T_TMP/jerr")"
	fi
done
finish
