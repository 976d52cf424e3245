/*
 * glance: the child's record at a glance (issue 11 §9, D56): the open
 * cases and their lead practitioner and team, the child protection plan
 * and its category (R12, R13), the next things due, when the child was
 * last seen and seen alone, and the warnings.
 *
 * One summary, two ways in.  The child's page (section "glance", order
 * 5) builds it from what the page's other sections already loaded
 * (child_section_data): it reads only the child's next due items itself,
 * one indexed statement.  The API (GET /api/v1/children/{id}/glance)
 * reads the same parts with the same domain calls in one audited read.
 * Each part is there only for a user who may read it (the sections'
 * permissions): a partner sees the warnings alone; analysts and
 * councillors never reach a child.
 */
#ifndef CAIRN_GLANCE_H
#define CAIRN_GLANCE_H

#include "domain/due.h"

#include <stdbool.h>
#include <stdint.h>

struct req;
struct episode;
struct cp_child;
struct visit;
struct child_flag;

#define GLANCE_CASES 3 /* a child has at most one open case a type */
#define GLANCE_DUE 3   /* the next few due items */
#define GLANCE_FLAGS 8

struct glance_case {
	int64_t episode_id;
	const char *code;      /* "family_help" */
	const char *type;      /* the label: "Family Help" */
	const char *opened_on; /* 'YYYY-MM-DD' */
	const char *lead;      /* "" when not allocated */
	const char *team;
};

struct glance_due {
	const char *rule;      /* its id, for the link only (static) */
	const char *what;      /* the rule's label (static) */
	char due_at[17];
	enum due_status status; /* overdue, due soon or due */
};

struct glance {
	bool cases_on;         /* the user reads cases */
	struct glance_case cases[GLANCE_CASES];
	int ncases;
	bool plan_on;          /* the user reads child protection */
	int64_t plan_id;       /* the open plan, 0: none */
	const char *category;  /* its label */
	const char *plan_started;
	bool repeat;           /* R13 */
	bool two_years;        /* R12 */
	bool seen_on;          /* the user reads visits */
	const char *last_seen; /* civil time, "" when never */
	const char *last_alone;
	bool flags_on;         /* the user reads warnings */
	const char *flags[GLANCE_FLAGS]; /* active ones' labels */
	bool flag_overdue[GLANCE_FLAGS];
	int nflags;
	bool due_on;           /* the user reads timescales */
	struct glance_due due[GLANCE_DUE];
	int ndue;
};

/* The parts, from what the modules read (each marks its part on). */
void glance_cases(struct glance *g, const struct episode *v, int n);
void glance_plan(struct glance *g, const struct cp_child *d);
void glance_seen(struct glance *g, const struct visit *v, int n);
void glance_flags(struct glance *g, const struct child_flag *v, int n);

/* The child's next GLANCE_DUE items not met, soonest first (in the
 * caller's read transaction; the caller audits the read). */
int glance_due(struct req *r, int64_t child_id, struct glance *g);

/* The modules' adapters: their section's loaded data into g. */
void episode_pages_glance(struct glance *g, const void *section_data);
void cp_pages_glance(struct glance *g, const void *section_data);
void practice_pages_glance(struct glance *g, const void *section_data);
void child_page_flags_glance(struct glance *g, const void *section_data);

#endif
