#include "efi.h"

/* Is there a UART messaging node anywhere in the ConOut variable's device
 * paths?  Then the firmware already mirrors the console there. */
static BOOLEAN conout_has_uart(void)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINTN size = 0;
	UINT8 *buf = NULL;
	BOOLEAN found = FALSE;
	EFI_STATUS st;

	st = efi_var_get("ConOut", &global, &size, NULL);
	if (st != EFI_BUFFER_TOO_SMALL || size == 0 || size > 65536)
		return FALSE;
	buf = AllocatePool(size);
	if (!buf)
		return FALSE;
	st = efi_var_get("ConOut", &global, &size, buf);
	for (UINTN off = 0; !EFI_ERROR(st) && off + 4 <= size;) {
		UINT8 type = buf[off], sub = buf[off + 1];
		UINT16 len = (UINT16)(buf[off + 2] | buf[off + 3] << 8);
		if (type == MESSAGING_DEVICE_PATH && sub == MSG_UART_DP)
			found = TRUE;
		if (len < 4)
			break;
		off += len;
	}
	FreePool(buf);
	return found;
}

struct chunk {
	CHAR16 w[128];
	char a[128];
	UINTN n;
};

static void flush(struct efi_console *c, struct chunk *k)
{
	if (!k->n)
		return;
	k->w[k->n] = 0;
	uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, k->w);
	if (c->serial) {
		UINTN len = k->n;
		uefi_call_wrapper(c->serial->Write, 3, c->serial, &len, k->a);
	}
	k->n = 0;
}

static void put(struct chunk *k, char ch)
{
	k->w[k->n] = (CHAR16)(unsigned char)ch;
	k->a[k->n++] = ch;
}

static void console_write(void *ctx, const char *s, size_t n)
{
	struct efi_console *c = ctx;
	struct chunk k;

	k.n = 0;
	for (size_t i = 0; i < n; i++) {
		if (k.n + 3 > HS_ARRAY_SIZE(k.w))
			flush(c, &k);
		if (s[i] == '\n')
			put(&k, '\r');
		put(&k, s[i]);
	}
	flush(c, &k);
}

void efi_console_init(struct efi_console *c, struct hs_sink *ret_sink)
{
	EFI_GUID sio = SERIAL_IO_PROTOCOL;
	EFI_SERIAL_IO_PROTOCOL *p = NULL;

	c->serial = NULL;
	if (!conout_has_uart() &&
	    !EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &sio, NULL, (void **)&p)))
		c->serial = p;
	ret_sink->write = console_write;
	ret_sink->ctx = c;
}

void efi_console_mode(const char *mode)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *o = ST->ConOut;
	UINTN best = o->Mode->Mode, area = 0, cols, rows;

	if (!mode[0] || !hs_strcmp(mode, "keep"))
		return;
	if (mode[0] >= '0' && mode[0] <= '9') {
		UINTN n = 0;
		for (const char *p = mode; *p >= '0' && *p <= '9'; p++)
			n = n * 10 + (UINTN)(*p - '0');
		best = n;
	} else if (!hs_strcmp(mode, "max") || !hs_strcmp(mode, "auto")) {
		/* the mode with the most characters the firmware offers */
		for (INT32 m = 0; m < o->Mode->MaxMode; m++)
			if (!EFI_ERROR(uefi_call_wrapper(o->QueryMode, 4, o, (UINTN)m, &cols, &rows)) &&
			    cols * rows > area) {
				area = cols * rows;
				best = (UINTN)m;
			}
	} else {
		return;
	}
	uefi_call_wrapper(o->SetMode, 2, o, best); /* a mode it refuses leaves the console as it was */
}
