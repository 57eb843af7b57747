#!/bin/sh
# tui-bytes.sh — bytes cidx-tui writes to the terminal per keystroke, in a
# pseudo-terminal (bench/lib/tui_pty.py), at 80x24 and 200x50:
#   type   one character typed into the search pane (the list and the
#          preview of the new top result are redrawn)
#   move   the selection moved one line, the key pressed alone: the two
#          list rows and, PREVIEW_DELAY_MS later, the preview of the newly
#          selected definition
#          (the list rows alone: what arrives before the preview's pause)
#   burst  moves 25 ms apart (a held key): per move, including the one
#          preview repaint when the burst ends
#   floor  per move alone, what changed on screen (an emulated terminal,
#          Debian's python3-pyte, fed the app's output): the bytes of the
#          changed cells' characters, plus 3 per row where cells went blank.
#          Drawing in place cannot send less for that change, cursor moves
#          and colours aside (scrolling the terminal can, when rows shift);
#          it shows how far the drawing is from the least possible
# Medians over every keystroke of REPEATS runs. Corpus: the MED kernel
# corpus when present (indexed first into a scratch cache), else the
# fixture. On MED, four more queries at 80x24 (one run each) show how the
# figures vary with what the results and their definitions are.
# Writes bench/results/tui-bytes.md.
#   bench/tui-bytes.sh [REPEATS]      (default 3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
repeats=${1:-3}
bin=$top/build/cidx-tui
[ -x "$bin" ] || { echo "tui-bytes: build first (make)" >&2; exit 1; }
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import pyte' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || { echo "tui-bytes: needs Debian's terminal emulator for Python (apt-get install python3-pyte)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cidx-tui-bytes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
med=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}/med
if [ -d "$med" ]; then
	corpus=$med; name=MED; query=kmalloc; more="spin_lock alloc mutex init"
else
	cp -R "$top/tests/fixtures/c-repo" "$tmp/repo"; git init -q "$tmp/repo"
	corpus=$tmp/repo; name=fixture; query=hash_str; more=
fi
export CIDX_CACHE_DIR="$tmp/cache"
"$top/build/cidx" index "$corpus" >/dev/null
out=$tmp/runs.jsonl
for size in 80x24 200x50; do
	i=0
	while [ $i -lt "$repeats" ]; do
		"$py" "$here/lib/tui_pty.py" bytes "$bin" "$size" "$corpus" "$CIDX_CACHE_DIR" "$query" 8 >>"$out"
		i=$((i + 1))
	done
done
for q in $more; do
	"$py" "$here/lib/tui_pty.py" bytes "$bin" 80x24 "$corpus" "$CIDX_CACHE_DIR" "$q" 8 >"$tmp/one.json"
	sed "s/^{/{\"query\": \"$q\", /" "$tmp/one.json" >>"$tmp/more.jsonl"
done
mkdir -p "$here/results"
python3 - "$out" "$name" "$query" "$repeats" "$tmp/more.jsonl" >"$here/results/tui-bytes.md" <<'PY'
import json, os, statistics, sys, datetime
runs = [json.loads(l) for l in open(sys.argv[1])]
more = [json.loads(l) for l in open(sys.argv[5])] if os.path.exists(sys.argv[5]) else []
name, query, repeats = sys.argv[2], sys.argv[3], sys.argv[4]
load = open("/proc/loadavg").read().split()[:3]
rows = []
for size in ("80x24", "200x50"):
    rs = [r for r in runs if r["size"] == size]
    t = [x for r in rs for x in r["type"]]
    m = [x for r in rs for x in r["move"]]
    b = [x for r in rs for x in r["burst"]]
    ml = [x for r in rs for x in r["move_list"]]
    fl = [x for r in rs for x in r["move_floor"]]
    rows.append((size, statistics.median(t), max(t), statistics.median(m), max(m), statistics.median(b),
                 statistics.median(ml), statistics.median(fl), max(fl)))
print("# cidx-tui: bytes written to the terminal per keystroke\n")
print(f"Corpus {name}; query typed one character at a time: `{query}`; 8 selection moves;")
print(f"{repeats} runs per size; TERM=xterm-256color, UTF-8, colours on.")
print(f"Generated {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by `bench/tui-bytes.sh {repeats}`;"
      f" load average {' '.join(load)}; {os.cpu_count()} CPUs.\n")
print("| size | type: median | type: max | move alone: median | move alone: max | of which the list rows | move alone: floor, median | floor, max | move in a burst: median |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:.0f} | {r[2]:.0f} | {r[3]:.0f} | {r[4]:.0f} | {r[6]:.0f} | {r[7]:.0f} | {r[8]:.0f} | {r[5]:.0f} |")
print("\nTargets at 80x24: type <= 2,500 bytes, move <= 400 bytes.")
print("A move alone includes the preview repaint of the newly selected definition")
print("(it follows the selection after a 60 ms pause); in a burst (keys 25 ms apart)")
print("only the list rows are sent per key and the preview once at the end.")
print("The floor is the least a renderer drawing in place could send for a move")
print("alone: the bytes of the characters in the cells that changed (in an")
print("emulated terminal fed the app's output), plus 3 per row where cells went")
print("blank; no cursor movement, no colour. Scrolling the terminal can do with")
print("less when the change is a shift of rows.")
if more:
    print("\nOther queries at 80x24 (one run each, 8 moves; medians):\n")
    print("| query | type | move alone | of which the list rows | floor | move in a burst |")
    print("|---|---|---|---|---|---|")
    for r in more:
        m = statistics.median
        print(f"| `{r['query']}` | {m(r['type']):.0f} | {m(r['move']):.0f} | {m(r['move_list']):.0f} |"
              f" {m(r['move_floor']):.0f} | {m(r['burst']):.0f} |")
PY
cat "$here/results/tui-bytes.md"
