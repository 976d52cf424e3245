/*
 * copy.c: a whole database into another store, and the SQLite backup
 * (see copy.h; docs/decisions.md D44).
 *
 * Statements here are built from the table list at run time (copy.h
 * says why that is safe).  They do not go through db_prepare's
 * fallback cache, which holds 64 statements found by address and never
 * forgets one: a copy needs four a table, and a struct freed after one
 * copy could share its address with another's.  Each is prepared on a
 * `struct db_q` of our own (the back end's prepare, as db_prepare
 * does), bound and stepped through db.h, and finalised only after both
 * transactions have ended, when db__reset_all has forgotten it.  The
 * role check that db_prepare makes is made once for each connection:
 * only DB_ROLE_SYSTEM may copy (docs/decisions.md D44).
 */
#include "db/copy.h"
#include "db/db_int.h"
#include "core/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 63
#define INSERT_ROWS 100  /* rows a multi-row INSERT */
#define PARAMS_MAX 30000 /* below SQLite's 32766 and PostgreSQL's 65535 */
#define VERSION_TABLE "schema_version" /* db_migrate's own (schema.c) */

static const char *const err_names[] = {
	"ok",                                   /* COPY_OK */
	"the store failed",                     /* COPY_EDB */
	"the two schemas differ",               /* COPY_ESCHEMA */
	"the target is not empty",              /* COPY_ENOTEMPTY */
	"a value of a type the copy does not carry", /* COPY_ETYPE */
	"row counts differ after the copy",     /* COPY_ECOUNT */
	"the copy did not verify",              /* COPY_EVERIFY */
	"only the system may copy a database",  /* COPY_EDENIED */
	"the backup failed",                    /* COPY_EBACKUP */
};

const char *copy_strerror(int err)
{
	if (err > 0 || -err >= (int)(sizeof(err_names) / sizeof(err_names[0])))
		return "unknown copy error";
	return err_names[-err];
}

void copy_report_free(struct copy_report *r)
{
	if (r == NULL)
		return;
	free(r->t);
	r->t = NULL;
	r->n = 0;
}

static void say(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* ---- the schema, from the engine's catalogue ----------------------- */

struct col {
	char name[NAME_MAX_LEN + 1];
	enum db_type type;
	int pk;
};

struct table {
	char name[NAME_MAX_LEN + 1];
	struct col *col;
	int ncol;
	int *pk;     /* [npk]: column indexes in key order */
	int npk;
	char **parent; /* tables its foreign keys name */
	int nparent;
	bool placed;   /* in the copy order already */
};

struct schema {
	struct table *t;
	int n;
	bool bad_name; /* a name that is not a plain identifier */
	char bad[NAME_MAX_LEN + 1];
};

static void schema_free(struct schema *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->t[i].col);
		free(s->t[i].pk);
		for (int k = 0; k < s->t[i].nparent; k++)
			free(s->t[i].parent[k]);
		free(s->t[i].parent);
	}
	free(s->t);
	*s = (struct schema){.n = 0};
}

/* Names are put into SQL: only [A-Za-z0-9_], 1..63 bytes (copy.h). */
static bool plain_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_'))
			return false;
	}
	return true;
}

static struct table *schema_find(struct schema *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->t[i].name, name) == 0)
			return &s->t[i];
	return NULL;
}

static int describe_cb(const struct db_schema_item *it, void *arg)
{
	struct schema *s = arg;
	if (strcmp(it->table, VERSION_TABLE) == 0)
		return 0;
	const char *names[2] = {it->table, it->column ? it->column : it->parent};
	for (int k = 0; k < 2; k++)
		if (!plain_name(names[k])) {
			s->bad_name = true;
			snprintf(s->bad, sizeof(s->bad), "%.63s", names[k]);
			return 0;
		}
	struct table *t = schema_find(s, it->table);
	if (t == NULL) {
		s->t = xrealloc(s->t, (size_t)(s->n + 1) * sizeof(*s->t));
		t = &s->t[s->n++];
		*t = (struct table){.ncol = 0};
		snprintf(t->name, sizeof(t->name), "%s", it->table);
	}
	if (it->column == NULL) {
		if (strcmp(it->parent, it->table) == 0)
			return 0; /* a table naming itself orders nothing */
		t->parent = xrealloc(t->parent,
				     (size_t)(t->nparent + 1) * sizeof(char *));
		t->parent[t->nparent++] = xstrdup(it->parent);
		return 0;
	}
	t->col = xrealloc(t->col, (size_t)(t->ncol + 1) * sizeof(*t->col));
	struct col *c = &t->col[t->ncol++];
	*c = (struct col){.type = it->type, .pk = it->pk};
	snprintf(c->name, sizeof(c->name), "%s", it->column);
	return 0;
}

