/* Tests core/entries.c: Type #1 entries, loader.conf, systemd's version
 * order, boot counting names, globs and the default, as systemd-boot 252
 * has them. */
/* links: core/entries.c lib/fmt.c */
#include <dlfcn.h>
#include <glob.h>

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

/* The reference itself: systemd's strverscmp_improved() from Debian's
 * libsystemd-shared (tools/deps.sh installs it), on 300,000 strings made
 * of the characters the order cares about. */
static void test_vercmp_against_systemd(void **state)
{
	glob_t g;

	if (glob("/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-*.so", 0, NULL, &g) ||
	    !g.gl_pathc)
		fail_msg("libsystemd-shared is not installed (tools/deps.sh installs it)");
	void *lib = dlopen(g.gl_pathv[0], RTLD_NOW | RTLD_LOCAL);
	globfree(&g);
	if (!lib)
		fail_msg("dlopen: %s", dlerror());
	int (*ref)(const char *, const char *) =
		(int (*)(const char *, const char *))dlsym(lib, "strverscmp_improved");
	if (!ref)
		fail_msg("no strverscmp_improved in libsystemd-shared: %s", dlerror());
	static const char chars[] = "0019aZz.-~^_+ ";
	uint32_t r = 1;
	for (int n = 0; n < 300000; n++) {
		char a[12], b[12];
		for (int s = 0; s < 2; s++) {
			char *x = s ? b : a;
			r = r * 1103515245u + 12345u;
			int len = (int)((r >> 16) % 11);
			for (int i = 0; i < len; i++) {
				r = r * 1103515245u + 12345u;
				x[i] = chars[(r >> 16) % (sizeof(chars) - 1)];
			}
			x[len] = '\0';
		}
		int want = ref(a, b), got = entry_vercmp(a, b);
		want = (want > 0) - (want < 0);
		if (want != got)
			fail_msg("'%s' vs '%s': systemd %d, hotshim %d", a, b, want, got);
	}
	dlclose(lib);
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
	entry_count("a+b+1-2.conf", &e);
	assert_int_equal(e.tries_left, 1);
	assert_string_equal(e.id, "a+b.conf");
	assert_string_equal(e.next, "a+b+0-3.conf");
	entry_count("big+2147483647.conf", &e);
	assert_int_equal(e.tries_left, 2147483647);
	/* no tries left: it still counts what was done */
	entry_count("x+0-3.conf", &e);
	assert_string_equal(e.next, "x+0-4.conf");
	/* systemd-boot 252 reads the suffix as written and counters up to
	 * INT_MAX; a name whose next name would not fit is not counted */
	static const char *const none[] = {
		"foo.conf", "foo+.conf", "foo+3-.conf", "foo+x.conf", "foo+3-1.conf.bak",
		"foo+2147483648.conf", "foo+3", "foo+1.CONF",
		"a-very-long-name-that-takes-up-almost-all-of-the-room-a-file-name-has-here-"
		"and-then-some-more-padding-to-reach-the-limit+3.conf" };
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
	assert_false(entry_glob("a[", "a["));   /* an unclosed set matches nothing */
	assert_false(entry_glob("a\\", "a\\")); /* nor does a trailing escape */
	assert_true(entry_glob("[]a]x", "]x"));   /* ']' first in a set is literal */
	assert_true(entry_glob("[\\]]x", "]x"));
	assert_true(entry_glob("[a-]x", "-x"));   /* '-' last is literal */
	assert_true(entry_glob("a*b*c", "axxbyyc"));
	assert_true(entry_glob("*.conf", "x.conf"));
	assert_false(entry_glob("*.conf", "x.con"));
	assert_true(entry_glob("a*b*b", "abbb"));
	/* no backtracking: a glob that backtracks at each star takes minutes
	 * on this (the reviewer's measure: over 100 s with six stars) */
	char many[121];
	memset(many, 'a', 120);
	many[120] = '\0';
	assert_false(entry_glob("*a*a*a*a*a*a*a*a*b", many));
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
	/* ids are whole file names in systemd-boot 252, counters included, and
	 * compared in lower case as versions, the newest first */
	make(&e[0], "k+1-1.conf", "", "");
	make(&e[1], "k+2-0.conf", "", "");
	assert_true(entry_compare(&e[1], &e[0]) < 0);
	make(&e[0], "K+3.conf", "", "");
	assert_true(entry_compare(&e[0], &e[1]) < 0);
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
	struct entry_notes n;
	struct hs_err err = { "" };
	const char t[] = "# loader.conf\ndefault  debian-*\ntimeout 5\nconsole-mode max\neditor no\n";

	assert_int_equal(loader_conf_parse(t, sizeof(t) - 1, "loader.conf", &c, &n, &err), 0);
	assert_string_equal(c.default_pattern, "debian-*");
	assert_int_equal(c.timeout, 5);
	assert_string_equal(c.console_mode, "max");
	assert_int_equal(loader_conf_parse("timeout menu-force", 18, "l", &c, &n, &err), 0);
	assert_int_equal(c.timeout, LOADER_MENU_FORCE);
	assert_int_equal(loader_conf_parse("timeout menu-hidden", 19, "l", &c, &n, &err), 0);
	assert_int_equal(c.timeout, 0);
	assert_int_equal(loader_conf_parse("", 0, "l", &c, &n, &err), 0);
	assert_int_equal(c.timeout, LOADER_TIMEOUT_UNSET);
	/* a bad line is a note and ignored, the rest still counts */
	assert_int_equal(loader_conf_parse("\ntimeout 5s\ndefault x*\n", 22, "l", &c, &n, &err), 0);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.line[0], "l line 2: timeout is not a number of seconds, menu-force or "
				       "menu-hidden; ignored");
	assert_int_equal(c.timeout, LOADER_TIMEOUT_UNSET);
	assert_string_equal(c.default_pattern, "x*");
	/* quotes are taken off, as systemd-boot does */
	assert_int_equal(loader_conf_parse("default \"debian-*\"", 18, "l", &c, &n, &err), 0);
	assert_string_equal(c.default_pattern, "debian-*");
	/* binary data: an error, and the defaults */
	assert_int_equal(loader_conf_parse("timeout 3\ndefault a\0", 21, "l", &c, &n, &err), -HS_EINVAL);
	assert_int_equal(c.timeout, LOADER_TIMEOUT_UNSET);
	/* a timeout at the very end of the file is read within it (the
	 * fuzzer found a read past it); digits beyond the slice do not count */
	char *t2 = malloc(10);
	memcpy(t2, "timeout 5", 9);
	t2[9] = '9';
	assert_int_equal(loader_conf_parse(t2, 9, "l", &c, &n, &err), 0);
	assert_int_equal(c.timeout, 5);
	free(t2);
	assert_int_equal(loader_conf_parse("timeout 1234567", 15, "l", &c, &n, &err), 0);
	assert_int_equal(n.count, 1);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp),
		cmocka_unit_test(test_vercmp_against_systemd),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_order_and_default),
		cmocka_unit_test(test_sort_many),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_loader_conf),
	};
	return cmocka_run_group_tests_name("core/entries", tests, NULL, NULL);
}
