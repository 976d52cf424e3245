/* docread_test.c: the document readers (docread.h) on the synthetic
 * documents in tests/docs/ (made by tests/docs/make_fixtures.py, one
 * fictional council's action plan laid out once per format): detection
 * by content, the model each reader builds (merged cells, numbering,
 * wrapped PDF cells), the refusals, and each format end to end through
 * doc_to_text() and import_parse(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "core/str.h"
#include "cli/cli.h"
#include "scrutiny/docread.h"
#include "scrutiny/docread_int.h"
#include "scrutiny/import.h"

#define DOCS CAIRN_SOURCE_ROOT "/tests/docs/"
#define ARENA (64u * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *slurp(const char *path, size_t *n)
{
	char *buf = cli_read_file(path, 64u << 20, n);
	if (buf == NULL)
		fail_msg("cannot read %s", path);
	return buf;
}

struct rd {
	struct arena *a;
	struct doc d;
	struct doc_error e;
	int rc;
};

static void read_mem(struct rd *x, const char *data, size_t n,
		     const struct doc_limits *lim)
{
	x->a = arena_new(ARENA);
	memset(&x->e, 0, sizeof(x->e));
	x->rc = doc_read(x->a, data, n, lim, &x->d, &x->e);
}

/* Reads tests/docs/name and requires success. */
static void read_doc(struct rd *x, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), DOCS "%s", name);
	size_t n;
	char *data = slurp(path, &n);
	read_mem(x, data, n, NULL);
	free(data);
	if (x->rc != 0)
		fail_msg("doc_read %s: %s", name, x->e.msg);
}

/* Reads tests/docs/name (optionally cut to cut bytes) and requires a
 * refusal whose message contains want. */
static void refused(const char *name, size_t cut,
		    const struct doc_limits *lim, const char *want)
{
	char path[512];
	snprintf(path, sizeof(path), DOCS "%s", name);
	size_t n;
	char *data = slurp(path, &n);
	struct rd x;
	read_mem(&x, data, cut && cut < n ? cut : n, lim);
	free(data);
	if (x.rc == 0)
		fail_msg("%s was read; expected a refusal", name);
	if (strstr(x.e.msg, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", name, x.e.msg, want);
	assert_int_equal(x.d.nblocks, 0);
	assert_null(x.d.blocks);
	arena_free(x.a);
}

static void refused_mem(const char *data, size_t n, const char *want)
{
	struct rd x;
	read_mem(&x, data, n, NULL);
	if (x.rc == 0)
		fail_msg("read; expected a refusal saying \"%s\"", want);
	if (strstr(x.e.msg, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", x.e.msg, want);
	arena_free(x.a);
}

static const struct doc_table *nth_table(const struct doc *d, int n)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == DOC_BLOCK_TABLE && n-- == 0)
			return &d->blocks[i].table;
	fail_msg("no table %d", n);
	return NULL;
}

/* The paragraph block whose text starts with pre. */
static const struct doc_para *para_starting(const struct doc *d,
					    const char *pre)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == DOC_BLOCK_PARA &&
		    strncmp(d->blocks[i].para.text, pre, strlen(pre)) == 0)
			return &d->blocks[i].para;
	fail_msg("no paragraph starting \"%s\"", pre);
	return NULL;
}

static const char *cell(const struct doc_table *t, size_t r, size_t c,
			size_t p)
{
	assert_true(r < t->nrows);
	assert_true(c < t->rows[r].ncells);
	const struct doc_cell *x = &t->rows[r].cells[c];
	return p < x->nparas ? x->paras[p].text : NULL;
}

/* True when any string of the model contains s. */
static bool model_has(const struct doc *d, const char *s)
{
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];
		if (b->kind == DOC_BLOCK_PARA) {
			if (strstr(b->para.text, s))
				return true;
			continue;
		}
		for (size_t r = 0; r < b->table.nrows; r++)
			for (size_t c = 0; c < b->table.rows[r].ncells; c++) {
				const struct doc_cell *x = &b->table.rows[r].cells[c];
				for (size_t p = 0; p < x->nparas; p++)
					if (strstr(x->paras[p].text, s))
						return true;
			}
	}
	return false;
}

