/*
 * scrutiny_api.c: scrutiny reviews in the JSON API (/api/v1/reviews and
 * /api/v1/actions): the register, a review's whole action plan, creating
 * a review, importing an action plan from a document (a dry run that
 * shows the proposal, or a save), progress updates, corrections of a
 * parsed timescale, comments, reports presented to the body, and the
 * progress report's "what changed since the last report".
 *
 * Every call goes through scrutiny/scrutiny.h, which opens its own
 * transaction and appends the audit row of a write in it (child_id 0:
 * nothing here is a child's data).  Reads are not audited, as the store
 * says.  Errors are RFC 9457 problems: 422 with every field at fault (a
 * wrong JSON type or an unknown field names the field too), 404 for an id
 * that is not in the caller's council, 409 for an import into a review
 * that already has recommendations or a second report on one date, 413
 * when a document needs more memory to read than one import may use.
 *
 * A document sent for import is parsed in an arena of its own, freed
 * before the handler returns.  Documents, narratives and comments are
 * never logged: log lines carry the route and the error's name only.
 *
 * Lists are paginated as elsewhere in the API: "items" and "next".  The
 * register runs newest first (cursor: the last review_id seen); the
 * actions list runs in action_id order (cursor: the last action_id).
 */
#include "api/api.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "http/json.h"
#include "referral/referral.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"
#include "scrutiny/report.h"
#include "scrutiny/scrutiny.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/routes.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Budget of the arena one review's plan is loaded into when a handler
 * walks many reviews (each is freed before the next is loaded). */
#define SCRATCH_BUDGET ((size_t)32 << 20)

/* Budget of an import's arena: a base plus so much per byte of the
 * document (the proposal holds the text several times over: cells,
 * cleaned strings, unplaced lines). */
#define IMPORT_ARENA_BASE ((size_t)8 << 20)
#define IMPORT_ARENA_PER_BYTE 32

/* Longest string the body getters accept, in characters; the store
 * checks the real limits and says so with its own messages. */
#define BODY_TEXT_MAX ((size_t)1 << 20)

/* ---- helpers --------------------------------------------------------- */

/* Today in England: the store's "overdue" and "not in the future". */
/* Sends the store's field errors as one 422 problem. */
/* Sends the problem for a store result other than ERR_OK.  what
 * names the thing an id was for ("review", "action"). */
/* Refuses fields outside allowed (NULL-ended). */
static void body_fields(struct api_body *b, const char *const *allowed)
{
	struct json_field_err je;
	if (json_check_fields(b->r->json, allowed, &je) != 0)
		api_body_error(b, je.field, je.msg);
}

/* Sends the collected errors as a 422.  Returns true when there were. */
static bool body_bad(struct api_body *b)
{
	if (b->fe.n == 0)
		return false;
	api_problem_fields(b->r, &b->fe);
	return true;
}

/* A JSON string for s, or null for NULL, "" or text jansson refuses. */
static json_t *str_or_null(const char *s)
{
	json_t *v = s && s[0] ? json_string(s) : NULL;
	return v ? v : json_null();
}

/* A JSON string for s ("" for NULL). */
static json_t *str_json(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

static json_t *by_status_json(const int by[8])
{
	json_t *o = json_object();
	for (int i = 0; scrutiny_statuses[i].id && i < 8; i++)
		json_object_set_new(o, scrutiny_statuses[i].id,
				    json_integer(by[i]));
	return o;
}

static json_t *review_json(const struct scrutiny_review *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "review_id", json_integer(v->review_id));
	json_object_set_new(o, "body_kind", str_json(v->body_kind));
	json_object_set_new(o, "body_label",
			    str_or_null(scrutiny_label(scrutiny_bodies,
						       v->body_kind)));
	json_object_set_new(o, "body_name", str_json(v->body_name));
	json_object_set_new(o, "topic", str_json(v->topic));
	json_object_set_new(o, "started_on", str_or_null(v->started_on));
	json_object_set_new(o, "reported_on", str_or_null(v->reported_on));
	json_object_set_new(o, "report_title", str_json(v->report_title));
	json_object_set_new(o, "schedule_months",
			    json_integer(v->schedule_months));
	json_object_set_new(o, "next_report_due",
			    str_or_null(v->next_report_due));
	json_object_set_new(o, "report_overdue",
			    json_boolean(v->report_overdue));
	json_object_set_new(o, "last_presented",
			    str_or_null(v->last_presented));
	json_object_set_new(o, "nrecs", json_integer(v->nrecs));
	json_object_set_new(o, "nactions", json_integer(v->nactions));
	json_object_set_new(o, "noverdue", json_integer(v->noverdue));
	json_object_set_new(o, "by_status", by_status_json(v->by_status));
	return o;
}

static json_t *update_json(const struct scrutiny_update *u)
{
	json_t *o = json_object();
	json_object_set_new(o, "update_id", json_integer(u->update_id));
	json_object_set_new(o, "on_date", str_json(u->on_date));
	json_object_set_new(o, "status", str_json(u->status));
	json_object_set_new(o, "narrative", str_json(u->narrative));
	json_object_set_new(o, "author", str_json(u->author));
	json_object_set_new(o, "created_at", str_json(u->created_at));
	return o;
}

