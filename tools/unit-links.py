#!/usr/bin/env python3
"""Rewrites the "/* links: ... */" line of each unit test (test/unit/) to
the sources whose objects it needs, found from the symbols of the host
objects (build/host/san/, so `make` first).  Run it after moving a
function; `make check` links each test with only what its line names.

  tools/unit-links.py [TEST.c ...]     (default: every unit test)
"""
import glob
import os
import subprocess
import sys

SAN = ["-std=gnu11", "-O1", "-g", "-fsanitize=address,undefined", "-I."]


def nm(obj):
    defs, undef = set(), set()
    for line in subprocess.run(["nm", obj], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDRB":
            defs.add(p[2])
        elif len(p) == 2 and p[0] == "U":
            undef.add(p[1])
    return defs, undef


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    where, needs = {}, {}
    for obj in glob.glob("build/host/san/**/*.o", recursive=True):
        src = obj[len("build/host/san/"):-2] + ".c"
        if not os.path.exists(src):
            continue
        defs, undef = nm(obj)
        needs[src] = undef
        for s in defs:
            where[s] = src
    tests = sys.argv[1:] or sorted(glob.glob("test/unit/**/*.c", recursive=True))
    for t in tests:
        obj = "/tmp/unit-links-%d.o" % os.getpid()
        subprocess.run(["gcc"] + SAN + ["-c", t, "-o", obj], check=True)
        todo, srcs = list(nm(obj)[1]), set()
        os.unlink(obj)
        while todo:
            s = todo.pop()
            src = where.get(s)
            if src and src not in srcs:
                srcs.add(src)
                todo.extend(needs[src])
        me = t[len("test/unit/"):]
        order = ([me] if me in srcs else []) + sorted(srcs - {me})
        lines = [l for l in open(t).read().split("\n") if not l.startswith("/* links: ")]
        at = next(i for i, l in enumerate(lines) if "*/" in l) + 1
        lines.insert(at, "/* links: %s */" % " ".join(order))
        open(t, "w").write("\n".join(lines))
        print("%s: %s" % (t, " ".join(order)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
