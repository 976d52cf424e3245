/*
 * docread_pdf.c: a PDF read with poppler-glib, from memory.  The only
 * file in Cairn that includes glib (poppler's interface); nothing glib
 * leaves it.
 *
 * A PDF has no paragraphs or tables, only characters at positions.  Per
 * page: poppler gives the page's text and one rectangle per character
 * (poppler_page_get_text + poppler_page_get_text_layout).  From them:
 *  - words: characters up to white space, or up to a gap wider than a
 *    third of the character's height;
 *  - lines: words whose vertical centres lie within half a line's
 *    height, left to right;
 *  - segments: a line's words split where the gap between two words is
 *    more than DP_GAP line heights (wider than any word space);
 *  - tables: a run of lines that starts with a line of two or more
 *    segments and goes on while (a) the union of the x-ranges of the
 *    run's segments keeps at least two separate ranges and does not
 *    lose one (a line that bridges a gap between columns ends the
 *    table), and (b) the space above the line is less than DP_BREAK line
 *    heights.  A run needs two lines of two or more segments.  Its
 *    columns are the separate x-ranges of that union: gaps that every
 *    line leaves empty.  A segment goes to the column its start is in;
 *  - rows: when the space between lines varies (cells padded, as word
 *    processors draw tables), a line further below the one above than
 *    the closest pair of lines (by DP_ROWSEP) starts a row; when it does
 *    not vary, a line with text in the first column starts a row.  The
 *    lines of a row are joined column by column (so a cell that wraps
 *    onto several lines is one cell; a line ending in "-" is joined
 *    without a space);
 *  - paragraphs: other lines, joined until a line further below than
 *    DP_PARA line heights, a line that starts with a list marker ("1.",
 *    "a)", "(i)", a bullet) or a line in a larger type (a heading).
 * Tables split by a page break are two tables (the page's footer and
 * header between them); import.c joins the header row repeated after a
 * page break.  A table at the top of a page whose columns are those of
 * the last page's table less some (a column with no text on this page)
 * keeps the last page's columns, so its cells stay in their columns;
 * and when its lines are evenly spaced it takes its rows from the
 * spacing of the table it continues (one row of wrapped cells).
 *
 * Not read: pictures of text (a scanned PDF has no text: said so),
 * merged table cells spanning columns in a header (the union then joins
 * those columns), rotated text, text in annotations and forms.
 *
 * Limits: the page count, the text (bytes) over all pages, and words
 * per page (DP_WORDS_MAX).  A PDF with a password is refused.
 * Poppler's own messages go to glib's log under "Poppler", which this
 * file silences: they can quote the document.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "scrutiny/docread_int.h"

#define DP_WORDS_MAX 200000 /* words on one page */
#define DP_GAP 0.6          /* line heights: a gap between segments */
#define DP_BREAK 2.5        /* line heights of space that ends a table */
#define DP_ROWSEP 1.25      /* times the closest line pitch: a new row */
#define DP_PARA 0.6         /* line heights of space: a new paragraph */
#define DP_HEADING 1.3      /* times the usual line height: a heading */
#define DP_COLS_MAX 32      /* columns of a rebuilt table */

struct dp_word {
	double x0, y0, x1, y1;
	size_t off, len;      /* in the page's word text */
};

struct dp_seg {
	double x0, x1;
	int w0, w1;           /* words [w0, w1) of the line */
};

struct dp_line {
	double x0, y0, x1, y1;
	int w0, w1;           /* words [w0, w1) in the sorted word array */
	struct dp_seg *segs;
	int nsegs;
	int table;            /* 1 in a table region */
};

/* What one page leaves the next: the columns of its last table, so that
 * the table's continuation keeps a column it has no text in. */
struct dp_carry {
	struct dp_span {
		double x0, x1;
	} cols[DP_COLS_MAX + 1];
	int ncols;            /* 0: the page before ended without a table */
	double pitch;         /* its line pitch inside a row, when its rows
			       * were padded; else 0 */
};

struct dp_page {
	struct docb *b;
	struct dp_carry *carry;
	struct dp_word *w;
	int nw;
	char *text;           /* words' bytes */
	size_t ntext;
	struct dp_line *lines;
	int nlines;
	double body_h;        /* the usual line height */
};

