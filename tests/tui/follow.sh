#!/bin/sh
# follow.sh — the search results follow saved files and keep the selection by
# identity (qualified name + file), not by row: lines inserted above the
# selected definition move it and the selection follows; when the selected
# definition is deleted the selection moves to its neighbour with a notice.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
make_repo "$repo" || { fail "live: fixture copy"; finish; exit 1; }
# save FILE: rewrite FILE from stdin the way editors do (a new file renamed over it)
save() { cat >"$1.new" && mv "$1.new" "$1"; }

start_shell 80x24
type_line "cd $repo"
run_app
expect "live: the index is up to date" '11 files +[0-9]+ symbols +up to date'
keys -l 'hash_str'
expect "live: three results" '^> hash_str +3/3 *$'
keys Down
expect "live: the second hash_string selected" '^> func +hash_string +lib/hash\.c:7 *$'
check "live: ... under the first" '^  func +hash_string +lib/compat\.c:4 *$'

# four lines above it, one of them a function that ranks first (an exact
# name): the selected definition moves down a line on disk and a row down
# in the results, and the selection goes with it
{ printf '/* one */\n/* two */\n/* three */\nunsigned long hash_str(void) { return 0; }\n'
  cat "$repo/lib/hash.c"; } | save "$repo/lib/hash.c"
expect "live: four results" '^> hash_str +4/4 *$'
check "live: ... the selection followed hash_string to line 11" '^> func +hash_string +lib/hash\.c:11 *$'
check "live: ... on the same screen row (the list scrolled by one)" '^  func +hash_string +lib/compat\.c:4 *$'
expect "live: ... and the preview too" '─ lib/hash\.c:11 ─'
keys Home
expect "live: the new first result above" '^> func +hash_str +lib/hash\.c:4 *$'
keys Down Down
expect "live: back on hash_string" '^> func +hash_string +lib/hash\.c:11 *$'

grep -v -e '^unsigned long hash_string' "$repo/lib/hash.c" | sed '/^{$/,/^}$/d' | save "$repo/lib/hash.c"
expect "live: the selected definition deleted: a notice" \
	'hash_string is gone; selection moved'
check "live: ... three results left" '^> hash_str +3/3 *$'
check "live: ... and the selection on the row that took its place" \
	'^> proto +hash_string +include/registry\.h:25 *$'
keys C-c
expect "live: quit" '^rc=0$'

finish
