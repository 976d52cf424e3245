/*
 * scrutiny: reviews, their recommendations, the council's responses,
 * the actions taken, and the progress updates reported back.
 *
 * Purpose.  A body (a scrutiny panel, a committee, an inspection, a peer
 * or practice review, an improvement board) makes numbered
 * recommendations about children's services.  Officers answer each with
 * a response and actions (owner, budget, timescale), and report progress
 * to the body on a schedule (usually every six months).  This module
 * keeps all of that as data: the store's side of the register, the
 * action plan, the status history and the report (scrutiny/report.h
 * renders it).  No child's data is ever read or written here.
 *
 * Model.
 *  - review: body kind and name, topic, dates, the report it produced,
 *    the reporting schedule in months (0: none) and the next report due.
 *  - rec: a recommendation, `ref` as the body numbered it ("1", "b",
 *    "1(a)"), unique in its review, with its full text and the response
 *    (accepted, partly-accepted, not-accepted or none yet) with its text.
 *  - action: under a rec: text, owner (a post title), budget as written,
 *    the timescale as written and its parsed due date and recurrence
 *    (scrutiny/timescale.h), which a person may correct
 *    (timescale_checked then says so).
 *  - update: a progress update on an action: its date, status
 *    (not-started, in-progress, delayed, ongoing, completed,
 *    superseded), narrative and author.  The current status is the
 *    latest update's (latest on_date, then latest recorded), or
 *    not-started when there is none.
 *  - comment: a councillor's (or officer's) comment on a review or one
 *    of its recommendations.
 *  - report presented: the date a progress report went to the body;
 *    it sets the next report due (presented + schedule months) and is
 *    the "since" of the next report's "what changed".
 *
 * Overdue.  An action is overdue on `today` when it has a due date,
 * the due date is before today (due today is not yet overdue), and its
 * current status is neither completed nor superseded.  A recurring
 * action with no due date is never overdue.  A review's report is
 * overdue when next_report_due is before today.
 *
 * Roles.  Statements carry allow-lists mirroring auth/policy.c
 * (PERM_SCRUTINY_*): reading RB_PRACTICE | RB_ANALYST | RB_COUNCILLOR |
 * RB_ADMIN; editing (reviews, import, updates, corrections, reports
 * presented) RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN; commenting those
 * and RB_COUNCILLOR.  Each also DB_ROLE_SYSTEM.  Partners have none.
 *
 * Transactions and audit.  Every write opens its own DB_TX_WRITE
 * transaction (or joins the caller's, as referral.h describes) and
 * appends an audit row with child_id 0 in it.  Reads open a read
 * transaction (or read in the caller's) and are not audited: they hold
 * no child's data.
 *
 * Ownership.  Inputs are borrowed.  Outputs live in the caller's arena.
 *
 * Errors.  0 or a negative enum err; ERR_INVALID and
 * ERR_CONFLICT come with field errors (API field names).
 */
#ifndef CAIRN_SCRUTINY_H
#define CAIRN_SCRUTINY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "rules/calendar.h"
#include "scrutiny/import.h"

struct arena;
struct audit_event;


/* Limits on text, in bytes. */
#define SCRUTINY_LINE_MAX 300
#define SCRUTINY_TEXT_MAX 20000

/* ---- code lists ------------------------------------------------------ */

struct scrutiny_code {
	const char *id;
	const char *label;
};

/* NULL-ended lists: body kinds, statuses, response kinds, recurrences. */
extern const struct scrutiny_code scrutiny_bodies[];
extern const struct scrutiny_code scrutiny_statuses[];
extern const struct scrutiny_code scrutiny_responses[];
extern const struct scrutiny_code scrutiny_recurrences[];

/* The GOV.UK tag colour of a status ("green" for completed...), or NULL
 * for an unknown one. */
const char *scrutiny_status_colour(const char *status);

/* The label for id in list, or NULL when id is not in it. */
const char *scrutiny_label(const struct scrutiny_code *list, const char *id);

/* ---- reading --------------------------------------------------------- */

struct scrutiny_update {
	int64_t update_id;
	int64_t action_id;
	const char *on_date;   /* YYYY-MM-DD */
	const char *status;    /* a scrutiny_statuses id */
	const char *narrative;
	const char *author;    /* display name when written */
	const char *created_at;
};

struct scrutiny_action {
	int64_t action_id;
	int64_t rec_id;
	int64_t review_id;
	int position;
	const char *text;
	const char *owner;
	const char *budget;
	const char *timescale_text;
	const char *due_on;     /* YYYY-MM-DD or "" */
	const char *recurrence; /* a scrutiny_recurrences id or "" */
	bool timescale_checked;
	struct scrutiny_update *updates; /* oldest first */
	int nupdates;
	const char *status;     /* current status */
	bool overdue;
};

struct scrutiny_comment {
	int64_t comment_id;
	int64_t rec_id;         /* 0: about the whole review */
	const char *text;
	const char *author;
	const char *role;
	const char *created_at;
};

struct scrutiny_rec {
	int64_t rec_id;
	int position;
	const char *ref;
	const char *text;
	const char *response_kind; /* a scrutiny_responses id or "" */
	const char *response;
	struct scrutiny_action *actions;
	int nactions;
};

