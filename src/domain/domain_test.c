/* domain_test.c: the shared machinery: the error vocabulary and field
 * errors, the actor and its clock, reading and writing rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/testdb.h"
#include "domain/err.h"
#include "domain/rows.h"

static void statuses(void **state)
{
	(void)state;
	assert_int_equal(err_status(ERR_OK), 200);
	assert_int_equal(err_status(ERR_INVALID), 422);
	assert_int_equal(err_status(ERR_NOTFOUND), 404);
	assert_int_equal(err_status(ERR_CONFLICT), 409);
	assert_int_equal(err_status(ERR_DENIED), 403);
	assert_int_equal(err_status(ERR_BUSY), 503);
	assert_int_equal(err_status(ERR_FULL), 503);
	assert_int_equal(err_status(ERR_STORE), 500);
	assert_int_equal(err_status(ERR_NOMEM), 413);
	assert_int_equal(err_status(-99), 500);
	assert_string_equal(err_name(ERR_NOTFOUND), "not found");
	assert_string_equal(err_name(3), "unknown error");
	for (int e = 0; e > -ERR__COUNT; e--)
		assert_true(strlen(err_name(e)) > 0);
}

/* A constraint is a conflict in every module (it was a 500 in two). */
static void from_db(void **state)
{
	(void)state;
	assert_int_equal(err_from_db(DB_OK), ERR_OK);
	assert_int_equal(err_from_db(DB_ROW), ERR_OK);
	assert_int_equal(err_from_db(DB_ECONSTRAINT), ERR_CONFLICT);
	assert_int_equal(err_from_db(DB_EBUSY), ERR_BUSY);
	assert_int_equal(err_from_db(DB_EDENIED), ERR_DENIED);
	assert_int_equal(err_from_db(DB_EFULL), ERR_FULL);
	assert_int_equal(err_from_db(DB_EIO), ERR_STORE);
	assert_int_equal(err_from_db(DB_ESCHEMA), ERR_STORE);
}

static void field_errors(void **state)
{
	(void)state;
	struct field_errors e = {0};
	assert_false(fe_any(&e));
	fe_addf(&e, "given_name", "Enter %s", "a first name");
	fe_set(&e, "given_name", "a second message is dropped");
	fe_set(&e, "dob-day", "Date of birth must be a real date");
	assert_true(fe_any(&e));
	assert_int_equal(e.n, 2);
	assert_string_equal(fe_for(&e, "given_name"), "Enter a first name");
	assert_string_equal(fe_for(&e, "dob"), "Date of birth must be a real date");
	assert_string_equal(fe_for(&e, "dob-day"), "Date of birth must be a real date");
	assert_null(fe_for(&e, "do"));
	assert_null(fe_for(&e, "family_name"));
	assert_null(fe_for(NULL, "x"));
	fe_set(NULL, "x", "nothing happens");
	/* Long messages are cut to fit; the list stops at its size. */
	char big[400];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fe_set(&e, "long", big);
	assert_int_equal(strlen(fe_for(&e, "long")), FIELD_ERROR_LEN - 1);
	static const char *names[FIELD_ERRORS_MAX + 5];
	static char buf[FIELD_ERRORS_MAX + 5][8];
	for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++) {
		buf[i][0] = 'f', buf[i][1] = (char)('A' + i), buf[i][2] = 0;
		names[i] = buf[i];
		fe_set(&e, names[i], "m");
	}
	assert_int_equal(e.n, FIELD_ERRORS_MAX);
}

/* ---- rows ---------------------------------------------------------- */

