#!/usr/bin/env python3
"""Check that the top-level modules of src/ form layers: no import cycles.

    scripts/check-layers.py [--edges] [SRC]

A module X imports Y when a file of X names `crate::Y` (in a path or a
`use crate::{Y, ..}` group) outside test code: `#[cfg(test)]` items and the
files of `#[cfg(test)] mod name;` are skipped, and so are comments and string
literals. main.rs is the root that wires everything and is left out.

With no cycle it prints the layer order, bottom first (a module may import
only modules of lower layers) and exits 0. With a cycle it lists each group
of modules that import each other, the edges inside it and the files behind
each edge, and exits 1.

--edges also prints every edge. scripts/test.sh runs it.
"""
import argparse
import collections
import os
import re
import sys


def blank(text):
    return re.sub(r"[^\n]", " ", text)


def strip_comments_and_strings(src):
    """Blank out comments, string and char literals, keeping every offset."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        word_before = i > 0 and (src[i - 1].isalnum() or src[i - 1] == "_")
        raw = None if word_before else re.match(r'b?r(#*)"', src[i:i + 260])
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
        elif raw:
            j = src.find('"' + raw.group(1), i + raw.end())
            j = n if j < 0 else j + 1 + len(raw.group(1))
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j += 1
        elif c == "'" and re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", src[i:i + 12]):
            # a char literal ('a', '\n', '\u{1F600}'), not a lifetime ('a)
            j = i + re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", src[i:i + 12]).end()
        else:
            out.append(c)
            i += 1
            continue
        out.append(blank(src[i:j]))
        i = j
    return "".join(out)


CFG_TEST = re.compile(r"#\[cfg\(test\)\]")
ATTR = re.compile(r"\s*#\[[^\]]*\]")


def drop_test_items(code, raw):
    """Remove #[cfg(test)] items; return (code, test module files named in it)."""
    test_mods = []
    while True:
        m = CFG_TEST.search(code)
        if not m:
            return code, test_mods
        j = m.end()
        path = None
        while True:  # further attributes on the same item
            a = ATTR.match(code, j)
            if not a:
                break
            # the literal is blanked in code; offsets are kept, so read it from raw
            p = re.match(r'\s*#\[path\s*=\s*"([^"]*)"\]', raw[a.start():a.end()])
            if p:
                path = p.group(1)
            j = a.end()
        semi = code.find(";", j)
        brace = code.find("{", j)
        if semi >= 0 and (brace < 0 or semi < brace):
            mm = re.match(r"\s*(pub(\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code[j:semi + 1])
            if mm:
                test_mods.append(path or mm.group(3))
            end = semi + 1
        elif brace >= 0:
            depth, k = 0, brace
            while k < len(code):
                if code[k] == "{":
                    depth += 1
                elif code[k] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            end = k + 1
        else:
            end = len(code)
        code = code[:m.start()] + blank(code[m.start():end]) + code[end:]


def names_used(code):
    """Top-level names reached through `crate::`."""
    names = set(re.findall(r"\bcrate\s*::\s*(\w+)", code))
    for m in re.finditer(r"\bcrate\s*::\s*\{", code):
        depth, k, start = 1, m.end(), m.end()
        items = []
        while k < len(code) and depth:
            ch = code[k]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    items.append(code[start:k])
            elif ch == "," and depth == 1:
                items.append(code[start:k])
                start = k + 1
            k += 1
        for it in items:
            w = re.match(r"\s*(\w+)", it)
            if w:
                names.add(w.group(1))
    return names


def graph(root):
    tops = set()
    for e in os.listdir(root):
        if e.endswith(".rs") and e != "main.rs":
            tops.add(e[:-3])
        elif os.path.isdir(os.path.join(root, e)):
            tops.add(e)
    files = {}
    test_files = set()
    for dp, _, fs in os.walk(root):
        for f in fs:
            if not f.endswith(".rs"):
                continue
            p = os.path.normpath(os.path.join(dp, f))
            raw = open(p, encoding="utf-8").read()
            code, mods = drop_test_items(strip_comments_and_strings(raw), raw)
            files[p] = code
            # where `mod name;` lives: beside mod.rs/main.rs, else in a folder named after the file
            base = dp if f in ("mod.rs", "main.rs") else os.path.join(dp, f[:-3])
            for name in mods:
                if name.endswith(".rs"):
                    test_files.add(os.path.normpath(os.path.join(dp, name)))
                else:
                    test_files.add(os.path.normpath(os.path.join(base, name + ".rs")))
                    test_files.add(os.path.normpath(os.path.join(base, name, "mod.rs")))
    edges = collections.defaultdict(set)
    where = collections.defaultdict(set)
    for p, code in files.items():
        if p in test_files:
            continue
        rel = os.path.relpath(p, root)
        top = rel.split(os.sep)[0]
        top = top[:-3] if top.endswith(".rs") else top
        if top == "main":
            continue
        for name in names_used(code):
            if name in tops and name != top:
                edges[top].add(name)
                where[(top, name)].add(rel)
    return tops, edges, where


def sccs(tops, edges):
    """Strongly connected groups of more than one module (Tarjan)."""
    idx, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        idx[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in idx:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(tops):
        if v not in idx:
            visit(v)
    return out


def layers(tops, edges):
    """Layer of each module: 0 imports nothing, else 1 + the highest it imports."""
    level = {}

    def lvl(v):
        if v not in level:
            level[v] = 1 + max((lvl(w) for w in edges[v]), default=-1)
        return level[v]

    for v in tops:
        lvl(v)
    by = collections.defaultdict(list)
    for v, n in level.items():
        by[n].append(v)
    return [sorted(by[n]) for n in sorted(by)]


def shortest_cycle(group, edges):
    """One shortest cycle through the group, as a list of modules."""
    best = None
    for start in sorted(group):
        prev, queue = {start: None}, [start]
        for v in queue:
            for w in sorted(edges[v] & set(group)):
                if w == start:
                    path = [v]
                    while prev[path[-1]] is not None:
                        path.append(prev[path[-1]])
                    cycle = path[::-1] + [start]
                    if best is None or len(cycle) < len(best):
                        best = cycle
                elif w not in prev:
                    prev[w] = v
                    queue.append(w)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "src"))
    ap.add_argument("--edges", action="store_true", help="also print every edge")
    args = ap.parse_args()
    tops, edges, where = graph(args.src)
    if args.edges:
        print("edges:")
        for a in sorted(tops):
            print(f"  {a} -> {' '.join(sorted(edges[a]))}")
    groups = sccs(tops, edges)
    if groups:
        print(f"{len(groups)} import cycle(s) between the top-level modules of {os.path.normpath(args.src)}:")
        for g in groups:
            print(f"  {' -> '.join(shortest_cycle(g, edges))}  (all of {' '.join(g)} reach each other)")
            for a in g:
                for b in sorted(edges[a] & set(g)):
                    print(f"    {a} -> {b}   ({', '.join(sorted(where[(a, b)]))})")
        print("cut one edge of each: move what it names to the module that owns its data, or down to domain")
        return 1
    print("no import cycle; layers, bottom first (a module imports only modules of layers below its own):")
    for i, layer in enumerate(layers(tops, edges)):
        print(f"  {i}: {' '.join(layer)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
