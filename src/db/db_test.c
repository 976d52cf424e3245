/* db_test.c: pool, migrations, statement role allow-lists, transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/role.h"
#include "db/db.h"
#include "db/testdb.h"

static const struct db_stmt st_ins = {
	"test_council_ins",
	"INSERT INTO council (council, name) VALUES (?1, ?2)",
	RB_ADMIN | DB_ROLE_SYSTEM,
};
static const struct db_stmt st_count = {
	"test_council_count", "SELECT count(*) FROM council", RB_ANY_USER | DB_ROLE_SYSTEM,
};

static char path[64];

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "dbtest");
	testdb_remove(path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_remove(path);
	return 0;
}

/* Skips a test that reads SQLite's own catalogue or functions, when the
 * tests run on PostgreSQL (CAIRN_TEST_DB=postgres); pg_test.c checks the
 * same there its own way. */
static void sqlite_only(void)
{
	if (db_is_uri(path)) {
		print_message("reads SQLite's own catalogue: skipped on "
			      "PostgreSQL\n");
		skip();
	}
}

static void migrate_and_roles(void **state)
{
	(void)state;
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 2, .busy_timeout_ms = 2000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, 0);
	assert_true(to >= 1);
	/* second run is a no-op */
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, to);

	/* a role outside the allow-list is denied before the engine */
	db_set_role(c, RB_PARTNER);
	assert_int_equal(db_exec(c, &st_ins, NULL, "x", "X"), DB_EDENIED);
	db_set_role(c, RB_ADMIN);
	assert_int_equal(db_exec(c, &st_ins, NULL, "x", "X"), DB_DONE);
	/* duplicate key is a constraint error, not a crash */
	assert_int_equal(db_exec(c, &st_ins, NULL, "x", "X"), DB_ECONSTRAINT);

	/* rollback discards */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_ins, NULL, "y", "Y"), DB_DONE);
	db_rollback(c);
	struct db_q *q;
	assert_int_equal(db_exec0(c, &st_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);

	/* commit keeps */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_ins, NULL, "z", "Z"), DB_DONE);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(db_exec0(c, &st_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 2);

	/* db_vacuum (after a load): outside a transaction, system only;
	 * nothing to do on SQLite, on PostgreSQL see test-db_pg */
	assert_int_equal(db_vacuum(c), DB_EDENIED);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	assert_int_equal(db_vacuum(c), DB_EIO);
	db_rollback(c);
	assert_int_equal(db_vacuum(c), DB_OK);

	/* release resets role: next borrower is denied everything */
	db_release(db, c);
	c = db_acquire(db);
	assert_int_equal(db_exec0(c, &st_count, &q), DB_EDENIED);
	db_release(db, c);
	db_close(db);
}

static void open_bad_path(void **state)
{
	(void)state;
	struct db *db = NULL;
	char err[256] = "";
	assert_int_not_equal(db_open("/nonexistent-dir/x.db", NULL, &db, err,
				     sizeof(err)), DB_OK);
	assert_null(db);
	assert_true(strlen(err) > 0);
}

static struct db *open_migrated(struct db_conn **c, int version)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	*c = db_acquire(db);
	db_set_role(*c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate_to(*c, version, &from, &to), DB_OK);
	assert_int_equal(to, version);
	return db;
}

static int64_t take(struct db_conn *c, const char *council, const char *kind)
{
	int64_t id = -1;
	assert_int_equal(db_next_id(c, council, kind, &id), DB_OK);
	return id;
}

/* Ids per council and kind, from 1; only in a write transaction; a
 * rolled-back take is taken back; blocks; the role allow-list. */
