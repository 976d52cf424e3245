/*
 * frontdoor_api.c: the front door in the JSON API (/api/v1/): recording
 * and deciding contacts, the queue, referrals and their allocation.
 *
 * Every call goes through the referral module (referral/contact.h,
 * referral/referral.h), which appends the audit row in the same
 * transaction as the read or write; a response is written only after
 * that transaction commits.  A write that answers with the record reads
 * it back inside the same transaction.  Errors are RFC 9457 problems:
 * 422 with every field at fault, 409 for a second decision on a
 * contact, 404 for an id that is not in the caller's council.
 *
 * Times: received_at, due_at, decided_at and allocated_at are civil
 * times in England, 'YYYY-MM-DDTHH:MM'; dates are 'YYYY-MM-DD'.
 * Responses carry no child names: clients read the child through the
 * children API.
 */
#include "api/api.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/json.h"
#include "api/fields.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/routes.h"

#include <string.h>
#include <time.h>

/* Adds a JSON getter's failure to fe. */
static void json_error(struct req *r, struct field_errors *fe,
		       const struct json_field_err *je)
{
	const char *f = arena_strdup(r->a, je->field);
	const char *m = arena_printf(r->a, "%s %s", je->field, je->msg);
	fe_set(fe, f ? f : "", m ? m : "is not valid");
}

static json_t *str_or_null(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return json_null();
	json_t *v = json_string(s);
	return v ? v : json_null();
}

static json_t *id_or_null(int64_t id)
{
	return id > 0 ? json_integer(id) : json_null();
}

static json_t *contact_json(const struct contact *k)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(k->contact_id));
	json_object_set_new(o, "child_id", json_integer(k->child_id));
	json_object_set_new(o, "source", str_or_null(k->source));
	json_object_set_new(o, "source_label",
			    str_or_null(contact_source_label(k->source)));
	json_object_set_new(o, "referrer_name", str_or_null(k->referrer_name));
	json_object_set_new(o, "referrer_org", str_or_null(k->referrer_org));
	json_object_set_new(o, "received_at", str_or_null(k->received_at));
	json_object_set_new(o, "due_at", str_or_null(k->due_at));
	if (k->worry)
		json_object_set_new(o, "worry", str_or_null(k->worry));
	json_object_set_new(o, "decided", json_boolean(k->decided));
	json_object_set_new(o, "overdue", json_boolean(k->overdue));
	if (!k->decided)
		json_object_set_new(o, "minutes_left",
				    json_integer(k->minutes_left));
	json_object_set_new(o, "decision",
			    k->decided ? str_or_null(contact_decision_id(
						 k->decision))
				       : json_null());
	json_object_set_new(o, "decision_label",
			    k->decided ? str_or_null(contact_decision_label(
						 k->decision))
				       : json_null());
	if (k->decision_reason)
		json_object_set_new(o, "decision_reason",
				    str_or_null(k->decision_reason));
	json_object_set_new(o, "decided_at", str_or_null(k->decided_at));
	json_object_set_new(o, "late", json_boolean(k->late));
	json_object_set_new(o, "referral_id", id_or_null(k->referral_id));
	return o;
}

static json_t *referral_json(const struct referral *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(f->referral_id));
	json_object_set_new(o, "child_id", json_integer(f->child_id));
	json_object_set_new(o, "contact_id", id_or_null(f->contact_id));
	json_object_set_new(o, "referral_date", str_or_null(f->referral_date));
	json_object_set_new(o, "source", str_or_null(f->source));
	json_object_set_new(o, "rereferral", json_boolean(f->rereferral));
	json_object_set_new(o, "previous_referral_id",
			    id_or_null(f->previous_referral_id));
	json_object_set_new(o, "previous_referral_date",
			    str_or_null(f->previous_date));
	json_object_set_new(o, "team_id", id_or_null(f->team_id));
	json_object_set_new(o, "team_name", str_or_null(f->team_name));
	json_object_set_new(o, "worker_id", id_or_null(f->worker_id));
	json_object_set_new(o, "worker_name", str_or_null(f->worker_name));
	json_object_set_new(o, "allocated_at", str_or_null(f->allocated_at));
	json_object_set_new(o, "assessment_due", str_or_null(f->assessment_due));
	json_object_set_new(o, "assessment_overdue",
			    json_boolean(f->assessment_overdue));
	return o;
}

