/*
 * child_api.c: the child's record under /api/v1/children (JSON in and
 * out, bearer token).  Field names are snake_case, dates 'YYYY-MM-DD',
 * machine times 'YYYY-MM-DDTHH:MM:SSZ'.  Errors are RFC 9457 problems:
 * 400 for a body that is not what the schema says (an unknown field, a
 * wrong JSON type), 422 with "errors" for values the domain refuses,
 * 404 for a child that does not exist or is hidden from a partner (the
 * same answer, so existence is not revealed), 409 for possible
 * duplicates (with "candidates") and for a stale "version".
 *
 * As on the pages, a response that carries a child's data is built
 * inside the write transaction that appended its audit row, and sent
 * after the commit.
 */
#include "api/api.h"
#include "child/child.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/json.h"
#include "web/answer.h"
#include "web/sections.h"
#include "web/page.h"
#include "web/routes.h"

#include <string.h>

/* ---- helpers --------------------------------------------------------- */

/* Rejects a body with fields outside `allowed`.  Returns 0 or -1 (sent). */
static int check_fields(struct req *r, const char *const *allowed)
{
	struct json_field_err e;
	if (r->json == NULL) {
		api_problem(r, 400, NULL, "Send a JSON object as the body.", NULL);
		return -1;
	}
	if (json_check_fields(r->json, allowed, &e) != 0) {
		api_problem(r, 400, NULL,
			    arena_printf(r->a, "%s %s.", e.field, e.msg),
			    arena_strdup(r->a, e.field));
		return -1;
	}
	return 0;
}

/* Sends b's type errors (400, naming the first field).  Returns true when
 * there were any. */
static bool body_bad(struct api_body *b)
{
	if (b->fe.n == 0)
		return false;
	api_problem(b->r, 400, NULL, b->fe.v[0].msg, b->fe.v[0].field);
	return true;
}

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *child_json(const struct child *ch)
{
	json_t *o = json_object();
	json_object_set_new(o, "child_id", json_integer(ch->child_id));
	json_object_set_new(o, "la_ref", json_string(ch->la_ref));
	json_object_set_new(o, "given_name", json_string(ch->given_name));
	json_object_set_new(o, "family_name", json_string(ch->family_name));
	json_object_set_new(o, "other_names", str_or_null(ch->other_names));
	json_object_set_new(o, "dob", str_or_null(ch->dob));
	json_object_set_new(o, "expected_dob", str_or_null(ch->expected_dob));
	json_object_set_new(o, "dob_unknown",
			    json_boolean(!ch->dob[0] && !ch->expected_dob[0]));
	json_object_set_new(o, "gender", json_string(ch->gender));
	json_object_set_new(o, "ethnicity", str_or_null(ch->ethnicity));
	json_object_set_new(o, "nhs_number", str_or_null(ch->nhs_number));
	json_object_set_new(o, "upn", str_or_null(ch->upn));
	json_object_set_new(o, "created_at", json_string(ch->created_at));
	json_object_set_new(o, "updated_at", json_string(ch->updated_at));
	json_object_set_new(o, "version", json_integer(ch->version));
	return o;
}

static json_t *match_json(const struct child_match *m, bool dup)
{
	json_t *o = json_object();
	json_object_set_new(o, "child_id", json_integer(m->child_id));
	json_object_set_new(o, "la_ref", json_string(m->la_ref));
	json_object_set_new(o, "given_name", json_string(m->given_name));
	json_object_set_new(o, "family_name", json_string(m->family_name));
	json_object_set_new(o, "dob", str_or_null(m->dob));
	json_object_set_new(o, "expected_dob", str_or_null(m->expected_dob));
	json_object_set_new(o, "score", json_integer(m->score));
	if (dup)
		json_object_set_new(o, "reason", json_string(m->reason));
	return o;
}

