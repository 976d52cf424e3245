/*
 * e2e_journey_test.c: one child's whole journey through the JSON API
 * (issue 11 §10), each step as the role that does it, with the server's
 * clock moved on between the stages (config `clock`): the front door
 * records a contact, decides on a referral and allocates it; the social
 * worker assesses, the manager authorises with the outcome "strategy
 * discussion"; a strategy discussion with the police, health and school;
 * a section 47 enquiry concluding a conference is needed; the initial
 * conference, the plan (the child-protection case opened with it), a
 * core group, a review; the plan ended stepping the child down to Family
 * Help (the child-protection case closed, a Family Help case opened, in
 * one write); that case closed after consulting each agency, with the
 * school named to keep watch, a service from the directory and the
 * manager's approval.  At each step: the record, its chronology line and
 * the clocks (the due items, and the glance's "next due"); at the end
 * the kept due items equal a rebuild (`cairn due --check`) and the
 * school's partner user sees the family in their list.
 *
 * The refusals §10 names that the module tests do not already make: no
 * plan from a conference that decided against one; a step down for a
 * child who is not safe now; no closing of the stepped-down case without
 * the consultations, the watch, services and approval; unknown values;
 * each a 4xx naming its field that writes nothing (counted before and
 * after).  Who sees what: the police partner reads the strategy
 * discussion they took part in and the child's warnings, not the cases
 * or another child; analysts and councillors read no child and see no
 * name.  A Family Help case open beside the plan is kept by the step
 * down (one open case a type).
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

/* The stages' clocks: a Monday in March (the front door and the
 * assessment), the day after the initial conference, and 1 July. */
#define CLOCK_FRONT_DOOR "clock = 2026-03-02T10:00:00Z\n"
#define CLOCK_CONFERENCE "clock = 2026-03-24T10:00:00Z\n"
#define CLOCK_STEP_DOWN "clock = 2026-07-01T10:00:00Z\n"

static int up(void **state)
{
	(void)state;
	return e2e_server_start_conf(&srv, 60, CLOCK_FRONT_DOOR);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

/* Everything any step of the journey writes. */
static long long written(void)
{
	return e2e_sql_int(&srv, "SELECT (SELECT count(*) FROM contact)"
			   " + (SELECT count(*) FROM referral)"
			   " + (SELECT count(*) FROM assessment)"
			   " + (SELECT count(*) FROM cp_strategy)"
			   " + (SELECT count(*) FROM cp_s47)"
			   " + (SELECT count(*) FROM cp_conference)"
			   " + (SELECT count(*) FROM cp_plan)"
			   " + (SELECT count(*) FROM cp_plan WHERE ended_on IS"
			   "  NOT NULL)"
			   " + (SELECT count(*) FROM episode)"
			   " + (SELECT count(*) FROM episode WHERE closed_on IS"
			   "  NULL)"
			   " + (SELECT count(*) FROM episode_closure)"
			   " + (SELECT count(*) FROM episode_consultation)"
			   " + (SELECT count(*) FROM due_item)"
			   " + (SELECT count(*) FROM due_item WHERE met_at IS"
			   "  NULL)"
			   " + (SELECT count(*) FROM chronology)");
}

static long long sql_int(const char *fmt, long long a, const char *b)
{
	char sql[600];
	snprintf(sql, sizeof(sql), fmt, a, b);
	return e2e_sql_int(&srv, sql);
}

static long long user_id(const char *username)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT user_id FROM app_user WHERE"
		 " username = '%s'", username);
	return e2e_sql_int(&srv, sql);
}

static long long org_of(const char *username)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT org_id FROM app_user WHERE"
		 " username = '%s'", username);
	return e2e_sql_int(&srv, sql);
}

/* The integer after "key": in the last answer. */
static long long num(struct e2e_client *c, const char *key)
{
	char k[64];
	snprintf(k, sizeof(k), "\"%s\":", key);
	const char *p = c->r.body ? strstr(c->r.body, k) : NULL;
	if (p == NULL)
		fail_msg("no %s in %s", key, c->r.body ? c->r.body : "");
	return strtoll(p + strlen(k), NULL, 10);
}

/* A request that must answer `want`; a 4xx must name `field` and write
 * nothing. */
