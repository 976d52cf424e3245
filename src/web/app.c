/* app.c: the request pipeline.  See app.h for the order of the stages. */
#include "web/app.h"
#include "rules/uktime.h"
#include "domain/due.h"
#include "api/api.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/seal.h"
#include "auth/throttle.h"
#include "auth/token.h"
#include "child/child.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/paths.h"
#include "http/forwarded.h"
#include "http/json.h"
#include "rules/calendar.h"
#include "web/answer.h"
#include "web/assets.h"
#include "web/drafts.h"
#include "web/page.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SESSION_COOKIE "cairn_session"

void app_config_defaults(struct app_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	/* assets_dir, static_dir NULL: found from the binary's place
	 * (core/paths.h) when the server starts */
	cfg->session_idle_s = 30 * 60;
	cfg->session_absolute_s = 10 * 60 * 60;
	cfg->cookie_secure = true;
	cfg->synchronous_full = true;
	cfg->body_limit = 1u << 20;
	cfg->arena_budget = 8u << 20;
	cfg->max_conns_per_addr = 256;
	cfg->request_deadline_s = 30;
	cfg->stop_wait_s = 10;
	cfg->trusted_proxies = "";
}

static bool cfg_bool(const char *v, bool *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "full") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "normal") == 0) {
		*out = false;
		return true;
	}
	return false;
}

/* A copy of v that cfg owns (freed by app_config_release). */
static char *cfg_dup(struct app_config *cfg, const char *v)
{
	char *c = xstrdup(v);
	cfg->owned = xrealloc(cfg->owned,
			      (cfg->nowned + 1) * sizeof(*cfg->owned));
	cfg->owned[cfg->nowned++] = c;
	return c;
}

void app_config_release(struct app_config *cfg)
{
	for (size_t i = 0; i < cfg->nowned; i++)
		free(cfg->owned[i]);
	free(cfg->owned);
	cfg->owned = NULL;
	cfg->nowned = 0;
}

