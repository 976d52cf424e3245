/*
 * postgres.c: the PostgreSQL back end of db.h, over libpq (operations
 * behind db_int.h; the pool, roles, statement cache and retry policy
 * are common.c's).
 *
 * Statements.  Each catalogue statement is prepared on a connection the
 * first time it is used there (PQprepare, a name per connection), after
 * one rewrite of its text: `?N` placeholders become `$N`, and the words
 * of the dialect table (pg_sql.c) are replaced, outside string literals and
 * quoted names.  The same rewrite is applied to migration scripts, so a
 * dialect difference is one entry in that table, never an `if` in a
 * module.  Values are sent as text (blobs in binary) with their types
 * left to the server, which takes each from where the placeholder
 * stands, as SQLite does.  Results come back whole (text format) and
 * db_step walks them row by row.
 *
 * Transactions (docs/decisions.md D42).  DB_TX_READ is REPEATABLE READ
 * READ ONLY: one snapshot for the whole transaction, as a SQLite WAL
 * reader has.  DB_TX_WRITE is READ COMMITTED holding one transaction-
 * scoped advisory lock taken right after BEGIN: writers queue on it as
 * they do on SQLite's write lock (BEGIN IMMEDIATE), and since no other
 * writer can commit while it is held, every statement of the writer sees
 * the same data, taken after the lock was granted.  No write transaction
 * can then fail with a serialization failure half-way through, which
 * matters because the callers cannot replay a transaction.  A writing
 * statement run outside a transaction takes the same lock around itself.
 * The wait is bounded by lock_timeout (the busy timeout): busy.
 *
 * Bulk writing (db_set_bulk): pg_pipe.c.
 *
 * Errors: pg_sql.c.
 */
#include "db/pg_int.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Runs constant SQL (no values) on c; 0 or a db_err. */
int pg_exec_sql(struct pg_conn *c, const char *sql)
{
	int prc = pg_pipe_end(c);
	if (prc != DB_OK)
		return prc;
	PGresult *res = PQexec(c->h, sql);
	int rc = pg_res_ok(res) ? DB_OK : pg_result_rc(c, res);
	PQclear(res);
	return rc;
}

/* Server notices ("there is no transaction in progress" after a failed
 * commit) are not errors, and libpq would print them to stderr. */
static void drop_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* A superuser or a BYPASSRLS role is not held by row-level security
 * (D43): said once a process, since the council filters are then the
 * only line. */
