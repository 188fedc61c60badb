/* Tests core/entries.c: Type #1 entries, loader.conf, systemd's version
 * order, boot counting names, globs and the default, as systemd-boot 252
 * has them. */
/* links: core/entries.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "core/entries.h"

static void test_vercmp(void **state)
{
	/* a < b in each row, as systemd 252's strverscmp_improved() orders
	 * them (the UAPI version format's examples, Debian's kernels) */
	static const char *const less[][2] = {
		{ "1.0~rc1", "1.0" }, { "1.0", "1.0.1" }, { "123-9", "123.1-1" },
		{ "1.0", "1.0^" }, { "a", "1" }, { "1.0.1", "1.0a" }, { "abc", "abd" },
		{ "6.1.0-9-amd64", "6.1.0-27-amd64" }, { "6.1.0-27-amd64", "6.1.76-1" },
		{ "", "0" }, { "1.3", "1_2" }, { "A", "a" }, { "1.0~rc1", "1.0~rc2" },
		{ "foo.conf", "foo+2-1.conf" }, { "9", "10" }, { "1.0-", "1.0.0" },
	};

	for (size_t i = 0; i < HS_ARRAY_SIZE(less); i++) {
		if (entry_vercmp(less[i][0], less[i][1]) >= 0 ||
		    entry_vercmp(less[i][1], less[i][0]) <= 0)
			fail_msg("'%s' < '%s' does not hold", less[i][0], less[i][1]);
	}
	assert_int_equal(entry_vercmp("001", "1"), 0);
	assert_int_equal(entry_vercmp("1_2", "1 2"), 0); /* other characters separate only */
	assert_int_equal(entry_vercmp("", ""), 0);
	assert_int_equal(entry_vercmp("1..", "1.."), 0);
	(void)state;
}

static void test_count(void **state)
{
	struct entry e;

	entry_count("foo+3.conf", &e);
	assert_int_equal(e.tries_left, 3);
	assert_int_equal(e.tries_done, 0);
	assert_string_equal(e.id, "foo.conf");
	assert_string_equal(e.next, "foo+2-1.conf");
	entry_count("a+b+1-2.CONF", &e);
	assert_int_equal(e.tries_left, 1);
	assert_string_equal(e.id, "a+b.CONF");
	assert_string_equal(e.next, "a+b+0-3.CONF");
	/* no tries left: it still counts what was done */
	entry_count("x+0-3.conf", &e);
	assert_string_equal(e.next, "x+0-4.conf");
	static const char *const none[] = { "foo.conf", "foo+.conf", "foo+3-.conf", "foo+x.conf",
					     "foo+3-1.conf.bak", "foo+1234567.conf", "foo+3" };
	for (size_t i = 0; i < HS_ARRAY_SIZE(none); i++) {
		entry_count(none[i], &e);
		assert_int_equal(e.tries_left, ENTRY_NO_COUNT);
		assert_string_equal(e.id, none[i]);
		assert_string_equal(e.next, "");
	}
	(void)state;
}

static void test_glob(void **state)
{
	assert_true(entry_glob("debian-*", "debian-6.1.0-27.conf"));
	assert_true(entry_glob("DEBIAN-*.CONF", "debian-6.1.0-27.conf"));
	assert_true(entry_glob("d?bian*", "debian"));
	assert_true(entry_glob("[a-c]x", "Bx"));
	assert_true(entry_glob("\\*x", "*x"));
	assert_true(entry_glob("**", ""));
	assert_true(entry_glob("a[", "a["));
	assert_false(entry_glob("\\*x", "ax"));
	assert_false(entry_glob("debian-*", "ubuntu.conf"));
	assert_false(entry_glob("[a-c]x", "dx"));
	assert_false(entry_glob("?", ""));
	assert_false(entry_glob("a", "ab"));
	(void)state;
}

static struct entry e[6];

static void make(struct entry *x, const char *file, const char *sort_key, const char *version)
{
	memset(x, 0, sizeof(*x));
	entry_count(file, x);
	snprintf(x->sort_key, sizeof(x->sort_key), "%s", sort_key);
	snprintf(x->version, sizeof(x->version), "%s", version);
}