/* An action; with its updates (oldest first) when `updates`, else with
 * their number. */
static json_t *action_json(const struct scrutiny_action *x, bool updates)
{
	json_t *o = json_object();
	json_object_set_new(o, "action_id", json_integer(x->action_id));
	json_object_set_new(o, "text", str_json(x->text));
	json_object_set_new(o, "owner", str_json(x->owner));
	json_object_set_new(o, "budget", str_json(x->budget));
	json_t *ts = json_object();
	json_object_set_new(ts, "text", str_json(x->timescale_text));
	json_object_set_new(ts, "due", str_or_null(x->due_on));
	json_object_set_new(ts, "recurrence", str_or_null(x->recurrence));
	json_object_set_new(ts, "checked", json_boolean(x->timescale_checked));
	json_object_set_new(o, "timescale", ts);
	json_object_set_new(o, "status", str_json(x->status));
	json_object_set_new(o, "overdue", json_boolean(x->overdue));
	if (updates) {
		json_t *a = json_array();
		for (int i = 0; i < x->nupdates; i++)
			json_array_append_new(a, update_json(&x->updates[i]));
		json_object_set_new(o, "updates", a);
	} else {
		json_object_set_new(o, "nupdates", json_integer(x->nupdates));
	}
	return o;
}

static json_t *rec_json(const struct scrutiny_rec *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "rec_id", json_integer(c->rec_id));
	json_object_set_new(o, "ref", str_json(c->ref));
	json_object_set_new(o, "text", str_json(c->text));
	json_object_set_new(o, "response_kind", str_or_null(c->response_kind));
	json_object_set_new(o, "response", str_json(c->response));
	json_t *a = json_array();
	for (int i = 0; i < c->nactions; i++)
		json_array_append_new(a, action_json(&c->actions[i], true));
	json_object_set_new(o, "actions", a);
	return o;
}

static json_t *comment_json(const struct scrutiny_comment *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "comment_id", json_integer(c->comment_id));
	json_object_set_new(o, "rec_id",
			    c->rec_id > 0 ? json_integer(c->rec_id)
					  : json_null());
	json_object_set_new(o, "text", str_json(c->text));
	json_object_set_new(o, "author", str_json(c->author));
	json_object_set_new(o, "role", str_json(c->role));
	json_object_set_new(o, "created_at", str_json(c->created_at));
	return o;
}

static json_t *plan_json(const struct scrutiny_plan *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "review", review_json(&p->review));
	json_t *recs = json_array();
	for (int i = 0; i < p->nrecs; i++)
		json_array_append_new(recs, rec_json(&p->recs[i]));
	json_object_set_new(o, "recommendations", recs);
	json_t *cm = json_array();
	for (int i = 0; i < p->ncomments; i++)
		json_array_append_new(cm, comment_json(&p->comments[i]));
	json_object_set_new(o, "comments", cm);
	return o;
}

/* Sets the Location header to /api/v1/reviews/{id}. */
static void review_location(struct req *r, int64_t id)
{
	const char *loc = arena_printf(r->a, "/api/v1/reviews/%lld",
				       (long long)id);
	if (loc)
		http_add_header(r->ex, "Location", loc);
}

/* The number of recommendations of one review (404 when it is not this
 * council's), read in an arena of its own. */
static int count_recs(struct req *r, int64_t review_id, struct cal_date day,
		      int *nrecs)
{
	struct arena *pa = arena_new(SCRATCH_BUDGET);
	struct scrutiny_plan p;
	int rc = scrutiny_plan_load(r->db, r->user.council, pa, review_id, day,
				    &p);
	if (rc == ERR_OK)
		*nrecs = p.nrecs;
	arena_free(pa);
	return rc;
}

/* Reads an optional code-list query parameter into *out.  Returns 0, or
 * -1 with a 400 sent. */
static int query_code(struct req *r, const char *name,
		      const struct scrutiny_code *list, const char *what,
		      const char **out)
{
	const char *v = req_query(r, name);
	*out = NULL;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (scrutiny_label(list, v) == NULL) {
		struct sbuf sb;
		sbuf_init(&sb, 512);
		sbuf_printf(&sb, "%s must be one of", name);
		for (int i = 0; list[i].id; i++)
			sbuf_printf(&sb, "%s %s", i ? "," : "", list[i].id);
		sbuf_printf(&sb, " (the %s).", what);
		const char *m = arena_strdup(r->a, sb.buf);
		sbuf_release(&sb);
		api_problem(r, 400, NULL, m, name);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- the register ---------------------------------------------------- */

static void reviews_list(struct req *r)
{
	int64_t limit, cursor;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	const char *body;
	if (query_code(r, "body", scrutiny_bodies, "kind of body", &body) < 0)
		return;
	struct cal_date day = r->act.today;
	struct arena *sa = arena_new(SCRATCH_BUDGET);
	struct scrutiny_review *v = NULL;
	int n = 0;
	int rc = scrutiny_reviews(r->db, r->user.council, sa, day, &v, &n);
	if (rc != ERR_OK) {
		arena_free(sa);
		answer_error(r, rc, NULL, "review");
		return;
	}
	json_t *items = json_array();
	int64_t next = 0, last = 0;
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (cursor > 0 && v[i].review_id >= cursor)
			continue;
		if (body && strcmp(v[i].body_kind, body) != 0)
			continue;
		if (k == limit) {
			next = last;
			break;
		}
		json_array_append_new(items, review_json(&v[i]));
		last = v[i].review_id;
		k++;
	}
	arena_free(sa);
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? json_integer(next) : json_null());
	api_json(r, 200, o);
}

