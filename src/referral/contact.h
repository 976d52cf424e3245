/*
 * contact: the front door.  A contact is a worry about an existing child,
 * told to the council by someone (a school, the police, a neighbour);
 * the front door decides within one working day what response it needs
 * (R01 in ../shared/domain/timescales.csv).
 *
 * Record a contact (source, referrer, when it was received, the worry in
 * the referrer's words); decide it once (no further action, advice,
 * early help, referral, strategy discussion) with the threshold
 * reasoning; list the undecided ones as a queue ordered by the time
 * left.  Deciding 'referral' or 'strategy' opens a referral (referral.h)
 * in the same transaction.
 *
 * The referrer (issue 9): their phone and email, whether the family
 * knows about the contact and agreed to it (and when not, why it went
 * ahead), and two ticks, each once, with when and by whom: the
 * acknowledgement sent to the referrer (R01: "acknowledge receipt to
 * the referrer" within one working day, as the decision, so due at the
 * decision's due_at) and, once decided, the outcome shared with a
 * professional referrer (contact_source_professional).
 *
 * Times: received_at, due_at, decided_at, acknowledged_at and
 * outcome_shared_at are UK civil times 'YYYY-MM-DDTHH:MM'.  due_at is
 * R01's, from the timescale engine (domain/due.h) under the council's
 * calendar and convention.  A decision (an acknowledgement) is late
 * when made after due_at; an undecided (unacknowledged) contact is
 * overdue when the actor's civil now is after due_at.
 *
 * The module follows the domain contract (docs/architecture.md, "The
 * domain machinery"): errors, "either way" transactions, audit rows in
 * the same transaction, ownership of strings (the caller's arena).
 * Roles mirror auth/policy.c: reading RB_PRACTICE; recording
 * RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER, and so the two
 * ticks; deciding and the queue RB_FRONT_DOOR | RB_TEAM_MANAGER.  Audit
 * rows: entity "contact", "create", "decide", "read", "acknowledge",
 * "share_outcome"; the queue one "list" row naming its children.
 */
#ifndef CAIRN_CONTACT_H
#define CAIRN_CONTACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/field.h"
#include "referral/referral.h"
#include "referral/source.h"

/* Limits, in characters. */
#define CONTACT_NAME_MAX 200
#define CONTACT_ORG_MAX 200
#define CONTACT_WORRY_MAX 20000
#define CONTACT_REASON_MAX 20000
#define CONTACT_PHONE_MAX 30
#define CONTACT_EMAIL_MAX 254
#define CONTACT_RECEIVED_MIN "2000-01-01T00:00" /* the earliest accepted */
#define CONTACT_EXCERPT 160 /* the queue's excerpt of the worry */
#define CONTACT_EXCERPT_S "160"

/* Sources: the CIN census referral source codes.  contact_sources and
 * contact_source_label give the census's own descriptions (for the
 * return); contact_source_codes the words people read. */
struct contact_source {
	const char *code;  /* "2A" */
	const char *label; /* "SCHOOLS" */
};
extern const struct field_code contact_source_codes[]; /* ended by NULL */
const struct contact_source *contact_sources(size_t *n);
const char *contact_source_label(const char *code); /* NULL: no such code */

/* contact_source_professional: referral/source.h. */

/* Whether the family knows about the contact and agreed to it, as the
 * form asks: "agreed", "not_agreed", "not_aware", "not_known" (ended by
 * code NULL). */
extern const struct field_code contact_consent_codes[];

/* True for the answers that need the reason the contact went ahead
 * ("not_agreed", "not_aware"). */
bool contact_consent_needs_reason(const char *code);

enum contact_decision {
	CONTACT_NFA,        /* "nfa" */
	CONTACT_ADVICE,     /* "advice" */
	CONTACT_EARLY_HELP, /* "early_help" */
	CONTACT_REFERRAL,   /* "referral" */
	CONTACT_STRATEGY,   /* "strategy" */
	CONTACT_DECISION__MAX
};

/* The stored id ("nfa"...) and the label; NULL out of range.  parse: true
 * and *out set for a stored id, else false. */
const char *contact_decision_id(enum contact_decision d);
const char *contact_decision_label(enum contact_decision d);
bool contact_decision_parse(const char *s, enum contact_decision *out);
bool contact_decision_opens_referral(enum contact_decision d);

