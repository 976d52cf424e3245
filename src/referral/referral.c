/* referral.c: see referral.h for the contract. */
#include "referral/referral.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Allow-lists, mirroring auth/policy.c (PERM_REFERRAL_READ,
 * PERM_REFERRAL_ALLOCATE, PERM_CONTACT_DECIDE, PERM_FRONT_DOOR_QUEUE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define ALLOCATE_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define OPEN_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define MYWORK_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

#define FLAGS_MAX 200

const char *referral_dup(struct arena *a, const char *s)
{
	char *p = arena_strdup(a, s ? s : "");
	return p ? p : "";
}

/* ---- time ------------------------------------------------------------ */

/* Copies s (NULL: "") into dst of n bytes, truncated to fit. */
static void copy_text(char *dst, size_t n, const char *s)
{
	size_t k = 0;
	if (s != NULL)
		while (k + 1 < n && s[k] != '\0') {
			dst[k] = s[k];
			k++;
		}
	dst[k] = '\0';
}


/* Hand-written rather than snprintf: these run for every row of every
 * list.  The fields come from cal_*_parse, so they are in range (year
 * 1900..2100, day 1..31, hour 0..23, minute 0..59). */

/* Writes the decimal digits of v (0..9999) at p, at least `width` of
 * them (zero-padded); returns the end. */
