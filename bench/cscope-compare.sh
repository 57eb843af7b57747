#!/usr/bin/env bash
# Compare cidx with cscope (index cost, callers) and universal-ctags (function
# definitions) on the MED corpus, and write bench/results/issue2-med.md.
#
# Usage: bench/cscope-compare.sh [options]
#   --corpus DIR      corpus to index (default: $CACHE/med, built by corpus.sh)
#   --label NAME      corpus name used in the report (default: MED)
#   --samples N       function names to sample (default: 300)
#   --seed N          sampling seed (default: 2)
#   --index-runs N    index runs per tool; median wall time is reported (default: 3)
#   --query-runs N    runs per `query callers` timing (default: 21)
#   --query NAME      function to time `query callers` on (repeatable;
#                     default: mutex_lock and ext4_mb_init)
#   --jobs N          cidx --jobs (default: 2)
#   --out FILE        report path (default: bench/results/issue2-med.md)
#   --no-cidx         measure cscope/ctags only, even if build/cidx exists
#   --keep            keep the scratch directory (databases, raw outputs)
#
# Environment: CIDX_BENCH_CACHE (corpus cache, see corpus.sh), CIDX (binary,
# default build/cidx).  Nothing is written into the corpus: cscope's database
# goes to a scratch directory via -f, cidx's via --db, and cidx's shared cache
# is redirected to the scratch directory so every index run is cold.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CACHE=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}
CIDX=${CIDX:-$ROOT/build/cidx}
CORPUS=$CACHE/med
LABEL=MED
DESC="kernel/ mm/ fs/ext4/ lib/ (*.c, *.h)"
SAMPLES=300
SEED=2
INDEX_RUNS=3
QUERY_RUNS=21
QUERIES=()
JOBS=2
OUT=$HERE/results/issue2-med.md
USE_CIDX=1
KEEP=0

