/* holidays.c: see holidays.h for the contract. */
#include "rules/holidays.h"
#include "core/arena.h"
#include "core/str.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest echo of a bad value inside an error message. */
#define ECHO_MAX 24
/* Widest CSV row we accept. */
#define CSV_FIELDS_MAX 64

static const char *const weekday_names[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday",
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Copies at most ECHO_MAX bytes of s into out for quoting in a message:
 * anything but printable ASCII becomes '?', and "..." marks a cut. */
static void echo_value(const char *s, size_t n, char out[ECHO_MAX + 4])
{
	size_t k = n > ECHO_MAX ? ECHO_MAX : n;
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c >= 0x20 && c < 0x7f && c != '\'') ? (char)c : '?';
	}
	if (n > ECHO_MAX) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

/* Case-insensitive ASCII equality of s[0..n) with z. */
static bool eq_nocase(const char *s, size_t n, const char *z)
{
	size_t zl = strlen(z);
	if (zl != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = s[i], b = z[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* Parses a date; on failure writes "<where>: '<value>' <reason>" to err. */
static bool check_date(const char *s, size_t n, struct cal_date *out,
    const char *where, char *err, size_t errlen)
{
	if (cal_date_parse(s, n, out))
		return true;
	char e[ECHO_MAX + 4];
	echo_value(s, n, e);
	bool shape = n == 10 && s[4] == '-' && s[7] == '-';
	for (size_t i = 0; shape && i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			shape = false;
	if (!shape) {
		set_err(err, errlen, "%s: '%s' is not a date in YYYY-MM-DD form",
		    where, e);
		return false;
	}
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	if (y < CAL_PARSE_YEAR_MIN || y > CAL_PARSE_YEAR_MAX)
		set_err(err, errlen, "%s: '%s' is outside the years %d to %d",
		    where, e, CAL_PARSE_YEAR_MIN, CAL_PARSE_YEAR_MAX);
	else
		set_err(err, errlen, "%s: '%s' is not a real date", where, e);
	return false;
}

/* Checks a title and copies it NUL-terminated into out. */
static bool check_title(const char *s, size_t n,
    char out[HOLIDAYS_TITLE_MAX + 1], const char *where, char *err,
    size_t errlen)
{
	if (n == 0) {
		set_err(err, errlen, "%s: the title is empty", where);
		return false;
	}
	if (n > HOLIDAYS_TITLE_MAX) {
		set_err(err, errlen,
		    "%s: the title is %zu bytes long; the most allowed is %d",
		    where, n, HOLIDAYS_TITLE_MAX);
		return false;
	}
	if (!str_is_text(s, n) || memchr(s, '\t', n) || memchr(s, '\n', n) ||
	    memchr(s, '\r', n)) {
		set_err(err, errlen,
		    "%s: the title is not valid UTF-8 text on one line", where);
		return false;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* ---- collecting, sorting and the duplicate check ---------------------- */

struct collect {
	struct holidays_entry *v;
	size_t *origin;		/* CSV line number or JSON event index */
	size_t n, cap;
};

static struct holidays_entry *collect_push(struct collect *c, size_t origin)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
		c->origin = xrealloc(c->origin, c->cap * sizeof(*c->origin));
	}
	c->origin[c->n] = origin;
	return &c->v[c->n++];
}

static void collect_release(struct collect *c)
{
	free(c->v);
	free(c->origin);
	memset(c, 0, sizeof(*c));
}

struct sort_key {
	int32_t day;
	size_t origin;
	size_t pos;
};

static int sort_key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	return 0;
}

/* Sorts what was collected into *out, or fails on a repeated date.
 * Always releases c.  `what` formats an origin: "line %zu" or
 * "events[%zu]". */
static int collect_finish(struct collect *c, const char *what,
    struct holidays_list *out, char *err, size_t errlen)
{
	int rc = -1;
	struct sort_key *k;

	if (c->n == 0) {
		collect_release(c);
		return 0;
	}
	k = xmalloc(c->n * sizeof(*k));
	for (size_t i = 0; i < c->n; i++) {
		k[i].day = cal_days(c->v[i].date);
		k[i].origin = c->origin[i];
		k[i].pos = i;
	}
	qsort(k, c->n, sizeof(*k), sort_key_cmp);
	for (size_t i = 1; i < c->n; i++) {
		if (k[i].day != k[i - 1].day)
			continue;
		char d[11], a[32], b[32];
		cal_date_format(c->v[k[i].pos].date, d);
		snprintf(a, sizeof(a), what, k[i].origin);
		snprintf(b, sizeof(b), what, k[i - 1].origin);
		set_err(err, errlen, "%s: %s is listed twice (also at %s)",
		    a, d, b);
		goto out_free_keys;
	}
	out->v = xmalloc(c->n * sizeof(*out->v));
	for (size_t i = 0; i < c->n; i++)
		out->v[i] = c->v[k[i].pos];
	out->n = c->n;
	rc = 0;
out_free_keys:
	free(k);
	collect_release(c);
	return rc;
}

/* ---- CSV -------------------------------------------------------------- */

struct csv_field {
	const char *p;	/* raw bytes, between the quotes when quoted */
	size_t len;
	bool quoted;
};

struct csv {
	const char *buf;
	size_t n, pos;
	size_t line;	/* physical line of pos, from 1 */
};

/* Reads one row into f[0..*nf).  Returns 1 for a row, 0 at the end of
 * the input, -1 on a syntax error (message in err). */
static int csv_row(struct csv *c, struct csv_field *f, size_t *nf,
    char *err, size_t errlen)
{
	if (c->pos >= c->n)
		return 0;
	size_t start_line = c->line;
	*nf = 0;
	for (;;) {
		if (*nf == CSV_FIELDS_MAX) {
			set_err(err, errlen, "line %zu: more than %d fields",
			    start_line, CSV_FIELDS_MAX);
			return -1;
		}
		struct csv_field *fl = &f[(*nf)++];
		if (c->pos < c->n && c->buf[c->pos] == '"') {
			size_t open_line = c->line;
			c->pos++;
			fl->p = c->buf + c->pos;
			fl->quoted = true;
			for (;;) {
				if (c->pos >= c->n) {
					set_err(err, errlen, "line %zu: a quoted "
					    "field is never closed", open_line);
					return -1;
				}
				char ch = c->buf[c->pos];
				if (ch == '"') {
					if (c->pos + 1 < c->n &&
					    c->buf[c->pos + 1] == '"') {
						c->pos += 2;
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->line++;
				c->pos++;
			}
			fl->len = (size_t)(c->buf + c->pos - fl->p);
			c->pos++;	/* closing quote */
		} else {
			fl->p = c->buf + c->pos;
			fl->quoted = false;
			while (c->pos < c->n && c->buf[c->pos] != ',' &&
			    c->buf[c->pos] != '\n' &&
			    !(c->buf[c->pos] == '\r' && c->pos + 1 < c->n &&
			    c->buf[c->pos + 1] == '\n')) {
				if (c->buf[c->pos] == '"') {
					set_err(err, errlen, "line %zu: a "
					    "double quote inside an unquoted "
					    "field", c->line);
					return -1;
				}
				c->pos++;
			}
			fl->len = (size_t)(c->buf + c->pos - fl->p);
		}
		if (c->pos >= c->n)
			return 1;
		char ch = c->buf[c->pos];
		if (ch == ',') {
			c->pos++;
			continue;
		}
		if (ch == '\r' && c->pos + 1 < c->n && c->buf[c->pos + 1] == '\n')
			c->pos++;
		if (c->buf[c->pos] == '\n') {
			c->pos++;
			c->line++;
			return 1;
		}
		set_err(err, errlen, "line %zu: unexpected text after a closing "
		    "quote", c->line);
		return -1;
	}
}

/* Copies a field into dst (cap bytes, NUL-terminated), undoubling quotes.
 * Returns false when it does not fit. */
static bool csv_value(const struct csv_field *f, char *dst, size_t cap,
    size_t *len)
{
	size_t k = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (k + 1 >= cap)
			return false;
		dst[k++] = f->p[i];
		if (f->quoted && f->p[i] == '"')
			i++;	/* the second of a doubled quote */
	}
	dst[k] = '\0';
	*len = k;
	return true;
}

static bool csv_blank(const struct csv_field *f, size_t nf)
{
	return nf == 1 && f[0].len == 0 && !f[0].quoted;
}

static void trim_span(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

int holidays_parse_csv(const char *buf, size_t n, struct holidays_list *out,
    char *err, size_t errlen)
{
	struct collect col = {0};
	struct csv c = {buf, n, 0, 1};
	struct csv_field f[CSV_FIELDS_MAX];
	size_t nf = 0, ncols = 0, hline;
	int icol_date = -1, icol_title = -1, icol_wd = -1;
	int r;

	out->n = 0;
	out->v = NULL;
	if (buf == NULL && n > 0)
		n = 0;
	c.n = n;
	if (n > HOLIDAYS_INPUT_MAX) {
		set_err(err, errlen, "the file is larger than %zu bytes",
		    HOLIDAYS_INPUT_MAX);
		return -1;
	}
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c.pos = 3;

	/* The header: the first row that is not blank. */
	do {
		hline = c.line;
		r = csv_row(&c, f, &nf, err, errlen);
	} while (r == 1 && csv_blank(f, nf));
	if (r < 0)
		return -1;
	if (r == 0) {
		set_err(err, errlen, "line %zu: there is no header row", c.line);
		return -1;
	}
	ncols = nf;
	for (size_t i = 0; i < nf; i++) {
		char name[32];
		size_t len;
		const char *p;
		int *slot = NULL;
		if (!csv_value(&f[i], name, sizeof(name), &len))
			continue;	/* too long to be a name we use */
		p = name;
		trim_span(&p, &len);
		if (eq_nocase(p, len, "date"))
			slot = &icol_date;
		else if (eq_nocase(p, len, "title"))
			slot = &icol_title;
		else if (eq_nocase(p, len, "weekday"))
			slot = &icol_wd;
		if (slot == NULL)
			continue;
		if (*slot >= 0) {
			char e[ECHO_MAX + 4];
			echo_value(p, len, e);
			set_err(err, errlen, "line %zu: the header names the "
			    "column '%s' twice", hline, e);
			return -1;
		}
		*slot = (int)i;
	}
	if (icol_date < 0 || icol_title < 0) {
		set_err(err, errlen, "the header row has no '%s' column",
		    icol_date < 0 ? "date" : "title");
		return -1;
	}

	/* After this line every error must use goto out_fail. */
	for (;;) {
		size_t line = c.line;
		char where[32];
		r = csv_row(&c, f, &nf, err, errlen);
		if (r < 0)
			goto out_fail;
		if (r == 0)
			break;
		if (csv_blank(f, nf))
			continue;
		snprintf(where, sizeof(where), "line %zu", line);
		if (nf != ncols) {
			set_err(err, errlen, "%s: expected %zu fields as in the "
			    "header, found %zu", where, ncols, nf);
			goto out_fail;
		}
		if (col.n == HOLIDAYS_MAX) {
			set_err(err, errlen, "%s: more than %d holidays", where,
			    HOLIDAYS_MAX);
			goto out_fail;
		}
		char val[HOLIDAYS_TITLE_MAX + 2];
		size_t len;
		struct holidays_entry e;
		if (!csv_value(&f[icol_date], val, 32, &len)) {
			set_err(err, errlen, "%s: the date is not in YYYY-MM-DD "
			    "form", where);
			goto out_fail;
		}
		if (!check_date(val, len, &e.date, where, err, errlen))
			goto out_fail;
		if (icol_wd >= 0 && f[icol_wd].len > 0) {
			const char *p = val;
			int wd = cal_weekday(e.date);
			if (!csv_value(&f[icol_wd], val, 32, &len))
				len = 0;
			trim_span(&p, &len);
			if (!eq_nocase(p, len, weekday_names[wd])) {
				char d[11], ev[ECHO_MAX + 4];
				cal_date_format(e.date, d);
				echo_value(p, len, ev);
				set_err(err, errlen, "%s: the weekday '%s' does "
				    "not match %s, which is a %s", where, ev, d,
				    weekday_names[wd]);
				goto out_fail;
			}
		}
		if (!csv_value(&f[icol_title], val, sizeof(val), &len)) {
			set_err(err, errlen, "%s: the title is longer than %d "
			    "bytes", where, HOLIDAYS_TITLE_MAX);
			goto out_fail;
		}
		if (!check_title(val, len, e.title, where, err, errlen))
			goto out_fail;
		*collect_push(&col, line) = e;
	}
	return collect_finish(&col, "line %zu", out, err, errlen);

out_fail:
	collect_release(&col);
	return -1;
}

/* ---- GOV.UK JSON ------------------------------------------------------ */

/* Checks one event; fills *e or writes the error. */
static bool json_event(json_t *ev, size_t i, struct holidays_entry *e,
    char *err, size_t errlen)
{
	char where[48];
	json_t *v;

	snprintf(where, sizeof(where), "events[%zu]", i);
	if (!json_is_object(ev)) {
		set_err(err, errlen, "%s: must be an object", where);
		return false;
	}
	v = json_object_get(ev, "date");
	snprintf(where, sizeof(where), "events[%zu].date", i);
	if (v == NULL) {
		set_err(err, errlen, "%s: missing", where);
		return false;
	}
	if (!json_is_string(v)) {
		set_err(err, errlen, "%s: must be a string", where);
		return false;
	}
	if (!check_date(json_string_value(v), json_string_length(v), &e->date,
	    where, err, errlen))
		return false;

	v = json_object_get(ev, "title");
	snprintf(where, sizeof(where), "events[%zu].title", i);
	if (v == NULL) {
		set_err(err, errlen, "%s: missing", where);
		return false;
	}
	if (!json_is_string(v)) {
		set_err(err, errlen, "%s: must be a string", where);
		return false;
	}
	if (!check_title(json_string_value(v), json_string_length(v),
	    e->title, where, err, errlen))
		return false;

	v = json_object_get(ev, "notes");
	if (v != NULL && !json_is_string(v)) {
		set_err(err, errlen, "events[%zu].notes: must be a string", i);
		return false;
	}
	v = json_object_get(ev, "bunting");
	if (v != NULL && !json_is_boolean(v)) {
		set_err(err, errlen, "events[%zu].bunting: must be true or "
		    "false", i);
		return false;
	}
	return true;
}

int holidays_parse_govuk_json(const char *buf, size_t n,
    const char *division, struct holidays_list *out, char *err,
    size_t errlen)
{
	struct collect col = {0};
	json_error_t je;
	json_t *root, *div, *events, *v;
	char dname[ECHO_MAX + 4];
	int rc = -1;

	out->n = 0;
	out->v = NULL;
	if (division == NULL)
		division = HOLIDAYS_DEFAULT_DIVISION;
	echo_value(division, strlen(division), dname);
	if (n > HOLIDAYS_INPUT_MAX) {
		set_err(err, errlen, "the document is larger than %zu bytes",
		    HOLIDAYS_INPUT_MAX);
		return -1;
	}
	if (buf == NULL || n == 0) {
		set_err(err, errlen, "the document is empty");
		return -1;
	}
	root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		/* jansson quotes the offending token: keep it printable */
		char text[JSON_ERROR_TEXT_LENGTH];
		size_t k = strnlen(je.text, sizeof(je.text) - 1);
		for (size_t i = 0; i < k; i++) {
			unsigned char ch = (unsigned char)je.text[i];
			text[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
		}
		text[k] = '\0';
		set_err(err, errlen, "malformed JSON at line %d, column %d: %s",
		    je.line, je.column, text);
		return -1;
	}
	/* After this line every error must use goto out_free_root. */
	if (!json_is_object(root)) {
		set_err(err, errlen, "the document must be a JSON object");
		goto out_free_root;
	}
	div = json_object_get(root, division);
	if (div == NULL) {
		set_err(err, errlen, "there is no '%s' division", dname);
		goto out_free_root;
	}
	if (!json_is_object(div)) {
		set_err(err, errlen, "%s: must be an object", dname);
		goto out_free_root;
	}
	v = json_object_get(div, "division");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), division) != 0)) {
		set_err(err, errlen, "%s.division: does not name the division "
		    "it is filed under", dname);
		goto out_free_root;
	}
	events = json_object_get(div, "events");
	if (events == NULL) {
		set_err(err, errlen, "%s.events: missing", dname);
		goto out_free_root;
	}
	if (!json_is_array(events)) {
		set_err(err, errlen, "%s.events: must be an array", dname);
		goto out_free_root;
	}
	if (json_array_size(events) > HOLIDAYS_MAX) {
		set_err(err, errlen, "%s.events: %zu events; the most allowed "
		    "is %d", dname, json_array_size(events), HOLIDAYS_MAX);
		goto out_free_root;
	}
	for (size_t i = 0; i < json_array_size(events); i++) {
		struct holidays_entry e;
		if (!json_event(json_array_get(events, i), i, &e, err,
		    errlen)) {
			collect_release(&col);
			goto out_free_root;
		}
		*collect_push(&col, i) = e;
	}
	rc = collect_finish(&col, "events[%zu]", out, err, errlen);
out_free_root:
	json_decref(root);
	return rc;
}

void holidays_list_free(struct holidays_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int holidays_add_to_cal(const struct holidays_list *l, struct cal *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (cal_add_holiday(c, l->v[i].date) != 0)
			return -1;
	return 0;
}
