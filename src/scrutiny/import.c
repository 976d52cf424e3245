/* import.c: see import.h for the contract and the rules it follows. */
#include "scrutiny/import.h"
#include "scrutiny/import_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "http/json.h"

#define MAXC IMPORT_MAXC
#define MAXSPLIT 64       /* cells kept from one row (more: ragged) */
#define HDR_CELL_MAX 60   /* bytes in a header cell, cleaned */
#define TAG_MAX 1024      /* longest HTML tag stripped */
#define EXTRA_MAX 2       /* cells beyond the header a row may have */
#define CUE_LINES 3       /* non-blank lines after a cue to find item 1 */
#define HEADING_WORDS 8   /* a heading has at most this many words */
#define TITLE_MAX 200     /* a longer line is not taken as the title */
#define PREAMBLE_LINES 100 /* non-blank preamble lines read for title/date */

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *const format_names[] = {
	NULL,    /* IMPORT_FORMAT_UNKNOWN */
	"tsv",   /* IMPORT_FORMAT_TSV */
	"pipe",  /* IMPORT_FORMAT_PIPE */
	"prose", /* IMPORT_FORMAT_PROSE */
};
_Static_assert(sizeof(format_names) / sizeof(*format_names) ==
	       IMPORT_FORMAT_PROSE + 1, "format_names");

static const char *const response_names[] = {
	NULL,              /* IMPORT_RESP_UNKNOWN */
	"accepted",        /* IMPORT_RESP_ACCEPTED */
	"partly-accepted", /* IMPORT_RESP_PARTLY */
	"not-accepted",    /* IMPORT_RESP_NOT_ACCEPTED */
};
_Static_assert(sizeof(response_names) / sizeof(*response_names) ==
	       IMPORT_RESP_NOT_ACCEPTED + 1, "response_names");

static const char *const status_names[] = {
	NULL,          /* IMPORT_STATUS_NONE */
	"not-started", /* IMPORT_STATUS_NOT_STARTED */
	"in-progress", /* IMPORT_STATUS_IN_PROGRESS */
	"delayed",     /* IMPORT_STATUS_DELAYED */
	"ongoing",     /* IMPORT_STATUS_ONGOING */
	"completed",   /* IMPORT_STATUS_COMPLETED */
	"superseded",  /* IMPORT_STATUS_SUPERSEDED */
};
_Static_assert(sizeof(status_names) / sizeof(*status_names) ==
	       IMPORT_STATUS_SUPERSEDED + 1, "status_names");

const char *import_status_name(enum import_status s)
{
	if ((unsigned)s > IMPORT_STATUS_SUPERSEDED)
		return NULL;
	return status_names[s];
}

bool import_status_from_name(const char *name, enum import_status *out)
{
	for (int i = 1; name && i <= IMPORT_STATUS_SUPERSEDED; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum import_status)i;
			return true;
		}
	}
	return false;
}

const char *import_response_name(enum import_response r)
{
	if ((unsigned)r > IMPORT_RESP_NOT_ACCEPTED)
		return NULL;
	return response_names[r];
}

