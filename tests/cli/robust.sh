#!/bin/sh
# Safety and robustness of `cidx index`: hostile repository configuration is
# never executed, the repository is never written, damaged indexes are moved
# aside and rebuilt, unwritable cache directories give a clear error, runs
# killed at any moment are completed by the next run, and the index does not
# depend on the number of workers.
. "$(dirname "$0")/lib.sh"
cidx=$CIDX_BIN

# ---- a repository whose configuration would run programs -----------------
repo=$T_TMP/hostile
mkdir -p "$repo/src"
git init -q "$repo"
marker=$T_TMP/PWNED
cat >"$repo/.git/evil.sh" <<EOS
#!/bin/sh
touch "$marker"
EOS
chmod +x "$repo/.git/evil.sh"
for h in pre-commit post-checkout post-index-change fsmonitor-watchman reference-transaction; do
	cp "$repo/.git/evil.sh" "$repo/.git/hooks/$h"
done
git -C "$repo" config core.fsmonitor "$repo/.git/evil.sh"
git -C "$repo" config core.hooksPath "$repo/.git/hooks"
git -C "$repo" config filter.evil.smudge "$repo/.git/evil.sh"
git -C "$repo" config filter.evil.clean "$repo/.git/evil.sh"
git -C "$repo" config diff.external "$repo/.git/evil.sh"
echo '*.c filter=evil' >"$repo/.gitattributes"
printf 'int f(void) { return g(); }\nint g(void) { return 0; }\n' >"$repo/src/a.c"
before=$(cd "$repo" && find . -path ./.git -prune -o -print | sort | xargs ls -ld --time-style=+%s.%N 2>/dev/null | md5sum)
expect_rc "index hostile repo" 0 "$cidx" index "$repo"
expect_rc "query hostile repo" 0 sh -c "cd '$repo/src' && '$cidx' query callers g"
[ -e "$marker" ] && fail "nothing configured by the repository runs" "$marker was created" \
	|| pass "nothing configured by the repository runs"
after=$(cd "$repo" && find . -path ./.git -prune -o -print | sort | xargs ls -ld --time-style=+%s.%N 2>/dev/null | md5sum)
expect_eq "the repository is never written" "$before" "$after"

# ---- damaged and foreign indexes ------------------------------------------
db=$T_TMP/db/index.db
mkdir -p "$T_TMP/db"
expect_rc "index into --db" 0 "$cidx" index "$repo" --db "$db"
good=$("$cidx" dump --db "$db")
head -c 3000 /dev/urandom >"$db"; rm -f "$db-wal" "$db-shm"
expect_rc "garbage index is rebuilt" 0 "$cidx" index "$repo" --db "$db"
expect_match "garbage index: one-line notice" "moved it to '.*index.db.bad-1'" "$T_ERR"
expect_eq "garbage index: rebuilt dump" "$good" "$("$cidx" dump --db "$db")"
size=$(stat -c %s "$db"); head -c $((size / 2)) "$db" >"$db.t" && mv "$db.t" "$db"
expect_rc "truncated index is rebuilt" 0 "$cidx" index "$repo" --db "$db"
expect_eq "truncated index: rebuilt dump" "$good" "$("$cidx" dump --db "$db")"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"update meta set value='999' where key='schema'\"); c.commit()" "$db"
expect_rc "query on a newer-schema index fails" 1 "$cidx" query def f --db "$db"
expect_match "newer schema: says so" "made by a newer cidx" "$T_ERR"
expect_rc "newer-schema index is moved aside and rebuilt" 0 "$cidx" index "$repo" --db "$db"
expect_match "newer schema: notice" "made by a newer cidx.*rebuilding" "$T_ERR"
expect_eq "newer schema: rebuilt dump" "$good" "$("$cidx" dump --db "$db")"

# ---- an unwritable cache directory ------------------------------------------
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$T_TMP/ro"; chmod 500 "$T_TMP/ro"
	expect_rc "read-only cache dir fails" 1 env CIDX_CACHE_DIR="$T_TMP/ro/cache" "$cidx" index "$repo"
else
	# root ignores permission bits: a cache "directory" that is a file does the same job
	: >"$T_TMP/ro"
	expect_rc "unusable cache dir fails" 1 env CIDX_CACHE_DIR="$T_TMP/ro/cache" "$cidx" index "$repo"
fi
expect_match "unusable cache dir: names the path and the override" "ro/cache.*CIDX_CACHE_DIR.*--db" "$T_ERR"

