/*
 * pg_schema.c: the PostgreSQL back end's schema work: migration
 * scripts, row-level security by council after each migration (D43),
 * proving a statement prepares (D23), and the schema and value types
 * db/copy.c reads.
 */
#include "db/pg_int.h"
#include "core/log.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables and operations are SQLite's authorizer's answer (D23); here
 * the statement is prepared, unnamed, to prove it prepares, and nothing
 * is reported. */
int pg_stmt_access(struct db_conn *base, const struct db_stmt *st,
			  int (*cb)(const char *table, enum db_access op,
				    void *arg),
			  void *arg)
{
	struct pg_conn *c = pgc(base);
	int np;
	char *sql = pg_rewrite(st->sql, &np);
	pg_pipe_end(c);
	PGresult *res = PQprepare(c->h, "", sql, np, NULL);
	free(sql);
	int rc = pg_res_ok(res) ? DB_OK : pg_result_rc(c, res);
	PQclear(res);
	return rc;
}

int pg_exec_script(struct db_conn *base, const char *script)
{
	struct pg_conn *c = pgc(base);
	int np;
	char *sql = pg_rewrite(script, &np);
	int rc = pg_exec_sql(c, sql);
	free(sql);
	if (rc != DB_OK) {
		log_kv(LOG_ERROR, NULL, "db.migrate", "error", c->msg, NULL);
		if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
	}
	return rc;
}

/*
 * Row-level security by council (D43), made after every migration for
 * each table with a council column that lacks it, so a table a later
 * migration adds is covered without a list kept by hand.  FORCE makes
 * the policy bind the tables' owner too (the role Cairn connects as);
 * only a superuser or a BYPASSRLS role escapes it (pg_open warns).  The
 * policy's USING is also its WITH CHECK: a row of another council can
 * be neither seen nor written.  The tables the authentication layer
 * reads before it knows the council are open to a connection acting for
 * none (the setting empty or never set); see db_set_council.
 */
static const char rls_sql[] =
	"DO $rls$ DECLARE t text; BEGIN"
	" FOR t IN SELECT c.relname FROM pg_class c"
	"  JOIN pg_namespace n ON n.oid = c.relnamespace"
	"  JOIN pg_attribute a ON a.attrelid = c.oid"
	"  WHERE n.nspname = current_schema() AND c.relkind = 'r'"
	"  AND a.attname = 'council' AND NOT a.attisdropped"
	"  AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid"
	"   AND p.polname = 'cairn_council_v1')"
	" LOOP"
	"  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);"
	"  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);"
	"  IF t IN ('council', 'app_user', 'session', 'api_token',"
	"            'login_throttle') THEN"
	"   EXECUTE format('CREATE POLICY cairn_council_v1 ON %I USING ("
	"    council = current_setting(''" COUNCIL_SETTING "'', true)"
	"    OR coalesce(current_setting(''" COUNCIL_SETTING "'', true), '''')"
	"       IN (''" COUNCIL_ALL "'', ''''))', t);"
	"  ELSE"
	"   EXECUTE format('CREATE POLICY cairn_council_v1 ON %I USING ("
	"    council = current_setting(''" COUNCIL_SETTING "'', true)"
	"    OR current_setting(''" COUNCIL_SETTING "'', true) = ''"
	COUNCIL_ALL "'')', t);"
	"  END IF;"
	" END LOOP; END $rls$";

int pg_after_migrate(struct db_conn *base)
{
	struct pg_conn *c = pgc(base);
	int rc = pg_exec_sql(c, rls_sql);
	if (rc != DB_OK) {
		log_kv(LOG_ERROR, NULL, "db.rls", "error", c->msg, NULL);
		if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
	}
	return rc;
}

/* ---- db/copy.c's hooks: value types and the schema ---------------- */

