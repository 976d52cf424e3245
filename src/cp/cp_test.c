/* cp_test.c: child protection (cp/cp.h) against a temporary database
 * with synthetic rows: the chain from the strategy discussion to the
 * plan's end; R07 at its edges (a bank holiday, a month end, 29
 * February, met on the due day), R08, R09 and R10 (recurring) with kept
 * items equal to a rebuild; the case opened with the plan; each
 * refusal of the workflow writing nothing; a partner reading only the
 * discussion their organisation took part in; the category codes
 * against the shipped list. */
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
#include "cp/cp.h"
#include "db/testdb.h"
#include "domain/due.h"
#include "episode/episode.h"
#include "practice/practice.h"

static char path[64];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;
static struct cal *cal;

static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO team (council, team_id, name) VALUES ('aaa', 1, 'Team');"
	"INSERT INTO organisation (council, org_id, name, kind) VALUES"
	" ('aaa', 1, 'Aville Police', 'police'),"
	" ('aaa', 2, 'Aville School', 'school');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" org_id, team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 1, 'fd.one', 'Fay Door', 'front-door', NULL, NULL, 'x', 0, 't'),"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', NULL, 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', NULL, 1, 'x', 0,"
	"  't'),"
	" ('aaa', 4, 'sw.four', 'Dee Sabled', 'social-worker', NULL, 1, 'x', 1,"
	"  't'),"
	" ('aaa', 5, 'pa.five', 'Pat Police', 'partner', 1, NULL, 'x', 0, 't'),"
	" ('aaa', 6, 'pa.six', 'Sue School', 'partner', 2, NULL, 'x', 0, 't'),"
	" ('aaa', 8, 'an.eight', 'Ana Lyst', 'analyst', NULL, NULL, 'x', 0, 't');";

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
	testdb_path(path, sizeof(path), "cptest");
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
	cal = cal_new(CAL_DAY0);
	static const struct cal_date hol[] = {
		{2023, 12, 25}, {2023, 12, 26}, {2024, 1, 1}, {2024, 3, 29},
		{2024, 4, 1}, {2024, 5, 6}, {2024, 5, 27}, {2024, 8, 26},
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

/* The actor for user/role of council aaa at noon UTC on 1 December 2024
 * (after every date the tests record). */
static const struct actor *as(int64_t user, enum role r)
{
	static struct actor ring[8];
	static unsigned k;
	db_set_role(conn, RB(r));
	struct actor *p = &ring[k++ % 8];
	*p = (struct actor){
		.council = "aaa", .user_id = user, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.org_id = r == ROLE_PARTNER ? (user == 5 ? 1 : 2) : 0,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	struct cal_time t = {{2024, 12, 1}, 12, 0};
	actor_at(p, cal_minutes(t) * 60);
	return p;
}
#define SW as(2, ROLE_SOCIAL_WORKER)

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

static void ok(int rc, const struct field_errors *e, const char *what)
{
	if (rc != ERR_OK)
		fail_msg("%s: %s %s %s", what, err_name(rc),
			 e->n ? e->v[0].field : "", e->n ? e->v[0].msg : "");
}

/* Everything a refused write could have changed. */
static int64_t print(void)
{
	static const char *const tables[] = {
		"cp_strategy", "cp_participant", "cp_s47", "cp_conference",
		"cp_attendee", "cp_plan", "cp_core_group", "episode",
		"chronology", "audit", "due_item",
	};
	int64_t sum = 0;
	char sql[128];
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		sum = sum * 31 + count(sql);
	}
	return sum + count("SELECT count(*) FROM cp_s47 WHERE concluded_on IS"
			   " NOT NULL") * 7 +
	       count("SELECT count(*) FROM cp_plan WHERE ended_on IS NOT NULL") +
	       count("SELECT count(*) FROM due_item WHERE met_at IS NOT NULL");
}

/* A rule's stored item on a subject (occurrence seq): due and met. */
static void item(const char *rule, int64_t subject, int seq, char due[11],
		 char met[11])
{
	struct db_q *q;
	DB_STMT(st) = {
		"cp_test_item",
		"SELECT due_at, met_at FROM due_item WHERE council = 'aaa'"
		" AND rule = ?1 AND subject_id = ?2 AND seq = ?3",
		DB_ROLE_SYSTEM,
	};
	db_set_role(conn, DB_ROLE_SYSTEM);
	due[0] = met[0] = '\0';
	if (db_exec(conn, &st, &q, rule, subject, (int64_t)seq) == DB_ROW) {
		snprintf(due, 11, "%s", db_col_text(q, 0) ? db_col_text(q, 0) : "");
		snprintf(met, 11, "%s", db_col_text(q, 1) ? db_col_text(q, 1) : "");
	}
	db_done(q);
}

static void kept_equals_rebuilt(void)
{
	db_set_role(conn, DB_ROLE_SYSTEM);
	struct actor sys = actor_system("aaa", 1733054400);
	int64_t changed = -1;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, cal, NULL, &changed), ERR_OK);
	db_rollback(conn);
	assert_int_equal(changed, 0);
}

