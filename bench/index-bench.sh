#!/usr/bin/env bash
# Index cost of cidx against cscope, universal-ctags and GNU Global, all
# measured in one run on the same corpus: cold index, warm no-change refresh,
# one changed file, a second worktree with a warm shared cache, and
# `cidx watch` save-to-commit latency. Writes bench/results/issue3-<corpus>.md.
#
# Usage: bench/index-bench.sh [options]
#   --corpus big|med  which corpus built by corpus.sh (default: big)
#   --runs N          runs per cold measurement; medians are reported (default: 3)
#   --fast-runs N     runs per sub-second measurement (warm, one file changed);
#                     default: the larger of 5 and --runs
#   --edits N         saves timed against `cidx watch` (default: 20)
#   --out FILE        report path (default: bench/results/issue3-<corpus>.md)
#   --keep            keep the scratch directory (databases, logs)
#
# Environment: CIDX_BENCH_CACHE (corpus cache, see corpus.sh), CIDX (binary,
# default build/cidx; a private copy is taken at the start), TMPDIR (scratch
# space: about 2 GB is needed for BIG).
#
# Nothing is written into the corpus: every database goes to the scratch
# directory, and the change and watch tests edit a private copy (cp -r) of it.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
CIDX_SRC=${CIDX:-$ROOT/build/cidx}
WHICH=big
RUNS=3
FAST_RUNS=
EDITS=20
OUT=
KEEP=0

BENCH_NAME=index-bench

bench_args "corpus=WHICH runs=RUNS fast-runs=FAST_RUNS edits=EDITS out=OUT" "keep=KEEP" "$@"
bench_corpus "$WHICH"
bench_positive RUNS --runs
[[ $EDITS =~ ^[0-9]+$ ]] || die "--edits takes a number"
[[ -n $FAST_RUNS ]] || FAST_RUNS=$((RUNS > 5 ? RUNS : 5))
bench_positive FAST_RUNS --fast-runs
OUT=${OUT:-$HERE/results/issue3-$WHICH.md}

# --- prerequisites ------------------------------------------------------------
((BASH_VERSINFO[0] >= 5)) || die "bash 5 or later is needed (EPOCHREALTIME)"
for t in cscope gtags global python3; do
    command -v $t >/dev/null || die "$t not found (apt-get install cscope global python3)"
done
ctags --version 2>/dev/null | grep -q 'Universal Ctags' ||
    die "universal-ctags not found (apt-get install universal-ctags)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
[[ -x $CIDX_SRC ]] || die "no cidx binary at $CIDX_SRC (run make)"
if [[ ! -d $CORPUS ]]; then
    log "corpus missing; running bench/corpus.sh"
    "$HERE/corpus.sh"
fi
CORPUS=$(cd "$CORPUS" && pwd)

T=$(mktemp -d "${TMPDIR:-/tmp}/cidx-index-bench.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $T"
else trap 'rm -rf "$T"' EXIT; fi
# private copy: build/cidx may be rebuilt while the benchmark runs
cp "$CIDX_SRC" "$T/cidx"
CIDX=$T/cidx
mkdir -p "$T/log" "$T/cwd" "$T/xdg"
printf 'scratch\t%s\n' "$T" >"$T/meta.tsv"   # replaced by SCRATCH in the report
export XDG_CACHE_HOME=$T/xdg   # never the user's cache, whatever CIDX_CACHE_DIR says
RUNS_TSV=$T/runs.tsv
META=$T/meta.tsv
PROBLEMS=$T/problems.txt
: >"$RUNS_TSV"; : >"$PROBLEMS"

meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }
problem() { log "PROBLEM: $*"; printf '%s\n' "$*" >>"$PROBLEMS"; }

meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta nproc "$(nproc)"
meta corpus_label "$LABEL"
meta corpus_dir "$WHICH"
meta args "--corpus $WHICH --runs $RUNS --fast-runs $FAST_RUNS --edits $EDITS"
meta runs "$RUNS"
meta fast_runs "$FAST_RUNS"
meta cidx_version "$("$CIDX" version 2>/dev/null | head -n1)"
meta cscope_version "$(cscope -V 2>&1 | sed -n 's/.*version //p')"
meta ctags_version "$(ctags --version | head -n1 | sed 's/,.*//')"
meta global_version "$(gtags --version | head -n1)"
meta host_os "$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-$(uname -s)}")"
touch "$T/start.marker"
sleep 1   # mtime granularity: anything written into the corpus from now on is newer

