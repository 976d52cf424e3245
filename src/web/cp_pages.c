/*
 * cp_pages.c: child protection's pages (GOV.UK Design System, no
 * JavaScript) on the cp module, every one about one child under
 * /children/{id}/child-protection: the chain (plans, strategy
 * discussions, enquiries, conferences, with the next step of each as a
 * link), a strategy discussion with who took part, and one form a step:
 * the discussion, a participant, the section 47 enquiry and its outcome,
 * the initial conference, an attendee, the plan, a core group, a review
 * conference, the plan's end.  And the "Child protection" section of
 * the child's page (web/sections.h): whether there is a plan, its
 * category and its next due items.
 *
 * Pages open the child through child_page_open (the partner rule; the
 * read audited before the page is sent); the record in the path must be
 * the child's (else the same 404).  A refused POST re-shows its form
 * with the error summary and what was typed (422); a workflow refusal
 * is answered with its reason (409); nothing is written.  Labels, never
 * codes.
 */
#include "child/child.h"
#include "core/arena.h"
#include "cp/cp.h"
#include "cp/close.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"
#include "web/glance.h"

#include <stdio.h>
#include <string.h>

static const char *cp_path(struct req *r, int64_t child, const char *tail)
{
	return arena_printf(r->a, "/children/%lld/child-protection%s",
			    (long long)child, tail);
}

static void button_link(struct req *r, const char *href, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<a class=\"govuk-button govuk-button--secondary\" "
		 "data-module=\"govuk-button\"");
	html_attr(o, "href", href);
	html_raw(o, ">");
	html_text(o, text);
	html_raw(o, "</a> ");
}

static bool is_yes_text(const char *v)
{
	return v && strcmp(v, "yes") == 0;
}

static const char *label(const struct field_code *v, const char *code)
{
	const char *l = codes_label(v, code);
	return l ? l : "";
}

/* ---- the steps ----------------------------------------------------------
 * One form a step: the record it hangs from (its kind; NULL: the child
 * itself), the fields, the domain call. */

union step_in {
	struct cp_strategy_input strategy;
	struct cp_participant_input participant;
	struct cp_s47_input s47;
	struct cp_s47_outcome outcome;
	struct cp_icpc_input icpc;
	struct cp_attendee_input attendee;
	struct cp_plan_input plan;
	struct cp_core_group_input core;
	struct cp_review_input review;
	struct cp_plan_close_input end;
};

struct step {
	const char *slug;    /* the path's step: "strategy" */
	const char *parent;  /* the cp_child_of kind, or NULL */
	const struct record_type *type;
	const char *title;
	const char *button;
	const char *saved;   /* the banner after it */
	const char *pick;    /* a field drawn as a select: "lead_id" or
			      * "org_id" (the last of the type), or NULL */
	int (*call)(struct req *r, int64_t parent, const void *in,
		    struct field_errors *e);
};

static int do_strategy(struct req *r, int64_t child, const void *in,
		       struct field_errors *e)
{
	return cp_strategy_add(r->db, &r->act, r->cal, child, in, NULL, e);
}
static int do_participant(struct req *r, int64_t id, const void *in,
			  struct field_errors *e)
{
	return cp_participant_add(r->db, &r->act, id, in, NULL, e);
}
static int do_s47(struct req *r, int64_t id, const void *in,
		  struct field_errors *e)
{
	return cp_s47_start(r->db, &r->act, r->cal, id, in, NULL, e);
}
static int do_outcome(struct req *r, int64_t id, const void *in,
		      struct field_errors *e)
{
	return cp_s47_conclude(r->db, &r->act, id, in, e);
}
static int do_icpc(struct req *r, int64_t id, const void *in,
		   struct field_errors *e)
{
	return cp_icpc_hold(r->db, &r->act, r->cal, id, in, NULL, e);
}
static int do_attendee(struct req *r, int64_t id, const void *in,
		       struct field_errors *e)
{
	return cp_attendee_add(r->db, &r->act, id, in, NULL, e);
}
static int do_plan(struct req *r, int64_t id, const void *in,
		   struct field_errors *e)
{
	return cp_plan_start(r->db, &r->act, r->cal, id, in, NULL, e);
}
static int do_core(struct req *r, int64_t id, const void *in,
		   struct field_errors *e)
{
	return cp_core_group_add(r->db, &r->act, r->cal, id, in, NULL, e);
}
static int do_review(struct req *r, int64_t id, const void *in,
		     struct field_errors *e)
{
	return cp_review_hold(r->db, &r->act, r->cal, id, in, NULL, e);
}
static int do_end(struct req *r, int64_t id, const void *in,
		  struct field_errors *e)
{
	return cp_plan_close(r->db, &r->act, r->cal, id, in, NULL, e);
}

