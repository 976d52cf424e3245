/* throttle.c: see throttle.h. */
#include "auth/throttle.h"
#include "core/arena.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define THROTTLE_MAX_KEYS ((size_t)1 << 24)

struct throttle_entry {
	uint64_t h;          /* keyed hash of the key */
	time_t first;        /* first failure of the current window */
	time_t last;         /* last activity, for eviction */
	time_t locked_until; /* 0 = never locked */
	int failures;        /* in the current window */
	int pending;         /* attempts reserved and not yet settled */
	bool used;
};

struct throttle {
	pthread_mutex_t mu;
	int max_failures;
	int window;
	int lockout;
	size_t max_keys;
	size_t count;  /* used slots, <= max_keys */
	size_t mask;   /* slots - 1; slots is a power of two > max_keys */
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct throttle_entry *slot;
	bool store; /* counted in the store (throttle_use_store) */
};

struct throttle *throttle_new(int max_failures, int window_seconds,
			      int lockout_seconds, size_t max_keys)
{
	if (max_failures < 1 || window_seconds < 1 || lockout_seconds < 1 ||
	    max_keys < 1 || max_keys > THROTTLE_MAX_KEYS)
		return NULL;
	if (sodium_init() < 0)
		return NULL;
	size_t slots = 8;
	while (slots < max_keys * 2)
		slots <<= 1;
	struct throttle *t = xcalloc(1, sizeof(*t));
	pthread_mutex_init(&t->mu, NULL);
	t->max_failures = max_failures;
	t->window = window_seconds;
	t->lockout = lockout_seconds;
	t->max_keys = max_keys;
	t->mask = slots - 1;
	t->slot = xcalloc(slots, sizeof(*t->slot));
	randombytes_buf(t->key, sizeof(t->key));
	return t;
}

void throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	sodium_memzero(t->key, sizeof(t->key));
	free(t->slot);
	free(t);
}

static uint64_t key_hash(const struct throttle *t, const char *key)
{
	unsigned char out[crypto_shorthash_BYTES];
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), t->key);
	uint64_t h;
	memcpy(&h, out, sizeof(h));
	return h;
}

/* The slot holding h, or the empty slot where it would go.  Terminates
 * because count < number of slots. */
static size_t find_slot(const struct throttle *t, uint64_t h)
{
	size_t i = (size_t)h & t->mask;
	while (t->slot[i].used && t->slot[i].h != h)
		i = (i + 1) & t->mask;
	return i;
}

/* Deletes slot i, shifting later entries of the probe run back so that
 * lookups never stop early at the hole (no tombstones). */
static void remove_slot(struct throttle *t, size_t i)
{
	t->slot[i].used = false;
	t->count--;
	size_t j = i;
	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slot[j].used)
			return;
		size_t home = (size_t)t->slot[j].h & t->mask;
		/* the entry at j may stay if its home lies cyclically in
		 * (i, j] */
		bool stays = i <= j ? (i < home && home <= j)
				    : (i < home || home <= j);
		if (stays)
			continue;
		t->slot[i] = t->slot[j];
		t->slot[j].used = false;
		i = j;
	}
}

/* Evicts one entry: the least recently seen, preferring entries that
 * are not locked out at `now`. */
static void evict_one(struct throttle *t, time_t now)
{
	size_t best = SIZE_MAX;
	bool best_locked = true;
	for (size_t i = 0; i <= t->mask; i++) {
		const struct throttle_entry *e = &t->slot[i];
		if (!e->used)
			continue;
		bool locked = e->locked_until > now || e->pending > 0;
		if (best == SIZE_MAX || (best_locked && !locked) ||
		    (best_locked == locked && e->last < t->slot[best].last)) {
			best = i;
			best_locked = locked;
		}
	}
	if (best != SIZE_MAX)
		remove_slot(t, best);
}

static bool stale(const struct throttle *t, const struct throttle_entry *e,
		  time_t now)
{
	return e->locked_until <= now && e->pending == 0 &&
	       (e->failures == 0 || now - e->first >= t->window);
}

