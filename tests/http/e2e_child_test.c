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
	/* the stored stamp, parsed here: unixepoch() is SQLite's (D42) */
	snprintf(sql, sizeof(sql), "SELECT at FROM audit WHERE"
		 " child_id = %lld AND username = 'sw.demo' AND action = 'read'"
		 " ORDER BY seq DESC LIMIT 1", id);
	char *at = e2e_sql_text(&srv, sql);
	assert_non_null(at);
	int64_t at_t;
	assert_true(uk_stamp_parse(at, &at_t));
	free(at);
	char uk[40];
	uk_human(at_t, uk);
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

/* "Add a new child" from the search carries the name and the date of
 * birth searched for into the new child's form (issue 9: it forgot
 * them), and the form's back link returns to that search. */
static void new_child_from_search(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/children?name=Wilhelmina+Oddfellow"
				 "&dob-day=3&dob-month=4&dob-year=2019"), 200);
	assert_true(e2e_has(&c, "href=\"/children/new?name=Wilhelmina"
			    "%20Oddfellow&amp;dob-day=3&amp;dob-month=4&amp;"
			    "dob-year=2019\""));
	assert_int_equal(e2e_get(&c, "/children/new?name=Wilhelmina%20Oddfellow"
				 "&dob-day=3&dob-month=4&dob-year=2019"), 200);
	assert_true(e2e_has(&c, "name=\"given_name\" type=\"text\" "
			    "value=\"Wilhelmina\""));
	assert_true(e2e_has(&c, "name=\"family_name\" type=\"text\" "
			    "value=\"Oddfellow\""));
	assert_true(e2e_has(&c, "name=\"dob_status\" value=\"known\" checked"));
	assert_true(e2e_has(&c, "name=\"dob-day\" value=\"3\""));
	assert_true(e2e_has(&c, "name=\"dob-month\" value=\"4\""));
	assert_true(e2e_has(&c, "name=\"dob-year\" value=\"2019\""));
	assert_true(e2e_has(&c, "class=\"govuk-back-link\" href=\"/children?"
			    "name=Wilhelmina%20Oddfellow&amp;dob-day=3"));
	/* one word is taken as the family name; no date, nothing chosen */
	assert_int_equal(e2e_get(&c, "/children/new?name=Oddfellow"), 200);
	assert_true(e2e_has(&c, "name=\"family_name\" type=\"text\" "
			    "value=\"Oddfellow\""));
	assert_true(e2e_has(&c, "name=\"given_name\" type=\"text\" value=\"\""));
	assert_false(e2e_has(&c, "value=\"known\" checked"));
	/* straight to the form, as before: empty */
	assert_int_equal(e2e_get(&c, "/children/new"), 200);
	assert_true(e2e_has(&c, "name=\"family_name\" type=\"text\" value=\"\""));
	e2e_client_free(&c);
}

/* The page just fetched has one GOV.UK back link, to `back`, above its
 * heading and its error summary. */
static void back_link_above_heading(struct e2e_client *c, const char *path,
				    const char *back)
{
	char want[160];
	snprintf(want, sizeof(want), "<a class=\"govuk-back-link\" href=\"%s\">",
		 back);
	const char *link = strstr(c->r.body, want);
	const char *h1 = strstr(c->r.body, "<h1");
	if (link == NULL || h1 == NULL || link > h1)
		fail_msg("GET %s: no back link to %s above the heading", path,
			 back);
	if (strstr(link + strlen(want), "govuk-back-link"))
		fail_msg("GET %s: more than one back link", path);
	const char *summary = strstr(c->r.body, "govuk-error-summary");
	if (summary && summary < link)
		fail_msg("GET %s: the back link is below the error summary",
			 path);
}

/* Breadcrumbs above the heading whose last level links to `up`, and no
 * back link beside them (GOV.UK: one or the other). */