static const char *const review_fields[] = {
	"body_kind", "body_name", "topic", "started_on", "reported_on",
	"report_title", "schedule_months", "next_report_due", NULL,
};

static void review_create(struct req *r)
{
	struct api_body b = {r, {0}};
	body_fields(&b, review_fields);
	struct scrutiny_review_in in = {0};
	in.body_kind = api_body_str(&b, "body_kind", BODY_TEXT_MAX, false);
	in.body_name = api_body_str(&b, "body_name", BODY_TEXT_MAX, false);
	in.topic = api_body_str(&b, "topic", BODY_TEXT_MAX, false);
	in.started_on = api_body_str(&b, "started_on", BODY_TEXT_MAX, false);
	in.reported_on = api_body_str(&b, "reported_on", BODY_TEXT_MAX, false);
	in.report_title = api_body_str(&b, "report_title", BODY_TEXT_MAX, false);
	in.next_report_due = api_body_str(&b, "next_report_due", BODY_TEXT_MAX, false);
	/* a number of months as a JSON integer or a string of digits */
	json_t *m = json_object_get(r->json, "schedule_months");
	if (m && json_is_integer(m))
		in.schedule_months = arena_printf(
			r->a, "%lld", (long long)json_integer_value(m));
	else if (m && json_is_string(m))
		in.schedule_months = json_string_value(m);
	else if (m && !json_is_null(m))
		api_body_error(&b, "schedule_months", "must be a whole number of "
			   "months from 0 to 24");
	if (body_bad(&b))
		return;
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = scrutiny_review_create(r->db, w, &in, &e, &id);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "review");
		return;
	}
	review_location(r, id);
	api_json(r, 201, json_pack("{s:I}", "review_id", (json_int_t)id));
}

static void review_get(struct req *r)
{
	struct scrutiny_plan p;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0],
				    r->act.today, &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "review");
		return;
	}
	api_json(r, 200, plan_json(&p));
}

/* ---- import ---------------------------------------------------------- */

static const char *const import_fields[] = {"document", "dry_run", "on_date",
					    NULL};

static json_t *unplaced_json(const struct import_proposal *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->nunplaced; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "line",
				    json_integer(p->unplaced[i].line));
		json_object_set_new(o, "text", str_json(p->unplaced[i].text));
		json_array_append_new(a, o);
	}
	return a;
}

/* Checks that the review exists (404) and, for a save, that it has no
 * recommendations yet (409: the store checks again when saving).
 * Returns 0 or -1 (sent). */
static int import_target(struct req *r, int64_t id, bool save)
{
	int nrecs = 0;
	int rc = count_recs(r, id, r->act.today, &nrecs);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "review");
		return -1;
	}
	if (save && nrecs > 0) {
		api_problem(r, 409, NULL, "This review already has "
			    "recommendations: import into a new review.",
			    "review_id");
		return -1;
	}
	return 0;
}

/* Answers an import the text of which import_parse() refused (ie),
 * or that ran out of its arena ia. */
static void import_refused(struct req *r, struct arena *ia,
			   struct import_error *ie)
{
	if (arena_exhausted(ia)) {
		api_problem(r, 413, NULL,
			    "The document needs more memory to read "
			    "than one import may use: import it in "
			    "parts.", "document");
		return;
	}
	ie->msg[sizeof(ie->msg) - 1] = '\0';
	const char *m = ie->line > 0
		? arena_printf(r->a, "Line %d: %s", ie->line, ie->msg)
		: arena_strdup(r->a, ie->msg);
	api_problem(r, 422, "The document could not be read",
		    m && m[0] ? m : "The document could not be read.",
		    "document");
}

/* Answers a parsed import p: the proposal (dry run), or what was
 * saved. */
static void import_answer(struct req *r, struct import_proposal *p,
			  bool dry, const char *on_date, struct cal_date day)
{
	if (dry) {
		struct sbuf *out = &r->ex->out;
		sbuf_reset(out);
		if (import_proposal_json(p, out) != 0) {
			sbuf_reset(out);
			api_problem(r, 413, NULL,
				    "The proposal is too large to send: "
				    "import the document in parts.",
				    "document");
			return;
		}
		r->ex->status = 200;
		r->ex->out_type = "application/json";
		return;
	}
	if (p->nrecs == 0) {
		/* never silent: why; the dry run shows the whole survey */
		api_problem(r, 422, "Nothing to import",
			    arena_printf(r->a, "No recommendations were found, "
					 "so there is nothing to save. %s",
					 p->survey.why ? p->survey.why : ""),
			    "document");
		return;
	}
	char date[11];
	if (on_date && on_date[0])
		snprintf(date, sizeof(date), "%s", on_date);
	else if (cal_date_valid(p->date))
		cal_date_format(p->date, date);
	else
		cal_date_format(day, date);
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int nrecs = 0;
	int64_t id = r->ids[0];
	int rc = scrutiny_import_save(r->db, w, r->user.display_name, id, p,
				      date, &e, &nrecs);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "review");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "review_id", json_integer(id));
	json_object_set_new(o, "recommendations", json_integer(nrecs));
	json_object_set_new(o, "on_date", str_json(date));
	json_object_set_new(o, "unplaced", unplaced_json(p));
	review_location(r, id);
	api_json(r, 201, o);
}

