#!/bin/sh
# tui-first-frame.sh — cidx-tui on the BIG kernel corpus with a cold cache
# (a fresh CIDX_CACHE_DIR per run: no index, no shared L3): milliseconds
# from exec to the first complete frame (its status line drawn), seconds
# until the first index is done, then the CPU the process uses over 10 idle
# seconds (utime + stime from /proc/PID/stat) and the bytes it writes
# meanwhile. Medians over REPEATS runs; writes bench/results/tui-first-frame.md.
#   bench/tui-first-frame.sh [REPEATS] [CORPUS]   (default 3, BIG)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
repeats=${1:-3}
corpus=${2:-${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}/big}
bin=$top/build/cidx-tui
[ -x "$bin" ] || { echo "tui-first-frame: build first (make)" >&2; exit 1; }
[ -d "$corpus" ] || { echo "tui-first-frame: no corpus at $corpus (bench/corpus.sh)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cidx-tui-frame.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/runs.jsonl
load0=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ $i -lt "$repeats" ]; do
	rm -rf "$tmp/cache"
	python3 "$here/lib/tui_pty.py" frame "$bin" "$corpus" "$tmp/cache" >>"$out"
	i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$here/results"
python3 - "$out" "$corpus" "$repeats" "$load0" "$load1" >"$here/results/tui-first-frame.md" <<'PY'
import json, os, statistics, sys, datetime
runs = [json.loads(l) for l in open(sys.argv[1])]
corpus, repeats, load0, load1 = sys.argv[2:6]
med = lambda k: statistics.median(r[k] for r in runs)
print("# cidx-tui: first frame and idle cost\n")
print(f"Corpus `{os.path.basename(corpus)}` ({corpus}); cold cache (fresh CIDX_CACHE_DIR per run);")
print(f"80x24 pseudo-terminal; {repeats} runs. Generated {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by")
print(f"`bench/tui-first-frame.sh {repeats}`; load average before {load0}, after {load1}; {os.cpu_count()} CPUs.\n")
print("| measure | median | runs | target |")
print("|---|---|---|---|")
print(f"| exec to first complete frame | {med('first_frame_ms'):.1f} ms | {', '.join('%.1f' % r['first_frame_ms'] for r in runs)} | <= 100 ms |")
print(f"| exec to index done (status 'up to date') | {med('indexed_s'):.1f} s | {', '.join('%.1f' % r['indexed_s'] for r in runs)} | |")
print(f"| CPU over 10 idle s after indexing | {med('idle_cpu_s'):.3f} s | {', '.join('%.3f' % r['idle_cpu_s'] for r in runs)} | < 0.05 s |")
print(f"| bytes written over those 10 s | {med('idle_bytes'):.0f} | {', '.join(str(r['idle_bytes']) for r in runs)} | |")
PY
cat "$here/results/tui-first-frame.md"