trap 'echo "[cscope-compare] error: command failed at line $LINENO: $BASH_COMMAND" >&2' ERR
log() { printf '[cscope-compare] %s\n' "$*" >&2; }
die() { printf '[cscope-compare] error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --corpus) CORPUS=$2; DESC=$2; shift 2 ;;
        --label) LABEL=$2; shift 2 ;;
        --samples) SAMPLES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --index-runs) INDEX_RUNS=$2; shift 2 ;;
        --query-runs) QUERY_RUNS=$2; shift 2 ;;
        --query) QUERIES+=("$2"); shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --no-cidx) USE_CIDX=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[[ ${#QUERIES[@]} -gt 0 ]] || QUERIES=(mutex_lock ext4_mb_init)

# --- prerequisites ----------------------------------------------------------
command -v cscope >/dev/null || die "cscope not found (apt-get install cscope)"
ctags --version 2>/dev/null | grep -q 'Universal Ctags' ||
    die "universal-ctags not found (apt-get install universal-ctags)"
command -v python3 >/dev/null || die "python3 not found"
if [[ ! -x /usr/bin/time ]]; then
    log "/usr/bin/time missing; installing package 'time'"
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y time >/dev/null
    else sudo apt-get install -y time >/dev/null; fi
fi
command -v hyperfine >/dev/null || log "hyperfine not found; timing queries with a python loop"
if [[ ! -d $CORPUS ]]; then
    [[ $CORPUS == "$CACHE/med" ]] || die "corpus '$CORPUS' does not exist"
    log "corpus missing; running bench/corpus.sh"
    "$HERE/corpus.sh"
fi
CORPUS=$(cd "$CORPUS" && pwd)
if [[ $USE_CIDX -eq 1 && ! -x $CIDX ]]; then
    log "no cidx binary at $CIDX (run make); reporting cscope/ctags only"
    USE_CIDX=0
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cidx-cscope.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $TMP"
else trap 'rm -rf "$TMP"' EXIT; fi
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
touch "$TMP/start.marker"
sleep 1   # mtime granularity: anything written into the corpus from now on is newer

# run_timed LABEL CMD...: run CMD under /usr/bin/time -v and append
# "wall_seconds<TAB>max_rss_kb" to $TMP/LABEL.runs; stdout goes to $TMP/LABEL.out
run_timed() {
    local label=$1; shift
    local t0 t1 rss
    t0=$(date +%s.%N)
    if ! /usr/bin/time -v -o "$TMP/$label.time" "$@" >"$TMP/$label.out" 2>"$TMP/$label.err"; then
        cat "$TMP/$label.err" >&2
        die "$label failed: $*"
    fi
    t1=$(date +%s.%N)
    rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$TMP/$label.time")
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN {printf "%.4f\t%d\n", b - a, r}' >>"$TMP/$label.runs"
}

# median wall time and max RSS of LABEL's runs, as "wall rss"
summarize() {
    sort -n -k1,1 "$TMP/$1.runs" |
        awk '{w[NR] = $1; if ($2 > r) r = $2}
             END {m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2;
                  printf "%s %d\n", m, r}'
}

# total size of the named files that exist
dir_bytes() {
    local f total=0
    for f in "$@"; do
        [[ -f $f ]] && total=$((total + $(stat -c %s "$f")))
    done
    echo "$total"
}

# --- cscope -------------------------------------------------------------------
for ((i = 1; i <= INDEX_RUNS; i++)); do
    rm -rf "$TMP/cscope"; mkdir -p "$TMP/cscope"
    log "cscope -b -q -k -R, run $i/$INDEX_RUNS"
    (cd "$CORPUS" && run_timed cscope cscope -b -q -k -R -f "$TMP/cscope/cscope.out")
done
read -r CS_WALL CS_RSS < <(summarize cscope)
CS_BYTES=$(dir_bytes "$TMP"/cscope/cscope.out*)
log "cscope: ${CS_WALL}s, ${CS_RSS} kB peak RSS, $CS_BYTES bytes"

# --- universal-ctags: function definitions -------------------------------------
# .h files map to C++ by default in universal-ctags; map them to C so static
# inline functions in headers count, as they do for cidx.
log "ctags (function definitions)"
(cd "$CORPUS" && run_timed ctags ctags -R --languages=C --langmap=C:.c.h --kinds-C=f \
    --sort=no -f "$TMP/ctags-f.tags" .)
read -r CT_WALL _ < <(summarize ctags)
CT_FUNCS=$(grep -vc '^!_TAG_' "$TMP/ctags-f.tags" || true)
# functions, prototypes and macros with line numbers and extents, for the analysis
(cd "$CORPUS" && ctags -R --languages=C --langmap=C:.c.h --kinds-C=fpd --fields=+neK \
    --sort=no -f "$TMP/ctags-all.tags" .)
log "ctags: $CT_FUNCS function definitions in ${CT_WALL}s"

# --- cidx ---------------------------------------------------------------------
CX_WALL=None CX_RSS=None CX_BYTES=None CX_FUNCS=None CX_STATS=None CX_SUMMARY=""
CX_VERSION="cidx: not built"
if [[ $USE_CIDX -eq 1 ]]; then
    # work on a private copy: build/cidx may be rebuilt while the benchmark runs
    cp "$CIDX" "$TMP/cidx-bin"
    CIDX=$TMP/cidx-bin
    CX_VERSION=$("$CIDX" version 2>/dev/null | head -n1 || true)
    CX_VERSION=${CX_VERSION:-cidx (unknown version)}
    for ((i = 1; i <= INDEX_RUNS; i++)); do
        rm -rf "$TMP/cidx" "$TMP/cidx-cache"; mkdir -p "$TMP/cidx" "$TMP/cidx-cache"
        log "cidx index --jobs $JOBS, run $i/$INDEX_RUNS"
        (cd "$TMP" && run_timed cidx env XDG_CACHE_HOME="$TMP/cidx-cache" \
            CIDX_CACHE_DIR="$TMP/cidx-cache" "$CIDX" index "$CORPUS" --db "$TMP/cidx/index.db" --jobs "$JOBS")
    done
    read -r CX_WALL CX_RSS < <(summarize cidx)
    CX_SUMMARY=$(head -n1 "$TMP/cidx.out")
    CX_BYTES=$(dir_bytes "$TMP"/cidx/index.db*)
    "$CIDX" stats --json --db "$TMP/cidx/index.db" >"$TMP/cidx-stats.json" ||
        die "cidx stats --json failed"
    CX_STATS=$(cat "$TMP/cidx-stats.json")
    CX_FUNCS=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["symbols_by_kind"].get("function", 0))' \
        <"$TMP/cidx-stats.json")
    log "cidx: ${CX_WALL}s, ${CX_RSS} kB peak RSS, $CX_BYTES bytes, $CX_FUNCS functions"
fi

# --- the corpus must be untouched ----------------------------------------------
CHANGED=$(find "$CORPUS" -path "$CORPUS/.git" -prune -o -newer "$TMP/start.marker" -print | head -n5)
if [[ -n $CHANGED ]]; then
    UNTOUCHED="no (written: $(echo "$CHANGED" | tr '\n' ' '))"
    log "WARNING: files in the corpus changed during the run: $CHANGED"
else
    UNTOUCHED="yes"
fi

# --- metrics for the report ------------------------------------------------------
CORPUS_FILES=$(find "$CORPUS" -path "$CORPUS/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | wc -l)
CORPUS_BYTES=$(find "$CORPUS" -path "$CORPUS/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -printf '%s\n' |
    awk '{s += $1} END {print s + 0}')
KVER=$(ls "$CACHE"/debs/linux-source-6.1_*.deb 2>/dev/null | head -n1 | sed -n 's/.*linux-source-6.1_\([^_]*\)_.*/\1/p')
export M_DESC=$DESC M_UNTOUCHED=$UNTOUCHED M_SUMMARY=$CX_SUMMARY M_CXV=$CX_VERSION
python3 - "$TMP/metrics.json" <<EOF
import json, os, platform, sys
null, true, false = None, True, False
stats = $CX_STATS
m = {
    "corpus_desc": os.environ["M_DESC"], "corpus_files": $CORPUS_FILES,
    "corpus_bytes": $CORPUS_BYTES, "kernel_version": "${KVER:-6.1}",
    "cpus": os.cpu_count(), "host_os": "$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-$(uname -s)}")",
    "index_runs": $INDEX_RUNS, "jobs": $JOBS, "loadavg": "$LOADAVG",
    "cscope_version": "$(cscope -V 2>&1 | sed -n 's/.*version //p')",
    "ctags_version": "$(ctags --version | head -n1 | sed 's/,.*//')",
    "cidx_version": os.environ["M_CXV"],
    "cscope_wall": $CS_WALL, "cscope_rss_kb": $CS_RSS, "cscope_db_bytes": $CS_BYTES,
    "ctags_wall": $CT_WALL, "ctags_functions": $CT_FUNCS,
    "cidx_wall": $CX_WALL, "cidx_rss_kb": $CX_RSS, "cidx_db_bytes": $CX_BYTES,
    "cidx_functions": $CX_FUNCS, "cidx_stats": stats,
    "cidx_summary": os.environ["M_SUMMARY"], "corpus_untouched": os.environ["M_UNTOUCHED"],
}
json.dump(m, open(sys.argv[1], "w"), indent=1)
EOF

# --- callers comparison and report ------------------------------------------------
ARGS=(--corpus "$CORPUS" --corpus-label "$LABEL" --cscope-db "$TMP/cscope/cscope.out"
      --tags "$TMP/ctags-all.tags" --metrics "$TMP/metrics.json" --samples "$SAMPLES"
      --seed "$SEED" --query-runs "$QUERY_RUNS" --tmp "$TMP" --out "$OUT")
for q in "${QUERIES[@]}"; do ARGS+=(--query "$q"); done
[[ $USE_CIDX -eq 1 ]] && ARGS+=(--cidx "$CIDX" --cidx-db "$TMP/cidx/index.db")
python3 "$HERE/lib/callers_compare.py" "${ARGS[@]}"
