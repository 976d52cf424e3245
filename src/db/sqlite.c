/*
 * sqlite.c: the SQLite back end of db.h.
 *
 * WAL journal, synchronous FULL by default (an acknowledged commit
 * survives power loss), foreign keys on, a busy timeout, and a cache of
 * prepared statements per connection: an array indexed by the
 * statement's catalogue index (db_stmt_index: O(1), one slot for every
 * statement the program has, so it cannot fill up), and a small hashed
 * cache for statements outside the catalogue (tests' own), which can.
 */
#include "db/db.h"
#include "core/arena.h"
#include "core/log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXTRA_CACHE 64 /* statements outside the catalogue; power of two */

struct db_q {
	const struct db_stmt *def;
	sqlite3_stmt *st;
	struct db_conn *conn;
	bool active; /* stepped to a row and not reset since */
	int bind_rc; /* the first bind that failed since the prepare: the
		      * step returns it and runs nothing */
};

enum tx_stmt {
	TX_BEGIN_WRITE, /* "BEGIN IMMEDIATE" */
	TX_BEGIN_READ,  /* "BEGIN DEFERRED" */
	TX_COMMIT,      /* "COMMIT" */
	TX_ROLLBACK,    /* "ROLLBACK" */
	TX__MAX
};

static const char *const tx_sql[TX__MAX] = {
	"BEGIN IMMEDIATE", /* TX_BEGIN_WRITE */
	"BEGIN DEFERRED",  /* TX_BEGIN_READ */
	"COMMIT",          /* TX_COMMIT */
	"ROLLBACK",        /* TX_ROLLBACK */
};

#define ACTIVE_MAX 32

struct db_conn {
	sqlite3 *h;
	unsigned role;
	bool in_tx;
	bool busy;
	uint64_t tx_seq;             /* transactions begun (db_tx_seq) */
	int busy_timeout_ms;
	bool storage_failed;         /* see db_storage_failed */
	int64_t max_pages, reserve_pages;
	sqlite3_stmt *tx[TX__MAX];   /* prepared once: no parsing per call */
	struct db_q *active[ACTIVE_MAX];
	int nactive;                 /* > ACTIVE_MAX: overflowed, scan all */
	size_t ncat;                 /* the catalogue's size */
	struct db_q *cat;            /* [ncat], by db_stmt_index */
	struct db_q extra[EXTRA_CACHE]; /* the rest, hashed by address */
};

struct db {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	struct db_conn **conns;
	bool *taken;
};

const char *db_strerror(int err)
{
	switch (err) {
	case DB_OK: return "ok";
	case DB_EBUSY: return "database busy";
	case DB_ECONSTRAINT: return "constraint violated";
	case DB_EDENIED: return "statement not allowed for this role";
	case DB_EIO: return "database error";
	case DB_ESCHEMA: return "database schema is newer than this program";
	case DB_EFULL: return "database is out of space";
	default: return "unknown database error";
	}
}

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_EBUSY;
	case SQLITE_CONSTRAINT:
		return DB_ECONSTRAINT;
	case SQLITE_FULL:
		return DB_EFULL;
	default:
		return DB_EIO;
	}
}

/* map_rc for a failure of a statement or transaction on c, remembering
 * a failure of the storage itself (db_storage_failed). */
static int conn_rc(struct db_conn *c, int rc)
{
	int prim = rc & 0xff;
	if (prim == SQLITE_FULL || prim == SQLITE_IOERR || prim == SQLITE_CANTOPEN)
		c->storage_failed = true;
	return map_rc(rc);
}

static void jitter_sleep(unsigned attempt)
{
	/* 1..8 ms, growing, with jitter so waiting threads do not align */
	unsigned base = attempt < 3 ? 1u << attempt : 8u;
	struct timespec ts = {0, (long)(base * 1000000L +
				      (long)(random() % 1000000L))};
	nanosleep(&ts, NULL);
}

static int exec_retry(struct db_conn *c, const char *sql)
{
	int rc;
	unsigned attempt = 0;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 +
			  (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > c->busy_timeout_ms)
			break;
		jitter_sleep(attempt++);
	}
	return rc;
}

/* Runs one of the prepared transaction statements, retrying busy with
 * jitter up to the busy timeout. */
static int tx_retry(struct db_conn *c, enum tx_stmt t)
{
	int rc;
	unsigned attempt = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = sqlite3_step(c->tx[t]);
		sqlite3_reset(c->tx[t]);
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - t0.tv_sec) * 1000 +
			  (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > c->busy_timeout_ms)
			return rc;
		jitter_sleep(attempt++);
	}
}

