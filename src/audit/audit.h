/*
 * audit: the hash-chained audit log.
 *
 * Every read of a child's record and every write appends one row, in the
 * same transaction as the write it records (for a read, the audit row is
 * the write: the response is sent only after it commits).  Rows form one
 * chain per council: row n carries the hash of row n-1 (`prev_hash`) and
 * its own hash over every column.
 *
 * The chain (version 2, docs/decisions.md D21):
 *  - It starts with a genesis row (seq 0, action "genesis", entity
 *    "council", prev_hash all zeros), written by audit_genesis() in the
 *    transaction that creates the council.  So a council with no rows is
 *    an emptied chain, not a quiet one.
 *  - `audit_head` names the newest row: its seq, the count of rows, that
 *    row's hash, and a head hash, SHA-256 over (council, seq, count, row
 *    hash) under its own domain tag.  It is rewritten in the same
 *    transaction as each row, so dropping the newest rows is caught, and
 *    pointing the head back at an older row needs hashing, not a copy.
 *  - Row hash v2: SHA-256 over the domain tag "cairn-audit-v2", the hash
 *    version, then every column in a fixed order, each with a type tag:
 *    text as 'S' + 8-byte length + bytes, integer as 'I' + 8 bytes, and
 *    absent (SQL NULL) as 'N'.  A stored 0 and a NULL hash differently.
 *  - Integer fields of an event (user_id, entity_id, child_id, status)
 *    are absent when 0: audit_append stores NULL, and the hash says
 *    absent.  A stored 0 never comes from audit_append.
 *  - Each row records its hash version in `hv`.  Rows written before
 *    schema version 3 are hv 1: the v1 encoding (length-prefixed, NULL
 *    read as 0, no status) is still verified for them.  A v1 row after a
 *    v2 row is an error.  A legacy chain starts at seq 1 with hv 1 and
 *    needs no genesis row; any chain whose first row is v2 must start
 *    with the genesis row.  A legacy head (no count, no head hash) is
 *    accepted only while the chain's newest row is v1.
 *
 * What the chain proves: that no row was changed, removed or inserted,
 * and no council's chain emptied, by someone who did not also recompute
 * every later hash and the head.  Someone with write access to the file
 * can do that; an anchor kept elsewhere (`cairn audit anchor`, then
 * `verify --anchor`) catches it: rewriting or truncating anything at or
 * below an anchored row changes that row's hash.  Rows never hold names,
 * dates of birth or narrative: only ids, the actor's username and role,
 * the action, the entity and the outcome.
 */
#ifndef CAIRN_AUDIT_H
#define CAIRN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* For the integer fields, 0 means "not applicable" and is stored as NULL
 * (see the rule above). */
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
	int status;             /* the request's outcome, HTTP-like: 200
				 * shown, 403 refused, 404 not found; 0 for
				 * events that are not a request.  Values
				 * outside 100..599 are stored as absent. */
	/* A list shown (search results, a queue): the children it showed,
	 * nchildren of them (0: not a list).  They are kept in the row
	 * (the `children` column, in the hash) and indexed in audit_seen,
	 * so a child's viewers include whoever saw it in a list; child_id
	 * is then 0.  Duplicates are dropped; at most AUDIT_LIST_MAX. */
	const int64_t *children;
	int nchildren;
};

#define AUDIT_LIST_MAX 2000

/* Appends one row.  The connection must be inside a DB_TX_WRITE
 * transaction (the caller's), and its role must be allowed to run the
 * audit statements (every role is).  Any number of rows may be appended
 * in one transaction: each reads the head the previous one wrote.
 * Returns 0, or a negative db_err; on error the caller must roll back.
 * A council with no head gets a row at seq 1 and no genesis: verify
 * reports that chain as broken (councils are made with audit_genesis). */
int audit_append(struct db_conn *c, const struct audit_event *ev);

/* Appends evs[0..n) in order, as n calls of audit_append would, but
 * reads and writes each council's head once for each run of events of
 * that council rather than once a row (the group commit's many rows).
 * Same contract otherwise. */
int audit_append_many(struct db_conn *c, const struct audit_event *evs,
		      size_t n);

/* Starts council's chain with its genesis row and head.  Call it in the
 * transaction that inserts the council row, and only when that insert
 * added a row.  Returns 0; DB_ECONSTRAINT when the council already has a
 * head (its chain exists); DB_EIO outside a write transaction; or another
 * negative db_err (the caller must roll back). */
int audit_genesis(struct db_conn *c, const char *council);

struct audit_row {
	int64_t seq;
	const char *at;
	int64_t user_id;        /* 0 when absent */
	const char *username;
	const char *role;
	const char *action;
	const char *entity;
	int64_t entity_id;      /* 0 when absent */
	int64_t child_id;
	int status;             /* 0 when absent */
};

