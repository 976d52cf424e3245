/* episode_test.c: cases (episodes of need).  Opening and its refusals
 * (each writes nothing), one open case of a type, the plan, reviews
 * and the L01 clock at its edges (month end, 29 February, met on the
 * due day; kept == rebuilt), allocation and its history, caseloads
 * weighted by the council's settings, closing, and who may read what,
 * against a temporary database (SQLite, or PostgreSQL under
 * CAIRN_TEST_DB=postgres) with synthetic rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "domain/due.h"
#include "episode/episode.h"
#include "rules/uktime.h"

static char path[128];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO team (council, team_id, name) VALUES"
	" ('aaa', 1, 'Family Help Team 1'), ('aaa', 2, 'Family Help Team 2'),"
	" ('bbb', 1, 'B Team');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 1, 'fd.one', 'Fay Door', 'front-door', 1, 'x', 0, 't'),"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', 1, 'x', 0, 't'),"
	" ('aaa', 4, 'sw.four', 'Dee Sabled', 'social-worker', 1, 'x', 1, 't'),"
	" ('aaa', 5, 'sw.five', 'Noa Team', 'social-worker', NULL, 'x', 0, 't'),"
	" ('aaa', 6, 'tm.six', 'Max Manager', 'team-manager', 2, 'x', 0, 't'),"
	" ('bbb', 7, 'b.sw', 'Bo Worker', 'social-worker', 1, 'x', 0, 't');"
	"INSERT INTO organisation (council, org_id, name, kind) VALUES"
	" ('aaa', 1, 'Testfield School', 'school');"
	"INSERT INTO service_entry (council, service_id, kind, name, contact,"
	" created_at, created_by) VALUES ('aaa', 1, 'early_help',"
	" 'Test Early Help', 'Telephone 01632 960 000', 't', 1);";
static const char *const network =
	"INSERT INTO network_member (council, child_id, member_id, kind,"
	" relationship, name) VALUES ('aaa', 1, 1, 'parent', 'Mother',"
	" 'Testparent One');";

static void add_child(const char *council, int id)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO child (council, child_id, la_ref, given_name,"
		 " family_name, given_key, family_key, created_at, created_by,"
		 " updated_at) VALUES ('%s', %d, 'REF%d', 'Testchild', 'No%d',"
		 " 'T', 'N', 't', 1, 't');", council, id, id, id);
	testdb_exec(path, sql);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "episodetest");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	testdb_exec(path, fixture);
	for (int i = 1; i <= 4; i++)
		add_child("aaa", i);
	add_child("bbb", 9);
	testdb_exec(path, network);
	testdb_exec(path, "INSERT INTO referral (council, referral_id,"
		    " child_id, referral_date, source, created_at, created_by)"
		    " VALUES ('aaa', 1, 1, '2024-01-10', '2A', 't', 1),"
		    " ('aaa', 2, 2, '2024-01-10', '2A', 't', 1);");
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	arena = arena_new(8u << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	db_release(db, conn);
	db_close(db);
	testdb_remove(path);
	return 0;
}

/* An actor of council in role r at a UK civil date (noon), and the
 * connection acting for r. */
