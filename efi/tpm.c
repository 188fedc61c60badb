/*
 * Measured boot through EFI_TCG2_PROTOCOL (TCG EFI Protocol Specification
 * 2.0): HashLogExtendEvent() digests the data in every active bank,
 * extends the PCR and logs the event, which Linux later shows in
 * /sys/kernel/security/tpm0/binary_bios_measurements.
 */
#include "tpm.h"

#define TCG2_GUID { 0x607f766c, 0x7455, 0x42be, { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

struct tcg2 {
	void *get_capability, *get_event_log;
	EFI_STATUS(EFIAPI *hash_log_extend_event)(struct tcg2 *self, UINT64 flags,
						  EFI_PHYSICAL_ADDRESS data, UINT64 len, void *event);
};

/* Linux 6.1, drivers/firmware/efi/libstub/efi-stub-helper.c
 * (efi_measure_tagged_event): its two tagged events, both in PCR 9 */
#define LINUX_EVT_INITRD 0x8F3B22EC
#define LINUX_EVT_LOAD_OPTIONS 0x8F3B22ED

static struct tcg2 *tcg2(void)
{
	static EFI_GUID g = TCG2_GUID;
	struct tcg2 *t = NULL;

	uefi_call_wrapper(BS->LocateProtocol, 3, &g, NULL, (void **)&t);
	return t;
}

bool tpm_present(void)
{
	return tcg2() != NULL;
}

/* EFI_TCG2_EVENT: its size (all of it), the packed header (its size, 14;
 * version 1; PCR; event type), then the event's bytes. */
struct tcg2_event {
	UINT32 size, header_size;
	UINT16 version;
	UINT32 pcr, type;
	UINT8 data[];
} __attribute__((packed));

static bool log_event(struct hs_sink *out, UINT32 pcr, UINT32 type, struct tcg2_event *e,
		      UINT32 n, const void *data, UINT64 len)
{
	struct tcg2 *t = tcg2();

	if (!t)
		return true;
	e->size = sizeof(*e) + n;
	e->header_size = sizeof(*e) - 4;
	e->version = 1;
	e->pcr = pcr;
	e->type = type;
	EFI_STATUS st = uefi_call_wrapper(t->hash_log_extend_event, 5, t, 0ull,
					  (EFI_PHYSICAL_ADDRESS)(UINTN)data, len, e);
	if (EFI_ERROR(st))
		hs_println(out, "hotshim: TPM: measuring into PCR %u failed: %s", pcr,
			   efi_status_name(st));
	return !EFI_ERROR(st);
}

bool tpm_measure_tagged(struct hs_sink *out, UINT32 pcr, UINT32 tag, const char *what,
			const void *data, UINT64 len)
{
	struct {
		struct tcg2_event e;
		UINT32 tag, n;
		char what[40];
	} __attribute__((packed)) ev;

	ev.tag = tag;
	ev.n = (UINT32)hs_strlen(what) + 1;
	CopyMem(ev.what, (void *)what, ev.n);
	return log_event(out, pcr, EV_EVENT_TAG, &ev.e, 8 + ev.n, data, len);
}

void tpm_measure_linux(struct hs_sink *out, const char *cmdline, const void *initrd,
		       UINT64 initrd_size)
{
	UINTN n = hs_strlen(cmdline), size = 2 * (n + 1);
	struct tcg2_event *e = tcg2() ? AllocatePool(sizeof(*e) + size) : NULL;

	if (!e)
		return;
	CHAR16 *w = (CHAR16 *)e->data;
	for (UINTN i = 0; i <= n; i++)
		w[i] = (UINT8)cmdline[i];
	/* systemd-boot 252 (measure.c, tpm_log_load_options): PCR 12, EV_IPL,
	 * the options, NUL included, as both data and description.  The
	 * stub measures LoadOptions, as many bytes as LoadOptionsSize says
	 * (both loaders count the NUL), only when there are any
	 * (efi_convert_cmdline), and before the initrd (efi_load_initrd). */
	if (n) {
		log_event(out, 12, EV_IPL, e, size, w, size);
		tpm_measure_tagged(out, 9, LINUX_EVT_LOAD_OPTIONS, "LOADED_IMAGE::LoadOptions", w,
				   size);
	}
	FreePool(e);
	if (initrd_size)
		tpm_measure_tagged(out, 9, LINUX_EVT_INITRD, "Linux initrd", initrd, initrd_size);
}

void tpm_measure_image(struct hs_sink *out, EFI_HANDLE parent, void *buf, UINTN size)
{
	EFI_HANDLE h = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, parent, NULL, buf, size, &h);

	if (h)
		uefi_call_wrapper(BS->UnloadImage, 1, h);
	if (EFI_ERROR(st))
		hs_println(out, "hotshim: TPM: the firmware did not measure the kernel (LoadImage: %s)",
			   efi_status_name(st));
}
