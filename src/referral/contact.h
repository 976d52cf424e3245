/*
 * contact: the front door.  A contact is a worry about an existing child,
 * told to the council by someone (a school, the police, a neighbour);
 * the front door decides within one working day what response it needs
 * (R01 in ../shared/domain/timescales.csv: "Within one working day of a
 * contact being received, a social worker should make a decision about
 * the type of response that is required").
 *
 * Purpose.  Record a contact (source code, referrer, when it was
 * received, the worry in the referrer's words); decide it once (no
 * further action, advice, early help, referral, strategy discussion)
 * with the threshold reasoning; and list the undecided ones as a queue
 * ordered by the time left.  Deciding 'referral' or 'strategy' opens a
 * referral (referral.h) in the same transaction.  Pure of HTTP.
 *
 * Times.  received_at, due_at and decided_at are civil times in England
 * as a person writes them, 'YYYY-MM-DDTHH:MM' (db/schema.c).  due_at is
 * cal_due_working_days(cal, received_at, 1) under the council's calendar
 * and convention (R01): the same clock time one working day later under
 * CAL_DAY0; under CAL_DAY1 the receipt day is day 1, so a contact
 * received on a working day is due at its own receipt time (see
 * rules/calendar.h).  A decision is late when decided_at > due_at; an
 * undecided contact is overdue when now (UK) > due_at.  The present is
 * the actor's (domain/actor.h: now, and its UK civil time), so tests fix
 * it.
 *
 * Invariants, transactions, roles, ownership and errors: as referral.h
 * (the same enum err and struct field_errors).  Reading
 * contacts needs RB_PRACTICE; recording RB_FRONT_DOOR |
 * RB_SOCIAL_WORKER | RB_TEAM_MANAGER; deciding RB_FRONT_DOOR |
 * RB_TEAM_MANAGER (each also DB_ROLE_SYSTEM), mirroring auth/policy.c.
 * Audit rows have entity "contact" and child_id set: "create", "decide",
 * "read"; the queue appends one ("list", "contact", 0, 0) row.
 */
#ifndef CAIRN_CONTACT_H
#define CAIRN_CONTACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "referral/referral.h"

/* Limits, in characters (Unicode code points). */
#define CONTACT_NAME_MAX 200    /* referrer's name */
#define CONTACT_ORG_MAX 200     /* referrer's organisation */
#define CONTACT_WORRY_MAX 20000 /* the worry, in the referrer's words */
#define CONTACT_REASON_MAX 20000 /* threshold reasoning */
/* The earliest received_at accepted. */
#define CONTACT_RECEIVED_MIN "2000-01-01T00:00"

/* Sources: the CIN census referral source codes. */
struct contact_source {
	const char *code;  /* "2A" */
	const char *label; /* "SCHOOLS" */
};

/* The table of current codes (*n entries, in the file's order). */
const struct contact_source *contact_sources(size_t *n);

/* The label of a code, or NULL when code is not a current code (or
 * NULL). */
const char *contact_source_label(const char *code);

enum contact_decision {
	CONTACT_NFA,        /* "nfa" */
	CONTACT_ADVICE,     /* "advice" */
	CONTACT_EARLY_HELP, /* "early_help" */
	CONTACT_REFERRAL,   /* "referral" */
	CONTACT_STRATEGY,   /* "strategy" */
	CONTACT_DECISION__MAX
};

/* The stored id ("nfa"...), or NULL out of range. */
const char *contact_decision_id(enum contact_decision d);

/* The label ("No further action"...), or NULL out of range. */
const char *contact_decision_label(enum contact_decision d);

/* Parses a stored id.  True and *out set, or false (*out untouched) for
 * NULL or anything else. */
bool contact_decision_parse(const char *s, enum contact_decision *out);

/* True for the decisions that open a referral (referral, strategy). */
bool contact_decision_opens_referral(enum contact_decision d);

/* The fields of a contact and of its decision, described once
 * (domain/field.h): validation, the form and the API's JSON. */
struct record_type;
extern const struct record_type contact_record_type;
extern const struct record_type contact_decision_type;

struct contact_input {
	const char *source;        /* a current code */
	const char *referrer_name; /* 1..CONTACT_NAME_MAX, one line */
	const char *referrer_org;  /* NULL or "" for none */
	const char *received_at;   /* 'YYYY-MM-DDTHH:MM', UK, not future */
	const char *worry;         /* 1..CONTACT_WORRY_MAX */
};

