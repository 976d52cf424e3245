/*
 * child_pages.c: the child's record in the browser (GOV.UK Design
 * System, no JavaScript): the record page with its sections, what the
 * other modules' pages about one child use (web/sections.h), what the
 * child pages share (web/child_pages_int.h, which lists the files), and
 * their route table.  Domain rules live in child/child.h; the pages turn
 * forms into its input structs and its results into pages.
 *
 * Every page that shows a child's data reads it inside one write
 * transaction together with its audit row (child_read / child_search),
 * renders, commits, and only then is the page sent; a failed commit
 * replaces the page with an error.  A POST that fails validation
 * re-renders its form with the GOV.UK error summary, every typed value
 * kept, status 422; a success redirects (303) to the record with a
 * ?done= code mapped to a fixed banner.
 */
#include "child/child.h"
#include "core/arena.h"
#include "http/html.h"
#include "rules/calendar.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdarg.h>
#include <string.h>

/* ---- pages about one child (web/sections.h) --------------------------- */

void child_page_ctx(struct req *r, struct child_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->act = &r->act;
	x->names = r->app ? r->app->names : NULL; /* the application's */
	x->audit_shown = req_audit_shown_cb; /* searches: group commit */
	x->audit_arg = r;
	x->seen = arena_zalloc(r->a, sizeof(*x->seen)); /* NULL: no memo */
}

/* The heading of a page about the child names them (issue 9: "headings
 * that name the child and the thing"): their name as the h1's caption,
 * and their LA reference below, as on the record. */
void child_page_caption(struct req *r, const struct child *ch)
{
	struct sbuf *o = page_out(r);
	page_caption(r, child_page_name(r, ch->given_name, ch->family_name));
	html_raw(o, "<p class=\"govuk-caption-m\">LA reference ");
	html_text(o, ch->la_ref);
	html_raw(o, "</p>");
}

/* Ends the read snapshot the page was built in, audits the read of the
 * child (r->ids[0]: every page using open_child is under
 * /children/{id}) and only then sends the page; when the audit row
 * cannot be written the page is replaced by an error and nothing of the
 * child is shown. */
void child_page_send(struct req *r, int status)
{
	db_rollback(r->db);
	if (req_audit_read(r, "read", "child", r->ids[0], r->ids[0]) != 0) {
		answer_error(r, ERR_STORE, NULL, NULL);
		return;
	}
	page_send(r, status);
}

/* Opens a read snapshot and loads the child (visible to this user).
 * Returns 0, or -1 with the error page set and no transaction open. */
int child_page_open(struct req *r, struct child_ctx *x, int64_t id,
		      struct child *ch)
{
	int rc = db_begin(r->db, DB_TX_READ);
	if (rc != DB_OK) {
		answer_error(r, err_from_db(rc), NULL, NULL);
		return -1;
	}
	rc = child_load(r->db, x, r->a, id, ch);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return -1;
	}
	return 0;
}

void child_page_crumbs(struct req *r, const struct child *ch)
{
	page_child_crumbs(r, ch->child_id,
			  child_page_name(r, ch->given_name, ch->family_name));
}

/* ---- text --------------------------------------------------------------- */

/* Short texts (paths, dates, numbers) are built in a stack buffer and
 * then copied to the arena, without printf: the record page makes a few
 * dozen of them.  Only for texts of bounded length (numbers, dates, our
 * own literals), since an append past the end is dropped. */
struct tbuf {
	char b[96];
	size_t n;
};

static void tb_addn(struct tbuf *t, const char *s, size_t n)
{
	if (n > sizeof(t->b) - 1 - t->n)
		n = sizeof(t->b) - 1 - t->n;
	memcpy(t->b + t->n, s, n);
	t->n += n;
}

static void tb_add(struct tbuf *t, const char *s)
{
	tb_addn(t, s, strlen(s));
}

static void tb_int(struct tbuf *t, int64_t v)
{
	char d[24];
	size_t k = sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		d[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--k] = '-';
	tb_addn(t, d + k, sizeof(d) - k);
}

static const char *tb_dup(struct req *r, const struct tbuf *t)
{
	return arena_strndup(r->a, t->b, t->n);
}

/* Appends "27 March 2015" for the 'YYYY-MM-DD' in s[0..n).  Returns
 * false, appending nothing, when it does not parse. */
