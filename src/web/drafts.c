/*
 * drafts.c: the pipeline's draft steps and the draft pages.  See
 * web/drafts.h for the flow and docs/decisions.md D24 for the choices.
 */
#include "web/drafts.h"
#include "audit/audit.h"
#include "auth/seal.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/log.h"
#include "draft/draft.h"
#include "http/html.h"
#include "referral/referral.h"
#include "web/app.h"
#include "rules/uktime.h"
#include "web/page.h"
#include "web/routes.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static struct draft_ctx ctx_of(struct req *r)
{
	struct draft_ctx x = {r->db, r->app->key, r->a, r->user.council,
			      r->user.user_id, r->act.now};
	return x;
}

static const char *cookie_attrs(const struct req *r)
{
	return r->app->cfg.cookie_secure
	       ? "; Path=/; HttpOnly; Secure; SameSite=Strict"
	       : "; Path=/; HttpOnly; SameSite=Strict";
}

/* The hint cookie: on for a day after a draft is written, or off. */
static void set_hint(struct req *r, bool on)
{
	char *c = arena_printf(r->a, "%s=%s%s", DRAFTS_COOKIE,
			       on ? "1; Max-Age=86400" : "; Max-Age=0",
			       cookie_attrs(r));
	if (c)
		http_add_header(r->ex, "Set-Cookie", c);
}

static bool has_hint(struct req *r)
{
	return req_cookie(r, DRAFTS_COOKIE) != NULL;
}

/* s when it is a local address we may send a browser to: one path on
 * this site ("/..." but not "//" or "/\"), printable ASCII without
 * spaces, at most 1 KiB; else NULL. */
static const char *local_page(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return NULL;
	size_t n = 0;
	for (const char *p = s; *p; p++, n++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e ||
		    *p == '\\' || *p == '"' || n >= 1024)
			return NULL;
	return s;
}

/* A child's id when the form's path names one ("/children/5/..."). */
static int64_t child_of(const char *path)
{
	if (strncmp(path, "/children/", 10) != 0)
		return 0;
	const char *s = path + 10, *e = strchr(s, '/');
	int64_t id = 0;
	if (!decode_path_segment_id(s, e ? (size_t)(e - s) : strlen(s), &id))
		return 0;
	return id;
}

static int audit_draft(struct req *r, const char *action, int64_t id,
		       const char *path)
{
	struct audit_event ev;
	req_audit_event(r, &ev, action, "draft", id, child_of(path));
	return audit_append(r->db, &ev);
}

/* True for a field that must never be kept: the CSRF token and anything
 * named like a password (route parameters are declared in lower case). */
static bool never_kept(const char *name)
{
	return strcmp(name, "csrf") == 0 || strstr(name, "password") ||
	       strstr(name, "passphrase");
}

/* The route's declared fields of raw, as a form body in the arena (the
 * order and repeats kept: checkboxes, date parts).  Returns 0, or -1
 * when the form breaks the route's declarations (the handler would
 * refuse it too) or the arena is spent. */
static int kept_fields(struct req *r, const struct decode_params *raw,
		       const char **body, size_t *len)
{
	struct decode_params f;
	const char *field, *why;
	if (!router_filter(r->a, r->route->params, raw, &f, &field, &why))
		return -1;
	struct sbuf sb;
	sbuf_init(&sb, r->app->cfg.body_limit * 3 + 64);
	for (size_t i = 0; i < f.n; i++) {
		if (never_kept(f.v[i].key))
			continue;
		if (sb.len)
			sbuf_addc(&sb, '&');
		html_url_component(&sb, f.v[i].key);
		sbuf_addc(&sb, '=');
		html_url_component(&sb, f.v[i].val);
	}
	int rc = -1;
	if (!sb.toobig) {
		char *c = arena_strndup(r->a, sb.len ? sb.buf : "", sb.len);
		if (c) {
			*body = c;
			*len = sb.len;
			rc = 0;
		}
	}
	sbuf_release(&sb);
	return rc;
}

