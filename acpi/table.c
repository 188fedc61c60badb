/*
 * RSDP -> XSDT (or RSDT) -> table lookup.  Every length comes from the
 * firmware and is checked before use; physical memory is reached only
 * through hs_phys.map() with an explicit length.
 */
#include "table.h"

uint8_t acpi_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static void copy_str(char *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)src[i];
	dst[n] = '\0';
}

int acpi_header_read(struct hs_view v, struct acpi_header *ret_hdr)
{
	if (!hs_view_has(v, 0, ACPI_HDR_LEN))
		return -HS_EINVAL;
	copy_str(ret_hdr->sig, v.data, 4);
	ret_hdr->length = hs_get_u32(v, 4);
	ret_hdr->revision = hs_get_u8(v, 8);
	ret_hdr->checksum = hs_get_u8(v, 9);
	copy_str(ret_hdr->oem_id, v.data + 10, 6);
	copy_str(ret_hdr->oem_table_id, v.data + 16, 8);
	ret_hdr->oem_revision = hs_get_u32(v, 24);
	ret_hdr->creator_id = hs_get_u32(v, 28);
	ret_hdr->creator_revision = hs_get_u32(v, 32);
	return 0;
}

static void warn_add(struct acpi_warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn_add(struct acpi_warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (!w || w->count >= HS_ARRAY_SIZE(w->line))
		return;
	va_start(ap, fmt);
	hs_vsnprintf(w->line[w->count++], sizeof(w->line[0]), fmt, ap);
	va_end(ap);
}

/* Maps a whole table at addr: header first, then its declared length. */
static int map_table(const struct hs_phys *phys, uint64_t addr, const char *what,
		     struct hs_view *ret_v, struct acpi_header *ret_hdr, struct hs_err *err)
{
	const uint8_t *p = phys->map(phys->ctx, addr, ACPI_HDR_LEN);
	struct acpi_header hdr;

	if (!p) {
		hs_err_set(err, "%s at %#llx: address not readable", what, (unsigned long long)addr);
		return -HS_EIO;
	}
	acpi_header_read((struct hs_view){ p, ACPI_HDR_LEN }, &hdr);
	if (hdr.length < ACPI_HDR_LEN || hdr.length > ACPI_TABLE_MAX_LEN) {
		hs_err_set(err, "%s at %#llx: header length %u is not in [%u, %u]", what,
			   (unsigned long long)addr, hdr.length, ACPI_HDR_LEN, ACPI_TABLE_MAX_LEN);
		return -HS_EINVAL;
	}
	p = phys->map(phys->ctx, addr, hdr.length);
	if (!p) {
		hs_err_set(err, "%s at %#llx: %u bytes not readable", what, (unsigned long long)addr,
			   hdr.length);
		return -HS_EIO;
	}
	*ret_v = (struct hs_view){ p, hdr.length };
	*ret_hdr = hdr;
	return 0;
}

int acpi_root_read(const struct hs_phys *phys, uint64_t rsdp_addr, struct acpi_root *ret,
		   struct acpi_warnings *warn, struct hs_err *err)
{
	const uint8_t *p = phys->map(phys->ctx, rsdp_addr, ACPI_RSDP_V1_LEN);
	struct acpi_root r = { .rsdp_addr = rsdp_addr };
	int e;

	if (!p) {
		hs_err_set(err, "RSDP at %#llx: address not readable", (unsigned long long)rsdp_addr);
		return -HS_EIO;
	}
	if (hs_memcmp(p, "RSD PTR ", 8) != 0) {
		hs_err_set(err, "RSDP at %#llx: signature is not \"RSD PTR \"",
			   (unsigned long long)rsdp_addr);
		return -HS_EINVAL;
	}
	if (acpi_sum(p, ACPI_RSDP_V1_LEN) != 0)
		warn_add(warn, "RSDP at %#llx: checksum of the first 20 bytes is wrong",
			 (unsigned long long)rsdp_addr);
	struct hs_view rv = { p, ACPI_RSDP_V1_LEN };
	uint64_t rsdt = hs_get_u32(rv, 16), xsdt = 0;

	r.rsdp_revision = hs_get_u8(rv, 15);
	if (r.rsdp_revision >= 2) {
		p = phys->map(phys->ctx, rsdp_addr, ACPI_RSDP_V2_LEN);
		if (!p) {
			hs_err_set(err, "RSDP at %#llx: revision %u but 36 bytes not readable",
				   (unsigned long long)rsdp_addr, r.rsdp_revision);
			return -HS_EIO;
		}
		rv = (struct hs_view){ p, ACPI_RSDP_V2_LEN };
		uint32_t xlen = hs_get_u32(rv, 20);
		xsdt = hs_get_u64(rv, 24);
		if (xlen < ACPI_RSDP_V2_LEN) {
			warn_add(warn, "RSDP at %#llx: length field %u is below 36",
				 (unsigned long long)rsdp_addr, xlen);
		} else if (xlen <= 4096) {
			const uint8_t *full = phys->map(phys->ctx, rsdp_addr, xlen);
			if (full && acpi_sum(full, xlen) != 0)
				warn_add(warn, "RSDP at %#llx: extended checksum is wrong",
					 (unsigned long long)rsdp_addr);
		}
	}
	r.xsdt = r.rsdp_revision >= 2 && xsdt != 0;
	r.addr = r.xsdt ? xsdt : rsdt;
	r.name = r.xsdt ? "XSDT" : "RSDT";
	if (r.addr == 0) {
		hs_err_set(err, "RSDP at %#llx: no %s address", (unsigned long long)rsdp_addr, r.name);
		return -HS_EINVAL;
	}
	e = map_table(phys, r.addr, r.name, &r.table, &r.hdr, err);
	if (e < 0)
		return e;
	if (hs_memcmp(r.hdr.sig, r.name, 4) != 0) {
		hs_err_set(err, "%s at %#llx: signature is \"%s\"", r.name,
			   (unsigned long long)r.addr, r.hdr.sig);
		return -HS_EINVAL;
	}
	if (acpi_sum(r.table.data, r.table.len) != 0)
		warn_add(warn, "%s at %#llx: checksum is wrong", r.name, (unsigned long long)r.addr);
	r.entries = (r.table.len - ACPI_HDR_LEN) / (r.xsdt ? 8 : 4);
	*ret = r;
	return 0;
}

uint64_t acpi_root_entry(const struct acpi_root *r, size_t i)
{
	unsigned esz = r->xsdt ? 8 : 4;

	return i < r->entries ? hs_get_le(r->table, ACPI_HDR_LEN + i * esz, esz) : 0;
}

int acpi_find_table(const struct hs_phys *phys, uint64_t rsdp_addr, const char sig[4],
		    struct acpi_found *ret, struct acpi_warnings *warn, struct hs_err *err)
{
	struct acpi_root root;
	int r = acpi_root_read(phys, rsdp_addr, &root, warn, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < root.entries; i++) {
		uint64_t a = acpi_root_entry(&root, i);
		const uint8_t *h = a ? phys->map(phys->ctx, a, 4) : NULL;

		if (!h || hs_memcmp(h, sig, 4) != 0)
			continue;
		r = map_table(phys, a, sig, &ret->table, &ret->hdr, err);
		if (r < 0) {
			/* Report where in the root table the bad entry was. */
			char why[sizeof(err->msg)];
			hs_snprintf(why, sizeof(why), "%s", err->msg);
			hs_err_set(err, "%s entry %zu: %s", root.name, i, why);
			return r;
		}
		ret->addr = a;
		ret->checksum_ok = acpi_sum(ret->table.data, ret->table.len) == 0;
		ret->via_xsdt = root.xsdt;
		ret->rsdp_addr = rsdp_addr;
		ret->rsdp_revision = root.rsdp_revision;
		return 0;
	}
	return -HS_ENOENT;
}

static void add_loc(struct acpi_loc *ret, size_t cap, size_t *n, const char *sig, uint64_t addr,
		    uint32_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (ret[i].addr == addr)
			return; /* the FADT's two DSDT pointers may agree */
	if (*n >= cap || !addr || !len)
		return;
	hs_memcpy(ret[*n].sig, sig, 4);
	ret[*n].sig[4] = '\0';
	ret[*n].addr = addr;
	ret[*n].length = len;
	(*n)++;
}

/* A table's length from its header, or 0 when it cannot be read. */
static uint32_t table_len(const struct hs_phys *phys, uint64_t addr, char sig[5])
{
	const uint8_t *h = phys->map(phys->ctx, addr, 8);

	if (!h)
		return 0;
	hs_memcpy(sig, h, 4);
	sig[4] = '\0';
	return hs_get_u32((struct hs_view){ h, 8 }, 4);
}

size_t acpi_list_tables(const struct hs_phys *phys, uint64_t rsdp_addr, struct acpi_loc *ret,
			size_t cap)
{
	struct acpi_root root;
	struct hs_err err;
	size_t n = 0;
	char sig[5];

	if (acpi_root_read(phys, rsdp_addr, &root, NULL, &err) < 0)
		return 0;
	add_loc(ret, cap, &n, root.name, root.addr, root.hdr.length);
	for (size_t i = 0; i < root.entries; i++) {
		uint64_t a = acpi_root_entry(&root, i);
		uint32_t len = a ? table_len(phys, a, sig) : 0;
		if (len < ACPI_HDR_LEN || len > ACPI_TABLE_MAX_LEN)
			continue;
		add_loc(ret, cap, &n, sig, a, len);
		if (hs_memcmp(sig, "FACP", 4))
			continue;
		const uint8_t *f = phys->map(phys->ctx, a, len);
		if (!f)
			continue;
		struct hs_view fv = { f, len };
		/* FADT: FIRMWARE_CTRL at 36, DSDT at 40, X_ variants at 132, 140 */
		uint64_t facs[2] = { hs_get_u32(fv, 36), len >= 140 ? hs_get_u64(fv, 132) : 0 };
		uint64_t dsdt[2] = { hs_get_u32(fv, 40), len >= 148 ? hs_get_u64(fv, 140) : 0 };
		for (int k = 0; k < 2; k++) {
			uint32_t l = facs[k] ? table_len(phys, facs[k], sig) : 0;
			if (l >= 64 && l <= ACPI_TABLE_MAX_LEN && !hs_memcmp(sig, "FACS", 4))
				add_loc(ret, cap, &n, sig, facs[k], l);
			l = dsdt[k] ? table_len(phys, dsdt[k], sig) : 0;
			if (l >= ACPI_HDR_LEN && l <= ACPI_TABLE_MAX_LEN)
				add_loc(ret, cap, &n, sig, dsdt[k], l);
		}
	}
	return n;
}

/* BGRT: header, Version (2 bytes at 36), Status (38), Image Type (39),
 * Image Address (8 bytes at 40), Offset X and Y (48, 52) */
#define BGRT_VERSION 36
#define BGRT_STATUS 38
#define BGRT_IMAGE_TYPE 39
#define BGRT_IMAGE_ADDRESS 40

int acpi_bgrt_image(struct hs_view bgrt, uint64_t *ret_addr, struct hs_err *err)
{
	if (!hs_view_has(bgrt, 0, ACPI_BGRT_LEN) || hs_get_u32(bgrt, 4) < ACPI_BGRT_LEN) {
		hs_err_set(err, "BGRT: shorter than %u bytes", ACPI_BGRT_LEN);
		return -HS_EINVAL;
	}
	if (hs_get_u16(bgrt, BGRT_VERSION) != 1) {
		hs_err_set(err, "BGRT: version %u (Linux takes 1)", hs_get_u16(bgrt, BGRT_VERSION));
		return -HS_EINVAL;
	}
	if (hs_get_u8(bgrt, BGRT_STATUS) & 0xfe) {
		hs_err_set(err, "BGRT: reserved status bits set");
		return -HS_EINVAL;
	}
	if (hs_get_u8(bgrt, BGRT_IMAGE_TYPE) != 0) {
		hs_err_set(err, "BGRT: image type %u (Linux takes 0, a BMP)",
			   hs_get_u8(bgrt, BGRT_IMAGE_TYPE));
		return -HS_EINVAL;
	}
	*ret_addr = hs_get_u64(bgrt, BGRT_IMAGE_ADDRESS);
	if (!*ret_addr) {
		hs_err_set(err, "BGRT: no image address");
		return -HS_EINVAL;
	}
	return 0;
}

uint32_t acpi_bmp_size(struct hs_view header)
{
	if (!hs_view_has(header, 0, 6) || hs_get_u8(header, 0) != 'B' || hs_get_u8(header, 1) != 'M')
		return 0;
	return hs_get_u32(header, 2);
}
