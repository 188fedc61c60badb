/* The SRAT hotplug report, written to a sink so tests see every byte. */
#ifndef HS_CORE_REPORT_H
#define HS_CORE_REPORT_H

#include "../lib/memmap.h"
#include "numa.h"
#include "handover.h"
#include "pins.h"
#include "plan.h"
#include "../acpi/srat.h"
#include "../acpi/table.h"
#include "../acpi/override.h"
#include "../acpi/cedt.h"
#include "../lib/json.h"


struct report_in {
	bool have_srat;
	struct hs_view srat;             /* the whole table */
	bool have_slit;                  /* the distances, when there is one */
	struct hs_view slit;
	bool have_cedt;                  /* CXL windows, when there is one */
	struct hs_view cedt;
	const char *source;              /* "firmware", "file x.aml", ... */
	uint64_t srat_addr;              /* 0 when not from memory */
	const struct acpi_warnings *warn; /* may be NULL */
	const struct mm_map *map;        /* NULL: no memory-map part */
	uint64_t image_base, image_last; /* hotshim's image; last 0: unknown */
	struct srat_opts opts;
	bool linux_log;                  /* append Linux's complete log */
	bool have_initrd;                /* look for an SRAT override in it */
	struct hs_view initrd;
	const char *initrd_name;
	bool locked_down;                /* Secure Boot: Linux ignores overrides */
	const struct acpi_loc *acpi;     /* where the ACPI tables are; may be NULL */
	size_t nacpi;
	/* with map: the boot to plan for, exactly as `boot` plans it
	 * (core/plan.h); NULL: no placement plan */
	const struct plan_args *boot;
	struct pt_cfg cpu;               /* the CPU's paging features */
	size_t ndesc, desc_size;         /* the firmware's raw map */
	const struct plan_commit *commit;
	/* boot-services memory the boot keeps (core/handover.h): the srat
	 * member is filled in here with the SRAT in effect */
	struct handover handover;
	struct kernel_ctx kctx;          /* what `boot` would check first */
	const char *origin;              /* JSON: "efi" or "linux" */
	/* JSON: more members of the outermost object (the host's after-boot
	 * state); NULL: none */
	void (*json_more)(void *ctx, struct hs_json *j);
	void *json_ctx;
};

/* Caller storage for the memory entries (SRAT_MAX_MEMBLKS is enough for
 * every table Linux accepts). */
struct report_scratch {
	struct srat_result srat;
	struct srat_mem mem[SRAT_MAX_MEMBLKS];
	struct ovr_result ovr;
	struct mb_region mb_memory[1024];
	struct mb_region mb_reserved[1024];
	struct plan plan;
	struct pt_range ranges[PLAN_MAX_PT_RANGES];
	struct cedt cedt;
	/* after a report: each node's verdict, when the SRAT is used */
	struct pins_node pins[SRAT_MAX_NODES];
	bool pins_valid;
};

/* The SRAT in effect: the firmware's, or the initrd's that replaces it. */
struct srat_choice {
	bool have;
	struct hs_view table;
	char source[200];
};

/* Picks the table (ovr is filled when there is an initrd). */
void report_choose(const struct report_in *in, struct ovr_result *ovr, struct srat_choice *ret);

/*
 * Prints the report.  Returns 0 when it could be made (an SRAT that Linux
 * rejects is still a report), -HS_EINVAL when the table itself is not an
 * SRAT at all (too short, wrong signature, bad length); err says why.
 */
int report_print(const struct report_in *in, struct report_scratch *scratch,
		 struct hs_sink *out, struct hs_err *err);

/*
 * The same report as JSON (docs/report.schema.json); errors as for
 * report_print, and nothing written then.
 */
int report_json(const struct report_in *in, struct report_scratch *scratch,
		struct hs_sink *out, struct hs_err *err);

/* Shared by the text and the JSON report (core/report_json.c). */
struct node_sum {
	uint64_t total, hotplug, nonvol;
	uint64_t kind[MM_KIND_COUNT];
};
#define REPORT_COLS 6
extern const enum mm_kind report_cols[REPORT_COLS]; /* the node table's map columns */
bool report_map_disjoint(const struct mm_map *map);
void report_node_sum(const struct mm_map *map, bool disjoint, const struct srat_result *r,
		     unsigned node, struct node_sum *ret);
unsigned report_warnings(const struct report_in *in, const struct srat_result *r, bool used,
			 struct hs_sink *out);
void report_initrd_lines(const struct report_in *in, const struct ovr_result *o,
			 struct hs_sink *out);

struct report_plan {
	bool described, made, movable;
	char what[120];       /* the kernel planned for */
	char refuse[200];     /* the boot would refuse the kernel: why */
	char fail[200];       /* no plan: why */
	char place_fail[200]; /* a piece could not be placed: why */
};
/* The plan into scratch->plan, committed and released as the report does. */
void report_plan(const struct report_in *in, const struct ovr_result *ovr,
		 const struct srat_result *srat, struct report_scratch *scratch,
		 struct report_plan *ret);

/* The report's input with the SRAT in effect (report_choose; choice
 * holds its source); -HS_EINVAL when that table is no SRAT at all. */
int report_in_effect(const struct report_in *in0, struct report_scratch *sc,
		     struct srat_choice *choice, struct report_in *ret, struct hs_err *err);
/* What pins each node (core/pins.c) with the SRAT in effect, into sc->pins. */
void report_pins(const struct report_in *in, const struct srat_result *r,
		 const struct srat_result *eff, struct report_scratch *sc, struct hs_sink *out);
/* The hot-pluggable bytes Linux takes from the SRAT, and in how many ranges. */
uint64_t report_hotplug_bytes(const struct srat_result *r, unsigned *ret_ranges);

/* Checks an SRAT's header before anything reads its body. */
int report_check_srat(struct hs_view t, const char *where, struct hs_err *err);

#endif
