/*
 * The report as one JSON document, for fleets (docs/JSON.md, checked
 * against docs/report.schema.json by the tests).  It is computed by the
 * same functions as the text report: the SRAT in effect (numa_survey),
 * the node sums, the pins verdicts, the plan; lines that explain (the
 * warnings, what pins a node) are the text report's lines, one string each.
 */
#include "report.h"
#include "../acpi/slit.h"

/* the distances of the first nodes; the full matrix of 1024 nodes would
 * be a million numbers */
#define MAX_DIST_JSON 64

static void null_write(void *ctx, const char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
}

#define B(x) ((x) ? "true" : "false")
#define U(x) ((unsigned long long)(x))

static void srat_json(struct hs_json *j, const struct report_in *in, const struct srat_result *r,
		      const struct numa_verdict *v)
{
	struct acpi_header h;

	acpi_header_read(in->srat, &h);
	hs_json_open(j, "srat", '{');
	hs_json_str(j, "source", in->source);
	hs_json_str(j, "oem_id", h.oem_id);
	hs_json_str(j, "oem_table_id", h.oem_table_id);
	hs_json_raw(j, "\"oem_revision\": %u, \"revision\": %u, \"length\": %zu, "
		    "\"checksum_ok\": %s, \"used\": %s", h.oem_revision, h.revision, in->srat.len,
		    B(acpi_sum(in->srat.data, in->srat.len) == 0), B(v->used));
	hs_json_str(j, "why_unused", v->used ? NULL : v->why);
	hs_json_open(j, "problems", '[');
	for (unsigned i = 0; i < r->problem_count; i++)
		hs_json_str(j, NULL, r->problem[i]);
	hs_json_close(j, ']');
	hs_json_close(j, '}');
}

static void node_json(struct hs_json *j, const struct report_in *in, const struct srat_result *r,
		      const struct report_scratch *sc, bool disjoint, unsigned node)
{
	struct node_sum s;

	report_node_sum(in->map, disjoint, r, node, &s);
	hs_json_open(j, NULL, '{');
	hs_json_raw(j, "\"node\": %u, \"pxm\": %u, \"cpus\": %u, \"memory_bytes\": %llu, "
		    "\"hotplug_bytes\": %llu, \"nonvolatile_bytes\": %llu", node,
		    r->node[node].pxm, r->node[node].cpus, U(s.total), U(s.hotplug), U(s.nonvol));
	if (in->map)
		hs_json_raw(j, "\"map_bytes\": {\"conventional\": %llu, \"boot_services\": %llu, "
			    "\"loader\": %llu, \"runtime\": %llu, \"reserved\": %llu, \"acpi\": %llu}",
			    U(s.kind[report_cols[0]]), U(s.kind[report_cols[1]]),
			    U(s.kind[report_cols[2]]), U(s.kind[report_cols[3]]),
			    U(s.kind[report_cols[4]]), U(s.kind[report_cols[5]]));
	hs_json_open(j, "ranges", '[');
	for (size_t i = 0; i < HS_MIN(r->mem_count, r->mem_cap); i++) {
		const struct srat_mem *m = &r->mem[i];
		if (m->node == node && m->memblk)
			hs_json_raw(j, "{\"base\": \"%#llx\", \"last\": \"%#llx\", \"hotplug\": %s, "
				    "\"nonvolatile\": %s}", U(m->base), U(m->end - 1),
				    B(m->flags & SRAT_MEM_HOT_PLUGGABLE),
				    B(m->flags & SRAT_MEM_NON_VOLATILE));
	}
	hs_json_close(j, ']');
	if (sc->pins_valid) {
		const struct pins_node *p = &sc->pins[node];
		hs_json_raw(j, "\"prediction\": {\"verdict\": \"%s\", \"acpi_tables\": %u, "
			    "\"linux_low_64k\": %s, \"boot_services_ranges\": %u, "
			    "\"kept_boot_services_ranges\": %u, \"first_block\": %lld, "
			    "\"last_block\": %lld}", pins_verdict_name(p->verdict), p->acpi, B(p->low),
			    p->boot, p->kept, p->acpi + p->low + p->boot ? (long long)p->first_block : -1,
			    p->acpi + p->low + p->boot ? (long long)p->last_block : -1);
	}
	hs_json_close(j, '}');
}