static void test_order_and_default(void **state)
{
	make(&e[0], "old.conf", "", "");
	make(&e[1], "debian-6.1.0-9.conf", "debian", "6.1.0-9-amd64");
	make(&e[2], "debian-6.1.0-27+0-3.conf", "debian", "6.1.0-27-amd64"); /* no tries left */
	make(&e[3], "debian-6.1.0-28+2.conf", "debian", "6.1.0-28-amd64");
	make(&e[4], "arch.conf", "arch", "1");
	make(&e[5], "zzz.conf", "", "");
	entries_sort(e, 6);
	/* sort-key up, version down, without sort-key after by id down, no
	 * tries left last */
	static const char *const order[] = { "arch.conf", "debian-6.1.0-28+2.conf",
					      "debian-6.1.0-9.conf", "zzz.conf", "old.conf",
					      "debian-6.1.0-27+0-3.conf" };
	for (int i = 0; i < 6; i++)
		assert_string_equal(e[i].file, order[i]);
	/* one-shot over LoaderEntryDefault over loader.conf over the first;
	 * a pattern matching nothing falls through; ids without counters */
	assert_int_equal(entries_default(e, 6, NULL, NULL, NULL), 0);
	assert_int_equal(entries_default(e, 6, NULL, NULL, "debian-*"), 1);
	assert_int_equal(entries_default(e, 6, NULL, "old.conf", "debian-*"), 4);
	assert_int_equal(entries_default(e, 6, "zzz.conf", "old.conf", "debian-*"), 3);
	assert_int_equal(entries_default(e, 6, "nothing*", NULL, "debian-6.1.0-28.conf"), 1);
	assert_int_equal(entries_default(e, 6, NULL, NULL, "debian-6.1.0-28+2.conf"), 1);
	assert_int_equal(entries_default(e, 0, NULL, NULL, NULL), -1);
	/* with counters and otherwise equal: more tries left, then fewer done */
	make(&e[0], "k+1-1.conf", "", "");
	make(&e[1], "k+2-0.conf", "", "");
	assert_true(entry_compare(&e[1], &e[0]) < 0);
	make(&e[0], "k+2-1.conf", "", "");
	assert_true(entry_compare(&e[1], &e[0]) < 0);
	(void)state;
}

/* 200 entries of random names, versions and counters come out in order. */
static void test_sort_many(void **state)
{
	static struct entry many[200];
	uint32_t r = 7;

	for (int i = 0; i < 200; i++) {
		char f[64], v[32];
		r = r * 1103515245u + 12345u;
		snprintf(f, sizeof(f), "e%u%s.conf", (r >> 8) % 1000 * 1000 + (unsigned)i,
			 r & 1 ? "" : (r & 2 ? "+0-3" : "+2"));
		snprintf(v, sizeof(v), "%u.%u-%u", (r >> 4) % 3, (r >> 6) % 11, (r >> 9) % 30);
		make(&many[i], f, (r >> 12) % 3 ? "debian" : "", v);
	}
	entries_sort(many, 200);
	for (int i = 1; i < 200; i++)
		if (entry_compare(&many[i - 1], &many[i]) > 0)
			fail_msg("%s before %s", many[i - 1].file, many[i].file);
	(void)state;
}