static void crumbs_above_heading(struct e2e_client *c, const char *path,
				 const char *up)
{
	const char *nav = strstr(c->r.body, "<nav class=\"govuk-breadcrumbs\"");
	const char *h1 = strstr(c->r.body, "<h1");
	if (nav == NULL || h1 == NULL || nav > h1)
		fail_msg("GET %s: no breadcrumbs above the heading", path);
	const char *end = strstr(nav, "</nav>");
	char want[160];
	snprintf(want, sizeof(want), "href=\"%s\">", up);
	const char *last = NULL;
	for (const char *p = nav; (p = strstr(p, "href=\"")) && p < end; p++)
		last = p;
	if (last == NULL || strncmp(last, want, strlen(want)) != 0)
		fail_msg("GET %s: the breadcrumbs do not end at %s", path, up);
	if (strstr(c->r.body, "govuk-back-link"))
		fail_msg("GET %s: a back link beside the breadcrumbs", path);
}

/* The heading of a page about a child has the child's name as its
 * caption (issue 9: headings name the child). */
static void heading_names_child(struct e2e_client *c, const char *path,
				long long id)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT given_name || ' ' || family_name "
		 "FROM child WHERE child_id = %lld", id);
	char *name = e2e_sql_text(&srv, sql);
	assert_non_null(name);
	char want[400];
	int n = snprintf(want, sizeof(want), "<h1 class=\"govuk-heading-l\">"
			 "<span class=\"govuk-caption-l\">");
	for (const char *p = name; *p && n < 300; p++) /* as the page escapes */
		n += *p == '\'' ? snprintf(want + n, sizeof(want) - (size_t)n,
					   "&#39;")
				: snprintf(want + n, sizeof(want) - (size_t)n,
					   "%c", *p);
	snprintf(want + n, sizeof(want) - (size_t)n, "</span>");
	if (strstr(c->r.body, want) == NULL)
		fail_msg("GET %s: the heading does not name the child", path);
	free(name);
}

/* The pages below the child's record and the scrutiny pages have a back
 * link above the heading (issue 9: none, or one below the heading), or,
 * where they sit in a hierarchy and are not a form, breadcrumbs. */
static void back_links(void **state)
{
	(void)state;
	long long id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	long long member = e2e_sql_int(&srv, "SELECT min(member_id) FROM "
				       "network_member WHERE end_date IS NULL "
				       "AND child_id = (SELECT min(child_id) "
				       "FROM network_member WHERE end_date IS NULL)");
	long long mchild = e2e_sql_int(&srv, "SELECT min(child_id) FROM "
				       "network_member WHERE end_date IS NULL");
	long long review = e2e_sql_int(&srv, "SELECT min(review_id) FROM "
				       "scrutiny_review");
	assert_true(id > 0 && member > 0 && review > 0);
	char rec[64], mrec[64], rv[64];
	snprintf(rec, sizeof(rec), "/children/%lld", id);
	snprintf(mrec, sizeof(mrec), "/children/%lld", mchild);
	snprintf(rv, sizeof(rv), "/scrutiny/reviews/%lld", review);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "tm.demo", DEMO_PASSWORD));
	static const char *const tails[] = {
		"/edit", "/addresses/new", "/network/new", "/flags/new",
	};
	char path[160];
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", rec, tails[i]);
		assert_int_equal(e2e_get(&c, path), 200);
		back_link_above_heading(&c, path, rec);
		heading_names_child(&c, path, id);
	}
	static const char *const listed[] = {
		"/chronology", "/history", "/viewers",
	};
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", rec, listed[i]);
		assert_int_equal(e2e_get(&c, path), 200);
		crumbs_above_heading(&c, path, rec);
		heading_names_child(&c, path, id);
	}
	snprintf(path, sizeof(path), "%s/network/%lld/end", mrec, member);
	assert_int_equal(e2e_get(&c, path), 200);
	back_link_above_heading(&c, path, mrec);
	/* a form sent back with errors: the link stays above the summary */
	char form[256];
	snprintf(form, sizeof(form), "csrf=%s&kind=&name=", c.csrf);
	snprintf(path, sizeof(path), "%s/network", rec);
	assert_int_equal(e2e_post(&c, path, form), 422);
	back_link_above_heading(&c, path, rec);

	assert_int_equal(e2e_get(&c, "/scrutiny/reviews/new"), 200);
	back_link_above_heading(&c, "/scrutiny/reviews/new", "/scrutiny");
	assert_int_equal(e2e_get(&c, rv), 200);
	crumbs_above_heading(&c, rv, "/scrutiny");
	snprintf(path, sizeof(path), "%s/import", rv);
	assert_int_equal(e2e_get(&c, path), 200);
	back_link_above_heading(&c, path, rv);
	snprintf(path, sizeof(path), "%s/report", rv);
	assert_int_equal(e2e_get(&c, path), 200);
	crumbs_above_heading(&c, path, rv);
	e2e_client_free(&c);
}

