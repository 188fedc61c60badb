/* Tests lib/json.c: layout, nesting, escapes, the lines sink. */
/* links: lib/json.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "lib/json.h"

static void test_layout(void **state)
{
	struct outbuf *o = outbuf_new();
	struct hs_json j;

	hs_json_init(&j, &o->sink);
	hs_json_open(&j, NULL, '{');
	hs_json_raw(&j, "\"a\": %u, \"b\": \"%#llx\"", 1u, 0ull);
	hs_json_open(&j, "empty", '[');
	hs_json_close(&j, ']');
	hs_json_open(&j, "list", '[');
	hs_json_str(&j, NULL, "x");
	hs_json_str(&j, NULL, NULL);
	hs_json_open(&j, NULL, '{');
	hs_json_close(&j, '}');
	hs_json_close(&j, ']');
	hs_json_close(&j, '}');
	assert_string_equal(o->text, "{\n"
				     "  \"a\": 1, \"b\": \"0x0\",\n"
				     "  \"empty\": [],\n"
				     "  \"list\": [\n"
				     "    \"x\",\n"
				     "    null,\n"
				     "    {}\n"
				     "  ]\n"
				     "}\n");
}

/* OEM IDs are bytes, not UTF-8: everything outside printable ASCII, and
 * the two JSON specials, escaped */
static void test_escapes(void **state)
{
	struct outbuf *o = outbuf_new();
	struct hs_json j;

	hs_json_init(&j, &o->sink);
	hs_json_open(&j, NULL, '[');
	hs_json_str(&j, NULL, "a\"b\\c\n\x01\x7f\xff~");
	hs_json_close(&j, ']');
	assert_string_equal(o->text, "[\n  \"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u00ff~\"\n]\n");
}

static void test_lines(void **state)
{
	struct outbuf *o = outbuf_new();
	struct hs_json j;
	struct hs_sink ls;

	hs_json_init(&j, &o->sink);
	hs_json_open(&j, NULL, '{');
	hs_json_open(&j, "warnings", '[');
	hs_json_lines(&j, &ls);
	hs_println(&ls, "warning: %s", "one");
	hs_println(&ls, "warning: \"%u\"", 2u);
	hs_json_close(&j, ']');
	hs_json_close(&j, '}');
	assert_string_equal(o->text, "{\n  \"warnings\": [\n    \"warning: one\",\n"
				     "    \"warning: \\\"2\\\"\"\n  ]\n}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests_name("lib/json", tests, NULL, NULL);
}
