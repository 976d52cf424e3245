/* calendar_test.c: civil dates, date-times and the working-day calendar.
 * Dates below are checked against a printed calendar; weekdays are noted
 * beside them.  Holidays come from the shared England and Wales CSV
 * (through holidays.h) and, separately, from dates added by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/calendar.h"
#include "rules/holidays.h"

#define HOLIDAYS_CSV CAIRN_SOURCE_ROOT \
	"/data/codes/bank_holidays_england_wales_2018_2027.csv"

static struct cal_date D(int y, int m, int d)
{
	struct cal_date r = {y, m, d};
	return r;
}

#define assert_date(got, y, m, d) do { \
	struct cal_date g_ = (got); \
	char gs_[11], ws_[11]; \
	cal_date_format(g_, gs_); \
	cal_date_format(D((y), (m), (d)), ws_); \
	assert_string_equal(gs_, ws_); \
} while (0)

/* Reads the shared CSV and returns a calendar holding its dates. */
static struct cal *load_cal(enum cal_convention conv)
{
	FILE *f = fopen(HOLIDAYS_CSV, "rb");
	assert_non_null(f);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), f);
	assert_true(n > 0 && n < sizeof(buf));
	fclose(f);
	struct holidays_list l;
	char err[200] = "";
	if (holidays_parse_csv(buf, n, &l, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	struct cal *c = cal_new(conv);
	assert_non_null(c);
	assert_int_equal(holidays_add_to_cal(&l, c), 0);
	holidays_list_free(&l);
	return c;
}

static bool parses(const char *s)
{
	struct cal_date d;
	return cal_date_parse(s, strlen(s), &d);
}

static void date_parse_ok_and_rejections(void **state)
{
	(void)state;
	struct cal_date d = {0, 0, 0};
	char out[11];

	assert_true(cal_date_parse("2024-02-29", 10, &d));	/* leap day */
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	cal_date_format(d, out);
	assert_string_equal(out, "2024-02-29");
	assert_true(parses("2000-02-29"));	/* divisible by 400 */
	assert_true(parses("1900-01-01"));
	assert_true(parses("2100-12-31"));
	/* only n bytes are read */
	assert_true(cal_date_parse("2024-01-019", 10, &d));
	assert_int_equal(d.d, 1);

	d = D(7, 7, 7);
	assert_false(cal_date_parse("2023-02-29", 10, &d));	/* not leap */
	assert_int_equal(d.y, 7);				/* untouched */
	assert_false(parses("1900-02-29"));	/* century, not leap */
	assert_false(parses("2024-13-01"));
	assert_false(parses("2024-04-31"));
	assert_false(parses("2024-00-10"));
	assert_false(parses("2024-01-00"));
	assert_false(parses("2024-01-32"));
	assert_false(parses("1899-12-31"));
	assert_false(parses("2101-01-01"));
	assert_false(parses("2024-1-01"));
	assert_false(parses("2024-01-1"));
	assert_false(parses("2024/01/01"));
	assert_false(parses(" 2024-01-01"));
	assert_false(parses("2024-01-01 "));
	assert_false(parses("+024-01-01"));
	assert_false(parses("2024-0a-01"));
	assert_false(parses("24-01-2024"));
	assert_false(parses(""));
	assert_false(cal_date_parse("2024-01\0" "01", 10, &d));
	assert_false(cal_date_parse(NULL, 10, &d));
}

static void days_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(cal_days(D(1970, 1, 1)), 0);
	assert_int_equal(cal_days(D(1969, 12, 31)), -1);
	assert_int_equal(cal_days(D(2000, 3, 1)), 11017);
	assert_int_equal(cal_weekday(D(1970, 1, 1)), 3);	/* Thursday */
	assert_int_equal(cal_weekday(D(1900, 1, 1)), 0);	/* Monday */
	assert_int_equal(cal_weekday(D(2024, 2, 29)), 3);	/* Thursday */
	assert_int_equal(cal_weekday(D(2024, 3, 31)), 6);	/* Sunday */

	/* Every day 1900..2100: round trip, consecutive, weekday steps. */
	int32_t z0 = cal_days(D(1900, 1, 1)), z1 = cal_days(D(2100, 12, 31));
	int wd = 0;
	struct cal_date prev = D(1899, 12, 31);
	for (int32_t z = z0; z <= z1; z++) {
		struct cal_date d = cal_from_days(z);
		assert_true(cal_date_valid(d));
		assert_int_equal(cal_days(d), z);
		assert_int_equal(cal_weekday(d), wd);
		assert_true(cal_compare(prev, d) < 0);
		assert_true(cal_compare(d, prev) > 0);
		assert_int_equal(cal_compare(d, d), 0);
		wd = (wd + 1) % 7;
		prev = d;
	}
	assert_false(cal_date_valid(D(2023, 2, 29)));
	assert_false(cal_date_valid(D(0, 1, 1)));
	assert_int_equal(cal_days_in_month(2024, 2), 29);
	assert_int_equal(cal_days_in_month(2023, 2), 28);
	assert_int_equal(cal_days_in_month(2023, 13), 0);
}

