/*
 * report: the progress report on a review, in the shapes committees
 * already read (seeds 000 to 002 in tests/seeds/).
 *
 * Purpose.  report_build() works out, from a loaded plan
 * (scrutiny.h), the summary count of actions by status, and what
 * changed since the last report: every progress update dated after
 * `since`, and every action whose status then differs from its status
 * at the end of `since`.  report_html() writes it as HTML (the short
 * form Recommendation | Comments and action taken | Progress, then the
 * wide form Recommendation | Response | Action | Owner | Budget |
 * Timescale, with the status), either as a fragment inside a GOV.UK
 * page or as a standalone document that prints on A4.  report_csv()
 * writes one row per action (a recommendation with no action gets one
 * row) under a header row, RFC 4180 quoting, CRLF line ends.
 *
 * `since` is a YYYY-MM-DD date, or "" for "no previous report": then
 * every update counts as a change.  By default callers pass the
 * review's last_presented date.
 *
 * Ownership.  The report borrows the plan's strings and lives in the
 * arena given to report_build().  Output goes into the caller's sbuf.
 * Errors: -1 when the arena or the sbuf runs out, else 0.
 */
#ifndef CAIRN_SCRUTINY_REPORT_H
#define CAIRN_SCRUTINY_REPORT_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/str.h"
#include "scrutiny/scrutiny.h"

struct report_change {
	const struct scrutiny_rec *rec;
	const struct scrutiny_action *action;
	const char *from_status;    /* at the end of `since` */
	const char *to_status;      /* now */
	int nupdates;               /* updates dated after `since` */
	const char *latest;         /* newest such update's narrative */
};

struct report {
	const struct scrutiny_plan *plan;
	const char *since;          /* "" when there was no earlier report */
	const char *today;          /* YYYY-MM-DD */
	int by_status[8];           /* indexed like scrutiny_statuses */
	int nactions;
	int noverdue;
	struct report_change *changes;
	int nchanges;
};

int report_build(struct arena *a, const struct scrutiny_plan *plan,
		 const char *since, struct cal_date today, struct report *out);

/* standalone: a whole document with its own print stylesheet; else a
 * fragment for web/page.c's layout.  Headings start at h2 either way
 * (standalone adds its own h1). */
int report_html(const struct report *rp, bool standalone, struct sbuf *out);

int report_csv(const struct report *rp, struct sbuf *out);

/* The CSV header row, for tests and readers: the column names. */
extern const char *const report_csv_columns[];

#endif
