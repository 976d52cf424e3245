/*
 * frontdoor_pages.c: the front door's pages (GOV.UK Design System, no
 * JavaScript) on the referral module: GET /front-door (the queue),
 * recording a contact (GET /children/{id}/contacts/new, POST
 * /children/{id}/contacts), a contact and its decision, a referral and
 * its allocation; its parts of the child's page and of "My work"
 * (web/sections.h).  A page showing a child's data is sent only after
 * the read and its audit row commit; a refused POST re-shows its form
 * with an error summary and every typed value (422; 409 for a second
 * decision) and changes nothing.  Forms, tables and summaries come from
 * the modules' fields (web/fields.h); what is drawn here is the front
 * door's own (the time left, re-referral, the worker).
 */

#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/html.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "domain/due.h"
#include "web/answer.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Rows shown on one page of a list. */
#define PAGE_ROWS 100

/* ---- what the front door draws itself -------------------------------- */

/* The time left as a tag: "Overdue by 2 hours" in red, "Due in 3
 * hours" in yellow when due today, grey when later (the words once: a
 * tag that repeated them read twice, issue 9). */
static void due_status(struct req *r, const char *due_at)
{
	struct cal_time now = r->act.civil, due;
	if (!cal_time_parse(due_at, strlen(due_at), &due)) {
		html_text(page_out(r), due_at);
		return;
	}
	char txt[64];
	bool over = contact_due_text(now, due, txt, sizeof(txt));
	txt[0] = (char)toupper((unsigned char)txt[0]);
	page_tag(r, txt, over ? "red"
			 : cal_compare(due.date, now.date) == 0 ? "yellow"
								 : "grey");
}

/* text, then a tag when `tag` is set. */
static void text_tag(struct req *r, const char *text, bool tag,
		     const char *tag_text, const char *colour)
{
	html_text(page_out(r), text);
	if (tag) {
		html_raw(page_out(r), " ");
		page_tag(r, tag_text, colour);
	}
}

/* The time left; a tag when the referrer has not been acknowledged
 * (R01: due with the decision, so overdue with it). */
static void contact_left(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	due_status(r, k->due_at);
	if (!k->acknowledged) {
		html_raw(page_out(r), "<br>");
		page_tag(r, "Not acknowledged", "grey");
	}
}

static void contact_due(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	html_text(page_out(r), page_when(r, k->due_at));
	if (!k->decided) {
		html_raw(page_out(r), "<br>");
		due_status(r, k->due_at);
	}
}

static void contact_decided(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	html_text(page_out(r), page_when(r, k->decided_at));
	html_raw(page_out(r), " ");
	page_tag(r, k->late ? "Late" : "On time", k->late ? "red" : "green");
}

static void contact_due_or_decided(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	if (k->decided)
		text_tag(r, page_when(r, k->decided_at), k->late, "Late", "red");
	else
		due_status(r, k->due_at);
}

/* Under the heading "Re-referral": yes (a tag) or no. */
static void rereferral(struct req *r, const void *rec)
{
	if (((const struct referral *)rec)->rereferral)
		page_tag(r, "Yes", "orange");
	else
		html_text(page_out(r), "No");
}

static void rereferral_long(struct req *r, const void *rec)
{
	const struct referral *f = rec;
	const char *prev = page_record_href(r, "referral",
					    f->previous_referral_id);
	if (f->rereferral) {
		html_text(page_out(r), "Yes: within 12 months of the referral "
			  "on ");
	} else {
		html_text(page_out(r), f->previous_referral_id
			  ? "No. The previous referral was on "
			  : "No. This is the child's first referral.");
	}
	if (f->previous_referral_id)
		page_link(r, prev, page_when(r, f->previous_date));
}

static void worker(struct req *r, const void *rec)
{
	const struct referral *f = rec;
	if (f->worker_id)
		html_text(page_out(r), f->worker_name);
	else
		page_tag(r, "Not allocated", "yellow");
}

/* ---- the child's open work (issue 9: see it before adding more) ------ */

/* What is open for the child: its undecided contacts and the referrals
 * whose assessment is not yet done. */
struct glance {
	struct contact *kv;
	int kn;
	struct referral *rv;
	int rn;
};

/* Reads the child's contacts and referrals in the caller's transaction,
 * whose audit row covers them (the child's page, a page about the
 * child). */
static int glance_read(struct req *r, int64_t child_id, struct glance *g)
{
	int rc = contact_list_child(r->db, &r->act, child_id, r->a, &g->kv,
				    &g->kn);
	if (rc == ERR_OK)
		rc = referral_list_child(r->db, &r->act, r->cal, child_id, r->a,
					 &g->rv, &g->rn);
	return rc;
}

/* The same in an own-or-joined transaction with its own audit row
 * ("read", "child"). */
static int glance_load(struct req *r, int64_t child_id, struct glance *g)
{
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc == ERR_OK)
		rc = glance_read(r, child_id, g);
	return tx_end_audit(r->db, own, rc, &r->act, "read", "child", child_id,
			    child_id);
}

/* The referrals open for the child other than this one (0: none). */
static int glance_open_referrals(const struct glance *g, int64_t this_referral)
{
	int n = 0;
	for (int i = 0; i < g->rn; i++)
		n += !g->rv[i].assessment_done &&
		     g->rv[i].referral_id != this_referral;
	return n;
}

