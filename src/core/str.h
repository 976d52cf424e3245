/*
 * str: a growable byte buffer with a size limit (sbuf), and checked,
 * length-bounded parsers that replace atoi/strtol/sscanf.
 *
 * sbuf invariants: buf is always NUL-terminated when non-NULL; len never
 * exceeds max.  An append that would pass `max` fails, sets `toobig`, and
 * leaves the buffer as it was; every later append also fails.  Storage is
 * malloc'd (not arena) so that a finished body can be handed to the HTTP
 * library with sbuf_detach().  Allocation failure aborts (see arena.h).
 */
#ifndef CAIRN_STR_H
#define CAIRN_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	bool toobig;
};

/* Initialises an empty buffer that may grow to `max` bytes. */
void sbuf_init(struct sbuf *sb, size_t max);

/* Frees the storage and resets to empty; sbuf_release on an empty buffer
 * is a no-op. */
void sbuf_release(struct sbuf *sb);

/* Appends; return 0 on success, -1 when over the limit (nothing added). */
int sbuf_add(struct sbuf *sb, const void *p, size_t n);
int sbuf_adds(struct sbuf *sb, const char *s);
int sbuf_addc(struct sbuf *sb, char c);
int sbuf_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap);

/* Empties the buffer but keeps its storage. */
void sbuf_reset(struct sbuf *sb);

/* Hands the storage to the caller (free() it) and resets the buffer.
 * Returns a NUL-terminated string, never NULL; *len_out gets the length
 * when len_out is non-NULL. */
char *sbuf_detach(struct sbuf *sb, size_t *len_out);

/* Parses all of s[0..n) as a base-10 signed integer within [min, max].
 * Returns true and sets *out on success; false (and *out untouched) on
 * empty input, any non-digit, a leading '+', or overflow. */
bool str_to_i64(const char *s, size_t n, int64_t min, int64_t max,
		int64_t *out);

/* As str_to_i64 on a NUL-terminated string. */
bool str_to_i64z(const char *s, int64_t min, int64_t max, int64_t *out);

/* Case-sensitive equality of a counted string with a C string. */
bool str_eqn(const char *s, size_t n, const char *z);

/* A closed set's name table (STYLE 3: an enum FOO__MAX with a parallel
 * table of n names).  str_at: names[i], or NULL when i is outside
 * 0..n-1.  str_index: the index of the entry equal to s, or -1 when
 * none is (s NULL too). */
const char *str_at(const char *const *names, int n, int i);
int str_index(const char *const *names, int n, const char *s);

/* True when s starts with prefix. */
bool str_prefix(const char *s, const char *prefix);

/* Trims ASCII white space from both ends in place; returns s. */
char *str_trim(char *s);

/* True when every byte of s[0..n) is printable UTF-8 text: valid UTF-8,
 * no control characters other than tab, CR and LF. */
bool str_is_text(const char *s, size_t n);

/*
 * Bidirectional controls: the Unicode characters that change the
 * direction of the text after them (Bidi_Control: U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069).  In a name they can make it
 * show as something else ("U+202E" turns "Smith\u202Eeil" round), so
 * one-line values (names, identifiers, titles) refuse them; narrative
 * may hold them, and html.c isolates every value that does.
 */

/* The length of the bidirectional control at s[0..n) (2 or 3 bytes),
 * or 0 when s does not start with one. */
size_t str_bidi_control(const char *s, size_t n);

/* True when s[0..n) is text on one line: str_is_text without tab, CR,
 * LF or any bidirectional control. */
bool str_is_line(const char *s, size_t n);

/* The number of characters (UTF-8 code points) in s[0..n): the unit
 * every length limit a person reads is counted in. */
size_t str_utf8_chars(const char *s, size_t n);

#endif
