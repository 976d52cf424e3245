/*
 * referral: referrals to children's social care, their allocation, and
 * what the front-door module (contact.h) shares with them: the error
 * codes, field errors, UK civil time and the R14 re-referral rule.
 *
 * Purpose.  A referral is opened when a contact is decided 'referral' or
 * 'strategy' (contact_decide() calls referral_open() in its own
 * transaction).  It records the referral date (the decision's UK civil
 * date), the contact's source code, whether it is a re-referral (R14),
 * and the child's previous referral.  It is then allocated to a team of
 * the council and a worker (a social worker or team manager of the
 * council whose account is enabled); re-allocation is allowed.  The
 * single assessment is due 45 working days after the referral date
 * (R02, ../shared/domain/timescales.csv), counted with the council's
 * calendar and convention.
 *
 * R14 ("A re-referral occurs when a child is referred within 12 months
 * of a previous referral"), as implemented: a referral dated D is a
 * re-referral when the same child has an earlier referral (another
 * referral row with referral_date <= D) whose referral_date is on or
 * after cal_add_months(D, -12).  So the same calendar day twelve months
 * earlier COUNTS (2023-03-15 -> 2024-03-15 is a re-referral), the day
 * before it does not (2023-03-14 -> 2024-03-15 is not), and 29 February
 * looks back to 28 February.  previous_referral_id is the child's most
 * recent earlier referral whenever one exists, within 12 months or not;
 * 0 (NULL in the store) for a first referral.  This is the same reading
 * as the demo generator's (demo/demo.h).
 *
 * Invariants.  Every statement filters by the actor's council, so a
 * caller can never reach another council's rows: an id of another
 * council is "not found".  Every read of a child's referrals and every
 * write appends an audit row (audit/audit.h) in the same transaction as
 * the read or write, with entity "referral" and child_id set (a list of
 * several children's referrals appends one "list" row with child_id 0).
 * The functions that take no `who` neither open a transaction nor
 * audit: they say so, and their caller audits.
 *
 * Transactions ("either way").  A function taking `who` joins the
 * caller's transaction when db_in_tx(c) (the caller then commits, or
 * rolls back on any error), and otherwise opens a DB_TX_WRITE
 * transaction of its own, committed on success and rolled back on any
 * error.  So on failure nothing it wrote survives unless the caller
 * commits anyway (it must not).
 *
 * Roles.  Statements carry allow-lists that mirror auth/policy.c:
 * reading referrals RB_PRACTICE, allocating RB_FRONT_DOOR |
 * RB_TEAM_MANAGER, opening (through a decision) RB_FRONT_DOOR |
 * RB_TEAM_MANAGER, each also DB_ROLE_SYSTEM.  Any other role gets
 * ERR_DENIED, which the caller treats as an aborted request.
 *
 * Ownership.  Inputs are borrowed.  Strings in output structs are
 * allocated from the caller's arena `a` and live as long as it does;
 * when the arena's budget runs out they are "" (the request then fails
 * with 413 in the pipeline).  Outputs are set only on success.
 *
 * Errors.  0 or a negative enum err.  ERR_INVALID and
 * ERR_CONFLICT come with field errors in a struct
 * referral_errors: the field names are the API's ("team_id",
 * "received_at", ...), the messages are for the person at the form.
 * Nothing here logs personal data.
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
struct audit_event;


/* ---- time ------------------------------------------------------------ */

/* 'YYYY-MM-DD' as "6 April 2023", and 'YYYY-MM-DDTHH:MM' as "6 April
 * 2023 at 10:00" (GOV.UK date style).  Anything that does not parse is
 * copied as it is (truncated to fit); NULL gives "". */
void referral_format_date(const char *date, char out[24]);
void referral_format_time(const char *civil, char out[32]);

/* ---- rules ----------------------------------------------------------- */

/* R14: true when a referral dated `date` is a re-referral because of an
 * earlier referral dated `previous` (see the contract above: previous
 * <= date and previous >= cal_add_months(date, -12)).  False when
 * previous is after date. */
bool referral_is_rereferral(struct cal_date date, struct cal_date previous);

/* R02: the single assessment is due 45 working days after the referral
 * date, under cal's convention.  cal may be NULL (weekends only). */
struct cal_date referral_assessment_due(const struct cal *cal,
					struct cal_date referral_date);

#define REFERRAL_ASSESSMENT_WORKING_DAYS 45 /* R02 */

/* ---- the chronology (domain/chron.h) ----------------------------------
 * The one-line summaries the front door's events note in the child's
 * chronology, the same for live writes and for the backfill. */
const char *referral_summary(bool rereferral);
void referral_allocation_summary(const char *worker, const char *team,
				 char *out, size_t n);

/* ---- referrals ------------------------------------------------------- */

struct referral {
	int64_t referral_id;
	int64_t child_id;
	const char *child_name;     /* given and family name */
	int64_t contact_id;         /* 0 when not from a contact */
	char referral_date[11];     /* 'YYYY-MM-DD' */
	char source[4];             /* CIN referral source code */
	bool rereferral;            /* R14 */
	int64_t previous_referral_id; /* 0 when none */
	char previous_date[11];     /* "" when none */
	int64_t team_id;            /* 0 when not allocated */
	const char *team_name;      /* "" when none */
	int64_t worker_id;          /* 0 when not allocated */
	const char *worker_name;    /* "" when none */
	char allocated_at[17];      /* UK civil 'YYYY-MM-DDTHH:MM', "" */
	int64_t allocated_by;       /* 0 when never allocated */
	char assessment_due[11];    /* R02, 'YYYY-MM-DD' */
	bool assessment_overdue;    /* today (UK) is after assessment_due */
};

