/*
 * user: people who sign in (app_user), their passwords, and API tokens.
 *
 * A user belongs to one council and has one role.  user_id is numbered
 * per council (db_next_id); the username is unique within its council
 * (docs/decisions.md D26), so two councils of one deployment may each
 * have an "alex".  Signing in names the council when the username alone
 * does not (user_authenticate).  A partner (ROLE_PARTNER) always
 * belongs to an organisation of its council; anyone may belong to a team
 * of its council.  Disabling a user ends its sessions and revokes its
 * API tokens in the same transaction; a disabled user can neither sign
 * in nor use a token.  Passwords are stored only as Argon2id hashes
 * (password.h).
 *
 * Roles on the connection (db.h allow-lists):
 *   - signing in and token lookup (user_authenticate, user_get,
 *     user_find, apitoken_lookup): DB_ROLE_AUTH | DB_ROLE_SYSTEM; user_get
 *     and user_find also allow RB_ADMIN, for the user pages;
 *   - administration (user_add, user_list, user_set_disabled,
 *     user_set_password, apitoken_create, apitoken_revoke):
 *     RB_ADMIN | DB_ROLE_SYSTEM.
 * Any other role gets USER_EDENIED, which the caller must treat as an
 * aborted request.
 *
 * Transactions: each function says whether it needs the caller's write
 * transaction, opens its own, or works either way ("either way" means:
 * if db_in_tx(c) its writes join the caller's transaction, which the
 * caller commits or rolls back; otherwise it opens and commits its own
 * write transaction).  Callers writing an audit row for the change do so
 * in their own transaction around the call.
 *
 * Errors: 0 or a negative enum user_err; user_strerror() gives a fixed
 * developer-facing name.  Functions with an `err` buffer also write a
 * human message for the person at the form (GOV.UK style).  Lookups
 * return 1 found, 0 not found, or a negative user_err.  Outputs are set
 * only on success.  Nothing here logs personal data: callers that want
 * the username in a security log put it there themselves.
 *
 * API tokens live in this module (section at the end) rather than in
 * session.h, because they are credentials of a user, return a struct
 * user, and are revoked together with disabling; their functions keep
 * the `apitoken_` prefix to read as what they are.
 */
#ifndef CAIRN_USER_H
#define CAIRN_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/role.h"
#include "auth/token.h"
#include "db/db.h"

#define USER_NAME_MAX 64      /* bytes of a username */
#define USER_DISPLAY_MAX 128  /* bytes of a display name */

struct user {
	char council[16];
	int64_t user_id;
	char username[USER_NAME_MAX + 1];
	char display_name[USER_DISPLAY_MAX + 1];
	enum role role;
	int64_t org_id;  /* 0 = none */
	int64_t team_id; /* 0 = none */
	bool disabled;
};

enum user_err {
	USER_OK = 0,
	USER_ENAME = -1,      /* username not 2..64 of [a-z0-9._-] from a letter */
	USER_EDISPLAY = -2,   /* display name not 1..128 bytes of one-line text */
	USER_EPASSWORD = -3,  /* password fails the policy */
	USER_EROLE = -4,      /* role out of range */
	USER_ENEEDORG = -5,   /* a partner without an organisation */
	USER_ENOORG = -6,     /* organisation not found in that council */
	USER_ENOTEAM = -7,    /* team not found in that council */
	USER_ENOCOUNCIL = -8, /* council not found (or code too long) */
	USER_EEXISTS = -9,    /* username taken (in that council) */
	USER_ENOTFOUND = -10, /* no such user (or token) */
	USER_ENOTX = -11,     /* caller's write transaction missing */
	USER_EHASH = -12,     /* password hashing failed */
	USER_EDENIED = -13,   /* the connection's role may not do this */
	USER_EBUSY = -14,     /* store busy; try again */
	USER_EDB = -15,       /* any other store error, or a corrupt row */
	USER_ERR__MAX = 16    /* number of codes; not a code */
};

/* A fixed name for a code ("username taken"...); "unknown user error"
 * for anything else.  Never NULL. */
const char *user_strerror(int err);

/* True when username is 2..64 bytes of [a-z0-9._-] starting with a
 * lower-case letter; false otherwise (and for NULL). */
bool user_name_ok(const char *username);

/* Creates a user.  Validates, in order: username shape, display name
 * (1..128 bytes of UTF-8 text with no control characters, not all
 * spaces), role, password policy, a partner's org_id (must be > 0), that
 * the council exists, that org_id / team_id (when non-zero) exist in
 * that council, that the username is free; then hashes the password and
 * inserts.  **Runs inside the caller's write transaction** (returns
 * USER_ENOTX when none is open); hashing happens inside it, holding the
 * write lock for one Argon2id run.  Returns 0 and sets *user_id_out
 * (may be NULL); or a negative user_err with a human message in err
 * (err may be NULL when errlen is 0).  On failure the caller should roll
 * back.  password NULL: the person is on the staff list (for
 * allocation) but cannot sign in until an administrator sets one
 * (PASSWORD_NONE is stored: no password matches it). */
