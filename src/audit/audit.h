/*
 * audit: the hash-chained audit log.
 *
 * Every read of a child's record and every write appends one row, in the
 * same transaction as the write it records (for a read, the audit row is
 * the write: the response is sent only after it commits).  Rows form one
 * chain per council: row n carries the hash of row n-1 (`prev_hash`) and
 * its own hash, SHA-256 over a length-prefixed encoding of every column.
 * The newest row's seq and hash are also kept in `audit_head`, updated
 * in the same transaction, so deleting the newest rows is detected too.
 *
 * What the chain proves: that no row was changed, removed or inserted
 * after the fact by someone who did not also recompute every later hash
 * and the head.  An attacker with write access to the file can do that;
 * anchoring the head elsewhere (`cairn audit verify` prints it) closes
 * that gap.  Rows never hold names, dates of birth or narrative: only
 * ids, the actor's username and role, the action and the entity.
 */
#ifndef CAIRN_AUDIT_H
#define CAIRN_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

struct audit_event {
	const char *council;
	int64_t user_id;        /* 0 for the command line */
	const char *username;   /* the actor; "system" for the command line */
	const char *role;       /* a role id, or "system" */
	const char *action;     /* "read", "create", "update", "decide" ... */
	const char *entity;     /* "child", "contact", "referral", "user" ... */
	int64_t entity_id;      /* 0 when none */
	int64_t child_id;       /* 0 when the event is not about a child */
	const char *request_id; /* "-" outside a request */
	const char *ip;         /* "-" outside a request */
};

/* Appends one row.  The connection must be inside a DB_TX_WRITE
 * transaction (the caller's), and its role must be allowed to run the
 * audit statements (every role is).  Returns 0, or a negative db_err;
 * on error the caller must roll back. */
int audit_append(struct db_conn *c, const struct audit_event *ev);

struct audit_row {
	int64_t seq;
	const char *at;
	int64_t user_id;
	const char *username;
	const char *role;
	const char *action;
	const char *entity;
	int64_t entity_id;
	int64_t child_id;
};

/* Calls cb for up to `limit` newest rows about one child, newest first.
 * The strings are valid only during the callback.  A non-zero return
 * from cb stops early and is returned.  Returns 0 or a negative db_err. */
int audit_child_rows(struct db_conn *c, const char *council, int64_t child_id,
		     int limit, int (*cb)(const struct audit_row *, void *),
		     void *arg);

struct audit_verify_result {
	bool ok;
	int64_t rows;          /* rows checked */
	char council[32];      /* where the first break is, when !ok */
	int64_t bad_seq;       /* the first broken row's seq (0: the head) */
	char reason[128];
	char head_hash[65];    /* newest hash of the last council checked */
};

/* Walks every council's chain.  Returns 0 (see res->ok) or a negative
 * db_err when the walk itself failed. */
int audit_verify(struct db_conn *c, struct audit_verify_result *res);

#endif

/*
 * Group commit for reads.  Showing a child's record must be audited
 * before the page is sent, and each audit commit costs an fsync; with
 * one commit a view, the disk's fsync rate caps how many records a
 * council can open per second.  The batcher collects the "read" rows of
 * concurrent requests and appends them in one write transaction (one
 * fsync), then wakes every request in the batch.  A request calls
 * audit_batcher_submit() after reading and before responding; it
 * returns only when its row is durable (0) or the batch failed (< 0:
 * the caller must not show the data).
 *
 * Writes do not use the batcher: their audit row goes in the same
 * transaction as the change (audit_append).
 */
struct audit_batcher;

/* Starts the committer thread, which keeps one connection of db's pool
 * for its whole life (so it never waits behind the requests it would
 * wake).  Returns NULL only when the thread cannot start. */
struct audit_batcher *audit_batcher_new(struct db *db);

/* Commits what is queued, stops the thread, frees.  NULL is a no-op. */
void audit_batcher_free(struct audit_batcher *b);

/* Queues ev (copied) and waits until it is committed.  Returns 0, or a
 * negative db_err when its batch could not be committed. */
int audit_batcher_submit(struct audit_batcher *b, const struct audit_event *ev);

/* Batches committed so far and rows in them (for /metrics). */
void audit_batcher_stats(struct audit_batcher *b, uint64_t *batches,
			 uint64_t *rows);
