/*
 * episode: the case (episode of need) and its allocation (issue 11 §1
 * and §6).  `case` is a C keyword, so the module is "episode"; people
 * read "case".
 *
 * A case is of one type (Family Help: targeted early help and child in
 * need in one case type; child protection; looked after, whose own
 * records come later), open from `opened_on` until `closed_on`.  A child
 * has at most one open case of each type (refused with ERR_CONFLICT,
 * and a unique index behind it).  It is opened from a referral decision
 * or an assessment outcome (episode_open, callable inside the caller's
 * transaction, as referral_open is inside contact_decide's), with the
 * census's primary need code (N0..N9).  A Family Help case says whether
 * its plan is a section 17 child in need plan; the plan's start and end
 * are then the census's CIN plan dates.
 *
 * Allocation: a lead practitioner (a user of the council whose role the
 * council allows: setting `episode_lead_roles`, a comma-separated list
 * of role ids, default "social-worker,team-manager"), their team, and a
 * supervising manager (an enabled team manager, not the lead
 * themself).  Every allocation is kept (who, when, by whom); the one in
 * force is on the case.  Caseloads count open cases per worker and
 * weigh them by type (settings `episode_weight_<type>`, a decimal with
 * up to two places, defaults 1, 1.5 and 1.25: EPISODE_WEIGHT_*).
 *
 * The plan: outcomes wanted; actions with an owner (a person or an
 * agency, as text) and a date, each towards an outcome; reviews, each
 * with a progress rating for every outcome the plan had at the review.
 * L01 (domain/due.c, a local rule: the council's setting
 * `family_help_review_months`, default 3) keeps the next review of a
 * Family Help plan due: started at the plan's start, met by each
 * review, recurring, stopped at closure.  Reviews are recorded in date
 * order (a review dated before the last one is refused) and the plan's
 * start is fixed once a review exists, so the kept items always equal a
 * rebuild.
 *
 * Closing and step-down (closure.c, issue 11 §8): see "closing" below.
 * A case opened within 12 months of the closing of the child's last
 * case of the same type names it (reopened_from) and its page links
 * back to it.
 *
 * The module follows the domain contract (docs/architecture.md).
 * Roles mirror auth/policy.c: reading RB_PRACTICE (PERM_EPISODE_READ);
 * opening, the plan, reviews, members and closing RB_SOCIAL_WORKER |
 * RB_TEAM_MANAGER (PERM_EPISODE_WRITE); allocating and the team's
 * caseloads RB_TEAM_MANAGER (PERM_EPISODE_ALLOCATE, PERM_CASELOAD).
 * Partners, analysts and councillors read no case.  Every read and
 * write of a case is audited (entity "episode": "create", "read",
 * "allocate"/"reallocate", "plan", "outcome", "action", "review",
 * "member", "close"; a list one "list" row naming its children) in the
 * transaction of the write.  Chronology: opening, allocation, each
 * review and closing.
 *
 * Errors: 0 or a negative enum err (domain/err.h); ERR_INVALID with
 * a message per field, nothing written; ERR_NOTFOUND for a case (or
 * child) of another council or none; ERR_CONFLICT for a second open case
 * of a type, or a case changed since it was read.  Outputs are set only
 * on ERR_OK; text lives in the caller's arena.
 */
#ifndef CAIRN_EPISODE_H
#define CAIRN_EPISODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"
#include "rules/calendar.h"

struct arena;

enum episode_type {
	EPISODE_FAMILY_HELP,      /* "family_help" */
	EPISODE_CHILD_PROTECTION, /* "child_protection" */
	EPISODE_LOOKED_AFTER,     /* "looked_after" */
	EPISODE_TYPE__MAX
};

/* Code lists: the case types; the census's primary need (N0..N9,
 * data/codes/cin_primary_need.csv) and reasons for closure (RC1..RC9,
 * data/codes/cin_reason_for_closure.csv); progress against an outcome. */
