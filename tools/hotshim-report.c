/*
 * hotshim-report: the hotshim SRAT report on a running Linux host, built
 * from the same core/ and acpi/ sources as the EFI application.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/machine.h"
#include "host/sys.h"

/* 0 also when no memory is hot-pluggable: every such node is removable */
enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2, EXIT_NOT_REMOVABLE = 3,
       EXIT_UNKNOWN = 4 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotshim-report [--srat FILE [--slit FILE] [--cedt FILE]] [--initrd FILE [--secure-boot]] [--linux]\n"
		"                      [--x2apic | --xapic] [--la57] [--json | --prometheus]\n"
		"                      [--output FILE] [--root DIR]\n"
		"\n"
		"Prints hotshim's SRAT hotplug report for this machine: the lines Linux 6.1\n"
		"prints for the SRAT, a table per NUMA node, their distances, hot-remove\n"
		"warnings and the total of hotpluggable memory.  On the running machine it\n"
		"then says what Linux did: each hot-pluggable node's memory blocks, their\n"
		"zones, and whether the node can be removed now.\n"
		"\n"
		"  (no option)   read " SYS_SRAT "\n"
		"                and the firmware memory map in " SYS_MEMMAP "\n"
		"  --srat FILE   read a raw SRAT (as acpidump -b writes it); no memory map\n"
		"  --slit FILE   a raw SLIT for the node distances; without --slit the\n"
		"                machine's own (sysfs) is read, unless --srat is given\n"
		"  --cedt FILE   a raw CEDT for the CXL windows and their nodes; the same\n"
		"  --initrd FILE an initrd whose leading cpio archives may carry an SRAT\n"
		"                override (kernel/firmware/acpi/), chosen as Linux 6.1 does\n"
		"  --secure-boot judge the initrd as a locked-down (Secure Boot) kernel would\n"
		"  --linux       also print every line Linux 6.1 prints for the table\n"
		"  --x2apic      judge x2APIC ids as Linux does in x2APIC mode\n"
		"  --xapic       ... or in xAPIC mode (the default here)\n"
		"  --la57        plan 5-level page tables\n"
		"  --json        one JSON document instead (schema: docs/report.schema.json)\n"
		"  --prometheus  metrics for node_exporter's textfile collector instead\n"
		"  --output FILE write to FILE (whole or not at all) instead of standard output,\n"
		"                e.g. /var/lib/prometheus/node-exporter/hotshim.prom\n"
		"  --root DIR    read /sys and /proc under DIR (a copy of another machine's)\n"
		"  --help        this text;  --version  the version\n"
		"\n"
		"Exit status: 0 every hot-pluggable node is removable (after the boot on\n"
		"the running machine, else as predicted; also when there is none), 3 one\n"
		"is not, 4 cannot be told (no memory map), 1 bad or unreadable input,\n"
		"2 bad usage.\n");
}

static void file_write(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

/* --output: the whole text in memory, then one atomic write */
struct grow {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void grow_write(void *ctx, const char *s, size_t n)
{
	struct grow *g = ctx;

	if (g->failed)
		return;
	if (g->len + n > g->cap) {
		size_t cap = (g->len + n) * 2 + 4096;
		char *b = realloc(g->buf, cap);
		if (!b) {
			g->failed = true;
			return;
		}
		g->buf = b;
		g->cap = cap;
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

int main(int argc, char **argv)
{
	struct machine_opts o = { 0 };
	struct hs_sink out = { file_write, stdout };
	struct hs_err err = { "" };
	struct grow g = { 0 };
	const char *output = NULL;
	enum machine_verdict v;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("hotshim-report %s\n", HS_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--linux")) {
			o.linux_log = true;
		} else if (!strcmp(argv[i], "--x2apic")) {
			o.x2apic = true;
		} else if (!strcmp(argv[i], "--xapic")) {
			o.x2apic = false;
		} else if (!strcmp(argv[i], "--la57")) {
			o.la57 = true;
		} else if (!strcmp(argv[i], "--secure-boot")) {
			o.locked_down = true;
		} else if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--prometheus")) {
			enum machine_format f = argv[i][2] == 'j' ? MACHINE_JSON : MACHINE_PROMETHEUS;
			if (o.format != MACHINE_TEXT && o.format != f) {
				fprintf(stderr, "hotshim-report: --json and --prometheus exclude each other\n");
				return EXIT_USAGE;
			}
			o.format = f;
		} else if (!strcmp(argv[i], "--initrd") || !strcmp(argv[i], "--srat") ||
			   !strcmp(argv[i], "--slit") || !strcmp(argv[i], "--cedt") ||
			   !strcmp(argv[i], "--output") ||
			   !strcmp(argv[i], "--root")) {
			if (i + 1 == argc) {
				fprintf(stderr, "hotshim-report: %s needs a %s\n", argv[i],
					strcmp(argv[i], "--root") ? "file name" : "directory");
				usage(stderr);
				return EXIT_USAGE;
			}
			if (!strcmp(argv[i], "--srat"))
				o.srat = argv[++i];
			else if (!strcmp(argv[i], "--slit"))
				o.slit = argv[++i];
			else if (!strcmp(argv[i], "--cedt"))
				o.cedt = argv[++i];
			else if (!strcmp(argv[i], "--output"))
				output = argv[++i];
			else if (!strcmp(argv[i], "--root"))
				o.root = argv[++i];
			else
				o.initrd = argv[++i];
		} else {
			fprintf(stderr, "hotshim-report: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	struct stat st;
	if (output && lstat(output, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* it is replaced whole: a link, device or pipe would be lost */
		fprintf(stderr, "hotshim-report: %s: not a regular file, and --output replaces "
			"the file it names\n", output);
		return EXIT_BAD_INPUT;
	}
	if (output)
		out = (struct hs_sink){ grow_write, &g };
	if (machine_report(&o, &out, &v, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "hotshim-report: %s\n", err.msg);
		free(g.buf);
		return EXIT_BAD_INPUT;
	}
	if (output) {
		int r = g.failed ? -ENOMEM : sys_write_atomic(output, g.buf, g.len);
		free(g.buf);
		if (r < 0) {
			fprintf(stderr, "hotshim-report: %s: %s\n", output, strerror(-r));
			return EXIT_BAD_INPUT;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hotshim-report: standard output: %s\n", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	return v == MACHINE_REMOVABLE ? EXIT_OK
	       : v == MACHINE_NOT_REMOVABLE ? EXIT_NOT_REMOVABLE : EXIT_UNKNOWN;
}
