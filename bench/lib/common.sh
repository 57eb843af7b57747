# common.sh — helpers shared by the bench/*.sh scripts (sourced; bash).
# Sets ROOT (the checkout) and CACHE (where corpus.sh keeps the corpora).
# Set BENCH_NAME (the prefix of every message) before the first message.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}

trap 'echo "[$BENCH_NAME] error: command failed at line $LINENO: $BASH_COMMAND" >&2' ERR
log() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

# bench_usage: print the calling script's header comment (from line 2 to the
# line before "set -euo").
bench_usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# bench_corpus NAME: set LABEL and CORPUS ($CACHE/NAME) for a corpus that
# corpus.sh builds.
bench_corpus() {
    case $1 in
        big) LABEL=BIG ;;
        med) LABEL=MED ;;
        *) die "--corpus takes big or med, not '$1'" ;;
    esac
    CORPUS=$CACHE/$1
}

# bench_positive VAR OPTION: VAR (set by OPTION) must be a positive whole number.
bench_positive() { [[ ${!1} =~ ^[1-9][0-9]*$ ]] || die "$2 takes a positive number, not '${!1}'"; }

# bench_args "OPT=VAR ..." "FLAG=VAR ..." ARGS...: parse the command line.
# --OPT VALUE sets VAR to VALUE; --FLAG sets VAR to 1; -h/--help prints the
# usage; anything else is an error.
bench_args() {
    local valued=" $1 " flags=" $2 " opt var
    shift 2
    while [[ $# -gt 0 ]]; do
        case $1 in -h|--help) bench_usage; exit 0 ;; esac
        opt=${1#--}
        if [[ $1 == --* && $valued == *" $opt="* ]]; then
            var=${valued#*" $opt="}
            [[ $# -ge 2 ]] || die "$1 needs a value"
            printf -v "${var%% *}" '%s' "$2"
            shift 2
        elif [[ $1 == --* && $flags == *" $opt="* ]]; then
            var=${flags#*" $opt="}
            printf -v "${var%% *}" '%s' 1
            shift
        else
            die "unknown option '$1' (see --help)"
        fi
    done
}

# Median wall ms of RUNS runs of a command (output discarded).
median_ms() {
    python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
xs = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    xs.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(xs):.1f}")
PY
}

# bench_git_copy: REPO=$CACHE/<corpus>-git, a copy of the corpus committed
# once into a git repository, for benchmarks that change files and restore
# them with `git checkout` (made the first time, reused after).
bench_git_copy() {
    REPO=$CACHE/$WHICH-git
    [[ -f $REPO/.git/cidx-bench-ok ]] && return 0
    log "copying $WHICH into a git repository at $REPO (once)"
    rm -rf "$REPO"
    cp -R "$CORPUS" "$REPO"
    git -C "$REPO" init -q
    git -C "$REPO" add -A
    git -C "$REPO" -c user.name=bench -c user.email=bench@localhost commit -q -m base
    touch "$REPO/.git/cidx-bench-ok"
}
