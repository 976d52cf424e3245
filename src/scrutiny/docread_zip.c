/*
 * docread_zip.c: Word (.docx) and OpenDocument text (.odt), both zips of
 * XML parts, read from memory with libzip and libxml2.
 *
 * Zip limits (docread.h, Safety): the entry count, and the total
 * uncompressed size both as the directory declares it and as actually
 * inflated (a part that inflates beyond its declared size, or beyond
 * what is left of the total, is refused), so a zip bomb stops at the
 * limit without being inflated.  Only the parts named below are read.
 *
 * Word: word/document.xml's body (paragraphs w:p, tables w:tbl),
 * word/styles.xml for heading levels (a style named "heading N" or with
 * an outline level), word/numbering.xml for list numbers (the level's
 * format and text, "%1.%2)"), docProps/core.xml for the date.  Merged
 * cells: w:gridSpan = N gives the cell and N-1 empty cells; a
 * w:vMerge continuation is an empty cell; w:gridBefore gives empty
 * cells.  Deleted tracked changes (w:del) are not read; inserted ones
 * are.  Not read: text boxes and drawings, headers and footers,
 * footnotes and comments.
 *
 * OpenDocument: content.xml's office:text (text:p, text:h with its
 * outline level, text:list with the list style's number format, prefix,
 * suffix, start value and levels shown, tables), list styles from
 * content.xml and styles.xml, meta.xml for the date.  Merged cells: a
 * cell spanning columns or rows (number-columns-spanned,
 * number-rows-spanned) is followed, in ODF, by a
 * table:covered-table-cell for each position it covers: each is an
 * empty cell.  Repeated cells and rows are cut to a few (empty ones to
 * DOCB_SPAN_MAX cells; empty rows are dropped).  Not read: frames and text boxes, notes,
 * annotations, the table of contents (it repeats the headings).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <zip.h>

#include "scrutiny/docread_int.h"

#define DZ_NUMS_MAX 2048     /* list definitions kept */
#define DZ_LEVELS 10         /* list levels (Word 9, ODF 10) */
#define DZ_REPEAT_MAX 8      /* repeats of a non-empty ODF cell or row */

/* ------------------------------------------------------------------ */
/* The zip                                                             */

struct dz {
	zip_t *z;
	size_t left;          /* uncompressed bytes still allowed */
};

static void dz_close(struct dz *z)
{
	if (z->z)
		zip_discard(z->z);
	z->z = NULL;
}

/* Opens data as a zip and checks the entry count and declared total.
 * Returns 0, or -1 with msg set. */
static int dz_open(const char *data, size_t len, size_t max_entries,
		   size_t max_unzipped, struct dz *out, char *msg,
		   size_t msgsz)
{
	memset(out, 0, sizeof(*out));
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		snprintf(msg, msgsz, "The file could not be read.");
		return -1;
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (z == NULL) {
		zip_source_free(src);
		snprintf(msg, msgsz, "The file is damaged or incomplete: it "
			 "starts like a Word or OpenDocument file (a zip "
			 "archive) but its contents cannot be opened. Save it "
			 "again and try again.");
		return -1;
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	if (n < 0 || (size_t)n > max_entries) {
		zip_discard(z);
		snprintf(msg, msgsz, "The file holds more than %zu parts, too "
			 "many for a document; it was not read.", max_entries);
		return -1;
	}
	uint64_t total = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0)
			continue;
		if (st.valid & ZIP_STAT_SIZE)
			total += st.size;
		if (total > max_unzipped) {
			zip_discard(z);
			snprintf(msg, msgsz, "The file unpacks to more than %zu "
				 "MiB, too large for a document; it was not "
				 "read.", max_unzipped / (1024 * 1024));
			return -1;
		}
	}
	out->z = z;
	out->left = max_unzipped;
	return 0;
}

/* Reads the entry called name into a malloc'd NUL-terminated buffer.
 * Returns 1 (read), 0 (no such entry) or -1 (failed, b failed). */