static const struct db_stmt st_make = {
	"test_rows_make",
	"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER,"
	" flag INTEGER, ref INTEGER)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_put = {
	"test_rows_put", "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_rename = {
	"test_rows_rename", "UPDATE t SET name = ?2 WHERE id = ?1",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_all = {
	"test_rows_all",
	"SELECT id, name, n, flag, ref IS NULL FROM t WHERE id >= ?1"
	" ORDER BY id",
	DB_ROLE_SYSTEM,
};

struct thing {
	int64_t id;
	const char *name;
	int n;
	bool flag;
	bool no_ref;
	int seen; /* set by thing_each */
};
static const struct row_col thing_cols[] = {
	ROW_COL(ROW_I64, struct thing, id),
	ROW_COL(ROW_TEXT, struct thing, name),
	ROW_COL(ROW_INT, struct thing, n),
	ROW_COL(ROW_BOOL, struct thing, flag),
	ROW_COL(ROW_BOOL, struct thing, no_ref),
};

static int thing_each(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	(void)q;
	int *count = arg;
	((struct thing *)item)->seen = ++*count;
	return *count == 99 ? ERR_STORE : ERR_OK;
}

static const struct row_map thing_map = {
	sizeof(struct thing), thing_cols, 5, thing_each, NULL,
};

/* rows_list fills a struct per row through its column table (text ""
 * for NULL), rows_get tells found from not found, rows_change refuses a
 * write that changed nothing, a constraint is a conflict, and db_id
 * binds NULL for no record. */
static void rows(void **state)
{
	(void)state;
	char path[64];
	testdb_path(path, sizeof(path), "rows");
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 1000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct arena *a = arena_new(1u << 20);
	assert_int_equal(db_exec0(c, &st_make, NULL), DB_DONE);
	const char *none = NULL;
	assert_int_equal(rows_write(c, &st_put, 1, "one", 7, true, db_id(5)),
			 ERR_OK);
	assert_int_equal(rows_write(c, &st_put, 2, none, -3, false, db_id(0)),
			 ERR_OK);
	assert_int_equal(rows_write(c, &st_put, 2, "again", 0, false, NULL),
			 ERR_CONFLICT);

	struct thing *v = NULL;
	int n = -1, count = 0;
	assert_int_equal(rows_list(c, a, &st_all, &thing_map, &count, &v, &n, 1),
			 ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, 1);
	assert_string_equal(v[0].name, "one");
	assert_int_equal(v[0].n, 7);
	assert_true(v[0].flag);
	assert_false(v[0].no_ref);
	assert_int_equal(v[0].seen, 1);
	assert_string_equal(v[1].name, "");
	assert_int_equal(v[1].n, -3);
	assert_false(v[1].flag);
	assert_true(v[1].no_ref);
	assert_int_equal(v[1].seen, 2);
	/* no rows: an empty array, not NULL */
	v = NULL;
	assert_int_equal(rows_list(c, a, &st_all, &thing_map, &count, &v, &n, 9),
			 ERR_OK);
	assert_non_null(v);
	assert_int_equal(n, 0);
	/* each's error stops the read; the outputs are left alone */
	count = 97;
	v = NULL;
	n = -1;
	assert_int_equal(rows_list(c, a, &st_all, &thing_map, &count, &v, &n, 1),
			 ERR_STORE);
	assert_null(v);
	assert_int_equal(n, -1);

	struct db_q *q = NULL;
	assert_int_equal(rows_get(c, &st_all, &q, 2), ERR_OK);
	assert_int_equal(db_col_i64(q, 0), 2);
	db_done(q);
	assert_int_equal(rows_get(c, &st_all, &q, 3), ERR_NOTFOUND);
	assert_int_equal(rows_change(c, &st_rename, 1, "uno"), ERR_OK);
	assert_int_equal(rows_change(c, &st_rename, 3, "none"), ERR_CONFLICT);
	assert_int_equal(rows_get(c, &st_all, &q, 1), ERR_OK);
	assert_string_equal(rows_text(a, q, 1), "uno");
	db_done(q);

	arena_free(a);
	db_release(db, c);
	db_close(db);
	testdb_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(from_db),
		cmocka_unit_test(field_errors),
		cmocka_unit_test(rows),
	};
	return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
