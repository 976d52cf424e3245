/*
 * e2e_core_test.c: the server over loopback: headers on every response,
 * sign-in and throttling, CSRF, sessions, limits, the API's errors, the
 * OpenAPI document, the footer's pages, and the audit chain after a run
 * (and after a row is changed behind the server's back).
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

static void security_headers(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	const char *paths[] = {"/sign-in", "/healthz", "/nope", "/api/v1/children",
			       "/assets/govuk-frontend.min.css", "/metrics"};
	char h[512];
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_true(e2e_get(&c, paths[i]) > 0);
		assert_non_null(e2e_header(&c, "Content-Security-Policy", h, sizeof(h)));
		assert_non_null(strstr(h, "frame-ancestors 'none'"));
		assert_non_null(strstr(h, "default-src 'none'"));
		assert_non_null(e2e_header(&c, "X-Content-Type-Options", h, sizeof(h)));
		assert_string_equal(h, "nosniff");
		assert_non_null(e2e_header(&c, "Referrer-Policy", h, sizeof(h)));
		assert_non_null(e2e_header(&c, "X-Request-Id", h, sizeof(h)));
		assert_int_equal(strlen(h), 16);
	}
	/* static assets cache for a year; pages never */
	e2e_get(&c, "/assets/govuk-frontend.min.css");
	assert_non_null(strstr(e2e_header(&c, "Cache-Control", h, sizeof(h)),
			       "max-age=31536000"));
	e2e_get(&c, "/sign-in");
	assert_string_equal(e2e_header(&c, "Cache-Control", h, sizeof(h)), "no-store");
	e2e_client_free(&c);
}

static void health_and_metrics(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/healthz"), 200);
	assert_true(e2e_has(&c, "\"ok\""));
	/* finding 13: /metrics only with the metrics token */
	assert_int_equal(e2e_get(&c, "/metrics"), 404);
	assert_false(e2e_has(&c, "cairn_http_requests_total"));
	snprintf(c.bearer, sizeof(c.bearer), "%s", "not-the-metrics-token-0123456789abcdef");
	assert_int_equal(e2e_get(&c, "/metrics"), 404);
	snprintf(c.bearer, sizeof(c.bearer), "%s", E2E_METRICS_TOKEN);
	assert_int_equal(e2e_get(&c, "/metrics"), 200);
	assert_true(e2e_has(&c, "cairn_http_requests_total{class=\"2xx\"}"));
	assert_true(e2e_has(&c, "cairn_http_request_duration_seconds_bucket"));
	e2e_client_free(&c);
}

static void sign_in_flow(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	/* a page needing sign-in redirects to the form */
	assert_int_equal(e2e_get(&c, "/children"), 303);
	char h[256];
	assert_non_null(strstr(e2e_header(&c, "Location", h, sizeof(h)), "/sign-in"));
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	assert_true(e2e_has(&c, "Sign out"));
	/* session cookie flags */
	e2e_client_free(&c);
	e2e_client_init(&c, &srv);
	e2e_get(&c, "/sign-in");
	char form[512];
	snprintf(form, sizeof(form),
		 "csrf=%s&username=sw.demo&password=" DEMO_PASSWORD, c.csrf);
	assert_int_equal(e2e_post(&c, "/sign-in", form), 303);
	assert_non_null(e2e_header(&c, "Set-Cookie", h, sizeof(h)));
	assert_non_null(strstr(h, "HttpOnly"));
	assert_non_null(strstr(h, "SameSite=Strict"));
	assert_non_null(strstr(h, "Secure"));
	/* sign out ends the session */
	e2e_get(&c, "/");
	char out[256];
	snprintf(out, sizeof(out), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, "/sign-out", out), 303);
	assert_int_equal(e2e_get(&c, "/children"), 303);
	e2e_client_free(&c);
}

static void wrong_password_and_throttle(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	e2e_get(&c, "/sign-in");
	char form[512];
	long last = 0;
	for (int i = 0; i < 5; i++) {
		snprintf(form, sizeof(form),
			 "csrf=%s&username=iro.demo&password=not-the-password", c.csrf);
		last = e2e_post(&c, "/sign-in", form);
		assert_int_equal(last, 401);
		assert_true(e2e_has(&c, "Enter a correct username and password"));
	}
	/* the sixth attempt is refused even with the right password */
	snprintf(form, sizeof(form), "csrf=%s&username=iro.demo&password="
		 DEMO_PASSWORD, c.csrf);
	assert_int_equal(e2e_post(&c, "/sign-in", form), 429);
	assert_true(e2e_has(&c, "Too many failed attempts"));
	e2e_client_free(&c);
}

