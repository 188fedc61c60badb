#include "rebuild.h"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int acpi_rebuild(const struct hs_phys *phys, uint64_t rsdp_addr, const char sig[4],
		 uint64_t new_addr, uint8_t *xsdt, size_t cap, uint64_t xsdt_addr,
		 uint8_t rsdp[ACPI_RSDP_V2_LEN], size_t *ret_xsdt_len, struct hs_err *err)
{
	const uint8_t *p = phys->map(phys->ctx, rsdp_addr, ACPI_RSDP_V1_LEN);
	struct hs_view r;

	if (!p || hs_memcmp(p, "RSD PTR ", 8)) {
		hs_err_set(err, "RSDP at %#llx: no 'RSD PTR ' signature", (unsigned long long)rsdp_addr);
		return -HS_EINVAL;
	}
	if (acpi_sum(p, ACPI_RSDP_V1_LEN)) {
		hs_err_set(err, "RSDP at %#llx: bad checksum", (unsigned long long)rsdp_addr);
		return -HS_EINVAL;
	}
	r = (struct hs_view){ p, ACPI_RSDP_V1_LEN };
	uint8_t rev = hs_get_u8(r, 15);
	uint64_t root = hs_get_u32(r, 16);
	unsigned width = 4;
	if (rev >= 2) {
		p = phys->map(phys->ctx, rsdp_addr, ACPI_RSDP_V2_LEN);
		if (!p) {
			hs_err_set(err, "RSDP at %#llx: unreadable", (unsigned long long)rsdp_addr);
			return -HS_EINVAL;
		}
		r = (struct hs_view){ p, ACPI_RSDP_V2_LEN };
		if (hs_get_u64(r, 24)) {
			root = hs_get_u64(r, 24);
			width = 8;
		}
	}
	const uint8_t *h = phys->map(phys->ctx, root, ACPI_HDR_LEN);
	struct acpi_header hdr;
	if (!h || acpi_header_read((struct hs_view){ h, ACPI_HDR_LEN }, &hdr) < 0 ||
	    hdr.length < ACPI_HDR_LEN || hdr.length > ACPI_TABLE_MAX_LEN) {
		hs_err_set(err, "root table at %#llx: unreadable or bad length", (unsigned long long)root);
		return -HS_EINVAL;
	}
	if (hs_memcmp(hdr.sig, width == 8 ? "XSDT" : "RSDT", 4)) {
		hs_err_set(err, "root table at %#llx: signature '%.4s' where %s belongs",
			   (unsigned long long)root, hdr.sig, width == 8 ? "XSDT" : "RSDT");
		return -HS_EINVAL;
	}
	const uint8_t *t = phys->map(phys->ctx, root, hdr.length);
	if (!t) {
		hs_err_set(err, "root table at %#llx: unreadable", (unsigned long long)root);
		return -HS_EINVAL;
	}
	struct hs_view tv = { t, hdr.length };
	size_t n = (hdr.length - ACPI_HDR_LEN) / width, out = 0;
	bool replaced = false;
	if (n >= ACPI_REBUILD_MAX_ENTRIES || cap < ACPI_XSDT_LEN(n + 1)) {
		hs_err_set(err, "root table at %#llx: %zu entries do not fit the rebuilt XSDT",
			   (unsigned long long)root, n);
		return -HS_ENOSPC;
	}
	hs_memcpy(xsdt, t, ACPI_HDR_LEN); /* OEM fields as the firmware had them */
	for (size_t i = 0; i < n; i++) {
		uint64_t a = hs_get_le(tv, ACPI_HDR_LEN + i * width, width);
		const uint8_t *s = a ? phys->map(phys->ctx, a, 4) : NULL;
		if (s && !hs_memcmp(s, sig, 4)) {
			a = new_addr;
			replaced = true;
		}
		put_le(xsdt + ACPI_XSDT_LEN(out++), a, 8);
	}
	if (!replaced)
		put_le(xsdt + ACPI_XSDT_LEN(out++), new_addr, 8);
	uint32_t len = ACPI_XSDT_LEN(out);
	hs_memcpy(xsdt, "XSDT", 4);
	put_le(xsdt + 4, len, 4);
	xsdt[8] = 1;
	xsdt[9] = 0;
	xsdt[9] = (uint8_t)-acpi_sum(xsdt, len);

	hs_memset(rsdp, 0, ACPI_RSDP_V2_LEN);
	hs_memcpy(rsdp, "RSD PTR ", 8);
	hs_memcpy(rsdp + 9, xsdt + 10, 6); /* OEM ID of the root table, as copied */
	rsdp[15] = 2;
	/* no RSDT: it could only list 32-bit addresses of the old tables */
	put_le(rsdp + 20, ACPI_RSDP_V2_LEN, 4);
	put_le(rsdp + 24, xsdt_addr, 8);
	rsdp[8] = (uint8_t)-acpi_sum(rsdp, ACPI_RSDP_V1_LEN);
	rsdp[32] = (uint8_t)-acpi_sum(rsdp, ACPI_RSDP_V2_LEN);
	*ret_xsdt_len = len;
	return 0;
}
