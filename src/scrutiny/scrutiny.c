/* scrutiny.c: see scrutiny.h for the contract. */
#include "scrutiny/scrutiny.h"
#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"
#include "core/str.h"
#include "domain/rows.h"
#include "notify/notify.h"
#include "referral/referral.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Allow-lists, mirroring auth/policy.c PERM_SCRUTINY_READ, _EDIT and
 * _COMMENT. */
#define READ_ROLES \
	(RB_PRACTICE | RB_ANALYST | RB_COUNCILLOR | RB_ADMIN | DB_ROLE_SYSTEM)
#define EDIT_ROLES \
	(RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN | DB_ROLE_SYSTEM)
#define COMMENT_ROLES (EDIT_ROLES | RB_COUNCILLOR)

const struct scrutiny_code scrutiny_bodies[] = {
	{"scrutiny-panel", "Scrutiny panel"},
	{"committee", "Cabinet or advisory committee"},
	{"inspection", "Ofsted inspection"},
	{"peer-review", "Peer review"},
	{"practice-review", "Practice review"},
	{"improvement-board", "Improvement board"},
	{NULL, NULL},
};

/* Order matters: scrutiny_review.by_status[] is indexed by it. */
const struct scrutiny_code scrutiny_statuses[] = {
	{"not-started", "Not started"},
	{"in-progress", "In progress"},
	{"delayed", "Delayed"},
	{"ongoing", "Ongoing"},
	{"completed", "Completed"},
	{"superseded", "Superseded"},
	{NULL, NULL},
};

const struct scrutiny_code scrutiny_responses[] = {
	{"accepted", "Accepted"},
	{"partly-accepted", "Partly accepted"},
	{"not-accepted", "Not accepted"},
	{NULL, NULL},
};

const struct scrutiny_code scrutiny_recurrences[] = {
	{"ongoing", "Ongoing"},
	{"weekly", "Weekly"},
	{"monthly", "Monthly"},
	{"quarterly", "Quarterly"},
	{"termly", "Each school term"},
	{"six-monthly", "Every six months"},
	{"annually", "Annually"},
	{NULL, NULL},
};

const char *scrutiny_label(const struct scrutiny_code *list, const char *id)
{
	if (id == NULL)
		return NULL;
	for (; list->id; list++)
		if (strcmp(list->id, id) == 0)
			return list->label;
	return NULL;
}

const char *scrutiny_status_colour(const char *status)
{
	static const char *const colours[] = {
		"grey", "blue", "orange", "yellow", "green", "grey",
	};
	int i = scrutiny_status_index(status);
	return i < 0 ? NULL : colours[i];
}

int scrutiny_status_index(const char *status)
{
	for (int i = 0; status && scrutiny_statuses[i].id; i++)
		if (strcmp(scrutiny_statuses[i].id, status) == 0)
			return i;
	return -1;
}

/* ---- validation ------------------------------------------------------ */

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* A required or optional piece of text: one line or several, at most
 * max bytes, valid UTF-8 with no control characters but line breaks. */
static void check_text(struct field_errors *e, const char *field,
		       const char *what, const char *s, size_t max,
		       bool required, bool multiline)
{
	if (blank(s)) {
		if (required)
			fe_addf(e, field, "Enter %s", what);
		return;
	}
	size_t n = strlen(s);
	if (n > max) {
		fe_addf(e, field, "%c%s must be %zu characters or fewer",
			what[0] >= 'a' && what[0] <= 'z' ? what[0] - 32
							 : what[0],
			what + 1, max);
		return;
	}
	if (multiline ? !str_is_text(s, n) : !str_is_line(s, n)) {
		fe_addf(e, field, "%c%s must be %s text with no control "
			"characters",
			what[0] >= 'a' && what[0] <= 'z' ? what[0] - 32
							 : what[0],
			what + 1, multiline ? "plain" : "one line of");
	}
}

/* An optional or required YYYY-MM-DD date; "" is none. */
static bool check_date(struct field_errors *e, const char *field,
		       const char *what, const char *s, bool required,
		       struct cal_date *out)
{
	if (blank(s)) {
		if (required)
			fe_addf(e, field, "Enter %s", what);
		return false;
	}
	if (!cal_date_parse(s, strlen(s), out)) {
		fe_addf(e, field, "%c%s must be a real date, as YYYY-MM-DD",
			what[0] >= 'a' && what[0] <= 'z' ? what[0] - 32
							 : what[0],
			what + 1);
		return false;
	}
	return true;
}

static bool in_list(const struct scrutiny_code *list, const char *id)
{
	return scrutiny_label(list, id) != NULL;
}

/* ---- transactions ---------------------------------------------------- */

