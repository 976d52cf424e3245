/* referral_test.c: contacts (R01 due times, validation, one decision,
 * the queue, late flags), referrals (R14 re-referrals, allocation) and
 * the audit rows each read and write leaves, against a temporary SQLite
 * database with synthetic rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "child/child.h"
#include "domain/due.h"
#include "referral/backfill.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "rules/uktime.h"

static char path[64];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

/* ---- fixtures -------------------------------------------------------- */

static void rm_db(void)
{
	testdb_remove(path);
}

static void exec_sql(const char *sql)
{
	testdb_exec(path, sql);
}

static int64_t count_sql(const char *sql)
{
	return testdb_count(path, sql);
}

static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO team (council, team_id, name) VALUES"
	" ('aaa', 1, 'Assessment Team 1'), ('aaa', 2, 'Assessment Team 2'),"
	" ('bbb', 1, 'B Team'), ('bbb', 3, 'B Team 3');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 1, 'fd.one', 'Fay Door', 'front-door', NULL, 'x', 0, 't'),"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', 2, 'x', 0, 't'),"
	" ('aaa', 4, 'sw.four', 'Dee Sabled', 'social-worker', 1, 'x', 1, 't'),"
	" ('aaa', 5, 'pa.five', 'Pat Partner', 'partner', NULL, 'x', 0, 't'),"
	" ('aaa', 7, 'sw.seven', 'Noa Team', 'social-worker', NULL, 'x', 0, 't'),"
	" ('bbb', 1, 'b.fd', 'Bea Door', 'front-door', NULL, 'x', 0, 't'),"
	" ('bbb', 6, 'b.sw', 'Bo Worker', 'social-worker', 1, 'x', 0, 't');";

static void add_child(const char *council, int id)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO child (council, child_id, la_ref, given_name,"
		 " family_name, given_key, family_key, created_at, created_by,"
		 " updated_at) VALUES ('%s', %d, 'REF%d', 'Testchild', 'No%d',"
		 " 'T', 'N', 't', 1, 't');", council, id, id, id);
	exec_sql(sql);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "referraltest");
	rm_db();
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	exec_sql(fixture);
	/* each council's audit chain starts with its genesis row */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	for (int i = 1; i <= 8; i++)
		add_child("aaa", i);
	add_child("bbb", 1);
	add_child("bbb", 9);
	arena = arena_new(8u << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	db_release(db, conn);
	db_close(db);
	rm_db();
	return 0;
}

/* The actor, and the connection acting for its role. */
static struct actor as(const char *council, int64_t user_id, enum role r)
{
	db_set_role(conn, RB(r));
	struct actor ev = {
		.council = council, .user_id = user_id, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	return ev;
}

/* w acting at instant now (a copy; a few may be alive at once). */
static const struct actor *at(const struct actor *w, int64_t now)
{
	static struct actor ring[8];
	static unsigned k;
	struct actor *p = &ring[k++ % 8];
	*p = *w;
	actor_at(p, now);
	return p;
}

/* Seconds since the epoch of a UTC civil time. */
static int64_t utc(int y, int m, int d, int hh, int mm)
{
	struct cal_time t = {{y, m, d}, hh, mm};
	return cal_minutes(t) * 60;
}

static struct cal *easter_cal(enum cal_convention conv)
{
	struct cal *c = cal_new(conv);
	struct cal_date gf = {2023, 4, 7}, em = {2023, 4, 10};
	assert_int_equal(cal_add_holiday(c, gf), 0);
	assert_int_equal(cal_add_holiday(c, em), 0);
	return c;
}

static struct contact_input input(const char *received)
{
	struct contact_input in = {
		.source = "2A", .referrer_name = "Ms Example Teacher",
		.referrer_org = "Example Primary School",
		.received_at = received,
		.worry = "Synthetic worry: the child said they were hungry.",
		.referrer_phone = "01632 960 001",
		.referrer_email = "teacher@example.org",
		.family_consent = "agreed",
	};
	return in;
}

/* Records a contact (as front door in aaa) and returns its id. */
static int64_t record(int64_t child, const char *received, int64_t now,
		      const struct cal *cal)
{
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct contact_input in = input(received);
	int64_t id = 0;
	struct field_errors e = {0};
	int rc = contact_record(conn, at(&w, now), cal, child, &in, &id, &e);
	if (rc != 0)
		fail_msg("record: %s %s", err_name(rc),
			 e.n ? e.v[0].msg : "");
	return id;
}

static int decide(int64_t contact, const char *decision, int64_t now,
		  int64_t *rid, struct field_errors *e)
{
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	/* a reason for a second referral, used only when one is open */
	struct contact_decision_input in = {decision,
					    "Synthetic threshold reasoning.",
					    "Synthetic: a second referral."};
	return contact_decide(conn, at(&w, now), NULL, contact, &in, rid, e);
}

static int64_t audits(const char *action, const char *entity)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit WHERE council = 'aaa' AND"
		 " action = '%s' AND entity = '%s'", action, entity);
	return count_sql(sql);
}

/* ---- time ------------------------------------------------------------ */

static void uk_time_follows_bst(void **state)
{
	(void)state;
	char s[17];
	/* 2023: BST from 26 March 01:00 UTC to 29 October 01:00 UTC */
	cal_time_format(uk_civil(utc(2023, 3, 26, 0, 59)), s);
	assert_string_equal(s, "2023-03-26T00:59");
	cal_time_format(uk_civil(utc(2023, 3, 26, 1, 0)), s);
	assert_string_equal(s, "2023-03-26T02:00");
	cal_time_format(uk_civil(utc(2023, 10, 29, 0, 59)), s);
	assert_string_equal(s, "2023-10-29T01:59");
	cal_time_format(uk_civil(utc(2023, 10, 29, 1, 0)), s);
	assert_string_equal(s, "2023-10-29T01:00");
	cal_time_format(uk_civil(utc(2024, 1, 15, 12, 0)), s);
	assert_string_equal(s, "2024-01-15T12:00");
	/* summer evening UTC is the next day in England */
	cal_time_format(uk_civil(utc(2023, 6, 1, 23, 30)), s);
	assert_string_equal(s, "2023-06-02T00:30");
}

static void due_text_wording(void **state)
{
	(void)state;
	char s[64];
	struct cal_time now = {{2023, 4, 11}, 9, 0};
	struct cal_time due = {{2023, 4, 11}, 12, 30};
	assert_false(contact_due_text(now, due, s, sizeof(s)));
	assert_string_equal(s, "due in 3 hours");
	due = (struct cal_time){{2023, 4, 11}, 7, 0};
	assert_true(contact_due_text(now, due, s, sizeof(s)));
	assert_string_equal(s, "overdue by 2 hours");
	due = (struct cal_time){{2023, 4, 11}, 9, 1};
	assert_false(contact_due_text(now, due, s, sizeof(s)));
	assert_string_equal(s, "due in 1 minute");
	due = (struct cal_time){{2023, 4, 8}, 9, 0};
	assert_true(contact_due_text(now, due, s, sizeof(s)));
	assert_string_equal(s, "overdue by 3 days");
	assert_false(contact_due_text(now, now, s, sizeof(s)));
	assert_string_equal(s, "due now");
	char d[32];
	cal_words("2023-04-06T09:05", d);
	assert_string_equal(d, "6 April 2023 at 09:05");
}

/* ---- recording ------------------------------------------------------- */

