/*
 * actor: who is acting and when, passed to every domain call, and the
 * "own or joined" transaction and audit helpers every module shares.
 *
 * Who: the council (every statement filters by it), the user (0 and
 * "system" for the command line and jobs), the role id, for a partner the
 * organisation (the row-level rule: domain/visibility), the request id
 * and client address for the audit.  When: `now`, UTC seconds, injected:
 * the request pipeline takes it once per request from the server's clock
 * (rules/uktime.h uk_clock_now), the command line from --today or the
 * clock, tests fix it.  `today` and `civil` are `now` in UK civil time
 * (rules/uktime.h), worked out once by actor_at(); no domain code reads a
 * clock or converts a time zone itself.
 *
 * Field names match struct audit_event's, so act_audit() is a copy.
 * Strings are borrowed for the life of the actor.
 *
 * Transactions ("own or joined").  tx_begin opens a DB_TX_WRITE
 * transaction unless the connection is in one (then it joins, *own
 * false); tx_end commits an own transaction when rc is ERR_OK and rolls
 * it back otherwise, and returns the final code.  A joined caller commits
 * or rolls back itself.
 */
#ifndef CAIRN_ACTOR_H
#define CAIRN_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "rules/calendar.h"

struct db_conn;
struct audit_event;

struct actor {
	const char *council;
	int64_t user_id;        /* 0 for the command line */
	const char *username;   /* "system" for the command line */
	const char *role;       /* a role id (auth/role.h), or "system" */
	bool partner;           /* the partner row-level rule applies */
	int64_t org_id;         /* the partner's organisation; 0 otherwise */
	const char *request_id; /* "-" outside a request, "cli" */
	const char *ip;         /* "-" outside a request */
	int64_t now;            /* UTC seconds since 1970 */
	struct cal_date today;  /* the civil date in England at now */
	struct cal_time civil;  /* the civil time in England at now */
	int status;             /* the outcome written in audit rows of
				 * this actor's acting: 200 (done as
				 * asked) in a request, 0 outside one */
	/* Where the audit row of a read goes (act_audit_shown, D57).  NULL
	 * (the command line, jobs, tests): in the caller's write
	 * transaction.  Set by the web: audit_read(audit_arg, ev) makes ev
	 * durable before it returns 0, through the server's group commit
	 * (audit/audit.h), so a list read takes no write transaction of
	 * its own and concurrent reads share one commit. */
	int (*audit_read)(void *audit_arg, const struct audit_event *ev);
	void *audit_arg;
};

/* Sets now, and today and civil from it. */
void actor_at(struct actor *a, int64_t now);

/* An actor for the command line or a job: council, user 0 "system",
 * request id "cli", address "-", at now. */
struct actor actor_system(const char *council, int64_t now);

/* The audit event of a's acting: action, entity and ids set, status 0,
 * no list. */
void act_event(const struct actor *a, const char *action, const char *entity,
	       int64_t entity_id, int64_t child_id, struct audit_event *ev);

/* Appends that event in c's open transaction (audit/audit.h).  Returns
 * ERR_OK or a negative enum err (the caller rolls back). */
int act_audit(struct db_conn *c, const struct actor *a, const char *action,
	      const char *entity, int64_t entity_id, int64_t child_id);

/* Audits a list of n rows shown to a: one ("list", entity) row naming
 * every child the rows are about, so "who has viewed this record"
 * includes everyone who saw the child's name in a list.  The child ids
 * are int64_t at byte `child_off` of each row, rows `stride` bytes
 * apart (0 ids are left out).  Returns ERR_OK or a negative enum err. */
int act_audit_list(struct db_conn *c, const struct actor *a,
		   const char *entity, const void *rows, size_t stride,
		   size_t child_off, int n);

/* act_audit_list for a read: through a->audit_read when set (c needs no
 * transaction; the row is durable when this returns ERR_OK), else
 * act_audit_list in c's open write transaction. */
int act_audit_shown(struct db_conn *c, const struct actor *a,
		    const char *entity, const void *rows, size_t stride,
		    size_t child_off, int n);

/* "Own or joined" transactions: see the contract. */
int tx_begin(struct db_conn *c, bool *own);
int tx_end(struct db_conn *c, bool own, int rc);

/* Ends a write begun with tx_begin: when rc is ERR_OK, first appends the
 * audit row of a's acting (act_audit), so that the row is in the same
 * transaction as the change; then tx_end(c, own, rc).  Returns the final
 * code: rc when it was not ERR_OK, else the audit's or the commit's. */
int tx_end_audit(struct db_conn *c, bool own, int rc, const struct actor *a,
		 const char *action, const char *entity, int64_t entity_id,
		 int64_t child_id);

/* now as 'YYYY-MM-DDTHH:MM:SSZ' (UTC): the machine form in rows. */
void act_stamp(const struct actor *a, char out[21]);

#endif
