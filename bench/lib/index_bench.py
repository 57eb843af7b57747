#!/usr/bin/env python3
"""Helpers for bench/index-bench.sh (stdlib only).

  index_bench.py watch --cidx BIN --root DIR --db DB --edits N --out JSON --log PREFIX FILE...
      Start `cidx watch DIR --db DB`, wait for its ready line, then save FILE...
      (root-relative, taken in turn) N times, each time with a new function
      appended to the original content, and wait for the batch line that names
      the file. Writes the measurements (or why there are none) to JSON.

  index_bench.py report --runs TSV --meta TSV --problems TXT --watch JSON --out MD
      Turn the raw measurements into the markdown report and print it.
"""
import argparse
import json
import os
import selectors
import signal
import statistics
import subprocess
import sys
import time

READY_PREFIX = "cidx: watching"


# --- watch ------------------------------------------------------------------------

class Proc:
    """A child whose stdout and stderr are read line by line with deadlines."""

    def __init__(self, argv, log_prefix):
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, bufsize=0)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.p.stdout, selectors.EVENT_READ, "out")
        self.sel.register(self.p.stderr, selectors.EVENT_READ, "err")
        self.buf = {"out": b"", "err": b""}
        self.lines = []          # (stream, text, monotonic time it was read)
        self.logs = {"out": open(log_prefix + ".out", "w"), "err": open(log_prefix + ".err", "w")}
        self.stderr_text = []
        self.eof = set()

    def pump(self, deadline):
        """Read until at least one complete line arrived or the deadline passed.
        Returns the new lines."""
        start = len(self.lines)
        while len(self.lines) == start and len(self.eof) < 2:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in self.sel.select(left):
                name = key.data
                chunk = os.read(key.fileobj.fileno(), 65536)
                now = time.monotonic()
                if not chunk:
                    self.sel.unregister(key.fileobj)
                    self.eof.add(name)
                    if self.buf[name]:
                        self._line(name, self.buf[name], now)
                        self.buf[name] = b""
                    continue
                data = self.buf[name] + chunk
                *complete, self.buf[name] = data.split(b"\n")
                for raw in complete:
                    self._line(name, raw, now)
        return self.lines[start:]

    def _line(self, name, raw, now):
        text = raw.decode("utf-8", "replace")
        self.lines.append((name, text, now))
        self.logs[name].write(text + "\n")
        self.logs[name].flush()
        if name == "err":
            self.stderr_text.append(text)

    def stop(self, timeout=10.0):
        """SIGTERM, then wait; SIGKILL if it does not go. Returns (exit status, how)."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.p.poll() is None and time.monotonic() < deadline:
                self.pump(min(deadline, time.monotonic() + 0.1))
            if self.p.poll() is None:
                self.p.kill()
                self.p.wait()
                return self.p.returncode, "did not exit within %.0f s of SIGTERM; killed" % timeout
            how = "exited after SIGTERM"
        else:
            how = "had already exited"
        # collect what is left in the pipes
        deadline = time.monotonic() + 2
        while len(self.eof) < 2 and time.monotonic() < deadline:
            self.pump(deadline)
        for f in self.logs.values():
            f.close()
        return self.p.returncode, how


def parse_batch(text):
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if isinstance(obj, dict) and "changed" in obj and "ms" in obj:
        return obj
    return None


def cmd_watch(a):
    res = {"status": "n/a", "reason": "", "edits_planned": a.edits, "files": a.files,
           "ms_field": [], "e2e_ms": [], "timeouts": 0, "extra_batches": [],
           "unparsed_stdout": [], "defs_missing": [], "exit": None, "stderr": []}

    def finish():
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)
        return 0

    if a.edits == 0:
        res["reason"] = "--edits 0"
        return finish()
    originals = {}
    for rel in a.files:
        with open(os.path.join(a.root, rel), "rb") as f:
            originals[rel] = f.read()

    t_start = time.monotonic()
    proc = Proc([a.cidx, "watch", a.root, "--db", a.db], a.log)
    ready = None
    deadline = t_start + a.ready_timeout
    while ready is None and time.monotonic() < deadline and len(proc.eof) < 2:
        for name, text, _ in proc.pump(deadline):
            if name == "err" and text.startswith(READY_PREFIX):
                ready = text
            elif name == "out":
                res["unparsed_stdout"].append(text)
    if ready is None:
        code, how = proc.stop()
        res["exit"] = {"status": code, "how": how}
        res["stderr"] = proc.stderr_text[-10:]
        res["reason"] = ("no '%s' line on stderr within %d s (watch %s, status %s)"
                         % (READY_PREFIX, a.ready_timeout, how, code))
        return finish()
    res["ready_line"] = ready
    res["ready_s"] = round(time.monotonic() - t_start, 3)

    last_edit = {}
    consecutive_timeouts = 0
    for k in range(1, a.edits + 1):
        rel = a.files[(k - 1) % len(a.files)]
        body = originals[rel] + (
            "\n/* added by index-bench watch, save %d */\nint cidx_bench_watch_%d(int x)\n{\n"
            "\treturn x + %d;\n}\n" % (k, k, k)).encode()
        path = os.path.join(a.root, rel)
        t0 = time.monotonic()
        with open(path, "wb") as f:
            f.write(body)
        last_edit[rel] = k
        got = None
        deadline = t0 + a.batch_timeout
        while got is None and time.monotonic() < deadline and len(proc.eof) < 2:
            for name, text, when in proc.pump(deadline):
                if name != "out":
                    continue
                b = parse_batch(text)
                if b is None:
                    res["unparsed_stdout"].append(text)
                elif got is None and rel in b.get("changed", []):
                    got = (b, when)
                else:
                    res["extra_batches"].append({"save": k, "line": text})
        if got is None:
            res["timeouts"] += 1
            consecutive_timeouts += 1
            if proc.p.poll() is not None or consecutive_timeouts >= 2:
                break
            continue
        consecutive_timeouts = 0
        b, when = got
        res["ms_field"].append(float(b["ms"]))
        res["e2e_ms"].append(round((when - t0) * 1000.0, 3))
        # a second batch for the same save would be a bug: watch briefly for one
        settle = time.monotonic() + a.settle
        while time.monotonic() < settle:
            for name, text, _ in proc.pump(settle):
                if name == "out":
                    res["extra_batches"].append({"save": k, "line": text})

    # the index must hold the last function added to each file
    if res["ms_field"]:
        for rel, k in sorted(last_edit.items()):
            q = subprocess.run([a.cidx, "query", "def", "cidx_bench_watch_%d" % k, "--json",
                                "--db", a.db], capture_output=True, text=True)
            try:
                hits = json.loads(q.stdout or "[]")
            except ValueError:
                hits = []
            if not any(h.get("file") == rel for h in hits):
                res["defs_missing"].append("cidx_bench_watch_%d in %s" % (k, rel))

    code, how = proc.stop()
    res["exit"] = {"status": code, "how": how}
    res["stderr"] = proc.stderr_text[-10:]
    done = len(res["ms_field"])
    if done:
        res["status"] = "ok"
        if done < a.edits:
            res["reason"] = "%d of %d saves produced a batch line" % (done, a.edits)
    else:
        res["reason"] = ("ready, but no batch line naming the saved file within %.0f s of "
                         "saving it (%d saves tried); ready line: '%s'"
                         % (a.batch_timeout, res["timeouts"], ready))
    for rel, data in originals.items():       # leave the copy as it was
        with open(os.path.join(a.root, rel), "wb") as f:
            f.write(data)
    return finish()


# --- report -----------------------------------------------------------------------

def fmt_time(s):
    if s is None:
        return "n/a"
    if s < 1:
        ms = s * 1000
        return "%.1f ms" % ms if ms < 10 else "%.0f ms" % ms
    return "%.2f s" % s


def fmt_mb(b):
    if b is None:
        return ""
    return "%.1f MB" % (b / 1e6)


def fmt_ratio(x, what):
    if x is None:
        return ""
    return ("%.3f× %s" if x < 0.1 else "%.2f× %s") % (x, what)


def cmd_report(a):
    runs = {}
    with open(a.runs) as f:
        for line in f:
            key, wall, rss = line.rstrip("\n").split("\t")
            r = runs.setdefault(key, {"wall": [], "rss": [], "failed": 0})
            if wall == "NA":
                r["failed"] += 1
            else:
                r["wall"].append(float(wall))
                r["rss"].append(int(rss))
    meta = {}
    with open(a.meta) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            meta[k] = v
    problems = [p for p in open(a.problems).read().splitlines() if p.strip()]
    try:
        watch = json.load(open(a.watch))
    except (OSError, ValueError) as e:
        watch = {"status": "n/a", "reason": "no watch results (%s)" % e}
    scratch = meta.get("scratch")
    if scratch:   # keep the report free of the random scratch path
        def hide(x):
            if isinstance(x, str):
                return x.replace(scratch, "SCRATCH")
            if isinstance(x, list):
                return [hide(v) for v in x]
            if isinstance(x, dict):
                return {k: hide(v) for k, v in x.items()}
            return x
        problems, watch = hide(problems), hide(watch)

    def med(key):
        r = runs.get(key)
        return statistics.median(r["wall"]) if r and r["wall"] else None

    def peak(key):
        r = runs.get(key)
        return max(r["rss"]) if r and r["rss"] else None

    def n(key):
        r = runs.get(key)
        if not r:
            return "0"
        return str(len(r["wall"])) + (" (+%d failed)" % r["failed"] if r["failed"] else "")

    def ratio(key, ref):
        x, y = med(key), med(ref)
        return x / y if x is not None and y else None

    def size(key):
        v = meta.get("size." + key)
        return int(v) if v not in (None, "") else None

    def verdict(ok):
        return "n/a" if ok is None else ("met" if ok else "missed")

    label = meta.get("corpus_label", "?")
    rows = []

    def row(step, tool, cmd, key, db="", rat="", target=""):
        rows.append("| %s | %s | `%s` | %s | %s | %s | %s | %s | %s |" % (
            step, tool, cmd, n(key), fmt_time(med(key)),
            "%.0f MB" % (peak(key) / 1024) if peak(key) else "n/a", db, rat, target))

    cs = "cscope"
    # 1. cold
    cas = size("cas-j2")
    row("1 cold", "cidx", "cidx index --jobs 1", "cold.cidx-j1",
        fmt_mb(size("cidx-j1")) + (" (+ cas.db %s)" % fmt_mb(size("cas-j1")) if size("cas-j1") else ""),
        fmt_ratio(ratio("cold.cidx-j1", "cold.cscope"), cs))
    row("1 cold", "cidx", "cidx index --jobs 2", "cold.cidx-j2",
        fmt_mb(size("cidx-j2")) + (" (+ cas.db %s)" % fmt_mb(cas) if cas else ""),
        fmt_ratio(ratio("cold.cidx-j2", "cold.cscope"), cs))
    row("1 cold", "cscope", "cscope -b -q -k -R", "cold.cscope", fmt_mb(size("cscope")), "1.00× cscope")
    row("1 cold", "ctags", "ctags -R", "cold.ctags", fmt_mb(size("ctags")),
        fmt_ratio(ratio("cold.ctags", "cold.cscope"), cs))
    row("1 cold", "GNU Global", "gtags", "cold.gtags", fmt_mb(size("gtags")),
        fmt_ratio(ratio("cold.gtags", "cold.cscope"), cs))
    # 2. warm, no change
    w, wc = med("warm.cidx"), med("warm.cscope")
    ok = None if w is None or wc is None else (w <= 0.150 and w <= 2 * wc)
    row("2 no change", "cidx", "cidx index (same db, same cache)", "warm.cidx", "",
        fmt_ratio(ratio("warm.cidx", "warm.cscope"), cs),
        "≤ 150 ms and ≤ 2× cscope: %s" % verdict(ok))
    row("2 no change", "cscope", "cscope -b -q -k -R (existing db)", "warm.cscope", "", "1.00× cscope")
    row("2 no change", "GNU Global", "global -u", "warm.gtags", "",
        fmt_ratio(ratio("warm.gtags", "warm.cscope"), cs))
    # 3. one file
    o = med("one.cidx")
    row("3 one file", "cidx", "cidx index", "one.cidx", "",
        fmt_ratio(ratio("one.cidx", "one.cscope"), cs),
        "≤ 50 ms: %s" % verdict(None if o is None else o <= 0.050))
    row("3 one file", "cscope", "cscope -b -q -k -R (rebuild)", "one.cscope", "", "1.00× cscope")
    row("3 one file", "GNU Global", "gtags --single-update FILE", "one.gtags", "",
        fmt_ratio(ratio("one.gtags", "one.cscope"), cs))
    # 4. second worktree
    r4 = ratio("wt.cidx", "cold.cidx-j2")
    row("4 2nd worktree", "cidx", "cidx index --jobs 2 (new db, warm cas.db)", "wt.cidx",
        "",
        "" if r4 is None else "%.1f%% of cold --jobs 2" % (r4 * 100),
        "≤ 15%%: %s" % verdict(None if r4 is None else r4 <= 0.15))
    # 5. watch
    if watch.get("status") == "ok":
        mf = statistics.median(watch["ms_field"])
        me = statistics.median(watch["e2e_ms"])
        nw = "%d of %d" % (len(watch["ms_field"]), watch.get("edits_planned", 0))
        rows.append("| 5 watch | cidx | `cidx watch`: `ms` field (first event to commit) | %s | %s | | | | ≤ 100 ms: %s |"
                    % (nw, fmt_time(mf / 1000), verdict(mf <= 100)))
        rows.append("| 5 watch | cidx | `cidx watch`: save to batch line read | %s | %s | | | | ≤ 100 ms: %s |"
                    % (nw, fmt_time(me / 1000), verdict(me <= 100)))
    else:
        rows.append("| 5 watch | cidx | `cidx watch` save to commit | 0 | n/a | | | | ≤ 100 ms: n/a |")

    out = []
    p = out.append
    p("# Index cost on %s: cidx, cscope, ctags, GNU Global (issue 3)" % label)
    p("")
    p("Generated by `bench/index-bench.sh %s`; do not edit. Only the"
      % meta.get("args", "").strip())
    p("timings, sizes of SQLite files and load averages change between runs.")
    p("")
    p("## Setup")
    p("")
    p("| | |")
    p("|---|---|")
    p("| corpus | %s: Linux 6.1, %s `.c`/`.h` files, %s |"
      % (label, "{:,}".format(int(meta.get("corpus_files", 0))), fmt_mb(int(meta.get("corpus_bytes", 0)))))
    p("| machine | %s CPUs (`nproc`), %s |" % (meta.get("nproc", "?"), meta.get("host_os", "?")))
    p("| load average (1, 5, 15 min) | start %s; end %s |"
      % (meta.get("loadavg_start", "?"), meta.get("loadavg_end", "?")))
    p("| cidx | %s |" % meta.get("cidx_version", "?"))
    p("| cscope | %s |" % meta.get("cscope_version", "?"))
    p("| ctags | %s |" % meta.get("ctags_version", "?"))
    p("| GNU Global | %s |" % meta.get("global_version", "?"))
    p("| runs | cold and second-worktree: %s; no change and one file changed: %s per tool |"
      % (meta.get("runs", "?"), meta.get("fast_runs", "?")))
    p("| file changed in step 3 | `%s` (%s bytes, the median-size `.c` file) |"
      % (meta.get("change_file", "?"), meta.get("change_file_bytes", "?")))
    p("| files saved in step 5 | %s |" % ", ".join("`%s`" % f for f in meta.get("watch_files", "").split()))
    try:
        busy = max(float(meta.get(k, "0").split()[0]) for k in ("loadavg_start", "loadavg_end"))
        if busy > float(meta.get("nproc", "0")):
            p("")
            p("The 1-minute load average exceeded the CPU count: other work shared the machine, "
              "which slows everything and hides most of what `--jobs 2` gains.")
    except (ValueError, IndexError):
        pass
    p("")
    p("## Results")
    p("")
    p("Wall time is the median over the runs, peak RSS the largest over the runs")
    p("(`/usr/bin/time -f %M`). Ratios compare medians measured in this run.")
    p("")
    p("| step | tool | command | runs | median wall | peak RSS | on disk | ratio | target |")
    p("|---|---|---|---|---|---|---|---|---|")
    out.extend(rows)
    p("")
    c2 = med("cold.cidx-j2")
    peers = []
    for key, name in (("cold.cscope", "cscope"), ("cold.ctags", "ctags"), ("cold.gtags", "gtags")):
        if c2 and med(key):
            peers.append("%.2f× %s" % (c2 / med(key), name))
    if peers:
        p("Cold `cidx index --jobs 2` takes " + ", ".join(peers) + ".")
    if med("cold.cidx-j1") and c2:
        p("`--jobs 2` takes %.0f%% of `--jobs 1`'s time." % (100 * c2 / med("cold.cidx-j1")))
    p("")

    # cidx checks
    p("## cidx checks")
    p("")
    checks = []
    try:
        st = json.loads(meta.get("stats_j2", "{}"))
    except ValueError:
        st = {}
    try:
        st1 = json.loads(meta.get("stats_j1", "{}"))
    except ValueError:
        st1 = {}
    nfiles = int(meta.get("corpus_files", 0))
    if st:
        checks.append("Cold index (`--jobs 2`): %s files (corpus: %s), %s symbols (%s functions), %s calls, "
                      "%s files with parse errors, %s skipped."
                      % (st.get("files"), nfiles, st.get("symbols"),
                         st.get("symbols_by_kind", {}).get("function"), st.get("calls"),
                         st.get("parse_error_files"), st.get("skipped")))
        if st.get("files") != nfiles:
            problems.append("the index holds %s files but the corpus has %s .c/.h files"
                            % (st.get("files"), nfiles))
    if st1 and st:
        same = all(st1.get(k) == st.get(k) for k in ("files", "symbols", "calls", "symbols_by_kind"))
        checks.append("`--jobs 1` and `--jobs 2` indexes: counts %s; canonical dumps (`cidx dump`, "
                      "sha256) %s." % ("equal" if same else "DIFFER",
                                        "identical" if meta.get("dump.j1") == meta.get("dump.j2")
                                        else "DIFFER"))
        if not same or meta.get("dump.j1") != meta.get("dump.j2"):
            problems.append("--jobs 1 and --jobs 2 produce different indexes")
    if meta.get("ctags_tags"):
        checks.append("ctags wrote %s tags (`--languages=C --langmap=C:.c.h`, default kinds)."
                      % meta["ctags_tags"])
    lr = meta.get("warm.cidx.last_run")
    if lr:
        d = json.loads(lr)
        ok = d.get("l0") == d.get("files") and not d.get("parsed")
        checks.append("No-change refresh: last_run %s — %s." % (
            lr, "every file unchanged (L0)" if ok else "NOT all files unchanged"))
        if not ok:
            problems.append("the no-change refresh did not find every file unchanged: " + lr)
    wt = sorted(k for k in meta if k.startswith("wt.cidx.last_run."))
    if wt:
        dups = int(meta.get("corpus_dup_files") or 0)
        strict = cached = 0
        l1s = set()
        for k in wt:
            d = json.loads(meta[k])
            files = d.get("files") or 0
            strict += d.get("l3") == files and files > 0
            from_cache = d.get("l1", 0) + d.get("l2", 0) + d.get("l3", 0)
            l1s.add(d.get("l1", 0))
            if files and d.get("parsed") == 0 and from_cache == files and d.get("l1", 0) <= dups:
                cached += 1
            else:
                problems.append("second worktree run %s: not everything came from the shared cache: %s"
                                % (k.rsplit(".", 1)[1], meta[k]))
        checks.append(
            "Second worktree (`cidx stats --json`, last_run): `l3 == files` in %d of %d runs; nothing "
            "parsed and every file from a cache tier (l1 + l2 + l3 == files, l1 at most the %d files "
            "whose content duplicates another corpus file, which the in-memory tier serves once the "
            "first copy came from cas.db) in %d of %d; l1 was %s. Canonical dump %s the cold index's."
            % (strict, len(wt), dups, cached, len(wt), "/".join(str(x) for x in sorted(l1s)),
               "identical to" if meta.get("dump.wt") == meta.get("dump.j2") else "DIFFERS from"))
        if meta.get("dump.wt") != meta.get("dump.j2"):
            problems.append("the second worktree's index (from cas.db) differs from the cold index")
    one = sorted((k for k in meta if k.startswith("one.cidx.last_run.")), key=lambda k: int(k.rsplit(".", 1)[1]))
    if one:
        parsed_one = found = cs_found = gt_found = 0
        for k in one:
            i = k.rsplit(".", 1)[1]
            d = json.loads(meta[k])
            if d.get("parsed") == 1 and d.get("l0") == d.get("files", 0) - 1:
                parsed_one += 1
            else:
                problems.append("one-file run %s: expected 1 parsed and the rest unchanged: %s" % (i, meta[k]))
            try:
                hits = json.loads(meta.get("one.cidx.def." + i) or "[]")
            except ValueError:
                hits = []
            if any(h.get("file") == meta.get("change_file") for h in hits):
                found += 1
            else:
                problems.append("one-file run %s: cidx query def cidx_bench_added_%s finds nothing" % (i, i))
            cs_found += meta.get("one.cscope.find." + i) == "1"
            gt_found += meta.get("one.gtags.find." + i) == "1"
        secs = [json.loads(meta[k]).get("seconds") for k in one]
        secs = [x for x in secs if isinstance(x, (int, float))]
        if secs:
            checks.append("One file changed: cidx's own run time (last_run.seconds) has median %s; "
                          "the no-change refresh's, last round, %s."
                          % (fmt_time(statistics.median(secs)),
                             fmt_time(json.loads(meta.get("warm.cidx.last_run", "{}")).get("seconds"))))
        checks.append("One file changed: cidx parsed exactly that file in %d of %d runs and found the "
                      "added function (`query def`) in %d; cscope's rebuilt database had it in %d, "
                      "Global's in %d." % (parsed_one, len(one), found, cs_found, gt_found))
    for c in checks:
        p("- " + c)
    p("")

    p("## Watch")
    p("")
    if watch.get("status") == "ok":
        p("`cidx watch` on the copy, ready after %.1f s (`%s`). %d saves, alternating over the files "
          "above; each save writes the whole file with one function appended, then waits for the "
          "JSON line naming it." % (watch.get("ready_s", 0), watch.get("ready_line", ""),
                                     watch.get("edits_planned", 0)))
        p("")
        p("| measure | median | min | max |")
        p("|---|---|---|---|")
        for key, name in (("ms_field", "`ms` field (first event to commit)"),
                          ("e2e_ms", "before the write to the line being read")):
            v = watch[key]
            p("| %s | %.1f ms | %.1f ms | %.1f ms |" % (name, statistics.median(v), min(v), max(v)))
        p("")
        if watch.get("reason"):
            p("Note: " + watch["reason"] + ".")
            problems.append("watch: " + watch["reason"])
    else:
        p("n/a: " + watch.get("reason", "unknown"))
        problems.append("watch: n/a: " + watch.get("reason", "unknown"))
    if watch.get("extra_batches"):
        problems.append("watch printed %d batch lines that did not answer a save (first: %s)"
                        % (len(watch["extra_batches"]), watch["extra_batches"][0]["line"]))
    if watch.get("unparsed_stdout"):
        problems.append("watch printed non-batch lines on stdout (first: %s)" % watch["unparsed_stdout"][0])
    if watch.get("defs_missing"):
        problems.append("after the watch saves, the index lacks: " + ", ".join(watch["defs_missing"]))
    ex = watch.get("exit")
    if ex:
        p("")
        p("Stopping watch with SIGTERM: %s, status %s." % (ex.get("how"), ex.get("status")))
        if ex.get("status") not in (0, None) or "killed" in ex.get("how", ""):
            problems.append("watch on SIGTERM: %s, status %s" % (ex.get("how"), ex.get("status")))
    p("")

    p("## Problems seen")
    p("")
    if problems:
        for x in problems:
            p("- " + x)
    else:
        p("None: every command succeeded, cidx wrote nothing to stderr, and the checks above hold.")
    p("")
    p("The corpus was left untouched: %s." % meta.get("corpus_untouched", "?"))
    p("")

    p("## How it was measured")
    p("")
    p("All databases are written to a scratch directory; the corpus is only read. Per round, each "
      "tool indexes the corpus from scratch and, where it has one, refreshes right after with "
      "nothing changed: cscope `-b -q -k -R -s CORPUS -f SCRATCH/cscope.out` run from an empty "
      "directory (the refresh is the same command, which checks timestamps and rebuilds only what "
      "changed), `ctags -R --languages=C --langmap=C:.c.h -f SCRATCH/tags .`, `gtags "
      "--skip-unreadable SCRATCH/gt` run from the corpus root (refresh: `global -u`), and `cidx "
      "index CORPUS --db SCRATCH/index.db --jobs 1` and `--jobs 2`, each with `CIDX_CACHE_DIR` an "
      "empty directory so the shared cache (cas.db) starts empty; the refresh reuses the `--jobs 2` "
      "db and cache. cidx's size on disk is `index.db` plus any `-wal`/`-shm` files; cas.db is "
      "given in brackets.")
    p("")
    p("The corpus is then copied (`cp -r`) to a second path. Second worktree: `cidx index COPY "
      "--db NEW --jobs 2` with the cache of the last cold `--jobs 2` run. One file changed: the "
      "median-size `.c` file of the copy gets a new function appended (a different one each run), "
      "then `cidx index` (whole process: start to commit), cscope's rebuild of the copy's database "
      "and `gtags --single-update FILE` each run once. cscope compares whole-second timestamps, so "
      "the edited file's mtime is moved one second past cscope.out's when they fall in the same "
      "second. Watch: `cidx watch COPY --db` on that index; see above.")
    p("")
    p("Wall time is taken with bash's `EPOCHREALTIME` around `/usr/bin/time`, which also gives "
      "the peak RSS. The binary is a copy of `build/cidx` taken at the start.")
    text = "\n".join(out) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("watch")
    w.add_argument("--cidx", required=True)
    w.add_argument("--root", required=True)
    w.add_argument("--db", required=True)
    w.add_argument("--edits", type=int, default=20)
    w.add_argument("--out", required=True)
    w.add_argument("--log", required=True, help="prefix of the stdout/stderr logs")
    w.add_argument("--ready-timeout", type=float, default=600)
    w.add_argument("--batch-timeout", type=float, default=10)
    w.add_argument("--settle", type=float, default=0.3,
                   help="seconds to watch for stray batches after each answer")
    w.add_argument("files", nargs="+")
    r = sub.add_parser("report")
    r.add_argument("--runs", required=True)
    r.add_argument("--meta", required=True)
    r.add_argument("--problems", required=True)
    r.add_argument("--watch", required=True)
    r.add_argument("--out", required=True)
    a = ap.parse_args()
    return cmd_watch(a) if a.cmd == "watch" else cmd_report(a)


if __name__ == "__main__":
    sys.exit(main())