/* The open work other than this contact / referral (0: none), with a
 * warning to add to it rather than start a parallel one. */
static void glance_render(struct req *r, const struct glance *g,
			  int64_t this_contact, int64_t this_referral)
{
	struct sbuf *o = page_out(r);
	int nk = 0, nr = 0;
	for (int i = 0; i < g->kn; i++)
		nk += !g->kv[i].decided && g->kv[i].contact_id != this_contact;
	nr = glance_open_referrals(g, this_referral);
	if (nk == 0 && nr == 0)
		return;
	page_h2(r, "Open work for this child");
	page_warning(r, nr ? "This child has an open referral. Add new "
			     "information to it rather than start a "
			     "parallel one."
			   : "This child has another contact waiting for a "
			     "decision. Decide them together.");
	html_raw(o, "<ul class=\"govuk-list govuk-list--bullet\">");
	for (int i = 0; i < g->kn; i++) {
		const struct contact *k = &g->kv[i];
		if (k->decided || k->contact_id == this_contact)
			continue;
		html_raw(o, "<li>");
		page_link(r, page_record_href(r, "contact", k->contact_id),
			  arena_printf(r->a, "Contact received %s",
				       page_when(r, k->received_at)));
		html_text(o, ", waiting for a decision");
		html_raw(o, "</li>");
	}
	for (int i = 0; i < g->rn; i++) {
		const struct referral *f = &g->rv[i];
		if (f->assessment_done || f->referral_id == this_referral)
			continue;
		html_raw(o, "<li>");
		page_link(r, page_record_href(r, "referral", f->referral_id),
			  arena_printf(r->a, "Referral of %s",
				       page_when(r, f->referral_date)));
		html_text(o, f->worker_id ? arena_printf(r->a, ", allocated to "
							 "%s", f->worker_name)
					  : ", not yet allocated");
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>");
}

/* ---- My work (web/sections.h) ------------------------------------------ */

struct queue_counts {
	struct contact_counts cc;
	int64_t unallocated;
};

static bool wants_queue(struct req *r)
{
	return req_can(r, PERM_FRONT_DOOR_QUEUE);
}

static int load_queue(struct req *r, void **data)
{
	struct queue_counts *d = arena_zalloc(r->a, sizeof(*d));
	int rc = d ? contact_queue_counts(r->db, &r->act, &d->cc) : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = referral_count_unallocated(r->db, r->act.council,
						&d->unallocated);
	*data = d;
	return rc;
}

static void render_queue(struct req *r, void *data)
{
	const struct queue_counts *d = data;
	page_h2(r, "Front door");
	summary_begin(r);
	page_srow_begin(r, "Contacts overdue");
	page_count(r, d->cc.overdue);
	if (d->cc.overdue) { /* the key says "overdue": no tag to repeat it */
		html_raw(page_out(r), " (");
		page_link(r, "/front-door?overdue=1", "show them");
		html_raw(page_out(r), ")");
	}
	page_srow_end(r);
	summary_row(r, "Contacts due today", page_count_text(r, d->cc.due_today));
	summary_row(r, "Contacts waiting for a decision",
		    page_count_text(r, d->cc.undecided));
	summary_row(r, "Referrals waiting for allocation",
		    page_count_text(r, d->unallocated));
	summary_end(r);
	page_para_link(r, "/front-door", "Go to the front-door queue");
}

/* The assessment's due date, tagged when it has passed (R02). */
#define ASSESSMENT_DUE(h)                                                 \
	{.head = h, .field = "assessment_due", .flag = "assessment_overdue", \
	 .tag = "Overdue", .colour = "red"}

/* What is due next on the child, in words, with how many are overdue
 * ("Nothing due": a child on the list for an open case with no clock
 * running, as a Family Help case before its plan starts). */
static void next_due(struct req *r, const void *rec)
{
	const struct referral_child *k = rec;
	if (!k->open) {
		html_text(page_out(r), "Nothing due");
		return;
	}
	html_text(page_out(r), due_rule_label(k->next_rule));
	html_raw(page_out(r), "<br>");
	html_text(page_out(r), page_when(r, k->next_due));
	if (k->late) {
		html_raw(page_out(r), " ");
		page_tag(r, arena_printf(r->a, "%s overdue",
					 page_count_text(r, k->overdue)), "red");
	}
}

static const struct column my_children_cols[] = {
	{.head = "Child", .field = "child_name", .link = "child",
	 .link_id = "child_id"},
	{.head = "Due next", .show = next_due},
	{.head = "Open timescales", .field = "open"},
	{.head = "Referral", .field = "referral_id", .link = "referral",
	 .link_id = "referral_id", .text = "View the referral"},
	{0},
};

struct my_children {
	struct referral_child *v;
	int n;
	bool more, overdue_only;
	int64_t page;
};

static int load_my_children(struct req *r, void **data)
{
	struct my_children *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	if (d == NULL)
		return ERR_NOMEM;
	const char *show = req_query(r, "show");
	d->overdue_only = show && strcmp(show, "overdue") == 0;
	d->page = page_number(r, 100000);
	return referral_my_children(r->db, &r->act, r->act.user_id,
				    d->overdue_only, d->page, r->a, &d->v,
				    &d->n, &d->more);
}

static void render_my_children(struct req *r, void *data)
{
	static const char *const keys[] = {"show", NULL};
	const struct my_children *d = data;
	page_h2(r, "My children");
	html_raw(page_out(r), "<p class=\"govuk-body\">");
	if (d->overdue_only) {
		html_text(page_out(r), "Showing the children with something "
			  "overdue. ");
		page_link(r, "/", "Show all my children");
	} else {
		html_text(page_out(r), "The most urgent first. ");
		page_link(r, "/?show=overdue", "Show only those with something "
			  "overdue");
	}
	html_raw(page_out(r), "</p>");
	if (d->n == 0)
		page_para(r, d->overdue_only ? "None of your children has "
			  "anything overdue." : "You have no children with an "
			  "open case or timescale.");
	else
		fields_table(r, "Children allocated to you",
			     &referral_child_view, my_children_cols, d->v,
			     sizeof(*d->v), d->n);
	page_pages(r, "/", keys, d->page, d->more);
}

const struct work_section frontdoor_work_sections[] = {
	{"front-door", 10, wants_queue, load_queue, render_queue},
	{"my-children", 30, work_caseload, load_my_children,
	 render_my_children},
	{NULL, 0, NULL, NULL, NULL},
};

/* ---- the front-door queue -------------------------------------------- */

/* The child, linked to the contact, with the child's age. */
static void queue_child(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	page_link(r, page_record_href(r, "contact", k->contact_id),
		  k->child_name);
	const char *age = page_age(r, k->child_dob);
	if (age[0]) {
		html_raw(page_out(r), "<br><span class=\"govuk-body-s\">");
		html_text(page_out(r), age);
		html_raw(page_out(r), "</span>");
	}
}

/* The start of the worry, marked when there is more. */
static void queue_worry(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	const char *w = k->worry_excerpt ? k->worry_excerpt : "";
	html_text(page_out(r), w);
	if (str_utf8_chars(w, strlen(w)) >= CONTACT_EXCERPT)
		html_text(page_out(r), "…");
}

/* Days a referral has waited for a worker. */
static void waiting_days(struct req *r, const void *rec)
{
	const struct referral *f = rec;
	struct cal_date d;
	if (!cal_date_parse(f->referral_date, strlen(f->referral_date), &d))
		return;
	int64_t n = cal_days(r->act.civil.date) - cal_days(d);
	html_text(page_out(r), n == 0 ? "Since today" : n == 1 ? "1 day"
		  : arena_printf(r->a, "%s days", page_count_text(r, n)));
}

static const struct column queue_cols[] = {
	{.head = "Child", .show = queue_child},
	{.head = "What the referrer is worried about", .show = queue_worry},
	{.head = "Received", .field = "received_at"},
	{.head = "Source", .field = "source"},
	{.head = "Decision due", .field = "due_at"},
	{.head = "Time left", .show = contact_left},
	{.head = "Handled by", .field = "handled_by", .empty = "No one yet"},
	{0},
};

static const struct column waiting_cols[] = {
	{.head = "Child", .field = "child_name", .link = "referral",
	 .link_id = "id"},
	{.head = "Referral date", .field = "referral_date"},
	{.head = "Waiting", .show = waiting_days},
	{.head = "Re-referral", .show = rereferral},
	{.head = "Team", .field = "team_name", .empty = "Not allocated"},
	{0},
};

/* The queue's filters: a GET form (no JavaScript). */
static void queue_filters(struct req *r, const struct contact_filter *cf)
{
	size_t ns = codes_count(contact_source_codes);
	struct choice *sc = arena_zalloc(r->a, (ns + 1) * sizeof(*sc));
	for (size_t i = 0; sc && i < ns; i++)
		sc[i] = (struct choice){contact_source_codes[i].code,
					contact_source_codes[i].label, NULL};
	static const struct choice only[] = {
		{"1", "Only those overdue", NULL},
	};
	static const struct choice mine[] = {
		{"1", "Only those I recorded", NULL},
	};
	const char *on = "1";
	form_begin_get(r, "/front-door");
	form_select(r, NULL, "source", "Source", NULL, sc, sc ? (int)ns : 0,
		    cf->source);
	form_checkboxes(r, NULL, "overdue", "Overdue", NULL, only, 1,
			cf->overdue_only ? &on : NULL, cf->overdue_only);
	form_checkboxes(r, NULL, "mine", "Recorded by", NULL, mine, 1,
			cf->recorded_by ? &on : NULL, cf->recorded_by != 0);
	form_button(r, "Filter", true);
	form_end(r);
}

static void front_door(struct req *r)
{
	int64_t cursor = 0, next = 0, rnext = 0;
	const char *cs = req_query(r, "cursor");
	if (cs && cs[0] && !str_to_i64z(cs, 0, INT64_MAX, &cursor)) {
		page_error(r, 400, "Bad request", "The page number in the web "
			   "address is not valid.");
		return;
	}
	const struct actor *w = &r->act;
	struct contact *v = NULL;
	struct referral *rv = NULL;
	struct referral_filter f = {true, 0, PAGE_ROWS, 0, false};
	const char *src = req_query(r, "source");
	struct contact_filter cf = {
		req_query(r, "overdue") != NULL,
		src && contact_source_label(src) ? src : NULL,
		req_query(r, "mine") ? w->user_id : 0,
	};
	int n = 0, rn = 0;
	bool own = false;
	int rc = tx_begin(r->db, &own);
	if (rc == ERR_OK) {
		rc = contact_queue_filtered(r->db, w, &cf, PAGE_ROWS, cursor,
					    r->a, &v, &n, &next);
		if (rc == ERR_OK)
			rc = referral_list(r->db, w, r->cal, &f, r->a, &rv,
					   &rn, &rnext);
		rc = tx_end(r->db, own, rc);
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "Front door", NULL);
	page_para(r, "Contacts need a decision within one working day of being "
		  "received. The most urgent are first.");
	if (req_can(r, PERM_CONTACT_CREATE))
		page_para_link(r, "/children", "Record a new contact: find the "
			       "child first");
	queue_filters(r, &cf);
	bool filtered = cf.overdue_only || cf.source || cf.recorded_by;
	if (n == 0) {
		page_h2(r, "Contacts waiting for a decision");
		page_para(r, cursor ? "There are no more contacts waiting for a "
				      "decision."
			  : filtered ? "No contact waiting for a decision "
				       "matches the filters."
				     : "There are no contacts waiting for a "
				       "decision.");
	} else {
		fields_table(r, "Contacts waiting for a decision", &contact_view,
			     queue_cols, v, sizeof(*v), n);
	}
	if (next) {
		static const char *const keys[] = {"overdue", "source", "mine",
						   NULL};
		page_para_link(r, page_href(r, "/front-door", keys, "cursor",
					    arena_printf(r->a, "%lld",
							 (long long)next)),
			       "Next contacts");
	}
	if (rn == 0) {
		page_h2(r, "Referrals waiting for allocation");
		page_para(r, "Every referral has a worker.");
	} else {
		fields_table(r, "Referrals waiting for allocation",
			     &referral_view, waiting_cols, rv, sizeof(*rv), rn);
	}
	if (rn && rnext)
		page_para(r, "Only the oldest 100 are shown.");
	page_end(r);
	page_send(r, 200);
}

/* ---- recording a contact --------------------------------------------- */

/* The form, on a page about the child (web/sections.h: its read is
 * audited). */
static void contact_form_page(struct req *r, const struct contact_input *v,
			      const struct field_errors *e, int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	/* the heading names the child (issue 9); back to their record */
	struct glance g = {0};
	int rc = glance_read(r, ch.child_id, &g);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "Record a contact about %s %s",
				   ch.given_name, ch.family_name), e);
	page_back_link(r, page_record_href(r, "child", ch.child_id));
	glance_render(r, &g, 0, 0);
	form_begin(r, arena_printf(r->a, "/children/%lld/contacts",
				   (long long)ch.child_id));
	fields_form(r, &contact_record_type, v, e);
	form_button(r, "Record contact", false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static void contact_new(struct req *r)
{
	char now[17];
	cal_time_format(r->act.civil, now);
	struct contact_input v = {.received_at = now};
	contact_form_page(r, &v, NULL, 200);
}

static void contact_create(struct req *r)
{
	struct contact_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t id = 0;
	int rc = fields_take(r, &contact_record_type, &in, &fe);
	if (rc == ERR_OK)
		rc = contact_record(r->db, &r->act, r->cal, r->ids[0], &in, &id,
				    &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &contact_record_type, &de, &fe);
		contact_form_page(r, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
	} else {
		page_redirect(r, arena_printf(r->a, "/contacts/%lld?saved=1",
					      (long long)id));
	}
}

/* ---- a contact ------------------------------------------------------- */

/* Who is handling an undecided contact, and since when (issue 9);
 * nothing once it is decided ("Decided by" says who did). */
static void contact_handler(struct req *r, const void *rec)
{
	const struct contact *k = rec;
	struct sbuf *o = page_out(r);
	html_raw(o, "<span id=\"handler\">");
	if (k->decided)
		html_text(o, "No one: the contact is decided");
	else if (!k->handled_by_name[0])
		html_text(o, "No one yet");
	else
		html_text(o, arena_printf(r->a, "%s, since %s", k->handled_by_name,
					  page_when(r, k->handled_at)));
	html_raw(o, "</span>");
}

static const struct column contact_rows[] = {
	{.head = "Received", .field = "received_at"},
	{.head = "Source", .field = "source"},
	{.head = "Recorded by", .field = "created_by", .empty = ""},
	{.head = "Handled by", .show = contact_handler},
	{.head = "Decision due", .field = "due_at", .show = contact_due},
	{.head = "Decision", .field = "decision"},
	{.head = "Decided", .field = "decided_at", .show = contact_decided},
	{.head = "Decided by", .field = "decided_by"},
	{.head = "Referral", .field = "referral_id", .link = "referral",
	 .link_id = "referral_id", .text = "View the referral"},
	{0},
};

static void consent_reason(struct req *r, const void *rec)
{
	page_narrative(r, ((const struct contact *)rec)->consent_reason);
}

static const struct column referrer_rows[] = {
	{.head = "Name", .field = "referrer_name"},
	{.head = "Organisation", .field = "referrer_org"},
	{.head = "Phone number", .field = "referrer_phone",
	 .empty = "Not given"},
	{.head = "Email address", .field = "referrer_email",
	 .empty = "Not given"},
	{.head = "Does the family know and agree?", .field = "family_consent",
	 .empty = "Not recorded"},
	{.head = "Why the contact went ahead", .field = "consent_reason",
	 .show = consent_reason},
	{0},
};

/* A tick's form: one button, posted with the CSRF token. */
static void tick_form(struct req *r, const struct contact *k,
		      const char *what, const char *button)
{
	form_begin(r, arena_printf(r->a, "/contacts/%lld/%s",
				   (long long)k->contact_id, what));
	form_button(r, button, true);
	form_end(r);
}

/* The acknowledgement to the referrer (R01: with the decision, within
 * one working day) and the outcome shared with a professional referrer:
 * when and by whom, or what is still to do.  The paragraphs' ids are
 * where the error summary's links land. */
static void contact_ticks(struct req *r, const struct contact *k)
{
	struct sbuf *o = page_out(r);
	bool can = req_can(r, PERM_CONTACT_CREATE);
	page_h2(r, "Acknowledgement and outcome");
	html_raw(o, "<p class=\"govuk-body\" id=\"acknowledgement\">");
	if (k->acknowledged) {
		html_text(o, arena_printf(r->a, "Acknowledgement sent %s by %s.",
					  page_when(r, k->acknowledged_at),
					  k->acknowledged_by_name[0]
						  ? k->acknowledged_by_name
						  : "a former user"));
		if (k->acknowledgement_late) {
			html_raw(o, " ");
			page_tag(r, "Late", "red");
		}
	} else {
		page_tag(r, "Acknowledgement not yet sent",
			 k->acknowledgement_overdue ? "red" : "yellow");
		html_text(o, arena_printf(r->a, k->acknowledgement_overdue
					  ? " It was due by %s, with the decision."
					  : " Due by %s, with the decision.",
					  page_when(r, k->due_at)));
	}
	html_raw(o, "</p>");
	if (!k->acknowledged && can)
		tick_form(r, k, "acknowledgement", "Record acknowledgement sent");
	html_raw(o, "<p class=\"govuk-body\" id=\"outcome_shared\">");
	bool share = false;
	if (k->outcome_shared_at[0]) {
		html_text(o, arena_printf(r->a, "Outcome shared with the referrer "
					  "%s by %s.",
					  page_when(r, k->outcome_shared_at),
					  k->outcome_shared_by_name[0]
						  ? k->outcome_shared_by_name
						  : "a former user"));
	} else if (!k->professional) {
		html_text(o, "The outcome is shared only with a professional "
			  "referrer.");
	} else if (!k->decided) {
		html_text(o, "The outcome can be shared with the referrer once "
			  "the contact is decided.");
	} else {
		page_tag(r, "Outcome not yet shared", "grey");
		html_text(o, " The referrer is a professional: tell them what "
			  "was decided.");
		share = can;
	}
	html_raw(o, "</p>");
	if (share)
		tick_form(r, k, "outcome-shared",
			  "Record outcome shared with the referrer");
}

/* A select's choices from the teams or workers. */
static struct choice *choices(struct req *r, const struct referral_option *v,
			      int n)
{
	struct choice *c = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*c));
	for (int i = 0; c && i < n; i++) {
		c[i].value = arena_printf(r->a, "%lld", (long long)v[i].id);
		c[i].label = !v[i].detail[0] ? v[i].name
			     : v[i].team[0] ? arena_printf(r->a, "%s (%s, %s)",
							   v[i].name, v[i].detail,
							   v[i].team)
					    : arena_printf(r->a, "%s (%s)",
							   v[i].name,
							   v[i].detail);
	}
	return c;
}

