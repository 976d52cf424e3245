/*
 * assess_pages.c: the single assessment's pages (GOV.UK Design System,
 * no JavaScript) on the assess module: starting one from a child's
 * referral, the assessment (a summary list, the times the child was
 * seen, the narrative sections), writing it (the sections, the wishes
 * and feelings, the factors as checkboxes, the outcome), recording the
 * child seen, submitting it and a manager's authorisation; and its
 * section of the child's page (web/sections.h).
 *
 * Every read of an assessment is audited by the module before the page
 * is sent; a refused POST re-shows its form with the error summary and
 * what was typed (422), a workflow refusal is a 409 page naming why,
 * and nothing is written.  Labels, never codes, are shown.
 */
#include "assess/assess.h"
#include "child/child.h"
#include "episode/episode.h"
#include "core/arena.h"
#include "http/html.h"
#include "referral/referral.h"
#include "web/answer.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

static const char *path_of(struct req *r, int64_t id, const char *tail)
{
	return arena_printf(r->a, "/assessments/%lld%s", (long long)id, tail);
}

/* A "button" link (GOV.UK secondary button as a link). */
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

/* ---- starting --------------------------------------------------------- */

static void start_page(struct req *r, const struct assess_start *v,
		       const struct field_errors *e, int status)
{
	struct referral f;
	int rc = referral_read(r->db, &r->act, r->cal, r->ids[0], r->a, &f);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, arena_printf(r->a, "Start the single assessment of %s",
				   f.child_name), e);
	page_child_crumbs(r, f.child_id, f.child_name);
	page_para(r, arena_printf(r->a, "From the referral on %s. It is due "
				  "by %s (45 working days from the referral).",
				  page_when(r, f.referral_date),
				  page_when(r, f.assessment_due)));
	form_begin(r, arena_printf(r->a, "/referrals/%lld/assessments",
				   (long long)f.referral_id));
	fields_form(r, &assess_start_type, v, e);
	form_button(r, "Start the assessment", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void start_new(struct req *r)
{
	char today[11];
	cal_date_format(r->act.civil.date, today);
	struct assess_start v = {today};
	start_page(r, &v, NULL, 200);
}

static void start_post(struct req *r)
{
	struct assess_start in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t id = 0;
	int rc = fields_take(r, &assess_start_type, &in, &fe);
	if (rc == ERR_OK)
		rc = assess_start(r->db, &r->act, r->ids[0], &in, &id, &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &assess_start_type, &de, &fe);
		start_page(r, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, &de, NULL);
	} else {
		page_redirect(r, path_of(r, id, "?saved=started"));
	}
}

/* ---- the assessment ---------------------------------------------------- */

/* A date, then a tag: late/overdue in red, on time in green. */
static void date_tag(struct req *r, const char *date, const char *empty,
		     const char *tag, const char *colour)
{
	html_text(page_out(r), date[0] ? page_when(r, date) : empty);
	if (tag) {
		html_raw(page_out(r), " ");
		page_tag(r, tag, colour);
	}
}

static void factor_tags(struct req *r, const char *factors)
{
	struct sbuf *o = page_out(r);
	if (!factors[0]) {
		html_text(o, "None chosen yet");
		return;
	}
	html_raw(o, "<ul class=\"govuk-list\">");
	const char *p = factors;
	while (*p) {
		size_t n = strcspn(p, " ");
		char code[8];
		snprintf(code, sizeof(code), "%.*s", (int)(n < 7 ? n : 7), p);
		const char *l = codes_label(assess_factor_codes, code);
		html_raw(o, "<li>");
		page_tag(r, l ? l : "Unknown factor", "blue");
		html_raw(o, "</li>");
		p += n;
		p += strspn(p, " ");
	}
	html_raw(o, "</ul>");
}

