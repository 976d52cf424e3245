/*
 * multipart: a strict, bounded parser of multipart/form-data request
 * bodies (RFC 7578, framed as RFC 2046 section 5.1.1), as a browser
 * sends a form with a file input.
 *
 * Invariants: input is (pointer, length), never assumed NUL-terminated,
 * never written to.  The body is binary-safe: a part's bytes may hold
 * NUL and anything else; only the delimiter lines and the part headers
 * are read as text.  Every part must have a Content-Disposition of
 * form-data with a name; the field name, the filename and the part's
 * Content-Type are NUL-terminated UTF-8 text copies in the caller's
 * arena.  A part's bytes are borrowed from the body (they live as long
 * as it does) unless MULTIPART_COPY is asked for, when they are copied
 * into the arena (NUL-terminated, for convenience; len excludes it).
 *
 * Strictness: the boundary comes from the Content-Type's boundary
 * parameter (quoted or not, 1 to 70 characters of RFC 2046's bchars, not
 * ending in a space); each delimiter must be at the start of the body
 * or follow CRLF; the close delimiter must be present (a truncated body
 * is an error); part headers end with an empty line, are not folded,
 * and are text.  A preamble before the first delimiter and an epilogue
 * after the close delimiter are ignored, as RFC 2046 says.  filename*
 * (RFC 7578 4.2 says not to send it) is ignored; a repeated name or
 * filename parameter is an error.
 *
 * Errors: every call returns an enum multipart_err; outputs are written
 * only on MULTIPART_OK.  MULTIPART_NOMEM means the arena's budget ran
 * out.  Nothing here logs or keeps anything.
 */
#ifndef CAIRN_MULTIPART_H
#define CAIRN_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum multipart_err {
	MULTIPART_OK,
	MULTIPART_NOTMULTIPART, /* the Content-Type is not multipart/form-data */
	MULTIPART_BOUNDARY,     /* no boundary parameter, or a bad one */
	MULTIPART_SYNTAX,       /* framing or a part's headers malformed */
	MULTIPART_TRUNCATED,    /* no close delimiter: the body ends early */
	MULTIPART_NODISP,       /* a part without form-data; name="..." */
	MULTIPART_NOTTEXT,      /* a header, name or filename is not text */
	MULTIPART_TOOMANY,      /* more parts than allowed */
	MULTIPART_TOOLONG,      /* a part's headers, a name or a filename
				 * longer than allowed */
	MULTIPART_NOMEM,        /* the arena's byte budget is exhausted */
	MULTIPART__MAX
};

/* A short constant English description of e (for logs and problems,
 * never holding request data); "unknown multipart error" outside the
 * enum. */
const char *multipart_strerror(enum multipart_err e);

/* Longest boundary RFC 2046 allows. */
#define MULTIPART_BOUNDARY_MAX 70
/* Longest field name and filename accepted, in bytes. */
#define MULTIPART_NAME_MAX 128
#define MULTIPART_FILENAME_MAX 255

struct multipart_part {
	const char *name;     /* the field's name, never NULL */
	const char *filename; /* NULL when the part is not a file (a file
			       * input with nothing chosen sends "") */
	const char *type;     /* the part's Content-Type, NULL if none */
	const char *data;     /* the part's bytes (borrowed, or copied) */
	size_t len;
};

struct multipart_parts {
	size_t n;
	struct multipart_part *v; /* NULL when n == 0 */
};

struct multipart_limits {
	size_t max_parts;   /* 0: 64 */
	size_t max_header;  /* bytes of one part's header section; 0: 4096 */
};

enum { MULTIPART_COPY = 1u << 0 };

/*
 * Reads the boundary of a Content-Type header value ct (NUL-terminated)
 * into out (at least MULTIPART_BOUNDARY_MAX + 1 bytes).  Returns
 * MULTIPART_OK; MULTIPART_NOTMULTIPART when the media type is not
 * multipart/form-data (any case); MULTIPART_BOUNDARY when the boundary
 * parameter is missing, repeated, empty, too long, holds a character
 * outside bchars or ends with a space.
 */
enum multipart_err multipart_boundary(const char *ct, char *out);

/*
 * Parses body[0..len) sent with Content-Type ct.  lim may be NULL
 * (defaults); flags is 0 or MULTIPART_COPY.  Returns MULTIPART_OK with
 * *out holding the parts in order (repeated names kept), or an error.
 */
enum multipart_err multipart_parse(struct arena *a, const char *ct,
				   const char *body, size_t len,
				   const struct multipart_limits *lim,
				   unsigned flags, struct multipart_parts *out);

/* The first part named name, or NULL. */
const struct multipart_part *
multipart_get(const struct multipart_parts *p, const char *name);

#endif
