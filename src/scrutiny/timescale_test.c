/* timescale_test.c: free-text timescales of scrutiny actions.  The first
 * table holds every timescale phrasing found in the five documents in
 * tests/seeds/ (their Timescale, TIMESCALE and Progress cells, and the
 * dated phrases in their prose); the others hold invented phrasings,
 * grouped by rule, each paired with near misses that must not be read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutiny/timescale.h"

#define SEEDS_DIR CAIRN_SOURCE_ROOT "/tests/seeds/"

/* The reference date rows use when with_ref is set: the date of the
 * 2016 action plan in seed 002. */
static const struct cal_date REF = { 2016, 6, 7 };
static const struct cal_date NO_REF = { 0, 0, 0 };

enum { NO = 0, WITH_REF = 1 };

struct row {
	const char *text;
	int with_ref;		/* parse with REF, else with NO_REF */
	enum ts_kind kind;
	int y, m, d;		/* the due date; y == 0: none */
	enum ts_recurrence rec;
};

#define N_ TS_RECUR_NONE
#define ONGOING TS_RECUR_ONGOING
#define WEEKLY TS_RECUR_WEEKLY
#define MONTHLY TS_RECUR_MONTHLY
#define QUARTERLY TS_RECUR_QUARTERLY
#define TERMLY TS_RECUR_TERMLY
#define SIX TS_RECUR_SIX_MONTHLY
#define ANNUALLY TS_RECUR_ANNUALLY

#define NONE_ROW(t) { (t), NO, TS_NONE, 0, 0, 0, N_ }
#define DATE_ROW(t, y, m, d) { (t), NO, TS_DATE, (y), (m), (d), N_ }
#define RECUR_ROW(t, r) { (t), NO, TS_RECURRING, 0, 0, 0, (r) }
#define RECUR_DUE(t, y, m, d, r) { (t), NO, TS_RECURRING, (y), (m), (d), (r) }

static const char *kind_name(enum ts_kind k)
{
	switch (k) {
	case TS_NONE: return "none";
	case TS_DATE: return "date";
	case TS_RECURRING: return "recurring";
	case TS_IMMEDIATE: return "immediate";
	}
	return "?";
}

/* Parses text[0..n) from an exactly sized heap copy, so that a read
 * past n is caught by the sanitizers. */
static void parse_n(const char *text, size_t n, struct cal_date ref,
    struct timescale *out)
{
	char *copy = test_malloc(n ? n : 1);
	memcpy(copy, text, n);
	memset(out, 0x5a, sizeof(*out));	/* every field must be set */
	timescale_parse(copy, n, ref, out);
	test_free(copy);
}

/* The invariants every result keeps, whatever the text. */
static void check_invariants(const struct timescale *t, struct cal_date ref)
{
	assert_true(t->kind >= TS_NONE && t->kind <= TS_IMMEDIATE);
	assert_true(t->recurrence >= TS_RECUR_NONE &&
	    t->recurrence <= TS_RECUR_ANNUALLY);
	assert_true(t->has_due == true || t->has_due == false);
	if (t->kind == TS_NONE)
		assert_false(t->has_due);
	assert_int_equal(t->kind == TS_RECURRING,
	    t->recurrence != TS_RECUR_NONE);
	if (t->kind == TS_DATE)
		assert_true(t->has_due);
	if (t->kind == TS_IMMEDIATE) {
		assert_int_equal(t->has_due, cal_date_valid(ref));
		if (t->has_due)
			assert_int_equal(cal_compare(t->due, ref), 0);
	}
	if (t->has_due) {
		assert_true(cal_date_valid(t->due));
		if (cal_compare(t->due, ref) != 0)
			assert_true(t->due.y >= 1990 && t->due.y <= 2100);
	}
}

static void check_rows(const struct row *rows, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct row *r = &rows[i];
		struct cal_date ref = r->with_ref ? REF : NO_REF;
		struct timescale t;
		parse_n(r->text, strlen(r->text), ref, &t);
		bool ok = t.kind == r->kind && t.recurrence == r->rec &&
		    t.has_due == (r->y != 0) &&
		    (!t.has_due || (t.due.y == r->y && t.due.m == r->m &&
		    t.due.d == r->d));
		if (!ok)
			fail_msg("\"%s\": want %s %04d-%02d-%02d %s, "
			    "got %s %04d-%02d-%02d %s", r->text,
			    kind_name(r->kind), r->y, r->m, r->d,
			    timescale_recurrence_name(r->rec) ?
			    timescale_recurrence_name(r->rec) : "-",
			    kind_name(t.kind), t.has_due ? t.due.y : 0,
			    t.has_due ? t.due.m : 0, t.has_due ? t.due.d : 0,
			    timescale_recurrence_name(t.recurrence) ?
			    timescale_recurrence_name(t.recurrence) : "-");
		check_invariants(&t, ref);
	}
}

#define CHECK(rows) check_rows((rows), sizeof(rows) / sizeof((rows)[0]))

/* ---- the seeds -------------------------------------------------------- */