/* Commits, then sends v (stolen) with status. */
static void commit_and_send(struct req *r, int status, json_t *v)
{
	if (db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		json_decref(v);
		answer_error(r, ERR_STORE, NULL, "child");
		return;
	}
	api_json(r, status, v);
}

static int begin(struct req *r)
{
	int rc = db_begin(r->db, DB_TX_WRITE);
	if (rc == DB_OK)
		return 0;
	answer_error(r, err_from_db(rc), NULL, "child");
	return -1;
}

/* ---- search ---------------------------------------------------------- */

/*
 * The search's results are written straight into the response instead of
 * being built as jansson objects and dumped: the same JSON (same fields,
 * same order, compact), for a small part of the work.  Building and
 * dumping twenty results with jansson cost about 490,000 instructions,
 * 30% of a whole search (callgrind, docs/performance.md).
 */

/* A JSON string: '"' and '\' escaped, control characters as \uXXXX
 * (or their short forms), valid UTF-8 copied, any byte that is not part
 * of valid UTF-8 as U+FFFD; NULL as null.  Returns 0 or -1 (response
 * buffer full). */
static int jw_str(struct sbuf *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (s == NULL)
		return sbuf_add(o, "null", 4);
	const unsigned char *p = (const unsigned char *)s, *run = p;
	int rc = sbuf_addc(o, '"');
	while (*p) {
		unsigned char c = *p;
		size_t n = 0; /* length of a valid UTF-8 sequence here */
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = (p[1] & 0xc0) == 0x80 ? 2 : 0;
		else if (c >= 0xe0 && c <= 0xef)
			n = (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
			    (c != 0xe0 || p[1] >= 0xa0) &&
			    (c != 0xed || p[1] < 0xa0) ? 3 : 0;
		else if (c >= 0xf0 && c <= 0xf4)
			n = (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
			    (p[3] & 0xc0) == 0x80 &&
			    (c != 0xf0 || p[1] >= 0x90) &&
			    (c != 0xf4 || p[1] < 0x90) ? 4 : 0;
		if (n) {
			p += n;
			continue;
		}
		rc |= sbuf_add(o, run, (size_t)(p - run));
		char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		switch (c) {
		case '"': rc |= sbuf_add(o, "\\\"", 2); break;
		case '\\': rc |= sbuf_add(o, "\\\\", 2); break;
		case '\b': rc |= sbuf_add(o, "\\b", 2); break;
		case '\f': rc |= sbuf_add(o, "\\f", 2); break;
		case '\n': rc |= sbuf_add(o, "\\n", 2); break;
		case '\r': rc |= sbuf_add(o, "\\r", 2); break;
		case '\t': rc |= sbuf_add(o, "\\t", 2); break;
		default:
			if (c < 0x20)
				rc |= sbuf_add(o, e, sizeof(e));
			else /* not valid UTF-8 */
				rc |= sbuf_add(o, "\\ufffd", 6);
		}
		run = ++p;
	}
	rc |= sbuf_add(o, run, (size_t)(p - run));
	rc |= sbuf_addc(o, '"');
	return rc ? -1 : 0;
}

/* A JSON string, or null for NULL and "" (as str_or_null). */
static int jw_str_or_null(struct sbuf *o, const char *s)
{
	return jw_str(o, s && s[0] ? s : NULL);
}

static int jw_int(struct sbuf *o, int64_t v)
{
	char b[24];
	size_t i = sizeof(b);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	return sbuf_add(o, b + i, sizeof(b) - i);
}

/* Writes {"items":[match...],"total":N,"next":N|null} as api_json would
 * have written it from match_json objects.  Returns 0 or -1. */
static int search_json(struct sbuf *o, const struct child_results *res)
{
	int rc = sbuf_adds(o, "{\"items\":[");
	for (int i = 0; i < res->n; i++) {
		const struct child_match *m = &res->v[i];
		rc |= sbuf_adds(o, i ? ",{\"child_id\":" : "{\"child_id\":");
		rc |= jw_int(o, m->child_id);
		rc |= sbuf_adds(o, ",\"la_ref\":");
		rc |= jw_str(o, m->la_ref);
		rc |= sbuf_adds(o, ",\"given_name\":");
		rc |= jw_str(o, m->given_name);
		rc |= sbuf_adds(o, ",\"family_name\":");
		rc |= jw_str(o, m->family_name);
		rc |= sbuf_adds(o, ",\"dob\":");
		rc |= jw_str_or_null(o, m->dob);
		rc |= sbuf_adds(o, ",\"expected_dob\":");
		rc |= jw_str_or_null(o, m->expected_dob);
		rc |= sbuf_adds(o, ",\"score\":");
		rc |= jw_int(o, m->score);
		rc |= sbuf_addc(o, '}');
	}
	rc |= sbuf_adds(o, "],\"total\":");
	rc |= jw_int(o, res->total);
	rc |= sbuf_adds(o, ",\"next\":");
	if (res->next_offset >= 0)
		rc |= jw_int(o, res->next_offset);
	else
		rc |= sbuf_add(o, "null", 4);
	rc |= sbuf_addc(o, '}');
	return rc ? -1 : 0;
}

static void api_search(struct req *r)
{
	int64_t limit, cursor;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child_query q = {
		req_query(r, "name"), req_query(r, "dob"),
		req_query(r, "nhs_number"), req_query(r, "upn"),
		req_query(r, "la_ref"), limit, cursor,
		false, false, /* no details: the API's search costs what it did */
	};
	struct child_results res;
	struct field_errors ce = {0};
	int rc = child_search(r->db, &x, r->a, &q, &res, &ce);
	if (rc == ERR_INVALID) {
		api_problem_fields(r, &ce);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	sbuf_reset(&r->ex->out);
	if (search_json(&r->ex->out, &res) != 0) {
		sbuf_reset(&r->ex->out);
		api_problem(r, 500, NULL, "The response could not be written.",
			    NULL);
		return;
	}
	r->ex->status = 200;
	r->ex->out_type = "application/json";
}

/* ---- create and update ----------------------------------------------- */

static const char *const ident_fields[] = {
	"given_name", "family_name", "other_names", "dob", "expected_dob",
	"dob_unknown", "gender", "ethnicity", "nhs_number", "upn",
	"confirm_not_duplicate", "version", NULL,
};

/* Reads the identity fields.  On create every field is as given (absent
 * optional text counts as none); on update absent means unchanged.
 * Returns false when a type error was sent. */
static bool read_ident(struct api_body *b, struct child_input *in, bool create)
{
	memset(in, 0, sizeof(*in));
	in->given_name = api_body_str(b, "given_name", 1000, false);
	in->family_name = api_body_str(b, "family_name", 1000, false);
	in->other_names = api_body_str(b, "other_names", 2000, true);
	const char *dob = api_body_str(b, "dob", 40, false);
	const char *edob = api_body_str(b, "expected_dob", 40, false);
	bool unknown = api_body_bool(b, "dob_unknown");
	in->gender = api_body_str(b, "gender", 4, false);
	in->ethnicity = api_body_str(b, "ethnicity", 40, true);
	in->nhs_number = api_body_str(b, "nhs_number", 40, true);
	in->upn = api_body_str(b, "upn", 40, true);
	if (body_bad(b))
		return false;
	int given = (dob != NULL) + (edob != NULL) + unknown;
	if (given > 1) {
		api_problem(b->r, 422, NULL,
			    "Give only one of dob, expected_dob or dob_unknown.",
			    dob && edob ? "expected_dob" : "dob_unknown");
		return false;
	}
	if (dob) {
		in->dob_status = CHILD_DOB_KNOWN;
		in->dob = dob;
	} else if (edob) {
		in->dob_status = CHILD_DOB_EXPECTED;
		in->expected_dob = edob;
	} else if (unknown) {
		in->dob_status = CHILD_DOB_UNKNOWN;
	}
	if (create) {
		if (in->other_names == NULL)
			in->other_names = "";
		if (in->ethnicity == NULL)
			in->ethnicity = "";
		if (in->nhs_number == NULL)
			in->nhs_number = "";
		if (in->upn == NULL)
			in->upn = "";
	}
	return true;
}

/* The domain's dob_status message speaks of a form; say it in fields. */
static void send_ident_fields(struct req *r, struct field_errors *ce)
{
	for (int i = 0; i < ce->n; i++)
		if (strcmp(ce->v[i].field, "dob_status") == 0) {
			ce->v[i].field = "dob";
			snprintf(ce->v[i].msg, sizeof(ce->v[i].msg),
				 "Give dob, expected_dob (a child not born yet) "
				 "or \"dob_unknown\": true.");
		}
	api_problem_fields(r, ce);
}

static void api_create(struct req *r)
{
	if (check_fields(r, ident_fields) < 0)
		return;
	struct api_body b = {r, {0}};
	struct child_input in;
	if (!read_ident(&b, &in, true))
		return;
	bool confirm = api_body_bool(&b, "confirm_not_duplicate");
	if (json_object_get(r->json, "version")) {
		api_problem(r, 400, NULL, "version is not used when creating a "
			    "child.", "version");
		return;
	}
	if (body_bad(&b))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	if (begin(r) < 0)
		return;
	struct field_errors ce = {0};
	struct child_match *dups = NULL;
	int ndups = 0;
	int64_t id = 0;
	int rc = child_create(r->db, &x, r->a, &in, confirm, &id, NULL, &dups,
			      &ndups, &ce);
	if (rc == ERR_DUPLICATE) {
		json_t *cands = json_array();
		for (int i = 0; i < ndups; i++)
			json_array_append_new(cands, match_json(&dups[i], true));
		json_t *p = json_pack(
			"{s:s, s:s, s:i, s:s, s:o, s:s}", "type", "about:blank",
			"title", "Possible duplicate", "status", 409, "detail",
			"This child may already have a record: check the "
			"candidates. If none is the same child, send the "
			"request again with \"confirm_not_duplicate\": true.",
			"candidates", cands, "instance", r->ex->rid);
		commit_and_send(r, 409, p);
		r->ex->out_type = "application/problem+json";
		return;
	}
	if (rc != ERR_OK) {
		db_rollback(r->db);
		if (rc == ERR_INVALID)
			send_ident_fields(r, &ce);
		else
			answer_error(r, rc, NULL, "child");
		return;
	}
	struct child ch;
	if ((rc = child_read(r->db, &x, r->a, id, &ch)) != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, "child");
		return;
	}
	char *loc = arena_printf(r->a, "/api/v1/children/%lld", (long long)id);
	if (loc)
		http_add_header(r->ex, "Location", loc);
	commit_and_send(r, 201, child_json(&ch));
}

static void api_update(struct req *r)
{
	if (check_fields(r, ident_fields) < 0)
		return;
	struct api_body b = {r, {0}};
	int64_t version = api_body_id(&b, "version", true);
	if (json_object_get(r->json, "confirm_not_duplicate")) {
		api_problem(r, 400, NULL, "confirm_not_duplicate is only used "
			    "when creating a child.", "confirm_not_duplicate");
		return;
	}
	if (body_bad(&b))
		return;
	struct child_input in;
	if (!read_ident(&b, &in, false))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	if (begin(r) < 0)
		return;
	struct field_errors ce = {0};
	int64_t id = r->ids[0];
	int rc = child_update(r->db, &x, r->a, id, version, &in, NULL, &ce);
	if (rc != ERR_OK) {
		db_rollback(r->db);
		if (rc == ERR_INVALID)
			send_ident_fields(r, &ce);
		else if (rc == ERR_CONFLICT)
			api_problem(r, 409, "Version conflict",
				    arena_printf(r->a, "The record has changed "
						 "since version %lld was read, so "
						 "nothing was changed. Read it "
						 "again and re-apply your "
						 "change.", (long long)version),
				    "version");
		else
			answer_error(r, rc, NULL, "child");
		return;
	}
	struct child ch;
	if ((rc = child_read(r->db, &x, r->a, id, &ch)) != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, "child");
		return;
	}
	commit_and_send(r, 200, child_json(&ch));
}

/* ---- read ------------------------------------------------------------ */

static json_t *addresses_json(const struct child_address *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:o}",
				     "address_id", (json_int_t)v[i].address_id,
				     "line1", v[i].line1, "line2",
				     str_or_null(v[i].line2), "town",
				     str_or_null(v[i].town), "postcode",
				     v[i].postcode, "start_date", v[i].start_date,
				     "end_date", str_or_null(v[i].end_date)));
	return a;
}

