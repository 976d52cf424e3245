/*
 * e2e_closure_test.c: closing a case and stepping down (issue 11 §8)
 * end to end over loopback.  Through the JSON API: a case that had an
 * assessment is not closed without a consultation with each agency
 * involved with the child, a watching agency and what it watches for,
 * services from the council's directory and a team manager's approval;
 * each refusal is a 422 naming its field and writes nothing.  With all
 * of them the manager closes it; the watching agency's partner then
 * reads the child's summary and sees the family in their list (another
 * agency still gets 404); a new case within 12 months links back.  The
 * directory: administrators and team managers add to it, a social
 * worker may not.  Through the pages: the closing form and its error
 * summary, the case page after closing, the partner's "My work", the
 * directory page.  A young person's transition to adult services (§7):
 * flagged at 17 after Family Help, the section on their page, the plan's
 * form and its refusal, the plan through the API starting L03 on the
 * 18th birthday; refused for a young person not flagged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/actor.h"
#include "harness.h"
#include "rules/calendar.h"
#include "rules/uktime.h"

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

static long long org_of(const char *username)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT org_id FROM app_user WHERE "
		 "username = '%s'", username);
	return e2e_sql_int(&srv, sql);
}

/* Everything a refused step-down could leave. */
static long long written(void)
{
	return e2e_sql_int(&srv, "SELECT (SELECT count(*) FROM episode)"
			   " + (SELECT count(*) FROM episode WHERE closed_on"
			   " IS NULL)"
			   " + (SELECT count(*) FROM episode_closure)"
			   " + (SELECT count(*) FROM episode_closure_service)"
			   " + (SELECT count(*) FROM episode_consultation)"
			   " + (SELECT count(*) FROM service_entry)"
			   " + (SELECT count(*) FROM chronology)"
			   " + (SELECT count(*) FROM audit WHERE entity IN"
			   " ('episode', 'service') AND action <> 'read'"
			   " AND action <> 'list')");
}

/* A child with an assessment authorised on *day (the latest such), no
 * open Family Help case, the school of `school` involved and neither
 * `other` nor `other2` involved or watching. */
static long long pick_child(long long school, long long other,
			    long long other2, char day[11])
{
	char sql[1400];
	snprintf(sql, sizeof(sql),
		 "SELECT a.child_id || ' ' || a.authorised_on FROM assessment a"
		 " WHERE a.authorised_on IS NOT NULL AND NOT EXISTS (SELECT 1"
		 " FROM episode e WHERE e.council = a.council AND e.child_id ="
		 " a.child_id AND (e.closed_on IS NULL OR e.closed_on >="
		 " a.authorised_on)) AND EXISTS (SELECT 1 FROM network_member m"
		 " WHERE m.council = a.council AND m.child_id = a.child_id AND"
		 " m.kind = 'professional' AND m.org_id = %lld AND m.end_date IS"
		 " NULL) AND NOT EXISTS (SELECT 1 FROM network_member m WHERE"
		 " m.council = a.council AND m.child_id = a.child_id AND"
		 " m.org_id IN (%lld, %lld)) AND NOT EXISTS (SELECT 1 FROM"
		 " episode_closure k WHERE k.council = a.council AND k.child_id"
		 " = a.child_id) ORDER BY a.authorised_on DESC, a.assessment_id"
		 " LIMIT 1", school, other, other2);
	char *d = e2e_sql_text(&srv, sql);
	assert_non_null(d);
	long long child = 0;
	assert_int_equal(sscanf(d, "%lld %10s", &child, day), 2);
	free(d);
	return child;
}

static long long id_in(struct e2e_client *c)
{
	const char *p = strstr(c->r.body, "\"id\":");
	assert_non_null(p);
	return strtoll(p + 5, NULL, 10);
}

