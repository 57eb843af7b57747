#!/usr/bin/env bash
# The real-code check of issue 4: cidx's Python, JavaScript and TypeScript
# extraction and resolution on real code bases, measured in one run:
#   1. definitions against Universal Ctags, per language and kind group
#      (counts, ratio cidx/ctags, and both sides' misses matched by file,
#      line and name; examples of misses go to a side file);
#   2. the share of call sites inside a definition (module level counts as
#      the module) and, stricter, inside a named function or method;
#   3. the share of call edges per resolution label (from `cidx stats --json`);
#   4. cold `cidx index --jobs 2` throughput (fresh db and cache per run),
#      with `ctags -R` (single-threaded) timed on the same corpus for reference.
# Prints the tables and writes bench/results/issue4-real.md, plus the misses
# to bench/results/issue4-real-misses.md.
#
# Corpora (fetched or copied into $CACHE/lang/ once, never committed):
#   stdlib   the machine's Python standard library (*.py under --python DIR)
#   webpack  npm package webpack@5.112.2 (JavaScript: lib/, hot/, ...; its
#            .d.ts typings are reported as TypeScript)
#   rxjs     npm package rxjs@7.8.2, its src/ directory (TypeScript sources)
#   c-fixture  tests/fixtures/c-repo (C; for checking the script itself)
#
# Usage: bench/lang-check.sh [options]
#   --corpus LIST  comma-separated corpora (default: stdlib,webpack,rxjs)
#   --dir DIR      also check DIR (copied into the scratch directory; its
#                  corpus name is the directory's base name)
#   --runs N       cold index runs per corpus; medians are reported (default 3)
#   --examples N   misses listed per language, kind group and side (default 15)
#   --python DIR   the Python library to copy (default /usr/lib/python3.11)
#   --stats-timeout S  give up on `cidx stats --json` after S seconds (default
#                  600): the report then has no edge labels for that corpus,
#                  says why, and the script exits with status 1 after writing it
#   --out FILE     report path (default bench/results/issue4-real.md; the
#                  misses go beside it, FILE without .md + -misses.md)
#   --keep         keep the scratch directory (databases, dumps, tags)
#
# Environment: CIDX_BENCH_CACHE (corpus cache, default ~/.cache/cidx-bench),
# CIDX (binary, default build/cidx; a private copy is taken at the start),
# TMPDIR (scratch space).
#
# Needs `cidx stats --json` to give per-language edge counts ("languages": a
# list of {"lang", "files", "definitions", "calls", "parse_error_files",
# "edges": {label: N}, "resolved_share"}): without them it stops with an
# error after the first index rather than report made-up numbers.
#
# Each corpus is indexed --runs times; the first index is the one dumped and
# examined.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
CIDX_SRC=${CIDX:-$ROOT/build/cidx}
CORPORA=stdlib,webpack,rxjs
EXTRA_DIR=
RUNS=3
EXAMPLES=15
STATS_TIMEOUT=600
PYDIR=/usr/lib/python3.11
OUT=
KEEP=0

WEBPACK=webpack@5.112.2
RXJS=rxjs@7.8.2

BENCH_NAME=lang-check

bench_args "corpus=CORPORA dir=EXTRA_DIR runs=RUNS examples=EXAMPLES python=PYDIR stats-timeout=STATS_TIMEOUT out=OUT" \
    "keep=KEEP" "$@"
bench_positive RUNS --runs
[[ $EXAMPLES =~ ^[0-9]+$ ]] || die "--examples takes a number"
[[ $STATS_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--stats-timeout takes a positive number"
OUT=${OUT:-$HERE/results/issue4-real.md}
MISSES_OUT=${OUT%.md}-misses.md

# --- prerequisites ------------------------------------------------------------
((BASH_VERSINFO[0] >= 5)) || die "bash 5 or later is needed (EPOCHREALTIME)"
command -v python3 >/dev/null || die "python3 not found (apt-get install python3)"
ctags --version 2>/dev/null | grep -q 'Universal Ctags' ||
    die "universal-ctags not found (apt-get install universal-ctags)"
ctags --list-features 2>/dev/null | grep -q '^json' ||
    die "this ctags has no JSON output (--list-features lacks json)"
[[ -x $CIDX_SRC ]] || die "no cidx binary at $CIDX_SRC (run make)"
[[ -z $EXTRA_DIR || -d $EXTRA_DIR ]] || die "--dir: no directory $EXTRA_DIR"

T=$(mktemp -d "${TMPDIR:-/tmp}/cidx-lang-check.XXXXXX")
if [[ $KEEP -eq 1 ]]; then log "scratch directory: $T"
else trap 'rm -rf "$T"' EXIT; fi
cp "$CIDX_SRC" "$T/cidx"   # build/cidx may be rebuilt while this runs
CIDX=$T/cidx
mkdir -p "$T/log" "$T/cwd" "$T/xdg"
export XDG_CACHE_HOME=$T/xdg   # never the user's cache, whatever CIDX_CACHE_DIR says
RUNS_TSV=$T/runs.tsv
META=$T/meta.tsv
PY="python3 $HERE/lib/lang_check.py"
: >"$RUNS_TSV"; : >"$META"
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }

ARGS="--corpus $CORPORA --runs $RUNS --examples $EXAMPLES"
[[ -z $EXTRA_DIR ]] || ARGS+=" --dir $(basename "$EXTRA_DIR")"
[[ $STATS_TIMEOUT == 600 ]] || ARGS+=" --stats-timeout $STATS_TIMEOUT"
meta args "$ARGS"
meta runs "$RUNS"
meta nproc "$(nproc)"
meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta cidx_version "$("$CIDX" version 2>/dev/null | head -n1)"
meta ctags_version "$(ctags --version | head -n1 | sed 's/,.*//')"
meta host_os "$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-$(uname -s)}")"