struct contact {
	int64_t contact_id;
	int64_t child_id;
	const char *child_name;    /* given and family name */
	char received_at[17];
	char due_at[17];
	char source[4];
	const char *referrer_name;
	const char *referrer_org;  /* "" when none */
	const char *worry;         /* NULL in lists */
	bool decided;
	enum contact_decision decision;   /* when decided */
	const char *decision_reason;      /* "" when undecided; NULL in lists */
	char decided_at[17];              /* "" when undecided */
	const char *decided_by_name;      /* "" when undecided */
	bool late;                 /* decided after due_at */
	bool overdue;              /* undecided and now is after due_at */
	int64_t minutes_left;      /* due_at - now (negative: overdue) */
	int64_t referral_id;       /* 0 when none */
	const char *created_by_name;
};

/* Records a contact about child_id of who->council, received at
 * in->received_at, due per R01 with cal (NULL: weekends only), and
 * audits ("create", "contact").  Validates every field and reports
 * every failure at once on "source", "referrer_name", "referrer_org",
 * "received_at" and "worry" (ERR_INVALID, nothing written).
 * Returns 0 and sets *contact_id (may be NULL); ERR_NOTFOUND when
 * the council has no such child; or a negative referral_err.  Either
 * way. */
int contact_record(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t child_id,
		   const struct contact_input *in, int64_t *contact_id,
		   struct field_errors *e);

/* Reads contact_id of who->council and audits ("read", "contact").
 * Either way.  Returns 0 and fills *out; ERR_NOTFOUND; or a
 * negative referral_err. */
int contact_read(struct db_conn *c, const struct actor *who,
		 int64_t contact_id, struct arena *a,
		 struct contact *out);

struct contact_decision_input {
	const char *decision; /* a contact_decision id */
	const char *reason;   /* 1..CONTACT_REASON_MAX */
};

/* Decides contact_id of who->council at now (UK civil time) and audits
 * ("decide", "contact").  For 'referral' and 'strategy' also opens a
 * referral dated the decision's date with the contact's source
 * (referral_open, audited "create") and links it from the contact;
 * *referral_id gets its id, else 0 (may be NULL).  Returns 0;
 * ERR_INVALID with errors on "decision" / "reason"; ERR_CONFLICT
 * with an error on "decision" when the contact was already decided
 * (nothing written); ERR_NOTFOUND; or a negative referral_err.
 * Either way. */
int contact_decide(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t contact_id,
		   const struct contact_decision_input *in,
		   int64_t *referral_id, struct field_errors *e);

/* The queue: undecided contacts of who->council, by due_at then
 * contact_id (overdue first), from after `cursor` (a contact_id given as
 * *next by the previous page; 0 from the start), at most `limit`
 * (1..200).  Audits one ("list", "contact", 0, 0) row.  *next is 0 at
 * the end.  Either way.  Returns 0 or a negative referral_err. */
int contact_queue(struct db_conn *c, const struct actor *who,
		  int64_t limit, int64_t cursor,
		  struct arena *a, struct contact **rows, int *n,
		  int64_t *next);

struct contact_counts {
	int64_t undecided;
	int64_t overdue;   /* undecided, due before now */
	int64_t due_today; /* undecided, due from now to the end of today */
};

/* Counts for the front-door summary (no child data, no audit).  Returns
 * 0 or a negative referral_err. */
int contact_queue_counts(struct db_conn *c, const struct actor *who,
			 struct contact_counts *out);

/* Most contacts contact_list_child returns. */
#define CONTACT_CHILD_ROWS 500

/* A child's contacts for the child's record, newest received first (then
 * the higher contact_id first), at most CONTACT_CHILD_ROWS.  The list
 * carries what the record shows: contact_id, child_id, received_at,
 * due_at, source, the decision and decided_at, referral_id and the
 * derived late / overdue / minutes_left; the names (child, referrer,
 * decided by, recorded by) are "" and the narrative NULL (contact_read
 * has them).  Neither opens a transaction nor audits: call it inside the
 * caller's transaction, whose audit row covers it.  Returns 0 or a
 * negative referral_err. */
int contact_list_child(struct db_conn *c, const struct actor *who, int64_t child_id, struct arena *a,
		       struct contact **rows, int *n);

/* Writes "due in 3 hours", "overdue by 2 days", "due now"... for due
 * as seen at now (both UK civil; plain civil minutes, like
 * rules/calendar.h).  Under an hour it counts minutes, under 48 hours
 * whole hours, then whole days (rounded down).  Returns true when
 * overdue (now is after due). */
/* The one-line chronology summaries of a contact and of its decision
 * (domain/chron.h), the same for live writes and for the backfill. */
void contact_summary(const char *source, char *out, size_t n);
void contact_decision_summary(enum contact_decision d, char *out, size_t n);

bool contact_due_text(struct cal_time now, struct cal_time due, char *out,
		      size_t n);

#endif