static void distances_json(struct hs_json *j, const struct report_in *in,
			   const struct srat_result *r)
{
	struct slit s = { 0 };
	unsigned n = HS_MIN(r->node_count, MAX_DIST_JSON);

	if (in->have_slit)
		slit_read(in->slit, &s);
	hs_json_open(j, "distances", '{');
	hs_json_raw(j, "\"source\": \"%s\", \"nodes_shown\": %u",
		    !in->have_slit ? "default" : s.used ? "slit" : "slit-not-used", n);
	hs_json_str(j, "why_not_used", in->have_slit && !s.used ? s.why : NULL);
	hs_json_open(j, "matrix", '[');
	for (unsigned a = 0; a < n; a++) {
		hs_json_raw(j, "[");
		for (unsigned b = 0; b < n; b++)
			hs_print(j->out, "%s%u", b ? ", " : "",
				 slit_distance(in->have_slit ? &s : NULL, r, a, b));
		hs_print(j->out, "]");
	}
	hs_json_close(j, ']');
	hs_json_close(j, '}');
}

static void plan_json(struct hs_json *j, const struct report_in *in, const struct ovr_result *ovr,
		      const struct srat_result *srat, struct report_scratch *sc)
{
	struct report_plan p;
	const struct plan *pl = &sc->plan;
	bool hot = false;

	report_plan(in, ovr, srat, sc, &p);
	hs_json_open(j, "plan", '{');
	hs_json_str(j, "kernel", p.described ? p.what : NULL);
	hs_json_str(j, "refused", p.refuse[0] ? p.refuse : NULL);
	hs_json_str(j, "error", p.made ? p.place_fail[0] ? p.place_fail : NULL : p.fail);
	hs_json_open(j, "pieces", '[');
	for (size_t i = 0; p.made && i < pl->n; i++) {
		const struct plan_piece *c = &pl->piece[i];
		uint64_t last = plan_piece_last(c);
		bool h = numa_touches_hotplug(srat, c->base, last);
		hot |= h;
		hs_json_raw(j, "{\"what\": \"%s\", \"base\": \"%#llx\", \"last\": \"%#llx\", "
			    "\"size\": %llu, \"node\": %d, \"hotplug\": %s}", c->what, U(c->base),
			    U(last), U(c->size), (int)c->node, B(h));
	}
	hs_json_close(j, ']');
	hs_json_raw(j, "\"movable_node_added\": %s, \"clear_of_hotplug\": %s", B(p.movable),
		    B(p.made && !hot));
	hs_json_close(j, '}');
}

static void cxl_json(struct hs_json *j, const struct report_in *in, const struct srat_result *eff,
		     struct cedt *c)
{
	cedt_read(in->cedt, c);
	cedt_nodes(c, eff);
	hs_json_open(j, "cxl", '{');
	hs_json_raw(j, "\"host_bridges\": %u, \"windows_not_listed\": %u, \"out_of_nodes\": %s, "
		    "\"possible_nodes\": %u", c->host_bridges, c->more, B(c->too_many), c->possible);
	hs_json_str(j, "problem", c->problem[0] ? c->problem : NULL);
	hs_json_open(j, "windows", '[');
	for (unsigned i = 0; i < c->n; i++) {
		const struct cedt_window *w = &c->w[i];
		hs_json_open(j, NULL, '{');
		hs_json_raw(j, "\"base\": \"%#llx\", \"last\": \"%#llx\", \"size\": %llu, \"ways\": %u, "
			    "\"granularity\": %llu, \"restrictions\": %u, \"qtg\": %u, \"node\": %d, "
			    "\"pxm\": %d, \"new_node\": %s", U(w->base), U(w->last),
			    U(w->size), w->ways, U(cedt_granularity(w)), w->restrict_, w->qtg, w->node,
			    w->new_node ? (int)w->pxm : -1, B(w->new_node));
		hs_json_open(j, "targets", '[');
		for (unsigned k = 0; k < w->ntarget; k++)
			hs_json_raw(j, "%u", w->target[k]);
		hs_json_close(j, ']');
		hs_json_close(j, '}');
	}
	hs_json_close(j, ']');
	hs_json_close(j, '}');
}

