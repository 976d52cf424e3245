/* due_test.c: the timescale engine.  The rules' arithmetic (R01, R02,
 * R14), each status around the due time, a per-council setting, a
 * recurring rule (from a test table), and the items kept through the
 * front door's writes agreeing with a rebuild from the records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "auth/role.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "domain/actor.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/err.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "rules/uktime.h"

static char path[128];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

static struct cal_date D(int y, int m, int d)
{
	return (struct cal_date){y, m, d};
}

static struct cal_time T(int y, int m, int d, int hh, int mm)
{
	return (struct cal_time){{y, m, d}, hh, mm};
}

/* An actor of council aaa at a UK civil time. */
static struct actor at(struct cal_time civil)
{
	struct actor a = actor_system("aaa", uk_to_instant(civil));
	a.request_id = "due-test";
	return a;
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "due");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	testdb_exec(path,
		"INSERT INTO council (council, name) VALUES ('aaa', 'A');"
		"INSERT INTO team (council, team_id, name) VALUES ('aaa', 1, 'T');"
		"INSERT INTO app_user (council, user_id, username, display_name,"
		" role, pw_hash, created_at) VALUES ('aaa', 2, 'sw', 'S W',"
		" 'social-worker', 'x', 't');");
	for (int i = 1; i <= 6; i++) {
		char sql[400];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO child (council, child_id, la_ref,"
			 " given_name, family_name, given_key, family_key,"
			 " created_at, created_by, updated_at) VALUES ('aaa',"
			 " %d, 'R%d', 'Test', 'Child%d', 'T', 'C', 't', 1,"
			 " 't');", i, i, i);
		testdb_exec(path, sql);
	}
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	arena = arena_new(16u << 20);
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

static void rules_are_data(void **state)
{
	(void)state;
	size_t n;
	const struct due_rule *v = due_rules(&n);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		/* ids as in ../shared/domain/timescales.csv, or a local
		 * rule's (Lnn: no national figure, so a setting), in order */
		assert_int_equal(strlen(v[i].id), 3);
		assert_true(v[i].id[0] == 'R' || v[i].id[0] == 'L');
		if (v[i].id[0] == 'L')
			assert_non_null(v[i].setting);
		if (i)
			assert_true(strcmp(v[i - 1].id, v[i].id) < 0);
		assert_true(strlen(v[i].what) > 0);
		if (v[i].kind == DUE_DEADLINE)
			assert_non_null(v[i].source);
	}
	assert_int_equal(due_rule("R02")->count, 45);
	assert_null(due_rule("R99"));
	assert_string_equal(due_rule_label("R01"), "Decision on a contact");
	assert_string_equal(due_rule_label("nope"), "Timescale");
}

/* R01: the same clock time on the next working day; R02: 45 working
 * days; over Easter 2023 (Good Friday 7 April, Easter Monday 10 April). */
static void arithmetic(void **state)
{
	(void)state;
	struct cal *cal = cal_new(CAL_DAY0);
	assert_int_equal(cal_add_holiday(cal, D(2023, 4, 7)), 0);
	assert_int_equal(cal_add_holiday(cal, D(2023, 4, 10)), 0);
	const struct due_rule *r01 = due_rule("R01"), *r02 = due_rule("R02");
	char s[17];
	cal_time_format(due_compute(r01, cal, T(2023, 4, 6, 16, 30), 1), s);
	assert_string_equal(s, "2023-04-11T16:30");
	cal_time_format(due_compute(r01, NULL, T(2023, 4, 6, 16, 30), 1), s);
	assert_string_equal(s, "2023-04-07T16:30"); /* weekends only */
	struct cal_time d = due_compute(r02, cal, T(2023, 4, 6, 9, 0), 45);
	cal_date_format(d.date, s);
	/* 45 working days from Thursday 6 April 2023, Easter and the two
	 * May bank holidays not in this calendar: 12 June */
	assert_string_equal(s, "2023-06-12");
	assert_int_equal(d.hh, 0);
	assert_int_equal(cal_working_days_between(cal, D(2023, 4, 6), d.date),
			 45);
	/* the engine and the front door's R02 are the same arithmetic */
	struct cal_date rd = referral_assessment_due(cal, D(2023, 4, 6));
	assert_int_equal(cal_compare(rd, d.date), 0);
	cal_free(cal);
}

/* R14: within 12 months; the same day a year earlier counts, the day
 * before does not; 29 February looks back to 28 February. */
