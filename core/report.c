/*
 * The report, in four parts:
 *   1. the memory lines Linux 6.1 prints for this SRAT (after "ACPI: ")
 *   2. a table per node: CPUs, memory by SRAT, and what the UEFI map
 *      shows inside the node right now
 *   3. warnings that matter for hot-remove
 *   4. a closing line: total hotpluggable bytes and where the table came from
 */
#include "report.h"
#include "../acpi/slit.h"


int report_check_srat(struct hs_view t, const char *where, struct hs_err *err)
{
	struct acpi_header h;

	if (acpi_header_read(t, &h) < 0) {
		hs_err_set(err, "%s: %zu bytes is too short for an ACPI table header (36)", where,
			   t.len);
		return -HS_EINVAL;
	}
	if (hs_memcmp(h.sig, "SRAT", 4) != 0) {
		char sig[5];
		for (int i = 0; i < 4; i++) /* a text file is no table: keep the line one line */
			sig[i] = h.sig[i] >= 0x20 && h.sig[i] < 0x7f ? h.sig[i] : '?';
		sig[4] = '\0';
		hs_err_set(err, "%s: signature is \"%s\", not \"SRAT\"", where, sig);
		return -HS_EINVAL;
	}
	if (h.length != t.len) {
		hs_err_set(err, "%s: header length %u but %zu bytes present", where, h.length,
			   t.len);
		return -HS_EINVAL;
	}
	return 0;
}

/* Section 1 shows the lines Linux prints with the "ACPI: " prefix (memory
 * lines and SRAT errors), with the prefix taken off. */
struct acpi_filter {
	struct hs_sink *out;
};

static void acpi_filter_write(void *ctx, const char *s, size_t n)
{
	struct acpi_filter *f = ctx;

	if (n >= 6 && hs_memcmp(s, "ACPI: ", 6) == 0)
		f->out->write(f->out->ctx, s + 6, n - 6);
}

/* "SRAT revision 3, 200 bytes: 2 processor local APIC affinity, ..." */
static void print_contents(const struct srat_result *r, size_t len, struct hs_sink *out)
{
	char buf[400];
	size_t o = hs_snprintf(buf, sizeof(buf), "SRAT revision %u, %zu bytes:", r->revision, len);
	bool any = false;

	for (unsigned t = 0; t <= SRAT_TYPE_COUNT; t++) {
		if (!r->entries[t] || o >= sizeof(buf))
			continue;
		o += hs_snprintf(buf + o, sizeof(buf) - o, "%s %zu %s", any ? "," : "", r->entries[t],
				 t < SRAT_TYPE_COUNT ? srat_type_name((uint8_t)t) : "of unknown type");
		any = true;
	}
	if (!any && o < sizeof(buf))
		hs_snprintf(buf + o, sizeof(buf) - o, " no entries");
	hs_println(out, "%s", buf);
}

static void size_str(char *b, size_t cap, uint64_t v)
{
	hs_fmt_size(b, cap, v);
}

/* Where to start looking for the map entries that meet [base, ...]: in a
 * sorted map whose entries do not overlap (every firmware's), the first
 * that ends at or after base, found by halving; in any other map, 0. */
static size_t map_from(const struct mm_map *m, bool disjoint, uint64_t base)
{
	size_t lo = 0, hi = m->count;

	if (!disjoint)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->e[mid].last < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool report_map_disjoint(const struct mm_map *map)
{
	/* sorted without overlaps: a range's entries are found by halving and
	 * end where one starts past it (test/bench/scale.c) */
	bool disjoint = true;
	for (size_t k = 1; map && k < map->count; k++)
		disjoint &= map->e[k - 1].last < map->e[k].base;
	return disjoint;
}

void report_node_sum(const struct mm_map *map, bool disjoint, const struct srat_result *r,
		     unsigned node, struct node_sum *s)
{
	size_t n = HS_MIN(r->mem_count, r->mem_cap);

	hs_memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *m = &r->mem[i];
		if (m->node != node || !m->memblk)
			continue;
		s->total += m->length;
		if (m->flags & SRAT_MEM_HOT_PLUGGABLE)
			s->hotplug += m->length;
		if (m->flags & SRAT_MEM_NON_VOLATILE)
			s->nonvol += m->length;
		for (size_t k = map ? map_from(map, disjoint, m->base) : 0;
		     map && k < map->count && (!disjoint || map->e[k].base <= m->end - 1); k++) {
			const struct mm_entry *e = &map->e[k];
			uint64_t a = HS_MAX(e->base, m->base), z = HS_MIN(e->last, m->end - 1);
			if (a <= z && e->kind < MM_KIND_COUNT)
				s->kind[e->kind] += z - a + 1;
		}
	}
}

