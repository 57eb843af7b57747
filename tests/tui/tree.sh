#!/bin/sh
# tree.sh — the call tree, the editor jump and the history of visits, on a
# copy of the graph fixture (plus one file whose call of dup() is
# ambiguous): walk callers three levels deep, toggle the direction, check
# the exact rows; a fake editor records its argv; back and forward with the
# breadcrumb line.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
cp -R "$here/../fixtures/graph-repo" "$repo" && git init -q "$repo" >/dev/null 2>&1 ||
	{ fail "tree fixture copy"; finish; exit 1; }
printf 'void calls_dup(void) { dup(); }\n' >"$repo/d.c"
real=$(cd "$repo" && pwd -P)

# a fake editor: its arguments, one a line, into $T_TMP/argv
mkdir -p "$T_TMP/bin"
cat >"$T_TMP/bin/fake-ed" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T_TMP/argv"
EOF
cp "$T_TMP/bin/fake-ed" "$T_TMP/bin/code"
chmod +x "$T_TMP/bin/fake-ed" "$T_TMP/bin/code"

# tree_of: the tree's rows in a screen on stdin (from line 3 to the
# preview's title, the first line starting with a rule), trailing blanks cut
tree_of() { awk 'NR >= 3 && /^─ / { exit } NR >= 3' | sed 's/ *$//'; }
rows_are() { p_last=$(screen); [ "$(printf '%s\n' "$p_last" | tree_of)" = "$1" ]; }
# expect_rows NAME EXPECTED: wait until the rows are exactly EXPECTED
expect_rows() { poll "$1" "expected rows:
$2
but not" rows_are "$2" && pass "$1"; }

start_shell 100x30
type_line "cd $repo && export VISUAL=$T_TMP/bin/fake-ed"
run_app
expect "tree: the index is up to date" '5 files +[0-9]+ symbols +up to date'

# ---- the call tree --------------------------------------------------------------
keys -l '^leaf$'
expect "tree: leaf found" '^> func +leaf +a\.c:3 *$'
keys C-t
expect "tree: C-t opens the callees of the selection" '^callees of leaf +1/1 *$'
expect "tree: leaf calls nothing" 'no callees'
keys d
expect "tree: d switches to the callers" '^callers of leaf +1/6 *$'
expect_rows "tree: the callers of leaf, one level" "> ▾ leaf  a.c:3
    ▸ mid1  a.c:4  1 site  same-file
    ▸ mid2  a.c:5  2 sites  same-file
    ▸ ping  a.c:13  1 site  same-file
    ▸ helper_user  b.c:3  1 site  name-only
    ▸ test_leaf  tests/test_leaf.c:1  1 site  name-only"
check "tree: the breadcrumb shows the visit" '^leaf *$'
keys Down Right
keys Down l
keys Down Enter
expect_rows "tree: Right, l and Enter expand three levels deep" "  ▾ leaf  a.c:3
    ▾ mid1  a.c:4  1 site  same-file
      ▾ top  a.c:6  1 site  same-file
>       ▾ chain4  a.c:7  1 site  same-file
          ▸ chain5  a.c:8  1 site  same-file
    ▸ mid2  a.c:5  2 sites  same-file
    ▸ ping  a.c:13  1 site  same-file
    ▸ helper_user  b.c:3  1 site  name-only
    ▸ test_leaf  tests/test_leaf.c:1  1 site  name-only"
expect "tree: the preview moves to the call site (chain4 calls top on line 7)" '^─ a\.c:7 ─'
check "tree: the call site line is shown" '^void chain4\(void\) \{ top\(\); \}'
keys Left
keys Left
keys h
expect_rows "tree: Left collapses, Left again goes to the parent, h collapses it" "  ▾ leaf  a.c:3
    ▾ mid1  a.c:4  1 site  same-file
>     ▸ top  a.c:6  1 site  same-file
    ▸ mid2  a.c:5  2 sites  same-file
    ▸ ping  a.c:13  1 site  same-file
    ▸ helper_user  b.c:3  1 site  name-only
    ▸ test_leaf  tests/test_leaf.c:1  1 site  name-only"
# a live update: the graph is reloaded and the tree re-rooted with the new caller
printf 'void newcaller(void) { leaf(); }\n' >"$repo/e.c"
expect "tree: a live update re-roots the tree" 'the call graph changed: tree re-rooted'
expect_rows "tree: ... keeps what was open and selected, and the new caller is there" "  ▾ leaf  a.c:3
    ▾ mid1  a.c:4  1 site  same-file
>     ▸ top  a.c:6  1 site  same-file
    ▸ mid2  a.c:5  2 sites  same-file
    ▸ ping  a.c:13  1 site  same-file
    ▸ helper_user  b.c:3  1 site  name-only
    ▸ newcaller  e.c:1  1 site  name-only
    ▸ test_leaf  tests/test_leaf.c:1  1 site  name-only"
rm "$repo/e.c"
expect "tree: ... and gone again when its file is" '^callers of leaf +3/7 *$'
keys d
expect "tree: d switches back to the callees" '^callees of leaf +1/1 *$'
expect_rows "tree: callees of leaf: the root alone" "> ▾ leaf  a.c:3"

# recursion is marked and not expanded
keys q
expect "tree: q closes the tree" '^> \^leaf\$'
keys C-u
keys -l '^ping$'
expect "tree: ping found" '^> func +ping +a\.c:13 *$'
keys C-t
keys Down Down Right
expect_rows "tree: a cycle back to the root is marked" "  ▾ ping  a.c:13
    ▸ leaf  a.c:3  1 site  same-file
>   ▾ pong  a.c:12  1 site  same-file
      ↻ ping  a.c:13  1 site  same-file  (recursion)"
keys Down Right
expect "tree: a marked node does not expand" 'recursion: this call leads back'
expect_rows "tree: ... and the rows stay" "  ▾ ping  a.c:13
    ▸ leaf  a.c:3  1 site  same-file
    ▾ pong  a.c:12  1 site  same-file
>     ↻ ping  a.c:13  1 site  same-file  (recursion)"

# an ambiguous edge is marked
keys q C-u
keys -l '^calls_dup$'
expect "tree: calls_dup found" '^> func +calls_dup +d\.c:1 *$'
keys C-t
expect "tree: an ambiguous call is marked with !" '^ +▸ dup +b\.c:4 +1 site +!ambiguous *$'

# ---- the editor -----------------------------------------------------------------
keys Down e
i=0
while [ ! -s "$T_TMP/argv" ] && [ $i -lt $((DEADLINE * 20)) ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "tree: e runs \$VISUAL +LINE FILE at the call site" "+1
$real/d.c" "$(cat "$T_TMP/argv" 2>/dev/null)"
expect "tree: the screen comes back after the editor" '^callees of calls_dup'
rm -f "$T_TMP/argv"
keys q C-u
keys -l '^top$'
expect "tree: top found" '^> func +top +a\.c:6 *$'
keys C-o
i=0; while [ ! -s "$T_TMP/argv" ] && [ $i -lt $((DEADLINE * 20)) ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "tree: C-o in the results opens the definition" "+6
$real/a.c" "$(cat "$T_TMP/argv" 2>/dev/null)"
expect "tree: the results come back after the editor" '^> func +top +a\.c:6 *$'
keys C-c
expect "tree: quit (fake-ed)" '^rc=0$'

rm -f "$T_TMP/argv"
type_line "clear; export VISUAL='$T_TMP/bin/code --wait'"
run_app
expect "tree: started again (code)" 'up to date'
keys -l '^mid2$'
expect "tree: mid2 found" '^> func +mid2 +a\.c:5 *$'
keys C-o
i=0; while [ ! -s "$T_TMP/argv" ] && [ $i -lt $((DEADLINE * 20)) ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "tree: VS Code gets its own arguments, then -g FILE:LINE" "--wait
-g
$real/a.c:5" "$(cat "$T_TMP/argv" 2>/dev/null)"
keys C-c
expect "tree: quit (code)" '^rc=0$'

type_line "clear; export VISUAL=$T_TMP/no-such-editor"
run_app
expect "tree: started again (missing editor)" 'up to date'
keys -l '^mid2$'
expect "tree: mid2 found again" '^> func +mid2 +a\.c:5 *$'
keys C-o
expect "tree: an editor that cannot start is reported" "cannot start the editor '.*no-such-editor': No such file or directory"
check "tree: ... and the app is still there" '^> func +mid2 +a\.c:5 *$'

# ---- history --------------------------------------------------------------------
keys C-u
keys -l '^leaf$'
expect "history: leaf found" '^> func +leaf +a\.c:3 *$'
keys C-t
keys d
expect "history: callers of leaf" '^callers of leaf'
keys Down r
expect "history: r makes mid1 the root" '^callers of mid1 '
check "history: two visits in the breadcrumb" '^leaf › mid1 *$'
keys Down r
expect "history: top is the root" '^callers of top '
check "history: three visits" '^leaf › mid1 › top *$'
keys '['
expect "history: [ goes back to mid1" '^callers of mid1 '
check "history: the breadcrumb keeps the later visit" '^leaf › mid1 › top *$'
keys M-Left
expect "history: Alt-Left goes back to leaf" '^callers of leaf '
keys M-Left
expect "history: nothing before the first visit" 'no earlier visit'
keys ']'
expect "history: ] goes forward to mid1" '^callers of mid1 '
keys M-Right
expect "history: Alt-Right goes forward to top" '^callers of top '
keys '['
expect "history: back to mid1 again" '^callers of mid1 '
keys Down r
expect "history: a new visit from the middle" '^callers of top '
check "history: ... replaces the later ones" '^leaf › mid1 › top *$'
keys Up Up
keys Down
expect "history: select chain4's row" '^> +▸ chain4 '
keys r
expect "history: chain4 visited" '^callers of chain4 '
check "history: four in the breadcrumb" '^leaf › mid1 › top › chain4 *$'
keys '?'
expect "history: ? opens the help" 'cidx-tui keys'
keys End
expect "history: ? lists the tree keys" 'tree-expand +Tree: expand the selected node'
check "history: ? lists the history keys" '^ +\[ +history-back +Back to the previously visited symbol'
keys q

# thousands of children: only the rows on screen are drawn
awk 'BEGIN { print "void hub(void) {}"; for (i = 0; i < 3000; i++) printf "void c%04d(void) { hub(); }\n", i }' \
	>"$repo/hub.c"
expect "tree: the hub file is indexed" '6 files +[0-9,]+ symbols'
keys q C-u
keys -l '^hub$'
expect "tree: hub found" '^> func +hub +hub\.c:1 *$'
keys C-t
# (a tree asked for while the graph takes in the new file opens when it is in)
expect "tree: the tree of hub" '^callees of hub +1/1 *$'
keys d
expect "tree: 3000 callers open" '^callers of hub +1/3001 *$'
check "tree: the first caller" '^    ▸ c0000  hub\.c:2  1 site  same-file *$'
keys End
expect "tree: End reaches the last of them" '^callers of hub +3001/3001 *$'
check "tree: the last caller is drawn" '^>   ▸ c2999  hub\.c:3001  1 site  same-file *$'
expect "tree: the preview is at its call site" '─ hub\.c:3001 ─'
keys C-c
expect "tree: quit" '^rc=0$'

finish
