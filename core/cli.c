#include "cli.h"

const char cli_usage[] =
	"usage: hotshim.efi <command> [options]\n"
	"\n"
	"commands:\n"
	"  report      print the SRAT hotplug report for this machine\n"
	"  help        this text (also -h, --help, or no arguments)\n"
	"  --version   print the version\n"
	"\n"
	"report options:\n"
	"  --linux     also print every line Linux 6.1 prints for the SRAT\n"
	"  --x2apic    judge x2APIC ids as Linux does in x2APIC mode\n"
	"  --xapic     ... or in xAPIC mode (ids of 0xff and up are ignored);\n"
	"              default: the mode the CPU is in now, which Linux keeps\n";

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cli_split(const char *line, char *buf, size_t cap, char **argv, int max, int *ret_argc,
	      struct hs_err *err)
{
	size_t o = 0;
	int argc = 0;
	const char *p = line;

	for (;;) {
		while (blank(*p))
			p++;
		if (!*p)
			break;
		if (argc >= max) {
			hs_err_set(err, "more than %d arguments", max);
			return -HS_E2BIG;
		}
		argv[argc++] = buf + o;
		bool quoted = false;
		while (*p && (quoted || !blank(*p))) {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			if (o + 1 >= cap) {
				hs_err_set(err, "command line longer than %zu bytes", cap - 1);
				return -HS_E2BIG;
			}
			buf[o++] = *p++;
		}
		if (quoted) {
			hs_err_set(err, "unterminated quote in argument %d", argc);
			return -HS_EINVAL;
		}
		if (o + 1 >= cap) {
			hs_err_set(err, "command line longer than %zu bytes", cap - 1);
			return -HS_E2BIG;
		}
		buf[o++] = '\0';
	}
	*ret_argc = argc;
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *ret, struct hs_err *err)
{
	struct cli c = { .cmd = CLI_USAGE };
	int i = 0;

	if (argc == 0) {
		*ret = c;
		return 0;
	}
	if (!hs_strcmp(argv[0], "help") || !hs_strcmp(argv[0], "--help") ||
	    !hs_strcmp(argv[0], "-h")) {
		c.cmd = CLI_USAGE;
	} else if (!hs_strcmp(argv[0], "--version")) {
		c.cmd = CLI_VERSION;
	} else if (!hs_strcmp(argv[0], "report")) {
		c.cmd = CLI_REPORT;
	} else {
		hs_err_set(err, argv[0][0] == '-' ? "unknown option '%s'" : "unknown command '%s'",
			   argv[0]);
		return -HS_EINVAL;
	}
	for (i = 1; i < argc; i++) {
		if (c.cmd == CLI_REPORT && !hs_strcmp(argv[i], "--linux")) {
			c.linux_log = true;
		} else if (c.cmd == CLI_REPORT && !hs_strcmp(argv[i], "--x2apic")) {
			c.x2apic = CLI_ON;
		} else if (c.cmd == CLI_REPORT && !hs_strcmp(argv[i], "--xapic")) {
			c.x2apic = CLI_OFF;
		} else {
			hs_err_set(err, argv[i][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
				   argv[i]);
			return -HS_EINVAL;
		}
	}
	*ret = c;
	return 0;
}