const enum mm_kind report_cols[REPORT_COLS] = { MM_CONVENTIONAL, MM_BOOT_SERVICES, MM_LOADER,
						MM_RUNTIME, MM_RESERVED, MM_ACPI };

static void print_nodes(const struct report_in *in, const struct srat_result *r,
			const struct cedt *cx, struct hs_sink *out)
{
	char b[12][24];
	bool disjoint = report_map_disjoint(in->map);

	if (in->map)
		hs_println(out, "%4s %5s %5s %10s %10s %10s | %10s %10s %10s %10s %10s %10s", "node",
		     "PXM", "CPUs", "memory", "hotplug", "non-vol", "conv", "boot-svc",
		     "loader", "runtime", "reserved", "ACPI");
	else
		hs_println(out, "%4s %5s %5s %10s %10s %10s", "node", "PXM", "CPUs", "memory",
		     "hotplug", "non-vol");
	for (unsigned node = 0; node < r->node_count; node++) {
		struct node_sum s;

		report_node_sum(in->map, disjoint, r, node, &s);
		size_str(b[0], sizeof(b[0]), s.total);
		size_str(b[1], sizeof(b[1]), s.hotplug);
		size_str(b[2], sizeof(b[2]), s.nonvol);
		if (!in->map) {
			hs_println(out, "%4u %5u %5u %10s %10s %10s", node, r->node[node].pxm,
			     r->node[node].cpus, b[0], b[1], b[2]);
			continue;
		}
		for (unsigned c = 0; c < REPORT_COLS; c++)
			size_str(b[3 + c], sizeof(b[3]), s.kind[report_cols[c]]);
		hs_println(out, "%4u %5u %5u %10s %10s %10s | %10s %10s %10s %10s %10s %10s", node,
		     r->node[node].pxm, r->node[node].cpus, b[0], b[1], b[2], b[3], b[4], b[5],
		     b[6], b[7], b[8]);
	}
	/* the CXL windows' own nodes: no RAM until the CXL driver adds it */
	for (unsigned i = 0; i < cx->n; i++) {
		if (!cx->w[i].new_node)
			continue;
		size_str(b[0], sizeof(b[0]), cx->w[i].size);
		hs_println(out, "%4d %5u %5u %10s %10s %10s%s", cx->w[i].node, cx->w[i].pxm, 0u, b[0],
			   "-", "-", " | CXL window: possible, not online");
	}
}

/* "CXL windows": each CFMWS and the node Linux gives it (acpi/cedt.h). */
static void print_cxl(const struct cedt *c, const struct srat_result *eff, struct hs_sink *out)
{
	/* names in place, not pointers: the image keeps no relocations */
	static const char rname[][12] = { " type-2", " type-3", " volatile", " persistent",
					  " fixed" };

	hs_println(out, "CXL windows (CEDT: %u fixed memory window%s, %u host bridge%s):",
		   c->n + c->more, c->n + c->more == 1 ? "" : "s", c->host_bridges,
		   c->host_bridges == 1 ? "" : "s");
	for (unsigned i = 0; i < c->n; i++) {
		const struct cedt_window *w = &c->w[i];
		char sz[24], rs[64] = "", tg[80] = "", node[120];
		size_t o = 0;
		hs_fmt_size(sz, sizeof(sz), w->size);
		for (unsigned k = 0; k < HS_ARRAY_SIZE(rname); k++)
			if (w->restrict_ & (1u << k))
				o += hs_snprintf(rs + o, sizeof(rs) - o, "%s", rname[k]);
		o = 0;
		for (unsigned k = 0; k < w->ntarget && o < sizeof(tg); k++)
			o += hs_snprintf(tg + o, sizeof(tg) - o, "%s%#x", k ? " " : "", w->target[k]);
		if (w->new_node)
			hs_snprintf(node, sizeof(node), "node %d (PXM %u), possible, not online until "
				    "the CXL driver adds the memory", w->node, w->pxm);
		else if (w->node >= 0)
			hs_snprintf(node, sizeof(node), "node %d's: an SRAT range overlaps it, and Linux "
				    "stretches that node over the window", w->node);
		else
			hs_snprintf(node, sizeof(node), "no node (%s)", !eff ? "Linux uses no NUMA here"
				    : "Linux ran out of proximity domains: \"Too many proximity "
				      "domains while processing CFMWS.\"");
		hs_println(out, "  window %u [mem %#010llx-%#010llx] %s%s, %u-way, %llu B granules,%s, "
			   "QTG %u, targets %s: %s", i, (unsigned long long)w->base,
			   (unsigned long long)w->last, sz,
			   w->empty_or_wraps ? " (empty or past 2^64: Linux adds no range)" : "",
			   w->ways, (unsigned long long)cedt_granularity(w),
			   rs[0] ? rs : " no restrictions", w->qtg, tg[0] ? tg : "none", node);
	}
	if (c->more)
		hs_println(out, "  ... and %u more windows", c->more);
	if (c->problem[0])
		hs_println(out, "  CEDT problem at %s", c->problem);
	if (c->possible > 1)
		hs_println(out, "Linux's possible nodes: 0-%u", c->possible - 1);
	else
		hs_println(out, "Linux's possible nodes: 0");
}

