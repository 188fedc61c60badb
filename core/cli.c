#include "cli.h"

const char cli_usage[] =
	"usage: hotshim.efi <command> [options]\n"
	"  report [BOOT ARGS]  the SRAT hotplug report, and where boot would put all\n"
	"    initrd=PATH       judge the SRAT override in its cpio as Linux does\n"
	"    --linux           also every SRAT line Linux 6.1 prints\n"
	"    --json            one JSON document (docs/JSON.md)\n"
	"    --x2apic|--xapic  judge APIC ids in that mode (default: the CPU's)\n"
	"    --la57            plan 5-level page tables\n"
	"  boot kernel=PATH [initrd=PATH] [module=PATH ...] [-- CMDLINE]\n"
	"                      a bzImage or an ELF kernel, outside hot-pluggable RAM\n"
	"    --no-movable-node     do not add movable_node to Linux's command line\n"
	"    --keep-boot-services  hand hot-pluggable boot-services memory over as is\n"
	"  list | menu         the entries in \\loader\\entries, or their menu\n"
	"  help | --version\n"
	"PATH: \\dir\\file on hotshim's volume, or a shell path (fs1:\\file).  No\n"
	"command: the default entry or the menu, else \\EFI\\hotshim\\hotshim.conf.\n";


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

/* "key=PATH" into a CLI_MAX_PATH buffer. */
static int path_arg(const char *arg, size_t klen, char *dst, struct hs_err *err)
{
	if (!arg[klen] || hs_strlen(arg + klen) >= CLI_MAX_PATH) {
		hs_err_set(err, "%.*s needs a path of 1 to %d characters", (int)klen, arg,
			   CLI_MAX_PATH - 1);
		return -HS_EINVAL;
	}
	hs_snprintf(dst, CLI_MAX_PATH, "%s", arg + klen);
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
	} else if (!hs_strcmp(argv[0], "boot")) {
		c.cmd = CLI_BOOT;
	} else if (!hs_strcmp(argv[0], "list")) {
		c.cmd = CLI_LIST;
	} else if (!hs_strcmp(argv[0], "menu")) {
		c.cmd = CLI_MENU;
	} else {
		hs_err_set(err, argv[0][0] == '-' ? "unknown option '%s'" : "unknown command '%s'",
			   argv[0]);
		return -HS_EINVAL;
	}
	c.has_cmd = true;
	bool rep = c.cmd == CLI_REPORT, boot = c.cmd == CLI_BOOT;
	for (i = 1; i < argc; i++) {
		if ((rep || boot) && !hs_memcmp(argv[i], "initrd=", 7)) {
			if (c.ninitrd == CLI_MAX_INITRDS) {
				hs_err_set(err, "more than %d initrd= arguments", CLI_MAX_INITRDS);
				return -HS_E2BIG;
			}
			if (path_arg(argv[i], 7, c.initrd[c.ninitrd++], err) < 0)
				return -HS_EINVAL;
		} else if ((rep || boot) && !hs_memcmp(argv[i], "kernel=", 7)) {
			if (path_arg(argv[i], 7, c.kernel, err) < 0)
				return -HS_EINVAL;
		} else if ((rep || boot) && !hs_memcmp(argv[i], "module=", 7)) {
			if (c.modules == CLI_MAX_MODULES) {
				hs_err_set(err, "more than %d module= arguments", CLI_MAX_MODULES);
				return -HS_E2BIG;
			}
			if (path_arg(argv[i], 7, c.module[c.modules++], err) < 0)
				return -HS_EINVAL;
		} else if ((rep || boot) && !hs_strcmp(argv[i], "--no-movable-node")) {
			c.no_movable_node = true;
		} else if ((rep || boot) && !hs_strcmp(argv[i], "--keep-boot-services")) {
			c.keep_boot_services = true;
		} else if ((rep || boot) && !hs_strcmp(argv[i], "--")) {
			size_t o = 0;
			for (i++; i < argc; i++) {
				size_t n = hs_strlen(argv[i]);
				if (o + n + 2 > sizeof(c.cmdline)) {
					hs_err_set(err, "command line longer than %zu bytes",
						   sizeof(c.cmdline) - 1);
					return -HS_E2BIG;
				}
				if (o)
					c.cmdline[o++] = ' ';
				hs_memcpy(c.cmdline + o, argv[i], n);
				o += n;
			}
			c.cmdline[o] = '\0';
			c.has_cmdline = true;
		} else if (rep && !hs_strcmp(argv[i], "--linux")) {
			c.linux_log = true;
		} else if (rep && !hs_strcmp(argv[i], "--json")) {
			c.json = true;
		} else if (rep && !hs_strcmp(argv[i], "--x2apic")) {
			c.x2apic = CLI_ON;
		} else if (rep && !hs_strcmp(argv[i], "--xapic")) {
			c.x2apic = CLI_OFF;
		} else if ((rep || boot) && !hs_strcmp(argv[i], "--la57")) {
			c.la57 = true;
		} else {
			hs_err_set(err, argv[i][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
				   argv[i]);
			return -HS_EINVAL;
		}
	}
	*ret = c;
	return 0;
}