static void contact_page(struct req *r, const struct contact *k,
			 const struct glance *g, const struct contact *next,
			 const struct choice *workers, int nworkers,
			 const struct field_errors *e, int status)
{
	struct sbuf *o = page_out(r);
	char ymd[11], day[32];
	snprintf(ymd, sizeof(ymd), "%.10s", k->received_at);
	cal_words(ymd, day);
	page_begin(r, arena_printf(r->a, "Contact about %s, %s", k->child_name,
				   day), e);
	page_child_crumbs(r, k->child_id, k->child_name);
	const char *saved = req_query(r, "saved");
	if (saved && (!e || !e->n))
		page_banner(r, strcmp(saved, "4") == 0
				       ? "You are handling this contact"
			       : strcmp(saved, "2") == 0
				       ? "Acknowledgement recorded as sent"
			       : strcmp(saved, "3") == 0
				       ? "Outcome recorded as shared"
			       : k->decided ? "Decision recorded"
					    : "Contact recorded");
	if (next) /* after a decision: on to the most urgent */
		page_para_link(r, page_record_href(r, "contact",
						   next->contact_id),
			       arena_printf(r->a, "Next contact: %s, %s",
					    next->child_name,
					    page_when(r, next->received_at)));
	fields_summary(r, &contact_view, contact_rows, k);
	/* take it on: offered to those who may decide it, unless theirs */
	if (!k->decided && req_can(r, PERM_CONTACT_DECIDE) &&
	    k->handled_by_id != r->user.user_id) {
		form_begin(r, arena_printf(r->a, "/contacts/%lld/handler",
					   (long long)k->contact_id));
		form_button(r, k->handled_by_name[0]
				       ? "Take this contact on yourself"
				       : "Handle this contact", true);
		form_end(r);
	}
	contact_ticks(r, k);
	page_h2(r, "The referrer");
	fields_summary(r, &contact_view, referrer_rows, k);
	page_h2(r, "What the referrer is worried about");
	page_narrative(r, k->worry);
	if (k->decided) {
		page_h2(r, "Threshold reasoning");
		page_narrative(r, k->decision_reason);
		if (fe_for(e, "decision")) {
			/* the error summary's link lands here */
			html_raw(o, "<p class=\"govuk-body\" id=\"decision\">");
			html_text(o, "This contact already has a decision. A "
				  "contact can be decided once.");
			html_raw(o, "</p>");
		}
	} else if (req_can(r, PERM_CONTACT_DECIDE)) {
		glance_render(r, g, k->contact_id, 0);
		form_begin(r, arena_printf(r->a, "/contacts/%lld/decision",
					   (long long)k->contact_id));
		/* the reason for a second referral is asked only when one
		 * is open (or was asked for: the form came back) */
		fields_form(r, glance_open_referrals(g, 0) ||
				       (e && fe_for(e, "parallel"))
				       ? &contact_decision_type
				       : &contact_decision_form, NULL, e);
		if (workers)
			form_select(r, e, "worker_id",
				    "If you refer the child: allocate the "
				    "referral now (optional)",
				    "A social worker or team manager, in their "
				    "own team. Leave this to allocate later.",
				    workers, nworkers, req_form(r, "worker_id"));
		form_button(r, "Record decision", false);
		form_end(r);
	}
	page_end(r);
	page_send(r, status);
}

