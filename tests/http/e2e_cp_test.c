/*
 * e2e_cp_test.c: child protection end to end over loopback, through
 * the JSON API: a strategy discussion with the police taking part, a
 * section 47 enquiry (R07's due date in the answer), its outcome, the
 * initial conference, the plan (the child-protection case opened with
 * it), a core group, a review, the end.  Refusals are 4xx naming the
 * field and write nothing (no conference without an enquiry calling for
 * one, no plan without a conference's decision, no end before start,
 * unknown codes).  The police partner reads the discussion they took
 * part in and nothing else of the chain; the school partner, an analyst
 * and a councillor read nothing.
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

static long long written(void)
{
	return e2e_sql_int(&srv, "SELECT (SELECT count(*) FROM cp_strategy)"
			   " + (SELECT count(*) FROM cp_participant)"
			   " + (SELECT count(*) FROM cp_s47)"
			   " + (SELECT count(*) FROM cp_s47 WHERE concluded_on"
			   "  IS NOT NULL)"
			   " + (SELECT count(*) FROM cp_conference)"
			   " + (SELECT count(*) FROM cp_plan)"
			   " + (SELECT count(*) FROM cp_plan WHERE ended_on IS"
			   "  NOT NULL)"
			   " + (SELECT count(*) FROM cp_core_group)"
			   " + (SELECT count(*) FROM episode)"
			   " + (SELECT count(*) FROM due_item)");
}

static long long id_in(struct e2e_client *c)
{
	const char *p = strstr(c->r.body, "\"id\":");
	assert_non_null(p);
	return strtoll(p + 5, NULL, 10);
}

/* POST body to path: want the status, and the field named when a 4xx;
 * a refusal writes nothing. */
static void post(struct e2e_client *c, const char *path, const char *body,
		 long want, const char *field)
{
	long long before = written();
	long got = e2e_json(c, "POST", path, body);
	if (got != want)
		fail_msg("POST %s: %ld, wanted %ld: %s", path, got, want,
			 c->r.body);
	if (field) {
		char f[80];
		snprintf(f, sizeof(f), "\"%s\"", field);
		if (!e2e_has(c, f))
			fail_msg("POST %s: no %s in %s", path, field, c->r.body);
		assert_int_equal(written(), before);
	}
}

