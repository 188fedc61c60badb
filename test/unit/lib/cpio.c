/* Tests lib/cpio.c: Linux's find_cpio_data() walk, exactly. */
/* links: lib/cpio.c lib/fmt.c */
#include "test/unit/cpio_builder.h"
#include "lib/cpio.h"

static struct cb c;

static int walk(struct cpio_iter *it, char names[][64], int max)
{
	struct cpio_file f;
	int n = 0;

	cpio_iter_init(it, (struct hs_view){ c.b, c.len });
	while (n < max && cpio_next(it, &f) == 1)
		cpio_name(&f, names[n++], 64);
	return n;
}

static void test_valid_and_trailer(void **state)
{
	char names[8][64];
	struct cpio_iter it;
	struct cpio_file f;

	memset(&c, 0, sizeof(c));
	cb_entry_magic(&c, "070701", "kernel", 040755, NULL, 0);
	cb_file(&c, "kernel/firmware/acpi/srat.aml", "abcde", 5);
	cb_trailer(&c);
	assert_int_equal(walk(&it, names, 8), 3);
	assert_string_equal(names[0], "kernel");
	assert_string_equal(names[1], "kernel/firmware/acpi/srat.aml");
	assert_string_equal(names[2], "TRAILER!!!");
	assert_int_equal(it.stop, CPIO_STOP_END);

	cpio_iter_init(&it, (struct hs_view){ c.b, c.len });
	assert_int_equal(cpio_next(&it, &f), 1);
	assert_false(cpio_match(&f, "kernel/firmware/acpi/")); /* a directory */
	assert_int_equal(cpio_next(&it, &f), 1);
	assert_true(cpio_match(&f, "kernel/firmware/acpi/"));
	assert_int_equal(f.size, 5);
	assert_memory_equal(f.data, "abcde", 5);
	assert_int_equal(f.hdr_off, 120); /* 110 + "kernel\0", padded */
	assert_int_equal(f.data - c.b, 120 + 110 + 30);
}

/* Zeros between archives are skipped 4 bytes at a time; TRAILER!!! does
 * not end the walk; newc-crc (070702) counts too. */
static void test_concatenated_and_padding(void **state)
{
	char names[8][64];
	struct cpio_iter it;

	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1", 1);
	cb_trailer(&c);
	c.len += 512 - c.len % 512; /* cpio(1)'s block padding */
	cb_entry_magic(&c, "070702", "b", 0100644, "22", 2);
	cb_trailer(&c);
	c.len += 4; /* four more zeros */
	cb_file(&c, "c", "333", 3);
	c.len += 200; /* trailing zeros: more than a header, then too few */
	assert_int_equal(walk(&it, names, 8), 5);
	assert_string_equal(names[2], "b");
	assert_string_equal(names[4], "c");
	assert_int_equal(it.stop, CPIO_STOP_END);
}

static void test_stops(void **state)
{
	char names[8][64];
	struct cpio_iter it;

	/* garbage after the archive: not hex */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1", 1);
	memcpy(c.b + c.len, "\x1f\x8b\x08", 3);
	c.len += 200;
	assert_int_equal(walk(&it, names, 8), 1);
	assert_int_equal(it.stop, CPIO_STOP_NOT_CPIO);
	assert_int_equal(it.stop_off, 116);
	assert_string_equal(cpio_stop_describe(&it), "gzip-compressed data");

	/* a non-hex digit inside a field */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1", 1);
	c.b[20] = 'g';
	assert_int_equal(walk(&it, names, 8), 0);
	assert_int_equal(it.stop, CPIO_STOP_NOT_CPIO);
	assert_string_equal(cpio_stop_describe(&it), "data that is not a cpio header");

	/* odc magic 070707 is hex but not newc */
	memset(&c, 0, sizeof(c));
	cb_entry_magic(&c, "070707", "a", 0100644, "1", 1);
	cb_file(&c, "b", "2", 1);
	assert_int_equal(walk(&it, names, 8), 0);
	assert_int_equal(it.stop, CPIO_STOP_MAGIC);

	/* a truncated header (110 bytes or fewer left) */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1", 1);
	memcpy(c.b + c.len, "070701000000", 12);
	c.len += 60;
	assert_int_equal(walk(&it, names, 8), 1);
	assert_int_equal(it.stop, CPIO_STOP_END);
}

static void test_sizes(void **state)
{
	char names[8][64];
	struct cpio_iter it;

	/* file size beyond the buffer */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1234", 4);
	memcpy(c.b + 54, "00001000", 8); /* filesize field */
	assert_int_equal(walk(&it, names, 8), 0);
	assert_int_equal(it.stop, CPIO_STOP_OVERRUN);

	/* huge name size */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1234", 4);
	memcpy(c.b + 94, "FFFFFFFF", 8); /* namesize field */
	assert_int_equal(walk(&it, names, 8), 0);
	assert_int_equal(it.stop, CPIO_STOP_OVERRUN);

	/* name size 0 is walked over (Linux does not mind) */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "1234", 4);
	memcpy(c.b + 94, "00000000", 8);
	memset(c.b + 110, 0, 4); /* name bytes now read as data start */
	cb_file(&c, "b", "5", 1);
	assert_int_equal(walk(&it, names, 8), 2);
	assert_string_equal(names[0], "");

	/* data ending at the buffer end but not 4-aligned: its padded end is
	 * past the buffer, so Linux's walk stops before it */
	memset(&c, 0, sizeof(c));
	cb_file(&c, "a", "123", 3);
	c.len -= 1;
	assert_int_equal(walk(&it, names, 8), 0);
	assert_int_equal(it.stop, CPIO_STOP_OVERRUN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_and_trailer),
		cmocka_unit_test(test_concatenated_and_padding),
		cmocka_unit_test(test_stops),
		cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests_name("core/cpio", tests, NULL, NULL);
}