int user_add(struct db_conn *c, const char *council, const char *username,
	     const char *display_name, enum role role, int64_t org_id,
	     int64_t team_id, const char *password, int64_t *user_id_out,
	     char *err, size_t errlen);

/* Loads user_id of council.  Returns 1 and fills *out; 0 when there is
 * none; a negative user_err on error.  Works in or out of a
 * transaction; disabled users are returned (out->disabled set). */
int user_get(struct db_conn *c, const char *council, int64_t user_id,
	     struct user *out);

/* As user_get, by username in council.  With council NULL, looks in
 * every council: 1 when exactly one council has that username, and 2
 * (with *out untouched) when more than one has it, so the caller must
 * ask which council. */
int user_find(struct db_conn *c, const char *council, const char *username,
	      struct user *out);

/* Checks a username and password, in council or, with council NULL, in
 * whichever council has that username.  A username that more than one
 * council has needs the council: without it, it counts as unknown.
 * Returns 1 and fills *out when the
 * user exists, is enabled and the password is right; 0 for a wrong
 * username, a wrong password or a disabled user alike (an unknown or
 * malformed username still costs one Argon2id verification, so timing
 * does not reveal which usernames exist); a negative user_err when the
 * store fails.  When the stored hash was made at another cost it is
 * replaced: **call with a connection that is not in a transaction**;
 * the function opens its own short write transaction for that update
 * only (if the caller is in a transaction the rehash is skipped until
 * the next sign-in).  A failed rehash is logged and does not change the
 * answer.  Does not throttle: the caller checks throttle.h first. */
int user_authenticate(struct db_conn *c, const char *council,
		      const char *username, const char *password,
		      struct user *out);

/* Calls cb for every user of council in user_id order, disabled ones
 * included.  If cb returns non-zero the walk stops and that value is
 * returned (use positive values to tell them from errors).  cb may use
 * the connection for other statements but must not call user_list.
 * Returns 0 after the last user, cb's value, or a negative user_err.
 * Read-only; in or out of a transaction. */
int user_list(struct db_conn *c, const char *council,
	      int (*cb)(const struct user *u, void *arg), void *arg);

/* Disables or re-enables a user.  Disabling also deletes the user's
 * sessions and revokes its API tokens (re-enabling restores neither).
 * Works either way (see the contract above).  Returns 0, USER_ENOTFOUND
 * when council has no such username, or a negative user_err. */
int user_set_disabled(struct db_conn *c, const char *council,
		      const char *username, bool disabled);

/* Sets a new password (policy-checked, hashed before any transaction
 * work) and deletes the user's sessions; API tokens are kept.  Works
 * either way.  Returns 0; USER_EPASSWORD with the policy's message in
 * err; USER_ENOTFOUND; or another negative user_err with a message. */
int user_set_password(struct db_conn *c, const char *council,
		      const char *username, const char *password, char *err,
		      size_t errlen);

/*
 * API tokens: long-lived bearer tokens for /api/v1/, one per integration,
 * stored as token_hash() only and shown once.  Each expires at the time
 * it was given when issued (a token from before expiry existed, with no
 * expiry recorded, no longer works); it is revoked explicitly, by
 * disabling its user, or by setting a new password for its user.
 */

/* Issues a token for an enabled user_id of council, valid until
 * expires_at (Unix seconds; the caller keeps it in the future).  Works
 * either way (its id comes from db_next_id, so it opens a write
 * transaction when the caller has none).  Returns 0, fills token_out (show it
 * once) and sets *token_id (may be NULL); USER_ENOTFOUND when the user
 * does not exist or is disabled; or a negative user_err.  token_out is
 * "" on failure. */
int apitoken_create(struct db_conn *c, const char *council, int64_t user_id,
		    int64_t expires_at, char token_out[TOKEN_LEN + 1],
		    int64_t *token_id);

/* Finds the user of a bearer token at `now` (Unix seconds).  Returns 1
 * and fills *out; 0 when the token is NULL or badly shaped (checked
 * before the store), unknown, revoked, expired at `now`, or its user is
 * disabled; a negative user_err on error. */
int apitoken_lookup(struct db_conn *c, const char *token, int64_t now,
		    struct user *out);

/* Revokes token_id of council.  One statement.  Returns 0; USER_ENOTFOUND
 * when there is no such token or it was already revoked; or a negative
 * user_err. */
int apitoken_revoke(struct db_conn *c, const char *council, int64_t token_id);

#endif
