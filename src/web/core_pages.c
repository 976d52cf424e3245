/*
 * core_pages.c: signing in and out, /healthz, /metrics and the OpenAPI
 * document.  "My work" at / belongs to the front-door module.
 */
#include "api/api.h"
#include "audit/audit.h"
#include "auth/throttle.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/html.h"
#include "web/drafts.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/sections.h"
#include "web/routes.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PRE_COOKIE "cairn_pre"

static const char *cookie_attrs(const struct req *r)
{
	return r->app->cfg.cookie_secure ? "; Path=/; HttpOnly; Secure; SameSite=Strict"
					 : "; Path=/; HttpOnly; SameSite=Strict";
}

/* A local path to go back to after signing in, or "/". */
static const char *safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == '\\')
			return "/";
	return next;
}

static void sign_in_form(struct req *r, const struct field_errors *e,
			 const char *username, const char *council,
			 const char *pre, int status)
{
	sbuf_reset(page_out(r));
	page_begin(r, "Sign in", e);
	struct sbuf *o = page_out(r);
	if (req_query(r, "kept") || req_form(r, "kept")) {
		/* sent here from a form posted on an expired session */
		html_raw(o, "<div class=\"govuk-inset-text\">You were signed "
			    "out because you had not used the service for a "
			    "while. What you typed has been kept: sign in again "
			    "to see it and send it.</div>");
	}
	html_raw(o, "<form method=\"post\" action=\"/sign-in\" novalidate>");
	form_hidden(r, "csrf", pre);
	form_hidden(r, "next", safe_next(req_query(r, "next") ? req_query(r, "next")
							      : req_form(r, "next")));
	if (req_query(r, "kept") || req_form(r, "kept"))
		form_hidden(r, "kept", "1");
	form_input(r, e, "username", "Username", NULL, username,
		   "govuk-!-width-one-half", "username", NULL);
	/* a username is unique only within its council (D26): where the
	 * deployment has several councils, the person may name theirs */
	if (r->app->ncals > 1)
		form_input(r, e, "council", "Council code (optional)",
			   "Only needed if your username is used by more than "
			   "one council", council, "govuk-input--width-10",
			   "organization", NULL);
	form_input(r, e, "password", "Password", NULL, "",
		   "govuk-!-width-one-half", "current-password", "password");
	form_button(r, "Sign in", false);
	html_raw(o, "</form>");
	page_end(r);
	page_send(r, status);
}

static const char *new_pre_token(struct req *r)
{
	char tok[TOKEN_LEN + 1];
	token_new(tok);
	char *cookie = arena_printf(r->a, "%s=%s%s", PRE_COOKIE, tok,
				    cookie_attrs(r));
	if (cookie)
		http_add_header(r->ex, "Set-Cookie", cookie);
	return arena_strdup(r->a, tok);
}

static void sign_in_get(struct req *r)
{
	if (r->authed) {
		page_redirect(r, safe_next(req_query(r, "next")));
		return;
	}
	sign_in_form(r, NULL, "", "", new_pre_token(r), 200);
}

static const char *pre_cookie(struct req *r)
{
	return req_cookie(r, PRE_COOKIE);
}

