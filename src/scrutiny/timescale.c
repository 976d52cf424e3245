/*
 * timescale.c: reads the free-text timescale of a scrutiny action.
 *
 * How it reads.  The text (at most TIMESCALE_MAX_TEXT bytes) is first
 * folded into a private buffer of lower-case ASCII: HTML tags become a
 * space, a few entities (&nbsp; &ndash; &#8211; ...) and UTF-8 (or
 * stray Windows-1252) dashes, quotes and spaces become their ASCII
 * forms, control bytes and NUL become a space, and every other
 * non-ASCII character becomes one "foreign letter" byte, so that it
 * glues to the word it touches ("Marché" is not March).  That buffer is
 * then read token by token, left to right: a token is a run of letters
 * and digits, or one punctuation byte.  At each token the patterns
 * below are tried; a pattern that matches consumes its tokens and
 * records a candidate due date, a recurrence or "immediate"; otherwise
 * the reader moves on one token.  Each pattern looks at a bounded
 * number of tokens ahead, and a run of digits and separators
 * ("1/2/3/...") is always consumed whole, so the cost is linear in the
 * length of the text.
 *
 * Patterns (words are matched case-insensitively and only whole):
 *   dd/mm/yyyy dd/mm/yy d.m.yyyy dd-mm-yyyy   a day (UK order only)
 *   yyyy-mm-dd yyyy/mm/dd                    a day
 *   mm/yyyy                                  last day of that month
 *   yyyy/yy yyyy-yy yyyy/yyyy "2016- 17"     financial year(s): 31 March
 *                                            of the last year (the span
 *                                            must be 1..5 years)
 *   yyyy                                     31 December of that year
 *   29 April 2016, 29th April 2016, 29th of April 2016, 29-Apr-2016,
 *   13<sup>th</sup> April 2005, April 29, 2016, April 29th 2016
 *                                            a day
 *   March 2011, Mar 11, Sept 16, Sept. 2016, Mar-11, Dec '16
 *                                            last day of that month;
 *                                            two-digit years are 20YY
 *   June 2016 - March, Sept 2016 to Jan      the end month, in the next
 *                                            year when it comes earlier
 *                                            (only at the end of the text
 *                                            or before punctuation)
 *   Spring|Summer|Autumn [term] 2016         31 May | 31 August |
 *                                            30 November (meteorological
 *                                            seasons, not school terms)
 *   Winter 2016, Winter 2016/17              end of February 2017
 *   Q1..Q4 2016/17, quarter 3 2016/17, first quarter of 2016/17
 *                                            financial quarters: Q1 ends
 *                                            30 June 2016, Q4 31 March 2017
 *   Q1..Q4 2016                              calendar quarters: Q1 ends
 *                                            31 March 2016
 * A month, season or quarter word counts only when a year follows it (or
 * a day precedes it and a year follows), so "may be reviewed" and "in
 * March" are never dates.  A month, day or season followed by a span of
 * years ("Summer 2016- 17", "May 16/17") takes the end year, as a range
 * takes its end; after a month, season or quarter a two-digit span
 * "16/17" is accepted too.  Only years 1990..2100 are dates.  An
 * impossible date (31/02/2016, 29/02/2017, month 13) is consumed and
 * gives nothing, so no part of it is misread as another date.
 *
 * Recurrences: weekly; monthly, "1 monthly"; quarterly, "3-monthly",
 * "every 3 months", "every quarter"; termly, "each term"; six-monthly,
 * "6 monthly", "every six months", "half-yearly", "semi-annually",
 * "twice a year", "twice yearly"; annually, annual, yearly, "12 monthly",
 * "each year", "per annum", "once a year"; ongoing, on-going, "on going",
 * continuous(ly), continual(ly).  When a text names several, the most
 * frequent periodic one wins and "ongoing" only when there is no other.
 * Ambiguous or unlisted frequencies give no recurrence: bi-monthly,
 * bi-weekly, biannually (twice a year or every two years?), half-termly,
 * fortnightly, daily, "every 2 years".
 *
 * Immediate: immediate, immediately, asap, forthwith, "as soon as
 * possible".
 *
 * The result: the due date is the latest candidate date; when there is
 * none, "immediate" with a valid reference date gives the reference
 * date.  The kind is TS_RECURRING when there is a recurrence, else
 * TS_IMMEDIATE when "immediate" was read and no explicit date was, else
 * TS_DATE when there is a due date, else TS_NONE.
 *
 * Spans (issue 12): "6 months", "within six months", "in 12 weeks'
 * time", "after two years" (weeks, months or years; only at the start
 * of the text or after within/in/after, so "funded for 6 months" is
 * nothing) are due that long after the reference date (the document's
 * date); without a reference date, or when the text also gives a date,
 * they give nothing.
 *
 * Starts (issue 12): a date after commencing, starting, from,
 * beginning (and their forms) is when the action starts (has_start:
 * the day given, else the first day of the month the period named ends
 * in), not a due date.  "Commencing March 2025 and ongoing" is ongoing
 * with no due date; a periodic recurrence from a start ("Quarterly from
 * June 2016") is first due at the end of the period it starts in.
 *
 * Not understood (TS_NONE unless something else in the text is):
 * a day and month with no year ("30th March"), month-first
 * numeric dates (US order), two-digit financial years on their own
 * ("16/17", which could be a day and month), year-month "2016-04",
 * status words ("Completed", "In progress", "Delayed", "TBC").  A
 * four-digit number 1990..2100 is always read as a year, so "2000
 * children" gives 31 December 2000.
 */
