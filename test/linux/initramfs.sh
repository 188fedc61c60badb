#!/bin/bash
# Builds build/linux/e2e-initramfs.cpio: a busybox-static initramfs whose
# init prints Linux's SRAT lines and what it reserved, what hotshim-report
# says of the running machine (text, JSON, Prometheus), tries to offline
# every memory block of every node but node 0 (all hot-pluggable in the
# end-to-end machines), prints the counts and a verdict per node on the
# serial console, then powers off.  Needs root (mknod) and busybox-static.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/linux/e2e-initramfs.cpio
mkdir -p build/linux
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys}
cp /bin/busybox "$root/bin/busybox"
# hotshim-report, static (make linux builds it), and efivarfs for LoaderInfo
strip -o "$root/bin/hotshim-report" build/host/hotshim-report-static
mkdir -p "$root/modules"
cp build/linux/modules/kernel/fs/efivarfs/efivarfs.ko "$root/modules/"
mknod -m 600 "$root/dev/console" c 5 1
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
insmod /modules/efivarfs.ko 2>/dev/null
mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
echo "hotshim-e2e: start"
dmesg | sed 's/^\[[^]]*\] //' | grep -E '^ACPI: SRAT: |^ACPI: \[SRAT:|Movable zone|movable_node|BGRT' |
	sed 's/^/hotshim-e2e: dmesg: /'
echo "hotshim-e2e: cmdline $(cat /proc/cmdline)"
# with hotshim-tpm (test/qemu/tpm.test.sh): the TPM's SHA-256 PCRs and the
# event log Linux was handed, in base64, and nothing else
case " $(cat /proc/cmdline) " in *" hotshim-tpm "*)
	mount -t securityfs securityfs /sys/kernel/security
	for i in 0 1 2 3 4 5 6 7 8 9 12; do
		echo "hotshim-e2e: pcr $i $(cat /sys/class/tpm/tpm0/pcr-sha256/$i 2>&1)"
	done
	echo "hotshim-e2e: tpm log begin"
	base64 /sys/kernel/security/tpm0/binary_bios_measurements 2>&1
	echo "hotshim-e2e: tpm log end"
	echo "hotshim-e2e: done"
	poweroff -f ;;
esac
# the zero page's table, then with SETUP_E820_EXT's entries added
# (arch/x86/kernel/e820.c, e820__memory_setup_extended())
echo "hotshim-e2e: e820 $(dmesg | grep -c 'BIOS-e820: \[mem') entries, $(dmesg | grep -c 'extended: \[mem') extended"
# pages each node has in ZONE_MOVABLE ("Node 1, zone  Movable" ... "present N")
awk '/^Node /{ n = $2; sub(",", "", n); m = ($4 == "Movable"); next }
	m && $1 == "present" { print n, $2 }' /proc/zoneinfo >/movable
# what hotshim-report says before anything is offlined, in its three
# forms; with "quiet" (make run's demo) the text alone
formats="text json prometheus"
case " $(cat /proc/cmdline) " in *" quiet "*) formats=text ;; esac
for f in $formats; do
	case $f in text) opt= ;; *) opt=--$f ;; esac
	hotshim-report $opt >/report.$f 2>&1
	echo "hotshim-e2e: report $f exit $?"
	sed "s/^/hotshim-e2e: $f: /" /report.$f
done
. /offline-block.sh
for n in /sys/devices/system/node/node[0-9]*; do
	node=${n##*node}
	[ "$node" = 0 ] && continue
	movable=$(awk -v n="$node" '$1 == n { print $2 }' /movable)
	echo "hotshim-e2e: node $node movable ${movable:-0} pages present"
	total=0; ok=0
	for m in "$n"/memory[0-9]*; do
		[ -e "$m/state" ] || continue
		total=$((total + 1))
		if offline_block "$m"; then ok=$((ok + 1)); fi
	done
	echo "hotshim-e2e: node $node offlined $ok of $total blocks"
	if [ "$total" -gt 0 ] && [ "$ok" = "$total" ] && [ "${movable:-0}" -gt 0 ]; then
		echo "hotshim-e2e: verdict: node $node is removable: all $total memory blocks went offline, $((movable / 256)) MiB were in ZONE_MOVABLE"
	else
		echo "hotshim-e2e: verdict: node $node is NOT removable: $ok of $total memory blocks went offline, $((${movable:-0} / 256)) MiB in ZONE_MOVABLE"
	fi
done
echo "hotshim-e2e: fb0 $(cat /sys/class/graphics/fb0/name 2>/dev/null || echo none)"
# the boot logo as Linux took it from the BGRT (drivers/firmware/efi/efi-bgrt.c):
# its first two bytes in hex ("BM" is 424d) and its size, or none
if [ -e /sys/firmware/acpi/bgrt/image ]; then
	echo "hotshim-e2e: bgrt image $(od -An -tx1 -N2 /sys/firmware/acpi/bgrt/image | tr -d " ") $(wc -c </sys/firmware/acpi/bgrt/image) bytes"
else
	echo "hotshim-e2e: bgrt image none"
fi
echo "hotshim-e2e: done"
poweroff -f
INIT
chmod +x "$root/init"
cp test/linux/offline-block.sh "$root/offline-block.sh"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) >"$out"
