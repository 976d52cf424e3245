/*
 * cp_api.c: child protection in the JSON API (/api/v1/, cp/cp.h): the
 * strategy discussion and who took part, the section 47 enquiry and its
 * outcome, the initial and review conferences and their attendees, the
 * plan, its core groups and its end, and a child's chain.
 *
 * Every call goes through the cp module, which checks the workflow and
 * audits in the same transaction; a write answers with its record read
 * back (api_write: 201 with Location for a new record).  Errors are RFC
 * 9457 problems; a refusal writes nothing.
 */
#include "api/api.h"
#include "api/fields.h"
#include "child/child.h"
#include "core/arena.h"
#include "cp/cp.h"
#include "cp/close.h"
#include "web/answer.h"
#include "web/routes.h"

/* The rows as a JSON array (api_fields_list's items). */
static json_t *rows_json(const struct record_type *t, const void *rows,
			 size_t size, int n)
{
	json_t *l = api_fields_list(t, rows, size, n, 0, NULL);
	json_t *items = json_incref(json_object_get(l, "items"));
	json_decref(l);
	return items ? items : json_array();
}

/* ---- reading back ----------------------------------------------------- */

static int strategy_back(struct req *r, int64_t id, json_t **out)
{
	struct cp_strategy s;
	int rc = cp_strategy_read(r->db, &r->act, id, r->a, &s);
	if (rc != ERR_OK)
		return rc;
	*out = api_fields_json(&cp_strategy_view, &s);
	json_object_set_new(*out, "participants",
			    rows_json(&cp_participant_view, s.part_v,
				      sizeof(*s.part_v), s.part_n));
	return ERR_OK;
}

static int s47_back(struct req *r, int64_t id, json_t **out)
{
	struct cp_s47 s;
	int rc = cp_s47_read(r->db, &r->act, id, r->a, &s);
	*out = rc == ERR_OK ? api_fields_json(&cp_s47_view, &s) : NULL;
	return rc;
}

static int conf_back(struct req *r, int64_t id, json_t **out)
{
	struct cp_conference s;
	int rc = cp_conference_read(r->db, &r->act, id, r->a, &s);
	if (rc != ERR_OK)
		return rc;
	*out = api_fields_json(&cp_conference_view, &s);
	json_object_set_new(*out, "attendees",
			    rows_json(&cp_attendee_view, s.att_v,
				      sizeof(*s.att_v), s.att_n));
	return ERR_OK;
}

static int plan_back(struct req *r, int64_t id, json_t **out)
{
	struct cp_plan s;
	int rc = cp_plan_read(r->db, &r->act, id, r->a, &s);
	*out = rc == ERR_OK ? api_fields_json(&cp_plan_view, &s) : NULL;
	return rc;
}

/* ---- writes --------------------------------------------------------------
 * NEW: a record made under the path's record (its id in *id), answered
 * by that record's back.  ON: a write on the path's record itself. */
#define NEW(name, call, backfn)                                             \
	static int name(struct req *r, const void *in, int64_t *id,          \
			json_t **out, struct field_errors *e)                 \
	{                                                                    \
		int rc = call;                                               \
		return rc == ERR_OK ? backfn(r, *id, out) : rc;              \
	}
#define ON(name, call, backfn)                                              \
	static int name(struct req *r, const void *in, int64_t *id,          \
			json_t **out, struct field_errors *e)                 \
	{                                                                    \
		*id = r->ids[0];                                             \
		int rc = call;                                               \
		return rc == ERR_OK ? backfn(r, *id, out) : rc;              \
	}

NEW(strategy_op, cp_strategy_add(r->db, &r->act, r->cal, r->ids[0], in, id, e),
    strategy_back)
ON(participant_op, cp_participant_add(r->db, &r->act, *id, in, NULL, e),
   strategy_back)
NEW(s47_op, cp_s47_start(r->db, &r->act, r->cal, r->ids[0], in, id, e),
    s47_back)
ON(outcome_op, cp_s47_conclude(r->db, &r->act, *id, in, e), s47_back)
NEW(icpc_op, cp_icpc_hold(r->db, &r->act, r->cal, r->ids[0], in, id, e),
    conf_back)
ON(attendee_op, cp_attendee_add(r->db, &r->act, *id, in, NULL, e),
   conf_back)
NEW(plan_op, cp_plan_start(r->db, &r->act, r->cal, r->ids[0], in, id, e),
    plan_back)