#include <stdint.h>
#include <string.h>

#include "scrutiny/timescale.h"

#define YEAR_MIN 1990
#define YEAR_MAX 2100
#define SPAN_MAX 5		/* longest span of financial years */

/* Stands for any non-ASCII character that is not a space or punctuation. */
#define FOREIGN '\x01'

/* ---- folding ---------------------------------------------------------- */

struct text {
	char c[TIMESCALE_MAX_TEXT];
	size_t n;
};

static char fold_ascii(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	if (c < 0x20 || c == 0x7f)
		return ' ';
	return (char)c;
}

/* The ASCII stand-in for code point cp. */
static char fold_cp(uint32_t cp)
{
	if (cp < 0x80)
		return fold_ascii((unsigned char)cp);
	if (cp < 0xa0)
		return ' ';	/* C1 controls */
	switch (cp) {
	case 0xa0: case 0x1680: case 0x202f: case 0x205f: case 0x3000:
	case 0xfeff:
		return ' ';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xfe58: case 0xfe63: case 0xff0d:
		return '-';
	case 0x2018: case 0x2019: case 0x201b: case 0x2032: case 0xff07:
		return '\'';
	case 0x201c: case 0x201d: case 0x201e: case 0x2033:
		return '"';
	case 0x2044: case 0x2215: case 0xff0f:
		return '/';
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200b)
		return ' ';
	return FOREIGN;
}

/* Windows-1252 for a byte that does not start valid UTF-8. */
static char fold_cp1252(unsigned char b)
{
	switch (b) {
	case 0x91: case 0x92:
		return '\'';
	case 0x93: case 0x94:
		return '"';
	case 0x96: case 0x97:
		return '-';
	case 0xa0:
		return ' ';
	default:
		return FOREIGN;
	}
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 when there is none;
 * sets *cp. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		*cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		*cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		*cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		unsigned char c = s[i];
		if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf))
			return 0;
		*cp = (*cp << 6) | (c & 0x3f);
	}
	return len;
}

static const struct {
	const char *name;
	char c;
} entities[] = {
	{ "nbsp", ' ' }, { "ensp", ' ' }, { "emsp", ' ' }, { "thinsp", ' ' },
	{ "ndash", '-' }, { "mdash", '-' }, { "minus", '-' },
	{ "hyphen", '-' }, { "amp", '&' }, { "apos", '\'' },
	{ "rsquo", '\'' }, { "lsquo", '\'' }, { "quot", '"' },
	{ "ldquo", '"' }, { "rdquo", '"' }, { "lt", '<' }, { "gt", '>' },
	{ "sol", '/' },
};

/* Reads an entity at s[0..n) (s[0] is '&'); returns its length and sets
 * *c, or returns 0 when it is not one we know. */
static size_t entity(const unsigned char *s, size_t n, char *c)
{
	size_t k = 1;
	while (k < n && k < 12 && s[k] != ';')
		k++;
	if (k >= n || s[k] != ';' || k < 2)
		return 0;
	const char *name = (const char *)s + 1;
	size_t len = k - 1;
	if (name[0] == '#') {
		uint32_t cp = 0;
		size_t i = 1;
		int base = 10;
		if (i < len && (name[i] == 'x' || name[i] == 'X')) {
			base = 16;
			i++;
		}
		if (i == len)
			return 0;
		for (; i < len; i++) {
			char d = name[i];
			uint32_t v;
			if (d >= '0' && d <= '9')
				v = (uint32_t)(d - '0');
			else if (base == 16 && d >= 'a' && d <= 'f')
				v = (uint32_t)(d - 'a' + 10);
			else if (base == 16 && d >= 'A' && d <= 'F')
				v = (uint32_t)(d - 'A' + 10);
			else
				return 0;
			cp = cp * (uint32_t)base + v;	/* checked below */
			if (cp > 0x10ffff)
				return 0;
		}
		*c = fold_cp(cp);
		return k + 1;
	}
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strlen(entities[i].name) == len &&
		    memcmp(entities[i].name, name, len) == 0) {
			*c = entities[i].c;
			return k + 1;
		}
	return 0;
}

static bool tag_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '/' || c == '!' || c == '?';
}

/* Folds in[0..n) into t; n <= TIMESCALE_MAX_TEXT, and every input byte
 * gives at most one output byte. */
static void fold(const unsigned char *in, size_t n, struct text *t)
{
	bool no_gt = false;	/* no '>' after here: '<' is not a tag */
	size_t i = 0;

	t->n = 0;
	while (i < n) {
		unsigned char b = in[i];
		char c;
		size_t len = 1;

		if (b == '<' && i + 1 < n && tag_start(in[i + 1]) && !no_gt) {
			const unsigned char *gt = memchr(in + i + 1, '>',
			    n - i - 1);
			if (gt != NULL) {
				t->c[t->n++] = ' ';
				i = (size_t)(gt - in) + 1;
				continue;
			}
			no_gt = true;
		}
		if (b < 0x80) {
			c = fold_ascii(b);
			if (b == '&') {
				size_t k = entity(in + i, n - i, &c);
				len = k ? k : 1;
			}
		} else {
			uint32_t cp;
			size_t k = utf8_seq(in + i, n - i, &cp);
			if (k) {
				c = fold_cp(cp);
				len = k;
			} else {
				c = fold_cp1252(b);
			}
		}
		t->c[t->n++] = c;
		i += len;
	}
}