/* Parses the document in ia and answers: the proposal (dry run), or
 * what was saved.  Everything it allocates for the document is in ia. */
static void import_run(struct req *r, struct arena *ia, const char *doc,
		       size_t len, bool dry, const char *on_date,
		       struct cal_date day)
{
	struct import_proposal p;
	struct import_error ie;
	memset(&p, 0, sizeof(p));
	memset(&ie, 0, sizeof(ie));
	if (import_parse(ia, doc, len, &p, &ie) != 0) {
		import_refused(r, ia, &ie);
		return;
	}
	import_answer(r, &p, dry, on_date, day);
}

/* The document types an import's body may declare (D62), each with the
 * kind its bytes must then be; application/octet-stream says nothing,
 * and text/plain and text/html both take text or a web page (a page
 * saved as text is still text). */
static const struct {
	const char *type;
	enum doc_kind kind;
} import_types[] = {
	{"application/pdf", DOC_KIND_PDF},
	{("application/vnd.openxmlformats-officedocument.wordprocessingml."
	  "document"), DOC_KIND_DOCX},
	{"application/vnd.oasis.opendocument.text", DOC_KIND_ODT},
	{"text/html", DOC_KIND_HTML},
	{"text/plain", DOC_KIND_TEXT},
	{"application/octet-stream", DOC_KIND_UNKNOWN},
};

/* Whether the bytes (of kind got, or none we read) may be what the body
 * declared (want; DOC_KIND_UNKNOWN: anything). */
static bool import_type_fits(enum doc_kind want, enum doc_kind got)
{
	if (want == DOC_KIND_UNKNOWN || got == DOC_KIND_UNKNOWN)
		return want == DOC_KIND_UNKNOWN || got == want;
	if ((want == DOC_KIND_TEXT || want == DOC_KIND_HTML) &&
	    (got == DOC_KIND_TEXT || got == DOC_KIND_HTML))
		return true;
	return got == want;
}

/* dry_run and on_date of a document sent as the body: from the query.
 * Returns 0, or -1 (answered 422). */
static int import_query(struct req *r, bool *dry, const char **on_date,
			struct cal_date day)
{
	struct field_errors fe = {0};
	const char *d = req_query(r, "dry_run");
	*dry = false;
	if (d && (strcmp(d, "true") == 0 || strcmp(d, "1") == 0))
		*dry = true;
	else if (d && strcmp(d, "false") != 0 && strcmp(d, "0") != 0 &&
		 d[0] != '\0')
		fe_set(&fe, "dry_run", "dry_run must be true or false.");
	*on_date = req_query(r, "on_date");
	struct cal_date od;
	if (*on_date && (*on_date)[0]) {
		if (!cal_date_parse(*on_date, strlen(*on_date), &od))
			fe_set(&fe, "on_date", "on_date must be a real "
				   "date, as YYYY-MM-DD.");
		else if (cal_compare(od, day) > 0)
			fe_set(&fe, "on_date", "on_date must be today or "
				   "in the past.");
	}
	if (fe.n == 0)
		return 0;
	answer_error(r, ERR_INVALID, &fe, "document");
	return -1;
}

/* An import whose body is the document itself, declared as
 * r->upload_type: its kind is read from its bytes (doc_detect), and a
 * declared type that says otherwise is refused (415) saying what the
 * bytes are. */
static void review_import_upload(struct req *r)
{
	enum doc_kind want = DOC_KIND__MAX;
	for (size_t i = 0; i < sizeof(import_types) / sizeof(import_types[0]);
	     i++)
		if (strcmp(r->upload_type, import_types[i].type) == 0)
			want = import_types[i].kind;
	if (want == DOC_KIND__MAX) {
		api_problem(r, 415, NULL, "Send the document as JSON "
			    "(application/json, its text in \"document\"), "
			    "or its bytes with the Content-Type of a Word "
			    "document, OpenDocument text, PDF, web page, "
			    "plain text or application/octet-stream.", NULL);
		return;
	}
	struct cal_date day = r->act.today;
	bool dry;
	const char *on_date;
	if (import_query(r, &dry, &on_date, day) < 0)
		return;
	const char *data = r->ex->body;
	size_t len = r->ex->body_len;
	struct doc_error derr = {{0}};
	enum doc_kind got = doc_detect(data, len, &derr);
	if (!import_type_fits(want, got)) {
		const char *what = got == DOC_KIND_UNKNOWN
			? arena_printf(r->a, "The body is not a %s. %s",
				       doc_kind_label(want), derr.msg)
			: arena_printf(r->a, "The body was sent as %s, but it "
				       "is a %s: send it with its own "
				       "Content-Type, or as "
				       "application/octet-stream.",
				       r->upload_type, doc_kind_label(got));
		api_problem(r, 415, "The document is not of the type sent",
			    what ? what : "The document is not of the type "
			    "sent.", "document");
		return;
	}
	if (got == DOC_KIND_UNKNOWN) {
		api_problem(r, 422, "The document could not be read",
			    derr.msg[0] ? arena_strdup(r->a, derr.msg)
					: "The document could not be read.",
			    "document");
		return;
	}
	if (import_target(r, r->ids[0], !dry) < 0)
		return;
	struct arena *ia =
		arena_new(IMPORT_ARENA_BASE + IMPORT_ARENA_PER_BYTE * len);
	struct import_proposal p;
	struct import_error ie;
	memset(&p, 0, sizeof(p));
	int rc = doc_import_text(ia, data, len, NULL, NULL, NULL, &p, &ie,
				 &derr);
	if (rc == -1) {
		bool big = arena_exhausted(ia);
		api_problem(r, big ? 413 : 422, big ? NULL
			    : "The document could not be read",
			    big ? "The document needs more memory to read "
				  "than one import may use: import it in parts."
				: derr.msg[0] ? arena_strdup(r->a, derr.msg)
					      : "The document could not be "
						"read.", "document");
	} else if (rc == -2) {
		import_refused(r, ia, &ie);
	} else {
		import_answer(r, &p, dry, on_date, day);
	}
	arena_free(ia);
}

