/*
 * postgres.c: the PostgreSQL back end of db.h, over libpq (operations
 * behind db_int.h; the pool, roles, statement cache and retry policy
 * are common.c's).
 *
 * Statements.  Each catalogue statement is prepared on a connection the
 * first time it is used there (PQprepare, a name per connection), after
 * one rewrite of its text: `?N` placeholders become `$N`, and the words
 * of the dialect table (below) are replaced, outside string literals and
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
 * Bulk writing (db_set_bulk, for the demo's generator).  One statement
 * at a time costs a round trip to the server each, and a bulk load's
 * time was nearly all round trips (50,000 children took minutes).  On a
 * connection set to bulk, inside a transaction, a statement that writes
 * and returns no rows (no RETURNING) is only sent, in libpq's pipeline
 * mode, and db_step answers DB_DONE at once; the queue is sent and its
 * answers read (pipe_end) before anything that needs an answer: a
 * statement that returns rows, db_changes, a prepare, the commit, or
 * every PIPE_MAX statements.  The first error among them is returned
 * there and aborts the transaction, which then cannot commit: what
 * changes is only *where* an error is reported, never whether.
 *
 * Errors are mapped from SQLSTATE (sqlstate_rc): class 23 is a
 * constraint; 40001, 40P01 (retried outside a transaction) and 55P03
 * busy; 42501 denied; 53100 full; class 08 and 58 the storage.  The
 * message kept for db_errmsg is the primary message only, never DETAIL
 * (which quotes key values, so could quote personal data), and for
 * class 22 (a value the type refused, quoted in the message) only the
 * code.
 */
#include "db/db_int.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static struct pg_conn *pgc(struct db_conn *c)
{
	return (struct pg_conn *)c;
}

static struct pg_q *pgq(struct db_q *q)
{
	return q->st;
}

/*
 * The dialect table: whole words of SQLite's dialect and what they are
 * on PostgreSQL.  Our SQL is otherwise the subset the two share (D1).
 */
static const struct {
	const char *from, *to;
} dialect[] = {
	/* SQLite's INTEGER is 64 bits, PostgreSQL's 32: ids, counts and
	 * epoch times must not end at 2^31 */
	{"INTEGER", "BIGINT"},
	/* binary strings (draft nonces and ciphertext) */
	{"BLOB", "BYTEA"},
};

static bool word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Rewrites sql for PostgreSQL (see the file's head) into a new string;
 * *nparams gets the highest placeholder number. */
static char *rewrite(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = xmalloc(n * 2 + 16);
	size_t o = 0;
	int maxp = 0;
	for (size_t i = 0; i < n;) {
		char ch = sql[i];
		if (ch == '\'' || ch == '"') {
			/* a literal or quoted name, copied to its end ('' and
			 * "" are the quote itself) */
			out[o++] = sql[i++];
			while (i < n) {
				out[o++] = sql[i];
				if (sql[i++] == ch) {
					if (i < n && sql[i] == ch) {
						out[o++] = sql[i++];
						continue;
					}
					break;
				}
			}
			continue;
		}
		if (ch == '?') {
			out[o++] = '$';
			i++;
			int v = 0;
			while (i < n && sql[i] >= '0' && sql[i] <= '9') {
				v = v * 10 + (sql[i] - '0');
				out[o++] = sql[i++];
			}
			if (v > maxp)
				maxp = v;
			continue;
		}
		if (word_char(ch) && (i == 0 || !word_char(sql[i - 1]))) {
			size_t e = i;
			while (e < n && word_char(sql[e]))
				e++;
			const char *to = NULL;
			for (size_t k = 0; k < sizeof(dialect) / sizeof(dialect[0]);
			     k++)
				if (strlen(dialect[k].from) == e - i &&
				    strncmp(dialect[k].from, sql + i, e - i) == 0)
					to = dialect[k].to;
			if (to != NULL) {
				size_t tl = strlen(to);
				memcpy(out + o, to, tl);
				o += tl;
			} else {
				memcpy(out + o, sql + i, e - i);
				o += e - i;
			}
			i = e;
			continue;
		}
		out[o++] = sql[i++];
	}
	out[o] = '\0';
	*nparams = maxp;
	return out;
}

/* True when sql may write: anything but a SELECT (or a WITH that does
 * not insert, update or delete). */
static bool may_write(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	if (strncasecmp(sql, "SELECT", 6) == 0)
		return false;
	if (strncasecmp(sql, "WITH", 4) == 0)
		return strstr(sql, "INSERT") || strstr(sql, "UPDATE") ||
		       strstr(sql, "DELETE");
	return true;
}

/* The db_err for a failed result on c; keeps the message (see the head)
 * and notes a failure of the storage. */
static int result_rc(struct pg_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	const char *primary =
		res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (state == NULL) {
		/* no answer from the server: the connection is gone */
		snprintf(c->msg, sizeof(c->msg), "%s",
			 PQstatus(c->h) == CONNECTION_OK ? "no result"
							 : "connection lost");
		c->base.storage_failed = true;
		return DB_EIO;
	}
	if (strncmp(state, "22", 2) == 0 || primary == NULL)
		snprintf(c->msg, sizeof(c->msg), "SQLSTATE %s", state);
	else
		snprintf(c->msg, sizeof(c->msg), "%s (SQLSTATE %s)", primary,
			 state);
	if (strncmp(state, "23", 2) == 0)
		return DB_ECONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return DB_EBUSY;
	if (strcmp(state, "42501") == 0)
		return DB_EDENIED;
	if (strcmp(state, "53100") == 0) {
		c->base.storage_failed = true;
		return DB_EFULL;
	}
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "58", 2) == 0 ||
	    strncmp(state, "53", 2) == 0)
		c->base.storage_failed = true;
	return DB_EIO;
}