static const struct step steps[] = {
	{"strategy", NULL, &cp_strategy_type, "Record a strategy discussion",
	 "Save the strategy discussion", "Strategy discussion recorded",
	 "lead_id", do_strategy},
	{"participants", "cp_strategy", &cp_participant_type,
	 "Add who took part in the strategy discussion", "Add",
	 "Participant added", "org_id", do_participant},
	{"s47", "cp_strategy", &cp_s47_type, "Start the section 47 enquiry",
	 "Start the enquiry", "Section 47 enquiry started", NULL, do_s47},
	{"outcome", "cp_s47", &cp_s47_outcome_type,
	 "Record the outcome of the section 47 enquiry", "Save the outcome",
	 "Enquiry outcome recorded", NULL, do_outcome},
	{"icpc", "cp_s47", &cp_icpc_type,
	 "Record the initial child protection conference",
	 "Save the conference", "Initial conference recorded", NULL, do_icpc},
	{"attendees", "cp_conference", &cp_attendee_type,
	 "Add who attended the conference", "Add", "Attendee added", NULL,
	 do_attendee},
	{"plan", "cp_conference", &cp_plan_type,
	 "Start the child protection plan", "Start the plan",
	 "Child protection plan started", NULL, do_plan},
	{"core-group", "cp_plan", &cp_core_group_type,
	 "Record a core group meeting", "Save the meeting",
	 "Core group meeting recorded", NULL, do_core},
	{"review", "cp_plan", &cp_review_type, "Record a review conference",
	 "Save the review conference", "Review conference recorded", NULL,
	 do_review},
	{"end", "cp_plan", &cp_plan_close_type, "End the child protection plan",
	 "End the plan", "Child protection plan ended", NULL, do_end},
};
#define NSTEPS ((int)(sizeof(steps) / sizeof(steps[0])))

/* The step named by the path (".../{slug}/..."), or NULL. */
static const struct step *step_of(struct req *r)
{
	const char *p = strstr(r->route->pattern, "/child-protection/");
	if (p == NULL)
		return NULL;
	p += strlen("/child-protection/");
	size_t n = strcspn(p, "/");
	for (int i = 0; i < NSTEPS; i++)
		if (strlen(steps[i].slug) == n && strncmp(steps[i].slug, p, n) == 0)
			return &steps[i];
	return NULL;
}

/* The record the step hangs from: ids[1], which must be the child's
 * (ids[0]); the child itself when the step has no parent. */
static int parent_of(struct req *r, const struct step *s, int64_t *id)
{
	if (s->parent == NULL) {
		*id = r->ids[0];
		return ERR_OK;
	}
	int64_t child = 0;
	int rc = cp_child_of(r->db, &r->act, s->parent, r->ids[1], &child);
	if (rc == ERR_OK && child != r->ids[0])
		rc = ERR_NOTFOUND;
	*id = r->ids[1];
	return rc;
}

static const char *step_action(struct req *r, const struct step *s)
{
	if (s->parent == NULL)
		return cp_path(r, r->ids[0], arena_printf(r->a, "/%s", s->slug));
	return cp_path(r, r->ids[0], arena_printf(r->a, "/%s/%lld", s->slug,
						  (long long)r->ids[1]));
}

