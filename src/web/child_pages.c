/*
 * child_pages.c: the child's record in the browser (GOV.UK Design
 * System, no JavaScript): find a child, add a child (with the
 * possible-duplicate step), the record page with its sections, editing
 * identity (with field history), addresses, family and network, and
 * warnings.  Domain rules live in child/child.h; this file turns forms
 * into its input structs and its results into pages.
 *
 * Every page that shows a child's data reads it inside one write
 * transaction together with its audit row (child_read / child_search),
 * renders, commits, and only then is the page sent; a failed commit
 * replaces the page with an error.  A POST that fails validation
 * re-renders its form with the GOV.UK error summary, every typed value
 * kept, status 422; a success redirects (303) to the record with a
 * ?done= code mapped to a fixed banner.
 */
#include "audit/audit.h"
#include "child/child.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SEARCH_PAGE_SIZE 20
#define VIEWERS_SHOWN 20

/* ---- common helpers -------------------------------------------------- */

void child_page_ctx(struct req *r, struct child_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->act = &r->act;
	x->names = r->app ? r->app->names : NULL; /* the application's */
	x->audit_shown = req_audit_shown_cb; /* searches: group commit */
	x->audit_arg = r;
	x->seen = arena_zalloc(r->a, sizeof(*x->seen)); /* NULL: no memo */
}

/* An error page for a child_err (never for ERR_INVALID). */
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
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (strcmp(f, dates[i][0]) == 0)
			return dates[i][1];
	return f;
}

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

/* The NULL-ended list of strings, joined, in the arena (NULL when over
 * budget, like arena_printf): for texts of any length. */
static const char *join(struct req *r, ...)
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

/* "/children/{id}" then tail (NULL: none), in the arena. */
static const char *child_path(struct req *r, int64_t id, const char *tail)
{
	struct tbuf t = {.n = 0};
	tb_add(&t, "/children/");
	tb_int(&t, id);
	tb_add(&t, tail ? tail : "");
	return tb_dup(r, &t);
}

/* "/children/{id}/{what}/{sub}/end", in the arena. */
static const char *end_path(struct req *r, int64_t id, const char *what,
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

/* Adds the domain's errors, except those on `skip` (a field the page
 * has already reported; NULL skips none). */
static void add_errors_except(struct req *r, const struct field_errors *ce,
			      struct field_errors *fe, const char *skip)
{
	for (int i = 0; i < ce->n; i++)
		if (skip == NULL || strcmp(ce->v[i].field, skip) != 0)
			fe_set(fe, page_field(ce->v[i].field),
				   arena_strdup(r->a, ce->v[i].msg));
}

static void add_errors(struct req *r, const struct field_errors *ce,
		       struct field_errors *fe)
{
	add_errors_except(r, ce, fe, NULL);
}

/* A link back to the record, after a form. */
static void cancel_link(struct req *r, int64_t id)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-body\"><a class=\"govuk-link\"");
	html_attr(o, "href", child_path(r, id, NULL));
	html_raw(o, ">Cancel and go back to the record</a></p>");
}

/* A date the page found wrong is passed to the domain as this, which it
 * refuses on that field before writing anything; its message for the
 * field is then dropped in favour of the page's. */
#define BAD_DATE "bad-date"


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

/* "27 March 2015" for 'YYYY-MM-DD'; "" for ""; the text itself when it
 * does not parse. */
static const char *human_date(struct req *r, const char *ymd)
{
	if (ymd == NULL || ymd[0] == '\0')
		return "";
	struct tbuf t = {.n = 0};
	return tb_date(&t, ymd, strlen(ymd)) ? tb_dup(r, &t) : ymd;
}

/* "12 June 2024, 13:03 UTC" for 'YYYY-MM-DDTHH:MM:SSZ'. */
static const char *human_time(struct req *r, const char *t)
{
	if (t == NULL || strlen(t) < 16)
		return t ? t : "";
	struct tbuf b = {.n = 0};
	if (!tb_date(&b, t, 10))
		tb_addn(&b, t, 10);
	tb_add(&b, ", ");
	tb_addn(&b, t + 11, strnlen(t + 11, 5));
	tb_add(&b, " UTC");
	return tb_dup(r, &b);
}

static const char *full_name(struct req *r, const char *given,
			     const char *family)
{
	return join(r, given, " ", family, (const char *)NULL);
}

static const char *nhs_spaced(struct req *r, const char *n)
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
			return join(r, ch->dob, " (age 0)", (const char *)NULL);
		tb_add(&t, " (age ");
		tb_int(&t, age < 0 ? 0 : age);
		tb_add(&t, ")");
		return tb_dup(r, &t);
	}
	if (ch->expected_dob[0]) {
		tb_add(&t, "Not born yet: expected ");
		if (!tb_date(&t, ch->expected_dob, strlen(ch->expected_dob)))
			return join(r, "Not born yet: expected ", ch->expected_dob,
				    (const char *)NULL);
		return tb_dup(r, &t);
	}
	return "Not known";
}

/* ---- tables ---------------------------------------------------------- */

/* A table whose caption is shown as a heading (search results), or,
 * when a section's h2 already names it, kept for screen readers only. */
static void table_begin_as(struct sbuf *o, const char *caption,
			   const char *const *heads, int n, bool visible)
{
	html_raw(o, visible ? "<table class=\"govuk-table\"><caption class=\""
			      "govuk-table__caption govuk-table__caption--m\">"
			    : "<table class=\"govuk-table\"><caption class=\""
			      "govuk-visually-hidden\">");
	html_text(o, caption);
	html_raw(o, "</caption><thead class=\"govuk-table__head\">"
		    "<tr class=\"govuk-table__row\">");
	for (int i = 0; i < n; i++) {
		html_raw(o, "<th scope=\"col\" class=\"govuk-table__header\">");
		html_text(o, heads[i]);
		html_raw(o, "</th>");
	}
	html_raw(o, "</tr></thead><tbody class=\"govuk-table__body\">");
}

static void table_begin(struct sbuf *o, const char *caption,
			const char *const *heads, int n)
{
	table_begin_as(o, caption, heads, n, false);
}

static void table_end(struct sbuf *o)
{
	html_raw(o, "</tbody></table>");
}

static void tr_begin(struct sbuf *o)
{
	html_raw(o, "<tr class=\"govuk-table__row\">");
}

static void tr_end(struct sbuf *o)
{
	html_raw(o, "</tr>");
}

static void td(struct sbuf *o, const char *text)
{
	html_raw(o, "<td class=\"govuk-table__cell\">");
	html_text(o, text);
	html_raw(o, "</td>");
}

static void link(struct sbuf *o, const char *href, const char *text)
{
	html_raw(o, "<a class=\"govuk-link\"");
	html_attr(o, "href", href);
	html_raw(o, ">");
	html_text(o, text);
	html_raw(o, "</a>");
}

static void para(struct sbuf *o, const char *text)
{
	html_raw(o, "<p class=\"govuk-body\">");
	html_text(o, text);
	html_raw(o, "</p>");
}

static void h2(struct sbuf *o, const char *text)
{
	html_raw(o, "<h2 class=\"govuk-heading-m\">");
	html_text(o, text);
	html_raw(o, "</h2>");
}

/* A caption above the h1 cannot be placed by page_begin, so the child's
 * name goes in a paragraph right after it. */
void child_page_caption(struct req *r, const struct child *ch)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-caption-m\">");
	html_text(o, full_name(r, ch->given_name, ch->family_name));
	html_raw(o, " (");
	html_text(o, ch->la_ref);
	html_raw(o, ")</p>");
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
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return -1;
	}
	return 0;
}

/* ---- find a child ---------------------------------------------------- */