/* The distances Linux will use, laid out as numactl -H prints them. */
#define MAX_DIST_SHOWN 16
static void print_distances(const struct report_in *in, const struct srat_result *r,
			    struct hs_sink *out)
{
	struct slit s = { 0 };
	unsigned n = HS_MIN(r->node_count, MAX_DIST_SHOWN);
	char line[8 + 6 * MAX_DIST_SHOWN];

	if (in->have_slit)
		slit_read(in->slit, &s);
	if (!in->have_slit)
		hs_println(out, "node distances (no SLIT: Linux uses %u within a node, %u between):",
			   SLIT_LOCAL, SLIT_REMOTE);
	else if (!s.used)
		hs_println(out, "node distances (SLIT not used, %s; Linux uses %u within a node, %u "
			   "between):", s.why, SLIT_LOCAL, SLIT_REMOTE);
	else
		hs_println(out, "node distances (SLIT, %llu localities):",
			   (unsigned long long)s.localities);
	if (n < r->node_count)
		hs_println(out, "(the first %u of %u nodes)", n, r->node_count);
	size_t o = hs_snprintf(line, sizeof(line), "node");
	for (unsigned j = 0; j < n; j++)
		o += hs_snprintf(line + o, sizeof(line) - o, " %3u", j);
	hs_println(out, "%s", line);
	for (unsigned i = 0; i < n; i++) {
		o = hs_snprintf(line, sizeof(line), "%3u:", i);
		for (unsigned j = 0; j < n; j++)
			o += hs_snprintf(line + o, sizeof(line) - o, " %3u",
					 slit_distance(in->have_slit ? &s : NULL, r, i, j));
		hs_println(out, "%s", line);
	}
}

static bool in_hotplug(const struct srat_result *r, uint64_t a, uint64_t z,
		       const struct srat_mem **ret)
{
	for (size_t i = 0; i < HS_MIN(r->mem_count, r->mem_cap); i++) {
		const struct srat_mem *m = &r->mem[i];
		if (m->memblk && (m->flags & SRAT_MEM_HOT_PLUGGABLE) && m->base <= z &&
		    a <= m->end - 1) {
			*ret = m;
			return true;
		}
	}
	return false;
}

#define MAX_LISTED 8

/* after MAX_LISTED warnings of a kind, one line for the rest */
static void warn_more(unsigned w, const char *what, struct hs_sink *out)
{
	if (w > MAX_LISTED)
		hs_println(out, "warning: ... and %u more %s", w - MAX_LISTED, what);
}

static unsigned warn_uncovered(const struct report_in *in, const struct srat_result *r,
			       struct hs_sink *out)
{
	unsigned w = 0;

	for (size_t k = 0; k < in->map->count; k++) {
		const struct mm_entry *e = &in->map->e[k];
		if (!mm_is_ram(e->kind))
			continue;
		for (uint64_t pos = e->base;;) {
			bool cov;
			uint64_t z = numa_stretch(r, 0, pos, e->last, &cov);
			if (!cov && w++ < MAX_LISTED)
				hs_println(out, "warning: %s RAM [mem %#010llx-%#010llx] is in no SRAT range",
				     mm_kind_name(e->kind), (unsigned long long)pos,
				     (unsigned long long)z);
			if (z >= e->last)
				break;
			pos = z + 1;
		}
	}
	warn_more(w, "RAM ranges in no SRAT range", out);
	return w;
}