/* Stores a draft of this request's form for r->user and audits it, in
 * one transaction.  Returns the new id, or a negative db_err. */
static int64_t keep(struct req *r, enum draft_kind kind, const char *body,
		    size_t len, const char *form_page)
{
	const char *fp = "", *fq = "";
	if (form_page) {
		const char *qm = strchr(form_page, '?');
		fp = qm ? arena_strndup(r->a, form_page,
					(size_t)(qm - form_page)) : form_page;
		fq = qm ? qm + 1 : "";
		if (fp == NULL)
			return DB_EIO;
	}
	struct draft_ctx x = ctx_of(r);
	int64_t id = 0, old = 0;
	int rc = db_begin(r->db, DB_TX_WRITE);
	if (rc == DB_OK)
		rc = draft_put(&x, kind, r->ex->path, fp, fq, body, len, &id,
			       &old);
	if (rc == DB_OK && old)
		rc = audit_draft(r, "delete", old, r->ex->path);
	if (rc == DB_OK)
		rc = audit_draft(r, "create", id, r->ex->path);
	if (rc == DB_OK)
		rc = db_commit(r->db);
	if (rc != DB_OK) {
		db_rollback(r->db);
		log_kv(LOG_ERROR, r->ex->rid, "draft.keep_failed", "error",
		       db_strerror(rc), NULL);
		return rc;
	}
	set_hint(r, true);
	return id;
}

int drafts_keep_expired(struct req *r)
{
	if (r->app->key == NULL || !r->session_expired ||
	    r->ex->method != HTTP_POST || !(r->route->flags & ROUTE_FORM) ||
	    r->ex->content_type == NULL ||
	    strncasecmp(r->ex->content_type,
			"application/x-www-form-urlencoded", 33) != 0)
		return 0;
	struct decode_params raw;
	if (decode_query(r->a, r->ex->body, r->ex->body_len, 200, 256u << 10,
			 &raw) != DECODE_OK)
		return 0;
	/* only a form the expired session itself was shown: its CSRF token
	 * proves it, so nobody can plant a draft for someone else */
	if (!token_equal(decode_params_get(&raw, "csrf"), r->expired.csrf))
		return 0;
	struct user u;
	if (user_get(r->db, r->expired.council, r->expired.user_id, &u) != 1 ||
	    u.disabled)
		return 0;
	const char *body;
	size_t len;
	if (kept_fields(r, &raw, &body, &len) != 0)
		return 0;
	r->user = u; /* for the audit row; r->authed stays false */
	db_set_council(r->db, u.council); /* the draft is its council's (D43) */
	int64_t id = keep(r, DRAFT_KEPT, body, len,
			  local_page(decode_params_get(&raw, "_form")));
	if (id < 0) {
		memset(&r->user, 0, sizeof(r->user));
		return 0;
	}
	log_kv(LOG_INFO, r->ex->rid, "draft.kept", NULL);
	char *loc = arena_printf(r->a, "/sign-in?next=/drafts/%lld&kept=1",
				 (long long)id);
	page_redirect(r, loc ? loc : "/sign-in");
	return 1;
}

int drafts_intercept(struct req *r, const struct decode_params *raw)
{
	if (r->app->key == NULL || !r->authed)
		return 0;
	r->form_page = local_page(decode_params_get(raw, "_form"));
	const char *d = decode_params_get(raw, "_draft");
	if (d == NULL || strcmp(d, "save") != 0)
		return 0;
	const char *body;
	size_t len;
	if (kept_fields(r, raw, &body, &len) != 0)
		return 0; /* the filter answers as it would have */
	int64_t id = keep(r, DRAFT_SAVED, body, len, r->form_page);
	if (id < 0) {
		page_error(r, 503, "Sorry, your draft could not be saved",
			   "Nothing was saved. Go back to keep what you typed "
			   "and try again later.");
		return 1;
	}
	page_redirect(r, r->form_page ? r->form_page
		      : arena_printf(r->a, "/drafts/%lld", (long long)id));
	return 1;
}

