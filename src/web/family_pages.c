/*
 * family_pages.c: the family (family/family.h, D55).
 *
 *   section "Family" on the child's page (order 48): the people in the
 *        child's life with who they are to the child, parental
 *        responsibility and parental factors; how many children the
 *        family has; links to the whole family and the forms
 *   GET  /children/{id}/family                the whole family: every
 *        child with open cases and child protection plan, every adult
 *        with who they are to each child and their parental factors,
 *        and the parental factors tagged on the children's assessments
 *   GET  /children/{id}/family/people/new     the form;  POST .../people
 *   GET  /children/{id}/family/links/new      the people already on a
 *        brother's or sister's record, each with who they are to this
 *        child, added in one step;           POST .../links
 *   GET  /children/{id}/family/factors/new    the form;  POST .../factors
 *
 * Pages open the child's read snapshot (child_page_open) and read the
 * family in it; the whole family's page audits every child it shows
 * (req_audit_shown) before it is sent.  A form that fails shows what was
 * typed with the error summary (422) and saves nothing.
 */
#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "cp/cp.h"
#include "episode/episode.h"
#include "domain/field.h"
#include "family/family.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

static const char *fam_path(struct req *r, int64_t child_id, const char *tail)
{
	const char *p = arena_printf(r->a, "/children/%lld%s",
				     (long long)child_id, tail);
	return p ? p : "/";
}

static const char *fam_name(struct req *r, const char *given,
			    const char *family)
{
	const char *s = arena_printf(r->a, "%s %s", given, family);
	return s ? s : given;
}

/* The person's link to child_id, or NULL. */
static const struct family_link *fam_link(const struct family_adult *p,
					  int64_t child_id)
{
	for (int i = 0; i < p->nlinks; i++)
		if (p->links[i].child_id == child_id)
			return &p->links[i];
	return NULL;
}

