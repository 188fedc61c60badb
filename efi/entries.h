/* hotshim as the boot loader: \loader\entries (efi/entries.c). */
#ifndef HS_EFI_ENTRIES_H
#define HS_EFI_ENTRIES_H

#include "efi.h"
#include "../core/cli.h"
#include "loaderif.h"

enum entries_mode {
	ENTRIES_AUTO,   /* started with no command: the default, or the menu */
	ENTRIES_MENU,   /* `hotshim.efi menu`: always the menu */
	ENTRIES_LIST,   /* `hotshim.efi list`: print them in order */
};

/*
 * Boots an entry (returns only when none could be booted, or the menu was
 * left: an error status for the firmware's next boot option).  With
 * ENTRIES_AUTO and no entry file at all it says nothing, and *ret_none.
 */
EFI_STATUS efi_entries(EFI_HANDLE image, struct hs_sink *out, const struct cli *base,
		       enum entries_mode mode, struct efi_clock *clock, bool *ret_none);

#endif
