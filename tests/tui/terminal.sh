#!/bin/sh
# terminal.sh — cidx-tui's terminal manners: colours and NO_COLOR, UTF-8
# and ASCII line drawing, TERM unset or dumb, a window below the minimum
# size, keymaps (a bad file, the vim flavour, the user's file), --version.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
make_repo "$repo" || { fail "tui fixture copy"; finish; exit 1; }
(cd "$repo" && "$CIDX_BIN" index >/dev/null 2>&1)

# SGR colour parameters in capture-pane -e output: 30-37, 38;…, 40-47, 48;…, 90-97, 100-107
has_colour() { python3 -c '
import re, sys
for m in re.finditer(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    ps = m.group(1).split(";")
    if any(p in ("38", "48") or (p.isdigit() and (30 <= int(p) <= 37 or 40 <= int(p) <= 47 or 90 <= int(p) <= 97 or 100 <= int(p) <= 107)) for p in ps):
        sys.exit(0)
sys.exit(1)'; }

# ---- colours ----
start_shell 80x24
type_line "cd $repo"
run_app
expect "tui colour: app up" 'up to date'
keys -l 'hash_str'
expect "tui colour: results" '^> func +hash_string'
if screen_e | has_colour; then pass "tui colour: colours by default"; else fail "tui colour: colours by default" "$(screen_e)"; fi
check "tui colour: UTF-8 line drawing" '─ lib/compat\.c:4 ─'
keys C-c
expect "tui colour: quit" '^rc=0$'

start_shell 80x24 C.UTF-8 screen-256color NO_COLOR=1
type_line "cd $repo"
run_app
expect "tui NO_COLOR: app up" 'up to date'
keys -l 'hash_str'
expect "tui NO_COLOR: results" '^> func +hash_string'
if screen_e | has_colour; then fail "tui NO_COLOR: no colour escapes" "$(screen_e | cat -v)"; else pass "tui NO_COLOR: no colour escapes"; fi
if screen_e | grep -q "$(printf '\033')\[[0-9;]*7m"; then pass "tui NO_COLOR: selection still shown (reverse video)"; else fail "tui NO_COLOR: selection still shown (reverse video)" "$(screen_e | cat -v)"; fi
keys C-c
expect "tui NO_COLOR: quit" '^rc=0$'

# ---- ASCII ----
start_shell 80x24 C
type_line "cd $repo"
run_app
expect "tui ASCII: app up" 'up to date'
keys -l 'hash_str'
expect "tui ASCII: rules drawn with -" '^- lib/compat\.c:4 ---'
s=$(screen)
if printf '%s' "$s" | LC_ALL=C grep -q "$(printf '\342\224')"; then fail "tui ASCII: no UTF-8 box drawing" "$s"; else pass "tui ASCII: no UTF-8 box drawing"; fi
resize 140 30
expect "tui ASCII: vertical rule is |" '3/3 \| - lib/compat\.c:4 -'
keys C-c
expect "tui ASCII: quit" '^rc=0$'

# ---- too small, and back ----
start_shell 80x24
type_line "cd $repo"
run_app
expect "tui small: app up" 'up to date'
resize 40 10
expect "tui small: says it is too small" 'cidx-tui needs 50x12 \(now 40x10\)'
s=$(screen)
if printf '%s\n' "$s" | grep -q 'up to date'; then fail "tui small: nothing else drawn" "$s"; else pass "tui small: nothing else drawn"; fi
resize 80 24
expect "tui small: the app is back after enlarging" 'up to date'
keys C-c
expect "tui small: quit" '^rc=0$'

# ---- keymaps ----
cat >"$T_TMP/bad.keys" <<'KEYS'
# a keymap with mistakes
bind search <C-j> move-down
bind search <Nope> move-down
bind serch j move-down
bind preview j jump-around
KEYS
start_shell 80x24
type_line "cd $repo"
run_app --keymap "$T_TMP/bad.keys"
expect "tui keymap: bad line named by file:line and word" "bad\.keys:3: unknown key '<Nope>'"
keys -l 'hash_str'
expect "tui keymap: the app still runs" '^> func +hash_string +lib/compat\.c:4'
keys C-j
expect "tui keymap: the good lines of the file apply" '^> func +hash_string +lib/hash\.c:7'
keys C-c
expect "tui keymap: quit" '^rc=0$'
check "tui keymap: every error on stderr" "bad\.keys:4: unknown context 'serch'"
check "tui keymap: unknown action" "bad\.keys:5: unknown action 'jump-around'"

mkdir -p "$T_TMP/xdg-config/cidx"
printf 'bind global <F2> quit\nbind search <C-x> frobnicate\n' >"$T_TMP/xdg-config/cidx/keys"
start_shell 80x24
type_line "cd $repo"
run_app --keymap vim
expect "tui keymap: user file error" "cidx/keys:2: unknown action 'frobnicate'"
keys -l 'process_all'
expect "tui vim: query" '─ src/kernel\.c:26 ─'
keys Enter
keys j
wait_gone "tui vim: j scrolls the focused preview" '^ +22 ' && pass "tui vim: j scrolls the focused preview"
keys F2
expect "tui keymap: the user's binding applies" '^rc=0$'
rm -f "$T_TMP/xdg-config/cidx/keys"

# ---- terminals that cannot draw ----
expect_rc "tui TERM unset: exit 1" 1 env -u TERM "$CIDX_TUI_BIN" "$repo"
expect_match "tui TERM unset: says why" 'TERM is not set' "$T_ERR"
expect_rc "tui TERM=dumb: exit 1" 1 env TERM=dumb "$CIDX_TUI_BIN" "$repo"
expect_match "tui TERM=dumb: says why" 'TERM=dumb cannot move the cursor' "$T_ERR"
expect_rc "tui not a terminal: exit 1" 1 env TERM=xterm-256color "$CIDX_TUI_BIN" "$repo"
expect_match "tui not a terminal: says why" 'needs a terminal' "$T_ERR"
expect_rc "tui --version" 0 "$CIDX_TUI_BIN" --version
expect_match "tui --version prints it" '^cidx-tui [0-9]+\.[0-9]+' "$T_OUT"
expect_rc "tui --help" 0 "$CIDX_TUI_BIN" --help
expect_match "tui --help names --keymap" '--keymap NAME\|PATH' "$T_OUT"
expect_rc "tui bad option: exit 2" 2 "$CIDX_TUI_BIN" --frobnicate

finish