static void next_id(void **state)
{
	(void)state;
	struct db_conn *c;
	struct db *db = open_migrated(&c, db_schema_latest());
	int64_t id = 0;
	assert_int_equal(db_next_id(c, "aaa", "child", &id), DB_EIO);
	assert_int_equal(id, 0);

	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "child"), 1);
	assert_int_equal(take(c, "aaa", "child"), 2);
	assert_int_equal(take(c, "aaa", "contact"), 1);
	assert_int_equal(take(c, "bbb", "child"), 1);
	assert_int_equal(db_next_ids(c, "aaa", "child", 5, &id), DB_OK);
	assert_int_equal(id, 3);
	assert_int_equal(take(c, "aaa", "child"), 8);
	assert_int_equal(db_next_ids(c, "aaa", "child", 0, &id), DB_EIO);
	assert_int_equal(db_commit(c), DB_OK);

	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "child"), 9);
	db_rollback(c);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "child"), 9);
	/* a signed-in role may take ids; signing in may not */
	db_set_role(c, RB_SOCIAL_WORKER);
	assert_int_equal(take(c, "aaa", "child"), 10);
	db_set_role(c, DB_ROLE_AUTH);
	assert_int_equal(db_next_id(c, "aaa", "child", &id), DB_EDENIED);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(testdb_count(path, "SELECT next FROM id_counter"
				      " WHERE council = 'aaa' AND kind = 'child'"),
			 11);

	/* Many takes in one transaction: the counter is written once, at
	 * the commit, and holds what was handed out (id.c). */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(take(c, "aaa", "chronology"), i + 1);
	assert_int_equal(db_next_ids(c, "aaa", "chronology", 10, &id), DB_OK);
	assert_int_equal(id, 1001);
	/* more counters than the connection holds still number correctly */
	for (int k = 0; k < 12; k++) {
		char kind[16];
		snprintf(kind, sizeof(kind), "kind%d", k);
		assert_int_equal(take(c, "ccc", kind), 1);
		assert_int_equal(take(c, "ccc", kind), 2);
	}
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(testdb_count(path, "SELECT next FROM id_counter"
				      " WHERE council = 'aaa'"
				      " AND kind = 'chronology'"),
			 1011);
	assert_int_equal(testdb_count(path, "SELECT COUNT(*) FROM id_counter"
				      " WHERE council = 'ccc' AND next = 3"),
			 12);
	/* a rolled-back transaction's cached takes are taken back too */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "chronology"), 1011);
	assert_int_equal(take(c, "aaa", "chronology"), 1012);
	db_rollback(c);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "chronology"), 1011);
	/* db_ids_sync sees the takes made before it in the transaction */
	assert_int_equal(take(c, "aaa", "chronology"), 1012);
	assert_int_equal(db_ids_sync(c, "aaa"), DB_OK);
	assert_int_equal(take(c, "aaa", "chronology"), 1013);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(testdb_count(path, "SELECT next FROM id_counter"
				      " WHERE council = 'aaa'"
				      " AND kind = 'chronology'"),
			 1014);
	db_release(db, c);
	db_close(db);
}

/* Migration 4 seeds each council's counters from what a version 3
 * database holds, so the next record after the upgrade gets MAX + 1;
 * db_ids_sync raises a counter and never lowers one. */
static void counters_seeded_by_migration(void **state)
{
	(void)state;
	struct db_conn *c;
	struct db *db = open_migrated(&c, 3);
	db_release(db, c);
	db_close(db);
	testdb_exec(path,
		"INSERT INTO council (council, name) VALUES ('aaa', 'A'),"
		" ('bbb', 'B');"
		"INSERT INTO app_user (council, user_id, username, display_name,"
		" role, pw_hash, created_at) VALUES ('aaa', 7, 'u7', 'U', 'admin',"
		" 'x', 'x'), ('bbb', 2, 'u2', 'U', 'admin', 'x', 'x');"
		"INSERT INTO child (council, child_id, la_ref, given_name,"
		" family_name, given_key, family_key, created_at, created_by,"
		" updated_at) VALUES ('aaa', 41, 'R41', 'G', 'F', 'G', 'F', 'x', 1,"
		" 'x'), ('aaa', 5, 'R5', 'G', 'F', 'G', 'F', 'x', 1, 'x');"
		"INSERT INTO child_history (council, child_id, seq, field,"
		" user_id, at) VALUES ('aaa', 41, 3, 'f', 1, 'x'),"
		" ('aaa', 5, 9, 'f', 1, 'x');"
		"INSERT INTO scrutiny_review (council, review_id, body_kind,"
		" body_name, topic, created_at, created_by) VALUES ('bbb', 12,"
		" 'committee', 'C', 'T', 'x', 1);");
	int from, to;
	db = open_migrated(&c, 3);
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, 3);
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(take(c, "aaa", "app_user"), 8);
	assert_int_equal(take(c, "bbb", "app_user"), 3);
	assert_int_equal(take(c, "aaa", "child"), 42);
	assert_int_equal(take(c, "aaa", "child_history"), 10);
	assert_int_equal(take(c, "bbb", "scrutiny_review"), 13);
	assert_int_equal(take(c, "bbb", "child"), 1);    /* none held */
	assert_int_equal(take(c, "aaa", "contact"), 1);
	/* sync: raised past a row written with its own id, not lowered */
	assert_int_equal(db_ids_sync(c, "aaa"), DB_OK);
	assert_int_equal(take(c, "aaa", "child"), 43);
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
	db_close(db);
	testdb_exec(path, "INSERT INTO child (council, child_id, la_ref,"
		    " given_name, family_name, given_key, family_key, created_at,"
		    " created_by, updated_at) VALUES ('aaa', 100, 'R100', 'G',"
		    " 'F', 'G', 'F', 'x', 1, 'x')");
	db = open_migrated(&c, db_schema_latest());
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_ids_sync(c, "aaa"), DB_OK);
	assert_int_equal(take(c, "aaa", "child"), 101);
	assert_int_equal(db_ids_sync(c, "nobody"), DB_OK);
	assert_int_equal(take(c, "nobody", "child"), 1); /* holds none */
	db_rollback(c);
	assert_int_equal(db_ids_sync(c, "aaa"), DB_EIO); /* no transaction */
	db_release(db, c);
	db_close(db);
}

