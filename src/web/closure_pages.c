/*
 * closure_pages.c: the pages of step-down that are not the case page's
 * (episode/episode.h, "closing"): the council's service directory (GET
 * /services: the entries, withdrawing or restoring one, adding one;
 * administrators and team managers) and, in a partner's "My work", the
 * families their organisation keeps watch on after a case closed.
 *
 * The directory names no child and is not audited; the families
 * watched are a list shown to someone (closure_watched audits it in My
 * work's transaction).  A refused POST re-shows the page with an error
 * summary and what was typed (422; 409 for a name already used) and
 * changes nothing.
 */
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

/* ---- routes -------------------------------------------------------------- */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_withdraw[] = {
	{"withdrawn", PARAM_LINE, 3, false},
	{NULL, 0, 0, false},
};
static struct param_spec p_service[8];

__attribute__((constructor)) static void form_params(void)
{
	fields_params(&closure_service_type, NULL, p_service, 8);
}

const struct route closure_page_routes[] = {
	{HTTP_GET, "/services", PERM_SERVICES_ADMIN, 0, p_saved, services_show,
	 "The council's service directory", NULL},
	{HTTP_POST, "/services", PERM_SERVICES_ADMIN, ROUTE_FORM, p_service,
	 services_add, "Add a service to the directory", NULL},
	{HTTP_POST, "/services/{id}/withdrawal", PERM_SERVICES_ADMIN,
	 ROUTE_FORM, p_withdraw, services_withdraw,
	 "Withdraw or restore a service of the directory", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