static pthread_once_t dp_once = PTHREAD_ONCE_INIT;

static void dp_quiet(const gchar *domain, GLogLevelFlags level,
		     const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

static void dp_init(void)
{
	g_log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK |
						      G_LOG_FLAG_RECURSION),
			  dp_quiet, NULL);
}

/* ------------------------------------------------------------------ */
/* Words and lines                                                     */

static bool dp_space(gunichar c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xA0 ||
	       c == '\f' || c == 0;
}

/* Splits the page's text into words with their boxes.  Returns 0 or -1
 * (b failed). */
static int dp_words(struct dp_page *pg, const char *text,
		    const PopplerRectangle *r, guint nr)
{
	size_t tl = strlen(text);
	pg->text = malloc(tl + 1);
	if (pg->text == NULL) {
		docb_fail(pg->b, "The PDF is too large to read.");
		return -1;
	}
	int cap = 0;
	bool open = false;
	struct dp_word cur = {0};
	const char *p = text;
	for (guint i = 0; *p; i++) {
		const char *next = g_utf8_next_char(p);
		gunichar c = g_utf8_get_char_validated(p, (gssize)(next - p));
		/* a rectangle must be a place on a page: NaN or infinite
		 * coordinates would make the sorts below inconsistent */
		bool have = i < nr && isfinite(r[i].x1) && isfinite(r[i].x2) &&
			    isfinite(r[i].y1) && isfinite(r[i].y2) &&
			    fabs(r[i].x1) < 1e6 && fabs(r[i].x2) < 1e6 &&
			    fabs(r[i].y1) < 1e6 && fabs(r[i].y2) < 1e6;
		bool sp = c == (gunichar)-1 || c == (gunichar)-2 || dp_space(c) ||
			  !have;
		if (!sp) {
			double x0 = fmin(r[i].x1, r[i].x2), x1 = fmax(r[i].x1, r[i].x2);
			double y0 = fmin(r[i].y1, r[i].y2), y1 = fmax(r[i].y1, r[i].y2);
			double h = y1 - y0 > 0.1 ? y1 - y0 : 0.1;
			/* a gap or a jump in height ends the word */
			if (open && (x0 - cur.x1 > h / 3 || x0 < cur.x0 - h / 3 ||
				     fabs((y0 + y1) / 2 - (cur.y0 + cur.y1) / 2) >
					     h / 2)) {
				sp = true;
			} else {
				if (!open) {
					cur = (struct dp_word){x0, y0, x1, y1,
							       pg->ntext, 0};
					open = true;
				}
				cur.x0 = fmin(cur.x0, x0);
				cur.y0 = fmin(cur.y0, y0);
				cur.x1 = fmax(cur.x1, x1);
				cur.y1 = fmax(cur.y1, y1);
				memcpy(pg->text + pg->ntext, p, (size_t)(next - p));
				pg->ntext += (size_t)(next - p);
				cur.len += (size_t)(next - p);
				p = next;
				continue;
			}
		}
		if (open) {
			if (pg->nw >= DP_WORDS_MAX) {
				docb_fail(pg->b, "A page of the PDF has more than "
					  "%d words, too many to read.",
					  DP_WORDS_MAX);
				return -1;
			}
			if (pg->nw == cap) {
				cap = cap ? 2 * cap : 256;
				struct dp_word *v = realloc(pg->w,
							    (size_t)cap * sizeof(*v));
				if (v == NULL) {
					docb_fail(pg->b, "The PDF is too large to "
						  "read.");
					return -1;
				}
				pg->w = v;
			}
			pg->w[pg->nw++] = cur;
			open = false;
		}
		/* a character that ended a word by its gap starts the next */
		if (!(c == (gunichar)-1 || c == (gunichar)-2 || dp_space(c) ||
		      !have)) {
			i--;
			continue;
		}
		p = next;
	}
	if (open) {
		if (pg->nw == cap) {
			cap = cap ? 2 * cap : 256;
			struct dp_word *v = realloc(pg->w, (size_t)cap * sizeof(*v));
			if (v == NULL) {
				docb_fail(pg->b, "The PDF is too large to read.");
				return -1;
			}
			pg->w = v;
		}
		pg->w[pg->nw++] = cur;
	}
	return 0;
}

