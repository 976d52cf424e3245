/*
 * episode_pages.c: the pages of cases (episodes of need; GOV.UK Design
 * System, no JavaScript) on the episode module: opening a case for a
 * child from one of their referrals (GET /children/{id}/cases/new, POST
 * /children/{id}/cases), the case page (GET /cases/{id}: summary, plan,
 * reviews, family members, allocation history, closing) with its forms
 * (the plan, an outcome, an action, a member, allocation, a consultation
 * with a partner agency before closing, closing), a review
 * (GET /cases/{id}/reviews/new, POST /cases/{id}/reviews), the
 * unallocated cases (GET /cases/unallocated) and a team's caseloads
 * (GET /caseloads); the "Cases" section of the child's page.
 *
 * A page showing a child's data is sent only after its reads and their
 * audit rows commit (one write transaction; web/sections.h for the
 * pages about a child).  A refused POST re-shows its page with an
 * error summary and every typed value (422; 409 for a conflict) and
 * changes nothing.  People read labels, never ids or codes.
 */
#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "episode/episode.h"
#include "http/html.h"
#include "referral/referral.h"
#include "web/answer.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"
#include "web/glance.h"

#include <stdio.h>
#include <string.h>

#define PROGRESS_MAX 30

/* ---- the forms' record types: the module's fields people type --------
 * (the ids the page chooses by a select are drawn here, never typed) */

/* Opening: the fields but referral_id and assessment_id. */
static struct field open_form_fields[5];
static const struct record_type open_form = {"episode_open",
					     open_form_fields, 5};
/* An action: the fields but outcome_id. */
static struct field action_form_fields[3];
static const struct record_type action_form = {"episode_action",
					       action_form_fields, 3};
/* Closing, in three parts between the inputs drawn here (the watching
 * agency's select, the services' checkboxes): the date and reason;
 * what the agency watches for; the manager's approval. */
static struct field close_a_fields[2], close_b_fields[1], close_c_fields[1];
static const struct record_type close_a = {"episode_close", close_a_fields, 2};
static const struct record_type close_b = {"episode_close", close_b_fields, 1};
static const struct record_type close_c = {"episode_close", close_c_fields, 1};
/* A consultation: the fields but org_id. */
static struct field consult_form_fields[3];
static const struct record_type consult_form = {"closure_consultation",
						consult_form_fields, 3};

__attribute__((constructor)) static void form_types(void)
{
	memcpy(open_form_fields, episode_open_type.fields,
	       sizeof(open_form_fields));
	memcpy(action_form_fields, episode_action_type.fields + 1,
	       sizeof(action_form_fields));
	memcpy(close_a_fields, episode_close_type.fields,
	       sizeof(close_a_fields));
	close_b_fields[0] = *field_find(&episode_close_type, "watch_for");
	close_c_fields[0] = *field_find(&episode_close_type, "approved");
	memcpy(consult_form_fields, closure_consult_type.fields + 1,
	       sizeof(consult_form_fields));
}

/* ---- helpers ------------------------------------------------------------ */

static const char *id_text(struct req *r, int64_t id)
{
	return id > 0 ? arena_printf(r->a, "%lld", (long long)id) : NULL;
}

/* The form's id field name, as a positive id or 0. */
static int64_t form_id(struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	int64_t n = 0;
	return v && str_to_i64z(v, 1, INT64_MAX, &n) ? n : 0;
}

static void worker_cell(struct req *r, const void *rec)
{
	const struct episode *e = rec;
	struct sbuf *o = page_out(r);
	if (e->worker_name[0])
		html_text(o, e->team_name[0]
			  ? arena_printf(r->a, "%s, %s", e->worker_name,
					 e->team_name)
			  : e->worker_name);
	else
		page_tag(r, "Not allocated", "red");
}

static void review_cell(struct req *r, const void *rec)
{
	const struct episode *e = rec;
	struct sbuf *o = page_out(r);
	if (!e->open) {
		html_text(o, "Closed");
		return;
	}
	if (!e->review_due[0]) {
		html_text(o, "None due");
		return;
	}
	html_text(o, page_when(r, e->review_due));
	if (e->review_overdue) {
		html_raw(o, " ");
		page_tag(r, "Overdue", "red");
	}
}

/* "Reopened": the earlier case, closed within 12 months, linked. */
static void reopened_cell(struct req *r, const void *rec)
{
	const struct episode *e = rec;
	char d[32];
	cal_words(e->reopened_from_closed, d);
	page_link(r, arena_printf(r->a, "/cases/%lld",
				  (long long)e->reopened_from),
		  arena_printf(r->a, "The case closed on %s", d));
}

static bool type_of_family_help(const struct episode *e)
{
	return strcmp(e->case_type, "family_help") == 0;
}

static const char *case_href(struct req *r, int64_t id)
{
	return arena_printf(r->a, "/cases/%lld", (long long)id);
}

/* ---- opening a case ------------------------------------------------------ */

/* The child's referrals as choices, labelled by their dates. */
static int referral_choices(struct req *r, int64_t child_id,
			    struct choice **out, int *n)
{
	struct referral *v = NULL;
	int k = 0;
	int rc = referral_list_child(r->db, &r->act, r->cal, child_id, r->a,
				     &v, &k);
	if (rc != ERR_OK)
		return rc;
	struct choice *c = arena_zalloc(r->a, (size_t)(k + 2) * sizeof(*c));
	if (c == NULL)
		return ERR_NOMEM;
	c[0] = (struct choice){"", "Not from a referral", NULL};
	for (int i = 0; i < k; i++)
		c[i + 1] = (struct choice){
			id_text(r, v[i].referral_id),
			arena_printf(r->a, "Referral of %s",
				     page_when(r, v[i].referral_date)), NULL};
	*out = c;
	*n = k + 1;
	return ERR_OK;
}

static void open_form_page(struct req *r, const struct episode_input *v,
			   const struct field_errors *e, int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct choice *refs = NULL;
	int nrefs = 0;
	int rc = referral_choices(r, ch.child_id, &refs, &nrefs);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "Open a case", e);
	page_caption(r, arena_printf(r->a, "%s %s", ch.given_name,
				     ch.family_name));
	page_back_link(r, page_record_href(r, "child", ch.child_id));
	form_begin(r, arena_printf(r->a, "/children/%lld/cases",
				   (long long)ch.child_id));
	form_select(r, e, "referral_id", "Opened from", "The referral the "
		    "decision to open the case was made on", refs, nrefs,
		    id_text(r, v->referral_id));
	fields_form(r, &open_form, v, e);
	form_button(r, "Open case", false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static void case_new(struct req *r)
{
	char today[11];
	cal_date_format(r->act.civil.date, today);
	const char *ref = req_query(r, "referral_id");
	int64_t rid = 0;
	if (ref && !str_to_i64z(ref, 1, INT64_MAX, &rid))
		rid = 0;
	struct episode_input v = {.opened_on = today, .referral_id = rid};
	open_form_page(r, &v, NULL, 200);
}

static void case_create(struct req *r)
{
	struct episode_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t id = 0;
	int rc = fields_take(r, &open_form, &in, &fe);
	in.referral_id = form_id(r, "referral_id");
	if (rc == ERR_OK)
		rc = episode_open(r->db, &r->act, r->cal, r->ids[0], &in, &id,
				  &de);
	if (rc == ERR_OK) {
		page_redirect(r, arena_printf(r->a, "/cases/%lld?saved=1",
					      (long long)id));
	} else if (rc == ERR_INVALID || (rc == ERR_CONFLICT && de.n)) {
		fields_errors(r, &episode_open_type, &de, &fe);
		open_form_page(r, &in, &fe, rc == ERR_CONFLICT ? 409 : 422);
	} else {
		answer_error(r, rc, NULL, NULL);
	}
}

/* ---- the case page ------------------------------------------------------- */

struct case_data {
	struct episode ep;
	struct episode_outcome *ov;
	struct episode_action *av;
	struct episode_review *rv;
	struct episode_member *mv;
	struct episode_allocation *hv;
	int on, an, rn, mn, hn;
	struct referral_option *teams, *workers;
	int nt, nw;
	struct child_member *net;
	int nnet;
	/* closing */
	bool assessed, has_closure;
	struct closure closure;
	struct closure_consultation *kv;
	struct closure_agency *agencies, *orgs;
	struct closure_service *services;
	int kn, ngn, norg, nsvc;
};

/* Reads the case and its parts in one transaction with their audit
 * row; ERR_OK or an error (rolled back). */
static int case_load(struct req *r, struct case_data *d)
{
	int64_t id = r->ids[0];
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK)
		rc = episode_read(r->db, &r->act, id, r->a, &d->ep);
	if (rc == ERR_OK)
		rc = episode_outcomes(r->db, &r->act, id, r->a, &d->ov, &d->on);
	if (rc == ERR_OK)
		rc = episode_actions(r->db, &r->act, id, r->a, &d->av, &d->an);
	if (rc == ERR_OK)
		rc = episode_reviews(r->db, &r->act, id, r->a, &d->rv, &d->rn);
	if (rc == ERR_OK)
		rc = episode_members(r->db, &r->act, id, r->a, &d->mv, &d->mn);
	if (rc == ERR_OK)
		rc = episode_allocations(r->db, &r->act, id, r->a, &d->hv,
					 &d->hn);
	if (rc == ERR_OK && req_can(r, PERM_EPISODE_ALLOCATE))
		rc = referral_teams(r->db, r->user.council, r->a, &d->teams,
				    &d->nt);
	if (rc == ERR_OK && req_can(r, PERM_EPISODE_ALLOCATE))
		rc = referral_workers(r->db, r->user.council, r->a, &d->workers,
				      &d->nw);
	if (rc == ERR_OK)
		rc = closure_consultations(r->db, &r->act, id, r->a, &d->kv,
					   &d->kn);
	if (rc == ERR_OK && !d->ep.open) {
		rc = closure_read(r->db, &r->act, id, r->a, &d->closure);
		d->has_closure = rc == ERR_OK;
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK;
	}
	if (rc == ERR_OK && d->ep.open && req_can(r, PERM_EPISODE_WRITE)) {
		rc = closure_assessed(r->db, &r->act, id, &d->assessed);
		if (rc == ERR_OK)
			rc = closure_agencies(r->db, &r->act, id, r->a,
					      &d->agencies, &d->ngn);
		if (rc == ERR_OK)
			rc = closure_orgs(r->db, &r->act, r->a, &d->orgs,
					  &d->norg);
		if (rc == ERR_OK)
			rc = closure_services(r->db, &r->act, false, r->a,
					      &d->services, &d->nsvc);
	}
	if (rc == ERR_OK && req_can(r, PERM_EPISODE_WRITE)) {
		struct child_ctx x;
		child_page_ctx(r, &x);
		rc = child_network(r->db, &x, r->a, d->ep.child_id, &d->net,
				   &d->nnet);
	}
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	if (rc != ERR_OK)
		db_rollback(r->db);
	return rc;
}

static const struct column case_rows[] = {
	{.head = "Type of case", .field = "case_type"},
	{.head = "Section 17 child in need plan", .field = "section17"},
	{.head = "Primary need", .field = "primary_need"},
	{.head = "Opened", .field = "opened_on"},
	{.head = "Plan started", .field = "plan_start", .empty = "Not recorded"},
	{.head = "Plan ended", .field = "plan_end", .empty = "Not ended"},
	{.head = "Lead practitioner", .show = worker_cell},
	{.head = "Supervising manager", .field = "manager_name",
	 .empty = "Not allocated"},
	{.head = "Next review due", .show = review_cell},
	{.head = "Closed", .field = "closed_on", .empty = "Open"},
	{.head = "Reason for closing", .field = "closure_reason",
	 .empty = "Not closed"},
	{0},
};
/* The earlier case, when this one reopened it (a row only then). */
static const struct column reopened_rows[] = {
	{.head = "Reopens", .show = reopened_cell},
	{0},
};

static const struct column closure_rows[] = {
	{.head = "Agency keeping watch", .field = "watch_org_name",
	 .empty = "None named"},
	{.head = "Watching for", .field = "watch_for"},
	{.head = "Watching until", .field = "watch_until"},
	{.head = "Services the family was connected to", .field = "services",
	 .empty = "None recorded"},
	{.head = "Closing approved by", .field = "approved_by_name"},
	{.head = "Approved", .field = "approved_at"},
	{0},
};

static const struct column consultation_cols[] = {
	{.head = "Agency", .field = "org_name"},
	{.head = "Who", .field = "person"},
	{.head = "When", .field = "consulted_on"},
	{.head = "Their view", .field = "view"},
	{0},
};

static const struct column action_cols[] = {
	{.head = "Action", .field = "action"},
	{.head = "Who", .field = "owner"},
	{.head = "Due", .field = "due_on"},
	{0},
};

static const struct column review_cols[] = {
	{.head = "Date", .field = "review_date"},
	{.head = "Achieved", .field = "achieved"},
	{.head = "Making progress", .field = "progressing"},
	{.head = "No change", .field = "no_change"},
	{.head = "Getting worse", .field = "worse"},
	{0},
};

static const struct column member_cols[] = {
	{.head = "Name", .field = "name"},
	{.head = "Relationship", .field = "relationship"},
	{0},
};

static const struct column history_cols[] = {
	{.head = "When", .field = "allocated_at"},
	{.head = "Lead practitioner", .field = "worker_name"},
	{.head = "Team", .field = "team_name"},
	{.head = "Supervising manager", .field = "manager_name"},
	{.head = "Allocated by", .field = "allocated_by_name"},
	{0},
};

static const struct column outcome_cols[] = {
	{.head = "Outcome wanted", .field = "outcome"},
	{.head = "Progress at the last review", .field = "progress",
	 .empty = "Not reviewed yet"},
	{0},
};

/* The outcomes as choices: "Outcome 1" and its first words. */
static struct choice *outcome_choices(struct req *r, const struct case_data *d)
{
	struct choice *c = arena_zalloc(r->a, (size_t)(d->on + 1) * sizeof(*c));
	for (int i = 0; c && i < d->on; i++) {
		const char *t = d->ov[i].outcome;
		c[i].value = id_text(r, d->ov[i].outcome_id);
		c[i].label = arena_printf(r->a, "Outcome %d: %.60s%s", i + 1, t,
					  strlen(t) > 60 ? "…" : "");
	}
	return c;
}

static struct choice *option_choices(struct req *r,
				     const struct referral_option *v, int n,
				     bool managers)
{
	struct choice *c = arena_zalloc(r->a, (size_t)(n + 2) * sizeof(*c));
	int k = 0;
	for (int i = 0; c && i < n; i++) {
		if (managers && strcmp(v[i].detail, "Team manager") != 0)
			continue;
		c[k].value = id_text(r, v[i].id);
		c[k++].label = !v[i].detail[0] ? v[i].name
			       : v[i].team[0]
				       ? arena_printf(r->a, "%s (%s, %s)",
						      v[i].name, v[i].detail,
						      v[i].team)
				       : arena_printf(r->a, "%s (%s)", v[i].name,
						      v[i].detail);
	}
	return c;
}

static int count_managers(const struct referral_option *v, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += strcmp(v[i].detail, "Team manager") == 0;
	return k;
}

static void allocation_form(struct req *r, const struct case_data *d,
			    const struct field_errors *e)
{
	const struct episode *ep = &d->ep;
	struct choice *wc = option_choices(r, d->workers, d->nw, false);
	struct choice *mc = option_choices(r, d->workers, d->nw, true);
	struct choice *tc = option_choices(r, d->teams, d->nt, false);
	struct choice *tco = arena_zalloc(r->a, (size_t)(d->nt + 2) *
					  sizeof(*tco));
	if (tco && tc) {
		tco[0] = (struct choice){"", "The lead practitioner's own team",
					 NULL};
		memcpy(tco + 1, tc, (size_t)d->nt * sizeof(*tc));
	}
	const char *who = req_form(r, "worker_id"), *mgr = req_form(r,
								   "manager_id");
	const char *team = req_form(r, "team_id");
	if (who == NULL)
		who = id_text(r, ep->worker_id);
	if (mgr == NULL)
		mgr = id_text(r, ep->manager_id);
	if (team == NULL)
		team = id_text(r, ep->team_id);
	page_h2(r, ep->worker_id ? "Reallocate the case" : "Allocate the case");
	form_begin(r, arena_printf(r->a, "/cases/%lld/allocation",
				   (long long)ep->episode_id));
	form_select(r, e, "worker_id", "Lead practitioner", NULL, wc,
		    wc ? d->nw : 0, who);
	form_select(r, e, "manager_id", "Supervising manager",
		    "A team manager", mc, mc ? count_managers(d->workers, d->nw)
					     : 0, mgr);
	form_select(r, e, "team_id", "Team", NULL, tco,
		    tco && tc ? d->nt + 1 : 0, team);
	form_button(r, ep->worker_id ? "Reallocate" : "Allocate", false);
	form_end(r);
}

static void member_form(struct req *r, const struct case_data *d,
			const struct field_errors *e)
{
	struct choice *c = arena_zalloc(r->a, (size_t)(d->nnet + 1) *
					sizeof(*c));
	int k = 0;
	for (int i = 0; c && i < d->nnet; i++) {
		if (!d->net[i].current ||
		    strcmp(d->net[i].kind, "professional") == 0)
			continue;
		c[k].value = id_text(r, d->net[i].member_id);
		c[k++].label = arena_printf(r->a, "%s (%s)", d->net[i].name,
					    d->net[i].relationship);
	}
	if (k == 0) {
		page_para(r, "Add the child's family to their record's family "
			  "and network section to name them in the case.");
		return;
	}
	form_begin(r, arena_printf(r->a, "/cases/%lld/members",
				   (long long)d->ep.episode_id));
	form_select(r, e, "network_member_id", "Family member", "From the "
		    "child's family and network", c, k,
		    req_form(r, "network_member_id"));
	form_button(r, "Add to the case", true);
	form_end(r);
}

/* The services ticked on the form (repeated "services" fields), at
 * most CLOSURE_SERVICES_MAX + 1 (one more is refused by the domain). */
static int form_services(struct req *r, int64_t *v, const char **text)
{
	int n = 0;
	for (size_t i = 0; i < r->f.n && n <= CLOSURE_SERVICES_MAX; i++) {
		if (strcmp(r->f.v[i].key, "services") != 0)
			continue;
		text[n] = r->f.v[i].val;
		v[n++] = strtoll(r->f.v[i].val, NULL, 10);
	}
	return n;
}

/* Consulting the agencies, then the closing form. */
static void closing_section(struct req *r, const struct case_data *d,
			    bool write, const struct field_errors *ke,
			    const struct field_errors *ce)
{
	int64_t id = d->ep.episode_id;
	struct sbuf *o = page_out(r);
	html_raw(o, "<h2 class=\"govuk-heading-m\" id=\"consultations\">");
	html_text(o, write ? "Before closing the case" :
		  "Agencies consulted before closing");
	html_raw(o, "</h2>");
	if (write && d->assessed)
		page_para(r, "This case had an assessment. Before it closes, "
			  "record a consultation with every agency involved "
			  "with the child, name an agency to keep watch on the "
			  "family, connect the family to services, and a team "
			  "manager approves the closing.");
	else if (write)
		page_para(r, "Connect the family to services and, if an "
			  "agency will keep watch on the family, name it.");
	if (write && d->ngn) {
		summary_begin(r);
		for (int i = 0; i < d->ngn; i++)
			summary_row(r, d->agencies[i].name,
				    d->agencies[i].consulted ? "Consulted"
							     : "Not consulted yet");
		summary_end(r);
	} else if (write) {
		page_para(r, "No agency is involved with the child in their "
			  "family and network.");
	}
	if (d->kn)
		fields_table(r, "Consultations", &closure_consultation_view,
			     consultation_cols, d->kv, sizeof(*d->kv), d->kn);
	if (!write)
		return;
	struct choice *orgs = arena_zalloc(r->a, (size_t)(d->norg + 1) *
					   sizeof(*orgs));
	for (int i = 0; orgs && i < d->norg; i++)
		orgs[i] = (struct choice){id_text(r, d->orgs[i].org_id),
					  d->orgs[i].name, NULL};
	page_h2(r, "Record a consultation");
	form_begin(r, arena_printf(r->a, "/cases/%lld/consultations",
				   (long long)id));
	form_select(r, ke, "org_id", "Agency", NULL, orgs,
		    orgs ? d->norg : 0, ke ? req_form(r, "org_id") : NULL);
	fields_form(r, &consult_form, NULL, ke);
	form_button(r, "Save the consultation", true);
	form_end(r);

	page_h2(r, "Close the case");
	form_begin(r, arena_printf(r->a, "/cases/%lld/closure", (long long)id));
	fields_form(r, &close_a, NULL, ce);
	form_select(r, ce, "watch_org_id", "Agency keeping watch on the family",
		    d->assessed ? "The agency that will notice if things get "
				  "worse" : "Optional: an agency that will "
				  "notice if things get worse",
		    orgs, orgs ? d->norg : 0,
		    ce ? req_form(r, "watch_org_id") : NULL);
	fields_form(r, &close_b, NULL, ce);
	struct choice *sc = arena_zalloc(r->a, (size_t)(d->nsvc + 1) *
					 sizeof(*sc));
	for (int i = 0; sc && i < d->nsvc; i++) {
		const char *k = codes_label(closure_service_kinds,
					    d->services[i].kind);
		sc[i] = (struct choice){id_text(r, d->services[i].service_id),
					d->services[i].name,
					arena_printf(r->a, "%s. %s", k ? k : "",
						     d->services[i].contact)};
	}
	int64_t ticked[CLOSURE_SERVICES_MAX + 1];
	const char *checked[CLOSURE_SERVICES_MAX + 1];
	int nt = ce ? form_services(r, ticked, checked) : 0;
	if (d->nsvc)
		form_checkboxes(r, ce, "services", "Services the family has "
				"been connected to", "From the council's "
				"directory of universal services. Select all "
				"that apply.", sc, sc ? d->nsvc : 0, checked,
				nt);
	else
		page_para(r, "The council's service directory is empty; an "
			  "administrator or team manager adds its services.");
	if (req_can(r, PERM_EPISODE_ALLOCATE))
		fields_form(r, &close_c, NULL, ce);
	else if (d->assessed)
		page_para(r, "A team manager approves closing a case that had "
			  "an assessment: ask your manager to close it.");
	if (ce && fe_for(ce, "approved") && !req_can(r, PERM_EPISODE_ALLOCATE))
		page_para(r, fe_for(ce, "approved"));
	form_button(r, "Close the case", true);
	form_end(r);
}

static void case_page(struct req *r, const struct field_errors *e,
		      const char *form, int status)
{
	struct case_data d;
	memset(&d, 0, sizeof(d));
	int rc = case_load(r, &d);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	const struct episode *ep = &d.ep;
	bool write = req_can(r, PERM_EPISODE_WRITE) && ep->open;
	const char *type = codes_label(episode_type_codes, ep->case_type);
	page_begin(r, arena_printf(r->a, "%s case", type ? type : "The"), e);
	page_caption(r, ep->child_name);
	page_child_crumbs(r, ep->child_id, ep->child_name);
	if (req_query(r, "saved") && (!e || !e->n))
		page_banner(r, "The case has been saved");
	fields_summary(r, &episode_view, case_rows, ep);
	if (ep->reopened_from)
		fields_summary(r, &episode_view, reopened_rows, ep);
	const struct field_errors *fe = NULL;
#define ERRS(name) (form && strcmp(form, (name)) == 0 ? e : fe)

	if (req_can(r, PERM_EPISODE_ALLOCATE) && ep->open)
		allocation_form(r, &d, ERRS("allocation"));

	/* the plan */
	page_h2(r, "The plan");
	if (d.on == 0)
		page_para(r, "No outcomes have been added to the plan yet.");
	else
		fields_table(r, "Outcomes wanted", &episode_outcome_view,
			     outcome_cols, d.ov, sizeof(*d.ov), d.on);
	if (d.an)
		fields_table(r, "Actions", &episode_action_view, action_cols,
			     d.av, sizeof(*d.av), d.an);
	if (write) {
		form_begin(r, arena_printf(r->a, "/cases/%lld/outcomes",
					   (long long)ep->episode_id));
		struct episode_outcome_input oi = {req_form(r, "outcome")};
		fields_form(r, &episode_outcome_type,
			    ERRS("outcome") ? &oi : NULL, ERRS("outcome"));
		form_button(r, "Add outcome", true);
		form_end(r);
	}
	if (write && d.on) {
		page_h2(r, "Add an action");
		form_begin(r, arena_printf(r->a, "/cases/%lld/actions",
					   (long long)ep->episode_id));
		form_select(r, ERRS("action"), "outcome_id", "Outcome", NULL,
			    outcome_choices(r, &d), d.on,
			    req_form(r, "outcome_id"));
		fields_form(r, &action_form, NULL, ERRS("action"));
		form_button(r, "Add action", true);
		form_end(r);
	}
	if (write && type_of_family_help(ep)) {
		page_h2(r, "Plan dates and primary need");
		form_begin(r, arena_printf(r->a, "/cases/%lld/plan",
					   (long long)ep->episode_id));
		struct episode_plan_input pi = {ep->primary_need, ep->section17,
						ep->plan_start, ep->plan_end};
		fields_form(r, &episode_plan_type, &pi, ERRS("plan"));
		form_button(r, "Save the plan", true);
		form_end(r);
	}

	/* reviews */
	page_h2(r, "Reviews");
	if (d.rn == 0)
		page_para(r, "The plan has not been reviewed yet.");
	else
		fields_table(r, "Reviews, newest first: how many outcomes "
			     "were at each level of progress",
			     &episode_review_view, review_cols, d.rv,
			     sizeof(*d.rv), d.rn);
	if (write && type_of_family_help(ep) && d.on)
		page_para_link(r, arena_printf(r->a, "/cases/%lld/reviews/new",
					       (long long)ep->episode_id),
			       "Record a review");

	/* members */
	page_h2(r, "Family members in the case");
	if (d.mn == 0)
		page_para(r, "No family members have been added.");
	else
		fields_table(r, "Family members", &episode_member_view,
			     member_cols, d.mv, sizeof(*d.mv), d.mn);
	if (write)
		member_form(r, &d, ERRS("member"));

	/* allocation history */
	page_h2(r, "Allocation history");
	if (d.hn == 0)
		page_para(r, "The case has not been allocated.");
	else
		fields_table(r, "Allocations, newest first",
			     &episode_allocation_view, history_cols, d.hv,
			     sizeof(*d.hv), d.hn);

	/* closing and step-down */
	if (d.kn || write)
		closing_section(r, &d, write, ERRS("consultation"),
				ERRS("close"));
	if (d.has_closure) {
		page_h2(r, "How the case closed");
		fields_summary(r, &closure_view, closure_rows, &d.closure);
	}
#undef ERRS
	page_end(r);
	page_send(r, status);
}

static void case_show(struct req *r)
{
	case_page(r, NULL, NULL, 200);
}

/* Answers a case form's POST: 303 back to the case, or the page again
 * with the errors on `form`'s inputs. */
