/*
 * e2e_child_test.c: the child's record end to end over loopback: create
 * through the form with every kind of bad input refused (wrong NHS check
 * digit, wrong UPN letter, impossible date, future date, unknown
 * ethnicity code) and nothing written; the duplicate warning; a search
 * by a misspelt name; an edit with history; "who has viewed" for
 * managers only; the same through the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules/uktime.h"

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 150);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long children(void)
{
	return e2e_sql_int(&srv, "SELECT count(*) FROM child");
}

static long create(struct e2e_client *c, const char *extra)
{
	char form[2048];
	snprintf(form, sizeof(form),
		 "csrf=%s&given_name=Zebedee&family_name=Quartermaine"
		 "&gender=1&ethnicity=WBRI%s", c->csrf, extra);
	return e2e_post(c, "/children", form);
}

static void create_with_bad_input(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/children/new"), 200);
	long long before = children();

	/* NHS number with a wrong check digit (9434765919 is valid) */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019&nhs_number=9434765918"), 422);
	assert_true(e2e_has(&c, "href=\"#nhs_number\""));
	assert_true(e2e_has(&c, "should be 9, not 8"));
	assert_true(e2e_has(&c, "value=\"Quartermaine\""));
	/* NHS number of the wrong length */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019&nhs_number=12345"), 422);
	assert_true(e2e_has(&c, "href=\"#nhs_number\""));
	/* UPN with a wrong check letter */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019&upn=B801200005002"), 422);
	assert_true(e2e_has(&c, "href=\"#upn\""));
	/* 29 February in a year that has none */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=29&dob-month=2"
				"&dob-year=2023"), 422);
	assert_true(e2e_has(&c, "href=\"#dob-day\""));
	/* a date of birth in the future */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=1&dob-month=1"
				"&dob-year=2099"), 422);
	assert_true(e2e_has(&c, "href=\"#dob-day\""));
	/* an ethnicity that is not a DfE code */
	char form[1024];
	snprintf(form, sizeof(form),
		 "csrf=%s&given_name=Zebedee&family_name=Quartermaine&gender=1"
		 "&ethnicity=XYZ&dob_status=unknown", c.csrf);
	assert_int_equal(e2e_post(&c, "/children", form), 422);
	assert_true(e2e_has(&c, "href=\"#ethnicity\""));
	/* no name */
	snprintf(form, sizeof(form), "csrf=%s&given_name=&family_name=&gender=1"
		 "&ethnicity=WBRI&dob_status=unknown", c.csrf);
	assert_int_equal(e2e_post(&c, "/children", form), 422);
	assert_true(e2e_has(&c, "href=\"#given_name\""));
	/* a name with a control character never reaches the domain */
	snprintf(form, sizeof(form), "csrf=%s&given_name=Ze%%0Abedee"
		 "&family_name=Q&gender=1&ethnicity=WBRI&dob_status=unknown", c.csrf);
	assert_int_equal(e2e_post(&c, "/children", form), 400);
	assert_int_equal(children(), before);

	/* a good one */
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019&nhs_number=943+476+5919"), 303);
	assert_int_equal(children(), before + 1);
	char loc[128];
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	long long id = strtoll(strstr(loc, "/children/") + 10, NULL, 10);
	assert_true(id > 0);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE child_id = %lld"
		 " AND action = 'create'", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);

	/* the same child again: a possible duplicate, nothing written until
	 * the user confirms */
	before = children();
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019"), 409);
	assert_true(e2e_has(&c, "confirm_not_duplicate"));
	assert_int_equal(children(), before);
	assert_int_equal(create(&c, "&dob_status=known&dob-day=3&dob-month=4"
				"&dob-year=2019&confirm_not_duplicate=yes"), 303);
	assert_int_equal(children(), before + 1);

	/* the NHS number already belongs to the first child */
	long st = create(&c, "&dob_status=known&dob-day=5&dob-month=6"
			 "&dob-year=2018&nhs_number=9434765919&confirm_not_duplicate=yes");
	if (st != 422 && st != 409)
		fail_msg("same NHS number, confirmed: %ld", st);
	assert_int_equal(children(), before + 1);

	/* found by a misspelt name */
	assert_int_equal(e2e_get(&c, "/children?name=Zebedee+Quartermain"), 200);
	char href[64];
	snprintf(href, sizeof(href), "href=\"/children/%lld\"", id);
	assert_true(e2e_has(&c, href));
	assert_int_equal(e2e_get(&c, "/children?name=Zebedee+Qaurtermaine"), 200);
	assert_true(e2e_has(&c, href));
	e2e_client_free(&c);
}

