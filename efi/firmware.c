#include "efi.h"

/* Tables rather than switches: a switch over these sparse values becomes
 * a jump table, larger than the table itself.  EFI error codes are kept
 * by their low byte; EFIERR() sets the error bit again. */
EFI_STATUS efi_status_from(int r)
{
	static const struct {
		uint8_t hs, efi;
	} map[] = {
		{ HS_ENOENT, (uint8_t)EFI_NOT_FOUND },
		{ HS_ENOMEM, (uint8_t)EFI_OUT_OF_RESOURCES },
		{ HS_ENOSPC, (uint8_t)EFI_BUFFER_TOO_SMALL },
		{ HS_E2BIG, (uint8_t)EFI_BUFFER_TOO_SMALL },
		{ HS_EIO, (uint8_t)EFI_DEVICE_ERROR },
		{ HS_EINVAL, (uint8_t)EFI_INVALID_PARAMETER },
		{ HS_EBUSY, (uint8_t)EFI_ACCESS_DENIED }, /* the memory is someone else's */
		{ HS_EACCES, (uint8_t)EFI_SECURITY_VIOLATION },
		{ HS_ENOTSUP, (uint8_t)EFI_UNSUPPORTED },
	};

	if (r == 0)
		return EFI_SUCCESS;
	for (size_t i = 0; i < HS_ARRAY_SIZE(map); i++)
		if (-r == map[i].hs)
			return EFIERR(map[i].efi);
	return EFI_VOLUME_CORRUPTED;
}

void efi_narrow(const CHAR16 *w, UINTN max, char *out, size_t cap)
{
	size_t o = 0;

	for (UINTN i = 0; w && i < max && w[i] && o + 1 < cap; i++)
		out[o++] = w[i] < 0x80 ? (char)w[i] : '?';
	out[o] = '\0';
}

UINTN efi_widen(const char *s, CHAR16 *w, UINTN cap)
{
	UINTN i = 0;

	for (; s[i] && i + 1 < cap; i++)
		w[i] = (CHAR16)(unsigned char)s[i];
	w[i] = 0;
	return i;
}

const char *efi_status_name(EFI_STATUS st)
{
	/* names in place, not pointers: no relocation per entry.  Each is
	 * its code (0: EFI_SUCCESS, else the error's low byte) and its
	 * NUL-ended name, one after the other. */
	static const char names[] =
		"\x00" "EFI_SUCCESS\0"
		"\x01" "EFI_LOAD_ERROR\0"
		"\x02" "EFI_INVALID_PARAMETER\0"
		"\x03" "EFI_UNSUPPORTED\0"
		"\x04" "EFI_BAD_BUFFER_SIZE\0"
		"\x05" "EFI_BUFFER_TOO_SMALL\0"
		"\x06" "EFI_NOT_READY\0"
		"\x07" "EFI_DEVICE_ERROR\0"
		"\x08" "EFI_WRITE_PROTECTED\0"
		"\x09" "EFI_OUT_OF_RESOURCES\0"
		"\x0a" "EFI_VOLUME_CORRUPTED\0"
		"\x0e" "EFI_NOT_FOUND\0"
		"\x0f" "EFI_ACCESS_DENIED\0"
		"\x1a" "EFI_SECURITY_VIOLATION\0";

	for (const char *p = names; p < names + sizeof(names) - 1; p += hs_strlen(p + 1) + 2)
		if (st == ((uint8_t)*p ? EFIERR((uint8_t)*p) : EFI_SUCCESS))
			return p + 1;
	return "EFI error";
}

EFI_STATUS efi_var_get(const char *name, EFI_GUID *guid, UINTN *size, void *buf)
{
	CHAR16 w[64];

	efi_widen(name, w, HS_ARRAY_SIZE(w));
	return uefi_call_wrapper(RT->GetVariable, 5, w, guid, NULL, size, buf);
}

EFI_STATUS efi_var_set(const char *name, EFI_GUID *guid, UINT32 attr, UINTN size,
		       const void *buf)
{
	CHAR16 w[64];

	efi_widen(name, w, HS_ARRAY_SIZE(w));
	return uefi_call_wrapper(RT->SetVariable, 5, w, guid, attr, size, (void *)buf);
}

EFI_STATUS efi_fail(struct hs_sink *out, EFI_STATUS st, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	hs_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st == EFI_SUCCESS) /* a failure is never "success" */
		st = EFI_LOAD_ERROR;
	hs_println(out, "hotshim: %s (%s)", msg, efi_status_name(st));
	return st;
}

