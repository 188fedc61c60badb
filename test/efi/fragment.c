/*
 * test-fragment.efi N [reserved]: a test tool, not part of hotshim.
 * Allocates N single pages, alternately as loader data and boot-services
 * data (or reserved memory: then Linux's e820 table grows too), and keeps
 * them, so the firmware's memory map grows past N descriptors (the tests
 * need maps of more than 128 entries; OVMF's has ~60).
 */
#include <efi.h>
#include <efilib.h>

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	UINTN n = 200, got = 0;
	EFI_MEMORY_TYPE other = EfiBootServicesData;

	InitializeLib(image, systab);
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image,
					 &ShellParametersProtocolGuid, (void **)&sp)) &&
	    sp && sp->Argc > 1)
		n = Atoi(sp->Argv[1]);
	if (sp && sp->Argc > 2 && !StrCmp(sp->Argv[2], L"reserved"))
		other = EfiReservedMemoryType;
	for (UINTN i = 0; i < n; i++) {
		EFI_PHYSICAL_ADDRESS a = 0;
		EFI_MEMORY_TYPE t = i % 2 ? other : EfiLoaderData;
		if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, t, 1, &a)))
			break;
		got++;
	}
	Print(L"test-fragment: %lu pages kept\n", got);
	return got == n ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}
