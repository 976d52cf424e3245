/*
 * demo: fills a fictional council with synthetic children, families,
 * contacts and referrals, for demonstrations, training and load tests.
 *
 * Purpose.  `cairn demo --db FILE --children N [--seed S]` calls
 * demo_setup() and demo_generate().  Every name, address, identifier and
 * sentence is made up (see names.c); no real case is described.
 *
 * What it writes (all rows of council o->council):
 *   - council (created when missing), setting 'working_day_convention' =
 *     'day0', bank_holiday rows from the codes directory's CSV;
 *   - the organisations of enum demo_org and the teams of enum demo_team,
 *     with those fixed ids;
 *   - per child: the child row, 1-2 addresses, network members (parents
 *     and carers, siblings (other child records linked by
 *     linked_child_id, or adults), professionals with org_id: the school
 *     for school-age children, the GP, health visiting for under-5s,
 *     CAMHS for some teenagers, the hospital midwives for unborn
 *     children, the early help service when a contact was stepped to
 *     early help), a flag for about 5% of children;
 *   - per child 1-4 contacts over the 4 years before o->today, with
 *     sources weighted like the CIN census (police about 29%, schools
 *     about 20%, health about 15%, ...; never a school for a child under
 *     4, nor a health visitor for a child over 5), worry text chosen to
 *     suit the source and the child's age, due_at per R01, decisions (about
 *     40% referral or strategy), about 8% decided late, and the most
 *     recent 1% undecided (the front-door queue);
 *   - a referral for each contact decided 'referral' or 'strategy', with
 *     rereferral and previous_referral_id per R14 (below), most allocated.
 *
 * Realism.  Ages 0-17 at o->today with more under-5s and teenagers, and
 * about 0.5% unborn (dob NULL, expected_dob set, given name "Unborn",
 * gender '0').  Ethnicity roughly as England's child population; names
 * follow the family's ethnicity.  ~90% have an NHS number, ~80% of
 * school-age children a UPN.
 *
 * Identifiers cannot belong to anyone real:
 *   - NHS numbers are in the 999 range the NHS keeps for test data, and
 *     pass the modulus 11 check (ident.h); never the reserved repeated
 *     digit; unique within the council.
 *   - UPNs use LA number DEMO_LA_CODE (999, no real authority) and pass
 *     the DfE check letter; unique.
 *   - Postcodes use the area "NQ", which Royal Mail has never allocated,
 *     and pass ident_postcode_check (the NHS pseudo-postcode area ZZ99
 *     was considered and rejected: it fails that shape check, Z not being
 *     allowed in the second position).
 *   - la_ref is the council code in capitals and 7 random digits from
 *     1000000 ("NWD4774614"), unique; deliberately not the child_id, and
 *     child_create's sequence (which follows child_id and steps over numbers
 *     taken) does not reach them before a million children.
 *   - Telephone numbers are from Ofcom's ranges for drama
 *     (07700 900xxx, 01632 960xxx).
 *
 * Determinism.  Same options (seed, children, today, council, user ids
 * and the same codes files) => byte-identical rows, machine timestamps
 * included: every created_at is derived from the seed and the civil
 * times, never from the clock.  The PRNG is our own (splitmix64 +
 * xoshiro256**), never rand().
 *
 * Civil times ('YYYY-MM-DDTHH:MM', received_at, due_at, decided_at,
 * allocated_at) are UK local time as a person writes them; machine times
 * (created_at, 'YYYY-MM-DDTHH:MM:SSZ') are the same moment in UTC
 * (BST = UTC+1 from the last Sunday in March to the last Sunday in
 * October).  Every civil time is before 00:00 on o->today (a record
 * made late the evening before may carry a created_at just after it);
 * unborn children's expected dates of birth are after it.
 *
 * R14 as implemented: a referral is a re-referral when the same child
 * has an earlier referral whose referral_date is on or after the date
 * 12 calendar months before this referral_date (cal_add_months(d, -12),
 * so 29 Feb looks back to 28 Feb).  previous_referral_id is the child's
 * most recent earlier referral whenever one exists (whether or not it
 * was within 12 months), NULL for a first referral.
 *
 * USERS CONTRACT.  This module creates no users.  The caller (main.c)
 * creates them through the auth module, AFTER demo_setup() (so that the
 * council, organisations and teams they refer to exist) and BEFORE
 * demo_generate(), and passes their ids in struct demo_options:
 *   - front_door_user_id: created_by of children, contacts, flags and
 *     referrals, and decided_by of contacts;
 *   - manager_user_id (0 = use front_door_user_id): allocated_by;
 *   - worker_ids[0..n_workers): social workers allocated to referrals.
 *     A worker's team is read from app_user.team_id; referrals allocated
 *     to a worker carry that team.  A worker with no team is treated as
 *     in DEMO_TEAM_ASSESS_1 or DEMO_TEAM_ASSESS_2 (alternately by
 *     position in the array).  Unallocated referrals get one of the two
 *     assessment teams and no worker.
 * Every id must exist in app_user for the council, or demo_generate()
 * fails before writing anything.
 *
 * Roles.  Every statement here allows DB_ROLE_SYSTEM only; the functions
 * set that role on the connection they borrow.
 *
 * Transactions.  demo_setup() and demo_generate() each borrow a
 * connection from the pool and run in one write transaction of their
 * own: either everything is written or nothing is.
 *
 * Ownership.  Options are borrowed for the call.  Nothing is returned
 * that needs freeing.
 *
 * Errors.  0 on success, or a negative value with one sentence in err
 * (truncated to errlen; err may be NULL when errlen is 0):
 * DEMO_EINVAL bad options, DEMO_EIO a codes file missing or malformed,
 * DEMO_EEXISTS the council already has children, DEMO_EDB a database
 * error.  Nothing in a message is personal data.
 */