static void summary(struct req *r, const struct assessment *s)
{
	summary_begin(r);
	page_srow_begin(r, "Status");
	page_tag(r, codes_label(assess_status_codes, s->status),
		 s->authorised ? "green" : s->submitted_at[0] ? "yellow"
							    : "grey");
	page_srow_end(r);
	if (s->referral_id) {
		page_srow_begin(r, "Referral");
		page_link(r, page_record_href(r, "referral", s->referral_id),
			  arena_printf(r->a, "Referral on %s",
				       page_when(r, s->referral_date)));
		page_srow_end(r);
	}
	summary_row(r, "Started", page_when(r, s->started_on));
	summary_row(r, "Started by", s->worker_name);
	page_srow_begin(r, "Due (45 working days from the referral)");
	date_tag(r, s->due_on, "No due date",
		 s->late ? "Authorised late" : s->overdue ? "Overdue" : NULL,
		 "red");
	page_srow_end(r);
	page_srow_begin(r, "Child to be seen by");
	date_tag(r, s->seen_due_on, "No due date",
		 s->seen_overdue ? "Not seen: overdue" : NULL, "red");
	page_srow_end(r);
	page_srow_begin(r, "Child first seen");
	if (s->seen)
		date_tag(r, s->first_seen_on, "", strcmp(s->first_seen_on,
							 s->seen_due_on) > 0 &&
			 s->seen_due_on[0] ? "Seen late" : NULL, "red");
	else
		html_text(page_out(r), "Not seen yet");
	page_srow_end(r);
	page_srow_begin(r, "Assessment factors");
	factor_tags(r, s->factors);
	page_srow_end(r);
	const char *o = codes_label(assess_outcome_codes, s->outcome);
	summary_row(r, "Outcome", o ? o : "Not chosen yet");
	if (s->submitted_at[0])
		summary_row(r, "Submitted", arena_printf(
			r->a, "%s by %s", page_when(r, s->submitted_at),
			s->submitted_by_name));
	if (s->authorised)
		summary_row(r, "Authorised", arena_printf(
			r->a, "%s by %s", page_when(r, s->authorised_on),
			s->authorised_by_name));
	if (s->late_reason[0]) {
		page_srow_begin(r, "Why it was authorised late");
		page_narrative(r, s->late_reason);
		page_srow_end(r);
	}
	summary_end(r);
}