static void contact_view_page(struct req *r, const struct field_errors *e,
			      int status)
{
	struct contact k, *next = NULL;
	struct glance g = {0};
	int n = 0;
	int64_t more;
	struct referral_option *wv = NULL;
	int nw = 0;
	int rc = contact_read(r->db, &r->act, r->ids[0], r->a, &k);
	if (rc == ERR_OK && !k.decided)
		rc = glance_load(r, k.child_id, &g);
	/* issue 9: a referral can be allocated as it is decided (one step
	 * fewer at the front door) by those who may allocate */
	if (rc == ERR_OK && !k.decided && req_can(r, PERM_CONTACT_DECIDE) &&
	    req_can(r, PERM_REFERRAL_ALLOCATE))
		rc = referral_workers(r->db, r->user.council, r->a, &wv, &nw);
	const char *saved = req_query(r, "saved");
	if (rc == ERR_OK && k.decided && saved && strcmp(saved, "1") == 0 &&
	    req_can(r, PERM_FRONT_DOOR_QUEUE))
		rc = contact_queue(r->db, &r->act, 1, 0, r->a, &next, &n, &more);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, NULL);
	else
		contact_page(r, &k, &g, n ? next : NULL,
			     wv ? choices(r, wv, nw) : NULL, nw, e, status);
}