/* the end, with a step down to Family Help when asked (cp/close.h) */
ON(end_op, cp_plan_close(r->db, &r->act, r->cal, *id, in, NULL, e),
   plan_back)
ON(core_op, cp_core_group_add(r->db, &r->act, r->cal, *id, in, NULL, e),
   plan_back)
NEW(review_op, cp_review_hold(r->db, &r->act, r->cal, r->ids[0], in, id, e),
    conf_back)

#define WRITE(fn, type, op, created, what, T)                               \
	static void fn(struct req *r)                                        \
	{                                                                    \
		static const struct api_write w = {&type, op, created, what}; \
		T in = {0};                                                  \
		api_write(r, &w, &in);                                       \
	}

WRITE(api_strategy, cp_strategy_type, strategy_op,
      "/api/v1/strategy-discussions/", "child", struct cp_strategy_input)
WRITE(api_participant, cp_participant_type, participant_op, NULL,
      "strategy discussion", struct cp_participant_input)
WRITE(api_s47, cp_s47_type, s47_op, "/api/v1/section-47-enquiries/",
      "strategy discussion", struct cp_s47_input)
WRITE(api_outcome, cp_s47_outcome_type, outcome_op, NULL,
      "section 47 enquiry", struct cp_s47_outcome)
WRITE(api_icpc, cp_icpc_type, icpc_op, "/api/v1/cp-conferences/",
      "section 47 enquiry", struct cp_icpc_input)
WRITE(api_attendee, cp_attendee_type, attendee_op, NULL, "conference",
      struct cp_attendee_input)
WRITE(api_plan, cp_plan_type, plan_op, "/api/v1/cp-plans/", "conference",
      struct cp_plan_input)
WRITE(api_end, cp_plan_close_type, end_op, NULL, "plan",
      struct cp_plan_close_input)
WRITE(api_core, cp_core_group_type, core_op, NULL, "plan",
      struct cp_core_group_input)
WRITE(api_review, cp_review_type, review_op, "/api/v1/cp-conferences/",
      "plan", struct cp_review_input)

#define GET(fn, backfn, what)                                               \
	static void fn(struct req *r)                                        \
	{                                                                    \
		json_t *o = NULL;                                            \
		int rc = backfn(r, r->ids[0], &o);                           \
		if (rc != ERR_OK)                                            \
			answer_error(r, rc, NULL, what);                     \
		else                                                         \
			api_json(r, 200, o);                                 \
	}

GET(api_strategy_get, strategy_back, "strategy discussion")
GET(api_s47_get, s47_back, "section 47 enquiry")
GET(api_conf_get, conf_back, "conference")
GET(api_plan_get, plan_back, "plan")

/* The child's chain, one audited read. */
static void api_child(struct req *r)
{
	struct cp_child ch;
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc == ERR_OK)
		rc = child_visible(r->db, &r->act, r->ids[0]);
	if (rc == ERR_OK)
		rc = cp_list_child(r->db, &r->act, r->ids[0], r->a, &ch);
	if (rc == ERR_OK)
		rc = act_audit(r->db, &r->act, "list", "cp_plan", 0, r->ids[0]);
	rc = tx_end(r->db, own, rc);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "strategy_discussions",
			    rows_json(&cp_strategy_view, ch.strat_v,
				      sizeof(*ch.strat_v), ch.strat_n));
	json_object_set_new(o, "section_47_enquiries",
			    rows_json(&cp_s47_view, ch.s47_v,
				      sizeof(*ch.s47_v), ch.s47_n));
	json_object_set_new(o, "conferences",
			    rows_json(&cp_conference_view, ch.conf_v,
				      sizeof(*ch.conf_v), ch.conf_n));
	json_object_set_new(o, "plans",
			    rows_json(&cp_plan_view, ch.plan_v,
				      sizeof(*ch.plan_v), ch.plan_n));
	api_json(r, 200, o);
}

/* ---- routes ---------------------------------------------------------- */

