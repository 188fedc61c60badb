/* hotshim's command line: split, then parsed into a command. */
#ifndef HS_CORE_CLI_H
#define HS_CORE_CLI_H

#include "../lib/hs.h"

#define CLI_MAX_ARGS 32
#define CLI_MAX_LINE 1024

enum cli_cmd {
	CLI_USAGE,   /* no arguments, "help", "--help", "-h" */
	CLI_VERSION, /* "--version" */
	CLI_REPORT,  /* "report" */
	CLI_BOOT,    /* "boot": load a kernel and hand off */
	CLI_LIST,    /* "list": the boot entries, in order */
	CLI_MENU,    /* "menu": the boot entries' menu */
};

enum { CLI_AUTO = 0, CLI_ON = 1, CLI_OFF = 2 };

#define CLI_MAX_PATH 256
#define CLI_MAX_MODULES 8
#define CLI_MAX_INITRDS 8

struct cli {
	enum cli_cmd cmd;
	bool has_cmd;             /* a command was given (not just defaults) */
	bool linux_log;
	bool json;                /* report: JSON instead of text */
	int x2apic; /* CLI_AUTO: as the CPU is now; else CLI_ON / CLI_OFF */
	bool la57;  /* 5-level page tables (the CPU must have LA57) */
	/* initrd= may repeat: the files are concatenated in order, as the
	 * Linux EFI stub does (drivers/firmware/efi/libstub/file.c) */
	char initrd[CLI_MAX_INITRDS][CLI_MAX_PATH];
	unsigned ninitrd;
	/* boot */
	char kernel[CLI_MAX_PATH];
	char module[CLI_MAX_MODULES][CLI_MAX_PATH];
	unsigned modules;
	char cmdline[CLI_MAX_LINE];
	bool has_cmdline;          /* "--" given (an empty line is a choice) */
	bool no_movable_node;      /* bzImage: do not append movable_node */
	bool keep_boot_services;   /* bzImage: hand over boot-services memory as is */
	bool quiet;                /* one summary line instead of the plan (boot entries) */
};

/* The configuration file, for starts without a shell. */
#define CONF_PATH "\\EFI\\hotshim\\hotshim.conf"

/*
 * Parses "key value" lines ('#' starts a comment) into defaults:
 *   command  report | help | version
 *   initrd   PATH on hotshim's volume (may repeat: concatenated)
 *   linux-log  yes | no
 *   x2apic   auto | on | off
 *   paging   4 | 5
 *   kernel   PATH          (boot)
 *   module   PATH          (boot; may repeat)
 *   cmdline  the rest of the line (boot)
 * A bad line is an error naming the file, the line and why.
 */
int conf_parse(const char *text, size_t len, const char *fname, struct cli *ret,
	       struct hs_err *err);

/* Command line over configuration: what the command line says wins. */
void cli_merge(struct cli *cmdline, const struct cli *conf);

/* Splits a command line into words (blanks separate; double quotes group;
 * a backslash is an ordinary character, it is the path separator).  The
 * words point into buf, which the caller provides. */
int cli_split(const char *line, char *buf, size_t cap, char **argv, int max, int *ret_argc,
	      struct hs_err *err);

/* Parses words (argv[0] is the first argument, not the program). */
int cli_parse(int argc, char **argv, struct cli *ret, struct hs_err *err);

extern const char cli_usage[];

#endif
