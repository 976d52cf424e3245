/*
 * names.c: the name index that child_search ranks a name from (struct
 * child_names, child.h), and its snapshots (the layout is in
 * child_int.h: search.c reads it).
 *
 * Ownership.  The application makes one index (web/app.c app_start,
 * freed in app_stop) and every child_ctx of it carries it, so that the
 * writers' notes and the searches meet in one place.  Nothing here is
 * global: two applications in one process (tests) keep two indexes.  A
 * ctx without an index (the command line, tests that do not search)
 * still searches correctly: child_names_open then builds a snapshot in
 * the search's own read transaction for that search alone (O(children)
 * a search; the same ranking), and the writers note nothing.
 *
 * A name search ranks every child of the council (the rows whose
 * phonetic key the query has, and when fewer than
 * CHILD_SEARCH_SCAN_BELOW of those match, all the others too), so the
 * index keeps, per council, a snapshot of the council's names: the rows
 * (child_id and the two names, as indexes into a table of distinct
 * names) and each distinct name prepared once (folded, words keyed, its
 * phonetic key).  A search scores each distinct name once against the
 * query, then only the rows of the names that can make a match (through
 * rows-by-name lists) from those scores: a few store reads and well under
 * a millisecond, where stepping 50,000 rows through SQLite and scoring
 * them cost ~10 ms.
 *
 * Freshness.  A snapshot is the state of one read transaction.  A search
 * uses it with what changed since, read in the search's own snapshot:
 *  - rows with a child_id above the snapshot's largest.  Ids are
 *    allocated in increasing order under the write lock (db_next_id),
 *    so every child created after the snapshot is one of them (a
 *    primary-key range);
 *  - the children created or renamed through this index ("notes", made
 *    by child_create and child_update before they commit, so a caller's
 *    joined transaction is covered too): their snapshot rows are ignored
 *    and their current rows read by primary key;
 *  - the children renamed since the snapshot by anyone, any process
 *    (D43): every rename raises the council's number in name_change and
 *    stamps the child with it (child.name_seq, child_names_changed) in
 *    its own transaction; the snapshot keeps the number it read, and a
 *    search reads the children stamped above it (an index range) by
 *    primary key, as it reads the noted ones;
 *  - the snapshot's largest row must still be there with the same
 *    created_at; if not (children deleted, another database) the snapshot
 *    is rebuilt.
 * A note is dropped by a rebuild whose snapshot holds its version, or
 * whose transaction started NX_NOTE_SLACK_MS after the note (its
 * transaction must then have rolled back); when notes pile up with
 * nobody searching, the snapshot is dropped with the notes that old.  A
 * snapshot is rebuilt when much has changed and after NX_MAX_AGE_MS (to
 * keep the rows read beside it few; renames by other processes and by
 * ctxs without this index show at once, from the rename number).  Cairn
 * never deletes children; a row deleted under a snapshot is dropped when
 * the page is read.
 *
 * Threads.  The index's mu guards the council list, the notes and the
 * reference counts.  A snapshot is immutable once built and freed by
 * whoever drops its last reference; nobody holds mu while reading the
 * store or scoring.  Memory is ~24 bytes per child and ~200 bytes per
 * distinct name.  The index also holds the turn its searches take to
 * commit their own audit rows (child_names_turn, search.c).
 */
#include "child/child_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NX_NOTE_SLACK_MS (5 * 60 * 1000) /* far longer than a transaction */
#define NX_MAX_AGE_MS (60 * 1000)
#define NX_REBUILD_GAP_MS 1000 /* at most one optional rebuild a second */
#define NX_NOTES_MAX 64        /* more notes: rebuild */
#define NX_NOTES_CAP 4096      /* notes nobody settles: drop the snapshot */
#define NX_EXTRA_MAX 512       /* more rows read beside it: rebuild */

struct nx_note {
	uint64_t seq;
	int64_t id, version, at_ms;
};

struct nx_council {
	struct nx_council *next;
	char *council;
	struct nx_snap *snap;     /* the index's reference; NULL: none yet */
	uint64_t epoch;           /* bumped when snap and notes are dropped */
	bool optional;            /* an optional rebuild is under way */
	int64_t tried_ms;         /* when the last optional rebuild began */
	struct nx_note *notes;    /* in seq order */
	size_t nnotes, notes_cap;
	uint64_t next_seq;
};