static int dz_read(struct docb *b, struct dz *z, const char *name,
		   char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	zip_int64_t idx = zip_name_locate(z->z, name, 0);
	if (idx < 0)
		return 0;
	zip_stat_t st;
	if (zip_stat_index(z->z, (zip_uint64_t)idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		docb_fail(b, "The file is damaged: a part of it cannot be read.");
		return -1;
	}
	if (st.size > z->left) {
		docb_fail(b, "The file unpacks to more than the limit; it was "
			  "not read.");
		return -1;
	}
	zip_file_t *f = zip_fopen_index(z->z, (zip_uint64_t)idx, 0);
	if (f == NULL) {
		docb_fail(b, "The file is damaged or encrypted: a part of it "
			  "cannot be opened.");
		return -1;
	}
	size_t want = (size_t)st.size;
	char *buf = malloc(want + 2);
	if (buf == NULL) {
		zip_fclose(f);
		docb_fail(b, "The document is too large to read.");
		return -1;
	}
	size_t got = 0;
	for (;;) {
		/* read one byte more than declared: a part that inflates
		 * beyond its declared size is refused */
		zip_int64_t r = zip_fread(f, buf + got, want + 1 - got);
		if (r < 0) {
			free(buf);
			zip_fclose(f);
			docb_fail(b, "The file is damaged: a part of it does not "
				  "unpack.");
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got > want) {
			free(buf);
			zip_fclose(f);
			docb_fail(b, "The file is damaged: a part of it unpacks "
				  "to more than it declares.");
			return -1;
		}
	}
	zip_fclose(f);
	z->left -= got;
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 1;
}

/* Reads and parses the entry as XML: 1, 0 (absent) or -1. */
static int dz_xml(struct docb *b, struct dz *z, const char *name,
		  const char *what, xmlDocPtr *out)
{
	char *buf;
	size_t n;
	*out = NULL;
	int rc = dz_read(b, z, name, &buf, &n);
	if (rc <= 0)
		return rc;
	*out = docread_xml_parse(b, buf, n, what);
	free(buf);
	return *out ? 1 : -1;
}

enum doc_kind docread_zip_kind(const char *data, size_t len,
			       struct doc_error *err)
{
	char msg[sizeof(err->msg)];
	struct dz z;
	if (dz_open(data, len, DOC_MAX_ENTRIES, DOC_MAX_UNZIPPED, &z, msg,
		    sizeof(msg)) != 0) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s", msg);
		return DOC_KIND_UNKNOWN;
	}
	enum doc_kind k = DOC_KIND_UNKNOWN;
	const char *why = "This is a zip archive, not a Word or OpenDocument "
			  "document. Upload the action plan itself (.docx, "
			  ".odt or PDF).";
	bool ct = zip_name_locate(z.z, "[Content_Types].xml", 0) >= 0;
	zip_int64_t mi = zip_name_locate(z.z, "mimetype", 0);
	if (ct && zip_name_locate(z.z, "word/document.xml", 0) >= 0) {
		k = DOC_KIND_DOCX;
	} else if (ct && zip_name_locate(z.z, "xl/workbook.xml", 0) >= 0) {
		why = "This is an Excel workbook. Save the action plan as a "
		      "Word document or PDF and try again.";
	} else if (ct && zip_name_locate(z.z, "ppt/presentation.xml", 0) >= 0) {
		why = "This is a PowerPoint presentation. Save the action plan "
		      "as a Word document or PDF and try again.";
	} else if (mi >= 0) {
		char buf[80] = {0};
		zip_file_t *f = zip_fopen_index(z.z, (zip_uint64_t)mi, 0);
		if (f) {
			zip_int64_t r = zip_fread(f, buf, sizeof(buf) - 1);
			buf[r > 0 ? r : 0] = '\0';
			zip_fclose(f);
		}
		if (strcmp(buf, "application/vnd.oasis.opendocument.text") == 0)
			k = DOC_KIND_ODT;
		else if (strncmp(buf, "application/vnd.oasis.opendocument.", 35)
			 == 0)
			why = "This is an OpenDocument spreadsheet, presentation "
			      "or drawing, not a text document. Save the action "
			      "plan as .odt, .docx or PDF and try again.";
	}
	dz_close(&z);
	if (k == DOC_KIND_UNKNOWN && err)
		snprintf(err->msg, sizeof(err->msg), "%s", why);
	return k;
}

/* ------------------------------------------------------------------ */
/* Shared XML walking                                                  */

static int dz_int(const char *s, int dflt, int lo, int hi)
{
	if (s == NULL || *s == '\0')
		return dflt;
	char *e;
	long v = strtol(s, &e, 10);
	if (*e != '\0' && *e != ' ')
		return dflt;
	return v < lo ? lo : v > hi ? hi : (int)v;
}

/* The first descendant element called name (depth-first), or NULL. */
static const xmlNode *dz_find(const xmlNode *n, const char *name, int depth)
{
	if (n == NULL || depth > DOCB_DEPTH_MAX)
		return NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docread_is(c, name))
			return c;
		const xmlNode *f = dz_find(c, name, depth + 1);
		if (f)
			return f;
	}
	return NULL;
}

/* The element child called name, or NULL. */
static const xmlNode *dz_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (docread_is(c, name))
			return c;
	return NULL;
}