static char *put_num(char *p, int v, int width)
{
	char d[4];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < 4);
	while (n < width)
		d[n++] = '0';
	while (n > 0)
		*p++ = d[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* "6 April 2023" at p (at most 17 bytes); returns the end. */
static char *put_date(char *p, struct cal_date d)
{
	p = put_num(p, d.d, 1);
	*p++ = ' ';
	p = put_str(p, cal_month_name(d.m));
	*p++ = ' ';
	return put_num(p, d.y, 1);
}

void referral_format_date(const char *date, char out[24])
{
	struct cal_date d;
	if (date == NULL || !cal_date_parse(date, strlen(date), &d)) {
		copy_text(out, 24, date);
		return;
	}
	*put_date(out, d) = '\0';
}

void referral_format_time(const char *civil, char out[32])
{
	struct cal_time t;
	if (civil == NULL || !cal_time_parse(civil, strlen(civil), &t)) {
		copy_text(out, 32, civil);
		return;
	}
	char *p = put_str(put_date(out, t.date), " at ");
	p = put_num(p, t.hh, 2);
	*p++ = ':';
	p = put_num(p, t.mm, 2);
	*p = '\0';
}

/* ---- rules ----------------------------------------------------------- */

bool referral_is_rereferral(struct cal_date date, struct cal_date previous)
{
	/* R14: "within 12 months of a previous referral"; the same day 12
	 * months earlier counts (see referral.h).  The window is the
	 * engine's rule row. */
	return due_within(due_rule("R14"), date, previous);
}

struct cal_date referral_assessment_due(const struct cal *cal,
					struct cal_date referral_date)
{
	/* R02: no longer than 45 working days from the point of referral,
	 * as the engine counts it. */
	const struct due_rule *r = due_rule("R02");
	struct cal_time t = {referral_date, 0, 0};
	return due_compute(r, cal, t, r->count).date;
}

/* ---- the chronology's lines (live and backfilled alike) --------------- */

const char *referral_summary(bool rereferral)
{
	return rereferral ? "Re-referral made: referred again within 12 months"
			  : "Referral made";
}

void referral_allocation_summary(const char *worker, const char *team,
				 char *out, size_t n)
{
	if (team && team[0])
		snprintf(out, n, "Allocated to %s, %s", worker, team);
	else
		snprintf(out, n, "Allocated to %s", worker);
}

/* ---- statements ------------------------------------------------------ */

/* Columns decoded by ref_from_row, in order. */
#define REF_COLS                                                          \
	"r.referral_id, r.child_id, ch.given_name || ' ' || ch.family_name," \
	" r.contact_id, r.referral_date, r.source, r.rereferral,"           \
	" r.previous_referral_id, p.referral_date, r.team_id, t.name,"      \
	" r.worker_id, u.display_name, r.allocated_at, r.allocated_by,"      \
	" di.due_at"
/* R02's due date is the timescale engine's (domain/due.h), never worked
 * out again here. */
#define REF_FROM                                                          \
	" FROM referral r"                                                   \
	" JOIN child ch ON ch.council = r.council AND ch.child_id = r.child_id" \
	" LEFT JOIN referral p ON p.council = r.council"                     \
	"  AND p.referral_id = r.previous_referral_id"                       \
	" LEFT JOIN team t ON t.council = r.council AND t.team_id = r.team_id" \
	" LEFT JOIN app_user u ON u.council = r.council"                     \
	"  AND u.user_id = r.worker_id"                                      \
	" LEFT JOIN due_item di ON di.council = r.council AND di.rule = 'R02'" \
	"  AND di.subject = 'referral' AND di.subject_id = r.referral_id"    \
	"  AND di.seq = 1"

DB_STMT(st_ref_get) = {
	"referral_get",
	"SELECT " REF_COLS REF_FROM " WHERE r.council = ?1 AND r.referral_id = ?2",
	READ_ROLES,
};
DB_STMT(st_ref_list) = {
	"referral_list",
	"SELECT " REF_COLS REF_FROM
	" WHERE r.council = ?1 AND r.referral_id > ?2"
	" AND (?3 = 0 OR r.worker_id IS NULL)"
	" AND (?4 = 0 OR r.worker_id = ?4)"
	" ORDER BY r.referral_id LIMIT ?5",
	READ_ROLES,
};
DB_STMT(st_ref_list_desc) = {
	"referral_list_desc",
	"SELECT " REF_COLS REF_FROM
	" WHERE r.council = ?1 AND (?2 = 0 OR r.referral_id < ?2)"
	" AND (?3 = 0 OR r.worker_id IS NULL)"
	" AND (?4 = 0 OR r.worker_id = ?4)"
	" ORDER BY r.referral_id DESC LIMIT ?5",
	READ_ROLES,
};
/* Only what the child's page shows: no join back to the child (the page
 * has it), to the previous referral or to the team, and no ORDER BY (a
 * LIMIT with ORDER BY makes SQLite build a temporary b-tree, costlier
 * than sorting the few rows in C). */
DB_STMT(st_ref_child) = {
	"referral_list_child",
	"SELECT r.referral_id, r.referral_date, r.rereferral, r.worker_id,"
	" u.display_name, r.contact_id, r.source, r.team_id, di.due_at"
	" FROM referral r LEFT JOIN app_user u ON u.council = r.council"
	"  AND u.user_id = r.worker_id"
	" LEFT JOIN due_item di ON di.council = r.council AND di.rule = 'R02'"
	"  AND di.subject = 'referral' AND di.subject_id = r.referral_id"
	"  AND di.seq = 1"
	" WHERE r.council = ?1 AND r.child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_ref_prev) = {
	"referral_previous",
	"SELECT referral_id, referral_date FROM referral"
	" WHERE council = ?1 AND child_id = ?2 AND referral_date <= ?3"
	" ORDER BY referral_date DESC, referral_id DESC LIMIT 1",
	OPEN_ROLES,
};
DB_STMT(st_ref_ins) = {
	"referral_ins",
	"INSERT INTO referral (council, referral_id, child_id, contact_id,"
	" referral_date, source, rereferral, previous_referral_id,"
	" created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	OPEN_ROLES,
};
DB_STMT(st_ref_alloc_state) = {
	"referral_alloc_state",
	"SELECT child_id, allocated_at FROM referral"
	" WHERE council = ?1 AND referral_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_team_get) = {
	"referral_team_get",
	"SELECT name FROM team WHERE council = ?1 AND team_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_worker_get) = {
	"referral_worker_get",
	"SELECT display_name, role, disabled FROM app_user"
	" WHERE council = ?1 AND user_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_ref_alloc) = {
	"referral_allocate",
	"UPDATE referral SET team_id = ?3, worker_id = ?4, allocated_at = ?5,"
	" allocated_by = ?6 WHERE council = ?1 AND referral_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_ref_unalloc_count) = {
	"referral_unallocated_count",
	"SELECT count(*) FROM referral WHERE council = ?1 AND worker_id IS NULL",
	READ_ROLES,
};
DB_STMT(st_teams) = {
	"referral_teams",
	"SELECT team_id, name FROM team WHERE council = ?1"
	" ORDER BY name, team_id",
	ALLOCATE_ROLES,
};
DB_STMT(st_workers) = {
	"referral_workers",
	"SELECT user_id, display_name, role FROM app_user"
	" WHERE council = ?1 AND disabled = 0"
	" AND role IN ('social-worker', 'team-manager')"
	" ORDER BY display_name, user_id",
	ALLOCATE_ROLES,
};
DB_STMT(st_flags) = {
	"referral_worker_flags",
	"SELECT f.child_id, ch.given_name || ' ' || ch.family_name, f.kind,"
	" f.review_date FROM flag f"
	" JOIN child ch ON ch.council = f.council AND ch.child_id = f.child_id"
	" WHERE f.council = ?1 AND f.ended_at IS NULL AND f.review_date < ?3"
	" AND f.child_id IN (SELECT child_id FROM referral"
	"  WHERE council = ?1 AND worker_id = ?2)"
	" ORDER BY f.review_date, f.child_id, f.flag_id LIMIT 200",
	MYWORK_ROLES,
};
DB_STMT(st_child_name) = {
	"referral_child_name",
	"SELECT given_name || ' ' || family_name FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	READ_ROLES,
};

/* ---- rows ------------------------------------------------------------ */

/* R02's due date (the engine's item) and whether it has passed. */
static void ref_due(struct referral *out, const char *due_at,
		    struct cal_date today)
{
	struct cal_date due;
	if (due_at && cal_date_parse(due_at, strlen(due_at), &due)) {
		cal_date_format(due, out->assessment_due);
		out->assessment_overdue = cal_compare(today, due) > 0;
	}
}

static void ref_from_row(struct db_q *q, struct arena *a,
			 const struct cal *cal, struct cal_date today,
			 struct referral *out)
{
	memset(out, 0, sizeof(*out));
	out->referral_id = db_col_i64(q, 0);
	out->child_id = db_col_i64(q, 1);
	out->child_name = referral_dup(a, db_col_text(q, 2));
	out->contact_id = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
	copy_text(out->referral_date, sizeof(out->referral_date),
		  db_col_text(q, 4));
	copy_text(out->source, sizeof(out->source), db_col_text(q, 5));
	out->rereferral = db_col_i64(q, 6) != 0;
	out->previous_referral_id = db_col_null(q, 7) ? 0 : db_col_i64(q, 7);
	copy_text(out->previous_date, sizeof(out->previous_date),
		  db_col_text(q, 8));
	out->team_id = db_col_null(q, 9) ? 0 : db_col_i64(q, 9);
	out->team_name = referral_dup(a, db_col_text(q, 10));
	out->worker_id = db_col_null(q, 11) ? 0 : db_col_i64(q, 11);
	out->worker_name = referral_dup(a, db_col_text(q, 12));
	copy_text(out->allocated_at, sizeof(out->allocated_at),
		  db_col_text(q, 13));
	out->allocated_by = db_col_null(q, 14) ? 0 : db_col_i64(q, 14);
	ref_due(out, db_col_text(q, 15), today);
}

/* Runs a prepared referral SELECT into an arena array. */
static int ref_rows(struct db_q *q, struct arena *a, const struct cal *cal,
		    struct cal_date today, struct referral **rows, int *n)
{
	struct referral *v = NULL;
	int k = 0, cap = 0, rc;
	while ((rc = db_step(q)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL)
			return ERR_STORE;
		ref_from_row(q, a, cal, today, &v[k++]);
	}
	if (rc < 0)
		return err_from_db(rc);
	*rows = v;
	*n = k;
	return ERR_OK;
}

/* ---- referrals ------------------------------------------------------- */

int referral_open(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t child_id, int64_t contact_id,
		  struct cal_date referral_date, const char *source,
		  int64_t *referral_id)
{
	if (!db_in_tx(c))
		return ERR_STORE;
	char date[11], prev_date[11] = "", created[21];
	cal_date_format(referral_date, date);
	act_stamp(who, created);
	struct db_q *q;
	int64_t prev_id = 0;
	int rc = db_prepare(c, &st_ref_prev, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, child_id);
	db_bind_text(q, 3, date);
	rc = db_step(q);
	if (rc < 0)
		return err_from_db(rc);
	if (rc == DB_ROW) {
		prev_id = db_col_i64(q, 0);
		copy_text(prev_date, sizeof(prev_date), db_col_text(q, 1));
	}
	bool rereferral = false;
	struct cal_date pd;
	if (prev_id && cal_date_parse(prev_date, strlen(prev_date), &pd))
		rereferral = referral_is_rereferral(referral_date, pd);
	int64_t id;
	if ((rc = db_next_id(c, who->council, "referral", &id)) < 0)
		return err_from_db(rc);
	rc = db_prepare(c, &st_ref_ins, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, id);
	db_bind_i64(q, 3, child_id);
	db_bind_id(q, 4, contact_id);
	db_bind_text(q, 5, date);
	db_bind_text(q, 6, source);
	db_bind_i64(q, 7, rereferral ? 1 : 0);
	db_bind_id(q, 8, prev_id);
	db_bind_text(q, 9, created);
	db_bind_i64(q, 10, who->user_id);
	rc = db_step(q);
	if (rc < 0)
		return err_from_db(rc);
	/* R02: the single assessment's clock starts at the referral */
	struct cal_time start = {referral_date, 0, 0};
	rc = due_start(c, who, "R02", cal, "referral", id, child_id, start,
		       NULL);
	/* noted at the decision that made it (its date is the referral
	 * date), so it follows the decision in the chronology */
	if (rc == ERR_OK)
		rc = chron_note(c, who, child_id, who->civil, true, "referral",
				referral_summary(rereferral), "referral", id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "create", "referral", id, child_id);
	if (rc != ERR_OK)
		return rc;
	if (referral_id)
		*referral_id = id;
	return ERR_OK;
}

int referral_read(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t referral_id,
		  struct arena *a, struct referral *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct referral r;
	int k = db_exec(c, &st_ref_get, &q, who->council, referral_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (k != DB_ROW) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	ref_from_row(q, a, cal, who->civil.date, &r);
	rc = act_audit(c, who, "read", "referral", r.referral_id,
			    r.child_id);
out:
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = r;
	return rc;
}

int referral_allocate(struct db_conn *c, const struct actor *who,
		      int64_t referral_id, int64_t team_id,
		      int64_t worker_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	if (team_id <= 0)
		fe_addf(e, "team_id", "Select a team");
	if (worker_id <= 0)
		fe_addf(e, "worker_id", "Select a worker");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int k = db_exec(c, &st_ref_alloc_state, &q, who->council,
		       referral_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (k != DB_ROW) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	int64_t child_id = db_col_i64(q, 0);
	bool again = !db_col_null(q, 1);
	char team_name[128] = "", worker_name[128] = "";
	if (team_id > 0) {
		k = db_exec(c, &st_team_get, &q, who->council, team_id);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		if (k == DB_ROW)
			copy_text(team_name, sizeof(team_name), db_col_text(q, 0));
		if (k != DB_ROW)
			fe_addf(e, "team_id", "The team was not found "
					   "in your council; select a team "
					   "from the list");
	}
	if (worker_id > 0) {
		k = db_exec(c, &st_worker_get, &q, who->council,
			   worker_id);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		enum role role;
		const char *rid = k == DB_ROW ? db_col_text(q, 1) : NULL;
		if (k == DB_ROW)
			copy_text(worker_name, sizeof(worker_name),
				  db_col_text(q, 0));
		if (k != DB_ROW)
			fe_addf(e, "worker_id", "The worker was not "
					   "found in your council; select a "
					   "worker from the list");
		else if (db_col_i64(q, 2) != 0)
			fe_addf(e, "worker_id", "%.60s's account is "
					   "disabled; select another worker",
					   db_col_text(q, 0));
		else if (rid == NULL || !role_parse(rid, &role) ||
			 (role != ROLE_SOCIAL_WORKER &&
			  role != ROLE_TEAM_MANAGER))
			fe_addf(e, "worker_id", "%.60s is not a "
					   "social worker or team manager; "
					   "select another worker",
					   db_col_text(q, 0));
	}
	if (e->n) {
		rc = ERR_INVALID;
		goto out;
	}
	char at[17];
	cal_time_format(who->civil, at);
	k = db_exec(c, &st_ref_alloc, NULL, who->council,
		   referral_id, team_id, worker_id, at, who->user_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	/* the referral's clocks are now on the worker's list */
	rc = due_assign(c, who, "referral", referral_id, worker_id, team_id);
	if (rc == ERR_OK) {
		char line[300];
		referral_allocation_summary(worker_name, team_name, line,
					    sizeof(line));
		rc = chron_note(c, who, child_id, who->civil, true, "allocation",
				line, "referral", referral_id);
	}
	if (rc == ERR_OK)
		rc = act_audit(c, who, again ? "reallocate" : "allocate",
			       "referral", referral_id, child_id);
out:
	return tx_end(c, own, rc);
}

int referral_audit_shown(struct db_conn *c, const struct actor *who,
			 const char *entity, const int64_t *child_ids,
			 size_t stride, int n)
{
	int64_t *ids = n > 0 ? xmalloc((size_t)n * sizeof(*ids)) : NULL;
	const char *ch = (const char *)child_ids;
	for (int i = 0; i < n; i++)
		memcpy(&ids[i], ch + (size_t)i * stride, sizeof(ids[i]));
	struct audit_event ev;
	act_event(who, "list", entity, 0, 0, &ev);
	ev.children = ids;
	ev.nchildren = n;
	int rc = err_from_db(audit_append(c, &ev));
	free(ids);
	return rc;
}

int referral_list(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, const struct referral_filter *f, struct arena *a,
		  struct referral **rows, int *n, int64_t *next)
{
	int64_t limit = f->limit < 1 ? 1 : f->limit > 200 ? 200 : f->limit;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct referral *v = NULL;
	int k = 0;
	int64_t nx = 0;
	int db = db_prepare(c, f->newest_first ? &st_ref_list_desc
					      : &st_ref_list, &q);
	if (db != DB_OK) {
		rc = err_from_db(db);
		goto out;
	}
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, f->cursor > 0 ? f->cursor : 0);
	db_bind_i64(q, 3, f->unallocated ? 1 : 0);
	db_bind_i64(q, 4, f->worker_id > 0 ? f->worker_id : 0);
	db_bind_i64(q, 5, limit + 1);
	rc = ref_rows(q, a, cal, who->civil.date, &v, &k);
	if (rc != ERR_OK)
		goto out;
	if (k > limit) {
		k = (int)limit;
		nx = v[k - 1].referral_id;
	}
	rc = referral_audit_shown(c, who, "referral",
				  k ? &v[0].child_id : NULL, sizeof(*v), k);
out:
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK) {
		*rows = v;
		*n = k;
		*next = nx;
	}
	return rc;
}

/* Newest referral_date first, then the higher referral_id first (the
 * order the list has always had). */
static int cmp_child_row(const void *pa, const void *pb)
{
	const struct referral *x = pa, *y = pb;
	int c = strcmp(y->referral_date, x->referral_date);
	if (c != 0)
		return c;
	return (y->referral_id > x->referral_id) -
	       (y->referral_id < x->referral_id);
}

int referral_list_child(struct db_conn *c, const struct actor *who,
			const struct cal *cal, int64_t child_id,
			struct arena *a, struct referral **rows, int *n)
{
	const char *council = who->council;
	struct db_q *q;
	int rc = db_prepare(c, &st_ref_child, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, child_id);
	struct cal_date today = who->civil.date;
	struct referral *v = NULL;
	int k = 0, cap = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL)
			return ERR_STORE;
		struct referral *o = &v[k++];
		memset(o, 0, sizeof(*o));
		o->referral_id = db_col_i64(q, 0);
		o->child_id = child_id;
		o->child_name = "";
		copy_text(o->referral_date, sizeof(o->referral_date),
			  db_col_text(q, 1));
		o->rereferral = db_col_i64(q, 2) != 0;
		o->worker_id = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
		o->worker_name = o->worker_id ? referral_dup(a, db_col_text(q, 4))
					      : "";
		o->contact_id = db_col_null(q, 5) ? 0 : db_col_i64(q, 5);
		copy_text(o->source, sizeof(o->source), db_col_text(q, 6));
		o->team_id = db_col_null(q, 7) ? 0 : db_col_i64(q, 7);
		o->team_name = "";
		ref_due(o, db_col_text(q, 8), today);
	}
	if (rc < 0)
		return err_from_db(rc);
	if (k > 1)
		qsort(v, (size_t)k, sizeof(*v), cmp_child_row);
	*rows = v;
	*n = k > REFERRAL_CHILD_ROWS ? REFERRAL_CHILD_ROWS : k;
	return ERR_OK;
}

