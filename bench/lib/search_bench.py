#!/usr/bin/env python3
"""Helpers for bench/search-rank.sh and bench/search-speed.sh (stdlib only).

  search_bench.py cands-db DB OUT
      Every symbol of a cidx index.db as "KIND<TAB>QUALIFIED" lines, QUALIFIED
      being parent.name along the parent chain (as cidx's search table has it),
      in file path order.
  search_bench.py cands-py DIR OUT
      Definitions in the Python files under DIR, found with the ast module:
      functions and classes ("function" and "struct" lines), methods and
      nested classes as Class.method. Directories named test, tests,
      idlelib/idle_test, site-packages and dist-packages are left out.
  search_bench.py queries CANDS OUT --seed N --per-type N [--max-len L]
      Queries a person would type for targets drawn with a fixed seed from
      the distinct candidate names: initials, prefix, consonants (skeleton),
      two-term. Lines "TYPE<TAB>TARGET<TAB>QUERY". No typos: every query
      matches its target.
  search_bench.py rank --cands CANDS --queries Q --driver BIN --fzf BIN
                       --limit N --label NAME --out JSON
      Rank every query's candidates with cidx (the driver's rank mode) and
      with `fzf --filter QUERY`; the target's rank is that of its
      best-ranked occurrence, 0 past the limit. Writes the per-query ranks.
  search_bench.py rank-report --meta TSV --out MD JSON...
      Mean reciprocal rank per query type and overall, per corpus.
  search_bench.py speed-report --raw TSV --meta TSV --out MD
      p50/p95/max per query length and overall from the driver's speed mode.
"""
import argparse
import ast
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

KINDS = ["function", "prototype", "struct", "union", "enum", "typedef", "enumerator",
         "macro", "function-macro", "variable"]
TYPES = ["initials", "prefix", "consonants", "two-term"]


# --- candidates -----------------------------------------------------------------

def cands_db(args):
    db = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
    # by path, then position: symbol ids follow the order in which index
    # workers finished files, which varies between runs
    rows = db.execute("SELECT s.id, s.name, s.kind, s.parent FROM symbols s JOIN files f"
                      " ON f.id = s.file_id ORDER BY f.path, s.id").fetchall()
    by_id = {r[0]: r for r in rows}
    with open(args.out, "w") as out:
        for _, name, kind, parent in rows:
            chain = [name]
            while parent is not None and parent in by_id and len(chain) < 16:
                chain.append(by_id[parent][1])
                parent = by_id[parent][3]
            out.write("%s\t%s\n" % (KINDS[kind], ".".join(reversed(chain))))
    print("%d candidates" % len(rows), file=sys.stderr)


SKIP_DIRS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


def cands_py(args):
    n = 0
    with open(args.out, "w") as out:
        for root, dirs, files in os.walk(args.dir):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for f in sorted(files):
                if not f.endswith(".py"):
                    continue
                try:
                    with open(os.path.join(root, f), "rb") as fh:
                        tree = ast.parse(fh.read())
                except (SyntaxError, ValueError):
                    continue

                def walk(body, prefix):
                    nonlocal n
                    for node in body:
                        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            out.write("function\t%s%s\n" % (prefix, node.name))
                            n += 1
                        elif isinstance(node, ast.ClassDef):
                            out.write("struct\t%s%s\n" % (prefix, node.name))
                            n += 1
                            walk(node.body, prefix + node.name + ".")
                walk(tree.body, "")
    print("%d candidates" % n, file=sys.stderr)


def read_cands(path):
    names = []
    with open(path) as f:
        for line in f:
            names.append(line.rstrip("\n").split("\t", 1)[1])
    return names


# --- queries ---------------------------------------------------------------------