int app_config_load(struct app_config *cfg, const char *path, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open the config file", path);
		return -1;
	}
	char line[1024];
	int ln = 0;
	while (fgets(line, sizeof(line), f)) {
		ln++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		str_trim(line);
		if (line[0] == '\0')
			continue;
		char *eq = strchr(line, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value",
				 path, ln);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		char *k = str_trim(line), *v = str_trim(eq + 1);
		int64_t n;
		bool ok = true;
		if (strcmp(k, "listen") == 0)
			cfg->listen = cfg_dup(cfg, v);
		else if (strcmp(k, "db") == 0)
			cfg->db_path = cfg_dup(cfg, v);
		else if (strcmp(k, "assets_dir") == 0)
			cfg->assets_dir = cfg_dup(cfg, v);
		else if (strcmp(k, "static_dir") == 0)
			cfg->static_dir = cfg_dup(cfg, v);
		else if (strcmp(k, "key_file") == 0)
			cfg->key_file = cfg_dup(cfg, v);
		else if (strcmp(k, "read_db") == 0)
			cfg->read_db = cfg_dup(cfg, v);
		else if (strcmp(k, "threads") == 0)
			ok = str_to_i64z(v, 0, 256, &n) &&
			     (cfg->threads = (unsigned)n, true);
		else if (strcmp(k, "pool_size") == 0)
			ok = str_to_i64z(v, 1, 256, &n) &&
			     (cfg->pool_size = (int)n, true);
		else if (strcmp(k, "session_idle_minutes") == 0)
			ok = str_to_i64z(v, 1, 24 * 60, &n) &&
			     (cfg->session_idle_s = (int)n * 60, true);
		else if (strcmp(k, "session_absolute_minutes") == 0)
			ok = str_to_i64z(v, 1, 7 * 24 * 60, &n) &&
			     (cfg->session_absolute_s = (int)n * 60, true);
		else if (strcmp(k, "body_limit") == 0)
			ok = str_to_i64z(v, 1024, 64 << 20, &n) &&
			     (cfg->body_limit = (size_t)n, true);
		else if (strcmp(k, "cookie_secure") == 0)
			ok = cfg_bool(v, &cfg->cookie_secure);
		else if (strcmp(k, "db_max_megabytes") == 0)
			ok = str_to_i64z(v, 0, INT64_C(1) << 32, &n) &&
			     (cfg->db_max_megabytes = n, true);
		else if (strcmp(k, "metrics_token") == 0)
			/* a bearer secret: long enough not to be guessed */
			ok = strlen(v) >= 32 && strlen(v) <= 256 &&
			     strpbrk(v, " \t\"") == NULL &&
			     (cfg->metrics_token = cfg_dup(cfg, v), true);
		else if (strcmp(k, "synchronous") == 0)
			ok = cfg_bool(v, &cfg->synchronous_full);
		else if (strcmp(k, "max_connections_per_address") == 0)
			ok = str_to_i64z(v, 1, 4096, &n) &&
			     (cfg->max_conns_per_addr = (unsigned)n, true);
		else if (strcmp(k, "request_deadline_seconds") == 0)
			ok = str_to_i64z(v, 1, 3600, &n) &&
			     (cfg->request_deadline_s = (unsigned)n, true);
		else if (strcmp(k, "stop_wait_seconds") == 0)
			ok = str_to_i64z(v, 1, 600, &n) &&
			     (cfg->stop_wait_s = (unsigned)n, true);
		else if (strcmp(k, "clock") == 0)
			/* tests and training copies: a fixed instant */
			ok = uk_stamp_parse(v, &cfg->fixed_now) &&
			     cfg->fixed_now > 0;
		else if (strcmp(k, "trusted_proxies") == 0) {
			struct forwarded_trust *t;
			char why[160];
			if (forwarded_trust_parse(v, &t, why, sizeof(why)) != 0) {
				snprintf(err, errlen, "%s:%d: bad value for "
					 "trusted_proxies: %s", path, ln, why);
				fclose(f);
				return -1;
			}
			forwarded_trust_free(t);
			cfg->trusted_proxies = cfg_dup(cfg, v);
		} else {
			snprintf(err, errlen, "%s:%d: unknown setting '%s'",
				 path, ln, k);
			fclose(f);
			return -1;
		}
		if (!ok) {
			snprintf(err, errlen, "%s:%d: bad value for %s", path,
				 ln, k);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

const char *req_query(const struct req *r, const char *name)
{
	return decode_params_get(&r->q, name);
}

const char *req_form(const struct req *r, const char *name)
{
	return decode_params_get(&r->f, name);
}

bool req_file(const struct req *r, const char *name, const char **data,
	      size_t *len, const char **filename)
{
	const struct multipart_part *x = multipart_get(&r->files, name);
	/* a file input with nothing chosen sends an empty, unnamed part */
	if (x == NULL || (x->len == 0 && x->filename[0] == '\0'))
		return false;
	*data = x->data;
	*len = x->len;
	if (filename)
		*filename = x->filename;
	return true;
}

const char *req_cookie(struct req *r, const char *name)
{
	if (r->ex->cookie == NULL)
		return NULL;
	struct decode_params c;
	if (decode_cookies(r->a, r->ex->cookie, strlen(r->ex->cookie), &c) !=
	    DECODE_OK)
		return NULL;
	return decode_params_get(&c, name);
}

bool req_can(const struct req *r, enum perm p)
{
	if (p == PERM_PUBLIC)
		return true;
	return r->authed && policy_allows(p, r->user.role);
}

void req_acquire_db(struct req *r, struct db *pool)
{
	r->db = db_acquire(pool);
	r->db_pool = pool;
}

void req_release_db(struct req *r)
{
	if (r->db == NULL)
		return;
	db_release(r->db_pool ? r->db_pool : r->app->db, r->db);
	r->db = NULL;
	r->db_pool = NULL;
}

void req_db_role(struct req *r)
{
	if (r->db) {
		db_set_role(r->db, r->authed ? RB(r->user.role) : 0u);
		/* row-level security acts for the user's council (D43) */
		db_set_council(r->db, r->authed ? r->user.council : NULL);
	}
}

void req_audit_event(const struct req *r, struct audit_event *ev,
		     const char *action, const char *entity,
		     int64_t entity_id, int64_t child_id)
{
	ev->council = r->user.council;
	ev->user_id = r->user.user_id;
	ev->username = r->user.username;
	ev->role = role_id(r->user.role);
	ev->action = action;
	ev->entity = entity;
	ev->entity_id = entity_id;
	ev->child_id = child_id;
	ev->request_id = r->ex->rid;
	ev->ip = r->ex->ip;
	ev->status = 200; /* done as asked; refusals say otherwise */
	ev->children = NULL;
	ev->nchildren = 0;
}

/* The actor's audit_read (domain/actor.h) in a request: the event is
 * copied into the request (the domain call may be in a transaction, and
 * goes on using the connection), and made durable by req_audit_flush,
 * with any other, before the response leaves. */
static int req_audit_sink(void *req, const struct audit_event *ev)
{
	struct req *r = req;
	if (r->naudit_pend == r->audit_pend_cap) {
		int cap = r->audit_pend_cap ? 2 * r->audit_pend_cap : 8;
		struct audit_event *v = arena_alloc(r->a, (size_t)cap * sizeof(*v));
		if (v == NULL)
			return DB_EIO;
		if (r->naudit_pend)
			memcpy(v, r->audit_pend,
			       (size_t)r->naudit_pend * sizeof(*v));
		r->audit_pend = v;
		r->audit_pend_cap = cap;
	}
	struct audit_event *e = &r->audit_pend[r->naudit_pend];
	*e = *ev;
	if (ev->nchildren > 0) {
		size_t sz = (size_t)ev->nchildren * sizeof(*ev->children);
		int64_t *ids = arena_alloc(r->a, sz);
		if (ids == NULL)
			return DB_EIO;
		memcpy(ids, ev->children, sz);
		e->children = ids;
	}
	r->naudit_pend++;
	return DB_OK;
}

/* Makes n events durable now, waiting for the group commit. */
static int audit_now(struct req *r, const struct audit_event *evs, int n)
{
	if (r->app->audit) {
		/* The connection goes back to the pool before the wait for
		 * the group commit: the next request (on any thread) takes
		 * it while this one waits, reading through the page cache
		 * this one warmed, which is still valid until the commit
		 * (SQLite drops a connection's whole cache when another
		 * connection has committed since its last read).  A caller
		 * still inside a transaction keeps it. */
		if (r->db && !db_in_tx(r->db))
			req_release_db(r);
		return audit_batcher_submit_many(r->app->audit, evs, (size_t)n);
	}
	/* no batcher (tests that drive the pipeline without app_start) */
	if (db_in_tx(r->db))
		db_rollback(r->db);
	int rc = db_begin(r->db, DB_TX_WRITE);
	for (int i = 0; rc == DB_OK && i < n; i++)
		rc = audit_append(r->db, &evs[i]);
	if (rc == DB_OK)
		rc = db_commit(r->db);
	if (rc != DB_OK)
		db_rollback(r->db);
	return rc;
}

/* Makes n events durable before the response leaves (see
 * req_audit_read).  When the server can answer later, they join the
 * request's other reads (audit_pend), committed with them while no
 * thread waits (app_handle, D58); otherwise now. */
static int audit_events(struct req *r, const struct audit_event *evs, int n)
{
	if (r->app->audit && r->ex->can_defer) {
		for (int i = 0; i < n; i++)
			if (req_audit_sink(r, &evs[i]) != DB_OK)
				return DB_EIO;
		return DB_OK;
	}
	return audit_now(r, evs, n);
}

int req_audit_flush(struct req *r)
{
	int n = r->naudit_pend;
	if (n == 0)
		return 0;
	r->naudit_pend = 0;
	return audit_now(r, r->audit_pend, n);
}

int req_audit_read(struct req *r, const char *action, const char *entity,
		   int64_t entity_id, int64_t child_id)
{
	struct audit_event ev;
	req_audit_event(r, &ev, action, entity, entity_id, child_id);
	return audit_events(r, &ev, 1);
}

int req_audit_shown(struct req *r, const char *action, const char *entity,
		    const int64_t *child_ids, int n)
{
	struct audit_event ev;
	req_audit_event(r, &ev, action, entity, 0, 0);
	ev.children = child_ids;
	ev.nchildren = n;
	return audit_events(r, &ev, 1);
}

int req_audit_shown_cb(void *req, const char *action, const char *entity,
		       const int64_t *child_ids, int n)
{
	return req_audit_shown(req, action, entity, child_ids, n);
}

/* True when a route's first {id} is a child's id. */
static bool route_names_child(const struct route *rt)
{
	return strncmp(rt->pattern, "/children/{id}", 14) == 0 ||
	       strncmp(rt->pattern, "/api/v1/children/{id}", 21) == 0;
}

void req_audit_refusal(struct req *r)
{
	int st = r->ex->status;
	/* a request for a record by its id: a child, or a record of the
	 * child modules (contacts, referrals), which say whose data they
	 * hold only once found */
	if (!r->authed || r->route == NULL || r->nids == 0 ||
	    (st != 403 && st != 404))
		return;
	int64_t id = r->ids[0];
	bool child = route_names_child(r->route);
	struct audit_event ev;
	req_audit_event(r, &ev, st == 403 ? "refused" : "not found",
			r->route->pattern, id, child ? id : 0);
	ev.status = st;
	if (r->db && db_in_tx(r->db))
		db_rollback(r->db);
	if (audit_events(r, &ev, 1) != DB_OK)
		log_kv(LOG_ERROR, r->ex->rid, "audit.refusal_failed", "route",
		       r->route->pattern, NULL);
}

static bool is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

static void fail(struct req *r, int status, const char *title,
		 const char *detail, const char *field)
{
	if (is_api(r->ex->path))
		api_problem(r, status, title, detail, field);
	else
		page_error(r, status, title, detail);
}

static int authenticate(struct req *r, bool api);

/* Before an error page at an address no route serves: who is signed in,
 * so that the page keeps the navigation and "Sign out" as every other
 * page does.  Returns 0, or -1 when the store failed (answered). */
static int error_page_viewer(struct req *r)
{
	if (is_api(r->ex->path))
		return 0;
	req_acquire_db(r, r->app->db);
	return authenticate(r, false);
}

/* Finds the route; 404 or 405 (with Allow) when none fits. */
static const struct route *find_route(struct req *r)
{
	const struct route *rt = app_routes();
	enum http_method m = r->ex->method == HTTP_HEAD ? HTTP_GET
							: r->ex->method;
	bool path_seen = false;
	char allow[64] = "";
	for (; rt->pattern; rt++) {
		if (!router_match(rt->pattern, r->ex->path, r->ids, &r->nids))
			continue;
		if (rt->method == m)
			return rt;
		if (!path_seen || strstr(allow, http_method_name(rt->method)) == NULL) {
			size_t n = strlen(allow);
			snprintf(allow + n, sizeof(allow) - n, "%s%s",
				 n ? ", " : "", http_method_name(rt->method));
		}
		path_seen = true;
	}
	if (error_page_viewer(r) < 0)
		return NULL;
	if (path_seen) {
		char *a = arena_strdup(r->a, allow);
		if (a)
			http_add_header(r->ex, "Allow", a);
		fail(r, 405, "Method not allowed",
		     "This address does not accept that kind of request.", NULL);
	} else {
		fail(r, 404, "Page not found",
		     "If you typed the web address, check it is correct.", NULL);
	}
	return NULL;
}

/* Sets r->authed and r->user from the session cookie or bearer token.
 * Returns 0, or -1 when the store failed (response already set). */
static int authenticate(struct req *r, bool api)
{
	struct app *app = r->app;
	db_set_role(r->db, DB_ROLE_AUTH);
	int64_t now = r->act.now;
	int rc;
	if (api) {
		const char *h = r->ex->authorization;
		if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
			return 0;
		rc = apitoken_lookup(r->db, h + 7, now, &r->user);
		if (rc < 0)
			goto out_store;
		r->authed = rc == 1;
		return 0;
	}
	const char *tok = req_cookie(r, SESSION_COOKIE);
	if (tok == NULL)
		return 0;
	struct session s;
	r->expired.user_id = 0;
	rc = session_lookup_ex(r->db, tok, now, app->cfg.session_idle_s,
			       app->cfg.session_absolute_s, &s, &r->expired);
	if (rc < 0)
		goto out_store;
	if (rc == 0) {
		/* whose it was, so a form sent on it can be kept for them */
		r->session_expired = r->expired.user_id != 0;
		return 0;
	}
	rc = user_get(r->db, s.council, s.user_id, &r->user);
	if (rc < 0)
		goto out_store;
	if (rc == 0 || r->user.disabled)
		return 0;
	r->authed = true;
	snprintf(r->csrf, sizeof(r->csrf), "%s", s.csrf);
	snprintf(r->session_token, sizeof(r->session_token), "%s", tok);
	return 0;
out_store:
	fail(r, 503, "Sorry, there is a problem with the service",
	     "Try again later.", NULL);
	return -1;
}

static const struct cal *cal_for(const struct app *app, const char *council)
{
	for (int i = 0; i < app->ncals; i++)
		if (strcmp(app->cals[i].council, council) == 0)
			return app->cals[i].cal;
	return app->ncals ? app->cals[0].cal : NULL;
}

static bool content_type_is(const char *ct, const char *want)
{
	if (ct == NULL)
		return false;
	size_t n = strlen(want);
	return strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Bounds of a ROUTE_UPLOAD page's multipart form (D62): as many fields
 * as a urlencoded form may have, each text field as long. */
#define APP_FORM_PARAMS 200
#define APP_FORM_VALUE (256u << 10)
/* ...but a ROUTE_UPLOAD form's text field may be longer: the text read
 * from a document, carried to the save step (D62); the route's own
 * param_spec says how long in the end. */
#define APP_UPLOAD_VALUE (2u << 20)

static size_t form_value_max(const struct req *r)
{
	return (r->route->flags & ROUTE_UPLOAD) ? APP_UPLOAD_VALUE
						: APP_FORM_VALUE;
}

/* The media type of ct without its parameters, in lower case, in the
 * arena (NULL when ct is NULL, empty, or the arena is spent). */
static const char *media_type(struct arena *a, const char *ct)
{
	if (ct == NULL)
		return NULL;
	size_t n = strcspn(ct, "; \t");
	if (n == 0)
		return NULL;
	char *t = arena_strndup(a, ct, n);
	for (size_t i = 0; t && i < n; i++)
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] = (char)(t[i] - 'A' + 'a');
	return t;
}

/* A ROUTE_UPLOAD page's multipart/form-data body: its text fields into
 * *raw (as decode_query would give them: text, NUL-terminated, within
 * the same limits), its files into r->files.  Returns 0 or -1 (sent). */
static int read_multipart(struct req *r, struct decode_params *raw)
{
	struct multipart_parts mp;
	struct multipart_limits lim = {APP_FORM_PARAMS + 1, 8192};
	enum multipart_err me = multipart_parse(r->a, r->ex->content_type,
						r->ex->body, r->ex->body_len,
						&lim, 0, &mp);
	if (me != MULTIPART_OK) {
		fail(r, me == MULTIPART_NOMEM ? 413 : 400, "Bad request",
		     arena_printf(r->a, "The form could not be read: %s.",
				  multipart_strerror(me)), NULL);
		return -1;
	}
	struct decode_kv *v = mp.n ? arena_alloc(r->a, mp.n * sizeof(*v))
				   : NULL;
	struct multipart_part *files = mp.n ? arena_alloc(r->a, mp.n *
							  sizeof(*files))
					    : NULL;
	if (mp.n && (v == NULL || files == NULL)) {
		fail(r, 413, "Request too large", "The form is too large.",
		     NULL);
		return -1;
	}
	size_t nv = 0, nf = 0;
	for (size_t i = 0; i < mp.n; i++) {
		const struct multipart_part *x = &mp.v[i];
		if (x->filename) {
			files[nf++] = *x;
			continue;
		}
		const char *why = NULL;
		if (x->len > form_value_max(r))
			why = "is too long";
		else if (!str_is_text(x->data, x->len))
			why = "is not text";
		char *val = why ? NULL : arena_strndup(r->a, x->data, x->len);
		if (why == NULL && val == NULL)
			why = "is too large";
		if (why) {
			fail(r, 400, "Bad request",
			     arena_printf(r->a, "The form could not be read: "
					  "%s %s.", x->name, why), x->name);
			return -1;
		}
		v[nv].key = x->name;
		v[nv].val = val;
		v[nv].vlen = x->len;
		nv++;
	}
	raw->n = nv;
	raw->v = nv ? v : NULL;
	r->files.n = nf;
	r->files.v = nf ? files : NULL;
	return 0;
}

/* The body of a POST to an API route: JSON into r->json, or (a
 * ROUTE_UPLOAD route) a document's bytes left in the body with their
 * declared type in r->upload_type, for the handler to check against
 * what the bytes are.  Returns 0 or -1 (sent). */
static int read_api_body(struct req *r)
{
	const char *ct = r->ex->content_type;
	if (!content_type_is(ct, "application/json")) {
		const char *t = media_type(r->a, ct);
		if (!(r->route->flags & ROUTE_UPLOAD) || t == NULL) {
			fail(r, 415, NULL, (r->route->flags & ROUTE_UPLOAD)
			     ? "Send the body as application/json, or the "
			       "document itself with its Content-Type."
			     : "Send the body as application/json.", NULL);
			return -1;
		}
		r->upload_type = t;
		return 0;
	}
	char err[256];
	enum json_body_err je = json_body_parse(r->ex->body, r->ex->body_len,
						32, &r->json, err, sizeof(err));
	if (je != 0) {
		fail(r, 400, "Malformed JSON",
		     arena_printf(r->a, "The request body is not valid "
				  "JSON: %s", err), NULL);
		return -1;
	}
	return 0;
}

/* A page POST's body into *raw: urlencoded, or multipart/form-data on a
 * ROUTE_UPLOAD route (415 elsewhere).  Returns 0 or -1 (sent). */
static int read_form_body(struct req *r, struct decode_params *raw)
{
	const char *ct = r->ex->content_type;
	if ((r->route->flags & ROUTE_UPLOAD) &&
	    content_type_is(ct, "multipart/form-data"))
		return read_multipart(r, raw);
	if (!content_type_is(ct, "application/x-www-form-urlencoded")) {
		fail(r, 415, "Unsupported form", "Send the form as "
		     "application/x-www-form-urlencoded.", NULL);
		return -1;
	}
	enum decode_err de = decode_query(r->a, r->ex->body, r->ex->body_len,
					  APP_FORM_PARAMS, form_value_max(r),
					  raw);
	if (de != DECODE_OK) {
		fail(r, 400, "Bad request",
		     arena_printf(r->a, "The form could not be read: %s.",
				  decode_strerror(de)), NULL);
		return -1;
	}
	return 0;
}

/* Decodes query and body into r->q / r->f / r->json, keeping only what
 * the route declares.  Returns 0 or -1 (response set). */
static int read_params(struct req *r)
{
	const struct route *rt = r->route;
	struct decode_params raw;
	const char *field, *why;
	enum decode_err de = decode_query(r->a, r->ex->query, r->ex->query_len,
					  200, 64u << 10, &raw);
	if (de != DECODE_OK) {
		fail(r, 400, "Bad request",
		     arena_printf(r->a, "The address's query string is not "
				  "valid: %s.", decode_strerror(de)), NULL);
		return -1;
	}
	if (!router_filter(r->a, rt->params, &raw, &r->q, &field, &why)) {
		fail(r, 400, "Bad request",
		     arena_printf(r->a, "%s %s.", field, why), field);
		return -1;
	}
	if (rt->method == HTTP_GET || rt->method == HTTP_DELETE)
		return 0;
	if (rt->flags & ROUTE_API)
		return read_api_body(r);
	if (read_form_body(r, &raw) < 0)
		return -1;
	/* the CSRF field is checked before filtering drops it */
	if (rt->flags & ROUTE_FORM) {
		const char *got = decode_params_get(&raw, "csrf");
		if (got == NULL || !r->authed || r->csrf[0] == '\0' ||
		    !token_equal(got, r->csrf)) {
			log_kv(LOG_WARN, r->ex->rid, "csrf.rejected", "route",
			       rt->pattern, NULL);
			fail(r, 403, "Your form has expired",
			     "The form could not be sent because its security "
			     "token did not match. Go back, reload the page and "
			     "try again.", "csrf");
			return -1;
		}
		/* "Save as draft" is answered here, before the handler */
		if (drafts_intercept(r, &raw))
			return -1;
	}
	if (!router_filter(r->a, rt->params, &raw, &r->f, &field, &why)) {
		fail(r, 400, "Bad request",
		     arena_printf(r->a, "%s %s.", field, why), field);
		return -1;
	}
	return 0;
}

static void serve_asset(struct req *r)
{
	const void *data;
	size_t len;
	const char *type;
	if (r->ex->method != HTTP_GET && r->ex->method != HTTP_HEAD) {
		r->ex->status = 405;
		http_add_header(r->ex, "Allow", "GET");
		return;
	}
	if (!assets_find(r->app->assets, r->ex->path, &data, &len, &type)) {
		r->ex->status = 404;
		r->ex->out_type = "text/plain; charset=utf-8";
		sbuf_adds(&r->ex->out, "Not found\n");
		return;
	}
	r->ex->status = 200;
	r->ex->static_body = data;
	r->ex->static_len = len;
	r->ex->out_type = type;
	r->ex->cache_control = "public, max-age=31536000, immutable";
	r->ex->log_route = "/assets/*";
}

static void handle(struct req *r, struct http_exchange *ex,
		   struct app *app, struct arena *a);

/* The server asks, before reading a body, how large it may be: a
 * document sent to a ROUTE_UPLOAD route (D62), as a multipart form to
 * a page or as its own bytes to the API, may be up to
 * APP_UPLOAD_LIMIT; everything else (a JSON or urlencoded body to the
 * same route too) keeps the configured body_limit (0: the server's). */
static size_t app_body_limit_for(enum http_method m, const char *path,
				 const char *ct, void *arg)
{
	const struct app *app = arg;
	if (m != HTTP_POST || ct == NULL ||
	    content_type_is(ct, "application/json") ||
	    content_type_is(ct, "application/x-www-form-urlencoded") ||
	    APP_UPLOAD_LIMIT <= app->cfg.body_limit)
		return 0;
	bool multipart = content_type_is(ct, "multipart/form-data");
	int64_t ids[ROUTER_MAX_IDS];
	int nids;
	for (const struct route *rt = app_routes(); rt->pattern; rt++)
		if (rt->method == HTTP_POST && (rt->flags & ROUTE_UPLOAD) &&
		    router_match(rt->pattern, path, ids, &nids))
			return multipart == !(rt->flags & ROUTE_API)
				       ? APP_UPLOAD_LIMIT : 0;
	return 0;
}

/* The reads of the request could not be audited: nothing read is shown. */
static void audit_failed(struct req *r)
{
	struct http_exchange *ex = r->ex;
	log_kv(LOG_ERROR, ex->rid, "audit.read_failed", "route",
	       r->route ? r->route->pattern : "-", NULL);
	sbuf_reset(&ex->out);
	ex->static_body = NULL;
	ex->status = 500;
	ex->out_type = "text/plain; charset=utf-8";
	sbuf_adds(&ex->out, "The record could not be shown because its "
			    "viewing could not be recorded. Try again.\n");
}

/* The committer's thread: the request's reads are durable (rc 0), or
 * not; either way it may now be answered (app_resumed). */
static void audit_committed(void *arg, int rc)
{
	struct req *r = arg;
	r->audit_rc = rc;
	http_exchange_resume(r->ex);
}

/* The server has suspended a request app_handle deferred: its reads go
 * to the group commit, and no thread waits for it (D58). */
static void app_deferred(struct http_exchange *ex, void *arg)
{
	struct app *app = arg;
	struct req *r = ex->app_state;
	int n = r->naudit_pend;
	r->naudit_pend = 0;
	int rc = audit_batcher_submit_async(app->audit, r->audit_pend,
					    (size_t)n, audit_committed, r);
	if (rc != DB_OK) {
		r->audit_rc = rc;
		http_exchange_resume(ex);
	}
}

static void app_resumed(struct http_exchange *ex, void *arg)
{
	(void)arg;
	struct req *r = ex->app_state;
	if (r->audit_rc != 0)
		audit_failed(r);
}

void app_handle(struct http_exchange *ex, void *arg)
{
	struct app *app = arg;
	struct arena *a = arena_new(app->cfg.arena_budget);
	struct req *r = arena_zalloc(a, sizeof(*r));
	r->a = a;
	r->app = app;
	r->ex = ex;
	ex->app_state = r;
	/* the request's one reading of the clock */
	actor_at(&r->act, app->cfg.fixed_now ? app->cfg.fixed_now
					     : uk_clock_now());
	r->act.request_id = ex->rid;
	r->act.ip = ex->ip;
	r->act.username = "-";
	r->act.role = "-";
	r->act.council = "";
	r->act.status = 200; /* done as asked; refusals say otherwise */
	handle(r, ex, app, a);
	/* what the domain read is durable in the audit before it is shown:
	 * answered once the group commit is over (app_deferred), no thread
	 * waiting meanwhile, or else after waiting here */
	if (r->naudit_pend > 0 && ex->can_defer && app->audit) {
		req_release_db(r);
		ex->defer = true;
		return;
	}
	if (req_audit_flush(r) < 0)
		audit_failed(r);
	/* The connection goes back now, not when the response has been
	 * sent: a thread may start other requests while this response is
	 * still being written, and must not hold a connection meanwhile. */
	req_release_db(r);
}

static void handle(struct req *r, struct http_exchange *ex,
		   struct app *app, struct arena *a)
{
	if (strncmp(ex->path, "/assets/", 8) == 0) {
		serve_asset(r);
		return;
	}
	r->route = find_route(r);
	if (r->route == NULL)
		return;
	ex->log_route = r->route->pattern;
	bool api = (r->route->flags & ROUTE_API) != 0;
	if (ex->body_too_large) {
		fail(r, 413, "Request too large",
		     arena_printf(a, "The request body is larger than the "
				  "%zu bytes allowed.", ex->body_limit),
		     NULL);
		return;
	}
	req_acquire_db(r, app->db);
	if (r->route->perm != PERM_PUBLIC || r->route->flags & ROUTE_NO_CSRF ||
	    !api) {
		if (authenticate(r, api) < 0)
			return;
	}
	if (r->authed) {
		/* from here the connection acts for the user's council
		 * only (row-level security, D43) */
		db_set_council(r->db, r->user.council);
		r->cal = cal_for(app, r->user.council);
		r->act.council = r->user.council;
		r->act.user_id = r->user.user_id;
		r->act.username = r->user.username;
		r->act.role = role_id(r->user.role);
		r->act.partner = r->user.role == ROLE_PARTNER;
		r->act.org_id = r->act.partner ? r->user.org_id : 0;
		/* lists read by the domain are audited through the group
		 * commit (without it: in their own write transaction) */
		if (app->audit) {
			r->act.audit_read = req_audit_sink;
			r->act.audit_arg = r;
		}
		/* the access log names the user by council and id */
		snprintf(ex->log_user, sizeof(ex->log_user), "%s/%lld",
			 r->user.council, (long long)r->user.user_id);
	}
	if (r->route->perm != PERM_PUBLIC && !r->authed) {
		if (api) {
			http_add_header(ex, "WWW-Authenticate",
					"Bearer realm=\"cairn\"");
			api_problem(r, 401, NULL,
				    "Send a valid API token as "
				    "'Authorization: Bearer TOKEN'.", NULL);
		} else {
			/* a form sent on a session that has just expired: keep
			 * what was typed for its user (web/drafts.h) */
			if (ex->method == HTTP_POST && drafts_keep_expired(r))
				return;
			const char *next = ex->method == HTTP_GET ? ex->path : "/";
			char *loc = arena_printf(a, "/sign-in?next=%s", next);
			page_redirect(r, loc ? loc : "/sign-in");
		}
		return;
	}
	if (r->route->perm != PERM_PUBLIC &&
	    !policy_allows(r->route->perm, r->user.role)) {
		log_kv(LOG_WARN, ex->rid, "policy.denied", "route",
		       r->route->pattern, "role", role_id(r->user.role), NULL);
		if (api)
			fail(r, 403, "You do not have access to this page",
			     "Your role does not allow this. Ask your manager "
			     "if you need it.", NULL);
		else
			answer_denied_page(r);
		req_audit_refusal(r);
		return;
	}
	if (read_params(r) < 0)
		return;
	/* a report may read from the replica (D45): the session was
	 * checked on the primary, and the read's audit row goes to the
	 * primary through the group commit */
	if (app->read_db && (r->route->flags & ROUTE_REPLICA) &&
	    r->route->method == HTTP_GET) {
		req_release_db(r);
		req_acquire_db(r, app->read_db);
	}
	req_db_role(r);
	if (!api && r->route->method == HTTP_GET)
		drafts_load(r);
	r->route->fn(r);
	if (!api && r->route->method == HTTP_POST)
		drafts_after_post(r);
	req_audit_refusal(r);
	if (ex->status >= 500 && db_storage_failed(r->db)) {
		/* the store is out of space or cannot use its disk: say so,
		 * whatever the handler made of the error, so the person knows
		 * their work was not saved and why */
		sbuf_reset(&ex->out);
		ex->n_out_headers = 0;
		http_add_header(ex, "Retry-After", "60");
		log_kv(LOG_ERROR, ex->rid, "store.no_space", "route",
		       r->route->pattern, NULL);
		fail(r, 503, "Sorry, the service cannot save anything at the "
		     "moment",
		     "The service has run out of storage space, so nothing you "
		     "sent was saved. Go back to keep what you typed and try "
		     "again later. If this keeps happening, tell your IT team.",
		     NULL);
		return;
	}
	if (arena_exhausted(a)) {
		sbuf_reset(&ex->out);
		fail(r, 413, "Request too large",
		     "The request needed more memory than one request may use.",
		     NULL);
	}
}

void app_done(struct http_exchange *ex, void *arg)
{
	(void)arg;
	struct req *r = ex->app_state;
	if (r == NULL)
		return;
	if (r->json)
		json_decref(r->json);
	req_release_db(r);
	arena_free(r->a);
	ex->app_state = NULL;
}

DB_STMT(st_councils) = {
	"app_councils",
	"SELECT council FROM council ORDER BY council",
	DB_ROLE_SYSTEM,
};
static int load_one_cal(struct db_conn *c, struct council_cal *cc)
{
	int rc = due_load_cal(c, cc->council, &cc->cal);
	return rc == ERR_OK ? 0 : DB_EIO;
}

/* Opens cfg.read_db, the replica the ROUTE_REPLICA reports read from
 * (D45): a PostgreSQL URI beside a PostgreSQL primary, at this
 * program's schema version (a replica of an older primary, or of
 * another database, would answer from the wrong schema).  Returns 0,
 * or -1 with the reason in err. */
static int open_replica(struct app *app, const struct db_options *o,
			char *err, size_t errlen)
{
	const char *uri = app->cfg.read_db;
	if (!db_is_uri(uri) || !db_is_uri(app->cfg.db_path)) {
		snprintf(err, errlen, "read_db must be a PostgreSQL URI, the "
			 "streaming replica of a PostgreSQL db (a SQLite file "
			 "has no replicas)");
		return -1;
	}
	if (db_open(uri, o, &app->read_db, err, errlen) != DB_OK)
		return -1;
	struct db_conn *c = db_acquire(app->read_db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int ver = db_schema_version_read(c);
	db_release(app->read_db, c);
	if (ver != db_schema_latest()) {
		snprintf(err, errlen, "the read replica (read_db) is at schema "
			 "version %d, this program needs %d: is it a replica of "
			 "db?", ver, db_schema_latest());
		return -1;
	}
	return 0;
}

int app_load_calendars(struct app *app)
{
	struct db_conn *c = db_acquire(app->db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;
	int rc = db_prepare(c, &st_councils, &q);
	struct council_cal *v = NULL;
	int n = 0;
	while (rc == DB_OK && (rc = db_step(q)) == DB_ROW) {
		v = xrealloc(v, (size_t)(n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		snprintf(v[n].council, sizeof(v[n].council), "%s",
			 db_col_text(q, 0));
		n++;
	}
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = load_one_cal(c, &v[i]);
	db_release(app->db, c);
	if (rc < 0) {
		for (int i = 0; i < n; i++)
			cal_free(v[i].cal);
		free(v);
		return rc;
	}
	app->cals = v;
	app->ncals = n;
	return 0;
}

int app_start(struct app *app, const struct app_config *cfg, char *err,
	      size_t errlen)
{
	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	if (password_init() != 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	if (cfg->fixed_now) {
		char at[UK_STAMP_LEN];
		uk_stamp(cfg->fixed_now, at);
		log_kv(LOG_WARN, NULL, "app.fixed_clock", "now", at, NULL);
	}
	/* A thread per connection by default (threads 0): a request waiting
	 * for its read's audit row to reach the disk (group commit) holds
	 * up no other connection (docs/decisions.md D20, replacing D13's
	 * sixteen pool threads a core).  Store connections: one a pool
	 * thread, or sixteen a core (a request gives its connection back
	 * before it waits for the group commit, so they are held only
	 * while working); one for the audit committer; one spare for
	 * start-up work. */
	unsigned threads = cfg->threads;
	int conns = (int)threads;
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	if (threads == 0)
		conns = 16 * (nc > 0 ? (int)nc : 2);
	/* On PostgreSQL each connection is a server process: past a few a
	 * core they only queue on the cores and the kernel switches
	 * between them.  Four a core (at least eight), measured on two
	 * cores with the 50,000-child demo's record page at 64 wrk
	 * connections: 4: 660, 8: 727, 16: 618, 34: 527 requests a second
	 * (docs/performance.md, session 8).  pool_size overrides it, for
	 * a database server bigger than this machine. */
	if (db_is_uri(cfg->db_path)) {
		int pg = 4 * (nc > 0 ? (int)nc : 2);
		if (pg < 8)
			pg = 8;
		if (conns > pg)
			conns = pg;
	}
	/* a size limit keeps a reserve of a fiftieth (1 MiB at least) for
	 * the audit rows reads need: a full store still shows records */
	int64_t max_pages = cfg->db_max_megabytes * 256;
	struct db_options o = {
		.pool_size = cfg->pool_size > 0 ? cfg->pool_size : conns + 2,
		.busy_timeout_ms = 5000,
		.synchronous_full = cfg->synchronous_full,
		.max_pages = max_pages,
		.reserve_pages = max_pages / 50 > 256 ? max_pages / 50 : 256,
	};
	if (db_open(cfg->db_path, &o, &app->db, err, errlen) != DB_OK)
		return -1;
	/* every request's child_ctx carries it (child_page_ctx) */
	app->names = child_names_new();
	app->audit = audit_batcher_new(app->db);
	if (app->audit == NULL) {
		snprintf(err, errlen, "cannot start the audit committer");
		goto out_db;
	}
	struct db_conn *c = db_acquire(app->db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int ver = db_schema_version(c);
	db_release(app->db, c);
	if (ver == 0) {
		snprintf(err, errlen, "%s has no Cairn schema: run "
			 "'cairn init --db %s' first", cfg->db_path,
			 cfg->db_path);
		goto out_db;
	}
	if (ver < db_schema_latest()) {
		/* an older schema lacks what every write now needs (the
		 * audit chain's columns, for one): migrate first */
		snprintf(err, errlen, "%s is at schema version %d, this "
			 "program needs %d: run 'cairn init --db %s' to migrate "
			 "it", cfg->db_path, ver, db_schema_latest(),
			 cfg->db_path);
		goto out_db;
	}
	if (cfg->read_db && open_replica(app, &o, err, errlen) < 0)
		goto out_db;
	if (app_load_calendars(app) < 0) {
		snprintf(err, errlen, "cannot load the working-day calendars");
		goto out_db;
	}
	/* the key that seals drafts, from its own file (never the store) */
	char kpath[4096];
	const char *kp = cfg->key_file;
	if (kp == NULL) {
		if (seal_key_default_path(cfg->db_path, kpath, sizeof(kpath)) < 0) {
			snprintf(err, errlen, db_is_uri(cfg->db_path)
				 ? "a PostgreSQL store needs key_file in the "
				   "configuration (the key is never kept in "
				   "the store)"
				 : "the key file's path is too long");
			goto out_db;
		}
		kp = kpath;
	}
	app->key = xcalloc(1, sizeof(*app->key));
	if (seal_key_load(kp, app->key, err, errlen) < 0)
		goto out_db;
	/* the assets: where the configuration says, else where the
	 * program is (built or installed), never the current directory */
	char govuk[4096], stat_dir[4096], path[4200];
	const char *gd = cfg->assets_dir, *sd = cfg->static_dir;
	if (gd == NULL) {
		if (paths_find(PATHS_GOVUK, govuk, sizeof(govuk), err,
			       errlen) < 0)
			goto out_db;
		gd = govuk;
	}
	if (sd == NULL) {
		if (paths_find(PATHS_STATIC, stat_dir, sizeof(stat_dir), err,
			       errlen) < 0)
			goto out_db;
		sd = stat_dir;
	}
	snprintf(path, sizeof(path), "%s/assets", gd);
	if (assets_load_dir(&app->assets, path, "/assets/", err, errlen) < 0)
		goto out_db;
	snprintf(path, sizeof(path), "%s/govuk-frontend.min.css", gd);
	if (assets_load_file(&app->assets, path, "/assets/govuk-frontend.min.css",
			     err, errlen) < 0)
		goto out_db;
	if (assets_load_dir(&app->assets, sd, "/assets/", err, errlen) < 0)
		goto out_db;
	/* an account locks after 5 failures in 15 minutes; an address
	 * (often a whole office behind one gateway) after 50 */
	app->throttle = throttle_new(5, 15 * 60, 15 * 60, 65536);
	app->throttle_addr = throttle_new(50, 15 * 60, 15 * 60, 65536);
	/* counted in the store, so every server process on it shares the
	 * lockouts (D6, D43); hashed with a key derived from the key file,
	 * which every process has */
	throttle_use_store(app->throttle, app->key->k, sizeof(app->key->k));
	throttle_use_store(app->throttle_addr, app->key->k,
			   sizeof(app->key->k));
	randombytes_buf(app->pre_csrf_key, sizeof(app->pre_csrf_key));
	struct http_server_config hc = {
		.listen = cfg->listen,
		.threads = threads,
		.header_limit = 0, /* the server's default, 16 KiB */
		.body_limit = cfg->body_limit,
		.timeout_s = 30,
		.max_conns_per_addr = cfg->max_conns_per_addr,
		.request_deadline_s = cfg->request_deadline_s,
		.stop_wait_s = cfg->stop_wait_s,
		.trusted_proxies = cfg->trusted_proxies,
		/* HSTS wherever cookies are Secure: served over TLS */
		.hsts = cfg->cookie_secure,
		.handler = app_handle,
		.arg = app,
		.done = app_done,
		.deferred = app_deferred,
		.resumed = app_resumed,
		.body_limit_for = app_body_limit_for,
	};
	if (http_server_start(&hc, &app->http, err, errlen) != 0)
		goto out_db;
	return 0;
out_db:
	app_stop(app);
	return -1;
}

void app_stop(struct app *app)
{
	http_server_stop(app->http);
	app->http = NULL;
	audit_batcher_free(app->audit);
	app->audit = NULL;
	for (int i = 0; i < app->ncals; i++)
		cal_free(app->cals[i].cal);
	free(app->cals);
	app->cals = NULL;
	app->ncals = 0;
	throttle_free(app->throttle);
	app->throttle = NULL;
	throttle_free(app->throttle_addr);
	app->throttle_addr = NULL;
	assets_free(app->assets);
	app->assets = NULL;
	if (app->key) {
		seal_key_wipe(app->key);
		free(app->key);
		app->key = NULL;
	}
	/* no request is running any more: nothing searches or writes */
	child_names_free(app->names);
	app->names = NULL;
	db_close(app->read_db);
	app->read_db = NULL;
	db_close(app->db);
	app->db = NULL;
}