extern const struct field_code episode_type_codes[];
extern const struct field_code episode_need_codes[];
extern const struct field_code episode_closure_codes[];
extern const struct field_code episode_progress_codes[];

/* Default caseload weights, in hundredths, by enum episode_type. */
#define EPISODE_WEIGHT_FAMILY_HELP 100
#define EPISODE_WEIGHT_CHILD_PROTECTION 150
#define EPISODE_WEIGHT_LOOKED_AFTER 125

/* ---- opening --------------------------------------------------------- */

struct episode_input {
	const char *case_type;    /* required */
	const char *opened_on;    /* required; not in the future, not
				   * before the referral */
	const char *primary_need; /* required, N0..N9 */
	bool section17;           /* Family Help only */
	const char *plan_start;   /* optional; not before opened_on */
	int64_t referral_id;      /* optional: the child's referral */
	int64_t assessment_id;    /* optional: no check (another module) */
};
extern const struct record_type episode_open_type;

/* Opens a case for child_id from in: checks the child is visible to
 * who, the fields, the referral (the child's), the one open case of a
 * type; inserts; starts L01 for a Family Help case with a plan start;
 * notes the chronology and audits.  Own or joined transaction (callable
 * inside a caller's write).  *episode_id may be NULL. */
int episode_open(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t child_id,
		 const struct episode_input *in, int64_t *episode_id,
		 struct field_errors *e);

/* ---- reading --------------------------------------------------------- */

/* A case as read (the view episode_view).  Text "" when absent, ids 0. */
struct episode {
	int64_t episode_id;
	int64_t child_id;
	const char *child_name;   /* hidden from the API */
	const char *case_type;
	bool section17;
	const char *plan_start;
	const char *plan_end;
	const char *primary_need;
	int64_t referral_id;
	int64_t assessment_id;
	const char *opened_on;
	const char *closed_on;
	const char *closure_reason;
	int64_t reopened_from;    /* the case closed within 12 months
				   * before this one opened, or 0 */
	const char *reopened_from_closed; /* that case's closing date */
	int64_t team_id;
	const char *team_name;
	int64_t worker_id;
	const char *worker_name;
	int64_t manager_id;
	const char *manager_name;
	const char *allocated_at; /* UK civil 'YYYY-MM-DDTHH:MM' */
	const char *review_due;   /* L01's open occurrence, or "" */
	bool open;                /* derived: not closed */
	bool review_overdue;      /* derived: today after review_due */
};
extern const struct record_type episode_view;

/* Reads a case and audits the read ("read", "episode"). */
int episode_read(struct db_conn *c, const struct actor *who,
		 int64_t episode_id, struct arena *a, struct episode *out);

/* A child's cases, open first then newest opened; in the caller's
 * transaction, whose audit row covers it (the child's page). */
int episode_list_child(struct db_conn *c, const struct actor *who,
		       int64_t child_id, struct arena *a,
		       struct episode **rows, int *n);

struct episode_filter {
	bool unallocated;  /* only open cases with no worker */
	int64_t worker_id; /* only this worker's open cases (0: any) */
	int64_t team_id;   /* only this team's open cases (0: any) */
	int64_t limit;     /* 1..200 */
	int64_t cursor;    /* the last episode_id seen, 0 from the start */
};

/* Open cases matching f, in episode_id order after f->cursor, at most
 * f->limit; *next the next page's cursor or 0.  Audited as a list. */
int episode_list(struct db_conn *c, const struct actor *who,
		 const struct episode_filter *f, struct arena *a,
		 struct episode **rows, int *n, int64_t *next);

/* ---- the plan -------------------------------------------------------- */

struct episode_plan_input {
	const char *primary_need; /* required */
	bool section17;           /* Family Help only */
	const char *plan_start;   /* required when section17 */
	const char *plan_end;     /* optional; not before plan_start */
};
extern const struct record_type episode_plan_type;

/* Sets the plan's dates, the section 17 flag and the primary need of
 * an open case; (re)starts L01 at the plan's start for Family Help.
 * The plan's start may not change once a review is recorded. */