/* Finishes a transaction opened here: commits on ERR_OK, else rolls
 * back.  Returns the final code. */
static int finish(struct req *r, int rc)
{
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	if (rc != ERR_OK)
		db_rollback(r->db);
	return rc;
}

/* ---- contacts -------------------------------------------------------- */

static void contact_create(struct req *r)
{
	struct field_errors fe = {0};
	struct contact_input in = {0};
	if (api_fields_read(r, &contact_record_type, &in, &fe)) {
		api_problem_fields(r, &fe);
		return;
	}
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	struct contact k;
	int64_t id = 0;
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	rc = contact_record(r->db, w, r->cal, r->ids[0], &in, &id, &de);
	if (rc == ERR_OK)
		rc = contact_read(r->db, w, id, r->a, &k);
	rc = finish(r, rc);
	if (rc == ERR_INVALID) {
		api_problem_fields(r, &de);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	const char *loc = arena_printf(r->a, "/api/v1/contacts/%lld",
				       (long long)id);
	if (loc)
		http_add_header(r->ex, "Location", loc);
	api_json(r, 201, contact_json(&k));
}

static void contact_get(struct req *r)
{
	const struct actor *w = &r->act;
	struct contact k;
	int rc = contact_read(r->db, w, r->ids[0], r->a, &k);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "contact");
		return;
	}
	api_json(r, 200, contact_json(&k));
}

static void contact_list(struct req *r)
{
	int64_t limit, cursor, next = 0;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	const struct actor *w = &r->act;
	struct contact *v = NULL;
	int n = 0;
	int rc = contact_queue(r->db, w, limit, cursor, r->a, &v,
			       &n, &next);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "contact");
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, contact_json(&v[i]));
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? json_integer(next) : json_null());
	api_json(r, 200, o);
}

static void contact_decision(struct req *r)
{
	struct field_errors fe = {0};
	struct contact_decision_input in = {0};
	if (api_fields_read(r, &contact_decision_type, &in, &fe)) {
		api_problem_fields(r, &fe);
		return;
	}
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	struct contact k;
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "contact");
		return;
	}
	rc = contact_decide(r->db, w, r->cal, r->ids[0], &in, NULL, &de);
	if (rc == ERR_OK)
		rc = contact_read(r->db, w, r->ids[0], r->a, &k);
	rc = finish(r, rc);
	if (rc == ERR_CONFLICT) {
		const char *m = fe_for(&de, "decision");
		api_problem(r, 409, "Already decided",
			    m ? m : "A contact can be decided once.",
			    "decision");
		return;
	}
	if (rc == ERR_INVALID) {
		api_problem_fields(r, &de);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "contact");
		return;
	}
	api_json(r, 200, contact_json(&k));
}

/* ---- referrals ------------------------------------------------------- */

static void referral_get(struct req *r)
{
	const struct actor *w = &r->act;
	struct referral f;
	int rc = referral_read(r->db, w, r->cal, r->ids[0], r->a,
			       &f);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "referral");
		return;
	}
	api_json(r, 200, referral_json(&f));
}

static void referral_index(struct req *r)
{
	struct referral_filter f = {false, 0, 50, 0, false};
	if (api_page_params(r, &f.limit, &f.cursor) < 0)
		return;
	const char *u = req_query(r, "unallocated");
	const char *wid = req_query(r, "worker_id");
	if (u && strcmp(u, "true") == 0) {
		f.unallocated = true;
	} else if (u && strcmp(u, "false") != 0) {
		api_problem(r, 400, NULL, "unallocated must be true or false.",
			    "unallocated");
		return;
	}
	if (wid && !str_to_i64z(wid, 1, INT64_MAX, &f.worker_id)) {
		api_problem(r, 400, NULL, "worker_id must be a user id (a "
			    "whole number from 1).", "worker_id");
		return;
	}
	if (f.unallocated && f.worker_id) {
		api_problem(r, 400, NULL, "Use unallocated=true or worker_id, "
			    "not both: an unallocated referral has no worker.",
			    "worker_id");
		return;
	}
	const struct actor *w = &r->act;
	struct referral *v = NULL;
	int n = 0;
	int64_t next = 0;
	int rc = referral_list(r->db, w, r->cal, &f, r->a, &v,
			       &n, &next);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "referral");
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, referral_json(&v[i]));
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? json_integer(next) : json_null());
	api_json(r, 200, o);
}

