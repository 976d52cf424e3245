/*
 * practice_pages.c: visits, case notes and the child's voice
 * (practice/practice.h).
 *
 *   section "Visits and the child's voice" on the child's page: when
 *        the child was last seen and last seen alone, the newest visits,
 *        links to everything
 *   GET  /children/{id}/visits                 every visit
 *   GET  /children/{id}/visits/new             the form;  POST .../visits
 *   GET  /children/{id}/visits/{id}            one visit
 *   GET  /visits/{id}                          to the visit's page (the
 *        chronology's link)
 *   GET  /children/{id}/case-notes             every note, newest first
 *   GET  /children/{id}/case-notes/new         the form;  POST .../case-notes
 *   GET  /children/{id}/case-notes/{id}        a note as first written and
 *        each correction, and the form that corrects it (POST
 *        .../case-notes/{id}/correction)
 *   GET  /children/{id}/voice                  everything the child has
 *        said, in the order they said it, with who heard it
 *   GET  /children/{id}/voice/new              the form;  POST .../voice
 *
 * Every page opens the child's snapshot (the partner rule), reads in it
 * and audits the read of the child before anything is sent
 * (child_page_open / child_page_send).  A form that fails re-shows what
 * was typed with the error summary (422) and saves nothing.
 */
#include "child/child.h"
#include "core/arena.h"
#include "domain/field.h"
#include "http/html.h"
#include "practice/practice.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"
#include "web/glance.h"

#include <string.h>

#define SECTION_VISITS 3

static const char *child_path(struct req *r, int64_t child_id,
			      const char *tail)
{
	const char *p = arena_printf(r->a, "/children/%lld%s",
				     (long long)child_id, tail);
	return p ? p : "/";
}

static const char *name_of(const struct child *ch)
{
	return ch->given_name;
}

/* ---- visits: columns ------------------------------------------------------ */

static void seen_cell(struct req *r, const void *rec)
{
	const struct visit *v = rec;
	html_text(page_out(r), !v->child_seen ? "Not seen"
			       : v->seen_alone ? "Seen alone"
					       : "Seen, not alone");
}

static const struct column visit_cols[] = {
	{.head = "When", .field = "visited_at"},
	{.head = "Where", .field = "place"},
	{.head = "The child", .show = seen_cell},
	{.head = "Visited by", .field = "visitor_name"},
	{0},
};

static const struct column visit_rows[] = {
	{.head = "When", .field = "visited_at"},
	{.head = "Where", .field = "place"},
	{.head = "Where else", .field = "place_detail"},
	{.head = "The child", .show = seen_cell},
	{.head = "Who else was there", .field = "others_present",
	 .empty = "No one recorded"},
	{.head = "Visited by", .field = "visitor_name"},
	{0},
};

/* A table of visits, each linked to its page. */
static void visits_table(struct req *r, int64_t child_id,
			 const struct visit *v, int n, const char *caption)
{
	static const char *const heads[] = {"When", "Where", "The child",
					    "Visited by"};
	page_table_begin_hidden(r, caption, heads, 4, NULL);
	for (int i = 0; i < n; i++) {
		page_row_begin(r);
		page_cell_begin(r);
		page_link(r, arena_printf(r->a, "/children/%lld/visits/%lld",
					  (long long)child_id,
					  (long long)v[i].visit_id),
			  fields_value(r, field_find(&visit_view, "visited_at"),
				       &v[i]));
		page_cell_end(r);
		for (int k = 1; visit_cols[k].head; k++) {
			page_cell_begin(r);
			if (visit_cols[k].show)
				visit_cols[k].show(r, &v[i]);
			else
				html_text(page_out(r),
					  fields_value(r, field_find(
						&visit_view, visit_cols[k].field),
						&v[i]));
			page_cell_end(r);
		}
		page_row_end(r);
	}
	page_table_end(r);
}

/* ---- the section on the child's page ------------------------------------- */

struct loaded_visits {
	struct visit *v;
	int n;
};

static int load_section(struct req *r, const struct child_ctx *x,
			const struct child *ch, void **data)
{
	struct loaded_visits *l = arena_zalloc(r->a, sizeof(*l));
	if (l == NULL)
		return ERR_NOMEM;
	*data = l;
	return practice_visits_child(r->db, x->act, ch->child_id, r->a, &l->v,
				     &l->n);
}

