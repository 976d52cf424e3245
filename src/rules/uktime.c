/* uktime.c: see uktime.h for the contract. */
#include "rules/uktime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t uk_clock_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec;
}

/* Floor division of seconds into minutes (instants before 1970 too). */
static int64_t minutes_of(int64_t t)
{
	return t >= 0 ? t / 60 : -((-t + 59) / 60);
}

/* Minutes since the epoch (UTC) of 01:00 UTC on the last Sunday of
 * month m in year y: when summer time starts (m = 3) or ends (m = 10). */
static int64_t change_at(int y, int m)
{
	struct cal_date last = {y, m, cal_days_in_month(y, m)};
	int wd = cal_weekday(last); /* 0 Monday .. 6 Sunday */
	int64_t day = (int64_t)cal_days(last) - (wd + 1) % 7;
	return day * 1440 + 60;
}

int uk_offset_minutes(int64_t t)
{
	int64_t min = minutes_of(t);
	int y = cal_time_from_minutes(min).date.y;
	return min >= change_at(y, 3) && min < change_at(y, 10) ? 60 : 0;
}

bool uk_is_bst(int64_t t)
{
	return uk_offset_minutes(t) != 0;
}

struct cal_time uk_civil(int64_t t)
{
	return cal_time_from_minutes(minutes_of(t) + uk_offset_minutes(t));
}

struct cal_date uk_date(int64_t t)
{
	return uk_civil(t).date;
}

int64_t uk_to_instant(struct cal_time civil)
{
	int64_t local = cal_minutes(civil);
	/* Taking the wall clock as BST first picks the earlier of the two
	 * autumn readings; when that instant is not in BST, the reading
	 * is GMT (and a spring-gap time lands an hour later). */
	int64_t as_bst = (local - 60) * 60;
	if (uk_is_bst(as_bst))
		return as_bst;
	return local * 60;
}

int64_t uk_day_start(struct cal_date d)
{
	struct cal_time t = {d, 0, 0};
	return uk_to_instant(t);
}

struct cal_time uk_utc(int64_t t)
{
	return cal_time_from_minutes(minutes_of(t));
}

void uk_stamp(int64_t t, char out[UK_STAMP_LEN])
{
	struct cal_time u = uk_utc(t);
	int sec = (int)(t - minutes_of(t) * 60);
	char buf[72]; /* the widest ints the compiler imagines */
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 u.date.y % 10000, u.date.m, u.date.d, u.hh, u.mm, sec);
	memcpy(out, buf, UK_STAMP_LEN - 1);
	out[UK_STAMP_LEN - 1] = '\0';
}

bool uk_stamp_parse(const char *s, int64_t *out)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if ((n != 20 && n != 17) || s[n - 1] != 'Z')
		return false;
	struct cal_time ct;
	if (!cal_time_parse(s, 16, &ct))
		return false;
	int sec = 0;
	if (n == 20 && (s[16] != ':' || !cal_digits(s + 17, 2, &sec) || sec > 59))
		return false;
	*out = cal_minutes(ct) * 60 + sec;
	return true;
}

void uk_date_text(int64_t t, char out[11])
{
	cal_date_format(uk_date(t), out);
}

void uk_human(int64_t t, char out[40])
{
	struct cal_time c = uk_civil(t);
	char buf[96];
	snprintf(buf, sizeof(buf), "%d %s %d at %02d:%02d", c.date.d,
		 cal_month_name(c.date.m), c.date.y, c.hh, c.mm);
	size_t n = strnlen(buf, 39);
	memcpy(out, buf, n);
	out[n] = '\0';
}