bool throttle_allowed(struct throttle *t, const char *key, time_t now,
		      int *retry_after)
{
	uint64_t h = key_hash(t, key);
	bool ok = true;
	int wait = 0;
	pthread_mutex_lock(&t->mu);
	size_t i = find_slot(t, h);
	struct throttle_entry *e = &t->slot[i];
	if (e->used) {
		if (e->locked_until > now) {
			ok = false;
			time_t left = e->locked_until - now;
			wait = left > t->lockout ? t->lockout : (int)left;
		} else if (stale(t, e, now)) {
			remove_slot(t, i);
		}
	}
	pthread_mutex_unlock(&t->mu);
	if (retry_after != NULL)
		*retry_after = wait;
	return ok;
}

/* The entry for h, made (evicting when full) if it is not there.
 * Caller holds the mutex. */
static struct throttle_entry *entry_get(struct throttle *t, uint64_t h,
					time_t now)
{
	size_t i = find_slot(t, h);
	if (!t->slot[i].used) {
		if (t->count >= t->max_keys) {
			evict_one(t, now);
			i = find_slot(t, h);
		}
		t->slot[i] = (struct throttle_entry){.h = h, .used = true};
		t->count++;
	}
	return &t->slot[i];
}

/* Forgets failures whose window has passed.  Caller holds the mutex. */
static void window_expire(const struct throttle *t, struct throttle_entry *e,
			  time_t now)
{
	if (e->failures > 0 && now - e->first >= t->window)
		e->failures = 0;
}

/* Counts one failure into e.  Caller holds the mutex. */
static void count_failure(struct throttle *t, struct throttle_entry *e,
			  time_t now)
{
	e->last = now;
	if (e->locked_until > now)
		return;
	window_expire(t, e, now);
	if (e->failures == 0)
		e->first = now;
	if (++e->failures >= t->max_failures) {
		e->locked_until = now + t->lockout;
		e->failures = 0;
	}
}

void throttle_failure(struct throttle *t, const char *key, time_t now)
{
	uint64_t h = key_hash(t, key);
	pthread_mutex_lock(&t->mu);
	count_failure(t, entry_get(t, h, now), now);
	pthread_mutex_unlock(&t->mu);
}

bool throttle_reserve(struct throttle *t, const char *key, time_t now,
		      int *retry_after)
{
	uint64_t h = key_hash(t, key);
	bool ok = false;
	int wait = 0;
	pthread_mutex_lock(&t->mu);
	struct throttle_entry *e = entry_get(t, h, now);
	e->last = now;
	if (e->locked_until > now) {
		time_t left = e->locked_until - now;
		wait = left > t->lockout ? t->lockout : (int)left;
		goto out_unlock;
	}
	window_expire(t, e, now);
	/* every attempt still being checked may yet be a failure: together
	 * with the failures already counted they may not pass the limit */
	if (e->failures + e->pending >= t->max_failures) {
		wait = 1;
		goto out_unlock;
	}
	e->pending++;
	ok = true;
out_unlock:
	pthread_mutex_unlock(&t->mu);
	if (retry_after != NULL)
		*retry_after = wait;
	return ok;
}

void throttle_settle(struct throttle *t, const char *key, time_t now,
		     enum throttle_outcome outcome)
{
	uint64_t h = key_hash(t, key);
	pthread_mutex_lock(&t->mu);
	size_t i = find_slot(t, h);
	struct throttle_entry *e = t->slot[i].used ? &t->slot[i] : NULL;
	if (e != NULL && e->pending > 0)
		e->pending--;
	switch (outcome) {
	case THROTTLE_FAILED:
		/* an evicted entry starts again with this failure */
		count_failure(t, e ? e : entry_get(t, h, now), now);
		break;
	case THROTTLE_SUCCEEDED:
		if (e != NULL && e->pending == 0)
			remove_slot(t, i);
		else if (e != NULL)
			e->failures = 0;
		break;
	case THROTTLE_UNUSED:
	case THROTTLE__MAX:
		break;
	}
	pthread_mutex_unlock(&t->mu);
}

