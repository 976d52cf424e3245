/*
 * e2e_frontdoor_test.c: the front door end to end over loopback: a
 * contact recorded through the form, decided to refer, the referral
 * allocated; bad input refused with a clear message and nothing written;
 * each role's denials; a partner's row-level limit; the same flow
 * through the JSON API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "rules/uktime.h"

static struct e2e_server srv;
static long long child_id;

static int up(void **state)
{
	(void)state;
	if (e2e_server_start(&srv, 200) != 0)
		return -1;
	child_id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child WHERE dob IS NOT NULL");
	return child_id > 0 ? 0 : -1;
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long count_contacts(void)
{
	return e2e_sql_int(&srv, "SELECT count(*) FROM contact");
}

/* The id at the end of the Location header's path. */
static long long location_id(struct e2e_client *c, const char *prefix)
{
	char h[256];
	if (e2e_header(c, "Location", h, sizeof(h)) == NULL)
		return -1;
	const char *p = strstr(h, prefix);
	if (p == NULL)
		return -1;
	return strtoll(p + strlen(prefix), NULL, 10);
}

/* The date in England an hour ago (a contact received then). */
static void today(int *d, int *m, int *y)
{
	struct cal_date t = uk_date(uk_clock_now() - 3600);
	*d = t.d;
	*m = t.m;
	*y = t.y;
}

static void contact_to_allocation(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	char path[128], form[2048];
	snprintf(path, sizeof(path), "/children/%lld/contacts/new", child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "name=\"worry\""));
	long long before = count_contacts();
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);

	/* an impossible date: 30 February */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher&referrer_org=School"
		 "&received-day=30&received-month=2&received-year=2023"
		 "&received-time=09%%3A30&worry=Synthetic+worry", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "govuk-error-summary"));
	assert_true(e2e_has(&c, "href=\"#received-day\""));
	/* what was typed comes back */
	assert_true(e2e_has(&c, "value=\"A Teacher\""));
	assert_true(e2e_has(&c, "Synthetic worry"));
	/* an unknown source code */
	int d, m, y;
	today(&d, &m, &y);
	snprintf(form, sizeof(form),
		 "csrf=%s&source=ZZZ&referrer_name=A+Teacher"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry", c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#source\""));
	/* no worry */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=", c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#worry\""));
	/* a date in the future */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher"
		 "&received-day=1&received-month=1&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry", c.csrf, y + 1);
	assert_int_equal(e2e_post(&c, path, form), 422);
	/* no CSRF token */
	snprintf(form, sizeof(form),
		 "source=1A&referrer_name=A+Teacher&received-day=%d"
		 "&received-month=%d&received-year=%d&received-time=00%%3A05"
		 "&worry=Synthetic+worry", d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 403);
	assert_int_equal(count_contacts(), before);

	/* a good one */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher&referrer_org=School"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry%%3A+left+alone"
		 "&family_consent=agreed",
		 c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long contact = location_id(&c, "/contacts/");
	assert_true(contact > 0);
	assert_int_equal(count_contacts(), before + 1);
	snprintf(path, sizeof(path), "/contacts/%lld", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "name=\"decision\""));

	/* decide: refer */
	snprintf(path, sizeof(path), "/contacts/%lld/decision", contact);
	snprintf(form, sizeof(form), "csrf=%s&decision=bogus&reason=x", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	snprintf(form, sizeof(form), "csrf=%s&decision=referral&reason=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	snprintf(form, sizeof(form),
		 "csrf=%s&decision=referral&reason=Threshold+met+(synthetic)", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long referral = location_id(&c, "/referrals/");
	assert_true(referral > 0);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM referral WHERE "
		 "referral_id = %lld AND contact_id = %lld", referral, contact);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* deciding again is refused and changes nothing */
	snprintf(form, sizeof(form), "csrf=%s&decision=nfa&reason=Again", c.csrf);
	long st = e2e_post(&c, path, form);
	assert_true(st == 409 || st == 422);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE "
		 "contact_id = %lld AND decision = 'referral'", contact);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);

	/* allocate to sw.demo in Assessment Team 1 */
	long long worker = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE "
				       "username = 'sw.demo'");
	snprintf(path, sizeof(path), "/referrals/%lld", referral);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(path, sizeof(path), "/referrals/%lld/allocation", referral);
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=999999", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld", c.csrf,
		 worker);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT worker_id FROM referral WHERE "
		 "referral_id = %lld", referral);
	assert_int_equal(e2e_sql_int(&srv, sql), worker);
	/* issue 9: the heading names the child and the referral; the
	 * success banner and the breadcrumbs sit above it */
	snprintf(path, sizeof(path), "/referrals/%lld?saved=1", referral);
	assert_int_equal(e2e_get(&c, path), 200);
	const char *h1 = strstr(c.r.body, "<h1");
	const char *banner = strstr(c.r.body, "govuk-notification-banner");
	const char *crumbs = strstr(c.r.body, "govuk-breadcrumbs");
	assert_non_null(h1);
	assert_non_null(strstr(h1, ">Referral of "));
	assert_true(banner && banner < h1);
	assert_true(crumbs && crumbs < banner);
	/* a worker of another team is refused, with the team named */
	long long other = e2e_sql_int(&srv, "SELECT user_id FROM app_user "
				      "WHERE username = 'sw2.demo'");
	snprintf(path, sizeof(path), "/referrals/%lld/allocation", referral);
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld", c.csrf,
		 other);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "is in Assessment Team 2, not Assessment "
			    "Team 1"));
	assert_int_equal(e2e_sql_int(&srv, sql), worker);
	/* issue 9: a new contact about the child shows the open referral
	 * first, with its worker, and says to add to it */
	snprintf(path, sizeof(path), "/children/%lld/contacts/new", child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Open work for this child"));
	assert_true(e2e_has(&c, "This child has an open referral"));
	snprintf(path, sizeof(path), "href=\"/referrals/%lld\"", referral);
	assert_true(e2e_has(&c, path));
	assert_true(e2e_has(&c, "allocated to Sam Worker"));
	/* issue 9: the queue shows the start of the worry, how long a
	 * referral has waited, and a way to record a new contact; after a
	 * decision the contact offers the next most urgent */
	assert_int_equal(e2e_get(&c, "/front-door"), 200);
	assert_true(e2e_has(&c, "What the referrer is worried about"));
	assert_true(e2e_has(&c, ">Waiting<"));
	assert_true(e2e_has(&c, "Record a new contact: find the child first"));
	assert_int_equal(e2e_get(&c, "/front-door?overdue=1&source=2A&mine=1"),
			 200);
	/* the filters come back ticked; the source selected */
	assert_true(e2e_has(&c, "checked"));
	assert_true(e2e_has(&c, "value=\"2A\" selected"));
	snprintf(path, sizeof(path), "/contacts/%lld?saved=1", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Next contact: "));
	/* issue 9: a second referral while one is open needs a reason */
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	snprintf(form, sizeof(form), "csrf=%s&source=2A&referrer_name=A+Head"
		 "&received-day=1&received-month=3&received-year=2024"
		 "&received-time=10:00&worry=Synthetic+second+worry"
		 "&family_consent=agreed", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long second = e2e_sql_int(&srv, "SELECT max(contact_id) FROM contact");
	snprintf(path, sizeof(path), "/contacts/%lld", second);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "name=\"parallel\""));
	snprintf(path, sizeof(path), "/contacts/%lld/decision", second);
	snprintf(form, sizeof(form), "csrf=%s&decision=referral&reason=Synthetic",
		 c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#parallel\""));
	snprintf(form, sizeof(form), "csrf=%s&decision=referral&reason=Synthetic"
		 "&parallel=Synthetic+separate+concern", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	/* every step audited against the child */
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT action) FROM audit WHERE "
		 "child_id = %lld", child_id);
	assert_true(e2e_sql_int(&srv, sql) >= 3);

	/* the social worker sees it in My work */
	struct e2e_client s;
	e2e_client_init(&s, &srv);
	assert_true(e2e_sign_in(&s, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "href=\"/children/%lld\"", child_id);
	assert_true(e2e_has(&s, path));
	/* ...and that sight of the child is in the audit before the page
	 * was sent: My work's lists go through the group commit (D57) */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit a JOIN"
		 " audit_seen s ON s.council = a.council AND s.seq = a.seq"
		 " WHERE a.action = 'list' AND a.entity = 'child'"
		 " AND a.username = 'sw.demo' AND s.child_id = %lld", child_id);
	assert_true(e2e_sql_int(&srv, sql) >= 1);
	/* but may not decide contacts or allocate */
	snprintf(path, sizeof(path), "/contacts/%lld/decision", contact);
	snprintf(form, sizeof(form), "csrf=%s&decision=nfa&reason=x", s.csrf);
	assert_int_equal(e2e_post(&s, path, form), 403);
	snprintf(path, sizeof(path), "/referrals/%lld/allocation", referral);
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld", s.csrf,
		 worker);
	assert_int_equal(e2e_post(&s, path, form), 403);
	e2e_client_free(&s);
	e2e_client_free(&c);
}

