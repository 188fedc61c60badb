/*
 * What Linux 6.1 does with the SRAT's memory ranges once it has them:
 * arch/x86/mm/numa.c numa_cleanup_meminfo() and numa_meminfo_cover_memory().
 * Needs the firmware's RAM, so it lives apart from acpi/srat.c.
 */
#ifndef HS_CORE_NUMA_H
#define HS_CORE_NUMA_H

#include "../lib/memmap.h"
#include "../acpi/srat.h"

struct numa_verdict {
	bool used;
	char why[200];
	uint64_t ram_bytes;       /* RAM below the top of RAM */
	uint64_t uncovered_bytes; /* RAM no SRAT range covers */
};

/* Linux's cover check allows 1 MiB of RAM outside every node. */
#define NUMA_COVER_SLACK HS_MIB

void numa_check(const struct srat_result *srat, const struct mm_map *map,
		struct numa_verdict *ret);

/*
 * The SRAT in effect, decided once for the report and the boot alike: the
 * table parsed as Linux parses it (its lines to log, which may be NULL),
 * then Linux's checks against the firmware's RAM.  r brings its own
 * storage (r->mem, r->mem_cap).  Returns r when Linux will use the table,
 * NULL when it falls back to one node (v->why says why).
 */
const struct srat_result *numa_survey(struct hs_view table, const struct srat_opts *o,
				      const struct mm_map *map, struct srat_result *r,
				      struct numa_verdict *v, struct hs_sink *log);

/*
 * The stretch of [pos, last] that starts at pos and is either covered by
 * the SRAT's memory ranges having every flag of need (0: any range) or
 * covered by none of them; returns its last address and says which.
 * Ranges may overlap or touch: covered stretches take the furthest reach.
 * The one coverage walk of Linux's cover check, the report's warnings and
 * the handover's "wholly hot-pluggable".
 */
uint64_t numa_stretch(const struct srat_result *s, uint32_t need, uint64_t pos, uint64_t last,
		      bool *ret_covered);

/* Does any part of [a, z] lie in a hot-pluggable range of s (NULL: no)? */
bool numa_touches_hotplug(const struct srat_result *s, uint64_t a, uint64_t z);
/* Does s mark anything hot-pluggable at all? */
bool numa_any_hotplug(const struct srat_result *s);

/* True when [a, b] (inclusive) overlaps RAM of the map. */
bool numa_overlaps_ram(const struct mm_map *map, uint64_t a, uint64_t b);

#endif