struct child_names {
	pthread_mutex_t mu;            /* the councils, notes and refs */
	struct nx_council *councils;
	pthread_mutex_t audit_mu;      /* searches' own audit commits */
};

struct child_names *child_names_new(void)
{
	struct child_names *n = xcalloc(1, sizeof(*n));
	pthread_mutex_init(&n->mu, NULL);
	pthread_mutex_init(&n->audit_mu, NULL);
	return n;
}

int64_t child_names_clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The council's entry, made when missing.  Under n->mu. */
static struct nx_council *nx_council_get(struct child_names *n,
					 const char *council)
{
	struct nx_council *e;
	for (e = n->councils; e; e = e->next)
		if (strcmp(e->council, council) == 0)
			return e;
	e = xcalloc(1, sizeof(*e));
	e->council = xstrdup(council);
	e->next = n->councils;
	n->councils = e;
	return e;
}

static void nx_snap_free(struct nx_snap *s)
{
	if (s == NULL)
		return;
	free(s->rows);
	free(s->names);
	free(s->pool);
	free(s->goff);
	free(s->foff);
	free(s->post);
	free(s);
}

/* Drops one reference.  Under the index's lock (or with no index). */
static void nx_unref_locked(struct nx_snap *s)
{
	if (s && --s->refs == 0)
		nx_snap_free(s);
}

void child_names_free(struct child_names *n)
{
	if (n == NULL)
		return;
	struct nx_council *e = n->councils;
	while (e) {
		struct nx_council *next = e->next;
		nx_unref_locked(e->snap);
		free(e->notes);
		free(e->council);
		free(e);
		e = next;
	}
	pthread_mutex_destroy(&n->mu);
	pthread_mutex_destroy(&n->audit_mu);
	free(n);
}

void child_names_release(struct child_names *n, struct nx_snap *s)
{
	if (s == NULL)
		return;
	if (n == NULL) {
		nx_unref_locked(s); /* the search's own: nobody shares it */
		return;
	}
	pthread_mutex_lock(&n->mu);
	nx_unref_locked(s);
	pthread_mutex_unlock(&n->mu);
}

/* A note is always kept, even with no snapshot yet: a build may start
 * before the writer commits. */
void child_names_note(struct child_names *n, const char *council,
		      int64_t id, int64_t version)
{
	if (n == NULL)
		return;
	int64_t now = child_names_clock_ms();
	pthread_mutex_lock(&n->mu);
	struct nx_council *e = nx_council_get(n, council);
	if (e->nnotes >= NX_NOTES_CAP) {
		/* nobody has searched for a long while: forget the snapshot,
		 * keep builds under way from publishing theirs, and forget the
		 * notes whose transactions are over (any later build sees
		 * them) */
		nx_unref_locked(e->snap);
		e->snap = NULL;
		e->epoch++;
		size_t k = 0;
		for (size_t j = 0; j < e->nnotes; j++)
			if (e->notes[j].at_ms >= now - NX_NOTE_SLACK_MS)
				e->notes[k++] = e->notes[j];
		e->nnotes = k;
	}
	if (e->nnotes == e->notes_cap) {
		e->notes_cap = e->notes_cap ? e->notes_cap * 2 : 64;
		e->notes = xrealloc(e->notes, e->notes_cap * sizeof(*e->notes));
	}
	e->notes[e->nnotes++] = (struct nx_note){e->next_seq++, id, version,
						 now};
	pthread_mutex_unlock(&n->mu);
}

void child_names_drop(struct child_names *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->mu);
	for (struct nx_council *e = n->councils; e; e = e->next) {
		nx_unref_locked(e->snap);
		e->snap = NULL;
		e->epoch++; /* builds under way keep theirs to themselves */
		/* the notes stay: the next build settles them */
	}
	pthread_mutex_unlock(&n->mu);
}

bool child_names_turn(struct child_names *n, int wait_ms)
{
	if (n == NULL)
		return true;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_mutex_timedlock(&n->audit_mu, &until) == 0;
}

void child_names_turn_end(struct child_names *n)
{
	if (n)
		pthread_mutex_unlock(&n->audit_mu);
}

