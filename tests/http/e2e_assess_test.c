/*
 * e2e_assess_test.c: the single assessment end to end over loopback.
 * Pages: a social worker starts one from the child's referral, writes
 * it (refused with every missing part named, nothing written), records
 * the child seen, submits; a manager authorises it late with a reason
 * (refused without); the child's page lists it.  API: start, a second
 * refused (409), unknown codes refused (422), no end before start,
 * PATCH, child seen, submission, authorisation by a social worker
 * refused (403); partners, analysts and councillors read nothing.
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

/* A page POST with the client's CSRF token first. */
static long postf(struct e2e_client *c, const char *path, const char *form)
{
	char b[8192];
	snprintf(b, sizeof(b), "csrf=%.128s%s%.4000s", c->csrf,
		 form[0] ? "&" : "", form);
	return e2e_post(c, path, b);
}

/* A referral of the demo with no assessment yet. */
static long long free_referral(long long after)
{
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT min(referral_id) FROM referral r"
		 " WHERE referral_id > %lld AND NOT EXISTS (SELECT 1 FROM"
		 " assessment a WHERE a.council = r.council AND a.referral_id"
		 " = r.referral_id)", after);
	return e2e_sql_int(&srv, sql);
}

/* Everything a refusal could have written about assessments. */
static long long print(void)
{
	return e2e_sql_int(&srv, "SELECT (SELECT count(*) FROM assessment) +"
			   " (SELECT COALESCE(SUM(version), 0) FROM assessment) +"
			   " (SELECT count(*) FROM assessment_seen) +"
			   " (SELECT count(*) FROM assessment_factor) +"
			   " (SELECT count(*) FROM assessment WHERE"
			   " submitted_at IS NOT NULL) +"
			   " (SELECT count(*) FROM assessment WHERE"
			   " authorised_on IS NOT NULL)");
}