/* PRAGMA max_page_count for c (a number, so no binding is needed). */
static int set_max_pages(struct db_conn *c, int64_t pages)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%lld",
		 (long long)pages);
	return exec_retry(c, sql);
}

void db_use_reserve(struct db_conn *c)
{
	if (c->max_pages > 0 &&
	    set_max_pages(c, c->max_pages + c->reserve_pages) != SQLITE_OK)
		log_kv(LOG_WARN, NULL, "db.reserve", "error",
		       sqlite3_errmsg(c->h), NULL);
}

bool db_storage_failed(const struct db_conn *c)
{
	return c != NULL && c->storage_failed;
}

static struct db_conn *conn_open(const char *path,
				 const struct db_options *opt, char *errbuf,
				 size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path,
			 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, opt->busy_timeout_ms);
	const char *pragmas = opt->synchronous_full
				      ? "PRAGMA journal_mode=WAL;"
					"PRAGMA synchronous=FULL;"
					"PRAGMA foreign_keys=ON;"
					"PRAGMA temp_store=MEMORY;"
					"PRAGMA cache_size=-16000;"
				      : "PRAGMA journal_mode=WAL;"
					"PRAGMA synchronous=NORMAL;"
					"PRAGMA foreign_keys=ON;"
					"PRAGMA temp_store=MEMORY;"
					"PRAGMA cache_size=-16000;";
	struct db_conn *c = xcalloc(1, sizeof(*c));
	db_catalogue(&c->ncat);
	c->cat = xcalloc(c->ncat ? c->ncat : 1, sizeof(*c->cat));
	c->h = h;
	c->busy_timeout_ms = opt->busy_timeout_ms;
	c->max_pages = opt->max_pages;
	c->reserve_pages = opt->reserve_pages;
	rc = exec_retry(c, pragmas);
	if (rc == SQLITE_OK && c->max_pages > 0)
		rc = set_max_pages(c, c->max_pages);
	for (int t = 0; rc == SQLITE_OK && t < TX__MAX; t++)
		rc = sqlite3_prepare_v3(h, tx_sql[t], -1,
					SQLITE_PREPARE_PERSISTENT, &c->tx[t],
					NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot configure %s: %s", path,
			 sqlite3_errmsg(h));
		for (int t = 0; t < TX__MAX; t++)
			sqlite3_finalize(c->tx[t]);
		sqlite3_close(h);
		free(c->cat);
		free(c);
		return NULL;
	}
	return c;
}

static void conn_close(struct db_conn *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ncat; i++)
		sqlite3_finalize(c->cat[i].st);
	for (size_t i = 0; i < EXTRA_CACHE; i++)
		sqlite3_finalize(c->extra[i].st);
	for (int t = 0; t < TX__MAX; t++)
		sqlite3_finalize(c->tx[t]);
	sqlite3_close(c->h);
	free(c->cat);
	free(c);
}

/* Library-wide settings, made once before SQLite initialises itself
 * (sqlite3_config refuses them afterwards, harmlessly).  Memory
 * statistics off: with them on, every allocation SQLite makes (the
 * system build has no lookaside, so a few hundred per page) takes one
 * process-wide mutex, which the worker threads then fight over; nothing
 * here reads the statistics. */
static pthread_once_t sqlite_config_once = PTHREAD_ONCE_INIT;

static void sqlite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open(const char *path, const struct db_options *opt, struct db **out,
	    char *errbuf, size_t errlen)
{
	pthread_once(&sqlite_config_once, sqlite_config);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000, .synchronous_full = true};
	if (opt != NULL)
		o = *opt;
	if (o.pool_size < 1)
		o.pool_size = 1;
	if (o.busy_timeout_ms <= 0)
		o.busy_timeout_ms = 5000;
	if (sqlite3_threadsafe() == 0) {
		snprintf(errbuf, errlen, "SQLite was built without threads");
		return DB_EIO;
	}
	struct db *db = xcalloc(1, sizeof(*db));
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	db->n = o.pool_size;
	db->conns = xcalloc((size_t)o.pool_size, sizeof(*db->conns));
	db->taken = xcalloc((size_t)o.pool_size, sizeof(*db->taken));
	for (int i = 0; i < o.pool_size; i++) {
		db->conns[i] = conn_open(path, &o, errbuf, errlen);
		if (db->conns[i] == NULL) {
			db_close(db);
			return DB_EIO;
		}
	}
	*out = db;
	return DB_OK;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < db->n; i++)
		conn_close(db->conns[i]);
	free(db->conns);
	free(db->taken);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
	free(db);
}

