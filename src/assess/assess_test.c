/* assess_test.c: the single assessment (assess/assess.h) against a
 * temporary database with synthetic rows: starting, the child seen
 * (R05 at its edges: a bank holiday, a month end, 29 February, met on
 * the due day and the day after, the council's setting), writing,
 * submitting, authorising (R02 and its late reason), every refusal
 * writing nothing, the roles, the chronology and its backfill, and the
 * factors against the shipped code list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "referral/referral.h"

static char path[64];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;
static struct cal *cal;

static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO team (council, team_id, name) VALUES ('aaa', 1, 'Team');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 1, 'fd.one', 'Fay Door', 'front-door', NULL, 'x', 0, 't'),"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', 1, 'x', 0, 't'),"
	" ('aaa', 4, 'sw.four', 'Dee Sabled', 'social-worker', 1, 'x', 1, 't'),"
	" ('aaa', 5, 'pa.five', 'Pat Partner', 'partner', NULL, 'x', 0, 't'),"
	" ('aaa', 6, 'tm.six', 'Ola Manager', 'team-manager', 1, 'x', 0, 't'),"
	" ('aaa', 8, 'an.eight', 'Ana Lyst', 'analyst', NULL, 'x', 0, 't'),"
	" ('bbb', 2, 'b.sw', 'Bo Worker', 'social-worker', NULL, 'x', 0, 't');";

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
	testdb_path(path, sizeof(path), "assesstest");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000,
			       .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	testdb_exec(path, fixture);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	for (int i = 1; i <= 9; i++)
		add_child("aaa", i);
	add_child("bbb", 1);
	arena = arena_new(8u << 20);
	/* England and Wales bank holidays near the dates tested */
	cal = cal_new(CAL_DAY0);
	static const struct cal_date hol[] = {
		{2023, 4, 7}, {2023, 4, 10}, {2023, 12, 25}, {2023, 12, 26},
		{2024, 1, 1}, {2024, 3, 29}, {2024, 4, 1}, {2024, 5, 6},
		{2024, 5, 27},
	};
	for (size_t i = 0; i < sizeof(hol) / sizeof(hol[0]); i++)
		assert_int_equal(cal_add_holiday(cal, hol[i]), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cal_free(cal);
	arena_free(arena);
	db_release(db, conn);
	db_close(db);
	testdb_remove(path);
	return 0;
}

/* The actor for council/user/role at noon UTC on y-m-d. */
static const struct actor *as(const char *council, int64_t user, enum role r,
			      int y, int m, int d)
{
	static struct actor ring[8];
	static unsigned k;
	db_set_role(conn, RB(r));
	struct actor *p = &ring[k++ % 8];
	*p = (struct actor){
		.council = council, .user_id = user, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	struct cal_time t = {{y, m, d}, 12, 0};
	actor_at(p, cal_minutes(t) * 60);
	return p;
}

/* A referral of child (aaa) dated y-m-d, opened as the front door. */
static int64_t refer(int64_t child, int y, int m, int d)
{
	const struct actor *w = as("aaa", 1, ROLE_FRONT_DOOR, y, m, d);
	int64_t id = 0;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	struct cal_date rd = {y, m, d};
	int rc = referral_open(conn, w, cal, child, 0, rd, "2A", &id);
	assert_int_equal(rc, ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	return id;
}

static int64_t start(int64_t referral, const char *on, int y, int m, int d)
{
	struct assess_start in = {on};
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = assess_start(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, y, m, d),
			      referral, &in, &id, &e);
	if (rc != ERR_OK)
		fail_msg("start: %s %s", err_name(rc), e.n ? e.v[0].msg : "");
	return id;
}

static int see(int64_t id, const char *on, const char *alone, int64_t by,
	       int y, int m, int d, struct field_errors *e)
{
	struct assess_seen_input in = {on, alone, by};
	return assess_see(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, y, m, d), cal,
			  id, &in, e);
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

/* Everything a refused write could have changed. */
struct print {
	int64_t rows[8];
};

static struct print fingerprint(void)
{
	struct print p = {{
		count("SELECT count(*) FROM assessment"),
		count("SELECT COALESCE(SUM(version), 0) FROM assessment"),
		count("SELECT count(*) FROM assessment WHERE submitted_at IS NOT"
		      " NULL OR authorised_on IS NOT NULL OR development IS NOT"
		      " NULL OR outcome IS NOT NULL"),
		count("SELECT count(*) FROM assessment_seen"),
		count("SELECT count(*) FROM assessment_factor"),
		count("SELECT count(*) FROM chronology"),
		count("SELECT count(*) FROM audit"),
		count("SELECT count(*) FROM due_item WHERE met_at IS NOT NULL"),
	}};
	return p;
}

static void same_print(struct print a, struct print b)
{
	for (int i = 0; i < 8; i++)
		if (a.rows[i] != b.rows[i])
			fail_msg("a refusal wrote something (check %d: %lld -> "
				 "%lld)", i, (long long)a.rows[i],
				 (long long)b.rows[i]);
}

/* The stored R05 (or R02) item of a referral: due and met dates. */
static void item(const char *rule, int64_t referral, char due[17],
		 char met[17])
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT CAST(replace(due_at, '-', '') AS"
		 " INTEGER) FROM due_item WHERE council = 'aaa' AND rule = '%s'"
		 " AND subject_id = %lld", rule, (long long)referral);
	snprintf(due, 17, "%lld", (long long)count(sql));
	snprintf(sql, sizeof(sql), "SELECT COALESCE(CAST(replace(met_at, '-',"
		 " '') AS INTEGER), 0) FROM due_item WHERE council = 'aaa' AND"
		 " rule = '%s' AND subject_id = %lld", rule, (long long)referral);
	snprintf(met, 17, "%lld", (long long)count(sql));
}