/* Reads the page's draft in a write transaction with its audit row. */
static int load_audited(struct req *r, struct draft *d)
{
	struct draft_ctx x = ctx_of(r);
	int rc = db_begin(r->db, DB_TX_WRITE);
	if (rc != DB_OK)
		return rc;
	rc = draft_find_page(&x, r->ex->path, d);
	if (rc == 1 && audit_draft(r, "read", d->draft_id, d->path) != DB_OK)
		rc = DB_EIO;
	if (rc >= 0 && db_commit(r->db) != DB_OK)
		rc = DB_EIO;
	if (rc < 0)
		db_rollback(r->db);
	return rc;
}

void drafts_load(struct req *r)
{
	if (r->app->key == NULL || !r->authed || !has_hint(r))
		return;
	struct draft_ctx x = ctx_of(r);
	struct draft d;
	/* the common case, no draft for this page, reads without writing */
	int rc = draft_find_page(&x, r->ex->path, &d);
	if (rc == 0) {
		struct draft *v;
		int n;
		if (draft_list(&x, &v, &n) == 0 && n == 0)
			set_hint(r, false);
		return;
	}
	if (rc == 1)
		rc = load_audited(r, &d);
	if (rc != 1) {
		if (rc < 0)
			log_kv(LOG_WARN, r->ex->rid, "draft.load_failed",
			       "error", db_strerror(rc), NULL);
		return;
	}
	struct decode_params f;
	if (decode_query(r->a, d.body, d.body_len, 1000, d.body_len + 1, &f) !=
	    DECODE_OK)
		return;
	struct draft *keep_d = arena_alloc(r->a, sizeof(*keep_d));
	if (keep_d == NULL)
		return;
	*keep_d = d;
	r->draft = keep_d;
	r->draft_fields = f;
}

void drafts_after_post(struct req *r)
{
	if (r->app->key == NULL || !r->authed || r->ex->status != 303 ||
	    !(r->route->flags & ROUTE_FORM) ||
	    strncmp(r->ex->path, "/drafts/", 8) == 0 || !has_hint(r))
		return;
	if (r->db == NULL)
		req_acquire_db(r, r->app->db);
	req_db_role(r);
	if (db_in_tx(r->db))
		db_rollback(r->db);
	struct draft_ctx x = ctx_of(r);
	int64_t id = 0;
	int rc = db_begin(r->db, DB_TX_WRITE);
	if (rc == DB_OK)
		rc = draft_for_path(&x, r->ex->path, &id);
	if (rc == 1) {
		rc = draft_delete(&x, id);
		if (rc >= 0)
			rc = audit_draft(r, "delete", id, r->ex->path);
	}
	if (rc >= 0)
		rc = db_commit(r->db);
	if (rc < 0) {
		db_rollback(r->db);
		log_kv(LOG_WARN, r->ex->rid, "draft.delete_failed", "error",
		       db_strerror(rc), NULL);
	}
}

void drafts_signed_in(struct req *r)
{
	if (r->app->key == NULL)
		return;
	struct draft_ctx x = ctx_of(r);
	int rc = draft_purge(r->db, x.now);
	struct draft *v;
	int n = 0;
	if (rc >= 0)
		rc = draft_list(&x, &v, &n);
	if (rc < 0)
		log_kv(LOG_WARN, r->ex->rid, "draft.purge_failed", "error",
		       db_strerror(rc), NULL);
	else if (n > 0)
		set_hint(r, true);
}

const char *drafts_value(const struct req *r, const char *name,
			 const char *given, bool choice)
{
	if (!r->draft_on)
		return given;
	const char *v = decode_params_get(&r->draft_fields, name);
	return v ? v : choice ? NULL : given;
}

bool drafts_chosen(const struct req *r, const char *name, const char *value,
		   bool *applies)
{
	*applies = r->draft_on;
	if (!r->draft_on)
		return false;
	const struct decode_params *f = &r->draft_fields;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, name) == 0 &&
		    strcmp(f->v[i].val, value) == 0)
			return true;
	return false;
}

