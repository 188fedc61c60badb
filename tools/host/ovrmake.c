/* SRAT overrides made (see ovrmake.h). */
#include "ovrmake.h"

#include <stdio.h>
#include <string.h>

#include "../../acpi/override.h"
#include "../../acpi/srat.h"

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int ovr_make_table(uint8_t *t, size_t len, const char *name, const struct ovr_make *o,
		   uint32_t *ret_rev, struct hs_err *note, struct hs_err *err)
{
	struct acpi_header h;

	note->msg[0] = '\0';
	if (acpi_header_read((struct hs_view){ t, len }, &h) < 0) {
		hs_err_set(err, "%s: %zu bytes is too short for an ACPI table header (36)", name, len);
		return -HS_EINVAL;
	}
	if (memcmp(h.sig, "SRAT", 4)) {
		hs_err_set(err, "%s: signature is \"%.4s\", not \"SRAT\"", name, h.sig);
		return -HS_EINVAL;
	}
	if (len < SRAT_HDR_LEN) {
		hs_err_set(err, "%s: %zu bytes is too short for an SRAT (48)", name, len);
		return -HS_EINVAL;
	}
	if (len > ACPI_TABLE_MAX_LEN) {
		hs_err_set(err, "%s: %zu bytes is larger than any ACPI table", name, len);
		return -HS_EINVAL;
	}
	if (h.length > len) {
		hs_err_set(err, "%s: header length %u but only %zu bytes: the table is cut short", name,
			   h.length, len);
		return -HS_EINVAL;
	}
	if (h.length < len)
		hs_err_set(note, "%s: header length %u < %zu bytes: taking the whole file", name,
			   h.length, len);

	uint32_t rev = o->have_rev ? o->rev : h.oem_revision;
	if (o->fw && !o->have_rev && rev <= o->fw->oem_revision) {
		if (o->fw->oem_revision == 0xffffffffu) {
			hs_err_set(err, "%s: the firmware's OEM revision is 0xffffffff; no override can "
				   "be higher, so Linux would never take one", o->fw_name);
			return -HS_EINVAL;
		}
		rev = o->fw->oem_revision + 1;
	}
	if (o->fw && rev <= o->fw->oem_revision) {
		hs_err_set(err, "--oem-revision %u is not higher than the firmware's %u (%s): Linux "
			   "would ignore the override", rev, o->fw->oem_revision, o->fw_name);
		return -HS_EINVAL;
	}
	put_le32(t + 24, rev);
	if (o->fw && !o->keep_ids) {
		memcpy(t + 10, o->fw->oem_id, 6);
		memcpy(t + 16, o->fw->oem_table_id, 8);
	}
	put_le32(t + 4, (uint32_t)len);
	t[9] = 0;
	t[9] = (uint8_t)(0 - acpi_sum(t, len));
	*ret_rev = rev;
	return 0;
}

/* One newc header and name, padded to 4; returns the new offset. */
static size_t put_hdr(uint8_t *buf, size_t pos, unsigned ino, unsigned mode, unsigned nlink,
		      size_t size, const char *name)
{
	size_t nsz = strlen(name) + 1;
	char h[128];

	/* sizes fit 32 bits: an ACPI table is at most ACPI_TABLE_MAX_LEN */
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino,
		 mode, 0u, 0u, nlink, 0u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)nsz, 0u);
	memcpy(buf + pos, h, 110);
	memcpy(buf + pos + 110, name, nsz);
	pos += 110 + nsz;
	while (pos % 4)
		buf[pos++] = 0;
	return pos;
}

static const char *const ovr_dirs[] = { "kernel", "kernel/firmware", "kernel/firmware/acpi" };
#define OVR_FILE OVR_PATH "srat.aml"

static size_t hdr_size(const char *name)
{
	return (110 + strlen(name) + 1 + 3) & ~(size_t)3;
}

size_t ovr_cpio_size(size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < HS_ARRAY_SIZE(ovr_dirs); i++)
		n += hdr_size(ovr_dirs[i]);
	n += hdr_size(OVR_FILE) + ((len + 3) & ~(size_t)3) + hdr_size("TRAILER!!!");
	/* padded to 512 like cpio(1), so whatever follows starts aligned */
	return (n + 511) & ~(size_t)511;
}

int ovr_cpio(const uint8_t *t, size_t len, uint8_t *buf, size_t cap, size_t *ret_len)
{
	size_t total = ovr_cpio_size(len), pos = 0;
	unsigned ino = 1;

	if (cap < total)
		return -HS_ENOSPC;
	for (size_t i = 0; i < HS_ARRAY_SIZE(ovr_dirs); i++)
		pos = put_hdr(buf, pos, ino++, 040755, 2, 0, ovr_dirs[i]);
	pos = put_hdr(buf, pos, ino++, 0100644, 1, len, OVR_FILE);
	memcpy(buf + pos, t, len);
	pos += len;
	while (pos % 4)
		buf[pos++] = 0;
	pos = put_hdr(buf, pos, 0, 0, 1, 0, "TRAILER!!!");
	memset(buf + pos, 0, total - pos);
	*ret_len = total;
	return 0;
}
