#!/usr/bin/env python3
"""Makes broken or moved variants of an ELF64 file for hotshim's tests.

  elf-patch.py IN OUT machine=N      set e_machine
  elf-patch.py IN OUT move=DELTA     add DELTA (may be negative) to every
                                     PT_LOAD's p_vaddr/p_paddr and e_entry
  elf-patch.py IN OUT pie-memsz=N    make it ET_DYN with the last PT_LOAD's
                                     p_memsz set to N
"""
import struct
import sys


def main():
    src, dst, what = sys.argv[1:4]
    key, _, val = what.partition("=")
    n = int(val, 0)
    b = bytearray(open(src, "rb").read())
    phoff, = struct.unpack_from("<Q", b, 32)
    phentsize, phnum = struct.unpack_from("<HH", b, 54)
    loads = [phoff + i * phentsize for i in range(phnum)
             if struct.unpack_from("<I", b, phoff + i * phentsize)[0] == 1]
    if key == "machine":
        struct.pack_into("<H", b, 18, n)
    elif key == "move":
        entry, = struct.unpack_from("<Q", b, 24)
        struct.pack_into("<Q", b, 24, entry + n)
        for ph in loads:
            v, p = struct.unpack_from("<QQ", b, ph + 16)
            struct.pack_into("<QQ", b, ph + 16, v + n, p + n)
    elif key == "pie-memsz":
        struct.pack_into("<H", b, 16, 3)
        struct.pack_into("<Q", b, loads[-1] + 40, n)
    else:
        sys.exit("elf-patch: unknown change " + key)
    open(dst, "wb").write(b)


if __name__ == "__main__":
    main()
