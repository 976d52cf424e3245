/*
 * child_pages_int.h: what the files of the child's pages share and
 * nobody else may use (what other modules use is in web/sections.h:
 * child_page_ctx, _open, _send, _caption).  The pages are split along
 * their seams:
 *
 *   child_pages.c          these helpers, the record page with its
 *                          identity section, and the route table
 *   child_pages_search.c   find a child
 *   child_pages_ident.c    add a child (with the possible-duplicate
 *                          step), change identity, its history
 *   child_pages_address.c  addresses: the section and the form
 *   child_pages_network.c  family and network: the section, add, end
 *   child_pages_flag.c     warnings: the alert, the section, add, end
 *   child_pages_viewers.c  who has viewed the record: section and page
 *
 * Strings handed out come from the request's arena.  Handlers follow
 * child_pages.c's contract: reads in one audited snapshot, a form that
 * fails comes back with what was typed (422), a success is a 303 to the
 * record with a ?done= code.
 */
#ifndef CAIRN_CHILD_PAGES_INT_H
#define CAIRN_CHILD_PAGES_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "child/child.h"
#include "web/app.h"
#include "web/sections.h"

/* A date the page found wrong is passed to the domain as this, which it
 * refuses on that field before writing anything; its message for the
 * field is then dropped in favour of the page's (child_page_answer's
 * `skip`). */
#define BAD_DATE "bad-date"

/* ---- text (child_pages.c) ---------------------------------------------- */

/* "/children/{id}" then tail (NULL: none). */
const char *child_page_path(struct req *r, int64_t id, const char *tail);

/* "/children/{id}{what}{sub}/end" (what: "/network/", "/flags/"). */
const char *child_page_end_path(struct req *r, int64_t id, const char *what,
				int64_t sub);

/* The strings up to a NULL, joined; NULL when over budget. */
const char *child_page_join(struct req *r, ...);

/* "given family". */
const char *child_page_name(struct req *r, const char *given,
			    const char *family);

/* An NHS number as "943 476 5919" (anything else as it is). */
const char *child_page_nhs(struct req *r, const char *n);

/* ---- forms (child_pages.c) --------------------------------------------- */

/* Opens child r->ids[0] for a page about it (child_page_ctx, then
 * child_page_open).  Returns 0, or -1 with the error answered. */
int child_page_start(struct req *r, struct child_ctx *x, struct child *ch);

/* Adds the domain's errors ce to fe, on the page's fields (a date on its
 * day input), except those on `skip` (NULL: none). */
void child_page_errors(struct req *r, const struct field_errors *ce,
		       struct field_errors *fe, const char *skip);

/* The form's date input `name` for the domain (page_date_field): the
 * date, or NULL when left empty; when it is wrong, BAD_DATE with the
 * page's error in fe and *skip set to name (for child_page_answer). */
const char *child_page_date(struct req *r, const char *name,
			    const char *label, struct field_errors *fe,
			    const char **skip);

/*
 * A form page about child r->ids[0], described once: a GET shows it
 * (child_page_form), its POST runs `submit` and answers
 * (child_page_form_post), and a POST the page or the domain refused
 * shows it again with what was typed (422).  The page is: the child
 * opened in an audited read (child_page_start), `load`, the title, the
 * error summary and the child's caption, the form posting to `action`
 * with `fields`, the main button, "Cancel and go back to the record";
 * sent by child_page_send.
 */
struct child_form_page {
	struct child_ctx x;
	struct child ch;
	const struct field_errors *fe; /* the errors shown; NULL on a GET */
	bool post;                     /* showing what was typed */
	const char *title;             /* the form's; load may set another */
	void *data;                    /* load's */
};

struct child_form_post {
	struct child_ctx x;
	struct field_errors fe; /* the page's own errors */
	struct field_errors ce; /* the domain's */
	const char *skip;       /* ce's field dropped for fe's (BAD_DATE) */
	const char *done;       /* the form's; submit may set another */
};

