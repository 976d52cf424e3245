/*
 * db_int.h: what the back ends (sqlite.c, postgres.c) share with the
 * backend-neutral half of the store (common.c).  Private to src/db/.
 *
 * common.c owns everything whose behaviour must not differ between the
 * engines: the connection pool, the role check that every statement
 * passes before it reaches an engine (db_set_role, db_prepare), the
 * statement cache indexed by catalogue index, the "a failed bind stops
 * the step" rule, the typed db_exec binding, and the retry policy for
 * busy and serialization conditions (db__retry_*).  A back end supplies
 * a `struct db_backend` of operations on its own connection and
 * statement handles and never repeats any of that.
 *
 * A back end's connection embeds `struct db_conn` as its first member
 * and allocates it; common.c initialises the shared fields with
 * db__conn_init and frees the shared parts with db__conn_fini.  Each
 * cached `struct db_q` carries the back end's statement handle in `st`.
 */
#ifndef CAIRN_DB_INT_H
#define CAIRN_DB_INT_H

#include "db/db.h"

#include <stdint.h>
#include <time.h>

#define DB_EXTRA_CACHE 64 /* statements outside the catalogue; power of 2 */
#define DB_ACTIVE_MAX 32
#define DB_ID_CACHE 8     /* (council, kind) counters held by one transaction */

/* A counter the open transaction has taken ids from (id.c): the row is
 * locked by the first take, so the rest are counted here and written
 * once, before the commit (db__ids_flush). */
struct db_id_cache {
	char council[24];
	char kind[32];
	int64_t next;  /* the next id to hand out */
	int64_t store; /* what id_counter.next holds in this transaction */
};

struct db_q {
	const struct db_stmt *def;
	void *st;            /* the back end's prepared statement */
	struct db_conn *conn;
	bool active;         /* stepped to a row and not reset since */
	int bind_rc;         /* the first bind that failed since the
			      * prepare: the step returns it, runs nothing */
};

struct db_conn {
	const struct db_backend *be;
	unsigned role;
	bool in_tx;
	bool storage_failed;         /* see db_storage_failed */
	uint64_t tx_seq;             /* transactions begun (db_tx_seq) */
	int busy_timeout_ms;
	struct db_q *active[DB_ACTIVE_MAX];
	int nactive;                 /* > DB_ACTIVE_MAX: overflowed, scan */
	size_t ncat;                 /* the catalogue's size */
	struct db_q *cat;            /* [ncat], by db_stmt_index */
	struct db_q extra[DB_EXTRA_CACHE]; /* the rest, hashed by address */
	struct db_id_cache ids[DB_ID_CACHE];
	int nids;                    /* entries of ids in use */
	char council[32];            /* db_set_council; "" for none */
};

/* The storage class of one value, as the engine holds it (db/copy.c
 * copies each value by it, so that a BLOB stays a BLOB and NULL stays
 * NULL).  DB_TYPE_OTHER is anything else (SQLite's REAL, PostgreSQL's
 * numeric or float types): the copy refuses it rather than round it. */
enum db_type {
	DB_TYPE_NULL,  /* SQL NULL */
	DB_TYPE_INT,   /* a 64-bit integer (PostgreSQL: int2/4/8, bool) */
	DB_TYPE_TEXT,  /* UTF-8 text */
	DB_TYPE_BLOB,  /* bytes (PostgreSQL: bytea) */
	DB_TYPE_OTHER, /* none of those */
	DB_TYPE__MAX
};

/* One fact of the open database's schema, from the engine's own
 * catalogue (sqlite_master and its pragmas; pg_catalog), reported by
 * the back end's `describe`: a column (column non-NULL), or a foreign
 * key of `table` naming `parent` (column NULL).  Strings are valid
 * during the callback only. */
struct db_schema_item {
	const char *table;
	const char *column;     /* NULL: this item is a reference */
	enum db_type type;      /* the column's declared type, mapped */
	int pk;                 /* the column's place in the primary key,
				 * from 1; 0 when not in it */
	const char *parent;     /* for a reference: the table named */
};

/*
 * One engine.  Every int-returning operation returns 0 (DB_OK) or a
 * negative db_err, already mapped from the engine's own code; `step`
 * returns DB_ROW or DB_DONE too.  None checks roles: common.c has.
 */
