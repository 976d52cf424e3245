/*
 * child: the child's record.  Identity (names, date of birth, gender,
 * ethnicity, NHS number, UPN, the council's own reference), addresses
 * with history, the family and professional network, warnings (flags),
 * the field history of identity changes, finding a child by a misspelt
 * name, and the possible-duplicate check before a record is created.
 *
 * Pure of HTTP: callers (web/child_pages.c, api/child_api.c) turn the
 * results into pages or JSON and the field errors into form errors.
 * This one header is the module's contract; its code is split along its
 * seams (codes, record, visibility, search and the name index, the
 * three sections), each file listed in the private child_int.h.
 *
 * Invariants.
 *  - Every statement filters by ctx->act->council; no function can reach a row
 *    of another council.  A child of another council is "not found".
 *  - Row-level rule for partners: when ctx->act->partner is set a child is
 *    visible only while it has a network_member row of kind
 *    'professional' with org_id ctx->act->org_id whose end_date is NULL
 *    or after ctx->act->today.  Any other child is ERR_NOTFOUND (never
 *    "denied", so the answer does not reveal that the record exists).
 *    Sections a partner may not see (contacts, referrals, history) are
 *    refused by the policy table before these functions are reached,
 *    and by the statements' role allow-lists (history: ERR_DENIED).
 *  - given_key / family_key are namematch_key(namematch_fold(name)): the
 *    phonetic keys child_search ranks by (the demo generator computes
 *    them the same way).
 *  - la_ref is the council code in capitals followed by 7 digits
 *    ("NWD0000042"), allocated in sequence and unique in the council.
 *  - `version` starts at 1 and goes up by one on every identity update;
 *    an update naming an older version changes nothing (ERR_CONFLICT).
 *  - Each identity change writes one child_history row per changed field
 *    (field, old value, new value, user, time) in the same transaction.
 *  - A child has at most one current address (end_date NULL): adding one
 *    ends the previous current address on the new one's start date.
 *
 * Auditing.  Every write appends its audit row (audit/audit.h) in the
 * same transaction as the change; child_read appends the "read" row in
 * the same transaction as the rows it returns, and child_search commits
 * its "search" row after reading and before it returns anything.
 * ctx->act carries the actor (council, user, username, role, request id,
 * ip); the functions fill in action, entity and ids.  Section loaders
 * (child_addresses, child_network, child_flags, child_history_list) do
 * not audit: call them inside the transaction of the child_read (or
 * child_load, whose caller audits) that read the child.  Audit rows hold
 * ids only, never names.
 *
 * Transactions.  "Own or joined": a write function opens and commits its
 * own write transaction when the connection is not in one, and rolls it
 * back on any error; when the caller already holds a write transaction
 * the function joins it and the caller must commit or roll back (roll
 * back on any error return).  child_read and the section loaders need the
 * caller's write transaction (ERR_NOTX otherwise).
 *
 * Ownership.  Every string and array handed out is allocated from the
 * arena `a` passed in and lives as long as it.  Inputs are borrowed for
 * the call.
 *
 * Errors.  0 (ERR_OK) or a negative enum err.  ERR_INVALID
 * comes with field errors in *errs (the field names are the JSON field
 * names: "given_name", "dob", "nhs_number", ...), each message one
 * sentence saying what is wrong and why, safe to show to the person who
 * typed it.  On any error nothing has been written and outputs other than
 * errs (and the duplicate list, for ERR_DUPLICATE) are unset.
 * Memory exhaustion of the arena gives ERR_NOMEM.  Nothing here logs
 * personal data.
 */
#ifndef CAIRN_CHILD_H
#define CAIRN_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"
#include "db/db.h"
#include "rules/calendar.h"

struct arena;
struct record_type;

/* ---- code lists ------------------------------------------------------ */

/* Gender as the CIN census records it (before 2025), from
 * ../shared/domain/codes/cin_gender_pre2025.csv. */
enum child_gender {
	CHILD_GENDER_NOT_RECORDED, /* "0" Not recorded or unborn */
	CHILD_GENDER_MALE,         /* "1" Male */
	CHILD_GENDER_FEMALE,       /* "2" Female */
	CHILD_GENDER_INDETERMINATE,/* "9" Indeterminate */
	CHILD_GENDER__MAX
};