# ---- no index yet ----------------------------------------------------------
mkdir -p "$T_TMP/fresh"; git init -q "$T_TMP/fresh"
expect_rc "query before any index" 1 sh -c "cd '$T_TMP/fresh' && '$cidx' query def f"
expect_match "query before any index: says what to do" "run 'cidx index'" "$T_ERR"

# ---- bad arguments ----------------------------------------------------------
expect_rc "an empty NAME is a usage error" 2 "$cidx" query def "" --db "$db"
expect_match "an empty NAME: says so" "NAME to look up is empty" "$T_ERR"
expect_rc "index of a missing directory" 1 "$cidx" index "$T_TMP/nowhere"
expect_match "missing directory: names it" "cannot open '.*nowhere': No such file" "$T_ERR"
expect_rc "index of a file" 1 "$cidx" index "$repo/src/a.c"
expect_match "index of a file: says to give the directory" "is not a directory; give the directory" "$T_ERR"

# ---- a generated tree: workers and kills -------------------------------------
gen=$T_TMP/gen
python3 - "$gen" <<'EOS'
import os, sys, random
root = sys.argv[1]
rnd = random.Random(7)
for d in range(40):
    os.makedirs(f"{root}/d{d}", exist_ok=True)
    for f in range(50):
        n = d * 50 + f
        with open(f"{root}/d{d}/f{f}.c", "w") as fh:
            for k in range(8):
                callees = " ".join(f"fn_{rnd.randrange(2000)}_{rnd.randrange(8)}(x);" for _ in range(3))
                fh.write(f"int fn_{n}_{k}(int x) {{ {callees} return x; }}\n")
EOS
git init -q "$gen"
"$cidx" index "$gen" --db "$T_TMP/j1.db" --jobs 1 >/dev/null
"$cidx" index "$gen" --db "$T_TMP/j4.db" --jobs 4 >/dev/null
clean=$("$cidx" dump --db "$T_TMP/j1.db")
expect_eq "dump is the same for --jobs 1 and --jobs 4" "$clean" "$("$cidx" dump --db "$T_TMP/j4.db")"
expect_eq "2000 files indexed" 2000 "$(printf '%s\n' "$clean" | grep -c '^file ')"

# Kill runs at random moments while they write; every next run must
# complete the index. Before each run every file changes (so the run has a
# full tree to re-parse), and a kill only counts when it hit a live run.
kdb=$T_TMP/kill.db
ok=1
hits=0
# how long one run that re-parses every file takes on this machine, now;
# a kill that comes too late (the run had finished) shortens the estimate
start=$(python3 -c 'import time; print(time.monotonic())')
"$cidx" index "$gen" --db "$T_TMP/timing.db" --jobs 2 >/dev/null
full=$(python3 -c "import time; print(time.monotonic() - $start)")
i=0
while [ $hits -lt 24 ] && [ $i -lt 48 ]; do
	i=$((i + 1))
	python3 - "$gen" "$i" <<'EOS'
import os, sys
root, i = sys.argv[1], sys.argv[2]
for d in sorted(os.listdir(root)):
    if d.startswith("d"):
        for f in os.listdir(os.path.join(root, d)):
            with open(os.path.join(root, d, f), "a") as fh:
                fh.write(f"/* edit {i} */\n")
EOS
	"$cidx" index "$gen" --db "$kdb" --jobs 2 >"$T_TMP/kout" 2>&1 &
	pid=$!
	# a moment within the run: a seeded fraction of how long a full re-parse took
	python3 -c "import time,random; random.seed($i); time.sleep($full * random.uniform(0.05, 0.7))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# a run that printed its summary had committed everything: not a hit
	if grep -q '^indexed ' "$T_TMP/kout"; then
		full=$(python3 -c "print($full * 0.6)")
	else
		hits=$((hits + 1))
	fi
done
[ $hits -ge 20 ] && pass "at least 20 kills hit a running index ($hits)" \
	|| fail "at least 20 kills hit a running index" "only $hits did"
"$cidx" index "$gen" --db "$kdb" >/dev/null 2>"$T_TMP/kerr" || ok=0
"$cidx" index "$gen" --db "$T_TMP/clean.db" >/dev/null
integ=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0])" "$kdb")
expect_eq "after the kills: integrity_check" ok "$integ"
expect_eq "after the kills: the next run completes the index" "$("$cidx" dump --db "$T_TMP/clean.db")" "$("$cidx" dump --db "$kdb")"
[ $ok = 1 ] && pass "after the kills: the next run succeeds" || fail "after the kills: the next run succeeds" "$(cat "$T_TMP/kerr")"

finish
