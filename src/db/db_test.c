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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_and_roles, setup, teardown),
		cmocka_unit_test(open_bad_path),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
