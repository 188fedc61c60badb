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
