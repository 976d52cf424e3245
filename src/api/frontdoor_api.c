/*
 * frontdoor_api.c: the front door in the JSON API (/api/v1/): recording
 * and deciding contacts, the acknowledgement and outcome ticks, the
 * queue, referrals and their allocation.
 *
 * Every call goes through the referral module, which audits in the same
 * transaction as the read or write; a write answers with the record
 * read back in its transaction (api_write).  Bodies and answers are the
 * modules' fields (api/fields.h): times are UK civil 'YYYY-MM-DDTHH:MM',
 * dates 'YYYY-MM-DD'; answers name no one (clients read the child
 * through the children API).  Errors are RFC 9457 problems.
 */
#include "api/api.h"
#include "api/fields.h"
#include "core/str.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "web/answer.h"
#include "web/routes.h"

#include <string.h>

/* A contact, with the minutes left while it waits for a decision. */
static json_t *contact_json(const void *rec)
{
	const struct contact *k = rec;
	json_t *o = api_fields_json(&contact_view, k);
	if (!k->decided)
		json_object_set_new(o, "minutes_left",
				    json_integer(k->minutes_left));
	return o;
}

static int contact_back(struct req *r, int64_t id, json_t **out)
{
	struct contact k;
	int rc = contact_read(r->db, &r->act, id, r->a, &k);
	*out = rc == ERR_OK ? contact_json(&k) : NULL;
	return rc;
}

static int referral_back(struct req *r, int64_t id, json_t **out)
{
	struct referral f;
	int rc = referral_read(r->db, &r->act, r->cal, id, r->a, &f);
	*out = rc == ERR_OK ? api_fields_json(&referral_view, &f) : NULL;
	return rc;
}

static int record_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	int rc = contact_record(r->db, &r->act, r->cal, r->ids[0], in, id, e);
	return rc == ERR_OK ? contact_back(r, *id, out) : rc;
}

static int decide_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = contact_decide(r->db, &r->act, r->cal, *id, in, NULL, e);
	return rc == ERR_OK ? contact_back(r, *id, out) : rc;
}

/* The ticks (issue 9): each once, answered with the contact. */
static int acknowledge_op(struct req *r, const void *in, int64_t *id,
			  json_t **out, struct field_errors *e)
{
	(void)in;
	*id = r->ids[0];
	int rc = contact_acknowledge(r->db, &r->act, *id, e);
	return rc == ERR_OK ? contact_back(r, *id, out) : rc;
}

static int share_op(struct req *r, const void *in, int64_t *id,
		    json_t **out, struct field_errors *e)
{
	(void)in;
	*id = r->ids[0];
	int rc = contact_share_outcome(r->db, &r->act, *id, e);
	return rc == ERR_OK ? contact_back(r, *id, out) : rc;
}

static int handle_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	(void)in;
	*id = r->ids[0];
	int rc = contact_handle(r->db, &r->act, *id, e);
	return rc == ERR_OK ? contact_back(r, *id, out) : rc;
}

static int allocate_op(struct req *r, const void *in, int64_t *id,
		       json_t **out, struct field_errors *e)
{
	const struct referral_allocation *a = in;
	*id = r->ids[0];
	int rc = referral_allocate(r->db, &r->act, *id, a->team_id,
				   a->worker_id, e);
	return rc == ERR_OK ? referral_back(r, *id, out) : rc;
}

static void api_contact_create(struct req *r)
{
	static const struct api_write w = {&contact_record_type, record_op,
					   "/api/v1/contacts/", "child"};
	struct contact_input in = {0};
	api_write(r, &w, &in);
}

static void api_contact_decision(struct req *r)
{
	static const struct api_write w = {&contact_decision_type, decide_op,
					   NULL, "contact"};
	struct contact_decision_input in = {0};
	api_write(r, &w, &in);
}

static void api_contact_acknowledgement(struct req *r)
{
	static const struct api_write w = {&contact_tick_type, acknowledge_op,
					   NULL, "contact"};
	api_write(r, &w, NULL);
}

static void api_contact_outcome_shared(struct req *r)
{
	static const struct api_write w = {&contact_tick_type, share_op, NULL,
					   "contact"};
	api_write(r, &w, NULL);
}

static void api_contact_handler(struct req *r)
{
	static const struct api_write w = {&contact_tick_type, handle_op, NULL,
					   "contact"};
	api_write(r, &w, NULL);
}

static void api_referral_allocation(struct req *r)
{
	static const struct api_write w = {&referral_allocation_type,
					   allocate_op, NULL, "referral"};
	struct referral_allocation in = {0};
	api_write(r, &w, &in);
}