/* ---- statements ------------------------------------------------------ */

DB_STMT(st_review_insert) = {
	"scrutiny_review_insert",
	"INSERT INTO scrutiny_review (council, review_id, body_kind,"
	" body_name, topic, started_on, reported_on, report_title,"
	" schedule_months, next_report_due, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	EDIT_ROLES,
};

#define REVIEW_COLS \
	"r.review_id, r.body_kind, r.body_name, r.topic," \
	" COALESCE(r.started_on, ''), COALESCE(r.reported_on, '')," \
	" r.report_title, r.schedule_months," \
	" COALESCE(r.next_report_due, '')," \
	" COALESCE((SELECT MAX(p.presented_on) FROM scrutiny_report p" \
	"  WHERE p.council = r.council AND p.review_id = r.review_id), '')"

DB_STMT(st_reviews) = {
	"scrutiny_reviews",
	"SELECT " REVIEW_COLS " FROM scrutiny_review r WHERE r.council = ?1"
	" ORDER BY r.review_id DESC LIMIT 5000",
	READ_ROLES,
};
DB_STMT(st_review_get) = {
	"scrutiny_review_get",
	"SELECT " REVIEW_COLS " FROM scrutiny_review r"
	" WHERE r.council = ?1 AND r.review_id = ?2",
	READ_ROLES | COMMENT_ROLES,
};
DB_STMT(st_rec_counts) = {
	"scrutiny_rec_counts",
	"SELECT review_id, COUNT(*) FROM scrutiny_rec WHERE council = ?1"
	" GROUP BY review_id",
	READ_ROLES,
};
DB_STMT(st_recs) = {
	"scrutiny_recs",
	"SELECT rec_id, position, ref, text, COALESCE(response_kind, ''),"
	" response FROM scrutiny_rec WHERE council = ?1 AND review_id = ?2"
	" ORDER BY position, rec_id LIMIT 5000",
	READ_ROLES,
};
/* Actions with their review, for the register's counts too (?2 = 0:
 * every review). */
DB_STMT(st_actions) = {
	"scrutiny_actions",
	"SELECT action_id, rec_id, review_id, position, text, owner, budget,"
	" timescale_text, COALESCE(due_on, ''), COALESCE(recurrence, ''),"
	" timescale_checked FROM scrutiny_action"
	" WHERE council = ?1 AND (?2 = 0 OR review_id = ?2)"
	" ORDER BY review_id, rec_id, position, action_id LIMIT 5000",
	READ_ROLES,
};
DB_STMT(st_updates) = {
	"scrutiny_updates",
	"SELECT update_id, action_id, on_date, status, narrative, author,"
	" created_at FROM scrutiny_update"
	" WHERE council = ?1 AND (?2 = 0 OR review_id = ?2)"
	" ORDER BY action_id, on_date, update_id LIMIT 20000",
	READ_ROLES,
};
DB_STMT(st_comments) = {
	"scrutiny_comments",
	"SELECT comment_id, COALESCE(rec_id, 0), text, author, role,"
	" created_at FROM scrutiny_comment"
	" WHERE council = ?1 AND review_id = ?2"
	" ORDER BY comment_id LIMIT 5000",
	READ_ROLES,
};
DB_STMT(st_action_locate) = {
	"scrutiny_action_locate",
	"SELECT review_id, rec_id FROM scrutiny_action"
	" WHERE council = ?1 AND action_id = ?2",
	READ_ROLES | COMMENT_ROLES,
};
DB_STMT(st_rec_count) = {
	"scrutiny_rec_count",
	"SELECT COUNT(*) FROM scrutiny_rec WHERE council = ?1 AND review_id = ?2",
	EDIT_ROLES,
};
DB_STMT(st_rec_in_review) = {
	"scrutiny_rec_in_review",
	"SELECT 1 FROM scrutiny_rec WHERE council = ?1 AND review_id = ?2"
	" AND rec_id = ?3",
	COMMENT_ROLES,
};
DB_STMT(st_rec_insert) = {
	"scrutiny_rec_insert",
	"INSERT INTO scrutiny_rec (council, rec_id, review_id, position, ref,"
	" text, response_kind, response)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	EDIT_ROLES,
};
DB_STMT(st_action_insert) = {
	"scrutiny_action_insert",
	"INSERT INTO scrutiny_action (council, action_id, rec_id, review_id,"
	" position, text, owner, budget, timescale_text, due_on, recurrence)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	EDIT_ROLES,
};
DB_STMT(st_update_insert) = {
	"scrutiny_update_insert",
	"INSERT INTO scrutiny_update (council, update_id, action_id,"
	" review_id, on_date, status, narrative, user_id, author, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	EDIT_ROLES,
};
DB_STMT(st_timescale_set) = {
	"scrutiny_timescale_set",
	"UPDATE scrutiny_action SET due_on = ?3, recurrence = ?4,"
	" timescale_checked = 1 WHERE council = ?1 AND action_id = ?2",
	EDIT_ROLES,
};
DB_STMT(st_comment_insert) = {
	"scrutiny_comment_insert",
	"INSERT INTO scrutiny_comment (council, comment_id, review_id, rec_id,"
	" text, user_id, author, role, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	COMMENT_ROLES,
};
DB_STMT(st_report_insert) = {
	"scrutiny_report_insert",
	"INSERT INTO scrutiny_report (council, review_id, presented_on,"
	" user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	EDIT_ROLES,
};
DB_STMT(st_review_next_due) = {
	"scrutiny_review_next_due",
	"UPDATE scrutiny_review SET next_report_due = ?3"
	" WHERE council = ?1 AND review_id = ?2",
	EDIT_ROLES,
};

