/*
 * search.c: child_search (child.h "search").  The criteria are checked
 * and normalised; a name is scored by parts (namematch.h) against the
 * name index (names.c), an identifier or a date of birth through its
 * look-up (child_st_by_*); the matches are ranked, the page's rows read
 * in the same read snapshot, and the ("search", "child") audit row is
 * committed before anything is returned.
 *
 * Partners: every match passes child_involved before it is counted.
 */
#include "child/child_int.h"
#include "child/ident.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

/* the rows of a page of results */
DB_STMT(st_hit) = {
	"child_hit",
	"SELECT " CHILD_MATCH_COLS " FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	R_READ,
};

/* a row of a page of results shown to people (child_query.details):
 * the child, its gender and current postcode, then one row per parent
 * still involved (?3 today; none unless ?4 is 1), by name; a child
 * with no parent is one row with a NULL name.  Every row's first
 * columns are the child's. */
DB_STMT(st_hit_details) = {
	"child_hit_details",
	"SELECT h.*, m.name FROM"
	" (SELECT " CHILD_MATCH_COLS ", gender,"
	"  (SELECT a.postcode FROM address a WHERE a.council = ?1"
	"   AND a.child_id = ?2 AND a.end_date IS NULL"
	"   ORDER BY a.start_date DESC, a.address_id DESC LIMIT 1) AS postcode"
	"  FROM child WHERE council = ?1 AND child_id = ?2) h"
	" LEFT JOIN network_member m ON m.council = ?1 AND m.child_id = ?2"
	" AND ?4 = 1 AND m.kind = 'parent'"
	" AND (m.end_date IS NULL OR m.end_date > ?3)"
	" ORDER BY m.name, m.member_id",
	R_READ,
};
/* the columns of st_hit_details after CHILD_MATCH_COLS */
enum { HIT_GENDER = CHILD_MATCH_NCOLS, HIT_POSTCODE, HIT_PARENT };

/* ---- scoring a name ---------------------------------------------------- */

/* How a name query is scored. */
struct scorer {
	bool single;                 /* one word: try it as either part */
	struct namematch_query both; /* given + family (not single) */
	struct namematch_query qg;   /* the given part (or the word) alone */
	struct namematch_query qf;   /* the family part (or the word) alone */
	char gkey[NAMEMATCH_KEY_MAX], fkey[NAMEMATCH_KEY_MAX];
};

/* Splits a trimmed name into given names and a family name (the last
 * word).  Returns false when it holds no word. */
static bool scorer_init(struct scorer *s, struct arena *a, const char *name)
{
	char *t = child_trimmed(a, name);
	if (t == NULL || t[0] == '\0')
		return false;
	char *last = NULL;
	for (char *p = t; *p; p++)
		if (is_space(*p))
			last = p;
	if (last == NULL) {
		s->single = true;
		namematch_query_init(&s->qg, t, NULL);
		namematch_query_init(&s->qf, NULL, t);
		child_name_key(t, s->gkey);
		memcpy(s->fkey, s->gkey, sizeof(s->fkey));
		return true;
	}
	char *family = last + 1;
	char *g = last;
	while (g > t && is_space(g[-1]))
		g--;
	*g = '\0';
	s->single = false;
	namematch_query_init(&s->both, t, family);
	namematch_query_init(&s->qg, t, NULL);
	namematch_query_init(&s->qf, NULL, family);
	child_name_key(t, s->gkey);
	child_name_key(family, s->fkey);
	return true;
}

static int scorer_score(const struct scorer *s, const char *g, const char *f)
{
	if (s->single) {
		int a = namematch_score_query(&s->qg, g, NULL);
		int b = namematch_score_query(&s->qf, NULL, f);
		return a > b ? a : b;
	}
	return namematch_score_query(&s->both, g, f);
}

/* The similarities of one name to the query (see namematch_part_score):
 * sg to the query's given part (for one word: to the word), sf to its
 * family part (one word: the same), best the larger, and kh whether the
 * name's phonetic key is one the query looks up. */
struct name_sims {
	uint8_t sg, sf, best, kh;
};

