/*
 * child_pages_ident.c: a child's identity: adding a child (with the
 * possible-duplicate step: a 409 listing the matches, then "this is a
 * different child"), changing the identity details (optimistic: the
 * form carries the record's version) and the history of those changes.
 * See child_pages_int.h.
 */
#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"

#include <string.h>

/* ---- the identity form (add and change) ------------------------------ */

struct ident_form {
	const char *given_name, *family_name, *other_names, *dob_status;
	const char *dob[3], *edob[3];
	const char *gender, *ethnicity, *nhs_number, *upn, *version;
};

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
	page_date_parts(r, ch->dob, f->dob);
	page_date_parts(r, ch->expected_dob, f->edob);
	f->gender = ch->gender;
	f->ethnicity = ch->ethnicity;
	f->nhs_number = child_page_nhs(r, ch->nhs_number);
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

/* The form's value of name, or dflt when it was not sent. */
static const char *form_or(struct req *r, const char *name, const char *dflt)
{
	const char *v = req_form(r, name);
	return v ? v : dflt;
}

/* Builds the domain input from the form.  Date parts that cannot make a
 * date are page errors (in fe); the date is then left out. */
static void ident_input(struct req *r, struct child_input *in,
			struct field_errors *fe)
{
	memset(in, 0, sizeof(*in));
	in->given_name = req_form(r, "given_name");
	in->family_name = req_form(r, "family_name");
	in->other_names = form_or(r, "other_names", "");
	const char *st = req_form(r, "dob_status");
	const char *d = NULL;
	if (st && strcmp(st, "known") == 0) {
		in->dob_status = CHILD_DOB_KNOWN;
		page_date_field(r, false, "dob", "Date of birth", fe, &d);
		in->dob = d;
	} else if (st && strcmp(st, "expected") == 0) {
		in->dob_status = CHILD_DOB_EXPECTED;
		page_date_field(r, false, "expected_dob",
				"Expected date of birth", fe, &d);
		in->expected_dob = d;
	} else if (st && strcmp(st, "unknown") == 0) {
		in->dob_status = CHILD_DOB_UNKNOWN;
	}
	in->gender = form_or(r, "gender", "0");
	in->ethnicity = form_or(r, "ethnicity", "");
	in->nhs_number = form_or(r, "nhs_number", "");
	in->upn = form_or(r, "upn", "");
}

/* Adds the domain's messages for everything but the dates that the page
 * already found wrong. */
static void validate_rest(struct req *r, const struct child_ctx *x,
			  struct child_input in, struct field_errors *fe)
{
	struct field_errors ce = {0};
	in.dob_status = CHILD_DOB_UNKNOWN;
	child_validate(x, r->a, &in, &ce);
	child_page_errors(r, &ce, fe, NULL);
}

/* ---- add a child ------------------------------------------------------- */

/* The records that may be the same child, and what to do about them. */
static void possible_matches(struct req *r, const struct child_match *dups,
			     int ndups)
{
	page_warning(r, ndups == 1
		? "We found a record that may be the same child. Check it "
		  "before you add a new one."
		: "We found records that may be the same child. Check them "
		  "before you add a new one.");
	static const char *const heads[] = {
		"Name", "Date of birth", "LA reference", "Why it matched"};
	page_table_begin(r, "Possible matches", heads, 4);
	for (int i = 0; i < ndups; i++) {
		page_row_begin(r);
		page_cell_begin(r);
		page_link(r, child_page_path(r, dups[i].child_id, NULL),
			  child_page_name(r, dups[i].given_name,
					  dups[i].family_name));
		page_cell_end(r);
		page_cell(r, dups[i].dob[0] ? page_when(r, dups[i].dob)
					    : "Not known");
		page_cell(r, dups[i].la_ref);
		page_cell(r, dups[i].reason);
		page_row_end(r);
	}
	page_table_end(r);
	page_para(r, "If none of these is the child, check the details below "
		     "and confirm that this is a different child.");
}

/* The new child's form from what was searched for (the query the
 * search's "Add a new child" carries): the name's last word as the
 * family name and any words before it as the given name (a single word
 * is taken as the family name: the one professionals search by most),
 * and the date of birth as typed, "known" when any of it was. */
static void ident_from_search(struct req *r, struct ident_form *f)
{
	const char *name = page_trim(r, req_query(r, "name"));
	if (name) {
		size_t n = strlen(name);
		while (n > 0 && name[n - 1] != ' ' && name[n - 1] != '\t')
			n--;
		f->family_name = name + n;
		if (n > 0)
			f->given_name = page_trim(r, arena_strndup(r->a, name,
								   n));
	}
	static const char *const part[3] = {"dob-day", "dob-month",
					    "dob-year"};
	for (int i = 0; i < 3; i++) {
		f->dob[i] = page_trim(r, req_query(r, part[i]));
		if (f->dob[i])
			f->dob_status = "known";
	}
}

