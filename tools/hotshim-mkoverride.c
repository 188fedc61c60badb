/*
 * hotshim-mkoverride: an SRAT (ASL or AML) -> an initrd cpio that Linux
 * (and hotshim) take as an override of the firmware's SRAT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../acpi/override.h"
#include "../acpi/srat.h"

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

static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > ACPI_TABLE_MAX_LEN * 2u) {
				free(b);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			uint8_t *nb = realloc(b, cap);
			if (!nb) {
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	*ret_len = n;
	return b;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

/* iasl writes DIR/out.aml; returns the AML bytes. */
static uint8_t *compile_asl(const char *src, size_t *ret_len, char *err, size_t errcap)
{
	char dir[] = "/tmp/hotshim-mkoverride-XXXXXX", prefix[64], aml[80], log[80];

	if (!mkdtemp(dir)) {
		snprintf(err, errcap, "cannot make a temporary directory: %s", strerror(errno));
		return NULL;
	}
	snprintf(prefix, sizeof(prefix), "%s/out", dir);
	snprintf(aml, sizeof(aml), "%s/out.aml", dir);
	snprintf(log, sizeof(log), "%s/iasl.log", dir);
	pid_t pid = fork();
	if (pid == 0) {
		FILE *l = freopen(log, "w", stdout);
		(void)l;
		dup2(1, 2);
		execlp("iasl", "iasl", "-p", prefix, src, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	uint8_t *b = NULL;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		snprintf(err, errcap, "%s: cannot run iasl (Debian package acpica-tools)", src);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !(b = slurp(aml, ret_len))) {
		/* the first error line iasl printed */
		char lb[300] = "";
		FILE *l = fopen(log, "r");
		while (l && fgets(lb, sizeof(lb), l))
			if (strstr(lb, "Error"))
				break;
		if (l)
			fclose(l);
		lb[strcspn(lb, "\n")] = '\0';
		snprintf(err, errcap, "%s: iasl could not compile it%s%s", src, lb[0] ? ": " : "", lb);
		b = NULL;
	}
	unlink(aml);
	unlink(log);
	rmdir(dir);
	return b;
}

static void put_hdr(FILE *f, unsigned ino, unsigned mode, unsigned nlink, size_t size,
		    const char *name, size_t *pos)
{
	size_t nsz = strlen(name) + 1;
	int n = fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", ino,
			mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, nsz, 0);
	fwrite(name, 1, nsz, f);
	*pos += (size_t)n + nsz;
	while (*pos % 4) {
		fputc(0, f);
		(*pos)++;
	}
}

