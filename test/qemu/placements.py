#!/usr/bin/env python3
"""Checks what hotshim printed against the SRAT, independently of its own
allocator: every placement line ("  kernel       [mem 0x...-0x...] ...")
must miss every hot-pluggable range of the SRAT lines printed with it
("SRAT: Node 1 PXM 1 [mem 0x...-0x...] hotplug", Linux's own words, which
the report tests compare with Linux's log).  With --same OTHER, the
placement lines of both files must be identical, in order.

  placements.py FILE [--srat SRATFILE] [--same OTHER] [--allow-none]

Exit 0 when all holds, 1 with one line per problem, 2 when FILE has no
placement line or the SRAT no hot-pluggable range (a check that could not
fail is a failure) unless --allow-none says a machine has none.
"""
import re
import sys

PLACED = re.compile(r"^  (\S.{11}) \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]")
HOT = re.compile(r"SRAT: Node \d+ PXM \d+ \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] hotplug")


def placements(text):
    out = []
    for line in text.splitlines():
        m = PLACED.match(line)
        if m and m.group(1).strip() != "hotshim":
            out.append((line, int(m.group(2), 16), int(m.group(3), 16)))
    return out


def main():
    args = sys.argv[1:]
    path = args[0]
    srat = args[args.index("--srat") + 1] if "--srat" in args else path
    other = args[args.index("--same") + 1] if "--same" in args else None
    text = open(path, errors="replace").read()
    hot = [(int(a, 16), int(b, 16)) for a, b in HOT.findall(open(srat, errors="replace").read())]
    placed = placements(text)
    if not placed:
        print("placements: no placement line in %s" % path)
        return 2
    if not hot and "--allow-none" not in args:
        print("placements: no hot-pluggable range in %s to check against" % srat)
        return 2
    bad = 0
    for line, a, z in placed:
        for ha, hz in hot:
            if a <= hz and ha <= z:
                print("placements: %s overlaps hot-pluggable [mem %#x-%#x]" % (line.strip(), ha, hz))
                bad += 1
    if other:
        mine = [p[0] for p in placed]
        theirs = [p[0] for p in placements(open(other, errors="replace").read())]
        if mine != theirs:
            print("placements: %s and %s differ:" % (path, other))
            for x, y in zip(mine + [""] * len(theirs), theirs + [""] * len(mine)):
                if x != y:
                    print("  %s\n  %s" % (x or "(none)", y or "(none)"))
                    break
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
