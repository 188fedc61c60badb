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
}
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder(path):
    return path.split("/")[0]


def includes():
    graph, bad = {}, []
    for path in sorted(glob.glob("*/*.[chS]") + glob.glob("include/hotshim/*.h")):
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


def calls(objs):
    defs, uses = symbols(objs)
    edge = {(o, defs[s]) for o, ss in uses.items() for s in ss if s in defs and defs[s] != o}
    return sorted("%s and %s call each other" % (a, b) for a, b in edge if (b, a) in edge and a < b)


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
    graph, bad = includes()
    pure = [o for o in glob.glob("build/host/opt/*/*.o")]
    efi = [o for o in glob.glob("build/efi/*/*.o")]
    if not pure or not efi:
        print("layers: no objects in build/host/opt or build/efi (build first)")
        return 1
    bad += calls(pure) + calls(efi)
    for top in ["efi", "core", "acpi", "x86", "lib", "include"]:
        print("layers: %s/ -> %s" % (top, ", ".join(d + "/" for d in sorted(graph.get(top, ()))) or "nothing"))
    for b in bad:
        print("layers: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