bool import_response_from_name(const char *name, enum import_response *out)
{
	for (int i = 1; name && i <= IMPORT_RESP_NOT_ACCEPTED; i++) {
		if (strcmp(name, response_names[i]) == 0) {
			*out = (enum import_response)i;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Small string helpers (ASCII only: no locale)                        */

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v' ||
	       ch == '\r' || ch == '\n';
}

/* True when s[0..n) starts with the lower-case ASCII word p, any case. */
static bool ci_prefix(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	if (m > n)
		return false;
	for (size_t i = 0; i < m; i++)
		if (lower(s[i]) != p[i])
			return false;
	return true;
}

/* Where the lower-case needle p occurs in s (NUL-terminated), any case,
 * starting at a word boundary; NULL when it does not. */
static const char *ci_find(const char *s, const char *p)
{
	size_t m = strlen(p);
	for (size_t i = 0; s[i]; i++) {
		if (i > 0 && is_alpha(s[i - 1]))
			continue;
		size_t k = 0;
		while (k < m && s[i + k] && lower(s[i + k]) == p[k])
			k++;
		if (k == m)
			return s + i;
	}
	return NULL;
}

/* As ci_find, but the match must also end at a word boundary. */
static bool ci_word(const char *s, const char *p)
{
	size_t m = strlen(p);
	for (const char *q = ci_find(s, p); q; q = ci_find(q + 1, p))
		if (!is_alpha(q[m]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Parse state and arena-backed buffers                                */

struct abuf {
	char *p;
	size_t len, cap;
};

struct bact {
	struct abuf text, owner, budget, ts, progress;
	enum import_status status;
};

struct brec {
	char *ref;
	int line;
	int num;            /* top-level number (prose) */
	char letter;        /* sub-part letter (prose), 0 when none */
	bool parent;        /* a prose item whose sub-parts are the recs */
	struct brec *up;    /* the item a sub-part belongs to */
	struct abuf text, response;
	struct bact *acts;
	size_t nacts, capacts;
};

struct ctx {
	struct arena *a;
	bool oom;
	char *empty;
	struct cal_date date;
	struct brec **recs;
	size_t nrecs, caprecs;
	struct import_unplaced *unp;
	size_t nunp, capunp;
	char last_letter;   /* ref sequence: last letter seen, 0 none */
	int last_num;       /* ref sequence: last number seen */
};

/* Makes room for one more element of size sz in vector v (n used,
 * *cap allocated); returns the (possibly moved) vector or NULL. */
static void *grow(struct ctx *c, void *v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return v;
	size_t ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / sz / 2) {
		c->oom = true;
		return NULL;
	}
	void *nv = arena_alloc(c->a, ncap * sz);
	if (nv == NULL) {
		c->oom = true;
		return NULL;
	}
	if (n)
		memcpy(nv, v, n * sz);
	*cap = ncap;
	return nv;
}

static void ab_add(struct ctx *c, struct abuf *b, const char *s, size_t n)
{
	if (c->oom || n == 0)
		return;
	if (n > SIZE_MAX / 4 - b->len) {
		c->oom = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 32;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		char *np = arena_alloc(c->a, ncap);
		if (np == NULL) {
			c->oom = true;
			return;
		}
		if (b->len)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void ab_adds(struct ctx *c, struct abuf *b, const char *s)
{
	ab_add(c, b, s, strlen(s));
}

static char *ab_str(struct ctx *c, const struct abuf *b)
{
	return b->len ? b->p : c->empty;
}

static struct brec *rec_new(struct ctx *c, int line)
{
	struct brec **v = grow(c, c->recs, &c->caprecs, c->nrecs,
			       sizeof(*v));
	struct brec *r = arena_zalloc(c->a, sizeof(*r));
	if (v == NULL || r == NULL) {
		c->oom = true;
		return NULL;
	}
	c->recs = v;
	c->recs[c->nrecs++] = r;
	r->line = line;
	r->ref = c->empty;
	return r;
}

/* A new action at the end of r->acts.  Pointers to earlier actions of r
 * are invalid afterwards (the vector may move). */
static struct bact *act_new(struct ctx *c, struct brec *r)
{
	struct bact *v = grow(c, r->acts, &r->capacts, r->nacts, sizeof(*v));
	if (v == NULL)
		return NULL;
	r->acts = v;
	struct bact *x = &r->acts[r->nacts++];
	memset(x, 0, sizeof(*x));
	return x;
}

static struct bact *act_last(struct ctx *c, struct brec *r)
{
	return r->nacts ? &r->acts[r->nacts - 1] : act_new(c, r);
}

static void unplaced_add(struct ctx *c, int line, char *text)
{
	if (text == NULL || text[0] == '\0')
		return;
	struct import_unplaced *v = grow(c, c->unp, &c->capunp, c->nunp,
					 sizeof(*v));
	if (v == NULL)
		return;
	c->unp = v;
	c->unp[c->nunp].line = line;
	c->unp[c->nunp].text = text;
	c->nunp++;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

struct line {
	const char *s;
	size_t n;
	int no;
};

struct lineit {
	const char *d;
	size_t len, pos;
	int no;
};

/* Lines end at LF, CRLF or a lone CR; the terminator is not included. */
static bool line_next(struct lineit *it, struct line *l)
{
	if (it->pos >= it->len)
		return false;
	size_t i = it->pos;
	while (i < it->len && it->d[i] != '\n' && it->d[i] != '\r')
		i++;
	l->s = it->d + it->pos;
	l->n = i - it->pos;
	l->no = ++it->no;
	if (i < it->len) {
		if (it->d[i] == '\r' && i + 1 < it->len && it->d[i + 1] == '\n')
			i++;
		i++;
	}
	it->pos = i;
	return true;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

/* Decodes one well-formed sequence; *len gets its length.  Returns
 * UINT32_MAX (with *len 1) for anything malformed. */
static uint32_t utf8_dec(const unsigned char *s, size_t n, size_t *len)
{
	unsigned ch = s[0];
	size_t m;
	uint32_t cp;
	*len = 1;
	if (ch < 0x80)
		return ch;
	if (ch >= 0xc2 && ch <= 0xdf) {
		m = 2;
		cp = ch & 0x1f;
	} else if (ch >= 0xe0 && ch <= 0xef) {
		m = 3;
		cp = ch & 0x0f;
	} else if (ch >= 0xf0 && ch <= 0xf4) {
		m = 4;
		cp = ch & 0x07;
	} else {
		return UINT32_MAX;
	}
	if (m > n)
		return UINT32_MAX;
	for (size_t k = 1; k < m; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return UINT32_MAX;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((m == 3 && cp < 0x800) || (m == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return UINT32_MAX;
	*len = m;
	return cp;
}

static size_t utf8_enc(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

enum cpk { CP_TEXT, CP_SPACE, CP_SKIP, CP_BULLET, CP_BREAK };

static enum cpk cp_kind(uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == '\v' || cp == 0xa0 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	    cp == 0x205f || cp == 0x3000)
		return CP_SPACE;
	if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff ||
	    cp == 0xad)
		return CP_SKIP;
	if (cp == 0x2022 || cp == 0x2023 || cp == 0x2043 || cp == 0x25e6 ||
	    cp == 0x25aa || cp == 0x25cf || cp == 0xf0b7 || cp == 0xf0a7)
		return CP_BULLET;
	if (cp == 0x2028 || cp == 0x2029)
		return CP_BREAK;
	return CP_TEXT;
}

/* ------------------------------------------------------------------ */
/* Cell and line cleanup                                               */

struct cleaner {
	struct abuf out;
	bool sp, br, item;
	int nl;
	size_t gt;        /* index of the next '>' at or after gt_from */
	size_t gt_from;
	bool gt_known;
	size_t cm;        /* index of the next "-->" */
	size_t cm_from;
	bool cm_known;
};

static void cl_text(struct ctx *c, struct cleaner *k, const char *s,
		    size_t n)
{
	if (k->out.len > 0) {
		if (k->br)
			ab_add(c, &k->out, "\n", 1);
		else if (k->sp)
			ab_add(c, &k->out, " ", 1);
	}
	k->br = k->sp = false;
	k->nl = 0;
	ab_add(c, &k->out, s, n);
}

static void cl_break(struct cleaner *k, bool item)
{
	if (item && k->out.len == 0)
		k->item = true;
	k->br = true;
}

static void cl_cp(struct ctx *c, struct cleaner *k, uint32_t cp,
		  const char *bytes, size_t n)
{
	char buf[4];
	switch (cp_kind(cp)) {
	case CP_SPACE:
		k->sp = true;
		return;
	case CP_SKIP:
		return;
	case CP_BULLET:
		cl_break(k, true);
		return;
	case CP_BREAK:
		cl_break(k, false);
		return;
	case CP_TEXT:
		break;
	}
	if (bytes == NULL) {
		n = utf8_enc(cp, buf);
		bytes = buf;
	}
	cl_text(c, k, bytes, n);
}

/* Index of the next '>' in s[from..n), or n; amortised linear. */
static size_t next_gt(struct cleaner *k, const char *s, size_t n,
		      size_t from)
{
	if (!k->gt_known || k->gt < from) {
		const char *p = memchr(s + from, '>', n - from);
		k->gt = p ? (size_t)(p - s) : n;
		k->gt_known = true;
	}
	return k->gt;
}

/* Index of the next "-->" in s[from..n), or n; amortised linear. */
static size_t next_cm(struct cleaner *k, const char *s, size_t n,
		      size_t from)
{
	if (!k->cm_known || k->cm < from) {
		size_t i = from;
		k->cm = n;
		while (i + 2 < n) {
			const char *p = memchr(s + i, '-', n - i - 2);
			if (p == NULL)
				break;
			i = (size_t)(p - s);
			if (s[i + 1] == '-' && s[i + 2] == '>') {
				k->cm = i;
				break;
			}
			i++;
		}
		k->cm_known = true;
	}
	return k->cm;
}

/* Tags we strip: 'b' paragraph break, 'l' list item, 's' space, 'n'
 * nothing.  Anything else in angle brackets is kept as text. */
static const struct {
	const char *name;
	char kind;
} tag_kinds[] = {
	{"p", 'b'}, {"div", 'b'}, {"br", 'b'}, {"li", 'l'}, {"ul", 'b'},
	{"ol", 'b'}, {"tr", 'b'}, {"table", 'b'}, {"tbody", 'b'},
	{"thead", 'b'}, {"h1", 'b'}, {"h2", 'b'}, {"h3", 'b'}, {"h4", 'b'},
	{"h5", 'b'}, {"h6", 'b'}, {"blockquote", 'b'}, {"hr", 'b'},
	{"dl", 'b'}, {"dt", 'b'}, {"dd", 'b'}, {"td", 's'}, {"th", 's'},
	{"b", 'n'}, {"i", 'n'}, {"u", 'n'}, {"em", 'n'}, {"strong", 'n'},
	{"sup", 'n'}, {"sub", 'n'}, {"span", 'n'}, {"a", 'n'},
	{"font", 'n'}, {"s", 'n'}, {"strike", 'n'}, {"small", 'n'},
	{"big", 'n'}, {"o:p", 'n'}, {"mark", 'n'}, {"code", 'n'},
	{"ins", 'n'}, {"del", 'n'}, {"img", 'n'}, {"abbr", 'n'},
};

/* s[i] is '<'.  Returns the bytes consumed, or 0 when it is not a tag
 * we strip (the '<' is then text). */
static size_t cl_tag(struct cleaner *k, const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	if (j + 2 < n && s[j] == '!' && s[j + 1] == '-' && s[j + 2] == '-') {
		size_t e = next_cm(k, s, n, j + 3);
		if (e >= n)
			return 0;
		k->sp = true;
		return e + 3 - i;
	}
	bool close = false;
	if (j < n && s[j] == '/') {
		close = true;
		j++;
	}
	char name[12];
	size_t m = 0;
	while (j < n && m < sizeof(name) - 1 &&
	       (is_alpha(s[j]) || is_digit(s[j]) || s[j] == ':'))
		name[m++] = lower(s[j++]);
	name[m] = '\0';
	if (m == 0 || j >= n ||
	    !(s[j] == ' ' || s[j] == '\t' || s[j] == '/' || s[j] == '>'))
		return 0;
	char kind = 0;
	for (size_t t = 0; t < sizeof(tag_kinds) / sizeof(*tag_kinds); t++)
		if (strcmp(tag_kinds[t].name, name) == 0)
			kind = tag_kinds[t].kind;
	if (kind == 0)
		return 0;
	size_t e = next_gt(k, s, n, j);
	if (e >= n || e - i > TAG_MAX)
		return 0;
	if (kind == 'l')
		cl_break(k, !close);
	else if (kind == 'b')
		cl_break(k, false);
	else if (kind == 's')
		k->sp = true;
	return e + 1 - i;
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'},
	{"apos", '\''}, {"nbsp", 0xa0}, {"ndash", 0x2013},
	{"mdash", 0x2014}, {"pound", 0xa3}, {"euro", 0x20ac},
	{"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
	{"ldquo", 0x201c}, {"rdquo", 0x201d}, {"bull", 0x2022},
	{"middot", 0xb7}, {"copy", 0xa9},
};

/* s[i] is '&'.  Returns the bytes consumed, or 0 when it is not an
 * entity we decode (the '&' is then text). */
static size_t cl_entity(struct ctx *c, struct cleaner *k, const char *s,
			size_t n, size_t i)
{
	size_t j = i + 1, lim = n - i > 12 ? i + 12 : n, semi = j;
	while (semi < lim && s[semi] != ';')
		semi++;
	if (semi >= lim || semi == j)
		return 0;
	const char *e = s + j;
	size_t en = semi - j;
	uint32_t cp = UINT32_MAX;
	if (e[0] == '#') {
		bool hex = en > 1 && (e[1] == 'x' || e[1] == 'X');
		size_t d = hex ? 2 : 1;
		if (d >= en || en - d > 7)
			return 0;
		cp = 0;
		for (; d < en; d++) {
			char ch = lower(e[d]);
			unsigned v;
			if (is_digit(ch))
				v = (unsigned)(ch - '0');
			else if (hex && ch >= 'a' && ch <= 'f')
				v = (unsigned)(ch - 'a' + 10);
			else
				return 0;
			cp = cp * (hex ? 16 : 10) + v;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r')
			cp = ' ';
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	} else {
		for (size_t t = 0; t < sizeof(entities) / sizeof(*entities);
		     t++) {
			if (strlen(entities[t].name) == en &&
			    memcmp(entities[t].name, e, en) == 0)
				cp = entities[t].cp;
		}
		if (cp == UINT32_MAX)
			return 0;
	}
	cl_cp(c, k, cp, NULL, 0);
	return semi + 1 - i;
}

/*
 * The cleanup every cell and line goes through (import.h, Ownership):
 * tags stripped, entities decoded, "**" markup removed, bullets made
 * paragraph breaks, white space collapsed, paragraphs kept as "\n".
 * *item (may be NULL) says whether the first content was a list item.
 * Returns an arena string (c->empty when nothing is left).
 */
static char *clean(struct ctx *c, const char *s, size_t n, bool *item)
{
	struct cleaner k;
	memset(&k, 0, sizeof(k));
	/* the output is never longer than the input: one allocation */
	if (n > 0 && n < SIZE_MAX / 2) {
		k.out.p = arena_alloc(c->a, n + 1);
		if (k.out.p == NULL) {
			c->oom = true;
			return c->empty;
		}
		k.out.cap = n + 1;
	}
	size_t i = 0;
	while (i < n && !c->oom) {
		char ch = s[i];
		size_t used = 0;
		if (ch == '<')
			used = cl_tag(&k, s, n, i);
		else if (ch == '&')
			used = cl_entity(c, &k, s, n, i);
		else if (ch == '*' && i + 1 < n && s[i + 1] == '*')
			used = 2;
		if (used) {
			i += used;
			continue;
		}
		if (ch == '\n') {
			if (++k.nl >= 2)
				k.br = true;
			k.sp = true;
			i++;
			continue;
		}
		if ((unsigned char)ch < 0x80) {
			if ((unsigned char)ch <= ' ' || ch == 0x7f)
				k.sp = true;
			else
				cl_text(c, &k, s + i, 1);
			i++;
			continue;
		}
		size_t len;
		uint32_t cp = utf8_dec((const unsigned char *)s + i, n - i,
				       &len);
		if (cp != UINT32_MAX)
			cl_cp(c, &k, cp, s + i, len);
		i += len;
	}
	if (item)
		*item = k.item;
	return ab_str(c, &k.out);
}

/* ------------------------------------------------------------------ */
/* Joining continued text                                              */

static bool starts_lower(const char *s)
{
	return s[0] >= 'a' && s[0] <= 'z';
}

/* True when text ends a sentence: . ! ? : ; possibly followed by
 * closing brackets or quotes. */
static bool ends_terminal(const char *p, size_t n)
{
	while (n > 0) {
		unsigned char ch = (unsigned char)p[n - 1];
		if (ch == ')' || ch == ']' || ch == '"' || ch == '\'' ||
		    ch == ' ') {
			n--;
			continue;
		}
		/* U+2019 and U+201D, closing quotes */
		if (n >= 3 && (unsigned char)p[n - 3] == 0xe2 &&
		    (unsigned char)p[n - 2] == 0x80 &&
		    (ch == 0x99 || ch == 0x9d)) {
			n -= 3;
			continue;
		}
		return ch == '.' || ch == '!' || ch == '?' || ch == ':' ||
		       ch == ';';
	}
	return true;
}

/*
 * Appends add to dst.  Text that continues a sentence (dst ends
 * mid-sentence and add starts in lower case) joins with a space; a list
 * item or paragraph (brk) starts a new paragraph; otherwise a space when
 * either side looks mid-sentence, a paragraph break when not.
 */
static void join(struct ctx *c, struct abuf *dst, const char *add, bool brk)
{
	if (add == NULL || add[0] == '\0')
		return;
	if (dst->len) {
		bool term = ends_terminal(dst->p, dst->len);
		bool sp;
		if (starts_lower(add) && !term)
			sp = true;
		else if (brk)
			sp = false;
		else
			sp = starts_lower(add) || !term;
		ab_add(c, dst, sp ? " " : "\n", 1);
	}
	ab_adds(c, dst, add);
}

/* ------------------------------------------------------------------ */
/* Statuses and responses                                              */

static const struct {
	const char *w;
	enum import_status s;
} status_words[] = {
	{"not yet started", IMPORT_STATUS_NOT_STARTED},
	{"not started", IMPORT_STATUS_NOT_STARTED},
	{"in progress", IMPORT_STATUS_IN_PROGRESS},
	{"in-progress", IMPORT_STATUS_IN_PROGRESS},
	{"underway", IMPORT_STATUS_IN_PROGRESS},
	{"under way", IMPORT_STATUS_IN_PROGRESS},
	{"partially completed", IMPORT_STATUS_IN_PROGRESS},
	{"partially complete", IMPORT_STATUS_IN_PROGRESS},
	{"partly completed", IMPORT_STATUS_IN_PROGRESS},
	{"partly complete", IMPORT_STATUS_IN_PROGRESS},
	{"started", IMPORT_STATUS_IN_PROGRESS},
	{"delayed", IMPORT_STATUS_DELAYED},
	{"behind schedule", IMPORT_STATUS_DELAYED},
	{"slipped", IMPORT_STATUS_DELAYED},
	{"overdue", IMPORT_STATUS_DELAYED},
	{"ongoing", IMPORT_STATUS_ONGOING},
	{"on-going", IMPORT_STATUS_ONGOING},
	{"on going", IMPORT_STATUS_ONGOING},
	{"continuing", IMPORT_STATUS_ONGOING},
	{"completed", IMPORT_STATUS_COMPLETED},
	{"complete", IMPORT_STATUS_COMPLETED},
	{"done", IMPORT_STATUS_COMPLETED},
	{"achieved", IMPORT_STATUS_COMPLETED},
	{"implemented", IMPORT_STATUS_COMPLETED},
	/* Red/Amber/Green (and Blue: complete), the usual way councils
	 * rate progress: on track is in progress, amber and red are
	 * behind; the letters alone only as the whole cell (rag_letter) */
	{"on track", IMPORT_STATUS_IN_PROGRESS},
	{"on target", IMPORT_STATUS_IN_PROGRESS},
	{"green", IMPORT_STATUS_IN_PROGRESS},
	{"amber", IMPORT_STATUS_DELAYED},
	{"red", IMPORT_STATUS_DELAYED},
	{"off track", IMPORT_STATUS_DELAYED},
	{"not achieved", IMPORT_STATUS_DELAYED},
	{"not met", IMPORT_STATUS_DELAYED},
	{"blue", IMPORT_STATUS_COMPLETED},
	{"superseded", IMPORT_STATUS_SUPERSEDED},
	{"withdrawn", IMPORT_STATUS_SUPERSEDED},
	{"no longer required", IMPORT_STATUS_SUPERSEDED},
	{"no longer relevant", IMPORT_STATUS_SUPERSEDED},
};

/* Reads a status word at the start of s; *rest gets what follows it
 * with leading punctuation removed.  False when s starts with none. */
static bool status_parse(const char *s, enum import_status *st,
			 const char **rest)
{
	size_t n = strlen(s);
	/* a rating's letter, alone in its cell: G, A, R, B (complete) */
	size_t t = n;
	while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\n' ||
			 s[t - 1] == '.'))
		t--;
	if (t == 1) {
		static const char letters[] = "GgAaRrBb";
		static const enum import_status by[] = {
			IMPORT_STATUS_IN_PROGRESS, IMPORT_STATUS_DELAYED,
			IMPORT_STATUS_DELAYED, IMPORT_STATUS_COMPLETED,
		};
		const char *at = strchr(letters, s[0]);
		if (at != NULL && s[0] != '\0') {
			*st = by[(at - letters) / 2];
			*rest = s + n;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(status_words) / sizeof(*status_words);
	     i++) {
		size_t m = strlen(status_words[i].w);
		if (!ci_prefix(s, n, status_words[i].w) || is_alpha(s[m]))
			continue;
		const char *r = s + m;
		for (;;) {
			if (*r == ' ' || *r == '-' || *r == ':' || *r == ',' ||
			    *r == '.' || *r == ';' || *r == '\n')
				r++;
			else if ((unsigned char)r[0] == 0xe2 &&
				 (unsigned char)r[1] == 0x80 &&
				 ((unsigned char)r[2] == 0x93 ||
				  (unsigned char)r[2] == 0x94))
				r += 3;
			else
				break;
		}
		*st = status_words[i].s;
		*rest = r;
		return true;
	}
	return false;
}

static const char *const not_accepted[] = {
	"not accepted", "not be accepted", "not agreed", "rejected",
	"do not accept", "does not accept", "cannot accept",
	"can not accept", "not supported",
};
static const char *const partly_accepted[] = {
	"partly accepted", "partially accepted", "accepted in part",
	"partly agreed", "partially agreed", "agreed in part",
};
static const char *const accepted[] = {
	"accepted", "we accept", "is agreed", "are agreed",
	"recommendation agreed", "agreed in full",
};

static bool any_word(const char *s, const char *const *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ci_word(s, w[i]))
			return true;
	return false;
}

static enum import_response response_kind(const char *s)
{
	size_t n = strlen(s);
	/* an "Agreed?" column's Yes or No */
	if (ci_prefix(s, n, "yes") && !is_alpha(s[3]))
		return IMPORT_RESP_ACCEPTED;
	if (ci_prefix(s, n, "no") && !is_alpha(s[2]))
		return IMPORT_RESP_NOT_ACCEPTED;
	/* ... or "In part", "Partly", "Partially" */
	if ((ci_prefix(s, n, "in part") && !is_alpha(s[7])) ||
	    (ci_prefix(s, n, "partly") && !is_alpha(s[6])) ||
	    (ci_prefix(s, n, "partially") && !is_alpha(s[9])))
		return IMPORT_RESP_PARTLY;
	if (any_word(s, not_accepted, sizeof(not_accepted) / sizeof(char *)))
		return IMPORT_RESP_NOT_ACCEPTED;
	if (any_word(s, partly_accepted,
		     sizeof(partly_accepted) / sizeof(char *)))
		return IMPORT_RESP_PARTLY;
	if (any_word(s, accepted, sizeof(accepted) / sizeof(char *)) ||
	    ((ci_prefix(s, n, "agreed") || ci_prefix(s, n, "accept")) &&
	     !is_alpha(s[6])))
		return IMPORT_RESP_ACCEPTED;
	return IMPORT_RESP_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Dates in the preamble                                               */

static int month_of(const char *w, size_t n)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december",
	};
	char b[12];
	if (n < 3 || n >= sizeof(b))
		return 0;
	for (size_t i = 0; i < n; i++)
		b[i] = lower(w[i]);
	b[n] = '\0';
	if (strcmp(b, "sept") == 0)
		return 9;
	for (int m = 0; m < 12; m++) {
		if (strcmp(b, months[m]) == 0 ||
		    (n == 3 && memcmp(b, months[m], 3) == 0))
			return m + 1;
	}
	return 0;
}

static bool is_weekday(const char *w, size_t n)
{
	static const char *const days[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday",
	};
	for (size_t i = 0; i < 7; i++) {
		size_t m = strlen(days[i]), k = 0;
		if (n != m && n != 3)
			continue;
		while (k < n && lower(w[k]) == days[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static bool mkdate(int y, int m, int d, struct cal_date *out)
{
	struct cal_date t = {y, m, d};
	if (y < CAL_PARSE_YEAR_MIN || y > CAL_PARSE_YEAR_MAX ||
	    !cal_date_valid(t))
		return false;
	*out = t;
	return true;
}

/* Reads up to max digits; returns the count read (0 when none). */
static size_t digits(const char *s, size_t n, size_t max, int *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i < max && is_digit(s[i]))
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

/*
 * True when all of s (a cleaned line, perhaps with a trailing '.') is a
 * date: "7 June 2016", "13th April 2005", "Tuesday, 7 June 2016",
 * "June 7, 2016", "07/06/2016", "7.6.2016", "2016-06-07".
 */
static bool parse_date(const char *s, struct cal_date *out)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	int d, m, y;
	size_t a = digits(s, n, 4, &y);
	if (a == 4 && n == 10 && cal_date_parse(s, n, out))
		return true;
	/* dd/mm/yyyy */
	a = digits(s, n, 2, &d);
	if (a > 0 && a < n && (s[a] == '/' || s[a] == '.' || s[a] == '-')) {
		char sep = s[a];
		size_t b = digits(s + a + 1, n - a - 1, 2, &m);
		size_t p = a + 1 + b;
		if (b > 0 && p < n && s[p] == sep &&
		    digits(s + p + 1, n - p - 1, 4, &y) == 4 && p + 5 == n)
			return mkdate(y, m, d, out);
		return false;
	}
	/* word tokens */
	struct {
		const char *s;
		size_t n;
	} tok[5];
	size_t nt = 0, i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i >= n)
			break;
		size_t st = i;
		while (i < n && (is_alpha(s[i]) || is_digit(s[i])))
			i++;
		if (i == st || nt == 5)
			return false;
		tok[nt].s = s + st;
		tok[nt].n = i - st;
		nt++;
	}
	size_t t = 0;
	if (nt > 0 && is_weekday(tok[0].s, tok[0].n))
		t = 1;
	if (nt - t != 3)
		return false;
	int day = 0, mon, year = 0;
	size_t dt, mt;
	if (is_digit(tok[t].s[0])) {
		dt = t;
		mt = t + 1;
	} else {
		mt = t;
		dt = t + 1;
	}
	mon = month_of(tok[mt].s, tok[mt].n);
	size_t dl = digits(tok[dt].s, tok[dt].n, 2, &day);
	if (mon == 0 || dl == 0)
		return false;
	if (dl < tok[dt].n) {
		const char *suf = tok[dt].s + dl;
		size_t sl = tok[dt].n - dl;
		if (sl != 2 || !(ci_prefix(suf, 2, "st") ||
				 ci_prefix(suf, 2, "nd") ||
				 ci_prefix(suf, 2, "rd") ||
				 ci_prefix(suf, 2, "th")))
			return false;
	}
	if (tok[t + 2].n != 4 || digits(tok[t + 2].s, 4, 4, &year) != 4)
		return false;
	return mkdate(year, mon, day, out);
}

/* Length of a "Label:" at the start of s (through the colon), or 0.  A
 * label is at most 30 bytes of letters, spaces and ()/&'. */
static size_t label_len(const char *s)
{
	size_t i = 0;
	while (s[i] && s[i] != ':' && i <= 30) {
		char ch = s[i];
		if (!(is_alpha(ch) || ch == ' ' || ch == '(' || ch == ')' ||
		      ch == '/' || ch == '&' || ch == '\''))
			return 0;
		i++;
	}
	if (s[i] != ':' || i == 0 || !is_alpha(s[0]))
		return 0;
	return i + 1;
}

/* A preamble line that states the document's date (import.h). */
/* What follows the last spaced dash in s (" - ", " – ", " — "), or
 * NULL when there is none. */
static const char *after_dash(const char *s)
{
	const char *last = NULL;
	for (const char *p = s; *p; p++) {
		if (p[0] == ' ' && p[1] == '-' && p[2] == ' ')
			last = p + 3;
		else if (p[0] == ' ' && (unsigned char)p[1] == 0xe2 &&
			 (unsigned char)p[2] == 0x80 &&
			 ((unsigned char)p[3] == 0x93 ||
			  (unsigned char)p[3] == 0x94) && p[4] == ' ')
			last = p + 5;
	}
	return last;
}

static bool date_line(const char *s, struct cal_date *out)
{
	if (parse_date(s, out))
		return true;
	size_t l = label_len(s);
	if (l) {
		const char *r = s + l;
		while (*r == ' ')
			r++;
		return parse_date(r, out);
	}
	if (ci_prefix(s, strlen(s), "on "))
		return parse_date(s + 3, out);
	/* "Children's Social Care - 12 August 2013": after the last dash */
	const char *last = after_dash(s);
	return last && parse_date(last, out);
}

/* The first date written out within s ("held on THURSDAY 5 JUNE 2025
 * at 10am", "Meeting: Wednesday 12 March 2025, 7pm", "Cabinet, 2
 * October 2025"): three or four words (a weekday first) that
 * parse_date() reads, tried from each word's start. */
static bool date_in(const char *s, struct cal_date *out)
{
	for (const char *p = s; *p; p++) {
		if (!(is_alpha(*p) || is_digit(*p)) ||
		    (p > s && (is_alpha(p[-1]) || is_digit(p[-1]))))
			continue;
		for (int words = 3; words <= 4; words++) {
			const char *e = p;
			int w = 0;
			while (*e && w < words) {
				while (*e && !(is_alpha(*e) || is_digit(*e)))
					e++;
				if (!*e)
					break;
				while (is_alpha(*e) || is_digit(*e))
					e++;
				w++;
			}
			if (w < words || e - p > 60)
				break;
			char buf[64];
			memcpy(buf, p, (size_t)(e - p));
			buf[e - p] = '\0';
			if (parse_date(buf, out))
				return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Preamble: title and date                                            */

static bool blank_line(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++) {
		unsigned char ch = (unsigned char)l->s[i];
		if (is_space((char)ch))
			continue;
		if (ch == 0xc2 && i + 1 < l->n &&
		    (unsigned char)l->s[i + 1] == 0xa0) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

/* The line without leading white space and markdown heading marks. */
static void strip_hashes(const struct line *l, const char **s, size_t *n,
			 bool *heading)
{
	size_t i = 0;
	while (i < l->n && is_space(l->s[i]))
		i++;
	*heading = i < l->n && l->s[i] == '#';
	while (i < l->n && (l->s[i] == '#' || is_space(l->s[i])))
		i++;
	*s = l->s + i;
	*n = l->n - i;
}

static char *trim_title(struct ctx *c, char *t)
{
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == '.' || t[n - 1] == ' '))
		n--;
	if (n == 0)
		return c->empty;
	t[n] = '\0';
	return t;
}

/* Title and date from the preamble lines [1, end) (import.h). */
static char *preamble(struct ctx *c, const char *doc, size_t len, int end)
{
	struct lineit it = {doc, len, 0, 0};
	struct line l;
	char *labelled = NULL, *heading = NULL, *first = NULL;
	bool have_date = false, have_within = false;
	struct cal_date within = {0};
	int seen = 0;
	while (line_next(&it, &l) && l.no < end && !c->oom &&
	       seen < PREAMBLE_LINES) {
		if (blank_line(&l))
			continue;
		seen++;
		const char *s;
		size_t n;
		bool hd;
		strip_hashes(&l, &s, &n, &hd);
		char *t = clean(c, s, n, NULL);
		if (t[0] == '\0')
			continue;
		struct cal_date d;
		bool is_date = date_line(t, &d);
		if (is_date && !have_date) {
			c->date = d;
			have_date = true;
		} else if (!is_date && !have_date && !have_within &&
			   date_in(t, &within)) {
			have_within = true;
		}
		size_t ll = label_len(t);
		if (labelled == NULL && ll) {
			char lb[32];
			size_t k = 0;
			for (; k + 1 < ll && k < sizeof(lb) - 1; k++)
				lb[k] = lower(t[k]);
			lb[k] = '\0';
			if (strcmp(lb, "title") == 0 ||
			    strcmp(lb, "report title") == 0 ||
			    strcmp(lb, "subject") == 0) {
				const char *v = t + ll;
				while (*v == ' ')
					v++;
				if (*v)
					labelled = (char *)v;
			}
		}
		if (heading == NULL && hd)
			heading = t;
		bool letters = false;
		for (const char *p = t; *p && !letters; p++)
			letters = is_alpha(*p);
		if (first == NULL && !hd && !ll && !is_date && letters &&
		    strlen(t) <= TITLE_MAX && t[0] != '[')
			first = t;
	}
	/* no line that is a date: the first date a line mentions (a
	 * meeting's "held on 5 June 2025") */
	if (!have_date && have_within)
		c->date = within;
	char *title = labelled ? labelled : heading ? heading : first;
	return title ? trim_title(c, title) : c->empty;
}

/* ------------------------------------------------------------------ */
/* References                                                          */

struct refp {
	char ref[24];
	size_t skip;       /* bytes of the marker and the spaces after it */
	int num;
	char letter;
};

/* The letter a ref token stands for, repairing mis-scans against the
 * expected next letter ("I)" for l, "0)" for o, "V)" for v); 0 when
 * the token is not a letter. */
static char resolve_letter(const struct ctx *c, char t)
{
	char e = c->last_letter ? (char)(c->last_letter + 1) : 'a';
	if (t >= 'a' && t <= 'z') {
		if ((t == 'l' && e == 'i') || (t == 'i' && e == 'l'))
			return e;
		return t;
	}
	if (t >= 'A' && t <= 'Z') {
		char l = lower(t);
		if (t == 'I' && (e == 'l' || e == 'i'))
			return e;
		return l;
	}
	if (c->last_letter == 0)
		return 0;
	if ((t == '1' || t == '|' || t == '!') && (e == 'l' || e == 'i'))
		return e;
	if (t == '0' && e == 'o')
		return 'o';
	if (t == '5' && e == 's')
		return 's';
	if (t == '2' && e == 'z')
		return 'z';
	return 0;
}

/*
 * Reads a reference at the start of a cleaned recommendation cell:
 * "1.", "1)", "(1)", "1:", "1(a)", "a)", "(a)", "a." (only the expected
 * letter), "Recommendation 1", or "1 That" when 1 is the next number.
 * Does not update the sequence; ref_commit() does.
 */
static size_t doc_ref(const char *s, size_t n, int *num, int *sub);

static bool ref_parse(const struct ctx *c, const char *s, struct refp *r)
{
	size_t n = strlen(s), i = 0;
	memset(r, 0, sizeof(*r));
	/* "R1 That ...", "R3.1: That ...": the document's own, as written */
	if (n > 1 && s[0] >= 'A' && s[0] <= 'Z') {
		int v, sub;
		size_t d = doc_ref(s, n, &v, &sub);
		if (d > 0 && d < sizeof(r->ref) &&
		    is_digit(s[d - 1])) {
			i = d;
			if (s[i] == '.' || s[i] == ':' || s[i] == ')')
				i++;
			if (s[i] == ' ' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
				memcpy(r->ref, s, d);
				r->ref[d] = '\0';
				r->num = v;
				while (s[i] == ' ')
					i++;
				r->skip = i;
				return true;
			}
			i = 0;
		}
	}
	if (ci_prefix(s, n, "recommendation")) {
		i = 14;
		while (i < n && s[i] == ' ')
			i++;
		int v;
		size_t d = digits(s + i, n - i, 3, &v);
		if (d == 0 || v == 0 || is_digit(s[i + d]))
			return false;
		i += d;
		if (s[i] == '.' || s[i] == ':' || s[i] == ')')
			i++;
		else if (s[i] != ' ' && s[i] != '\0' && s[i] != '-')
			return false;
		while (s[i] == ' ' || s[i] == '-')
			i++;
		r->num = v;
		snprintf(r->ref, sizeof(r->ref), "%d", v);
		r->skip = i;
		return true;
	}
	bool paren = s[0] == '(';
	size_t t0 = paren ? 1 : 0;
	int v = 0;
	size_t d = digits(s + t0, n - t0, 3, &v);
	char letter = 0;
	/* a single-character token may be a (mis-scanned) letter */
	if (t0 + 1 < n && s[t0 + 1] == ')' &&
	    (d == 0 || c->last_letter != 0))
		letter = resolve_letter(c, s[t0]);
	if (letter == 0 && !paren && d == 0 && n >= 2 && s[1] == '.' &&
	    (n == 2 || s[2] == ' ')) {
		char e = c->last_letter ? (char)(c->last_letter + 1) : 'a';
		if (lower(s[0]) == e)
			letter = e;
	}
	if (letter) {
		r->letter = letter;
		r->ref[0] = letter;
		i = t0 + 2;
	} else if (d > 0 && v > 0) {
		i = t0 + d;
		char sub = 0;
		if (s[i] == '(' && is_alpha(s[i + 1]) && s[i + 2] == ')') {
			sub = lower(s[i + 1]);
			i += 3;
		}
		if (paren) {
			if (s[i] != ')')
				return false;
			i++;
		} else if (s[i] == ')' || (s[i] == ':' && s[i + 1] == ' ')) {
			i++;
		} else if (s[i] == '.' && (s[i + 1] == ' ' || !s[i + 1])) {
			i++;
		} else if (sub) {
			/* "1(a) text" */
		} else if (s[i] == ' ' && v == c->last_num + 1 &&
			   s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
			/* "3 That ..." */
		} else {
			return false;
		}
		r->num = v;
		if (sub)
			snprintf(r->ref, sizeof(r->ref), "%d(%c)", v, sub);
		else
			snprintf(r->ref, sizeof(r->ref), "%d", v);
	} else {
		return false;
	}
	while (s[i] == ' ')
		i++;
	r->skip = i;
	return true;
}

/*
 * A document's own reference at the start of s[0..n) (issue 12: keep
 * "R1", "R3.1", "1.2", "2(b)", "AFI4" as the document wrote them): up
 * to three capitals, a number, any ".number" levels, then any "(b)" or
 * "(ii)" parts.  Returns the bytes it takes (0: not a reference); *num
 * is the first number, *sub the second (0 when none).  The text is
 * s[0..return).
 */
static size_t doc_ref_at(const char *s, size_t n, int *num, int *sub,
			 bool loose)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] >= 'A' && s[i] <= 'Z')
		i++;
	/* loose (a Ref column's cell): "AFI 1", "Rec. 2", "Item 3" */
	if (loose && i == 0 && n > 0 && s[0] >= 'A' && s[0] <= 'Z') {
		while (i < n && i < 4 && is_alpha(s[i]))
			i++;
	}
	if (loose && i > 0 && i < n && s[i] == '.')
		i++;
	if (loose && i > 0 && i < n && s[i] == ' ')
		i++;
	int v = 0, w = 0;
	size_t d = digits(s + i, n - i, 3, &v);
	if (d == 0 || v == 0 || (i + d < n && is_digit(s[i + d])))
		return 0;
	i += d;
	for (int level = 0; i + 1 < n && s[i] == '.' && is_digit(s[i + 1]);
	     level++) {
		int x;
		size_t e = digits(s + i + 1, n - i - 1, 3, &x);
		if (e == 0 || (i + 1 + e < n && is_digit(s[i + 1 + e])))
			return 0;
		if (level == 0)
			w = x;
		i += 1 + e;
	}
	while (i + 2 < n && s[i] == '(') {
		size_t k = i + 1;
		while (k < n && k - i <= 4 && is_alpha(s[k]))
			k++;
		if (k == i + 1 || k >= n || s[k] != ')')
			break;
		i = k + 1;
	}
	*num = v;
	*sub = w;
	return i;
}

static size_t doc_ref(const char *s, size_t n, int *num, int *sub)
{
	return doc_ref_at(s, n, num, sub, false);
}

/* A Ref column that holds only a reference ("7", "7.", "7)", "1.2",
 * "R3.1", "2(b)"): that reference as written, in or out of sequence.
 * rtext is that cell, a space, then the text. */
static bool ref_bare(const char *cell, const char *rtext, struct refp *r)
{
	size_t n = strlen(cell);
	int v, sub;
	size_t d = doc_ref_at(cell, n, &v, &sub, true);
	if (d == 0 || d >= sizeof(r->ref) ||
	    !(d == n || (d + 1 == n && (cell[d] == '.' || cell[d] == ')'))))
		return false;
	memset(r, 0, sizeof(*r));
	r->num = v;
	memcpy(r->ref, cell, d);
	r->ref[d] = '\0';
	r->skip = n;
	while (rtext[r->skip] == ' ')
		r->skip++;
	return true;
}

static void ref_commit(struct ctx *c, const struct refp *r)
{
	if (r->letter)
		c->last_letter = r->letter;
	else
		c->last_num = r->num;
}

/* ------------------------------------------------------------------ */
/* Column roles                                                        */

/* Lower-case letters of s with every other run as one space, trimmed,
 * into out[cap]; false when it does not fit. */
static bool norm(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	bool sp = false;
	for (; *s; s++) {
		if (is_alpha(*s)) {
			if (sp && o > 0) {
				if (o + 1 >= cap)
					return false;
				out[o++] = ' ';
			}
			sp = false;
			if (o + 1 >= cap)
				return false;
			out[o++] = lower(*s);
		} else {
			sp = true;
		}
	}
	out[o] = '\0';
	return true;
}

/*
 * The heading vocabulary (issue 12): what councils write over a column,
 * and the field it fills.  Data, in one table, checked in order (the
 * first match wins, so the narrower phrases come first): a phrase and
 * how it must appear in the normalised heading (norm(): lower case,
 * letters only, single spaces): the whole heading, a word or words of
 * it, or anywhere in it.  A heading that matches nothing is kept as an
 * extra column ("Name: text" in the action), never dropped.
 */
enum hv_how { HV_IS, HV_WORD, HV_HAS };
static const struct {
	const char *phrase;
	enum hv_how how;
	enum col role;
} heading_vocab[] = {
	/* the document's own reference */
	{"ref", HV_IS, COL_REF}, {"no", HV_IS, COL_REF},
	{"number", HV_IS, COL_REF}, {"rec no", HV_IS, COL_REF},
	{"ref no", HV_IS, COL_REF}, {"item", HV_IS, COL_REF},
	{"rec", HV_IS, COL_REF}, {"reference", HV_IS, COL_REF},
	{"rec ref", HV_IS, COL_REF}, {"recommendation no", HV_IS, COL_REF},
	{"recommendation number", HV_IS, COL_REF},
	/* to whom a recommendation is made is not who acts on it: kept */
	{"recommendation made to", HV_HAS, COL_OTHER},
	{"recommendation to", HV_IS, COL_OTHER},
	/* one column holding both: "Recommendation and Cabinet response"
	 * (the response is its "Response:" paragraph: rec_response()) */
	{"recommendation and", HV_HAS, COL_REC},
	{"recommendations and", HV_HAS, COL_REC},
	{"response", HV_HAS, COL_RESPONSE},
	{"agreed", HV_IS, COL_RESPONSE},
	{"accepted", HV_IS, COL_RESPONSE},
	{"agreed or not agreed", HV_IS, COL_RESPONSE},
	{"accepted or rejected", HV_IS, COL_RESPONSE},
	{"decision", HV_IS, COL_RESPONSE},
	{"recommended action", HV_HAS, COL_ACTION},
	{"recommendation", HV_HAS, COL_REC},
	{"area for improvement", HV_HAS, COL_REC},
	{"areas for improvement", HV_HAS, COL_REC},
	{"area for development", HV_HAS, COL_REC},
	{"areas for development", HV_HAS, COL_REC},
	{"finding", HV_WORD, COL_REC},
	{"findings", HV_WORD, COL_REC},
	{"action", HV_WORD, COL_ACTION},
	{"actions", HV_WORD, COL_ACTION},
	/* ratings and statuses before progress text */
	{"progress", HV_IS, COL_STATUS}, {"status", HV_IS, COL_STATUS},
	{"rag", HV_WORD, COL_STATUS}, {"current status", HV_IS, COL_STATUS},
	{"progress status", HV_IS, COL_STATUS},
	{"rating", HV_IS, COL_STATUS},
	{"progress", HV_HAS, COL_PROGRESS}, {"update", HV_HAS, COL_PROGRESS},
	{"comment", HV_HAS, COL_PROGRESS},
	{"post title", HV_HAS, COL_OWNER}, {"owner", HV_HAS, COL_OWNER},
	{"lead", HV_WORD, COL_OWNER}, {"responsib", HV_HAS, COL_OWNER},
	{"officer", HV_HAS, COL_OWNER}, {"accountab", HV_HAS, COL_OWNER},
	{"who", HV_IS, COL_OWNER}, {"by whom", HV_IS, COL_OWNER},
	{"budget", HV_HAS, COL_BUDGET}, {"cost", HV_WORD, COL_BUDGET},
	{"costs", HV_WORD, COL_BUDGET}, {"resource", HV_HAS, COL_BUDGET},
	{"financ", HV_HAS, COL_BUDGET},
	/* issue 12: a meeting's or a decision's date is not when an
	 * action is due (kept as a column of its own) */
	{"meeting", HV_WORD, COL_OTHER},
	{"date of decision", HV_HAS, COL_OTHER},
	{"decision date", HV_HAS, COL_OTHER},
	{"date agreed", HV_HAS, COL_OTHER},
	{"date raised", HV_HAS, COL_OTHER},
	{"date added", HV_HAS, COL_OTHER},
	{"date of report", HV_HAS, COL_OTHER},
	{"timescale", HV_HAS, COL_TIMESCALE},
	{"timetable", HV_HAS, COL_TIMESCALE},
	{"deadline", HV_HAS, COL_TIMESCALE},
	{"target date", HV_HAS, COL_TIMESCALE},
	{"by when", HV_HAS, COL_TIMESCALE},
	{"timeline", HV_HAS, COL_TIMESCALE},
	{"date", HV_WORD, COL_TIMESCALE},
	{"completion", HV_HAS, COL_TIMESCALE},
	{"when", HV_IS, COL_TIMESCALE}, {"target", HV_IS, COL_TIMESCALE},
	{"due", HV_IS, COL_TIMESCALE},
};

#define LIST(a) (a), sizeof(a) / sizeof(*(a))

/* The role a header cell (or a prose label) names; nm is norm()ed. */
static enum col role_of(const char *nm, const char *raw)
{
	if (strcmp(raw, "#") == 0)
		return COL_REF;
	for (size_t i = 0; i < sizeof(heading_vocab) / sizeof(*heading_vocab);
	     i++) {
		const char *ph = heading_vocab[i].phrase;
		bool hit = heading_vocab[i].how == HV_IS    ? strcmp(nm, ph) == 0
			   : heading_vocab[i].how == HV_WORD ? ci_word(nm, ph)
							     : strstr(nm, ph) != NULL;
		if (hit)
			return heading_vocab[i].role;
	}
	return COL_NONE;
}

static bool action_role(enum col r)
{
	return r == COL_ACTION || r == COL_OWNER || r == COL_BUDGET ||
	       r == COL_TIMESCALE || r == COL_STATUS || r == COL_PROGRESS ||
	       r == COL_OTHER;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

struct cells {
	size_t n;                 /* cells in the row (may exceed MAXSPLIT) */
	const char *s[MAXSPLIT];
	size_t len[MAXSPLIT];
};

static void cell_add(struct cells *cs, const char *s, size_t n)
{
	if (cs->n < MAXSPLIT) {
		cs->s[cs->n] = s;
		cs->len[cs->n] = n;
	}
	cs->n++;
}

static void split_tsv(const struct line *l, struct cells *cs)
{
	size_t st = 0;
	cs->n = 0;
	for (size_t i = 0; i <= l->n; i++) {
		if (i == l->n || l->s[i] == '\t') {
			cell_add(cs, l->s + st, i - st);
			st = i + 1;
		}
	}
}

/* "| a | b |": cells a and b.  "\|" does not split. */
static void split_pipe(const struct line *l, struct cells *cs)
{
	size_t i = 0;
	cs->n = 0;
	while (i < l->n && is_space(l->s[i]))
		i++;
	i++; /* the leading '|' */
	size_t st = i;
	for (; i < l->n; i++) {
		if (l->s[i] == '\\' && i + 1 < l->n) {
			i++;
			continue;
		}
		if (l->s[i] == '|') {
			cell_add(cs, l->s + st, i - st);
			st = i + 1;
		}
	}
	size_t e = l->n;
	bool rest_blank = true;
	for (size_t k = st; k < e; k++)
		if (!is_space(l->s[k]))
			rest_blank = false;
	if (!rest_blank || cs->n == 0)
		cell_add(cs, l->s + st, e - st);
}

static bool is_pipe_line(const struct line *l)
{
	size_t i = 0;
	while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i < l->n && l->s[i] == '|';
}

/* "|---|:--|": a Markdown alignment row. */
static bool is_sep_row(const struct cells *cs)
{
	bool dash = false;
	size_t n = cs->n < MAXSPLIT ? cs->n : MAXSPLIT;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < cs->len[i]; k++) {
			char ch = cs->s[i][k];
			if (ch == '-')
				dash = true;
			else if (ch != ':' && !is_space(ch))
				return false;
		}
	}
	return dash;
}

struct hdr {
	size_t n;
	unsigned char role[MAXC];
	char *nm[MAXC];     /* normalised cell text */
	char *label[MAXC];  /* cleaned cell text (for COL_OTHER) */
};

/* Position of role r in the canonical header, or -1. */
static int canon_pos(const struct hdr *h, enum col r)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->role[i] == r)
			return (int)i;
	return -1;
}

/*
 * Decides whether the cleaned cells cell[0..n) are a header row and
 * maps each to a role (import.h, "Tables").  canon is the first header
 * of the table (NULL when none yet).  *repeat says the row repeats canon
 * (a page break).
 */
static bool header_try(struct ctx *c, char **cell, size_t n,
		       const struct hdr *canon, struct hdr *h, bool *repeat)
{
	if (n < 2 || n > MAXC)
		return false;
	size_t nonempty = 0, anchored = 0, exact = 0;
	bool has_rec = false;
	char nms[MAXC][HDR_CELL_MAX + 2];
	memset(h, 0, sizeof(*h));
	h->n = n;
	for (size_t i = 0; i < n; i++) {
		char *nm = nms[i];
		if (strlen(cell[i]) > HDR_CELL_MAX ||
		    !norm(cell[i], nm, sizeof(nms[i])))
			return false;
		h->label[i] = cell[i];
		enum col r = role_of(nm, cell[i]);
		h->role[i] = (unsigned char)r;
		if (cell[i][0])
			nonempty++;
		if (r != COL_NONE)
			anchored++;
		if (r == COL_REC)
			has_rec = true;
		for (size_t k = 0; canon && nm[0] && k < canon->n; k++) {
			if (strcmp(canon->nm[k], nm) == 0) {
				exact++;
				if (r == COL_NONE &&
				    canon->role[k] == COL_OTHER)
					h->role[i] = COL_OTHER;
				break;
			}
		}
	}
	/* A plan with no recommendation column ("Ref | Recommended action |
	 * Lead officer | Target date"): its first action column is what
	 * each row recommends, when a reference or an owner or a date says
	 * it is a plan and not a table of something else. */
	if (!has_rec && canon == NULL) {
		int act = -1;
		bool plan = false;
		for (size_t i = 0; i < n; i++) {
			if (h->role[i] == COL_ACTION && act < 0)
				act = (int)i;
			if (h->role[i] == COL_REF || h->role[i] == COL_OWNER ||
			    h->role[i] == COL_TIMESCALE)
				plan = true;
		}
		if (act >= 0 && plan) {
			h->role[act] = COL_REC;
			has_rec = true;
		}
	}
	bool full = anchored >= 2 && has_rec && anchored * 2 >= nonempty;
	bool rep = canon != NULL && exact >= 2;
	if (!full && !rep)
		return false;
	*repeat = rep;
	for (size_t i = 0; i < n; i++) {
		h->nm[i] = nms[i][0] ? arena_strdup(c->a, nms[i]) : c->empty;
		if (h->nm[i] == NULL) {
			c->oom = true;
			return false;
		}
	}
	/* a new header names its unknown columns (not short fragments) */
	if (!rep) {
		for (size_t i = 0; i < n; i++)
			if (h->role[i] == COL_NONE && strlen(nms[i]) > 3)
				h->role[i] = COL_OTHER;
	}
	/* runs of unmapped cells: the gap between two mapped neighbours */
	for (size_t i = 0; i < n;) {
		if (h->role[i] != COL_NONE) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && h->role[j] == COL_NONE)
			j++;
		int L = i > 0 ? (int)h->role[i - 1] : -1;
		int R = j < n ? (int)h->role[j] : -1;
		enum col K[COL__MAX];
		size_t nk = 0;
		if (rep) {
			int lo = L >= 0 ? canon_pos(canon, (enum col)L) : -1;
			int hi = R >= 0 ? canon_pos(canon, (enum col)R)
					: (int)canon->n;
			for (int p = lo + 1; p >= 0 && p < hi &&
			     p < (int)canon->n; p++) {
				enum col r = (enum col)canon->role[p];
				bool used = r == COL_OTHER;
				for (size_t q = 0; q < n && !used; q++)
					used = h->role[q] == r;
				for (size_t q = 0; q < nk && !used; q++)
					used = K[q] == r;
				if (!used && nk < COL__MAX)
					K[nk++] = r;
			}
		}
		for (size_t t = i; t < j; t++) {
			size_t at = t - i;
			if (nk > 0) {
				h->role[t] = (unsigned char)K[at < nk ? at
								      : nk - 1];
			} else if (L >= 0) {
				h->role[t] = (unsigned char)L;
				h->label[t] = h->label[i - 1];
			} else if (R >= 0) {
				h->role[t] = (unsigned char)R;
				h->label[t] = h->label[j];
			}
		}
		i = j;
	}
	return true;
}

/* Texts of one data row, by role ("" when none). */
struct rowtext {
	char *t[COL__MAX];
	bool item[COL__MAX];
	bool any_action;
};

/* a, sep, b as one arena string; a or b alone when the other is "". */
static char *cat(struct ctx *c, char *a, const char *sep, char *b)
{
	if (b[0] == '\0')
		return a;
	if (a[0] == '\0')
		return b;
	char *r = arena_printf(c->a, "%s%s%s", a, sep, b);
	if (r == NULL) {
		c->oom = true;
		return c->empty;
	}
	return r;
}

struct tpass {
	enum import_format fmt;
	struct hdr canon, cur;
	bool have_canon;
	bool page_break;     /* the last table line was a repeated header */
	size_t rows, ragged;
	size_t rec_rows;     /* rows with text in the recommendation column */
	int ragged_line;
	struct brec *last;
	bool unnumbered;
	int seq;
};

/* How likely it is that cells a and b were one cell split in two. */
static int join_score(const char *a, const char *b)
{
	int s = 0;
	if (a[0] == '\0' || b[0] == '\0')
		s += 4;
	if (starts_lower(b) || b[0] == '\'' || b[0] == ',' || b[0] == '.')
		s += 2;
	if (!ends_terminal(a, strlen(a)))
		s += 1;
	return s;
}

static void fill_action(struct ctx *c, struct bact *a, struct rowtext *rt)
{
	join(c, &a->text, rt->t[COL_ACTION], rt->item[COL_ACTION]);
	join(c, &a->text, rt->t[COL_OTHER], true);
	join(c, &a->owner, rt->t[COL_OWNER], false);
	join(c, &a->budget, rt->t[COL_BUDGET], false);
	join(c, &a->ts, rt->t[COL_TIMESCALE], false);
	const char *st = rt->t[COL_STATUS];
	enum import_status s;
	const char *rest;
	if (st[0] && status_parse(st, &s, &rest)) {
		if (a->status == IMPORT_STATUS_NONE)
			a->status = s;
		join(c, &a->progress, rest, true);
	} else {
		join(c, &a->progress, st, true);
	}
	join(c, &a->progress, rt->t[COL_PROGRESS], true);
}

/* The first paragraph of b, when it continues the sentence that a
 * ends (a page break split the cell); moved from b to a. */
static void split_one(struct ctx *c, struct abuf *a, char **b, bool item)
{
	if (a->len == 0 || item || !starts_lower(*b) ||
	    ends_terminal(a->p, a->len))
		return;
	char *nl = strchr(*b, '\n');
	size_t m = nl ? (size_t)(nl - *b) : strlen(*b);
	ab_add(c, a, " ", 1);
	ab_add(c, a, *b, m);
	*b = nl ? nl + 1 : *b + m;
}

static void split_continuation(struct ctx *c, struct brec *last,
			       struct rowtext *rt)
{
	split_one(c, &last->response, &rt->t[COL_RESPONSE],
		  rt->item[COL_RESPONSE]);
	if (last->nacts == 0)
		return;
	struct bact *a = &last->acts[last->nacts - 1];
	split_one(c, &a->text, &rt->t[COL_ACTION], rt->item[COL_ACTION]);
	split_one(c, &a->owner, &rt->t[COL_OWNER], false);
	split_one(c, &a->budget, &rt->t[COL_BUDGET], false);
	split_one(c, &a->ts, &rt->t[COL_TIMESCALE], false);
	split_one(c, &a->progress, &rt->t[COL_PROGRESS], false);
}

static char *row_plain(struct ctx *c, char **cell, size_t n)
{
	struct abuf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (cell[i][0] == '\0')
			continue;
		if (b.len)
			ab_adds(c, &b, " | ");
		ab_adds(c, &b, cell[i]);
	}
	return ab_str(c, &b);
}

static enum col label_role(const char *s, size_t n, size_t *off);

/* Adds a recommendation cell's text to r: a paragraph that starts
 * "Response:" is the response (a column headed "Recommendation and
 * Cabinet response"); the rest is the recommendation. */
static void rec_response(struct ctx *c, struct brec *r, const char *t,
			 bool brk)
{
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		size_t off;
		char *para = arena_alloc(c->a, len + 1);
		if (para == NULL) {
			c->oom = true;
			return;
		}
		memcpy(para, t, len);
		para[len] = '\0';
		if (label_role(para, len, &off) == COL_RESPONSE) {
			const char *v = para + off;
			while (*v == ' ')
				v++;
			join(c, &r->response, v, true);
		} else {
			join(c, &r->text, para, brk);
		}
		brk = true;
		t = nl ? nl + 1 : t + len;
	}
}

static void table_row(struct ctx *c, struct tpass *tp, int line,
		      char **cell, bool *item, size_t n)
{
	size_t h = tp->cur.n;
	while (n > h && cell[n - 1][0] == '\0')
		n--;
	if (n > h + EXTRA_MAX) {
		tp->rows++;
		if (tp->ragged++ == 0)
			tp->ragged_line = line;
		unplaced_add(c, line, row_plain(c, cell, n));
		tp->page_break = false;
		return;
	}
	/* repair: join the cells most likely to be one split in two */
	while (n > h) {
		size_t best = 0;
		int bs = -1;
		for (size_t k = 0; k + 1 < n; k++) {
			int s = join_score(cell[k], cell[k + 1]);
			if (s > bs) {
				bs = s;
				best = k;
			}
		}
		cell[best] = cat(c, cell[best], " ", cell[best + 1]);
		for (size_t k = best + 1; k + 1 < n; k++) {
			cell[k] = cell[k + 1];
			item[k] = item[k + 1];
		}
		n--;
	}
	struct rowtext rt;
	memset(&rt, 0, sizeof(rt));
	for (size_t r = 0; r < COL__MAX; r++)
		rt.t[r] = c->empty;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		enum col r = (enum col)tp->cur.role[i];
		if (cell[i][0] == '\0' || r == COL_NONE)
			continue;
		any = true;
		if (r == COL_OTHER) {
			char *lb = cat(c, tp->cur.label[i], ": ", cell[i]);
			rt.t[r] = cat(c, rt.t[r], "\n", lb);
		} else {
			if (rt.t[r][0] == '\0')
				rt.item[r] = item[i];
			rt.t[r] = cat(c, rt.t[r], " ", cell[i]);
		}
		if (action_role(r))
			rt.any_action = true;
	}
	if (!any)
		return;
	tp->rows++;
	/* the recommendation cell: a REF column, then the text */
	const char *rtext = cat(c, rt.t[COL_REF], " ", rt.t[COL_REC]);
	if (rtext[0])
		tp->rec_rows++;
	bool rec_item = rt.t[COL_REF][0] ? rt.item[COL_REF]
					 : rt.item[COL_REC];

	struct refp rp;
	bool has;
	if (!tp->unnumbered) {
		/* a Ref column's reference as the document wrote it */
		has = ref_bare(rt.t[COL_REF], rtext, &rp) ||
		      ref_parse(c, rtext, &rp);
	} else {
		bool cont = tp->last &&
			    (rtext[0] == '\0' ||
			     (tp->page_break &&
			      (starts_lower(rtext) ||
			       !ends_terminal(tp->last->text.p,
					      tp->last->text.len))));
		has = !cont && rtext[0] != '\0';
		if (has) {
			memset(&rp, 0, sizeof(rp));
			rp.num = ++tp->seq;
			snprintf(rp.ref, sizeof(rp.ref), "%d", rp.num);
		}
	}
	if (has) {
		if (tp->page_break && tp->last)
			split_continuation(c, tp->last, &rt);
		struct brec *r = rec_new(c, line);
		if (r == NULL)
			return;
		ref_commit(c, &rp);
		r->ref = arena_strdup(c->a, rp.ref);
		if (r->ref == NULL)
			r->ref = c->empty;
		r->num = rp.num;
		rec_response(c, r, rtext + rp.skip, false);
		join(c, &r->response, rt.t[COL_RESPONSE], false);
		if (rt.any_action) {
			struct bact *a = act_new(c, r);
			if (a)
				fill_action(c, a, &rt);
		}
		tp->last = r;
	} else if (tp->last == NULL) {
		unplaced_add(c, line, row_plain(c, cell, n));
	} else {
		/* a row of its own (not a page's first) starts a paragraph */
		struct brec *r = tp->last;
		bool para = !tp->page_break;
		join(c, &r->text, rtext, rec_item || para);
		join(c, &r->response, rt.t[COL_RESPONSE],
		     rt.item[COL_RESPONSE] || para);
		if (rt.any_action) {
			struct bact *a = tp->page_break ? act_last(c, r)
							: act_new(c, r);
			if (a)
				fill_action(c, a, &rt);
		}
	}
	tp->page_break = false;
}

/* One pass over the table region, from the line of the first header. */
static void table_pass(struct ctx *c, struct tpass *tp, struct lineit it)
{
	struct line l;
	while (line_next(&it, &l) && !c->oom) {
		if (blank_line(&l))
			continue;
		struct cells cs;
		bool is_row;
		if (tp->fmt == IMPORT_FORMAT_PIPE) {
			is_row = is_pipe_line(&l);
			if (is_row)
				split_pipe(&l, &cs);
		} else {
			is_row = memchr(l.s, '\t', l.n) != NULL;
			if (is_row)
				split_tsv(&l, &cs);
		}
		if (!is_row) {
			unplaced_add(c, l.no, clean(c, l.s, l.n, NULL));
			continue;
		}
		if (tp->fmt == IMPORT_FORMAT_PIPE && is_sep_row(&cs))
			continue;
		size_t n = cs.n < MAXSPLIT ? cs.n : MAXSPLIT;
		char *cell[MAXSPLIT];
		bool item[MAXSPLIT];
		for (size_t i = 0; i < n; i++)
			cell[i] = clean(c, cs.s[i], cs.len[i], &item[i]);
		if (c->oom)
			return;
		if (cs.n > MAXSPLIT) {
			/* far too many cells to be a row of any header */
			tp->rows++;
			if (tp->ragged++ == 0)
				tp->ragged_line = l.no;
			unplaced_add(c, l.no, row_plain(c, cell, n));
			continue;
		}
		struct hdr h;
		bool rep = false;
		if (header_try(c, cell, n, tp->have_canon ? &tp->canon : NULL,
			       &h, &rep)) {
			tp->cur = h;
			if (!rep) {
				tp->canon = h;
				tp->have_canon = true;
			}
			tp->page_break = rep;
			continue;
		}
		table_row(c, tp, l.no, cell, item, n);
	}
}

/* Finds the first header row; false when the document has none. */
static bool table_find(struct ctx *c, const char *doc, size_t len,
		       struct lineit *at, enum import_format *fmt, int *line)
{
	struct lineit it = {doc, len, 0, 0};
	struct line l;
	for (;;) {
		struct lineit before = it;
		if (!line_next(&it, &l) || c->oom)
			return false;
		bool pipe = is_pipe_line(&l);
		if (!pipe && memchr(l.s, '\t', l.n) == NULL)
			continue;
		/* the first header names a recommendation column (or an
		 * action that stands for one: header_try) */
		struct cells cs;
		if (pipe)
			split_pipe(&l, &cs);
		else
			split_tsv(&l, &cs);
		if (cs.n < 2 || cs.n > MAXC)
			continue;
		char *cell[MAXC];
		bool too_long = false;
		for (size_t i = 0; i < cs.n && !too_long; i++) {
			too_long = cs.len[i] > 4 * HDR_CELL_MAX;
			if (!too_long)
				cell[i] = clean(c, cs.s[i], cs.len[i], NULL);
		}
		struct hdr h;
		bool rep;
		if (!too_long && !c->oom &&
		    header_try(c, cell, cs.n, NULL, &h, &rep)) {
			*at = before;
			*fmt = pipe ? IMPORT_FORMAT_PIPE : IMPORT_FORMAT_TSV;
			*line = l.no;
			return true;
		}
	}
}

/* ---- shared with import_reflow.c (import_int.h) ---- */

bool import_ends_sentence(const char *s, size_t n)
{
	return n > 0 && ends_terminal(s, n);
}

bool import_ci_prefix(const char *s, size_t n, const char *p)
{
	return ci_prefix(s, n, p);
}

enum col import_cell_role(const char *cell)
{
	char nm[HDR_CELL_MAX + 2];
	if (strlen(cell) > HDR_CELL_MAX || !norm(cell, nm, sizeof(nm)))
		return COL_NONE;
	return role_of(nm, cell);
}

bool import_header_cells(struct arena *a, char **cell, size_t n,
			 unsigned char *roles)
{
	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.empty = arena_zalloc(a, 1);
	struct hdr h;
	bool rep;
	if (c.empty == NULL || !header_try(&c, cell, n, NULL, &h, &rep))
		return false;
	if (roles)
		memcpy(roles, h.role, n);
	return true;
}

size_t import_doc_ref(const char *s, size_t n, int *num, int *sub)
{
	return doc_ref(s, n, num, sub);
}

bool import_is_when(const char *s)
{
	enum import_status st;
	const char *rest;
	if (status_parse(s, &st, &rest))
		return true;
	struct timescale ts;
	timescale_parse(s, strlen(s), (struct cal_date){0}, &ts);
	return ts.kind != TS_NONE;
}

/* ------------------------------------------------------------------ */
/* Prose                                                               */

enum style {
	ST_NONE,
	ST_PAREN,   /* 1) */
	ST_BOTH,    /* (1) */
	ST_DOT,     /* 1. */
	ST_MULTI,   /* 1.1 or 1.1. */
	ST_R,       /* Recommendation 1 */
	ST_RREF,    /* R1, R3.1: a reference with capitals before it */
	ST_LPAREN,  /* a) */
	ST_LBOTH,   /* (a) */
	ST_LDOT,    /* a. */
};

struct item {
	enum style st;
	int num;
	char letter;  /* letter styles, or the sub-part of "Recommendation 1(a)" */
	int sub;      /* R3.1's 1 (ST_RREF); 0 when none */
	int roman;    /* "(ii)", "iv)": the numeral's value; 0 when none */
	size_t off;   /* text after the marker */
	char ref[16]; /* ST_RREF: the reference as written */
};

static bool numbered(enum style s)
{
	return s == ST_PAREN || s == ST_BOTH || s == ST_DOT || s == ST_MULTI;
}

static bool lettered(enum style s)
{
	return s == ST_LPAREN || s == ST_LBOTH || s == ST_LDOT;
}

/* Skips white space, list marks ("- ", "* ", bullets), '#' and "**". */
static size_t strip_lead(const char *s, size_t n, bool *bullet)
{
	size_t i = 0;
	*bullet = false;
	for (;;) {
		while (i < n && is_space(s[i]))
			i++;
		if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+' ||
				  s[i] == '>') && s[i + 1] == ' ') {
			*bullet = *bullet || s[i] != '>';
			i += 2;
			continue;
		}
		if (i + 1 < n && ((s[i] == '*' && s[i + 1] == '*') ||
				  (s[i] == '_' && s[i + 1] == '_'))) {
			i += 2;
			continue;
		}
		if (i < n && s[i] == '#') {
			while (i < n && s[i] == '#')
				i++;
			continue;
		}
		if (i < n && (unsigned char)s[i] >= 0x80) {
			size_t len;
			uint32_t cp = utf8_dec((const unsigned char *)s + i,
					       n - i, &len);
			if (cp != UINT32_MAX && cp_kind(cp) == CP_BULLET) {
				*bullet = true;
				i += len;
				continue;
			}
			if (cp != UINT32_MAX && cp_kind(cp) == CP_SPACE) {
				i += len;
				continue;
			}
		}
		return i;
	}
}