/* A type, by its name in pg_type, mapped to a storage class. */
static enum db_type type_of_name(const char *t)
{
	static const struct {
		const char *name;
		enum db_type type;
	} names[] = {
		{"int8", DB_TYPE_INT},    {"int4", DB_TYPE_INT},
		{"int2", DB_TYPE_INT},    {"bool", DB_TYPE_INT},
		{"text", DB_TYPE_TEXT},   {"varchar", DB_TYPE_TEXT},
		{"bpchar", DB_TYPE_TEXT}, {"name", DB_TYPE_TEXT},
		{"bytea", DB_TYPE_BLOB},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, t) == 0)
			return names[i].type;
	return DB_TYPE_OTHER;
}

enum db_type pg_col_type(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	if (pg_col_null(q, col))
		return DB_TYPE_NULL;
	switch (PQftype(p->res, col)) {
	case 20: case 21: case 23: case OID_BOOL: /* int8, int2, int4 */
		return DB_TYPE_INT;
	case OID_BYTEA:
		return DB_TYPE_BLOB;
	case 25: case 1042: case 1043: case 19: /* text, bpchar, varchar,
						 * name */
		return DB_TYPE_TEXT;
	default:
		return DB_TYPE_OTHER;
	}
}

/* The schema from pg_catalog, in the connection's current schema (where
 * the migrations made the tables): constant SQL. */
int pg_describe(struct db_conn *base,
		       int (*cb)(const struct db_schema_item *it, void *arg),
		       void *arg)
{
	static const char *const sql[2] = {
		"SELECT cl.relname, a.attname, t.typname,"
		/* indkey is an int2vector, whose subscripts start at 0 */
		" COALESCE((SELECT k.n FROM unnest(i.indkey::int2[])"
		"  WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum), 0)"
		" FROM pg_class cl"
		" JOIN pg_namespace n ON n.oid = cl.relnamespace"
		" JOIN pg_attribute a ON a.attrelid = cl.oid"
		"  AND a.attnum > 0 AND NOT a.attisdropped"
		" JOIN pg_type t ON t.oid = a.atttypid"
		" LEFT JOIN pg_index i ON i.indrelid = cl.oid AND i.indisprimary"
		" WHERE n.nspname = current_schema() AND cl.relkind IN ('r', 'p')"
		" ORDER BY cl.relname COLLATE \"C\", a.attnum",
		"SELECT DISTINCT cl.relname, r.relname FROM pg_constraint co"
		" JOIN pg_class cl ON cl.oid = co.conrelid"
		" JOIN pg_class r ON r.oid = co.confrelid"
		" JOIN pg_namespace n ON n.oid = cl.relnamespace"
		" WHERE co.contype = 'f' AND n.nspname = current_schema()"
		" ORDER BY 1, 2",
	};
	struct pg_conn *c = pgc(base);
	int ret = 0;
	if ((ret = pg_pipe_end(c)) != DB_OK)
		return ret;
	for (int k = 0; k < 2 && ret == 0; k++) {
		PGresult *res = PQexec(c->h, sql[k]);
		if (!pg_res_ok(res)) {
			ret = pg_result_rc(c, res);
			if (c->base.in_tx && c->tx_failed == DB_OK)
				c->tx_failed = ret;
			PQclear(res);
			return ret;
		}
		for (int r = 0; r < PQntuples(res) && ret == 0; r++) {
			struct db_schema_item it = {
				.table = PQgetvalue(res, r, 0),
			};
			if (k == 0) {
				it.column = PQgetvalue(res, r, 1);
				it.type = type_of_name(PQgetvalue(res, r, 2));
				int64_t pk = 0;
				if (!str_to_i64z(PQgetvalue(res, r, 3), 0, 1600,
						 &pk))
					pk = -1; /* matches no source column */
				it.pk = (int)pk;
			} else {
				it.parent = PQgetvalue(res, r, 1);
			}
			ret = cb(&it, arg);
		}
		PQclear(res);
	}
	return ret;
}