static void due_at_over_easter_both_conventions(void **state)
{
	(void)state;
	struct cal *day0 = easter_cal(CAL_DAY0), *day1 = easter_cal(CAL_DAY1);
	int64_t now = utc(2023, 4, 12, 9, 0);
	struct {
		const char *received;
		const char *due0;
		const char *due1;
	} cases[] = {
		/* Thursday before Good Friday: Fri 7 and Mon 10 are bank
		 * holidays, so one working day later is Tuesday 11 (R01).
		 * Under day 1 the Thursday itself is day 1. */
		{"2023-04-06T10:00", "2023-04-11T10:00", "2023-04-06T10:00"},
		/* received on Good Friday (not a working day) */
		{"2023-04-07T09:15", "2023-04-11T09:15", "2023-04-11T09:15"},
		/* received on Saturday */
		{"2023-04-08T20:00", "2023-04-11T20:00", "2023-04-11T20:00"},
		/* Wednesday: an ordinary working day follows */
		{"2023-04-05T16:00", "2023-04-06T16:00", "2023-04-05T16:00"},
	};
	struct arena *a = arena;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct contact k;
		struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
		int64_t id = record(1, cases[i].received, now, day0);
		assert_int_equal(contact_read(conn, at(&w, now), id, a, &k), 0);
		assert_string_equal(k.received_at, cases[i].received);
		assert_string_equal(k.due_at, cases[i].due0);
		id = record(1, cases[i].received, now, day1);
		assert_int_equal(contact_read(conn, at(&w, now), id, a, &k), 0);
		assert_string_equal(k.due_at, cases[i].due1);
	}
	cal_free(day0);
	cal_free(day1);
}

static void record_refuses_bad_input(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 1, 12, 0); /* 13:00 BST */
	int64_t contacts = count_sql("SELECT count(*) FROM contact");
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct field_errors e = {0};
	struct contact_input in = input("2024-05-01T13:01"); /* 1 min ahead */
	in.source = "ZZ";
	in.worry = "  \n ";
	in.referrer_name = "Two\nlines";
	int64_t id = -1;
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, &id, &e),
			 ERR_INVALID);
	assert_int_equal(id, -1);
	assert_non_null(fe_for(&e, "source"));
	assert_non_null(strstr(fe_for(&e, "source"), "'ZZ'"));
	assert_non_null(fe_for(&e, "received_at"));
	assert_non_null(strstr(fe_for(&e, "received_at"),
			       "now or in the past"));
	assert_non_null(fe_for(&e, "worry"));
	assert_non_null(fe_for(&e, "referrer_name"));
	assert_null(fe_for(&e, "referrer_org"));
	/* before 2000, not a time, too long */
	struct field_errors e2 = {0};
	in = input("1999-12-31T23:59");
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL, &e2),
			 ERR_INVALID);
	assert_non_null(strstr(fe_for(&e2, "received_at"),
			       "1 January 2000"));
	struct field_errors e3 = {0};
	in = input("2024-02-30T10:00");
	char *big = arena_alloc(arena, CONTACT_WORRY_MAX + 2);
	memset(big, 'w', CONTACT_WORRY_MAX + 1);
	big[CONTACT_WORRY_MAX + 1] = '\0';
	in.worry = big;
	in.source = "";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL, &e3),
			 ERR_INVALID);
	assert_non_null(fe_for(&e3, "received_at"));
	assert_non_null(strstr(fe_for(&e3, "worry"), "20000"));
	assert_string_equal(fe_for(&e3, "source"),
			    "Select where the contact came from");
	/* exactly the limit, exactly now: accepted */
	big[CONTACT_WORRY_MAX] = '\0';
	in = input("2024-05-01T13:00");
	in.worry = big;
	in.referrer_org = "";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, &id, NULL),
			 0);
	assert_int_equal(count_sql("SELECT count(*) FROM contact"),
			 contacts + 1);
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " referrer_org IS NULL"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows + 1);
	/* no such child; another council's child: not found, nothing */
	in = input("2024-05-01T10:00");
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 99, &in, NULL,
					NULL), ERR_NOTFOUND);
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 9, &in, NULL,
					NULL), ERR_NOTFOUND);
	assert_int_equal(count_sql("SELECT count(*) FROM contact"),
			 contacts + 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows + 1);
	assert_false(db_in_tx(conn));
}

static void record_needs_the_role(void **state)
{
	(void)state;
	struct actor w = as("aaa", 5, ROLE_PARTNER);
	struct contact_input in = input("2024-05-01T10:00");
	assert_int_equal(contact_record(conn, at(&w, utc(2024, 5, 2, 9, 0)), NULL,
					1, &in, NULL, NULL),
			 ERR_DENIED);
	assert_int_equal(count_sql("SELECT count(*) FROM contact"), 0);
	/* a social worker may record but not decide */
	w = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t id;
	assert_int_equal(contact_record(conn, at(&w, utc(2024, 5, 2, 9, 0)), NULL,
					1, &in, &id, NULL), 0);
	struct contact_decision_input d = {"nfa", "Reasoning.", NULL};
	assert_int_equal(contact_decide(conn, at(&w, utc(2024, 5, 2, 9, 0)), NULL, id,
					&d, NULL, NULL), ERR_DENIED);
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " decision IS NOT NULL"), 0);
	assert_false(db_in_tx(conn));
}

/* ---- deciding -------------------------------------------------------- */

static void decide_once_only(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(1, "2024-05-01T10:00", now, NULL);
	struct field_errors e = {0};
	int64_t rid = -1;
	assert_int_equal(decide(id, "nfa", now, &rid, &e), 0);
	assert_int_equal(rid, 0);
	assert_int_equal(count_sql("SELECT count(*) FROM referral"), 0);
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct field_errors e2 = {0};
	assert_int_equal(decide(id, "referral", now + 60, &rid, &e2),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e2, "decision"));
	assert_non_null(strstr(fe_for(&e2, "decision"),
			       "No further action"));
	assert_int_equal(count_sql("SELECT count(*) FROM referral"), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " decision = 'nfa'"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	assert_false(db_in_tx(conn));
}

/* Issue 9, "who is handling it": the front-door officer who records a
 * contact handles it; a colleague may take it on (audited); taking on
 * one's own, a decided one or another council's is refused and changes
 * nothing. */