struct denial {
	const char *user;
	const char *path;
	long want;
};

static void role_denials(void **state)
{
	(void)state;
	char kid[64];
	snprintf(kid, sizeof(kid), "/children/%lld", child_id);
	const struct denial d[] = {
		{"cllr.demo", kid, 403},
		{"cllr.demo", "/children", 403},
		{"cllr.demo", "/front-door", 403},
		{"cllr.demo", "/dashboard", 200},
		{"analyst.demo", kid, 403},
		{"analyst.demo", "/dashboard", 200},
		{"admin.demo", kid, 403},
		{"admin.demo", "/admin/users", 200},
		{"admin.demo", "/admin/audit", 200},
		{"sw.demo", "/admin/users", 403},
		{"sw.demo", "/front-door", 403},
		{"sw.demo", "/dashboard", 403},
		{"iro.demo", "/front-door", 403},
		{"iro.demo", kid, 200},
		{"partner.school", "/front-door", 403},
		{"partner.school", "/contacts/1", 403},
		{"partner.school", "/referrals/1", 403},
		{"partner.police", "/dashboard", 403},
		{"fd.demo", "/front-door", 200},
		{"tm.demo", "/front-door", 200},
		/* the timescales list names children; the timeliness
		 * counts name nobody */
		{"sw.demo", "/timescales", 200},
		{"fd.demo", "/timescales", 200},
		{"iro.demo", "/timescales", 200},
		{"tm.demo", "/timescales/timeliness", 200},
		{"analyst.demo", "/timescales/timeliness", 200},
		{"analyst.demo", "/timescales", 403},
		{"cllr.demo", "/timescales", 403},
		{"partner.health", "/timescales", 403},
		{"partner.health", "/timescales/timeliness", 403},
		{"sw.demo", "/timescales/timeliness", 403},
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		struct e2e_client c;
		e2e_client_init(&c, &srv);
		assert_true(e2e_sign_in(&c, d[i].user, DEMO_PASSWORD));
		long st = e2e_get(&c, d[i].path);
		if (st != d[i].want)
			fail_msg("%s GET %s: %ld, want %ld", d[i].user, d[i].path,
				 st, d[i].want);
		e2e_client_free(&c);
	}
}

