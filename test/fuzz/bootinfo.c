/*
 * libFuzzer: arbitrary UEFI descriptors (48 bytes apart, as OVMF's) and an
 * arbitrary SRAT, into the protocol's memory map; the result must be
 * sorted, non-overlapping and within the capacity promised.
 * Input: u16 map bytes, the descriptors, then the SRAT.
 */
#include "core/bootinfo.h"

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
	struct bi_numa numa = { &s, { (int32_t)(data[0] & 3), data[1] & 1 } };
	size_t cap = bi_mem_cap(mlen / 48, &numa), n;
	if (cap > 1024)
		return 0;
	if (bi_memmap((struct hs_view){ data + 2, mlen }, 48, &numa, out, cap, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!out[i].length)
			__builtin_trap();
		if (i && out[i].base - out[i - 1].base < out[i - 1].length)
			__builtin_trap();
	}
	return 0;
}
