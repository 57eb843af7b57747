#!/usr/bin/env bash
# Keystroke latency of cidx's fuzzy search on the BIG corpus's full symbol
# table (about 610k symbols), in process: build/search-driver loads the table
# from a scratch index.db and replays typing (every prefix, 1 to 6
# characters, of realistic queries: word initials, prefixes, consonant
# skeletons, two-term queries for names drawn with a fixed seed), one
# narrowing state per query as a search pane keeps it. Reports p50/p95/max
# per query length and overall, and the table's memory per symbol beyond
# the name bytes. Writes bench/results/search-speed.md.
#
# Usage: bench/search-speed.sh [options]
#   --corpus big|med  (default big)
#   --queries N       queries per query type (default 50: 200 queries)
#   --repeat N        replay the whole list N times (default 3)
#   --threads N       scan threads, 1 or 2 (default: the library's choice, two
#                     unless the 1-minute load average says no core is free)
#   --db PATH         use this index of the corpus instead of indexing it
#   --seed N          (default 11)
#   --out FILE        report path (default bench/results/search-speed.md)
#   --keep            keep the scratch directory
#
# The machine may be shared: the report records the load average at the
# start and the end; run it when `uptime` shows little else running.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CACHE=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}
WHICH=big
NQ=50
REPEAT=3
THREADS=
DB=
SEED=11
OUT=$HERE/results/search-speed.md
KEEP=0

log() { printf '[search-speed] %s\n' "$*" >&2; }
die() { printf '[search-speed] error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --corpus) WHICH=$2; shift 2 ;;
        --queries) NQ=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --db) DB=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
case $WHICH in big) LABEL=BIG ;; med) LABEL=MED ;; *) die "--corpus takes big or med" ;; esac
[[ $NQ =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ ]] || die "--queries and --repeat take positive numbers"
[[ -z $THREADS || $THREADS == 1 || $THREADS == 2 ]] || die "--threads takes 1 or 2"

command -v python3 >/dev/null || die "python3 not found: apt-get install python3"
log "building cidx and the search driver"
make -s -C "$ROOT" build/cidx build/search-driver >&2 || die "make failed"

T=$(mktemp -d "${TMPDIR:-/tmp}/cidx-search-speed.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $T"; else trap 'rm -rf "$T"' EXIT; fi
cp "$ROOT/build/search-driver" "$ROOT/build/cidx" "$T/"
PY="python3 $HERE/lib/search_bench.py"

if [[ -z $DB ]]; then
    [[ -d $CACHE/$WHICH ]] || { log "corpus missing; running bench/corpus.sh"; "$HERE/corpus.sh"; }
    log "indexing $LABEL into a scratch database (about 20 s for BIG on 2 cores)"
    DB=$T/index.db
    CIDX_CACHE_DIR=$T/cache "$T/cidx" index "$CACHE/$WHICH" --db "$DB" >&2
fi
[[ -f $DB ]] || die "no index at $DB"

$PY cands-db "$DB" "$T/cands"
$PY queries "$T/cands" "$T/queries.tsv" --seed "$SEED" --per-type "$NQ" --max-len 6
cut -f3 "$T/queries.tsv" >"$T/queries"

{
    printf 'args\t%s\n' "--corpus $WHICH --queries $NQ --repeat $REPEAT${THREADS:+ --threads $THREADS} --seed $SEED"
    printf 'corpus\t%s\nqueries\t%s\nrepeat\t%s\nmax_len\t6\n' "$LABEL" "$(wc -l <"$T/queries")" "$REPEAT"
    printf 'threads\t%s\nnproc\t%s\n' "${THREADS:-the default (2 when the load average leaves a core free, else 1)}" "$(nproc)"
    printf 'load_start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$T/meta.tsv"
log "replaying $(wc -l <"$T/queries") queries x $REPEAT; load $(cut -d' ' -f1-3 /proc/loadavg)"
SEARCH_THREADS=${THREADS:-0} "$T/search-driver" speed "$DB" "$T/queries" "$REPEAT" >"$T/raw.tsv"
printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$T/meta.tsv"
mkdir -p "$(dirname "$OUT")"
$PY speed-report --raw "$T/raw.tsv" --meta "$T/meta.tsv" --out "$OUT"
log "report: $OUT"