static void handling_a_contact(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(1, "2024-05-01T10:00", now, NULL);
	struct contact k;
	struct actor fd = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(contact_read(conn, at(&fd, now), id, arena, &k), 0);
	assert_string_equal(k.handled_by_name, "Fay Door");
	assert_int_equal(k.handled_by_id, 1);
	assert_string_equal(k.handled_at, "2024-05-02T10:00");
	struct field_errors e = {0};
	assert_int_equal(contact_handle(conn, at(&fd, now), id, &e),
			 ERR_CONFLICT);
	assert_non_null(strstr(fe_for(&e, "handler"), "already handling"));
	/* the manager takes it on */
	struct actor tm = as("aaa", 3, ROLE_TEAM_MANAGER);
	assert_int_equal(contact_handle(conn, at(&tm, now + 600), id, NULL), 0);
	assert_int_equal(audits("handle", "contact"), 1);
	assert_int_equal(contact_read(conn, at(&fd, now), id, arena, &k), 0);
	assert_string_equal(k.handled_by_name, "Tia Manager");
	assert_string_equal(k.handled_at, "2024-05-02T10:10");
	/* a social worker may not; another council cannot find it */
	struct actor sw = as("aaa", 2, ROLE_SOCIAL_WORKER);
	assert_int_equal(contact_handle(conn, at(&sw, now), id, NULL),
			 ERR_DENIED);
	struct actor b = as("bbb", 1, ROLE_FRONT_DOOR);
	assert_int_equal(contact_handle(conn, at(&b, now), id, NULL),
			 ERR_NOTFOUND);
	/* decided: no one needs to take it on */
	assert_int_equal(decide(id, "nfa", now + 900, NULL, NULL), 0);
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct field_errors e2 = {0};
	assert_int_equal(contact_handle(conn, at(&fd, now + 960), id, &e2),
			 ERR_CONFLICT);
	assert_non_null(strstr(fe_for(&e2, "handler"), "is decided"));
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " handled_by = 3"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	/* a social worker who records a contact does not handle it */
	struct contact_input in = input("2024-05-01T11:00");
	int64_t id2 = 0;
	assert_int_equal(contact_record(conn, at(&sw, now), NULL, 1, &in, &id2,
					NULL), 0);
	assert_int_equal(contact_read(conn, at(&fd, now), id2, arena, &k), 0);
	assert_string_equal(k.handled_by_name, "");
	assert_int_equal(k.handled_by_id, 0);
	assert_false(db_in_tx(conn));
}

static void decide_refuses_bad_input(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(1, "2024-05-01T10:00", now, NULL);
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct field_errors e = {0};
	struct contact_decision_input in = {"maybe", " ", NULL};
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, id, &in, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "decision"));
	assert_non_null(fe_for(&e, "reason"));
	struct field_errors e2 = {0};
	in = (struct contact_decision_input){NULL, "ok", NULL};
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, id, &in, NULL, &e2),
			 ERR_INVALID);
	assert_string_equal(fe_for(&e2, "decision"),
			    "Select a decision");
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " decision IS NOT NULL"), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	/* not found, and another council's contact is not found either */
	assert_int_equal(decide(999, "nfa", now, NULL, NULL),
			 ERR_NOTFOUND);
	struct actor b = as("bbb", 1, ROLE_FRONT_DOOR);
	in = (struct contact_decision_input){"nfa", "ok", NULL};
	assert_int_equal(contact_decide(conn, at(&b, now), NULL, id, &in, NULL, NULL),
			 ERR_NOTFOUND);
	assert_int_equal(count_sql("SELECT count(*) FROM contact WHERE"
				   " decision IS NOT NULL"), 0);
}

static void decision_opens_referral(void **state)
{
	(void)state;
	/* 23:30 UTC on 1 June is 00:30 on 2 June in England (BST) */
	int64_t now = utc(2023, 6, 1, 23, 30);
	int64_t id = record(2, "2023-06-01T09:00", now, NULL);
	int64_t rid = 0;
	assert_int_equal(decide(id, "referral", now, &rid, NULL), 0);
	assert_true(rid > 0);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct referral r;
	assert_int_equal(referral_read(conn, at(&w, now), NULL, rid, arena, &r), 0);
	assert_string_equal(r.referral_date, "2023-06-02");
	assert_string_equal(r.source, "2A");
	assert_int_equal(r.child_id, 2);
	assert_int_equal(r.contact_id, id);
	assert_false(r.rereferral);
	assert_int_equal(r.previous_referral_id, 0);
	assert_int_equal(r.worker_id, 0);
	/* R02: 45 working days (no holidays here) from Fri 2 June 2023 */
	assert_string_equal(r.assessment_due, "2023-08-04");
	struct contact k;
	assert_int_equal(contact_read(conn, at(&w, now), id, arena, &k), 0);
	assert_true(k.decided);
	assert_int_equal(k.decision, CONTACT_REFERRAL);
	assert_int_equal(k.referral_id, rid);
	assert_string_equal(k.decided_at, "2023-06-02T00:30");
	/* strategy also opens one; early help does not */
	int64_t id2 = record(3, "2023-06-01T09:00", now, NULL);
	int64_t rid2 = 0;
	assert_int_equal(decide(id2, "strategy", now, &rid2, NULL), 0);
	assert_true(rid2 > rid);
	int64_t id3 = record(3, "2023-06-01T09:30", now, NULL);
	int64_t rid3 = -1;
	assert_int_equal(decide(id3, "early_help", now, &rid3, NULL), 0);
	assert_int_equal(rid3, 0);
	assert_int_equal(count_sql("SELECT count(*) FROM referral"), 2);
	/* audit: one create per referral, one decide per contact */
	assert_int_equal(audits("create", "referral"), 2);
	assert_int_equal(audits("decide", "contact"), 3);
}

/* Opens a referral for child on date (UK noon) through a contact. */
static int64_t referral_on(int64_t child, int y, int m, int d)
{
	char rec[17];
	snprintf(rec, sizeof(rec), "%04d-%02d-%02dT08:00", y, m, d);
	int64_t now = utc(y, m, d, 11, 0);
	int64_t id = record(child, rec, now, NULL);
	int64_t rid = 0;
	assert_int_equal(decide(id, "referral", now, &rid, NULL), 0);
	return rid;
}

static struct referral read_ref(int64_t rid)
{
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct referral r;
	assert_int_equal(referral_read(conn, at(&w, utc(2024, 6, 1, 0, 0)), NULL,
				       rid, arena, &r), 0);
	return r;
}

static void rereferral_twelve_months(void **state)
{
	(void)state;
	/* exactly 12 months: the same day a year earlier counts (R14) */
	int64_t a1 = referral_on(2, 2023, 3, 15);
	int64_t a2 = referral_on(2, 2024, 3, 15);
	struct referral r = read_ref(a1);
	assert_false(r.rereferral);
	assert_int_equal(r.previous_referral_id, 0);
	r = read_ref(a2);
	assert_true(r.rereferral);
	assert_int_equal(r.previous_referral_id, a1);
	assert_string_equal(r.previous_date, "2023-03-15");
	/* 12 months and a day: not a re-referral, previous still linked */
	int64_t b1 = referral_on(3, 2023, 3, 14);
	int64_t b2 = referral_on(3, 2024, 3, 15);
	r = read_ref(b2);
	assert_false(r.rereferral);
	assert_int_equal(r.previous_referral_id, b1);
	/* well within */
	int64_t c1 = referral_on(4, 2023, 9, 1);
	int64_t c2 = referral_on(4, 2024, 3, 15);
	r = read_ref(c2);
	assert_true(r.rereferral);
	assert_int_equal(r.previous_referral_id, c1);
	/* the most recent earlier referral is the previous one */
	int64_t c3 = referral_on(4, 2024, 3, 20);
	r = read_ref(c3);
	assert_true(r.rereferral);
	assert_int_equal(r.previous_referral_id, c2);
	/* the rule itself, with the month-end clamp */
	struct cal_date d = {2024, 2, 29};
	assert_true(referral_is_rereferral(d, (struct cal_date){2023, 2, 28}));
	assert_false(referral_is_rereferral(d, (struct cal_date){2023, 2, 27}));
	assert_true(referral_is_rereferral(d, d));
	assert_false(referral_is_rereferral(d, (struct cal_date){2024, 3, 1}));
}

/* ---- allocation ------------------------------------------------------ */