/* Every string in the model is one line of text. */
static void model_clean(const struct doc *d)
{
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];
		if (b->kind == DOC_BLOCK_PARA) {
			assert_true(str_is_line(b->para.text,
						strlen(b->para.text)));
			assert_true(b->para.text[0] != '\0');
			continue;
		}
		for (size_t r = 0; r < b->table.nrows; r++)
			for (size_t c = 0; c < b->table.rows[r].ncells; c++) {
				const struct doc_cell *x = &b->table.rows[r].cells[c];
				for (size_t p = 0; p < x->nparas; p++)
					assert_true(str_is_line(x->paras[p].text,
						strlen(x->paras[p].text)));
			}
	}
}

static void date_is(const struct doc *d, int y, int m, int dd)
{
	assert_true(d->has_date);
	assert_int_equal(d->date.y, y);
	assert_int_equal(d->date.m, m);
	assert_int_equal(d->date.d, dd);
}

/* ------------------------------------------------------------------ */
/* Detection                                                           */

static enum doc_kind detect_file(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), DOCS "%s", name);
	size_t n;
	char *data = slurp(path, &n);
	struct doc_error e = {0};
	enum doc_kind k = doc_detect(data, n, &e);
	free(data);
	return k;
}

static enum doc_kind detect_s(const char *s)
{
	return doc_detect(s, strlen(s), NULL);
}

static void detect_by_content(void **state)
{
	(void)state;
	assert_int_equal(detect_file("plan.docx"), DOC_KIND_DOCX);
	assert_int_equal(detect_file("plan.odt"), DOC_KIND_ODT);
	assert_int_equal(detect_file("plan.html"), DOC_KIND_HTML);
	assert_int_equal(detect_file("plan.pdf"), DOC_KIND_PDF);
	/* a Word document under a PDF's name is Word */
	assert_int_equal(detect_file("renamed.pdf"), DOC_KIND_DOCX);
	assert_int_equal(detect_file("other.zip"), DOC_KIND_UNKNOWN);

	assert_int_equal(detect_s("\xEF\xBB\xBF \r\n<!DOCTYPE HTML><p>x"),
			 DOC_KIND_HTML);
	assert_int_equal(detect_s("  <TABLE border=1><tr><td>1"), DOC_KIND_HTML);
	assert_int_equal(detect_s("<!-- saved -->\n<html lang=en>"),
			 DOC_KIND_HTML);
	assert_int_equal(detect_s("<body>"), DOC_KIND_HTML);
	assert_int_equal(detect_s("%PDF-1.7\n"), DOC_KIND_PDF);
	/* text that merely mentions a tag later, or "<5 days", is text */
	assert_int_equal(detect_s("Recommendation\tResponse\n1. <table>"),
			 DOC_KIND_TEXT);
	assert_int_equal(detect_s("<5 days\tOwner"), DOC_KIND_TEXT);
	assert_int_equal(detect_s("<htmlish>"), DOC_KIND_TEXT);
	assert_int_equal(detect_s("Caf\xC3\xA9 \xE2\x80\x94 plan"),
			 DOC_KIND_TEXT);
	assert_string_equal(doc_kind_label(DOC_KIND_DOCX), "Word document");
	assert_string_equal(doc_kind_label((enum doc_kind)99), "unknown file");
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

static void refusals(void **state)
{
	(void)state;
	static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
	refused_mem(ole, sizeof(ole) - 1, "Word 97-2003 document (.doc)");
	refused_mem("\x89PNG\r\n\x1a\n\0\0", 10, "picture");
	refused_mem("{\\rtf1\\ansi hello}", 18, "Rich Text Format");
	refused_mem("\xFF\xFE" "R\0e\0", 6, "UTF-16");
	refused_mem("", 0, "empty");
	/* invalid UTF-8 (a Latin-1 e-acute) */
	refused_mem("Recommendation\tResponse\n1. Caf\xE9\tAccepted\n", 40,
		    "not UTF-8");
	refused_mem("plan\0text", 9, "not Word");
	refused("other.zip", 0, NULL, "zip archive, not a Word");
	/* a Word document cut short: the zip's directory is missing */
	refused("plan.docx", 1500, NULL, "damaged or incomplete");
	/* a part that declares an entity and a DTD is not parsed */
	refused("xxe.docx", 0, NULL, "declares a document type");
	/* a zip bomb: declared sizes over 50 MiB, refused unread */
	refused("bomb.docx", 0, NULL, "more than 50 MiB");
	/* the limits are the caller's */
	struct doc_limits small = {.max_unzipped = 4096};
	refused("plan.docx", 0, &small, "unpacks to more than");
	struct doc_limits few = {.max_entries = 3};
	refused("plan.docx", 0, &few, "more than 3 parts");
	struct doc_limits tiny = {.max_bytes = 1000};
	refused("plan.pdf", 0, &tiny, "larger than");
	struct doc_limits nopage = {.max_text = 100};
	refused("plan.pdf", 0, &nopage, "more text");
	/* a truncated PDF; a PDF with no text */
	refused("plan.pdf", 600, NULL, "PDF");
	static const char empty_pdf[] =
		"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
		">> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
	refused_mem(empty_pdf, sizeof(empty_pdf) - 1, "no text");
	/* an HTML page with nothing to read */
	refused_mem("<html><script>var x = 1;</script></html>", 40, "no text");
}

/* The XML guard itself: DOCTYPE and ENTITY anywhere are refused. */
static void xml_entities_not_expanded(void **state)
{
	(void)state;
	/* xxe.docx (refusals) declares a file entity and an internal one;
	 * here the guard on its own: any DOCTYPE or ENTITY declaration */
	assert_true(docread_xml_has_dtd("<?xml version='1.0'?><!DOCTYPE a>"
					"<a/>", 33));
	assert_true(docread_xml_has_dtd("<a><!ENTITY x 'y'></a>", 22));
	assert_false(docread_xml_has_dtd("<a>&lt;!DOCTYPE</a>", 19));
	/* a part in UTF-16, where the byte scan cannot see the DOCTYPE, is
	 * read as UTF-8 and fails; a good part parses */
	static const char u16[] =
		"<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
		"<!DOCTYPE a [<!ENTITY x \"BOOM\">]><a>&x;</a>";
	char wide[2 * sizeof(u16) + 2] = {'\xFF', '\xFE'};
	for (size_t i = 0; i + 1 < sizeof(u16); i++)
		wide[2 + 2 * i] = u16[i];
	struct doc dd = {0};
	struct doc_error de = {0};
	struct docb b;
	struct arena *ba = arena_new(1 << 20);
	docb_init(&b, ba, &dd, &de);
	assert_null(docread_xml_parse(&b, wide, 2 * sizeof(u16), "test part"));
	assert_true(docb_failed(&b));
	assert_non_null(strstr(de.msg, "test part"));
	docb_release(&b);
	docb_init(&b, ba, &dd, &de);
	xmlDocPtr ok = docread_xml_parse(&b, "<a>x</a>", 8, "test part");
	assert_non_null(ok);
	xmlFreeDoc(ok);
	docb_release(&b);
	arena_free(ba);
	struct rd x;
	/* HTML: an entity declared in the page is not substituted */
	static const char page[] =
		"<!DOCTYPE html [<!ENTITY boom \"BOOMBOOMBOOM\">]>\n"
		"<html><body><p>before &boom; after</p></body></html>";
	read_mem(&x, page, sizeof(page) - 1, NULL);
	assert_int_equal(x.rc, 0);
	assert_false(model_has(&x.d, "BOOM"));
	assert_true(model_has(&x.d, "before"));
	arena_free(x.a);
}

/* Nothing of a document reaches standard error: libxml2's encoding
 * errors (which quote bytes) and poppler's messages are silenced. */
static void nothing_logged(void **state)
{
	(void)state;
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	assert_true(saved >= 0 && tmp != NULL);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	static const char page[] =
		"<html><head><meta charset=\"ISO-2022-JP\"></head><body><p>ok "
		"\xA4\xDF\x72\x74 \x80\x96\x9B\x8B\xFF more</p></body></html>";
	struct rd x;
	read_mem(&x, page, sizeof(page) - 1, NULL);
	arena_free(x.a);
	size_t n;
	char *pdf = slurp(DOCS "plan.pdf", &n);
	for (size_t cut = 200; cut < n; cut += 700) {
		pdf[cut] ^= 0x5A;   /* damaged in places */
		read_mem(&x, pdf, n, NULL);
		arena_free(x.a);
	}
	read_mem(&x, pdf, n / 2, NULL);
	arena_free(x.a);
	free(pdf);
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	long written = ftell(tmp);
	fclose(tmp);
	assert_int_equal(written, 0);
}

/* ------------------------------------------------------------------ */
/* The models                                                          */

static void docx_model(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "plan.docx");
	model_clean(&x.d);
	assert_int_equal(x.d.kind, DOC_KIND_DOCX);
	date_is(&x.d, 2025, 3, 14);   /* dcterms:modified, not created */
	const struct doc_para *t = para_starting(&x.d, "Placement Stability");
	assert_int_equal(t->heading, 1);
	assert_int_equal(para_starting(&x.d, "Recommendations")->heading, 2);
	/* Word's numbering: lettered, a second level in roman, continued */
	assert_string_equal(para_starting(&x.d, "how often")->num, "a)");
	assert_string_equal(para_starting(&x.d, "why placements")->num, "b)");
	assert_string_equal(para_starting(&x.d, "planned moves")->num, "(i)");
	assert_string_equal(para_starting(&x.d, "what children")->num, "c)");
	assert_string_equal(para_starting(&x.d, "Date:")->num, "");

	const struct doc_table *tb = nth_table(&x.d, 0);
	assert_int_equal(tb->nrows, 6);
	/* the title row spans five columns: its cell, then four empty */
	assert_int_equal(tb->rows[0].ncells, 5);
	const char *c0 = cell(tb, 0, 0, 0);
	assert_non_null(c0);
	assert_true(strncmp(c0, "Harrowmere", 10) == 0);
	for (size_t c = 1; c < 5; c++)
		assert_int_equal(tb->rows[0].cells[c].nparas, 0);
	assert_string_equal(cell(tb, 1, 4, 0), "Timescale");
	/* recommendation 1 is numbered by Word and merged over two rows */
	assert_string_equal(tb->rows[2].cells[0].paras[0].num, "1.");
	assert_string_equal(tb->rows[4].cells[0].paras[0].num, "2.");
	assert_int_equal(tb->rows[3].ncells, 5);
	assert_int_equal(tb->rows[3].cells[0].nparas, 0);
	assert_int_equal(tb->rows[3].cells[1].nparas, 0);
	assert_string_equal(cell(tb, 3, 3, 0), "Scrutiny Officer");
	/* a cell of two paragraphs keeps them apart */
	assert_int_equal(tb->rows[4].cells[1].nparas, 2);
	assert_string_equal(cell(tb, 4, 1, 0), "Partly accepted.");
	/* tracked deletions are not read */
	assert_false(model_has(&x.d, "DELETED"));
	arena_free(x.a);
}

