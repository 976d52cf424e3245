/*
 * chron_pages.c: the child's chronology (domain/chron.h).
 *
 *   section "Chronology" on the child's page: the ten newest entries
 *   GET  /children/{id}/chronology            every entry, oldest first,
 *        filtered by kind and period; prints on A4 (the print style
 *        sheet hides the navigation and forms); the form to add one
 *   GET  /children/{id}/chronology.csv        the same entries as CSV
 *   POST /children/{id}/chronology            adds an entry by hand
 *   GET  /children/{id}/chronology/{id}/analysis   the analysis form
 *   POST /children/{id}/chronology/{id}/analysis   writes the analysis
 *
 * Every page reads in one snapshot after finding the child visible (the
 * partner rule) and audits the read before anything is sent; the CSV
 * too.  A form that fails re-shows what was typed with the error
 * summary (422) and saves nothing.
 */
#include "child/child.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/str.h"
#include "domain/chron.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

#define SECTION_ROWS 10
#define PAGE_ROWS 2000
#define CSV_ROWS 10000

static const char *chron_path(struct req *r, int64_t child_id,
			      const char *tail)
{
	const char *p = arena_printf(r->a, "/children/%lld/chronology%s",
				     (long long)child_id, tail ? tail : "");
	return p ? p : "/";
}

/* The entries as a GOV.UK table (the print style sheet keeps it). */
static void entries_table(struct req *r, int64_t child_id,
			  const struct chron_entry *v, int n, bool actions)
{
	struct sbuf *o = page_out(r);
	static const char *const heads[] = {"When", "What happened", "Source",
					    "Analysis"};
	page_table_begin_hidden(r, "Chronology", heads, 4, "cairn-report-table");
	for (int i = 0; i < n; i++) {
		const struct chron_entry *e = &v[i];
		page_row_begin(r);
		page_cell(r, page_when(r, e->occurred));
		page_cell_begin(r);
		const char *href = page_record_href(r, e->link_kind,
						    e->link_id);
		if (href)
			page_link(r, href, e->summary);
		else
			html_text(o, e->summary);
		html_raw(o, "<br><span class=\"govuk-body-s\">");
		html_text(o, chron_kind_label(e->kind));
		if (e->significance[0]) {
			const char *sig = chron_significance_label(e->significance);
			html_text(o, arena_printf(r->a, ", %s significance",
						  sig ? sig : ""));
		}
		html_raw(o, "</span>");
		page_cell_end(r);
		page_cell(r, e->source);
		page_cell_begin(r);
		if (e->analysis[0]) {
			page_narrative(r, e->analysis);
			if (e->analysis_by[0]) {
				html_raw(o, "<span class=\"govuk-body-s\">");
				html_text(o, arena_printf(r->a, "By %s",
							  e->analysis_by));
				html_raw(o, "</span>");
			}
		}
		if (actions) {
			html_raw(o, "<p class=\"govuk-body-s cairn-no-print\">"
				    "<a class=\"govuk-link\"");
			html_attr(o, "href", chron_path(r, child_id, arena_printf(
					  r->a, "/%lld/analysis",
					  (long long)e->entry_id)));
			html_raw(o, ">");
			html_text(o, e->analysis[0] ? "Change the analysis"
						    : "Add an analysis");
			html_raw(o, "<span class=\"govuk-visually-hidden\"> of ");
			html_text(o, e->summary);
			html_raw(o, "</span></a></p>");
		}
		page_cell_end(r);
		page_row_end(r);
	}
	page_table_end(r);
}

/* ---- the section on the child's page ---------------------------------- */

struct loaded {
	struct chron_entry *v;
	int n;
	bool more;
};

static int load_section(struct req *r, const struct child_ctx *x,
			const struct child *ch, void **data)
{
	struct loaded *l = arena_zalloc(r->a, sizeof(*l));
	if (l == NULL)
		return ERR_NOMEM;
	*data = l;
	struct chron_filter f = {NULL, NULL, NULL, SECTION_ROWS, true};
	return chron_list(r->db, x->act, ch->child_id, &f, r->a, &l->v, &l->n,
			  &l->more);
}

static void render_section(struct req *r, const struct child_ctx *x,
			   const struct child *ch, void *data)
{
	(void)x;
	const struct loaded *l = data;
	if (l->n == 0)
		page_para(r, "Nothing has been recorded yet.");
	else {
		page_para(r, l->more ? "The newest entries first." : "Newest "
				       "first.");
		entries_table(r, ch->child_id, l->v, l->n, false);
	}
	page_link(r, chron_path(r, ch->child_id, NULL),
		  "See the full chronology, add an entry or print it");
}

