#!/bin/sh
# The cache tiers, proved by the per-run counters of `cidx stats --json`:
# every listed file is served by exactly one of l0, l1, l2, l3 or parsed.
. "$(dirname "$0")/lib.sh"
cidx=$CIDX_BIN

# last_run field(s) of the index of repository $1, as "k=v ..." text
run() {
	(cd "$1" && "$cidx" stats --json) | python3 -c '
import json, sys
r = json.load(sys.stdin)["last_run"]
assert r["files"] == r["l0"] + r["l1"] + r["l2"] + r["l3"] + r["parsed"], r
print(" ".join("%s=%d" % (k, r[k]) for k in ("files", "l0", "l1", "l2", "l3", "parsed", "removed")))'
}

mkrepo() { # mkrepo DIR SEED: 30 C files of distinct content
	python3 - "$1" "$2" <<'EOS'
import os, sys
root, seed = sys.argv[1], sys.argv[2]
os.makedirs(root + "/src/sub", exist_ok=True)
for i in range(30):
    d = "src/sub" if i % 3 == 0 else "src"
    with open(f"{root}/{d}/m{i}.c", "w") as f:
        f.write(f"/* {seed} */\nint f{i}(int x) {{ return g{i}(x) + {i}; }}\nstatic int g{i}(int x) {{ return x; }}\n")
EOS
	git init -q "$1"
}

a=$T_TMP/a
mkrepo "$a" one
"$cidx" index "$a" >/dev/null
expect_eq "cold: every file parsed" "files=30 l0=0 l1=0 l2=0 l3=0 parsed=30 removed=0" "$(run "$a")"
"$cidx" index "$a" >/dev/null
expect_eq "nothing changed: all L0" "files=30 l0=30 l1=0 l2=0 l3=0 parsed=0 removed=0" "$(run "$a")"
find "$a/src" -name '*.c' -exec touch -d '2030-01-01 00:00:00' {} +
"$cidx" index "$a" >/dev/null
expect_eq "touched, unchanged: all L2" "files=30 l0=0 l1=0 l2=30 l3=0 parsed=0 removed=0" "$(run "$a")"
dump_a=$(cd "$a" && "$cidx" dump)

cp -a "$a" "$T_TMP/clone"
"$cidx" index "$T_TMP/clone" >/dev/null
expect_eq "a clone at another path: all L3" "files=30 l0=0 l1=0 l2=0 l3=30 parsed=0 removed=0" "$(run "$T_TMP/clone")"
expect_eq "a clone at another path: same index" "$dump_a" "$(cd "$T_TMP/clone" && "$cidx" dump)"

rm -rf "$CIDX_CACHE_DIR/repos"
"$cidx" index "$a" >/dev/null
expect_eq "index.db deleted: rebuilt from L3" "files=30 l0=0 l1=0 l2=0 l3=30 parsed=0 removed=0" "$(run "$a")"
expect_eq "index.db deleted: same index" "$dump_a" "$(cd "$a" && "$cidx" dump)"

# identical files inside one repository: parsed once, the rest from L1
dup=$T_TMP/dup
mkdir -p "$dup"; git init -q "$dup"
for i in 1 2 3 4 5 6; do printf 'int same(void) { return other(); }\n' >"$dup/copy$i.c"; done
printf 'int other(void) { return 1; }\n' >"$dup/other.c"
"$cidx" index "$dup" --jobs 2 >/dev/null
expect_eq "identical files parsed once" "files=7 l0=0 l1=5 l2=0 l3=0 parsed=2 removed=0" "$(run "$dup")"

# edits, deletes and renames touch only what changed
printf 'int f1(int x) { return h(x); }\n' >"$a/src/m1.c"
"$cidx" index "$a" >/dev/null
expect_eq "one file edited: one parse" "files=30 l0=29 l1=0 l2=0 l3=0 parsed=1 removed=0" "$(run "$a")"
rm "$a/src/m2.c"
"$cidx" index "$a" >/dev/null
expect_eq "one file deleted" "files=29 l0=29 l1=0 l2=0 l3=0 parsed=0 removed=1" "$(run "$a")"
expect_eq "deleted file: its rows are gone" "" "$(cd "$a" && "$cidx" dump | grep 'm2\.c')"
mv "$a/src/m4.c" "$a/src/renamed.c"
"$cidx" index "$a" >/dev/null
expect_eq "renamed file: no parse" "files=29 l0=28 l1=0 l2=0 l3=1 parsed=0 removed=1" "$(run "$a")"
cp -a "$a" "$T_TMP/fresh-a"
rm -rf "$T_TMP/fresh-a/.git" && git init -q "$T_TMP/fresh-a"
"$cidx" index "$T_TMP/fresh-a" --db "$T_TMP/fresh.db" >/dev/null
expect_eq "after edit, delete and rename: same as a fresh index" \
	"$("$cidx" dump --db "$T_TMP/fresh.db")" "$(cd "$a" && "$cidx" dump)"

# the L3 size cap evicts least recently used entries
export CIDX_CACHE_DIR="$T_TMP/cap-cache"
p=$T_TMP/p; q=$T_TMP/q
mkrepo "$p" pp; mkrepo "$q" qq
"$cidx" index "$p" >/dev/null
one=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select sum(size) from cas').fetchone()[0])" "$CIDX_CACHE_DIR/cas.db")
export CIDX_CAS_MAX=$one   # room for exactly one repository
"$cidx" index "$q" >/dev/null
cp -a "$p" "$T_TMP/p2"; cp -a "$q" "$T_TMP/q2"
"$cidx" index "$T_TMP/q2" >/dev/null
expect_eq "cap: recently used entries kept" "files=30 l0=0 l1=0 l2=0 l3=30 parsed=0 removed=0" "$(run "$T_TMP/q2")"
"$cidx" index "$T_TMP/p2" >/dev/null
expect_eq "cap: least recently used entries evicted" "files=30 l0=0 l1=0 l2=0 l3=0 parsed=30 removed=0" "$(run "$T_TMP/p2")"
left=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select sum(size) from cas').fetchone()[0])" "$CIDX_CACHE_DIR/cas.db")
[ "$left" -le "$CIDX_CAS_MAX" ] && pass "cap: cache within CIDX_CAS_MAX ($left <= $CIDX_CAS_MAX)" \
	|| fail "cap: cache within CIDX_CAS_MAX" "$left > $CIDX_CAS_MAX"
expect_rc "bad CIDX_CAS_MAX is a clear error" 1 env CIDX_CAS_MAX=lots "$cidx" index "$p"
expect_match "bad CIDX_CAS_MAX: says what to use" "CIDX_CAS_MAX='lots' is not a size" "$T_ERR"
unset CIDX_CAS_MAX

finish
