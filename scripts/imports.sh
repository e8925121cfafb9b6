#!/bin/sh
# The `use crate::` graph between modules: one "from -> to" edge a line, then a
# topological order, then any cycles. Test modules (`#[cfg(test)]` to the end of a file)
# are left out: tests may reach anywhere. Run from the repository root:
#   sh scripts/imports.sh
exec python3 - "$@" <<'PY'
import os, re, sys

src = "src"
files = {}
for d, _, names in os.walk(src):
    for n in names:
        if n.endswith(".rs"):
            p = os.path.join(d, n)
            rel = os.path.relpath(p, src)
            parts = rel[:-3].split(os.sep)
            files[p] = "lib" if parts == ["lib"] else "main" if parts == ["main"] else parts[0]

lib = open(os.path.join(src, "lib.rs"), encoding="utf-8").read()
modules = set(re.findall(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+(\w+)\s*;", lib, re.M))
# `pub use config::Config;` at the root: `crate::Config` is config's.
reexports = {}
for m, items in re.findall(r"^\s*pub(?:\([a-z]+\))?\s+use\s+(\w+)::(\{[^}]*\}|\w+)\s*;", lib, re.M):
    for item in re.findall(r"\w+", items):
        reexports[item] = m

def target(name):
    if name in modules:
        return name
    return reexports.get(name, "lib")

edges = set()
for p, mod in files.items():
    text = open(p, encoding="utf-8").read()
    text = text.split("#[cfg(test)]")[0]
    text = re.sub(r"//[^\n]*", "", text)
    if mod == "lib":
        # the root's `pub use` lines are the public face, not dependencies
        text = re.sub(r"^\s*pub use [^;]*;", "", text, flags=re.M)
    prefix = r"rapport" if mod == "main" else r"crate"
    refs = []
    for group in re.findall(prefix + r"::\{([^;]*?)\}", text, re.S):
        # top-level names of a brace group: drop nested groups first
        while re.search(r"\{[^{}]*\}", group):
            group = re.sub(r"\{[^{}]*\}", "", group)
        refs += re.findall(r"(?:^|,)\s*(\w+)", group)
    refs += re.findall(prefix + r"::(\w+)", text)
    if mod == "lib":
        # the root names its modules without `crate::`
        refs += [m for m in re.findall(r"(?<![\w:])(\w+)::", text) if m in modules]
    for r in refs:
        t = target(r)
        if t != mod:
            edges.add((mod, t))

for a, b in sorted(edges):
    print(f"{a} -> {b}")

nodes = sorted(set(files.values()))
out = {n: sorted(b for a, b in edges if a == n) for n in nodes}
# Tarjan's strongly connected components: any with more than one module is a cycle.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in out[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for n in nodes:
    if n not in index:
        strong(n)
cycles = [c for c in sccs if len(c) > 1]
if cycles:
    for c in cycles:
        print("cycle: " + " <-> ".join(c))
    sys.exit(1)
# Tarjan emits components dependencies-first: a leaf comes before what imports it.
print("order (imported first): " + " < ".join(c[0] for c in sccs))
print("acyclic")
PY