static const char *const search_keys[] = {
	"name", "dob-day", "dob-month", "dob-year", "nhs_number", "upn",
	"la_ref", NULL,
};

static void search_form(struct req *r, const struct field_errors *fe)
{
	struct sbuf *o = page_out(r);
	form_begin_get(r, "/children");
	form_input(r, fe, "name", "Name",
		   "Given name and family name, or one of them. The spelling "
		   "does not need to be exact.", req_query(r, "name"),
		   "govuk-!-width-two-thirds", "off", NULL);
	form_date(r, fe, "dob", "Date of birth", "For example, 27 3 2015",
		  req_query(r, "dob-day"), req_query(r, "dob-month"),
		  req_query(r, "dob-year"));
	form_input(r, fe, "nhs_number", "NHS number", "For example, 943 476 5919",
		   req_query(r, "nhs_number"), "govuk-input--width-10", "off",
		   NULL);
	form_input(r, fe, "upn", "Unique pupil number (UPN)",
		   "13 characters, for example B801200005001",
		   req_query(r, "upn"), "govuk-input--width-20", "off", NULL);
	form_input(r, fe, "la_ref", "LA reference", "For example, NWD0001234",
		   req_query(r, "la_ref"), "govuk-input--width-10", "off", NULL);
	form_button(r, "Search", false);
	form_end(r);
	if (req_can(r, PERM_CHILD_CREATE)) {
		html_raw(o, "<p class=\"govuk-body\">");
		link(o, "/children/new", "Add a new child");
		html_raw(o, "</p>");
	}
}

static void search_results(struct req *r, const struct child_results *res,
			   int64_t page)
{
	struct sbuf *o = page_out(r);
	if (res->total == 0) {
		h2(o, "No children found");
		para(o, "Check the spelling, or search by date of birth, NHS "
			"number, UPN or LA reference.");
		return;
	}
	static const char *const heads[] = {"Name", "Date of birth",
					    "LA reference"};
	const char *cap = res->total == 1
		? "1 child found"
		: arena_printf(r->a, "%lld children found, closest match first",
			       (long long)res->total);
	table_begin_as(o, cap, heads, 3, true);
	for (int i = 0; i < res->n; i++) {
		const struct child_match *m = &res->v[i];
		tr_begin(o);
		html_raw(o, "<td class=\"govuk-table__cell\">");
		link(o, child_path(r, m->child_id, NULL),
		     full_name(r, m->given_name, m->family_name));
		html_raw(o, "</td>");
		if (m->dob[0])
			td(o, human_date(r, m->dob));
		else if (m->expected_dob[0])
			td(o, arena_printf(r->a, "Expected %s",
					   human_date(r, m->expected_dob)));
		else
			td(o, "Not known");
		td(o, m->la_ref);
		tr_end(o);
	}
	table_end(o);
	char prev[24], next[24];
	snprintf(prev, sizeof(prev), "%lld", (long long)(page - 1));
	snprintf(next, sizeof(next), "%lld", (long long)(page + 1));
	page_pagination(r, page > 1 ? page_href(r, "/children", search_keys,
						 "page", prev) : NULL,
			res->next_offset >= 0
				? page_href(r, "/children", search_keys, "page",
					    next) : NULL);
}

static void children_search(struct req *r)
{
	struct field_errors fe = {0};
	struct child_ctx x;
	child_page_ctx(r, &x);
	const char *dob = NULL;
	page_date_field(r, true, "dob", "Date of birth", &fe, &dob);
	const char *name = page_trim(r, req_query(r, "name"));
	const char *nhs = page_trim(r, req_query(r, "nhs_number"));
	const char *upn = page_trim(r, req_query(r, "upn"));
	const char *ref = page_trim(r, req_query(r, "la_ref"));
	bool searched = name || dob || nhs || upn || ref || fe.n;
	int64_t page = 1;
	const char *p = req_query(r, "page");
	if (p && p[0] && !str_to_i64z(p, 1, 1000, &page))
		page = 1;
	struct child_results res = {0};
	if (searched && fe.n == 0) {
		struct child_query q = {name, dob, nhs, upn, ref,
					SEARCH_PAGE_SIZE,
					(page - 1) * SEARCH_PAGE_SIZE};
		struct field_errors ce = {0};
		int rc = child_search(r->db, &x, r->a, &q, &res, &ce);
		if (rc == ERR_INVALID)
			add_errors(r, &ce, &fe);
		else if (rc != ERR_OK) {
			answer_error(r, rc, NULL, NULL);
			return;
		}
	}
	page_begin(r, "Find a child", &fe);
	search_form(r, &fe);
	if (searched && fe.n == 0)
		search_results(r, &res, page);
	page_end(r);
	page_send(r, fe.n ? 422 : 200);
}

/* ---- the identity form (add and change) ------------------------------ */

struct ident_form {
	const char *given_name, *family_name, *other_names, *dob_status;
	const char *dob[3], *edob[3];
	const char *gender, *ethnicity, *nhs_number, *upn, *version;
};

static void split_date(struct req *r, const char *ymd, const char *out[3])
{
	struct cal_date d;
	out[0] = out[1] = out[2] = "";
	if (ymd && cal_date_parse(ymd, strlen(ymd), &d)) {
		out[0] = arena_printf(r->a, "%d", d.d);
		out[1] = arena_printf(r->a, "%d", d.m);
		out[2] = arena_printf(r->a, "%d", d.y);
	}
}

static void ident_from_request(struct req *r, struct ident_form *f)
{
	f->given_name = req_form(r, "given_name");
	f->family_name = req_form(r, "family_name");
	f->other_names = req_form(r, "other_names");
	f->dob_status = req_form(r, "dob_status");
	f->dob[0] = req_form(r, "dob-day");
	f->dob[1] = req_form(r, "dob-month");
	f->dob[2] = req_form(r, "dob-year");
	f->edob[0] = req_form(r, "expected_dob-day");
	f->edob[1] = req_form(r, "expected_dob-month");
	f->edob[2] = req_form(r, "expected_dob-year");
	f->gender = req_form(r, "gender");
	f->ethnicity = req_form(r, "ethnicity");
	f->nhs_number = req_form(r, "nhs_number");
	f->upn = req_form(r, "upn");
	f->version = req_form(r, "version");
}

static void ident_from_child(struct req *r, const struct child *ch,
			     struct ident_form *f)
{
	f->given_name = ch->given_name;
	f->family_name = ch->family_name;
	f->other_names = ch->other_names;
	f->dob_status = ch->dob[0] ? "known" : ch->expected_dob[0] ? "expected"
								   : "unknown";
	split_date(r, ch->dob, f->dob);
	split_date(r, ch->expected_dob, f->edob);
	f->gender = ch->gender;
	f->ethnicity = ch->ethnicity;
	f->nhs_number = nhs_spaced(r, ch->nhs_number);
	f->upn = ch->upn;
	f->version = arena_printf(r->a, "%lld", (long long)ch->version);
}

static const struct choice dob_choices[] = {
	{"known", "Date of birth is known", NULL},
	{"expected", "Not born yet", "Enter the expected date of birth"},
	{"unknown", "Date of birth is not known", NULL},
};

static const struct choice gender_choices[] = {
	{"1", "Male", NULL},
	{"2", "Female", NULL},
	{"9", "Indeterminate", NULL},
	{"0", "Not recorded or unborn", NULL},
};

