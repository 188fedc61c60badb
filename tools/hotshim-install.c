/*
 * hotshim-install: puts hotshim on a Debian machine's ESP and keeps it
 * current, as bootctl install/update/remove/status and kernel-install do
 * for systemd-boot.
 *
 *   install  hotshim.efi, the newest kernels from /boot with their
 *            initrds, Boot Loader Specification entries and (when there is
 *            none) loader.conf, then a boot option tried once (BootNext)
 *   update   the same files again (Debian's kernel hooks run this)
 *   remove   exactly what install put there, and its boot option
 *   status   what is installed, whether it is current, the verdict
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/entries.h"
#include "../core/kernel.h"
#include "host/espsync.h"
#include "host/machine.h"
#include "host/nvram.h"
#include "host/ovrmake.h"
#include "host/sys.h"

#ifndef HOTSHIM_LIBDIR
#define HOTSHIM_LIBDIR "/usr/lib/hotshim"
#endif
#define EFI_SRC HOTSHIM_LIBDIR "/hotshimx64.efi"
#define KERNEL_MAX_BYTES (512ull << 20)
/* The ESP install used, on the system's own disk, so that the kernel hooks
 * find it where it is not at a usual place, and say so when it is gone. */
#define ESP_RECORD "/var/lib/hotshim/esp"
/* --shim: Debian's Microsoft-signed shim (shim-signed) */
#define SHIM_SRC "/usr/lib/shim/shimx64.efi.signed"
/* --sign: hotshim.efi signed with the machine owner's key, and the bytes
 * it was made from; made again when hotshim.efi differs from those, or
 * the key or the certificate is newer */
#define SIGNED_EFI "/var/lib/hotshim/hotshimx64.efi.signed"
#define SIGNED_FROM "/var/lib/hotshim/hotshimx64.efi.unsigned"
#define PE_MACHINE_X64 0x8664
#define PE_SUBSYSTEM_EFI_APP 10

static const char *prog = "hotshim-install";

enum cmd { CMD_INSTALL, CMD_UPDATE, CMD_REMOVE, CMD_STATUS };
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct opts {
	enum cmd cmd;
	const char *esp;        /* --esp */
	const char *root;       /* --root: the system to install ("" is /) */
	const char *efi;        /* --efi: the hotshim.efi to install */
	const char *override;   /* --override FILE */
	bool no_override;
	bool make_default;      /* --default */
	bool once;              /* --once */
	bool no_variables;
	bool dry;
	bool graceful;
	bool quiet;             /* status's own look at what update would do */
	unsigned keep;          /* --kernels, 0: as before */
	bool relax;             /* HOTSHIM_RELAX_ESP_CHECKS=1 */
	bool shim, no_shim;     /* --shim, --no-shim */
	const char *shim_efi;   /* --shim-efi FILE (implies --shim) */
	const char *sign_key, *sign_cert; /* --sign KEY CERT */
	bool no_sign;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hotshim-install [install] [--once | --default] [--override TABLE | --no-override]\n"
		"                       [--kernels N] [OPTIONS]\n"
		"       hotshim-install update [--graceful] [OPTIONS]\n"
		"       hotshim-install remove [OPTIONS]\n"
		"       hotshim-install status [OPTIONS]\n"
		"\n"
		"Installs hotshim on the EFI System Partition and keeps it current: hotshim.efi,\n"
		"the newest kernels in /boot with their initrds (the ESP is what firmware can\n"
		"read), a Boot Loader Specification entry for each, and a boot option.\n"
		"\n"
		"  install          copy everything, then make a boot option that the firmware\n"
		"                   tries once, at the next boot only (BootNext)\n"
		"    --once         that is the default: the boot after it goes back to the\n"
		"                   old boot order\n"
		"    --default      put hotshim first in BootOrder instead\n"
		"    --override TABLE  an SRAT (ASL source, or a binary table) made into an\n"
		"                   override archive loaded as the first initrd of every entry\n"
		"    --no-override  stop loading the override archive\n"
		"    --kernels N    entries for the N newest kernels (default %u: the newest,\n"
		"                   and the one before it to fall back on)\n"
		"    --shim         Secure Boot: the boot option starts shim (" SHIM_SRC "),\n"
		"                   which starts hotshim and verifies its kernels; --no-shim\n"
		"    --shim-efi FILE  that shim instead (implies --shim)\n"
		"    --sign KEY CERT  sign hotshim.efi with this key (sbsign), a Machine Owner\n"
		"                   Key shim trusts once enrolled with mokutil; --no-sign\n"
		"  update           the same files for the kernels now in /boot; never changes\n"
		"                   boot options (Debian's kernel hooks run it)\n"
		"    --graceful     exit 0, quietly, where hotshim is not installed\n"
		"  remove           take away exactly what install put on the ESP and in NVRAM\n"
		"  status           what is installed, whether it is current, and this\n"
		"                   machine's hotplug verdict\n"
		"\n"
		"  --esp PATH       the ESP (default: the first of /efi, /boot, /boot/efi that\n"
		"                   is a mounted FAT partition of the ESP's type)\n"
		"  --root DIR       install the system in DIR: its /boot and /etc (the command\n"
		"                   line must then be in DIR/etc/kernel/cmdline)\n"
		"  --efi FILE       install this hotshim.efi (default " EFI_SRC ")\n"
		"  --no-variables   leave EFI variables alone\n"
		"  --dry-run        print every action, change nothing\n"
		"  --help, --version\n"
		"\n"
		"The entries' command line is /etc/kernel/cmdline, else the running kernel's.\n"
		"Exit status: 0 done, 1 refused or failed (one line says why), 2 bad usage.\n",
		INST_DEFAULT_KEEP);
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int i = 1;
	static const char *const cmds[] = { "install", "update", "remove", "status" };

	o->cmd = CMD_INSTALL;
	bool have_cmd = false;
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char **val = !strcmp(a, "--esp")        ? &o->esp
				   : !strcmp(a, "--root")     ? &o->root
				   : !strcmp(a, "--efi")      ? &o->efi
				   : !strcmp(a, "--override") ? &o->override
				   : !strcmp(a, "--shim-efi") ? &o->shim_efi
							      : NULL;
		if (val || !strcmp(a, "--kernels")) {
			if (i + 1 == argc) {
				die(EXIT_USAGE, "%s needs a value", a);
				return -1;
			}
			if (val) {
				*val = argv[++i];
				continue;
			}
			char *end;
			unsigned long k = strtoul(argv[++i], &end, 10);
			if (*end || !argv[i][0] || k == 0 || k > INST_KEEP_MAX) {
				die(EXIT_USAGE, "--kernels '%s': a number from 1 to %u", argv[i],
				    INST_KEEP_MAX);
				return -1;
			}
			o->keep = (unsigned)k;
		} else if (!strcmp(a, "--sign")) {
			if (i + 2 >= argc) {
				die(EXIT_USAGE, "--sign needs a key and a certificate");
				return -1;
			}
			o->sign_key = argv[++i];
			o->sign_cert = argv[++i];
		} else if (!strcmp(a, "--shim")) {
			o->shim = true;
		} else if (!strcmp(a, "--no-shim")) {
			o->no_shim = true;
		} else if (!strcmp(a, "--no-sign")) {
			o->no_sign = true;
		} else if (!strcmp(a, "--once")) {
			o->once = true;
		} else if (!strcmp(a, "--default")) {
			o->make_default = true;
		} else if (!strcmp(a, "--no-override")) {
			o->no_override = true;
		} else if (!strcmp(a, "--no-variables")) {
			o->no_variables = true;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry = true;
		} else if (!strcmp(a, "--graceful")) {
			o->graceful = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(EXIT_OK);
		} else if (!strcmp(a, "--version")) {
			printf("hotshim-install %s\n", HS_VERSION);
			exit(EXIT_OK);
		} else if (a[0] != '-' && !have_cmd) {
			size_t c = 0;
			while (c < HS_ARRAY_SIZE(cmds) && strcmp(a, cmds[c]))
				c++;
			if (c == HS_ARRAY_SIZE(cmds)) {
				die(EXIT_USAGE, "unknown command '%s': install, update, remove or status",
				    a);
				return -1;
			}
			o->cmd = (enum cmd)c;
			have_cmd = true;
		} else {
			die(EXIT_USAGE, "unknown %s '%s' (see --help)", a[0] == '-' ? "option" : "argument",
			    a);
			return -1;
		}
	}
	if (o->shim_efi)
		o->shim = true;
	bool only_install = o->override || o->no_override || o->keep || o->make_default ||
			    o->shim || o->no_shim || o->sign_key || o->no_sign;
	if (only_install && o->cmd != CMD_INSTALL) {
		die(EXIT_USAGE, "--override, --no-override, --kernels, --default, --shim, --no-shim, "
		    "--sign and --no-sign go with install");
		return -1;
	}
	if ((o->shim && o->no_shim) || (o->sign_key && o->no_sign)) {
		die(EXIT_USAGE, "%s contradict each other",
		    o->shim && o->no_shim ? "--shim and --no-shim" : "--sign and --no-sign");
		return -1;
	}
	if (o->override && o->no_override) {
		die(EXIT_USAGE, "--override and --no-override contradict each other");
		return -1;
	}
	if (o->once && o->make_default) {
		die(EXIT_USAGE, "--once and --default contradict each other");
		return -1;
	}
	if ((o->once || o->make_default) && o->cmd != CMD_INSTALL) {
		die(EXIT_USAGE, "--once and --default go with install");
		return -1;
	}
	if ((o->once || o->make_default) && (o->no_variables || (o->root && o->root[0]))) {
		die(EXIT_USAGE, "%s changes boot options: not with %s", o->once ? "--once" : "--default",
		    o->no_variables ? "--no-variables" : "--root (another system's, not this one's)");
		return -1;
	}
	if (o->graceful && o->cmd != CMD_UPDATE) {
		die(EXIT_USAGE, "--graceful goes with update");
		return -1;
	}
	if (!o->root)
		o->root = "";
	/* another system's files: this machine's variables are not its own
	 * (bootctl --root leaves them alone too) */
	if (o->root[0])
		o->no_variables = true;
	if (!o->efi)
		o->efi = EFI_SRC;
	const char *relax = getenv("HOTSHIM_RELAX_ESP_CHECKS");
	o->relax = relax && !strcmp(relax, "1");
	return 0;
}

