/* Tests core/cli.c: splitting and parsing hotshim's command line. */
/* links: core/cli.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "core/cli.h"

static int run(const char *line, struct cli *c, struct hs_err *err)
{
	static char words[CLI_MAX_LINE];
	char *argv[CLI_MAX_ARGS];
	int argc, r;

	r = cli_split(line, words, sizeof(words), argv, CLI_MAX_ARGS, &argc, err);
	if (r < 0)
		return r;
	return cli_parse(argc, argv, c, err);
}

static void test_commands(void **state)
{
	struct cli c;
	struct hs_err err;

	assert_int_equal(run("", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_USAGE);
	assert_int_equal(run("  help ", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_USAGE);
	assert_int_equal(run("--version", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_VERSION);
	assert_int_equal(run("report --linux\t--x2apic", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_REPORT);
	assert_true(c.linux_log);
	assert_int_equal(c.x2apic, CLI_ON);
	assert_int_equal(run("report --xapic", &c, &err), 0);
	assert_int_equal(c.x2apic, CLI_OFF);
	assert_int_equal(run("report", &c, &err), 0);
	assert_int_equal(c.x2apic, CLI_AUTO);
	assert_false(c.la57);
	assert_int_equal(run("report --la57", &c, &err), 0);
	assert_true(c.la57);
	assert_int_equal(run("\"report\"", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_REPORT);
	assert_false(c.linux_log);
}

static void test_errors(void **state)
{
	struct cli c;
	struct hs_err err;

	assert_int_equal(run("frobnicate", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unknown command 'frobnicate'");
	assert_int_equal(run("--frob", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unknown option '--frob'");
	assert_int_equal(run("report --frob", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unknown option '--frob'");
	assert_int_equal(run("report extra", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'extra'");
	assert_int_equal(run("--version --linux", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unknown option '--linux'");
	assert_int_equal(run("report \"a b", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unterminated quote in argument 2");
}

static void test_limits(void **state)
{
	char line[CLI_MAX_LINE * 2];
	struct cli c;
	struct hs_err err;

	memset(line, 0, sizeof(line));
	for (int i = 0; i < CLI_MAX_ARGS + 1; i++)
		strcat(line, "a ");
	assert_int_equal(run(line, &c, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "more than 32 arguments");
	memset(line, 'x', CLI_MAX_LINE + 10);
	line[CLI_MAX_LINE + 10] = '\0';
	assert_int_equal(run(line, &c, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "command line longer than 1023 bytes");
}

static int conf(const char *text, struct cli *c, struct hs_err *err)
{
	return conf_parse(text, strlen(text), "hotshim.conf", c, err);
}

static void test_boot(void **state)
{
	struct cli c, f;
	struct hs_err err;

	assert_int_equal(run("boot kernel=\\k.elf initrd=\\i.img module=a module=\"b c\" -- "
			     "console=ttyS0 \"x=1 2\"", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_BOOT);
	assert_string_equal(c.kernel, "\\k.elf");
	assert_string_equal(c.initrd[0], "\\i.img");
	assert_int_equal(c.modules, 2);
	assert_string_equal(c.module[1], "b c");
	assert_true(c.has_cmdline);
	assert_string_equal(c.cmdline, "console=ttyS0 x=1 2");
	/* "--" with nothing after it is an empty command line, chosen */
	assert_int_equal(run("boot kernel=k --", &c, &err), 0);
	assert_true(c.has_cmdline);
	assert_string_equal(c.cmdline, "");
	/* report options are not boot options; the report takes boot's
	 * arguments, to plan what boot would do with them */
	assert_int_equal(run("boot --linux", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "unknown option '--linux'");
	assert_int_equal(run("report kernel=k module=m --keep-boot-services -- a b", &c, &err), 0);
	assert_string_equal(c.kernel, "k");
	assert_string_equal(c.module[0], "m");
	assert_true(c.keep_boot_services);
	assert_string_equal(c.cmdline, "a b");
	assert_int_equal(run("boot kernel=", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "kernel= needs a path of 1 to 255 characters");
	assert_int_equal(run("boot module=1 module=2 module=3 module=4 module=5 module=6 "
			     "module=7 module=8 module=9", &c, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "more than 8 module= arguments");

	/* the file: a Boot#### entry boots without typing */
	assert_int_equal(conf("command boot\nkernel \\EFI\\k.elf\nmodule \\m1\nmodule \\m2\n"
			      "cmdline root=/dev/vda  quiet\n", &f, &err), 0);
	assert_int_equal(f.cmd, CLI_BOOT);
	assert_int_equal(f.modules, 2);
	assert_string_equal(f.cmdline, "root=/dev/vda  quiet");
	assert_int_equal(run("", &c, &err), 0);
	cli_merge(&c, &f);
	assert_int_equal(c.cmd, CLI_BOOT);
	assert_string_equal(c.kernel, "\\EFI\\k.elf");
	assert_string_equal(c.module[1], "\\m2");
	assert_string_equal(c.cmdline, "root=/dev/vda  quiet");
	/* the command line's own "--" wins, even when empty */
	assert_int_equal(run("boot kernel=x --", &c, &err), 0);
	cli_merge(&c, &f);
	assert_string_equal(c.kernel, "x");
	assert_string_equal(c.cmdline, "");
}

static void test_conf(void **state)
{
	struct cli c, cl;
	struct hs_err err;

	assert_int_equal(conf("# boot entry config\r\ncommand report\r\n\n"
			      "  initrd  \\boot\\initrd.img   # the initrd\n"
			      "linux-log yes\nx2apic off\npaging 5", &c, &err), 0);
	assert_int_equal(c.cmd, CLI_REPORT);
	assert_true(c.has_cmd);
	assert_string_equal(c.initrd[0], "\\boot\\initrd.img");
	assert_true(c.linux_log);
	assert_int_equal(c.x2apic, CLI_OFF);
	assert_true(c.la57);

	/* the command line wins; what it leaves open comes from the file */
	assert_int_equal(run("report initrd=\\other.img", &cl, &err), 0);
	cli_merge(&cl, &c);
	assert_string_equal(cl.initrd, "\\other.img");
	assert_true(cl.linux_log);
	assert_true(cl.la57);
	assert_int_equal(run("", &cl, &err), 0);
	cli_merge(&cl, &c);
	assert_int_equal(cl.cmd, CLI_REPORT);
	assert_int_equal(run("help", &cl, &err), 0);
	cli_merge(&cl, &c);
	assert_int_equal(cl.cmd, CLI_USAGE);
}

static void test_conf_errors(void **state)
{
	struct cli c;
	struct hs_err err;

	assert_int_equal(conf("command report\nfrobnicate 1\n", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 2: unknown key 'frobnicate'");
	assert_int_equal(conf("\n\ncommand\n", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 3: 'command' needs a value");
	assert_int_equal(conf("command boat\n", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 1: 'boat' is not a value for 'command'");
	assert_int_equal(conf("linux-log maybe", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 1: 'maybe' is not a value for 'linux-log'");
	assert_int_equal(conf("paging 3", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 1: '3' is not a value for 'paging'");
	assert_int_equal(conf("initrd a\001b\n", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 1: control character in the line");
	char big[400];
	memset(big, 'x', sizeof(big));
	memcpy(big, "initrd ", 7);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(conf(big, &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "hotshim.conf line 1: initrd path longer than 255 characters");
	assert_int_equal(run("report initrd=", &c, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "initrd= needs a path of 1 to 255 characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_errors),
	};
	return cmocka_run_group_tests_name("core/cli", tests, NULL, NULL);
}