/* Opens a referral for child_id of who->council, dated referral_date,
 * with the given source code and contact (0 for none): works out R14
 * from the child's earlier referrals, inserts, and audits ("create",
 * "referral").  **Runs inside the caller's write transaction** (returns
 * ERR_STORE when none is open; the caller rolls back on any error).
 * Does not check that the child exists (the caller has).  Starts R02's
 * clock (domain/due.h) under cal (NULL: weekends only).  The actor's now
 * gives created_at.  Returns 0 and sets *referral_id (may be NULL), or a
 * negative referral_err. */
int referral_open(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t child_id, int64_t contact_id,
		  struct cal_date referral_date, const char *source,
		  int64_t *referral_id);

/* Reads referral_id of who->council and audits ("read", "referral").
 * cal (may be NULL: weekends only) and now give the R02 due date and
 * whether it is overdue.  Either way (see the contract).  Returns 0 and
 * fills *out; ERR_NOTFOUND; or a negative referral_err. */
int referral_read(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t referral_id,
		  struct arena *a, struct referral *out);

/* Allocates referral_id to team_id and worker_id (both required) and
 * audits ("allocate" the first time, "reallocate" after).  The team must
 * be a team of who->council; the worker an app_user of who->council with
 * role social-worker or team-manager whose account is not disabled (the
 * worker need not be a member of the team).  Either way.  Returns 0;
 * ERR_INVALID with errors on "team_id" / "worker_id" (nothing
 * written); ERR_NOTFOUND for no such referral; or a negative
 * referral_err.  now gives allocated_at (UK civil time). */
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

/* Lists referrals of who->council matching f, in referral_id order
 * (oldest first, or newest first with f->newest_first), from after
 * f->cursor in that order, at most f->limit, and audits
 * one ("list", "referral", 0, 0) row.  *rows is an arena array of *n
 * entries; *next is the cursor of the next page, or 0 at the end.
 * Either way.  Returns 0 or a negative referral_err. */
int referral_list(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, const struct referral_filter *f, struct arena *a,
		  struct referral **rows, int *n, int64_t *next);

/* Most referrals referral_list_child returns. */
#define REFERRAL_CHILD_ROWS 500

/* A child's referrals for the child's record, newest referral_date first
 * (then the higher referral_id first), at most REFERRAL_CHILD_ROWS.  The
 * list carries what the record shows: referral_id, child_id,
 * referral_date, rereferral, worker_id and worker_name, the R02
 * assessment_due and assessment_overdue, and contact_id, source and
 * team_id; child_name and team_name are "", previous_referral_id,
 * previous_date, allocated_at and allocated_by are unset (0 / "";
 * referral_read has them).  Neither opens a transaction nor audits: call
 * it inside the caller's transaction, whose audit row covers it.
 * Returns 0 or a negative referral_err. */
int referral_list_child(struct db_conn *c, const struct actor *who,
			const struct cal *cal, int64_t child_id,
			struct arena *a, struct referral **rows, int *n);

/* Number of referrals of council with no worker.  No child data, no
 * audit.  Returns 0 or a negative referral_err. */
int referral_count_unallocated(struct db_conn *c, const char *council,
			       int64_t *n);

/* A team or worker that a referral may be allocated to. */
struct referral_option {
	int64_t id;
	const char *name;
	const char *detail; /* worker: role label; team: "" */
};

/* The council's teams (by name), and its enabled social workers and team
 * managers (by display name).  Arena arrays; no child data, no audit.
 * Return 0 or a negative referral_err. */
int referral_teams(struct db_conn *c, const char *council, struct arena *a,
		   struct referral_option **v, int *n);
int referral_workers(struct db_conn *c, const char *council,
		     struct arena *a, struct referral_option **v, int *n);

/* A flag on a child allocated to a worker, open and past its review
 * date. */
struct referral_flag {
	int64_t child_id;
	const char *child_name;
	const char *kind;
	char review_date[11];
};

/* Open flags (not ended) whose review_date is before today (UK date of
 * now) on children with a referral allocated to worker_id in
 * who->council, oldest review first (at most 200); audits one ("list",
 * "flag", 0, 0) row.  Either way.  Returns 0 or a negative
 * referral_err. */
int referral_worker_flags(struct db_conn *c, const struct actor *who,
			  int64_t worker_id, struct arena *a,
			  struct referral_flag **rows, int *n);

/* Looks up a child's name ("given family") in council.  No audit, no
 * transaction of its own.  Returns 1 and sets *name (arena), 0 when the
 * council has no such child, or a negative referral_err. */
int referral_child_name(struct db_conn *c, const char *council,
			int64_t child_id, struct arena *a, const char **name);

/* ---- helpers shared with contact.c (this module only) ---------------- */

/* Maps a db_err (or DB_OK) to a referral_err. */


/* Audits a list of n rows shown to who: one ("list", entity) row that
 * names every child the rows are about (child_ids[i], 0 when none; see
 * audit_event's children), so "who has viewed this record" includes
 * everyone who saw the child's name in a list.  child_ids is read with
 * a stride of `stride` bytes (the size of the caller's row struct).
 * Returns 0 or a negative referral_err (the caller then rolls back). */
int referral_audit_shown(struct db_conn *c, const struct actor *who,
			 const char *entity, const int64_t *child_ids,
			 size_t stride, int n);

/* An arena copy of s (NULL gives ""); "" when over budget. */
const char *referral_dup(struct arena *a, const char *s);

#endif