static void add_days_and_months(void **state)
{
	(void)state;
	/* across February 2024 (leap) and 2023 (not) */
	assert_date(cal_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(cal_add_days(D(2024, 2, 28), 2), 2024, 3, 1);
	assert_date(cal_add_days(D(2023, 2, 28), 1), 2023, 3, 1);
	assert_date(cal_add_days(D(2024, 3, 1), -1), 2024, 2, 29);
	assert_date(cal_add_days(D(2024, 1, 31), 30), 2024, 3, 1);
	assert_date(cal_add_days(D(2024, 12, 31), 1), 2025, 1, 1);
	assert_date(cal_add_days(D(2024, 1, 1), 366), 2025, 1, 1);
	/* clamped at the ends of the supported years */
	assert_date(cal_add_days(D(9999, 12, 31), 1), 9999, 12, 31);
	assert_date(cal_add_days(D(2024, 1, 1), INT_MIN), 1, 1, 1);
	assert_date(cal_add_days(D(2024, 1, 1), INT_MAX), 9999, 12, 31);

	assert_date(cal_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
	assert_date(cal_add_months(D(2023, 1, 31), 1), 2023, 2, 28);
	assert_date(cal_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
	assert_date(cal_add_months(D(2024, 11, 15), 3), 2025, 2, 15);
	assert_date(cal_add_months(D(2024, 1, 15), -1), 2023, 12, 15);
	/* R09: first review conference within 3 months of the ICPC */
	assert_date(cal_add_months(D(2024, 5, 31), 3), 2024, 8, 31);
	/* R10: then every 6 months */
	assert_date(cal_add_months(D(2024, 10, 31), 6), 2025, 4, 30);
	assert_date(cal_add_months(D(2024, 1, 1), INT_MAX), 9999, 12, 31);
	assert_date(cal_add_months(D(2024, 1, 1), INT_MIN), 1, 1, 1);
}

static void times(void **state)
{
	(void)state;
	struct cal_time t, u;
	char out[17];

	assert_true(cal_time_parse("2024-03-29T09:30", 16, &t));
	cal_time_format(t, out);
	assert_string_equal(out, "2024-03-29T09:30");
	assert_true(cal_time_parse("2024-03-29 09:30", 16, &u));
	assert_int_equal(cal_minutes(t), cal_minutes(u));
	assert_true(cal_time_parse("2024-02-29T23:59", 16, &u));
	assert_true(cal_time_parse("2024-02-29T00:00", 16, &u));

	const char *bad[] = {
		"2024-03-29T24:00", "2024-03-29T09:60", "2024-03-29t09:30",
		"2024-03-29T9:30", "2024-03-29T09:30:00", "2024-02-30T10:00",
		"2024-03-29T09.30", "2024-03-29", "2024-03-29  9:30",
		"2024-03-29T-1:30", "1899-12-31T10:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		u.hh = 42;
		assert_false(cal_time_parse(bad[i], strlen(bad[i]), &u));
		assert_int_equal(u.hh, 42);
	}

	assert_true(cal_time_parse("1970-01-01T00:01", 16, &u));
	assert_int_equal(cal_minutes(u), 1);
	assert_true(cal_time_parse("1969-12-31T23:59", 16, &u));
	assert_int_equal(cal_minutes(u), -1);
	cal_time_format(cal_time_from_minutes(-1), out);
	assert_string_equal(out, "1969-12-31T23:59");

	/* R32: return home interview within 72 hours (clock). */
	cal_time_format(cal_time_add_hours(t, 72), out);
	assert_string_equal(out, "2024-04-01T09:30");
	/* Clocks went forward at 01:00 on 31 March 2024; civil arithmetic
	 * ignores that (documented), so the clock time is unchanged. */
	assert_true(cal_time_parse("2024-03-30T23:30", 16, &u));
	cal_time_format(cal_time_add_hours(u, 72), out);
	assert_string_equal(out, "2024-04-02T23:30");
	assert_true(cal_time_parse("2023-12-30T20:00", 16, &u));
	cal_time_format(cal_time_add_hours(u, 72), out);
	assert_string_equal(out, "2024-01-02T20:00");
	cal_time_format(cal_time_add_hours(u, -21), out);
	assert_string_equal(out, "2023-12-29T23:00");
	cal_time_format(cal_time_add_hours(u, INT_MAX), out);
	assert_string_equal(out, "9999-12-31T23:59");
}

static void weekends_only(void **state)
{
	(void)state;
	struct cal *c = cal_new(CAL_DAY0);
	assert_non_null(c);
	assert_int_equal(cal_get_convention(c), CAL_DAY0);
	/* 8 March 2024 is a Friday */
	assert_true(cal_is_working_day(c, D(2024, 3, 8)));
	assert_false(cal_is_working_day(c, D(2024, 3, 9)));	/* Sat */
	assert_false(cal_is_working_day(c, D(2024, 3, 10)));	/* Sun */
	assert_date(cal_add_working_days(c, D(2024, 3, 8), 1), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 9), 1), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 10), 1), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 8), 0), 2024, 3, 8);
	assert_date(cal_add_working_days(c, D(2024, 3, 9), 0), 2024, 3, 9);
	assert_date(cal_add_working_days(c, D(2024, 3, 8), 5), 2024, 3, 15);
	assert_date(cal_add_working_days(c, D(2024, 3, 11), -1), 2024, 3, 8);
	assert_date(cal_add_working_days(c, D(2024, 3, 10), -1), 2024, 3, 8);
	assert_date(cal_add_working_days(c, D(2024, 3, 13), -8), 2024, 3, 1);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 8),
	    D(2024, 3, 11)), 1);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 8),
	    D(2024, 3, 10)), 0);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 11),
	    D(2024, 3, 11)), 0);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 11),
	    D(2024, 3, 8)), -1);
	/* 2024 has 262 weekdays; 29 Feb is a Thursday */
	assert_int_equal(cal_working_days_between(c, D(2023, 12, 31),
	    D(2024, 12, 31)), 262);
	cal_free(c);
	cal_free(NULL);
	assert_null(cal_new(CAL_CONVENTION__MAX));
	assert_null(cal_new((enum cal_convention)-1));
}