/* Reads c's schema into s; the primary key's columns in key order. */
static int schema_read(struct db_conn *c, struct schema *s, char *why,
		       size_t whylen, const char *side)
{
	*s = (struct schema){.n = 0};
	int rc = c->be->describe(c, describe_cb, s);
	if (rc != DB_OK) {
		say(why, whylen, "cannot list the %s's tables: %s", side,
		    db_errmsg(c));
		schema_free(s);
		return COPY_EDB;
	}
	if (s->bad_name) {
		say(why, whylen, "the %s has a table or column named '%s', "
		    "which is not a plain name (letters, digits, _): it is "
		    "not Cairn's schema", side, s->bad);
		schema_free(s);
		return COPY_ESCHEMA;
	}
	for (int i = 0; i < s->n; i++) {
		struct table *t = &s->t[i];
		t->pk = xcalloc((size_t)t->ncol, sizeof(int));
		for (int want = 1; want <= t->ncol; want++)
			for (int k = 0; k < t->ncol; k++)
				if (t->col[k].pk == want)
					t->pk[t->npk++] = k;
	}
	return COPY_OK;
}

static struct col *table_col(struct table *t, const char *name)
{
	for (int k = 0; k < t->ncol; k++)
		if (strcmp(t->col[k].name, name) == 0)
			return &t->col[k];
	return NULL;
}

/* The source's and the target's schemas must match (copy.h). */
static int schema_match(struct schema *a, struct schema *b, char *why,
			size_t whylen)
{
	for (int i = 0; i < a->n; i++)
		if (schema_find(b, a->t[i].name) == NULL) {
			say(why, whylen, "table %s is in the source, not in the "
			    "target", a->t[i].name);
			return COPY_ESCHEMA;
		}
	for (int i = 0; i < b->n; i++) {
		struct table *tb = &b->t[i], *ta = schema_find(a, tb->name);
		if (ta == NULL) {
			say(why, whylen, "table %s is in the target, not in the "
			    "source", tb->name);
			return COPY_ESCHEMA;
		}
		if (ta->ncol != tb->ncol) {
			say(why, whylen, "table %s has %d columns in the source "
			    "and %d in the target", ta->name, ta->ncol, tb->ncol);
			return COPY_ESCHEMA;
		}
		for (int k = 0; k < ta->ncol; k++) {
			struct col *ca = &ta->col[k], *cb = table_col(tb, ca->name);
			if (cb == NULL || cb->type != ca->type || cb->pk != ca->pk) {
				say(why, whylen, "column %s.%s differs between "
				    "the source and the target (%s)", ta->name,
				    ca->name, cb == NULL ? "missing" :
				    cb->type != ca->type ? "type" : "primary key");
				return COPY_ESCHEMA;
			}
			if (ca->type == DB_TYPE_OTHER) {
				say(why, whylen, "column %s.%s has a type the "
				    "copy does not carry (only integers, text and "
				    "blobs)", ta->name, ca->name);
				return COPY_ETYPE;
			}
		}
		if (ta->npk == 0) {
			say(why, whylen, "table %s has no primary key: it cannot "
			    "be read in batches", ta->name);
			return COPY_ESCHEMA;
		}
	}
	return COPY_OK;
}

/* The copy order: parents before the tables that name them, otherwise
 * by name.  *order gets indexes into s->t.  COPY_ESCHEMA on a cycle. */
static int schema_order(struct schema *s, int *order, char *why,
			size_t whylen)
{
	for (int done = 0; done < s->n; done++) {
		int pick = -1;
		for (int i = 0; i < s->n && pick < 0; i++) {
			struct table *t = &s->t[i];
			if (t->placed)
				continue;
			bool ready = true;
			for (int k = 0; k < t->nparent && ready; k++) {
				struct table *p = schema_find(s, t->parent[k]);
				ready = p == NULL || p->placed;
			}
			if (ready)
				pick = i;
		}
		if (pick < 0) {
			say(why, whylen, "the tables' foreign keys form a cycle");
			return COPY_ESCHEMA;
		}
		s->t[pick].placed = true;
		order[done] = pick;
	}
	return COPY_OK;
}

