/* Tests lib/fmt.c: Linux's %#x rules, widths, sizes, truncation. */
/* links: lib/fmt.c */
#include "test/unit/helpers.h"

static void expect(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	size_t n = hs_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_linux_hex(void **state)
{
	/* lib/vsprintf.c: "0x" even for zero, counted in the width */
	expect("0x00000000", "%#010llx", 0ull);
	expect("0x0009ffff", "%#010llx", 0x9ffffull);
	expect("0x17fffffff", "%#010llx", 0x17fffffffull);
	expect("0xffffffffffffffff", "%#010llx", ~0ull);
	expect("0x0", "%#x", 0);
	expect("0x00", "0x%02x", 0);
	expect("0x0100", "0x%04x", 0x100);
	expect("301", "%x", 0x301);
}

static void test_ints_strings(void **state)
{
	expect("-5|4294967295|  7|7  |007", "%d|%u|%3u|%-3u|%03u", -5, 4294967295u, 7, 7, 7);
	expect("-9223372036854775808", "%lld", (long long)(-9223372036854775807ll - 1));
	expect("[ab   ][  abc][ab]", "[%-5s][%5s][%.2s]", "ab", "abc", "abcdef");
	expect("x%y", "x%%y");
	expect("(null)", "%s", (char *)NULL);
	expect("42", "%zu", (size_t)42);
	/* what no format of hotshim's uses is printed as written */
	expect("%c %+d %o %p %hu", "%c %+d %o %p %hu");
}

/* "%.*s" must not read past the precision: the string need not end there
 * (found by the conf fuzzer). */
static void test_precision_bounds_read(void **state)
{
	char *p = malloc(3);
	char buf[8];

	memcpy(p, "abc", 3); /* no NUL */
	hs_snprintf(buf, sizeof(buf), "%.*s", 3, p);
	assert_string_equal(buf, "abc");
	free(p);
}

static void test_truncation(void **state)
{
	char buf[6];

	assert_int_equal(hs_snprintf(buf, sizeof(buf), "%s", "abcdefgh"), 8);
	assert_string_equal(buf, "abcde");
	assert_int_equal(hs_snprintf(buf, 0, "%s", "abc"), 3);
}

static void test_sizes(void **state)
{
	static const struct {
		uint64_t v;
		const char *s;
	} c[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 1024, "1 KiB" },
		{ 1536, "1.5 KiB" },
		{ 2047ull * HS_MIB + 640 * HS_KIB, "1.9 GiB" },
		{ 512 * HS_MIB, "512 MiB" },
		{ 4 * HS_GIB, "4 GiB" },
		{ 64ull << 40, "64 TiB" },
		{ ~0ull, "15.9 EiB" },
	};
	char buf[32];

	for (size_t i = 0; i < HS_ARRAY_SIZE(c); i++) {
		hs_fmt_size(buf, sizeof(buf), c[i].v);
		assert_string_equal(buf, c[i].s);
	}
}

static void test_strbuf_truncates(void **state)
{
	char b[8];
	struct hs_strbuf sb;
	struct hs_sink s;

	hs_strbuf_init(&sb, b, sizeof(b), &s);
	hs_print(&s, "%s", "0123456789");
	assert_string_equal(b, "0123456");
	assert_true(sb.truncated);
}

/* names packed one after another: each by its index, none past the end */
static void test_nth_name(void **state)
{
	static const char list[] = "a\0bc\0\0";

	assert_string_equal(hs_nth_name("zero\0one\0two\0", 0, "?"), "zero");
	assert_string_equal(hs_nth_name("zero\0one\0two\0", 2, "?"), "two");
	assert_string_equal(hs_nth_name("zero\0one\0two\0", 3, "?"), "?");
	assert_string_equal(hs_nth_name("zero\0one\0two\0", ~0u, "?"), "?");
	assert_ptr_equal(hs_nth_name(list, 1, NULL), list + 2);
	assert_null(hs_nth_name(list, 2, NULL));
	assert_null(hs_nth_name("", 0, NULL));
}

/* overlapping moves both ways, longer than any copy loop's unrolling */
static void test_memmove_overlap(void **state)
{
	char b[300], want[300];

	for (int i = 0; i < 300; i++)
		b[i] = want[i] = (char)i;
	hs_memmove(b, b + 48, 200); /* down, as the logo split's descriptors move */
	memmove(want, want + 48, 200);
	assert_memory_equal(b, want, sizeof(b));
	hs_memmove(b + 48, b, 200); /* up */
	memmove(want + 48, want, 200);
	assert_memory_equal(b, want, sizeof(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_hex),
		cmocka_unit_test(test_ints_strings),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_precision_bounds_read),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_nth_name),
		cmocka_unit_test(test_strbuf_truncates),
		cmocka_unit_test(test_memmove_overlap),
	};
	return cmocka_run_group_tests_name("core/fmt", tests, NULL, NULL);
}
