#!/bin/sh
# dups.sh — the duplicates pane on a copy of the dups fixture: the summary
# and the clusters against `cidx dups --near --json` of the same index, the
# cache line against `cidx stats --json` of a fresh index of the same tree,
# a unified diff at 80 columns and a side-by-side one at 160, marking two
# members, closing and reopening, and a live update followed in place.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
cp -R "$here/../fixtures/dups-repo" "$repo" && git init -q "$repo" >/dev/null 2>&1 ||
	{ fail "dups fixture copy"; finish; exit 1; }

# py EXPR: evaluate over d (the JSON on stdin)
py() { python3 -c "import json,sys,os; d=json.load(sys.stdin); print($1)"; }

# ---- what the pane must say, from the command line --------------------------------
# A fresh index of the same tree under a cache of its own (its own L3): the
# tiers of its run are those of the app's first run. The app's watcher then
# refreshes once (every file an L0 hit), so the session adds those.
ref=$T_TMP/cache-ref
(cd "$repo" && CIDX_CACHE_DIR=$ref "$CIDX_BIN" index >/dev/null 2>&1) || fail "dups: reference index"
stats=$(cd "$repo" && CIDX_CACHE_DIR=$ref "$CIDX_BIN" stats --json)
json=$(cd "$repo" && CIDX_CACHE_DIR=$ref "$CIDX_BIN" dups --near --json)
files=$(printf '%s' "$stats" | py 'd["last_run"]["files"]')
listed=$(cd "$repo" && find . -type f ! -path './.git/*' | wc -l)
expect_eq "dups: every file of the fixture is indexed (the refresh's bytes are theirs)" "$listed" "$files"
tree_bytes=$(cd "$repo" && find . -type f ! -path './.git/*' -exec cat {} + | wc -c)
# bytes as the pane writes them: exact below 10 KiB, then KiB, then MiB
cache_line=$(printf '%s' "$stats" | py "(lambda r, b: 'this session: l0 %d  l1 %d  l2 %d  l3 %d  parsed %d · %s not re-parsed' % (
	r['l0'] + r['files'], r['l1'], r['l2'], r['l3'], r['parsed'],
	'%d bytes' % b if b < 10240 else '%.1f KiB' % (b / 1024.0) if b < 10 << 20 else '%.1f MiB' % (b / 1048576.0)))(
	d['last_run'], d['last_run']['bytes_reused'] + $tree_bytes)")
summary_of() { # summary_of JSON: the pane's summary line
	printf '%s' "$1" | py "'%d clusters · %d of %d definition lines duplicated (%.1f%%)' % (
		d['summary']['file_groups'] + d['summary']['exact_groups'] + d['summary']['near_clusters'],
		d['summary']['duplicated_lines'], d['summary']['definition_lines'],
		100.0 * (d['summary']['duplicated_lines'] / d['summary']['definition_lines']))"
}
summary=$(summary_of "$json")
# the stats.c cluster: its marker is its lowest similarity
stats_near=$(printf '%s' "$json" | py "[ 'near %.2f   %d definitions  %d lines' % (min(m['similarity'] for m in c['members']), len(c['members']), c['lines'])
	for c in d['clusters'] if c['members'][0]['name'] == 'histogram'][0]")
# regular expression of a literal text

start_shell 80x24
type_line "cd $repo"
run_app
expect "dups: the index is up to date" '10 files +[0-9]+ symbols +up to date'
keys M-d
expect "dups: Alt-d opens the pane" '^duplicates +1/[0-9]+ *$'
expect "dups: the summary is cidx dups --near's ($summary)" "^$(re "$summary") *\$"
expect "dups: the cache line sums the session's runs ($cache_line)" "^$(re "$cache_line") *\$"
check "dups: the duplicate files are a cluster marked exact-file" \
	'^> exact-file  2 files  446 bytes each  include/ringbuf\.h, third_party/ringbuf\.h *$'
check "dups: an exact cluster" '^  exact       2 definitions  21 lines  clamp_value src/math_a\.c:2-8, '
check "dups: the stats.c cluster is marked near with its similarity" \
	"^  $(re "$stats_near")  histogram src/stats\\.c:7-25, "

