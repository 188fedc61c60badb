#include "pins.h"

#define MAX_LISTED 12

struct pin_count {
	unsigned boot, kept, acpi, low, listed;
	uint64_t first_block, last_block; /* over everything that pins */
	bool any;
};


/* One node's memory ranges, found once: every map entry and table is
 * asked of each hot-pluggable node, and 1024 nodes by 4096 descriptors by
 * 2048 ranges would be billions of steps (test/bench/scale.c). */
#define NODE_RANGES 32

struct node_ranges {
	const struct srat_result *s;
	unsigned node;
	size_t idx[NODE_RANGES], n;
	bool all; /* more than NODE_RANGES: look through every range */
};

static void node_ranges(const struct srat_result *s, unsigned node, struct node_ranges *ret)
{
	ret->s = s;
	ret->node = node;
	ret->n = 0;
	ret->all = false;
	for (size_t i = 0; i < HS_MIN(s->mem_count, s->mem_cap); i++) {
		if (!s->mem[i].memblk || s->mem[i].node != node)
			continue;
		if (ret->n == NODE_RANGES)
			ret->all = true;
		else
			ret->idx[ret->n++] = i;
	}
}

/* The first of the node's ranges (in table order) that [a, z] meets,
 * clipped to it. */
static bool node_has(const struct node_ranges *r, uint64_t a, uint64_t z, uint64_t *ret_a,
		     uint64_t *ret_z)
{
	const struct srat_result *s = r->s;
	size_t n = r->all ? HS_MIN(s->mem_count, s->mem_cap) : r->n;

	for (size_t k = 0; k < n; k++) {
		const struct srat_mem *m = &s->mem[r->all ? k : r->idx[k]];
		if (!m->memblk || m->node != r->node || m->base > z || m->end - 1 < a)
			continue;
		*ret_a = HS_MAX(a, m->base);
		*ret_z = HS_MIN(z, m->end - 1);
		return true;
	}
	return false;
}

/* What the boot does with a boot-services entry; without a handover (no
 * boot in sight) nothing is freed. */
static enum handover_why verdict(const struct pins_in *in, const struct mm_entry *e)
{
	return in->handover ? handover_judge(in->handover, e->efi_type, e->base, e->last)
			    : HANDOVER_NOT_HOTPLUG;
}

static void pin(struct hs_sink *out, unsigned node, struct pin_count *c, const char *what,
		uint64_t a, uint64_t z, const char *why)
{
	uint64_t b0 = a / PINS_BLOCK_SIZE, b1 = z / PINS_BLOCK_SIZE;
	char sz[24];

	if (!c->any || b0 < c->first_block)
		c->first_block = b0;
	if (!c->any || b1 > c->last_block)
		c->last_block = b1;
	c->any = true;
	if (c->listed++ >= MAX_LISTED)
		return;
	hs_fmt_size(sz, sizeof(sz), z - a + 1);
	char blocks[48];
	if (b0 == b1)
		hs_snprintf(blocks, sizeof(blocks), "memory block %llu", (unsigned long long)b0);
	else
		hs_snprintf(blocks, sizeof(blocks), "memory blocks %llu-%llu", (unsigned long long)b0,
			    (unsigned long long)b1);
	hs_println(out, "node %u: %s [mem %#010llx-%#010llx] (%s) in %s%s%s", node, what,
		   (unsigned long long)a, (unsigned long long)z, sz, blocks, why ? ": " : "",
		   why ? why : "");
}

int pins_removable(unsigned v)
{
	return v == PINS_PINNED ? 0 : v == PINS_UNKNOWN ? -1 : 1;
}

const char *pins_verdict_name(unsigned v)
{
	/* PINS_NOT_HOT, PINS_FREE, PINS_ONCE_FREED, PINS_PINNED, PINS_UNKNOWN */
	return hs_nth_name("not-hot-pluggable\0free\0once-freed\0pinned\0unknown\0", v,
			   "unknown");
}

