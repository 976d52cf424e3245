/*
 * episode_api.c: cases (episodes of need) in the JSON API (/api/v1/):
 * opening a case for a child, reading it with its plan, reviews,
 * members and allocations, the plan, reviews, members, allocation,
 * consultations with partner agencies before closing, closing (with the
 * watch, the services and a manager's approval), the open cases
 * (unallocated, a worker's, a team's) and a team's caseloads; the
 * council's service directory; the families a partner's organisation
 * keeps watch on; a young person's transition to adult services.
 *
 * Every call goes through the episode module, which audits in the same
 * transaction as the read or write; a write answers with the case read
 * back in its transaction (api_write).  Bodies and answers are the
 * module's fields (api/fields.h); answers name no child (clients read
 * the child through the children API).  Errors are RFC 9457 problems.
 */
#include "api/api.h"
#include "api/fields.h"
#include "core/arena.h"
#include "core/str.h"
#include "episode/episode.h"
#include "web/answer.h"
#include "web/routes.h"

#include <stdlib.h>
#include <string.h>

/* The case with its parts, in the caller's transaction (own or
 * joined): one audited read. */
static int case_back(struct req *r, int64_t id, json_t **out)
{
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc != ERR_OK)
		return rc;
	struct episode ep;
	struct episode_outcome *ov = NULL;
	struct episode_action *av = NULL;
	struct episode_review *rv = NULL;
	struct episode_member *mv = NULL;
	struct episode_allocation *hv = NULL;
	struct closure_consultation *kv = NULL;
	struct closure cl = {0};
	bool has_closure = false;
	int on = 0, an = 0, rn = 0, mn = 0, hn = 0, kn = 0;
	rc = episode_read(r->db, &r->act, id, r->a, &ep);
	if (rc == ERR_OK)
		rc = episode_outcomes(r->db, &r->act, id, r->a, &ov, &on);
	if (rc == ERR_OK)
		rc = episode_actions(r->db, &r->act, id, r->a, &av, &an);
	if (rc == ERR_OK)
		rc = episode_reviews(r->db, &r->act, id, r->a, &rv, &rn);
	if (rc == ERR_OK)
		rc = episode_members(r->db, &r->act, id, r->a, &mv, &mn);
	if (rc == ERR_OK)
		rc = episode_allocations(r->db, &r->act, id, r->a, &hv, &hn);
	if (rc == ERR_OK)
		rc = closure_consultations(r->db, &r->act, id, r->a, &kv, &kn);
	if (rc == ERR_OK && !ep.open) {
		rc = closure_read(r->db, &r->act, id, r->a, &cl);
		has_closure = rc == ERR_OK;
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK;
	}
	rc = tx_end(r->db, own, rc);
	if (rc != ERR_OK)
		return rc;
	json_t *o = api_fields_json(&episode_view, &ep);
	struct {
		const char *key;
		json_t *list;
	} parts[] = {
		{"outcomes", api_fields_list(&episode_outcome_view, ov,
					     sizeof(*ov), on, 0, NULL)},
		{"actions", api_fields_list(&episode_action_view, av,
					    sizeof(*av), an, 0, NULL)},
		{"reviews", api_fields_list(&episode_review_view, rv,
					    sizeof(*rv), rn, 0, NULL)},
		{"members", api_fields_list(&episode_member_view, mv,
					    sizeof(*mv), mn, 0, NULL)},
		{"allocations", api_fields_list(&episode_allocation_view, hv,
						sizeof(*hv), hn, 0, NULL)},
		{"consultations", api_fields_list(&closure_consultation_view,
						  kv, sizeof(*kv), kn, 0,
						  NULL)},
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		json_object_set(o, parts[i].key,
				json_object_get(parts[i].list, "items"));
		json_decref(parts[i].list);
	}
	json_object_set_new(o, "closure", has_closure
				  ? api_fields_json(&closure_view, &cl)
				  : json_null());
	*out = o;
	return ERR_OK;
}

