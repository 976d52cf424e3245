/* html.c: see html.h for the contract. */
#include "http/html.h"

#include "core/str.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define HTML_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Length of the UTF-8 sequence that a lead byte announces, or 0 when the
 * byte cannot start one. */
static size_t utf8_len(unsigned char c)
{
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 0;
}

/* The entity for a byte that must be escaped, or NULL. */
static const char *entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

void html_textn(struct sbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0; /* start of the pending run of bytes to copy as-is */
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		const char *rep;
		size_t len;
		if (c < 0x80) {
			rep = entity(c);
			if (rep == NULL && !str_is_text((const char *)p + i, 1))
				rep = HTML_REPLACEMENT;
			len = 1;
		} else {
			len = utf8_len(c);
			if (len != 0 && len <= n - i &&
			    str_is_text((const char *)p + i, len)) {
				rep = NULL;
			} else {
				rep = HTML_REPLACEMENT;
				len = 1;
			}
		}
		if (rep == NULL) {
			i += len;
			continue;
		}
		sbuf_add(sb, p + run, i - run);
		sbuf_adds(sb, rep);
		i += len;
		run = i;
	}
	sbuf_add(sb, p + run, n - run);
}

void html_text(struct sbuf *sb, const char *s)
{
	if (s != NULL)
		html_textn(sb, s, strlen(s));
}

/* True for the attribute names we write: [A-Za-z0-9_:-]+. */
static bool attr_name_ok(const char *name)
{
	if (name == NULL || name[0] == '\0')
		return false;
	for (const char *c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		      *c == ':'))
			return false;
	return true;
}

void html_attr(struct sbuf *sb, const char *name, const char *value)
{
	/* The name is a literal from our source (see html.h), so a bad one
	 * is our bug, not user input. */
	assert(attr_name_ok(name));
	sbuf_addc(sb, ' ');
	sbuf_adds(sb, name);
	sbuf_adds(sb, "=\"");
	html_text(sb, value);
	sbuf_addc(sb, '"');
}

void html_raw(struct sbuf *sb, const char *trusted_literal)
{
	if (trusted_literal != NULL)
		sbuf_adds(sb, trusted_literal);
}

void html_int(struct sbuf *sb, int64_t v)
{
	sbuf_printf(sb, "%" PRId64, v);
}

void html_url_component(struct sbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (s == NULL)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			sbuf_addc(sb, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			sbuf_add(sb, e, sizeof(e));
		}
	}
}