static void contact_show(struct req *r)
{
	contact_view_page(r, NULL, 200);
}

static void contact_decision(struct req *r)
{
	struct contact_decision_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t rid = 0;
	int rc = fields_take(r, &contact_decision_type, &in, &fe);
	int64_t worker = 0;
	const char *w = req_form(r, "worker_id");
	if (w && w[0] && (!req_can(r, PERM_REFERRAL_ALLOCATE) ||
			  !str_to_i64z(w, 1, INT64_MAX, &worker))) {
		fe_addf(&fe, "worker_id", "Select a worker from the list");
		rc = ERR_INVALID;
	}
	bool own = false;
	if (rc == ERR_OK)
		rc = tx_begin(r->db, &own);
	if (rc == ERR_OK)
		rc = contact_decide(r->db, &r->act, r->cal, r->ids[0], &in,
				    &rid, &de);
	if (rc == ERR_OK && worker && !rid) {
		fe_addf(&de, "worker_id", "Allocate a worker only when the "
			"decision is a referral or a strategy discussion");
		rc = ERR_INVALID;
	}
	if (rc == ERR_OK && worker) {
		/* the worker's own team (referral_allocate); a worker with
		 * none is allocated from the referral's page */
		struct field_errors ae = {0};
		rc = referral_allocate(r->db, &r->act, rid, 0, worker, &ae);
		for (int i = 0; rc == ERR_INVALID && i < ae.n; i++)
			fe_set(&de, "worker_id",
			       strcmp(ae.v[i].field, "team_id") == 0
				       ? "The worker has no team recorded; leave "
					 "this empty and allocate from the "
					 "referral's page, where a team can be "
					 "chosen"
				       : ae.v[i].msg);
	}
	if (own)
		rc = tx_end(r->db, own, rc);
	if (rc == ERR_OK) {
		page_redirect(r, arena_printf(r->a, rid ? "/referrals/%lld?saved=1"
						       : "/contacts/%lld?saved=1",
					      (long long)(rid ? rid : r->ids[0])));
	} else if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		fields_errors(r, &contact_decision_type, &de, &fe);
		contact_view_page(r, &fe, rc == ERR_CONFLICT ? 409 : 422);
	} else {
		answer_error(r, rc, NULL, NULL);
	}
}

