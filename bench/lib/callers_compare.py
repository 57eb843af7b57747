#!/usr/bin/env python3
"""Compare caller sets from cidx and cscope on a sample of functions.

Driven by bench/cscope-compare.sh, which builds the cscope database, the cidx
index and a universal-ctags tag file first and passes their paths here
together with the timing figures it measured.  This script:

  * samples function names defined in the corpus (fixed seed),
  * asks cscope (`-L -3 NAME`) and cidx (`query callers NAME --json`) for the
    callers of each name and compares them as sets of (file, caller),
  * drops cscope entries that are declarations or definitions, not calls,
  * puts every remaining difference into a named class, using the source
    text and the ctags function extents as an independent referee,
  * times whole-process `query callers` for both tools,
  * writes the markdown report.

Standard library only.  Output is deterministic for a given corpus, tool
versions, seed and sample size (timings aside).
"""

import argparse
import bisect
import collections
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

GLOBAL = "<global>"

# Words that may precede a call on the same line without making the line a
# declaration ("return foo(x);", "else foo();").
STATEMENT_WORDS = {
    "return", "else", "case", "do", "goto", "sizeof", "typeof", "__typeof__",
    "if", "while", "for", "switch", "default", "break", "continue",
}
IDENT_RE = re.compile(r"[A-Za-z_]\w*")
ATTR_CALL_RE = re.compile(r"\b__\w+\s*\((?:[^()]|\([^()]*\))*\)")


# ---------------------------------------------------------------------------
# inputs


def load_tags(path):
    """Parse a universal-ctags file written with --fields=+neK.

    Returns (defs, funcs_by_file): defs[name] is a list of
    (file, line, end, kind); funcs_by_file[file] is a sorted list of
    (line, end, name) for function definitions."""
    defs = collections.defaultdict(list)
    funcs = collections.defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            if raw.startswith("!_TAG_"):
                continue
            parts = raw.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            name, fname = parts[0], parts[1]
            if fname.startswith("./"):
                fname = fname[2:]
            kind, line, end = None, None, None
            for field in parts[3:]:
                if field.startswith("line:"):
                    line = int(field[5:])
                elif field.startswith("end:"):
                    end = int(field[4:])
                elif ":" not in field:
                    kind = field
            if line is None or kind is None:
                continue
            end = end if end is not None else line
            defs[name].append((fname, line, end, kind))
            if kind == "function":
                funcs[fname].append((line, end, name))
    for lst in funcs.values():
        lst.sort()
    for lst in defs.values():
        lst.sort()
    return defs, funcs