static const struct row seed_rows[] = {
	/* 000: Portsmouth 2010, "Timescale" column */
	DATE_ROW("Target implementation March 2011", 2011, 3, 31),
	RECUR_DUE("<p>Procedure refresh December 2010</p> <p>PEIS strategy "
	    "Ongoing</p>", 2010, 12, 31, ONGOING),
	RECUR_DUE("<p>September 2010/ Ongoing</p>", 2010, 9, 30, ONGOING),
	DATE_ROW("March 2011", 2011, 3, 31),
	RECUR_DUE("Ongoing 2010/11", 2011, 3, 31, ONGOING),
	NONE_ROW("No agreed timescale at present."),
	DATE_ROW("Parenting Strategy is due for review in March 2011",
	    2011, 3, 31),
	{ "Immediate", NO, TS_IMMEDIATE, 0, 0, 0, N_ },
	{ "Immediate", WITH_REF, TS_IMMEDIATE, 2016, 6, 7, N_ },
	NONE_ROW("Within existing staff and resources"),
	/* 000: dated phrases in the other columns */
	DATE_ROW("is due to go to the executive member for decision at his "
	    "meeting in September 2010.", 2010, 9, 30),
	DATE_ROW("statutory guidance within \xe2\x80\x98Working Together "
	    "2010\xe2\x80\x99.", 2010, 12, 31),
	RECUR_ROW("There is ongoing multi-agency training delivered through "
	    "the Children\xe2\x80\x99s Trust", ONGOING),
	RECUR_ROW("That the graduate trainee scheme for social workers has "
	    "an annual core group of trainees.", ANNUALLY),
	NONE_ROW("Schools will need to agree too, and fund a programme."),

	/* 001: Portsmouth 2005, "Progress" column and prose */
	NONE_ROW("<p>In progress</p>"),
	NONE_ROW("<p>Completed</p>"),
	NONE_ROW("Completed"),
	NONE_ROW("Delayed"),
	RECUR_ROW("Ongoing", ONGOING),
	RECUR_ROW("<p>Ongoing</p>", ONGOING),
	DATE_ROW("**Report to:** Policy and Review (Performance) Panel  \n"
	    "13<sup>th</sup> April 2005", 2005, 4, 13),
	NONE_ROW("At their meeting on 15<sup>th</sup> September the Policy "
	    "and Review (Performance) Panel"),
	DATE_ROW("since the last update report to the panel in September "
	    "2004 (see Appendix 1)", 2004, 9, 30),
	RECUR_ROW("(any such reports to be no less frequently than every "
	    "six months)</b></p>", SIX),
	NONE_ROW("a further update report be presented in six months time"),
	NONE_ROW("by the time of the scheduled four month review of each "
	    "child's case"),
	DATE_ROW("the Social Services cash limit be increase by \xc2\xa3"
	    "91,000 in 2002/03", 2003, 3, 31),
	DATE_ROW("The number of family placement carers has risen from 94 in "
	    "April 2003 to 102 in April 2004 and 104 in June 2004.",
	    2004, 6, 30),
	RECUR_DUE("draw up a local version of the Quality Protects Management "
	    "Action Plan each year, as soon as ring fenced \"Quality "
	    "Protects\" grant funding ends in 2004/2005.</b>",
	    2005, 3, 31, ANNUALLY),
	DATE_ROW("by no later than April 2003 as part of a drive", 2003, 4, 30),
	RECUR_ROW("the assumption is the gesture will be repeated annually.",
	    ANNUALLY),
	{ "as soon as possible to get the political mandate", NO,
	    TS_IMMEDIATE, 0, 0, 0, N_ },

	/* 002: Middlesbrough 2016, "TIMESCALE" column */
	DATE_ROW("DATE: 7 JUNE 2016", 2016, 6, 7),
	DATE_ROW("The revised MPS will be complete by end September 2016",
	    2016, 9, 30),
	DATE_ROW("Sept 16 Review, post designated teacher training May- July "
	    "16 Robust and regular School LAC Self Evaluations in place by "
	    "Jan 17", 2017, 1, 31),
	RECUR_ROW("Monthly designated", MONTHLY),
	DATE_ROW("teacher forum May 16 MAP training event in June 16",
	    2016, 6, 30),
	RECUR_DUE("Monthly designated teacher forum May 16 MAP training event "
	    "in June 16", 2016, 6, 30, MONTHLY),
	DATE_ROW("Bespoke transition package detailed in Summer 16 PEP",
	    2016, 8, 31),
	/* Summer of the span 2016-17 is summer 2017 */
	DATE_ROW("Autumn 2015 Summer 2016- 17", 2017, 8, 31),
	DATE_ROW("June 16 May 16", 2016, 6, 30),
	DATE_ROW("Completed March 16", 2016, 3, 31),
	DATE_ROW("May 16", 2016, 5, 31),
	DATE_ROW("Sept 16 post designated teacher and social worker training",
	    2016, 9, 30),
	DATE_ROW("June 16", 2016, 6, 30),
	DATE_ROW("June \xe2\x80\x93 Dec 2016", 2016, 12, 31),
	DATE_ROW("May \xe2\x80\x93 Aug 2016", 2016, 8, 31),
	DATE_ROW("June 2016", 2016, 6, 30),
	RECUR_ROW("Annually", ANNUALLY),
	DATE_ROW("September 2016", 2016, 9, 30),
	RECUR_DUE("Meeting \xe2\x80\x93 June 2016 Feedback - continuous",
	    2016, 6, 30, ONGOING),
	DATE_ROW("May \xe2\x80\x93 Oct 2016", 2016, 10, 31),
	DATE_ROW("April \xe2\x80\x93 June 2016", 2016, 6, 30),
	NONE_ROW("R & R group meets bi monthly"),	/* ambiguous */
	DATE_ROW("June 2016 August 2016 Sept-Dec 2016", 2016, 12, 31),
	DATE_ROW("29/04/2016", 2016, 4, 29),
	DATE_ROW("June \xe2\x80\x93 Sept 2016", 2016, 9, 30),
	NONE_ROW("Group meeting bi-monthly"),
	/* 002: dated phrases in the other columns */
	DATE_ROW("the revised demand information being developed in the "
	    "first quarter of 2016/17 from the service area.", 2016, 6, 30),
	DATE_ROW("added to the Health Scrutiny Panel Work Programme for "
	    "2016-17 for discussion by the Panel in June 2016.",
	    2017, 3, 31),
	NONE_ROW("LCS Staff training 30th March"),
	RECUR_ROW("SDQs to be audited annually to ascertain gaps in provision",
	    ANNUALLY),
	NONE_ROW("Internal marketing. Initially, may require external "
	    "marketing specialist which may incur additional cost"),
	NONE_ROW("8.5K Pupil premium funding per child"),
	NONE_ROW("process (circa 10k)"),
	NONE_ROW("ensure completion of post-18 and post-21 questionnaires"),
	NONE_ROW("Particular emphasis on Y6-Y7 transition"),
	DATE_ROW("A detailed plan of action will be included the Pathways "
	    "team plan for 2016/17.", 2017, 3, 31),
	NONE_ROW("Regulation 44 (previously Regulation 33 visits)"),
	NONE_ROW("| I) | That the Specialist Nurse for LAC remains located |"),

	/* 003: Plymouth 2013, a report with no action plan */
	DATE_ROW("Children's Social Care - 12 August 2013", 2013, 8, 12),
	NONE_ROW("- 24 hours from referral/contact to decision to assess"),
	NONE_ROW("- 45 days from initial referral to complete the "
	    "assessment."),
	NONE_ROW("be seen within the first 10 working days."),
	NONE_ROW("from 312 at the end of last year to 345 in mid - June"),
	NONE_ROW("increased slightly from 373 to 380 at the end of June."),
	NONE_ROW("within 26 weeks"),
	NONE_ROW("By the end of quarter I we had 18 children in residential "
	    "placements."),
	NONE_ROW("The new Working Together guidance was published in March"),
	NONE_ROW("This will be reported back on in November this year"),
	DATE_ROW("Working Together to Safeguard Children 2013", 2013, 12, 31),
	NONE_ROW("increased last year by 10% this means"),

	/* 004: Haringey 2009, recommendations in prose */
	DATE_ROW("On 17 November 2009", 2009, 11, 17),
	DATE_ROW("as a response to the November 2008 JAR report", 2008, 11, 30),
	DATE_ROW("has been meeting since April 2009 and since August",
	    2009, 4, 30),
	NONE_ROW("Local Government (Access to Information) Act 1985"),
	NONE_ROW("Report for: **[Key / Non-Key Decision]**"),
	NONE_ROW("4.1. Recommendations from the Children's Safeguarding"),
	NONE_ROW("within a maximum of 7 working days"),
	NONE_ROW("8.1. Section 4 Paragraph 5 (c) suggests"),
	NONE_ROW("10.1. N/a"),
};

