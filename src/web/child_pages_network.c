/*
 * child_pages_network.c: the child's family and network (a section of
 * the record: parents, carers, brothers and sisters, significant adults,
 * professionals), the form that adds someone and the one that ends
 * their involvement.  See child_pages_int.h.
 */
#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "family/family.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"

#include <string.h>

int child_page_network_load(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void **data)
{
	struct child_member *v = NULL;
	int n = 0;
	/* a brother or sister the viewer may not see comes unlinked
	 * (child_network asks child_visible): named, with no link that
	 * would only answer "not found" */
	int rc = child_network(r->db, x, r->a, ch->child_id, &v, &n);
	return child_page_rows_keep(r, data, v, n, rc);
}

static const char *member_kind_label(const char *id)
{
	enum child_member_kind k;
	return child_member_kind_parse(id, &k) ? child_member_kind_label(k) : id;
}

/* Since when, until when, or current (with a tag). */
static void involved_cell(struct req *r, const struct child_member *m)
{
	struct sbuf *o = page_out(r);
	page_cell_begin(r);
	if (m->current) {
		if (m->start_date[0]) {
			html_raw(o, "Since ");
			html_text(o, page_when(r, m->start_date));
			html_raw(o, "<br>");
		}
		page_tag(r, "Current", "green");
	} else if (m->start_date[0]) {
		html_text(o, page_when(r, m->start_date));
		html_text(o, " to ");
		html_text(o, page_when(r, m->end_date));
	} else {
		html_raw(o, "Ended ");
		html_text(o, page_when(r, m->end_date));
	}
	page_cell_end(r);
}

/* "End involvement" while it has not ended. */
static void end_cell(struct req *r, int64_t id, const struct child_member *m)
{
	struct sbuf *o = page_out(r);
	page_cell_begin(r);
	if (m->end_date[0] == '\0') {
		html_raw(o, "<a class=\"govuk-link\"");
		html_attr(o, "href", child_page_end_path(r, id, "/network/",
							 m->member_id));
		html_raw(o, ">End involvement<span class=\"govuk-visually-"
			    "hidden\"> of ");
		html_text(o, m->name);
		html_raw(o, "</span></a>");
	}
	page_cell_end(r);
}

void child_page_network_render(struct req *r, const struct child_ctx *x,
			       const struct child *ch, void *data)
{
	(void)x;
	const struct child_page_rows *l = data;
	const struct child_member *v = l->v;
	bool upd = req_can(r, PERM_CHILD_UPDATE);
	if (l->n == 0)
		page_para(r, "No one recorded yet.");
	else {
		static const char *const heads[] = {
			"Name", "Who they are", "Organisation", "Telephone",
			"Parental responsibility", "Involved", "Action"};
		page_table_begin_hidden(r, "Family, significant adults and "
					"professionals", heads, upd ? 7 : 6,
					NULL);
		for (int i = 0; i < l->n; i++) {
			const struct child_member *m = &v[i];
			page_row_begin(r);
			page_cell_begin(r);
			if (m->linked_child_id > 0)
				page_link(r, child_page_path(r, m->linked_child_id,
							     NULL), m->name);
			else
				html_text(page_out(r), m->name);
			page_cell_end(r);
			page_cell(r, child_page_join(r, member_kind_label(m->kind),
						     ": ", m->relationship,
						     (const char *)NULL));
			page_cell(r, m->org_name);
			page_cell(r, m->phone);
			page_cell(r, m->parental_responsibility ? "Yes" : "No");
			involved_cell(r, m);
			if (upd)
				end_cell(r, ch->child_id, m);
			page_row_end(r);
		}
		page_table_end(r);
	}
	child_page_update_link(r, ch->child_id, "/network/new",
			       "Add a family member, significant adult or "
			       "professional");
}

/* ---- add someone ---------------------------------------------------------- */

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

/* The organisations a professional may be from (oc: p->data). */
static int member_load(struct req *r, struct child_form_page *p)
{
	struct org_choices *oc = arena_zalloc(r->a, sizeof(*oc));
	if (oc == NULL)
		return ERR_NOMEM;
	*oc = (struct org_choices){r, NULL, 0, 200};
	oc->v = arena_alloc(r->a, (size_t)oc->cap * sizeof(*oc->v));
	p->data = oc;
	return oc->v ? child_orgs(r->db, &p->x, org_choice, oc) : ERR_NOMEM;
}

static bool member_fields(struct req *r, const struct child_form_page *p)
{
	const struct field_errors *fe = p->fe;
	const struct org_choices *oc = p->data;
#define V(name) child_page_typed(r, p, name)
	form_radios(r, fe, "kind", "Who is this person to the child?", NULL,
		    kind_choices, 5, V("kind"));
	form_input(r, fe, "name", "Full name", NULL, V("name"),
		   "govuk-!-width-two-thirds", "off", NULL);
	form_input(r, fe, "relationship", "Relationship or role",
		   "For example mother, grandfather, older brother, lead "
		   "professional, school DSL, GP or health visitor",
		   V("relationship"), "govuk-!-width-two-thirds", "off", NULL);
	form_select(r, fe, "org_id", "Organisation (professionals only)", NULL,
		    oc->v, oc->n, V("org_id"));
	form_input(r, fe, "phone", "Telephone (optional)", NULL, V("phone"),
		   "govuk-input--width-20", "off", "tel");
	form_input(r, fe, "linked_la_ref",
		   "Their own record's LA reference (optional)",
		   "For a brother or sister who has a record, for example "
		   "NWD0001234", V("linked_la_ref"), "govuk-input--width-10",
		   "off", NULL);
	form_radios(r, fe, "parental_responsibility",
		    "Do they have parental responsibility?", NULL, yes_no, 2,
		    p->post ? req_form(r, "parental_responsibility") : "no");
	form_date_of(r, fe, "start_date", "Involved since (optional)",
		     "For example, 1 9 2023", p->post, NULL);
#undef V
	return true;
}