static bool tb_date(struct tbuf *t, const char *s, size_t n)
{
	struct cal_date d;
	if (!cal_date_parse(s, n, &d))
		return false;
	tb_int(t, d.d);
	tb_add(t, " ");
	tb_add(t, cal_month_name(d.m));
	tb_add(t, " ");
	tb_int(t, d.y);
	return true;
}

const char *child_page_join(struct req *r, ...)
{
	va_list ap;
	size_t len = 0;
	va_start(ap, r);
	for (const char *p; (p = va_arg(ap, const char *)) != NULL;)
		len += strlen(p);
	va_end(ap);
	char *out = arena_alloc(r->a, len + 1);
	if (out == NULL)
		return NULL;
	char *w = out;
	va_start(ap, r);
	for (const char *p; (p = va_arg(ap, const char *)) != NULL;) {
		size_t k = strlen(p);
		memcpy(w, p, k);
		w += k;
	}
	va_end(ap);
	*w = '\0';
	return out;
}

const char *child_page_path(struct req *r, int64_t id, const char *tail)
{
	struct tbuf t = {.n = 0};
	tb_add(&t, "/children/");
	tb_int(&t, id);
	tb_add(&t, tail ? tail : "");
	return tb_dup(r, &t);
}

const char *child_page_end_path(struct req *r, int64_t id, const char *what,
				int64_t sub)
{
	struct tbuf t = {.n = 0};
	tb_add(&t, "/children/");
	tb_int(&t, id);
	tb_add(&t, what);
	tb_int(&t, sub);
	tb_add(&t, "/end");
	return tb_dup(r, &t);
}

const char *child_page_name(struct req *r, const char *given,
			    const char *family)
{
	return child_page_join(r, given, " ", family, (const char *)NULL);
}

const char *child_page_nhs(struct req *r, const char *n)
{
	if (n == NULL || strlen(n) != 10)
		return n;
	struct tbuf t = {.n = 0};
	tb_addn(&t, n, 3);
	tb_add(&t, " ");
	tb_addn(&t, n + 3, 3);
	tb_add(&t, " ");
	tb_addn(&t, n + 6, 4);
	return tb_dup(r, &t);
}

/* Whole years from dob to today, or -1. */
static int age_years(const char *dob, struct cal_date today)
{
	struct cal_date d;
	if (dob == NULL || !cal_date_parse(dob, strlen(dob), &d))
		return -1;
	int y = today.y - d.y;
	if (today.m < d.m || (today.m == d.m && today.d < d.d))
		y--;
	return y;
}

static const char *dob_text(struct req *r, const struct child *ch,
			    struct cal_date today)
{
	struct tbuf t = {.n = 0};
	if (ch->dob[0]) {
		int age = age_years(ch->dob, today);
		if (!tb_date(&t, ch->dob, strlen(ch->dob)))
			return child_page_join(r, ch->dob, " (age 0)",
					       (const char *)NULL);
		tb_add(&t, " (age ");
		tb_int(&t, age < 0 ? 0 : age);
		tb_add(&t, ")");
		return tb_dup(r, &t);
	}
	if (ch->expected_dob[0]) {
		tb_add(&t, "Not born yet: expected ");
		if (!tb_date(&t, ch->expected_dob, strlen(ch->expected_dob)))
			return child_page_join(r, "Not born yet: expected ",
					       ch->expected_dob,
					       (const char *)NULL);
		return tb_dup(r, &t);
	}
	return "Not known";
}

/* ---- forms ---------------------------------------------------------------- */

int child_page_start(struct req *r, struct child_ctx *x, struct child *ch)
{
	child_page_ctx(r, x);
	return child_page_open(r, x, r->ids[0], ch);
}

/* "Cancel and go back to the record". */
static void child_page_cancel(struct req *r, int64_t id)
{
	page_para_link(r, child_page_path(r, id, NULL),
		       "Cancel and go back to the record");
}