/* ---- reading --------------------------------------------------------- */

/* rows_text, but "" over the budget too (the caller checks the arena) */
static const char *col(struct arena *a, struct db_q *q, int i)
{
	const char *d = rows_text(a, q, i);
	return d ? d : "";
}

static void review_row(struct arena *a, struct db_q *q,
		       struct scrutiny_review *v, struct cal_date today)
{
	memset(v, 0, sizeof(*v));
	v->review_id = db_col_i64(q, 0);
	v->body_kind = col(a, q, 1);
	v->body_name = col(a, q, 2);
	v->topic = col(a, q, 3);
	v->started_on = col(a, q, 4);
	v->reported_on = col(a, q, 5);
	v->report_title = col(a, q, 6);
	v->schedule_months = (int)db_col_i64(q, 7);
	v->next_report_due = col(a, q, 8);
	v->last_presented = col(a, q, 9);
	struct cal_date due;
	v->report_overdue =
		v->next_report_due[0] &&
		cal_date_parse(v->next_report_due, strlen(v->next_report_due),
			       &due) &&
		cal_compare(due, today) < 0;
}

const char *scrutiny_status_at(const struct scrutiny_action *act,
			       const char *date)
{
	const char *s = "not-started";
	for (int i = 0; i < act->nupdates; i++)
		if (date == NULL || strcmp(act->updates[i].on_date, date) <= 0)
			s = act->updates[i].status;
	return s;
}

/* Fills status and overdue from the updates, as of today. */
static void action_status(struct scrutiny_action *act, struct cal_date today)
{
	act->status = scrutiny_status_at(act, NULL);
	struct cal_date due;
	act->overdue = act->due_on[0] &&
		       cal_date_parse(act->due_on, strlen(act->due_on),
				      &due) &&
		       cal_compare(due, today) < 0 &&
		       strcmp(act->status, "completed") != 0 &&
		       strcmp(act->status, "superseded") != 0;
}