static void r14_window(void **state)
{
	(void)state;
	const struct due_rule *r = due_rule("R14");
	assert_int_equal(r->kind, DUE_INDICATOR);
	assert_true(due_within(r, D(2024, 3, 15), D(2023, 3, 15)));
	assert_false(due_within(r, D(2024, 3, 15), D(2023, 3, 14)));
	assert_true(due_within(r, D(2024, 2, 29), D(2023, 2, 28)));
	assert_false(due_within(r, D(2024, 2, 29), D(2023, 2, 27)));
	assert_false(due_within(r, D(2024, 3, 15), D(2024, 3, 16)));
	assert_true(referral_is_rereferral(D(2024, 3, 15), D(2023, 3, 15)));
}

/* The status of subject 1's R01 item as of civil time t. */
static enum due_status status_at(struct cal_time t, int64_t subject)
{
	struct actor a = at(t);
	struct due_filter f = {0};
	f.limit = 100;
	struct due_row *v;
	int n;
	bool more;
	assert_int_equal(due_list(conn, &a, &f, arena, &v, &n, &more), ERR_OK);
	for (int i = 0; i < n; i++)
		if (v[i].subject_id == subject)
			return v[i].status;
	fail_msg("no item for subject %lld", (long long)subject);
	return DUE_DUE;
}

