/*
 * fuzz_ident.c: every identifier validator (child/ident.h) and the date
 * and date-time parsers (rules/calendar.h) on untrusted bytes.  Checks
 * that what is accepted is in normal form and accepted again, that the
 * _explain functions agree with the checks and write bounded text, and
 * that date arithmetic round-trips.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "child/ident.h"
#include "core/str.h"
#include "rules/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const char *msg, size_t cap)
{
	size_t m = strnlen(msg, cap);
	if (m == cap || m == 0 || !str_is_text(msg, m))
		abort();
}

static void nhs(const char *s, size_t n)
{
	char out[11], again[11], msg[300], tiny[4];
	enum ident_err e = ident_nhs_check(s, n, out);
	if ((unsigned)e >= IDENT__MAX)
		abort();
	if (ident_nhs_explain(s, n, msg, sizeof(msg)) != e ||
	    ident_nhs_explain(s, n, tiny, sizeof(tiny)) != e ||
	    ident_nhs_explain(s, n, NULL, 0) != e)
		abort();
	check_msg(msg, sizeof(msg));
	check_msg(tiny, sizeof(tiny));
	if (ident_message(e, "NHS number", msg, sizeof(msg)) <= 0)
		abort();
	if (e != IDENT_OK)
		return;
	if (strlen(out) != 10 || strspn(out, "0123456789") != 10 ||
	    ident_nhs_check(out, 10, again) != IDENT_OK ||
	    memcmp(out, again, 11) != 0 ||
	    ident_nhs_check_digit(out) != out[9] - '0')
		abort();
}

static void upn(const char *s, size_t n)
{
	char out[14], again[14], msg[300], tiny[4];
	enum ident_err e = ident_upn_check(s, n, out);
	if ((unsigned)e >= IDENT__MAX || e == IDENT_RESERVED)
		abort();
	if (ident_upn_explain(s, n, msg, sizeof(msg)) != e ||
	    ident_upn_explain(s, n, tiny, sizeof(tiny)) != e)
		abort();
	check_msg(msg, sizeof(msg));
	if (e != IDENT_OK)
		return;
	if (strlen(out) != 13 || ident_upn_check(out, 13, again) != IDENT_OK ||
	    memcmp(out, again, 14) != 0 ||
	    ident_upn_check_letter(out + 1) != out[0])
		abort();
	for (int i = 0; i < 13; i++)
		if (out[i] >= 'a' && out[i] <= 'z')
			abort();
}

static void postcode(const char *s, size_t n)
{
	char out[9], again[9];
	if (!ident_postcode_check(s, n, out))
		return;
	size_t k = strlen(out);
	if (k < 6 || k > 8 || out[k - 4] != ' ' ||
	    !ident_postcode_check(out, k, again) || strcmp(out, again) != 0)
		abort();
}

static void dates(const char *s, size_t n, int arg)
{
	struct cal_date d;
	struct cal_time t;
	char out[17];

	if (cal_date_parse(s, n, &d)) {
		cal_date_format(d, out);
		if (n != 10 || memcmp(out, s, 10) != 0 || !cal_date_valid(d))
			abort();
		if (cal_compare(cal_from_days(cal_days(d)), d) != 0 ||
		    cal_weekday(d) < 0 || cal_weekday(d) > 6)
			abort();
		if (!cal_date_valid(cal_add_months(d, arg)) ||
		    !cal_date_valid(cal_add_days(d, arg)))
			abort();
		struct cal *c = cal_new((enum cal_convention)(arg & 1));
		cal_add_holiday(c, d);
		cal_add_holiday(c, cal_add_days(d, 1 + (arg & 7)));
		int wd = (arg % 200 + 200) % 200;
		struct cal_date due = cal_add_working_days(c, d, wd);
		int want = (arg & 1) && wd < 1 ? 1 : wd;
		if (!cal_date_valid(due) ||
		    cal_working_days_between(c, d, due) != want)
			abort();
		cal_free(c);
	}
	if (cal_time_parse(s, n, &t)) {
		cal_time_format(t, out);
		if (n != 16 || memcmp(out, s, 10) != 0 ||
		    memcmp(out + 11, s + 11, 5) != 0)
			abort();
		struct cal_time u = cal_time_from_minutes(cal_minutes(t));
		if (cal_minutes(u) != cal_minutes(t))
			abort();
		/* R32: 72 hours later is 4320 minutes later */
		if (cal_minutes(cal_time_add_hours(t, 72)) - cal_minutes(t) !=
		    72 * 60)
			abort();
	}
	enum cal_convention conv;
	if (cal_convention_parse(s, n, &conv) &&
	    strcmp(cal_convention_name(conv), "day0") != 0 &&
	    strcmp(cal_convention_name(conv), "day1") != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int arg = 0;
	for (size_t i = 0; i < size && i < 4; i++)
		arg = arg * 31 + data[i];
	nhs(s, size);
	upn(s, size);
	postcode(s, size);
	dates(s, size, arg % 100000 - 50000);
	return 0;
}