/* ---- tokens ----------------------------------------------------------- */

enum tok_type {
	TK_END,		/* no more text */
	TK_WORD,	/* letters a-z only */
	TK_NUM,		/* digits only */
	TK_ORD,		/* digits then st/nd/rd/th: "29th" */
	TK_OTHER,	/* any other run of letters and digits: "q3", "10k" */
	TK_PUNCT,	/* one byte of punctuation */
};

struct tok {
	enum tok_type type;
	size_t b, e;	/* the token is c[b..e) */
	int val;	/* TK_NUM, TK_ORD: the value, capped at 99999 */
	int nd;		/* TK_NUM, TK_ORD: how many digits */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_wordc(char c)
{
	return is_alpha(c) || is_digit(c) || c == FOREIGN;
}

/* The first token at or after i. */
static struct tok tok_at(const struct text *s, size_t i)
{
	struct tok t = { TK_END, 0, 0, 0, 0 };

	while (i < s->n && s->c[i] == ' ')
		i++;
	t.b = t.e = i;
	if (i >= s->n)
		return t;
	if (!is_wordc(s->c[i])) {
		t.type = TK_PUNCT;
		t.e = i + 1;
		return t;
	}
	size_t j = i;
	while (j < s->n && is_digit(s->c[j])) {
		if (t.val < 10000)
			t.val = t.val * 10 + (s->c[j] - '0');
		else
			t.val = 99999;
		t.nd++;
		j++;
	}
	size_t k = j;
	bool letters = true;
	while (k < s->n && is_wordc(s->c[k])) {
		if (!is_alpha(s->c[k]))
			letters = false;
		k++;
	}
	t.e = k;
	if (t.nd == 0)
		t.type = letters ? TK_WORD : TK_OTHER;
	else if (k == j)
		t.type = TK_NUM;
	else if (k - j == 2 && letters &&
	    (memcmp(s->c + j, "st", 2) == 0 || memcmp(s->c + j, "nd", 2) == 0 ||
	     memcmp(s->c + j, "rd", 2) == 0 || memcmp(s->c + j, "th", 2) == 0))
		t.type = TK_ORD;
	else
		t.type = TK_OTHER;
	return t;
}

static struct tok tok_next(const struct text *s, struct tok t)
{
	return tok_at(s, t.e);
}

static bool is_word(const struct text *s, struct tok t, const char *w)
{
	size_t n = strlen(w);
	return t.type == TK_WORD && t.e - t.b == n &&
	    memcmp(s->c + t.b, w, n) == 0;
}

static bool is_punct(const struct text *s, struct tok t, char c)
{
	return t.type == TK_PUNCT && s->c[t.b] == c;
}

static bool is_dash(const struct text *s, struct tok t)
{
	return is_punct(s, t, '-');
}

/* Index of t in words[] (a NULL-terminated list), or -1. */
static int word_index(const struct text *s, struct tok t,
    const char *const *words)
{
	if (t.type != TK_WORD)
		return -1;
	for (int i = 0; words[i] != NULL; i++)
		if (is_word(s, t, words[i]))
			return i;
	return -1;
}

/* True when t is a number that a digit separator ('/', '.', '-')
 * followed by a digit continues ("16" in "16/17"). */
static bool num_continues(const struct text *s, struct tok t)
{
	return t.e + 1 < s->n &&
	    (s->c[t.e] == '/' || s->c[t.e] == '.' || s->c[t.e] == '-') &&
	    is_digit(s->c[t.e + 1]);
}

/* A lone number of one or two digits: a day, or a count. */
static bool is_small_num(const struct text *s, struct tok t)
{
	return t.type == TK_NUM && t.nd <= 2 && !num_continues(s, t);
}

/* ---- words ------------------------------------------------------------ */

static const struct {
	const char *name;
	int m;
	bool abbrev;	/* may be followed by '.' */
} months[] = {
	{ "january", 1, false }, { "jan", 1, true },
	{ "february", 2, false }, { "feb", 2, true },
	{ "march", 3, false }, { "mar", 3, true },
	{ "april", 4, false }, { "apr", 4, true },
	{ "may", 5, false },
	{ "june", 6, false }, { "jun", 6, true },
	{ "july", 7, false }, { "jul", 7, true },
	{ "august", 8, false }, { "aug", 8, true },
	{ "september", 9, false }, { "sept", 9, true }, { "sep", 9, true },
	{ "october", 10, false }, { "oct", 10, true },
	{ "november", 11, false }, { "nov", 11, true },
	{ "december", 12, false }, { "dec", 12, true },
};

/* The month t names (1..12), or 0; *end is past the word and, for an
 * abbreviation, past a '.' that touches it ("Sept."). */
static int month_of(const struct text *s, struct tok t, size_t *end)
{
	if (t.type != TK_WORD)
		return 0;
	for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		if (!is_word(s, t, months[i].name))
			continue;
		*end = t.e;
		if (months[i].abbrev && t.e < s->n && s->c[t.e] == '.')
			*end = t.e + 1;
		return months[i].m;
	}
	return 0;
}

static const char *const numerals[] = {
	"one", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "eleven", "twelve", NULL
};

/* The count t gives (a numeral word or a number of one or two digits),
 * or 0. */
static int count_of(const struct text *s, struct tok t)
{
	if (is_small_num(s, t))
		return t.val;
	return word_index(s, t, numerals) + 1;
}

static const char *const ordinal_words[] = {
	"first", "second", "third", "fourth", NULL
};

