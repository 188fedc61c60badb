/*
 * x86-64 page tables for the kernel hotshim starts: an identity map and a
 * direct map (virtual = physical + offset) of every RAM range, with the
 * largest pages alignment allows, holes left unmapped.
 *
 *   level 5 (PML5, LA57 only)   512 x 256 TiB
 *   level 4 (PML4)              512 x 512 GiB
 *   level 3 (PDPT)              512 x   1 GiB   leaf with PS when pdpe1gb
 *   level 2 (PD)                512 x   2 MiB   leaf with PS
 *   level 1 (PT)                512 x   4 KiB   leaf
 *
 * Page-table pages come from a caller's allocator, one zeroed 4 KiB page at
 * a time, so the builder also works where only mapped memory can be
 * allocated (see pt_build_bottom_up()).
 */
#ifndef HS_X86_PAGING_H
#define HS_X86_PAGING_H

#include "../lib/hs.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_PS (1ull << 7)  /* a 2 MiB or 1 GiB leaf */
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define PT_DIRECT_MAP_DEFAULT 0xffff888000000000ull
/* with 5 levels, as Linux (__PAGE_OFFSET_BASE_L5) */
#define PT_DIRECT_MAP_L5 0xff11000000000000ull

struct pt_mem {
	/* a zeroed, 4 KiB-aligned page: its physical address, 0 on failure */
	uint64_t (*alloc)(void *ctx);
	/* where the builder can write the page at phys */
	uint64_t *(*ptr)(void *ctx, uint64_t phys);
	void *ctx;
};

struct pt_cfg {
	bool la57;          /* 5 levels */
	bool gb_pages;      /* CPUID pdpe1gb */
	bool nx;            /* CPUID NX: set it on everything but code */
	uint64_t offset;    /* direct map; 0: none */
};

struct pt {
	struct pt_cfg cfg;
	struct pt_mem mem;
	uint64_t root;
	size_t pages;       /* page-table pages used, root included */
};

/* A range to map; exec clears NX on it. */
struct pt_range {
	uint64_t base, last;
	bool exec;
};

int pt_init(struct pt *pt, const struct pt_cfg *cfg, const struct pt_mem *mem);
/* Maps [phys, last] at virt (and nothing else). */
int pt_map(struct pt *pt, uint64_t virt, uint64_t phys, uint64_t last, bool exec);

/*
 * The order of the seed patch (Linux's init_mem_mapping() bottom-up): the
 * first 1 MiB, then from the end of hotshim's image up to the top of RAM
 * in steps that start at 2 MiB and grow 256-fold as memory gets mapped,
 * then from 1 MiB up to the image.  Ranges must be sorted.
 */
int pt_build_bottom_up(struct pt *pt, const struct pt_range *r, size_t n, uint64_t image_end);

/* The last physical address the tables can map: Linux's MAX_PHYSMEM_BITS
 * (46 with 4 levels, 52 with 5; arch/x86/include/asm/sparsemem.h), also
 * kept inside the canonical lower half for the identity map. */
uint64_t pt_max_phys(const struct pt_cfg *cfg);

/* The fewest page-table pages that map these ranges (identity + direct
 * map when cfg->offset), counted without building anything. */
size_t pt_min_pages(const struct pt_cfg *cfg, const struct pt_range *r, size_t n);

#endif