static json_t *network_json(const struct child_member *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		const struct child_member *m = &v[i];
		json_t *o = json_pack(
			"{s:I, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:b}",
			"member_id", (json_int_t)m->member_id, "kind", m->kind,
			"name", m->name, "relationship", m->relationship,
			"phone", str_or_null(m->phone),
			"parental_responsibility", m->parental_responsibility,
			"start_date", str_or_null(m->start_date), "end_date",
			str_or_null(m->end_date), "current", m->current);
		json_object_set_new(o, "org_id", m->org_id > 0
				    ? json_integer(m->org_id) : json_null());
		json_object_set_new(o, "org_name", str_or_null(m->org_name));
		json_object_set_new(o, "linked_child_id", m->linked_child_id > 0
				    ? json_integer(m->linked_child_id)
				    : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *flags_json(const struct child_flag *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b}",
				     "flag_id", (json_int_t)v[i].flag_id, "kind",
				     v[i].kind, "text", v[i].text, "review_date",
				     v[i].review_date, "created_at",
				     v[i].created_at, "ended_at",
				     str_or_null(v[i].ended_at), "review_overdue",
				     v[i].overdue));
	return a;
}

static void api_get(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	if (begin(r) < 0)
		return;
	struct child ch;
	int rc = child_read(r->db, &x, r->a, id, &ch);
	json_t *o = NULL;
	if (rc != ERR_OK)
		goto out_fail;
	o = child_json(&ch);
	struct child_address *av;
	int n;
	if ((rc = child_addresses(r->db, &x, r->a, id, &av, &n)) != ERR_OK)
		goto out_fail;
	json_object_set_new(o, "addresses", addresses_json(av, n));
	if (req_can(r, PERM_CHILD_NETWORK_READ)) {
		struct child_member *mv;
		if ((rc = child_network(r->db, &x, r->a, id, &mv, &n)) != ERR_OK)
			goto out_fail;
		json_object_set_new(o, "network", network_json(mv, n));
	}
	if (req_can(r, PERM_CHILD_FLAGS_READ)) {
		struct child_flag *fv;
		if ((rc = child_flags(r->db, &x, r->a, id, &fv, &n)) != ERR_OK)
			goto out_fail;
		json_object_set_new(o, "flags", flags_json(fv, n));
	}
	commit_and_send(r, 200, o);
	return;
out_fail:
	json_decref(o);
	db_rollback(r->db);
	answer_error(r, rc, NULL, "child");
}