static void partner_sees_only_involved(void **state)
{
	(void)state;
	/* a child with the school as a current professional, and one without */
	long long involved = e2e_sql_int(&srv,
		"SELECT min(child_id) FROM network_member WHERE kind = 'professional'"
		" AND org_id = 1 AND end_date IS NULL");
	long long other = e2e_sql_int(&srv,
		"SELECT min(child_id) FROM child WHERE child_id NOT IN (SELECT "
		"child_id FROM network_member WHERE kind = 'professional' AND "
		"org_id = 1)");
	assert_true(involved > 0 && other > 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "partner.school", DEMO_PASSWORD));
	char p[64];
	snprintf(p, sizeof(p), "/children/%lld", involved);
	assert_int_equal(e2e_get(&c, p), 200);
	/* no contacts section for partners */
	assert_false(e2e_has(&c, "Record a contact"));
	snprintf(p, sizeof(p), "/children/%lld", other);
	assert_int_equal(e2e_get(&c, p), 404);
	e2e_client_free(&c);
}

static void api_flow(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "fd.demo"));
	char path[128], body[1024];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/contacts", child_id);
	long long before = count_contacts();
	/* malformed, unknown field, impossible date, unknown code */
	assert_int_equal(e2e_json(&c, "POST", path, "{\"source\": \"1A\""), 400);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"source\":\"1A\",\"colour\":\"red\"}"), 422);
	assert_true(e2e_has(&c, "colour"));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"source\":\"1A\",\"referrer_name\":\"X\","
				  "\"received_at\":\"2023-02-30T09:00\","
				  "\"worry\":\"Synthetic\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"received_at\""));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"source\":\"QQ\",\"referrer_name\":\"X\","
				  "\"received_at\":\"2024-03-01T09:00\","
				  "\"worry\":\"Synthetic\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"source\""));
	assert_int_equal(count_contacts(), before);
	/* a good one */
	snprintf(body, sizeof(body),
		 "{\"source\":\"1A\",\"referrer_name\":\"A Nurse\","
		 "\"received_at\":\"2024-03-01T09:00\",\"worry\":\"Synthetic\","
		 "\"family_consent\":\"not_known\"}");
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	assert_true(e2e_has(&c, "\"due_at\":\"2024-03-04T09:00\""));
	assert_int_equal(count_contacts(), before + 1);
	/* the queue lists undecided contacts, paginated */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/contacts?limit=5", NULL), 200);
	assert_true(e2e_has(&c, "\"items\""));
	assert_true(e2e_has(&c, "\"next\""));
	e2e_client_free(&c);
}

/* The value="..." of the input named name in the last page, or "". */
static const char *input_value(struct e2e_client *c, const char *name,
			       char *out, size_t n)
{
	char key[64];
	snprintf(key, sizeof(key), "name=\"%s\"", name);
	const char *p = c->r.body ? strstr(c->r.body, key) : NULL;
	const char *end = p ? strchr(p, '>') : NULL;
	const char *v = p ? strstr(p, "value=\"") : NULL;
	out[0] = '\0';
	if (v && v < end) {
		v += 7;
		size_t k = strcspn(v, "\"");
		snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), v);
	}
	return out;
}

/* The server's clock fixed (config `clock`): "today" is the civil date in
 * England, the same in the form's default and in the "not in the future"
 * check, across midnight in BST (23:30 UTC on 1 July is 00:30 on 2 July)
 * and in GMT (23:30 UTC on 15 January is still the 15th). */
static void fixed_clock_crosses_midnight(void **state)
{
	(void)state;
	char path[128], form[1024], v[32];
	snprintf(path, sizeof(path), "/children/%lld/contacts/new", child_id);
	assert_int_equal(e2e_server_serve(&srv, "clock = 2026-07-01T23:30:00Z\n"),
			 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, path), 200);
	assert_string_equal(input_value(&c, "received-day", v, sizeof(v)), "2");
	assert_string_equal(input_value(&c, "received-month", v, sizeof(v)),
			    "7");
	assert_string_equal(input_value(&c, "received-time", v, sizeof(v)),
			    "00:30");
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	long long before = count_contacts();
	/* 00:40 on 2 July is ten minutes ahead: refused */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher&received-day=2"
		 "&received-month=7&received-year=2026&received-time=00%%3A40"
		 "&worry=Synthetic+worry", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	/* 00:20 on 2 July has happened: kept, due within one working day
	 * of 2 July (R01) */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=1A&referrer_name=A+Teacher&received-day=2"
		 "&received-month=7&received-year=2026&received-time=00%%3A20"
		 "&worry=Synthetic+worry&family_consent=agreed", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_int_equal(count_contacts(), before + 1);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM contact WHERE"
				     " received_at = '2026-07-02T00:20'"), 1);
	e2e_client_free(&c);

	snprintf(path, sizeof(path), "/children/%lld/contacts/new", child_id);
	assert_int_equal(e2e_server_serve(&srv, "clock = 2026-01-15T23:30:00Z\n"),
			 0);
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, path), 200);
	assert_string_equal(input_value(&c, "received-day", v, sizeof(v)),
			    "15");
	assert_string_equal(input_value(&c, "received-time", v, sizeof(v)),
			    "23:30");
	e2e_client_free(&c);
	/* back to the system clock for the tests after this one */
	assert_int_equal(e2e_server_serve(&srv, NULL), 0);
}