/* The code ("0","1","2","9") and label of g; NULL out of range. */
const char *child_gender_code(enum child_gender g);
const char *child_gender_label(enum child_gender g);
/* The label for a stored code; NULL for a code not in the list. */
const char *child_gender_label_for(const char *code);

/* DfE ethnicity codes (CIN census and SSDA903). */
#define CHILD_ETHNICITY_COUNT 20
/* The i-th code ("WBRI") and label ("White British"), i in
 * 0..CHILD_ETHNICITY_COUNT-1; NULL out of range. */
const char *child_ethnicity_code(int i);
const char *child_ethnicity_label(int i);
/* The label for a code; NULL when it is not a DfE ethnicity code. */
const char *child_ethnicity_label_for(const char *code);

/* Kinds of network member (the CHECK in schema.c). */
enum child_member_kind {
	CHILD_MEMBER_PARENT,       /* "parent" */
	CHILD_MEMBER_CARER,        /* "carer" */
	CHILD_MEMBER_SIBLING,      /* "sibling" */
	CHILD_MEMBER_SIGNIFICANT,  /* "significant_adult" */
	CHILD_MEMBER_PROFESSIONAL, /* "professional" */
	CHILD_MEMBER__MAX
};
/* The stored id and human label of k; NULL out of range. */
const char *child_member_kind_id(enum child_member_kind k);
const char *child_member_kind_label(enum child_member_kind k);
/* Parses an id; true and *out set, or false. */
bool child_member_kind_parse(const char *id, enum child_member_kind *out);

/* Kinds of warning (flag). */
enum child_flag_kind {
	CHILD_FLAG_WORKER_SAFETY, /* "worker_safety" Risk to workers visiting */
	CHILD_FLAG_CHILD_SAFETY,  /* "child_safety" Risk to the child */
	CHILD_FLAG_HEALTH,        /* "health" Health or medical */
	CHILD_FLAG_COMMUNICATION, /* "communication" Communication needs */
	CHILD_FLAG_LEGAL,         /* "legal" Court order or legal restriction */
	CHILD_FLAG_OTHER,         /* "other" Other */
	CHILD_FLAG__MAX
};
/* The one list of warning kinds (domain/field.h: code and label, in the
 * enum's order, ended by a NULL code).  Every page shows a kind by its
 * label; the stored code is for the store, the API and the demo, which
 * takes its kinds from here too. */
extern const struct field_code child_flag_kinds[CHILD_FLAG__MAX + 1];
/* The stored id and human label of k; NULL out of range. */
const char *child_flag_kind_id(enum child_flag_kind k);
const char *child_flag_kind_label(enum child_flag_kind k);
/* Parses an id; true and *out set, or false. */
bool child_flag_kind_parse(const char *id, enum child_flag_kind *out);
/* The label of a stored id; NULL for an id not in the list. */
const char *child_flag_kind_label_for(const char *id);

/* ---- context --------------------------------------------------------- */

/* The name index child_search ranks a name from: per council, a
 * snapshot of every child's names kept in memory and brought up to date
 * by each search (child/names.c).  Owned by the application, which makes
 * one (web/app.c app_start) and frees it when no request can be running
 * (app_stop); every child_ctx of the application carries it
 * (child_page_ctx), so that the children that child_create and
 * child_update create or rename through it are found by its next search.
 * Nothing of it is global.  Thread-safe. */
struct child_names;

/* A new, empty index (built on the first name search of each council).
 * Never NULL (memory exhaustion aborts: core/arena.h). */
struct child_names *child_names_new(void);

/* Frees n and every snapshot it holds.  No search or write through n
 * may be running.  NULL is a no-op. */
void child_names_free(struct child_names *n);

/* Forgets n's snapshot of every council; the next name search of a
 * council rebuilds it from the store.  Safe at any time from any thread.
 * For tests, and to give the memory back.  NULL is a no-op. */
void child_names_drop(struct child_names *n);

/* The child child_load (or child_read) last found visible, and in which
 * transaction (the connection and its db_tx_seq). */
struct child_seen {
	const struct db_conn *conn;
	uint64_t tx;       /* 0: nothing remembered */
	int64_t child_id;
};