static unsigned warn_overlaps(const struct srat_result *r, struct hs_sink *out)
{
	size_t n = HS_MIN(r->mem_count, r->mem_cap);
	unsigned w = 0;

	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *a = &r->mem[i];
		if (!a->memblk)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct srat_mem *b = &r->mem[j];
			if (!b->memblk || !(a->base <= b->end - 1 && b->base <= a->end - 1))
				continue;
			if (w++ < MAX_LISTED)
				hs_println(out, "warning: SRAT ranges overlap: node %u [mem %#010llx-%#010llx] "
					  "and node %u [mem %#010llx-%#010llx]%s",
				     a->node, (unsigned long long)a->base,
				     (unsigned long long)(a->end - 1), b->node,
				     (unsigned long long)b->base, (unsigned long long)(b->end - 1),
				     a->node == b->node ? " (same node: Linux merges them)"
							: " (Linux gives up NUMA if both hold RAM)");
		}
	}
	warn_more(w, "overlapping pairs", out);
	return w;
}

/* Ranges of one node with another node's range in between: Linux keeps
 * them apart (numa_cleanup_meminfo only joins when no other node lies in
 * the hole), and hot-remove has to deal with each piece. */
static unsigned warn_split(const struct srat_result *r, struct hs_sink *out)
{
	size_t n = HS_MIN(r->mem_count, r->mem_cap);
	unsigned w = 0;

	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *a = &r->mem[i];
		if (!a->memblk)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct srat_mem *b = &r->mem[j];
			if (!b->memblk || b->node != a->node)
				continue;
			uint64_t lo = HS_MIN(a->base, b->base);
			uint64_t hi = HS_MAX(a->end - 1, b->end - 1);
			for (size_t k = 0; k < n; k++) {
				const struct srat_mem *c = &r->mem[k];
				if (!c->memblk || c->node == a->node || c->base > hi ||
				    c->end - 1 < lo)
					continue;
				if (w++ < MAX_LISTED)
					hs_println(out, "warning: node %u (PXM %u) is split around node %u: "
						  "[mem %#010llx-%#010llx] lies between "
						  "[mem %#010llx-%#010llx] and [mem %#010llx-%#010llx]",
					     a->node, a->pxm, c->node, (unsigned long long)c->base,
					     (unsigned long long)(c->end - 1),
					     (unsigned long long)a->base,
					     (unsigned long long)(a->end - 1),
					     (unsigned long long)b->base,
					     (unsigned long long)(b->end - 1));
				break;
			}
		}
	}
	warn_more(w, "split pairs", out);
	return w;
}

/* The notes and warnings that matter for hot-remove; returns how many
 * warnings (the image note is not one). */
unsigned report_warnings(const struct report_in *in, const struct srat_result *r, bool used,
			 struct hs_sink *out)
{
	unsigned warns = 0;
	const struct srat_mem *hm;
	if (in->image_last && in_hotplug(r, in->image_base, in->image_last, &hm))
		hs_println(out, "note: the firmware loaded hotshim [mem %#010llx-%#010llx] into "
			  "hot-pluggable node %u [mem %#010llx-%#010llx]; nothing is placed next to "
			  "it, and its pages are free RAM once the kernel runs",
		     (unsigned long long)in->image_base, (unsigned long long)in->image_last,
		     hm->node, (unsigned long long)hm->base, (unsigned long long)(hm->end - 1));
	if (in->map)
		warns += warn_uncovered(in, r, out);
	warns += warn_overlaps(r, out);
	warns += warn_split(r, out);
	if (!used) {
		for (unsigned n = 0; n < r->node_count; n++) {
			if (!r->node[n].initiator)
				continue;
			hs_println(out, "warning: node %u (PXM %u) holds a generic initiator and Linux rejects "
				  "this SRAT: Linux 6.1.192 panics in mem_init() on such a table",
			     n, r->node[n].pxm);
			warns++;
			break;
		}
	}
	if (r->reads_past_end) {
		hs_println(out, "warning: Linux reads past the end of this SRAT; what it prints then "
			  "depends on the bytes after the table");
		warns++;
	}
	return warns;
}