static const char *const suffixes[] = { "st", "nd", "rd", "th", NULL };

/* ---- results ---------------------------------------------------------- */

struct acc {
	bool has_due;
	struct cal_date due;
	enum ts_recurrence rec;
	bool immediate;
	bool has_start;		/* "commencing March 2025" */
	struct cal_date start;
	struct cal_date start_end; /* the end of the period it starts in */
	int rel_months, rel_days; /* "6 months", "within 12 weeks" */
	bool relative;
};

static void add_date(struct acc *a, int y, int m, int d)
{
	struct cal_date c = { y, m, d };
	if (y < YEAR_MIN || y > YEAR_MAX || !cal_date_valid(c))
		return;
	if (!a->has_due || cal_compare(c, a->due) > 0) {
		a->due = c;
		a->has_due = true;
	}
}

static void add_month_end(struct acc *a, int y, int m)
{
	add_date(a, y, m, cal_days_in_month(y, m));
}

/* Periodic recurrences beat "ongoing"; among them the most frequent
 * (lowest enum value) wins. */
static void add_recurrence(struct acc *a, enum ts_recurrence r)
{
	if (r == TS_RECUR_NONE)
		return;
	if (a->rec == TS_RECUR_NONE || a->rec == TS_RECUR_ONGOING ||
	    (r != TS_RECUR_ONGOING && r < a->rec))
		a->rec = r;
}

/* ---- years ------------------------------------------------------------ */

struct year {
	int y1, y2;	/* y2 == y1 unless a span */
	bool span;
};

/* The last year of a span starting y1 whose end is written with nd
 * digits as v ("2016/17", "1999/00", "2016/2017"); 0 when it is not a
 * span of 1..SPAN_MAX years ending by YEAR_MAX. */
static int span_end(int y1, int v, int nd)
{
	int y2;
	if (nd == 4)
		y2 = v;
	else if (nd == 2) {
		y2 = y1 - y1 % 100 + v;
		if (y2 <= y1)
			y2 += 100;
	} else
		return 0;
	if (y2 - y1 < 1 || y2 - y1 > SPAN_MAX || y2 > YEAR_MAX)
		return 0;
	return y2;
}

/* True when a day would follow t: "17 Oct", "17 th". */
static bool day_follows(const struct text *s, struct tok t)
{
	size_t e;
	struct tok u = tok_next(s, t);
	return month_of(s, u, &e) != 0 || word_index(s, u, suffixes) >= 0;
}

/* Reads a year, or a span of years, at i: "2016", "16", "'16",
 * "2016/17", "2016- 17", "2016-2017", and, when short_span, "16/17".
 * Returns the position after it, or 0. */
static size_t read_year(const struct text *s, size_t i, bool short_span,
    struct year *out)
{
	struct tok t = tok_at(s, i);

	if (is_punct(s, t, '\'')) {
		struct tok u = tok_next(s, t);
		if (u.b != t.e || u.type != TK_NUM || u.nd != 2 ||
		    num_continues(s, u))
			return 0;
		out->y1 = out->y2 = 2000 + u.val;
		out->span = false;
		return u.e;
	}
	if (t.type != TK_NUM || (t.nd != 2 && t.nd != 4))
		return 0;
	int y1 = t.nd == 2 ? 2000 + t.val : t.val;
	if (y1 < YEAR_MIN || y1 > YEAR_MAX)
		return 0;
	out->y1 = out->y2 = y1;
	out->span = false;
	if (!num_continues(s, t)) {
		/* "2016- 17", "2016 – 2017": spaced spans need four digits */
		struct tok p = tok_next(s, t);
		struct tok q = tok_next(s, p);
		int y2;
		if (t.nd == 4 && (is_dash(s, p) || is_punct(s, p, '/')) &&
		    q.type == TK_NUM && !num_continues(s, q) &&
		    !day_follows(s, q) && (y2 = span_end(y1, q.val, q.nd))) {
			out->y2 = y2;
			out->span = true;
			return q.e;
		}
		return t.e;
	}
	/* a compact run: only "yyyy/yy", "yyyy-yy" and "yy/yy" are years */
	char sep = s->c[t.e];
	struct tok u = tok_at(s, t.e + 1);
	if (u.type != TK_NUM || num_continues(s, u) || sep == '.')
		return 0;
	int y2 = 0;
	if (t.nd == 4)
		y2 = span_end(y1, u.val, u.nd);
	else if (short_span && u.nd == 2 && (t.val + 1) % 100 == u.val)
		y2 = span_end(y1, u.val, 2);
	if (!y2)
		return 0;
	out->y2 = y2;
	out->span = true;
	return u.e;
}

/* ---- patterns --------------------------------------------------------- */

/*
 * Each pattern is tried at token t and returns the position after what
 * it consumed (always > t.b), or 0 when it does not match.
 */

/* A day, then a month, then a year: "29 April 2016", "29th of April
 * 2016", "29-Apr-16", "13 th April 2005".  A day and month with no year
 * are consumed and give nothing. */
static size_t match_day_first(const struct text *s, struct tok t,
    struct acc *a)
{
	int day = t.val;
	struct tok u = tok_next(s, t);
	size_t e;