def words(name):
    """The words of an identifier: split at _ . - and digits, and camelCase."""
    out = []
    for part in re.split(r"[_.\-:/]+", name):
        out += [w for w in re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", part) if w]
    return out


def make_query(kind, name, rng, max_len):
    w = words(name)
    if kind == "initials":
        if len(w) < 2:
            return None
        q = "".join(x[0] for x in w)
    elif kind == "prefix":
        if len(name) < 4:
            return None
        q = name[:rng.randint(3, min(6, len(name) - 1))]
    elif kind == "consonants":
        flat = "".join(w)
        if len(flat) < 5:
            return None
        q = flat[0] + re.sub(r"[aeiouAEIOU]", "", flat[1:])
        q = q[:rng.randint(4, 7)]
        if len(q) < 3:
            return None
    else:  # two-term: prefixes of two words, in order
        if len(w) < 2:
            return None
        i, j = sorted(rng.sample(range(len(w)), 2))
        q = w[i][:rng.randint(2, 4)] + " " + w[j][:rng.randint(2, 4)]
    q = q.lower()
    if max_len and len(q) > max_len:
        q = q[:max_len].rstrip()
    return q if len(q.strip()) >= 1 else None


def queries(args):
    names = sorted(set(read_cands(args.cands)))
    rng = random.Random(args.seed)
    out = []
    for kind in TYPES:
        got, tries = 0, 0
        while got < args.per_type and tries < args.per_type * 200:
            tries += 1
            target = rng.choice(names)
            if len(target) < 5:
                continue
            q = make_query(kind, target, rng, args.max_len)
            if q:
                out.append((kind, target, q))
                got += 1
    with open(args.out, "w") as f:
        for kind, target, q in out:
            f.write("%s\t%s\t%s\n" % (kind, target, q))
    print("%d queries" % len(out), file=sys.stderr)


# --- ranking ---------------------------------------------------------------------

def rank_of(ranked_names, target, limit):
    for i, n in enumerate(ranked_names[:limit]):
        if n == target:
            return i + 1
    return 0


def rank(args):
    names = read_cands(args.cands)
    qs = [line.rstrip("\n").split("\t") for line in open(args.queries)]
    qfile = args.out + ".q"
    with open(qfile, "w") as f:
        for _, _, q in qs:
            f.write(q + "\n")
    res = subprocess.run([args.driver, "rank", args.cands, qfile, str(args.limit)],
                         capture_output=True, text=True, check=True)
    cidx_lines = res.stdout.split("\n")
    namefile = args.out + ".names"
    with open(namefile, "w") as f:
        for n in names:
            f.write(n + "\n")

    def fzf(q):
        with open(namefile, "rb") as inp:
            r = subprocess.run([args.fzf, "--filter", q], stdin=inp, capture_output=True)
        return r.stdout.decode("utf-8", "replace").split("\n")[:args.limit]

    with ThreadPoolExecutor(max_workers=2) as ex:
        fzf_out = list(ex.map(fzf, [q for _, _, q in qs]))
    rows = []
    for i, (kind, target, q) in enumerate(qs):
        ids = [int(x) for x in cidx_lines[i].split()] if i < len(cidx_lines) else []
        rows.append({"type": kind, "target": target, "query": q,
                     "cidx": rank_of([names[k] for k in ids], target, args.limit),
                     "fzf": rank_of(fzf_out[i], target, args.limit)})
    os.unlink(qfile)
    os.unlink(namefile)
    with open(args.out, "w") as f:
        json.dump({"label": args.label, "candidates": len(names),
                   "distinct": len(set(names)), "limit": args.limit, "rows": rows}, f)


def mrr(rows, tool):
    return sum(1.0 / r[tool] for r in rows if r[tool]) / len(rows) if rows else 0.0


def hits(rows, tool, k):
    return sum(1 for r in rows if 0 < r[tool] <= k) / len(rows) if rows else 0.0


def read_meta(path):
    meta = {}
    for line in open(path):
        k, _, v = line.rstrip("\n").partition("\t")
        meta[k] = v
    return meta


def rank_report(args):
    meta = read_meta(args.meta)
    md = ["# Search ranking: cidx vs fzf", "",
          "Generated by `bench/search-rank.sh %s`; do not edit." % meta.get("args", ""), "",
          "Mean reciprocal rank (MRR) of the target over the same candidate list, for",
          "queries a person would type for it (no typos). A target's rank is that of",
          "its best-ranked occurrence (names repeat) for both tools; past the top %s"
          % meta.get("limit", "?"),
          "it counts 0. cidx: `build/search-driver rank` (the engine in process, one",
          "thread); fzf: `fzf --filter QUERY` (%s), default options." % meta.get("fzf", "?"), "",
          "Machine: %s CPUs, load %s at the start; seed %s, %s queries per type."
          % (meta.get("nproc"), meta.get("load"), meta.get("seed"), meta.get("per_type")), ""]
    table = []
    for path in args.json:
        d = json.load(open(path))
        rows = d["rows"]
        md += ["## %s" % d["label"], "",
               "%d candidates (%d distinct names), %d queries." % (d["candidates"], d["distinct"], len(rows)), "",
               "| query type | queries | cidx MRR | fzf MRR | cidx top-1 | fzf top-1 | cidx top-10 | fzf top-10 |",
               "|---|---|---|---|---|---|---|---|"]
        for kind in TYPES + ["all"]:
            rs = rows if kind == "all" else [r for r in rows if r["type"] == kind]
            line = "| %s | %d | %.3f | %.3f | %.1f%% | %.1f%% | %.1f%% | %.1f%% |" % (
                "**all**" if kind == "all" else kind, len(rs), mrr(rs, "cidx"), mrr(rs, "fzf"),
                100 * hits(rs, "cidx", 1), 100 * hits(rs, "fzf", 1),
                100 * hits(rs, "cidx", 10), 100 * hits(rs, "fzf", 10))
            md.append(line)
            table.append("%-14s %-10s %5d  cidx %.3f  fzf %.3f" % (d["label"][:14], kind, len(rs),
                                                                    mrr(rs, "cidx"), mrr(rs, "fzf")))
        ok = mrr(rows, "cidx") >= mrr(rows, "fzf")
        md += ["", "Target (cidx MRR >= fzf MRR): **%s**." % ("met" if ok else "missed"), "",
               "The queries on which each tool beats the other most (rank `-`: not in the top %d):"
               % d["limit"], "", "| type | target | query | cidx rank | fzf rank |", "|---|---|---|---|---|"]

        def gain(r):
            return (1.0 / r["cidx"] if r["cidx"] else 0) - (1.0 / r["fzf"] if r["fzf"] else 0)
        diff = sorted(rows, key=gain)
        for r in diff[::-1][:6] + [r for r in diff[:6] if gain(r) < 0]:
            md.append("| %s | `%s` | `%s` | %s | %s |" % (r["type"], r["target"], r["query"],
                                                      r["cidx"] or "-", r["fzf"] or "-"))
        md.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(table))