static struct actor as_on(const char *council, int64_t user, enum role r,
			  int y, int m, int d)
{
	db_set_role(conn, RB(r));
	struct actor a = {
		.council = council, .user_id = user, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	actor_at(&a, uk_to_instant((struct cal_time){{y, m, d}, 12, 0}));
	return a;
}

static struct actor sw(int y, int m, int d)
{
	return as_on("aaa", 2, ROLE_SOCIAL_WORKER, y, m, d);
}

static struct actor tm(int y, int m, int d)
{
	return as_on("aaa", 3, ROLE_TEAM_MANAGER, y, m, d);
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

/* Everything a refused write could have left behind. */
static int64_t written(void)
{
	return count("SELECT (SELECT count(*) FROM episode)"
		     " + (SELECT count(*) FROM episode_allocation)"
		     " + (SELECT count(*) FROM episode_member)"
		     " + (SELECT count(*) FROM episode_plan_outcome)"
		     " + (SELECT count(*) FROM episode_plan_action)"
		     " + (SELECT count(*) FROM episode_review)"
		     " + (SELECT count(*) FROM episode_progress)"
		     " + (SELECT count(*) FROM due_item)"
		     " + (SELECT count(*) FROM chronology)"
		     " + (SELECT count(*) FROM audit)");
}

static int64_t open_fh(int64_t child, const char *opened,
		       const char *plan_start)
{
	struct actor a = sw(2024, 6, 1);
	struct episode_input in = {"family_help", opened, "N1", false,
				   plan_start, 0, 0};
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = episode_open(conn, &a, NULL, child, &in, &id, &e);
	if (rc != ERR_OK)
		fail_msg("open: %s %s", err_name(rc), e.n ? e.v[0].msg : "");
	return id;
}

/* Expects rc with a message on field, and nothing written. */
static void refused(int rc, int want, const struct field_errors *e,
		    const char *field, int64_t before)
{
	assert_int_equal(rc, want);
	if (field && fe_for(e, field) == NULL)
		fail_msg("no message on %s (first: %s %s)", field,
			 e->n ? e->v[0].field : "-", e->n ? e->v[0].msg : "");
	assert_int_equal(written(), before);
}

/* ---- opening ----------------------------------------------------------- */

static void open_refuses_bad_input(void **state)
{
	(void)state;
	struct actor a = sw(2024, 6, 1);
	int64_t before = written();
	struct field_errors e;
	struct {
		struct episode_input in;
		int64_t child;
		int want;
		const char *field;
	} cases[] = {
		{{"case", "2024-05-01", "N1", false, NULL, 0, 0}, 1,
		 ERR_INVALID, "case_type"},
		{{NULL, "2024-05-01", "N1", false, NULL, 0, 0}, 1, ERR_INVALID,
		 "case_type"},
		{{"family_help", "2024-05-01", "N77", false, NULL, 0, 0}, 1,
		 ERR_INVALID, "primary_need"},
		{{"family_help", NULL, "N1", false, NULL, 0, 0}, 1, ERR_INVALID,
		 "opened_on"},
		{{"family_help", "2024-06-02", "N1", false, NULL, 0, 0}, 1,
		 ERR_INVALID, "opened_on"}, /* in the future */
		{{"family_help", "2024-02-30", "N1", false, NULL, 0, 0}, 1,
		 ERR_INVALID, "opened_on"},
		{{"child_protection", "2024-05-01", "N1", true, "2024-05-01", 0,
		  0}, 1, ERR_INVALID, "section17"},
		{{"family_help", "2024-05-01", "N1", true, NULL, 0, 0}, 1,
		 ERR_INVALID, "plan_start"},
		{{"family_help", "2024-05-01", "N1", false, "2024-04-30", 0, 0},
		 1, ERR_INVALID, "plan_start"}, /* before the opening */
		{{"family_help", "2024-05-01", "N1", false, NULL, 2, 0}, 1,
		 ERR_INVALID, "referral_id"}, /* another child's referral */
		{{"family_help", "2024-01-09", "N1", false, NULL, 1, 0}, 1,
		 ERR_INVALID, "opened_on"}, /* before the referral */
		{{"family_help", "2024-05-01", "N1", false, NULL, 0, 0}, 9,
		 ERR_NOTFOUND, NULL}, /* another council's child */
		{{"family_help", "2024-05-01", "N1", false, NULL, 0, 0}, 99,
		 ERR_NOTFOUND, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		int rc = episode_open(conn, &a, NULL, cases[i].child,
				      &cases[i].in, NULL, &e);
		refused(rc, cases[i].want, &e, cases[i].field, before);
	}
}

static void one_open_case_of_a_type(void **state)
{
	(void)state;
	struct actor a = sw(2024, 6, 1);
	struct episode_input in = {"family_help", "2024-05-01", "N1", true,
				   "2024-05-02", 1, 77};
	struct field_errors e = {0};
	int64_t id = 0;
	assert_int_equal(episode_open(conn, &a, NULL, 1, &in, &id, &e), ERR_OK);
	assert_true(id > 0);
	assert_int_equal(count("SELECT count(*) FROM episode WHERE referral_id"
			       " = 1 AND assessment_id = 77 AND section17 = 1"),
			 1);
	int64_t before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_open(conn, &a, NULL, 1, &in, NULL, &e), ERR_CONFLICT,
		&e, "case_type", before);
	/* another type is fine */
	struct episode_input cp = {"child_protection", "2024-05-01", "N1",
				   false, NULL, 0, 0};
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_open(conn, &a, NULL, 1, &cp, NULL, &e), ERR_OK);
	/* the store refuses it too (the partial unique index) */
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	struct db_stmt dup = {"t_dup", "INSERT INTO episode (council,"
			      " episode_id, child_id, case_type, primary_need,"
			      " opened_on, created_at, created_by) VALUES"
			      " ('aaa', 500, 1, 'family_help', 'N1',"
			      " '2024-05-01', 't', 1)", DB_ROLE_SYSTEM};
	assert_int_equal(err_from_db(db_exec0(conn, &dup, NULL)), ERR_CONFLICT);
	db_rollback(conn);
	/* closed, a new one may open */
	struct actor b = sw(2024, 6, 1);
	struct episode_close_input cl = {.closed_on = "2024-05-20", .reason = "RC7"};
	/* it had an assessment: the worker alone may not close it
	 * (closure_test.c has the rules); the manager closes it with a
	 * watch, a service and the approval */
	assert_int_equal(episode_close(conn, &b, id, &cl, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "approved"));
	static const int64_t svc[] = {1};
	cl.watch_org_id = 1;
	cl.watch_for = "Synthetic: attendance dropping";
	cl.approved = true;
	cl.services = svc;
	cl.nservices = 1;
	b = tm(2024, 6, 1);
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_close(conn, &b, id, &cl, &e), ERR_OK);
	assert_int_equal(episode_open(conn, &b, NULL, 1, &in, NULL, &e), ERR_OK);
	/* the chronology and audit rows of each opening */
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'case_opened'"), 3);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'episode' AND action = 'create'"), 3);
}