int referral_count_unallocated(struct db_conn *c, const char *council,
			       int64_t *n)
{
	struct db_q *q;
	int rc = db_exec(c, &st_ref_unalloc_count, &q, council);
	if (rc != DB_ROW)
		return rc < 0 ? err_from_db(rc) : ERR_STORE;
	*n = db_col_i64(q, 0);
	return ERR_OK;
}

static int options(struct db_conn *c, const struct db_stmt *st,
		   const char *council, bool workers, struct arena *a,
		   struct referral_option **out, int *n)
{
	struct db_q *q;
	int rc = db_prepare(c, st, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, council);
	struct referral_option *v = NULL;
	int k = 0, cap = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL)
			return ERR_STORE;
		v[k].id = db_col_i64(q, 0);
		v[k].name = referral_dup(a, db_col_text(q, 1));
		v[k].detail = "";
		enum role role;
		const char *rid = workers ? db_col_text(q, 2) : NULL;
		if (rid && role_parse(rid, &role))
			v[k].detail = role_label(role);
		k++;
	}
	if (rc < 0)
		return err_from_db(rc);
	*out = v;
	*n = k;
	return ERR_OK;
}

int referral_teams(struct db_conn *c, const char *council, struct arena *a,
		   struct referral_option **v, int *n)
{
	return options(c, &st_teams, council, false, a, v, n);
}

