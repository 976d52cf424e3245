/* demo_cmd.c: `cairn demo` (placeholder until the generator lands). */
#include "cli/cli.h"

#include <stdio.h>

int cli_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("cairn demo: not built yet\n", stderr);
	return CLI_RUNTIME;
}
