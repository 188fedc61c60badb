#!/bin/bash
# What the structure-aware mutators (test/fuzz/mutate.h) add: each named
# harness built with them and with -DHS_FUZZ_PLAIN (libFuzzer's mutators
# only), run side by side for SECONDS from the same seed corpus and seed;
# prints executions, coverage, features and corpus for each.
# docs/FUZZING.md records a run.
#
#   tools/fuzz-ab.sh [SECONDS [NAME...]]   (default: 90 s; srat cpio elf entries override)
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-90}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(srat cpio elf entries override)
out=build/fuzz-ab
pure=$(make -s -p -n 2>/dev/null | sed -n 's/^PURE_SRC := //p')
flags=(-std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I.)
printf '%-10s %-6s %12s %8s %9s %7s\n' harness mut executions coverage features corpus
for n in "${names[@]}"; do
	mkdir -p "$out/plain" "$out/aware"
	# shellcheck disable=SC2086
	clang "${flags[@]}" -DHS_FUZZ_PLAIN "test/fuzz/$n.c" $pure -o "$out/plain/$n" &&
		clang "${flags[@]}" "test/fuzz/$n.c" $pure -o "$out/aware/$n" || exit 1
	for v in plain aware; do
		rm -rf "$out/$v-$n.corpus" && mkdir -p "$out/$v-$n.corpus"
		cp test/fuzz/corpus/"$n"/* "$out/$v-$n.corpus/" 2>/dev/null
		"$out/$v/$n" -seed=1 -max_total_time="$secs" -print_final_stats=1 \
			"$out/$v-$n.corpus" >"$out/$v-$n.log" 2>&1 &
	done
	wait
	for v in plain aware; do
		l=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$out/$v-$n.log" | tail -n 1)
		printf '%-10s %-6s %12s %8s %9s %7s\n' "$n" "$v" \
			"$(sed -n 's/^stat::number_of_executed_units: //p' "$out/$v-$n.log")" \
			"$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$l")" \
			"$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$l")" "$(find "$out/$v-$n.corpus" -type f | wc -l)"
	done
done