/* The factors' labels, one a line. */
static void fam_factor_list(struct req *r, const struct family_adult *p)
{
	struct sbuf *o = page_out(r);
	if (p->nfactors == 0) {
		html_text(o, "None recorded");
		return;
	}
	html_raw(o, "<ul class=\"govuk-list\">");
	for (int i = 0; i < p->nfactors; i++) {
		html_raw(o, "<li>");
		html_text(o, codes_label(family_factor_codes,
					 p->factors[i].factor));
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>");
}

/* ---- the section on the child's page ------------------------------------- */

static int fam_load(struct req *r, const struct child_ctx *x,
		    const struct child *ch, void **data)
{
	struct family *f = arena_zalloc(r->a, sizeof(*f));
	if (f == NULL)
		return ERR_NOMEM;
	*data = f;
	/* no sibling is named here, so the child's own read is the audit */
	return family_read_section(r->db, x->act, ch->child_id, r->a, f);
}

/* People of the family not linked to child_id yet. */
static int fam_unlinked(const struct family *f, int64_t child_id)
{
	int k = 0;
	for (int i = 0; i < f->nadults; i++)
		k += fam_link(&f->adults[i], child_id) == NULL;
	return k;
}

static void fam_render(struct req *r, const struct child_ctx *x,
		       const struct child *ch, void *data)
{
	(void)x;
	const struct family *f = data;
	int shown = 0;
	for (int i = 0; i < f->nadults; i++)
		shown += fam_link(&f->adults[i], ch->child_id) != NULL;
	if (shown == 0) {
		page_para(r, "No family members recorded yet.");
	} else {
		static const char *const heads[] = {
			"Name", "Who they are to the child",
			"Parental responsibility", "Parental factors"};
		page_table_begin_hidden(r, "The people in the child's life",
					heads, 4, NULL);
		for (int i = 0; i < f->nadults; i++) {
			const struct family_adult *p = &f->adults[i];
			const struct family_link *l = fam_link(p, ch->child_id);
			if (l == NULL)
				continue;
			page_row_begin(r);
			page_cell(r, p->name);
			page_cell(r, l->current ? l->relationship
				  : arena_printf(r->a, "%s (no longer in the "
						 "child's life)", l->relationship));
			page_cell(r, l->parental_responsibility ? "Yes" : "No");
			page_cell_begin(r);
			fam_factor_list(r, p);
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (f->nchildren > 1)
		page_para(r, arena_printf(r->a, "%d children in the family%s.",
					  f->nchildren, f->more ? " (and more)"
								: ""));
	page_para_link(r, fam_path(r, ch->child_id, "/family"),
		       "See the whole family");
	if (!req_can(r, PERM_CHILD_UPDATE))
		return;
	page_para_link(r, fam_path(r, ch->child_id, "/family/people/new"),
		       "Add someone to the family");
	int k = fam_unlinked(f, ch->child_id);
	if (k > 0)
		page_para_link(r, fam_path(r, ch->child_id,
					   "/family/links/new"),
			       arena_printf(r->a, "Add %d %s from a brother's or "
					    "sister's record", k,
					    k == 1 ? "person" : "people"));
	if (f->nadults > 0)
		page_para_link(r, fam_path(r, ch->child_id,
					   "/family/factors/new"),
			       "Record a parental factor");
}

const struct child_section family_child_sections[] = {
	{"family", "Family", PERM_EPISODE_READ, 48, fam_load, NULL,
	 fam_render},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- the whole family ---------------------------------------------------- */

static const struct family_child *fam_child(const struct family *f,
					    int64_t id)
{
	for (int i = 0; i < f->nchildren; i++)
		if (f->children[i].child_id == id)
			return &f->children[i];
	return NULL;
}

static void fam_cases_cell(struct req *r, const struct family_child *c)
{
	struct sbuf *o = page_out(r);
	page_cell_begin(r);
	if (c->ncases == 0)
		html_text(o, "No open case");
	for (int k = 0; k < c->ncases; k++) {
		const struct family_case *e = &c->cases[k];
		if (k)
			html_raw(o, "<br>");
		page_link(r, page_record_href(r, "case", e->episode_id),
			  codes_label(episode_type_codes, e->case_type));
		html_text(o, e->worker_name[0]
				     ? arena_printf(r->a, ": %s", e->worker_name)
				     : ": not allocated");
	}
	page_cell_end(r);
}

static void fam_children_table(struct req *r, const struct family *f)
{
	static const char *const heads[] = {
		"Child", "Date of birth", "Open cases and lead practitioner",
		"Child protection plan"};
	page_table_begin_hidden(r, "The children of the family", heads, 4,
				NULL);
	for (int i = 0; i < f->nchildren; i++) {
		const struct family_child *c = &f->children[i];
		page_row_begin(r);
		page_cell_begin(r);
		page_link(r, page_record_href(r, "child", c->child_id),
			  fam_name(r, c->given_name, c->family_name));
		html_raw(page_out(r), "<br>");
		html_text(page_out(r), c->la_ref);
		page_cell_end(r);
		page_cell(r, c->dob[0] ? page_when(r, c->dob) : "Not known");
		fam_cases_cell(r, c);
		page_cell(r, c->cp_category[0]
				     ? arena_printf(r->a, "%s, since %s",
						    codes_label(cp_category_codes,
								c->cp_category),
						    page_when(r, c->cp_since))
				     : "No plan");
		page_row_end(r);
	}
	page_table_end(r);
}

/* Where a factor came from: an assessment (of which child) or words. */
static const char *fam_source(struct req *r, const struct family *f,
			      const struct family_factor *k)
{
	if (k->assessment_id <= 0)
		return k->source;
	const struct family_child *c = fam_child(f, k->assessment_child_id);
	return arena_printf(r->a, "The assessment of %s",
			    c ? fam_name(r, c->given_name, c->family_name)
			      : "a child no longer in the family");
}

static void fam_adult(struct req *r, const struct family *f,
		      const struct family_adult *p)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<h3 class=\"govuk-heading-s\">");
	html_text(o, p->name);
	html_raw(o, "</h3>");
	static const char *const heads[] = {
		"Child",
		"Who they are to the child",
		"Parental responsibility",
		"In the child's life",
	};
	page_table_begin_hidden(r, arena_printf(r->a, "%s and the children",
						p->name), heads, 4, NULL);
	for (int i = 0; i < p->nlinks; i++) {
		const struct family_link *l = &p->links[i];
		const struct family_child *c = fam_child(f, l->child_id);
		page_row_begin(r);
		page_cell(r, c ? fam_name(r, c->given_name, c->family_name)
			       : "");
		page_cell(r, l->relationship);
		page_cell(r, l->parental_responsibility ? "Yes" : "No");
		page_cell(r, l->current
				     ? (l->start_date[0]
						? arena_printf(r->a, "Since %s",
							       page_when(r, l->start_date))
						: "Yes")
				     : arena_printf(r->a, "Until %s",
						    page_when(r, l->end_date)));
		page_row_end(r);
	}
	page_table_end(r);
	if (p->nfactors == 0) {
		page_para(r, "No parental factors recorded.");
		return;
	}
	html_raw(o, "<h4 class=\"govuk-heading-s\">Parental factors</h4>");
	static const char *const fh[] = {"Parental factor", "Known since",
					 "Source", "Recorded by"};
	page_table_begin_hidden(r, arena_printf(r->a, "Parental factors: %s",
						p->name), fh, 4, NULL);
	for (int i = 0; i < p->nfactors; i++) {
		const struct family_factor *k = &p->factors[i];
		page_row_begin(r);
		page_cell(r, codes_label(family_factor_codes, k->factor));
		page_cell(r, page_when(r, k->noted_on));
		page_cell(r, fam_source(r, f, k));
		page_cell(r, k->recorded_by_name);
		page_row_end(r);
	}
	page_table_end(r);
}

static void fam_tagged(struct req *r, const struct family *f)
{
	page_h2(r, "Parental factors on the children's assessments");
	if (f->ntagged == 0) {
		page_para(r, "None of the children's assessments has a "
			     "parental factor.");
		return;
	}
	static const char *const heads[] = {"Child", "Assessment started",
					    "Factor"};
	page_table_begin_hidden(r, "Parental factors on the children's "
				"assessments", heads, 3, NULL);
	for (int i = 0; i < f->ntagged; i++) {
		const struct family_tagged *t = &f->tagged[i];
		const struct family_child *c = fam_child(f, t->child_id);
		page_row_begin(r);
		page_cell(r, c ? fam_name(r, c->given_name, c->family_name)
			       : "");
		page_cell_begin(r);
		page_link(r, page_record_href(r, "assessment", t->assessment_id),
			  page_when(r, t->started_on));
		page_cell_end(r);
		page_cell(r, codes_label(family_factor_codes, t->factor));
		page_row_end(r);
	}
	page_table_end(r);
}

static void family_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct family f;
	int rc = family_read(r->db, &r->act, ch.child_id, false, r->a, &f);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "The whole family", NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	const char *saved = req_query(r, "saved");
	if (saved)
		page_banner(r, strcmp(saved, "factor") == 0
				       ? "Parental factor recorded"
				       : "Added to the family");
	page_h2(r, "Children");
	if (f.more)
		page_para(r, "The family has more children than this page "
			     "shows: see each child's family and network.");
	fam_children_table(r, &f);
	page_h2(r, "Adults and others in the children's lives");
	if (f.nadults == 0)
		page_para(r, "No one recorded yet.");
	for (int i = 0; i < f.nadults; i++)
		fam_adult(r, &f, &f.adults[i]);
	fam_tagged(r, &f);
	if (req_can(r, PERM_CHILD_UPDATE)) {
		page_para_link(r, fam_path(r, ch.child_id, "/family/people/new"),
			       "Add someone to the family");
		if (f.nadults)
			page_para_link(r, fam_path(r, ch.child_id,
						   "/family/factors/new"),
				       "Record a parental factor");
	}
	page_end(r);
	/* every child shown is a read of their record */
	int64_t ids[FAMILY_MAX_CHILDREN];
	for (int i = 0; i < f.nchildren; i++)
		ids[i] = f.children[i].child_id;
	if (req_audit_shown(r, "list", "family", ids, f.nchildren) != 0) {
		answer_error(r, ERR_STORE, NULL, NULL);
		return;
	}
	child_page_send(r, 200);
}

/* ---- forms ---------------------------------------------------------------- */

/* What a form draws besides the fields of its type: the choices of
 * people and assessments (from the family), before the fields. */
struct fam_form {
	const char *title;
	const char *action; /* after /children/{id} */
	const char *intro;
	const struct record_type *type; /* the fields drawn */
	const char *button;
	void (*choices)(struct req *r, const struct child *ch,
			const struct family *f, const void *rec,
			const struct field_errors *e);
};

static void fam_form_page(struct req *r, const struct fam_form *ff,
			  const void *rec, const struct field_errors *e,
			  int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct family f = {0};
	int rc = ff->choices ? family_read(r->db, &r->act, ch.child_id, false,
					   r->a, &f)
			     : ERR_OK;
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, ff->title, e);
	child_page_caption(r, &ch);
	page_back_link(r, page_record_href(r, "child", ch.child_id));
	if (ff->intro)
		page_para(r, ff->intro);
	if (ff->choices && f.nadults == 0) {
		page_para(r, "No one is recorded in this child's family yet.");
	} else {
		form_begin(r, fam_path(r, ch.child_id, ff->action));
		if (ff->choices)
			ff->choices(r, &ch, &f, rec, e);
		fields_form(r, ff->type, rec, e);
		form_button(r, ff->button, false);
		form_end(r);
	}
	page_end(r);
	child_page_send(r, status);
}

static const char *fam_id_text(struct req *r, int64_t id)
{
	return id > 0 ? arena_printf(r->a, "%lld", (long long)id) : "";
}

/* Who they already are in the family, without naming a child. */
static const char *fam_roles(struct req *r, const struct family_adult *p)
{
	const char *s = "";
	for (int i = 0; i < p->nlinks; i++)
		s = arena_printf(r->a, "%s%s%s", s, i ? ", " : "",
				 p->links[i].relationship);
	return arena_printf(r->a, "In the family as: %s", s);
}

static void factor_choices(struct req *r, const struct child *ch,
			   const struct family *f, const void *rec,
			   const struct field_errors *e)
{
	const struct family_factor_input *in = rec;
	struct choice *v = arena_alloc(r->a, (size_t)(f->nadults + 1) *
						     sizeof(*v));
	for (int i = 0; v && i < f->nadults; i++) {
		const struct family_adult *p = &f->adults[i];
		const struct family_link *l = fam_link(p, ch->child_id);
		v[i].value = fam_id_text(r, p->person_id);
		v[i].label = p->name;
		v[i].hint = l ? l->relationship : fam_roles(r, p);
	}
	form_radios(r, e, "person_id", "Who is it about?", NULL, v,
		    v ? f->nadults : 0, fam_id_text(r, in ? in->person_id : 0));
	struct choice *s = arena_alloc(r->a, (size_t)(f->nassessments + 1) *
						     sizeof(*s));
	int n = 0;
	if (s)
		s[n++] = (struct choice){"", "Not from an assessment", NULL};
	for (int i = 0; s && i < f->nassessments; i++) {
		const struct family_assessment *k = &f->assessments[i];
		const struct family_child *c = fam_child(f, k->child_id);
		s[n].value = fam_id_text(r, k->assessment_id);
		s[n].label = arena_printf(r->a, "%s's assessment, started %s",
					  c ? c->given_name : "A child",
					  page_when(r, k->started_on));
		s[n].hint = NULL;
		n++;
	}
	form_select(r, e, "assessment_id", "From an assessment (optional)",
		    "The assessment it was found in, if it was", s, s ? n : 0,
		    fam_id_text(r, in ? in->assessment_id : 0));
}

static const struct fam_form person_form = {
	"Add someone to the family", "/family/people", "Add a parent, "
	"step-parent, grandparent, family friend or anyone else who matters "
	"to the child. They are entered once: add them to a brother's or "
	"sister's record from that child's page.",
	&family_person_input_type, "Add the person", NULL,
};
static const struct fam_form factor_form = {
	"Record a parental factor", "/family/factors", "A parental factor "
	"matters to every child of the family: it is shown on each child's "
	"family and noted in each child's chronology.",
	&family_factor_form_type, "Record the factor", factor_choices,
};

static void person_new(struct req *r)
{
	struct family_person_input in = {0};
	fam_form_page(r, &person_form, &in, NULL, 200);
}

static void factor_new(struct req *r)
{
	struct family_factor_input in = {0};
	fam_form_page(r, &factor_form, &in, NULL, 200);
}

/* A form's POST: read, write, and answer (422 with the form again). */
static void fam_post(struct req *r, const struct fam_form *ff,
		     const struct record_type *t, void *in,
		     int (*op)(struct req *r, const void *in,
			       struct field_errors *e),
		     const char *done)
{
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, t, in, &fe);
	if (rc == ERR_OK)
		rc = op(r, in, &de);
	if (rc == ERR_INVALID || (rc == ERR_CONFLICT && de.n)) {
		fields_errors(r, t, &de, &fe);
		fam_form_page(r, ff, in, &fe, rc == ERR_CONFLICT ? 409 : 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
	} else {
		page_redirect(r, fam_path(r, r->ids[0], done));
	}
}

