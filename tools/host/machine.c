/* The report for this machine (see machine.h). */
#include "machine.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/report.h"
#include "metrics.h"
#include "online.h"
#include "sys.h"

#define MAX_MAP 4096

static int read_line(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[720];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return sys_read_line(path, buf, cap);
}

/* /sys/firmware/memmap/N/{start,end,type}: the map the firmware gave. */
static enum mm_kind kind_from_e820_name(const char *t)
{
	if (!strcmp(t, "System RAM"))
		return MM_CONVENTIONAL;
	if (!strcmp(t, "ACPI Tables") || !strcmp(t, "ACPI Non-volatile Storage"))
		return MM_ACPI;
	if (!strncmp(t, "Persistent Memory", 17))
		return MM_PERSISTENT;
	if (!strcmp(t, "Unusable memory"))
		return MM_UNUSABLE;
	return MM_RESERVED;
}

static int read_memmap(const char *root, struct mm_map *m)
{
	char top[400];
	snprintf(top, sizeof(top), "%s%s", root, SYS_MEMMAP);
	DIR *d = opendir(top);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char dir[700], s[64], e[64], t[64];
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", top, de->d_name);
		if (read_line(dir, "start", s, sizeof(s)) || read_line(dir, "end", e, sizeof(e)) ||
		    read_line(dir, "type", t, sizeof(t)))
			continue;
		uint64_t a = strtoull(s, NULL, 0), z = strtoull(e, NULL, 0);
		if (mm_add(m, a, z, kind_from_e820_name(t), ~0u) == -HS_ENOSPC) {
			closedir(d);
			return -ENOSPC;
		}
	}
	closedir(d);
	mm_sort(m);
	return 0;
}

/* Everything the report needs, in one allocation. */
struct machine {
	struct report_scratch scratch;
	struct kernel kernel;
	struct plan_args args;
	struct mm_entry entries[MAX_MAP];
	char source[300];
	struct online online;
	bool live; /* this running machine, not a table from a file */
	const struct mm_map *map; /* the firmware's, when live */
};

/* JSON: the after-boot part, once the report has its verdicts */
static void json_running(void *ctx, struct hs_json *j)
{
	struct machine *m = ctx;

	if (!m->live)
		return;
	online_judge(&m->online, &m->scratch, m->map);
	online_json(&m->online, &m->scratch, j);
}

static enum machine_verdict verdict(const struct machine *m)
{
	const struct report_scratch *sc = &m->scratch;
	bool unknown = false;

	for (unsigned n = 0; sc->pins_valid && n < sc->srat.node_count; n++) {
		uint8_t p = sc->pins[n].verdict;
		if (p == PINS_NOT_HOT)
			continue;
		if (m->live && m->online.have) {
			if (!m->online.node[n].removable)
				return MACHINE_NOT_REMOVABLE;
		} else if (pins_removable(p) == 0) {
			return MACHINE_NOT_REMOVABLE;
		} else if (pins_removable(p) < 0) {
			unknown = true;
		}
	}
	return unknown ? MACHINE_UNKNOWN : MACHINE_REMOVABLE;
}

static void null_write(void *ctx, const char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
}

/* A table beside the SRAT: FILE when given, else root/SYS when sys (a
 * missing one is no error there). */
static int side_table(const char *file, bool sys, const char *root, const char *sys_path,
		      uint8_t **ret_buf, struct hs_view *ret, bool *ret_have, struct hs_err *err)
{
	char p[600];
	size_t len;

	if (!file && !sys)
		return 0;
	snprintf(p, sizeof(p), "%s%s", file ? "" : root, file ? file : sys_path);
	int r = sys_read(p, ACPI_TABLE_MAX_LEN, ret_buf, &len);
	if (r == -ENOENT && !file)
		return 0;
	if (r < 0) {
		hs_err_set(err, "%s: %s", p,
			   r == -EFBIG ? "larger than any ACPI table (64 MiB)" : strerror(-r));
		return r;
	}
	/* a file named on the command line: the right table, whole */
	struct acpi_header h;
	const char *sig = sys_path + strlen(sys_path) - 4;
	if (acpi_header_read((struct hs_view){ *ret_buf, len }, &h) < 0 ||
	    memcmp(h.sig, sig, 4) != 0 || h.length != len) {
		hs_err_set(err, "%s: not a whole %s table (%zu bytes%s%.4s%s)", p, sig, len,
			   len >= 4 ? ", signature \"" : "", len >= 4 ? h.sig : "",
			   len >= 4 ? "\"" : "");
		return -EINVAL;
	}
	*ret = (struct hs_view){ *ret_buf, len };
	*ret_have = true;
	return 0;
}

