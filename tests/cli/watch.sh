#!/bin/sh
# `cidx watch`: saved files are re-indexed within moments, with one JSON line
# per committed batch. Every wait is on a condition with a deadline.
. "$(dirname "$0")/lib.sh"
cidx=$CIDX_BIN

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches (grep -E)
wait_for() {
	python3 - "$1" "$2" "${3:-10}" <<'EOS'
import re, sys, time
path, pat, limit = sys.argv[1], re.compile(sys.argv[2]), float(sys.argv[3])
end = time.monotonic() + limit
while time.monotonic() < end:
    try:
        with open(path) as f:
            if any(pat.search(l) for l in f):
                sys.exit(0)
    except FileNotFoundError:
        pass
    time.sleep(0.02)
sys.exit(1)
EOS
}

repo=$T_TMP/w
mkdir -p "$repo/src"; git init -q "$repo"
printf 'int alpha(void) { return beta(); }\nint beta(void) { return 0; }\n' >"$repo/src/a.c"
printf 'int gamma(void) { return alpha(); }\n' >"$repo/src/b.c"

start_watch() { # start_watch OUT ERR [env...]
	out=$1 err=$2; shift 2
	env "$@" "$cidx" watch "$repo" >"$out" 2>"$err" &
	WPID=$!
	wait_for "$err" '^cidx: watching' || fail "watch starts" "$(cat "$err")"
}

start_watch "$T_TMP/wout" "$T_TMP/werr" CIDX_BUSY_TIMEOUT_MS=200
pass "watch starts and says so"

printf 'int alpha(void) { return delta(); }\nint delta(void) { return 1; }\n' >"$repo/src/a.c"
wait_for "$T_TMP/wout" '"changed":\["src/a.c"\]' && pass "an edit is committed" \
	|| fail "an edit is committed" "$(cat "$T_TMP/wout" "$T_TMP/werr")"
expect_rc "the new function is found" 0 sh -c "cd '$repo' && '$cidx' query def delta"
(cd "$repo" && "$cidx" query callees alpha) >"$T_TMP/q" 2>&1
expect_eq "the removed call is gone" "" "$(grep beta "$T_TMP/q")"
expect_match "a batch reports its latency" '"ms":[0-9]+' "$(cat "$T_TMP/wout")"

# editor style: write a temporary file, then rename it over the original
printf 'int gamma(void) { return epsilon(); }\nint epsilon(void) { return 2; }\n' >"$repo/src/.b.c.swp"
mv "$repo/src/.b.c.swp" "$repo/src/b.c"
wait_for "$T_TMP/wout" '"changed":\["src/b.c"\]' && pass "write-temp-then-rename save" \
	|| fail "write-temp-then-rename save" "$(cat "$T_TMP/wout")"
expect_rc "renamed-in content indexed" 0 sh -c "cd '$repo' && '$cidx' query def epsilon"

mkdir -p "$repo/src/new/deeper"
printf 'int zeta(void) { return 3; }\n' >"$repo/src/new/deeper/z.c"
wait_for "$T_TMP/wout" 'src/new/deeper/z.c' && pass "a new directory is watched" \
	|| fail "a new directory is watched" "$(cat "$T_TMP/wout")"
printf 'int eta(void) { return 4; }\n' >"$repo/src/new/deeper/y.c"
wait_for "$T_TMP/wout" 'src/new/deeper/y.c' && pass "files in the new directory are seen" \
	|| fail "files in the new directory are seen" "$(cat "$T_TMP/wout")"

rm "$repo/src/b.c"
wait_for "$T_TMP/wout" '"removed":\["src/b.c"\]' && pass "a delete is committed" \
	|| fail "a delete is committed" "$(cat "$T_TMP/wout")"
expect_rc "deleted symbols are gone" 1 sh -c "cd '$repo' && '$cidx' query def epsilon"

# another process holds the index's write lock: the batch fails, is
# reported, and is retried once the lock is gone
lockdb=$(cd "$repo" && "$cidx" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["db"])')
python3 - "$lockdb" "$T_TMP/locked" "$T_TMP/release" <<'EOS' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
with open(sys.argv[2], "w") as f:
    f.write("locked\n")
end = time.monotonic() + 20
while not os.path.exists(sys.argv[3]) and time.monotonic() < end:
    time.sleep(0.02)
c.execute("ROLLBACK")
EOS
LPID=$!
wait_for "$T_TMP/locked" '^locked' || fail "the test holds the index's write lock" "no lock after 10 s"
printf 'int iota(void) { return 6; }\n' >"$repo/src/i.c"
wait_for "$T_TMP/werr" 'retrying in' && pass "a locked index: the failed batch is reported" \
	|| fail "a locked index: the failed batch is reported" "$(cat "$T_TMP/werr")"
: >"$T_TMP/release"
wait $LPID
wait_for "$T_TMP/wout" '"changed":\["src/i.c"\]' && pass "a locked index: the batch is retried and commits" \
	|| fail "a locked index: the batch is retried and commits" "$(cat "$T_TMP/wout" "$T_TMP/werr")"

kill -TERM $WPID; wait $WPID
expect_eq "watch exits cleanly on SIGTERM" 0 $?
"$cidx" index "$repo" --db "$T_TMP/fresh.db" >/dev/null
expect_eq "watched index equals a fresh index" "$("$cidx" dump --db "$T_TMP/fresh.db")" \
	"$(cd "$repo" && "$cidx" dump)"

# without enough inotify watches: polling, with a notice
start_watch "$T_TMP/out2" "$T_TMP/err2" CIDX_MAX_WATCHES=1
expect_match "watch limit: notice" "watch limit reached.*polling" "$(cat "$T_TMP/err2")"
printf 'int theta(void) { return 5; }\n' >"$repo/src/t.c"
wait_for "$T_TMP/out2" '"changed":\["src/t.c"\]' 10 && pass "watch limit: polling still commits edits" \
	|| fail "watch limit: polling still commits edits" "$(cat "$T_TMP/out2" "$T_TMP/err2")"
kill -TERM $WPID; wait $WPID

finish