static int64_t strategy(int64_t child, const char *on, const char *decision)
{
	struct cp_strategy_input in = {on, decision, NULL, 2};
	struct field_errors e = {0};
	int64_t id = 0;
	ok(cp_strategy_add(conn, SW, cal, child, &in, &id, &e), &e, "strategy");
	return id;
}

static int64_t s47(int64_t strategy_id, const char *on)
{
	struct cp_s47_input in = {on};
	struct field_errors e = {0};
	int64_t id = 0;
	ok(cp_s47_start(conn, SW, cal, strategy_id, &in, &id, &e), &e, "s47");
	return id;
}

static void conclude(int64_t id, const char *on, const char *conference)
{
	struct cp_s47_outcome in = {on, "Synthetic: bruising explained in "
				    "part; concerns remain.", "yes", conference};
	struct field_errors e = {0};
	ok(cp_s47_conclude(conn, SW, id, &in, &e), &e, "conclude");
}

static int64_t icpc(int64_t s47_id, const char *on, const char *decision)
{
	struct cp_icpc_input in = {on, "no", decision};
	struct field_errors e = {0};
	int64_t id = 0;
	ok(cp_icpc_hold(conn, SW, cal, s47_id, &in, &id, &e), &e, "icpc");
	return id;
}

/* ---- the code list ---------------------------------------------------- */

static void categories_match_the_shipped_list(void **state)
{
	(void)state;
	FILE *f = fopen(CAIRN_SOURCE_ROOT "/data/codes/cin_cp_category_of_abuse"
			".csv", "r");
	assert_non_null(f);
	char line[1024];
	int n = 0;
	assert_non_null(fgets(line, sizeof(line), f));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, ",")] = '\0';
		if (line[0] == '\0')
			continue;
		if (codes_index(cp_category_codes, line) < 0)
			fail_msg("category %s of the file is not in the table", line);
		n++;
	}
	fclose(f);
	assert_int_equal((int)codes_count(cp_category_codes), n);
}

/* ---- R07 -------------------------------------------------------------- */

/* A discussion on `on`, the enquiry started that day: R07's due date;
 * the ICPC held on `held` (NULL: not) meets it. */
static void r07_case(int64_t child, const char *on, const char *want_due,
		     const char *held)
{
	int64_t sid = strategy(child, on, "s47");
	int64_t q = s47(sid, on);
	char due[11], met[11];
	item("R07", q, 1, due, met);
	assert_string_equal(due, want_due);
	assert_string_equal(met, "");
	if (held) {
		conclude(q, held, "yes");
		icpc(q, held, "no_plan");
		item("R07", q, 1, due, met);
		assert_string_equal(met, held);
	}
	kept_equals_rebuilt();
}

static void r07_bank_holiday(void **state)
{
	(void)state;
	/* Thursday 2 May 2024: Monday 6 May is a bank holiday, so the
	 * 15th working day is Friday 24 May */
	r07_case(1, "2024-05-02", "2024-05-24", "2024-05-24");
}

