/* main.c: the `cairn` command.  Wiring only. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("cairn: not yet\n", stderr);
	return 2;
}
