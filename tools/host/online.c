/* What the running Linux did with each node's memory (see online.h). */
#include "online.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

#define MEMORY_DIR "/sys/devices/system/memory"
#define NODE_DIR "/sys/devices/system/node"

const char *online_zone_name(unsigned z)
{
	static const char *const name[] = { "Movable", "Normal", "DMA32", "DMA", "none", "other",
					    "offline" };

	return z < HS_ARRAY_SIZE(name) ? name[z] : "other";
}

/* The first line of root/path (sys_read_line). */
static int line(const char *root, const char *path, char *buf, size_t cap)
{
	char p[600];

	snprintf(p, sizeof(p), "%s%s", root, path);
	return sys_read_line(p, buf, cap);
}

static uint8_t zone_of(const char *state, const char *zones)
{
	if (strcmp(state, "online") != 0)
		return OZ_OFFLINE;
	for (unsigned z = 0; z < OZ_OTHER; z++)
		if (!strcmp(zones, online_zone_name(z)))
			return (uint8_t)z;
	return OZ_OTHER;
}

struct block {
	uint64_t nr;
	uint8_t zone;
};

static int by_nr(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* One node's blocks, from its memoryM links. */
static int read_node(const char *root, unsigned n, struct online_node *ret, struct hs_err *err)
{
	char path[600];
	struct block *b = NULL;
	size_t nb = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s" NODE_DIR "/node%u", root, n);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char *end, rel[300], state[32], zones[64];
		if (strncmp(de->d_name, "memory", 6) != 0)
			continue;
		unsigned long long nr = strtoull(de->d_name + 6, &end, 10);
		if (end == de->d_name + 6 || *end)
			continue;
		snprintf(rel, sizeof(rel), MEMORY_DIR "/memory%llu/state", nr);
		int r = line(root, rel, state, sizeof(state));
		if (r == -ENOENT)
			continue; /* removed since the directory was read */
		snprintf(rel, sizeof(rel), MEMORY_DIR "/memory%llu/valid_zones", nr);
		/* without CONFIG_MEMORY_HOTREMOVE there is no valid_zones */
		if (r == 0 && (r = line(root, rel, zones, sizeof(zones))) == -ENOENT) {
			snprintf(zones, sizeof(zones), "unknown");
			r = 0;
		}
		if (r == 0 && nb == cap) {
			struct block *nbp = realloc(b, (cap = cap ? 2 * cap : 64) * sizeof(*b));
			r = nbp ? (b = nbp, 0) : -ENOMEM;
		}
		if (r < 0) {
			hs_err_set(err, "%s%s: %s", root, rel, strerror(-r));
			closedir(d);
			free(b);
			return r;
		}
		b[nb++] = (struct block){ nr, zone_of(state, zones) };
	}
	closedir(d);
	qsort(b, nb, sizeof(*b), by_nr);
	for (size_t i = 0; i < nb; i++) {
		ret->blocks++;
		if (b[i].zone != OZ_OFFLINE) {
			ret->online++;
			ret->zone[b[i].zone]++;
		}
		struct online_run *run = ret->nrun ? &ret->run[ret->nrun - 1] : NULL;
		if (run && run->last + 1 == b[i].nr && run->zone == b[i].zone)
			run->last = b[i].nr;
		else if (ret->nrun < ONLINE_RUNS)
			ret->run[ret->nrun++] = (struct online_run){ b[i].nr, b[i].nr, b[i].zone };
		else
			ret->more_runs = true;
	}
	if (nb) {
		ret->first = b[0].nr;
		ret->last = b[nb - 1].nr;
	}
	/* the first run online outside zone Movable: what the verdict names */
	for (size_t i = 0; i < nb; i++) {
		if (b[i].zone == OZ_MOVABLE || b[i].zone == OZ_OFFLINE)
			continue;
		ret->fixed = (struct online_run){ b[i].nr, b[i].nr, b[i].zone };
		while (i + 1 < nb && b[i + 1].nr == ret->fixed.last + 1 && b[i + 1].zone == b[i].zone)
			ret->fixed.last = b[++i].nr;
		break;
	}
	free(b);
	return 0;
}

