/*
 * cp: child protection (issue 11 §3).  The chain, each link refused
 * without the one before:
 *
 *   strategy discussion ──(decision "s47")──► section 47 enquiry
 *     ──(outcome: conference needed)──► initial child protection
 *     conference (ICPC) ──(decision "plan")──► child protection plan
 *     ──► core groups, review conferences ──► the plan's end.
 *
 * Strategy discussion: when it was held, the lead child protection
 * practitioner (a social worker or team manager of the council), the
 * decision (s47 enquiry, no further action, other), and who took part:
 * each participant's agency (police, health, education, social care,
 * other), name, role, the information they shared and, for a partner
 * agency, the organisation (what lets that organisation's partner
 * users read the discussion).  R06 ("strategy discussion held") has no
 * national figure: the date is recorded, no clock runs.
 *
 * Section 47 enquiry: started from a strategy discussion whose decision
 * was an enquiry (one an enquiry; not before the discussion), then
 * concluded: the findings, whether the concerns were substantiated and
 * whether a conference is needed.  R07 starts when the enquiry starts:
 * the ICPC is due 15 working days from the strategy discussion that
 * started it (domain/due.c), met when the ICPC is held.
 *
 * Conferences: the initial one for an enquiry concluded "conference
 * needed" (one an enquiry; a pre-birth conference is an initial
 * conference about an unborn child), decision "plan" or "no plan";
 * review conferences for an open plan, recorded in date order, each
 * deciding to continue or end the plan.  Each conference's attendees:
 * agency, name, role, and whether the agency's report was received.
 *
 * Plan: from an initial conference decided "plan" (one a conference;
 * one open plan a child), the category of abuse (the CIN census's,
 * data/codes/cin_cp_category_of_abuse.csv), starting on the
 * conference's date.  The child-protection case (episode/episode.h) is
 * opened in the same transaction when none is open (primary need N1,
 * abuse or neglect); the plan's outcomes and actions with their owners
 * are the case's (episode_outcome_add, episode_action_add).  The plan
 * ends on a date not before its start, with a reason; its clocks stop.
 *
 * Clocks: R08 first core group 10 working days from the ICPC (met by
 * the first core group meeting); R09 first review conference 3 months
 * from the ICPC (met by the first review); R10 each later review within
 * 6 months of the one before, recurring while the plan lasts (started
 * by the first review); L02 (local) each later core group within the
 * council's `cp_core_group_weeks` weeks (default 4) of the one before,
 * recurring from the first.  Flags, worked out when read: R12 a plan lasting
 * two years or more (to its end, or today), R13 a repeat plan (the
 * child had a CP plan before, ever).
 *
 * Roles mirror auth/policy.c: reading PERM_CP_READ (RB_PRACTICE);
 * a strategy discussion also PERM_CP_STRATEGY_READ (RB_PRACTICE |
 * RB_PARTNER: a partner only when a participant is of their
 * organisation, otherwise the same ERR_NOTFOUND as none); writing
 * PERM_CP_WRITE (social workers and team managers).  Analysts and
 * councillors see nothing of a child here.  Audit entities
 * "cp_strategy", "cp_s47", "cp_conference", "cp_plan": every read and
 * write in its transaction.  Chronology: a line at each link, never the
 * narrative.
 *
 * Every function returns ERR_OK or a negative enum err with field
 * errors; a refusal writes nothing.  Own-or-joined transactions.
 */
#ifndef CAIRN_CP_H
#define CAIRN_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"
#include "rules/calendar.h"

struct arena;

#define CP_TEXT_MAX 200
#define CP_NARRATIVE_MAX 20000

extern const struct field_code cp_agency_codes[];
extern const struct field_code cp_strategy_decision_codes[];
extern const struct field_code cp_icpc_decision_codes[];
extern const struct field_code cp_review_decision_codes[];
extern const struct field_code cp_category_codes[];
extern const struct field_code cp_end_reason_codes[];
extern const struct field_code cp_yes_no_codes[];

/* ---- strategy discussion --------------------------------------------- */

struct cp_strategy_input {
	const char *held_on;       /* required; not in the future */
	const char *decision;      /* required: s47, nfa, other */
	const char *decision_note; /* required when "other" */
	int64_t lead_id;           /* required: a social worker or team
				    * manager of the council */
};
extern const struct record_type cp_strategy_type;

