/*
 * import_reflow.c: tables that lost their delimiters on the way out of
 * a PDF, rebuilt as tab-separated rows for import.c's table pass (issue
 * 12: "text copied from a PDF (one cell per line, or columns flattened
 * into lines)" was read as nothing).
 *
 * Two shapes, both found by their header (the same vocabulary and the
 * same test as a delimited header: import_header_cells()):
 *
 *  - One cell per line, as a PDF viewer copies a table: the header is
 *    a run of at least three lines, each a heading alone, and the next
 *    line starts with a reference.  A row runs from a line that starts
 *    with a reference ("1. That ...", "R2 That ...", or the reference
 *    alone when it has a column) to the next such line, a blank line, a
 *    page's furniture ("Page 2 of 3", a running footer ending in a page
 *    number) or the header again.  When a row has as many lines as the
 *    header has columns, each line is a cell; when cells were wrapped
 *    over several lines, the lines are divided among the columns where
 *    a division is most likely (reflow_divide()).
 *
 *  - Columns side by side, as `pdftotext -layout` writes them: the
 *    header is one line whose headings are apart by two spaces or more,
 *    and each later line's pieces (apart likewise) belong to the column
 *    that starts nearest at or before them.  A row starts where its
 *    first column starts with a reference; the lines straight after it
 *    continue its cells; a blank line ends it.
 *
 * What is not a row (titles, footers, the page's furniture) is left as
 * it is, so import.c lists it as unplaced as it does for any table.
 * The result has the document's lines, each at its own number: a row's
 * or a header's first line holds it, its other lines are left blank.
 * Time and memory are linear in the document (a row's division is
 * bounded: REFLOW_ROW_LINES lines, IMPORT_MAXC columns, REFLOW_WORK
 * steps a document).
 */
#include "scrutiny/import_int.h"

#include <stdint.h>
#include <string.h>

#define REFLOW_HEAD_CELL 40   /* a heading alone on its line: bytes */
#define REFLOW_HEAD_WORDS 5   /* ... and words */
#define REFLOW_ROW_LINES 48   /* a row longer than this is not divided */
#define REFLOW_CELL_MAX 8192  /* a rebuilt cell: bytes */
#define REFLOW_WHEN_MAX 120   /* a longer line is not a timescale alone */
/* Steps of rf_divide() a document may take (a real plan takes
 * thousands; past this, rows are left undivided, and so unplaced, so
 * that time stays linear in the document) */
#define REFLOW_WORK (20u * 1000 * 1000)

struct rline {
	const char *s;   /* trimmed */
	size_t n;
	const char *raw; /* the whole line (layout needs its columns) */
	size_t rawn;
	signed char head; /* a heading alone: its column; -1 not yet known */
};

struct reflow {
	struct arena *a;
	bool oom;
	struct rline *l;
	size_t nl;
	char **out;      /* replacement of each line, NULL: as it was */
	bool any;
	size_t work;     /* rf_divide() steps so far (REFLOW_WORK) */
};

/* ---- lines ----------------------------------------------------------- */

static bool rf_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v';
}

/* Splits doc into lines as import.c's line_next() does (LF, CRLF or a
 * lone CR end a line), each trimmed of spaces at both ends. */
static bool rf_lines(struct reflow *r, const char *doc, size_t len)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		if (doc[i] == '\n' || doc[i] == '\r')
			cap++;
	r->l = arena_alloc(r->a, cap * sizeof(*r->l));
	r->out = arena_zalloc(r->a, cap * sizeof(*r->out));
	if (r->l == NULL || r->out == NULL)
		return false;
	size_t pos = 0;
	while (pos < len) {
		size_t i = pos;
		while (i < len && doc[i] != '\n' && doc[i] != '\r')
			i++;
		struct rline *l = &r->l[r->nl++];
		l->raw = doc + pos;
		l->rawn = i - pos;
		size_t b = pos, e = i;
		while (b < e && rf_space(doc[b]))
			b++;
		while (e > b && rf_space(doc[e - 1]))
			e--;
		l->s = doc + b;
		l->n = e - b;
		l->head = -1;
		if (i < len) {
			if (doc[i] == '\r' && i + 1 < len && doc[i + 1] == '\n')
				i++;
			i++;
		}
		pos = i;
	}
	return true;
}