static void ident_fields(struct req *r, const struct field_errors *fe,
			 const struct ident_form *f)
{
	form_input(r, fe, "given_name", "Given name", NULL, f->given_name,
		   "govuk-!-width-one-half", "off", NULL);
	form_input(r, fe, "family_name", "Family name", NULL, f->family_name,
		   "govuk-!-width-one-half", "off", NULL);
	form_input(r, fe, "other_names", "Other names (optional)",
		   "Middle names, names the child is also known by, or former "
		   "names", f->other_names, "govuk-!-width-two-thirds", "off",
		   NULL);
	form_radios(r, fe, "dob_status", "Date of birth", NULL, dob_choices, 3,
		    f->dob_status);
	form_date(r, fe, "dob", "Date of birth (when known)",
		  "For example, 27 3 2015", f->dob[0], f->dob[1], f->dob[2]);
	form_date(r, fe, "expected_dob", "Expected date of birth (not born yet)",
		  "For example, 14 11 2024", f->edob[0], f->edob[1], f->edob[2]);
	form_radios(r, fe, "gender", "Gender",
		    "As recorded for the children in need census", gender_choices,
		    4, f->gender);
	struct choice eth[CHILD_ETHNICITY_COUNT];
	for (int i = 0; i < CHILD_ETHNICITY_COUNT; i++) {
		eth[i].value = child_ethnicity_code(i);
		eth[i].label = child_ethnicity_label(i);
		eth[i].hint = NULL;
	}
	form_select(r, fe, "ethnicity", "Ethnicity (optional)", NULL, eth,
		    CHILD_ETHNICITY_COUNT, f->ethnicity);
	form_input(r, fe, "nhs_number", "NHS number (optional)",
		   "10 digits, for example 943 476 5919", f->nhs_number,
		   "govuk-input--width-10", "off", NULL);
	form_input(r, fe, "upn", "Unique pupil number (UPN) (optional)",
		   "13 characters, for example B801200005001", f->upn,
		   "govuk-input--width-20", "off", NULL);
}

/* Builds the domain input from the form.  Date parts that cannot make a
 * date are page errors (in fe); the date is then left out. */
static void ident_input(struct req *r, struct child_input *in,
			struct field_errors *fe)
{
	memset(in, 0, sizeof(*in));
	in->given_name = req_form(r, "given_name");
	in->family_name = req_form(r, "family_name");
	in->other_names = req_form(r, "other_names") ? req_form(r, "other_names")
						      : "";
	const char *st = req_form(r, "dob_status");
	const char *d = NULL;
	if (st && strcmp(st, "known") == 0) {
		in->dob_status = CHILD_DOB_KNOWN;
		page_date_field(r, false, "dob", "Date of birth", fe, &d);
		in->dob = d;
	} else if (st && strcmp(st, "expected") == 0) {
		in->dob_status = CHILD_DOB_EXPECTED;
		page_date_field(r, false, "expected_dob", "Expected date of birth",
			   fe, &d);
		in->expected_dob = d;
	} else if (st && strcmp(st, "unknown") == 0) {
		in->dob_status = CHILD_DOB_UNKNOWN;
	}
	in->gender = req_form(r, "gender") ? req_form(r, "gender") : "0";
	in->ethnicity = req_form(r, "ethnicity") ? req_form(r, "ethnicity") : "";
	in->nhs_number = req_form(r, "nhs_number") ? req_form(r, "nhs_number")
						    : "";
	in->upn = req_form(r, "upn") ? req_form(r, "upn") : "";
}

/* Adds the domain's messages for everything but the dates that the page
 * already found wrong. */
static void validate_rest(struct req *r, const struct child_ctx *x,
			  struct child_input in, struct field_errors *fe)
{
	struct field_errors ce = {0};
	in.dob_status = CHILD_DOB_UNKNOWN;
	child_validate(x, r->a, &in, &ce);
	add_errors(r, &ce, fe);
}

static void new_child_form(struct req *r, const struct field_errors *fe,
			   const struct child_match *dups, int ndups,
			   int status)
{
	struct ident_form f = {0};
	if (r->route->method == HTTP_POST)
		ident_from_request(r, &f);
	else
		f.gender = "0";
	sbuf_reset(page_out(r));
	page_begin(r, ndups ? "This child may already have a record"
			    : "Add a new child", fe);
	struct sbuf *o = page_out(r);
	if (ndups) {
		html_raw(o, "<div class=\"govuk-warning-text\"><span class=\""
			    "govuk-warning-text__icon\" aria-hidden=\"true\">!"
			    "</span><strong class=\"govuk-warning-text__text\">"
			    "<span class=\"govuk-visually-hidden\">Warning"
			    "</span>");
		html_text(o, ndups == 1
			? "We found a record that may be the same child. Check it "
			  "before you add a new one."
			: "We found records that may be the same child. Check them "
			  "before you add a new one.");
		html_raw(o, "</strong></div>");
		static const char *const heads[] = {
			"Name", "Date of birth", "LA reference", "Why it matched"};
		table_begin_as(o, "Possible matches", heads, 4, true);
		for (int i = 0; i < ndups; i++) {
			tr_begin(o);
			html_raw(o, "<td class=\"govuk-table__cell\">");
			link(o, child_path(r, dups[i].child_id, NULL),
			     full_name(r, dups[i].given_name,
				       dups[i].family_name));
			html_raw(o, "</td>");
			td(o, dups[i].dob[0] ? human_date(r, dups[i].dob)
					     : "Not known");
			td(o, dups[i].la_ref);
			td(o, dups[i].reason);
			tr_end(o);
		}
		table_end(o);
		para(o, "If none of these is the child, check the details below "
			"and confirm that this is a different child.");
	}
	form_begin(r, "/children");
	if (ndups)
		form_hidden(r, "confirm_not_duplicate", "yes");
	ident_fields(r, fe, &f);
	form_button(r, ndups ? "This is a different child: add the record"
			     : "Add the child", false);
	form_end(r);
	html_raw(o, "<p class=\"govuk-body\">");
	link(o, "/children", "Cancel and go back to search");
	html_raw(o, "</p>");
	page_end(r);
	page_send(r, status);
}

static void children_new(struct req *r)
{
	new_child_form(r, NULL, NULL, 0, 200);
}

static void children_create(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	struct child_input in;
	ident_input(r, &in, &fe);
	if (fe.n) {
		validate_rest(r, &x, in, &fe);
		new_child_form(r, &fe, NULL, 0, 422);
		return;
	}
	const char *confirm = req_form(r, "confirm_not_duplicate");
	bool confirmed = confirm && strcmp(confirm, "yes") == 0;
	struct field_errors ce = {0};
	struct child_match *dups = NULL;
	int ndups = 0;
	int64_t id = 0;
	int rc = child_create(r->db, &x, r->a, &in, confirmed, &id, NULL, &dups,
			      &ndups, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		new_child_form(r, &fe, NULL, 0, 422);
		return;
	}
	if (rc == ERR_DUPLICATE) {
		new_child_form(r, NULL, dups, ndups, 409);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, id, "?done=created"));
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

static const char *member_kind_label(const char *id)
{
	enum child_member_kind k;
	return child_member_kind_parse(id, &k) ? child_member_kind_label(k) : id;
}

static const char *flag_kind_label(const char *id)
{
	enum child_flag_kind k;
	return child_flag_kind_parse(id, &k) ? child_flag_kind_label(k) : id;
}