static void step_page(struct req *r, const struct step *s, const void *in,
		      const struct field_errors *e, int status)
{
	struct cp_pick *pk = NULL;
	int np = 0;
	if (s->pick) {
		int rc = strcmp(s->pick, "lead_id") == 0
				 ? cp_workers(r->db, &r->act, r->a, &pk, &np)
				 : cp_orgs(r->db, &r->act, r->a, &pk, &np);
		if (rc != ERR_OK) {
			answer_error(r, rc, NULL, NULL);
			return;
		}
	}
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	page_begin(r, s->title, e);
	child_page_caption(r, &ch);
	page_back_link(r, cp_path(r, ch.child_id, ""));
	form_begin(r, step_action(r, s));
	struct record_type head = *s->type;
	if (s->pick)
		head.n--; /* the pick is the type's last field */
	fields_form(r, &head, in, e);
	if (s->pick) {
		const struct field *f = &s->type->fields[s->type->n - 1];
		bool optional = !f->required;
		struct choice *c = arena_zalloc(r->a, (size_t)(np + 1) *
						 sizeof(*c));
		int k = 0;
		if (c && optional)
			c[k++] = (struct choice){"", "None", NULL};
		for (int i = 0; c && i < np; i++)
			c[k++] = (struct choice){
				arena_printf(r->a, "%lld", (long long)pk[i].id),
				pk[i].name, NULL};
		const char *sel = req_form(r, s->pick);
		if (sel == NULL && !optional)
			sel = arena_printf(r->a, "%lld",
					   (long long)r->user.user_id);
		form_select(r, e, s->pick, optional ? arena_printf(
				    r->a, "%s (optional)", f->label) : f->label,
			    f->hint, c, c ? k : 0, sel ? sel : "");
	}
	form_button(r, s->button, false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static void step_new(struct req *r)
{
	const struct step *s = step_of(r);
	int64_t parent;
	int rc = s ? parent_of(r, s, &parent) : ERR_NOTFOUND;
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	union step_in in;
	memset(&in, 0, sizeof(in));
	/* a date first: today */
	const struct field *f = &s->type->fields[0];
	if (f->type == FT_DATE) {
		char *today = arena_zalloc(r->a, 11);
		if (today)
			cal_date_format(r->act.civil.date, today);
		field_set_text(f, &in, today);
	}
	step_page(r, s, &in, NULL, 200);
}

static void step_post(struct req *r)
{
	const struct step *s = step_of(r);
	int64_t parent;
	int rc = s ? parent_of(r, s, &parent) : ERR_NOTFOUND;
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	union step_in in;
	memset(&in, 0, sizeof(in));
	struct field_errors fe = {0}, de = {0};
	rc = fields_take(r, s->type, &in, &fe);
	if (rc == ERR_OK)
		rc = s->call(r, parent, &in, &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, s->type, &de, &fe);
		step_page(r, s, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, &de, NULL);
	} else {
		page_redirect(r, cp_path(r, r->ids[0], arena_printf(
			r->a, "?saved=%s", s->slug)));
	}
}

/* ---- the chain ---------------------------------------------------------- */

static const char *step_href(struct req *r, const char *slug, int64_t id)
{
	return cp_path(r, r->ids[0], arena_printf(r->a, "/%s/%lld/new", slug,
						  (long long)id));
}

/* A link in a table's cell, one a line. */
static void cell_link(struct req *r, const char *href, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<a class=\"govuk-link\"");
	html_attr(o, "href", href);
	html_raw(o, ">");
	html_text(o, text);
	html_raw(o, "</a><br>");
}

static void plan_summary(struct req *r, const struct cp_plan *p, bool write)
{
	summary_begin(r);
	summary_row(r, "Category of abuse", label(cp_category_codes,
						  p->category));
	summary_row(r, "Started", page_when(r, p->started_on));
	if (!p->open) {
		summary_row(r, "Ended", page_when(r, p->ended_on));
		summary_row(r, "Why it ended", label(cp_end_reason_codes,
						     p->end_reason));
	}
	page_srow_begin(r, "First core group");
	if (p->core_first[0])
		html_text(page_out(r), page_when(r, p->core_first));
	else if (p->core_due[0] && p->open)
		html_text(page_out(r), arena_printf(
			r->a, "Due by %s", page_when(r, p->core_due)));
	else
		html_text(page_out(r), "None held");
	page_srow_end(r);
	if (p->open && p->core_next[0])
		summary_row(r, "Next core group due", page_when(r, p->core_next));
	if (p->open)
		summary_row(r, "Next review conference due", p->review_due[0]
			    ? page_when(r, p->review_due) : "Not set");
	summary_row(r, "Core group meetings", page_count_text(r, p->core_groups));
	summary_row(r, "Review conferences", page_count_text(r, p->reviews));
	if (p->repeat || p->two_years) {
		page_srow_begin(r, "Flags");
		if (p->repeat)
			page_tag(r, "Repeat plan", "orange");
		if (p->two_years) {
			html_raw(page_out(r), " ");
			page_tag(r, "Two years or more", "red");
		}
		page_srow_end(r);
	}
	summary_end(r);
	if (p->episode_id)
		page_para_link(r, page_record_href(r, "episode", p->episode_id),
			       "The plan's outcomes and actions, on the case");
	if (write && p->open) {
		button_link(r, step_href(r, "core-group", p->plan_id),
			    "Record a core group meeting");
		button_link(r, step_href(r, "review", p->plan_id),
			    "Record a review conference");
		button_link(r, step_href(r, "end", p->plan_id), "End the plan");
	}
}