static int open_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	int rc = episode_open(r->db, &r->act, r->cal, r->ids[0], in, id, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int plan_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_plan_set(r->db, &r->act, r->cal, *id, in, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int outcome_op(struct req *r, const void *in, int64_t *id,
		      json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_outcome_add(r->db, &r->act, *id, in, NULL, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int action_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_action_add(r->db, &r->act, *id, in, NULL, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int review_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_review_add(r->db, &r->act, r->cal, *id, in, NULL, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int member_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_member_add(r->db, &r->act, *id, in, NULL, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int allocate_op(struct req *r, const void *in, int64_t *id,
		       json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_allocate(r->db, &r->act, *id, in, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static int close_op(struct req *r, const void *in, int64_t *id,
		    json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = episode_close(r->db, &r->act, *id, in, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static void api_case_open(struct req *r)
{
	static const struct api_write w = {&episode_open_type, open_op,
					   "/api/v1/cases/", "child"};
	struct episode_input in = {0};
	api_write(r, &w, &in);
}

static void api_case_plan(struct req *r)
{
	static const struct api_write w = {&episode_plan_type, plan_op, NULL,
					   "case"};
	struct episode_plan_input in = {0};
	api_write(r, &w, &in);
}

static void api_case_outcome(struct req *r)
{
	static const struct api_write w = {&episode_outcome_type, outcome_op,
					   NULL, "case"};
	struct episode_outcome_input in = {0};
	api_write(r, &w, &in);
}

static void api_case_action(struct req *r)
{
	static const struct api_write w = {&episode_action_type, action_op,
					   NULL, "case"};
	struct episode_action_input in = {0};
	api_write(r, &w, &in);
}

static void api_case_member(struct req *r)
{
	static const struct api_write w = {&episode_member_type, member_op,
					   NULL, "case"};
	struct episode_member_input in = {0};
	api_write(r, &w, &in);
}

static void api_case_allocation(struct req *r)
{
	static const struct api_write w = {&episode_allocation_type,
					   allocate_op, NULL, "case"};
	struct episode_allocation_input in = {0};
	api_write(r, &w, &in);
}

/* Closing: the fields, and "services", an array of the directory's
 * service ids, read here and taken out of the body before the fields
 * are read. */
static void api_case_closure(struct req *r)
{
	static const struct api_write w = {&episode_close_type, close_op, NULL,
					   "case"};
	struct episode_close_input in = {0};
	int64_t *svc = arena_alloc(r->a, (CLOSURE_SERVICES_MAX + 1) *
					 sizeof(*svc));
	json_t *arr = r->json ? json_object_get(r->json, "services") : NULL;
	const char *bad = NULL;
	if (svc == NULL) {
		answer_error(r, ERR_NOMEM, NULL, "case");
		return;
	}
	if (arr && !json_is_array(arr))
		bad = "services must be an array of service ids";
	else if (arr && json_array_size(arr) > CLOSURE_SERVICES_MAX)
		bad = "services has more than 20 entries";
	size_t i;
	json_t *v;
	if (bad == NULL && arr)
		json_array_foreach(arr, i, v) {
			if (!json_is_integer(v)) {
				bad = "each entry of services must be a service "
				      "id (an integer)";
				break;
			}
			svc[i] = json_integer_value(v);
			in.nservices = (int)i + 1;
		}
	if (bad) {
		api_problem(r, 422, NULL, bad, "services");
		return;
	}
	in.services = svc;
	if (arr)
		json_object_del(r->json, "services");
	api_write(r, &w, &in);
}

static bool flag_param(struct req *r, const char *name, bool *v);

static int consult_op(struct req *r, const void *in, int64_t *id,
		      json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = closure_consult(r->db, &r->act, *id, in, NULL, e);
	return rc == ERR_OK ? case_back(r, *id, out) : rc;
}

static void api_case_consultation(struct req *r)
{
	static const struct api_write w = {&closure_consult_type, consult_op,
					   NULL, "case"};
	struct closure_consult_input in = {0};
	api_write(r, &w, &in);
}

/* ---- the service directory and the families watched ---------------- */

static int service_op(struct req *r, const void *in, int64_t *id,
		      json_t **out, struct field_errors *e)
{
	*out = NULL;
	int rc = closure_service_add(r->db, &r->act, in, id, e);
	if (rc != ERR_OK)
		return rc;
	struct closure_service *v;
	int n;
	rc = closure_services(r->db, &r->act, true, r->a, &v, &n);
	for (int i = 0; rc == ERR_OK && i < n; i++)
		if (v[i].service_id == *id)
			*out = api_fields_json(&closure_service_view, &v[i]);
	return rc == ERR_OK && *out == NULL ? ERR_NOTFOUND : rc;
}

static void api_service_add(struct req *r)
{
	static const struct api_write w = {&closure_service_type, service_op,
					   "/api/v1/services/", "service"};
	struct closure_service_input in = {0};
	api_write(r, &w, &in);
}

static void api_service_index(struct req *r)
{
	bool all = false;
	if (!flag_param(r, "withdrawn", &all))
		return;
	struct closure_service *v = NULL;
	int n = 0;
	int rc = closure_services(r->db, &r->act, all, r->a, &v, &n);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "service");
	else
		api_json(r, 200, api_fields_list(&closure_service_view, v,
						 sizeof(*v), n, 0, NULL));
}

/* The young person's transition: whether flagged, their 18th birthday,
 * the plan or null.  Own or joined transaction, audited as a read of
 * the child's transition. */
static int transition_back(struct req *r, int64_t child_id, json_t **out)
{
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc != ERR_OK)
		return rc;
	struct transition_flag f = {0};
	struct transition t = {0};
	rc = transition_flag(r->db, &r->act, child_id, r->a, &f);
	if (rc == ERR_OK && f.has_plan)
		rc = transition_read(r->db, &r->act, child_id, r->a, &t);
	if (rc == ERR_OK)
		rc = act_audit(r->db, &r->act, "read", "transition",
			       f.has_plan ? t.transition_id : 0, child_id);
	rc = tx_end(r->db, own, rc);
	if (rc != ERR_OK)
		return rc;
	*out = json_pack("{s:b, s:s, s:o}", "flagged", f.flagged, "turns_18_on",
			 f.turns18, "plan", f.has_plan
					      ? api_fields_json(&transition_view, &t)
					      : json_null());
	return *out ? ERR_OK : ERR_NOMEM;
}

static void api_transition_get(struct req *r)
{
	json_t *o;
	int rc = transition_back(r, r->ids[0], &o);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "child");
	else
		api_json(r, 200, o);
}

static int transition_op(struct req *r, const void *in, int64_t *id,
			 json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = transition_save(r->db, &r->act, r->cal, *id, in, e);
	return rc == ERR_OK ? transition_back(r, *id, out) : rc;
}

static void api_transition_save(struct req *r)
{
	static const struct api_write w = {&transition_type, transition_op,
					   NULL, "child"};
	struct transition_input in = {0};
	api_write(r, &w, &in);
}

static void api_watching(struct req *r)
{
	struct closure_watch *v = NULL;
	int n = 0;
	int rc = closure_watched(r->db, &r->act, r->a, &v, &n);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "case");
	else
		api_json(r, 200, api_fields_list(&closure_watch_view, v,
						 sizeof(*v), n, 0, NULL));
}

#define PROGRESS_MAX 30

/* A review: "review_date" from the fields, and "progress", an array of
 * {"outcome_id": n, "progress": code}, read here (the field table
 * describes one value a field) and taken out of the body before the
 * fields are read. */
static void api_case_review(struct req *r)
{
	static const struct api_write w = {&episode_review_type, review_op,
					   NULL, "case"};
	struct episode_review_input in = {0};
	struct episode_progress *p =
		arena_alloc(r->a, PROGRESS_MAX * sizeof(*p));
	json_t *arr = r->json ? json_object_get(r->json, "progress") : NULL;
	const char *bad = NULL;
	if (p == NULL) {
		answer_error(r, ERR_NOMEM, NULL, "case");
		return;
	}
	if (r->json && json_is_object(r->json) && arr == NULL)
		bad = "progress is required: an array with the progress on "
		      "each outcome";
	else if (arr && !json_is_array(arr))
		bad = "progress must be an array of {\"outcome_id\", "
		      "\"progress\"}";
	else if (arr && json_array_size(arr) > PROGRESS_MAX)
		bad = "progress has more entries than a plan has outcomes";
	size_t i;
	json_t *v;
	if (bad == NULL && arr)
		json_array_foreach(arr, i, v) {
			json_t *oid = json_object_get(v, "outcome_id");
			json_t *pr = json_object_get(v, "progress");
			if (!json_is_object(v) || json_object_size(v) != 2 ||
			    !json_is_integer(oid) || !json_is_string(pr)) {
				bad = "each progress entry must be "
				      "{\"outcome_id\": integer, \"progress\": "
				      "string}";
				break;
			}
			p[i].outcome_id = json_integer_value(oid);
			p[i].progress = arena_strdup(r->a, json_string_value(pr));
			in.nprogress = (int)i + 1;
		}
	if (bad) {
		api_problem(r, 422, NULL, bad, "progress");
		return;
	}
	in.progress = p;
	if (arr)
		json_object_del(r->json, "progress");
	api_write(r, &w, &in);
}

static void api_case_get(struct req *r)
{
	json_t *o;
	int rc = case_back(r, r->ids[0], &o);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "case");
	else
		api_json(r, 200, o);
}

/* "true"/"false" or absent into *v; false (answered) when neither. */
static bool flag_param(struct req *r, const char *name, bool *v)
{
	const char *s = req_query(r, name);
	*v = s && strcmp(s, "true") == 0;
	if (s && !*v && strcmp(s, "false") != 0) {
		api_problem(r, 400, NULL, arena_printf(r->a, "%s must be true "
			    "or false.", name), name);
		return false;
	}
	return true;
}

/* A positive id parameter into *v (0 when absent); false (answered)
 * when not one. */
static bool id_param(struct req *r, const char *name, int64_t *v)
{
	const char *s = req_query(r, name);
	*v = 0;
	if (s && !str_to_i64z(s, 1, INT64_MAX, v)) {
		api_problem(r, 400, NULL, arena_printf(r->a, "%s must be an id "
			    "(a whole number from 1).", name), name);
		return false;
	}
	return true;
}

static void api_case_index(struct req *r)
{
	struct episode_filter f = {false, 0, 0, 50, 0};
	if (api_page_params(r, &f.limit, &f.cursor) < 0 ||
	    !flag_param(r, "unallocated", &f.unallocated) ||
	    !id_param(r, "worker_id", &f.worker_id) ||
	    !id_param(r, "team_id", &f.team_id))
		return;
	if (f.unallocated && f.worker_id) {
		api_problem(r, 400, NULL, "Use unallocated=true or worker_id, "
			    "not both: an unallocated case has no worker.",
			    "worker_id");
		return;
	}
	struct episode *v = NULL;
	int n = 0;
	int64_t next = 0;
	int rc = episode_list(r->db, &r->act, &f, r->a, &v, &n, &next);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "case");
	else
		api_json(r, 200, api_fields_list(&episode_view, v, sizeof(*v),
						 n, next, NULL));
}

static void api_caseloads(struct req *r)
{
	int64_t team = 0;
	if (!id_param(r, "team_id", &team))
		return;
	struct episode_caseload *v = NULL;
	int n = 0;
	int rc = episode_caseloads(r->db, &r->act, team, r->a, &v, &n);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "team");
	else
		api_json(r, 200, api_fields_list(&episode_caseload_view, v,
						 sizeof(*v), n, 0, NULL));
}

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_cases[] = {
	API_PAGE_PARAMS,
	{"unallocated", PARAM_LINE, 5, false},
	{"worker_id", PARAM_INT, 20, false},
	{"team_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_services[] = {
	{"withdrawn", PARAM_LINE, 5, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_caseloads[] = {
	{"team_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

static char open_schema[4096], plan_schema[2048], outcome_schema[1024],
	action_schema[2048], review_schema[2048], member_schema[1024],
	allocation_schema[1024], close_schema[4096], consult_schema[2048],
	service_schema[2048], transition_schema[2048];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&episode_open_type, open_schema, sizeof(open_schema));
	api_fields_schema(&episode_plan_type, plan_schema, sizeof(plan_schema));
	api_fields_schema(&episode_outcome_type, outcome_schema,
			  sizeof(outcome_schema));
	api_fields_schema(&episode_action_type, action_schema,
			  sizeof(action_schema));
	api_fields_schema(&episode_member_type, member_schema,
			  sizeof(member_schema));
	api_fields_schema(&episode_allocation_type, allocation_schema,
			  sizeof(allocation_schema));
	api_fields_schema(&closure_consult_type, consult_schema,
			  sizeof(consult_schema));
	api_fields_schema(&closure_service_type, service_schema,
			  sizeof(service_schema));
	api_fields_schema(&transition_type, transition_schema,
			  sizeof(transition_schema));
	/* closing's: the fields, and the services array */
	char cbuf[4096];
	size_t cn = api_fields_schema(&episode_close_type, cbuf, sizeof(cbuf));
	json_t *cs = cn ? json_loads(cbuf, 0, NULL) : NULL;
	if (cs) {
		json_object_set_new(json_object_get(cs, "properties"), "services",
				    json_pack("{s:s, s:{s:s, s:i}, s:i, s:s}",
					      "type", "array", "items", "type",
					      "integer", "minimum", 1,
					      "maxItems", CLOSURE_SERVICES_MAX,
					      "description", "The ids of the "
					      "directory's services the family "
					      "was connected to (required when "
					      "the case had an assessment)"));
		char *text = json_dumps(cs, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text && strlen(text) < sizeof(close_schema))
			memcpy(close_schema, text, strlen(text) + 1);
		free(text);
		json_decref(cs);
	}
	/* the review's: its date from the fields, and the progress array */
	char date[1024];
	size_t n = api_fields_schema(&episode_review_type, date, sizeof(date));
	json_t *s = n ? json_loads(date, 0, NULL) : NULL;
	if (s == NULL)
		return;
	json_t *item = json_pack(
		"{s:s, s:b, s:[s,s], s:{s:{s:s, s:i}, s:{s:s, s:[s,s,s,s]}}}",
		"type", "object", "additionalProperties", 0, "required",
		"outcome_id", "progress", "properties", "outcome_id", "type",
		"integer", "minimum", 1, "progress", "type", "string", "enum",
		"achieved", "progressing", "no_change", "worse");
	json_object_set_new(json_object_get(s, "properties"), "progress",
			    json_pack("{s:s, s:o, s:s}", "type", "array",
				      "items", item, "description",
				      "The progress on every outcome of the "
				      "plan, once each"));
	json_array_append_new(json_object_get(s, "required"),
			      json_string("progress"));
	char *text = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text && strlen(text) < sizeof(review_schema))
		memcpy(review_schema, text, strlen(text) + 1);
	free(text);
	json_decref(s);
}

const struct route episode_api_routes[] = {
	{HTTP_POST, "/api/v1/children/{id}/cases", PERM_EPISODE_WRITE,
	 ROUTE_API, NULL, api_case_open,
	 "Open a case (Family Help, child protection or looked after) for a "
	 "child, from a referral or an assessment", open_schema},
	{HTTP_GET, "/api/v1/cases/{id}", PERM_EPISODE_READ, ROUTE_API, NULL,
	 api_case_get, "A case with its plan (outcomes, actions), reviews, "
	 "members, allocations and next review due (L01)", NULL},
	{HTTP_GET, "/api/v1/cases", PERM_EPISODE_READ, ROUTE_API, p_cases,
	 api_case_index, "Open cases (filters: unallocated=true, worker_id, "
	 "team_id)", NULL},
	{HTTP_POST, "/api/v1/cases/{id}/plan", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_plan,
	 "Set the plan's dates, the section 17 flag and the primary need",
	 plan_schema},
	{HTTP_POST, "/api/v1/cases/{id}/outcomes", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_outcome,
	 "Add an outcome the plan wants", outcome_schema},
	{HTTP_POST, "/api/v1/cases/{id}/actions", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_action,
	 "Add an action towards an outcome, with its owner and date",
	 action_schema},
	{HTTP_POST, "/api/v1/cases/{id}/reviews", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_review,
	 "Record a review of a Family Help plan with the progress on every "
	 "outcome (meets L01; the next review falls due)", review_schema},
	{HTTP_POST, "/api/v1/cases/{id}/members", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_member,
	 "Add a family member to the case: one of the child's network "
	 "members, or another child", member_schema},
	{HTTP_POST, "/api/v1/cases/{id}/allocation", PERM_EPISODE_ALLOCATE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_allocation,
	 "Allocate or reallocate a case to a lead practitioner, a team and a "
	 "supervising manager", allocation_schema},
	{HTTP_POST, "/api/v1/cases/{id}/closure", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_closure,
	 "Close a case with a CIN census reason for closure; a case that "
	 "had an assessment also needs a consultation with every involved "
	 "agency, a watching agency and what it watches for, services and a "
	 "team manager's approval", close_schema},
	{HTTP_POST, "/api/v1/cases/{id}/consultations", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_case_consultation,
	 "Record a consultation with a partner agency before closing (who, "
	 "when, their view)", consult_schema},
	{HTTP_GET, "/api/v1/services", PERM_SIGNED_IN, ROUTE_API, p_services,
	 api_service_index, "The council's directory of universal services "
	 "(withdrawn=true: with the withdrawn ones)", NULL},
	{HTTP_POST, "/api/v1/services", PERM_SERVICES_ADMIN, ROUTE_API, NULL,
	 api_service_add, "Add a service to the council's directory",
	 service_schema},
	{HTTP_GET, "/api/v1/children/{id}/transition", PERM_EPISODE_READ,
	 ROUTE_API, NULL, api_transition_get, "A young person's transition to "
	 "adult services: whether flagged (from 17, after a child protection "
	 "plan or Family Help in the last two years, not looked after), their "
	 "18th birthday, the plan", NULL},
	{HTTP_POST, "/api/v1/children/{id}/transition", PERM_EPISODE_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_transition_save,
	 "Save a young person's transition plan (starts L03, the 18th-birthday "
	 "check; the handover meets it)", transition_schema},
	{HTTP_GET, "/api/v1/watching", PERM_CHILD_READ, ROUTE_API, NULL,
	 api_watching, "The families the partner's organisation keeps watch "
	 "on after their case closed", NULL},
	{HTTP_GET, "/api/v1/caseloads", PERM_CASELOAD, ROUTE_API, p_caseloads,
	 api_caseloads, "Open cases per worker of a team, by type and weighted "
	 "(weights: the council's settings), with their overdue timescales",
	 NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