static void easter_2024(void **state)
{
	(void)state;
	struct cal *c = load_cal(CAL_DAY0);
	assert_true(cal_is_working_day(c, D(2024, 3, 28)));	/* Thu */
	assert_false(cal_is_working_day(c, D(2024, 3, 29)));	/* Good Fri */
	assert_false(cal_is_working_day(c, D(2024, 4, 1)));	/* Easter Mon */
	assert_true(cal_is_holiday(c, D(2024, 3, 29)));
	assert_false(cal_is_holiday(c, D(2024, 3, 28)));
	assert_date(cal_add_working_days(c, D(2024, 3, 28), 1), 2024, 4, 2);
	assert_date(cal_add_working_days(c, D(2024, 3, 29), 1), 2024, 4, 2);
	assert_date(cal_add_working_days(c, D(2024, 4, 2), -1), 2024, 3, 28);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 28),
	    D(2024, 4, 2)), 1);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 28),
	    D(2024, 4, 1)), 0);
	/* R01: decision within one working day of a Thursday-afternoon
	 * contact is due the Tuesday after Easter at the same time. */
	struct cal_time rx, due;
	char out[17];
	assert_true(cal_time_parse("2024-03-28T16:45", 16, &rx));
	due = cal_due_working_days(c, rx, 1);
	cal_time_format(due, out);
	assert_string_equal(out, "2024-04-02T16:45");
	cal_free(c);
}