static void chain_through_the_api(void **state)
{
	(void)state;
	long long child = e2e_sql_int(&srv, "SELECT min(child_id) FROM child"
				      " WHERE NOT EXISTS (SELECT 1 FROM episode"
				      " e WHERE e.child_id = child.child_id AND"
				      " e.case_type = 'child_protection')");
	long long lead = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE"
				     " username = 'sw.demo'");
	long long police = e2e_sql_int(&srv, "SELECT org_id FROM app_user"
				       " WHERE username = 'partner.police'");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "sw.demo"));
	char path[200], body[1024];

	snprintf(path, sizeof(path), "/api/v1/children/%lld/"
		 "strategy-discussions", child);
	snprintf(body, sizeof(body), "{\"held_on\": \"2026-01-05\","
		 " \"decision\": \"maybe\", \"lead_id\": %lld}", lead);
	post(&c, path, body, 422, "decision");
	snprintf(body, sizeof(body), "{\"held_on\": \"2026-01-05\","
		 " \"decision\": \"s47\", \"lead_id\": %lld}", lead);
	post(&c, path, body, 201, NULL);
	long long sid = id_in(&c);

	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "participants", sid);
	post(&c, path, "{\"agency\": \"army\", \"name\": \"Synthetic\"}", 422,
	     "agency");
	snprintf(body, sizeof(body), "{\"agency\": \"police\", \"name\":"
		 " \"Synthetic Officer\", \"role\": \"Detective constable\","
		 " \"shared\": \"Synthetic: one earlier call-out.\","
		 " \"org_id\": %lld}", police);
	post(&c, path, body, 200, NULL);
	assert_true(e2e_has(&c, "\"agency_label\":\"Police\""));

	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "section-47-enquiry", sid);
	post(&c, path, "{\"started_on\": \"2026-01-02\"}", 422, "started_on");
	post(&c, path, "{\"started_on\": \"2026-01-05\"}", 201, NULL);
	long long q = id_in(&c);
	/* R07: 15 working days from Monday 5 January 2026 */
	assert_true(e2e_has(&c, "\"icpc_due\":\"2026-01-26\""));

	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	post(&c, path, "{\"held_on\": \"2026-01-20\", \"pre_birth\": \"no\","
	     " \"decision\": \"plan\"}", 409, "s47_id");
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "outcome", q);
	post(&c, path, "{\"concluded_on\": \"2026-01-15\", \"findings\":"
	     " \"Synthetic findings.\", \"substantiated\": \"yes\","
	     " \"conference\": \"yes\"}", 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	post(&c, path, "{\"held_on\": \"2026-01-26\", \"pre_birth\": \"no\","
	     " \"decision\": \"plan\"}", 201, NULL);
	long long conf = id_in(&c);
	snprintf(path, sizeof(path), "/api/v1/cp-conferences/%lld/plan", conf);
	post(&c, path, "{\"category\": \"XYZ\"}", 422, "category");
	post(&c, path, "{\"category\": \"NEG\"}", 201, NULL);
	long long plan = id_in(&c);
	assert_true(e2e_has(&c, "\"category_label\":\"Neglect\""));
	/* R08 10 working days, R09 3 months from Monday 26 January */
	assert_true(e2e_has(&c, "\"core_due\":\"2026-02-09\""));
	assert_true(e2e_has(&c, "\"review_due\":\"2026-04-26\""));
	post(&c, path, "{\"category\": \"NEG\"}", 409, "conference_id");
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode WHERE child_id"
		 " = %lld AND case_type = 'child_protection' AND closed_on IS"
		 " NULL", child);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);

	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/core-groups", plan);
	post(&c, path, "{\"held_on\": \"2026-02-09\"}", 200, NULL);
	assert_true(e2e_has(&c, "\"core_first\":\"2026-02-09\""));
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/reviews", plan);
	post(&c, path, "{\"held_on\": \"2026-04-20\", \"decision\":"
	     " \"continue\"}", 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/end", plan);
	post(&c, path, "{\"ended_on\": \"2026-01-01\", \"reason\": \"other\"}",
	     422, "ended_on");
	post(&c, path, "{\"ended_on\": \"2026-04-20\", \"reason\": \"nope\"}",
	     422, "reason");

	/* who reads what */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_bearer(&p, "partner.police"));
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld", sid);
	assert_int_equal(e2e_json(&p, "GET", path, NULL), 200);
	assert_true(e2e_has(&p, "Synthetic Officer"));
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld", plan);
	assert_int_equal(e2e_json(&p, "GET", path, NULL), 403);
	const char *no[] = {"partner.school", "analyst.demo", "cllr.demo"};
	for (int i = 0; i < 3; i++) {
		struct e2e_client x;
		e2e_client_init(&x, &srv);
		assert_true(e2e_bearer(&x, no[i]));
		snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld",
			 sid);
		long got = e2e_json(&x, "GET", path, NULL);
		if (got != (i == 0 ? 404 : 403))
			fail_msg("%s: %ld", no[i], got);
		e2e_client_free(&x);
	}
	snprintf(path, sizeof(path), "/api/v1/children/%lld/child-protection",
		 child);
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_true(e2e_has(&c, "\"plans\":["));
	e2e_client_free(&p);
	e2e_client_free(&c);
}

/* The same chain through the pages: each form, a refused POST re-shown
 * with its error (422, nothing written), the chain page and the child's
 * section showing the plan by its labels. */