int online_read(const char *root, struct online *o, struct hs_err *err)
{
	char buf[4096], path[600];
	int r;

	memset(o, 0, sizeof(*o));
	r = line(root, MEMORY_DIR "/block_size_bytes", buf, sizeof(buf));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		hs_err_set(err, "%s" MEMORY_DIR "/block_size_bytes: %s", root, strerror(-r));
		return r;
	}
	o->have = true;
	o->block_size = strtoull(buf, NULL, 16);
	if (line(root, MEMORY_DIR "/auto_online_blocks", o->auto_online, sizeof(o->auto_online)))
		o->auto_online[0] = '\0';
	if (line(root, "/proc/cmdline", buf, sizeof(buf)) == 0)
		for (char *t = strtok(buf, " \t"); t; t = strtok(NULL, " \t"))
			o->movable_node |= !strcmp(t, "movable_node");
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/efivars/LoaderInfo-" LOADER_GUID, root);
	uint8_t *li;
	size_t li_len;
	if (sys_read(path, 4096, &li, &li_len) == 0) {
		/* 4 attribute bytes, then UCS-2 */
		const char *want = "hotshim";
		o->via_hotshim = li_len >= 4 + 2 * strlen(want);
		for (size_t i = 0; o->via_hotshim && want[i]; i++)
			o->via_hotshim = li[4 + 2 * i] == (uint8_t)want[i] && li[5 + 2 * i] == 0;
		free(li);
	}
	for (unsigned n = 0; n < SRAT_MAX_NODES; n++) {
		r = read_node(root, n, &o->node[n], err);
		if (r < 0) {
			if (!err->msg[0])
				hs_err_set(err, "%s" NODE_DIR "/node%u: %s", root, n, strerror(-r));
			return r;
		}
		if (o->node[n].blocks)
			o->nodes = n + 1;
	}
	return 0;
}


void online_judge(struct online *o, const struct report_scratch *sc, const struct mm_map *map)
{
	o->removable = true;
	for (unsigned n = 0; sc->pins_valid && n < sc->srat.node_count && n < SRAT_MAX_NODES; n++) {
		struct online_node *x = &o->node[n];
		const struct pins_node *p = &sc->pins[n];
		if (p->verdict == PINS_NOT_HOT)
			continue;
		x->removable = x->zone[OZ_MOVABLE] == x->online;
		struct node_sum s;
		report_node_sum(map, false, &sc->srat, n, &s);
		if (!x->blocks && s.kind[MM_CONVENTIONAL]) {
			/* RAM is there, yet no block is this node's: Linux made no
			 * such node (numa=off, or it dropped the SRAT) */
			x->removable = false;
			snprintf(x->verdict, sizeof(x->verdict),
				 "NOT removable: the firmware's map has RAM in the node, but Linux shows "
				 "no memory block in node %u (NUMA off, or the node's memory went to "
				 "another node)", n);
		} else if (!x->blocks) {
			snprintf(x->verdict, sizeof(x->verdict),
				 "removable: none of its memory is present (room for memory added later)");
		} else if (x->removable && !x->online) {
			snprintf(x->verdict, sizeof(x->verdict),
				 "removable: its %u memory blocks (%llu-%llu) are offline", x->blocks,
				 (unsigned long long)x->first, (unsigned long long)x->last);
		} else if (x->removable) {
			snprintf(x->verdict, sizeof(x->verdict),
				 "removable: %u of %u memory blocks (%llu-%llu) online, all in zone Movable",
				 x->online, x->blocks, (unsigned long long)x->first,
				 (unsigned long long)x->last);
		} else {
			const struct online_run *r = &x->fixed;
			char blocks[64], why[200];
			if (r->first == r->last)
				snprintf(blocks, sizeof(blocks), "memory block %llu is",
					 (unsigned long long)r->first);
			else
				snprintf(blocks, sizeof(blocks), "memory blocks %llu-%llu are",
					 (unsigned long long)r->first, (unsigned long long)r->last);
			if (r->zone == OZ_NONE)
				snprintf(why, sizeof(why), "Linux cannot offline such a block");
			else if (!o->movable_node)
				snprintf(why, sizeof(why), "movable_node is not on the kernel command line");
			else if (p->verdict == PINS_PINNED)
				snprintf(why, sizeof(why), "the firmware ranges of the pre-boot list lie in "
					 "blocks %llu-%llu", (unsigned long long)p->first_block,
					 (unsigned long long)p->last_block);
			else if (!o->via_hotshim)
				snprintf(why, sizeof(why), "Linux reserved memory in the node at boot; "
					 "without hotshim, the firmware's boot-services memory there stays "
					 "reserved");
			else
				snprintf(why, sizeof(why), "Linux placed kernel memory in the node at boot");
			snprintf(x->verdict, sizeof(x->verdict), "NOT removable: %s %s%s (%u of %u blocks "
				 "outside zone Movable): %s", blocks,
				 r->zone == OZ_NONE ? "in more than one zone or node" : "in zone ",
				 r->zone == OZ_NONE ? "" : online_zone_name(r->zone),
				 x->online - x->zone[OZ_MOVABLE], x->blocks, why);
		}
		x->matches = pins_removable(p->verdict) == x->removable;
		o->removable &= x->removable;
	}
}