/* A brother's or sister's record just linked: when their family brings
 * people not yet in this child's family and network, the next page
 * offers them, to add in one step (family/family.h, D55).  Only a
 * reader of the family (PERM_EPISODE_READ) is offered; any failure to
 * read leaves the usual answer. */
static void member_offer(struct req *r, struct child_form_post *p,
			 int64_t member_id)
{
	struct child_member m;
	if (!req_can(r, PERM_EPISODE_READ) ||
	    child_member_get(r->db, &p->x, r->a, r->ids[0], member_id, &m) !=
		    ERR_OK ||
	    m.linked_child_id <= 0)
		return;
	struct family f;
	if (family_read_section(r->db, &r->act, r->ids[0], r->a, &f) != ERR_OK)
		return;
	for (int i = 0; i < f.nadults; i++) {
		bool linked = false;
		for (int k = 0; k < f.adults[i].nlinks; k++)
			linked = linked ||
				 f.adults[i].links[k].child_id == r->ids[0];
		if (!linked) {
			p->done = "/family/links/new";
			return;
		}
	}
}

static int member_submit(struct req *r, struct child_form_post *p)
{
	struct child_member_input in = {0};
	in.start_date = child_page_date(r, "start_date", "Involved since",
					&p->fe, &p->skip);
	in.kind = req_form(r, "kind");
	in.name = req_form(r, "name");
	in.relationship = req_form(r, "relationship");
	in.phone = req_form(r, "phone");
	const char *org = req_form(r, "org_id");
	if (org && org[0] && !str_to_i64z(org, 1, INT64_MAX, &in.org_id))
		fe_set(&p->fe, "org_id", "Select the organisation from the list");
	in.linked_la_ref = req_form(r, "linked_la_ref");
	const char *pr = req_form(r, "parental_responsibility");
	in.parental_responsibility = pr && strcmp(pr, "yes") == 0;
	/* with a page error the domain stops at validation: the bad date or
	 * the bad organisation id makes sure of it */
	int64_t mid;
	int rc = child_member_add(r->db, &p->x, r->ids[0], &in, &mid, &p->ce);
	if (rc == ERR_OK)
		member_offer(r, p, mid);
	return rc;
}

static const struct child_form member_form = {
	.title = "Add someone to the family and network", .action = "/network",
	.button = "Add the person", .done = "?done=network",
	.load = member_load, .fields = member_fields, .submit = member_submit,
};

void child_page_member_new(struct req *r)
{
	child_page_form(r, &member_form, NULL, 200);
}

void child_page_member_create(struct req *r)
{
	child_page_form_post(r, &member_form);
}

/* ---- end someone's involvement ---------------------------------------- */

static int member_end_load(struct req *r, struct child_form_page *p)
{
	struct child_member *m = arena_zalloc(r->a, sizeof(*m));
	if (m == NULL)
		return ERR_NOMEM;
	int rc = child_member_get(r->db, &p->x, r->a, r->ids[0], r->ids[1], m);
	if (rc != ERR_OK)
		return rc;
	p->data = m;
	p->title = arena_printf(r->a, "End %s's involvement", m->name);
	return ERR_OK;
}

/* The date the form shows: what was typed, else today's. */
static const char *end_part(struct req *r, const struct child_form_page *p,
			    const char *name, int today)
{
	return p->post ? req_form(r, name) : arena_printf(r->a, "%d", today);
}

static bool member_end_fields(struct req *r, const struct child_form_page *p)
{
	const struct child_member *m = p->data;
	if (m->end_date[0]) {
		page_para(r, arena_printf(r->a, "This involvement ended on %s.",
					  page_when(r, m->end_date)));
		return false;
	}
	form_begin(r, child_page_end_path(r, p->ch.child_id, "/network/",
					  m->member_id));
	struct cal_date t = p->x.act->today;
	form_date(r, p->fe, "end_date", "Date their involvement ended",
		  "For example, 1 5 2024", end_part(r, p, "end_date-day", t.d),
		  end_part(r, p, "end_date-month", t.m),
		  end_part(r, p, "end_date-year", t.y));
	return true;
}

/* A date the page cannot read is refused before the domain is asked. */
static int member_end_submit(struct req *r, struct child_form_post *p)
{
	const char *end = NULL;
	if (!page_date_field(r, false, "end_date", "End date", &p->fe, &end))
		return ERR_INVALID;
	return child_member_end(r->db, &p->x, r->ids[0], r->ids[1], end,
				&p->ce);
}

static const struct child_form member_end_form = {
	.button = "End involvement", .done = "?done=network-ended",
	.load = member_end_load, .fields = member_end_fields,
	.submit = member_end_submit,
};

void child_page_member_end_get(struct req *r)
{
	child_page_form(r, &member_end_form, NULL, 200);
}

void child_page_member_end_post(struct req *r)
{
	child_page_form_post(r, &member_end_form);
}
