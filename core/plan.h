/* The placement plan: where the boot path would put each piece on this
 * machine, bottom-up above hotshim's image, never in hot-pluggable memory. */
#ifndef HS_CORE_PLAN_H
#define HS_CORE_PLAN_H

#include "alloc.h"
#include "../x86/paging.h"

/* Commits a decision (efi/: AllocatePages(AllocateAddress)); 0 or
 * -HS_EBUSY when the firmware says the pages are taken. NULL: no commit. */
struct plan_commit {
	int (*commit)(void *ctx, uint64_t base, uint64_t size);
	void (*release_all)(void *ctx);
	void *ctx;
};

struct plan_in {
	uint64_t image_last;   /* allocations start above it */
	uint64_t kernel_size;  /* what to plan for */
	uint64_t initrd_size;  /* 0: none */
	struct pt_cfg pt;
	const struct plan_commit *commit; /* may be NULL */
};

/* Decides with mb_find_free(), commits; a refused commit marks those
 * pages the firmware's and the next candidate is tried. */
int plan_place(struct memblock *mb, const struct alloc_req *q, const struct plan_commit *c,
	       uint64_t *ret);

/*
 * What the kernel's page tables map: conventional, boot-services, loader,
 * runtime, ACPI and persistent memory of a sorted, page-granular map, up to
 * what the paging mode reaches (*ret_clipped when something lay beyond),
 * with the sorted, page-granular exec ranges split out as executable.
 */
int plan_pt_ranges(const struct mm_map *map, const struct pt_cfg *cfg, const struct pt_range *exec,
		   size_t nexec, struct pt_range *out, size_t cap, size_t *ret_n,
		   bool *ret_clipped);

/* Prints the plan; -HS_ENOMEM when something does not fit. */
int plan_report(struct memblock *mb, const struct plan_in *in, struct hs_sink *out);

#endif
