/* libFuzzer: an arbitrary file as a bzImage (setup header checks), and an
 * arbitrary EFI map into e820 (48-byte descriptors) and the zero page;
 * the same map with a boot logo's pages split off and handed over. */
#include <string.h>

#include "core/handover.h"
#include "x86/linux.h"

/* Pages of boot-services memory in a map: splitting keeps them. */
static uint64_t bs_pages(const uint8_t *m, size_t size)
{
	struct efi_desc_iter it = efi_desc_iter((struct hs_view){ m, size }, 48);
	struct efi_desc d;
	uint64_t n = 0;

	while (efi_desc_next(&it, &d))
		if (d.ok && (d.type == EFI_BOOT_SERVICES_CODE || d.type == EFI_BOOT_SERVICES_DATA))
			n += d.pages;
	return n;
}

/* Descriptors the logo cuts into pieces. */
static size_t logo_meets(const uint8_t *m, size_t size, const struct handover *h)
{
	struct efi_desc_iter it = efi_desc_iter((struct hs_view){ m, size }, 48);
	struct efi_desc d;
	uint64_t a[3], z[3];
	size_t n = 0;

	while (efi_desc_next(&it, &d))
		n += d.ok && handover_pieces(h, d.type, d.base, d.last, a, z) > 1;
	return n;
}

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
	/* a logo where the input's first 16 bytes say */
	static uint8_t m[4096 + 2 * 48];
	size_t ms = size / 48 * 48 > 4096 ? 4096 : size / 48 * 48;
	memcpy(m, data, ms);
	struct handover h = { .has_logo = size >= 16 };
	if (h.has_logo) {
		memcpy(&h.logo_base, data, 8);
		memcpy(&h.logo_last, data + 8, 8);
	}
	uint64_t before = bs_pages(m, ms);
	size_t meets = logo_meets(m, ms, &h);
	size_t ns = handover_split_logo(m, ms, sizeof(m), 48, &h);
	/* at most two more descriptors for each the logo meets (more than
	 * one only where descriptors overlap), and no page lost */
	if (ns < ms || (ns - ms) % 48 || ns - ms > 96 * meets || ns > sizeof(m) ||
	    bs_pages(m, ns) != before)
		__builtin_trap();
	handover_apply(m, ns, 48, &h);
	if (lx_parse(f, &k, &err) < 0)
		return 0;
	if (k.kernel_off + k.kernel_size > size || k.hdr_end > 0x290)
		__builtin_trap();
	struct lx_params p = { .e820 = e, .e820_count = n };
	lx_boot_params(bp, f, &k, &p);
	lx_set_memory(bp, &p);
	return 0;
}