static void render_identity(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void *data)
{
	(void)data;
	struct sbuf *o = page_out(r);
	h2(o, "Identity");
	summary_begin(r);
	summary_row(r, "Name", full_name(r, ch->given_name, ch->family_name));
	summary_row(r, "Other names", ch->other_names);
	summary_row(r, "Date of birth", dob_text(r, ch, x->act->today));
	const char *g = child_gender_label_for(ch->gender);
	summary_row(r, "Gender", g ? g : ch->gender);
	const char *e = child_ethnicity_label_for(ch->ethnicity);
	summary_row(r, "Ethnicity", e ? e : ch->ethnicity);
	summary_end(r);
	h2(o, "Identifiers");
	summary_begin(r);
	summary_row(r, "LA reference", ch->la_ref);
	summary_row(r, "NHS number", nhs_spaced(r, ch->nhs_number));
	summary_row(r, "Unique pupil number (UPN)", ch->upn);
	summary_end(r);
	if (req_can(r, PERM_CHILD_UPDATE) || req_can(r, PERM_CHILD_HISTORY)) {
		html_raw(o, "<ul class=\"govuk-list\">");
		if (req_can(r, PERM_CHILD_UPDATE)) {
			html_raw(o, "<li>");
			link(o, child_path(r, ch->child_id, "/edit"),
			     "Change identity details");
			html_raw(o, "</li>");
		}
		if (req_can(r, PERM_CHILD_HISTORY)) {
			html_raw(o, "<li>");
			link(o, child_path(r, ch->child_id, "/history"),
			     "See the history of changes");
			html_raw(o, "</li>");
		}
		html_raw(o, "</ul>");
	}
}

/* A loaded list: the rows and how many. */
struct rows {
	void *v;
	int n;
};

static struct rows *rows_new(struct req *r)
{
	return arena_zalloc(r->a, sizeof(struct rows));
}

static int load_addresses(struct req *r, const struct child_ctx *x,
			  const struct child *ch, void **data)
{
	struct rows *l = rows_new(r);
	if (l == NULL)
		return ERR_NOMEM;
	struct child_address *v;
	int rc = child_addresses(r->db, x, r->a, ch->child_id, &v, &l->n);
	l->v = v;
	*data = l;
	return rc;
}

static void render_addresses(struct req *r, const struct child_ctx *x,
			     const struct child *ch, void *data)
{
	(void)x;
	const struct rows *l = data;
	const struct child_address *v = l->v;
	int n = l->n;
	int64_t id = ch->child_id;
	struct sbuf *o = page_out(r);
	if (n == 0) {
		para(o, "No address recorded.");
	} else {
		static const char *const heads[] = {"Address", "Postcode", "From",
						    "To"};
		table_begin(o, "Addresses, current first", heads, 4);
		for (int i = 0; i < n; i++) {
			const struct child_address *d = &v[i];
			tr_begin(o);
			const char *addr = d->line1;
			if (d->line2[0] && d->town[0])
				addr = join(r, addr, ", ", d->line2, ", ", d->town,
					    (const char *)NULL);
			else if (d->line2[0])
				addr = join(r, addr, ", ", d->line2,
					    (const char *)NULL);
			else if (d->town[0])
				addr = join(r, addr, ", ", d->town,
					    (const char *)NULL);
			td(o, addr);
			td(o, d->postcode);
			td(o, human_date(r, d->start_date));
			html_raw(o, "<td class=\"govuk-table__cell\">");
			if (d->end_date[0])
				html_text(o, human_date(r, d->end_date));
			else
				page_tag(r, "Current", "green");
			html_raw(o, "</td>");
			tr_end(o);
		}
		table_end(o);
	}
	if (req_can(r, PERM_CHILD_UPDATE)) {
		html_raw(o, "<p class=\"govuk-body\">");
		link(o, child_path(r, id, "/addresses/new"), "Add a new address");
		html_raw(o, "</p>");
	}
}

static int load_network(struct req *r, const struct child_ctx *x,
			const struct child *ch, void **data)
{
	struct rows *l = rows_new(r);
	if (l == NULL)
		return ERR_NOMEM;
	struct child_member *v;
	int rc = child_network(r->db, x, r->a, ch->child_id, &v, &l->n);
	l->v = v;
	*data = l;
	return rc;
}

static void render_network(struct req *r, const struct child_ctx *x,
			   const struct child *ch, void *data)
{
	(void)x;
	const struct rows *l = data;
	const struct child_member *v = l->v;
	int n = l->n;
	int64_t id = ch->child_id;
	struct sbuf *o = page_out(r);
	bool upd = req_can(r, PERM_CHILD_UPDATE);
	if (n == 0) {
		para(o, "No one recorded yet.");
	} else {
		static const char *const heads[] = {
			"Name", "Who they are", "Organisation", "Telephone",
			"Parental responsibility", "Involved", "Action"};
		table_begin(o, "Family, significant adults and professionals",
			    heads, upd ? 7 : 6);
		for (int i = 0; i < n; i++) {
			const struct child_member *m = &v[i];
			tr_begin(o);
			html_raw(o, "<td class=\"govuk-table__cell\">");
			if (m->linked_child_id > 0)
				link(o, child_path(r, m->linked_child_id, NULL),
				     m->name);
			else
				html_text(o, m->name);
			html_raw(o, "</td>");
			td(o, join(r, member_kind_label(m->kind), ": ",
				   m->relationship, (const char *)NULL));
			td(o, m->org_name);
			td(o, m->phone);
			td(o, m->parental_responsibility ? "Yes" : "No");
			html_raw(o, "<td class=\"govuk-table__cell\">");
			if (m->current) {
				if (m->start_date[0]) {
					html_raw(o, "Since ");
					html_text(o, human_date(r, m->start_date));
					html_raw(o, "<br>");
				}
				page_tag(r, "Current", "green");
			} else if (m->start_date[0]) {
				html_text(o, human_date(r, m->start_date));
				html_text(o, " to ");
				html_text(o, human_date(r, m->end_date));
			} else {
				html_raw(o, "Ended ");
				html_text(o, human_date(r, m->end_date));
			}
			html_raw(o, "</td>");
			if (upd) {
				html_raw(o, "<td class=\"govuk-table__cell\">");
				if (m->end_date[0] == '\0') {
					html_raw(o, "<a class=\"govuk-link\"");
					html_attr(o, "href",
						  end_path(r, id, "/network/",
							   m->member_id));
					html_raw(o, ">End involvement<span "
						    "class=\"govuk-visually-"
						    "hidden\"> of ");
					html_text(o, m->name);
					html_raw(o, "</span></a>");
				}
				html_raw(o, "</td>");
			}
			tr_end(o);
		}
		table_end(o);
	}
	if (upd) {
		html_raw(o, "<p class=\"govuk-body\">");
		link(o, child_path(r, id, "/network/new"),
		     "Add a family member, significant adult or professional");
		html_raw(o, "</p>");
	}
}

static void warning_text(struct sbuf *o, const char *text)
{
	html_raw(o, "<div class=\"govuk-warning-text\"><span class=\"govuk-"
		    "warning-text__icon\" aria-hidden=\"true\">!</span><strong "
		    "class=\"govuk-warning-text__text\"><span class=\"govuk-"
		    "visually-hidden\">Warning</span>");
	html_text(o, text);
	html_raw(o, "</strong></div>");
}

static int load_flags(struct req *r, const struct child_ctx *x,
		      const struct child *ch, void **data)
{
	struct rows *l = rows_new(r);
	if (l == NULL)
		return ERR_NOMEM;
	struct child_flag *v;
	int rc = child_flags(r->db, x, r->a, ch->child_id, &v, &l->n);
	l->v = v;
	*data = l;
	return rc;
}

/* Active warnings, at the top of the page. */
static void alert_flags(struct req *r, const struct child *ch, void *data)
{
	(void)ch;
	const struct rows *l = data;
	const struct child_flag *flags = l->v;
	for (int i = 0; i < l->n; i++)
		if (flags[i].ended_at[0] == '\0')
			warning_text(page_out(r),
				     join(r, flag_kind_label(flags[i].kind),
					  ": ", flags[i].text,
					  flags[i].overdue ? " (review overdue)"
							   : "",
					  (const char *)NULL));
}