static void chain_through_the_pages(void **state)
{
	(void)state;
	long long child = e2e_sql_int(&srv, "SELECT min(child_id) FROM child"
				      " WHERE NOT EXISTS (SELECT 1 FROM cp_strategy"
				      " s WHERE s.child_id = child.child_id)"
				      " AND NOT EXISTS (SELECT 1 FROM episode e"
				      " WHERE e.child_id = child.child_id AND"
				      " e.case_type = 'child_protection')");
	long long lead = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE"
				     " username = 'sw.demo'");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char path[200], form[1024];
	snprintf(path, sizeof(path), "/children/%lld/child-protection", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "No child protection plan."));
	assert_true(e2e_has(&c, "Record a strategy discussion"));

	snprintf(path, sizeof(path), "/children/%lld/child-protection/strategy/"
		 "new", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Lead child protection practitioner"));
	snprintf(path, sizeof(path), "/children/%lld/child-protection/strategy",
		 child);
	long long before = written();
	snprintf(form, sizeof(form), "csrf=%s&held_on-day=5&held_on-month=1&"
		 "held_on-year=2026&lead_id=%lld", c.csrf, lead);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "Select the decision"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&held_on-day=5&held_on-month=1&"
		 "held_on-year=2026&decision=s47&lead_id=%lld", c.csrf, lead);
	assert_int_equal(e2e_post(&c, path, form), 303);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT max(strategy_id) FROM cp_strategy"
		 " WHERE child_id = %lld", child);
	long long sid = e2e_sql_int(&srv, sql);

	struct {
		const char *step;
		const char *kind; /* the record the next id is read from */
		const char *form;
	} chain[] = {
		{"participants", NULL, "agency=health&name=Synthetic+Nurse&"
		 "role=School+nurse&shared=Synthetic+notes.&org_id="},
		{"s47", "SELECT max(s47_id) FROM cp_s47", "started_on-day=6&"
		 "started_on-month=1&started_on-year=2026"},
		{"outcome", NULL, "concluded_on-day=16&concluded_on-month=1&"
		 "concluded_on-year=2026&findings=Synthetic+findings.&"
		 "substantiated=yes&conference=yes"},
		{"icpc", "SELECT max(conference_id) FROM cp_conference",
		 "held_on-day=26&held_on-month=1&held_on-year=2026&"
		 "pre_birth=no&decision=plan"},
		{"attendees", NULL, "agency=police&name=Synthetic+Officer&"
		 "role=&report=yes"},
		{"plan", "SELECT max(plan_id) FROM cp_plan", "category=EMO"},
		{"core-group", NULL, "held_on-day=9&held_on-month=2&"
		 "held_on-year=2026"},
	};
	long long id = sid;
	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		snprintf(path, sizeof(path), "/children/%lld/child-protection/"
			 "%s/%lld/new", child, chain[i].step, id);
		if (e2e_get(&c, path) != 200)
			fail_msg("GET %s: %s", path, c.r.body);
		snprintf(path, sizeof(path), "/children/%lld/child-protection/"
			 "%s/%lld", child, chain[i].step, id);
		snprintf(form, sizeof(form), "csrf=%s&%s", c.csrf,
			 chain[i].form);
		long got = e2e_post(&c, path, form);
		if (got != 303)
			fail_msg("POST %s: %ld %s", path, got, c.r.body);
		if (chain[i].kind)
			id = e2e_sql_int(&srv, chain[i].kind);
	}
	/* a plan's end before its start: re-shown, nothing written */
	snprintf(path, sizeof(path), "/children/%lld/child-protection/end/%lld",
		 child, id);
	snprintf(form, sizeof(form), "csrf=%s&ended_on-day=1&ended_on-month=1&"
		 "ended_on-year=2026&reason=other", c.csrf);
	before = written();
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "must be on or after the date it started"));
	assert_int_equal(written(), before);
	/* another child's plan in the path: 404 */
	snprintf(path, sizeof(path), "/children/%lld/child-protection/end/%lld"
		 "/new", child + 1, id);
	assert_int_equal(e2e_get(&c, path), 404);

	snprintf(path, sizeof(path), "/children/%lld/child-protection", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Emotional abuse"));
	assert_true(e2e_has(&c, "Current plan"));
	assert_false(e2e_has(&c, "EMO"));
	snprintf(path, sizeof(path), "/children/%lld", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "On a plan"));
	assert_true(e2e_has(&c, "Next review conference due"));
	snprintf(path, sizeof(path), "/children/%lld/child-protection/strategy/"
		 "%lld", child, sid);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic Nurse, Health"));
	/* the initial conference and who attended */
	snprintf(sql, sizeof(sql), "SELECT max(conference_id) FROM cp_conference"
		 " WHERE child_id = %lld", child);
	snprintf(path, sizeof(path), "/children/%lld/child-protection/"
		 "conference/%lld", child, e2e_sql_int(&srv, sql));
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic Officer"));
	assert_true(e2e_has(&c, "Child protection plan"));
	/* an analyst sees none of it */
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	assert_true(e2e_sign_in(&a, "analyst.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld/child-protection", child);
	assert_int_equal(e2e_get(&a, path), 403);
	e2e_client_free(&a);
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_through_the_api),
		cmocka_unit_test(chain_through_the_pages),
	};
	return cmocka_run_group_tests(tests, up, down);
}
