/*
 * due: the timescale engine.  Every statutory clock (../shared/domain/
 * timescales.csv) has one home: a rule row here, and due items in the
 * store kept up to date in the same transaction as the write that
 * starts, meets or reassigns them.
 *
 * Rules as data.  A rule (struct due_rule, the table due_rules()) cites
 * its id in timescales.csv and says: the event that starts the clock and
 * the one that meets it (for people: `starts`, `met_by`), how long (count
 * and unit: working days, calendar days, weeks, months, hours), whether
 * it is counted on a date or a clock time, a recurrence ("then every N
 * while open": the next occurrence starts when one is met), how long
 * before the due time it is "due soon", and for rules without a national
 * figure (R05, R06, R11) the per-council setting (`setting` table) that
 * holds the count, with the stated default.  An indicator (R14) is a rule
 * with a look-back window and no due items.  Adding a rule is a row plus
 * a test; adding its events is a call of due_start/due_meet where the
 * record is written, and a `source` statement that rebuilds its items
 * from the records (due_rebuild).
 *
 * Due items (table due_item) are keyed by council, rule, subject (the
 * kind of record: "contact", "referral"), the record's id and the
 * occurrence (1, 2 ... for a recurring rule).  They hold the child, the
 * clock's start, the due date or time, when it was met, and the worker
 * and team it is allocated to (for "My work" and a team's view).  Dates
 * are 'YYYY-MM-DD'; clock times 'YYYY-MM-DDTHH:MM', UK civil time as the
 * people at the front door read it (the same as contact.received_at).
 *
 * Status, as of an instant (struct due_row.status):
 *   met on time  met, at or before the due date/time
 *   met late     met after it
 *   overdue      not met, and the due date has passed (a dated rule: the
 *                day after the due date; a timed one: the minute after)
 *   due soon     not met, and due within the rule's `soon` window
 *   due          not met, not yet due soon
 *
 * Transactions: due_start, due_meet, due_assign and due_rebuild run in
 * the caller's write transaction (ERR_NOTX otherwise) and never commit;
 * the record's write and its due items commit or roll back together.
 * They do not audit: the caller's write is audited, and a due item holds
 * nothing that is not in the record.  Reads (due_list, due_timeliness)
 * audit nothing either; their callers audit what they show (a list of
 * children: one row naming them).
 *
 * Roles: reading due items is open to practice roles (the statements
 * carry the allow-lists); writing them to whoever may write the record
 * that moves the clock, and DB_ROLE_SYSTEM.
 *
 * Errors: 0 or a negative enum err.  Nothing here logs personal data.
 */
#ifndef CAIRN_DUE_H
#define CAIRN_DUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "rules/calendar.h"

struct arena;
struct actor;

enum due_unit {
	DUE_WORKING_DAYS,
	DUE_CALENDAR_DAYS,
	DUE_WEEKS,
	DUE_MONTHS,
	DUE_HOURS,
};

enum due_kind {
	DUE_DEADLINE,  /* due items: a start, a due time, a meeting event */
	DUE_INDICATOR, /* a look-back window (R14): no due items */
};

struct due_rule {
	const char *id;        /* "R01": its row in timescales.csv */
	enum due_kind kind;
	const char *what;      /* for people: "Decide what happens next" */
	const char *subject;   /* the record the clock is on: "contact" */
	const char *starts;    /* the event that starts it, for people:
				* "the contact is received" */
	const char *met_by;    /* the event that meets it, for people */
	int count;             /* the national figure (or the default) */
	enum due_unit unit;
	bool timed;            /* counted on clock times, not dates */
	int every;             /* recurrence: then every `every` units
				* while the subject is open; 0: once */
	int soon;              /* "due soon" this many units ahead (hours
				* for a timed rule, days otherwise) */
	const char *setting;   /* per-council setting key holding the count
				* for a rule with no national figure, or
				* NULL */
	const struct db_stmt *source; /* rebuilds the items from the
				       * records (see due.c) */
	const char *every_setting; /* per-council setting key holding a
				    * recurring rule's interval (`every` its
				    * default), or NULL: `every` (L01: each
				    * review interval is the council's) */
	const struct db_stmt *source_child; /* `source` for one child (?2):
					     * makes due_refresh possible,
					     * or NULL */
	bool counted;          /* the source's eighth column holds the
				* subject's own count (first and every
				* occurrence; NULL: the council's), as
				* R11's plan sets its visiting frequency */
	unsigned chain;        /* 0, or DUE_CHAIN...: the source gives
				* each subject's events, not its items
				* (due.c, "Chains") */
};

