#!/bin/sh
# shoot.sh — `make screenshots`: run build/cidx-tui on this repository in a
# real terminal (a private tmux server, pinned environment), capture each
# view with its colours (capture-pane -e) and draw it to a PNG (render.py).
# Needs the Debian packages tmux, python3-pil and fonts-dejavu-core
# (installed with apt-get when missing, as `make deps` does).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=$top/build/cidx-tui
missing=""
/usr/bin/python3 -c 'import PIL' 2>/dev/null || missing="$missing python3-pil"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing="$missing fonts-dejavu-core"
command -v tmux >/dev/null || missing="$missing tmux"
if [ -n "$missing" ]; then
	echo "screenshots: installing Debian packages:$missing"
	sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cidx-shots.XXXXXX")
TM="tmux -L cidx-shots-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
wait_for() { # PATTERN: until the pane shows it (30 s deadline)
	end=$(( $(date +%s) + 30 ))
	until $TM capture-pane -p -t s | grep -Eq -- "$1"; do
		[ "$(date +%s)" -le "$end" ] || { echo "screenshots: no /$1/ on screen" >&2; exit 1; }
		sleep 0.05
	done
}
shot() { # NAME COLS ROWS
	$TM capture-pane -e -p -t s >"$tmp/$1.ans"
	/usr/bin/python3 "$here/render.py" "$tmp/$1.ans" "$here/$1.png" "$2" "$3"
	echo "screenshots/$1.png"
}
export CIDX_CACHE_DIR="$tmp/cache"
"$top/build/cidx" index "$top" >/dev/null
$TM new-session -d -s s -x 100 -y 30 env -i PATH="$PATH" HOME="$tmp" TERM=screen-256color \
	LANG=C.UTF-8 LC_ALL=C.UTF-8 CIDX_CACHE_DIR="$CIDX_CACHE_DIR" XDG_CONFIG_HOME="$tmp/config" \
	"$bin" "$top"
$TM set-option -t s status off >/dev/null
wait_for 'up to date'
$TM send-keys -t s -l 'srun'
wait_for '^> srun'
wait_for 'search_run'
shot search 100 30
$TM resize-window -t s -x 150 -y 40
wait_for '│'
$TM send-keys -t s Down
sleep 0.2   # the preview follows after a 60 ms pause; the shot only needs it done
shot wide 150 40
$TM send-keys -t s '?'
wait_for 'cidx-tui keys'
shot help 150 40
