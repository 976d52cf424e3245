/*
 * docread_html.c: a web page (a ModernGov or CMIS page saved from the
 * browser) read with libxml2's HTML parser, from memory, without the
 * network.
 *
 * Read: paragraphs (p, div, li, headings h1-h6 with their level, dt,
 * dd, blockquote, pre, address, caption), ordered lists with their
 * numbers (type 1/a/A/i/I, start, an item's value), tables (tr in
 * thead/tbody/tfoot, td and th, colspan and rowspan: the cells a span
 * covers are empty cells so that the columns line up), <br> as a
 * paragraph break (in a cell: the cell's next paragraph).  A table that
 * holds a table with at least as many rows is layout (ModernGov puts the
 * page in one): its content is read as flow; a smaller table inside a
 * cell is paragraphs of that cell.  Not read: script, style, noscript, template, head,
 * nav, header, footer, aside, form controls, iframes, svg, anything
 * with the hidden attribute, and the landmarks role="navigation",
 * "banner", "contentinfo" and "search".
 *
 * Encoding: a page that is valid UTF-8 is read as UTF-8; otherwise
 * libxml2 uses the page's own <meta charset> (else Latin-1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "scrutiny/docread_int.h"

#define DH_ROWSPAN_MAX 64   /* rows one cell may cover */
#define DH_COLS_MAX 64      /* columns tracked for rowspans */

struct dh {
	struct docb *b;
};

static bool dh_skip(const xmlNode *n)
{
	static const char *const skip[] = {
		"script", "style", "noscript", "template", "head", "nav",
		"header", "footer", "aside", "select", "button", "input",
		"textarea", "iframe", "svg", "object", "embed", "map", NULL,
	};
	for (int i = 0; skip[i]; i++)
		if (docread_is(n, skip[i]))
			return true;
	if (docread_attr(n, "hidden") != NULL)
		return true;
	/* the landmarks a page's chrome declares (role="navigation", ...) */
	const char *role = docread_attr(n, "role");
	return role && (strcmp(role, "navigation") == 0 ||
			strcmp(role, "banner") == 0 ||
			strcmp(role, "contentinfo") == 0 ||
			strcmp(role, "search") == 0);
}

static bool dh_block_tag(const xmlNode *n)
{
	static const char *const blocks[] = {
		"p", "div", "li", "dt", "dd", "blockquote", "pre", "address",
		"section", "article", "main", "caption", "ul", "ol", "dl",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "center", "fieldset",
		"figure", "figcaption", "body", "form", NULL,
	};
	for (int i = 0; blocks[i]; i++)
		if (docread_is(n, blocks[i]))
			return true;
	return false;
}

static int dh_heading(const xmlNode *n)
{
	const char *nm = (const char *)n->name;
	if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && nm[2] == '\0')
		return nm[1] - '0';
	return 0;
}

static int dh_int(const char *s, int dflt, int lo, int hi)
{
	if (s == NULL)
		return dflt;
	char *e;
	long v = strtol(s, &e, 10);
	if (e == s)
		return dflt;
	return v < lo ? lo : v > hi ? hi : (int)v;
}

static void dh_flow(struct dh *h, const xmlNode *n, int depth);

static void dh_list(struct dh *h, const xmlNode *list, int depth)
{
	bool ordered = docread_is(list, "ol");
	const char *type = docread_attr(list, "type");
	char style = type && (type[0] == 'a' || type[0] == 'A' ||
			      type[0] == 'i' || type[0] == 'I')
			     ? type[0]
			     : '1';
	int n = dh_int(docread_attr(list, "start"), 1, -9999, 99999) - 1;
	docb_end_para(h->b);
	for (const xmlNode *c = list->children; c && !docb_failed(h->b);
	     c = c->next) {
		if (!docread_is(c, "li")) {
			if (c->type == XML_ELEMENT_NODE && !dh_skip(c))
				dh_flow(h, c, depth + 1);
			continue;
		}
		n = dh_int(docread_attr(c, "value"), n + 1, -9999, 99999);
		char num[DOCB_NUM_MAX] = "";
		if (ordered) {
			char cnt[16];
			docread_counter(n, style, cnt);
			snprintf(num, sizeof(num), "%s%s", cnt,
				 style == '1' ? "." : ")");
		}
		docb_end_para(h->b);
		docb_para_props(h->b, 0, num);
		dh_flow(h, c, depth + 1);
		docb_end_para(h->b);
	}
}

