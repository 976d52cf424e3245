/* referral.c: see referral.h for the contract. */
#include "referral/referral.h"
#include "referral/contact.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/field.h"
#include "domain/rows.h"
#include "notify/notify.h"
#include "auth/role.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c (PERM_REFERRAL_READ,
 * PERM_REFERRAL_ALLOCATE, PERM_CONTACT_DECIDE, PERM_FRONT_DOOR_QUEUE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define ALLOCATE_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define OPEN_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

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

/* ---- the fields (domain/field.h) ------------------------------------- */

/* A referral as read: the columns of REF_COLS, in order, then
 * assessment_overdue. */
#define V(m) offsetof(struct referral, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = V(referral_id)},
	{.name = "child_id", .type = FT_INT, .offset = V(child_id)},
	{.name = "child_name", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = V(child_name)},
	{.name = "contact_id", .label = "Contact", .type = FT_REF,
	 .offset = V(contact_id)},
	{.name = "referral_date", .label = "Referral date", .type = FT_DATE,
	 .offset = V(referral_date)},
	{.name = "source", .label = "Source", .type = FT_CODE,
	 .codes = contact_source_codes, .show_code = true,
	 .offset = V(source)},
	{.name = "rereferral", .label = "Re-referral", .type = FT_BOOL,
	 .offset = V(rereferral)},
	{.name = "previous_referral_id", .type = FT_REF,
	 .offset = V(previous_referral_id)},
	{.name = "previous_referral_date", .type = FT_DATE,
	 .offset = V(previous_date)},
	{.name = "team_id", .type = FT_REF, .offset = V(team_id)},
	{.name = "team_name", .label = "Team", .type = FT_TEXT,
	 .offset = V(team_name)},
	{.name = "worker_id", .type = FT_REF, .offset = V(worker_id)},
	{.name = "worker_name", .label = "Worker", .type = FT_TEXT,
	 .offset = V(worker_name)},
	{.name = "allocated_at", .label = "Allocated", .type = FT_DATETIME,
	 .offset = V(allocated_at)},
	{.name = "allocated_by", .type = FT_REF, .out = FO_HIDDEN,
	 .offset = V(allocated_by)},
	{.name = "assessment_due", .label = "Assessment due", .type = FT_DATE,
	 .offset = V(assessment_due)},
	{.name = "assessment_done", .type = FT_BOOL,
	 .offset = V(assessment_done)},
	{.name = "assessment_overdue", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(assessment_overdue)},
};
const struct record_type referral_view = {
	"referral_view", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

#define A(m) offsetof(struct referral_allocation, m)
static const struct field allocation_fields[] = {
	/* optional: with none chosen, the worker's own team is taken (a
	 * team chosen must be the worker's, check_worker; it is needed only
	 * for a worker with no team recorded) */
	{.name = "team_id", .label = "Team",
	 .hint = "Leave this to allocate to the worker's own team",
	 .type = FT_REF, .offset = A(team_id)},
	{.name = "worker_id", .label = "Worker",
	 .hint = "A social worker or team manager", .type = FT_REF,
	 .required = true, .missing = "Select a worker",
	 .offset = A(worker_id)},
};
const struct record_type referral_allocation_type = {
	"referral_allocation", allocation_fields,
	(int)(sizeof(allocation_fields) / sizeof(allocation_fields[0])),
};

/* ---- statements ------------------------------------------------------ */

/* The view's columns.  R02's due date is the timescale engine's
 * (domain/due.h), never worked out again here. */
#define REF_COLS                                                          \
	"r.referral_id, r.child_id, ch.given_name || ' ' || ch.family_name," \
	" r.contact_id, r.referral_date, r.source, r.rereferral,"           \
	" r.previous_referral_id, p.referral_date, r.team_id, t.name,"      \
	" r.worker_id, u.display_name, r.allocated_at, r.allocated_by,"      \
	" di.due_at, di.met_at IS NOT NULL"                                  \
	" FROM referral r"                                                   \
	" JOIN child ch ON ch.council = r.council AND ch.child_id = r.child_id" \
	" LEFT JOIN referral p ON p.council = r.council"                     \
	"  AND p.referral_id = r.previous_referral_id"                       \
	" LEFT JOIN team t ON t.council = r.council AND t.team_id = r.team_id" \
	R02_JOIN
#define R02_JOIN                                                          \
	" LEFT JOIN app_user u ON u.council = r.council"                     \
	"  AND u.user_id = r.worker_id"                                      \
	" LEFT JOIN due_item di ON di.council = r.council AND di.rule = 'R02'" \
	"  AND di.subject = 'referral' AND di.subject_id = r.referral_id"    \
	"  AND di.seq = 1"

DB_STMT(st_ref_get) = {
	"referral_get",
	"SELECT " REF_COLS " WHERE r.council = ?1 AND r.referral_id = ?2",
	READ_ROLES,
};
DB_STMT(st_ref_list) = {
	"referral_list",
	"SELECT " REF_COLS
	" WHERE r.council = ?1 AND r.referral_id > ?2"
	" AND (?3 = 0 OR r.worker_id IS NULL)"
	" AND (?4 = 0 OR r.worker_id = ?4)"
	" ORDER BY r.referral_id LIMIT ?5",
	READ_ROLES,
};
DB_STMT(st_ref_list_desc) = {
	"referral_list_desc",
	"SELECT " REF_COLS
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
	"SELECT r.referral_id, r.child_id, '', r.contact_id, r.referral_date,"
	" r.source, r.rereferral, NULL, NULL, r.team_id, '', r.worker_id,"
	" u.display_name, NULL, NULL, di.due_at, di.met_at IS NOT NULL"
	" FROM referral r" R02_JOIN
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
	"SELECT u.display_name, u.role, u.disabled, u.team_id, t.name"
	" FROM app_user u LEFT JOIN team t ON t.council = u.council"
	"  AND t.team_id = u.team_id WHERE u.council = ?1 AND u.user_id = ?2",
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
	"SELECT team_id, name, '', '' FROM team WHERE council = ?1"
	" ORDER BY name, team_id",
	ALLOCATE_ROLES,
};
DB_STMT(st_workers) = {
	"referral_workers",
	"SELECT u.user_id, u.display_name, u.role, t.name FROM app_user u"
	" LEFT JOIN team t ON t.council = u.council AND t.team_id = u.team_id"
	" WHERE u.council = ?1 AND u.disabled = 0"
	" AND u.role IN ('social-worker', 'team-manager')"
	/* those with no team first: SQLite's order, said so for both */
	" ORDER BY t.name NULLS FIRST, u.display_name, u.user_id",
	ALLOCATE_ROLES,
};
/* Whether R02's due date (the engine's item) has passed as of the
 * actor's (arg) civil date.  A row_map's `each`. */
static int ref_derive(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	(void)q;
	struct referral *f = item;
	struct cal_date due;
	const char *d = f->assessment_due;
	f->assessment_overdue = !f->assessment_done &&
				cal_date_parse(d, strlen(d), &due) &&
				cal_compare(((const struct actor *)arg)->civil.date,
					    due) > 0;
	return ERR_OK;
}

static const struct row_map ref_rows = {
	sizeof(struct referral), NULL, 0, ref_derive, &referral_view,
};
static const struct rows_list_shown ref_shown = {
	"referral", offsetof(struct referral, child_id),
	offsetof(struct referral, referral_id),
};

/* ---- referrals ------------------------------------------------------- */

int referral_open(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t child_id, int64_t contact_id,
		  struct cal_date referral_date, const char *source,
		  int64_t *referral_id)
{
	if (!db_in_tx(c))
		return ERR_STORE;
	char date[11], created[21];
	cal_date_format(referral_date, date);
	act_stamp(who, created);
	struct db_q *q;
	int64_t prev_id = 0, id = 0;
	bool rereferral = false;
	int rc = db_exec(c, &st_ref_prev, &q, who->council, child_id, date);
	if (rc < 0)
		return err_from_db(rc);
	if (rc == DB_ROW) {
		struct cal_date pd;
		const char *ps = db_col_text(q, 1);
		prev_id = db_col_i64(q, 0);
		rereferral = ps && cal_date_parse(ps, strlen(ps), &pd) &&
			     referral_is_rereferral(referral_date, pd);
		db_done(q);
	}
	if ((rc = db_next_id(c, who->council, "referral", &id)) < 0)
		return err_from_db(rc);
	rc = db_exec(c, &st_ref_ins, NULL, who->council, id, child_id,
		     db_id(contact_id), date, source, rereferral, db_id(prev_id),
		     created, who->user_id);
	if (rc < 0)
		return err_from_db(rc);
	/* R02: the single assessment's clock starts at the referral */
	struct cal_time start = {referral_date, 0, 0};
	rc = due_start(c, who, "R02", cal, "referral", id, child_id, start,
		       NULL);
	/* R05: the child to be seen, in the council's working days */
	if (rc == ERR_OK)
		rc = due_start(c, who, "R05", cal, "referral", id, child_id,
			       start, NULL);
	/* noted at the decision that made it (its date is the referral
	 * date), so it follows the decision in the chronology */
	if (rc == ERR_OK)
		rc = chron_note(c, who, child_id, who->civil, true, "referral",
				referral_summary(rereferral), "referral", id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "create", "referral", id, child_id);
	if (rc == ERR_OK && referral_id)
		*referral_id = id;
	return rc;
}

int referral_read(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t referral_id,
		  struct arena *a, struct referral *out)
{
	(void)cal;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct referral r = {0};
	int k = db_exec(c, &st_ref_get, &q, who->council, referral_id);
	rc = k < 0 ? err_from_db(k) : k != DB_ROW ? ERR_NOTFOUND : ERR_OK;
	if (rc == ERR_OK) {
		fields_row(q, 0, &referral_view, &r, a);
		ref_derive(NULL, NULL, &r, (void *)who);
		rc = act_audit(c, who, "read", "referral", r.referral_id,
			       r.child_id);
	}
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = r;
	return rc;
}

/* The worker chosen for a referral, as the store has them. */
struct worker_row {
	char name[128];
	char team[128];     /* their team's name; "" when none recorded */
	int64_t team_id;    /* 0: no team recorded */
	bool disabled;
	bool can_take;      /* a social worker or team manager */
};

/* Reads worker_id into w.  DB_ROW, DB_DONE (no such user in the
 * council) or a store error. */
static int worker_read(struct db_conn *c, const char *council,
		       int64_t worker_id, struct worker_row *w)
{
	struct db_q *q;
	int k = db_exec(c, &st_worker_get, &q, council, worker_id);
	if (k != DB_ROW)
		return k;
	const char *rid = db_col_text(q, 1);
	enum role role;
	snprintf(w->name, sizeof(w->name), "%s", db_col_text(q, 0));
	w->disabled = db_col_i64(q, 2) != 0;
	w->can_take = rid && role_parse(rid, &role) &&
		      (role == ROLE_SOCIAL_WORKER || role == ROLE_TEAM_MANAGER);
	w->team_id = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
	snprintf(w->team, sizeof(w->team), "%s",
		 db_col_text(q, 4) ? db_col_text(q, 4) : "");
	db_done(q);
	return DB_ROW;
}

/* Checks the worker may take a referral for team_id (called `team`): an
 * enabled social worker or team manager of that team (a worker whose
 * team is not recorded is taken at the allocator's word). */
static void check_worker(const struct worker_row *w, int64_t team_id,
			 const char *team, struct field_errors *e)
{
	if (w->disabled)
		fe_addf(e, "worker_id", "%.60s's account is disabled; select "
			"another worker", w->name);
	else if (!w->can_take)
		fe_addf(e, "worker_id", "%.60s is not a social worker or team "
			"manager; select another worker", w->name);
	else if (w->team_id && w->team_id != team_id && team[0])
		fe_addf(e, "worker_id", "%.60s is in %.60s, not %.60s; select a "
			"worker from %.60s, or choose their team", w->name,
			w->team[0] ? w->team : "another team", team, team);
}

int referral_allocate(struct db_conn *c, const struct actor *who,
		      int64_t referral_id, int64_t team_id,
		      int64_t worker_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	struct referral_allocation in = {team_id, worker_id};
	fields_check(&referral_allocation_type, &in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int k = db_exec(c, &st_ref_alloc_state, &q, who->council,
			referral_id);
	rc = k < 0 ? err_from_db(k) : k != DB_ROW ? ERR_NOTFOUND : ERR_OK;
	int64_t child_id = rc == ERR_OK ? db_col_i64(q, 0) : 0;
	bool again = rc == ERR_OK && !db_col_null(q, 1);
	char team[128] = "", at[17], line[300];
	struct worker_row w = {.name = ""};
	bool found = false;
	if (rc == ERR_OK && worker_id > 0) {
		k = worker_read(c, who->council, worker_id, &w);
		found = k == DB_ROW;
		if (k == DB_DONE)
			fe_addf(e, "worker_id", "The worker was not found in "
				"your council; select a worker from the list");
		rc = err_from_db(k < 0 ? k : DB_OK);
	}
	/* no team chosen: the worker's own (issue 9: one choice, not two) */
	if (rc == ERR_OK && team_id <= 0 && found) {
		team_id = w.team_id;
		if (team_id == 0)
			fe_addf(e, "team_id", "%.60s has no team recorded; "
				"select a team", w.name);
	}
	if (rc == ERR_OK && team_id > 0) {
		k = db_exec(c, &st_team_get, &q, who->council, team_id);
		if (k == DB_ROW)
			snprintf(team, sizeof(team), "%s", db_col_text(q, 0));
		else if (k == DB_DONE)
			fe_addf(e, "team_id", "The team was not found in your "
				"council; select a team from the list");
		rc = err_from_db(k < 0 ? k : DB_OK);
	}
	if (rc == ERR_OK && found)
		check_worker(&w, team_id, team, e);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	cal_time_format(who->civil, at);
	if (rc == ERR_OK)
		rc = err_from_db(db_exec(c, &st_ref_alloc, NULL, who->council,
					 referral_id, team_id, worker_id, at,
					 who->user_id));
	/* the referral's clocks are now on the worker's list */
	if (rc == ERR_OK)
		rc = due_assign(c, who, "referral", referral_id, worker_id,
				team_id);
	if (rc == ERR_OK) {
		referral_allocation_summary(w.name, team, line, sizeof(line));
		rc = chron_note(c, who, child_id, who->civil, true, "allocation",
				line, "referral", referral_id);
	}
	if (rc == ERR_OK)
		rc = notify_allocated(c, who, worker_id, referral_id, child_id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, again ? "reallocate" : "allocate",
			       "referral", referral_id, child_id);
	return tx_end(c, own, rc);
}

int referral_list(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, const struct referral_filter *f,
		  struct arena *a, struct referral **rows, int *n,
		  int64_t *next)
{
	(void)cal;
	int64_t limit = f->limit < 1 ? 1 : f->limit > 200 ? 200 : f->limit;
	return rows_shown(c, who, a, f->newest_first ? &st_ref_list_desc
						     : &st_ref_list,
			  &ref_rows, &ref_shown, (void *)who, limit, rows, n, next,
			  who->council, f->cursor > 0 ? f->cursor : 0,
			  f->unallocated, f->worker_id > 0 ? f->worker_id : 0,
			  limit + 1);
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
	(void)cal;
	return rows_sorted(c, a, &st_ref_child, &ref_rows, (void *)who,
			   cmp_child_row, REFERRAL_CHILD_ROWS, rows, n, who->council,
			   child_id);
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

/* A choice of team or worker: id, name, and a worker's role. */
#define O(m) offsetof(struct referral_option, m)
static const struct field option_fields[] = {
	{.name = "id", .type = FT_INT, .offset = O(id)},
	{.name = "name", .type = FT_TEXT, .offset = O(name)},
	{.name = "detail", .type = FT_TEXT, .offset = O(detail)},
	{.name = "team", .type = FT_TEXT, .offset = O(team)},
};
static const struct record_type option_view = {"option", option_fields, 4};
static const struct row_map option_rows = {
	sizeof(struct referral_option), NULL, 0, NULL, &option_view,
};

static int options(struct db_conn *c, const struct db_stmt *st,
		   const char *council, struct arena *a,
		   struct referral_option **v, int *n)
{
	int rc = rows_list(c, a, st, &option_rows, NULL, v, n, council);
	enum role role;
	for (int i = 0; rc == ERR_OK && i < *n; i++)
		(*v)[i].detail = role_parse((*v)[i].detail, &role)
					 ? role_label(role) : "";
	return rc;
}

int referral_teams(struct db_conn *c, const char *council, struct arena *a,
		   struct referral_option **v, int *n)
{
	return options(c, &st_teams, council, a, v, n);
}

int referral_workers(struct db_conn *c, const char *council,
		     struct arena *a, struct referral_option **v, int *n)
{
	return options(c, &st_workers, council, a, v, n);
}

/* ---- "My work": a worker's children, the most urgent first ----------- */

/* An open due item is overdue after its date (a dated rule: ?3, today)
 * or its time (a timed one: ?4, now), as domain/due.h says. */
DB_STMT(st_my_children) = {
	"referral_my_children",
	"SELECT * FROM (SELECT m.child_id,"
	" ch.given_name || ' ' || ch.family_name AS name,"
	/* the "+"s keep SQLite on referral_child (a child has few
	 * referrals): with max() it walked the council's referrals by the
	 * primary key, each child (28 million instructions a page) */
	" (SELECT max(+r.referral_id) FROM referral r WHERE r.council = ?1"
	"  AND r.child_id = m.child_id AND +r.worker_id = ?2) AS referral_id,"
	/* the soonest open item: its due date or time, a bar, its rule */
	" COALESCE(MIN(di.due_at || '|' || di.rule), '') AS next,"
	" COALESCE(SUM(CASE WHEN di.due_at < CASE WHEN length(di.due_at) = 10"
	"  THEN ?3 ELSE ?4 END THEN 1 ELSE 0 END), 0) AS overdue,"
	" COUNT(di.rule) AS open"
	" FROM (" DUE_CASELOAD_CHILDREN("?1", "?2") ") m"
	" JOIN child ch ON ch.council = ?1 AND ch.child_id = m.child_id"
	" LEFT JOIN due_item di ON di.council = ?1 AND di.child_id = m.child_id"
	"  AND di.met_at IS NULL"
	" GROUP BY m.child_id, ch.given_name, ch.family_name) t"
	" WHERE ?5 = 0 OR t.overdue > 0"
	" ORDER BY t.overdue > 0 DESC, t.next = '', t.next, t.child_id"
	" LIMIT ?6 OFFSET ?7",
	RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM,
};

#define K(m) offsetof(struct referral_child, m)
static const struct field child_fields[] = {
	{.name = "child_id", .type = FT_INT, .offset = K(child_id)},
	{.name = "child_name", .type = FT_TEXT, .offset = K(child_name)},
	{.name = "referral_id", .type = FT_REF, .offset = K(referral_id)},
	{.name = "next_due", .type = FT_DATETIME, .offset = K(next_due)},
	{.name = "next_rule", .type = FT_TEXT, .out = FO_DERIVED,
	 .offset = K(next_rule)},
	{.name = "overdue", .type = FT_INT, .offset = K(overdue)},
	{.name = "open", .type = FT_INT, .offset = K(open)},
	{.name = "late", .type = FT_BOOL, .out = FO_DERIVED, .offset = K(late)},
};
const struct record_type referral_child_view = {"my_child", child_fields, 8};

static int child_derive(struct arena *a, struct db_q *q, void *item,
			void *arg)
{
	(void)a;
	(void)q;
	(void)arg;
	struct referral_child *k = item;
	k->late = k->overdue > 0;
	/* "due|rule" (the column next_due was read from): split in place */
	char *bar = strchr(k->next_due, '|');
	k->next_rule = bar ? bar + 1 : "";
	if (bar)
		*bar = '\0';
	return ERR_OK;
}
static const struct row_map my_children_rows = {
	sizeof(struct referral_child), NULL, 0, child_derive,
	&referral_child_view,
};
static const struct rows_list_shown my_children_shown = {
	"child", offsetof(struct referral_child, child_id),
	offsetof(struct referral_child, child_id),
};

int referral_my_children(struct db_conn *c, const struct actor *who,
			 int64_t worker_id, bool overdue_only, int64_t page,
			 struct arena *a, struct referral_child **rows, int *n,
			 bool *more)
{
	char today[11], now[17];
	cal_date_format(who->civil.date, today);
	cal_time_format(who->civil, now);
	int64_t next = 0;
	page = page < 1 ? 1 : page;
	int rc = rows_shown(c, who, a, &st_my_children, &my_children_rows,
			    &my_children_shown, NULL, REFERRAL_CHILDREN_PAGE,
			    rows, n, &next, who->council, worker_id, today, now,
			    overdue_only, REFERRAL_CHILDREN_PAGE + 1,
			    (page - 1) * REFERRAL_CHILDREN_PAGE);
	if (rc == ERR_OK)
		*more = next != 0;
	return rc;
}
