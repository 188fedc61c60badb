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