static void allocation_rules(void **state)
{
	(void)state;
	int64_t rid = referral_on(5, 2024, 4, 2);
	int64_t now = utc(2024, 4, 3, 9, 0);
	struct actor w = as("aaa", 3, ROLE_TEAM_MANAGER);
	struct field_errors e = {0};
	assert_int_equal(referral_allocate(conn, at(&w, now), rid, 1, 2, &e), 0);
	assert_int_equal(audits("allocate", "referral"), 1);
	struct referral r = read_ref(rid);
	assert_int_equal(r.team_id, 1);
	assert_int_equal(r.worker_id, 2);
	assert_string_equal(r.worker_name, "Sam Worker");
	assert_string_equal(r.team_name, "Assessment Team 1");
	assert_string_equal(r.allocated_at, "2024-04-03T10:00");
	/* re-allocation to another team and its manager: allowed, audited */
	assert_int_equal(referral_allocate(conn, at(&w, now), rid, 2, 3, &e), 0);
	assert_int_equal(audits("reallocate", "referral"), 1);
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct {
		int64_t team, worker;
		const char *field;
		const char *words;
	} bad[] = {
		{1, 6, "worker_id", "not found"},   /* bbb's worker */
		{1, 4, "worker_id", "disabled"},    /* disabled account */
		{1, 1, "worker_id", "not a social worker"}, /* front door */
		{1, 5, "worker_id", "not a social worker"}, /* partner */
		{3, 2, "team_id", "not found"},     /* bbb's team */
		{0, 7, "team_id", "has no team recorded"},
		{0, 0, "worker_id", "Select a worker"},
		{1, 0, "worker_id", "Select a worker"},
		/* issue 9: a worker of another team */
		{1, 3, "worker_id", "is in Assessment Team 2, not Assessment "
				    "Team 1"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_errors be = {0};
		assert_int_equal(referral_allocate(conn, at(&w, now), rid,
						   bad[i].team, bad[i].worker,
						   &be), ERR_INVALID);
		const char *m = fe_for(&be, bad[i].field);
		assert_non_null(m);
		assert_non_null(strstr(m, bad[i].words));
	}
	r = read_ref(rid);
	assert_int_equal(r.worker_id, 3);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows + 1);
	/* issue 9: no team chosen, the worker's own is taken */
	assert_int_equal(referral_allocate(conn, at(&w, now), rid, 0, 2, &e), 0);
	r = read_ref(rid);
	assert_int_equal(r.team_id, 1);
	assert_int_equal(r.worker_id, 2);
	assert_string_equal(r.team_name, "Assessment Team 1");
	/* another council cannot reach the referral */
	struct actor b = as("bbb", 1, ROLE_FRONT_DOOR);
	assert_int_equal(referral_allocate(conn, at(&b, now), rid, 1, 6, NULL),
			 ERR_NOTFOUND);
	struct referral br;
	assert_int_equal(referral_read(conn, at(&b, now), NULL, rid, arena, &br),
			 ERR_NOTFOUND);
	/* a social worker may read but not allocate */
	struct actor s = as("aaa", 2, ROLE_SOCIAL_WORKER);
	assert_int_equal(referral_allocate(conn, at(&s, now), rid, 1, 2, NULL),
			 ERR_DENIED);
	assert_int_equal(referral_read(conn, at(&s, now), NULL, rid, arena, &br),
			 0);
	assert_false(db_in_tx(conn));
}

static void referral_lists(void **state)
{
	(void)state;
	int64_t r1 = referral_on(5, 2024, 4, 2);
	int64_t r2 = referral_on(6, 2024, 4, 3);
	int64_t r3 = referral_on(7, 2024, 4, 4);
	int64_t now = utc(2024, 4, 5, 9, 0);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(referral_allocate(conn, at(&w, now), r2, 1, 2, NULL), 0);
	struct referral_filter f = {true, 0, 1, 0, false};
	struct referral *v;
	int n;
	int64_t next;
	int64_t lists = audits("list", "referral");
	assert_int_equal(referral_list(conn, at(&w, now), NULL, &f, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].referral_id, r1);
	assert_int_equal(next, r1);
	f.cursor = next;
	assert_int_equal(referral_list(conn, at(&w, now), NULL, &f, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].referral_id, r3);
	assert_int_equal(next, 0);
	assert_int_equal(audits("list", "referral"), lists + 2);
	struct referral_filter g = {false, 2, 50, 0, false};
	assert_int_equal(referral_list(conn, at(&w, now), NULL, &g, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].referral_id, r2);
	/* newest first, paged */
	struct referral_filter h = {false, 0, 2, 0, true};
	assert_int_equal(referral_list(conn, at(&w, now), NULL, &h, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].referral_id, r3);
	assert_int_equal(v[1].referral_id, r2);
	assert_int_equal(next, r2);
	h.cursor = next;
	assert_int_equal(referral_list(conn, at(&w, now), NULL, &h, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].referral_id, r1);
	assert_int_equal(next, 0);
	int64_t un;
	assert_int_equal(referral_count_unallocated(conn, "aaa", &un), 0);
	assert_int_equal(un, 2);
	assert_int_equal(referral_count_unallocated(conn, "bbb", &un), 0);
	assert_int_equal(un, 0);
	/* the other council sees none of them */
	struct actor b = as("bbb", 1, ROLE_FRONT_DOOR);
	struct referral_filter all = {false, 0, 50, 0, false};
	assert_int_equal(referral_list(conn, at(&b, now), NULL, &all, arena, &v,
				       &n, &next), 0);
	assert_int_equal(n, 0);
	/* options: enabled social workers and managers of the council */
	struct referral_option *o;
	int no;
	w = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(referral_workers(conn, "aaa", arena, &o, &no), 0);
	assert_int_equal(no, 3);
	assert_string_equal(o[0].name, "Noa Team");
	assert_string_equal(o[1].name, "Sam Worker");
	assert_string_equal(o[2].name, "Tia Manager");
	assert_int_equal(referral_teams(conn, "aaa", arena, &o, &no), 0);
	assert_int_equal(no, 2);
	/* flags past review on the worker's children */
	exec_sql("INSERT INTO flag (council, child_id, flag_id, kind, text,"
		 " review_date, created_at, created_by) VALUES"
		 " ('aaa', 6, 1, 'risk', 'Synthetic.', '2024-04-01', 't', 1),"
		 " ('aaa', 6, 2, 'risk', 'Synthetic.', '2024-04-05', 't', 1),"
		 " ('aaa', 7, 3, 'risk', 'Synthetic.', '2024-01-01', 't', 1);");
	struct actor s = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct child_flag_review *fl;
	assert_int_equal(child_flags_past_review(conn, at(&s, now), 2, arena,
						 &fl, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fl[0].child_id, 6);
	assert_string_equal(fl[0].review_date, "2024-04-01");
	assert_int_equal(audits("list", "flag"), 1);
	/* a child's referrals, inside the caller's transaction */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(referral_list_child(conn, at(&w, now), NULL, 6, arena,
					     &v, &n), 0);
	db_rollback(conn);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].referral_id, r2);
}

/* ---- the queue ------------------------------------------------------- */

