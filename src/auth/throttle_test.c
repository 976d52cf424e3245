/* throttle_test.c: lockout, expiry, reset, eviction, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/throttle.h"
#include "db/db.h"
#include "db/testdb.h"

static int group_setup(void **state)
{
	(void)state;
	return password_init() == 0 ? 0 : -1;
}

static void bad_arguments(void **state)
{
	(void)state;
	assert_null(throttle_new(0, 60, 60, 10));
	assert_null(throttle_new(3, 0, 60, 10));
	assert_null(throttle_new(3, 60, 0, 10));
	assert_null(throttle_new(3, 60, 60, 0));
	assert_null(throttle_new(3, 60, 60, ((size_t)1 << 24) + 1));
	struct throttle *t = throttle_new(3, 60, 60, 1);
	assert_non_null(t);
	throttle_free(t);
	throttle_free(NULL);
}

static void lockout_and_expiry(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(3, 60, 300, 100);
	int wait = -1;
	time_t now = 1000000;
	assert_true(throttle_allowed(t, "u:alice", now, &wait));
	assert_int_equal(wait, 0);
	throttle_failure(t, "u:alice", now);
	throttle_failure(t, "u:alice", now + 10);
	assert_true(throttle_allowed(t, "u:alice", now + 11, &wait));
	throttle_failure(t, "u:alice", now + 20); /* third: locked */
	assert_false(throttle_allowed(t, "u:alice", now + 20, &wait));
	assert_int_equal(wait, 300);
	assert_false(throttle_allowed(t, "u:alice", now + 319, &wait));
	assert_int_equal(wait, 1);
	/* other keys are unaffected */
	assert_true(throttle_allowed(t, "u:bob", now + 20, NULL));
	assert_true(throttle_allowed(t, "a:192.0.2.1", now + 20, NULL));
	/* failures during the lockout neither extend it nor count */
	throttle_failure(t, "u:alice", now + 100);
	assert_false(throttle_allowed(t, "u:alice", now + 100, &wait));
	assert_int_equal(wait, 220);
	/* expiry: allowed again exactly when the lockout ends */
	assert_true(throttle_allowed(t, "u:alice", now + 320, &wait));
	assert_int_equal(wait, 0);
	/* the count starts again: one more failure does not lock */
	throttle_failure(t, "u:alice", now + 321);
	assert_true(throttle_allowed(t, "u:alice", now + 322, NULL));
	throttle_free(t);
}

static void window_slides_out(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(3, 60, 300, 100);
	time_t now = 5000;
	throttle_failure(t, "u:carol", now);
	throttle_failure(t, "u:carol", now + 30);
	/* the window (from the first failure) has passed: count restarts */
	throttle_failure(t, "u:carol", now + 60);
	assert_true(throttle_allowed(t, "u:carol", now + 61, NULL));
	throttle_failure(t, "u:carol", now + 70);
	throttle_failure(t, "u:carol", now + 80);
	assert_false(throttle_allowed(t, "u:carol", now + 81, NULL));
	throttle_free(t);
}

static void success_resets(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(3, 60, 300, 100);
	throttle_failure(t, "u:dave", 100);
	throttle_failure(t, "u:dave", 101);
	assert_int_equal(throttle_count(t), 1);
	throttle_success(t, "u:dave");
	assert_int_equal(throttle_count(t), 0);
	throttle_failure(t, "u:dave", 102);
	throttle_failure(t, "u:dave", 103);
	assert_true(throttle_allowed(t, "u:dave", 104, NULL));
	/* without the reset, the same pattern locks */
	throttle_failure(t, "u:dave", 104);
	assert_false(throttle_allowed(t, "u:dave", 105, NULL));
	throttle_success(t, "u:nobody"); /* unknown: ignored */
	assert_int_equal(throttle_count(t), 1);
	throttle_free(t);
}