const char *drafts_form_page(struct req *r)
{
	if (r->ex->method == HTTP_GET || r->ex->method == HTTP_HEAD) {
		const char *p = r->ex->query_len
				? arena_printf(r->a, "%s?%.*s", r->ex->path,
					       (int)r->ex->query_len,
					       r->ex->query)
				: r->ex->path;
		const char *ok = local_page(p);
		return ok ? ok : local_page(r->ex->path);
	}
	return r->form_page;
}

/* "14:05 on 7 April 2025", UK time. */
static const char *when(struct req *r, int64_t t)
{
	struct cal_time uk = uk_civil(t);
	char ymd[16];
	snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", uk.date.y, uk.date.m,
		 uk.date.d);
	return arena_printf(r->a, "%02d:%02d on %s", uk.hh, uk.mm,
			    page_when(r, ymd));
}

static void discard_form(struct req *r, int64_t id)
{
	form_begin(r, arena_printf(r->a, "/drafts/%lld/discard", (long long)id));
	form_button(r, "Discard draft", true);
	form_end(r);
}

void drafts_banner(struct req *r)
{
	const struct draft *d = r->draft;
	if (d == NULL)
		return;
	struct sbuf *o = page_out(r);
	bool kept = d->kind == DRAFT_KEPT;
	html_raw(o, "<div class=\"govuk-notification-banner\" role=\"region\" "
		    "aria-labelledby=\"draft-banner-title\" "
		    "data-module=\"govuk-notification-banner\">"
		    "<div class=\"govuk-notification-banner__header\">"
		    "<h2 class=\"govuk-notification-banner__title\" "
		    "id=\"draft-banner-title\">Important</h2></div>"
		    "<div class=\"govuk-notification-banner__content\">"
		    "<p class=\"govuk-notification-banner__heading\">");
	html_text(o, kept ? "Your work was kept" : "Draft saved");
	html_raw(o, "</p><p class=\"govuk-body\">");
	html_text(o, kept ? "You were signed out before the form was sent, so "
			    "what you typed was kept for you. Check it and "
			    "send the form again."
			  : arena_printf(r->a, "You saved this draft at %s. "
					 "The form below shows it.",
					 when(r, d->created_at)));
	html_raw(o, "</p><p class=\"govuk-body\">");
	html_text(o, arena_printf(r->a, "Only you can see it. It is deleted "
				  "when you send the form, or at %s.",
				  when(r, d->expires_at)));
	html_raw(o, "</p>");
	discard_form(r, d->draft_id);
	html_raw(o, "</div></div>");
}

/* ---- pages ---------------------------------------------------------- */

/* What the form posting to path does, from the route table's summary. */
static const char *form_name(const char *path)
{
	int64_t ids[ROUTER_MAX_IDS];
	int n;
	for (const struct route *rt = app_routes(); rt->pattern; rt++)
		if (rt->method == HTTP_POST && !(rt->flags & ROUTE_API) &&
		    router_match(rt->pattern, path, ids, &n))
			return rt->summary;
	return "A form";
}

static void fail_store(struct req *r)
{
	page_error(r, 503, "Sorry, there is a problem with the service",
		   "Try again later.");
}

static void drafts_list_page(struct req *r)
{
	struct draft_ctx x = ctx_of(r);
	struct draft *v;
	int n;
	if (draft_list(&x, &v, &n) != 0) {
		fail_store(r);
		return;
	}
	if (req_audit_read(r, "read", "draft", 0, 0) != 0) {
		fail_store(r);
		return;
	}
	sbuf_reset(page_out(r));
	page_begin(r, "Your drafts", NULL);
	if (req_query(r, "discarded"))
		page_banner(r, "Draft discarded");
	page_para(r, "What you saved as a draft, or typed when you were "
		     "signed out, is kept here for 24 hours. Only you can see "
		     "it.");
	if (n == 0) {
		page_para(r, "You have no drafts.");
	} else {
		static const char *const heads[] = {"Form", "Kept because",
						    "Deleted at"};
		page_table_begin(r, "Your drafts", heads, 3);
		for (int i = 0; i < n; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, arena_printf(r->a, "/drafts/%lld",
						  (long long)v[i].draft_id),
				  form_name(v[i].path));
			page_cell_end(r);
			page_cell(r, v[i].kind == DRAFT_KEPT
				  ? "You were signed out" : "You saved it");
			page_cell(r, when(r, v[i].expires_at));
			page_row_end(r);
		}
		page_table_end(r);
	}
	page_end(r);
	page_send(r, 200);
}