static void warn_bypass(struct pg_conn *c)
{
	static int warned;
	PGresult *res = PQexec(c->h, "SELECT rolsuper OR rolbypassrls FROM"
				     " pg_roles WHERE rolname = current_user");
	if (pg_res_ok(res) && PQntuples(res) == 1 &&
	    PQgetvalue(res, 0, 0)[0] == 't' &&
	    !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		log_kv(LOG_WARN, NULL, "db.rls_bypassed", "why",
		       "connected as a superuser or BYPASSRLS role: row-level "
		       "security does not apply", NULL);
	PQclear(res);
}

static struct db_conn *pg_open(const char *uri, const struct db_options *opt,
			       char *errbuf, size_t errlen)
{
	PGconn *h = PQconnectdb(uri);
	if (h == NULL || PQstatus(h) != CONNECTION_OK) {
		/* libpq's message names the host and database, not the
		 * password */
		const char *m = h ? PQerrorMessage(h) : "out of memory";
		size_t ml = strcspn(m, "\n");
		snprintf(errbuf, errlen, "cannot connect to PostgreSQL: %.*s",
			 (int)ml, m);
		PQfinish(h);
		return NULL;
	}
	PQsetErrorVerbosity(h, PQERRORS_TERSE);
	PQsetNoticeProcessor(h, drop_notice, NULL);
	struct pg_conn *c = xcalloc(1, sizeof(*c));
	db__conn_init(&c->base, &db_backend_postgres, opt);
	c->h = h;
	char *set = c->setup;
	snprintf(c->setup, sizeof(c->setup),
		 "SET lock_timeout = %d; SET TimeZone = 'UTC';"
		 " SET client_min_messages = warning;"
		 " SET synchronous_commit = %s;",
		 opt->busy_timeout_ms, opt->synchronous_full ? "on" : "off");
	if (pg_exec_sql(c, set) != DB_OK) {
		snprintf(errbuf, errlen, "cannot configure PostgreSQL: %s",
			 c->msg);
		PQfinish(h);
		db__conn_fini(&c->base);
		free(c);
		return NULL;
	}
	warn_bypass(c);
	return &c->base;
}

static void pg_close(struct db_conn *base)
{
	struct pg_conn *c = pgc(base);
	PQfinish(c->h);
	free(c);
}

/*
 * Reconnecting.  A connection whose socket died (the server restarted,
 * or a DBA ended its backend) is PQstatus CONNECTION_BAD.  It is reset
 * (PQreset) before the next BEGIN or statement outside a transaction,
 * and a BEGIN or a statement outside a transaction that failed because
 * the connection was lost is tried once more on the new one: nothing
 * had been committed (a lost COMMIT is never replayed: its outcome is
 * unknown, so it is reported).  A reset session has lost its settings,
 * its council and its prepared statements: the settings are sent again
 * at once, the others as each is next used.
 */
int pg_reconnect(struct pg_conn *c)
{
	PQreset(c->h);
	if (PQstatus(c->h) != CONNECTION_OK) {
		snprintf(c->msg, sizeof(c->msg), "connection lost");
		c->base.storage_failed = true;
		return DB_EIO;
	}
	c->gen++;
	c->applied_ok = false;
	c->set_in_tx = false;
	c->tx_failed = DB_OK;
	if (pg_exec_sql(c, c->setup) != DB_OK)
		return DB_EIO;
	log_kv(LOG_WARN, NULL, "db.reconnected", NULL);
	return DB_OK;
}

/* Resets c when its connection is gone and no transaction is open:
 * 0, or DB_EIO when the server cannot be reached. */
static int alive(struct pg_conn *c)
{
	if (PQstatus(c->h) != CONNECTION_BAD || c->base.in_tx)
		return DB_OK;
	return pg_reconnect(c);
}

/*
 * Councils (D43).  The council the connection acts for, as row-level
 * security sees it: every council for DB_ROLE_SYSTEM, else the one
 * db_set_council set ("" for none).
 */
static const char *want_council(const struct pg_conn *c)
{
	return (c->base.role & DB_ROLE_SYSTEM) ? COUNCIL_ALL : c->base.council;
}

static bool council_current(const struct pg_conn *c)
{
	return c->applied_ok && strcmp(c->applied, want_council(c)) == 0;
}

/* Appends to sql (of size n) the statement that sets the council
 * setting for the session, and notes it as applied (in_tx: inside a
 * transaction, which a rollback would undo).  The value is quoted by
 * libpq, never printed raw. */
static void council_set_sql(struct pg_conn *c, char *sql, size_t n,
			    bool in_tx)
{
	const char *v = want_council(c);
	char *lit = PQescapeLiteral(c->h, v, strlen(v));
	size_t l = strlen(sql);
	snprintf(sql + l, n - l, "SELECT set_config('" COUNCIL_SETTING
		 "', %s, false);", lit ? lit : "'!'");
	PQfreemem(lit);
	snprintf(c->applied, sizeof(c->applied), "%s", lit ? v : "!");
	c->applied_ok = true;
	if (in_tx)
		c->set_in_tx = true;
}

/* The transaction ended: a setting made inside it stands only if it
 * committed. */
static void council_tx_end(struct pg_conn *c, bool committed)
{
	if (c->set_in_tx && !committed)
		c->applied_ok = false;
	c->set_in_tx = false;
}

/* Brings the session's council setting up to date before a statement;
 * in or out of a transaction.  0 or a db_err. */
static int council_apply(struct pg_conn *c)
{
	if (council_current(c))
		return DB_OK;
	char sql[160] = "";
	council_set_sql(c, sql, sizeof(sql), c->base.in_tx);
	int rc = pg_exec_sql(c, sql);
	if (rc != DB_OK)
		c->applied_ok = false;
	return rc;
}

/* The BEGIN of each kind into sql (see the file's head and D42): the
 * council setting travels with it when it changed (no round trip of its
 * own), and a writer takes the locks for the council it acts for. */
static void begin_sql(struct pg_conn *c, enum db_tx mode, char *sql,
		      size_t n)
{
	snprintf(sql, n, "%s",
		 mode == DB_TX_WRITE
			 ? "BEGIN ISOLATION LEVEL READ COMMITTED;"
			 : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
	if (!council_current(c))
		council_set_sql(c, sql, n, true);
	if (mode != DB_TX_WRITE)
		return;
	const char *v = want_council(c);
	size_t l = strlen(sql);
	if (v[0] == '\0' || strcmp(v, COUNCIL_ALL) == 0) {
		snprintf(sql + l, n - l, WRITE_LOCK_ALL);
		return;
	}
	char *lit = PQescapeLiteral(c->h, v, strlen(v));
	snprintf(sql + l, n - l,
		 WRITE_LOCK_SHARED "; SELECT pg_advisory_xact_lock(%d, "
		 "hashtext(%s))", COUNCIL_LOCK_SPACE, lit ? lit : "'!'");
	PQfreemem(lit);
}

static int begin_kind(struct pg_conn *c, enum db_tx mode)
{
	char sql[512];
	struct db_retry r;
	bool reset = false;
	bool failed_before = c->base.storage_failed;
	int rc = alive(c);
	if (rc != DB_OK)
		return rc;
	db__retry_start(&r, c->base.busy_timeout_ms);
	if ((rc = pg_pipe_end(c)) != DB_OK)
		return rc;
	for (;;) {
		begin_sql(c, mode, sql, sizeof(sql));
		PGresult *res = PQexec(c->h, sql);
		if (pg_res_ok(res)) {
			PQclear(res);
			c->tx_failed = DB_OK;
			return DB_OK;
		}
		rc = pg_result_rc(c, res);
		bool again = pg_transient(res);
		PQclear(res);
		council_tx_end(c, false);
		if (PQstatus(c->h) == CONNECTION_BAD && !reset) {
			/* lost before anything was done: once more on a
			 * new connection (see "Reconnecting") */
			reset = true;
			if ((rc = pg_reconnect(c)) != DB_OK)
				return rc;
			c->base.storage_failed = failed_before;
			continue;
		}
		pg_exec_sql(c, "ROLLBACK");
		if (!again || !db__retry_again(&r))
			return rc;
	}
}

static int pg_begin(struct db_conn *base, enum db_tx mode)
{
	return begin_kind(pgc(base), mode);
}

static int pg_commit(struct db_conn *base)
{
	struct pg_conn *c = pgc(base);
	/* the pipelined writes' answers first: one that failed fails the
	 * commit (the server would roll back anyway) */
	int rc = pg_pipe_end(c);
	if (rc != DB_OK) {
		council_tx_end(c, false);
		return rc;
	}
	PGresult *res = PQexec(c->h, "COMMIT");
	if (!pg_res_ok(res))
		rc = pg_result_rc(c, res);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		/* a statement failed and the server rolled back: say so,
		 * as the failure it was */
		rc = c->tx_failed != DB_OK ? c->tx_failed : DB_EIO;
	else
		rc = DB_OK;
	PQclear(res);
	council_tx_end(c, rc == DB_OK);
	return rc;
}

static void pg_rollback(struct db_conn *base)
{
	struct pg_conn *c = pgc(base);
	pg_exec_sql(c, "ROLLBACK");
	c->tx_failed = DB_OK;
	council_tx_end(c, false);
}

static void q_free_params(struct pg_q *p)
{
	for (int i = 0; i < p->nparams; i++)
		if (p->param[i].owned) {
			free(p->param[i].p);
			p->param[i].owned = false;
		}
}

/* Frees the row's unescaped blobs. */
static void q_clear_blobs(struct pg_q *p)
{
	for (int i = 0; i < p->nblob; i++) {
		PQfreemem(p->blob[i]);
		p->blob[i] = NULL;
	}
}

static void q_clear_result(struct pg_q *p)
{
	q_clear_blobs(p);
	PQclear(p->res);
	p->res = NULL;
	p->state = Q_IDLE;
	p->row = p->nrows = 0;
}

static void pg_finalize(struct db_q *q)
{
	struct pg_q *p = pgq(q);
	if (p == NULL)
		return;
	q_clear_result(p);
	q_free_params(p);
	free(p->blob);
	free(p->param);
	free(p->vals);
	free(p->lens);
	free(p->fmts);
	free(p->sql);
	free(p);
	q->st = NULL;
}

static int pg_prepare(struct db_conn *base, const struct db_stmt *st,
		      struct db_q *q)
{
	struct pg_conn *c = pgc(base);
	int np;
	char *sql = pg_rewrite(st->sql, &np);
	char name[16];
	snprintf(name, sizeof(name), "s%u", ++c->next_name);
	int prc = pg_pipe_end(c);
	if (prc != DB_OK) {
		free(sql);
		return prc;
	}
	PGresult *res = PQprepare(c->h, name, sql, np, NULL);
	if (!pg_res_ok(res)) {
		free(sql);
		int rc = pg_result_rc(c, res);
		PQclear(res);
		if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
		return rc;
	}
	PQclear(res);
	if (q->st != NULL) {
		char dealloc[40];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s",
			 pgq(q)->name);
		pg_exec_sql(c, dealloc);
		pg_finalize(q);
	}
	struct pg_q *p = xcalloc(1, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->nparams = np;
	p->writes = pg_may_write(st->sql);
	p->pipeable = p->writes && strstr(st->sql, "RETURNING") == NULL &&
		      strstr(st->sql, "returning") == NULL;
	p->sql = sql;
	p->gen = c->gen;
	size_t k = np ? (size_t)np : 1;
	p->param = xcalloc(k, sizeof(*p->param));
	p->vals = xcalloc(k, sizeof(*p->vals));
	p->lens = xcalloc(k, sizeof(*p->lens));
	p->fmts = xcalloc(k, sizeof(*p->fmts));
	q->st = p;
	return DB_OK;
}

static void pg_reset(struct db_q *q)
{
	q_clear_result(pgq(q));
}

static void pg_clear_bindings(struct db_q *q)
{
	struct pg_q *p = pgq(q);
	q_free_params(p);
	memset(p->param, 0, (size_t)p->nparams * sizeof(*p->param));
}

static int pg_nparams(struct db_q *q)
{
	return pgq(q)->nparams;
}

/* The parameter idx (from 1) emptied for a new value; NULL out of range. */
static struct pg_param *param_at(struct db_q *q, int idx)
{
	struct pg_q *p = pgq(q);
	if (idx < 1 || idx > p->nparams)
		return NULL;
	struct pg_param *v = &p->param[idx - 1];
	if (v->owned)
		free(v->p);
	*v = (struct pg_param){.p = NULL};
	return v;
}

static int pg_bind_i64(struct db_q *q, int idx, int64_t v)
{
	struct pg_param *pp = param_at(q, idx);
	if (pp == NULL)
		return DB_EIO;
	pp->len = snprintf(pp->num, sizeof(pp->num), "%lld", (long long)v);
	pp->p = pp->num;
	return DB_OK;
}

static int pg_bind_text(struct db_q *q, int idx, const char *s, size_t n)
{
	struct pg_param *pp = param_at(q, idx);
	if (pp == NULL || n > 0x3fffffff)
		return DB_EIO;
	pp->p = xmalloc(n + 1);
	memcpy(pp->p, s, n);
	pp->p[n] = '\0';
	pp->len = (int)n;
	pp->owned = true;
	return DB_OK;
}

static int pg_bind_blob(struct db_q *q, int idx, const void *b, size_t n)
{
	struct pg_param *pp = param_at(q, idx);
	if (pp == NULL || n > 0x3fffffff)
		return DB_EIO;
	pp->p = xmalloc(n ? n : 1);
	memcpy(pp->p, b, n);
	pp->len = (int)n;
	pp->fmt = 1;
	pp->owned = true;
	return DB_OK;
}

static int pg_bind_null(struct db_q *q, int idx)
{
	return param_at(q, idx) ? DB_OK : DB_EIO;
}

/* Fills the statement's value arrays from its bindings. */
void pg_q_values(struct pg_q *p)
{
	for (int i = 0; i < p->nparams; i++) {
		p->vals[i] = p->param[i].p;
		p->lens[i] = p->param[i].len;
		p->fmts[i] = p->param[i].fmt;
	}
}

/* Sends the statement with its values; its result in p->res.  Prepares
 * it first on a session reset since it was prepared. */
static PGresult *run(struct pg_conn *c, struct pg_q *p)
{
	/* no pipeline is open here: execute ended it before BEGIN */
	if (p->gen != c->gen) {
		PGresult *res = PQprepare(c->h, p->name, p->sql, p->nparams,
					  NULL);
		if (!pg_res_ok(res))
			return res;
		PQclear(res);
		p->gen = c->gen;
	}
	pg_q_values(p);
	return PQexecPrepared(c->h, p->name, p->nparams, p->vals, p->lens,
			      p->fmts, 0);
}

/* Runs q once: in the open transaction, or (outside one) alone, inside
 * a write transaction of its own when it may write.  Transient failures
 * are retried outside a transaction. */
static int execute(struct db_q *q)
{
	struct pg_conn *c = pgc(q->conn);
	struct pg_q *p = pgq(q);
	bool own = !c->base.in_tx && p->writes;
	bool reset = false;
	bool failed_before = c->base.storage_failed;
	struct db_retry r;
	db__retry_start(&r, c->base.busy_timeout_ms);
	if (c->bulk && c->base.in_tx && p->pipeable && p->gen == c->gen &&
	    council_current(c)) {
		int rc = pg_pipe_send(c, p);
		if (rc != DB_OK)
			return rc;
		/* answered: done, no rows (pg_step) */
		p->res = NULL;
		p->nrows = 0;
		p->row = -1;
		p->state = Q_ROWS;
		return DB_OK;
	}
	/* the queued writes' answers first: one that failed is this
	 * statement's error, and it is not sent */
	int rc = pg_pipe_end(c);
	if (rc != DB_OK)
		return rc;
	if ((rc = alive(c)) != DB_OK)
		return rc;
	for (;;) {
		if (own && (rc = begin_kind(c, DB_TX_WRITE)) != DB_OK)
			return rc;
		if (!own && (rc = council_apply(c)) != DB_OK)
			return rc;
		PGresult *res = run(c, p);
		if (pg_res_ok(res)) {
			const char *t = PQcmdTuples(res);
			c->changes = *t ? strtoll(t, NULL, 10) : 0;
			if (own && (rc = pg_commit(&c->base)) != DB_OK) {
				PQclear(res);
				pg_exec_sql(c, "ROLLBACK");
				return rc;
			}
			p->res = res;
			p->nrows = PQntuples(res);
			p->row = -1;
			p->state = Q_ROWS;
			return DB_OK;
		}
		rc = pg_result_rc(c, res);
		bool again = pg_transient(res) && !c->base.in_tx;
		PQclear(res);
		if (PQstatus(c->h) == CONNECTION_BAD && !reset &&
		    (own || !c->base.in_tx)) {
			/* lost before a commit: nothing was done; once more
			 * on a new connection (see "Reconnecting") */
			council_tx_end(c, false);
			reset = true;
			if ((rc = pg_reconnect(c)) != DB_OK)
				return rc;
			c->base.storage_failed = failed_before;
			continue;
		}
		if (own) {
			pg_exec_sql(c, "ROLLBACK");
			council_tx_end(c, false);
		} else if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
		if (!again || !db__retry_again(&r)) {
			if (rc != DB_ECONSTRAINT)
				log_kv(LOG_ERROR, NULL, "db.step", "stmt",
				       q->def->name, "error", c->msg, NULL);
			return rc;
		}
	}
}

static int pg_step(struct db_q *q)
{
	struct pg_q *p = pgq(q);
	if (p->state != Q_ROWS) {
		/* stepping after the end runs it again, as SQLite does */
		q_clear_result(p);
		int rc = execute(q);
		if (rc != DB_OK) {
			q->active = false;
			return rc;
		}
	}
	q_clear_blobs(p);
	if (++p->row < p->nrows)
		return DB_ROW;
	p->state = Q_DONE;
	return DB_DONE;
}

static bool have(struct pg_q *p, int col)
{
	return p->state == Q_ROWS && p->row >= 0 && p->row < p->nrows &&
	       col >= 0 && col < PQnfields(p->res) &&
	       !PQgetisnull(p->res, p->row, col);
}

static int64_t pg_col_i64(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	if (!have(p, col))
		return 0;
	const char *v = PQgetvalue(p->res, p->row, col);
	if (PQftype(p->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	if (!have(p, col))
		return NULL;
	const char *v = PQgetvalue(p->res, p->row, col);
	if (PQftype(p->res, col) == OID_BOOL)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static const void *pg_col_blob(struct db_q *q, int col, size_t *len)
{
	struct pg_q *p = pgq(q);
	*len = 0;
	if (!have(p, col))
		return NULL;
	const char *v = PQgetvalue(p->res, p->row, col);
	if (PQftype(p->res, col) != OID_BYTEA) {
		*len = (size_t)PQgetlength(p->res, p->row, col);
		return v;
	}
	if (col >= p->nblob) {
		int n = PQnfields(p->res);
		p->blob = xrealloc(p->blob, (size_t)n * sizeof(*p->blob));
		for (int i = p->nblob; i < n; i++)
			p->blob[i] = NULL;
		p->nblob = n;
	}
	PQfreemem(p->blob[col]);
	p->blob[col] = PQunescapeBytea((const unsigned char *)v, len);
	if (p->blob[col] == NULL)
		abort(); /* out of memory: core/arena.h's policy */
	return p->blob[col];
}

bool pg_col_null(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	return p->state != Q_ROWS || p->row < 0 || p->row >= p->nrows ||
	       col < 0 || col >= PQnfields(p->res) ||
	       PQgetisnull(p->res, p->row, col);
}

static int pg_analyze(struct db_conn *base)
{
	return pg_exec_sql(pgc(base), "ANALYZE");
}

/* VACUUM runs outside a transaction block; the tables the connection's
 * role does not own are skipped by the server with a warning. */
static int pg_vacuum(struct db_conn *base)
{
	return pg_exec_sql(pgc(base), "VACUUM (ANALYZE)");
}

static const char *pg_errmsg(struct db_conn *c)
{
	return pgc(c)->msg;
}

/* No size limit of our own on PostgreSQL: the server's disk is the
 * DBA's, so there is no reserve to open. */
static void pg_use_reserve(struct db_conn *c)
{
}

const struct db_backend db_backend_postgres = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.nparams = pg_nparams,
	.bind_i64 = pg_bind_i64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_i64 = pg_col_i64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_null = pg_col_null,
	.changes = pg_changes,
	.errmsg = pg_errmsg,
	.stmt_access = pg_stmt_access,
	.exec_script = pg_exec_script,
	.use_reserve = pg_use_reserve,
	.set_bulk = pg_set_bulk,
	.analyze = pg_analyze,
	.vacuum = pg_vacuum,
	.col_type = pg_col_type,
	.describe = pg_describe,
	.after_migrate = pg_after_migrate,
};