static void christmas_2022_new_year_2023(void **state)
{
	(void)state;
	struct cal *c = load_cal(CAL_DAY0);
	/* 25 Dec 2022 was a Sunday: Boxing Day Mon 26, Christmas substitute
	 * Tue 27; 1 Jan 2023 a Sunday: substitute Mon 2 Jan. */
	assert_false(cal_is_working_day(c, D(2022, 12, 26)));
	assert_false(cal_is_working_day(c, D(2022, 12, 27)));
	assert_true(cal_is_working_day(c, D(2022, 12, 28)));
	assert_false(cal_is_working_day(c, D(2023, 1, 2)));
	assert_true(cal_is_working_day(c, D(2023, 1, 3)));
	/* Fri 23 Dec + 1 skips the weekend and both holidays */
	assert_date(cal_add_working_days(c, D(2022, 12, 23), 1), 2022, 12, 28);
	/* Fri 30 Dec + 1 crosses the year and the substitute day */
	assert_date(cal_add_working_days(c, D(2022, 12, 30), 1), 2023, 1, 3);
	/* 23 Dec < d <= 3 Jan: 28, 29, 30 Dec and 3 Jan */
	assert_int_equal(cal_working_days_between(c, D(2022, 12, 23),
	    D(2023, 1, 3)), 4);
	assert_int_equal(cal_working_days_between(c, D(2023, 1, 3),
	    D(2022, 12, 23)), -4);
	assert_date(cal_add_working_days(c, D(2023, 1, 3), -4), 2022, 12, 23);
	cal_free(c);
}

static void extra_bank_holidays(void **state)
{
	(void)state;
	struct cal *c = load_cal(CAL_DAY0);
	/* 2022: Spring bank holiday moved to Thu 2 June, Platinum Jubilee
	 * Fri 3 June; Queen's funeral Mon 19 September. */
	assert_false(cal_is_working_day(c, D(2022, 6, 2)));
	assert_false(cal_is_working_day(c, D(2022, 6, 3)));
	assert_false(cal_is_working_day(c, D(2022, 9, 19)));
	assert_true(cal_is_working_day(c, D(2022, 5, 30)));	/* no late May */
	assert_date(cal_add_working_days(c, D(2022, 6, 1), 1), 2022, 6, 6);
	assert_date(cal_add_working_days(c, D(2022, 9, 16), 1), 2022, 9, 20);
	/* 2023: Coronation, Mon 8 May, a week after Early May (Mon 1 May) */
	assert_false(cal_is_working_day(c, D(2023, 5, 8)));
	assert_date(cal_add_working_days(c, D(2023, 5, 5), 1), 2023, 5, 9);
	assert_date(cal_add_working_days(c, D(2023, 4, 28), 1), 2023, 5, 2);
	/* Fri 28 Apr < d <= Tue 9 May: 2,3,4,5 and 9 May */
	assert_int_equal(cal_working_days_between(c, D(2023, 4, 28),
	    D(2023, 5, 9)), 5);
	cal_free(c);
}