static void kernel_desc(const struct kernel *k, char *buf, size_t cap)
{
	char sz[24];

	if (k->kind == KERNEL_ELF) {
		hs_fmt_size(sz, sizeof(sz), k->elf.last - k->elf.lo + 1);
		hs_snprintf(buf, cap, "an ELF kernel (hotshim protocol, %s%s)", sz,
			    k->elf.dyn ? ", position-independent" : "");
		return;
	}
	hs_fmt_size(sz, sizeof(sz), k->lx.init_size);
	hs_snprintf(buf, cap, "a bzImage with init_size %s%s", sz,
		    k->assumed ? " (no kernel= given: about Debian 12's)" : "");
}

/* The plan `boot` would make with the same arguments, committed with
 * AllocatePages to prove the pages can be had, and released. */
void report_plan(const struct report_in *in, const struct ovr_result *ovr,
		 const struct srat_result *srat, struct report_scratch *scratch,
		 struct report_plan *ret)
{
	struct memblock mb = {
		{ scratch->mb_memory, 0, HS_ARRAY_SIZE(scratch->mb_memory) },
		{ scratch->mb_reserved, 0, HS_ARRAY_SIZE(scratch->mb_reserved) },
	};
	struct plan_in survey = { .map = in->map, .ndesc = in->ndesc, .desc_size = in->desc_size,
				  .srat = srat, .image_base = in->image_base,
				  .image_last = in->image_last, .cpu = in->cpu,
				  .commit = in->commit };
	struct plan_in pin;
	struct hs_err err = { "" };
	char cmdline[CLI_MAX_LINE + 16];

	hs_memset(ret, 0, sizeof(*ret));
	if (mb_build(&mb, in->map, srat, in->image_base, in->image_last) < 0) {
		hs_snprintf(ret->fail, sizeof(ret->fail),
			    "the memory map has more ranges than hotshim models (%zu)",
			    HS_ARRAY_SIZE(scratch->mb_memory));
		return;
	}
	struct plan_args args = *in->boot;
	/* the initrd's table applies: the boot places a rebuilt RSDP/XSDT with it */
	if (ovr && ovr->chosen >= 0 && in->have_srat)
		args.override_len = in->srat.len;
	kernel_desc(args.kernel, ret->what, sizeof(ret->what));
	ret->described = true;
	if (kernel_check(args.kernel, &in->kctx, &err) < 0)
		hs_snprintf(ret->refuse, sizeof(ret->refuse), "%s", err.msg);
	if (plan_inputs(&args, &survey, cmdline, sizeof(cmdline), &ret->movable, &pin, &err) < 0) {
		hs_snprintf(ret->fail, sizeof(ret->fail), "%s", err.msg);
		return;
	}
	scratch->plan.ranges = scratch->ranges;
	if (plan_make(&mb, &pin, &scratch->plan, &err) < 0)
		hs_snprintf(ret->place_fail, sizeof(ret->place_fail), "%s", err.msg);
	ret->made = true;
	if (in->commit && in->commit->release_all)
		in->commit->release_all(in->commit->ctx);
}

static void print_plan(const struct report_in *in, const struct ovr_result *ovr,
		       const struct srat_result *srat, struct report_scratch *scratch,
		       struct hs_sink *out)
{
	struct report_plan p;

	report_plan(in, ovr, srat, scratch, &p);
	if (!p.described) {
		hs_println(out, "Placement plan: %s", p.fail);
		return;
	}
	hs_println(out, "Placement plan, as `boot` would make it, for %s:", p.what);
	hs_println(out, "  (bottom-up %s, never in hot-pluggable memory%s)",
		   in->image_last ? "above hotshim's image" : "from 1 MiB: hotshim's image is not known here",
		   in->commit ? "; each piece committed with AllocatePages and released again" : "");
	if (p.refuse[0])
		hs_println(out, "  boot would refuse this: %s", p.refuse);
	if (!p.made) {
		hs_println(out, "  cannot plan: %s", p.fail);
		return;
	}
	plan_print(&scratch->plan, srat, out);
	if (p.place_fail[0])
		hs_println(out, "  cannot place: %s", p.place_fail);
	if (p.movable)
		hs_println(out, "  command line gets movable_node");
}

uint64_t report_hotplug_bytes(const struct srat_result *r, unsigned *ret_ranges)
{
	uint64_t hp = 0;
	unsigned ranges = 0;

	for (size_t i = 0; i < HS_MIN(r->mem_count, r->mem_cap); i++) {
		const struct srat_mem *m = &r->mem[i];
		if (m->memblk && (m->flags & SRAT_MEM_HOT_PLUGGABLE)) {
			hp += m->length;
			ranges++;
		}
	}
	*ret_ranges = ranges;
	return hp;
}