def pct(v, p):
    v = sorted(v)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def speed_report(args):
    meta = read_meta(args.meta)
    by_len = {}
    cpu_by_len = {}
    mem = ""
    load = ""
    for line in open(args.raw):
        if line.startswith("# memory"):
            mem = dict(kv.split("=") for kv in line.split()[2:])
        elif line.startswith("# load"):
            load = line.split()[2]
        elif not line.startswith("#") and line.strip():
            f = line.rstrip("\n").split("\t")
            by_len.setdefault(int(f[0]), []).append(float(f[1]) / 1000.0)
            cpu_by_len.setdefault(int(f[0]), []).append(float(f[2]) / 1000.0)
    md = ["# Search speed: typing replayed on %s" % meta.get("corpus", "?"), "",
          "Generated by `bench/search-speed.sh %s`; do not edit." % meta.get("args", ""), "",
          "In process (`build/search-driver speed`): the table is loaded from the",
          "corpus's index.db, then every prefix (1 to %s characters) of %s queries is"
          % (meta.get("max_len"), meta.get("queries")),
          "run in turn with one narrowing state per query, as a search pane would,",
          "%s times over. Wall time per keystroke, limit 50 results, %s scan threads."
          % (meta.get("repeat"), meta.get("threads")), "",
          "Machine: %s CPUs; load average %s at the start, %s at the end (other work"
          % (meta.get("nproc"), meta.get("load_start"), meta.get("load_end")),
          "shares the machine: read medians and p95 with that in mind). CPU is the",
          "process's CPU time for the keystroke, every thread summed: with one scan",
          "thread it is the latency an idle core would give; with two, the work.", "",
          "| query length | keystrokes | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |",
          "|---|---|---|---|---|---|---|"]
    table = []
    allv, allc = [], []
    for n in sorted(by_len):
        v, c = by_len[n], cpu_by_len[n]
        allv += v
        allc += c
        md.append("| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
            n, len(v), pct(v, .5), pct(v, .95), max(v), pct(c, .5), pct(c, .95)))
        table.append("len %d  n %5d  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  cpu p95 %6.2f ms" % (
            n, len(v), pct(v, .5), pct(v, .95), max(v), pct(c, .95)))
    p95 = pct(allv, .95)
    md.append("| **all** | %d | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
        len(allv), pct(allv, .5), p95, max(allv), pct(allc, .5), pct(allc, .95)))
    table.append("all    n %5d  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  cpu p95 %6.2f ms" % (
        len(allv), pct(allv, .5), p95, max(allv), pct(allc, .95)))
    worst = max(pct(by_len[n], .95) for n in by_len)
    md += ["", "Target (p95 <= 15 ms for every length from 1 to 6): **%s** (worst length p95 %.2f ms)."
           % ("met" if worst <= 15 else "missed", worst), ""]
    if mem:
        per = float(mem["per_symbol"])
        md += ["## Memory", "",
               "%s symbols, %s distinct strings (names, qualified names, callee names)."
               % (mem["symbols"], mem["strings"]),
               "Everything the table holds: %.1f MB; the live symbols' distinct names: %.1f MB."
               % (int(mem["total"]) / 1e6, int(mem["name_bytes"]) / 1e6),
               "Beyond the name bytes: **%.1f bytes per symbol** (target 64: %s)."
               % (per, "met" if per <= 64 else "missed"),
               "Load from index.db: %s s." % load, ""]
        table.append("memory %.1f bytes/symbol beyond names; load %s s" % (per, load))
    with open(args.out, "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(table))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("cands-db"); p.add_argument("db"); p.add_argument("out")
    p.set_defaults(fn=cands_db)
    p = sub.add_parser("cands-py"); p.add_argument("dir"); p.add_argument("out")
    p.set_defaults(fn=cands_py)
    p = sub.add_parser("queries"); p.add_argument("cands"); p.add_argument("out")
    p.add_argument("--seed", type=int, default=5); p.add_argument("--per-type", type=int, default=150)
    p.add_argument("--max-len", type=int, default=0)
    p.set_defaults(fn=queries)
    p = sub.add_parser("rank")
    for a in ("--cands", "--queries", "--driver", "--fzf", "--label", "--out"):
        p.add_argument(a, required=True)
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(fn=rank)
    p = sub.add_parser("rank-report"); p.add_argument("--meta", required=True)
    p.add_argument("--out", required=True); p.add_argument("json", nargs="+")
    p.set_defaults(fn=rank_report)
    p = sub.add_parser("speed-report")
    for a in ("--raw", "--meta", "--out"):
        p.add_argument(a, required=True)
    p.set_defaults(fn=speed_report)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
