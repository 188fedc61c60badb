/* Tests core/menu.c: what each key does, and the menu's text. */
/* links: core/menu.c core/entries.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "core/menu.h"

static struct entry e[3];

static void test_keys(void **state)
{
	struct menu m = { .n = 3, .highlight = 1, .def = 1 };
	const struct menu_key up = { MENU_SCAN_UP, 0 }, down = { MENU_SCAN_DOWN, 0 };

	assert_int_equal(menu_key(&m, up), MENU_NOTHING);
	assert_int_equal(m.highlight, 0);
	assert_int_equal(menu_key(&m, up), MENU_NOTHING); /* wraps */
	assert_int_equal(m.highlight, 2);
	assert_int_equal(menu_key(&m, down), MENU_NOTHING);
	assert_int_equal(m.highlight, 0);
	assert_int_equal(menu_key(&m, (struct menu_key){ MENU_SCAN_END, 0 }), MENU_NOTHING);
	assert_int_equal(m.highlight, 2);
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, 'k' }), MENU_NOTHING);
	assert_int_equal(m.highlight, 1);
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, '\r' }), MENU_BOOT);
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, 'r' }), MENU_REPORT);
	assert_int_equal(menu_key(&m, (struct menu_key){ MENU_SCAN_ESC, 0 }), MENU_EXIT);
	/* a digit highlights its entry; one past the last does nothing */
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, '3' }), MENU_NOTHING);
	assert_int_equal(m.highlight, 2);
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, '4' }), MENU_NOTHING);
	assert_int_equal(m.highlight, 2);
	/* no entries: only Esc does anything */
	m.n = 0;
	assert_int_equal(menu_key(&m, (struct menu_key){ 0, '\r' }), MENU_NOTHING);
	assert_int_equal(menu_key(&m, (struct menu_key){ MENU_SCAN_ESC, 0 }), MENU_EXIT);
	(void)state;
}

static void test_draw(void **state)
{
	struct outbuf *o = outbuf_new();
	struct menu m = { .n = 3, .highlight = 0, .def = 1 };

	entry_count("a+0-3.conf", &e[0]);
	snprintf(e[0].title, sizeof(e[0].title), "Debian GNU/Linux 12");
	snprintf(e[0].version, sizeof(e[0].version), "6.1.0-28-amd64");
	entry_count("b.conf", &e[1]);
	snprintf(e[1].title, sizeof(e[1].title), "Old");
	entry_count("c.conf", &e[2]);
	snprintf(e[2].title, sizeof(e[2].title), "Other");
	menu_draw(&m, e, &o->sink);
	assert_string_equal(o->text,
		"hotshim 0.1.0 boot menu\n"
		" > 1  Debian GNU/Linux 12 (6.1.0-28-amd64)             (no tries left)\n"
		"   2  Old                                              * default\n"
		"   3  Other\n"
		"Up/Down or 1-9: choose, Enter: boot, r: hotshim's report for it, Esc: back to "
		"the firmware\n");
	o = outbuf_new();
	m.n = 0;
	menu_draw(&m, e, &o->sink);
	assert_non_null(strstr(o->text, "   (no entry in \\loader\\entries can be booted)\n"));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_draw),
	};
	return cmocka_run_group_tests_name("core/menu", tests, NULL, NULL);
}
