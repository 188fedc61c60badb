/*
 * libFuzzer: an arbitrary UEFI memory map plus an arbitrary SRAT, built
 * into the memblock model, then allocations.  Input: u8 n, n entries of
 * (u64 base, u32 pages, u8 type), the rest is the SRAT.
 */
#include "core/alloc.h"
#include "test/fuzz/fuzz_map.h"
#include "test/fuzz/mutate.h"

static void check(const struct mb_type *t)
{
	for (size_t i = 0; i < t->count; i++) {
		if (t->r[i].last < t->r[i].base)
			__builtin_trap();
		if (i && t->r[i].base <= t->r[i - 1].last)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srat_mem mem[64];
	static struct mb_region mr[128], rr[128];
	struct mm_entry e[64];
	struct mm_map map = { e, 0, 64 };
	struct srat_result s = { .mem = mem, .mem_cap = 64 };
	struct srat_opts o = { 0 };
	struct memblock mb = { { mr, 0, 128 }, { rr, 0, 128 } };

	if (size < 1)
		return 0;
	size_t off = fuzz_map(data, size, &map, ~0xfffull);
	srat_parse((struct hs_view){ data + off, size - off }, &o, &s, NULL);
	if (mb_build(&mb, &map, s.used ? &s : NULL, 0x1000000, 0x10fffff) < 0)
		return 0;
	check(&mb.memory);
	check(&mb.reserved);
	for (int k = 0; k < 4; k++) {
		struct alloc_req q = { .size = (uint64_t)(k + 1) << 20, .align = HS_PAGE_SIZE << k,
				       .max = UINT64_MAX, .node = MB_NO_NODE,
				       .dir = k & 1 ? ALLOC_TOP_DOWN : ALLOC_BOTTOM_UP,
				       .owner = OWN_KERNEL };
		uint64_t a;
		if (mb_alloc(&mb, &q, &a) == 0) {
			const struct mb_region *m = mb_find(&mb.memory, a);
			if (!m || (m->flags & MB_HOTPLUG) || m->last < a + q.size - 1)
				__builtin_trap();
			/* against the table itself, not the model's flags */
			for (size_t i = 0; s.used && i < HS_MIN(s.mem_count, s.mem_cap); i++)
				if (s.mem[i].memblk && (s.mem[i].flags & SRAT_MEM_HOT_PLUGGABLE) &&
				    s.mem[i].base <= a + q.size - 1 && a <= s.mem[i].end - 1)
					__builtin_trap();
		}
		check(&mb.reserved);
	}
	return 0;
}

/* the table after the map entries, as fuzz_map reads them */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	size_t t = size ? 1 + (size_t)(data[0] % 65) * 13 : 0;

	return mut_srat(data, size, max, seed, t < size ? t : size);
}
