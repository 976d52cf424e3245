/*
 * timescale: the timescale of a scrutiny action, kept exactly as written
 * and parsed, where possible, into a due date and/or a recurrence.
 *
 * Purpose.  Action plans give timescales in every phrasing a person can
 * type: "Target implementation March 2011", "September 2010/ Ongoing",
 * "June – Dec 2016", "Sept 16", "29/04/2016", "Immediate", "Annually",
 * "No agreed timescale at present.".  timescale_parse() reads one such
 * text and says what it can: a due date (the latest date the text
 * names; a month alone means its last day), a recurrence, or nothing.
 * The original text is never changed; a person can correct the parsed
 * value beside it.
 *
 * Rules (timescale.c has the full list; timescale_test.c has every
 * phrasing found in tests/seeds/ and many more):
 *  - "29/04/2016", "29/04/16", "29.4.2016", "29 April 2016", "29th of
 *    April 2016", "April 29, 2016", "2016-04-29": that date.  Numeric
 *    dates are day first (UK order).
 *  - "March 2011", "Mar 11", "Sept 16", "Dec '16", "end September 2016",
 *    "04/2016": the last day of that month.  Two-digit years are 20YY.
 *    A month name counts only when a year follows it (or a day precedes
 *    it and a year follows), so "may be reviewed" is not May.
 *  - "2017": 31 December 2017.  Only years 1990..2100 are read.
 *  - Ranges take their end: "June – Dec 2016", "May- July 16",
 *    "Sept 2016 - March" (March 2017).  "2016/17", "2016-17",
 *    "2004/2005" are financial years: 31 March of the second year.
 *  - "Q3 2016/17", "first quarter of 2016/17": financial quarters (Q1 is
 *    April to June); "Q3 2016": calendar quarters.  "Spring", "Summer",
 *    "Autumn" 2016: 31 May, 31 August, 30 November; "Winter 2016" and
 *    "Winter 2016/17": end of February 2017.
 *  - Several dates in one text ("Procedure refresh December 2010 PEIS
 *    strategy Ongoing"): the latest date; a recurrence word anywhere
 *    sets the recurrence too.  HTML tags count as spaces.
 *  - "Annually", "Monthly", "Quarterly", "Termly", "Weekly",
 *    "Six-monthly", "every six months", "twice a year", "each year",
 *    "Ongoing", "On-going", "continuous": a recurrence, with or without
 *    a due date (kind TS_RECURRING).  When several are named, the most
 *    frequent wins, and "ongoing" only when there is no other.
 *    Ambiguous ones ("bi-monthly", "biannually") give none.
 *  - "Immediate", "Immediately", "ASAP", "as soon as possible": kind
 *    TS_IMMEDIATE, due on the reference date (the date of the document
 *    or review) when one is given.  An explicit date in the same text
 *    wins (kind TS_DATE); a recurrence makes the kind TS_RECURRING, with
 *    the reference date as its first due date.
 *  - Anything else ("No agreed timescale at present.", "TBC", "30th
 *    March" with no year, "within 6 months", 31/02/2016): TS_NONE.
 *
 * Ownership.  No allocation; the caller owns every buffer.  Pure: no
 * I/O, no globals, no clock (the reference date is an argument).  Time
 * and stack use are linear in the text, and bounded.
 *
 * Errors.  timescale_parse() never fails: unparseable text gives
 * kind TS_NONE.  It reads at most TIMESCALE_MAX_TEXT bytes of text;
 * any bytes at all (invalid UTF-8, NUL) are accepted.
 */
#ifndef CAIRN_SCRUTINY_TIMESCALE_H
#define CAIRN_SCRUTINY_TIMESCALE_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/calendar.h"

#define TIMESCALE_MAX_TEXT 4096

enum ts_kind {
	TS_NONE = 0,    /* nothing understood */
	TS_DATE,        /* a due date (has_due) */
	TS_RECURRING,   /* a recurrence, perhaps with a first due date */
	TS_IMMEDIATE,   /* "Immediate": due on the reference date if known */
};

enum ts_recurrence {
	TS_RECUR_NONE = 0,
	TS_RECUR_ONGOING,
	TS_RECUR_WEEKLY,
	TS_RECUR_MONTHLY,
	TS_RECUR_QUARTERLY,
	TS_RECUR_TERMLY,
	TS_RECUR_SIX_MONTHLY,
	TS_RECUR_ANNUALLY,
};

struct timescale {
	enum ts_kind kind;
	bool has_due;
	struct cal_date due;
	enum ts_recurrence recurrence;
	bool has_start;         /* "Commencing March 2025": when it starts */
	struct cal_date start;  /* the day given, else the month's first */
};

/*
 * Parse text[0..n) (need not be NUL-terminated; may hold UTF-8 such as
 * the en dash and HTML left over from a table cell) and set every field
 * of *out.  ref is the reference date for "Immediate"; pass {0,0,0}
 * (or any invalid date) when there is none.  has_due is false whenever
 * kind is TS_NONE, and recurrence is TS_RECUR_NONE unless kind is
 * TS_RECURRING.  A NULL text is read as empty; a NULL out does nothing.
 */
void timescale_parse(const char *text, size_t n, struct cal_date ref,
                     struct timescale *out);

/* "ongoing", "weekly", "monthly", "quarterly", "termly", "six-monthly",
 * "annually"; NULL for TS_RECUR_NONE and for values outside the enum. */
const char *timescale_recurrence_name(enum ts_recurrence r);

/* The inverse (exact, lower-case names): true and *out set; false,
 * *out untouched, when name is NULL or not one of them. */
bool timescale_recurrence_from_name(const char *name,
                                    enum ts_recurrence *out);

#endif