static char *rf_str(struct reflow *r, const char *s, size_t n)
{
	char *t = arena_alloc(r->a, n + 1);
	if (t == NULL) {
		r->oom = true;
		return NULL;
	}
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

static bool rf_lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool rf_upper_or_digit(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* A page's furniture: "Page 2", "Page 2 of 3", "2 of 3", or a running
 * header or footer that ends, after a wide gap, in a page number. */
static bool rf_furniture(const struct rline *l)
{
	const char *s = l->s;
	size_t n = l->n, i = 0;
	if (import_ci_prefix(s, n, "page "))
		i = 5;
	size_t d = i;
	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d > i && (d == n || import_ci_prefix(s + d, n - d, " of ")))
		return i > 0 || d < n;
	/* "Wyvern Heath Council                4" */
	size_t e = n;
	while (e > 0 && s[e - 1] >= '0' && s[e - 1] <= '9')
		e--;
	if (e == n || n - e > 4 || e < 4)
		return false;
	return rf_space(s[e - 1]) && rf_space(s[e - 2]) && rf_space(s[e - 3]);
}

/* ---- references -------------------------------------------------------- */

/* Where a row starts: the line starts with a reference ("1.", "1)",
 * "R2", "3.1") followed by text in capitals ("6 months" is not a row),
 * or is a reference alone when the table has a reference column. */
static bool rf_row_start(const char *s, size_t n, bool ref_col, int *num)
{
	size_t i = s[0] == '(' ? 1 : 0;
	int sub;
	size_t d = import_doc_ref(s + i, n - i, num, &sub);
	if (d == 0)
		return false;
	d += i;
	if (i == 1) {
		if (d >= n || s[d] != ')')
			return false;
		d++;
	} else if (d < n && (s[d] == '.' || s[d] == ')' || s[d] == ':')) {
		d++;
	}
	if (d == n)
		return ref_col;
	if (!rf_space(s[d]))
		return false;
	while (d < n && rf_space(s[d]))
		d++;
	return d < n && rf_upper_or_digit(s[d]);
}

/* ---- one cell per line ------------------------------------------------- */

static enum col rf_heading_role(const struct rline *l);

/* A heading alone on its line: short, few words, no sentence.  Known
 * once a line (a header is looked for from every line). */
static bool rf_heading_line(struct rline *l,
			    enum col *role)
{
	if (l->head < 0)
		l->head = (signed char)rf_heading_role(l);
	*role = (enum col)l->head;
	return l->head != COL_NONE;
}

static enum col rf_heading_role(const struct rline *l)
{
	enum col none = COL_NONE;
	if (l->n == 0 || l->n > REFLOW_HEAD_CELL || import_ends_sentence(l->s, l->n))
		return none;
	int words = 1;
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i] == ' ' && i + 1 < l->n && l->s[i + 1] != ' ')
			words++;
	if (words > REFLOW_HEAD_WORDS)
		return none;
	char t[REFLOW_HEAD_CELL + 1];  /* no arena: every line is tried */
	memcpy(t, l->s, l->n);
	t[l->n] = '\0';
	return import_cell_role(t);
}

struct vhead {
	size_t first, k;                 /* its lines */
	unsigned char role[IMPORT_MAXC];
	bool ref_col;
};

/* The header of a one-cell-per-line table starting at line i. */
static bool rf_vhead(struct reflow *r, size_t i, struct vhead *h)
{
	size_t k = 0;
	enum col role;
	while (i + k < r->nl && k < IMPORT_MAXC &&
	       rf_heading_line(&r->l[i + k], &role))
		k++;
	if (k < 3 || i + k >= r->nl)
		return false;
	const struct rline *next = &r->l[i + k];
	int num;
	bool ref_col = false;
	for (size_t j = 0; j < k; j++)
		ref_col |= r->l[i + j].head == COL_REF;
	/* the cheap test first: every line starts a run of headings in a
	 * document of nothing else */
	if (next->n == 0 || !rf_row_start(next->s, next->n, ref_col, &num))
		return false;
	char *cell[IMPORT_MAXC];
	for (size_t j = 0; j < k; j++) {
		cell[j] = rf_str(r, r->l[i + j].s, r->l[i + j].n);
		if (cell[j] == NULL)
			return false;
	}
	if (!import_header_cells(r->a, cell, k, h->role))
		return false;
	h->first = i;
	h->k = k;
	h->ref_col = ref_col;
	return true;
}