static void closing(const struct report_in *in, const struct srat_result *r, bool used,
		    struct hs_sink *out)
{
	struct acpi_header h;
	unsigned ranges;
	uint64_t hp = report_hotplug_bytes(r, &ranges);
	char sz[24];

	acpi_header_read(in->srat, &h);
	size_str(sz, sizeof(sz), hp);
	char what[120];
	if (used)
		hs_snprintf(what, sizeof(what), "%s (%#llx bytes) in %u range%s", sz,
			    (unsigned long long)hp, ranges, ranges == 1 ? "" : "s");
	else
		hs_snprintf(what, sizeof(what), "0 B for Linux, which does not use this SRAT (it "
			    "marks %s in %u range%s)", sz, ranges, ranges == 1 ? "" : "s");
	hs_println(out, "hotpluggable: %s; SRAT from %s: OEM ID \"%s\", table ID \"%s\", OEM "
		   "revision %u, revision %u", what, in->source, h.oem_id, h.oem_table_id,
		   h.oem_revision, h.revision);
}

static int report_print_table(const struct report_in *in, const struct report_in *fw_in,
			      const struct ovr_result *ovr, struct report_scratch *scratch,
			      struct hs_sink *out, struct hs_err *err);

void report_choose(const struct report_in *in, struct ovr_result *ovr, struct srat_choice *ret)
{
	struct acpi_header fw;
	bool fw_ok = in->have_srat && acpi_header_read(in->srat, &fw) == 0;

	ret->have = in->have_srat;
	ret->table = in->srat;
	hs_snprintf(ret->source, sizeof(ret->source), "%s", in->source);
	if (!in->have_initrd)
		return;
	ovr_select(in->initrd, "SRAT", fw_ok ? &fw : NULL, in->locked_down, ovr);
	if (ovr->chosen < 0)
		return;
	const struct ovr_candidate *c = &ovr->c[ovr->chosen];
	ret->have = true;
	ret->table = c->table;
	if (c->verdict == OVR_CHOSEN)
		hs_snprintf(ret->source, sizeof(ret->source), "initrd override %s (OEM rev %u > %u)",
			    c->name, c->hdr.oem_revision, fw.oem_revision);
	else
		hs_snprintf(ret->source, sizeof(ret->source),
			    "initrd table %s (the firmware has no SRAT)", c->name);
}

void report_initrd_lines(const struct report_in *in, const struct ovr_result *o,
			struct hs_sink *out)
{
	struct acpi_header fw;
	bool fw_ok = in->have_srat && acpi_header_read(in->srat, &fw) == 0;
	char why[300];

	if (in->locked_down)
		hs_println(out, "Secure Boot is on: Linux will be locked down and ignore every table "
			  "override in the initrd");
	for (unsigned i = 0; i < o->count; i++) {
		ovr_describe(&o->c[i], fw_ok ? &fw : NULL, why, sizeof(why));
		hs_println(out, "initrd %s: %s at offset %#zx: %s", in->initrd_name, o->c[i].name,
		     o->c[i].offset, why);
	}
	if (o->count == 0)
		hs_println(out, "initrd %s: no file under %s in its leading cpio archives", in->initrd_name,
		     OVR_PATH);
	if (o->stop != CPIO_STOP_END || o->hit_limit)
		hs_println(out, "initrd %s: Linux stops looking at offset %#zx: %s", in->initrd_name,
		     o->stop_off, o->stop_what);
}

int report_in_effect(const struct report_in *in0, struct report_scratch *sc,
		     struct srat_choice *choice, struct report_in *ret, struct hs_err *err)
{
	sc->pins_valid = false;
	report_choose(in0, &sc->ovr, choice);
	/* a table that is no SRAT at all: say so before anything else */
	if (choice->have && report_check_srat(choice->table, choice->source, err) < 0)
		return -HS_EINVAL;
	*ret = *in0;
	ret->have_srat = choice->have;
	ret->srat = choice->table;
	ret->source = choice->source;
	return 0;
}

