/*
 * child_int.h: what the files of the child module share and nobody else
 * may use (the public contract is child.h).  The module is split along
 * its seams:
 *
 *   codes.c    the code lists (gender, ethnicity, member and flag kinds)
 *   text.c     typed text and dates checked, names keyed (these helpers)
 *   visible.c  the partner-visibility rule (child_visible)
 *   record.c   create, read, update with field history, identity
 *              validation, duplicates; the identifier look-ups below
 *   search.c   child_search: criteria, ranking, the page, its audit row
 *   names.c    the name index (struct child_names) the search ranks from
 *   address.c, network.c, flag.c   the record's three sections
 *
 * Invariants and ownership are those of child.h.  Helpers return ERR_OK
 * or a negative enum err unless they say otherwise; strings they hand
 * out come from the arena passed in.
 */
#ifndef CAIRN_CHILD_INT_H
#define CAIRN_CHILD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/role.h"
#include "child/child.h"
#include "child/namematch.h"
#include "core/arena.h"
#include "domain/rows.h"

/* Statement allow-lists (auth/policy.c decides the routes; these are the
 * second fence).  Reading: practitioners and partners (whose rows are
 * further limited by the row-level rule).  Writing: the roles holding
 * child.create / child.update.  History: practitioners only. */
#define R_READ (RB_PRACTICE | RB_PARTNER)
#define R_WRITE (RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER)
#define R_HIST RB_PRACTICE

#define NAME_MAX_CHARS 100

/* ---- statements shared by several files -------------------------------- */

/* A statement of the catalogue (db/db.h DB_STMT) with external linkage,
 * for the few that more than one file runs.  Declared below, defined
 * once (record.c). */
#define CHILD_STMT(var) const struct db_stmt var DB_STMT_ATTRS

/* The columns of a child that a struct child_match shows, and how they
 * fill it (rows_fill; record.c). */
#define CHILD_MATCH_COLS \
	"child_id, given_name, family_name, la_ref, dob, expected_dob"
#define CHILD_MATCH_NCOLS 6
extern const struct row_col child_match_cols[CHILD_MATCH_NCOLS];

/* Children of the council by one identifier, ?1 council, ?2 value; the
 * columns are CHILD_MATCH_COLS, then nhs_number and upn. */
extern const struct db_stmt child_st_by_dob;
extern const struct db_stmt child_st_by_nhs;
extern const struct db_stmt child_st_by_upn;
extern const struct db_stmt child_st_by_la_ref;

/* ---- small helpers (text.c, and inline) ---------------------------------- */

/* Column i copied to the arena; "" for NULL.  NULL only over budget. */
static inline const char *col(struct arena *a, struct db_q *q, int i)
{
	return rows_text(a, q, i);
}