static void seed_phrasings(void **state)
{
	(void)state;
	CHECK(seed_rows);
}

/* ---- dates ------------------------------------------------------------ */

static const struct row date_rows[] = {
	/* full dates, day first */
	DATE_ROW("29/04/2016", 2016, 4, 29),
	DATE_ROW("29/04/16", 2016, 4, 29),
	DATE_ROW("9/4/16", 2016, 4, 9),
	DATE_ROW("29.4.2016", 2016, 4, 29),
	DATE_ROW("29.04.16", 2016, 4, 29),
	DATE_ROW("29-04-2016", 2016, 4, 29),
	DATE_ROW("2016-04-29", 2016, 4, 29),
	DATE_ROW("2016/04/29", 2016, 4, 29),
	DATE_ROW("29 April 2016", 2016, 4, 29),
	DATE_ROW("29th April 2016", 2016, 4, 29),
	DATE_ROW("29th of April 2016", 2016, 4, 29),
	DATE_ROW("29th April, 2016", 2016, 4, 29),
	DATE_ROW("1st May 2016", 2016, 5, 1),
	DATE_ROW("2nd May '16", 2016, 5, 2),
	DATE_ROW("3rd Sept. 2016", 2016, 9, 3),
	DATE_ROW("29-Apr-2016", 2016, 4, 29),
	DATE_ROW("29 APR 16", 2016, 4, 29),
	DATE_ROW("April 29, 2016", 2016, 4, 29),
	DATE_ROW("April 29th 2016", 2016, 4, 29),
	DATE_ROW("May 16 2016", 2016, 5, 16),
	DATE_ROW("by 31/03/2017 at the latest", 2017, 3, 31),
	DATE_ROW("w/c 5th June 2016", 2016, 6, 5),
	/* month and year: the last day */
	DATE_ROW("March 2011", 2011, 3, 31),
	DATE_ROW("march 2011", 2011, 3, 31),
	DATE_ROW("MARCH 2011", 2011, 3, 31),
	DATE_ROW("Mar 11", 2011, 3, 31),
	DATE_ROW("Mar-11", 2011, 3, 31),
	DATE_ROW("Mar. 2011", 2011, 3, 31),
	DATE_ROW("Sept 16", 2016, 9, 30),
	DATE_ROW("Sep 16", 2016, 9, 30),
	DATE_ROW("Sept. 2016", 2016, 9, 30),
	DATE_ROW("September, 2016", 2016, 9, 30),
	DATE_ROW("Dec '16", 2016, 12, 31),
	DATE_ROW("Dec\xe2\x80\x99" "16", 2016, 12, 31),
	DATE_ROW("Dec \xe2\x80\x99" "16", 2016, 12, 31),
	DATE_ROW("Jan 2017", 2017, 1, 31),
	DATE_ROW("Feb 2015", 2015, 2, 28),
	DATE_ROW("Apr 16", 2016, 4, 30),
	DATE_ROW("Jun 16", 2016, 6, 30),
	DATE_ROW("Jul 16", 2016, 7, 31),
	DATE_ROW("Aug 16", 2016, 8, 31),
	DATE_ROW("Oct 16", 2016, 10, 31),
	DATE_ROW("Nov 16", 2016, 11, 30),
	DATE_ROW("end of November 2016", 2016, 11, 30),
	DATE_ROW("mid-June 2016", 2016, 6, 30),
	DATE_ROW("04/2016", 2016, 4, 30),
	DATE_ROW("12/2016", 2016, 12, 31),
	DATE_ROW("May 00", 2000, 5, 31),
	DATE_ROW("by 2017", 2017, 12, 31),
	/* leap days */
	DATE_ROW("29/02/2016", 2016, 2, 29),
	DATE_ROW("29 February 2016", 2016, 2, 29),
	DATE_ROW("February 2016", 2016, 2, 29),
	DATE_ROW("February 2017", 2017, 2, 28),
	DATE_ROW("Feb 2000", 2000, 2, 29),
	DATE_ROW("29/02/2000", 2000, 2, 29),
	DATE_ROW("Feb 2100", 2100, 2, 28),
	/* years 1990..2100 only */
	DATE_ROW("1990", 1990, 12, 31),
	DATE_ROW("2100", 2100, 12, 31),
	DATE_ROW("31/12/2100", 2100, 12, 31),
	DATE_ROW("January 1990", 1990, 1, 31),
	NONE_ROW("1989"),
	NONE_ROW("2101"),
	NONE_ROW("December 1989"),
	NONE_ROW("January 2101"),
	NONE_ROW("01/01/1989"),
	NONE_ROW("01/01/2101"),
	NONE_ROW("1066"),
	NONE_ROW("9999"),
	/* several dates: the latest, wherever it is */
	DATE_ROW("May 2017 or March 2016", 2017, 5, 31),
	DATE_ROW("01/06/2016 and 31/05/2016", 2016, 6, 1),
	DATE_ROW("29 April 2016 (interim) April 2016", 2016, 4, 30),
};