void report_pins(const struct report_in *in, const struct srat_result *r,
		 const struct srat_result *eff, struct report_scratch *sc, struct hs_sink *out)
{
	/* the handover is the Linux path's; the hotshim protocol hands all
	 * boot-services memory over as usable, and says so itself */
	bool lx = in->boot && in->boot->kernel->kind == KERNEL_LINUX;
	struct handover h = in->handover;
	h.srat = eff;
	struct pins_in pi = { r, in->map, in->acpi, in->nacpi, lx ? &h : NULL };

	pins_report(&pi, out, sc->pins);
	sc->pins_valid = true;
}

int report_print(const struct report_in *in0, struct report_scratch *scratch,
		 struct hs_sink *out, struct hs_err *err)
{
	struct srat_choice choice;
	struct report_in in;

	if (report_in_effect(in0, scratch, &choice, &in, err) < 0)
		return -HS_EINVAL;
	return report_print_table(&in, in0, in0->have_initrd ? &scratch->ovr : NULL, scratch, out,
				  err);
}
/* in: the table in effect; fw_in: what the firmware had (for the initrd
 * lines, which compare against the firmware's table). */
static int report_print_table(const struct report_in *in, const struct report_in *fw_in,
			      const struct ovr_result *ovr, struct report_scratch *scratch,
			      struct hs_sink *out, struct hs_err *err)
{
	struct srat_result *r = &scratch->srat;
	struct acpi_filter f = { out };
	struct hs_sink fs = { acpi_filter_write, &f };
	int ret;

	hs_println(out, "hotshim %s: SRAT hotplug report", HS_VERSION);
	for (unsigned i = 0; in->warn && i < in->warn->count; i++)
		hs_println(out, "warning: %s", in->warn->line[i]);
	if (ovr)
		report_initrd_lines(fw_in, ovr, out);
	if (!in->have_srat) {
		hs_println(out, "no SRAT: firmware describes one node");
		if (in->have_cedt) {
			cedt_read(in->cedt, &scratch->cedt);
			cedt_nodes(&scratch->cedt, NULL);
			print_cxl(&scratch->cedt, NULL, out);
		}
		if (in->map && in->boot)
			print_plan(in, ovr, NULL, scratch, out);
		return 0;
	}
	ret = report_check_srat(in->srat, in->source, err);
	if (ret < 0)
		return ret;

	r->mem = scratch->mem;
	r->mem_cap = HS_ARRAY_SIZE(scratch->mem);
	struct numa_verdict v;
	struct mm_map empty = { 0 };
	const struct srat_result *eff = numa_survey(in->srat, &in->opts, in->map ? in->map : &empty,
						    r, &v, &fs);
	if (r->mem_count > r->mem_cap)
		hs_println(out, "note: %zu memory entries; the summary counts the first %zu", r->mem_count,
		     r->mem_cap);
	print_contents(r, in->srat.len, out);
	if (acpi_sum(in->srat.data, in->srat.len) != 0)
		hs_println(out, "warning: SRAT checksum is wrong; Linux (ACPICA) only warns and uses "
			  "the table");
	for (unsigned i = 0; i < r->problem_count; i++)
		hs_println(out, "SRAT problem at %s", r->problem[i]);

	if (v.used)
		hs_println(out, "Linux uses this SRAT: %u node%s", r->node_count,
		     r->node_count == 1 ? "" : "s");
	else
		hs_println(out, "Linux does not use this SRAT, it falls back to one node: %s", v.why);
	hs_println(out, "%s", "");
	struct cedt *cx = &scratch->cedt;
	cx->n = cx->more = 0;
	if (in->have_cedt) {
		cedt_read(in->cedt, cx);
		cedt_nodes(cx, eff);
	}
	print_nodes(in, r, cx, out);
	hs_println(out, "%s", "");
	if (in->have_cedt) {
		print_cxl(cx, eff, out);
		hs_println(out, "%s", "");
	}
	if (eff && r->node_count > 1) {
		print_distances(in, r, out);
		hs_println(out, "%s", "");
	}

	if (!report_warnings(in, r, v.used, out))
		hs_println(out, "no warnings");
	if (eff)
		report_pins(in, r, eff, scratch, out);
	if (in->map && in->boot)
		print_plan(in, ovr, eff, scratch, out);
	closing(in, r, v.used, out);

	if (in->linux_log) {
		hs_println(out, "%s", "");
		hs_println(out, "Linux 6.1 log lines for this SRAT:");
		if (ovr)
			ovr_linux_log(ovr, "SRAT", in->locked_down, out);
		srat_parse(in->srat, &in->opts, r, out);
		hs_println(out, "end of Linux log lines");
	}
	return 0;
}