# ---- the diff ------------------------------------------------------------------
keys End
expect "dups: End selects the last cluster" '^> near 0\.98   2 definitions  41 lines  checksum_block src/checksum\.c:6-25'
keys Enter
expect "dups: Enter shows the members" '^near 0\.98 cluster of 2 '
check "dups: ... the first member" '^> \[ \] 1\. checksum_block  src/checksum\.c:6-25  121 tokens  0\.98 with 2 *$'
check "dups: ... the second member" '^  \[ \] 2\. checksum_block_counted  src/checksum\.c:28-48  125 tokens  0\.98 with 1 *$'
keys Enter
expect "dups: Enter shows the diff of the first two, unified at 80 columns" \
	'^near 0\.98 diff \(unified\): src/checksum\.c:6-25 ↔ src/checksum\.c:28-48 *$'
# (80 columns clip the signatures)
check "dups: the first line removed" '^-unsigned int checksum_block\(const unsigned char \*data, size_t len, unsigned int$'
check "dups: ... replaced" '^\+unsigned int checksum_block_counted\(const unsigned char \*data, size_t len, unsi$'
check "dups: a common line" '^ \{ *$'
check "dups: the added statement (tabs expanded)" '^\+                stats_bytes \+= chunk; *$'
check "dups: the unified diff has 22 lines (19 common, 1 removed, 2 added)" '^duplicates +22 lines *$'
resize 160 40
expect "dups: side by side at 160 columns" '^near 0\.98 diff \(side by side\): '
check "dups: the changed line, left and right (each half clipped)" \
	'^-unsigned int checksum_block\(const unsigned char \*data, size_t len, unsigned i │ \+unsigned int checksum_block_counted\(const unsigned char \*data, size_t len, uns$'
check "dups: the added statement on the right only" '^ +│ \+                stats_bytes \+= chunk; *$'
check "dups: a common line on both sides" '^ {25}b \+= a; +│ {26}b \+= a; *$'
check "dups: the side-by-side diff has 21 rows (the changed signatures side by side)" '^duplicates +21 lines *$'

# ---- marking two members -----------------------------------------------------------
keys Left
expect "dups: Left goes back to the members" '^near 0\.98 cluster of 2 '
keys Left
expect "dups: Left again, to the clusters" '^clusters \(Enter: members\)'
keys Home Down Down Down Down Enter
expect "dups: the stats.c cluster's members" '^near 0\.97 cluster of 3 '
keys Down Down Space Home Space
expect "dups: Space marks the third, then the first" '^> \[2\] 1\. histogram  src/stats\.c:7-25 '
check "dups: ... the third is the first marked" '^  \[1\] 3\. bucket_counts_seen  src/stats\.c:47-67 '
keys Enter
expect "dups: the diff compares the marked two, in the cluster's order" \
	'diff \(side by side\): src/stats\.c:7-25 ↔ src/stats\.c:47-67 *$'
check "dups: ... their names differ" '^-void histogram\(.* +│ \+void bucket_counts_seen\('

# ---- closing and reopening -------------------------------------------------------------
keys q q
expect "dups: q goes back to the clusters" '^clusters \(Enter: members\)'
keys q
wait_gone "dups: q at the clusters closes the pane" '^duplicates ' && pass "dups: q at the clusters closes the pane"
check "dups: ... back to the search" '10 files +[0-9]+ symbols +up to date'
keys M-d
expect "dups: Alt-d reopens it at once" "^$(re "$summary") *\$"

# ---- a live update -------------------------------------------------------------------
keys Home Down Enter
expect "dups: the clamp_value cluster's members" '^exact cluster of 2 '
cp "$repo/src/math_a.c" "$repo/src/math_c.c"
expect "dups: the copy is indexed" '11 files +[0-9]+ symbols +up to date'
json2=$(cd "$repo" && "$CIDX_BIN" dups --near --json)
summary2=$(summary_of "$json2")
expect "dups: the summary follows the live update ($summary2)" "^$(re "$summary2") *\$"
expect "dups: the members view keeps its cluster, now with the copy" '^exact cluster of 3 '
check "dups: ... the new member" '^  \[ \] 3\. clamp_value  src/math_c\.c:2-8  54 tokens *$'

keys '?'
expect "dups: ? lists the duplicates keys" '<M-d> +duplicates +Open the duplicates pane'
keys q
keys C-c
expect "dups: quit" '^rc=0$'
finish