const struct child_section chron_child_sections[] = {
	{"chronology", "Chronology", PERM_CONTACT_READ, 60, load_section, NULL,
	 render_section},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- the full chronology ------------------------------------------------ */

struct entry_form {
	const char *day, *month, *year, *summary, *source, *significance;
};

static const struct choice sig_choices[] = {
	{"high", "High", NULL},
	{"medium", "Medium", NULL},
	{"low", "Low", NULL},
};

static void add_form(struct req *r, int64_t child_id,
		     const struct entry_form *f, const struct field_errors *e)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<h2 class=\"govuk-heading-m cairn-no-print\" id=\"add\">"
		    "Add an entry</h2>");
	form_begin(r, chron_path(r, child_id, NULL));
	form_date(r, e, "occurred", "When did it happen?",
		  "For example, 27 3 2026", f->day, f->month, f->year);
	form_input(r, e, "summary", "What happened",
		   "One line. The details belong in the record itself.",
		   f->summary, NULL, "off", NULL);
	form_input(r, e, "source", "Who told us (optional)",
		   "For example, the school's designated safeguarding lead",
		   f->source, "govuk-!-width-two-thirds", "off", NULL);
	form_radios(r, e, "significance", "How significant is it?", NULL,
		    sig_choices, 3, f->significance);
	form_button(r, "Add the entry", false);
	form_end(r);
}

static const struct choice *kind_choices(struct req *r, int *n)
{
	const struct chron_kind *k = chron_kinds();
	int m = 0;
	while (k[m].code)
		m++;
	struct choice *c = arena_alloc(r->a, (size_t)(m + 1) * sizeof(*c));
	if (c == NULL) {
		*n = 0;
		return NULL;
	}
	c[0] = (struct choice){"", "Every kind", NULL};
	for (int i = 0; i < m; i++)
		c[i + 1] = (struct choice){k[i].code, k[i].label, NULL};
	*n = m + 1;
	return c;
}

/* The filter from the query; bad dates are left out (and said). */
static void read_filter(struct req *r, struct chron_filter *f,
			struct field_errors *fe)
{
	memset(f, 0, sizeof(*f));
	const char *k = req_query(r, "kind");
	if (k && k[0] && strcmp(chron_kind_label(k), k) != 0)
		f->kind = k;
	page_date_field(r, true, "from", "The start of the period", fe,
			&f->from);
	page_date_field(r, true, "to", "The end of the period", fe, &f->to);
}

/* Opens the child (r->ids[0]) in a read snapshot and reads up to limit
 * entries the query's filter selects (its date errors in fe).  Returns
 * 0 with the snapshot open, or -1 with the error answered. */
static int chron_read(struct req *r, struct child *ch, int limit,
		      struct field_errors *fe, struct chron_entry **v, int *n,
		      bool *more)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], ch) < 0)
		return -1;
	struct chron_filter f;
	read_filter(r, &f, fe);
	f.limit = limit;
	int rc = chron_list(r->db, &r->act, r->ids[0], &f, r->a, v, n, more);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return -1;
	}
	return 0;
}

static void chron_page(struct req *r, const struct entry_form *typed,
		       const struct field_errors *add_errors, int status)
{
	int64_t id = r->ids[0];
	struct child ch;
	struct field_errors fe = {0};
	struct chron_entry *v = NULL;
	int n = 0;
	bool more = false;
	if (chron_read(r, &ch, PAGE_ROWS, &fe, &v, &n, &more) < 0)
		return;
	page_begin(r, "Chronology", add_errors);
	child_page_crumbs(r, &ch);
	child_page_caption(r, &ch);
	struct sbuf *o = page_out(r);
	page_para(r, "Everything significant in the child's life that the "
		     "council knows of, oldest first: what the records say "
		     "happened, and what practitioners added.");
	if (fe.n)
		page_error_summary(r, &fe);
	form_begin_get(r, chron_path(r, id, NULL));
	int nk;
	const struct choice *kc = kind_choices(r, &nk);
	form_select(r, NULL, "kind", "Show", NULL, kc, nk,
		    req_query(r, "kind") ? req_query(r, "kind") : "");
	form_date(r, &fe, "from", "From", NULL, req_query(r, "from-day"),
		  req_query(r, "from-month"), req_query(r, "from-year"));
	form_date(r, &fe, "to", "To", NULL, req_query(r, "to-day"),
		  req_query(r, "to-month"), req_query(r, "to-year"));
	form_button(r, "Show", true);
	form_end(r);
	if (n == 0)
		page_para(r, "Nothing matches.");
	else
		entries_table(r, id, v, n, req_can(r, PERM_CHILD_UPDATE));
	if (more)
		page_para(r, arena_printf(r->a, "Only the first %s entries are "
					  "shown: choose a shorter period.",
					  page_count_text(r, PAGE_ROWS)));
	html_raw(o, "<p class=\"govuk-body cairn-no-print\">To print it, use "
		    "your browser's print command: it prints on A4 without "
		    "the menus. ");
	page_link(r, page_href(r, chron_path(r, id, ".csv"),
			       (const char *const[]){"kind", "from-day",
						     "from-month", "from-year",
						     "to-day", "to-month",
						     "to-year", NULL},
			       NULL, NULL),
		  "Download it as a spreadsheet (CSV)");
	html_raw(o, "</p>");
	if (req_can(r, PERM_CHILD_UPDATE)) {
		struct entry_form none = {0};
		add_form(r, id, typed ? typed : &none, add_errors);
	}
	page_end(r);
	child_page_send(r, status);
}