/* After the flows above wrote contacts, decisions, referrals and
 * allocations through the pages and the API, the timescale engine's
 * items kept in those writes are exactly what a rebuild makes from the
 * records; the CLI lists them; `cairn init` on a database from before
 * the engine makes them. */
static void due_items_agree(void **state)
{
	(void)state;
	static char out[1 << 20];
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM due_item"
				" WHERE rule = 'R01' AND met_at IS NOT NULL") > 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--check", NULL), 0);
	assert_non_null(strstr(out, " 0 differences"));
	/* "My work" counts the worker's own timescales and links to them */
	struct e2e_client sw;
	e2e_client_init(&sw, &srv);
	assert_true(e2e_sign_in(&sw, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&sw, "/"), 200);
	assert_true(e2e_has(&sw, "My timescales"));
	assert_true(e2e_has(&sw, " overdue, "));
	assert_true(e2e_has(&sw, "href=\"/timescales\""));
	e2e_client_free(&sw);
	/* the pages: a manager's list of the council's met-late decisions,
	 * audited as one row naming the children shown */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "tm.demo", DEMO_PASSWORD));
	long long lists = e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				      " action = 'list' AND entity = 'due'");
	assert_int_equal(e2e_get(&c, "/timescales?scope=all&status=met-on-time"
				 "&rule=R01"), 200);
	assert_true(e2e_has(&c, "Met on time"));
	assert_false(e2e_has(&c, ">Overdue</strong>"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				     " action = 'list' AND entity = 'due'"),
			 lists + 1);
	/* an unknown filter value is ignored, never an error */
	assert_int_equal(e2e_get(&c, "/timescales?scope=nobody&status=x&rule=R9"
				 "&page=0"), 200);
	assert_int_equal(e2e_get(&c, "/timescales/timeliness?from=2020-01-01"),
			 200);
	assert_true(e2e_has(&c, "Decision on a contact"));
	assert_true(e2e_has(&c, "status=met-on-time"));
	e2e_client_free(&c);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--format", "csv", "--rule",
				   "R01", "--status", "met-on-time,met-late",
				   NULL), 0);
	assert_true(strncmp(out, "child_id,rule,what,subject,", 27) == 0);
	assert_non_null(strstr(out, ",R01,Decision on a contact,contact,"));
	assert_null(strstr(out, ",R02,"));
	assert_null(strstr(out, ",overdue\n"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--status", "late", NULL), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--format", "json", "--as-of",
				   "2031-01-01", "--open", NULL), 0);
	assert_non_null(strstr(out, "\"status\": \"overdue\""));
	assert_null(strstr(out, "\"status\": \"due\""));
	/* the list was audited, naming the children it showed */
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				" action = 'list' AND entity = 'due'"
				" AND children IS NOT NULL") >= 2);
	/* a tampered item is found */
	assert_int_equal(e2e_sql_exec(&srv, "UPDATE due_item SET due_at ="
				      " '2000-01-01T00:00' WHERE (council, rule,"
				      " subject, subject_id, seq) = (SELECT"
				      " council, rule, subject, subject_id, seq"
				      " FROM due_item ORDER BY council, rule,"
				      " subject, subject_id, seq LIMIT 1)"), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--check", NULL), 1);
	assert_non_null(strstr(out, " 1 differences"));
	/* --rebuild puts them right, and makes them all from nothing */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--rebuild", NULL), 0);
	long long before = e2e_sql_int(&srv, "SELECT count(*) FROM due_item");
	assert_int_equal(e2e_sql_exec(&srv, "DELETE FROM due_item"), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--rebuild", NULL), 0);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM due_item"),
			 before);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "due",
				   "--db", srv.db, "--check", NULL), 0);
}

/* The chronology: the flows above noted the contact, its decision, the
 * referral and the allocation for the child; a worker adds an entry by
 * hand and an analysis; the page prints, the CSV downloads (audited,
 * formulas guarded); partners and analysts may not see it. */