	if (t.type == TK_NUM) {
		if (!is_small_num(s, t))
			return 0;
		if (word_index(s, u, suffixes) >= 0)
			u = tok_next(s, u);
	} else if (t.type != TK_ORD || t.nd > 2) {
		return 0;
	}
	if (is_word(s, u, "of"))
		u = tok_next(s, u);
	else if (is_dash(s, u) && u.b == t.e)
		u = tok_next(s, u);
	int m = month_of(s, u, &e);
	if (m == 0)
		return 0;
	struct tok v = tok_at(s, e);
	if (is_punct(s, v, ',') || is_dash(s, v))
		e = v.e;
	struct year y;
	size_t end = read_year(s, e, false, &y);
	if (end == 0)
		return e;
	add_date(a, y.y2, m, day);
	return end;
}

/* A month then a year ("March 2011", "Sept 16", "Dec '16", "Mar-11"),
 * or a month, a day and a year ("April 29, 2016").  A month then a year
 * may be followed by " - June" or " to June" with no year: the range's
 * end month, in the next year when it comes earlier. */
static size_t match_month(const struct text *s, struct tok t,
    struct acc *a)
{
	size_t e;
	int m = month_of(s, t, &e);
	if (m == 0)
		return 0;
	struct tok u = tok_at(s, e);
	if (is_punct(s, u, ',') || is_dash(s, u)) {
		e = u.e;
		u = tok_next(s, u);
	}
	struct year y;
	size_t end;

	/* "April 29, 2016", "April 29th 2016" */
	if (is_small_num(s, u) || (u.type == TK_ORD && u.nd <= 2)) {
		struct tok v = tok_next(s, u);
		if (u.type == TK_NUM && word_index(s, v, suffixes) >= 0)
			v = tok_next(s, v);
		if (is_punct(s, v, ','))
			v = tok_next(s, v);
		end = read_year(s, v.b, false, &y);
		if (end != 0 && !y.span) {
			add_date(a, y.y1, m, u.val);
			return end;
		}
	}
	end = read_year(s, e, true, &y);
	if (end == 0)
		return 0;
	add_month_end(a, y.y2, m);
	if (y.span)
		return end;

	/* "Sept 2016 - March" */
	struct tok r = tok_at(s, end);
	if (!is_dash(s, r) && !is_word(s, r, "to") &&
	    !is_word(s, r, "until") && !is_word(s, r, "till") &&
	    !is_word(s, r, "through"))
		return end;
	size_t e2;
	int m2 = month_of(s, tok_next(s, r), &e2);
	if (m2 == 0)
		return end;
	/* Only at the end of the text or before punctuation, so that
	 * "Sept 2016 - may be later" is not read as a range; an end month
	 * with its own year is read on its own. */
	struct tok after = tok_at(s, e2);
	if (after.type != TK_END &&
	    (after.type != TK_PUNCT || is_punct(s, after, '\'') ||
	     is_punct(s, after, ',') || is_punct(s, after, '-') ||
	     is_punct(s, after, '/')))
		return end;
	add_month_end(a, m2 >= m ? y.y1 : y.y1 + 1, m2);
	return e2;
}

static const char *const seasons[] = {
	"spring", "summer", "autumn", "winter", NULL
};

/* "Summer 2016", "Spring term 2017", "Summer 2016- 17", "Winter
 * 2016/17". */
static size_t match_season(const struct text *s, struct tok t,
    struct acc *a)
{
	int which = word_index(s, t, seasons);
	if (which < 0)
		return 0;
	struct tok u = tok_next(s, t);
	if (is_word(s, u, "term"))
		u = tok_next(s, u);
	struct year y;
	size_t end = read_year(s, u.b, true, &y);
	if (end == 0)
		return 0;
	switch (which) {
	case 0:
		add_month_end(a, y.y2, 5);
		break;
	case 1:
		add_month_end(a, y.y2, 8);
		break;
	case 2:
		add_month_end(a, y.y2, 11);
		break;
	default:	/* winter: December to February */
		add_month_end(a, y.span ? y.y2 : y.y1 + 1, 2);
		break;
	}
	return end;
}

/* "Q3 2016/17", "quarter 3 2016", "first quarter of 2016/17", "3rd
 * quarter 2016". */
static size_t match_quarter(const struct text *s, struct tok t,
    struct acc *a)
{
	int q = 0;
	struct tok u = tok_next(s, t);

	if (t.type == TK_OTHER && t.e - t.b == 2 && s->c[t.b] == 'q' &&
	    s->c[t.b + 1] >= '1' && s->c[t.b + 1] <= '4') {
		q = s->c[t.b + 1] - '0';
	} else if (is_word(s, t, "quarter")) {
		q = count_of(s, u);
		u = tok_next(s, u);
	} else if (is_word(s, u, "quarter")) {
		if (t.type == TK_ORD && t.nd == 1)
			q = t.val;
		else
			q = word_index(s, t, ordinal_words) + 1;
		u = tok_next(s, u);
	}
	if (q < 1 || q > 4)
		return 0;
	if (is_word(s, u, "of"))
		u = tok_next(s, u);
	struct year y;
	size_t end = read_year(s, u.b, true, &y);
	if (end == 0)
		return 0;
	if (y.span)	/* financial: April to June is Q1 */
		add_month_end(a, q == 4 ? y.y1 + 1 : y.y1,
		    q == 4 ? 3 : q * 3 + 3);
	else
		add_month_end(a, y.y1, q * 3);
	return end;
}

