/*
 * hotshim's boot option in NVRAM: found by what it points at (the ESP's
 * partition GUID and \EFI\hotshim\hotshimx64.efi, read from efivarfs),
 * created and ordered with efibootmgr as an administrator would, so that
 * another loader's options are never touched.
 */
#ifndef HS_TOOLS_NVRAM_H
#define HS_TOOLS_NVRAM_H

#include "esp.h"
#include "loadopt.h"

#define NVRAM_LABEL "hotshim"
#define NVRAM_LOADER "\\EFI\\hotshim\\hotshimx64.efi"
/* with --shim: shim, which starts grubx64.efi beside it, hotshim */
#define NVRAM_SHIM "\\EFI\\hotshim\\shimx64.efi"

struct nvram {
	uint16_t order[BOOT_ORDER_MAX];
	size_t norder;
	int next;      /* BootNext, or -1 */
	int current;   /* BootCurrent, or -1 */
	int ours;      /* the lowest Boot#### pointing at hotshim on this ESP, or -1 */
	bool ours_shim; /* ... through shim (NVRAM_SHIM) */
	char ours_desc[LOADOPT_MAX_TEXT];
};

/* Boot#### num starts hotshim on this (GPT) ESP, directly or through
 * shim: 1 and 2, else 0; its description in desc. */
int nvram_points_here(const struct esp *e, int num, char *desc, size_t cap);
/* Reads BootOrder, BootNext, BootCurrent and every Boot####. */
int nvram_read(const struct esp *e, struct nvram *ret, struct hs_err *err);
/* Where num is in BootOrder: 0 first, -1 absent. */
int nvram_order_pos(const struct nvram *n, int num);

/* Each prints the efibootmgr command it runs (dry: only prints it). */
/* An option starting loader (NVRAM_LOADER or NVRAM_SHIM). */
int nvram_create(const struct esp *e, const char *loader, bool dry, int *ret_num,
		 struct hs_err *err);
int nvram_set_next(int num, bool dry, struct hs_err *err);
int nvram_make_first(const struct nvram *n, int num, bool dry, struct hs_err *err);
int nvram_delete(int num, bool dry, struct hs_err *err);
/* BootNext deleted through efivarfs: efibootmgr 17's -N looks for
 * Boot0001 instead (fixed upstream after 17). */
int nvram_clear_next(bool dry, struct hs_err *err);

#endif