static int person_op(struct req *r, const void *in, struct field_errors *e)
{
	return family_person_add(r->db, &r->act, r->ids[0], in, NULL, e);
}

static int factor_op(struct req *r, const void *in, struct field_errors *e)
{
	return family_factor_add(r->db, &r->act, r->ids[0], in, NULL, e);
}

static void person_create(struct req *r)
{
	struct family_person_input in = {0};
	fam_post(r, &person_form, &family_person_input_type, &in, person_op,
		 "/family?saved=person");
}

static void factor_create(struct req *r)
{
	struct family_factor_input in = {0};
	fam_post(r, &factor_form, &family_factor_input_type, &in, factor_op,
		 "/family?saved=factor");
}

/* ---- people from a brother's or sister's record, in one step ------------- */

/* Up to LINKS_MAX of the family's people not linked to the child, each
 * a row of the form: who they are to this child ("Do not add" by
 * default), in words for "someone else", parental responsibility.  The
 * rows chosen are linked in one transaction: all or none. */
#define LINKS_MAX 8

struct links_row {
	const struct family_adult *p;
	struct family_link_input in;
};

static const char *links_key(struct req *r, const char *stem, int i)
{
	return arena_printf(r->a, "%s_%d", stem, i + 1);
}

/* The family's people not linked to the child (at most LINKS_MAX). */
static int links_rows(const struct family *f, int64_t child_id,
		      struct links_row *v)
{
	int n = 0;
	for (int i = 0; i < f->nadults && n < LINKS_MAX; i++)
		if (fam_link(&f->adults[i], child_id) == NULL)
			v[n++] = (struct links_row){&f->adults[i], {0}};
	return n;
}

