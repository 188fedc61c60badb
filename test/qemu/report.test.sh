# Sourced by test/check.sh: hotshim.efi under OVMF on each QEMU machine,
# compared line for line with what Linux printed on the same machine
# (test/qemu/ref/, made by test/qemu/linux-ref.sh).  Uses pass/fail.


for args in test/qemu/machines/*.args; do
	n=$(basename "$args" .args)
	ref=test/qemu/ref/$n.linux.txt
	log=$Q/$n.log
	esp=(--esp build/hotshim.efi:/hotshim.efi)
	cmd='hotshim.efi report --linux'
	if [ -f "test/qemu/machines/$n.initrd" ]; then
		# the same override Linux got, in front of a compressed initrd
		cat "$(cat "test/qemu/machines/$n.initrd")" build/initrd/main.cpio.gz >"$Q/$n.initrd.img"
		esp+=(--esp "$Q/$n.initrd.img:/boot/initrd.img")
		cmd='hotshim.efi report --linux initrd=\boot\initrd.img'
	fi
	if ! python3 tools/qemu-run.py --quiet --machine "$args" --timeout 180 \
		"${esp[@]}" --cmd "$cmd" --cmd "${cmd/ --linux/} --json" --log "$log"; then
		fail "qemu $n: boot did not finish (see $log)"
		continue
	fi
	segment "$log" 0 >"$Q/$n.out"
	st=$(status_of "$log" 0)
	if [ "$st" != "0x0" ]; then
		fail "qemu $n: hotshim.efi report returned '$st'"
		continue
	fi
	# the same report as JSON: valid against docs/report.schema.json, and
	# saying what the text said (hot-pluggable bytes, nodes, distances)
	segment "$log" 1 >"$Q/$n.json"
	jq_() { /usr/bin/python3 test/host/formats.py get "$Q/$n.json" "$1"; }
	hp=$(sed -n 's/^hotpluggable: .* (\(0x[0-9a-f]*\) bytes) in .*/\1/p' "$Q/$n.out")
	nodes=$(sed -n 's/^Linux uses this SRAT: \([0-9]*\) nodes*$/\1/p' "$Q/$n.out")
	if [ "$(status_of "$log" 1)" = 0x0 ] &&
		j=$(/usr/bin/python3 test/host/formats.py json "$Q/$n.json") &&
		[ "$(jq_ '"%#x" % d["hotplug_bytes"] if d["srat"] and d["srat"]["used"] else ""')" = "$hp" ] &&
		[ "$(jq_ 'str(len(d["nodes"])) if d["srat"] and d["srat"]["used"] else ""')" = "$nodes" ] &&
		[ "$(jq_ 'd["origin"]')" = efi ]; then
		pass
	else
		fail "qemu $n: report --json: status $(status_of "$log" 1); ${j:-it differs from the text report} ($Q/$n.json)"
	fi
	if [ -f "test/qemu/ref/$n.distance.txt" ]; then
		jq_ '"\n".join(" ".join(str(x) for x in [i] + r) for i, r in enumerate(d["distances"]["matrix"]))' >"$Q/$n.json-distance"
		if cmp -s "$Q/$n.json-distance" "test/qemu/ref/$n.distance.txt"; then pass; else
			fail "qemu $n: report --json: distances differ from Linux's sysfs"; fi
	fi
	if [ ! -s "$ref" ]; then
		# Linux printed no SRAT line: QEMU built no SRAT
		if grep -qx 'no SRAT: firmware describes one node' "$Q/$n.out"; then pass; else
			fail "qemu $n: expected 'no SRAT: firmware describes one node'"; fi
		continue
	fi
	# section 1: Linux's "ACPI: " lines (memory lines and SRAT errors)
	sed '/^Linux 6.1 log lines for this SRAT:$/,$d' "$Q/$n.out" |
		grep -E '^(SRAT: |\[SRAT:)' >"$Q/$n.mem"
	sed -n 's/^ACPI: \(SRAT: \|\[SRAT:\)/\1/p' "$ref" >"$Q/$n.want-mem"
	# Linux's log, as linux-ref.sh keeps it: SRAT and memblk lines, less the
	# two lines that only say where QEMU put the table
	keep() { grep -E 'SRAT|memblk' |
		grep -v -E '^ACPI: SRAT 0x[0-9A-F]+ [0-9A-F]+ \(v|^ACPI: Reserving SRAT table memory|Physical table override'; }
	sed -n '/^Linux 6.1 log lines for this SRAT:$/,/^end of Linux log lines$/p' "$Q/$n.out" |
		sed '1d;$d' | keep >"$Q/$n.linux"
	keep <"test/qemu/ref/$n.linux-full.txt" >"$Q/$n.want-linux"
	if [ -s "$Q/$n.mem" ] && cmp -s "$Q/$n.mem" "$Q/$n.want-mem"; then pass; else
		fail "qemu $n: report lines differ from Linux's"
		diff "$Q/$n.mem" "$Q/$n.want-mem" | head -n 8
	fi
	if cmp -s "$Q/$n.linux" "$Q/$n.want-linux"; then pass; else
		fail "qemu $n: Linux log lines differ from Linux's"
		diff "$Q/$n.linux" "$Q/$n.want-linux" | head -n 8
	fi
	# Linux's own verdict: dummy_numa_init() says "No NUMA configuration found"
	want="Linux uses this SRAT: "
	grep -q '^No NUMA configuration found' "test/qemu/ref/$n.linux-full.txt" &&
		want="Linux does not use this SRAT, "
	if grep -q "^$want" "$Q/$n.out" && grep -q '^hotpluggable: ' "$Q/$n.out"; then
		pass
	else
		fail "qemu $n: verdict is not '$want...', or no closing line"
	fi
	# what pins the hot-pluggable node: OVMF keeps the ACPI tables in the
	# pinned machine's node 1 ([1 GiB, 2 GiB)); nothing in the node 1 of demo
	# (firmware SRAT) and two-nodes-override (initrd override)
	case $n in
	# (its boot-services memory lies outside the hot-pluggable window, so
	# the boot keeps it too: Linux reserves it early)
	pinned) want_pin='^node 1: cannot be made removable: [0-9]+ ACPI tables and [0-9]+ boot-services ranges the boot keeps lie in it and cannot move \(memory block 15\)$' ;;
	demo | two-nodes-override) want_pin='^node 1: nothing the firmware placed pins it$' ;;
	*) want_pin= ;;
	esac
	# the plan (committed for real) misses every hot-pluggable range of
	# the SRAT lines just compared with Linux's, when Linux uses the table
	srat_of=$Q/$n.out
	[ "$want" = "Linux uses this SRAT: " ] || srat_of=/dev/null
	if grep -q '^  page tables  \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] node [0-9]*, .* pages, the minimum for identity map' "$Q/$n.out" &&
		python3 test/qemu/placements.py "$Q/$n.out" --srat "$srat_of" --allow-none; then
		pass
	else
		fail "qemu $n: no placement plan, or one in hot-pluggable memory"
	fi
	if [ -n "$want_pin" ]; then
		if grep -qE "$want_pin" "$Q/$n.out"; then pass; else
			fail "qemu $n: no line matching '$want_pin'"; fi
	fi
	# the CXL windows' nodes (test/qemu/machines/cxl*.args): Linux's possible
	# nodes as its sysfs showed them, in the text and the JSON report
	if [ -f "test/qemu/ref/$n.possible.txt" ]; then
		got=$(sed -n "s/^Linux's possible nodes: //p" "$Q/$n.out")
		want=$(cat "test/qemu/ref/$n.possible.txt")
		jn=$(jq_ 'd["cxl"]["possible_nodes"]')
		if [ -n "$got" ] && [ "$got" = "$want" ] && [ "0-$((jn - 1))" = "$want" ]; then pass; else
			fail "qemu $n: possible nodes '$got' (JSON $jn), Linux's sysfs '$want'"; fi
	fi
	# the node distances, as Linux's sysfs showed them on this machine
	if [ -f "test/qemu/ref/$n.distance.txt" ]; then
		sed -n '/^node distances /,/^$/p' "$Q/$n.out" | sed -n 's/^ *\([0-9]*\): */\1 /p' |
			tr -s ' ' >"$Q/$n.distance"
		if [ -s "$Q/$n.distance" ] && cmp -s "$Q/$n.distance" "test/qemu/ref/$n.distance.txt"; then
			pass
		else
			fail "qemu $n: node distances differ from Linux's sysfs"
			diff "$Q/$n.distance" "test/qemu/ref/$n.distance.txt" | head -n 6
		fi
		# and the SLIT refused exactly when Linux refused it
		a=$(grep -c '^ACPI: SLIT table looks invalid. Not used.$' "test/qemu/ref/$n.linux-full.txt")
		b=$(grep -c '^node distances (SLIT not used, SLIT table looks invalid. Not used.' "$Q/$n.out")
		if [ "$a" = "$b" ]; then pass; else
			fail "qemu $n: Linux refused the SLIT $a times, the report $b"
		fi
	fi
