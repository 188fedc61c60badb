/*
 * systemd's boot-loader interface (docs/BOOT_LOADER_INTERFACE.md, as
 * systemd-boot 252 writes it): volatile UCS-2 variables, NUL included,
 * under vendor GUID 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f, which bootctl,
 * systemctl reboot --boot-loader-entry and systemd-bless-boot read.
 */
#include "loaderif.h"

static EFI_GUID loader_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
				{ 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

#define VAR_VOLATILE (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

/* LoaderFeatures bits (src/fundamental/efivars-fundamental.h): only what
 * hotshim does. */
#define FEATURE_ENTRY_DEFAULT (1ull << 2)
#define FEATURE_ENTRY_ONESHOT (1ull << 3)
#define FEATURE_BOOT_COUNTING (1ull << 4)
#define FEATURE_SORT_KEY (1ull << 8)

static EFI_STATUS set_raw(const char *name, const void *data, UINTN size)
{
	return efi_var_set(name, &loader_guid, VAR_VOLATILE, size, data);
}

EFI_STATUS loader_var_set(const char *name, const char *value)
{
	CHAR16 w[512];

	return set_raw(name, w, (efi_widen(value, w, HS_ARRAY_SIZE(w)) + 1) * sizeof(CHAR16));
}

bool loader_var_get(const char *name, char *buf, size_t cap)
{
	CHAR16 w[256];
	UINTN size = sizeof(w) - sizeof(CHAR16);

	buf[0] = '\0';
	ZeroMem(w, sizeof(w));
	if (EFI_ERROR(efi_var_get(name, &loader_guid, &size, w)))
		return false;
	efi_narrow(w, size / sizeof(CHAR16), buf, cap);
	return buf[0] != '\0';
}

void loader_var_delete(const char *name)
{
	efi_var_set(name, &loader_guid, 0, 0, NULL);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t loader_tsc_per_ms(void)
{
	uint64_t t0 = rdtsc();

	uefi_call_wrapper(BS->Stall, 1, 1000);
	return rdtsc() - t0;
}

void loader_clock_start(struct efi_clock *c)
{
	c->start = rdtsc();
	c->per_ms = 0;
}

uint64_t loader_clock_per_ms(struct efi_clock *c)
{
	if (!c->per_ms)
		c->per_ms = loader_tsc_per_ms();
	return c->per_ms;
}

void loader_elapsed(struct efi_clock *c, char *buf, size_t cap)
{
	uint64_t t = rdtsc() - c->start, per_ms = loader_clock_per_ms(c);

	if (!c->start || !per_ms) {
		hs_snprintf(buf, cap, "an unknown time");
		return;
	}
	uint64_t tenths = t / per_ms * 10 + t % per_ms * 10 / per_ms;
	hs_snprintf(buf, cap, "%llu.%llu ms", (unsigned long long)(tenths / 10),
		    (unsigned long long)(tenths % 10));
}

uint64_t loader_time_usec(uint64_t per_ms)
{
	uint64_t t = rdtsc();

	return per_ms ? t / per_ms * 1000 + t % per_ms * 1000 / per_ms : 0;
}

void loader_var_time(const char *name, uint64_t usec)
{
	char s[24];

	if (!usec)
		return;
	hs_snprintf(s, sizeof(s), "%llu", (unsigned long long)usec);
	loader_var_set(name, s);
}

/* A Hard Drive media node is 42 bytes (UEFI 2.10, 10.3.5.1); gnu-efi's
 * struct is not packed, so its sizeof is 48 and no real node would pass. */
#define HD_NODE_LEN (offsetof(HARDDRIVE_DEVICE_PATH, SignatureType) + 1)

/* The GPT partition hotshim was loaded from: its HD node's GUID. */
static void part_uuid(EFI_HANDLE dev)
{
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(dev);

	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		if (DevicePathType(dp) != MEDIA_DEVICE_PATH || DevicePathSubType(dp) != MEDIA_HARDDRIVE_DP ||
		    (size_t)DevicePathNodeLength(dp) < HD_NODE_LEN)
			continue;
		HARDDRIVE_DEVICE_PATH *hd = (HARDDRIVE_DEVICE_PATH *)dp;
		if (hd->SignatureType != SIGNATURE_TYPE_GUID)
			return;
		EFI_GUID g;
		CopyMem(&g, hd->Signature, sizeof(g));
		char s[40];
		/* upper case, as systemd-boot 252 writes it; bootctl reads either */
		hs_snprintf(s, sizeof(s), "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", g.Data1,
			    g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3],
			    g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
		loader_var_set("LoaderDevicePartUUID", s);
		return;
	}
}

void loader_vars_init(EFI_HANDLE image, uint64_t init_usec)
{
	EFI_LOADED_IMAGE *li = NULL;
	char s[160], vendor[96];
	uint64_t features = FEATURE_ENTRY_DEFAULT | FEATURE_ENTRY_ONESHOT | FEATURE_BOOT_COUNTING |
			    FEATURE_SORT_KEY;

	loader_var_time("LoaderTimeInitUSec", init_usec);
	loader_var_set("LoaderInfo", "hotshim " HS_VERSION);
	efi_narrow(ST->FirmwareVendor, EFI_TO_NUL, vendor, sizeof(vendor));
	hs_snprintf(s, sizeof(s), "%s %u.%02u", vendor, ST->FirmwareRevision >> 16,
		    ST->FirmwareRevision & 0xffff);
	loader_var_set("LoaderFirmwareInfo", s);
	hs_snprintf(s, sizeof(s), "UEFI %u.%02u", ST->Hdr.Revision >> 16, ST->Hdr.Revision & 0xffff);
	loader_var_set("LoaderFirmwareType", s);
	set_raw("LoaderFeatures", &features, sizeof(features));
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					(void **)&li)) || !li)
		return;
	part_uuid(li->DeviceHandle);
	CHAR16 *path = efi_path_text(li->FilePath);
	if (path) {
		set_raw("LoaderImageIdentifier", path, (StrLen(path) + 1) * sizeof(CHAR16));
		FreePool(path);
	}
}

void loader_vars_entries(const struct entry *e, size_t n)
{
	CHAR16 *list;
	UINTN size = 0, o = 0;

	for (size_t i = 0; i < n; i++)
		size += hs_strlen(e[i].id) + 1;
	list = AllocatePool((size ? size : 1) * sizeof(CHAR16));
	if (!list)
		return;
	for (size_t i = 0; i < n; i++) {
		for (const char *p = e[i].id; *p; p++)
			list[o++] = (CHAR16)(unsigned char)*p;
		list[o++] = 0;
	}
	set_raw("LoaderEntries", list, size * sizeof(CHAR16));
	FreePool(list);
}
