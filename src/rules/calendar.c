/* calendar.c: see calendar.h for the contract. */
#include "rules/calendar.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Internally every day number is an int64_t so that no sum of a valid day
 * number and an int can overflow; results are clamped to the supported
 * years on the way out.
 */

struct cal {
	enum cal_convention conv;
	int32_t *days;		/* sorted, unique holiday day numbers */
	size_t *wk;		/* wk[i]: weekday holidays among days[0..i) */
	size_t n;		/* holidays held */
	size_t cap;		/* room in days (wk has cap + 1) */
};

static const char *const conv_names[CAL_CONVENTION__MAX] = {
	"day0", /* CAL_DAY0 */
	"day1", /* CAL_DAY1 */
};

/* Monday 1970-01-05: the anchor for whole-week arithmetic. */
#define MONDAY_ANCHOR 4

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - b * floor_div(a, b);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

bool cal_date_valid(struct cal_date d)
{
	return d.y >= CAL_YEAR_MIN && d.y <= CAL_YEAR_MAX && d.m >= 1 &&
	    d.m <= 12 && d.d >= 1 && d.d <= cal_days_in_month(d.y, d.m);
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil,
 * written from the published description of the algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t days_min(void)
{
	return days_from_civil(CAL_YEAR_MIN, 1, 1);
}

static int64_t days_max(void)
{
	return days_from_civil(CAL_YEAR_MAX, 12, 31);
}

static int64_t clamp_days(int64_t z)
{
	if (z < days_min())
		return days_min();
	if (z > days_max())
		return days_max();
	return z;
}

int32_t cal_days(struct cal_date d)
{
	/* Out-of-range fields give a meaningless but bounded answer. */
	int64_t y = d.y, m = d.m, dd = d.d;
	if (y < -100000 || y > 100000)
		y = y < 0 ? -100000 : 100000;
	if (m < -1000 || m > 1000)
		m = 1;
	if (dd < -1000 || dd > 1000)
		dd = 1;
	int64_t z = days_from_civil(y, m, dd);
	if (z < INT32_MIN)
		z = INT32_MIN;
	if (z > INT32_MAX)
		z = INT32_MAX;
	return (int32_t)z;
}

static struct cal_date civil_from_days(int64_t z)
{
	z = clamp_days(z) + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct cal_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(y + (r.m <= 2));
	return r;
}

struct cal_date cal_from_days(int32_t days)
{
	return civil_from_days(days);
}

static int weekday_of(int64_t z)
{
	/* 1970-01-01 was a Thursday (3). */
	return (int)floor_mod(z + 3, 7);
}

int cal_weekday(struct cal_date d)
{
	return weekday_of(cal_days(d));
}

int cal_compare(struct cal_date a, struct cal_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

struct cal_date cal_add_days(struct cal_date d, int n)
{
	return civil_from_days((int64_t)cal_days(d) + n);
}

struct cal_date cal_add_months(struct cal_date d, int n)
{
	int64_t t = (int64_t)d.y * 12 + (d.m - 1) + n;
	int64_t lo = (int64_t)CAL_YEAR_MIN * 12;
	int64_t hi = (int64_t)CAL_YEAR_MAX * 12 + 11;
	if (t < lo)
		return civil_from_days(days_min());
	if (t > hi)
		return civil_from_days(days_max());
	struct cal_date r;
	r.y = (int)floor_div(t, 12);
	r.m = (int)floor_mod(t, 12) + 1;
	int dim = cal_days_in_month(r.y, r.m);
	r.d = d.d > dim ? dim : (d.d < 1 ? 1 : d.d);
	return r;
}

bool cal_digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool cal_date_parse(const char *s, size_t n, struct cal_date *out)
{
	struct cal_date d;
	if (s == NULL || n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!cal_digits(s, 4, &d.y) || !cal_digits(s + 5, 2, &d.m) ||
	    !cal_digits(s + 8, 2, &d.d))
		return false;
	if (d.y < CAL_PARSE_YEAR_MIN || d.y > CAL_PARSE_YEAR_MAX ||
	    !cal_date_valid(d))
		return false;
	*out = d;
	return true;
}

/* Writes v (clamped to 0..10^width-1) as width zero-padded digits. */
static void put_digits(char *p, int v, int width)
{
	int lim = 1;
	for (int i = 0; i < width; i++)
		lim *= 10;
	if (v < 0)
		v = 0;
	if (v >= lim)
		v = lim - 1;
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void cal_date_format(struct cal_date d, char out[11])
{
	put_digits(out, d.y, 4);
	out[4] = '-';
	put_digits(out + 5, d.m, 2);
	out[7] = '-';
	put_digits(out + 8, d.d, 2);
	out[10] = '\0';
}

bool cal_time_parse(const char *s, size_t n, struct cal_time *out)
{
	struct cal_time t;
	if (s == NULL || n != 16 || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':')
		return false;
	if (!cal_date_parse(s, 10, &t.date))
		return false;
	if (!cal_digits(s + 11, 2, &t.hh) || !cal_digits(s + 14, 2, &t.mm))
		return false;
	if (t.hh > 23 || t.mm > 59)
		return false;
	*out = t;
	return true;
}

void cal_time_format(struct cal_time t, char out[17])
{
	cal_date_format(t.date, out);
	out[10] = 'T';
	put_digits(out + 11, t.hh, 2);
	out[13] = ':';
	put_digits(out + 14, t.mm, 2);
	out[16] = '\0';
}

int64_t cal_minutes(struct cal_time t)
{
	return (int64_t)cal_days(t.date) * 1440 + (int64_t)t.hh * 60 + t.mm;
}

struct cal_time cal_time_from_minutes(int64_t minutes)
{
	struct cal_time t;
	int64_t lo = days_min() * 1440;
	int64_t hi = days_max() * 1440 + 1439;
	if (minutes < lo)
		minutes = lo;
	if (minutes > hi)
		minutes = hi;
	int64_t day = floor_div(minutes, 1440);
	int64_t rem = minutes - day * 1440;
	t.date = civil_from_days(day);
	t.hh = (int)(rem / 60);
	t.mm = (int)(rem % 60);
	return t;
}

struct cal_time cal_time_add_hours(struct cal_time t, int h)
{
	/* R32 (72 hours): civil clock arithmetic, see the header. */
	return cal_time_from_minutes(cal_minutes(t) + (int64_t)h * 60);
}

/* ---- working-day calendar --------------------------------------------- */

struct cal *cal_new(enum cal_convention conv)
{
	if ((unsigned)conv >= CAL_CONVENTION__MAX)
		return NULL;
	struct cal *c = xcalloc(1, sizeof(*c));
	c->conv = conv;
	c->wk = xcalloc(1, sizeof(*c->wk));
	return c;
}

void cal_free(struct cal *c)
{
	if (c == NULL)
		return;
	free(c->days);
	free(c->wk);
	free(c);
}

enum cal_convention cal_get_convention(const struct cal *c)
{
	return c->conv;
}

const char *cal_convention_name(enum cal_convention conv)
{
	if ((unsigned)conv >= CAL_CONVENTION__MAX)
		return NULL;
	return conv_names[conv];
}

bool cal_convention_parse(const char *s, size_t n, enum cal_convention *out)
{
	for (int i = 0; i < CAL_CONVENTION__MAX; i++) {
		if (s != NULL && strlen(conv_names[i]) == n &&
		    memcmp(s, conv_names[i], n) == 0) {
			*out = (enum cal_convention)i;
			return true;
		}
	}
	return false;
}

/* Index of the first held holiday >= z (n when none). */
static size_t lower_bound(const struct cal *c, int64_t z)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid] < z)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cal_add_holiday(struct cal *c, struct cal_date d)
{
	if (!cal_date_valid(d))
		return -1;
	int32_t z = cal_days(d);
	size_t i = lower_bound(c, z);
	if (i < c->n && c->days[i] == z)
		return 0;
	if (c->n >= CAL_HOLIDAYS_MAX)
		return -1;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		c->days = xrealloc(c->days, ncap * sizeof(*c->days));
		c->wk = xrealloc(c->wk, (ncap + 1) * sizeof(*c->wk));
		c->cap = ncap;
	}
	memmove(c->days + i + 1, c->days + i, (c->n - i) * sizeof(*c->days));
	c->days[i] = z;
	c->n++;
	for (size_t k = i; k < c->n; k++)
		c->wk[k + 1] = c->wk[k] + (weekday_of(c->days[k]) < 5);
	return 0;
}

