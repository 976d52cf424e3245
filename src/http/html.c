/* html.c: see html.h for the contract. */
#include "http/html.h"

#include "core/str.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define HTML_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* What html_textn does with each byte: copy it as it is (0), write an
 * entity or U+FFFD for it (1: & < > " ', and control characters other
 * than tab, LF and CR), or check the UTF-8 sequence it starts (2).  A
 * table, so that runs of ordinary text are found one byte a step. */
enum byte_class { B_COPY, B_ASCII, B_MULTI };

static const unsigned char byte_class[256] = {
	[0x00 ... 0x08] = B_ASCII, [0x0b ... 0x0c] = B_ASCII,
	[0x0e ... 0x1f] = B_ASCII, ['"'] = B_ASCII, ['&'] = B_ASCII,
	['\''] = B_ASCII, ['<'] = B_ASCII, ['>'] = B_ASCII, [0x7f] = B_ASCII,
	[0x80 ... 0xff] = B_MULTI,
};

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

/* Length of the valid UTF-8 sequence at p (at most avail bytes), or 0
 * when it is not one: a bad lead or continuation byte, truncated, an
 * overlong form, a surrogate or beyond U+10FFFF (str_is_text's rules
 * for one character). */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned c = p[0], cp;
	size_t len;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > avail)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

#define BIDI_FSI "\xe2\x81\xa8" /* U+2068 FIRST STRONG ISOLATE */
#define BIDI_PDI "\xe2\x81\xa9" /* U+2069 POP DIRECTIONAL ISOLATE */
#define BIDI_PDF "\xe2\x80\xac" /* U+202C POP DIRECTIONAL FORMATTING */

/* Scans s for bidirectional controls.  Returns false when there are
 * none (the usual case: one memchr for the lead bytes).  Otherwise
 * returns true with the embeddings and overrides (*emb) and isolates
 * (*iso) that s leaves open at its end. */
static bool bidi_scan(const char *s, size_t n, int *emb, int *iso)
{
	*emb = *iso = 0;
	/* U+061C ARABIC LETTER MARK: a mark, it opens nothing */
	bool any = false;
	for (const char *q = memchr(s, 0xd8, n); q && !any;
	     q = memchr(q + 1, 0xd8, n - (size_t)(q + 1 - s)))
		any = str_bidi_control(q, n - (size_t)(q - s)) != 0;
	/* the others all start with the byte E2 */
	for (const char *q = memchr(s, 0xe2, n); q;
	     q = q + 1 < s + n ? memchr(q + 1, 0xe2, n - (size_t)(q + 1 - s))
			       : NULL) {
		if (str_bidi_control(q, n - (size_t)(q - s)) == 0)
			continue;
		any = true;
		const unsigned char *p = (const unsigned char *)q;
		if (p[1] == 0x80 && p[2] >= 0xaa && p[2] != 0xac)
			(*emb)++;                      /* LRE RLE LRO RLO */
		else if (p[1] == 0x80 && p[2] == 0xac && *emb > 0)
			(*emb)--;                      /* PDF */
		else if (p[1] == 0x81 && p[2] <= 0xa8)
			(*iso)++;                      /* LRI RLI FSI */
		else if (p[1] == 0x81 && p[2] == 0xa9 && *iso > 0)
			(*iso)--;                      /* PDI */
	}
	return any;
}

static void textn(struct sbuf *sb, const char *s, size_t n);

/* A value holding bidirectional controls is written inside an isolate
 * (FSI ... PDI, the plain-text form of <bdi>, which also works inside
 * an attribute), with whatever it left open closed first: its direction
 * cannot leak into the page around it. */
void html_textn(struct sbuf *sb, const char *s, size_t n)
{
	int emb, iso;
	if (!bidi_scan(s, n, &emb, &iso)) {
		textn(sb, s, n);
		return;
	}
	sbuf_adds(sb, BIDI_FSI);
	textn(sb, s, n);
	while (emb-- > 0)
		sbuf_adds(sb, BIDI_PDF);
	while (iso-- > 0)
		sbuf_adds(sb, BIDI_PDI);
	sbuf_adds(sb, BIDI_PDI);
}

/* Checks and copies in one pass: ordinary bytes (and whole valid UTF-8
 * sequences) are gathered into runs that are appended with one copy
 * each; an entity or U+FFFD is appended in their place otherwise. */
static void textn(struct sbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0; /* start of the pending run of bytes to copy as-is */
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		enum byte_class k = byte_class[c];
		if (k == B_COPY) {
			i++;
			continue;
		}
		const char *rep;
		if (k == B_MULTI) {
			size_t len = utf8_seq(p + i, n - i);
			if (len != 0) {
				i += len;
				continue;
			}
			rep = HTML_REPLACEMENT;
		} else {
			rep = entity(c);
			if (rep == NULL)
				rep = HTML_REPLACEMENT;
		}
		if (i > run)
			sbuf_add(sb, p + run, i - run);
		sbuf_adds(sb, rep);
		i++;
		run = i;
	}
	if (n > run)
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
	char d[24];
	size_t k = sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		d[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--k] = '-';
	sbuf_add(sb, d + k, sizeof(d) - k);
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
