"""tui_pty.py — drive cidx-tui in a pseudo-terminal and measure it (stdlib only).

Used by bench/tui-bytes.sh and bench/tui-first-frame.sh:

  bytes   COLSxROWS REPO CACHE QUERY MOVES  -> one JSON line: bytes written to
          the terminal for each typed character and each selection move
  frame   REPO CACHE                        -> JSON: ms from exec to the first
          complete frame (the status line drawn), then CPU seconds over 10
          idle seconds once indexing is done
  refresh REPO CACHE FILE SAVES             -> JSON: ms from each save of FILE
          (a new function appended, written to a temporary file and renamed
          over it, as editors do) to the screen showing it in the search
          results, then CPU seconds over 10 idle seconds while watching

A keystroke's cost is every byte the app writes from the key until it has
been quiet for QUIET seconds (the app answers in a few ms; the quiet window
only bounds the wait).

With Debian's python3-pyte importable, `bytes` also feeds everything the app
writes to an emulated terminal and reports, per selection move, a floor for
drawing in place: the bytes of the characters in the cells that changed on
screen (UTF-8), plus three per row where cells went blank (the shortest
erase sequence). A renderer that rewrites changed cells where they are
cannot send less, whatever its cursor moves and colours cost; one that
scrolls the terminal can, when the change is a shift of rows."""
import json
import os
import re
import pty
import select
import signal
import struct
import sys
import termios
import fcntl
import time

QUIET = float(os.environ.get("TUI_QUIET", "0.25"))
TAP = None   # when set, called with every chunk read from the terminal


def spawn(argv, cols, rows, env_extra, cwd):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        env.update(env_extra)
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def read_chunk(fd):
    """What the app wrote since the last read (passed to TAP), b"" once the
    terminal is closed."""
    try:
        d = os.read(fd, 65536)
    except OSError:
        return b""
    if d and TAP:
        TAP(d)
    return d


def read_until(fd, pred, timeout):
    """Read until pred(buffer) or timeout; returns the bytes read."""
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            d = read_chunk(fd)
            if not d:
                break
            buf += d
            if pred(buf):
                break
    return buf


def drain_quiet(fd, quiet=QUIET, limit=10.0):
    """Read until nothing arrives for quiet seconds; returns the byte count."""
    n = 0
    end = time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            break
        d = read_chunk(fd)
        if not d:
            break
        n += len(d)
    return n


def stop(pid, fd):
    try:
        os.write(fd, b"\x03")
        read_until(fd, lambda b: False, 1.0)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)


def screen_tap(cols, rows):
    """An emulated terminal fed with the app's output, or None without pyte."""
    global TAP
    try:
        import pyte
    except ImportError:
        return None
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)

    def feed(d):
        # pyte 0.8 lacks REP (CSI n b): the screen it keeps would be wrong
        if re.search(rb"\x1b\[[0-9]*b", d):
            raise SystemExit("tui_pty: the app repeated a character (CSI b), which the emulator lacks")
        stream.feed(d)
    TAP = feed
    return screen


def cells(screen):
    return [[screen.buffer[y][x].data for x in range(screen.columns)] for y in range(screen.lines)]


def change_floor(before, after):
    """Bytes no renderer drawing in place can go below to turn screen before
    into after."""
    n = 0
    for old, new in zip(before, after):
        blanked = 0
        for o, c in zip(old, new):
            if o == c or c == "":   # "": the right half of a wide character
                continue
            if c.strip():
                n += len(c.encode())
            else:
                blanked += 1
        n += min(blanked, 3)
    return n


