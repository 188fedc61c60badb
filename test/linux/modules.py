#!/usr/bin/env python3
"""The kernel modules a guest needs, in load order.  A kernel package
ships no modules.dep (depmod makes it on install), so each module's own
.modinfo says what it depends on ("depends=a,b").

  modules.py MODULES_DIR NAME...   prints the paths below MODULES_DIR,
                                   dependencies first (as insmod needs them)
"""
import os
import re
import sys

FIELD = re.compile(rb"(?:^|\x00)(name|depends)=([^\x00]*)")


def scan(top):
    mods = {}
    for d, _, files in os.walk(top):
        for f in files:
            if not f.endswith(".ko"):
                continue
            path = os.path.join(d, f)
            info = dict((k.decode(), v.decode()) for k, v in FIELD.findall(open(path, "rb").read()))
            name = info.get("name") or f[:-3]
            deps = [x for x in info.get("depends", "").split(",") if x]
            mods[name.replace("-", "_")] = (os.path.relpath(path, top), [x.replace("-", "_") for x in deps])
    return mods


def main():
    top, names = sys.argv[1], sys.argv[2:]
    mods = scan(top)
    order, seen = [], set()

    def visit(n):
        if n in seen:
            return
        if n not in mods:
            sys.exit("modules: no module %s below %s" % (n, top))
        seen.add(n)
        for d in mods[n][1]:
            visit(d)
        order.append(mods[n][0])
    for n in names:
        visit(n.replace("-", "_"))
    print("\n".join(order))


if __name__ == "__main__":
    main()
