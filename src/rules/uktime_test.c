/* uktime_test.c: UK civil time across midnight in GMT and in BST, the
 * two clock changes, the way back from a civil time to an instant, and
 * every hour of 1990-2037 against the system's tz database (the one
 * place in the tree allowed to call localtime_r: it is the oracle, not
 * the code under test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/uktime.h"

/* Instant of a UTC date-time given as text. */
static int64_t Z(const char *s)
{
	int64_t t = 0;
	assert_true(uk_stamp_parse(s, &t));
	return t;
}

#define assert_civil(t, want) do { \
	char got_[17]; \
	cal_time_format(uk_civil(t), got_); \
	assert_string_equal(got_, (want)); \
} while (0)

#define assert_day(t, want) do { \
	char got_[11]; \
	uk_date_text((t), got_); \
	assert_string_equal(got_, (want)); \
} while (0)

static void midnight_in_gmt(void **state)
{
	(void)state;
	assert_civil(Z("2026-01-15T23:59:59Z"), "2026-01-15T23:59");
	assert_day(Z("2026-01-15T23:59:59Z"), "2026-01-15");
	assert_civil(Z("2026-01-16T00:00:00Z"), "2026-01-16T00:00");
	assert_day(Z("2026-01-16T00:00:00Z"), "2026-01-16");
	assert_int_equal(uk_offset_minutes(Z("2026-01-16T00:00:00Z")), 0);
	/* New Year's Eve: the year turns at the same instant in England. */
	assert_day(Z("2026-12-31T23:59:59Z"), "2026-12-31");
	assert_day(Z("2027-01-01T00:00:00Z"), "2027-01-01");
}

static void midnight_in_bst(void **state)
{
	(void)state;
	/* The example: 23:30 UTC on 1 July is 2 July in England. */
	assert_civil(Z("2026-07-01T23:30:00Z"), "2026-07-02T00:30");
	assert_day(Z("2026-07-01T23:30:00Z"), "2026-07-02");
	assert_civil(Z("2026-07-01T22:59:59Z"), "2026-07-01T23:59");
	assert_day(Z("2026-07-01T22:59:59Z"), "2026-07-01");
	assert_day(Z("2026-07-01T23:00:00Z"), "2026-07-02");
	assert_true(uk_is_bst(Z("2026-07-01T23:00:00Z")));
	/* A month end in summer: 31 August 23:15 UTC is 1 September. */
	assert_day(Z("2026-08-31T23:15:00Z"), "2026-09-01");
}

static void clocks_go_forward(void **state)
{
	(void)state;
	/* 2026: the last Sunday in March is the 29th. */
	assert_civil(Z("2026-03-29T00:59:59Z"), "2026-03-29T00:59");
	assert_int_equal(uk_offset_minutes(Z("2026-03-29T00:59:59Z")), 0);
	assert_civil(Z("2026-03-29T01:00:00Z"), "2026-03-29T02:00");
	assert_int_equal(uk_offset_minutes(Z("2026-03-29T01:00:00Z")), 60);
	/* The Saturday before is GMT all day; 2024's change was the 31st. */
	assert_false(uk_is_bst(Z("2026-03-28T12:00:00Z")));
	assert_false(uk_is_bst(Z("2024-03-31T00:59:00Z")));
	assert_true(uk_is_bst(Z("2024-03-31T01:00:00Z")));
	/* Back from civil time: 00:30 is GMT, 03:00 is BST, and 01:30
	 * (which never happened) reads as GMT, i.e. 02:30 BST. */
	struct cal_time t = {{2026, 3, 29}, 0, 30};
	assert_int_equal(uk_to_instant(t), Z("2026-03-29T00:30:00Z"));
	t.hh = 3, t.mm = 0;
	assert_int_equal(uk_to_instant(t), Z("2026-03-29T02:00:00Z"));
	t.hh = 1, t.mm = 30;
	assert_int_equal(uk_to_instant(t), Z("2026-03-29T01:30:00Z"));
	assert_civil(uk_to_instant(t), "2026-03-29T02:30");
}

