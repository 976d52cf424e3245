/*
 * pg_int.h: what the PostgreSQL back end's files share (postgres.c: the
 * connection, transactions and statements; pg_sql.c: the dialect and
 * the errors; pg_pipe.c: pipelined writes; pg_schema.c: migrations,
 * row-level security and the schema).  Nothing outside src/db/pg_*.c
 * and postgres.c includes it.
 */
#ifndef CAIRN_DB_PG_INT_H
#define CAIRN_DB_PG_INT_H

#include "db/db_int.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#define OID_BOOL 16
#define OID_BYTEA 17

/* The write locks (D42, D43).  Every writer first takes the global key
 * ("cairn"): shared when it acts for one council, exclusive when it acts
 * for all (DB_ROLE_SYSTEM) or for none.  A council's writer then takes
 * its council's key, exclusive, in the two-int key space (which never
 * meets the one-bigint global key).  Everyone takes the global key
 * first, so no two writers can wait for each other in a cycle. */
#define WRITE_LOCK_ALL "SELECT pg_advisory_xact_lock(435729869678)"
#define WRITE_LOCK_SHARED "SELECT pg_advisory_xact_lock_shared(435729869678)"
#define COUNCIL_LOCK_SPACE 435729869

/* The setting row-level security compares each row's council with. */
#define COUNCIL_SETTING "cairn.council"
/* Its value for a connection acting for every council. */
#define COUNCIL_ALL "*"

struct pg_conn {
	struct db_conn base; /* first: common.c's view */
	PGconn *h;
	unsigned next_name;  /* prepared statement names: s1, s2 ... */
	int64_t changes;
	int tx_failed;       /* the error that aborted the open transaction */
	/* The council setting as the server has it for this session
	 * (valid when applied_ok); set_in_tx: it was set inside the open
	 * transaction, so a rollback undoes it (D43). */
	char applied[40];
	bool applied_ok;
	bool set_in_tx;
	char setup[256];     /* the session's SETs, again after a reset */
	unsigned gen;        /* sessions: raised by each reset (reconnect) */
	char msg[256];       /* db_errmsg */
	bool bulk;           /* db_set_bulk: pipeline plain writes */
	bool pipe;           /* in pipeline mode, pending answers below */
	int pending;         /* statements sent whose answers are unread */
};

/* Statements a pipeline holds before its answers are read: bounds the
 * answers waiting in the socket (each a few dozen bytes), so that the
 * server never blocks writing them while we block sending. */
#define PIPE_MAX 256

struct pg_param {
	char *p;     /* NULL: SQL NULL */
	int len;
	int fmt;     /* 0 text, 1 binary */
	bool owned;  /* p is malloc'd */
	char num[24];
};

enum q_state { Q_IDLE, Q_ROWS, Q_DONE };

struct pg_q {
	char name[16];
	char *sql;            /* as prepared, to prepare again after a reset */
	unsigned gen;         /* the session (pg_conn.gen) it is prepared in */
	int nparams;
	bool writes;          /* not a plain SELECT */
	bool pipeable;        /* writes and returns no rows (bulk mode) */
	struct pg_param *param;
	const char **vals;
	int *lens, *fmts;
	PGresult *res;
	enum q_state state;
	int row, nrows;
	unsigned char **blob; /* [nblob]: each column's bytes as db_col_blob
			       * unescaped them, until the next step */
	int nblob;
};

static inline struct pg_conn *pgc(struct db_conn *c)
{
	return (struct pg_conn *)c;
}

static inline struct pg_q *pgq(struct db_q *q)
{
	return q->st;
}

/* pg_sql.c */
/* Rewrites sql for PostgreSQL (postgres.c's head) into a new string;
 * *nparams gets the highest placeholder number. */
char *pg_rewrite(const char *sql, int *nparams);
/* True when sql may write: anything but a SELECT (or a WITH that does
 * not insert, update or delete). */
bool pg_may_write(const char *sql);
/* The db_err for a failed result on c (NULL: no answer); keeps the
 * message for db_errmsg and notes a failure of the storage. */
int pg_result_rc(struct pg_conn *c, const PGresult *res);
/* A serialization failure or a deadlock: another attempt may pass. */
bool pg_transient(const PGresult *res);
bool pg_res_ok(const PGresult *res);

/* postgres.c */
/* Runs constant SQL (no values) on c; 0 or a db_err. */
int pg_exec_sql(struct pg_conn *c, const char *sql);
/* Resets a lost connection (its settings sent again): 0 or DB_EIO. */
int pg_reconnect(struct pg_conn *c);
/* Fills the statement's value arrays from its bindings. */
void pg_q_values(struct pg_q *p);
bool pg_col_null(struct db_q *q, int col);

/* pg_pipe.c */
/* Reads the pipelined statements' answers and leaves pipeline mode: 0,
 * or the first one's error (also the transaction's tx_failed). */
int pg_pipe_end(struct pg_conn *c);
/* Queues a plain write (bulk mode): DB_OK once sent. */
int pg_pipe_send(struct pg_conn *c, struct pg_q *p);
void pg_set_bulk(struct db_conn *base, bool on);
int64_t pg_changes(struct db_conn *c);

/* pg_schema.c */
int pg_stmt_access(struct db_conn *base, const struct db_stmt *st,
		   int (*cb)(const char *table, enum db_access op, void *arg),
		   void *arg);
int pg_exec_script(struct db_conn *base, const char *script);
int pg_after_migrate(struct db_conn *base);
enum db_type pg_col_type(struct db_q *q, int col);
int pg_describe(struct db_conn *c,
		int (*cb)(const struct db_schema_item *it, void *arg),
		void *arg);

#endif