/* Skips the marker's trailing punctuation and markup. */
static size_t skip_after_marker(const char *s, size_t n, size_t i)
{
	for (;;) {
		if (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' ||
			      s[i] == '_' || s[i] == ':' || s[i] == '-'))
			i++;
		else if (i + 2 < n && (unsigned char)s[i] == 0xe2 &&
			 (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0x93 ||
			  (unsigned char)s[i + 2] == 0x94))
			i += 3;
		else
			return i;
	}
}

/* The value of the lower-case roman numeral s[0..n) (i to xxxix), or
 * 0 when it is not one written the usual way. */
static int roman_val(const char *s, size_t n)
{
	static const char *const units[] = {"", "i", "ii", "iii", "iv", "v",
					    "vi", "vii", "viii", "ix"};
	size_t i = 0;
	int tens = 0;
	while (i < n && s[i] == 'x' && tens < 3) {
		tens++;
		i++;
	}
	for (int u = 9; u >= 0; u--) {
		size_t m = strlen(units[u]);
		if (n - i == m && memcmp(s + i, units[u], m) == 0)
			return tens * 10 + u;
	}
	return 0;
}

/* A lettered or roman marker: "(a)", "a)", "a.", "(ii)", "iv)", "ii.";
 * i is past any "(".  True with it's style, letter and roman set. */