static void odt_model(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "plan.odt");
	model_clean(&x.d);
	assert_int_equal(x.d.kind, DOC_KIND_ODT);
	date_is(&x.d, 2025, 4, 22);   /* dc:date, not the creation date */
	assert_int_equal(para_starting(&x.d, "Placement Stability")->heading, 1);
	assert_string_equal(para_starting(&x.d, "foster carers;")->num, "a)");
	assert_string_equal(para_starting(&x.d, "children in care;")->num, "b)");
	assert_string_equal(para_starting(&x.d, "living out")->num, "(i)");
	assert_string_equal(para_starting(&x.d, "social workers")->num, "c)");

	const struct doc_table *tb = nth_table(&x.d, 0);
	/* header, 4 action rows, the theme row; the 1000 repeated empty
	 * rows LibreOffice writes at the end are not rows */
	assert_int_equal(tb->nrows, 6);
	assert_string_equal(cell(tb, 0, 4, 0), "Lead officer");
	/* recommendation 1 spans two rows: covered cells are empty */
	assert_int_equal(tb->rows[2].ncells, 6);
	for (size_t c = 0; c < 3; c++)
		assert_int_equal(tb->rows[2].cells[c].nparas, 0);
	assert_string_equal(cell(tb, 2, 4, 0), "Scrutiny Officer");
	/* the theme row spans six columns */
	assert_string_equal(cell(tb, 4, 0, 0), "Theme: reporting to the panel");
	assert_int_equal(tb->rows[4].ncells, 6);
	for (size_t c = 1; c < 6; c++)
		assert_int_equal(tb->rows[4].cells[c].nparas, 0);
	assert_int_equal(tb->rows[3].cells[2].nparas, 2);
	arena_free(x.a);
}