static void clocks_go_back(void **state)
{
	(void)state;
	/* 2026: the last Sunday in October is the 25th; 01:00-01:59 happens
	 * twice, first in BST, then in GMT. */
	assert_civil(Z("2026-10-25T00:59:59Z"), "2026-10-25T01:59");
	assert_true(uk_is_bst(Z("2026-10-25T00:59:59Z")));
	assert_civil(Z("2026-10-25T01:00:00Z"), "2026-10-25T01:00");
	assert_false(uk_is_bst(Z("2026-10-25T01:00:00Z")));
	assert_civil(Z("2026-10-24T23:00:00Z"), "2026-10-25T00:00");
	assert_day(Z("2026-10-24T22:59:00Z"), "2026-10-24");
	/* The repeated 01:30 is taken as the first (BST) one. */
	struct cal_time t = {{2026, 10, 25}, 1, 30};
	assert_int_equal(uk_to_instant(t), Z("2026-10-25T00:30:00Z"));
	/* The day is 25 hours long. */
	struct cal_date d = {2026, 10, 25}, e = {2026, 10, 26};
	assert_int_equal(uk_day_start(e) - uk_day_start(d), 25 * 3600);
	struct cal_date s = {2026, 3, 29}, s2 = {2026, 3, 30};
	assert_int_equal(uk_day_start(s2) - uk_day_start(s), 23 * 3600);
}

static void stamps(void **state)
{
	(void)state;
	char s[UK_STAMP_LEN];
	uk_stamp(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	uk_stamp(Z("2026-07-01T23:30:07Z"), s);
	assert_string_equal(s, "2026-07-01T23:30:07Z");
	uk_stamp(-1, s);
	assert_string_equal(s, "1969-12-31T23:59:59Z");
	int64_t t = 5;
	assert_true(uk_stamp_parse("2026-07-01T23:30Z", &t));
	assert_int_equal(t, Z("2026-07-01T23:30:00Z"));
	/* Beyond 2038 in 64 bits. */
	assert_true(uk_stamp_parse("2099-12-31T23:59:59Z", &t));
	assert_true(t > INT32_MAX);
	uk_stamp(t, s);
	assert_string_equal(s, "2099-12-31T23:59:59Z");
	t = 5;
	assert_false(uk_stamp_parse("2026-07-01T23:30:00", &t));
	assert_false(uk_stamp_parse("2026-07-01 23:30:60Z", &t));
	assert_false(uk_stamp_parse("2026-02-30T10:00:00Z", &t));
	assert_false(uk_stamp_parse("", &t));
	assert_false(uk_stamp_parse(NULL, &t));
	assert_int_equal(t, 5);
	char h[40];
	uk_human(Z("2026-07-01T23:30:00Z"), h);
	assert_string_equal(h, "2 July 2026 at 00:30");
	uk_human(Z("2026-01-06T09:05:00Z"), h);
	assert_string_equal(h, "6 January 2026 at 09:05");
}

/* Every hour (and the minutes around each change) of 1990-2037 against
 * the tz database's Europe/London. */
static void matches_tz_database(void **state)
{
	(void)state;
	if (setenv("TZ", "Europe/London", 1) != 0)
		fail();
	tzset();
	int64_t from = Z("1996-01-01T00:00:00Z"); /* EU rules from 1996 */
	int64_t to = Z("2037-12-31T23:00:00Z");
	long checked = 0;
	for (int64_t t = from; t <= to; t += 1800) {
		time_t tt = (time_t)t;
		struct tm tm;
		localtime_r(&tt, &tm);
		struct cal_time c = uk_civil(t);
		if (c.date.y != tm.tm_year + 1900 || c.date.m != tm.tm_mon + 1 ||
		    c.date.d != tm.tm_mday || c.hh != tm.tm_hour ||
		    c.mm != tm.tm_min) {
			char s[UK_STAMP_LEN];
			uk_stamp(t, s);
			fail_msg("uk_civil differs from Europe/London at %s", s);
		}
		/* And back: the instant of what the clock said is t, except
		 * in the repeated autumn hour's second pass. */
		int64_t back = uk_to_instant(c);
		if (back != t - t % 60 && !(tm.tm_isdst == 0 && c.hh == 1 &&
					    back == t - t % 60 - 3600))
			fail_msg("uk_to_instant not the inverse at %lld",
				 (long long)t);
		checked++;
	}
	assert_true(checked > 700000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(midnight_in_gmt),
		cmocka_unit_test(midnight_in_bst),
		cmocka_unit_test(clocks_go_forward),
		cmocka_unit_test(clocks_go_back),
		cmocka_unit_test(stamps),
		cmocka_unit_test(matches_tz_database),
	};
	return cmocka_run_group_tests_name("uktime", tests, NULL, NULL);
}