/* Whether lines i.. repeat the header h (after a page break). */
static bool rf_vhead_again(const struct reflow *r, size_t i,
			   const struct vhead *h)
{
	if (i + h->k > r->nl)
		return false;
	for (size_t j = 0; j < h->k; j++) {
		const struct rline *a = &r->l[h->first + j], *b = &r->l[i + j];
		if (a->n != b->n || memcmp(a->s, b->s, a->n) != 0)
			return false;
	}
	return true;
}

static bool rf_short_role(unsigned char role)
{
	return role == COL_REF || role == COL_OWNER || role == COL_TIMESCALE ||
	       role == COL_STATUS || role == COL_BUDGET;
}

/* How likely a cell ends before line j of the row (lines[j - 1] is the
 * last of one cell, lines[j] the first of the next). */
static int rf_gap(const struct rline *const *ln, size_t j)
{
	int s = 0;
	if (import_ends_sentence(ln[j - 1]->s, ln[j - 1]->n))
		s += 3;
	if (rf_lower(ln[j]->s[0]))
		s -= 4;
	else if (rf_upper_or_digit(ln[j]->s[0]))
		s += 1;
	return s;
}

/* How well lines [i, j) fit a cell of the column role. */
static int rf_fit(const struct rline *const *ln, size_t i, size_t j,
		  unsigned char role)
{
	if (i == j)
		return -5;
	if (!rf_short_role(role))
		return 0;
	int s = -2 * (int)(j - i - 1);
	if (j - i == 1 && (role == COL_TIMESCALE || role == COL_STATUS) &&
	    ln[i]->n < REFLOW_WHEN_MAX) {
		char t[REFLOW_WHEN_MAX];  /* no arena: tried for every division */
		memcpy(t, ln[i]->s, ln[i]->n);
		t[ln[i]->n] = '\0';
		if (import_is_when(t))
			s += 2;
	}
	if (role == COL_OWNER && j - i == 1 && !import_ends_sentence(ln[i]->s,
							     ln[i]->n))
		s += 1;
	return s;
}

/*
 * Divides a row's L lines among its K columns, each column a run of
 * lines (maybe none), in order, the first column starting at the first
 * line: the division with the best sum of rf_gap() at each cut and
 * rf_fit() of each cell.  cut[k] gets the first line of column k
 * (cut[K] = L).  Dynamic programming over (column, line): O(K * L^2).
 */
static bool rf_divide(struct reflow *r, const struct rline *const *ln,
		      size_t L, const struct vhead *h, size_t *cut)
{
	size_t K = h->k;
	enum { NEG = INT32_MIN / 4 };
	r->work += K * (L + 1) * (L + 2) / 2;
	if (r->work > REFLOW_WORK)
		return false;
	int (*best)[REFLOW_ROW_LINES + 1] =
		arena_alloc(r->a, (K + 1) * sizeof(*best));
	unsigned char (*from)[REFLOW_ROW_LINES + 1] =
		arena_alloc(r->a, (K + 1) * sizeof(*from));
	if (best == NULL || from == NULL) {
		r->oom = true;
		return false;
	}
	for (size_t k = 0; k <= K; k++)
		for (size_t i = 0; i <= L; i++)
			best[k][i] = NEG;
	best[0][0] = 0;
	for (size_t k = 0; k < K; k++) {
		for (size_t i = 0; i <= L; i++) {
			if (best[k][i] == NEG)
				continue;
			for (size_t j = i; j <= L; j++) {
				/* the first column holds the first line */
				if (k == 0 && j == 0 && L > 0)
					continue;
				int s = best[k][i] + rf_fit(ln, i, j,
							    h->role[k]);
				if (j > i && i > 0)
					s += rf_gap(ln, i);
				if (s > best[k + 1][j]) {
					best[k + 1][j] = s;
					from[k + 1][j] = (unsigned char)i;
				}
			}
		}
	}
	if (best[K][L] == NEG)
		return false;
	cut[K] = L;
	for (size_t k = K; k > 0; k--)
		cut[k - 1] = from[k][cut[k]];
	return true;
}