struct scrutiny_review {
	int64_t review_id;
	const char *body_kind;
	const char *body_name;
	const char *topic;
	const char *started_on;     /* "" when not known */
	const char *reported_on;    /* "" */
	const char *report_title;
	int schedule_months;
	const char *next_report_due; /* "" */
	const char *last_presented;  /* latest report presented, "" */
	bool report_overdue;
	/* counts over its actions */
	int nrecs, nactions, noverdue;
	int by_status[8];            /* indexed like scrutiny_statuses */
};

struct scrutiny_plan {
	struct scrutiny_review review;
	struct scrutiny_rec *recs;  /* in position order */
	int nrecs;
	struct scrutiny_comment *comments; /* oldest first */
	int ncomments;
};

/* The index of a status id in scrutiny_statuses, or -1. */
int scrutiny_status_index(const char *status);

/* The register: every review of the council, newest first, with counts
 * as of today.  Returns 0 and *out (may be empty). */
int scrutiny_reviews(struct db_conn *c, const char *council,
		     struct arena *a, struct cal_date today,
		     struct scrutiny_review **out, int *n);

/* One review with its recommendations, actions, updates and comments,
 * statuses and overdue flags as of today. */
int scrutiny_plan_load(struct db_conn *c, const char *council,
		       struct arena *a, int64_t review_id,
		       struct cal_date today, struct scrutiny_plan *out);

/* Where an action sits: its review and recommendation. */
int scrutiny_action_locate(struct db_conn *c, const char *council,
			   int64_t action_id, int64_t *review_id,
			   int64_t *rec_id);

/* The status of an action as it stood at the end of `date`
 * ("not-started" when no update was dated on or before it). */
const char *scrutiny_status_at(const struct scrutiny_action *act,
			       const char *date);

/* Filters of the register and of the actions list; NULL or "" fields
 * do not filter.  owner matches case-insensitively anywhere in the
 * action's owner ("virtual school" finds "Virtual School
 * Headteacher"). */
struct scrutiny_filter {
	const char *body_kind;   /* a scrutiny_bodies id */
	const char *owner;
	const char *status;      /* a scrutiny_statuses id */
	bool overdue_only;
};

/* True when the action of review rv passes the filter. */
bool scrutiny_filter_match(const struct scrutiny_filter *f,
			   const struct scrutiny_review *rv,
			   const struct scrutiny_action *act);

/* True when no field of f filters. */
bool scrutiny_filter_empty(const struct scrutiny_filter *f);

/* ---- writing --------------------------------------------------------- */

/* A review as typed: strings (NULL or "" for optional ones), dates as
 * YYYY-MM-DD. */
struct scrutiny_review_in {
	const char *body_kind;
	const char *body_name;
	const char *topic;
	const char *started_on;
	const char *reported_on;
	const char *report_title;
	const char *schedule_months; /* "0".."24"; NULL/"": 6 */
	const char *next_report_due; /* NULL/"": reported_on + schedule */
};

int scrutiny_review_create(struct db_conn *c, const struct actor *who,
			   const struct scrutiny_review_in *in,
			   struct field_errors *errs, int64_t *review_id);

/*
 * Saves an import proposal into a review that has no recommendations
 * yet (ERR_CONFLICT otherwise, field "review_id"): each
 * recommendation, its response and actions; an action whose proposal
 * states a status (or progress) gets a first update dated `on_date`
 * (the document's date, or today) written by `who`, whose narrative is
 * the stated progress or, when the document gives only a status (a
 * progress report's "Comments and action taken | Progress"), the
 * action's text as of that date.  Everything or nothing.  *nrecs gets the number of recommendations saved.
 */
int scrutiny_import_save(struct db_conn *c, const struct actor *who,
			 const char *author, int64_t review_id,
			 const struct import_proposal *p, const char *on_date,
			 struct field_errors *errs, int *nrecs);

/* A progress update.  on_date must not be after today. */
int scrutiny_update_add(struct db_conn *c, const struct actor *who,
			const char *author, int64_t action_id,
			const char *on_date, const char *status,
			const char *narrative, struct field_errors *errs, int64_t *update_id);

/* A person's correction of the parsed timescale: due_on ("" clears it)
 * and recurrence ("" clears it).  Marks the timescale checked. */
int scrutiny_timescale_set(struct db_conn *c, const struct actor *who,
			   int64_t action_id, const char *due_on,
			   const char *recurrence,
			   struct field_errors *errs);

/* A comment on the review, or on one recommendation of it (rec_id > 0). */
int scrutiny_comment_add(struct db_conn *c, const struct actor *who,
			 const char *author, int64_t review_id,
			 int64_t rec_id, const char *text,
			 struct field_errors *errs, int64_t *comment_id);

/* Records that a progress report went to the body on `on_date` (not
 * after today) and sets the next report due to on_date plus the
 * review's schedule (unchanged when the schedule is 0). */
int scrutiny_report_presented(struct db_conn *c,
			      const struct actor *who,
			      int64_t review_id, const char *on_date,
			      struct field_errors *errs);

#endif