static void sign_in_post(struct req *r)
{
	struct field_errors e = {0};
	const char *username = req_form(r, "username");
	const char *council = req_form(r, "council");
	const char *password = req_form(r, "password");
	const char *csrf = req_form(r, "csrf");
	const char *pre = pre_cookie(r);
	if (pre == NULL || csrf == NULL || !token_equal(pre, csrf)) {
		log_kv(LOG_WARN, r->ex->rid, "csrf.rejected", "route",
		       "/sign-in", NULL);
		fe_set(&e, "username", "Your sign-in form expired. Sign in again.");
		sign_in_form(r, &e, username, council, new_pre_token(r), 403);
		return;
	}
	if (username == NULL || username[0] == '\0')
		fe_set(&e, "username", "Enter your username");
	if (password == NULL || password[0] == '\0')
		fe_set(&e, "password", "Enter your password");
	if (e.n) {
		sign_in_form(r, &e, username, council, pre, 422);
		return;
	}
	int64_t now = r->act.now;
	char *ukey = arena_printf(r->a, "u:%s", username);
	char *akey = arena_printf(r->a, "a:%s", r->ex->ip);
	int retry = 0;
	/* Each throttle reserves the attempt before the slow hash and
	 * settles it after, so parallel attempts cannot slip past it.
	 * The counts are in the store, shared by every server process
	 * (D6, D43); a store that fails refuses the attempt. */
	bool have_u = ukey && akey &&
		      throttle_reserve_db(r->app->throttle, r->db, ukey, now,
					  &retry) == 1;
	bool have_a = have_u &&
		      throttle_reserve_db(r->app->throttle_addr, r->db, akey,
					  now, &retry) == 1;
	if (!have_a) {
		if (have_u)
			throttle_settle_db(r->app->throttle, r->db, ukey, now,
					   THROTTLE_UNUSED);
		log_kv(LOG_WARN, r->ex->rid, "auth.throttled", NULL);
		fe_set(&e, "username",
			   retry <= 60
			   ? "Too many failed attempts. Wait a minute and try "
			     "again."
			   : arena_printf(r->a, "Too many failed attempts. "
					  "Wait %d minutes and try again.",
					  (retry + 59) / 60));
		sign_in_form(r, &e, username, council, pre, 429);
		return;
	}
	struct user u;
	db_set_role(r->db, DB_ROLE_AUTH);
	int rc = user_authenticate(r->db,
				   council && council[0] ? council : NULL,
				   username, password, &u);
	throttle_settle_db(r->app->throttle, r->db, ukey, now,
			   rc == 0 ? THROTTLE_FAILED
			   : rc > 0 ? THROTTLE_SUCCEEDED : THROTTLE_UNUSED);
	throttle_settle_db(r->app->throttle_addr, r->db, akey, now,
			   rc == 0 ? THROTTLE_FAILED : THROTTLE_UNUSED);
	db_set_role(r->db, DB_ROLE_AUTH);
	if (rc < 0) {
		page_error(r, 503, "Sorry, there is a problem with the service",
			   "Try again later.");
		return;
	}
	if (rc == 0) {
		log_kv(LOG_INFO, r->ex->rid, "auth.failed", NULL);
		fe_set(&e, "username",
			   "Enter a correct username and password");
		sign_in_form(r, &e, username, council, pre, 401);
		return;
	}
	char tok[TOKEN_LEN + 1], csrf_tok[TOKEN_LEN + 1];
	r->user = u;
	r->authed = true;
	/* the session and its audit row are the user's council's (D43) */
	db_set_council(r->db, u.council);
	struct audit_event ev;
	req_audit_event(r, &ev, "sign-in", "session", 0, 0);
	if (db_begin(r->db, DB_TX_WRITE) != DB_OK ||
	    session_create(r->db, u.council, u.user_id, (int64_t)now, tok,
			   csrf_tok) != 0 ||
	    audit_append(r->db, &ev) != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		r->authed = false;
		page_error(r, 503, "Sorry, there is a problem with the service",
			   "Try again later.");
		return;
	}
	char *cookie = arena_printf(r->a, "cairn_session=%s%s", tok,
				    cookie_attrs(r));
	if (cookie)
		http_add_header(r->ex, "Set-Cookie", cookie);
	drafts_signed_in(r);
	page_redirect(r, safe_next(req_form(r, "next")));
}

static void sign_out(struct req *r)
{
	struct audit_event ev;
	req_audit_event(r, &ev, "sign-out", "session", 0, 0);
	db_set_role(r->db, DB_ROLE_AUTH);
	db_set_council(r->db, r->user.council); /* D43 */
	if (db_begin(r->db, DB_TX_WRITE) == DB_OK) {
		if (session_destroy(r->db, r->session_token) >= 0 &&
		    audit_append(r->db, &ev) == DB_OK)
			db_commit(r->db);
		else
			db_rollback(r->db);
	}
	char *cookie = arena_printf(r->a, "cairn_session=; Max-Age=0%s",
				    cookie_attrs(r));
	if (cookie)
		http_add_header(r->ex, "Set-Cookie", cookie);
	page_redirect(r, "/sign-in");
}

DB_STMT(st_health) = {
	"health_ping", "SELECT 1", DB_ROLE_AUTH,
};

