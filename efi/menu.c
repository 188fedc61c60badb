#include "menu.h"

#define TIMER_TICKS_PER_MS 10000 /* SetTimer counts 100 ns */

/* Waits for a key, or ms milliseconds when ms > 0; true when a key came. */
static bool wait_key(UINT64 ms)
{
	EFI_EVENT ev[2] = { ST->ConIn->WaitForKey, NULL };
	UINTN n = 1, which = 0;

	if (ms) {
		/* no timer: as if it ran out, so a countdown cannot hang */
		if (EFI_ERROR(uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL, &ev[1])))
			return false;
		uefi_call_wrapper(BS->SetTimer, 3, ev[1], TimerRelative, ms * TIMER_TICKS_PER_MS);
		n = 2;
	}
	EFI_STATUS st = uefi_call_wrapper(BS->WaitForEvent, 3, n, ev, &which);
	if (n == 2)
		uefi_call_wrapper(BS->CloseEvent, 1, ev[1]);
	return !EFI_ERROR(st) && which == 0;
}

static bool read_key(struct menu_key *ret)
{
	EFI_INPUT_KEY k;

	if (EFI_ERROR(uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2, ST->ConIn, &k)))
		return false;
	*ret = (struct menu_key){ k.ScanCode, k.UnicodeChar };
	return true;
}

bool efi_key_waiting(struct menu_key *ret)
{
	return wait_key(100) && read_key(ret);
}

void efi_wait_key(void)
{
	struct menu_key k;

	while (!read_key(&k))
		wait_key(0);
}

static void draw(const struct menu *m, const struct entry *e, struct hs_sink *out)
{
	uefi_call_wrapper(ST->ConOut->ClearScreen, 1, ST->ConOut);
	menu_draw(m, e, out);
}

enum menu_action efi_menu(struct menu *m, const struct entry *e, int countdown,
			  struct hs_sink *out)
{
	struct menu_key k;

	draw(m, e, out);
	if (countdown > 0 && !m->n) {
		hs_println(out, "hotshim: no boot entry can be booted; back to the firmware in %d s",
			   countdown);
		if (!wait_key((UINT64)countdown * 1000))
			return MENU_TIMEOUT;
	} else if (countdown > 0) {
		char label[ENTRY_MAX_VALUE * 2 + 4];
		menu_label(&e[m->highlight], label, sizeof(label));
		hs_println(out, "hotshim: booting %s in %d s; a key stops the countdown", label,
			   countdown);
		if (!wait_key((UINT64)countdown * 1000))
			return MENU_TIMEOUT;
	}
	for (;;) {
		while (!read_key(&k))
			wait_key(0);
		size_t before = m->highlight;
		enum menu_action a = menu_key(m, k);
		if (a != MENU_NOTHING)
			return a;
		if (m->highlight != before)
			draw(m, e, out);
	}
}
