/*
 * html: an HTML writer on struct sbuf (core/str.h) that escapes by
 * default.
 *
 * Every function that takes data escapes it: html_text()/html_textn()
 * for element content, html_attr() for attribute values,
 * html_url_component() for a value placed inside a URL.  The one
 * unescaped output, html_raw(), is named for what it does and must only
 * ever be given string literals written in our source (markup such as
 * "<p class=\"govuk-body\">"), never anything derived from a request, the
 * database, configuration or the environment.  There is deliberately no
 * printf-style call: numbers go through html_int().
 *
 * Escaping: & < > " ' become &amp; &lt; &gt; &quot; &#39;, which is safe in
 * element content and in double- or single-quoted attribute values.  Valid
 * UTF-8 (multibyte characters included) passes through untouched; bytes
 * that are not valid UTF-8, NUL, and control characters other than tab,
 * LF and CR are each replaced with U+FFFD, so the output is always valid
 * UTF-8 text whatever the input.
 *
 * Direction: a value that holds bidirectional controls (core/str.h) is
 * written between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
 * ISOLATE, the plain-text form of <bdi> that also works inside an
 * attribute, after closing whatever embeddings, overrides and isolates
 * it left open.  So a value can turn only itself round, never the text
 * of the page around it.
 *
 * Errors: the functions return nothing.  The sbuf's size limit is sticky:
 * once an append would pass it, sb->toobig is set and every later append
 * fails, so a caller checks sb->toobig once, after writing the whole page,
 * and answers 500 instead of sending a truncated page.  (The buffer may
 * then end part-way through the refused text; it is never to be sent.)
 *
 * Ownership: all arguments are borrowed for the call; nothing is retained.
 */
#ifndef CAIRN_HTML_H
#define CAIRN_HTML_H

#include <stddef.h>
#include <stdint.h>

struct sbuf;

/* Appends the NUL-terminated `s`, escaped for element content or a quoted
 * attribute value.  A NULL `s` appends nothing. */
void html_text(struct sbuf *sb, const char *s);

/* As html_text() for the counted string s[0..n); bytes past n are never
 * read and a NUL inside is replaced like any other control byte. */
void html_textn(struct sbuf *sb, const char *s, size_t n);

/* Appends ` name="value"` with `value` escaped.  `name` must be a
 * constant attribute name from our source (letters, digits, '-', '_',
 * ':'); this is asserted.  A NULL `value` writes the attribute with an
 * empty value. */
void html_attr(struct sbuf *sb, const char *name, const char *value);

/* Appends `trusted_literal` unescaped.  ONLY for constant markup written
 * in our source; never pass it data of any origin (see the top of this
 * file).  A NULL argument appends nothing. */
void html_raw(struct sbuf *sb, const char *trusted_literal);

/* Appends the decimal form of `v` (e.g. "-42"). */
void html_int(struct sbuf *sb, int64_t v);

/* Appends the NUL-terminated `s` percent-encoded for use as one component
 * of a URL inside an href or src attribute, e.g. a query value: every
 * byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~) becomes
 * %XX (upper-case hex), so '&', '=', '?', '#', '/', quotes and spaces are
 * all encoded.  The result is then attribute-safe (it contains no
 * character that needs escaping).  A NULL `s` appends nothing. */
void html_url_component(struct sbuf *sb, const char *s);

#endif
