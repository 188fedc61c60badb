/* libFuzzer: any text as hotshim's command line. */
#include "core/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[CLI_MAX_LINE + 8], words[CLI_MAX_LINE];
	char *argv[CLI_MAX_ARGS];
	int argc;
	struct cli c;
	struct hs_err err;

	if (size > CLI_MAX_LINE + 4)
		size = CLI_MAX_LINE + 4;
	for (size_t i = 0; i < size; i++)
		line[i] = data[i] ? (char)data[i] : ' ';
	line[size] = '\0';
	if (cli_split(line, words, sizeof(words), argv, CLI_MAX_ARGS, &argc, &err) == 0)
		cli_parse(argc, argv, &c, &err);
	return 0;
}