/* The LA reference shown on a child's page the client just fetched. */
static void la_ref_of(struct e2e_client *c, char *out, size_t len)
{
	const char *p = strstr(c->r.body, "LA reference ");
	assert_non_null(p);
	p += strlen("LA reference ");
	size_t n = strcspn(p, "<");
	assert_true(n > 0 && n < len);
	memcpy(out, p, n);
	out[n] = '\0';
}

/* A partner sees a brother or sister in the child's network linked only
 * when the partner may see that child too; otherwise the name alone
 * (issue 9: the link led to "Page not found"). */
static void partner_sibling_links(void **state)
{
	(void)state;
	static const char *const school =
		"(SELECT org_id FROM app_user WHERE username = 'partner.school')";
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT min(child_id) FROM network_member"
		 " WHERE kind = 'professional' AND end_date IS NULL"
		 " AND org_id = %s", school);
	long long a = e2e_sql_int(&srv, sql);
	snprintf(sql, sizeof(sql), "SELECT min(child_id) FROM network_member"
		 " WHERE kind = 'professional' AND end_date IS NULL"
		 " AND org_id = %s AND child_id > %lld", school, a);
	long long seen = e2e_sql_int(&srv, sql);
	snprintf(sql, sizeof(sql), "SELECT min(child_id) FROM child WHERE"
		 " child_id NOT IN (SELECT child_id FROM network_member"
		 " WHERE org_id = %s)", school);
	long long hidden = e2e_sql_int(&srv, sql);
	assert_true(a > 0 && seen > 0 && hidden > 0);

	/* a social worker links both to the first child */
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	char path[128], ref_seen[64], ref_hidden[64], form[512];
	snprintf(path, sizeof(path), "/children/%lld", seen);
	assert_int_equal(e2e_get(&w, path), 200);
	la_ref_of(&w, ref_seen, sizeof(ref_seen));
	snprintf(path, sizeof(path), "/children/%lld", hidden);
	assert_int_equal(e2e_get(&w, path), 200);
	la_ref_of(&w, ref_hidden, sizeof(ref_hidden));
	snprintf(path, sizeof(path), "/children/%lld/network", a);
	static const char *const who[2] = {"Synthetic Seensibling",
					   "Synthetic Hiddensibling"};
	const char *refs[2] = {ref_seen, ref_hidden};
	for (int i = 0; i < 2; i++) {
		char name[64];
		snprintf(form, sizeof(form), "csrf=%s&kind=sibling&name=%s"
			 "&relationship=Brother&org_id=&phone=&linked_la_ref=%s"
			 "&parental_responsibility=no", w.csrf,
			 e2e_enc(who[i], name, sizeof(name)), refs[i]);
		assert_int_equal(e2e_post(&w, path, form), 303);
	}
	char link_seen[64], link_hidden[64];
	snprintf(link_seen, sizeof(link_seen), "href=\"/children/%lld\"", seen);
	snprintf(link_hidden, sizeof(link_hidden), "href=\"/children/%lld\"",
		 hidden);
	snprintf(path, sizeof(path), "/children/%lld", a);
	assert_int_equal(e2e_get(&w, path), 200);
	assert_true(e2e_has(&w, link_seen));
	assert_true(e2e_has(&w, link_hidden));
	e2e_client_free(&w);

	/* the school sees both names, and a link only to the child it may
	 * see; that link opens, the other child would not */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&p, path), 200);
	assert_true(e2e_has(&p, who[0]));
	assert_true(e2e_has(&p, who[1]));
	assert_true(e2e_has(&p, link_seen));
	assert_false(e2e_has(&p, link_hidden));
	snprintf(path, sizeof(path), "/children/%lld", seen);
	assert_int_equal(e2e_get(&p, path), 200);
	snprintf(path, sizeof(path), "/children/%lld", hidden);
	assert_int_equal(e2e_get(&p, path), 404);
	e2e_client_free(&p);

	/* the API follows the same rule: the social worker is given both
	 * linked ids, the school only the one it may see (the hidden
	 * child's id is not disclosed, though its record stays 404) */
	char id_seen[64], id_hidden[64];
	snprintf(id_seen, sizeof(id_seen), "\"linked_child_id\":%lld", seen);
	snprintf(id_hidden, sizeof(id_hidden), "\"linked_child_id\":%lld",
		 hidden);
	static const char *const users[2] = {"sw.demo", "partner.school"};
	for (int i = 0; i < 2; i++) {
		char tok[128];
		assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
					   "create", "--db", srv.db, "--username",
					   users[i], NULL), 0);
		tok[strcspn(tok, "\n")] = '\0';
		struct e2e_client t;
		e2e_client_init(&t, &srv);
		snprintf(t.bearer, sizeof(t.bearer), "%s", tok);
		snprintf(path, sizeof(path), "/api/v1/children/%lld", a);
		assert_int_equal(e2e_json(&t, "GET", path, NULL), 200);
		assert_true(e2e_has(&t, who[0]));
		assert_true(e2e_has(&t, who[1]));
		assert_true(e2e_has(&t, id_seen));
		if (i == 0)
			assert_true(e2e_has(&t, id_hidden));
		else
			assert_false(e2e_has(&t, id_hidden));
		snprintf(path, sizeof(path), "/api/v1/children/%lld", hidden);
		assert_int_equal(e2e_json(&t, "GET", path, NULL),
				 i == 0 ? 200 : 404);
		e2e_client_free(&t);
	}
}