/* Kept items equal a rebuild (nothing to change). */
static void kept_equals_rebuilt(void)
{
	db_set_role(conn, DB_ROLE_SYSTEM);
	struct actor sys = actor_system("aaa", 1700000000);
	int64_t changed = -1;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, cal, NULL, &changed), ERR_OK);
	db_rollback(conn);
	assert_int_equal(changed, 0);
}

/* A complete written assessment (as a social worker). */
static int write_all(int64_t id, const char *outcome, const char *factors,
		     struct field_errors *e)
{
	struct assess_edit in = {
		"Synthetic: meeting milestones; attends nursery.",
		"Synthetic: warm care, some missed appointments.",
		"Synthetic: overcrowded flat; supportive grandparent.",
		"Synthetic: said they like their nursery teacher.", "words",
		"Synthetic: needs are met with support; no harm found.",
		outcome, factors,
	};
	return assess_update(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, 2024, 6, 3),
			     id, &in, e);
}

/* ---- the code list ------------------------------------------------------ */

static void factors_match_the_shipped_list(void **state)
{
	(void)state;
	FILE *f = fopen(CAIRN_SOURCE_ROOT "/data/codes/cin_assessment_factors"
			".csv", "r");
	assert_non_null(f);
	char line[1024];
	int n = 0;
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, ",")] = '\0';
		if (line[0] == '\0')
			continue;
		if (codes_index(assess_factor_codes, line) < 0)
			fail_msg("factor %s of the file is not in the table", line);
		n++;
	}
	fclose(f);
	assert_int_equal((int)codes_count(assess_factor_codes), n);
	assert_int_equal(n, ASSESS_FACTORS_MAX);
}

/* ---- starting ------------------------------------------------------------ */