static void dz_meta_date(struct doc *d, xmlDocPtr x, const char *modified,
			 const char *created)
{
	const xmlNode *root = xmlDocGetRootElement(x);
	const char *names[] = {modified, created};
	for (int i = 0; i < 2 && root; i++) {
		const xmlNode *n = dz_find(root, names[i], 0);
		if (n == NULL || n->children == NULL ||
		    n->children->type != XML_TEXT_NODE)
			continue;
		struct cal_date dt;
		if (docread_iso_date((const char *)n->children->content, &dt)) {
			d->date = dt;
			d->has_date = true;
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Word                                                                */

struct wlvl {
	int start;
	char fmt;             /* '1', 'a', 'A', 'i', 'I'; 'b' bullet; 0 none */
	char text[DOCB_NUM_MAX];
};

struct wabs {
	int id;
	struct wlvl lvl[DZ_LEVELS];
};

struct wnum {
	int id;
	int abs;              /* index into abs[], -1 when unknown */
	int start[DZ_LEVELS]; /* startOverride, 0 when none */
	int cnt[DZ_LEVELS];
};

struct wstyle {
	char id[64];
	int heading;
	int num_id, ilvl;     /* numbering from the style, 0 when none */
};

struct wx {
	struct docb *b;
	struct wabs *abs;
	int nabs;
	struct wnum *nums;
	int nnums;
	struct wstyle *styles;
	int nstyles;
};

static const char *w_val(const xmlNode *n)
{
	return docread_attr(n, "val");
}

static char w_fmt(const char *f)
{
	if (f == NULL || strcmp(f, "decimal") == 0 ||
	    strcmp(f, "decimalZero") == 0)
		return '1';
	if (strcmp(f, "lowerLetter") == 0)
		return 'a';
	if (strcmp(f, "upperLetter") == 0)
		return 'A';
	if (strcmp(f, "lowerRoman") == 0)
		return 'i';
	if (strcmp(f, "upperRoman") == 0)
		return 'I';
	if (strcmp(f, "bullet") == 0)
		return 'b';
	if (strcmp(f, "none") == 0)
		return 0;
	return '1';
}

static void w_numbering(struct wx *w, xmlDocPtr x)
{
	const xmlNode *root = xmlDocGetRootElement(x);
	int nabs = 0, nnums = 0;
	for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
		nabs += docread_is(c, "abstractNum");
		nnums += docread_is(c, "num");
	}
	nabs = nabs > DZ_NUMS_MAX ? DZ_NUMS_MAX : nabs;
	nnums = nnums > DZ_NUMS_MAX ? DZ_NUMS_MAX : nnums;
	w->abs = calloc((size_t)nabs + 1, sizeof(*w->abs));
	w->nums = calloc((size_t)nnums + 1, sizeof(*w->nums));
	if (w->abs == NULL || w->nums == NULL)
		return;
	for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
		if (docread_is(c, "abstractNum") && w->nabs < nabs) {
			struct wabs *a = &w->abs[w->nabs++];
			a->id = dz_int(docread_attr(c, "abstractNumId"), -1, -1,
				       INT32_MAX);
			for (int l = 0; l < DZ_LEVELS; l++) {
				a->lvl[l].start = 1;
				a->lvl[l].fmt = '1';
				snprintf(a->lvl[l].text, DOCB_NUM_MAX, "%%%d.",
					 l + 1);
			}
			for (const xmlNode *lv = c->children; lv; lv = lv->next) {
				if (!docread_is(lv, "lvl"))
					continue;
				int il = dz_int(docread_attr(lv, "ilvl"), -1, -1,
						99);
				if (il < 0 || il >= DZ_LEVELS)
					continue;
				struct wlvl *L = &a->lvl[il];
				const xmlNode *e;
				if ((e = dz_child(lv, "start")))
					L->start = dz_int(w_val(e), 1, 0, 99999);
				if ((e = dz_child(lv, "numFmt")))
					L->fmt = w_fmt(w_val(e));
				if ((e = dz_child(lv, "lvlText")))
					snprintf(L->text, DOCB_NUM_MAX, "%s",
						 w_val(e) ? w_val(e) : "");
			}
		} else if (docread_is(c, "num") && w->nnums < nnums) {
			struct wnum *n = &w->nums[w->nnums++];
			n->id = dz_int(docread_attr(c, "numId"), -1, -1,
				       INT32_MAX);
			n->abs = -1;
			const xmlNode *an = dz_child(c, "abstractNumId");
			int aid = dz_int(an ? w_val(an) : NULL, -2, -2,
					 INT32_MAX);
			for (int k = 0; k < w->nabs; k++)
				if (w->abs[k].id == aid)
					n->abs = k;
			for (const xmlNode *o = c->children; o; o = o->next) {
				if (!docread_is(o, "lvlOverride"))
					continue;
				int il = dz_int(docread_attr(o, "ilvl"), -1, -1,
						99);
				const xmlNode *so = dz_child(o, "startOverride");
				if (il >= 0 && il < DZ_LEVELS && so)
					n->start[il] = dz_int(w_val(so), 0, 0,
							      99999);
			}
		}
	}
}

static void w_styles(struct wx *w, xmlDocPtr x)
{
	const xmlNode *root = xmlDocGetRootElement(x);
	int n = 0;
	for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
		n += docread_is(c, "style");
	n = n > DZ_NUMS_MAX ? DZ_NUMS_MAX : n;
	w->styles = calloc((size_t)n + 1, sizeof(*w->styles));
	if (w->styles == NULL)
		return;
	for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
		if (!docread_is(c, "style") || w->nstyles >= n)
			continue;
		struct wstyle *s = &w->styles[w->nstyles++];
		const char *id = docread_attr(c, "styleId");
		snprintf(s->id, sizeof(s->id), "%s", id ? id : "");
		const xmlNode *nm = dz_child(c, "name");
		const char *name = nm ? w_val(nm) : NULL;
		/* Word writes "heading 1", LibreOffice "Heading 1" */
		if (name && strncasecmp(name, "heading ", 8) == 0)
			s->heading = dz_int(name + 8, 0, 0, 9);
		else if (name && strcasecmp(name, "Title") == 0)
			s->heading = 1;
		const xmlNode *ppr = dz_child(c, "pPr");
		const xmlNode *ol = dz_child(ppr, "outlineLvl");
		if (ol && s->heading == 0) {
			int v = dz_int(w_val(ol), 9, 0, 9);
			s->heading = v < 9 ? v + 1 : 0;
		}
		const xmlNode *np = dz_child(ppr, "numPr");
		if (np) {
			const xmlNode *e = dz_child(np, "numId");
			s->num_id = dz_int(e ? w_val(e) : NULL, 0, 0, INT32_MAX);
			e = dz_child(np, "ilvl");
			s->ilvl = dz_int(e ? w_val(e) : NULL, 0, 0, DZ_LEVELS - 1);
		}
	}
}

