/*
 * scrutiny_pages.c: the register of reviews, a review's recommendations
 * and actions, an action's status history and progress updates, the
 * import of an action plan (proposal first, saved only when confirmed),
 * comments, and the progress report as a page and as CSV.
 *
 * No child's data appears anywhere here (scrutiny/scrutiny.h), so reads
 * are not audited; every write is, by the scrutiny module, in the same
 * transaction as the write.
 */
#include "audit/audit.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/html.h"
#include "referral/referral.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"
#include "scrutiny/report.h"
#include "scrutiny/scrutiny.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/routes.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The largest document a page import accepts (the body limit of the
 * server applies first). */
#define DOC_MAX (1024 * 1024)
/* Working memory for parsing one document. */
#define IMPORT_ARENA (64u * 1024 * 1024)

/* ---- helpers --------------------------------------------------------- */

static const char *today_s(struct req *r)
{
	char *s = arena_alloc(r->a, 11);
	if (s == NULL)
		return "";
	cal_date_format(r->act.today, s);
	return s;
}

static const char *path(struct req *r, const char *fmt, int64_t id)
{
	const char *s = arena_printf(r->a, fmt, (long long)id);
	return s ? s : "/scrutiny";
}

/* Domain field names to the page's input ids (dates are three inputs). */
static const char *page_field(struct req *r, const char *f)
{
	static const char *const dates[] = {
		"started_on", "reported_on", "next_report_due", "on_date",
		"due_on", "presented_on",
	};
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (strcmp(f, dates[i]) == 0) {
			const char *s = arena_printf(r->a, "%s-day", f);
			return s ? s : f;
		}
	return f;
}

static void domain_errors(struct req *r, const struct field_errors *e,
			  struct field_errors *fe)
{
	for (int i = 0; i < e->n; i++) {
		const char *m = arena_strdup(r->a, e->v[i].msg);
		fe_set(fe, page_field(r, e->v[i].field),
			   m ? m : "There is a problem with this answer");
	}
}

static void status_tag(struct req *r, const char *status, bool overdue)
{
	const char *colour = scrutiny_status_colour(status);
	const char *l = scrutiny_label(scrutiny_statuses, status);
	page_tag(r, l ? l : status, colour);
	if (overdue) {
		html_raw(page_out(r), " ");
		page_tag(r, "Overdue", "red");
	}
}

static int code_choices(struct req *r, const struct scrutiny_code *list,
			const char *first_label, struct choice **out)
{
	int n = 0;
	while (list[n].id)
		n++;
	struct choice *c = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*c));
	if (c == NULL) {
		*out = NULL;
		return 0;
	}
	int k = 0;
	if (first_label)
		c[k++] = (struct choice){"", first_label, NULL};
	for (int i = 0; i < n; i++)
		c[k++] = (struct choice){list[i].id, list[i].label, NULL};
	*out = c;
	return k;
}

/* The filter as given in the query. */
static struct scrutiny_filter query_filter(struct req *r)
{
	struct scrutiny_filter f = {0};
	f.body_kind = req_query(r, "body");
	f.owner = req_query(r, "owner");
	f.status = req_query(r, "status");
	const char *o = req_query(r, "overdue");
	f.overdue_only = o && (strcmp(o, "1") == 0 || strcmp(o, "yes") == 0);
	if (f.body_kind && !scrutiny_label(scrutiny_bodies, f.body_kind))
		f.body_kind = NULL;
	if (f.status && !scrutiny_label(scrutiny_statuses, f.status))
		f.status = NULL;
	return f;
}

static void filter_form(struct req *r, const char *action,
			const struct scrutiny_filter *f, bool with_body)
{
	struct sbuf *o = page_out(r);
	form_begin_get(r, action);
	html_raw(o, "<div class=\"govuk-grid-row\">");
	struct choice *c;
	int n;
	if (with_body) {
		html_raw(o, "<div class=\"govuk-grid-column-one-quarter\">");
		n = code_choices(r, scrutiny_bodies, "Any body", &c);
		form_select(r, NULL, "body", "Body", NULL, c, n, f->body_kind);
		html_raw(o, "</div>");
	}
	html_raw(o, "<div class=\"govuk-grid-column-one-quarter\">");
	form_input(r, NULL, "owner", "Owner", NULL, f->owner,
		   "govuk-!-width-full", "off", "text");
	html_raw(o, "</div><div class=\"govuk-grid-column-one-quarter\">");
	n = code_choices(r, scrutiny_statuses, "Any status", &c);
	form_select(r, NULL, "status", "Status", NULL, c, n, f->status);
	html_raw(o, "</div><div class=\"govuk-grid-column-one-quarter\">"
		    "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes "
		    "govuk-checkboxes--small\"><div class=\"govuk-checkboxes__item\">"
		    "<input class=\"govuk-checkboxes__input\" id=\"overdue\" "
		    "name=\"overdue\" type=\"checkbox\" value=\"1\"");
	if (f->overdue_only)
		html_raw(o, " checked");
	html_raw(o, "><label class=\"govuk-label govuk-checkboxes__label\" "
		    "for=\"overdue\">Overdue only</label></div></div></div>"
		    "</div></div>");
	form_button(r, "Filter", true);
	form_end(r);
}

/* One table row per action: used by the register's filtered list and
 * by a review's page. */
static void action_row(struct req *r, const struct scrutiny_review *rv,
		       const struct scrutiny_rec *rec,
		       const struct scrutiny_action *x, bool with_review)
{
	page_row_begin(r);
	if (with_review) {
		page_cell_begin(r);
		page_link(r, path(r, "/scrutiny/reviews/%lld", rv->review_id),
			  rv->topic);
		page_cell_end(r);
	}
	page_cell(r, rec->ref);
	page_cell_begin(r);
	page_link(r, path(r, "/scrutiny/actions/%lld", x->action_id),
		  x->text[0] ? x->text : "(no text)");
	page_cell_end(r);
	page_cell(r, x->owner);
	page_cell_begin(r);
	html_text(page_out(r), x->due_on[0] ? page_when(r, x->due_on)
					    : x->timescale_text);
	page_cell_end(r);
	page_cell_begin(r);
	status_tag(r, x->status, x->overdue);
	page_cell_end(r);
	page_row_end(r);
}