static void chronology(void **state)
{
	(void)state;
	char path[160], form[1024], q[300];
	snprintf(q, sizeof(q), "SELECT count(DISTINCT kind) FROM chronology"
		 " WHERE child_id = %lld AND kind IN ('contact', 'decision',"
		 " 'referral', 'allocation')", child_id);
	assert_int_equal(e2e_sql_int(&srv, q), 4);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, ">Chronology</h2>"));
	snprintf(path, sizeof(path), "/children/%lld/chronology", child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Decision on the contact: "));
	assert_true(e2e_has(&c, "Referral made") ||
		    e2e_has(&c, "Re-referral made"));
	/* by hand: the errors first, nothing saved */
	long long before = e2e_sql_int(&srv, "SELECT count(*) FROM chronology");
	snprintf(form, sizeof(form), "csrf=%s&occurred-day=31&occurred-month=2"
		 "&occurred-year=2026&summary=&source=&significance=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "govuk-error-summary"));
	assert_true(e2e_has(&c, "href=\"#occurred-day\""));
	assert_true(e2e_has(&c, "href=\"#summary\""));
	assert_true(e2e_has(&c, "href=\"#significance\""));
	snprintf(form, sizeof(form), "csrf=%s&occurred-day=1&occurred-month=1"
		 "&occurred-year=2099&summary=Synthetic+event&source="
		 "&significance=low", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "today or in the past"));
	assert_true(e2e_has(&c, "value=\"Synthetic event\""));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM chronology"),
			 before);
	snprintf(form, sizeof(form), "csrf=%s&occurred-day=1&occurred-month=3"
		 "&occurred-year=2026&summary=%%3DSynthetic+hospital+visit"
		 "&source=School+nurse&significance=high", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(q, sizeof(q), "SELECT max(entry_id) FROM chronology WHERE"
		 " child_id = %lld AND kind = 'event'", child_id);
	long long entry = e2e_sql_int(&srv, q);
	assert_true(entry > 0);
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				" action = 'create' AND entity = 'chronology'")
		    >= 1);
	/* the analysis */
	snprintf(path, sizeof(path), "/children/%lld/chronology/%lld/analysis",
		 child_id, entry);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(form, sizeof(form), "csrf=%s&analysis=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	snprintf(form, sizeof(form), "csrf=%s&analysis=Synthetic+analysis%%3A"
		 "+a+pattern+of+visits.", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	/* another child's entry is not found */
	snprintf(path, sizeof(path), "/children/%lld/chronology/%lld/analysis",
		 child_id + 1, entry);
	assert_int_equal(e2e_get(&c, path), 404);
	/* the CSV: the analysis, the formula guarded, the read audited */
	long long reads = e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				      " action = 'read' AND entity ="
				      " 'chronology'");
	snprintf(path, sizeof(path), "/children/%lld/chronology.csv?kind=event",
		 child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "When,Kind,What happened,Source,"));
	assert_true(e2e_has(&c, "'=Synthetic hospital visit"));
	assert_true(e2e_has(&c, "Synthetic analysis: a pattern of visits."));
	assert_false(e2e_has(&c, "Decision on the contact"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				     " action = 'read' AND entity ="
				     " 'chronology'"), reads + 1);
	e2e_client_free(&c);
	/* who may not */
	const char *who[] = {"partner.school", "analyst.demo", "cllr.demo"};
	snprintf(path, sizeof(path), "/children/%lld/chronology", child_id);
	for (size_t i = 0; i < 3; i++) {
		struct e2e_client o;
		e2e_client_init(&o, &srv);
		assert_true(e2e_sign_in(&o, who[i], DEMO_PASSWORD));
		assert_int_equal(e2e_get(&o, path), 403);
		e2e_client_free(&o);
	}
	/* the IRO reads it but may not add */
	struct e2e_client iro;
	e2e_client_init(&iro, &srv);
	assert_true(e2e_sign_in(&iro, "iro.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&iro, path), 200);
	assert_false(e2e_has(&iro, "Add an entry"));
	e2e_client_free(&iro);
}

/* Issue 9: the referrer's phone and email and the family's agreement on
 * the form: refused together with GOV.UK messages and every typed value
 * kept; accepted, shown on the contact. */
static void referrer_form_round_trip(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	char path[128], form[2048];
	snprintf(path, sizeof(path), "/children/%lld/contacts/new", child_id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "name=\"referrer_phone\" type=\"tel\""));
	assert_true(e2e_has(&c, "name=\"referrer_email\" type=\"email\""));
	assert_true(e2e_has(&c, "name=\"family_consent\" value=\"not_aware\""));
	assert_true(e2e_has(&c, "name=\"consent_reason\""));
	/* asked only when needed, so not called optional */
	assert_false(e2e_has(&c, "why did the contact go ahead? (optional)"));
	long long before = count_contacts();
	int d, m, y;
	today(&d, &m, &y);
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	snprintf(form, sizeof(form),
		 "csrf=%s&source=2A&referrer_name=A+Head&referrer_org=School"
		 "&referrer_phone=01632+96&referrer_email=head%%40school"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry+kept"
		 "&family_consent=not_aware&consent_reason=", c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#referrer_phone\""));
	assert_true(e2e_has(&c, "href=\"#referrer_email\""));
	assert_true(e2e_has(&c, "href=\"#consent_reason\""));
	assert_true(e2e_has(&c, "Enter an email address in the correct format, "
			    "like name@example.com"));
	assert_true(e2e_has(&c, "Enter a telephone number, like 01632 960 001"));
	assert_true(e2e_has(&c, "Enter why the contact went ahead without the "
			    "family knowing"));
	/* what was typed comes back, the answer ticked */
	assert_true(e2e_has(&c, "value=\"01632 96\""));
	assert_true(e2e_has(&c, "value=\"head@school\""));
	assert_true(e2e_has(&c, "value=\"A Head\""));
	assert_true(e2e_has(&c, "Synthetic worry kept"));
	assert_true(e2e_has(&c, "value=\"not_aware\" checked"));
	/* no answer at all */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=2A&referrer_name=A+Head"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry", c.csrf, d, m,
		 y);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#family_consent\""));
	assert_int_equal(count_contacts(), before);
	/* right: kept and shown */
	snprintf(form, sizeof(form),
		 "csrf=%s&source=2A&referrer_name=A+Head&referrer_org=School"
		 "&referrer_phone=01632+960+001&referrer_email=head%%40example.org"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry"
		 "&family_consent=not_agreed&consent_reason=Synthetic%%3A+the+"
		 "child+would+be+at+risk", c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long contact = location_id(&c, "/contacts/");
	assert_true(contact > 0);
	snprintf(path, sizeof(path), "/contacts/%lld", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, ">The referrer</h2>"));
	assert_true(e2e_has(&c, "01632 960 001"));
	assert_true(e2e_has(&c, "head@example.org"));
	assert_true(e2e_has(&c, "They know about it but did not agree"));
	assert_true(e2e_has(&c, "Synthetic: the child would be at risk"));
	assert_false(e2e_has(&c, "not_agreed<"));
	e2e_client_free(&c);
}

