/*
 * policy_test.c: walks every route of the live table against every role
 * through the real pipeline (app_handle, no socket) and proves the
 * policy holds: a role without the route's permission gets 403 (or is
 * sent to sign in when not signed in), and a role with it is never
 * refused.  A second table here, written independently of policy.c,
 * pins the decisions that matter most, so an accidental edit of the
 * policy fails this test too.
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
#include <unistd.h>

#include "auth/password.h"
#include "rules/uktime.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "web/app.h"
#include "web/sections.h"

static char path[64];
static struct app app;
static char cookies[ROLE__MAX][128];
static char csrfs[ROLE__MAX][64];
static char bearers[ROLE__MAX][128];

static void rm_db(void)
{
	testdb_remove(path);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "policytest");
	rm_db();
	assert_int_equal(password_init(), 0);
	password_set_cost(PASSWORD_COST_MIN);
	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	char err[256];
	struct db_options o = {.pool_size = 2, .busy_timeout_ms = 2000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &app.db, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(app.db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(app.db, c);
	testdb_exec(path,
		"INSERT INTO council (council, name) VALUES ('tst', 'Test');"
		"INSERT INTO organisation (council, org_id, name, kind) VALUES"
		" ('tst', 1, 'Test School', 'school');"
		"INSERT INTO team (council, team_id, name) VALUES ('tst', 1, 'Team');");
	c = db_acquire(app.db);
	db_set_role(c, DB_ROLE_SYSTEM);
	for (int r = 0; r < ROLE__MAX; r++) {
		char name[32];
		snprintf(name, sizeof(name), "user%d", r);
		int64_t id;
		assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
		assert_int_equal(user_add(c, "tst", name, name, (enum role)r,
					  r == ROLE_PARTNER ? 1 : 0, 0,
					  "a-long-enough-password", &id, err,
					  sizeof(err)), 0);
		assert_int_equal(db_commit(c), DB_OK);
		char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
		assert_int_equal(session_create(c, "tst", id, uk_clock_now(),
						tok, csrf), 0);
		snprintf(cookies[r], sizeof(cookies[r]), "cairn_session=%s", tok);
		snprintf(csrfs[r], sizeof(csrfs[r]), "%s", csrf);
		int64_t tid;
		assert_int_equal(apitoken_create(c, "tst", id, uk_clock_now() + 3600, tok, &tid), 0);
		snprintf(bearers[r], sizeof(bearers[r]), "Bearer %s", tok);
	}
	db_release(app.db, c);
	assert_int_equal(app_load_calendars(&app), 0);
	app.throttle = throttle_new(5, 900, 900, 1024);
	app.throttle_addr = throttle_new(50, 900, 900, 1024);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	app_stop(&app);
	rm_db();
	return 0;
}

/* "/children/{id}/flags/{id}/end" -> "/children/1/flags/1/end" */
static void concrete(const char *pattern, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = pattern; *p && o + 2 < len;) {
		if (strncmp(p, "{id}", 4) == 0) {
			out[o++] = '1';
			p += 4;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* Sends one request as `role` (ROLE__MAX: not signed in). */
static int call(const struct route *rt, int role)
{
	struct http_exchange ex;
	memset(&ex, 0, sizeof(ex));
	char p[256], body[256] = "";
	concrete(rt->pattern, p, sizeof(p));
	ex.method = rt->method;
	ex.path = p;
	ex.query = "";
	ex.ip = "127.0.0.1";
	snprintf(ex.rid, sizeof(ex.rid), "policytest");
	ex.status = 500;
	sbuf_init(&ex.out, 16u << 20);
	bool api = strncmp(rt->pattern, "/api/", 5) == 0;
	if (role < ROLE__MAX) {
		if (api)
			ex.authorization = bearers[role];
		else
			ex.cookie = cookies[role];
	}
	if (rt->method != HTTP_GET) {
		if (api) {
			ex.content_type = "application/json";
			snprintf(body, sizeof(body), "{}");
		} else {
			ex.content_type = "application/x-www-form-urlencoded";
			snprintf(body, sizeof(body), "csrf=%s",
				 role < ROLE__MAX ? csrfs[role] : "x");
		}
		ex.body = body;
		ex.body_len = strlen(body);
	} else {
		ex.body = "";
	}
	app_handle(&ex, &app);
	int status = ex.status;
	app_done(&ex, &app);
	sbuf_release(&ex.out);
	return status;
}

static void walk_every_route(void **state)
{
	(void)state;
	int routes = 0, checks = 0;
	/* two passes: signing out ends the sessions, so it goes last */
	for (int pass = 0; pass < 2; pass++)
	for (const struct route *rt = app_routes(); rt->pattern; rt++) {
		bool last = strcmp(rt->pattern, "/sign-out") == 0;
		if (last != (pass == 1))
			continue;
		routes++;
		/* sign-in has its own pre-session token; tested end to end */
		if (rt->flags & ROUTE_NO_CSRF)
			continue;
		for (int r = 0; r <= ROLE__MAX; r++) {
			int st = call(rt, r);
			checks++;
			bool allowed = rt->perm == PERM_PUBLIC ||
				       (r < ROLE__MAX && policy_allows(rt->perm, r));
			if (!allowed && r == ROLE__MAX) {
				if (st != 401 && st != 303)
					fail_msg("%s %s anonymous: %d, want 401/303",
						 http_method_name(rt->method),
						 rt->pattern, st);
			} else if (!allowed) {
				if (st != 403)
					fail_msg("%s %s as %s: %d, want 403",
						 http_method_name(rt->method),
						 rt->pattern, role_id(r), st);
			} else if (st == 401 || st == 403 || st >= 500) {
				fail_msg("%s %s as %s: %d, want allowed",
					 http_method_name(rt->method), rt->pattern,
					 r < ROLE__MAX ? role_id(r) : "anonymous",
					 st);
			}
		}
	}
	assert_true(routes >= 6);
	assert_true(checks > routes);
}

/* Independent expectations: [perm][role] 1 = may, 0 = may not.
 * Order of roles: front-door, social-worker, team-manager, iro, partner,
 * analyst, councillor, admin. */
static const struct {
	enum perm p;
	int may[ROLE__MAX];
} expect[] = {
	{PERM_CHILD_READ, {1, 1, 1, 1, 1, 0, 0, 0}},
	{PERM_CHILD_SEARCH, {1, 1, 1, 1, 1, 0, 0, 0}},
	{PERM_CHILD_CREATE, {1, 1, 1, 0, 0, 0, 0, 0}},
	{PERM_CONTACT_READ, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_CONTACT_DECIDE, {1, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_REFERRAL_ALLOCATE, {1, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_CHILD_VIEWERS, {0, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_CHILD_HISTORY, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_AGGREGATES, {0, 0, 1, 0, 0, 1, 1, 1}},
	{PERM_USER_ADMIN, {0, 0, 0, 0, 0, 0, 0, 1}},
	{PERM_AUDIT_VERIFY, {0, 0, 0, 0, 0, 0, 0, 1}},
	{PERM_SCRUTINY_READ, {1, 1, 1, 1, 0, 1, 1, 1}},
	{PERM_SCRUTINY_EDIT, {0, 0, 1, 0, 0, 1, 0, 1}},
	{PERM_SCRUTINY_COMMENT, {0, 0, 1, 0, 0, 1, 1, 1}},
	{PERM_ASSESSMENT_READ, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_ASSESSMENT_WRITE, {0, 1, 1, 0, 0, 0, 0, 0}},
	{PERM_ASSESSMENT_AUTHORISE, {0, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_PRACTICE_READ, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_PRACTICE_WRITE, {0, 1, 1, 0, 0, 0, 0, 0}},
	{PERM_EPISODE_READ, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_EPISODE_WRITE, {0, 1, 1, 0, 0, 0, 0, 0}},
	{PERM_EPISODE_ALLOCATE, {0, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_CASELOAD, {0, 0, 1, 0, 0, 0, 0, 0}},
	{PERM_CP_READ, {1, 1, 1, 1, 0, 0, 0, 0}},
	{PERM_CP_STRATEGY_READ, {1, 1, 1, 1, 1, 0, 0, 0}},
	{PERM_CP_WRITE, {0, 1, 1, 0, 0, 0, 0, 0}},
	{PERM_SERVICES_ADMIN, {0, 0, 1, 0, 0, 0, 0, 1}},
};

static void pinned_decisions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		for (int r = 0; r < ROLE__MAX; r++)
			if (policy_allows(expect[i].p, r) != (expect[i].may[r] == 1))
				fail_msg("%s for %s: policy says %d", perm_id(expect[i].p),
					 role_id(r), policy_allows(expect[i].p, r));
	/* councillors and analysts reach no permission that shows a child */
	for (int p = 0; p < PERM__MAX; p++) {
		if (p == PERM_PUBLIC || p == PERM_SIGNED_IN ||
		    p == PERM_AGGREGATES || p == PERM_SCRUTINY_READ ||
		    p == PERM_SCRUTINY_EDIT || p == PERM_SCRUTINY_COMMENT)
			continue; /* none of these shows a child */
		assert_false(policy_allows(p, ROLE_COUNCILLOR));
		assert_false(policy_allows(p, ROLE_ANALYST));
	}
	/* out of range is denied */
	assert_false(policy_allows(PERM__MAX, ROLE_ADMIN));
	assert_false(policy_allows(PERM_CHILD_READ, ROLE__MAX));
}

/* The child page's registry: ids unique, places distinct (the page's
 * order is the registry's), every section renders, and a partner sees
 * the identity and nothing that needs a permission partners lack. */
static void child_page_sections(void **state)
{
	(void)state;
	int n;
	const struct child_section *v = child_sections(&n);
	assert_true(n >= 6);
	for (int i = 0; i < n; i++) {
		assert_non_null(v[i].id);
		assert_non_null(v[i].render);
		if (i)
			assert_true(v[i - 1].order < v[i].order);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(v[i].id, v[j].id);
	}
	/* the record at a glance first (D56), then the identity */
	assert_string_equal(v[0].id, "glance");
	assert_string_equal(v[1].id, "identity");
	int partner_sees = 0;
	for (int i = 0; i < n; i++)
		if (policy_allows(v[i].perm, ROLE_PARTNER))
			partner_sees++;
	assert_true(partner_sees >= 1 && partner_sees < n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pinned_decisions),
		cmocka_unit_test(walk_every_route),
		cmocka_unit_test(child_page_sections),
	};
	return cmocka_run_group_tests_name("policy", tests, setup, teardown);
}