/* Issue 9 section 4: search results show what tells children apart:
 * date of birth and age, gender, the current postcode and, for those
 * who may see the network, the parents still involved.  A partner finds
 * only children its organisation is involved with, and so never sees
 * the parents of another. */
static void search_results_tell_apart(void **state)
{
	(void)state;
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	/* born 1 January seven years ago: "7 years" all this year */
	int year = uk_date(uk_clock_now()).y - 7;
	char form[1024];
	snprintf(form, sizeof(form),
		 "csrf=%s&given_name=Peregrine&family_name=Tolliwhistle"
		 "&gender=2&ethnicity=WBRI&dob_status=known&dob-day=1"
		 "&dob-month=1&dob-year=%d&confirm_not_duplicate=yes", w.csrf,
		 year);
	assert_int_equal(e2e_post(&w, "/children", form), 303);
	char loc[128];
	assert_non_null(e2e_header(&w, "Location", loc, sizeof(loc)));
	long long id = strtoll(strstr(loc, "/children/") + 10, NULL, 10);
	assert_true(id > 0);

	/* an old address, then the current one */
	char path[128];
	snprintf(path, sizeof(path), "/children/%lld/addresses", id);
	static const char *const postcodes[2] = {"TN9 9ZY", "TN9 9ZZ"};
	for (int i = 0; i < 2; i++) {
		snprintf(form, sizeof(form), "csrf=%s&line1=1+Synthetic+Row"
			 "&line2=&town=&postcode=%s&start_date-day=1"
			 "&start_date-month=%d&start_date-year=%d", w.csrf,
			 i ? "TN9+9ZZ" : "TN9+9ZY", 2 + i, year + 1);
		assert_int_equal(e2e_post(&w, path, form), 303);
	}
	/* a parent still involved, and a carer (not a parent) */
	snprintf(path, sizeof(path), "/children/%lld/network", id);
	static const char *const members[2][3] = {
		{"parent", "Synthetic Parentname", "Mother"},
		{"carer", "Synthetic Carername", "Aunt"},
	};
	for (int i = 0; i < 2; i++) {
		char name[64], rel[32];
		snprintf(form, sizeof(form), "csrf=%s&kind=%s&name=%s"
			 "&relationship=%s&org_id=&phone=&linked_la_ref="
			 "&parental_responsibility=yes", w.csrf, members[i][0],
			 e2e_enc(members[i][1], name, sizeof(name)),
			 e2e_enc(members[i][2], rel, sizeof(rel)));
		assert_int_equal(e2e_post(&w, path, form), 303);
	}

	char link[64], dob[64];
	snprintf(link, sizeof(link), "href=\"/children/%lld\"", id);
	snprintf(dob, sizeof(dob), "1 January %d (7 years)", year);
	assert_int_equal(e2e_get(&w, "/children?name=Peregrine+Toliwhistle"),
			 200);
	assert_true(e2e_has(&w, link));
	assert_true(e2e_has(&w, dob));
	assert_true(e2e_has(&w, "<td class=\"govuk-table__cell\">Female</td>"));
	assert_true(e2e_has(&w, postcodes[1]));
	assert_false(e2e_has(&w, postcodes[0])); /* not the current one */
	assert_true(e2e_has(&w, "Synthetic Parentname"));
	assert_false(e2e_has(&w, "Synthetic Carername"));
	assert_true(e2e_has(&w, ">Parents</th>"));
	/* the search still audits the child it showed */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit a JOIN"
		 " audit_seen s ON s.council = a.council AND s.seq = a.seq"
		 " WHERE a.action = 'search' AND s.child_id = %lld", id);
	assert_true(e2e_sql_int(&srv, sql) >= 1);
	/* the API's search leaves the details out */
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
				   "create", "--db", srv.db, "--username",
				   "sw.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	struct e2e_client t;
	e2e_client_init(&t, &srv);
	snprintf(t.bearer, sizeof(t.bearer), "%s", tok);
	assert_int_equal(e2e_json(&t, "GET", "/api/v1/children?name="
				  "Peregrine+Tolliwhistle", NULL), 200);
	assert_true(e2e_has(&t, "Tolliwhistle"));
	assert_false(e2e_has(&t, "Synthetic Parentname"));
	assert_false(e2e_has(&t, postcodes[1]));
	e2e_client_free(&t);

	/* the school is not involved: it does not find the child, nor its
	 * parent's name; by its LA reference neither */
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&p, "/children?name=Peregrine+Tolliwhistle"),
			 200);
	assert_true(e2e_has(&p, "No children found"));
	assert_false(e2e_has(&p, link));
	assert_false(e2e_has(&p, "Synthetic Parentname"));
	assert_false(e2e_has(&p, postcodes[1]));

	/* a child the school is involved with: it sees the parents, as on
	 * the child's page */
	static const char *const school =
		"(SELECT org_id FROM app_user WHERE username = 'partner.school')";
	snprintf(sql, sizeof(sql), "SELECT min(child_id) FROM network_member"
		 " WHERE kind = 'professional' AND end_date IS NULL"
		 " AND org_id = %s", school);
	long long seen = e2e_sql_int(&srv, sql);
	assert_true(seen > 0);
	snprintf(path, sizeof(path), "/children/%lld/network", seen);
	snprintf(form, sizeof(form), "csrf=%s&kind=parent&name=Synthetic+"
		 "Schoolparent&relationship=Father&org_id=&phone="
		 "&linked_la_ref=&parental_responsibility=yes", w.csrf);
	assert_int_equal(e2e_post(&w, path, form), 303);
	snprintf(path, sizeof(path), "/children/%lld", seen);
	assert_int_equal(e2e_get(&w, path), 200);
	char ref[64];
	la_ref_of(&w, ref, sizeof(ref));
	snprintf(path, sizeof(path), "/children?la_ref=%s", ref);
	assert_int_equal(e2e_get(&p, path), 200);
	snprintf(link, sizeof(link), "href=\"/children/%lld\"", seen);
	assert_true(e2e_has(&p, link));
	assert_true(e2e_has(&p, "Synthetic Schoolparent"));
	e2e_client_free(&p);
	e2e_client_free(&w);
}

static void api_create_errors(void **state)
{
	(void)state;
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	assert_true(e2e_bearer(&a, "fd.demo"));
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
		cmocka_unit_test(new_child_from_search),
		cmocka_unit_test(partner_sibling_links),
		cmocka_unit_test(back_links),
		cmocka_unit_test(search_results_tell_apart),
	};
	return cmocka_run_group_tests_name("e2e_child", tests, up, down);
}