/* In the caller's transaction: rolled back with it. */
static void open_inside_a_callers_transaction(void **state)
{
	(void)state;
	struct actor a = sw(2024, 6, 1);
	int64_t before = written();
	struct episode_input in = {"family_help", "2024-05-01", "N4", false,
				   NULL, 0, 0};
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(episode_open(conn, &a, NULL, 3, &in, NULL, NULL),
			 ERR_OK);
	assert_true(db_in_tx(conn));
	db_rollback(conn);
	assert_int_equal(written(), before);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(episode_open(conn, &a, NULL, 3, &in, NULL, NULL),
			 ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(count("SELECT count(*) FROM episode WHERE child_id"
			       " = 3"), 1);
}

/* ---- closing ----------------------------------------------------------- */

static void close_rules(void **state)
{
	(void)state;
	int64_t id = open_fh(2, "2024-05-01", "2024-05-01");
	struct actor a = sw(2024, 6, 1);
	int64_t before = written();
	struct field_errors e;
	struct {
		struct episode_close_input in;
		const char *field;
	} bad[] = {
		{{.closed_on = "2024-04-30", .reason = "RC7"}, "closed_on"}, /* before the opening */
		{{.closed_on = "2024-06-02", .reason = "RC7"}, "closed_on"}, /* in the future */
		{{.closed_on = "2024-05-10", .reason = "RC0"}, "reason"},
		{{.closed_on = "2024-05-10", .reason = NULL}, "reason"},
		{{.closed_on = NULL, .reason = "RC7"}, "closed_on"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		refused(episode_close(conn, &a, id, &bad[i].in, &e), ERR_INVALID,
			&e, bad[i].field, before);
	}
	/* closing on the day it opened is allowed; L01's open item goes */
	struct episode_close_input ok = {.closed_on = "2024-05-01", .reason = "RC8"};
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L01' AND met_at IS NULL"), 1);
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_close(conn, &a, id, &ok, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L01'"), 0);
	before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &a, id, &ok, &e), ERR_CONFLICT, &e, "case",
		before);
	/* nothing more is written to a closed case */
	struct episode_outcome_input o = {"Synthetic outcome."};
	memset(&e, 0, sizeof(e));
	refused(episode_outcome_add(conn, &a, id, &o, NULL, &e), ERR_INVALID,
		&e, "case", before);
	struct episode_allocation_input al = {0, 2, 3};
	struct actor m = tm(2024, 6, 1);
	memset(&e, 0, sizeof(e));
	refused(episode_allocate(conn, &m, id, &al, &e), ERR_INVALID, &e,
		"case", before);
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &a, 999, &ok, &e), ERR_NOTFOUND, &e, NULL,
		before);
}