/* A date that does not exist is consumed and gives nothing: no part of
 * it is read as another date. */
static const struct row invalid_date_rows[] = {
	NONE_ROW("31/02/2016"),
	NONE_ROW("29/02/2017"),
	NONE_ROW("30/02/2016"),
	NONE_ROW("31/04/2016"),
	NONE_ROW("29/13/2016"),
	NONE_ROW("00/01/2016"),
	NONE_ROW("32/01/2016"),
	NONE_ROW("2016-02-30"),
	NONE_ROW("2016-13-01"),
	NONE_ROW("2016-00-10"),
	NONE_ROW("13/2016"),
	NONE_ROW("0/2016"),
	NONE_ROW("31 February 2016"),
	NONE_ROW("29 February 2017"),
	NONE_ROW("0 May 2016"),
	NONE_ROW("April 31, 2016"),
	NONE_ROW("29/02/17"),
	NONE_ROW("1/2/3/2016"),		/* too many parts */
	NONE_ROW("29/04-2016"),		/* mixed separators */
	NONE_ROW("29/04/216"),
	NONE_ROW("29/04/20166"),
	NONE_ROW("123/04/2016"),
	DATE_ROW("31/02/2016 or 01/03/2016", 2016, 3, 1),
};

static void full_dates_and_months(void **state)
{
	(void)state;
	CHECK(date_rows);
}

static void invalid_dates_give_nothing(void **state)
{
	(void)state;
	CHECK(invalid_date_rows);
}

/* ---- ranges, financial years, quarters, seasons ----------------------- */