/* ---- the register ---------------------------------------------------- */

static void register_page(struct req *r)
{
	struct scrutiny_review *v;
	int n;
	struct cal_date t = r->act.today;
	int rc = scrutiny_reviews(r->db, r->user.council, r->a, t, &v, &n);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct scrutiny_filter f = query_filter(r);
	page_begin(r, "Scrutiny and improvement plans", NULL);
	page_para(r, "Recommendations made to children's services, the "
		  "council's response, the actions taken and their progress.");
	if (req_can(r, PERM_SCRUTINY_EDIT)) {
		html_raw(page_out(r), "<p class=\"govuk-body\">");
		page_link(r, "/scrutiny/reviews/new", "Add a review");
		html_raw(page_out(r), "</p>");
	}
	if (n == 0) {
		page_para(r, "No reviews have been recorded yet.");
		page_end(r);
		page_send(r, 200);
		return;
	}
	static const char *const heads[] = {
		"Review", "Body", "Recommendations", "Actions", "Completed",
		"Overdue", "Next report due",
	};
	page_table_begin(r, "Register of reviews", heads, 7);
	int done = scrutiny_status_index("completed");
	for (int i = 0; i < n; i++) {
		if (f.body_kind && strcmp(f.body_kind, v[i].body_kind) != 0)
			continue;
		page_row_begin(r);
		page_cell_begin(r);
		page_link(r, path(r, "/scrutiny/reviews/%lld", v[i].review_id),
			  v[i].topic);
		page_cell_end(r);
		page_cell(r, v[i].body_name);
		page_cell_begin(r);
		page_count(r, v[i].nrecs);
		page_cell_end(r);
		page_cell_begin(r);
		page_count(r, v[i].nactions);
		page_cell_end(r);
		page_cell_begin(r);
		page_count(r, v[i].by_status[done]);
		page_cell_end(r);
		page_cell_begin(r);
		page_count(r, v[i].noverdue);
		page_cell_end(r);
		page_cell_begin(r);
		if (v[i].next_report_due[0]) {
			html_text(page_out(r),
				  page_when(r, v[i].next_report_due));
			if (v[i].report_overdue) {
				html_raw(page_out(r), " ");
				page_tag(r, "Overdue", "red");
			}
		} else {
			html_text(page_out(r), "None scheduled");
		}
		page_cell_end(r);
		page_row_end(r);
	}
	page_table_end(r);

	page_h2(r, "Find actions");
	filter_form(r, "/scrutiny", &f, true);
	if (!scrutiny_filter_empty(&f)) {
		static const char *const ah[] = {
			"Review", "Ref", "Action", "Owner", "Due", "Status",
		};
		int shown = 0;
		page_table_begin(r, "Matching actions", ah, 6);
		for (int i = 0; i < n; i++) {
			struct scrutiny_plan p;
			if (f.body_kind &&
			    strcmp(f.body_kind, v[i].body_kind) != 0)
				continue;
			rc = scrutiny_plan_load(r->db, r->user.council, r->a,
						v[i].review_id, t, &p);
			if (rc != ERR_OK) {
				answer_error(r, rc, NULL, NULL);
				return;
			}
			for (int j = 0; j < p.nrecs; j++)
				for (int k = 0; k < p.recs[j].nactions; k++) {
					const struct scrutiny_action *x =
						&p.recs[j].actions[k];
					if (!scrutiny_filter_match(&f, &v[i], x))
						continue;
					action_row(r, &v[i], &p.recs[j], x, true);
					shown++;
				}
		}
		page_table_end(r);
		if (shown == 0)
			page_para(r, "No actions match.");
	}
	page_end(r);
	page_send(r, 200);
}

/* ---- a new review ---------------------------------------------------- */

