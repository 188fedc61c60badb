/* Tests tools/host/loadopt.c: EFI_LOAD_OPTION as efibootmgr writes one. */
/* links: tools/host/loadopt.c lib/fmt.c tools/host/gpt.c */
#include "test/unit/helpers.h"
#include "tools/host/gpt.h"
#include "tools/host/loadopt.h"

static uint8_t opt[512];
static size_t optlen;

static size_t put_ucs2(uint8_t *p, const char *s)
{
	size_t n = 0;
	do {
		p[n++] = (uint8_t)*s;
		p[n++] = 0;
	} while (*s++);
	return n;
}

/* Attributes, FilePathListLength, "hotshim", HD(1,GPT,uuid,0x800,0x64000),
 * File(path), End, then optional data: what `efibootmgr --create-only
 * --disk /dev/sda --part 1 --loader path --label hotshim` stores. */
static void build(const uint8_t uuid[16], const char *path, const char *optional)
{
	uint8_t *p = opt;
	size_t n = 0;

	memset(opt, 0, sizeof(opt));
	p[0] = 1; /* LOAD_OPTION_ACTIVE */
	n = 6;
	n += put_ucs2(p + n, "hotshim");
	size_t dp = n;
	/* HD: type 4, subtype 1, length 42 */
	p[n] = 4, p[n + 1] = 1, p[n + 2] = 42;
	p[n + 4] = 1;                         /* partition 1 */
	p[n + 9] = 0x08;                      /* start 0x800 */
	p[n + 17] = 0x40, p[n + 18] = 0x06;   /* size 0x64000 */
	memcpy(p + n + 24, uuid, 16);
	p[n + 40] = 2, p[n + 41] = 2;         /* GPT, GUID signature */
	n += 42;
	/* File: type 4, subtype 4 */
	size_t fl = 4 + put_ucs2(p + n + 4, path);
	p[n] = 4, p[n + 1] = 4, p[n + 2] = (uint8_t)fl;
	n += fl;
	p[n] = 0x7f, p[n + 1] = 0xff, p[n + 2] = 4; /* End */
	n += 4;
	p[4] = (uint8_t)(n - dp);
	p[5] = (uint8_t)((n - dp) >> 8);
	size_t ol = strlen(optional);
	memcpy(p + n, optional, ol);
	optlen = n + ol;
}

static void test_efibootmgr_option(void **state)
{
	uint8_t esp[16], other[16];
	struct load_option o;
	struct hs_err err = { "" };

	gpt_guid_parse("0b0075a1-e5f0-4e5a-9d1b-5ec0ffee0001", esp);
	gpt_guid_parse("0b0075a1-e5f0-4e5a-9d1b-5ec0ffee0002", other);
	build(esp, "\\EFI\\hotshim\\hotshimx64.efi", "");
	assert_int_equal(loadopt_parse((struct hs_view){ opt, optlen }, &o, &err), 0);
	assert_int_equal(o.attributes, LOAD_OPTION_ACTIVE);
	assert_string_equal(o.desc, "hotshim");
	assert_true(o.has_hd);
	assert_int_equal(o.part, 1);
	assert_int_equal(o.sig_type, 2);
	assert_memory_equal(o.part_sig, esp, 16);
	assert_string_equal(o.file, "\\EFI\\hotshim\\hotshimx64.efi");
	assert_int_equal(o.optional_len, 0);
	assert_true(loadopt_is(&o, esp, "\\EFI\\hotshim\\hotshimx64.efi"));
	/* the FAT driver's view: case and slashes do not matter */
	assert_true(loadopt_is(&o, esp, "/efi/HOTSHIM/hotshimX64.EFI"));
	assert_false(loadopt_is(&o, other, "\\EFI\\hotshim\\hotshimx64.efi"));
	assert_false(loadopt_is(&o, esp, "\\EFI\\hotshim\\hotshimx64.efi2"));
	assert_false(loadopt_is(&o, esp, "\\EFI\\hotshim\\hotshimx64.ef"));
	assert_false(loadopt_is(&o, esp, "\\EFI\\debian\\grubx64.efi"));

	build(esp, "\\EFI\\hotshim\\hotshimx64.efi", "report");
	assert_int_equal(loadopt_parse((struct hs_view){ opt, optlen }, &o, &err), 0);
	assert_int_equal(o.optional_len, 6);
}

/* Every cut of a good option is refused or read within its bytes (ASan
 * watches), never read past. */
static void test_cuts(void **state)
{
	uint8_t esp[16] = { 1 };
	struct load_option o;
	struct hs_err err = { "" };

	build(esp, "\\EFI\\hotshim\\hotshimx64.efi", "");
	size_t full = optlen;
	for (size_t n = 0; n < full; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, opt, n);
		assert_int_equal(loadopt_parse((struct hs_view){ copy, n }, &o, &err), -HS_EBADMSG);
		free(copy);
	}
	assert_int_equal(loadopt_parse((struct hs_view){ opt, 5 }, &o, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "5 bytes is shorter than a load option's header (6)");
	assert_int_equal(loadopt_parse((struct hs_view){ opt, 24 }, &o, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "file path list of 106 bytes at 22 runs past the end (24 bytes)");
}

static void test_bad_nodes(void **state)
{
	uint8_t esp[16] = { 1 };
	struct load_option o;
	struct hs_err err = { "" };

	build(esp, "\\x", "");
	opt[22 + 2] = 3; /* HD node length 3 */
	assert_int_equal(loadopt_parse((struct hs_view){ opt, optlen }, &o, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "device path node at 22: length 3 out of range");
	build(esp, "\\x", "");
	opt[22 + 2] = 200; /* past the list */
	assert_int_equal(loadopt_parse((struct hs_view){ opt, optlen }, &o, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "device path node at 22: length 200 out of range");
	/* no NUL in the description */
	memset(opt, 'a', sizeof(opt));
	assert_int_equal(loadopt_parse((struct hs_view){ opt, 64 }, &o, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "the description has no NUL before the end (64 bytes)");
	/* an MBR signature is not a GPT partition's */
	build(esp, "\\x", "");
	opt[22 + 41] = 1;
	assert_int_equal(loadopt_parse((struct hs_view){ opt, optlen }, &o, &err), 0);
	assert_false(loadopt_is(&o, esp, "\\x"));
}

static void test_boot_order(void **state)
{
	static const uint8_t v[] = { 0x04, 0x00, 0x01, 0x00, 0xff, 0xff };
	uint16_t ord[4];
	size_t n;

	assert_int_equal(boot_order_parse((struct hs_view){ v, 6 }, ord, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ord[0], 4);
	assert_int_equal(ord[1], 1);
	assert_int_equal(ord[2], 0xffff);
	/* never shortened: it would be written back without the rest */
	assert_int_equal(boot_order_parse((struct hs_view){ v, 6 }, ord, 2, &n), -HS_ENOSPC);
	assert_int_equal(boot_order_parse((struct hs_view){ v, 5 }, ord, 4, &n), -HS_EBADMSG);
	assert_int_equal(boot_order_parse((struct hs_view){ v, 0 }, ord, 4, &n), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_efibootmgr_option),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_bad_nodes),
		cmocka_unit_test(test_boot_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
