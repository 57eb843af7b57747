#!/usr/bin/env bash
# `cidx grep` against `grep -rnP` on the same files, measured in one run:
# for each pattern, the median wall time of each tool (warm page cache,
# output to a scratch file), their ratio against the 1.5x target, and whether both
# report the same lines. Writes bench/results/issue5-grep.md.
#
# Usage: bench/grep-bench.sh [options]
#   --corpus big|med  which corpus built by corpus.sh (default: big)
#   --runs N          timed runs per tool and pattern; medians are reported
#                     (default: 7, at least 5 recommended)
#   --jobs N          cidx grep --jobs (default: online CPUs, as cidx does)
#   --out FILE        report path (default: bench/results/issue5-grep.md)
#   --keep            keep the scratch directory (index, outputs)
#
# Environment: CIDX_BENCH_CACHE (corpus cache, see corpus.sh), CIDX (binary,
# default build/cidx; a private copy is taken at the start), TMPDIR (scratch:
# the index of BIG takes about 400 MB).
#
# The corpus is indexed once into the scratch directory (not timed). Each
# round then runs every pattern once with each tool, in turn, so a load spike
# on a shared machine hits both tools. Both run in the same locale
# (C.UTF-8: PCRE2 in UTF mode for both); grep in the C locale (byte mode) is
# timed too, for reference. Nothing is written into the corpus.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
CIDX_SRC=${CIDX:-$ROOT/build/cidx}
WHICH=big
RUNS=7
JOBS=
OUT=
KEEP=0

BENCH_NAME=grep-bench