static void review_import(struct req *r)
{
	if (r->upload_type) {
		review_import_upload(r);
		return;
	}
	struct api_body b = {r, {0}};
	body_fields(&b, import_fields);
	const char *doc = NULL;
	size_t len = 0;
	json_t *d = json_object_get(r->json, "document");
	if (d == NULL || json_is_null(d)) {
		fe_set(&b.fe, "document", "Enter the document's text in "
			   "\"document\".");
	} else if (!json_is_string(d)) {
		api_body_error(&b, "document", "must be a string: the document's "
			   "plain text");
	} else {
		/* as sent, NUL bytes and all: import_parse() refuses what
		 * is not text, with its own message */
		doc = json_string_value(d);
		len = json_string_length(d);
	}
	bool dry = api_body_bool(&b, "dry_run");
	const char *on_date = api_body_str(&b, "on_date", BODY_TEXT_MAX, false);
	struct cal_date day = r->act.today, od;
	if (on_date && on_date[0]) {
		if (!cal_date_parse(on_date, strlen(on_date), &od))
			fe_set(&b.fe, "on_date", "on_date must be a real "
				   "date, as YYYY-MM-DD.");
		else if (cal_compare(od, day) > 0)
			fe_set(&b.fe, "on_date", "on_date must be today or "
				   "in the past.");
	}
	if (body_bad(&b))
		return;
	if (import_target(r, r->ids[0], !dry) < 0)
		return;
	struct arena *ia =
		arena_new(IMPORT_ARENA_BASE + IMPORT_ARENA_PER_BYTE * len);
	import_run(r, ia, doc, len, dry, on_date, day);
	arena_free(ia);
}

/* ---- actions --------------------------------------------------------- */

/* One action kept for the page being built. */
struct pick {
	int64_t id;
	json_t *item;
};

/* Inserts (id, item) into v[0..*n) kept in id order, at most cap long:
 * the item past cap is released. */
static void pick_add(struct pick *v, int *n, int cap, int64_t id,
		     json_t *item)
{
	int i = *n;
	while (i > 0 && v[i - 1].id > id)
		i--;
	if (i >= cap) {
		json_decref(item);
		return;
	}
	if (*n == cap) {
		json_decref(v[cap - 1].item);
		(*n)--;
	}
	memmove(&v[i + 1], &v[i], (size_t)(*n - i) * sizeof(*v));
	v[i].id = id;
	v[i].item = item;
	(*n)++;
}

static json_t *action_item(const struct scrutiny_review *rv,
			   const struct scrutiny_rec *c,
			   const struct scrutiny_action *x)
{
	json_t *o = action_json(x, false);
	json_object_set_new(o, "review_id", json_integer(rv->review_id));
	json_object_set_new(o, "review_topic", str_json(rv->topic));
	json_object_set_new(o, "body_kind", str_json(rv->body_kind));
	json_object_set_new(o, "rec_id", json_integer(c->rec_id));
	json_object_set_new(o, "rec_ref", str_json(c->ref));
	return o;
}