/* Building a snapshot: names interned as pool offsets first. */
struct nx_builder {
	struct nx_snap *s;
	size_t rows_cap, names_cap, pool_len, pool_cap;
	uint32_t *slot;   /* name index + 1; 0 is empty */
	size_t slot_cap;
	uint32_t *hash;   /* per name */
	size_t *off;      /* per name, into pool */
};

static void nx_slots_grow(struct nx_builder *b)
{
	size_t ncap = b->slot_cap ? b->slot_cap * 2 : 1024;
	uint32_t *ns = xcalloc(ncap, sizeof(*ns));
	for (size_t i = 0; i < b->s->nnames; i++) {
		size_t j = b->hash[i] & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = (uint32_t)i + 1;
	}
	free(b->slot);
	b->slot = ns;
	b->slot_cap = ncap;
}

/* The index of name s (NULL counts as ""), added when new. */
static uint32_t nx_intern(struct nx_builder *b, const char *s)
{
	if (s == NULL)
		s = "";
	size_t n = strlen(s);
	uint32_t h = fnv1a(s, n);
	if ((b->s->nnames + 1) * 2 > b->slot_cap)
		nx_slots_grow(b);
	size_t j = h & (b->slot_cap - 1);
	for (; b->slot[j]; j = (j + 1) & (b->slot_cap - 1)) {
		uint32_t i = b->slot[j] - 1;
		if (b->hash[i] == h && strcmp(b->s->pool + b->off[i], s) == 0)
			return i;
	}
	if (b->s->nnames == b->names_cap) {
		b->names_cap = b->names_cap ? b->names_cap * 2 : 256;
		b->hash = xrealloc(b->hash, b->names_cap * sizeof(*b->hash));
		b->off = xrealloc(b->off, b->names_cap * sizeof(*b->off));
	}
	if (b->pool_len + n + 1 > b->pool_cap) {
		while (b->pool_len + n + 1 > b->pool_cap)
			b->pool_cap = b->pool_cap ? b->pool_cap * 2 : 4096;
		b->s->pool = xrealloc(b->s->pool, b->pool_cap);
	}
	memcpy(b->s->pool + b->pool_len, s, n + 1);
	uint32_t i = (uint32_t)b->s->nnames++;
	b->hash[i] = h;
	b->off[i] = b->pool_len;
	b->pool_len += n + 1;
	b->slot[j] = i + 1;
	return i;
}

/* the snapshot's largest row, whose created_at must not change */
DB_STMT(st_nx_last) = {
	"child_index_last",
	"SELECT child_id, created_at FROM child WHERE council = ?1"
	" ORDER BY child_id DESC LIMIT 1",
	R_READ,
};
/* every name of the council (covered by the index child_names) */
DB_STMT(st_nx_names) = {
	"child_index_names",
	"SELECT child_id, given_name, family_name FROM child"
	" WHERE council = ?1",
	R_READ,
};
/* the snapshot's largest row, then every row created after it */
DB_STMT(st_nx_after) = {
	"child_index_after",
	"SELECT child_id, given_name, family_name, created_at FROM child"
	" WHERE council = ?1 AND child_id >= ?2 ORDER BY child_id",
	R_READ,
};
/* a noted child as it is now */
DB_STMT(st_nx_one) = {
	"child_index_one",
	"SELECT given_name, family_name, version FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	R_READ,
};

/* The council's rename number (D43): raised in the transaction of every
 * rename, by any process; the child keeps the value of its last one. */
DB_STMT(st_nx_bump) = {
	"child_index_bump",
	"INSERT INTO name_change (council, n) VALUES (?1, 1)"
	" ON CONFLICT (council) DO UPDATE SET n = name_change.n + 1"
	" RETURNING n",
	R_WRITE,
};
DB_STMT(st_nx_stamp) = {
	"child_index_stamp",
	"UPDATE child SET name_seq = ?3 WHERE council = ?1 AND child_id = ?2",
	R_WRITE,
};
DB_STMT(st_nx_renames) = {
	"child_index_renames",
	"SELECT n FROM name_change WHERE council = ?1",
	R_READ,
};
/* the children renamed since a snapshot (index child_name_seq) */
DB_STMT(st_nx_renamed) = {
	"child_index_renamed",
	"SELECT child_id FROM child WHERE council = ?1 AND name_seq > ?2",
	R_READ,
};