static void api_history(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	if (begin(r) < 0)
		return;
	struct child ch;
	struct child_change *v;
	int n = 0;
	int rc = child_read(r->db, &x, r->a, id, &ch);
	if (rc == ERR_OK)
		rc = child_history_list(r->db, &x, r->a, id, &v, &n);
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, "child");
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:o, s:o, s:I, s:o, s:s}", "seq",
				  (json_int_t)v[i].seq, "field", v[i].field,
				  "old_value", str_or_null(v[i].old_value),
				  "new_value", str_or_null(v[i].new_value),
				  "user_id", (json_int_t)v[i].user_id,
				  "user_name", str_or_null(v[i].user_name), "at",
				  v[i].at));
	commit_and_send(r, 200, json_pack("{s:I, s:o}", "child_id",
					  (json_int_t)id, "items", items));
}

/* ---- addresses, network, flags --------------------------------------- */

/* Finishes a write that returned rc (own transaction): 201/200 with v, or
 * the matching problem. */
static void write_done(struct req *r, int rc, const struct field_errors *ce,
		       int status, json_t *v)
{
	if (rc == ERR_OK) {
		api_json(r, status, v);
		return;
	}
	json_decref(v);
	if (rc == ERR_INVALID)
		api_problem_fields(r, ce);
	else
		answer_error(r, rc, NULL, "child");
}

