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
#    here with awk: "nothing ... pins it" when no boot-services entry
#    (types 3 and 4) lies in the node, else "removable once its N
#    boot-services ranges ..." with N the runs of touching entries.
# Uses pass/fail.

R=build/test/realmap
nlogs=0
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
	outh=$LOG/realmap-$name-hot.txt
	"$R" "$log" --hot "$hot" >"$outh" 2>&1
	if grep -qx '  none of these lies in a hot-pluggable range of the SRAT' "$outh" &&
		grep -q "^  command line gets movable_node" "$outh"; then pass; else
		fail "realmap $name: with node $hot hot-pluggable the plan touches it (see $outh)"
	fi
	runs=$(awk -v node="$hot" '
		function hex(s,   i, c, v) { v = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
			return v }
		/SRAT: Node [0-9]+ PXM [0-9]+ \[mem / {
			split($0, w, "SRAT: Node "); split(w[2], f, /[ \[\]-]+/)
			if (f[1] == node) { lo[++nr] = hex(substr(f[5], 3)); hi[nr] = hex(substr(f[6], 3)) }
		}
		/efi: mem[0-9]+:/ {
			t = -1
			if (match($0, /type=[0-9]+/)) t = substr($0, RSTART + 5, RLENGTH - 5) + 0
			else if ($0 ~ /\[Boot Code/) t = 3
			else if ($0 ~ /\[Boot Data/) t = 4
			match($0, /range=\[0x[0-9a-f]+-0x[0-9a-f]+/)
			split(substr($0, RSTART + 7, RLENGTH - 7), r, "-")
			a = hex(substr(r[1], 3)); z = hex(substr(r[2], 3)); if ($0 ~ /\)/) z = z - 1
			if (t == 3 || t == 4) { ba[++nb] = a; bz[nb] = z }
		}
		END {
			# boot-services entries clipped to the node, in address order
			n = 0
			for (i = 1; i <= nb; i++) for (j = 1; j <= nr; j++) {
				a = ba[i] > lo[j] ? ba[i] : lo[j]; z = bz[i] < hi[j] ? bz[i] : hi[j]
				if (a <= z) { ca[++n] = a; cz[n] = z }
			}
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ca[j] < ca[i]) {
				t = ca[i]; ca[i] = ca[j]; ca[j] = t; t = cz[i]; cz[i] = cz[j]; cz[j] = t }
			runs = 0
			for (i = 1; i <= n; i++) if (i == 1 || ca[i] != cz[i - 1] + 1) runs++
			print runs
		}' "$log")
	if [ "$runs" = 0 ]; then
		want_pin="node $hot: nothing the firmware placed pins it (ACPI table addresses not known here)"
	elif [ "$runs" = 1 ]; then
		want_pin="node $hot: removable once its 1 boot-services range is handed to Linux as free memory (the UEFI specification frees it at ExitBootServices); otherwise Linux keeps the node"
	else
		want_pin="node $hot: removable once its $runs boot-services ranges are handed to Linux as free memory (the UEFI specification frees it at ExitBootServices); otherwise Linux keeps the node"
	fi
	if grep -qxF "$want_pin" "$outh"; then pass; else
		fail "realmap $name: node $hot's pins verdict is not '$want_pin' (see $outh)"
		grep "^node $hot:" "$outh" | head -n 3
	fi
done
if [ "$nlogs" -ge 20 ]; then pass; else fail "realmap: only $nlogs real boot logs, want 20"; fi
echo "host: $nlogs real machines' boot logs through the report"
