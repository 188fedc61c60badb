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

/*
 * Gives the BGRT logo's pages a boot-services descriptor of their own, the
 * rest of its descriptor split off before and after it with the same type
 * and attributes (cap: the map buffer's bytes); returns the map's new size,
 * the old one when there is nothing to split or no room.  Why: Linux 6.1's
 * efi_reserve_boot_services() reserves no part of a boot-services
 * descriptor some of which is already reserved (the MEMATTR table, by
 * efi_memattr_init()), so early memblock allocations may land on the logo
 * before efi_bgrt_init() reserves it (test/qemu/linux.test.sh, image-hot).
 * In a descriptor of its own the logo is reserved with the rest of boot
 * services, as on a direct EFI-stub boot.  Call before handover_apply(),
 * which then judges each piece.
 */
size_t handover_split_logo(uint8_t *map, size_t size, size_t cap, size_t desc_size,
			   const struct handover *h);
/* The pieces handover_split_logo() cuts a descriptor of type efi_type at
 * [base, last] into, in address order: the logo's pages and what lies
 * before and after them; 1 (the whole) when it is no boot-services memory,
 * does not start on a page, or does not meet the logo.  The pins report
 * cuts the same. */
unsigned handover_pieces(const struct handover *h, uint32_t efi_type, uint64_t base,
			 uint64_t last, uint64_t a[3], uint64_t z[3]);

#endif
