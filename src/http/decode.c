/* decode.c: see decode.h for the contract. */
#include "http/decode.h"

#include "core/arena.h"
#include "core/str.h"

#include <string.h>

static const char *const decode_errnames[DECODE__MAX] = {
	"ok",                            /* DECODE_OK */
	"bad percent escape",            /* DECODE_BADESCAPE */
	"not UTF-8 text",                /* DECODE_NOTTEXT */
	"too many parameters",           /* DECODE_TOOMANY */
	"key or value too long",         /* DECODE_TOOLONG */
	"arena budget exhausted",        /* DECODE_NOMEM */
	"syntax error",                  /* DECODE_SYNTAX */
};

const char *decode_strerror(enum decode_err e)
{
	if ((unsigned)e >= DECODE__MAX)
		return "unknown decode error";
	return decode_errnames[e];
}

/* Value of an ASCII hex digit, or -1. */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The one percent-decoder.  First pass: check every escape and count the
 * decoded length, so that nothing is allocated for input that is
 * malformed or too long.  Second pass: decode into the arena, then check
 * the result is text.  `max` bounds the decoded length (DECODE_TOOLONG).
 */
static enum decode_err pct_decode(struct arena *a, const char *s, size_t n,
				  bool plus_is_space, size_t max,
				  char **out, size_t *outlen)
{
	size_t len = 0;
	for (size_t i = 0; i < n; len++) {
		if (s[i] != '%') {
			i++;
			continue;
		}
		if (n - i < 3 || hexval((unsigned char)s[i + 1]) < 0 ||
		    hexval((unsigned char)s[i + 2]) < 0)
			return DECODE_BADESCAPE;
		i += 3;
	}
	if (len > max)
		return DECODE_TOOLONG;

	char *d = arena_alloc(a, len + 1);
	if (d == NULL)
		return DECODE_NOMEM;
	size_t j = 0;
	for (size_t i = 0; i < n; j++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			c = (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
					    hexval((unsigned char)s[i + 2]));
			i += 3;
		} else {
			if (c == '+' && plus_is_space)
				c = ' ';
			i++;
		}
		d[j] = (char)c;
	}
	d[j] = '\0';
	/* str_is_text rejects NUL along with the other control bytes. */
	if (!str_is_text(d, j))
		return DECODE_NOTTEXT;
	*out = d;
	if (outlen != NULL)
		*outlen = j;
	return DECODE_OK;
}

enum decode_err decode_url(struct arena *a, const char *s, size_t n,
			   bool plus_is_space, char **out, size_t *outlen)
{
	return pct_decode(a, s, n, plus_is_space, SIZE_MAX - 1, out, outlen);
}

/* Returns the end of the segment starting at p (the next '&' or end). */
static const char *seg_end(const char *p, const char *end)
{
	const char *q = memchr(p, '&', (size_t)(end - p));
	return q != NULL ? q : end;
}

enum decode_err decode_query(struct arena *a, const char *s, size_t n,
			     size_t max_params, size_t max_value,
			     struct decode_params *out)
{
	if (n == 0) {
		out->n = 0;
		out->v = NULL;
		return DECODE_OK;
	}
	const char *end = s + n;
	size_t count = 0;

	/* Count before decoding or allocating anything. */
	for (const char *p = s; p < end;) {
		const char *q = seg_end(p, end);
		if (q > p && ++count > max_params)
			return DECODE_TOOMANY;
		p = q + (q < end);
	}
	if (count == 0) {
		out->n = 0;
		out->v = NULL;
		return DECODE_OK;
	}

	struct decode_kv *v = arena_alloc(a, count * sizeof(*v));
	if (v == NULL)
		return DECODE_NOMEM;
	size_t k = 0;
	for (const char *p = s; p < end;) {
		const char *q = seg_end(p, end);
		if (q == p) {
			p = q + (q < end);
			continue;
		}
		const char *eq = memchr(p, '=', (size_t)(q - p));
		const char *kend = eq != NULL ? eq : q;
		const char *vbeg = eq != NULL ? eq + 1 : q;
		if (kend == p)
			return DECODE_SYNTAX;
		char *key, *val;
		size_t vlen;
		enum decode_err rc = pct_decode(a, p, (size_t)(kend - p), true,
						DECODE_KEY_MAX, &key, NULL);
		if (rc != DECODE_OK)
			return rc;
		rc = pct_decode(a, vbeg, (size_t)(q - vbeg), true, max_value,
				&val, &vlen);
		if (rc != DECODE_OK)
			return rc;
		v[k].key = key;
		v[k].val = val;
		v[k].vlen = vlen;
		k++;
		p = q + (q < end);
	}
	out->n = k;
	out->v = v;
	return DECODE_OK;
}

