/*
 * app: the application object and the request pipeline.
 *
 * Every request goes: server (http/server.c) -> app_handle: static asset?
 * -> route lookup (one declarative table, routes.c) -> body limits ->
 * authentication (session cookie for pages, bearer token for /api/) ->
 * policy (auth/policy.h, default-deny) -> CSRF (every page POST) ->
 * parameter filtering (router_filter: undeclared dropped) -> handler ->
 * response.  A handler gets a `struct req` whose arena, database
 * connection and user are ready, and writes the response through the
 * page_* (web/page.h) or api_* (api/api.h) helpers.
 *
 * Ownership: the req and everything in its arena live until the response
 * has been sent.  req->db is borrowed from the pool for the handler's
 * whole run, with its role set to the user's role, and is given back by
 * the pipeline.  Handlers open their own transactions on it.
 */
#ifndef CAIRN_APP_H
#define CAIRN_APP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/policy.h"
#include "auth/session.h"
#include "auth/user.h"
#include "db/db.h"
#include "domain/actor.h"
#include "http/multipart.h"
#include "http/router.h"
#include "http/server.h"

struct cal;
struct draft;
struct seal_key;
struct throttle;
struct assets;
struct audit_batcher;
struct child_names;

struct app_config {
	const char *db_path;
	const char *listen;          /* default "127.0.0.1:8080" */
	const char *assets_dir;      /* govuk-frontend dist/govuk; NULL
				      * (default): found from the binary's
				      * place (core/paths.h) */
	const char *static_dir;      /* our own css; NULL (default): the
				      * same (src/web/static when built) */
	unsigned threads;            /* 0 (default): a thread per
				      * connection; N: a pool of N server
				      * threads (docs/decisions.md D20) */
	int pool_size;               /* 0: threads + 2, or with a thread
				      * per connection 16 a core + 2 */
	int session_idle_s;          /* default 30 minutes */
	int session_absolute_s;      /* default 10 hours */
	bool cookie_secure;          /* default true */
	const char *metrics_token;   /* /metrics answers only a request
				      * with "Authorization: Bearer" and
				      * this (32 to 256 characters, no
				      * spaces); NULL (default): /metrics
				      * is off (404) */
	bool synchronous_full;       /* default true */
	int64_t db_max_megabytes;    /* 0 (default): no limit but the
				      * disk's; else writes past it answer
				      * 503 (a reserve above it keeps the
				      * audit of reads going) */
	size_t body_limit;           /* default 1 MiB */
	size_t arena_budget;         /* default 8 MiB per request */
	unsigned max_conns_per_addr; /* open connections from one client
				      * address (an IPv6 /64); default 256;
				      * trusted proxies are exempt */
	unsigned request_deadline_s; /* a request's headers and body must
				      * arrive within this of the
				      * connection's start or the end of
				      * the previous response; default 30 */
	unsigned stop_wait_s;        /* on SIGTERM, how long requests in
				      * flight may take to finish; default
				      * 10 (`stop_wait_seconds`, 1..600) */
	int64_t fixed_now;           /* `clock = YYYY-MM-DDTHH:MM:SSZ`: every
				      * request's now is this instant (for
				      * tests and training copies; logged
				      * at start).  0 (default): the
				      * system clock. */
	const char *trusted_proxies; /* addresses and CIDR networks whose
				      * X-Forwarded-For is believed
				      * (http/forwarded.h); default none */
	char **owned;                /* the strings app_config_load made */
	size_t nowned;
	const char *read_db;         /* a PostgreSQL hot standby of db
				      * (`read_db`, --read-db,
				      * CAIRN_READ_DB): the routes marked
				      * ROUTE_REPLICA read from it; NULL
				      * (default): everything reads db
				      * (docs/decisions.md D45) */
	const char *key_file;        /* the server's secret key (auth/seal.h),
				      * which seals drafts; NULL (default):
				      * the database's path + ".key", made
				      * by 'cairn init' */
};

/* Loads "key = value" lines (# comments) from path over the defaults.
 * Keys: db (the database; --db and CAIRN_DB win over it), listen
 * (--listen and CAIRN_LISTEN win), threads, pool_size, session_idle_minutes,
 * session_absolute_minutes, cookie_secure, metrics_token, synchronous,
 * db_max_megabytes, body_limit, key_file, read_db,
 * assets_dir, static_dir, and for the HTTP layer (docs/decisions.md,
 * "HTTP limits"):
 *   max_connections_per_address = N  (1..4096, default 256) connections
 *       one client address (an IPv6 client's /64) may hold open; more
 *       are closed on accept.  Trusted proxies are exempt.
 *   request_deadline_seconds = N  (1..3600, default 30) a request's
 *       headers and body must arrive within N seconds of the
 *       connection's start or the end of the previous response on it,
 *       however slowly the bytes trickle in.
 *   trusted_proxies = LIST  comma-separated IPv4/IPv6 addresses and
 *       CIDR networks (default empty).  Only from these peers is
 *       X-Forwarded-For believed: the client address (sign-in
 *       throttling, the audit) is then its rightmost entry that is not
 *       itself a trusted proxy.
 *   stop_wait_seconds = N  (1..600, default 10) when the server is
 *       told to stop, requests in flight may take this long to finish.
 * cookie_secure (default true) also turns on Strict-Transport-Security
 * (max-age=31536000; includeSubDomains) on every response.
 * Returns 0, or -1 with "path:line: why" in
 * err.  Strings are owned by cfg until app_config_release. */
