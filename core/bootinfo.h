/*
 * The hotshim protocol's boot info, built from the final UEFI memory map,
 * the SRAT in effect and the memblock reservations.  Pure: efi/ calls it
 * after ExitBootServices, so it writes only into storage sized before.
 */
#ifndef HS_CORE_BOOTINFO_H
#define HS_CORE_BOOTINFO_H

#include "alloc.h"
#include "../include/hotshim/protocol.h"

/* The protocol's type for a UEFI memory type. */
uint32_t bi_mem_type(uint32_t efi_type);

/* Where node and flags come from: the SRAT (NULL or unused: all node 0)
 * with the node of hotshim's image left unmarked when info says so. */
struct bi_numa {
	const struct srat_result *srat;
	struct mb_build_info info;
};

/* Entries bi_memmap() may need for a map of ndesc descriptors. */
size_t bi_mem_cap(size_t ndesc, const struct bi_numa *numa);

/*
 * UEFI descriptors (desc_size apart) -> sorted, merged, non-overlapping
 * ranges split at SRAT boundaries.  -HS_ENOSPC when cap is too small,
 * -HS_EINVAL when descriptors overlap or wrap.
 */
int bi_memmap(struct hs_view efi_map, size_t desc_size, const struct bi_numa *numa,
	      struct hotshim_mem *out, size_t cap, size_t *ret_n);

/*
 * Boot-services code/data descriptors lying wholly in hot-pluggable memory
 * become conventional memory, in place: UEFI frees them at
 * ExitBootServices, and Linux would otherwise reserve them early
 * (efi_reserve_boot_services()) and so pin their node.  A descriptor that
 * holds one of the keep addresses (the firmware's configuration tables:
 * ESRT, memory attributes, ...) stays as it is.  Returns how many.
 */
size_t bi_free_boot_services(uint8_t *map, size_t size, size_t desc_size,
			     const struct bi_numa *numa, const uint64_t *keep, size_t nkeep);

/* hotshim's own placements (not the firmware's) as protocol entries. */
int bi_reserved(const struct mb_type *reserved, struct hotshim_reserved *out, size_t cap,
		size_t *ret_n);

#endif
