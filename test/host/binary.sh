# Sourced by test/check.sh: hotshim.efi stays within its size budget of
# 96 KiB (issue 17; systemd-boot 252 is 137.6 KiB), carries no COFF symbol
# table, and links none of gnu-efi's libefi (efi/lib.c has what it uses).
# Uses pass/fail.  `make bench` prints the figures beside systemd-boot's.

efi_size=$(stat -c %s build/hotshim.efi)
if [ "$efi_size" -le $((96 * 1024)) ]; then pass; else
	fail "binary: hotshim.efi is $efi_size bytes, over its budget of $((96 * 1024))"
fi
if objdump -t build/hotshim.efi | grep -qx 'no symbols'; then
	pass
else
	fail "binary: hotshim.efi carries a symbol table (objcopy --strip-all)"
fi
# any function libefi.a defines that efi/lib.c does not means it was linked
libefi=$(comm -12 <(nm --defined-only /usr/lib/libefi.a 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u) \
	<(nm --defined-only build/hotshim.so | awk '$2 ~ /[Tt]/ { print $3 }' | sort -u) |
	comm -23 - <(nm --defined-only build/efi/efi/lib.o | awk '$2 == "T" { print $3 }' | sort -u) |
	tr '\n' ' ')
if [ -n "$(nm --defined-only /usr/lib/libefi.a 2>/dev/null | awk '$2 == "T"' | head -n 1)" ] &&
	[ -z "$libefi" ]; then pass; else
	fail "binary: hotshim.so links libefi (${libefi:-libefi.a unreadable})"
fi
echo "host: hotshim.efi is $efi_size bytes"

# The .sbat section shim reads (SBAT.md): exactly the CSV, shim's own
# first line, then hotshim's; one NUL after it, as systemd-boot has.
want=$(printf 'sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\nhotshim,1,hotshim developers,hotshim,%s,https://github.com/hotshim/hotshim\n' \
	"$(sed -n 's/^#define HS_VERSION "\(.*\)"/\1/p' lib/hs.h)" | od -An -c)
objcopy -O binary --only-section=.sbat build/hotshim.efi "$LOG/binary-sbat.bin"
if [ "$(objdump -h build/hotshim.efi | grep -c ' \.sbat ')" = 1 ] &&
	[ "$(head -c -1 "$LOG/binary-sbat.bin" | od -An -c)" = "$want" ] &&
	[ "$(tail -c 1 "$LOG/binary-sbat.bin" | od -An -tx1)" = " 00" ]; then
	pass
else
	fail "binary: hotshim.efi's .sbat section is not the one expected"
fi
# tools/pe-pack.c: the PE header right after the MZ header, the headers in
# one 512-byte block, every section's data where objdump and sbverify
# find it (the image is signed above), the CheckSum objcopy would write
if [ "$(od -An -tx4 -j 60 -N 4 build/hotshim.efi)" = " 00000040" ] &&
	objdump -p build/hotshim.efi | grep -q 'SizeOfHeaders.*00000200' &&
	[ "$(objdump -h build/hotshim.efi | awk '$2 == ".text" { print $6 }')" = 00000200 ] &&
	sbverify --cert /usr/share/ovmf/PkKek-1-snakeoil.pem build/hotshim.signed.efi >/dev/null 2>&1; then
	pass
else
	fail "binary: hotshim.efi's headers are not packed (tools/pe-pack.c)"
fi
# objcopy's image again: packed, it is hotshim.efi byte for byte, and its
# PE CheckSum is what an independent sum (below, in Python) makes of it
objcopy -j .text -j .sdata -j .data -j .dynamic -j .rodata -j .rel -j .rela -j '.rel.*' \
	-j '.rela.*' -j .reloc -j .sbat --strip-all --target efi-app-x86_64 --subsystem=10 \
	build/hotshim.so "$LOG/binary-objcopy.efi"
pe_checksum() { # FILE: the CheckSum field, then the sum of the file without it
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
at = struct.unpack_from("<I", b, 0x3c)[0] + 24 + 64
field = struct.unpack_from("<I", b, at)[0]
b[at:at + 4] = bytes(4)
if len(b) % 2:
    b.append(0)
s = 0
for (w,) in struct.iter_unpack("<H", bytes(b)):
    s += w
    s = (s & 0xffff) + (s >> 16)
print(field, (s & 0xffff) + len(open(sys.argv[1], "rb").read()))
PY
}
if build/host/pe-pack "$LOG/binary-objcopy.efi" "$LOG/binary-packed.efi" 2>/dev/null &&
	cmp -s "$LOG/binary-packed.efi" build/hotshim.efi &&
	[ "$(stat -c %s build/hotshim.efi)" = $(($(stat -c %s "$LOG/binary-objcopy.efi") - 512)) ] &&
	read -r have want < <(pe_checksum build/hotshim.efi) && [ "$have" = "$want" ]; then
	pass
else
	fail "binary: pe-pack of objcopy's image is not hotshim.efi, or its CheckSum is wrong"
fi
# pe-pack leaves alone what it does not know: a text file; objcopy's image
# signed (the certificate covers the headers)
printf 'not a PE\n' >"$LOG/binary-text"
sbsign --key build/sb/snakeoil.key --cert /usr/share/ovmf/PkKek-1-snakeoil.pem \
	--output "$LOG/binary-objcopy.signed.efi" "$LOG/binary-objcopy.efi" >/dev/null 2>&1
if build/host/pe-pack "$LOG/binary-text" "$LOG/binary-text.out" 2>/dev/null &&
	cmp -s "$LOG/binary-text" "$LOG/binary-text.out" &&
	build/host/pe-pack "$LOG/binary-objcopy.signed.efi" "$LOG/binary-signed.out" 2>/dev/null &&
	cmp -s "$LOG/binary-objcopy.signed.efi" "$LOG/binary-signed.out"; then
	pass
else
	fail "binary: pe-pack changed a file it should leave as it is"
fi