static void queue_order_and_late_flags(void **state)
{
	(void)state;
	struct cal *day0 = easter_cal(CAL_DAY0);
	/* now: Tuesday 11 April 2023, 10:30 BST */
	int64_t now = utc(2023, 4, 11, 9, 30);
	int64_t a = record(1, "2023-04-11T09:00", now, day0); /* due 12th */
	int64_t b = record(2, "2023-04-06T10:00", now, day0); /* due 11th 10:00 */
	int64_t c = record(3, "2023-04-06T09:00", now, day0); /* due 11th 09:00 */
	int64_t d = record(4, "2023-04-11T08:00", now, day0); /* decided */
	int64_t e = record(5, "2023-04-06T12:00", now, day0); /* due 11th 12:00 */
	assert_int_equal(decide(d, "advice", now, NULL, NULL), 0);
	struct actor x = as("bbb", 1, ROLE_FRONT_DOOR);
	struct contact_input in = input("2023-04-06T08:00");
	assert_int_equal(contact_record(conn, at(&x, now), day0, 1, &in, NULL,
					NULL), 0);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct contact *v;
	int n;
	int64_t next;
	int64_t lists = audits("list", "contact");
	assert_int_equal(contact_queue(conn, at(&w, now), 2, 0, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].contact_id, c);
	assert_int_equal(v[1].contact_id, b);
	assert_true(v[0].overdue);
	assert_int_equal(v[0].minutes_left, -90);
	assert_true(v[1].overdue);
	assert_null(v[0].worry);
	assert_int_equal(next, b);
	assert_int_equal(contact_queue(conn, at(&w, now), 2, next, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].contact_id, e);
	assert_false(v[0].overdue);
	assert_int_equal(v[0].minutes_left, 90);
	assert_int_equal(v[1].contact_id, a);
	assert_int_equal(next, 0);
	assert_int_equal(audits("list", "contact"), lists + 2);
	/* finding 5: each list's row names the children its contacts are
	 * about, so they show in "who has viewed" */
	assert_int_equal(count_sql("SELECT count(*) FROM audit_seen s JOIN"
				   " audit a ON a.council = s.council AND"
				   " a.seq = s.seq WHERE a.action = 'list' AND"
				   " a.entity = 'contact' AND s.child_id = 5"), 1);
	struct contact_counts k;
	assert_int_equal(contact_queue_counts(conn, at(&w, now), &k), 0);
	assert_int_equal(k.undecided, 4);
	assert_int_equal(k.overdue, 2);
	assert_int_equal(k.due_today, 1);
	/* the other council sees only its own contact */
	assert_int_equal(contact_queue(conn, at(&x, now), 50, 0, arena, &v, &n,
				       &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].child_id, 1);
	/* late: decided after due_at (11 April 10:00), on time: before */
	w = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(decide(b, "nfa", now, NULL, NULL), 0);
	assert_int_equal(decide(e, "nfa", now, NULL, NULL), 0);
	struct contact got;
	assert_int_equal(contact_read(conn, at(&w, now), b, arena, &got), 0);
	assert_true(got.decided);
	assert_true(got.late);
	assert_false(got.overdue);
	assert_string_equal(got.decided_at, "2023-04-11T10:30");
	assert_int_equal(contact_read(conn, at(&w, now), e, arena, &got), 0);
	assert_false(got.late);
	/* the child's contacts, newest received first */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(contact_list_child(conn, at(&w, now), 4, arena, &v,
					    &n), 0);
	db_rollback(conn);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].contact_id, d);
	assert_true(v[0].decided);
	cal_free(day0);
}

static void audit_rows_for_reads_and_writes(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(8, "2024-05-01T10:00", now, NULL);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'create' AND entity = 'contact'"
				   " AND child_id = 8"), 1);
	struct actor w = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct contact k;
	assert_int_equal(contact_read(conn, at(&w, now), id, arena, &k), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'read' AND entity = 'contact'"
				   " AND child_id = 8 AND user_id = 2"), 1);
	assert_string_equal(k.worry,
			    "Synthetic worry: the child said they were hungry.");
	int64_t rid = 0;
	assert_int_equal(decide(id, "referral", now, &rid, NULL), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'decide' AND child_id = 8"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'create' AND entity = 'referral'"
				   " AND child_id = 8"), 1);
	struct referral r;
	w = as("aaa", 2, ROLE_SOCIAL_WORKER);
	assert_int_equal(referral_read(conn, at(&w, now), NULL, rid, arena, &r), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'read' AND entity = 'referral'"
				   " AND child_id = 8"), 1);
	w = as("aaa", 3, ROLE_TEAM_MANAGER);
	assert_int_equal(referral_allocate(conn, at(&w, now), rid, 1, 2, NULL), 0);
	assert_int_equal(count_sql("SELECT count(*) FROM audit WHERE"
				   " action = 'allocate' AND child_id = 8"), 1);
	/* a failed read writes nothing */
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	assert_int_equal(contact_read(conn, at(&w, now), 12345, arena, &k),
			 ERR_NOTFOUND);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	/* a partner may not read contacts at all */
	w = as("aaa", 5, ROLE_PARTNER);
	assert_int_equal(contact_read(conn, at(&w, now), id, arena, &k),
			 ERR_DENIED);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	/* the chain still verifies */
	db_set_role(conn, DB_ROLE_SYSTEM);
	struct audit_verify_result res;
	assert_int_equal(audit_verify(conn, &res), 0);
	assert_true(res.ok);
}

static void sources_table(void **state)
{
	(void)state;
	size_t n;
	const struct contact_source *s = contact_sources(&n);
	assert_int_equal(n, 22);
	assert_string_equal(s[0].code, "1A");
	assert_string_equal(contact_source_label("6"), "POLICE");
	assert_string_equal(contact_source_label("5D"),
			    "LA SERVICES – early help");
	assert_null(contact_source_label("5E"));
	assert_null(contact_source_label(""));
	assert_null(contact_source_label(NULL));
	enum contact_decision d;
	assert_true(contact_decision_parse("early_help", &d));
	assert_int_equal(d, CONTACT_EARLY_HELP);
	assert_false(contact_decision_parse("Early help", &d));
	assert_true(contact_decision_opens_referral(CONTACT_STRATEGY));
	assert_false(contact_decision_opens_referral(CONTACT_ADVICE));
	assert_null(contact_decision_id(CONTACT_DECISION__MAX));
	assert_string_equal(err_name(ERR_CONFLICT), "conflict");
	assert_string_equal(err_name(-99), "unknown error");
}

/* "My work" lists a worker's current children, one row each, the most
 * urgent first: anything overdue, then the soonest due, then nothing
 * open (a case they lead); not a child whose referral's clocks are all
 * met and who has no open case; filtered to the overdue ones; audited
 * as a list naming them. */