static void render_flags(struct req *r, const struct child_ctx *x,
			 const struct child *ch, void *data)
{
	const struct rows *l = data;
	const struct child_flag *v = l->v;
	int n = l->n;
	int64_t id = ch->child_id;
	struct sbuf *o = page_out(r);
	bool upd = req_can(r, PERM_CHILD_UPDATE);
	if (n == 0) {
		para(o, "No warnings recorded.");
	} else {
		static const char *const heads[] = {"Kind", "Warning", "Review by",
						    "Status", "Action"};
		table_begin(o, "Warnings, active first", heads, upd ? 5 : 4);
		for (int i = 0; i < n; i++) {
			const struct child_flag *f = &v[i];
			tr_begin(o);
			td(o, flag_kind_label(f->kind));
			td(o, f->text);
			td(o, human_date(r, f->review_date));
			html_raw(o, "<td class=\"govuk-table__cell\">");
			if (f->ended_at[0]) {
				html_raw(o, "Ended ");
				html_text(o, human_time(r, f->ended_at));
			} else if (f->overdue) {
				page_tag(r, "Review overdue", "red");
			} else {
				page_tag(r, "Active", "yellow");
			}
			html_raw(o, "</td>");
			if (upd) {
				html_raw(o, "<td class=\"govuk-table__cell\">");
				if (f->ended_at[0] == '\0') {
					form_begin(r, end_path(r, id, "/flags/",
							       f->flag_id));
					html_raw(o, "<button type=\"submit\" class="
						    "\"govuk-button govuk-button--"
						    "secondary govuk-!-margin-"
						    "bottom-0\" data-module=\"govuk-"
						    "button\">End warning<span "
						    "class=\"govuk-visually-hidden"
						    "\">: ");
					html_text(o, flag_kind_label(f->kind));
					html_raw(o, "</span></button>");
					form_end(r);
				}
				html_raw(o, "</td>");
			}
			tr_end(o);
		}
		table_end(o);
	}
	if (upd) {
		html_raw(o, "<p class=\"govuk-body\">");
		link(o, child_path(r, id, "/flags/new"), "Add a warning");
		html_raw(o, "</p>");
	}
	(void)x;
}

/* What an audit row did, in words. */
static const char *audit_what(struct req *r, const char *action,
			      const char *entity)
{
	static const char *const words[][3] = {
		{"read", "child", "Viewed the record"},
		{"create", "child", "Added the record"},
		{"update", "child", "Changed identity details"},
		{"create", "address", "Added an address"},
		{"create", "network_member", "Added someone to the network"},
		{"end", "network_member", "Ended someone's involvement"},
		{"create", "flag", "Added a warning"},
		{"end", "flag", "Ended a warning"},
		{"search", "child", "Saw it in search results"},
		{"list", "referral", "Saw it in a list of referrals"},
		{"list", "contact", "Saw it in a list of contacts"},
		{"list", "flag", "Saw it in a list of warnings to review"},
		{"read", "viewers", "Looked at who has viewed the record"},
	};
	/* refusals name the route asked for: say what happened */
	if (strcmp(action, "refused") == 0)
		return "Asked for it and was refused";
	if (strcmp(action, "not found") == 0)
		return "Asked for it and was not shown it";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(action, words[i][0]) == 0 &&
		    strcmp(entity, words[i][1]) == 0)
			return words[i][2];
	char *t = arena_printf(r->a, "%s: %s", action, entity);
	for (char *p = t; p && *p; p++)
		if (*p == '_')
			*p = ' ';
	if (t && t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

/* Audit rows about a child, read for the viewers table. */
struct viewer {
	const char *at, *username, *role, *what;
};

struct viewers {
	struct req *r;
	struct viewer *v;
	int n;
	int shown;          /* rows to show; one more is read to see if
			     * there are older ones */
	int64_t before;     /* the rows are older than this (0: newest) */
	int64_t last_seq;   /* the oldest row shown */
	bool more;
	bool nomem;
};

static int viewer_row(const struct audit_row *a, void *arg)
{
	struct viewers *v = arg;
	if (v->n == v->shown) {
		v->more = true;
		return 1;
	}
	v->last_seq = a->seq;
	struct viewer *w = &v->v[v->n++];
	enum role rl;
	w->at = human_time(v->r, a->at);
	w->username = arena_strdup(v->r->a, a->username);
	w->role = role_parse(a->role, &rl) ? role_label(rl)
					   : arena_strdup(v->r->a, a->role);
	w->what = audit_what(v->r, a->action, a->entity);
	if (w->username == NULL || w->role == NULL || w->what == NULL) {
		v->nomem = true;
		return 1;
	}
	return 0;
}

/* Reads up to `shown` rows older than `before` (0: the newest). */
static int viewers_load(struct req *r, int64_t id, int64_t before, int shown,
			struct viewers *v)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->shown = shown;
	v->before = before;
	v->v = arena_alloc(r->a, (size_t)shown * sizeof(*v->v));
	if (v->v == NULL)
		return ERR_NOMEM;
	int rc = audit_child_rows(r->db, r->user.council, id, before,
				  shown + 1, viewer_row, v);
	if (rc < 0)
		return rc == DB_EDENIED ? ERR_DENIED : ERR_STORE;
	return v->nomem ? ERR_NOMEM : ERR_OK;
}

static void viewers_render(struct req *r, const struct viewers *v)
{
	struct sbuf *o = page_out(r);
	if (v->n == 0) {
		para(o, v->before ? "No older entries." : "No one yet.");
		return;
	}
	static const char *const heads[] = {"When", "Who", "Role", "What"};
	table_begin(o, "Who has viewed this record (newest first)", heads, 4);
	for (int i = 0; i < v->n; i++) {
		tr_begin(o);
		td(o, v->v[i].at);
		td(o, v->v[i].username);
		td(o, v->v[i].role);
		td(o, v->v[i].what);
		tr_end(o);
	}
	table_end(o);
}

static int load_viewers(struct req *r, const struct child_ctx *x,
			const struct child *ch, void **data)
{
	(void)x;
	struct viewers *v = arena_alloc(r->a, sizeof(*v));
	if (v == NULL)
		return ERR_NOMEM;
	*data = v;
	return viewers_load(r, ch->child_id, 0, VIEWERS_SHOWN, v);
}

static void render_viewers(struct req *r, const struct child_ctx *x,
			   const struct child *ch, void *data)
{
	(void)x;
	const struct viewers *v = data;
	struct sbuf *o = page_out(r);
	viewers_render(r, v);
	if (v->more) {
		html_raw(o, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
			    "href=\"");
		html_text(o, child_path(r, ch->child_id, "/viewers"));
		html_raw(o, "\">See everyone who has viewed this record</a></p>");
	}
}

#define VIEWERS_PAGE 50

/* All who have viewed the record, VIEWERS_PAGE at a time, newest first:
 * ?before=SEQ shows the entries older than SEQ. */
