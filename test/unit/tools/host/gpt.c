/* Tests tools/host/gpt.c: partition tables sfdisk wrote, and broken ones. */
/* links: tools/host/gpt.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "tools/host/gpt.h"

struct mem {
	uint8_t *b;
	size_t len;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem *m = ctx;
	if (off > m->len || len > m->len - off)
		return -5;
	memcpy(buf, m->b + off, len);
	return 0;
}

static struct mem disk;

static struct disk_reader reader(uint32_t sector)
{
	return (struct disk_reader){ mem_read, &disk, sector, disk.len };
}

static void load(const char *path)
{
	free(disk.b);
	disk.b = load_file(path, &disk.len);
}

static void guid_is(const uint8_t g[16], const char *want)
{
	char s[40];
	gpt_guid_str(g, s);
	assert_string_equal(s, want);
}

/* test/fixtures/gpt-disk.sfdisk, as sfdisk wrote it */
static void test_sfdisk_gpt(void **state)
{
	struct disk_reader d;
	struct part_info p;
	struct hs_err err = { "" };

	load("build/fixtures/gpt-disk.img");
	d = reader(512);
	assert_int_equal(part_read(&d, 1, &p, &err), 0);
	assert_true(p.gpt);
	assert_int_equal(p.number, 1);
	assert_memory_equal(p.type, gpt_type_esp, 16);
	guid_is(p.type, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	guid_is(p.uuid, "0fc63daf-0000-4000-8000-00000000e5b1");
	assert_int_equal(p.first_lba, 2048);
	assert_int_equal(p.last_lba, 2048 + 4096 - 1);
	assert_int_equal(part_read(&d, 2, &p, &err), 0);
	guid_is(p.type, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	guid_is(p.uuid, "7a3b0c11-2222-4333-8444-123456789abc");
	assert_int_equal(p.first_lba, 6144);
	assert_int_equal(p.last_lba, 6144 + 8192 - 1);

	assert_int_equal(part_read(&d, 3, &p, &err), -HS_ENOENT);
	assert_string_equal(err.msg, "GPT entry 3 is unused");
	assert_int_equal(part_read(&d, 129, &p, &err), -HS_ENOENT);
	assert_string_equal(err.msg, "the GPT has 128 entries, no partition 129");
	assert_int_equal(part_read(&d, 0, &p, &err), -HS_ENOENT);
}

/* The primary header or its entries broken: the backup at the last LBA,
 * as Linux's find_valid_gpt() falls back; both broken: the first reason. */
static void test_backup(void **state)
{
	struct disk_reader d;
	struct part_info p;
	struct hs_err err = { "" };

	load("build/fixtures/gpt-disk.img");
	d = reader(512);
	disk.b[512 + 16] ^= 1; /* primary header CRC */
	assert_int_equal(part_read(&d, 2, &p, &err), 0);
	assert_int_equal(p.first_lba, 6144);
	disk.b[disk.len - 512 + 16] ^= 1; /* backup header CRC */
	assert_int_equal(part_read(&d, 2, &p, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "GPT header at LBA 1: header CRC32 mismatch");

	load("build/fixtures/gpt-disk.img");
	disk.b[1024 + 40] ^= 1; /* an entry: the primary entries' CRC */
	assert_int_equal(part_read(&d, 1, &p, &err), 0);
	assert_int_equal(p.first_lba, 2048);
	/* the backup's entries sit just before its header */
	disk.b[disk.len - 512 - 32 * 512 + 40] ^= 1;
	assert_int_equal(part_read(&d, 1, &p, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "GPT entries at LBA 2: CRC32 mismatch");
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header field changed with its CRC fixed: the check itself must fail. */
static void refix(uint8_t *h)
{
	put32(h + 16, 0);
	put32(h + 16, gpt_crc32(h, 92));
}

static void test_header_checks(void **state)
{
	static const struct {
		size_t off;
		uint32_t val;
		const char *why;
	} cases[] = {
		{ 12, 91, "header size out of range" },
		{ 12, 513, "header size out of range" },
		{ 24, 5, "header names another LBA as its own" },
		{ 84, 256, "partition entry size is not 128" },
		{ 80, 0, "partition entry count out of range" },
		{ 80, 8193, "partition entry count out of range" },
		{ 72, 16383, "partition entries past the end of the disk" },
		{ 48, 16384, "usable LBAs out of the disk" },
	};
	struct disk_reader d;
	struct part_info p;
	struct hs_err err = { "" };

	for (size_t i = 0; i < HS_ARRAY_SIZE(cases); i++) {
		load("build/fixtures/gpt-disk.img");
		d = reader(512);
		/* both headers broken the same way, so the reason shows */
		uint8_t *hs[2] = { disk.b + 512, disk.b + disk.len - 512 };
		for (int k = 0; k < 2; k++) {
			put32(hs[k] + cases[i].off, cases[i].val);
			if (cases[i].off == 48 || cases[i].off == 72) /* u64 */
				put32(hs[k] + cases[i].off + 4, 0);
			refix(hs[k]);
		}
		assert_int_equal(part_read(&d, 1, &p, &err), -HS_EBADMSG);
		char want[120];
		snprintf(want, sizeof(want), "GPT header at LBA 1: %s", cases[i].why);
		assert_string_equal(err.msg, want);
	}
	load("build/fixtures/gpt-disk.img");
	memcpy(disk.b + 512, "EFI PARX", 8);
	memcpy(disk.b + disk.len - 512, "EFI PARX", 8);
	assert_int_equal(part_read(&d, 1, &p, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "GPT header at LBA 1: no \"EFI PART\" signature");
}

/* test/fixtures/mbr-disk.sfdisk: slot 1 is 0xef, slot 2 Linux */
static void test_sfdisk_mbr(void **state)
{
	struct disk_reader d;
	struct part_info p;
	struct hs_err err = { "" };

	load("build/fixtures/mbr-disk.img");
	d = reader(512);
	assert_int_equal(part_read(&d, 1, &p, &err), 0);
	assert_false(p.gpt);
	assert_int_equal(p.mbr_type, MBR_TYPE_ESP);
	assert_int_equal(p.mbr_sig, 0x12345678);
	assert_int_equal(p.first_lba, 2048);
	assert_int_equal(p.last_lba, 4095);
	assert_int_equal(part_read(&d, 2, &p, &err), 0);
	assert_int_equal(p.mbr_type, 0x83);
	assert_int_equal(part_read(&d, 3, &p, &err), -HS_ENOENT);
	assert_string_equal(err.msg, "MBR slot 3 is unused");
	assert_int_equal(part_read(&d, 5, &p, &err), -HS_ENOENT);
	assert_string_equal(err.msg, "the MBR has 4 primary slots, no partition 5");
	disk.b[510] = 0;
	assert_int_equal(part_read(&d, 1, &p, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "LBA 0 has no 0x55aa signature: no partition table");
}

/* A 4096-byte-sector GPT (sfdisk 2.38 cannot make one in a file): the
 * 512-byte one moved to 4 KiB LBAs. */
static void test_4k_sectors(void **state)
{
	struct disk_reader d;
	struct part_info p;
	struct hs_err err = { "" };
	struct mem small;

	load("build/fixtures/gpt-disk.img");
	small = disk;
	disk.len = 8u << 20;
	disk.b = calloc(1, disk.len);
	memcpy(disk.b, small.b, 512); /* protective MBR */
	uint8_t *h = disk.b + 4096;
	memcpy(h, small.b + 512, 92);
	uint64_t lbas = disk.len / 4096;
	put32(h + 24, 1), put32(h + 28, 0);             /* my LBA */
	put32(h + 32, (uint32_t)lbas - 1), put32(h + 36, 0);
	put32(h + 40, 6), put32(h + 48, (uint32_t)lbas - 6);
	put32(h + 72, 2), put32(h + 76, 0);             /* entries at LBA 2 */
	memcpy(disk.b + 2 * 4096, small.b + 1024, 128 * 128);
	refix(h);
	free(small.b);
	d = reader(4096);
	assert_int_equal(part_read(&d, 2, &p, &err), 0);
	guid_is(p.uuid, "7a3b0c11-2222-4333-8444-123456789abc");
	/* read with the wrong sector size: no header there */
	d = reader(512);
	assert_int_equal(part_read(&d, 2, &p, &err), -HS_EBADMSG);
	d = reader(1000);
	assert_int_equal(part_read(&d, 2, &p, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "disk of 8388608 bytes with 1000-byte sectors has no partition table");
}

static void test_guid_and_crc(void **state)
{
	uint8_t g[16];

	/* the CRC-32 check value */
	assert_int_equal(gpt_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	assert_int_equal(gpt_guid_parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", g), 0);
	assert_memory_equal(g, gpt_type_esp, 16);
	assert_int_equal(gpt_guid_parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93", g), -HS_EINVAL);
	assert_int_equal(gpt_guid_parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93bb", g), -HS_EINVAL);
	assert_int_equal(gpt_guid_parse("c12a7328f81f-11d2-ba4b-00a0c93ec93b", g), -HS_EINVAL);
	assert_int_equal(gpt_guid_parse("g12a7328-f81f-11d2-ba4b-00a0c93ec93b", g), -HS_EINVAL);
	assert_int_equal(gpt_guid_parse("", g), -HS_EINVAL);
}

/* A read that fails is passed up as it came. */
static int bad_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx, (void)off, (void)buf, (void)len;
	return -5;
}

static void test_read_error(void **state)
{
	struct disk_reader d = { bad_read, NULL, 512, 1u << 20 };
	struct part_info p;
	struct hs_err err = { "" };

	assert_int_equal(part_read(&d, 1, &p, &err), -5);
	assert_string_equal(err.msg, "cannot read LBA 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sfdisk_gpt),     cmocka_unit_test(test_backup),
		cmocka_unit_test(test_header_checks),  cmocka_unit_test(test_sfdisk_mbr),
		cmocka_unit_test(test_4k_sectors),     cmocka_unit_test(test_guid_and_crc),
		cmocka_unit_test(test_read_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