void app_config_defaults(struct app_config *cfg);
int app_config_load(struct app_config *cfg, const char *path, char *err,
		    size_t errlen);

/* Frees the strings app_config_load made (after app_stop, when the app
 * holds a copy of cfg); cfg's string settings are then invalid.
 * Safe on a cfg that loaded nothing, and twice. */
void app_config_release(struct app_config *cfg);

enum route_flag {
	ROUTE_API = 1u << 0,     /* JSON in and out; bearer token */
	ROUTE_NO_CSRF = 1u << 1, /* POST with its own CSRF (sign-in) */
	ROUTE_FORM = 1u << 2,    /* page POST with form body (CSRF checked) */
	ROUTE_ACTION = 1u << 3,  /* API POST acting on an existing record:
				  * answers 200 (not 201), and 409 when the
				  * record's state does not allow it */
	ROUTE_REPLICA = 1u << 4, /* a heavy read-only page (a report, a
				  * count, an export) that may be served
				  * from the read replica, seconds behind
				  * the primary (D45); GET only */
	ROUTE_UPLOAD = 1u << 5,  /* takes a file (D62): a page POST may be
				  * multipart/form-data (its text fields
				  * checked as a urlencoded form's, the file
				  * through req_file); an API POST may send
				  * a document's bytes as the body, with its
				  * own Content-Type (r->upload_type).
				  * Such bodies may be APP_UPLOAD_LIMIT;
				  * JSON and urlencoded ones keep
				  * body_limit */
};

/* The body limit of a ROUTE_UPLOAD route (D62): a document of up to
 * 10 MiB (docread.h's DOC_MAX_BYTES) and the multipart envelope around
 * it.  The global body_limit still applies when it is larger. */
#define APP_UPLOAD_LIMIT (((size_t)10 << 20) + ((size_t)64 << 10))

struct req;

struct route {
	enum http_method method;
	const char *pattern;
	enum perm perm;
	unsigned flags;
	const struct param_spec *params; /* query and form, NULL-ended */
	void (*fn)(struct req *r);
	const char *summary;             /* for the OpenAPI document */
	const char *body_schema;         /* JSON schema name, API bodies */
};

struct council_cal {
	char council[16];
	struct cal *cal;
};

struct app {
	struct app_config cfg;
	struct db *db;
	struct db *read_db;             /* the replica (cfg.read_db), or NULL */
	struct throttle *throttle;      /* sign-in failures per account */
	struct throttle *throttle_addr; /* and per client address */
	struct assets *assets;
	struct http_server *http;
	struct council_cal *cals;
	int ncals;
	char pre_csrf_key[32]; /* keys the sign-in form's token */
	struct audit_batcher *audit; /* group commit of "read" rows */
	struct seal_key *key;  /* seals drafts; NULL: drafts are off */
	struct child_names *names; /* the child search's name index
				    * (child/child.h); NULL without
				    * app_start: searches build their own */
};

struct req {
	struct app *app;
	struct http_exchange *ex;
	struct arena *a;
	const struct route *route;
	int64_t ids[ROUTER_MAX_IDS];
	int nids;
	struct decode_params q;   /* declared query parameters */
	struct decode_params f;   /* declared form fields */
	struct multipart_parts files; /* a ROUTE_UPLOAD page's file parts
				       * (borrowed from the body) */
	const char *upload_type;  /* a ROUTE_UPLOAD API body's media type
				   * (lower case, no parameters), or NULL
				   * when the body is JSON */
	json_t *json;             /* API request body, or NULL */
	bool authed;
	struct user user;
	char csrf[64];            /* the session's CSRF token (pages) */
	char session_token[64];
	int audit_rc;             /* the deferred reads' commit (D58) */
	struct db_conn *db;
	struct db *db_pool;       /* the pool r->db is borrowed from (the
				   * primary's, or the replica's: D45) */
	const struct cal *cal;    /* the user's council's calendar */
	/* Who is acting and when: the clock is read once, when the request
	 * starts (or fixed by the configuration's `clock`); the user's
	 * fields are set once authenticated.  Pass &r->act to the domain. */
	struct actor act;
	/* drafts (web/drafts.h) */
	bool session_expired;     /* the cookie named an expired session: */
	struct session expired;   /* ...this one (set with the flag) */
	const struct draft *draft;         /* the draft this page shows */
	struct decode_params draft_fields; /* ...its fields */
	bool draft_on;            /* writing the form the draft fills */
	bool form_has_text;       /* the open form has a textarea */
	const char *form_page;    /* a re-rendered form's page ("_form") */
	/* where in the page page_back_link puts its link: first in <main>,
	 * above the heading (set by page_begin; 0: no page begun) */
	size_t back_at;
	/* where page_begin wrote its h1: page_banner goes before it */
	size_t h1_at;
	/* the child's page: each section's loaded data and whether the user
	 * sees it, in child_sections() order (child_section_data) */
	/* reads the domain audited through r->act.audit_read (D57): kept
	 * here, made durable in one group commit before the response leaves
	 * (req_audit_flush) */
	struct audit_event *audit_pend;
	int naudit_pend, audit_pend_cap;
	void *const *section_data;
	const bool *section_on;
};

