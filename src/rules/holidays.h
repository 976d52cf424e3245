/*
 * holidays: parsers for lists of bank holidays, the non-working days that
 * a working-day calendar (calendar.h) needs before it can count any
 * statutory timescale (R01, R02, R07, R08, R15..R18 ...).
 *
 * Purpose.  Turn bytes already in memory into a list of (date, title).
 * Pure: no I/O, no globals; the caller reads the file or the HTTP body.
 * Two formats:
 *
 *   CSV, as in shared/domain/codes/bank_holidays_england_wales_2018_2027.csv:
 *     a header row, then one row per holiday.  Columns are found by name
 *     (case-insensitive, surrounding spaces ignored): "date" and "title"
 *     are required; "weekday", when present and not empty, must name the
 *     weekday of the date (in English, any case), which catches a
 *     mistyped date; every other column ("notes", "bunting", ...) is
 *     ignored.  RFC 4180 quoting: a field in double quotes may hold
 *     commas, line breaks and doubled quotes ("").  Lines end in LF or
 *     CRLF.  A UTF-8 byte-order mark and blank lines are skipped.  Every
 *     row must have as many fields as the header.
 *
 *   GOV.UK bank-holidays JSON:
 *     {"england-and-wales": {"division": "england-and-wales",
 *       "events": [{"title": "...", "date": "YYYY-MM-DD",
 *                   "notes": "...", "bunting": true}, ...]},
 *      "scotland": {...}, "northern-ireland": {...}}
 *     Only the requested division is read.  Object keys must be unique at
 *     every level (JSON_REJECT_DUPLICATES).  In an event, "date" and
 *     "title" are required strings; "notes" must be a string and
 *     "bunting" a boolean when present; other keys are ignored.
 *
 * Both parsers apply the same checks to each holiday: the date is a real
 * date in 1900..2100 (cal_date_parse); the title is 1..127 bytes of valid
 * UTF-8 with no control characters (no tab or line break either).  At
 * most HOLIDAYS_MAX holidays, and at most HOLIDAYS_INPUT_MAX input bytes.
 *
 * Duplicates: the same date listed twice is REJECTED, even with the same
 * title.  The published lists never repeat a date, so a repeat means a
 * file was concatenated or edited by hand, and we would rather say so
 * than guess which title is right.
 *
 * Invariants of a returned list: sorted by date ascending, no two entries
 * share a date, every title NUL-terminated and valid as above.
 *
 * Ownership.  On success *out owns an array allocated here; release it
 * with holidays_list_free().  On failure nothing is allocated, *out is
 * left empty ({0, NULL}), and err holds one sentence saying what is wrong
 * and where ("line 7: ...", or "events[3].date: ...").  err may be NULL
 * when errlen is 0; the message is truncated to fit errlen.
 *
 * Errors.  Actions return 0 on success and -1 on failure.  Memory
 * exhaustion aborts (core/arena.h).
 */
#ifndef CAIRN_HOLIDAYS_H
#define CAIRN_HOLIDAYS_H

#include <stddef.h>

#include "rules/calendar.h"

#define HOLIDAYS_TITLE_MAX 127
#define HOLIDAYS_MAX 5000
#define HOLIDAYS_INPUT_MAX ((size_t)1024 * 1024)

/* The division read when the caller passes NULL. */
#define HOLIDAYS_DEFAULT_DIVISION "england-and-wales"

struct holidays_list {
	size_t n;
	struct holidays_entry {
		struct cal_date date;
		char title[HOLIDAYS_TITLE_MAX + 1];
	} *v;
};

/* Parses buf[0..n) as the CSV format above.  Returns 0 and fills *out
 * (owned; may hold zero entries when there is only a header), or -1 with
 * *out empty and a message in err. */
int holidays_parse_csv(const char *buf, size_t n, struct holidays_list *out,
    char *err, size_t errlen);

/* Parses buf[0..n) as GOV.UK bank-holidays JSON and returns the events of
 * `division` (NULL means HOLIDAYS_DEFAULT_DIVISION).  Returns 0 and fills
 * *out (owned; zero entries when "events" is empty), or -1 with *out empty
 * and a message in err: malformed JSON (with line and column), a root
 * that is not an object, a missing division, "events" missing or not an
 * array, more than HOLIDAYS_MAX events, or any event that breaks the
 * rules above. */
int holidays_parse_govuk_json(const char *buf, size_t n,
    const char *division, struct holidays_list *out, char *err,
    size_t errlen);

/* Frees the entries and leaves *l empty.  NULL, or an empty list, is a
 * no-op. */
void holidays_list_free(struct holidays_list *l);

/* Adds every date in l to c (cal_add_holiday).  Returns 0, or -1 when c
 * refused a date (it is full); dates added before the refusal stay. */
int holidays_add_to_cal(const struct holidays_list *l, struct cal *c);

#endif
