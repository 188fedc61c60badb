#!/usr/bin/env python3
"""The shape of the tree (STYLE.md): includes run efi/ -> core/ -> acpi/,
x86/ -> lib/ and never back up, and no two source files call each other.

  layers.py    prints the folder graph and each breach; exit 1 on any
"""
import glob
import os
import re
import subprocess
import sys

# what each folder may include, besides itself and the C library
MAY = {
    "lib": set(),
    "include": set(),
    "acpi": {"lib"},
    "x86": {"lib"},
    "core": {"acpi", "x86", "lib", "include"},
    "efi": {"core", "acpi", "x86", "lib", "include"},
    "tools": {"core", "acpi", "x86", "lib", "include"},
}
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder(path):
    return path.split("/")[0]


def includes():
    graph, bad = {}, []
    for path in sorted(glob.glob("*/*.[chS]") + glob.glob("include/hotshim/*.h") +
                       glob.glob("tools/host/*.[ch]")):
        top = folder(path)
        if top not in MAY:
            continue
        for inc in INC.findall(open(path).read()):
            target = os.path.normpath(os.path.join(os.path.dirname(path), inc))
            dest = folder(target)
            if dest == top:
                continue
            graph.setdefault(top, set()).add(dest)
            if dest not in MAY[top]:
                bad.append("%s includes %s: %s/ may not look up at %s/" % (path, inc, top, dest))
    return graph, bad


def symbols(objs):
    defs, uses = {}, {}
    for o in objs:
        out = subprocess.run(["nm", o], capture_output=True, text=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDRB":
                defs[p[2]] = o
            elif len(p) == 2 and p[0] == "U":
                uses.setdefault(o, set()).add(p[1])
    return defs, uses


def source_of(obj):
    for prefix in ("build/efi/", "build/host/opt/"):
        if obj.startswith(prefix):
            base = obj[len(prefix):-2]
            return base + ".c" if os.path.exists(base + ".c") else base + ".S"
    return obj


def calls(objs):
    """Breaches among these objects: a call up the layers, or files that
    call each other, directly or round a longer cycle."""
    defs, uses = symbols(objs)
    edges = {}
    for o, ss in uses.items():
        for s in ss:
            if s in defs and defs[s] != o:
                edges.setdefault(source_of(o), set()).add(source_of(defs[s]))
    bad = []
    for a, targets in sorted(edges.items()):
        for b in sorted(targets):
            if folder(b) != folder(a) and folder(b) not in MAY.get(folder(a), set()):
                bad.append("%s calls %s: %s/ may not call up into %s/" % (a, b, folder(a), folder(b)))
    for cycle in cycles(edges):
        bad.append("files call each other: " + " -> ".join(cycle + [cycle[0]]))
    return bad


def cycles(edges):
    """Strongly connected groups of more than one file (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
    graph, bad = includes()
    # objects of sources that exist: a stale object of a moved file is no part of the tree
    pure = [o for o in glob.glob("build/host/opt/*/*.o") + glob.glob("build/host/opt/tools/host/*.o")
            if os.path.exists(source_of(o))]
    efi = [o for o in glob.glob("build/efi/*/*.o") if os.path.exists(source_of(o))]
    if not pure or not efi:
        print("layers: no objects in build/host/opt or build/efi (build first)")
        return 1
    bad += calls(pure) + calls(efi)
    for top in ["tools", "efi", "core", "acpi", "x86", "lib", "include"]:
        print("layers: %s/ -> %s" % (top, ", ".join(d + "/" for d in sorted(graph.get(top, ()))) or "nothing"))
    for b in bad:
        print("layers: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