static void test_parse(void **state)
{
	static struct entry x;
	struct entry_notes n;
	struct hs_err err = { "" };
	const char text[] =
		"# Boot Loader Specification type#1 entry\r\n"
		"title      Debian GNU/Linux 12 (bookworm)\r\n"
		"version    6.1.0-27-amd64\r\n"
		"machine-id 0123456789abcdef0123456789abcdef\r\n"
		"sort-key   debian\r\n"
		"linux      /6.1.0-27/vmlinuz\r\n"
		"initrd     /srat-override.cpio\r\n"
		"initrd     \\6.1.0-27\\initrd.img\r\n"
		"options    root=/dev/vda2 ro\r\n"
		"options    quiet\r\n"
		"devicetree /ignored.dtb\r\n"
		"title      Debian 12\r\n";

	assert_int_equal(entry_parse(text, sizeof(text) - 1, "debian+3.conf", &x, &n, &err), 0);
	assert_string_equal(x.title, "Debian 12");
	assert_string_equal(x.kernel, "\\6.1.0-27\\vmlinuz");
	assert_int_equal(x.ninitrd, 2);
	assert_string_equal(x.initrd[0], "\\srat-override.cpio");
	assert_string_equal(x.initrd[1], "\\6.1.0-27\\initrd.img");
	assert_string_equal(x.options, "root=/dev/vda2 ro quiet");
	assert_string_equal(x.id, "debian.conf");
	assert_int_equal(x.tries_left, 3);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.line[0], "debian+3.conf line 12: 'title' again: this one wins");

	/* the ways a file is no entry: one line each, naming the line */
	assert_int_equal(entry_parse("", 0, "empty.conf", &x, &n, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "empty.conf: no 'linux' line, nothing to boot");
	assert_int_equal(entry_parse("title x\nlinux /a\0b\n", 18, "bin.conf", &x, &n, &err),
			 -HS_EINVAL);
	assert_string_equal(err.msg, "bin.conf line 2: binary data (a NUL byte), not an entry");
	assert_int_equal(entry_parse("linux /k\narchitecture aa64\n", 26, "arm.conf", &x, &n, &err),
			 -HS_EINVAL);
	assert_string_equal(err.msg, "arm.conf: for architecture aa64, not x64");
	assert_int_equal(entry_parse("linux \n", 7, "nopath.conf", &x, &n, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "nopath.conf line 1: linux needs a path of 1 to 254 characters");
	static char big[ENTRY_MAX_FILE_BYTES + 1];
	memset(big, '#', sizeof(big));
	assert_int_equal(entry_parse(big, sizeof(big), "big.conf", &x, &n, &err), -HS_E2BIG);
	char many[400] = "linux /k\n";
	for (int i = 0; i <= CLI_MAX_INITRDS; i++)
		strcat(many, "initrd /i\n");
	assert_int_equal(entry_parse(many, strlen(many), "many.conf", &x, &n, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "many.conf line 10: more than 8 initrds");
	/* a title defaults to the id */
	assert_int_equal(entry_parse("linux k", 7, "plain+1-2.conf", &x, &n, &err), 0);
	assert_string_equal(x.title, "plain.conf");
	assert_string_equal(x.kernel, "\\k");
	(void)state;
}

static void test_loader_conf(void **state)
{
	struct loader_conf c;
	struct hs_err err = { "" };
	const char t[] = "# loader.conf\ndefault  debian-*\ntimeout 5\nconsole-mode max\neditor no\n";

	assert_int_equal(loader_conf_parse(t, sizeof(t) - 1, "loader.conf", &c, &err), 0);
	assert_string_equal(c.default_pattern, "debian-*");
	assert_int_equal(c.timeout, 5);
	assert_string_equal(c.console_mode, "max");
	assert_int_equal(loader_conf_parse("timeout menu-force", 18, "l", &c, &err), 0);
	assert_int_equal(c.timeout, LOADER_MENU_FORCE);
	assert_int_equal(loader_conf_parse("timeout menu-hidden", 19, "l", &c, &err), 0);
	assert_int_equal(c.timeout, 0);
	assert_int_equal(loader_conf_parse("", 0, "l", &c, &err), 0);
	assert_int_equal(c.timeout, LOADER_TIMEOUT_UNSET);
	assert_int_equal(loader_conf_parse("\ntimeout 5s\n", 12, "l", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "l line 2: timeout '5s' is not a number of seconds, menu-force "
				     "or menu-hidden");
	/* a timeout at the very end of the file is read within it (the
	 * fuzzer found a read past it); digits beyond the slice do not count */
	char *t2 = malloc(10);
	memcpy(t2, "timeout 5", 9);
	t2[9] = '9';
	assert_int_equal(loader_conf_parse(t2, 9, "l", &c, &err), 0);
	assert_int_equal(c.timeout, 5);
	free(t2);
	assert_int_equal(loader_conf_parse("timeout 1234567", 15, "l", &c, &err), -HS_EINVAL);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_order_and_default),
		cmocka_unit_test(test_sort_many),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_loader_conf),
	};
	return cmocka_run_group_tests_name("core/entries", tests, NULL, NULL);
}