static void r02_forty_five_working_days(void **state)
{
	(void)state;
	struct cal *c0 = load_cal(CAL_DAY0);
	struct cal *c1 = load_cal(CAL_DAY1);
	/*
	 * R02: assessment within 45 working days of the referral.  Referral
	 * on Monday 4 March 2024, counted by hand under DAY0 (day 0 is the
	 * referral date):
	 *   Tue 5 - Fri 8 Mar ............ days 1-4
	 *   11-15 Mar, 18-22 Mar ......... days 5-14
	 *   Mon 25 - Thu 28 Mar .......... days 15-18
	 *   Fri 29 Mar Good Friday, Mon 1 Apr Easter Monday: skipped
	 *   Tue 2 - Fri 5 Apr ............ days 19-22
	 *   8-12, 15-19, 22-26 Apr, 29 Apr-3 May .. days 23-42
	 *   Mon 6 May Early May bank holiday: skipped
	 *   Tue 7, Wed 8, Thu 9 May ...... days 43-45
	 * so the assessment is due on Thursday 9 May 2024.  (Nine whole
	 * weeks would give Mon 6 May; three holidays push it 3 working days
	 * further.)  Under DAY1 the Monday itself is day 1, one day sooner:
	 * Wednesday 8 May 2024.
	 */
	assert_date(cal_add_working_days(c0, D(2024, 3, 4), 45), 2024, 5, 9);
	assert_date(cal_add_working_days(c1, D(2024, 3, 4), 45), 2024, 5, 8);
	assert_int_equal(cal_working_days_between(c0, D(2024, 3, 4),
	    D(2024, 5, 9)), 45);
	assert_int_equal(cal_working_days_between(c1, D(2024, 3, 4),
	    D(2024, 5, 8)), 45);
	/* one day late */
	assert_int_equal(cal_working_days_between(c0, D(2024, 3, 4),
	    D(2024, 5, 10)), 46);
	cal_free(c0);
	cal_free(c1);
}

static void day1_convention(void **state)
{
	(void)state;
	struct cal *c = load_cal(CAL_DAY1);
	assert_int_equal(cal_get_convention(c), CAL_DAY1);
	/* Mon 11 Mar 2024 + 1 = the Monday itself */
	assert_date(cal_add_working_days(c, D(2024, 3, 11), 1), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 11), 0), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 11), -5), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 8), 2), 2024, 3, 11);
	/* a Saturday start: day 1 is the Monday */
	assert_date(cal_add_working_days(c, D(2024, 3, 9), 1), 2024, 3, 11);
	assert_date(cal_add_working_days(c, D(2024, 3, 9), 2), 2024, 3, 12);
	/* Good Friday start: day 1 is Tue 2 April */
	assert_date(cal_add_working_days(c, D(2024, 3, 29), 1), 2024, 4, 2);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 11),
	    D(2024, 3, 11)), 1);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 9),
	    D(2024, 3, 10)), 0);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 8),
	    D(2024, 3, 11)), 2);
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 28),
	    D(2024, 4, 2)), 2);
	/* b < a: minus the working days strictly between */
	assert_int_equal(cal_working_days_between(c, D(2024, 3, 13),
	    D(2024, 3, 11)), -1);
	cal_free(c);

	enum cal_convention v = CAL_DAY0;
	assert_string_equal(cal_convention_name(CAL_DAY1), "day1");
	assert_null(cal_convention_name(CAL_CONVENTION__MAX));
	assert_true(cal_convention_parse("day1", 4, &v));
	assert_int_equal(v, CAL_DAY1);
	assert_true(cal_convention_parse("day0", 4, &v));
	assert_int_equal(v, CAL_DAY0);
	v = CAL_DAY1;
	assert_false(cal_convention_parse("day2", 4, &v));
	assert_false(cal_convention_parse("day", 3, &v));
	assert_false(cal_convention_parse("DAY0", 4, &v));
	assert_int_equal(v, CAL_DAY1);
}

