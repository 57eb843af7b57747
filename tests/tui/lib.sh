# Shared helpers for the cidx-tui end-to-end tests (sourced, POSIX sh).
# Each script drives the real binary in a real terminal: a private tmux
# server (its own socket, no configuration), a pinned environment (HOME,
# XDG_*, LANG/LC_ALL, TERM, the cache directory, the window size), and an
# interactive bash in the pane so that quitting, Ctrl-Z and fg behave as
# they do for a person. Every wait is on a condition with a deadline.
: "${CIDX_TUI_BIN:?CIDX_TUI_BIN must point at build/cidx-tui}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/lib.sh"
# Sanitizer builds start slowly: deadlines are generous, never relied on.
DEADLINE=${CIDX_TUI_DEADLINE:-60}
T_SOCK=0
TM="tmux -L cidxtest-$$-0 -f /dev/null"
trap '$TM kill-server 2>/dev/null; chmod -R u+w "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT
trap 'exit 130' INT TERM

# make_repo DIR: a copy of the fixture repository, a git repository (no commits)
make_repo() {
	cp -R "$here/../fixtures/c-repo" "$1" && git init -q "$1" >/dev/null 2>&1
}

# term_env LANG TERM: the pinned environment for the pane's shell
# start_shell [COLSxROWS] [LANG] [TERM] [VAR=VALUE...]: a fresh session running bash
start_shell() {
	size=${1:-80x24}; lang=${2:-C.UTF-8}; term=${3:-screen-256color}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	# a fresh server (its own socket) each time: a dying one cannot take
	# the new session down with it
	$TM kill-server 2>/dev/null
	T_SOCK=$((T_SOCK + 1))
	TM="tmux -L cidxtest-$$-$T_SOCK -f /dev/null"
	mkdir -p "$HOME/.config" "$T_TMP/xdg-config" "$T_TMP/xdg-cache" "$T_TMP/xdg-data"
	$TM new-session -d -s t -x "${size%x*}" -y "${size#*x}" \
		env -i PATH="$PATH" HOME="$HOME" TERM="$term" LANG="$lang" LC_ALL="$lang" \
		XDG_CONFIG_HOME="$T_TMP/xdg-config" XDG_CACHE_HOME="$T_TMP/xdg-cache" \
		XDG_DATA_HOME="$T_TMP/xdg-data" CIDX_CACHE_DIR="$CIDX_CACHE_DIR" TZ=UTC \
		PS1='$ ' "$@" bash --norc --noprofile -i
	$TM set-option -t t status off >/dev/null
	$TM set-option -t t escape-time 0 >/dev/null 2>&1
	wait_for 'shell prompt' '^\$'
}

screen() { $TM capture-pane -p -t t; }
screen_e() { $TM capture-pane -p -e -t t; }

# type_line TEXT: type TEXT into the pane and press Enter
type_line() { $TM send-keys -t t -l "$1"; $TM send-keys -t t Enter; }
keys() { $TM send-keys -t t "$@"; }

# poll NAME WHAT CMD...: until CMD succeeds; returns 1 (after reporting a
# FAIL with WHAT and the screen CMD last looked at, $p_last) when the
# deadline passes
poll() {
	end=$(( $(date +%s) + DEADLINE ))
	p_name=$1 p_what=$2
	shift 2
	while ! "$@"; do
		if [ "$(date +%s)" -gt "$end" ]; then
			fail "$p_name" "$p_what within ${DEADLINE}s; the screen:" "$p_last"
			return 1
		fi
		sleep 0.05
	done
}

screen_has() { p_last=$(screen); printf '%s\n' "$p_last" | grep -Eq -- "$1"; }
screen_lacks() { ! screen_has "$1"; }

# wait_for NAME PATTERN: until the screen matches (grep -E)
wait_for() { poll "$1" "no match for /$2/" screen_has "$2"; }

# wait_gone NAME PATTERN: until the screen no longer matches
wait_gone() { poll "$1" "/$2/ still on screen" screen_lacks "$2"; }

# check NAME PATTERN: pass when the screen matches now (after a wait_for)
check() {
	s=$(screen)
	if printf '%s\n' "$s" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "no match for /$2/:" "$s"; fi
}

# expect NAME PATTERN: wait_for, then pass
expect() { wait_for "$1" "$2" && pass "$1"; }

# row_below ANCHOR N: the screen's Nth row below the first row matching
# ANCHOR (grep -E), empty when the screen ends before it
nth_below() { RB_RE=$1 awk -v n="$2" 'k == 0 && $0 ~ ENVIRON["RB_RE"] { k = NR } k && NR == k + n { print; exit }'; }
row_below() { screen | nth_below "$1" "$2"; }

# wait_row NAME ANCHOR N PATTERN: until row_below ANCHOR N matches PATTERN
row_has() { p_last=$(screen); printf '%s\n' "$p_last" | nth_below "$1" "$2" | grep -Eq -- "$3"; }
wait_row() { poll "$1" "row $3 below /$2/ is not /$4/" row_has "$2" "$3" "$4"; }

# resize COLS ROWS
resize() { $TM resize-window -t t -x "$1" -y "$2"; }

# run_app ARGS...: start cidx-tui from the pane's shell through sh -c, so
# that "rc=N" is printed when it exits even after Ctrl-Z and fg
run_app() { type_line "sh -c '\"\$0\" \"\$@\"; echo rc=\$?' $CIDX_TUI_BIN $*"; }

alt_screen() { $TM display-message -p -t t '#{alternate_on}'; }

# hops_from_json: the impact header line the TUI shows ("hop 1: 5  hop 2: 2
# · 3 files · 1 test"), built from `cidx impact ... --json` on stdin
hops_from_json() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
hops = "  ".join("hop %d: %d" % (h["hop"], h["count"]) for h in d["hops"]) or "no callers"
nf, nt = len(d["files"]), len(d["tests"])
print("%s · %d file%s · %d test%s" % (hops, nf, "" if nf == 1 else "s", nt, "" if nt == 1 else "s"))'
}
# hop_line: the tree's second screen line, trailing blanks cut
hop_line() { screen | sed -n 2p | sed 's/ *$//'; }
# expect_hops NAME EXPECTED: wait until the header line is exactly EXPECTED
expect_hops() {
	end=$(( $(date +%s) + DEADLINE ))
	while :; do
		got=$(hop_line)
		[ "$got" = "$2" ] && { pass "$1"; return 0; }
		if [ "$(date +%s)" -gt "$end" ]; then
			fail "$1" "expected: $2" "screen:" "$(screen)"
			return 1
		fi
		sleep 0.05
	done
}

# re TEXT: TEXT as an extended regular expression matching itself
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }
