/*
 * closure_pages.c: the pages of step-down that are not the case page's
 * (episode/episode.h, "closing"): the council's service directory (GET
 * /services: the entries, withdrawing or restoring one, adding one;
 * administrators and team managers); in a partner's "My work", the
 * families their organisation keeps watch on after a case closed; and a
 * young person's transition to adult services (issue 11 §7): the
 * "Transition to adulthood" section of the child's page, shown when they
 * are flagged or have a plan, and the plan's page (GET and POST
 * /children/{id}/transition).
 *
 * The directory names no child and is not audited; the families
 * watched are a list shown to someone (closure_watched audits it in My
 * work's transaction).  A refused POST re-shows the page with an error
 * summary and what was typed (422; 409 for a name already used) and
 * changes nothing.
 */
#include "child/child.h"
#include "core/arena.h"
#include "episode/episode.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

/* ---- the service directory ---------------------------------------------- */

static void withdraw_cell(struct req *r, const void *rec)
{
	const struct closure_service *s = rec;
	form_begin(r, arena_printf(r->a, "/services/%lld/withdrawal",
				   (long long)s->service_id));
	form_hidden(r, "withdrawn", s->withdrawn ? "no" : "yes");
	struct sbuf *o = page_out(r);
	html_raw(o, "<button type=\"submit\" class=\"govuk-button "
		    "govuk-button--secondary govuk-!-margin-bottom-0\" "
		    "data-module=\"govuk-button\">");
	html_text(o, s->withdrawn ? "Restore" : "Withdraw");
	html_raw(o, "<span class=\"govuk-visually-hidden\"> ");
	html_text(o, s->name);
	html_raw(o, "</span></button>");
	form_end(r);
}

static const struct column service_cols[] = {
	{.head = "Service", .field = "name"},
	{.head = "Kind", .field = "kind"},
	{.head = "How a family reaches it", .field = "contact"},
	{.head = "Status", .field = "withdrawn", .flag = "withdrawn",
	 .tag = "Withdrawn", .colour = "grey", .text = "Offered"},
	{.head = "Change", .show = withdraw_cell},
	{0},
};

static void services_page(struct req *r, const struct field_errors *e,
			  int status)
{
	struct closure_service *v = NULL;
	int n = 0;
	int rc = closure_services(r->db, &r->act, true, r->a, &v, &n);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "Service directory", e);
	if (req_query(r, "saved") && (!e || !e->n))
		page_banner(r, "The directory has been changed");
	page_para(r, "The universal services a family can be connected to "
		  "when their case closes: money advice, financial inclusion "
		  "and benefits, parenting support (including before birth), "
		  "children's centres, early help and careers advice.");
	if (n == 0)
		page_para(r, "The directory has no services yet.");
	else
		fields_table(r, "Services in the directory",
			     &closure_service_view, service_cols, v,
			     sizeof(*v), n);
	page_h2(r, "Add a service");
	form_begin(r, "/services");
	fields_form(r, &closure_service_type, NULL, e);
	form_button(r, "Add the service", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void services_show(struct req *r)
{
	services_page(r, NULL, 200);
}

static void services_add(struct req *r)
{
	struct closure_service_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &closure_service_type, &in, &fe);
	if (rc == ERR_OK)
		rc = closure_service_add(r->db, &r->act, &in, NULL, &de);
	if (rc == ERR_OK) {
		page_redirect(r, "/services?saved=1");
	} else if (rc == ERR_INVALID || (rc == ERR_CONFLICT && de.n)) {
		fields_errors(r, &closure_service_type, &de, &fe);
		services_page(r, &fe, rc == ERR_CONFLICT ? 409 : 422);
	} else {
		answer_error(r, rc, NULL, NULL);
	}
}

static void services_withdraw(struct req *r)
{
	const char *w = req_form(r, "withdrawn");
	int rc = closure_service_withdraw(r->db, &r->act, r->ids[0],
					  w && strcmp(w, "yes") == 0);
	if (rc == ERR_OK)
		page_redirect(r, "/services?saved=1");
	else
		answer_error(r, rc, NULL, NULL);
}

/* ---- "My work": the families my organisation keeps watch on ------------ */

static bool wants_watch(struct req *r)
{
	return r->act.partner;
}

struct watched {
	struct closure_watch *v;
	int n;
};

static int load_watch(struct req *r, void **data)
{
	struct watched *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	return d ? closure_watched(r->db, &r->act, r->a, &d->v, &d->n)
		 : ERR_NOMEM;
}

static const struct column watch_cols[] = {
	{.head = "Child", .field = "child_name", .link = "child",
	 .link_id = "child_id"},
	{.head = "Case closed", .field = "closed_on"},
	{.head = "Watching for", .field = "watch_for"},
	{.head = "Watching until", .field = "watch_until"},
	{0},
};

static void render_watch(struct req *r, void *data)
{
	const struct watched *d = data;
	page_h2(r, "Families you are keeping watch on");
	if (d->n == 0) {
		page_para(r, "Your organisation is not keeping watch on any "
			  "family after their case closed.");
		return;
	}
	page_para(r, "Children's social care closed these cases and named "
		  "your organisation to notice if things get worse. If you are "
		  "worried about a child, contact the front door.");
	fields_table(r, "Families your organisation keeps watch on",
		     &closure_watch_view, watch_cols, d->v, sizeof(*d->v), d->n);
}

const struct work_section closure_work_sections[] = {
	{"watching", 45, wants_watch, load_watch, render_watch},
	{NULL, 0, NULL, NULL, NULL},
};

