/*
 * hotshim-report: the hotshim SRAT report on a running Linux host, built
 * from the same core/ and acpi/ sources as the EFI application.
 */
#include <stdio.h>
#include <string.h>

#include "host/machine.h"

enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotshim-report [--srat FILE [--slit FILE]] [--initrd FILE [--secure-boot]] [--linux]\n"
		"                      [--x2apic | --xapic] [--la57]\n"
		"\n"
		"Prints hotshim's SRAT hotplug report for this machine: the lines Linux 6.1\n"
		"prints for the SRAT, a table per NUMA node, their distances, hot-remove\n"
		"warnings and the total of hotpluggable memory.\n"
		"\n"
		"  (no option)   read " SYS_SRAT "\n"
		"                and the firmware memory map in " SYS_MEMMAP "\n"
		"  --srat FILE   read a raw SRAT (as acpidump -b writes it); no memory map\n"
		"  --slit FILE   a raw SLIT for the node distances; without --slit the\n"
		"                machine's own (sysfs) is read, unless --srat is given\n"
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

int main(int argc, char **argv)
{
	struct machine_opts o = { 0 };
	struct hs_sink out = { file_write, stdout };
	struct hs_err err = { "" };

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
		} else if (!strcmp(argv[i], "--initrd") || !strcmp(argv[i], "--srat") ||
			   !strcmp(argv[i], "--slit")) {
			if (i + 1 == argc) {
				fprintf(stderr, "hotshim-report: %s needs a file name\n", argv[i]);
				usage(stderr);
				return EXIT_USAGE;
			}
			if (!strcmp(argv[i], "--srat"))
				o.srat = argv[++i];
			else if (!strcmp(argv[i], "--slit"))
				o.slit = argv[++i];
			else
				o.initrd = argv[++i];
		} else {
			fprintf(stderr, "hotshim-report: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (machine_report(&o, &out, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "hotshim-report: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}