static void chron_get_page(struct req *r)
{
	chron_page(r, NULL, NULL, 200);
}

static void csv_row(struct sbuf *o, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++)
		csv_cell(o, cells[i], i == 0);
	sbuf_adds(o, "\r\n");
}

static void chron_csv(struct req *r)
{
	int64_t id = r->ids[0];
	struct child ch;
	struct field_errors fe = {0};
	struct chron_entry *v = NULL;
	int n = 0;
	if (chron_read(r, &ch, CSV_ROWS, &fe, &v, &n, NULL) < 0)
		return;
	struct sbuf *o = page_out(r);
	sbuf_reset(o);
	static const char *const heads[] = {"When", "Kind", "What happened",
					    "Source", "Significance",
					    "Analysis", "Analysis by"};
	csv_row(o, heads, 7);
	for (int i = 0; i < n; i++) {
		const char *sig = chron_significance_label(v[i].significance);
		const char *cells[] = {v[i].occurred, chron_kind_label(v[i].kind),
				       v[i].summary, v[i].source,
				       sig ? sig : "", v[i].analysis,
				       v[i].analysis_by};
		csv_row(o, cells, 7);
	}
	http_add_header(r->ex, "Content-Disposition",
			"attachment; filename=\"chronology.csv\"");
	db_rollback(r->db);
	if (req_audit_read(r, "read", "chronology", id, id) != 0) {
		answer_error(r, ERR_STORE, NULL, NULL);
		return;
	}
	r->ex->status = 200;
	r->ex->out_type = "text/csv; charset=utf-8";
}

/* Begins a write transaction and loads the child (r->ids[0]) visible to
 * the user.  Returns ERR_OK or an error; either way the caller ends the
 * transaction. */
static int open_write(struct req *r, struct child *ch)
{
	struct child_ctx x;
	child_page_ctx(r, &x);
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK)
		rc = child_load(r->db, &x, r->a, r->ids[0], ch);
	return rc;
}

static void chron_post(struct req *r)
{
	int64_t id = r->ids[0];
	struct field_errors fe = {0};
	struct entry_form typed = {
		req_form(r, "occurred-day"), req_form(r, "occurred-month"),
		req_form(r, "occurred-year"), page_trim(r, req_form(r, "summary")),
		page_trim(r, req_form(r, "source")), req_form(r, "significance"),
	};
	const char *occurred = NULL;
	page_date_field(r, false, "occurred", "The date it happened", &fe,
			&occurred);
	struct child ch;
	int rc = open_write(r, &ch);
	struct field_errors de = {0};
	if (rc == ERR_OK) {
		/* a date the page could not read still lets every other
		 * field be checked: the domain sees today in its place */
		char today[11];
		cal_date_format(r->act.today, today);
		struct chron_input in = {occurred ? occurred : today,
					 typed.summary, typed.source,
					 typed.significance};
		if (fe.n == 0)
			rc = chron_add(r->db, &r->act, id, ch.dob, &in, NULL, &de);
		else if (chron_check(&r->act, ch.dob, &in, &de) != ERR_OK)
			rc = ERR_INVALID;
		if (rc == ERR_OK && fe.n == 0)
			rc = err_from_db(db_commit(r->db));
	}
	/* the domain's date is the page's three inputs */
	for (int i = 0; i < de.n; i++)
		fe_set(&fe, strcmp(de.v[i].field, "occurred") == 0
				    ? "occurred-day" : de.v[i].field,
		       de.v[i].msg);
	if (rc != ERR_OK || fe.n)
		db_rollback(r->db);
	if (rc == ERR_INVALID || (rc == ERR_OK && fe.n)) {
		chron_page(r, &typed, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, &fe, NULL);
		return;
	}
	page_redirect(r, chron_path(r, id, "?added=1"));
}

