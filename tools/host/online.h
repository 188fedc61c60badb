/*
 * What the running Linux did with each node's memory: its memory blocks
 * (/sys/devices/system/memory), their state and zone, and movable_node on
 * the command line; then a verdict per hot-pluggable node, set beside the
 * pre-boot prediction (core/pins.h).  Facts from Linux 6.1:
 *  - drivers/base/memory.c valid_zones_show(): an online block's file
 *    holds its one zone, or "none" when the block spans zones or nodes
 *    (memory_block_offline() then refuses with -EINVAL);
 *  - drivers/base/node.c: nodeN/memoryM links each block to its node(s);
 *  - mm/page_alloc.c find_zone_movable_pfns_for_nodes(): only with
 *    movable_node does a hot-pluggable node's boot memory go to
 *    ZONE_MOVABLE; without it, it is onlined into the kernel zones.
 * Read under a root directory, so tests feed a copy of a guest's files.
 */
#ifndef HS_TOOLS_ONLINE_H
#define HS_TOOLS_ONLINE_H

#include "../../core/report.h"

/* an online block's zone, as valid_zones names it ("none": more than one) */
enum online_zone { OZ_MOVABLE, OZ_NORMAL, OZ_DMA32, OZ_DMA, OZ_NONE, OZ_OTHER, ONLINE_ZONES };

#define OZ_OFFLINE ONLINE_ZONES
#define ONLINE_RUNS 8 /* runs of blocks listed per node */

struct online_run {
	uint64_t first, last; /* block numbers */
	uint8_t zone;         /* enum online_zone; OZ_OFFLINE: offline */
};

struct online_node {
	unsigned blocks, online;
	unsigned zone[ONLINE_ZONES]; /* online blocks by zone */
	uint64_t first, last;        /* block numbers */
	struct online_run run[ONLINE_RUNS];
	unsigned nrun;               /* more than ONLINE_RUNS: the rest not listed */
	bool more_runs;
	struct online_run fixed;     /* the first run online outside zone Movable */
	bool removable;              /* every block offline or online in ZONE_MOVABLE */
	char verdict[360];           /* one line: removable, or what holds it */
	bool matches;                /* the pre-boot prediction said the same */
};

struct online {
	bool have;                   /* /sys/devices/system/memory is there */
	bool via_hotshim;            /* LoaderInfo says hotshim started this kernel */
	uint64_t block_size;
	bool movable_node;
	char auto_online[24];
	unsigned nodes;              /* node[n] valid for n < nodes */
	bool removable;              /* after online_judge(): every hot-pluggable node */
	struct online_node node[SRAT_MAX_NODES];
};

/* Reads root/sys/devices/system/{memory,node} and root/proc/cmdline into
 * ret (have false when there is no memory directory); negative errno when
 * a file there cannot be read. */
int online_read(const char *root, struct online *ret, struct hs_err *err);

/* The verdict of every node the report found hot-pluggable (pins[n] not
 * PINS_NOT_HOT), against the prediction, into o->node[n]; map is the
 * firmware's (RAM in a node Linux shows no block of is not "absent"). */
void online_judge(struct online *o, const struct report_scratch *sc, const struct mm_map *map);

const char *online_zone_name(unsigned z);

/* The text part, after the report. */
void online_print(const struct online *o, const struct report_scratch *sc, struct hs_sink *out);
/* The same as the JSON member "running" (docs/report.schema.json). */
void online_json(const struct online *o, const struct report_scratch *sc, struct hs_json *j);

#endif