static void closing_through_the_api(void **state)
{
	(void)state;
	long long school = org_of("partner.school"),
		  police = org_of("partner.police"),
		  health = org_of("partner.health");
	char day[11];
	long long child = pick_child(school, police, health, day);
	struct e2e_client w, m, p, h;
	e2e_client_init(&w, &srv);
	e2e_client_init(&m, &srv);
	e2e_client_init(&p, &srv);
	e2e_client_init(&h, &srv);
	assert_true(e2e_bearer(&w, "sw.demo"));
	assert_true(e2e_bearer(&m, "tm.demo"));
	assert_true(e2e_bearer(&p, "partner.police"));
	assert_true(e2e_bearer(&h, "partner.health"));
	char path[160], body[1200], cpath[160], want[200];

	/* before: the police are not involved with the child */
	snprintf(path, sizeof(path), "/api/v1/children/%lld", child);
	assert_int_equal(e2e_json(&p, "GET", path, NULL), 404);

	/* the case, opened the day the assessment was authorised */
	snprintf(path, sizeof(path), "/api/v1/children/%lld/cases", child);
	snprintf(body, sizeof(body), "{\"case_type\": \"family_help\","
		 " \"opened_on\": \"%s\", \"primary_need\": \"N1\"}", day);
	assert_int_equal(e2e_json(&w, "POST", path, body), 201);
	long long id = id_in(&w);
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld/closure", id);

	/* the worker with a date and a reason: every requirement named */
	long long before = written();
	snprintf(body, sizeof(body), "{\"closed_on\": \"%s\", \"reason\":"
		 " \"RC8\"}", day);
	assert_int_equal(e2e_json(&w, "POST", cpath, body), 422);
	const char *need[] = {"\"consultations\"", "\"watch_org_id\"",
			      "\"watch_for\"", "\"services\"", "\"approved\""};
	for (size_t i = 0; i < 5; i++)
		if (!e2e_has(&w, need[i]))
			fail_msg("no %s in %s", need[i], w.r.body);
	assert_true(e2e_has(&w, "not yet consulted"));
	assert_int_equal(written(), before);

	/* the consultations, one an involved agency */
	char sql[700];
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT org_id) FROM"
		 " network_member WHERE child_id = %lld AND kind ="
		 " 'professional' AND org_id IS NOT NULL AND (end_date IS NULL"
		 " OR end_date >= '%s')", child, day);
	long long agencies = e2e_sql_int(&srv, sql);
	assert_true(agencies >= 1);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/consultations", id);
	assert_int_equal(e2e_json(&w, "POST", path, "{\"org_id\": 1,"
				  " \"person\": \"\", \"consulted_on\":"
				  " \"2999-01-01\", \"view\": \"V\"}"), 422);
	assert_true(e2e_has(&w, "\"person\""));
	assert_true(e2e_has(&w, "\"consulted_on\""));
	assert_int_equal(written(), before);
	for (long long k = 0; k < agencies; k++) {
		snprintf(sql, sizeof(sql), "SELECT DISTINCT org_id FROM"
			 " network_member WHERE child_id = %lld AND kind ="
			 " 'professional' AND org_id IS NOT NULL AND (end_date"
			 " IS NULL OR end_date >= '%s') ORDER BY org_id LIMIT 1"
			 " OFFSET %lld", child, day, k);
		snprintf(body, sizeof(body), "{\"org_id\": %lld, \"person\":"
			 " \"Synthetic: safeguarding lead\", \"consulted_on\":"
			 " \"%s\", \"view\": \"Synthetic: content to close.\"}",
			 e2e_sql_int(&srv, sql), day);
		assert_int_equal(e2e_json(&w, "POST", path, body), 200);
	}
	assert_true(e2e_has(&w, "\"consultations\":[{"));

	/* the directory's services */
	assert_int_equal(e2e_json(&w, "GET", "/api/v1/services", NULL), 200);
	assert_true(e2e_has(&w, "\"kind_label\":\"Early help\""));
	long long svc = e2e_sql_int(&srv, "SELECT min(service_id) FROM"
				    " service_entry WHERE withdrawn = 0");
	assert_true(svc > 0);

	/* the manager with everything but one requirement, each in turn */
	struct {
		const char *body;
		const char *field;
	} bad[] = {
		{"{\"closed_on\": \"%s\", \"reason\": \"RC8\", \"watch_for\":"
		 " \"Synthetic: call-outs\", \"services\": [%lld],"
		 " \"approved\": true%s}", "watch_org_id"},
		{"{\"closed_on\": \"%s\", \"reason\": \"RC8\", \"services\":"
		 " [%lld], \"approved\": true, \"watch_org_id\": %s}",
		 "watch_for"},
		{"{\"closed_on\": \"%s\", \"reason\": \"RC8\", \"watch_for\":"
		 " \"Synthetic: call-outs\", \"services\": [%lld],"
		 " \"watch_org_id\": %s}", "approved"},
		{"{\"closed_on\": \"%s\", \"reason\": \"RC8\", \"watch_for\":"
		 " \"Synthetic: call-outs\", \"services\": [%lld, 99999],"
		 " \"approved\": true, \"watch_org_id\": %s}", "services"},
		{"{\"closed_on\": \"%s\", \"reason\": \"RC8\", \"watch_for\":"
		 " \"Synthetic: call-outs\", \"services\": \"%lld\","
		 " \"approved\": true, \"watch_org_id\": %s}", "services"},
	};
	char pol[24];
	snprintf(pol, sizeof(pol), "%lld", police);
	before = written();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), bad[i].body, day, svc,
			 i == 0 ? "" : pol);
		assert_int_equal(e2e_json(&m, "POST", cpath, body), 422);
		snprintf(want, sizeof(want), "\"%s\"", bad[i].field);
		if (!e2e_has(&m, want))
			fail_msg("%zu: %s", i, m.r.body);
		assert_int_equal(written(), before);
	}
	/* no services at all */
	snprintf(body, sizeof(body), "{\"closed_on\": \"%s\", \"reason\":"
		 " \"RC8\", \"watch_for\": \"Synthetic: call-outs\","
		 " \"approved\": true, \"watch_org_id\": %lld}", day, police);
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 422);
	assert_true(e2e_has(&m, "\"services\""));
	/* the worker with all of it: still the manager's to approve */
	snprintf(body, sizeof(body), "{\"closed_on\": \"%s\", \"reason\":"
		 " \"RC8\", \"watch_for\": \"Synthetic: call-outs to the"
		 " address\", \"services\": [%lld], \"approved\": true,"
		 " \"watch_org_id\": %lld}", day, svc, police);
	assert_int_equal(e2e_json(&w, "POST", cpath, body), 422);
	assert_true(e2e_has(&w, "\"approved\""));
	assert_int_equal(written(), before);

	/* the manager: closed, with the watch */
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 200);
	assert_true(e2e_has(&m, "\"open\":false"));
	assert_true(e2e_has(&m, "\"watch_org_name\":"));
	assert_true(e2e_has(&m, "\"approved_by_name\":"));
	assert_int_equal(e2e_json(&m, "POST", cpath, body), 409);

	/* the police now read the child's summary and see the family */
	snprintf(path, sizeof(path), "/api/v1/children/%lld", child);
	assert_int_equal(e2e_json(&p, "GET", path, NULL), 200);
	assert_int_equal(e2e_json(&p, "GET", "/api/v1/watching", NULL), 200);
	snprintf(want, sizeof(want), "\"child_id\":%lld,", child);
	assert_true(e2e_has(&p, want));
	assert_false(e2e_has(&p, "child_name"));
	/* but no case: partners read none */
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld", id);
	assert_int_equal(e2e_json(&p, "GET", cpath, NULL), 403);
	/* another agency still gets not found */
	assert_int_equal(e2e_json(&h, "GET", path, NULL), 404);
	assert_int_equal(e2e_json(&h, "GET", "/api/v1/watching", NULL), 200);
	assert_false(e2e_has(&h, want));

	/* reopened within 12 months: linked back */
	snprintf(path, sizeof(path), "/api/v1/children/%lld/cases", child);
	snprintf(body, sizeof(body), "{\"case_type\": \"family_help\","
		 " \"opened_on\": \"%s\", \"primary_need\": \"N1\"}", day);
	assert_int_equal(e2e_json(&w, "POST", path, body), 201);
	snprintf(want, sizeof(want), "\"reopened_from\":%lld,", id);
	assert_true(e2e_has(&w, want));

	/* the directory: the manager adds, a worker may not */
	before = written();
	assert_int_equal(e2e_json(&w, "POST", "/api/v1/services",
				  "{\"kind\": \"parenting\", \"name\": \"X\","
				  " \"contact\": \"Y\"}"), 403);
	assert_int_equal(e2e_json(&m, "POST", "/api/v1/services",
				  "{\"kind\": \"bingo\", \"name\": \"X\","
				  " \"contact\": \"Y\"}"), 422);
	assert_true(e2e_has(&m, "\"kind\""));
	assert_int_equal(written(), before);
	assert_int_equal(e2e_json(&m, "POST", "/api/v1/services",
				  "{\"kind\": \"parenting\", \"name\":"
				  " \"Synthetic Bump to Baby\", \"contact\":"
				  " \"Telephone 01632 960 777\"}"), 201);
	assert_int_equal(e2e_json(&m, "POST", "/api/v1/services",
				  "{\"kind\": \"parenting\", \"name\":"
				  " \"Synthetic Bump to Baby\", \"contact\":"
				  " \"Elsewhere\"}"), 409);
	assert_true(e2e_has(&m, "\"name\""));
	e2e_client_free(&w);
	e2e_client_free(&m);
	e2e_client_free(&p);
	e2e_client_free(&h);
}

