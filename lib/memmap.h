/* The firmware memory map in a firmware-independent form. */
#ifndef HS_LIB_MEMMAP_H
#define HS_LIB_MEMMAP_H

#include "hs.h"

/* UEFI memory types (UEFI 2.10, 7.2 EFI_MEMORY_TYPE). */
enum efi_mem_type {
	EFI_RESERVED_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

/*
 * One UEFI memory descriptor (UEFI 2.10, 7.2 EFI_MEMORY_DESCRIPTOR): Type
 * u32 at 0, PhysicalStart at 8, VirtualStart at 16, NumberOfPages at 24,
 * Attribute at 32; descriptors lie desc_size apart (at least 40, and the
 * firmware's size, not sizeof, is the stride).
 */
#define EFI_DESC_MIN 40u
#define EFI_MEMORY_SP (1ull << 18) /* specific-purpose memory (UEFI 2.8) */

struct efi_desc {
	size_t off;     /* of the descriptor in the map */
	uint32_t type;
	uint64_t base, pages, attr;
	uint64_t last;  /* inclusive; valid only when ok */
	bool ok;        /* pages != 0 and [base, last] does not wrap */
};

/* The one bounded walk over a UEFI memory map: no descriptor is read
 * past the view, and a stride below EFI_DESC_MIN yields nothing. */
struct efi_desc_iter {
	struct hs_view map;
	size_t desc_size;
	size_t off;
};
static inline struct efi_desc_iter efi_desc_iter(struct hs_view map, size_t desc_size)
{
	return (struct efi_desc_iter){ map, desc_size, 0 };
}
bool efi_desc_next(struct efi_desc_iter *it, struct efi_desc *ret);

/* What the report counts a range as. */
enum mm_kind {
	MM_CONVENTIONAL,
	MM_BOOT_SERVICES,
	MM_LOADER,
	MM_RUNTIME,
	MM_RESERVED,
	MM_ACPI,
	MM_PERSISTENT,
	MM_UNUSABLE,
	MM_MMIO,
	MM_KIND_COUNT,
};

struct mm_entry {
	uint64_t base;
	uint64_t last; /* inclusive */
	uint32_t kind; /* enum mm_kind */
	uint32_t efi_type; /* as firmware reported it, or ~0u when not from UEFI */
};

struct mm_map {
	struct mm_entry *e;
	size_t count;
	size_t cap;
};

enum mm_kind mm_kind_from_efi(uint32_t efi_type);
const char *mm_kind_name(enum mm_kind k);
/* Memory Linux's EFI stub turns into E820 RAM. */
bool mm_is_ram(enum mm_kind k);

/* Appends [base, base + pages * 4 KiB); -HS_ENOSPC when full,
 * -HS_EINVAL when the range wraps or is empty. */
int mm_add_pages(struct mm_map *m, uint64_t base, uint64_t pages, uint32_t kind, uint32_t efi_type);
int mm_add(struct mm_map *m, uint64_t base, uint64_t last, uint32_t kind, uint32_t efi_type);
/*
 * A raw UEFI map into m, sorted: empty descriptors skipped, specific-purpose
 * memory (EFI_MEMORY_SP: HBM, CXL) as reserved, since Linux with
 * CONFIG_EFI_SOFT_RESERVE (Debian's) keeps it from the page allocator.
 * -HS_EINVAL with *ret_bad the offending descriptor's index when one wraps,
 * -HS_ENOSPC when m is full.
 */
int mm_from_efi(struct hs_view raw, size_t desc_size, struct mm_map *m, size_t *ret_bad);
/* Sorts by base (insertion sort: firmware maps are nearly sorted). */
void mm_sort(struct mm_map *m);

#endif
