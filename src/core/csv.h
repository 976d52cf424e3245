/*
 * csv: writing RFC 4180 CSV cells that are safe to open in a spreadsheet.
 *
 * A cell is quoted when it holds a comma, a quote, CR or LF, with quotes
 * doubled.  A cell that a spreadsheet would treat as a formula (it
 * starts with = + - @, or with TAB or CR, which some spreadsheets skip
 * before looking for one: OWASP "CSV Injection") is quoted and prefixed
 * with an apostrophe, so it is shown as text (docs/decisions.md D18).
 * A reader that wants the value back strips that one apostrophe.
 */
#ifndef CAIRN_CSV_H
#define CAIRN_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

/* True when s would start a formula in a spreadsheet. */
bool csv_is_formula(const char *s);

/* Appends one text cell (NULL is the empty cell), preceded by a comma
 * unless first. */
void csv_cell(struct sbuf *o, const char *s, bool first);

/* Appends one integer cell, preceded by a comma unless first. */
void csv_int(struct sbuf *o, int64_t v, bool first);

#endif