static void eviction_at_capacity(void **state)
{
	(void)state;
	char key[32];
	struct throttle *t = throttle_new(2, 600, 600, 16);
	/* lock one key (until 601), then flood with many more keys than
	 * fit, all within the lockout */
	throttle_failure(t, "u:victim", 1);
	throttle_failure(t, "u:victim", 1);
	assert_false(throttle_allowed(t, "u:victim", 2, NULL));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "a:10.0.%d.%d", i / 256, i % 256);
		throttle_failure(t, key, 10 + i / 100);
		assert_true(throttle_count(t) <= 16);
	}
	assert_int_equal(throttle_count(t), 16);
	/* unlocked entries were evicted first: the lockout survived */
	assert_false(throttle_allowed(t, "u:victim", 100, NULL));
	/* the newest key is still tracked: a second failure locks it */
	throttle_failure(t, "a:10.0.19.135", 60);
	assert_false(throttle_allowed(t, "a:10.0.19.135", 61, NULL));
	/* an old, evicted key starts from nothing */
	throttle_failure(t, "a:10.0.0.0", 61);
	assert_true(throttle_allowed(t, "a:10.0.0.0", 62, NULL));
	assert_int_equal(throttle_count(t), 16);
	/* deleting keeps every remaining entry reachable */
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "a:10.0.%d.%d", i / 256, i % 256);
		throttle_success(t, key);
	}
	assert_int_equal(throttle_count(t), 1);
	assert_false(throttle_allowed(t, "u:victim", 600, NULL));
	/* once every entry is locked, the oldest locked one goes */
	struct throttle *t2 = throttle_new(1, 600, 600, 2);
	throttle_failure(t2, "u:a", 1);
	throttle_failure(t2, "u:b", 2);
	throttle_failure(t2, "u:c", 3);
	assert_int_equal(throttle_count(t2), 2);
	assert_true(throttle_allowed(t2, "u:a", 4, NULL));
	assert_false(throttle_allowed(t2, "u:b", 4, NULL));
	assert_false(throttle_allowed(t2, "u:c", 4, NULL));
	throttle_free(t2);
	throttle_success(t, "u:victim");
	assert_int_equal(throttle_count(t), 0);
	throttle_free(t);
}

static void stale_entries_dropped(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(5, 60, 60, 10);
	throttle_failure(t, "a:198.51.100.7", 100);
	assert_int_equal(throttle_count(t), 1);
	assert_true(throttle_allowed(t, "a:198.51.100.7", 100 + 61, NULL));
	assert_int_equal(throttle_count(t), 0);
	throttle_free(t);
}

static void reserve_counts_attempts_in_progress(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(5, 900, 900, 100);
	int wait = -1;
	/* five attempts at once are reserved; the sixth waits for them */
	for (int i = 0; i < 5; i++)
		assert_true(throttle_reserve(t, "u:erin", 100, &wait));
	assert_false(throttle_reserve(t, "u:erin", 100, &wait));
	assert_int_equal(wait, 1);
	/* two settle unused: two more may try */
	throttle_settle(t, "u:erin", 101, THROTTLE_UNUSED);
	throttle_settle(t, "u:erin", 101, THROTTLE_UNUSED);
	assert_true(throttle_reserve(t, "u:erin", 101, NULL));
	assert_true(throttle_reserve(t, "u:erin", 101, NULL));
	assert_false(throttle_reserve(t, "u:erin", 101, NULL));
	/* all five fail: the key is locked out for the full lockout */
	for (int i = 0; i < 5; i++)
		throttle_settle(t, "u:erin", 102, THROTTLE_FAILED);
	assert_false(throttle_reserve(t, "u:erin", 103, &wait));
	assert_int_equal(wait, 899);
	assert_false(throttle_allowed(t, "u:erin", 103, NULL));
	/* after the lockout, a success forgets earlier failures */
	assert_true(throttle_reserve(t, "u:erin", 1002, NULL));
	throttle_settle(t, "u:erin", 1002, THROTTLE_FAILED);
	assert_true(throttle_reserve(t, "u:erin", 1003, NULL));
	throttle_settle(t, "u:erin", 1003, THROTTLE_SUCCEEDED);
	assert_int_equal(throttle_count(t), 0);
	/* an entry with attempts in progress is neither stale nor evicted
	 * before idle entries */
	struct throttle *t2 = throttle_new(2, 60, 60, 2);
	assert_true(throttle_reserve(t2, "u:busy", 1, NULL));
	assert_true(throttle_allowed(t2, "u:busy", 500, NULL));
	throttle_failure(t2, "u:x", 2);
	throttle_failure(t2, "u:y", 3); /* evicts u:x, not u:busy */
	assert_true(throttle_reserve(t2, "u:busy", 4, NULL));
	assert_false(throttle_reserve(t2, "u:busy", 4, NULL));
	throttle_free(t2);
	throttle_free(t);
}