/* Answers a record read back by `back` (its JSON), or the error. */
static void answer_back(struct req *r, int (*back)(struct req *, int64_t,
						   json_t **),
			const char *what)
{
	json_t *o;
	int rc = back(r, r->ids[0], &o);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, what);
	else
		api_json(r, 200, o);
}

static void api_contact_get(struct req *r)
{
	answer_back(r, contact_back, "contact");
}

static void api_referral_get(struct req *r)
{
	answer_back(r, referral_back, "referral");
}

static void api_contact_list(struct req *r)
{
	int64_t limit, cursor, next = 0;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	struct contact *v = NULL;
	int n = 0;
	int rc = contact_queue(r->db, &r->act, limit, cursor, r->a, &v, &n,
			       &next);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "contact");
	else
		api_json(r, 200, api_fields_list(&contact_view, v, sizeof(*v),
						 n, next, contact_json));
}

static void api_referral_index(struct req *r)
{
	struct referral_filter f = {false, 0, 50, 0, false};
	if (api_page_params(r, &f.limit, &f.cursor) < 0)
		return;
	const char *u = req_query(r, "unallocated");
	const char *wid = req_query(r, "worker_id");
	f.unallocated = u && strcmp(u, "true") == 0;
	if (u && !f.unallocated && strcmp(u, "false") != 0) {
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
	struct referral *v = NULL;
	int n = 0;
	int64_t next = 0;
	int rc = referral_list(r->db, &r->act, r->cal, &f, r->a, &v, &n,
			       &next);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "referral");
	else
		api_json(r, 200, api_fields_list(&referral_view, v, sizeof(*v),
						 n, next, NULL));
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
static char contact_schema[8192], decision_schema[2048],
	allocation_schema[1024], tick_schema[256];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&contact_record_type, contact_schema,
			  sizeof(contact_schema));
	api_fields_schema(&contact_decision_type, decision_schema,
			  sizeof(decision_schema));
	api_fields_schema(&referral_allocation_type, allocation_schema,
			  sizeof(allocation_schema));
	api_fields_schema(&contact_tick_type, tick_schema, sizeof(tick_schema));
}


const struct route frontdoor_api_routes[] = {
	{HTTP_POST, "/api/v1/children/{id}/contacts", PERM_CONTACT_CREATE,
	 ROUTE_API, NULL, api_contact_create,
	 "Record a contact about a child (due one working day later, R01)",
	 contact_schema},
	{HTTP_GET, "/api/v1/contacts/{id}", PERM_CONTACT_READ, ROUTE_API, NULL,
	 api_contact_get, "A contact, with its due time, decision and late flag",
	 NULL},
	{HTTP_GET, "/api/v1/contacts", PERM_FRONT_DOOR_QUEUE, ROUTE_API, p_page,
	 api_contact_list, "The front-door queue: undecided contacts, most urgent "
	 "first", NULL},
	{HTTP_POST, "/api/v1/contacts/{id}/decision", PERM_CONTACT_DECIDE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_contact_decision,
	 "Decide a contact (once); referral and strategy open a referral",
	 decision_schema},
	{HTTP_POST, "/api/v1/contacts/{id}/handler", PERM_CONTACT_DECIDE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_contact_handler,
	 "Take on a contact in the front door's queue (who is handling it); "
	 "the body is {}", tick_schema},
	{HTTP_POST, "/api/v1/contacts/{id}/acknowledgement", PERM_CONTACT_CREATE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_contact_acknowledgement,
	 "Record that the acknowledgement was sent to the referrer (once; due "
	 "with the decision, R01); the body is {}", tick_schema},
	{HTTP_POST, "/api/v1/contacts/{id}/outcome-shared", PERM_CONTACT_CREATE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_contact_outcome_shared,
	 "Record that the outcome was shared with a professional referrer "
	 "(once, after the decision); the body is {}", tick_schema},
	{HTTP_GET, "/api/v1/referrals/{id}", PERM_REFERRAL_READ, ROUTE_API, NULL,
	 api_referral_get, "A referral, with re-referral (R14) and assessment due "
	 "date (R02)", NULL},
	{HTTP_GET, "/api/v1/referrals", PERM_REFERRAL_READ, ROUTE_API,
	 p_referrals, api_referral_index,
	 "Referrals (filters: unallocated=true, worker_id)", NULL},
	{HTTP_POST, "/api/v1/referrals/{id}/allocation", PERM_REFERRAL_ALLOCATE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_referral_allocation,
	 "Allocate or re-allocate a referral to a team and a worker",
	 allocation_schema},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