static void child_viewers_page(struct req *r)
{
	int64_t id = r->ids[0], before = 0;
	const char *b = req_query(r, "before");
	if (b && b[0] && !str_to_i64z(b, 1, INT64_MAX, &before)) {
		page_error(r, 400, "Bad request", "The page in the web address "
			   "is not valid.");
		return;
	}
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, id, &ch) < 0)
		return;
	struct viewers vw;
	int rc = viewers_load(r, id, before, VIEWERS_PAGE, &vw);
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	bool more = vw.more;
	int64_t last = vw.last_seq;
	page_begin(r, "Who has viewed this record", NULL);
	child_page_caption(r, &ch);
	viewers_render(r, &vw);
	struct sbuf *o = page_out(r);
	if (more || before) {
		html_raw(o, "<nav class=\"govuk-pagination\" "
			    "aria-label=\"Pages of entries\">");
		if (before) {
			html_raw(o, "<div class=\"govuk-pagination__prev\"><a "
				    "class=\"govuk-link govuk-pagination__link\" "
				    "href=\"");
			html_text(o, child_path(r, id, "/viewers"));
			html_raw(o, "\" rel=\"prev\"><span class=\""
				    "govuk-pagination__link-title\">Newest "
				    "entries</span></a></div>");
		}
		if (more) {
			html_raw(o, "<div class=\"govuk-pagination__next\"><a "
				    "class=\"govuk-link govuk-pagination__link\" "
				    "href=\"");
			html_text(o, arena_printf(r->a, "%s?before=%lld",
						  child_path(r, id, "/viewers"),
						  (long long)last));
			html_raw(o, "\" rel=\"next\"><span class=\""
				    "govuk-pagination__link-title\">Older "
				    "entries</span></a></div>");
		}
		html_raw(o, "</nav>");
	}
	html_raw(o, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"");
	html_text(o, child_path(r, id, NULL));
	html_raw(o, "\">Back to the record</a></p>");
	page_end(r);
	child_page_send(r, 200);
}

static void child_page(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, id, &ch) < 0)
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
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, full_name(r, ch.given_name, ch.family_name), NULL);
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-caption-m\">LA reference ");
	html_text(o, ch.la_ref);
	html_raw(o, "</p>");
	const char *done = req_query(r, "done");
	for (size_t i = 0; done && i < sizeof(done_codes) / sizeof(done_codes[0]);
	     i++)
		if (strcmp(done, done_codes[i][0]) == 0)
			page_banner(r, done_codes[i][1]);
	for (int i = 0; i < n; i++)
		if (on[i] && sec[i].alert)
			sec[i].alert(r, &ch, data[i]);
	for (int i = 0; i < n; i++) {
		if (!on[i])
			continue;
		if (sec[i].title)
			h2(o, sec[i].title);
		sec[i].render(r, &x, &ch, data[i]);
	}
	page_end(r);
	child_page_send(r, 200);
}

/* The record's own sections (web/sections.h). */
const struct child_section child_record_sections[] = {
	{"identity", NULL, PERM_CHILD_READ, 10, NULL, NULL, render_identity},
	{"addresses", "Addresses", PERM_CHILD_READ, 20, load_addresses, NULL,
	 render_addresses},
	{"network", "Family and network", PERM_CHILD_NETWORK_READ, 30,
	 load_network, NULL, render_network},
	{"warnings", "Warnings", PERM_CHILD_FLAGS_READ, 40, load_flags,
	 alert_flags, render_flags},
	{"viewers", "Who has viewed this record", PERM_CHILD_VIEWERS, 90,
	 load_viewers, NULL, render_viewers},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- change identity ------------------------------------------------- */

static void edit_form(struct req *r, const struct child *ch,
		      const struct ident_form *f, const struct field_errors *fe)
{
	sbuf_reset(page_out(r));
	page_begin(r, "Change identity details", fe);
	child_page_caption(r, ch);
	form_begin(r, child_path(r, ch->child_id, "/edit"));
	form_hidden(r, "version", f->version);
	ident_fields(r, fe, f);
	form_button(r, "Save changes", false);
	form_end(r);
	cancel_link(r, ch->child_id);
	page_end(r);
}

static void child_edit_get(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct ident_form f;
	ident_from_child(r, &ch, &f);
	edit_form(r, &ch, &f, NULL);
	child_page_send(r, 200);
}

/* Re-renders the edit form with what was typed. */
static void edit_again(struct req *r, struct child_ctx *x,
		       const struct field_errors *fe, int status)
{
	struct child ch;
	if (child_page_open(r, x, r->ids[0], &ch) < 0)
		return;
	struct ident_form f;
	ident_from_request(r, &f);
	edit_form(r, &ch, &f, fe);
	child_page_send(r, status);
}

static void child_edit_post(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	int64_t version;
	const char *vs = req_form(r, "version");
	if (vs == NULL || !str_to_i64z(vs, 1, INT64_MAX, &version)) {
		page_error(r, 400, "Bad request",
			   "The form is missing the record's version. Go back, "
			   "reload the page and try again.");
		return;
	}
	struct child_input in;
	ident_input(r, &in, &fe);
	if (fe.n) {
		validate_rest(r, &x, in, &fe);
		edit_again(r, &x, &fe, 422);
		return;
	}
	struct field_errors ce = {0};
	int64_t nv = 0;
	int rc = child_update(r->db, &x, r->a, id, version, &in, &nv, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		edit_again(r, &x, &fe, 422);
		return;
	}
	if (rc == ERR_CONFLICT) {
		fe_set(&fe, "given_name",
			   "Someone else changed this record after you opened "
			   "this page, so your changes have not been saved. "
			   "Open the record again to see their changes, then "
			   "make yours.");
		edit_again(r, &x, &fe, 409);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, id, nv == version ? "?done=unchanged"
							 : "?done=updated"));
}

static const char *field_label(const char *f)
{
	static const char *const labels[][2] = {
		{"given_name", "Given name"},
		{"family_name", "Family name"},
		{"other_names", "Other names"},
		{"dob", "Date of birth"},
		{"expected_dob", "Expected date of birth"},
		{"gender", "Gender"},
		{"ethnicity", "Ethnicity"},
		{"nhs_number", "NHS number"},
		{"upn", "Unique pupil number (UPN)"},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(f, labels[i][0]) == 0)
			return labels[i][1];
	return f;
}

static const char *field_value(struct req *r, const char *field,
			       const char *v)
{
	if (v == NULL || v[0] == '\0')
		return "(none)";
	if (strcmp(field, "dob") == 0 || strcmp(field, "expected_dob") == 0)
		return human_date(r, v);
	if (strcmp(field, "gender") == 0 && child_gender_label_for(v))
		return child_gender_label_for(v);
	if (strcmp(field, "ethnicity") == 0 && child_ethnicity_label_for(v))
		return child_ethnicity_label_for(v);
	if (strcmp(field, "nhs_number") == 0)
		return nhs_spaced(r, v);
	return v;
}

static void child_history_page(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, id, &ch) < 0)
		return;
	struct child_change *v;
	int n;
	int rc = child_history_list(r->db, &x, r->a, id, &v, &n);
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "History of changes", NULL);
	child_page_caption(r, &ch);
	struct sbuf *o = page_out(r);
	if (n == 0) {
		para(o, "The identity details have not been changed since the "
			"record was added.");
	} else {
		static const char *const heads[] = {"When", "What", "From", "To",
						    "Changed by"};
		table_begin(o, "Changes to identity details, newest first",
			    heads, 5);
		for (int i = 0; i < n; i++) {
			tr_begin(o);
			td(o, human_time(r, v[i].at));
			td(o, field_label(v[i].field));
			td(o, field_value(r, v[i].field, v[i].old_value));
			td(o, field_value(r, v[i].field, v[i].new_value));
			td(o, v[i].user_name[0]
				? v[i].user_name
				: arena_printf(r->a, "User %lld",
					       (long long)v[i].user_id));
			tr_end(o);
		}
		table_end(o);
	}
	page_end(r);
	child_page_send(r, 200);
}

/* ---- addresses ------------------------------------------------------- */