# corpus_files DIR: the .c/.h files below DIR, .git left out
corpus_files() {
    find "$1" -path "$1/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print
}
NFILES=$(corpus_files "$CORPUS" | wc -l)
meta corpus_files "$NFILES"
meta corpus_bytes "$(corpus_files "$CORPUS" | tr '\n' '\0' | xargs -0 stat -c %s | awk '{s += $1} END {print s + 0}')"
# files whose content duplicates another corpus file: cidx serves them from its
# in-memory tier (L1) instead of cas.db (L3) when a whole tree comes from cache
meta corpus_dup_files "$(cd "$CORPUS" && corpus_files . | tr '\n' '\0' | xargs -0 md5sum |
    awk '{c[$1]++} END {d = 0; for (k in c) d += c[k] - 1; print d}')"
log "$LABEL: $NFILES files in $CORPUS; scratch $T; load $(cut -d' ' -f1-3 /proc/loadavg)"

# Files to edit: the .c file of median size (the one-file change) and the
# next four by size (watch), chosen deterministically from the corpus.
mapfile -t BY_SIZE < <(cd "$CORPUS" && find . -path ./.git -prune -o -type f -name '*.c' -printf '%s\t%P\n' |
    sort -t$'\t' -k1,1n -k2,2 | cut -f2)