/* "Last seen" and "last seen alone": the newest visits that saw them. */
static void last_seen(struct req *r, const struct visit *v, int n)
{
	const struct visit *seen = NULL, *alone = NULL;
	for (int i = 0; i < n && !(seen && alone); i++) {
		if (v[i].child_seen && !seen)
			seen = &v[i];
		if (v[i].seen_alone && !alone)
			alone = &v[i];
	}
	summary_begin(r);
	summary_row(r, "Last seen", seen ? page_when(r, seen->visited_at)
					 : "Not seen at a recorded visit");
	summary_row(r, "Last seen alone",
		    alone ? page_when(r, alone->visited_at)
			  : "Not seen alone at a recorded visit");
	summary_end(r);
}

static void render_section(struct req *r, const struct child_ctx *x,
			   const struct child *ch, void *data)
{
	(void)x;
	const struct loaded_visits *l = data;
	last_seen(r, l->v, l->n);
	if (l->n == 0)
		page_para(r, "No visits recorded.");
	else
		visits_table(r, ch->child_id, l->v,
			     l->n < SECTION_VISITS ? l->n : SECTION_VISITS,
			     "The newest visits");
	if (l->n > SECTION_VISITS)
		page_para_link(r, child_path(r, ch->child_id, "/visits"),
			       arena_printf(r->a, "See all %d visits", l->n));
	page_para_link(r, child_path(r, ch->child_id, "/case-notes"),
		       "Case notes");
	page_para_link(r, child_path(r, ch->child_id, "/voice"),
		       "Everything the child has said");
	if (req_can(r, PERM_PRACTICE_WRITE))
		page_para_link(r, child_path(r, ch->child_id, "/visits/new"),
			       "Record a visit");
}

/* Last seen and seen alone, for the summary at the top (glance.h). */
void practice_pages_glance(struct glance *g, const void *section_data)
{
	const struct loaded_visits *l = section_data;
	glance_seen(g, l->v, l->n);
}

const struct child_section practice_child_sections[] = {
	{"visits", "Visits and the child's voice", PERM_PRACTICE_READ, 45,
	 load_section, NULL, render_section},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* A form about the child (web/fields.h): its heading, the child as the
 * caption, a back link, the fields, one button; read in the child's
 * snapshot and sent after its audit (child_page_send). */
struct form_spec {
	const char *title;
	const char *back;   /* after /children/{id}; NULL: the record */
	const char *action; /* after /children/{id} */
	const char *intro;  /* a paragraph above the form, or NULL */
	const struct record_type *type;
	const char *button;
};

static void form_page(struct req *r, const struct form_spec *f,
		      const void *rec, const struct field_errors *e,
		      int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	page_begin(r, f->title, e);
	child_page_caption(r, &ch);
	page_back_link(r, f->back ? child_path(r, ch.child_id, f->back)
				  : page_record_href(r, "child", ch.child_id));
	if (f->intro)
		page_para(r, f->intro);
	form_begin(r, child_path(r, ch.child_id, f->action));
	fields_form(r, f->type, rec, e);
	form_button(r, f->button, false);
	form_end(r);
	page_end(r);
	child_page_send(r, status);
}

static const struct form_spec visit_form = {
	"Record a visit", NULL, "/visits", NULL, &visit_input_type,
	"Save the visit",
};
static const struct form_spec note_form = {
	"Add a case note", "/case-notes", "/case-notes",
	"Once saved a note cannot be changed. If something in it is wrong, "
	"add a correction: the note as first written is kept beside it.",
	&note_input_type, "Save the case note",
};
static const struct form_spec voice_form = {
	"Record what the child said", "/voice", "/voice", NULL,
	&voice_input_type, "Save",
};

/* ---- visits ----------------------------------------------------------------- */

static void visits_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct visit *v;
	int n;
	int rc = practice_visits_child(r->db, &r->act, ch.child_id, r->a, &v,
				       &n);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "Visits", NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved"))
		page_banner(r, "Visit recorded");
	last_seen(r, v, n);
	if (n == 0)
		page_para(r, "No visits recorded.");
	else
		visits_table(r, ch.child_id, v, n, "Visits, newest first");
	if (req_can(r, PERM_PRACTICE_WRITE))
		page_para_link(r, child_path(r, ch.child_id, "/visits/new"),
			       "Record a visit");
	page_end(r);
	child_page_send(r, 200);
}