int episode_plan_set(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, int64_t episode_id,
		     const struct episode_plan_input *in,
		     struct field_errors *e);

struct episode_outcome_input {
	const char *outcome; /* required, the outcome wanted */
};
extern const struct record_type episode_outcome_type;

struct episode_action_input {
	int64_t outcome_id;  /* required: an outcome of this case */
	const char *action;  /* required */
	const char *owner;   /* required: a person or an agency */
	const char *due_on;  /* required; not before the case opened */
};
extern const struct record_type episode_action_type;

int episode_outcome_add(struct db_conn *c, const struct actor *who,
			int64_t episode_id,
			const struct episode_outcome_input *in, int64_t *id,
			struct field_errors *e);
int episode_action_add(struct db_conn *c, const struct actor *who,
		       int64_t episode_id,
		       const struct episode_action_input *in, int64_t *id,
		       struct field_errors *e);

/* An outcome and an action as read. */
struct episode_outcome {
	int64_t outcome_id;
	int64_t episode_id;
	const char *outcome;
	const char *progress; /* at the latest review, or "" */
};
extern const struct record_type episode_outcome_view;
struct episode_action {
	int64_t action_id;
	int64_t outcome_id;
	const char *action;
	const char *owner;
	const char *due_on;
};
extern const struct record_type episode_action_view;

/* The case's outcomes and actions, in the order added.  In the caller's
 * transaction (the case page's read covers them). */
int episode_outcomes(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, struct arena *a,
		     struct episode_outcome **rows, int *n);
int episode_actions(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_action **rows, int *n);

/* ---- reviews --------------------------------------------------------- */

/* Progress on one outcome at a review. */
struct episode_progress {
	int64_t outcome_id;
	const char *progress; /* episode_progress_codes */
};

struct episode_review_input {
	const char *review_date; /* required; not in the future, not before
				  * the plan's start or the last review */
	/* every outcome of the case, once each (not a field: the form has
	 * one radio group an outcome, the API a "progress" array) */
	const struct episode_progress *progress;
	int nprogress;
};
extern const struct record_type episode_review_type;

/* Records a review of an open Family Help or child in need plan with
 * progress on every outcome; meets L01 (the next review falls due).
 * Errors on "review_date", "progress", or "progress_<n>" for the n-th
 * outcome of the plan (from 1, in the order added) left without one.
 * At most 30 outcomes are reviewed. */
int episode_review_add(struct db_conn *c, const struct actor *who,
		       const struct cal *cal, int64_t episode_id,
		       const struct episode_review_input *in, int64_t *id,
		       struct field_errors *e);

struct episode_review {
	int64_t review_id;
	const char *review_date;
	int64_t achieved, progressing, no_change, worse; /* outcomes */
};
extern const struct record_type episode_review_view;
int episode_reviews(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_review **rows, int *n);

/* ---- members --------------------------------------------------------- */

struct episode_member_input {
	int64_t network_member_id; /* one of the child's network members */
	int64_t member_child_id;   /* or another child of the council */
};
extern const struct record_type episode_member_type;

int episode_member_add(struct db_conn *c, const struct actor *who,
		       int64_t episode_id,
		       const struct episode_member_input *in, int64_t *id,
		       struct field_errors *e);

struct episode_member {
	int64_t member_id;
	int64_t network_member_id;
	int64_t member_child_id;
	const char *name;
	const char *relationship; /* the network's, or "Child" */
};
extern const struct record_type episode_member_view;
int episode_members(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_member **rows, int *n);

/* ---- allocation ------------------------------------------------------ */

struct episode_allocation_input {
	int64_t team_id;    /* optional: the worker's own team */
	int64_t worker_id;  /* required: the lead practitioner */
	int64_t manager_id; /* required: the supervising team manager */
};
extern const struct record_type episode_allocation_type;

/* Allocates (or reallocates) an open case; keeps the history, moves
 * L01's items to the worker's list, notes the chronology, audits. */
int episode_allocate(struct db_conn *c, const struct actor *who,
		     int64_t episode_id,
		     const struct episode_allocation_input *in,
		     struct field_errors *e);