static const struct wstyle *w_style(const struct wx *w, const char *id)
{
	for (int i = 0; id && i < w->nstyles; i++)
		if (strcmp(w->styles[i].id, id) == 0)
			return &w->styles[i];
	return NULL;
}

/* The list number for a paragraph at level il of list num_id: advances
 * the counters and renders the level's text ("%1.%2)"). */
static void w_number(struct wx *w, int num_id, int il, char out[DOCB_NUM_MAX])
{
	out[0] = '\0';
	if (num_id <= 0 || il < 0 || il >= DZ_LEVELS)
		return;
	struct wnum *n = NULL;
	for (int k = 0; k < w->nnums; k++)
		if (w->nums[k].id == num_id)
			n = &w->nums[k];
	if (n == NULL || n->abs < 0)
		return;
	const struct wabs *a = &w->abs[n->abs];
	for (int l = 0; l <= il; l++)
		if (n->cnt[l] == 0 && l < il)
			n->cnt[l] = n->start[l] ? n->start[l] : a->lvl[l].start;
	n->cnt[il] = n->cnt[il] == 0
			     ? (n->start[il] ? n->start[il] : a->lvl[il].start)
			     : n->cnt[il] + 1;
	for (int l = il + 1; l < DZ_LEVELS; l++)
		n->cnt[l] = 0;
	if (a->lvl[il].fmt == 'b' || a->lvl[il].fmt == 0)
		return;
	size_t o = 0;
	for (const char *p = a->lvl[il].text; *p && o + 1 < DOCB_NUM_MAX; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			int l = p[1] - '1';
			char buf[16];
			if (l < DZ_LEVELS && a->lvl[l].fmt != 'b')
				docread_counter(n->cnt[l], a->lvl[l].fmt ? a->lvl[l].fmt : '1', buf);
			else
				buf[0] = '\0';
			for (const char *q = buf; *q && o + 1 < DOCB_NUM_MAX; q++)
				out[o++] = *q;
			p++;
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
}

static void w_block(struct wx *w, const xmlNode *n, int depth);

/* Inline content of a paragraph: runs, their text, tabs and breaks. */
static void w_inline(struct wx *w, const xmlNode *n, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(w->b, "The document is nested too deeply to read.");
		return;
	}
	for (const xmlNode *c = n->children; c && !docb_failed(w->b);
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *nm = (const char *)c->name;
		if (strcmp(nm, "t") == 0) {
			for (const xmlNode *t = c->children; t; t = t->next)
				if (t->type == XML_TEXT_NODE && t->content)
					docb_text(w->b, (const char *)t->content,
						  strlen((const char *)t->content));
		} else if (strcmp(nm, "tab") == 0 || strcmp(nm, "ptab") == 0) {
			docb_text(w->b, " ", 1);
		} else if (strcmp(nm, "br") == 0 || strcmp(nm, "cr") == 0) {
			docb_end_para(w->b);
		} else if (strcmp(nm, "noBreakHyphen") == 0) {
			docb_text(w->b, "-", 1);
		} else if (strcmp(nm, "del") == 0 || strcmp(nm, "moveFrom") == 0 ||
			   strcmp(nm, "pPr") == 0 || strcmp(nm, "rPr") == 0 ||
			   strcmp(nm, "instrText") == 0 ||
			   strcmp(nm, "delText") == 0 ||
			   strcmp(nm, "drawing") == 0 || strcmp(nm, "pict") == 0 ||
			   strcmp(nm, "object") == 0 ||
			   strcmp(nm, "AlternateContent") == 0 ||
			   strcmp(nm, "footnoteReference") == 0 ||
			   strcmp(nm, "endnoteReference") == 0 ||
			   strcmp(nm, "commentReference") == 0) {
			continue;
		} else if (strcmp(nm, "p") == 0 || strcmp(nm, "tbl") == 0) {
			w_block(w, n, depth + 1);  /* content control around blocks */
			return;
		} else {
			w_inline(w, c, depth + 1);  /* r, hyperlink, ins, sdt, ... */
		}
	}
}