/* ---- statements of our own (see the file's head) ------------------- */

struct rstmt {
	struct db_stmt def;
	char name[96];
	char *sql;
	struct db_q q;
};

/* Every statement made during one copy, freed at its end. */
struct rstmts {
	struct rstmt **v;
	int n;
};

static struct rstmt *rstmt_new(struct rstmts *all, const char *name,
			       const char *table, char *sql)
{
	struct rstmt *r = xcalloc(1, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "copy_%s_%s", name, table);
	r->sql = sql;
	r->def = (struct db_stmt){.name = r->name, .sql = r->sql,
				  .roles = DB_ROLE_SYSTEM};
	all->v = xrealloc(all->v, (size_t)(all->n + 1) * sizeof(*all->v));
	all->v[all->n++] = r;
	return r;
}

/* Finalises and frees every statement: only once no transaction is open
 * on their connections (the file's head). */
static void rstmts_free(struct rstmts *all)
{
	for (int i = 0; i < all->n; i++) {
		struct rstmt *r = all->v[i];
		if (r->q.st != NULL)
			r->q.conn->be->finalize(&r->q);
		free(r->sql);
		free(r);
	}
	free(all->v);
	all->v = NULL;
	all->n = 0;
}

/* Makes r ready to bind and step on c: prepared the first time, reset
 * and its bindings cleared after (as db_prepare does for a cached one). */
static int rstmt_ready(struct db_conn *c, struct rstmt *r)
{
	if (r->q.st == NULL) {
		r->q.conn = c;
		int rc = c->be->prepare(c, &r->def, &r->q);
		if (rc != DB_OK)
			return rc;
		r->q.def = &r->def;
	} else {
		c->be->reset(&r->q);
		r->q.active = false;
		c->be->clear_bindings(&r->q);
	}
	r->q.bind_rc = DB_OK;
	return DB_OK;
}

/* A growing string for SQL text (our own names and fixed words only). */
struct text {
	char *p;
	size_t n, cap;
};

static void text_add(struct text *t, const char *s)
{
	size_t l = strlen(s);
	if (t->n + l + 1 > t->cap) {
		t->cap = (t->n + l + 1) * 2;
		t->p = xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, l + 1);
	t->n += l;
}

static void text_quoted(struct text *t, const char *name)
{
	text_add(t, "\"");
	text_add(t, name); /* a plain name (plain_name): no quote inside */
	text_add(t, "\"");
}

static void text_num(struct text *t, int v)
{
	char b[16];
	snprintf(b, sizeof(b), "%d", v);
	text_add(t, b);
}

/* "c1", "c2" ... of t's columns. */
static void text_cols(struct text *s, const struct table *t, const int *idx,
		      int n)
{
	for (int k = 0; k < n; k++) {
		if (k)
			text_add(s, ", ");
		text_quoted(s, t->col[idx ? idx[k] : k].name);
	}
}

/* SELECT every column of t in key order, LIMIT ?1; with `after`, only
 * the rows whose key is above (?2 .. ?npk+1). */
static char *sql_select(const struct table *t, bool after)
{
	struct text s = {.p = NULL};
	text_add(&s, "SELECT ");
	text_cols(&s, t, NULL, t->ncol);
	text_add(&s, " FROM ");
	text_quoted(&s, t->name);
	if (after) {
		text_add(&s, " WHERE (");
		text_cols(&s, t, t->pk, t->npk);
		text_add(&s, ") > (");
		for (int k = 0; k < t->npk; k++) {
			text_add(&s, k ? ", ?" : "?");
			text_num(&s, k + 2);
		}
		text_add(&s, ")");
	}
	text_add(&s, " ORDER BY ");
	text_cols(&s, t, t->pk, t->npk);
	text_add(&s, " LIMIT ?1");
	return s.p;
}

/* INSERT rows rows of every column of t. */
static char *sql_insert(const struct table *t, int rows)
{
	struct text s = {.p = NULL};
	text_add(&s, "INSERT INTO ");
	text_quoted(&s, t->name);
	text_add(&s, " (");
	text_cols(&s, t, NULL, t->ncol);
	text_add(&s, ") VALUES ");
	int p = 1;
	for (int r = 0; r < rows; r++) {
		text_add(&s, r ? ", (" : "(");
		for (int k = 0; k < t->ncol; k++) {
			text_add(&s, k ? ", ?" : "?");
			text_num(&s, p++);
		}
		text_add(&s, ")");
	}
	return s.p;
}

