/* main.c: the `cairn` command.  Wiring only: each sub-command lives in
 * src/cli/. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{"init", cli_init, "create or migrate a database"},
	{"demo", cli_demo, "fill a database with a fictional council"},
	{"serve", cli_serve, "serve the pages and the API"},
	{"user", cli_user, "add, list, disable users; reset passwords"},
	{"token", cli_token, "create or revoke API bearer tokens"},
	{"calendar", cli_calendar, "import GOV.UK bank holidays"},
	{"audit", cli_audit, "verify the audit chain"},
	{"scrutiny", cli_scrutiny, "import action plans; progress reports"},
	{"due", cli_due, "statutory timescales: due items, rebuild, check"},
	{"db", cli_db, "what each role's statements read and write"},
	{"migrate", cli_migrate, "copy a whole database into another store"},
	{"backup", cli_backup, "an online copy of a SQLite database"},
};

static void usage(FILE *f)
{
	fputs("usage: cairn COMMAND [OPTIONS]   (cairn COMMAND --help)\n\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
	fputs("\nExit status: 0 success, 1 check failed, 2 usage error, "
	      "3 runtime error.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "cairn: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