static const struct row range_rows[] = {
	DATE_ROW("June - Dec 2016", 2016, 12, 31),
	DATE_ROW("June-Dec 2016", 2016, 12, 31),
	/* em dash */
	DATE_ROW("June \xe2\x80\x94 Dec 2016", 2016, 12, 31),
	DATE_ROW("June &ndash; Dec 2016", 2016, 12, 31),
	DATE_ROW("June &#8211; Dec 2016", 2016, 12, 31),
	DATE_ROW("June \x96 Dec 2016", 2016, 12, 31),	/* Windows-1252 */
	DATE_ROW("June to December 2016", 2016, 12, 31),
	DATE_ROW("May- July 16", 2016, 7, 31),
	DATE_ROW("Nov 2016 - Feb 2017", 2017, 2, 28),
	DATE_ROW("Sept 2016 - March", 2017, 3, 31),
	DATE_ROW("Sept 2016 to March.", 2017, 3, 31),
	DATE_ROW("April 2016 until June", 2016, 6, 30),
	DATE_ROW("Sept 2016 - March 2018", 2018, 3, 31),
	DATE_ROW("Sept 2016 - March '17", 2017, 3, 31),
	/* a month after a range dash counts only at the end of a phrase */
	DATE_ROW("Sept 2016 - may be later", 2016, 9, 30),
	DATE_ROW("16-20 May 2016", 2016, 5, 20),
	DATE_ROW("16 \xe2\x80\x93 20 May 2016", 2016, 5, 20),
	DATE_ROW("29 April \xe2\x80\x93 5 May 2016", 2016, 5, 5),
	DATE_ROW("01/04/2016 - 30/09/2016", 2016, 9, 30),
	/* financial years: 31 March of the second year */
	DATE_ROW("2016/17", 2017, 3, 31),
	DATE_ROW("2016-17", 2017, 3, 31),
	DATE_ROW("2016 - 17", 2017, 3, 31),
	DATE_ROW("2016- 17", 2017, 3, 31),
	DATE_ROW("2016 \xe2\x80\x93 2017", 2017, 3, 31),
	DATE_ROW("2016/2017", 2017, 3, 31),
	DATE_ROW("2004/2005", 2005, 3, 31),
	DATE_ROW("1999/00", 2000, 3, 31),
	DATE_ROW("2016/19", 2019, 3, 31),	/* three financial years */
	DATE_ROW("2099/00", 2100, 3, 31),
	NONE_ROW("2100/01"),
	NONE_ROW("2016/15"),
	NONE_ROW("2016/2016"),
	NONE_ROW("2016/30"),			/* more than five years */
	NONE_ROW("2016.17"),
	NONE_ROW("16/17"),	/* could be a day and a month */
	DATE_ROW("2016 to 2018", 2018, 12, 31),	/* "to": two years */
	DATE_ROW("2016 - 17 May 2017", 2017, 5, 17),
	/* quarters: financial after a span of years, calendar after one */
	DATE_ROW("Q1 2016/17", 2016, 6, 30),
	DATE_ROW("Q2 2016/17", 2016, 9, 30),
	DATE_ROW("Q3 2016/17", 2016, 12, 31),
	DATE_ROW("Q4 2016/17", 2017, 3, 31),
	DATE_ROW("Q3 16/17", 2016, 12, 31),
	DATE_ROW("q4 2016-17", 2017, 3, 31),
	DATE_ROW("Quarter 3 2016/17", 2016, 12, 31),
	DATE_ROW("quarter two 2016/17", 2016, 9, 30),
	DATE_ROW("first quarter of 2016/17", 2016, 6, 30),
	DATE_ROW("4th quarter 2016/17", 2017, 3, 31),
	DATE_ROW("Q1 2016", 2016, 3, 31),
	DATE_ROW("Q3 2016", 2016, 9, 30),
	DATE_ROW("Q4 2016", 2016, 12, 31),
	NONE_ROW("Q3"),
	DATE_ROW("Q5 2016/17", 2017, 3, 31),	/* no quarter; a year */
	NONE_ROW("last quarter"),
	DATE_ROW("Q5 2016", 2016, 12, 31),	/* not a quarter; a year */
	/* seasons: meteorological, the last day of the season */
	DATE_ROW("Spring 2017", 2017, 5, 31),
	DATE_ROW("Summer 2016", 2016, 8, 31),
	DATE_ROW("Summer 16", 2016, 8, 31),
	DATE_ROW("Summer term 2016", 2016, 8, 31),
	DATE_ROW("Autumn 2015", 2015, 11, 30),
	DATE_ROW("Autumn '16", 2016, 11, 30),
	DATE_ROW("Winter 2016", 2017, 2, 28),
	DATE_ROW("Winter 2016/17", 2017, 2, 28),
	DATE_ROW("Winter 2015/16", 2016, 2, 29),
	DATE_ROW("Summer 2016/17", 2017, 8, 31),
	NONE_ROW("Summer"),
	NONE_ROW("over the summer holidays"),
};

static void ranges_years_quarters_seasons(void **state)
{
	(void)state;
	CHECK(range_rows);
}

/* ---- recurrences and "immediate" -------------------------------------- */

static const struct row recur_rows[] = {
	RECUR_ROW("Weekly", WEEKLY),
	RECUR_ROW("weekly", WEEKLY),
	RECUR_ROW("Monthly", MONTHLY),
	RECUR_ROW("MONTHLY", MONTHLY),
	RECUR_ROW("Quarterly", QUARTERLY),
	RECUR_ROW("Termly", TERMLY),
	RECUR_ROW("Six-monthly", SIX),
	RECUR_ROW("six monthly", SIX),
	RECUR_ROW("6 monthly", SIX),
	RECUR_ROW("6-monthly", SIX),
	RECUR_ROW("3-monthly", QUARTERLY),
	RECUR_ROW("12 monthly", ANNUALLY),
	RECUR_ROW("every six months", SIX),
	RECUR_ROW("every 6 months", SIX),
	RECUR_ROW("Every 3 months", QUARTERLY),
	RECUR_ROW("half-yearly", SIX),
	RECUR_ROW("half yearly", SIX),
	RECUR_ROW("semi-annually", SIX),
	RECUR_ROW("twice a year", SIX),
	RECUR_ROW("twice yearly", SIX),
	RECUR_ROW("Annually", ANNUALLY),
	RECUR_ROW("Yearly", ANNUALLY),
	RECUR_ROW("each year", ANNUALLY),
	RECUR_ROW("every year", ANNUALLY),
	RECUR_ROW("once a year", ANNUALLY),
	RECUR_ROW("per annum", ANNUALLY),
	RECUR_ROW("Annual", ANNUALLY),
	RECUR_ROW("every month", MONTHLY),
	RECUR_ROW("each term", TERMLY),
	RECUR_ROW("every school term", TERMLY),
	RECUR_ROW("every quarter", QUARTERLY),
	RECUR_ROW("per week", WEEKLY),
	RECUR_ROW("Ongoing", ONGOING),
	RECUR_ROW("On-going", ONGOING),
	RECUR_ROW("on going", ONGOING),
	RECUR_ROW("ON-GOING", ONGOING),
	RECUR_ROW("Continuous", ONGOING),
	RECUR_ROW("continuously reviewed", ONGOING),
	/* several: the most frequent periodic one, ongoing last */
	RECUR_ROW("Monthly / Annually", MONTHLY),
	RECUR_ROW("Annually, and monthly", MONTHLY),
	RECUR_ROW("Ongoing - reviewed quarterly", QUARTERLY),
	RECUR_ROW("quarterly, termly", QUARTERLY),
	/* with a first due date */
	RECUR_DUE("Quarterly from June 2016", 2016, 6, 30, QUARTERLY),
	RECUR_DUE("September 2010/ Ongoing", 2010, 9, 30, ONGOING),
	RECUR_DUE("Annually (next: 31/03/2017)", 2017, 3, 31, ANNUALLY),
	/* ambiguous or not in the list: nothing */
	NONE_ROW("bi-monthly"),
	NONE_ROW("bimonthly"),
	NONE_ROW("bi-weekly"),
	NONE_ROW("biannually"),
	NONE_ROW("bi-annually"),
	NONE_ROW("half-termly"),
	NONE_ROW("fortnightly"),
	NONE_ROW("daily"),
	NONE_ROW("every 2 years"),
	NONE_ROW("every two weeks"),
	NONE_ROW("twice a month"),
	NONE_ROW("2 monthly"),
	NONE_ROW("every effort"),
	NONE_ROW("per child"),
	NONE_ROW("once"),
	NONE_ROW("twice the number"),
	NONE_ROW("continues to be promoted"),
	NONE_ROW("going on"),
};

