/*
 * hotshim-report: the hotshim SRAT report on a running Linux host, built
 * from the same core/ and acpi/ sources as the EFI application.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/report.h"

#define SYS_SRAT "/sys/firmware/acpi/tables/SRAT"
#define SYS_MEMMAP "/sys/firmware/memmap"
#define MAX_MAP 4096

enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotshim-report [--srat FILE] [--initrd FILE [--secure-boot]] [--linux]\n"
		"                      [--x2apic | --xapic] [--la57]\n"
		"\n"
		"Prints hotshim's SRAT hotplug report for this machine: the lines Linux 6.1\n"
		"prints for the SRAT, a table per NUMA node, hot-remove warnings and the\n"
		"total of hotpluggable memory.\n"
		"\n"
		"  (no option)   read " SYS_SRAT "\n"
		"                and the firmware memory map in " SYS_MEMMAP "\n"
		"  --srat FILE   read a raw SRAT (as acpidump -b writes it); no memory map\n"
		"  --initrd FILE an initrd whose leading cpio archives may carry an SRAT\n"
		"                override (kernel/firmware/acpi/), chosen as Linux 6.1 does\n"
		"  --secure-boot judge the initrd as a locked-down (Secure Boot) kernel would\n"
		"  --linux       also print every line Linux 6.1 prints for the table\n"
		"  --x2apic      judge x2APIC ids as Linux does in x2APIC mode\n"
		"  --xapic       ... or in xAPIC mode (the default here)\n"
		"  --la57        plan 5-level page tables\n"
		"  --help        this text;  --version  the version\n"
		"\n"
		"Exit status: 0 report printed, 1 bad or unreadable input, 2 bad usage.\n");
}

static void file_write(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

static int read_file(const char *path, uint8_t **ret, size_t *ret_len, uint64_t max)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				free(buf);
				fclose(f);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 4096;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return -EIO;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

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

int main(int argc, char **argv)
{
	const char *srat_path = NULL, *initrd_path = NULL;
	bool la57 = false;
	uint8_t *initrd = NULL;
	size_t initrd_len = 0;
	struct report_in in = { .source = "firmware" };
	static struct report_scratch scratch;
	static struct kernel kernel;
	static struct plan_args args = { .kernel = &kernel, .cmdline = "" };
	static struct mm_entry entries[MAX_MAP];
	struct mm_map map = { entries, 0, MAX_MAP };
	struct hs_sink out = { file_write, stdout };
	struct hs_err err = { "" };
	char source[300];
	uint8_t *table = NULL;
	size_t len = 0;
	int r;

	kernel_default(&kernel);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("hotshim-report %s\n", HS_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--linux")) {
			in.linux_log = true;
		} else if (!strcmp(argv[i], "--x2apic")) {
			in.opts.x2apic_mode = true;
		} else if (!strcmp(argv[i], "--xapic")) {
			in.opts.x2apic_mode = false;
		} else if (!strcmp(argv[i], "--la57")) {
			la57 = true;
		} else if (!strcmp(argv[i], "--secure-boot")) {
			in.locked_down = true;
		} else if (!strcmp(argv[i], "--initrd")) {
			if (++i == argc) {
				fprintf(stderr, "hotshim-report: --initrd needs a file name\n");
				usage(stderr);
				return EXIT_USAGE;
			}
			initrd_path = argv[i];
		} else if (!strcmp(argv[i], "--srat")) {
			if (++i == argc) {
				fprintf(stderr, "hotshim-report: --srat needs a file name\n");
				usage(stderr);
				return EXIT_USAGE;
			}
			srat_path = argv[i];
		} else {
			fprintf(stderr, "hotshim-report: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	if (srat_path) {
		r = read_file(srat_path, &table, &len, ACPI_TABLE_MAX_LEN);
		if (r < 0) {
			fprintf(stderr, "hotshim-report: %s: %s\n", srat_path,
				r == -EFBIG ? "larger than any ACPI table (64 MiB)" : strerror(-r));
			return EXIT_BAD_INPUT;
		}
		snprintf(source, sizeof(source), "file %s", srat_path);
		in.source = source;
		in.have_srat = true;
	} else {
		r = read_file(SYS_SRAT, &table, &len, ACPI_TABLE_MAX_LEN);
		if (r == -ENOENT) {
			in.have_srat = false;
		} else if (r < 0) {
			fprintf(stderr, "hotshim-report: %s: %s\n", SYS_SRAT, strerror(-r));
			return EXIT_BAD_INPUT;
		} else {
			in.have_srat = true;
		}
		r = read_memmap(&map);
		if (r < 0) {
			fprintf(stderr, "hotshim-report: %s: %s\n", SYS_MEMMAP, strerror(-r));
			free(table);
			return EXIT_BAD_INPUT;
		}
		in.map = &map;
		/* the plan as hotshim.efi would make it for a kernel of Debian's
		 * size, with 1 GiB pages and NX assumed; hotshim's image is not
		 * here, so the plan starts at 1 MiB */
		in.cpu = (struct pt_cfg){ .la57 = la57, .gb_pages = true, .nx = true };
		in.ndesc = map.count;
		in.desc_size = 48;
		in.boot = &args;
	}
	in.srat = (struct hs_view){ table, len };
	if (initrd_path) {
		r = read_file(initrd_path, &initrd, &initrd_len, 1ull << 32);
		if (r < 0) {
			fprintf(stderr, "hotshim-report: %s: %s\n", initrd_path,
				r == -EFBIG ? "larger than 4 GiB" : strerror(-r));
			free(table);
			return EXIT_BAD_INPUT;
		}
		in.have_initrd = true;
		in.initrd = (struct hs_view){ initrd, initrd_len };
		in.initrd_name = initrd_path;
		args.has_initrd = true;
		args.nmod = 1;
		args.mod_size[0] = initrd_len;
	}
	r = report_print(&in, &scratch, &out, &err);
	free(table);
	free(initrd);
	if (r < 0) {
		fflush(stdout);
		fprintf(stderr, "hotshim-report: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}
