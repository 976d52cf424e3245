/*
 * docread_int.h: what docread.c shares with its readers
 * (docread_zip.c, docread_html.c, docread_pdf.c): the model builder
 * and the readers' entry points.  Not for other modules.
 *
 * The builder (struct docb) takes the document in reading order:
 * inline text goes into the open paragraph, docb_end_para() closes it
 * (as a block, or as a paragraph of the open cell), and the table calls
 * open and close tables, rows and cells.  A table begun inside a cell
 * is not a new table: its cells' text becomes paragraphs of the outer
 * cell.  The first failure (over a limit, over the arena's budget)
 * sticks: every later call does nothing, and docb_failed() is true.
 */
#ifndef CAIRN_SCRUTINY_DOCREAD_INT_H
#define CAIRN_SCRUTINY_DOCREAD_INT_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/str.h"
#include "scrutiny/docread.h"

#define DOCB_PARA_MAX (256u * 1024)  /* bytes in one paragraph */
#define DOCB_DEPTH_MAX 200           /* element nesting read */
#define DOCB_NUM_MAX 32              /* bytes in a list number */
#define DOCB_SPAN_MAX 64             /* cells one merged cell may cover */

struct docb {
	struct arena *a;
	struct doc *d;
	int capblocks;
	struct sbuf para;       /* the open paragraph's raw text */
	char num[DOCB_NUM_MAX];
	int heading;
	int table_depth;        /* 1 in a table; > 1 inside an inner one */
	bool in_cell;
	struct doc_row *rows;
	int nrows, caprows;
	struct doc_cell *cells;
	int ncells, capcells;
	struct doc_para *cparas;
	int ncparas, capparas;
	bool failed;
	struct doc_error *err;
};

void docb_init(struct docb *b, struct arena *a, struct doc *d,
               struct doc_error *err);
void docb_release(struct docb *b);
bool docb_failed(const struct docb *b);
/* Records the first failure: a printf-style message (no document text). */
void docb_fail(struct docb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends raw text (any bytes; cleaned when the paragraph ends). */
void docb_text(struct docb *b, const char *s, size_t n);
/* Sets the open paragraph's heading level and list number. */
void docb_para_props(struct docb *b, int heading, const char *num);
/* True when the open paragraph has only white space so far. */
bool docb_para_blank(const struct docb *b);
/* Ends the open paragraph (dropped when it has no text). */
void docb_end_para(struct docb *b);

void docb_table_begin(struct docb *b);
void docb_row_begin(struct docb *b);
void docb_cell_begin(struct docb *b);
void docb_cell_end(struct docb *b);
/* Appends n empty cells that a span covers to the open row. */
void docb_empty_cells(struct docb *b, int n);
void docb_row_end(struct docb *b);
void docb_table_end(struct docb *b);

/* True when doc[0..n) declares a DTD or an entity: refused. */
bool docread_xml_has_dtd(const char *doc, size_t n);
/* libxml2 writes some errors (encoding errors, which quote bytes of the
 * document) to standard error whatever the parse options say: every
 * parse here runs between docread_xml_mute() and docread_xml_unmute(),
 * which silence this thread's handlers and then put them back. */
struct docread_xml_errs {
	xmlGenericErrorFunc g;
	void *gctx;
	xmlStructuredErrorFunc s;
	void *sctx;
};
void docread_xml_mute(struct docread_xml_errs *save);
void docread_xml_unmute(const struct docread_xml_errs *save);

/* Parses XML without network, entities, DTD or huge option; NULL with
 * the builder failed on error.  what names the part for the message. */
xmlDocPtr docread_xml_parse(struct docb *b, const char *doc, size_t n,
                            const char *what);
/* True when node (an element) has a local name equal to name. */
bool docread_is(const xmlNode *node, const char *name);
/* The attribute with local name `name` (any namespace) or NULL; the
 * result is the libxml2-owned text of the attribute's first child. */
const char *docread_attr(const xmlNode *node, const char *name);
/* True when table t (element tbl, rows row, directly or inside the
 * elements groups, a NULL-terminated list) is layout: it holds a table
 * with at least as many rows as itself (a page or document laid out in
 * a table around the real one).  A smaller table inside a cell is
 * content of that cell. */
bool docread_layout_table(const xmlNode *t, const char *tbl, const char *row,
                          const char *const *groups);
/* Parses "YYYY-MM-DD..." at the start of s. */
bool docread_iso_date(const char *s, struct cal_date *out);

/* Where s[0..n) stops being valid UTF-8 without NUL, or n. */
size_t docread_utf8_valid(const char *s, size_t n);

/* Formats counter n (from 1) in style: '1' decimal, 'a'/'A' letters,
 * 'i'/'I' roman; "" for n < 1. */
void docread_counter(int n, char style, char out[16]);

/* Readers.  Each fills b from data and returns 0, or -1 with b failed. */
enum doc_kind docread_zip_kind(const char *data, size_t len,
                               struct doc_error *err);
int docread_docx(struct docb *b, const char *data, size_t len,
                 const struct doc_limits *lim);
int docread_odt(struct docb *b, const char *data, size_t len,
                const struct doc_limits *lim);
int docread_html(struct docb *b, const char *data, size_t len);
int docread_pdf(struct docb *b, const char *data, size_t len,
                const struct doc_limits *lim);

#endif