static void statuses_around_the_due_time(void **state)
{
	(void)state;
	testdb_exec(path, "DELETE FROM due_item");
	struct actor a = at(T(2026, 6, 1, 9, 0)); /* Monday */
	struct cal_time due;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_start(conn, &a, "R01", NULL, "contact", 1, 1,
				   T(2026, 6, 1, 9, 0), &due), ERR_OK);
	assert_int_equal(due_start(conn, &a, "R01", NULL, "contact", 2, 2,
				   T(2026, 6, 1, 9, 0), NULL), ERR_OK);
	/* a rule on the wrong kind of record is refused */
	assert_int_equal(due_start(conn, &a, "R01", NULL, "referral", 3, 3,
				   T(2026, 6, 1, 9, 0), NULL), ERR_INVALID);
	assert_int_equal(db_commit(conn), DB_OK);
	char s[17];
	cal_time_format(due, s);
	assert_string_equal(s, "2026-06-02T09:00");
	assert_int_equal(status_at(T(2026, 6, 1, 10, 0), 1), DUE_DUE);
	assert_int_equal(status_at(T(2026, 6, 2, 5, 0), 1), DUE_SOON);
	assert_int_equal(status_at(T(2026, 6, 2, 9, 0), 1), DUE_SOON);
	assert_int_equal(status_at(T(2026, 6, 2, 9, 1), 1), DUE_OVERDUE);
	/* met at the due time: on time; a minute after: late */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_meet(conn, &a, "R01", NULL, "contact", 1,
				  T(2026, 6, 2, 9, 0)), ERR_OK);
	assert_int_equal(due_meet(conn, &a, "R01", NULL, "contact", 2,
				  T(2026, 6, 2, 9, 1)), ERR_OK);
	/* meeting a clock that is not running changes nothing */
	assert_int_equal(due_meet(conn, &a, "R01", NULL, "contact", 2,
				  T(2026, 6, 3, 9, 1)), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(status_at(T(2026, 7, 1, 9, 0), 1), DUE_MET_ON_TIME);
	assert_int_equal(status_at(T(2026, 7, 1, 9, 0), 2), DUE_MET_LATE);
	/* the counts agree with the list */
	int64_t counts[DUE_STATUS__MAX];
	struct due_filter all = {0};
	struct actor later = at(T(2026, 7, 1, 9, 0));
	assert_int_equal(due_counts(conn, &later, &all, counts), ERR_OK);
	assert_int_equal(counts[DUE_MET_ON_TIME], 1);
	assert_int_equal(counts[DUE_MET_LATE], 1);
	assert_int_equal(counts[DUE_OVERDUE], 0);
	all.open_only = true;
	assert_int_equal(due_counts(conn, &later, &all, counts), ERR_OK);
	assert_int_equal(counts[DUE_MET_ON_TIME] + counts[DUE_MET_LATE], 0);
	/* by worker (its own statement, through due_worker): contact 2 only */
	testdb_exec(path, "UPDATE due_item SET worker_id = 7 WHERE subject ="
		    " 'contact' AND subject_id = 2");
	struct due_filter mine = {.worker_id = 7};
	assert_int_equal(due_counts(conn, &later, &mine, counts), ERR_OK);
	assert_int_equal(counts[DUE_MET_ON_TIME], 0);
	assert_int_equal(counts[DUE_MET_LATE], 1);
	mine.open_only = true;
	assert_int_equal(due_counts(conn, &later, &mine, counts), ERR_OK);
	assert_int_equal(counts[DUE_MET_LATE], 0);
	mine.worker_id = 8;
	mine.open_only = false;
	assert_int_equal(due_counts(conn, &later, &mine, counts), ERR_OK);
	assert_int_equal(counts[DUE_MET_LATE] + counts[DUE_MET_ON_TIME], 0);
	/* outside a transaction nothing is written */
	assert_int_equal(due_start(conn, &a, "R01", NULL, "contact", 9, 1,
				   T(2026, 6, 1, 9, 0), NULL), ERR_NOTX);
	/* the filters: open only, by status */
	struct due_filter f = {0};
	f.limit = 10;
	f.statuses = 1u << DUE_MET_LATE;
	struct due_row *v;
	int n;
	bool more;
	assert_int_equal(due_list(conn, &a, &f, arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].subject_id, 2);
	assert_string_equal(v[0].child_name, "Test Child2");
	f.statuses = 0;
	f.open_only = true;
	assert_int_equal(due_list(conn, &a, &f, arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 0);
}

/* A dated rule is overdue the day after its due date, not on it. */
static void dated_rule_overdue_the_day_after(void **state)
{
	(void)state;
	testdb_exec(path, "DELETE FROM due_item");
	struct actor a = at(T(2026, 6, 1, 9, 0));
	struct cal_time due;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_start(conn, &a, "R02", NULL, "referral", 7, 1,
				   T(2026, 6, 1, 0, 0), &due), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	char s[11];
	cal_date_format(due.date, s);
	assert_string_equal(s, "2026-08-03"); /* 45 weekdays on */
	assert_int_equal(status_at(T(2026, 7, 20, 9, 0), 7), DUE_DUE);
	assert_int_equal(status_at(T(2026, 7, 30, 9, 0), 7), DUE_SOON);
	assert_int_equal(status_at(T(2026, 8, 3, 23, 59), 7), DUE_SOON);
	assert_int_equal(status_at(T(2026, 8, 4, 0, 0), 7), DUE_OVERDUE);
}

/* A rule with a per-council setting and a recurrence, from a test table:
 * visits every N working days while the plan is open (R11's shape). */
static const struct db_stmt src_none = {
	"due_test_src", "SELECT 1, 1, 1, NULL, NULL, NULL, NULL WHERE 0 AND"
	" ?1 IS NOT NULL", DB_ROLE_SYSTEM,
};
static const struct due_rule test_rules[] = {
	{"R11", DUE_DEADLINE, "Visit to a child on a plan", "plan",
	 "The plan starts", "A visit", 10, DUE_WORKING_DAYS, false, 10, 2,
	 "r11_visit_working_days", &src_none, NULL, NULL, false, false},
};

static void setting_and_recurrence(void **state)
{
	(void)state;
	due_rules_use(test_rules, 1);
	testdb_exec(path, "DELETE FROM due_item");
	struct actor a = at(T(2026, 6, 1, 9, 0));
	const struct due_rule *r = due_rule("R11");
	assert_int_equal(due_count(conn, "aaa", r), 10);
	testdb_exec(path, "INSERT INTO setting (council, key, value) VALUES"
			  " ('aaa', 'r11_visit_working_days', '5')");
	assert_int_equal(due_count(conn, "aaa", r), 5);
	struct cal_time due;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_start(conn, &a, "R11", NULL, "plan", 1, 4,
				   T(2026, 6, 1, 0, 0), &due), ERR_OK);
	assert_int_equal(due_assign(conn, &a, "plan", 1, 2, 1), ERR_OK);
	/* a visit on the 4th: the next is due 10 working days later */
	assert_int_equal(due_meet(conn, &a, "R11", NULL, "plan", 1,
				  T(2026, 6, 4, 15, 0)), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	char s[11];
	cal_date_format(due.date, s);
	assert_string_equal(s, "2026-06-08"); /* the council's 5 */
	struct due_filter f = {0};
	f.limit = 10;
	f.worker_id = 2;
	struct due_row *v;
	int n;
	bool more;
	assert_int_equal(due_list(conn, &a, &f, arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 2);
	/* unmet first */
	assert_int_equal(v[0].seq, 2);
	assert_string_equal(v[0].started_at, "2026-06-04");
	assert_string_equal(v[0].due_at, "2026-06-18");
	assert_int_equal(v[0].worker_id, 2); /* kept from the first */
	assert_int_equal(v[1].status, DUE_MET_ON_TIME);
	/* a setting that is not a count is ignored */
	testdb_exec(path, "UPDATE setting SET value = 'five' WHERE key ="
			  " 'r11_visit_working_days'");
	assert_int_equal(due_count(conn, "aaa", r), 10);
	due_rules_use(NULL, 0);
	testdb_exec(path, "DELETE FROM due_item; DELETE FROM setting");
}

/* Chains (due.c): each subject's events, in order, become occurrences.
 * Rule "R11" here: from the subject's start, a day's events one
 * (DUE_CHAIN_HEAD | DUE_CHAIN_DAYS); "R10": from the first event, every
 * event one.  Subjects: 1 open, events on the 3rd (twice) and 10th; 2
 * ended, none; 3 ended after one on the 5th; 7 (R10) open, events on
 * the 2nd (twice) and 9th. */
#define CHAIN_ROW(S, C, END, START, DAY, ORD)                               \
	"SELECT " S ", " C ", " END ", " START ", " DAY ", NULL, NULL, NULL, " \
	ORD " WHERE CAST(?1 AS TEXT) IS NOT NULL"
static const struct db_stmt src_chain_head = {
	"due_test_chain_head",
	"SELECT * FROM (" CHAIN_ROW("1", "4", "NULL", "'2026-06-01'",
				     "'2026-06-10'", "3")
	" UNION ALL " CHAIN_ROW("1", "4", "NULL", "'2026-06-01'",
				"'2026-06-03'", "1")
	" UNION ALL " CHAIN_ROW("1", "4", "NULL", "'2026-06-01'",
				"'2026-06-03'", "2")
	" UNION ALL " CHAIN_ROW("2", "5", "'2026-06-20'", "'2026-06-01'",
				"NULL", "1")
	" UNION ALL " CHAIN_ROW("3", "6", "'2026-06-20'", "'2026-06-01'",
				"'2026-06-05'", "1")
	") t ORDER BY 1, 9",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt src_chain_events = {
	"due_test_chain_events",
	"SELECT * FROM (" CHAIN_ROW("7", "8", "NULL", "NULL", "'2026-06-02'",
				     "1")
	" UNION ALL " CHAIN_ROW("7", "8", "NULL", "NULL", "'2026-06-09'", "3")
	" UNION ALL " CHAIN_ROW("7", "8", "NULL", "NULL", "'2026-06-02'", "2")
	") t ORDER BY 1, 9",
	DB_ROLE_SYSTEM,
};
static const struct due_rule chain_rules[] = {
	{"R10", DUE_DEADLINE, "Review", "plan", "A review", "The next", 6,
	 DUE_MONTHS, false, 6, 14, NULL, &src_chain_events, NULL, NULL, false,
	 DUE_CHAIN},
	{"R11", DUE_DEADLINE, "Visit", "plan", "The plan starts", "A visit",
	 10, DUE_WORKING_DAYS, false, 10, 2, NULL, &src_chain_head, NULL,
	 NULL, false, DUE_CHAIN | DUE_CHAIN_HEAD | DUE_CHAIN_DAYS},
};
static const struct db_stmt st_chain_items = {
	"due_test_chain_items",
	"SELECT rule || ' ' || subject_id || ' ' || seq || ' ' || started_at"
	" || ' ' || COALESCE(met_at, 'open') FROM due_item"
	" WHERE council = ?1 ORDER BY rule, subject_id, seq",
	DB_ROLE_SYSTEM,
};

static void chains(void **state)
{
	(void)state;
	due_rules_use(chain_rules, 2);
	testdb_exec(path, "DELETE FROM due_item");
	struct actor a = at(T(2026, 6, 30, 9, 0));
	struct cal *cal = cal_new(CAL_DAY0);
	int64_t n = 0, changed = 0;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &a, cal, &n, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	static const char *const want[] = {
		"R10 7 1 2026-06-02 2026-06-02", /* the same day's second */
		"R10 7 2 2026-06-02 2026-06-09",
		"R10 7 3 2026-06-09 open",
		"R11 1 1 2026-06-01 2026-06-03",
		"R11 1 2 2026-06-03 2026-06-10", /* one day, two visits */
		"R11 1 3 2026-06-10 open",
		/* 2: ended, never met: nothing */
		"R11 3 1 2026-06-01 2026-06-05", /* ended: no open one */
	};
	size_t k = 0;
	struct db_q *q;
	int rc;
	for (rc = db_exec(conn, &st_chain_items, &q, "aaa"); rc == DB_ROW;
	     rc = db_step(q)) {
		assert_true(k < sizeof(want) / sizeof(want[0]));
		assert_string_equal(db_col_text(q, 0), want[k]);
		k++;
	}
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
	assert_int_equal(n, (int64_t)k);
	/* made again: the same, nothing written */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &a, cal, &n, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(changed, 0);
	cal_free(cal);
	due_rules_use(NULL, 0);
	testdb_exec(path, "DELETE FROM due_item");
}

/* The items the front door keeps as it writes are exactly those a
 * rebuild makes from the records; the timeliness counts follow them. */
static void kept_equals_rebuilt(void **state)
{
	(void)state;
	testdb_exec(path, "DELETE FROM due_item");
	struct cal *cal = cal_new(CAL_DAY0);
	db_set_role(conn, RB(ROLE_FRONT_DOOR));
	struct contact_input in = {
		.source = "2A", .referrer_name = "A Teacher",
		.referrer_org = "School", .received_at = "2026-03-27T10:00",
		.worry = "Synthetic worry.", .family_consent = "agreed",
	};
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		in.received_at = i < 2 ? "2026-03-27T10:00" : "2026-03-28T23:30";
		struct actor b = at(T(2026, 3, 29, 12, 0));
		b.user_id = 1;
		assert_int_equal(contact_record(conn, &b, cal, 1 + i, &in,
						&ids[i], NULL), ERR_OK);
	}
	/* decide two: one on time, one late (opens a referral) */
	struct contact_decision_input d1 = {"nfa", "Synthetic reasons.", NULL};
	struct contact_decision_input d2 = {"referral", "Synthetic reasons.", NULL};
	struct actor b = at(T(2026, 3, 30, 9, 0));
	assert_int_equal(contact_decide(conn, &b, cal, ids[0], &d1, NULL,
					NULL), ERR_OK);
	b = at(T(2026, 4, 2, 9, 0));
	int64_t rid = 0;
	assert_int_equal(contact_decide(conn, &b, cal, ids[2], &d2, &rid,
					NULL), ERR_OK);
	assert_true(rid > 0);
	assert_int_equal(referral_allocate(conn, &b, rid, 1, 2, NULL), ERR_OK);
	db_set_role(conn, DB_ROLE_SYSTEM);
	/* a snapshot of what was kept */
	char kept[4096] = "";
	struct due_filter f = {0};
	f.limit = 100;
	struct due_row *v;
	int n;
	bool more;
	assert_int_equal(due_list(conn, &b, &f, arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 6); /* four R01, one R02, one R05 */
	for (int i = 0; i < n; i++) {
		char line[200];
		snprintf(line, sizeof(line), "%s/%s/%lld/%d/%lld/%s/%s/%s/%lld/"
			 "%lld\n", v[i].rule, v[i].subject,
			 (long long)v[i].subject_id, v[i].seq,
			 (long long)v[i].child_id, v[i].started_at, v[i].due_at,
			 v[i].met_at, (long long)v[i].worker_id,
			 (long long)v[i].team_id);
		strcat(kept, line);
	}
	assert_non_null(strstr(kept, "R02/referral/"));
	assert_non_null(strstr(kept, "/2026-04-02T09:00/"));
	int64_t made = 0, changed = -1;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &b, cal, &made, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(made, 6);
	assert_int_equal(changed, 0); /* nothing to correct */
	/* a wrong, a missing and a stray item are put right */
	testdb_exec(path, "UPDATE due_item SET due_at = '2000-01-01T00:00'"
			  " WHERE rule = 'R01' AND subject_id = 1;"
			  "DELETE FROM due_item WHERE rule = 'R02';"
			  "INSERT INTO due_item (council, rule, subject,"
			  " subject_id, seq, child_id, started_at, due_at,"
			  " soon_at) VALUES ('aaa', 'R01', 'contact', 99, 1, 1,"
			  " 'x', 'x', 'x'), ('aaa', 'R77', 'thing', 1, 1, 1,"
			  " 'x', 'x', 'x');");
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(due_rebuild(conn, &b, cal, &made, &changed), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(changed, 4);
	char again[4096] = "";
	assert_int_equal(due_list(conn, &b, &f, arena, &v, &n, &more), ERR_OK);
	for (int i = 0; i < n; i++) {
		char line[200];
		snprintf(line, sizeof(line), "%s/%s/%lld/%d/%lld/%s/%s/%s/%lld/"
			 "%lld\n", v[i].rule, v[i].subject,
			 (long long)v[i].subject_id, v[i].seq,
			 (long long)v[i].child_id, v[i].started_at, v[i].due_at,
			 v[i].met_at, (long long)v[i].worker_id,
			 (long long)v[i].team_id);
		strcat(again, line);
	}
	assert_string_equal(kept, again);
	/* timeliness: March's R01 items (due 30 March) and April's */
	struct due_period *p;
	int np;
	assert_int_equal(due_timeliness(conn, &b, D(2026, 3, 1),
					D(2026, 4, 30), arena, &p, &np),
			 ERR_OK);
	assert_true(np >= 1);
	int64_t on_time = 0, late = 0, overdue = 0;
	for (int i = 0; i < np; i++)
		if (strcmp(p[i].rule, "R01") == 0) {
			on_time += p[i].on_time;
			late += p[i].late;
			overdue += p[i].overdue;
		}
	assert_int_equal(on_time, 1);
	assert_int_equal(late, 1);
	assert_int_equal(overdue, 2);
	cal_free(cal);
}

/* `cairn init` on a database from before the engine (schema 4) makes
 * the items from the records already there. */
static void init_makes_items_for_an_older_database(void **state)
{
	(void)state;
	char p2[128];
	testdb_path(p2, sizeof(p2), "due-old");
	testdb_remove(p2);
	struct db *d2;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(p2, &o, &d2, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(d2);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate_to(c, 4, &from, &to), DB_OK);
	testdb_exec(p2,
		"INSERT INTO council (council, name) VALUES ('old', 'O');"
		"INSERT INTO child (council, child_id, la_ref, given_name,"
		" family_name, given_key, family_key, created_at, created_by,"
		" updated_at) VALUES ('old', 1, 'R1', 'A', 'B', 'A', 'B', 't',"
		" 1, 't');"
		"INSERT INTO contact (council, contact_id, child_id, received_at,"
		" source, referrer_name, worry, due_at, created_at, created_by,"
		" decision, decided_at) VALUES ('old', 1, 1, '2026-06-01T09:00',"
		" '2A', 'X', 'W', '2026-06-02T09:00', 't', 1, 'nfa',"
		" '2026-06-03T09:00');"
		"INSERT INTO referral (council, referral_id, child_id,"
		" referral_date, source, created_at, created_by) VALUES"
		" ('old', 1, 1, '2026-06-01', '2A', 't', 1);");
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	assert_int_equal(from, 4);
	assert_int_equal(cli_due_rebuild_all(c, uk_clock_now(), from), ERR_OK);
	/* R01, R02 and R05 */
	assert_int_equal(testdb_count(p2, "SELECT count(*) FROM due_item"), 3);
	/* and the chronology: the contact, its decision, the referral */
	assert_int_equal(testdb_count(p2, "SELECT count(*) FROM chronology"), 3);
	assert_int_equal(testdb_count(p2, "SELECT count(*) FROM chronology"
				      " WHERE kind = 'decision' AND summary ="
				      " 'Decision on the contact: No further"
				      " action'"), 1);
	assert_int_equal(testdb_count(p2, "SELECT count(*) FROM due_item"
				      " WHERE rule = 'R01' AND met_at ="
				      " '2026-06-03T09:00' AND due_at ="
				      " '2026-06-02T09:00'"), 1);
	db_release(d2, c);
	db_close(d2);
	testdb_remove(p2);
}

/* The chronology's order, read from the index by occurred and put in
 * order per day in C: oldest first is by day, then the entries with a
 * time by time (the same minute by id), then those dated only; newest
 * first is its exact reverse; a limit may cut inside a day. */
static void chronology_order(void **state)
{
	(void)state;
	static const struct {
		const char *at;
		const char *kind;
	} notes[] = {
		{"2024-03-01T10:00", "contact"},  /* a: id 1 */
		{"2024-03-01", "referral"},       /* b */
		{"2024-03-01T09:00", "contact"},  /* c */
		{"2024-03-01T10:00", "decision"}, /* d: a's minute, later id */
		{"2024-03-02", "referral"},       /* e */
		{"2024-03-02T08:00", "contact"},  /* f */
		{"2024-02-28T16:30", "contact"},  /* g */
	};
	struct cal_time now = {{2024, 3, 5}, 12, 0};
	struct actor act = at(now);
	int64_t id[7];
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	for (int i = 0; i < 7; i++) {
		struct cal_time t = {{0, 0, 0}, 0, 0};
		size_t n = strlen(notes[i].at);
		bool timed = n > 10;
		assert_true(timed ? cal_time_parse(notes[i].at, n, &t)
				  : cal_date_parse(notes[i].at, n, &t.date));
		assert_int_equal(chron_note(conn, &act, 6, t, timed,
					    notes[i].kind, "Synthetic entry",
					    NULL, 0), ERR_OK);
	}
	assert_int_equal(db_commit(conn), DB_OK);
	/* the ids in the order they were noted */
	struct chron_filter all = {NULL, NULL, NULL, 100, false};
	struct chron_entry *v;
	int n;
	bool more;
	assert_int_equal(chron_list(conn, &act, 6, &all, arena, &v, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 7);
	assert_false(more);
	for (int i = 0; i < 7; i++)
		for (int j = 0; j < 7; j++)
			if (strcmp(v[j].occurred, notes[i].at) == 0 &&
			    strcmp(v[j].kind, notes[i].kind) == 0)
				id[i] = v[j].entry_id;
	/* oldest first: g; c, a, d, b; f, e */
	const int oldest[7] = {6, 2, 0, 3, 1, 5, 4};
	for (int i = 0; i < 7; i++)
		assert_int_equal(v[i].entry_id, id[oldest[i]]);
	/* newest first: the reverse */
	struct chron_filter nf = {NULL, NULL, NULL, 100, true};
	assert_int_equal(chron_list(conn, &act, 6, &nf, arena, &v, &n, &more),
			 ERR_OK);
	for (int i = 0; i < 7; i++)
		assert_int_equal(v[i].entry_id, id[oldest[6 - i]]);
	/* a limit inside a day: the first of the right order, and more */
	struct chron_filter two = {NULL, NULL, NULL, 2, false};
	assert_int_equal(chron_list(conn, &act, 6, &two, arena, &v, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	assert_int_equal(v[0].entry_id, id[6]);
	assert_int_equal(v[1].entry_id, id[2]);
	struct chron_filter three = {NULL, NULL, NULL, 3, true};
	assert_int_equal(chron_list(conn, &act, 6, &three, arena, &v, &n,
				    &more), ERR_OK);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_int_equal(v[0].entry_id, id[4]);
	assert_int_equal(v[1].entry_id, id[5]);
	assert_int_equal(v[2].entry_id, id[1]);
	/* filters: a kind, a period */
	struct chron_filter refs = {"referral", NULL, NULL, 100, false};
	assert_int_equal(chron_list(conn, &act, 6, &refs, arena, &v, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].entry_id, id[1]);
	struct chron_filter day = {NULL, "2024-03-01", "2024-03-01", 100, true};
	assert_int_equal(chron_list(conn, &act, 6, &day, arena, &v, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].entry_id, id[1]);
	assert_int_equal(v[3].entry_id, id[2]);
	/* a child with none */
	assert_int_equal(chron_list(conn, &act, 5, &all, arena, &v, &n, &more),
			 ERR_OK);
	assert_int_equal(n, 0);
	assert_false(more);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_are_data),
		cmocka_unit_test(arithmetic),
		cmocka_unit_test(r14_window),
		cmocka_unit_test(statuses_around_the_due_time),
		cmocka_unit_test(dated_rule_overdue_the_day_after),
		cmocka_unit_test(setting_and_recurrence),
		cmocka_unit_test(chains),
		cmocka_unit_test(kept_equals_rebuilt),
		cmocka_unit_test(init_makes_items_for_an_older_database),
		cmocka_unit_test(chronology_order),
	};
	return cmocka_run_group_tests_name("due", tests, setup, teardown);
}
