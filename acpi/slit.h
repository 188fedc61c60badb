/*
 * The SLIT (ACPI 6.5, 5.2.17: a count of localities, then one byte per
 * pair, row by row) as Linux 6.1 turns it into node distances:
 * drivers/acpi/numa/srat.c slit_valid() and acpi_parse_slit(), and
 * arch/x86/mm/numa.c numa_alloc_distance() and __node_distance().
 */
#ifndef HS_ACPI_SLIT_H
#define HS_ACPI_SLIT_H

#include "srat.h"

#define SLIT_HDR_LEN 44u  /* ACPI header + u64 locality count */
#define SLIT_LOCAL 10u    /* LOCAL_DISTANCE */
#define SLIT_REMOTE 20u   /* REMOTE_DISTANCE: between nodes without a SLIT */

struct slit {
	struct hs_view t;     /* the whole table */
	uint64_t localities;  /* as the table says */
	bool used;            /* Linux takes its distances */
	char why[160];        /* present and not used: why */
};

/*
 * Reads the table as Linux judges it: not used when a locality's distance
 * to itself is not 10 or another is 10 or less ("SLIT table looks
 * invalid. Not used."), and not used here either when the entries would
 * run past the table's end (Linux would read whatever follows it).
 */
void slit_read(struct hs_view t, struct slit *ret);

/* The distance Linux gives from node `from` to node `to` of r: the SLIT's
 * entry for their PXMs when it is used and has both, else 10 within a
 * node and 20 between nodes.  s may be NULL (no SLIT). */
unsigned slit_distance(const struct slit *s, const struct srat_result *r, unsigned from,
		       unsigned to);

#endif