/* Every table's primary key starts with `council`, and so does every
 * unique index: one deployment holds several councils, and a store
 * sharded by council can enforce only keys that name it.  Exceptions,
 * each with its reason, are listed here; any other table fails the test
 * by name.  And no time is kept in a column that PostgreSQL would make
 * 32 bits: a column named like a time (at, *_at, *_on, day, date) is
 * TEXT (ISO 8601) or BIGINT. */
static const struct {
	const char *table;
	const char *why;
} key_exceptions[] = {
	{"schema_version", "describes the database file, not a council's data"},
};

static bool excepted(const char *table)
{
	for (size_t i = 0; i < sizeof(key_exceptions) / sizeof(key_exceptions[0]);
	     i++)
		if (strcmp(table, key_exceptions[i].table) == 0)
			return true;
	return false;
}

static bool time_name(const char *col)
{
	size_t n = strlen(col);
	return strcmp(col, "at") == 0 || strcmp(col, "day") == 0 ||
	       (n >= 4 && strcmp(col + n - 4, "date") == 0) ||
	       (n > 3 && (strcmp(col + n - 3, "_at") == 0 ||
			  strcmp(col + n - 3, "_on") == 0));
}

/* Walks the schema of the database at path; the problems found go to
 * bad, one a line.  Returns the number of tables. */
static int schema_problems(char *bad, size_t size)
{
	sqlite3 *h;
	sqlite3_stmt *t, *col, *idx, *ic;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master"
		" WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
		-1, &t, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name, type, pk FROM"
		" pragma_table_info(?1) ORDER BY pk", -1, &col, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM"
		" pragma_index_list(?1) WHERE \"unique\" = 1", -1, &idx, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM"
		" pragma_index_info(?1) ORDER BY seqno LIMIT 1", -1, &ic, NULL),
		SQLITE_OK);
	size_t len = 0;
	int tables = 0;
	bad[0] = '\0';
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(t, 0);
		tables++;
		sqlite3_bind_text(col, 1, table, -1, SQLITE_TRANSIENT);
		const char *first_pk = NULL;
		char first[64] = "";
		while (sqlite3_step(col) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(col, 0);
			const char *type = (const char *)sqlite3_column_text(col, 1);
			if (sqlite3_column_int(col, 2) == 1) {
				snprintf(first, sizeof(first), "%s", name);
				first_pk = first;
			}
			if (time_name(name) && strcmp(type, "TEXT") != 0 &&
			    strcmp(type, "BIGINT") != 0)
				len += (size_t)snprintf(bad + len, size - len,
					"\n  %s.%s: a time kept as %s", table, name,
					type);
		}
		sqlite3_reset(col);
		if (!excepted(table) &&
		    (first_pk == NULL || strcmp(first_pk, "council") != 0))
			len += (size_t)snprintf(bad + len, size - len,
				"\n  %s: primary key starts with %s", table,
				first_pk ? first_pk : "nothing (no key)");
		sqlite3_bind_text(idx, 1, table, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(idx) == SQLITE_ROW) {
			const char *iname = (const char *)sqlite3_column_text(idx, 0);
			sqlite3_bind_text(ic, 1, iname, -1, SQLITE_TRANSIENT);
			const char *lead = sqlite3_step(ic) == SQLITE_ROW
				? (const char *)sqlite3_column_text(ic, 0) : NULL;
			if (!excepted(table) &&
			    (lead == NULL || strcmp(lead, "council") != 0))
				len += (size_t)snprintf(bad + len,
					size - len,
					"\n  %s: unique index %s starts with %s",
					table, iname, lead ? lead : "an expression");
			sqlite3_reset(ic);
		}
		sqlite3_reset(idx);
		if (len >= size)
			len = size - 1;
	}
	sqlite3_finalize(t);
	sqlite3_finalize(col);
	sqlite3_finalize(idx);
	sqlite3_finalize(ic);
	sqlite3_close(h);
	return tables;
}