struct child_form {
	const char *title;  /* the h1 (load may set it instead) */
	const char *action; /* posts to /children/{id}{action}; NULL: fields
			     * opens the form (form_begin) itself */
	const char *button; /* the main button */
	const char *done;   /* a success's 303: the record with this tail */
	/* NULL, or reads what the form shows in the page's read: 0, or a
	 * negative enum err, answered (answer_abort) */
	int (*load)(struct req *r, struct child_form_page *p);
	/* Writes what the form holds.  false: there is nothing to submit
	 * (the page ends with its text and the cancel link, no form). */
	bool (*fields)(struct req *r, const struct child_form_page *p);
	/* NULL (the POST handler is the module's own), or reads the form
	 * into p and calls the domain with p->x: its enum err, p->ce
	 * filled */
	int (*submit)(struct req *r, struct child_form_post *p);
};

/* Shows form f with the errors fe (NULL: none) and status. */
void child_page_form(struct req *r, const struct child_form *f,
		     const struct field_errors *fe, int status);

/* The POST handler of form f: submit, then child_page_answer. */
void child_page_form_post(struct req *r, const struct child_form *f);

/* What was typed into field `name` when showing it again; "" on a GET. */
const char *child_page_typed(struct req *r, const struct child_form_page *p,
			     const char *name);

/* Answers a form's POST after the domain's call returned rc with errors
 * ce: when the page found errors (fe) or the domain refused the input,
 * form f comes back with both (but ce's on skip), 422; another error is
 * answered; a success is a 303 to the record with `done`
 * ("?done=address"). */
void child_page_answer(struct req *r, int rc, const struct field_errors *ce,
		       struct field_errors *fe, const char *skip,
		       const struct child_form *f, const char *done);

/* ---- sections (child_pages.c) ------------------------------------------ */

/* A section's loaded list: the rows and how many. */
struct child_page_rows {
	const void *v;
	int n;
};

/* Keeps the n rows v a section's loader read (rc: how the read went) in
 * *data.  Returns rc, or ERR_NOMEM. */
int child_page_rows_keep(struct req *r, void **data, const void *v, int n,
			 int rc);

/* When the user may change the record: a paragraph linking to the
 * record's page `tail` ("/addresses/new"). */
void child_page_update_link(struct req *r, int64_t id, const char *tail,
			    const char *text);

/* ---- the pieces' sections and handlers ---------------------------------- */

/* child_pages_search.c */
void child_page_search(struct req *r);
/* What "Add a new child" carries from the search to the new child's
 * form (and its back link to the search): the name and the date of
 * birth's parts, as query values (page_href's keys; NULL-ended). */
extern const char *const child_page_search_carried[];

/* child_pages_ident.c */
void child_page_new(struct req *r);
void child_page_create(struct req *r);
void child_page_edit_get(struct req *r);
void child_page_edit_post(struct req *r);
void child_page_history(struct req *r);

/* child_pages_address.c */
int child_page_addresses_load(struct req *r, const struct child_ctx *x,
			      const struct child *ch, void **data);
void child_page_addresses_render(struct req *r, const struct child_ctx *x,
				 const struct child *ch, void *data);
void child_page_address_new(struct req *r);
void child_page_address_create(struct req *r);

/* child_pages_network.c */
int child_page_network_load(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void **data);
void child_page_network_render(struct req *r, const struct child_ctx *x,
			       const struct child *ch, void *data);
void child_page_member_new(struct req *r);
void child_page_member_create(struct req *r);
void child_page_member_end_get(struct req *r);
void child_page_member_end_post(struct req *r);

/* child_pages_flag.c */
int child_page_flags_load(struct req *r, const struct child_ctx *x,
			  const struct child *ch, void **data);
void child_page_flags_alert(struct req *r, const struct child *ch,
			    void *data);
void child_page_flags_render(struct req *r, const struct child_ctx *x,
			     const struct child *ch, void *data);
void child_page_flag_new(struct req *r);
void child_page_flag_create(struct req *r);
void child_page_flag_end(struct req *r);

/* child_pages_viewers.c */
int child_page_viewers_load(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void **data);
void child_page_viewers_render(struct req *r, const struct child_ctx *x,
			       const struct child *ch, void *data);
void child_page_viewers(struct req *r);

#endif