static void review_form(struct req *r, const struct field_errors *fe,
			int status)
{
	bool back = fe != NULL;
	page_begin(r, "Add a review", fe);
	page_back_link(r, "/scrutiny");
	form_begin(r, "/scrutiny/reviews");
	struct choice *c;
	int n = code_choices(r, scrutiny_bodies, NULL, &c);
	form_radios(r, fe, "body_kind", "Kind of body", NULL, c, n,
		    req_form(r, "body_kind"));
	form_input(r, fe, "body_name", "Name of the body",
		   "For example, Children and Learning Scrutiny Panel",
		   req_form(r, "body_name"), NULL, "off", "text");
	form_input(r, fe, "topic", "Topic of the review",
		   "For example, Safeguarding and children in care",
		   req_form(r, "topic"), NULL, "off", "text");
	form_input(r, fe, "report_title", "Title of its report (optional)",
		   NULL, req_form(r, "report_title"), NULL, "off", "text");
	form_date_of(r, fe, "started_on", "When the review started (optional)",
		     "For example, 27 3 2016", back, NULL);
	form_date_of(r, fe, "reported_on", "Date of its report (optional)",
		     "For example, 7 6 2016", back, NULL);
	form_input(r, fe, "schedule_months",
		   "Progress reported every (months)",
		   "Usually 6. Enter 0 for no schedule.",
		   back ? req_form(r, "schedule_months") : "6",
		   "govuk-input--width-2", "off", "text");
	form_date_of(r, fe, "next_report_due",
		     "When the next progress report is due (optional)",
		     "Leave empty to count from the report's date",
		     back, NULL);
	form_button(r, "Save review", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void review_new(struct req *r)
{
	review_form(r, NULL, 200);
}

static void review_create(struct req *r)
{
	struct field_errors fe = {0};
	const char *started = NULL, *reported = NULL, *next = NULL;
	page_date_field(r, false, "started_on", "Start date", &fe, &started);
	page_date_field(r, false, "reported_on", "Report date", &fe,
			&reported);
	page_date_field(r, false, "next_report_due", "Next report due", &fe,
			&next);
	struct scrutiny_review_in in = {
		req_form(r, "body_kind"), req_form(r, "body_name"),
		req_form(r, "topic"),     started,
		reported,                 req_form(r, "report_title"),
		req_form(r, "schedule_months"), next,
	};
	struct field_errors de = {0};
	const struct actor *w = &r->act;
	int64_t id = 0;
	int rc = fe.n ? ERR_INVALID
		      : scrutiny_review_create(r->db, w, &in, &de, &id);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/reviews/%lld", id));
		return;
	}
	if (rc != ERR_INVALID) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	domain_errors(r, &de, &fe);
	review_form(r, &fe, 422);
}

/* ---- a review -------------------------------------------------------- */

static void comments_section(struct req *r, const struct scrutiny_plan *p,
			     const struct field_errors *fe)
{
	struct sbuf *o = page_out(r);
	page_h2(r, "Comments");
	if (p->ncomments == 0)
		page_para(r, "No comments yet.");
	for (int i = 0; i < p->ncomments; i++) {
		const struct scrutiny_comment *c = &p->comments[i];
		html_raw(o, "<div class=\"govuk-inset-text\"><p class="
			    "\"govuk-body-s govuk-!-margin-bottom-1\">");
		html_text(o, c->author);
		html_raw(o, " (");
		html_text(o, c->role);
		html_raw(o, "), ");
		html_text(o, page_time(r, c->created_at));
		if (c->rec_id > 0) {
			for (int j = 0; j < p->nrecs; j++)
				if (p->recs[j].rec_id == c->rec_id) {
					html_raw(o, ", on recommendation ");
					html_text(o, p->recs[j].ref);
				}
		}
		html_raw(o, "</p>");
		page_narrative(r, c->text);
		html_raw(o, "</div>");
	}
	if (!req_can(r, PERM_SCRUTINY_COMMENT))
		return;
	form_begin(r, path(r, "/scrutiny/reviews/%lld/comments",
			   p->review.review_id));
	int n = p->nrecs + 1;
	struct choice *c = arena_zalloc(r->a, (size_t)n * sizeof(*c));
	if (c) {
		c[0] = (struct choice){"0", "The whole review", NULL};
		for (int i = 0; i < p->nrecs; i++)
			c[i + 1] = (struct choice){
				arena_printf(r->a, "%lld",
					     (long long)p->recs[i].rec_id),
				arena_printf(r->a, "Recommendation %s",
					     p->recs[i].ref),
				NULL};
		form_select(r, fe, "rec_id", "About", NULL, c, n,
			    fe ? req_form(r, "rec_id") : "0");
	}
	form_textarea(r, fe, "text", "Add a comment", NULL,
		      fe ? req_form(r, "text") : "", 4);
	form_button(r, "Add comment", true);
	form_end(r);
}

static void review_page(struct req *r, const struct field_errors *fe,
			int status)
{
	struct scrutiny_plan p;
	struct cal_date t = r->act.today;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0],
				    t, &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	const struct scrutiny_review *rv = &p.review;
	struct sbuf *o = page_out(r);
	struct scrutiny_filter f = query_filter(r);
	page_begin(r, rv->topic, fe);
	page_crumbs(r, &(struct crumb){"/scrutiny", "Scrutiny"}, 1);
	if (req_query(r, "saved"))
		page_banner(r, "Saved");
	summary_begin(r);
	const char *bl = scrutiny_label(scrutiny_bodies, rv->body_kind);
	summary_row(r, "Body", arena_printf(r->a, "%s (%s)", rv->body_name,
					    bl ? bl : rv->body_kind));
	if (rv->report_title[0])
		summary_row(r, "Report", rv->report_title);
	if (rv->reported_on[0])
		summary_row(r, "Reported", page_when(r, rv->reported_on));
	summary_row(r, "Progress reported",
		    rv->schedule_months
			    ? arena_printf(r->a, "Every %d months",
					   rv->schedule_months)
			    : "No schedule");
	if (rv->last_presented[0])
		summary_row(r, "Last progress report",
			    page_when(r, rv->last_presented));
	page_srow_begin(r, "Next progress report due");
	if (rv->next_report_due[0]) {
		html_text(o, page_when(r, rv->next_report_due));
		if (rv->report_overdue) {
			html_raw(o, " ");
			page_tag(r, "Overdue", "red");
		}
	} else {
		html_text(o, "None scheduled");
	}
	page_srow_end(r);
	summary_row(r, "Actions",
		    arena_printf(r->a, "%s, of which %s overdue",
				 page_count_text(r, rv->nactions),
				 page_count_text(r, rv->noverdue)));
	summary_end(r);

	html_raw(o, "<ul class=\"govuk-list\"><li>");
	page_link(r, path(r, "/scrutiny/reviews/%lld/report", rv->review_id),
		  "Progress report");
	html_raw(o, "</li><li>");
	page_link(r, path(r, "/scrutiny/reviews/%lld/report.csv",
			  rv->review_id),
		  "Progress report as CSV (spreadsheet)");
	html_raw(o, "</li>");
	if (req_can(r, PERM_SCRUTINY_EDIT) && p.nrecs == 0) {
		html_raw(o, "<li>");
		page_link(r, path(r, "/scrutiny/reviews/%lld/import",
				  rv->review_id),
			  "Import the action plan from a document");
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>");

	if (req_can(r, PERM_SCRUTINY_EDIT)) {
		html_raw(o, "<details class=\"govuk-details\"><summary class="
			    "\"govuk-details__summary\"><span class=\"govuk-"
			    "details__summary-text\">Record that a progress "
			    "report was presented</span></summary><div class="
			    "\"govuk-details__text\">");
		form_begin(r, path(r, "/scrutiny/reviews/%lld/reports",
				   rv->review_id));
		form_date_of(r, fe, "presented_on", "Date it was presented",
			     "The next report will be due this many months "
			     "later, as the schedule says",
			     fe != NULL, NULL);
		form_button(r, "Record report", true);
		form_end(r);
		html_raw(o, "</div></details>");
	}

	page_h2(r, "Recommendations");
	if (p.nrecs == 0)
		page_para(r, "No recommendations have been recorded for this "
			  "review.");
	else
		filter_form(r, path(r, "/scrutiny/reviews/%lld", rv->review_id),
			    &f, false);
	for (int i = 0; i < p.nrecs; i++) {
		const struct scrutiny_rec *rec = &p.recs[i];
		int shown = 0;
		for (int j = 0; j < rec->nactions; j++)
			shown += scrutiny_filter_match(&f, rv, &rec->actions[j]);
		if (!scrutiny_filter_empty(&f) && shown == 0)
			continue;
		html_raw(o, "<h3 class=\"govuk-heading-s\">Recommendation ");
		html_text(o, rec->ref);
		html_raw(o, "</h3>");
		page_narrative(r, rec->text);
		if (rec->response_kind[0] || rec->response[0]) {
			html_raw(o, "<div class=\"govuk-inset-text\">");
			const char *k =
				scrutiny_label(scrutiny_responses,
					       rec->response_kind);
			if (k) {
				html_raw(o, "<p class=\"govuk-body\"><strong>");
				html_text(o, k);
				html_raw(o, "</strong></p>");
			}
			page_narrative(r, rec->response);
			html_raw(o, "</div>");
		}
		if (rec->nactions == 0) {
			page_para(r, "No actions recorded.");
			continue;
		}
		static const char *const heads[] = {
			"Ref", "Action", "Owner", "Due", "Status",
		};
		page_table_begin(r, arena_printf(r->a, "Actions for "
						 "recommendation %s", rec->ref),
				 heads, 5);
		for (int j = 0; j < rec->nactions; j++)
			if (scrutiny_filter_match(&f, rv, &rec->actions[j]))
				action_row(r, rv, rec, &rec->actions[j], false);
		page_table_end(r);
	}
	comments_section(r, &p, fe);
	page_end(r);
	page_send(r, status);
}

static void review_view(struct req *r)
{
	review_page(r, NULL, 200);
}

static void comment_create(struct req *r)
{
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	int64_t rec = 0;
	const char *rs = req_form(r, "rec_id");
	if (rs && rs[0] && !str_to_i64z(rs, 0, INT64_MAX, &rec))
		rec = -1;
	int rc = scrutiny_comment_add(r->db, w, r->user.display_name,
				      r->ids[0], rec, req_form(r, "text"),
				      &de, NULL);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/reviews/%lld?saved=1",
				      r->ids[0]));
		return;
	}
	if (rc != ERR_INVALID) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct field_errors fe = {0};
	domain_errors(r, &de, &fe);
	review_page(r, &fe, 422);
}