static void my_children_most_urgent_first(void **state)
{
	(void)state;
	int64_t r5 = referral_on(5, 2024, 1, 8);  /* R02 long overdue */
	int64_t r6 = referral_on(6, 2024, 4, 2);  /* due in June */
	int64_t r7 = referral_on(7, 2024, 3, 20); /* due in May */
	int64_t r8 = referral_on(8, 2024, 2, 1);  /* met: nothing open */
	int64_t now = utc(2024, 4, 10, 9, 0);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	int64_t refs[] = {r5, r6, r7, r8};
	for (int i = 0; i < 4; i++)
		assert_int_equal(referral_allocate(conn, at(&w, now), refs[i],
						   1, 2, NULL), 0);
	struct actor sys = as("aaa", 0, ROLE_ADMIN);
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	struct cal_time met = {{2024, 3, 1}, 12, 0};
	assert_int_equal(due_meet(conn, at(&sys, now), "R02", NULL, "referral",
				  r8, met), ERR_OK);
	/* every child seen in time (R05), so R02 alone orders them */
	for (int i = 0; i < 4; i++)
		assert_int_equal(due_meet(conn, at(&sys, now), "R05", NULL,
					  "referral", refs[i], met), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	struct actor s = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct referral_child *v;
	int n;
	bool more = true;
	/* child 8's referral is done: not current work */
	assert_int_equal(referral_my_children(conn, at(&s, now), 2, false, 1,
					      arena, &v, &n, &more), 0);
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_not_equal(v[i].child_id, 8);
	/* a case worker 2 leads: current again (a closed one is not) */
	testdb_exec(path, "INSERT INTO episode (council, episode_id, child_id,"
		    " case_type, primary_need, opened_on, worker_id, created_at,"
		    " created_by) VALUES ('aaa', 1, 8, 'family_help', 'N1',"
		    " '2024-03-01', 2, 't', 1), ('aaa', 2, 4, 'family_help',"
		    " 'N1', '2024-03-01', 2, 't', 1);"
		    "UPDATE episode SET closed_on = '2024-03-05', closure_reason"
		    " = 'RC1' WHERE episode_id = 2;");
	assert_int_equal(referral_my_children(conn, at(&s, now), 2, false, 1,
					      arena, &v, &n, &more), 0);
	assert_int_equal(n, 4);
	assert_false(more);
	const int64_t order[] = {5, 7, 6, 8};
	for (int i = 0; i < 4; i++)
		assert_int_equal(v[i].child_id, order[i]);
	assert_true(v[0].late);
	assert_int_equal(v[0].overdue, 1);
	assert_string_equal(v[0].next_rule, "R02");
	assert_false(v[1].late);
	assert_int_equal(v[3].open, 0);
	assert_string_equal(v[3].next_due, "");
	assert_int_equal(v[1].referral_id, r7);
	/* only the overdue ones; a page past the end is empty */
	assert_int_equal(referral_my_children(conn, at(&s, now), 2, true, 1,
					      arena, &v, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].child_id, 5);
	assert_int_equal(referral_my_children(conn, at(&s, now), 2, false, 2,
					      arena, &v, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_int_equal(audits("list", "child"), 4);
	/* another worker has none of them */
	assert_int_equal(referral_my_children(conn, at(&s, now), 3, false, 1,
					      arena, &v, &n, &more), 0);
	assert_int_equal(n, 0);
}

/* Issue 9: a second referral while one is open needs a reason, which
 * is kept; none is asked when the open one's assessment is done. */
static void parallel_referral_needs_a_reason(void **state)
{
	(void)state;
	int64_t r1 = referral_on(5, 2024, 4, 2);
	int64_t now = utc(2024, 4, 10, 9, 0);
	int64_t k2 = record(5, "2024-04-10T08:00", now, NULL);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct contact_decision_input in = {"referral", "Synthetic.", NULL};
	struct field_errors e = {0};
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, k2, &in, NULL,
					&e), ERR_INVALID);
	const char *m = fe_for(&e, "parallel");
	assert_non_null(m);
	assert_non_null(strstr(m, "open referral (2 April 2024)"));
	assert_int_equal(count_sql("SELECT count(*) FROM referral WHERE"
				   " child_id = 5"), 1);
	/* advice needs no reason */
	in.decision = "advice";
	int64_t k3 = record(5, "2024-04-10T08:30", now, NULL);
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, k3, &in, NULL,
					NULL), 0);
	/* with the reason: a second referral, the reason kept */
	in.decision = "referral";
	in.parallel = "Synthetic: a new and separate concern.";
	int64_t r2 = 0;
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, k2, &in, &r2,
					NULL), 0);
	assert_true(r2 > r1);
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND parallel_reason LIKE 'Synthetic: a new%%'",
		 (long long)k2);
	assert_int_equal(count_sql(sql), 1);
	/* a reason given with nothing open is not kept */
	int64_t k4 = record(6, "2024-04-10T08:40", now, NULL);
	assert_int_equal(contact_decide(conn, at(&w, now), NULL, k4, &in, NULL,
					NULL), 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND parallel_reason IS NULL",
		 (long long)k4);
	assert_int_equal(count_sql(sql), 1);
}

/* Issue 9: the queue filters: overdue only, a source, recorded by me;
 * the excerpt of the worry is in the list. */
static void queue_filters(void **state)
{
	(void)state;
	int64_t now = utc(2023, 4, 11, 9, 30);
	int64_t a = record(1, "2023-04-11T09:00", now, NULL); /* not overdue */
	int64_t b = record(2, "2023-04-06T10:00", now, NULL); /* overdue */
	struct actor t = as("aaa", 3, ROLE_TEAM_MANAGER);
	struct contact_input in = input("2023-04-06T09:00");
	in.source = "6";
	int64_t c = 0;
	assert_int_equal(contact_record(conn, at(&t, now), NULL, 3, &in, &c,
					NULL), 0);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct contact *v;
	int n;
	int64_t next;
	struct contact_filter f = {true, NULL, 0};
	assert_int_equal(contact_queue_filtered(conn, at(&w, now), &f, 50, 0,
						arena, &v, &n, &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].contact_id, c);
	assert_int_equal(v[1].contact_id, b);
	f = (struct contact_filter){false, "6", 0};
	assert_int_equal(contact_queue_filtered(conn, at(&w, now), &f, 50, 0,
						arena, &v, &n, &next), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].contact_id, c);
	f = (struct contact_filter){false, NULL, 1};
	assert_int_equal(contact_queue_filtered(conn, at(&w, now), &f, 50, 0,
						arena, &v, &n, &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].contact_id, a);
	assert_string_equal(v[0].worry_excerpt,
			    "Synthetic worry: the child said they were hungry.");
}

/* ---- the referrer (issue 9) -------------------------------------------- */

/* A contact's table row as one text, for "nothing changed" checks. */
static int64_t contact_rows_like(int64_t id, const char *where)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contact WHERE"
		 " contact_id = %lld AND %s", (long long)id, where);
	return count_sql(sql);
}

/* Phone, email, the family's knowledge and agreement, and why a contact
 * went ahead without it: each error names its field, and nothing is
 * written until all are right. */