static char sch_strategy[2048], sch_participant[2048], sch_s47[512],
	sch_outcome[2048], sch_icpc[1024], sch_attendee[1024], sch_plan[512],
	sch_end[1024], sch_core[512], sch_review[1024];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&cp_strategy_type, sch_strategy, sizeof(sch_strategy));
	api_fields_schema(&cp_participant_type, sch_participant,
			  sizeof(sch_participant));
	api_fields_schema(&cp_s47_type, sch_s47, sizeof(sch_s47));
	api_fields_schema(&cp_s47_outcome_type, sch_outcome,
			  sizeof(sch_outcome));
	api_fields_schema(&cp_icpc_type, sch_icpc, sizeof(sch_icpc));
	api_fields_schema(&cp_attendee_type, sch_attendee, sizeof(sch_attendee));
	api_fields_schema(&cp_plan_type, sch_plan, sizeof(sch_plan));
	api_fields_schema(&cp_plan_close_type, sch_end, sizeof(sch_end));
	api_fields_schema(&cp_core_group_type, sch_core, sizeof(sch_core));
	api_fields_schema(&cp_review_type, sch_review, sizeof(sch_review));
}

#define A ROUTE_API
#define ACT (ROUTE_API | ROUTE_ACTION)
const struct route cp_api_routes[] = {
	{HTTP_POST, "/api/v1/children/{id}/strategy-discussions", PERM_CP_WRITE,
	 A, NULL, api_strategy, "Record a strategy discussion (when, the "
	 "decision, the lead child protection practitioner)", sch_strategy},
	{HTTP_GET, "/api/v1/strategy-discussions/{id}", PERM_CP_STRATEGY_READ,
	 A, NULL, api_strategy_get, "A strategy discussion and who took part "
	 "(a partner: only one their organisation took part in)", NULL},
	{HTTP_POST, "/api/v1/strategy-discussions/{id}/participants",
	 PERM_CP_WRITE, ACT, NULL, api_participant, "Add who took part: "
	 "agency, name, role, the information they shared", sch_participant},
	{HTTP_POST, "/api/v1/strategy-discussions/{id}/section-47-enquiry",
	 PERM_CP_WRITE, A, NULL, api_s47, "Start the section 47 enquiry the "
	 "discussion decided (the initial conference falls due 15 working days "
	 "from the discussion, R07)", sch_s47},
	{HTTP_GET, "/api/v1/section-47-enquiries/{id}", PERM_CP_READ, A, NULL,
	 api_s47_get, "A section 47 enquiry", NULL},
	{HTTP_POST, "/api/v1/section-47-enquiries/{id}/outcome", PERM_CP_WRITE,
	 ACT, NULL, api_outcome, "Conclude an enquiry: findings, substantiated "
	 "or not, conference needed or not", sch_outcome},
	{HTTP_POST, "/api/v1/section-47-enquiries/{id}/conference",
	 PERM_CP_WRITE, A, NULL, api_icpc, "Record the initial child "
	 "protection conference of an enquiry that needs one (meets R07)",
	 sch_icpc},
	{HTTP_GET, "/api/v1/cp-conferences/{id}", PERM_CP_READ, A, NULL,
	 api_conf_get, "A child protection conference and its attendees", NULL},
	{HTTP_POST, "/api/v1/cp-conferences/{id}/attendees", PERM_CP_WRITE, ACT,
	 NULL, api_attendee, "Add an attendee of a conference and whether "
	 "their agency's report was received", sch_attendee},
	{HTTP_POST, "/api/v1/cp-conferences/{id}/plan", PERM_CP_WRITE, A, NULL,
	 api_plan, "Start the child protection plan an initial conference "
	 "decided (opens the child protection case when none is open; R08 and "
	 "R09 start)", sch_plan},
	{HTTP_GET, "/api/v1/cp-plans/{id}", PERM_CP_READ, A, NULL, api_plan_get,
	 "A child protection plan: category, dates, next due core group and "
	 "review, repeat plan (R13) and two years or more (R12)", NULL},
	{HTTP_POST, "/api/v1/cp-plans/{id}/core-groups", PERM_CP_WRITE, ACT,
	 NULL, api_core, "Record a core group meeting (the first meets R08)",
	 sch_core},
	{HTTP_POST, "/api/v1/cp-plans/{id}/reviews", PERM_CP_WRITE, A, NULL,
	 api_review, "Record a review conference (meets R09, then R10)",
	 sch_review},
	{HTTP_POST, "/api/v1/cp-plans/{id}/end", PERM_CP_WRITE, ACT, NULL,
	 api_end, "End a plan (a date not before its start, and a reason)",
	 sch_end},
	{HTTP_GET, "/api/v1/children/{id}/child-protection", PERM_CP_READ, A,
	 NULL, api_child, "A child's strategy discussions, enquiries, "
	 "conferences and plans, newest first", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