int machine_report(const struct machine_opts *o, struct hs_sink *out,
		   enum machine_verdict *ret_verdict, struct hs_err *err)
{
	const char *root = o->root ? o->root : "";
	char path[600];
	struct machine *m = calloc(1, sizeof(*m));
	struct report_in in = { .source = "firmware" };
	struct mm_map map;
	uint8_t *table = NULL, *initrd = NULL, *slit = NULL, *cedt = NULL;
	size_t len = 0, initrd_len = 0;
	int r;

	if (!m) {
		hs_err_set(err, "out of memory");
		return -ENOMEM;
	}
	map = (struct mm_map){ m->entries, 0, MAX_MAP };
	kernel_default(&m->kernel);
	m->args = (struct plan_args){ .kernel = &m->kernel, .cmdline = "" };
	in.linux_log = o->linux_log;
	in.opts.x2apic_mode = o->x2apic;
	in.locked_down = o->locked_down;
	snprintf(path, sizeof(path), "%s%s", root, SYS_SRAT);
	if (o->srat)
		snprintf(path, sizeof(path), "%s", o->srat);
	r = sys_read(path, ACPI_TABLE_MAX_LEN, &table, &len);
	if (r == -ENOENT && !o->srat) {
		in.have_srat = false;
	} else if (r < 0) {
		hs_err_set(err, "%s: %s", path,
			   r == -EFBIG ? "larger than any ACPI table (64 MiB)" : strerror(-r));
		goto out;
	} else {
		in.have_srat = true;
	}
	if (o->srat) {
		snprintf(m->source, sizeof(m->source), "file %s", o->srat);
		in.source = m->source;
	} else {
		r = read_memmap(root, &map);
		if (r < 0) {
			hs_err_set(err, "%s%s: %s", root, SYS_MEMMAP, strerror(-r));
			goto out;
		}
		m->live = true;
		m->map = &map;
		r = online_read(root, &m->online, err);
		if (r < 0)
			goto out;
		in.map = &map;
		/* the plan as hotshim.efi would make it for a kernel of Debian's
		 * size, with 1 GiB pages and NX assumed; hotshim's image is not
		 * here, so the plan starts at 1 MiB */
		in.cpu = (struct pt_cfg){ .la57 = o->la57, .gb_pages = true, .nx = true };
		in.ndesc = map.count;
		in.desc_size = 48;
		in.boot = &m->args;
	}
	in.srat = (struct hs_view){ table, len };
	/* the SLIT and CEDT: from a file, or this machine's when the SRAT is */
	r = side_table(o->slit, !o->srat, root, SYS_SLIT, &slit, &in.slit, &in.have_slit, err);
	if (r == 0)
		r = side_table(o->cedt, !o->srat, root, SYS_CEDT, &cedt, &in.cedt, &in.have_cedt, err);
	if (r < 0)
		goto out;
	if (o->initrd) {
		r = sys_read(o->initrd, 1ull << 32, &initrd, &initrd_len);
		if (r < 0) {
			hs_err_set(err, "%s: %s", o->initrd,
				   r == -EFBIG ? "larger than 4 GiB" : strerror(-r));
			goto out;
		}
		in.have_initrd = true;
		in.initrd = (struct hs_view){ initrd, initrd_len };
		in.initrd_name = o->initrd;
		m->args.has_initrd = true;
		m->args.nmod = 1;
		m->args.mod_size[0] = initrd_len;
	}
	in.origin = "linux";
	in.json_more = json_running;
	in.json_ctx = m;
	struct hs_sink none = { null_write, NULL };
	switch (o->format) {
	case MACHINE_JSON:
		r = report_json(&in, &m->scratch, out, err);
		break;
	case MACHINE_PROMETHEUS:
		r = report_print(&in, &m->scratch, &none, err);
		if (r == 0 && m->live)
			online_judge(&m->online, &m->scratch, m->map);
		if (r == 0)
			metrics_print(&m->scratch, m->live ? &m->online : NULL, verdict(m), out);
		break;
	default:
		r = report_print(&in, &m->scratch, out, err);
		if (r == 0 && m->live && m->scratch.pins_valid) {
			online_judge(&m->online, &m->scratch, m->map);
			online_print(&m->online, &m->scratch, out);
		}
	}
	r = r < 0 ? -EINVAL : 0;
	if (r == 0 && ret_verdict)
		*ret_verdict = verdict(m);
out:
	free(table);
	free(slit);
	free(cedt);
	free(initrd);
	free(m);
	return r;
}