static void r07_month_end(void **state)
{
	(void)state;
	/* Tuesday 31 October 2023: 1 November is the first */
	r07_case(2, "2023-10-31", "2023-11-21", NULL);
}

static void r07_leap_day(void **state)
{
	(void)state;
	/* from Thursday 29 February 2024: 1 March is the first */
	r07_case(3, "2024-02-29", "2024-03-21", NULL);
	/* due on 29 February and met that very day */
	r07_case(4, "2024-02-08", "2024-02-29", "2024-02-29");
}

static void r07_stops_without_a_conference(void **state)
{
	(void)state;
	int64_t q = s47(strategy(5, "2024-03-04", "s47"), "2024-03-04");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R07' AND met_at IS NULL"), 1);
	conclude(q, "2024-03-12", "no");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R07'"), 0);
	kept_equals_rebuilt();
}

/* ---- the chain and its refusals ---------------------------------------- */

static void workflow_refusals_write_nothing(void **state)
{
	(void)state;
	struct field_errors e = {0};
	int64_t nfa = strategy(1, "2024-03-01", "nfa");
	int64_t sid = strategy(1, "2024-03-04", "s47");
	int64_t before = print();
	/* an enquiry from a discussion that decided no further action */
	struct cp_s47_input si = {"2024-03-04"};
	assert_int_equal(cp_s47_start(conn, SW, cal, nfa, &si, NULL, &e),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e, "strategy_id"));
	/* before the discussion */
	e = (struct field_errors){0};
	si.started_on = "2024-03-01";
	assert_int_equal(cp_s47_start(conn, SW, cal, sid, &si, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "started_on"));
	/* another council's discussion, and a discussion of none */
	e = (struct field_errors){0};
	si.started_on = "2024-03-04";
	assert_int_equal(cp_s47_start(conn, SW, cal, 999, &si, NULL, &e),
			 ERR_NOTFOUND);
	/* an unknown decision, a disabled lead, "other" without words */
	struct cp_strategy_input bad = {"2024-03-04", "maybe", NULL, 4};
	e = (struct field_errors){0};
	assert_int_equal(cp_strategy_add(conn, SW, cal, 1, &bad, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "decision"));
	assert_non_null(fe_for(&e, "lead_id"));
	bad.decision = "other";
	e = (struct field_errors){0};
	assert_int_equal(cp_strategy_add(conn, SW, cal, 1, &bad, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "decision_note"));
	/* an analyst writes nothing */
	bad = (struct cp_strategy_input){"2024-03-04", "s47", NULL, 2};
	e = (struct field_errors){0};
	assert_int_not_equal(cp_strategy_add(conn, as(8, ROLE_ANALYST), cal, 1, &bad,
					     NULL, &e), ERR_OK);
	assert_int_equal(print(), before);

	int64_t q = s47(sid, "2024-03-05");
	before = print();
	/* no conference without an enquiry that called for one */
	struct cp_icpc_input ii = {"2024-03-20", "no", "plan"};
	e = (struct field_errors){0};
	assert_int_equal(cp_icpc_hold(conn, SW, cal, q, &ii, NULL, &e),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e, "s47_id"));
	/* an enquiry concluded before it started */
	struct cp_s47_outcome so = {"2024-03-01", "Synthetic findings.", "yes",
				    "yes"};
	e = (struct field_errors){0};
	assert_int_equal(cp_s47_conclude(conn, SW, q, &so, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "concluded_on"));
	assert_int_equal(print(), before);

	conclude(q, "2024-03-15", "yes");
	int64_t none = icpc(q, "2024-03-20", "no_plan");
	before = print();
	/* no plan without a conference's decision for one */
	struct cp_plan_input pi = {"NEG", 0};
	e = (struct field_errors){0};
	assert_int_equal(cp_plan_start(conn, SW, cal, none, &pi, NULL, &e),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e, "conference_id"));
	/* a second ICPC for the enquiry */
	e = (struct field_errors){0};
	assert_int_equal(cp_icpc_hold(conn, SW, cal, q, &ii, NULL, &e),
			 ERR_CONFLICT);
	assert_int_equal(print(), before);

	/* a plan: an unknown category, then one */
	int64_t sid2 = strategy(1, "2024-04-02", "s47");
	int64_t q2 = s47(sid2, "2024-04-02");
	conclude(q2, "2024-04-10", "yes");
	int64_t conf = icpc(q2, "2024-04-15", "plan");
	before = print();
	pi.category = "XYZ";
	e = (struct field_errors){0};
	assert_int_equal(cp_plan_start(conn, SW, cal, conf, &pi, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "category"));
	assert_int_equal(print(), before);
	pi.category = "EMO";
	int64_t plan = 0;
	e = (struct field_errors){0};
	ok(cp_plan_start(conn, SW, cal, conf, &pi, &plan, &e), &e, "plan");
	before = print();
	/* a second plan of the same conference */
	e = (struct field_errors){0};
	assert_int_equal(cp_plan_start(conn, SW, cal, conf, &pi, NULL, &e),
			 ERR_CONFLICT);
	/* no end before the start, no unknown reason */
	struct cp_plan_end_input pe = {"2024-04-14", "gone"};
	e = (struct field_errors){0};
	assert_int_equal(cp_plan_end(conn, SW, cal, plan, &pe, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "ended_on"));
	assert_non_null(fe_for(&e, "reason"));
	/* a core group before the plan started */
	struct cp_core_group_input cg = {"2024-04-01"};
	e = (struct field_errors){0};
	assert_int_equal(cp_core_group_add(conn, SW, cal, plan, &cg, NULL, &e),
			 ERR_INVALID);
	assert_int_equal(print(), before);
	kept_equals_rebuilt();
}