bench_args "corpus=WHICH runs=RUNS jobs=JOBS out=OUT" "keep=KEEP" "$@"
bench_corpus "$WHICH"
bench_positive RUNS --runs
[[ -z $JOBS || $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs takes a positive number"
OUT=${OUT:-$HERE/results/issue5-grep.md}

# name | flags for both tools ("" or -i) | pattern
PATTERNS=(
    "literal identifier||mutex_lock"
    "alternation||kmalloc|kzalloc|kcalloc"
    "word boundaries||\\bskb_put\\b"
    "case-insensitive|-i|ethtool_ops"
    "rare identifier||tcp_v4_do_rcv"
    "very common word||return"
    "classes and repeats||\\w+_ops\\s*=\\s*\\{"
    "lookahead (line-by-line path)||mutex_lock(?!_nested)"
)

# --- prerequisites ----------------------------------------------------------
((BASH_VERSINFO[0] >= 5)) || die "bash 5 or later is needed (EPOCHREALTIME)"
[[ -x $CIDX_SRC ]] || die "no cidx binary at $CIDX_SRC (run make)"
rc=0; grep -P x /dev/null 2>/dev/null || rc=$?
[[ $rc -ne 2 ]] || die "this grep has no -P (PCRE) support"
if [[ ! -d $CORPUS ]]; then
    log "corpus missing; running bench/corpus.sh"
    "$HERE/corpus.sh"
fi
CORPUS=$(cd "$CORPUS" && pwd)
locale -a 2>/dev/null | grep -qix 'c.utf-\{0,1\}8' || die "the C.UTF-8 locale is missing"

T=$(mktemp -d "${TMPDIR:-/tmp}/cidx-grep-bench.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $T"
else trap 'rm -rf "$T"' EXIT; fi
cp "$CIDX_SRC" "$T/cidx"    # build/cidx may be rebuilt while this runs
CIDX=$T/cidx
export CIDX_CACHE_DIR=$T/cache XDG_CACHE_HOME=$T/xdg
DB=$T/index.db
JOBS_ARG=()
[[ -n $JOBS ]] && JOBS_ARG=(--jobs "$JOBS")

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NFILES=$(find "$CORPUS" -path "$CORPUS/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | wc -l)
log "$LABEL: $NFILES files; scratch $T; load $LOAD_START"
log "indexing (not timed)"
INDEX_LINE=$("$CIDX" index "$CORPUS" --db "$DB" 2>&1 | tail -n1)
log "$INDEX_LINE"

# pattern_at P: NAME, FL (flag or ""), PAT and FLA (the flag as an array) of PATTERNS[P]
pattern_at() {
    IFS='|' read -r NAME FL _ <<<"${PATTERNS[$1]}"
    PAT=${PATTERNS[$1]#*|*|}
    FLA=()
    [[ -n $FL ]] && FLA=("$FL")
    return 0
}

# median of the numbers on stdin
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# timed FILE CMD...: run CMD from the corpus root, output to a scratch file,
# and append the wall time in seconds to FILE. Not /dev/null: GNU grep
# notices that its output goes there and stops at the first match. Exit
# status 1 (nothing found) is fine for both tools; anything else is a failure.
timed() {
    local file=$1 t0 t1 rc=0
    shift
    cd "$CORPUS"
    t0=$EPOCHREALTIME
    "$@" >"$T/stdout" 2>"$T/stderr" || rc=$?
    t1=$EPOCHREALTIME
    cd "$T"
    [[ $rc -le 1 ]] || die "exit $rc from: $* ($(head -c 300 "$T/stderr"))"
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}' >>"$file"
}

n=${#PATTERNS[@]}
for ((p = 0; p < n; p++)); do
    pattern_at "$p"
    # hit lines as "path:line", sorted, for the comparison (not timed)
    (cd "$CORPUS" && "$CIDX" grep "${FLA[@]}" --db "$DB" "${JOBS_ARG[@]}" -- "$PAT" || [[ $? -eq 1 ]]) |
        cut -d: -f1,2 | LC_ALL=C sort >"$T/cidx.$p.lines"
    (cd "$CORPUS" && LC_ALL=C.UTF-8 grep -rnP "${FLA[@]}" --include='*.c' --include='*.h' -- "$PAT" . || [[ $? -eq 1 ]]) |
        sed 's|^\./||' | cut -d: -f1,2 | LC_ALL=C sort >"$T/grep.$p.lines"
    # warm-up: both tools read the whole corpus once
    timed "$T/warm" "$CIDX" grep "${FLA[@]}" --db "$DB" "${JOBS_ARG[@]}" -- "$PAT"
    timed "$T/warm" env LC_ALL=C.UTF-8 grep -rnP "${FLA[@]}" --include='*.c' --include='*.h' -- "$PAT" .
done

for ((r = 1; r <= RUNS; r++)); do
    log "round $r/$RUNS"
    for ((p = 0; p < n; p++)); do
        pattern_at "$p"
        timed "$T/t.cidx.$p" "$CIDX" grep "${FLA[@]}" --db "$DB" "${JOBS_ARG[@]}" -- "$PAT"
        timed "$T/t.grep.$p" env LC_ALL=C.UTF-8 grep -rnP "${FLA[@]}" --include='*.c' --include='*.h' -- "$PAT" .
        timed "$T/t.grepc.$p" env LC_ALL=C grep -rnP "${FLA[@]}" --include='*.c' --include='*.h' -- "$PAT" .
    done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
{
    echo "# cidx grep vs grep -rnP on $LABEL"
    echo
    echo "Generated by \`bench/grep-bench.sh --corpus $WHICH --runs $RUNS${JOBS:+ --jobs $JOBS}\` on $(date -u '+%Y-%m-%d %H:%M UTC');"
    echo "do not edit. $NFILES files (\`*.c\`, \`*.h\`); $(nproc) online CPUs; load average"
    echo "$LOAD_START at the start, $LOAD_END at the end. cidx: \`$("$CIDX" version)\`, jobs ${JOBS:-$(nproc)};"
    echo "$(grep --version | head -n1), $(pkg-config --modversion libpcre2-8 2>/dev/null | sed 's/^/PCRE2 /')."
    echo "Index (not timed): $INDEX_LINE"
    echo
    echo "Commands, from the corpus root, page cache warm, output to a file in the"
    echo "scratch directory (not /dev/null: GNU grep stops at the first match when it"
    echo "sees its output goes there):"
    echo
    echo "    cidx grep [-i] --db SCRATCH/index.db${JOBS:+ --jobs $JOBS} -- PATTERN"
    echo "    LC_ALL=C.UTF-8 grep -rnP [-i] --include='*.c' --include='*.h' -- PATTERN ."
    echo
    echo "Median wall time of $RUNS runs each, interleaved (every round runs every"
    echo "pattern with each tool). Target: cidx at most 1.5x grep's time (C.UTF-8: the"
    echo "same UTF-8 semantics as cidx). grep in the C locale (byte mode, no UTF-8"
    echo "checks) is shown for reference. \"same lines\" compares the sorted"
    echo "\`path:line\` lists of the two tools."
    echo
    echo "| pattern | kind | cidx | grep (C.UTF-8) | ratio | target 1.5x | grep (C) | hit lines cidx / grep | same lines |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for ((p = 0; p < n; p++)); do
        pattern_at "$p"
        c=$(median <"$T/t.cidx.$p"); g=$(median <"$T/t.grep.$p"); gc=$(median <"$T/t.grepc.$p")
        ratio=$(awk -v c="$c" -v g="$g" 'BEGIN {printf "%.2f", c / g}')
        met=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.5) ? "met" : "missed"}')
        hc=$(wc -l <"$T/cidx.$p.lines"); hg=$(wc -l <"$T/grep.$p.lines")
        same=no
        cmp -s "$T/cidx.$p.lines" "$T/grep.$p.lines" && same=yes
        shown=${FL:+$FL }${PAT//|/\\|}
        printf '| `%s` | %s | %.3f s | %.3f s | %s | %s | %.3f s | %d / %d | %s |\n' \
            "$shown" "$NAME" "$c" "$g" "$ratio" "$met" "$gc" "$hc" "$hg" "$same"
    done
    echo
    echo "Every run (seconds), for each pattern in table order: cidx; grep C.UTF-8; grep C"
    echo
    echo '```'
    for ((p = 0; p < n; p++)); do
        printf '%d cidx   %s\n' "$p" "$(tr '\n' ' ' <"$T/t.cidx.$p")"
        printf '%d grep   %s\n' "$p" "$(tr '\n' ' ' <"$T/t.grep.$p")"
        printf '%d grep-C %s\n' "$p" "$(tr '\n' ' ' <"$T/t.grepc.$p")"
    done
    echo '```'
    for ((p = 0; p < n; p++)); do
        if ! cmp -s "$T/cidx.$p.lines" "$T/grep.$p.lines"; then
            echo
            echo "Lines only one tool reports for pattern $p (first 10; < cidx, > grep):"
            echo
            echo '```'
            diff "$T/cidx.$p.lines" "$T/grep.$p.lines" | grep '^[<>]' | head -n 10
            echo '```'
        fi
    done
} >"$OUT"
cat "$OUT" | sed -n '/^| pattern/,/^$/p' >&2
log "report written to $OUT"
