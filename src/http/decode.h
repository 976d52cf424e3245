/*
 * decode: parsers for the untrusted bytes of a request line and its
 * headers: percent-encoded URL parts, application/x-www-form-urlencoded
 * query strings and POST bodies, the Cookie header, and numeric ids in
 * URL paths.
 *
 * Invariants: every parser is length-bounded; input is (pointer, length)
 * and is never assumed NUL-terminated, never written to, and never
 * retained.  Every decoded string is a fresh NUL-terminated copy in the
 * caller's arena, is valid UTF-8 text (str_is_text() in core/str.h: no NUL,
 * no control characters other than tab, CR and LF), and lives until that
 * arena is freed.  Nothing here calls malloc or frees piecemeal.
 *
 * Ownership: `a` is borrowed; results belong to the arena.  Outputs are
 * written only when a call returns DECODE_OK; on any other return they are
 * left untouched (arena memory used by a failed call is reclaimed with the
 * arena, never earlier).
 *
 * Errors: every action returns an enum decode_err.  DECODE_NOMEM means the
 * arena's byte budget ran out (a 413 or 500 for the caller, not a crash);
 * a real allocation failure aborts (see core/arena.h).
 */
#ifndef CAIRN_DECODE_H
#define CAIRN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

enum decode_err {
	DECODE_OK,         /* success */
	DECODE_BADESCAPE,  /* '%' not followed by two hex digits */
	DECODE_NOTTEXT,    /* decoded bytes are not UTF-8 text, or hold NUL */
	DECODE_TOOMANY,    /* more parameters or cookies than allowed */
	DECODE_TOOLONG,    /* a key or value longer than allowed */
	DECODE_NOMEM,      /* the arena's byte budget is exhausted */
	DECODE_SYNTAX,     /* malformed input of another kind */
	DECODE__MAX
};

/* Returns a short constant English description of `e` (for logs, never
 * for users).  Values outside the enum give "unknown decode error". */
const char *decode_strerror(enum decode_err e);

/*
 * Percent-decodes s[0..n).  When plus_is_space is true a '+' becomes a
 * space (form encoding); otherwise '+' is kept.
 * Returns DECODE_OK and sets *out (NUL-terminated, in `a`) and *outlen
 * (its length without the NUL); DECODE_BADESCAPE for '%' not followed by
 * two hex digits ("%G1", a trailing "%4"); DECODE_NOTTEXT when the result
 * is not UTF-8 text or contains NUL (e.g. "%00", "%C3%28"); DECODE_NOMEM
 * when the arena budget runs out.  `outlen` may be NULL.
 */
enum decode_err decode_url(struct arena *a, const char *s, size_t n,
			   bool plus_is_space, char **out, size_t *outlen);

/* One decoded name/value pair.  key and val are NUL-terminated arena
 * strings; vlen is strlen(val) (kept so callers need not recount). */
struct decode_kv {
	const char *key;
	const char *val;
	size_t vlen;
};

/* An ordered list of pairs, in the order they appeared; repeated keys are
 * kept (the router decides what a repeat means).  v is NULL when n == 0. */
struct decode_params {
	size_t n;
	struct decode_kv *v;
};

/* Longest decoded key, in bytes, that decode_query() accepts. */
#define DECODE_KEY_MAX 128

/*
 * Parses application/x-www-form-urlencoded s[0..n), as used by both query
 * strings (without the '?') and POST form bodies: pairs separated by '&',
 * the first '=' splitting key from value (no '=' gives an empty value),
 * '+' meaning space and %XX escapes decoded in both key and value.  Empty
 * segments ("a=1&&b=2", a trailing '&') are skipped; a segment with an
 * empty key ("=x") is DECODE_SYNTAX.
 * Returns DECODE_OK and sets *out; DECODE_TOOMANY when there are more than
 * max_params non-empty segments (checked before anything is decoded);
 * DECODE_TOOLONG when a decoded value is longer than max_value bytes or a
 * decoded key longer than DECODE_KEY_MAX; DECODE_BADESCAPE,
 * DECODE_NOTTEXT and DECODE_NOMEM as for decode_url().  An empty input
 * gives DECODE_OK with out->n == 0.
 */
enum decode_err decode_query(struct arena *a, const char *s, size_t n,
			     size_t max_params, size_t max_value,
			     struct decode_params *out);

/* Returns the value of the first pair whose key equals `key` (an exact,
 * case-sensitive match), or NULL when there is none. */
const char *decode_params_get(const struct decode_params *p,
			      const char *key);

/* Returns how many pairs have key `key` (0 when none). */
size_t decode_params_count(const struct decode_params *p, const char *key);

/* Most cookies decode_cookies() accepts in one header. */
#define DECODE_COOKIE_MAX 50

/*
 * Parses a Cookie header value s[0..n) (RFC 6265 section 4.2.1 and 5.4):
 * name=value pairs separated by ';', with any amount of space or tab
 * around pairs, names and values.  A value wrapped in one pair of double
 * quotes is unwrapped.  Nothing is percent-decoded.  Repeated names are
 * kept in order.
 *
 * Tolerance (deliberate): a pair that is malformed is skipped and the rest
 * of the header is still used, because one bad cookie set by some other
 * application on the same host must not lock a user out.  Malformed means:
 * no '=', a name that is empty or not an RFC 7230 token, or a value with
 * a byte outside RFC 6265 cookie-octet (space, '"', ',', ';', '\\',
 * non-ASCII) after unwrapping, or an unbalanced quote.
 *
 * Returns DECODE_OK and sets *out (possibly with out->n == 0);
 * DECODE_NOTTEXT when the header holds any byte that is not UTF-8 text
 * (including NUL and control characters other than tab); DECODE_TOOMANY
 * when more than DECODE_COOKIE_MAX well-formed pairs are present;
 * DECODE_NOMEM when the arena budget runs out.
 */
enum decode_err decode_cookies(struct arena *a, const char *s, size_t n,
			       struct decode_params *out);

/* Largest id decode_path_segment_id() accepts: 2^53, the largest integer
 * every JSON reader represents exactly. */
#define DECODE_ID_MAX ((int64_t)1 << 53)

/*
 * Parses a URL path segment s[0..n) as a record id: 1 to 16 ASCII digits,
 * no sign, no leading zero, no percent escapes, value 1..DECODE_ID_MAX.
 * Returns true and sets *out on success; false (and *out untouched)
 * otherwise, e.g. for "", "0", "007", "+1", "-1", "1e3", "12a",
 * "9007199254740993".
 */
bool decode_path_segment_id(const char *s, size_t n, int64_t *out);

#endif