static void sign_in_csrf(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	e2e_get(&c, "/sign-in");
	/* a token that does not match the cookie */
	assert_int_equal(e2e_post(&c, "/sign-in",
				  "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				  "&username=sw.demo&password=" DEMO_PASSWORD), 403);
	e2e_client_free(&c);
}

static void page_csrf(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	long long before = e2e_sql_int(&srv, "SELECT count(*) FROM audit");
	/* no token, wrong token: refused and nothing written */
	assert_int_equal(e2e_post(&c, "/sign-out", "x=1"), 403);
	assert_int_equal(e2e_post(&c, "/sign-out", "csrf=wrongwrongwrong"), 403);
	assert_true(e2e_has(&c, "security token"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit"), before);
	/* still signed in */
	assert_int_equal(e2e_get(&c, "/"), 200);
	e2e_client_free(&c);
}

static void limits_and_methods(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	/* over the 1 MiB body limit */
	size_t big = (1u << 20) + 10;
	char *body = malloc(big);
	memset(body, 'a', big);
	memcpy(body, "csrf=", 5);
	assert_int_equal(e2e_raw(&c, "POST", "/sign-out",
				 "application/x-www-form-urlencoded", body, big), 413);
	free(body);
	/* a header block over the limit */
	char cookie[40000];
	memset(cookie, 'b', sizeof(cookie) - 1);
	cookie[sizeof(cookie) - 1] = '\0';
	char saved[2048];
	snprintf(saved, sizeof(saved), "%s", c.cookies);
	snprintf(c.cookies, sizeof(c.cookies), "x=%.2000s", cookie);
	long st = e2e_get(&c, "/healthz");
	assert_true(st == 200 || st == 431 || st == 413 || st == 400);
	snprintf(c.cookies, sizeof(c.cookies), "%s", saved);
	/* method not allowed names the allowed ones */
	assert_int_equal(e2e_raw(&c, "DELETE", "/sign-in", NULL, NULL, 0), 405);
	char h[64];
	assert_non_null(e2e_header(&c, "Allow", h, sizeof(h)));
	assert_non_null(strstr(h, "GET"));
	/* unknown page */
	assert_int_equal(e2e_get(&c, "/no/such/page"), 404);
	/* a bad query string */
	assert_int_equal(e2e_get(&c, "/children?q=%zz"), 400);
	/* a form with the wrong content type */
	assert_int_equal(e2e_raw(&c, "POST", "/sign-out", "text/plain", "csrf=x", 6),
			 415);
	e2e_client_free(&c);
}

/* The page has the navigation and the "Sign out" button a signed-in
 * person has on every page. */
static void assert_in_layout(struct e2e_client *c)
{
	assert_true(e2e_has(c, "id=\"navigation\""));
	assert_true(e2e_has(c, ">My work</a>"));
	assert_true(e2e_has(c, ">Sign out</button>"));
}

/* 404 and 403 pages are inside the layout: a signed-in person keeps the
 * navigation and "Sign out" (issue 9: an unknown address lost them);
 * a 403 says what the person's role can do. */
static void error_pages_in_layout(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	/* signed out: the page, with nothing of a signed-in person's */
	assert_int_equal(e2e_get(&c, "/no/such/page"), 404);
	assert_true(e2e_has(&c, "Page not found"));
	assert_false(e2e_has(&c, "Sign out"));
	assert_false(e2e_has(&c, "id=\"navigation\""));

	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	/* an address no page has */
	assert_int_equal(e2e_get(&c, "/no/such/page"), 404);
	assert_true(e2e_has(&c, "Page not found"));
	assert_in_layout(&c);
	assert_true(e2e_has(&c, "href=\"/children\""));
	/* a record that is not there */
	assert_int_equal(e2e_get(&c, "/children/987654321"), 404);
	assert_true(e2e_has(&c, "Page not found"));
	assert_in_layout(&c);
	/* "Sign out" on the 404 page works: it carries the session's token */
	assert_int_equal(e2e_get(&c, "/no/such/page"), 404);
	char form[200];
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, "/sign-out", form), 303);
	assert_int_equal(e2e_get(&c, "/no/such/page"), 404);
	assert_false(e2e_has(&c, "Sign out"));
	e2e_client_free(&c);

	/* a page the role may not use: the layout, and words for the role */
	static const struct {
		const char *user, *path, *words;
	} d[] = {
		{"cllr.demo", "/children", "Councillors can see the dashboard"},
		{"partner.school", "/front-door",
		 "Partner professionals can see the records"},
		{"fd.demo", "/admin/users", "Front door officers can find"},
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		e2e_client_init(&c, &srv);
		assert_true(e2e_sign_in(&c, d[i].user, DEMO_PASSWORD));
		assert_int_equal(e2e_get(&c, d[i].path), 403);
		assert_true(e2e_has(&c, "You do not have access to this page"));
		if (!e2e_has(&c, d[i].words))
			fail_msg("%s GET %s: no \"%s\"", d[i].user, d[i].path,
				 d[i].words);
		assert_in_layout(&c);
		e2e_client_free(&c);
	}
}

/* The footer's pages (issue 9, section 5): each answers signed out,
 * in the layout, with its heading; a signed-in page's footer links to
 * all three, and a signed-in person reading one keeps the navigation. */
static void footer_pages(void **state)
{
	(void)state;
	static const struct {
		const char *path, *heading, *words;
	} p[] = {
		{"/accessibility", ">Accessibility statement for Cairn</h1>",
		 "partially compliant"},
		{"/privacy", ">Privacy notice</h1>", "Article 6(1)(e)"},
		{"/help", ">Help using Cairn</h1>", "Record a contact"},
	};
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		assert_int_equal(e2e_get(&c, p[i].path), 200);
		if (!e2e_has(&c, p[i].heading) || !e2e_has(&c, p[i].words))
			fail_msg("GET %s signed out: no \"%s\" or \"%s\"",
				 p[i].path, p[i].heading, p[i].words);
		assert_true(e2e_has(&c, "class=\"govuk-footer\""));
		assert_false(e2e_has(&c, "Sign out"));
	}
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/"), 200);
	assert_true(e2e_has(&c, "Every view of a child's record"));
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		char link[120];
		snprintf(link, sizeof(link),
			 "<a class=\"govuk-footer__link\" href=\"%s\">",
			 p[i].path);
		if (!e2e_has(&c, link))
			fail_msg("the footer has no link to %s", p[i].path);
	}
	assert_true(e2e_has(&c, ">Accessibility statement</a>"));
	assert_true(e2e_has(&c, ">Privacy notice</a>"));
	assert_true(e2e_has(&c, ">Help</a>"));
	assert_int_equal(e2e_get(&c, "/help"), 200);
	assert_true(e2e_has(&c, ">Help using Cairn</h1>"));
	assert_in_layout(&c);
	e2e_client_free(&c);
}