static void w_para(struct wx *w, const xmlNode *p, int depth)
{
	const xmlNode *ppr = dz_child(p, "pPr");
	const xmlNode *ps = dz_child(ppr, "pStyle");
	const struct wstyle *st = w_style(w, ps ? w_val(ps) : NULL);
	int heading = st ? st->heading : 0;
	int num_id = st ? st->num_id : 0, il = st ? st->ilvl : 0;
	const xmlNode *ol = dz_child(ppr, "outlineLvl");
	if (ol) {
		int v = dz_int(w_val(ol), 9, 0, 9);
		heading = v < 9 ? v + 1 : 0;
	}
	const xmlNode *np = dz_child(ppr, "numPr");
	if (np) {
		const xmlNode *e = dz_child(np, "numId");
		if (e)
			num_id = dz_int(w_val(e), 0, 0, INT32_MAX);
		e = dz_child(np, "ilvl");
		if (e)
			il = dz_int(w_val(e), 0, 0, DZ_LEVELS - 1);
	}
	char num[DOCB_NUM_MAX];
	w_number(w, num_id, il, num);
	docb_end_para(w->b);
	docb_para_props(w->b, heading, num);
	w_inline(w, p, depth + 1);
	docb_end_para(w->b);
}

static void w_cell(struct wx *w, const xmlNode *tc, int depth)
{
	const xmlNode *pr = dz_child(tc, "tcPr");
	const xmlNode *gs = dz_child(pr, "gridSpan");
	int span = dz_int(gs ? w_val(gs) : NULL, 1, 1, DOCB_SPAN_MAX);
	const xmlNode *vm = dz_child(pr, "vMerge");
	const char *vv = vm ? w_val(vm) : NULL;
	if (vm && (vv == NULL || strcmp(vv, "continue") == 0)) {
		docb_empty_cells(w->b, span);   /* covered by the cell above */
		return;
	}
	docb_cell_begin(w->b);
	w_block(w, tc, depth + 1);
	docb_cell_end(w->b);
	docb_empty_cells(w->b, span - 1);
}

static void w_rows(struct wx *w, const xmlNode *n, bool layout, int depth)
{
	for (const xmlNode *tr = n->children; tr && !docb_failed(w->b);
	     tr = tr->next) {
		if (docread_is(tr, "sdt") || docread_is(tr, "sdtContent") ||
		    docread_is(tr, "customXml")) {
			if (depth < DOCB_DEPTH_MAX)
				w_rows(w, tr, layout, depth + 1);
			continue;
		}
		if (!docread_is(tr, "tr"))
			continue;
		if (layout) {
			for (const xmlNode *tc = tr->children; tc; tc = tc->next)
				if (docread_is(tc, "tc"))
					w_block(w, tc, depth + 1);
			continue;
		}
		docb_row_begin(w->b);
		const xmlNode *gb = dz_child(dz_child(tr, "trPr"), "gridBefore");
		if (gb)
			docb_empty_cells(w->b, dz_int(w_val(gb), 0, 0,
						      DOCB_SPAN_MAX));
		for (const xmlNode *tc = tr->children; tc; tc = tc->next) {
			if (docread_is(tc, "tc"))
				w_cell(w, tc, depth + 1);
			else if (docread_is(tc, "sdt")) {
				const xmlNode *sc = dz_child(tc, "sdtContent");
				for (const xmlNode *t2 = sc ? sc->children : NULL;
				     t2; t2 = t2->next)
					if (docread_is(t2, "tc"))
						w_cell(w, t2, depth + 2);
			}
		}
		docb_row_end(w->b);
	}
}

