#!/usr/bin/env python3
"""Copy an ACPI table, set bytes, fix the checksum: odd tables iasl won't write.

usage: acpi-patch.py IN OUT OFFSET=BYTE [OFFSET=BYTE ...]   (numbers in C syntax)
"""
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip())
    data = bytearray(open(sys.argv[1], "rb").read())
    for spec in sys.argv[3:]:
        off, _, val = spec.partition("=")
        off, val = int(off, 0), int(val, 0)
        if not 36 <= off < len(data) or not 0 <= val <= 255:
            sys.exit("acpi-patch: %s: offset must be in [36, %d), byte in [0, 255]" % (spec, len(data)))
        data[off] = val
    data[9] = 0
    data[9] = (-sum(data)) & 0xFF
    open(sys.argv[2], "wb").write(data)


if __name__ == "__main__":
    main()
