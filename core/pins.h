/*
 * What keeps a hot-pluggable node from ever being removable.  Before it
 * builds ZONE_MOVABLE, Linux 6.1 clears the hot-plug mark of every node
 * that holds any early-reserved range (arch/x86/mm/numa.c
 * numa_clear_kernel_node_hotplug()).  Of those ranges, firmware puts these
 * where it likes: EFI boot-services code and data (efi_reserve_boot_services()),
 * every ACPI table including the DSDT and FACS (acpi_reserve_initial_tables()),
 * and the first 64 KiB (early_reserve_memory()).
 */
#ifndef HS_CORE_PINS_H
#define HS_CORE_PINS_H

#include "handover.h"
#include "../lib/memmap.h"
#include "../acpi/srat.h"
#include "../acpi/table.h"

/* Linux's memory block size on x86 with less than 64 GiB (memory_block_size_bytes()). */
#define PINS_BLOCK_SIZE (128ull << 20)
/* Linux's own first 64 KiB (early_reserve_memory(), CONFIG_X86_RESERVE_LOW) */
#define PINS_LINUX_LOW_LAST (64 * 1024 - 1)

struct pins_in {
	const struct srat_result *srat;   /* used */
	const struct mm_map *map;         /* may be NULL */
	const struct acpi_loc *acpi;      /* may be NULL */
	size_t nacpi;
	/* what the boot will do with boot-services memory (core/handover.h);
	 * NULL: say what would have to happen (hotshim-report on Linux) */
	const struct handover *handover;
};

/* One node's verdict, as the report prints it. */
enum pins_verdict {
	PINS_NOT_HOT,      /* no hot-pluggable memory in the node */
	PINS_FREE,         /* nothing the firmware placed pins it */
	PINS_ONCE_FREED,   /* removable once its boot-services memory is handed over */
	PINS_PINNED,       /* something that cannot move lies in it */
	PINS_UNKNOWN,      /* no memory map and no ACPI table addresses */
};

struct pins_node {
	uint8_t verdict;           /* enum pins_verdict */
	unsigned acpi, low, boot, kept; /* ACPI tables, Linux's 64 KiB, boot-services
					 * ranges, of them the ones the boot keeps */
	uint64_t first_block, last_block; /* over everything that pins; when acpi+low+boot */
};

/* Prints a part per hot-pluggable node; returns how many nodes are pinned
 * by something that cannot move (or that the boot keeps).  ret (may be
 * NULL) gets each node's verdict, ret[n] for n < the SRAT's node count. */
unsigned pins_report(const struct pins_in *in, struct hs_sink *out, struct pins_node *ret);

/* The prediction a verdict makes for a boot through hotshim: 1 removable
 * (nothing pins it, or only boot-services memory the boot hands over),
 * 0 not, -1 cannot be told.  The JSON, the metrics and the exit status
 * all ask this. */
int pins_removable(unsigned verdict);

/* The verdict's name in the JSON output (docs/report.schema.json). */
const char *pins_verdict_name(unsigned v);

#endif