static void actions_list(struct req *r)
{
	int64_t limit, cursor;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	struct scrutiny_filter f = {0};
	if (query_code(r, "body", scrutiny_bodies, "kind of body",
		       &f.body_kind) < 0 ||
	    query_code(r, "status", scrutiny_statuses, "status", &f.status) < 0)
		return;
	f.owner = req_query(r, "owner");
	const char *ov = req_query(r, "overdue");
	if (ov && (strcmp(ov, "1") == 0 || strcmp(ov, "true") == 0)) {
		f.overdue_only = true;
	} else if (ov && ov[0] && strcmp(ov, "0") != 0 &&
		   strcmp(ov, "false") != 0) {
		api_problem(r, 400, NULL,
			    "overdue must be 1, true, 0 or false.", "overdue");
		return;
	}
	struct cal_date day = r->act.today;
	struct arena *sa = arena_new(SCRATCH_BUDGET);
	struct scrutiny_review *v = NULL;
	int n = 0;
	int rc = scrutiny_reviews(r->db, r->user.council, sa, day, &v, &n);
	/* the page plus one, to know whether there is a next */
	int cap = (int)limit + 1, k = 0;
	struct pick *picks = arena_zalloc(r->a, (size_t)cap * sizeof(*picks));
	if (rc == ERR_OK && picks == NULL)
		rc = ERR_STORE;
	for (int i = 0; i < n && rc == ERR_OK; i++) {
		if (v[i].nactions == 0 ||
		    (f.body_kind && strcmp(v[i].body_kind, f.body_kind) != 0))
			continue;
		struct arena *pa = arena_new(SCRATCH_BUDGET);
		struct scrutiny_plan p;
		rc = scrutiny_plan_load(r->db, r->user.council, pa,
					v[i].review_id, day, &p);
		for (int j = 0; rc == ERR_OK && j < p.nrecs; j++) {
			const struct scrutiny_rec *c = &p.recs[j];
			for (int m = 0; m < c->nactions; m++) {
				const struct scrutiny_action *x =
					&c->actions[m];
				bool beyond = k == cap &&
					      x->action_id > picks[k - 1].id;
				if (x->action_id <= cursor || beyond ||
				    !scrutiny_filter_match(&f, &p.review, x))
					continue;
				pick_add(picks, &k, cap, x->action_id,
					 action_item(&p.review, c, x));
			}
		}
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK; /* gone meanwhile */
		arena_free(pa);
	}
	arena_free(sa);
	if (rc != ERR_OK) {
		for (int i = 0; i < k; i++)
			json_decref(picks[i].item);
		answer_error(r, rc, NULL, "action");
		return;
	}
	json_t *items = json_array();
	int64_t next = 0;
	for (int i = 0; i < k; i++) {
		if (i == (int)limit) {
			next = picks[i - 1].id;
			json_decref(picks[i].item);
			continue;
		}
		json_array_append_new(items, picks[i].item);
	}
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? json_integer(next) : json_null());
	api_json(r, 200, o);
}

static const char *const update_fields[] = {"on_date", "status", "narrative",
					    NULL};

static void update_add(struct req *r)
{
	struct api_body b = {r, {0}};
	body_fields(&b, update_fields);
	const char *on_date = api_body_str(&b, "on_date", BODY_TEXT_MAX, false);
	const char *status = api_body_str(&b, "status", BODY_TEXT_MAX, false);
	const char *narrative = api_body_str(&b, "narrative", BODY_TEXT_MAX, false);
	if (body_bad(&b))
		return;
	struct cal_date day = r->act.today;
	char d[11];
	if (on_date == NULL) { /* absent: today */
		cal_date_format(day, d);
		on_date = d;
	}
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = scrutiny_update_add(r->db, w, r->user.display_name,
				     r->ids[0], on_date, status, narrative, &e,
				     &id);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "action");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "update_id", json_integer(id));
	json_object_set_new(o, "action_id", json_integer(r->ids[0]));
	json_object_set_new(o, "on_date", str_json(on_date));
	json_object_set_new(o, "status", str_json(status));
	api_json(r, 201, o);
}

static const char *const timescale_fields[] = {"due_on", "recurrence", NULL};

static void timescale_set(struct req *r)
{
	struct api_body b = {r, {0}};
	body_fields(&b, timescale_fields);
	const char *due = api_body_str(&b, "due_on", BODY_TEXT_MAX, false);
	const char *rec = api_body_str(&b, "recurrence", BODY_TEXT_MAX, false);
	if (body_bad(&b))
		return;
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int rc = scrutiny_timescale_set(r->db, w, r->ids[0], due ? due : "",
					rec ? rec : "", &e);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "action");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "action_id", json_integer(r->ids[0]));
	json_object_set_new(o, "due_on", str_or_null(due));
	json_object_set_new(o, "recurrence", str_or_null(rec));
	json_object_set_new(o, "checked", json_true());
	api_json(r, 200, o);
}

/* ---- comments and reports -------------------------------------------- */

static const char *const comment_fields[] = {"text", "rec_id", NULL};

static void comment_add(struct req *r)
{
	struct api_body b = {r, {0}};
	body_fields(&b, comment_fields);
	const char *text = api_body_str(&b, "text", BODY_TEXT_MAX, false);
	int64_t rec_id = api_body_id(&b, "rec_id", false);
	if (body_bad(&b))
		return;
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = scrutiny_comment_add(r->db, w, r->user.display_name,
				      r->ids[0], rec_id, text, &e, &id);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "review");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "comment_id", json_integer(id));
	json_object_set_new(o, "review_id", json_integer(r->ids[0]));
	json_object_set_new(o, "rec_id",
			    rec_id > 0 ? json_integer(rec_id) : json_null());
	api_json(r, 201, o);
}

static const char *const report_fields[] = {"presented_on", NULL};