int referral_workers(struct db_conn *c, const char *council,
		     struct arena *a, struct referral_option **v, int *n)
{
	return options(c, &st_workers, council, true, a, v, n);
}

int referral_worker_flags(struct db_conn *c, const struct actor *who,
			  int64_t worker_id, struct arena *a,
			  struct referral_flag **rows, int *n)
{
	char today[11];
	cal_date_format(who->civil.date, today);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct referral_flag *v = NULL;
	int k = 0, cap = 0;
	struct db_q *q;
	int db = db_prepare(c, &st_flags, &q);
	if (db != DB_OK) {
		rc = err_from_db(db);
		goto out;
	}
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, worker_id);
	db_bind_text(q, 3, today);
	while ((db = db_step(q)) == DB_ROW && k < FLAGS_MAX) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL) {
			rc = ERR_STORE;
			goto out;
		}
		v[k].child_id = db_col_i64(q, 0);
		v[k].child_name = referral_dup(a, db_col_text(q, 1));
		v[k].kind = referral_dup(a, db_col_text(q, 2));
		copy_text(v[k].review_date, sizeof(v[k].review_date),
			  db_col_text(q, 3));
		k++;
	}
	if (db < 0) {
		rc = err_from_db(db);
		goto out;
	}
	rc = referral_audit_shown(c, who, "flag",
				  k ? &v[0].child_id : NULL, sizeof(*v), k);
out:
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK) {
		*rows = v;
		*n = k;
	}
	return rc;
}

int referral_child_name(struct db_conn *c, const char *council,
			int64_t child_id, struct arena *a, const char **name)
{
	struct db_q *q;
	int rc = db_exec(c, &st_child_name, &q, council, child_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return 0;
	*name = referral_dup(a, db_col_text(q, 0));
	return 1;
}
