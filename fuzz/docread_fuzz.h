/*
 * docread_fuzz.h: the harness the four document-reader targets share
 * (fuzz_docread_docx.c, _odt.c, _html.c, _pdf.c).  Each drives one
 * reader with doc_read_as(), whatever the bytes are, and checks the
 * contract of docread.h: on failure the model is empty and the message
 * is short text; on success there is at least one block, every string
 * is one line of valid text (never NULL; no control characters, no
 * tab or line break), heading levels are 0..9, and
 * doc_to_text() gives text (or fails cleanly) that import_parse() then
 * takes or refuses without crashing.  A small arena must give a clean
 * failure too, never a crash.
 *
 * A zip's entries carry checksums, so mutated zip bytes rarely reach the
 * XML readers: the Word and OpenDocument targets also put the input, as
 * it is, in a fresh zip as the main XML part (docread_fuzz_zip), so the
 * fuzzer's seeds for them are both whole files and bare XML parts.
 */
#ifndef CAIRN_FUZZ_DOCREAD_FUZZ_H
#define CAIRN_FUZZ_DOCREAD_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "core/arena.h"
#include "core/str.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"

/* One line of text: valid UTF-8 without control characters (bidi
 * controls are text a document may hold: str_is_line refuses those). */
static bool docread_fuzz_line(const char *s)
{
	size_t n = strlen(s);
	return str_is_text(s, n) && strcspn(s, "\t\r\n") == n;
}

static void docread_fuzz_para(const struct doc_para *p)
{
	if (p->text == NULL || p->num == NULL ||
	    !docread_fuzz_line(p->text) || !docread_fuzz_line(p->num) ||
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

/* Writes a zip holding the named entries (the input as the entry whose
 * content is NULL) into a malloc'd buffer; NULL when libzip fails. */
static char *docread_fuzz_zip(const uint8_t *data, size_t size,
			      const char *const *names,
			      const char *const *contents, size_t *outlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return NULL;
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (z == NULL) {
		zip_source_free(src);
		return NULL;
	}
	zip_source_keep(src);
	for (int i = 0; names[i]; i++) {
		const void *p = contents[i] ? (const void *)contents[i]
					    : (const void *)data;
		size_t n = contents[i] ? strlen(contents[i]) : size;
		zip_source_t *e = zip_source_buffer(z, p, n, 0);
		if (e == NULL || zip_file_add(z, names[i], e, 0) < 0) {
			zip_source_free(e);
			zip_discard(z);
			zip_source_free(src);
			return NULL;
		}
		if (i == 0)
			zip_set_file_compression(z, 0, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		zip_source_free(src);
		return NULL;
	}
	char *out = NULL;
	zip_stat_t st;
	if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
		out = malloc(st.size + 1);
		if (out && zip_source_read(src, out, st.size) ==
				   (zip_int64_t)st.size) {
			*outlen = (size_t)st.size;
		} else {
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

/* The input as a Word document's document.xml, or an OpenDocument
 * text's content.xml, in an otherwise good zip. */
static void docread_fuzz_part(const uint8_t *data, size_t size,
			      enum doc_kind kind)
{
	static const char *const docx_names[] = {
		"[Content_Types].xml", "word/document.xml", NULL};
	static const char *const docx_contents[] = {"<Types/>", NULL};
	static const char *const odt_names[] = {
		"mimetype", "content.xml", NULL};
	static const char *const odt_contents[] = {
		"application/vnd.oasis.opendocument.text", NULL};
	size_t n = 0;
	char *z = kind == DOC_KIND_DOCX
			  ? docread_fuzz_zip(data, size, docx_names,
					     docx_contents, &n)
			  : docread_fuzz_zip(data, size, odt_names, odt_contents,
					     &n);
	if (z == NULL)
		return;
	docread_fuzz_run((const uint8_t *)z, n, kind, (size_t)64 << 20);
	free(z);
}

static void docread_fuzz(const uint8_t *data, size_t size,
			 enum doc_kind kind)
{
	docread_fuzz_run(data, size, kind, (size_t)64 << 20);
	docread_fuzz_run(data, size, kind, 16384);
	if ((kind == DOC_KIND_DOCX || kind == DOC_KIND_ODT) && size < (1u << 20) &&
	    (size < 2 || memcmp(data, "PK", 2) != 0))
		docread_fuzz_part(data, size, kind);
}

#endif