size_t cal_holiday_count(const struct cal *c)
{
	return c->n;
}

static bool holiday_at(const struct cal *c, int64_t z)
{
	size_t i = lower_bound(c, z);
	return i < c->n && c->days[i] == z;
}

bool cal_is_holiday(const struct cal *c, struct cal_date d)
{
	return holiday_at(c, cal_days(d));
}

static bool working_at(const struct cal *c, int64_t z)
{
	return weekday_of(z) < 5 && !holiday_at(c, z);
}

bool cal_is_working_day(const struct cal *c, struct cal_date d)
{
	return working_at(c, cal_days(d));
}

/* Weekday holidays with day number in [lo, hi). */
static int64_t holidays_in(const struct cal *c, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return 0;
	return (int64_t)(c->wk[lower_bound(c, hi)] - c->wk[lower_bound(c, lo)]);
}

/* Monday-to-Friday days in [MONDAY_ANCHOR, x), negative below it; the
 * difference of two values counts weekdays in a half-open span. */
static int64_t weekdays_before(int64_t x)
{
	int64_t t = x - MONDAY_ANCHOR;
	int64_t q = floor_div(t, 7);
	int64_t r = t - 7 * q;
	return 5 * q + (r < 5 ? r : 5);
}

/* The weekday z with weekdays_before(z) == k. */
static int64_t weekday_number(int64_t k)
{
	return MONDAY_ANCHOR + 7 * floor_div(k, 5) + floor_mod(k, 5);
}