static const struct row immediate_rows[] = {
	{ "Immediate", NO, TS_IMMEDIATE, 0, 0, 0, N_ },
	{ "Immediate", WITH_REF, TS_IMMEDIATE, 2016, 6, 7, N_ },
	{ "Immediately", NO, TS_IMMEDIATE, 0, 0, 0, N_ },
	{ "IMMEDIATELY", WITH_REF, TS_IMMEDIATE, 2016, 6, 7, N_ },
	{ "With immediate effect", WITH_REF, TS_IMMEDIATE, 2016, 6, 7, N_ },
	{ "ASAP", WITH_REF, TS_IMMEDIATE, 2016, 6, 7, N_ },
	{ "As soon as possible", NO, TS_IMMEDIATE, 0, 0, 0, N_ },
	/* an explicit date wins */
	{ "Immediately, complete by March 2011", WITH_REF, TS_DATE,
	    2011, 3, 31, N_ },
	{ "Immediate / 01/05/2016", NO, TS_DATE, 2016, 5, 1, N_ },
	/* a recurrence makes it recurring; ref is the first due date */
	{ "Immediate and ongoing", WITH_REF, TS_RECURRING, 2016, 6, 7,
	    ONGOING },
	{ "Immediate and ongoing", NO, TS_RECURRING, 0, 0, 0, ONGOING },
	/* near misses */
	{ "Immediacy", WITH_REF, TS_NONE, 0, 0, 0, N_ },
	{ "as soon as", WITH_REF, TS_NONE, 0, 0, 0, N_ },
	/* a reference date alone is not a due date */
	{ "TBC", WITH_REF, TS_NONE, 0, 0, 0, N_ },
	{ "Annually", WITH_REF, TS_RECURRING, 0, 0, 0, ANNUALLY },
};

static void recurrences(void **state)
{
	(void)state;
	CHECK(recur_rows);
}

