/*
 * docread: turn an uploaded document (Word .docx, OpenDocument .odt, an
 * HTML page, a PDF, or UTF-8 text) into a document model, and render
 * the model as the plain text import.h reads.
 *
 * Purpose.  Councils keep scrutiny action plans in Word, publish them
 * as PDF and as ModernGov or CMIS web pages.  import.c reads plain text
 * only; this module is the layer underneath it.  It finds paragraphs
 * (with their heading level and list numbering when the format states
 * them, so "1." and "a)" survive) and tables (rows of cells, each cell
 * a list of paragraphs) and hands them on in document order.
 *
 * Detection is by content, never by file name (doc_detect()): a zip
 * holding [Content_Types].xml and word/document.xml is Word; a zip
 * whose "mimetype" entry is application/vnd.oasis.opendocument.text is
 * OpenDocument text; "%PDF-" is PDF; "<!doctype html", "<html",
 * "<head", "<body", "<table", "<meta" or "<title" first in the first
 * KiB (after a BOM, white space, an XML declaration and comments, any
 * case) is HTML; valid UTF-8 is text.  Anything else (a Word 97-2003
 * .doc, RTF, UTF-16, a spreadsheet, an image, another zip, text that is
 * not UTF-8) is refused with a message that says what the file is and
 * what to do.
 *
 * Model.  doc.blocks[] in document order; each block is a paragraph
 * (text on one line, heading level 1..9 or 0, the list number as the
 * document shows it or "") or a table (rows of cells; a cell's
 * paragraphs kept apart).  Merged cells become empty cells so that the
 * columns line up: the cells a horizontal span covers follow it, empty;
 * a cell covered by a vertical span above is empty.  A table that holds
 * a table with at least as many rows as itself is a layout table
 * (ModernGov pages, Word documents laid out with a table): its content
 * is read as if it were not in a table.  A smaller table inside a cell
 * (a few lines of figures) is paragraphs of that cell.
 * Text is valid UTF-8 without control characters; runs of white space
 * are one space and it is trimmed; empty paragraphs, and rows whose
 * cells are all empty, are dropped.
 *
 * PDF has no tables, only characters at positions: the reader rebuilds
 * lines from the words' positions, columns from the x-ranges that are
 * separated by a gap on every line of a run of lines, and rows from the
 * extra space between them (a cell's wrapped lines are one cell).  See
 * docread_pdf.c.
 *
 * Safety.  The input is untrusted.  Limits (struct doc_limits, zero
 * fields take the defaults): the input's size; a zip's entry count and
 * its total uncompressed size (declared and as actually read, so a zip
 * bomb stops at the limit); a PDF's page count and text size; the
 * model's size (the arena's budget).  XML is parsed without the
 * network, without entity substitution, without loading a DTD and
 * without libxml2's huge-document option; an XML part that declares a
 * DTD or entities is refused.  Nothing is written to disk: zips and
 * PDFs are read from memory.  Nothing of the document's text is
 * logged, and error messages never quote it.
 *
 * Ownership.  Everything in a doc lives in the arena passed to
 * doc_read(); free the arena to free it.  On failure *out is zeroed.
 */
#ifndef CAIRN_SCRUTINY_DOCREAD_H
#define CAIRN_SCRUTINY_DOCREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "rules/calendar.h"

#define DOC_MAX_BYTES (10u * 1024 * 1024)       /* input, default */
#define DOC_MAX_UNZIPPED (50u * 1024 * 1024)    /* a zip's content */
#define DOC_MAX_ENTRIES 2000                    /* a zip's entries */
#define DOC_MAX_PAGES 500                       /* a PDF's pages */
#define DOC_MAX_TEXT (8u * 1024 * 1024)         /* a PDF's text */

enum doc_kind {
	DOC_KIND_UNKNOWN = 0,    /* not one we read (doc_detect only) */
	DOC_KIND_TEXT,
	DOC_KIND_DOCX,
	DOC_KIND_ODT,
	DOC_KIND_HTML,
	DOC_KIND_PDF,
	DOC_KIND__MAX
};

struct doc_para {
	char *text;     /* one line, never NULL */
	char *num;      /* list number as shown ("1.", "a)", "(iii)"), "" */
	int heading;    /* 1..9, 0 for body text */
};

struct doc_cell {
	struct doc_para *paras;
	size_t nparas;  /* 0: an empty (or merged-away) cell */
	bool covered;   /* merged into a neighbour (a span covers it) */
};

struct doc_row {
	struct doc_cell *cells;
	size_t ncells;
};