static void seen_table(struct req *r, const struct assessment *s)
{
	page_h2(r, "The child seen");
	if (s->seen_n == 0) {
		page_para(r, "The child has not been seen during this assessment.");
	} else {
		static const char *const heads[] = {"Date", "Seen alone",
						    "Seen by"};
		page_table_begin(r, "Times the child was seen", heads, 3);
		for (int i = 0; i < s->seen_n; i++) {
			const struct assess_seen *v = &s->seen_v[i];
			page_row_begin(r);
			page_cell(r, page_when(r, v->seen_on));
			page_cell(r, v->alone ? "Yes" : "No");
			page_cell(r, v->seen_by_name);
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (!s->authorised && req_can(r, PERM_ASSESSMENT_WRITE))
		button_link(r, path_of(r, s->assessment_id, "/child-seen/new"),
			    "Record that the child was seen");
}

static void sections(struct req *r, const struct assessment *s)
{
	static const struct {
		const char *title;
		size_t off;
	} v[] = {
		{"The child's developmental needs",
		 offsetof(struct assessment, development)},
		{"Parenting capacity", offsetof(struct assessment, parenting)},
		{"Family and environmental factors",
		 offsetof(struct assessment, family)},
		{"The child's wishes and feelings",
		 offsetof(struct assessment, wishes)},
		{"Summary analysis", offsetof(struct assessment, analysis)},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *t = *(const char *const *)((const char *)s + v[i].off);
		struct sbuf *o = page_out(r);
		html_raw(o, "<h2 class=\"govuk-heading-m\"");
		html_attr(o, "id", arena_printf(r->a, "section-%zu", i));
		html_raw(o, ">");
		html_text(o, v[i].title);
		html_raw(o, "</h2>");
		if (t[0])
			page_narrative(r, t);
		else
			page_para(r, "Not written yet.");
		if (i == 3 && s->wishes_how[0])
			page_para(r, arena_printf(
				r->a, "Gathered: %s.",
				codes_label(assess_how_codes, s->wishes_how)));
	}
}

/* The primary need of the case the outcome opens (assess.h). */
static void need_select(struct req *r, const struct field_errors *e)
{
	size_t n = codes_count(episode_need_codes);
	struct choice *v = arena_zalloc(r->a, (n + 1) * sizeof(*v));
	if (v == NULL)
		return;
	v[0] = (struct choice){"", "Select the primary need", NULL};
	for (size_t i = 0; i < n; i++)
		v[i + 1] = (struct choice){episode_need_codes[i].code,
					   episode_need_codes[i].label, NULL};
	form_select(r, e, "primary_need", "The child's primary need",
		    "Authorising this outcome opens a Family Help case for "
		    "the child, unless one is open already", v, (int)n + 1,
		    req_form(r, "primary_need"));
}

/* What the user may do next: write, submit, authorise. */
static void actions(struct req *r, const struct assessment *s,
		    const struct field_errors *e)
{
	if (s->authorised)
		return;
	if (req_can(r, PERM_ASSESSMENT_WRITE)) {
		page_h2(r, "Work on the assessment");
		button_link(r, path_of(r, s->assessment_id, "/edit"),
			    "Write the assessment");
		if (!s->submitted_at[0]) {
			form_begin(r, path_of(r, s->assessment_id, "/submission"));
			form_button(r, "Submit for authorisation", false);
			form_end(r);
		}
	}
	if (s->submitted_at[0] && req_can(r, PERM_ASSESSMENT_AUTHORISE) &&
	    s->submitted_by != r->user.user_id) {
		page_h2(r, "Authorise the assessment");
		form_begin(r, path_of(r, s->assessment_id, "/authorisation"));
		form_hidden(r, "version", arena_printf(r->a, "%lld",
						       (long long)s->version));
		if (s->overdue)
			form_textarea(r, e, "late_reason",
				      "Why is it authorised late?",
				      arena_printf(r->a, "It was due by %s",
						   page_when(r, s->due_on)),
				      req_form(r, "late_reason"), 5);
		if (s->outcome && (strcmp(s->outcome, "family_help") == 0 ||
				   strcmp(s->outcome, "cin_plan") == 0))
			need_select(r, e);
		if (!s->seen)
			page_para(r, "The child has not been seen during this "
				  "assessment.");
		form_button(r, "Authorise", false);
		form_end(r);
	}
}

static void assess_page(struct req *r, const struct field_errors *e,
			int status)
{
	struct assessment s;
	int rc = assess_read(r->db, &r->act, r->ids[0], r->a, &s);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, arena_printf(r->a, "Single assessment of %s",
				   s.child_name), e);
	page_child_crumbs(r, s.child_id, s.child_name);
	const char *saved = req_query(r, "saved");
	if (saved && (!e || !e->n)) {
		static const char *const words[][2] = {
			{"started", "Assessment started"},
			{"written", "Assessment saved"},
			{"seen", "The child seen is recorded"},
			{"submitted", "Submitted for authorisation"},
			{"authorised", "Assessment authorised"},
		};
		const char *w = page_pair(words, 5, saved);
		if (w)
			page_banner(r, w);
	}
	summary(r, &s);
	seen_table(r, &s);
	sections(r, &s);
	actions(r, &s, e);
	page_end(r);
	page_send(r, status);
}

static void assess_show(struct req *r)
{
	assess_page(r, NULL, 200);
}

/* A workflow POST: 303 back with `saved` on success, the page with its
 * errors (422) or the refusal (409, 403). */
static void answer_action(struct req *r, int rc, struct field_errors *e,
			  const char *saved)
{
	if (rc == ERR_OK)
		page_redirect(r, path_of(r, r->ids[0], arena_printf(
			r->a, "?saved=%s", saved)));
	else if (rc == ERR_INVALID)
		assess_page(r, e, 422);
	else
		answer_error(r, rc, e, NULL);
}

static void submit_post(struct req *r)
{
	struct field_errors e = {0};
	int rc = assess_submit(r->db, &r->act, r->ids[0], &e);
	answer_action(r, rc, &e, "submitted");
}

static void authorise_post(struct req *r)
{
	struct assess_authorise in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &assess_authorise_type, &in, &fe);
	if (rc == ERR_OK)
		rc = assess_authorise(r->db, &r->act, r->cal, r->ids[0], &in,
				      &de);
	answer_action(r, rc, rc == ERR_OK || fe.n == 0 ? &de : &fe,
		      "authorised");
}