static const char *const allocation_fields[] = {"team_id", "worker_id",
						 NULL};

static void referral_allocation(struct req *r)
{
	struct field_errors fe = {0};
	struct json_field_err je;
	if (json_check_fields(r->json, allocation_fields, &je) < 0)
		json_error(r, &fe, &je);
	int64_t ids[2] = {0, 0};
	for (int i = 0; i < 2; i++)
		if (json_get_int(r->json, allocation_fields[i], true, 1,
				 INT64_MAX, &ids[i], &je) != JSON_FIELD_OK)
			json_error(r, &fe, &je);
	if (fe.n) {
		api_problem_fields(r, &fe);
		return;
	}
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	struct referral f;
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "referral");
		return;
	}
	rc = referral_allocate(r->db, w, r->ids[0], ids[0], ids[1], &de);
	if (rc == ERR_OK)
		rc = referral_read(r->db, w, r->cal, r->ids[0], r->a, &f);
	rc = finish(r, rc);
	if (rc == ERR_INVALID) {
		api_problem_fields(r, &de);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "referral");
		return;
	}
	api_json(r, 200, referral_json(&f));
}

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_page[] = {
	API_PAGE_PARAMS,
	{NULL, 0, 0, false},
};

static const struct param_spec p_referrals[] = {
	API_PAGE_PARAMS,
	{"unallocated", PARAM_LINE, 5, false},
	{"worker_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

/* The request bodies' schemas, from the fields (api/fields.h): written
 * once, before main runs. */
static char contact_schema[4096], decision_schema[2048];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&contact_record_type, contact_schema,
			  sizeof(contact_schema));
	api_fields_schema(&contact_decision_type, decision_schema,
			  sizeof(decision_schema));
}

static const char allocation_schema[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"team_id\",\"worker_id\"],\"properties\":{"
	"\"team_id\":{\"type\":\"integer\",\"minimum\":1},"
	"\"worker_id\":{\"type\":\"integer\",\"minimum\":1,\"description\":"
	"\"An enabled social worker or team manager of the council\"}}}";

const struct route frontdoor_api_routes[] = {
	{HTTP_POST, "/api/v1/children/{id}/contacts", PERM_CONTACT_CREATE,
	 ROUTE_API, NULL, contact_create,
	 "Record a contact about a child (due one working day later, R01)",
	 contact_schema},
	{HTTP_GET, "/api/v1/contacts/{id}", PERM_CONTACT_READ, ROUTE_API, NULL,
	 contact_get, "A contact, with its due time, decision and late flag",
	 NULL},
	{HTTP_GET, "/api/v1/contacts", PERM_FRONT_DOOR_QUEUE, ROUTE_API, p_page,
	 contact_list, "The front-door queue: undecided contacts, most urgent "
	 "first", NULL},
	{HTTP_POST, "/api/v1/contacts/{id}/decision", PERM_CONTACT_DECIDE,
	 ROUTE_API, NULL, contact_decision,
	 "Decide a contact (once); referral and strategy open a referral",
	 decision_schema},
	{HTTP_GET, "/api/v1/referrals/{id}", PERM_REFERRAL_READ, ROUTE_API, NULL,
	 referral_get, "A referral, with re-referral (R14) and assessment due "
	 "date (R02)", NULL},
	{HTTP_GET, "/api/v1/referrals", PERM_REFERRAL_READ, ROUTE_API,
	 p_referrals, referral_index,
	 "Referrals (filters: unallocated=true, worker_id)", NULL},
	{HTTP_POST, "/api/v1/referrals/{id}/allocation", PERM_REFERRAL_ALLOCATE,
	 ROUTE_API, NULL, referral_allocation,
	 "Allocate or re-allocate a referral to a team and a worker",
	 allocation_schema},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