/* A tick on the contact (the acknowledgement sent, or the outcome
 * shared): recorded once, then back to the contact; a second one, or
 * one not yet possible, re-shows the contact with the reason (409). */
static void contact_tick(struct req *r, bool ack)
{
	struct field_errors e = {0};
	int rc = ack ? contact_acknowledge(r->db, &r->act, r->ids[0], &e)
		     : contact_share_outcome(r->db, &r->act, r->ids[0], &e);
	if (rc == ERR_OK)
		page_redirect(r, arena_printf(r->a, "/contacts/%lld?saved=%d",
					      (long long)r->ids[0], ack ? 2 : 3));
	else if (rc == ERR_CONFLICT)
		contact_view_page(r, &e, 409);
	else
		answer_error(r, rc, NULL, NULL);
}

/* The actor takes the contact on (issue 9: "who is handling it"). */
static void contact_handler_take(struct req *r)
{
	struct field_errors e = {0};
	int rc = contact_handle(r->db, &r->act, r->ids[0], &e);
	if (rc == ERR_OK)
		page_redirect(r, arena_printf(r->a, "/contacts/%lld?saved=4",
					      (long long)r->ids[0]));
	else if (rc == ERR_CONFLICT)
		contact_view_page(r, &e, 409);
	else
		answer_error(r, rc, NULL, NULL);
}