/* Every action of one review (review_id > 0) or of all, with updates. */
static int load_actions(struct db_conn *c, const char *council,
			struct arena *a, int64_t review_id,
			struct cal_date today, struct scrutiny_action **out,
			int *n)
{
	struct db_q *q;
	int rc = db_prepare(c, &st_actions, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, review_id);
	int cap = 0, k = 0;
	struct scrutiny_action *v = NULL;
	while ((rc = db_step(q)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL)
			return ERR_STORE;
		struct scrutiny_action *x = &v[k++];
		x->action_id = db_col_i64(q, 0);
		x->rec_id = db_col_i64(q, 1);
		x->review_id = db_col_i64(q, 2);
		x->position = (int)db_col_i64(q, 3);
		x->text = col(a, q, 4);
		x->owner = col(a, q, 5);
		x->budget = col(a, q, 6);
		x->timescale_text = col(a, q, 7);
		x->due_on = col(a, q, 8);
		x->recurrence = col(a, q, 9);
		x->timescale_checked = db_col_i64(q, 10) != 0;
	}
	if (rc < 0)
		return err_from_db(rc);
	/* updates come ordered by action_id; actions by review, rec,
	 * position: match them through a sorted index of action ids */
	if ((rc = db_prepare(c, &st_updates, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, review_id);
	int ucap = 0, nu = 0;
	struct scrutiny_update *u = NULL;
	while ((rc = db_step(q)) == DB_ROW) {
		u = arena_grow(a, u, nu, &ucap, sizeof(*u));
		if (u == NULL)
			return ERR_STORE;
		struct scrutiny_update *y = &u[nu++];
		y->update_id = db_col_i64(q, 0);
		y->action_id = db_col_i64(q, 1);
		y->on_date = col(a, q, 2);
		y->status = col(a, q, 3);
		y->narrative = col(a, q, 4);
		y->author = col(a, q, 5);
		y->created_at = col(a, q, 6);
	}
	if (rc < 0)
		return err_from_db(rc);
	/* each action's updates are one run of u[]; find it by binary
	 * search on action_id */
	for (int i = 0; i < k; i++) {
		int lo = 0, hi = nu;
		while (lo < hi) {
			int mid = lo + (hi - lo) / 2;
			if (u[mid].action_id < v[i].action_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		int end = lo;
		while (end < nu && u[end].action_id == v[i].action_id)
			end++;
		v[i].updates = u + lo;
		v[i].nupdates = end - lo;
		action_status(&v[i], today);
	}
	*out = v;
	*n = k;
	return ERR_OK;
}

static void count_actions(struct scrutiny_review *rv,
			  const struct scrutiny_action *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (v[i].review_id != rv->review_id)
			continue;
		rv->nactions++;
		if (v[i].overdue)
			rv->noverdue++;
		int s = scrutiny_status_index(v[i].status);
		if (s >= 0)
			rv->by_status[s]++;
	}
}

int scrutiny_reviews(struct db_conn *c, const char *council,
		     struct arena *a, struct cal_date today,
		     struct scrutiny_review **out, int *n)
{
	bool own = !db_in_tx(c);
	int rc = own ? db_begin(c, DB_TX_READ) : DB_OK;
	if (rc != DB_OK)
		return err_from_db(rc);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_reviews, &q)) != DB_OK) {
		if (own)
			db_rollback(c);
		return err_from_db(rc);
	}
	db_bind_text(q, 1, council);
	int cap = 0, k = 0;
	struct scrutiny_review *v = NULL;
	bool full = false;
	while ((rc = db_step(q)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL) {
			full = true;
			break;
		}
		review_row(a, q, &v[k++], today);
	}
	if (full || rc < 0) {
		if (own)
			db_rollback(c);
		return rc < 0 ? err_from_db(rc) : ERR_STORE;
	}
	struct scrutiny_action *acts;
	int nacts;
	rc = load_actions(c, council, a, 0, today, &acts, &nacts);
	if (rc == ERR_OK &&
	    (rc = err_from_db(db_prepare(c, &st_rec_counts, &q))) == ERR_OK) {
		db_bind_text(q, 1, council);
		int k2;
		while ((k2 = db_step(q)) == DB_ROW)
			for (int i = 0; i < k; i++)
				if (v[i].review_id == db_col_i64(q, 0))
					v[i].nrecs = (int)db_col_i64(q, 1);
		rc = k2 < 0 ? err_from_db(k2) : ERR_OK;
	}
	if (own)
		db_rollback(c); /* a read: nothing to keep */
	if (rc != ERR_OK)
		return rc;
	for (int i = 0; i < k; i++)
		count_actions(&v[i], acts, nacts);
	*out = v;
	*n = k;
	return ERR_OK;
}

static int plan_load(struct db_conn *c, const char *council, struct arena *a,
		     int64_t review_id, struct cal_date today,
		     struct scrutiny_plan *out)
{
	struct db_q *q;
	int rc = db_exec(c, &st_review_get, &q, council, review_id);
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	if (rc < 0)
		return err_from_db(rc);
	memset(out, 0, sizeof(*out));
	review_row(a, q, &out->review, today);

