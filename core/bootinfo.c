#include "bootinfo.h"
#include "../lib/memmap.h"

uint32_t bi_mem_type(uint32_t t)
{
	switch (t) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return HOTSHIM_MEM_USABLE; /* boot services are gone by then */
	case EFI_ACPI_RECLAIM_MEMORY:
		return HOTSHIM_MEM_ACPI_RECLAIM;
	case EFI_ACPI_MEMORY_NVS:
		return HOTSHIM_MEM_ACPI_NVS;
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
		return HOTSHIM_MEM_RUNTIME;
	case EFI_UNUSABLE_MEMORY:
		return HOTSHIM_MEM_UNUSABLE;
	case EFI_PERSISTENT_MEMORY:
		return HOTSHIM_MEM_PERSISTENT;
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return HOTSHIM_MEM_MMIO;
	default:
		/* reserved, PAL code, unaccepted and unknown types */
		return HOTSHIM_MEM_RESERVED;
	}
}

/* Node and flags at pos, and the last address they hold for. */
static uint64_t numa_at(const struct srat_result *srat, uint64_t pos, uint64_t last,
			uint32_t *ret_node, uint32_t *ret_flags)
{
	size_t n = srat ? HS_MIN(srat->mem_count, srat->mem_cap) : 0;
	uint64_t until = last;

	*ret_node = n ? HOTSHIM_NO_NODE : 0;
	*ret_flags = 0;
	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *m = &srat->mem[i];
		if (!m->memblk)
			continue;
		uint64_t mlast = m->end - 1;
		if (m->base <= pos && pos <= mlast) {
			*ret_node = m->node;
			if (m->flags & SRAT_MEM_HOT_PLUGGABLE)
				*ret_flags |= HOTSHIM_MEM_HOTPLUG;
			if (m->flags & SRAT_MEM_NON_VOLATILE)
				*ret_flags |= HOTSHIM_MEM_NONVOLATILE;
			return HS_MIN(last, mlast);
		}
		if (m->base > pos)
			until = HS_MIN(until, m->base - 1);
	}
	return until;
}

static bool same(const struct hotshim_mem *a, const struct hotshim_mem *b)
{
	return a->type == b->type && a->flags == b->flags && a->node == b->node;
}

int bi_memmap(struct hs_view map, size_t desc_size, const struct srat_result *srat,
	      struct hotshim_mem *out, size_t cap, size_t *ret_n)
{
	size_t n = 0;

	struct efi_desc_iter it = efi_desc_iter(map, desc_size);
	struct efi_desc d;

	if (desc_size < EFI_DESC_MIN || desc_size % 8)
		return -HS_EINVAL;
	while (efi_desc_next(&it, &d)) {
		if (!d.pages)
			continue;
		if (!d.ok)
			return -HS_EINVAL;
		for (uint64_t pos = d.base;;) {
			uint32_t node, flags;
			uint64_t z = numa_at(srat, pos, d.last, &node, &flags);
			if (n == cap)
				return -HS_ENOSPC;
			out[n++] = (struct hotshim_mem){ pos, z - pos + 1, bi_mem_type(d.type), flags,
							  node, 0 };
			if (z == d.last)
				break;
			pos = z + 1;
		}
	}
	/* firmware maps are nearly sorted: insertion sort */
	for (size_t i = 1; i < n; i++) {
		struct hotshim_mem x = out[i];
		size_t j = i;
		while (j && out[j - 1].base > x.base) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = x;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && out[i].base - out[k - 1].base < out[k - 1].length)
			return -HS_EINVAL; /* overlapping descriptors */
		if (k && same(&out[k - 1], &out[i]) &&
		    out[k - 1].base + out[k - 1].length == out[i].base) {
			out[k - 1].length += out[i].length;
			continue;
		}
		out[k++] = out[i];
	}
	*ret_n = k;
	return 0;
}

static uint32_t owner_of(unsigned o)
{
	switch (o) {
	case OWN_HOTSHIM: return HOTSHIM_OWN_HOTSHIM;
	case OWN_KERNEL: return HOTSHIM_OWN_KERNEL;
	case OWN_INITRD:
	case OWN_MODULE: return HOTSHIM_OWN_MODULE;
	case OWN_PAGE_TABLES: return HOTSHIM_OWN_PAGE_TABLES;
	case OWN_BOOT_INFO: return HOTSHIM_OWN_BOOT_INFO;
	case OWN_CMDLINE: return HOTSHIM_OWN_CMDLINE;
	case OWN_ACPI_COPY: return HOTSHIM_OWN_ACPI;
	case OWN_STACK: return HOTSHIM_OWN_STACK;
	default: return 0; /* the firmware's: in the memory map already */
	}
}

int bi_reserved(const struct mb_type *t, struct hotshim_reserved *out, size_t cap, size_t *ret_n)
{
	size_t n = 0;

	for (size_t i = 0; i < t->count; i++) {
		uint32_t o = owner_of(t->r[i].owner);
		if (!o)
			continue;
		if (n && out[n - 1].owner == o && out[n - 1].base + out[n - 1].length == t->r[i].base) {
			out[n - 1].length += t->r[i].last - t->r[i].base + 1;
			continue;
		}
		if (n == cap)
			return -HS_ENOSPC;
		out[n++] = (struct hotshim_reserved){ t->r[i].base, t->r[i].last - t->r[i].base + 1, o, 0 };
	}
	*ret_n = n;
	return 0;
}