def cmd_bytes(binary, size, repo, cache, query, moves):
    cols, rows = (int(x) for x in size.split("x"))
    screen = screen_tap(cols, rows)
    pid, fd = spawn([binary, repo], cols, rows, {"CIDX_CACHE_DIR": cache, "NO_COLOR": ""}, repo)
    # wait until indexed and idle
    read_until(fd, lambda b: b"up to date" in b, 600)
    drain_quiet(fd, 0.5)
    typed = []
    for ch in query:
        os.write(fd, ch.encode())
        typed.append(drain_quiet(fd))
    down = b"\x1bOB"   # kcud1 in keypad-transmit mode (xterm)
    moved, listed, floor = [], [], []
    for _ in range(moves):
        before = cells(screen) if screen else None
        os.write(fd, down)
        first = drain_quiet(fd, 0.03, 0.03)   # the list rows, before the preview's 60 ms pause
        listed.append(first)
        moved.append(first + drain_quiet(fd))
        if screen:
            floor.append(change_floor(before, cells(screen)))
    # a held key: moves 25 ms apart (key repeat), bytes per move including
    # the one preview repaint when the burst ends
    os.write(fd, b"\x1bOA" * moves)   # back up, then drain
    drain_quiet(fd)
    burst = []
    for _ in range(3):
        n = 0
        for _ in range(moves):
            os.write(fd, down)
            n += drain_quiet(fd, 0.025, 0.025)
        n += drain_quiet(fd)
        burst.append(n / moves)
        os.write(fd, b"\x1bOA" * moves)
        drain_quiet(fd)
    stop(pid, fd)
    print(json.dumps({"size": size, "type": typed, "move": moved, "move_list": listed, "burst": burst,
                      "move_floor": floor}))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def idle_cost(pid, fd):
    """Once the app is quiet: the CPU seconds it uses over 10 idle seconds
    and the bytes it writes meanwhile (it must not draw)."""
    drain_quiet(fd, 1.0)
    c0 = cpu_seconds(pid)
    idle_bytes = 0
    end = time.monotonic() + 10.0
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if r:
            d = read_chunk(fd)
            if not d:
                raise SystemExit("the app closed its terminal while idle")
            idle_bytes += len(d)
    return cpu_seconds(pid) - c0, idle_bytes


def cmd_frame(binary, repo, cache):
    t0 = time.monotonic()
    pid, fd = spawn([binary, repo], 80, 24, {"CIDX_CACHE_DIR": cache}, repo)
    # the first complete frame: the status line's key hints are the last
    # thing drawn in the first doupdate
    buf = read_until(fd, lambda b: b" quit" in b, 30)
    first = (time.monotonic() - t0) * 1000.0
    if b"up to date" not in buf:
        read_until(fd, lambda b: b"up to date" in b, 900)
    indexed = (time.monotonic() - t0)
    idle_cpu, idle_bytes = idle_cost(pid, fd)
    stop(pid, fd)
    print(json.dumps({"first_frame_ms": first, "indexed_s": indexed, "idle_cpu_s": idle_cpu,
                      "idle_bytes": idle_bytes}))


def cmd_refresh(binary, repo, cache, rel, saves):
    path = os.path.join(repo, rel)
    with open(path, "rb") as f:
        original = f.read()
    pid, fd = spawn([binary, repo], 80, 24, {"CIDX_CACHE_DIR": cache}, repo)
    read_until(fd, lambda b: b"up to date" in b, 900)
    drain_quiet(fd, 1.0)
    times = []
    try:
        for k in range(saves):
            name = f"cidx_refresh_probe_{k}_x"
            # the query first: nothing matches it yet
            os.write(fd, b"\x15" + name.encode())
            read_until(fd, lambda b: b"no matches" in b, 10)
            drain_quiet(fd)
            text = original + b"\nint " + name.encode() + b"(void)\n{\n\treturn " + str(k).encode() + b";\n}\n"
            tmp = path + ".cidx-bench-tmp"
            t0 = time.monotonic()
            with open(tmp, "wb") as f:
                f.write(text)
            os.rename(tmp, path)
            buf = read_until(fd, lambda b: name.encode() in b, 10)
            if name.encode() not in buf:
                raise SystemExit(f"refresh: {name} never appeared on screen")
            times.append((time.monotonic() - t0) * 1000.0)
            drain_quiet(fd)
        idle_cpu, idle_bytes = idle_cost(pid, fd)
    finally:
        with open(path, "wb") as f:
            f.write(original)
        stop(pid, fd)
    print(json.dumps({"refresh_ms": times, "idle_cpu_s": idle_cpu, "idle_bytes": idle_bytes}))


if __name__ == "__main__":
    if sys.argv[1] == "bytes":
        cmd_bytes(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]))
    elif sys.argv[1] == "frame":
        cmd_frame(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "refresh":
        cmd_refresh(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