/* Calls cb for up to `limit` newest rows about one child, newest first,
 * that are older than before_seq (0: from the newest).
 * The strings are valid only during the callback.  A non-zero return
 * from cb stops early and is returned.  Returns 0 or a negative db_err. */
int audit_child_rows(struct db_conn *c, const char *council, int64_t child_id,
		     int64_t before_seq, int limit,
		     int (*cb)(const struct audit_row *, void *), void *arg);

/* The encodings, exported so that tests (and an auditor's own tool) can
 * recompute a chain.  Text fields may not be NULL; `has_*` false means
 * the integer is absent (SQL NULL).  out gets 64 lower-case hex digits. */
struct audit_hash_input {
	int hv;                 /* 1 or 2 */
	const char *council;
	int64_t seq;
	const char *at;
	bool has_user_id, has_entity_id, has_child_id, has_status;
	int64_t user_id;
	const char *username;
	const char *role;
	const char *action;
	const char *entity;
	int64_t entity_id;
	int64_t child_id;
	const char *children;   /* NULL when absent; not in the v1 hash */
	int64_t status;         /* not in the v1 hash */
	const char *request_id;
	const char *ip;
	const char *prev_hash;
};
void audit_row_hash(const struct audit_hash_input *in, char out[65]);
void audit_head_hash(const char *council, int64_t seq, int64_t count,
		     const char *row_hash, char out[65]);

/* An anchor: a council's row recorded outside the database. */
struct audit_anchor {
	char council[32];
	int64_t seq;            /* the anchored row */
	int64_t count;          /* rows up to and including it */
	char hash[65];          /* its row hash */
};

/* Parses an anchor file: '#' comments and blank lines, then one line a
 * council: "CODE SEQ COUNT HASH", separated by spaces or tabs.  Returns
 * 0 with *out (malloc'd; the caller frees it with free()) and *n >= 1,
 * or -1 with *out untouched and "line N: why" in err. */
int audit_anchor_parse(const char *text, size_t len,
		       struct audit_anchor **out, size_t *n, char *err,
		       size_t errlen);

/* One council's chain as verify found it (passed to the callback). */
struct audit_chain {
	char council[32];
	bool ok;
	int64_t rows;           /* rows walked, genesis included */
	int64_t head_seq;       /* the newest row (-1: none) */
	char hash[65];          /* that row's hash ("" when none) */
	int64_t bad_seq;        /* when !ok: the first bad row, or -1 when
				 * the fault is the chain as a whole or its
				 * head */
	char reason[128];       /* when !ok */
	const struct audit_anchor *anchor; /* the one checked, or NULL */
};

struct audit_verify_result {
	bool ok;
	int64_t rows;          /* rows checked, every council */
	int64_t councils;      /* chains reported */
	char council[32];      /* the first broken council, when !ok */
	int64_t bad_seq;       /* its first bad row, -1: chain or head */
	char reason[128];
};

/* Verifies every council's chain against the council table: each
 * council must have rows starting at genesis (or a legacy start), every
 * row's links and hash, and a head naming the newest row with the right
 * count and head hash; rows or a head for a council that does not
 * exist are an error too.  With `only` non-NULL, only that council is
 * read and checked (for a council's administrator).  Each anchor must
 * name an existing council whose chain reaches the anchored seq with
 * the anchored count and hash.  cb (may be NULL) is called once a
 * council, in council order, after its checks.  Returns 0 (see res->ok)
 * or a negative db_err when the walk itself failed. */
int audit_verify_chains(struct db_conn *c, const char *only,
			const struct audit_anchor *anchors, size_t nanchors,
			void (*cb)(const struct audit_chain *, void *),
			void *arg, struct audit_verify_result *res);

/* audit_verify_chains over every council, with no anchors and no
 * callback. */
int audit_verify(struct db_conn *c, struct audit_verify_result *res);

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

/* Queues n events (not copied: the caller waits, so they stay valid)
 * to be committed together in one batch, and waits.  Returns 0 when all
 * are durable, or a negative db_err when none is. */
int audit_batcher_submit_many(struct audit_batcher *b,
			      const struct audit_event *evs, size_t n);

/* Batches committed so far and rows in them (for /metrics). */
/* Queues n events to be committed together in one batch, without
 * waiting: the committer calls done(arg, rc) once the batch is over (rc
 * 0: all durable; a negative db_err: none is), from its own thread.
 * The events (and what they point to) must stay valid until then.
 * Returns 0 (done will be called exactly once), or DB_EIO when the
 * batcher is stopping (done is not called).  For a server that answers
 * a request only once its reads are audited, without a thread waiting
 * meanwhile (docs/decisions.md D58). */
int audit_batcher_submit_async(struct audit_batcher *b,
			       const struct audit_event *evs, size_t n,
			       void (*done)(void *arg, int rc), void *arg);

void audit_batcher_stats(struct audit_batcher *b, uint64_t *batches,
			 uint64_t *rows);

#endif