void child_page_form(struct req *r, const struct child_form *f,
		     const struct field_errors *fe, int status)
{
	struct child_form_page p = {.fe = fe, .title = f->title};
	if (child_page_start(r, &p.x, &p.ch) < 0)
		return;
	p.post = r->route->method == HTTP_POST;
	int rc = f->load ? f->load(r, &p) : ERR_OK;
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	sbuf_reset(page_out(r));
	page_begin(r, p.title, fe);
	page_back_link(r, child_page_path(r, p.ch.child_id, NULL));
	child_page_caption(r, &p.ch);
	if (f->action)
		form_begin(r, child_page_path(r, p.ch.child_id, f->action));
	if (f->fields(r, &p)) {
		form_button(r, f->button, false);
		form_end(r);
	}
	child_page_cancel(r, p.ch.child_id);
	page_end(r);
	child_page_send(r, status);
}

void child_page_form_post(struct req *r, const struct child_form *f)
{
	struct child_form_post p = {.done = f->done};
	child_page_ctx(r, &p.x);
	int rc = f->submit(r, &p);
	child_page_answer(r, rc, &p.ce, &p.fe, p.skip, f, p.done);
}

const char *child_page_typed(struct req *r, const struct child_form_page *p,
			     const char *name)
{
	return p->post ? req_form(r, name) : "";
}

/* Date inputs report on their day field (the GOV.UK error link). */
static const char *page_field(const char *f)
{
	static const char *const dates[][2] = {
		{"dob", "dob-day"},
		{"expected_dob", "expected_dob-day"},
		{"start_date", "start_date-day"},
		{"end_date", "end_date-day"},
		{"review_date", "review_date-day"},
		{"linked_child_id", "linked_la_ref"},
	};
	const char *p = page_pair(dates, sizeof(dates) / sizeof(dates[0]), f);
	return p ? p : f;
}

void child_page_errors(struct req *r, const struct field_errors *ce,
		       struct field_errors *fe, const char *skip)
{
	for (int i = 0; i < ce->n; i++)
		if (skip == NULL || strcmp(ce->v[i].field, skip) != 0)
			fe_set(fe, page_field(ce->v[i].field),
			       arena_strdup(r->a, ce->v[i].msg));
}

const char *child_page_date(struct req *r, const char *name,
			    const char *label, struct field_errors *fe,
			    const char **skip)
{
	const char *d = NULL;
	if (page_date_field(r, false, name, label, fe, &d))
		return d;
	*skip = name;
	return BAD_DATE;
}