static void referrer_details_checked(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 1, 12, 0);
	int64_t contacts = count_sql("SELECT count(*) FROM contact");
	int64_t rows = count_sql("SELECT count(*) FROM audit");
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	static const char *const bad_email[] = {
		"name", "name@", "@example.org", "name@example", "a@b@example.org",
		"name @example.org", "name@.example.org", "name@example.org.",
		"name@example..org",
	};
	static const char *const bad_phone[] = {
		"12345", "01632 96O 001", "0163 296 0001 2345 678", "44+1632960001",
		"01632/960001", "++441632960001",
	};
	for (size_t i = 0; i < sizeof(bad_email) / sizeof(bad_email[0]); i++) {
		struct field_errors e = {0};
		struct contact_input in = input("2024-05-01T10:00");
		in.referrer_email = bad_email[i];
		assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in,
						NULL, &e), ERR_INVALID);
		if (fe_for(&e, "referrer_email") == NULL || e.n != 1)
			fail_msg("email '%s' was not refused alone", bad_email[i]);
		assert_string_equal(fe_for(&e, "referrer_email"),
				    "Enter an email address in the correct format,"
				    " like name@example.com");
	}
	for (size_t i = 0; i < sizeof(bad_phone) / sizeof(bad_phone[0]); i++) {
		struct field_errors e = {0};
		struct contact_input in = input("2024-05-01T10:00");
		in.referrer_phone = bad_phone[i];
		assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in,
						NULL, &e), ERR_INVALID);
		if (fe_for(&e, "referrer_phone") == NULL || e.n != 1)
			fail_msg("phone '%s' was not refused alone", bad_phone[i]);
		assert_non_null(strstr(fe_for(&e, "referrer_phone"),
				       "Enter a telephone number, like "));
	}
	/* the family's answer is asked; a code not on the list refused */
	struct field_errors e = {0};
	struct contact_input in = input("2024-05-01T10:00");
	in.family_consent = NULL;
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL,
					&e), ERR_INVALID);
	assert_string_equal(fe_for(&e, "family_consent"),
			    "Select whether the family knows about the contact "
			    "and agreed to it");
	struct field_errors e2 = {0};
	in.family_consent = "maybe";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL,
					&e2), ERR_INVALID);
	assert_non_null(fe_for(&e2, "family_consent"));
	/* not agreed, not aware: why it went ahead, each in its words */
	struct field_errors e3 = {0};
	in.family_consent = "not_agreed";
	in.consent_reason = " \n ";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL,
					&e3), ERR_INVALID);
	assert_string_equal(fe_for(&e3, "consent_reason"),
			    "Enter why the contact went ahead without the "
			    "family's agreement");
	struct field_errors e4 = {0};
	in.family_consent = "not_aware";
	in.consent_reason = NULL;
	in.referrer_email = "nope";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, NULL,
					&e4), ERR_INVALID);
	assert_string_equal(fe_for(&e4, "consent_reason"),
			    "Enter why the contact went ahead without the "
			    "family knowing");
	assert_non_null(fe_for(&e4, "referrer_email")); /* all at once */
	assert_int_equal(count_sql("SELECT count(*) FROM contact"), contacts);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), rows);
	/* right: kept as typed; none is none */
	in = input("2024-05-01T10:00");
	in.referrer_phone = "+44 (0)1632 960-001";
	in.referrer_email = "a.teacher@school.example.org";
	in.family_consent = "not_aware";
	in.consent_reason = "Synthetic: telling the family could put the child "
			    "at risk.";
	int64_t id = 0;
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, &id,
					NULL), 0);
	assert_int_equal(contact_rows_like(id, "referrer_phone = '+44 (0)1632"
					   " 960-001' AND referrer_email ="
					   " 'a.teacher@school.example.org' AND"
					   " family_consent = 'not_aware' AND"
					   " consent_reason LIKE 'Synthetic: "
					   "telling%'"), 1);
	struct contact k;
	assert_int_equal(contact_read(conn, at(&w, now), id, arena, &k), 0);
	assert_string_equal(k.family_consent, "not_aware");
	assert_string_equal(k.referrer_phone, "+44 (0)1632 960-001");
	/* agreed: a reason typed anyway is not kept; no phone, no email */
	in = input("2024-05-01T10:00");
	in.referrer_phone = " ";
	in.referrer_email = "";
	in.consent_reason = "Synthetic: typed under the wrong answer.";
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 1, &in, &id,
					NULL), 0);
	assert_int_equal(contact_rows_like(id, "referrer_phone IS NULL AND"
					   " referrer_email IS NULL AND"
					   " family_consent = 'agreed' AND"
					   " consent_reason IS NULL"), 1);
	assert_false(db_in_tx(conn));
}

static void professional_sources(void **state)
{
	(void)state;
	static const char *const yes[] = {"2A", "2B", "3A", "3E", "4", "5A",
					  "5C", "5D", "6", "7", "8"};
	static const char *const no[] = {"1A", "1B", "1C", "1D", "9", "10",
					 "ZZ", ""};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!contact_source_professional(yes[i]))
			fail_msg("%s is a professional source", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (contact_source_professional(no[i]))
			fail_msg("%s is not a professional source", no[i]);
	assert_false(contact_source_professional(NULL));
	assert_true(contact_consent_needs_reason("not_agreed"));
	assert_true(contact_consent_needs_reason("not_aware"));
	assert_false(contact_consent_needs_reason("agreed"));
	assert_false(contact_consent_needs_reason("not_known"));
	assert_false(contact_consent_needs_reason(NULL));
}

/* R01's acknowledgement: due with the decision; recorded once, with
 * when and by whom, a chronology entry and an audit row; a second is
 * refused and changes nothing. */