static void start_refusals_write_nothing(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 3, 4);
	struct print p = fingerprint();
	struct field_errors e = {0};
	struct assess_start in = {NULL};
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, 2024, 3, 5);
	/* missing date */
	assert_int_equal(assess_start(conn, sw, rf, &in, NULL, &e), ERR_INVALID);
	assert_string_equal(e.v[0].field, "started_on");
	/* in the future */
	memset(&e, 0, sizeof(e));
	in.started_on = "2024-03-06";
	assert_int_equal(assess_start(conn, sw, rf, &in, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "started_on"), "today or in the past"));
	/* before the referral (no end before start) */
	memset(&e, 0, sizeof(e));
	in.started_on = "2024-03-01";
	assert_int_equal(assess_start(conn, sw, rf, &in, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "started_on"), "4 March 2024"));
	/* no such referral; another council's */
	in.started_on = "2024-03-05";
	assert_int_equal(assess_start(conn, sw, 9999, &in, NULL, &e),
			 ERR_NOTFOUND);
	assert_int_equal(assess_start(conn, as("bbb", 2, ROLE_SOCIAL_WORKER,
					       2024, 3, 5), rf, &in, NULL, &e),
			 ERR_NOTFOUND);
	/* roles that may not write: the statements refuse */
	assert_int_equal(assess_start(conn, as("aaa", 1, ROLE_FRONT_DOOR, 2024,
					       3, 5), rf, &in, NULL, &e),
			 ERR_DENIED);
	assert_int_equal(assess_start(conn, as("aaa", 5, ROLE_PARTNER, 2024, 3,
					       5), rf, &in, NULL, &e),
			 ERR_DENIED);
	same_print(p, fingerprint());
	/* the start itself, then a second on the same referral */
	int64_t id = start(rf, "2024-03-05", 2024, 3, 5);
	assert_true(id > 0);
	p = fingerprint();
	memset(&e, 0, sizeof(e));
	assert_int_equal(assess_start(conn, sw, rf, &in, NULL, &e), ERR_CONFLICT);
	assert_string_equal(e.v[0].field, "referral_id");
	same_print(p, fingerprint());
	/* what it wrote */
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'assessment' AND link_id = 1"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'create' AND entity = 'assessment'"), 1);
	struct assessment a;
	assert_int_equal(assess_read(conn, sw, id, arena, &a), ERR_OK);
	assert_string_equal(a.status, "in_progress");
	assert_string_equal(a.referral_date, "2024-03-04");
	assert_int_equal(a.referral_id, rf);
	assert_false(a.seen);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'read' AND entity = 'assessment'"), 1);
	/* partners, analysts: not even a read */
	assert_int_equal(assess_read(conn, as("aaa", 5, ROLE_PARTNER, 2024, 3,
					      5), id, arena, &a), ERR_DENIED);
	assert_int_equal(assess_read(conn, as("aaa", 8, ROLE_ANALYST, 2024, 3,
					      5), id, arena, &a), ERR_DENIED);
	/* the child's list and what may still be started */
	db_set_role(conn, RB_SOCIAL_WORKER);
	int64_t rf2 = refer(1, 2024, 3, 6);
	struct assessment *v;
	struct assess_startable *sv;
	int n;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	db_set_role(conn, RB_SOCIAL_WORKER);
	assert_int_equal(assess_list_child(conn, sw, 1, arena, &v, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].development, "");
	assert_int_equal(assess_startable(conn, sw, 1, arena, &sv, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sv[0].referral_id, rf2);
	assert_int_equal(db_commit(conn), DB_OK);
}

/* ---- R05: the child seen ----------------------------------------------- */

/* A referral on rd, an assessment started that day, the child seen on
 * seen (NULL: not seen): R05's stored due and met, and a rebuild agrees. */
