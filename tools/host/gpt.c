/* Partition tables, read as Linux reads them (see gpt.h). */
#include "gpt.h"

#include <stdlib.h>
#include <string.h>

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B: the first three fields little-endian */
const uint8_t gpt_type_esp[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
				   0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

#define GPT_HDR_MIN 92u
#define GPT_ENTRY_SIZE 128u /* Linux refuses any other (efi.c is_gpt_valid()) */
#define MBR_SIG_OFF 510u
#define MBR_SLOTS_OFF 446u
#define MBR_TYPE_PROTECTIVE 0xeeu

uint32_t gpt_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

void gpt_guid_str(const uint8_t g[16], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	/* bytes in printed order: 3 2 1 0 - 5 4 - 7 6 - 8 9 - 10..15 */
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	char *o = buf;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[g[order[i]] >> 4];
		*o++ = hex[g[order[i]] & 15];
	}
	*o = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gpt_guid_parse(const char *s, uint8_t ret[16])
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t g[16];
	size_t pos = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (s[pos++] != '-')
				return -HS_EINVAL;
		}
		int hi = hexval(s[pos]), lo = hi < 0 ? -1 : hexval(s[pos + 1]);
		if (hi < 0 || lo < 0)
			return -HS_EINVAL;
		g[order[i]] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	if (s[pos])
		return -HS_EINVAL;
	memcpy(ret, g, 16);
	return 0;
}

/* A GPT header at lba, checked as is_gpt_valid() does; entries read and
 * checked too.  On success *ret_entries is malloc'd. */
static int gpt_header(const struct disk_reader *d, uint64_t lba, uint8_t **ret_entries,
		      uint32_t *ret_count, struct hs_err *err)
{
	uint8_t *h = malloc(d->sector);
	int r;

	if (!h)
		return -HS_ENOMEM;
	r = d->read(d->ctx, lba * d->sector, h, d->sector);
	if (r < 0) {
		free(h);
		hs_err_set(err, "cannot read the GPT header at LBA %llu", (unsigned long long)lba);
		return r;
	}
	struct hs_view v = { h, d->sector };
	uint32_t hsize = hs_get_u32(v, 12), crc = hs_get_u32(v, 16);
	uint64_t my = hs_get_u64(v, 24), first = hs_get_u64(v, 40), last = hs_get_u64(v, 48);
	uint64_t elba = hs_get_u64(v, 72);
	uint32_t count = hs_get_u32(v, 80), esize = hs_get_u32(v, 84), ecrc = hs_get_u32(v, 88);
	uint64_t lbas = d->size / d->sector;
	const char *why = NULL;

	if (memcmp(h, "EFI PART", 8))
		why = "no \"EFI PART\" signature";
	else if (hsize < GPT_HDR_MIN || hsize > d->sector)
		why = "header size out of range";
	if (!why) {
		memset(h + 16, 0, 4);
		if (gpt_crc32(h, hsize) != crc)
			why = "header CRC32 mismatch";
		else if (my != lba)
			why = "header names another LBA as its own";
		else if (first > last || last >= lbas)
			why = "usable LBAs out of the disk";
		else if (esize != GPT_ENTRY_SIZE)
			why = "partition entry size is not 128";
		else if (count == 0 || count > GPT_ENTRIES_MAX_BYTES / GPT_ENTRY_SIZE)
			why = "partition entry count out of range";
		else if (elba >= lbas || (uint64_t)count * esize > (lbas - elba) * d->sector)
			why = "partition entries past the end of the disk";
	}
	free(h);
	if (why) {
		hs_err_set(err, "GPT header at LBA %llu: %s", (unsigned long long)lba, why);
		return -HS_EBADMSG;
	}
	size_t n = (size_t)count * esize;
	uint8_t *e = malloc(n);
	if (!e)
		return -HS_ENOMEM;
	r = d->read(d->ctx, elba * d->sector, e, n);
	if (r < 0) {
		free(e);
		hs_err_set(err, "cannot read the GPT entries at LBA %llu", (unsigned long long)elba);
		return r;
	}
	if (gpt_crc32(e, n) != ecrc) {
		free(e);
		hs_err_set(err, "GPT entries at LBA %llu: CRC32 mismatch", (unsigned long long)elba);
		return -HS_EBADMSG;
	}
	*ret_entries = e;
	*ret_count = count;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int gpt_read(const struct disk_reader *d, unsigned number, struct part_info *ret,
		    struct hs_err *err)
{
	uint8_t *e = NULL;
	uint32_t count = 0;
	int r = gpt_header(d, 1, &e, &count, err);

	if (r == -HS_EBADMSG && d->size / d->sector > 2) {
		/* the backup header, as find_valid_gpt() falls back to it */
		struct hs_err e2 = { "" };
		if (gpt_header(d, d->size / d->sector - 1, &e, &count, &e2) == 0)
			r = 0;
	}
	if (r < 0)
		return r;
	if (number == 0 || number > count) {
		hs_err_set(err, "the GPT has %u entries, no partition %u", count, number);
		free(e);
		return -HS_ENOENT;
	}
	const uint8_t *p = e + (size_t)(number - 1) * GPT_ENTRY_SIZE;
	struct hs_view v = { p, GPT_ENTRY_SIZE };
	if (all_zero(p, 16)) {
		hs_err_set(err, "GPT entry %u is unused", number);
		free(e);
		return -HS_ENOENT;
	}
	struct part_info pi = { .number = number, .gpt = true };
	memcpy(pi.type, p, 16);
	memcpy(pi.uuid, p + 16, 16);
	pi.first_lba = hs_get_u64(v, 32);
	pi.last_lba = hs_get_u64(v, 40);
	free(e);
	*ret = pi;
	return 0;
}

int part_read(const struct disk_reader *d, unsigned number, struct part_info *ret,
	      struct hs_err *err)
{
	uint8_t mbr[512];
	int r;

	if ((d->sector != 512 && d->sector != 4096) || d->size < 2ull * d->sector) {
		hs_err_set(err, "disk of %llu bytes with %u-byte sectors has no partition table",
			   (unsigned long long)d->size, d->sector);
		return -HS_EBADMSG;
	}
	r = d->read(d->ctx, 0, mbr, sizeof(mbr));
	if (r < 0) {
		hs_err_set(err, "cannot read LBA 0");
		return r;
	}
	struct hs_view v = { mbr, sizeof(mbr) };
	if (hs_get_u16(v, MBR_SIG_OFF) != 0xaa55) {
		hs_err_set(err, "LBA 0 has no 0x55aa signature: no partition table");
		return -HS_EBADMSG;
	}
	for (unsigned i = 0; i < 4; i++)
		if (mbr[MBR_SLOTS_OFF + 16 * i + 4] == MBR_TYPE_PROTECTIVE)
			return gpt_read(d, number, ret, err);
	if (number == 0 || number > 4) {
		hs_err_set(err, "the MBR has 4 primary slots, no partition %u", number);
		return -HS_ENOENT;
	}
	size_t s = MBR_SLOTS_OFF + 16 * (number - 1);
	if (mbr[s + 4] == 0 || hs_get_u32(v, s + 12) == 0) {
		hs_err_set(err, "MBR slot %u is unused", number);
		return -HS_ENOENT;
	}
	struct part_info pi = { .number = number, .mbr_type = mbr[s + 4] };
	pi.mbr_sig = hs_get_u32(v, 440);
	pi.first_lba = hs_get_u32(v, s + 8);
	pi.last_lba = pi.first_lba + hs_get_u32(v, s + 12) - 1;
	*ret = pi;
	return 0;
}