class Sources:
    """Source lines and preprocessor facts per file, loaded on demand."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def get(self, fname):
        info = self.cache.get(fname)
        if info is None:
            info = self._load(fname)
            self.cache[fname] = info
        return info

    def _load(self, fname):
        try:
            with open(os.path.join(self.root, fname), encoding="utf-8",
                      errors="replace") as fh:
                lines = fh.read().split("\n")
        except OSError:
            lines = []
        n = len(lines)
        in_define = [False] * (n + 2)   # 1-based
        cond_depth = [0] * (n + 2)
        in_if0 = [False] * (n + 2)
        stack = []                      # one entry per open #if: is it "#if 0"-dead?
        cont = False                    # inside a backslash-continued directive
        cont_is_define = False
        for i, text in enumerate(lines, start=1):
            stripped = text.strip()
            if cont:
                in_define[i] = cont_is_define
                cont = stripped.endswith("\\")
            elif stripped.startswith("#"):
                word = stripped[1:].lstrip()
                directive = IDENT_RE.match(word)
                directive = directive.group(0) if directive else ""
                if directive == "define":
                    in_define[i] = True
                    cont_is_define = True
                else:
                    cont_is_define = False
                if directive in ("if", "ifdef", "ifndef"):
                    dead = directive == "if" and re.match(r"if\s+0\b", word) is not None
                    stack.append(dead)
                elif directive in ("elif", "else") and stack:
                    # the branch after a dead "#if 0" is live
                    stack[-1] = False
                elif directive == "endif" and stack:
                    stack.pop()
                cont = stripped.endswith("\\")
            cond_depth[i] = len(stack)
            in_if0[i] = any(stack)
        return {"lines": lines, "in_define": in_define,
                "cond_depth": cond_depth, "in_if0": in_if0}

    def line(self, fname, lineno):
        lines = self.get(fname)["lines"]
        if 1 <= lineno <= len(lines):
            return lines[lineno - 1]
        return ""


def enclosing_function(funcs_by_file, fname, line):
    """Innermost ctags function definition whose extent covers line."""
    lst = funcs_by_file.get(fname, [])
    idx = bisect.bisect_right(lst, (line, float("inf"), ""))
    # scan back from the last definition starting at or before line; the
    # first one that still covers line is the innermost
    for start, end, name in reversed(lst[:idx]):
        if start <= line <= end:
            return name
    return None


# ---------------------------------------------------------------------------
# tool queries


def run_cscope(db, cwd, name, query="-3"):
    """cscope line-oriented query; -3 = functions calling name, -0 = symbol."""
    proc = subprocess.run(["cscope", "-d", "-L", query, name, "-f", db],
                          cwd=cwd, capture_output=True, text=True,
                          errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"cscope failed for {name!r}: {proc.stderr.strip()}")
    out = []
    for raw in proc.stdout.splitlines():
        parts = raw.split(" ", 3)
        if len(parts) < 3 or not parts[2].isdigit():
            continue
        # cscope names the caller "unknown" (some versions "<global>") at file scope
        caller = GLOBAL if parts[1] in ("unknown", "<unknown>", GLOBAL) else parts[1]
        out.append({"file": parts[0], "caller": caller, "line": int(parts[2]),
                    "text": parts[3] if len(parts) > 3 else ""})
    return out


class CscopeRefs:
    """cscope's symbol references (-0) to a name: (file, line) -> caller."""

    def __init__(self, db, cwd):
        self.db, self.cwd = db, cwd
        self.cache = {}

    def get(self, name):
        refs = self.cache.get(name)
        if refs is None:
            refs = {}
            for e in run_cscope(self.db, self.cwd, name, query="-0"):
                refs.setdefault((e["file"], e["line"]), e["caller"])
            self.cache[name] = refs
        return refs


def run_cidx_callers(cidx, db, cwd, name):
    proc = subprocess.run([cidx, "query", "callers", name, "--json", "--db", db],
                          cwd=cwd, capture_output=True, text=True,
                          errors="replace")
    if proc.returncode == 1 and not proc.stdout.strip():
        return []                         # unknown name
    if proc.returncode != 0:
        raise SystemExit(f"cidx query callers {name!r} exited {proc.returncode}: "
                         f"{proc.stderr.strip()}")
    data = json.loads(proc.stdout or "[]")
    if isinstance(data, dict):            # tolerate {"callers": [...]} wrappers
        data = data.get("callers", data.get("results", []))
    out = []
    for e in data:
        fname = e.get("file") or e.get("caller_file") or ""
        out.append({"file": fname, "caller": e.get("caller") or GLOBAL,
                    "line": int(e.get("line") or 0),
                    "resolution": e.get("resolution") or "",
                    "caller_file": e.get("caller_file"),
                    "caller_line": e.get("caller_line")})
    return out


class CidxDefs:
    """Which files cidx has a function definition of a name in (cached)."""

    def __init__(self, cidx, db, cwd):
        self.cidx, self.db, self.cwd = cidx, db, cwd
        self.cache = {}

    def has(self, fname, func):
        files = self.cache.get(func)
        if files is None:
            proc = subprocess.run([self.cidx, "query", "def", func, "--json",
                                   "--db", self.db], cwd=self.cwd,
                                  capture_output=True, text=True, errors="replace")
            files = set()
            if proc.returncode == 0 and proc.stdout.strip():
                data = json.loads(proc.stdout)
                if isinstance(data, dict):
                    data = data.get("definitions", data.get("results", []))
                for e in data:
                    if e.get("kind", "function") == "function":
                        files.add(e.get("file"))
            self.cache[func] = files
        return fname in files