static void healthz(struct req *r)
{
	db_set_role(r->db, DB_ROLE_AUTH);
	int rc = db_exec0(r->db, &st_health, NULL);
	r->ex->out_type = "application/json";
	if (rc == DB_ROW) {
		r->ex->status = 200;
		sbuf_adds(&r->ex->out, "{\"status\":\"ok\"}\n");
	} else {
		r->ex->status = 503;
		sbuf_adds(&r->ex->out, "{\"status\":\"store unavailable\"}\n");
	}
}

/* True when the request carries the configured metrics token.  The
 * comparison takes the same time wherever the first difference is. */
static bool metrics_allowed(const struct req *r)
{
	const char *want = r->app->cfg.metrics_token;
	const char *h = r->ex->authorization;
	if (want == NULL || h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return false;
	size_t n = strlen(want);
	return strlen(h + 7) == n && sodium_memcmp(h + 7, want, n) == 0;
}

/* /metrics: counters only, no personal data, but still not for anyone
 * who asks (they show the service's load and errors): off unless
 * metrics_token is set, and then only with that bearer token.  Refused
 * exactly like an address that does not exist. */
static void metrics(struct req *r)
{
	if (!metrics_allowed(r)) {
		page_error(r, 404, "Page not found",
			   "If you typed the web address, check it is correct.");
		return;
	}
	struct http_counters c;
	http_server_counters(r->app->http, &c);
	struct sbuf *o = &r->ex->out;
	sbuf_adds(o, "# HELP cairn_http_requests_total Requests answered, by "
		     "status class.\n# TYPE cairn_http_requests_total counter\n");
	for (int i = 1; i <= 5; i++)
		sbuf_printf(o, "cairn_http_requests_total{class=\"%dxx\"} %llu\n",
			    i, (unsigned long long)c.by_class[i]);
	sbuf_adds(o, "# HELP cairn_http_request_duration_seconds Time from "
		     "request to response.\n# TYPE "
		     "cairn_http_request_duration_seconds histogram\n");
	static const char *const le[8] = {"0.001", "0.002", "0.005", "0.01",
					  "0.02",  "0.05",  "0.1",   "+Inf"};
	uint64_t cum = 0;
	for (int i = 0; i < 8; i++) {
		cum += c.latency_buckets[i];
		sbuf_printf(o,
			    "cairn_http_request_duration_seconds_bucket{le=\"%s\"} "
			    "%llu\n", le[i], (unsigned long long)cum);
	}
	sbuf_printf(o, "cairn_http_request_duration_seconds_sum %.6f\n",
		    (double)c.latency_us_sum / 1e6);
	sbuf_printf(o, "cairn_http_request_duration_seconds_count %llu\n",
		    (unsigned long long)c.requests);
	uint64_t batches = 0, rows = 0;
	if (r->app->audit)
		audit_batcher_stats(r->app->audit, &batches, &rows);
	sbuf_printf(o, "# HELP cairn_audit_read_batches_total Group commits "
		       "of read audit rows.\n# TYPE cairn_audit_read_batches_total "
		       "counter\ncairn_audit_read_batches_total %llu\n"
		       "# HELP cairn_audit_read_rows_total Read audit rows "
		       "committed.\n# TYPE cairn_audit_read_rows_total counter\n"
		       "cairn_audit_read_rows_total %llu\n",
		    (unsigned long long)batches, (unsigned long long)rows);
	sbuf_printf(o, "# HELP cairn_http_connections_refused_total "
		       "Connections refused at the per-address cap.\n"
		       "# TYPE cairn_http_connections_refused_total counter\n"
		       "cairn_http_connections_refused_total %llu\n"
		       "# HELP cairn_http_connections_reaped_total Connections "
		       "closed at the request deadline.\n"
		       "# TYPE cairn_http_connections_reaped_total counter\n"
		       "cairn_http_connections_reaped_total %llu\n",
		    (unsigned long long)c.refused, (unsigned long long)c.reaped);
	sbuf_printf(o, "# HELP cairn_http_in_flight Requests being served.\n"
		       "# TYPE cairn_http_in_flight gauge\n"
		       "cairn_http_in_flight %llu\n",
		    (unsigned long long)c.in_flight);
	r->ex->status = 200;
	r->ex->out_type = "text/plain; version=0.0.4; charset=utf-8";
}

static void openapi(struct req *r)
{
	api_openapi(r);
}

/* ---- My work ---------------------------------------------------------- */

/* For a user with no part of "My work": where to go. */
static void links_page(struct req *r)
{
	static const struct {
		enum perm perm;
		const char *href, *text;
	} links[] = {
		{PERM_CHILD_SEARCH, "/children", "Find a child"},
		{PERM_AGGREGATES, "/dashboard",
		 "See the dashboard (counts only, no names)"},
		{PERM_USER_ADMIN, "/admin/users", "Manage user accounts"},
		{PERM_SERVICES_ADMIN, "/services",
		 "Keep the council's service directory"},
	};
	struct sbuf *o = page_out(r);
	int n = 0;
	page_h2(r, "What you can do");
	html_raw(o, "<ul class=\"govuk-list govuk-list--bullet\">");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (!req_can(r, links[i].perm))
			continue;
		html_raw(o, "<li>");
		page_link(r, links[i].href, links[i].text);
		html_raw(o, "</li>");
		n++;
	}
	html_raw(o, "</ul>");
	if (n == 0)
		page_para(r, "Your role has no tasks in Cairn yet. Ask your "
			  "administrator if you need access.");
}