MID=$((${#BY_SIZE[@]} / 2))
CHANGE_FILE=${BY_SIZE[$MID]}
WATCH_FILES=("${BY_SIZE[@]:$((MID + 1)):4}")
meta change_file "$CHANGE_FILE"
meta change_file_bytes "$(stat -c %s "$CORPUS/$CHANGE_FILE")"
meta watch_files "${WATCH_FILES[*]}"

# bytes DIR-or-FILES...: total size of the named regular files that exist
bytes() {
    local f total=0
    for f in "$@"; do [[ -f $f ]] && total=$((total + $(stat -c %s "$f"))); done
    echo "$total"
}

# timed KEY DIR CMD...: run CMD from DIR under /usr/bin/time; append
# "KEY<TAB>wall_s<TAB>maxrss_kb" to runs.tsv (NA on failure). Output goes to
# log/KEY.N.{out,err}. The wall time comes from bash's EPOCHREALTIME, so no
# extra process is started inside the timed interval apart from time(1).
declare -A COUNT=()
LAST_OUT=
timed() {
    local key=$1 dir=$2; shift 2
    local n=$((${COUNT[$key]:-0} + 1)) t0 t1 rc=0 base rss
    COUNT[$key]=$n
    base=$T/log/$key.$n
    cd "$dir"
    t0=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$base.rss" "$@" >"$base.out" 2>"$base.err" || rc=$?
    t1=$EPOCHREALTIME
    cd "$T"
    LAST_OUT=$base.out
    if [[ $rc -ne 0 ]]; then
        problem "$key run $n exited with status $rc: $* ($(head -c 300 "$base.err" | tr '\n' ' '))"
        printf '%s\tNA\tNA\n' "$key" >>"$RUNS_TSV"
        return 0
    fi
    rss=$(tail -n1 "$base.rss")
    awk -v k="$key" -v a="$t0" -v b="$t1" -v r="$rss" \
        'BEGIN {printf "%s\t%.6f\t%d\n", k, b - a, r}' >>"$RUNS_TSV"
    # anything cidx says on stderr is worth a look
    if [[ $1 == "$CIDX" && -s $base.err ]]; then
        problem "$key run $n: cidx wrote to stderr: $(head -c 300 "$base.err" | tr '\n' ' ')"
    fi
}

# stat_field DB EXPR: a value from `cidx stats --json` (EXPR indexes the dict d)
stat_field() {
    "$CIDX" stats --json --db "$1" |
        python3 -c 'import json,sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}
dump_hash() { "$CIDX" dump --db "$1" | sha256sum | cut -c1-16; }

CSCOPE=(cscope -b -q -k -R)

# --- 1 + 2: cold index, then a no-change refresh, interleaved per round ---------
# Each round runs every tool once, so load spikes on a shared machine hit all
# of them. The no-change refresh follows its tool's cold run immediately.
for ((i = 1; i <= RUNS; i++)); do
    log "round $i/$RUNS: cscope"
    rm -rf "$T/cs"; mkdir -p "$T/cs"
    timed cold.cscope "$T/cwd" "${CSCOPE[@]}" -s "$CORPUS" -f "$T/cs/cscope.out"
    for ((j = 1; j <= FAST_RUNS; j++)); do
        timed warm.cscope "$T/cwd" "${CSCOPE[@]}" -s "$CORPUS" -f "$T/cs/cscope.out"
    done

    log "round $i/$RUNS: ctags"
    rm -f "$T/tags"
    timed cold.ctags "$CORPUS" ctags -R --languages=C --langmap=C:.c.h -f "$T/tags" .

    log "round $i/$RUNS: gtags"
    rm -rf "$T/gt"; mkdir -p "$T/gt"
    timed cold.gtags "$CORPUS" gtags --skip-unreadable "$T/gt"
    for ((j = 1; j <= FAST_RUNS; j++)); do
        GTAGSROOT=$CORPUS GTAGSDBPATH=$T/gt timed warm.gtags "$CORPUS" global -u
    done

    for jobs in 1 2; do
        log "round $i/$RUNS: cidx index --jobs $jobs (empty cache)"
        rm -rf "$T/db-j$jobs" "$T/cache-fresh-j$jobs"
        mkdir -p "$T/db-j$jobs" "$T/cache-fresh-j$jobs"
        export CIDX_CACHE_DIR=$T/cache-fresh-j$jobs
        timed cold.cidx-j$jobs "$T/cwd" "$CIDX" index "$CORPUS" --db "$T/db-j$jobs/index.db" --jobs "$jobs"
        meta "cold.cidx-j$jobs.summary.$i" "$(head -n1 "$LAST_OUT")"
    done
    # the no-change refresh: same db, same cache, right after the cold run
    for ((j = 1; j <= FAST_RUNS; j++)); do
        timed warm.cidx "$T/cwd" "$CIDX" index "$CORPUS" --db "$T/db-j2/index.db" --jobs 2
    done
    meta "warm.cidx.summary" "$(head -n1 "$LAST_OUT")"
    meta "warm.cidx.last_run" "$(stat_field "$T/db-j2/index.db" 'json.dumps(d["last_run"])')"
done
meta size.cscope "$(bytes "$T"/cs/cscope.out*)"
meta size.ctags "$(bytes "$T/tags")"
meta size.gtags "$(bytes "$T"/gt/G*)"
for jobs in 1 2; do
    meta "size.cidx-j$jobs" "$(bytes "$T/db-j$jobs"/index.db*)"
    meta "size.cas-j$jobs" "$(bytes "$T/cache-fresh-j$jobs"/cas.db*)"
done
meta ctags_tags "$(grep -vc '^!_TAG_' "$T/tags" || true)"
"$CIDX" stats --json --db "$T/db-j2/index.db" >"$T/stats-j2.json"
meta stats_j2 "$(tr -d '\n' <"$T/stats-j2.json")"
meta stats_j1 "$("$CIDX" stats --json --db "$T/db-j1/index.db" | tr -d '\n')"
log "hashing the canonical dumps of the --jobs 1 and --jobs 2 indexes"
meta dump.j1 "$(dump_hash "$T/db-j1/index.db")"
meta dump.j2 "$(dump_hash "$T/db-j2/index.db")"
rm -rf "$T/db-j1" "$T/cache-fresh-j1"

# --- 4: second worktree, cold db, warm shared cache ----------------------------
log "copying the corpus to $T/wt (second worktree; also used by the change tests)"
cp -r "$CORPUS" "$T/wt"
WT=$T/wt
export CIDX_CACHE_DIR=$T/cache-fresh-j2   # the cache the last cold --jobs 2 run filled
for ((i = 1; i <= RUNS; i++)); do
    log "second worktree run $i/$RUNS: fresh db, warm cache"
    rm -f "$T"/wt.db*
    timed wt.cidx "$T/cwd" "$CIDX" index "$WT" --db "$T/wt.db" --jobs 2
    meta "wt.cidx.summary.$i" "$(head -n1 "$LAST_OUT")"
    meta "wt.cidx.last_run.$i" "$(stat_field "$T/wt.db" 'json.dumps(d["last_run"])')"
done
meta dump.wt "$(dump_hash "$T/wt.db")"

# --- 3: one file changed, in the copy ----------------------------------------------
log "building cscope and gtags databases of the copy (not timed)"
mkdir -p "$T/cs-wt" "$T/gt-wt"
(cd "$T/cwd" && "${CSCOPE[@]}" -s "$WT" -f "$T/cs-wt/cscope.out")
(cd "$WT" && gtags --skip-unreadable "$T/gt-wt")
cp "$WT/$CHANGE_FILE" "$T/change-orig.c"
for ((i = 1; i <= FAST_RUNS; i++)); do
    log "one file changed, run $i/$FAST_RUNS: $CHANGE_FILE"
    { cat "$T/change-orig.c"
      printf '\n/* added by index-bench, run %d */\nint cidx_bench_added_%d(int x)\n{\n\treturn x + %d;\n}\n' "$i" "$i" "$i"
    } >"$WT/$CHANGE_FILE"
    # cscope compares whole-second mtimes with its database's: make sure the
    # edit is strictly newer, as a real edit a second later would be
    db_m=$(stat -c %Y "$T/cs-wt/cscope.out")
    if (($(stat -c %Y "$WT/$CHANGE_FILE") <= db_m)); then
        touch -d "@$((db_m + 1))" "$WT/$CHANGE_FILE"
    fi
    timed one.cidx "$T/cwd" "$CIDX" index "$WT" --db "$T/wt.db" --jobs 2
    meta "one.cidx.summary.$i" "$(head -n1 "$LAST_OUT")"
    meta "one.cidx.last_run.$i" "$(stat_field "$T/wt.db" 'json.dumps(d["last_run"])')"
    meta "one.cidx.def.$i" "$("$CIDX" query def "cidx_bench_added_$i" --json --db "$T/wt.db" | tr -d '\n')"
    timed one.cscope "$T/cwd" "${CSCOPE[@]}" -s "$WT" -f "$T/cs-wt/cscope.out"
    meta "one.cscope.find.$i" "$(cscope -d -L -1 "cidx_bench_added_$i" -f "$T/cs-wt/cscope.out" | wc -l)"
    timed one.gtags "$WT" gtags --single-update "$CHANGE_FILE" "$T/gt-wt"
    meta "one.gtags.find.$i" "$(cd "$WT" && GTAGSROOT=$WT GTAGSDBPATH=$T/gt-wt global -x "cidx_bench_added_$i" | wc -l)"
done

# --- 5: cidx watch, save-to-commit latency ------------------------------------------
log "cidx watch: $EDITS saves over ${#WATCH_FILES[@]} files"
python3 "$HERE/lib/index_bench.py" watch --cidx "$CIDX" --root "$WT" --db "$T/wt.db" \
    --edits "$EDITS" --out "$T/watch.json" --log "$T/log/watch" "${WATCH_FILES[@]}" ||
    problem "the watch driver failed (see the watch section)"

# --- the corpus must be untouched ----------------------------------------------------
CHANGED=$(find "$CORPUS" -path "$CORPUS/.git" -prune -o -newer "$T/start.marker" -print | head -n5)
if [[ -n $CHANGED ]]; then
    meta corpus_untouched "no (written: $(echo "$CHANGED" | tr '\n' ' '))"
    problem "files in the corpus changed during the run: $CHANGED"
else
    meta corpus_untouched yes
fi
meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/lib/index_bench.py" report --runs "$RUNS_TSV" --meta "$META" \
    --problems "$PROBLEMS" --watch "$T/watch.json" --out "$OUT"
log "report written to $OUT"
