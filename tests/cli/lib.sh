# Shared helpers for the CLI end-to-end scripts (sourced, POSIX sh).
# Each check prints "ok NAME" or "FAIL NAME" (with what was seen); the
# script ends with finish, which prints "N passed, M failed".
: "${CIDX_BIN:?CIDX_BIN must point at build/cidx}"
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cidx-test.XXXXXX")
trap 'chmod -R u+w "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT
export CIDX_CACHE_DIR="$T_TMP/cache"
export HOME="$T_TMP/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1

pass() { echo "ok $1"; T_PASS=$((T_PASS + 1)); }
fail() { echo "FAIL $1"; shift; for l in "$@"; do echo "  $l"; done; T_FAIL=$((T_FAIL + 1)); }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $2" "actual:   $3"; fi
}

# expect_rc NAME RC command...: run command, compare exit status; output in $T_OUT/$T_ERR
expect_rc() {
	name=$1; want=$2; shift 2
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	got=$?
	T_OUT=$(cat "$T_TMP/out"); T_ERR=$(cat "$T_TMP/err")
	if [ "$got" = "$want" ]; then pass "$name"; else
		fail "$name" "exit $got, expected $want: $*" "stdout: $T_OUT" "stderr: $T_ERR"; fi
}

# expect_match NAME PATTERN TEXT (grep -E)
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "no match for /$2/ in:" "$3"; fi
}

# json_get JSON PYTHON-EXPR(d): evaluate an expression over parsed JSON
json_get() { printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

finish() { echo "$T_PASS passed, $T_FAIL failed"; [ "$T_FAIL" -eq 0 ]; }

# Exact transcripts: tr_run DIR ARGS... runs cidx ARGS in DIR and appends to
# $T_TMP/actual a header "== cidx ARGS", the output (stdout and stderr, the
# scratch directory shown as TMP; of a usage error, exit 2, the first line)
# and "exit N" when it fails; tr_check NAME
# EXPECTED [KEEP] compares the transcript with file EXPECTED (KEEP: a file
# to copy the actual transcript to).
: >"$T_TMP/actual"
tr_run() {
	tr_dir=$1; shift
	echo "== cidx $*" >>"$T_TMP/actual"
	(cd "$tr_dir" && "$CIDX_BIN" "$@") >"$T_TMP/tr.out" 2>&1
	tr_rc=$?
	# a usage error: its first line (the usage text that follows changes
	# whenever a command is added)
	if [ $tr_rc -eq 2 ]; then head -n 1 "$T_TMP/tr.out"; else cat "$T_TMP/tr.out"; fi |
		sed "s|$T_TMP|TMP|g" >>"$T_TMP/actual"
	[ $tr_rc -eq 0 ] || echo "exit $tr_rc" >>"$T_TMP/actual"
}
tr_check() { # tr_check NAME EXPECTED [COPY]; CIDX_TEST_UPDATE=1 rewrites EXPECTED
	[ -n "${3:-}" ] && cp "$T_TMP/actual" "$3"
	[ -n "${CIDX_TEST_UPDATE:-}" ] && cp "$T_TMP/actual" "$2"
	if diff -u "$2" "$T_TMP/actual" >"$T_TMP/tr.diff"; then
		pass "$1"
	else
		fail "$1" "$(cat "$T_TMP/tr.diff")"
	fi
}