/* Largest magnitude of n worth computing: beyond it every answer clamps. */
#define SPAN_MAX 4000000

/* DAY0 rule on day numbers: the n-th working day after s (before s for
 * negative n).  Each pass jumps over whole weeks, then moves on by the
 * number of holidays that fell inside the span just covered; the spans are
 * disjoint, so there are at most (holidays held + 1) passes. */
static int64_t add0(const struct cal *c, int64_t s, int64_t n)
{
	if (n > SPAN_MAX)
		n = SPAN_MAX;
	if (n < -SPAN_MAX)
		n = -SPAN_MAX;
	if (n > 0) {
		int64_t due = weekday_number(weekdays_before(s + 1) + n - 1);
		int64_t h = holidays_in(c, s + 1, due + 1);
		while (h > 0) {
			int64_t prev = due;
			due = weekday_number(weekdays_before(prev + 1) + h - 1);
			h = holidays_in(c, prev + 1, due + 1);
		}
		return due;
	}
	if (n < 0) {
		int64_t due = weekday_number(weekdays_before(s) + n);
		int64_t h = holidays_in(c, due, s);
		while (h > 0) {
			int64_t prev = due;
			due = weekday_number(weekdays_before(prev) - h);
			h = holidays_in(c, due, prev);
		}
		return due;
	}
	return s;
}

/* DAY0 count on day numbers: working days d with a < d <= b, negated
 * when b < a. */
static int64_t between0(const struct cal *c, int64_t a, int64_t b)
{
	if (b < a)
		return -between0(c, b, a);
	return weekdays_before(b + 1) - weekdays_before(a + 1) -
	    holidays_in(c, a + 1, b + 1);
}

struct cal_date cal_add_working_days(const struct cal *c,
    struct cal_date start, int n)
{
	int64_t s = cal_days(start);
	if (c->conv == CAL_DAY1)
		return civil_from_days(add0(c, s - 1, n < 1 ? 1 : n));
	return civil_from_days(add0(c, s, n));
}

int cal_working_days_between(const struct cal *c, struct cal_date a,
    struct cal_date b)
{
	int64_t za = cal_days(a), zb = cal_days(b);
	if (c->conv == CAL_DAY1)
		za--;
	/* Bounded by the day numbers of int32 dates: fits in int. */
	int64_t r = between0(c, za, zb);
	if (r > INT32_MAX)
		r = INT32_MAX;
	if (r < INT32_MIN)
		r = INT32_MIN;
	return (int)r;
}

struct cal_time cal_due_working_days(const struct cal *c,
    struct cal_time received, int n)
{
	/* R01: the same clock time on the due date. */
	struct cal_time t = received;
	t.date = cal_add_working_days(c, received.date, n);
	return t;
}

const char *cal_month_name(int m)
{
	static const char *const names[12] = {
		"January", "February", "March",     "April",
		"May",     "June",     "July",      "August",
		"September", "October", "November", "December",
	};
	return m >= 1 && m <= 12 ? names[m - 1] : "";
}

/* Hand-written rather than snprintf: this runs for every row of every
 * list.  The fields come from cal_*_parse, so they are in range. */
static char *put_num(char *p, int v, int width)
{
	char d[4];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < 4);
	while (n < width)
		d[n++] = '0';
	while (n > 0)
		*p++ = d[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

void cal_words(const char *s, char out[32])
{
	struct cal_time t = {{0, 0, 0}, 0, 0};
	size_t n = s ? strlen(s) : 0;
	bool timed = n > 10;
	if (s == NULL || !(timed ? cal_time_parse(s, n, &t)
				 : cal_date_parse(s, n, &t.date))) {
		snprintf(out, 32, "%s", s ? s : "");
		return;
	}
	char *p = put_num(out, t.date.d, 1);
	*p++ = ' ';
	p = put_str(p, cal_month_name(t.date.m));
	*p++ = ' ';
	p = put_num(p, t.date.y, 1);
	if (timed) {
		p = put_str(p, " at ");
		p = put_num(p, t.hh, 2);
		*p++ = ':';
		p = put_num(p, t.mm, 2);
	}
	*p = '\0';
}

int cal_age_months(struct cal_date born, struct cal_date on)
{
	int m = (on.y - born.y) * 12 + (on.m - born.m);
	int day = born.d;
	int last = cal_days_in_month(on.y, on.m);
	if (day > last)
		day = last; /* born on the 31st: a month on the 30th ... */
	if (on.d < day)
		m--;
	return m;
}
