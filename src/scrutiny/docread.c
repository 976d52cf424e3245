/* docread.c: detection, the model builder, the text reader and
 * doc_to_text(); see docread.h.  The format readers are in
 * docread_zip.c (Word, OpenDocument), docread_html.c and docread_pdf.c. */
#include "scrutiny/docread.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "scrutiny/docread_int.h"
#include "scrutiny/import.h"

#define DOCREAD_SNIFF 1024  /* bytes looked at for an HTML tag */

static const char *const docread_labels[] = {
	"unknown file",          /* DOC_KIND_UNKNOWN */
	"text",                  /* DOC_KIND_TEXT */
	"Word document",         /* DOC_KIND_DOCX */
	"OpenDocument text",     /* DOC_KIND_ODT */
	"web page (HTML)",       /* DOC_KIND_HTML */
	"PDF",                   /* DOC_KIND_PDF */
};
_Static_assert(sizeof(docread_labels) / sizeof(*docread_labels) ==
	       DOC_KIND__MAX, "docread_labels");

const char *doc_kind_label(enum doc_kind k)
{
	if ((unsigned)k >= DOC_KIND__MAX)
		return docread_labels[0];
	return docread_labels[k];
}

static void docread_seterr(struct doc_error *err, const char *msg)
{
	if (err)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Detection                                                           */

static bool docread_starts(const char *d, size_t n, const char *magic,
			   size_t m)
{
	return n >= m && memcmp(d, magic, m) == 0;
}

static char docread_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True when one of the HTML tags that start a page comes first in the
 * first DOCREAD_SNIFF bytes (after a BOM, white space and comments). */
static bool docread_sniff_html(const char *d, size_t n)
{
	static const char *const tags[] = {
		"<!doctype html", "<html", "<head", "<body", "<table",
		"<meta", "<title", NULL,
	};
	size_t i = 0;
	if (docread_starts(d, n, "\xEF\xBB\xBF", 3))
		i = 3;
	size_t end = n < DOCREAD_SNIFF ? n : DOCREAD_SNIFF;
	for (;;) {
		while (i < end && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
				   d[i] == '\n' || d[i] == '\f'))
			i++;
		/* skip <?xml ...?> and <!-- ... --> before the first tag */
		if (i + 4 <= end && memcmp(d + i, "<!--", 4) == 0) {
			const char *e = NULL;
			for (size_t k = i + 4; k + 3 <= end; k++)
				if (memcmp(d + k, "-->", 3) == 0) {
					e = d + k + 3;
					break;
				}
			if (e == NULL)
				return false;
			i = (size_t)(e - d);
			continue;
		}
		if (i + 2 <= end && memcmp(d + i, "<?", 2) == 0) {
			const char *e = memchr(d + i, '>', end - i);
			if (e == NULL)
				return false;
			i = (size_t)(e - d) + 1;
			continue;
		}
		break;
	}
	for (int t = 0; tags[t]; t++) {
		size_t m = strlen(tags[t]);
		if (i + m > end)
			continue;
		size_t k = 0;
		while (k < m && docread_lower(d[i + k]) == tags[t][k])
			k++;
		if (k == m && (i + m == end || d[i + m] == ' ' ||
			       d[i + m] == '>' || d[i + m] == '\t' ||
			       d[i + m] == '\r' || d[i + m] == '\n'))
			return true;
	}
	return false;
}

/* The length of the valid UTF-8 character at s[0..n) (1..4), or 0. */
static size_t docread_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t k;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (k >= n)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((p[j] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[j] & 0x3F);
	}
	if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return k + 1;
}

/* Where s[0..n) stops being valid UTF-8 without NUL, or n. */
size_t docread_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = s[i] ? docread_utf8_len(s + i, n - i) : 0;
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