static void case_answer(struct req *r, int rc, const struct record_type *t,
			const char *form, struct field_errors *fe,
			const struct field_errors *de)
{
	if (rc == ERR_OK) {
		page_redirect(r, arena_printf(r->a, "/cases/%lld?saved=1",
					      (long long)r->ids[0]));
	} else if (rc == ERR_INVALID || (rc == ERR_CONFLICT && de->n)) {
		fields_errors(r, t, de, fe);
		case_page(r, fe, form, rc == ERR_CONFLICT ? 409 : 422);
	} else {
		answer_error(r, rc, NULL, NULL);
	}
}

static void case_allocation(struct req *r)
{
	struct episode_allocation_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_allocation_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_allocate(r->db, &r->act, r->ids[0], &in, &de);
	case_answer(r, rc, &episode_allocation_type, "allocation", &fe, &de);
}

static void case_outcome(struct req *r)
{
	struct episode_outcome_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_outcome_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_outcome_add(r->db, &r->act, r->ids[0], &in, NULL,
					 &de);
	case_answer(r, rc, &episode_outcome_type, "outcome", &fe, &de);
}

static void case_action(struct req *r)
{
	struct episode_action_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_action_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_action_add(r->db, &r->act, r->ids[0], &in, NULL,
					&de);
	case_answer(r, rc, &episode_action_type, "action", &fe, &de);
}

static void case_plan(struct req *r)
{
	struct episode_plan_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_plan_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_plan_set(r->db, &r->act, r->cal, r->ids[0], &in,
				      &de);
	case_answer(r, rc, &episode_plan_type, "plan", &fe, &de);
}

static void case_member(struct req *r)
{
	struct episode_member_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_member_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_member_add(r->db, &r->act, r->ids[0], &in, NULL,
					&de);
	case_answer(r, rc, &episode_member_type, "member", &fe, &de);
}

static void case_closure(struct req *r)
{
	struct episode_close_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t svc[CLOSURE_SERVICES_MAX + 1];
	const char *text[CLOSURE_SERVICES_MAX + 1];
	in.nservices = form_services(r, svc, text);
	in.services = svc;
	int rc = fields_take(r, &episode_close_type, &in, &fe);
	if (rc == ERR_OK)
		rc = episode_close(r->db, &r->act, r->ids[0], &in, &de);
	case_answer(r, rc, &episode_close_type, "close", &fe, &de);
}

static void case_consultation(struct req *r)
{
	struct closure_consult_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &closure_consult_type, &in, &fe);
	if (rc == ERR_OK)
		rc = closure_consult(r->db, &r->act, r->ids[0], &in, NULL, &de);
	case_answer(r, rc, &closure_consult_type, "consultation", &fe, &de);
}

/* ---- a review -------------------------------------------------------------- */

static const char *const progress_params[PROGRESS_MAX] = {
#define PP(n) "progress_" #n
	PP(1), PP(2), PP(3), PP(4), PP(5), PP(6), PP(7), PP(8), PP(9),
	PP(10), PP(11), PP(12), PP(13), PP(14), PP(15), PP(16), PP(17),
	PP(18), PP(19), PP(20), PP(21), PP(22), PP(23), PP(24), PP(25),
	PP(26), PP(27), PP(28), PP(29), PP(30),
#undef PP
};

static void review_page(struct req *r, const struct field_errors *e,
			int status)
{
	struct case_data d;
	memset(&d, 0, sizeof(d));
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK)
		rc = episode_read(r->db, &r->act, r->ids[0], r->a, &d.ep);
	if (rc == ERR_OK)
		rc = episode_outcomes(r->db, &r->act, r->ids[0], r->a, &d.ov,
				      &d.on);
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "Record a review of the plan", e);
	page_caption(r, d.ep.child_name);
	page_back_link(r, case_href(r, d.ep.episode_id));
	form_begin(r, arena_printf(r->a, "/cases/%lld/reviews",
				   (long long)d.ep.episode_id));
	struct episode_review_input v = {req_form(r, "review_date"), NULL, 0};
	fields_form(r, &episode_review_type, &v, e);
	size_t nc = 0;
	while (episode_progress_codes[nc].code)
		nc++;
	struct choice *pc = arena_zalloc(r->a, (nc + 1) * sizeof(*pc));
	for (size_t i = 0; pc && i < nc; i++)
		pc[i] = (struct choice){episode_progress_codes[i].code,
					episode_progress_codes[i].label, NULL};
	for (int i = 0; i < d.on && i < PROGRESS_MAX; i++)
		form_radios(r, e, progress_params[i],
			    arena_printf(r->a, "Progress on outcome %d", i + 1),
			    d.ov[i].outcome, pc, pc ? (int)nc : 0,
			    req_form(r, progress_params[i]));
	form_button(r, "Record review", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void review_new(struct req *r)
{
	review_page(r, NULL, 200);
}

static void review_create(struct req *r)
{
	struct episode_review_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &episode_review_type, &in, &fe);
	/* the outcomes in the plan's order: the n-th radio group is the
	 * n-th outcome's */
	struct episode_outcome *ov = NULL;
	int on = 0;
	struct episode_progress *p = arena_zalloc(r->a, PROGRESS_MAX *
						  sizeof(*p));
	if (p == NULL) {
		answer_error(r, ERR_NOMEM, NULL, NULL);
		return;
	}
	int k = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (k == ERR_OK)
		k = episode_outcomes(r->db, &r->act, r->ids[0], r->a, &ov, &on);
	if (k == ERR_OK) {
		for (int i = 0; i < on && i < PROGRESS_MAX; i++) {
			const char *v = req_form(r, progress_params[i]);
			if (v == NULL || !v[0])
				continue;
			p[in.nprogress].outcome_id = ov[i].outcome_id;
			p[in.nprogress++].progress = v;
		}
		in.progress = p;
		if (rc == ERR_OK)
			k = episode_review_add(r->db, &r->act, r->cal, r->ids[0],
					       &in, NULL, &de);
		else
			k = ERR_INVALID;
	}
	if (k == ERR_OK)
		k = err_from_db(db_commit(r->db));
	else
		db_rollback(r->db);
	if (k == ERR_OK) {
		page_redirect(r, arena_printf(r->a, "/cases/%lld?saved=1",
					      (long long)r->ids[0]));
	} else if (k == ERR_INVALID) {
		fields_errors(r, &episode_review_type, &de, &fe);
		review_page(r, &fe, 422);
	} else {
		answer_error(r, k, NULL, NULL);
	}
}

