/*
 * common.c: the backend-neutral half of db.h (see db_int.h).
 *
 * db_open chooses the engine from the target's form, here and nowhere
 * else: a `postgres://` or `postgresql://` URI is PostgreSQL, anything
 * else a SQLite file.  Then the pool, the role check, the statement
 * cache, binding and the retry policy are the same code for both.
 */
#include "db/db_int.h"
#include "core/arena.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct db {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct db_backend *be;
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

bool db__is_postgres(const char *target)
{
	return target != NULL &&
	       (strncasecmp(target, "postgres://", 11) == 0 ||
		strncasecmp(target, "postgresql://", 13) == 0);
}

bool db_is_uri(const char *target)
{
	return db__is_postgres(target);
}

const char *db_engine(const struct db *db)
{
	return db->be->name;
}

void db__retry_start(struct db_retry *r, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->timeout_ms = timeout_ms;
	r->attempt = 0;
}

bool db__retry_again(struct db_retry *r)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - r->t0.tv_sec) * 1000 +
		  (now.tv_nsec - r->t0.tv_nsec) / 1000000;
	if (ms > r->timeout_ms)
		return false;
	/* 1..8 ms, growing, with jitter so waiting threads do not align */
	unsigned base = r->attempt < 3 ? 1u << r->attempt : 8u;
	r->attempt++;
	struct timespec ts = {0, (long)(base * 1000000L +
				      (long)(random() % 1000000L))};
	nanosleep(&ts, NULL);
	return true;
}

void db__conn_init(struct db_conn *c, const struct db_backend *be,
		   const struct db_options *opt)
{
	c->be = be;
	c->busy_timeout_ms = opt->busy_timeout_ms;
	db_catalogue(&c->ncat);
	c->cat = xcalloc(c->ncat ? c->ncat : 1, sizeof(*c->cat));
}

void db__conn_fini(struct db_conn *c)
{
	for (size_t i = 0; i < c->ncat; i++)
		if (c->cat[i].st != NULL)
			c->be->finalize(&c->cat[i]);
	for (size_t i = 0; i < DB_EXTRA_CACHE; i++)
		if (c->extra[i].st != NULL)
			c->be->finalize(&c->extra[i]);
	free(c->cat);
	c->cat = NULL;
}

int db_open(const char *target, const struct db_options *opt,
	    struct db **out, char *errbuf, size_t errlen)
{
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000,
			       .synchronous_full = true};
	if (opt != NULL)
		o = *opt;
	if (o.pool_size < 1)
		o.pool_size = 1;
	if (o.busy_timeout_ms <= 0)
		o.busy_timeout_ms = 5000;
	const struct db_backend *be = db__is_postgres(target)
					      ? &db_backend_postgres
					      : &db_backend_sqlite;
	struct db *db = xcalloc(1, sizeof(*db));
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	db->be = be;
	db->n = o.pool_size;
	db->conns = xcalloc((size_t)o.pool_size, sizeof(*db->conns));
	db->taken = xcalloc((size_t)o.pool_size, sizeof(*db->taken));
	for (int i = 0; i < o.pool_size; i++) {
		db->conns[i] = be->open(target, &o, errbuf, errlen);
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
	for (int i = 0; i < db->n; i++) {
		struct db_conn *c = db->conns[i];
		if (c == NULL)
			continue;
		db__conn_fini(c);
		db->be->close(c);
	}
	free(db->conns);
	free(db->taken);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
	free(db);
}

void db_use_reserve(struct db_conn *c)
{
	c->be->use_reserve(c);
}

bool db_storage_failed(const struct db_conn *c)
{
	return c != NULL && c->storage_failed;
}

/* Resets every cached statement, so none keeps a read snapshot open
 * (a SELECT left on a row holds its snapshot until reset). */
void db__reset_all(struct db_conn *c)
{
	if (c->nactive > DB_ACTIVE_MAX) {
		for (size_t i = 0; i < c->ncat; i++) {
			if (c->cat[i].st)
				c->be->reset(&c->cat[i]);
			c->cat[i].active = false;
		}
		for (size_t i = 0; i < DB_EXTRA_CACHE; i++) {
			if (c->extra[i].st)
				c->be->reset(&c->extra[i]);
			c->extra[i].active = false;
		}
	} else {
		for (int i = 0; i < c->nactive; i++) {
			c->be->reset(c->active[i]);
			c->active[i]->active = false;
		}
	}
	c->nactive = 0;
}

/* Resets one statement and forgets that it was active. */
static void q_reset(struct db_q *q)
{
	q->conn->be->reset(q);
	q->active = false; /* its slot in conn->active is reset harmlessly */
}

