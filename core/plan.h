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

/* Prints the plan; -HS_ENOMEM when something does not fit. */
int plan_report(struct memblock *mb, const struct plan_in *in, struct hs_sink *out);

#endif
