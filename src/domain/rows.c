/* rows.c: see rows.h for the contract. */
#include "domain/rows.h"
#include "domain/field.h"
#include "domain/actor.h"
#include "domain/err.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *rows_text(struct arena *a, struct db_q *q, int i)
{
	const char *s = db_col_text(q, i);
	return arena_strdup(a, s ? s : "");
}

void rows_fill(struct arena *a, struct db_q *q, const struct row_col *cols,
	       int n, void *item)
{
	char *base = item;
	for (int i = 0; i < n; i++) {
		void *p = base + cols[i].offset;
		switch (cols[i].kind) {
		case ROW_TEXT:
			*(const char **)p = rows_text(a, q, i);
			break;
		case ROW_I64:
			*(int64_t *)p = db_col_i64(q, i);
			break;
		case ROW_INT:
			*(int *)p = (int)db_col_i64(q, i);
			break;
		case ROW_BOOL:
			*(bool *)p = db_col_i64(q, i) != 0;
			break;
		default:
			break;
		}
	}
}

int rows_listv(struct db_conn *c, struct arena *a, const struct db_stmt *st,
	       const struct row_map *m, void *arg, void **v, int *n,
	       int nargs, const struct db_val *args)
{
	struct db_q *q = NULL;
	int rc = db_runv(c, st, &q, nargs, args);
	if (rc < 0)
		return err_from_db(rc);
	int cap = 8, k = 0;
	char *out = arena_alloc(a, (size_t)cap * m->size);
	if (out == NULL)
		return ERR_NOMEM;
	for (; rc == DB_ROW; rc = db_step(q)) {
		out = arena_grow(a, out, k, &cap, m->size);
		if (out == NULL)
			return ERR_NOMEM;
		char *item = out + (size_t)k++ * m->size;
		memset(item, 0, m->size);
		if (m->view)
			fields_row(q, 0, m->view, item, a);
		else
			rows_fill(a, q, m->cols, m->ncols, item);
		if (m->each && (rc = m->each(a, q, item, arg)) != 0)
			return rc;
	}
	if (arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	*v = out;
	*n = k;
	return ERR_OK;
}

int rows_sortedv(struct db_conn *c, struct arena *a, const struct db_stmt *st,
		 const struct row_map *m, void *arg,
		 int (*cmp)(const void *, const void *), int max, void **v,
		 int *n, int nargs, const struct db_val *args)
{
	void *out;
	int k;
	int rc = rows_listv(c, a, st, m, arg, &out, &k, nargs, args);
	if (rc != ERR_OK)
		return rc;
	if (k > 1 && cmp)
		qsort(out, (size_t)k, m->size, cmp);
	*v = out;
	*n = max > 0 && k > max ? max : k;
	return ERR_OK;
}

int rows_getv(struct db_conn *c, const struct db_stmt *st, struct db_q **q,
	      int nargs, const struct db_val *args)
{
	struct db_q *r = NULL;
	int rc = db_runv(c, st, &r, nargs, args);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return ERR_NOTFOUND;
	*q = r;
	return ERR_OK;
}

int rows_changev(struct db_conn *c, const struct db_stmt *st, int nargs,
		 const struct db_val *args)
{
	int rc = db_runv(c, st, NULL, nargs, args);
	if (rc < 0)
		return err_from_db(rc);
	return db_changes(c) == 1 ? ERR_OK : ERR_CONFLICT;
}

int rows_writev(struct db_conn *c, const struct db_stmt *st, int nargs,
		const struct db_val *args)
{
	return err_from_db(db_runv(c, st, NULL, nargs, args));
}

int rows_shownv(struct db_conn *c, const struct actor *who, struct arena *a,
		const struct db_stmt *st, const struct row_map *m,
		const struct rows_list_shown *s, void *arg, int64_t limit,
		void **v, int *n, int64_t *next, int nargs,
		const struct db_val *args)
{
	/* with the web's group commit (who->audit_read) the read takes no
	 * write transaction: the audit row is durable before this returns,
	 * and "My work"'s lists no longer queue behind each other's fsync */
	bool own = false;
	int rc = who->audit_read ? ERR_OK : tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	char *out = NULL;
	int k = 0;
	int64_t nx = 0;
	rc = rows_listv(c, a, st, m, arg, (void **)&out, &k, nargs, args);
	if (rc == ERR_OK && limit > 0 && k > limit) {
		k = (int)limit;
		memcpy(&nx, out + (size_t)(k - 1) * m->size + s->id_off,
		       sizeof(nx));
	}
	if (rc == ERR_OK)
		rc = act_audit_shown(c, who, s->entity, out, m->size,
				     s->child_off, k);
	if (who->audit_read == NULL)
		rc = tx_end(c, own, rc);
	if (rc == ERR_OK) {
		*v = out;
		*n = k;
		if (next)
			*next = nx;
	}
	return rc;
}