struct child_ctx {
	const struct actor *act;  /* who and when: the council every
				   * statement filters by, the user (for
				   * created_by and history), the partner
				   * rule (act->partner, act->org_id: an
				   * organisation 0 matches no child), and
				   * today in England */
	/* Optional: when set, child_search appends its ("search", "child")
	 * audit row, naming each child on the page of results it shows
	 * (audit_event's children), by calling this
	 * (with the search's connection out of any transaction) instead of
	 * in a write transaction of its own; it returns 0 once the row
	 * is durable, or a negative db_err.  It may give the connection
	 * back to its pool (the web layer's group commit does,
	 * req_audit_shown): child_search does not use the connection after
	 * calling it. */
	int (*audit_shown)(void *arg, const char *action, const char *entity,
			   const int64_t *child_ids, int n);
	void *audit_arg;
	struct child_names *names; /* optional, owned by the application
				   * (see struct child_names): the name
				   * index that child_search ranks from and
				   * that child_create / child_update tell
				   * of the children they create or rename.
				   * NULL: a name search builds a snapshot
				   * in its own read transaction for itself
				   * alone (the same results; the cost of
				   * reading every name of the council, so
				   * for the command line and tests), and
				   * writes tell no index: a search through
				   * an index finds a rename made without
				   * it within a minute, as one made by
				   * another process. */
	struct child_seen *seen;  /* optional, owned by the caller: when
				   * set, child_load records the child it
				   * found visible there, and the section
				   * loaders (child_addresses, child_network,
				   * child_flags) do not check that child's
				   * visibility again in the same
				   * transaction: inside one snapshot the
				   * answer cannot change.  NULL: each
				   * loader checks for itself. */
};


/* ---- visibility ------------------------------------------------------ */

/* The partner-visibility rule, the one place it is decided (see the
 * invariants above): ERR_OK when child_id is a child of act->council and,
 * when act->partner is set, act->org_id is currently involved with it (a
 * network_member of kind 'professional' with that org_id whose end_date
 * is NULL or after act->today); ERR_NOTFOUND otherwise (unknown id, a
 * child of another council, or hidden from the partner: the same answer,
 * so that it never reveals that a record exists); or another negative
 * enum err (ERR_DENIED when the connection's role may not read children:
 * the statements are open to the roles that read or write a child).
 * Reads in the caller's transaction when there is one (the answer holds
 * for its snapshot), else each statement on its own.  Writes nothing,
 * audits nothing.  Every module that shows or changes something of one
 * child asks this before it does. */
int child_visible(struct db_conn *c, const struct actor *act,
		  int64_t child_id);

/* ---- the record ------------------------------------------------------ */

enum child_dob_status {
	CHILD_DOB_UNSET,    /* update: leave as is; create: an error */
	CHILD_DOB_KNOWN,    /* dob given */
	CHILD_DOB_EXPECTED, /* unborn: expected_dob given */
	CHILD_DOB_UNKNOWN,  /* neither known */
	CHILD_DOB__MAX
};

/* Identity fields as typed.  For child_update a NULL pointer (or
 * CHILD_DOB_UNSET) means "leave as it is"; "" clears an optional field. */
struct child_input {
	const char *given_name;   /* required on create: 1..100 characters */
	const char *family_name;  /* required on create: 1..100 characters */
	const char *other_names;  /* optional, up to 200 characters */
	enum child_dob_status dob_status;
	const char *dob;          /* 'YYYY-MM-DD', with CHILD_DOB_KNOWN */
	const char *expected_dob; /* 'YYYY-MM-DD', with CHILD_DOB_EXPECTED */
	const char *gender;       /* a child_gender code; create default "0" */
	const char *ethnicity;    /* a DfE code; optional */
	const char *nhs_number;   /* optional; spaces or hyphens 3-3-4 ok */
	const char *upn;          /* optional */
};

struct child {
	int64_t child_id;
	const char *la_ref;
	const char *given_name;
	const char *family_name;
	const char *other_names;  /* "" when none */
	const char *dob;          /* 'YYYY-MM-DD' or "" */
	const char *expected_dob; /* 'YYYY-MM-DD' or "" */
	const char *gender;       /* code */
	const char *ethnicity;    /* code or "" */
	const char *nhs_number;   /* ten digits or "" */
	const char *upn;          /* 13 characters or "" */
	const char *created_at;
	const char *updated_at;
	int64_t version;
};