static const struct {
	const char *word;
	enum ts_recurrence r;
} recur_words[] = {
	{ "weekly", TS_RECUR_WEEKLY },
	{ "monthly", TS_RECUR_MONTHLY },
	{ "quarterly", TS_RECUR_QUARTERLY },
	{ "termly", TS_RECUR_TERMLY },
	{ "annually", TS_RECUR_ANNUALLY },
	{ "annual", TS_RECUR_ANNUALLY },
	{ "yearly", TS_RECUR_ANNUALLY },
	{ "semiannually", TS_RECUR_SIX_MONTHLY },
	{ "semiannual", TS_RECUR_SIX_MONTHLY },
	{ "ongoing", TS_RECUR_ONGOING },
	{ "continuous", TS_RECUR_ONGOING },
	{ "continuously", TS_RECUR_ONGOING },
	{ "continual", TS_RECUR_ONGOING },
	{ "continually", TS_RECUR_ONGOING },
};

/* The recurrence word t is, or TS_RECUR_NONE. */
static enum ts_recurrence recur_word(const struct text *s, struct tok t)
{
	for (size_t i = 0; i < sizeof(recur_words) / sizeof(recur_words[0]);
	    i++)
		if (is_word(s, t, recur_words[i].word))
			return recur_words[i].r;
	return TS_RECUR_NONE;
}

static bool is_yearly(enum ts_recurrence r)
{
	return r == TS_RECUR_ANNUALLY;
}

/* The recurrence "every n <unit>" is; TS_RECUR_NONE when there is none
 * in our list (every 2 weeks, every 2 years). */
static enum ts_recurrence every_n(int n, const struct text *s,
    struct tok unit)
{
	static const char *const units[] = {
		"week", "weeks", "month", "months", "quarter", "quarters",
		"term", "terms", "year", "years", "annum", NULL
	};
	int u = word_index(s, unit, units);
	switch (u < 0 ? -1 : u / 2) {
	case 0:
		return n == 1 ? TS_RECUR_WEEKLY : TS_RECUR_NONE;
	case 1:
		return n == 1 ? TS_RECUR_MONTHLY :
		    n == 3 ? TS_RECUR_QUARTERLY :
		    n == 6 ? TS_RECUR_SIX_MONTHLY :
		    n == 12 ? TS_RECUR_ANNUALLY : TS_RECUR_NONE;
	case 2:
		return n == 1 ? TS_RECUR_QUARTERLY :
		    n == 2 ? TS_RECUR_SIX_MONTHLY :
		    n == 4 ? TS_RECUR_ANNUALLY : TS_RECUR_NONE;
	case 3:
		return n == 1 ? TS_RECUR_TERMLY : TS_RECUR_NONE;
	case 4:
	case 5:
		return n == 1 ? TS_RECUR_ANNUALLY : TS_RECUR_NONE;
	default:
		return TS_RECUR_NONE;
	}
}

static bool is_unit(const struct text *s, struct tok t)
{
	return every_n(1, s, t) != TS_RECUR_NONE;
}

/* "every six months", "each year", "per annum", "once a term", "every
 * 3 months", "twice a year". */
static size_t match_every(const struct text *s, struct tok t,
    struct acc *a)
{
	bool twice = is_word(s, t, "twice");
	struct tok u = tok_next(s, t);
	int n = 1;

	if (is_word(s, t, "once") || twice) {
		if (is_word(s, u, "a") || is_word(s, u, "per") ||
		    is_word(s, u, "every") || is_word(s, u, "each"))
			u = tok_next(s, u);
		else if (!twice || recur_word(s, u) == TS_RECUR_NONE)
			return 0;
	} else if (is_word(s, t, "every") || is_word(s, t, "each") ||
	    is_word(s, t, "per")) {
		int c = count_of(s, u);
		if (c > 0) {
			n = c;
			u = tok_next(s, u);
		}
	} else {
		return 0;
	}
	if (is_word(s, u, "school"))
		u = tok_next(s, u);
	if (twice) {
		/* "twice yearly", "twice a year"; twice a month is not ours */
		if (is_yearly(recur_word(s, u)) ||
		    every_n(1, s, u) == TS_RECUR_ANNUALLY)
			add_recurrence(a, TS_RECUR_SIX_MONTHLY);
		else if (!is_unit(s, u) && recur_word(s, u) == TS_RECUR_NONE)
			return 0;
		return u.e;
	}
	if (!is_unit(s, u))
		return 0;
	add_recurrence(a, every_n(n, s, u));
	return u.e;
}

/* A recurrence word, with what may qualify it: "monthly", "on-going",
 * "six-monthly", "6 monthly", "half-yearly"; "bi-monthly" and
 * "half-termly" are consumed and give nothing. */
static size_t match_recur_word(const struct text *s, struct tok t,
    struct acc *a)
{
	enum ts_recurrence r = recur_word(s, t);
	if (r != TS_RECUR_NONE) {
		add_recurrence(a, r);
		return t.e;
	}
	struct tok u = tok_next(s, t);
	if (is_dash(s, u))
		u = tok_next(s, u);
	if (is_word(s, t, "on") && is_word(s, u, "going")) {
		add_recurrence(a, TS_RECUR_ONGOING);
		return u.e;
	}
	r = recur_word(s, u);
	if (r == TS_RECUR_NONE || r == TS_RECUR_ONGOING)
		return 0;
	if (is_word(s, t, "bi"))
		return u.e;
	if (is_word(s, t, "half") || is_word(s, t, "semi")) {
		if (is_yearly(r))
			add_recurrence(a, TS_RECUR_SIX_MONTHLY);
		return u.e;
	}
	int n = count_of(s, t);
	if (n == 0)
		return 0;
	if (n == 1)
		add_recurrence(a, r);
	else if (r == TS_RECUR_MONTHLY)	/* "3-monthly": every 3 months */
		add_recurrence(a, n == 3 ? TS_RECUR_QUARTERLY :
		    n == 6 ? TS_RECUR_SIX_MONTHLY :
		    n == 12 ? TS_RECUR_ANNUALLY : TS_RECUR_NONE);
	return u.e;
}

