/*
 * libFuzzer: arbitrary UEFI descriptors (48 bytes apart, as OVMF's) and an
 * arbitrary SRAT, into the protocol's memory map; the result must be
 * sorted, non-overlapping and within the capacity promised.
 * Input: u16 map bytes, the descriptors, then the SRAT.
 */
#include "core/bootinfo.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srat_mem mem[64];
	static struct hotshim_mem out[1024];
	struct srat_result s = { .mem = mem, .mem_cap = 64 };
	struct srat_opts o = { 0 };

	if (size < 2)
		return 0;
	size_t mlen = (size_t)(data[0] | data[1] << 8) % 2048;
	if (mlen > size - 2)
		mlen = size - 2;
	srat_parse((struct hs_view){ data + 2 + mlen, size - 2 - mlen }, &o, &s, NULL);
	const struct srat_result *numa = s.used ? &s : NULL;
	/* the room plan_layout makes: each SRAT range splits two at most */
	size_t cap = mlen / 48 + 2 * (numa ? HS_MIN(s.mem_count, s.mem_cap) : 0) + 1, n;
	if (cap > 1024)
		return 0;
	if (bi_memmap((struct hs_view){ data + 2, mlen }, 48, numa, out, cap, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!out[i].length)
			__builtin_trap();
		if (i && out[i].base - out[i - 1].base < out[i - 1].length)
			__builtin_trap();
		/* hot-pluggable exactly where a hot-pluggable range of the SRAT is */
		bool hot = false;
		for (size_t k = 0; numa && k < HS_MIN(s.mem_count, s.mem_cap); k++)
			hot |= s.mem[k].memblk && (s.mem[k].flags & SRAT_MEM_HOT_PLUGGABLE) &&
			       s.mem[k].base <= out[i].base && out[i].base <= s.mem[k].end - 1;
		bool first = true; /* the first range holding base decides, as numa_at() */
		for (size_t k = 0; numa && k < HS_MIN(s.mem_count, s.mem_cap) && first; k++)
			if (s.mem[k].memblk && s.mem[k].base <= out[i].base &&
			    out[i].base <= s.mem[k].end - 1) {
				hot = (s.mem[k].flags & SRAT_MEM_HOT_PLUGGABLE) != 0;
				first = false;
			}
		if (hot != ((out[i].flags & HOTSHIM_MEM_HOTPLUG) != 0))
			__builtin_trap();
	}
	return 0;
}

/* the table after the map entries, as fuzz_map reads them */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	size_t t = size ? 1 + (size_t)(data[0] % 65) * 13 : 0;

	return mut_srat(data, size, max, seed, t < size ? t : size);
}