/* Lines [i, j) joined by spaces, tabs made spaces. */
static char *rf_join(struct reflow *r, const struct rline *const *ln,
		     size_t i, size_t j)
{
	size_t n = 0;
	for (size_t q = i; q < j; q++)
		n += ln[q]->n + 1;
	if (n > REFLOW_CELL_MAX)
		n = REFLOW_CELL_MAX;
	char *t = arena_alloc(r->a, n + 1);
	if (t == NULL) {
		r->oom = true;
		return NULL;
	}
	size_t o = 0;
	for (size_t q = i; q < j; q++) {
		if (o > 0 && o < n)
			t[o++] = ' ';
		for (size_t b = 0; b < ln[q]->n && o < n; b++)
			t[o++] = ln[q]->s[b] == '\t' ? ' ' : ln[q]->s[b];
	}
	t[o] = '\0';
	return t;
}

/* cells[0..k) as one tab-separated line. */
static char *rf_tsv(struct reflow *r, char **cell, size_t k)
{
	size_t n = 0;
	for (size_t q = 0; q < k; q++)
		n += strlen(cell[q]) + 1;
	char *t = arena_alloc(r->a, n + 1);
	if (t == NULL) {
		r->oom = true;
		return NULL;
	}
	size_t o = 0;
	for (size_t q = 0; q < k; q++) {
		if (q > 0)
			t[o++] = '\t';
		size_t m = strlen(cell[q]);
		memcpy(t + o, cell[q], m);
		o += m;
	}
	t[o] = '\0';
	return t;
}

/* Replaces lines [i, i + n) by one line, text, and n - 1 blank ones. */
static void rf_put(struct reflow *r, size_t i, size_t n, char *text)
{
	if (text == NULL)
		return;
	r->out[i] = text;
	for (size_t q = 1; q < n; q++)
		r->out[i + q] = "";
	r->any = true;
}

/* The header's own line: its headings tab-separated. */
static void rf_put_vhead(struct reflow *r, size_t i, const struct vhead *h)
{
	char *cell[IMPORT_MAXC];
	for (size_t j = 0; j < h->k; j++) {
		cell[j] = rf_str(r, r->l[i + j].s, r->l[i + j].n);
		if (cell[j] == NULL)
			return;
	}
	rf_put(r, i, h->k, rf_tsv(r, cell, h->k));
}

/* Reads the one-cell-per-line table whose header is h; returns the line
 * after its region. */
static size_t rf_vtable(struct reflow *r, const struct vhead *h)
{
	rf_put_vhead(r, h->first, h);
	size_t i = h->first + h->k;
	while (i < r->nl && !r->oom) {
		const struct rline *l = &r->l[i];
		int num;
		if (rf_vhead_again(r, i, h)) {
			rf_put_vhead(r, i, h);
			i += h->k;
			continue;
		}
		if (l->n == 0 || rf_furniture(l) ||
		    !rf_row_start(l->s, l->n, h->ref_col, &num)) {
			i++;
			continue;
		}
		/* the row: to the next start, blank, furniture or header */
		const struct rline *ln[REFLOW_ROW_LINES];
		size_t L = 0, j = i;
		while (j < r->nl && L < REFLOW_ROW_LINES) {
			const struct rline *m = &r->l[j];
			int x;
			if (j > i && (m->n == 0 || rf_furniture(m) ||
				      rf_vhead_again(r, j, h) ||
				      rf_row_start(m->s, m->n, h->ref_col, &x)))
				break;
			ln[L++] = m;
			j++;
		}
		size_t cut[IMPORT_MAXC + 1];
		if (L < REFLOW_ROW_LINES && rf_divide(r, ln, L, h, cut)) {
			char *cell[IMPORT_MAXC];
			for (size_t k = 0; k < h->k; k++) {
				cell[k] = rf_join(r, ln, cut[k], cut[k + 1]);
				if (cell[k] == NULL)
					return r->nl;
			}
			rf_put(r, i, L, rf_tsv(r, cell, h->k));
		}
		i = j;
	}
	return i;
}

/* ---- columns side by side ---------------------------------------------- */

struct piece {
	size_t col;       /* its first character's column on the line */
	const char *s;
	size_t n;
};

