/*
 * The CEDT's CXL Fixed Memory Windows (CFMWS), and the NUMA node Linux 6.1
 * gives each.  After the SRAT and SLIT, acpi_numa_init() walks the CFMWS
 * (drivers/acpi/numa/srat.c, acpi_parse_cfmws()):
 *  - a window that any SRAT memory range overlaps gets no node; that
 *    node's ranges are stretched over it (numa_fill_memblks(); Debian's
 *    6.1.192 has this from 6.1.63: 6.1.0 asked only of the window's start);
 *  - any other gets the lowest unused node and a made-up PXM, one past the
 *    highest PXM any node has, counting up (from 6.1.77 the loop looks at
 *    every node); its range becomes that node's;
 *  - out of PXMs or nodes: "Too many proximity domains while processing
 *    CFMWS." and no later window is looked at.
 * When Linux then drops the SRAT (or there is none), numa_init() starts
 * over without NUMA and the windows' nodes are gone with the rest.  The
 * nodes are possible, not online: no RAM backs them until the CXL driver
 * adds it.
 *
 * CFMWS layout (ACPI 6.5 5.2.28.5, CXL 3.0 9.17.1.3): type 1, length
 * 36 + 4 * ways; base u64 at 8, size u64 at 16, ENIW u8 at 24, arithmetic
 * u8 at 25, HBIG u32 at 28, restrictions u16 at 32, QTG u16 at 34, target
 * UIDs u32 from 36.
 */
#ifndef HS_ACPI_CEDT_H
#define HS_ACPI_CEDT_H

#include "srat.h"

#define CEDT_TYPE_CHBS 0
#define CEDT_TYPE_CFMWS 1
#define CFMWS_TARGETS 36
#define CEDT_MAX_WINDOWS 32
#define CEDT_MAX_TARGETS 16

/* window restrictions */
#define CFMWS_TYPE2 (1u << 0)
#define CFMWS_TYPE3 (1u << 1)
#define CFMWS_VOLATILE (1u << 2)
#define CFMWS_PMEM (1u << 3)
#define CFMWS_FIXED (1u << 4)

struct cedt_window {
	uint64_t base, size;
	uint64_t last;            /* base + size - 1; base when empty, 2^64-1 when it wraps */
	bool empty_or_wraps;      /* Linux adds no memory range for it */
	uint32_t offset;          /* in the table */
	uint8_t eniw, arith;
	uint32_t hbig;
	uint16_t restrict_, qtg;
	unsigned ways;            /* 0: an ENIW Linux's CXL driver refuses */
	uint32_t target[CEDT_MAX_TARGETS];
	unsigned ntarget;         /* of target[] read */
	/* what acpi_numa_init() makes of it */
	int node;                 /* -1: none */
	uint32_t pxm;             /* the made-up PXM, when it made the node */
	bool new_node;            /* false: an SRAT range overlaps it (node is that range's) */
};

struct cedt {
	struct cedt_window w[CEDT_MAX_WINDOWS];
	unsigned n;               /* windows in w[] */
	unsigned more;            /* windows past CEDT_MAX_WINDOWS, not shown */
	unsigned host_bridges;    /* CHBS entries */
	char problem[160];        /* the walk stopped here: why ("" none) */
	bool too_many;            /* Linux ran out of PXMs or nodes */
	unsigned possible;        /* Linux's possible nodes: the SRAT's and these */
};

/* Reads the windows (every subtable bounded by the table's length). */
void cedt_read(struct hs_view t, struct cedt *ret);

/* Bytes per interleave granule, 256 << HBIG; 0 for an HBIG above 6, which
 * Linux's CXL driver refuses (cxl_to_granularity()). */
uint64_t cedt_granularity(const struct cedt_window *w);

/* The node of each window, as above; r is the SRAT in effect (NULL: Linux
 * uses no SRAT, and no window gets a node). */
void cedt_nodes(struct cedt *c, const struct srat_result *r);

#endif