static struct name_sims scorer_sims(const struct scorer *s,
				    const struct namematch_part *p,
				    const char *key)
{
	struct name_sims m;
	if (s->single) {
		/* qg's given part and qf's family part are the same word */
		int v = namematch_part_score(&s->qg, 0, p);
		m.sg = m.sf = (uint8_t)v;
	} else {
		m.sg = (uint8_t)namematch_part_score(&s->both, 0, p);
		m.sf = (uint8_t)namematch_part_score(&s->both, 1, p);
	}
	m.best = m.sg > m.sf ? m.sg : m.sf;
	/* the phonetic index is looked up by the query's keys, never by "" */
	m.kh = (s->gkey[0] && strcmp(key, s->gkey) == 0) ||
	       (s->fkey[0] && strcmp(key, s->fkey) == 0) ||
	       (m.best >= NAMEMATCH_NICK &&
		namematch_nickname(s->single ? &s->qg : &s->both, p));
	return m;
}

/* scorer_score of a row from the similarities of its two names: exactly
 * namematch_score_query (namematch.h, "Scoring by parts"). */
static int scorer_combine(const struct scorer *s, struct name_sims g,
			  struct name_sims f)
{
	if (s->single) {
		int a = namematch_combine(&s->qg, g.sg, 0, 0, 0);
		int b = namematch_combine(&s->qf, 0, f.sf, 0, 0);
		return a > b ? a : b;
	}
	return namematch_combine(&s->both, g.sg, f.sf, f.sg, g.sf);
}

/* ---- ranking ------------------------------------------------------------ */

/* A match kept while ranking. */
struct hit {
	int64_t id;
	int score;
	const char *family, *given; /* for ties; live as long as the ranking */
};

/* The ranking state: the hits (arena), in any order while there are
 * fewer than CHILD_SEARCH_MAX; from then on a heap of the best
 * CHILD_SEARCH_MAX, the worst at the root (most searches never get
 * there, and so never pay for keeping a heap). */
struct ranking {
	struct arena *a;
	const struct child_ctx *x;
	struct db_conn *c;
	const struct scorer *sc;     /* NULL: no name criterion */
	struct hit *heap;
	int nheap;
	int64_t matched;             /* matches counted, kept or not */
	/* the identifier criteria, checked in C on rows a lookup found */
	const char *dob, *nhs, *upn, *la_ref;
};