struct db_backend {
	const char *name; /* "sqlite", "postgres" */
	/* Opens one connection to target (a path, or a URI); NULL with a
	 * message in errbuf. */
	struct db_conn *(*open)(const char *target,
				const struct db_options *opt, char *errbuf,
				size_t errlen);
	/* Frees the connection; every cached statement is finalised
	 * already (q_finalize). */
	void (*close)(struct db_conn *c);
	int (*begin)(struct db_conn *c, enum db_tx mode);
	int (*commit)(struct db_conn *c);
	void (*rollback)(struct db_conn *c);
	/* Prepares st into q->st (q->def is still the previous one or
	 * NULL; a previous handle has been finalised). */
	int (*prepare)(struct db_conn *c, const struct db_stmt *st,
		       struct db_q *q);
	void (*finalize)(struct db_q *q);
	/* Ends the statement's current execution (its snapshot too). */
	void (*reset)(struct db_q *q);
	void (*clear_bindings)(struct db_q *q);
	int (*nparams)(struct db_q *q);
	int (*bind_i64)(struct db_q *q, int idx, int64_t v);
	/* n: the length in bytes; s is never NULL. */
	int (*bind_text)(struct db_q *q, int idx, const char *s, size_t n);
	int (*bind_blob)(struct db_q *q, int idx, const void *p, size_t n);
	int (*bind_null)(struct db_q *q, int idx);
	int (*step)(struct db_q *q);
	int64_t (*col_i64)(struct db_q *q, int col);
	const char *(*col_text)(struct db_q *q, int col);
	const void *(*col_blob)(struct db_q *q, int col, size_t *len);
	bool (*col_null)(struct db_q *q, int col);
	int64_t (*changes)(struct db_conn *c);
	const char *(*errmsg)(struct db_conn *c);
	int (*stmt_access)(struct db_conn *c, const struct db_stmt *st,
			   int (*cb)(const char *table, enum db_access op,
				     void *arg),
			   void *arg);
	/* Runs a multi-statement migration script in the open transaction. */
	int (*exec_script)(struct db_conn *c, const char *sql);
	void (*use_reserve)(struct db_conn *c);
	/* db_analyze; NULL: nothing to do. */
	int (*analyze)(struct db_conn *c);
	/* db_vacuum, outside a transaction; NULL: nothing to do. */
	int (*vacuum)(struct db_conn *c);
	/* db_set_bulk; NULL: the engine has no round trips to save. */
	void (*set_bulk)(struct db_conn *c, bool on);
	/* The storage class of column col of the current row. */
	enum db_type (*col_type)(struct db_q *q, int col);
	/* Calls cb for every column of every table of the open database
	 * (the engine's own tables left out), tables in byte order of
	 * their names and each table's columns in their order, then once
	 * for each foreign key; a non-zero return from cb stops and is
	 * returned.  Runs in the open transaction when there is one.
	 * Returns 0 or a negative db_err. */
	int (*describe)(struct db_conn *c,
			int (*cb)(const struct db_schema_item *it, void *arg),
			void *arg);
	/* Run by db_migrate_to in its transaction after the migrations
	 * (NULL: nothing): PostgreSQL's row-level security (D43). */
	int (*after_migrate)(struct db_conn *c);
};

extern const struct db_backend db_backend_sqlite;
extern const struct db_backend db_backend_postgres;

/* Sets the shared fields of a newly allocated connection. */
void db__conn_init(struct db_conn *c, const struct db_backend *be,
		   const struct db_options *opt);
/* Finalises every cached statement and frees the cache (not c). */
void db__conn_fini(struct db_conn *c);
/* Resets every statement of c that may hold a snapshot. */
void db__reset_all(struct db_conn *c);

/*
 * The retry policy, one for both engines: a condition that a later
 * attempt may not meet (SQLite busy or locked; PostgreSQL serialization
 * failure, deadlock, lock timeout) is retried with a growing, jittered
 * sleep (1..8 ms, so waiting threads do not align) until the busy
 * timeout has passed since the first attempt.
 *
 *     struct db_retry r;
 *     db__retry_start(&r, c->busy_timeout_ms);
 *     do rc = attempt(); while (is_transient(rc) && db__retry_again(&r));
 */
struct db_retry {
	struct timespec t0;
	int timeout_ms;
	unsigned attempt;
};
void db__retry_start(struct db_retry *r, int timeout_ms);
/* Sleeps and returns true while time remains; false when it is over. */
bool db__retry_again(struct db_retry *r);

/* Writes every counter the open transaction took ids from back to
 * id_counter (id.c); called by db_commit before the engine's commit.
 * Returns 0 or a negative db_err (the commit must not go ahead). */
int db__ids_flush(struct db_conn *c);
/* Forgets the transaction's counters (db_rollback, after a commit). */
void db__ids_forget(struct db_conn *c);
/* Copies the SQLite database file `from` into the new file `to` (which
 * must not exist: it is created with O_EXCL) with SQLite's online
 * backup API, step_pages pages a step; progress (may be NULL) is told
 * the pages remaining and in all after each step.  Then runs PRAGMA
 * integrity_check on the copy.  Returns 0; or -1 with why in err and
 * no file left at `to` (unless it was there before: then it is not
 * touched).  Implemented at the end of sqlite.c; used by db/copy.c. */
int db__sqlite_backup(const char *from, const char *to, int step_pages,
		      void (*progress)(int remaining, int total, void *arg),
		      void *arg, char *err, size_t errlen);

/* The URI prefixes that choose PostgreSQL (db_is_uri). */
bool db__is_postgres(const char *target);

#endif