static void report_presented(struct req *r)
{
	const struct actor *w = &r->act;
	struct field_errors fe = {0};
	const char *on = NULL;
	page_date_field(r, false, "presented_on", "Date it was presented",
			&fe, &on);
	if (fe.n == 0 && on == NULL)
		fe_set(&fe, "presented_on-day",
			   "Enter the date the report was presented");
	struct field_errors de = {0};
	int rc = fe.n ? ERR_INVALID
		      : scrutiny_report_presented(r->db, w, r->ids[0], on,
						  &de);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/reviews/%lld?saved=1",
				      r->ids[0]));
		return;
	}
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	domain_errors(r, &de, &fe);
	review_page(r, &fe, rc == ERR_CONFLICT ? 409 : 422);
}

/* ---- an action ------------------------------------------------------- */

static void action_page(struct req *r, const struct field_errors *fe,
			const char *which, int status)
{
	int64_t review_id, rec_id;
	int rc = scrutiny_action_locate(r->db, r->user.council, r->ids[0],
					&review_id, &rec_id);
	struct scrutiny_plan p;
	if (rc == ERR_OK)
		rc = scrutiny_plan_load(r->db, r->user.council, r->a,
					review_id, r->act.today, &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	const struct scrutiny_rec *rec = NULL;
	const struct scrutiny_action *x = NULL;
	for (int i = 0; i < p.nrecs; i++)
		for (int j = 0; j < p.recs[i].nactions; j++)
			if (p.recs[i].actions[j].action_id == r->ids[0]) {
				rec = &p.recs[i];
				x = &p.recs[i].actions[j];
			}
	if (x == NULL) {
		answer_error(r, ERR_NOTFOUND, NULL, NULL);
		return;
	}
	struct sbuf *o = page_out(r);
	page_begin(r, arena_printf(r->a, "Action on recommendation %s",
				   rec->ref), fe);
	page_crumbs(r, (struct crumb[]){
			       {"/scrutiny", "Scrutiny"},
			       {path(r, "/scrutiny/reviews/%lld", review_id),
				p.review.topic}},
		    2);
	if (req_query(r, "saved"))
		page_banner(r, "Saved");
	page_caption(r, p.review.topic);
	page_h2(r, "Recommendation");
	page_narrative(r, rec->text);
	page_h2(r, "Action");
	summary_begin(r);
	page_srow_begin(r, "Action");
	page_narrative(r, x->text);
	page_srow_end(r);
	summary_row(r, "Owner", x->owner[0] ? x->owner : "Not stated");
	summary_row(r, "Budget", x->budget[0] ? x->budget : "Not stated");
	summary_row(r, "Timescale as written",
		    x->timescale_text[0] ? x->timescale_text : "Not stated");
	page_srow_begin(r, x->timescale_checked ? "Timescale (checked)"
						: "Timescale as read by Cairn");
	if (x->due_on[0])
		html_text(o, arena_printf(r->a, "Due %s",
					  page_when(r, x->due_on)));
	if (x->recurrence[0]) {
		if (x->due_on[0])
			html_text(o, ", ");
		html_text(o, scrutiny_label(scrutiny_recurrences,
					    x->recurrence));
	}
	if (!x->due_on[0] && !x->recurrence[0])
		html_text(o, "No date understood");
	page_srow_end(r);
	page_srow_begin(r, "Status");
	status_tag(r, x->status, x->overdue);
	page_srow_end(r);
	summary_end(r);

	page_h2(r, "Progress");
	if (x->nupdates == 0) {
		page_para(r, "No progress has been recorded.");
	} else {
		static const char *const heads[] = {
			"Date", "Status", "Progress", "Recorded by",
		};
		page_table_begin(r, "Status history, newest first", heads, 4);
		for (int i = x->nupdates - 1; i >= 0; i--) {
			const struct scrutiny_update *u = &x->updates[i];
			page_row_begin(r);
			page_cell(r, page_when(r, u->on_date));
			page_cell_begin(r);
			status_tag(r, u->status, false);
			page_cell_end(r);
			page_cell_begin(r);
			page_narrative(r, u->narrative);
			page_cell_end(r);
			page_cell(r, u->author);
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (!req_can(r, PERM_SCRUTINY_EDIT)) {
		page_end(r);
		page_send(r, status);
		return;
	}
	bool upd = fe && strcmp(which, "update") == 0;
	bool ts = fe && strcmp(which, "timescale") == 0;
	page_h2(r, "Record progress");
	form_begin(r, path(r, "/scrutiny/actions/%lld/updates", x->action_id));
	form_date_of(r, upd ? fe : NULL, "on_date", "Date of the update",
		     "For example, 27 3 2026", upd, today_s(r));
	struct choice *c;
	int n = code_choices(r, scrutiny_statuses, NULL, &c);
	form_radios(r, upd ? fe : NULL, "status", "Status", NULL, c, n,
		    upd ? req_form(r, "status") : x->status);
	form_textarea(r, upd ? fe : NULL, "narrative",
		      "Comments and action taken",
		      "What has been done, and what is left", 
		      upd ? req_form(r, "narrative") : "", 5);
	form_button(r, "Save progress", false);
	form_end(r);

	page_h2(r, "Correct the timescale");
	page_para(r, "Cairn reads the timescale as written. If it read it "
		  "wrongly, set the due date and how often it recurs.");
	form_begin(r, path(r, "/scrutiny/actions/%lld/timescale",
			   x->action_id));
	form_date_of(r, ts ? fe : NULL, "due_on", "Due date",
		     "Leave empty if there is none", ts, x->due_on);
	n = code_choices(r, scrutiny_recurrences, "Does not recur", &c);
	form_select(r, ts ? fe : NULL, "recurrence", "Recurs", NULL, c, n,
		    ts ? req_form(r, "recurrence") : x->recurrence);
	form_button(r, "Save timescale", true);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void action_view(struct req *r)
{
	action_page(r, NULL, "", 200);
}

static void update_create(struct req *r)
{
	const struct actor *w = &r->act;
	struct field_errors fe = {0};
	const char *on = NULL;
	page_date_field(r, false, "on_date", "Date of the update", &fe, &on);
	struct field_errors de = {0};
	int rc = fe.n ? ERR_INVALID
		      : scrutiny_update_add(r->db, w, r->user.display_name,
					    r->ids[0], on, req_form(r, "status"),
					    req_form(r, "narrative"), &de,
					    NULL);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/actions/%lld?saved=1",
				      r->ids[0]));
		return;
	}
	if (rc != ERR_INVALID) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	domain_errors(r, &de, &fe);
	action_page(r, &fe, "update", 422);
}

static void timescale_update(struct req *r)
{
	const struct actor *w = &r->act;
	struct field_errors fe = {0};
	const char *due = NULL;
	page_date_field(r, false, "due_on", "Due date", &fe, &due);
	struct field_errors de = {0};
	int rc = fe.n ? ERR_INVALID
		      : scrutiny_timescale_set(r->db, w, r->ids[0], due,
					       req_form(r, "recurrence"), &de);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/actions/%lld?saved=1",
				      r->ids[0]));
		return;
	}
	if (rc != ERR_INVALID) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	domain_errors(r, &de, &fe);
	action_page(r, &fe, "timescale", 422);
}

