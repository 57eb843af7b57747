#!/bin/sh
# Extraction tests: every directory tests/extract/LANG/CASE holds input files
# and "expected", the exact output of `cidx extract` run inside the case
# directory on the input files (relative names, sorted). Prints "ok CASE" or
# "FAIL CASE" with a diff for each case, then "N passed, M failed".
#   tests/extract/run.sh [CASE_DIR...]      CIDX_BIN overrides build/cidx
#   tests/extract/run.sh --update CASE_DIR  rewrite a case's expected output
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${CIDX_BIN:-$here/../../build/cidx}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
if [ ! -x "$bin" ]; then
	echo "FAIL extract: no cidx binary at $bin"
	echo "0 passed, 1 failed"
	exit 1
fi

run_case() { # run_case DIR: print the extraction of DIR's inputs
	(cd "$1" && ls | LC_ALL=C sort | grep -v '^expected$' |
		xargs "$bin" extract)
}

passed=0
failed=0
if [ $# -gt 0 ]; then
	cases="$*"
else
	cases=$(ls -d "$here"/*/*/ 2>/dev/null | LC_ALL=C sort)
fi
for dir in $cases; do
	dir=${dir%/}
	name=$(basename "$(dirname "$dir")")/$(basename "$dir")
	if [ $update -eq 1 ]; then
		run_case "$dir" >"$dir/expected"
		echo "updated $name"
		continue
	fi
	if [ ! -f "$dir/expected" ]; then
		echo "FAIL $name: no expected output"
		failed=$((failed + 1))
		continue
	fi
	if out=$(run_case "$dir") && [ "$out" = "$(cat "$dir/expected")" ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		printf '%s\n' "$out" | diff -u "$dir/expected" - | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