struct episode_allocation {
	int64_t allocation_id;
	const char *allocated_at;
	const char *team_name;
	const char *worker_name;
	const char *manager_name;
	const char *allocated_by_name;
};
extern const struct record_type episode_allocation_view;
/* The case's allocations, newest first; in the caller's transaction. */
int episode_allocations(struct db_conn *c, const struct actor *who,
			int64_t episode_id, struct arena *a,
			struct episode_allocation **rows, int *n);

/* A worker's caseload: open cases, by type, and weighted. */
struct episode_caseload {
	int64_t worker_id;
	const char *worker_name;
	const char *team_name;
	int64_t cases;
	int64_t by_type[EPISODE_TYPE__MAX];
	int64_t weighted;  /* hundredths: sum of each case's weight */
	int64_t overdue;   /* open due items of the worker past due */
};
extern const struct record_type episode_caseload_view;

/* The caseloads of team_id's lead practitioners (every user of the
 * team in an allowed role, with or without cases, and anyone else
 * holding a case of the team), by name; team_id 0: every worker of the
 * council holding a case.  Names no child: no audit. */
int episode_caseloads(struct db_conn *c, const struct actor *who,
		      int64_t team_id, struct arena *a,
		      struct episode_caseload **rows, int *n);

/* The council's weight of each case type, in hundredths. */
int episode_weights(struct db_conn *c, const char *council,
		    int64_t out[EPISODE_TYPE__MAX]);

/* Whether the council allows role (an id) to lead a case. */
bool episode_lead_role(struct db_conn *c, const char *council,
		       const char *role);

/* ---- closing (closure.c) -------------------------------------------- *
 *
 * A case closes with a reason (cin_reason_for_closure, RC1..RC9) and a
 * date not before its opening or last review, nor in the future.
 *
 * A case "that had an assessment" (it was opened from one, or the child
 * has an assessment authorised on or after the day the case opened)
 * closes only with, each refused on its own field and nothing written:
 *   - "consultations": a consultation recorded on the case
 *     (closure_consult: who, when, their view) with every agency
 *     involved with the child: each organisation of a professional in
 *     the child's network whose involvement overlaps the case (started
 *     by the closing date, not ended before the opening);
 *   - "watch_org_id" and "watch_for": one of the council's
 *     organisations named to keep watch on the family, and what it
 *     will watch for.  The watch lasts CLOSURE_WATCH_MONTHS from the
 *     closing date; while it lasts the agency's partner users see the
 *     child as an involved agency's do (child/visible.c) and the family
 *     is in their "My work";
 *   - "services": at least one service of the council's directory the
 *     family was connected to (withdrawn entries refused);
 *   - "approved": a team manager's approval.  The manager closes the
 *     case and ticks the approval in the same action (a social worker
 *     is refused: the closing form is the manager's to submit once the
 *     worker has recorded the consultations).
 * Any other case may record a watch and services (checked the same way)
 * but needs neither, nor approval.
 *
 * The service directory: entries of six kinds (money advice; financial
 * inclusion and benefits; parenting support, including before birth;
 * children's centres; early help; careers advice), kept by the council's
 * administrators and team managers; a withdrawn entry stays for the
 * closings that named it.  The directory names no child: not audited.
 */
#define CLOSURE_WATCH_MONTHS 12
#define CLOSURE_SERVICES_MAX 20

struct episode_close_input {
	const char *closed_on;  /* required; not before opened_on, not future */
	const char *reason;     /* required, RC1..RC9 */
	int64_t watch_org_id;   /* the agency keeping watch */
	const char *watch_for;  /* what it will watch for */
	bool approved;          /* the team manager approves the closing */
	/* not fields (the form has checkboxes, the API an array): the
	 * directory's services the family was connected to */
	const int64_t *services;
	int nservices;
};
extern const struct record_type episode_close_type;

/* Closes an open case by the rules above; records the closing (watch,
 * services, approval); stops L01; notes the chronology; audits. */
