/*
 * calendar: civil dates and times, and the working-day calendar that every
 * statutory timescale in ../shared/domain/timescales.csv is counted in.
 *
 * Purpose.  Pure functions over proleptic Gregorian civil dates and
 * wall-clock date-times.  No I/O, no globals, no time zone: a struct
 * cal_time is the clock time in England as a person would write it, and
 * arithmetic on it is plain civil arithmetic.  There is no DST handling:
 * adding 72 hours (R32) to 00:30 on the night the clocks go forward gives
 * 00:30 three days later, which is 71 elapsed hours.  That is the reading
 * practitioners use ("by half past midnight on Thursday"), and is
 * documented again at cal_time_add_hours().
 *
 * Invariants.  A "valid" date has 1 <= m <= 12 and 1 <= d <= days in that
 * month of that year, with year in CAL_YEAR_MIN..CAL_YEAR_MAX.  Parsers
 * accept a narrower range of years (1900..2100, the range any real case
 * date can fall in); arithmetic works on the wide range and clamps its
 * results into it, so no input can overflow.  Functions that take a date
 * expect a valid one (as produced by a parser or by cal_from_days()); given
 * an invalid one they return something harmless but meaningless.
 *
 * Day numbers (cal_days) count days since 1970-01-01, which is day 0, and
 * are negative before it.
 *
 * Working days.  A working day is Monday to Friday and not a holiday held
 * in a struct cal.  Holidays are loaded by the caller (see holidays.h).
 * Two counting conventions exist in local-authority practice, and a
 * struct cal carries one of them:
 *
 *   CAL_DAY0 (default): the start date is day 0.  "Within n working days
 *     of S" means by the end of the n-th working day strictly after S.
 *     Friday + 1 = Monday; Saturday + 1 = Monday; Friday + 0 = Friday;
 *     Saturday + 0 = Saturday (n == 0 always returns the start itself).
 *     cal_working_days_between(a, b) counts working days d with
 *     a < d <= b, negated when b < a.  For every start S and n >= 0,
 *     between(S, add(S, n)) == n.
 *
 *   CAL_DAY1: the start date is day 1 when it is a working day, so the due
 *     date is the (n-1)-th working day after it (Monday + 1 = Monday
 *     itself).  When the start is not a working day, day 1 is the next
 *     working day (Saturday + 1 = Monday).  n < 1 is treated as n == 1.
 *     Both rules are the same as: DAY1 add(S, n) == DAY0 add(S - 1 day, n).
 *     cal_working_days_between(a, b) counts working days d with
 *     a <= d <= b (a itself counts when it is a working day); in general
 *     it is DAY0 between(a - 1 day, b), so for b < a it is minus the
 *     number of working days d with b < d < a.  For every S and n >= 1,
 *     between(S, add(S, n)) == n.
 *
 * Cost.  Adding or counting working days uses whole-week arithmetic plus
 * binary searches in the sorted holiday array: O(log h) per holiday that
 * falls inside the span, never a day-by-day walk.
 *
 * Ownership.  struct cal is owned by whoever called cal_new() and freed
 * with cal_free().  Everything else is passed by value.
 *
 * Errors.  Parsers are predicates (bool).  cal_add_holiday() returns 0 or
 * -1.  Memory exhaustion aborts (core/arena.h).
 */
#ifndef CAIRN_CALENDAR_H
#define CAIRN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Widest year range that arithmetic produces (results are clamped). */
#define CAL_YEAR_MIN 1
#define CAL_YEAR_MAX 9999

/* Year range the parsers accept. */
#define CAL_PARSE_YEAR_MIN 1900
#define CAL_PARSE_YEAR_MAX 2100

struct cal_date {
	int y, m, d;
};

struct cal_time {
	struct cal_date date;
	int hh, mm;
};

enum cal_convention {
	CAL_DAY0,	/* start date is day 0 (default) */
	CAL_DAY1,	/* start date is day 1 when it is a working day */
	CAL_CONVENTION__MAX
};

struct cal;

/* ---- civil dates ------------------------------------------------------ */

/* True when d names a real day in CAL_YEAR_MIN..CAL_YEAR_MAX. */
bool cal_date_valid(struct cal_date d);

/* Number of days in month m (1..12) of year y, leap years included;
 * 0 when m is out of range. */
int cal_days_in_month(int y, int m);

/* Parses exactly s[0..n) as 'YYYY-MM-DD' (ASCII digits, two hyphens, no
 * spaces, no sign).  Returns true and sets *out only for a real date with
 * year 1900..2100 (2024-02-29 yes; 2023-02-29, 2024-13-01, 2024-04-31
 * no).  On false *out is untouched. */
bool cal_date_parse(const char *s, size_t n, struct cal_date *out);

/* Parses exactly n ASCII digits of s (no sign, no space) into *out.
 * Returns true; false with *out untouched when any is not a digit.
 * n is at most 9. */
bool cal_digits(const char *s, size_t n, int *out);

/* Writes 'YYYY-MM-DD' and a NUL into out.  An invalid date is written
 * with its fields clamped to 0..9999 / 0..99, never overflowing out. */
void cal_date_format(struct cal_date d, char out[11]);

/* "January" .. "December" for m = 1..12; "" out of range. */
const char *cal_month_name(int m);