/* ---- writing --------------------------------------------------------- */

/* The factors ticked on the form (repeated "factors" fields) into
 * v[0..*n), and joined by spaces (what the domain reads; a value that
 * is not a factor is named by its check). */
static const char *form_factors(struct req *r, const char **v, int *n)
{
	size_t cap = ASSESS_FACTORS_MAX * 9 + 1, len = 0;
	char *joined = arena_zalloc(r->a, cap);
	*n = 0;
	for (size_t i = 0; joined && i < r->f.n; i++) {
		if (strcmp(r->f.v[i].key, "factors") != 0 ||
		    *n == ASSESS_FACTORS_MAX)
			continue;
		v[(*n)++] = r->f.v[i].val;
		int k = snprintf(joined + len, cap - len, "%s%s",
				 len ? " " : "", r->f.v[i].val);
		if (k > 0 && (size_t)k < cap - len)
			len += (size_t)k;
	}
	return joined ? joined : "";
}

static void edit_page(struct req *r, const struct assess_edit *v,
		      const struct field_errors *e, int status, bool posted)
{
	struct assessment s;
	int rc = assess_read(r->db, &r->act, r->ids[0], r->a, &s);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct assess_edit cur = {s.development, s.parenting, s.family,
				  s.wishes, s.wishes_how, s.analysis, s.outcome,
				  s.factors};
	if (v == NULL)
		v = &cur;
	page_begin(r, arena_printf(r->a, "Write the single assessment of %s",
				   s.child_name), e);
	page_back_link(r, path_of(r, s.assessment_id, ""));
	form_begin(r, path_of(r, s.assessment_id, ""));
	fields_form(r, &assess_text_type, v, e);
	/* the factors: tags beside the narrative, never instead of it */
	int nc = (int)codes_count(assess_factor_codes);
	struct choice *c = arena_zalloc(r->a, (size_t)nc * sizeof(*c));
	const char *checked[ASSESS_FACTORS_MAX];
	int nk = 0;
	if (posted) {
		form_factors(r, checked, &nk);
	} else {
		for (const char *p = v->factors ? v->factors : ""; *p && nk <
		     ASSESS_FACTORS_MAX;) {
			size_t n = strcspn(p, " ");
			checked[nk++] = arena_printf(r->a, "%.*s", (int)n, p);
			p += n;
			p += strspn(p, " ");
		}
	}
	for (int i = 0; c && i < nc; i++)
		c[i] = (struct choice){assess_factor_codes[i].code,
				       assess_factor_codes[i].label, NULL};
	form_checkboxes(r, e, "factors", "Assessment factors",
			"Select every factor the assessment found. They are "
			"recorded beside what you have written, not instead "
			"of it.", c, c ? nc : 0, checked, nk);
	fields_form(r, &assess_outcome_type, v, e);
	form_button(r, "Save the assessment", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void edit_show(struct req *r)
{
	edit_page(r, NULL, NULL, 200, false);
}

static void edit_post(struct req *r)
{
	struct assess_edit in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &assess_page_type, &in, &fe);
	const char *v[ASSESS_FACTORS_MAX];
	int n = 0;
	/* every box unticked is "none chosen": "" clears them */
	in.factors = form_factors(r, v, &n);
	if (rc == ERR_OK)
		rc = assess_update(r->db, &r->act, r->ids[0], &in, &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &assess_page_type, &de, &fe);
		const char *m = fe_for(&de, "factors");
		if (m)
			fe_set(&fe, "factors", m);
		edit_page(r, &in, &fe, 422, true);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, &de, NULL);
	} else {
		page_redirect(r, path_of(r, r->ids[0], "?saved=written"));
	}
}

