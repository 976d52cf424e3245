/*
 * pg_test.c: the PostgreSQL back end (issue 10 §1, §2): on a throwaway
 * cluster (testdb_pg_start), the migrations run, every statement in the
 * catalogue prepares, no column is 32 bits, values round-trip, errors
 * map as on SQLite, roles are enforced before the server, a read
 * transaction cannot write, and writers queue on one lock.
 *
 * Linked with the whole library (as `cairn`), so the catalogue is
 * complete.  Without the PostgreSQL server binaries it says so and exits
 * 77, which meson reports as skipped, never as passed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "db/db.h"
#include "db/testdb.h"

static char uri[512];

static struct db *open_db(int pool, int busy_ms)
{
	struct db *db = NULL;
	char err[256] = "";
	struct db_options o = {.pool_size = pool, .busy_timeout_ms = busy_ms,
			       .synchronous_full = false};
	if (db_open(uri, &o, &db, err, sizeof(err)) != DB_OK)
		fail_msg("db_open: %s", err);
	assert_string_equal(db_engine(db), "postgres");
	return db;
}

static struct db_conn *system_conn(struct db *db)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	return c;
}

static void migrates(void **state)
{
	(void)state;
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(db_schema_version(c), db_schema_latest());
	/* again: nothing to do */
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, to);
	db_release(db, c);
	db_close(db);
}

static int count_access(const char *table, enum db_access op, void *arg)
{
	(void)table;
	(void)op;
	(void)arg;
	return 0;
}

static void every_statement_prepares(void **state)
{
	(void)state;
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	assert_true(n > 100);
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		if (db_stmt_access(c, &cat[i], count_access, NULL) != DB_OK) {
			print_message("does not prepare on PostgreSQL: %s: %s\n",
				      cat[i].name, db_errmsg(c));
			bad++;
		}
	assert_int_equal(bad, 0);
	/* and the check can fail: a statement naming no table */
	static const struct db_stmt st_bad = {
		"test_pg_bad", "SELECT nothing FROM no_such_table",
		DB_ROLE_SYSTEM,
	};
	assert_int_not_equal(db_stmt_access(c, &st_bad, count_access, NULL),
			     DB_OK);
	db_release(db, c);
	db_close(db);
}

/* Integers are BIGINT on PostgreSQL (the dialect table), so no id,
 * count or epoch time ends at 2^31. */