/* the lines a part of the text report prints, as an array of strings */
static struct hs_sink *lines(struct hs_json *j, const char *key, struct hs_sink *sink)
{
	hs_json_open(j, key, '[');
	hs_json_lines(j, sink);
	return sink;
}

int report_json(const struct report_in *in0, struct report_scratch *sc, struct hs_sink *out,
		struct hs_err *err)
{
	struct srat_choice choice;
	struct report_in inc;
	const struct report_in *in = &inc;
	const struct ovr_result *ovr = in0->have_initrd ? &sc->ovr : NULL;
	struct srat_result *r = &sc->srat;
	struct hs_json j;
	struct hs_sink ls, null_sink = { null_write, NULL };

	if (report_in_effect(in0, sc, &choice, &inc, err) < 0)
		return -HS_EINVAL;

	hs_json_init(&j, out);
	hs_json_open(&j, NULL, '{');
	hs_json_raw(&j, "\"format\": \"hotshim-report\", \"format_version\": 1, \"version\": \"%s\", "
		    "\"origin\": \"%s\"", HS_VERSION, in->origin ? in->origin : "efi");
	lines(&j, "notes", &ls);
	for (unsigned i = 0; in->warn && i < in->warn->count; i++)
		hs_println(&ls, "warning: %s", in->warn->line[i]);
	hs_json_close(&j, ']');
	if (ovr) {
		hs_json_open(&j, "initrd", '{');
		hs_json_str(&j, "name", in0->initrd_name);
		hs_json_raw(&j, "\"override_chosen\": %s", B(ovr->chosen >= 0));
		report_initrd_lines(in0, ovr, lines(&j, "lines", &ls));
		hs_json_close(&j, ']');
		hs_json_close(&j, '}');
	}

	const struct srat_result *eff = NULL;
	struct numa_verdict v = { 0 };
	unsigned hot_nodes = 0, removable = 0, unknown = 0;
	uint64_t hp = 0;
	if (!in->have_srat) {
		hs_json_raw(&j, "\"srat\": null, \"nodes\": []");
	} else {
		struct mm_map empty = { 0 };
		r->mem = sc->mem;
		r->mem_cap = HS_ARRAY_SIZE(sc->mem);
		eff = numa_survey(in->srat, &in->opts, in->map ? in->map : &empty, r, &v, &null_sink);
		srat_json(&j, in, r, &v);
		if (eff) {
			report_pins(in, r, eff, sc, lines(&j, "pins", &ls));
			hs_json_close(&j, ']');
		}
		bool disjoint = report_map_disjoint(in->map);
		hs_json_open(&j, "nodes", '[');
		for (unsigned n = 0; n < r->node_count; n++)
			node_json(&j, in, r, sc, disjoint, n);
		hs_json_close(&j, ']');
		if (eff)
			distances_json(&j, in, r);
		report_warnings(in, r, v.used, lines(&j, "warnings", &ls));
		hs_json_close(&j, ']');
		unsigned ranges;
		if (v.used)
			hp = report_hotplug_bytes(r, &ranges);
		for (unsigned n = 0; eff && n < r->node_count; n++) {
			uint8_t pv = sc->pins[n].verdict;
			if (pv == PINS_NOT_HOT)
				continue;
			hot_nodes++;
			removable += pins_removable(pv) == 1;
			unknown += pins_removable(pv) < 0;
		}
	}
	if (in->have_cedt)
		cxl_json(&j, in, eff, &sc->cedt);
	if (in->map && in->boot)
		plan_json(&j, in, ovr, eff, sc);
	/* every hot-pluggable node removable, as far as can be told before the boot */
	hs_json_raw(&j, "\"hotplug_bytes\": %llu, \"hotplug_nodes\": %u, \"removable\": %s", U(hp),
		    hot_nodes, unknown && removable + unknown == hot_nodes ? "null"
		    : B(removable == hot_nodes));
	if (in->json_more)
		in->json_more(in->json_ctx, &j);
	hs_json_close(&j, '}');
	return 0;
}