/* ---- the child seen ---------------------------------------------------- */

static void seen_page(struct req *r, const struct assess_seen_input *v,
		      const struct field_errors *e, int status)
{
	struct assessment s;
	struct assess_worker *w = NULL;
	int nw = 0;
	int rc = assess_read(r->db, &r->act, r->ids[0], r->a, &s);
	if (rc == ERR_OK)
		rc = assess_workers(r->db, &r->act, r->a, &w, &nw);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, arena_printf(r->a, "Record that %s was seen",
				   s.child_name), e);
	page_back_link(r, path_of(r, s.assessment_id, ""));
	form_begin(r, path_of(r, s.assessment_id, "/child-seen"));
	/* the date and "alone" from the fields; who from the council's
	 * workers */
	struct record_type head = {"assessment_child_seen",
				   assess_seen_type.fields, 2};
	fields_form(r, &head, v, e);
	struct choice *c = arena_zalloc(r->a, (size_t)(nw + 1) * sizeof(*c));
	for (int i = 0; c && i < nw; i++)
		c[i] = (struct choice){arena_printf(r->a, "%lld",
						    (long long)w[i].user_id),
				       w[i].name, NULL};
	const char *sel = req_form(r, "seen_by");
	if (sel == NULL)
		sel = arena_printf(r->a, "%lld", (long long)(v && v->seen_by
							     ? v->seen_by
							     : r->user.user_id));
	form_select(r, e, "seen_by", "Seen by",
		    "A social worker or team manager of the council", c,
		    c ? nw : 0, sel);
	form_button(r, "Record", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

static void seen_new(struct req *r)
{
	char today[11];
	cal_date_format(r->act.civil.date, today);
	struct assess_seen_input v = {today, NULL, 0};
	seen_page(r, &v, NULL, 200);
}

static void seen_post(struct req *r)
{
	struct assess_seen_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &assess_seen_type, &in, &fe);
	if (rc == ERR_OK)
		rc = assess_see(r->db, &r->act, r->cal, r->ids[0], &in, &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &assess_seen_type, &de, &fe);
		seen_page(r, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, &de, NULL);
	} else {
		page_redirect(r, path_of(r, r->ids[0], "?saved=seen"));
	}
}

/* ---- the child's page section ---------------------------------------- */

struct child_assess {
	struct assessment *v;
	int n;
	struct assess_startable *sv;
	int sn;
};

static int load_child(struct req *r, const struct child_ctx *x,
		      const struct child *ch, void **data)
{
	(void)x;
	struct child_assess *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	if (d == NULL)
		return ERR_NOMEM;
	int rc = assess_list_child(r->db, &r->act, ch->child_id, r->a, &d->v,
				   &d->n);
	if (rc == ERR_OK && req_can(r, PERM_ASSESSMENT_WRITE))
		rc = assess_startable(r->db, &r->act, ch->child_id, r->a, &d->sv,
				      &d->sn);
	return rc;
}

static void status_cell(struct req *r, const void *rec)
{
	const struct assessment *s = rec;
	page_tag(r, codes_label(assess_status_codes, s->status),
		 s->authorised ? "green" : s->submitted_at[0] ? "yellow"
							    : "grey");
	if (s->overdue) {
		html_raw(page_out(r), " ");
		page_tag(r, "Overdue", "red");
	} else if (s->late) {
		html_raw(page_out(r), " ");
		page_tag(r, "Late", "red");
	}
}