static void keys_start_with_council(void **state)
{
	(void)state;
	sqlite_only();
	struct db_conn *c;
	struct db *db = open_migrated(&c, db_schema_latest());
	db_release(db, c);
	db_close(db);
	char bad[2048] = "";
	assert_true(schema_problems(bad, sizeof(bad)) > 20);
	if (bad[0])
		fail_msg("schema rules broken:%s", bad);
}

/* The walk can fail: a table keyed otherwise, a unique index across
 * councils and a time in an INTEGER are each named. */
static void keys_check_can_fail(void **state)
{
	(void)state;
	sqlite_only();
	struct db_conn *c;
	struct db *db = open_migrated(&c, db_schema_latest());
	db_release(db, c);
	db_close(db);
	testdb_exec(path, "CREATE TABLE stray (id INTEGER PRIMARY KEY,"
		    " council TEXT, made_at INTEGER, review_date INTEGER);"
		    "CREATE UNIQUE INDEX app_user_global ON app_user (username)");
	char bad[2048];
	schema_problems(bad, sizeof(bad));
	assert_non_null(strstr(bad, "stray: primary key starts with id"));
	assert_non_null(strstr(bad, "stray.made_at: a time kept as INTEGER"));
	assert_non_null(strstr(bad, "stray.review_date: a time kept as"));
	assert_non_null(strstr(bad, "app_user: unique index app_user_global"
			       " starts with username"));
	assert_null(strstr(bad, "update_id"));
}

/* db_exec binds by C type: integers of any width, text from pointers
 * and arrays, NULL; a wrong number of arguments is refused. */
static const struct db_stmt st_echo = {
	"test_echo", "SELECT ?1, typeof(?2), ?2, typeof(?3), ?4, typeof(?5),"
	" ?6", DB_ROLE_SYSTEM,
};

static void typed_binding(void **state)
{
	(void)state;
	sqlite_only();
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 1000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;
	int small = -7;
	bool yes = true;
	char buf[8] = "array";
	const char *none = NULL;
	int64_t big = INT64_C(1) << 40;
	assert_int_equal(db_exec(c, &st_echo, &q, big, small, none, buf, NULL,
				 yes), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), INT64_C(1) << 40);
	assert_string_equal(db_col_text(q, 1), "integer");
	assert_int_equal(db_col_i64(q, 2), -7);
	assert_string_equal(db_col_text(q, 3), "null");
	assert_string_equal(db_col_text(q, 4), "array");
	assert_string_equal(db_col_text(q, 5), "null");
	assert_int_equal(db_col_i64(q, 6), 1);
	db_done(q);
	/* one argument short: refused, not run */
	assert_int_equal(db_exec(c, &st_echo, &q, big, small, none, buf, NULL),
			 DB_EIO);
	/* a bind that fails is kept: the step refuses to run, even when
	 * the caller did not look at the bind's result */
	assert_int_equal(db_prepare(c, &st_echo, &q), DB_OK);
	(void)db_bind_i64(q, 99, 1);
	assert_true(db_step(q) < 0);
	/* and the next prepare starts clean */
	assert_int_equal(db_exec(c, &st_echo, &q, big, small, none, buf, NULL,
				 yes), DB_ROW);
	db_done(q);
	db_release(db, c);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_and_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(next_id, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_start_with_council, setup,
						teardown),
		cmocka_unit_test_setup_teardown(keys_check_can_fail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(counters_seeded_by_migration,
						setup, teardown),
		cmocka_unit_test(open_bad_path),
		cmocka_unit_test_setup_teardown(typed_binding, setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