static void r05_case(int64_t child, struct cal_date rd, const char *want_due,
		     const char *seen, const char *want_status)
{
	int64_t rf = refer(child, rd.y, rd.m, rd.d);
	char on[11], due[17], met[17];
	cal_date_format(rd, on);
	int64_t id = start(rf, on, rd.y, rd.m, rd.d);
	item("R05", rf, due, met);
	char want[17];
	snprintf(want, sizeof(want), "%.4s%.2s%.2s", want_due, want_due + 5,
		 want_due + 8);
	assert_string_equal(due, want);
	assert_string_equal(met, "0");
	if (seen) {
		struct field_errors e = {0};
		int rc = see(id, seen, "yes", 2, 2024, 6, 28, &e);
		if (rc != ERR_OK)
			fail_msg("see: %s %s", err_name(rc), e.n ? e.v[0].msg : "");
		item("R05", rf, due, met);
		snprintf(want, sizeof(want), "%.4s%.2s%.2s", seen, seen + 5,
			 seen + 8);
		assert_string_equal(met, want);
	}
	/* the status the engine reports */
	struct due_filter f = {.child_id = child, .rule = "R05", .limit = 10};
	struct due_row *rows;
	int n;
	bool more;
	db_set_role(conn, RB_SOCIAL_WORKER);
	assert_int_equal(due_list(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, 2024, 6,
					   28), &f, arena, &rows, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(due_status_id(rows[0].status), want_status);
	kept_equals_rebuilt();
}

static void r05_bank_holiday(void **state)
{
	(void)state;
	/* Thursday 2 May 2024: Friday 3 is 1, Monday 6 May is the Early May
	 * bank holiday, so Tuesday 7 is 2 ... Friday 10 is 5 */
	r05_case(1, (struct cal_date){2024, 5, 2}, "2024-05-10", "2024-05-10",
		 "met-on-time");
}

static void r05_month_end(void **state)
{
	(void)state;
	/* Tuesday 31 October 2023: 1, 2, 3, 6, 7 November */
	r05_case(2, (struct cal_date){2023, 10, 31}, "2023-11-07", "2023-11-08",
		 "met-late");
}

static void r05_leap_day(void **state)
{
	(void)state;
	/* Friday 23 February 2024: 26, 27, 28, 29 February, 1 March */
	r05_case(3, (struct cal_date){2024, 2, 23}, "2024-03-01", "2024-02-29",
		 "met-on-time");
	/* from 29 February itself: 1, 4, 5, 6, 7 March */
	r05_case(4, (struct cal_date){2024, 2, 29}, "2024-03-07", NULL,
		 "overdue");
}

static void r05_met_on_the_due_day_and_after(void **state)
{
	(void)state;
	/* Monday 8 January 2024: due Monday 15; seen that day is on time */
	r05_case(5, (struct cal_date){2024, 1, 8}, "2024-01-15", "2024-01-15",
		 "met-on-time");
	/* the day after is late */
	r05_case(6, (struct cal_date){2024, 1, 8}, "2024-01-15", "2024-01-16",
		 "met-late");
}

static void r05_council_setting(void **state)
{
	(void)state;
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
			  " ('aaa', 'r05_working_days', '10');");
	/* Tuesday 31 October 2023 + 10 working days: 14 November */
	r05_case(7, (struct cal_date){2023, 10, 31}, "2023-11-14", "2023-11-14",
		 "met-on-time");
}

static void r05_first_day_seen_in_any_order(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 1, 8);
	int64_t id = start(rf, "2024-01-08", 2024, 1, 8);
	struct field_errors e = {0};
	char due[17], met[17];
	assert_int_equal(see(id, "2024-01-20", "no", 3, 2024, 1, 22, &e), 0);
	item("R05", rf, due, met);
	assert_string_equal(met, "20240120");
	/* an earlier visit recorded later: met on that day */
	assert_int_equal(see(id, "2024-01-12", "yes", 2, 2024, 1, 22, &e), 0);
	item("R05", rf, due, met);
	assert_string_equal(met, "20240112");
	kept_equals_rebuilt();
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'child_seen'"), 2);
	struct assessment a;
	assert_int_equal(assess_read(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, 2024,
					      1, 22), id, arena, &a), ERR_OK);
	assert_int_equal(a.seen_n, 2);
	assert_string_equal(a.seen_v[0].seen_on, "2024-01-12");
	assert_true(a.seen_v[0].alone);
	assert_string_equal(a.seen_v[0].seen_by_name, "Sam Worker");
	assert_string_equal(a.first_seen_on, "2024-01-12");
	assert_true(a.seen);
}

static void seen_refusals_write_nothing(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 1, 8);
	int64_t id = start(rf, "2024-01-08", 2024, 1, 8);
	struct print p = fingerprint();
	struct field_errors e = {0};
	/* nothing given */
	assert_int_equal(see(id, NULL, NULL, 0, 2024, 1, 22, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "seen_on"));
	assert_non_null(fe_for(&e, "alone"));
	assert_non_null(fe_for(&e, "seen_by"));
	/* an unknown code for "alone" */
	memset(&e, 0, sizeof(e));
	assert_int_equal(see(id, "2024-01-10", "maybe", 2, 2024, 1, 22, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "alone"));
	/* before the referral; in the future */
	memset(&e, 0, sizeof(e));
	assert_int_equal(see(id, "2024-01-05", "yes", 2, 2024, 1, 22, &e),
			 ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "seen_on"), "8 January 2024"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(see(id, "2024-01-23", "yes", 2, 2024, 1, 22, &e),
			 ERR_INVALID);
	/* by the front door, a disabled worker, someone unknown, another
	 * council's worker */
	int64_t by[] = {1, 4, 99};
	for (int i = 0; i < 3; i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(see(id, "2024-01-10", "yes", by[i], 2024, 1, 22,
				     &e), ERR_INVALID);
		assert_non_null(fe_for(&e, "seen_by"));
	}
	/* another council cannot find it */
	struct assess_seen_input in = {"2024-01-10", "yes", 2};
	assert_int_equal(assess_see(conn, as("bbb", 2, ROLE_SOCIAL_WORKER, 2024,
					     1, 22), cal, id, &in, &e),
			 ERR_NOTFOUND);
	same_print(p, fingerprint());
}