static void immediate(void **state)
{
	(void)state;
	CHECK(immediate_rows);

	/* an invalid reference date is no reference date */
	struct cal_date bad[] = { { 2016, 2, 30 }, { 2016, 13, 1 },
	    { -1, 1, 1 }, { 10000, 1, 1 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timescale t;
		parse_n("Immediate", 9, bad[i], &t);
		assert_int_equal(t.kind, TS_IMMEDIATE);
		assert_false(t.has_due);
	}
}

/* ---- spans from the document's date, and starts (issue 12) ----------- */

static const struct row relative_rows[] = {
	{ "6 months", WITH_REF, TS_DATE, 2016, 12, 7, N_ },
	{ "Within six months", WITH_REF, TS_DATE, 2016, 12, 7, N_ },
	{ "in 12 weeks' time", WITH_REF, TS_DATE, 2016, 8, 30, N_ },
	{ "After two years", WITH_REF, TS_DATE, 2018, 6, 7, N_ },
	/* a duration that is not a deadline */
	{ "funded for 6 months", WITH_REF, TS_NONE, 0, 0, 0, N_ },
	{ "every 6 months", WITH_REF, TS_RECURRING, 0, 0, 0, SIX },
	/* an explicit date wins */
	{ "6 months (by March 2017)", WITH_REF, TS_DATE, 2017, 3, 31, N_ },
	/* a start is not a due date */
	{ "Commencing March 2025 and ongoing", WITH_REF, TS_RECURRING, 0, 0,
	  0, ONGOING },
	{ "From 1 April 2025", NO, TS_NONE, 0, 0, 0, N_ },
	{ "Commencing April 2025, complete by March 2026", NO, TS_DATE, 2026,
	  3, 31, N_ },
	/* a periodic action's first due date ends the period it starts in */
	{ "Quarterly starting June 2016", NO, TS_RECURRING, 2016, 6, 30,
	  QUARTERLY },
};

static void relative_and_start(void **state)
{
	(void)state;
	CHECK(relative_rows);
	struct timescale t;
	parse_n("Commencing March 2025 and ongoing", 33, REF, &t);
	assert_true(t.has_start);
	assert_int_equal(t.start.y, 2025);
	assert_int_equal(t.start.m, 3);
	assert_int_equal(t.start.d, 1);
	parse_n("From 1 April 2025", 17, NO_REF, &t);
	assert_true(t.has_start);
	assert_int_equal(t.start.m, 4);
	assert_int_equal(t.start.d, 1);
	parse_n("June 2025", 9, NO_REF, &t);
	assert_false(t.has_start);
}

/* ---- nothing understood, word boundaries, bytes ----------------------- */

static const struct row nothing_rows[] = {
	NONE_ROW(""),
	NONE_ROW(" "),
	NONE_ROW(" \t\r\n "),
	NONE_ROW("TBC"),
	NONE_ROW("TBA"),
	NONE_ROW("N/A"),
	NONE_ROW("-"),
	NONE_ROW("No agreed timescale at present."),
	NONE_ROW("50 children"),
	NONE_ROW("12"),
	NONE_ROW("31"),
	NONE_ROW("123456"),
	NONE_ROW("20166"),
	NONE_ROW("0.5"),
	NONE_ROW("10:30"),
	NONE_ROW("\xc2\xa3" "2,016"),
	NONE_ROW("within 6 months"),
	NONE_ROW("12 weeks"),
	NONE_ROW("30th March"),
	NONE_ROW("March"),
	NONE_ROW("by the end of March"),
	NONE_ROW("June 1"),
	NONE_ROW("May 2"),
	NONE_ROW("May 123"),
	NONE_ROW("Sept16"),			/* joined: not read */
	/* prose "may", "march" are not months */
	NONE_ROW("may be reviewed"),
	/* a limitation: "may" then two digits is May 20YY, as "May 16" is */
	DATE_ROW("Services may 10 be", 2010, 5, 31),
	NONE_ROW("Services may 1 be"),
	DATE_ROW("may be reviewed 2016", 2016, 12, 31),	/* a bare year */
	DATE_ROW("It may be that May 2016 suits", 2016, 5, 31),
	NONE_ROW("they march on"),
	/* word boundaries */
	NONE_ROW("Mayor"),
	DATE_ROW("Mayor 2016", 2016, 12, 31),
	DATE_ROW("Marchmont 2016", 2016, 12, 31),
	DATE_ROW("Decision 2016", 2016, 12, 31),
	DATE_ROW("Junebug 16 2016", 2016, 12, 31),
	NONE_ROW("Decision 16"),
	NONE_ROW("Octopus 16"),
	NONE_ROW("Augusta 16"),
	NONE_ROW("Marchmont 16"),
	DATE_ROW("Mar\xc3\xa9" " 2016", 2016, 12, 31),	/* "Maré" */
	DATE_ROW("\xc3\xa9May 2016", 2016, 12, 31),
	NONE_ROW("Monthlyish"),
	NONE_ROW("Ongoingness"),
	NONE_ROW("Immediately2"),
	NONE_ROW("Q3x 2016/17x"),
	/* HTML and entities are spaces, or their characters */
	DATE_ROW("<b>March</b> <i>2011</i>", 2011, 3, 31),
	DATE_ROW("March<br/>2011", 2011, 3, 31),
	DATE_ROW("March&nbsp;2011", 2011, 3, 31),
	DATE_ROW("March&#160;2011", 2011, 3, 31),
	DATE_ROW("March&#xA0;2011", 2011, 3, 31),
	DATE_ROW("March\xc2\xa0" "2011", 2011, 3, 31),
	DATE_ROW("<p class=\"x\">Sept 16</p>", 2016, 9, 30),
	DATE_ROW("Dec &rsquo;16", 2016, 12, 31),
	DATE_ROW("a < b: March 2011", 2011, 3, 31),
	DATE_ROW("<unclosed March 2011", 2011, 3, 31),
	NONE_ROW("<span title=\"March 2011\">TBC</span>"),
	NONE_ROW("&bogus; &#; &#x; &#99999999; &"),
	/* invalid UTF-8 and control bytes */
	DATE_ROW("\xff\xfe March 2011 \xc3", 2011, 3, 31),
	DATE_ROW("\xed\xa0\x80 June 2016", 2016, 6, 30),
	DATE_ROW("June\x01" "2016", 2016, 6, 30),
	NONE_ROW("\xe2\x80"),
	NONE_ROW("\xf4\x90\x80\x80"),
};

static void nothing_understood(void **state)
{
	(void)state;
	CHECK(nothing_rows);
}

/* Bytes past n are never read, NUL is a space, and only the first
 * TIMESCALE_MAX_TEXT bytes count. */
static void lengths_and_nul(void **state)
{
	(void)state;
	struct timescale t;

	parse_n("March 2011", 5, NO_REF, &t);		/* "March" */
	assert_int_equal(t.kind, TS_NONE);
	parse_n("29/04/2016", 8, NO_REF, &t);		/* "29/04/20" */
	assert_int_equal(t.kind, TS_DATE);
	assert_int_equal(t.due.y, 2020);
	assert_int_equal(t.due.m, 4);
	assert_int_equal(t.due.d, 29);
	parse_n("March\0" "2011", 10, NO_REF, &t);
	assert_int_equal(t.kind, TS_DATE);
	assert_int_equal(t.due.y, 2011);
	parse_n("\0\0\0", 3, NO_REF, &t);
	assert_int_equal(t.kind, TS_NONE);
	parse_n("", 0, REF, &t);
	assert_int_equal(t.kind, TS_NONE);

	timescale_parse(NULL, 10, REF, &t);
	assert_int_equal(t.kind, TS_NONE);
	assert_false(t.has_due);
	timescale_parse("March 2011", 10, REF, NULL);	/* does nothing */

	static char big[TIMESCALE_MAX_TEXT + 64];
	memset(big, ' ', sizeof(big));
	memcpy(big, "March 2011", 10);
	memcpy(big + TIMESCALE_MAX_TEXT, "June 2016", 9);
	/* June is past the limit */
	parse_n(big, sizeof(big), NO_REF, &t);
	assert_int_equal(t.kind, TS_DATE);
	assert_int_equal(t.due.y, 2011);
	/* a date cut by the limit is read as far as the limit */
	memcpy(big + TIMESCALE_MAX_TEXT - 9, "June 2016", 9);
	parse_n(big, sizeof(big), NO_REF, &t);
	assert_int_equal(t.due.y, 2016);
	memset(big, ' ', sizeof(big));
	memcpy(big + TIMESCALE_MAX_TEXT - 8, "June 2016", 9);
	parse_n(big, sizeof(big), NO_REF, &t);		/* "June 201" */
	assert_int_equal(t.kind, TS_NONE);
	parse_n(big, TIMESCALE_MAX_TEXT + 1, NO_REF, &t);
	assert_int_equal(t.kind, TS_NONE);
}

/* Texts of the maximum length built from repeated fragments: each must
 * parse (the sanitizers check the bytes) and give a sound result, and
 * the same text must always give the same result. */
static void long_and_repetitive(void **state)
{
	(void)state;
	static const char *const units[] = {
		"1/", "1.", "-1", "May ", "May 16 ", "2016 - ", "2016/",
		"Q3 ", "every ", "twice ", "on-", "bi-", "<p", "<", ">", "&#",
		"&", "\xe2\x80\x93", "\xe2\x80", "\xff", "29 of ", "29th ",
		"Sept 2016 - March ", "as soon as ", "first quarter of ",
		"Immediately ", "a", "7", "'", "31/02/2016 ", "Winter ",
	};
	static char buf[TIMESCALE_MAX_TEXT];

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t u = strlen(units[i]), k = 0;
		while (k + u <= sizeof(buf)) {
			memcpy(buf + k, units[i], u);
			k += u;
		}
		struct timescale a, b;
		parse_n(buf, k, REF, &a);
		parse_n(buf, k, REF, &b);
		check_invariants(&a, REF);
		assert_memory_equal(&a, &b, sizeof(a));
	}
}

