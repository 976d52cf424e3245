/*
 * fuzz_calendar_import.c: both bank-holiday parsers (holidays.h) on
 * untrusted bytes, then the working-day calendar built from what they
 * accept.  Checks the contract: on failure the list is empty and the
 * message is text; on success the list is sorted, unique and every title
 * is short valid text; and the calendar keeps add/between consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "rules/calendar.h"
#include "rules/holidays.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(const char *err, size_t cap)
{
	size_t m = strnlen(err, cap);
	if (m == cap || m == 0 || !str_is_text(err, m))
		abort();
}

static void check_calendar(const struct holidays_list *l,
    enum cal_convention conv)
{
	struct cal *c = cal_new(conv);
	if (holidays_add_to_cal(l, c) != 0 || cal_holiday_count(c) != l->n)
		abort();
	for (size_t i = 0; i < l->n && i < 64; i++) {
		struct cal_date d = l->v[i].date;
		if (cal_is_working_day(c, d) || !cal_is_holiday(c, d))
			abort();
		/* around each holiday, add and between agree */
		struct cal_date s = cal_add_days(d, -(int)(i % 5));
		for (int n = 1; n <= 25; n += 6) {
			struct cal_date due = cal_add_working_days(c, s, n);
			if (!cal_is_working_day(c, due) ||
			    cal_working_days_between(c, s, due) != n ||
			    cal_compare(due, s) < 0)
				abort();
		}
	}
	cal_free(c);
}

static void check_list(const struct holidays_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct holidays_entry *e = &l->v[i];
		size_t t = strnlen(e->title, sizeof(e->title));
		if (!cal_date_valid(e->date) || t == 0 ||
		    t == sizeof(e->title) || !str_is_text(e->title, t))
			abort();
		if (i > 0 && cal_compare(l->v[i - 1].date, e->date) >= 0)
			abort();
	}
	if (l->n > HOLIDAYS_MAX)
		abort();
	check_calendar(l, CAL_DAY0);
	check_calendar(l, CAL_DAY1);
}

static void run(int (*parse)(const char *, size_t, const char *,
    struct holidays_list *, char *, size_t), const char *buf, size_t n,
    const char *division)
{
	char err[256];
	struct holidays_list l = {0};
	if (parse(buf, n, division, &l, err, sizeof(err)) == 0) {
		check_list(&l);
		holidays_list_free(&l);
		if (l.n != 0 || l.v != NULL)
			abort();
	} else {
		if (l.n != 0 || l.v != NULL)
			abort();
		check_err(err, sizeof(err));
	}
	/* a tiny error buffer must not overflow, and none is allowed */
	char tiny[3];
	if (parse(buf, n, division, &l, tiny, sizeof(tiny)) == 0)
		holidays_list_free(&l);
	else if (strnlen(tiny, sizeof(tiny)) == sizeof(tiny))
		abort();
	if (parse(buf, n, division, &l, NULL, 0) == 0)
		holidays_list_free(&l);
}

static int parse_csv(const char *buf, size_t n, const char *division,
    struct holidays_list *l, char *err, size_t errlen)
{
	(void)division;
	return holidays_parse_csv(buf, n, l, err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	run(parse_csv, s, size, NULL);
	run(holidays_parse_govuk_json, s, size, NULL);
	run(holidays_parse_govuk_json, s, size, "scotland");
	return 0;
}
