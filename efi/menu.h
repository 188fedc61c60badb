/* The boot menu on the console (and so the serial port): keys and time;
 * what they mean is core/menu.c's. */
#ifndef HS_EFI_MENU_H
#define HS_EFI_MENU_H

#include "efi.h"
#include "../core/menu.h"

/*
 * Draws the menu and returns what the person chose.  countdown > 0: the
 * highlighted entry boots when that many seconds pass without a key; a
 * key stops the countdown.  countdown < 0: none.
 */
enum menu_action efi_menu(struct menu *m, const struct entry *e, int countdown,
			  struct hs_sink *out);

/* A key pressed before or just as hotshim starts (waits 100 ms, as
 * systemd-boot does); false when none. */
bool efi_key_waiting(struct menu_key *ret);

/* Waits for any key (after a message that asked for one). */
void efi_wait_key(void);

#endif
