/*
 * assess: the single (child and family) assessment, written, not ticked
 * (issue 11 §2).
 *
 * An assessment is started from a referral of the child (one a
 * referral: a second is refused, open or authorised; case_id is kept for
 * an assessment that a later module starts from an open case).  It holds:
 *   - each time the child was seen: the date, whether alone, by whom (a
 *     social worker or team manager of the council);
 *   - the narrative: the child's developmental needs, parenting
 *     capacity, family and environmental factors, and the summary
 *     analysis;
 *   - the child's wishes and feelings and how they were gathered
 *     (words, drawing, an advocate, an app, other);
 *   - the assessment factors (CIN census codes, cin_assessment_
 *     factors.csv) as tags beside the narrative, never instead of it;
 *   - the outcome (no further action, Family Help, child in need plan,
 *     strategy discussion, step down to universal services);
 *   - submission for authorisation, and a team manager's authorisation.
 *
 * Workflow.  In progress -> submitted -> authorised.  Anything but the
 * authorisation may change until it is authorised; then nothing may
 * (ERR_CONFLICT).  Submitting and authorising need every narrative
 * section, the analysis, the wishes and feelings and how they were
 * gathered, at least one factor and the outcome (ERR_INVALID naming
 * each one missing).  Only a team manager authorises (ERR_DENIED), not
 * the one who submitted it (ERR_CONFLICT, "authorised_by"), and only
 * the version they read (ERR_CONFLICT, "version", when it changed
 * since).  Authorised after R02's due date, the reason is required
 * ("late_reason").  Factor 21 ("no factors identified") stands alone
 * and only with no further action or a step down.
 *
 * Clocks (domain/due.h).  R02 (45 working days from the referral) is
 * met when the assessment is authorised.  R05 (the child seen: the
 * council's `r05_working_days`, 5 when unset, working days from the
 * referral; started by referral_open) is met on the first day the
 * child was seen, recorded in any order.
 *
 * Chronology: "assessment" when started, "child_seen" at each time
 * seen (dated that day), "assessment_authorised" when authorised; one
 * line each, never the narrative (assess_chron_backfill notes them for
 * records written before, the demo's).
 *
 * Roles mirror auth/policy.c: reading PERM_ASSESSMENT_READ (practice
 * roles: partners never read the narrative, analysts and councillors
 * see no child), writing PERM_ASSESSMENT_WRITE (social workers and team
 * managers), authorising PERM_ASSESSMENT_AUTHORISE (team managers).
 * Audit rows, entity "assessment": "create", "read", "update",
 * "child_seen", "submit", "authorise"; all in the write's transaction.
 *
 * Every function returns ERR_OK or a negative enum err with field
 * errors; a refusal writes nothing.  Own-or-joined transactions
 * (domain/actor.h) unless said.
 */
#ifndef CAIRN_ASSESS_H
#define CAIRN_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"
#include "rules/calendar.h"

struct arena;

/* Lengths in characters. */
#define ASSESS_NARRATIVE_MAX 20000
#define ASSESS_REASON_MAX 2000
#define ASSESS_FACTORS_MAX 44

/* The code lists, ended by code NULL: the factors (the CIN census's
 * codes, labels in plain words), how the wishes and feelings were
 * gathered, and the outcome. */
extern const struct field_code assess_factor_codes[];
extern const struct field_code assess_how_codes[];
extern const struct field_code assess_outcome_codes[];

/* Starting: the date it started (required; not in the future, not
 * before the referral). */
struct assess_start {
	const char *started_on;
};
extern const struct record_type assess_start_type;

/* The child seen: seen_on (not in the future, not before the referral),
 * alone "yes"/"no", seen_by a user id. */
struct assess_seen_input {
	const char *seen_on;
	const char *alone;
	int64_t seen_by;
};
extern const struct record_type assess_seen_type;

/* What is written.  NULL: kept as it is; "": cleared.  factors: codes
 * separated by spaces or commas. */
struct assess_edit {
	const char *development;
	const char *parenting;
	const char *family;
	const char *wishes;
	const char *wishes_how;
	const char *analysis;
	const char *outcome;
	const char *factors;
};
/* The API's body: every field.  The page's form: assess_text_type (the
 * narrative, wishes and how, the analysis) and assess_outcome_type, with
 * the factors drawn as checkboxes between them; assess_page_type is the
 * two read back together. */
extern const struct record_type assess_edit_type;
extern const struct record_type assess_text_type;
extern const struct record_type assess_outcome_type;
extern const struct record_type assess_page_type;

/* The authorisation: the reason when late; the version read (0: not
 * checked); the child's primary need (episode_need_codes) when the
 * outcome opens a case.
 *
 * An outcome of Family Help or a child in need plan opens the case it
 * names in the authorisation's transaction (issue 11 §1): a Family Help
 * case (section 17, with its plan starting that day, for a child in
 * need plan) from the referral and this assessment, opened on the day
 * authorised and not yet allocated (it is on the unallocated list).
 * The primary need is then required.  A child who already has an open
 * Family Help case keeps it, and none is opened. */
struct assess_authorise {
	const char *late_reason;
	int64_t version;
	const char *primary_need;
};
extern const struct record_type assess_authorise_type;