struct doc_table {
	struct doc_row *rows;
	size_t nrows;
};

enum doc_block_kind {
	DOC_BLOCK_PARA = 0,
	DOC_BLOCK_TABLE,
};

struct doc_block {
	enum doc_block_kind kind;
	struct doc_para para;    /* DOC_BLOCK_PARA */
	struct doc_table table;  /* DOC_BLOCK_TABLE */
};

struct doc {
	enum doc_kind kind;
	struct doc_block *blocks;
	size_t nblocks;
	bool has_date;          /* the metadata gives the document's date */
	struct cal_date date;   /* modified, else created (a hint only) */
	/* DOC_KIND_TEXT: the text itself (after any BOM), which
	 * doc_to_text() gives back unchanged; NULL for the other kinds. */
	const char *text;
	size_t text_len;
};

/* Limits; a zero field takes the default above. */
struct doc_limits {
	size_t max_bytes;
	size_t max_unzipped;
	size_t max_entries;
	int max_pages;
	size_t max_text;
};

struct doc_error {
	char msg[240];  /* what and why, for a scrutiny officer; no document text */
};

/* The kind of data[0..len) by its content; DOC_KIND_UNKNOWN when it is
 * none we read (why is in err when err is not NULL).  A zip is looked
 * into (its directory only). */
enum doc_kind doc_detect(const char *data, size_t len, struct doc_error *err);

/* The kind's name for people ("Word document", "PDF", ...). */
const char *doc_kind_label(enum doc_kind k);

/*
 * Reads data[0..len) (borrowed) into *out from arena a, whatever its
 * kind (doc_detect()).  lim may be NULL (defaults).  Returns 0, or -1
 * with err filled in (err may be NULL) and *out zeroed: a kind we do
 * not read, input over the limits, a damaged file, a file with no
 * text, or a model larger than the arena's budget.
 */
int doc_read(struct arena *a, const char *data, size_t len,
             const struct doc_limits *lim, struct doc *out,
             struct doc_error *err);

/* As doc_read(), but reads data as kind k whatever its content (the
 * fuzz targets drive each reader with it); k must not be
 * DOC_KIND_UNKNOWN. */
int doc_read_as(struct arena *a, const char *data, size_t len,
                enum doc_kind k, const struct doc_limits *lim,
                struct doc *out, struct doc_error *err);

/*
 * Renders d as the text import_parse() reads: a paragraph is a line
 * (its number, a space, its text; a heading as "#" * level, a space,
 * its text); a table is one tab-separated line per row, a cell of
 * several paragraphs as "<p>..</p><p>..</p>" (import.c reads cells
 * holding HTML paragraphs, as in seeds 000 and 001); "<" and "&" that
 * would read as a tag or an entity are escaped; a blank line between
 * blocks.  A row's trailing cells that a span covers are left out (a
 * title or theme row merged across the table is one line, without
 * tabs, which import.c does not take for a row); its trailing empty
 * cells are kept (a row with text in its first column only is still a
 * row, such as a PDF cell continued after a page break).  Sets *text (NUL-terminated, in arena a) and *len.  Returns
 * 0, or -1 with err filled in when the text is over max (0: import.h's
 * IMPORT_MAX_BYTES) or over the arena's budget.
 */
int doc_to_text(struct arena *a, const struct doc *d, size_t max,
                char **text, size_t *len, struct doc_error *err);

struct import_proposal;
struct import_error;

/*
 * The one way to import a document of any kind we read (the command,
 * the corpus test, and the page and the API to come): doc_read(),
 * doc_to_text(), import_parse().  *kind (may be NULL) gets the kind
 * read.  When the text states no date, the proposal's date is the one
 * the file's properties give (doc.date), if any.  Returns 0 with *p set; -1 when the document could not be read
 * (derr says why; *ie zeroed), or -2 when it was read but the import
 * refused its text (ie says why: its line is in the text read from the
 * document, which is the document itself for plain text).
 */
int doc_import(struct arena *a, const char *data, size_t len,
               enum doc_kind *kind, struct import_proposal *p,
               struct import_error *ie, struct doc_error *derr);

/* As doc_import(), and *text / *tlen (either may be NULL) get the text
 * that was parsed (doc_to_text()'s, in arena a), set whenever the
 * document was read (0 or -2): the page carries it to the save step,
 * which parses the same text again (D62). */
int doc_import_text(struct arena *a, const char *data, size_t len,
                    enum doc_kind *kind, const char **text, size_t *tlen,
                    struct import_proposal *p, struct import_error *ie,
                    struct doc_error *derr);

#endif