static int write_cpio(const char *out, const uint8_t *t, size_t len)
{
	static const char *const dirs[] = { "kernel", "kernel/firmware", "kernel/firmware/acpi" };
	FILE *f = fopen(out, "wb");
	size_t pos = 0;
	unsigned ino = 1;

	if (!f)
		return -errno;
	for (size_t i = 0; i < 3; i++)
		put_hdr(f, ino++, 040755, 2, 0, dirs[i], &pos);
	put_hdr(f, ino++, 0100644, 1, len, OVR_PATH "srat.aml", &pos);
	fwrite(t, 1, len, f);
	pos += len;
	while (pos % 4) {
		fputc(0, f);
		pos++;
	}
	put_hdr(f, 0, 0, 1, 0, "TRAILER!!!", &pos);
	/* pad to 512 like cpio(1), so whatever follows starts aligned */
	while (pos % 512) {
		fputc(0, f);
		pos++;
	}
	if (fclose(f) != 0)
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = "srat-override.cpio", *above = NULL;
	bool keep_ids = false, have_rev = false, no_fw = false;
	unsigned long rev = 0;
	char err[400];

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
	if (ends_with(in, ".asl") || ends_with(in, ".dsl")) {
		t = compile_asl(in, &len, err, sizeof(err));
		if (!t)
			return die(1, "%s", err);
	} else {
		t = slurp(in, &len);
		if (!t)
			return die(1, "%s: %s", in, strerror(errno));
	}

	struct acpi_header h;
	struct hs_view v = { t, len };
	if (acpi_header_read(v, &h) < 0)
		return die(1, "%s: %zu bytes is too short for an ACPI table header (36)", in, len);
	if (memcmp(h.sig, "SRAT", 4))
		return die(1, "%s: signature is \"%.4s\", not \"SRAT\"", in, h.sig);
	if (len < SRAT_HDR_LEN)
		return die(1, "%s: %zu bytes is too short for an SRAT (48)", in, len);
	if (len > ACPI_TABLE_MAX_LEN)
		return die(1, "%s: %zu bytes is larger than any ACPI table", in, len);
	if (h.length > len)
		return die(1, "%s: header length %u but only %zu bytes: the table is cut short", in,
			   h.length, len);
	if (h.length < len)
		fprintf(stderr, "%s: %s: header length %u < %zu bytes: taking the whole file\n", prog,
			in, h.length, len);

	/* the firmware table to beat */
	struct acpi_header fw;
	bool have_fw = false;
	const char *fw_path = above ? above : (access(SYS_SRAT, R_OK) == 0 ? SYS_SRAT : NULL);
	if (no_fw) {
		if (above)
			return die(2, "--above and --no-firmware contradict each other");
		fw_path = NULL;
	}
	if (fw_path) {
		size_t fl;
		uint8_t *fb = slurp(fw_path, &fl);
		if (!fb)
			return die(1, "%s: %s", fw_path, strerror(errno));
		if (acpi_header_read((struct hs_view){ fb, fl }, &fw) < 0 || memcmp(fw.sig, "SRAT", 4)) {
			free(fb);
			return die(1, "%s: not an SRAT", fw_path);
		}
		free(fb);
		have_fw = true;
	}

	uint32_t new_rev = have_rev ? (uint32_t)rev : h.oem_revision;
	if (have_fw && !have_rev && new_rev <= fw.oem_revision) {
		if (fw.oem_revision == 0xffffffffu)
			return die(1, "%s: the firmware's OEM revision is 0xffffffff; no override can be "
				      "higher, so Linux would never take one",
				   fw_path);
		new_rev = fw.oem_revision + 1;
	}
	if (have_fw && new_rev <= fw.oem_revision)
		return die(1, "--oem-revision %u is not higher than the firmware's %u (%s): Linux "
			      "would ignore the override",
			   new_rev, fw.oem_revision, fw_path);
	t[24] = (uint8_t)new_rev;
	t[25] = (uint8_t)(new_rev >> 8);
	t[26] = (uint8_t)(new_rev >> 16);
	t[27] = (uint8_t)(new_rev >> 24);
	if (have_fw && !keep_ids) {
		memcpy(t + 10, fw.oem_id, 6);
		memcpy(t + 16, fw.oem_table_id, 8);
	}
	t[4] = (uint8_t)len;
	t[5] = (uint8_t)(len >> 8);
	t[6] = (uint8_t)(len >> 16);
	t[7] = (uint8_t)(len >> 24);
	t[9] = 0;
	t[9] = (uint8_t)(0 - acpi_sum(t, len));

	int r = write_cpio(out, t, len);
	free(t);
	if (r < 0)
		return die(1, "%s: %s", out, strerror(-r));
	printf("%s: wrote %s: " OVR_PATH "srat.aml, %zu bytes, OEM revision %u\n", prog, out, len,
	       new_rev);
	if (have_fw)
		printf("%s: firmware SRAT %s: OEM ID \"%s\", table ID \"%s\", OEM revision %u%s\n", prog,
		       fw_path, fw.oem_id, fw.oem_table_id, fw.oem_revision,
		       keep_ids ? " (IDs kept as they are)" : "");
	return 0;
}