def cidx_parse_errors(cidx, db, cwd):
    """Parse error count per file, from the `file PATH LANG HASH errors=N`
    lines of `cidx dump`."""
    proc = subprocess.run([cidx, "dump", "--db", db], cwd=cwd,
                          capture_output=True, text=True, errors="replace")
    out = {}
    if proc.returncode != 0:
        print(f"[compare] cidx dump failed ({proc.stderr.strip()}); "
              "parse-error classes disabled", file=sys.stderr)
        return out
    for raw in proc.stdout.splitlines():
        if not raw.startswith("file "):
            continue
        parts = raw.split()
        for field in parts[2:]:
            if field.startswith("errors="):
                out[parts[1]] = int(field[7:])
    return out


# ---------------------------------------------------------------------------
# cscope declarations


def is_declaration(name, entry, defs):
    """True if a cscope -3 entry is a declaration/definition of name, not a call.

    cscope's line-oriented mode reports some prototypes, extern declarations
    and (after it loses track of braces) definitions as "calls"."""
    text = entry["text"]
    m = re.search(r"(?<![\w.>])" + re.escape(name) + r"\s*\(", text)
    if m is None:
        return False
    # drop attribute macros with arguments: "int __printf(2, 0) foo(...)"
    prefix = ATTR_CALL_RE.sub(" ", text[:m.start()]).strip()
    here = (entry["file"], entry["line"])
    at_decl = any((f, l) == here for f, l, _e, kind in defs.get(name, ())
                  if kind in ("function", "prototype"))
    if prefix == "":
        # "foo(int x)" on its own line after "static int" on the line above
        return at_decl
    words = prefix.replace("*", " ").split()
    if not words or any(not IDENT_RE.fullmatch(w) for w in words):
        return False
    if any(w in STATEMENT_WORDS for w in words):
        return False
    # only type/storage words before the name: a declarator.  A line such as
    # "struct rq *rq = cpu_rq(cpu);" has "=" in the prefix and is rejected above.
    return True


# ---------------------------------------------------------------------------
# classification

CLASS_TEXT = collections.OrderedDict([
    ("caller-name/cscope-misnamed",
     "same call site; cscope names something that is not the enclosing "
     "function (an annotation such as `__acquires`, a type from a "
     "function-pointer parameter); cidx names the function ctags finds"),
    ("caller-name/cscope-lost-braces",
     "same call site; cscope names an earlier function of the file (its brace "
     "count drifted, usually after `#if`/`#else` branches with unbalanced braces)"),
    ("caller-name/cidx-file-scope",
     "same call site; cidx finds no enclosing function (tree-sitter ERROR "
     "region or macro-wrapped definition such as `SYSCALL_DEFINE3(...) {`), "
     "cscope names one"),
    ("caller-name/cidx-macro-named",
     "same call site; cidx names an ALL-CAPS macro invocation as the caller "
     "(a macro call without `;` at file scope swallowed the next definition)"),
    ("caller-name/cidx-swallowed",
     "same call site; cidx names an earlier function of the file whose parsed "
     "body runs on over later definitions (tree-sitter error recovery, "
     "usually around `#if`/`#else` branches with unbalanced braces)"),
    ("caller-name/cidx-misnamed",
     "same call site; cidx's caller differs from the function ctags finds"),
    ("caller-name/other",
     "same call site; the tools name different callers, neither matches ctags"),
    ("cidx-declaration-as-call",
     "cidx reports a line where ctags sees a declaration or definition of "
     "NAME as a call: a definition inside a tree-sitter ERROR region, or a "
     "function-generating macro invocation at file scope"),
    ("cscope-lost-function",
     "cscope has the line only at file scope (`-0` shows `<global>`), so "
     "`-3` drops the call: cscope lost the function context earlier in the "
     "file (unbalanced braces across `#if` branches, a construct it misparses)"),
    ("macro-body",
     "call inside a `#define` body: cscope attributes it to the macro, cidx "
     "does not treat macro bodies as callers"),
    ("if0",
     "call inside `#if 0`"),
    ("member-call",
     "call through a struct member or function pointer (`x->NAME(`, "
     "`x.NAME(`, `(*NAME)(`, `(*x->NAME)(`): a dynamic call that only one "
     "tool reports"),
    ("split-call",
     "the name and its `(` are on different lines"),
    ("not-a-call",
     "the site does not call NAME (address taken, pointer assignment, "
     "declaration cscope did not recognise)"),
    ("macro-arg",
     "call nested in the arguments of a macro invocation on the same line "
     "(`WARN_ON(NAME(x))`, `list_for_each_entry(..., NAME(x), ...)`)"),
    ("cidx-no-function",
     "cidx has no definition of the enclosing function ctags finds in that "
     "file (tree-sitter ERROR region, K&R or macro-wrapped definition), so "
     "the call has no caller there"),
    ("cidx-file-scope",
     "cidx reports the call at file scope (no enclosing function) and cscope "
     "has nothing at that line"),
    ("cidx-loop-macro",
     "the call is the body of a brace-less loop macro (`for_each_online_cpu(cpu)` "
     "on the line before): tree-sitter cannot parse it and cidx drops the call"),
    ("cidx-parse-errors",
     "cidx misses a call in a file where tree-sitter reported parse errors "
     "(`errors=N` in `cidx dump`): the call sits in or next to an ERROR region"),
    ("preproc-cond",
     "call inside `#if`/`#ifdef` code (other rules did not apply)"),
    ("unexplained", "no rule matched"),
])


