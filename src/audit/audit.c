/* audit.c: see audit.h for the contract. */
#include "audit/audit.h"
#include "auth/role.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define GENESIS                                                              \
	"0000000000000000000000000000000000000000000000000000000000000000"

#define AUDIT_ROLES (RB_ANY_USER | DB_ROLE_SYSTEM | DB_ROLE_AUTH)

static const struct db_stmt st_head = {
	"audit_head_get",
	"SELECT seq, hash FROM audit_head WHERE council = ?1",
	AUDIT_ROLES,
};
static const struct db_stmt st_insert = {
	"audit_insert",
	"INSERT INTO audit (council, seq, at, user_id, username, role, action,"
	" entity, entity_id, child_id, request_id, ip, prev_hash, hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	AUDIT_ROLES,
};
static const struct db_stmt st_head_set = {
	"audit_head_set",
	"INSERT INTO audit_head (council, seq, hash) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (council) DO UPDATE SET seq = excluded.seq,"
	" hash = excluded.hash",
	AUDIT_ROLES,
};
static const struct db_stmt st_child_rows = {
	"audit_child_rows",
	"SELECT seq, at, user_id, username, role, action, entity, entity_id,"
	" child_id FROM audit WHERE council = ?1 AND child_id = ?2"
	" ORDER BY seq DESC LIMIT ?3",
	RB_TEAM_MANAGER | RB_ADMIN | DB_ROLE_SYSTEM,
};
static const struct db_stmt st_all = {
	"audit_all",
	"SELECT council, seq, at, user_id, username, role, action, entity,"
	" entity_id, child_id, request_id, ip, prev_hash, hash FROM audit"
	" ORDER BY council, seq",
	RB_ADMIN | DB_ROLE_SYSTEM,
};
static const struct db_stmt st_heads = {
	"audit_heads",
	"SELECT council, seq, hash FROM audit_head ORDER BY council",
	RB_ADMIN | DB_ROLE_SYSTEM,
};

struct fields {
	const char *council;
	int64_t seq;
	const char *at;
	int64_t user_id;
	const char *username;
	const char *role;
	const char *action;
	const char *entity;
	int64_t entity_id;
	int64_t child_id;
	const char *request_id;
	const char *ip;
	const char *prev_hash;
};

static void put_str(crypto_hash_sha256_state *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_hash_sha256_update(h, len, sizeof(len));
	if (n)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void put_int(crypto_hash_sha256_state *h, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	crypto_hash_sha256_update(h, b, sizeof(b));
}

static void row_hash(const struct fields *f, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	put_str(&h, "cairn-audit-v1");
	put_str(&h, f->council);
	put_int(&h, f->seq);
	put_str(&h, f->at);
	put_int(&h, f->user_id);
	put_str(&h, f->username);
	put_str(&h, f->role);
	put_str(&h, f->action);
	put_str(&h, f->entity);
	put_int(&h, f->entity_id);
	put_int(&h, f->child_id);
	put_str(&h, f->request_id);
	put_str(&h, f->ip);
	put_str(&h, f->prev_hash);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

static void now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int audit_append(struct db_conn *c, const struct audit_event *ev)
{
	if (!db_in_tx(c))
		return DB_EIO;
	struct db_q *q;
	int64_t seq = 0;
	char prev[65] = GENESIS;
	int rc = db_run(c, &st_head, &q, "t", ev->council);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW) {
		seq = db_col_i64(q, 0);
		const char *h = db_col_text(q, 1);
		if (h == NULL || strlen(h) != 64)
			return DB_EIO;
		memcpy(prev, h, 65);
	}
	char at[21];
	now_utc(at);
	struct fields f = {
		ev->council, seq + 1, at, ev->user_id, ev->username, ev->role,
		ev->action, ev->entity, ev->entity_id, ev->child_id,
		ev->request_id ? ev->request_id : "-", ev->ip ? ev->ip : "-",
		prev,
	};
	char hash[65];
	row_hash(&f, hash);
	rc = db_run(c, &st_insert, NULL, "titittttiitttt", f.council, f.seq,
		    f.at, f.user_id, f.username, f.role, f.action, f.entity,
		    f.entity_id, f.child_id, f.request_id, f.ip, f.prev_hash,
		    hash);
	if (rc < 0)
		return rc;
	rc = db_run(c, &st_head_set, NULL, "tit", f.council, f.seq, hash);
	return rc < 0 ? rc : DB_OK;
}

int audit_child_rows(struct db_conn *c, const char *council, int64_t child_id,
		     int limit, int (*cb)(const struct audit_row *, void *),
		     void *arg)
{
	struct db_q *q;
	int rc = db_prepare(c, &st_child_rows, &q);
	if (rc < 0)
		return rc;
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, child_id);
	db_bind_i64(q, 3, limit);
	while ((rc = db_step(q)) == DB_ROW) {
		struct audit_row r = {
			db_col_i64(q, 0),  db_col_text(q, 1),
			db_col_i64(q, 2),  db_col_text(q, 3),
			db_col_text(q, 4), db_col_text(q, 5),
			db_col_text(q, 6), db_col_i64(q, 7),
			db_col_i64(q, 8),
		};
		int stop = cb(&r, arg);
		if (stop)
			return stop;
	}
	return rc < 0 ? rc : 0;
}