/* A possible duplicate, or a search hit. */
struct child_match {
	int64_t child_id;
	int score;                /* name similarity 0..100 (100: exact) */
	const char *reason;       /* duplicates: why it was matched */
	const char *la_ref;
	const char *given_name;
	const char *family_name;
	const char *dob;          /* or "" */
	const char *expected_dob; /* or "" */
	/* A search with child_query.details only (else NULL / 0): what
	 * tells children of a similar name apart. */
	const char *gender;       /* code */
	const char *postcode;     /* of the current address (no end
				   * date), or "" when none */
	const char **parents;     /* names of the network members of kind
				   * 'parent' still involved (no end date,
				   * or one after today), by name; with
				   * child_query.parents only */
	int nparents;
};

/* Validates `in`, looks for possible duplicates, and creates the child.
 * Duplicates are children of the council with the same NHS number, the
 * same UPN, or the same date of birth and a similar name
 * (namematch_score >= NAMEMATCH_LIKELY).  When there are any and
 * confirm_not_duplicate is false, returns ERR_DUPLICATE with them in
 * *dups / *ndups (at most 20, best first) and creates nothing: the only
 * row written is the ("search", "child") audit row of the look-up
 * (committed in own mode; a joining caller should commit it too).  Returns 0
 * and sets *child_id (and *la_ref, from a) on success, with the audit row
 * ("create", "child").  ERR_INVALID with *errs; other errors as
 * above.  Own or joined transaction. */
int child_create(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, const struct child_input *in,
		 bool confirm_not_duplicate, int64_t *child_id,
		 const char **la_ref, struct child_match **dups, int *ndups,
		 struct field_errors *errs);

/* Checks `in` by the rules of child_create without touching the store
 * (for a form that found errors of its own and wants every message at
 * once).  Returns ERR_OK, ERR_INVALID with *errs, or ERR_NOMEM. */
int child_validate(const struct child_ctx *x, struct arena *a,
		   const struct child_input *in, struct field_errors *errs);

/* As child_read without the audit row, in any open transaction (a read
 * snapshot is enough).  The caller must audit the read before showing
 * anything (the pages use req_audit_read, which group-commits).  Same
 * returns as child_read. */
int child_load(struct db_conn *c, const struct child_ctx *x,
	       struct arena *a, int64_t child_id, struct child *out);

/* Loads the child for display and appends the ("read", "child") audit row.
 * Needs the caller's write transaction (commit it before showing the
 * data).  Returns 0 and fills *out; ERR_NOTFOUND (other council,
 * unknown id, or hidden from a partner); or another error. */
int child_read(struct db_conn *c, const struct child_ctx *x,
	       struct arena *a, int64_t child_id, struct child *out);

/* Updates identity fields (see struct child_input) when `version` is the
 * current one.  Validates as child_create; an NHS number or UPN already
 * recorded for another child of the council is a field error.  Writes a
 * child_history row for each field that changes, bumps the version, and
 * appends ("update", "child").  When nothing changes, succeeds without
 * writing.  Returns 0 and sets *new_version (may be NULL);
 * ERR_CONFLICT when the version is stale (nothing changes);
 * ERR_NOTFOUND; ERR_INVALID with *errs.  Own or joined. */
int child_update(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, int64_t child_id, int64_t version,
		 const struct child_input *in, int64_t *new_version,
		 struct field_errors *errs);

/* ---- search ---------------------------------------------------------- */

struct child_query {
	const char *name;       /* free text: "given family", or one word */
	const char *dob;        /* 'YYYY-MM-DD' */
	const char *nhs_number;
	const char *upn;
	const char *la_ref;
	int64_t limit;          /* 1..200 */
	int64_t offset;         /* position in the ranked results */
	/* The page's rows with gender and current postcode (struct
	 * child_match), and with `parents` the parents' names too: for a
	 * page of results shown to people (the API leaves both false, and
	 * its search costs what it did).  Set `parents` only for a user who
	 * may see a child's network (PERM_CHILD_NETWORK_READ).  A partner
	 * gets the parents of the children it finds, which are only those
	 * its organisation is involved with (the row-level rule, checked in
	 * the same snapshot). */
	bool details;
	bool parents;
};

/* Most results one search ranks (more are not counted). */
#define CHILD_SEARCH_MAX 2000
/* Fewer name hits than this through the phonetic keys widen a name
 * search to every child of the council. */
#define CHILD_SEARCH_SCAN_BELOW 20

struct child_results {
	struct child_match *v;  /* this page */
	int n;
	int64_t total;          /* all matches (at most CHILD_SEARCH_MAX) */
	int64_t next_offset;    /* offset of the next page, or -1 */
};