/* ---- transition to adulthood ------------------------------------------- */

struct transition_data {
	struct transition_flag flag;
	struct transition plan;
};

static int load_transition(struct req *r, const struct child_ctx *x,
			   const struct child *ch, void **data)
{
	(void)x;
	struct transition_data *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	if (d == NULL)
		return ERR_NOMEM;
	int rc = transition_flag(r->db, &r->act, ch->child_id, r->a, &d->flag);
	if (rc == ERR_OK && d->flag.has_plan)
		rc = transition_read(r->db, &r->act, ch->child_id, r->a,
				     &d->plan);
	return rc;
}

static const struct column plan_rows[] = {
	{.head = "Adult services contact", .field = "adult_contact"},
	{.head = "Their service", .field = "adult_service"},
	{.head = "Support agreed", .field = "support"},
	{.head = "Handed over", .field = "handover_on",
	 .empty = "Not yet handed over"},
	{0},
};

static void render_transition(struct req *r, const struct child_ctx *x,
			      const struct child *ch, void *data)
{
	(void)x;
	const struct transition_data *d = data;
	if (!d->flag.flagged && !d->flag.has_plan)
		return;
	struct sbuf *o = page_out(r);
	html_raw(o, "<h2 class=\"govuk-heading-m\" id=\"transition\">"
		    "Transition to adulthood</h2>");
	char turns[32];
	cal_words(d->flag.turns18, turns);
	if (d->flag.has_plan) {
		fields_summary(r, &transition_view, plan_rows, &d->plan);
	} else {
		page_para(r, arena_printf(r->a, "This young person is flagged "
			  "for transition planning: they have had a child "
			  "protection plan or Family Help in the last two "
			  "years and turn 18 on %s. Name an adult services "
			  "contact and agree their support.", turns));
	}
	if (req_can(r, PERM_EPISODE_WRITE))
		page_para_link(r, arena_printf(r->a, "/children/%lld/transition",
					       (long long)ch->child_id),
			       d->flag.has_plan ? "Change the transition plan"
					       : "Make a transition plan");
}

const struct child_section closure_child_sections[] = {
	{"transition", NULL, PERM_EPISODE_READ, 46, load_transition, NULL,
	 render_transition},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

static void transition_page(struct req *r, const struct transition_input *v,
			    const struct field_errors *e, int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct transition_data d = {0};
	int rc = transition_flag(r->db, &r->act, ch.child_id, r->a, &d.flag);
	if (rc == ERR_OK && d.flag.has_plan)
		rc = transition_read(r->db, &r->act, ch.child_id, r->a, &d.plan);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "Transition to adulthood", e);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved") && !(e && e->n))
		page_banner(r, "The transition plan has been saved");
	char turns[32];
	cal_words(d.flag.turns18, turns);
	if (d.flag.turns18[0])
		page_para(r, arena_printf(r->a, "Turns 18 on %s. The handover "
					  "to adult services is checked then.",
					  turns));
	if (!d.flag.flagged && !d.flag.has_plan)
		page_para(r, "This young person is not flagged for transition "
			  "planning: that is from 17, after a child protection "
			  "plan or Family Help in the last two years, when not "
			  "looked after.");
	struct transition_input cur = {d.plan.adult_contact,
				       d.plan.adult_service, d.plan.support,
				       d.plan.handover_on};
	form_begin(r, arena_printf(r->a, "/children/%lld/transition",
				   (long long)ch.child_id));
	fields_form(r, &transition_type, v ? v : d.flag.has_plan ? &cur : NULL,
		    e);
	form_button(r, "Save the transition plan", false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static void transition_show(struct req *r)
{
	transition_page(r, NULL, NULL, 200);
}

static void transition_post(struct req *r)
{
	struct transition_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &transition_type, &in, &fe);
	if (rc == ERR_OK)
		rc = transition_save(r->db, &r->act, r->cal, r->ids[0], &in,
				     &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &transition_type, &de, &fe);
		transition_page(r, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
	} else {
		page_redirect(r, arena_printf(r->a, "/children/%lld/transition"
					      "?saved=1",
					      (long long)r->ids[0]));
	}
}

/* ---- routes -------------------------------------------------------------- */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_withdraw[] = {
	{"withdrawn", PARAM_LINE, 3, false},
	{NULL, 0, 0, false},
};
static struct param_spec p_service[8], p_transition[10];

__attribute__((constructor)) static void form_params(void)
{
	fields_params(&closure_service_type, NULL, p_service, 8);
	fields_params(&transition_type, p_saved, p_transition, 10);
}

const struct route closure_page_routes[] = {
	{HTTP_GET, "/services", PERM_SERVICES_ADMIN, 0, p_saved, services_show,
	 "The council's service directory", NULL},
	{HTTP_POST, "/services", PERM_SERVICES_ADMIN, ROUTE_FORM, p_service,
	 services_add, "Add a service to the directory", NULL},
	{HTTP_POST, "/services/{id}/withdrawal", PERM_SERVICES_ADMIN,
	 ROUTE_FORM, p_withdraw, services_withdraw,
	 "Withdraw or restore a service of the directory", NULL},
	{HTTP_GET, "/children/{id}/transition", PERM_EPISODE_WRITE, 0, p_saved,
	 transition_show, "Form: a young person's transition plan", NULL},
	{HTTP_POST, "/children/{id}/transition", PERM_EPISODE_WRITE,
	 ROUTE_FORM, p_transition, transition_post,
	 "Save a young person's transition plan to adult services", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
