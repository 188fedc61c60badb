# Sourced by the Linux guests' inits (test/linux/initramfs.sh, bootctl.sh,
# install-guest.sh), which their builders give /offline-block.sh.
# offline_block DIR: offline one memory block.  The kernel retries a page
# it cannot migrate until a signal arrives (mm/memory_hotplug.c,
# offline_pages()), so each try is cut off after 60 s and named, and the
# block gets three tries: the boot always reaches its end.
offline_block() {
	for try in 1 2 3; do
		[ "$(cat "$1/state")" = offline ] && return 0
		timeout 60 sh -c 'echo offline >"$1/state"' sh "$1" 2>/dev/null && return 0
		echo "hotshim-e2e: ${1##*/} try $try: $(cat "$1/state")"
	done
	return 1
}