static bool item_letters(const char *s, size_t n, size_t i, bool paren,
			 struct item *it)
{
	size_t k = i;
	while (k < n && k - i < 6 && is_alpha(s[k]))
		k++;
	size_t m = k - i;
	if (m == 0 || k >= n)
		return false;
	char low[8];
	for (size_t q = 0; q < m; q++)
		low[q] = lower(s[i + q]);
	int rv = roman_val(low, m);
	bool caps = s[i] >= 'A' && s[i] <= 'Z';
	if (m > 1 && (rv == 0 || (caps && !(s[i + 1] >= 'A' &&
					    s[i + 1] <= 'Z'))))
		return false;
	if (s[k] == ')')
		it->st = paren ? ST_LBOTH : ST_LPAREN;
	else if (!paren && s[k] == '.' && !caps && (k + 1 >= n ||
						    s[k + 1] == ' '))
		it->st = ST_LDOT;
	else
		return false;
	it->letter = m == 1 ? low[0] : 0;
	it->roman = rv;
	it->off = skip_after_marker(s, n, k + 1);
	return true;
}

/* Reads a list marker at the start of s[0..n) (already stripped). */
static void item_parse(const char *s, size_t n, struct item *it)
{
	memset(it, 0, sizeof(*it));
	size_t i = 0;
	int v;
	/* "R1", "R3.1": the document's own reference, kept as written */
	if (n > 1 && s[0] >= 'A' && s[0] <= 'Z' &&
	    !ci_prefix(s, n, "recommendation")) {
		int sub;
		size_t d = doc_ref(s, n, &v, &sub);
		if (d > 0 && d < sizeof(it->ref) &&
		    (d == n || s[d] == ' ' || s[d] == '.' || s[d] == ')' ||
		     s[d] == ':')) {
			it->st = ST_RREF;
			it->num = v;
			it->sub = sub;
			memcpy(it->ref, s, d);
			it->ref[d] = '\0';
			size_t e = d < n && s[d] != ' ' ? d + 1 : d;
			it->off = skip_after_marker(s, n, e);
			return;
		}
	}
	if (ci_prefix(s, n, "recommendation") && n > 14 &&
	    (s[14] == ' ' || is_digit(s[14]))) {
		i = 14;
		while (i < n && s[i] == ' ')
			i++;
		size_t d = digits(s + i, n - i, 3, &v);
		if (d == 0 || v == 0 || (i + d < n && is_digit(s[i + d])))
			return;
		i += d;
		if (i + 2 < n && s[i] == '(' && is_alpha(s[i + 1]) &&
		    s[i + 2] == ')') {
			it->letter = lower(s[i + 1]);
			i += 3;
		} else if (i < n && s[i] >= 'a' && s[i] <= 'z' &&
			   (i + 1 >= n || !is_alpha(s[i + 1]))) {
			it->letter = s[i++];
		}
		if (i < n && (s[i] == '.' || s[i] == ')'))
			i++;
		else if (i < n && !(s[i] == ' ' || s[i] == ':' ||
				    s[i] == '*' || s[i] == '-' ||
				    (unsigned char)s[i] == 0xe2))
			return;
		it->st = ST_R;
		it->num = v;
		it->off = skip_after_marker(s, n, i);
		return;
	}
	bool paren = n > 0 && s[0] == '(';
	i = paren ? 1 : 0;
	size_t d = digits(s + i, n - i, 3, &v);
	if (d > 0 && v > 0) {
		i += d;
		if (paren) {
			if (i >= n || s[i] != ')')
				return;
			it->st = ST_BOTH;
			i++;
		} else if (i < n && s[i] == ')') {
			it->st = ST_PAREN;
			i++;
		} else if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
			while (i < n && (s[i] == '.' || is_digit(s[i])))
				i++;
			if (i < n && s[i] != ' ')
				return;
			it->st = ST_MULTI;
		} else if (i < n && s[i] == '.' &&
			   (i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '*')) {
			it->st = ST_DOT;
			i++;
		} else {
			return;
		}
		it->num = v;
		it->off = skip_after_marker(s, n, i);
		return;
	}
	if (d > 0)
		return;
	if (!item_letters(s, n, i, paren, it))
		memset(it, 0, sizeof(*it));
}