/* ---- lists: unallocated cases, a team's caseloads ------------------------ */

static const struct column unallocated_cols[] = {
	{.head = "Child", .field = "child_name", .link = "case",
	 .link_id = "id"},
	{.head = "Type of case", .field = "case_type"},
	{.head = "Opened", .field = "opened_on"},
	{.head = "Next review due", .show = review_cell},
	{0},
};

static void cases_unallocated(struct req *r)
{
	struct episode_filter f = {true, 0, 0, 200, 0};
	const char *cur = req_query(r, "cursor");
	if (cur && !str_to_i64z(cur, 1, INT64_MAX, &f.cursor))
		f.cursor = 0;
	struct episode *v = NULL;
	int n = 0;
	int64_t next = 0;
	int rc = episode_list(r->db, &r->act, &f, r->a, &v, &n, &next);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "Unallocated cases", NULL);
	if (n == 0)
		page_para(r, "Every open case is allocated.");
	else
		fields_table(r, "Open cases with no lead practitioner, oldest "
			     "first", &episode_view, unallocated_cols, v,
			     sizeof(*v), n);
	if (next)
		page_para_link(r, arena_printf(r->a, "/cases/unallocated?cursor="
					       "%lld", (long long)next),
			       "Next page of unallocated cases");
	page_end(r);
	page_send(r, 200);
}

/* Hundredths as "3.5". */
static void weighted_cell(struct req *r, const void *rec)
{
	const struct episode_caseload *k = rec;
	int64_t w = k->weighted;
	struct sbuf *o = page_out(r);
	if (w % 100 == 0)
		html_text(o, arena_printf(r->a, "%lld", (long long)(w / 100)));
	else if (w % 10 == 0)
		html_text(o, arena_printf(r->a, "%lld.%lld", (long long)(w / 100),
					  (long long)(w % 100 / 10)));
	else
		html_text(o, arena_printf(r->a, "%lld.%02lld",
					  (long long)(w / 100),
					  (long long)(w % 100)));
}

static const struct column caseload_cols[] = {
	{.head = "Worker", .field = "worker_name"},
	{.head = "Open cases", .field = "cases"},
	{.head = "Family Help", .field = "family_help"},
	{.head = "Child protection", .field = "child_protection"},
	{.head = "Looked after", .field = "looked_after"},
	{.head = "Weighted caseload", .show = weighted_cell},
	{.head = "Overdue timescales", .field = "overdue"},
	{0},
};

static void caseloads(struct req *r)
{
	int64_t team = 0;
	const char *t = req_query(r, "team_id");
	if (t && !str_to_i64z(t, 1, INT64_MAX, &team))
		team = 0;
	if (team == 0)
		team = r->user.team_id;
	struct referral_option *teams = NULL;
	int nt = 0;
	struct episode_caseload *v = NULL;
	int n = 0;
	int64_t unalloc = 0;
	struct episode_filter f = {true, 0, team, 200, 0};
	struct episode *u = NULL;
	int64_t next = 0;
	int un = 0;
	int rc = referral_teams(r->db, r->user.council, r->a, &teams, &nt);
	if (rc == ERR_OK)
		rc = episode_caseloads(r->db, &r->act, team, r->a, &v, &n);
	if (rc == ERR_OK && team > 0)
		rc = episode_list(r->db, &r->act, &f, r->a, &u, &un, &next);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	unalloc = un;
	const char *name = "";
	for (int i = 0; i < nt; i++)
		if (teams[i].id == team)
			name = teams[i].name;
	page_begin(r, name[0] ? arena_printf(r->a, "Caseloads: %s", name)
			      : "Caseloads", NULL);
	form_begin_get(r, "/caseloads");
	struct choice *tc = option_choices(r, teams, nt, false);
	form_select(r, NULL, "team_id", "Team", NULL, tc, tc ? nt : 0,
		    id_text(r, team));
	form_button(r, "Show caseloads", true);
	form_end(r);
	int64_t cases = 0, overdue = 0;
	for (int i = 0; i < n; i++) {
		cases += v[i].cases;
		overdue += v[i].overdue;
	}
	summary_begin(r);
	summary_row(r, "Open cases allocated in the team",
		    arena_printf(r->a, "%lld", (long long)cases));
	summary_row(r, "Open cases of the team not allocated",
		    arena_printf(r->a, "%lld%s", (long long)unalloc,
				 next ? " or more" : ""));
	summary_row(r, "Overdue timescales of the team's workers",
		    arena_printf(r->a, "%lld", (long long)overdue));
	summary_end(r);
	if (n == 0)
		page_para(r, "No one in this team holds a case.");
	else
		fields_table(r, "Caseload of each worker (weights: the council's "
			     "setting for each type of case)",
			     &episode_caseload_view, caseload_cols, v,
			     sizeof(*v), n);
	page_para_link(r, "/cases/unallocated", "All unallocated cases");
	page_end(r);
	page_send(r, 200);
}

