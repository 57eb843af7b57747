#!/bin/sh
# impact.sh — the tree's impact mode (blast radius) on a copy of the graph
# fixture: i turns it on for the root, the header's count per hop, files and
# tests must equal what `cidx impact NAME --json` reports for the same
# repository at the same depth, each caller row carries its hop; - and +
# change the depth and the counts follow; i (or q) goes back to the tree.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
cp -R "$here/../fixtures/graph-repo" "$repo" && git init -q "$repo" >/dev/null 2>&1 ||
	{ fail "impact fixture copy"; finish; exit 1; }

# cli_hops NAME DEPTH: the header line the TUI should show
cli_hops() { (cd "$repo" && "$CIDX_BIN" impact "$1" --depth "$2" --json) | hops_from_json; }

(cd "$repo" && "$CIDX_BIN" index >/dev/null 2>&1) || fail "impact: cidx index"
want3=$(cli_hops leaf 3)
want2=$(cli_hops leaf 2)
want4=$(cli_hops leaf 4)
want_mid1=$(cli_hops mid1 4)
# the fixture's own shape, so that a broken CLI cannot make the test vacuous
expect_eq "impact: cidx impact leaf --depth 3, per hop" \
	"hop 1: 5  hop 2: 2  hop 3: 1 · 3 files · 1 test" "$want3"
expect_eq "impact: depth 4 reaches one more hop" \
	"hop 1: 5  hop 2: 2  hop 3: 1  hop 4: 1 · 3 files · 1 test" "$want4"

start_shell 100x30
type_line "cd $repo"
run_app
expect "impact: the index is up to date" '4 files +[0-9]+ symbols +up to date'
keys -l '^leaf$'
expect "impact: leaf found" '^> func +leaf +a\.c:3 *$'
keys C-t
expect "impact: the tree of leaf" '^callees of leaf +1/1 *$'
keys i
expect "impact: i turns impact mode on (depth 3)" '^impact \(depth 3\) of leaf +1/9 *$'
expect_hops "impact: the counts per hop equal cidx impact --json (depth 3)" "$want3"
check "impact: a hop 1 caller is labelled [1]" '^    \[1\] mid1  a\.c:4  1 site  same-file *$'
check "impact: a hop 2 caller is labelled [2], its cycle marked" '^      \[2\] pong  a\.c:12  1 site  same-file  \(cycle\) *$'
check "impact: a hop 3 caller is labelled [3]" '^        \[3\] chain4  a\.c:7  1 site  same-file *$'
# f: the affected files and tests in the preview pane, as cidx impact lists them
lists=$( (cd "$repo" && "$CIDX_BIN" impact leaf --depth 3 --json) | python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["files"]: print(" " + f)
if d["tests"]: print("tests:")
for t in d["tests"]: print(" %s:%d %s" % (t["file"], t["line"], t["name"]))')
expect_eq "impact: cidx impact leaf --json lists 3 files and a test" " a.c
 b.c
 tests/test_leaf.c
tests:
 tests/test_leaf.c:1 test_leaf" "$lists"
keys f
expect "impact: f shows the affected files and tests" '─ affected: 3 files, 1 test ─'
while IFS= read -r l; do
	check "impact: ... listed: $l" "^$(re "$l") *\$"
done <<LISTS
$lists
LISTS
keys f
expect "impact: f again: the source" '─ a\.c:3 ─'
keys -- -
expect "impact: - makes it shallower" '^impact \(depth 2\) of leaf +1/8 *$'
expect_hops "impact: the counts per hop equal cidx impact --json (depth 2)" "$want2"
keys + +
expect "impact: + + makes it deeper" '^impact \(depth 4\) of leaf +1/10 *$'
expect_hops "impact: the counts per hop equal cidx impact --json (depth 4)" "$want4"
keys End
expect "impact: End selects hop 4's caller" '^>         \[4\] chain5  a\.c:8  1 site  same-file *$'
expect "impact: the preview follows a caller row (chain5 calls chain4 on line 8)" '─ a\.c:8 ─'
# a live update: the graph is reloaded and the impact computed again
printf 'void newcaller(void) { leaf(); }\n' >"$repo/e.c"
expect "impact: a live update re-roots" 'the call graph changed: tree re-rooted'
expect_hops "impact: ... and the new caller is counted at hop 1" \
	"hop 1: 6  hop 2: 2  hop 3: 1  hop 4: 1 · 4 files · 1 test"
check "impact: ... still in impact mode at depth 4" '^impact \(depth 4\) of leaf +[0-9]+/11 *$'
rm "$repo/e.c"
expect_hops "impact: ... and gone again with its file" "$want4"
keys Right
expect "impact: expanding is not for impact rows" 'impact mode: i goes back to the tree'
keys i
expect "impact: i goes back to the tree" '^callees of leaf +1/1 *$'
check "impact: ... with its breadcrumb" '^leaf *$'
keys -- -
expect "impact: - outside impact mode says so" 'impact mode is off: i turns it on'
keys i
expect "impact: i again keeps the depth" '^impact \(depth 4\) of leaf +1/10 *$'
keys Down r
expect "impact: r re-roots at mid1 and stays in impact mode" '^impact \(depth 4\) of mid1 '
expect_hops "impact: mid1's counts equal cidx impact mid1 --json (depth 4)" "$want_mid1"
keys '['
expect "impact: [ goes back to leaf, still in impact mode" '^impact \(depth 4\) of leaf +1/10 *$'
keys q
expect "impact: q leaves impact mode first" '^callees of leaf +1/1 *$'
keys '?'
expect "impact: ? opens the help" 'cidx-tui keys'
keys End
expect "impact: ? lists the impact key" '^ +i +tree-impact +Tree: impact mode on/off'
keys q
keys C-c
expect "impact: quit" '^rc=0$'

finish
