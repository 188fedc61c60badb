/* Tests core/cli.c: splitting and parsing hotshim's command line. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests_name("core/cli", tests, NULL, NULL);
}