/* The result order: score, then family name, given name and id. */
static int cmp_hit(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	/* names from the index are interned: equal names are often the
	 * same pointer (rows of one family tie on score) */
	int k = a->family == b->family ? 0 : strcmp(a->family, b->family);
	if (k == 0)
		k = a->given == b->given ? 0 : strcmp(a->given, b->given);
	if (k)
		return k;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* By the full result order, so which hits are kept when there are more
 * than CHILD_SEARCH_MAX does not depend on the order they came in. */
static bool hit_worse(const struct hit *a, const struct hit *b)
{
	return cmp_hit(a, b) > 0;
}

/* Sifts h[i] down a heap of n hits: the worst at the root when dir > 0,
 * the best when dir < 0. */
static void heap_down(struct hit *h, int n, int i, int dir)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && dir * cmp_hit(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && dir * cmp_hit(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		struct hit t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The `upto` best of h[0..n) in result order, in a new arena array (NULL
 * over budget); h is left in any order.  Only the page is read, so for a
 * first page this is a partial heapsort rather than a full sort. */
static struct hit *hits_best(struct arena *a, struct hit *h, int n, int upto)
{
	struct hit *out = arena_alloc(a, (size_t)(upto + 1) * sizeof(*out));
	if (out == NULL)
		return NULL;
	if ((int64_t)upto * 4 >= n) {
		qsort(h, (size_t)n, sizeof(*h), cmp_hit);
		memcpy(out, h, (size_t)upto * sizeof(*out));
		return out;
	}
	for (int i = n / 2 - 1; i >= 0; i--)
		heap_down(h, n, i, -1);
	for (int k = 0; k < upto; k++) {
		out[k] = h[0];
		h[0] = h[--n];
		heap_down(h, n, 0, -1);
	}
	return out;
}

/* Offers a scored row (already known to pass every criterion).  given and
 * family must live as long as the ranking. */
static int rank_offer(struct ranking *r, int64_t id, int score,
		      const char *given, const char *family)
{
	if (r->x->act->partner) {
		int rc = child_involved(r->c, r->x->act, id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return ERR_OK;
	}
	r->matched++;
	struct hit h = {id, score, family ? family : "", given ? given : ""};
	if (r->nheap < CHILD_SEARCH_MAX) {
		r->heap[r->nheap++] = h;
		if (r->nheap == CHILD_SEARCH_MAX) /* full: make it a heap */
			for (int i = r->nheap / 2 - 1; i >= 0; i--)
				heap_down(r->heap, r->nheap, i, 1);
		return ERR_OK;
	}
	if (!hit_worse(&r->heap[0], &h))
		return ERR_OK;
	r->heap[0] = h;
	heap_down(r->heap, r->nheap, 0, 1);
	return ERR_OK;
}

/* Rows of an identifier lookup (MATCH_COLS): every criterion checked. */
static int rank_lookup(struct ranking *r, const struct db_stmt *st,
		       const char *value)
{
	struct db_q *q;
	int rc = db_prepare(r->c, st, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, r->x->act->council);
	db_bind_text(q, 2, value);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *g = db_col_text(q, 1), *f = db_col_text(q, 2);
		const struct {
			const char *want;
			int col;
		} crit[4] = {{r->la_ref, 3}, {r->dob, 4}, {r->nhs, 6},
			     {r->upn, 7}};
		bool ok = true;
		for (int k = 0; k < 4 && ok; k++) {
			const char *have = db_col_text(q, crit[k].col);
			ok = crit[k].want == NULL ||
			     (have && strcmp(have, crit[k].want) == 0);
		}
		if (!ok)
			continue;
		int score = 100;
		if (r->sc) {
			score = scorer_score(r->sc, g, f);
			if (score < NAMEMATCH_LIKELY)
				continue;
		}
		g = arena_strdup(r->a, g ? g : "");
		f = arena_strdup(r->a, f ? f : "");
		if (g == NULL || f == NULL)
			return ERR_NOMEM;
		if ((rc = rank_offer(r, db_col_i64(q, 0), score, g, f)))
			return rc;
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Offers snapshot row i when it belongs to the pass (keyed: a name's key
 * is the query's; otherwise not) and its score is likely. */
static int rank_row(struct ranking *r, const struct nx_view *v,
		    const struct name_sims *ns, size_t i, bool keyed)
{
	const struct nx_snap *s = v->snap;
	const struct nx_row *row = &s->rows[i];
	struct name_sims g = ns[row->g], f = ns[row->f];
	if ((bool)(g.kh | f.kh) != keyed)
		return ERR_OK;
	if (v->nskip && bsearch(&row->id, v->skip, v->nskip,
				sizeof(*v->skip), child_cmp_i64))
		return ERR_OK; /* read again: among the extra rows */
	int score = scorer_combine(r->sc, g, f);
	if (score < NAMEMATCH_LIKELY)
		return ERR_OK;
	return rank_offer(r, row->id, score, s->names[row->g].text,
			  s->names[row->f].text);
}

/*
 * A name search over the index, in two passes with the semantics of the
 * phonetic index and its fallback scan: first the rows with a name whose
 * key the query has (given_key or family_key equal to the key of either
 * query part; for one word, its key), then, when fewer than
 * CHILD_SEARCH_SCAN_BELOW of them matched, every other row.  Each
 * distinct name is scored once.  A row's score cannot exceed the best
 * similarity of its two names (namematch.h), so only the rows of names
 * reaching NAMEMATCH_LIKELY are looked at, through the rows-by-name
 * lists.
 */
static int rank_index(struct ranking *r, const struct nx_view *v)
{
	const struct scorer *sc = r->sc;
	const struct nx_snap *s = v->snap;
	struct name_sims *ns = arena_alloc(r->a, (s->nnames + 1) *
						     sizeof(*ns));
	uint32_t *likely = arena_alloc(r->a, (s->nnames + 1) *
					      sizeof(*likely));
	if (ns == NULL || likely == NULL)
		return ERR_NOMEM;
	size_t nlikely = 0;
	for (size_t i = 0; i < s->nnames; i++) {
		ns[i] = scorer_sims(sc, &s->names[i].part, s->names[i].key);
		if (ns[i].best >= NAMEMATCH_LIKELY)
			likely[nlikely++] = (uint32_t)i;
	}
	for (int pass = 0; pass < 2; pass++) {
		bool keyed = pass == 0;
		if (!keyed && r->matched >= CHILD_SEARCH_SCAN_BELOW)
			break;
		for (size_t k = 0; k < nlikely; k++) {
			uint32_t n = likely[k];
			for (uint32_t j = s->goff[n]; j < s->goff[n + 1]; j++) {
				int rc = rank_row(r, v, ns, s->post[j], keyed);
				if (rc != ERR_OK)
					return rc;
			}
			for (uint32_t j = s->foff[n]; j < s->foff[n + 1]; j++) {
				uint32_t i = s->post[j];
				if (ns[s->rows[i].g].best >= NAMEMATCH_LIKELY)
					continue; /* seen by its given name */
				int rc = rank_row(r, v, ns, i, keyed);
				if (rc != ERR_OK)
					return rc;
			}
		}
		for (size_t i = 0; i < v->nextra; i++) {
			const struct nx_extra *e = &v->extra[i];
			struct name_sims g = scorer_sims(sc, &e->g, e->gkey);
			struct name_sims f = scorer_sims(sc, &e->f, e->fkey);
			if ((bool)(g.kh | f.kh) != keyed)
				continue;
			int score = scorer_combine(sc, g, f);
			if (score < NAMEMATCH_LIKELY)
				continue;
			int rc = rank_offer(r, e->id, score, e->given,
					    e->family);
			if (rc != ERR_OK)
				return rc;
		}
	}
	return ERR_OK;
}

/* Validates the query into r's criteria.  Returns ERR_OK or
 * ERR_INVALID. */
static int search_criteria(struct arena *a, const struct child_query *q,
			   struct ranking *r, struct scorer *sc,
			   struct field_errors *e)
{
	int before = e->n;
	bool any = false;
	if (q->name && scorer_init(sc, a, q->name)) {
		if (str_utf8_chars(q->name, strlen(q->name)) > 2 * NAME_MAX_CHARS)
			fe_addf(e, "name", "Name must be %d characters or fewer.",
				2 * NAME_MAX_CHARS);
		r->sc = sc;
		any = true;
	}
	char *t;
	if (q->dob && (t = child_trimmed(a, q->dob)) && t[0]) {
		struct cal_date d;
		char buf[11];
		if (child_check_date(t, "dob", "Date of birth", &d, e)) {
			cal_date_format(d, buf);
			r->dob = arena_strdup(a, buf);
		}
		any = true;
	}
	if (q->nhs_number && (t = child_trimmed(a, q->nhs_number)) && t[0]) {
		char norm[11], msg[200];
		if (ident_nhs_check(t, strlen(t), norm) == IDENT_OK) {
			r->nhs = arena_strdup(a, norm);
		} else {
			ident_nhs_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "nhs_number", "%s", msg);
		}
		any = true;
	}
	if (q->upn && (t = child_trimmed(a, q->upn)) && t[0]) {
		char norm[14], msg[200];
		if (ident_upn_check(t, strlen(t), norm) == IDENT_OK) {
			r->upn = arena_strdup(a, norm);
		} else {
			ident_upn_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "upn", "%s", msg);
		}
		any = true;
	}
	if (q->la_ref && (t = child_trimmed(a, q->la_ref)) && t[0]) {
		size_t k = 0;
		bool ok = strlen(t) <= 24;
		for (char *p = t; ok && *p; p++) {
			char ch = *p;
			if (ch == ' ')
				continue;
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
			t[k++] = ch;
		}
		t[k] = '\0';
		if (ok)
			r->la_ref = t;
		else
			fe_addf(e, "la_ref", "LA reference must be letters and "
				"digits only, for example NWD0001234.");
		any = true;
	}
	if (!any)
		fe_addf(e, "name", "Enter a name, date of birth, NHS number, UPN "
			"or LA reference to search for.");
	if (q->limit < 1 || q->limit > 200)
		fe_addf(e, "limit", "Limit must be a whole number from 1 to 200.");
	if (q->offset < 0)
		fe_addf(e, "cursor", "Cursor must be a position given by an "
			"earlier page.");
	return e->n > before ? ERR_INVALID : ERR_OK;
}

/* Fills m's gender, postcode and parents from dq, positioned on the
 * first row of st_hit_details, stepping through the rest. */
static int hit_details(struct arena *a, struct db_q *dq,
		       struct child_match *m)
{
	m->gender = col(a, dq, HIT_GENDER);
	m->postcode = col(a, dq, HIT_POSTCODE);
	int cap = 0, rc = DB_ROW;
	for (; rc == DB_ROW; rc = db_step(dq)) {
		if (db_col_null(dq, HIT_PARENT))
			continue;
		if (m->nparents == cap) {
			cap = cap ? 2 * cap : 2;
			const char **v = arena_alloc(a, (size_t)cap *
							     sizeof(*v));
			if (v == NULL)
				return ERR_NOMEM;
			if (m->nparents)
				memcpy(v, m->parents,
				       (size_t)m->nparents * sizeof(*v));
			m->parents = v;
		}
		m->parents[m->nparents++] = col(a, dq, HIT_PARENT);
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Puts the requested page of the hits in order and reads its rows into
 * *out.  Leaves r->heap in any order. */
static int search_page(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, struct ranking *r,
		       const struct child_query *q, struct child_results *out)
{
	int64_t from = q->offset < r->nheap ? q->offset : r->nheap;
	int64_t upto = from + q->limit < r->nheap ? from + q->limit : r->nheap;
	out->total = r->nheap;
	out->next_offset = upto < r->nheap ? upto : -1;
	out->v = arena_zalloc(a, (size_t)(upto - from + 1) * sizeof(*out->v));
	struct hit *best = hits_best(a, r->heap, r->nheap, (int)upto);
	if (out->v == NULL || best == NULL)
		return ERR_NOMEM;
	char today[11];
	cal_date_format(x->act->today, today);
	for (int64_t i = from; i < upto; i++) {
		struct db_q *dq;
		int k = q->details
			? db_exec(c, &st_hit_details, &dq, x->act->council,
				  best[i].id, today, q->parents ? 1 : 0)
			: db_exec(c, &st_hit, &dq, x->act->council,
				  best[i].id);
		if (k < 0)
			return err_from_db(k);
		if (k != DB_ROW)
			continue; /* deleted under the name index */
		struct child_match *m = &out->v[out->n++];
		rows_fill(a, dq, child_match_cols, CHILD_MATCH_NCOLS, m);
		m->score = best[i].score;
		m->reason = "";
		if (q->details && (k = hit_details(a, dq, m)) != ERR_OK)
			return k;
	}
	return arena_exhausted(a) ? ERR_NOMEM : ERR_OK;
}

/*
 * The server gives child_search its group commit (x->audit_shown), where
 * a search's audit row shares one write transaction and one fsync with
 * every search and record view waiting at the time: with a transaction
 * and an fsync of its own for each search, one after another, searches
 * at 64 connections managed ~1,100 a second with a p99 of 177 ms
 * (docs/performance.md).  Without it (the command line, tests), the
 * audit rows of the searches sharing a name index (x->names: one an
 * application) are written one at a time: a search waits for the
 * index's turn (child_names_turn) rather than in SQLite's busy handler,
 * which sleeps between tries for up to 100 ms at a time and lets
 * newcomers overtake, so under 8 concurrent searches a few waited hundreds of
 * milliseconds (p99 ~200 ms for ~0.5 ms of work).  One writer at a time
 * is all SQLite allows anyway.  Taken with no transaction open
 * (child_search refuses to run inside one), so it cannot deadlock with
 * other writers; a search that cannot have it within
 * SEARCH_AUDIT_WAIT_MS (the default busy timeout: the store is stuck)
 * gives up with ERR_BUSY, as it would have in the busy handler.
 * (Serialising writers belongs in the db layer; this covers the one
 * writer that runs on every search.)  With no index there is no turn
 * to take and the busy handler decides, which is correct, only slower
 * under many concurrent searches.
 */
#define SEARCH_AUDIT_WAIT_MS 5000

/* Appends and commits the ("search", "child") audit row: through the
 * caller's x->audit_shown when given (the web layer's group commit: no
 * write lock taken here, one fsync for every search and record view
 * waiting together; c may be back in its pool afterwards), else in a
 * write transaction of its own. */
static int search_audit(struct db_conn *c, const struct child_ctx *x,
			struct arena *a, const struct child_results *out)
{
	/* the row names each child shown, so that "who has viewed" lists
	 * whoever saw the child in a list of results */
	int64_t *ids = arena_alloc(a, ((size_t)out->n + 1) * sizeof(*ids));
	if (ids == NULL)
		return ERR_NOMEM;
	for (int i = 0; i < out->n; i++)
		ids[i] = out->v[i].child_id;
	if (x->audit_shown) {
		int rc = x->audit_shown(x->audit_arg, "search", "child", ids,
					out->n);
		return rc == DB_OK ? ERR_OK : err_from_db(rc);
	}
	if (!child_names_turn(x->names, SEARCH_AUDIT_WAIT_MS))
		return ERR_BUSY;
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc == DB_OK) {
		struct audit_event ev;
		act_event(x->act, "search", "child", 0, 0, &ev);
		ev.children = ids;
		ev.nchildren = out->n;
		int arc = audit_append(c, &ev);
		rc = tx_end(c, true, arc == DB_OK ? ERR_OK : err_from_db(arc));
	} else
		rc = err_from_db(rc);
	child_names_turn_end(x->names);
	return rc;
}

int child_search(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, const struct child_query *q,
		 struct child_results *res, struct field_errors *errs)
{
	if (db_in_tx(c))
		return ERR_NOTX;
	struct scorer *sc = arena_zalloc(a, sizeof(*sc));
	struct ranking r = {0};
	if (sc == NULL)
		return ERR_NOMEM;
	r.a = a;
	r.x = x;
	r.c = c;
	int rc = search_criteria(a, q, &r, sc, errs);
	if (rc != ERR_OK)
		return rc;
	r.heap = arena_alloc(a, CHILD_SEARCH_MAX * sizeof(*r.heap));
	if (r.heap == NULL)
		return ERR_NOMEM;

	/* 1: rank, and read the page's rows, in one read snapshot (no
	 * write lock meanwhile) */
	int64_t t0 = child_names_clock_ms();
	if ((rc = db_begin(c, DB_TX_READ)) != DB_OK)
		return err_from_db(rc);
	struct nx_view v = {0};
	if (r.la_ref)
		rc = rank_lookup(&r, &child_st_by_la_ref, r.la_ref);
	else if (r.nhs)
		rc = rank_lookup(&r, &child_st_by_nhs, r.nhs);
	else if (r.upn)
		rc = rank_lookup(&r, &child_st_by_upn, r.upn);
	else if (r.dob)
		rc = rank_lookup(&r, &child_st_by_dob, r.dob);
	else if ((rc = child_names_open(x->names, c, x->act->council, a, t0,
					&v)) == ERR_OK)
		rc = rank_index(&r, &v); /* name only */
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	struct child_results out = {0};
	if (rc == ERR_OK)
		rc = search_page(c, x, a, &r, q, &out);
	db_rollback(c);
	child_names_release(x->names, v.snap); /* the hits' names point into it */
	if (rc != ERR_OK)
		return rc;

	/* 2: the audit row, durable before anything is shown (c is not
	 * used after this) */
	if ((rc = search_audit(c, x, a, &out)) != ERR_OK)
		return rc;
	*res = out;
	return ERR_OK;
}
