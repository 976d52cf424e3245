/*
 * copy: a whole database into another store (`cairn migrate`), and an
 * online copy of a SQLite file (`cairn backup`).  docs/decisions.md D44.
 *
 * copy_run copies every row of every table (every council's) from one
 * open database to another, which may be of the other engine.  The
 * tables and their columns come from each engine's own catalogue, never
 * from a hand-kept list, and the two lists must match (same tables, same
 * columns, same kinds of value, same primary keys) except for
 * `schema_version`, which db_migrate keeps.  The source is read in one
 * read transaction (one snapshot); the target is written in one write
 * transaction: either every row arrives, verified, or nothing does.
 * Tables are read in batches in primary-key order (keyset: each batch
 * starts after the last key of the one before), so no table is ever held
 * in memory whole, and written with multi-row INSERTs.  Tables are
 * copied parents first (by their foreign keys).
 *
 * Values keep their storage class: an integer stays an integer, text is
 * copied byte for byte (by length, not up to a NUL), a BLOB stays a BLOB
 * and NULL stays NULL.  Sealed fields (drafts: nonce and ciphertext) are
 * copied as the bytes they are, so they open with the key that sealed
 * them and with no other; nothing here reads a key.  A value of another
 * class (SQLite's REAL) is refused, not rounded: Cairn's schema has none.
 *
 * SQL: the statements are built at run time from the table list, which
 * is the only place outside DB_STMT() that SQL is made (docs/decisions.md
 * D44).  That is safe: every table and column name comes from the
 * engine's catalogue of the database itself and must be a plain
 * identifier ([A-Za-z0-9_]) besides, and is double-quoted; every value is
 * bound.  Both connections must act as DB_ROLE_SYSTEM.
 *
 * Errors: one enum (copy_err, with copy_strerror); a sentence saying
 * what, where and why is left in the report's `why`.  Nothing here logs
 * or prints a value: only table and column names and counts.
 */
#ifndef CAIRN_DB_COPY_H
#define CAIRN_DB_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

enum copy_err {
	COPY_OK = 0,
	COPY_EDB = -1,       /* the store failed (why says which, how) */
	COPY_ESCHEMA = -2,   /* the two schemas differ, or one cannot be
			      * copied (a table without a primary key) */
	COPY_ENOTEMPTY = -3, /* the target holds a row */
	COPY_ETYPE = -4,     /* a value of a class the copy does not carry */
	COPY_ECOUNT = -5,    /* a table's rows differ after the copy */
	COPY_EVERIFY = -6,   /* the caller's verify refused the copy */
	COPY_EDENIED = -7,   /* a connection does not act as the system */
	COPY_EBACKUP = -8,   /* copy_backup failed (why says why) */
};

/* A fixed name for each copy_err ("the target is not empty" ...). */
const char *copy_strerror(int err);

/* One table as copied. */
struct copy_table {
	char name[64];
	int64_t rows;   /* counted in the source's snapshot */
	int64_t copied; /* counted in the target after the copy */
};

/* What copy_run did: the tables in the order copied.  Owned by the
 * caller after copy_run (even when it fails: the tables done so far),
 * freed with copy_report_free. */
struct copy_report {
	size_t n;
	struct copy_table *t;
	char why[320]; /* when copy_run fails: what, where, why */
};

void copy_report_free(struct copy_report *r);

struct copy_options {
	/* Rows a read batch (default 1000); a multi-row INSERT has at
	 * most 100 rows (fewer for a wide table). */
	int batch;
	/* Called after each batch and at each table's end (may be NULL). */
	void (*progress)(const char *table, int64_t done, int64_t rows,
			 void *arg);
	/* Called in the target's write transaction once every table's
	 * count is right, before the commit (may be NULL): non-zero
	 * refuses the copy (rolled back: COPY_EVERIFY), with a sentence
	 * in why. */
	int (*verify)(struct db_conn *to, char *why, size_t whylen,
		      void *arg);
	void *arg;
};

/* Copies every table of `from` into `to` (see the file's head).  Both
 * must be outside a transaction and act as DB_ROLE_SYSTEM; `to` must
 * have the same schema as `from` and no row in any table.  Returns
 * COPY_OK with rep filled (counts equal, verify passed, committed); or
 * a negative copy_err with rep->why, and nothing written to `to`. */
int copy_run(struct db_conn *from, struct db_conn *to,
	     const struct copy_options *opt, struct copy_report *rep);

/* Whether every table of c (whatever its schema: `schema_version` left
 * out) is empty.  Returns COPY_OK; COPY_ENOTEMPTY with the first
 * table holding a row named in why; or COPY_EDB / COPY_EDENIED.  Reads
 * only; c must be outside a transaction. */
int copy_target_empty(struct db_conn *c, char *why, size_t whylen);

/* Copies the SQLite database file `from` (not a URI) into a new file
 * `to` with SQLite's online backup API, a few megabytes a step, so that
 * a running server's writers are not held (in WAL mode they never are),
 * then checks the copy's integrity.  Refuses an existing `to` (never
 * overwrites).  progress (may be NULL) gets the pages remaining and in
 * all.  Returns COPY_OK, or COPY_EBACKUP with why (and no file left at
 * `to` that was not there before). */
int copy_backup(const char *from, const char *to,
		void (*progress)(int remaining, int total, void *arg),
		void *arg, char *why, size_t whylen);

#endif
