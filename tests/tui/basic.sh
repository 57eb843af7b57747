#!/bin/sh
# basic.sh — cidx-tui as a person uses it: start on the fixture repository,
# type a query, see the top result and its preview, move, resize, help,
# Ctrl-Z and fg, quit and find the shell as it was.
set -u
. "$(dirname "$0")/lib.sh"
repo=$T_TMP/repo
make_repo "$repo" || { fail "tui fixture copy"; finish; exit 1; }

start_shell 80x24
type_line "printf 'MARK-%s\\n' before; cd $repo"
run_app
expect "tui: first frame and the index's counts" '11 files +[0-9]+ symbols +up to date'
[ "$(alt_screen)" = 1 ] && pass "tui: alternate screen while running" || fail "tui: alternate screen while running"

keys -l 'hash_str'
expect "tui: query shows the top result" '^> func +hash_string +lib/compat\.c:4 *$'
check "tui: second result" '^  func +hash_string +lib/hash\.c:7 *$'
check "tui: result count" '^> hash_str +3/3 *$'
check "tui: preview title" '─ lib/compat\.c:4 ─'
check "tui: preview shows the definition (no line numbers when stacked)" '^unsigned long hash_string\(const char \*s\)'

keys Down
expect "tui: moving the selection" '^> func +hash_string +lib/hash\.c:7 *$'
expect "tui: preview follows the selection" '─ lib/hash\.c:7 ─'

keys C-u
keys -l 'process_all'
expect "tui: another query" '─ src/kernel\.c:26 ─'
# the preview's rows below its title: lines 24, 25 and 26 of kernel.c
# ("}", "", the target)
title='─ src/kernel\.c:26 ─'
wait_row "tui: the preview starts a third above the target" "$title" 3 '^void process_all\(struct node \*list\) *$' &&
	pass "tui: the preview starts a third above the target"
expect_match "tui: ... the line above it first" '^}$' "$(row_below "$title" 1)"
keys Tab
keys Down
wait_row "tui: the preview scrolls by one line when focused" "$title" 2 '^void process_all\(struct node \*list\) *$' &&
	pass "tui: the preview scrolls by one line when focused"
# stacked, the focused side has three fifths of the 23 rows: the status line
# is 14 rows below the preview's title while it has the focus, 9 after
wait_row "tui: the focused preview takes the room (13 lines of source)" "$title" 14 'up to date' &&
	pass "tui: the focused preview takes the room (13 lines of source)"
keys Tab
wait_row "tui: back in the search, the results take it (8 lines of source)" "$title" 9 'up to date' &&
	pass "tui: back in the search, the results take it (8 lines of source)"

# 46 results for "s": screen lines 2-14 hold 13 of them while searching,
# 2-9 while the preview has the focus
line() { screen | sed -n "$1p"; }
keys C-u
keys -l 's'
expect "tui: 46 results" '^> s +46/46 *$'
keys End
wait_row "tui: End selects the last result, on the list's last line" '^> s ' 13 '^> ' &&
	pass "tui: End selects the last result, on the list's last line"
keys Tab
wait_row "tui: the preview takes the room" '^> s ' 9 '^─ ' && pass "tui: the preview takes the room"
expect_match "tui: ... the selection still shown, on the shorter list's last line" '^> ' "$(line 9)"
keys Tab
wait_row "tui: the results take it back" '^> s ' 14 '^─ ' && pass "tui: the results take it back"
expect_match "tui: ... and are a full page again, the selection last" '^> ' "$(line 14)"
expect_match "tui: ... (no blank rows above the title)" '^  [a-z]' "$(line 13)"
keys Home
expect "tui: Home selects the first" '^> macro +SQUARE '
keys Tab
wait_row "tui: the preview has the focus" '^> s ' 9 '^─ ' && pass "tui: the preview has the focus"
# Tab and ten Downs at once: the Downs move by the list's new height
keys Tab Down Down Down Down Down Down Down Down Down Down
wait_row "tui: a burst after Tab" '^> s ' 14 '^─ ' && pass "tui: a burst after Tab"
expect_match "tui: ... the eleventh result selected, on line 12" '^> ' "$(line 12)"
expect_match "tui: ... the list still starts at the first" '^  macro +SQUARE ' "$(line 2)"
keys C-u
keys -l 'hash_str'
keys Down
expect "tui: back to the second hash_string" '^> func +hash_string +lib/hash\.c:7 *$'

