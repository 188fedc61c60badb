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

/*
 * UEFI descriptors (desc_size apart) -> sorted, merged, non-overlapping
 * ranges split at the boundaries of the SRAT in effect (NULL: all node 0,
 * nothing hot-pluggable).  Room for plan_layout's mem_cap entries is
 * enough.  -HS_ENOSPC when cap is too small, -HS_EINVAL when descriptors
 * overlap or wrap.
 */
int bi_memmap(struct hs_view efi_map, size_t desc_size, const struct srat_result *srat,
	      struct hotshim_mem *out, size_t cap, size_t *ret_n);

/* hotshim's own placements (not the firmware's) as protocol entries. */
int bi_reserved(const struct mb_type *reserved, struct hotshim_reserved *out, size_t cap,
		size_t *ret_n);

#endif