/* "Immediate", "immediately", "ASAP", "forthwith", "as soon as
 * possible". */
static size_t match_immediate(const struct text *s, struct tok t,
    struct acc *a)
{
	static const char *const words[] = {
		"immediate", "immediately", "asap", "forthwith", NULL
	};
	if (word_index(s, t, words) >= 0) {
		a->immediate = true;
		return t.e;
	}
	if (!is_word(s, t, "as"))
		return 0;
	struct tok u = tok_next(s, t);
	struct tok v = tok_next(s, u);
	struct tok w = tok_next(s, v);
	if (is_word(s, u, "soon") && is_word(s, v, "as") &&
	    is_word(s, w, "possible")) {
		a->immediate = true;
		return w.e;
	}
	return 0;
}

/* A run of numbers joined by '/', '.' or '-' ("29/04/2016", "2016/17",
 * "1.2.3.4"), read whole. */
static size_t match_numbers(const struct text *s, struct tok t,
    struct acc *a)
{
	struct tok n[3];
	int count = 0;
	char sep = 0;
	bool odd = false;	/* mixed separators, or "8.5k" */
	struct tok u = t;

	for (;;) {
		if (count < 3)
			n[count] = u;
		count += count < 4;
		if (u.type != TK_NUM)
			odd = true;
		if (!num_continues(s, u))
			break;
		char c = s->c[u.e];
		if (sep && c != sep)
			odd = true;
		sep = c;
		u = tok_at(s, u.e + 1);
	}
	size_t end = u.e;
	if (count == 1)
		return 0;
	if (count > 3 || odd)
		return end;
	if (count == 3) {
		if (n[0].nd == 4 && n[1].nd <= 2 && n[2].nd <= 2)
			add_date(a, n[0].val, n[1].val, n[2].val);
		else if (n[0].nd <= 2 && n[1].nd <= 2 && n[2].nd == 4)
			add_date(a, n[2].val, n[1].val, n[0].val);
		else if (n[0].nd <= 2 && n[1].nd <= 2 && n[2].nd == 2)
			add_date(a, 2000 + n[2].val, n[1].val, n[0].val);
		return end;
	}
	/* two numbers */
	if (n[0].nd == 4 && sep != '.') {
		int y2 = n[0].val >= YEAR_MIN && n[0].val <= YEAR_MAX ?
		    span_end(n[0].val, n[1].val, n[1].nd) : 0;
		if (y2)
			add_date(a, y2, 3, 31);
		return end;
	}
	if (n[0].nd <= 2 && n[1].nd == 4) {
		if (n[0].val >= 1 && n[0].val <= 12)
			add_month_end(a, n[1].val, n[0].val);
		return end;
	}
	if (n[0].nd <= 2 && n[1].nd <= 2 && sep != '.') {
		/* "16-20 May 2016": a range of days */
		size_t r = match_day_first(s, n[1], a);
		if (r)
			return r;
	}
	return end;
}

/* A four-digit year on its own ("2017": 31 December) or starting a
 * spaced span of financial years ("2016- 17"). */
static size_t match_year(const struct text *s, struct tok t, struct acc *a)
{
	struct year y;
	if (t.type != TK_NUM || t.nd != 4)
		return 0;
	size_t end = read_year(s, t.b, false, &y);
	if (end == 0)
		return 0;
	if (y.span)
		add_date(a, y.y2, 3, 31);
	else
		add_date(a, y.y1, 12, 31);
	return end;
}

/* "6 months", "within six months", "in 12 weeks' time", "after two
 * years": a span from the reference date.  Only at the start of the
 * text or after within/in/after ("funded for 6 months" is not a
 * timescale; "every 6 months" is a recurrence, read before this). */
static size_t match_relative(const struct text *s, struct tok t,
    struct acc *a)
{
	static const char *const lead[] = { "within", "in", "after", NULL };
	static const char *const units[] = {
		"week", "weeks", "month", "months", "year", "years", NULL
	};
	struct tok n = t;
	if (word_index(s, t, lead) >= 0)
		n = tok_next(s, t);
	else if (t.b != tok_at(s, 0).b)
		return 0;
	int c = count_of(s, n);
	struct tok u = tok_next(s, n);
	int k = word_index(s, u, units);
	if (c <= 0 || k < 0)
		return 0;
	if (k / 2 == 0)
		a->rel_days += 7 * c;
	else
		a->rel_months += k / 2 == 1 ? c : 12 * c;
	a->relative = true;
	return u.e;
}

static size_t match_at(const struct text *s, struct tok t, struct acc *a);

/* "commencing March 2025", "starting 1 April 2025", "from Q3 2025/26":
 * the date that follows is when the action starts, not when it is due
 * (issue 12: "Commencing March 2025 and ongoing" was a due date).  The
 * start is the day given, else the first day of the month the period
 * named ends in. */
