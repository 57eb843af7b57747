#!/usr/bin/env bash
# Ranking quality of cidx's fuzzy search against fzf, on the symbol names of
# two real code bases: the Linux MED corpus (indexed by cidx into a scratch
# db) and the machine's Python standard library (definitions collected with
# Python's ast module: cidx has no Python extractor yet). For targets drawn
# with a fixed seed it builds queries a person would type (word initials,
# prefixes, consonant skeletons, two-term queries; no typos), ranks the same
# candidate list with cidx (build/search-driver, the engine in process) and
# with `fzf --filter QUERY`, and reports the mean reciprocal rank of the
# target per query type and overall. Writes bench/results/search-rank.md.
#
# Usage: bench/search-rank.sh [options]
#   --per-type N   queries per query type and corpus (default 150: 600 each)
#   --seed N       target and query seed (default 5)
#   --limit N      ranks past N count 0 (default 100)
#   --python DIR   the Python library to read (default /usr/lib/python3.11)
#   --out FILE     report path (default bench/results/search-rank.md)
#   --keep         keep the scratch directory
#
# Environment: CIDX_BENCH_CACHE (corpus cache, see corpus.sh), TMPDIR.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CACHE=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}
PER_TYPE=150
SEED=5
LIMIT=100
PYDIR=/usr/lib/python3.11
OUT=$HERE/results/search-rank.md
KEEP=0

log() { printf '[search-rank] %s\n' "$*" >&2; }
die() { printf '[search-rank] error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --per-type) PER_TYPE=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --limit) LIMIT=$2; shift 2 ;;
        --python) PYDIR=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $PER_TYPE =~ ^[1-9][0-9]*$ ]] || die "--per-type takes a positive number"

command -v fzf >/dev/null || die "fzf not found: apt-get install fzf (Debian package fzf)"
command -v python3 >/dev/null || die "python3 not found: apt-get install python3"
[[ -d $PYDIR ]] || die "no Python library at $PYDIR (pass --python DIR)"
log "building cidx and the search driver"
make -s -C "$ROOT" build/cidx build/search-driver >&2 || die "make failed"
[[ -d $CACHE/med ]] || { log "corpus missing; running bench/corpus.sh"; "$HERE/corpus.sh"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/cidx-search-rank.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $T"; else trap 'rm -rf "$T"' EXIT; fi
cp "$ROOT/build/search-driver" "$ROOT/build/cidx" "$T/"
PY="python3 $HERE/lib/search_bench.py"

{
    printf 'args\t%s\n' "--per-type $PER_TYPE --seed $SEED --limit $LIMIT"
    printf 'limit\t%s\nseed\t%s\nper_type\t%s\n' "$LIMIT" "$SEED" "$PER_TYPE"
    printf 'fzf\t%s\n' "$(fzf --version | head -n1)"
    printf 'nproc\t%s\nload\t%s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$T/meta.tsv"

log "indexing MED into a scratch database"
CIDX_CACHE_DIR=$T/cache "$T/cidx" index "$CACHE/med" --db "$T/med.db" >&2
$PY cands-db "$T/med.db" "$T/med.cands"
log "collecting definitions under $PYDIR"
$PY cands-py "$PYDIR" "$T/py.cands"

for c in med py; do
    label=$([[ $c == med ]] && echo "Linux MED (kernel/ mm/ fs/ext4/ lib/)" || echo "Python standard library ($PYDIR)")
    $PY queries "$T/$c.cands" "$T/$c.q" --seed "$SEED" --per-type "$PER_TYPE"
    log "ranking $(wc -l <"$T/$c.q") queries on $c with cidx and fzf"
    $PY rank --cands "$T/$c.cands" --queries "$T/$c.q" --driver "$T/search-driver" --fzf "$(command -v fzf)" \
        --limit "$LIMIT" --label "$label" --out "$T/$c.json"
done
mkdir -p "$(dirname "$OUT")"
$PY rank-report --meta "$T/meta.tsv" --out "$OUT" "$T/med.json" "$T/py.json"
log "report: $OUT"
