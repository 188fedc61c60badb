/*
 * The boot menu's decisions, apart from the firmware: which entry is
 * highlighted, what a key does, and the text drawn, so every key and
 * every screen is tested on the host.  efi/menu.c only reads keys and
 * waits.
 *
 *   hotshim 0.1.0 boot menu
 *    > 1  Debian GNU/Linux 12 (6.1.0-28-amd64)      * default
 *      2  Debian GNU/Linux 12 (6.1.0-27-amd64)
 *   Up/Down or 1-9: choose, Enter: boot, r: hotshim's report for it,
 *   Esc: back to the firmware
 */
#ifndef HS_CORE_MENU_H
#define HS_CORE_MENU_H

#include "entries.h"

/* Keys as the firmware reports them (UEFI 2.10, 12.3 EFI_INPUT_KEY). */
#define MENU_SCAN_UP 0x01
#define MENU_SCAN_DOWN 0x02
#define MENU_SCAN_HOME 0x05
#define MENU_SCAN_END 0x06
#define MENU_SCAN_ESC 0x17

struct menu_key {
	uint16_t scan;     /* MENU_SCAN_*, 0 for a character */
	uint16_t ch;       /* UCS-2 character, 0 for a scan code */
};

enum menu_action {
	MENU_NOTHING,      /* redraw if the highlight moved */
	MENU_BOOT,         /* boot the highlighted entry */
	MENU_REPORT,       /* show hotshim's report for it, then return */
	MENU_EXIT,         /* back to the firmware */
	MENU_TIMEOUT,      /* the countdown ran out: nobody is there */
};

struct menu {
	size_t n, highlight, def;
};

enum menu_action menu_key(struct menu *m, struct menu_key k);

/* The whole menu as lines. */
void menu_draw(const struct menu *m, const struct entry *e, struct hs_sink *out);

/* "Debian GNU/Linux 12 (6.1.0-28-amd64)": title, and version when set. */
void menu_label(const struct entry *e, char *buf, size_t cap);

#endif