const char *decode_params_get(const struct decode_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].val;
	return NULL;
}

size_t decode_params_count(const struct decode_params *p, const char *key)
{
	size_t c = 0;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			c++;
	return c;
}

/* RFC 7230 section 3.2.6 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 section 4.1.1 cookie-octet. */
static bool is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	       (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	       (c >= 0x5d && c <= 0x7e);
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* A borrowed slice of the input. */
struct span {
	const char *p;
	size_t n;
};

/*
 * Reads the pair starting at *pp (up to the next ';' or end) and moves *pp
 * past it.  Returns true and fills name and val when the pair is
 * well-formed (see decode.h), false when it is to be skipped.
 */
static bool cookie_next(const char **pp, const char *end, struct span *name,
			struct span *val)
{
	const char *p = *pp;
	const char *q = memchr(p, ';', (size_t)(end - p));
	if (q == NULL)
		q = end;
	*pp = q + (q < end);

	while (p < q && is_ows(*p))
		p++;
	const char *e = q;
	while (e > p && is_ows(e[-1]))
		e--;
	const char *eq = memchr(p, '=', (size_t)(e - p));
	if (eq == NULL)
		return false;

	const char *ne = eq;
	while (ne > p && is_ows(ne[-1]))
		ne--;
	if (ne == p)
		return false;
	for (const char *c = p; c < ne; c++)
		if (!is_tchar((unsigned char)*c))
			return false;

	const char *vb = eq + 1;
	while (vb < e && is_ows(*vb))
		vb++;
	if (vb < e && *vb == '"') {
		if (e - vb < 2 || e[-1] != '"')
			return false;
		vb++;
		e--;
	}
	for (const char *c = vb; c < e; c++)
		if (!is_cookie_octet((unsigned char)*c))
			return false;

	name->p = p;
	name->n = (size_t)(ne - p);
	val->p = vb;
	val->n = (size_t)(e - vb);
	return true;
}

enum decode_err decode_cookies(struct arena *a, const char *s, size_t n,
			       struct decode_params *out)
{
	if (n == 0) {
		out->n = 0;
		out->v = NULL;
		return DECODE_OK;
	}
	/* CR and LF pass str_is_text but never belong in a header value. */
	if (!str_is_text(s, n) || memchr(s, '\r', n) != NULL ||
	    memchr(s, '\n', n) != NULL)
		return DECODE_NOTTEXT;

	const char *end = s + n;
	struct span name, val;
	size_t count = 0;
	for (const char *p = s; p < end;)
		if (cookie_next(&p, end, &name, &val) &&
		    ++count > DECODE_COOKIE_MAX)
			return DECODE_TOOMANY;
	if (count == 0) {
		out->n = 0;
		out->v = NULL;
		return DECODE_OK;
	}

	struct decode_kv *v = arena_alloc(a, count * sizeof(*v));
	if (v == NULL)
		return DECODE_NOMEM;
	size_t k = 0;
	for (const char *p = s; p < end;) {
		if (!cookie_next(&p, end, &name, &val))
			continue;
		char *key = arena_strndup(a, name.p, name.n);
		char *value = arena_strndup(a, val.p, val.n);
		if (key == NULL || value == NULL)
			return DECODE_NOMEM;
		v[k].key = key;
		v[k].val = value;
		v[k].vlen = val.n;
		k++;
	}
	out->n = k;
	out->v = v;
	return DECODE_OK;
}

bool decode_path_segment_id(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 16 || s[0] < '1' || s[0] > '9')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return str_to_i64(s, n, 1, DECODE_ID_MAX, out);
}