static void send(struct e2e_client *c, const char *method, const char *path,
		 const char *body, long want, const char *field)
{
	long long before = written();
	long got = e2e_json(c, method, path, body);
	if (got != want)
		fail_msg("%s %s: %ld, wanted %ld: %s", method, path, got, want,
			 c->r.body ? c->r.body : "");
	if (field) {
		char f[80];
		snprintf(f, sizeof(f), "\"%s\"", field);
		if (!e2e_has(c, f))
			fail_msg("%s %s: no %s in %s", method, path, field,
				 c->r.body);
		if (written() != before)
			fail_msg("%s %s: a refusal wrote something", method,
				 path);
	}
}

/* The child's newest chronology line is `line`. */
static void chron_last(long long child, const char *line)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT summary FROM chronology WHERE"
		 " child_id = %lld ORDER BY entry_id DESC LIMIT 1", child);
	char *got = e2e_sql_text(&srv, sql);
	if (got == NULL || strstr(got, line) == NULL)
		fail_msg("chronology: wanted \"%s\", newest is \"%s\"", line,
			 got ? got : "(none)");
	free(got);
}

/* The child has a chronology line containing `line`. */
static void chron_has(long long child, const char *line)
{
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chronology WHERE"
		 " child_id = %lld AND summary LIKE '%%%s%%'", child, line);
	if (e2e_sql_int(&srv, sql) < 1)
		fail_msg("chronology: no \"%s\"", line);
}

/* The child's item of `rule`: 'met' (met on or before its due date),
 * 'open' (not met), or 'none' (no item). */
static void due_is(long long child, const char *rule, const char *want)
{
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT CASE WHEN met_at IS NULL THEN"
		 " 'open' WHEN met_at <= due_at THEN 'met' ELSE 'late' END"
		 " FROM due_item WHERE child_id = %lld AND rule = '%s'"
		 " ORDER BY seq DESC LIMIT 1", child, rule);
	char *got = e2e_sql_text(&srv, sql);
	const char *g = got ? got : "none";
	if (strcmp(g, want) != 0)
		fail_msg("%s for child %lld: %s, wanted %s", rule, child, g,
			 want);
	free(got);
}

/* The glance (the top of the child's page, through the API) as `who`
 * sees it has `want`. */
static void glance_has(struct e2e_client *c, long long child,
		       const char *want)
{
	char path[120];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/glance", child);
	send(c, "GET", path, NULL, 200, NULL);
	if (!e2e_has(c, want))
		fail_msg("glance: no %s in %s", want, c->r.body);
}

/* The child's page, signed in as c, has each of want (NULL-ended) and
 * none of the codes behind them. */
static void page_has(struct e2e_client *c, long long child, ...)
{
	char path[120];
	snprintf(path, sizeof(path), "/children/%lld", child);
	if (e2e_get(c, path) != 200)
		fail_msg("GET %s: %ld", path, c->r.status);
	va_list ap;
	va_start(ap, child);
	for (const char *w; (w = va_arg(ap, const char *)) != NULL;)
		if (!e2e_has(c, w))
			fail_msg("the child's page: no \"%s\"", w);
	va_end(ap);
	const char *codes[] = {"NEG", "child_protection", "family_help",
			       "RC9"};
	for (int i = 0; i < 4; i++)
		if (e2e_has(c, codes[i]))
			fail_msg("the child's page shows the code %s", codes[i]);
}

struct people {
	struct e2e_client fd, sw, tm, police, school;
	struct e2e_client sw_page, police_page; /* signed in */
	long long sw_id, police_org, health_org, school_org;
};

/* The server on another day: the page clients sign in again (a session
 * idle for weeks has ended). */
static void moved_to(struct people *p, const char *clock)
{
	assert_int_equal(e2e_server_serve(&srv, clock), 0);
	struct e2e_client *c[] = {&p->sw_page, &p->police_page};
	const char *who[] = {"sw.demo", "partner.police"};
	for (int i = 0; i < 2; i++) {
		e2e_client_free(c[i]);
		e2e_client_init(c[i], &srv);
		assert_true(e2e_sign_in(c[i], who[i], DEMO_PASSWORD));
	}
}