static void contact_acknowledgement(struct req *r)
{
	contact_tick(r, true);
}

static void contact_outcome_shared(struct req *r)
{
	contact_tick(r, false);
}

/* ---- a referral ------------------------------------------------------ */

static const struct column referral_rows[] = {
	{.head = "Referral date", .field = "referral_date"},
	{.head = "Source", .field = "source"},
	{.head = "Re-referral", .field = "rereferral", .show = rereferral_long},
	{.head = "Contact", .field = "contact_id", .link = "contact",
	 .link_id = "contact_id", .text = "View the contact"},
	{.head = "Team", .field = "team_name", .empty = "Not allocated"},
	{.head = "Worker", .field = "worker_name", .empty = "", .show = worker},
	{.head = "Allocated", .field = "allocated_at"},
	ASSESSMENT_DUE("Assessment due (45 working days from the referral)"),
	{0},
};

/* The allocation form: the choices given when the page is drawn. */
static void allocation_form(struct req *r, const struct referral *f,
			    const struct field_errors *e,
			    const struct referral_option *teams, int nt,
			    const struct referral_option *workers, int nw)
{
	/* the worker first: their own team is taken unless one is chosen */
	struct choice *tc = choices(r, teams, nt), *wc = choices(r, workers, nw);
	struct choice *tco = arena_zalloc(r->a, (size_t)(nt + 1) * sizeof(*tco));
	if (tco && tc) {
		tco[0] = (struct choice){.value = "",
					 .label = "The worker's own team"};
		memcpy(tco + 1, tc, (size_t)nt * sizeof(*tc));
	}
	const char *team = req_form(r, "team_id"), *who = req_form(r, "worker_id");
	if (team == NULL && f->team_id)
		team = arena_printf(r->a, "%lld", (long long)f->team_id);
	if (who == NULL && f->worker_id)
		who = arena_printf(r->a, "%lld", (long long)f->worker_id);
	page_h2(r, f->worker_id ? "Re-allocate" : "Allocate");
	form_begin(r, arena_printf(r->a, "/referrals/%lld/allocation",
				   (long long)f->referral_id));
	form_select(r, e, "worker_id", "Worker",
		    "A social worker or team manager", wc, wc ? nw : 0, who);
	form_select(r, e, "team_id", "Team", NULL, tco,
		    tco && tc ? nt + 1 : 0, team);
	form_button(r, f->worker_id ? "Re-allocate" : "Allocate", false);
	form_end(r);
}

static void referral_page(struct req *r, const struct field_errors *e,
			  int status)
{
	struct referral f;
	struct referral_option *teams = NULL, *workers = NULL;
	int nt = 0, nw = 0;
	bool alloc = req_can(r, PERM_REFERRAL_ALLOCATE);
	struct glance g = {0};
	int rc = referral_read(r->db, &r->act, r->cal, r->ids[0], r->a, &f);
	if (rc == ERR_OK)
		rc = glance_load(r, f.child_id, &g);
	if (rc == ERR_OK && alloc)
		rc = referral_teams(r->db, r->user.council, r->a, &teams, &nt);
	if (rc == ERR_OK && alloc)
		rc = referral_workers(r->db, r->user.council, r->a, &workers,
				      &nw);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, arena_printf(r->a, "Referral of %s, %s", f.child_name,
				   page_when(r, f.referral_date)), e);
	page_child_crumbs(r, f.child_id, f.child_name);
	if (req_query(r, "saved") && (!e || !e->n))
		page_banner(r, f.worker_id ? "Referral allocated"
					   : "Referral opened");
	fields_summary(r, &referral_view, referral_rows, &f);
	glance_render(r, &g, 0, f.referral_id);
	if (alloc)
		allocation_form(r, &f, e, teams, nt, workers, nw);
	page_end(r);
	page_send(r, status);
}

static void referral_show(struct req *r)
{
	referral_page(r, NULL, 200);
}

static void referral_allocation(struct req *r)
{
	struct referral_allocation in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &referral_allocation_type, &in, &fe);
	if (rc == ERR_OK)
		rc = referral_allocate(r->db, &r->act, r->ids[0], in.team_id,
				       in.worker_id, &de);
	if (rc == ERR_OK) {
		page_redirect(r, arena_printf(r->a, "/referrals/%lld?saved=1",
					      (long long)r->ids[0]));
	} else if (rc == ERR_INVALID) {
		fields_errors(r, &referral_allocation_type, &de, &fe);
		referral_page(r, &fe, 422);
	} else {
		answer_error(r, rc, NULL, NULL);
	}
}

