#!/bin/sh
# langs.sh — the per-language fixture repositories tests/fixtures/lang-*/.
#
# Each holds source files written for the test and, beside them:
#   expected-edges    every call site's edge as `cidx edges` prints it
#                     (grammars/RESOLUTION.md), written by hand from what the
#                     code really calls: the ground truth;
#   queries           cidx arguments, one command per line (optional);
#   expected-queries  the exact transcript of those commands, checked by hand.
# The repository is copied (without those three files), git init-ed and
# indexed; precision and recall of the edges against expected-edges are
# printed and must both be 100%.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
fixtures=$here/../fixtures

for dir in "$fixtures"/lang-*/; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	repo="$T_TMP/$name"
	mkdir -p "$repo"
	(cd "$dir" && tar cf - --exclude=expected-edges --exclude=queries --exclude=expected-queries .) |
		(cd "$repo" && tar xf -)
	git -C "$repo" init -q
	if ! (cd "$repo" && "$CIDX_BIN" index --jobs 2 >"$T_TMP/index.out" 2>&1); then
		fail "$name: index" "$(cat "$T_TMP/index.out")"
		continue
	fi
	if [ ! -f "$dir/expected-edges" ]; then
		fail "$name: edges" "no expected-edges in $dir"
	else
		(cd "$repo" && "$CIDX_BIN" edges) >"$T_TMP/edges" 2>&1
		# precision and recall over the set of edge lines
		LC_ALL=C sort -u "$T_TMP/edges" >"$T_TMP/got"
		grep -v '^#' "$dir/expected-edges" | grep -v '^$' | LC_ALL=C sort -u >"$T_TMP/want"
		both=$(LC_ALL=C comm -12 "$T_TMP/got" "$T_TMP/want" | wc -l)
		got=$(wc -l <"$T_TMP/got")
		want=$(wc -l <"$T_TMP/want")
		pr=$(awk -v b="$both" -v g="$got" -v w="$want" 'BEGIN {
			printf "precision %.1f%% recall %.1f%%, %d edges", g ? 100 * b / g : 100, w ? 100 * b / w : 100, w }')
		if [ "$both" -eq "$got" ] && [ "$both" -eq "$want" ]; then
			pass "$name: edges ($pr)"
		else
			fail "$name: edges ($pr)" "only in cidx edges (+) / only in expected-edges (-):" \
				"$(LC_ALL=C comm -3 "$T_TMP/got" "$T_TMP/want" | sed 's/^\t/- /; t; s/^/+ /')"
		fi
	fi
	if [ -f "$dir/queries" ]; then
		: >"$T_TMP/actual"
		while IFS= read -r args; do
			[ -n "$args" ] || continue
			# shellcheck disable=SC2086 # the arguments are words
			tr_run "$repo" $args
		done <"$dir/queries"
		if [ -f "$dir/expected-queries" ]; then
			tr_check "$name: queries" "$dir/expected-queries"
		else
			fail "$name: queries" "no expected-queries in $dir; the transcript was:" "$(cat "$T_TMP/actual")"
		fi
	fi
done
finish
