/*
 * test/host/realmap.sh's driver: a real machine's boot log (the `efi:
 * memNN:` lines Linux prints, in 3.10's "type=N, attr=" or 6.1's
 * efi=debug form, and its "SRAT: Node N PXM P [mem A-B]" lines) turned
 * back into its UEFI memory map and the memory affinity part of its SRAT,
 * then through hotshim's whole report with Linux's log, the pins and a
 * placement plan, as `hotshim.efi report` prints them on that machine.
 *
 *   realmap LOG [--hot NODE]   --hot: also mark NODE's ranges hot-pluggable
 *
 * hotshim's image goes where the log's first LoaderCode range below 4 GiB
 * is (the loader that booted it), else at 16 MiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"

static void out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fwrite(s, 1, n, stdout);
}

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* 6.1's efi=debug names, in the order of the EFI memory types. */
static const char *const efi_names[] = {
	"Reserved", "Loader Code", "Loader Data", "Boot Code", "Boot Data", "Runtime Code",
	"Runtime Data", "Conventional", "Unusable", "ACPI Reclaim", "ACPI Mem NVS", "MMIO",
	"MMIO Port", "PAL Code", "Persistent",
};

/* The type of an `efi: memNN:` line: 3.10's "type=N", or 6.1's name in
 * "[Boot Data   |...", padded with spaces up to the first '|'. */
static int efi_type(const char *line, uint32_t *ret)
{
	const char *t = strstr(line, "type=");
	if (t) {
		*ret = (uint32_t)strtoul(t + 5, NULL, 10);
		return 0;
	}
	const char *b = strstr(line, ": [");
	const char *bar = b ? strchr(b, '|') : NULL;
	if (!bar)
		return -1;
	size_t n = (size_t)(bar - (b + 3));
	while (n && b[3 + n - 1] == ' ')
		n--;
	for (uint32_t i = 0; i < sizeof(efi_names) / sizeof(efi_names[0]); i++) {
		if (strlen(efi_names[i]) == n && !strncmp(b + 3, efi_names[i], n)) {
			*ret = i;
			return 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	static struct report_scratch scratch;
	static uint8_t srat[48 + 4096 * 40];
	static struct mm_entry e[4096];
	struct mm_map map = { e, 0, 4096 };
	static struct kernel k;
	struct hs_err err;
	char line[512];
	size_t len = 48;
	long hot = -1;
	uint64_t image = 0;
	bool done_map = false;

	if (argc == 4 && !strcmp(argv[2], "--hot"))
		hot = strtol(argv[3], NULL, 10);
	else if (argc != 2)
		return fprintf(stderr, "usage: realmap LOG [--hot NODE]\n"), 2;
	FILE *f = fopen(argv[1], "r");
	if (!f)
		return perror(argv[1]), 1;
	while (fgets(line, sizeof(line), f)) {
		const char *r = strstr(line, "range=[");
		/* an efi: memNN: line the type of which is not known is an error */
		unsigned long long a, z;
		uint32_t type;
		char close;
		/* 6.1 prints the runtime part again, from mem00, in
		 * efi_enter_virtual_mode(): only the first map is the boot's */
		if (strstr(line, "efi: mem00:") && map.count)
			done_map = true;
		if (strstr(line, "efi: mem") && r && !done_map &&
		    sscanf(r, "range=[%llx-%llx%c", &a, &z, &close) == 3) {
			if (efi_type(line, &type) < 0)
				return fprintf(stderr, "%s: unknown type: %s", argv[1], line), 1;
			/* 3.10 prints [start-end), 6.1 [start-last] */
			uint64_t end = close == ')' ? z : z + 1;
			if (mm_add_pages(&map, a, (end - a) >> 12, mm_kind_from_efi(type), type) < 0)
				return fprintf(stderr, "%s: too many map entries\n", argv[1]), 1;
			if (type == 1 && !image && a < (1ull << 32))
				image = a;
			continue;
		}
		const char *s = strstr(line, "SRAT: Node ");
		unsigned node, pxm;
		if (s && sscanf(s, "SRAT: Node %u PXM %u [mem %llx-%llx]", &node, &pxm, &a, &z) == 4) {
			if (len + 40 > sizeof(srat))
				return fprintf(stderr, "%s: too many SRAT lines\n", argv[1]), 1;
			uint8_t *m = srat + len;
			memset(m, 0, 40);
			m[0] = 1;
			m[1] = 40;
			put(m + 2, pxm, 4);
			put(m + 8, a, 8);
			put(m + 16, z + 1 - a, 8);
			uint32_t flags = 1;
			if (strstr(s, " hotplug") || (long)node == hot)
				flags |= 2;
			if (strstr(s, " non-volatile"))
				flags |= 4;
			put(m + 28, flags, 4);
			len += 40;
		}
	}
	fclose(f);
	if (!map.count || len == 48)
		return fprintf(stderr, "%s: no %s lines\n", argv[1], map.count ? "SRAT" : "efi: mem"),
		       1;
	memcpy(srat, "SRAT", 4);
	put(srat + 4, len, 4);
	srat[8] = 3;
	memcpy(srat + 10, "REAL  ", 6);
	memcpy(srat + 16, "REALMAP ", 8);
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += srat[i];
	srat[9] = (uint8_t)-sum;
	mm_sort(&map);
	if (!image)
		image = 0x1000000;

	kernel_default(&k);
	k.lx.init_size = 64 << 20; /* a Debian 6.1 kernel's */
	struct plan_args args = { .kernel = &k, .has_initrd = true, .nmod = 1,
				  .mod_size = { 40 << 20 }, .cmdline = "" };
	struct report_in in = {
		.have_srat = true,
		.srat = { srat, len },
		.source = argv[1],
		.map = &map,
		.image_base = image,
		.image_last = image + 0x17fff,
		.linux_log = true,
		.boot = &args,
		.cpu = { .gb_pages = true, .nx = true },
		.ndesc = map.count,
		.desc_size = 48,
	};
	struct hs_sink sink = { out, NULL };
	if (report_print(&in, &scratch, &sink, &err) < 0)
		return fprintf(stderr, "%s: %s\n", argv[1], err.msg), 1;
	return 0;
}