/* The fields (domain/field.h): a contact as typed, its decision as
 * typed, and a contact as read (the view: rows, the API's JSON). */
struct record_type;
extern const struct record_type contact_record_type;
extern const struct record_type contact_decision_type;
extern const struct record_type contact_decision_form; /* no "parallel" */
extern const struct record_type contact_view;
extern const struct record_type contact_tick_type; /* no fields: a tick */

struct contact_input {
	const char *source;        /* a current code */
	const char *referrer_name; /* 1..CONTACT_NAME_MAX, one line */
	const char *referrer_org;  /* NULL or "" for none */
	const char *received_at;   /* 'YYYY-MM-DDTHH:MM', UK, not future */
	const char *worry;         /* 1..CONTACT_WORRY_MAX */
	const char *referrer_phone; /* NULL or "": none; FF_PHONE */
	const char *referrer_email; /* NULL or "": none; FF_EMAIL */
	const char *family_consent; /* a contact_consent_codes code */
	const char *consent_reason; /* why it went ahead: required when
				     * contact_consent_needs_reason, kept
				     * unless "agreed" */
};

struct contact_decision_input {
	const char *decision; /* a contact_decision id */
	const char *reason;   /* 1..CONTACT_REASON_MAX */
	const char *parallel; /* why a referral while one is open (then
			       * required, 1..CONTACT_REASON_MAX), else
			       * NULL or "" */
};

/* Text is "" when absent; the narrative (worry, decision_reason) is NULL
 * in lists, and lists from contact_list_child carry no names. */
struct contact {
	int64_t contact_id;
	int64_t child_id;
	const char *child_name;
	const char *received_at;
	const char *due_at;
	const char *source;
	const char *referrer_name;
	const char *referrer_org;
	const char *worry;
	const char *decision_id;     /* "" when undecided */
	const char *decision_reason;
	const char *decided_at;
	const char *decided_by_name;
	int64_t referral_id;         /* 0 when none */
	const char *created_by_name;
	const char *child_dob;       /* "" when not known or not read */
	const char *worry_excerpt;   /* the queue: the worry's first
				      * CONTACT_EXCERPT characters; else NULL */
	const char *referrer_phone;
	const char *referrer_email;
	const char *family_consent;  /* "" when not recorded (before
				      * schema 9) */
	const char *consent_reason;  /* NULL in lists */
	const char *acknowledged_at; /* "" until the acknowledgement is
				      * recorded as sent */
	const char *acknowledged_by_name;
	const char *outcome_shared_at; /* "" until recorded */
	const char *outcome_shared_by_name;
	const char *handled_by_name;  /* "" when no one is handling it */
	const char *handled_at;       /* since when; "" when no one */
	int64_t handled_by_id;        /* 0 when no one */
	/* derived */
	bool decided;
	enum contact_decision decision; /* when decided */
	bool late;                   /* decided after due_at */
	bool overdue;                /* undecided and now is after due_at */
	int64_t minutes_left;        /* due_at - now (negative: overdue) */
	bool acknowledged;           /* acknowledged_at set */
	bool acknowledgement_overdue; /* not acknowledged, now after due_at
				       * (R01) */
	bool acknowledgement_late;   /* acknowledged after due_at */
	bool professional;           /* contact_source_professional */
};

/* Records a contact about child_id, due per R01 under cal (NULL:
 * weekends only), and audits it.  Every field is checked and every
 * failure reported at once (ERR_INVALID, nothing written); ERR_NOTFOUND
 * when the council has no such child.  *contact_id may be NULL. */
int contact_record(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t child_id,
		   const struct contact_input *in, int64_t *contact_id,
		   struct field_errors *e);

/* Reads contact_id and audits the read. */
int contact_read(struct db_conn *c, const struct actor *who,
		 int64_t contact_id, struct arena *a, struct contact *out);

/* Decides contact_id at the actor's now and audits it; 'referral' and
 * 'strategy' also open a referral dated the decision's date with the
 * contact's source (*referral_id: its id, else 0; may be NULL).
 * ERR_INVALID with errors on "decision" / "reason"; ERR_CONFLICT with
 * an error on "decision" when already decided (nothing written).  A
 * decision that opens a referral while the child has an open one (its
 * assessment not done) needs `parallel`, the reason for a second: else
 * ERR_INVALID with an error on "parallel" naming the open referral. */