static const char *can_go(unsigned z)
{
	return z == OZ_OFFLINE ? "" : z == OZ_MOVABLE ? ": can go offline"
		: z == OZ_NONE ? ": cannot go offline" : ": may hold memory Linux cannot move";
}

void online_print(const struct online *o, const struct report_scratch *sc, struct hs_sink *out)
{
	hs_println(out, "%s", "");
	if (!o->have) {
		hs_println(out, "What Linux did: not known here (no %s)", MEMORY_DIR);
		return;
	}
	hs_println(out, "What Linux did with each hot-pluggable node (this running kernel: "
		   "movable_node %s, %llu MiB memory blocks, started %s):",
		   o->movable_node ? "on" : "off", (unsigned long long)(o->block_size >> 20),
		   o->via_hotshim ? "by hotshim" : "without hotshim");
	unsigned hot = 0;
	for (unsigned n = 0; sc->pins_valid && n < sc->srat.node_count; n++) {
		const struct online_node *x = &o->node[n];
		if (sc->pins[n].verdict == PINS_NOT_HOT)
			continue;
		hot++;
		hs_println(out, "node %u: %s", n, x->verdict);
		for (unsigned i = 0; i < x->nrun; i++) {
			const struct online_run *r = &x->run[i];
			char b[48];
			if (r->first == r->last)
				hs_snprintf(b, sizeof(b), "block %llu", (unsigned long long)r->first);
			else
				hs_snprintf(b, sizeof(b), "blocks %llu-%llu", (unsigned long long)r->first,
					    (unsigned long long)r->last);
			hs_println(out, "node %u:   %s %s%s%s", n, b,
				   r->zone == OZ_OFFLINE ? "offline"
				   : r->zone == OZ_NONE ? "online in more than one zone" : "online in zone ",
				   r->zone == OZ_OFFLINE || r->zone == OZ_NONE ? "" : online_zone_name(r->zone),
				   can_go(r->zone));
		}
		if (x->more_runs)
			hs_println(out, "node %u:   ... and more", n);
		if (!x->matches)
			hs_println(out, "node %u: this differs from the pre-boot prediction (%s)%s", n,
				   pins_verdict_name(sc->pins[n].verdict),
				   o->via_hotshim ? "" : ", which is for a boot through hotshim");
	}
	if (!hot)
		hs_println(out, "no node is hot-pluggable for Linux");
}

void online_json(const struct online *o, const struct report_scratch *sc, struct hs_json *j)
{
	hs_json_open(j, "running", '{');
	hs_json_raw(j, "\"available\": %s", o->have ? "true" : "false");
	if (o->have) {
		hs_json_raw(j, "\"movable_node\": %s, \"block_size\": %llu, \"via_hotshim\": %s, "
			    "\"removable\": %s", o->movable_node ? "true" : "false",
			    (unsigned long long)o->block_size, o->via_hotshim ? "true" : "false",
			    o->removable ? "true" : "false");
		hs_json_str(j, "auto_online_blocks", o->auto_online);
	}
	hs_json_open(j, "nodes", '[');
	for (unsigned n = 0; o->have && sc->pins_valid && n < sc->srat.node_count; n++) {
		const struct online_node *x = &o->node[n];
		if (sc->pins[n].verdict == PINS_NOT_HOT)
			continue;
		hs_json_open(j, NULL, '{');
		hs_json_raw(j, "\"node\": %u, \"blocks\": %u, \"online\": %u, \"removable\": %s, "
			    "\"matches_prediction\": %s", n, x->blocks, x->online,
			    x->removable ? "true" : "false", x->matches ? "true" : "false");
		hs_json_str(j, "verdict", x->verdict);
		hs_json_open(j, "zones", '{');
		for (unsigned z = 0; z <= OZ_OFFLINE; z++)
			hs_json_raw(j, "\"%s\": %u", online_zone_name(z),
				    z == OZ_OFFLINE ? x->blocks - x->online : x->zone[z]);
		hs_json_close(j, '}');
		hs_json_open(j, "runs", '[');
		for (unsigned i = 0; i < x->nrun; i++)
			hs_json_raw(j, "{\"first\": %llu, \"last\": %llu, \"zone\": \"%s\"}",
				    (unsigned long long)x->run[i].first,
				    (unsigned long long)x->run[i].last, online_zone_name(x->run[i].zone));
		hs_json_close(j, ']');
		hs_json_close(j, '}');
	}
	hs_json_close(j, ']');
	hs_json_close(j, '}');
}