/* ---- writing, submitting, authorising ------------------------------------ */

static void update_refusals_write_nothing(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 3, 4);
	int64_t id = start(rf, "2024-03-04", 2024, 3, 4);
	struct print p = fingerprint();
	struct field_errors e = {0};
	/* unknown codes refused: an outcome, how gathered, a factor */
	assert_int_equal(write_all(id, "adopt", "3A", &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "outcome"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "nfa", "3A 99Z", &e), ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "factors"), "99Z"));
	memset(&e, 0, sizeof(e));
	struct assess_edit bad = {.wishes_how = "telepathy"};
	assert_int_equal(assess_update(conn, as("aaa", 2, ROLE_SOCIAL_WORKER,
						2024, 3, 5), id, &bad, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "wishes_how"));
	/* "no factors" is alone or not at all */
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "nfa", "21 3A", &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "factors"));
	/* roles */
	struct assess_edit ok = {.development = "Synthetic."};
	assert_int_equal(assess_update(conn, as("aaa", 1, ROLE_FRONT_DOOR, 2024,
						3, 5), id, &ok, &e),
			 ERR_DENIED);
	assert_int_equal(assess_update(conn, as("aaa", 9, ROLE_IRO, 2024, 3, 5),
				       id, &ok, &e), ERR_DENIED);
	same_print(p, fingerprint());
	/* a field not given is kept; "" clears */
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "cin_plan", "3A,16A 3A", &e), ERR_OK);
	struct assess_edit one = {.analysis = "Synthetic: changed analysis.",
				  .outcome = ""};
	assert_int_equal(assess_update(conn, as("aaa", 2, ROLE_SOCIAL_WORKER,
						2024, 3, 5), id, &one, &e),
			 ERR_OK);
	struct assessment a;
	assert_int_equal(assess_read(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, 2024,
					      3, 5), id, arena, &a), ERR_OK);
	assert_string_equal(a.analysis, "Synthetic: changed analysis.");
	assert_string_equal(a.parenting,
			    "Synthetic: warm care, some missed appointments.");
	assert_string_equal(a.outcome, "");
	assert_string_equal(a.factors, "16A 3A");
	assert_int_equal(a.version, 3);
}

static void submit_needs_everything(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 3, 4);
	int64_t id = start(rf, "2024-03-04", 2024, 3, 4);
	struct print p = fingerprint();
	struct field_errors e = {0};
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, 2024, 3, 8);
	assert_int_equal(assess_submit(conn, sw, id, &e), ERR_INVALID);
	static const char *const each[] = {"development", "parenting", "family",
					   "wishes", "wishes_how", "analysis",
					   "outcome", "factors"};
	for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++)
		if (fe_for(&e, each[i]) == NULL)
			fail_msg("no message for missing %s", each[i]);
	same_print(p, fingerprint());
	/* "no factors identified" only with no further action */
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "cin_plan", "21", &e), ERR_OK);
	p = fingerprint();
	assert_int_equal(assess_submit(conn, sw, id, &e), ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "factors"), "no further action"));
	assert_null(fe_for(&e, "analysis"));
	same_print(p, fingerprint());
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "nfa", "21", &e), ERR_OK);
	assert_int_equal(assess_submit(conn, sw, id, &e), ERR_OK);
	p = fingerprint();
	assert_int_equal(assess_submit(conn, sw, id, &e), ERR_CONFLICT);
	assert_non_null(fe_for(&e, "submission"));
	same_print(p, fingerprint());
}

