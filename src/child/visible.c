/*
 * visible.c: the partner-visibility rule (child.h, child_visible), the
 * one place it is written.  A child is visible to an actor when it is a
 * child of the actor's council and, for a partner (act->partner), while
 * the partner's organisation is involved: a network_member row of kind
 * 'professional' with org_id act->org_id whose end_date is NULL or after
 * act->today, or while the organisation keeps watch on the family after
 * a case closed (an episode_closure row naming it whose watch_until is
 * after act->today: episode/episode.h, "closing").  Anything else is "not found", never "denied", so that an
 * answer does not reveal that a record exists.
 *
 * Every loader of the child module asks here (child_load, child_update,
 * the sections, the search's ranking), and so may every other module
 * that shows or changes something of one child.
 */
#include "child/child_int.h"

DB_STMT(st_involved) = {
	"child_involved",
	"SELECT 1 FROM network_member WHERE council = ?1 AND child_id = ?2"
	" AND kind = 'professional' AND org_id = ?3"
	" AND (end_date IS NULL OR end_date > ?4)"
	" UNION ALL SELECT 1 FROM episode_closure WHERE council = ?1"
	" AND child_id = ?2 AND watch_org_id = ?3 AND watch_until > ?4"
	" LIMIT 1",
	R_READ | R_WRITE,
};
DB_STMT(st_exists) = {
	"child_exists",
	"SELECT version FROM child WHERE council = ?1 AND child_id = ?2",
	R_READ | R_WRITE,
};

int child_involved(struct db_conn *c, const struct actor *act,
		   int64_t child_id)
{
	char today[11];
	cal_date_format(act->today, today);
	int rc = db_exec(c, &st_involved, NULL, act->council,
			child_id, act->org_id, today);
	if (rc < 0)
		return err_from_db(rc);
	return rc == DB_ROW;
}

int child_visible(struct db_conn *c, const struct actor *act,
		  int64_t child_id)
{
	int rc = db_exec(c, &st_exists, NULL, act->council,
			child_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return ERR_NOTFOUND;
	if (act->partner) {
		rc = child_involved(c, act, child_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return ERR_NOTFOUND;
	}
	return ERR_OK;
}

void child_write_open(struct child_write *w, const struct field_errors *errs)
{
	w->a = arena_new(64u << 10);
	w->before = errs->n;
	w->own = false;
}

int child_write_checked(struct db_conn *c, const struct child_ctx *x,
			int64_t child_id, struct child_write *w,
			const struct field_errors *errs)
{
	int rc = child_checked(w->a, errs, w->before);
	if (rc == ERR_OK)
		rc = child_write_begin(c, x, child_id, &w->own);
	if (rc != ERR_OK)
		arena_free(w->a);
	return rc;
}

int child_write_created(struct db_conn *c, const struct child_ctx *x,
			struct child_write *w, int rc, const char *kind,
			int64_t id, int64_t child_id, int64_t *out)
{
	rc = tx_end_audit(c, w->own, rc, x->act, "create", kind, id, child_id);
	if (rc == ERR_OK)
		*out = id;
	arena_free(w->a);
	return rc;
}

int child_section_visible(struct db_conn *c, const struct child_ctx *x,
			  int64_t child_id)
{
	const struct child_seen *s = x->seen;
	if (s && s->tx != 0 && s->conn == c && s->child_id == child_id &&
	    s->tx == db_tx_seq(c))
		return ERR_OK;
	return child_visible(c, x->act, child_id);
}

int child_write_begin(struct db_conn *c, const struct child_ctx *x,
		      int64_t child_id, bool *own)
{
	int rc = tx_begin(c, own);
	if (rc != ERR_OK)
		return rc;
	rc = child_visible(c, x->act, child_id);
	return rc == ERR_OK ? ERR_OK : tx_end(c, *own, rc);
}

int child_section_rows(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, int64_t child_id,
		       const struct db_stmt *st, const struct row_map *m,
		       void **v, int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = child_section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	cal_date_format(x->act->today, today);
	return rows_listv(c, a, st, m, today, v, n, 2,
			  (const struct db_val[]){db_v_text(x->act->council),
						  db_v_i64(child_id)});
}