static void no_32_bit_columns(void **state)
{
	(void)state;
	static const struct db_stmt st_int4 = {
		"test_pg_int4",
		"SELECT count(*) FROM information_schema.columns"
		" WHERE table_schema = 'public'"
		" AND data_type IN ('integer', 'smallint')",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_int8 = {
		"test_pg_int8",
		"SELECT count(*) FROM information_schema.columns"
		" WHERE table_schema = 'public' AND data_type = 'bigint'",
		DB_ROLE_SYSTEM,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_int4, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 0);
	assert_int_equal(db_exec0(c, &st_int8, &q), DB_ROW);
	assert_true(db_col_i64(q, 0) > 50);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

/* The session's settings follow the options: commits flushed or not
 * (cairn demo's are not). */
static void session_settings(void **state)
{
	(void)state;
	static const struct db_stmt st_show = {
		"test_pg_settings",
		"SELECT current_setting('synchronous_commit')",
		DB_ROLE_SYSTEM,
	};
	for (int full = 0; full < 2; full++) {
		struct db *db = NULL;
		char err[256] = "";
		struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000,
				       .synchronous_full = full == 1};
		if (db_open(uri, &o, &db, err, sizeof(err)) != DB_OK)
			fail_msg("db_open: %s", err);
		struct db_conn *c = system_conn(db);
		struct db_q *q;
		assert_int_equal(db_exec0(c, &st_show, &q), DB_ROW);
		assert_string_equal(db_col_text(q, 0), full ? "on" : "off");
		db_done(q);
		db_release(db, c);
		db_close(db);
	}
}

/* Every table's primary key and every unique index starts with council
 * (schema_version, which describes the database, is the one exception),
 * as db_test.c checks on SQLite from sqlite_master. */
static void keys_start_with_council(void **state)
{
	(void)state;
	static const struct db_stmt st_keys = {
		"test_pg_keys",
		"SELECT t.relname, i.indisprimary, a.attname"
		" FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
		" JOIN pg_namespace n ON n.oid = t.relnamespace"
		" JOIN pg_attribute a ON a.attrelid = t.oid"
		"  AND a.attnum = i.indkey[0]"
		" WHERE n.nspname = 'public' AND i.indisunique"
		" AND t.relname <> 'schema_version'",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_no_pk = {
		"test_pg_no_pk",
		"SELECT count(*) FROM pg_class t"
		" JOIN pg_namespace n ON n.oid = t.relnamespace"
		" WHERE n.nspname = 'public' AND t.relkind = 'r'"
		" AND t.relname <> 'schema_version' AND NOT EXISTS"
		" (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid"
		"  AND i.indisprimary)",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_bad = {
		"test_pg_bad_key",
		"CREATE TABLE test_pg_bad_key (x TEXT, council TEXT,"
		" PRIMARY KEY (x, council))",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_drop = {
		"test_pg_bad_key_drop", "DROP TABLE test_pg_bad_key",
		DB_ROLE_SYSTEM,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	struct db_q *q;
	for (int round = 0; round < 2; round++) {
		int bad = 0, pks = 0, rc;
		for (rc = db_exec0(c, &st_keys, &q); rc == DB_ROW;
		     rc = db_step(q)) {
			pks += db_col_i64(q, 1) != 0;
			if (strcmp(db_col_text(q, 2), "council") == 0)
				continue;
			bad++;
			if (round == 0)
				print_message("%s: a key starts with %s\n",
					      db_col_text(q, 0),
					      db_col_text(q, 2));
		}
		assert_int_equal(rc, DB_DONE);
		assert_true(pks > 30);
		/* and the check can fail: a table keyed otherwise */
		assert_int_equal(bad, round);
		if (round == 0)
			assert_int_equal(db_exec0(c, &st_bad, NULL), DB_DONE);
	}
	assert_int_equal(db_exec0(c, &st_drop, NULL), DB_DONE);
	assert_int_equal(db_exec0(c, &st_no_pk, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 0);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

static const struct db_stmt st_council_ins = {
	"test_pg_council_ins",
	"INSERT INTO council (council, name) VALUES (?1, ?2)",
	RB_ADMIN | DB_ROLE_SYSTEM,
};
static const struct db_stmt st_council_count = {
	"test_pg_council_count", "SELECT count(*) FROM council",
	RB_ANY_USER | DB_ROLE_SYSTEM,
};

/* db_vacuum after a load (db.h): PostgreSQL's VACUUM (ANALYZE) runs, so
 * the table has a vacuum on record and its pages marked all-visible;
 * never inside a transaction, never for a user's role. */
static void vacuum_after_load(void **state)
{
	(void)state;
	static const struct db_stmt st_vacuumed = {
		"test_pg_vacuumed",
		"SELECT (SELECT count(*) FROM pg_stat_user_tables"
		"  WHERE relname = 'council' AND last_vacuum IS NOT NULL"
		"  AND last_analyze IS NOT NULL),"
		" (SELECT relallvisible FROM pg_class WHERE relname = 'council'"
		"  AND relkind = 'r')",
		DB_ROLE_SYSTEM,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	char code[16];
	for (int i = 0; i < 300; i++) {
		snprintf(code, sizeof(code), "VA%d", i);
		assert_int_equal(db_exec(c, &st_council_ins, NULL, code, "Load"),
				 DB_DONE);
	}
	assert_int_equal(db_vacuum(c), DB_EIO); /* not inside a transaction */
	assert_int_equal(db_commit(c), DB_OK);
	db_set_role(c, RB_ADMIN);
	assert_int_equal(db_vacuum(c), DB_EDENIED);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_vacuum(c), DB_OK);
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_vacuumed, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	assert_true(db_col_i64(q, 1) >= 1);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

static void errors_roles_and_transactions(void **state)
{
	(void)state;
	struct db *db = open_db(1, 2000);
	struct db_conn *c = db_acquire(db);
	/* denied before the server, as on SQLite */
	db_set_role(c, RB_PARTNER);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PA", "A"),
			 DB_EDENIED);
	db_set_role(c, RB_ADMIN);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PA", "A"),
			 DB_DONE);
	assert_int_equal(db_changes(c), 1);
	/* a duplicate key is the constraint error */
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PA", "A"),
			 DB_ECONSTRAINT);
	/* the message never quotes the key's values */
	assert_null(strstr(db_errmsg(c), "PA"));

	/* rollback discards */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_true(db_in_tx(c));
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PB", "B"),
			 DB_DONE);
	db_rollback(c);
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	db_done(q);

	/* a failed statement fails the commit too, with its own error */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PC", "C"),
			 DB_DONE);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "PA", "A"),
			 DB_ECONSTRAINT);
	assert_int_equal(db_commit(c), DB_ECONSTRAINT);
	assert_false(db_in_tx(c));
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	db_done(q);

	/* a read transaction cannot write */
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	assert_true(db_exec(c, &st_council_ins, NULL, "PD", "D") < 0);
	db_rollback(c);
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	db_done(q);

	/* ids from the counter, in a write transaction only */
	db_set_role(c, DB_ROLE_SYSTEM);
	int64_t a = 0, b = 0;
	assert_int_equal(db_next_id(c, "PA", "child", &a), DB_EIO);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_next_id(c, "PA", "child", &a), DB_OK);
	assert_int_equal(db_next_id(c, "PA", "child", &b), DB_OK);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(b, a + 1);
	db_release(db, c);
	db_close(db);
}

