/*
 * hotshim-mkoverride: an SRAT (ASL or AML) -> an initrd cpio that Linux
 * (and hotshim) take as an override of the firmware's SRAT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../acpi/override.h"
#include "../acpi/srat.h"
#include "host/ovrmake.h"
#include "host/sys.h"

#define SYS_SRAT "/sys/firmware/acpi/tables/SRAT"

static const char *prog = "hotshim-mkoverride";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotshim-mkoverride [options] TABLE.asl|TABLE.aml\n"
		"\n"
		"Turns an SRAT into an uncompressed newc cpio archive holding\n"
		"kernel/firmware/acpi/srat.aml, ready to be put in front of any initrd:\n"
		"    cat srat-override.cpio /boot/initrd.img > initrd-with-srat.img\n"
		"Linux 6.1 and hotshim then use it instead of the firmware's SRAT.\n"
		"\n"
		"ASL source is compiled with iasl. The table's OEM revision is raised\n"
		"above the firmware's (Linux takes an override only when it is strictly\n"
		"higher), its OEM ID and table ID are set to the firmware's (Linux only\n"
		"replaces a table with the same IDs), and its length and checksum are\n"
		"fixed.\n"
		"\n"
		"  -o FILE            output (default: srat-override.cpio)\n"
		"  --above FILE       the firmware's SRAT (default: " SYS_SRAT ",\n"
		"                     when readable)\n"
		"  --oem-revision N   this OEM revision, which must still be higher\n"
		"  --keep-ids         keep the table's own OEM ID and table ID\n"
		"  --no-firmware      compare with no firmware table (keeps the IDs)\n"
		"  --help             this text\n"
		"\n"
		"Exit status: 0 written, 1 input it cannot make valid, 2 bad usage.\n");
}

static void vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return code;
}

/* A usage error: the line that says what, then the usage. */
static int die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	usage(stderr);
	return 2;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = "srat-override.cpio", *above = NULL;
	bool keep_ids = false, have_rev = false, no_fw = false;
	unsigned long rev = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--above") ||
			   !strcmp(argv[i], "--oem-revision")) {
			if (i + 1 == argc) {
				return die_usage("%s needs a value", argv[i]);
			}
			if (!strcmp(argv[i], "-o")) {
				out = argv[++i];
			} else if (!strcmp(argv[i], "--above")) {
				above = argv[++i];
			} else {
				char *end;
				errno = 0;
				rev = strtoul(argv[++i], &end, 0);
				if (errno || *end || !argv[i][0] || rev > 0xffffffffUL)
					return die(2, "--oem-revision: '%s' is not a 32-bit number", argv[i]);
				have_rev = true;
			}
		} else if (!strcmp(argv[i], "--keep-ids")) {
			keep_ids = true;
		} else if (!strcmp(argv[i], "--no-firmware")) {
			no_fw = true;
		} else if (argv[i][0] == '-') {
			return die_usage("unknown option '%s'", argv[i]);
		} else if (in) {
			return die_usage("one input table only ('%s' and '%s')", in, argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in) {
		return die_usage("no input table");
	}

	size_t len = 0;
	uint8_t *t;
	struct hs_err err = { "" }, note = { "" };
	int r;
	if (ends_with(in, ".asl") || ends_with(in, ".dsl")) {
		if (sys_compile_asl(in, &t, &len, &err) < 0)
			return die(1, "%s", err.msg);
	} else if ((r = sys_read(in, 2ull * ACPI_TABLE_MAX_LEN, &t, &len)) < 0) {
		return die(1, "%s: %s", in, strerror(r == -EFBIG ? EFBIG : -r));
	}

	/* the firmware table to beat */
	struct acpi_header fw;
	struct ovr_make mk = { .keep_ids = keep_ids, .have_rev = have_rev, .rev = (uint32_t)rev };
	const char *fw_path = above ? above : (access(SYS_SRAT, R_OK) == 0 ? SYS_SRAT : NULL);
	if (no_fw) {
		if (above)
			return die(2, "--above and --no-firmware contradict each other");
		fw_path = NULL;
	}
	if (fw_path) {
		size_t fl;
		uint8_t *fb;
		if ((r = sys_read(fw_path, 2ull * ACPI_TABLE_MAX_LEN, &fb, &fl)) < 0)
			return die(1, "%s: %s", fw_path, strerror(-r));
		if (acpi_header_read((struct hs_view){ fb, fl }, &fw) < 0 || memcmp(fw.sig, "SRAT", 4)) {
			free(fb);
			return die(1, "%s: not an SRAT", fw_path);
		}
		free(fb);
		mk.fw = &fw;
		mk.fw_name = fw_path;
	}

	uint32_t new_rev;
	r = ovr_make_table(t, len, in, &mk, &new_rev, &note, &err);
	if (note.msg[0])
		fprintf(stderr, "%s: %s\n", prog, note.msg);
	if (r < 0) {
		free(t);
		return die(1, "%s", err.msg);
	}
	size_t cap = ovr_cpio_size(len), n;
	uint8_t *c = malloc(cap);
	if (!c || ovr_cpio(t, len, c, cap, &n) < 0) {
		free(t);
		free(c);
		return die(1, "out of memory");
	}
	free(t);
	r = sys_write_atomic(out, c, n);
	free(c);
	if (r < 0)
		return die(1, "%s: %s", out, strerror(-r));
	printf("%s: wrote %s: " OVR_PATH "srat.aml, %zu bytes, OEM revision %u\n", prog, out, len,
	       new_rev);
	if (mk.fw)
		printf("%s: firmware SRAT %s: OEM ID \"%s\", table ID \"%s\", OEM revision %u%s\n", prog,
		       fw_path, fw.oem_id, fw.oem_table_id, fw.oem_revision,
		       keep_ids ? " (IDs kept as they are)" : "");
	return 0;
}
