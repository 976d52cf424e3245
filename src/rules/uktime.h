/*
 * uktime: the one place that turns an instant into UK civil time, and
 * the one place that reads the system clock.
 *
 * Purpose.  Cairn stores instants as 64-bit seconds since
 * 1970-01-01T00:00Z (or their ISO UTC text) and shows, decides and
 * counts in the civil time of England: GMT in winter, BST (UTC+1) from
 * 01:00 UTC on the last Sunday in March to 01:00 UTC on the last Sunday
 * in October (the Summer Time Order 2002, unchanged since).  "Today"
 * for a statutory clock (R01, R02 ...) is the civil date in England,
 * whatever time zone the machine is set to: at 23:30 UTC on 1 July it
 * is already 2 July in England.
 *
 * Rules kept here and nowhere else (a test greps the tree for time(),
 * localtime*, gmtime* and hand-made summer-time arithmetic outside this
 * file):
 *  - uk_clock_now() is the only read of the system's real-time clock
 *    for the domain.  Everything below it is passed `now` (the request
 *    pipeline takes it once per request, the command line from --today
 *    or this function, tests fix it), so tests can stand on any instant.
 *  - Going back from a civil time to an instant (uk_to_instant): in the
 *    autumn the hour 01:00-01:59 happens twice; the first (BST) is
 *    taken.  In spring 01:00-01:59 does not happen; such a time is read
 *    as GMT (so 01:30 becomes 02:30 BST), which is what a clock that was
 *    not put forward would have said.
 *
 * Pure apart from uk_clock_now(); thread-safe; no allocation.
 */
#ifndef CAIRN_UKTIME_H
#define CAIRN_UKTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/calendar.h"

/* Seconds since 1970-01-01T00:00Z from the system's real-time clock. */
int64_t uk_clock_now(void);

/* Minutes to add to UTC for civil time in England at instant t: 0 (GMT)
 * or 60 (BST). */
int uk_offset_minutes(int64_t t);

/* True when instant t falls in British Summer Time. */
bool uk_is_bst(int64_t t);

/* The civil time in England at instant t (seconds dropped). */
struct cal_time uk_civil(int64_t t);

/* The civil date in England at instant t. */
struct cal_date uk_date(int64_t t);

/* The instant of a civil time in England (see the contract for the two
 * clock changes). */
int64_t uk_to_instant(struct cal_time civil);

/* The instant at which civil date d begins in England (00:00). */
int64_t uk_day_start(struct cal_date d);

/* The UTC date and time of instant t. */
struct cal_time uk_utc(int64_t t);

/* 'YYYY-MM-DDTHH:MM:SSZ' (UTC) of instant t: the machine form stored in
 * rows and written in the API. */
#define UK_STAMP_LEN 21
void uk_stamp(int64_t t, char out[UK_STAMP_LEN]);

/* Reads 'YYYY-MM-DDTHH:MM:SSZ' (or without seconds: 'YYYY-MM-DDTHH:MMZ').
 * Returns false (leaving *out alone) for anything else. */
bool uk_stamp_parse(const char *s, int64_t *out);

/* 'YYYY-MM-DD' civil date in England of instant t. */
void uk_date_text(int64_t t, char out[11]);

/* Local civil time of instant t for people: "6 April 2023 at 10:00"
 * (GOV.UK style: 24-hour clock, no "BST"). */
void uk_human(int64_t t, char out[40]);

#endif
