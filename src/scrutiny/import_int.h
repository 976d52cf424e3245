/*
 * import_int.h: what import.c shares with import_reflow.c (not part of
 * the import's interface; see import.h).
 */
#ifndef CAIRN_SCRUTINY_IMPORT_INT_H
#define CAIRN_SCRUTINY_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

#define IMPORT_MAXC 32        /* columns a header may have */

/* Roles of table columns (and of "Label:" lines in prose). */
enum col {
	COL_NONE,
	COL_REF,
	COL_REC,
	COL_RESPONSE,
	COL_ACTION,
	COL_OWNER,
	COL_BUDGET,
	COL_TIMESCALE,
	COL_STATUS,
	COL_PROGRESS,
	COL_OTHER,
	COL__MAX
};

/* The column a heading names (heading_vocab in import.c), COL_NONE for
 * none or a cell too long to be a heading. */
enum col import_cell_role(const char *cell);

/* Whether the cells cell[0..n) (cleaned) are a table's first header
 * (import.h, "Headers"); roles (may be NULL, IMPORT_MAXC long) gets
 * each cell's column. */
bool import_header_cells(struct arena *a, char **cell, size_t n,
                         unsigned char *roles);

/* A document's own reference at the start of s[0..n) ("R3.1", "1.2",
 * "2(b)"): the bytes it takes, 0 when none; *num and *sub its first two
 * numbers (sub 0 when none). */
size_t import_doc_ref(const char *s, size_t n, int *num, int *sub);

/* Whether s[0..n) ends a sentence or a clause ('.', '!', '?', ';', ':'
 * before any closing bracket or quote); false when empty. */
bool import_ends_sentence(const char *s, size_t n);

/* Whether s[0..n) starts with the lower-case ASCII p, in any case. */
bool import_ci_prefix(const char *s, size_t n, const char *p);

/* Whether the cleaned cell s says when or how far (a timescale that
 * timescale_parse() understands, or a status word or rating). */
bool import_is_when(const char *s);

/*
 * Tables that lost their delimiters on the way out of a PDF, rebuilt
 * (import_reflow.c): returns true with *out (len *outlen, in arena a)
 * the document with each such table's header and rows as tab-separated
 * lines, line for line (a row's first line holds the row, its other
 * lines are left blank, so every other line keeps its number); false
 * when the document has no such table (or the arena ran out: *oom).
 */
bool import_reflow(struct arena *a, const char *doc, size_t len,
                   char **out, size_t *outlen, bool *oom);

#endif
