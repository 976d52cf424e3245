/*
 * glance_api.c: GET /api/v1/children/{id}/glance, the child's record at
 * a glance (web/glance.h, D56): the same parts as the top of the child's
 * page, each only for a role that may read it, in one audited read.  A
 * resource of its own rather than more of GET /api/v1/children/{id}, so
 * that the record's own read stays as cheap as it was.
 */
#include "api/api.h"
#include "child/child.h"
#include "core/arena.h"
#include "cp/cp.h"
#include "domain/actor.h"
#include "episode/episode.h"
#include "practice/practice.h"
#include "web/answer.h"
#include "web/glance.h"
#include "web/routes.h"
#include "web/sections.h"

#include <jansson.h>

/* Every part the user may read, in the caller's transaction. */
static int glance_read(struct req *r, struct child_ctx *x, int64_t id,
		       struct glance *g)
{
	int rc = ERR_OK;
	if (req_can(r, PERM_EPISODE_READ)) {
		struct episode *v;
		int n;
		rc = episode_list_child(r->db, &r->act, id, r->a, &v, &n);
		if (rc == ERR_OK)
			glance_cases(g, v, n);
	}
	if (rc == ERR_OK && req_can(r, PERM_CP_READ)) {
		struct cp_child d;
		rc = cp_list_child(r->db, &r->act, id, r->a, &d);
		if (rc == ERR_OK)
			glance_plan(g, &d);
	}
	if (rc == ERR_OK && req_can(r, PERM_PRACTICE_READ)) {
		struct visit *v;
		int n;
		rc = practice_visits_child(r->db, &r->act, id, r->a, &v, &n);
		if (rc == ERR_OK)
			glance_seen(g, v, n);
	}
	if (rc == ERR_OK && req_can(r, PERM_CHILD_FLAGS_READ)) {
		struct child_flag *v;
		int n;
		rc = child_flags(r->db, x, r->a, id, &v, &n);
		if (rc == ERR_OK)
			glance_flags(g, v, n);
	}
	if (rc == ERR_OK && req_can(r, PERM_REFERRAL_READ))
		rc = glance_due(r, id, g);
	return rc;
}

static json_t *text_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *cases_json(const struct glance *g)
{
	json_t *a = json_array();
	for (int i = 0; i < g->ncases; i++) {
		const struct glance_case *c = &g->cases[i];
		json_array_append_new(a, json_pack(
			"{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
			(json_int_t)c->episode_id, "case_type", c->code,
			"case_type_label", c->type, "opened_on", c->opened_on,
			"lead_practitioner", text_or_null(c->lead), "team",
			text_or_null(c->team)));
	}
	return a;
}

static json_t *plan_json(const struct glance *g)
{
	if (!g->plan_id)
		return json_null();
	return json_pack("{s:I, s:s, s:s, s:b, s:b}", "id",
			 (json_int_t)g->plan_id, "category_label", g->category,
			 "started_on", g->plan_started, "repeat_plan",
			 g->repeat, "two_years_or_more", g->two_years);
}

static json_t *due_json(const struct glance *g)
{
	json_t *a = json_array();
	for (int i = 0; i < g->ndue; i++) {
		const struct glance_due *d = &g->due[i];
		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:s, s:s, s:s}", "rule", d->rule, "what",
			d->what, "due_at", d->due_at, "status",
			due_status_id(d->status), "status_label",
			due_status_label(d->status)));
	}
	return a;
}

static json_t *flags_json(const struct glance *g)
{
	json_t *a = json_array();
	for (int i = 0; i < g->nflags; i++)
		json_array_append_new(a, json_pack(
			"{s:s, s:b}", "kind_label", g->flags[i],
			"review_overdue", g->flag_overdue[i]));
	return a;
}

/* Only the parts the user may read are in the answer. */
static json_t *glance_json(int64_t id, const struct glance *g)
{
	json_t *o = json_pack("{s:I}", "child_id", (json_int_t)id);
	if (g->cases_on)
		json_object_set_new(o, "open_cases", cases_json(g));
	if (g->plan_on)
		json_object_set_new(o, "cp_plan", plan_json(g));
	if (g->due_on)
		json_object_set_new(o, "next_due", due_json(g));
	if (g->seen_on) {
		json_object_set_new(o, "last_seen", text_or_null(g->last_seen));
		json_object_set_new(o, "last_seen_alone",
				    text_or_null(g->last_alone));
	}
	if (g->flags_on)
		json_object_set_new(o, "warnings", flags_json(g));
	return o;
}

static void api_glance(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct glance *g = arena_zalloc(r->a, sizeof(*g));
	bool own = false;
	int rc = g ? tx_begin(r->db, &own) : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = child_visible(r->db, &r->act, id);
	if (rc == ERR_OK)
		rc = glance_read(r, &x, id, g);
	/* the read of the child, audited with it */
	if (rc == ERR_OK)
		rc = act_audit(r->db, &r->act, "read", "child", id, id);
	if (g)
		rc = tx_end(r->db, own, rc);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	api_json(r, 200, glance_json(id, g));
}

const struct route glance_api_routes[] = {
	{HTTP_GET, "/api/v1/children/{id}/glance", PERM_CHILD_READ, ROUTE_API,
	 NULL, api_glance,
	 "The child's record at a glance: open cases and their lead "
	 "practitioner, the child protection plan (with the repeat-plan and "
	 "two-years flags), the next three items due, when last seen and "
	 "seen alone, active warnings; each part only for a role that may "
	 "read it", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
