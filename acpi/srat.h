/*
 * SRAT (System Resource Affinity Table) parsing that reproduces Linux 6.1
 * on x86: node numbering, the exact lines it prints, and whether it ends up
 * using the table.  Layout (ACPI 6.5, 5.2.16):
 *
 *   0  +--------------------------+
 *      | ACPI header (36)         |  signature "SRAT", length, revision ...
 *  36  | reserved (12)            |  table revision 1 = "reserved 1"
 *  48  +--------------------------+
 *      | type u8 | length u8 | .. |  subtables, each its own length
 *      | ...                      |
 *  len +--------------------------+
 */
#ifndef HS_ACPI_SRAT_H
#define HS_ACPI_SRAT_H

#include "../lib/hs.h"

#define SRAT_HDR_LEN 48u

enum srat_type {
	SRAT_TYPE_CPU = 0,        /* processor local APIC/SAPIC affinity, 16 bytes */
	SRAT_TYPE_MEMORY = 1,     /* memory affinity, 40 bytes */
	SRAT_TYPE_X2APIC = 2,     /* processor x2APIC affinity, 24 bytes */
	SRAT_TYPE_GICC = 3,       /* GICC affinity, 18 bytes */
	SRAT_TYPE_GIC_ITS = 4,    /* GIC ITS affinity, 12 bytes */
	SRAT_TYPE_GENERIC_INIT = 5, /* generic initiator affinity, 32 bytes */
	SRAT_TYPE_GENERIC_PORT = 6, /* generic port affinity, 32 bytes */
	SRAT_TYPE_COUNT = 7,
};

#define SRAT_CPU_ENABLED 0x1u
#define SRAT_MEM_ENABLED 0x1u
#define SRAT_MEM_HOT_PLUGGABLE 0x2u
#define SRAT_MEM_NON_VOLATILE 0x4u
#define SRAT_GI_ENABLED 0x1u

/*
 * Linux 6.1's limits as Debian 12's kernel is configured
 * (CONFIG_NODES_SHIFT=10 in /boot/config-6.1.0-*-amd64):
 *   MAX_NUMNODES    = 1 << CONFIG_NODES_SHIFT     include/linux/numa.h
 *   MAX_PXM_DOMAINS = MAX_NUMNODES (above 256)    include/acpi/acpi_numa.h
 *   NR_NODE_MEMBLKS = MAX_NUMNODES * 2            arch/x86/include/asm/numa.h
 *   MAX_LOCAL_APIC  = 32768 on x86-64             arch/x86/include/asm/apicdef.h
 * acpi_map_pxm_to_node() (drivers/acpi/numa/srat.c) refuses a PXM at or
 * above MAX_PXM_DOMAINS and hands out nodes below MAX_NUMNODES; with both
 * 1024, every PXM it accepts gets a node.  A kernel built with a smaller
 * CONFIG_NODES_SHIFT keeps MAX_PXM_DOMAINS at 256.
 */
#define SRAT_NODES_SHIFT 10u
#define SRAT_MAX_NODES (1u << SRAT_NODES_SHIFT)                      /* MAX_NUMNODES */
#define SRAT_MAX_PXM (SRAT_MAX_NODES > 256u ? SRAT_MAX_NODES : 256u) /* MAX_PXM_DOMAINS */
#define SRAT_MAX_MEMBLKS (SRAT_MAX_NODES * 2u)                       /* NR_NODE_MEMBLKS */
#define SRAT_MAX_LOCAL_APIC 32768u
/* default_apic_id_valid() in xAPIC mode: ids below 0xff */
#define SRAT_XAPIC_ID_LIMIT 0xffu

/* One enabled memory affinity entry, as Linux saw it. */
struct srat_mem {
	uint64_t base;
	uint64_t length;
	uint64_t end;      /* base + length, wrapping like Linux's u64 sum */
	uint32_t pxm;      /* after Linux's revision <= 1 masking */
	uint32_t flags;
	uint32_t offset;   /* of the entry within the table */
	uint16_t node;
	bool memblk;       /* Linux recorded it (start < end) */
};

struct srat_node {
	uint32_t pxm;
	uint32_t cpus;     /* enabled CPU entries Linux mapped to this node */
	bool initiator;    /* has a generic initiator */
};

struct srat_opts {
	/* Linux validates x2APIC ids with the APIC driver in use: in xAPIC
	 * mode only ids below 0xff are valid (default_apic_id_valid). */
	bool x2apic_mode;
};

/* [base, last] of memory, inclusive. */
struct srat_span {
	uint64_t base, last;
};

struct srat_result {
	/* caller storage for memory entries */
	struct srat_mem *mem;
	size_t mem_cap;
	size_t mem_count;

	/* Linux's node numbers: node[n] for n < node_count, and its
	 * pxm_to_node_map[] (-1: no node).  About 14 KiB at 1024 nodes, so
	 * the result lives in caller storage (pool or static), never on the
	 * EFI stack. */
	struct srat_node node[SRAT_MAX_NODES];
	int16_t pxm_to_node[SRAT_MAX_PXM];
	unsigned node_count;
	uint8_t revision;

	size_t entries[SRAT_TYPE_COUNT + 1]; /* by type; last = unknown */
	size_t accepted;             /* Linux's parsed_numa_memblks: every enabled
				      * memory entry it took, empty ones too */
	size_t memblks;              /* non-empty ranges it recorded */
	bool used;                   /* Linux keeps the table */
	char why_unused[200];        /* when !used */
	bool reads_past_end;         /* Linux would read beyond the table */
	char problem[4][200];        /* structural problems, table offsets */
	unsigned problem_count;

	/* The ranges' union, merged where they overlap or touch, in address
	 * order: span[0] of every range, span[1] of the hot-pluggable ones.
	 * srat_parse() builds it when every entry fit in mem[] (spans_ok);
	 * numa_stretch() then answers in O(log n), not a pass over every
	 * range per question (test/bench/scale.c).  A result built by hand
	 * and zeroed has spans_ok false. */
	struct srat_span span[2][SRAT_MAX_MEMBLKS];
	size_t spans[2];
	bool spans_ok;
};

/*
 * Parses the whole table (header included) as Linux 6.1 would, printing
 * each line Linux prints to log (may be NULL), one write per line.
 * Returns 0, or -HS_ENOSPC when res->mem_cap is below SRAT_MAX_MEMBLKS
 * and more entries were needed; res describes Linux's view either way.
 */
int srat_parse(struct hs_view table, const struct srat_opts *o, struct srat_result *res,
	       struct hs_sink *log);

/* Minimum subtable length by type (ACPI 6.5), 0 for unknown types. */
unsigned srat_min_len(uint8_t type);
const char *srat_type_name(uint8_t type);

/* Formats Linux's memory line (without "ACPI: "), no newline. */
void srat_mem_line(char *buf, size_t cap, const struct srat_mem *m);

#endif