/* A time the child was seen, as read. */
struct assess_seen {
	int64_t seen_id;
	int64_t assessment_id;
	const char *seen_on;
	bool alone;
	int64_t seen_by;
	const char *seen_by_name;
};
extern const struct record_type assess_seen_view;

/* An assessment as read (assess_view).  Text "" when absent. */
struct assessment {
	int64_t assessment_id;
	int64_t child_id;
	const char *child_name;     /* not in the JSON */
	int64_t referral_id;
	int64_t case_id;
	const char *referral_date;
	const char *started_on;
	const char *development;
	const char *parenting;
	const char *family;
	const char *wishes;
	const char *wishes_how;
	const char *analysis;
	const char *outcome;
	const char *submitted_at;   /* UK civil 'YYYY-MM-DDTHH:MM' */
	const char *submitted_by_name;
	int64_t submitted_by;
	const char *authorised_on;  /* 'YYYY-MM-DD' */
	const char *authorised_by_name;
	int64_t authorised_by;
	const char *late_reason;
	const char *due_on;         /* R02's due date */
	const char *seen_due_on;    /* R05's due date */
	const char *first_seen_on;  /* R05 met: the first day seen */
	int64_t version;
	const char *worker_name;    /* who started it */
	/* derived */
	const char *status;         /* "in_progress", "submitted", "authorised" */
	const char *factors;        /* codes, space-separated (a record's
				     * read; "" in lists) */
	bool authorised;
	bool overdue;               /* not authorised, today after due_on */
	bool late;                  /* authorised after due_on */
	bool seen;                  /* seen at least once */
	bool seen_overdue;          /* not seen, today after seen_due_on */
	/* a record's read only: every time seen, oldest first */
	struct assess_seen *seen_v;
	int seen_n;
};
extern const struct record_type assess_view;
extern const struct field_code assess_status_codes[];

/* Starts an assessment of referral_id's child (ERR_NOTFOUND: no such
 * referral; ERR_CONFLICT, "referral_id": the referral has one).
 * Notes the chronology, audits "create".  *id may be NULL. */
int assess_start(struct db_conn *c, const struct actor *who,
		 int64_t referral_id, const struct assess_start *in,
		 int64_t *id, struct field_errors *e);

/* Reads assessment id with its factors and times seen, and audits the
 * read. */
int assess_read(struct db_conn *c, const struct actor *who, int64_t id,
		struct arena *a, struct assessment *out);

/* The child's assessments, newest first, at most ASSESS_CHILD_ROWS (no
 * narrative, no factors, not the child's name nor who started it), in
 * the caller's transaction whose audit row covers them. */
#define ASSESS_CHILD_ROWS 200
#define ASSESS_STARTABLE_ROWS 20
int assess_list_child(struct db_conn *c, const struct actor *who,
		      int64_t child_id, struct arena *a,
		      struct assessment **rows, int *n);

/* The child's referrals with no assessment yet (what one may be
 * started from): their ids and dates.  Caller's transaction. */
struct assess_startable {
	int64_t referral_id;
	const char *referral_date;
};
int assess_startable(struct db_conn *c, const struct actor *who,
		     int64_t child_id, struct arena *a,
		     struct assess_startable **rows, int *n);

/* Who may be recorded as having seen the child: the council's enabled
 * social workers and team managers, by name (no child data, no audit). */
struct assess_worker {
	int64_t user_id;
	const char *name;
};
int assess_workers(struct db_conn *c, const struct actor *who,
		   struct arena *a, struct assess_worker **rows, int *n);

/* Records that the child was seen; meets R05 (cal: the council's
 * calendar) on the first day seen.  Audits "child_seen". */
int assess_see(struct db_conn *c, const struct actor *who,
	       const struct cal *cal, int64_t id,
	       const struct assess_seen_input *in, struct field_errors *e);

/* Writes what in gives (see struct assess_edit); raises the version.
 * Audits "update". */
int assess_update(struct db_conn *c, const struct actor *who, int64_t id,
		  const struct assess_edit *in, struct field_errors *e);

/* Submits for a manager's authorisation.  ERR_CONFLICT ("submission")
 * when already submitted or authorised.  Audits "submit". */
int assess_submit(struct db_conn *c, const struct actor *who, int64_t id,
		  struct field_errors *e);

/* A team manager authorises, dated the actor's today; meets R02 (cal:
 * the council's calendar).  Audits "authorise". */
int assess_authorise(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, int64_t id,
		     const struct assess_authorise *in,
		     struct field_errors *e);

/* The one-line chronology summaries (live and backfilled alike). */
const char *assess_start_summary(void);
void assess_seen_summary(bool alone, const char *by, char *out, size_t n);
void assess_authorised_summary(const char *outcome, bool late, char *out,
			       size_t n);

/* Notes the assessments' events of act->council that have no entry yet
 * (the demo's bulk records; a store from before migration 13).  Caller's
 * write transaction; DB_ROLE_SYSTEM.  *made may be NULL. */
int assess_chron_backfill(struct db_conn *c, const struct actor *act,
			  int64_t *made);

#endif