/* ---- the child's page section ------------------------------------------- */

struct child_cases {
	struct episode *v;
	int n;
};

static int load_child_cases(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void **data)
{
	(void)x;
	struct child_cases *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	return d ? episode_list_child(r->db, &r->act, ch->child_id, r->a,
				      &d->v, &d->n)
		 : ERR_NOMEM;
}

static const struct column child_case_cols[] = {
	{.head = "Type of case", .field = "case_type", .link = "case",
	 .link_id = "id"},
	{.head = "Opened", .field = "opened_on"},
	{.head = "Closed", .field = "closed_on", .empty = "Open"},
	{.head = "Lead practitioner", .show = worker_cell},
	{.head = "Next review due", .show = review_cell},
	{0},
};

static void render_child_cases(struct req *r, const struct child_ctx *x,
			       const struct child *ch, void *data)
{
	(void)x;
	const struct child_cases *d = data;
	struct sbuf *o = page_out(r);
	if (req_can(r, PERM_EPISODE_WRITE)) {
		html_raw(o, "<p class=\"govuk-body\"><a class=\"govuk-button "
			 "govuk-button--secondary\" data-module=\"govuk-button\"");
		html_attr(o, "href", arena_printf(r->a, "/children/%lld/cases/new",
						  (long long)ch->child_id));
		html_raw(o, ">Open a case</a></p>");
	}
	if (d->n == 0)
		page_para(r, "No case has been opened.");
	else
		fields_table_hidden(r, "Cases", &episode_view, child_case_cols,
				    d->v, sizeof(*d->v), d->n);
}

/* The open cases and their leads, for the summary at the top (glance.h). */
void episode_pages_glance(struct glance *g, const void *section_data)
{
	const struct child_cases *d = section_data;
	glance_cases(g, d->v, d->n);
}

const struct child_section episode_child_sections[] = {
	{"cases", "Cases", PERM_EPISODE_READ, 42, load_child_cases, NULL,
	 render_child_cases},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------------- */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_new[] = {
	{"referral_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_cursor[] = {
	{"cursor", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_team[] = {
	{"team_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

static struct param_spec p_open[10], p_alloc[5], p_outcome[3], p_action[6],
	p_plan[8], p_member[4], p_close[12], p_consult[10],
	p_review[PROGRESS_MAX + 6];
static struct param_spec progress_specs[PROGRESS_MAX + 1];

__attribute__((constructor)) static void form_params(void)
{
	static const struct param_spec ref[] = {
		{"referral_id", PARAM_INT, 20, false},
		{NULL, 0, 0, false},
	};
	fields_params(&open_form, ref, p_open, 10);
	fields_params(&episode_allocation_type, NULL, p_alloc, 5);
	fields_params(&episode_outcome_type, NULL, p_outcome, 3);
	fields_params(&episode_action_type, NULL, p_action, 6);
	fields_params(&episode_plan_type, NULL, p_plan, 8);
	fields_params(&episode_member_type, NULL, p_member, 4);
	static const struct param_spec services[] = {
		{"services", PARAM_INT, 20, true},
		{NULL, 0, 0, false},
	};
	fields_params(&episode_close_type, services, p_close, 12);
	fields_params(&closure_consult_type, NULL, p_consult, 10);
	for (int i = 0; i < PROGRESS_MAX; i++)
		progress_specs[i] = (struct param_spec){progress_params[i],
							PARAM_LINE, 20, false};
	fields_params(&episode_review_type, progress_specs, p_review,
		      PROGRESS_MAX + 6);
}

const struct route episode_page_routes[] = {
	{HTTP_GET, "/children/{id}/cases/new", PERM_EPISODE_WRITE, 0, p_new,
	 case_new, "Form: open a case", NULL},
	{HTTP_POST, "/children/{id}/cases", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_open, case_create, "Open a case", NULL},
	{HTTP_GET, "/cases/unallocated", PERM_EPISODE_ALLOCATE, 0, p_cursor,
	 cases_unallocated, "Unallocated cases", NULL},
	{HTTP_GET, "/caseloads", PERM_CASELOAD, 0, p_team, caseloads,
	 "A team's caseloads", NULL},
	{HTTP_GET, "/cases/{id}", PERM_EPISODE_READ, 0, p_saved, case_show,
	 "A case", NULL},
	{HTTP_POST, "/cases/{id}/allocation", PERM_EPISODE_ALLOCATE, ROUTE_FORM,
	 p_alloc, case_allocation, "Allocate a case", NULL},
	{HTTP_POST, "/cases/{id}/outcomes", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_outcome, case_outcome, "Add an outcome to a case's plan", NULL},
	{HTTP_POST, "/cases/{id}/actions", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_action, case_action, "Add an action to a case's plan", NULL},
	{HTTP_POST, "/cases/{id}/plan", PERM_EPISODE_WRITE, ROUTE_FORM, p_plan,
	 case_plan, "Set a case's plan dates and primary need", NULL},
	{HTTP_POST, "/cases/{id}/members", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_member, case_member, "Add a family member to a case", NULL},
	{HTTP_POST, "/cases/{id}/closure", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_close, case_closure, "Close a case", NULL},
	{HTTP_POST, "/cases/{id}/consultations", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_consult, case_consultation,
	 "Record a consultation with an agency before closing", NULL},
	{HTTP_GET, "/cases/{id}/reviews/new", PERM_EPISODE_WRITE, 0, NULL,
	 review_new, "Form: record a review", NULL},
	{HTTP_POST, "/cases/{id}/reviews", PERM_EPISODE_WRITE, ROUTE_FORM,
	 p_review, review_create, "Record a review of a case's plan", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
