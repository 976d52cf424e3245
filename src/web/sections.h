/*
 * sections: the registry the child's page is composed from.
 *
 * Each module that shows something on a child's page exports a table of
 * sections (ended by id == NULL); child_sections() joins the tables, in
 * `order`, once.  A new module adds a row here and a table of its own,
 * and never edits web/child_pages.c.
 *
 * The page (web/child_pages.c) opens one read transaction, finds the
 * child visible to the actor (child_load: the partner rule), then for
 * every section whose permission the user holds calls `load` (reads
 * what it shows into the request's arena, inside that transaction), and
 * only when every load succeeded writes the page: each section's `alert`
 * (warnings at the top) and then each `render` under its `title` (an h2;
 * NULL: the section writes its own headings).  A load that fails fails
 * the page (nothing of the child is shown); the read is audited once for
 * the whole page.
 */
#ifndef CAIRN_SECTIONS_H
#define CAIRN_SECTIONS_H

#include "auth/policy.h"

struct req;
struct child;
struct child_ctx;

struct child_section {
	const char *id;     /* "addresses": unique, for tests and anchors */
	const char *title;  /* the heading people read, or NULL */
	enum perm perm;     /* who sees it */
	int order;          /* place on the page, lower first */
	/* Reads the section's data into *data (may leave it NULL).  NULL:
	 * nothing to read.  Returns 0 or a negative enum err. */
	int (*load)(struct req *r, const struct child_ctx *x,
		    const struct child *ch, void **data);
	/* Optional: writes a warning at the top of the page. */
	void (*alert)(struct req *r, const struct child *ch, void *data);
	/* Writes the section. */
	void (*render)(struct req *r, const struct child_ctx *x,
		       const struct child *ch, void *data);
};

/* Every module's sections, in order; *n of them. */
const struct child_section *child_sections(int *n);

/* The modules' tables. */
extern const struct child_section child_record_sections[]; /* child_pages.c */
extern const struct child_section frontdoor_child_sections[]; /* frontdoor_pages.c */

#endif
