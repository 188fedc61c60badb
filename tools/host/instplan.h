/*
 * What hotshim-install puts on the ESP, decided without touching it: the
 * files for the newest kernels in /boot, their Boot Loader Specification
 * entries, loader.conf, and the list of what it put there (the manifest),
 * from which "update" and "remove" work out what to take away.
 *
 *   ESP/
 *     EFI/hotshim/hotshimx64.efi            the boot loader
 *     EFI/hotshim/shimx64.efi, grubx64.efi  or, with --shim, shim and
 *                                           hotshim as its second stage,
 *     EFI/hotshim/mmx64.efi                 and shim's MokManager
 *     EFI/hotshim/srat-override.cpio        --override: first initrd of all
 *     EFI/hotshim/VERSION/vmlinuz           /boot/vmlinuz-VERSION
 *     EFI/hotshim/VERSION/initrd.img        /boot/initrd.img-VERSION
 *     EFI/hotshim/installed                 the manifest
 *     loader/entries/hotshim-VERSION.conf   one per kernel, newest first
 *     loader/loader.conf                    only when there was none
 *
 * /boot stays where Debian keeps it (usually ext4, which firmware cannot
 * read), so kernels and initrds are copied to the ESP as kernel-install's
 * "bls" layout does.
 */
#ifndef HS_TOOLS_INSTPLAN_H
#define HS_TOOLS_INSTPLAN_H

#include "../../lib/hs.h"

#define INST_DIR "/EFI/hotshim"
#define INST_EFI INST_DIR "/hotshimx64.efi"
/* --shim: shim starts the second stage it finds beside itself by its
 * default name (shim's DEFAULT_LOADER) */
#define INST_SHIM INST_DIR "/shimx64.efi"
#define INST_SHIM_NEXT INST_DIR "/grubx64.efi"
/* ... and MokManager, which shim starts from its own directory to enroll
 * a key (mokutil --import) */
#define INST_MOKMANAGER INST_DIR "/mmx64.efi"
#define INST_OVERRIDE INST_DIR "/srat-override.cpio"
#define INST_MANIFEST INST_DIR "/installed"
#define INST_ENTRIES "/loader/entries"
#define INST_ENTRY_PREFIX "hotshim-"
#define INST_LOADER_CONF "/loader/loader.conf"

#define INST_PATH 256
#define INST_VERSION 100     /* a kernel version: fits an entry's file name */
#define INST_MAX_KERNELS 64  /* looked at in /boot */
#define INST_KEEP_MAX 16     /* entries written */
#define INST_MAX_FILES 256   /* in a plan or a manifest */
#define INST_MAX_DIRS 64
#define INST_TEXT_MAX 4096      /* an entry file */
#define INST_CMDLINE 1000    /* hotshim reads options lines up to 1023 bytes */
#define INST_DEFAULT_KEEP 2  /* the newest kernel, and the one before as a fallback */
#define INST_TIMEOUT 3       /* loader.conf's menu timeout */

struct inst_kernel {
	char version[INST_VERSION];
	char image[INST_PATH];   /* host path of the vmlinuz */
	char initrd[INST_PATH];  /* host path of its initrd, "" when there is none */
};

/* From /etc/os-release and /etc/machine-id, as kernel-install uses them. */
struct inst_os {
	char pretty_name[128];   /* PRETTY_NAME, the entries' title */
	char id[64];             /* IMAGE_ID, else ID: the entries' sort-key */
	char machine_id[33];     /* 32 hex digits, or "" */
};

/* What install chose; the manifest keeps it so that update does the same. */
struct inst_config {
	unsigned keep;           /* newest kernels with an entry */
	bool override;           /* INST_OVERRIDE is the first initrd of every entry */
	/* host paths, absolute, or "": the shim that starts hotshim
	 * (INST_SHIM, hotshim then INST_SHIM_NEXT); --sign's key and cert */
	char shim[INST_PATH], sign_key[INST_PATH], sign_cert[INST_PATH];
};