static void html_model(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "plan.html");
	model_clean(&x.d);
	assert_int_equal(x.d.kind, DOC_KIND_HTML);
	assert_false(x.d.has_date);
	/* script, style, header, nav and footer are not read */
	assert_false(model_has(&x.d, "this script"));
	assert_false(model_has(&x.d, "padding"));
	assert_false(model_has(&x.d, "Councillors"));
	assert_false(model_has(&x.d, "Committees"));
	assert_false(model_has(&x.d, "Copyright"));
	assert_false(model_has(&x.d, "Browse meetings"));   /* role */
	assert_int_equal(para_starting(&x.d, "Placement Stability")->heading, 1);
	/* the layout table around the page is not a table; the plan is */
	const struct doc_table *tb = nth_table(&x.d, 0);
	assert_string_equal(cell(tb, 0, 1, 0), "Recommendation");
	assert_int_equal(tb->nrows, 6);
	/* rowspan: the covered cells are empty, the columns line up */
	assert_int_equal(tb->rows[2].ncells, 6);
	for (size_t c = 0; c < 3; c++)
		assert_int_equal(tb->rows[2].cells[c].nparas, 0);
	assert_string_equal(cell(tb, 2, 3, 0),
			    "Report progress on the strategy to the panel "
			    "every six months.");
	/* <br> in a cell is a paragraph break */
	assert_int_equal(tb->rows[3].cells[2].nparas, 2);
	assert_string_equal(cell(tb, 3, 2, 1), "Link workers will be named "
			    "for children placed out of area first.");
	/* colspan: the theme row's cell, then five empty cells */
	assert_int_equal(tb->rows[4].ncells, 6);
	assert_int_equal(tb->rows[4].cells[5].nparas, 0);
	/* a small table inside a cell is that cell's paragraphs */
	assert_int_equal(tb->rows[5].cells[2].nparas, 3);
	assert_string_equal(cell(tb, 5, 2, 0), "Accepted.");
	assert_string_equal(cell(tb, 5, 2, 1), "Cost");
	assert_string_equal(cell(tb, 5, 2, 2), "Nil");
	assert_string_equal(cell(tb, 5, 3, 0), "Add unplanned endings to the "
			    "quarterly performance report.");
	/* <ol type="a">, and an item's value */
	assert_string_equal(para_starting(&x.d, "a briefing")->num, "a)");
	assert_string_equal(para_starting(&x.d, "a visit")->num, "c)");
	arena_free(x.a);
}

static void pdf_model(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "plan.pdf");
	model_clean(&x.d);
	assert_int_equal(x.d.kind, DOC_KIND_PDF);
	date_is(&x.d, 2025, 3, 14);
	/* the larger type of the title makes it a heading */
	assert_true(para_starting(&x.d, "Placement Stability")->heading > 0);
	/* the intro wraps over two lines: one paragraph */
	para_starting(&x.d, "Harrowmere Borough Council, Children");
	assert_true(model_has(&x.d, "recommendations and the service's"));
	const struct doc_table *tb = nth_table(&x.d, 0);
	assert_int_equal(tb->nrows, 5);
	for (size_t r = 0; r < tb->nrows; r++)
		assert_int_equal(tb->rows[r].ncells, 5);
	assert_string_equal(cell(tb, 0, 0, 0), "Recommendation");
	assert_string_equal(cell(tb, 0, 4, 0), "Timescale");
	/* cells that wrap onto several lines are one cell */
	assert_string_equal(cell(tb, 1, 0, 0),
			    "1. That the service publishes a placement "
			    "sufficiency strategy for children in care by the "
			    "end of the year.");
	assert_string_equal(cell(tb, 1, 3, 0), "Head of Corporate Parenting");
	/* the second action of recommendation 1: first two columns empty */
	assert_int_equal(tb->rows[2].cells[0].nparas, 0);
	assert_int_equal(tb->rows[2].cells[1].nparas, 0);
	assert_string_equal(cell(tb, 2, 4, 0), "September 2025");
	/* the paragraph after the table is a paragraph */
	para_starting(&x.d, "Contact: Scrutiny Officer");
	arena_free(x.a);
}