/* Resets every cached statement, so none keeps a read snapshot open
 * (a SELECT left on a row holds its snapshot until reset). */
static void reset_all(struct db_conn *c)
{
	if (c->nactive > ACTIVE_MAX) {
		for (size_t i = 0; i < c->ncat; i++) {
			if (c->cat[i].st)
				sqlite3_reset(c->cat[i].st);
			c->cat[i].active = false;
		}
		for (size_t i = 0; i < EXTRA_CACHE; i++) {
			if (c->extra[i].st)
				sqlite3_reset(c->extra[i].st);
			c->extra[i].active = false;
		}
	} else {
		for (int i = 0; i < c->nactive; i++) {
			sqlite3_reset(c->active[i]->st);
			c->active[i]->active = false;
		}
	}
	c->nactive = 0;
}

/* Resets one statement and forgets that it was active. */
static void q_reset(struct db_q *q)
{
	sqlite3_reset(q->st);
	q->active = false; /* its slot in conn->active is reset harmlessly */
}

static void mark_active(struct db_q *q)
{
	if (q->active)
		return;
	q->active = true;
	struct db_conn *c = q->conn;
	if (c->nactive < ACTIVE_MAX)
		c->active[c->nactive] = q;
	if (c->nactive <= ACTIVE_MAX)
		c->nactive++;
}

struct db_conn *db_acquire(struct db *db)
{
	pthread_mutex_lock(&db->mu);
	for (;;) {
		for (int i = 0; i < db->n; i++) {
			if (!db->taken[i]) {
				db->taken[i] = true;
				pthread_mutex_unlock(&db->mu);
				db->conns[i]->role = 0;
				db->conns[i]->storage_failed = false;
				return db->conns[i];
			}
		}
		pthread_cond_wait(&db->cv, &db->mu);
	}
}

void db_release(struct db *db, struct db_conn *c)
{
	db_rollback(c);
	reset_all(c);
	c->role = 0;
	pthread_mutex_lock(&db->mu);
	for (int i = 0; i < db->n; i++) {
		if (db->conns[i] == c) {
			db->taken[i] = false;
			break;
		}
	}
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

void db_set_role(struct db_conn *c, unsigned role_bit)
{
	c->role = role_bit;
}

int db_begin(struct db_conn *c, enum db_tx mode)
{
	if (c->in_tx)
		return DB_EIO;
	reset_all(c);
	int rc = tx_retry(c, mode == DB_TX_WRITE ? TX_BEGIN_WRITE
						 : TX_BEGIN_READ);
	if (rc != SQLITE_OK)
		return conn_rc(c, rc);
	c->in_tx = true;
	c->tx_seq++;
	return DB_OK;
}

int db_commit(struct db_conn *c)
{
	if (!c->in_tx)
		return DB_EIO;
	reset_all(c);
	int rc = tx_retry(c, TX_COMMIT);
	if (rc != SQLITE_OK) {
		db_rollback(c);
		return conn_rc(c, rc);
	}
	c->in_tx = false;
	return DB_OK;
}

void db_rollback(struct db_conn *c)
{
	if (!c->in_tx)
		return;
	reset_all(c);
	sqlite3_step(c->tx[TX_ROLLBACK]);
	sqlite3_reset(c->tx[TX_ROLLBACK]);
	c->in_tx = false;
}

bool db_in_tx(const struct db_conn *c)
{
	return c->in_tx;
}

uint64_t db_tx_seq(const struct db_conn *c)
{
	return c->in_tx ? c->tx_seq : 0;
}

static size_t slot_of(const struct db_stmt *st)
{
	uintptr_t h = (uintptr_t)st;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 40) & (EXTRA_CACHE - 1);
}

/* The cache slot for st: its own in the catalogue array, or the first
 * slot of the fallback cache that holds it or is free.  NULL when the
 * fallback cache is full (only statements outside the catalogue). */
static struct db_q *cache_slot(struct db_conn *c, const struct db_stmt *st)
{
	long k = db_stmt_index(st);
	if (k >= 0 && (size_t)k < c->ncat)
		return &c->cat[k];
	size_t i = slot_of(st);
	for (size_t probe = 0; probe < EXTRA_CACHE; probe++) {
		struct db_q *q = &c->extra[(i + probe) & (EXTRA_CACHE - 1)];
		if (q->def == st || q->def == NULL)
			return q;
	}
	return NULL;
}