static void visit_new(struct req *r)
{
	char now[17];
	cal_time_format(r->act.civil, now);
	struct visit_input in = {.visited_at = now, .child_seen = true};
	form_page(r, &visit_form, &in, NULL, 200);
}

static void visit_create(struct req *r)
{
	struct visit_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int64_t id = 0;
	int rc = fields_take(r, &visit_input_type, &in, &fe);
	if (rc == ERR_OK)
		rc = practice_visit_record(r->db, &r->act, r->cal, r->ids[0], &in, &id,
					   &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &visit_input_type, &de, &fe);
		form_page(r, &visit_form, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
	} else {
		page_redirect(r, arena_printf(r->a, "/children/%lld/visits/%lld"
					      "?saved=1", (long long)r->ids[0],
					      (long long)id));
	}
}

static void visit_show(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct visit v;
	int rc = practice_visit_get(r->db, &r->act, ch.child_id, r->ids[1],
				    r->a, &v);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "Visit, %s",
				   page_when(r, v.visited_at)), NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved"))
		page_banner(r, "Visit recorded");
	fields_summary(r, &visit_view, visit_rows, &v);
	page_h2(r, "What was seen and heard");
	page_narrative(r, v.observations);
	page_para_link(r, child_path(r, ch.child_id, "/visits"),
		       "All visits");
	page_end(r);
	child_page_send(r, 200);
}

/* ---- case notes ------------------------------------------------------------ */

static const char *note_path(struct req *r, int64_t child_id, int64_t id,
			     const char *tail)
{
	const char *p = arena_printf(r->a, "/children/%lld/case-notes/%lld%s",
				     (long long)child_id, (long long)id, tail);
	return p ? p : "/";
}

/* "Written by X, 3 April 2026" from a note's author and UTC stamp. */
static const char *written(struct req *r, const struct case_note *n)
{
	return arena_printf(r->a, "%s %s, %s",
			    n->corrects ? "Corrected by" : "Written by",
			    n->author_name[0] ? n->author_name : "someone",
			    page_time(r, n->created_at));
}

static void notes_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct note_line *l;
	int n;
	int rc = practice_notes_child(r->db, &r->act, ch.child_id, r->a, &l,
				      &n);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "Case notes", NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved"))
		page_banner(r, "Case note saved");
	bool write = req_can(r, PERM_PRACTICE_WRITE);
	if (write)
		page_para_link(r, child_path(r, ch.child_id, "/case-notes/new"),
			       "Add a case note");
	if (n == 0)
		page_para(r, "No case notes recorded.");
	else
		page_para(r, "Newest first. A note is never changed: a "
			     "correction is kept beside the note as first "
			     "written.");
	struct sbuf *o = page_out(r);
	for (int i = 0; i < n; i++) {
		const struct case_note *cur = l[i].current, *org = l[i].original;
		html_raw(o, "<div class=\"govuk-summary-card\"><div "
			    "class=\"govuk-summary-card__title-wrapper\"><h2 "
			    "class=\"govuk-summary-card__title\">");
		html_text(o, org->subject);
		html_raw(o, "</h2></div><div class=\"govuk-summary-card__"
			    "content\">");
		summary_begin(r);
		summary_row(r, "When", page_when(r, org->occurred));
		summary_row(r, "Recorded", written(r, org));
		if (l[i].corrections)
			summary_row(r, "Corrected",
				    arena_printf(r->a, "%s (%d correction%s)",
						 written(r, cur),
						 l[i].corrections,
						 l[i].corrections == 1 ? "" : "s"));
		summary_end(r);
		page_narrative(r, cur->body);
		page_para_link(r, note_path(r, ch.child_id, org->note_id, ""),
			       l[i].corrections
				       ? arena_printf(r->a, "See the note as "
						      "first written and its "
						      "corrections: %s",
						      org->subject)
				       : write ? arena_printf(r->a, "Correct "
							     "this note: %s",
							     org->subject)
					       : arena_printf(r->a, "See this "
							     "note: %s",
							     org->subject));
		html_raw(o, "</div></div>");
	}
	page_end(r);
	child_page_send(r, 200);
}


static void note_new(struct req *r)
{
	char now[17];
	cal_time_format(r->act.civil, now);
	struct note_input in = {.occurred = now};
	form_page(r, &note_form, &in, NULL, 200);
}

