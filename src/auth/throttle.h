/*
 * throttle: in-memory sign-in throttling.
 *
 * Counts failed sign-ins per key (callers use "u:<username>" and
 * "a:<ip address>") and locks a key out for a while after too many.
 * Rule: when max_failures failures fall within window_seconds of the
 * first of them, the key is refused for lockout_seconds; then its count
 * starts again from zero.  A success forgets the key.
 *
 * The state below is per process; the _db functions at the end keep
 * it in the store instead, for several server processes (D6, D43).
 *
 * Memory is fixed at throttle_new(): an open-addressing table that holds
 * at most max_keys keys (it has at least twice as many slots, so probing
 * stays short).  Keys are not stored, only a keyed 64-bit hash of each
 * (SipHash, crypto_shorthash, with a random key per throttle), so the
 * table holds no personal data and an outsider cannot aim collisions.
 * When it is full a new key evicts the entry seen longest ago, preferring
 * entries that are not locked out (so a flood of new keys cannot easily
 * push out a lockout).
 *
 * Thread-safe: every call takes the throttle's mutex.  libsodium must be
 * initialised first (password_init).
 */
#ifndef CAIRN_THROTTLE_H
#define CAIRN_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct throttle;

/* Returns a new throttle (free with throttle_free), or NULL when an
 * argument is out of range: max_failures, window_seconds and
 * lockout_seconds must be >= 1, and max_keys between 1 and 2^24.
 * Aborts on OOM. */
struct throttle *throttle_new(int max_failures, int window_seconds,
			      int lockout_seconds, size_t max_keys);

/* Frees the throttle.  throttle_free(NULL) is a no-op. */
void throttle_free(struct throttle *t);

/* True when the key may try to sign in at `now` (*retry_after set to 0);
 * false while it is locked out, with *retry_after set to the whole
 * seconds left (>= 1).  retry_after may be NULL.  Does not record
 * anything for an unknown key. */
bool throttle_allowed(struct throttle *t, const char *key, time_t now,
		      int *retry_after);

/* Records a failed attempt for key at `now`, starting a lockout when it
 * is the max_failures-th within the window.  Failures during a lockout
 * are ignored (they neither extend nor count towards the next one). */
void throttle_failure(struct throttle *t, const char *key, time_t now);

/*
 * Reserving an attempt.  Checking a password is slow (Argon2id), so
 * parallel attempts for one key would all pass a check made before the
 * hash and counted after it.  A caller instead reserves the attempt
 * before the hash and settles it after: an attempt in progress counts
 * as a possible failure, so no more than max_failures attempts are ever
 * checked for a key in one window, however many arrive at once.
 */
enum throttle_outcome {
	THROTTLE_FAILED,    /* the attempt failed: counts as a failure */
	THROTTLE_SUCCEEDED, /* it succeeded: the key's failures are forgotten */
	THROTTLE_UNUSED,    /* it was not made (another key refused it) */
	THROTTLE__MAX
};

/* True, and one attempt reserved for key, when the key is not locked
 * out and its failures plus its attempts in progress are below
 * max_failures.  False otherwise, with *retry_after the whole seconds
 * to wait (1 when only attempts in progress stand in the way).
 * Every true must be followed by exactly one throttle_settle. */
bool throttle_reserve(struct throttle *t, const char *key, time_t now,
		      int *retry_after);

/* Ends a reserved attempt with its outcome. */
void throttle_settle(struct throttle *t, const char *key, time_t now,
		     enum throttle_outcome outcome);

/* Forgets the key (successful sign-in).  Unknown keys are ignored. */
void throttle_success(struct throttle *t, const char *key);

/* The number of keys tracked now (never more than max_keys); for
 * metrics and tests. */
size_t throttle_count(struct throttle *t);

/*
 * In the store (D6, D43): several server processes on one store share
 * their counts, so a lockout made through one holds in all.  The same
 * rule and the same reserve-then-settle contract as above, kept in the
 * table login_throttle under the pseudo-council THROTTLE_COUNCIL (the
 * key is known before the council), one row per key holding a keyed
 * hash of the key, never the key.  The hash key must be the same in
 * every process: throttle_use_store derives it from a secret every
 * process has (the server's key file).  A reservation whose process
 * died is forgotten after THROTTLE_PENDING_TTL seconds.  Each call is
 * one write transaction of its own on c (which must not be in one),
 * acting for THROTTLE_COUNCIL: it leaves c's role DB_ROLE_AUTH and puts
 * c's council back.  The in-memory table above is not used
 * for keys counted in the store.
 */
#define THROTTLE_COUNCIL "-"
#define THROTTLE_PENDING_TTL 120

struct db_conn;

/* Counts t's keys in the store from now on, hashed with a key derived
 * from secret (n bytes, at least 16).  Returns 0, or -1 when secret is
 * too short (nothing changed). */
int throttle_use_store(struct throttle *t, const void *secret, size_t n);

/* throttle_reserve in the store: 1 (reserved), 0 (refused, with
 * *retry_after as throttle_reserve sets it) or a negative db_err (the
 * store failed: nothing reserved; the caller refuses the attempt).
 * Without throttle_use_store, the in-memory throttle_reserve. */
int throttle_reserve_db(struct throttle *t, struct db_conn *c,
			const char *key, time_t now, int *retry_after);

/* throttle_settle in the store.  Returns 0 or a negative db_err. */
int throttle_settle_db(struct throttle *t, struct db_conn *c,
		       const char *key, time_t now,
		       enum throttle_outcome outcome);

#endif