static long long front_door(struct people *p)
{
	char path[160], body[1200];
	/* a new child, with the police, the GP and the school around them */
	send(&p->fd, "POST", "/api/v1/children", "{\"given_name\":"
	     "\"Journey\", \"family_name\": \"Synthetica\", \"dob\":"
	     " \"2018-05-04\", \"gender\": \"1\", \"ethnicity\": \"WBRI\","
	     " \"confirm_not_duplicate\": true}", 201, NULL);
	long long child = num(&p->fd, "child_id");
	const struct {
		const char *name, *role;
		long long org;
	} pro[] = {
		{"Synthetic Officer", "Neighbourhood officer", p->police_org},
		{"Synthetic GP", "GP", p->health_org},
		{"Synthetic Teacher", "Class teacher", p->school_org},
	};
	snprintf(path, sizeof(path), "/api/v1/children/%lld/network", child);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"kind\": \"professional\","
			 " \"name\": \"%s\", \"relationship\": \"%s\","
			 " \"org_id\": %lld, \"start_date\": \"2026-03-02\"}",
			 pro[i].name, pro[i].role, pro[i].org);
		send(&p->fd, "POST", path, body, 201, NULL);
	}

	/* the contact: R01 starts (a working day) */
	snprintf(path, sizeof(path), "/api/v1/children/%lld/contacts", child);
	send(&p->fd, "POST", path, "{\"source\": \"2A\", \"referrer_name\":"
	     " \"Synthetic Teacher\", \"received_at\": \"2026-03-02T09:00\","
	     " \"worry\": \"Synthetic: bruising seen at school.\","
	     " \"family_consent\": \"not_known\"}", 201, NULL);
	long long contact = num(&p->fd, "id");
	assert_true(e2e_has(&p->fd, "\"due_at\":\"2026-03-03T09:00\""));
	due_is(child, "R01", "open");
	chron_last(child, "Contact");

	/* decided on a referral within the day: R01 met, the referral made */
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/decision", contact);
	send(&p->fd, "POST", path, "{\"decision\": \"send_to_mars\","
	     " \"reason\": \"Synthetic\"}", 422, "decision");
	send(&p->fd, "POST", path, "{\"decision\": \"referral\", \"reason\":"
	     " \"Synthetic: threshold for a referral met.\"}", 200, NULL);
	due_is(child, "R01", "met");
	long long referral = num(&p->fd, "referral_id");
	assert_true(referral > 0);
	chron_has(child, "eferral");

	/* allocated to the social worker */
	snprintf(path, sizeof(path), "/api/v1/referrals/%lld/allocation",
		 referral);
	snprintf(body, sizeof(body), "{\"worker_id\": %lld}", p->sw_id);
	send(&p->tm, "POST", path, body, 200, NULL);
	return referral;
}

