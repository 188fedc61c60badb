# Sourced by test/check.sh: real machines' boot logs (test/fixtures/realmaps/,
# each naming its source) through hotshim's report by build/test/realmap.
# For each log, against what that boot's Linux printed:
#  - the SRAT lines hotshim says Linux prints are the log's own, line for
#    line (3.10 and 6.1 print them alike; 6.1 adds "ACPI: ");
#  - the node count is the log's;
#  - the plan lies in no hot-pluggable range, with the SRAT as the log has
#    it and with the highest node marked hot-pluggable (what a firmware
#    with that node removable would say);
#  - the pins verdict for that node follows from the log's own map, read
#    here with awk: N boot-services entries (types 3 and 4) meet the node,
#    all handed over as free memory (no configuration table is known).
# Uses pass/fail.

R=build/test/realmap
nlogs=0
nhot=0
nbusy=0
for log in test/fixtures/realmaps/*.log; do
	nlogs=$((nlogs + 1))
	name=$(basename "$log" .log)
	out=$LOG/realmap-$name.txt
	if ! "$R" "$log" >"$out" 2>&1; then
		fail "realmap $name: the report failed (see $out)"
		continue
	fi
	want=$(grep -o 'SRAT: Node [0-9]* PXM [0-9]* \[mem [^]]*\]\( hotplug\)\?' "$log")
	got=$(sed -n '/^Linux 6.1 log lines for this SRAT:$/,/^end of Linux log lines$/p' "$out" |
		grep -o 'SRAT: Node [0-9]* PXM [0-9]* \[mem [^]]*\]\( hotplug\)\?')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then pass; else
		fail "realmap $name: hotshim's SRAT lines differ from the log's (see $out)"
		diff <(echo "$want") <(echo "$got") | head -n 6
	fi
	nodes=$(echo "$want" | awk '{ print $3 }' | sort -u | wc -l)
	if grep -qx "Linux uses this SRAT: $nodes nodes\?" "$out"; then pass; else
		fail "realmap $name: not $nodes nodes (see $out)"
	fi
	if grep -qx '  none of these lies in a hot-pluggable range of the SRAT' "$out"; then pass; else
		fail "realmap $name: the plan is not clear of hot-pluggable memory (see $out)"
	fi
	[ "$nodes" -ge 2 ] || continue
	hot=$((nodes - 1))
	nhot=$((nhot + 1))
	outh=$LOG/realmap-$name-hot.txt
	"$R" "$log" --hot "$hot" >"$outh" 2>&1
	if grep -qx '  none of these lies in a hot-pluggable range of the SRAT' "$outh" &&
		grep -q "^  command line gets movable_node" "$outh"; then pass; else
		fail "realmap $name: with node $hot hot-pluggable the plan touches it (see $outh)"
	fi
	nboot=$(awk -v node="$hot" '
		function hex(s,   i, c, v) { v = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
			return v }
		/SRAT: Node [0-9]+ PXM [0-9]+ \[mem / {
			split($0, w, "SRAT: Node "); split(w[2], f, /[ \[\]-]+/)
			if (f[1] == node) { lo[++nr] = hex(substr(f[5], 3)); hi[nr] = hex(substr(f[6], 3)) }
		}
		/efi: mem[0-9]+:/ {
			# 6.1 prints the runtime map again from mem00; only the first counts
			if ($0 ~ /efi: mem00:/ && nb + other) done = 1
			if (done) next
			t = -1
			if (match($0, /type=[0-9]+/)) t = substr($0, RSTART + 5, RLENGTH - 5) + 0
			else if ($0 ~ /: \[Boot Code *\|/) t = 3
			else if ($0 ~ /: \[Boot Data *\|/) t = 4
			if (t != 3 && t != 4) { other++; next }
			# 3.10 prints [start-end), 6.1 [start-last]
			match($0, /range=\[0x[0-9a-f]+-0x[0-9a-f]+[\])]/)
			r = substr($0, RSTART + 7, RLENGTH - 8)
			split(r, p, "-")
			a = hex(substr(p[1], 3)); z = hex(substr(p[2], 3))
			if (substr($0, RSTART + RLENGTH - 1, 1) == ")") z = z - 1
			ba[++nb] = a; bz[nb] = z
		}
		# the map comes before the SRAT lines in the log
		END {
			for (i = 1; i <= nb; i++)
				for (j = 1; j <= nr; j++) if (ba[i] <= hi[j] && lo[j] <= bz[i]) { n++; break }
			print n + 0
		}' "$log")
	# realmap gives the report no configuration tables, so the boot
	# would hand every boot-services entry over as free memory
	if [ "$nboot" = 0 ]; then
		want_pin="node $hot: nothing the firmware placed pins it (ACPI table addresses not known here)"
	elif [ "$nboot" = 1 ]; then
		want_pin="node $hot: nothing the firmware placed pins it once its 1 boot-services range is handed to Linux as free memory (ACPI table addresses not known here)"
	else
		want_pin="node $hot: nothing the firmware placed pins it once its $nboot boot-services ranges are handed to Linux as free memory (ACPI table addresses not known here)"
	fi
	[ "$nboot" = 0 ] || nbusy=$((nbusy + 1))
	if grep -qxF "$want_pin" "$outh"; then pass; else
		fail "realmap $name: node $hot's pins verdict is not '$want_pin' (see $outh)"
		grep "^node $hot:" "$outh" | head -n 3
	fi
done
if [ "$nlogs" -ge 20 ]; then pass; else fail "realmap: only $nlogs real boot logs, want 20"; fi
# the verdict with boot-services memory in the node is compared at least once
if [ "$nbusy" -ge 1 ]; then pass; else fail "realmap: no log has boot-services memory in its last node"; fi
echo "host: $nlogs boot logs through the report, $nhot with a node made hot-pluggable"