/* ---- the plan and its clocks ------------------------------------------ */

static void plan_clocks_and_case(void **state)
{
	(void)state;
	struct field_errors e = {0};
	int64_t sid = strategy(5, "2024-02-08", "s47");
	int64_t q = s47(sid, "2024-02-08");
	conclude(q, "2024-02-26", "yes");
	int64_t conf = icpc(q, "2024-02-29", "plan");
	struct cp_attendee_input at = {"health", "Synthetic Nurse",
				       "Health visitor", "yes"};
	ok(cp_attendee_add(conn, SW, conf, &at, NULL, &e), &e, "attendee");
	struct cp_plan_input pi = {"NEG", 0};
	int64_t plan = 0;
	ok(cp_plan_start(conn, SW, cal, conf, &pi, &plan, &e), &e, "plan");
	/* the child-protection case opened with it, on the ICPC's date */
	assert_int_equal(count("SELECT count(*) FROM episode WHERE child_id = 5"
			       " AND case_type = 'child_protection' AND"
			       " opened_on = '2024-02-29' AND closed_on IS"
			       " NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM cp_plan p JOIN episode e"
			       " ON e.council = p.council AND e.episode_id ="
			       " p.episode_id WHERE p.child_id = 5"), 1);
	char due[11], met[11];
	/* R08: 10 working days from Thursday 29 February */
	item("R08", plan, 1, due, met);
	assert_string_equal(due, "2024-03-14");
	/* R09: 3 months */
	item("R09", plan, 1, due, met);
	assert_string_equal(due, "2024-05-29");
	kept_equals_rebuilt();

	struct cp_core_group_input cg = {"2024-03-14"};
	ok(cp_core_group_add(conn, SW, cal, plan, &cg, NULL, &e), &e, "core");
	cg.held_on = "2024-04-11";
	ok(cp_core_group_add(conn, SW, cal, plan, &cg, NULL, &e), &e, "core 2");
	item("R08", plan, 1, due, met);
	assert_string_equal(met, "2024-03-14");
	/* L02: four weeks from each meeting to the next */
	item("L02", plan, 1, due, met);
	assert_string_equal(due, "2024-04-11");
	assert_string_equal(met, "2024-04-11");
	item("L02", plan, 2, due, met);
	assert_string_equal(due, "2024-05-09");
	assert_string_equal(met, "");
	/* a core group dated before the last one is refused */
	cg.held_on = "2024-04-01";
	e = (struct field_errors){0};
	assert_int_equal(cp_core_group_add(conn, SW, cal, plan, &cg, NULL, &e),
			 ERR_INVALID);

	struct cp_review_input rv = {"2024-05-20", "continue"};
	ok(cp_review_hold(conn, SW, cal, plan, &rv, NULL, &e), &e, "review");
	item("R09", plan, 1, due, met);
	assert_string_equal(met, "2024-05-20");
	item("R10", plan, 1, due, met);
	assert_string_equal(due, "2024-11-20");
	assert_string_equal(met, "");
	rv.held_on = "2024-11-18";
	ok(cp_review_hold(conn, SW, cal, plan, &rv, NULL, &e), &e, "review 2");
	item("R10", plan, 1, due, met);
	assert_string_equal(met, "2024-11-18");
	item("R10", plan, 2, due, met);
	assert_string_equal(due, "2025-05-18");
	kept_equals_rebuilt();

	struct cp_plan read;
	assert_int_equal(cp_plan_read(conn, SW, plan, arena, &read), ERR_OK);
	assert_true(read.open);
	assert_false(read.repeat);
	assert_false(read.two_years);
	assert_string_equal(read.review_due, "2025-05-18");
	assert_string_equal(read.core_next, "2024-05-09");
	assert_int_equal(read.core_groups, 2);
	assert_int_equal(read.reviews, 2);

	/* the end stops the clocks; a rebuild agrees */
	struct cp_plan_end_input pe = {"2024-11-18", "no_longer_at_risk"};
	ok(cp_plan_end(conn, SW, cal, plan, &pe, &e), &e, "end");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE subject ="
			       " 'cp_plan' AND met_at IS NULL"), 0);
	kept_equals_rebuilt();
	/* ended once */
	e = (struct field_errors){0};
	assert_int_equal(cp_plan_end(conn, SW, cal, plan, &pe, &e), ERR_CONFLICT);

	/* R13: a second plan for the child is a repeat */
	int64_t sid2 = strategy(5, "2024-11-19", "s47");
	int64_t q2 = s47(sid2, "2024-11-19");
	conclude(q2, "2024-11-20", "yes");
	int64_t conf2 = icpc(q2, "2024-11-25", "plan");
	int64_t plan2 = 0;
	pi.category = "MUL";
	ok(cp_plan_start(conn, SW, cal, conf2, &pi, &plan2, &e), &e, "plan 2");
	assert_int_equal(cp_plan_read(conn, SW, plan2, arena, &read), ERR_OK);
	assert_true(read.repeat);
	assert_int_equal(count("SELECT count(*) FROM episode WHERE child_id = 5"
			       " AND case_type = 'child_protection'"), 1);
	kept_equals_rebuilt();
}