static inline bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* s, or NULL for "" (an optional column stored as NULL). */
static inline const char *nullable(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* The next id of kind (a table's name) in x's council (db_next_id). */
static inline int next_id(struct db_conn *c, const char *kind,
			  const struct child_ctx *x, int64_t *out)
{
	int rc = db_next_id(c, x->act->council, kind, out);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* ---- code lists (codes.c) ------------------------------------------------ */

/* The stored ids of the member kinds, indexed by enum child_member_kind
 * (the warning kinds: child_flag_kinds in child.h). */
extern const char *const child_member_ids[CHILD_MEMBER__MAX];

/* The index in ids (n of them) of the code s typed for `field`; when s
 * is empty adds `missing` to e, when it is none of them `invalid`, and
 * returns n (the enum's __MAX). */
int child_check_code(const char *const *ids, int n, const char *s,
		     const char *field, const char *missing,
		     const char *invalid, struct field_errors *e);

/* A trimmed arena copy of s, or NULL over budget.  NULL s gives "". */
char *child_trimmed(struct arena *a, const char *s);

/* Checks free text typed for `field` (labelled `label`, capitalised for
 * the start of a sentence): trimmed, plain text (one_line: on one line),
 * at most max_chars characters, and when empty_msg is set not empty.
 * Returns the trimmed copy ("" when empty and not required), or NULL
 * with an error added to e. */
const char *child_check_text(struct arena *a, const char *s,
			     const char *field, const char *label,
			     const char *empty_msg, size_t max_chars,
			     bool one_line, struct field_errors *e);

/* Parses a 'YYYY-MM-DD' value of `field` into *out; on failure adds an
 * error to e that says why the date is not real, and returns false. */
bool child_check_date(const char *s, const char *field, const char *label,
		      struct cal_date *out, struct field_errors *e);

/* The verdict on the checks of what was typed: ERR_INVALID when e
 * holds more messages than `before` (its count before the checks),
 * ERR_NOMEM when a's budget ran out, else ERR_OK. */
int child_checked(struct arena *a, const struct field_errors *e, int before);

/* Which side of the actor's today a date typed may fall. */
enum child_day_rule {
	CHILD_DAY_NOT_FUTURE, /* today or before */
	CHILD_DAY_NOT_PAST,   /* today or after */
};

/* Checks the date typed for `field` (labelled `label`) in s: trimmed;
 * when empty, `missing` is the error (missing NULL: the date is
 * optional, and empty is no error); a real date (child_check_date); on
 * the side of act's today that `rule` says, else `rule_msg` is the
 * error.  out is set to the date as 'YYYY-MM-DD' once it is real (even
 * on the wrong side of today), else "".  Returns true when it added no
 * error to e. */
bool child_check_day(struct arena *a, const char *s, const struct actor *act,
		     const char *field, const char *label,
		     const char *missing, enum child_day_rule rule,
		     const char *rule_msg, char out[11],
		     struct field_errors *e);

/* The stored key of a name: namematch_key(namematch_fold(name)), as the
 * columns given_key and family_key hold it. */
void child_name_key(const char *name, char out[NAMEMATCH_KEY_MAX]);

/* ---- visibility (visible.c) ---------------------------------------------- */

/* 1 when act's (partner) organisation is currently involved with
 * child_id (a current professional network member), 0 when not, or a
 * negative enum err.  Does not look at act->partner. */
int child_involved(struct db_conn *c, const struct actor *act,
		   int64_t child_id);

/* Begins a write about child_id: tx_begin (own or joined), then
 * child_visible for x's actor.  ERR_OK with *own set, for tx_end or
 * tx_end_audit; otherwise a negative enum err, and the transaction is
 * already ended (an own one rolled back). */
int child_write_begin(struct db_conn *c, const struct child_ctx *x,
		      int64_t child_id, bool *own);

/*
 * A write that adds a record about a child (an address, a network
 * member, a warning), in three steps:
 *
 *     struct child_write w;
 *     child_write_open(&w, errs);            scratch arena, errs' count
 *     ... the checks of what was typed, into errs, using w.a ...
 *     rc = child_write_checked(c, x, child_id, &w, errs);
 *     if (rc != ERR_OK) return rc;           nothing held
 *     ... the writes (rc), id taken with next_id ...
 *     return child_write_created(c, x, &w, rc, "address", id, child_id,
 *                                address_id);
 */
struct child_write {
	struct arena *a; /* scratch for the checks and the write */
	int before;      /* errs->n when the checks began */
	bool own;        /* the transaction is the write's own (tx_begin) */
};

/* Starts w: a new scratch arena, errs' count before the checks. */
void child_write_open(struct child_write *w, const struct field_errors *errs);

/* The checks' verdict (child_checked), then child_write_begin.  ERR_OK
 * with the transaction begun; otherwise a negative enum err, with no
 * transaction and w's arena freed. */
int child_write_checked(struct db_conn *c, const struct child_ctx *x,
			int64_t child_id, struct child_write *w,
			const struct field_errors *errs);

/* Ends w's write of record `kind` id about child_id (rc: how the writes
 * went): tx_end_audit ("create"), and on success *out = id; frees w's
 * arena.  Returns tx_end_audit's code. */
int child_write_created(struct db_conn *c, const struct child_ctx *x,
			struct child_write *w, int rc, const char *kind,
			int64_t id, int64_t child_id, int64_t *out);

/* child_visible for the section loaders: ERR_OK at once when child_load
 * found child_id visible in this very transaction (x->seen), which one
 * snapshot cannot contradict. */
int child_section_visible(struct db_conn *c, const struct child_ctx *x,
			  int64_t child_id);

/* A section's rows about child_id (addresses, network, warnings), read
 * in the caller's transaction (ERR_NOTX without one) once
 * child_section_visible allows: rows_list of st with ?1 council, ?2
 * child_id, m->each getting today ('YYYY-MM-DD') as its arg.  *v is the
 * item array (a pointer to the caller's `struct T *`). */
int child_section_rows(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, int64_t child_id,
		       const struct db_stmt *st, const struct row_map *m,
		       void **v, int *n);

/* ---- the name index (names.c) -------------------------------------------- */

/* The layout of an index snapshot, read by search.c's ranking.  A
 * snapshot is immutable once built. */
struct nx_name {
	struct namematch_part part;   /* folded, every word keyed */
	char key[NAMEMATCH_KEY_MAX];  /* child_name_key(text) */
	const char *text;             /* as stored, in the snapshot's pool */
};

struct nx_row {
	int64_t id;
	uint32_t g, f; /* indexes into names */
};

struct nx_snap {
	int refs;                 /* under the index's lock */
	int64_t built_ms;         /* child_names_clock_ms() when its
				   * transaction began */
	int64_t max_id;           /* largest child_id; 0 when no rows */
	int64_t renames;          /* the council's name_change.n then */
	char max_created[32];     /* created_at of that row */
	struct nx_row *rows;      /* in no particular order */
	size_t nrows;
	struct nx_name *names;
	size_t nnames;
	char *pool;
	/* rows by name: those with given name i are the row indexes
	 * post[goff[i] .. goff[i + 1]), with family name i
	 * post[foff[i] .. foff[i + 1]) */
	uint32_t *goff, *foff, *post;
};

/* A row read beside the snapshot for one search (arena). */
struct nx_extra {
	int64_t id;
	const char *given, *family;
	struct namematch_part g, f;
	char gkey[NAMEMATCH_KEY_MAX], fkey[NAMEMATCH_KEY_MAX];
};

/* What one search ranks: the snapshot's rows except those in skip, and
 * the extra rows. */
struct nx_view {
	struct nx_snap *snap;     /* one reference, for child_names_release */
	int64_t *skip;            /* ascending */
	size_t nskip;
	struct nx_extra *extra;
	size_t nextra, extra_cap;
};

/* A monotonic clock in milliseconds (the index's ages; never a date). */
int64_t child_names_clock_ms(void);

/* Notes in index n that child id of the council has (or is about to
 * commit) names at `version`: called by the writers before they commit.
 * n NULL: nothing to tell. */
void child_names_note(struct child_names *n, const char *council,
		      int64_t id, int64_t version);

/* Records in the store, in c's write transaction, that child id of the
 * council was renamed: raises the council's rename number and stamps
 * the child with it (name_change, child.name_seq), so that every
 * process's index reads the new names at its next search (D43).  Called
 * by the writers with child_names_note.  Returns ERR_OK or an error
 * (the caller rolls back). */
int child_names_changed(struct db_conn *c, const char *council, int64_t id);

/* Sets up v for a name search of `council` in c's read transaction
 * (begun at t0, before its first read), from index n, or with n NULL
 * from a snapshot built for this search alone.  On success the caller
 * must child_names_release(n, v->snap) once done with the rows' names;
 * on error nothing is held. */
int child_names_open(struct child_names *n, struct db_conn *c,
		     const char *council, struct arena *a, int64_t t0,
		     struct nx_view *v);

/* Drops the reference child_names_open gave; s NULL is a no-op. */
void child_names_release(struct child_names *n, struct nx_snap *s);

/* Takes index n's turn to commit a search's own audit row, waiting up to
 * wait_ms: true once taken (then child_names_turn_end), false when it
 * was not free in time.  n NULL: true at once, no turn is taken. */
bool child_names_turn(struct child_names *n, int wait_ms);
void child_names_turn_end(struct child_names *n);

/* Orders int64_t values (qsort, bsearch). */
int child_cmp_i64(const void *pa, const void *pb);

#endif