static char *sql_fixed(const struct table *t, const char *head,
		       const char *tail)
{
	struct text s = {.p = NULL};
	text_add(&s, head);
	text_quoted(&s, t->name);
	text_add(&s, tail);
	return s.p;
}

/* ---- values -------------------------------------------------------- */

struct val {
	enum db_type type;
	int64_t i;
	char *p;       /* text or blob bytes (owned, reused) */
	size_t len, cap;
};

/* Copies column col of q's current row into v; COPY_ETYPE for a class
 * the copy does not carry. */
static int val_read(struct db_q *q, int col, struct val *v)
{
	v->type = q->conn->be->col_type(q, col);
	switch (v->type) {
	case DB_TYPE_NULL:
		return COPY_OK;
	case DB_TYPE_INT:
		v->i = db_col_i64(q, col);
		return COPY_OK;
	case DB_TYPE_TEXT:
	case DB_TYPE_BLOB: {
		/* by length: a text's bytes come whole, NULs and all */
		size_t n = 0;
		const void *p = db_col_blob(q, col, &n);
		if (n + 1 > v->cap) {
			v->cap = n + 1;
			v->p = xrealloc(v->p, v->cap);
		}
		if (n)
			memcpy(v->p, p, n);
		v->p[n] = '\0';
		v->len = n;
		return COPY_OK;
	}
	default:
		return COPY_ETYPE;
	}
}

static int val_bind(struct db_q *q, int idx, const struct val *v)
{
	switch (v->type) {
	case DB_TYPE_INT: return db_bind_i64(q, idx, v->i);
	case DB_TYPE_TEXT: return db_bind_textn(q, idx, v->p, v->len);
	case DB_TYPE_BLOB: return db_bind_blob(q, idx, v->p, v->len);
	default: return db_bind_null(q, idx);
	}
}

/* ---- one table ----------------------------------------------------- */

struct job {
	struct db_conn *from, *to;
	const struct copy_options *opt;
	struct rstmts stmts;
	char *why;
	size_t whylen;
};

/* COUNT(*) of t on c into *n. */
static int count_rows(struct job *j, struct db_conn *c, const struct table *t,
		      int64_t *n, const char *side)
{
	struct rstmt *r = rstmt_new(&j->stmts, "count", t->name,
				    sql_fixed(t, "SELECT COUNT(*) FROM ", ""));
	int rc = rstmt_ready(c, r);
	if (rc == DB_OK && (rc = db_step(&r->q)) == DB_ROW) {
		*n = db_col_i64(&r->q, 0);
		return COPY_OK;
	}
	say(j->why, j->whylen, "cannot count the rows of %s in the %s: %s",
	    t->name, side, db_errmsg(c));
	return COPY_EDB;
}

/* Inserts the first `rows` rows of buf (ncol values a row) into t. */
static int flush(struct job *j, const struct table *t, struct rstmt *ins,
		 int rows, const struct val *buf)
{
	int rc = rstmt_ready(j->to, ins);
	int p = 1;
	for (int r = 0; r < rows && rc == DB_OK; r++)
		for (int k = 0; k < t->ncol && rc == DB_OK; k++)
			rc = val_bind(&ins->q, p++, &buf[r * t->ncol + k]);
	if (rc == DB_OK)
		rc = db_step(&ins->q);
	if (rc != DB_DONE) {
		say(j->why, j->whylen, "cannot write rows of %s to the target: "
		    "%s", t->name, db_errmsg(j->to));
		return COPY_EDB;
	}
	return COPY_OK;
}