/* ------------------------------------------------------------------ */
/* doc_to_text                                                         */

static void text_rendering(void **state)
{
	(void)state;
	struct arena *a = arena_new(ARENA);
	struct doc_para cp[2] = {
		{.text = "Accepted <in part> & R&D", .num = ""},
		{.text = "Funded from <b> the grant &amp; more", .num = "a)"},
	};
	struct doc_cell cells[2] = {{cp, 1, false}, {cp, 2, false}};
	struct doc_row row = {cells, 2};
	struct doc_block blocks[3] = {
		{.kind = DOC_BLOCK_PARA,
		 .para = {.text = "Recommendations", .num = "", .heading = 2}},
		{.kind = DOC_BLOCK_PARA,
		 .para = {.text = "That it is done.", .num = "1.", .heading = 0}},
		{.kind = DOC_BLOCK_TABLE, .table = {&row, 1}},
	};
	struct doc d = {.kind = DOC_KIND_DOCX, .blocks = blocks, .nblocks = 3};
	char *t;
	size_t n;
	struct doc_error e;
	assert_int_equal(doc_to_text(a, &d, 0, &t, &n, &e), 0);
	assert_string_equal(t,
		"## Recommendations\n\n1. That it is done.\n\n"
		"Accepted &lt;in part> & R&D\t"
		"<p>Accepted &lt;in part> & R&D</p>"
		"<p>a) Funded from &lt;b> the grant &amp;amp; more</p>\n");
	assert_int_equal(n, strlen(t));
	/* trailing cells: covered ones are left out, empty ones kept up to
	 * the table's last column with text */
	struct doc_para one = {.text = "x", .num = ""};
	struct doc_cell c3[4] = {{&one, 1, false}, {NULL, 0, true},
				 {NULL, 0, true}, {NULL, 0, false}};
	struct doc_cell d3[4] = {{&one, 1, false}, {NULL, 0, false},
				 {&one, 1, false}, {NULL, 0, false}};
	struct doc_cell e3[4] = {{&one, 1, false}, {NULL, 0, false},
				 {NULL, 0, false}, {NULL, 0, false}};
	struct doc_row rows3[3] = {{c3, 4}, {d3, 4}, {e3, 4}};
	struct doc_block tb3 = {.kind = DOC_BLOCK_TABLE,
				.table = {rows3, 3}};
	struct doc d3doc = {.kind = DOC_KIND_PDF, .blocks = &tb3,
			    .nblocks = 1};
	assert_int_equal(doc_to_text(a, &d3doc, 0, &t, &n, &e), 0);
	assert_string_equal(t, "x\nx\t\tx\nx\t\t\n");
	/* over the caller's maximum */
	assert_int_equal(doc_to_text(a, &d, 20, &t, &n, &e), -1);
	assert_non_null(strstr(e.msg, "larger than"));
	assert_null(t);
	arena_free(a);

	/* text is given back exactly as it was (without its BOM) */
	static const char doc[] = "\xEF\xBB\xBFRecommendation\tResponse\r\n"
				  "1. That\tAccepted\r\n";
	struct rd x;
	read_mem(&x, doc, sizeof(doc) - 1, NULL);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.d.kind, DOC_KIND_TEXT);
	assert_int_equal(doc_to_text(x.a, &x.d, 0, &t, &n, &e), 0);
	assert_int_equal(n, sizeof(doc) - 4);
	assert_memory_equal(t, doc + 3, n);
	/* and its model has the table */
	assert_string_equal(cell(nth_table(&x.d, 0), 1, 1, 0), "Accepted");
	arena_free(x.a);

	/* a line longer than a paragraph may be: the model is cut, the
	 * text is not (import.c decides about it, as before) */
	size_t big = 300u * 1024;
	char *line = malloc(big);
	assert_non_null(line);
	memset(line, 'x', big);
	read_mem(&x, line, big, NULL);
	assert_int_equal(x.rc, 0);
	assert_int_equal(doc_to_text(x.a, &x.d, 0, &t, &n, &e), 0);
	assert_int_equal(n, big);
	assert_true(strlen(x.d.blocks[0].para.text) < big);
	arena_free(x.a);
	free(line);
}

