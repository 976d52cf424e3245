/* audit_test.c: the chain is built, verified, and every kind of tampering
 * (change, delete in the middle, delete the newest, drop a chain) is
 * found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "db/testdb.h"

static char path[64];

static void rm_db(void)
{
	testdb_remove(path);
}

static void tamper(const char *sql)
{
	testdb_exec(path, sql);
}

static struct db *open_db(void)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {1, 2000, false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	return db;
}

static void write_events(struct db *db, const char *council, int n)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	for (int i = 0; i < n; i++) {
		struct audit_event ev = {
			council, 7, "sw.test", "social-worker", "read", "child",
			i + 1, i + 1, "req-1", "127.0.0.1",
		};
		assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
		assert_int_equal(audit_append(c, &ev), DB_OK);
		assert_int_equal(db_commit(c), DB_OK);
	}
	db_release(db, c);
}

static bool verify(struct db *db, struct audit_verify_result *r)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(audit_verify(c, r), 0);
	db_release(db, c);
	return r->ok;
}

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/cairn-audittest-%d.db", (int)getpid());
	rm_db();
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(db, c);
	db_close(db);
	tamper("INSERT INTO council (council, name) VALUES ('aaa', 'A');"
	       "INSERT INTO council (council, name) VALUES ('bbb', 'B');");
	db = open_db();
	write_events(db, "aaa", 5);
	write_events(db, "bbb", 3);
	db_close(db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_db();
	return 0;
}

static void intact(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 8);
	assert_int_equal(strlen(r.head_hash), 64);
	db_close(db);
}

static void outside_tx_refused(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	struct audit_event ev = {"aaa", 1, "x", "social-worker", "read",
				 "child", 1, 1, "-", "-"};
	assert_int_not_equal(audit_append(c, &ev), DB_OK);
	db_release(db, c);
	db_close(db);
}

static void changed_row(void **state)
{
	(void)state;
	tamper("UPDATE audit SET action = 'update' WHERE council = 'aaa' AND seq = 3");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 3);
	db_close(db);
}

static void deleted_middle(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'bbb' AND seq = 2");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	assert_int_equal(r.bad_seq, 2);
	db_close(db);
}

static void deleted_newest(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'aaa' AND seq = 5");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 5);
	db_close(db);
}

static void deleted_chain(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'bbb'");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	db_close(db);
}

static void rewritten_hash_only(void **state)
{
	(void)state;
	/* changing a hash breaks the next row's link */
	tamper("UPDATE audit SET hash = CASE WHEN substr(hash, 1, 1) = '0'"
	       " THEN '1' || substr(hash, 2) ELSE '0' || substr(hash, 2) END"
	       " WHERE council = 'aaa' AND seq = 1");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_int_equal(r.bad_seq, 1);
	db_close(db);
}

struct submitter {
	struct audit_batcher *b;
	int n;
	int failures;
};

static void *submit_many(void *arg)
{
	struct submitter *s = arg;
	for (int i = 0; i < s->n; i++) {
		struct audit_event ev = {"aaa", 9, "tm.test", "team-manager",
					 "read", "child", i + 1, i + 1, "req-b",
					 "127.0.0.1"};
		if (audit_batcher_submit(s->b, &ev) != 0)
			s->failures++;
	}
	return NULL;
}

static void group_commit(void **state)
{
	(void)state;
	struct db *db = NULL;
	char err[256];
	struct db_options o = {3, 5000, false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	struct audit_batcher *b = audit_batcher_new(db);
	assert_non_null(b);
	enum { THREADS = 8, EACH = 50 };
	pthread_t th[THREADS];
	struct submitter s[THREADS];
	for (int i = 0; i < THREADS; i++) {
		s[i] = (struct submitter){b, EACH, 0};
		assert_int_equal(pthread_create(&th[i], NULL, submit_many, &s[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(s[i].failures, 0);
	}
	uint64_t batches, rows;
	audit_batcher_stats(b, &batches, &rows);
	assert_int_equal(rows, THREADS * EACH);
	assert_true(batches >= 1 && batches <= rows);
	audit_batcher_free(b);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 8 + THREADS * EACH);
	db_close(db);
	audit_batcher_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(intact, setup, teardown),
		cmocka_unit_test_setup_teardown(outside_tx_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_row, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(rewritten_hash_only, setup, teardown),
		cmocka_unit_test_setup_teardown(group_commit, setup, teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
