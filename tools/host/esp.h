/*
 * Finding the EFI System Partition the way bootctl does (systemd 252,
 * src/shared/find-esp.c): the first of /efi, /boot and /boot/efi that is
 * the root of a mounted FAT file system, on a partition whose type is the
 * ESP's (GPT C12A7328-F81F-11D2-BA4B-00A0C93EC93B, or MBR 0xef).  The
 * partition is read from the disk's own table (gpt.h), which also gives
 * efibootmgr its --disk and --part, and the GUID boot options carry.
 */
#ifndef HS_TOOLS_ESP_H
#define HS_TOOLS_ESP_H

#include "gpt.h"

struct esp {
	char path[256];       /* the mount point */
	char disk[64];        /* "/dev/sda"; "" when relaxed and unknown */
	struct part_info pi;  /* valid when disk[0] */
};

enum {
	ESP_RELAX = 1,    /* HOTSHIM_RELAX_ESP_CHECKS=1, as systemd's
			   * SYSTEMD_RELAX_ESP_CHECKS: any directory will do, the
			   * partition looked up only where there is one */
	ESP_DISK_OPT = 2, /* a disk this user cannot read leaves disk "" (status) */
};

/* Checks path is an ESP (flags: ESP_*).  err: one line. */
int esp_check(const char *path, unsigned flags, struct esp *ret, struct hs_err *err);

/* given, or the first of the usual places under root ("" for /) that is
 * an ESP, as bootctl --root looks for it. */
int esp_find(const char *given, const char *root, unsigned flags, struct esp *ret,
	     struct hs_err *err);

#endif
