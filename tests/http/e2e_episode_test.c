/*
 * e2e_episode_test.c: cases (episodes of need) end to end over
 * loopback.  Through the JSON API: a social worker opens a Family Help
 * case from a child's referral; every refusal is a clear 4xx naming the
 * field and writes nothing (no end before the start, unknown codes, a
 * second open case of a type); a manager allocates and reallocates it
 * (the history), the plan gets an outcome and an action, a review meets
 * L01 and the next falls due; the unallocated list and the team's
 * caseloads; closing.  Who may: a partner, an analyst and a councillor
 * see no case (403); another council's case is a 404.  The same case
 * through the pages: the case page, the child's section, the forms.
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

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 200);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long user_id(const char *username)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT user_id FROM app_user WHERE "
		 "username = '%s'", username);
	return e2e_sql_int(&srv, sql);
}

/* Everything a refused write about cases could leave. */
static long long written(void)
{
	return e2e_sql_int(&srv, "SELECT (SELECT count(*) FROM episode)"
			   " + (SELECT count(*) FROM episode_allocation)"
			   " + (SELECT count(*) FROM episode_plan_outcome)"
			   " + (SELECT count(*) FROM episode_plan_action)"
			   " + (SELECT count(*) FROM episode_review)"
			   " + (SELECT count(*) FROM episode_member)"
			   " + (SELECT count(*) FROM audit WHERE entity ="
			   " 'episode' AND action <> 'read')");
}

/* A child with a referral and no open Family Help case, and that
 * referral's id and date; no assessment authorised since, so that a case
 * opened from the referral closes without the step-down rules of a case
 * that had an assessment (e2e_closure_test.c has those). */
static long long pick_child(long long *ref, char date[11])
{
	char *d = e2e_sql_text(&srv,
		"SELECT r.referral_id || ' ' || r.child_id || ' ' ||"
		" r.referral_date FROM referral r WHERE NOT EXISTS (SELECT 1"
		" FROM episode e WHERE e.council = r.council AND e.child_id ="
		" r.child_id AND e.closed_on IS NULL) AND NOT EXISTS (SELECT 1"
		" FROM assessment a WHERE a.council = r.council AND a.child_id ="
		" r.child_id AND a.authorised_on >= r.referral_date)"
		" ORDER BY r.referral_id LIMIT 1");
	assert_non_null(d);
	long long child = 0;
	assert_int_equal(sscanf(d, "%lld %lld %10s", ref, &child, date), 3);
	free(d);
	return child;
}

static long long case_id_in(struct e2e_client *c)
{
	const char *p = strstr(c->r.body, "\"id\":");
	assert_non_null(p);
	return strtoll(p + 5, NULL, 10);
}