static void assessment(struct people *p, long long child, long long referral)
{
	char path[160], body[1200];
	snprintf(path, sizeof(path), "/api/v1/referrals/%lld/assessments",
		 referral);
	send(&p->sw, "POST", path, "{\"started_on\": \"2026-03-02\"}", 201,
	     NULL);
	long long a = num(&p->sw, "id");
	due_is(child, "R02", "open");
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld", a);
	send(&p->sw, "PATCH", path, "{\"development\": \"Synthetic.\","
	     " \"parenting\": \"Synthetic.\", \"family\": \"Synthetic.\","
	     " \"wishes\": \"Synthetic.\", \"wishes_how\": \"app\","
	     " \"analysis\": \"Synthetic.\", \"outcome\": \"strategy\","
	     " \"factors\": \"2B 3B\"}", 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/child-seen", a);
	snprintf(body, sizeof(body), "{\"seen_on\": \"2026-03-02\", \"alone\":"
		 " \"yes\", \"seen_by\": %lld}", p->sw_id);
	send(&p->sw, "POST", path, body, 200, NULL);
	due_is(child, "R05", "met");
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/submission", a);
	send(&p->sw, "POST", path, "{}", 200, NULL);
	/* the manager authorises: strategy discussion, on time */
	snprintf(path, sizeof(path), "/api/v1/assessments/%lld/authorisation",
		 a);
	snprintf(body, sizeof(body), "{\"version\": %lld}",
		 sql_int("SELECT version FROM assessment WHERE assessment_id ="
			 " %lld%s", a, ""));
	send(&p->tm, "POST", path, body, 200, NULL);
	assert_true(e2e_has(&p->tm, "\"status\":\"authorised\""));
	assert_true(e2e_has(&p->tm, "\"outcome_label\":\"Strategy discussion\""));
	due_is(child, "R02", "met");
	chron_has(child, "ssessment");
}

/* The strategy discussion to the plan; returns the plan's id. */
static long long to_the_plan(struct people *p, long long child,
			     long long *strategy)
{
	char path[160], body[1200];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/"
		 "strategy-discussions", child);
	snprintf(body, sizeof(body), "{\"held_on\": \"2026-03-03\","
		 " \"decision\": \"s47\", \"lead_id\": %lld}", p->sw_id);
	send(&p->sw, "POST", path, body, 201, NULL);
	long long sid = num(&p->sw, "id");
	*strategy = sid;
	chron_last(child, "trategy discussion");
	const struct {
		const char *agency, *name;
		long long org;
	} who[] = {
		{"police", "Synthetic Officer", p->police_org},
		{"health", "Synthetic GP", p->health_org},
		{"education", "Synthetic Teacher", p->school_org},
	};
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "participants", sid);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"agency\": \"%s\", \"name\":"
			 " \"%s\", \"role\": \"Synthetic role\", \"shared\":"
			 " \"Synthetic: what the agency knew.\", \"org_id\":"
			 " %lld}", who[i].agency, who[i].name, who[i].org);
		send(&p->sw, "POST", path, body, 200, NULL);
	}

	/* the enquiry: R07 (initial conference in 15 working days) */
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "section-47-enquiry", sid);
	send(&p->sw, "POST", path, "{\"started_on\": \"2026-03-03\"}", 201,
	     NULL);
	long long q = num(&p->sw, "id");
	due_is(child, "R07", "open");
	glance_has(&p->sw, child, "\"rule\":\"R07\"");
	/* no conference before the enquiry concludes one is needed */
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	send(&p->sw, "POST", path, "{\"held_on\": \"2026-03-23\","
	     " \"pre_birth\": \"no\", \"decision\": \"plan\"}", 409, "s47_id");
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "outcome", q);
	send(&p->sw, "POST", path, "{\"concluded_on\": \"2026-03-16\","
	     " \"findings\": \"Synthetic findings.\", \"substantiated\":"
	     " \"yes\", \"conference\": \"yes\"}", 200, NULL);

	/* the initial conference, in time: R07 met */
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	send(&p->sw, "POST", path, "{\"held_on\": \"2026-03-23\","
	     " \"pre_birth\": \"no\", \"decision\": \"plan\"}", 201, NULL);
	long long conf = num(&p->sw, "id");
	due_is(child, "R07", "met");
	chron_has(child, "onference");

	/* the plan: the child-protection case opens with it; R08, R09 */
	snprintf(path, sizeof(path), "/api/v1/cp-conferences/%lld/plan", conf);
	send(&p->sw, "POST", path, "{\"category\": \"NEG\"}", 201, NULL);
	long long plan = num(&p->sw, "id");
	assert_true(e2e_has(&p->sw, "\"category_label\":\"Neglect\""));
	due_is(child, "R08", "open");
	due_is(child, "R09", "open");
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE child_id ="
				 " %lld AND case_type = '%s' AND closed_on IS"
				 " NULL", child, "child_protection"), 1);
	chron_has(child, "hild protection plan");
	glance_has(&p->sw, child, "\"category_label\":\"Neglect\"");
	glance_has(&p->sw, child, "\"case_type\":\"child_protection\"");
	glance_has(&p->sw, child, "\"rule\":\"R08\"");
	/* the top of the child's page says the same in words */
	page_has(&p->sw_page, child, "At a glance", "Child protection</a>, open"
		 " since 23 March 2026", "Neglect</a>, since 23 March 2026",
		 "First core group meeting</a>: due", "Last seen alone",
		 (const char *)NULL);
	return plan;
}

/* No plan from a conference that decided against one (another child of
 * the demo, the chain to a "no plan" conference). */