static void report_presented(struct req *r)
{
	struct api_body b = {r, {0}};
	body_fields(&b, report_fields);
	const char *on = api_body_str(&b, "presented_on", BODY_TEXT_MAX, false);
	if (body_bad(&b))
		return;
	struct cal_date day = r->act.today;
	const struct actor *w = &r->act;
	struct field_errors e = {0};
	int rc = scrutiny_report_presented(r->db, w, r->ids[0], on, &e);
	if (rc != ERR_OK) {
		answer_error(r, rc, &e, "review");
		return;
	}
	/* answer with the review's dates as they now stand */
	struct scrutiny_plan p;
	rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0], day,
				&p);
	json_t *o = json_object();
	json_object_set_new(o, "review_id", json_integer(r->ids[0]));
	json_object_set_new(o, "presented_on", str_json(on));
	if (rc == ERR_OK) {
		json_object_set_new(o, "last_presented",
				    str_or_null(p.review.last_presented));
		json_object_set_new(o, "next_report_due",
				    str_or_null(p.review.next_report_due));
		json_object_set_new(o, "report_overdue",
				    json_boolean(p.review.report_overdue));
	}
	api_json(r, 201, o);
}

static void report_get(struct req *r)
{
	const char *since = req_query(r, "since");
	struct cal_date sd;
	if (since && since[0] &&
	    !cal_date_parse(since, strlen(since), &sd)) {
		api_problem(r, 400, NULL, "since must be a real date, as "
			    "YYYY-MM-DD.", "since");
		return;
	}
	struct cal_date day = r->act.today;
	struct scrutiny_plan p;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0],
				    day, &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "review");
		return;
	}
	if (since == NULL)
		since = p.review.last_presented;
	struct report rp;
	if (report_build(r->a, &p, since, day, &rp) != 0) {
		answer_error(r, ERR_STORE, NULL, "review");
		return;
	}
	char d[11];
	cal_date_format(day, d);
	json_t *o = json_object();
	json_object_set_new(o, "review_id", json_integer(r->ids[0]));
	json_object_set_new(o, "since", str_or_null(rp.since));
	json_object_set_new(o, "today", str_json(d));
	json_object_set_new(o, "nactions", json_integer(rp.nactions));
	json_object_set_new(o, "noverdue", json_integer(rp.noverdue));
	json_object_set_new(o, "by_status", by_status_json(rp.by_status));
	json_t *ch = json_array();
	for (int i = 0; i < rp.nchanges; i++) {
		const struct report_change *c = &rp.changes[i];
		json_t *x = json_object();
		json_object_set_new(x, "rec_id",
				    c->rec ? json_integer(c->rec->rec_id)
					   : json_null());
		json_object_set_new(x, "rec_ref",
				    c->rec ? str_json(c->rec->ref)
					   : json_null());
		json_object_set_new(x, "action_id",
				    c->action ? json_integer(
							c->action->action_id)
					      : json_null());
		json_object_set_new(x, "from_status",
				    str_or_null(c->from_status));
		json_object_set_new(x, "to_status", str_or_null(c->to_status));
		json_object_set_new(x, "nupdates", json_integer(c->nupdates));
		json_object_set_new(x, "latest", str_or_null(c->latest));
		json_array_append_new(ch, x);
	}
	json_object_set_new(o, "changes", ch);
	api_json(r, 200, o);
}

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_reviews[] = {
	{"body", PARAM_LINE, 40, false},
	API_PAGE_PARAMS,
	{NULL, 0, 0, false},
};

/* An import whose body is the document itself takes these in its
 * query (a JSON body carries them itself, and its query is ignored). */
