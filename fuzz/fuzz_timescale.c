/*
 * fuzz_timescale.c: timescale_parse (scrutiny/timescale.h) on untrusted
 * bytes.  Checks that every result is sound (a due date is a real day
 * in 1990..2100 or the reference date; the kind agrees with the other
 * fields), that the same text always gives the same result, that the
 * reference date changes nothing but what "immediate" gives, that
 * appending a later date always wins, and that recurrence names
 * round-trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "scrutiny/timescale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct timescale *t, struct cal_date ref)
{
	if ((unsigned)t->kind > TS_IMMEDIATE ||
	    (unsigned)t->recurrence > TS_RECUR_ANNUALLY)
		abort();
	if ((t->kind == TS_RECURRING) != (t->recurrence != TS_RECUR_NONE))
		abort();
	if (t->kind == TS_NONE && t->has_due)
		abort();
	if (t->kind == TS_DATE && !t->has_due)
		abort();
	if (t->kind == TS_IMMEDIATE && t->has_due != cal_date_valid(ref))
		abort();
	if (t->has_due) {
		if (!cal_date_valid(t->due))
			abort();
		if (cal_compare(t->due, ref) != 0 &&
		    (t->due.y < 1990 || t->due.y > 2100))
			abort();
	}
	const char *name = timescale_recurrence_name(t->recurrence);
	enum ts_recurrence back = TS_RECUR_NONE;
	if ((name == NULL) != (t->recurrence == TS_RECUR_NONE))
		abort();
	if (name && (!timescale_recurrence_from_name(name, &back) ||
	    back != t->recurrence))
		abort();
}

static bool same(const struct timescale *a, const struct timescale *b)
{
	return a->kind == b->kind && a->has_due == b->has_due &&
	    a->recurrence == b->recurrence &&
	    (!a->has_due || cal_compare(a->due, b->due) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cal_date ref = { 2016, 6, 7 };
	static const struct cal_date no_ref = { 0, 0, 0 };
	static const char later[] = " . 2100";	/* 31 December 2100 */
	const char *s = (const char *)data;
	struct timescale a, b, c;

	memset(&a, 0xa5, sizeof(a));
	timescale_parse(s, size, no_ref, &a);
	check(&a, no_ref);
	timescale_parse(s, size, no_ref, &b);
	if (!same(&a, &b))
		abort();

	/* the reference date only fills in "immediate" */
	timescale_parse(s, size, ref, &b);
	check(&b, ref);
	if (a.kind != b.kind || a.recurrence != b.recurrence)
		abort();
	if (a.has_due && (!b.has_due || cal_compare(a.due, b.due) != 0))
		abort();
	if (!a.has_due && b.has_due && cal_compare(b.due, ref) != 0)
		abort();

	/* only the first TIMESCALE_MAX_TEXT bytes count */
	if (size > TIMESCALE_MAX_TEXT) {
		timescale_parse(s, TIMESCALE_MAX_TEXT, no_ref, &c);
		if (!same(&a, &c))
			abort();
		return 0;
	}

	/* a later date appended after a full stop is the due date, and
	 * nothing else changes */
	size_t n = size + sizeof(later) - 1;
	if (n > TIMESCALE_MAX_TEXT)
		return 0;
	char *buf = xmalloc(n);	/* exactly n: a read past it is caught */
	memcpy(buf, data, size);
	memcpy(buf + size, later, sizeof(later) - 1);
	timescale_parse(buf, n, no_ref, &c);
	free(buf);
	check(&c, no_ref);
	if (!c.has_due || c.due.y != 2100 || c.due.m != 12 || c.due.d != 31 ||
	    c.recurrence != a.recurrence ||
	    c.kind != (a.recurrence ? TS_RECURRING : TS_DATE))
		abort();
	return 0;
}
