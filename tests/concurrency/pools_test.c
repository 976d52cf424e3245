/*
 * pools_test.c: several server processes on one store (issue 10 §1,
 * D43), each stood for by a pool of its own (db_open twice on one
 * database): a session or API token made through one is valid through
 * the other, and a sign-out or revocation through one ends it in both.
 * On both stores (CAIRN_TEST_DB=postgres); on PostgreSQL as an ordinary
 * role, so row-level security holds every connection, and each
 * connection acts for the council as the request pipeline would (none
 * while looking a session up, the user's once known).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "db/db.h"
#include "db/testdb.h"

static const struct db_stmt st_council = {
	"test_pools_council",
	"INSERT INTO council (council, name) VALUES (?1, ?1)",
	DB_ROLE_SYSTEM,
};

/* A database for the test: on PostgreSQL one owned by an ordinary role
 * (row-level security applies), else a SQLite file. */
static void shared_path(char *path, size_t n, const char *name)
{
	testdb_path(path, n, name);
	if (db_is_uri(path)) {
		char app[512];
		assert_int_equal(testdb_pg_createdb_app(name, app, sizeof(app)),
				 0);
		snprintf(path, n, "%s", app);
	} else {
		testdb_remove(path);
	}
}

static struct db *open_pool(const char *path)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000};
	if (db_open(path, &o, &db, err, sizeof(err)) != DB_OK)
		fail_msg("db_open: %s", err);
	return db;
}

static void sessions_and_tokens_shared(void **state)
{
	(void)state;
	char path[512], err[256];
	shared_path(path, sizeof(path), "pools");
	struct db *p1 = open_pool(path), *p2 = open_pool(path);
	struct db_conn *a = db_acquire(p1), *b = db_acquire(p2);
	db_set_role(a, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(a, &from, &to), DB_OK);
	assert_int_equal(db_exec(a, &st_council, NULL, "tst"), DB_DONE);
	assert_int_equal(db_exec(a, &st_council, NULL, "oth"), DB_DONE);
	int64_t uid = 0, uid2 = 0;
	assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
	assert_int_equal(user_add(a, "tst", "sam.worker", "Sam Worker",
				  ROLE_SOCIAL_WORKER, 0, 0,
				  "a long test password", &uid, err,
				  sizeof(err)), 0);
	assert_int_equal(user_add(a, "oth", "olly.worker", "Olly Worker",
				  ROLE_SOCIAL_WORKER, 0, 0,
				  "a long test password", &uid2, err,
				  sizeof(err)), 0);
	assert_int_equal(db_commit(a), DB_OK);

	/* signed in through the first process */
	int64_t now = 1700000000;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	db_set_role(a, DB_ROLE_AUTH);
	db_set_council(a, "tst");
	assert_int_equal(session_create(a, "tst", uid, now, tok, csrf), 0);
	/* and of another council, through the second */
	char tok2[TOKEN_LEN + 1], csrf2[TOKEN_LEN + 1];
	db_set_role(b, DB_ROLE_AUTH);
	db_set_council(b, "oth");
	assert_int_equal(session_create(b, "oth", uid2, now, tok2, csrf2), 0);

	/* looked up through the second, before the council is known */
	struct session s;
	db_set_council(b, NULL);
	assert_int_equal(session_lookup(b, tok, now + 10, 3600, 86400, &s), 1);
	assert_string_equal(s.council, "tst");
	assert_int_equal(s.user_id, uid);
	assert_string_equal(s.csrf, csrf);
	struct user u;
	assert_int_equal(user_get(b, s.council, s.user_id, &u), 1);
	db_set_council(a, NULL);
	assert_int_equal(session_lookup(a, tok2, now + 10, 3600, 86400, &s), 1);
	assert_string_equal(s.council, "oth");

	/* an API token made through the first works through the second */
	char api[TOKEN_LEN + 1];
	int64_t token_id = 0;
	db_set_role(a, RB_ADMIN);
	db_set_council(a, "tst");
	assert_int_equal(apitoken_create(a, "tst", uid, now + 3600, api,
					 &token_id), 0);
	db_set_role(b, DB_ROLE_AUTH);
	db_set_council(b, NULL);
	assert_int_equal(apitoken_lookup(b, api, now + 20, &u), 1);
	assert_string_equal(u.council, "tst");
	assert_int_equal(u.user_id, uid);

	/* signed out through the second: ended in both */
	db_set_council(b, "tst");
	assert_int_equal(session_destroy(b, tok), 0);
	db_set_role(a, DB_ROLE_AUTH);
	db_set_council(a, NULL);
	assert_int_equal(session_lookup(a, tok, now + 30, 3600, 86400, &s), 0);
	db_set_council(b, NULL);
	assert_int_equal(session_lookup(b, tok, now + 30, 3600, 86400, &s), 0);
	/* the other council's session is untouched */
	assert_int_equal(session_lookup(a, tok2, now + 30, 3600, 86400, &s), 1);

	/* revoked through the second: refused through the first */
	db_set_role(b, RB_ADMIN);
	db_set_council(b, "tst");
	assert_int_equal(apitoken_revoke(b, "tst", token_id), 0);
	assert_int_equal(apitoken_lookup(a, api, now + 40, &u), 0);

	/* a sign-out for one council cannot end another's session: acting
	 * for "tst", the other council's row is out of reach on PostgreSQL
	 * (row-level security), and the token names it on both */
	db_set_role(b, DB_ROLE_AUTH);
	db_set_council(b, "tst");
	assert_int_equal(session_destroy(b, tok2), 0);
	if (db_is_uri(path))
		assert_int_equal(session_lookup(a, tok2, now + 50, 3600, 86400,
						&s), 1);

	db_release(p1, a);
	db_release(p2, b);
	db_close(p1);
	db_close(p2);
	testdb_remove(path);
}

int main(void)
{
	if (password_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sessions_and_tokens_shared),
	};
	return cmocka_run_group_tests_name("pools", tests, NULL, NULL);
}
