/* Boot options (see nvram.h). */
#include "nvram.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sys.h"

static int read_u16(const char *name, int *ret)
{
	uint8_t *b;
	size_t n;
	int r = sys_efivar(name, EFI_GLOBAL_GUID, &b, &n);

	*ret = -1;
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (n == 2)
		*ret = b[0] | b[1] << 8;
	free(b);
	return 0;
}

/* "Boot0004-8be4df61-..." -> 4; -1 for any other name. */
static int boot_num(const char *name)
{
	static const char suffix[] = "-" EFI_GLOBAL_GUID;
	unsigned v = 0;

	if (strnlen(name, 8) < 8 || strncmp(name, "Boot", 4) || strcmp(name + 8, suffix))
		return -1;
	for (int i = 4; i < 8; i++) {
		char c = name[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return (int)v;
}

int nvram_points_here(const struct esp *e, int num, char *desc, size_t cap)
{
	char name[16];
	uint8_t *b;
	size_t len;
	struct load_option o;
	struct hs_err why;

	if (num < 0 || num > 0xffff || !e->disk[0] || !e->pi.gpt)
		return 0;
	snprintf(name, sizeof(name), "Boot%04X", (unsigned)num);
	if (sys_efivar(name, EFI_GLOBAL_GUID, &b, &len) < 0)
		return 0;
	int ours = loadopt_parse((struct hs_view){ b, len }, &o, &why) < 0 ? 0
		   : loadopt_is(&o, e->pi.uuid, NVRAM_LOADER)                ? 1
		   : loadopt_is(&o, e->pi.uuid, NVRAM_SHIM)                  ? 2
									     : 0;
	if (ours && desc)
		snprintf(desc, cap, "%s", o.desc);
	free(b);
	return ours;
}

int nvram_read(const struct esp *e, struct nvram *ret, struct hs_err *err)
{
	struct nvram n;
	uint8_t *b;
	size_t len;
	int r;

	memset(&n, 0, sizeof(n));
	n.ours = -1;
	r = sys_efivar("BootOrder", EFI_GLOBAL_GUID, &b, &len);
	if (r == 0) {
		r = boot_order_parse((struct hs_view){ b, len }, n.order, BOOT_ORDER_MAX, &n.norder);
		free(b);
		if (r < 0) {
			if (r == -HS_ENOSPC)
				hs_err_set(err, "BootOrder has more than %u entries", BOOT_ORDER_MAX);
			else
				hs_err_set(err, "BootOrder has an odd length (%zu bytes)", len);
			return -EBADMSG;
		}
	} else if (r != -ENOENT) {
		hs_err_set(err, "BootOrder: %s", strerror(-r));
		return r;
	}
	if (read_u16("BootNext", &n.next) < 0 || read_u16("BootCurrent", &n.current) < 0) {
		hs_err_set(err, "cannot read BootNext or BootCurrent");
		return -EIO;
	}
	DIR *d = opendir("/sys/firmware/efi/efivars");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int num = boot_num(de->d_name), how;
		if (num >= 0 && (n.ours < 0 || num < n.ours) &&
		    (how = nvram_points_here(e, num, n.ours_desc, sizeof(n.ours_desc)))) {
			n.ours = num;
			n.ours_shim = how == 2;
		}
	}
	if (d)
		closedir(d);
	*ret = n;
	return 0;
}

int nvram_order_pos(const struct nvram *n, int num)
{
	for (size_t i = 0; i < n->norder; i++)
		if (n->order[i] == num)
			return (int)i;
	return -1;
}

/* Prints and runs efibootmgr with args; its output is shown on failure. */
static int efibootmgr(char *const *args, size_t nargs, bool dry, struct hs_err *err)
{
	char *argv[24];
	char line[600] = "efibootmgr";
	static char out[8192];

	argv[0] = "efibootmgr";
	argv[1] = NULL;
	for (size_t i = 0; i < nargs && i + 2 < HS_ARRAY_SIZE(argv); i++) {
		argv[i + 1] = args[i];
		size_t l = strlen(line);
		bool quote = strpbrk(args[i], " \\") != NULL;
		snprintf(line + l, sizeof(line) - l, quote ? " '%s'" : " %s", args[i]);
		argv[i + 2] = NULL;
	}
	printf("%s %s\n", dry ? "would run:" : "running:", line);
	if (dry)
		return 0;
	int st = sys_run(argv, out, sizeof(out));
	if (st == -ENOENT) {
		hs_err_set(err, "cannot run efibootmgr (Debian package efibootmgr)");
		return -ENOENT;
	}
	if (st != 0) {
		/* efibootmgr's own last line says why */
		char *last = out, *p;
		for (p = strtok(out, "\n"); p; p = strtok(NULL, "\n"))
			last = p;
		hs_err_set(err, "efibootmgr failed (exit %d): %.140s", st, last);
		return -EIO;
	}
	return 0;
}

/* The Boot#### numbers now in efivarfs, as a bitmap over 0..0xffff. */
static void boot_nums(uint8_t *map)
{
	DIR *d = opendir("/sys/firmware/efi/efivars");
	struct dirent *de;

	memset(map, 0, 8192);
	while (d && (de = readdir(d))) {
		int num = boot_num(de->d_name);
		if (num >= 0)
			map[num / 8] |= (uint8_t)(1u << (num % 8));
	}
	if (d)
		closedir(d);
}

int nvram_create(const struct esp *e, const char *loader, bool dry, int *ret_num,
		 struct hs_err *err)
{
	static uint8_t before[8192], after[8192];
	char part[16];

	*ret_num = -1;
	if (!e->disk[0]) {
		hs_err_set(err, "%s: its disk and partition are unknown, so no boot option can point "
			   "at it (use --no-variables)", e->path);
		return -ENODEV;
	}
	/* an MBR partition's option could not be found again (nvram_read
	 * matches GPT partition GUIDs), so each install would add one more */
	if (!e->pi.gpt) {
		hs_err_set(err, "%s is on an MBR disk: hotshim-install makes boot options on GPT "
			   "disks only (use --no-variables, and efibootmgr by hand)", e->path);
		return -ENOTSUP;
	}
	snprintf(part, sizeof(part), "%u", e->pi.number);
	char *args[] = { "--create-only", "--disk", (char *)e->disk, "--part", part,
			 "--loader", (char *)loader, "--label", NVRAM_LABEL };
	boot_nums(before);
	int r = efibootmgr(args, HS_ARRAY_SIZE(args), dry, err);
	if (r < 0 || dry)
		return r;
	boot_nums(after);
	for (int i = 0; i < 0x10000; i++)
		if ((after[i / 8] & ~before[i / 8]) & (1u << (i % 8))) {
			*ret_num = i;
			return 0;
		}
	hs_err_set(err, "efibootmgr made no new Boot#### variable");
	return -EIO;
}

int nvram_set_next(int num, bool dry, struct hs_err *err)
{
	char n[8];
	snprintf(n, sizeof(n), "%04X", (unsigned)num);
	char *args[] = { "--bootnext", n };
	return efibootmgr(args, HS_ARRAY_SIZE(args), dry, err);
}

int nvram_make_first(const struct nvram *nv, int num, bool dry, struct hs_err *err)
{
	static char order[BOOT_ORDER_MAX * 5 + 8];
	size_t o = 0;

	o += (size_t)snprintf(order, sizeof(order), "%04X", (unsigned)num);
	for (size_t i = 0; i < nv->norder; i++)
		if (nv->order[i] != num)
			o += (size_t)snprintf(order + o, sizeof(order) - o, ",%04X", nv->order[i]);
	char *args[] = { "--bootorder", order };
	return efibootmgr(args, HS_ARRAY_SIZE(args), dry, err);
}

int nvram_delete(int num, bool dry, struct hs_err *err)
{
	char n[8];
	snprintf(n, sizeof(n), "%04X", (unsigned)num);
	char *args[] = { "--bootnum", n, "--delete-bootnum" };
	return efibootmgr(args, HS_ARRAY_SIZE(args), dry, err);
}

int nvram_clear_next(bool dry, struct hs_err *err)
{
	static const char path[] = "/sys/firmware/efi/efivars/BootNext-" EFI_GLOBAL_GUID;

	printf("%s %s\n", dry ? "would remove" : "removing", path);
	if (dry)
		return 0;
	/* efivarfs marks variables immutable; clear the flag first */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		int flags = 0;
		if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL)) {
			flags &= ~FS_IMMUTABLE_FL;
			ioctl(fd, FS_IOC_SETFLAGS, &flags);
		}
		close(fd);
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		int x = errno;
		hs_err_set(err, "BootNext: %s", strerror(x));
		return -x;
	}
	return 0;
}