static void no_plan_without_the_decision(struct people *p)
{
	long long child = e2e_sql_int(&srv, "SELECT min(child_id) FROM child c"
				      " WHERE NOT EXISTS (SELECT 1 FROM"
				      " cp_strategy s WHERE s.child_id ="
				      " c.child_id) AND NOT EXISTS (SELECT 1"
				      " FROM episode e WHERE e.child_id ="
				      " c.child_id AND e.closed_on IS NULL)");
	char path[160], body[400];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/"
		 "strategy-discussions", child);
	snprintf(body, sizeof(body), "{\"held_on\": \"2026-03-04\","
		 " \"decision\": \"s47\", \"lead_id\": %lld}", p->sw_id);
	send(&p->sw, "POST", path, body, 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "section-47-enquiry", num(&p->sw, "id"));
	send(&p->sw, "POST", path, "{\"started_on\": \"2026-03-04\"}", 201,
	     NULL);
	long long q = num(&p->sw, "id");
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "outcome", q);
	send(&p->sw, "POST", path, "{\"concluded_on\": \"2026-03-10\","
	     " \"findings\": \"Synthetic.\", \"substantiated\": \"yes\","
	     " \"conference\": \"yes\"}", 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	send(&p->sw, "POST", path, "{\"held_on\": \"2026-03-20\","
	     " \"pre_birth\": \"no\", \"decision\": \"no_plan\"}", 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/cp-conferences/%lld/plan",
		 num(&p->sw, "id"));
	long long before = written();
	long got = e2e_json(&p->sw, "POST", path, "{\"category\": \"NEG\"}");
	if (got != 409 && got != 422)
		fail_msg("a plan without the decision: %ld %s", got,
			 p->sw.r.body);
	assert_true(e2e_has(&p->sw, "\"conference_id\""));
	assert_int_equal(written(), before);
}

/* The core group, the review and the step down; returns the Family Help
 * case's id. */
static long long to_family_help(struct people *p, long long child,
				long long plan)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/core-groups", plan);
	send(&p->sw, "POST", path, "{\"held_on\": \"2026-04-02\"}", 200, NULL);
	due_is(child, "R08", "met");
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/reviews", plan);
	send(&p->sw, "POST", path, "{\"held_on\": \"2026-06-15\","
	     " \"decision\": \"continue\"}", 201, NULL);
	due_is(child, "R09", "met");
	due_is(child, "R10", "open");

	/* the end's form offers the step down; refused for a child not safe
	 * now, re-shown with the reason, nothing written */
	snprintf(path, sizeof(path), "/children/%lld/child-protection/end/"
		 "%lld/new", child, plan);
	assert_int_equal(e2e_get(&p->sw_page, path), 200);
	assert_true(e2e_has(&p->sw_page, "Step the child down to Family Help?"));
	snprintf(path, sizeof(path), "/children/%lld/child-protection/end/%lld",
		 child, plan);
	char form[400];
	snprintf(form, sizeof(form), "csrf=%s&ended_on-day=30&ended_on-month=6&"
		 "ended_on-year=2026&reason=adult&step_down=yes",
		 p->sw_page.csrf);
	long long before = written();
	assert_int_equal(e2e_post(&p->sw_page, path, form), 422);
	assert_true(e2e_has(&p->sw_page, "Step down to Family Help only when"));
	assert_int_equal(written(), before);

	/* the end: refused for a child not safe now, for a step down that is
	 * not true or false, before the start */
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/end", plan);
	send(&p->sw, "POST", path, "{\"ended_on\": \"2026-06-30\", \"reason\":"
	     " \"moved_away\", \"step_down\": true}", 422, "step_down");
	send(&p->sw, "POST", path, "{\"ended_on\": \"2026-06-30\", \"reason\":"
	     " \"no_longer_at_risk\", \"step_down\": \"yes\"}", 422,
	     "step_down");
	send(&p->sw, "POST", path, "{\"ended_on\": \"2026-03-01\", \"reason\":"
	     " \"no_longer_at_risk\", \"step_down\": true}", 422, "ended_on");
	/* stepped down: one write ends the plan, closes the child-protection
	 * case and opens Family Help */
	send(&p->sw, "POST", path, "{\"ended_on\": \"2026-06-30\", \"reason\":"
	     " \"no_longer_at_risk\", \"step_down\": true}", 200, NULL);
	assert_true(e2e_has(&p->sw, "\"ended_on\":\"2026-06-30\""));
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE child_id ="
				 " %lld AND case_type = 'child_protection' AND"
				 " closed_on = '2026-06-30' AND closure_reason"
				 " = '%s'", child, "RC9"), 1);
	long long fh = sql_int("SELECT episode_id FROM episode WHERE child_id ="
			       " %lld AND case_type = '%s' AND closed_on IS"
			       " NULL AND opened_on = '2026-06-30'", child,
			       "family_help");
	assert_true(fh > 0);
	chron_has(child, "Child protection plan ended");
	chron_has(child, "stepped down to Family Help");
	chron_has(child, "Family Help case opened");
	/* the plan's clocks stopped: nothing of it left open */
	assert_int_equal(sql_int("SELECT count(*) FROM due_item WHERE child_id"
				 " = %lld AND subject = '%s' AND met_at IS NULL",
				 child, "cp_plan"), 0);
	glance_has(&p->sw, child, "\"case_type\":\"family_help\"");
	glance_has(&p->sw, child, "\"cp_plan\":null");
	page_has(&p->sw_page, child, "Family Help</a>, open since 30 June 2026",
		 "Not on a plan", (const char *)NULL);
	/* the plan cannot end twice */
	before = written();
	long got = e2e_json(&p->sw, "POST", path, "{\"ended_on\":"
			    " \"2026-06-30\", \"reason\": \"no_longer_at_risk\","
			    " \"step_down\": true}");
	assert_true(got == 409 || got == 422);
	assert_int_equal(written(), before);
	return fh;
}

