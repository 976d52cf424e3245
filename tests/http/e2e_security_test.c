/*
 * e2e_security_test.c: security findings of issue 7 that live above the
 * HTTP layer, each against the real server over loopback:
 *   2  parallel wrong passwords cannot pass the sign-in throttle;
 *   5  refused and not-found requests for a child are audited, and a
 *      list (search results) records each child it showed, so "who has
 *      viewed" includes them;
 *   8  a new password ends the user's API tokens; tokens expire;
 *   10 names with bidirectional controls are refused, narrative with
 *      them is isolated on output;
 *   12 "who has viewed" pages through every entry;
 *   13 common passwords refused; usage names --council; a second demo
 *      council in the same database;
 *   and a database out of space: writes answer 503 and change nothing,
 *   records can still be read, and writes work again once there is room.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules/uktime.h"

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 60);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

/* A child the school partner may not see (no involvement of its
 * organisation). */
static long long hidden_from_school(void)
{
	return e2e_sql_int(&srv,
		"SELECT min(child_id) FROM child WHERE child_id NOT IN"
		" (SELECT child_id FROM network_member WHERE org_id ="
		"  (SELECT org_id FROM app_user WHERE username = 'partner.school'))");
}

/* ---- 2: the throttle under parallel attempts ------------------------- */

#define PARALLEL 40

struct attempt {
	struct e2e_client c;
	long status;
};

static void *attempt_main(void *arg)
{
	struct attempt *a = arg;
	char form[512], csrf[200];
	snprintf(form, sizeof(form), "csrf=%s&username=analyst.demo&"
		 "password=wrong-password-%p",
		 e2e_enc(a->c.csrf, csrf, sizeof(csrf)), arg);
	a->status = e2e_post(&a->c, "/sign-in", form);
	return NULL;
}

static void parallel_sign_in(void **state)
{
	(void)state;
	static struct attempt at[PARALLEL];
	pthread_t th[PARALLEL];
	for (int i = 0; i < PARALLEL; i++) {
		e2e_client_init(&at[i].c, &srv);
		assert_int_equal(e2e_get(&at[i].c, "/sign-in"), 200);
	}
	for (int i = 0; i < PARALLEL; i++)
		assert_int_equal(pthread_create(&th[i], NULL, attempt_main,
						&at[i]), 0);
	int checked = 0, throttled = 0;
	for (int i = 0; i < PARALLEL; i++) {
		pthread_join(th[i], NULL);
		if (at[i].status == 401)
			checked++;
		else if (at[i].status == 429)
			throttled++;
	}
	/* at most the limit (5) were checked against the password */
	assert_true(checked >= 1);
	assert_true(checked <= 5);
	assert_int_equal(checked + throttled, PARALLEL);
	/* and the right password is now refused too: the account is locked */
	struct e2e_client ok;
	e2e_client_init(&ok, &srv);
	assert_false(e2e_sign_in(&ok, "analyst.demo", DEMO_PASSWORD));
	assert_int_equal(ok.r.status, 429);
	e2e_client_free(&ok);
	for (int i = 0; i < PARALLEL; i++)
		e2e_client_free(&at[i].c);
}

/* ---- 5: refusals and lists leave a trace ----------------------------- */