/* A failure that another attempt may not meet at once: a serialization
 * failure or a deadlock (a lock timeout has waited its time already). */
static bool transient(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	return state != NULL &&
	       (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

static bool res_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static int pipe_end(struct pg_conn *c);

/* Runs constant SQL (no values) on c; 0 or a db_err. */
static int exec_sql(struct pg_conn *c, const char *sql)
{
	int prc = pipe_end(c);
	if (prc != DB_OK)
		return prc;
	PGresult *res = PQexec(c->h, sql);
	int rc = res_ok(res) ? DB_OK : result_rc(c, res);
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
	if (res_ok(res) && PQntuples(res) == 1 &&
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
	if (exec_sql(c, set) != DB_OK) {
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
static int reconnect(struct pg_conn *c)
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
	if (exec_sql(c, c->setup) != DB_OK)
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
	return reconnect(c);
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
	int rc = exec_sql(c, sql);
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
	if ((rc = pipe_end(c)) != DB_OK)
		return rc;
	for (;;) {
		begin_sql(c, mode, sql, sizeof(sql));
		PGresult *res = PQexec(c->h, sql);
		if (res_ok(res)) {
			PQclear(res);
			c->tx_failed = DB_OK;
			return DB_OK;
		}
		rc = result_rc(c, res);
		bool again = transient(res);
		PQclear(res);
		council_tx_end(c, false);
		if (PQstatus(c->h) == CONNECTION_BAD && !reset) {
			/* lost before anything was done: once more on a
			 * new connection (see "Reconnecting") */
			reset = true;
			if ((rc = reconnect(c)) != DB_OK)
				return rc;
			c->base.storage_failed = failed_before;
			continue;
		}
		exec_sql(c, "ROLLBACK");
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
	int rc = pipe_end(c);
	if (rc != DB_OK) {
		council_tx_end(c, false);
		return rc;
	}
	PGresult *res = PQexec(c->h, "COMMIT");
	if (!res_ok(res))
		rc = result_rc(c, res);
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
	exec_sql(c, "ROLLBACK");
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
	char *sql = rewrite(st->sql, &np);
	char name[16];
	snprintf(name, sizeof(name), "s%u", ++c->next_name);
	int prc = pipe_end(c);
	if (prc != DB_OK) {
		free(sql);
		return prc;
	}
	PGresult *res = PQprepare(c->h, name, sql, np, NULL);
	if (!res_ok(res)) {
		free(sql);
		int rc = result_rc(c, res);
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
		exec_sql(c, dealloc);
		pg_finalize(q);
	}
	struct pg_q *p = xcalloc(1, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->nparams = np;
	p->writes = may_write(st->sql);
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
static void q_values(struct pg_q *p)
{
	for (int i = 0; i < p->nparams; i++) {
		p->vals[i] = p->param[i].p;
		p->lens[i] = p->param[i].len;
		p->fmts[i] = p->param[i].fmt;
	}
}

/* Reads the answers of the pipelined statements and leaves pipeline
 * mode (see "Bulk writing").  Returns 0, or the first statement's error
 * (which aborted the transaction; it is also its tx_failed). */
static int pipe_end(struct pg_conn *c)
{
	if (!c->pipe)
		return DB_OK;
	int rc = DB_OK;
	if (!PQpipelineSync(c->h))
		rc = result_rc(c, NULL);
	while (c->pending > 0) {
		PGresult *res = PQgetResult(c->h);
		if (res == NULL) { /* the end of one statement's answer */
			c->pending--;
			if (PQstatus(c->h) == CONNECTION_BAD) {
				if (rc == DB_OK)
					rc = result_rc(c, NULL);
				c->pending = 0;
			}
			continue;
		}
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_COMMAND_OK) {
			const char *t = PQcmdTuples(res);
			c->changes = *t ? strtoll(t, NULL, 10) : 0;
		} else if (s != PGRES_PIPELINE_ABORTED && rc == DB_OK) {
			rc = result_rc(c, res);
			log_kv(LOG_ERROR, NULL, "db.step", "stmt", "(bulk)",
			       "error", c->msg, NULL);
		}
		PQclear(res);
	}
	for (;;) { /* the sync's own answer */
		PGresult *res = PQgetResult(c->h);
		if (res == NULL)
			break;
		ExecStatusType s = PQresultStatus(res);
		PQclear(res);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
	c->pipe = false;
	if (!PQexitPipelineMode(c->h)) {
		/* answers we could not read: this session cannot be trusted
		 * for anything more (its transaction is lost with it) */
		reconnect(c);
		snprintf(c->msg, sizeof(c->msg), "pipeline not ended");
		c->base.storage_failed = true;
		if (rc == DB_OK)
			rc = DB_EIO;
	}
	if (rc != DB_OK && c->base.in_tx && c->tx_failed == DB_OK)
		c->tx_failed = rc;
	return rc;
}

/* Queues a plain write in the pipeline (bulk mode): DB_OK once sent. */
static int pipe_send(struct pg_conn *c, struct pg_q *p)
{
	if (!c->pipe) {
		if (!PQenterPipelineMode(c->h))
			return result_rc(c, NULL);
		c->pipe = true;
	}
	q_values(p);
	if (!PQsendQueryPrepared(c->h, p->name, p->nparams, p->vals, p->lens,
				 p->fmts, 0)) {
		int rc = pipe_end(c);
		return rc != DB_OK ? rc : result_rc(c, NULL);
	}
	c->pending++;
	return c->pending >= PIPE_MAX ? pipe_end(c) : DB_OK;
}

/* Sends the statement with its values; its result in p->res.  Prepares
 * it first on a session reset since it was prepared. */
static PGresult *run(struct pg_conn *c, struct pg_q *p)
{
	if (pipe_end(c) != DB_OK)
		/* an earlier pipelined write failed: the transaction is
		 * aborted, and this statement is not sent (c->msg says why) */
		return NULL;
	if (p->gen != c->gen) {
		PGresult *res = PQprepare(c->h, p->name, p->sql, p->nparams,
					  NULL);
		if (!res_ok(res))
			return res;
		PQclear(res);
		p->gen = c->gen;
	}
	q_values(p);
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
		int rc = pipe_send(c, p);
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
	int rc = pipe_end(c);
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
		if (res_ok(res)) {
			const char *t = PQcmdTuples(res);
			c->changes = *t ? strtoll(t, NULL, 10) : 0;
			if (own && (rc = pg_commit(&c->base)) != DB_OK) {
				PQclear(res);
				exec_sql(c, "ROLLBACK");
				return rc;
			}
			p->res = res;
			p->nrows = PQntuples(res);
			p->row = -1;
			p->state = Q_ROWS;
			return DB_OK;
		}
		rc = result_rc(c, res);
		bool again = transient(res) && !c->base.in_tx;
		PQclear(res);
		if (PQstatus(c->h) == CONNECTION_BAD && !reset &&
		    (own || !c->base.in_tx)) {
			/* lost before a commit: nothing was done; once more
			 * on a new connection (see "Reconnecting") */
			council_tx_end(c, false);
			reset = true;
			if ((rc = reconnect(c)) != DB_OK)
				return rc;
			c->base.storage_failed = failed_before;
			continue;
		}
		if (own) {
			exec_sql(c, "ROLLBACK");
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

static bool pg_col_null(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	return p->state != Q_ROWS || p->row < 0 || p->row >= p->nrows ||
	       col < 0 || col >= PQnfields(p->res) ||
	       PQgetisnull(p->res, p->row, col);
}

static int pg_analyze(struct db_conn *base)
{
	return exec_sql(pgc(base), "ANALYZE");
}

/* VACUUM runs outside a transaction block; the tables the connection's
 * role does not own are skipped by the server with a warning. */
static int pg_vacuum(struct db_conn *base)
{
	return exec_sql(pgc(base), "VACUUM (ANALYZE)");
}

static void pg_set_bulk(struct db_conn *base, bool on)
{
	struct pg_conn *c = pgc(base);
	if (!on)
		pipe_end(c); /* an error stays the transaction's (tx_failed) */
	c->bulk = on;
}

static int64_t pg_changes(struct db_conn *c)
{
	pipe_end(pgc(c)); /* the last statement's answer is in the queue */
	return pgc(c)->changes;
}

static const char *pg_errmsg(struct db_conn *c)
{
	return pgc(c)->msg;
}

/* The tables and operations are SQLite's authorizer's answer (D23); here
 * the statement is prepared, unnamed, to prove it prepares, and nothing
 * is reported. */
static int pg_stmt_access(struct db_conn *base, const struct db_stmt *st,
			  int (*cb)(const char *table, enum db_access op,
				    void *arg),
			  void *arg)
{
	struct pg_conn *c = pgc(base);
	int np;
	char *sql = rewrite(st->sql, &np);
	pipe_end(c);
	PGresult *res = PQprepare(c->h, "", sql, np, NULL);
	free(sql);
	int rc = res_ok(res) ? DB_OK : result_rc(c, res);
	PQclear(res);
	return rc;
}

static int pg_exec_script(struct db_conn *base, const char *script)
{
	struct pg_conn *c = pgc(base);
	int np;
	char *sql = rewrite(script, &np);
	int rc = exec_sql(c, sql);
	free(sql);
	if (rc != DB_OK) {
		log_kv(LOG_ERROR, NULL, "db.migrate", "error", c->msg, NULL);
		if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
	}
	return rc;
}

/*
 * Row-level security by council (D43), made after every migration for
 * each table with a council column that lacks it, so a table a later
 * migration adds is covered without a list kept by hand.  FORCE makes
 * the policy bind the tables' owner too (the role Cairn connects as);
 * only a superuser or a BYPASSRLS role escapes it (pg_open warns).  The
 * policy's USING is also its WITH CHECK: a row of another council can
 * be neither seen nor written.  The tables the authentication layer
 * reads before it knows the council are open to a connection acting for
 * none (the setting empty or never set); see db_set_council.
 */
static const char rls_sql[] =
	"DO $rls$ DECLARE t text; BEGIN"
	" FOR t IN SELECT c.relname FROM pg_class c"
	"  JOIN pg_namespace n ON n.oid = c.relnamespace"
	"  JOIN pg_attribute a ON a.attrelid = c.oid"
	"  WHERE n.nspname = current_schema() AND c.relkind = 'r'"
	"  AND a.attname = 'council' AND NOT a.attisdropped"
	"  AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid"
	"   AND p.polname = 'cairn_council_v1')"
	" LOOP"
	"  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);"
	"  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);"
	"  IF t IN ('council', 'app_user', 'session', 'api_token',"
	"            'login_throttle') THEN"
	"   EXECUTE format('CREATE POLICY cairn_council_v1 ON %I USING ("
	"    council = current_setting(''" COUNCIL_SETTING "'', true)"
	"    OR coalesce(current_setting(''" COUNCIL_SETTING "'', true), '''')"
	"       IN (''" COUNCIL_ALL "'', ''''))', t);"
	"  ELSE"
	"   EXECUTE format('CREATE POLICY cairn_council_v1 ON %I USING ("
	"    council = current_setting(''" COUNCIL_SETTING "'', true)"
	"    OR current_setting(''" COUNCIL_SETTING "'', true) = ''"
	COUNCIL_ALL "'')', t);"
	"  END IF;"
	" END LOOP; END $rls$";

static int pg_after_migrate(struct db_conn *base)
{
	struct pg_conn *c = pgc(base);
	int rc = exec_sql(c, rls_sql);
	if (rc != DB_OK) {
		log_kv(LOG_ERROR, NULL, "db.rls", "error", c->msg, NULL);
		if (c->base.in_tx && c->tx_failed == DB_OK)
			c->tx_failed = rc;
	}
	return rc;
}

/* No size limit of our own on PostgreSQL: the server's disk is the
 * DBA's, so there is no reserve to open. */
static void pg_use_reserve(struct db_conn *c)
{
}

/* At the end of the file (db/copy.c's hooks). */
static enum db_type pg_col_type(struct db_q *q, int col);
static int pg_describe(struct db_conn *c,
		       int (*cb)(const struct db_schema_item *it, void *arg),
		       void *arg);

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

/* ---- db/copy.c's hooks: value types and the schema ---------------- */

/* A type, by its name in pg_type, mapped to a storage class. */
static enum db_type type_of_name(const char *t)
{
	static const struct {
		const char *name;
		enum db_type type;
	} names[] = {
		{"int8", DB_TYPE_INT},    {"int4", DB_TYPE_INT},
		{"int2", DB_TYPE_INT},    {"bool", DB_TYPE_INT},
		{"text", DB_TYPE_TEXT},   {"varchar", DB_TYPE_TEXT},
		{"bpchar", DB_TYPE_TEXT}, {"name", DB_TYPE_TEXT},
		{"bytea", DB_TYPE_BLOB},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, t) == 0)
			return names[i].type;
	return DB_TYPE_OTHER;
}

static enum db_type pg_col_type(struct db_q *q, int col)
{
	struct pg_q *p = pgq(q);
	if (pg_col_null(q, col))
		return DB_TYPE_NULL;
	switch (PQftype(p->res, col)) {
	case 20: case 21: case 23: case OID_BOOL: /* int8, int2, int4 */
		return DB_TYPE_INT;
	case OID_BYTEA:
		return DB_TYPE_BLOB;
	case 25: case 1042: case 1043: case 19: /* text, bpchar, varchar,
						 * name */
		return DB_TYPE_TEXT;
	default:
		return DB_TYPE_OTHER;
	}
}

/* The schema from pg_catalog, in the connection's current schema (where
 * the migrations made the tables): constant SQL. */
static int pg_describe(struct db_conn *base,
		       int (*cb)(const struct db_schema_item *it, void *arg),
		       void *arg)
{
	static const char *const sql[2] = {
		"SELECT cl.relname, a.attname, t.typname,"
		/* indkey is an int2vector, whose subscripts start at 0 */
		" COALESCE((SELECT k.n FROM unnest(i.indkey::int2[])"
		"  WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum), 0)"
		" FROM pg_class cl"
		" JOIN pg_namespace n ON n.oid = cl.relnamespace"
		" JOIN pg_attribute a ON a.attrelid = cl.oid"
		"  AND a.attnum > 0 AND NOT a.attisdropped"
		" JOIN pg_type t ON t.oid = a.atttypid"
		" LEFT JOIN pg_index i ON i.indrelid = cl.oid AND i.indisprimary"
		" WHERE n.nspname = current_schema() AND cl.relkind IN ('r', 'p')"
		" ORDER BY cl.relname COLLATE \"C\", a.attnum",
		"SELECT DISTINCT cl.relname, r.relname FROM pg_constraint co"
		" JOIN pg_class cl ON cl.oid = co.conrelid"
		" JOIN pg_class r ON r.oid = co.confrelid"
		" JOIN pg_namespace n ON n.oid = cl.relnamespace"
		" WHERE co.contype = 'f' AND n.nspname = current_schema()"
		" ORDER BY 1, 2",
	};
	struct pg_conn *c = pgc(base);
	int ret = 0;
	if ((ret = pipe_end(c)) != DB_OK)
		return ret;
	for (int k = 0; k < 2 && ret == 0; k++) {
		PGresult *res = PQexec(c->h, sql[k]);
		if (!res_ok(res)) {
			ret = result_rc(c, res);
			if (c->base.in_tx && c->tx_failed == DB_OK)
				c->tx_failed = ret;
			PQclear(res);
			return ret;
		}
		for (int r = 0; r < PQntuples(res) && ret == 0; r++) {
			struct db_schema_item it = {
				.table = PQgetvalue(res, r, 0),
			};
			if (k == 0) {
				it.column = PQgetvalue(res, r, 1);
				it.type = type_of_name(PQgetvalue(res, r, 2));
				int64_t pk = 0;
				if (!str_to_i64z(PQgetvalue(res, r, 3), 0, 1600,
						 &pk))
					pk = -1; /* matches no source column */
				it.pk = (int)pk;
			} else {
				it.parent = PQgetvalue(res, r, 1);
			}
			ret = cb(&it, arg);
		}
		PQclear(res);
	}
	return ret;
}