static int dp_cmp_y(const void *a, const void *b)
{
	const struct dp_word *x = a, *y = b;
	double cx = (x->y0 + x->y1) / 2, cy = (y->y0 + y->y1) / 2;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int dp_cmp_x(const void *a, const void *b)
{
	const struct dp_word *x = a, *y = b;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int dp_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Groups the words into lines, top to bottom, each left to right, and
 * splits each line into segments. */
static int dp_lines(struct dp_page *pg)
{
	if (pg->nw == 0)
		return 0;
	qsort(pg->w, (size_t)pg->nw, sizeof(*pg->w), dp_cmp_y);
	pg->lines = calloc((size_t)pg->nw, sizeof(*pg->lines));
	struct dp_seg *segs = calloc((size_t)pg->nw, sizeof(*segs));
	if (pg->lines == NULL || segs == NULL) {
		free(segs);
		docb_fail(pg->b, "The PDF is too large to read.");
		return -1;
	}
	int i = 0;
	while (i < pg->nw) {
		double c0 = (pg->w[i].y0 + pg->w[i].y1) / 2;
		double h0 = pg->w[i].y1 - pg->w[i].y0;
		int j = i + 1;
		while (j < pg->nw) {
			double c = (pg->w[j].y0 + pg->w[j].y1) / 2;
			double h = pg->w[j].y1 - pg->w[j].y0;
			if (c - c0 > fmin(h, h0) / 2)
				break;
			j++;
		}
		qsort(pg->w + i, (size_t)(j - i), sizeof(*pg->w), dp_cmp_x);
		struct dp_line *L = &pg->lines[pg->nlines++];
		L->w0 = i;
		L->w1 = j;
		L->x0 = pg->w[i].x0;
		L->x1 = pg->w[i].x1;
		L->y0 = pg->w[i].y0;
		L->y1 = pg->w[i].y1;
		for (int k = i; k < j; k++) {
			L->x0 = fmin(L->x0, pg->w[k].x0);
			L->x1 = fmax(L->x1, pg->w[k].x1);
			L->y0 = fmin(L->y0, pg->w[k].y0);
			L->y1 = fmax(L->y1, pg->w[k].y1);
		}
		i = j;
	}
	/* the usual line height: the median */
	double *hs = malloc((size_t)pg->nlines * sizeof(*hs));
	if (hs == NULL) {
		free(segs);
		docb_fail(pg->b, "The PDF is too large to read.");
		return -1;
	}
	for (int k = 0; k < pg->nlines; k++)
		hs[k] = pg->lines[k].y1 - pg->lines[k].y0;
	qsort(hs, (size_t)pg->nlines, sizeof(*hs), dp_cmp_double);
	pg->body_h = hs[pg->nlines / 2] > 0.5 ? hs[pg->nlines / 2] : 0.5;
	free(hs);
	/* segments: one array shared by all lines (at most one per word) */
	int ns = 0;
	for (int k = 0; k < pg->nlines; k++) {
		struct dp_line *L = &pg->lines[k];
		double h = fmin(L->y1 - L->y0, 2 * pg->body_h);
		L->segs = segs + ns;
		for (int w = L->w0; w < L->w1; w++) {
			if (w == L->w0 ||
			    pg->w[w].x0 - pg->w[w - 1].x1 > DP_GAP * h) {
				L->segs[L->nsegs++] = (struct dp_seg){
					pg->w[w].x0, pg->w[w].x1, w, w + 1};
				ns++;
			} else {
				struct dp_seg *s = &L->segs[L->nsegs - 1];
				s->x1 = fmax(s->x1, pg->w[w].x1);
				s->w1 = w + 1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

/* Merges the line's segments into the sorted, disjoint ranges u[0..*n).
 * Returns false when there would be more than DP_COLS_MAX. */
static bool dp_union(struct dp_span *u, int *n, const struct dp_line *L)
{
	for (int s = 0; s < L->nsegs; s++) {
		struct dp_span add = {L->segs[s].x0, L->segs[s].x1};
		struct dp_span out[DP_COLS_MAX + 1];
		int m = 0;
		bool placed = false;
		for (int k = 0; k < *n; k++) {
			if (u[k].x1 < add.x0) {
				out[m++] = u[k];
			} else if (u[k].x0 > add.x1) {
				if (!placed) {
					out[m++] = add;
					placed = true;
				}
				if (m > DP_COLS_MAX)
					return false;
				out[m++] = u[k];
			} else {
				add.x0 = fmin(add.x0, u[k].x0);
				add.x1 = fmax(add.x1, u[k].x1);
			}
			if (m > DP_COLS_MAX)
				return false;
		}
		if (!placed)
			out[m++] = add;
		if (m > DP_COLS_MAX)
			return false;
		memcpy(u, out, (size_t)m * sizeof(*u));
		*n = m;
	}
	return true;
}

static void dp_put_words(struct dp_page *pg, int w0, int w1,
			 struct sbuf *sb)
{
	for (int w = w0; w < w1; w++) {
		if (sb->len > 0) {
			bool hyphen = sb->buf[sb->len - 1] == '-' && w == w0;
			if (!hyphen)
				sbuf_addc(sb, ' ');
		}
		sbuf_add(sb, pg->text + pg->w[w].off, pg->w[w].len);
	}
}

static int dp_col(const struct dp_span *u, int n, double x)
{
	for (int k = n - 1; k >= 0; k--)
		if (x >= u[k].x0 - 0.5)
			return k;
	return 0;
}

static void dp_emit_row(struct dp_page *pg, struct sbuf *cells, int ncols)
{
	docb_row_begin(pg->b);
	for (int c = 0; c < ncols; c++) {
		docb_cell_begin(pg->b);
		docb_text(pg->b, cells[c].buf ? cells[c].buf : "", cells[c].len);
		docb_cell_end(pg->b);
		sbuf_reset(&cells[c]);
	}
	docb_row_end(pg->b);
}

/* Emits lines [a, z) as a table with columns u[0..n).  known: the line
 * pitch inside a row of the table this one continues (0: none). */
static void dp_table(struct dp_page *pg, int a, int z,
		     const struct dp_span *u, int n, double known)
{
	struct sbuf cells[DP_COLS_MAX];
	for (int c = 0; c < n; c++)
		sbuf_init(&cells[c], DOCB_PARA_MAX);
	double dmin = INFINITY, dmax = 0;
	for (int k = a + 1; k < z; k++) {
		double d = pg->lines[k].y0 - pg->lines[k - 1].y0;
		dmin = fmin(dmin, d);
		dmax = fmax(dmax, d);
	}
	bool pitch = dmax > dmin * DP_ROWSEP + 0.5;
	/* a continued table whose lines here are evenly spaced (one row,
	 * or rows of one line) has the rows of the table it continues */
	if (!pitch && known > 0 && (z - a < 2 || fabs(dmin - known) < 0.5 ||
				   dmin > known * DP_ROWSEP + 0.5)) {
		dmin = known;
		pitch = true;
	}
	pg->carry->pitch = pitch ? dmin : 0;
	docb_table_begin(pg->b);
	bool any = false;
	for (int k = a; k < z; k++) {
		const struct dp_line *L = &pg->lines[k];
		bool starts;
		if (k == a)
			starts = false;
		else if (pitch)
			starts = L->y0 - pg->lines[k - 1].y0 >
				 dmin * DP_ROWSEP + 0.5;
		else
			starts = dp_col(u, n, L->segs[0].x0) == 0;
		if (starts && any) {
			dp_emit_row(pg, cells, n);
			any = false;
		}
		for (int s = 0; s < L->nsegs; s++) {
			int c = dp_col(u, n, L->segs[s].x0);
			dp_put_words(pg, L->segs[s].w0, L->segs[s].w1, &cells[c]);
			any = true;
		}
	}
	if (any)
		dp_emit_row(pg, cells, n);
	docb_table_end(pg->b);
	for (int c = 0; c < n; c++)
		sbuf_release(&cells[c]);
}

/* The end of the table run that starts at line a, or a when there is
 * none; its columns in u[0..*n). */
static int dp_region(struct dp_page *pg, int a, struct dp_span *u, int *n)
{
	*n = 0;
	if (pg->lines[a].nsegs < 2 || !dp_union(u, n, &pg->lines[a]) || *n < 2)
		return a;
	int multi = 1, z = a + 1;
	for (; z < pg->nlines; z++) {
		const struct dp_line *L = &pg->lines[z];
		double h = pg->lines[z - 1].y1 - pg->lines[z - 1].y0;
		if (L->y0 - pg->lines[z - 1].y1 > DP_BREAK * h)
			break;
		struct dp_span v[DP_COLS_MAX + 1];
		int m = *n;
		memcpy(v, u, (size_t)m * sizeof(*v));
		if (!dp_union(v, &m, L) || m < 2 || m < *n)
			break;
		memcpy(u, v, (size_t)m * sizeof(*u));
		*n = m;
		multi += L->nsegs >= 2;
	}
	return multi >= 2 ? z : a;
}

static bool dp_marker(struct dp_page *pg, const struct dp_line *L)
{
	const struct dp_word *w = &pg->w[L->w0];
	const char *s = pg->text + w->off;
	size_t n = w->len, i = 0;
	if (n >= 3 && (memcmp(s, "\xE2\x80\xA2", 3) == 0 ||   /* • */
		       memcmp(s, "\xEF\x82\xB7", 3) == 0))    /* Word's bullet */
		return true;
	if (n >= 1 && (s[0] == '-' || s[0] == '*') && n == 1)
		return true;
	if (i < n && s[i] == '(')
		i++;
	size_t st = i;
	while (i < n && i - st < 4 && ((s[i] >= '0' && s[i] <= '9') ||
				       (s[i] >= 'a' && s[i] <= 'z') ||
				       (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i == st || i >= n)
		return false;
	bool digits = s[st] >= '0' && s[st] <= '9';
	if (!digits && i - st > 1 && !(s[st] == 'i' || s[st] == 'v' ||
				       s[st] == 'x'))
		return false;
	return (s[i] == ')' || (s[i] == '.' && (digits || i - st == 1))) &&
	       i + 1 == n;
}

/* Emits lines [a, z) as paragraphs. */
static void dp_paras(struct dp_page *pg, int a, int z)
{
	struct sbuf sb;
	sbuf_init(&sb, DOCB_PARA_MAX);
	int heading = 0;
	for (int k = a; k < z; k++) {
		const struct dp_line *L = &pg->lines[k];
		double h = L->y1 - L->y0;
		int hd = h > DP_HEADING * pg->body_h ? 2 : 0;
		bool starts = k == a || hd != heading ||
			      L->y0 - pg->lines[k - 1].y1 > DP_PARA * h ||
			      dp_marker(pg, L);
		if (starts && sb.len > 0) {
			docb_para_props(pg->b, heading, NULL);
			docb_text(pg->b, sb.buf, sb.len);
			docb_end_para(pg->b);
			sbuf_reset(&sb);
		}
		heading = hd;
		for (int s = 0; s < L->nsegs; s++)
			dp_put_words(pg, L->segs[s].w0, L->segs[s].w1, &sb);
	}
	if (sb.len > 0) {
		docb_para_props(pg->b, heading, NULL);
		docb_text(pg->b, sb.buf, sb.len);
		docb_end_para(pg->b);
	}
	sbuf_release(&sb);
}

/* True when the columns u[0..n) are the carried columns with some
 * missing: each of u overlaps exactly one of them. */
static bool dp_fits_carry(const struct dp_carry *c, const struct dp_span *u,
			  int n)
{
	if (c->ncols <= n)
		return false;
	for (int k = 0; k < n; k++) {
		int hits = 0;
		for (int j = 0; j < c->ncols; j++)
			hits += u[k].x0 <= c->cols[j].x1 + 2 &&
				u[k].x1 >= c->cols[j].x0 - 2;
		if (hits != 1)
			return false;
	}
	return true;
}

static void dp_page_blocks(struct dp_page *pg)
{
	int k = 0, para = 0;
	bool first = true, last_table = false;
	while (k < pg->nlines && !docb_failed(pg->b)) {
		struct dp_span u[DP_COLS_MAX + 1];
		int n;
		int z = dp_region(pg, k, u, &n);
		if (z == k) {
			k++;
			continue;
		}
		/* a table at the top of the page (after at most a running
		 * header) that lacks columns of the last page's table is its
		 * continuation: it keeps that table's columns */
		double known = 0;
		if (first && k <= 2 && pg->carry->ncols > 0) {
			known = pg->carry->pitch;
			if (dp_fits_carry(pg->carry, u, n)) {
				n = pg->carry->ncols;
				memcpy(u, pg->carry->cols,
				       (size_t)n * sizeof(*u));
			}
		}
		first = false;
		dp_paras(pg, para, k);
		dp_table(pg, k, z, u, n, known);
		memcpy(pg->carry->cols, u, (size_t)n * sizeof(*u));
		pg->carry->ncols = n;
		last_table = true;
		k = z;
		para = z;
	}
	/* more than a footer after the last table: it has ended */
	if (!last_table || pg->nlines - para > 2)
		pg->carry->ncols = 0;
	dp_paras(pg, para, pg->nlines);
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

static int dp_page(struct docb *b, PopplerPage *page, size_t *text_left,
		   struct dp_carry *carry)
{
	char *text = poppler_page_get_text(page);
	if (text == NULL)
		return 0;
	size_t tl = strlen(text);
	if (tl > *text_left) {
		g_free(text);
		docb_fail(b, "The PDF holds more text than an action plan "
			  "would; it was not read.");
		return -1;
	}
	*text_left -= tl;
	PopplerRectangle *r = NULL;
	guint nr = 0;
	if (!poppler_page_get_text_layout(page, &r, &nr)) {
		r = NULL;
		nr = 0;
	}
	struct dp_page pg = {.b = b, .carry = carry};
	int rc = dp_words(&pg, text, r, nr);
	if (rc == 0)
		rc = dp_lines(&pg);
	if (rc == 0)
		dp_page_blocks(&pg);
	free(pg.lines ? pg.lines[0].segs : NULL);
	free(pg.lines);
	free(pg.w);
	free(pg.text);
	g_free(r);
	g_free(text);
	return docb_failed(b) ? -1 : 0;
}

static void dp_date(struct doc *d, PopplerDocument *doc)
{
	time_t t = poppler_document_get_modification_date(doc);
	if (t <= 0)
		t = poppler_document_get_creation_date(doc);
	if (t <= 0)
		return;
	int64_t days = (int64_t)t / 86400;
	if (days > 0 && days < 2932897) {   /* before 9999-12-31 */
		d->date = cal_from_days((int32_t)days);
		d->has_date = true;
	}
}

int docread_pdf(struct docb *b, const char *data, size_t len,
		const struct doc_limits *lim)
{
	pthread_once(&dp_once, dp_init);
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *ge = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL,
							       &ge);
	if (doc == NULL) {
		bool enc = ge && ge->domain == POPPLER_ERROR &&
			   ge->code == POPPLER_ERROR_ENCRYPTED;
		if (ge)
			g_error_free(ge);
		g_bytes_unref(bytes);
		docb_fail(b, enc ? "The PDF is protected by a password. Save "
				   "it without one and try again."
				 : "The PDF is damaged and cannot be read. Save "
				   "it again, or upload the Word document.");
		return -1;
	}
	int n = poppler_document_get_n_pages(doc);
	if (n > lim->max_pages) {
		g_object_unref(doc);
		g_bytes_unref(bytes);
		docb_fail(b, "The PDF has %d pages, more than the %d an action "
			  "plan would have; it was not read.", n,
			  lim->max_pages);
		return -1;
	}
	dp_date(b->d, doc);
	size_t text_left = lim->max_text;
	struct dp_carry carry = {.ncols = 0};
	for (int i = 0; i < n && !docb_failed(b); i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		if (page == NULL)
			continue;
		dp_page(b, page, &text_left, &carry);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return docb_failed(b) ? -1 : 0;
}