static void w_table(struct wx *w, const xmlNode *tbl, int depth)
{
	/* a table around a larger table is layout: read its content as
	 * flow */
	static const char *const groups[] = {"sdt", "sdtContent", "customXml",
					     NULL};
	bool layout = docread_layout_table(tbl, "tbl", "tr", groups);
	if (!layout)
		docb_table_begin(w->b);
	w_rows(w, tbl, layout, depth + 1);
	if (!layout)
		docb_table_end(w->b);
}

static void w_block(struct wx *w, const xmlNode *n, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(w->b, "The document is nested too deeply to read.");
		return;
	}
	for (const xmlNode *c = n->children; c && !docb_failed(w->b);
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docread_is(c, "p"))
			w_para(w, c, depth + 1);
		else if (docread_is(c, "tbl"))
			w_table(w, c, depth + 1);
		else if (docread_is(c, "del") || docread_is(c, "moveFrom") ||
			 docread_is(c, "sectPr") || docread_is(c, "tcPr") ||
			 docread_is(c, "tblPr") || docread_is(c, "tblGrid") ||
			 docread_is(c, "trPr"))
			continue;
		else
			w_block(w, c, depth + 1);   /* sdt, customXml, ins ... */
	}
}

int docread_docx(struct docb *b, const char *data, size_t len,
		 const struct doc_limits *lim)
{
	struct dz z;
	char msg[sizeof(((struct doc_error *)0)->msg)];
	if (dz_open(data, len, lim->max_entries, lim->max_unzipped, &z, msg,
		    sizeof(msg)) != 0) {
		docb_fail(b, "%s", msg);
		return -1;
	}
	struct wx w = {.b = b};
	xmlDocPtr doc = NULL, num = NULL, sty = NULL, core = NULL;
	int rc = dz_xml(b, &z, "word/document.xml", "Word document's text",
			&doc);
	if (rc == 0)
		docb_fail(b, "The Word document has no text part.");
	if (rc > 0 && dz_xml(b, &z, "word/numbering.xml",
			     "Word document's list numbering", &num) >= 0 &&
	    dz_xml(b, &z, "word/styles.xml", "Word document's styles",
		   &sty) >= 0 &&
	    dz_xml(b, &z, "docProps/core.xml", "Word document's properties",
		   &core) >= 0) {
		if (num)
			w_numbering(&w, num);
		if (sty)
			w_styles(&w, sty);
		if (core)
			dz_meta_date(b->d, core, "modified", "created");
		const xmlNode *root = xmlDocGetRootElement(doc);
		const xmlNode *body = dz_child(root, "body");
		if (body)
			w_block(&w, body, 0);
		else
			docb_fail(b, "The Word document has no body.");
	}
	xmlFreeDoc(doc);
	xmlFreeDoc(num);
	xmlFreeDoc(sty);
	xmlFreeDoc(core);
	free(w.abs);
	free(w.nums);
	free(w.styles);
	dz_close(&z);
	return docb_failed(b) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* OpenDocument                                                        */

struct olvl {
	char fmt;              /* '1', 'a', 'A', 'i', 'I'; 0 none/bullet */
	char prefix[8], suffix[8];
	int start, display;
};

struct ostyle {
	char name[64];
	struct olvl lvl[DZ_LEVELS];
	int cnt[DZ_LEVELS];
};

struct ox {
	struct docb *b;
	struct ostyle *styles;
	int nstyles, capstyles;
};

static void o_list_styles(struct ox *o, const xmlNode *n, int depth)
{
	if (n == NULL || depth > 8)
		return;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!docread_is(c, "list-style")) {
			if (docread_is(c, "automatic-styles") ||
			    docread_is(c, "styles"))
				o_list_styles(o, c, depth + 1);
			continue;
		}
		if (o->nstyles >= DZ_NUMS_MAX)
			return;
		if (o->nstyles == o->capstyles) {
			int cap = o->capstyles ? 2 * o->capstyles : 16;
			struct ostyle *v = realloc(o->styles,
						   (size_t)cap * sizeof(*v));
			if (v == NULL)
				return;
			o->styles = v;
			o->capstyles = cap;
		}
		struct ostyle *s = &o->styles[o->nstyles++];
		memset(s, 0, sizeof(*s));
		const char *nm = docread_attr(c, "name");
		snprintf(s->name, sizeof(s->name), "%s", nm ? nm : "");
		for (const xmlNode *l = c->children; l; l = l->next) {
			bool number = docread_is(l, "list-level-style-number");
			if (!number && !docread_is(l, "list-level-style-bullet"))
				continue;
			int lv = dz_int(docread_attr(l, "level"), 1, 1, 99) - 1;
			if (lv >= DZ_LEVELS)
				continue;
			struct olvl *L = &s->lvl[lv];
			L->start = dz_int(docread_attr(l, "start-value"), 1, 0,
					  99999);
			L->display = dz_int(docread_attr(l, "display-levels"),
					    1, 1, DZ_LEVELS);
			if (!number)
				continue;
			const char *f = docread_attr(l, "num-format");
			L->fmt = f && (f[0] == '1' || f[0] == 'a' || f[0] == 'A' ||
				       f[0] == 'i' || f[0] == 'I')
					 ? f[0]
					 : 0;
			const char *p = docread_attr(l, "num-prefix");
			const char *x = docread_attr(l, "num-suffix");
			snprintf(L->prefix, sizeof(L->prefix), "%s", p ? p : "");
			snprintf(L->suffix, sizeof(L->suffix), "%s", x ? x : "");
		}
	}
}

