/*
 * json: helpers around jansson for JSON request bodies and responses.
 *
 * Purpose: one strict entry point for untrusted JSON (json_body_parse),
 * typed per-field getters that produce a message naming the field (for an
 * RFC 9457 problem response), a check for undeclared fields, and a
 * compact writer onto struct sbuf (core/str.h).
 *
 * Invariants: a body accepted by json_body_parse() is at most
 * JSON_BODY_MAX bytes of valid UTF-8, has an object at its root, has no
 * object with a repeated key, and nests no deeper than the caller's limit.
 * Strings handed out by the getters are valid UTF-8 text (str_is_text():
 * no NUL, no control characters other than tab, CR and LF).
 *
 * Ownership: json_body_parse() gives the caller one reference to the new
 * root (release with json_decref()).  Strings from json_get_string() are
 * borrowed from the object and live as long as it does.  All other
 * pointer arguments are borrowed for the call.
 *
 * Errors: json_body_parse() returns an enum json_body_err and writes a
 * message; getters return JSON_FIELD_OK, JSON_FIELD_ABSENT or
 * JSON_FIELD_INVALID and fill a struct json_field_err on
 * JSON_FIELD_INVALID.  Outputs are written only on success.  Messages may
 * quote a few bytes of the body (jansson's "near '...'"): they may go back
 * to the client who sent them but must never be logged (core/log.h).
 * jansson running out of memory aborts the process (core/arena.h policy).
 */
#ifndef CAIRN_JSON_H
#define CAIRN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rules/calendar.h"

struct sbuf;

/* Largest body json_body_parse() accepts: 1 MiB.  The HTTP layer should
 * refuse bigger bodies before reading them; this is the second fence. */
#define JSON_BODY_MAX ((size_t)1 << 20)

enum json_body_err {
	JSON_BODY_OK,        /* parsed */
	JSON_BODY_EMPTY,     /* no bytes, or only white space */
	JSON_BODY_TOOBIG,    /* more than JSON_BODY_MAX bytes */
	JSON_BODY_NOTUTF8,   /* a byte sequence that is not UTF-8 */
	JSON_BODY_SYNTAX,    /* not JSON (jansson's message says why) */
	JSON_BODY_DUPKEY,    /* an object repeats a key */
	JSON_BODY_NOTOBJECT, /* the root is not an object */
	JSON_BODY_TOODEEP,   /* nested deeper than allowed */
	JSON_BODY__MAX
};

/* Returns a stable snake_case name for e ("empty", "too_big",
 * "duplicate_key", ...), suitable for logs and problem types; "unknown"
 * for values outside the enum. */
const char *json_body_errname(enum json_body_err e);

/*
 * Parses the untrusted body buf[0..n) (not NUL-terminated).  Depth counts
 * containers: the root object is depth 1, an array or object inside it
 * depth 2, and so on; scalars add nothing.  max_depth must be at least 1.
 *
 * Returns JSON_BODY_OK and sets *out to a new reference; otherwise the
 * matching error and *out is untouched.  In every case, when errlen > 0,
 * err receives a NUL-terminated message (truncated to errlen, always valid
 * UTF-8 text): for syntax, UTF-8 and duplicate-key errors it starts with
 * the position, "line 1, column 7: ...".  err may be NULL when errlen is 0.
 */
enum json_body_err json_body_parse(const char *buf, size_t n,
				   size_t max_depth, json_t **out,
				   char *err, size_t errlen);

/* A field that failed: its name (truncated to fit, valid UTF-8) and a
 * message meant for the person who filled the field in, without the field
 * name, e.g. "must be at most 100 characters". */
struct json_field_err {
	char field[64];
	char msg[256];
};

/* Getter results. */
#define JSON_FIELD_OK       0   /* present and valid; *out set */
#define JSON_FIELD_ABSENT   1   /* optional and missing or null; *out untouched */
#define JSON_FIELD_INVALID  (-1) /* *e filled; *out untouched */

/*
 * The getters share these rules.  `obj` must be a JSON object (anything
 * else gives JSON_FIELD_INVALID with msg "must be an object").  A field
 * that is missing or JSON null is JSON_FIELD_ABSENT when `required` is
 * false and JSON_FIELD_INVALID ("is required") when it is true.  `e` may
 * be NULL when the caller does not want the message.
 */

/* A string of at most maxlen characters (Unicode code points, which is
 * what a person counts), valid UTF-8 text (no control characters other
 * than tab, CR, LF).  When required, a string that is empty or only white
 * space is "is required".  *out borrows from obj. */
int json_get_string(json_t *obj, const char *field, bool required,
		    size_t maxlen, const char **out,
		    struct json_field_err *e);

/* A JSON integer (not a real such as 1.0, not a string) in [min, max]. */
int json_get_int(json_t *obj, const char *field, bool required,
		 int64_t min, int64_t max, int64_t *out,
		 struct json_field_err *e);

/* A JSON true or false (not 0/1, not "true"). */
int json_get_bool(json_t *obj, const char *field, bool required, bool *out,
		  struct json_field_err *e);

/* A string holding a real date as strict YYYY-MM-DD with year 1900..2100
 * (cal_date_parse() in rules/calendar.h). */
int json_get_date(json_t *obj, const char *field, bool required,
		  struct cal_date *out, struct json_field_err *e);

/*
 * Checks every key of `obj` against `allowed`, a NULL-terminated list of
 * field names.  Returns 0 when all keys are allowed; -1 with *e naming the
 * first key (in document order) that is not, msg "is not a recognised
 * field", or msg "must be an object" when obj is not an object.
 */
int json_check_fields(json_t *obj, const char *const *allowed,
		      struct json_field_err *e);

/*
 * Appends v as compact JSON (no white space; UTF-8 kept as is; any value,
 * not only objects) to sb.  Returns 0 on success; -1 when the sbuf limit
 * is reached or v cannot be encoded, and then sb->len is as before the
 * call.  The output is for application/json responses: it is not escaped
 * for embedding in HTML.
 */
int json_dump_sbuf(json_t *v, struct sbuf *sb);

#endif
