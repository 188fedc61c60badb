/*
 * A memblock-like model of physical memory (after Linux's mm/memblock.c):
 * `memory` holds RAM with its NUMA node and flags, `reserved` every range
 * something owns.  Ranges are [base, last] inclusive, sorted, and never
 * overlap within one array; neighbours with equal attributes merge.
 * Storage belongs to the caller; a full array is -HS_ENOSPC, never a
 * silent truncation.
 */
#ifndef HS_LIB_MEMBLOCK_H
#define HS_LIB_MEMBLOCK_H

#include "hs.h"

enum mb_flag {
	MB_HOTPLUG = 1u << 0,     /* SRAT: hot-pluggable */
	MB_NONVOLATILE = 1u << 1, /* SRAT: non-volatile */
};

/* Who owns a reserved range. */
enum mb_owner {
	OWN_NONE = 0,     /* memory array entries */
	OWN_FIRMWARE,     /* in use by firmware (boot/runtime services, ...) */
	OWN_HOTSHIM,      /* hotshim's own image */
	OWN_KERNEL,
	OWN_INITRD,
	OWN_MODULE,
	OWN_PAGE_TABLES,
	OWN_BOOT_INFO,
	OWN_CMDLINE,
	OWN_ACPI_COPY,
	OWN_STACK,        /* the kernel's entry stack and GDT */
	OWN_COUNT,
};

#define MB_NO_NODE (-1)

struct mb_region {
	uint64_t base;
	uint64_t last;
	int32_t node;
	uint16_t flags;
	uint16_t owner;
};

struct mb_type {
	struct mb_region *r;
	size_t count;
	size_t cap;
};

struct memblock {
	struct mb_type memory;
	struct mb_type reserved;
};

const char *mb_owner_name(enum mb_owner o);

/*
 * Adds [base, last] with these attributes where the array has nothing yet
 * (memblock_add_range(): what is already there keeps its attributes).
 */
int mb_add(struct mb_type *t, uint64_t base, uint64_t last, int32_t node, unsigned flags,
	   unsigned owner);
/* Removes [base, last], splitting regions at its edges. */
int mb_remove(struct mb_type *t, uint64_t base, uint64_t last);
/* Sets and clears flags, or sets the node (node != MB_NO_NODE is applied
 * only with set_node), on the part of the array inside [base, last]. */
int mb_update(struct mb_type *t, uint64_t base, uint64_t last, unsigned set, unsigned clear,
	      bool set_node, int32_t node);

/* The region holding addr, or NULL. */
const struct mb_region *mb_find(const struct mb_type *t, uint64_t addr);
bool mb_overlaps(const struct mb_type *t, uint64_t base, uint64_t last);

#endif