#ifndef CAIRN_DEMO_H
#define CAIRN_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* LA number used in demo UPNs and as council.la_code: no real authority
 * has it. */
#define DEMO_LA_CODE "999"

/* Most children demo_generate() accepts in one call. */
#define DEMO_CHILDREN_MAX 1000000

enum demo_err {
	DEMO_OK = 0,
	DEMO_EINVAL = -1,  /* an option is missing or out of range */
	DEMO_EIO = -2,     /* a codes file cannot be read or parsed */
	DEMO_EEXISTS = -3, /* the council already has children */
	DEMO_EDB = -4,     /* the database refused a statement */
};

/* A fixed developer-facing name for a code ("council already has
 * data"...); "unknown demo error" for anything else.  Never NULL. */
const char *demo_strerror(int err);

/* Organisations, with their fixed org_id (the enum value).  A partner
 * user's org_id should be one of these. */
enum demo_org {
	DEMO_ORG_PRIMARY_NORTHWOLD = 1, /* "Northwold Primary School" */
	DEMO_ORG_PRIMARY_ST_AIDAN,      /* "St Aidan's Church of England Primary School" */
	DEMO_ORG_PRIMARY_ELMFIELD,      /* "Elmfield Primary School" */
	DEMO_ORG_PRIMARY_CASTLE_HILL,   /* "Castle Hill Primary School" */
	DEMO_ORG_HIGH_NORTHWOLD,        /* "Northwold High School" */
	DEMO_ORG_HIGH_ST_BEDE,          /* "St Bede's Catholic High School" */
	DEMO_ORG_COLLEGE,               /* "Northwold Sixth Form College" */
	DEMO_ORG_GP_HEALTH_CENTRE,      /* "Northwold Health Centre" */
	DEMO_ORG_GP_CASTLE_STREET,      /* "Castle Street Surgery" */
	DEMO_ORG_HEALTH_VISITING,       /* "Northwold Health Visiting Service" */
	DEMO_ORG_CAMHS,                 /* "Northwold CAMHS" */
	DEMO_ORG_HOSPITAL,              /* "Northwold General Hospital" */
	DEMO_ORG_POLICE,                /* "Northwold Police Public Protection Unit" */
	DEMO_ORG_EARLY_HELP,            /* "Northwold Early Help Service" */
	DEMO_ORG__MAX
};

/* Teams, with their fixed team_id (the enum value). */
enum demo_team {
	DEMO_TEAM_FRONT_DOOR = 1, /* "Front Door (MASH)" */
	DEMO_TEAM_ASSESS_1,       /* "Assessment Team 1" */
	DEMO_TEAM_ASSESS_2,       /* "Assessment Team 2" */
	DEMO_TEAM_CIN,            /* "Children in Need Team" */
	DEMO_TEAM__MAX
};