static void address_form(struct req *r, const struct field_errors *fe,
			 int status)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	bool post = r->route->method == HTTP_POST;
	sbuf_reset(page_out(r));
	page_begin(r, "Add a new address", fe);
	child_page_caption(r, &ch);
	para(page_out(r), "The new address becomes the current one. The "
			  "current address ends on the day this one starts.");
	form_begin(r, child_path(r, ch.child_id, "/addresses"));
	form_input(r, fe, "line1", "Address line 1", NULL,
		   post ? req_form(r, "line1") : "", NULL, "off", NULL);
	form_input(r, fe, "line2", "Address line 2 (optional)", NULL,
		   post ? req_form(r, "line2") : "", NULL, "off", NULL);
	form_input(r, fe, "town", "Town or city (optional)", NULL,
		   post ? req_form(r, "town") : "", "govuk-!-width-two-thirds",
		   "off", NULL);
	form_input(r, fe, "postcode", "Postcode", NULL,
		   post ? req_form(r, "postcode") : "", "govuk-input--width-10",
		   "off", NULL);
	form_date(r, fe, "start_date", "Date the child started living here",
		  "For example, 1 5 2024",
		  post ? req_form(r, "start_date-day") : "",
		  post ? req_form(r, "start_date-month") : "",
		  post ? req_form(r, "start_date-year") : "");
	form_button(r, "Add the address", false);
	form_end(r);
	cancel_link(r, ch.child_id);
	page_end(r);
	child_page_send(r, status);
}

static void address_new(struct req *r)
{
	address_form(r, NULL, 200);
}

static void address_create(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	const char *start = NULL;
	bool date_ok = page_date_field(r, false, "start_date", "Start date", &fe,
				  &start);
	struct child_address_input in = {
		req_form(r, "line1"), req_form(r, "line2"), req_form(r, "town"),
		req_form(r, "postcode"), date_ok ? start : BAD_DATE,
	};
	struct field_errors ce = {0};
	int64_t aid;
	int rc;
	if (!date_ok) {
		child_address_add(r->db, &x, r->ids[0], &in, &aid, &ce);
		add_errors_except(r, &ce, &fe, "start_date");
		address_form(r, &fe, 422);
		return;
	}
	rc = child_address_add(r->db, &x, r->ids[0], &in, &aid, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		address_form(r, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, r->ids[0], "?done=address"));
}

/* ---- family and network ---------------------------------------------- */

struct org_choices {
	struct req *r;
	struct choice *v;
	int n, cap;
};

static int org_choice(int64_t org_id, const char *name, void *arg)
{
	struct org_choices *oc = arg;
	if (oc->n == oc->cap)
		return 0;
	oc->v[oc->n].value = arena_printf(oc->r->a, "%lld", (long long)org_id);
	oc->v[oc->n].label = arena_strdup(oc->r->a, name);
	oc->v[oc->n].hint = NULL;
	oc->n++;
	return 0;
}

static const struct choice kind_choices[] = {
	{"parent", "Parent", NULL},
	{"carer", "Carer", "Someone who looks after the child, such as a "
			   "step-parent or kinship carer"},
	{"sibling", "Brother or sister", NULL},
	{"significant_adult", "Significant adult",
	 "Someone important to the child, such as a grandparent, family "
	 "friend or mentor"},
	{"professional", "Professional",
	 "For example the lead professional, school DSL, GP or health visitor"},
};

static const struct choice yes_no[] = {
	{"yes", "Yes", NULL},
	{"no", "No", NULL},
};

static void member_form(struct req *r, const struct field_errors *fe,
			int status)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct org_choices oc = {r, NULL, 0, 200};
	oc.v = arena_alloc(r->a, (size_t)oc.cap * sizeof(*oc.v));
	int rc = oc.v ? child_orgs(r->db, &x, org_choice, &oc) : ERR_NOMEM;
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	bool post = r->route->method == HTTP_POST;
#define V(name) (post ? req_form(r, name) : "")
	sbuf_reset(page_out(r));
	page_begin(r, "Add someone to the family and network", fe);
	child_page_caption(r, &ch);
	form_begin(r, child_path(r, ch.child_id, "/network"));
	form_radios(r, fe, "kind", "Who is this person to the child?", NULL,
		    kind_choices, 5, V("kind"));
	form_input(r, fe, "name", "Full name", NULL, V("name"),
		   "govuk-!-width-two-thirds", "off", NULL);
	form_input(r, fe, "relationship", "Relationship or role",
		   "For example mother, grandfather, older brother, lead "
		   "professional, school DSL, GP or health visitor",
		   V("relationship"), "govuk-!-width-two-thirds", "off", NULL);
	form_select(r, fe, "org_id", "Organisation (professionals only)", NULL,
		    oc.v, oc.n, V("org_id"));
	form_input(r, fe, "phone", "Telephone (optional)", NULL, V("phone"),
		   "govuk-input--width-20", "off", "tel");
	form_input(r, fe, "linked_la_ref",
		   "Their own record's LA reference (optional)",
		   "For a brother or sister who has a record, for example "
		   "NWD0001234", V("linked_la_ref"), "govuk-input--width-10",
		   "off", NULL);
	form_radios(r, fe, "parental_responsibility",
		    "Do they have parental responsibility?", NULL, yes_no, 2,
		    post ? req_form(r, "parental_responsibility") : "no");
	form_date(r, fe, "start_date", "Involved since (optional)",
		  "For example, 1 9 2023", V("start_date-day"),
		  V("start_date-month"), V("start_date-year"));
#undef V
	form_button(r, "Add the person", false);
	form_end(r);
	cancel_link(r, ch.child_id);
	page_end(r);
	child_page_send(r, status);
}

static void member_new(struct req *r)
{
	member_form(r, NULL, 200);
}

static void member_create(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	const char *start = NULL;
	bool date_ok = page_date_field(r, false, "start_date", "Involved since", &fe,
				  &start);
	struct child_member_input in = {0};
	in.kind = req_form(r, "kind");
	in.name = req_form(r, "name");
	in.relationship = req_form(r, "relationship");
	in.phone = req_form(r, "phone");
	const char *org = req_form(r, "org_id");
	if (org && org[0] && !str_to_i64z(org, 1, INT64_MAX, &in.org_id))
		fe_set(&fe, "org_id", "Select the organisation from the list");
	in.linked_la_ref = req_form(r, "linked_la_ref");
	const char *pr = req_form(r, "parental_responsibility");
	in.parental_responsibility = pr && strcmp(pr, "yes") == 0;
	in.start_date = date_ok ? start : BAD_DATE;
	struct field_errors ce = {0};
	int64_t mid;
	if (fe.n || !date_ok) {
		/* the domain stops at validation: the bad date or the bad
		 * organisation id makes sure of it */
		child_member_add(r->db, &x, r->ids[0], &in, &mid, &ce);
		add_errors_except(r, &ce, &fe, date_ok ? NULL : "start_date");
		member_form(r, &fe, 422);
		return;
	}
	int rc = child_member_add(r->db, &x, r->ids[0], &in, &mid, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		member_form(r, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, r->ids[0], "?done=network"));
}

static void member_end_form(struct req *r, const struct field_errors *fe,
			    int status)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct child_member m;
	int rc = child_member_get(r->db, &x, r->a, r->ids[0], r->ids[1], &m);
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	bool post = r->route->method == HTTP_POST;
	sbuf_reset(page_out(r));
	page_begin(r, arena_printf(r->a, "End %s's involvement", m.name), fe);
	child_page_caption(r, &ch);
	if (m.end_date[0]) {
		para(page_out(r), arena_printf(r->a, "This involvement ended on "
					       "%s.", human_date(r, m.end_date)));
	} else {
		form_begin(r, arena_printf(r->a, "/children/%lld/network/%lld/end",
					   (long long)ch.child_id,
					   (long long)m.member_id));
		struct cal_date t = x.act->today;
		form_date(r, fe, "end_date", "Date their involvement ended",
			  "For example, 1 5 2024",
			  post ? req_form(r, "end_date-day")
			       : arena_printf(r->a, "%d", t.d),
			  post ? req_form(r, "end_date-month")
			       : arena_printf(r->a, "%d", t.m),
			  post ? req_form(r, "end_date-year")
			       : arena_printf(r->a, "%d", t.y));
		form_button(r, "End involvement", false);
		form_end(r);
	}
	cancel_link(r, ch.child_id);
	page_end(r);
	child_page_send(r, status);
}