	if ((rc = db_prepare(c, &st_recs, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, review_id);
	int cap = 0, k = 0;
	struct scrutiny_rec *recs = NULL;
	while ((rc = db_step(q)) == DB_ROW) {
		recs = arena_grow(a, recs, k, &cap, sizeof(*recs));
		if (recs == NULL)
			return ERR_STORE;
		struct scrutiny_rec *x = &recs[k++];
		x->rec_id = db_col_i64(q, 0);
		x->position = (int)db_col_i64(q, 1);
		x->ref = col(a, q, 2);
		x->text = col(a, q, 3);
		x->response_kind = col(a, q, 4);
		x->response = col(a, q, 5);
	}
	if (rc < 0)
		return err_from_db(rc);

	struct scrutiny_action *acts;
	int nacts;
	if ((rc = load_actions(c, council, a, review_id, today, &acts,
			       &nacts)) != ERR_OK)
		return rc;
	/* actions come ordered by rec_id, recs by position: match by id */
	for (int i = 0; i < k; i++) {
		int first = -1, cnt = 0;
		for (int j = 0; j < nacts; j++)
			if (acts[j].rec_id == recs[i].rec_id) {
				if (first < 0)
					first = j;
				cnt++;
			}
		recs[i].actions = first < 0 ? NULL : acts + first;
		recs[i].nactions = cnt;
	}
	out->recs = recs;
	out->nrecs = k;
	out->review.nrecs = k;
	count_actions(&out->review, acts, nacts);

	if ((rc = db_prepare(c, &st_comments, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, review_id);
	cap = 0;
	k = 0;
	struct scrutiny_comment *cm = NULL;
	while ((rc = db_step(q)) == DB_ROW) {
		cm = arena_grow(a, cm, k, &cap, sizeof(*cm));
		if (cm == NULL)
			return ERR_STORE;
		struct scrutiny_comment *x = &cm[k++];
		x->comment_id = db_col_i64(q, 0);
		x->rec_id = db_col_i64(q, 1);
		x->text = col(a, q, 2);
		x->author = col(a, q, 3);
		x->role = col(a, q, 4);
		x->created_at = col(a, q, 5);
	}
	if (rc < 0)
		return err_from_db(rc);
	out->comments = cm;
	out->ncomments = k;
	return ERR_OK;
}

int scrutiny_plan_load(struct db_conn *c, const char *council,
		       struct arena *a, int64_t review_id,
		       struct cal_date today, struct scrutiny_plan *out)
{
	if (db_in_tx(c)) /* the caller's snapshot */
		return plan_load(c, council, a, review_id, today, out);
	int rc = db_begin(c, DB_TX_READ);
	if (rc != DB_OK)
		return err_from_db(rc);
	struct scrutiny_plan p;
	rc = plan_load(c, council, a, review_id, today, &p);
	db_rollback(c);
	if (rc == ERR_OK)
		*out = p;
	return rc;
}

int scrutiny_action_locate(struct db_conn *c, const char *council,
			   int64_t action_id, int64_t *review_id,
			   int64_t *rec_id)
{
	struct db_q *q;
	int rc = db_exec(c, &st_action_locate, &q, council, action_id);
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	if (rc < 0)
		return err_from_db(rc);
	*review_id = db_col_i64(q, 0);
	*rec_id = db_col_i64(q, 1);
	db_done(q);
	return ERR_OK;
}

/* ---- writing --------------------------------------------------------- */

/* n ids of kind in council from *first (none taken when n is 0). */
static int next_ids(struct db_conn *c, const char *kind, const char *council,
		    int64_t n, int64_t *first)
{
	int rc = n > 0 ? db_next_ids(c, council, kind, n, first) : DB_OK;
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* The next id of kind (a table's name) in council (db_next_id). */
static int next_id(struct db_conn *c, const char *kind, const char *council,
		   int64_t *id)
{
	int rc = db_next_id(c, council, kind, id);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

static bool review_exists(struct db_conn *c, const char *council,
			  int64_t review_id, int *rc)
{
	struct db_q *q;
	int k = db_exec(c, &st_review_get, &q, council, review_id);
	*rc = k < 0 ? err_from_db(k) : ERR_OK;
	return k == DB_ROW;
}

int scrutiny_review_create(struct db_conn *c, const struct actor *who,
			   const struct scrutiny_review_in *in,
			   struct field_errors *errs, int64_t *review_id)
{
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	if (blank(in->body_kind))
		fe_addf(e, "body_kind", "Select the kind of body");
	else if (!in_list(scrutiny_bodies, in->body_kind))
		fe_addf(e, "body_kind", "Kind of body must be one of "
			"scrutiny-panel, committee, inspection, peer-review, "
			"practice-review or improvement-board");
	check_text(e, "body_name", "the name of the body", in->body_name,
		   SCRUTINY_LINE_MAX, true, false);
	check_text(e, "topic", "the topic of the review", in->topic,
		   SCRUTINY_LINE_MAX, true, false);
	check_text(e, "report_title", "the report's title", in->report_title,
		   SCRUTINY_LINE_MAX, false, false);
	struct cal_date started, reported, next;
	bool has_started = check_date(e, "started_on", "the start date",
				      in->started_on, false, &started);
	bool has_reported = check_date(e, "reported_on", "the report date",
				       in->reported_on, false, &reported);
	bool has_next = check_date(e, "next_report_due",
				   "the next report's due date",
				   in->next_report_due, false, &next);
	int64_t months = 6;
	if (!blank(in->schedule_months) &&
	    !str_to_i64z(in->schedule_months, 0, 24, &months))
		fe_addf(e, "schedule_months", "Reporting schedule must be a "
			"whole number of months from 0 to 24");
	if (has_started && has_reported && cal_compare(reported, started) < 0)
		fe_addf(e, "reported_on", "The report date must be on or "
			"after the start date");
	if (e->n)
		return ERR_INVALID;
	if (!has_next && has_reported && months > 0) {
		next = cal_add_months(reported, (int)months);
		has_next = true;
	}
	char s_started[11], s_reported[11], s_next[11], now[21];
	cal_date_format(started, s_started);
	cal_date_format(reported, s_reported);
	cal_date_format(next, s_next);
	act_stamp(who, now);

	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t id = 0;
	rc = next_id(c, "scrutiny_review", who->council, &id);
	if (rc == ERR_OK) {
		int k = db_exec(c, &st_review_insert, NULL,
			       who->council, id, in->body_kind,
			       in->body_name, in->topic,
			       has_started ? s_started : NULL,
			       has_reported ? s_reported : NULL,
			       in->report_title ? in->report_title : "",
			       months, has_next ? s_next : NULL, now,
			       who->user_id);
		rc = k < 0 ? err_from_db(k) : ERR_OK;
	}
	if (rc == ERR_OK)
		rc = act_audit(c, who, "create", "scrutiny-review", id, 0);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && review_id)
		*review_id = id;
	return rc;
}

/* The proposal's strings are cleaned by import.c; they are still checked
 * here, because a proposal may also come from the API as JSON. */
static void check_proposal(const struct import_proposal *p,
			   struct field_errors *e)
{
	if (p->nrecs == 0)
		fe_addf(e, "recommendations", "The document has no "
			"recommendations to save");
	for (size_t i = 0; i < p->nrecs && e->n == 0; i++) {
		const struct import_rec *r = &p->recs[i];
		check_text(e, "recommendations.ref", "a recommendation's "
			   "reference", r->ref, 32, true, false);
		check_text(e, "recommendations.text", "a recommendation's text",
			   r->text, SCRUTINY_TEXT_MAX, true, true);
		check_text(e, "recommendations.response", "a response",
			   r->response, SCRUTINY_TEXT_MAX, false, true);
		for (size_t j = 0; j < i && e->n == 0; j++)
			if (strcmp(p->recs[j].ref, r->ref) == 0)
				fe_addf(e, "recommendations.ref",
					"Recommendation %.32s appears twice: "
					"each reference must be unique",
					r->ref);
		for (size_t k = 0; k < r->nactions && e->n == 0; k++) {
			const struct import_action *x = &r->actions[k];
			check_text(e, "actions.text", "an action's text",
				   x->text, SCRUTINY_TEXT_MAX, false, true);
			check_text(e, "actions.owner", "an owner", x->owner,
				   SCRUTINY_LINE_MAX, false, true);
			check_text(e, "actions.budget", "a budget", x->budget,
				   SCRUTINY_LINE_MAX * 4, false, true);
			check_text(e, "actions.timescale", "a timescale",
				   x->timescale_text, SCRUTINY_LINE_MAX * 4,
				   false, true);
			check_text(e, "actions.progress", "progress",
				   x->progress, SCRUTINY_TEXT_MAX, false, true);
		}
	}
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

int scrutiny_import_save(struct db_conn *c, const struct actor *who,
			 const char *author, int64_t review_id,
			 const struct import_proposal *p, const char *on_date,
			 struct field_errors *errs, int *nrecs)
{
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	struct cal_date d;
	check_date(e, "on_date", "the date of the progress shown",
		   on_date, true, &d);
	check_proposal(p, e);
	if (e->n)
		return ERR_INVALID;
	char now[21];
	act_stamp(who, now);

	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	if (!review_exists(c, who->council, review_id, &rc)) {
		if (rc == ERR_OK)
			rc = ERR_NOTFOUND;
		return tx_end(c, own, rc);
	}
	struct db_q *q;
	int k = db_exec(c, &st_rec_count, &q, who->council, review_id);
	if (k != DB_ROW)
		return tx_end(c, own, k < 0 ? err_from_db(k) : ERR_STORE);
	if (db_col_i64(q, 0) > 0) {
		fe_addf(e, "review_id", "This review already has "
			"recommendations: import into a new review");
		return tx_end(c, own, ERR_CONFLICT);
	}
	int64_t rec_id = 0, action_id = 0, update_id = 0;
	/* the ids of the whole import, taken as three blocks */
	int64_t nactions = 0, nupdates = 0;
	for (size_t i = 0; i < p->nrecs; i++)
		for (size_t j = 0; j < p->recs[i].nactions; j++) {
			const struct import_action *x = &p->recs[i].actions[j];
			nactions++;
			if (import_status_name(x->status) != NULL ||
			    !blank(x->progress))
				nupdates++;
		}
	if ((rc = next_ids(c, "scrutiny_rec", who->council,
			   (int64_t)p->nrecs, &rec_id)) ||
	    (rc = next_ids(c, "scrutiny_action", who->council, nactions,
			   &action_id)) ||
	    (rc = next_ids(c, "scrutiny_update", who->council, nupdates,
			   &update_id)))
		return tx_end(c, own, rc);
	for (size_t i = 0; i < p->nrecs && rc == ERR_OK; i++) {
		const struct import_rec *r = &p->recs[i];
		const char *kind = import_response_name(r->response_kind);
		k = db_exec(c, &st_rec_insert, NULL,
			   who->council, rec_id, review_id, (int64_t)(i + 1),
			   r->ref, r->text, kind, nz(r->response));
		if (k < 0) {
			rc = err_from_db(k);
			break;
		}
		for (size_t j = 0; j < r->nactions && rc == ERR_OK;
		     j++) {
			const struct import_action *x = &r->actions[j];
			char due[11];
			cal_date_format(x->timescale.due, due);
			const char *rec = timescale_recurrence_name(
				x->timescale.recurrence);
			k = db_exec(c, &st_action_insert, NULL,
				   who->council, action_id, rec_id,
				   review_id, (int64_t)(j + 1), nz(x->text),
				   nz(x->owner), nz(x->budget),
				   nz(x->timescale_text),
				   x->timescale.has_due ? due : NULL, rec);
			if (k < 0) {
				rc = err_from_db(k);
				break;
			}
			const char *st = import_status_name(x->status);
			if (st == NULL && !blank(x->progress))
				st = "in-progress";
			if (st != NULL) {
				k = db_exec(c, &st_update_insert, NULL, who->council,
					   update_id, action_id, review_id,
					   on_date, st,
					   blank(x->progress) ? nz(x->text)
							      : x->progress,
					   who->user_id, author, now);
				if (k < 0) {
					rc = err_from_db(k);
					break;
				}
				update_id++;
			}
			action_id++;
		}
		rec_id++;
	}
	if (rc == ERR_OK)
		rc = act_audit(c, who, "import", "scrutiny-review", review_id, 0);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && nrecs)
		*nrecs = (int)p->nrecs;
	return rc;
}

int scrutiny_update_add(struct db_conn *c, const struct actor *who,
			const char *author, int64_t action_id,
			const char *on_date, const char *status,
			const char *narrative, struct field_errors *errs, int64_t *update_id)
{
	const struct cal_date today = who->today;
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	struct cal_date d;
	if (check_date(e, "on_date", "the date of the update", on_date, true,
		       &d) &&
	    cal_compare(d, today) > 0)
		fe_addf(e, "on_date", "The date of the update must be today "
			"or in the past");
	if (blank(status))
		fe_addf(e, "status", "Select the status");
	else if (!in_list(scrutiny_statuses, status))
		fe_addf(e, "status", "Status must be one of not-started, "
			"in-progress, delayed, ongoing, completed or "
			"superseded");
	check_text(e, "narrative", "what has been done", narrative,
		   SCRUTINY_TEXT_MAX, true, true);
	if (e->n)
		return ERR_INVALID;
	char day[11], now[21];
	cal_date_format(d, day);
	act_stamp(who, now);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t review_id, rec_id, id = 0;
	rc = scrutiny_action_locate(c, who->council, action_id, &review_id,
				    &rec_id);
	if (rc == ERR_OK)
		rc = next_id(c, "scrutiny_update", who->council, &id);
	if (rc == ERR_OK) {
		int k = db_exec(c, &st_update_insert, NULL,
			       who->council, id, action_id, review_id, day,
			       status, narrative, who->user_id, author, now);
		rc = k < 0 ? err_from_db(k) : ERR_OK;
	}
	if (rc == ERR_OK)
		rc = act_audit(c, who, "update", "scrutiny-action", action_id, 0);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && update_id)
		*update_id = id;
	return rc;
}

int scrutiny_timescale_set(struct db_conn *c, const struct actor *who,
			   int64_t action_id, const char *due_on,
			   const char *recurrence,
			   struct field_errors *errs)
{
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	struct cal_date d;
	bool has_due = check_date(e, "due_on", "the due date", due_on, false,
				  &d);
	if (!blank(recurrence) && !in_list(scrutiny_recurrences, recurrence))
		fe_addf(e, "recurrence", "Recurrence must be one of ongoing, "
			"weekly, monthly, quarterly, termly, six-monthly or "
			"annually, or empty");
	if (e->n)
		return ERR_INVALID;
	char day[11];
	cal_date_format(d, day);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int k = db_exec(c, &st_timescale_set, NULL, who->council,
		       action_id, has_due ? day : NULL,
		       blank(recurrence) ? NULL : recurrence);
	rc = k < 0 ? err_from_db(k) : ERR_OK;
	if (rc == ERR_OK && db_changes(c) == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK)
		rc = act_audit(c, who, "update", "scrutiny-timescale", action_id, 0);
	return tx_end(c, own, rc);
}

int scrutiny_comment_add(struct db_conn *c, const struct actor *who,
			 const char *author, int64_t review_id,
			 int64_t rec_id, const char *text,
			 struct field_errors *errs, int64_t *comment_id)
{
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	check_text(e, "text", "your comment", text, SCRUTINY_TEXT_MAX / 4,
		   true, true);
	if (rec_id < 0)
		fe_addf(e, "rec_id", "Recommendation must be one of this "
			"review's");
	if (e->n)
		return ERR_INVALID;
	char now[21];
	act_stamp(who, now);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	if (!review_exists(c, who->council, review_id, &rc)) {
		if (rc == ERR_OK)
			rc = ERR_NOTFOUND;
		return tx_end(c, own, rc);
	}
	if (rec_id > 0) {
		int k = db_exec(c, &st_rec_in_review, NULL,
			       who->council, review_id, rec_id);
		if (k != DB_ROW) {
			if (k >= 0)
				fe_addf(e, "rec_id", "Recommendation must be "
					"one of this review's");
			return tx_end(c, own,
					k < 0 ? err_from_db(k) : ERR_INVALID);
		}
	}
	int64_t id = 0;
	rc = next_id(c, "scrutiny_comment", who->council, &id);
	if (rc == ERR_OK) {
		int k = db_exec(c, &st_comment_insert, NULL,
			       who->council, id, review_id, rec_id, text,
			       who->user_id, author, who->role, now);
		rc = k < 0 ? err_from_db(k) : ERR_OK;
	}
	if (rc == ERR_OK)
		rc = notify_commented(c, who, review_id, rec_id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "create", "scrutiny-comment", id, 0);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && comment_id)
		*comment_id = id;
	return rc;
}

int scrutiny_report_presented(struct db_conn *c,
			      const struct actor *who,
			      int64_t review_id, const char *on_date,
			      struct field_errors *errs)
{
	const struct cal_date today = who->today;
	struct field_errors local = {0};
	struct field_errors *e = errs ? errs : &local;
	e->n = 0;
	struct cal_date d;
	if (check_date(e, "presented_on", "the date the report was presented",
		       on_date, true, &d) &&
	    cal_compare(d, today) > 0)
		fe_addf(e, "presented_on", "The date the report was presented "
			"must be today or in the past");
	if (e->n)
		return ERR_INVALID;
	char day[11], now[21];
	cal_date_format(d, day);
	act_stamp(who, now);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int k = db_exec(c, &st_review_get, &q, who->council, review_id);
	if (k != DB_ROW)
		return tx_end(c, own,
				k < 0 ? err_from_db(k) : ERR_NOTFOUND);
	int months = (int)db_col_i64(q, 7);
	k = db_exec(c, &st_report_insert, NULL, who->council,
		   review_id, day, who->user_id, now);
	if (k == DB_ECONSTRAINT) {
		fe_addf(e, "presented_on", "A report presented on that date is "
			"already recorded");
		return tx_end(c, own, ERR_CONFLICT);
	}
	if (k < 0)
		return tx_end(c, own, err_from_db(k));
	if (months > 0) {
		char next[11];
		cal_date_format(cal_add_months(d, months), next);
		k = db_exec(c, &st_review_next_due, NULL, who->council,
			   review_id, next);
		if (k < 0)
			return tx_end(c, own, err_from_db(k));
	}
	rc = act_audit(c, who, "report", "scrutiny-review", review_id, 0);
	return tx_end(c, own, rc);
}

/* ---- filters --------------------------------------------------------- */

/* Case-insensitive (ASCII) substring test. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < n && h[i] &&
		       (h[i] | 0x20) == (needle[i] | 0x20) &&
		       ((h[i] >= 'A' && h[i] <= 'Z') ||
			(h[i] >= 'a' && h[i] <= 'z') || h[i] == needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

bool scrutiny_filter_empty(const struct scrutiny_filter *f)
{
	return f == NULL || (blank(f->body_kind) && blank(f->owner) &&
			     blank(f->status) && !f->overdue_only);
}

bool scrutiny_filter_match(const struct scrutiny_filter *f,
			   const struct scrutiny_review *rv,
			   const struct scrutiny_action *act)
{
	if (f == NULL)
		return true;
	if (!blank(f->body_kind) && strcmp(rv->body_kind, f->body_kind) != 0)
		return false;
	if (!blank(f->status) && strcmp(act->status, f->status) != 0)
		return false;
	if (f->overdue_only && !act->overdue)
		return false;
	if (!blank(f->owner) && !contains_ci(act->owner, f->owner))
		return false;
	return true;
}