#define NTHREADS 8
#define NOPS 20000

struct worker {
	struct throttle *t;
	int id;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	char key[32];
	for (int i = 0; i < NOPS; i++) {
		snprintf(key, sizeof(key), "a:k%d", (i * 7 + w->id) % 97);
		time_t now = 1000 + i / 100;
		switch (i % 4) {
		case 0:
		case 1:
			throttle_failure(w->t, key, now);
			break;
		case 2:
			(void)throttle_allowed(w->t, key, now, NULL);
			break;
		default:
			if (i % 40 == 3)
				throttle_success(w->t, key);
			break;
		}
	}
	return NULL;
}

#define NSHARED 100

static _Atomic int reserved;

/* Each thread tries many times to reserve an attempt for one key and
 * settles every reservation as a failure, as parallel wrong passwords
 * would: the limit is never passed. */
static void *race_reserve(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 200; i++) {
		if (throttle_reserve(w->t, "u:target", 7000, NULL)) {
			reserved++;
			throttle_settle(w->t, "u:target", 7000, THROTTLE_FAILED);
		}
	}
	return NULL;
}

static void *hammer_shared(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < NSHARED; i++)
		throttle_failure(w->t, "u:shared", 5000);
	return NULL;
}

/* Runs NTHREADS threads of fn over t. */
static void run_threads(struct throttle *t, void *(*fn)(void *))
{
	pthread_t th[NTHREADS];
	struct worker w[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){t, i};
		assert_int_equal(pthread_create(&th[i], NULL, fn, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
}

static void threads(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(NTHREADS, 600, 600, 32);
	run_threads(t, hammer);
	assert_true(throttle_count(t) <= 32);
	throttle_free(t);

	/* no failure is lost under contention: exactly NTHREADS * NSHARED
	 * failures lock a key at that limit and not one at the limit + 1 */
	t = throttle_new(NTHREADS * NSHARED, 600, 600, 32);
	run_threads(t, hammer_shared);
	assert_false(throttle_allowed(t, "u:shared", 5001, NULL));
	throttle_free(t);
	t = throttle_new(NTHREADS * NSHARED + 1, 600, 600, 32);
	run_threads(t, hammer_shared);
	assert_true(throttle_allowed(t, "u:shared", 5001, NULL));
	throttle_free(t);
}

static void threads_reserve(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(5, 900, 900, 32);
	reserved = 0;
	run_threads(t, race_reserve);
	assert_int_equal(reserved, 5);
	throttle_free(t);
}


/* ---- in the store (D6, D43) ------------------------------------------ */

/* Two pools on one store stand for two server processes: each has its
 * own throttle (its own memory), with the same secret (the key file). */
static void store_shared_between_pools(void **state)
{
	(void)state;
	char path[512];
	testdb_path(path, sizeof(path), "throttle-store");
	testdb_remove(path);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000};
	struct db *d1 = NULL, *d2 = NULL;
	char err[256];
	assert_int_equal(db_open(path, &o, &d1, err, sizeof(err)), DB_OK);
	assert_int_equal(db_open(path, &o, &d2, err, sizeof(err)), DB_OK);
	struct db_conn *c1 = db_acquire(d1), *c2 = db_acquire(d2);
	db_set_role(c1, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c1, &from, &to), DB_OK);
	const unsigned char secret[32] = {1, 2, 3};
	struct throttle *t1 = throttle_new(3, 60, 300, 100);
	struct throttle *t2 = throttle_new(3, 60, 300, 100);
	assert_int_equal(throttle_use_store(t1, secret, 8), -1);
	assert_int_equal(throttle_use_store(t1, secret, sizeof(secret)), 0);
	assert_int_equal(throttle_use_store(t2, secret, sizeof(secret)), 0);
	time_t now = 1000000;
	int wait = -1;
	/* two failures through the first process, one through the second:
	 * the key is locked out in both */
	for (int i = 0; i < 3; i++) {
		struct throttle *t = i < 2 ? t1 : t2;
		struct db_conn *c = i < 2 ? c1 : c2;
		assert_int_equal(throttle_reserve_db(t, c, "u:alice", now, &wait), 1);
		assert_int_equal(wait, 0);
		assert_int_equal(throttle_settle_db(t, c, "u:alice", now,
						    THROTTLE_FAILED), DB_OK);
	}
	assert_int_equal(throttle_reserve_db(t1, c1, "u:alice", now + 1, &wait), 0);
	assert_int_equal(wait, 299);
	assert_int_equal(throttle_reserve_db(t2, c2, "u:alice", now + 1, &wait), 0);
	/* nothing was counted in either process's memory */
	assert_int_equal(throttle_count(t1), 0);
	assert_int_equal(throttle_count(t2), 0);
	/* another key is not held */
	assert_int_equal(throttle_reserve_db(t2, c2, "u:bob", now, &wait), 1);
	/* an attempt in progress in one process counts in the other */
	assert_int_equal(throttle_reserve_db(t2, c2, "u:bob", now, &wait), 1);
	assert_int_equal(throttle_reserve_db(t1, c1, "u:bob", now, &wait), 1);
	assert_int_equal(throttle_reserve_db(t1, c1, "u:bob", now, &wait), 0);
	assert_int_equal(wait, 1);
	/* a process that died with its reservations: forgotten in time */
	assert_int_equal(throttle_reserve_db(t1, c1, "u:bob",
					     now + THROTTLE_PENDING_TTL + 1,
					     &wait), 1);
	/* a success in one forgets the failures in both */
	assert_int_equal(throttle_settle_db(t1, c1, "u:bob", now,
					    THROTTLE_SUCCEEDED), DB_OK);
	/* the lockout ends at its time */
	assert_int_equal(throttle_reserve_db(t2, c2, "u:alice", now + 300, &wait), 1);
	assert_int_equal(throttle_settle_db(t2, c2, "u:alice", now + 300,
					    THROTTLE_SUCCEEDED), DB_OK);
	assert_int_equal(testdb_count(path, "SELECT count(*) FROM login_throttle"
				      " WHERE key_hash LIKE '%alice%'"), 0);
	/* a throttle with another secret (another deployment) does not
	 * share the counts */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(throttle_reserve_db(t1, c1, "u:carol", now, &wait), 1);
		assert_int_equal(throttle_settle_db(t1, c1, "u:carol", now,
						    THROTTLE_FAILED), DB_OK);
	}
	struct throttle *t3 = throttle_new(3, 60, 300, 100);
	const unsigned char other[32] = {9};
	assert_int_equal(throttle_use_store(t3, other, sizeof(other)), 0);
	assert_int_equal(throttle_reserve_db(t3, c2, "u:carol", now, &wait), 1);
	assert_int_equal(throttle_reserve_db(t2, c2, "u:carol", now, &wait), 0);
	/* the council of the connection is put back */
	db_set_council(c2, "XY");
	assert_int_equal(throttle_reserve_db(t2, c2, "u:dave", now, &wait), 1);
	assert_string_equal(db_council(c2), "XY");
	throttle_free(t1);
	throttle_free(t2);
	throttle_free(t3);
	db_release(d1, c1);
	db_release(d2, c2);
	db_close(d1);
	db_close(d2);
	testdb_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(lockout_and_expiry),
		cmocka_unit_test(window_slides_out),
		cmocka_unit_test(success_resets),
		cmocka_unit_test(eviction_at_capacity),
		cmocka_unit_test(stale_entries_dropped),
		cmocka_unit_test(threads),
		cmocka_unit_test(reserve_counts_attempts_in_progress),
		cmocka_unit_test(threads_reserve),
		cmocka_unit_test(store_shared_between_pools),
	};
	return cmocka_run_group_tests_name("throttle", tests, group_setup,
					   NULL);
}