/* ---- allocation -------------------------------------------------------- */

static void allocation_rules_and_history(void **state)
{
	(void)state;
	int64_t id = open_fh(1, "2024-05-01", "2024-05-01");
	struct actor m = tm(2024, 6, 1);
	int64_t before = written();
	struct field_errors e;
	struct {
		struct episode_allocation_input in;
		int want;
		const char *field;
	} bad[] = {
		{{0, 0, 3}, ERR_INVALID, "worker_id"},
		{{0, 2, 0}, ERR_INVALID, "manager_id"},
		{{0, 1, 3}, ERR_INVALID, "worker_id"}, /* front door: not allowed */
		{{0, 4, 3}, ERR_INVALID, "worker_id"}, /* disabled */
		{{0, 7, 3}, ERR_INVALID, "worker_id"}, /* another council's */
		{{0, 2, 2}, ERR_INVALID, "manager_id"}, /* not a manager */
		{{0, 3, 3}, ERR_INVALID, "manager_id"}, /* themself */
		{{0, 5, 3}, ERR_INVALID, "team_id"},   /* no team recorded */
		{{9, 2, 3}, ERR_INVALID, "team_id"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		refused(episode_allocate(conn, &m, id, &bad[i].in, &e),
			bad[i].want, &e, bad[i].field, before);
	}
	memset(&e, 0, sizeof(e));
	struct episode_allocation_input al = {0, 999, 3};
	refused(episode_allocate(conn, &m, 999, &al, &e), ERR_NOTFOUND, &e,
		NULL, before);
	/* a social worker may not allocate (the statements' roles) */
	struct actor s = sw(2024, 6, 1);
	al = (struct episode_allocation_input){0, 2, 3};
	memset(&e, 0, sizeof(e));
	refused(episode_allocate(conn, &s, id, &al, &e), ERR_DENIED, &e, NULL,
		before);
	/* allocated, then reallocated: the history, the due items */
	m = tm(2024, 6, 1);
	assert_int_equal(episode_allocate(conn, &m, id, &al, &e), ERR_OK);
	struct episode_allocation_input again = {2, 3, 6};
	struct actor m2 = tm(2024, 6, 2);
	assert_int_equal(episode_allocate(conn, &m2, id, &again, &e), ERR_OK);
	struct episode_allocation *h;
	int n;
	assert_int_equal(episode_allocations(conn, &m2, id, arena, &h, &n),
			 ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(h[0].worker_name, "Tia Manager");
	assert_string_equal(h[0].team_name, "Family Help Team 2");
	assert_string_equal(h[0].manager_name, "Max Manager");
	assert_string_equal(h[0].allocated_by_name, "Tia Manager");
	assert_string_equal(h[0].allocated_at, "2024-06-02T12:00");
	assert_string_equal(h[1].worker_name, "Sam Worker");
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'episode' AND action = 'allocate'"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'episode' AND action = 'reallocate'"), 1);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L01' AND worker_id = 3 AND team_id = 2"), 1);
	/* the council may allow the front door to lead a case */
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
		    " ('aaa', 'episode_lead_roles', 'social-worker, front-door')");
	struct episode_allocation_input fd = {0, 1, 3};
	assert_int_equal(episode_allocate(conn, &m2, id, &fd, &e), ERR_OK);
	/* and then a team manager may not */
	struct episode_allocation_input tmw = {0, 6, 3};
	before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_allocate(conn, &m2, id, &tmw, &e), ERR_INVALID, &e,
		"worker_id", before);
}