/* Bulk writing (db_set_bulk, postgres.c "Bulk writing"): plain writes
 * are queued and their answers read at the next statement that returns
 * rows, db_changes or the commit; a queued write that failed fails the
 * transaction there, and nothing of it is committed. */
static void bulk_writes(void **state)
{
	(void)state;
	static const struct db_stmt st_rename = {
		"test_pg_rename", "UPDATE council SET name = ?2 WHERE council = ?1",
		RB_ANY_USER | DB_ROLE_SYSTEM,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	int64_t before = db_col_i64(q, 0);
	db_done(q);

	/* 600 queued inserts (more than one pipeline's worth), read back
	 * in the same transaction, committed */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	db_set_bulk(c, true);
	char code[16];
	for (int i = 0; i < 600; i++) {
		snprintf(code, sizeof(code), "BK%d", i);
		assert_int_equal(db_exec(c, &st_council_ins, NULL, code, "Bulk"),
				 DB_DONE);
	}
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before + 600);
	db_done(q);
	/* db_changes is the last statement's, its answer read first */
	assert_int_equal(db_exec(c, &st_rename, NULL, "BK5", "Renamed"),
			 DB_DONE);
	assert_int_equal(db_changes(c), 1);
	assert_int_equal(db_exec(c, &st_rename, NULL, "NOPE", "Renamed"),
			 DB_DONE);
	assert_int_equal(db_changes(c), 0);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before + 600);
	db_done(q);

	/* a duplicate among queued writes: reported at the next read ... */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BKX", "New"),
			 DB_DONE);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BK1", "Again"),
			 DB_DONE); /* queued: not yet known */
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BKY", "New"),
			 DB_DONE);
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ECONSTRAINT);
	/* ... and the commit fails with it: nothing of it is kept */
	assert_int_equal(db_commit(c), DB_ECONSTRAINT);
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before + 600);
	db_done(q);

	/* ... also when the commit is the first to ask */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BK2", "Again"),
			 DB_DONE);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BKZ", "New"),
			 DB_DONE);
	assert_int_equal(db_commit(c), DB_ECONSTRAINT);
	assert_false(db_in_tx(c));

	/* released, the connection is back to one statement at a time: a
	 * duplicate is refused by its own step */
	db_release(db, c);
	c = system_conn(db);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_council_ins, NULL, "BK3", "Again"),
			 DB_ECONSTRAINT);
	db_rollback(c);
	assert_int_equal(db_exec0(c, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before + 600);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

/* Values of every kind come back as they went in, through the typed
 * binding and the column readers. */
static void values_round_trip(void **state)
{
	(void)state;
	static const struct db_stmt st_make = {
		"test_pg_make",
		"CREATE TABLE IF NOT EXISTS test_pg_v (council TEXT NOT NULL,"
		" n INTEGER, t TEXT, b BLOB, PRIMARY KEY (council))",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_put = {
		"test_pg_put",
		"INSERT INTO test_pg_v (council, n, t, b) VALUES (?1, ?2, ?3, ?4)"
		" RETURNING n + 1",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_get = {
		"test_pg_get",
		"SELECT n, t, b, n > 0, t IS NULL, 'it''s ?1' FROM test_pg_v"
		" WHERE council = ?1",
		DB_ROLE_SYSTEM,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	assert_int_equal(db_exec0(c, &st_make, NULL), DB_DONE);
	struct db_q *q;
	const int64_t big = 4102444800LL * 1000; /* past 2^31, and 2^32 */
	const unsigned char blob[4] = {0, 1, 0xfe, 0xff};
	assert_int_equal(db_prepare(c, &st_put, &q), DB_OK);
	assert_int_equal(db_bind_text(q, 1, "PV"), DB_OK);
	assert_int_equal(db_bind_i64(q, 2, big), DB_OK);
	assert_int_equal(db_bind_textn(q, 3, "caf\xc3\xa9 and more", 5),
			 DB_OK);
	assert_int_equal(db_bind_blob(q, 4, blob, sizeof(blob)), DB_OK);
	/* an index past the statement's is refused, and kept */
	assert_int_not_equal(db_bind_i64(q, 5, 1), DB_OK);
	assert_int_not_equal(db_step(q), DB_ROW);
	assert_int_equal(db_prepare(c, &st_put, &q), DB_OK);
	assert_int_equal(db_bind_text(q, 1, "PV"), DB_OK);
	assert_int_equal(db_bind_i64(q, 2, big), DB_OK);
	assert_int_equal(db_bind_textn(q, 3, "caf\xc3\xa9 and more", 5),
			 DB_OK);
	assert_int_equal(db_bind_blob(q, 4, blob, sizeof(blob)), DB_OK);
	assert_int_equal(db_step(q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), big + 1);
	assert_int_equal(db_step(q), DB_DONE);
	assert_int_equal(db_exec(c, &st_put, NULL, "PN", NULL, NULL, NULL),
			 DB_ROW);

	assert_int_equal(db_exec(c, &st_get, &q, "PV"), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), big);
	assert_string_equal(db_col_text(q, 1), "caf\xc3\xa9");
	size_t len = 0;
	const unsigned char *p = db_col_blob(q, 2, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	assert_int_equal(db_col_i64(q, 3), 1); /* a boolean reads as 1 */
	assert_string_equal(db_col_text(q, 4), "0");
	/* a ? inside a literal is not a placeholder */
	assert_string_equal(db_col_text(q, 5), "it's ?1");
	assert_false(db_col_null(q, 0));
	assert_int_equal(db_step(q), DB_DONE);

	assert_int_equal(db_exec(c, &st_get, &q, "PN"), DB_ROW);
	assert_true(db_col_null(q, 0));
	assert_null(db_col_text(q, 1));
	assert_int_equal(db_col_i64(q, 0), 0);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

/* Writers queue on one lock, as on SQLite: a second writer waits its
 * busy timeout and is told busy; readers are not held up. */
static void writers_queue(void **state)
{
	(void)state;
	struct db *db = open_db(2, 300);
	struct db_conn *a = system_conn(db);
	struct db_conn *b = system_conn(db);
	assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(a, &st_council_ins, NULL, "PW", "W"),
			 DB_DONE);
	assert_int_equal(db_begin(b, DB_TX_WRITE), DB_EBUSY);
	assert_false(db_in_tx(b));
	/* a write outside a transaction queues on the same lock */
	assert_int_equal(db_exec(b, &st_council_ins, NULL, "PX", "X"),
			 DB_EBUSY);
	/* a reader sees the last commit, not a's write */
	assert_int_equal(db_begin(b, DB_TX_READ), DB_OK);
	struct db_q *q;
	assert_int_equal(db_exec0(b, &st_council_count, &q), DB_ROW);
	int64_t before = db_col_i64(q, 0);
	assert_int_equal(db_commit(a), DB_OK);
	/* the same snapshot for the whole read transaction */
	assert_int_equal(db_exec0(b, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before);
	assert_int_equal(db_commit(b), DB_OK);
	assert_int_equal(db_exec0(b, &st_council_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), before + 1);
	db_done(q);
	assert_int_equal(db_begin(b, DB_TX_WRITE), DB_OK);
	db_rollback(b);
	db_release(db, b);
	db_release(db, a);
	db_close(db);
}

/* ---- row-level security by council (D43) ---------------------------- */

static const struct db_stmt st_rls_council = {
	"test_rls_council", "INSERT INTO council (council, name) VALUES (?1, ?1)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_rls_put = {
	"test_rls_put",
	"INSERT INTO setting (council, key, value) VALUES (?1, ?2, 'v')",
	RB_ANY_USER | DB_ROLE_SYSTEM,
};
/* no council filter, on purpose: row-level security is the filter */
static const struct db_stmt st_rls_count = {
	"test_rls_count",
	"SELECT count(*), count(DISTINCT council), min(council) FROM setting",
	RB_ANY_USER | DB_ROLE_SYSTEM | DB_ROLE_AUTH,
};
static const struct db_stmt st_rls_update = {
	"test_rls_update", "UPDATE setting SET value = 'changed'",
	RB_ANY_USER,
};
static const struct db_stmt st_rls_delete = {
	"test_rls_delete", "DELETE FROM setting WHERE council = 'RB'",
	RB_ANY_USER,
};
static const struct db_stmt st_rls_changed = {
	"test_rls_changed",
	"SELECT count(*) FROM setting WHERE value = 'changed'",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_rls_auth = {
	"test_rls_auth", "SELECT count(*) FROM council",
	DB_ROLE_AUTH,
};
/* every table with a council column, and those with row-level security
 * enabled and forced and the policy */
static const struct db_stmt st_rls_tables = {
	"test_rls_tables",
	"SELECT count(*), count(*) FILTER (WHERE c.relrowsecurity"
	" AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p"
	"  WHERE p.polrelid = c.oid AND p.polname = 'cairn_council_v1'))"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS"
	" (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
	"  AND a.attname = 'council' AND NOT a.attisdropped)",
	DB_ROLE_SYSTEM,
};

/* count(*), count(DISTINCT council), min(council) of setting as c sees
 * it now */
static void rls_seen(struct db_conn *c, int64_t *n, int64_t *councils,
		     char *first, size_t firstn)
{
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_rls_count, &q), DB_ROW);
	*n = db_col_i64(q, 0);
	*councils = db_col_i64(q, 1);
	snprintf(first, firstn, "%s", db_col_text(q, 2) ? db_col_text(q, 2) : "");
	db_done(q);
}

static void row_level_security(void **state)
{
	(void)state;
	char app[512];
	assert_int_equal(testdb_pg_createdb_app("rls", app, sizeof(app)), 0);
	struct db *db = NULL;
	char err[256] = "";
	struct db_options o = {.pool_size = 2, .busy_timeout_ms = 2000};
	if (db_open(app, &o, &db, err, sizeof(err)) != DB_OK)
		fail_msg("db_open: %s", err);
	struct db_conn *c = system_conn(db);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	struct db_q *q;
	/* every table with a council column is held */
	assert_int_equal(db_exec0(c, &st_rls_tables, &q), DB_ROW);
	assert_true(db_col_i64(q, 0) > 30);
	assert_int_equal(db_col_i64(q, 1), db_col_i64(q, 0));
	db_done(q);
	/* the system role sees and writes every council */
	assert_int_equal(db_exec(c, &st_rls_council, NULL, "RA"), DB_DONE);
	assert_int_equal(db_exec(c, &st_rls_council, NULL, "RB"), DB_DONE);
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RA", "a1"), DB_DONE);
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RB", "b1"), DB_DONE);
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RB", "b2"), DB_DONE);
	int64_t n, k;
	char first[32];
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 3);
	assert_int_equal(k, 2);

	/* a user acting for RA: a statement with no council filter sees
	 * RA's rows only, in and out of transactions */
	db_set_role(c, RB_ADMIN);
	db_set_council(c, "RA");
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 1);
	assert_string_equal(first, "RA");
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 1);
	db_rollback(c);
	/* cannot insert a row of RB ... */
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RB", "b3"), DB_EDENIED);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RB", "b4"), DB_EDENIED);
	db_rollback(c);
	/* ... update RB's rows or delete them: they are not there */
	assert_int_equal(db_exec0(c, &st_rls_update, NULL), DB_DONE);
	assert_int_equal(db_changes(c), 1);
	assert_int_equal(db_exec0(c, &st_rls_delete, NULL), DB_DONE);
	assert_int_equal(db_changes(c), 0);
	/* but its own council's rows, yes */
	assert_int_equal(db_exec(c, &st_rls_put, NULL, "RA", "a2"), DB_DONE);

	/* the setting follows the council, after a rollback that undid the
	 * transaction it was sent in too */
	db_set_council(c, "RB");
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 2);
	assert_string_equal(first, "RB");
	db_rollback(c);
	db_set_council(c, "RA");
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 2);
	assert_string_equal(first, "RA");
	db_set_council(c, "RB");
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	db_rollback(c);
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_string_equal(first, "RB");

	/* no council: no council's rows, but the tables sign-in reads
	 * before it knows the council */
	db_set_council(c, NULL);
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 0);
	db_set_role(c, DB_ROLE_AUTH);
	assert_int_equal(db_exec0(c, &st_rls_auth, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 2);
	db_done(q);
	/* "*" is not a council a caller can set */
	db_set_role(c, RB_ADMIN);
	db_set_council(c, "*");
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 0);
	/* db_acquire forgets the council */
	db_set_council(c, "RA");
	db_release(db, c);
	c = db_acquire(db);
	assert_string_equal(db_council(c), "");

	/* nothing of RB's changed */
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec0(c, &st_rls_changed, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	db_done(q);
	rls_seen(c, &n, &k, first, sizeof(first));
	assert_int_equal(n, 4);
	db_release(db, c);
	db_close(db);
}