# Which tool the evidence (ctags extents, the source text) says is right.
CLASS_VERDICT = {
    "caller-name/cscope-misnamed": "cidx",
    "caller-name/cscope-lost-braces": "cidx",
    "cscope-lost-function": "cidx",
    "caller-name/cidx-file-scope": "cscope",
    "caller-name/cidx-macro-named": "cscope",
    "caller-name/cidx-swallowed": "cscope",
    "caller-name/cidx-misnamed": "cscope",
    "cidx-declaration-as-call": "cscope",
    "cidx-no-function": "cscope",
    "cidx-loop-macro": "cscope",
    "cidx-parse-errors": "cscope",
    "macro-body": "by design",
    "if0": "either",
    "member-call": "by design",
    "split-call": "either",
    "not-a-call": "either",
    "macro-arg": "either",
    "cidx-file-scope": "either",
    "preproc-cond": "either",
    "unexplained": "?",
}
LOOP_MACRO_RE = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(.*\)\s*$")


def previous_code_line(srcs, fname, line):
    """The nearest non-blank line above line that is not a preprocessor line."""
    for n in range(line - 1, max(0, line - 20), -1):
        text = srcs.line(fname, n)
        if text.strip() and not text.lstrip().startswith("#"):
            return text
    return ""


def classify(name, side, sites, ctx):
    """Classify one differing (file, caller) pair.

    side is "cscope" (a pair only cscope reports) or "cidx".  sites are that
    tool's entries for the pair.  The pair gets the class of its first site
    (by line) that a rule explains."""
    first = None
    for s in sorted(sites, key=lambda e: e["line"]):
        cls = classify_site(name, side, s, ctx)
        if cls != "unexplained":
            return cls, s
        if first is None:
            first = s
    return "unexplained", first