void throttle_success(struct throttle *t, const char *key)
{
	uint64_t h = key_hash(t, key);
	pthread_mutex_lock(&t->mu);
	size_t i = find_slot(t, h);
	if (t->slot[i].used)
		remove_slot(t, i);
	pthread_mutex_unlock(&t->mu);
}

size_t throttle_count(struct throttle *t)
{
	pthread_mutex_lock(&t->mu);
	size_t n = t->count;
	pthread_mutex_unlock(&t->mu);
	return n;
}

/* ---- in the store (D6, D43) ------------------------------------------- */

#include "auth/role.h"
#include "db/db.h"

#include <stdio.h>

DB_STMT(st_thr_get) = {
	"throttle_get",
	"SELECT first_at, failures, pending, pending_at, locked_until"
	" FROM login_throttle WHERE council = ?1 AND key_hash = ?2",
	DB_ROLE_AUTH,
};
DB_STMT(st_thr_put) = {
	"throttle_put",
	"INSERT INTO login_throttle (council, key_hash, first_at, failures,"
	" pending, pending_at, locked_until, seen_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	" ON CONFLICT (council, key_hash) DO UPDATE SET"
	" first_at = excluded.first_at, failures = excluded.failures,"
	" pending = excluded.pending, pending_at = excluded.pending_at,"
	" locked_until = excluded.locked_until, seen_at = excluded.seen_at",
	DB_ROLE_AUTH,
};
DB_STMT(st_thr_del) = {
	"throttle_del",
	"DELETE FROM login_throttle WHERE council = ?1 AND key_hash = ?2",
	DB_ROLE_AUTH,
};
/* rows nobody has touched for a day (locked out or not, every lockout
 * and window is shorter) */
DB_STMT(st_thr_purge) = {
	"throttle_purge",
	"DELETE FROM login_throttle WHERE council = ?1 AND seen_at < ?2",
	DB_ROLE_AUTH,
};

#define PURGE_AFTER (24 * 3600)

int throttle_use_store(struct throttle *t, const void *secret, size_t n)
{
	if (n < 16)
		return -1;
	static const char ctx[] = "cairn login_throttle key v1";
	pthread_mutex_lock(&t->mu);
	crypto_generichash(t->key, sizeof(t->key), (const unsigned char *)ctx,
			   sizeof(ctx) - 1, secret, n > 64 ? 64 : n);
	t->store = true;
	pthread_mutex_unlock(&t->mu);
	return 0;
}

/* The row's key: the keyed hash in hex (no personal data, D6). */
static void store_hash(const struct throttle *t, const char *key,
		       char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)key_hash(t, key));
}

/* Reads key's row into e (zeroed when there is none), in c's open
 * transaction.  Returns 0 or a negative db_err. */
static int store_get(struct db_conn *c, const char *h, time_t now,
		     struct throttle_entry *e)
{
	struct db_q *q;
	*e = (struct throttle_entry){.h = 0};
	int rc = db_exec(c, &st_thr_get, &q, THROTTLE_COUNCIL, h);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW) {
		e->used = true;
		e->first = (time_t)db_col_i64(q, 0);
		e->failures = (int)db_col_i64(q, 1);
		e->pending = (int)db_col_i64(q, 2);
		time_t pending_at = (time_t)db_col_i64(q, 3);
		e->locked_until = (time_t)db_col_i64(q, 4);
		/* a reservation its process never settled (it died) */
		if (now - pending_at > THROTTLE_PENDING_TTL)
			e->pending = 0;
		e->last = pending_at;
		db_done(q);
	}
	return DB_OK;
}

static int store_put(struct db_conn *c, const char *h, time_t now,
		     const struct throttle_entry *e)
{
	int rc = db_exec(c, &st_thr_put, NULL, THROTTLE_COUNCIL, h,
			 (int64_t)e->first, e->failures, e->pending,
			 (int64_t)e->last, (int64_t)e->locked_until,
			 (int64_t)now);
	return rc < 0 ? rc : DB_OK;
}

