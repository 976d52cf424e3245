/*
 * child_pages_flag.c: warnings on a child's record: the active ones at
 * the top of the page, the section listing them all, the form that adds
 * one and the button that ends one.  See child_pages_int.h.
 */
#include "child/child.h"
#include "core/arena.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/sections.h"
#include "web/glance.h"
#include "domain/field.h"

int child_page_flags_load(struct req *r, const struct child_ctx *x,
			  const struct child *ch, void **data)
{
	struct child_flag *v = NULL;
	int n = 0;
	int rc = child_flags(r->db, x, r->a, ch->child_id, &v, &n);
	return child_page_rows_keep(r, data, v, n, rc);
}

/* A kind's label from the one list (child_flag_kinds); a code not in
 * it (none is ever stored) as it is. */
static const char *flag_kind_label(const char *id)
{
	const char *l = child_flag_kind_label_for(id);
	return l ? l : id;
}

/* Active warnings, at the top of the page. */
void child_page_flags_alert(struct req *r, const struct child *ch,
			    void *data)
{
	(void)ch;
	const struct child_page_rows *l = data;
	const struct child_flag *flags = l->v;
	for (int i = 0; i < l->n; i++)
		if (flags[i].ended_at[0] == '\0')
			page_warning(r, child_page_join(
				r, flag_kind_label(flags[i].kind), ": ",
				flags[i].text,
				flags[i].overdue ? " (review overdue)" : "",
				(const char *)NULL));
}

static void status_cell(struct req *r, const struct child_flag *f)
{
	page_cell_begin(r);
	if (f->ended_at[0]) {
		html_raw(page_out(r), "Ended ");
		html_text(page_out(r), page_time(r, f->ended_at));
	} else if (f->overdue) {
		page_tag(r, "Review overdue", "red");
	} else {
		page_tag(r, "Active", "yellow");
	}
	page_cell_end(r);
}

/* "End warning" (a form: it changes the record) while it is active. */
static void end_cell(struct req *r, int64_t id, const struct child_flag *f)
{
	struct sbuf *o = page_out(r);
	page_cell_begin(r);
	if (f->ended_at[0] == '\0') {
		form_begin(r, child_page_end_path(r, id, "/flags/", f->flag_id));
		html_raw(o, "<button type=\"submit\" class=\"govuk-button "
			    "govuk-button--secondary govuk-!-margin-bottom-0\" "
			    "data-module=\"govuk-button\">End warning<span "
			    "class=\"govuk-visually-hidden\">: ");
		html_text(o, flag_kind_label(f->kind));
		html_raw(o, "</span></button>");
		form_end(r);
	}
	page_cell_end(r);
}

/* The active warnings, for the summary at the top (glance.h). */
void child_page_flags_glance(struct glance *g, const void *section_data)
{
	const struct child_page_rows *l = section_data;
	glance_flags(g, l->v, l->n);
}

void child_page_flags_render(struct req *r, const struct child_ctx *x,
			     const struct child *ch, void *data)
{
	(void)x;
	const struct child_page_rows *l = data;
	const struct child_flag *v = l->v;
	bool upd = req_can(r, PERM_CHILD_UPDATE);
	if (l->n == 0)
		page_para(r, "No warnings recorded.");
	else {
		static const char *const heads[] = {"Kind", "Warning", "Review by",
						    "Status", "Action"};
		page_table_begin_hidden(r, "Warnings, active first", heads,
					upd ? 5 : 4, NULL);
		for (int i = 0; i < l->n; i++) {
			const struct child_flag *f = &v[i];
			page_row_begin(r);
			page_cell(r, flag_kind_label(f->kind));
			page_cell(r, f->text);
			page_cell(r, page_when(r, f->review_date));
			status_cell(r, f);
			if (upd)
				end_cell(r, ch->child_id, f);
			page_row_end(r);
		}
		page_table_end(r);
	}
	child_page_update_link(r, ch->child_id, "/flags/new", "Add a warning");
}

/* Hints for some kinds, indexed by enum child_flag_kind. */
static const char *const flag_hints[CHILD_FLAG__MAX] = {
	[CHILD_FLAG_HEALTH] = "For example a severe allergy",
	[CHILD_FLAG_COMMUNICATION] = "For example an interpreter or British "
				     "Sign Language",
};

static bool flag_fields(struct req *r, const struct child_form_page *p)
{
	struct choice choices[CHILD_FLAG__MAX];
	for (int k = 0; k < CHILD_FLAG__MAX; k++)
		choices[k] = (struct choice){child_flag_kinds[k].code,
					     child_flag_kinds[k].label,
					     flag_hints[k]};
	form_radios(r, p->fe, "kind", "What kind of warning is it?", NULL,
		    choices, CHILD_FLAG__MAX,
		    p->post ? req_form(r, "kind") : NULL);
	form_textarea(r, p->fe, "text", "What do people need to know?",
		      "Shown at the top of the child's record to everyone who "
		      "can see it. Up to 500 characters.",
		      child_page_typed(r, p, "text"), 4);
	form_date_of(r, p->fe, "review_date", "Review by",
		     "Today or later: when someone should check the warning "
		     "still applies. For example, 1 12 2024", p->post, NULL);
	return true;
}

static int flag_submit(struct req *r, struct child_form_post *p)
{
	struct child_flag_input in = {
		req_form(r, "kind"), req_form(r, "text"),
		child_page_date(r, "review_date", "Review date", &p->fe,
				&p->skip),
	};
	int64_t fid;
	return child_flag_add(r->db, &p->x, r->ids[0], &in, &fid, &p->ce);
}

static const struct child_form flag_form = {
	.title = "Add a warning", .action = "/flags",
	.button = "Add the warning", .done = "?done=flag",
	.fields = flag_fields, .submit = flag_submit,
};

void child_page_flag_new(struct req *r)
{
	child_page_form(r, &flag_form, NULL, 200);
}

void child_page_flag_create(struct req *r)
{
	child_page_form_post(r, &flag_form);
}

void child_page_flag_end(struct req *r)
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
	page_redirect(r, child_page_path(r, r->ids[0], "?done=flag-ended"));
}

/* ---- "My work": warnings on my children past their review date --------- */

static const struct column review_cols[] = {
	{.head = "Child", .field = "child_name", .link = "child",
	 .link_id = "child_id"},
	{.head = "Kind of warning", .field = "kind"},
	{.head = "Review date", .field = "review_date", .flag = "",
	 .tag = "Review overdue", .colour = "red"},
	{0},
};

struct reviews {
	struct child_flag_review *v;
	int n;
};

static int load_reviews(struct req *r, void **data)
{
	struct reviews *d = arena_zalloc(r->a, sizeof(*d));
	*data = d;
	return d ? child_flags_past_review(r->db, &r->act, r->act.user_id, r->a,
					   &d->v, &d->n)
		 : ERR_NOMEM;
}

static void render_reviews(struct req *r, void *data)
{
	const struct reviews *d = data;
	page_h2(r, "Warnings past their review date");
	if (d->n == 0)
		page_para(r, "No warnings on your children are past their "
			  "review date.");
	else
		fields_table(r, "Active warnings past their review date",
			     &child_flag_review_view, review_cols, d->v,
			     sizeof(*d->v), d->n);
}

const struct work_section flag_work_sections[] = {
	{"flags-review", 40, work_caseload, load_reviews, render_reviews},
	{NULL, 0, NULL, NULL, NULL},
};