/* Skips a section number ("4.", "4.1.", "12 ") at the start of s. */
static size_t skip_section(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (is_digit(s[i]) || s[i] == '.'))
		i++;
	if (i == 0 || i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

static bool heading_like(const char *s, size_t n);

/* A line that introduces recommendations: a heading ("4. Recommendations",
 * "Recommendations of the panel") or a lead-in that ends in a colon
 * ("The Committee recommends that:"). */
enum cue { CUE_NONE, CUE_HEADING, CUE_LEADIN };

static enum cue cue_of(const char *s, size_t n)
{
	size_t i = skip_section(s, n);
	if (ci_prefix(s + i, n - i, "recommendation"))
		return CUE_HEADING;
	/* "2. Summary of recommendations", "Scrutiny recommendations": a
	 * heading (short) with the word in it; the line is copied, as it
	 * does not end the document's text */
	if (n - i < 120 && heading_like(s, n)) {
		char h[120];
		memcpy(h, s + i, n - i);
		h[n - i] = '\0';
		if (ci_word(h, "recommendations"))
			return CUE_HEADING;
	}
	size_t e = n;
	while (e > 0 && (is_space(s[e - 1]) || s[e - 1] == '*'))
		e--;
	/* a decision's minute: "RESOLVED:" (or "Resolved -") alone */
	/* (a section number alone, "4.  ", leaves nothing after i) */
	if (e > i && ci_prefix(s + i, e - i, "resolved") &&
	    (e - i == 8 || (e - i == 9 && (s[e - 1] == ':' ||
					   s[e - 1] == '-'))))
		return CUE_LEADIN;
	if (e == 0 || s[e - 1] != ':')
		return CUE_NONE;
	for (size_t k = 0; k + 9 <= e; k++)
		if (ci_prefix(s + k, e - k, "recommend"))
			return CUE_LEADIN;
	return CUE_NONE;
}

/* Short, capitalised, no closing punctuation: a section heading. */
static bool heading_like(const char *s, size_t n)
{
	size_t i = skip_section(s, n);
	while (n > i && (is_space(s[n - 1]) || s[n - 1] == '*'))
		n--;
	if (i >= n || !((s[i] >= 'A' && s[i] <= 'Z') || is_digit(s[i])))
		return false;
	char last = s[n - 1];
	if (last == '.' || last == ',' || last == ';' || last == ':' ||
	    last == '!' || last == '?')
		return false;
	int words = 1;
	for (size_t k = i; k < n; k++)
		if (s[k] == ' ' && k + 1 < n && s[k + 1] != ' ')
			words++;
	return words <= HEADING_WORDS;
}

/* "Response:", "Owner:", "Timescale:" ...: a labelled field of a
 * recommendation in prose.  Returns its role (COL_NONE when the line
 * has no such label) and sets *off past the colon. */
static enum col label_role(const char *s, size_t n, size_t *off)
{
	size_t i = 0;
	int words = 1;
	while (i < n && i <= 30 && s[i] != ':') {
		if (!(is_alpha(s[i]) || s[i] == ' ' || s[i] == '*'))
			return COL_NONE;
		if (s[i] == ' ' && i > 0 && s[i - 1] != ' ')
			words++;
		i++;
	}
	if (i >= n || s[i] != ':' || i == 0 || words > 3)
		return COL_NONE;
	char raw[40], nm[40];
	memcpy(raw, s, i);
	raw[i] = '\0';
	if (!norm(raw, nm, sizeof(nm)))
		return COL_NONE;
	enum col r = role_of(nm, raw);
	if (r == COL_REF || r == COL_REC || r == COL_OTHER)
		return COL_NONE;
	*off = i + 1;
	return r;
}

/* Where a labelled prose field goes. */
static struct abuf *field_of(struct ctx *c, struct brec *r, enum col role,
			     enum import_status **st)
{
	*st = NULL;
	if (role == COL_RESPONSE)
		return &r->response;
	if (role == COL_NONE || role == COL_REC)
		return &r->text;
	struct bact *a = act_last(c, r);
	if (a == NULL)
		return NULL;
	switch (role) {
	case COL_OWNER:
		return &a->owner;
	case COL_BUDGET:
		return &a->budget;
	case COL_TIMESCALE:
		return &a->ts;
	case COL_STATUS:
		*st = &a->status;
		return &a->progress;
	case COL_PROGRESS:
		return &a->progress;
	default:
		return &a->text;
	}
}

/* Appends a prose line (cleaned) to the field of r named by role. */
static void prose_add(struct ctx *c, struct brec *r, enum col role,
		      const char *text, bool brk)
{
	enum import_status *st;
	struct abuf *dst = field_of(c, r, role, &st);
	if (dst == NULL)
		return;
	if (st && *st == IMPORT_STATUS_NONE) {
		enum import_status s;
		const char *rest;
		if (status_parse(text, &s, &rest)) {
			*st = s;
			text = rest;
		}
	}
	join(c, dst, text, brk);
}

/* The boilerplate that follows a list of decisions or recommendations
 * in minutes and reports: it ends the last item (issue 12: the last
 * item swallowed "Reason for decision: ..." and a contact's telephone
 * number). */
static bool footer_line(const char *s, size_t n)
{
	static const char *const footers[] = {
		"reason for decision", "reasons for decision",
		"reason for the decision", "reasons for the decision",
		"alternative options", "other options considered",
		"key decision", "decision type", "call-in", "call in",
		"contact officer", "contact:", "background papers",
		"date of publication", "wards affected",
		"financial implications", "legal implications",
		"equality implications", "report author",
		"the meeting closed", "tel:", "telephone:", "email:",
	};
	for (size_t i = 0; i < sizeof(footers) / sizeof(*footers); i++)
		if (ci_prefix(s, n, footers[i]))
			return true;
	return false;
}

/* A line of a prose document, stripped and parsed once. */
struct pline {
	struct line l;
	const char *s;     /* after strip_lead */
	size_t n;
	bool bullet, hash;
	struct item it;
};

static void pline_read(const struct line *l, struct pline *p)
{
	p->l = *l;
	size_t i = 0;
	while (i < l->n && is_space(l->s[i]))
		i++;
	p->hash = i < l->n && l->s[i] == '#';
	size_t k = strip_lead(l->s, l->n, &p->bullet);
	p->s = l->s + k;
	p->n = l->n - k;
	item_parse(p->s, p->n, &p->it);
}

static bool first_item(const struct pline *p)
{
	const struct item *it = &p->it;
	if (it->st == ST_DOT && heading_like(p->s, p->n))
		return false;
	if (it->st == ST_R)  /* "Recommendation 1", "Recommendation 1(a)" */
		return it->num == 1 && (it->letter == 0 || it->letter == 'a');
	if (numbered(it->st) && it->st != ST_MULTI)
		return it->num == 1 && it->letter == 0;
	if (it->st == ST_RREF)
		return it->num == 1 && it->sub <= 1;
	return (it->st == ST_LPAREN || it->st == ST_LBOTH) &&
	       it->letter == 'a';
}

/* Finds the first item of the recommendation list (import.h, "Prose"). */
static bool prose_find(const char *doc, size_t len, struct lineit *at,
		       struct pline *first)
{
	struct lineit it = {doc, len, 0, 0};
	struct line l;
	int cue_left = 0;
	for (;;) {
		struct lineit before = it;
		if (!line_next(&it, &l))
			return false;
		if (blank_line(&l))
			continue;
		struct pline p;
		pline_read(&l, &p);
		enum cue cue = p.it.st == ST_R ? CUE_NONE : cue_of(p.s, p.n);
		/* a lead-in may itself be item 1: "1) ... recommends that:" */
		if (cue != CUE_HEADING &&
		    (cue_left > 0 || cue == CUE_LEADIN || p.it.st == ST_R) &&
		    first_item(&p)) {
			*at = before;
			*first = p;
			return true;
		}
		if (cue != CUE_NONE)
			cue_left = CUE_LINES;
		else if (cue_left > 0)
			cue_left--;
	}
}

static struct brec *prose_rec(struct ctx *c, const struct pline *p,
			      struct brec *up, bool sub_roman)
{
	struct brec *r = rec_new(c, p->l.no);
	if (r == NULL)
		return NULL;
	/* the document's own reference: "2(b)", "3(ii)", "R3.1" */
	static const char *const rn[] = {"", "i", "ii", "iii", "iv", "v",
					 "vi", "vii", "viii", "ix", "x"};
	if (up) {
		up->parent = true;
		r->up = up;
		r->num = up->num;
		if (p->it.letter && !sub_roman) {
			r->letter = p->it.letter;
			r->ref = arena_printf(c->a, "%s(%c)", up->ref,
					      p->it.letter);
		} else if (p->it.roman <= 10) {
			r->ref = arena_printf(c->a, "%s(%s)", up->ref,
					      rn[p->it.roman]);
		} else {
			r->ref = arena_printf(c->a, "%s(%d)", up->ref,
					      p->it.roman);
		}
	} else if (lettered(p->it.st)) {
		r->letter = p->it.letter;
		r->ref = arena_printf(c->a, "%c", p->it.letter);
	} else if (p->it.st == ST_RREF) {
		r->num = p->it.num;
		r->ref = arena_strdup(c->a, p->it.ref);
	} else if (p->it.st == ST_R && p->it.letter) {
		r->num = p->it.num;
		r->letter = p->it.letter;
		r->ref = arena_printf(c->a, "%d(%c)", p->it.num, p->it.letter);
	} else {
		r->num = p->it.num;
		r->ref = arena_printf(c->a, "%d", p->it.num);
	}
	if (r->ref == NULL) {
		c->oom = true;
		r->ref = c->empty;
	}
	return r;
}

/* Text of a prose line from offset off, with a label handled: sets
 * *role when the line starts a labelled field. */
static char *prose_text(struct ctx *c, const char *s, size_t n,
			enum col *role)
{
	size_t off;
	enum col r = label_role(s, n, &off);
	if (r != COL_NONE) {
		*role = r;
		s += off;
		n -= off;
	}
	return clean(c, s, n, NULL);
}

/* Scans the list from its first item; *stop gets the iterator at the
 * line that ended it. */
static void prose_list(struct ctx *c, struct lineit it,
		       const struct pline *first, struct lineit *stop)
{
	enum style style = first->it.st;
	int next_num = 1, last_sub = 0, next_roman = 1;
	char last_part = 0;   /* ST_R: the letter of "Recommendation 1(a)" */
	char next_letter = 'a', next_sub = 'a';
	struct brec *item = NULL, *cur = NULL;
	enum col role = COL_NONE;
	bool blank = false;
	struct line l;
	/* every return leaves *stop valid: the caller reads on from it even
	 * when an item could not be made (over the arena's budget) */
	*stop = it;
	for (;;) {
		struct lineit before = it;
		if (!line_next(&it, &l) || c->oom) {
			*stop = it;
			return;
		}
		if (blank_line(&l)) {
			blank = true;
			continue;
		}
		struct pline p;
		pline_read(&l, &p);
		bool next;
		if (lettered(style))
			next = p.it.st == style && p.it.letter == next_letter;
		else if (style == ST_R)
			/* "Recommendation 2" or "2(a)" after 1; "1(b)" after
			 * "1(a)" */
			next = p.it.st == style &&
			       ((p.it.num == next_num &&
				 (p.it.letter == 0 || p.it.letter == 'a')) ||
				(last_part && p.it.num == next_num - 1 &&
				 p.it.letter == last_part + 1));
		else if (style == ST_RREF)
			/* R3 or R3.1 after R2; R3.2 after R3.1 */
			next = p.it.st == style &&
			       ((p.it.num == next_num && p.it.sub <= 1) ||
				(last_sub > 0 && p.it.num == next_num - 1 &&
				 p.it.sub == last_sub + 1));
		else
			next = p.it.st == style && p.it.num == next_num &&
			       p.it.letter == 0 &&
			       !(style == ST_DOT && heading_like(p.s, p.n));
		if (next) {
			item = cur = prose_rec(c, &p, NULL, false);
			if (item == NULL)
				return;
			if (lettered(style))
				next_letter++;
			else if (p.it.num == next_num)
				next_num++;
			last_sub = p.it.sub;
			last_part = style == ST_R ? p.it.letter : 0;
			next_sub = 'a';
			next_roman = 1;
			role = COL_NONE;
			char *t = prose_text(c, p.s + p.it.off,
					     p.n - p.it.off, &role);
			prose_add(c, cur, role, t, false);
			blank = false;
			continue;
		}
		/* sub-parts: the next letter, else the next numeral ("(i)"
		 * is a letter after "(h)" and a numeral otherwise) */
		bool sub_letter = p.it.letter && p.it.letter == next_sub;
		bool sub_roman = !sub_letter && p.it.roman == next_roman;
		if (!lettered(style) && lettered(p.it.st) &&
		    (sub_letter || sub_roman) && item) {
			cur = prose_rec(c, &p, item, sub_roman);
			if (cur == NULL)
				return;
			if (sub_letter)
				next_sub++;
			else
				next_roman++;
			role = COL_NONE;
			char *t = prose_text(c, p.s + p.it.off,
					     p.n - p.it.off, &role);
			prose_add(c, cur, role, t, false);
			blank = false;
			continue;
		}
		bool head = heading_like(p.s, p.n);
		bool stopper = p.hash || footer_line(p.s, p.n) ||
			       (p.it.st == ST_R && style != ST_R) ||
			       (numbered(p.it.st) &&
				(head || (blank && p.it.st != style)));
		size_t off;
		enum col own = label_role(p.s, p.n, &off);
		if (!stopper && blank && head && own == COL_NONE)
			stopper = true;
		/* after an item's labelled fields ("Timescale: June 2025"),
		 * a paragraph without a label is the document going on (a
		 * letter's "Yours sincerely"), not more of the field */
		if (!stopper && blank && role != COL_NONE &&
		    role != COL_REC && own == COL_NONE)
			stopper = true;
		if (stopper || cur == NULL) {
			*stop = before;
			return;
		}
		enum col lr = role;
		char *t = prose_text(c, p.s, p.n, &lr);
		bool brk = blank || p.bullet || lr != role;
		role = lr;
		prose_add(c, cur, role, t, brk);
		blank = false;
	}
}

struct rblock {
	bool open;
	int line, num;
	char letter;
	struct brec tmp;   /* collects the response and one action */
};

static void rblock_flush(struct ctx *c, struct rblock *b)
{
	if (!b->open)
		return;
	b->open = false;
	struct brec *t = &b->tmp;
	size_t hits = 0;
	/* prose recs are in order of their number: find the first of it */
	size_t lo = 0, hi = c->nrecs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->recs[mid]->num < b->num)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->nrecs && c->recs[i]->num == b->num; i++) {
		struct brec *r = c->recs[i];
		if (r->parent || (b->letter && r->letter != b->letter))
			continue;
		hits++;
		join(c, &r->response, ab_str(c, &t->response), true);
		for (size_t k = 0; k < t->nacts; k++) {
			struct bact *s = &t->acts[k];
			struct bact *a = act_new(c, r);
			if (a == NULL)
				return;
			join(c, &a->text, ab_str(c, &s->text), true);
			join(c, &a->owner, ab_str(c, &s->owner), false);
			join(c, &a->budget, ab_str(c, &s->budget), false);
			join(c, &a->ts, ab_str(c, &s->ts), false);
			join(c, &a->progress, ab_str(c, &s->progress), true);
			a->status = s->status;
		}
	}
	if (hits == 0) {
		struct abuf u = {0};
		char head[40];
		if (b->letter)
			snprintf(head, sizeof(head), "Recommendation %d(%c)",
				 b->num, b->letter);
		else
			snprintf(head, sizeof(head), "Recommendation %d",
				 b->num);
		ab_adds(c, &u, head);
		if (t->response.len) {
			ab_adds(c, &u, ": ");
			ab_adds(c, &u, t->response.p);
		}
		unplaced_add(c, b->line, ab_str(c, &u));
	}
}