static void r12_two_years(void **state)
{
	(void)state;
	struct field_errors e = {0};
	int64_t sid = strategy(6, "2022-11-01", "s47");
	int64_t q = s47(sid, "2022-11-01");
	conclude(q, "2022-11-10", "yes");
	int64_t conf = icpc(q, "2022-12-01", "plan");
	struct cp_plan_input pi = {"PHY", 0};
	int64_t plan = 0;
	ok(cp_plan_start(conn, SW, cal, conf, &pi, &plan, &e), &e, "plan");
	struct cp_plan read;
	/* today (1 December 2024) is two years on: the flag is set */
	assert_int_equal(cp_plan_read(conn, SW, plan, arena, &read), ERR_OK);
	assert_true(read.two_years);
	/* ended the day before two years: not */
	struct cp_plan_end_input pe = {"2024-11-30", "moved_away"};
	ok(cp_plan_end(conn, SW, cal, plan, &pe, &e), &e, "end");
	assert_int_equal(cp_plan_read(conn, SW, plan, arena, &read), ERR_OK);
	assert_false(read.two_years);
	assert_false(read.open);
}

/* ---- R11, R06 and whose list the clocks are on -------------------------- */

/* A plan for child from a discussion, enquiry and ICPC all on `on`. */
static int64_t plan_on(int64_t child, const char *on, int64_t visit_days)
{
	int64_t q = s47(strategy(child, on, "s47"), on);
	conclude(q, on, "yes");
	struct cp_plan_input pi = {"NEG", visit_days};
	struct field_errors e = {0};
	int64_t plan = 0;
	ok(cp_plan_start(conn, SW, cal, icpc(q, on, "plan"), &pi, &plan, &e),
	   &e, "plan");
	return plan;
}