static size_t match_start(const struct text *s, struct tok t,
    struct acc *a)
{
	static const char *const words[] = {
		"commencing", "commences", "starting", "starts", "start",
		"beginning", "begins", "from", NULL
	};
	if (word_index(s, t, words) < 0)
		return 0;
	struct tok u = tok_next(s, t);
	if (is_word(s, u, "in") || is_word(s, u, "on"))
		u = tok_next(s, u);
	if (u.type == TK_END)
		return 0;
	struct acc b = { false, { 0, 0, 0 }, TS_RECUR_NONE, false, false,
			 { 0, 0, 0 }, { 0, 0, 0 }, 0, 0, false };
	size_t r = match_day_first(s, u, &b);
	bool day = r != 0;
	if (r == 0)
		r = match_at(s, u, &b);
	if (r == 0 || !b.has_due)
		return 0;
	struct cal_date st = b.due;
	if (!day)
		st.d = 1;
	if (!a->has_start || cal_compare(st, a->start) < 0) {
		a->start = st;
		a->start_end = b.due;
		a->has_start = true;
	}
	return r;
}

/* Tries every pattern at t; returns the position after what matched,
 * or 0. */
static size_t match_at(const struct text *s, struct tok t, struct acc *a)
{
	size_t r = 0;

	switch (t.type) {
	case TK_NUM:
		if ((r = match_numbers(s, t, a)) ||
		    (r = match_day_first(s, t, a)) ||
		    (r = match_recur_word(s, t, a)) ||
		    (r = match_year(s, t, a)) ||
		    (r = match_relative(s, t, a)))
			return r;
		break;
	case TK_ORD:
		if ((r = match_day_first(s, t, a)) ||
		    (r = match_quarter(s, t, a)))
			return r;
		break;
	case TK_OTHER:
		return match_quarter(s, t, a);
	case TK_WORD:
		if ((r = match_month(s, t, a)) ||
		    (r = match_season(s, t, a)) ||
		    (r = match_quarter(s, t, a)) ||
		    (r = match_every(s, t, a)) ||
		    (r = match_recur_word(s, t, a)) ||
		    (r = match_immediate(s, t, a)) ||
		    (r = match_start(s, t, a)) ||
		    (r = match_relative(s, t, a)))
			return r;
		break;
	default:
		break;
	}
	return 0;
}

/* ---- public ----------------------------------------------------------- */

void timescale_parse(const char *text, size_t n, struct cal_date ref,
                     struct timescale *out)
{
	struct text s;
	struct acc a = { false, { 0, 0, 0 }, TS_RECUR_NONE, false, false,
			 { 0, 0, 0 }, { 0, 0, 0 }, 0, 0, false };

	if (out == NULL)
		return;
	if (text == NULL)
		n = 0;
	if (n > TIMESCALE_MAX_TEXT)
		n = TIMESCALE_MAX_TEXT;
	fold((const unsigned char *)text, n, &s);

	size_t i = 0;
	for (;;) {
		struct tok t = tok_at(&s, i);
		if (t.type == TK_END)
			break;
		size_t r = match_at(&s, t, &a);
		i = r > t.e ? r : t.e;
	}

	out->recurrence = a.rec;
	out->has_due = a.has_due;
	out->due = a.due;
	out->has_start = a.has_start;
	out->start = a.start;
	if (!a.has_due && a.immediate && cal_date_valid(ref)) {
		out->has_due = true;
		out->due = ref;
	}
	/* "Quarterly from June 2016": first due at the end of the period
	 * it starts in; "ongoing" from a start has no due date */
	if (!out->has_due && a.has_start && a.rec != TS_RECUR_NONE &&
	    a.rec != TS_RECUR_ONGOING) {
		out->has_due = true;
		out->due = a.start_end;
	}
	/* "6 months": from the reference date (the document's) */
	if (!out->has_due && a.relative && cal_date_valid(ref)) {
		out->due = cal_add_days(cal_add_months(ref, a.rel_months),
					a.rel_days);
		out->has_due = cal_date_valid(out->due);
	}
	if (a.rec != TS_RECUR_NONE)
		out->kind = TS_RECURRING;
	else if (a.immediate && !a.has_due)
		out->kind = TS_IMMEDIATE;
	else if (out->has_due)
		out->kind = TS_DATE;
	else
		out->kind = TS_NONE;
}

static const char *const recurrence_names[] = {
	NULL,		/* TS_RECUR_NONE */
	"ongoing",	/* TS_RECUR_ONGOING */
	"weekly",	/* TS_RECUR_WEEKLY */
	"monthly",	/* TS_RECUR_MONTHLY */
	"quarterly",	/* TS_RECUR_QUARTERLY */
	"termly",	/* TS_RECUR_TERMLY */
	"six-monthly",	/* TS_RECUR_SIX_MONTHLY */
	"annually",	/* TS_RECUR_ANNUALLY */
};

#define RECURRENCE_COUNT \
	(sizeof(recurrence_names) / sizeof(recurrence_names[0]))

_Static_assert(RECURRENCE_COUNT == TS_RECUR_ANNUALLY + 1,
    "recurrence_names[] must name every enum ts_recurrence");

const char *timescale_recurrence_name(enum ts_recurrence r)
{
	if ((unsigned)r >= RECURRENCE_COUNT)
		return NULL;
	return recurrence_names[r];
}

bool timescale_recurrence_from_name(const char *name,
                                    enum ts_recurrence *out)
{
	if (name == NULL)
		return false;
	for (size_t i = 1; i < RECURRENCE_COUNT; i++)
		if (strcmp(name, recurrence_names[i]) == 0) {
			if (out != NULL)
				*out = (enum ts_recurrence)i;
			return true;
		}
	return false;
}
