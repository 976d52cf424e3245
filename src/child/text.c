/*
 * text.c: the checks on typed text and dates that the record and its
 * sections share, and the stored key of a name (see child_int.h).  Each
 * check adds one message a field, in the words child.h promises: what is
 * wrong and how to put it right, never repeating the value.
 */
#include "child/child_int.h"
#include "core/str.h"

#include <string.h>

char *child_trimmed(struct arena *a, const char *s)
{
	if (s == NULL)
		s = "";
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

const char *child_check_text(struct arena *a, const char *s,
			     const char *field, const char *label,
			     const char *empty_msg, size_t max_chars,
			     bool one_line, struct field_errors *e)
{
	char *t = child_trimmed(a, s);
	if (t == NULL) {
		fe_addf(e, field, "%s could not be read.", label);
		return NULL;
	}
	if (t[0] == '\0') {
		if (empty_msg) {
			fe_addf(e, field, "%s", empty_msg);
			return NULL;
		}
		return t;
	}
	size_t n = strlen(t);
	if (one_line ? !str_is_line(t, n) : !str_is_text(t, n)) {
		fe_addf(e, field, "%s must be plain text%s, without control "
			"characters.", label, one_line ? " on one line" : "");
		return NULL;
	}
	if (str_utf8_chars(t, n) > max_chars) {
		fe_addf(e, field, "%s must be %zu characters or fewer.", label,
			max_chars);
		return NULL;
	}
	return t;
}

bool child_check_date(const char *s, const char *field, const char *label,
		      struct cal_date *out, struct field_errors *e)
{
	size_t n = strlen(s);
	if (cal_date_parse(s, n, out))
		return true;
	int64_t y, m, d;
	if (n == 10 && s[4] == '-' && s[7] == '-' &&
	    str_to_i64(s, 4, 0, 9999, &y) && str_to_i64(s + 5, 2, 0, 99, &m) &&
	    str_to_i64(s + 8, 2, 0, 99, &d)) {
		if (m < 1 || m > 12)
			fe_addf(e, field, "%s must be a real date: the month "
				"must be from 1 to 12.", label);
		else if (y < CAL_PARSE_YEAR_MIN || y > CAL_PARSE_YEAR_MAX)
			fe_addf(e, field, "%s must be a real date: the year "
				"must be from %d to %d.", label,
				CAL_PARSE_YEAR_MIN, CAL_PARSE_YEAR_MAX);
		else
			fe_addf(e, field, "%s must be a real date: %s %d has "
				"only %d days.", label, cal_month_name(m),
				(int)y, cal_days_in_month((int)y, (int)m));
		return false;
	}
	fe_addf(e, field, "%s must be a real date written as year-month-day, "
		"for example 2019-03-27.", label);
	return false;
}

int child_checked(struct arena *a, const struct field_errors *e, int before)
{
	if (e->n > before)
		return ERR_INVALID;
	return arena_exhausted(a) ? ERR_NOMEM : ERR_OK;
}

bool child_check_day(struct arena *a, const char *s, const struct actor *act,
		     const char *field, const char *label,
		     const char *missing, enum child_day_rule rule,
		     const char *rule_msg, char out[11],
		     struct field_errors *e)
{
	out[0] = '\0';
	const char *t = child_trimmed(a, s);
	if (t == NULL || t[0] == '\0') {
		if (missing == NULL)
			return true;
		fe_addf(e, field, "%s", missing);
		return false;
	}
	struct cal_date d;
	if (!child_check_date(t, field, label, &d, e))
		return false;
	cal_date_format(d, out);
	int k = cal_compare(d, act->today);
	if (rule == CHILD_DAY_NOT_FUTURE ? k > 0 : k < 0) {
		fe_addf(e, field, "%s", rule_msg);
		return false;
	}
	return true;
}

void child_name_key(const char *name, char out[NAMEMATCH_KEY_MAX])
{
	char folded[NAMEMATCH_NAME_MAX * 2];
	size_t n = namematch_fold(name, strlen(name), folded, sizeof(folded));
	namematch_key(folded, n, out, NAMEMATCH_KEY_MAX);
}
