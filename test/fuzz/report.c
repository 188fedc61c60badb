/*
 * libFuzzer: a memory map and an SRAT, through the whole report.
 * Input: u8 n, then n map entries of (u64 base, u32 pages, u8 type), then
 * the table.
 */
#include "core/report.h"

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report_scratch scratch;
	struct mm_entry e[64];
	struct mm_map map = { e, 0, 64 };
	struct hs_view v = { data, size };
	struct hs_sink sink = { discard, NULL };
	struct hs_err err;
	size_t off = 1;

	if (size < 1)
		return 0;
	unsigned n = data[0] % 65;
	for (unsigned i = 0; i < n && hs_view_has(v, off, 13); i++, off += 13)
		mm_add_pages(&map, hs_get_u64(v, off), hs_get_u32(v, off + 8) & 0xfffff,
			     mm_kind_from_efi(hs_get_u8(v, off + 12) % 16), 0);
	mm_sort(&map);
	if (off > size)
		off = size;
	struct report_in in = {
		.have_srat = true,
		.srat = { data + off, size - off },
		.source = "fuzz",
		.map = n ? &map : NULL,
		.image_base = 0x1000000,
		.image_last = 0x10fffff,
		.linux_log = n & 1,
	};
	report_print(&in, &scratch, &sink, &err);
	return 0;
}
