/*
 * pg_sql.c: the SQL the PostgreSQL back end sends, and what its errors
 * mean (see postgres.c's head for the statements' life).
 *
 * The rewrite.  `?N` placeholders become `$N`, and the words of the
 * dialect table (below) are replaced, outside string literals and quoted
 * names.  Migration scripts get the same rewrite, so a dialect
 * difference is one entry in that table, never an `if` in a module.
 *
 * Errors are mapped from SQLSTATE (pg_result_rc): class 23 is a
 * constraint; 40001, 40P01 (retried outside a transaction) and 55P03
 * busy; 42501 denied; 53100 full; class 08 and 58 the storage.  The
 * message kept for db_errmsg is the primary message only, never DETAIL
 * (which quotes key values, so could quote personal data), and for
 * class 22 (a value the type refused, quoted in the message) only the
 * code.
 */
#include "db/pg_int.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The dialect table: whole words of SQLite's dialect and what they are
 * on PostgreSQL.  Our SQL is otherwise the subset the two share (D1).
 */
static const struct {
	const char *from, *to;
} dialect[] = {
	/* SQLite's INTEGER is 64 bits, PostgreSQL's 32: ids, counts and
	 * epoch times must not end at 2^31 */
	{"INTEGER", "BIGINT"},
	/* binary strings (draft nonces and ciphertext) */
	{"BLOB", "BYTEA"},
};

static bool word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Rewrites sql for PostgreSQL (see the file's head) into a new string;
 * *nparams gets the highest placeholder number. */
char *pg_rewrite(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = xmalloc(n * 2 + 16);
	size_t o = 0;
	int maxp = 0;
	for (size_t i = 0; i < n;) {
		char ch = sql[i];
		if (ch == '\'' || ch == '"') {
			/* a literal or quoted name, copied to its end ('' and
			 * "" are the quote itself) */
			out[o++] = sql[i++];
			while (i < n) {
				out[o++] = sql[i];
				if (sql[i++] == ch) {
					if (i < n && sql[i] == ch) {
						out[o++] = sql[i++];
						continue;
					}
					break;
				}
			}
			continue;
		}
		if (ch == '?') {
			out[o++] = '$';
			i++;
			int v = 0;
			while (i < n && sql[i] >= '0' && sql[i] <= '9') {
				v = v * 10 + (sql[i] - '0');
				out[o++] = sql[i++];
			}
			if (v > maxp)
				maxp = v;
			continue;
		}
		if (word_char(ch) && (i == 0 || !word_char(sql[i - 1]))) {
			size_t e = i;
			while (e < n && word_char(sql[e]))
				e++;
			const char *to = NULL;
			for (size_t k = 0; k < sizeof(dialect) / sizeof(dialect[0]);
			     k++)
				if (strlen(dialect[k].from) == e - i &&
				    strncmp(dialect[k].from, sql + i, e - i) == 0)
					to = dialect[k].to;
			if (to != NULL) {
				size_t tl = strlen(to);
				memcpy(out + o, to, tl);
				o += tl;
			} else {
				memcpy(out + o, sql + i, e - i);
				o += e - i;
			}
			i = e;
			continue;
		}
		out[o++] = sql[i++];
	}
	out[o] = '\0';
	*nparams = maxp;
	return out;
}

/* True when sql may write: anything but a SELECT (or a WITH that does
 * not insert, update or delete). */
bool pg_may_write(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	if (strncasecmp(sql, "SELECT", 6) == 0)
		return false;
	if (strncasecmp(sql, "WITH", 4) == 0)
		return strstr(sql, "INSERT") || strstr(sql, "UPDATE") ||
		       strstr(sql, "DELETE");
	return true;
}

/* The db_err for a failed result on c; keeps the message (see the head)
 * and notes a failure of the storage. */
int pg_result_rc(struct pg_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	const char *primary =
		res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (state == NULL) {
		/* no answer from the server: the connection is gone */
		snprintf(c->msg, sizeof(c->msg), "%s",
			 PQstatus(c->h) == CONNECTION_OK ? "no result"
							 : "connection lost");
		c->base.storage_failed = true;
		return DB_EIO;
	}
	if (strncmp(state, "22", 2) == 0 || primary == NULL)
		snprintf(c->msg, sizeof(c->msg), "SQLSTATE %s", state);
	else
		snprintf(c->msg, sizeof(c->msg), "%s (SQLSTATE %s)", primary,
			 state);
	if (strncmp(state, "23", 2) == 0)
		return DB_ECONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return DB_EBUSY;
	if (strcmp(state, "42501") == 0)
		return DB_EDENIED;
	if (strcmp(state, "53100") == 0) {
		c->base.storage_failed = true;
		return DB_EFULL;
	}
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "58", 2) == 0 ||
	    strncmp(state, "53", 2) == 0)
		c->base.storage_failed = true;
	return DB_EIO;
}

/* A failure that another attempt may not meet at once: a serialization
 * failure or a deadlock (a lock timeout has waited its time already). */
bool pg_transient(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	return state != NULL &&
	       (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

bool pg_res_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}