static void hand_added_holidays(void **state)
{
	(void)state;
	struct cal *c = cal_new(CAL_DAY0);
	/* Christmas 2030 falls on Wed 25, Boxing Day Thu 26 December. */
	assert_int_equal(cal_add_holiday(c, D(2030, 12, 26)), 0);
	assert_int_equal(cal_add_holiday(c, D(2030, 12, 25)), 0);
	assert_int_equal(cal_add_holiday(c, D(2030, 12, 25)), 0); /* again */
	assert_int_equal(cal_holiday_count(c), 2);
	assert_date(cal_add_working_days(c, D(2030, 12, 24), 1), 2030, 12, 27);
	assert_int_equal(cal_working_days_between(c, D(2030, 12, 24),
	    D(2030, 12, 31)), 3);	/* 27, 30, 31 */
	/* a holiday on a Saturday is held but changes no count */
	assert_int_equal(cal_add_holiday(c, D(2030, 12, 28)), 0);
	assert_true(cal_is_holiday(c, D(2030, 12, 28)));
	assert_int_equal(cal_holiday_count(c), 3);
	assert_int_equal(cal_working_days_between(c, D(2030, 12, 24),
	    D(2030, 12, 31)), 3);
	assert_date(cal_add_working_days(c, D(2030, 12, 27), 1), 2030, 12, 30);
	/* an earlier date keeps the array sorted */
	assert_int_equal(cal_add_holiday(c, D(2030, 1, 1)), 0);
	assert_false(cal_is_working_day(c, D(2030, 1, 1)));
	assert_true(cal_is_working_day(c, D(2030, 1, 2)));
	assert_true(cal_is_holiday(c, D(2030, 12, 26)));
	/* invalid dates are refused */
	assert_int_equal(cal_add_holiday(c, D(2030, 2, 29)), -1);
	assert_int_equal(cal_add_holiday(c, D(2030, 0, 1)), -1);
	assert_int_equal(cal_holiday_count(c), 4);
	cal_free(c);
}

/* ---- cross-check against a day-by-day reference ----------------------- */

static bool naive_working(const struct cal *c, int32_t z)
{
	struct cal_date d = cal_from_days(z);
	return cal_weekday(d) < 5 && !cal_is_holiday(c, d);
}

/* DAY0 by walking: the n-th working day after (n > 0) or before (n < 0). */
static int32_t naive_add0(const struct cal *c, int32_t s, int n)
{
	int32_t z = s;
	int step = n > 0 ? 1 : -1;
	for (int k = n > 0 ? n : -n; k > 0;) {
		z += step;
		if (naive_working(c, z))
			k--;
	}
	return z;
}

static int naive_between0(const struct cal *c, int32_t a, int32_t b)
{
	int sign = 1, cnt = 0;
	if (b < a) {
		int32_t t = a;
		a = b;
		b = t;
		sign = -1;
	}
	for (int32_t z = a + 1; z <= b; z++)
		cnt += naive_working(c, z);
	return sign * cnt;
}

static void matches_reference(void **state)
{
	(void)state;
	struct cal *c0 = load_cal(CAL_DAY0);
	struct cal *c1 = load_cal(CAL_DAY1);
	/* weekend holidays and a run of adjacent ones stress the jumps */
	struct cal_date extra[] = {
		D(2019, 6, 1), D(2019, 6, 2), D(2021, 3, 1), D(2021, 3, 2),
		D(2021, 3, 3), D(2021, 3, 4), D(2021, 3, 5), D(2021, 3, 8),
	};
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		assert_int_equal(cal_add_holiday(c0, extra[i]), 0);
		assert_int_equal(cal_add_holiday(c1, extra[i]), 0);
	}
	int32_t from = cal_days(D(2017, 12, 1)), to = cal_days(D(2027, 6, 1));
	for (int32_t s = from; s <= to; s += 3) {
		struct cal_date sd = cal_from_days(s);
		for (int n = -12; n <= 60; n++) {
			int32_t want = n == 0 ? s : naive_add0(c0, s, n);
			struct cal_date got = cal_add_working_days(c0, sd, n);
			assert_int_equal(cal_days(got), want);
			if (n >= 0)
				assert_int_equal(cal_working_days_between(c0,
				    sd, got), n);
			/* DAY1 == DAY0 from the day before, n < 1 as 1 */
			int n1 = n < 1 ? 1 : n;
			int32_t want1 = naive_add0(c1, s - 1, n1);
			got = cal_add_working_days(c1, sd, n1);
			assert_int_equal(cal_days(got), want1);
			assert_int_equal(cal_working_days_between(c1, sd, got),
			    n1);
		}
		/* between() against the walk, both directions */
		int32_t b = s + (s * 7919) % 400 - 200;
		assert_int_equal(cal_working_days_between(c0, sd,
		    cal_from_days(b)), naive_between0(c0, s, b));
		assert_int_equal(cal_working_days_between(c1, sd,
		    cal_from_days(b)), naive_between0(c1, s - 1, b));
	}
	cal_free(c0);
	cal_free(c1);
}