static void case_through_the_api(void **state)
{
	(void)state;
	long long ref;
	char date[11];
	long long child = pick_child(&ref, date);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "sw.demo"));
	char path[160], body[1024];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/cases", child);
	long long before = written();
	/* refusals: each a 4xx naming the field, nothing written */
	struct {
		const char *body;
		long status;
		const char *field;
	} bad[] = {
		{"{\"case_type\": \"respite\", \"opened_on\": \"%s\","
		 " \"primary_need\": \"N1\", \"referral_id\": %lld}", 422,
		 "case_type"},
		{"{\"case_type\": \"family_help\", \"opened_on\": \"%s\","
		 " \"primary_need\": \"N42\", \"referral_id\": %lld}", 422,
		 "primary_need"},
		{"{\"case_type\": \"family_help\", \"opened_on\": \"%s\","
		 " \"primary_need\": \"N1\", \"referral_id\": %lld,"
		 " \"section17\": \"yes\"}", 422, "section17"},
		{"{\"case_type\": \"family_help\", \"opened_on\": \"%s\","
		 " \"primary_need\": \"N1\", \"referral_id\": %lld,"
		 " \"colour\": 1}", 422, "colour"},
		{"{\"case_type\": \"family_help\", \"opened_on\": \"2999-01-01\","
		 " \"primary_need\": \"N1\", \"referral_id\": %lld%s}", 422,
		 "opened_on"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (i == 4)
			snprintf(body, sizeof(body), bad[i].body, ref, "");
		else
			snprintf(body, sizeof(body), bad[i].body, date, ref);
		assert_int_equal(e2e_json(&c, "POST", path, body), bad[i].status);
		char want[80];
		snprintf(want, sizeof(want), "\"%s\"", bad[i].field);
		if (!e2e_has(&c, want))
			fail_msg("%zu: %s", i, c.r.body);
		assert_int_equal(written(), before);
	}
	/* opened from the referral, a section 17 plan from the same day */
	snprintf(body, sizeof(body), "{\"case_type\": \"family_help\","
		 " \"opened_on\": \"%s\", \"primary_need\": \"N4\","
		 " \"section17\": true, \"plan_start\": \"%s\","
		 " \"referral_id\": %lld}", date, date, ref);
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	long long id = case_id_in(&c);
	char loc[200], want[200];
	snprintf(want, sizeof(want), "/api/v1/cases/%lld", id);
	assert_string_equal(e2e_header(&c, "Location", loc, sizeof(loc)), want);
	assert_true(e2e_has(&c, "\"case_type_label\":\"Family Help\""));
	assert_true(e2e_has(&c, "\"primary_need_label\":\"Family in acute "
			    "stress\""));
	assert_false(e2e_has(&c, "child_name"));
	/* a second open Family Help case: 409, nothing written */
	before = written();
	assert_int_equal(e2e_json(&c, "POST", path, body), 409);
	assert_true(e2e_has(&c, "case_type"));
	assert_int_equal(written(), before);
	/* closing before it opened: 422 */
	char cpath[160];
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/closure", id);
	assert_int_equal(e2e_json(&c, "POST", cpath, "{\"closed_on\":"
				  " \"2000-01-01\", \"reason\": \"RC7\"}"), 422);
	assert_true(e2e_has(&c, "closed_on"));
	assert_int_equal(e2e_json(&c, "POST", cpath, "{\"closed_on\":"
				  " \"2000-01-01\", \"reason\": \"RC99\"}"), 422);
	assert_true(e2e_has(&c, "reason"));
	assert_int_equal(written(), before);

	/* the plan: an outcome and an action */
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/outcomes", id);
	assert_int_equal(e2e_json(&c, "POST", cpath, "{\"outcome\":"
				  " \"Synthetic: the children attend school"
				  " every day.\"}"), 200);
	long long oid = e2e_sql_int(&srv, "SELECT max(outcome_id) FROM"
				    " episode_plan_outcome");
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/actions", id);
	snprintf(body, sizeof(body), "{\"outcome_id\": %lld, \"action\":"
		 " \"Synthetic: a morning routine chart.\", \"owner\":"
		 " \"School nurse\", \"due_on\": \"%s\"}", oid, date);
	assert_int_equal(e2e_json(&c, "POST", cpath, body), 200);
	assert_true(e2e_has(&c, "\"owner\":\"School nurse\""));
	/* a review with the progress on the outcome: L01 met, next due */
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/reviews", id);
	before = written();
	assert_int_equal(e2e_json(&c, "POST", cpath, "{\"review_date\":"
				  " \"2999-01-01\", \"progress\": []}"), 422);
	assert_int_equal(e2e_json(&c, "POST", cpath, "{\"review_date\":"
				  " \"2000-01-01\"}"), 422);
	assert_true(e2e_has(&c, "progress"));
	assert_int_equal(written(), before);
	snprintf(body, sizeof(body), "{\"review_date\": \"%s\", \"progress\":"
		 " [{\"outcome_id\": %lld, \"progress\": \"progressing\"}]}",
		 date, oid);
	assert_int_equal(e2e_json(&c, "POST", cpath, body), 200);
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM due_item WHERE rule ="
		 " 'L01' AND subject_id = %lld AND met_at IS NULL AND seq = 2",
		 id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);

	/* a social worker may not allocate, nor see caseloads */
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/allocation", id);
	long long sw = user_id("sw.demo"), tm = user_id("tm.demo");
	snprintf(body, sizeof(body), "{\"worker_id\": %lld, \"manager_id\":"
		 " %lld}", sw, tm);
	assert_int_equal(e2e_json(&c, "POST", cpath, body), 403);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/caseloads", NULL), 403);

	/* the manager: unallocated, allocate, reallocate */
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_bearer(&m, "tm.demo"));
	assert_int_equal(e2e_json(&m, "GET", "/api/v1/cases?unallocated=true"
				  "&limit=200", NULL), 200);
	snprintf(want, sizeof(want), "\"id\":%lld,", id);
	assert_true(e2e_has(&m, want));
	before = written();
	snprintf(body, sizeof(body), "{\"worker_id\": %lld, \"manager_id\":"
		 " %lld}", sw, sw);
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 422);
	assert_true(e2e_has(&m, "manager_id"));
	assert_int_equal(written(), before);
	snprintf(body, sizeof(body), "{\"worker_id\": %lld, \"manager_id\":"
		 " %lld}", sw, tm);
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 200);
	assert_true(e2e_has(&m, "\"allocations\":[{"));
	long long team = e2e_sql_int(&srv, "SELECT team_id FROM app_user WHERE"
				     " username = 'sw.demo'");
	snprintf(path, sizeof(path), "/api/v1/caseloads?team_id=%lld", team);
	assert_int_equal(e2e_json(&m, "GET", path, NULL), 200);
	snprintf(want, sizeof(want), "\"worker_id\":%lld,", sw);
	assert_true(e2e_has(&m, want));
	assert_true(e2e_has(&m, "weighted_hundredths"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode_allocation"
		 " WHERE episode_id = %lld", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 200);
	assert_int_equal(e2e_sql_int(&srv, sql), 2);

	/* who may not: partner, analyst, councillor (403); unknown: 404 */
	const char *no[] = {"partner.school", "analyst.demo", "cllr.demo"};
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	for (size_t i = 0; i < 3; i++) {
		struct e2e_client x;
		e2e_client_init(&x, &srv);
		assert_true(e2e_bearer(&x, no[i]));
		assert_int_equal(e2e_json(&x, "GET", path, NULL), 403);
		assert_int_equal(e2e_json(&x, "GET", "/api/v1/cases", NULL),
				 403);
		e2e_client_free(&x);
	}
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/cases/99999999", NULL),
			 404);
	/* reading is audited */
	long long reads = e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				      " entity = 'episode' AND action = 'read'");
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				     " entity = 'episode' AND action = 'read'"),
			 reads + 1);

	/* closed on the review's day */
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/closure", id);
	snprintf(body, sizeof(body), "{\"closed_on\": \"%s\", \"reason\":"
		 " \"RC7\"}", date);
	assert_int_equal(e2e_json(&c, "POST", cpath, body), 200);
	assert_true(e2e_has(&c, "\"open\":false"));
	assert_int_equal(e2e_json(&c, "POST", cpath, body), 409);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM due_item WHERE rule ="
		 " 'L01' AND subject_id = %lld AND met_at IS NULL", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 0);
	/* the OpenAPI document lists the routes */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/openapi.json", NULL), 200);
	assert_true(e2e_has(&c, "/api/v1/cases/{id}/reviews"));
	e2e_client_free(&m);
	e2e_client_free(&c);
}