static void note_create(struct req *r)
{
	struct note_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &note_input_type, &in, &fe);
	if (rc == ERR_OK)
		rc = practice_note_add(r->db, &r->act, r->ids[0], &in, NULL,
				       &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &note_input_type, &de, &fe);
		form_page(r, &note_form, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
	} else {
		page_redirect(r, child_path(r, r->ids[0], "/case-notes?saved=1"));
	}
}

/* A note's history and, for those who may, the form that corrects it. */
static void note_page(struct req *r, const struct note_correction_input *in,
		      const struct field_errors *e, int status)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct case_note *h;
	int n;
	int rc = practice_note_get(r->db, &r->act, ch.child_id, r->ids[1], r->a,
				   &h, &n);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, h[0].subject, e);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved") && !(e && e->n))
		page_banner(r, "Correction saved");
	summary_begin(r);
	summary_row(r, "When", page_when(r, h[0].occurred));
	summary_end(r);
	for (int i = n - 1; i >= 0; i--) {
		page_h2(r, i == n - 1 && n > 1 ? "The note now"
			   : i == 0 ? "As first written"
				    : arena_printf(r->a, "Correction %d", i));
		page_para(r, written(r, &h[i]));
		if (h[i].corrects)
			page_para(r, arena_printf(r->a, "Why: %s", h[i].reason));
		page_narrative(r, h[i].body);
	}
	if (req_can(r, PERM_PRACTICE_WRITE)) {
		page_h2(r, "Correct this note");
		form_begin(r, note_path(r, ch.child_id, h[0].note_id,
					"/correction"));
		struct note_correction_input v = {h[n - 1].body, NULL};
		fields_form(r, &note_correction_type, in ? in : &v, e);
		form_button(r, "Save the correction", false);
		form_end(r);
	}
	page_para_link(r, child_path(r, ch.child_id, "/case-notes"),
		       "All case notes");
	page_end(r);
	child_page_send(r, status);
}

static void note_show(struct req *r)
{
	note_page(r, NULL, NULL, 200);
}

static void note_correct(struct req *r)
{
	struct note_correction_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &note_correction_type, &in, &fe);
	/* the note must be this child's: checked in its snapshot first */
	if (rc == ERR_OK) {
		struct case_note *h;
		int n;
		bool own;
		rc = tx_begin(r->db, &own);
		if (rc == ERR_OK)
			rc = practice_note_get(r->db, &r->act, r->ids[0],
					       r->ids[1], r->a, &h, &n);
		if (rc == ERR_OK)
			rc = practice_note_correct(r->db, &r->act, r->ids[1],
						   &in, NULL, &de);
		rc = tx_end(r->db, own, rc);
	}
	if (rc == ERR_INVALID) {
		fields_errors(r, &note_correction_type, &de, &fe);
		note_page(r, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "case note");
	} else {
		page_redirect(r, note_path(r, r->ids[0], r->ids[1], "?saved=1"));
	}
}

/* ---- the child's voice ----------------------------------------------------- */

static void heard_at(struct req *r, const void *rec)
{
	const struct child_voice *v = rec;
	if (strcmp(v->link_kind, "visit") == 0)
		page_link(r, arena_printf(r->a, "/children/%lld/visits/%lld",
					  (long long)v->child_id,
					  (long long)v->link_id),
			  "At a visit");
	else
		html_text(page_out(r), v->link_kind[0] ? v->link_kind
						       : "Recorded on its own");
}

static const struct column voice_cols[] = {
	{.head = "When", .field = "heard_on"},
	{.head = "What the child said", .field = "said"},
	{.head = "How", .field = "how"},
	{.head = "Heard by", .field = "heard_by_name"},
	{.head = "Where", .show = heard_at},
	{0},
};

static void voice_page(struct req *r)
{
	struct child_ctx x;
	struct child ch;
	child_page_ctx(r, &x);
	if (child_page_open(r, &x, r->ids[0], &ch) < 0)
		return;
	struct child_voice *v;
	int n;
	int rc = practice_voice_child(r->db, &r->act, ch.child_id, r->a, &v,
				      &n);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "What %s has said", name_of(&ch)),
		   NULL);
	child_page_caption(r, &ch);
	child_page_crumbs(r, &ch);
	if (req_query(r, "saved"))
		page_banner(r, "Saved what the child said");
	if (n == 0)
		page_para(r, "Nothing the child has said has been recorded yet.");
	else
		fields_table(r, "In the order they said it", &child_voice_view,
			     voice_cols, v, sizeof(*v), n);
	if (req_can(r, PERM_PRACTICE_WRITE))
		page_para_link(r, child_path(r, ch.child_id, "/voice/new"),
			       "Record what the child said");
	page_end(r);
	child_page_send(r, 200);
}


