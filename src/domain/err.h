/*
 * err: the one vocabulary of domain errors, and the one set of field
 * errors, used by every module (child, front door, scrutiny and each kind
 * of record after them).
 *
 * Every domain function returns 0 (ERR_OK) or a negative enum err.  The
 * web and API layers turn a code into the answer in one place
 * (web/answer.h): ERR_INVALID re-shows the form with the GOV.UK error
 * summary and everything typed (or a 422 problem naming each field), a
 * constraint violation is 409 everywhere, and "not found" and "not
 * yours" are the same 404 so an answer never reveals that a record the
 * person may not see exists.
 *
 * Field errors: `field` is the field's name as the form and the JSON use
 * it ("given_name", "received_at"); a static string.  `msg` is one
 * sentence in the GOV.UK style, safe to show to the person who typed the
 * value: it says what is wrong and how to put it right, and never
 * repeats the value.  One message a field: the first problem found is the
 * one to fix, later ones for the same field are dropped.
 */
#ifndef CAIRN_ERR_H
#define CAIRN_ERR_H

#include <stdbool.h>

enum err {
	ERR_OK = 0,
	ERR_INVALID = -1,   /* field errors say what is wrong: 422 */
	ERR_NOTFOUND = -2,  /* no such record in the council, or one the
			     * actor may not see: 404 */
	ERR_CONFLICT = -3,  /* a constraint: changed since it was read,
			     * already decided, a duplicate key: 409 */
	ERR_DENIED = -4,    /* the actor's role may not do this: 403 */
	ERR_BUSY = -5,      /* the store is busy; try again: 503 */
	ERR_STORE = -6,     /* any other store error: 500 */
	ERR_FULL = -7,      /* the store is out of space: 503 */
	ERR_NOMEM = -8,     /* the request's memory budget ran out: 413 */
	ERR_DUPLICATE = -9, /* possible duplicates found; confirm to go on */
	ERR_LIMIT = -10,    /* a numbering range is used up: 500 */
	ERR_NOTX = -11,     /* the caller's transaction is missing (a
			     * programming error): 500 */
	ERR__COUNT = 12     /* number of codes; not a code */
};

/* A fixed developer-facing name ("not found"); never NULL. */
const char *err_name(int err);

/* The HTTP status a code answers with (200 for ERR_OK). */
int err_status(int err);

/* The code for a negative db_err (db/db.h): DB_ECONSTRAINT is
 * ERR_CONFLICT, DB_EBUSY ERR_BUSY, DB_EDENIED ERR_DENIED, DB_EFULL
 * ERR_FULL, anything else negative ERR_STORE; 0 and positive (rows) are
 * ERR_OK. */
int err_from_db(int db_rc);

#define FIELD_ERRORS_MAX 32
#define FIELD_ERROR_LEN 200

struct field_errors {
	int n;
	struct {
		const char *field;          /* static */
		char msg[FIELD_ERROR_LEN];
	} v[FIELD_ERRORS_MAX];
};

/* Adds msg for field (copied; truncated to fit).  Dropped when the field
 * already has a message or the list is full.  e may be NULL. */
void fe_set(struct field_errors *e, const char *field, const char *msg);

/* The same with a printf-style message. */
void fe_addf(struct field_errors *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The message for field, or NULL.  e may be NULL.  A date input's
 * message is kept on "NAME-day" and found by "NAME" too. */
const char *fe_for(const struct field_errors *e, const char *field);

/* True when e holds at least one message. */
bool fe_any(const struct field_errors *e);

#endif