struct cp_participant_input {
	const char *agency;  /* required */
	const char *name;    /* required */
	const char *role;    /* optional */
	const char *shared;  /* optional: the information shared */
	int64_t org_id;      /* optional: an organisation of the council */
};
extern const struct record_type cp_participant_type;

struct cp_participant {
	int64_t participant_id;
	const char *agency;
	const char *name;
	const char *role;
	const char *shared;
	int64_t org_id;
};
extern const struct record_type cp_participant_view;

struct cp_strategy {
	int64_t strategy_id;
	int64_t child_id;
	const char *held_on;
	const char *decision;
	const char *decision_note;
	int64_t lead_id;
	const char *lead_name;
	int64_t s47_id;            /* the enquiry it started, or 0 */
	struct cp_participant *part_v;
	int part_n;
};
extern const struct record_type cp_strategy_view;

int cp_strategy_add(struct db_conn *c, const struct actor *who,
		    const struct cal *cal, int64_t child_id,
		    const struct cp_strategy_input *in,
		    int64_t *id, struct field_errors *e);
int cp_participant_add(struct db_conn *c, const struct actor *who,
		       int64_t strategy_id,
		       const struct cp_participant_input *in, int64_t *id,
		       struct field_errors *e);
/* Reads a discussion with its participants (a partner: only one their
 * organisation took part in); audits "read". */
int cp_strategy_read(struct db_conn *c, const struct actor *who, int64_t id,
		     struct arena *a, struct cp_strategy *out);

/* ---- section 47 enquiry ---------------------------------------------- */

struct cp_s47_input {
	const char *started_on; /* required; not before the discussion */
};
extern const struct record_type cp_s47_type;

struct cp_s47_outcome {
	const char *concluded_on;  /* required; not before the start */
	const char *findings;      /* required */
	const char *substantiated; /* required yes/no */
	const char *conference;    /* required yes/no: conference needed */
};
extern const struct record_type cp_s47_outcome_type;

struct cp_s47 {
	int64_t s47_id;
	int64_t child_id;
	int64_t strategy_id;
	const char *strategy_on;
	const char *started_on;
	const char *concluded_on;
	const char *findings;
	const char *substantiated; /* "yes", "no", "" */
	const char *conference;    /* "yes", "no", "" */
	const char *icpc_due;      /* R07's due date */
	int64_t conference_id;     /* the ICPC held, or 0 */
};
extern const struct record_type cp_s47_view;

/* Starts the enquiry strategy_id decided; starts R07 (cal: the
 * council's calendar). */
int cp_s47_start(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t strategy_id,
		 const struct cp_s47_input *in, int64_t *id,
		 struct field_errors *e);
int cp_s47_conclude(struct db_conn *c, const struct actor *who,
		    int64_t s47_id, const struct cp_s47_outcome *in,
		    struct field_errors *e);
int cp_s47_read(struct db_conn *c, const struct actor *who, int64_t id,
		struct arena *a, struct cp_s47 *out);

/* ---- conferences ----------------------------------------------------- */

struct cp_icpc_input {
	const char *held_on;  /* required; not before the enquiry started */
	const char *pre_birth; /* required yes/no */
	const char *decision; /* required: plan, no_plan */
};
extern const struct record_type cp_icpc_type;

struct cp_review_input {
	const char *held_on;  /* required; after the plan's start and the
			       * last review */
	const char *decision; /* required: continue, end */
};
extern const struct record_type cp_review_type;

struct cp_attendee_input {
	const char *agency;   /* required */
	const char *name;     /* required */
	const char *role;     /* optional */
	const char *report;   /* required yes/no: agency report received */
};
extern const struct record_type cp_attendee_type;

struct cp_attendee {
	int64_t attendee_id;
	const char *agency;
	const char *name;
	const char *role;
	bool report;
};
extern const struct record_type cp_attendee_view;

struct cp_conference {
	int64_t conference_id;
	int64_t child_id;
	const char *kind;       /* "initial", "review" */
	int64_t s47_id;         /* initial */
	int64_t plan_id;        /* review: its plan; initial: the plan it
				 * started, or 0 */
	const char *held_on;
	bool pre_birth;
	const char *decision;
	struct cp_attendee *att_v;
	int att_n;
};
extern const struct record_type cp_conference_view;