static void api_address_add(struct req *r)
{
	static const char *const allowed[] = {"line1", "line2", "town",
					      "postcode", "start_date", NULL};
	if (check_fields(r, allowed) < 0)
		return;
	struct api_body b = {r, {0}};
	struct child_address_input in = {
		api_body_str(&b, "line1", 1000, false),
		api_body_str(&b, "line2", 1000, false),
		api_body_str(&b, "town", 500, false),
		api_body_str(&b, "postcode", 40, false),
		api_body_str(&b, "start_date", 40, false),
	};
	if (body_bad(&b))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int64_t aid = 0;
	int rc = child_address_add(r->db, &x, r->ids[0], &in, &aid, &ce);
	write_done(r, rc, &ce, 201,
		   json_pack("{s:I, s:I}", "child_id", (json_int_t)r->ids[0],
			     "address_id", (json_int_t)aid));
}

static void api_member_add(struct req *r)
{
	static const char *const allowed[] = {
		"kind", "name", "relationship", "phone", "org_id",
		"linked_child_id", "parental_responsibility", "start_date", NULL};
	if (check_fields(r, allowed) < 0)
		return;
	struct api_body b = {r, {0}};
	struct child_member_input in = {0};
	in.kind = api_body_str(&b, "kind", 40, false);
	in.name = api_body_str(&b, "name", 1000, false);
	in.relationship = api_body_str(&b, "relationship", 1000, false);
	in.phone = api_body_str(&b, "phone", 60, false);
	in.org_id = api_body_id(&b, "org_id", false);
	in.linked_child_id = api_body_id(&b, "linked_child_id", false);
	in.parental_responsibility = api_body_bool(&b, "parental_responsibility");
	in.start_date = api_body_str(&b, "start_date", 40, false);
	if (body_bad(&b))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int64_t mid = 0;
	int rc = child_member_add(r->db, &x, r->ids[0], &in, &mid, &ce);
	write_done(r, rc, &ce, 201,
		   json_pack("{s:I, s:I}", "child_id", (json_int_t)r->ids[0],
			     "member_id", (json_int_t)mid));
}