int child_names_changed(struct db_conn *c, const char *council, int64_t id)
{
	struct db_q *q;
	int rc = db_exec(c, &st_nx_bump, &q, council);
	if (rc != DB_ROW)
		return err_from_db(rc < 0 ? rc : DB_EIO);
	int64_t n = db_col_i64(q, 0);
	db_done(q);
	rc = db_exec(c, &st_nx_stamp, NULL, council, id, n);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Fills s's rows-by-name lists (a counting sort of the row indexes). */
static void nx_postings(struct nx_snap *s)
{
	size_t d = s->nnames;
	s->goff = xcalloc(d + 1, sizeof(*s->goff));
	s->foff = xcalloc(d + 1, sizeof(*s->foff));
	s->post = xmalloc((2 * s->nrows + 1) * sizeof(*s->post));
	for (size_t i = 0; i < s->nrows; i++) {
		s->goff[s->rows[i].g + 1]++;
		s->foff[s->rows[i].f + 1]++;
	}
	for (size_t i = 0; i < d; i++)
		s->goff[i + 1] += s->goff[i];
	s->foff[0] = s->goff[d];
	for (size_t i = 0; i < d; i++)
		s->foff[i + 1] += s->foff[i];
	uint32_t *gnext = xmalloc((d + 1) * sizeof(*gnext));
	uint32_t *fnext = xmalloc((d + 1) * sizeof(*fnext));
	memcpy(gnext, s->goff, (d + 1) * sizeof(*gnext));
	memcpy(fnext, s->foff, (d + 1) * sizeof(*fnext));
	for (size_t i = 0; i < s->nrows; i++) {
		s->post[gnext[s->rows[i].g]++] = (uint32_t)i;
		s->post[fnext[s->rows[i].f]++] = (uint32_t)i;
	}
	free(gnext);
	free(fnext);
}

/* Builds the council's snapshot in the caller's read transaction, which
 * began at t0.  Returns 0 and *out (one reference), or an error. */
static int nx_build(struct db_conn *c, const char *council, int64_t t0,
		    struct nx_snap **out)
{
	struct nx_builder b = {0};
	b.s = xcalloc(1, sizeof(*b.s));
	b.s->refs = 1;
	b.s->built_ms = t0;
	struct db_q *q;
	int rc = db_exec(c, &st_nx_last, &q, council);
	if (rc == DB_ROW) {
		const char *cr = db_col_text(q, 1);
		b.s->max_id = db_col_i64(q, 0);
		snprintf(b.s->max_created, sizeof(b.s->max_created), "%s",
			 cr ? cr : "");
	}
	if (rc >= 0)
		rc = db_exec(c, &st_nx_renames, &q, council);
	if (rc == DB_ROW)
		b.s->renames = db_col_i64(q, 0);
	if (rc >= 0)
		rc = db_prepare(c, &st_nx_names, &q);
	if (rc < 0)
		goto out_free;
	db_bind_text(q, 1, council);
	uint32_t prev_g = UINT32_MAX;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *g = db_col_text(q, 1), *f = db_col_text(q, 2);
		if (b.s->nrows == b.rows_cap) {
			b.rows_cap = b.rows_cap ? b.rows_cap * 2 : 1024;
			b.s->rows = xrealloc(b.s->rows,
					     b.rows_cap * sizeof(*b.s->rows));
		}
		struct nx_row *row = &b.s->rows[b.s->nrows++];
		row->id = db_col_i64(q, 0);
		/* rows come in given-name order: most repeat the last one */
		if (prev_g == UINT32_MAX || strcmp(b.s->pool + b.off[prev_g],
						   g ? g : "") != 0)
			prev_g = nx_intern(&b, g);
		row->g = prev_g;
		row->f = nx_intern(&b, f);
	}
	if (rc < 0)
		goto out_free;
	nx_postings(b.s);
	b.s->names = xcalloc(b.s->nnames ? b.s->nnames : 1,
			     sizeof(*b.s->names));
	for (size_t i = 0; i < b.s->nnames; i++) {
		struct nx_name *nm = &b.s->names[i];
		nm->text = b.s->pool + b.off[i];
		namematch_part_init(&nm->part, nm->text);
		child_name_key(nm->text, nm->key);
	}
	free(b.slot);
	free(b.hash);
	free(b.off);
	*out = b.s;
	return ERR_OK;
out_free:
	free(b.slot);
	free(b.hash);
	free(b.off);
	nx_snap_free(b.s);
	return err_from_db(rc);
}