int episode_close(struct db_conn *c, const struct actor *who,
		  int64_t episode_id, const struct episode_close_input *in,
		  struct field_errors *e);

/* Steps a child down from child protection to Family Help (D56): in
 * the caller's transaction (own or joined), closes the child's open
 * child-protection case on `on` (census reason RC9, without the rules
 * above: the council stays involved) noting the chronology, and opens a
 * Family Help case on `on` with the same primary need; when one is
 * already open the family stays in it (*kept).  Audited by the caller's
 * write.  Errors on "ended_on" (a case opened after `on`) and
 * "step_down". */
int episode_step_down(struct db_conn *c, const struct actor *who,
		      const struct cal *cal, int64_t child_id, const char *on,
		      int64_t *family_help_id, bool *kept,
		      struct field_errors *e);

/* Whether the case had an assessment (the rule above).  In the caller's
 * transaction.  ERR_OK with *assessed, ERR_NOTFOUND, or a store error. */
int closure_assessed(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, bool *assessed);

/* A consultation with a partner agency before closing. */
struct closure_consult_input {
	int64_t org_id;           /* required: one of the council's */
	const char *person;       /* required: who was consulted, their role */
	const char *consulted_on; /* required; not future, not before opening */
	const char *view;         /* required: their view of closing */
};
extern const struct record_type closure_consult_type;

/* Records a consultation on an open case; notes the chronology (the
 * agency's name, never the view); audits ("consultation", "episode"). */
int closure_consult(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, const struct closure_consult_input *in,
		    int64_t *id, struct field_errors *e);

struct closure_consultation {
	int64_t consultation_id;
	int64_t org_id;
	const char *org_name;
	const char *person;
	const char *consulted_on;
	const char *view;
};
extern const struct record_type closure_consultation_view;
/* The case's consultations, oldest first; in the caller's transaction. */
int closure_consultations(struct db_conn *c, const struct actor *who,
			  int64_t episode_id, struct arena *a,
			  struct closure_consultation **rows, int *n);

/* The agencies involved with the child during the case (the rule
 * above), by name, each saying whether it has been consulted. */
struct closure_agency {
	int64_t org_id;
	const char *name;
	bool consulted;
};
int closure_agencies(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, struct arena *a,
		     struct closure_agency **rows, int *n);

/* The council's organisations (the watching agency's choices). */
int closure_orgs(struct db_conn *c, const struct actor *who, struct arena *a,
		 struct closure_agency **rows, int *n);

/* How a case was closed; ERR_NOTFOUND when it was closed without one
 * (before this module, or in bulk) or is open.  Caller's transaction. */
struct closure {
	int64_t episode_id;
	bool assessed;
	int64_t watch_org_id;
	const char *watch_org_name;
	const char *watch_for;
	const char *watch_until;
	const char *approved_by_name;
	const char *approved_at;  /* UK civil 'YYYY-MM-DDTHH:MM' */
	const char *services;     /* the services' names, "; " between */
};
extern const struct record_type closure_view;
int closure_read(struct db_conn *c, const struct actor *who,
		 int64_t episode_id, struct arena *a, struct closure *out);

/* The families a partner's organisation keeps watch on (watch in force
 * on the actor's today), soonest ending first; audited as a list. */
struct closure_watch {
	int64_t episode_id;
	int64_t child_id;
	const char *child_name;
	const char *closed_on;
	const char *watch_for;
	const char *watch_until;
};
extern const struct record_type closure_watch_view;
int closure_watched(struct db_conn *c, const struct actor *who,
		    struct arena *a, struct closure_watch **rows, int *n);

/* ---- the service directory ---- */

extern const struct field_code closure_service_kinds[];

struct closure_service_input {
	const char *kind;    /* required, closure_service_kinds */
	const char *name;    /* required; unique in its kind (else 409) */
	const char *contact; /* required: how a family reaches it */
};
extern const struct record_type closure_service_type;

/* Adds an entry to the council's directory (administrators and team
 * managers); not audited (no child).  *id may be NULL. */