int db_prepare(struct db_conn *c, const struct db_stmt *st, struct db_q **out)
{
	if ((st->roles & c->role) == 0) {
		char bits[16];
		snprintf(bits, sizeof(bits), "%x", c->role);
		log_kv(LOG_ERROR, NULL, "db.denied", "stmt", st->name,
		       "role_bit", bits, NULL);
		return DB_EDENIED;
	}
	struct db_q *q = cache_slot(c, st);
	if (q == NULL) {
		log_kv(LOG_ERROR, NULL, "db.cache_full", "stmt", st->name, NULL);
		return DB_EIO;
	}
	if (q->def == st) {
		q_reset(q);
		sqlite3_clear_bindings(q->st);
		q->bind_rc = DB_OK;
		*out = q;
		return DB_OK;
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(c->h, st->sql, -1,
				    SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		log_kv(LOG_ERROR, NULL, "db.prepare", "stmt", st->name,
		       "error", sqlite3_errmsg(c->h), NULL);
		return map_rc(rc);
	}
	q->def = st;
	q->st = s;
	q->conn = c;
	q->bind_rc = DB_OK;
	*out = q;
	return DB_OK;
}

/* What db_stmt_access collects while the authorizer watches. */
#define ACCESS_MAX 64
struct access {
	int n;
	bool overflow;
	struct {
		char table[64];
		enum db_access op;
	} v[ACCESS_MAX];
};

static void access_add(struct access *a, const char *table, enum db_access op)
{
	if (table == NULL || strncmp(table, "sqlite_", 7) == 0)
		return;
	for (int i = 0; i < a->n; i++)
		if (a->v[i].op == op && strcmp(a->v[i].table, table) == 0)
			return;
	if (a->n == ACCESS_MAX || strlen(table) >= sizeof(a->v[0].table)) {
		a->overflow = true;
		return;
	}
	snprintf(a->v[a->n].table, sizeof(a->v[a->n].table), "%s", table);
	a->v[a->n++].op = op;
}

static int authorizer(void *arg, int action, const char *a1, const char *a2,
		      const char *db, const char *trigger)
{
	(void)a2;
	(void)db;
	(void)trigger;
	struct access *a = arg;
	switch (action) {
	case SQLITE_READ:   access_add(a, a1, DB_ACCESS_READ); break;
	case SQLITE_INSERT: access_add(a, a1, DB_ACCESS_INSERT); break;
	case SQLITE_UPDATE: access_add(a, a1, DB_ACCESS_UPDATE); break;
	case SQLITE_DELETE: access_add(a, a1, DB_ACCESS_DELETE); break;
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_INDEX:
		access_add(a, action == SQLITE_CREATE_TABLE ? a1 : a2,
			   DB_ACCESS_CREATE);
		break;
	default: break;
	}
	return SQLITE_OK;
}

int db_stmt_access(struct db_conn *c, const struct db_stmt *st,
		   int (*cb)(const char *table, enum db_access op, void *arg),
		   void *arg)
{
	struct access *a = xcalloc(1, sizeof(*a));
	sqlite3_stmt *s = NULL;
	sqlite3_set_authorizer(c->h, authorizer, a);
	int rc = sqlite3_prepare_v2(c->h, st->sql, -1, &s, NULL);
	sqlite3_set_authorizer(c->h, NULL, NULL);
	sqlite3_finalize(s);
	if (rc != SQLITE_OK) {
		free(a);
		return map_rc(rc);
	}
	if (a->overflow) {
		log_kv(LOG_ERROR, NULL, "db.access_overflow", "stmt", st->name,
		       NULL);
		free(a);
		return DB_EIO;
	}
	int ret = 0;
	for (int i = 0; i < a->n && ret == 0; i++)
		ret = cb(a->v[i].table, a->v[i].op, arg);
	free(a);
	return ret;
}

/* Keeps the first failed bind, so that db_step refuses to run a
 * statement any of whose binds failed, whether or not its caller looked
 * at the bind's result. */
static int bound(struct db_q *q, int sqlite_rc)
{
	int rc = map_rc(sqlite_rc);
	if (rc != DB_OK && q->bind_rc == DB_OK) {
		q->bind_rc = rc;
		log_kv(LOG_ERROR, NULL, "db.bind", "stmt", q->def->name, NULL);
	}
	return rc;
}

int db_bind_i64(struct db_q *q, int idx, int64_t v)
{
	return bound(q, sqlite3_bind_int64(q->st, idx, v));
}

int db_bind_text(struct db_q *q, int idx, const char *s)
{
	if (s == NULL)
		return bound(q, sqlite3_bind_null(q->st, idx));
	return bound(q, sqlite3_bind_text(q->st, idx, s, -1, SQLITE_TRANSIENT));
}

int db_bind_textn(struct db_q *q, int idx, const char *s, size_t n)
{
	if (s == NULL)
		return bound(q, sqlite3_bind_null(q->st, idx));
	return bound(q, sqlite3_bind_text64(q->st, idx, s, n, SQLITE_TRANSIENT,
					    SQLITE_UTF8));
}

int db_bind_blob(struct db_q *q, int idx, const void *p, size_t n)
{
	return bound(q, sqlite3_bind_blob64(q->st, idx, p, n,
					    SQLITE_TRANSIENT));
}

int db_bind_null(struct db_q *q, int idx)
{
	return bound(q, sqlite3_bind_null(q->st, idx));
}

int db_step(struct db_q *q)
{
	if (q->bind_rc != DB_OK)
		return q->bind_rc;
	unsigned attempt = 0;
	for (;;) {
		int rc = sqlite3_step(q->st);
		if (rc == SQLITE_ROW) {
			mark_active(q);
			return DB_ROW;
		}
		if (rc == SQLITE_DONE)
			return DB_DONE;
		int prim = rc & 0xff;
		/* Inside a transaction a busy step cannot be retried safely
		 * (SQLite may have rolled back); outside one it can. */
		if ((prim == SQLITE_BUSY || prim == SQLITE_LOCKED) &&
		    !q->conn->in_tx && attempt < 50) {
			q_reset(q);
			jitter_sleep(attempt++);
			continue;
		}
		if (prim != SQLITE_CONSTRAINT)
			log_kv(LOG_ERROR, NULL, "db.step", "stmt", q->def->name,
			       "error", sqlite3_errmsg(q->conn->h), NULL);
		q_reset(q);
		return conn_rc(q->conn, rc);
	}
}

int64_t db_col_i64(struct db_q *q, int col)
{
	return sqlite3_column_int64(q->st, col);
}

const char *db_col_text(struct db_q *q, int col)
{
	return (const char *)sqlite3_column_text(q->st, col);
}

const void *db_col_blob(struct db_q *q, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(q->st, col);
	*len = (size_t)sqlite3_column_bytes(q->st, col);
	return p;
}

bool db_col_null(struct db_q *q, int col)
{
	return sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

int db_bind_id(struct db_q *q, int idx, int64_t v)
{
	return v > 0 ? db_bind_i64(q, idx, v) : db_bind_null(q, idx);
}

int db_runv(struct db_conn *c, const struct db_stmt *st, struct db_q **out,
	    int n, const struct db_val *v)
{
	struct db_q *q;
	int rc = db_prepare(c, st, &q);
	if (rc != DB_OK)
		return rc;
	if (sqlite3_bind_parameter_count(q->st) != n) {
		log_kv(LOG_ERROR, NULL, "db.bind_count", "stmt", st->name, NULL);
		return DB_EIO;
	}
	for (int i = 0; i < n && rc == DB_OK; i++)
		switch (v[i].kind) {
		case DBV_I64: rc = db_bind_i64(q, i + 1, v[i].i); break;
		case DBV_TEXT: rc = db_bind_text(q, i + 1, v[i].t); break;
		default: rc = db_bind_null(q, i + 1); break;
		}
	if (rc != DB_OK)
		return rc;
	rc = db_step(q);
	if (out != NULL && rc == DB_ROW)
		*out = q;
	return rc;
}

void db_done(struct db_q *q)
{
	q_reset(q);
}

int64_t db_changes(struct db_conn *c)
{
	return sqlite3_changes64(c->h);
}

const char *db_errmsg(struct db_conn *c)
{
	return sqlite3_errmsg(c->h);
}

/* Used only by schema.c for migration scripts (constant DDL). */
int db_exec_script(struct db_conn *c, const char *sql);
int db_exec_script(struct db_conn *c, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(c->h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		log_kv(LOG_ERROR, NULL, "db.migrate", "error",
		       err ? err : sqlite3_errstr(rc), NULL);
		sqlite3_free(err);
		return map_rc(rc);
	}
	return DB_OK;
}
