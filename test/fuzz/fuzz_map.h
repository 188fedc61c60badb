/* Shared by the fuzz harnesses: a UEFI-like memory map from the input.
 * Layout: u8 n, then n entries of (u64 base, u32 pages, u8 type). */
#ifndef HS_FUZZ_MAP_H
#define HS_FUZZ_MAP_H

#include "lib/memmap.h"

/* Fills map; returns the offset where the rest of the input starts. */
static inline size_t fuzz_map(const uint8_t *data, size_t size, struct mm_map *map,
			      uint64_t base_mask)
{
	struct hs_view v = { data, size };
	size_t off = 1;

	if (size < 1)
		return 0;
	unsigned n = data[0] % 65;
	for (unsigned i = 0; i < n && hs_view_has(v, off, 13); i++, off += 13)
		mm_add_pages(map, hs_get_u64(v, off) & base_mask, hs_get_u32(v, off + 8) & 0xfffff,
			     mm_kind_from_efi(hs_get_u8(v, off + 12) % 16), 0);
	mm_sort(map);
	return off > size ? size : off;
}

#endif
