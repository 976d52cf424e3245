/*
 * flag.c: warnings on the child's record (child.h "warnings (flags)"):
 * a kind, the text, a review date; ended, never deleted; overdue when
 * still active after its review date.
 */
#include "child/child_int.h"
#include "domain/due.h"
#include "auth/role.h"
#include "domain/rows.h"
#include "domain/field.h"

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
	struct child_write w;
	child_write_open(&w, errs);
	struct arena *a = w.a;
	enum child_flag_kind kind = CHILD_FLAG__MAX;
	if (!child_flag_kind_parse(in->kind, &kind))
		fe_addf(errs, "kind", "%s", in->kind == NULL || !in->kind[0]
			? "Select the kind of warning."
			: "Kind must be one of worker_safety, child_safety, "
			  "health, communication, legal or other.");
	const char *text = child_check_text(a, in->text, "text", "Warning",
					    "Enter what people need to know.",
					    FLAG_TEXT_MAX_CHARS, false, errs);
	char rbuf[11];
	child_check_day(a, in->review_date, x->act, "review_date",
			"Review date", "Enter the date this warning should be "
			"reviewed.", CHILD_DAY_NOT_PAST, "Review date must be "
			"today or in the future: a warning is reviewed to decide "
			"whether it still applies.", rbuf, errs);
	int rc = child_write_checked(c, x, child_id, &w, errs);
	if (rc != ERR_OK)
		return rc;
	int64_t id = 0;
	char now[21];
	act_stamp(x->act, now);
	if ((rc = next_id(c, "flag", x, &id)) == ERR_OK)
		rc = rows_write(c, &st_flag_insert, x->act->council, child_id,
				id, child_flag_kind_id(kind), text, rbuf, now,
				x->act->user_id);
	return child_write_created(c, x, &w, rc, "flag", id, child_id, flag_id);
}

int child_flag_end(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, int64_t flag_id,
		   struct field_errors *errs)
{
	bool own;
	int rc = child_write_begin(c, x, child_id, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = rows_get(c, &st_flag_get, &q, x->act->council, child_id,
		      flag_id);
	if (rc == ERR_OK && !db_col_null(q, 0)) {
		fe_addf(errs, "flag", "This warning has already been ended.");
		rc = ERR_INVALID;
	}
	char now[21];
	act_stamp(x->act, now);
	if (rc == ERR_OK)
		rc = rows_change(c, &st_flag_end, x->act->council, child_id,
				 flag_id, now);
	return tx_end_audit(c, own, rc, x->act, "end", "flag", flag_id,
			    child_id);
}

static const struct row_col flag_cols[] = {
	ROW_COL(ROW_I64, struct child_flag, flag_id),
	ROW_COL(ROW_TEXT, struct child_flag, kind),
	ROW_COL(ROW_TEXT, struct child_flag, text),
	ROW_COL(ROW_TEXT, struct child_flag, review_date),
	ROW_COL(ROW_TEXT, struct child_flag, created_at),
	ROW_COL(ROW_TEXT, struct child_flag, ended_at),
};

/* A flag is overdue while active after its review date (arg: today). */
static int flag_each(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	(void)q;
	struct child_flag *f = item;
	const char *today = arg;
	f->overdue = f->ended_at && f->ended_at[0] == '\0' &&
		     f->review_date && strcmp(f->review_date, today) < 0;
	return ERR_OK;
}

static const struct row_map flag_map =
	ROW_MAP(struct child_flag, flag_cols, flag_each);

int child_flags(struct db_conn *c, const struct child_ctx *x,
		struct arena *a, int64_t child_id, struct child_flag **v,
		int *n)
{
	return child_section_rows(c, x, a, child_id, &st_flag_list, &flag_map,
				  (void **)v, n);
}

/* ---- "My work": a worker's children's flags past review ---------------- */

/* Mirrors auth/policy.c: a caseload's roles. */
#define CASELOAD_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

DB_STMT(st_flag_review) = {
	"child_flags_past_review",
	"SELECT f.child_id, ch.given_name || ' ' || ch.family_name, f.kind,"
	" f.review_date FROM flag f"
	" JOIN child ch ON ch.council = f.council AND ch.child_id = f.child_id"
	" WHERE f.council = ?1 AND f.ended_at IS NULL AND f.review_date < ?3"
	" AND f.child_id IN (" DUE_CASELOAD_CHILDREN("?1", "?2") ")"
	" ORDER BY f.review_date, f.child_id, f.flag_id LIMIT 200",
	CASELOAD_ROLES,
};

#define F(m) offsetof(struct child_flag_review, m)
static const struct field flag_fields[] = {
	{.name = "child_id", .type = FT_INT, .offset = F(child_id)},
	{.name = "child_name", .type = FT_TEXT, .offset = F(child_name)},
	{.name = "kind", .label = "Kind", .type = FT_CODE, .offset = F(kind),
	 .codes = child_flag_kinds},
	{.name = "review_date", .type = FT_DATE, .offset = F(review_date)},
};
const struct record_type child_flag_review_view = {"flag", flag_fields, 4};
static const struct row_map review_rows = {
	sizeof(struct child_flag_review), NULL, 0, NULL, &child_flag_review_view,
};
static const struct rows_list_shown review_shown = {
	"flag", offsetof(struct child_flag_review, child_id), 0,
};

int child_flags_past_review(struct db_conn *c, const struct actor *who,
			    int64_t worker_id, struct arena *a,
			    struct child_flag_review **rows, int *n)
{
	char today[11];
	cal_date_format(who->civil.date, today);
	return rows_shown(c, who, a, &st_flag_review, &review_rows,
			  &review_shown, NULL, 0, rows, n, NULL, who->council,
			  worker_id, today);
}
