/*
 * chron: the child's chronology.  Every significant write about a child
 * (a contact, its decision, a referral, an allocation, and each later
 * module's events) appends an entry in the same transaction as the
 * write; practitioners add entries by hand (what happened, when, who
 * told us, how significant) and write an analysis against any entry.
 *
 * An entry: when it happened (a date 'YYYY-MM-DD', or a UK civil time
 * 'YYYY-MM-DDTHH:MM'), its kind (a code from chron_kinds(), shown by its
 * label), a one-line summary for people (never the narrative of the
 * record it points to: that stays in the record, behind its own
 * permission), the record it points to (kind and id, or none), and for
 * entries made by hand the source and significance.  The analysis is
 * the practitioner's reading of the entry; writing it again replaces it
 * (the audit keeps who wrote when).
 *
 * Transactions: chron_note runs in the caller's write transaction and
 * does not audit (the caller's write is audited, and the entry holds
 * nothing the write did not).  chron_add and chron_analyse are "own or
 * joined" (domain/actor.h) and audit ("create" / "update",
 * "chronology").  chron_list reads in the caller's transaction and does
 * not audit: it is shown inside the audited read of the child's record.
 * Each module that notes events also makes them for records written
 * before the chronology existed (the front door's: frontdoor_chron_
 * backfill, referral/contact.h).
 *
 * Errors: 0 or a negative enum err; ERR_INVALID with field errors
 * ("occurred", "summary", "source", "significance", "analysis").
 */
#ifndef CAIRN_CHRON_H
#define CAIRN_CHRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/err.h"
#include "rules/calendar.h"

struct actor;
struct arena;

/* Lengths in characters. */
#define CHRON_SUMMARY_MAX 200
#define CHRON_SOURCE_MAX 120
#define CHRON_ANALYSIS_MAX 4000

struct chron_kind {
	const char *code;  /* "contact" */
	const char *label; /* "Contact" */
};

/* The kinds, ended by code == NULL. */
const struct chron_kind *chron_kinds(void);
/* A kind's label; the code itself when unknown. */
const char *chron_kind_label(const char *code);

/* Significance of an entry made by hand. */
const char *chron_significance_label(const char *code); /* NULL: unknown */

/* Appends an entry for child_id: occurred (a date, or with timed a
 * civil time), kind (a chron_kinds() code), summary (one line, cut to
 * CHRON_SUMMARY_MAX characters), the record it points to (link_kind
 * NULL: none).  In the caller's write transaction; no audit. */
int chron_note(struct db_conn *c, const struct actor *act, int64_t child_id,
	       struct cal_time occurred, bool timed, const char *kind,
	       const char *summary, const char *link_kind, int64_t link_id);

struct chron_input {
	const char *occurred;     /* 'YYYY-MM-DD', required, not after
				   * today, not before the child's birth */
	const char *summary;      /* required, one line */
	const char *source;       /* who told us; optional, one line */
	const char *significance; /* "high", "medium", "low"; required */
};

/* Checks an entry made by hand (every field, each problem once), as
 * chron_add does before writing.  ERR_OK or ERR_INVALID with *e. */
int chron_check(const struct actor *act, const char *child_dob,
		const struct chron_input *in, struct field_errors *e);

/* An entry made by hand for child_id (which the caller has found
 * visible).  Own or joined; audited.  *entry_id may be NULL. */
int chron_add(struct db_conn *c, const struct actor *act, int64_t child_id,
	      const char *child_dob, const struct chron_input *in,
	      int64_t *entry_id, struct field_errors *e);

/* Writes (or replaces) the analysis of entry_id of child_id.  Own or
 * joined; audited.  ERR_NOTFOUND when the entry is not the child's. */
int chron_analyse(struct db_conn *c, const struct actor *act,
		  int64_t child_id, int64_t entry_id, const char *analysis,
		  struct field_errors *e);

struct chron_entry {
	int64_t entry_id;
	char occurred[17];      /* a date or a civil time */
	const char *kind;       /* code */
	const char *summary;
	const char *link_kind;  /* "" when none */
	int64_t link_id;
	const char *source;     /* "" when none */
	const char *significance; /* "" when none */
	const char *analysis;   /* "" when none */
	const char *analysis_by;  /* the writer's name, "" when none */
	char analysis_at[21];
	bool by_hand;
};

struct chron_filter {
	const char *kind;  /* NULL: every kind */
	const char *from;  /* 'YYYY-MM-DD' or NULL */
	const char *to;
	int64_t limit;     /* 1..10000 */
	bool newest_first;
};

/* The child's entries (oldest first unless newest_first).  In the
 * caller's transaction; no audit.  *more: entries beyond the limit. */
int chron_list(struct db_conn *c, const struct actor *act, int64_t child_id,
	       const struct chron_filter *f, struct arena *a,
	       struct chron_entry **rows, int *n, bool *more);

/* One entry of child_id, or ERR_NOTFOUND. */
int chron_get(struct db_conn *c, const struct actor *act, int64_t child_id,
	      int64_t entry_id, struct arena *a, struct chron_entry *out);

/*
 * The backfill: entries for records written before their module noted
 * them (a database from before the chronology; the demo's bulk
 * records), with the lines live writes note.  A source is a statement
 * over the records of ?1 (the council) that have no such entry yet,
 * giving child_id, the record's id and when (a date, or a civil time
 * for a timed entry) in its first three columns and the module's own
 * after; `line` writes the summary from the row (false: no entry).
 */
struct db_stmt;
struct db_q;
struct chron_source {
	const struct db_stmt *st;
	const char *kind; /* a chron_kinds() code: "contact" */
	const char *link; /* the record's kind: "contact" */
	bool (*line)(struct db_q *q, char *out, size_t n);
};

/* Notes the entries of every source, in order (all of a source's rows
 * are read before anything is written).  Caller's write transaction;
 * DB_ROLE_SYSTEM; *made (may be NULL) gets the number noted. */
int chron_backfill(struct db_conn *c, const struct actor *act,
		   const struct chron_source *v, size_t n, int64_t *made);

#endif