/* Issue 9: the acknowledgement (R01) and the outcome shared, each a
 * tick on the contact page with when and by whom, once; the queue tags
 * contacts not yet acknowledged. */
static void ticks_on_the_contact(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	char path[128], form[1024], sql[256];
	int d, m, y;
	today(&d, &m, &y);
	/* a school's contact, and a family member's */
	long long k[2];
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
		snprintf(form, sizeof(form),
			 "csrf=%s&source=%s&referrer_name=A+Referrer"
			 "&received-day=%d&received-month=%d&received-year=%d"
			 "&received-time=00%%3A05&worry=Synthetic+worry"
			 "&family_consent=agreed", c.csrf, i ? "1A" : "2A", d, m,
			 y);
		assert_int_equal(e2e_post(&c, path, form), 303);
		k[i] = location_id(&c, "/contacts/");
		assert_true(k[i] > 0);
	}
	snprintf(path, sizeof(path), "/contacts/%lld", k[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Acknowledgement not yet sent"));
	assert_true(e2e_has(&c, ", with the decision."));
	snprintf(form, sizeof(form), "action=\"/contacts/%lld/acknowledgement\"",
		 k[0]);
	assert_true(e2e_has(&c, form));
	/* undecided: nothing to share yet */
	assert_false(e2e_has(&c, "Record outcome shared with the referrer"));
	assert_true(e2e_has(&c, "once the contact is decided"));
	/* the queue tags it */
	assert_int_equal(e2e_get(&c, "/front-door"), 200);
	assert_true(e2e_has(&c, "Not acknowledged"));
	/* no CSRF token: refused */
	snprintf(path, sizeof(path), "/contacts/%lld/acknowledgement", k[0]);
	assert_int_equal(e2e_post(&c, path, "x=1"), 403);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND acknowledged_at IS NULL", k[0]);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	char loc[256];
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "?saved=2"));
	snprintf(path, sizeof(path), "/contacts/%lld?saved=2", k[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Acknowledgement recorded as sent"));
	assert_true(e2e_has(&c, "Acknowledgement sent "));
	assert_true(e2e_has(&c, " by Fola Door."));
	assert_false(e2e_has(&c, "Acknowledgement not yet sent"));
	snprintf(form, sizeof(form), "action=\"/contacts/%lld/acknowledgement\"",
		 k[0]);
	assert_false(e2e_has(&c, form));
	/* a second: refused, the page says why, nothing changes */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE"
		 " action = 'acknowledge' AND entity_id = %lld", k[0]);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(path, sizeof(path), "/contacts/%lld/acknowledgement", k[0]);
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 409);
	assert_true(e2e_has(&c, "href=\"#acknowledgement\""));
	assert_true(e2e_has(&c, "id=\"acknowledgement\""));
	assert_true(e2e_has(&c, "The acknowledgement was already recorded as "
			    "sent on "));
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* the outcome: refused before the decision */
	snprintf(path, sizeof(path), "/contacts/%lld/outcome-shared", k[0]);
	assert_int_equal(e2e_post(&c, path, form), 409);
	assert_true(e2e_has(&c, "Record the decision on the contact before"));
	snprintf(path, sizeof(path), "/contacts/%lld/decision", k[0]);
	snprintf(form, sizeof(form), "csrf=%s&decision=advice&reason=Synthetic",
		 c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(path, sizeof(path), "/contacts/%lld", k[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Outcome not yet shared"));
	assert_true(e2e_has(&c, "Record outcome shared with the referrer"));
	snprintf(path, sizeof(path), "/contacts/%lld/outcome-shared", k[0]);
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(path, sizeof(path), "/contacts/%lld", k[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Outcome shared with the referrer "));
	assert_false(e2e_has(&c, "Record outcome shared with the referrer"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND outcome_shared_at IS NOT NULL AND"
		 " outcome_shared_by = (SELECT user_id FROM app_user WHERE"
		 " username = 'fd.demo')", k[0]);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* a family member is not told through this tick */
	snprintf(path, sizeof(path), "/contacts/%lld/decision", k[1]);
	snprintf(form, sizeof(form), "csrf=%s&decision=nfa&reason=Synthetic",
		 c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(path, sizeof(path), "/contacts/%lld", k[1]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "shared only with a professional referrer"));
	assert_false(e2e_has(&c, "Record outcome shared with the referrer"));
	snprintf(path, sizeof(path), "/contacts/%lld/outcome-shared", k[1]);
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 409);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND outcome_shared_at IS NULL", k[1]);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* both ticks are in the child's chronology */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chronology WHERE"
		 " link_kind = 'contact' AND link_id = %lld AND kind IN"
		 " ('acknowledgement', 'outcome_shared')", k[0]);
	assert_int_equal(e2e_sql_int(&srv, sql), 2);
	e2e_client_free(&c);
	/* a partner may not tick */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/contacts/%lld/acknowledgement", k[1]);
	snprintf(form, sizeof(form), "csrf=%s", p.csrf);
	assert_int_equal(e2e_post(&p, path, form), 403);
	e2e_client_free(&p);
}

/* Issue 9 through the API: the new fields written and read; the ticks'
 * endpoints, each once, with problems naming the field. */
static void api_referrer_and_ticks(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "fd.demo"));
	char path[128], body[1024];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/contacts", child_id);
	long long before = count_contacts();
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"source\":\"6\",\"referrer_name\":\"PC X\","
				  "\"received_at\":\"2024-03-01T09:00\","
				  "\"worry\":\"Synthetic\",\"referrer_email\":"
				  "\"pc.x@\",\"family_consent\":\"not_aware\"}"),
			 422);
	assert_true(e2e_has(&c, "\"field\":\"referrer_email\""));
	assert_true(e2e_has(&c, "\"field\":\"consent_reason\""));
	assert_int_equal(count_contacts(), before);
	snprintf(body, sizeof(body),
		 "{\"source\":\"6\",\"referrer_name\":\"PC X\","
		 "\"received_at\":\"2024-03-01T09:00\",\"worry\":\"Synthetic\","
		 "\"referrer_phone\":\"07700 900 982\",\"referrer_email\":"
		 "\"pc.x@example.org\",\"family_consent\":\"not_aware\","
		 "\"consent_reason\":\"Synthetic: police enquiries\"}");
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	long long id = location_id(&c, "/api/v1/contacts/");
	assert_true(id > 0);
	assert_true(e2e_has(&c, "\"referrer_phone\":\"07700 900 982\""));
	assert_true(e2e_has(&c, "\"referrer_email\":\"pc.x@example.org\""));
	assert_true(e2e_has(&c, "\"family_consent\":\"not_aware\""));
	assert_true(e2e_has(&c, "\"family_consent_label\":\"No, they do not "
			    "know about it\""));
	assert_true(e2e_has(&c, "\"consent_reason\":\"Synthetic: police "
			    "enquiries\""));
	assert_true(e2e_has(&c, "\"acknowledged_at\":null"));
	assert_true(e2e_has(&c, "\"referrer_professional\":true"));
	/* received long ago, not acknowledged: overdue */
	assert_true(e2e_has(&c, "\"acknowledgement_overdue\":true"));
	/* the ticks: a body that is not {} is refused */
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/acknowledgement", id);
	assert_int_equal(e2e_json(&c, "POST", path, "{\"at\":\"2024-03-01\"}"),
			 422);
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 200);
	assert_true(e2e_has(&c, "\"acknowledgement_overdue\":false"));
	assert_false(e2e_has(&c, "\"acknowledged_at\":null"));
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 409);
	assert_true(e2e_has(&c, "\"field\":\"acknowledgement\""));
	assert_true(e2e_has(&c, "already recorded as sent"));
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/outcome-shared", id);
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 409);
	assert_true(e2e_has(&c, "\"field\":\"outcome_shared\""));
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND outcome_shared_at IS NULL", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/decision", id);
	assert_int_equal(e2e_json(&c, "POST", path, "{\"decision\":\"nfa\","
				  "\"reason\":\"Synthetic\"}"), 200);
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/outcome-shared", id);
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 200);
	assert_false(e2e_has(&c, "\"outcome_shared_at\":null"));
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", id);
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_false(e2e_has(&c, "\"outcome_shared_at\":null"));
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/contacts/999999/"
				  "acknowledgement", "{}"), 404);
	/* the OpenAPI document lists the ticks, answering 200 or 409 */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/openapi.json", NULL), 200);
	assert_true(e2e_has(&c, "\"/api/v1/contacts/{id}/acknowledgement\""));
	assert_true(e2e_has(&c, "\"/api/v1/contacts/{id}/outcome-shared\""));
	assert_true(e2e_has(&c, "\"409\""));
	assert_true(e2e_has(&c, "\"format\":\"email\""));
	e2e_client_free(&c);
}