/* Every line of every seed document parses to a sound result. */
static void seed_documents_whole(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"000_47537159088feed5.txt", "001_0427aece4b3b0350.txt",
		"002_972a3ad5589949d0.txt", "003_4e4e76606ce302a3.txt",
		"004_17c2ace78e0e2943.txt",
	};
	static char buf[65536];
	int lines = 0, dated = 0;

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s%s", SEEDS_DIR, seeds[i]);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		assert_true(n > 0 && n < sizeof(buf));
		size_t b = 0;
		while (b < n) {
			const char *nl = memchr(buf + b, '\n', n - b);
			size_t e = nl ? (size_t)(nl - buf) : n;
			struct timescale t;
			parse_n(buf + b, e - b, REF, &t);
			check_invariants(&t, REF);
			lines++;
			dated += t.has_due;
			b = e + 1;
		}
		struct timescale whole;
		parse_n(buf, n, REF, &whole);	/* the first 4096 bytes */
		check_invariants(&whole, REF);
	}
	assert_true(lines > 100);
	assert_true(dated > 20);
}

/* ---- names ------------------------------------------------------------ */

static void recurrence_names(void **state)
{
	(void)state;
	static const char *const want[] = {
		NULL, "ongoing", "weekly", "monthly", "quarterly", "termly",
		"six-monthly", "annually",
	};
	enum ts_recurrence r;

	for (int i = TS_RECUR_NONE; i <= TS_RECUR_ANNUALLY; i++) {
		const char *name = timescale_recurrence_name(
		    (enum ts_recurrence)i);
		if (want[i] == NULL) {
			assert_null(name);
			continue;
		}
		assert_non_null(name);
		assert_string_equal(name, want[i]);
		r = TS_RECUR_NONE;
		assert_true(timescale_recurrence_from_name(name, &r));
		assert_int_equal(r, i);
	}
	assert_null(timescale_recurrence_name(
	    (enum ts_recurrence)(TS_RECUR_ANNUALLY + 1)));
	assert_null(timescale_recurrence_name((enum ts_recurrence)-1));

	static const char *const bad[] = {
		"", "none", "Monthly", "MONTHLY", "monthly ", " monthly",
		"six monthly", "sixmonthly", "annual", "on-going", "month",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = TS_RECUR_WEEKLY;
		assert_false(timescale_recurrence_from_name(bad[i], &r));
		assert_int_equal(r, TS_RECUR_WEEKLY);	/* untouched */
	}
	r = TS_RECUR_WEEKLY;
	assert_false(timescale_recurrence_from_name(NULL, &r));
	assert_int_equal(r, TS_RECUR_WEEKLY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_phrasings),
		cmocka_unit_test(full_dates_and_months),
		cmocka_unit_test(invalid_dates_give_nothing),
		cmocka_unit_test(ranges_years_quarters_seasons),
		cmocka_unit_test(recurrences),
		cmocka_unit_test(immediate),
		cmocka_unit_test(relative_and_start),
		cmocka_unit_test(nothing_understood),
		cmocka_unit_test(lengths_and_nul),
		cmocka_unit_test(long_and_repetitive),
		cmocka_unit_test(seed_documents_whole),
		cmocka_unit_test(recurrence_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
