/*
 * multipart.c: multipart/form-data (RFC 7578 over RFC 2046 5.1.1).
 * See multipart.h for what is accepted and refused.
 */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/str.h"

#define MP_DEFAULT_PARTS 64
#define MP_DEFAULT_HEADER 4096

const char *multipart_strerror(enum multipart_err e)
{
	switch (e) {
	case MULTIPART_OK: return "success";
	case MULTIPART_NOTMULTIPART: return "not multipart/form-data";
	case MULTIPART_BOUNDARY: return "missing or malformed boundary";
	case MULTIPART_SYNTAX: return "malformed multipart body";
	case MULTIPART_TRUNCATED: return "multipart body ends before its "
					 "closing boundary";
	case MULTIPART_NODISP: return "a part has no form-data name";
	case MULTIPART_NOTTEXT: return "a part's headers are not text";
	case MULTIPART_TOOMANY: return "too many parts";
	case MULTIPART_TOOLONG: return "a part's headers, name or filename "
				       "are too long";
	case MULTIPART_NOMEM: return "out of memory";
	case MULTIPART__MAX: break;
	}
	return "unknown multipart error";
}

/* RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space. */
static bool mp_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("'()+_,-./:=? ", c) != NULL);
}

static bool mp_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *mp_skip_ws(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/*
 * One header parameter list "; k=v; k="v"" over s[0..e): calls back
 * through the caller's loop.  Reads the next parameter at *pos: sets
 * key (k, klen) and the value unquoted into val (at most valmax bytes,
 * NUL-terminated).  Returns 1 for a parameter, 0 at the end, -1 on a
 * syntax error, -2 when the value is longer than valmax.
 */
static int mp_next_param(const char **pos, const char *e, const char **k,
			 size_t *klen, char *val, size_t valmax, size_t *vlen)
{
	const char *s = mp_skip_ws(*pos, e);
	if (s == e)
		return 0;
	if (*s != ';')
		return -1;
	s = mp_skip_ws(s + 1, e);
	const char *ks = s;
	while (s < e && mp_tchar((unsigned char)*s))
		s++;
	if (s == ks)
		return -1;
	*k = ks;
	*klen = (size_t)(s - ks);
	s = mp_skip_ws(s, e);
	if (s == e || *s != '=')
		return -1;
	s = mp_skip_ws(s + 1, e);
	size_t n = 0;
	bool toolong = false;
	if (s < e && *s == '"') {
		s++;
		for (;;) {
			if (s == e)
				return -1; /* unbalanced quote */
			char c = *s++;
			if (c == '"')
				break;
			if (c == '\\') { /* quoted-pair */
				if (s == e)
					return -1;
				c = *s++;
			}
			if (n < valmax)
				val[n++] = c;
			else
				toolong = true;
		}
	} else {
		const char *vs = s;
		while (s < e && mp_tchar((unsigned char)*s)) {
			if (n < valmax)
				val[n++] = *s;
			else
				toolong = true;
			s++;
		}
		if (s == vs)
			return -1;
	}
	val[n] = '\0';
	*vlen = n;
	*pos = s;
	return toolong ? -2 : 1;
}

enum multipart_err multipart_boundary(const char *ct, char *out)
{
	static const char want[] = "multipart/form-data";
	if (ct == NULL)
		return MULTIPART_NOTMULTIPART;
	size_t wl = sizeof(want) - 1;
	if (strncasecmp(ct, want, wl) != 0)
		return MULTIPART_NOTMULTIPART;
	const char *s = ct + wl, *e = ct + strlen(ct);
	if (s < e && *s != ';' && *s != ' ' && *s != '\t')
		return MULTIPART_NOTMULTIPART;
	char val[MULTIPART_BOUNDARY_MAX + 1];
	char got[MULTIPART_BOUNDARY_MAX + 1];
	bool have = false;
	for (;;) {
		const char *k;
		size_t klen, vlen;
		int rc = mp_next_param(&s, e, &k, &klen, val,
				       MULTIPART_BOUNDARY_MAX, &vlen);
		if (rc == 0)
			break;
		if (rc < 0)
			return MULTIPART_BOUNDARY;
		if (klen != 8 || strncasecmp(k, "boundary", 8) != 0)
			continue; /* charset and others: not ours */
		if (have)
			return MULTIPART_BOUNDARY;
		if (vlen == 0 || val[vlen - 1] == ' ')
			return MULTIPART_BOUNDARY;
		for (size_t i = 0; i < vlen; i++)
			if (!mp_bchar((unsigned char)val[i]))
				return MULTIPART_BOUNDARY;
		memcpy(got, val, vlen + 1);
		have = true;
	}
	if (!have)
		return MULTIPART_BOUNDARY;
	memcpy(out, got, strlen(got) + 1);
	return MULTIPART_OK;
}

/* First occurrence of needle[0..nl) in h[0..hl), or NULL. */
static const char *mp_find(const char *h, size_t hl, const char *needle,
			   size_t nl)
{
	if (nl == 0 || hl < nl)
		return NULL;
	const char *end = h + (hl - nl) + 1;
	const char *p = h;
	while (p < end) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nl) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* The Content-Disposition value v[0..e): form-data, name, filename. */
static enum multipart_err mp_disposition(struct arena *a, const char *v,
					 const char *e,
					 struct multipart_part *part)
{
	static const char fd[] = "form-data";
	v = mp_skip_ws(v, e);
	if ((size_t)(e - v) < sizeof(fd) - 1 ||
	    strncasecmp(v, fd, sizeof(fd) - 1) != 0)
		return MULTIPART_NODISP;
	const char *s = v + sizeof(fd) - 1;
	if (s < e && *s != ';' && *s != ' ' && *s != '\t')
		return MULTIPART_NODISP;
	char val[MULTIPART_FILENAME_MAX + 1];
	const char *name = NULL, *filename = NULL;
	for (;;) {
		const char *k;
		size_t klen, vlen;
		int rc = mp_next_param(&s, e, &k, &klen, val,
				       MULTIPART_FILENAME_MAX, &vlen);
		if (rc == 0)
			break;
		if (rc == -2)
			return MULTIPART_TOOLONG;
		if (rc < 0)
			return MULTIPART_SYNTAX;
		bool is_name = klen == 4 && strncasecmp(k, "name", 4) == 0;
		bool is_file = klen == 8 && strncasecmp(k, "filename", 8) == 0;
		if (!is_name && !is_file)
			continue; /* filename* and others: ignored */
		if ((is_name && name) || (is_file && filename))
			return MULTIPART_SYNTAX;
		if (!str_is_line(val, vlen))
			return MULTIPART_NOTTEXT;
		if (is_name && vlen > MULTIPART_NAME_MAX)
			return MULTIPART_TOOLONG;
		char *c = arena_strndup(a, val, vlen);
		if (c == NULL)
			return MULTIPART_NOMEM;
		if (is_name)
			name = c;
		else
			filename = c;
	}
	if (name == NULL || name[0] == '\0')
		return MULTIPART_NODISP;
	part->name = name;
	part->filename = filename;
	return MULTIPART_OK;
}

/* One part's header section h[0..hl) (the lines before the empty line,
 * each ended by CRLF). */
static enum multipart_err mp_headers(struct arena *a, const char *h,
				     size_t hl, struct multipart_part *part)
{
	if (!str_is_text(h, hl))
		return MULTIPART_NOTTEXT;
	bool disp = false;
	const char *s = h, *end = h + hl;
	while (s < end) {
		const char *nl = mp_find(s, (size_t)(end - s), "\r\n", 2);
		if (nl == NULL)
			return MULTIPART_SYNTAX;
		if (*s == ' ' || *s == '\t')
			return MULTIPART_SYNTAX; /* folding: RFC 7578 4.8 */
		const char *colon = memchr(s, ':', (size_t)(nl - s));
		if (colon == NULL || colon == s)
			return MULTIPART_SYNTAX;
		for (const char *c = s; c < colon; c++)
			if (!mp_tchar((unsigned char)*c))
				return MULTIPART_SYNTAX;
		size_t nlen = (size_t)(colon - s);
		const char *v = colon + 1;
		if (nlen == 19 && strncasecmp(s, "Content-Disposition", 19) == 0) {
			if (disp)
				return MULTIPART_SYNTAX;
			enum multipart_err rc = mp_disposition(a, v, nl, part);
			if (rc != MULTIPART_OK)
				return rc;
			disp = true;
		} else if (nlen == 12 &&
			   strncasecmp(s, "Content-Type", 12) == 0) {
			if (part->type)
				return MULTIPART_SYNTAX;
			v = mp_skip_ws(v, nl);
			const char *ve = nl;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (!str_is_line(v, (size_t)(ve - v)))
				return MULTIPART_NOTTEXT;
			char *t = arena_strndup(a, v, (size_t)(ve - v));
			if (t == NULL)
				return MULTIPART_NOMEM;
			part->type = t;
		}
		/* other headers (Content-Transfer-Encoding, which RFC 7578
		 * 4.7 deprecates) are ignored */
		s = nl + 2;
	}
	return disp ? MULTIPART_OK : MULTIPART_NODISP;
}

/* After a delimiter's boundary at *p: "--" (close, returns 1), or
 * transport padding and CRLF (another part follows, returns 0); -1
 * when neither. */
static int mp_after_delim(const char **p, const char *end)
{
	const char *s = *p;
	if (end - s >= 2 && s[0] == '-' && s[1] == '-') {
		*p = s + 2;
		return 1;
	}
	s = mp_skip_ws(s, end);
	if (end - s >= 2 && s[0] == '\r' && s[1] == '\n') {
		*p = s + 2;
		return 0;
	}
	return -1;
}

enum multipart_err multipart_parse(struct arena *a, const char *ct,
				   const char *body, size_t len,
				   const struct multipart_limits *lim,
				   unsigned flags, struct multipart_parts *out)
{
	char b[MULTIPART_BOUNDARY_MAX + 1];
	enum multipart_err rc = multipart_boundary(ct, b);
	if (rc != MULTIPART_OK)
		return rc;
	size_t max_parts = lim && lim->max_parts ? lim->max_parts
						 : MP_DEFAULT_PARTS;
	size_t max_header = lim && lim->max_header ? lim->max_header
						   : MP_DEFAULT_HEADER;
	/* the delimiter: CRLF "--" boundary; the first may start the body */
	char delim[MULTIPART_BOUNDARY_MAX + 5];
	size_t bl = strlen(b);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b, bl);
	size_t dl = bl + 4;
	const char *end = body + len, *p;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
		p = body + dl - 2;
	} else {
		const char *d = mp_find(body, len, delim, dl);
		if (d == NULL)
			return len ? MULTIPART_TRUNCATED : MULTIPART_SYNTAX;
		p = d + dl; /* after a preamble */
	}
	struct multipart_part *v = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		int close = mp_after_delim(&p, end);
		if (close < 0)
			return MULTIPART_SYNTAX;
		if (close)
			break; /* the epilogue is ignored */
		if (n == max_parts)
			return MULTIPART_TOOMANY;
		size_t room = (size_t)(end - p);
		const char *he;
		if (room >= 2 && p[0] == '\r' && p[1] == '\n') {
			he = p; /* no headers at all */
		} else {
			size_t look = room < max_header + 4 ? room
							    : max_header + 4;
			const char *e4 = mp_find(p, look, "\r\n\r\n", 4);
			if (e4 == NULL)
				return room > max_header ? MULTIPART_TOOLONG
							 : MULTIPART_TRUNCATED;
			if ((size_t)(e4 + 2 - p) > max_header)
				return MULTIPART_TOOLONG;
			he = e4 + 2;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct multipart_part *nv =
				arena_alloc(a, nc * sizeof(*nv));
			if (nv == NULL)
				return MULTIPART_NOMEM;
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
			cap = nc;
		}
		struct multipart_part *part = &v[n];
		memset(part, 0, sizeof(*part));
		rc = mp_headers(a, p, (size_t)(he - p), part);
		if (rc != MULTIPART_OK)
			return rc;
		const char *data = he + 2;
		const char *d = mp_find(data, (size_t)(end - data), delim, dl);
		if (d == NULL)
			return MULTIPART_TRUNCATED;
		part->data = data;
		part->len = (size_t)(d - data);
		if (flags & MULTIPART_COPY) {
			char *c = arena_alloc(a, part->len + 1);
			if (c == NULL)
				return MULTIPART_NOMEM;
			memcpy(c, data, part->len);
			c[part->len] = '\0';
			part->data = c;
		}
		n++;
		p = d + dl;
	}
	out->n = n;
	out->v = n ? v : NULL;
	return MULTIPART_OK;
}

const struct multipart_part *
multipart_get(const struct multipart_parts *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}
