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
libefi=$(nm build/hotshim.so | grep -wE 'UnicodeSPrint|LibLocateHandle|DevicePathToStr|LibFileInfo' || true)
if [ -z "$libefi" ]; then pass; else
	fail "binary: hotshim.so links libefi: $libefi"
fi
echo "host: hotshim.efi is $efi_size bytes"