/* ---- what the system offers: kernels, command line, os-release -------- */

struct system {
	struct inst_kernel k[INST_MAX_KERNELS];
	size_t nk;
	char cmdline[INST_CMDLINE + 1];
	struct inst_os os;
};

static void rooted(const struct opts *o, const char *p, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", o->root, p);
}

static int scan_kernels(const struct opts *o, struct system *s)
{
	char boot[300];
	struct dirent *de;

	rooted(o, "/boot", boot, sizeof(boot));
	DIR *d = opendir(boot);
	if (!d)
		return die(EXIT_FAIL, "%s: %s", boot, strerror(errno));
	s->nk = 0;
	while ((de = readdir(d))) {
		struct inst_kernel k = { "", "", "" };
		struct stat st;
		if (!inst_kernel_version(de->d_name, k.version, sizeof(k.version)))
			continue;
		if ((size_t)snprintf(k.image, sizeof(k.image), "%s/%s", boot, de->d_name) >=
			    sizeof(k.image) ||
		    (size_t)snprintf(k.initrd, sizeof(k.initrd), "%s/initrd.img-%s", boot,
				     k.version) >= sizeof(k.initrd)) {
			closedir(d);
			return die(EXIT_FAIL, "%s/%s: path longer than %u bytes", boot, de->d_name,
				   INST_PATH - 1);
		}
		if (stat(k.image, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (stat(k.initrd, &st) < 0 || !S_ISREG(st.st_mode))
			k.initrd[0] = '\0';
		if (s->nk == INST_MAX_KERNELS) {
			closedir(d);
			return die(EXIT_FAIL, "%s: more than %u kernels", boot, INST_MAX_KERNELS);
		}
		s->k[s->nk++] = k;
	}
	closedir(d);
	return 0;
}

/* A kernel hotshim can boot: a bzImage, new enough for the override. */
static int check_kernel(const char *path, bool override)
{
	uint8_t *b;
	size_t n;
	int r = sys_read(path, KERNEL_MAX_BYTES, &b, &n);

	if (r < 0)
		return die(EXIT_FAIL, "%s: %s", path,
			   r == -EFBIG ? "larger than 512 MiB: not a kernel" : strerror(-r));
	static struct kernel k;
	struct hs_err err = { "" };
	r = kernel_identify((struct hs_view){ b, n }, 0, &k, &err);
	free(b);
	if (r < 0)
		return die(EXIT_FAIL, "%s: %s", path, err.msg);
	if (k.kind != KERNEL_LINUX)
		return die(EXIT_FAIL, "%s is an ELF kernel, not a bzImage: entries boot Linux's "
			   "bzImage", path);
	/* acpi_rsdp_addr came with boot protocol 2.14 (core/plan.c) */
	if (override && k.lx.version < 0x020e)
		return die(EXIT_FAIL, "%s: boot protocol %u.%02u ignores acpi_rsdp_addr (2.14 and "
			   "later), so it would not see the SRAT override", path,
			   k.lx.version >> 8, k.lx.version & 0xff);
	return 0;
}

static int read_text(const char *path, char **ret)
{
	uint8_t *b;
	size_t n;
	int r = sys_read(path, 1u << 16, &b, &n);
	if (r < 0)
		return r;
	if (memchr(b, 0, n)) {
		free(b);
		return -EBADMSG;
	}
	*ret = (char *)b;
	return 0;
}

static int read_system(const struct opts *o, struct system *s)
{
	char path[300], *etc = NULL, *proc = NULL, *osr = NULL, *mid = NULL;
	struct hs_err err = { "" };

	if (scan_kernels(o, s))
		return EXIT_FAIL;
	rooted(o, "/etc/kernel/cmdline", path, sizeof(path));
	int r = read_text(path, &etc);
	if (r < 0 && r != -ENOENT)
		return die(EXIT_FAIL, "%s: %s", path, strerror(-r));
	if (!etc && o->root[0])
		return die(EXIT_FAIL, "%s: %s: with --root the command line must be there", path,
			   strerror(ENOENT));
	if (!etc && (r = read_text("/proc/cmdline", &proc)) < 0)
		return die(EXIT_FAIL, "/proc/cmdline: %s", strerror(-r));
	r = inst_cmdline(etc, etc != NULL, proc, s->cmdline, sizeof(s->cmdline), &err);
	free(etc);
	free(proc);
	if (r < 0)
		return die(EXIT_FAIL, "%s", err.msg);
	rooted(o, "/etc/os-release", path, sizeof(path));
	if (read_text(path, &osr) < 0) {
		rooted(o, "/usr/lib/os-release", path, sizeof(path));
		read_text(path, &osr);
	}
	rooted(o, "/etc/machine-id", path, sizeof(path));
	read_text(path, &mid);
	inst_os_parse(osr, mid, &s->os);
	free(osr);
	free(mid);
	return 0;
}

/* ---- the override archive --------------------------------------------- */

static int make_override(const char *in, uint8_t **ret, size_t *ret_len)
{
	uint8_t *t, *fw = NULL;
	size_t len, fwlen;
	struct hs_err err = { "" }, note = { "" };
	size_t l = strlen(in);
	int r;

	if (l > 4 && (!strcasecmp(in + l - 4, ".asl") || !strcasecmp(in + l - 4, ".dsl"))) {
		if (sys_compile_asl(in, &t, &len, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
	} else if ((r = sys_read(in, ACPI_TABLE_MAX_LEN, &t, &len)) < 0) {
		return die(EXIT_FAIL, "%s: %s", in,
			   r == -EFBIG ? "larger than any ACPI table" : strerror(-r));
	}
	/* the firmware's table to beat; after a boot with an override, sysfs
	 * shows that override, and beating it is just as right */
	struct acpi_header h;
	struct ovr_make mk = { .fw_name = SYS_SRAT };
	if (sys_read(SYS_SRAT, ACPI_TABLE_MAX_LEN, &fw, &fwlen) == 0 &&
	    acpi_header_read((struct hs_view){ fw, fwlen }, &h) == 0 && !memcmp(h.sig, "SRAT", 4))
		mk.fw = &h;
	uint32_t rev;
	r = ovr_make_table(t, len, in, &mk, &rev, &note, &err);
	free(fw);
	if (note.msg[0])
		fprintf(stderr, "%s: %s\n", prog, note.msg);
	if (r < 0) {
		free(t);
		return die(EXIT_FAIL, "%s", err.msg);
	}
	size_t cap = ovr_cpio_size(len), n;
	uint8_t *c = malloc(cap);
	if (!c || ovr_cpio(t, len, c, cap, &n) < 0) {
		free(t);
		free(c);
		return die(EXIT_FAIL, "out of memory");
	}
	free(t);
	printf("override: %s as kernel/firmware/acpi/srat.aml, OEM revision %u\n", in, rev);
	*ret = c;
	*ret_len = n;
	return 0;
}

/* ---- Secure Boot: an unsigned hotshim.efi would be refused ------------- */

static bool secure_boot_on(void)
{
	uint8_t *b;
	size_t n;
	bool on = false;

	if (sys_efivar("SecureBoot", EFI_GLOBAL_GUID, &b, &n) == 0) {
		on = n == 1 && b[0] == 1;
		free(b);
	}
	return on;
}

/* PE32+ layout (PE/COFF specification): the "PE\0\0" offset at 0x3c; after
 * the 4-byte signature the 20-byte COFF header (Machine first), then the
 * optional header: Magic, Subsystem at 68, NumberOfRvaAndSizes at 108, the
 * data directories from 112, 8 bytes each, the certificate table 4th. */
#define PE_LFANEW 0x3c
#define PE_OPT (4 + 20)
#define PE_MAGIC_64 0x20b
#define PE_OPT_SUBSYSTEM 68
#define PE_OPT_NDIRS 108
#define PE_OPT_DIRS 112
#define PE_DIR_SECURITY 4

struct pe_info {
	bool efi_app_x64;  /* a PE32+ EFI application for x86-64 */
	bool signed_;      /* has a certificate table */
};

static int pe_read(const char *path, struct pe_info *ret)
{
	uint8_t *b;
	size_t n;
	int r = sys_read(path, 64u << 20, &b, &n);

	if (r < 0)
		return r;
	struct hs_view v = { b, n };
	struct pe_info pi = { false, false };
	uint32_t pe = n >= 0x40 && b[0] == 'M' && b[1] == 'Z' ? hs_get_u32(v, PE_LFANEW) : 0;
	if (pe && hs_view_has(v, pe, PE_OPT + PE_OPT_DIRS) && !memcmp(b + pe, "PE\0\0", 4) &&
	    hs_get_u16(v, pe + 4) == PE_MACHINE_X64 && hs_get_u16(v, pe + PE_OPT) == PE_MAGIC_64) {
		pi.efi_app_x64 = hs_get_u16(v, pe + PE_OPT + PE_OPT_SUBSYSTEM) == PE_SUBSYSTEM_EFI_APP;
		uint32_t dirs = hs_get_u32(v, pe + PE_OPT + PE_OPT_NDIRS);
		uint64_t sec = pe + PE_OPT + PE_OPT_DIRS + PE_DIR_SECURITY * 8;
		pi.signed_ = dirs > PE_DIR_SECURITY && hs_view_has(v, sec, 8) &&
			     hs_get_u32(v, sec + 4) != 0;
	}
	free(b);
	*ret = pi;
	return 0;
}

/* ---- the commands ----------------------------------------------------- */

/* The path in ESP_RECORD, or "" where there is none. */
static void read_record(const struct opts *o, char *ret, size_t cap)
{
	char path[300], *t = NULL;

	ret[0] = '\0';
	rooted(o, ESP_RECORD, path, sizeof(path));
	if (read_text(path, &t) < 0)
		return;
	t[strcspn(t, "\n")] = '\0';
	if (t[0] == '/')
		snprintf(ret, cap, "%s", t);
	free(t);
}

/* A record that cannot be written is a warning: everything is in place,
 * only the hooks will look at the usual places. */
/* /var/lib/hotshim under --root, made where missing: 0, or -errno with
 * the directory that failed in path. */
static int state_dir(const struct opts *o, char *path, size_t cap)
{
	static const char *const dirs[] = { "/var", "/var/lib", "/var/lib/hotshim" };

	for (size_t i = 0; i < HS_ARRAY_SIZE(dirs); i++) {
		rooted(o, dirs[i], path, cap);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	return 0;
}

static void write_record(const struct opts *o, const struct esp *e)
{
	char path[300], text[300];
	int r;

	if (o->dry)
		return;
	r = state_dir(o, path, sizeof(path));
	if (!r) {
		rooted(o, ESP_RECORD, path, sizeof(path));
		int n = snprintf(text, sizeof(text), "%s\n", e->path);
		r = sys_write_atomic(path, text, (size_t)n);
	}
	if (r < 0)
		fprintf(stderr, "%s: warning: %s: %s: the kernel hooks will look for the ESP at the "
			"usual places only\n", prog, path, strerror(-r));
}

/* Another hotshim-install on the same ESP (an administrator's while a
 * kernel package runs the hooks) waits: one at a time reads and writes the
 * manifest.  The lock goes with the process. */
static int lock_esp(const struct opts *o, const struct esp *e)
{
	if (o->dry || o->cmd == CMD_STATUS)
		return 0;
	int fd = open(e->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return die(EXIT_FAIL, "%s: %s", e->path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		printf("waiting for another hotshim-install on %s\n", e->path);
		if (flock(fd, LOCK_EX) < 0)
			return die(EXIT_FAIL, "%s: cannot lock: %s", e->path, strerror(errno));
	}
	return 0; /* fd stays open until exit */
}

static int find_esp(const struct opts *o, struct esp *e)
{
	struct hs_err err = { "" };
	char rec[256];
	unsigned flags = (o->relax ? ESP_RELAX : 0) | (o->cmd == CMD_STATUS ? ESP_DISK_OPT : 0);

	read_record(o, rec, sizeof(rec));
	const char *given = o->esp ? o->esp : rec[0] ? rec : NULL;
	if (esp_find(given, o->root, flags, e, &err) < 0) {
		if (!o->esp && rec[0])
			return die(EXIT_FAIL, "%s (the ESP hotshim was installed on, as %s%s says)",
				   err.msg, o->root, ESP_RECORD);
		return die(EXIT_FAIL, "%s", err.msg);
	}
	if (lock_esp(o, e))
		return EXIT_FAIL;
	char g[40] = "";
	if (e->disk[0] && e->pi.gpt)
		gpt_guid_str(e->pi.uuid, g);
	if (e->disk[0])
		printf("ESP: %s (partition %u of %s%s%s)\n", e->path, e->pi.number, e->disk,
		       g[0] ? ", PARTUUID " : "", g);
	else
		printf("ESP: %s\n", e->path);
	return 0;
}

/* Plans and writes the files; m is the manifest before and after. */
static void status_default(const struct esp *e, char *ret, size_t cap, size_t *ret_n);

/* loader.conf is hotshim-install's to write while there is none, or while
 * it is still what hotshim-install wrote; once changed, it is the
 * administrator's, as a conffile is dpkg's until edited. */
static bool loader_conf_ours(const struct esp *e, struct inst_manifest *m, bool quiet)
{
	char path[600], text[256];
	size_t n = inst_loader_conf(text, sizeof(text));

	snprintf(path, sizeof(path), "%s" INST_LOADER_CONF, e->path);
	if (access(path, F_OK) < 0)
		return true;
	bool listed = inst_manifest_has_file(m, INST_LOADER_CONF);
	if (listed && sys_same_bytes(path, text, n) == 1)
		return true;
	if (!quiet)
		printf("kept %s: %s (its default decides)\n", INST_LOADER_CONF,
		       listed ? "changed since hotshim-install wrote it" : "not written by hotshim-install");
	if (listed)
		inst_manifest_drop_file(m, INST_LOADER_CONF);
	return false;
}

/* hotshim.efi signed with --sign's key into SIGNED_EFI (under --root),
 * unless that copy was made from the same bytes (SIGNED_FROM: dpkg gives
 * files their package's times, so times cannot tell) with a key and
 * certificate older than it; its path in ret.  A dry run signs nothing
 * and plans with hotshim.efi. */
static int sign_efi(const struct opts *o, const struct inst_config *cfg, char *ret, size_t cap)
{
	struct stat key, cert, have;
	char out[512], from[600], tmp[620];
	const char *bad = stat(cfg->sign_key, &key) < 0 ? cfg->sign_key
			  : stat(cfg->sign_cert, &cert) < 0 ? cfg->sign_cert : NULL;

	if (bad)
		return die(EXIT_FAIL, "--sign: %s: %s", bad, strerror(errno));
	rooted(o, SIGNED_EFI, ret, cap);
	rooted(o, SIGNED_FROM, from, sizeof(from));
	if (stat(ret, &have) == 0 && have.st_mtime >= key.st_mtime &&
	    have.st_mtime >= cert.st_mtime && sys_same_file(from, o->efi) == 1)
		return 0;
	if (o->dry) {
		printf("would run: sbsign --key %s --cert %s --output %s %s\n", cfg->sign_key,
		       cfg->sign_cert, ret, o->efi);
		snprintf(ret, cap, "%s", o->efi);
		return 0;
	}
	/* under a temporary name, so that an interrupted sbsign leaves no
	 * half-signed file to be taken for current */
	snprintf(tmp, sizeof(tmp), "%s" SYS_TMP_SUFFIX, ret);
	char *argv[] = { "sbsign", "--key", (char *)cfg->sign_key, "--cert",
			 (char *)cfg->sign_cert, "--output", tmp, (char *)o->efi, NULL };
	char dir[600];
	int r = state_dir(o, dir, sizeof(dir));
	if (r < 0)
		return die(EXIT_FAIL, "%s: %s", dir, strerror(-r));
	int st = sys_run(argv, out, sizeof(out));
	if (st != 0 || rename(tmp, ret) < 0) {
		unlink(tmp);
		out[strcspn(out, "\n")] = '\0';
		return die(EXIT_FAIL, "sbsign could not sign %s with %s: %s", o->efi, cfg->sign_key,
			   st < 0 ? "sbsign is not installed (apt install sbsigntool)"
			   : st > 0 && out[0] ? out : strerror(errno));
	}
	r = sys_copy_atomic(from, o->efi);
	if (r < 0)
		return die(EXIT_FAIL, "%s: %s", from, strerror(-r));
	return 0;
}

static int sync_files(const struct opts *o, const struct esp *e, const struct inst_config *cfg,
		      const uint8_t *ovr, size_t ovr_len, struct inst_manifest *m,
		      struct sync_stats *ret)
{
	static struct system s;
	static struct inst_plan p;
	struct hs_err err = { "" };
	char path[600];

	if (read_system(o, &s))
		return EXIT_FAIL;
	if (s.nk == 0) {
		rooted(o, "/boot", path, sizeof(path));
		return die(EXIT_FAIL, "no kernel in %s (vmlinuz-VERSION): nothing to boot", path);
	}
	if (access(o->efi, R_OK) < 0)
		return die(EXIT_FAIL, "%s: %s (the hotshim.efi to install; see --efi)", o->efi,
			   strerror(errno));
	if (cfg->shim[0] && access(cfg->shim, R_OK) < 0)
		return die(EXIT_FAIL, "%s: %s (the shim to install: apt install shim-signed, or "
			   "--shim-efi FILE)", cfg->shim, strerror(errno));
	static char efi_src[600];
	snprintf(efi_src, sizeof(efi_src), "%s", o->efi);
	if (cfg->sign_key[0] && sign_efi(o, cfg, efi_src, sizeof(efi_src)))
		return EXIT_FAIL;
	/* MokManager beside the shim: mmx64.efi.signed beside
	 * shimx64.efi.signed (Debian's shim-helpers-amd64-signed) */
	static char mm[INST_PATH + 16];
	if (cfg->shim[0]) {
		const char *slash = strrchr(cfg->shim, '/'), *dot = strrchr(cfg->shim, '.');
		snprintf(mm, sizeof(mm), "%.*s/mmx64.efi%s", (int)(slash - cfg->shim), cfg->shim,
			 dot && !strcmp(dot, ".signed") ? ".signed" : "");
		if (access(mm, R_OK) < 0) {
			if (!o->quiet)
				fprintf(stderr, "%s: warning: no %s: shim cannot start MokManager, "
					"so no key can be enrolled\n", prog, mm);
			mm[0] = '\0';
		}
	}
	struct inst_in in = {
		.k = s.k, .nk = s.nk, .cfg = *cfg, .os = &s.os, .cmdline = s.cmdline, .efi_src = efi_src,
		.mm_src = mm[0] ? mm : NULL, .loader_conf = loader_conf_ours(e, m, o->quiet),
	};
	if (inst_plan_make(&in, &p, &err) < 0)
		return die(EXIT_FAIL, "%s", err.msg);
	for (size_t i = 0; i < p.n; i++) {
		if (p.f[i].kind == INST_COPY && strstr(p.f[i].dest, "/vmlinuz") &&
		    check_kernel(p.f[i].src, cfg->override))
			return EXIT_FAIL;
	}
	size_t sel[INST_KEEP_MAX];
	size_t nsel = inst_select(s.k, s.nk, cfg->keep, sel);
	for (size_t i = 0; i < nsel && !o->quiet; i++)
		if (!s.k[sel[i]].initrd[0])
			fprintf(stderr, "%s: warning: %s has no initrd.img-%s beside it: its entry has no "
				"initrd, and a Debian kernel needs one to find its root\n", prog,
				s.k[sel[i]].image, s.k[sel[i]].version);
	struct sync_opts so = { o->dry, o->quiet, ovr, ovr_len };
	if (espsync_space(e, &p, &so, &err) < 0) {
		if (cfg->keep > 1)
			return die(EXIT_FAIL, "%s: make room on the ESP, or keep fewer kernels "
				   "(%s --kernels %u)", err.msg, prog, cfg->keep - 1);
		return die(EXIT_FAIL, "%s: make room on the ESP", err.msg);
	}
	struct sync_stats st;
	m->cfg = *cfg;
	if (espsync_apply(e, &p, &so, m, &st, &err) < 0)
		return die(EXIT_FAIL, "%s", err.msg);
	*ret = st;
	if (o->quiet)
		return 0;
	char dflt[ENTRY_MAX_NAME];
	size_t nent;
	if (in.loader_conf)
		snprintf(dflt, sizeof(dflt), "%s", strrchr(p.entry_default, '/') + 1);
	else
		status_default(e, dflt, sizeof(dflt), &nent);
	printf("%s: %u file%s %s, %u current, %u %s; default entry %s%s\n", e->path, st.written,
	       st.written == 1 ? "" : "s", o->dry ? "to write" : "written", st.current, st.removed,
	       o->dry ? "to remove" : "removed", dflt,
	       !in.loader_conf && strncmp(dflt, INST_ENTRY_PREFIX, strlen(INST_ENTRY_PREFIX))
		       ? " (loader.conf's: not one of hotshim's entries, so the override is not "
			 "loaded)" : "");
	return 0;
}

static int install_option(const struct opts *o, const struct esp *e, struct inst_manifest *m)
{
	struct nvram nv;
	struct hs_err err = { "" };
	bool shim = m->cfg.shim[0];
	const char *loader = shim ? NVRAM_SHIM : NVRAM_LOADER;

	if (o->no_variables) {
		printf("no boot option made (%s): make one with efibootmgr --create --disk DISK "
		       "--part N --loader '%s' --label %s\n", o->root[0] ? "--root" : "--no-variables",
		       loader, NVRAM_LABEL);
		return 0;
	}
	if (!sys_efi_booted()) {
		printf("not booted with UEFI (no /sys/firmware/efi): no boot option made\n");
		return 0;
	}
	if (nvram_read(e, &nv, &err) < 0)
		return die(EXIT_FAIL, "%s", err.msg);
	int num = nv.ours;
	/* --shim added or dropped: the option install made starts the other
	 * file, and goes */
	if (num >= 0 && nv.ours_shim != shim && num == m->boot_option) {
		if ((nv.next == num && nvram_clear_next(o->dry, &err) < 0) ||
		    nvram_delete(num, o->dry, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
		m->boot_option = -1;
		num = -1;
	} else if (num >= 0 && nv.ours_shim != shim) {
		num = -1; /* an administrator's option: left as it is */
	}
	if (num >= 0) {
		printf("Boot%04X \"%s\" already starts %s\n", (unsigned)num, nv.ours_desc, loader);
	} else {
		if (nvram_create(e, loader, o->dry, &num, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
		if (o->dry) {
			printf("would run: efibootmgr %s (the new option's number)\n",
			       o->make_default ? "--bootorder NEW,BootOrder" : "--bootnext NEW");
			return 0;
		}
		m->boot_option = num;
		printf("created Boot%04X \"%s\"\n", (unsigned)num, NVRAM_LABEL);
		if (nvram_read(e, &nv, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
	}
	if (o->make_default) {
		if (nvram_order_pos(&nv, num) != 0 && nvram_make_first(&nv, num, o->dry, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
		printf("Boot%04X is first in BootOrder: hotshim starts every boot\n", (unsigned)num);
	} else {
		if (nvram_set_next(num, o->dry, &err) < 0)
			return die(EXIT_FAIL, "%s", err.msg);
		printf("BootNext is Boot%04X: the next boot tries hotshim once, later boots go "
		       "back to BootOrder; \"%s --default\" keeps it\n",
		       (unsigned)num, prog);
	}
	return 0;
}

/* path made absolute (realpath) into ret, INST_PATH bytes */
static int abs_path(const char *path, char *ret, const char *opt)
{
	char *r = realpath(path, NULL);

	if (!r)
		return die(EXIT_FAIL, "%s %s: %s", opt, path, strerror(errno));
	if (strlen(r) >= INST_PATH) {
		free(r);
		return die(EXIT_FAIL, "%s %s: a path longer than %d bytes", opt, path, INST_PATH - 1);
	}
	snprintf(ret, INST_PATH, "%s", r);
	free(r);
	return 0;
}

/* What the person still has to do, once: enroll the key with shim's
 * MokManager.  mokutil wants the certificate in DER form. */
static void mok_hint(const char *cert)
{
	char head[16] = "";
	FILE *f = fopen(cert, "r");
	bool pem = f && fgets(head, sizeof(head), f) && !strncmp(head, "-----BEGIN", 10);

	if (f)
		fclose(f);
	printf("hotshim is signed with %s. Until that key is enrolled, shim refuses hotshim;\n"
	       "enroll it once (mokutil asks for a one-time password, MokManager asks for it at the\n"
	       "next boot):\n", cert);
	if (pem)
		printf("  openssl x509 -in %s -outform DER -out /root/hotshim-mok.der\n"
		       "  mokutil --import /root/hotshim-mok.der\n", cert);
	else
		printf("  mokutil --import %s\n", cert);
}

static int cmd_install(const struct opts *o)
{
	struct esp e;
	struct inst_manifest *m = calloc(1, sizeof(*m));
	struct hs_err err = { "" };
	uint8_t *ovr = NULL;
	size_t ovr_len = 0;
	int rc = EXIT_FAIL;

	if (!m)
		return die(EXIT_FAIL, "out of memory");
	if (find_esp(o, &e))
		goto out;
	int r = espsync_manifest(&e, m, &err);
	if (r == -ENOENT) {
		memset(m, 0, sizeof(*m));
		m->boot_option = -1;
		m->cfg.keep = INST_DEFAULT_KEEP;
	} else if (r < 0) {
		die(EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	struct inst_config cfg = m->cfg;
	if (o->keep)
		cfg.keep = o->keep;
	if (o->no_override)
		cfg.override = false;
	if (o->override) {
		if (make_override(o->override, &ovr, &ovr_len))
			goto out;
		cfg.override = true;
	}
	/* --shim and --sign persist (the manifest), for update; as absolute
	 * paths, since the kernel hooks run elsewhere */
	if (o->no_shim)
		cfg.shim[0] = '\0';
	if (o->shim && abs_path(o->shim_efi ? o->shim_efi : SHIM_SRC, cfg.shim, "--shim-efi"))
		goto out;
	if (o->no_sign)
		cfg.sign_key[0] = cfg.sign_cert[0] = '\0';
	if (o->sign_key && (abs_path(o->sign_key, cfg.sign_key, "--sign") ||
			    abs_path(o->sign_cert, cfg.sign_cert, "--sign")))
		goto out;
	struct pe_info pi;
	r = pe_read(o->efi, &pi);
	if (r < 0) {
		die(EXIT_FAIL, "%s: %s (the hotshim.efi to install; see --efi)", o->efi, strerror(-r));
		goto out;
	}
	if (!pi.efi_app_x64) {
		die(EXIT_FAIL, "%s is not an x86-64 EFI application (PE32+, subsystem %u): not "
		    "hotshim.efi", o->efi, PE_SUBSYSTEM_EFI_APP);
		goto out;
	}
	if (secure_boot_on() && !pi.signed_ && !cfg.sign_key[0])
		fprintf(stderr, "%s: warning: Secure Boot is on and %s is not signed: %s will "
			"refuse to start it (--sign KEY CERT)\n", prog, o->efi,
			cfg.shim[0] ? "shim" : "the firmware");
	struct sync_stats st;
	if (sync_files(o, &e, &cfg, ovr, ovr_len, m, &st))
		goto out;
	write_record(o, &e);
	int opt = install_option(o, &e, m);
	/* the option made is listed, so that remove deletes it, even when
	 * setting BootNext or BootOrder failed after */
	if (m->boot_option >= 0 && espsync_save(&e, m, o->dry, &err) < 0) {
		die(EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (!opt)
		rc = EXIT_OK;
	if (!opt && o->sign_key)
		mok_hint(cfg.sign_cert);
out:
	free(ovr);
	free(m);
	return rc;
}

static int cmd_update(const struct opts *o)
{
	struct sync_stats st;
	struct esp e;
	struct inst_manifest *m = calloc(1, sizeof(*m));
	struct hs_err err = { "" };
	int rc = EXIT_FAIL;

	if (!m)
		return die(EXIT_FAIL, "out of memory");
	char rec[256];
	read_record(o, rec, sizeof(rec));
	if (o->graceful && (o->esp || !rec[0])) {
		/* quiet where hotshim was never installed; where it was (the
		 * record), a missing ESP is an error the hooks pass on */
		if (esp_find(o->esp, o->root, o->relax ? ESP_RELAX : 0, &e, &err) < 0 ||
		    espsync_manifest(&e, m, &err) == -ENOENT) {
			free(m);
			return EXIT_OK;
		}
	}
	if (find_esp(o, &e))
		goto out;
	int r = espsync_manifest(&e, m, &err);
	if (r == -ENOENT)
		die(EXIT_FAIL, "hotshim is not installed on %s (no %s): run %s install", e.path,
		    INST_MANIFEST, prog);
	else if (r < 0)
		die(EXIT_FAIL, "%s", err.msg);
	else if (!sync_files(o, &e, &m->cfg, NULL, 0, m, &st))
		rc = EXIT_OK;
out:
	free(m);
	return rc;
}

static int cmd_remove(const struct opts *o)
{
	struct esp e;
	struct inst_manifest *m = calloc(1, sizeof(*m));
	struct hs_err err = { "" };
	struct nvram nv;
	int rc = EXIT_FAIL;

	if (!m)
		return die(EXIT_FAIL, "out of memory");
	if (find_esp(o, &e))
		goto out;
	int r = espsync_manifest(&e, m, &err);
	if (r == -ENOENT) {
		die(EXIT_FAIL, "hotshim is not installed on %s (no %s): nothing to remove", e.path,
		    INST_MANIFEST);
		goto out;
	} else if (r < 0) {
		die(EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (!o->no_variables && sys_efi_booted()) {
		if (nvram_read(&e, &nv, &err) < 0) {
			die(EXIT_FAIL, "%s", err.msg);
			goto out;
		}
		/* the option install made, if it still starts hotshim here */
		int num = nvram_points_here(&e, m->boot_option, NULL, 0) ? m->boot_option : -1;
		if (num < 0 && m->boot_option >= 0)
			printf("Boot%04X no longer starts %s: left alone\n", (unsigned)m->boot_option,
			       m->cfg.shim[0] ? NVRAM_SHIM : NVRAM_LOADER);
		if (num >= 0 && nv.next == num && nvram_clear_next(o->dry, &err) < 0) {
			die(EXIT_FAIL, "%s", err.msg);
			goto out;
		}
		if (num >= 0 && nvram_delete(num, o->dry, &err) < 0) {
			die(EXIT_FAIL, "%s", err.msg);
			goto out;
		}
		if (num >= 0 && !o->dry)
			printf("deleted Boot%04X\n", (unsigned)num);
		m->boot_option = -1;
	}
	if (inst_manifest_has_file(m, INST_LOADER_CONF))
		loader_conf_ours(&e, m, false); /* an administrator's edit stays */
	struct sync_stats st;
	struct sync_opts so = { .dry = o->dry };
	if (espsync_remove(&e, m, &so, &st, &err) < 0) {
		die(EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	printf("%s: %u file%s %s\n", e.path, st.removed, st.removed == 1 ? "" : "s",
	       o->dry ? "to remove" : "removed");
	char path[300];
	rooted(o, ESP_RECORD, path, sizeof(path));
	if (!o->dry && unlink(path) < 0 && errno != ENOENT) {
		die(EXIT_FAIL, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = EXIT_OK;
out:
	free(m);
	return rc;
}

/* ---- status ------------------------------------------------------------ */

/* The entry the boot menu would start, by the same rules as hotshim.efi. */
static void status_default(const struct esp *e, char *ret, size_t cap, size_t *ret_n)
{
	char dir[600], path[900];
	enum { MAXE = 256 };
	struct entry *en = calloc(MAXE, sizeof(*en));
	size_t n = 0;
	struct dirent *de;

	snprintf(ret, cap, "none");
	*ret_n = 0;
	snprintf(dir, sizeof(dir), "%s" INST_ENTRIES, e->path);
	DIR *d = opendir(dir);
	while (en && d && (de = readdir(d)) && n < MAXE) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || !strncmp(de->d_name, "auto-", 5) || l < 6 ||
		    strcasecmp(de->d_name + l - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		uint8_t *b;
		size_t bl;
		struct entry_notes notes = { .count = 0 };
		struct hs_err err;
		if (sys_read(path, ENTRY_MAX_FILE_BYTES, &b, &bl) < 0)
			continue;
		if (entry_parse((char *)b, bl, de->d_name, &en[n], &notes, &err) == 0)
			n++;
		free(b);
	}
	if (d)
		closedir(d);
	if (!en)
		return;
	entries_sort(en, n);
	struct loader_conf lc = { "", LOADER_TIMEOUT_UNSET, "" };
	uint8_t *b;
	size_t bl;
	snprintf(path, sizeof(path), "%s" INST_LOADER_CONF, e->path);
	if (sys_read(path, ENTRY_MAX_FILE_BYTES, &b, &bl) == 0) {
		struct entry_notes notes = { .count = 0 };
		struct hs_err err;
		loader_conf_parse((char *)b, bl, "loader.conf", &lc, &notes, &err);
		free(b);
	}
	char oneshot[ENTRY_MAX_NAME], dflt[ENTRY_MAX_NAME];
	bool have1 = sys_efivar_str("LoaderEntryOneShot", LOADER_GUID, oneshot, sizeof(oneshot)) == 0;
	bool have2 = sys_efivar_str("LoaderEntryDefault", LOADER_GUID, dflt, sizeof(dflt)) == 0;
	int i = entries_default(en, n, have1 ? oneshot : NULL, have2 ? dflt : NULL,
				lc.default_pattern[0] ? lc.default_pattern : NULL);
	if (i >= 0)
		snprintf(ret, cap, "%s", en[i].id);
	*ret_n = n;
	free(en);
}

struct verdict {
	char line[512];
	char now[4][400]; /* what Linux did: "node N: [NOT ]removable: ..." */
	unsigned nnow;
};

static void keep_verdict(void *ctx, const char *s, size_t n)
{
	struct verdict *v = ctx;
	char line[512];
	unsigned node;
	int at = 0;

	/* a sink's line is not NUL-terminated */
	int len = snprintf(line, sizeof(line), "%.*s", (int)(n && s[n - 1] == '\n' ? n - 1 : n), s);
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;
	s = line;

	if (!v->line[0] && ((n > 13 && !strncmp(s, "hotpluggable:", 13)) ||
			    (n > 8 && !strncmp(s, "no SRAT:", 8))))
		snprintf(v->line, sizeof(v->line), "%.*s", len, s);
	if (v->nnow < HS_ARRAY_SIZE(v->now) && sscanf(s, "node %u: %n", &node, &at) == 1 && at &&
	    (!strncmp(s + at, "removable: ", 11) || !strncmp(s + at, "NOT removable: ", 15)))
		snprintf(v->now[v->nnow++], sizeof(v->now[0]), "%.*s", len, s);
}

static int cmd_status(const struct opts *o)
{
	struct esp e;
	struct inst_manifest *m = calloc(1, sizeof(*m));
	struct hs_err err = { "" };
	char path[600], s[256];

	if (!m)
		return die(EXIT_FAIL, "out of memory");
	if (find_esp(o, &e)) {
		free(m);
		return EXIT_FAIL;
	}
	int r = espsync_manifest(&e, m, &err);
	if (r < 0 && r != -ENOENT) {
		free(m);
		return die(EXIT_FAIL, "%s", err.msg);
	}
	if (r == -ENOENT) {
		printf("installed: no (no %s on %s)\n", INST_MANIFEST, e.path);
	} else {
		printf("installed: %zu files, entries for up to %u kernel%s (newest first), %s\n",
		       m->nfiles, m->cfg.keep, m->cfg.keep == 1 ? "" : "s",
		       m->cfg.override ? "with the SRAT override " INST_OVERRIDE : "no SRAT override");
		/* signed: compared with the signed copy install keeps */
		const char *dest = m->cfg.shim[0] ? INST_SHIM_NEXT : INST_EFI;
		char src[600];
		if (m->cfg.sign_key[0])
			rooted(o, SIGNED_EFI, src, sizeof(src));
		else
			snprintf(src, sizeof(src), "%s", o->efi);
		snprintf(path, sizeof(path), "%s%s", e.path, dest);
		int same = sys_same_file(path, src);
		char from[600];
		rooted(o, SIGNED_FROM, from, sizeof(from));
		if (same == 1 && m->cfg.sign_key[0])
			same = sys_same_file(from, o->efi);
		printf("boot loader: %s %s\n", dest,
		       same == 1 ? "is current" :
		       same == 0 ? "differs from the installed package's: run hotshim-install update" :
				   "cannot be compared");
		if (m->cfg.shim[0])
			printf("secure boot: started by shim (%s, from %s)%s%s\n", INST_SHIM, m->cfg.shim,
			       m->cfg.sign_key[0] ? ", signed with " : ", not signed by hotshim-install",
			       m->cfg.sign_cert);
		else if (m->cfg.sign_key[0])
			printf("secure boot: signed with %s\n", m->cfg.sign_cert);
		size_t missing = 0;
		for (size_t i = 0; i < m->nfiles; i++) {
			snprintf(path, sizeof(path), "%s%s", e.path, m->files[i]);
			if (access(path, F_OK) < 0) {
				printf("missing: %s\n", m->files[i]);
				missing++;
			}
		}
		if (missing)
			printf("%zu listed files are missing: run hotshim-install update\n", missing);
		/* what update would do now: kernels in /boot the ESP lacks, or
		 * has that /boot no longer has */
		struct inst_manifest *copy = malloc(sizeof(*copy));
		struct opts q = *o;
		struct sync_stats st;
		q.dry = q.quiet = true;
		q.cmd = CMD_UPDATE;
		if (!copy) {
			printf("files: not compared (out of memory)\n");
		} else {
			*copy = *m;
			if (sync_files(&q, &e, &m->cfg, NULL, 0, copy, &st))
				printf("files: update would fail, as the line above says\n");
			else if (st.written || st.removed)
				printf("files: not current: update would write %u and remove %u: run "
				       "%s update\n", st.written, st.removed, prog);
			else
				printf("files: current with /boot\n");
			free(copy);
		}
	}
	size_t nent;
	status_default(&e, s, sizeof(s), &nent);
	printf("entries: %zu in %s, the default is %s\n", nent, INST_ENTRIES, s);
	if (sys_efi_booted() && !o->no_variables) {
		struct nvram nv;
		if (nvram_read(&e, &nv, &err) < 0) {
			printf("boot options: %s\n", err.msg);
		} else if (nv.ours < 0) {
			printf("boot option: none starts %s\n", m->cfg.shim[0] ? NVRAM_SHIM : NVRAM_LOADER);
		} else {
			int pos = nvram_order_pos(&nv, nv.ours);
			printf("boot option: Boot%04X \"%s\", %s%s\n", (unsigned)nv.ours, nv.ours_desc,
			       pos == 0   ? "first in BootOrder"
			       : pos > 0  ? "in BootOrder, not first"
					  : "not in BootOrder",
			       nv.next == nv.ours ? "; BootNext: the next boot tries it once" : "");
		}
		char info[128], sel[128];
		if (sys_efivar_str("LoaderInfo", LOADER_GUID, info, sizeof(info)) < 0)
			snprintf(info, sizeof(info), "a loader that does not say (no LoaderInfo)");
		if (sys_efivar_str("LoaderEntrySelected", LOADER_GUID, sel, sizeof(sel)) < 0)
			snprintf(sel, sizeof(sel), "none");
		printf("this boot: %s, entry %s\n", info, sel);
	} else {
		printf("EFI variables: not read (%s)\n",
		       o->no_variables ? "--no-variables" : "not booted with UEFI");
	}
	struct verdict v = { .nnow = 0 };
	struct hs_sink sink = { keep_verdict, &v };
	struct machine_opts mo = { 0 };
	if (machine_report(&mo, &sink, NULL, &err) < 0)
		printf("verdict: %s\n", err.msg);
	else
		printf("verdict: %s\n", v.line[0] ? v.line : "no report line");
	for (unsigned i = 0; i < v.nnow; i++)
		printf("now: %s\n", v.now[i]);
	free(m);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (o.cmd != CMD_STATUS && !o.dry && geteuid() != 0)
		return die(EXIT_FAIL, "%s writes the ESP and EFI variables: run it as root "
			   "(or with --dry-run)", o.cmd == CMD_INSTALL ? "install" :
			   o.cmd == CMD_UPDATE ? "update" : "remove");
	switch (o.cmd) {
	case CMD_INSTALL:
		return cmd_install(&o);
	case CMD_UPDATE:
		return cmd_update(&o);
	case CMD_REMOVE:
		return cmd_remove(&o);
	case CMD_STATUS:
		return cmd_status(&o);
	}
	return EXIT_FAIL;
}