static void member_end_get(struct req *r)
{
	member_end_form(r, NULL, 200);
}

static void member_end_post(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	const char *end = NULL;
	if (!page_date_field(r, false, "end_date", "End date", &fe, &end)) {
		member_end_form(r, &fe, 422);
		return;
	}
	struct field_errors ce = {0};
	int rc = child_member_end(r->db, &x, r->ids[0], r->ids[1], end, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		member_end_form(r, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, r->ids[0], "?done=network-ended"));
}

/* ---- warnings -------------------------------------------------------- */

static const struct choice flag_choices[] = {
	{"worker_safety", "Risk to workers visiting", NULL},
	{"child_safety", "Risk to the child", NULL},
	{"health", "Health or medical", "For example a severe allergy"},
	{"communication", "Communication needs",
	 "For example an interpreter or British Sign Language"},
	{"legal", "Court order or legal restriction", NULL},
	{"other", "Other", NULL},
};

static void flag_form(struct req *r, const struct field_errors *fe,
		      int status)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	bool post = r->route->method == HTTP_POST;
	sbuf_reset(page_out(r));
	page_begin(r, "Add a warning", fe);
	child_page_caption(r, &ch);
	form_begin(r, child_path(r, ch.child_id, "/flags"));
	form_radios(r, fe, "kind", "What kind of warning is it?", NULL,
		    flag_choices, 6, post ? req_form(r, "kind") : NULL);
	form_textarea(r, fe, "text", "What do people need to know?",
		      "Shown at the top of the child's record to everyone who "
		      "can see it. Up to 500 characters.",
		      post ? req_form(r, "text") : "", 4);
	form_date(r, fe, "review_date", "Review by",
		  "Today or later: when someone should check the warning still "
		  "applies. For example, 1 12 2024",
		  post ? req_form(r, "review_date-day") : "",
		  post ? req_form(r, "review_date-month") : "",
		  post ? req_form(r, "review_date-year") : "");
	form_button(r, "Add the warning", false);
	form_end(r);
	cancel_link(r, ch.child_id);
	page_end(r);
	child_page_send(r, status);
}

static void flag_new(struct req *r)
{
	flag_form(r, NULL, 200);
}

static void flag_create(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors fe = {0};
	const char *review = NULL;
	bool date_ok = page_date_field(r, false, "review_date", "Review date", &fe,
				  &review);
	struct child_flag_input in = {req_form(r, "kind"), req_form(r, "text"),
				      date_ok ? review : BAD_DATE};
	struct field_errors ce = {0};
	int64_t fid;
	if (!date_ok) {
		child_flag_add(r->db, &x, r->ids[0], &in, &fid, &ce);
		add_errors_except(r, &ce, &fe, "review_date");
		flag_form(r, &fe, 422);
		return;
	}
	int rc = child_flag_add(r->db, &x, r->ids[0], &in, &fid, &ce);
	if (rc == ERR_INVALID) {
		add_errors(r, &ce, &fe);
		flag_form(r, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, r->ids[0], "?done=flag"));
}

static void flag_end(struct req *r)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct field_errors ce = {0};
	int rc = child_flag_end(r->db, &x, r->ids[0], r->ids[1], &ce);
	if (rc == ERR_INVALID) {
		page_error(r, 409, "This warning has already been ended",
			   "Go back to the child's record to see its warnings.");
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, child_path(r, r->ids[0], "?done=flag-ended"));
}

/* ---- routes ---------------------------------------------------------- */

#define DATE_PARAMS(n) \
	{n "-day", PARAM_LINE, 10, false}, {n "-month", PARAM_LINE, 10, false}, \
	{n "-year", PARAM_LINE, 10, false}

static const struct param_spec p_search[] = {
	{"name", PARAM_LINE, 800, false},
	DATE_PARAMS("dob"),
	{"nhs_number", PARAM_LINE, 40, false},
	{"upn", PARAM_LINE, 40, false},
	{"la_ref", PARAM_LINE, 40, false},
	{"page", PARAM_INT, 6, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_ident[] = {
	{"given_name", PARAM_LINE, 1000, false},
	{"family_name", PARAM_LINE, 1000, false},
	{"other_names", PARAM_LINE, 2000, false},
	{"dob_status", PARAM_LINE, 16, false},
	DATE_PARAMS("dob"),
	DATE_PARAMS("expected_dob"),
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
	DATE_PARAMS("start_date"),
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
	DATE_PARAMS("start_date"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_member_end[] = {
	DATE_PARAMS("end_date"),
	{NULL, 0, 0, false},
};

static const struct param_spec p_flag[] = {
	{"kind", PARAM_LINE, 20, false},
	{"text", PARAM_TEXT, 4000, false},
	DATE_PARAMS("review_date"),
	{NULL, 0, 0, false},
};

const struct route child_page_routes[] = {
	{HTTP_GET, "/children", PERM_CHILD_SEARCH, 0, p_search, children_search,
	 "Find a child", NULL},
	{HTTP_GET, "/children/new", PERM_CHILD_CREATE, 0, NULL, children_new,
	 "Add a child: form", NULL},
	{HTTP_POST, "/children", PERM_CHILD_CREATE, ROUTE_FORM, p_ident,
	 children_create, "Add a child", NULL},
	{HTTP_GET, "/children/{id}", PERM_CHILD_READ, 0, p_record, child_page,
	 "A child's record", NULL},
	{HTTP_GET, "/children/{id}/edit", PERM_CHILD_UPDATE, 0, NULL,
	 child_edit_get, "Change identity details: form", NULL},
	{HTTP_POST, "/children/{id}/edit", PERM_CHILD_UPDATE, ROUTE_FORM, p_ident,
	 child_edit_post, "Change identity details", NULL},
	{HTTP_GET, "/children/{id}/history", PERM_CHILD_HISTORY, 0, NULL,
	 child_history_page, "History of identity changes", NULL},
	{HTTP_GET, "/children/{id}/viewers", PERM_CHILD_VIEWERS, 0, p_viewers,
	 child_viewers_page, "Everyone who has viewed the record", NULL},
	{HTTP_GET, "/children/{id}/addresses/new", PERM_CHILD_UPDATE, 0, NULL,
	 address_new, "Add an address: form", NULL},
	{HTTP_POST, "/children/{id}/addresses", PERM_CHILD_UPDATE, ROUTE_FORM,
	 p_address, address_create, "Add an address", NULL},
	{HTTP_GET, "/children/{id}/network/new", PERM_CHILD_UPDATE, 0, NULL,
	 member_new, "Add a network member: form", NULL},
	{HTTP_POST, "/children/{id}/network", PERM_CHILD_UPDATE, ROUTE_FORM,
	 p_member, member_create, "Add a network member", NULL},
	{HTTP_GET, "/children/{id}/network/{id}/end", PERM_CHILD_UPDATE, 0, NULL,
	 member_end_get, "End a network member's involvement: form", NULL},
	{HTTP_POST, "/children/{id}/network/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_FORM, p_member_end, member_end_post,
	 "End a network member's involvement", NULL},
	{HTTP_GET, "/children/{id}/flags/new", PERM_CHILD_UPDATE, 0, NULL,
	 flag_new, "Add a warning: form", NULL},
	{HTTP_POST, "/children/{id}/flags", PERM_CHILD_UPDATE, ROUTE_FORM, p_flag,
	 flag_create, "Add a warning", NULL},
	{HTTP_POST, "/children/{id}/flags/{id}/end", PERM_CHILD_UPDATE,
	 ROUTE_FORM, NULL, flag_end, "End a warning", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