static void unallocated_and_caseloads(void **state)
{
	(void)state;
	int64_t a = open_fh(1, "2024-05-01", NULL);
	int64_t b = open_fh(2, "2024-05-01", NULL);
	struct actor s = sw(2024, 6, 1);
	struct episode_input cp = {"child_protection", "2024-05-01", "N1",
				   false, NULL, 0, 0};
	int64_t c = 0, d = open_fh(3, "2024-05-01", "2024-05-01");
	assert_int_equal(episode_open(conn, &s, NULL, 1, &cp, &c, NULL), ERR_OK);
	struct actor m = tm(2024, 9, 1);
	struct episode_allocation_input to2 = {0, 2, 3};
	assert_int_equal(episode_allocate(conn, &m, a, &to2, NULL), ERR_OK);
	assert_int_equal(episode_allocate(conn, &m, c, &to2, NULL), ERR_OK);
	assert_int_equal(episode_allocate(conn, &m, d, &to2, NULL), ERR_OK);
	/* unallocated: b only */
	struct episode_filter f = {true, 0, 0, 50, 0};
	struct episode *v;
	int n;
	int64_t next = -1;
	assert_int_equal(episode_list(conn, &m, &f, arena, &v, &n, &next),
			 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].episode_id, b);
	assert_int_equal(next, 0);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'list' AND entity = 'episode'"), 1);
	/* caseloads of team 1: Sam with three, Tia with none; d's review
	 * (from 2024-05-01, 3 months) is overdue on 1 September */
	struct episode_caseload *k;
	assert_int_equal(episode_caseloads(conn, &m, 1, arena, &k, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(k[0].worker_name, "Sam Worker");
	assert_int_equal(k[0].cases, 3);
	assert_int_equal(k[0].by_type[EPISODE_FAMILY_HELP], 2);
	assert_int_equal(k[0].by_type[EPISODE_CHILD_PROTECTION], 1);
	assert_int_equal(k[0].weighted, 100 + 100 + 150);
	assert_int_equal(k[0].overdue, 1);
	assert_string_equal(k[1].worker_name, "Tia Manager");
	assert_int_equal(k[1].cases, 0);
	/* the council's weights */
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
		    " ('aaa', 'episode_weight_child_protection', '2.25'),"
		    " ('aaa', 'episode_weight_family_help', 'x1')");
	assert_int_equal(episode_caseloads(conn, &m, 1, arena, &k, &n), ERR_OK);
	assert_int_equal(k[0].weighted, 100 + 100 + 225);
	/* a social worker may not see caseloads */
	s = sw(2024, 6, 1);
	assert_int_equal(episode_caseloads(conn, &s, 1, arena, &k, &n),
			 ERR_DENIED);
}

/* ---- the plan and reviews: L01 ----------------------------------------- */

static void add_outcomes(int64_t id, int n, int64_t *ids)
{
	struct actor a = sw(2024, 6, 1);
	for (int i = 0; i < n; i++) {
		struct episode_outcome_input o = {"Synthetic outcome wanted."};
		assert_int_equal(episode_outcome_add(conn, &a, id, &o, &ids[i],
						     NULL), ERR_OK);
	}
}

static int review(int64_t id, struct actor a, const char *date,
		  const int64_t *outs, int n, struct field_errors *e)
{
	struct episode_progress p[8];
	for (int i = 0; i < n; i++)
		p[i] = (struct episode_progress){outs[i], "progressing"};
	struct episode_review_input in = {date, p, n};
	return episode_review_add(conn, &a, NULL, id, &in, NULL, e);
}

/* L01's due date of occurrence seq of case id, or "" when none. */
static const char *due_of(int64_t id, int seq, char *out)
{
	static struct db_stmt st = {
		"t_due_of", "SELECT due_at FROM due_item WHERE council = 'aaa'"
		" AND rule = 'L01' AND subject_id = ?1 AND seq = ?2",
		DB_ROLE_SYSTEM,
	};
	struct db_q *q;
	out[0] = '\0';
	db_set_role(conn, DB_ROLE_SYSTEM);
	if (db_exec(conn, &st, &q, id, seq) == DB_ROW) {
		snprintf(out, 11, "%s", db_col_text(q, 0));
		db_done(q);
	}
	return out;
}