static void closing(struct people *p, long long child, long long fh)
{
	char path[160], body[1200];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/closure", fh);
	/* the worker with a date and a reason: every requirement named */
	send(&p->sw, "POST", path, "{\"closed_on\": \"2026-07-01\","
	     " \"reason\": \"RC7\"}", 422, "consultations");
	const char *need[] = {"\"watch_org_id\"", "\"watch_for\"",
			      "\"services\"", "\"approved\""};
	for (int i = 0; i < 4; i++)
		if (!e2e_has(&p->sw, need[i]))
			fail_msg("no %s in %s", need[i], p->sw.r.body);
	/* each agency consulted */
	const long long orgs[] = {p->police_org, p->health_org, p->school_org};
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/consultations", fh);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"org_id\": %lld, \"person\":"
			 " \"Synthetic: safeguarding lead\", \"consulted_on\":"
			 " \"2026-07-01\", \"view\": \"Synthetic: content.\"}",
			 orgs[i]);
		send(&p->sw, "POST", path, body, 200, NULL);
	}
	long long svc = e2e_sql_int(&srv, "SELECT min(service_id) FROM"
				    " service_entry WHERE withdrawn = 0");
	assert_true(svc > 0);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/closure", fh);
	/* everything but the manager's approval: the worker cannot */
	snprintf(body, sizeof(body), "{\"closed_on\": \"2026-07-01\","
		 " \"reason\": \"RC7\", \"watch_org_id\": %lld, \"watch_for\":"
		 " \"Synthetic: attendance and appearance\", \"services\":"
		 " [%lld], \"approved\": true}", p->school_org, svc);
	send(&p->sw, "POST", path, body, 422, "approved");
	/* an unknown reason */
	char bad[1200];
	snprintf(bad, sizeof(bad), "{\"closed_on\": \"2026-07-01\","
		 " \"reason\": \"RC99\", \"watch_org_id\": %lld, \"watch_for\":"
		 " \"Synthetic\", \"services\": [%lld], \"approved\": true}",
		 p->school_org, svc);
	send(&p->tm, "POST", path, bad, 422, "reason");
	/* the manager closes it */
	send(&p->tm, "POST", path, body, 200, NULL);
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE child_id ="
				 " %lld AND closed_on IS NULL%s", child, ""), 0);
	chron_last(child, "Family Help case closed");
	glance_has(&p->sw, child, "\"open_cases\":[]");
	/* the school keeps watch: the family is on its partner's list */
	char want[64];
	snprintf(want, sizeof(want), "\"child_id\":%lld,", child);
	send(&p->school, "GET", "/api/v1/watching", NULL, 200, NULL);
	if (!e2e_has(&p->school, want))
		fail_msg("the school's list: %s", p->school.r.body);
	send(&p->police, "GET", "/api/v1/watching", NULL, 200, NULL);
	assert_false(e2e_has(&p->police, want));
}