static int copy_table(struct job *j, const struct table *t,
		      struct copy_table *out)
{
	int rc = count_rows(j, j->from, t, &out->rows, "source");
	if (rc != COPY_OK)
		return rc;
	int per = PARAMS_MAX / t->ncol;
	if (per > INSERT_ROWS)
		per = INSERT_ROWS;
	if (per < 1)
		per = 1;
	int batch = j->opt && j->opt->batch > 0 ? j->opt->batch : 1000;
	struct rstmt *first = rstmt_new(&j->stmts, "first", t->name,
					sql_select(t, false));
	struct rstmt *next = rstmt_new(&j->stmts, "next", t->name,
				       sql_select(t, true));
	struct rstmt *many = rstmt_new(&j->stmts, "insert_many", t->name,
				       sql_insert(t, per));
	struct rstmt *one = rstmt_new(&j->stmts, "insert_one", t->name,
				      sql_insert(t, 1));
	struct val *buf = xcalloc((size_t)per * (size_t)t->ncol, sizeof(*buf));
	int held = 0;      /* rows in buf not yet written */
	int last = -1;     /* buf's row read last: the key to go on from */
	int64_t done = 0;
	for (;;) {
		struct rstmt *sel = last < 0 ? first : next;
		rc = rstmt_ready(j->from, sel);
		if (rc == DB_OK)
			rc = db_bind_i64(&sel->q, 1, batch);
		for (int k = 0; k < t->npk && last >= 0 && rc == DB_OK; k++)
			rc = val_bind(&sel->q, k + 2,
				      &buf[last * t->ncol + t->pk[k]]);
		if (rc != DB_OK) {
			say(j->why, j->whylen, "cannot read %s from the source: "
			    "%s", t->name, db_errmsg(j->from));
			rc = COPY_EDB;
			goto out_free;
		}
		int got = 0, step;
		while ((step = db_step(&sel->q)) == DB_ROW) {
			if (held == per) {
				if ((rc = flush(j, t, many, per, buf)) != COPY_OK)
					goto out_free;
				held = 0;
			}
			for (int k = 0; k < t->ncol; k++)
				if (val_read(&sel->q, k,
					     &buf[held * t->ncol + k]) != COPY_OK) {
					say(j->why, j->whylen, "column %s.%s holds "
					    "a value that is not an integer, text, "
					    "blob or NULL", t->name,
					    t->col[k].name);
					rc = COPY_ETYPE;
					goto out_free;
				}
			last = held++;
			got++;
		}
		if (step != DB_DONE) {
			say(j->why, j->whylen, "cannot read %s from the source: "
			    "%s", t->name, db_errmsg(j->from));
			rc = COPY_EDB;
			goto out_free;
		}
		done += got;
		if (j->opt && j->opt->progress)
			j->opt->progress(t->name, done, out->rows, j->opt->arg);
		if (got < batch)
			break;
		/* the next batch's key is in buf[last]: write the rows
		 * before it, keep it */
		if (held == per) {
			if ((rc = flush(j, t, many, per, buf)) != COPY_OK)
				goto out_free;
			held = 0;
			/* buf[last] is still there: a flush reads, never
			 * clears */
		}
	}
	for (int r = 0; r < held; r++)
		if ((rc = flush(j, t, one, 1, &buf[r * t->ncol])) != COPY_OK)
			goto out_free;
	rc = count_rows(j, j->to, t, &out->copied, "target");
	if (rc == COPY_OK && (out->copied != out->rows || done != out->rows)) {
		say(j->why, j->whylen, "table %s: %lld rows in the source, %lld "
		    "read, %lld in the target", t->name,
		    (long long)out->rows, (long long)done,
		    (long long)out->copied);
		rc = COPY_ECOUNT;
	}
out_free:
	for (int i = 0; i < per * t->ncol; i++)
		free(buf[i].p);
	free(buf);
	return rc;
}

/* Whether any table of s on c holds a row: COPY_ENOTEMPTY naming it. */
static int tables_empty(struct job *j, struct db_conn *c, struct schema *s)
{
	for (int i = 0; i < s->n; i++) {
		struct rstmt *r = rstmt_new(&j->stmts, "any", s->t[i].name,
					    sql_fixed(&s->t[i], "SELECT 1 FROM ",
						      " LIMIT 1"));
		int rc = rstmt_ready(c, r);
		if (rc == DB_OK)
			rc = db_step(&r->q);
		if (rc == DB_ROW) {
			say(j->why, j->whylen, "the target is not empty: table "
			    "%s holds rows, and a copy goes only into an empty "
			    "database (nothing was changed)", s->t[i].name);
			return COPY_ENOTEMPTY;
		}
		if (rc != DB_DONE) {
			say(j->why, j->whylen, "cannot read table %s of the "
			    "target: %s", s->t[i].name, db_errmsg(c));
			return COPY_EDB;
		}
	}
	return COPY_OK;
}

static bool is_system(struct db_conn *c)
{
	return (c->role & DB_ROLE_SYSTEM) != 0;
}