static void l01_month_end_and_leap_day(void **state)
{
	(void)state;
	char due[11];
	/* 31 January + 3 months: the last day of April */
	int64_t a = open_fh(1, "2024-01-31", "2024-01-31");
	assert_string_equal(due_of(a, 1, due), "2024-04-30");
	/* 29 February + 3 months: 29 May; with the council's 12 months,
	 * 28 February next year */
	int64_t b = open_fh(2, "2024-02-29", "2024-02-29");
	assert_string_equal(due_of(b, 1, due), "2024-05-29");
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
		    " ('aaa', 'family_help_review_months', '12')");
	int64_t c = open_fh(3, "2024-02-29", "2024-02-29");
	assert_string_equal(due_of(c, 1, due), "2025-02-28");
	/* the interval after a review is the council's too */
	int64_t outs[2];
	add_outcomes(c, 2, outs);
	struct field_errors e = {0};
	assert_int_equal(review(c, sw(2025, 3, 1), "2025-02-28", outs, 2, &e),
			 ERR_OK);
	assert_string_equal(due_of(c, 2, due), "2026-02-28");
	/* met exactly on the due day: on time */
	struct actor s = sw(2025, 3, 1);
	struct due_filter f = {.child_id = 3, .rule = "L01", .limit = 10};
	struct due_row *v;
	int n;
	bool more;
	assert_int_equal(due_list(conn, &s, &f, arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].status, DUE_DUE);       /* the next one */
	assert_int_equal(v[1].status, DUE_MET_ON_TIME);
	assert_string_equal(v[1].met_at, "2025-02-28");
}

static void l01_met_late_overdue_and_rebuilt(void **state)
{
	(void)state;
	char due[11];
	/* the fixture's referrals were written without their R02 items */
	struct actor sys = actor_system("aaa", 0);
	int64_t made = 0, changed = -1;
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, NULL, &made, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	int64_t a = open_fh(1, "2024-01-10", "2024-01-15");
	int64_t b = open_fh(2, "2024-01-10", NULL);
	int64_t outs[3];
	add_outcomes(a, 3, outs);
	struct field_errors e;
	int64_t before = written();
	/* refusals, each writing nothing */
	memset(&e, 0, sizeof(e));
	refused(review(a, sw(2024, 6, 1), "2024-01-14", outs, 3, &e),
		ERR_INVALID, &e, "review_date", before); /* before the plan */
	memset(&e, 0, sizeof(e));
	refused(review(a, sw(2024, 6, 1), "2024-06-02", outs, 3, &e),
		ERR_INVALID, &e, "review_date", before); /* future */
	memset(&e, 0, sizeof(e));
	refused(review(a, sw(2024, 6, 1), "2024-04-01", outs, 2, &e),
		ERR_INVALID, &e, NULL, before); /* an outcome left out */
	char name[32];
	snprintf(name, sizeof(name), "progress_%d", 3);
	assert_non_null(fe_for(&e, name));
	struct episode_progress bad[3] = {{outs[0], "great"},
					  {outs[1], "worse"},
					  {outs[2], "worse"}};
	struct episode_review_input in = {"2024-04-01", bad, 3};
	struct actor s = sw(2024, 6, 1);
	memset(&e, 0, sizeof(e));
	refused(episode_review_add(conn, &s, NULL, a, &in, NULL, &e),
		ERR_INVALID, &e, "progress", before);
	memset(&e, 0, sizeof(e));
	refused(review(b, sw(2024, 6, 1), "2024-04-01", outs, 0, &e),
		ERR_INVALID, &e, "review_date", before); /* no plan start */
	/* met late (due 2024-04-15), then the next from the review */
	memset(&e, 0, sizeof(e));
	assert_int_equal(review(a, sw(2024, 6, 1), "2024-04-20", outs, 3, &e),
			 ERR_OK);
	assert_string_equal(due_of(a, 2, due), "2024-07-20");
	/* a review dated before the last one is refused */
	before = written();
	memset(&e, 0, sizeof(e));
	refused(review(a, sw(2024, 6, 1), "2024-04-19", outs, 3, &e),
		ERR_INVALID, &e, "review_date", before);
	/* a review on the same day as the last is a second review */
	memset(&e, 0, sizeof(e));
	assert_int_equal(review(a, sw(2024, 6, 1), "2024-04-20", outs, 3, &e),
			 ERR_OK);
	assert_string_equal(due_of(a, 3, due), "2024-07-20");
	/* the plan's start is fixed once reviewed */
	struct episode_plan_input pl = {"N1", true, "2024-01-16", NULL};
	before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_plan_set(conn, &s, NULL, a, &pl, &e), ERR_INVALID, &e,
		"plan_start", before);
	/* b's plan starts later; allocated; a third case closed after a
	 * review */
	struct episode_plan_input pb = {"N3", true, "2024-02-01", NULL};
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_plan_set(conn, &s, NULL, b, &pb, &e), ERR_OK);
	assert_string_equal(due_of(b, 1, due), "2024-05-01");
	struct actor m = tm(2024, 6, 1);
	struct episode_allocation_input al = {0, 2, 3};
	assert_int_equal(episode_allocate(conn, &m, b, &al, &e), ERR_OK);
	int64_t c = open_fh(3, "2024-01-10", "2024-01-10");
	int64_t oc;
	add_outcomes(c, 1, &oc);
	assert_int_equal(review(c, sw(2024, 6, 1), "2024-03-01", &oc, 1, &e),
			 ERR_OK);
	struct episode_close_input cl = {.closed_on = "2024-03-05", .reason = "RC7"};
	assert_int_equal(episode_close(conn, &s, c, &cl, &e), ERR_OK);
	/* the case page's view: b's review overdue on 1 June */
	struct episode ep;
	assert_int_equal(episode_read(conn, &s, b, arena, &ep), ERR_OK);
	assert_string_equal(ep.review_due, "2024-05-01");
	assert_true(ep.review_overdue);
	assert_string_equal(ep.worker_name, "Sam Worker");
	/* kept == rebuilt */
	db_set_role(conn, DB_ROLE_SYSTEM);
	sys = actor_system("aaa", s.now);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, NULL, &made, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(changed, 0);
	/* a: 3; b: 1; c: the met one; the fixture's two referrals' R02
	 * and R05 (the child seen, assess/assess.h) */
	assert_int_equal(made, 3 + 1 + 1 + 2 + 2);
	/* and a damaged item is put right */
	testdb_exec(path, "UPDATE due_item SET due_at = '2000-01-01'"
		    " WHERE rule = 'L01' AND seq = 2");
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, NULL, &made, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(changed, 1);
	assert_string_equal(due_of(a, 2, due), "2024-07-20");
}