static void voice_new(struct req *r)
{
	char today[11];
	cal_date_format(r->act.today, today);
	struct voice_input in = {.heard_on = today};
	form_page(r, &voice_form, &in, NULL, 200);
}

static void voice_create(struct req *r)
{
	struct voice_input in = {0};
	struct field_errors fe = {0}, de = {0};
	int rc = fields_take(r, &voice_input_type, &in, &fe);
	if (rc == ERR_OK)
		rc = practice_voice_record(r->db, &r->act, r->ids[0], &in, NULL,
					   0, NULL, &de);
	if (rc == ERR_INVALID) {
		fields_errors(r, &voice_input_type, &de, &fe);
		form_page(r, &voice_form, &in, &fe, 422);
	} else if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
	} else {
		page_redirect(r, child_path(r, r->ids[0], "/voice?saved=1"));
	}
}

/* The chronology links a visit by its id alone: to its page under the
 * child (which checks the child is visible; this reveals nothing). */
static void visit_by_id(struct req *r)
{
	struct visit v;
	int rc = practice_visit_read(r->db, &r->act, r->ids[0], r->a, &v);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "visit");
		return;
	}
	page_redirect(r, arena_printf(r->a, "/children/%lld/visits/%lld",
				      (long long)v.child_id,
				      (long long)v.visit_id));
}

/* ---- routes ------------------------------------------------------------------ */

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

static struct param_spec p_visit[24], p_note[12], p_correction[6],
	p_voice[8];

__attribute__((constructor)) static void form_params(void)
{
	fields_params(&visit_input_type, NULL, p_visit, 24);
	fields_params(&note_input_type, NULL, p_note, 12);
	fields_params(&note_correction_type, NULL, p_correction, 6);
	fields_params(&voice_input_type, NULL, p_voice, 8);
}

const struct route practice_page_routes[] = {
	{HTTP_GET, "/children/{id}/visits", PERM_PRACTICE_READ, 0, p_saved,
	 visits_page, "A child's visits", NULL},
	{HTTP_GET, "/children/{id}/visits/new", PERM_PRACTICE_WRITE, 0, NULL,
	 visit_new, "Form: record a visit", NULL},
	{HTTP_POST, "/children/{id}/visits", PERM_PRACTICE_WRITE, ROUTE_FORM,
	 p_visit, visit_create, "Record a visit", NULL},
	{HTTP_GET, "/children/{id}/visits/{id}", PERM_PRACTICE_READ, 0,
	 p_saved, visit_show, "A visit", NULL},
	{HTTP_GET, "/visits/{id}", PERM_PRACTICE_READ, 0, NULL, visit_by_id,
	 "A visit, by its id alone", NULL},
	{HTTP_GET, "/children/{id}/case-notes", PERM_PRACTICE_READ, 0, p_saved,
	 notes_page, "A child's case notes", NULL},
	{HTTP_GET, "/children/{id}/case-notes/new", PERM_PRACTICE_WRITE, 0,
	 NULL, note_new, "Form: add a case note", NULL},
	{HTTP_POST, "/children/{id}/case-notes", PERM_PRACTICE_WRITE,
	 ROUTE_FORM, p_note, note_create, "Add a case note", NULL},
	{HTTP_GET, "/children/{id}/case-notes/{id}", PERM_PRACTICE_READ, 0,
	 p_saved, note_show, "A case note and its corrections", NULL},
	{HTTP_POST, "/children/{id}/case-notes/{id}/correction",
	 PERM_PRACTICE_WRITE, ROUTE_FORM, p_correction, note_correct,
	 "Correct a case note", NULL},
	{HTTP_GET, "/children/{id}/voice", PERM_PRACTICE_READ, 0, p_saved,
	 voice_page, "Everything the child has said", NULL},
	{HTTP_GET, "/children/{id}/voice/new", PERM_PRACTICE_WRITE, 0, NULL,
	 voice_new, "Form: record what the child said", NULL},
	{HTTP_POST, "/children/{id}/voice", PERM_PRACTICE_WRITE, ROUTE_FORM,
	 p_voice, voice_create, "Record what the child said", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
