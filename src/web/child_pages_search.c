/*
 * child_pages_search.c: find a child (GET /children): by name (the
 * spelling need not be exact), date of birth, NHS number, UPN or LA
 * reference, the closest match first, paged.  Each result shows what
 * tells children of a similar name apart: date of birth and age,
 * gender, the current address's postcode and, for a user who may see a
 * child's network, the parents still involved (a partner finds only the
 * children its organisation is involved with, and sees their parents as
 * it would on the child's page).  The search reads them with the page's
 * rows, in its snapshot, and audits every child it shows
 * (child_search).  See child_pages_int.h.
 */
#include "child/child.h"
#include "core/arena.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"

#define SEARCH_PAGE_SIZE 20

static const char *const search_keys[] = {
	"name", "dob-day", "dob-month", "dob-year", "nhs_number", "upn",
	"la_ref", NULL,
};

const char *const child_page_search_carried[] = {
	"name", "dob-day", "dob-month", "dob-year", NULL,
};

static void search_form(struct req *r, const struct field_errors *fe)
{
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
	if (req_can(r, PERM_CHILD_CREATE))
		page_para_link(r, page_href(r, "/children/new",
					    child_page_search_carried, NULL,
					    NULL),
			       "Add a new child");
}

/* The date of birth and age, the expected date, or "Not known". */
static const char *search_dob(struct req *r, const struct child_match *m)
{
	if (m->dob[0]) {
		const char *age = page_age(r, m->dob);
		const char *when = page_when(r, m->dob);
		return age[0] ? arena_printf(r->a, "%s (%s)", when, age) : when;
	}
	if (m->expected_dob[0])
		return arena_printf(r->a, "Expected %s",
				    page_when(r, m->expected_dob));
	return "Not known";
}

/* The parents' names, one a line; "None recorded" when none. */
static void search_parents_cell(struct req *r, const struct child_match *m)
{
	if (m->nparents == 0) {
		page_cell(r, "None recorded");
		return;
	}
	page_cell_begin(r);
	struct sbuf *o = page_out(r);
	html_raw(o, "<ul class=\"govuk-list govuk-!-margin-bottom-0\">");
	for (int i = 0; i < m->nparents; i++) {
		html_raw(o, "<li>");
		html_text(o, m->parents[i]);
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>");
	page_cell_end(r);
}

/* Straight to a contact about a child found (issue 9: the core flow in
 * fewer steps; the contact form shows the child's open work first). */
static void record_contact_link(struct req *r, int64_t id, const char *name)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<br><a class=\"govuk-link govuk-body-s\"");
	html_attr(o, "href", child_page_path(r, id, "/contacts/new"));
	html_raw(o, ">Record a contact<span class=\"govuk-visually-hidden\"> "
		    "about ");
	html_text(o, name);
	html_raw(o, "</span></a>");
}

static void search_results(struct req *r, const struct child_results *res,
			   int64_t page, bool parents)
{
	bool contact = req_can(r, PERM_CONTACT_CREATE);
	if (res->total == 0) {
		page_h2(r, "No children found");
		page_para(r, "Check the spelling, or search by date of birth, NHS "
			     "number, UPN or LA reference.");
		return;
	}
	static const char *const heads[] = {
		"Name", "Date of birth and age", "Gender", "Postcode",
		"Parents", "LA reference",
	};
	static const char *const heads_no_parents[] = {
		"Name", "Date of birth and age", "Gender", "Postcode",
		"LA reference",
	};
	const char *cap = res->total == 1
		? "1 child found"
		: arena_printf(r->a, "%s children found, closest match first",
			       page_count_text(r, res->total));
	if (parents)
		page_table_begin(r, cap, heads, 6);
	else
		page_table_begin(r, cap, heads_no_parents, 5);
	for (int i = 0; i < res->n; i++) {
		const struct child_match *m = &res->v[i];
		page_row_begin(r);
		page_cell_begin(r);
		const char *name = child_page_name(r, m->given_name,
						   m->family_name);
		page_link(r, child_page_path(r, m->child_id, NULL), name);
		if (contact)
			record_contact_link(r, m->child_id, name);
		page_cell_end(r);
		page_cell(r, search_dob(r, m));
		const char *g = m->gender ? child_gender_label_for(m->gender)
					  : NULL;
		page_cell(r, g ? g : "Not recorded");
		page_cell(r, m->postcode && m->postcode[0] ? m->postcode
							  : "None recorded");
		if (parents)
			search_parents_cell(r, m);
		page_cell(r, m->la_ref);
		page_row_end(r);
	}
	page_table_end(r);
	page_pages(r, "/children", search_keys, page, res->next_offset >= 0);
}

void child_page_search(struct req *r)
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
	int64_t page = page_number(r, 1000);
	bool parents = req_can(r, PERM_CHILD_NETWORK_READ);
	struct child_results res = {0};
	if (searched && fe.n == 0) {
		struct child_query q = {name, dob, nhs, upn, ref,
					SEARCH_PAGE_SIZE,
					(page - 1) * SEARCH_PAGE_SIZE,
					true, parents};
		struct field_errors ce = {0};
		int rc = child_search(r->db, &x, r->a, &q, &res, &ce);
		if (rc == ERR_INVALID)
			child_page_errors(r, &ce, &fe, NULL);
		else if (rc != ERR_OK) {
			answer_error(r, rc, NULL, NULL);
			return;
		}
	}
	page_begin(r, "Find a child", &fe);
	search_form(r, &fe);
	if (searched && fe.n == 0)
		search_results(r, &res, page, parents);
	page_end(r);
	page_send(r, fe.n ? 422 : 200);
}

/* ---- "My work": find a child ------------------------------------------ */

static bool wants_search(struct req *r)
{
	return req_can(r, PERM_CHILD_SEARCH);
}

/* A search box first on "My work", so that finding a child (to open
 * their record or record a contact) starts where people land. */
static void render_search(struct req *r, void *data)
{
	(void)data;
	page_h2(r, "Find a child");
	form_begin_get(r, "/children");
	form_input(r, NULL, "name", "Name",
		   "Given name and family name, or one of them. The spelling "
		   "does not need to be exact.", NULL,
		   "govuk-!-width-two-thirds", "off", NULL);
	form_button(r, "Search", false);
	form_end(r);
}

const struct work_section search_work_sections[] = {
	{"find-a-child", 5, wants_search, NULL, render_search},
	{NULL, 0, NULL, NULL, NULL},
};
