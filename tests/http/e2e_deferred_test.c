/*
 * e2e_deferred_test.c: a read is answered only once its audit row is
 * durable, whichever way the server waits for the group commit
 * (docs/decisions.md D58):
 *   - a thread per connection (the default): the request's thread waits;
 *   - a pool of threads (`threads = 2`): the connection is suspended and
 *     the committer resumes it, no thread waiting.
 * For each: the child's page and "My work" are in the audit as soon as
 * they arrive; 8 clients reading at once get every page, each read
 * audited exactly once (none lost, none twice); and when the audit
 * cannot be written the page is replaced by an error that shows nothing
 * of the child (SQLite only: a trigger makes the audit's insert fail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

static int up_with(const char *conf)
{
	return e2e_server_start_conf(&srv, 12, conf);
}

static int up_default(void **state)
{
	(void)state;
	return up_with(NULL);
}

static int up_pool(void **state)
{
	(void)state;
	return up_with("threads = 2\n");
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long reads_of(const char *user, long long child)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
					 "SELECT count(*) FROM audit WHERE username = '%s'"
					 " AND action = 'read' AND entity = 'child' AND child_id = %lld",
					 user, child);
	return e2e_sql_int(&srv, sql);
}

/* The child's page and My work are in the audit when they arrive. */
static void audited_on_arrival(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "tm.demo", DEMO_PASSWORD));
	long long before = reads_of("tm.demo", 1);
	assert_int_equal(e2e_get(&c, "/children/1"), 200);
	assert_int_equal(reads_of("tm.demo", 1), before + 1);
	e2e_client_free(&c);

	/* My work lists the social worker's children: its list row (and
   * each child shown, in audit_seen) is there too */
	struct e2e_client s;
	e2e_client_init(&s, &srv);
	assert_true(e2e_sign_in(&s, "sw.demo", DEMO_PASSWORD));
	long long lists =
			e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE username = 'sw.demo'"
												" AND action = 'list' AND entity = 'child'");
	assert_int_equal(e2e_get(&s, "/"), 200);
	assert_true(e2e_has(&s, "My work"));
	long long after =
			e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE username = 'sw.demo'"
												" AND action = 'list' AND entity = 'child'");
	assert_true(after > lists);
	e2e_client_free(&s);
}

#define READERS 8
#define PAGES 15

struct reader {
	const char *cookies; /* one signed-in session for all readers (a
                        * sign-in each would meet the throttle) */
	int ok;              /* pages answered 200 */
};

static void *read_pages(void *arg)
{
	struct reader *rd = arg;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	snprintf(c.cookies, sizeof(c.cookies), "%s", rd->cookies);
	for (int i = 0; i < PAGES; i++) {
		long st = e2e_get(&c, "/children/2");
		if (st == 200 && e2e_has(&c, "<h1"))
			rd->ok++;
		else
			fprintf(stderr, "reader: %ld %.200s\n", st, c.r.body ? c.r.body : "");
	}
	e2e_client_free(&c);
	return NULL;
}

/* Clients reading at once: every page answered, each read audited
 * exactly once (a deferred request is neither lost nor committed
 * twice). */
static void readers_at_once(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "tm.demo", DEMO_PASSWORD));
	long long before = reads_of("tm.demo", 2);
	pthread_t th[READERS];
	struct reader rd[READERS];
	memset(rd, 0, sizeof(rd));
	for (int i = 0; i < READERS; i++)
		rd[i].cookies = c.cookies;
	for (int i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, read_pages, &rd[i]), 0);
	int ok = 0;
	for (int i = 0; i < READERS; i++) {
		pthread_join(th[i], NULL);
		ok += rd[i].ok;
	}
	assert_int_equal(ok, READERS * PAGES);
	assert_int_equal(reads_of("tm.demo", 2), before + READERS * PAGES);
	e2e_client_free(&c);
}

/* The audit cannot be written: the page is an error, with nothing of
 * the child in it; once it can, the page is back. */
static void unaudited_not_shown(void **state)
{
	(void)state;
	if (e2e_sqlite_only("a trigger on the audit table fails its insert"))
		return;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "tm.demo", DEMO_PASSWORD));
	char *family =
			e2e_sql_text(&srv, "SELECT family_name FROM child WHERE child_id = 3");
	assert_non_null(family);
	assert_int_equal(e2e_get(&c, "/children/3"), 200);
	assert_true(e2e_has(&c, family));
	long long before = reads_of("tm.demo", 3);
	assert_int_equal(e2e_sql_exec(&srv, "CREATE TRIGGER test_audit_fails BEFORE"
																			" INSERT ON audit BEGIN SELECT"
																			" RAISE(ABORT, 'test'); END"),
									 0);
	assert_int_equal(e2e_get(&c, "/children/3"), 500);
	assert_false(e2e_has(&c, family));
	assert_int_equal(reads_of("tm.demo", 3), before);
	assert_int_equal(e2e_sql_exec(&srv, "DROP TRIGGER test_audit_fails"), 0);
	assert_int_equal(e2e_get(&c, "/children/3"), 200);
	assert_true(e2e_has(&c, family));
	assert_int_equal(reads_of("tm.demo", 3), before + 1);
	free(family);
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(audited_on_arrival),
			cmocka_unit_test(readers_at_once),
			cmocka_unit_test(unaudited_not_shown),
	};
	int failed = cmocka_run_group_tests_name("thread per connection", tests,
																					 up_default, down);
	failed += cmocka_run_group_tests_name("thread pool, deferred answers", tests,
																				up_pool, down);
	return failed ? 1 : 0;
}