def classify_site(name, side, site, ctx):
    """ctx: other_by_line (the other tool's entries for name, by (file, line)),
    srcs, funcs_by_file (ctags), cidx_has_def(file, function) -> bool."""
    fname, line = site["file"], site["line"]
    srcs = ctx["srcs"]
    info = srcs.get(fname)
    text = srcs.line(fname, line) or site.get("text", "")
    referee = enclosing_function(ctx["funcs_by_file"], fname, line)

    def fact(key):
        arr = info[key]
        return arr[line] if 0 <= line < len(arr) else arr[0]

    others = ctx["other_by_line"].get((fname, line))
    if others:
        mine = site["caller"]
        theirs = others[0]["caller"]
        cs_caller, cx_caller = (mine, theirs) if side == "cscope" else (theirs, mine)
        if cx_caller == GLOBAL:
            return "caller-name/cidx-file-scope"
        if cx_caller == referee and cs_caller != referee:
            earlier = {n for s, _e, n in ctx["funcs_by_file"].get(fname, []) if s < line}
            if cs_caller in earlier:
                return "caller-name/cscope-lost-braces"
            return "caller-name/cscope-misnamed"
        if cx_caller != referee and re.fullmatch(r"[A-Z][A-Z0-9_]*", cx_caller):
            return "caller-name/cidx-macro-named"
        if cx_caller != referee and cs_caller == referee:
            earlier = {n for s, _e, n in ctx["funcs_by_file"].get(fname, []) if s < line}
            if cx_caller in earlier:
                return "caller-name/cidx-swallowed"
        if cs_caller == referee and cx_caller != referee:
            return "caller-name/cidx-misnamed"
        return "caller-name/other"

    if side == "cidx" and is_declaration(
            name, {"file": fname, "line": line, "caller": site["caller"],
                   "text": text}, ctx["defs"]):
        return "cidx-declaration-as-call"
    if fact("in_define"):
        return "macro-body"
    if fact("in_if0"):
        return "if0"
    if side == "cidx" and ctx["cscope_refs"](name).get((fname, line)) == GLOBAL:
        return "cscope-lost-function"
    esc = re.escape(name)
    if re.search(r"(->|\.)\s*" + esc + r"\s*\(", text) or \
            re.search(r"\(\s*\*[^;]*?\b" + esc + r"\s*\)+\s*\(", text):
        return "member-call"
    m = re.search(r"(?<![\w])" + esc + r"\s*\(", text)
    if m is None:
        if re.search(r"(?<![\w])" + esc + r"\s*$", text) and \
                srcs.line(fname, line + 1).lstrip().startswith("("):
            return "split-call"
        return "not-a-call"
    if side == "cscope" and is_declaration(
            name, {"file": fname, "line": line, "caller": site["caller"],
                   "text": text}, {}):
        return "not-a-call"
    prefix = text[:m.start()]
    if re.search(r"\b[A-Z][A-Z0-9_]*\s*\(", prefix) and \
            prefix.count("(") > prefix.count(")"):
        return "macro-arg"
    if side == "cscope" and referee and not ctx["cidx_has_def"](fname, referee):
        return "cidx-no-function"
    if side == "cidx" and site["caller"] == GLOBAL:
        return "cidx-file-scope"
    if side == "cscope" and ctx["cidx_file_errors"].get(fname, 0) > 0:
        prev = previous_code_line(srcs, fname, line)
        head = LOOP_MACRO_RE.match(prev)
        if head and head.group(1) not in STATEMENT_WORDS:
            return "cidx-loop-macro"
        return "cidx-parse-errors"
    if fact("cond_depth") > 0:
        return "preproc-cond"
    return "unexplained"


# ---------------------------------------------------------------------------
# timing


def hyperfine_medians(cmds, cwd, runs, warmup, tmpdir):
    """Median wall seconds per command, via hyperfine when available."""
    if shutil.which("hyperfine"):
        export = os.path.join(tmpdir, "hyperfine.json")
        argv = ["hyperfine", "-N", "--style", "none", "--runs", str(runs),
                "--warmup", str(warmup), "--export-json", export, "-i"]
        for label, cmd in cmds:
            argv += ["-n", label, " ".join(cmd)]
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        with open(export) as fh:
            res = json.load(fh)["results"]
        return {r["command"]: r["median"] for r in res}, "hyperfine -N"
    out = {}
    for label, cmd in cmds:
        for _ in range(warmup):
            subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            samples.append(time.perf_counter() - t0)
        out[label] = statistics.median(samples)
    return out, "subprocess loop"


# ---------------------------------------------------------------------------
# report helpers


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}"


def fmt_secs(s):
    if s is None:
        return "n/a"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_kb(kb):
    return "n/a" if kb is None else f"{kb / 1024:.0f} MiB"


def fmt_bytes(b):
    return "n/a" if b is None else f"{b / 1048576:.1f} MiB"