/* ---- the child's page section ---------------------------------------- */

/* The child's contacts and referrals, read in the child page's audited
 * transaction (web/sections.h): its "read" row covers them. */
static int load_child_frontdoor(struct req *r, const struct child_ctx *x,
				const struct child *ch, void **data)
{
	(void)x;
	struct glance *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	return d ? glance_read(r, ch->child_id, d) : ERR_NOMEM;
}

static const struct column child_contact_cols[] = {
	{.head = "Received", .field = "received_at", .link = "contact",
	 .link_id = "id"},
	{.head = "Source", .field = "source"},
	{.head = "Decision", .field = "decision",
	 .empty = "Waiting for a decision"},
	{.head = "Due or decided", .show = contact_due_or_decided},
	{0},
};

static const struct column child_referral_cols[] = {
	{.head = "Referral date", .field = "referral_date", .link = "referral",
	 .link_id = "id"},
	{.head = "Re-referral", .show = rereferral},
	{.head = "Allocated to", .show = worker},
	ASSESSMENT_DUE("Assessment due"),
	{0},
};

static void render_child_frontdoor(struct req *r, const struct child_ctx *x,
				   const struct child *ch, void *data)
{
	(void)x;
	const struct glance *d = data;
	struct sbuf *o = page_out(r);
	if (req_can(r, PERM_CONTACT_CREATE)) {
		html_raw(o, "<p class=\"govuk-body\"><a class=\"govuk-button "
			 "govuk-button--secondary\" data-module=\"govuk-button\"");
		html_attr(o, "href", arena_printf(r->a, "/children/%lld/contacts"
						  "/new", (long long)ch->child_id));
		html_raw(o, ">Record a contact</a></p>");
	}
	if (d->kn == 0)
		page_para(r, "No contacts have been recorded.");
	else
		fields_table(r, "Contacts", &contact_view, child_contact_cols,
			     d->kv, sizeof(*d->kv), d->kn);
	if (d->rn == 0)
		page_para(r, "No referrals have been made.");
	else
		fields_table(r, "Referrals", &referral_view, child_referral_cols,
			     d->rv, sizeof(*d->rv), d->rn);
}

/* The front door's section of the child's page. */
const struct child_section frontdoor_child_sections[] = {
	{"contacts", "Contacts and referrals", PERM_CONTACT_READ, 50,
	 load_child_frontdoor, NULL, render_child_frontdoor},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_front_door[] = {
	{"cursor", PARAM_INT, 20, false},
	{"overdue", PARAM_LINE, 4, false},
	{"source", PARAM_LINE, 8, false},
	{"mine", PARAM_LINE, 4, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

/* The forms' parameters, from their fields (web/fields.h): filled once,
 * before main runs. */
static struct param_spec p_contact[16], p_decision[5], p_allocation[4];

/* the decision form's own: the worker a referral goes to at once */
static const struct param_spec p_allocate_now[] = {
	{"worker_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

__attribute__((constructor)) static void form_params(void)
{
	fields_params(&contact_record_type, NULL, p_contact, 16);
	fields_params(&contact_decision_type, p_allocate_now, p_decision, 5);
	fields_params(&referral_allocation_type, NULL, p_allocation, 4);
}


const struct route frontdoor_page_routes[] = {
	{HTTP_GET, "/front-door", PERM_FRONT_DOOR_QUEUE, 0, p_front_door,
	 front_door, "The front-door queue", NULL},
	{HTTP_GET, "/children/{id}/contacts/new", PERM_CONTACT_CREATE, 0, NULL,
	 contact_new, "Form: record a contact", NULL},
	{HTTP_POST, "/children/{id}/contacts", PERM_CONTACT_CREATE, ROUTE_FORM,
	 p_contact, contact_create, "Record a contact", NULL},
	{HTTP_GET, "/contacts/{id}", PERM_CONTACT_READ, 0, p_saved,
	 contact_show, "A contact", NULL},
	{HTTP_POST, "/contacts/{id}/decision", PERM_CONTACT_DECIDE, ROUTE_FORM,
	 p_decision, contact_decision, "Decide a contact", NULL},
	{HTTP_POST, "/contacts/{id}/handler", PERM_CONTACT_DECIDE, ROUTE_FORM,
	 NULL, contact_handler_take, "Take on a contact", NULL},
	{HTTP_POST, "/contacts/{id}/acknowledgement", PERM_CONTACT_CREATE,
	 ROUTE_FORM, NULL, contact_acknowledgement,
	 "Record the acknowledgement sent to the referrer", NULL},
	{HTTP_POST, "/contacts/{id}/outcome-shared", PERM_CONTACT_CREATE,
	 ROUTE_FORM, NULL, contact_outcome_shared,
	 "Record the outcome shared with the referrer", NULL},
	{HTTP_GET, "/referrals/{id}", PERM_REFERRAL_READ, 0, p_saved,
	 referral_show, "A referral", NULL},
	{HTTP_POST, "/referrals/{id}/allocation", PERM_REFERRAL_ALLOCATE,
	 ROUTE_FORM, p_allocation, referral_allocation, "Allocate a referral",
	 NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