static void not_found(struct req *r)
{
	page_error(r, 404, "This draft is no longer available",
		   "Drafts are kept for 24 hours, and are deleted when the "
		   "form is sent or the draft is discarded.");
}

/* Ends the write transaction in which a draft was looked for: when it
 * was found (rc 1), audits `action` on it and commits; else (not there:
 * 0; a store error: < 0) rolls back and answers.  Returns true when the
 * transaction committed. */
static bool draft_commit(struct req *r, int rc, const char *action,
			 const struct draft *d)
{
	if (rc == 1 && (audit_draft(r, action, d->draft_id, d->path) != DB_OK ||
			db_commit(r->db) != DB_OK))
		rc = DB_EIO;
	if (rc == 1)
		return true;
	db_rollback(r->db);
	if (rc == 0)
		not_found(r);
	else
		fail_store(r);
	return false;
}

/* /drafts/{id}: back to the page that shows the form, which the draft
 * then fills; a draft whose page is unknown is shown here, to copy. */
static void draft_open_page(struct req *r)
{
	struct draft_ctx x = ctx_of(r);
	struct draft d;
	int rc = draft_get(&x, r->ids[0], false, &d);
	if (rc < 0) {
		fail_store(r);
		return;
	}
	if (rc == 0) {
		not_found(r);
		return;
	}
	if (d.form_path[0]) {
		page_redirect(r, d.form_query[0]
			      ? arena_printf(r->a, "%s?%s", d.form_path,
					     d.form_query)
			      : d.form_path);
		return;
	}
	/* found (1), gone meanwhile (0), or a store error (< 0) */
	rc = db_begin(r->db, DB_TX_WRITE);
	if (rc == DB_OK)
		rc = draft_get(&x, r->ids[0], true, &d);
	if (!draft_commit(r, rc, "read", &d))
		return;
	struct decode_params f;
	if (decode_query(r->a, d.body, d.body_len, 1000, d.body_len + 1, &f) !=
	    DECODE_OK) {
		fail_store(r);
		return;
	}
	sbuf_reset(page_out(r));
	page_begin(r, "Your work was kept", NULL);
	page_para(r, arena_printf(r->a, "This is what you typed into \"%s\". "
				  "Copy what you need, then discard the draft.",
				  form_name(d.path)));
	summary_begin(r);
	for (size_t i = 0; i < f.n; i++)
		summary_row(r, f.v[i].key, f.v[i].val);
	summary_end(r);
	discard_form(r, d.draft_id);
	page_end(r);
	page_send(r, 200);
}

static void draft_discard(struct req *r)
{
	struct draft_ctx x = ctx_of(r);
	struct draft d;
	/* deleted (1), not there (0), or a store error (< 0) */
	int rc = db_begin(r->db, DB_TX_WRITE);
	if (rc == DB_OK)
		rc = draft_get(&x, r->ids[0], false, &d);
	if (rc == 1)
		rc = draft_delete(&x, d.draft_id);
	if (!draft_commit(r, rc, "delete", &d))
		return;
	page_redirect(r, "/drafts?discarded=1");
}

static const struct param_spec p_list[] = {
	{"discarded", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

const struct route draft_page_routes[] = {
	{HTTP_GET, "/drafts", PERM_SIGNED_IN, 0, p_list, drafts_list_page,
	 "Your drafts", NULL},
	{HTTP_GET, "/drafts/{id}", PERM_SIGNED_IN, 0, NULL, draft_open_page,
	 "Open a draft", NULL},
	{HTTP_POST, "/drafts/{id}/discard", PERM_SIGNED_IN, ROUTE_FORM, NULL,
	 draft_discard, "Discard a draft", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
