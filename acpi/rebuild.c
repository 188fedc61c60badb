#include "rebuild.h"

int acpi_rebuild(const struct hs_phys *phys, uint64_t rsdp_addr, const char sig[4],
		 uint64_t new_addr, uint8_t *xsdt, size_t cap, uint64_t xsdt_addr,
		 uint8_t rsdp[ACPI_RSDP_V2_LEN], size_t *ret_xsdt_len, struct hs_err *err)
{
	struct acpi_root root;
	int r = acpi_root_read(phys, rsdp_addr, &root, NULL, err);

	if (r < 0)
		return r;
	size_t n = root.entries, out = 0;
	bool replaced = false;
	if (n >= ACPI_REBUILD_MAX_ENTRIES || cap < ACPI_XSDT_LEN(n + 1)) {
		hs_err_set(err, "%s at %#llx: %zu entries do not fit the rebuilt XSDT", root.name,
			   (unsigned long long)root.addr, n);
		return -HS_ENOSPC;
	}
	const uint8_t *t = root.table.data;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = acpi_root_entry(&root, i);
		const uint8_t *s = a ? phys->map(phys->ctx, a, 4) : NULL;
		if (s && !hs_memcmp(s, sig, 4)) {
			a = new_addr;
			replaced = true;
		}
		hs_put_le(xsdt + ACPI_XSDT_LEN(out++), a, 8);
	}
	if (!replaced)
		hs_put_le(xsdt + ACPI_XSDT_LEN(out++), new_addr, 8);
	hs_memcpy(xsdt, t, ACPI_HDR_LEN); /* OEM fields as the firmware had them */
	uint32_t len = ACPI_XSDT_LEN(out);
	hs_memcpy(xsdt, "XSDT", 4);
	hs_put_le(xsdt + 4, len, 4);
	xsdt[8] = 1;
	xsdt[9] = 0;
	xsdt[9] = (uint8_t)-acpi_sum(xsdt, len);

	hs_memset(rsdp, 0, ACPI_RSDP_V2_LEN);
	hs_memcpy(rsdp, "RSD PTR ", 8);
	hs_memcpy(rsdp + 9, xsdt + 10, 6); /* OEM ID of the root table, as copied */
	rsdp[15] = 2;
	/* no RSDT: it could only list 32-bit addresses of the old tables */
	hs_put_le(rsdp + 20, ACPI_RSDP_V2_LEN, 4);
	hs_put_le(rsdp + 24, xsdt_addr, 8);
	rsdp[8] = (uint8_t)-acpi_sum(rsdp, ACPI_RSDP_V1_LEN);
	rsdp[32] = (uint8_t)-acpi_sum(rsdp, ACPI_RSDP_V2_LEN);
	*ret_xsdt_len = len;
	return 0;
}
