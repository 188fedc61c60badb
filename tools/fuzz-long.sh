#!/bin/bash
# make fuzz-long: every libFuzzer harness (build/fuzz/*) for at least
# FUZZ_LONG_SECONDS (default 600) and FUZZ_LONG_RUNS executions (default
# 10 million), FUZZ_LONG_JOBS harnesses at a time (default: one per core;
# name the slowest first so the cores finish together).
# Each works on its own copy of its corpus (build/fuzz-long/NAME/corpus);
# a crash is kept there (crash-*) and fails the target.  Ends with a table
# of executions, speed, coverage, features and corpus per harness, also in
# build/fuzz-long/summary.md (docs/FUZZING.md records a run).
#
#   tools/fuzz-long.sh [NAME...]     (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_LONG_SECONDS:-600}
runs=${FUZZ_LONG_RUNS:-10000000}
jobs=${FUZZ_LONG_JOBS:-$(nproc)}
out=build/fuzz-long
mkdir -p "$out"
names=("$@")
[ ${#names[@]} -gt 0 ] || for f in build/fuzz/*; do names+=("$(basename "$f")"); done

# one NAME: runs until both limits are reached, in rounds of secs
one() {
	local n=$1 d=$out/$1 total=0 t0 st
	rm -rf "$d"
	mkdir -p "$d/corpus"
	cp test/fuzz/corpus/"$n"/* "$d/corpus/" 2>/dev/null
	t0=$(date +%s)
	# the first round is the time floor; later rounds run only the
	# executions still missing, so a slow harness stops at its floor
	local limit=(-max_total_time="$secs")
	while :; do
		build/fuzz/"$n" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$d/" \
			-close_fd_mask=3 "$d/corpus" >"$d/round.log" 2>&1
		st=$?
		cat "$d/round.log" >>"$d/fuzz.log"
		total=$((total + $(sed -n 's/^stat::number_of_executed_units: //p' "$d/round.log" | tail -n 1)))
		[ $st = 0 ] || break
		[ "$total" -lt "$runs" ] || break
		limit=(-runs=$((runs - total)))
	done
	local line cov ft
	line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$d/fuzz.log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
	local secs_used=$(($(date +%s) - t0))
	local crashes
	crashes=$(find "$d" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$total" "$secs_used" \
		"$((total / (secs_used > 0 ? secs_used : 1)))" "${cov:-?}" "${ft:-?}" \
		"$(find "$d/corpus" -type f | wc -l)" "$crashes" >"$d/result.tsv"
	echo "fuzz-long: $n: $total runs in $secs_used s, cov ${cov:-?}, ft ${ft:-?}, $crashes crashes"
}
export -f one
export out secs runs
printf '%s\n' "${names[@]}" | xargs -P "$jobs" -I{} bash -c 'one {}'

{
	echo "| harness | executions | seconds | per second | coverage | features | corpus | crashes |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in "${names[@]}"; do
		IFS=$'\t' read -r a b c d e f g h <"$out/$n/result.tsv"
		echo "| $a | $b | $c | $d | $e | $f | $g | $h |"
	done
} >"$out/summary.md"
cat "$out/summary.md"
bad=$(cat "$out"/*/result.tsv | awk -F'\t' '$8 > 0' | wc -l)
[ "$bad" = 0 ] || { echo "fuzz-long: $bad harnesses crashed (see $out/NAME/crash-*)"; exit 1; }