int copy_target_empty(struct db_conn *c, char *why, size_t whylen)
{
	if (!is_system(c)) {
		say(why, whylen, "%s", copy_strerror(COPY_EDENIED));
		return COPY_EDENIED;
	}
	struct job j = {.to = c, .why = why, .whylen = whylen};
	struct schema s;
	int rc = db_begin(c, DB_TX_READ);
	if (rc != DB_OK) {
		say(why, whylen, "cannot read the target: %s", db_errmsg(c));
		return COPY_EDB;
	}
	rc = schema_read(c, &s, why, whylen, "target");
	if (rc == COPY_OK) {
		rc = tables_empty(&j, c, &s);
		schema_free(&s);
	}
	db_rollback(c);
	rstmts_free(&j.stmts);
	return rc;
}

int copy_run(struct db_conn *from, struct db_conn *to,
	     const struct copy_options *opt, struct copy_report *rep)
{
	*rep = (struct copy_report){.n = 0};
	if (!is_system(from) || !is_system(to)) {
		say(rep->why, sizeof(rep->why), "%s",
		    copy_strerror(COPY_EDENIED));
		return COPY_EDENIED;
	}
	struct job j = {.from = from, .to = to, .opt = opt, .why = rep->why,
			.whylen = sizeof(rep->why)};
	struct schema src = {.n = 0}, dst = {.n = 0};
	int *order = NULL;
	/* one snapshot of the source; the one write lock on the target */
	int rc = db_begin(from, DB_TX_READ);
	if (rc != DB_OK) {
		say(j.why, j.whylen, "cannot read the source: %s",
		    db_errmsg(from));
		return COPY_EDB;
	}
	rc = db_begin(to, DB_TX_WRITE);
	if (rc != DB_OK) {
		say(j.why, j.whylen, "cannot write the target: %s",
		    db_errmsg(to));
		db_rollback(from);
		return COPY_EDB;
	}
	if ((rc = schema_read(from, &src, j.why, j.whylen, "source")) != COPY_OK ||
	    (rc = schema_read(to, &dst, j.why, j.whylen, "target")) != COPY_OK ||
	    (rc = schema_match(&src, &dst, j.why, j.whylen)) != COPY_OK)
		goto out_rollback;
	/* checked again under the write lock: nobody filled it since */
	if ((rc = tables_empty(&j, to, &dst)) != COPY_OK)
		goto out_rollback;
	order = xcalloc((size_t)dst.n + 1, sizeof(int));
	if ((rc = schema_order(&dst, order, j.why, j.whylen)) != COPY_OK)
		goto out_rollback;
	rep->t = xcalloc((size_t)dst.n + 1, sizeof(*rep->t));
	for (int i = 0; i < dst.n; i++) {
		/* the source's column order: both sides name every column */
		struct table *t = schema_find(&src, dst.t[order[i]].name);
		struct copy_table *ct = &rep->t[rep->n++];
		snprintf(ct->name, sizeof(ct->name), "%s", t->name);
		if ((rc = copy_table(&j, t, ct)) != COPY_OK)
			goto out_rollback;
	}
	if (opt && opt->verify &&
	    opt->verify(to, j.why, j.whylen, opt->arg) != 0) {
		rc = COPY_EVERIFY;
		goto out_rollback;
	}
	if (db_commit(to) != DB_OK) {
		say(j.why, j.whylen, "cannot commit the target: %s",
		    db_errmsg(to));
		rc = COPY_EDB;
		goto out_rollback;
	}
	db_rollback(from); /* read only: nothing to keep */
	rc = COPY_OK;
	goto out_free;
out_rollback:
	db_rollback(to);
	db_rollback(from);
out_free:
	/* both transactions are over: our statements may go */
	rstmts_free(&j.stmts);
	free(order);
	schema_free(&src);
	schema_free(&dst);
	return rc;
}

int copy_backup(const char *from, const char *to,
		void (*progress)(int remaining, int total, void *arg),
		void *arg, char *why, size_t whylen)
{
	if (db_is_uri(from)) {
		say(why, whylen, "%s is a database server, not a SQLite file: "
		    "back it up with pg_dump (docs/operations.md)", from);
		return COPY_EBACKUP;
	}
	/* 1024 pages of 4 KiB a step */
	if (db__sqlite_backup(from, to, 1024, progress, arg, why, whylen) < 0)
		return COPY_EBACKUP;
	return COPY_OK;
}