/* Responses under "Recommendation N." after the list (import.h). */
static void prose_responses(struct ctx *c, struct lineit it)
{
	struct rblock b;
	memset(&b, 0, sizeof(b));
	enum col role = COL_RESPONSE;
	bool blank = false;
	struct line l;
	while (line_next(&it, &l) && !c->oom) {
		if (blank_line(&l)) {
			blank = true;
			continue;
		}
		struct pline p;
		pline_read(&l, &p);
		if (p.it.st == ST_R) {
			rblock_flush(c, &b);
			memset(&b, 0, sizeof(b));
			b.open = true;
			b.line = l.no;
			b.num = p.it.num;
			b.letter = p.it.letter;
			role = COL_RESPONSE;
			char *t = prose_text(c, p.s + p.it.off,
					     p.n - p.it.off, &role);
			prose_add(c, &b.tmp, role, t, false);
			blank = false;
			continue;
		}
		if (!b.open)
			continue;
		size_t off;
		if (p.hash || (numbered(p.it.st) &&
			       (blank || heading_like(p.s, p.n))) ||
		    (blank && heading_like(p.s, p.n) &&
		     label_role(p.s, p.n, &off) == COL_NONE)) {
			rblock_flush(c, &b);
			blank = false;
			continue;
		}
		enum col lr = role;
		char *t = prose_text(c, p.s, p.n, &lr);
		bool brk = blank || p.bullet || lr != role;
		role = lr;
		prose_add(c, &b.tmp, role == COL_NONE ? COL_RESPONSE : role,
			  t, brk);
		blank = false;
	}
	rblock_flush(c, &b);
}