/* A row read beside the snapshot for one search (arena). */
static int nx_extra_add(struct arena *a, struct nx_view *v, int64_t id,
			const char *given, const char *family)
{
	if (v->nextra == v->extra_cap) {
		size_t ncap = v->extra_cap ? v->extra_cap * 2 : 16;
		struct nx_extra *ne = arena_alloc(a, ncap * sizeof(*ne));
		if (ne == NULL)
			return ERR_NOMEM;
		if (v->nextra)
			memcpy(ne, v->extra, v->nextra * sizeof(*ne));
		v->extra = ne;
		v->extra_cap = ncap;
	}
	struct nx_extra *e = &v->extra[v->nextra];
	e->id = id;
	e->given = arena_strdup(a, given ? given : "");
	e->family = arena_strdup(a, family ? family : "");
	if (e->given == NULL || e->family == NULL)
		return ERR_NOMEM;
	namematch_part_init(&e->g, e->given);
	namematch_part_init(&e->f, e->family);
	child_name_key(e->given, e->gkey);
	child_name_key(e->family, e->fkey);
	v->nextra++;
	return ERR_OK;
}

int child_cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Reads what changed since snapshot s into v (see "Freshness").  Sets
 * *stale when s cannot be used (then v is to be discarded). */
static int nx_overlay(struct db_conn *c, const char *council,
		      struct arena *a, const struct nx_snap *s,
		      const struct nx_note *notes, size_t nnotes,
		      struct nx_view *v, bool *stale)
{
	*stale = false;
	struct db_q *q;
	int rc = db_prepare(c, &st_nx_after, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, s->max_id);
	bool first = s->max_id > 0;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t id = db_col_i64(q, 0);
		if (first) {
			const char *cr = db_col_text(q, 3);
			first = false;
			if (id != s->max_id ||
			    strcmp(cr ? cr : "", s->max_created) != 0) {
				*stale = true;
				return ERR_OK;
			}
			continue;
		}
		if (v->nextra >= NX_EXTRA_MAX) {
			*stale = true; /* cheaper to rebuild */
			return ERR_OK;
		}
		if ((rc = nx_extra_add(a, v, id, db_col_text(q, 1),
				       db_col_text(q, 2))) != ERR_OK)
			return rc;
	}
	if (rc < 0)
		return err_from_db(rc);
	if (first) {
		*stale = true; /* the largest row has gone */
		return ERR_OK;
	}
	/* the children renamed since the snapshot, by any process (D43) */
	size_t cap = nnotes + 16, nskip = 0;
	int64_t *skip = arena_alloc(a, cap * sizeof(*skip));
	if (skip == NULL)
		return ERR_NOMEM;
	if ((rc = db_prepare(c, &st_nx_renamed, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, s->renames);
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t id = db_col_i64(q, 0);
		if (id > s->max_id)
			continue; /* read above with its names as they are */
		if (nskip + nnotes + v->nextra >= NX_EXTRA_MAX) {
			*stale = true; /* cheaper to rebuild */
			db_done(q);
			return ERR_OK;
		}
		if (nskip == cap - nnotes) {
			int64_t *ns = arena_alloc(a, cap * 2 * sizeof(*ns));
			if (ns == NULL)
				return ERR_NOMEM;
			memcpy(ns, skip, nskip * sizeof(*ns));
			skip = ns;
			cap *= 2;
		}
		skip[nskip++] = id;
	}
	if (rc < 0)
		return err_from_db(rc);
	if (nnotes == 0 && nskip == 0)
		return ERR_OK;
	/* noted and renamed children the snapshot holds: their rows as
	 * they are now (a noted id above max_id is among the rows just
	 * read, if committed) */
	v->skip = skip;
	v->nskip = nskip;
	for (size_t i = 0; i < nnotes; i++)
		if (notes[i].id <= s->max_id)
			v->skip[v->nskip++] = notes[i].id;
	qsort(v->skip, v->nskip, sizeof(*v->skip), child_cmp_i64);
	size_t k = 0;
	for (size_t i = 0; i < v->nskip; i++)
		if (k == 0 || v->skip[k - 1] != v->skip[i])
			v->skip[k++] = v->skip[i];
	v->nskip = k;
	if (v->nskip + v->nextra > NX_EXTRA_MAX) {
		*stale = true;
		return ERR_OK;
	}
	for (size_t i = 0; i < v->nskip; i++) {
		rc = db_exec(c, &st_nx_one, &q, council, v->skip[i]);
		if (rc < 0)
			return err_from_db(rc);
		if (rc == DB_ROW &&
		    (rc = nx_extra_add(a, v, v->skip[i], db_col_text(q, 0),
				       db_col_text(q, 1))) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

/* child_names_open: takes the snapshot and reads what changed since, or
 * builds a new snapshot (and publishes it).  With no index, a snapshot
 * built in the search's own transaction is the whole truth: no overlay,
 * no notes, nothing published. */
int child_names_open(struct child_names *n, struct db_conn *c,
		     const char *council, struct arena *a, int64_t t0,
		     struct nx_view *v)
{
	memset(v, 0, sizeof(*v));
	if (n == NULL)
		return nx_build(c, council, t0, &v->snap);
	pthread_mutex_lock(&n->mu);
	struct nx_council *e = nx_council_get(n, council);
	struct nx_snap *s = e->snap;
	if (s)
		s->refs++;
	size_t nnotes = e->nnotes;
	struct nx_note *notes = NULL;
	if (nnotes)
		notes = arena_alloc(a, nnotes * sizeof(*notes));
	if (notes)
		memcpy(notes, e->notes, nnotes * sizeof(*notes));
	uint64_t epoch = e->epoch;
	bool optional = false;
	if (s && !e->optional && t0 - e->tried_ms >= NX_REBUILD_GAP_MS &&
	    (t0 - s->built_ms >= NX_MAX_AGE_MS || nnotes > NX_NOTES_MAX)) {
		optional = e->optional = true;
		e->tried_ms = t0;
	}
	pthread_mutex_unlock(&n->mu);

	int rc = ERR_OK;
	struct nx_snap *ns = NULL;
	if (nnotes && notes == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (s && !optional) {
		bool stale;
		rc = nx_overlay(c, council, a, s, notes, nnotes, v, &stale);
		if (rc != ERR_OK)
			goto out;
		if (!stale) {
			v->snap = s;
			s = NULL; /* the view's reference now */
			goto out;
		}
		memset(v, 0, sizeof(*v));
	}
	/* the snapshot is our transaction's state: nothing beside it */
	if ((rc = nx_build(c, council, t0, &ns)) != ERR_OK)
		goto out;
	/* the notes it settles: version there, or rolled back long ago */
	bool *settled = NULL;
	if (nnotes && (settled = arena_zalloc(a, nnotes)) == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nnotes; i++) {
		struct db_q *q;
		int k = db_exec(c, &st_nx_one, &q, council,
			       notes[i].id);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		settled[i] = (k == DB_ROW &&
			      db_col_i64(q, 2) >= notes[i].version) ||
			     notes[i].at_ms < t0 - NX_NOTE_SLACK_MS;
	}
	pthread_mutex_lock(&n->mu);
	if (e->epoch == epoch && e->snap == s) {
		/* nobody published since we looked: publish, and drop the
		 * settled notes (ours are a prefix of e->notes in seq order;
		 * later ones are kept).  Otherwise ours serves this search
		 * only: publishing it could undo a newer one. */
		size_t k = 0, i = 0;
		for (size_t j = 0; j < e->nnotes; j++) {
			while (i < nnotes && notes[i].seq < e->notes[j].seq)
				i++;
			if (i < nnotes && notes[i].seq == e->notes[j].seq &&
			    settled[i])
				continue;
			e->notes[k++] = e->notes[j];
		}
		e->nnotes = k;
		nx_unref_locked(e->snap);
		e->snap = ns;
		ns->refs++;
	}
	pthread_mutex_unlock(&n->mu);
	v->snap = ns;
	ns = NULL;
out:
	pthread_mutex_lock(&n->mu);
	if (optional)
		e->optional = false;
	nx_unref_locked(s);
	pthread_mutex_unlock(&n->mu);
	nx_snap_free(ns);
	return rc;
}
