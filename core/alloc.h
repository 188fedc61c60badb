/*
 * Where hotshim puts things: the memblock model built from the UEFI map
 * and the SRAT in effect, and allocation that never lands in hot-pluggable
 * memory.  This decides; efi/ commits each decision with
 * AllocatePages(AllocateAddress).
 */
#ifndef HS_CORE_ALLOC_H
#define HS_CORE_ALLOC_H

#include "../lib/memblock.h"
#include "../lib/memmap.h"
#include "../acpi/srat.h"

/*
 * memory = RAM of the map (conventional, boot services, loader), with node
 * and flags from the SRAT in effect (srat NULL: one node, no flags);
 * reserved = what firmware uses of it, and hotshim's image.
 *
 * Every hot-pluggable range is marked, also in the node of hotshim's own
 * image.  The seed series exempted the kernel's node because Linux
 * reserves its own image and so pins that node whatever a loader does;
 * Linux reserves nothing of a loader's image, whose pages are free RAM
 * after the jump.  Where the firmware loaded hotshim into hot-pluggable
 * memory, allocation bottom-up above the image skips that memory and
 * finds the nearest that is not hot-pluggable.
 */
int mb_build(struct memblock *mb, const struct mm_map *map, const struct srat_result *srat,
	     uint64_t image_base, uint64_t image_last);

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