CHAR16 *efi_path_text(const EFI_DEVICE_PATH *dp)
{
	EFI_DEVICE_PATH_TO_TEXT_PROTOCOL *t = NULL;

	if (!dp || EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &DevicePathToTextProtocol, NULL,
					       (void **)&t)) || !t)
		return NULL;
	return uefi_call_wrapper(t->ConvertDevicePathToText, 3, dp, FALSE, FALSE);
}

/* Boot services identity-map all memory on x86-64 (UEFI 2.10, 2.3.4);
 * refuse only what cannot be an address at all. */
static const void *phys_map(void *ctx, uint64_t addr, size_t len)
{
	(void)ctx;
	if (addr == 0 || len == 0 || addr + len < addr)
		return NULL;
	return (const void *)(uintptr_t)addr;
}

const struct hs_phys efi_phys = { phys_map, NULL };

EFI_STATUS efi_load_unload(EFI_HANDLE parent, void *buf, UINTN size)
{
	EFI_HANDLE h = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, parent, NULL, buf, size, &h);

	/* a refused image may still have a handle (UEFI 2.10, 7.4 LoadImage) */
	if (h)
		uefi_call_wrapper(BS->UnloadImage, 1, h);
	return st;
}

void *efi_config_table(EFI_GUID *g)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareMem(&ST->ConfigurationTable[i].VendorGuid, g, sizeof(*g)))
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

EFI_STATUS efi_find_rsdp(UINT64 *ret_addr)
{
	EFI_GUID v2 = ACPI_20_TABLE_GUID, v1 = ACPI_TABLE_GUID;
	void *t = efi_config_table(&v2);

	if (!t)
		t = efi_config_table(&v1);
	*ret_addr = (UINT64)(UINTN)t;
	return t ? EFI_SUCCESS : EFI_NOT_FOUND;
}

#define MEMMAP_TRIES 8

EFI_STATUS efi_memmap_get(struct efi_memmap *m, struct hs_err *err)
{
	EFI_STATUS st = EFI_BUFFER_TOO_SMALL;
	UINTN size = 0;

	ZeroMem(m, sizeof(*m));
	for (int tries = 0; tries < MEMMAP_TRIES && st == EFI_BUFFER_TOO_SMALL; tries++) {
		if (m->raw)
			FreePool(m->raw);
		m->raw = NULL;
		if (size) {
			/* slack: this very allocation may split a free range */
			size += 8 * (m->desc_size ? m->desc_size : 64);
			m->raw = AllocatePool(size);
			if (!m->raw) {
				hs_err_set(err, "memory map: no pool for %lu bytes",
					   (unsigned long)size);
				return EFI_OUT_OF_RESOURCES;
			}
		}
		UINTN got = size;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &got, m->raw, &m->key, &m->desc_size,
				       &m->desc_version);
		if (st == EFI_BUFFER_TOO_SMALL)
			size = got;
		else
			m->size = got;
	}
	if (EFI_ERROR(st)) {
		hs_err_set(err, "memory map: GetMemoryMap failed");
		efi_memmap_free(m);
		return st;
	}
	if (m->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR)) {
		hs_err_set(err, "memory map: descriptor size %lu is below %lu",
			   (unsigned long)m->desc_size, (unsigned long)sizeof(EFI_MEMORY_DESCRIPTOR));
		efi_memmap_free(m);
		return EFI_VOLUME_CORRUPTED;
	}
	UINTN n = m->size / m->desc_size;
	m->map.e = AllocatePool((n ? n : 1) * sizeof(struct mm_entry));
	if (!m->map.e) {
		hs_err_set(err, "memory map: no pool for %lu entries", (unsigned long)n);
		efi_memmap_free(m);
		return EFI_OUT_OF_RESOURCES;
	}
	m->map.cap = n;
	size_t bad = 0;
	int r = mm_from_efi((struct hs_view){ m->raw, m->size }, m->desc_size, &m->map, &bad);
	if (r < 0) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)m->raw + bad * m->desc_size);
		hs_err_set(err, "memory map: descriptor %lu [%#llx, %llu pages] wraps",
			   (unsigned long)bad, (unsigned long long)d->PhysicalStart,
			   (unsigned long long)d->NumberOfPages);
		efi_memmap_free(m);
		return EFI_VOLUME_CORRUPTED;
	}
	return EFI_SUCCESS;
}

void efi_memmap_free(struct efi_memmap *m)
{
	if (m->raw)
		FreePool(m->raw);
	if (m->map.e)
		FreePool(m->map.e);
	m->raw = NULL;
	m->map.e = NULL;
}

#define CPUID1_ECX_X2APIC (1u << 21)
#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode */

/* Linux keeps x2APIC mode when firmware hands it over enabled, and then
 * its x2APIC driver (every id valid) is the one that reads the SRAT. */
