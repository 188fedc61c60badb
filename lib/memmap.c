#include "memmap.h"

enum mm_kind mm_kind_from_efi(uint32_t t)
{
	switch (t) {
	case EFI_CONVENTIONAL_MEMORY:
		return MM_CONVENTIONAL;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return MM_BOOT_SERVICES;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		return MM_LOADER;
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
		return MM_RUNTIME;
	case EFI_ACPI_RECLAIM_MEMORY:
	case EFI_ACPI_MEMORY_NVS:
		return MM_ACPI;
	case EFI_PERSISTENT_MEMORY:
		return MM_PERSISTENT;
	case EFI_UNUSABLE_MEMORY:
		return MM_UNUSABLE;
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return MM_MMIO;
	default: /* reserved, PAL code, unaccepted and unknown types */
		return MM_RESERVED;
	}
}

const char *mm_kind_name(enum mm_kind k)
{
	/* in enum mm_kind's order */
	return hs_nth_name("conventional\0boot-services\0loader\0runtime\0reserved\0ACPI\0"
			   "persistent\0unusable\0MMIO\0", k, "?");
}

bool mm_is_ram(enum mm_kind k)
{
	return k == MM_CONVENTIONAL || k == MM_BOOT_SERVICES || k == MM_LOADER;
}

int mm_add(struct mm_map *m, uint64_t base, uint64_t last, uint32_t kind, uint32_t efi_type)
{
	if (last < base)
		return -HS_EINVAL;
	if (m->count >= m->cap)
		return -HS_ENOSPC;
	m->e[m->count++] = (struct mm_entry){ base, last, kind, efi_type };
	return 0;
}

int mm_add_pages(struct mm_map *m, uint64_t base, uint64_t pages, uint32_t kind, uint32_t efi_type)
{
	uint64_t last;

	if (pages == 0 || pages > (UINT64_MAX >> 12) ||
	    __builtin_add_overflow(base, pages * HS_PAGE_SIZE - 1, &last))
		return -HS_EINVAL;
	return mm_add(m, base, last, kind, efi_type);
}

void mm_sort(struct mm_map *m)
{
	for (size_t i = 1; i < m->count; i++) {
		struct mm_entry x = m->e[i];
		size_t j = i;

		while (j > 0 && m->e[j - 1].base > x.base) {
			m->e[j] = m->e[j - 1];
			j--;
		}
		m->e[j] = x;
	}
}

bool efi_desc_next(struct efi_desc_iter *it, struct efi_desc *ret)
{
	if (it->desc_size < EFI_DESC_MIN || !hs_view_has(it->map, it->off, it->desc_size))
		return false;
	struct hs_view v = it->map;
	size_t off = it->off;
	*ret = (struct efi_desc){ .off = off, .type = hs_get_u32(v, off),
				  .base = hs_get_u64(v, off + 8), .pages = hs_get_u64(v, off + 24),
				  .attr = hs_get_u64(v, off + 32) };
	ret->ok = ret->pages && ret->pages <= (UINT64_MAX >> 12) &&
		  !__builtin_add_overflow(ret->base, ret->pages * HS_PAGE_SIZE - 1, &ret->last);
	it->off += it->desc_size;
	return true;
}

int mm_from_efi(struct hs_view raw, size_t desc_size, struct mm_map *m, size_t *ret_bad)
{
	struct efi_desc_iter it = efi_desc_iter(raw, desc_size);
	struct efi_desc d;
	int r;

	m->count = 0;
	while (efi_desc_next(&it, &d)) {
		if (!d.pages)
			continue;
		if (!d.ok) {
			*ret_bad = d.off / desc_size;
			return -HS_EINVAL;
		}
		uint32_t kind = (d.attr & EFI_MEMORY_SP) ? MM_RESERVED : mm_kind_from_efi(d.type);
		r = mm_add(m, d.base, d.last, kind, d.type);
		if (r < 0)
			return r;
	}
	mm_sort(m);
	return 0;
}
