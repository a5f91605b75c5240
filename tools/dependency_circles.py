#!/usr/bin/env python3
"""dependency_circles.py - finds circles among the .c files of each folder given.

A file depends on another when it uses a non-static lo_* function the other one
defines. The engine is layered (leaves, matching, loading, tools: see
src/engine/meson.build); a circle means two files can only be understood together.
Prints each circle with the functions that close it; exits 1 if there is any.

Usage: dependency_circles.py DIR [DIR ...]
"""
import re
import sys
from pathlib import Path

DEFINITION = re.compile(r"^[A-Za-z][\w \*]*?\b(lo_\w+)\([^;{]*?\)\s*\n\{", re.M)
USE = re.compile(r"\b(lo_\w+)\b")


def circles(folder):
    texts = {p: p.read_text() for p in sorted(Path(folder).glob("*.c"))}
    owner = {}
    for path, text in texts.items():
        for m in DEFINITION.finditer(text):
            if not m.group(0).startswith("static"):
                owner.setdefault(m.group(1), path)
    uses = {p: {owner[n] for n in set(USE.findall(t)) if owner.get(n) not in (None, p)}
            for p, t in texts.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in uses[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    for v in texts:
        if v not in index:
            visit(v)
    for comp in found:
        print("circle:", " ".join(sorted(p.name for p in comp)))
        for a in comp:
            for b in uses[a] & set(comp):
                names = sorted(n for n in set(USE.findall(texts[a])) if owner.get(n) == b)
                print(f"  {a.name} -> {b.name}: {', '.join(names[:5])}")
    return len(found)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    total = sum(circles(d) for d in sys.argv[1:])
    print(f"{total} circle(s) in {len(sys.argv) - 1} folder(s)")
    sys.exit(1 if total else 0)


main()
