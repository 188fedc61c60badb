/* libFuzzer: an arbitrary file as a bzImage (setup header checks), and an
 * arbitrary EFI map into e820 (48-byte descriptors) and the zero page. */
#include "x86/linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t bp[LX_BOOT_PARAMS_SIZE];
	static struct lx_e820 e[512];
	struct hs_view f = { data, size };
	struct lx_kernel k;
	struct hs_err err;
	size_t n = 0;

	if (lx_e820_from_efi(f, 48, e, 512, &n) < 0)
		n = 0;
	for (size_t i = 1; i < n; i++)
		if (e[i - 1].type == e[i].type && e[i - 1].addr + e[i - 1].size == e[i].addr)
			__builtin_trap(); /* neighbours of one type are merged */
	if (lx_parse(f, &k, &err) < 0)
		return 0;
	if (k.kernel_off + k.kernel_size > size || k.hdr_end > 0x290)
		__builtin_trap();
	struct lx_params p = { .e820 = e, .e820_count = n };
	lx_boot_params(bp, f, &k, &p);
	lx_set_memory(bp, &p);
	return 0;
}