/* Splits a raw line into pieces apart by two spaces or more (or a tab);
 * columns count characters, not bytes.  Returns how many (at most max). */
static size_t rf_pieces(const struct rline *l, struct piece *p, size_t max)
{
	size_t np = 0, col = 0, i = 0;
	const char *s = l->raw;
	size_t n = l->rawn;
	while (i < n && np < max) {
		while (i < n && rf_space(s[i])) {
			/* a form feed (a page break) takes no column */
			if (s[i] == ' ' || s[i] == '\t')
				col++;
			i++;
		}
		if (i >= n)
			break;
		p[np].col = col;
		p[np].s = s + i;
		size_t e = i;
		for (;;) {
			if (e >= n || s[e] == '\t')
				break;
			if (s[e] == ' ' && e + 1 < n &&
			    (s[e + 1] == ' ' || s[e + 1] == '\t'))
				break;
			if (((unsigned char)s[e] & 0xc0) != 0x80)
				col++;
			e++;
		}
		p[np].n = e - i;
		np++;
		i = e;
	}
	return np;
}

struct lhead {
	size_t line, k;
	size_t start[IMPORT_MAXC];
	unsigned char role[IMPORT_MAXC];
	bool ref_col;
};

/* A header of columns side by side on line i. */
static bool rf_lhead(struct reflow *r, size_t i, struct lhead *h)
{
	struct piece p[IMPORT_MAXC + 1];
	size_t np = rf_pieces(&r->l[i], p, IMPORT_MAXC + 1);
	if (np < 3 || np > IMPORT_MAXC)
		return false;
	char *cell[IMPORT_MAXC];
	bool ref_col = false;
	for (size_t k = 0; k < np; k++) {
		if (p[k].n > REFLOW_HEAD_CELL)
			return false;
		cell[k] = rf_str(r, p[k].s, p[k].n);
		if (cell[k] == NULL)
			return false;
		h->start[k] = p[k].col;
	}
	if (!import_header_cells(r->a, cell, np, h->role))
		return false;
	for (size_t k = 0; k < np; k++)
		ref_col |= h->role[k] == COL_REF;
	h->line = i;
	h->k = np;
	h->ref_col = ref_col;
	return true;
}

/* The column a piece starting at col belongs to: the last that starts
 * at or before it (a piece may start a character early). */
static size_t rf_column(const struct lhead *h, size_t col)
{
	size_t k = 0;
	while (k + 1 < h->k && h->start[k + 1] <= col + 1)
		k++;
	return k;
}

/* Whether line i repeats the header h (after a page break). */
static bool rf_lhead_again(const struct reflow *r, size_t i,
			   const struct lhead *h)
{
	struct piece p[IMPORT_MAXC + 1], q[IMPORT_MAXC + 1];
	size_t np = rf_pieces(&r->l[i], p, IMPORT_MAXC + 1);
	size_t nq = rf_pieces(&r->l[h->line], q, IMPORT_MAXC + 1);
	if (np != nq || np == 0)
		return false;
	for (size_t k = 0; k < np; k++)
		if (p[k].n != q[k].n || memcmp(p[k].s, q[k].s, p[k].n) != 0)
			return false;
	return true;
}

/* Writes line i's pieces (a header) as one tab-separated line. */
static void rf_put_lhead(struct reflow *r, size_t i)
{
	struct piece p[IMPORT_MAXC];
	size_t np = rf_pieces(&r->l[i], p, IMPORT_MAXC);
	char *cell[IMPORT_MAXC];
	for (size_t k = 0; k < np; k++)
		if ((cell[k] = rf_str(r, p[k].s, p[k].n)) == NULL)
			return;
	rf_put(r, i, 1, rf_tsv(r, cell, np));
}

/* Whether line l starts a row: its first piece, in the first column,
 * starts with a reference. */
static bool rf_lrow_start(const struct lhead *h, const struct rline *l)
{
	struct piece p[1];
	int num;
	return l->n > 0 && rf_pieces(l, p, 1) == 1 &&
	       rf_column(h, p[0].col) == 0 &&
	       rf_row_start(p[0].s, p[0].n, h->ref_col, &num);
}