static void fail(struct audit_verify_result *res, const char *council,
		 int64_t seq, const char *reason)
{
	res->ok = false;
	snprintf(res->council, sizeof(res->council), "%s",
		 council ? council : "");
	res->bad_seq = seq;
	snprintf(res->reason, sizeof(res->reason), "%s", reason);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Checks that council's head names exactly the end of the walked chain.
 * Returns 1 when it does, 0 when not (res filled), <0 on a db error. */
static int check_head(struct db_conn *c, const char *council, int64_t seq,
		      const char *hash, struct audit_verify_result *res)
{
	struct db_q *q;
	int rc = db_run(c, &st_head, &q, "t", council);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW) {
		fail(res, council, 0, "the chain has no head row");
		return 0;
	}
	if (db_col_i64(q, 0) != seq || strcmp(nz(db_col_text(q, 1)), hash)) {
		fail(res, council, seq + 1,
		     "newest rows missing: the chain ends before its head");
		return 0;
	}
	return 1;
}

int audit_verify(struct db_conn *c, struct audit_verify_result *res)
{
	memset(res, 0, sizeof(*res));
	res->ok = true;
	struct db_q *q;
	int rc = db_prepare(c, &st_all, &q);
	if (rc < 0)
		return rc;
	char council[32] = "";
	char prev[65] = GENESIS;
	int64_t expect = 1;
	int64_t chains = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *cc = nz(db_col_text(q, 0));
		if (strcmp(cc, council) != 0) {
			if (council[0]) {
				int h = check_head(c, council, expect - 1, prev,
						   res);
				if (h <= 0)
					return h;
			}
			snprintf(council, sizeof(council), "%s", cc);
			memcpy(prev, GENESIS, 65);
			expect = 1;
			chains++;
		}
		struct fields f = {
			council,
			db_col_i64(q, 1),
			nz(db_col_text(q, 2)),
			db_col_i64(q, 3),
			nz(db_col_text(q, 4)),
			nz(db_col_text(q, 5)),
			nz(db_col_text(q, 6)),
			nz(db_col_text(q, 7)),
			db_col_i64(q, 8),
			db_col_i64(q, 9),
			nz(db_col_text(q, 10)),
			nz(db_col_text(q, 11)),
			nz(db_col_text(q, 12)),
		};
		const char *stored = nz(db_col_text(q, 13));
		res->rows++;
		if (f.seq != expect) {
			fail(res, council, expect,
			     "row missing: sequence numbers are not contiguous");
			return 0;
		}
		if (strcmp(f.prev_hash, prev) != 0) {
			fail(res, council, f.seq,
			     "prev_hash does not match the row before");
			return 0;
		}
		char h[65];
		row_hash(&f, h);
		if (strcmp(h, stored) != 0) {
			fail(res, council, f.seq,
			     "hash does not match the row's contents");
			return 0;
		}
		memcpy(prev, h, 65);
		expect++;
	}
	if (rc < 0)
		return rc;
	if (council[0]) {
		int h = check_head(c, council, expect - 1, prev, res);
		if (h <= 0)
			return h;
		memcpy(res->head_hash, prev, 65);
	}
	/* a head without any rows means its whole chain was deleted */
	rc = db_prepare(c, &st_heads, &q);
	if (rc < 0)
		return rc;
	int64_t heads = 0;
	while ((rc = db_step(q)) == DB_ROW)
		heads++;
	if (rc < 0)
		return rc;
	if (heads != chains)
		fail(res, "", 0, "a head names a chain whose rows are all gone");
	return 0;
}

/* ---- group commit ---------------------------------------------------- */

#include "core/arena.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

/* A request waiting for its row: on its own stack, queued by pointer.
 * The committer sets rc and then posts `sem`, after which it never
 * touches the wait again (the request may already have returned). */
struct audit_wait {
	struct audit_event ev;
	char council[32], username[80], role[32], action[32], entity[32];
	char rid[40], ip[64];
	int rc;
	sem_t sem;
};