void cli_merge(struct cli *c, const struct cli *conf)
{
	if (!c->has_cmd) {
		c->cmd = conf->cmd;
		c->has_cmd = conf->has_cmd;
	}
	if (!c->ninitrd) {
		for (unsigned i = 0; i < conf->ninitrd; i++)
			hs_snprintf(c->initrd[i], sizeof(c->initrd[i]), "%s", conf->initrd[i]);
		c->ninitrd = conf->ninitrd;
	}
	if (!c->linux_log)
		c->linux_log = conf->linux_log;
	if (c->x2apic == CLI_AUTO)
		c->x2apic = conf->x2apic;
	if (!c->la57)
		c->la57 = conf->la57;
	if (!c->kernel[0])
		hs_snprintf(c->kernel, sizeof(c->kernel), "%s", conf->kernel);
	if (!c->modules) {
		for (unsigned i = 0; i < conf->modules; i++)
			hs_snprintf(c->module[i], sizeof(c->module[i]), "%s", conf->module[i]);
		c->modules = conf->modules;
	}
	if (!c->has_cmdline && conf->has_cmdline) {
		hs_snprintf(c->cmdline, sizeof(c->cmdline), "%s", conf->cmdline);
		c->has_cmdline = true;
	}
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return hs_strlen(s) == n && !hs_memcmp(w, s, n);
}

int conf_parse(const char *text, size_t len, const char *fname, struct cli *ret,
	       struct hs_err *err)
{
	struct cli c = { .cmd = CLI_USAGE };
	size_t pos = 0;
	unsigned lineno = 0;

	while (pos < len) {
		size_t start = pos, end;
		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos++;
		lineno++;
		/* strip comment, CR and blanks */
		for (size_t i = start; i < end; i++)
			if (text[i] == '#') {
				end = i;
				break;
			}
		while (end > start && blank(text[end - 1]))
			end--;
		while (start < end && blank(text[start]))
			start++;
		if (start == end)
			continue;
		size_t k = start;
		while (k < end && !blank(text[k]))
			k++;
		size_t v = k;
		while (v < end && blank(text[v]))
			v++;
		const char *key = text + start, *val = text + v;
		size_t klen = k - start, vlen = end - v;
		for (size_t i = start; i < end; i++)
			if ((unsigned char)text[i] < 0x20 && text[i] != '\t') {
				hs_err_set(err, "%s line %u: control character in the line", fname, lineno);
				return -HS_EINVAL;
			}
		if (vlen == 0) {
			hs_err_set(err, "%s line %u: '%.*s' needs a value", fname, lineno, (int)klen, key);
			return -HS_EINVAL;
		}
		if (word_is(key, klen, "command")) {
			if (word_is(val, vlen, "report"))
				c.cmd = CLI_REPORT;
			else if (word_is(val, vlen, "help"))
				c.cmd = CLI_USAGE;
			else if (word_is(val, vlen, "version"))
				c.cmd = CLI_VERSION;
			else if (word_is(val, vlen, "boot"))
				c.cmd = CLI_BOOT;
			else
				goto bad_value;
			c.has_cmd = true;
		} else if (word_is(key, klen, "initrd") || word_is(key, klen, "kernel") ||
			   word_is(key, klen, "module")) {
			char *dst = key[0] == 'k' ? c.kernel : NULL;
			if (key[0] == 'i') {
				if (c.ninitrd == CLI_MAX_INITRDS) {
					hs_err_set(err, "%s line %u: more than %d initrds", fname,
						   lineno, CLI_MAX_INITRDS);
					return -HS_E2BIG;
				}
				dst = c.initrd[c.ninitrd++];
			} else if (!dst) {
				if (c.modules == CLI_MAX_MODULES) {
					hs_err_set(err, "%s line %u: more than %d modules", fname,
						   lineno, CLI_MAX_MODULES);
					return -HS_E2BIG;
				}
				dst = c.module[c.modules++];
			}
			if (vlen >= CLI_MAX_PATH) {
				hs_err_set(err, "%s line %u: %.*s path longer than %d characters",
					   fname, lineno, (int)klen, key, CLI_MAX_PATH - 1);
				return -HS_EINVAL;
			}
			hs_memcpy(dst, val, vlen);
			dst[vlen] = '\0';
		} else if (word_is(key, klen, "cmdline")) {
			if (vlen >= sizeof(c.cmdline)) {
				hs_err_set(err, "%s line %u: command line longer than %zu characters",
					   fname, lineno, sizeof(c.cmdline) - 1);
				return -HS_EINVAL;
			}
			hs_memcpy(c.cmdline, val, vlen);
			c.cmdline[vlen] = '\0';
			c.has_cmdline = true;
		} else if (word_is(key, klen, "linux-log")) {
			if (word_is(val, vlen, "yes"))
				c.linux_log = true;
			else if (word_is(val, vlen, "no"))
				c.linux_log = false;
			else
				goto bad_value;
		} else if (word_is(key, klen, "x2apic")) {
			if (word_is(val, vlen, "auto"))
				c.x2apic = CLI_AUTO;
			else if (word_is(val, vlen, "on"))
				c.x2apic = CLI_ON;
			else if (word_is(val, vlen, "off"))
				c.x2apic = CLI_OFF;
			else
				goto bad_value;
		} else if (word_is(key, klen, "paging")) {
			if (word_is(val, vlen, "4"))
				c.la57 = false;
			else if (word_is(val, vlen, "5"))
				c.la57 = true;
			else
				goto bad_value;
		} else {
			hs_err_set(err, "%s line %u: unknown key '%.*s'", fname, lineno,
				   (int)HS_MIN(klen, 40), key);
			return -HS_EINVAL;
		}
		continue;
bad_value:
		hs_err_set(err, "%s line %u: '%.*s' is not a value for '%.*s'", fname, lineno,
			   (int)HS_MIN(vlen, 60), val, (int)klen, key);
		return -HS_EINVAL;
	}
	*ret = c;
	return 0;
}