/* Reads the row whose first line is i: that line and those straight
 * after it (to a blank line, the page's furniture or the next row),
 * each piece added to its column's cell.  Returns the line after it. */
static size_t rf_lrow(struct reflow *r, const struct lhead *h, size_t i)
{
	char *cell[IMPORT_MAXC];
	for (size_t k = 0; k < h->k; k++)
		cell[k] = "";
	size_t j = i;
	while (j < r->nl && !r->oom) {
		const struct rline *m = &r->l[j];
		if (m->n == 0 || rf_furniture(m) ||
		    (j > i && rf_lrow_start(h, m)))
			break;
		struct piece p[IMPORT_MAXC];
		size_t np = rf_pieces(m, p, IMPORT_MAXC);
		for (size_t q = 0; q < np; q++) {
			size_t k = rf_column(h, p[q].col);
			size_t a = strlen(cell[k]);
			if (a + p[q].n + 1 > REFLOW_CELL_MAX)
				continue;
			char *u = arena_alloc(r->a, a + p[q].n + 2);
			if (u == NULL) {
				r->oom = true;
				return r->nl;
			}
			memcpy(u, cell[k], a);
			size_t o = a;
			if (a > 0)
				u[o++] = ' ';
			for (size_t b = 0; b < p[q].n; b++)
				u[o++] = p[q].s[b] == '\t' ? ' ' : p[q].s[b];
			u[o] = '\0';
			cell[k] = u;
		}
		j++;
	}
	rf_put(r, i, j - i, rf_tsv(r, cell, h->k));
	return j;
}

/* Reads the table whose header is h; returns the line after it.  After
 * the header again (a page break), lines before the next row are the
 * end of the row the page broke: a row of their own, without a
 * reference, which import.c joins to the row above. */
static size_t rf_ltable(struct reflow *r, const struct lhead *h)
{
	rf_put_lhead(r, h->line);
	size_t i = h->line + 1;
	bool after_break = false;
	while (i < r->nl && !r->oom) {
		const struct rline *l = &r->l[i];
		if (l->n == 0 || rf_furniture(l)) {
			i++;
		} else if (rf_lhead_again(r, i, h)) {
			rf_put_lhead(r, i);
			after_break = true;
			i++;
		} else if (rf_lrow_start(h, l)) {
			after_break = false;
			i = rf_lrow(r, h, i);
		} else if (after_break) {
			after_break = false;
			i = rf_lrow(r, h, i);
		} else {
			i++;
		}
	}
	return i;
}

/* ---- the document -------------------------------------------------------- */

bool import_reflow(struct arena *a, const char *doc, size_t len,
		   char **out, size_t *outlen, bool *oom)
{
	struct reflow r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	*oom = false;
	if (!rf_lines(&r, doc, len)) {
		*oom = true;
		return false;
	}
	for (size_t i = 0; i < r.nl && !r.oom;) {
		struct vhead vh;
		struct lhead lh;
		if (r.l[i].n == 0) {
			i++;
		} else if (rf_vhead(&r, i, &vh)) {
			i = rf_vtable(&r, &vh);
			break;     /* one table a document, as import.c reads */
		} else if (rf_lhead(&r, i, &lh)) {
			i = rf_ltable(&r, &lh);
			break;
		} else {
			i++;
		}
	}
	if (r.oom || !r.any) {
		*oom = r.oom;
		return false;
	}
	/* the document again, line for line */
	size_t n = 0;
	for (size_t i = 0; i < r.nl; i++)
		n += (r.out[i] ? strlen(r.out[i]) : r.l[i].rawn) + 1;
	char *t = arena_alloc(a, n + 1);
	if (t == NULL) {
		*oom = true;
		return false;
	}
	size_t o = 0;
	for (size_t i = 0; i < r.nl; i++) {
		if (r.out[i]) {
			size_t m = strlen(r.out[i]);
			memcpy(t + o, r.out[i], m);
			o += m;
		} else {
			/* a tab in a line left as it was would make it a row */
			for (size_t b = 0; b < r.l[i].rawn; b++)
				t[o++] = r.l[i].raw[b] == '\t' ? ' '
							       : r.l[i].raw[b];
		}
		t[o++] = '\n';
	}
	t[o] = '\0';
	*out = t;
	*outlen = o;
	return true;
}