static void visit(int64_t child, const char *at, bool seen)
{
	struct visit_input in = {
		.visited_at = at, .place = "home", .child_seen = seen,
		.observations = "Synthetic: seen at home.",
	};
	struct field_errors e = {0};
	ok(practice_visit_record(conn, SW, cal, child, &in, NULL, &e), &e,
	   "visit");
}

static void r11_visits_meet_the_plan_clock(void **state)
{
	(void)state;
	char due[11], met[11];
	/* Thursday 2 May 2024; Monday 6 May a bank holiday: the tenth
	 * working day is Friday 17 May */
	int64_t plan = plan_on(8, "2024-05-02", 0);
	item("R11", plan, 1, due, met);
	assert_string_equal(due, "2024-05-17");
	assert_string_equal(met, "");
	/* seen on Friday 10 May: met, and the next runs from then */
	visit(8, "2024-05-10T10:00", true);
	item("R11", plan, 1, due, met);
	assert_string_equal(met, "2024-05-10");
	item("R11", plan, 2, due, met);
	assert_string_equal(due, "2024-05-24");
	assert_string_equal(met, "");
	/* not seen: nothing met */
	visit(8, "2024-05-20T10:00", false);
	item("R11", plan, 2, due, met);
	assert_string_equal(met, "");
	/* a visit written late, out of order, counts on its day */
	visit(8, "2024-05-08T09:00", true);
	item("R11", plan, 1, due, met);
	assert_string_equal(met, "2024-05-08");
	item("R11", plan, 2, due, met);
	assert_string_equal(due, "2024-05-22");
	assert_string_equal(met, "2024-05-10");
	item("R11", plan, 3, due, met);
	assert_string_equal(due, "2024-05-24");
	/* two visits on one day count once */
	visit(8, "2024-05-10T15:00", true);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R11'"), 3);
	kept_equals_rebuilt();
	/* the plan ends: its open visit clock goes; met ones stay */
	struct cp_plan_end_input pe = {"2024-05-23", "no_longer_at_risk"};
	struct field_errors e = {0};
	ok(cp_plan_end(conn, SW, cal, plan, &pe, &e), &e, "end");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R11'"), 2);
	visit(8, "2024-05-28T10:00", true);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R11'"), 2);
	kept_equals_rebuilt();
}

static void r11_the_plans_own_frequency(void **state)
{
	(void)state;
	char due[11], met[11];
	/* four-weekly: 20 working days from Thursday 2 May 2024 (6 and 27
	 * May bank holidays) is Monday 3 June */
	int64_t plan = plan_on(8, "2024-05-02", 20);
	item("R11", plan, 1, due, met);
	assert_string_equal(due, "2024-06-03");
	visit(8, "2024-05-30T10:00", true);
	item("R11", plan, 2, due, met);
	assert_string_equal(due, "2024-06-27");
	struct cp_plan read;
	assert_int_equal(cp_plan_read(conn, SW, plan, arena, &read), ERR_OK);
	assert_int_equal(read.visit_days, 20);
	assert_string_equal(read.visit_next, "2024-06-27");
	kept_equals_rebuilt();
	/* out of range: refused, nothing written */
	int64_t q = s47(strategy(9, "2024-05-02", "s47"), "2024-05-02");
	conclude(q, "2024-05-02", "yes");
	int64_t conf = icpc(q, "2024-05-02", "plan");
	int64_t before = print();
	struct field_errors e = {0};
	struct cp_plan_input bad = {"NEG", 61};
	assert_int_equal(cp_plan_start(conn, SW, cal, conf, &bad, NULL, &e),
			 ERR_INVALID);
	assert_string_equal(fe_for(&e, "visit_days"),
			    "Working days between visits must be 60 or less");
	e = (struct field_errors){0};
	bad.visit_days = -2;
	assert_int_equal(cp_plan_start(conn, SW, cal, conf, &bad, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "visit_days"));
	assert_int_equal(print(), before);
}