# --- corpora --------------------------------------------------------------------
# Each corpus is a directory of real files with `git init` run in it (no
# commits), so that it is a repository root of its own.
LANGCACHE=$CACHE/lang
mkdir -p "$LANGCACHE"

# npm_corpus SPEC SUBDIR: set CORPUS to the unpacked package SPEC (name@version),
# or to its SUBDIR when not "."; fetched with `npm pack` once.
npm_corpus() {
    local spec=$1 sub=$2 name=${1%@*} ver=${1##*@} dir tgz
    dir=$LANGCACHE/$name-$ver
    if [[ ! -f $dir/.unpacked ]]; then
        command -v npm >/dev/null || die "npm not found (apt-get install npm): needed once to fetch $spec"
        tgz=$LANGCACHE/npm/$name-$ver.tgz
        if [[ ! -f $tgz ]]; then
            mkdir -p "$LANGCACHE/npm"
            log "fetching $spec (npm pack) into $LANGCACHE/npm"
            (cd "$LANGCACHE/npm" && npm pack --silent "$spec" >/dev/null) || die "npm pack $spec failed"
            [[ -f $tgz ]] || die "npm pack $spec did not write $tgz"
        fi
        log "unpacking $(basename "$tgz") into $dir"
        rm -rf "$dir" "$dir.tmp"
        mkdir -p "$dir.tmp"
        tar -xzf "$tgz" -C "$dir.tmp"
        [[ -d $dir.tmp/package ]] || die "unexpected layout in $tgz (no package/)"
        mv "$dir.tmp/package" "$dir"
        rmdir "$dir.tmp"
        git -C "$dir" init -q
        touch "$dir/.unpacked"
    fi
    if [[ $sub == . ]]; then CORPUS=$dir; return; fi
    [[ -d $dir/$sub ]] || die "$spec has no $sub/"
    CORPUS=$dir-$sub
    if [[ ! -f $CORPUS/.copied ]]; then
        rm -rf "$CORPUS"
        cp -r "$dir/$sub" "$CORPUS"
        git -C "$CORPUS" init -q
        touch "$CORPUS/.copied"
    fi
}

# copy_corpus NAME SRC FIND-ARGS...: set CORPUS to a copy of the regular files
# below SRC that FIND-ARGS select (a fresh copy in the scratch directory when
# NAME starts with "scratch:", else kept in the cache).
copy_corpus() {
    local name=$1 src=$2; shift 2
    if [[ $name == scratch:* ]]; then CORPUS=$T/corpus-${name#scratch:}
    else CORPUS=$LANGCACHE/$name; fi
    [[ -f $CORPUS/.copied ]] && return
    log "copying $src into $CORPUS"
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    (cd "$src" && find . -type d -name .git -prune -o -type f "$@" -print0 | sort -z |
        xargs -0 -r cp --parents -t "$CORPUS")
    git -C "$CORPUS" init -q
    touch "$CORPUS/.copied"
}

declare -a NAMES=() DIRS=()
IFS=, read -r -a WANT <<<"$CORPORA"
for c in "${WANT[@]}"; do
    case $c in
        stdlib)
            [[ -d $PYDIR ]] || die "no Python library at $PYDIR (pass --python DIR)"
            copy_corpus "$(basename "$PYDIR")-stdlib" "$PYDIR" -name '*.py' -not -path '*/__pycache__/*'
            meta corpus.stdlib.source "$PYDIR (the *.py files, __pycache__ left out)" ;;
        webpack)
            npm_corpus "$WEBPACK" .
            meta corpus.webpack.source "npm package $WEBPACK (whole package)" ;;
        rxjs)
            npm_corpus "$RXJS" src
            meta corpus.rxjs.source "npm package $RXJS, src/" ;;
        c-fixture)
            copy_corpus scratch:c-fixture "$ROOT/tests/fixtures/c-repo"
            meta corpus.c-fixture.source "tests/fixtures/c-repo" ;;
        '') continue ;;
        *) die "unknown corpus '$c' (stdlib, webpack, rxjs, c-fixture)" ;;
    esac
    NAMES+=("$c"); DIRS+=("$CORPUS")