static void analysis_page(struct req *r, const char *typed,
			  const struct field_errors *fe, int status)
{
	int64_t id = r->ids[0], entry = r->ids[1];
	struct child_ctx x;
	child_page_ctx(r, &x);
	struct child ch;
	if (child_page_open(r, &x, id, &ch) < 0)
		return;
	struct chron_entry e;
	int rc = chron_get(r->db, &r->act, id, entry, r->a, &e);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, e.analysis[0] ? "Change the analysis" : "Add an analysis",
		   fe);
	child_page_caption(r, &ch);
	page_back_link(r, chron_path(r, id, NULL));
	summary_begin(r);
	summary_row(r, "When", page_when(r, e.occurred));
	summary_row(r, "What happened", e.summary);
	summary_row(r, "Kind", chron_kind_label(e.kind));
	if (e.source[0])
		summary_row(r, "Source", e.source);
	summary_end(r);
	form_begin(r, chron_path(r, id, arena_printf(r->a, "/%lld/analysis",
						     (long long)entry)));
	form_textarea(r, fe, "analysis", "Your analysis",
		      "What this tells us about the child's experience, and "
		      "what it means for the plan. Up to 4,000 characters.",
		      typed ? typed : e.analysis, 8);
	form_button(r, "Save the analysis", false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static void analysis_get(struct req *r)
{
	analysis_page(r, NULL, NULL, 200);
}

static void analysis_post(struct req *r)
{
	int64_t id = r->ids[0], entry = r->ids[1];
	const char *text = req_form(r, "analysis");
	struct field_errors fe = {0};
	struct child ch;
	int rc = open_write(r, &ch);
	if (rc == ERR_OK)
		rc = chron_analyse(r->db, &r->act, id, entry,
				   text ? str_trim(arena_strdup(r->a, text)) : "",
				   &fe);
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	else
		db_rollback(r->db);
	if (rc == ERR_INVALID) {
		analysis_page(r, text, &fe, 422);
		return;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, &fe, NULL);
		return;
	}
	page_redirect(r, chron_path(r, id, "?saved=1"));
}

static const struct param_spec p_list[] = {
	{"kind", PARAM_LINE, 16, false},
	PAGE_DATE_PARAMS("from"),
	PAGE_DATE_PARAMS("to"),
	{"added", PARAM_INT, 1, false},
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

/* Lengths in bytes, generous so that the domain's limits (characters)
 * give the person a clear message rather than a 400. */
static const struct param_spec p_add[] = {
	PAGE_DATE_PARAMS("occurred"),
	{"summary", PARAM_LINE, CHRON_SUMMARY_MAX * 4 + 64, false},
	{"source", PARAM_LINE, CHRON_SOURCE_MAX * 4 + 64, false},
	{"significance", PARAM_LINE, 16, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_analysis[] = {
	{"analysis", PARAM_TEXT, CHRON_ANALYSIS_MAX * 4 + 64, false},
	{NULL, 0, 0, false},
};

const struct route chron_page_routes[] = {
	{HTTP_GET, "/children/{id}/chronology", PERM_CONTACT_READ, 0, p_list,
	 chron_get_page, "A child's chronology", NULL},
	{HTTP_GET, "/children/{id}/chronology.csv", PERM_CONTACT_READ, 0,
	 p_list, chron_csv, "A child's chronology as CSV", NULL},
	{HTTP_POST, "/children/{id}/chronology", PERM_CHILD_UPDATE, ROUTE_FORM,
	 p_add, chron_post, "Add an entry to a child's chronology", NULL},
	{HTTP_GET, "/children/{id}/chronology/{id}/analysis", PERM_CHILD_UPDATE,
	 0, NULL, analysis_get, "The analysis of a chronology entry", NULL},
	{HTTP_POST, "/children/{id}/chronology/{id}/analysis",
	 PERM_CHILD_UPDATE, ROUTE_FORM, p_analysis, analysis_post,
	 "Write the analysis of a chronology entry", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
