/* session_test.c: session create/lookup/expiry/destroy/purge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "db/db.h"
#include "db/testdb.h"

static const struct db_stmt st_seed_council = {
	"test_session_seed_council",
	"INSERT INTO council (council, name) VALUES (?1, ?2)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_count = {
	"test_session_count", "SELECT count(*) FROM session", DB_ROLE_SYSTEM,
};
static const struct db_stmt st_seen = {
	"test_session_seen", "SELECT seen_at FROM session WHERE user_id = ?1",
	DB_ROLE_SYSTEM,
};

struct fixture {
	char path[80];
	struct db *db;
	struct db_conn *c;
	int64_t uid;
};

static void unlink_db(const char *path)
{
	testdb_remove(path);
}

static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	int from, to;
	memset(&f, 0, sizeof(f));
	testdb_path(f.path, sizeof(f.path), "sessiontest");
	unlink_db(f.path);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000, .synchronous_full = false};
	if (db_open(f.path, &o, &f.db, err, sizeof(err)) != DB_OK)
		return -1;
	f.c = db_acquire(f.db);
	db_set_role(f.c, DB_ROLE_SYSTEM);
	if (db_migrate(f.c, &from, &to) != DB_OK ||
	    db_exec(f.c, &st_seed_council, NULL, "tst", "Test Council") !=
		    DB_DONE)
		return -1;
	if (db_begin(f.c, DB_TX_WRITE) != DB_OK ||
	    user_add(f.c, "tst", "sam.worker", "Sam Worker",
		     ROLE_SOCIAL_WORKER, 0, 0, "a long test password", &f.uid,
		     err, sizeof(err)) != 0 ||
	    db_commit(f.c) != DB_OK)
		return -1;
	db_set_role(f.c, DB_ROLE_AUTH);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_release(f->db, f->c);
	db_close(f->db);
	unlink_db(f->path);
	return 0;
}

static int64_t count_sessions(struct db_conn *c)
{
	struct db_q *q;
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec0(c, &st_count, &q), DB_ROW);
	int64_t n = db_col_i64(q, 0);
	while (db_step(q) == DB_ROW)
		;
	db_set_role(c, DB_ROLE_AUTH);
	return n;
}

static int64_t seen_at(struct db_conn *c, int64_t uid)
{
	struct db_q *q;
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec(c, &st_seen, &q, uid), DB_ROW);
	int64_t v = db_col_i64(q, 0);
	while (db_step(q) == DB_ROW)
		;
	db_set_role(c, DB_ROLE_AUTH);
	return v;
}

static void create_and_lookup(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	assert_true(token_shape_ok(tok, strlen(tok)));
	assert_true(token_shape_ok(csrf, strlen(csrf)));
	assert_string_not_equal(tok, csrf);
	assert_int_equal(session_lookup(f->c, tok, 1010, 600, 3600, &s), 1);
	assert_string_equal(s.council, "tst");
	assert_int_equal(s.user_id, f->uid);
	assert_true(token_equal(s.csrf, csrf));
	assert_int_equal(s.created_at, 1000);
	assert_int_equal(s.seen_at, 1000); /* not refreshed within 60 s */
	assert_int_equal(seen_at(f->c, f->uid), 1000);
	/* the token itself is not what is stored: looking up its hash
	 * as if it were a token finds nothing */
	char h[TOKEN_HASH_LEN + 1];
	token_hash(tok, h);
	assert_int_equal(session_lookup(f->c, h, 1010, 600, 3600, &s), 0);
}

static void refresh_after_a_minute(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	assert_int_equal(session_lookup(f->c, tok, 1060, 600, 3600, &s), 1);
	assert_int_equal(seen_at(f->c, f->uid), 1000);
	assert_int_equal(session_lookup(f->c, tok, 1061, 600, 3600, &s), 1);
	assert_int_equal(s.seen_at, 1061);
	assert_int_equal(seen_at(f->c, f->uid), 1061);
}

/* Finding: with a one-minute idle timeout the refresh interval (also a
 * minute) meant seen_at was never refreshed, and an active user was
 * signed out 60 s after signing in. */
static void short_idle_timeout_kept_alive(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	/* a request every 40 s for ten minutes, idle timeout 60 s */
	for (int64_t t = 1040; t <= 1600; t += 40)
		assert_int_equal(session_lookup(f->c, tok, t, 60, 3600, &s), 1);
	/* then 60 s without a request: signed out */
	assert_int_equal(session_lookup(f->c, tok, 1600 + 60, 60, 3600, &s), 0);
}

static void tampered_and_short(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1], bad[TOKEN_LEN + 2];
	struct session s = {.user_id = -7};
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	memcpy(bad, tok, sizeof(tok));
	bad[3] = bad[3] == 'x' ? 'y' : 'x';
	assert_int_equal(session_lookup(f->c, bad, 1001, 600, 3600, &s), 0);
	memcpy(bad, tok, sizeof(tok));
	bad[TOKEN_LEN - 1] = '\0';
	assert_int_equal(session_lookup(f->c, bad, 1001, 600, 3600, &s), 0);
	memcpy(bad, tok, sizeof(tok));
	bad[TOKEN_LEN] = 'A';
	bad[TOKEN_LEN + 1] = '\0';
	assert_int_equal(session_lookup(f->c, bad, 1001, 600, 3600, &s), 0);
	assert_int_equal(session_lookup(f->c, "", 1001, 600, 3600, &s), 0);
	assert_int_equal(session_lookup(f->c, NULL, 1001, 600, 3600, &s), 0);
	assert_int_equal(s.user_id, -7); /* untouched on 0 */
	/* the real one still works */
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 1);
}