/* ---- import ---------------------------------------------------------- */

/* What the file chooser offers (a hint to the browser only: the kind
 * is read from the bytes, D62). */
#define IMPORT_ACCEPT ".docx,.odt,.pdf,.html,.htm,.txt,.md,.csv," \
	"application/vnd.openxmlformats-officedocument.wordprocessingml." \
	"document,application/vnd.oasis.opendocument.text,application/pdf," \
	"text/html,text/plain"

/* Issue 12, never silent: what the document looked like when nothing
 * was found in it (import.h, struct import_survey). */
static void survey_view(struct req *r, const struct import_survey *sv)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<div class=\"govuk-inset-text\">"
		    "<h2 class=\"govuk-heading-s\">What Cairn found in the "
		    "document</h2><p class=\"govuk-body\">");
	html_int(o, sv->lines);
	html_raw(o, sv->lines == 1 ? " line of text, " : " lines of text, ");
	if (sv->table_rows == 0) {
		html_raw(o, "none of them in a table.");
	} else {
		html_int(o, sv->table_rows);
		html_raw(o, sv->table_rows == 1 ? " of them a table row."
						: " of them table rows.");
	}
	html_raw(o, "</p>");
	if (sv->nheadings > 0) {
		html_raw(o, "<p class=\"govuk-body\">Its headings");
		if (sv->nheadings > IMPORT_SURVEY_HEADINGS) {
			html_raw(o, " (the first ");
			html_int(o, IMPORT_SURVEY_HEADINGS);
			html_raw(o, " of ");
			html_int(o, sv->nheadings);
			html_raw(o, ")");
		}
		html_raw(o, ":</p><ul class=\"govuk-list govuk-list--bullet\">");
		for (int i = 0; i < sv->nheadings &&
				i < IMPORT_SURVEY_HEADINGS; i++) {
			html_raw(o, "<li>");
			html_text(o, sv->headings[i]);
			html_raw(o, "</li>");
		}
		html_raw(o, "</ul>");
	}
	if (sv->nfirst > 0) {
		html_raw(o, "<p class=\"govuk-body\">It begins:</p>"
			    "<ul class=\"govuk-list\">");
		for (int i = 0; i < sv->nfirst; i++) {
			html_raw(o, "<li>");
			html_text(o, sv->first[i]);
			html_raw(o, "</li>");
		}
		html_raw(o, "</ul>");
	}
	html_raw(o, "</div>");
}

static void import_form_survey(struct req *r, const struct scrutiny_plan *p,
			       const struct field_errors *fe,
			       const struct import_survey *sv, int status);

static void import_form(struct req *r, const struct scrutiny_plan *p,
			const struct field_errors *fe, int status)
{
	import_form_survey(r, p, fe, NULL, status);
}