/* due_rule.chain: a chain of occurrences, each from one event to the
 * next (L02, R10); HEAD: the first from the subject's start (L01, R11);
 * DAYS: events on the same day are one (R11: a day's visits). */
enum {
	DUE_CHAIN = 1,
	DUE_CHAIN_HEAD = 2,
	DUE_CHAIN_DAYS = 4,
};

/* The rules, in id order; *n is their number. */
const struct due_rule *due_rules(size_t *n);

/* For tests only: use the n rules at v instead of the table (NULL: back
 * to the table).  Not thread-safe; call before anything else runs. */
void due_rules_use(const struct due_rule *v, size_t n);

/* The rule with that id, or NULL. */
const struct due_rule *due_rule(const char *id);

/* A rule's label for people: "Decision on a contact", never its id. */
const char *due_rule_label(const char *id);

/* The due time of a clock started at `start` on a rule with `count`
 * units (working days under cal's convention; cal NULL: weekends only).
 * For a dated rule start.hh/mm are ignored and the result's are 0. */
struct cal_time due_compute(const struct due_rule *r, const struct cal *cal,
			    struct cal_time start, int count);

/* The count the council uses for rule r: its setting when r has one and
 * the council set it (a whole number 1..999), else r->count.  Outside a
 * transaction is fine. */
int due_count(struct db_conn *c, const char *council, const struct due_rule *r);

/* The interval of recurring rule r the council uses: its every_setting
 * when r has one and the council set it (1..999), else r->every. */
int due_every(struct db_conn *c, const char *council,
	      const struct due_rule *r);

/* The council's working-day calendar from the store: its bank holidays
 * and its convention (setting 'working_day_convention', CAL_DAY0 when
 * unset or unknown).  Free *out with cal_free().  Runs as
 * DB_ROLE_SYSTEM (start-up and the command line). */
int due_load_cal(struct db_conn *c, const char *council, struct cal **out);

/* R14 and any indicator: true when `earlier` is within r's window before
 * `later` (on or after later minus the window; not after later). */
bool due_within(const struct due_rule *r, struct cal_date later,
		struct cal_date earlier);

/* Starts rule_id's clock on subject/subject_id (occurrence 1) for
 * child_id at `start` (UK civil), computing the due time with the
 * council's count and calendar; an existing occurrence 1 is restarted
 * (start and due recomputed, met cleared).  *due (may be NULL) gets the
 * due time.  A new item is on the worker's and team's lists its
 * subject's other items are on (due_assign moves a subject's items
 * together).  In the caller's write transaction. */
int due_start(struct db_conn *c, const struct actor *act, const char *rule_id,
	      const struct cal *cal, const char *subject, int64_t subject_id,
	      int64_t child_id, struct cal_time start, struct cal_time *due);

/* Meets the open occurrence of rule_id on the subject at `met` (UK civil;
 * nothing happens when none is open).  A recurring rule then starts the
 * next occurrence at `met`.  In the caller's write transaction. */
int due_meet(struct db_conn *c, const struct actor *act, const char *rule_id,
	     const struct cal *cal, const char *subject, int64_t subject_id,
	     struct cal_time met);

/* Stops rule_id's clock on the subject: deletes its open occurrence,
 * if any (the subject closed, so nothing more falls due; met
 * occurrences are kept).  In the caller's write transaction. */
int due_stop(struct db_conn *c, const struct actor *act, const char *rule_id,
	     const char *subject, int64_t subject_id);

/* Makes rule_id's items for one child again from the records, as
 * due_rebuild would (the rule's source_child; ERR_INVALID for a rule
 * without one), writing only what differs.  For clocks whose meeting
 * event is not tied to one subject (R06: any strategy discussion about
 * the child; R11: any visit in which the child was seen), so the write
 * that moves them need not know which occurrence it meets, and a visit
 * recorded late or out of order counts where it falls.  In the caller's
 * write transaction. */
int due_refresh(struct db_conn *c, const struct actor *act,
		const struct cal *cal, const char *rule_id, int64_t child_id);

