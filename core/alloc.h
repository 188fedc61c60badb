/*
 * Where hotshim puts things: the memblock model built from the UEFI map
 * and the SRAT in effect, and allocation that never lands in hot-pluggable
 * memory.  This decides; efi/ commits each decision with
 * AllocatePages(AllocateAddress).
 */
#ifndef HS_CORE_ALLOC_H
#define HS_CORE_ALLOC_H

#include "memblock.h"
#include "memmap.h"
#include "../acpi/srat.h"

struct mb_build_info {
	int32_t image_node;       /* node of hotshim's image, MB_NO_NODE if none */
	bool image_node_hotplug;  /* the SRAT marks that node: we did not */
};

/*
 * memory = RAM of the map (conventional, boot services, loader), with node
 * and flags from the SRAT (srat may be NULL or unused: one node, no
 * flags); reserved = what firmware uses of it, and hotshim's image.
 * Following the seed series, every hot-pluggable range is marked except in
 * the node that holds hotshim's image: allocations start next to it.
 */
int mb_build(struct memblock *mb, const struct mm_map *map, const struct srat_result *srat,
	     uint64_t image_base, uint64_t image_last, struct mb_build_info *ret_info);

enum alloc_dir { ALLOC_BOTTOM_UP, ALLOC_TOP_DOWN };

struct alloc_req {
	uint64_t size;        /* bytes; rounded up to pages */
	uint64_t align;       /* power of two; at least a page */
	uint64_t min, max;    /* the block must lie in [min, max] */
	int32_t node;         /* MB_NO_NODE: any node */
	enum alloc_dir dir;
	unsigned owner;       /* enum mb_owner of the reservation */
};

/* Finds a block: RAM, not reserved, not hot-pluggable, inside one memory
 * region (so never across two nodes), the lowest (bottom-up) or highest
 * (top-down) that fits.  -HS_ENOMEM if none. */
int mb_find_free(const struct memblock *mb, const struct alloc_req *q, uint64_t *ret_base);
/* Finds and reserves it. */
int mb_alloc(struct memblock *mb, const struct alloc_req *q, uint64_t *ret_base);

#endif