static void mark_active(struct db_q *q)
{
	if (q->active)
		return;
	q->active = true;
	struct db_conn *c = q->conn;
	if (c->nactive < DB_ACTIVE_MAX)
		c->active[c->nactive] = q;
	if (c->nactive <= DB_ACTIVE_MAX)
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
				db->conns[i]->council[0] = '\0'; /* D43 */
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
	db_set_bulk(c, false);
	db__reset_all(c);
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

unsigned db_role(const struct db_conn *c)
{
	return c->role;
}

int db_analyze(struct db_conn *c)
{
	if (!(c->role & DB_ROLE_SYSTEM))
		return DB_EDENIED;
	return c->be->analyze ? c->be->analyze(c) : DB_OK;
}

int db_vacuum(struct db_conn *c)
{
	if (!(c->role & DB_ROLE_SYSTEM))
		return DB_EDENIED;
	if (c->in_tx)
		return DB_EIO;
	return c->be->vacuum ? c->be->vacuum(c) : DB_OK;
}

void db_set_bulk(struct db_conn *c, bool on)
{
	if (c->be->set_bulk)
		c->be->set_bulk(c, on);
}

void db_set_role(struct db_conn *c, unsigned role_bit)
{
	c->role = role_bit;
}

int db_begin(struct db_conn *c, enum db_tx mode)
{
	if (c->in_tx)
		return DB_EIO;
	db__reset_all(c);
	int rc = c->be->begin(c, mode);
	if (rc != DB_OK)
		return rc;
	c->in_tx = true;
	c->tx_seq++;
	return DB_OK;
}

int db_commit(struct db_conn *c)
{
	if (!c->in_tx)
		return DB_EIO;
	int rc = db__ids_flush(c);
	if (rc != DB_OK) {
		db_rollback(c);
		return rc;
	}
	db__reset_all(c);
	rc = c->be->commit(c);
	if (rc != DB_OK) {
		db_rollback(c);
		return rc;
	}
	c->in_tx = false;
	db__ids_forget(c);
	return DB_OK;
}

void db_rollback(struct db_conn *c)
{
	if (!c->in_tx)
		return;
	db__reset_all(c);
	c->be->rollback(c);
	c->in_tx = false;
	db__ids_forget(c);
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
	return (size_t)(h >> 40) & (DB_EXTRA_CACHE - 1);
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
	for (size_t probe = 0; probe < DB_EXTRA_CACHE; probe++) {
		struct db_q *q = &c->extra[(i + probe) & (DB_EXTRA_CACHE - 1)];
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
		c->be->clear_bindings(q);
		q->bind_rc = DB_OK;
		*out = q;
		return DB_OK;
	}
	q->conn = c;
	int rc = c->be->prepare(c, st, q);
	if (rc != DB_OK) {
		log_kv(LOG_ERROR, NULL, "db.prepare", "stmt", st->name,
		       "error", c->be->errmsg(c), NULL);
		return rc;
	}
	q->def = st;
	q->bind_rc = DB_OK;
	*out = q;
	return DB_OK;
}

int db_stmt_access(struct db_conn *c, const struct db_stmt *st,
		   int (*cb)(const char *table, enum db_access op, void *arg),
		   void *arg)
{
	return c->be->stmt_access(c, st, cb, arg);
}

/* Keeps the first failed bind, so that db_step refuses to run a
 * statement any of whose binds failed, whether or not its caller looked
 * at the bind's result. */
static int bound(struct db_q *q, int rc)
{
	if (rc != DB_OK && q->bind_rc == DB_OK) {
		q->bind_rc = rc;
		log_kv(LOG_ERROR, NULL, "db.bind", "stmt", q->def->name, NULL);
	}
	return rc;
}

int db_bind_i64(struct db_q *q, int idx, int64_t v)
{
	return bound(q, q->conn->be->bind_i64(q, idx, v));
}

int db_bind_text(struct db_q *q, int idx, const char *s)
{
	if (s == NULL)
		return bound(q, q->conn->be->bind_null(q, idx));
	return bound(q, q->conn->be->bind_text(q, idx, s, strlen(s)));
}

int db_bind_textn(struct db_q *q, int idx, const char *s, size_t n)
{
	if (s == NULL)
		return bound(q, q->conn->be->bind_null(q, idx));
	return bound(q, q->conn->be->bind_text(q, idx, s, n));
}

int db_bind_blob(struct db_q *q, int idx, const void *p, size_t n)
{
	return bound(q, q->conn->be->bind_blob(q, idx, p, n));
}

int db_bind_null(struct db_q *q, int idx)
{
	return bound(q, q->conn->be->bind_null(q, idx));
}

int db_bind_id(struct db_q *q, int idx, int64_t v)
{
	return v > 0 ? db_bind_i64(q, idx, v) : db_bind_null(q, idx);
}

int db_step(struct db_q *q)
{
	if (q->bind_rc != DB_OK)
		return q->bind_rc;
	int rc = q->conn->be->step(q);
	if (rc == DB_ROW)
		mark_active(q);
	return rc;
}

int64_t db_col_i64(struct db_q *q, int col)
{
	return q->conn->be->col_i64(q, col);
}

const char *db_col_text(struct db_q *q, int col)
{
	return q->conn->be->col_text(q, col);
}

const void *db_col_blob(struct db_q *q, int col, size_t *len)
{
	return q->conn->be->col_blob(q, col, len);
}

bool db_col_null(struct db_q *q, int col)
{
	return q->conn->be->col_null(q, col);
}

int db_runv(struct db_conn *c, const struct db_stmt *st, struct db_q **out,
	    int n, const struct db_val *v)
{
	struct db_q *q;
	int rc = db_prepare(c, st, &q);
	if (rc != DB_OK)
		return rc;
	if (c->be->nparams(q) != n) {
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
	return c->be->changes(c);
}

const char *db_errmsg(struct db_conn *c)
{
	return c->be->errmsg(c);
}

/* Used only by schema.c for migration scripts (constant DDL). */
int db_exec_script(struct db_conn *c, const char *sql);
int db_exec_script(struct db_conn *c, const char *sql)
{
	return c->be->exec_script(c, sql);
}