static void chain_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct cp_child d;
	int rc = cp_list_child(r->db, &r->act, ch.child_id, r->a, &d);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	bool write = req_can(r, PERM_CP_WRITE);
	page_begin(r, "Child protection", NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	const char *saved = req_query(r, "saved");
	for (int i = 0; saved && i < NSTEPS; i++)
		if (strcmp(saved, steps[i].slug) == 0)
			page_banner(r, steps[i].saved);
	if (write)
		button_link(r, cp_path(r, ch.child_id, "/strategy/new"),
			    "Record a strategy discussion");

	page_h2(r, "Plans");
	if (d.plan_n == 0)
		page_para(r, "No child protection plan.");
	for (int i = 0; i < d.plan_n; i++) {
		page_h2(r, d.plan_v[i].open ? "Current plan" : arena_printf(
				r->a, "Plan from %s",
				page_when(r, d.plan_v[i].started_on)));
		plan_summary(r, &d.plan_v[i], write);
	}

	page_h2(r, "Strategy discussions");
	if (d.strat_n == 0) {
		page_para(r, "No strategy discussion recorded.");
	} else {
		static const char *const heads[] = {"Date", "Decision", "Lead",
						    "Next"};
		page_table_begin(r, "Strategy discussions", heads, 4);
		for (int i = 0; i < d.strat_n; i++) {
			const struct cp_strategy *s = &d.strat_v[i];
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, cp_path(r, ch.child_id, arena_printf(
					  r->a, "/strategy/%lld",
					  (long long)s->strategy_id)),
				  page_when(r, s->held_on));
			page_cell_end(r);
			page_cell(r, label(cp_strategy_decision_codes,
					   s->decision));
			page_cell(r, s->lead_name);
			page_cell_begin(r);
			if (write) {
				cell_link(r, step_href(r, "participants",
						       s->strategy_id),
					  "Add who took part");
				if (!strcmp(s->decision, "s47") && !s->s47_id)
					cell_link(r, step_href(r, "s47",
							       s->strategy_id),
						  "Start the section 47 enquiry");
			}
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}

	page_h2(r, "Section 47 enquiries");
	if (d.s47_n == 0) {
		page_para(r, "No section 47 enquiry recorded.");
	} else {
		static const char *const heads[] = {
			"Started", "Initial conference due", "Outcome", "Next"};
		page_table_begin(r, "Section 47 enquiries", heads, 4);
		for (int i = 0; i < d.s47_n; i++) {
			const struct cp_s47 *s = &d.s47_v[i];
			page_row_begin(r);
			page_cell(r, page_when(r, s->started_on));
			page_cell(r, s->icpc_due[0] ? page_when(r, s->icpc_due)
				  : "");
			page_cell(r, !s->concluded_on[0]
				  ? "In progress"
				  : arena_printf(
					  r->a, "Concerns %s; %s",
					  is_yes_text(s->substantiated)
						  ? "substantiated"
						  : "not substantiated",
					  is_yes_text(s->conference)
						  ? "conference needed"
						  : "no conference needed"));
			page_cell_begin(r);
			if (write && !s->concluded_on[0])
				cell_link(r, step_href(r, "outcome", s->s47_id),
					  "Record the outcome");
			if (write && is_yes_text(s->conference) &&
			    !s->conference_id)
				cell_link(r, step_href(r, "icpc", s->s47_id),
					  "Record the initial conference");
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}

	page_h2(r, "Conferences");
	if (d.conf_n == 0) {
		page_para(r, "No child protection conference recorded.");
	} else {
		static const char *const heads[] = {"Date", "Conference",
						    "Decision", "Next"};
		page_table_begin(r, "Conferences", heads, 4);
		for (int i = 0; i < d.conf_n; i++) {
			const struct cp_conference *c = &d.conf_v[i];
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, cp_path(r, ch.child_id, arena_printf(
					  r->a, "/conference/%lld",
					  (long long)c->conference_id)),
				  page_when(r, c->held_on));
			page_cell_end(r);
			page_cell(r, arena_printf(
				r->a, "%s%s",
				strcmp(c->kind, "initial") == 0
					? "Initial conference"
					: "Review conference",
				c->pre_birth ? " (pre-birth)" : ""));
			page_cell(r, strcmp(c->kind, "initial") == 0
				  ? label(cp_icpc_decision_codes, c->decision)
				  : label(cp_review_decision_codes,
					  c->decision));
			page_cell_begin(r);
			if (write) {
				cell_link(r, step_href(r, "attendees",
						       c->conference_id),
					  "Add who attended");
				if (!strcmp(c->kind, "initial") &&
				    !strcmp(c->decision, "plan") && !c->plan_id)
					cell_link(r, step_href(r, "plan",
							       c->conference_id),
						  "Start the plan");
			}
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	page_end(r);
	child_page_send(r, 200);
}

/* ---- a strategy discussion ------------------------------------------- */

static void strategy_page(struct req *r)
{
	/* the record read (and audited) in its own transaction, before
	 * the page's read snapshot of the child */
	struct cp_strategy s;
	int rc = cp_strategy_read(r->db, &r->act, r->ids[1], r->a, &s);
	if (rc == ERR_OK && s.child_id != r->ids[0])
		rc = ERR_NOTFOUND;
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	page_begin(r, "Strategy discussion", NULL);
	child_page_caption(r, &ch);
	if (req_can(r, PERM_CP_READ))
		page_back_link(r, cp_path(r, ch.child_id, ""));
	summary_begin(r);
	summary_row(r, "Date", page_when(r, s.held_on));
	summary_row(r, "Lead child protection practitioner", s.lead_name);
	summary_row(r, "Decision", label(cp_strategy_decision_codes,
					 s.decision));
	if (s.decision_note[0]) {
		page_srow_begin(r, "What was decided");
		page_narrative(r, s.decision_note);
		page_srow_end(r);
	}
	summary_end(r);
	page_h2(r, "Who took part");
	if (s.part_n == 0)
		page_para(r, "No one recorded yet.");
	for (int i = 0; i < s.part_n; i++) {
		const struct cp_participant *p = &s.part_v[i];
		page_h2(r, arena_printf(r->a, "%s, %s", p->name,
					label(cp_agency_codes, p->agency)));
		if (p->role[0])
			page_para(r, p->role);
		if (p->shared[0])
			page_narrative(r, p->shared);
	}
	if (req_can(r, PERM_CP_WRITE))
		button_link(r, step_href(r, "participants", s.strategy_id),
			    "Add who took part");
	page_end(r);
	child_page_send(r, 200);
}

/* ---- a conference ------------------------------------------------------ */

static void conference_page(struct req *r)
{
	/* the record read (and audited) in its own transaction, before
	 * the page's read snapshot of the child */
	struct cp_conference s;
	int rc = cp_conference_read(r->db, &r->act, r->ids[1], r->a, &s);
	if (rc == ERR_OK && s.child_id != r->ids[0])
		rc = ERR_NOTFOUND;
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	bool initial = strcmp(s.kind, "initial") == 0;
	page_begin(r, initial ? "Initial child protection conference"
			      : "Review child protection conference", NULL);
	child_page_caption(r, &ch);
	page_back_link(r, cp_path(r, ch.child_id, ""));
	summary_begin(r);
	summary_row(r, "Date", page_when(r, s.held_on));
	if (initial)
		summary_row(r, "Pre-birth conference", s.pre_birth ? "Yes"
								   : "No");
	summary_row(r, "Decision", initial
		    ? label(cp_icpc_decision_codes, s.decision)
		    : label(cp_review_decision_codes, s.decision));
	summary_end(r);
	page_h2(r, "Who attended");
	if (s.att_n == 0) {
		page_para(r, "No one recorded yet.");
	} else {
		static const char *const heads[] = {"Name", "Agency", "Role",
						    "Report received"};
		page_table_begin(r, "Who attended", heads, 4);
		for (int i = 0; i < s.att_n; i++) {
			const struct cp_attendee *a = &s.att_v[i];
			page_row_begin(r);
			page_cell(r, a->name);
			page_cell(r, label(cp_agency_codes, a->agency));
			page_cell(r, a->role);
			page_cell(r, a->report ? "Yes" : "No");
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (req_can(r, PERM_CP_WRITE))
		button_link(r, step_href(r, "attendees", s.conference_id),
			    "Add who attended");
	page_end(r);
	child_page_send(r, 200);
}

/* ---- the child's page section ----------------------------------------- */

static int load_child(struct req *r, const struct child_ctx *x,
		      const struct child *ch, void **data)
{
	(void)x;
	struct cp_child *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	if (d == NULL)
		return ERR_NOMEM;
	return cp_list_child(r->db, &r->act, ch->child_id, r->a, d);
}

static void render_child(struct req *r, const struct child_ctx *x,
			 const struct child *ch, void *data)
{
	(void)x;
	const struct cp_child *d = data;
	const struct cp_plan *open = NULL;
	for (int i = 0; i < d->plan_n && !open; i++)
		if (d->plan_v[i].open)
			open = &d->plan_v[i];
	if (open) {
		summary_begin(r);
		page_srow_begin(r, "Child protection plan");
		page_tag(r, "On a plan", "red");
		page_srow_end(r);
		summary_row(r, "Category of abuse", label(cp_category_codes,
							  open->category));
		summary_row(r, "Since", page_when(r, open->started_on));
		if (!open->core_first[0] && open->core_due[0])
			summary_row(r, "First core group due",
				    page_when(r, open->core_due));
		if (open->core_next[0])
			summary_row(r, "Next core group due",
				    page_when(r, open->core_next));
		if (open->review_due[0])
			summary_row(r, "Next review conference due",
				    page_when(r, open->review_due));
		if (open->repeat || open->two_years) {
			page_srow_begin(r, "Flags");
			if (open->repeat)
				page_tag(r, "Repeat plan", "orange");
			if (open->two_years) {
				html_raw(page_out(r), " ");
				page_tag(r, "Two years or more", "red");
			}
			page_srow_end(r);
		}
		summary_end(r);
	} else {
		page_para(r, d->plan_n ? "No current child protection plan."
			  : "No child protection plan.");
	}
	for (int i = 0; i < d->s47_n; i++)
		if (!d->s47_v[i].conference_id && d->s47_v[i].icpc_due[0] &&
		    !(d->s47_v[i].conference[0] &&
		      !is_yes_text(d->s47_v[i].conference)))
			page_para(r, arena_printf(
				r->a, "Initial child protection conference due "
				"by %s.", page_when(r, d->s47_v[i].icpc_due)));
	page_para_link(r, cp_path(r, ch->child_id, ""),
		       "View child protection");
}

/* The open plan, for the summary at the top (glance.h). */
void cp_pages_glance(struct glance *g, const void *section_data)
{
	glance_plan(g, section_data);
}

const struct child_section cp_child_sections[] = {
	{"child-protection", "Child protection", PERM_CP_READ, 44, load_child,
	 NULL, render_child},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_LINE, 16, false},
	{NULL, 0, 0, false},
};

/* The union of every step's fields (a POST reads only its own). */
static struct param_spec p_steps[NSTEPS][12];

__attribute__((constructor)) static void form_params(void)
{
	for (int i = 0; i < NSTEPS; i++)
		fields_params(steps[i].type, NULL, p_steps[i], 12);
}

#define NEW(slug, path_id)                                                  \
	{HTTP_GET, "/children/{id}/child-protection/" slug path_id "/new",   \
	 PERM_CP_WRITE, 0, NULL, step_new, "Form: child protection, " slug,  \
	 NULL}
#define POST(i, slug, path_id)                                              \
	{HTTP_POST, "/children/{id}/child-protection/" slug path_id,         \
	 PERM_CP_WRITE, ROUTE_FORM, p_steps[i], step_post,                  \
	 "Child protection: " slug, NULL}

const struct route cp_page_routes[] = {
	{HTTP_GET, "/children/{id}/child-protection", PERM_CP_READ, 0, p_saved,
	 chain_page, "A child's child protection: plans, strategy "
	 "discussions, enquiries, conferences", NULL},
	{HTTP_GET, "/children/{id}/child-protection/strategy/{id}",
	 PERM_CP_STRATEGY_READ, 0, NULL, strategy_page,
	 "A strategy discussion and who took part", NULL},
	{HTTP_GET, "/children/{id}/child-protection/conference/{id}",
	 PERM_CP_READ, 0, NULL, conference_page,
	 "A child protection conference and who attended", NULL},
	NEW("strategy", ""), POST(0, "strategy", ""),
	NEW("participants", "/{id}"), POST(1, "participants", "/{id}"),
	NEW("s47", "/{id}"), POST(2, "s47", "/{id}"),
	NEW("outcome", "/{id}"), POST(3, "outcome", "/{id}"),
	NEW("icpc", "/{id}"), POST(4, "icpc", "/{id}"),
	NEW("attendees", "/{id}"), POST(5, "attendees", "/{id}"),
	NEW("plan", "/{id}"), POST(6, "plan", "/{id}"),
	NEW("core-group", "/{id}"), POST(7, "core-group", "/{id}"),
	NEW("review", "/{id}"), POST(8, "review", "/{id}"),
	NEW("end", "/{id}"), POST(9, "end", "/{id}"),
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
