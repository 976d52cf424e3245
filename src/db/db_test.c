/* db_test.c: pool, migrations, statement role allow-lists, transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
	snprintf(path, sizeof(path), "/tmp/cairn-dbtest-%d.db", (int)getpid());
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[80];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	return 0;
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
	assert_int_equal(db_run(c, &st_ins, NULL, "tt", "x", "X"), DB_EDENIED);
	db_set_role(c, RB_ADMIN);
	assert_int_equal(db_run(c, &st_ins, NULL, "tt", "x", "X"), DB_DONE);
	/* duplicate key is a constraint error, not a crash */
	assert_int_equal(db_run(c, &st_ins, NULL, "tt", "x", "X"), DB_ECONSTRAINT);

	/* rollback discards */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_run(c, &st_ins, NULL, "tt", "y", "Y"), DB_DONE);
	db_rollback(c);
	struct db_q *q;
	assert_int_equal(db_run(c, &st_count, &q, ""), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);

	/* commit keeps */
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_run(c, &st_ins, NULL, "tt", "z", "Z"), DB_DONE);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(db_run(c, &st_count, &q, ""), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 2);

	/* release resets role: next borrower is denied everything */
	db_release(db, c);
	c = db_acquire(db);
	assert_int_equal(db_run(c, &st_count, &q, ""), DB_EDENIED);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_and_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(next_id, setup, teardown),
		cmocka_unit_test_setup_teardown(counters_seeded_by_migration,
						setup, teardown),
		cmocka_unit_test(open_bad_path),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
