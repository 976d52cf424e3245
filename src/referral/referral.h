/*
 * referral: referrals to children's social care and their allocation.
 *
 * A referral is opened when a contact is decided 'referral' or
 * 'strategy' (contact_decide() calls referral_open() in its
 * transaction), dated the decision's UK civil date, with the contact's
 * source, whether it is a re-referral (R14) and the child's previous
 * referral.  It is allocated to a team of the council and a worker (an
 * enabled social worker or team manager of the council, not necessarily
 * of that team); re-allocation is allowed.  The single assessment is due
 * 45 working days after the referral date (R02), an item of the
 * timescale engine (domain/due.h).
 *
 * R14 ("a re-referral occurs when a child is referred within 12 months
 * of a previous referral"): a referral dated D is a re-referral when the
 * child has an earlier referral dated on or after cal_add_months(D, -12)
 * and not after D.  So 2023-03-15 -> 2024-03-15 is one, 2023-03-14 ->
 * 2024-03-15 is not, and 29 February looks back to 28 February.
 * previous_referral_id is the child's most recent earlier referral,
 * within 12 months or not (0 for a first).  The demo generator reads R14
 * the same way (demo/demo.h).
 *
 * The module follows the domain contract (docs/architecture.md, "The
 * domain machinery").  Roles mirror auth/policy.c: reading RB_PRACTICE;
 * allocating, and opening through a decision, RB_FRONT_DOOR |
 * RB_TEAM_MANAGER.  Audit rows: entity "referral": "create", "read",
 * "allocate" (the first time) or "reallocate"; a list one "list" row
 * naming its children.
 */
#ifndef CAIRN_REFERRAL_H
#define CAIRN_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "rules/calendar.h"

struct arena;
struct record_type;

/* R14: a referral dated `date` is a re-referral because of one dated
 * `previous` (false when previous is after date). */
bool referral_is_rereferral(struct cal_date date, struct cal_date previous);

/* R02: the assessment's due date under cal (NULL: weekends only). */
struct cal_date referral_assessment_due(const struct cal *cal,
					struct cal_date referral_date);
#define REFERRAL_ASSESSMENT_WORKING_DAYS 45 /* R02 */

/* The one-line chronology summaries (domain/chron.h), the same for live
 * writes and for the backfill. */
const char *referral_summary(bool rereferral);
void referral_allocation_summary(const char *worker, const char *team,
				 char *out, size_t n);

/* A referral as read (the view referral_view: rows, the API's JSON).
 * Text is "" when absent, an id 0. */
struct referral {
	int64_t referral_id;
	int64_t child_id;
	const char *child_name;     /* "" in a child's list */
	int64_t contact_id;
	const char *referral_date;  /* 'YYYY-MM-DD' */
	const char *source;         /* CIN referral source code */
	bool rereferral;            /* R14 */
	int64_t previous_referral_id;
	const char *previous_date;
	int64_t team_id;
	const char *team_name;      /* "" in a child's list */
	int64_t worker_id;
	const char *worker_name;
	const char *allocated_at;   /* UK civil 'YYYY-MM-DDTHH:MM' */
	int64_t allocated_by;
	const char *assessment_due; /* R02, 'YYYY-MM-DD' */
	bool assessment_done;       /* R02 met: the assessment authorised */
	bool assessment_overdue;    /* derived: not done, today after it */
};
extern const struct record_type referral_view;

/* The body of an allocation: team_id and worker_id, both required. */
struct referral_allocation {
	int64_t team_id;
	int64_t worker_id;
};
extern const struct record_type referral_allocation_type;

/* Opens a referral for child_id (which the caller has checked) dated
 * referral_date, with source and contact (0: none): works out R14,
 * inserts, starts R02 under cal, notes the chronology and audits.
 * **In the caller's write transaction** (ERR_STORE when none is open).
 * *referral_id may be NULL. */
int referral_open(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t child_id, int64_t contact_id,
		  struct cal_date referral_date, const char *source,
		  int64_t *referral_id);

/* Reads referral_id and audits the read.  cal is unused (R02's date is
 * the engine's). */
int referral_read(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t referral_id,
		  struct arena *a, struct referral *out);

/* Allocates referral_id to team_id and worker_id and audits it.
 * ERR_INVALID with errors on "team_id" / "worker_id" (nothing written);
 * ERR_NOTFOUND for no such referral. */
int referral_allocate(struct db_conn *c, const struct actor *who,
		      int64_t referral_id, int64_t team_id,
		      int64_t worker_id, struct field_errors *e);

struct referral_filter {
	bool unallocated;  /* only referrals with no worker */
	int64_t worker_id; /* only this worker's (0: any) */
	int64_t limit;     /* 1..200 */
	int64_t cursor;    /* the last referral_id seen, 0 from the start */
	bool newest_first; /* referral_id descending instead of ascending */
};

/* Referrals matching f, in referral_id order, after f->cursor, at most
 * f->limit; *next is the cursor of the next page or 0 at the end. */
int referral_list(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, const struct referral_filter *f,
		  struct arena *a, struct referral **rows, int *n,
		  int64_t *next);

#define REFERRAL_CHILD_ROWS 500

/* A child's referrals for the child's record, newest referral_date first
 * (then the higher id), at most REFERRAL_CHILD_ROWS, without the child's
 * or the team's name, the previous referral or the allocation's time.
 * In the caller's transaction, whose audit row covers it. */
int referral_list_child(struct db_conn *c, const struct actor *who,
			const struct cal *cal, int64_t child_id,
			struct arena *a, struct referral **rows, int *n);

/* Referrals of council with no worker (no child data, no audit). */
int referral_count_unallocated(struct db_conn *c, const char *council,
			       int64_t *n);

/* A team or worker a referral may be allocated to. */
struct referral_option {
	int64_t id;
	const char *name;
	const char *detail; /* a worker's role label; "" for a team */
	const char *team;   /* a worker's team; "" for a team or none */
};

/* The council's teams (by name), and its enabled social workers and team
 * managers (by team, then display name).  No child data, no audit. */
int referral_teams(struct db_conn *c, const char *council, struct arena *a,
		   struct referral_option **v, int *n);
int referral_workers(struct db_conn *c, const char *council,
		     struct arena *a, struct referral_option **v, int *n);

/* A child allocated to a worker, with what is open on the child's
 * timescales ("My work"). */
struct referral_child {
	int64_t child_id;
	const char *child_name;
	int64_t referral_id;  /* the newest referral allocated to the worker,
			       * or 0 */
	const char *next_due; /* the soonest open due item's date or time */
	const char *next_rule; /* its rule id; "" when nothing is open */
	int64_t overdue;      /* open items past their due time */
	int64_t open;         /* open items */
	bool late;            /* derived: overdue > 0 */
};
extern const struct record_type referral_child_view;

#define REFERRAL_CHILDREN_PAGE 25

/* The children on worker_id's current list (DUE_CASELOAD_CHILDREN: an
 * open case they lead or an open timescale on their list), with the
 * newest referral allocated to them (0: none), one row each, the
 * most urgent first (any overdue, then the soonest due, then those with
 * nothing open), page `page` (from 1) of REFERRAL_CHILDREN_PAGE; only
 * those with something overdue when overdue_only.  *more when a next
 * page has rows.  Audited as one list naming the children shown. */
int referral_my_children(struct db_conn *c, const struct actor *who,
			 int64_t worker_id, bool overdue_only, int64_t page,
			 struct arena *a, struct referral_child **rows, int *n,
			 bool *more);

#endif
