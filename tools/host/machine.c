/* The report for this machine (see machine.h). */
#include "machine.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/report.h"
#include "sys.h"

#define MAX_MAP 4096

static int read_line(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
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

static int read_memmap(struct mm_map *m)
{
	DIR *d = opendir(SYS_MEMMAP);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char dir[300], s[64], e[64], t[64];
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", SYS_MEMMAP, de->d_name);
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
};

int machine_report(const struct machine_opts *o, struct hs_sink *out, struct hs_err *err)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct report_in in = { .source = "firmware" };
	struct mm_map map;
	uint8_t *table = NULL, *initrd = NULL, *slit = NULL;
	size_t len = 0, initrd_len = 0, slit_len = 0;
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
	const char *path = o->srat ? o->srat : SYS_SRAT;
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
		r = read_memmap(&map);
		if (r < 0) {
			hs_err_set(err, "%s: %s", SYS_MEMMAP, strerror(-r));
			goto out;
		}
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
	if (o->slit || !o->srat) {
		const char *sp = o->slit ? o->slit : SYS_SLIT;
		r = sys_read(sp, ACPI_TABLE_MAX_LEN, &slit, &slit_len);
		if (r < 0 && (o->slit || r != -ENOENT)) {
			hs_err_set(err, "%s: %s", sp,
				   r == -EFBIG ? "larger than any ACPI table (64 MiB)" : strerror(-r));
			goto out;
		}
		in.have_slit = r == 0;
		in.slit = (struct hs_view){ slit, slit_len };
	}
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
	r = report_print(&in, &m->scratch, out, err) < 0 ? -EINVAL : 0;
out:
	free(table);
	free(slit);
	free(initrd);
	free(m);
	return r;
}