static void refusals_audited(void **state)
{
	(void)state;
	long long id = hidden_from_school();
	assert_true(id > 0);
	char path[128], sql[512];
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", id);
	assert_int_equal(e2e_get(&p, path), 404);
	/* an id that does not exist at all */
	assert_int_equal(e2e_get(&p, "/children/99999999"), 404);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit WHERE username = 'partner.school'"
		 " AND action = 'not found' AND status = 404 AND child_id = %lld"
		 " AND entity = '/children/{id}'", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	assert_int_equal(e2e_sql_int(&srv,
		"SELECT count(*) FROM audit WHERE username = 'partner.school'"
		" AND action = 'not found' AND entity_id = 99999999"), 1);
	e2e_client_free(&p);
	/* the access log names the user (by council and id, not name) */
	long long pid = e2e_sql_int(&srv, "SELECT user_id FROM app_user"
				    " WHERE username = 'partner.school'");
	char want[64], line[4096];
	snprintf(want, sizeof(want), "\"user\":\"nwd/%lld\"", pid);
	FILE *lf = fopen(srv.log, "r");
	assert_non_null(lf);
	bool logged = false;
	while (fgets(line, sizeof(line), lf))
		if (strstr(line, "http.request") && strstr(line, want) &&
		    strstr(line, "\"status\":\"404\""))
			logged = true;
	fclose(lf);
	assert_true(logged);

	/* a role refused by the policy (403), on a child's page */
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld/viewers", id);
	assert_int_equal(e2e_get(&w, path), 403);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit WHERE username = 'sw.demo'"
		 " AND action = 'refused' AND status = 403 AND child_id = %lld",
		 id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);

	/* a search records every child it showed */
	long long found = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	char name[200], q[300], enc[200];
	{
		/* the child's family name, to search for */
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM child WHERE family_name ="
			 " (SELECT family_name FROM child WHERE child_id = %lld)",
			 found);
		assert_true(e2e_sql_int(&srv, sql) >= 1);
	}
	snprintf(path, sizeof(path), "/children/%lld", found);
	assert_int_equal(e2e_get(&w, path), 200);
	const char *h1 = strstr(w.r.body, "<h1");
	assert_non_null(h1);
	h1 = strchr(h1, '>');
	assert_non_null(h1);
	size_t n = strcspn(h1 + 1, "<");
	snprintf(name, sizeof(name), "%.*s", (int)n, h1 + 1);
	snprintf(q, sizeof(q), "/children?name=%s",
		 e2e_enc(name, enc, sizeof(enc)));
	long long before_rows = e2e_sql_int(&srv,
		"SELECT count(*) FROM audit WHERE action = 'search'");
	assert_int_equal(e2e_get(&w, q), 200);
	/* one row for the search, naming each child on the page */
	assert_int_equal(e2e_sql_int(&srv,
		"SELECT count(*) FROM audit WHERE action = 'search'"),
			 before_rows + 1);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit_seen s JOIN audit a ON"
		 " a.council = s.council AND a.seq = s.seq WHERE"
		 " a.username = 'sw.demo' AND a.action = 'search' AND"
		 " s.child_id = %lld", found);
	assert_true(e2e_sql_int(&srv, sql) >= 1);
	e2e_client_free(&w);

	/* the manager's "who has viewed" shows the search and the refusal */
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld/viewers", found);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Saw it in search results"));
	snprintf(path, sizeof(path), "/children/%lld/viewers", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_true(e2e_has(&m, "Asked for it and was not shown it"));
	assert_true(e2e_has(&m, "Asked for it and was refused"));
	e2e_client_free(&m);
}

/* ---- 12: every viewer, a page at a time ------------------------------ */

static int count(const char *hay, const char *needle)
{
	int k = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		k++;
	return k;
}

static void viewers_paged(void **state)
{
	(void)state;
	long long id = e2e_sql_int(&srv, "SELECT max(child_id) FROM child");
	char path[128], next[256];
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", id);
	for (int i = 0; i < 70; i++)
		assert_int_equal(e2e_get(&m, path), 200);
	/* the record shows the newest 20 and links to the rest */
	assert_true(e2e_has(&m, "See everyone who has viewed this record"));
	snprintf(path, sizeof(path), "/children/%lld/viewers", id);
	assert_int_equal(e2e_get(&m, path), 200);
	assert_int_equal(count(m.r.body, "<tr class=\"govuk-table__row\">") - 1,
			 50);
	const char *a = strstr(m.r.body, "viewers?before=");
	assert_non_null(a);
	snprintf(next, sizeof(next), "/children/%lld/%.*s", id,
		 (int)strcspn(a, "\""), a);
	assert_int_equal(e2e_get(&m, next), 200);
	/* the 70 views here, less the 50 on the first page */
	int older = count(m.r.body, "<tr class=\"govuk-table__row\">") - 1;
	assert_true(older >= 20);
	assert_true(e2e_has(&m, "Newest entries"));
	/* a bad page number is refused */
	snprintf(path, sizeof(path), "/children/%lld/viewers?before=x", id);
	assert_int_equal(e2e_get(&m, path), 400);
	e2e_client_free(&m);
}

/* ---- 8: tokens end with a new password, and expire ------------------- */