static void pages_start_write_see_submit_authorise(void **state)
{
	(void)state;
	long long ref = free_referral(0);
	assert_true(ref > 0);
	char path[200], form[4096], sql[300];
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/referrals/%lld/assessments/new", ref);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, "Start the single assessment of"));
	/* a date before the referral: refused, nothing written */
	long long p0 = print();
	snprintf(path, sizeof(path), "/referrals/%lld/assessments", ref);
	assert_int_equal(postf(&w, path, "started_on-day=1&started_on-month"
				  "=1&started_on-year=2000"), 422);
	assert_true(e2e_has(&w, "on or after the referral date"));
	assert_int_equal(print(), p0);
	/* today */
	snprintf(sql, sizeof(sql), "SELECT referral_date FROM referral WHERE"
		 " referral_id = %lld", ref);
	char *rd = e2e_sql_text(&srv, sql);
	assert_non_null(rd);
	snprintf(form, sizeof(form), "started_on-day=%d&started_on-month=%d"
		 "&started_on-year=%.4s", atoi(rd + 8), atoi(rd + 5), rd);
	free(rd);
	assert_int_equal(postf(&w, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT assessment_id FROM assessment WHERE"
		 " referral_id = %lld", ref);
	long long id = e2e_sql_int(&srv, sql);
	assert_true(id > 0);
	/* a second: 409 */
	assert_int_equal(postf(&w, path, form), 409);
	snprintf(path, sizeof(path), "/assessments/%lld?saved=started", id);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, "Assessment started"));
	assert_true(e2e_has(&w, "Not seen yet"));
	/* submitting what is not written: every part named */
	p0 = print();
	snprintf(path, sizeof(path), "/assessments/%lld/submission", id);
	assert_int_equal(postf(&w, path, ""), 422);
	assert_true(e2e_has(&w, "Enter the child&#39;s developmental needs") ||
		    e2e_has(&w, "Enter the child&#x27;s developmental needs") ||
		    e2e_has(&w, "Enter the child's developmental needs"));
	assert_true(e2e_has(&w, "Select the outcome"));
	assert_int_equal(print(), p0);
	/* the edit form; an unknown outcome refused */
	snprintf(path, sizeof(path), "/assessments/%lld/edit", id);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, "Assessment factors"));
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(postf(&w, path, "development=x&outcome=adopt"), 422);
	assert_int_equal(print(), p0);
	assert_int_equal(postf(&w, path,
		"development=Synthetic+development.&parenting=Synthetic+care."
		"&family=Synthetic+family.&wishes=Synthetic+wishes."
		"&wishes_how=drawing&analysis=Synthetic+analysis."
		"&outcome=cin_plan&factors=3A&factors=16A"), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM assessment_factor"
		 " WHERE assessment_id = %lld", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 2);
	/* the child seen, today, alone, by the worker */
	snprintf(path, sizeof(path), "/assessments/%lld/child-seen/new", id);
	assert_int_equal(e2e_get(&w, path), 200);
	long long sw = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE"
				   " username = 'sw.demo'");
	snprintf(path, sizeof(path), "/assessments/%lld/child-seen", id);
	assert_int_equal(postf(&w, path, "alone=yes"), 422);
	assert_true(e2e_has(&w, "Enter the date the child was seen"));
	snprintf(sql, sizeof(sql), "SELECT referral_date FROM referral WHERE"
		 " referral_id = %lld", ref);
	rd = e2e_sql_text(&srv, sql);
	snprintf(form, sizeof(form), "seen_on-day=%d&seen_on-month=%d"
		 "&seen_on-year=%.4s&alone=yes&seen_by=%lld", atoi(rd + 8),
		 atoi(rd + 5), rd, sw);
	free(rd);
	assert_int_equal(postf(&w, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM due_item WHERE"
		 " rule = 'R05' AND subject_id = %lld AND met_at IS NOT NULL",
		 ref);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(path, sizeof(path), "/assessments/%lld/submission", id);
	assert_int_equal(postf(&w, path, ""), 303);
	/* the worker cannot authorise: 403 */
	snprintf(path, sizeof(path), "/assessments/%lld/authorisation", id);
	assert_int_equal(postf(&w, path, ""), 403);
	e2e_client_free(&w);

	/* the manager, after R02's due date (made so): a reason needed */
	snprintf(sql, sizeof(sql), "UPDATE due_item SET due_at = '2000-01-03',"
		 " soon_at = '2000-01-01' WHERE rule = 'R02' AND subject_id ="
		 " %lld", ref);
	assert_int_equal(e2e_sql_exec(&srv, sql), 0);
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Why is it authorised late?"));
	p0 = print();
	snprintf(path, sizeof(path), "/assessments/%lld/authorisation", id);
	assert_int_equal(postf(&m, path, "late_reason="), 422);
	assert_true(e2e_has(&m, "after its due date"));
	assert_int_equal(print(), p0);
	/* a child in need plan opens a case: its primary need is asked */
	assert_int_equal(postf(&m, path, "late_reason=Synthetic+reason."),
			 422);
	assert_true(e2e_has(&m, "Select the child&#39;s primary need"));
	assert_int_equal(print(), p0);
	assert_int_equal(postf(&m, path, "late_reason=Synthetic+reason.&"
			       "primary_need=N1"), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode WHERE"
		 " assessment_id = %lld AND case_type = 'family_help' AND"
		 " section17 = 1 AND primary_need = 'N1'", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM assessment WHERE"
		 " assessment_id = %lld AND authorised_on IS NOT NULL AND"
		 " late_reason = 'Synthetic reason.'", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(path, sizeof(path), "/assessments/%lld", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Authorised late"));
	assert_true(e2e_has(&m, "Child in need plan"));
	assert_true(e2e_has(&m, "Neglect"));
	assert_false(e2e_has(&m, ">16A<"));
	/* the child's page lists it */
	snprintf(sql, sizeof(sql), "SELECT child_id FROM assessment WHERE"
		 " assessment_id = %lld", id);
	snprintf(path, sizeof(path), "/children/%lld", e2e_sql_int(&srv, sql));
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Single assessments"));
	e2e_client_free(&m);
	/* reads and writes audited */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE entity ="
		 " 'assessment' AND entity_id = %lld AND action IN ('create',"
		 " 'update', 'child_seen', 'submit', 'authorise')", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 5);
}

static void api_workflow_and_refusals(void **state)
{
	(void)state;
	long long ref = free_referral(0);
	assert_true(ref > 0);
	char path[200], body[1024], sql[300];
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_bearer(&w, "sw.demo"));
	long long p0 = print();
	snprintf(path, sizeof(path), "/api/v1/referrals/%lld/assessments", ref);
	assert_int_equal(e2e_json(&w, "POST", path, "{\"colour\":\"red\"}"),
			 422);
	assert_int_equal(e2e_json(&w, "POST", path,
				  "{\"started_on\":\"1999-01-01\"}"), 422);
	assert_true(e2e_has(&w, "started_on"));
	assert_int_equal(e2e_json(&w, "POST", "/api/v1/referrals/999999999/"
				  "assessments", "{\"started_on\":\"2024-01-"
				  "01\"}"), 404);
	assert_int_equal(print(), p0);
	snprintf(sql, sizeof(sql), "SELECT referral_date FROM referral WHERE"
		 " referral_id = %lld", ref);
	char *rd = e2e_sql_text(&srv, sql);
	snprintf(body, sizeof(body), "{\"started_on\":\"%s\"}", rd);
	assert_int_equal(e2e_json(&w, "POST", path, body), 201);
	assert_true(e2e_has(&w, "\"status\":\"in_progress\""));
	assert_int_equal(e2e_json(&w, "POST", path, body), 409);
	snprintf(sql, sizeof(sql), "SELECT assessment_id FROM assessment WHERE"
		 " referral_id = %lld", ref);
	long long id = e2e_sql_int(&srv, sql);
	/* unknown codes: an outcome, a factor, how gathered */
	p0 = print();
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(e2e_json(&w, "PATCH", path, "{\"outcome\":\"x\"}"),
			 422);
	assert_int_equal(e2e_json(&w, "PATCH", path, "{\"factors\":\"3A 77Q\"}"),
			 422);
	assert_true(e2e_has(&w, "factors"));
	assert_int_equal(e2e_json(&w, "PATCH", path,
				  "{\"wishes_how\":\"telepathy\"}"), 422);
	assert_int_equal(print(), p0);
	assert_int_equal(e2e_json(&w, "PATCH", path,
		"{\"development\":\"Synthetic.\",\"parenting\":\"Synthetic.\","
		"\"family\":\"Synthetic.\",\"wishes\":\"Synthetic.\","
		"\"wishes_how\":\"app\",\"analysis\":\"Synthetic.\","
		"\"outcome\":\"nfa\",\"factors\":\"21\"}"), 200);
	assert_true(e2e_has(&w, "\"factors\":[\"21\"]"));
	assert_true(e2e_has(&w, "\"outcome_label\":\"No further action\""));
	/* the child seen: before the referral refused (no end before start) */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/child-seen", id);
	long long sw = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE"
				   " username = 'sw.demo'");
	snprintf(body, sizeof(body), "{\"seen_on\":\"1999-12-31\",\"alone\":"
		 "\"no\",\"seen_by\":%lld}", sw);
	p0 = print();
	assert_int_equal(e2e_json(&w, "POST", path, body), 422);
	assert_int_equal(print(), p0);
	snprintf(body, sizeof(body), "{\"seen_on\":\"%s\",\"alone\":\"no\","
		 "\"seen_by\":%lld}", rd, sw);
	free(rd);
	assert_int_equal(e2e_json(&w, "POST", path, body), 200);
	assert_true(e2e_has(&w, "\"child_seen\""));
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/submission", id);
	assert_int_equal(e2e_json(&w, "POST", path, "{}"), 200);
	assert_true(e2e_has(&w, "\"status\":\"submitted\""));
	assert_int_equal(e2e_json(&w, "POST", path, "{}"), 409);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/authorisation",
		 id);
	assert_int_equal(e2e_json(&w, "POST", path, "{}"), 403);
	e2e_client_free(&w);
	/* partners, analysts, councillors: nothing of it */
	static const char *const none[] = {"partner.school", "analyst.demo",
					   "cllr.demo"};
	for (int i = 0; i < 3; i++) {
		struct e2e_client o;
		e2e_client_init(&o, &srv);
		assert_true(e2e_bearer(&o, none[i]));
		snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
		assert_int_equal(e2e_json(&o, "GET", path, NULL), 403);
		assert_false(e2e_has(&o, "Synthetic."));
		e2e_client_free(&o);
	}
	/* the manager authorises, with the version read */
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_bearer(&m, "tm.demo"));
	snprintf(sql, sizeof(sql), "SELECT version FROM assessment WHERE"
		 " assessment_id = %lld", id);
	long long v = e2e_sql_int(&srv, sql);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/authorisation",
		 id);
	snprintf(body, sizeof(body), "{\"version\":%lld}", v + 1);
	assert_int_equal(e2e_json(&m, "POST", path, body), 409);
	snprintf(body, sizeof(body), "{\"version\":%lld}", v);
	long st = e2e_json(&m, "POST", path, body);
	/* on time unless the demo's referral is already past its date */
	if (st == 422) {
		assert_true(e2e_has(&m, "late_reason"));
		snprintf(body, sizeof(body), "{\"version\":%lld,\"late_reason\":"
			 "\"Synthetic.\"}", v);
		st = e2e_json(&m, "POST", path, body);
	}
	assert_int_equal(st, 200);
	assert_true(e2e_has(&m, "\"status\":\"authorised\""));
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", id);
	assert_int_equal(e2e_json(&m, "PATCH", path, "{\"analysis\":\"x\"}"),
			 409);
	snprintf(sql, sizeof(sql), "SELECT child_id FROM assessment WHERE"
		 " assessment_id = %lld", id);
	snprintf(path, sizeof(path), "/api/v1/children/%lld/assessments",
		 e2e_sql_int(&srv, sql));
	assert_int_equal(e2e_json(&m, "GET", path, NULL), 200);
	assert_true(e2e_has(&m, "\"items\""));
	assert_int_equal(e2e_json(&m, "GET", "/api/v1/openapi.json", NULL), 200);
	assert_true(e2e_has(&m, "/api/v1/assessments/{id}/authorisation"));
	e2e_client_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_start_write_see_submit_authorise),
		cmocka_unit_test(api_workflow_and_refusals),
	};
	return cmocka_run_group_tests(tests, up, down);
}