static struct ostyle *o_style(struct ox *o, const char *name)
{
	for (int i = 0; name && i < o->nstyles; i++)
		if (strcmp(o->styles[i].name, name) == 0)
			return &o->styles[i];
	return NULL;
}

static void o_block(struct ox *o, const xmlNode *n, int depth);

static void o_inline(struct ox *o, const xmlNode *n, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(o->b, "The document is nested too deeply to read.");
		return;
	}
	for (const xmlNode *c = n->children; c && !docb_failed(o->b);
	     c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				docb_text(o->b, (const char *)c->content,
					  strlen((const char *)c->content));
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docread_is(c, "s") || docread_is(c, "tab"))
			docb_text(o->b, " ", 1);
		else if (docread_is(c, "line-break"))
			docb_end_para(o->b);
		else if (docread_is(c, "note") || docread_is(c, "annotation") ||
			 docread_is(c, "frame") || docread_is(c, "custom-shape") ||
			 docread_is(c, "tracked-changes") ||
			 docread_is(c, "change"))
			continue;
		else
			o_inline(o, c, depth + 1);   /* span, a, meta ... */
	}
}

static void o_para(struct ox *o, const xmlNode *p, int heading,
		   const char *num, int depth)
{
	docb_end_para(o->b);
	docb_para_props(o->b, heading, num);
	o_inline(o, p, depth + 1);
	docb_end_para(o->b);
}

static void o_list(struct ox *o, const xmlNode *list, const char *style,
		   int level, int depth)
{
	const char *sn = docread_attr(list, "style-name");
	if (sn)
		style = sn;
	struct ostyle *s = o_style(o, style);
	const char *cont = docread_attr(list, "continue-numbering");
	bool cont_list = docread_attr(list, "continue-list") != NULL ||
			 (cont && strcmp(cont, "true") == 0);
	if (s && level == 0 && !cont_list)
		memset(s->cnt, 0, sizeof(s->cnt));
	for (const xmlNode *it = list->children; it && !docb_failed(o->b);
	     it = it->next) {
		bool item = docread_is(it, "list-item");
		if (!item && !docread_is(it, "list-header"))
			continue;
		char num[DOCB_NUM_MAX] = "";
		if (item && s && level < DZ_LEVELS) {
			const struct olvl *L = &s->lvl[level];
			int sv = dz_int(docread_attr(it, "start-value"), 0, 0,
					99999);
			s->cnt[level] = sv ? sv
					   : s->cnt[level] ? s->cnt[level] + 1
							   : L->start;
			for (int l = level + 1; l < DZ_LEVELS; l++)
				s->cnt[l] = 0;
			if (L->fmt) {
				size_t k = (size_t)snprintf(num, sizeof(num), "%s",
							    L->prefix);
				int first = level - L->display + 1;
				for (int l = first < 0 ? 0 : first; l <= level &&
				     k < sizeof(num); l++) {
					char c[16];
					char f = s->lvl[l].fmt ? s->lvl[l].fmt : '1';
					docread_counter(s->cnt[l] ? s->cnt[l] : 1,
							f, c);
					k += (size_t)snprintf(num + k, sizeof(num) - k,
							      "%s%s", l > (first < 0 ? 0 : first) ? "." : "", c);
				}
				if (k < sizeof(num))
					snprintf(num + k, sizeof(num) - k, "%s",
						 L->suffix);
			}
		}
		bool first = true;
		for (const xmlNode *c = it->children; c && !docb_failed(o->b);
		     c = c->next) {
			if (docread_is(c, "p") || docread_is(c, "h")) {
				o_para(o, c, docread_is(c, "h") ?
					dz_int(docread_attr(c, "outline-level"), 1, 1, 9) : 0,
				       first ? num : "", depth + 1);
				first = false;
			} else if (docread_is(c, "list")) {
				if (depth < DOCB_DEPTH_MAX)
					o_list(o, c, style, level + 1, depth + 1);
			} else if (c->type == XML_ELEMENT_NODE) {
				o_block(o, c, depth + 1);
			}
		}
	}
}

