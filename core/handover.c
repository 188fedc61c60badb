#include "handover.h"

bool handover_in_hotplug(const struct srat_result *srat, uint64_t base, uint64_t last)
{
	bool hot;

	return srat && numa_stretch(srat, SRAT_MEM_HOT_PLUGGABLE, base, last, &hot) == last && hot;
}

enum handover_why handover_judge(const struct handover *h, uint32_t efi_type, uint64_t base,
				 uint64_t last)
{
	if (efi_type != EFI_BOOT_SERVICES_CODE && efi_type != EFI_BOOT_SERVICES_DATA)
		return HANDOVER_NOT_BOOT_SERVICES;
	if (!handover_in_hotplug(h->srat, base, last))
		return HANDOVER_NOT_HOTPLUG;
	if (h->has_logo && h->logo_base <= last && h->logo_last >= base)
		return HANDOVER_HOLDS_LOGO;
	if (h->keep_all)
		return HANDOVER_KEPT_BY_OPTION;
	for (size_t k = 0; k < HS_MIN(h->nkeep, HANDOVER_MAX_KEEP); k++)
		if (h->keep[k] >= base && h->keep[k] <= last)
			return HANDOVER_HOLDS_TABLE;
	return HANDOVER_FREE;
}

/* A copy of the descriptor at d with [base, last]. */
static void piece(uint8_t *to, const uint8_t *from, size_t desc_size, uint64_t base,
		  uint64_t last)
{
	hs_memmove(to, from, desc_size);
	hs_put_le(to + 8, base, 8);
	hs_put_le(to + 24, (last - base + 1) >> 12, 8);
}

unsigned handover_pieces(const struct handover *h, uint32_t efi_type, uint64_t base,
			 uint64_t last, uint64_t a[3], uint64_t z[3])
{
	unsigned n = 0;

	a[0] = base;
	z[0] = last;
	/* UEFI descriptors start on 4 KiB pages; a piece is whole pages */
	if (!h || !h->has_logo || h->logo_last < h->logo_base || (base & 0xfff) ||
	    (efi_type != EFI_BOOT_SERVICES_CODE && efi_type != EFI_BOOT_SERVICES_DATA))
		return 1;
	uint64_t la = h->logo_base & ~0xfffull, lz = h->logo_last | 0xfff;
	if (last < la || base > lz)
		return 1;
	if (base < la)
		a[n] = base, z[n++] = la - 1;
	a[n] = HS_MAX(base, la), z[n++] = HS_MIN(last, lz);
	if (last > lz)
		a[n] = lz + 1, z[n++] = last;
	return n;
}

size_t handover_split_logo(uint8_t *map, size_t size, size_t cap, size_t desc_size,
			   const struct handover *h)
{
	struct efi_desc_iter it = efi_desc_iter((struct hs_view){ map, size }, desc_size);
	struct efi_desc d;
	uint64_t a[3], z[3];

	/* every descriptor the logo meets (it may straddle two) */
	while (efi_desc_next(&it, &d)) {
		if (!d.ok)
			continue;
		unsigned n = handover_pieces(h, d.type, d.base, d.last, a, z);
		if (n == 1)
			continue;
		if ((n - 1) * desc_size > cap - HS_MIN(cap, size))
			return size;
		uint8_t *o = map + d.off;
		/* the descriptors after this one move up to make room; the
		 * pieces are written last to first, each from the original */
		hs_memmove(o + n * desc_size, o + desc_size, size - d.off - desc_size);
		for (unsigned i = n; i-- > 0;)
			piece(o + i * desc_size, o, desc_size, a[i], z[i]);
		size += (n - 1) * desc_size;
		it.map.len = size;
		it.off = d.off + n * desc_size;
	}
	return size;
}

const char *handover_why_text(enum handover_why w)
{
	switch (w) {
	case HANDOVER_FREE:
		return "handed to Linux as free memory";
	case HANDOVER_NOT_HOTPLUG:
		return "kept: not wholly in hot-pluggable memory";
	case HANDOVER_HOLDS_TABLE:
		return "kept: it holds a firmware configuration table Linux reads later";
	case HANDOVER_KEPT_BY_OPTION:
		return "kept: --keep-boot-services";
	case HANDOVER_HOLDS_LOGO:
		return "kept: it holds the boot logo (BGRT), which Linux reserves where it lies";
	default:
		return "kept: not boot-services memory";
	}
}

size_t handover_apply(uint8_t *map, size_t size, size_t desc_size, const struct handover *h)
{
	struct efi_desc_iter it = efi_desc_iter((struct hs_view){ map, size }, desc_size);
	struct efi_desc d;
	size_t n = 0;

	while (efi_desc_next(&it, &d)) {
		/* specific-purpose memory is Linux's soft-reserved whatever its type */
		if (!d.ok || (d.attr & EFI_MEMORY_SP) ||
		    handover_judge(h, d.type, d.base, d.last) != HANDOVER_FREE)
			continue;
		map[d.off] = EFI_CONVENTIONAL_MEMORY;
		map[d.off + 1] = map[d.off + 2] = map[d.off + 3] = 0;
		n++;
	}
	return n;
}
