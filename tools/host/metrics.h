/*
 * The report as Prometheus metrics, in the text exposition format that
 * node_exporter's textfile collector reads (*.prom files in
 * /var/lib/prometheus/node-exporter/ on Debian): what a fleet's
 * monitoring needs to see which machines can give memory back.
 * docs/JSON.md lists every metric.
 */
#ifndef HS_TOOLS_METRICS_H
#define HS_TOOLS_METRICS_H

#include "machine.h"
#include "online.h"

/* online: the running machine's state, or NULL (a table from a file) */
void metrics_print(const struct report_scratch *sc, const struct online *online,
		   enum machine_verdict v, struct hs_sink *out);

#endif
