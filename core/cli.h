/* hotshim's command line: split, then parsed into a command. */
#ifndef HS_CORE_CLI_H
#define HS_CORE_CLI_H

#include "hs.h"

#define CLI_MAX_ARGS 32
#define CLI_MAX_LINE 1024

enum cli_cmd {
	CLI_USAGE,   /* no arguments, "help", "--help", "-h" */
	CLI_VERSION, /* "--version" */
	CLI_REPORT,  /* "report" */
};

enum { CLI_AUTO = 0, CLI_ON = 1, CLI_OFF = 2 };

struct cli {
	enum cli_cmd cmd;
	bool linux_log;
	int x2apic; /* CLI_AUTO: as the CPU is now; else CLI_ON / CLI_OFF */
};

/* Splits a command line into words (blanks separate; double quotes group;
 * a backslash is an ordinary character, it is the path separator).  The
 * words point into buf, which the caller provides. */
int cli_split(const char *line, char *buf, size_t cap, char **argv, int max, int *ret_argc,
	      struct hs_err *err);

/* Parses words (argv[0] is the first argument, not the program). */
int cli_parse(int argc, char **argv, struct cli *ret, struct hs_err *err);

extern const char cli_usage[];

#endif