static void acknowledgement_once(void **state)
{
	(void)state;
	/* received Wednesday 1 May 2024 10:00 BST: due Thursday 10:00 */
	int64_t id = record(1, "2024-05-01T10:00", utc(2024, 5, 1, 9, 30),
			    NULL);
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct contact k;
	assert_int_equal(contact_read(conn, at(&w, utc(2024, 5, 1, 12, 0)), id,
				      arena, &k), 0);
	assert_false(k.acknowledged);
	assert_false(k.acknowledgement_overdue);
	assert_string_equal(k.acknowledged_at, "");
	/* Thursday 11:00 BST: past the due time, not yet sent */
	int64_t late = utc(2024, 5, 2, 10, 0);
	assert_int_equal(contact_read(conn, at(&w, late), id, arena, &k), 0);
	assert_true(k.acknowledgement_overdue);
	/* sent at 10:14 BST on Wednesday, by Fay Door */
	int64_t sent = utc(2024, 5, 1, 9, 14);
	int64_t audit0 = count_sql("SELECT count(*) FROM audit");
	struct field_errors e = {0};
	assert_int_equal(contact_acknowledge(conn, at(&w, sent), id, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(contact_rows_like(id, "acknowledged_at ="
					   " '2024-05-01T10:14' AND"
					   " acknowledged_by = 1"), 1);
	assert_int_equal(audits("acknowledge", "contact"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), audit0 + 1);
	assert_int_equal(count_sql("SELECT count(*) FROM chronology WHERE"
				   " kind = 'acknowledgement' AND child_id = 1"
				   " AND link_kind = 'contact' AND occurred ="
				   " '2024-05-01T10:14'"), 1);
	assert_int_equal(contact_read(conn, at(&w, late), id, arena, &k), 0);
	assert_true(k.acknowledged);
	assert_false(k.acknowledgement_overdue);
	assert_string_equal(k.acknowledged_by_name, "Fay Door");
	/* a second, by someone else: refused, naming who and when */
	int64_t audit1 = count_sql("SELECT count(*) FROM audit");
	int64_t chron1 = count_sql("SELECT count(*) FROM chronology");
	struct actor t = as("aaa", 3, ROLE_TEAM_MANAGER);
	struct field_errors e2 = {0};
	assert_int_equal(contact_acknowledge(conn, at(&t, late), id, &e2),
			 ERR_CONFLICT);
	assert_string_equal(fe_for(&e2, "acknowledgement"),
			    "The acknowledgement was already recorded as sent "
			    "on 1 May 2024 at 10:14 by Fay Door");
	assert_int_equal(contact_rows_like(id, "acknowledged_at ="
					   " '2024-05-01T10:14' AND"
					   " acknowledged_by = 1"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), audit1);
	assert_int_equal(count_sql("SELECT count(*) FROM chronology"), chron1);
	/* a social worker may record one; a partner may not; another
	 * council's contact and no contact are not found */
	int64_t id2 = record(2, "2024-05-01T10:00", utc(2024, 5, 1, 9, 30),
			     NULL);
	struct actor p = as("aaa", 5, ROLE_PARTNER);
	assert_int_equal(contact_acknowledge(conn, at(&p, late), id2, NULL),
			 ERR_DENIED);
	struct actor b = as("bbb", 1, ROLE_FRONT_DOOR);
	assert_int_equal(contact_acknowledge(conn, at(&b, late), id2, NULL),
			 ERR_NOTFOUND);
	assert_int_equal(contact_acknowledge(conn, at(&w, late), 9999, NULL),
			 ERR_NOTFOUND);
	assert_int_equal(contact_rows_like(id2, "acknowledged_at IS NULL"), 1);
	struct actor s2 = as("aaa", 2, ROLE_SOCIAL_WORKER);
	assert_int_equal(contact_acknowledge(conn, at(&s2, late), id2, NULL), 0);
	/* allowed after the decision too (late, as R01 counts it) */
	int64_t id3 = record(3, "2024-05-01T10:00", utc(2024, 5, 1, 9, 30),
			     NULL);
	assert_int_equal(decide(id3, "nfa", late, NULL, NULL), 0);
	w = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(contact_acknowledge(conn, at(&w, late + 60), id3, NULL),
			 0);
	assert_int_equal(contact_read(conn, at(&w, late + 60), id3, arena, &k),
			 0);
	assert_true(k.acknowledgement_late);
	assert_false(k.acknowledgement_overdue);
	assert_int_equal(contact_read(conn, at(&w, late), id, arena, &k), 0);
	assert_false(k.acknowledgement_late);
	assert_false(db_in_tx(conn));
}

/* The outcome shared with a professional referrer: only once decided,
 * only for a professional source, once. */
static void outcome_shared_rules(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(1, "2024-05-01T10:00", now, NULL); /* a school */
	struct actor w = as("aaa", 1, ROLE_FRONT_DOOR);
	int64_t audit0 = count_sql("SELECT count(*) FROM audit");
	int64_t chron0 = count_sql("SELECT count(*) FROM chronology");
	struct field_errors e = {0};
	assert_int_equal(contact_share_outcome(conn, at(&w, now), id, &e),
			 ERR_CONFLICT);
	assert_string_equal(fe_for(&e, "outcome_shared"),
			    "Record the decision on the contact before "
			    "recording that its outcome was shared");
	assert_int_equal(contact_rows_like(id, "outcome_shared_at IS NULL"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), audit0);
	assert_int_equal(count_sql("SELECT count(*) FROM chronology"), chron0);
	/* decided: shared once */
	assert_int_equal(decide(id, "advice", now, NULL, NULL), 0);
	w = as("aaa", 1, ROLE_FRONT_DOOR);
	assert_int_equal(contact_share_outcome(conn, at(&w, now + 600), id, NULL),
			 0);
	assert_int_equal(contact_rows_like(id, "outcome_shared_at ="
					   " '2024-05-02T10:10' AND"
					   " outcome_shared_by = 1"), 1);
	assert_int_equal(audits("share_outcome", "contact"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM chronology WHERE"
				   " kind = 'outcome_shared' AND child_id = 1"),
			 1);
	struct field_errors e2 = {0};
	int64_t audit1 = count_sql("SELECT count(*) FROM audit");
	assert_int_equal(contact_share_outcome(conn, at(&w, now + 1200), id,
					       &e2), ERR_CONFLICT);
	assert_string_equal(fe_for(&e2, "outcome_shared"),
			    "The outcome was already recorded as shared on 2 May"
			    " 2024 at 10:10 by Fay Door");
	assert_int_equal(contact_rows_like(id, "outcome_shared_at ="
					   " '2024-05-02T10:10'"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), audit1);
	/* a family member is not a professional referrer: refused even
	 * once decided */
	struct contact_input in = input("2024-05-01T11:00");
	in.source = "1A";
	int64_t fam = 0;
	assert_int_equal(contact_record(conn, at(&w, now), NULL, 2, &in, &fam,
					NULL), 0);
	assert_int_equal(decide(fam, "nfa", now, NULL, NULL), 0);
	w = as("aaa", 1, ROLE_FRONT_DOOR);
	struct field_errors e3 = {0};
	audit1 = count_sql("SELECT count(*) FROM audit");
	assert_int_equal(contact_share_outcome(conn, at(&w, now), fam, &e3),
			 ERR_CONFLICT);
	assert_non_null(strstr(fe_for(&e3, "outcome_shared"),
			       "only with a professional referrer"));
	assert_int_equal(contact_rows_like(fam, "outcome_shared_at IS NULL"), 1);
	assert_int_equal(count_sql("SELECT count(*) FROM audit"), audit1);
	struct contact k;
	assert_int_equal(contact_read(conn, at(&w, now), fam, arena, &k), 0);
	assert_false(k.professional);
	assert_int_equal(contact_read(conn, at(&w, now), id, arena, &k), 0);
	assert_true(k.professional);
	assert_string_equal(k.outcome_shared_at, "2024-05-02T10:10");
	assert_string_equal(k.outcome_shared_by_name, "Fay Door");
	assert_false(db_in_tx(conn));
}

/* The demo's records and a database from before schema 9 get the ticks'
 * chronology entries from the backfill, once. */
static void ticks_backfilled(void **state)
{
	(void)state;
	int64_t now = utc(2024, 5, 2, 9, 0);
	int64_t id = record(4, "2024-05-01T10:00", now, NULL);
	exec_sql("UPDATE contact SET acknowledged_at = '2024-05-01T11:00',"
		 " acknowledged_by = 1, decision = 'nfa', decision_reason = 'x',"
		 " decided_at = '2024-05-01T12:00', outcome_shared_at ="
		 " '2024-05-01T13:00', outcome_shared_by = 1");
	(void)id;
	struct actor sys = actor_system("aaa", now);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int64_t made = 0;
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(frontdoor_chron_backfill(conn, &sys, &made), 0);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(count_sql("SELECT count(*) FROM chronology WHERE"
				   " child_id = 4 AND ((kind = 'acknowledgement'"
				   " AND occurred = '2024-05-01T11:00') OR"
				   " (kind = 'outcome_shared' AND occurred ="
				   " '2024-05-01T13:00'))"), 2);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(frontdoor_chron_backfill(conn, &sys, &made), 0);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(made, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uk_time_follows_bst),
		cmocka_unit_test(due_text_wording),
		cmocka_unit_test(sources_table),
		T(due_at_over_easter_both_conventions),
		T(record_refuses_bad_input),
		T(record_needs_the_role),
		T(decide_once_only),
		T(handling_a_contact),
		T(decide_refuses_bad_input),
		T(decision_opens_referral),
		T(rereferral_twelve_months),
		T(allocation_rules),
		T(referral_lists),
		T(queue_order_and_late_flags),
		T(audit_rows_for_reads_and_writes),
		T(my_children_most_urgent_first),
		T(parallel_referral_needs_a_reason),
		T(queue_filters),
		cmocka_unit_test(professional_sources),
		T(referrer_details_checked),
		T(acknowledgement_once),
		T(outcome_shared_rules),
		T(ticks_backfilled),
	};
	return cmocka_run_group_tests_name("referral", tests, NULL, NULL);
}
