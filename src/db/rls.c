/*
 * rls.c: the council a connection acts for (db_set_council, D43).
 * Backend-neutral: only remembered here; the PostgreSQL back end sends
 * it to the server for row-level security (postgres.c, "Councils").
 */
#include "db/db_int.h"

#include <stdio.h>
#include <string.h>

void db_set_council(struct db_conn *c, const char *council)
{
	if (council == NULL)
		council = "";
	if (strlen(council) >= sizeof(c->council) ||
	    strcmp(council, "*") == 0) {
		/* too long to be a council, or the back end's word for
		 * "every council" (DB_ROLE_SYSTEM's): one that matches no
		 * row, never a truncation that could name another council */
		snprintf(c->council, sizeof(c->council), "!");
		return;
	}
	snprintf(c->council, sizeof(c->council), "%s", council);
}

const char *db_council(const struct db_conn *c)
{
	return c->council;
}