static void links_form(struct req *r, const struct child *ch,
		       const struct links_row *v, int n,
		       const struct field_errors *e)
{
	static const struct choice yn[] = {{"yes", "Yes", NULL},
					   {"no", "No", NULL}};
	int nc = (int)codes_count(family_rel_codes);
	struct choice *rel = arena_alloc(r->a, (size_t)(nc + 1) * sizeof(*rel));
	if (rel == NULL)
		return;
	rel[0] = (struct choice){"", "Do not add", NULL};
	for (int k = 0; k < nc; k++)
		rel[k + 1] = (struct choice){family_rel_codes[k].code,
					     family_rel_codes[k].label, NULL};
	struct sbuf *o = page_out(r);
	form_begin(r, fam_path(r, ch->child_id, "/family/links"));
	for (int i = 0; i < n; i++) {
		const struct family_adult *p = v[i].p;
		html_raw(o, "<h2 class=\"govuk-heading-m\">");
		html_text(o, p->name);
		html_raw(o, "</h2>");
		page_para(r, fam_roles(r, p));
		form_hidden(r, links_key(r, "person", i),
			    fam_id_text(r, p->person_id));
		form_select(r, e, links_key(r, "relationship", i),
			    arena_printf(r->a, "Who is %s to the child?",
					 p->name), NULL, rel, nc + 1,
			    v[i].in.relationship ? v[i].in.relationship : "");
		form_input(r, e, links_key(r, "relationship_other", i),
			   "Who they are, in words (optional)",
			   "Needed for someone else who matters to the child",
			   v[i].in.relationship_other,
			   "govuk-!-width-two-thirds", "off", NULL);
		form_radios(r, e, links_key(r, "parental_responsibility", i),
			    arena_printf(r->a, "Does %s have parental "
					 "responsibility for the child?",
					 p->name), NULL, yn, 2,
			    v[i].in.parental_responsibility ? "yes" : "no");
	}
	form_button(r, "Add to this child's family", false);
	form_end(r);
}

static void links_page(struct req *r, struct links_row *posted, int nposted,
		       const struct field_errors *e, int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct family f;
	int rc = family_read(r->db, &r->act, ch.child_id, false, r->a, &f);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	struct links_row v[LINKS_MAX];
	int n = links_rows(&f, ch.child_id, v);
	/* what was typed, for the rows still offered */
	for (int i = 0; i < n; i++)
		for (int k = 0; k < nposted; k++)
			if (posted[k].in.person_id == v[i].p->person_id)
				v[i].in = posted[k].in;
	page_begin(r, "Add people from a brother's or sister's record", e);
	child_page_caption(r, &ch);
	page_back_link(r, page_record_href(r, "child", ch.child_id));
	if (n == 0) {
		page_para(r, "Everyone on the brothers' and sisters' records is "
			     "already in this child's family and network. To "
			     "add someone else, use \"Add someone to the "
			     "family\".");
	} else {
		page_para(r, "These people are on a brother's or sister's "
			     "record. Say who each one is to this child to add "
			     "them: they are not entered again. Leave \"Do not "
			     "add\" for anyone who is not in this child's life.");
		links_form(r, &ch, v, n, e);
	}
	page_end(r);
	child_page_send(r, status);
}

static void links_new(struct req *r)
{
	links_page(r, NULL, 0, NULL, 200);
}

/* The rows chosen, read from the form (person_N, relationship_N...). */
static int links_read(struct req *r, struct links_row *v)
{
	int n = 0;
	for (int i = 0; i < LINKS_MAX; i++) {
		const char *pid = req_form(r, links_key(r, "person", i));
		const char *rel = req_form(r, links_key(r, "relationship", i));
		int64_t id = 0;
		if (pid == NULL || !str_to_i64z(pid, 1, INT64_MAX, &id))
			continue;
		const char *pr = req_form(r, links_key(r,
				"parental_responsibility", i));
		const char *other = req_form(r, links_key(r,
				"relationship_other", i));
		v[n].p = NULL;
		v[n].in = (struct family_link_input){
			.person_id = id,
			.relationship = rel && rel[0] ? rel : NULL,
			.relationship_other = other && other[0] ? other : NULL,
			.parental_responsibility = pr && strcmp(pr, "yes") == 0,
		};
		n++;
	}
	return n;
}