static void new_child_form(struct req *r, const struct field_errors *fe,
			   const struct child_match *dups, int ndups,
			   int status)
{
	struct ident_form f = {0};
	if (r->route->method == HTTP_POST) {
		ident_from_request(r, &f);
	} else {
		f.gender = "0";
		ident_from_search(r, &f);
	}
	sbuf_reset(page_out(r));
	page_begin(r, ndups ? "This child may already have a record"
			    : "Add a new child", fe);
	/* back to the search it came from (on a GET, the query it carried) */
	page_back_link(r, page_href(r, "/children", child_page_search_carried,
				    NULL, NULL));
	if (ndups)
		possible_matches(r, dups, ndups);
	form_begin(r, "/children");
	if (ndups)
		form_hidden(r, "confirm_not_duplicate", "yes");
	ident_fields(r, fe, &f);
	form_button(r, ndups ? "This is a different child: add the record"
			     : "Add the child", false);
	form_end(r);
	page_para_link(r, "/children", "Cancel and go back to search");
	page_end(r);
	page_send(r, status);
}

void child_page_new(struct req *r)
{
	new_child_form(r, NULL, NULL, 0, 200);
}

void child_page_create(struct req *r)
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
		child_page_errors(r, &ce, &fe, NULL);
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
	page_redirect(r, child_page_path(r, id, "?done=created"));
}

/* ---- change identity ------------------------------------------------- */

/* The record's details to change, or what was typed when shown again. */
static bool edit_fields(struct req *r, const struct child_form_page *p)
{
	struct ident_form f;
	if (p->post)
		ident_from_request(r, &f);
	else
		ident_from_child(r, &p->ch, &f);
	form_hidden(r, "version", f.version);
	ident_fields(r, p->fe, &f);
	return true;
}

static const struct child_form edit_form = {
	.title = "Change identity details", .action = "/edit",
	.button = "Save changes", .fields = edit_fields,
};

void child_page_edit_get(struct req *r)
{
	child_page_form(r, &edit_form, NULL, 200);
}

void child_page_edit_post(struct req *r)
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
		child_page_form(r, &edit_form, &fe, 422);
		return;
	}
	struct field_errors ce = {0};
	int64_t nv = 0;
	int rc = child_update(r->db, &x, r->a, id, version, &in, &nv, &ce);
	if (rc == ERR_CONFLICT) {
		fe_set(&fe, "given_name",
		       "Someone else changed this record after you opened "
		       "this page, so your changes have not been saved. "
		       "Open the record again to see their changes, then "
		       "make yours.");
		child_page_form(r, &edit_form, &fe, 409);
		return;
	}
	child_page_answer(r, rc, &ce, &fe, NULL, &edit_form,
			  nv == version ? "?done=unchanged" : "?done=updated");
}

/* ---- history of changes ------------------------------------------------ */

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
	const char *l = page_pair(labels, sizeof(labels) / sizeof(labels[0]), f);
	return l ? l : f;
}

static const char *field_value(struct req *r, const char *field,
			       const char *v)
{
	if (v == NULL || v[0] == '\0')
		return "(none)";
	if (strcmp(field, "dob") == 0 || strcmp(field, "expected_dob") == 0)
		return page_when(r, v);
	if (strcmp(field, "gender") == 0 && child_gender_label_for(v))
		return child_gender_label_for(v);
	if (strcmp(field, "ethnicity") == 0 && child_ethnicity_label_for(v))
		return child_ethnicity_label_for(v);
	if (strcmp(field, "nhs_number") == 0)
		return child_page_nhs(r, v);
	return v;
}

void child_page_history(struct req *r)
{
	int64_t id = r->ids[0];
	struct child_ctx x;
	struct child ch;
	if (child_page_start(r, &x, &ch) < 0)
		return;
	struct child_change *v;
	int n;
	int rc = child_history_list(r->db, &x, r->a, id, &v, &n);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "History of changes", NULL);
	child_page_crumbs(r, &ch);
	child_page_caption(r, &ch);
	if (n == 0) {
		page_para(r, "The identity details have not been changed since "
			     "the record was added.");
	} else {
		static const char *const heads[] = {"When", "What", "From", "To",
						    "Changed by"};
		page_table_begin_hidden(r, "Changes to identity details, newest "
					"first", heads, 5, NULL);
		for (int i = 0; i < n; i++) {
			page_row_begin(r);
			page_cell(r, page_time(r, v[i].at));
			page_cell(r, field_label(v[i].field));
			page_cell(r, field_value(r, v[i].field, v[i].old_value));
			page_cell(r, field_value(r, v[i].field, v[i].new_value));
			page_cell(r, v[i].user_name[0]
				? v[i].user_name
				: arena_printf(r->a, "User %lld",
					       (long long)v[i].user_id));
			page_row_end(r);
		}
		page_table_end(r);
	}
	page_end(r);
	child_page_send(r, 200);
}