/* Writers of different councils do not queue behind each other; writers
 * of one council do; a writer for every council (DB_ROLE_SYSTEM) or for
 * none queues behind all and all behind it (D43). */
static void council_write_locks(void **state)
{
	(void)state;
	struct db *db = open_db(3, 300);
	struct db_conn *a = db_acquire(db), *b = db_acquire(db),
		       *c = db_acquire(db);
	db_set_role(a, RB_ADMIN);
	db_set_role(b, RB_ADMIN);
	db_set_role(c, RB_ADMIN);
	db_set_council(a, "LA");
	db_set_council(b, "LB");
	db_set_council(c, "LA");
	assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
	/* another council: at once */
	assert_int_equal(db_begin(b, DB_TX_WRITE), DB_OK);
	/* the same council: busy */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_EBUSY);
	/* every council, or none: busy */
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_EBUSY);
	db_set_role(c, RB_ADMIN);
	db_set_council(c, NULL);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_EBUSY);
	/* readers are never held */
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	db_rollback(c);
	assert_int_equal(db_commit(a), DB_OK);
	db_rollback(b);
	/* a system writer holds every council's writers back */
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_begin(a, DB_TX_WRITE), DB_EBUSY);
	assert_int_equal(db_begin(b, DB_TX_WRITE), DB_EBUSY);
	db_rollback(c);
	assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
	db_rollback(a);
	db_release(db, c);
	db_release(db, b);
	db_release(db, a);
	db_close(db);
}