static void tokens_end(void **state)
{
	(void)state;
	char tok[128], out[512];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
				   "create", "--db", srv.db, "--username",
				   "sw2.demo", "--days", "30", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	snprintf(a.bearer, sizeof(a.bearer), "%s", tok);
	assert_int_equal(e2e_json(&a, "GET", "/api/v1/children?name=Smith",
				  NULL), 200);
	char lo[UK_STAMP_LEN], hi[UK_STAMP_LEN], q[200];
	uk_stamp(uk_clock_now() + 29 * 86400, lo);
	uk_stamp(uk_clock_now() + 31 * 86400, hi);
	snprintf(q, sizeof(q), "SELECT count(*) FROM api_token WHERE "
		 "expires_at > '%s' AND expires_at < '%s'", lo, hi);
	assert_true(e2e_sql_int(&srv, q) >= 1);
	assert_int_equal(e2e_cairn(&srv, "kettle orbit lantern ferry\n", out,
				   sizeof(out), "user", "reset-password",
				   "--db", srv.db, "--username", "sw2.demo",
				   "--password-stdin", NULL), 0);
	assert_int_equal(e2e_json(&a, "GET", "/api/v1/children?name=Smith",
				  NULL), 401);
	/* a token past its expiry is refused */
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
				   "create", "--db", srv.db, "--username",
				   "fd.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(a.bearer, sizeof(a.bearer), "%s", tok);
	assert_int_equal(e2e_json(&a, "GET", "/api/v1/children?name=Smith",
				  NULL), 200);
	assert_int_equal(e2e_sql_exec(&srv,
		"UPDATE api_token SET expires_at = '2020-01-01T00:00:00Z'"
		" WHERE revoked_at IS NULL"), 0);
	assert_int_equal(e2e_json(&a, "GET", "/api/v1/children?name=Smith",
				  NULL), 401);
	/* bad --days */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "token",
				   "create", "--db", srv.db, "--username",
				   "fd.demo", "--days", "0", NULL), 2);
	e2e_client_free(&a);
}

/* ---- 10: bidirectional controls ---------------------------------------- */

#define RLO "\xe2\x80\xae"

static void bidi(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	long long before = e2e_sql_int(&srv, "SELECT count(*) FROM child");
	char form[2048], csrf[200], enc[200];
	assert_int_equal(e2e_get(&c, "/children/new"), 200);
	snprintf(form, sizeof(form),
		 "csrf=%s&given_name=%s&family_name=Lovelock&dob_status=born&"
		 "dob-day=1&dob-month=2&dob-year=2019&gender=2&ethnicity=WBRI",
		 e2e_enc(c.csrf, csrf, sizeof(csrf)),
		 e2e_enc("Ada" RLO "eil", enc, sizeof(enc)));
	assert_int_equal(e2e_post(&c, "/children", form), 422);
	assert_true(e2e_has(&c, "#given_name"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM child"), before);
	/* through the API too */
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
				   "create", "--db", srv.db, "--username",
				   "sw.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	struct e2e_client a;
	e2e_client_init(&a, &srv);
	snprintf(a.bearer, sizeof(a.bearer), "%s", tok);
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/children",
		"{\"given_name\":\"Ada\",\"family_name\":\"Love\\u202elock\","
		"\"dob\":\"2020-01-01\",\"gender\":\"2\",\"ethnicity\":\"WBRI\"}"),
			 422);
	assert_true(e2e_has(&a, "\"field\":\"family_name\""));
	e2e_client_free(&a);

	/* narrative may hold them, and is isolated on the page */
	long long id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	char path[128];
	snprintf(path, sizeof(path), "/children/%lld/flags/new", id);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(form, sizeof(form),
		 "csrf=%s&kind=other&text=%s&review_date-day=1&"
		 "review_date-month=1&review_date-year=2030",
		 e2e_enc(c.csrf, csrf, sizeof(csrf)),
		 e2e_enc("Dog" RLO "at home", enc, sizeof(enc)));
	snprintf(path, sizeof(path), "/children/%lld/flags", id);
	long st = e2e_post(&c, path, form);
	assert_true(st == 303 || st == 200);
	snprintf(path, sizeof(path), "/children/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "\xe2\x81\xa8" "Dog" RLO "at home"
				"\xe2\x80\xac\xe2\x81\xa9"));
	e2e_client_free(&c);
}

/* ---- 13: passwords, usage, a second demo council --------------------- */