/* Opens the store, loads calendars and assets, starts the server.
 * Returns 0, or -1 with a message. */
int app_start(struct app *app, const struct app_config *cfg, char *err,
	      size_t errlen);

/* Stops the server and frees everything app_start made. */
void app_stop(struct app *app);

/* The whole route table, ended by pattern == NULL. */
const struct route *app_routes(void);

/* The pipeline; exposed for tests that call it without a socket. */
void app_handle(struct http_exchange *ex, void *arg);
void app_done(struct http_exchange *ex, void *arg);

/* The audit event for this request's user (fill action, entity, ids). */
struct audit_event;
void req_audit_event(const struct req *r, struct audit_event *ev,
		     const char *action, const char *entity,
		     int64_t entity_id, int64_t child_id);

/* Audits a read of a child's data before it is shown: call it after
 * reading (any read transaction ended) and before the handler returns.
 * The row is durable when this returns 0 (group commit, see audit.h);
 * on < 0 the handler must not send the data (answer 503).  action is
 * "read" unless a more precise word fits ("search", "history").  With
 * the group commit, a connection with no transaction open is given back
 * to the pool before the wait: r->db is NULL afterwards, and the
 * handler may not use the store again. */
int req_audit_read(struct req *r, const char *action, const char *entity,
		   int64_t entity_id, int64_t child_id);

/* req_audit_read for a list that showed n children: one row naming
 * them all (audit_event's children), durable before it returns 0.  Same
 * rules as req_audit_read otherwise. */
int req_audit_shown(struct req *r, const char *action, const char *entity,
		    const int64_t *child_ids, int n);

/* Makes the reads the domain audited through r->act (audit_pend)
 * durable, in one group commit.  Outside a transaction the store
 * connection goes back to the pool first (r->db is then NULL), and the
 * request leaves app->gate (the wait is not work).  Returns 0 (also when
 * there were none), or a negative db_err: then nothing read may be
 * shown.  app_handle calls it after every handler, and replaces the
 * response with an error when it fails. */
int req_audit_flush(struct req *r);

/* req_audit_shown with the request as a void pointer, for a domain
 * module's audit callback (struct child_ctx's audit_shown). */
int req_audit_shown_cb(void *req, const char *action, const char *entity,
		       const int64_t *child_ids, int n);

/* Audits, after the handler, a request for a child's data that was
 * refused (403) or found nothing the user may see (404): who, what was
 * asked for (the route and its id) and the answer, so probing leaves a
 * trace.  Called by the pipeline; exposed for tests. */
void req_audit_refusal(struct req *r);

/* A declared query or form value, or NULL. */
const char *req_query(const struct req *r, const char *name);
const char *req_form(const struct req *r, const char *name);

/* The file a ROUTE_UPLOAD page's multipart form sent as field `name`:
 * true with its bytes (binary, borrowed from the request body, *len may
 * be 0 for an empty file) and its filename as the browser gave it (a
 * label only: never trusted for the kind).  False when the form sent no
 * such file, or sent the field with nothing chosen (no filename and no
 * bytes).  filename may be NULL. */
bool req_file(const struct req *r, const char *name, const char **data,
	      size_t *len, const char **filename);

/* The value of the request's cookie `name` (decoded into the arena), or
 * NULL when there is none or the Cookie header does not parse. */
const char *req_cookie(struct req *r, const char *name);

/* True when the user's role holds p. */
bool req_can(const struct req *r, enum perm p);

/* Borrows the request's connection (r->db) from pool, the primary's or
 * the replica's, and gives it back to the pool it came from; the
 * release is a no-op when the request holds none. */
void req_acquire_db(struct req *r, struct db *pool);
void req_release_db(struct req *r);


/* Sets the role bit on the request's connection back to the user's (for
 * handlers that temporarily used another). */
void req_db_role(struct req *r);

/* Loads each council's calendar from the store (bank_holiday, setting
 * 'working_day_convention').  Returns 0 or a negative db_err. */
int app_load_calendars(struct app *app);

#endif