static void import_form_survey(struct req *r, const struct scrutiny_plan *p,
			       const struct field_errors *fe,
			       const struct import_survey *sv, int status)
{
	page_begin(r, "Import an action plan", fe);
	page_back_link(r, path(r, "/scrutiny/reviews/%lld",
			       p->review.review_id));
	html_raw(page_out(r), "<p class=\"govuk-caption-m\">");
	html_text(page_out(r), p->review.topic);
	html_raw(page_out(r), "</p>");
	page_para(r, "Upload the action plan or progress report, or paste it "
		  "as text. You will see what Cairn found before anything is "
		  "saved.");
	if (sv)
		survey_view(r, sv);
	form_begin_upload(r, path(r, "/scrutiny/reviews/%lld/import",
				  p->review.review_id));
	form_hidden(r, "step", "preview");
	form_file(r, fe, "file", "Upload a file",
		  "A Word document (.docx), an OpenDocument text document "
		  "(.odt), a PDF, a web page saved as HTML, or plain text. "
		  "Up to 10MB.", IMPORT_ACCEPT);
	form_textarea(r, fe, "document", "Or paste the text",
		      "A table copied from a word processor or spreadsheet, a "
		      "Markdown table, or numbered recommendations. Leave this "
		      "empty if you upload a file.",
		      fe ? req_form(r, "document") : "", 12);
	form_button(r, "Show what will be imported", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void import_new(struct req *r)
{
	struct scrutiny_plan p;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0],
				    r->act.today, &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	import_form(r, &p, NULL, 200);
}

static void proposal_view(struct req *r, const struct scrutiny_plan *p,
			  const struct import_proposal *ip, const char *doc)
{
	char dd[11] = "";
	if (cal_date_valid(ip->date))
		cal_date_format(ip->date, dd);
	struct sbuf *o = page_out(r);
	page_begin(r, "Check the import", NULL);
	page_back_link(r, path(r, "/scrutiny/reviews/%lld/import",
			       p->review.review_id));
	html_raw(o, "<p class=\"govuk-caption-m\">");
	html_text(o, p->review.topic);
	html_raw(o, "</p>");
	page_para(r, arena_printf(r->a, "Cairn found %s recommendations. "
				  "Nothing has been saved yet.",
				  page_count_text(r, (int64_t)ip->nrecs)));
	if (ip->nunplaced) {
		html_raw(o, "<div class=\"govuk-warning-text\"><span class="
			    "\"govuk-warning-text__icon\" aria-hidden=\"true\">"
			    "!</span><strong class=\"govuk-warning-text__text\">"
			    "<span class=\"govuk-visually-hidden\">Warning"
			    "</span>");
		page_count(r, (int64_t)ip->nunplaced);
		html_raw(o, ip->nunplaced == 1
			? " piece of text could not be placed. It is listed at "
			  "the end and will not be saved.</strong></div>"
			: " pieces of text could not be placed. They are "
			  "listed at the end and will not be saved.</strong>"
			  "</div>");
	}
	for (size_t i = 0; i < ip->nrecs; i++) {
		const struct import_rec *rec = &ip->recs[i];
		html_raw(o, "<h2 class=\"govuk-heading-m\">Recommendation ");
		html_text(o, rec->ref);
		html_raw(o, "</h2>");
		page_narrative(r, rec->text);
		if (rec->response[0] || rec->response_kind) {
			html_raw(o, "<div class=\"govuk-inset-text\">");
			const char *k = import_response_name(rec->response_kind);
			if (k) {
				html_raw(o, "<p class=\"govuk-body\"><strong>");
				html_text(o, scrutiny_label(scrutiny_responses,
							    k));
				html_raw(o, "</strong></p>");
			}
			page_narrative(r, rec->response);
			html_raw(o, "</div>");
		}
		if (rec->nactions == 0)
			continue;
		static const char *const heads[] = {
			"Action", "Owner", "Budget", "Timescale as written",
			"Read as", "Status",
		};
		page_table_begin(r, arena_printf(r->a, "Actions for "
						 "recommendation %s", rec->ref),
				 heads, 6);
		for (size_t j = 0; j < rec->nactions; j++) {
			const struct import_action *x = &rec->actions[j];
			page_row_begin(r);
			page_cell_begin(r);
			page_narrative(r, x->text);
			if (x->progress[0]) {
				html_raw(o, "<p class=\"govuk-body-s\">"
					    "<strong>Progress:</strong> ");
				html_text(o, x->progress);
				html_raw(o, "</p>");
			}
			page_cell_end(r);
			page_cell(r, x->owner);
			page_cell(r, x->budget);
			page_cell(r, x->timescale_text);
			page_cell_begin(r);
			char due[11];
			cal_date_format(x->timescale.due, due);
			const char *rec_s = timescale_recurrence_name(
				x->timescale.recurrence);
			if (x->timescale.has_due)
				html_text(o, page_when(r, due));
			if (rec_s) {
				if (x->timescale.has_due)
					html_raw(o, ", ");
				html_text(o, scrutiny_label(scrutiny_recurrences,
							    rec_s));
			}
			/* "Commencing March 2025 and ongoing" (D63) */
			if (x->timescale.has_start) {
				char st[11];
				cal_date_format(x->timescale.start, st);
				if (x->timescale.has_due || rec_s)
					html_raw(o, ", ");
				html_text(o, "starts ");
				html_text(o, page_when(r, st));
			}
			if (!x->timescale.has_due && !rec_s &&
			    !x->timescale.has_start)
				html_text(o, "No date understood");
			page_cell_end(r);
			const char *st = import_status_name(x->status);
			page_cell(r, st ? scrutiny_label(scrutiny_statuses, st)
					: "");
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (ip->nunplaced) {
		static const char *const heads[] = {"Line", "Text"};
		page_table_begin(r, "Text that could not be placed", heads, 2);
		for (size_t i = 0; i < ip->nunplaced; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			html_int(o, ip->unplaced[i].line);
			page_cell_end(r);
			page_cell(r, ip->unplaced[i].text);
			page_row_end(r);
		}
		page_table_end(r);
	}
	/* multipart, like the form before it: the text read from a file
	 * may be long, and goes as it is rather than percent-encoded,
	 * within the upload's body limit (D62) */
	form_begin_upload(r, path(r, "/scrutiny/reviews/%lld/import",
				  p->review.review_id));
	form_hidden(r, "step", "save");
	form_hidden(r, "document", doc);
	/* the document's date, which a file's properties may give when
	 * its text does not: the save step's text alone would lose it */
	form_hidden(r, "doc_date", dd);
	form_button(r, "Save these recommendations", false);
	form_end(r);
	page_end(r);
	page_send(r, 200);
}

/* The save step: a date the proposal had from the file's properties
 * (its hidden doc_date) dates the text that states none, as it did
 * when the file was read.  A date that is not real, or is after today,
 * is ignored: the import is then dated today, as pasted text is. */
static void import_carried_date(struct req *r, struct import_proposal *ip)
{
	const char *s = req_form(r, "doc_date");
	struct cal_date d;
	if (cal_date_valid(ip->date) || s == NULL ||
	    !cal_date_parse(s, strlen(s), &d) ||
	    cal_compare(d, r->act.today) > 0)
		return;
	import_redate(ip, d);
}

/* The document to import, as text: the uploaded file read by content
 * (doc_import_text: a PDF named .docx reads as a PDF), or the pasted
 * text, never both (D62).  *field is the form field it came from, for
 * errors found later.  Returns 0 with *text, *len and the proposal in
 * *ip (parsed in pa); -1 with the error on its field in fe. */
static int import_read(struct req *r, struct arena *pa, const char **text,
		       size_t *len, struct import_proposal *ip,
		       const char **field_out, struct field_errors *fe)
{
	const char *doc = req_form(r, "document");
	const char *data, *fname;
	size_t flen;
	bool file = req_file(r, "file", &data, &flen, &fname);
	bool pasted = doc != NULL && doc[0] != '\0';
	struct import_error ie = {0};
	const char *field = file ? "file" : "document";
	*field_out = field;
	if (file && pasted) {
		fe_set(fe, "file", "Upload a file or paste the text, not both");
		return -1;
	}
	if (!file && !pasted) {
		fe_set(fe, "file", "Choose a file to upload, or paste the "
		       "document's text");
		return -1;
	}
	if (file && flen == 0) {
		fe_set(fe, "file", "The selected file is empty");
		return -1;
	}
	if (file) {
		struct doc_error derr = {{0}};
		enum doc_kind kind = DOC_KIND_UNKNOWN;
		int rc = doc_import_text(pa, data, flen, &kind, text, len, ip,
					 &ie, &derr);
		if (rc == -1) {
			fe_set(fe, "file", derr.msg[0]
			       ? arena_strdup(r->a, derr.msg)
			       : "The selected file could not be read");
			return -1;
		}
		/* the save step carries the text read, in a form field */
		if (rc == 0 && *len > DOC_MAX) {
			fe_set(fe, "file", "The text in this file is too long "
			       "to import in one go: split it into parts");
			return -1;
		}
		if (rc == 0)
			return 0;
	} else {
		*text = doc;
		*len = strlen(doc);
		if (import_parse(pa, doc, *len, ip, &ie) == 0) {
			import_carried_date(r, ip);
			return 0;
		}
	}
	/* read, but the import refused the text: its line is in the text
	 * read from the file (the file itself for plain text) */
	const char *m = ie.line
		? arena_printf(r->a, "Line %d: %s", ie.line, ie.msg)
		: arena_strdup(r->a, ie.msg);
	fe_set(fe, field, m ? m : "The document could not be read");
	return -1;
}

static void import_post(struct req *r)
{
	struct scrutiny_plan p;
	struct cal_date t = r->act.today;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0], t,
				    &p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	const char *step = req_form(r, "step");
	struct field_errors fe = {0};
	struct arena *pa = arena_new(IMPORT_ARENA);
	struct import_proposal ip;
	const char *doc = NULL, *field = "document";
	size_t len = 0;
	if (import_read(r, pa, &doc, &len, &ip, &field, &fe) != 0) {
		arena_free(pa);
		import_form(r, &p, &fe, 422);
		return;
	}
	if (ip.nrecs == 0) {
		/* never silent: why, and what the document looked like */
		fe_set(&fe, field, arena_printf(r->a, "No recommendations were "
			   "found. %s", ip.survey.why ? ip.survey.why : ""));
		import_form_survey(r, &p, &fe, &ip.survey, 422);
		arena_free(pa);
		return;
	}
	if (step == NULL || strcmp(step, "save") != 0) {
		/* the text read (not the file) goes on to the save step */
		proposal_view(r, &p, &ip, arena_strndup(r->a, doc, len));
		arena_free(pa);
		return;
	}
	char on[11];
	cal_date_format(ip.date.y ? ip.date : t, on);
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	rc = scrutiny_import_save(r->db, w, r->user.display_name, r->ids[0],
				  &ip, on, &de, NULL);
	arena_free(pa);
	if (rc == ERR_OK) {
		page_redirect(r, path(r, "/scrutiny/reviews/%lld?saved=1",
				      r->ids[0]));
		return;
	}
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	for (int i = 0; i < de.n; i++)
		fe_set(&fe, field, arena_strdup(r->a, de.v[i].msg));
	import_form(r, &p, &fe, rc == ERR_CONFLICT ? 409 : 422);
}

/* ---- the progress report --------------------------------------------- */

/* Loads the plan and builds the report; since comes from the query
 * (a YYYY-MM-DD date) or is the last report presented. */
static int report_load(struct req *r, struct scrutiny_plan *p,
		       struct report *rp)
{
	struct cal_date t = r->act.today;
	int rc = scrutiny_plan_load(r->db, r->user.council, r->a, r->ids[0], t,
				    p);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return -1;
	}
	const char *since = req_query(r, "since");
	struct cal_date d;
	if (since && since[0] && !cal_date_parse(since, strlen(since), &d)) {
		page_error(r, 400, "Bad request", "since must be a date as "
			   "YYYY-MM-DD.");
		return -1;
	}
	if (since == NULL || since[0] == '\0')
		since = p->review.last_presented;
	if (report_build(r->a, p, since, t, rp) != 0) {
		page_error(r, 500, "Sorry, there is a problem with the service",
			   "The report is too large to build.");
		return -1;
	}
	return 0;
}

static void report_page(struct req *r)
{
	struct scrutiny_plan p;
	struct report rp;
	if (report_load(r, &p, &rp) != 0)
		return;
	page_begin(r, arena_printf(r->a, "Progress report: %s",
				   p.review.topic), NULL);
	page_crumbs(r, (struct crumb[]){
			       {"/scrutiny", "Scrutiny"},
			       {path(r, "/scrutiny/reviews/%lld",
				     p.review.review_id),
				p.review.topic}},
		    2);
	report_html(&rp, false, page_out(r));
	html_raw(page_out(r), "<p class=\"govuk-body\">");
	page_link(r, path(r, "/scrutiny/reviews/%lld/report.csv",
			  p.review.review_id),
		  "Download as CSV (spreadsheet)");
	html_raw(page_out(r), "</p>");
	page_end(r);
	page_send(r, 200);
}

static void report_csv_get(struct req *r)
{
	struct scrutiny_plan p;
	struct report rp;
	if (report_load(r, &p, &rp) != 0)
		return;
	struct sbuf *o = page_out(r);
	report_csv(&rp, o);
	r->ex->status = 200;
	r->ex->out_type = "text/csv; charset=utf-8";
	http_add_header(r->ex, "Content-Disposition",
			arena_printf(r->a, "attachment; filename=\"review-%lld-"
				     "progress.csv\"",
				     (long long)p.review.review_id));
	if (o->toobig) {
		sbuf_reset(o);
		r->ex->status = 500;
		r->ex->out_type = "text/plain; charset=utf-8";
		sbuf_adds(o, "The report is too large.\n");
	}
}

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_filter[] = {
	{"body", PARAM_LINE, 32, false},
	{"owner", PARAM_LINE, 200, false},
	{"status", PARAM_LINE, 32, false},
	{"overdue", PARAM_LINE, 4, false},
	{"saved", PARAM_LINE, 4, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_review[] = {
	{"body_kind", PARAM_LINE, 32, false},
	{"body_name", PARAM_LINE, SCRUTINY_LINE_MAX * 2, false},
	{"topic", PARAM_LINE, SCRUTINY_LINE_MAX * 2, false},
	{"report_title", PARAM_LINE, SCRUTINY_LINE_MAX * 2, false},
	PAGE_DATE_PARAMS("started_on"),
	PAGE_DATE_PARAMS("reported_on"),
	{"schedule_months", PARAM_LINE, 8, false},
	PAGE_DATE_PARAMS("next_report_due"),
	{NULL, 0, 0, false},
};
static const struct param_spec p_comment[] = {
	{"rec_id", PARAM_INT, 20, false},
	{"text", PARAM_TEXT, SCRUTINY_TEXT_MAX, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_presented[] = {
	PAGE_DATE_PARAMS("presented_on"),
	{NULL, 0, 0, false},
};
static const struct param_spec p_saved[] = {
	{"saved", PARAM_LINE, 4, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_update[] = {
	PAGE_DATE_PARAMS("on_date"),
	{"status", PARAM_LINE, 32, false},
	{"narrative", PARAM_TEXT, SCRUTINY_TEXT_MAX + 100, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_timescale[] = {
	PAGE_DATE_PARAMS("due_on"),
	{"recurrence", PARAM_LINE, 32, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_import[] = {
	{"step", PARAM_LINE, 16, false},
	{"document", PARAM_TEXT, DOC_MAX, false},
	{"doc_date", PARAM_LINE, 10, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_report[] = {
	{"since", PARAM_LINE, 10, false},
	{NULL, 0, 0, false},
};

const struct route scrutiny_page_routes[] = {
	{HTTP_GET, "/scrutiny", PERM_SCRUTINY_READ, 0, p_filter,
	 register_page, "Register of reviews, and actions by filter", NULL},
	{HTTP_GET, "/scrutiny/reviews/new", PERM_SCRUTINY_EDIT, 0, NULL,
	 review_new, "Form: add a review", NULL},
	{HTTP_POST, "/scrutiny/reviews", PERM_SCRUTINY_EDIT, ROUTE_FORM,
	 p_review, review_create, "Add a review", NULL},
	{HTTP_GET, "/scrutiny/reviews/{id}", PERM_SCRUTINY_READ, 0, p_filter,
	 review_view, "A review: recommendations and actions", NULL},
	{HTTP_POST, "/scrutiny/reviews/{id}/comments", PERM_SCRUTINY_COMMENT,
	 ROUTE_FORM, p_comment, comment_create, "Comment on a review", NULL},
	{HTTP_POST, "/scrutiny/reviews/{id}/reports", PERM_SCRUTINY_EDIT,
	 ROUTE_FORM, p_presented, report_presented,
	 "Record a progress report presented", NULL},
	{HTTP_GET, "/scrutiny/reviews/{id}/import", PERM_SCRUTINY_EDIT, 0, NULL,
	 import_new, "Form: import an action plan", NULL},
	{HTTP_POST, "/scrutiny/reviews/{id}/import", PERM_SCRUTINY_EDIT,
	 ROUTE_FORM | ROUTE_UPLOAD, p_import, import_post,
	 "Preview, then save, an imported action plan", NULL},
	{HTTP_GET, "/scrutiny/reviews/{id}/report", PERM_SCRUTINY_READ,
	 ROUTE_REPLICA, p_report, report_page, "Progress report", NULL},
	{HTTP_GET, "/scrutiny/reviews/{id}/report.csv", PERM_SCRUTINY_READ,
	 ROUTE_REPLICA, p_report, report_csv_get, "Progress report as CSV", NULL},
	{HTTP_GET, "/scrutiny/actions/{id}", PERM_SCRUTINY_READ, 0, p_saved,
	 action_view, "An action and its status history", NULL},
	{HTTP_POST, "/scrutiny/actions/{id}/updates", PERM_SCRUTINY_EDIT,
	 ROUTE_FORM, p_update, update_create, "Record progress", NULL},
	{HTTP_POST, "/scrutiny/actions/{id}/timescale", PERM_SCRUTINY_EDIT,
	 ROUTE_FORM, p_timescale, timescale_update,
	 "Correct an action's timescale", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
