#!/bin/sh
# tui-tree.sh — how fast the call tree expands, measured inside cidx-tui:
# CIDX_TUI_TIMINGS makes it log each action's time from the key to the
# finished frame. On the BIG kernel corpus (else MED), in a private tmux
# server at 120x40: search NAME, open its tree, switch to the callers (the
# root's children: 1,562 for rtl_priv on BIG), then expand the first N callers one
# by one (Down, Right). Each key waits for its logged line (a deadline, no
# bare sleeps). Prints a table and writes bench/results/tui-tree.md.
#   bench/tui-tree.sh [N] [NAME] [CORPUS_DIR]   (default 40, rtl_priv, BIG or MED)
# The corpus is indexed first into a temporary --db (CIDX_BENCH_DB=PATH
# reuses an existing index of it instead).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
n=${1:-40}
name=${2:-rtl_priv}
cache=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}
corpus=${3:-}
if [ -z "$corpus" ]; then
	if [ -d "$cache/big" ]; then corpus=$cache/big; else corpus=$cache/med; fi
fi
bin=$top/build/cidx-tui
[ -x "$bin" ] && [ -x "$top/build/cidx" ] || { echo "tui-tree: build first (make)" >&2; exit 1; }
[ -d "$corpus" ] || { echo "tui-tree: no corpus at $corpus (bench/corpus.sh)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tui-tree: needs tmux" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cidx-tui-tree.XXXXXX")
TM="tmux -L cidx-tui-tree-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
db=${CIDX_BENCH_DB:-$tmp/index.db}
if [ ! -f "$db" ]; then
	echo "tui-tree: indexing $corpus" >&2
	"$top/build/cidx" index "$corpus" --db "$db" >/dev/null
fi
log=$tmp/timings
: >"$log"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
$TM new-session -d -s t -x 120 -y 40 \
	env -i PATH="$PATH" HOME="$tmp" TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	XDG_CONFIG_HOME="$tmp/cfg" CIDX_CACHE_DIR="${CIDX_CACHE_DIR:-$HOME/.cache/cidx}" \
	CIDX_TUI_TIMINGS="$log" "$bin" --db "$db" "$corpus"
$TM set-option -t t escape-time 0 >/dev/null 2>&1

screen() { $TM capture-pane -p -t t; }
wait_screen() { # wait_screen PATTERN [SECONDS]
	end=$(( $(date +%s) + ${2:-300} ))
	until screen | grep -Eq -- "$1"; do
		[ "$(date +%s)" -le "$end" ] || { echo "tui-tree: timed out waiting for /$1/" >&2; screen >&2; exit 1; }
		sleep 0.1
	done
}
lines() { wc -l <"$log" | tr -d ' '; }
# key KEY...: send, then wait until the app logged one more action
key() {
	before=$(lines)
	$TM send-keys -t t "$@"
	end=$(( $(date +%s) + 30 ))
	while [ "$(lines)" -le "$before" ]; do
		[ "$(date +%s)" -le "$end" ] || { echo "tui-tree: no timing for $*" >&2; exit 1; }
		sleep 0.02
	done
}

wait_screen 'up to date'
$TM send-keys -t t -l "^$name\$"
wait_screen "^> [a-z]+ +$name "
key C-t
key d
wait_screen "^callers of $name "
rows=$(screen | sed -n 's/^callers of [^ ]* *[0-9]*\/\([0-9]*\) .*/\1/p')
i=0
while [ "$i" -lt "$n" ]; do
	key Down
	key Right
	i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$here/results"
python3 - "$log" "$corpus" "$name" "$n" "$rows" "$load0" "$load1" >"$here/results/tui-tree.md" <<'PY'
import datetime, os, statistics, sys
log, corpus, name, n, rows, load0, load1 = sys.argv[1:8]
t = {}
for l in open(log):
    a, ms = l.split()
    t.setdefault(a, []).append(float(ms))
print("# cidx-tui: call-tree timings\n")
print(f"Corpus `{os.path.basename(corpus)}` ({corpus}); tree of `{name}`; 120x40 tmux pane;")
print(f"times from the key to the finished frame, logged by cidx-tui itself (CIDX_TUI_TIMINGS).")
print(f"Generated {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by `bench/tui-tree.sh {n} {name}`;")
print(f"load average before {load0}, after {load1}; {os.cpu_count()} CPUs.\n")
print("| action | what | runs | median | max | target |")
print("|---|---|---|---|---|---|")
def row(a, what, target=""):
    if a in t:
        v = t[a]
        print(f"| {a} | {what} | {len(v)} | {statistics.median(v):.2f} ms | {max(v):.2f} ms | {target} |")
row("call-tree", "open the tree (root + its callees)")
row("tree-direction", f"switch to callers: root expanded, {rows} rows")
row("tree-expand", f"expand one of the first {n} callers", "<= 16 ms")
row("move-down", "move the selection (preview follows later)")
PY
cat "$here/results/tui-tree.md"