/* Finds children of the council.  Criteria combine (AND).  By name: the
 * query is split into given names and a family name (the last word; one
 * word is tried as either).  The candidates are the children with a name
 * whose phonetic key (given_key / family_key) is a key of the query, and
 * when fewer than CHILD_SEARCH_SCAN_BELOW of those match, every child of
 * the council; matches score at least NAMEMATCH_LIKELY and are ranked by
 * score, then family name, given name and id (of more than
 * CHILD_SEARCH_MAX, the first CHILD_SEARCH_MAX in that order are kept).
 * A search by name alone ranks from x->names (struct child_names), which
 * every search brings up to date with its own snapshot: children created
 * (by anyone) or renamed (by child_update through the same index) are
 * found by the next search; a rename the index was not told of (another
 * process sharing the database, a ctx without the index) shows within a
 * minute.  With x->names NULL the search reads every name of the council
 * in its own snapshot.  Searches through one index that commit their own
 * audit rows (no x->audit_shown) take turns to do so.  Without a name, results are ordered by family and
 * given name.  Identifiers are normalised (NHS spaces, UPN and la_ref
 * case) and a malformed one is a field error.  Partners see only the
 * children the row-level rule lets them see.  The ranking and the rows
 * of the page (with q->details, one statement a row: the child, its
 * current postcode and, with q->parents, its parents) are read in one
 * read snapshot; then one ("search",
 * "child") audit row is committed (through x->audit_shown when set, else
 * in a write transaction of its own), and nothing is returned unless
 * that commit succeeds.  Must be called outside a
 * transaction (ERR_NOTX otherwise).  Returns 0 and fills *res;
 * ERR_INVALID with *errs (no criterion, bad date or identifier);
 * ERR_BUSY when the audit row could not be written in time; or
 * another error. */
int child_search(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, const struct child_query *q,
		 struct child_results *res, struct field_errors *errs);

/* ---- history --------------------------------------------------------- */

struct child_change {
	int64_t seq;
	const char *field;     /* a JSON field name ("family_name") */
	const char *old_value; /* "" when none */
	const char *new_value; /* "" when none */
	int64_t user_id;
	const char *user_name; /* display name, or "" when unknown */
	const char *at;        /* 'YYYY-MM-DDTHH:MM:SSZ' */
};

/* Field history of one child, newest first.  Caller's write transaction
 * (after child_read).  Returns 0 and sets *v / *n; or an error. */
int child_history_list(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, int64_t child_id,
		       struct child_change **v, int *n);

/* ---- addresses ------------------------------------------------------- */

struct child_address_input {
	const char *line1;      /* required, up to 200 characters */
	const char *line2;      /* optional */
	const char *town;       /* optional, up to 100 characters */
	const char *postcode;   /* required, a UK postcode */
	const char *start_date; /* required 'YYYY-MM-DD', not in the future */
};

struct child_address {
	int64_t address_id;
	const char *line1, *line2, *town, *postcode; /* "" when none */
	const char *start_date;
	const char *end_date;   /* "" while current */
};

/* Adds an address as the current one; the previous current address ends
 * on the new start date (which must not be before that address's start).
 * Appends ("create", "address").  Returns 0 and sets *address_id;
 * ERR_INVALID; ERR_NOTFOUND.  Own or joined. */
int child_address_add(struct db_conn *c, const struct child_ctx *x,
		      int64_t child_id, const struct child_address_input *in,
		      int64_t *address_id, struct field_errors *errs);

/* Addresses, current first then by start date, newest first.  Caller's
 * write transaction (after child_read). */
int child_addresses(struct db_conn *c, const struct child_ctx *x,
		    struct arena *a, int64_t child_id,
		    struct child_address **v, int *n);

/* ---- family and network ---------------------------------------------- */

struct child_member_input {
	const char *kind;          /* a child_member_kind id */
	const char *name;          /* required, 1..100 characters */
	const char *relationship;  /* required: "Mother", "School DSL",
				    * "Lead professional", ... */
	const char *phone;         /* optional */
	int64_t org_id;            /* professionals: required; others: 0 */
	int64_t linked_child_id;   /* optional: another child's record */
	const char *linked_la_ref; /* or that record's LA reference */
	bool parental_responsibility; /* parents and carers only */
	const char *start_date;    /* optional 'YYYY-MM-DD', not future */
};