/* ------------------------------------------------------------------ */
/* End to end: each format through import_parse()                      */

static void import_fixture(const char *name, const char *owner_title)
{
	struct rd x;
	read_doc(&x, name);
	char *t;
	size_t n;
	struct doc_error e;
	assert_int_equal(doc_to_text(x.a, &x.d, 0, &t, &n, &e), 0);
	struct import_proposal p;
	struct import_error ie;
	if (import_parse(x.a, t, n, &p, &ie) != 0)
		fail_msg("%s: import_parse: %s (line %d)", name, ie.msg, ie.line);
	if (p.nrecs != 3)
		fail_msg("%s: %zu recommendations, not 3; text:\n%s", name,
			 p.nrecs, t);
	const char *refs[] = {"1", "2", "3"};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(p.recs[i].ref, refs[i]);
		if (strncmp(p.recs[i].text, "That ", 5) != 0)
			fail_msg("%s: recommendation %zu reads \"%.60s\"", name,
				 i + 1, p.recs[i].text);
	}
	assert_non_null(strstr(p.recs[0].text, "sufficiency strategy"));
	assert_int_equal(p.recs[0].nactions, 2);
	assert_int_equal(p.recs[1].nactions, 1);
	assert_int_equal(p.recs[2].nactions, 1);
	assert_string_equal(p.recs[0].actions[0].owner,
			    "Head of Corporate Parenting");
	assert_string_equal(p.recs[0].actions[1].owner, "Scrutiny Officer");
	assert_string_equal(p.recs[1].actions[0].owner, owner_title);
	assert_non_null(strstr(p.recs[1].actions[0].text,
			       "Recruit two additional link workers"));
	assert_string_equal(p.recs[2].actions[0].timescale_text, "June 2025");
	assert_int_equal(p.recs[0].response_kind, IMPORT_RESP_ACCEPTED);
	assert_int_equal(p.recs[1].response_kind, IMPORT_RESP_PARTLY);
	arena_free(x.a);
}

/* A document whose text states no date is dated by its properties
 * (core.xml's dcterms:modified); one that states a date keeps it. */
static void date_from_properties(void **state)
{
	(void)state;
	const char *names[] = {"undated.docx", "plan.odt"};
	const int want[][3] = {{2025, 3, 14}, {2025, 4, 22}};
	for (size_t i = 0; i < 2; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s%s", DOCS, names[i]);
		size_t n;
		char *data = slurp(path, &n);
		struct arena *a = arena_new(ARENA);
		struct import_proposal p;
		struct import_error ie;
		struct doc_error de;
		assert_int_equal(doc_import(a, data, n, NULL, &p, &ie, &de), 0);
		assert_int_equal(p.nrecs, 3);
		assert_int_equal(p.date.y, want[i][0]);
		assert_int_equal(p.date.m, want[i][1]);
		assert_int_equal(p.date.d, want[i][2]);
		arena_free(a);
		free(data);
	}
}

static void end_to_end_docx(void **state)
{
	(void)state;
	import_fixture("plan.docx", "Placements Team Manager");
	import_fixture("renamed.pdf", "Placements Team Manager");
}

static void end_to_end_odt(void **state)
{
	(void)state;
	import_fixture("plan.odt", "Placements Team Manager");
}

static void end_to_end_html(void **state)
{
	(void)state;
	import_fixture("plan.html", "Placements Team Manager");
}

static void end_to_end_pdf(void **state)
{
	(void)state;
	import_fixture("plan.pdf", "Placements Team Manager");
}

/* Six recommendations on short pages: the table breaks twice, the
 * header is repeated, a footer comes between, and the rows of
 * recommendations 2 and 5 are split by the breaks. */