int closure_service_add(struct db_conn *c, const struct actor *who,
			const struct closure_service_input *in, int64_t *id,
			struct field_errors *e);
/* Withdraws (or restores) an entry: ERR_OK or ERR_NOTFOUND. */
int closure_service_withdraw(struct db_conn *c, const struct actor *who,
			     int64_t service_id, bool withdrawn);

struct closure_service {
	int64_t service_id;
	const char *kind;
	const char *name;
	const char *contact;
	bool withdrawn;
};
extern const struct record_type closure_service_view;
/* The directory by kind then name; withdrawn entries only when all. */
int closure_services(struct db_conn *c, const struct actor *who, bool all,
		     struct arena *a, struct closure_service **rows, int *n);

/* Adds a starting directory (one entry of each kind, invented names)
 * when the council has none; caller's write transaction or its own;
 * DB_ROLE_SYSTEM (`cairn init --council`, the demo).  *made may be NULL. */
int closure_services_seed(struct db_conn *c, const struct actor *who,
			  int64_t *made);

/* ---- transition to adulthood (transition.c, issue 11 §7) ------------ *
 *
 * From their 17th birthday until their 18th, a young person who has had
 * a child protection plan or Family Help in the last two years (a case
 * of either type open on or after the day two years before today) and
 * is not looked after (no open looked-after case) is flagged for
 * transition planning.  Their transition plan (one a young person):
 * the named adult-services contact and their service, the agreed
 * support (universal services such as careers advice included), and the
 * handover's date once it has happened.  L03 (domain/due.c, a local
 * rule) keeps the 18th-birthday check: started at the 17th birthday
 * when the plan is first saved, due 12 months later (the council's
 * setting `transition_check_months` may bring it earlier), met by the
 * handover.  Roles as for cases (PERM_EPISODE_READ to read,
 * PERM_EPISODE_WRITE to write); audited ("transition"); the chronology
 * notes the plan and the handover.
 */
struct transition_flag {
	bool flagged;        /* 17, the history, not looked after */
	bool has_plan;
	const char *turns18; /* 'YYYY-MM-DD', "" when no date of birth */
};
/* Whether child_id is flagged as of who's today; caller's transaction
 * (the child's page) or its own. */
int transition_flag(struct db_conn *c, const struct actor *who,
		    int64_t child_id, struct arena *a,
		    struct transition_flag *out);

struct transition_input {
	const char *adult_contact; /* required: name and role */
	const char *adult_service; /* required: the adult service */
	const char *support;       /* required: the agreed support */
	const char *handover_on;   /* optional; not future, not before 17 */
};
extern const struct record_type transition_type;

/* Saves (creates or changes) the young person's plan; refused on
 * "child" unless they are flagged or already have a plan; starts L03
 * on creation, meets it when the handover is first recorded. */
int transition_save(struct db_conn *c, const struct actor *who,
		    const struct cal *cal, int64_t child_id,
		    const struct transition_input *in, struct field_errors *e);

struct transition {
	int64_t transition_id;
	int64_t child_id;
	const char *adult_contact;
	const char *adult_service;
	const char *support;
	const char *handover_on;
	const char *starts_on;
	const char *updated_at;
};
extern const struct record_type transition_view;
/* The plan, or ERR_NOTFOUND; caller's transaction (its audit row). */
int transition_read(struct db_conn *c, const struct actor *who,
		    int64_t child_id, struct arena *a, struct transition *out);

/* The chronology's lines, the same for live writes and the backfill. */
void episode_open_summary(const char *case_type, char *out, size_t n);
#define EPISODE_REVIEW_SUMMARY "Family Help plan reviewed"

/* Notes the chronology entries of cases written in bulk (the demo):
 * openings, allocations (timed), reviews and closings with no entry
 * yet.  Caller's write transaction; DB_ROLE_SYSTEM; *made may be NULL. */
int episode_chron_backfill(struct db_conn *c, const struct actor *act,
			   int64_t *made);

#endif