/* Whole months from a date of birth to a day (0 before the first
 * month's end; negative when born after `on`): an age counts a month on
 * the same day of a later month, 29 February on the 28th. */
int cal_age_months(struct cal_date born, struct cal_date on);

/* A stored date 'YYYY-MM-DD' as "6 April 2023", or a civil time
 * 'YYYY-MM-DDTHH:MM' as "6 April 2023 at 10:00" (GOV.UK style).
 * Anything that does not parse is copied as it is (cut to fit); NULL
 * gives "". */
void cal_words(const char *s, char out[32]);

/* Days since 1970-01-01 (negative before). */
int32_t cal_days(struct cal_date d);

/* Inverse of cal_days(); day numbers outside the supported years are
 * clamped to 0001-01-01 or 9999-12-31. */
struct cal_date cal_from_days(int32_t days);

/* 0 = Monday ... 6 = Sunday. */
int cal_weekday(struct cal_date d);

/* Negative, 0 or positive as a is before, the same day as, or after b. */
int cal_compare(struct cal_date a, struct cal_date b);

/* d plus n calendar days (n may be negative); clamped. */
struct cal_date cal_add_days(struct cal_date d, int n);

/* d plus n calendar months (n may be negative).  The day is clamped to
 * the end of the target month: 31 Jan + 1 month = 28 Feb (29 in a leap
 * year); 31 Mar - 1 month = 28/29 Feb.  Used for R09, R10, R19, R20. */
struct cal_date cal_add_months(struct cal_date d, int n);

/* ---- civil date-times ------------------------------------------------- */

/* Parses exactly s[0..n) as 'YYYY-MM-DDTHH:MM' or 'YYYY-MM-DD HH:MM'
 * (HH 00..23, MM 00..59, date as cal_date_parse).  No seconds, no zone.
 * Returns true and sets *out on success; false leaves *out untouched. */
bool cal_time_parse(const char *s, size_t n, struct cal_time *out);

/* Writes 'YYYY-MM-DDTHH:MM' and a NUL into out. */
void cal_time_format(struct cal_time t, char out[17]);

/* Minutes since 1970-01-01T00:00 (civil; no zone, no DST). */
int64_t cal_minutes(struct cal_time t);

/* Inverse of cal_minutes(); clamped like cal_from_days(). */
struct cal_time cal_time_from_minutes(int64_t minutes);

/* t plus h clock hours (h may be negative).  Civil arithmetic: it ignores
 * the clocks changing, so across a DST change the elapsed time differs by
 * one hour from h.  R32: a return home interview is due at
 * cal_time_add_hours(returned, 72). */
struct cal_time cal_time_add_hours(struct cal_time t, int h);

/* ---- working-day calendar --------------------------------------------- */

/* Returns a new calendar with no holidays and the given convention, or
 * NULL when conv is not a member of enum cal_convention.  Free with
 * cal_free(). */
struct cal *cal_new(enum cal_convention conv);

/* Frees c.  cal_free(NULL) is a no-op. */
void cal_free(struct cal *c);

/* The convention c was created with. */
enum cal_convention cal_get_convention(const struct cal *c);

/* Stable lower-case name ("day0", "day1"), or NULL when out of range. */
const char *cal_convention_name(enum cal_convention conv);

/* Parses s[0..n) as a convention name ("day0" or "day1", as
 * cal_convention_name gives).  True and *out set on success; false leaves
 * *out untouched. */
bool cal_convention_parse(const char *s, size_t n, enum cal_convention *out);

/* Marks d as a non-working day.  Idempotent: adding a date already held
 * returns 0 and changes nothing.  Returns -1 (and changes nothing) when d
 * is not a valid date or c already holds CAL_HOLIDAYS_MAX dates.  A
 * holiday on a Saturday or Sunday is held (cal_is_holiday says so) but
 * changes no count, as weekends are never working days. */
#define CAL_HOLIDAYS_MAX 100000
int cal_add_holiday(struct cal *c, struct cal_date d);

/* Number of holiday dates held. */
size_t cal_holiday_count(const struct cal *c);

/* True when d was added with cal_add_holiday(). */
bool cal_is_holiday(const struct cal *c, struct cal_date d);

/* True when d is Monday..Friday and not a holiday. */
bool cal_is_working_day(const struct cal *c, struct cal_date d);

/* The due date for "within n working days of start" under c's convention
 * (see the contract above).  Under CAL_DAY0 a negative n gives the |n|-th
 * working day strictly before start.  Under CAL_DAY1 n < 1 counts as 1.
 * Results are clamped to the supported years. */
struct cal_date cal_add_working_days(const struct cal *c,
    struct cal_date start, int n);

/* Working days between a and b under c's convention (see the contract
 * above): DAY0 counts a < d <= b; DAY1 counts a <= d <= b.  Negative when
 * b is before a. */
int cal_working_days_between(const struct cal *c, struct cal_date a,
    struct cal_date b);

/* The moment something received at `received` is due when the rule gives
 * n working days: the same clock time on
 * cal_add_working_days(c, received.date, n).  R01: a decision on a
 * contact is due at cal_due_working_days(c, received, 1). */
struct cal_time cal_due_working_days(const struct cal *c,
    struct cal_time received, int n);

#endif