static const struct param_spec p_import_q[] = {
	{"dry_run", PARAM_LINE, 5, false},
	{"on_date", PARAM_LINE, 10, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_actions[] = {
	{"body", PARAM_LINE, 40, false},
	{"owner", PARAM_LINE, SCRUTINY_LINE_MAX, false},
	{"status", PARAM_LINE, 40, false},
	{"overdue", PARAM_LINE, 5, false},
	API_PAGE_PARAMS,
	{NULL, 0, 0, false},
};

static const struct param_spec p_report[] = {
	{"since", PARAM_LINE, 10, false},
	{NULL, 0, 0, false},
};

#define S_DATE "{\"type\":\"string\",\"format\":\"date\"}"
#define S_NDATE "{\"type\":\"string\",\"format\":\"date\",\"nullable\":true}"
#define S_LINE "{\"type\":\"string\",\"maxLength\":300}"
#define S_STATUS \
	"{\"type\":\"string\",\"enum\":[\"not-started\",\"in-progress\"," \
	"\"delayed\",\"ongoing\",\"completed\",\"superseded\"]}"

static const char schema_review[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"body_kind\",\"body_name\",\"topic\"],\"properties\":{"
	"\"body_kind\":{\"type\":\"string\",\"enum\":[\"scrutiny-panel\","
	"\"committee\",\"inspection\",\"peer-review\",\"practice-review\","
	"\"improvement-board\"]},"
	"\"body_name\":" S_LINE ",\"topic\":" S_LINE ","
	"\"started_on\":" S_DATE ",\"reported_on\":" S_DATE ","
	"\"report_title\":" S_LINE ","
	"\"schedule_months\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":0,"
	"\"maximum\":24},{\"type\":\"string\",\"pattern\":\"^[0-9]{1,2}$\"}],"
	"\"description\":\"months between progress reports; default 6, 0 for "
	"none\"},"
	"\"next_report_due\":{\"type\":\"string\",\"format\":\"date\","
	"\"description\":\"default: reported_on plus schedule_months\"}}}";

static const char schema_import[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"document\"],\"properties\":{"
	"\"document\":{\"type\":\"string\",\"description\":\"the action plan "
	"or progress report as plain text: tab-separated or Markdown pipe "
	"tables, or numbered prose\"},"
	"\"dry_run\":{\"type\":\"boolean\",\"default\":false,\"description\":"
	"\"true: answer 200 with the proposal and save nothing\"},"
	"\"on_date\":{\"type\":\"string\",\"format\":\"date\",\"description\":"
	"\"date of the progress statuses the document gives; default the "
	"document's own date, else today\"}}}";

static const char schema_update[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"status\",\"narrative\"],\"properties\":{"
	"\"on_date\":{\"type\":\"string\",\"format\":\"date\",\"description\":"
	"\"not after today; default today\"},"
	"\"status\":" S_STATUS ","
	"\"narrative\":{\"type\":\"string\",\"maxLength\":20000,"
	"\"description\":\"what has been done\"}}}";

static const char schema_timescale[] =
	"{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	"\"due_on\":" S_NDATE ","
	"\"recurrence\":{\"type\":\"string\",\"nullable\":true,\"enum\":["
	"\"ongoing\",\"weekly\",\"monthly\",\"quarterly\",\"termly\","
	"\"six-monthly\",\"annually\",\"\",null]}},"
	"\"description\":\"Replaces the parsed timescale; absent, null or "
	"empty clears a field.  Marks the timescale checked.\"}";

static const char schema_comment[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"text\"],\"properties\":{"
	"\"text\":{\"type\":\"string\",\"maxLength\":5000},"
	"\"rec_id\":{\"type\":\"integer\",\"minimum\":1,\"nullable\":true,"
	"\"description\":\"one of the review's recommendations; absent: the "
	"whole review\"}}}";

static const char schema_report[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"presented_on\"],\"properties\":{"
	"\"presented_on\":{\"type\":\"string\",\"format\":\"date\","
	"\"description\":\"not after today; the next report is due "
	"schedule_months later\"}}}";

const struct route scrutiny_api_routes[] = {
	{HTTP_GET, "/api/v1/reviews", PERM_SCRUTINY_READ, ROUTE_API, p_reviews,
	 reviews_list,
	 "The register of scrutiny reviews, newest first, with counts of "
	 "recommendations, actions, overdue actions and actions by status "
	 "(filter: body=kind of body)", NULL},
	{HTTP_POST, "/api/v1/reviews", PERM_SCRUTINY_EDIT, ROUTE_API, NULL,
	 review_create, "Add a review (the body, its topic and dates)",
	 schema_review},
	{HTTP_GET, "/api/v1/reviews/{id}", PERM_SCRUTINY_READ, ROUTE_API, NULL,
	 review_get,
	 "A review's whole action plan: recommendations, responses, actions "
	 "with their timescale, current status, overdue flag and updates, and "
	 "comments", NULL},
	{HTTP_POST, "/api/v1/reviews/{id}/import", PERM_SCRUTINY_EDIT,
	 ROUTE_API | ROUTE_UPLOAD, p_import_q, review_import,
	 "Import an action plan or progress report: its text as JSON, or the "
	 "document itself (Word .docx, OpenDocument .odt, PDF, HTML or text, "
	 "read by its content; dry_run and on_date in the query; 415 when "
	 "the declared type is not what the bytes are).  dry_run answers 200 "
	 "with the proposal; otherwise saves it into a review with no "
	 "recommendations yet (409 if it has some)", schema_import},
	{HTTP_GET, "/api/v1/actions", PERM_SCRUTINY_READ, ROUTE_API, p_actions,
	 actions_list,
	 "Actions across every review, in action_id order (filters: body, "
	 "owner (any part, any case), status, overdue=1)", NULL},
	{HTTP_POST, "/api/v1/actions/{id}/updates", PERM_SCRUTINY_EDIT,
	 ROUTE_API, NULL, update_add,
	 "Record a progress update on an action; the latest gives its "
	 "current status", schema_update},
	{HTTP_PUT, "/api/v1/actions/{id}/timescale", PERM_SCRUTINY_EDIT,
	 ROUTE_API, NULL, timescale_set,
	 "Correct an action's parsed due date and recurrence",
	 schema_timescale},
	{HTTP_POST, "/api/v1/reviews/{id}/comments", PERM_SCRUTINY_COMMENT,
	 ROUTE_API, NULL, comment_add,
	 "Comment on a review or one of its recommendations", schema_comment},
	{HTTP_POST, "/api/v1/reviews/{id}/reports", PERM_SCRUTINY_EDIT,
	 ROUTE_API, NULL, report_presented,
	 "Record that a progress report went to the body; sets the next "
	 "report's due date", schema_report},
	{HTTP_GET, "/api/v1/reviews/{id}/report", PERM_SCRUTINY_READ,
	 ROUTE_API | ROUTE_REPLICA, p_report, report_get,
	 "The progress report: actions by status, overdue, and what changed "
	 "since the last report presented (or since=YYYY-MM-DD)", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
