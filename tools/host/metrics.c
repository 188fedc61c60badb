/* Prometheus metrics for the report (see metrics.h). */
#include "metrics.h"

static void head(struct hs_sink *out, const char *name, const char *help)
{
	hs_println(out, "# HELP %s %s", name, help);
	hs_println(out, "# TYPE %s gauge", name);
}

/* hot-pluggable for Linux: in a node the SRAT marks, with the SRAT used */
static bool hot(const struct report_scratch *sc, unsigned n)
{
	return sc->pins_valid && sc->pins[n].verdict != PINS_NOT_HOT;
}

void metrics_print(const struct report_scratch *sc, const struct online *online,
		   enum machine_verdict v, struct hs_sink *out)
{
	const struct srat_result *r = &sc->srat;
	unsigned nodes = sc->pins_valid ? r->node_count : 0;
	uint64_t total = 0;

	head(out, "hotshim_report_info", "The hotshim-report that wrote these metrics.");
	hs_println(out, "hotshim_report_info{version=\"%s\"} 1", HS_VERSION);
	head(out, "hotshim_srat_used", "1 when Linux uses the SRAT in effect (NUMA nodes and hot-plug marks).");
	hs_println(out, "hotshim_srat_used %d", sc->pins_valid);

	head(out, "hotshim_node_hotplug_bytes", "Memory the SRAT marks hot-pluggable, by Linux node.");
	for (unsigned n = 0; n < nodes; n++) {
		struct node_sum s;
		report_node_sum(NULL, false, r, n, &s);
		total += s.hotplug;
		hs_println(out, "hotshim_node_hotplug_bytes{node=\"%u\",pxm=\"%u\"} %llu", n,
			   r->node[n].pxm, (unsigned long long)s.hotplug);
	}
	head(out, "hotshim_hotplug_bytes", "Memory the SRAT marks hot-pluggable, all nodes.");
	hs_println(out, "hotshim_hotplug_bytes %llu", (unsigned long long)total);

	head(out, "hotshim_node_pins", "Firmware ranges in a hot-pluggable node that Linux keeps reserved (pre-boot list).");
	for (unsigned n = 0; n < nodes; n++)
		if (hot(sc, n) && sc->pins[n].verdict != PINS_UNKNOWN)
			hs_println(out, "hotshim_node_pins{node=\"%u\"} %u", n,
				   sc->pins[n].acpi + sc->pins[n].low + sc->pins[n].boot);

	head(out, "hotshim_node_removable", "1 when a hot-pluggable node can be removed: after the boot on a running machine, else as predicted.");
	for (unsigned n = 0; n < nodes; n++) {
		if (!hot(sc, n))
			continue;
		uint8_t p = sc->pins[n].verdict;
		if (online && online->have)
			hs_println(out, "hotshim_node_removable{node=\"%u\"} %d", n,
				   online->node[n].removable);
		else if (pins_removable(p) >= 0)
			hs_println(out, "hotshim_node_removable{node=\"%u\"} %d", n, pins_removable(p));
	}
	if (online && online->have) {
		head(out, "hotshim_node_memory_blocks", "Memory blocks of a hot-pluggable node by zone, offline ones as zone=\"offline\".");
		for (unsigned n = 0; n < nodes; n++)
			for (unsigned z = 0; hot(sc, n) && z <= OZ_OFFLINE; z++) {
				const struct online_node *x = &online->node[n];
				unsigned c = z == OZ_OFFLINE ? x->blocks - x->online : x->zone[z];
				hs_println(out, "hotshim_node_memory_blocks{node=\"%u\",zone=\"%s\"} %u", n,
					   online_zone_name(z), c);
			}
	}
	head(out, "hotshim_removable", "1 when every hot-pluggable node can be removed (also when there is none).");
	if (v != MACHINE_UNKNOWN)
		hs_println(out, "hotshim_removable %d", v == MACHINE_REMOVABLE);
}
