/*
 * session: server-side sign-in sessions for the web pages.
 *
 * A session is a row keyed by token_hash(cookie token); the token itself
 * is returned once, to be set as the cookie, and never stored.  Each
 * session carries its own CSRF token (stored in clear: it is not a
 * credential on its own, and pages must embed it), compared with
 * token_equal().  A session ends after `idle` seconds without a request
 * or `absolute` seconds after sign-in, whichever comes first:
 * it is expired when now - seen_at >= idle or now - created_at >=
 * absolute.  Times are epoch seconds passed in by the caller, so tests
 * control the clock.
 *
 * Roles: every statement here allows DB_ROLE_AUTH | DB_ROLE_SYSTEM; the
 * caller sets one of them on the connection.  Any other role gets
 * DB_EDENIED.
 *
 * Transactions: each function is a single statement or a read followed
 * by a best-effort single-statement write, so it is atomic on its own
 * and needs no transaction; when the caller has a *write* transaction
 * open the writes join it.  Do not call session_lookup inside a read
 * transaction (its refresh write could fail; the lookup still answers).
 *
 * Errors: negative enum db_err from db.h.  Sessions of a disabled user
 * are never valid (user_set_disabled also deletes them).
 * Nothing here logs tokens, hashes or user names.
 */
#ifndef CAIRN_SESSION_H
#define CAIRN_SESSION_H

#include <stdint.h>

#include "auth/token.h"
#include "db/db.h"

/* Seconds after which session_lookup writes a fresh seen_at; younger
 * values are left alone so most requests do not write. */
#define SESSION_REFRESH_SECONDS 60

struct session {
	char council[16];
	int64_t user_id;
	char csrf[TOKEN_LEN + 1];
	int64_t created_at; /* epoch seconds */
	int64_t seen_at;    /* epoch seconds, after any refresh */
};

/* Starts a session for user_id of council at `now`.  Returns 0 and
 * fills token_out (the cookie value) and csrf_out; or a negative db_err
 * (DB_ECONSTRAINT for a council code of 16 bytes or more), with both
 * outputs set to "".  Does not check that the user exists: call it only
 * after user_authenticate() succeeded. */
int session_create(struct db_conn *c, const char *council, int64_t user_id,
		   int64_t now, char token_out[TOKEN_LEN + 1],
		   char csrf_out[TOKEN_LEN + 1]);

/* Finds the session for a cookie token at `now`.  Returns 1 and fills
 * *out for a live session of an enabled user; 0 when the token is NULL,
 * badly shaped (checked before the store is touched), unknown, belongs
 * to a disabled user, or has expired (an expired row is deleted);
 * a negative db_err when the read fails.  *out is written only on 1.
 * When seen_at is older than the refresh interval (a quarter of
 * idle_seconds, at most SESSION_REFRESH_SECONDS) it is set to `now`, so
 * a user active at least every three quarters of the idle timeout stays
 * signed in; a failure of that write or of the expiry delete is logged and
 * does not change the answer. */
int session_lookup(struct db_conn *c, const char *token, int64_t now,
		   int idle_seconds, int absolute_seconds, struct session *out);

/* session_lookup, and when it answers 0 because the token named a
 * session that has expired (and is now deleted), *expired (when not
 * NULL) gets that session: whose it was, and its CSRF token, so the
 * pipeline can keep what was sent for its user (web/drafts.h).  Left
 * unset in every other case. */
int session_lookup_ex(struct db_conn *c, const char *token, int64_t now,
		      int idle_seconds, int absolute_seconds,
		      struct session *out, struct session *expired);

/* Ends the session of a cookie token (sign-out).  Returns 0 whether or
 * not such a session existed (a badly shaped token is ignored), or a
 * negative db_err. */
int session_destroy(struct db_conn *c, const char *token);

/* Deletes every session expired at `now` under the same rule as
 * session_lookup.  Returns the number deleted (capped at INT32_MAX) or a
 * negative db_err. */
int session_purge(struct db_conn *c, int64_t now, int idle_seconds,
		  int absolute_seconds);

#endif