/* R07 is on the lead practitioner's list; a plan's clocks on its case's
 * worker's, moving when the case is allocated again. */
static void cp_clocks_are_on_a_workers_list(void **state)
{
	(void)state;
	int64_t plan = plan_on(7, "2024-05-02", 0);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R07' AND worker_id = 2 AND team_id = 1"), 1);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE subject ="
			       " 'cp_plan' AND worker_id IS NOT NULL"), 0);
	int64_t ep = count("SELECT episode_id FROM cp_plan");
	struct episode_allocation_input in = {1, 2, 3};
	struct field_errors e = {0};
	ok(episode_allocate(conn, as(3, ROLE_TEAM_MANAGER), ep, &in, &e), &e,
	   "allocate");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE subject ="
			       " 'cp_plan' AND worker_id = 2 AND team_id = 1"),
			 count("SELECT count(*) FROM due_item WHERE subject ="
			       " 'cp_plan'"));
	assert_true(count("SELECT count(*) FROM due_item WHERE subject ="
			  " 'cp_plan'") >= 3); /* R08, R09, R11 */
	/* a later meeting's clock stays on the list */
	struct cp_core_group_input g = {"2024-05-10"};
	ok(cp_core_group_add(conn, SW, cal, plan, &g, NULL, &e), &e, "core");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L02' AND worker_id = 2"), 1);
	kept_equals_rebuilt();
}

/* Contact id and referral id `id` about child, received and decided
 * on Thursday 2 May 2024 (decision: "strategy", "referral"...), the
 * referral allocated to worker 2. */
static void decided_referral(int id, int child, const char *decision)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO contact (council, contact_id, child_id,"
		 " received_at, source, referrer_name, worry, due_at,"
		 " created_at, created_by, decision, decided_at, referral_id)"
		 " VALUES ('aaa', %d, %d, '2024-05-02T09:00', 'police',"
		 " 'Synthetic', 'Synthetic', '2024-05-03T09:00', 't', 1, '%s',"
		 " '2024-05-02T10:00', %d);"
		 "INSERT INTO referral (council, referral_id, child_id,"
		 " contact_id, referral_date, source, worker_id, team_id,"
		 " created_at, created_by) VALUES ('aaa', %d, %d, %d,"
		 " '2024-05-02', 'police', 2, 1, 't', 1);",
		 id, child, decision, id, id, child, id);
	testdb_exec(path, sql);
}

/* The council's items made from the records (due_rebuild), committed. */
static void rebuild(void)
{
	db_set_role(conn, DB_ROLE_SYSTEM);
	struct actor sys = actor_system("aaa", 1733054400);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, cal, NULL, NULL), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
}

/* R06: the front door decides a strategy discussion (3 working days,
 * the default) and the first discussion held on or after meets it. */
static void r06_strategy_discussion(void **state)
{
	(void)state;
	decided_referral(1, 5, "strategy");
	rebuild();
	char due[11], met[11];
	/* Thursday 2 May 2024, 6 May a bank holiday: Wednesday 8 May */
	item("R06", 1, 1, due, met);
	assert_string_equal(due, "2024-05-08");
	assert_string_equal(met, "");
	/* a discussion before the decision is not the one it asked for */
	strategy(5, "2024-04-30", "nfa");
	item("R06", 1, 1, due, met);
	assert_string_equal(met, "");
	/* held on the due day: met on time */
	strategy(5, "2024-05-08", "s47");
	item("R06", 1, 1, due, met);
	assert_string_equal(met, "2024-05-08");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R06' AND worker_id = 2"), 1);
	kept_equals_rebuilt();
}

/* R06 from an assessment: a referral the front door did not send to a
 * strategy discussion starts the clock when its assessment with that
 * outcome is authorised; a referral the front door
 * did send starts on its date only, whatever its assessments say.  The
 * council's source (read from contacts and assessments) and one child's
 * (from its referrals) are different statements: kept equals rebuilt
 * checks they agree. */