static void api_member_end(struct req *r)
{
	static const char *const allowed[] = {"end_date", NULL};
	if (check_fields(r, allowed) < 0)
		return;
	struct api_body b = {r, {0}};
	const char *end = api_body_str(&b, "end_date", 40, false);
	if (body_bad(&b))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int rc = child_member_end(r->db, &x, r->ids[0], r->ids[1], end, &ce);
	write_done(r, rc, &ce, 200,
		   json_pack("{s:I, s:I, s:s}", "child_id", (json_int_t)r->ids[0],
			     "member_id", (json_int_t)r->ids[1], "end_date",
			     end ? end : ""));
}

static void api_flag_add(struct req *r)
{
	static const char *const allowed[] = {"kind", "text", "review_date",
					      NULL};
	if (check_fields(r, allowed) < 0)
		return;
	struct api_body b = {r, {0}};
	struct child_flag_input in = {
		api_body_str(&b, "kind", 40, false),
		api_body_str(&b, "text", 4000, false),
		api_body_str(&b, "review_date", 40, false),
	};
	if (body_bad(&b))
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int64_t fid = 0;
	int rc = child_flag_add(r->db, &x, r->ids[0], &in, &fid, &ce);
	write_done(r, rc, &ce, 201,
		   json_pack("{s:I, s:I}", "child_id", (json_int_t)r->ids[0],
			     "flag_id", (json_int_t)fid));
}