enum doc_kind doc_detect(const char *d, size_t n, struct doc_error *err)
{
	if (n == 0) {
		docread_seterr(err, "The file is empty.");
		return DOC_KIND_UNKNOWN;
	}
	if (docread_starts(d, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		docread_seterr(err, "This is a Word 97-2003 document (.doc) or "
			       "another older Office file. Save it as .docx or "
			       "PDF and try again.");
		return DOC_KIND_UNKNOWN;
	}
	if (docread_starts(d, n, "PK\x03\x04", 4) ||
	    docread_starts(d, n, "PK\x05\x06", 4))
		return docread_zip_kind(d, n, err);
	if (docread_starts(d, n, "%PDF-", 5))
		return DOC_KIND_PDF;
	if (docread_starts(d, n, "{\\rtf", 5)) {
		docread_seterr(err, "This is a Rich Text Format (.rtf) document. "
			       "Save it as .docx or PDF and try again.");
		return DOC_KIND_UNKNOWN;
	}
	if (docread_starts(d, n, "\xFF\xFE", 2) ||
	    docread_starts(d, n, "\xFE\xFF", 2)) {
		docread_seterr(err, "This text is saved as UTF-16. Save it as "
			       "UTF-8 text and try again.");
		return DOC_KIND_UNKNOWN;
	}
	if (docread_starts(d, n, "\x89PNG", 4) ||
	    docread_starts(d, n, "\xFF\xD8\xFF", 3) ||
	    docread_starts(d, n, "GIF8", 4)) {
		docread_seterr(err, "This is a picture, not a document. Upload "
			       "the action plan as a Word document, PDF, web "
			       "page or text.");
		return DOC_KIND_UNKNOWN;
	}
	if (docread_sniff_html(d, n))
		return DOC_KIND_HTML;
	size_t bad = docread_utf8_valid(d, n);
	if (bad == n)
		return DOC_KIND_TEXT;
	if (memchr(d, '\0', n < 8192 ? n : 8192) == NULL) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "This text is not "
				 "UTF-8 (byte %zu is not): it may be saved as "
				 "Windows-1252 or Latin-1. Save it as UTF-8 text, "
				 "or upload the Word document or PDF instead.",
				 bad + 1);
		return DOC_KIND_UNKNOWN;
	}
	docread_seterr(err, "This file is not a document Cairn can read: it "
		       "is not Word (.docx), OpenDocument (.odt), PDF, a web "
		       "page, or UTF-8 text. Save it as .docx or PDF and try "
		       "again.");
	return DOC_KIND_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* The builder                                                         */

void docb_init(struct docb *b, struct arena *a, struct doc *d,
	       struct doc_error *err)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->d = d;
	b->err = err;
	sbuf_init(&b->para, DOCB_PARA_MAX);
}

void docb_release(struct docb *b)
{
	sbuf_release(&b->para);
}

bool docb_failed(const struct docb *b)
{
	return b->failed;
}

void docb_fail(struct docb *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	b->failed = true;
	if (b->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(b->err->msg, sizeof(b->err->msg), fmt, ap);
		va_end(ap);
	}
}

static void docb_oom(struct docb *b)
{
	docb_fail(b, "The document is too large or too complex to read.");
}

void docb_text(struct docb *b, const char *s, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (sbuf_add(&b->para, s, n) != 0)
		docb_fail(b, "The document has a paragraph longer than %u KiB, "
			  "too long for an action plan.",
			  (unsigned)(DOCB_PARA_MAX / 1024));
}

