/*
 * Measured boot through EFI_TCG2_PROTOCOL (TCG EFI Protocol Specification
 * 2.0): HashLogExtendEvent() digests the data in every active bank,
 * extends the PCR and logs the event, which Linux later shows in
 * /sys/kernel/security/tpm0/binary_bios_measurements.
 */
#include "tpm.h"
#include "boot.h"
#include "../core/tpmlog.h"

#define TCG2_GUID { 0x607f766c, 0x7455, 0x42be, { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

struct tcg2 {
	void *get_capability;
	EFI_STATUS(EFIAPI *get_event_log)(struct tcg2 *self, UINT32 format,
					  EFI_PHYSICAL_ADDRESS *location, EFI_PHYSICAL_ADDRESS *last,
					  BOOLEAN *truncated);
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

static bool failed(struct hs_sink *out, UINT32 pcr, EFI_STATUS st)
{
	hs_println(out, "hotshim: TPM: measuring into PCR %u failed: %s", pcr, efi_status_name(st));
	return false;
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
	return EFI_ERROR(st) ? failed(out, pcr, st) : true;
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
	ev.n = (UINT32)HS_MIN(hs_strlen(what) + 1, sizeof(ev.what));
	CopyMem(ev.what, (void *)what, ev.n);
	return log_event(out, pcr, EV_EVENT_TAG, &ev.e, 8 + ev.n, data, len);
}

bool tpm_measure_linux(struct hs_sink *out, const char *cmdline, const void *initrd,
		       UINT64 initrd_size)
{
	UINTN n = hs_strlen(cmdline), size = 2 * (n + 1);
	struct tcg2_event *e = AllocatePool(sizeof(*e) + size);
	bool ok = true;

	if (!e)
		return failed(out, 12, EFI_OUT_OF_RESOURCES);
	CHAR16 *w = (CHAR16 *)e->data;
	efi_widen(cmdline, w, n + 1);
	/* systemd-boot 252 (measure.c, tpm_log_load_options): PCR 12, EV_IPL,
	 * the options, NUL included, as both data and description.  The
	 * stub measures LoadOptions, as many bytes as LoadOptionsSize says
	 * (both loaders count the NUL), only when there are any
	 * (efi_convert_cmdline), and before the initrd (efi_load_initrd).
	 * Bytes past ASCII are widened as Latin-1, where systemd-boot would
	 * decode UTF-8: such command lines measure differently. */
	if (n)
		ok = log_event(out, 12, EV_IPL, e, size, w, size) &
		     tpm_measure_tagged(out, 9, LINUX_EVT_LOAD_OPTIONS, "LOADED_IMAGE::LoadOptions", w,
					size);
	FreePool(e);
	if (initrd_size)
		ok &= tpm_measure_tagged(out, 9, LINUX_EVT_INITRD, "Linux initrd", initrd, initrd_size);
	return ok;
}

bool tpm_measure_image(struct hs_sink *out, EFI_HANDLE parent, void *buf, UINTN size)
{
	/* the firmware measures what LoadImage() takes into PCR 4 */
	EFI_STATUS st = efi_load_unload(parent, buf, size);

	return EFI_ERROR(st) ? failed(out, 4, st) : true;
}

/* How far past an event's start hotshim reads to learn its size: the
 * firmware says where the log and its last event start, not where they
 * end. */
#define LOG_READ_CAP (1u << 20)
#define TCG2_LOG_FORMAT_TCG_2 2 /* the crypto-agile log of TPM 2.0 firmware */

static EFI_GUID linux_log_guid = { 0xb7799cb0, 0xeca2, 0x4943,
				   { 0x96, 0x67, 0x1f, 0xae, 0x07, 0xb7, 0x47, 0xfa } };

bool tpm_log_for_linux(struct boot *b)
{
	static EFI_GUID final_guid = { 0x1e2ed096, 0x30e2, 0x4254,
				       { 0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25 } };
	struct tcg2 *t = tcg2();
	EFI_PHYSICAL_ADDRESS loc = 0, last = 0;
	BOOLEAN trunc;

	/* Linux 6.1 also takes the TPM 1.2 format; TPM 2.0 firmware gives
	 * this one, and only its events have the stub's form */
	if (!t || EFI_ERROR(uefi_call_wrapper(t->get_event_log, 5, t, TCG2_LOG_FORMAT_TCG_2, &loc,
					      &last, &trunc)) ||
	    !loc || last < loc)
		return false;
	struct hs_view log = { (const uint8_t *)(UINTN)loc, last - loc + LOG_READ_CAP };
	size_t size = tpmlog_size(log, last - loc);
	const void *ft = efi_config_table(&final_guid);
	size_t final = ft ? tpmlog_final_size((struct hs_view){ ft, LOG_READ_CAP }, log) : 0;
	/* Linux's struct linux_efi_tpm_eventlog (12 bytes with its padding):
	 * size, the Final Events bytes already in the log, format, the log
	 * from byte 9; ACPI reclaim memory, as the stub allocates it, which
	 * Linux keeps reserved: so not hot-pluggable */
	struct alloc_req q = { .size = 12 + size, .align = HS_PAGE_SIZE,
			       .min = HS_MAX(b->sv.image_last + 1, PLAN_LOW_LIMIT), .max = ~0ull,
			       .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP, .owner = OWN_BOOT_INFO };
	uint64_t a;
	if (!size || plan_place(&b->mb, &q, &b->pc, PLAN_MEM_ACPI_RECLAIM, &a) < 0) {
		hs_println(b->out, "hotshim: TPM: the event log cannot be handed to Linux");
		return false;
	}
	struct {
		UINT32 size, final;
		UINT8 format, log[];
	} *p = (void *)(UINTN)a;
	hs_memset(p, 0, 12 + size);
	p->size = (UINT32)size;
	p->final = (UINT32)final;
	p->format = TCG2_LOG_FORMAT_TCG_2;
	CopyMem(p->log, (void *)(UINTN)loc, size);
	/* the pages are freed with the plan's if the boot fails after this:
	 * tpm_log_withdraw() takes the table back first */
	return !EFI_ERROR(uefi_call_wrapper(BS->InstallConfigurationTable, 2, &linux_log_guid, p));
}

void tpm_log_withdraw(void)
{
	uefi_call_wrapper(BS->InstallConfigurationTable, 2, &linux_log_guid, NULL);
}