/* The pages: the closing form's refusal, the partner's "My work", the
 * directory. */
static void closing_through_the_pages(void **state)
{
	(void)state;
	long long id = e2e_sql_int(&srv, "SELECT min(e.episode_id) FROM"
				   " episode e WHERE e.closed_on IS NULL AND"
				   " e.assessment_id IS NOT NULL AND"
				   " e.case_type = 'family_help'");
	assert_true(id > 0);
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	char path[160], form[600];
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Before closing the case"));
	assert_true(e2e_has(&m, "Record a consultation"));
	assert_true(e2e_has(&m, "Agency keeping watch on the family"));
	assert_true(e2e_has(&m, "Services the family has been connected to"));
	assert_true(e2e_has(&m, "Do you approve closing this case?"));
	/* refused: the summary names each requirement, nothing written */
	long long before = written();
	snprintf(path, sizeof(path), "/cases/%lld/closure", id);
	snprintf(form, sizeof(form), "csrf=%s&closed_on-day=1&closed_on-month="
		 "1&closed_on-year=2999&reason=RC8&approved=no", m.csrf);
	assert_int_equal(e2e_post(&m, path, form), 422);
	assert_true(e2e_has(&m, "govuk-error-summary"));
	assert_true(e2e_has(&m, "#watch_org_id"));
	assert_true(e2e_has(&m, "#services"));
	assert_true(e2e_has(&m, "Confirm that you approve closing the case"));
	assert_false(e2e_has(&m, ">RC8<"));
	assert_int_equal(written(), before);

	/* the directory page */
	assert_int_equal(e2e_get(&m, "/services"), 200);
	assert_true(e2e_has(&m, "Service directory"));
	assert_true(e2e_has(&m, "Parenting support, including before birth"));
	snprintf(form, sizeof(form), "csrf=%s&kind=&name=&contact=", m.csrf);
	assert_int_equal(e2e_post(&m, "/services", form), 422);
	assert_true(e2e_has(&m, "Select the kind of service"));
	assert_int_equal(written(), before);
	e2e_client_free(&m);

	/* the police's "My work": the family from the API test */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.police", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&p, "/"), 200);
	assert_true(e2e_has(&p, "Families you are keeping watch on"));
	assert_true(e2e_has(&p, "Synthetic: call-outs to the address"));
	assert_int_equal(e2e_get(&p, "/services"), 403);
	e2e_client_free(&p);
	/* a social worker may not keep the directory */
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&w, "/services"), 403);
	e2e_client_free(&w);
}