/* Rows of a real table, with colspan and rowspan as empty cells. */
static void dh_rows(struct dh *h, const xmlNode *n, int *pending, int depth)
{
	if (depth > DOCB_DEPTH_MAX)
		return;
	for (const xmlNode *tr = n->children; tr && !docb_failed(h->b);
	     tr = tr->next) {
		if (docread_is(tr, "thead") || docread_is(tr, "tbody") ||
		    docread_is(tr, "tfoot")) {
			dh_rows(h, tr, pending, depth + 1);
			continue;
		}
		if (docread_is(tr, "caption")) {
			continue;   /* read before the table */
		}
		if (!docread_is(tr, "tr"))
			continue;
		docb_row_begin(h->b);
		int col = 0;
		for (const xmlNode *tc = tr->children; tc && !docb_failed(h->b);
		     tc = tc->next) {
			if (!docread_is(tc, "td") && !docread_is(tc, "th"))
				continue;
			/* columns still covered by a rowspan above */
			while (col < DH_COLS_MAX && pending[col] > 0) {
				pending[col]--;
				docb_empty_cells(h->b, 1);
				col++;
			}
			int cs = dh_int(docread_attr(tc, "colspan"), 1, 1,
					DOCB_SPAN_MAX);
			int rs = dh_int(docread_attr(tc, "rowspan"), 1, 1,
					DH_ROWSPAN_MAX);
			docb_cell_begin(h->b);
			dh_flow(h, tc, depth + 1);
			docb_cell_end(h->b);
			docb_empty_cells(h->b, cs - 1);
			for (int k = 0; k < cs; k++, col++)
				if (col < DH_COLS_MAX && rs > 1)
					pending[col] = rs - 1;
		}
		while (col < DH_COLS_MAX) {
			/* trailing columns covered from above */
			bool more = false;
			for (int k = col; k < DH_COLS_MAX; k++)
				more |= pending[k] > 0;
			if (!more)
				break;
			if (pending[col] > 0)
				pending[col]--;
			docb_empty_cells(h->b, 1);
			col++;
		}
		docb_row_end(h->b);
	}
}

static void dh_caption(struct dh *h, const xmlNode *t, int depth)
{
	for (const xmlNode *c = t->children; c; c = c->next)
		if (docread_is(c, "caption")) {
			docb_end_para(h->b);
			dh_flow(h, c, depth + 1);
			docb_end_para(h->b);
		}
}

static void dh_table(struct dh *h, const xmlNode *t, int depth)
{
	dh_caption(h, t, depth);
	static const char *const groups[] = {"thead", "tbody", "tfoot", NULL};
	if (docread_layout_table(t, "table", "tr", groups)) {
		/* layout: rows and cells are only boxes around content */
		dh_flow(h, t, depth + 1);
		return;
	}
	int pending[DH_COLS_MAX] = {0};
	docb_table_begin(h->b);
	dh_rows(h, t, pending, depth + 1);
	docb_table_end(h->b);
}

static void dh_flow(struct dh *h, const xmlNode *n, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(h->b, "The web page is nested too deeply to read.");
		return;
	}
	for (const xmlNode *c = n->children; c && !docb_failed(h->b);
	     c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				docb_text(h->b, (const char *)c->content,
					  strlen((const char *)c->content));
			continue;
		}
		if (c->type != XML_ELEMENT_NODE || dh_skip(c) ||
		    docread_is(c, "caption"))
			continue;
		if (docread_is(c, "br")) {
			docb_end_para(h->b);
		} else if (docread_is(c, "table")) {
			dh_table(h, c, depth + 1);
		} else if (docread_is(c, "ol") || docread_is(c, "ul")) {
			dh_list(h, c, depth + 1);
		} else if (dh_heading(c)) {
			docb_end_para(h->b);
			docb_para_props(h->b, dh_heading(c), NULL);
			dh_flow(h, c, depth + 1);
			docb_end_para(h->b);
		} else if (dh_block_tag(c) || docread_is(c, "tr") ||
			   docread_is(c, "td") || docread_is(c, "th")) {
			/* keep a list item's number on its first paragraph */
			if (!docb_para_blank(h->b) || !h->b->num[0])
				docb_end_para(h->b);
			dh_flow(h, c, depth + 1);
			docb_end_para(h->b);
		} else {
			dh_flow(h, c, depth + 1);   /* inline: span, a, b ... */
		}
	}
}

int docread_html(struct docb *b, const char *data, size_t len)
{
	if (len > (size_t)INT32_MAX) {
		docb_fail(b, "The web page is too large to read.");
		return -1;
	}
	/* valid UTF-8 is read as UTF-8 whatever the page declares */
	bool utf8 = docread_utf8_valid(data, len) == len;
	struct docread_xml_errs save;
	docread_xml_mute(&save);
	htmlDocPtr x = htmlReadMemory(data, (int)len, NULL,
				      utf8 ? "UTF-8" : NULL,
				      HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				      HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	docread_xml_unmute(&save);
	if (x == NULL) {
		docb_fail(b, "The web page could not be read.");
		return -1;
	}
	struct dh h = {.b = b};
	const xmlNode *root = xmlDocGetRootElement(x);
	if (root)
		dh_flow(&h, (const xmlNode *)x, 0);
	xmlFreeDoc(x);
	return docb_failed(b) ? -1 : 0;
}