/* Holds the ICPC of enquiry s47_id: meets R07. */
int cp_icpc_hold(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t s47_id,
		 const struct cp_icpc_input *in, int64_t *id,
		 struct field_errors *e);
/* Holds a review conference of open plan plan_id: meets R09 (the
 * first) or R10 (later ones), and starts R10 at the first. */
int cp_review_hold(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t plan_id,
		   const struct cp_review_input *in, int64_t *id,
		   struct field_errors *e);
int cp_attendee_add(struct db_conn *c, const struct actor *who,
		    int64_t conference_id, const struct cp_attendee_input *in,
		    int64_t *id, struct field_errors *e);
int cp_conference_read(struct db_conn *c, const struct actor *who,
		       int64_t id, struct arena *a, struct cp_conference *out);

/* ---- the plan -------------------------------------------------------- */

struct cp_plan_input {
	const char *category; /* required: NEG, PHY, SAB, EMO, MUL */
	int64_t visit_days;   /* optional (0): R11's interval in working
			       * days, 1..60; 0: the council's setting */
};
extern const struct record_type cp_plan_type;

struct cp_plan_end_input {
	const char *ended_on; /* required; not before the start, not future */
	const char *reason;   /* required */
};
extern const struct record_type cp_plan_end_type;

struct cp_core_group_input {
	const char *held_on;  /* required; not before the plan's start or
			       * the last core group; not in the future */
};
extern const struct record_type cp_core_group_type;

struct cp_plan {
	int64_t plan_id;
	int64_t child_id;
	int64_t conference_id;
	int64_t episode_id;
	const char *category;
	const char *started_on;
	const char *ended_on;
	const char *end_reason;
	const char *core_due;     /* R08 */
	const char *core_first;   /* R08 met */
	const char *core_next;    /* the open L02 item's due date */
	const char *review_due;   /* the open R09 or R10 item's due date */
	int64_t core_groups;
	int64_t reviews;
	int64_t visit_days;       /* R11's interval (0: the council's) */
	const char *visit_next;   /* the open R11 item's due date */
	/* derived */
	bool open;
	bool repeat;              /* R13: an earlier plan for the child */
	bool two_years;           /* R12: lasting two years or more */
};
extern const struct record_type cp_plan_view;

/* Starts the plan an ICPC decided; opens the child-protection case when
 * none is open; starts R08, R09 and R11 on the case's worker's list. */
int cp_plan_start(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t conference_id,
		  const struct cp_plan_input *in, int64_t *id,
		  struct field_errors *e);
/* Ends an open plan; stops its clocks. */
int cp_plan_end(struct db_conn *c, const struct actor *who,
		const struct cal *cal, int64_t plan_id,
		const struct cp_plan_end_input *in, struct field_errors *e);
/* A core group meeting of an open plan: the first meets R08. */
int cp_core_group_add(struct db_conn *c, const struct actor *who,
		      const struct cal *cal, int64_t plan_id,
		      const struct cp_core_group_input *in, int64_t *id,
		      struct field_errors *e);
int cp_plan_read(struct db_conn *c, const struct actor *who, int64_t id,
		 struct arena *a, struct cp_plan *out);

/* ---- the child's page ------------------------------------------------ */

/* Everything of the child's chain, newest first, in the caller's
 * transaction (whose audit row covers the page). */
struct cp_child {
	struct cp_strategy *strat_v;
	int strat_n;
	struct cp_s47 *s47_v;
	int s47_n;
	struct cp_conference *conf_v;
	int conf_n;
	struct cp_plan *plan_v;
	int plan_n;
};
int cp_list_child(struct db_conn *c, const struct actor *who,
		  int64_t child_id, struct arena *a, struct cp_child *out);

/* The child whose record kind ("cp_strategy", "cp_s47",
 * "cp_conference", "cp_plan") id is, when who may see it (a page's
 * caption and where a form returns to); no audit: nothing is shown. */
int cp_child_of(struct db_conn *c, const struct actor *who, const char *kind,
		int64_t id, int64_t *child_id);

/* Who may lead: the council's enabled social workers and team managers;
 * the council's organisations (no child data, no audit). */
struct cp_pick {
	int64_t id;
	const char *name;
};
int cp_workers(struct db_conn *c, const struct actor *who, struct arena *a,
	       struct cp_pick **rows, int *n);
int cp_orgs(struct db_conn *c, const struct actor *who, struct arena *a,
	    struct cp_pick **rows, int *n);

#endif