/* A connection whose backend was ended (a server restart, a DBA) is
 * reset when next used outside a transaction, and the statement runs:
 * its prepared statements and council are made again on the new one;
 * inside a transaction the loss is an error, and the next transaction
 * works. */
static void reconnects(void **state)
{
	(void)state;
	static const struct db_stmt st_pid = {
		"test_pg_pid", "SELECT pg_backend_pid()",
		DB_ROLE_SYSTEM | RB_ADMIN,
	};
	struct db *db = open_db(1, 2000);
	struct db_conn *c = system_conn(db);
	struct db_q *q;
	char kill[128];
	for (int round = 0; round < 3; round++) {
		assert_int_equal(db_exec0(c, &st_pid, &q), DB_ROW);
		int64_t pid = db_col_i64(q, 0);
		db_done(q);
		snprintf(kill, sizeof(kill),
			 "SELECT pg_terminate_backend(%lld)", (long long)pid);
		testdb_exec(uri, kill);
		switch (round) {
		case 0: /* a statement outside a transaction */
			assert_int_equal(db_exec0(c, &st_pid, &q), DB_ROW);
			break;
		case 1: /* a write transaction, as a user of a council */
			db_set_role(c, RB_ADMIN);
			db_set_council(c, "PA");
			assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
			assert_int_equal(db_exec0(c, &st_council_count, &q),
					 DB_ROW);
			assert_int_equal(db_exec0(c, &st_pid, &q), DB_ROW);
			assert_int_equal(db_commit(c), DB_OK);
			db_set_role(c, DB_ROLE_SYSTEM);
			break;
		case 2: /* lost inside a transaction: an error, then fine */
			db_release(db, c);
			c = system_conn(db);
			assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
			assert_int_equal(db_exec0(c, &st_pid, &q), DB_ROW);
			pid = db_col_i64(q, 0);
			db_done(q);
			snprintf(kill, sizeof(kill),
				 "SELECT pg_terminate_backend(%lld)",
				 (long long)pid);
			testdb_exec(uri, kill);
			assert_true(db_exec0(c, &st_pid, &q) < 0);
			db_rollback(c);
			assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
			assert_int_equal(db_exec0(c, &st_pid, &q), DB_ROW);
			db_rollback(c);
			break;
		}
		assert_int_not_equal(db_col_i64(q, 0), pid);
	}
	db_release(db, c);
	db_close(db);
}