/* SQL: the children on worker W's current list, in council C (both SQL
 * parameters, "?1", "?2"): an open due item on the worker's list, or an
 * open case (episode) they lead.  "My work" lists these, not every child
 * ever allocated to them; both halves are index reads (due_worker,
 * episode_worker). */
#define DUE_CASELOAD_CHILDREN(C, W)                                         \
	"SELECT child_id FROM due_item WHERE council = " C                    \
	" AND worker_id = " W " AND met_at IS NULL UNION SELECT child_id"    \
	" FROM episode WHERE council = " C " AND worker_id = " W             \
	" AND closed_on IS NULL"

/* Sets the worker and team (0: none) of every item on the subject, and
 * of the subjects that follow it (due.c's due_follows: a case's
 * ("episode") allocation also moves the items of the child protection
 * plans it holds, "cp_plan": R08..R11, L02). */
int due_assign(struct db_conn *c, const struct actor *act,
	       const char *subject, int64_t subject_id, int64_t worker_id,
	       int64_t team_id);

/* Makes act->council's due items again from the records, rule by rule
 * (the rule's source statement), and writes only what differs from the
 * stored items (inserting, updating, deleting; items of a rule no longer
 * in the table are deleted).  *n (may be NULL) gets how many items the
 * records call for, *changed (may be NULL) how many rows were written.
 * In the caller's write transaction.  The items kept as records are
 * written must agree exactly (a test checks: changed is then 0). */
int due_rebuild(struct db_conn *c, const struct actor *act,
		const struct cal *cal, int64_t *n, int64_t *changed);

enum due_status {
	DUE_MET_ON_TIME,
	DUE_MET_LATE,
	DUE_OVERDUE,
	DUE_SOON,
	DUE_DUE,
	DUE_STATUS__MAX
};

/* "met on time", "met late", "overdue", "due soon", "due": for people
 * and for the CLI's csv/json ("met-on-time" ... from due_status_id). */
const char *due_status_label(enum due_status s);
const char *due_status_id(enum due_status s);
bool due_status_parse(const char *id, enum due_status *out);

struct due_row {
	const char *rule;        /* "R01" (static) */
	const char *subject;     /* "contact" (static) */
	int64_t subject_id;
	int seq;
	int64_t child_id;
	const char *child_name;  /* given and family name */
	char started_at[17];     /* date or civil time, as stored */
	char due_at[17];
	char met_at[17];         /* "" when not met */
	int64_t worker_id;       /* 0 when none */
	int64_t team_id;
	enum due_status status;
};

struct due_filter {
	int64_t worker_id;   /* 0: anyone's */
	int64_t team_id;     /* 0: any team's */
	int64_t child_id;    /* 0: any child's */
	const char *rule;    /* NULL: every rule */
	bool open_only;      /* only items not met */
	unsigned statuses;   /* bit (1 << enum due_status); 0: all */
	const char *due_from; /* 'YYYY-MM-DD': due on or after; NULL */
	const char *due_to;   /* 'YYYY-MM-DD': due on or before; NULL */
	int64_t limit;       /* rows wanted (1..100000) */
	int64_t offset;
};

/* The due items of act->council matching f, the most urgent first
 * (unmet by due time, then met ones newest first), with their status at
 * act->civil.  *more says whether rows beyond limit exist.  No audit. */
int due_list(struct db_conn *c, const struct actor *act,
	     const struct due_filter *f, struct arena *a, struct due_row **rows,
	     int *n, bool *more);

/* How many of act->council's items matching f (its limit, offset and
 * statuses ignored) are in each status at act's instant: counts[s].  No
 * child is named, so nothing is audited. */
int due_counts(struct db_conn *c, const struct actor *act,
	       const struct due_filter *f, int64_t counts[DUE_STATUS__MAX]);

/* Timeliness: for each rule and each calendar month whose items fell
 * due in [from, to], how many were met on time, met late, are still
 * open past due (overdue) or not yet due. */
struct due_period {
	const char *rule;      /* static */
	char month[8];         /* 'YYYY-MM' of the due date */
	int64_t on_time, late, overdue, open;
};
int due_timeliness(struct db_conn *c, const struct actor *act,
		   struct cal_date from, struct cal_date to, struct arena *a,
		   struct due_period **rows, int *n);

#endif