/* Who reads what, at the end. */
static void who_sees_what(struct people *p, long long child,
			  long long strategy)
{
	char path[160];
	/* the police: the discussion they took part in, the child's record
	 * and warnings; no cases, no plan, no due items; no other child */
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld",
		 strategy);
	send(&p->police, "GET", path, NULL, 200, NULL);
	assert_true(e2e_has(&p->police, "Synthetic Officer"));
	glance_has(&p->police, child, "\"warnings\":[");
	assert_false(e2e_has(&p->police, "open_cases"));
	assert_false(e2e_has(&p->police, "cp_plan"));
	assert_false(e2e_has(&p->police, "next_due"));
	/* on the page too: the glance has the warnings alone */
	page_has(&p->police_page, child, "At a glance", "Warnings",
		 (const char *)NULL);
	assert_false(e2e_has(&p->police_page, "Open case"));
	assert_false(e2e_has(&p->police_page, "Child protection plan"));
	assert_false(e2e_has(&p->police_page, "Next due"));
	long long other = e2e_sql_int(&srv, "SELECT min(child_id) FROM child c"
				      " WHERE NOT EXISTS (SELECT 1 FROM"
				      " network_member m WHERE m.child_id ="
				      " c.child_id AND m.org_id = (SELECT"
				      " org_id FROM app_user WHERE username ="
				      " 'partner.police'))");
	snprintf(path, sizeof(path), "/api/v1/children/%lld/glance", other);
	send(&p->police, "GET", path, NULL, 404, NULL);
	snprintf(path, sizeof(path), "/api/v1/children/%lld", other);
	send(&p->police, "GET", path, NULL, 404, NULL);
	/* analysts and councillors: no child, no name */
	const char *none[] = {"analyst.demo", "cllr.demo"};
	for (int i = 0; i < 2; i++) {
		struct e2e_client x;
		e2e_client_init(&x, &srv);
		assert_true(e2e_bearer(&x, none[i]));
		const char *paths[] = {"/api/v1/children/%lld",
				       "/api/v1/children/%lld/glance",
				       "/api/v1/children/%lld/child-protection",
				       "/api/v1/children?name=Synthetica"};
		for (int k = 0; k < 4; k++) {
			snprintf(path, sizeof(path), paths[k], child);
			long got = e2e_json(&x, "GET", path, NULL);
			if (got != 403)
				fail_msg("%s GET %s: %ld", none[i], path, got);
			assert_false(e2e_has(&x, "Synthetica"));
		}
		e2e_client_free(&x);
	}
}

static void whole_journey_through_the_api(void **state)
{
	(void)state;
	struct people p;
	struct e2e_client *all[] = {&p.fd, &p.sw, &p.tm, &p.police, &p.school};
	const char *names[] = {"fd.demo", "sw.demo", "tm.demo",
			       "partner.police", "partner.school"};
	for (int i = 0; i < 5; i++) {
		e2e_client_init(all[i], &srv);
		assert_true(e2e_bearer(all[i], names[i]));
	}
	e2e_client_init(&p.sw_page, &srv);
	e2e_client_init(&p.police_page, &srv);
	assert_true(e2e_sign_in(&p.sw_page, "sw.demo", DEMO_PASSWORD));
	assert_true(e2e_sign_in(&p.police_page, "partner.police",
				DEMO_PASSWORD));
	p.sw_id = user_id("sw.demo");
	p.police_org = org_of("partner.police");
	p.health_org = org_of("partner.health");
	p.school_org = org_of("partner.school");

	long long referral = front_door(&p);
	long long child = sql_int("SELECT child_id FROM referral WHERE"
				  " referral_id = %lld%s", referral, "");
	assessment(&p, child, referral);

	moved_to(&p, CLOCK_CONFERENCE);
	long long strategy = 0;
	long long plan = to_the_plan(&p, child, &strategy);
	no_plan_without_the_decision(&p);

	moved_to(&p, CLOCK_STEP_DOWN);
	long long fh = to_family_help(&p, child, plan);
	closing(&p, child, fh);
	who_sees_what(&p, child, strategy);

	/* the kept due items equal a rebuild from the records */
	char out[4096];
	int st = e2e_cairn(&srv, NULL, out, sizeof(out), "due", "--db", srv.db,
			   "--check", NULL);
	if (st != 0)
		fail_msg("cairn due --check: %d %s", st, out);
	for (int i = 0; i < 5; i++)
		e2e_client_free(all[i]);
	e2e_client_free(&p.sw_page);
	e2e_client_free(&p.police_page);
}