static void passwords_and_cli(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(e2e_cairn(&srv, "password1234\n", out, sizeof(out),
				   "user", "add", "--db", srv.db, "--username",
				   "weak.user", "--role", "analyst",
				   "--password-stdin", NULL), 2);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM app_user"
				     " WHERE username = 'weak.user'"), 0);
	assert_int_equal(e2e_cairn(&srv, "four random kettle words\n", out,
				   sizeof(out), "user", "add", "--db", srv.db,
				   "--username", "strong.user", "--role",
				   "analyst", "--password-stdin", NULL), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "user",
				   "--help", NULL), 0);
	assert_non_null(strstr(out, "disable|enable --db FILE --username U "
				    "[--council C]"));
	assert_non_null(strstr(out, "reset-password --db FILE --username U "
				    "[--council C]"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "token",
				   "--help", NULL), 0);
	assert_non_null(strstr(out, "revoke --db FILE --id N [--council C]"));

	/* a second council in one database, from the demo */
	char db[400];
	assert_int_equal(e2e_new_db(&srv, "two", db, sizeof(db)), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "demo",
				   "--db", db, "--children", "10", "--key-file",
				   srv.key, NULL), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "demo",
				   "--db", db, "--children", "10", "--council",
				   "sth", "--key-file", srv.key, NULL), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "demo",
				   "--db", db, "--print-logins", "--council",
				   "sth", NULL), 0);
	assert_non_null(strstr(out, "sw.demo.sth"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", db, NULL), 0);
	assert_non_null(strstr(out, "sth"));
	assert_non_null(strstr(out, "nwd"));
}

/* ---- the store out of space ------------------------------------------ */

static long long db_pages(void)
{
	return e2e_sql_int(&srv, "SELECT page_count FROM pragma_page_count");
}

static void out_of_space(void **state)
{
	(void)state;
	/* db_max_megabytes is SQLite's file-size limit (max_page_count);
	 * a PostgreSQL server's space is its administrator's (D42) */
	if (e2e_sqlite_only("the store out of space is a SQLite file limit"))
		skip();
	/* a size limit 1 MiB above what the database holds now */
	char conf[128];
	long long mb = db_pages() * 4096 / (1024 * 1024) + 2;
	snprintf(conf, sizeof(conf), "db_max_megabytes = %lld\n", mb);
	assert_int_equal(e2e_server_serve(&srv, conf), 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	long long id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	char path[128], form[2048], csrf[200];
	static char text[481];
	memset(text, 'x', sizeof(text) - 1);
	snprintf(path, sizeof(path), "/children/%lld/flags", id);
	int saved = 0;
	long st = 0;
	for (int i = 0; i < 8000; i++) {
		snprintf(form, sizeof(form),
			 "csrf=%s&kind=other&text=%d%s&review_date-day=1&"
			 "review_date-month=1&review_date-year=2030",
			 e2e_enc(c.csrf, csrf, sizeof(csrf)), i, text);
		st = e2e_post(&c, path, form);
		if (st != 303)
			break;
		saved++;
	}
	/* the store filled up: a clear 503, and nothing of it saved */
	assert_int_equal(st, 503);
	assert_true(saved > 10);
	assert_true(e2e_has(&c, "run out of storage space"));
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM flag WHERE child_id ="
		 " %lld AND length(text) > 400", id);
	assert_int_equal(e2e_sql_int(&srv, sql), saved);
	/* the record can still be read (its audit row uses the reserve) */
	snprintf(path, sizeof(path), "/children/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	/* the API says the same as problem+json */
	/* space returns (the flags are removed): writes work again, with
	 * no restart */
	snprintf(sql, sizeof(sql), "DELETE FROM flag WHERE child_id = %lld"
		 " AND length(text) > 400", id);
	assert_int_equal(e2e_sql_exec(&srv, sql), 0);
	snprintf(path, sizeof(path), "/children/%lld/flags", id);
	snprintf(form, sizeof(form),
		 "csrf=%s&kind=other&text=after&review_date-day=1&"
		 "review_date-month=1&review_date-year=2030",
		 e2e_enc(c.csrf, csrf, sizeof(csrf)));
	assert_int_equal(e2e_post(&c, path, form), 303);
	e2e_client_free(&c);
	/* the audit chain is intact after all that */
	char out[2048];
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallel_sign_in),
		cmocka_unit_test(refusals_audited),
		cmocka_unit_test(viewers_paged),
		cmocka_unit_test(tokens_end),
		cmocka_unit_test(bidi),
		cmocka_unit_test(passwords_and_cli),
		cmocka_unit_test(out_of_space),
	};
	return cmocka_run_group_tests_name("e2e_security", tests, up, down);
}