struct inst_in {
	const struct inst_kernel *k;
	size_t nk;
	struct inst_config cfg;
	const struct inst_os *os;
	const char *cmdline;     /* the entries' options */
	const char *efi_src;     /* host path of the hotshim.efi to install */
	bool loader_conf;        /* write loader.conf: there is none, or it is ours */
	const char *mm_src;      /* with cfg.shim: MokManager beside shim, or NULL */
};

enum inst_kind {
	INST_COPY,   /* from a host file */
	INST_TEXT,   /* generated here */
	INST_KEEP,   /* already on the ESP (the override archive) */
};

struct inst_file {
	enum inst_kind kind;
	char dest[INST_PATH];    /* on the ESP, '/'-separated from its root */
	char src[INST_PATH];     /* INST_COPY */
	char text[INST_TEXT_MAX];    /* INST_TEXT */
	size_t text_len;
};

struct inst_plan {
	struct inst_file f[INST_MAX_FILES];
	size_t n;
	char dirs[INST_MAX_DIRS][INST_PATH]; /* every parent, shallow first */
	size_t ndirs;
	char entry_default[INST_PATH];      /* the entry the firmware will boot */
};

/* What hotshim-install put on the ESP (INST_MANIFEST). */
struct inst_manifest {
	struct inst_config cfg;
	int boot_option;         /* the Boot#### it created, or -1 */
	char files[INST_MAX_FILES][INST_PATH];
	size_t nfiles;
	char dirs[INST_MAX_DIRS][INST_PATH]; /* made by it, shallow first */
	size_t ndirs;
};

/* "vmlinuz-6.1.0-28-amd64" -> "6.1.0-28-amd64"; false for names that are
 * not a kernel (dpkg's temporary files, *.bak, *.old) or whose version
 * cannot be a file name (slashes, spaces, control characters, too long). */
bool inst_kernel_version(const char *fname, char *ret, size_t cap);

/*
 * The command line for the entries: /etc/kernel/cmdline's words joined by
 * one space (lines starting with '#' skipped), as kernel-install reads it;
 * else the running kernel's, without the words a loader adds (BOOT_IMAGE=,
 * initrd=).  Quoted words stay whole.  -HS_E2BIG past INST_CMDLINE.
 */
int inst_cmdline(const char *etc, bool have_etc, const char *proc, char *ret, size_t cap,
		 struct hs_err *err);

/* os-release text -> PRETTY_NAME and IMAGE_ID/ID (quotes taken off);
 * machine-id text -> its 32 hex digits when valid. */
void inst_os_parse(const char *os_release, const char *machine_id, struct inst_os *ret);

/* The newest cfg.keep kernels, in the order the boot menu shows them. */
size_t inst_select(const struct inst_kernel *k, size_t nk, unsigned keep, size_t *ret_idx);

/* Everything that should be on the ESP for these inputs. */
int inst_plan_make(const struct inst_in *in, struct inst_plan *ret, struct hs_err *err);

/* The manifest, as text and back.  A bad line is -HS_EBADMSG naming it: a
 * path outside the ESP (not absolute, a ".." part, control characters) or
 * outside what hotshim-install writes (inst_own_file, inst_own_dir) could
 * make remove delete another program's file. */
int inst_manifest_parse(const char *text, size_t len, struct inst_manifest *ret,
			struct hs_err *err);
size_t inst_manifest_print(const struct inst_manifest *m, char *buf, size_t cap);
bool inst_path_ok(const char *p);
/* Paths hotshim-install may write, and so delete: under INST_DIR, its own
 * entries (INST_ENTRY_PREFIX*.conf), loader.conf; the directories up to
 * them. */
bool inst_own_file(const char *p);
bool inst_own_dir(const char *p);
/* The loader.conf hotshim-install writes where there is none. */
size_t inst_loader_conf(char *buf, size_t cap);

bool inst_manifest_has_file(const struct inst_manifest *m, const char *path);
bool inst_plan_has_file(const struct inst_plan *p, const char *path);
bool inst_plan_has_dir(const struct inst_plan *p, const char *path);
int inst_manifest_add_file(struct inst_manifest *m, const char *path);
int inst_manifest_add_dir(struct inst_manifest *m, const char *path);
void inst_manifest_drop_file(struct inst_manifest *m, const char *path);

#endif
