/* transition_test.c: a young person's transition to adult services
 * (issue 11 §7).  Who is flagged (17, a child protection plan or Family
 * Help in the last two years, not looked after) and who is not; a plan
 * refused for a young person not flagged and for bad input, each
 * writing nothing; the plan starts L03 at the 17th birthday, due on the
 * 18th; the handover meets it; the items kept equal a rebuild.  Against
 * a temporary database (SQLite, or PostgreSQL under
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

/* Children by their history, as of 1 June 2024:
 * 1: 17, a Family Help case closed in January 2023: flagged;
 * 2: 17, a Family Help case closed in 2021: not;
 * 3: 17, a child protection case open, and looked after: not;
 * 4: 16, a child protection case open: not yet;
 * 5: 17, no case: not;
 * 6: 17, a child protection case open: flagged. */
static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', NULL, 'x', 0,"
	"  't');"
	"INSERT INTO episode (council, episode_id, child_id, case_type,"
	" primary_need, opened_on, closed_on, closure_reason, created_at,"
	" created_by) VALUES"
	" ('aaa', 1, 1, 'family_help', 'N1', '2022-03-01', '2023-01-10', 'RC7',"
	"  't', 2),"
	" ('aaa', 2, 2, 'family_help', 'N1', '2020-03-01', '2021-01-10', 'RC7',"
	"  't', 2),"
	" ('aaa', 3, 3, 'child_protection', 'N1', '2023-03-01', NULL, NULL,"
	"  't', 2),"
	" ('aaa', 4, 3, 'looked_after', 'N1', '2023-04-01', NULL, NULL, 't', 2),"
	" ('aaa', 5, 4, 'child_protection', 'N1', '2023-03-01', NULL, NULL,"
	"  't', 2),"
	" ('aaa', 6, 6, 'child_protection', 'N1', '2024-03-01', NULL, NULL,"
	"  't', 2);";

static void add_child(int id, const char *dob)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO child (council, child_id, la_ref, given_name,"
		 " family_name, given_key, family_key, dob, created_at,"
		 " created_by, updated_at) VALUES ('aaa', %d, 'REF%d',"
		 " 'Testchild', 'No%d', 'T', 'N', '%s', 't', 1, 't');", id, id,
		 id, dob);
	testdb_exec(path, sql);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "transitiontest");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	testdb_exec(path, "INSERT INTO council (council, name) VALUES"
		    " ('aaa', 'Aville');");
	add_child(1, "2007-01-15");
	add_child(2, "2007-02-01");
	add_child(3, "2007-03-01");
	add_child(4, "2008-01-01");
	add_child(5, "2007-01-01");
	add_child(6, "2006-06-02");
	testdb_exec(path, strstr(fixture, "INSERT INTO app_user"));
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(db_ids_sync(conn, "aaa"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	arena = arena_new(4u << 20);
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

static struct actor sw(int y, int m, int d)
{
	db_set_role(conn, RB(ROLE_SOCIAL_WORKER));
	struct actor a = {
		.council = "aaa", .user_id = 2, .username = "tester",
		.role = role_id(ROLE_SOCIAL_WORKER), .request_id = "rid-test",
		.ip = "127.0.0.1",
	};
	actor_at(&a, uk_to_instant((struct cal_time){{y, m, d}, 12, 0}));
	return a;
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

static int64_t written(void)
{
	return count("SELECT (SELECT count(*) FROM transition_plan)"
		     " + (SELECT count(*) FROM transition_plan WHERE handover_on"
		     " IS NOT NULL)"
		     " + (SELECT count(*) FROM due_item)"
		     " + (SELECT count(*) FROM due_item WHERE met_at IS NOT NULL)"
		     " + (SELECT count(*) FROM chronology)"
		     " + (SELECT count(*) FROM audit)");
}

static bool is_flagged(int64_t child, int y, int m, int d)
{
	struct actor a = sw(y, m, d);
	struct transition_flag f;
	assert_int_equal(transition_flag(conn, &a, child, arena, &f), ERR_OK);
	return f.flagged;
}

static void who_is_flagged(void **state)
{
	(void)state;
	assert_true(is_flagged(1, 2024, 6, 1));
	assert_false(is_flagged(2, 2024, 6, 1)); /* more than two years ago */
	assert_false(is_flagged(3, 2024, 6, 1)); /* looked after */
	assert_false(is_flagged(4, 2024, 6, 1)); /* 16 */
	assert_true(is_flagged(4, 2025, 1, 1));  /* 17 on 1 January 2025 */
	assert_false(is_flagged(4, 2024, 12, 31));
	assert_false(is_flagged(5, 2024, 6, 1)); /* no case */
	assert_true(is_flagged(6, 2024, 6, 1));  /* the day before 18 */
	assert_false(is_flagged(6, 2024, 6, 2)); /* 18 */
	/* two years to the day */
	assert_true(is_flagged(1, 2025, 1, 10));
	assert_false(is_flagged(1, 2025, 1, 11));
	struct actor a = sw(2024, 6, 1);
	struct transition_flag f;
	assert_int_equal(transition_flag(conn, &a, 99, arena, &f),
			 ERR_NOTFOUND);
}

static void plan_handover_and_l02(void **state)
{
	(void)state;
	struct actor a = sw(2024, 6, 1);
	struct transition_input in = {"Synthetic: Ann Adult, social worker",
				      "Synthetic: adult social care team",
				      "Synthetic: careers advice and a "
				      "personal adviser", NULL};
	struct field_errors e = {0};
	int64_t before = written();
	/* not flagged: refused on "child" */
	assert_int_equal(transition_save(conn, &a, NULL, 2, &in, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "child"));
	assert_int_equal(written(), before);
	/* bad input */
	struct transition_input bad = in;
	bad.support = "";
	bad.handover_on = "2099-01-01";
	memset(&e, 0, sizeof(e));
	assert_int_equal(transition_save(conn, &a, NULL, 1, &bad, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "support"));
	assert_non_null(fe_for(&e, "handover_on"));
	bad = in;
	bad.handover_on = "2023-12-01"; /* before 17 */
	memset(&e, 0, sizeof(e));
	assert_int_equal(transition_save(conn, &a, NULL, 1, &bad, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "handover_on"));
	assert_int_equal(written(), before);
	/* the plan: L03 from the 17th birthday, due on the 18th */
	memset(&e, 0, sizeof(e));
	assert_int_equal(transition_save(conn, &a, NULL, 1, &in, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L03' AND subject = 'transition' AND child_id = 1"
			       " AND due_at = '2025-01-15' AND met_at IS NULL"),
			 1);
	/* after 18 the plan is still theirs to finish */
	a = sw(2025, 2, 1);
	assert_false(is_flagged(1, 2025, 2, 1));
	in.handover_on = "2025-01-20";
	memset(&e, 0, sizeof(e));
	assert_int_equal(transition_save(conn, &a, NULL, 1, &in, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM due_item WHERE rule ="
			       " 'L03' AND child_id = 1 AND met_at IS NOT NULL"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'transition' AND child_id = 1"), 2);
	struct transition t;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(transition_read(conn, &a, 1, arena, &t), ERR_OK);
	db_rollback(conn);
	assert_string_equal(t.handover_on, "2025-01-20");
	assert_string_equal(t.starts_on, "2024-01-15");
	/* kept == rebuilt */
	struct actor sys = actor_system("aaa", a.now);
	int64_t made = 0, changed = -1;
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &sys, NULL, &made, &changed),
			 ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(changed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(who_is_flagged),
		cmocka_unit_test(plan_handover_and_l02),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