/* Transition to adulthood: a child with an open Family Help case made
 * 17 (their date of birth set from the server's clock's date). */
static void transition_to_adulthood(void **state)
{
	(void)state;
	struct actor now = {0};
	actor_at(&now, uk_clock_now());
	struct cal_date dob = cal_add_days(cal_add_months(now.today, -17 * 12),
					   -10),
			at18 = cal_add_months(dob, 18 * 12);
	char d[11], d18[11];
	cal_date_format(dob, d);
	cal_date_format(at18, d18);
	long long child = e2e_sql_int(&srv, "SELECT min(e.child_id) FROM"
				      " episode e WHERE e.closed_on IS NULL AND"
				      " e.case_type = 'family_help' AND NOT"
				      " EXISTS (SELECT 1 FROM episode l WHERE"
				      " l.child_id = e.child_id AND l.case_type ="
				      " 'looked_after' AND l.closed_on IS NULL)"
				      " AND NOT EXISTS (SELECT 1 FROM"
				      " transition_plan t WHERE t.child_id ="
				      " e.child_id)");
	long long other = e2e_sql_int(&srv, "SELECT min(c.child_id) FROM child"
				      " c WHERE NOT EXISTS (SELECT 1 FROM episode"
				      " e WHERE e.child_id = c.child_id)");
	assert_true(child > 0 && other > 0);
	char sql[300];
	snprintf(sql, sizeof(sql), "UPDATE child SET dob = '%s' WHERE child_id"
		 " IN (%lld, %lld)", d, child, other);
	assert_int_equal(e2e_sql_exec(&srv, sql), 0);

	/* the page: the section, the form and its refusal */
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	char path[160], form[400], body[600];
	snprintf(path, sizeof(path), "/children/%lld", child);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, "Transition to adulthood"));
	assert_true(e2e_has(&w, "Make a transition plan"));
	snprintf(path, sizeof(path), "/children/%lld", other);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_false(e2e_has(&w, "Transition to adulthood"));
	snprintf(path, sizeof(path), "/children/%lld/transition", child);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, "Support agreed"));
	long long before = e2e_sql_int(&srv, "SELECT count(*) FROM"
				       " transition_plan");
	snprintf(form, sizeof(form), "csrf=%s&adult_contact=&adult_service="
		 "&support=", w.csrf);
	assert_int_equal(e2e_post(&w, path, form), 422);
	assert_true(e2e_has(&w, "govuk-error-summary"));
	assert_true(e2e_has(&w, "#adult_contact"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM"
				     " transition_plan"), before);

	/* the API: flagged; the plan starts L03, due on the 18th birthday */
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	assert_true(e2e_bearer(&a, "sw.demo"));
	snprintf(path, sizeof(path), "/api/v1/children/%lld/transition", child);
	assert_int_equal(e2e_json(&a, "GET", path, NULL), 200);
	assert_true(e2e_has(&a, "\"flagged\":true"));
	assert_true(e2e_has(&a, "\"plan\":null"));
	snprintf(body, sizeof(body), "{\"adult_contact\": \"Synthetic: Ann"
		 " Adult, social worker\", \"adult_service\": \"Synthetic:"
		 " adult social care\", \"support\": \"Synthetic: careers"
		 " advice\"}");
	assert_int_equal(e2e_json(&a, "POST", path, body), 200);
	assert_true(e2e_has(&a, "\"adult_service\":\"Synthetic: adult social"
			    " care\""));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM due_item WHERE rule ="
		 " 'L03' AND child_id = %lld AND due_at = '%s' AND met_at IS"
		 " NULL", child, d18);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* not flagged (no case): refused, nothing written */
	snprintf(path, sizeof(path), "/api/v1/children/%lld/transition", other);
	before = e2e_sql_int(&srv, "SELECT count(*) FROM transition_plan");
	assert_int_equal(e2e_json(&a, "POST", path, body), 422);
	assert_true(e2e_has(&a, "\"child\""));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM"
				     " transition_plan"), before);
	/* partners read no transition */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_bearer(&p, "partner.school"));
	assert_int_equal(e2e_json(&p, "GET", path, NULL), 403);
	e2e_client_free(&p);
	e2e_client_free(&a);
	e2e_client_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(closing_through_the_api),
		cmocka_unit_test(closing_through_the_pages),
		cmocka_unit_test(transition_to_adulthood),
	};
	return cmocka_run_group_tests(tests, up, down);
}
