/*
 * The few names of gnu-efi's libefi that hotshim uses, defined here so that
 * hotshim.efi links only crt0 and the self-relocator from gnu-efi.
 * libefi's InitializeLib pulls in its handle, print, device-path and
 * string code (about 35 KiB) for these dozen one-liners.  The prototypes are
 * efilib.h's, so a caller cannot tell the difference; what differs:
 * CopyMem and ZeroMem use rep movsb/stosb (libefi copies a byte at a time,
 * and a kernel and its initrd are tens of MiB), and AllocatePool asks for
 * EfiLoaderData, the pool type libefi's InitializeLib takes from an
 * application's LoadedImage.
 */
#include "efi.h"

EFI_SYSTEM_TABLE *ST;
EFI_BOOT_SERVICES *BS;
EFI_RUNTIME_SERVICES *RT;

EFI_GUID gEfiLoadedImageProtocolGuid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
EFI_GUID gEfiDevicePathProtocolGuid = EFI_DEVICE_PATH_PROTOCOL_GUID;
EFI_GUID gEfiDevicePathToTextProtocolGuid = EFI_DEVICE_PATH_TO_TEXT_PROTOCOL_GUID;
EFI_GUID gEfiSimpleFileSystemProtocolGuid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
EFI_GUID gEfiFileInfoGuid = EFI_FILE_INFO_ID;
EFI_GUID ShellProtocolGuid = EFI_SHELL_PROTOCOL_GUID;
EFI_GUID ShellParametersProtocolGuid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;

VOID InitializeLib(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	(void)image;
	ST = systab;
	BS = systab->BootServices;
	RT = systab->RuntimeServices;
}

VOID *AllocatePool(UINTN size)
{
	VOID *p = NULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, size, &p)))
		return NULL;
	return p;
}

VOID *AllocateZeroPool(UINTN size)
{
	VOID *p = AllocatePool(size);

	if (p)
		ZeroMem(p, size);
	return p;
}

VOID FreePool(VOID *p)
{
	uefi_call_wrapper(BS->FreePool, 1, p);
}

/* Overlap-safe like libefi's: backwards when dst starts inside src. */
VOID CopyMem(VOID *dst, const VOID *src, UINTN n)
{
	if (dst == src)
		return;
	if ((UINTN)dst - (UINTN)src < n) {
		UINT8 *d = (UINT8 *)dst + n;
		const UINT8 *s = (const UINT8 *)src + n;

		while (n--)
			*--d = *--s;
		return;
	}
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

VOID ZeroMem(VOID *p, UINTN n)
{
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(0) : "memory");
}

INTN CompareMem(const VOID *a, const VOID *b, UINTN n)
{
	return hs_memcmp(a, b, n);
}

UINTN StrLen(const CHAR16 *s)
{
	UINTN n = 0;

	while (s[n])
		n++;
	return n;
}

EFI_DEVICE_PATH *DevicePathFromHandle(EFI_HANDLE h)
{
	EFI_DEVICE_PATH *dp = NULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, h, &gEfiDevicePathProtocolGuid,
					(void **)&dp)))
		return NULL;
	return dp;
}

/* The compiler's own calls (struct copies and clears). */
void *memcpy(void *dst, const void *src, size_t n)
{
	CopyMem(dst, src, n);
	return dst;
}

void *memset(void *p, int c, size_t n)
{
	void *d = p;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return p;
}