/* Runs fn in a write transaction of its own on c acting for the
 * throttle's pseudo-council; puts c's council back.  The caller puts
 * its role back (db.h has no getter: the callers set theirs after). */
static int in_store(struct db_conn *c,
		    int (*fn)(struct throttle *, struct db_conn *,
			      const char *, time_t, void *),
		    struct throttle *t, const char *h, time_t now, void *arg)
{
	char council[32];
	snprintf(council, sizeof(council), "%s", db_council(c));
	db_set_role(c, DB_ROLE_AUTH);
	db_set_council(c, THROTTLE_COUNCIL);
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc == DB_OK)
		rc = fn(t, c, h, now, arg);
	if (rc >= 0)
		rc = db_commit(c);
	else
		db_rollback(c);
	db_set_council(c, council);
	return rc;
}

struct reserve_out {
	int ok;
	int wait;
};

static int reserve_tx(struct throttle *t, struct db_conn *c, const char *h,
		      time_t now, void *arg)
{
	struct reserve_out *out = arg;
	struct throttle_entry e;
	int rc = store_get(c, h, now, &e);
	if (rc < 0)
		return rc;
	if (e.locked_until > now) {
		time_t left = e.locked_until - now;
		out->wait = left > t->lockout ? t->lockout : (int)left;
		return DB_OK;
	}
	window_expire(t, &e, now);
	if (e.failures + e.pending >= t->max_failures) {
		out->wait = 1;
		return DB_OK;
	}
	e.pending++;
	e.last = now; /* pending_at */
	out->ok = 1;
	return store_put(c, h, now, &e);
}

int throttle_reserve_db(struct throttle *t, struct db_conn *c,
			const char *key, time_t now, int *retry_after)
{
	if (!t->store)
		return throttle_reserve(t, key, now, retry_after) ? 1 : 0;
	char h[17];
	store_hash(t, key, h);
	struct reserve_out out = {0, 0};
	int rc = in_store(c, reserve_tx, t, h, now, &out);
	if (retry_after != NULL)
		*retry_after = rc < 0 ? 1 : out.wait;
	return rc < 0 ? rc : out.ok;
}

static int settle_tx(struct throttle *t, struct db_conn *c, const char *h,
		     time_t now, void *arg)
{
	enum throttle_outcome outcome = *(enum throttle_outcome *)arg;
	struct throttle_entry e;
	int rc = store_get(c, h, now, &e);
	if (rc < 0)
		return rc;
	if (e.pending > 0)
		e.pending--;
	switch (outcome) {
	case THROTTLE_FAILED:
		count_failure(t, &e, now);
		/* count_failure set e.last to now: pending_at stays now,
		 * which only delays a dead process's reservation expiring */
		break;
	case THROTTLE_SUCCEEDED:
		if (e.pending == 0) {
			rc = db_exec(c, &st_thr_del, NULL, THROTTLE_COUNCIL, h);
			return rc < 0 ? rc : DB_OK;
		}
		e.failures = 0;
		break;
	case THROTTLE_UNUSED:
	case THROTTLE__MAX:
		if (!e.used)
			return DB_OK;
		break;
	}
	if ((rc = store_put(c, h, now, &e)) < 0)
		return rc;
	if (outcome == THROTTLE_FAILED) {
		rc = db_exec(c, &st_thr_purge, NULL, THROTTLE_COUNCIL,
			     (int64_t)(now - PURGE_AFTER));
		if (rc < 0)
			return rc;
	}
	return DB_OK;
}

int throttle_settle_db(struct throttle *t, struct db_conn *c,
		       const char *key, time_t now,
		       enum throttle_outcome outcome)
{
	if (!t->store) {
		throttle_settle(t, key, now, outcome);
		return DB_OK;
	}
	char h[17];
	store_hash(t, key, h);
	return in_store(c, settle_tx, t, h, now, &outcome);
}