unsigned pins_report(const struct pins_in *in, struct hs_sink *out, struct pins_node *ret)
{
	const struct srat_result *s = in->srat;
	unsigned pinned = 0;
	bool header = false;

	for (unsigned node = 0; node < s->node_count; node++) {
		bool hot = false;
		if (ret)
			ret[node] = (struct pins_node){ PINS_NOT_HOT };
		for (size_t i = 0; i < HS_MIN(s->mem_count, s->mem_cap); i++)
			if (s->mem[i].memblk && s->mem[i].node == node &&
			    (s->mem[i].flags & SRAT_MEM_HOT_PLUGGABLE))
				hot = true;
		if (!hot)
			continue;
		if (!header) {
			hs_println(out, "What keeps each hot-pluggable node from being removable (Linux 6.1 "
				  "numa_clear_kernel_node_hotplug, %llu MiB memory blocks):",
			     (unsigned long long)(PINS_BLOCK_SIZE >> 20));
			header = true;
		}
		struct pin_count c = { 0 };
		uint64_t a, z, a2, z2;
		struct node_ranges nr;
		node_ranges(s, node, &nr);
		if (node_has(&nr, 0, PINS_LINUX_LOW_LAST, &a, &z)) {
			pin(out, node, &c, "first 64 KiB, reserved by Linux", a, z, NULL);
			c.low++;
		}
		for (size_t k = 0; k < in->nacpi; k++) {
			const struct acpi_loc *t = &in->acpi[k];
			char what[40];
			uint64_t last;
			if (!t->length || __builtin_add_overflow(t->addr, t->length - 1, &last) ||
			    !node_has(&nr, t->addr, last, &a, &z))
				continue;
			hs_snprintf(what, sizeof(what), "ACPI table %s", t->sig);
			pin(out, node, &c, what, a, z, NULL);
			c.acpi++;
		}
		/* boot-services memory, judged entry by entry as the boot will
		 * hand it over; runs of entries with one verdict listed as one */
		uint64_t freed = 0;
		for (size_t k = 0; in->map && k < in->map->count; k++) {
			const struct mm_entry *e = &in->map->e[k];
			if (e->kind != MM_BOOT_SERVICES || !node_has(&nr, e->base, e->last, &a, &z))
				continue;
			/* the entry holding the boot logo, cut as the boot cuts it
			 * (handover_split_logo) and each piece judged */
			uint64_t pa[3], pz[3];
			unsigned np = handover_pieces(in->handover, e->efi_type, e->base, e->last, pa, pz);
			if (np > 1) {
				for (unsigned i = 0; i < np; i++) {
					enum handover_why pw =
						handover_judge(in->handover, e->efi_type, pa[i], pz[i]);
					if (!node_has(&nr, pa[i], pz[i], &a, &z))
						continue;
					if (pw == HANDOVER_FREE) {
						freed++;
						continue;
					}
					pin(out, node, &c, "EFI boot-services code/data", a, z,
					    handover_why_text(pw));
					c.boot++;
					c.kept++;
				}
				continue;
			}
			enum handover_why w = verdict(in, e);
			if (w == HANDOVER_FREE) {
				freed++;
				continue;
			}
			while (k + 1 < in->map->count && in->map->e[k + 1].kind == MM_BOOT_SERVICES &&
			       in->map->e[k + 1].base == z + 1 && verdict(in, &in->map->e[k + 1]) == w &&
			       node_has(&nr, in->map->e[k + 1].base, in->map->e[k + 1].last, &a2, &z2) &&
			       a2 == z + 1)
				z = z2, k++;
			pin(out, node, &c, "EFI boot-services code/data", a, z,
			    in->handover ? handover_why_text(w) : NULL);
			c.boot++;
			/* with a boot in sight, what it does not hand over stays */
			if (in->handover)
				c.kept++;
		}
		if (c.listed > MAX_LISTED)
			hs_println(out, "node %u: ... and %u more", node, c.listed - MAX_LISTED);
		uint8_t v = !c.any ? (!in->map && !in->nacpi ? PINS_UNKNOWN : PINS_FREE)
			    : c.acpi || c.low || c.kept ? PINS_PINNED : PINS_ONCE_FREED;
		if (ret)
			ret[node] = (struct pins_node){ v, c.acpi, c.low, c.boot, c.kept,
							c.first_block, c.last_block };
		/* " once its N boot-services range(s) is/are handed to Linux as
		 * free memory": what a free node's freed ranges wait for, and
		 * what a node removable once freed waits for */
		uint64_t wait = v == PINS_FREE ? freed : c.boot;
		char once[96] = "";
		if (wait || v == PINS_ONCE_FREED)
			hs_snprintf(once, sizeof(once), " once its %llu boot-services range%s %s "
				    "handed to Linux as free memory", (unsigned long long)wait,
				    wait == 1 ? "" : "s", wait == 1 ? "is" : "are");
		if (v == PINS_UNKNOWN) {
			hs_println(out, "node %u: not known here (no memory map, no ACPI table addresses)",
			     node);
		} else if (v == PINS_FREE) {
			hs_println(out, "node %u: nothing the firmware placed pins it%s%s", node, once,
			     in->nacpi ? "" : " (ACPI table addresses not known here)");
		} else if (v == PINS_PINNED) {
			pinned++;
			char blocks[48];
			if (c.first_block == c.last_block)
				hs_snprintf(blocks, sizeof(blocks), "memory block %llu",
					    (unsigned long long)c.first_block);
			else
				hs_snprintf(blocks, sizeof(blocks), "memory blocks %llu-%llu",
					    (unsigned long long)c.first_block,
					    (unsigned long long)c.last_block);
			char why[160];
			size_t o = 0;
			if (c.acpi)
				o = hs_snprintf(why, sizeof(why), "%u ACPI table%s", c.acpi,
						c.acpi == 1 ? "" : "s");
			if (c.low && o < sizeof(why))
				o += hs_snprintf(why + o, sizeof(why) - o, "%sLinux's own first 64 KiB",
						 o ? " and " : "");
			if (c.kept && o < sizeof(why))
				hs_snprintf(why + o, sizeof(why) - o, "%s%u boot-services range%s the boot "
					    "keeps", o ? " and " : "", c.kept, c.kept == 1 ? "" : "s");
			hs_println(out, "node %u: cannot be made removable: %s %s in it and cannot move (%s)",
			     node, why, c.acpi + c.low + c.kept == 1 ? "lies" : "lie", blocks);
		} else {
			hs_println(out, "node %u: removable%s (the UEFI specification frees it at "
				  "ExitBootServices); otherwise Linux keeps the node", node, once);
		}
	}
	return pinned;
}