static void idle_expiry(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	assert_int_equal(session_lookup(f->c, tok, 1599, 600, 3600, &s), 1);
	/* refreshed at 1599; idle from there */
	assert_int_equal(session_lookup(f->c, tok, 2198, 600, 3600, &s), 1);
	assert_int_equal(session_lookup(f->c, tok, 2798, 600, 3600, &s), 0);
	/* the expired row was deleted: even an earlier clock finds nothing */
	assert_int_equal(count_sessions(f->c), 0);
	assert_int_equal(session_lookup(f->c, tok, 2200, 600, 3600, &s), 0);
}

/* session_lookup_ex says whose an expired session was (once: the row
 * is then gone), and nothing for a live, unknown or junk token. */
static void expired_names_its_user(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1], other[TOKEN_LEN + 1];
	struct session s, ex;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	memset(&ex, 0, sizeof(ex));
	assert_int_equal(session_lookup_ex(f->c, tok, 1001, 600, 3600, &s, &ex),
			 1);
	assert_int_equal(ex.user_id, 0);
	token_new(other);
	assert_int_equal(session_lookup_ex(f->c, other, 1001, 600, 3600, &s,
					   &ex), 0);
	assert_int_equal(ex.user_id, 0);
	assert_int_equal(session_lookup_ex(f->c, "junk", 1001, 600, 3600, &s,
					   &ex), 0);
	assert_int_equal(ex.user_id, 0);
	assert_int_equal(session_lookup_ex(f->c, tok, 1700, 600, 3600, &s, &ex),
			 0);
	assert_int_equal(ex.user_id, f->uid);
	assert_string_equal(ex.council, "tst");
	assert_string_equal(ex.csrf, csrf);
	memset(&ex, 0, sizeof(ex));
	assert_int_equal(session_lookup_ex(f->c, tok, 1700, 600, 3600, &s, &ex),
			 0);
	assert_int_equal(ex.user_id, 0);
}

static void absolute_expiry(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	/* active every 90 s: idle never triggers */
	for (int64_t t = 1090; t < 1300; t += 90)
		assert_int_equal(session_lookup(f->c, tok, t, 100, 300, &s), 1);
	assert_int_equal(session_lookup(f->c, tok, 1299, 100, 300, &s), 1);
	assert_int_equal(session_lookup(f->c, tok, 1300, 100, 300, &s), 0);
	assert_int_equal(count_sessions(f->c), 0);
}

static void destroy(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	char tok2[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok2, csrf), 0);
	assert_int_equal(session_destroy(f->c, tok), 0);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 0);
	/* only that one */
	assert_int_equal(session_lookup(f->c, tok2, 1001, 600, 3600, &s), 1);
	/* destroying again, or junk, is fine */
	assert_int_equal(session_destroy(f->c, tok), 0);
	assert_int_equal(session_destroy(f->c, "junk"), 0);
	assert_int_equal(session_destroy(f->c, NULL), 0);
}

static void purge(void **state)
{
	struct fixture *f = *state;
	char t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1], t3[TOKEN_LEN + 1];
	char csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, t1, csrf), 0);
	assert_int_equal(session_create(f->c, "tst", f->uid, 2000, t2, csrf), 0);
	assert_int_equal(session_create(f->c, "tst", f->uid, 2500, t3, csrf), 0);
	/* at 2600 with idle 600: t1 (seen 1000) is idle-expired; with
	 * absolute 550: t2 (created 2000) is too; t3 lives */
	assert_int_equal(session_purge(f->c, 2600, 600, 550), 2);
	assert_int_equal(count_sessions(f->c), 1);
	assert_int_equal(session_lookup(f->c, t3, 2600, 600, 550, &s), 1);
	assert_int_equal(session_purge(f->c, 2600, 600, 550), 0);
}

static void disabled_user(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_set_disabled(f->c, "tst", "sam.worker", true), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 0);
	/* even a session created afterwards is refused */
	assert_int_equal(session_create(f->c, "tst", f->uid, 1002, tok, csrf), 0);
	assert_int_equal(session_lookup(f->c, tok, 1003, 600, 3600, &s), 0);
}

static void roles_and_bad_input(void **state)
{
	struct fixture *f = *state;
	char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	struct session s;
	/* the system role may; a signed-in role may not */
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf), 0);
	db_set_role(f->c, RB_SOCIAL_WORKER);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s),
			 DB_EDENIED);
	assert_int_equal(session_create(f->c, "tst", f->uid, 1000, tok, csrf),
			 DB_EDENIED);
	assert_string_equal(tok, "");
	assert_string_equal(csrf, "");
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_create(f->c, "a-council-code-too-long",
					f->uid, 1000, tok, csrf),
			 DB_ECONSTRAINT);
	assert_int_equal(session_create(f->c, NULL, f->uid, 1000, tok, csrf),
			 DB_ECONSTRAINT);
}

int main(void)
{
	if (password_init() != 0)
		return 1;
	password_set_cost(PASSWORD_COST_MIN);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(create_and_lookup),
		T(refresh_after_a_minute),
		T(short_idle_timeout_kept_alive),
		T(tampered_and_short),
		T(idle_expiry),
		T(expired_names_its_user),
		T(absolute_expiry),
		T(destroy),
		T(purge),
		T(disabled_user),
		T(roles_and_bad_input),
	};
#undef T
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
