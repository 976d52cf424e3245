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

#include <stdbool.h>
#include <stdint.h>

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

/* ---- pages about one child (any module's) ------------------------------ */

/* The actor's child context for r (the partner rule, the application's
 * name index, the group commit of searches, the memo of the child found
 * visible). */
void child_page_ctx(struct req *r, struct child_ctx *x);

/* Opens a read snapshot and loads child id, visible to this user (the
 * partner rule).  Returns 0, or -1 with the error answered (404 for a
 * child the user may not see) and no transaction open. */
int child_page_open(struct req *r, struct child_ctx *x, int64_t id,
		    struct child *ch);

/* Ends the snapshot, audits the read of the child (r->ids[0]) and only
 * then sends the page; nothing of the child is sent when the audit row
 * cannot be written. */
void child_page_send(struct req *r, int status);

/* The child's name as the caption of a page's heading, and their
 * reference below it. */
void child_page_caption(struct req *r, const struct child *ch);

/* Breadcrumbs up to the child's record, for a page about the child that
 * is not a form (page_child_crumbs). */
void child_page_crumbs(struct req *r, const struct child *ch);

/* Every module's sections, in order; *n of them. */
const struct child_section *child_sections(int *n);

/* While the child's page is written: what section `id` loaded for this
 * request, or NULL when the user may not see it (or it read nothing).
 * Every load runs before any render, so a render may use another
 * section's data instead of reading it again (the "glance" summary). */
const void *child_section_data(struct req *r, const char *id);

/* The modules' tables. */
extern const struct child_section glance_child_sections[]; /* glance.c */
extern const struct child_section child_record_sections[]; /* child_pages.c */
extern const struct child_section frontdoor_child_sections[]; /* frontdoor_pages.c */
extern const struct child_section chron_child_sections[]; /* chron_pages.c */
extern const struct child_section assess_child_sections[]; /* assess_pages.c */
extern const struct child_section practice_child_sections[]; /* practice_pages.c */
extern const struct child_section family_child_sections[]; /* family_pages.c */
extern const struct child_section episode_child_sections[]; /* episode_pages.c */
extern const struct child_section cp_child_sections[]; /* cp_pages.c */
extern const struct child_section closure_child_sections[]; /* closure_pages.c */

/* ---- "My work" (GET /) ------------------------------------------------
 * Composed the same way: each module exports a table of parts (ended by
 * id == NULL), joined in `order`.  The page (web/core_pages.c) opens one
 * transaction, calls `load` for every part the user `wants` (their
 * audit rows go with it), and only when every load succeeded writes
 * them; a user with no part sees what they can do instead. */
struct work_section {
	const char *id;
	int order;
	bool (*wants)(struct req *r);
	int (*load)(struct req *r, void **data); /* NULL: nothing to read */
	void (*render)(struct req *r, void *data);
};

/* Every module's parts, in order; *n of them. */
const struct work_section *work_sections(int *n);

/* True for a user with a caseload: a social worker or team manager. */
bool work_caseload(struct req *r);

extern const struct work_section search_work_sections[]; /* child_pages_search.c */
extern const struct work_section frontdoor_work_sections[]; /* frontdoor_pages.c */
extern const struct work_section due_work_sections[]; /* due_pages.c */
extern const struct work_section flag_work_sections[]; /* child_pages_flag.c */
extern const struct work_section closure_work_sections[]; /* closure_pages.c */

#endif