done
echo "qemu: report on $(ls test/qemu/machines/*.args | wc -l) machines"

# Usage and errors from the shell, with the EFI status the shell saw.
log=$Q/cli.log
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 180 \
	--esp build/hotshim.efi:/hotshim.efi --log "$log" \
	--cmd 'hotshim.efi' --cmd 'hotshim.efi --version' --cmd 'hotshim.efi bogus' \
	--cmd 'hotshim.efi report --frob' --cmd 'hotshim.efi help'; then
	# check N STATUS FIRST-LINE
	check() {
		local st first
		st=$(status_of "$log" "$1")
		first=$(segment "$log" "$1" | head -n 1)
		if [ "$st" = "$2" ] && [ "$first" = "$3" ]; then pass; else
			fail "qemu cli $1: status '$st', first line '$first' (want '$2', '$3')"; fi
	}
	check 0 0x0 'usage: hotshim.efi <command> [options]'
	check 1 0x0 'hotshim 0.1.0'
	check 2 0x2 "hotshim: unknown command 'bogus' (EFI_INVALID_PARAMETER)"
	check 3 0x2 "hotshim: unknown option '--frob' (EFI_INVALID_PARAMETER)"
	check 4 0x0 'usage: hotshim.efi <command> [options]'
else
	fail "qemu cli: boot did not finish (see $log)"
