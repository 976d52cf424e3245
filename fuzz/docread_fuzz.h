/*
 * docread_fuzz.h: the harness the four document-reader targets share
 * (fuzz_docread_docx.c, _odt.c, _html.c, _pdf.c).  Each drives one
 * reader with doc_read_as(), whatever the bytes are, and checks the
 * contract of docread.h: on failure the model is empty and the message
 * is short text; on success there is at least one block, every string
 * is one line of valid text (never NULL), heading levels are 0..9, and
 * doc_to_text() gives text (or fails cleanly) that import_parse() then
 * takes or refuses without crashing.  A small arena must give a clean
 * failure too, never a crash.
 */
#ifndef CAIRN_FUZZ_DOCREAD_FUZZ_H
#define CAIRN_FUZZ_DOCREAD_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"

static void docread_fuzz_para(const struct doc_para *p)
{
	if (p->text == NULL || p->num == NULL ||
	    !str_is_line(p->text, strlen(p->text)) ||
	    !str_is_line(p->num, strlen(p->num)) ||
	    p->heading < 0 || p->heading > 9)
		abort();
}

static void docread_fuzz_model(const struct doc *d)
{
	if (d->nblocks == 0 || d->blocks == NULL)
		abort();
	if (d->has_date && !cal_date_valid(d->date))
		abort();
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];
		if (b->kind == DOC_BLOCK_PARA) {
			docread_fuzz_para(&b->para);
			if (b->para.text[0] == '\0')
				abort();
			continue;
		}
		if (b->kind != DOC_BLOCK_TABLE || b->table.nrows == 0)
			abort();
		for (size_t r = 0; r < b->table.nrows; r++) {
			const struct doc_row *row = &b->table.rows[r];
			if (row->ncells == 0)
				abort();
			for (size_t c = 0; c < row->ncells; c++)
				for (size_t k = 0; k < row->cells[c].nparas; k++)
					docread_fuzz_para(&row->cells[c].paras[k]);
		}
	}
}

static void docread_fuzz_run(const uint8_t *data, size_t size,
			     enum doc_kind kind, size_t budget)
{
	struct arena *a = arena_new(budget);
	/* smaller limits than the defaults keep each run quick */
	struct doc_limits lim = {.max_unzipped = 8u << 20, .max_pages = 20,
				 .max_text = 1u << 20};
	struct doc d;
	struct doc_error e;
	memset(&e, 0x55, sizeof(e));
	if (doc_read_as(a, (const char *)data, size, kind, &lim, &d, &e) != 0) {
		size_t m = strnlen(e.msg, sizeof(e.msg));
		if (m == 0 || m == sizeof(e.msg) || !str_is_text(e.msg, m) ||
		    d.nblocks || d.blocks)
			abort();
		arena_free(a);
		return;
	}
	docread_fuzz_model(&d);
	char *t;
	size_t n;
	if (doc_to_text(a, &d, 0, &t, &n, &e) == 0) {
		if (t == NULL || strlen(t) != n)
			abort();
		struct import_proposal p;
		struct import_error ie;
		(void)import_parse(a, t, n, &p, &ie);
	} else if (t != NULL || e.msg[0] == '\0') {
		abort();
	}
	arena_free(a);
}

static void docread_fuzz(const uint8_t *data, size_t size,
			 enum doc_kind kind)
{
	docread_fuzz_run(data, size, kind, (size_t)64 << 20);
	docread_fuzz_run(data, size, kind, 16384);
}

#endif