static void end_to_end_pdf_pages(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "pages.pdf");
	/* the split row's second part is still a row: empty cells kept */
	size_t tables = 0;
	for (size_t i = 0; i < x.d.nblocks; i++)
		tables += x.d.blocks[i].kind == DOC_BLOCK_TABLE;
	assert_int_equal(tables, 3);
	const struct doc_table *t3 = nth_table(&x.d, 2);
	assert_string_equal(cell(t3, 1, 0, 0), "move.");
	assert_int_equal(t3->rows[1].ncells, 5);
	char *t;
	size_t n;
	struct doc_error e;
	assert_int_equal(doc_to_text(x.a, &x.d, 0, &t, &n, &e), 0);
	assert_non_null(strstr(t, "\nmove.\t\t\t\t\n"));
	struct import_proposal p;
	struct import_error ie;
	assert_int_equal(import_parse(x.a, t, n, &p, &ie), 0);
	assert_int_equal(p.nrecs, 6);
	for (size_t i = 0; i < 6; i++) {
		char ref[4];
		snprintf(ref, sizeof(ref), "%zu", i + 1);
		assert_string_equal(p.recs[i].ref, ref);
		assert_true(p.recs[i].nactions >= 1);
	}
	assert_string_equal(p.recs[1].text, "That every child in care has a "
			    "named link worker in the placements team.");
	assert_string_equal(p.recs[1].actions[0].owner,
			    "Placements Team Manager");
	assert_string_equal(p.recs[1].actions[0].timescale_text,
			    "September 2025");
	assert_string_equal(p.recs[4].text, "That children moving placement "
			    "are told why, in words they understand, before "
			    "the move.");
	assert_string_equal(p.recs[5].actions[0].owner, "Scrutiny Officer");
	/* the page footers are unplaced, not lost */
	size_t footers = 0;
	for (size_t i = 0; i < p.nunplaced; i++)
		footers += strncmp(p.unplaced[i].text, "Page ", 5) == 0;
	assert_int_equal(footers, 3);
	arena_free(x.a);
}

/* The same without the repeated header; on the last page the table has
 * no text in the Response column and one row of wrapped cells: it keeps
 * the columns and the row spacing of the table it continues. */
static void end_to_end_pdf_no_header(void **state)
{
	(void)state;
	struct rd x;
	read_doc(&x, "nohead.pdf");
	const struct doc_table *t3 = nth_table(&x.d, 2);
	assert_int_equal(t3->nrows, 1);
	assert_int_equal(t3->rows[0].ncells, 5);
	assert_string_equal(cell(t3, 0, 0, 0), "6. That the panel revisits "
			    "placement stability in a year.");
	assert_int_equal(t3->rows[0].cells[1].nparas, 0);
	assert_string_equal(cell(t3, 0, 3, 0), "Scrutiny Officer");
	char *t;
	size_t n;
	struct doc_error e;
	assert_int_equal(doc_to_text(x.a, &x.d, 0, &t, &n, &e), 0);
	struct import_proposal p;
	struct import_error ie;
	assert_int_equal(import_parse(x.a, t, n, &p, &ie), 0);
	assert_int_equal(p.nrecs, 6);
	const struct import_rec *r = &p.recs[5];
	assert_string_equal(r->ref, "6");
	assert_string_equal(r->response, "");
	assert_int_equal(r->nactions, 1);
	assert_string_equal(r->actions[0].owner, "Scrutiny Officer");
	assert_string_equal(r->actions[0].timescale_text, "March 2026");
	arena_free(x.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detect_by_content),
		cmocka_unit_test(refusals),
		cmocka_unit_test(xml_entities_not_expanded),
		cmocka_unit_test(nothing_logged),
		cmocka_unit_test(docx_model),
		cmocka_unit_test(odt_model),
		cmocka_unit_test(html_model),
		cmocka_unit_test(pdf_model),
		cmocka_unit_test(text_rendering),
		cmocka_unit_test(end_to_end_docx),
		cmocka_unit_test(date_from_properties),
		cmocka_unit_test(end_to_end_odt),
		cmocka_unit_test(end_to_end_html),
		cmocka_unit_test(end_to_end_pdf),
		cmocka_unit_test(end_to_end_pdf_pages),
		cmocka_unit_test(end_to_end_pdf_no_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
