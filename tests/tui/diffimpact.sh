#!/bin/sh
# diffimpact.sh — the impact of the working-tree diff in the app (Alt-i):
# on a git copy of the graph fixture with one function changed, the title
# names the diff, the rows start with the changed definitions, and the
# header's count per hop, files and tests equal `cidx impact --diff --json`
# at the same depth; + follows the depth; saving a change to another file
# while it is shown brings it in (the graph reloads and the diff is asked
# again); a deleted function's callers are impacted; Esc goes back to the
# results; outside a git repository it says so.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
plain=$T_TMP/plain
cp -R "$here/../fixtures/graph-repo" "$repo" && cp -R "$here/../fixtures/graph-repo" "$plain" &&
	git -C "$repo" init -q && git -C "$repo" add -A &&
	git -C "$repo" -c user.name=t -c user.email=t@localhost commit -q -m base ||
	{ fail "diffimpact: fixture repository"; finish; exit 1; }

# cli_hops DEPTH: the header line the TUI should show, from the command
# line's JSON for the working tree as it is
cli_hops() { (cd "$repo" && "$CIDX_BIN" impact --diff --depth "$1" --json) | hops_from_json; }

# change mid1's body (a.c line 4)
sed -i 's/^void mid1(void) { leaf(); }$/void mid1(void) { leaf(); leaf(); }/' "$repo/a.c"
(cd "$repo" && "$CIDX_BIN" index >/dev/null 2>&1) || fail "diffimpact: cidx index"
want3=$(cli_hops 3)
want4=$(cli_hops 4)
# the fixture's own shape, so that a broken CLI cannot make the test vacuous
expect_eq "diffimpact: cidx impact --diff --depth 3 (mid1 changed)" \
	"hop 1: 1  hop 2: 1  hop 3: 1 · 1 file · 0 tests" "$want3"

start_shell 100x30
type_line "cd $repo"
run_app
expect "diffimpact: the index is up to date" '4 files +[0-9]+ symbols +up to date'
keys M-i
expect "diffimpact: Alt-i shows the diff's impact" \
	'^impact \(depth 3\) of the diff against HEAD: 1 file, 1 changed, 0 deleted +1/4 *$'
expect_hops "diffimpact: the counts per hop equal cidx impact --diff --json (depth 3)" "$want3"
check "diffimpact: the changed definition is the first row" '^> +. mid1 +a\.c:4 *$'
check "diffimpact: its caller at hop 1" '^ +\[1\] top +a\.c:6 +1 site +same-file *$'
keys +
expect "diffimpact: + goes one hop deeper" '^impact \(depth 4\) of the diff against HEAD: '
expect_hops "diffimpact: ... and the counts equal cidx impact --diff --depth 4" "$want4"

# a second change while it is shown: delete pong from a.c (ping calls it)
sed -i '/^void pong(int n)/d' "$repo/a.c"
expect "diffimpact: a saved change is taken in (pong deleted)" \
	'^impact \(depth 4\) of the diff against HEAD: 1 file, [0-9]+ changed, 1 deleted '
want4b=$(cli_hops 4)
expect_hops "diffimpact: ... and the counts equal cidx impact --diff again" "$want4b"
keys Escape
wait_gone "diffimpact: Esc closes it" '^impact \(depth' && pass "diffimpact: Esc closes it"
check "diffimpact: ... back to the results" '^> +[0-9]+/[0-9]+ *$'
keys C-c
expect "diffimpact: quit" '^rc=0$'

# not a git repository: a clear message, and the app goes on
type_line "cd $plain"
run_app
expect "diffimpact: (plain) up to date" '4 files +[0-9]+ symbols +up to date'
keys M-i
expect "diffimpact: outside git it says so" 'is not a git repository'
keys C-c
expect "diffimpact: (plain) quit" '^rc=0$'

finish