/* Issue 9: a referral allocated as it is decided, to the worker's own
 * team; a worker given with a decision that opens no referral, or one
 * not found, is refused and nothing is decided. */
static void decide_and_allocate_at_once(void **state)
{
	(void)state;
	long long kid = e2e_sql_int(&srv, "SELECT min(child_id) FROM child"
				    " WHERE child_id NOT IN (SELECT child_id"
				    " FROM referral) AND child_id NOT IN"
				    " (SELECT child_id FROM contact WHERE"
				    " decision IS NULL)");
	long long sw = e2e_sql_int(&srv, "SELECT user_id FROM app_user WHERE"
				   " username = 'sw.demo'");
	long long team = e2e_sql_int(&srv, "SELECT team_id FROM app_user WHERE"
				     " username = 'sw.demo'");
	assert_true(kid > 0 && sw > 0 && team > 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	char path[128], form[1024], sql[256];
	int d, m, y;
	today(&d, &m, &y);
	snprintf(path, sizeof(path), "/children/%lld/contacts", kid);
	snprintf(form, sizeof(form),
		 "csrf=%s&source=2A&referrer_name=A+Teacher&referrer_org=School"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry"
		 "&family_consent=agreed", c.csrf, d, m, y);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long contact = location_id(&c, "/contacts/");
	snprintf(path, sizeof(path), "/contacts/%lld", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "allocate the referral now (optional)"));
	assert_true(e2e_has(&c, "<select class=\"govuk-select\" id=\"worker_id\""));
	snprintf(path, sizeof(path), "/contacts/%lld/decision", contact);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND decision IS NULL", contact);
	/* no referral to allocate */
	snprintf(form, sizeof(form), "csrf=%s&decision=nfa&reason=Synthetic"
		 "&worker_id=%lld", c.csrf, sw);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "href=\"#worker_id\""));
	assert_true(e2e_has(&c, "Allocate a worker only when the decision is"));
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* no such worker: the decision is not kept either */
	snprintf(form, sizeof(form), "csrf=%s&decision=referral&reason=Synthetic"
		 "&worker_id=999999", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "The worker was not found"));
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* decided and allocated in one step */
	snprintf(form, sizeof(form), "csrf=%s&decision=referral&reason=Synthetic"
		 "&worker_id=%lld", c.csrf, sw);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long referral = location_id(&c, "/referrals/");
	assert_true(referral > 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM referral WHERE"
		 " referral_id = %lld AND worker_id = %lld AND team_id = %lld",
		 referral, sw, team);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE"
		 " action = 'allocate' AND entity = 'referral' AND"
		 " entity_id = %lld", referral);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	e2e_client_free(&c);
}

