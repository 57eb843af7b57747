#!/bin/sh
# Run every test suite and print one closing line "N passed, M failed".
#   unit/     cmocka binaries built by make into BUILD/tests/
#   extract/  extraction cases: input files + exact expected output
#   cli/      end-to-end checks of the cidx command line on fixture repositories
#   tui/      cidx-tui in a real terminal (a private tmux server per script)
# Usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
export CIDX_BIN="$(cd "$build" && pwd)/cidx"
export CIDX_TUI_BIN="$(cd "$build" && pwd)/cidx-tui"
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Pinned environment: nothing from the developer's own setup leaks in.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset XDG_CACHE_HOME XDG_CONFIG_HOME CIDX_CACHE_DIR CIDX_CAS_MAX

count() { # count "ok"/"FAIL" lines of a suite's output in $log
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log")
	passed=$((passed + p)); failed=$((failed + f))
}

for t in "$build"/tests/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" >"$log" 2>&1; then
		n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		echo "ok unit/$name (${n:-0} cases)"
		passed=$((passed + 1))
	else
		cat "$log"
		echo "FAIL unit/$name"
		failed=$((failed + 1))
	fi
done

for suite in "$here"/extract/run.sh "$here"/cli/*.sh "$here"/tui/[!l]*.sh; do
	[ -f "$suite" ] || continue
	sh "$suite" >"$log" 2>&1
	rc=$?
	cat "$log"
	count
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
		echo "FAIL $(basename "$suite") exited $rc"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
