/* e2e_store_test.c: the store as the `cairn` binary has it.
 *
 * After `cairn demo` (whose bulk generator chooses its own ids) every
 * id counter is past what its table holds, and records made afterwards
 * through the pages get fresh ids.  `cairn db statements` lists what
 * each role's statements read and write, as a table or CSV, and --check
 * names a statement that no longer prepares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

#define OUT_MAX (1u << 20)
static char out[OUT_MAX];

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 40);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

/* kind (a table) and its id column */
static const char *const kinds[][2] = {
	{"app_user", "user_id"},        {"child", "child_id"},
	{"child_history", "seq"},       {"address", "address_id"},
	{"network_member", "member_id"}, {"flag", "flag_id"},
	{"contact", "contact_id"},      {"referral", "referral_id"},
	{"scrutiny_review", "review_id"}, {"scrutiny_rec", "rec_id"},
	{"scrutiny_action", "action_id"}, {"scrutiny_update", "update_id"},
	{"scrutiny_comment", "comment_id"}, {"api_token", "token_id"},
};

static long long max_id(const char *table, const char *col)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT COALESCE(MAX(%s), 0) FROM %s WHERE council = 'nwd'",
		 col, table);
	return e2e_sql_int(&srv, sql);
}

static long long counter(const char *kind)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT COALESCE((SELECT next FROM id_counter WHERE"
		 " council = 'nwd' AND kind = '%s'), 0)", kind);
	return e2e_sql_int(&srv, sql);
}

static void demo_then_fresh_ids(void **state)
{
	(void)state;
	assert_true(max_id("child", "child_id") >= 40);
	/* every counter is past what its table holds (a table the demo
	 * fills has one; an empty one may not yet) */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		long long m = max_id(kinds[i][0], kinds[i][1]);
		long long n = counter(kinds[i][0]);
		if (m > 0 && n != m + 1)
			fail_msg("%s: counter %lld, highest id %lld", kinds[i][0],
				 n, m);
	}

	/* a child made through the page gets the next id, not one the
	 * demo used */
	long long before = max_id("child", "child_id");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/children/new"), 200);
	char form[1024];
	snprintf(form, sizeof(form),
		 "csrf=%s&given_name=Ysolde&family_name=Ferncastle&gender=2"
		 "&ethnicity=WBRI&dob_status=known&dob-day=3&dob-month=4"
		 "&dob-year=2019&confirm_not_duplicate=yes", c.csrf);
	assert_int_equal(e2e_post(&c, "/children", form), 303);
	assert_int_equal(max_id("child", "child_id"), before + 1);
	assert_int_equal(counter("child"), before + 2);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM child WHERE"
				     " family_name = 'Ferncastle'"), 1);
	e2e_client_free(&c);
}

static void statements_report(void **state)
{
	(void)state;
	/* the binary's catalogue prepares on a new database and on the
	 * demo's */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--check", NULL), 0);
	assert_non_null(strstr(out, "all prepare"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--check", "--db", srv.db,
				   NULL), 0);

	/* a role's table: its statements, each table and operation */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--role", "partner", NULL), 0);
	assert_non_null(strstr(out, "partner: "));
	assert_non_null(strstr(out, "STATEMENT"));
	assert_non_null(strstr(out, "child_get"));
	assert_null(strstr(out, "front-door: "));
	/* signing in is not the partner's: the auth pseudo-role's */
	assert_null(strstr(out, "user_auth "));

	/* every role in turn, the pseudo-roles last */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", NULL), 0);
	char *fd = strstr(out, "front-door: "), *sys = strstr(out, "system: ");
	char *auth = strstr(out, "auth: ");
	assert_true(fd && sys && auth && fd < sys && sys < auth);
	assert_non_null(strstr(auth, "user_auth "));

	/* CSV: one row a (role, statement, table, operation) */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--format", "csv", NULL), 0);
	assert_memory_equal(out, "role,statement,table,operation\r\n", 32);
	assert_non_null(strstr(out, "\r\nfront-door,contact_ins,contact,insert\r\n"));
	assert_non_null(strstr(out, "\r\nadmin,user_ins,app_user,insert\r\n"));
	assert_null(strstr(out, "\r\npartner,contact_ins,"));

	/* usage errors */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--role", "nobody", NULL), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "db",
				   "statements", "--format", "xml", NULL), 2);
}

/* --check fails, naming the statement, when the schema lacks a table
 * a statement needs.  Last: it changes the database (and restores it). */
static void statements_check_fails(void **state)
{
	(void)state;
	assert_int_equal(e2e_sql_exec(&srv, "ALTER TABLE flag RENAME TO"
				      " flag_gone"), 0);
	int rc = e2e_cairn(&srv, NULL, out, sizeof(out), "db", "statements",
			   "--check", "--db", srv.db, NULL);
	assert_int_equal(e2e_sql_exec(&srv, "ALTER TABLE flag_gone RENAME TO"
				      " flag"), 0);
	assert_int_equal(rc, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_then_fresh_ids),
		cmocka_unit_test(statements_report),
		cmocka_unit_test(statements_check_fails),
	};
	return cmocka_run_group_tests_name("e2e_store", tests, up, down);
}