/* "My work": every module's parts the user has (web/sections.h), read in
 * one snapshot; their audit rows are made durable in the server's group
 * commit (D57) before anything is written.  Without the group commit
 * (tests driving the pipeline alone) the parts are read in one write
 * transaction with their audit rows. */
static void my_work(struct req *r)
{
	int n, k = 0;
	const struct work_section *v = work_sections(&n);
	void **data = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*data));
	bool *on = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*on));
	bool own = false;
	int rc = ERR_NOMEM;
	if (data && on && r->act.audit_read) {
		rc = err_from_db(db_begin(r->db, DB_TX_READ));
		own = rc == ERR_OK;
	} else if (data && on) {
		rc = tx_begin(r->db, &own);
	}
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		on[i] = v[i].wants(r);
		k += on[i];
		if (on[i] && v[i].load)
			rc = v[i].load(r, &data[i]);
	}
	if (data && on)
		rc = tx_end(r->db, own, rc);
	/* the children listed are audited by app_handle's flush, before
	 * the page leaves (or it is replaced by an error) */
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "My work", NULL);
	for (int i = 0; i < n; i++)
		if (on[i])
			v[i].render(r, data[i]);
	if (k == 0)
		links_page(r);
	page_end(r);
	page_send(r, 200);
}

/* My work's parts may page and filter (web/sections.h). */
static const struct param_spec p_my_work[] = {
	PAGE_NUMBER_PARAM,
	{"show", PARAM_LINE, 16, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_sign_in[] = {
	{"username", PARAM_LINE, 64, false},
	{"council", PARAM_LINE, 15, false},
	{"password", PARAM_LINE, 1024, false},
	{"csrf", PARAM_TOKEN, 64, false},
	{"next", PARAM_LINE, 512, false},
	{"kept", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

const struct route core_routes[] = {
	{HTTP_GET, "/", PERM_SIGNED_IN, 0, p_my_work, my_work, "My work", NULL},
	{HTTP_GET, "/sign-in", PERM_PUBLIC, 0, p_sign_in, sign_in_get,
	 "Sign-in form", NULL},
	{HTTP_POST, "/sign-in", PERM_PUBLIC, ROUTE_NO_CSRF, p_sign_in,
	 sign_in_post, "Sign in", NULL},
	{HTTP_POST, "/sign-out", PERM_SIGNED_IN, ROUTE_FORM, NULL, sign_out,
	 "Sign out", NULL},
	{HTTP_GET, "/healthz", PERM_PUBLIC, 0, NULL, healthz,
	 "Liveness and store check", NULL},
	{HTTP_GET, "/metrics", PERM_PUBLIC, 0, NULL, metrics,
	 "Prometheus metrics (no personal data); needs the metrics_token", NULL},
	{HTTP_GET, "/api/v1/openapi.json", PERM_PUBLIC, ROUTE_API, NULL,
	 openapi, "This document", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