static void bad_uri(void **state)
{
	(void)state;
	struct db *db = NULL;
	char err[256] = "";
	assert_int_equal(db_open("postgresql://nobody@/none?host=/nonexistent",
				 NULL, &db, err, sizeof(err)),
			 DB_EIO);
	assert_null(db);
	assert_non_null(strstr(err, "PostgreSQL"));
	assert_true(db_is_uri("postgres://x/y"));
	assert_true(db_is_uri("PostgreSQL://x/y"));
	assert_false(db_is_uri("/var/lib/cairn/postgres.db"));
}

int main(void)
{
	int rc = testdb_pg_start(uri, sizeof(uri));
	if (rc == 77) {
		printf("pg_test: PostgreSQL is not installed: skipped\n");
		return 77;
	}
	if (rc != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrates),
		cmocka_unit_test(every_statement_prepares),
		cmocka_unit_test(no_32_bit_columns),
		cmocka_unit_test(session_settings),
		cmocka_unit_test(keys_start_with_council),
		cmocka_unit_test(errors_roles_and_transactions),
		cmocka_unit_test(values_round_trip),
		cmocka_unit_test(bulk_writes),
		cmocka_unit_test(vacuum_after_load),
		cmocka_unit_test(writers_queue),
		cmocka_unit_test(council_write_locks),
		cmocka_unit_test(row_level_security),
		cmocka_unit_test(reconnects),
		cmocka_unit_test(bad_uri),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	testdb_pg_stop();
	return failed ? 1 : 0;
}
