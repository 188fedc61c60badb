#include "menu.h"

enum menu_action menu_key(struct menu *m, struct menu_key k)
{
	if (!m->n)
		return k.scan == MENU_SCAN_ESC ? MENU_EXIT : MENU_NOTHING;
	switch (k.scan) {
	case MENU_SCAN_UP:
		m->highlight = m->highlight ? m->highlight - 1 : m->n - 1;
		return MENU_NOTHING;
	case MENU_SCAN_DOWN:
		m->highlight = (m->highlight + 1) % m->n;
		return MENU_NOTHING;
	case MENU_SCAN_HOME:
		m->highlight = 0;
		return MENU_NOTHING;
	case MENU_SCAN_END:
		m->highlight = m->n - 1;
		return MENU_NOTHING;
	case MENU_SCAN_ESC:
		return MENU_EXIT;
	default:
		break;
	}
	/* in the menu a digit moves the highlight, as in systemd-boot 252
	 * (pressed before the menu shows, it boots that entry at once) */
	if (k.ch >= '1' && k.ch <= '9' && (size_t)(k.ch - '1') < m->n) {
		m->highlight = (size_t)(k.ch - '1');
		return MENU_NOTHING;
	}
	switch (k.ch) {
	case '\r':
	case '\n':
		return MENU_BOOT;
	case 'r':
	case 'R':
		return MENU_REPORT;
	case 'j':
		return menu_key(m, (struct menu_key){ MENU_SCAN_DOWN, 0 });
	case 'k':
		return menu_key(m, (struct menu_key){ MENU_SCAN_UP, 0 });
	default:
		return MENU_NOTHING;
	}
}

void menu_label(const struct entry *e, char *buf, size_t cap)
{
	if (e->version[0])
		hs_snprintf(buf, cap, "%s (%s)", e->title, e->version);
	else
		hs_snprintf(buf, cap, "%s", e->title);
}

void menu_draw(const struct menu *m, const struct entry *e, struct hs_sink *out)
{
	char label[ENTRY_MAX_VALUE * 2 + 4];

	hs_println(out, "hotshim %s boot menu", HS_VERSION);
	for (size_t i = 0; i < m->n; i++) {
		menu_label(&e[i], label, sizeof(label));
		char num[8] = "  ", line[ENTRY_MAX_VALUE * 2 + 80];
		if (i < 9)
			hs_snprintf(num, sizeof(num), "%zu", i + 1);
		size_t n = hs_snprintf(line, sizeof(line), " %s %-2s %-48s%s%s",
				       i == m->highlight ? ">" : " ", num, label,
				       i == m->def ? " * default" : "",
				       e[i].tries_left == 0 ? " (no tries left)" : "");
		for (n = HS_MIN(n, sizeof(line) - 1); n && line[n - 1] == ' '; n--)
			line[n - 1] = '\0';
		hs_println(out, "%s", line);
	}
	if (!m->n)
		hs_println(out, "   (no entry in \\loader\\entries can be booted)");
	hs_println(out, "Up/Down or 1-9: choose, Enter: boot, r: hotshim's report for it, "
		   "Esc: back to the firmware");
}