static void r06_from_an_assessment(void **state)
{
	(void)state;
	decided_referral(2, 6, "referral");
	decided_referral(3, 7, "strategy");
	testdb_exec(path,
		    "INSERT INTO assessment (council, assessment_id, child_id,"
		    " referral_id, started_on, authorised_on, outcome,"
		    " created_at, created_by) VALUES"
		    " ('aaa', 1, 6, 2, '2024-05-03', '2024-06-10', 'strategy',"
		    " 't', 1),"
		    " ('aaa', 4, 7, 3, '2024-05-03', '2024-06-10', 'strategy',"
		    " 't', 1);");
	rebuild();
	char due[11], met[11];
	/* authorised Monday 10 June 2024: 3 working days, Thursday 13 June */
	item("R06", 2, 1, due, met);
	assert_string_equal(due, "2024-06-13");
	/* the front door's decision: from the referral's date (Thursday 2
	 * May; 6 May a bank holiday) */
	item("R06", 3, 1, due, met);
	assert_string_equal(due, "2024-05-08");
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'R06' AND subject_id IN (2, 3)"), 2);
	/* one child's refresh makes the same item as the council's */
	strategy(6, "2024-06-13", "s47");
	item("R06", 2, 1, due, met);
	assert_string_equal(met, "2024-06-13");
	kept_equals_rebuilt();
}

/* ---- who reads -------------------------------------------------------- */

static void partner_reads_the_discussion_they_took_part_in(void **state)
{
	(void)state;
	struct field_errors e = {0};
	int64_t sid = strategy(7, "2024-06-03", "s47");
	struct cp_participant_input p = {"police", "Synthetic Officer",
					 "Detective constable",
					 "Synthetic: a previous call-out.", 1};
	ok(cp_participant_add(conn, SW, sid, &p, NULL, &e), &e, "participant");
	struct cp_participant_input bad = {"army", "", NULL, NULL, 77};
	int64_t before = print();
	e = (struct field_errors){0};
	assert_int_equal(cp_participant_add(conn, SW, sid, &bad, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "agency"));
	assert_non_null(fe_for(&e, "name"));
	assert_non_null(fe_for(&e, "org_id"));
	assert_int_equal(print(), before);

	struct cp_strategy s;
	/* the police officer's organisation took part */
	assert_int_equal(cp_strategy_read(conn, as(5, ROLE_PARTNER), sid, arena,
					  &s), ERR_OK);
	assert_int_equal(s.part_n, 1);
	assert_string_equal(s.part_v[0].agency, "police");
	/* the school's did not: the same answer as none */
	assert_int_equal(cp_strategy_read(conn, as(6, ROLE_PARTNER), sid, arena,
					  &s), ERR_NOTFOUND);
	assert_int_equal(cp_strategy_read(conn, as(6, ROLE_PARTNER), 999, arena,
					  &s), ERR_NOTFOUND);
	/* nothing else of the chain for a partner, nothing for an analyst */
	int64_t q = s47(sid, "2024-06-04");
	struct cp_s47 r;
	assert_int_not_equal(cp_s47_read(conn, as(5, ROLE_PARTNER), q, arena,
					 &r), ERR_OK);
	assert_int_not_equal(cp_strategy_read(conn, as(8, ROLE_ANALYST), sid,
					      arena, &s), ERR_OK);
	/* every read audited */
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'read' AND entity = 'cp_strategy'"), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(categories_match_the_shipped_list),
		T(r07_bank_holiday),
		T(r07_month_end),
		T(r07_leap_day),
		T(r07_stops_without_a_conference),
		T(workflow_refusals_write_nothing),
		T(plan_clocks_and_case),
		T(r12_two_years),
		T(partner_reads_the_discussion_they_took_part_in),
		T(r11_visits_meet_the_plan_clock),
		T(r11_the_plans_own_frequency),
		T(cp_clocks_are_on_a_workers_list),
		T(r06_strategy_discussion),
		T(r06_from_an_assessment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