/* Each waiter sleeps on a semaphore of its own, posted by the committer
 * once its batch is over: a commit wakes exactly the requests of its
 * batch, and they need no lock to leave.  (With one condition variable
 * and a broadcast, every commit woke every waiter, those queued for the
 * next batch too, and they all fought for the mutex to go back to
 * sleep or to leave.) */
struct audit_batcher {
	struct db *db;
	struct db_conn *conn; /* its own for its whole life: never waits */
	pthread_t th;
	pthread_mutex_t mu;   /* guards q, n, cap, stop, batches, rows */
	pthread_cond_t cv_work;
	struct audit_wait **q;
	size_t n, cap;
	bool stop;
	uint64_t batches, rows;
};

static void copy_field(char *dst, size_t cap, const char *src, const char **out)
{
	snprintf(dst, cap, "%s", src ? src : "-");
	*out = dst;
}

static void *batcher_main(void *arg)
{
	struct audit_batcher *b = arg;
	struct audit_wait **batch = NULL;
	size_t bcap = 0;
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->n == 0 && !b->stop)
			pthread_cond_wait(&b->cv_work, &b->mu);
		if (b->n == 0 && b->stop)
			break;
		size_t n = b->n;
		if (bcap < n) {
			bcap = n * 2;
			batch = xrealloc(batch, bcap * sizeof(*batch));
		}
		memcpy(batch, b->q, n * sizeof(*batch));
		b->n = 0;
		pthread_mutex_unlock(&b->mu);

		struct db_conn *c = b->conn;
		int rc = db_begin(c, DB_TX_WRITE);
		for (size_t i = 0; rc == DB_OK && i < n; i++)
			rc = audit_append(c, &batch[i]->ev);
		if (rc == DB_OK)
			rc = db_commit(c);
		else
			db_rollback(c);

		/* count first: a waiter that has returned may read the
		 * counters at once (audit_batcher_stats) */
		pthread_mutex_lock(&b->mu);
		if (rc == DB_OK) {
			b->batches++;
			b->rows += n;
		}
		pthread_mutex_unlock(&b->mu);
		for (size_t i = 0; i < n; i++) {
			batch[i]->rc = rc;
			sem_post(&batch[i]->sem); /* batch[i] is gone now */
		}
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	free(batch);
	return NULL;
}

struct audit_batcher *audit_batcher_new(struct db *db)
{
	struct audit_batcher *b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->conn = db_acquire(db);
	db_set_role(b->conn, DB_ROLE_SYSTEM);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv_work, NULL);
	if (pthread_create(&b->th, NULL, batcher_main, b) != 0) {
		db_release(db, b->conn);
		pthread_mutex_destroy(&b->mu);
		pthread_cond_destroy(&b->cv_work);
		free(b);
		return NULL;
	}
	return b;
}

void audit_batcher_free(struct audit_batcher *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->th, NULL);
	db_release(b->db, b->conn);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv_work);
	free(b->q);
	free(b);
}

int audit_batcher_submit(struct audit_batcher *b, const struct audit_event *ev)
{
	struct audit_wait w;
	memset(&w, 0, sizeof(w));
	w.ev = *ev;
	copy_field(w.council, sizeof(w.council), ev->council, &w.ev.council);
	copy_field(w.username, sizeof(w.username), ev->username, &w.ev.username);
	copy_field(w.role, sizeof(w.role), ev->role, &w.ev.role);
	copy_field(w.action, sizeof(w.action), ev->action, &w.ev.action);
	copy_field(w.entity, sizeof(w.entity), ev->entity, &w.ev.entity);
	copy_field(w.rid, sizeof(w.rid), ev->request_id, &w.ev.request_id);
	copy_field(w.ip, sizeof(w.ip), ev->ip, &w.ev.ip);
	if (sem_init(&w.sem, 0, 0) != 0)
		return DB_EIO;
	pthread_mutex_lock(&b->mu);
	if (b->stop) {
		pthread_mutex_unlock(&b->mu);
		sem_destroy(&w.sem);
		return DB_EIO;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->q = xrealloc(b->q, b->cap * sizeof(*b->q));
	}
	b->q[b->n++] = &w;
	pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->mu);
	while (sem_wait(&w.sem) != 0 && errno == EINTR)
		;
	sem_destroy(&w.sem);
	return w.rc;
}

void audit_batcher_stats(struct audit_batcher *b, uint64_t *batches,
			 uint64_t *rows)
{
	pthread_mutex_lock(&b->mu);
	*batches = b->batches;
	*rows = b->rows;
	pthread_mutex_unlock(&b->mu);
}
