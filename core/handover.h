/*
 * May this boot-services range be handed to Linux as free memory?  The one
 * rule, used by the plan the report prints, by the pins line said before
 * the jump, and by the final map itself.
 *
 * UEFI frees boot-services code and data at ExitBootServices, but Linux
 * 6.1 reserves them early (efi_reserve_boot_services(), before NUMA init)
 * and so pins their node (numa_clear_kernel_node_hotplug()).  hotshim
 * hands such a range over as conventional memory when it lies wholly in
 * hot-pluggable memory, unless it holds something Linux reads after the
 * jump: a firmware configuration table (ESRT, memory attributes, ...), or
 * the person asked to keep them all (--keep-boot-services).
 */
#ifndef HS_CORE_HANDOVER_H
#define HS_CORE_HANDOVER_H

#include "numa.h"
#include "../lib/memmap.h"
#include "../acpi/srat.h"

#define HANDOVER_MAX_KEEP 64

struct handover {
	const struct srat_result *srat;  /* in effect, or NULL: nothing is hot-pluggable */
	uint64_t keep[HANDOVER_MAX_KEEP]; /* addresses Linux reads after the jump */
	size_t nkeep;
	bool keep_all;                   /* --keep-boot-services */
	/* the BGRT's boot logo, which Linux reserves where it lies
	 * (efi_bgrt_init(), efi_mem_reserve()) and ignores unless it is
	 * still boot-services data */
	bool has_logo;
	uint64_t logo_base, logo_last;
};

enum handover_why {
	HANDOVER_FREE,            /* handed over as conventional memory */
	HANDOVER_NOT_BOOT_SERVICES,
	HANDOVER_NOT_HOTPLUG,     /* not wholly in hot-pluggable memory: no node to save */
	HANDOVER_HOLDS_TABLE,     /* holds keep[...]: Linux reads it later */
	HANDOVER_KEPT_BY_OPTION,  /* --keep-boot-services */
	HANDOVER_HOLDS_LOGO,      /* holds the BGRT boot logo */
};

/* The verdict on the UEFI type efi_type at [base, last]. */
enum handover_why handover_judge(const struct handover *h, uint32_t efi_type, uint64_t base,
				 uint64_t last);
const char *handover_why_text(enum handover_why w);

/* True when [base, last] lies wholly in hot-pluggable ranges of srat. */
bool handover_in_hotplug(const struct srat_result *srat, uint64_t base, uint64_t last);

/* Applies the rule to a raw UEFI map in place (after ExitBootServices:
 * no allocation); returns how many descriptors became conventional. */
size_t handover_apply(uint8_t *map, size_t size, size_t desc_size, const struct handover *h);

#endif