static void authorise_r02_and_its_late_reason(void **state)
{
	(void)state;
	/* Tuesday 2 January 2024: due after 45 working days */
	int64_t rf = refer(1, 2024, 1, 2);
	struct cal_date due = referral_assessment_due(cal, (struct cal_date){
		2024, 1, 2});
	char dues[11];
	cal_date_format(due, dues);
	assert_string_equal(dues, "2024-03-05");
	int64_t id = start(rf, "2024-01-03", 2024, 1, 3);
	struct field_errors e = {0};
	assert_int_equal(write_all(id, "cin_plan", "16A", &e), ERR_OK);
	/* not yet submitted */
	const struct actor *tm = as("aaa", 3, ROLE_TEAM_MANAGER, 2024, 3, 6);
	struct assess_authorise in = {NULL, 0, NULL};
	struct print p = fingerprint();
	assert_int_equal(assess_authorise(conn, tm, cal, id, &in, &e),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e, "submission"));
	same_print(p, fingerprint());
	/* submitted by a manager, who may not authorise it themselves */
	assert_int_equal(assess_submit(conn, as("aaa", 3, ROLE_TEAM_MANAGER,
						2024, 3, 6), id, &e), ERR_OK);
	p = fingerprint();
	memset(&e, 0, sizeof(e));
	assert_int_equal(assess_authorise(conn, as("aaa", 3, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_CONFLICT);
	assert_non_null(fe_for(&e, "authorised_by"));
	/* a social worker may not authorise */
	assert_int_equal(assess_authorise(conn, as("aaa", 2, ROLE_SOCIAL_WORKER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_DENIED);
	/* the version read has changed */
	memset(&e, 0, sizeof(e));
	in.version = 1;
	assert_int_equal(assess_authorise(conn, as("aaa", 6, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_CONFLICT);
	assert_non_null(fe_for(&e, "version"));
	/* the day after the due date: the reason is required */
	memset(&e, 0, sizeof(e));
	in.version = 0;
	assert_int_equal(assess_authorise(conn, as("aaa", 6, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "late_reason"), "5 March 2024"));
	/* a child in need plan opens a case: its primary need is asked */
	assert_non_null(fe_for(&e, "primary_need"));
	in.primary_need = "N1";
	in.late_reason = "   ";
	assert_int_equal(assess_authorise(conn, as("aaa", 6, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_INVALID);
	same_print(p, fingerprint());
	in.late_reason = "Synthetic: the child was in hospital for two weeks.";
	assert_int_equal(assess_authorise(conn, as("aaa", 6, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_OK);
	char d[17], m[17];
	item("R02", rf, d, m);
	assert_string_equal(d, "20240305");
	assert_string_equal(m, "20240306");
	struct assessment a;
	assert_int_equal(assess_read(conn, as("aaa", 2, ROLE_SOCIAL_WORKER, 2024,
					      3, 6), id, arena, &a), ERR_OK);
	assert_true(a.late);
	assert_string_equal(a.status, "authorised");
	assert_string_equal(a.authorised_by_name, "Ola Manager");
	assert_non_null(strstr(a.late_reason, "hospital"));
	/* the outcome's case: Family Help under section 17, its plan from
	 * the day authorised, from this referral and assessment */
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode WHERE"
		 " council = 'aaa' AND child_id = 1 AND case_type ="
		 " 'family_help' AND section17 = 1 AND plan_start ="
		 " '2024-03-06' AND opened_on = '2024-03-06' AND primary_need"
		 " = 'N1' AND referral_id = %lld AND assessment_id = %lld AND"
		 " closed_on IS NULL", (long long)rf, (long long)id);
	assert_int_equal(count(sql), 1);
	kept_equals_rebuilt();
	/* nothing changes once authorised */
	p = fingerprint();
	memset(&e, 0, sizeof(e));
	assert_int_equal(write_all(id, "nfa", "21", &e), ERR_CONFLICT);
	assert_int_equal(see(id, "2024-03-01", "yes", 2, 2024, 3, 6, &e),
			 ERR_CONFLICT);
	assert_int_equal(assess_authorise(conn, as("aaa", 6, ROLE_TEAM_MANAGER,
						   2024, 3, 6), cal, id, &in,
					  &e), ERR_CONFLICT);
	same_print(p, fingerprint());
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'assessment_authorised' AND summary LIKE"
			       " '%after its due date: Child in need plan'"), 1);
}

static void authorised_on_the_due_day_needs_no_reason(void **state)
{
	(void)state;
	int64_t rf = refer(2, 2024, 1, 2);
	int64_t id = start(rf, "2024-01-03", 2024, 1, 3);
	struct field_errors e = {0};
	assert_int_equal(write_all(id, "family_help", "3A 4B", &e), ERR_OK);
	assert_int_equal(assess_submit(conn, as("aaa", 2, ROLE_SOCIAL_WORKER,
						2024, 3, 1), id, &e), ERR_OK);
	struct assess_authorise in = {"Synthetic: not needed.", 0, "N2"};
	/* the child already has an open Family Help case: it continues,
	 * and no second is opened (nor is the primary need asked) */
	testdb_exec(path, "INSERT INTO episode (council, episode_id, child_id,"
		    " case_type, section17, primary_need, opened_on, created_at,"
		    " created_by) VALUES ('aaa', 900, 2, 'family_help', 0, 'N3',"
		    " '2023-12-01', 't', 1)");
	in.primary_need = NULL;
	assert_int_equal(assess_authorise(conn, as("aaa", 3, ROLE_TEAM_MANAGER,
						   2024, 3, 5), cal, id, &in,
					  &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM episode WHERE child_id"
			       " = 2"), 1);
	struct assessment a;
	assert_int_equal(assess_read(conn, as("aaa", 3, ROLE_TEAM_MANAGER, 2024,
					      3, 5), id, arena, &a), ERR_OK);
	assert_false(a.late);
	assert_string_equal(a.late_reason, ""); /* kept only when late */
	struct due_filter f = {.child_id = 2, .rule = "R02", .limit = 10};
	struct due_row *rows;
	int n;
	bool more;
	assert_int_equal(due_list(conn, as("aaa", 3, ROLE_TEAM_MANAGER, 2024, 3,
					   5), &f, arena, &rows, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].status, DUE_MET_ON_TIME);
	kept_equals_rebuilt();
}

static void chronology_backfill_agrees(void **state)
{
	(void)state;
	int64_t rf = refer(1, 2024, 1, 8);
	int64_t id = start(rf, "2024-01-08", 2024, 1, 8);
	struct field_errors e = {0};
	assert_int_equal(see(id, "2024-01-09", "no", 2, 2024, 1, 10, &e), 0);
	/* the live entries leave the backfill nothing to do */
	db_set_role(conn, DB_ROLE_SYSTEM);
	struct actor sys = actor_system("aaa", 1700000000);
	int64_t made = -1;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(assess_chron_backfill(conn, &sys, &made), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(made, 0);
	/* bulk rows (the demo's) get the same lines */
	testdb_exec(path,
		"INSERT INTO assessment (council, assessment_id, child_id,"
		" referral_id, started_on, authorised_on, outcome, late_reason,"
		" created_at, created_by) VALUES ('aaa', 50, 3, NULL,"
		" '2024-02-01', '2024-04-30', 'cin_plan', 'Synthetic.', 't', 2);"
		"INSERT INTO assessment_seen (council, seen_id, assessment_id,"
		" child_id, seen_on, alone, seen_by, created_at, created_by)"
		" VALUES ('aaa', 50, 50, 3, '2024-02-02', 1, 2, 't', 2);");
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(assess_chron_backfill(conn, &sys, &made), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(made, 3);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE child_id"
			       " = 3 AND summary = 'Child seen alone by Sam"
			       " Worker'"), 1);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE child_id"
			       " = 3 AND summary = 'Single assessment authorised"
			       " after its due date: Child in need plan'"), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(factors_match_the_shipped_list),
		T(start_refusals_write_nothing),
		T(r05_bank_holiday),
		T(r05_month_end),
		T(r05_leap_day),
		T(r05_met_on_the_due_day_and_after),
		T(r05_council_setting),
		T(r05_first_day_seen_in_any_order),
		T(seen_refusals_write_nothing),
		T(update_refusals_write_nothing),
		T(submit_needs_everything),
		T(authorise_r02_and_its_late_reason),
		T(authorised_on_the_due_day_needs_no_reason),
		T(chronology_backfill_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