done
if [[ -n $EXTRA_DIR ]]; then
    c=$(basename "$(cd "$EXTRA_DIR" && pwd)")
    copy_corpus "scratch:$c" "$EXTRA_DIR"
    meta "corpus.$c.source" "--dir $EXTRA_DIR"
    NAMES+=("$c"); DIRS+=("$CORPUS")
fi
((${#NAMES[@]})) || die "no corpus selected"

# --- measurements ---------------------------------------------------------------
# timed KEY DIR CMD...: run CMD from DIR; append "KEY<TAB>wall_s<TAB>maxrss_kb<TAB>cpu_s"
# to runs.tsv (lang_check.py run). Output goes to log/KEY.N.{out,err}.
declare -A COUNT=()
LAST_OUT=
timed() {
    local key=$1 dir=$2; shift 2
    local n=$((${COUNT[$key]:-0} + 1))
    COUNT[$key]=$n
    LAST_OUT=$T/log/$key.$n.out
    $PY run --tsv "$RUNS_TSV" --key "$key" --cwd "$dir" --log "$T/log/$key.$n" -- "$@" ||
        die "$key run $n failed: $* ($(head -c 300 "$T/log/$key.$n.err" | tr '\n' ' '))"
}

JSONS=()
INCOMPLETE=()
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]} dir=${DIRS[$i]}
    W=$T/$name
    mkdir -p "$W"
    log "$name: $dir"
    meta "corpus.$name.dir" "$dir"
    for ((r = 1; r <= RUNS; r++)); do
        log "$name: round $r/$RUNS: cidx index --jobs 2 (fresh db, empty cache)"
        rm -rf "$W/db" "$W/cache"
        mkdir -p "$W/db" "$W/cache"
        CIDX_CACHE_DIR=$W/cache timed "index.$name" "$T/cwd" "$CIDX" index "$dir" --db "$W/db/index.db" --jobs 2
        meta "index.$name.summary.$r" "$(head -n1 "$LAST_OUT")"
        if [[ $r -eq 1 ]]; then
            # the first index is the one examined (every run builds the same)
            log "$name: dump and stats of the index"
            "$CIDX" dump --db "$W/db/index.db" >"$W/dump.txt"
            STATS=(--stats "$W/stats.json")
            rc=0
            timeout "$STATS_TIMEOUT" "$CIDX" stats --json --db "$W/db/index.db" >"$W/stats.json" || rc=$?
            if [[ $rc -eq 124 ]]; then
                log "PROBLEM: $name: cidx stats --json did not finish within $STATS_TIMEOUT s; no edge labels for it"
                meta "stats.$name.missing" "\`cidx stats --json\` did not finish within $STATS_TIMEOUT s (killed)"
                INCOMPLETE+=("$name")
                STATS=(--stats-missing "cidx stats --json did not finish within $STATS_TIMEOUT s (killed)")
            elif [[ $rc -ne 0 ]]; then
                die "cidx stats --json failed with status $rc on $name"
            else
                $PY check-stats "$W/stats.json" ||
                    die "cidx stats --json has no per-language edge counts (\"languages\": [{\"lang\", ..., \"edges\"}]); this cidx cannot be checked yet"
            fi
            # which ctags parsers the languages of the indexed files map to
            CTAGS_OPTS=$($PY ctags-languages "$W/dump.txt")
            meta "ctags.$name.options" "$CTAGS_OPTS"
        fi
        if [[ -n $CTAGS_OPTS ]]; then
            log "$name: round $r/$RUNS: ctags -R $CTAGS_OPTS"
            rm -f "$W/tags"
            # shellcheck disable=SC2086 # the options are words
            timed "ctags.$name" "$dir" ctags -R $CTAGS_OPTS -f "$W/tags" .
        fi
    done
    log "$name: ctags per language on the files cidx indexed, and the comparison"
    $PY analyze --name "$name" --root "$dir" --dump "$W/dump.txt" "${STATS[@]}" \
        --work "$W" --examples "$EXAMPLES" --out "$W/result.json" ||
        die "the analysis of $name failed"
    JSONS+=("$W/result.json")
    rm -rf "$W/db" "$W/cache"
    [[ $KEEP -eq 1 ]] || rm -f "$W/dump.txt" "$W/tags"
done
meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$(dirname "$OUT")"
$PY report --runs "$RUNS_TSV" --meta "$META" --out "$OUT" --misses-out "$MISSES_OUT" "${JSONS[@]}"
log "report written to $OUT (misses: $MISSES_OUT)"
((${#INCOMPLETE[@]} == 0)) ||
    die "incomplete: cidx stats --json did not finish within $STATS_TIMEOUT s on: ${INCOMPLETE[*]} (the report says so)"
