#!/usr/bin/env python3
"""Helpers for bench/lang-check.sh (stdlib only).

  lang_check.py run --tsv TSV --key KEY --cwd DIR --log PREFIX -- CMD...
      Run CMD in DIR (output to PREFIX.out and PREFIX.err); append
      "KEY<TAB>wall seconds<TAB>peak RSS in kB<TAB>CPU seconds" to TSV. Exits with CMD's status.

  lang_check.py check-stats STATS_JSON
      Exit 0 when `cidx stats --json` gives per-language edge counts
      ("languages": a list of {"lang", ..., "edges": {label: N}}), else 1.

  lang_check.py ctags-languages DUMP
      Print the ctags options selecting the parsers of the languages of the
      files in a `cidx dump` (e.g. "--languages=Python"), or nothing when ctags
      has none of them.

  lang_check.py analyze --name NAME --root DIR --dump DUMP
                        (--stats STATS_JSON | --stats-missing REASON)
                        --work DIR --examples N --out JSON
      Run ctags on the files cidx indexed, one language at a time (the files
      cidx gave that language, --language-force), compare the definitions by
      (file, line, name), count call sites by their enclosing definition, and
      take the edge labels from the stats; write it all to JSON.

  lang_check.py report --runs TSV --meta TSV --out MD --misses-out MD JSON...
      Print the tables and write the markdown report and the misses file.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict

# cidx language -> the ctags parser for its files
CTAGS_LANG = {
    "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript",
    "tsx": "TypeScript", "c": "C", "cpp": "C++", "go": "Go", "rust": "Rust", "java": "Java",
}

# Kind groups per cidx language: (group, ctags kinds (long names), cidx kinds).
# A definition counts in a group when its kind is in the group's set on its
# side; matching across the two sides ignores the group (a ctags "function"
# found by cidx as a "method" is found).
#
# JavaScript and TypeScript (see relabel_js): ctags calls a constant or
# variable whose value is a function (const f = () => ...) "constant" or
# "variable", and a property or class field holding one ("a: function () {}",
# "fn = () => 1") "property" or "field"; those tags are re-labelled FN + kind
# and compared as functions and methods, as cidx extracts them. ctags also
# calls "class" an object literal holding functions (const A = { f() {} })
# and the owner of a prototype assignment (K.prototype.m = ...): only a class
# tag whose line reads "class NAME" stays a class, the others become
# "class" + PSEUDO and are not compared.
# cidx kinds that count as having ctags' definition at the same place without
# being counted as cidx definitions: TypeScript declarations without a body
# (interface and declare'd methods, overload signatures), which ctags tags as
# functions and methods and cidx as prototypes
ALSO_FOUND = {"typescript": {"prototype"}, "tsx": {"prototype"}}
FN = "function-valued "
PSEUDO = " (object)"
_TS_GROUPS = [
    ("function", {"function", "generator", FN + "constant", FN + "variable"}, {"function"}),
    ("method", {"method", "getter", "setter", FN + "property", FN + "field"}, {"method"}),
    ("class", {"class"}, {"class"}),
    ("interface", {"interface"}, {"interface"}),
    ("enum", {"enum"}, {"enum"}),
    ("namespace", {"namespace"}, {"namespace"}),
]
GROUPS = {
    # ctags' Python "member" kind is a def in a class body (a method)
    "python": [
        ("function", {"function"}, {"function"}),
        ("method", {"member"}, {"method"}),
        ("class", {"class"}, {"class"}),
    ],
    # methods include the functions of object literals ({ f() {} }, { f: () => 1 }):
    # cidx extracts them as methods, ctags as methods (or function-valued
    # properties) of a pseudo-class
    "javascript": _TS_GROUPS[:3],
    "typescript": _TS_GROUPS,
    "tsx": _TS_GROUPS,
    "c": [
        ("function", {"function"}, {"function"}),
        ("struct", {"struct"}, {"struct"}),
        ("union", {"union"}, {"union"}),
        ("enum", {"enum"}, {"enum"}),
        ("typedef", {"typedef"}, {"typedef"}),
        ("macro", {"macro"}, {"macro", "function-macro"}),
    ],
    # ctags does not tell C++ methods or Go methods from functions
    "cpp": [
        ("function+method", {"function"}, {"function", "method"}),
        ("class", {"class"}, {"class"}),
        ("struct", {"struct"}, {"struct"}),
        ("union", {"union"}, {"union"}),
        ("enum", {"enum"}, {"enum"}),
        ("namespace", {"namespace"}, {"namespace"}),
    ],
    "go": [
        ("function+method", {"func"}, {"function", "method"}),
        ("struct", {"struct"}, {"struct"}),
        ("interface", {"interface"}, {"interface"}),
    ],
    "java": [
        ("method", {"method"}, {"method"}),
        ("class", {"class"}, {"class"}),
        ("interface", {"interface"}, {"interface"}),
        ("enum", {"enum"}, {"enum"}),
    ],
    "rust": [
        ("function", {"function"}, {"function"}),
        ("method", {"method"}, {"method"}),
        ("struct", {"struct"}, {"struct"}),
        ("enum", {"enum"}, {"enum"}),
        ("trait", {"interface"}, {"trait"}),
    ],
}

LABELS = ["same-file", "same-class", "import", "qualified", "name-only", "ambiguous",
          "dynamic", "unresolved"]
BODY_KINDS = {"function", "method"}
NEAR = 2   # lines either side for "near" matches


# --- run ----------------------------------------------------------------------------

def cmd_run(a):
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    with open(a.log + ".out", "wb") as out, open(a.log + ".err", "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=a.cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _pid, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        with open(a.log + ".err", "a") as err:
            err.write("[%s]\n" % ("exit status %d" % rc if rc > 0 else "killed by signal %d" % -rc))
        return rc if rc > 0 else 128 - rc
    with open(a.tsv, "a") as f:
        f.write("%s\t%.6f\t%d\t%.3f\n" % (a.key, wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
    return 0


# --- stats --------------------------------------------------------------------------

def load_langs(path):
    """The per-language list of `cidx stats --json`, or None when it is missing."""
    with open(path) as f:
        d = json.load(f)
    langs = d.get("languages")
    if not isinstance(langs, list):
        return None
    for e in langs:
        if not isinstance(e, dict) or "lang" not in e or not isinstance(e.get("edges"), dict):
            return None
    return langs


def cmd_check_stats(a):
    return 0 if load_langs(a.stats) is not None else 1


def cmd_ctags_languages(a):
    """The ctags options for the languages of the files in a dump."""
    names = []
    with open(a.dump, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            if line.startswith("file "):
                c = CTAGS_LANG.get(line.rstrip("\n").rsplit(" ", 3)[1])
                if c and c not in names:
                    names.append(c)
    if names:
        opts = "--languages=" + ",".join(sorted(names))
        if "C" in names and "C++" not in names:
            opts += " --langmap=C:.c.h"   # ctags gives .h to C++ by default
        print(opts)
    return 0


# --- the dump -----------------------------------------------------------------------

SYM_RE = re.compile(r"^sym (.*):(\d+):(\d+)-(\d+):(\d+) (\S+) (\S+)")
CALL_RE = re.compile(r"^call (.*):(\d+):(\d+) (\S+) -> ")


def bare(qname):
    return qname.rsplit(".", 1)[-1]


def read_dump(path):
    files = {}                       # path -> (lang, parse errors)
    syms = defaultdict(list)         # path -> [(line, kind, qname)]
    calls = defaultdict(list)        # path -> [caller qname or None]
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("sym "):
                m = SYM_RE.match(line)
                if m:
                    syms[m.group(1)].append((int(m.group(2)), m.group(6), m.group(7)))
            elif line.startswith("call "):
                m = CALL_RE.match(line)
                if m:
                    c = m.group(4)
                    calls[m.group(1)].append(None if c == "-" else c)
            elif line.startswith("file "):
                p, lang, _fp, err = line[5:].rsplit(" ", 3)
                files[p] = (lang, int(err.split("=", 1)[1]))
    return files, syms, calls


# --- ctags --------------------------------------------------------------------------

def run_ctags(root, lang, paths, work):
    """ctags' tags for PATHS (relative to ROOT), parsed as ctags' LANG. Tags of
    unnamed things (ctags names them __anon...) are left out."""
    work = os.path.abspath(work)
    lst = os.path.join(work, "files.%s.txt" % lang)
    with open(lst, "w") as f:
        for p in paths:
            f.write(p + "\n")
    out = os.path.join(work, "ctags.%s.json" % lang)
    if os.path.exists(out):
        os.remove(out)   # ctags refuses to overwrite what does not look like a tags file
    argv = ["ctags", "--language-force=" + CTAGS_LANG[lang], "--output-format=json",
            "--fields=+nKZl", "--extras=-{anonymous}", "-f", out, "-L", lst]
    r = subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SystemExit("ctags failed (%s): %s" % (" ".join(argv), r.stderr.decode()[:300]))
    tags = []
    with open(out, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            try:
                t = json.loads(line)
            except ValueError:
                continue
            if t.get("_type") == "tag" and "line" in t:
                path = t["path"]
                if path.startswith("./"):
                    path = path[2:]
                tags.append((path, int(t["line"]), t["name"], t.get("kind", "?"),
                             t.get("scope", ""), t.get("pattern", "")))
    if lang in ("javascript", "typescript", "tsx"):
        tags = relabel_js(tags, lang != "javascript")
    return tags


_FN = r"(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=;{]*)?=>|[A-Za-z_$][\w$]*\s*=>)"
FN_ASSIGN_RE = r"\s*(?::[^=;,]*)?=\s*" + _FN     # name = () => ..., name: T = function ...
FN_PROP_RE = r"[\"']?\s*:\s*" + _FN              # name: () => ... (object literal)


def relabel_js(tags, typescript):
    """Re-label ctags' JavaScript/TypeScript tags as the comment above GROUPS
    says (FN + kind, "class" + PSEUDO), from the tag's line (its pattern).
    "name: (x) => ..." counts as a function value in JavaScript; in TypeScript
    it is mostly a type (parameters, interface members, declarations), so
    there it counts only for a property of a ctags pseudo-class (an object
    literal)."""
    pseudo, real = set(), set()
    for p, _line, name, kind, _scope, pat in tags:
        if kind == "class":
            if re.search(r"\bclass\s+" + re.escape(name) + r"\b", pat):
                real.add((p, name))
            else:
                pseudo.add((p, name))
    out = []
    for p, line, name, kind, scope, pat in tags:
        n = r"(?<![\w$])[\"']?" + re.escape(name)
        if kind == "class":
            if (p, name) in pseudo and not re.search(r"\bclass\s+" + re.escape(name) + r"\b", pat):
                kind += PSEUDO
        elif kind in ("constant", "variable", "property", "field"):
            owner = (p, scope.rsplit(".", 1)[-1]) if scope else None
            in_object = owner in pseudo and owner not in real
            if re.search(n + FN_ASSIGN_RE, pat) or (
                    (not typescript or in_object) and re.search(n + FN_PROP_RE, pat)):
                kind = FN + kind
        out.append((p, line, name, kind, scope, pat))
    return out


# --- analyze ------------------------------------------------------------------------

class SourceLines:
    def __init__(self, root):
        self.root = root
        self.cache = {}

    def get(self, path, line):
        if path not in self.cache:
            try:
                with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as f:
                    self.cache[path] = f.read().split("\n")
            except OSError:
                self.cache[path] = []
        lines = self.cache[path]
        text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        return text if len(text) <= 100 else text[:97] + "..."


def spread(items, n):
    """N items spread evenly over the sorted list (deterministic)."""
    items = sorted(items)
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def pair_rest(ctags_rest, cidx_rest):
    """One-to-one pairs of definitions that exact matching left on both sides:
    first at the same file and line under another name (webpack's
    "X.Template = class XTemplate": cidx names it Template, ctags XTemplate),
    then the same file and name at another line, nearest first (TypeScript
    overloads: ctags tags the first signature, cidx the implementation).
    Returns {ctags key: (cidx key, "other name" | "other line")}."""
    pairs = {}
    free = set(cidx_rest)
    at = defaultdict(list)
    for k in sorted(free):
        at[(k[0], k[1])].append(k)
    for k in sorted(ctags_rest):
        for c in at.get((k[0], k[1]), ()):
            if c in free:
                pairs[k] = (c, "other name")
                free.discard(c)
                break
    named = defaultdict(list)
    for k in sorted(free):
        named[(k[0], k[2])].append(k)
    for k in sorted(set(ctags_rest) - set(pairs)):
        cands = [c for c in named.get((k[0], k[2]), ()) if c in free]
        if cands:
            c = min(cands, key=lambda c: (abs(c[1] - k[1]), c[1]))
            pairs[k] = (c, "other line")
            free.discard(c)
    return pairs


def compare_defs(lang, paths, syms, tags, examples, src):
    groups = GROUPS.get(lang, [])
    cidx_kinds = defaultdict(set)    # key (path, line, name) -> cidx kinds
    ctags_kinds = defaultdict(set)   # key -> ctags kinds
    for p in paths:
        for line, kind, qname in syms.get(p, ()):
            cidx_kinds[(p, line, bare(qname))].add(kind)
    for p, line, name, kind, _scope, _pat in tags:
        ctags_kinds[(p, line, name)].add(kind)
    all_cidx = set().union(*(g[2] for g in groups)) if groups else set()
    all_ctags = set().union(*(g[1] for g in groups)) if groups else set()
    cmp_cidx = {k for k, ks in cidx_kinds.items() if ks & all_cidx}
    cmp_ctags = {k for k, ks in ctags_kinds.items() if ks & all_ctags}
    also = ALSO_FOUND.get(lang, set())
    as_decl = {k for k, ks in cidx_kinds.items() if ks & also} - cmp_cidx
    pairs = pair_rest(cmp_ctags - cmp_cidx - as_decl, cmp_cidx - cmp_ctags)
    paired_cidx = {c for c, _how in pairs.values()}
    by_name = {"cidx": defaultdict(set), "ctags": defaultdict(set)}
    for k in cmp_cidx:
        by_name["cidx"][(k[0], k[2])].add(k[1])
    for k in cmp_ctags:
        by_name["ctags"][(k[0], k[2])].add(k[1])
    kinds_of = {"cidx": cidx_kinds, "ctags": ctags_kinds}

    def why_missing(k, other):
        """What the other side has for a key this side has and it lacks."""
        ks = kinds_of[other].get(k)
        if ks:
            return "there as " + "/".join(sorted(ks))
        lines = by_name[other].get((k[0], k[2]), ())
        near = [ln for ln in lines if abs(ln - k[1]) <= NEAR]
        if near:
            return "there %+d line(s)" % (min(near, key=lambda ln: abs(ln - k[1])) - k[1])
        if lines:
            return "name elsewhere in file (matched there)"
        return "absent"

    def why_kind(why):
        return "there ±%d" % NEAR if why.startswith(("there +", "there -")) else why

    def item(k, kinds, other, why=None):
        return {"file": k[0], "line": k[1], "name": k[2], "kind": "/".join(sorted(kinds)),
                other: why or why_missing(k, other), "text": src.get(k[0], k[1])}

    out = []
    misses = {}
    for g, ck, xk in list(groups) + [("total", all_ctags, all_cidx)]:
        ctags_set = {k for k, ks in ctags_kinds.items() if ks & ck}
        cidx_set = {k for k, ks in cidx_kinds.items() if ks & xk}
        exact = ctags_set & cmp_cidx
        decl = ctags_set & as_decl
        paired = {k for k in ctags_set if k in pairs}
        ctags_only = ctags_set - cmp_cidx - decl - paired
        cidx_only = cidx_set - cmp_ctags - paired_cidx
        how = Counter(pairs[k][1] for k in paired)
        if decl:
            how["as " + "/".join(sorted(also))] = len(decl)
        out.append({
            "group": g,
            "ctags_kinds": sorted(ck), "cidx_kinds": sorted(xk),
            "ctags": len(ctags_set), "cidx": len(cidx_set) + len(decl),
            "found": len(exact) + len(decl) + len(paired), "exact": len(exact),
            "paired": dict(how),
            "same_group": len(ctags_set & cidx_set),
            "ctags_only": len(ctags_only), "cidx_only": len(cidx_only),
            "ctags_only_why": dict(Counter(why_kind(why_missing(k, "cidx")) for k in ctags_only)),
            "cidx_only_why": dict(Counter(why_kind(why_missing(k, "ctags")) for k in cidx_only)),
        })
        if g != "total":
            misses[g] = {
                "ctags_only": [item(k, ctags_kinds[k] & ck, "cidx")
                               for k in spread(ctags_only, examples)],
                "cidx_only": [item(k, cidx_kinds[k] & xk, "ctags")
                              for k in spread(cidx_only, examples)],
                "paired": [item(k, ctags_kinds[k] & ck, "cidx", "%s: %s at %d" % (
                               pairs[k][1], pairs[k][0][2], pairs[k][0][1]))
                           for k in spread(paired, examples)],
            }
    return out, misses


def count_calls(paths, syms, calls):
    total = module = body = other = unknown = 0
    for p in paths:
        kinds = defaultdict(set)
        for _line, kind, qname in syms.get(p, ()):
            kinds[qname].add(kind)
        for caller in calls.get(p, ()):
            total += 1
            if caller is None:
                module += 1
            elif caller not in kinds:
                unknown += 1
            elif kinds[caller] & BODY_KINDS:
                body += 1
            else:
                other += 1
    return {"calls": total, "module": module, "in_body": body, "in_other": other,
            "caller_unknown": unknown}


def cmd_analyze(a):
    if a.stats:
        langs = load_langs(a.stats)
        if langs is None:
            raise SystemExit("lang_check: %s has no per-language edge counts" % a.stats)
    else:
        langs = []
    by_lang = {e["lang"]: e for e in langs}
    files, syms, calls = read_dump(a.dump)
    paths_of = defaultdict(list)
    for p, (lang, _err) in sorted(files.items()):
        paths_of[lang].append(p)
    src = SourceLines(a.root)
    res = {"name": a.name, "languages": {}, "misses": {}, "stats_missing": a.stats_missing}
    for lang in sorted(set(paths_of) | set(by_lang)):
        paths = paths_of.get(lang, [])
        st = by_lang.get(lang, {})
        if not paths and not st.get("files"):
            continue
        nbytes = sum(os.path.getsize(os.path.join(a.root, p)) for p in paths)
        L = {
            "files": len(paths), "bytes": nbytes,
            "parse_error_files_dump": sum(1 for p in paths if files[p][1] > 0),
            "stats": st,
            "calls": count_calls(paths, syms, calls),
            "definitions": None, "ctags_tags": None,
        }
        if lang in CTAGS_LANG and paths:
            tags = run_ctags(a.root, lang, paths, a.work)
            L["ctags_tags"] = len(tags)
            L["ctags_kinds"] = dict(Counter(t[3] for t in tags))
            L["cidx_kinds"] = dict(Counter(k for p in paths for _l, k, _q in syms.get(p, ())))
            L["definitions"], res["misses"][lang] = compare_defs(lang, paths, syms, tags,
                                                                  a.examples, src)
        res["languages"][lang] = L
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    return 0


# --- report -------------------------------------------------------------------------

def pct(n, d):
    return "%.1f%%" % (100.0 * n / d) if d else "–"


def fmt_mb(b):
    return "%.1f MB" % (b / 1e6) if b >= 1e5 else "%.0f kB" % (b / 1e3)


def fmt_s(s):
    return "%.2f s" % s if s >= 1 else "%.0f ms" % (s * 1000)


def verdict(ok):
    return "met" if ok else "missed"


def why_text(d):
    return ", ".join("%d %s" % (n, w) for w, n in sorted(d.items(), key=lambda x: (-x[1], x[0])))


def cmd_report(a):
    meta = {}
    with open(a.meta) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            meta[k] = v
    runs = defaultdict(list)
    cpu = defaultdict(list)
    rss = defaultdict(int)
    with open(a.runs) as f:
        for line in f:
            k, wall, kb, cs = line.rstrip("\n").split("\t")
            runs[k].append(float(wall))
            cpu[k].append(float(cs))
            rss[k] = max(rss[k], int(kb))
    results = []
    for p in a.results:
        with open(p) as f:
            results.append(json.load(f))

    md = []
    w = md.append
    w("# Real-code check of issue 4: definitions, calls, edges, throughput")
    w("")
    w("Generated by `bench/lang-check.sh %s`; do not edit." % meta.get("args", ""))
    w("")
    w("## Setup")
    w("")
    w("| | |")
    w("|---|---|")
    for r in results:
        n = r["name"]
        w("| corpus `%s` | %s; `ctags -R %s` |" % (n, meta.get("corpus.%s.source" % n, ""),
                                                  meta.get("ctags.%s.options" % n, "")))
    w("| machine | %s CPUs (`nproc`), %s |" % (meta.get("nproc", "?"), meta.get("host_os", "?")))
    w("| load average (1, 5, 15 min) | start %s; end %s |" % (meta.get("loadavg_start", "?"),
                                                             meta.get("loadavg_end", "?")))
    w("| cidx | %s |" % meta.get("cidx_version", "?"))
    w("| ctags | %s |" % meta.get("ctags_version", "?"))
    w("| runs | %s cold index runs per corpus (medians) |" % meta.get("runs", "?"))
    w("")

    # 1. definitions
    w("## 1. Definitions: cidx against ctags")
    w("")
    w("Both sides' definitions of the compared kinds are matched by (file, line, name): "
      "ctags runs on exactly the files cidx gave the language (`--language-force`, "
      "`--extras=-{anonymous}`), cidx's are the `sym` lines of `cidx dump` (name: the "
      "last component of the qualified name; line: the line of the name). What exact "
      "matching leaves on both sides is then paired one to one at the same file and "
      "line under another name, then by the same file and name at another line "
      "(nearest first); in TypeScript a cidx `prototype` (a declaration without a "
      "body: interface and `declare`d methods, overload signatures) at the place of a "
      "ctags function or method counts as found, and in cidx's count: *found "
      "otherwise*. *ratio* is cidx's count over ctags'; "
      "*found* the share of ctags' definitions that cidx has (exact or paired, "
      "under any compared kind); target: both ≥ 98%. Kind groups, ctags kinds → "
      "cidx kinds (JavaScript/TypeScript: \"function-valued\" constants, variables, "
      "properties and fields are ctags tags whose line assigns the name a function "
      "or arrow function; ctags \"class\" tags whose line does not read `class NAME` "
      "(object literals, prototype owners) are left out):")
    w("")
    seen = set()
    for r in results:
        for lang, L in sorted(r["languages"].items()):
            if not L["definitions"] or lang in seen:
                continue
            seen.add(lang)
            w("- %s: %s" % (lang, "; ".join(
                "%s = ctags %s → cidx %s" % (d["group"], "+".join(d["ctags_kinds"]),
                                             "+".join(d["cidx_kinds"]))
                for d in L["definitions"] if d["group"] != "total")))
    w("")
    w("| corpus | language | group | ctags | cidx | ratio | found | target | found otherwise | ctags only | cidx only |")
    w("|---|---|---|---:|---:|---:|---:|---|---|---:|---:|")
    notes = []
    for r in results:
        for lang, L in sorted(r["languages"].items()):
            if not L["definitions"]:
                w("| %s | %s | (no ctags mapping) | | | | | | | | |" % (r["name"], lang))
                continue
            for d in L["definitions"]:
                if d["group"] != "total" and not d["ctags"] and not d["cidx"]:
                    continue
                ratio = d["cidx"] / d["ctags"] if d["ctags"] else None
                found = d["found"] / d["ctags"] if d["ctags"] else None
                tgt = "" if ratio is None else verdict(ratio >= 0.98 and found >= 0.98)
                g = "**total**" if d["group"] == "total" else d["group"]
                w("| %s | %s | %s | %d | %d | %s | %s | %s | %s | %d | %d |" % (
                    r["name"], lang, g, d["ctags"], d["cidx"], pct(d["cidx"], d["ctags"]),
                    pct(d["found"], d["ctags"]), tgt,
                    ", ".join("%d %s" % (n, how) for how, n in sorted(d["paired"].items())) or "–",
                    d["ctags_only"], d["cidx_only"]))
                if d["group"] != "total" and (d["ctags_only"] or d["cidx_only"]):
                    notes.append("- %s %s %s: ctags only %d (cidx: %s); cidx only %d (ctags: %s)" % (
                        r["name"], lang, d["group"], d["ctags_only"],
                        why_text(d["ctags_only_why"]) or "–", d["cidx_only"],
                        why_text(d["cidx_only_why"]) or "–"))
    w("")
    if notes:
        w("What the other side has where one side lacks a definition (\"there as K\": "
          "the same file, line and name under another kind; \"there ±N\": the name within "
          "%d lines; examples, and of pairs, in `%s`):" % (NEAR, os.path.basename(a.misses_out)))
        w("")
        md.extend(notes)
        w("")

    # 2 + 3. calls and edges
    w("## 2. Call sites and their enclosing definition")
    w("")
    w("From the `call` lines of `cidx dump`: *enclosed* counts calls inside any "
      "definition or at module level (the module encloses them), *in a def* only "
      "calls whose innermost enclosing definition is a function or method (not "
      "a class body, not module level).")
    w("")
    w("| corpus | language | files | parse-error files | calls | enclosed | in a def | class body | module level |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for lang, L in sorted(r["languages"].items()):
            c = L["calls"]
            n = c["calls"]
            w("| %s | %s | %d | %s | %d | %s | %s | %s | %s |" % (
                r["name"], lang, L["files"],
                L["stats"].get("parse_error_files", L["parse_error_files_dump"]), n,
                pct(n - c["caller_unknown"], n), pct(c["in_body"], n), pct(c["in_other"], n),
                pct(c["module"], n)))
    w("")
    w("## 3. Call edges per resolution label")
    w("")
    w("From `cidx stats --json` (`languages[].edges`); shares of all edges of the language.")
    w("")
    checks = []
    w("| corpus | language | edges | " + " | ".join(LABELS) + " | resolved |")
    w("|---|---|---:|" + "---:|" * len(LABELS) + "---:|")
    for r in results:
        if r.get("stats_missing"):
            w("| %s | (all) | not measured: %s |%s" % (r["name"], r["stats_missing"], " |" * (len(LABELS) + 1)))
            checks.append("%s: no stats (%s)" % (r["name"], r["stats_missing"]))
            continue
        for lang, L in sorted(r["languages"].items()):
            e = L["stats"].get("edges", {})
            tot = sum(e.get(k, 0) for k in e)
            rs = L["stats"].get("resolved_share")
            w("| %s | %s | %d | %s | %s |" % (
                r["name"], lang, tot, " | ".join(pct(e.get(k, 0), tot) for k in LABELS),
                "%.1f%%" % (100 * rs) if isinstance(rs, (int, float)) and tot else "–"))
            extra = sorted(set(e) - set(LABELS))
            if extra:
                checks.append("%s %s: labels not in the table: %s" % (r["name"], lang, extra))
            st = L["stats"]
            for what, theirs, ours in (("files", st.get("files"), L["files"]),
                                       ("calls", st.get("calls"), L["calls"]["calls"]),
                                       ("edges", tot, L["calls"]["calls"])):
                if theirs != ours:
                    checks.append("%s %s: stats says %s %s, the dump %d" % (
                        r["name"], lang, theirs, what, ours))
    w("")
    if checks:
        w("Consistency of `cidx stats --json` with `cidx dump` (one edge per call site):")
        w("")
        md.extend("- " + c for c in checks)
    else:
        w("`cidx stats --json` agrees with `cidx dump`: the same files and calls per "
          "language, one edge per call site.")
    w("")

    # 4. throughput
    w("## 4. Cold index throughput")
    w("")
    w("`cidx index --jobs 2` with a fresh `--db` and an empty `CIDX_CACHE_DIR` each run; "
      "MB/s = bytes of the source files cidx indexed (all its languages in the corpus) "
      "over the median wall time. `ctags -R` (single-threaded, the same languages) timed "
      "in the same rounds for reference. Target ≥ 14 MB/s on the Python standard library.")
    w("")
    w("| corpus | source files | source bytes | cidx median wall | MB/s | target | cidx CPU | peak RSS | ctags -R median wall | cidx/ctags |")
    w("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for r in results:
        n = r["name"]
        files = sum(L["files"] for L in r["languages"].values())
        nbytes = sum(L["bytes"] for L in r["languages"].values())
        split = ", ".join("%s %s" % (lang, fmt_mb(L["bytes"]))
                          for lang, L in sorted(r["languages"].items()))
        ci = runs.get("index." + n, [])
        ct = runs.get("ctags." + n, [])
        mi = statistics.median(ci) if ci else None
        mc = statistics.median(ct) if ct else None
        mcpu = statistics.median(cpu["index." + n]) if ci else None
        mbs = nbytes / 1e6 / mi if mi else None
        tgt = verdict(mbs >= 14) if n == "stdlib" and mbs is not None else ""
        w("| %s | %d | %s (%s) | %s | %s | %s | %s | %d MB | %s | %s |" % (
            n, files, fmt_mb(nbytes), split, fmt_s(mi) if mi else "–",
            "%.1f" % mbs if mbs else "–", tgt, fmt_s(mcpu) if mcpu else "–",
            rss.get("index." + n, 0) // 1024,
            fmt_s(mc) if mc else "–", "%.2f×" % (mi / mc) if mi and mc else "–"))
    w("")
    w("*cidx CPU*: user + system time of the index process (median; with `--jobs 2` "
      "up to twice the wall time).")
    w("")
    w("Per run (wall seconds): " + "; ".join(
        "%s %s" % (k, " ".join("%.2f" % x for x in v)) for k, v in sorted(runs.items())))
    w("")
    summaries = sorted((k, v) for k, v in meta.items() if k.startswith("index.") and ".summary." in k)
    if summaries:
        w("cidx's summary lines:")
        w("")
        for k, v in summaries:
            w("- %s: `%s`" % (k[len("index."):], v))
        w("")

    text = "\n".join(md) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    sys.stdout.write(text)

    mm = []
    m = mm.append
    m("# Misses of the issue-4 real-code check (examples)")
    m("")
    m("Generated by `bench/lang-check.sh %s` beside `%s`; do not edit. Up to --examples "
      "definitions per side, spread over the sorted misses. *ctags only*: ctags has it, "
      "cidx has no compared definition at that file, line and name (what cidx has there "
      "in brackets); *cidx only*: the reverse; *paired*: ctags' definitions found "
      "by cidx under another name at the same line or at another line (the cidx "
      "definition in brackets)." % (meta.get("args", ""), os.path.basename(a.out)))
    for r in results:
        for lang, groups in sorted(r.get("misses", {}).items()):
            for g, sides in groups.items():
                for side, other in (("ctags_only", "cidx"), ("cidx_only", "ctags"), ("paired", "cidx")):
                    items = sides.get(side, [])
                    if not items:
                        continue
                    m("")
                    m("## %s %s %s: %s" % (r["name"], lang, g, side.replace("_", " ")))
                    m("")
                    m("```")
                    for it in items:
                        m("%s:%d %s (%s) [%s: %s]  %s" % (it["file"], it["line"], it["name"],
                                                          it["kind"], other, it[other], it["text"]))
                    m("```")
    with open(a.misses_out, "w") as f:
        f.write("\n".join(mm) + "\n")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("--tsv", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--cwd", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("check-stats")
    p.add_argument("stats")
    p.set_defaults(fn=cmd_check_stats)
    p = sub.add_parser("ctags-languages")
    p.add_argument("dump")
    p.set_defaults(fn=cmd_ctags_languages)
    p = sub.add_parser("analyze")
    p.add_argument("--name", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--dump", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--stats")
    g.add_argument("--stats-missing")
    p.add_argument("--work", required=True)
    p.add_argument("--examples", type=int, default=15)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_analyze)
    p = sub.add_parser("report")
    p.add_argument("--runs", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--misses-out", required=True)
    p.add_argument("results", nargs="+")
    p.set_defaults(fn=cmd_report)
    a = ap.parse_args()
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