static void edit_history_and_viewers(void **state)
{
	(void)state;
	long long id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child WHERE "
				   "dob IS NOT NULL");
	long long version = -1;
	char sql[200], path[128], form[1024];
	snprintf(sql, sizeof(sql), "SELECT version FROM child WHERE child_id = %lld", id);
	version = e2e_sql_int(&srv, sql);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	/* a social worker does not see who has viewed */
	assert_false(e2e_has(&c, "Who has viewed"));
	/* change the other names: one history row */
	snprintf(path, sizeof(path), "/children/%lld/edit", id);
	assert_int_equal(e2e_get(&c, path), 200);
	/* take every value of the form as it is, change one */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM child_history WHERE child_id = %lld", id);
	long long hist = e2e_sql_int(&srv, sql);
	snprintf(sql, sizeof(sql), "SELECT given_name || '|' || family_name FROM child"
		 " WHERE child_id = %lld", id);
	char q[200];
	snprintf(q, sizeof(q), "SELECT dob FROM child WHERE child_id = %lld", id);
	/* read the fields through the API instead of parsing the form */
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token", "create",
				   "--db", srv.db, "--username", "sw.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	snprintf(a.bearer, sizeof(a.bearer), "%s", tok);
	snprintf(path, sizeof(path), "/api/v1/children/%lld", id);
	assert_int_equal(e2e_json(&a, "GET", path, NULL), 200);
	assert_true(e2e_has(&a, "\"version\""));
	/* a stale version is refused */
	snprintf(form, sizeof(form), "{\"other_names\": \"Tester\", \"version\": %lld}",
		 version + 5);
	assert_int_equal(e2e_json(&a, "PATCH", path, form), 409);
	snprintf(form, sizeof(form), "{\"other_names\": \"Tester\", \"version\": %lld}",
		 version);
	assert_int_equal(e2e_json(&a, "PATCH", path, form), 200);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM child_history WHERE child_id = %lld", id);
	assert_int_equal(e2e_sql_int(&srv, sql), hist + 1);
	/* a wrong NHS number through the API names the field */
	snprintf(form, sizeof(form), "{\"nhs_number\": \"9434765918\", \"version\": %lld}",
		 version + 1);
	assert_int_equal(e2e_json(&a, "PATCH", path, form), 422);
	assert_true(e2e_has(&a, "\"field\":\"nhs_number\""));
	/* an unknown field */
	assert_int_equal(e2e_json(&a, "PATCH", path, "{\"shoe_size\": 3}"), 400);
	assert_true(e2e_has(&a, "shoe_size"));
	e2e_client_free(&a);

	/* the team manager sees who has viewed, including sw.demo */
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Who has viewed"));
	assert_true(e2e_has(&m, "sw.demo") || e2e_has(&m, "Sam Worker"));
	/* in people's words: the name, role and team, not the username;
	 * the action in words; the time in UK local time */
	snprintf(path, sizeof(path), "/children/%lld/viewers", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "<td class=\"govuk-table__cell\">Sam Worker</td>"
			       "<td class=\"govuk-table__cell\">Social worker</td>"
			       "<td class=\"govuk-table__cell\">Assessment Team 1"
			       "</td>"));
	assert_false(e2e_has(&m, "sw.demo"));
	assert_true(e2e_has(&m, "Viewed the record"));
	assert_false(e2e_has(&m, "Read: "));
	assert_false(e2e_has(&m, " UTC"));
	snprintf(sql, sizeof(sql), "SELECT unixepoch(at) FROM audit WHERE"
		 " child_id = %lld AND username = 'sw.demo' AND action = 'read'"
		 " ORDER BY seq DESC LIMIT 1", id);
	char uk[40];
	uk_human(e2e_sql_int(&srv, sql), uk);
	assert_true(e2e_has(&m, uk));
	snprintf(path, sizeof(path), "/children/%lld/history", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Tester"));
	e2e_client_free(&m);
	e2e_client_free(&c);
	/* every view was audited */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE child_id = %lld"
		 " AND action = 'read'", id);
	assert_true(e2e_sql_int(&srv, sql) >= 3);
}

static void api_create_errors(void **state)
{
	(void)state;
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token", "create",
				   "--db", srv.db, "--username", "fd.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(a.bearer, sizeof(a.bearer), "%s", tok);
	long long before = children();
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
				  "{\"given_name\":\"Ada\",\"family_name\":\"Lovelock\","
				  "\"dob\":\"2020-13-01\",\"gender\":\"2\",\"ethnicity\":\"WBRI\"}"),
			 422);
	assert_true(e2e_has(&a, "\"field\":\"dob\""));
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
				  "{\"given_name\":\"Ada\",\"family_name\":\"Lovelock\","
				  "\"dob\":\"2020-01-01\",\"gender\":\"2\",\"ethnicity\":\"QQQQ\"}"),
			 422);
	assert_true(e2e_has(&a, "\"field\":\"ethnicity\""));
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
				  "{\"given_name\":\"Ada\",\"family_name\":\"Lovelock\","
				  "\"dob\":\"2020-01-01\",\"gender\":\"2\",\"ethnicity\":\"WBRI\","
				  "\"upn\":\"B801200005002\"}"), 422);
	assert_true(e2e_has(&a, "\"field\":\"upn\""));
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
				  "{\"given_name\": 7}"), 400);
	assert_int_equal(children(), before);
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
				  "{\"given_name\":\"Ada\",\"family_name\":\"Lovelock\","
				  "\"dob\":\"2020-01-01\",\"gender\":\"2\",\"ethnicity\":\"WBRI\"}"),
			 201);
	assert_int_equal(children(), before + 1);
	/* search by the new name, misspelt */
	assert_int_equal(e2e_json(&a, "GET", "/api/v1/children?name=Ada+Lovelok", NULL),
			 200);
	assert_true(e2e_has(&a, "Lovelock"));
	e2e_client_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_with_bad_input),
		cmocka_unit_test(edit_history_and_viewers),
		cmocka_unit_test(api_create_errors),
	};
	return cmocka_run_group_tests_name("e2e_child", tests, up, down);
}