/* The same through the pages: the form from the child's section, the
 * case page, the manager's allocation and lists, a review. */
static void case_through_the_pages(void **state)
{
	(void)state;
	long long ref;
	char date[11];
	long long child = pick_child(&ref, date);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char path[200], form[1024];
	snprintf(path, sizeof(path), "/children/%lld", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, ">Cases<"));
	assert_true(e2e_has(&c, ">Open a case</a>"));
	snprintf(path, sizeof(path), "/children/%lld/cases/new?referral_id=%lld",
		 child, ref);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Open a case"));
	assert_true(e2e_has(&c, "Family in acute stress"));
	assert_false(e2e_has(&c, ">N4<"));
	/* refused: the error summary names the field, nothing written */
	long long before = written();
	snprintf(path, sizeof(path), "/children/%lld/cases", child);
	snprintf(form, sizeof(form), "csrf=%s&referral_id=%lld&case_type="
		 "family_help&opened_on-day=1&opened_on-month=1&opened_on-year="
		 "2999&primary_need=N4&section17=no", c.csrf, ref);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "govuk-error-summary"));
	assert_true(e2e_has(&c, "#opened_on"));
	assert_int_equal(written(), before);
	int y, m, d;
	assert_int_equal(sscanf(date, "%d-%d-%d", &y, &m, &d), 3);
	snprintf(form, sizeof(form), "csrf=%s&referral_id=%lld&case_type="
		 "family_help&opened_on-day=%d&opened_on-month=%d&opened_on-year="
		 "%d&primary_need=N4&section17=no&plan_start-day=%d&"
		 "plan_start-month=%d&plan_start-year=%d", c.csrf, ref, d, m, y,
		 d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long id = e2e_sql_int(&srv, "SELECT max(episode_id) FROM episode");
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Family Help case"));
	assert_true(e2e_has(&c, "Not allocated"));
	assert_true(e2e_has(&c, "Family in acute stress"));
	/* an outcome, then a review of it */
	snprintf(path, sizeof(path), "/cases/%lld/outcomes", id);
	snprintf(form, sizeof(form), "csrf=%s&outcome=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "Enter the outcome wanted"));
	snprintf(form, sizeof(form), "csrf=%s&outcome=Synthetic+outcome.",
		 c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(path, sizeof(path), "/cases/%lld/reviews/new", id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Progress on outcome 1"));
	snprintf(path, sizeof(path), "/cases/%lld/reviews", id);
	snprintf(form, sizeof(form), "csrf=%s&review_date-day=%d&"
		 "review_date-month=%d&review_date-year=%d", c.csrf, d, m, y);
	before = written();
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "#progress_1"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&review_date-day=%d&"
		 "review_date-month=%d&review_date-year=%d&progress_1=achieved",
		 c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 303);

	/* the manager allocates through the case page */
	struct e2e_client t;
	e2e_client_init(&t, &srv);
	assert_true(e2e_sign_in(&t, "tm.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&t, "/cases/unallocated"), 200);
	snprintf(path, sizeof(path), "href=\"/cases/%lld\"", id);
	assert_true(e2e_has(&t, path));
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(e2e_get(&t, path), 200);
	assert_true(e2e_has(&t, "Allocate the case"));
	snprintf(path, sizeof(path), "/cases/%lld/allocation", id);
	snprintf(form, sizeof(form), "csrf=%s&worker_id=%lld&manager_id=%lld",
		 t.csrf, user_id("sw.demo"), user_id("tm.demo"));
	assert_int_equal(e2e_post(&t, path, form), 303);
	assert_int_equal(e2e_get(&t, "/caseloads"), 200);
	assert_true(e2e_has(&t, "Weighted caseload"));
	/* the social worker has no caseloads page; the partner no case */
	assert_int_equal(e2e_get(&c, "/caseloads"), 403);
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(e2e_get(&p, path), 403);
	e2e_client_free(&p);
	e2e_client_free(&t);
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_through_the_api),
		cmocka_unit_test(case_through_the_pages),
	};
	return cmocka_run_group_tests_name("e2e_episode", tests, up, down);
}