struct child_member {
	int64_t member_id;
	const char *kind;
	const char *name;
	const char *relationship;
	const char *phone;         /* "" when none */
	int64_t org_id;            /* 0 when none */
	const char *org_name;      /* "" when none */
	int64_t linked_child_id;   /* 0 when none */
	const char *linked_la_ref; /* "" when none */
	bool parental_responsibility;
	const char *start_date;    /* "" when not recorded */
	const char *end_date;      /* "" while current */
	bool current;              /* no end date, or it is after today */
};

/* Adds a network member.  Appends ("create", "network_member").  Returns
 * 0 and sets *member_id; ERR_INVALID (unknown kind, organisation not
 * in the council, linked child not in the council or the child itself,
 * ...); ERR_NOTFOUND.  Own or joined. */
int child_member_add(struct db_conn *c, const struct child_ctx *x,
		     int64_t child_id, const struct child_member_input *in,
		     int64_t *member_id, struct field_errors *errs);

/* Ends a member's involvement on end_date ('YYYY-MM-DD', not in the
 * future, not before the start date).  Appends ("end",
 * "network_member").  Returns 0; ERR_NOTFOUND (no such member of this
 * child); ERR_INVALID (bad date, already ended).  Own or joined. */
int child_member_end(struct db_conn *c, const struct child_ctx *x,
		     int64_t child_id, int64_t member_id,
		     const char *end_date, struct field_errors *errs);

/* Members, current first, then by kind and name.  A linked child the
 * actor may not see (child_visible: "not found") comes with
 * linked_child_id 0 and linked_la_ref "": named, never linked, on every
 * page and in the API.  Caller's write transaction (after child_read). */
int child_network(struct db_conn *c, const struct child_ctx *x,
		  struct arena *a, int64_t child_id, struct child_member **v,
		  int *n);

/* Loads one member (for the "end" form).  Caller's transaction.  Returns
 * 0; ERR_NOTFOUND; or an error. */
int child_member_get(struct db_conn *c, const struct child_ctx *x,
		     struct arena *a, int64_t child_id, int64_t member_id,
		     struct child_member *out);

/* Organisations of the council, for choosing a professional's.  Calls cb
 * for each in name order; a non-zero return from cb stops and is
 * returned.  Works in or out of a transaction. */
int child_orgs(struct db_conn *c, const struct child_ctx *x,
	       int (*cb)(int64_t org_id, const char *name, void *arg),
	       void *arg);

/* ---- warnings (flags) ------------------------------------------------ */

struct child_flag_input {
	const char *kind;        /* a child_flag_kind id */
	const char *text;        /* required, up to 500 characters */
	const char *review_date; /* required 'YYYY-MM-DD', today or later */
};

struct child_flag {
	int64_t flag_id;
	const char *kind;
	const char *text;
	const char *review_date;
	const char *created_at;
	const char *ended_at;    /* "" while active */
	bool overdue;            /* active and review_date before today */
};

/* Adds a flag.  Appends ("create", "flag").  Returns 0 and *flag_id;
 * ERR_INVALID (review date in the past...); ERR_NOTFOUND.  Own or
 * joined. */
int child_flag_add(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, const struct child_flag_input *in,
		   int64_t *flag_id, struct field_errors *errs);

/* Ends an active flag now.  Appends ("end", "flag").  Returns 0;
 * ERR_NOTFOUND; ERR_INVALID when it has already ended.  Own or
 * joined. */
int child_flag_end(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, int64_t flag_id,
		   struct field_errors *errs);

/* Flags, active first (by review date), then ended.  Caller's write
 * transaction (after child_read). */
int child_flags(struct db_conn *c, const struct child_ctx *x,
		struct arena *a, int64_t child_id, struct child_flag **v,
		int *n);

/* An open flag past its review date, on a child with a referral
 * allocated to a worker ("My work"). */
struct child_flag_review {
	int64_t child_id;
	const char *child_name;
	const char *kind;
	const char *review_date;
};
extern const struct record_type child_flag_review_view;

/* Open flags whose review date is before the actor's today on children
 * with a referral allocated to worker_id, oldest review first (at most
 * 200); audited as one list naming them.  Own or joined. */
int child_flags_past_review(struct db_conn *c, const struct actor *who,
			    int64_t worker_id, struct arena *a,
			    struct child_flag_review **rows, int *n);

#endif