fi
echo "qemu: command line checks done"

# 5-level page tables: planned when asked on a CPU with LA57 (TCG's max),
# refused with EFI_UNSUPPORTED on one without (qemu64).
log=$Q/la57.log
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--esp build/hotshim.efi:/hotshim.efi --log "$log" --cmd 'hotshim.efi report --la57'; then
	if [ "$(status_of "$log" 0)" = 0x0 ] && segment "$log" 0 |
		grep -q '^  page tables  \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] node 0, .* pages, the minimum for 5-level, identity map, 1 GiB pages)$'; then
		pass
	else
		fail "qemu la57: no 5-level plan (see $log)"
	fi
else
	fail "qemu la57: boot did not finish (see $log)"
fi
log=$Q/no-la57.log
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--extra '-cpu qemu64' --esp build/hotshim.efi:/hotshim.efi --log "$log" \
	--cmd 'hotshim.efi report --la57'; then
	st=$(status_of "$log" 0)
	first=$(segment "$log" 0 | head -n 1)
	if [ "$st" = 0x3 ] &&
		[ "$first" = 'hotshim: --la57: this CPU has no 5-level paging (CPUID.7.0:ECX.LA57 is 0) (EFI_UNSUPPORTED)' ]; then
		pass
	else
		fail "qemu no-la57: status '$st', first line '$first'"
	fi
else
	fail "qemu no-la57: boot did not finish (see $log)"
fi