static void api_flag_end(struct req *r)
{
	static const char *const allowed[] = {NULL};
	if (check_fields(r, allowed) < 0)
		return;
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int rc = child_flag_end(r->db, &x, r->ids[0], r->ids[1], &ce);
	if (rc == ERR_INVALID) {
		api_problem(r, 409, NULL, "This flag has already been ended.",
			    NULL);
		return;
	}
	write_done(r, rc, &ce, 200,
		   json_pack("{s:I, s:I, s:b}", "child_id", (json_int_t)r->ids[0],
			     "flag_id", (json_int_t)r->ids[1], "ended", 1));
}

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_search[] = {
	{"name", PARAM_LINE, 800, false},
	{"dob", PARAM_LINE, 10, false},
	{"nhs_number", PARAM_LINE, 40, false},
	{"upn", PARAM_LINE, 40, false},
	{"la_ref", PARAM_LINE, 40, false},
	API_PAGE_PARAMS,
	{NULL, 0, 0, false},
};

#define S_DATE "{\"type\":\"string\",\"format\":\"date\"}"
#define S_STR "{\"type\":\"string\"}"
#define S_NSTR "{\"type\":\"string\",\"nullable\":true}"

static const char schema_child_create[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"given_name\",\"family_name\"],\"properties\":{"
	"\"given_name\":{\"type\":\"string\",\"maxLength\":100},"
	"\"family_name\":{\"type\":\"string\",\"maxLength\":100},"
	"\"other_names\":{\"type\":\"string\",\"nullable\":true,\"maxLength\":200},"
	"\"dob\":" S_DATE ",\"expected_dob\":" S_DATE ","
	"\"dob_unknown\":{\"type\":\"boolean\"},"
	"\"gender\":{\"type\":\"string\",\"enum\":[\"0\",\"1\",\"2\",\"9\"]},"
	"\"ethnicity\":{\"type\":\"string\",\"nullable\":true,\"description\":"
	"\"DfE ethnicity code, e.g. WBRI\"},"
	"\"nhs_number\":{\"type\":\"string\",\"nullable\":true,\"description\":"
	"\"10 digits with a valid check digit\"},"
	"\"upn\":{\"type\":\"string\",\"nullable\":true,\"description\":"
	"\"13 characters with a valid check letter\"},"
	"\"confirm_not_duplicate\":{\"type\":\"boolean\",\"description\":"
	"\"true after checking the candidates of a 409 answer\"}},"
	"\"description\":\"Give exactly one of dob, expected_dob (unborn) "
	"or dob_unknown: true.\"}";

static const char schema_child_patch[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"version\"],\"properties\":{"
	"\"version\":{\"type\":\"integer\",\"minimum\":1,\"description\":"
	"\"the version last read; a stale one gives 409\"},"
	"\"given_name\":{\"type\":\"string\",\"maxLength\":100},"
	"\"family_name\":{\"type\":\"string\",\"maxLength\":100},"
	"\"other_names\":" S_NSTR ",\"dob\":" S_DATE ","
	"\"expected_dob\":" S_DATE ",\"dob_unknown\":{\"type\":\"boolean\"},"
	"\"gender\":{\"type\":\"string\",\"enum\":[\"0\",\"1\",\"2\",\"9\"]},"
	"\"ethnicity\":" S_NSTR ",\"nhs_number\":" S_NSTR ",\"upn\":" S_NSTR
	"},\"description\":\"Absent fields are left as they are; null clears "
	"other_names, ethnicity, nhs_number or upn.\"}";

static const char schema_address[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"line1\",\"postcode\",\"start_date\"],\"properties\":{"
	"\"line1\":{\"type\":\"string\",\"maxLength\":200},"
	"\"line2\":" S_STR ",\"town\":" S_STR ","
	"\"postcode\":{\"type\":\"string\",\"description\":\"a UK postcode\"},"
	"\"start_date\":" S_DATE "},\"description\":\"Becomes the current "
	"address; the previous one ends on start_date.\"}";

static const char schema_member[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"kind\",\"name\",\"relationship\"],\"properties\":{"
	"\"kind\":{\"type\":\"string\",\"enum\":[\"parent\",\"carer\","
	"\"sibling\",\"significant_adult\",\"professional\"]},"
	"\"name\":{\"type\":\"string\",\"maxLength\":100},"
	"\"relationship\":{\"type\":\"string\",\"maxLength\":100,"
	"\"description\":\"e.g. Mother, Lead professional, School DSL, GP\"},"
	"\"phone\":" S_STR ","
	"\"org_id\":{\"type\":\"integer\",\"minimum\":1,\"description\":"
	"\"required for a professional\"},"
	"\"linked_child_id\":{\"type\":\"integer\",\"minimum\":1},"
	"\"parental_responsibility\":{\"type\":\"boolean\"},"
	"\"start_date\":" S_DATE "}}";

static const char schema_member_end[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"end_date\"],\"properties\":{\"end_date\":" S_DATE "}}";

static const char schema_flag[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"kind\",\"text\",\"review_date\"],\"properties\":{"
	"\"kind\":{\"type\":\"string\",\"enum\":[\"worker_safety\","
	"\"child_safety\",\"health\",\"communication\",\"legal\",\"other\"]},"
	"\"text\":{\"type\":\"string\",\"maxLength\":500},"
	"\"review_date\":{\"type\":\"string\",\"format\":\"date\","
	"\"description\":\"today or later\"}}}";

static const char schema_empty[] =
	"{\"type\":\"object\",\"additionalProperties\":false}";

const struct route child_api_routes[] = {
	{HTTP_GET, "/api/v1/children", PERM_CHILD_SEARCH, ROUTE_API, p_search,
	 api_search,
	 "Find children by name (typo-tolerant), dob, nhs_number, upn or "
	 "la_ref; criteria combine.  cursor is the position in the ranked "
	 "results, as given by \"next\".", NULL},
	{HTTP_POST, "/api/v1/children", PERM_CHILD_CREATE, ROUTE_API, NULL,
	 api_create,
	 "Add a child.  409 with candidates when the child may already have "
	 "a record; repeat with confirm_not_duplicate: true.",
	 schema_child_create},
	{HTTP_GET, "/api/v1/children/{id}", PERM_CHILD_READ, ROUTE_API, NULL,
	 api_get,
	 "A child's record with addresses, and the network and flags when "
	 "the role may see them", NULL},
	{HTTP_PATCH, "/api/v1/children/{id}", PERM_CHILD_UPDATE, ROUTE_API,
	 NULL, api_update,
	 "Change identity fields; send the version you read (409 when stale)",
	 schema_child_patch},
	{HTTP_GET, "/api/v1/children/{id}/history", PERM_CHILD_HISTORY,
	 ROUTE_API, NULL, api_history,
	 "Field history of the identity details, newest first", NULL},
	{HTTP_POST, "/api/v1/children/{id}/addresses", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_address_add, "Add the current address",
	 schema_address},
	{HTTP_POST, "/api/v1/children/{id}/network", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_member_add,
	 "Add a family member, significant adult or professional",
	 schema_member},
	{HTTP_POST, "/api/v1/children/{id}/network/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_member_end, "End a network member's involvement",
	 schema_member_end},
	{HTTP_POST, "/api/v1/children/{id}/flags", PERM_CHILD_UPDATE, ROUTE_API,
	 NULL, api_flag_add, "Add a warning flag with a review date",
	 schema_flag},
	{HTTP_POST, "/api/v1/children/{id}/flags/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_flag_end, "End a warning flag", schema_empty},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