/* A Family Help case open beside the plan (D56): the step down keeps it
 * rather than refusing or opening a second; the child-protection case
 * still closes.  (The server's clock is the last stage's, 1 July.) */
static void step_down_keeps_an_open_family_help_case(void **state)
{
	(void)state;
	struct e2e_client sw;
	e2e_client_init(&sw, &srv);
	assert_true(e2e_bearer(&sw, "sw.demo"));
	long long lead = user_id("sw.demo");
	long long child = e2e_sql_int(&srv, "SELECT min(child_id) FROM child c"
				      " WHERE NOT EXISTS (SELECT 1 FROM"
				      " cp_strategy s WHERE s.child_id ="
				      " c.child_id) AND NOT EXISTS (SELECT 1"
				      " FROM episode e WHERE e.child_id ="
				      " c.child_id AND e.closed_on IS NULL)");
	char path[160], body[400];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/cases", child);
	send(&sw, "POST", path, "{\"case_type\": \"family_help\","
	     " \"opened_on\": \"2026-05-01\", \"primary_need\": \"N2\"}", 201,
	     NULL);
	long long fh = num(&sw, "id");
	snprintf(path, sizeof(path), "/api/v1/children/%lld/"
		 "strategy-discussions", child);
	snprintf(body, sizeof(body), "{\"held_on\": \"2026-05-04\","
		 " \"decision\": \"s47\", \"lead_id\": %lld}", lead);
	send(&sw, "POST", path, body, 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/strategy-discussions/%lld/"
		 "section-47-enquiry", num(&sw, "id"));
	send(&sw, "POST", path, "{\"started_on\": \"2026-05-04\"}", 201,
	     NULL);
	long long q = num(&sw, "id");
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "outcome", q);
	send(&sw, "POST", path, "{\"concluded_on\": \"2026-05-08\","
	     " \"findings\": \"Synthetic.\", \"substantiated\": \"yes\","
	     " \"conference\": \"yes\"}", 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/section-47-enquiries/%lld/"
		 "conference", q);
	send(&sw, "POST", path, "{\"held_on\": \"2026-05-20\","
	     " \"pre_birth\": \"no\", \"decision\": \"plan\"}", 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/cp-conferences/%lld/plan",
		 num(&sw, "id"));
	send(&sw, "POST", path, "{\"category\": \"EMO\"}", 201, NULL);
	long long plan = num(&sw, "id");
	snprintf(path, sizeof(path), "/api/v1/cp-plans/%lld/end", plan);
	send(&sw, "POST", path, "{\"ended_on\": \"2026-06-29\", \"reason\":"
	     " \"no_longer_at_risk\", \"step_down\": true}", 200, NULL);
	/* the one Family Help case, the same, still open; the child
	 * protection case closed */
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE child_id ="
				 " %lld AND case_type = '%s' AND closed_on IS"
				 " NULL", child, "family_help"), 1);
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE"
				 " episode_id = %lld AND closed_on IS NULL%s",
				 fh, ""), 1);
	assert_int_equal(sql_int("SELECT count(*) FROM episode WHERE child_id ="
				 " %lld AND case_type = '%s' AND closed_on IS"
				 " NULL", child, "child_protection"), 0);
	e2e_client_free(&sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_journey_through_the_api),
		cmocka_unit_test(step_down_keeps_an_open_family_help_case),
	};
	return cmocka_run_group_tests(tests, up, down);
}