def plural(n, word):
    if n is None:
        return "n/a"
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def md_cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--corpus-label", default="MED")
    ap.add_argument("--cscope-db", required=True)
    ap.add_argument("--tags", required=True)
    ap.add_argument("--cidx")
    ap.add_argument("--cidx-db")
    ap.add_argument("--metrics", required=True, help="JSON written by the driver")
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--query", action="append", default=[])
    ap.add_argument("--query-runs", type=int, default=21)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args()

    with open(args.metrics) as fh:
        metrics = json.load(fh)
    have_cidx = bool(args.cidx and args.cidx_db)
    defs, funcs_by_file = load_tags(args.tags)
    srcs = Sources(args.corpus)

    # -- sample ------------------------------------------------------------
    fnames = sorted({n for n, lst in defs.items()
                     if any(k == "function" for _f, _l, _e, k in lst)})
    # ALL-CAPS "functions" are macro-generated definitions (SYSCALL_DEFINE3,
    # BPF_CALL_2): the name is the macro's, not a function's.
    pool = [n for n in fnames if not re.fullmatch(r"[A-Z0-9_]+", n)]
    k = min(args.samples, len(pool))
    sample = sorted(random.Random(args.seed).sample(pool, k))
    print(f"[compare] sampled {k} of {len(pool)} function names (seed {args.seed})",
          file=sys.stderr)

    cidx_defs = CidxDefs(args.cidx, args.cidx_db, args.corpus)
    cscope_refs = CscopeRefs(args.cscope_db, args.corpus)
    cidx_errors = cidx_parse_errors(args.cidx, args.cidx_db, args.corpus) \
        if have_cidx else {}

    # -- query -------------------------------------------------------------
    per_name = []
    decl_removed = 0
    decl_examples = []
    diff_pairs = {"cscope": collections.Counter(), "cidx": collections.Counter()}
    examples = collections.defaultdict(list)
    t_cs = t_cx = 0.0
    for i, name in enumerate(sample, 1):
        t0 = time.perf_counter()
        cs_all = run_cscope(args.cscope_db, args.corpus, name)
        t_cs += time.perf_counter() - t0
        cs = []
        for e in cs_all:
            if is_declaration(name, e, defs):
                decl_removed += 1
                if len(decl_examples) < 5:
                    decl_examples.append((name, e))
            else:
                cs.append(e)
        cx = []
        if have_cidx:
            t0 = time.perf_counter()
            cx = run_cidx_callers(args.cidx, args.cidx_db, args.corpus, name)
            t_cx += time.perf_counter() - t0
        cs_set = {(e["file"], e["caller"]) for e in cs}
        cx_set = {(e["file"], e["caller"]) for e in cx}
        rec = {"name": name, "cscope": len(cs_set), "cidx": len(cx_set),
               "cscope_sites": len(cs), "cidx_sites": len(cx),
               "agree": cs_set == cx_set}
        per_name.append(rec)
        if have_cidx and cs_set != cx_set:
            cs_by_line = collections.defaultdict(list)
            cx_by_line = collections.defaultdict(list)
            for e in cs:
                cs_by_line[(e["file"], e["line"])].append(e)
            for e in cx:
                cx_by_line[(e["file"], e["line"])].append(e)
            for side, mine, other_set, other_by_line in (
                    ("cscope", cs, cx_set, cx_by_line),
                    ("cidx", cx, cs_set, cs_by_line)):
                pairs = collections.defaultdict(list)
                for e in mine:
                    key = (e["file"], e["caller"])
                    if key not in other_set:
                        pairs[key].append(e)
                for key in sorted(pairs):
                    ctx = {"other_by_line": other_by_line, "srcs": srcs,
                           "funcs_by_file": funcs_by_file,
                           "cidx_has_def": cidx_defs.has,
                           "cidx_file_errors": cidx_errors, "defs": defs,
                           "cscope_refs": cscope_refs.get}
                    cls, site = classify(name, side, pairs[key], ctx)
                    diff_pairs[side][cls] += 1
                    exlist = examples[(side, cls)]
                    if len(exlist) < args.examples:
                        other = other_by_line.get((site["file"], site["line"]))
                        exlist.append({
                            "name": name, "file": site["file"], "line": site["line"],
                            "caller": site["caller"],
                            "other_caller": other[0]["caller"] if other else None,
                            "resolution": site.get("resolution"),
                            "text": srcs.line(site["file"], site["line"]).strip()})
        if i % 50 == 0:
            print(f"[compare] {i}/{k} names", file=sys.stderr)

    # -- query timing --------------------------------------------------------
    query_rows = []
    for qname in args.query:
        cmds = [("cscope", ["cscope", "-d", "-L", "-3", qname, "-f", args.cscope_db])]
        if have_cidx:
            cmds.insert(0, ("cidx", [args.cidx, "query", "callers", qname,
                                     "--db", args.cidx_db]))
        med, how = hyperfine_medians(cmds, args.corpus, args.query_runs, 3, args.tmp)
        ncs = len(run_cscope(args.cscope_db, args.corpus, qname))
        ncx = len(run_cidx_callers(args.cidx, args.cidx_db, args.corpus, qname)) \
            if have_cidx else None
        query_rows.append((qname, med.get("cidx"), med.get("cscope"), how, ncx, ncs))

    # -- report --------------------------------------------------------------
    m = metrics
    n = len(per_name)
    agree = sum(r["agree"] for r in per_name)
    nonempty = [r for r in per_name if r["cscope"] or r["cidx"]]
    agree_ne = sum(r["agree"] for r in nonempty)
    cs_pairs = sum(r["cscope"] for r in per_name)
    cx_pairs = sum(r["cidx"] for r in per_name)

    L = []
    w = L.append
    w(f"# cidx vs cscope / universal-ctags on {args.corpus_label}")
    w("")
    w("Generated by `bench/cscope-compare.sh`; do not edit by hand.")
    w("")
    w(f"- corpus: {args.corpus_label} = {m['corpus_desc']}: "
      f"{m['corpus_files']} files, {m['corpus_bytes'] / 1e6:.1f} MB "
      f"(Linux {m.get('kernel_version', '6.1')} from Debian `linux-source-6.1`)")
    w(f"- machine: {m['cpus']} CPUs, {m['host_os']}, load average at start "
      f"{m.get('loadavg', '?')}; index runs: {m['index_runs']} "
      f"(median wall time, max peak RSS), cidx `--jobs {m['jobs']}`, "
      "cold caches for cidx (fresh `--db`, empty cache directory)")
    w(f"- tools: {m['cidx_version']}; cscope {m['cscope_version']}; "
      f"{m['ctags_version']}")
    w(f"- sample: {n} function names, seed {args.seed}, drawn from the "
      f"{len(pool)} distinct names ctags reports as function definitions "
      "(ALL-CAPS macro-generated names excluded)")
    w("")
    w("## Summary")
    w("")
    w("| metric | cidx | cscope (or ctags) | ratio cidx/other |")
    w("|---|---|---|---|")
    w(f"| wall time, index {args.corpus_label} | {fmt_secs(m.get('cidx_wall'))} | "
      f"{fmt_secs(m['cscope_wall'])} | {fmt_ratio(m.get('cidx_wall'), m['cscope_wall'])} |")
    w(f"| peak RSS, index | {fmt_kb(m.get('cidx_rss_kb'))} | {fmt_kb(m['cscope_rss_kb'])} | "
      f"{fmt_ratio(m.get('cidx_rss_kb'), m['cscope_rss_kb'])} |")
    w(f"| database size on disk | {fmt_bytes(m.get('cidx_db_bytes'))} | "
      f"{fmt_bytes(m['cscope_db_bytes'])} (`cscope.out` + `-q` files) | "
      f"{fmt_ratio(m.get('cidx_db_bytes'), m['cscope_db_bytes'])} |")
    cf = m.get("cidx_functions")
    w(f"| function definitions (vs ctags `--kinds-C=f`, .c and .h) | "
      f"{cf if cf is not None else 'n/a'} | {m['ctags_functions']} (ctags) | "
      f"{fmt_ratio(cf, m['ctags_functions'])} |")
    if have_cidx:
        w(f"| sampled functions whose caller sets agree | {agree}/{n} "
          f"({100 * agree / n:.1f}%) | (reference) | |")
        w(f"| … of those with at least one caller in either tool | "
          f"{agree_ne}/{len(nonempty)} "
          f"({100 * agree_ne / max(1, len(nonempty)):.1f}%) | (reference) | |")
        w(f"| (file, caller) pairs over the sample | {cx_pairs} | {cs_pairs} | "
          f"{fmt_ratio(cx_pairs, cs_pairs)} |")
    else:
        w(f"| sampled functions whose caller sets agree | n/a (no build/cidx) | "
          f"{cs_pairs} (file, caller) pairs | |")
    for qname, tcx, tcs, how, ncx, ncs in query_rows:
        w(f"| `query callers {qname}`, whole process, median of "
          f"{args.query_runs} ({how}) | {fmt_secs(tcx)} ({plural(ncx, 'site')}) | "
          f"{fmt_secs(tcs)} (`cscope -d -L -3`, {plural(ncs, 'line')}) | "
          f"{fmt_ratio(tcx, tcs)} |")
    w("")
    w(f"Other figures: ctags (functions only) took {fmt_secs(m['ctags_wall'])}; "
      f"{decl_removed} cscope entries over the sample were declarations or "
      "definitions and were removed before comparing.")
    if m.get("cidx_stats"):
        st = m["cidx_stats"]
        extra = []
        for key in ("files", "calls", "enclosed_share"):
            if key in st:
                extra.append(f"{key} {st[key]}")
        sbk = st.get("symbols_by_kind") or {}
        if sbk:
            extra.append("symbols by kind " + ", ".join(
                f"{k} {v}" for k, v in sorted(sbk.items())))
        w(f"cidx stats: {'; '.join(extra)}.")
    if m.get("cidx_summary"):
        w(f"cidx index summary line: `{m['cidx_summary']}`.")
    w(f"Corpus untouched by both tools: {m['corpus_untouched']}.")
    w("")

    if decl_examples:
        w("Examples of removed cscope declaration entries:")
        w("")
        for name, e in decl_examples:
            w(f"- `{name}`: {e['file']}:{e['line']} (caller `{e['caller']}`): "
              f"`{md_cell(e['text'].strip())}`")
        w("")

    if have_cidx:
        w("## Differences by class")
        w("")
        w("Each differing (file, caller) pair for a sampled name is classified "
          "from its first call site that a rule explains. \"cscope only\" = "
          "cidx misses the pair; \"cidx only\" = cscope misses it.")
        w("")
        w("| class | cscope only | cidx only | right by the evidence | meaning |")
        w("|---|---|---|---|---|")
        right = collections.Counter()
        for cls, desc in CLASS_TEXT.items():
            a, b = diff_pairs["cscope"][cls], diff_pairs["cidx"][cls]
            if a or b:
                w(f"| {cls} | {a} | {b} | {CLASS_VERDICT[cls]} | {desc} |")
                right[CLASS_VERDICT[cls]] += a + b
        ta, tb = sum(diff_pairs["cscope"].values()), sum(diff_pairs["cidx"].values())
        w(f"| **total** | {ta} | {tb} | | |")
        w("")
        w("Differing pairs by which tool the evidence supports: " + ", ".join(
            f"{k} {v}" for k, v in sorted(right.items())) + ". A call site "
          "that the tools attribute to different callers counts once on each side.")
        w("")
        w("### Examples")
        w("")
        for cls in CLASS_TEXT:
            for side in ("cscope", "cidx"):
                exl = examples.get((side, cls))
                if not exl:
                    continue
                w(f"**{cls}, {side} only**")
                w("")
                for ex in exl:
                    other = (f"; other tool's caller: `{ex['other_caller']}`"
                             if ex["other_caller"] else "")
                    res = f"; resolution `{ex['resolution']}`" if ex.get("resolution") else ""
                    w(f"- `{ex['name']}` at {ex['file']}:{ex['line']}, caller "
                      f"`{ex['caller']}`{other}{res}: `{md_cell(ex['text'])}`")
                w("")
        w("## Per-name results")
        w("")
        w("<details><summary>all sampled names</summary>")
        w("")
        w("| name | cidx pairs | cscope pairs | agree |")
        w("|---|---|---|---|")
        for r in per_name:
            w(f"| `{r['name']}` | {r['cidx']} | {r['cscope']} | "
              f"{'yes' if r['agree'] else 'no'} |")
        w("")
        w("</details>")
        w("")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        fh.write("\n".join(L))
    print("\n".join(L[:40]))
    print(f"[compare] report written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