resize 140 40
expect "tui: wide layout puts the preview beside the results" '^> func +hash_string +lib/hash\.c:7 +│'
check "tui: ... and numbers its lines" '│ +7 unsigned long hash_string\(const char \*s\)'
resize 80 24
expect "tui: back to the stacked layout" '^─ lib/hash\.c:7 ─'
# resized with the preview focused: stacked again, the preview keeps the room
keys Tab
wait_row "tui: Tab gives the preview the room" '^> hash_str ' 9 '^─ ' && pass "tui: Tab gives the preview the room"
resize 140 40
expect "tui: wide with the preview focused" '^> func +hash_string +lib/hash\.c:7 +│'
resize 80 24
wait_row "tui: stacked again, the focused preview has the room" '^> hash_str ' 9 '^─ lib/hash\.c:7 ─' &&
	pass "tui: stacked again, the focused preview has the room"
keys Tab
wait_row "tui: ... until Tab" '^> hash_str ' 14 '^─ lib/hash\.c:7 ─' && pass "tui: ... until Tab"

keys '?'
expect "tui: ? opens the help" 'cidx-tui keys'
check "tui: help lists actions from the table" 'move-down +Down one line'
check "tui: help shows bound keys" '<C-c> <C-q> <F10> +quit +Quit'
keys q
wait_gone "tui: q closes the help" 'cidx-tui keys' && pass "tui: q closes the help"
check "tui: the results are back after help" 'hash_string'

keys C-u
keys -l '^SQUARE$'
expect "tui: a function-like macro shows as macro" '^> macro +SQUARE +'
keys C-u
keys -l 'no_such_symbol_zz'
expect "tui: no matches" 'no matches'
keys C-u
keys -l 'hash_str'
expect "tui: query typed again" '^> hash_str +3/3'

# Ctrl-Z suspends to the shell; fg brings the same screen back.
keys C-z
expect "tui: Ctrl-Z stops the app" 'Stopped'
[ "$(alt_screen)" = 0 ] && pass "tui: Ctrl-Z leaves the alternate screen" || fail "tui: Ctrl-Z leaves the alternate screen"
type_line fg
expect "tui: fg redraws the app" '^> hash_str +3/3'

keys C-c
expect "tui: Ctrl-C quits with status 0" '^rc=0$'
check "tui: the shell's earlier output is back" '^MARK-before$'
s=$(screen)
if printf '%s\n' "$s" | grep -q 'hash_string'; then fail "tui: nothing of the app is left" "$s"; else pass "tui: nothing of the app is left"; fi
[ "$(alt_screen)" = 0 ] && pass "tui: quit leaves the alternate screen" || fail "tui: quit leaves the alternate screen"

# signal_app SIG: send SIG to the app run_app started (the pane's shell ->
# sh -c -> cidx-tui)
signal_app() {
	shell_pid=$($TM display-message -p -t t '#{pane_pid}')
	sh_pid=$(ps -o pid= --ppid "$shell_pid" | tr -d ' ' | head -1)
	app_pid=$(ps -o pid= --ppid "$sh_pid" | tr -d ' ' | head -1)
	if [ -n "$app_pid" ]; then kill -"$1" "$app_pid"; fi
}

# SIGTERM restores the terminal too, and the status says it was a signal.
type_line clear
run_app
expect "tui: started again (warm)" 'up to date'
signal_app TERM
expect "tui: SIGTERM exits with 128+15" '^rc=143$'
[ "$(alt_screen)" = 0 ] && pass "tui: SIGTERM leaves the alternate screen" || fail "tui: SIGTERM leaves the alternate screen"

# A crash (here SIGSEGV sent from outside) restores the terminal first.
type_line clear
run_app
expect "tui: started for the crash check" 'up to date'
signal_app SEGV
expect "tui: a fatal signal still ends the app" '^rc=(139|1)$'
[ "$(alt_screen)" = 0 ] && pass "tui: a fatal signal leaves the alternate screen" || fail "tui: a fatal signal leaves the alternate screen"
type_line 'stty -a | grep -o " -\?icanon" ; echo stty-done'
expect "tui: the tty is back in canonical mode" '^ icanon$'

finish