static void long_spans_and_clamping(void **state)
{
	(void)state;
	struct cal *c = load_cal(CAL_DAY0);
	struct cal_date a = D(1900, 1, 1), b = D(2100, 12, 31);
	int want = naive_between0(c, cal_days(a), cal_days(b));
	assert_int_equal(cal_working_days_between(c, a, b), want);
	assert_int_equal(cal_working_days_between(c, b, a), -want);
	assert_int_equal(cal_days(cal_add_working_days(c, a, want)),
	    cal_days(b) - (cal_weekday(b) >= 5 ? cal_weekday(b) - 4 : 0));
	/* absurd n is clamped, never overflows */
	assert_date(cal_add_working_days(c, a, INT_MAX), 9999, 12, 31);
	assert_date(cal_add_working_days(c, a, INT_MIN), 1, 1, 1);
	cal_free(c);
	c = cal_new(CAL_DAY1);
	assert_date(cal_add_working_days(c, a, INT_MAX), 9999, 12, 31);
	cal_free(c);
}

static void format_never_overflows(void **state)
{
	(void)state;
	char out[12];
	memset(out, 'x', sizeof(out));
	cal_date_format(D(123456, -4, 100), out);
	assert_string_equal(out, "9999-00-99");
	assert_int_equal(out[11], 'x');
	char t[18];
	memset(t, 'x', sizeof(t));
	struct cal_time bad = {D(2024, 1, 1), 99, -3};
	cal_time_format(bad, t);
	assert_string_equal(t, "2024-01-01T99:00");
	assert_int_equal(t[17], 'x');
}

/* Ages in whole months: the same day of a later month counts, the 31st
 * counts on a shorter month's last day, 29 February on the 28th. */
static void ages(void **state)
{
	(void)state;
	struct cal_date b = {2019, 3, 15};
	assert_int_equal(cal_age_months(b, (struct cal_date){2026, 3, 14}), 83);
	assert_int_equal(cal_age_months(b, (struct cal_date){2026, 3, 15}), 84);
	assert_int_equal(cal_age_months(b, (struct cal_date){2019, 3, 15}), 0);
	assert_int_equal(cal_age_months(b, (struct cal_date){2019, 4, 14}), 0);
	assert_int_equal(cal_age_months(b, (struct cal_date){2019, 4, 15}), 1);
	struct cal_date leap = {2024, 2, 29};
	assert_int_equal(cal_age_months(leap, (struct cal_date){2025, 2, 27}), 11);
	assert_int_equal(cal_age_months(leap, (struct cal_date){2025, 2, 28}), 12);
	struct cal_date end = {2025, 1, 31};
	assert_int_equal(cal_age_months(end, (struct cal_date){2025, 2, 28}), 1);
	assert_int_equal(cal_age_months(end, (struct cal_date){2025, 2, 27}), 0);
	assert_true(cal_age_months(b, (struct cal_date){2019, 1, 1}) < 0);
}

static void month_names(void **state)
{
	(void)state;
	assert_string_equal(cal_month_name(1), "January");
	assert_string_equal(cal_month_name(9), "September");
	assert_string_equal(cal_month_name(12), "December");
	assert_string_equal(cal_month_name(0), "");
	assert_string_equal(cal_month_name(13), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_parse_ok_and_rejections),
		cmocka_unit_test(days_and_weekdays),
		cmocka_unit_test(add_days_and_months),
		cmocka_unit_test(times),
		cmocka_unit_test(weekends_only),
		cmocka_unit_test(easter_2024),
		cmocka_unit_test(christmas_2022_new_year_2023),
		cmocka_unit_test(extra_bank_holidays),
		cmocka_unit_test(r02_forty_five_working_days),
		cmocka_unit_test(day1_convention),
		cmocka_unit_test(hand_added_holidays),
		cmocka_unit_test(matches_reference),
		cmocka_unit_test(long_spans_and_clamping),
		cmocka_unit_test(format_never_overflows),
		cmocka_unit_test(month_names),
		cmocka_unit_test(ages),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