BOOLEAN efi_x2apic_enabled(void)
{
	UINT32 a, b, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & CPUID1_ECX_X2APIC))
		return FALSE;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_IA32_APIC_BASE));
	return ((((UINT64)hi << 32) | lo) & APIC_BASE_EXTD) != 0;
}

#define CPUID7_ECX_LA57 (1u << 16)        /* CPUID.(7,0):ECX: 5-level paging */
#define CPUID_EXT_EDX_PDPE1GB (1u << 26)  /* CPUID.80000001h:EDX: 1 GiB pages */
#define CPUID_EXT_EDX_NX (1u << 20)       /* CPUID.80000001h:EDX: no-execute */
#define CR4_LA57 (1ull << 12)

EFI_STATUS efi_cpu_paging(BOOLEAN la57, struct pt_cfg *ret)
{
	UINT32 a, b, c, d;

	ZeroMem(ret, sizeof(*ret));
	if (la57) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
		if (a < 7)
			return EFI_UNSUPPORTED;
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
		if (!(c & CPUID7_ECX_LA57))
			return EFI_UNSUPPORTED;
		ret->la57 = TRUE;
	}
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000), "c"(0));
	if (a < 0x80000001)
		return EFI_SUCCESS;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
	ret->gb_pages = (d & CPUID_EXT_EDX_PDPE1GB) != 0;
	ret->nx = (d & CPUID_EXT_EDX_NX) != 0;
	return EFI_SUCCESS;
}

BOOLEAN efi_runs_la57(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 & CR4_LA57) != 0;
}

size_t efi_config_tables(uint64_t *ret, size_t cap)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries && i < cap; i++)
		ret[i] = (uint64_t)(UINTN)ST->ConfigurationTable[i].VendorTable;
	return ST->NumberOfTableEntries;
}

/* One colour mask as (position, length) of its bits. */
static void mask_field(UINT32 m, UINT8 *pos, UINT8 *len)
{
	*pos = *len = 0;
	if (!m)
		return;
	while (!(m & 1)) {
		m >>= 1;
		(*pos)++;
	}
	while (m & 1) {
		m >>= 1;
		(*len)++;
	}
}

BOOLEAN efi_framebuffer(struct efi_fb *ret)
{
	EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;

	ZeroMem(ret, sizeof(*ret));
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &guid, NULL, (void **)&gop)) ||
	    !gop || !gop->Mode || !gop->Mode->Info || !gop->Mode->FrameBufferBase)
		return FALSE;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *i = gop->Mode->Info;
	UINT32 masks[4];
	switch (i->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		masks[0] = 0xff, masks[1] = 0xff00, masks[2] = 0xff0000, masks[3] = 0xff000000;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		masks[0] = 0xff0000, masks[1] = 0xff00, masks[2] = 0xff, masks[3] = 0xff000000;
		break;
	case PixelBitMask:
		masks[0] = i->PixelInformation.RedMask, masks[1] = i->PixelInformation.GreenMask;
		masks[2] = i->PixelInformation.BlueMask, masks[3] = i->PixelInformation.ReservedMask;
		break;
	default:
		return FALSE; /* blit only: no linear framebuffer */
	}
	for (int k = 0; k < 4; k++) {
		mask_field(masks[k], &ret->pos[k], &ret->len[k]);
		ret->bpp = (UINT8)HS_MAX(ret->bpp, ret->pos[k] + ret->len[k]);
	}
	ret->bpp = (UINT8)((ret->bpp + 7) & ~7); /* whole bytes per pixel */
	if (!ret->bpp)
		return FALSE;
	ret->base = gop->Mode->FrameBufferBase;
	ret->size = gop->Mode->FrameBufferSize;
	ret->width = i->HorizontalResolution;
	ret->height = i->VerticalResolution;
	ret->pitch = i->PixelsPerScanLine * (ret->bpp / 8);
	ret->format = i->PixelFormat;
	return TRUE;
}

int efi_commit(void *ctx, uint64_t base, uint64_t size, enum plan_mem type)
{
	struct efi_commits *c = ctx;
	EFI_PHYSICAL_ADDRESS a = base;
	UINTN pages = EFI_SIZE_TO_PAGES(size);
	EFI_MEMORY_TYPE t = type == PLAN_MEM_ACPI_RECLAIM ? EfiACPIReclaimMemory : EfiLoaderData;

	if (c->n >= PLAN_MAX_COMMITS)
		return -HS_ENOSPC;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, t, pages, &a)))
		return -HS_EBUSY;
	c->addr[c->n] = a;
	c->pages[c->n++] = pages;
	return 0;
}

void efi_release_all(void *ctx)
{
	struct efi_commits *c = ctx;

	while (c->n) {
		c->n--;
		uefi_call_wrapper(BS->FreePages, 2, c->addr[c->n], c->pages[c->n]);
	}
}