static void seen_cell(struct req *r, const void *rec)
{
	const struct assessment *s = rec;
	if (s->seen)
		html_text(page_out(r), page_when(r, s->first_seen_on));
	else if (s->seen_overdue)
		page_tag(r, "Not seen: overdue", "red");
	else
		html_text(page_out(r), "Not yet");
}

static const struct column child_cols[] = {
	{.head = "Started", .field = "started_on", .link = "assessment",
	 .link_id = "id"},
	{.head = "Status", .show = status_cell},
	{.head = "Child first seen", .show = seen_cell},
	{.head = "Outcome", .field = "outcome", .empty = "Not chosen yet"},
	{.head = "Due", .field = "due_on"},
	{0},
};

static void render_child(struct req *r, const struct child_ctx *x,
			 const struct child *ch, void *data)
{
	(void)x;
	(void)ch;
	const struct child_assess *d = data;
	for (int i = 0; i < d->sn; i++)
		button_link(r, arena_printf(r->a, "/referrals/%lld/assessments/new",
					    (long long)d->sv[i].referral_id),
			    arena_printf(r->a, "Start the assessment of the "
					 "referral on %s",
					 page_when(r, d->sv[i].referral_date)));
	if (d->n == 0)
		page_para(r, "No single assessment has been started.");
	else
		fields_table(r, "Single assessments", &assess_view, child_cols,
			     d->v, sizeof(*d->v), d->n);
}

const struct child_section assess_child_sections[] = {
	{"assessments", "Assessments", PERM_ASSESSMENT_READ, 55, load_child,
	 NULL, render_child},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_LINE, 12, false},
	{NULL, 0, 0, false},
};
static const struct param_spec p_factors[] = {
	{"factors", PARAM_LINE, 8, true},
	{NULL, 0, 0, false},
};

static struct param_spec p_start[8], p_edit[16], p_seen[8], p_auth[4];

__attribute__((constructor)) static void form_params(void)
{
	fields_params(&assess_start_type, NULL, p_start, 8);
	fields_params(&assess_page_type, p_factors, p_edit, 16);
	fields_params(&assess_seen_type, NULL, p_seen, 8);
	fields_params(&assess_authorise_type, NULL, p_auth, 4);
}

const struct route assess_page_routes[] = {
	{HTTP_GET, "/referrals/{id}/assessments/new", PERM_ASSESSMENT_WRITE, 0,
	 NULL, start_new, "Form: start the single assessment of a referral",
	 NULL},
	{HTTP_POST, "/referrals/{id}/assessments", PERM_ASSESSMENT_WRITE,
	 ROUTE_FORM, p_start, start_post, "Start a single assessment", NULL},
	{HTTP_GET, "/assessments/{id}", PERM_ASSESSMENT_READ, 0, p_saved,
	 assess_show, "A single assessment", NULL},
	{HTTP_GET, "/assessments/{id}/edit", PERM_ASSESSMENT_WRITE, 0, NULL,
	 edit_show, "Form: write a single assessment", NULL},
	{HTTP_POST, "/assessments/{id}", PERM_ASSESSMENT_WRITE, ROUTE_FORM,
	 p_edit, edit_post, "Write a single assessment", NULL},
	{HTTP_GET, "/assessments/{id}/child-seen/new", PERM_ASSESSMENT_WRITE, 0,
	 NULL, seen_new, "Form: record that the child was seen", NULL},
	{HTTP_POST, "/assessments/{id}/child-seen", PERM_ASSESSMENT_WRITE,
	 ROUTE_FORM, p_seen, seen_post, "Record that the child was seen",
	 NULL},
	{HTTP_POST, "/assessments/{id}/submission", PERM_ASSESSMENT_WRITE,
	 ROUTE_FORM, NULL, submit_post, "Submit an assessment for authorisation",
	 NULL},
	{HTTP_POST, "/assessments/{id}/authorisation", PERM_ASSESSMENT_AUTHORISE,
	 ROUTE_FORM, p_auth, authorise_post, "Authorise a single assessment",
	 NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