/* ------------------------------------------------------------------ */
/* Input checks                                                        */

static void set_err(struct import_error *err, int line, const char *msg)
{
	if (err == NULL)
		return;
	err->line = line;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

/* 0 when doc is text worth reading; -1 with err set when not. */
static int check_input(const char *doc, size_t len, struct import_error *err)
{
	if (doc == NULL || len == 0) {
		set_err(err, 0, "the document is empty");
		return -1;
	}
	if (len > IMPORT_MAX_BYTES) {
		set_err(err, 0, "the document is larger than the 4 MiB "
			"an import may be");
		return -1;
	}
	const unsigned char *s = (const unsigned char *)doc;
	bool content = false;
	int line = 1;
	for (size_t i = 0; i < len;) {
		unsigned ch = s[i];
		if (ch == '\n')
			line++;
		if (ch == 0) {
			set_err(err, line, "the document contains NUL bytes: "
				"it is binary, not text");
			return -1;
		}
		if ((ch < 0x20 && !is_space((char)ch)) || ch == 0x7f) {
			set_err(err, line, "the document contains control "
				"characters: it is binary, not text");
			return -1;
		}
		size_t m;
		uint32_t cp = utf8_dec(s + i, len - i, &m);
		if (cp == UINT32_MAX) {
			set_err(err, line, "the document is not valid UTF-8 "
				"text (save it as UTF-8 and try again)");
			return -1;
		}
		if (cp_kind(cp) == CP_TEXT || cp_kind(cp) == CP_BULLET)
			content = true;
		i += m;
	}
	if (!content) {
		set_err(err, 0, "the document is empty: it holds only "
			"white space");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building the proposal                                               */

/* A field that is one line (an owner, a budget): a cell's paragraphs
 * are a list ("Head of A<br>Head of B": "Head of A, Head of B"), or one
 * name broken after its comma ("Head of Service,<br>Front Door"). */
static char *one_line(struct ctx *c, char *s)
{
	if (strchr(s, '\n') == NULL)
		return s;
	struct abuf b = {0};
	for (const char *p = s; *p; p++) {
		if (*p != '\n') {
			ab_add(c, &b, p, 1);
			continue;
		}
		bool comma = b.len > 0 && b.p[b.len - 1] == ',';
		ab_adds(c, &b, comma ? " " : ", ");
	}
	return ab_str(c, &b);
}

static void finish_action(struct ctx *c, const struct bact *b,
			  struct import_action *x)
{
	x->text = ab_str(c, &b->text);
	x->owner = one_line(c, ab_str(c, &b->owner));
	x->budget = one_line(c, ab_str(c, &b->budget));
	x->timescale_text = ab_str(c, &b->ts);
	x->progress = ab_str(c, &b->progress);
	x->status = b->status;
	/* a timescale that is only a status ("Completed") states it */
	enum import_status s;
	const char *rest;
	if (x->status == IMPORT_STATUS_NONE &&
	    status_parse(x->timescale_text, &s, &rest) && rest[0] == '\0' &&
	    s != IMPORT_STATUS_ONGOING)
		x->status = s;
	/* ... and so does one that ends in a status after a dash
	 * ("December 2025 – on track", "April 2025 - Completed") */
	const char *after = after_dash(x->timescale_text);
	if (x->status == IMPORT_STATUS_NONE && after &&
	    status_parse(after, &s, &rest) && rest[0] == '\0' &&
	    s != IMPORT_STATUS_ONGOING)
		x->status = s;
	timescale_parse(x->timescale_text, strlen(x->timescale_text),
			c->date, &x->timescale);
}

static void finish(struct ctx *c, enum import_format fmt, char *title,
		   struct import_proposal *out)
{
	memset(out, 0, sizeof(*out));
	out->format = fmt;
	out->title = title;
	out->date = c->date;
	size_t n = 0;
	for (size_t i = 0; i < c->nrecs; i++)
		n += !c->recs[i]->parent;
	out->recs = n ? arena_zalloc(c->a, n * sizeof(*out->recs)) : NULL;
	if (n && out->recs == NULL) {
		c->oom = true;
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < c->nrecs && !c->oom; i++) {
		struct brec *b = c->recs[i];
		if (b->parent)
			continue;
		struct import_rec *r = &out->recs[o++];
		struct brec *src = b;
		r->ref = b->ref;
		if (b->up && b->up->text.len) {
			/* a sub-part reads with its item's lead-in */
			struct abuf t = {0};
			ab_add(c, &t, b->up->text.p, b->up->text.len);
			join(c, &t, ab_str(c, &b->text), true);
			r->text = ab_str(c, &t);
		} else {
			r->text = ab_str(c, &b->text);
		}
		r->response = ab_str(c, &b->response);
		if (r->response[0] == '\0' && b->up)
			r->response = ab_str(c, &b->up->response);
		r->response_kind = response_kind(r->response);
		if (b->nacts == 0 && b->up)
			src = b->up;
		r->nactions = src->nacts;
		if (src->nacts) {
			r->actions = arena_zalloc(c->a, src->nacts *
						  sizeof(*r->actions));
			if (r->actions == NULL) {
				c->oom = true;
				return;
			}
		}
		for (size_t k = 0; k < src->nacts; k++)
			finish_action(c, &src->acts[k], &r->actions[k]);
	}
	out->nrecs = o;
	out->no_recommendations = o == 0;
	out->unplaced = c->unp;
	out->nunplaced = c->nunp;
}

/* ------------------------------------------------------------------ */
/* Survey: what a document with nothing found looks like               */

static char *survey_text(struct ctx *c, const char *s, size_t n)
{
	char *t = clean(c, s, n, NULL);
	size_t m = strlen(t);
	if (m > IMPORT_SURVEY_TEXT) {
		/* cut at a character's start, then mark the cut */
		size_t k = IMPORT_SURVEY_TEXT - 3;
		while (k > 0 && ((unsigned char)t[k] & 0xc0) == 0x80)
			k--;
		memcpy(t + k, "...", 4);
	}
	return t;
}

/* A row's cells name at least two columns we know (not enough to be a
 * plan's header): the table the person meant, with its headings. */
static bool survey_named_row(const struct line *l)
{
	struct cells cs;
	if (is_pipe_line(l))
		split_pipe(l, &cs);
	else
		split_tsv(l, &cs);
	size_t named = 0;
	for (size_t i = 0; i < cs.n && i < MAXC; i++) {
		char raw[HDR_CELL_MAX + 1], nm[HDR_CELL_MAX + 2];
		size_t n = cs.len[i];
		if (n > HDR_CELL_MAX)
			continue;
		memcpy(raw, cs.s[i], n);
		raw[n] = '\0';
		if (norm(raw, nm, sizeof(nm)) && nm[0] &&
		    role_of(nm, raw) != COL_NONE)
			named++;
	}
	return named >= 2;
}

static void survey(struct ctx *c, const char *doc, size_t len,
		   struct import_survey *sv)
{
	struct lineit it = {doc, len, 0, 0};
	struct line l;
	while (line_next(&it, &l) && !c->oom) {
		if (blank_line(&l))
			continue;
		sv->lines++;
		bool cells = is_pipe_line(&l) || memchr(l.s, '\t', l.n);
		if (cells) {
			sv->table_rows++;
			if (sv->table_line == 0 && survey_named_row(&l))
				sv->table_line = l.no;
		}
		struct pline p;
		pline_read(&l, &p);
		if (sv->nfirst < IMPORT_SURVEY_FIRST)
			sv->first[sv->nfirst++] = survey_text(c, l.s, l.n);
		char head[64];
		bool labelled = false;
		if (p.n < sizeof(head)) {
			memcpy(head, p.s, p.n);
			head[p.n] = '\0';
			labelled = label_len(head) > 0;
		}
		if (!cells && !labelled && (p.hash || heading_like(p.s, p.n))) {
			if (sv->nheadings < IMPORT_SURVEY_HEADINGS)
				sv->headings[sv->nheadings] =
					survey_text(c, p.s, p.n);
			sv->nheadings++;
		}
		if (sv->list_line == 0 && !cells && first_item(&p) &&
		    !(p.it.st == ST_DOT && heading_like(p.s, p.n)))
			sv->list_line = l.no;
	}
	const char *why;
	if (sv->lines == 0)
		why = "The document has no text.";
	else if (sv->table_line)
		why = arena_printf(c->a, "The table whose headings are on "
				   "line %d has no column for the "
				   "recommendations (such as \"Recommendation\""
				   ", \"Area for improvement\" or \"Recommended"
				   " action\"), so its rows were not read as "
				   "recommendations.", sv->table_line);
	else if (sv->list_line)
		why = arena_printf(c->a, "The numbered list that starts on "
				   "line %d is not introduced as "
				   "recommendations: no heading or line just "
				   "before it says \"Recommendations\", "
				   "\"recommends that:\" or \"RESOLVED:\".",
				   sv->list_line);
	else if (sv->table_rows)
		why = arena_printf(c->a, "The document has %d table rows, but "
				   "none of them names the columns of an "
				   "action plan.", sv->table_rows);
	else
		why = "The document has no table of recommendations and no "
		      "numbered list of recommendations.";
	sv->why = why ? (char *)why : c->empty;
}

void import_redate(struct import_proposal *p, struct cal_date d)
{
	if (cal_date_valid(p->date) || !cal_date_valid(d))
		return;
	p->date = d;
	for (size_t i = 0; i < p->nrecs; i++)
		for (size_t k = 0; k < p->recs[i].nactions; k++) {
			struct import_action *x = &p->recs[i].actions[k];
			timescale_parse(x->timescale_text,
					strlen(x->timescale_text), d,
					&x->timescale);
		}
}

int import_parse(struct arena *a, const char *doc, size_t len,
		 struct import_proposal *out, struct import_error *err)
{
	memset(out, 0, sizeof(*out));
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (a == NULL) {
		set_err(err, 0, "no memory arena was given");
		return -1;
	}
	if (check_input(doc, len, err) != 0)
		return -1;
	/* a byte-order mark is not content */
	if (len >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0) {
		doc += 3;
		len -= 3;
	}

	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.empty = arena_zalloc(a, 1);
	if (c.empty == NULL)
		goto out_too_complex;

	struct lineit at;
	enum import_format fmt;
	int first_line;
	char *title;
	bool table = table_find(&c, doc, len, &at, &fmt, &first_line);
	if (!table && !c.oom) {
		/* a table that lost its delimiters in a PDF (import_reflow.c) */
		char *rd;
		size_t rl;
		bool oom;
		if (import_reflow(a, doc, len, &rd, &rl, &oom) &&
		    table_find(&c, rd, rl, &at, &fmt, &first_line)) {
			doc = rd;
			len = rl;
			table = true;
		} else if (oom) {
			goto out_too_complex;
		}
	}
	if (table) {
		title = preamble(&c, doc, len, first_line);
		struct tpass *tp = arena_zalloc(a, sizeof(*tp));
		if (tp == NULL)
			goto out_too_complex;
		tp->fmt = fmt;
		table_pass(&c, tp, at);
		if (c.nrecs == 0 && tp->rec_rows > 0 && !c.oom) {
			/* no row is numbered: each row is one */
			c.nunp = 0;
			c.last_letter = 0;
			c.last_num = 0;
			memset(tp, 0, sizeof(*tp));
			tp->fmt = fmt;
			tp->unnumbered = true;
			table_pass(&c, tp, at);
		}
		if (tp->ragged >= 2 && tp->ragged * 3 >= tp->rows) {
			char m[sizeof(err->msg)];
			snprintf(m, sizeof(m), "the table's rows are ragged "
				 "beyond repair: %zu of its %zu rows have more "
				 "than %d cells beyond the header's columns",
				 tp->ragged, tp->rows, EXTRA_MAX);
			set_err(err, tp->ragged_line, m);
			memset(out, 0, sizeof(*out));
			return -1;
		}
	} else {
		struct pline first;
		fmt = IMPORT_FORMAT_PROSE;
		if (prose_find(doc, len, &at, &first)) {
			title = preamble(&c, doc, len, first.l.no);
			struct lineit stop;
			prose_list(&c, at, &first, &stop);
			prose_responses(&c, stop);
		} else {
			title = preamble(&c, doc, len, INT32_MAX);
		}
	}
	if (c.oom || arena_exhausted(a))
		goto out_too_complex;
	finish(&c, fmt, title, out);
	if (out->nrecs == 0)
		survey(&c, doc, len, &out->survey);
	if (c.oom || arena_exhausted(a))
		goto out_too_complex;
	return 0;

out_too_complex:
	memset(out, 0, sizeof(*out));
	set_err(err, 0, "the document is too complex to import: it needs "
		"more memory than an import may use");
	return -1;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static json_t *jstr(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *jname(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jdate(struct cal_date d, bool has)
{
	char b[11];
	if (!has || !cal_date_valid(d))
		return json_null();
	cal_date_format(d, b);
	return json_string(b);
}

static json_t *action_json(const struct import_action *x)
{
	json_t *o = json_object(), *ts = json_object();
	int bad = o == NULL || ts == NULL;
	bad |= json_object_set_new(ts, "text", jstr(x->timescale_text));
	bad |= json_object_set_new(ts, "due", jdate(x->timescale.due,
						    x->timescale.has_due));
	bad |= json_object_set_new(ts, "recurrence",
		jname(timescale_recurrence_name(x->timescale.recurrence)));
	bad |= json_object_set_new(ts, "start", jdate(x->timescale.start,
						      x->timescale.has_start));
	bad |= json_object_set_new(o, "text", jstr(x->text));
	bad |= json_object_set_new(o, "owner", jstr(x->owner));
	bad |= json_object_set_new(o, "budget", jstr(x->budget));
	bad |= json_object_set_new(o, "timescale", ts);
	bad |= json_object_set_new(o, "status",
				   jname(import_status_name(x->status)));
	bad |= json_object_set_new(o, "progress", jstr(x->progress));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *rec_json(const struct import_rec *r)
{
	json_t *o = json_object(), *acts = json_array();
	int bad = o == NULL || acts == NULL;
	for (size_t k = 0; k < r->nactions && !bad; k++)
		bad |= json_array_append_new(acts, action_json(&r->actions[k]));
	bad |= json_object_set_new(o, "ref", jstr(r->ref));
	bad |= json_object_set_new(o, "text", jstr(r->text));
	bad |= json_object_set_new(o, "response_kind",
		jname(import_response_name(r->response_kind)));
	bad |= json_object_set_new(o, "response", jstr(r->response));
	bad |= json_object_set_new(o, "actions", acts);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *survey_json(const struct import_survey *sv)
{
	json_t *o = json_object(), *h = json_array(), *f = json_array();
	int bad = o == NULL || h == NULL || f == NULL;
	for (int i = 0; i < sv->nheadings && i < IMPORT_SURVEY_HEADINGS; i++)
		bad |= json_array_append_new(h, jstr(sv->headings[i]));
	for (int i = 0; i < sv->nfirst; i++)
		bad |= json_array_append_new(f, jstr(sv->first[i]));
	bad |= json_object_set_new(o, "why", jstr(sv->why));
	bad |= json_object_set_new(o, "lines", json_integer(sv->lines));
	bad |= json_object_set_new(o, "table_rows",
				   json_integer(sv->table_rows));
	bad |= json_object_set_new(o, "headings", h);
	bad |= json_object_set_new(o, "first_lines", f);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int import_proposal_json(const struct import_proposal *p, struct sbuf *sb)
{
	json_t *root = json_object(), *recs = json_array(),
	       *unp = json_array();
	int bad = root == NULL || recs == NULL || unp == NULL;
	const char *fmt = (unsigned)p->format <= IMPORT_FORMAT_PROSE
				  ? format_names[p->format] : NULL;
	for (size_t i = 0; i < p->nrecs && !bad; i++)
		bad |= json_array_append_new(recs, rec_json(&p->recs[i]));
	for (size_t i = 0; i < p->nunplaced && !bad; i++) {
		json_t *u = json_object();
		bad |= u == NULL;
		bad |= json_object_set_new(u, "line",
					   json_integer(p->unplaced[i].line));
		bad |= json_object_set_new(u, "text",
					   jstr(p->unplaced[i].text));
		bad |= json_array_append_new(unp, u);
	}
	bad |= json_object_set_new(root, "format", jname(fmt));
	bad |= json_object_set_new(root, "title", jstr(p->title));
	bad |= json_object_set_new(root, "date", jdate(p->date, true));
	bad |= json_object_set_new(root, "no_recommendations",
				   json_boolean(p->no_recommendations));
	bad |= json_object_set_new(root, "recommendations", recs);
	bad |= json_object_set_new(root, "unplaced", unp);
	if (p->nrecs == 0 && p->survey.why)
		bad |= json_object_set_new(root, "survey",
					   survey_json(&p->survey));
	int rc = bad ? -1 : json_dump_sbuf(root, sb);
	json_decref(root);
	return rc;
}