bool docb_para_blank(const struct docb *b)
{
	for (size_t i = 0; i < b->para.len; i++) {
		char c = b->para.buf[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f')
			return false;
	}
	return true;
}

void docb_para_props(struct docb *b, int heading, const char *num)
{
	b->heading = heading < 0 ? 0 : heading > 9 ? 9 : heading;
	snprintf(b->num, sizeof(b->num), "%s", num ? num : "");
}

/* Appends s[0..n) to out cleaned: invalid UTF-8 as U+FFFD, control
 * characters, white space and no-break spaces as one space, trimmed. */
static size_t docb_clean(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0;
	bool space = false;
	while (i < n) {
		unsigned c = p[i];
		size_t len = 1;
		bool ws = false;
		if (c < 0x20 || c == 0x7F || c == ' ') {
			ws = true;
		} else if (c >= 0x80) {
			size_t want = docread_utf8_len(s + i, n - i);
			if (want == 0) {
				/* invalid sequence: one byte as U+FFFD */
				if (space && o > 0)
					out[o++] = ' ';
				space = false;
				memcpy(out + o, "\xEF\xBF\xBD", 3);
				o += 3;
				i++;
				continue;
			}
			len = want;
			/* U+00A0 no-break space, U+0085 next line */
			if ((c == 0xC2 && (p[i + 1] == 0xA0 || p[i + 1] == 0x85)))
				ws = true;
			/* U+2028/U+2029 line and paragraph separators */
			if (c == 0xE2 && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
				ws = true;
		}
		if (ws) {
			space = true;
			i += len;
			continue;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = false;
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return o;
}

/* A cleaned copy of s[0..n) in the arena; NULL over budget. */
static char *docb_cleandup(struct docb *b, const char *s, size_t n)
{
	/* U+FFFD for one byte is 3 bytes: the worst case is 3n */
	char *out = arena_alloc(b->a, 3 * n + 1);
	if (out == NULL) {
		docb_oom(b);
		return NULL;
	}
	docb_clean(s, n, out);
	return out;
}

static void docb_add_block(struct docb *b, const struct doc_block *blk)
{
	struct doc_block *v = arena_grow(b->a, b->d->blocks,
					 (int)b->d->nblocks, &b->capblocks,
					 sizeof(*v));
	if (v == NULL) {
		docb_oom(b);
		return;
	}
	b->d->blocks = v;
	v[b->d->nblocks++] = *blk;
}

void docb_end_para(struct docb *b)
{
	if (b->failed) {
		sbuf_reset(&b->para);
		return;
	}
	char *text = docb_cleandup(b, b->para.buf ? b->para.buf : "",
				   b->para.len);
	char *num = text ? docb_cleandup(b, b->num, strlen(b->num)) : NULL;
	int heading = b->heading;
	sbuf_reset(&b->para);
	b->num[0] = '\0';
	b->heading = 0;
	if (text == NULL || num == NULL || text[0] == '\0')
		return;
	struct doc_para p = {.text = text, .num = num, .heading = heading};
	if (b->in_cell) {
		struct doc_para *v = arena_grow(b->a, b->cparas, b->ncparas,
						&b->capparas, sizeof(*v));
		if (v == NULL) {
			docb_oom(b);
			return;
		}
		b->cparas = v;
		v[b->ncparas++] = p;
		return;
	}
	if (b->table_depth > 0)
		return;   /* text between cells: not part of any cell */
	struct doc_block blk = {.kind = DOC_BLOCK_PARA, .para = p};
	docb_add_block(b, &blk);
}

void docb_table_begin(struct docb *b)
{
	docb_end_para(b);
	if (b->table_depth++ > 0)
		return;
	b->rows = NULL;
	b->nrows = b->caprows = 0;
}

void docb_row_begin(struct docb *b)
{
	if (b->table_depth != 1)
		return;
	docb_end_para(b);
	b->cells = NULL;
	b->ncells = b->capcells = 0;
}

void docb_cell_begin(struct docb *b)
{
	if (b->table_depth != 1)
		return;
	docb_end_para(b);
	b->in_cell = true;
	b->cparas = NULL;
	b->ncparas = b->capparas = 0;
}

static void docb_push_cell(struct docb *b, struct doc_para *paras, int n,
			   bool covered)
{
	if (b->failed)
		return;
	struct doc_cell *v = arena_grow(b->a, b->cells, b->ncells,
					&b->capcells, sizeof(*v));
	if (v == NULL) {
		docb_oom(b);
		return;
	}
	b->cells = v;
	v[b->ncells].paras = paras;
	v[b->ncells].nparas = (size_t)n;
	v[b->ncells].covered = covered;
	b->ncells++;
}

void docb_cell_end(struct docb *b)
{
	if (b->table_depth != 1) {
		docb_end_para(b);   /* an inner cell: its text stays in ours */
		return;
	}
	docb_end_para(b);
	if (!b->in_cell)
		return;
	b->in_cell = false;
	docb_push_cell(b, b->cparas, b->ncparas, false);
}

void docb_empty_cells(struct docb *b, int n)
{
	if (b->table_depth != 1)
		return;
	for (int i = 0; i < n && i < DOCB_SPAN_MAX && !b->failed; i++)
		docb_push_cell(b, NULL, 0, true);
}

void docb_row_end(struct docb *b)
{
	if (b->table_depth != 1)
		return;
	if (b->in_cell)
		docb_cell_end(b);
	bool any = false;
	for (int c = 0; c < b->ncells && !any; c++)
		any = b->cells[c].nparas > 0;
	if (b->failed || !any) {
		b->cells = NULL;   /* a row of empty cells is no row */
		b->ncells = b->capcells = 0;
		return;
	}
	struct doc_row *v = arena_grow(b->a, b->rows, b->nrows, &b->caprows,
				       sizeof(*v));
	if (v == NULL) {
		docb_oom(b);
		return;
	}
	b->rows = v;
	v[b->nrows].cells = b->cells;
	v[b->nrows].ncells = (size_t)b->ncells;
	b->nrows++;
	b->cells = NULL;
	b->ncells = b->capcells = 0;
}

void docb_table_end(struct docb *b)
{
	if (b->table_depth == 0)
		return;
	if (b->table_depth > 1) {
		b->table_depth--;
		docb_end_para(b);
		return;
	}
	if (b->in_cell)
		docb_cell_end(b);
	if (b->ncells > 0)
		docb_row_end(b);
	b->table_depth = 0;
	if (b->failed || b->nrows == 0)
		return;
	/* a table with no text in any cell is nothing */
	bool any = false;
	for (int r = 0; r < b->nrows && !any; r++)
		for (size_t c = 0; c < b->rows[r].ncells && !any; c++)
			any = b->rows[r].cells[c].nparas > 0;
	if (!any)
		return;
	struct doc_block blk = {.kind = DOC_BLOCK_TABLE};
	blk.table.rows = b->rows;
	blk.table.nrows = (size_t)b->nrows;
	docb_add_block(b, &blk);
}

/* ------------------------------------------------------------------ */
/* Helpers shared by the readers                                       */

static void docread_xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void docread_xml_squiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

void docread_xml_mute(struct docread_xml_errs *save)
{
	save->g = xmlGenericError;
	save->gctx = xmlGenericErrorContext;
	save->s = xmlStructuredError;
	save->sctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, docread_xml_quiet);
	xmlSetStructuredErrorFunc(NULL, docread_xml_squiet);
}

void docread_xml_unmute(const struct docread_xml_errs *save)
{
	xmlSetGenericErrorFunc(save->gctx, save->g);
	xmlSetStructuredErrorFunc(save->sctx, save->s);
}

bool docread_xml_has_dtd(const char *doc, size_t n)
{
	static const char *const bad[] = {"<!DOCTYPE", "<!ENTITY", NULL};
	for (int k = 0; bad[k]; k++) {
		size_t m = strlen(bad[k]);
		for (size_t i = 0; i + m <= n; i++) {
			const char *p = memchr(doc + i, '<', n - i);
			if (p == NULL)
				break;
			i = (size_t)(p - doc);
			if (i + m <= n && memcmp(p, bad[k], m) == 0)
				return true;
		}
	}
	return false;
}

xmlDocPtr docread_xml_parse(struct docb *b, const char *doc, size_t n,
			    const char *what)
{
	if (n > (size_t)INT32_MAX) {
		docb_fail(b, "The %s is too large to read.", what);
		return NULL;
	}
	/* No XML_PARSE_NOENT (entities are not substituted), no
	 * XML_PARSE_DTDLOAD/DTDATTR/DTDVALID, no XML_PARSE_HUGE; and a part
	 * that declares a DTD or an entity is refused before parsing. */
	if (docread_xml_has_dtd(doc, n)) {
		docb_fail(b, "The %s declares a document type or entities, "
			  "which Word and OpenDocument files never do; it was "
			  "not read.", what);
		return NULL;
	}
	/* read as UTF-8 whatever the part declares (Word and OpenDocument
	 * write UTF-8): a UTF-16 part, where the scan above would not see
	 * "<!DOCTYPE", fails to parse instead */
	struct docread_xml_errs save;
	docread_xml_mute(&save);
	xmlDocPtr x = xmlReadMemory(doc, (int)n, NULL, "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	docread_xml_unmute(&save);
	if (x == NULL) {
		docb_fail(b, "The %s is damaged: its XML could not be read.",
			  what);
		return NULL;
	}
	if (x->intSubset != NULL || x->extSubset != NULL) {
		xmlFreeDoc(x);
		docb_fail(b, "The %s declares a document type, which Word and "
			  "OpenDocument files never do; it was not read.",
			  what);
		return NULL;
	}
	return x;
}

bool docread_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->name &&
	       strcmp((const char *)node->name, name) == 0;
}

const char *docread_attr(const xmlNode *node, const char *name)
{
	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *at = node->properties; at; at = at->next) {
		if (at->name && strcmp((const char *)at->name, name) == 0) {
			if (at->children && at->children->type == XML_TEXT_NODE)
				return (const char *)at->children->content;
			return "";
		}
	}
	return NULL;
}

static bool docread_in(const xmlNode *n, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (docread_is(n, names[i]))
			return true;
	return false;
}

/* The rows of table t: its row elements, directly or in row groups. */
static size_t docread_rows(const xmlNode *t, const char *row,
			   const char *const *groups, int depth)
{
	size_t n = 0;
	if (depth > 8)
		return 0;
	for (const xmlNode *c = t->children; c; c = c->next) {
		if (docread_is(c, row))
			n++;
		else if (docread_in(c, groups))
			n += docread_rows(c, row, groups, depth + 1);
	}
	return n;
}

/* The most rows of any table inside n (n itself not counted). */
static size_t docread_inner_rows(const xmlNode *n, const char *tbl,
				 const char *row, const char *const *groups,
				 int depth)
{
	size_t most = 0;
	if (depth > DOCB_DEPTH_MAX)
		return 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		size_t k = docread_is(c, tbl) ? docread_rows(c, row, groups, 0)
					      : 0;
		if (k > most)
			most = k;
		k = docread_inner_rows(c, tbl, row, groups, depth + 1);
		if (k > most)
			most = k;
	}
	return most;
}

bool docread_layout_table(const xmlNode *t, const char *tbl, const char *row,
			  const char *const *groups)
{
	size_t inner = docread_inner_rows(t, tbl, row, groups, 0);
	return inner > 0 && inner >= docread_rows(t, row, groups, 0);
}

bool docread_iso_date(const char *s, struct cal_date *out)
{
	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (strlen(s) < 10)
		return false;
	return cal_date_parse(s, 10, out);
}

void docread_counter(int n, char style, char out[16])
{
	out[0] = '\0';
	if (n < 1)
		return;
	if (style == 'a' || style == 'A') {
		/* a..z, aa..zz, ... as Word and LibreOffice count */
		char base = style;
		int reps = (n - 1) / 26 + 1;
		if (reps > 8)
			reps = 8;
		for (int i = 0; i < reps; i++)
			out[i] = (char)(base + (n - 1) % 26);
		out[reps] = '\0';
		return;
	}
	if ((style == 'i' || style == 'I') && n < 4000) {
		static const struct {
			int v;
			const char *s;
		} rom[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
			   {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"},
			   {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
		size_t o = 0;
		for (size_t k = 0; k < sizeof(rom) / sizeof(*rom); k++)
			while (n >= rom[k].v && o + 2 < 15) {
				for (const char *p = rom[k].s; *p; p++)
					out[o++] = style == 'I'
							   ? (char)(*p - 'a' + 'A')
							   : *p;
				n -= rom[k].v;
			}
		out[o] = '\0';
		return;
	}
	snprintf(out, 16, "%d", n);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

/* Text: the text itself for doc_to_text(), and a model of it (lines as
 * paragraphs, runs of tab-separated lines as tables). */
static int docread_text(struct docb *b, const char *data, size_t len)
{
	if (docread_starts(data, len, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	size_t bad = docread_utf8_valid(data, len);
	if (bad < len) {
		docb_fail(b, "The text is not valid UTF-8 (at byte %zu). Save "
			  "it as UTF-8 text, or upload the Word document or "
			  "PDF instead.", bad + 1);
		return -1;
	}
	char *copy = arena_strndup(b->a, data, len);
	if (copy == NULL) {
		docb_oom(b);
		return -1;
	}
	b->d->text = copy;
	b->d->text_len = len;
	size_t i = 0;
	while (i < len && !b->failed) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - data) : len;
		const char *line = data + i;
		/* the model of a very long line is cut (import.c reads the
		 * text itself, which doc_to_text() gives back whole) */
		size_t n = e - i < DOCB_PARA_MAX ? e - i : DOCB_PARA_MAX;
		if (memchr(line, '\t', n)) {
			if (b->table_depth == 0) {
				docb_table_begin(b);
			}
			docb_row_begin(b);
			size_t s = 0;
			for (size_t k = 0; k <= n; k++) {
				if (k == n || line[k] == '\t') {
					docb_cell_begin(b);
					docb_text(b, line + s, k - s);
					docb_cell_end(b);
					s = k + 1;
				}
			}
			docb_row_end(b);
		} else {
			docb_table_end(b);
			docb_text(b, line, n);
			docb_end_para(b);
		}
		i = e + 1;
	}
	docb_table_end(b);
	return b->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* doc_read                                                            */

static struct doc_limits docread_limits(const struct doc_limits *lim)
{
	struct doc_limits l = lim ? *lim : (struct doc_limits){0};
	if (l.max_bytes == 0)
		l.max_bytes = DOC_MAX_BYTES;
	if (l.max_unzipped == 0)
		l.max_unzipped = DOC_MAX_UNZIPPED;
	if (l.max_entries == 0)
		l.max_entries = DOC_MAX_ENTRIES;
	if (l.max_pages == 0)
		l.max_pages = DOC_MAX_PAGES;
	if (l.max_text == 0)
		l.max_text = DOC_MAX_TEXT;
	return l;
}

static bool docread_has_text(const struct doc *d)
{
	for (size_t i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind == DOC_BLOCK_PARA)
			return true;
		const struct doc_table *t = &d->blocks[i].table;
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t c = 0; c < t->rows[r].ncells; c++)
				if (t->rows[r].cells[c].nparas)
					return true;
	}
	return false;
}

int doc_read(struct arena *a, const char *data, size_t len,
	     const struct doc_limits *lim, struct doc *out,
	     struct doc_error *err)
{
	memset(out, 0, sizeof(*out));
	struct doc_limits l = docread_limits(lim);
	if (len > l.max_bytes) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "The file is larger than %zu %s, too large for "
				 "an action plan.",
				 l.max_bytes >= 1024 * 1024
					 ? l.max_bytes / (1024 * 1024)
					 : l.max_bytes / 1024,
				 l.max_bytes >= 1024 * 1024 ? "MiB" : "KiB");
		return -1;
	}
	enum doc_kind k = doc_detect(data, len, err);
	if (k == DOC_KIND_UNKNOWN)
		return -1;
	return doc_read_as(a, data, len, k, &l, out, err);
}

int doc_read_as(struct arena *a, const char *data, size_t len,
		enum doc_kind k, const struct doc_limits *lim,
		struct doc *out, struct doc_error *err)
{
	memset(out, 0, sizeof(*out));
	if (err)
		err->msg[0] = '\0';
	struct doc_limits l = docread_limits(lim);
	if (len > l.max_bytes || k <= DOC_KIND_UNKNOWN || k >= DOC_KIND__MAX) {
		docread_seterr(err, "The file is too large, or not a kind Cairn "
			       "reads.");
		return -1;
	}
	struct doc d = {.kind = k};
	struct docb b;
	docb_init(&b, a, &d, err);
	int rc;
	switch (k) {
	case DOC_KIND_DOCX:
		rc = docread_docx(&b, data, len, &l);
		break;
	case DOC_KIND_ODT:
		rc = docread_odt(&b, data, len, &l);
		break;
	case DOC_KIND_HTML:
		rc = docread_html(&b, data, len);
		break;
	case DOC_KIND_PDF:
		rc = docread_pdf(&b, data, len, &l);
		break;
	default:
		rc = docread_text(&b, data, len);
		break;
	}
	docb_end_para(&b);
	while (b.table_depth > 0)
		docb_table_end(&b);
	if (rc == 0 && b.failed)
		rc = -1;
	if (rc == 0 && !docread_has_text(&d)) {
		docb_fail(&b, "The %s has no text in it%s.", doc_kind_label(k),
			  k == DOC_KIND_PDF ? " (a scanned PDF is pictures of "
			  "pages: ask for the Word document)" : "");
		rc = -1;
	}
	docb_release(&b);
	if (rc != 0) {
		if (err && err->msg[0] == '\0')
			docread_seterr(err, "The document could not be read.");
		return -1;
	}
	*out = d;
	return 0;
}

/* ------------------------------------------------------------------ */
/* doc_to_text                                                         */

/* True when s (after '&') looks like an entity import.c would decode. */
static bool docread_entity_like(const char *s)
{
	size_t i = 0;
	if (s[i] == '#')
		i++;
	size_t start = i;
	while (i < 12 && ((s[i] >= 'a' && s[i] <= 'z') ||
			  (s[i] >= 'A' && s[i] <= 'Z') ||
			  (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i > start && s[i] == ';';
}

/* Appends s with "<" that could start a tag and "&" that could start an
 * entity escaped, so that import.c's cleanup gives s back. */
static void docread_put(struct sbuf *sb, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '<' && ((p[1] >= 'a' && p[1] <= 'z') ||
				  (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '/' ||
				  p[1] == '!'))
			sbuf_adds(sb, "&lt;");
		else if (*p == '&' && docread_entity_like(p + 1))
			sbuf_adds(sb, "&amp;");
		else
			sbuf_addc(sb, *p);
	}
}

static void docread_put_para(struct sbuf *sb, const struct doc_para *p)
{
	if (p->num[0]) {
		docread_put(sb, p->num);
		sbuf_addc(sb, ' ');
	}
	docread_put(sb, p->text);
}

static void docread_put_table(struct sbuf *sb, const struct doc_table *t)
{
	/* the table's width: to its last column with text in any row
	 * (LibreOffice repeats empty cells to the sheet's edge) */
	size_t width = 0;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = t->rows[r].ncells; c > width; c--)
			if (t->rows[r].cells[c - 1].nparas > 0) {
				width = c;
				break;
			}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct doc_row *row = &t->rows[r];
		size_t n = row->ncells < width ? row->ncells : width;
		bool any = false;
		for (size_t c = 0; c < n && !any; c++)
			any = row->cells[c].nparas > 0;
		if (!any)
			continue;
		/* trailing cells a span covers: a merged title row is a line */
		while (n > 0 && row->cells[n - 1].nparas == 0 &&
		       row->cells[n - 1].covered)
			n--;
		for (size_t c = 0; c < n; c++) {
			const struct doc_cell *cell = &row->cells[c];
			if (c > 0)
				sbuf_addc(sb, '\t');
			if (cell->nparas == 1) {
				docread_put_para(sb, &cell->paras[0]);
				continue;
			}
			for (size_t k = 0; k < cell->nparas; k++) {
				sbuf_adds(sb, "<p>");
				docread_put_para(sb, &cell->paras[k]);
				sbuf_adds(sb, "</p>");
			}
		}
		sbuf_addc(sb, '\n');
	}
}

int doc_to_text(struct arena *a, const struct doc *d, size_t max,
		char **text, size_t *len, struct doc_error *err)
{
	*text = NULL;
	*len = 0;
	if (max == 0)
		max = IMPORT_MAX_BYTES;
	if (d->kind == DOC_KIND_TEXT && d->text) {
		if (d->text_len > max) {
			if (err)
				snprintf(err->msg, sizeof(err->msg),
					 "The text is larger than %zu KiB, too "
					 "large for an action plan.",
					 max / 1024);
			return -1;
		}
		char *t = arena_strndup(a, d->text, d->text_len);
		if (t == NULL) {
			docread_seterr(err, "The document is too large to read.");
			return -1;
		}
		*text = t;
		*len = d->text_len;
		return 0;
	}
	struct sbuf sb;
	sbuf_init(&sb, max);
	for (size_t i = 0; i < d->nblocks && !sb.toobig; i++) {
		const struct doc_block *blk = &d->blocks[i];
		if (i > 0)
			sbuf_addc(&sb, '\n');
		if (blk->kind == DOC_BLOCK_TABLE) {
			docread_put_table(&sb, &blk->table);
			continue;
		}
		for (int h = 0; h < blk->para.heading && h < 6; h++)
			sbuf_addc(&sb, '#');
		if (blk->para.heading > 0)
			sbuf_addc(&sb, ' ');
		docread_put_para(&sb, &blk->para);
		sbuf_addc(&sb, '\n');
	}
	if (sb.toobig) {
		sbuf_release(&sb);
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "The document's text is larger than %zu KiB, "
				 "too large for an action plan.", max / 1024);
		return -1;
	}
	char *t = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	size_t n = sb.len;
	sbuf_release(&sb);
	if (t == NULL) {
		docread_seterr(err, "The document is too large to read.");
		return -1;
	}
	*text = t;
	*len = n;
	return 0;
}

int doc_import_text(struct arena *a, const char *data, size_t len,
		    enum doc_kind *kind, const char **text_out,
		    size_t *tlen_out, struct import_proposal *p,
		    struct import_error *ie, struct doc_error *derr)
{
	struct doc d;
	char *text;
	size_t tlen;
	memset(ie, 0, sizeof(*ie));
	if (doc_read(a, data, len, NULL, &d, derr) != 0 ||
	    doc_to_text(a, &d, IMPORT_MAX_BYTES, &text, &tlen, derr) != 0)
		return -1;
	if (kind)
		*kind = d.kind;
	if (text_out)
		*text_out = text;
	if (tlen_out)
		*tlen_out = tlen;
	if (import_parse(a, text, tlen, p, ie) != 0)
		return -2;
	/* a document whose text gives no date is dated by its file's
	 * properties (issue 12: progress is dated with the document's
	 * date, not the day of the import) */
	if (d.has_date)
		import_redate(p, d.date);
	return 0;
}

int doc_import(struct arena *a, const char *data, size_t len,
	       enum doc_kind *kind, struct import_proposal *p,
	       struct import_error *ie, struct doc_error *derr)
{
	return doc_import_text(a, data, len, kind, NULL, NULL, p, ie, derr);
}