static void links_create(struct req *r)
{
	struct links_row v[LINKS_MAX];
	int n = links_read(r, v);
	struct field_errors fe = {0};
	bool own = false, any = false;
	int rc = tx_begin(r->db, &own);
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		if (v[i].in.relationship == NULL)
			continue; /* "Do not add" */
		any = true;
		struct field_errors de = {0};
		int k = family_link_add(r->db, &r->act, r->ids[0], &v[i].in,
					&de);
		/* each message on its own row's input */
		for (int j = 0; j < de.n; j++)
			fe_set(&fe, links_key(r, strcmp(de.v[j].field,
							"person_id") == 0
						       ? "relationship"
						       : de.v[j].field, i),
			       de.v[j].msg);
		if (k == ERR_INVALID || (k == ERR_CONFLICT && de.n))
			continue; /* the other rows' errors too */
		rc = k;
	}
	if (rc == ERR_OK && !any)
		fe_set(&fe, links_key(r, "relationship", 0),
		       "Say who at least one person is to the child, or go "
		       "back");
	if (rc == ERR_OK && fe.n)
		rc = ERR_INVALID;
	rc = tx_end(r->db, own, rc);
	if (rc == ERR_INVALID)
		links_page(r, v, n, &fe, 422);
	else if (rc != ERR_OK)
		answer_error(r, rc, NULL, "child");
	else
		page_redirect(r, fam_path(r, r->ids[0], "/family?saved=link"));
}

static struct param_spec p_links[LINKS_MAX * 4 + 1];

static void links_params(void)
{
	static const char *const stems[] = {"person", "relationship",
					    "relationship_other",
					    "parental_responsibility"};
	int k = 0;
	for (int i = 0; i < LINKS_MAX; i++)
		for (int s = 0; s < 4; s++) {
			char name[48];
			snprintf(name, sizeof(name), "%s_%d", stems[s], i + 1);
			p_links[k++] = (struct param_spec){
				xstrdup(name), s == 0 ? PARAM_INT : PARAM_LINE,
				s == 2 ? 480 : 24, false};
		}
}

/* ---- routes ------------------------------------------------------------------ */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_LINE, 10, false},
	{NULL, 0, 0, false},
};

static struct param_spec p_person[20], p_factor[16];

__attribute__((constructor)) static void fam_params(void)
{
	fields_params(&family_person_input_type, NULL, p_person, 20);
	links_params();
	fields_params(&family_factor_input_type, NULL, p_factor, 16);
}

const struct route family_page_routes[] = {
	{HTTP_GET, "/children/{id}/family", PERM_EPISODE_READ, 0, p_saved,
	 family_page, "The whole family", NULL},
	{HTTP_GET, "/children/{id}/family/people/new", PERM_CHILD_UPDATE, 0,
	 NULL, person_new, "Form: add someone to the family", NULL},
	{HTTP_POST, "/children/{id}/family/people", PERM_CHILD_UPDATE,
	 ROUTE_FORM, p_person, person_create, "Add someone to the family",
	 NULL},
	{HTTP_GET, "/children/{id}/family/links/new", PERM_CHILD_UPDATE, 0,
	 NULL, links_new,
	 "Form: add someone from a brother's or sister's record", NULL},
	{HTTP_POST, "/children/{id}/family/links", PERM_CHILD_UPDATE,
	 ROUTE_FORM, p_links, links_create,
	 "Add someone from a brother's or sister's record", NULL},
	{HTTP_GET, "/children/{id}/family/factors/new", PERM_CHILD_UPDATE, 0,
	 NULL, factor_new, "Form: record a parental factor", NULL},
	{HTTP_POST, "/children/{id}/family/factors", PERM_CHILD_UPDATE,
	 ROUTE_FORM, p_factor, factor_create, "Record a parental factor",
	 NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