void child_page_answer(struct req *r, int rc, const struct field_errors *ce,
		       struct field_errors *fe, const char *skip,
		       const struct child_form *f, const char *done)
{
	if (fe->n || rc == ERR_INVALID) {
		child_page_errors(r, ce, fe, skip);
		child_page_form(r, f, fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_page_path(r, r->ids[0], done));
}

/* ---- sections ----------------------------------------------------------- */

int child_page_rows_keep(struct req *r, void **data, const void *v, int n,
			 int rc)
{
	struct child_page_rows *l = arena_zalloc(r->a, sizeof(*l));
	if (l == NULL)
		return ERR_NOMEM;
	l->v = v;
	l->n = n;
	*data = l;
	return rc;
}

void child_page_update_link(struct req *r, int64_t id, const char *tail,
			    const char *text)
{
	if (req_can(r, PERM_CHILD_UPDATE))
		page_para_link(r, child_page_path(r, id, tail), text);
}

/* ---- the record ------------------------------------------------------ */

static const char *const done_codes[][2] = {
	{"created", "The child's record has been added"},
	{"updated", "The identity details have been changed"},
	{"unchanged", "Nothing was changed"},
	{"address", "The address has been added"},
	{"network", "The person has been added to the family and network"},
	{"network-ended", "The person's involvement has been ended"},
	{"flag", "The warning has been added"},
	{"flag-ended", "The warning has been ended"},
};

/* A list item linking to the record's page `tail`. */
static void li_link(struct req *r, int64_t id, const char *tail,
		    const char *text)
{
	html_raw(page_out(r), "<li>");
	page_link(r, child_page_path(r, id, tail), text);
	html_raw(page_out(r), "</li>");
}

static void render_identity(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void *data)
{
	(void)data;
	page_h2(r, "Identity");
	summary_begin(r);
	summary_row(r, "Name",
		    child_page_name(r, ch->given_name, ch->family_name));
	summary_row(r, "Other names", ch->other_names);
	summary_row(r, "Date of birth", dob_text(r, ch, x->act->today));
	const char *g = child_gender_label_for(ch->gender);
	summary_row(r, "Gender", g ? g : ch->gender);
	const char *e = child_ethnicity_label_for(ch->ethnicity);
	summary_row(r, "Ethnicity", e ? e : ch->ethnicity);
	summary_end(r);
	page_h2(r, "Identifiers");
	summary_begin(r);
	summary_row(r, "LA reference", ch->la_ref);
	summary_row(r, "NHS number", child_page_nhs(r, ch->nhs_number));
	summary_row(r, "Unique pupil number (UPN)", ch->upn);
	summary_end(r);
	bool upd = req_can(r, PERM_CHILD_UPDATE);
	bool hist = req_can(r, PERM_CHILD_HISTORY);
	if (upd || hist) {
		html_raw(page_out(r), "<ul class=\"govuk-list\">");
		if (upd)
			li_link(r, ch->child_id, "/edit",
				"Change identity details");
		if (hist)
			li_link(r, ch->child_id, "/history",
				"See the history of changes");
		html_raw(page_out(r), "</ul>");
	}
}

static void child_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	if (child_page_start(r, &x, &ch) < 0)
		return;
	/* every section this user may see reads what it shows first, in
	 * this one audited transaction; nothing is written before all have */
	int n;
	const struct child_section *sec = child_sections(&n);
	void **data = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*data));
	bool *on = arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*on));
	int rc = data && on ? ERR_OK : ERR_NOMEM;
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		on[i] = req_can(r, sec[i].perm);
		if (on[i] && sec[i].load)
			rc = sec[i].load(r, &x, &ch, &data[i]);
	}
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	r->section_data = data;
	r->section_on = on;
	page_begin(r, child_page_name(r, ch.given_name, ch.family_name), NULL);
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-caption-m\">LA reference ");
	html_text(o, ch.la_ref);
	html_raw(o, "</p>");
	const char *done = page_pair(done_codes, sizeof(done_codes) /
						 sizeof(done_codes[0]),
				     req_query(r, "done"));
	if (done)
		page_banner(r, done);
	for (int i = 0; i < n; i++)
		if (on[i] && sec[i].alert)
			sec[i].alert(r, &ch, data[i]);
	for (int i = 0; i < n; i++) {
		if (!on[i])
			continue;
		if (sec[i].title)
			page_h2(r, sec[i].title);
		sec[i].render(r, &x, &ch, data[i]);
	}
	page_end(r);
	child_page_send(r, 200);
}

