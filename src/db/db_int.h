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
	char council[32];            /* db_set_council; "" for none */
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

/* The URI prefixes that choose PostgreSQL (db_is_uri). */
bool db__is_postgres(const char *target);

#endif