/* Issue 9, "who is handling it": the queue and the contact say who; a
 * manager takes the contact on; taking on one's own is refused. */
static void who_is_handling_it(void **state)
{
	(void)state;
	struct e2e_client c, m;
	e2e_client_init(&c, &srv);
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	char path[128], form[1024], sql[256];
	int d, m_, y;
	today(&d, &m_, &y);
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	snprintf(form, sizeof(form),
		 "csrf=%s&source=2A&referrer_name=A+Teacher&referrer_org=School"
		 "&received-day=%d&received-month=%d&received-year=%d"
		 "&received-time=00%%3A05&worry=Synthetic+worry"
		 "&family_consent=agreed&parallel=Synthetic", c.csrf, d, m_, y);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long contact = location_id(&c, "/contacts/");
	char *fd = e2e_sql_text(&srv, "SELECT display_name FROM app_user"
				" WHERE username = 'fd.demo'");
	char *tm = e2e_sql_text(&srv, "SELECT display_name FROM app_user"
				" WHERE username = 'tm.demo'");
	assert_non_null(fd);
	assert_non_null(tm);
	snprintf(path, sizeof(path), "/contacts/%lld", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	char want[160];
	snprintf(want, sizeof(want), "<span id=\"handler\">%s, since ", fd);
	assert_true(e2e_has(&c, want));
	assert_false(e2e_has(&c, "Take this contact on yourself"));
	assert_int_equal(e2e_get(&c, "/front-door"), 200);
	assert_true(e2e_has(&c, ">Handled by<"));
	/* the manager takes it on */
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Take this contact on yourself"));
	snprintf(path, sizeof(path), "/contacts/%lld/handler", contact);
	snprintf(form, sizeof(form), "csrf=%s", m.csrf);
	assert_int_equal(e2e_post(&m, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND handled_by = (SELECT user_id FROM"
		 " app_user WHERE username = 'tm.demo')", contact);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* again: already theirs, refused, with the reason on the page */
	assert_int_equal(e2e_post(&m, path, form), 409);
	assert_true(e2e_has(&m, "href=\"#handler\""));
	assert_true(e2e_has(&m, "You are already handling this contact"));
	snprintf(path, sizeof(path), "/contacts/%lld", contact);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(want, sizeof(want), "<span id=\"handler\">%s, since ", tm);
	assert_true(e2e_has(&c, want));
	/* the API: fd.demo takes it back */
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	assert_true(e2e_bearer(&a, "fd.demo"));
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld/handler", contact);
	assert_int_equal(e2e_json(&a, "POST", path, "{}"), 200);
	assert_true(e2e_has(&a, "\"handled_at\""));
	assert_int_equal(e2e_json(&a, "POST", path, "{}"), 409);
	assert_true(e2e_has(&a, "\"field\":\"handler\""));
	e2e_client_free(&a);
	free(fd);
	free(tm);
	e2e_client_free(&c);
	e2e_client_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contact_to_allocation),
		cmocka_unit_test(decide_and_allocate_at_once),
		cmocka_unit_test(who_is_handling_it),
		cmocka_unit_test(role_denials),
		cmocka_unit_test(partner_sees_only_involved),
		cmocka_unit_test(api_flow),
		cmocka_unit_test(referrer_form_round_trip),
		cmocka_unit_test(ticks_on_the_contact),
		cmocka_unit_test(api_referrer_and_ticks),
		cmocka_unit_test(chronology),
		cmocka_unit_test(fixed_clock_crosses_midnight),
		cmocka_unit_test(due_items_agree),
	};
	return cmocka_run_group_tests_name("e2e_frontdoor", tests, up, down);
}