static void o_rows(struct ox *o, const xmlNode *n, bool layout, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(o->b, "The document is nested too deeply to read.");
		return;
	}
	for (const xmlNode *tr = n->children; tr && !docb_failed(o->b);
	     tr = tr->next) {
		if (docread_is(tr, "table-header-rows") ||
		    docread_is(tr, "table-rows") ||
		    docread_is(tr, "table-row-group")) {
			o_rows(o, tr, layout, depth + 1);
			continue;
		}
		if (!docread_is(tr, "table-row"))
			continue;
		int rep = dz_int(docread_attr(tr, "number-rows-repeated"), 1, 1,
				 DZ_REPEAT_MAX);
		for (int r = 0; r < rep && !docb_failed(o->b); r++) {
			if (!layout)
				docb_row_begin(o->b);
			for (const xmlNode *tc = tr->children; tc; tc = tc->next) {
				bool covered = docread_is(tc, "covered-table-cell");
				if (!covered && !docread_is(tc, "table-cell"))
					continue;
				bool empty = tc->children == NULL;
				int crep = dz_int(docread_attr(tc,
						"number-columns-repeated"), 1, 1,
						  empty || covered ? DOCB_SPAN_MAX
								   : DZ_REPEAT_MAX);
				for (int k = 0; k < crep; k++) {
					if (layout) {
						o_block(o, tc, depth + 1);
					} else if (covered) {
						docb_empty_cells(o->b, 1);
					} else if (empty) {
						docb_cell_begin(o->b);
						docb_cell_end(o->b);
					} else {
						/* a spanned cell is followed by
						 * the covered cells it spans */
						docb_cell_begin(o->b);
						o_block(o, tc, depth + 1);
						docb_cell_end(o->b);
					}
				}
			}
			if (!layout)
				docb_row_end(o->b);
		}
	}
}

static void o_block(struct ox *o, const xmlNode *n, int depth)
{
	if (depth > DOCB_DEPTH_MAX) {
		docb_fail(o->b, "The document is nested too deeply to read.");
		return;
	}
	for (const xmlNode *c = n->children; c && !docb_failed(o->b);
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docread_is(c, "p")) {
			o_para(o, c, 0, "", depth + 1);
		} else if (docread_is(c, "h")) {
			o_para(o, c, dz_int(docread_attr(c, "outline-level"), 1,
					    1, 9), "", depth + 1);
		} else if (docread_is(c, "list")) {
			o_list(o, c, NULL, 0, depth + 1);
		} else if (docread_is(c, "table")) {
			static const char *const groups[] = {
				"table-header-rows", "table-rows",
				"table-row-group", NULL};
			bool layout = docread_layout_table(c, "table",
							   "table-row", groups);
			if (!layout)
				docb_table_begin(o->b);
			o_rows(o, c, layout, depth + 1);
			if (!layout)
				docb_table_end(o->b);
		} else if (docread_is(c, "table-of-content") ||
			   docread_is(c, "tracked-changes") ||
			   docread_is(c, "sequence-decls") ||
			   docread_is(c, "variable-decls") ||
			   docread_is(c, "forms") || docread_is(c, "frame") ||
			   docread_is(c, "table-columns") ||
			   docread_is(c, "table-column") ||
			   docread_is(c, "annotation")) {
			continue;
		} else {
			o_block(o, c, depth + 1);   /* section, div, ... */
		}
	}
}

int docread_odt(struct docb *b, const char *data, size_t len,
		const struct doc_limits *lim)
{
	struct dz z;
	char msg[sizeof(((struct doc_error *)0)->msg)];
	if (dz_open(data, len, lim->max_entries, lim->max_unzipped, &z, msg,
		    sizeof(msg)) != 0) {
		docb_fail(b, "%s", msg);
		return -1;
	}
	struct ox o = {.b = b};
	xmlDocPtr content = NULL, styles = NULL, meta = NULL;
	int rc = dz_xml(b, &z, "content.xml", "OpenDocument text", &content);
	if (rc == 0)
		docb_fail(b, "The OpenDocument file has no text part.");
	if (rc > 0 && dz_xml(b, &z, "styles.xml", "OpenDocument styles",
			     &styles) >= 0 &&
	    dz_xml(b, &z, "meta.xml", "OpenDocument properties", &meta) >= 0) {
		if (styles)
			o_list_styles(&o, xmlDocGetRootElement(styles), 0);
		o_list_styles(&o, xmlDocGetRootElement(content), 0);
		if (meta)
			dz_meta_date(b->d, meta, "date", "creation-date");
		const xmlNode *body = dz_child(xmlDocGetRootElement(content),
					       "body");
		const xmlNode *text = dz_child(body, "text");
		if (text)
			o_block(&o, text, 0);
		else
			docb_fail(b, "The OpenDocument file has no text body.");
	}
	xmlFreeDoc(content);
	xmlFreeDoc(styles);
	xmlFreeDoc(meta);
	free(o.styles);
	dz_close(&z);
	return docb_failed(b) ? -1 : 0;
}