static void plan_actions_and_members(void **state)
{
	(void)state;
	int64_t a = open_fh(1, "2024-05-01", NULL);
	int64_t outs[1];
	add_outcomes(a, 1, outs);
	struct actor s = sw(2024, 6, 1);
	struct field_errors e;
	int64_t before = written();
	struct {
		struct episode_action_input in;
		const char *field;
	} bad[] = {
		{{0, "Synthetic action.", "Health visitor", "2024-07-01"},
		 "outcome_id"},
		{{999, "Synthetic action.", "Health visitor", "2024-07-01"},
		 "outcome_id"},
		{{outs[0], "", "Health visitor", "2024-07-01"}, "action"},
		{{outs[0], "Synthetic action.", NULL, "2024-07-01"}, "owner"},
		{{outs[0], "Synthetic action.", "Health visitor", "2024-04-30"},
		 "due_on"},
		{{outs[0], "Synthetic action.", "Health visitor", "2024-13-01"},
		 "due_on"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		refused(episode_action_add(conn, &s, a, &bad[i].in, NULL, &e),
			ERR_INVALID, &e, bad[i].field, before);
	}
	struct episode_action_input ok = {outs[0], "Synthetic action.",
					  "Health visitor", "2024-07-01"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_action_add(conn, &s, a, &ok, NULL, &e), ERR_OK);
	struct episode_action *av;
	int n;
	assert_int_equal(episode_actions(conn, &s, a, arena, &av, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(av[0].owner, "Health visitor");
	/* members: the child's network member, or another child */
	struct episode_member_input mb[] = {
		{0, 0}, {1, 2}, {2, 0}, {0, 1}, {0, 9}, {0, 99},
	};
	const char *fields[] = {"network_member_id", "network_member_id",
				"network_member_id", "member_child_id",
				"member_child_id", "member_child_id"};
	before = written();
	for (size_t i = 0; i < 6; i++) {
		memset(&e, 0, sizeof(e));
		refused(episode_member_add(conn, &s, a, &mb[i], NULL, &e),
			ERR_INVALID, &e, fields[i], before);
	}
	struct episode_member_input m1 = {1, 0}, m2 = {0, 2};
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_member_add(conn, &s, a, &m1, NULL, &e), ERR_OK);
	assert_int_equal(episode_member_add(conn, &s, a, &m2, NULL, &e), ERR_OK);
	before = written();
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_member_add(conn, &s, a, &m2, NULL, &e),
			 ERR_CONFLICT);
	assert_int_equal(written(), before);
	struct episode_member *mv;
	assert_int_equal(episode_members(conn, &s, a, arena, &mv, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(mv[0].relationship, "Mother");
	assert_string_equal(mv[1].relationship, "Child");
	/* plan: dates only for Family Help; the end not before the start */
	struct episode_plan_input pl = {"N1", false, "2024-05-10", "2024-05-09"};
	before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_plan_set(conn, &s, NULL, a, &pl, &e), ERR_INVALID, &e,
		"plan_end", before);
	pl = (struct episode_plan_input){"N99", false, NULL, NULL};
	memset(&e, 0, sizeof(e));
	refused(episode_plan_set(conn, &s, NULL, a, &pl, &e), ERR_INVALID, &e,
		"primary_need", before);
}

/* ---- who may read ------------------------------------------------------ */

static void who_may_read(void **state)
{
	(void)state;
	int64_t a = open_fh(1, "2024-05-01", NULL);
	struct episode ep;
	/* another council: not found */
	struct actor b = as_on("bbb", 7, ROLE_SOCIAL_WORKER, 2024, 6, 1);
	assert_int_equal(episode_read(conn, &b, a, arena, &ep), ERR_NOTFOUND);
	/* partners, analysts and councillors read no case */
	enum role no[] = {ROLE_PARTNER, ROLE_ANALYST, ROLE_COUNCILLOR,
			  ROLE_ADMIN};
	for (size_t i = 0; i < 4; i++) {
		struct actor x = as_on("aaa", 5, no[i], 2024, 6, 1);
		assert_int_equal(episode_read(conn, &x, a, arena, &ep),
				 ERR_DENIED);
		struct episode_filter f = {false, 0, 0, 10, 0};
		struct episode *v;
		int n;
		int64_t next;
		assert_int_equal(episode_list(conn, &x, &f, arena, &v, &n,
					      &next), ERR_DENIED);
		struct episode_input in = {"child_protection", "2024-05-01",
					   "N1", false, NULL, 0, 0};
		assert_int_not_equal(episode_open(conn, &x, NULL, 2, &in, NULL,
						  NULL), ERR_OK);
	}
	/* an IRO reads; each read audited */
	struct actor iro = as_on("aaa", 5, ROLE_IRO, 2024, 6, 1);
	assert_int_equal(episode_read(conn, &iro, a, arena, &ep), ERR_OK);
	assert_string_equal(ep.case_type, "family_help");
	assert_true(ep.open);
	assert_false(ep.review_overdue);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'read' AND entity = 'episode'"), 1);
}

static void weights_and_roles_settings(void **state)
{
	(void)state;
	int64_t w[EPISODE_TYPE__MAX];
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(episode_weights(conn, "aaa", w), ERR_OK);
	assert_int_equal(w[EPISODE_FAMILY_HELP], 100);
	assert_int_equal(w[EPISODE_CHILD_PROTECTION], 150);
	assert_int_equal(w[EPISODE_LOOKED_AFTER], 125);
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
		    " ('aaa', 'episode_weight_family_help', '0.5'),"
		    " ('aaa', 'episode_weight_looked_after', '2'),"
		    " ('aaa', 'episode_weight_child_protection', '1.234')");
	assert_int_equal(episode_weights(conn, "aaa", w), ERR_OK);
	assert_int_equal(w[EPISODE_FAMILY_HELP], 50);
	assert_int_equal(w[EPISODE_LOOKED_AFTER], 200);
	assert_int_equal(w[EPISODE_CHILD_PROTECTION], 150); /* not a weight */
	assert_true(episode_lead_role(conn, "aaa", "social-worker"));
	assert_true(episode_lead_role(conn, "aaa", "team-manager"));
	assert_false(episode_lead_role(conn, "aaa", "front-door"));
	assert_false(episode_lead_role(conn, "aaa", "social"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_refuses_bad_input),
		T(one_open_case_of_a_type),
		T(open_inside_a_callers_transaction),
		T(close_rules),
		T(allocation_rules_and_history),
		T(unallocated_and_caseloads),
		T(l01_month_end_and_leap_day),
		T(l01_met_late_overdue_and_rebuilt),
		T(plan_actions_and_members),
		T(who_may_read),
		T(weights_and_roles_settings),
	};
	return cmocka_run_group_tests_name("episode", tests, NULL, NULL);
}
