/*
 * flag.c: warnings on the child's record (child.h "warnings (flags)"):
 * a kind, the text, a review date; ended, never deleted; overdue when
 * still active after its review date.
 */
#include "child/child_int.h"

#include <string.h>

#define FLAG_TEXT_MAX_CHARS 500

DB_STMT(st_flag_insert) = {
	"child_flag_insert",
	"INSERT INTO flag (council, child_id, flag_id, kind, text, review_date,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	R_WRITE,
};
DB_STMT(st_flag_get) = {
	"child_flag_get",
	"SELECT ended_at FROM flag WHERE council = ?1 AND child_id = ?2"
	" AND flag_id = ?3",
	R_WRITE,
};
DB_STMT(st_flag_end) = {
	"child_flag_end",
	"UPDATE flag SET ended_at = ?4 WHERE council = ?1 AND child_id = ?2"
	" AND flag_id = ?3 AND ended_at IS NULL",
	R_WRITE,
};
DB_STMT(st_flag_list) = {
	"child_flag_list",
	"SELECT flag_id, kind, text, review_date, created_at, ended_at"
	" FROM flag WHERE council = ?1 AND child_id = ?2"
	" ORDER BY ended_at IS NOT NULL, review_date, flag_id",
	R_READ | R_WRITE,
};

int child_flag_add(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, const struct child_flag_input *in,
		   int64_t *flag_id, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	int before = errs->n;
	enum child_flag_kind kind = CHILD_FLAG__MAX;
	if (in->kind == NULL || in->kind[0] == '\0')
		fe_addf(errs, "kind", "Select the kind of warning.");
	else if (!child_flag_kind_parse(in->kind, &kind))
		fe_addf(errs, "kind", "Kind must be one of worker_safety, "
			"child_safety, health, communication, legal or other.");
	const char *text = child_check_text(a, in->text, "text", "Warning",
					    "Enter what people need to know.",
					    FLAG_TEXT_MAX_CHARS, false, errs);
	struct cal_date rd;
	char rbuf[11] = "";
	const char *s = child_trimmed(a, in->review_date);
	if (s == NULL || s[0] == '\0')
		fe_addf(errs, "review_date", "Enter the date this warning should "
			"be reviewed.");
	else if (child_check_date(s, "review_date", "Review date", &rd,
				  errs)) {
		if (cal_compare(rd, x->act->today) < 0)
			fe_addf(errs, "review_date", "Review date must be today "
				"or in the future: a warning is reviewed to "
				"decide whether it still applies.");
		cal_date_format(rd, rbuf);
	}
	int rc = errs->n > before ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	bool own;
	if ((rc = tx_begin(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	if ((rc = child_visible(c, x->act, child_id)) != ERR_OK)
		goto out;
	int64_t id;
	if ((rc = next_id(c, "flag", x, &id)) != ERR_OK)
		goto out;
	char now[21];
	act_stamp(x->act, now);
	int k = db_exec(c, &st_flag_insert, NULL, x->act->council,
		       child_id, id, child_flag_kind_id(kind), text,
		       rbuf, now, x->act->user_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if ((rc = act_audit(c, x->act, "create", "flag", id, child_id)) != ERR_OK)
		goto out;
	rc = tx_end(c, own, ERR_OK);
	if (rc == ERR_OK)
		*flag_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_end(c, own, rc);
}

int child_flag_end(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, int64_t flag_id,
		   struct field_errors *errs)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	if ((rc = child_visible(c, x->act, child_id)) != ERR_OK)
		goto out;
	struct db_q *q;
	int k = db_exec(c, &st_flag_get, &q, x->act->council, child_id,
		       flag_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (k != DB_ROW) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	if (!db_col_null(q, 0)) {
		fe_addf(errs, "flag", "This warning has already been ended.");
		rc = ERR_INVALID;
		goto out;
	}
	char now[21];
	act_stamp(x->act, now);
	k = db_exec(c, &st_flag_end, NULL, x->act->council, child_id,
		   flag_id, now);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (db_changes(c) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	rc = act_audit(c, x->act, "end", "flag", flag_id, child_id);
out:
	return tx_end(c, own, rc);
}

int child_flags(struct db_conn *c, const struct child_ctx *x,
		struct arena *a, int64_t child_id, struct child_flag **v,
		int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = child_section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	cal_date_format(x->act->today, today);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_flag_list, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	int cap = 8, k = 0;
	struct child_flag *out = arena_alloc(a, (size_t)cap * sizeof(*out));
	while (out && (rc = db_step(q)) == DB_ROW) {
		out = arena_grow(a, out, k, &cap, sizeof(*out));
		if (out == NULL)
			return ERR_NOMEM;
		struct child_flag *f = &out[k++];
		f->flag_id = db_col_i64(q, 0);
		f->kind = col(a, q, 1);
		f->text = col(a, q, 2);
		f->review_date = col(a, q, 3);
		f->created_at = col(a, q, 4);
		f->ended_at = col(a, q, 5);
		f->overdue = f->ended_at && f->ended_at[0] == '\0' &&
			     f->review_date && strcmp(f->review_date, today) < 0;
	}
	if (out == NULL || arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	*v = out;
	*n = k;
	return ERR_OK;
}