/* The record's own sections (web/sections.h). */
const struct child_section child_record_sections[] = {
	{"identity", NULL, PERM_CHILD_READ, 10, NULL, NULL, render_identity},
	{"addresses", "Addresses", PERM_CHILD_READ, 20,
	 child_page_addresses_load, NULL, child_page_addresses_render},
	{"network", "Family and network", PERM_CHILD_NETWORK_READ, 30,
	 child_page_network_load, NULL, child_page_network_render},
	{"warnings", "Warnings", PERM_CHILD_FLAGS_READ, 40,
	 child_page_flags_load, child_page_flags_alert,
	 child_page_flags_render},
	{"viewers", "Who has viewed this record", PERM_CHILD_VIEWERS, 90,
	 child_page_viewers_load, NULL, child_page_viewers_render},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_search[] = {
	{"name", PARAM_LINE, 800, false},
	PAGE_DATE_PARAMS("dob"),
	{"nhs_number", PARAM_LINE, 40, false},
	{"upn", PARAM_LINE, 40, false},
	{"la_ref", PARAM_LINE, 40, false},
	PAGE_NUMBER_PARAM,
	{NULL, 0, 0, false},
};

/* what the search carries to the new child's form */
static const struct param_spec p_new[] = {
	{"name", PARAM_LINE, 800, false},
	PAGE_DATE_PARAMS("dob"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_ident[] = {
	{"given_name", PARAM_LINE, 1000, false},
	{"family_name", PARAM_LINE, 1000, false},
	{"other_names", PARAM_LINE, 2000, false},
	{"dob_status", PARAM_LINE, 16, false},
	PAGE_DATE_PARAMS("dob"),
	PAGE_DATE_PARAMS("expected_dob"),
	{"gender", PARAM_LINE, 4, false},
	{"ethnicity", PARAM_LINE, 16, false},
	{"nhs_number", PARAM_LINE, 40, false},
	{"upn", PARAM_LINE, 40, false},
	{"confirm_not_duplicate", PARAM_LINE, 4, false},
	{"version", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_record[] = {
	{"done", PARAM_LINE, 20, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_viewers[] = {
	{"before", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_address[] = {
	{"line1", PARAM_LINE, 1000, false},
	{"line2", PARAM_LINE, 1000, false},
	{"town", PARAM_LINE, 500, false},
	{"postcode", PARAM_LINE, 20, false},
	PAGE_DATE_PARAMS("start_date"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_member[] = {
	{"kind", PARAM_LINE, 20, false},
	{"name", PARAM_LINE, 1000, false},
	{"relationship", PARAM_LINE, 1000, false},
	{"org_id", PARAM_INT, 20, false},
	{"phone", PARAM_LINE, 60, false},
	{"linked_la_ref", PARAM_LINE, 40, false},
	{"parental_responsibility", PARAM_LINE, 4, false},
	PAGE_DATE_PARAMS("start_date"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_member_end[] = {
	PAGE_DATE_PARAMS("end_date"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_flag[] = {
	{"kind", PARAM_LINE, 20, false},
	{"text", PARAM_TEXT, 4000, false},
	PAGE_DATE_PARAMS("review_date"),
	{NULL, 0, 0, false},
};

const struct route child_page_routes[] = {
	{HTTP_GET, "/children", PERM_CHILD_SEARCH, 0, p_search,
	 child_page_search, "Find a child", NULL},
	{HTTP_GET, "/children/new", PERM_CHILD_CREATE, 0, p_new, child_page_new,
	 "Add a child: form", NULL},
	{HTTP_POST, "/children", PERM_CHILD_CREATE, ROUTE_FORM, p_ident,
	 child_page_create, "Add a child", NULL},
	{HTTP_GET, "/children/{id}", PERM_CHILD_READ, 0, p_record, child_page,
	 "A child's record", NULL},
	{HTTP_GET, "/children/{id}/edit", PERM_CHILD_UPDATE, 0, NULL,
	 child_page_edit_get, "Change identity details: form", NULL},
	{HTTP_POST, "/children/{id}/edit", PERM_CHILD_UPDATE, ROUTE_FORM, p_ident,
	 child_page_edit_post, "Change identity details", NULL},
	{HTTP_GET, "/children/{id}/history", PERM_CHILD_HISTORY, 0, NULL,
	 child_page_history, "History of identity changes", NULL},
	{HTTP_GET, "/children/{id}/viewers", PERM_CHILD_VIEWERS, 0, p_viewers,
	 child_page_viewers, "Everyone who has viewed the record", NULL},
	{HTTP_GET, "/children/{id}/addresses/new", PERM_CHILD_UPDATE, 0, NULL,
	 child_page_address_new, "Add an address: form", NULL},
	{HTTP_POST, "/children/{id}/addresses", PERM_CHILD_UPDATE, ROUTE_FORM,
	 p_address, child_page_address_create, "Add an address", NULL},
	{HTTP_GET, "/children/{id}/network/new", PERM_CHILD_UPDATE, 0, NULL,
	 child_page_member_new, "Add a network member: form", NULL},
	{HTTP_POST, "/children/{id}/network", PERM_CHILD_UPDATE, ROUTE_FORM,
	 p_member, child_page_member_create, "Add a network member", NULL},
	{HTTP_GET, "/children/{id}/network/{id}/end", PERM_CHILD_UPDATE, 0, NULL,
	 child_page_member_end_get, "End a network member's involvement: form",
	 NULL},
	{HTTP_POST, "/children/{id}/network/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_FORM, p_member_end, child_page_member_end_post,
	 "End a network member's involvement", NULL},
	{HTTP_GET, "/children/{id}/flags/new", PERM_CHILD_UPDATE, 0, NULL,
	 child_page_flag_new, "Add a warning: form", NULL},
	{HTTP_POST, "/children/{id}/flags", PERM_CHILD_UPDATE, ROUTE_FORM, p_flag,
	 child_page_flag_create, "Add a warning", NULL},
	{HTTP_POST, "/children/{id}/flags/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_FORM, NULL, child_page_flag_end, "End a warning", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