struct demo_options {
	const char *council;      /* code, e.g. "nwd": 1..15 of [a-z0-9] */
	const char *council_name; /* e.g. "Northwold (fictional)" */
	int children;             /* 1..DEMO_CHILDREN_MAX */
	uint64_t seed;
	const char *codes_dir;    /* path to shared/domain/codes */
	const char *today;        /* 'YYYY-MM-DD'; dates fall in the 4 years
				   * before it (explicit, for reproducibility) */
	/* Called now and then while children are written (done <= total);
	 * may be NULL. */
	void (*progress)(int done, int total, void *arg);
	void *progress_arg;
	/* Users (see USERS CONTRACT above). */
	const int64_t *worker_ids;
	int n_workers;            /* >= 1 */
	int64_t front_door_user_id;
	int64_t manager_user_id;  /* 0 = front_door_user_id */
};

/* Name of an organisation ("Northwold Primary School"), or NULL when o is
 * not a member of enum demo_org. */
const char *demo_org_name(enum demo_org o);

/* Name of a team ("Front Door (MASH)"), or NULL when t is not a member of
 * enum demo_team. */
const char *demo_team_name(enum demo_team t);

/* Creates, when missing, the council row (la_code DEMO_LA_CODE), the
 * organisations and teams above, the setting and the bank holidays from
 * o->codes_dir.  Idempotent: rows already present are left alone.  Only
 * o->council, o->council_name and o->codes_dir are read.  Returns 0, or a
 * negative enum demo_err with a message; on failure nothing is written. */
int demo_setup(struct db *db, const struct demo_options *o, char *err,
	       size_t errlen);

/* Generates o->children synthetic children as described above, calling
 * demo_setup() first.  The schema must be migrated.  Returns 0, or a
 * negative enum demo_err with a message: DEMO_EEXISTS ("demo: council
 * nwd already has data; use a new database") when the council already
 * has a child.  On failure nothing is written. */
int demo_generate(struct db *db, const struct demo_options *o, char *err,
		  size_t errlen);

/* Adds a fictional scrutiny review to the council, imported from a
 * built-in action plan, with progress updates dated relative to today
 * ('YYYY-MM-DD'); nothing when the council already has a review.  0 or
 * a negative DEMO_E* with a message in err. */
int demo_scrutiny(struct db *db, const char *council, const char *today,
		  char *err, size_t errlen);

/* Adds visits, case notes and what the children said (practice_demo.c)
 * for a third of the children with an allocated referral, chosen by
 * seed, dated after the referral and not after today ('YYYY-MM-DD');
 * nothing when the council already has a visit.  0 or a negative
 * DEMO_E* with a message in err. */
/* A stage's long write broken into transactions: after every
 * DEMO_BATCH records (done > 0, a multiple of it) commits the open
 * transaction and begins another.  PostgreSQL keeps, until the
 * transaction ends, every version of the council's audit head it wrote,
 * and each audit row walks them: a stage in one transaction took time
 * growing with the square of its size.  After 1, 2, 4, 8... batches the
 * store's statistics are refreshed (db_analyze).  A stage cut short
 * keeps what it committed; running the demo again skips a stage it finds
 * begun.
 * Returns DB_OK or a db_err. */
#define DEMO_BATCH 200
int demo_batch(struct db_conn *c, int done);

int demo_practice(struct db *db, const char *council, const char *today,
		  uint64_t seed, char *err, size_t errlen);

/* Adds child protection (cp_demo.c) for about one in four children
 * whose assessment's outcome is a strategy discussion, chosen by seed,
 * dated after the assessment started and not after today; nothing when
 * the council already has a strategy discussion.  0 or a negative
 * DEMO_E* with a message in err. */
int demo_cp(struct db *db, const char *council, const char *today,
	    uint64_t seed, char *err, size_t errlen);
/* Adds the council's service directory and closes some open Family
 * Help cases by the step-down rules (closure_demo.c), as of today
 * ('YYYY-MM-DD'); nothing when the council already has such a closing.
 * 0 or a negative DEMO_E* with a message in err. */
int demo_closure(struct db *db, const char *council, const char *today,
		 uint64_t seed, char *err, size_t errlen);

/* Makes the people of each family one person shared by its children,
 * and records parental factors for some families with an open case
 * (family_demo.c); nothing when the council already has a person.  0 or
 * a negative DEMO_E* with a message in err. */
int demo_families(struct db *db, const char *council, const char *today,
		uint64_t seed, char *err, size_t errlen);

#endif