int contact_decide(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t contact_id,
		   const struct contact_decision_input *in,
		   int64_t *referral_id, struct field_errors *e);

/* The actor takes on contact_id in the front door's queue (issue 9:
 * "who is handling it"), at their now, and audits it ("handle"); taking
 * over from a colleague is allowed (the queue shows who, so two people
 * do not work one contact unknowingly).  ERR_NOTFOUND; ERR_CONFLICT with
 * an error on "handler" when the contact is decided, or the actor is
 * already handling it (nothing written). */
int contact_handle(struct db_conn *c, const struct actor *who,
		   int64_t contact_id, struct field_errors *e);

/* Records that the acknowledgement was sent to the referrer (R01), at
 * the actor's now and by the actor, with a chronology entry, and audits
 * it ("acknowledge").  Allowed from receipt, decided or not.
 * ERR_NOTFOUND; ERR_CONFLICT with an error on "acknowledgement" when it
 * was already recorded (nothing written). */
int contact_acknowledge(struct db_conn *c, const struct actor *who,
			int64_t contact_id, struct field_errors *e);

/* Records that the outcome was shared with the referrer, at the actor's
 * now and by the actor, with a chronology entry, and audits it
 * ("share_outcome").  ERR_NOTFOUND; ERR_CONFLICT with an error on
 * "outcome_shared" when the contact is not yet decided, its source is
 * not a professional one, or it was already recorded (nothing
 * written). */
int contact_share_outcome(struct db_conn *c, const struct actor *who,
			  int64_t contact_id, struct field_errors *e);

/* The queue: undecided contacts, by due_at then contact_id (overdue
 * first), after `cursor` (a contact_id given as *next by the previous
 * page; 0 from the start), at most `limit` (1..200); *next is 0 at the
 * end. */
int contact_queue(struct db_conn *c, const struct actor *who,
		  int64_t limit, int64_t cursor, struct arena *a,
		  struct contact **rows, int *n, int64_t *next);

/* The queue's filters (issue 9). */
struct contact_filter {
	bool overdue_only;   /* only those past their decision time */
	const char *source;  /* only this source code (NULL or "": any) */
	int64_t recorded_by; /* only those this user recorded (0: anyone) */
};

/* contact_queue with filters; the cursor pages within them. */
int contact_queue_filtered(struct db_conn *c, const struct actor *who,
			   const struct contact_filter *f, int64_t limit,
			   int64_t cursor, struct arena *a,
			   struct contact **rows, int *n, int64_t *next);

struct contact_counts {
	int64_t undecided;
	int64_t overdue;   /* undecided, due before now */
	int64_t due_today; /* undecided, due from now to the end of today */
};

/* Counts for the front-door summary (no child data, no audit). */
int contact_queue_counts(struct db_conn *c, const struct actor *who,
			 struct contact_counts *out);

#define CONTACT_CHILD_ROWS 500

/* A child's contacts for the child's record, newest received first (then
 * the higher id), at most CONTACT_CHILD_ROWS, without names or
 * narrative.  In the caller's transaction, whose audit row covers it. */
int contact_list_child(struct db_conn *c, const struct actor *who,
		       int64_t child_id, struct arena *a,
		       struct contact **rows, int *n);

/* The one-line chronology summaries of a contact and of its decision
 * (domain/chron.h), the same for live writes and for the backfill. */
void contact_summary(const char *source, char *out, size_t n);
void contact_decision_summary(enum contact_decision d, char *out, size_t n);
#define CONTACT_ACK_SUMMARY "Acknowledgement of the contact sent to the referrer"
#define CONTACT_SHARED_SUMMARY "Outcome of the contact shared with the referrer"

/* "due in 3 hours", "overdue by 2 days", "due now"... for due as seen at
 * now (UK civil minutes): minutes under an hour, whole hours under 48,
 * then whole days.  True when overdue. */
bool contact_due_text(struct cal_time now, struct cal_time due, char *out,
		      size_t n);

#endif