static void api_errors(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	/* no token */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children", NULL), 401);
	char h[128];
	assert_non_null(e2e_header(&c, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, "application/problem+json");
	assert_true(e2e_has(&c, "\"status\":401"));
	/* a bad token */
	snprintf(c.bearer, sizeof(c.bearer), "not-a-real-token");
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children", NULL), 401);
	/* a real token */
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token", "create",
				   "--db", srv.db, "--username", "fd.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(c.bearer, sizeof(c.bearer), "%s", tok);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children?name=smith&limit=2", NULL), 200);
	/* malformed JSON, wrong content type, limit out of range */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/children", "{\"given_name\": "), 400);
	assert_true(e2e_has(&c, "not valid JSON"));
	assert_int_equal(e2e_raw(&c, "POST", "/api/v1/children", "text/plain", "{}", 2),
			 415);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children?name=smith&limit=5000", NULL), 400);
	assert_true(e2e_has(&c, "\"field\":\"limit\""));
	/* a councillor's token may not read children */
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token", "create",
				   "--db", srv.db, "--username", "cllr.demo", NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(c.bearer, sizeof(c.bearer), "%s", tok);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children", NULL), 403);
	e2e_client_free(&c);
}

static void openapi_matches_routes(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/api/v1/openapi.json"), 200);
	assert_true(e2e_has(&c, "\"openapi\":\"3.0.3\""));
	assert_true(e2e_has(&c, "\"/api/v1/children\""));
	assert_true(e2e_has(&c, "\"/api/v1/children/{id}\""));
	assert_true(e2e_has(&c, "application/problem+json"));
	e2e_client_free(&c);
}

/* Runs last: the chain is intact after everything above, and broken
 * once a row is changed behind the server's back. */
static void audit_chain(void **state)
{
	(void)state;
	char out[512];
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM audit") > 5);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit", "verify",
				   "--db", srv.db, NULL), 0);
	assert_non_null(strstr(out, "council nwd: intact; "));
	assert_non_null(strstr(out, "audit chain intact: 1 council, "));
	/* a change to row 3, whatever its action was (a row that already
	 * said "read" would not have changed with "SET action = 'read'") */
	assert_int_equal(e2e_sql_exec(&srv, "UPDATE audit SET action ="
				      " action || '-changed' WHERE seq = 3"), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit", "verify",
				   "--db", srv.db, NULL), 1);
	assert_non_null(strstr(out, "council nwd: BROKEN at row 3: "));
	assert_non_null(strstr(out, "audit chain BROKEN: council nwd, row 3"));
}

static void no_personal_data_in_log(void **state)
{
	(void)state;
	/* the log must hold no child's name: take every family name from the
	 * database and look for it in the server's log */
	FILE *f = fopen(srv.log, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *log = malloc((size_t)n + 1);
	assert_int_equal(fread(log, 1, (size_t)n, f), (size_t)n);
	log[n] = '\0';
	fclose(f);
	assert_true(n > 100);
	assert_null(strstr(log, DEMO_PASSWORD));
	assert_null(strstr(log, "\"q\""));
	long long kids = e2e_sql_int(&srv, "SELECT count(*) FROM child");
	assert_true(kids > 0);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(security_headers),
		cmocka_unit_test(health_and_metrics),
		cmocka_unit_test(sign_in_flow),
		cmocka_unit_test(wrong_password_and_throttle),
		cmocka_unit_test(sign_in_csrf),
		cmocka_unit_test(page_csrf),
		cmocka_unit_test(limits_and_methods),
		cmocka_unit_test(error_pages_in_layout),
		cmocka_unit_test(footer_pages),
		cmocka_unit_test(api_errors),
		cmocka_unit_test(openapi_matches_routes),
		cmocka_unit_test(no_personal_data_in_log),
		cmocka_unit_test(audit_chain),
	};
	return cmocka_run_group_tests_name("e2e_core", tests, up, down);
}
