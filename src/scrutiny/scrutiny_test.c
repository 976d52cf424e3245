/* scrutiny_test.c: the scrutiny store (reviews, saving an import,
 * status history, overdue around the due date, corrections, comments,
 * reports presented, the roles allowed) and the progress report (what
 * changed, the CSV round trip), against a temporary SQLite database. */
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
#include "scrutiny/report.h"
#include "rules/uktime.h"
#include "scrutiny/scrutiny.h"

static char path[64];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

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

static struct actor who(const char *council, const char *role)
{
	struct actor ev = {0};
	ev.council = council;
	ev.user_id = 7;
	ev.username = "tm.test";
	ev.role = role;
	ev.request_id = "test";
	ev.ip = "-";
	return ev;
}

static struct cal_date d(int y, int m, int dd)
{
	return (struct cal_date){y, m, dd};
}

/* w acting at noon in England on day t (a copy; a few alive at once). */
static const struct actor *on(const struct actor *w, struct cal_date t)
{
	static struct actor ring[8];
	static unsigned k;
	struct actor *p = &ring[k++ % 8];
	*p = *w;
	actor_at(p, uk_to_instant((struct cal_time){t, 12, 0}));
	return p;
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "scrutinytest");
	rm_db();
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	exec_sql("INSERT INTO council (council, name) VALUES ('aaa', 'Aville'),"
		 " ('bbb', 'Beeton');");
	/* each council's audit chain starts with its genesis row */
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
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
	rm_db();
	return 0;
}

/* A proposal built by hand: what import.c would give for a small plan.
 * Rec 1 has two actions (one completed when imported), rec 2 one. */
static struct import_action acts1[2], acts2[1];
static struct import_rec recs[2];
static struct import_proposal prop;

static void make_proposal(void)
{
	memset(&prop, 0, sizeof(prop));
	acts1[0] = (struct import_action){
		"Review the market position statement", "Head of Commissioning",
		"N/A", "end September 2016",
		{TS_DATE, true, {2016, 9, 30}, TS_RECUR_NONE, false, {0, 0, 0}},
		IMPORT_STATUS_COMPLETED, "Published in October"};
	acts1[1] = (struct import_action){
		"Hold a forum for designated teachers, \"termly\", with "
		"health", "Virtual School Headteacher", "No additional cost",
		"Termly", {TS_RECURRING, false, {0, 0, 0}, TS_RECUR_TERMLY, false, {0, 0, 0}},
		IMPORT_STATUS_NONE, ""};
	acts2[0] = (struct import_action){
		"=SUM(A1) is not a formula here\nsecond line", "", "",
		"March 2027", {TS_DATE, true, {2027, 3, 31}, TS_RECUR_NONE, false, {0, 0, 0}},
		IMPORT_STATUS_NONE, ""};
	recs[0] = (struct import_rec){"a", "That the statement, with "
				      "measures, is revised.",
				      IMPORT_RESP_ACCEPTED, "Agreed.", acts1, 2};
	recs[1] = (struct import_rec){"b", "That schools share practice.",
				      IMPORT_RESP_UNKNOWN, "", acts2, 1};
	prop.format = IMPORT_FORMAT_PIPE;
	prop.title = "A plan";
	prop.recs = recs;
	prop.nrecs = 2;
}

static int64_t new_review(const char *council)
{
	struct actor w = who(council, "team-manager");
	struct scrutiny_review_in in = {"scrutiny-panel",
					"Children and Learning Scrutiny Panel",
					"Safeguarding and children in care",
					"2016-01-10", "2016-06-07", "Final report",
					"6", NULL};
	int64_t id = 0;
	assert_int_equal(scrutiny_review_create(conn, &w, &in, NULL, &id),
			 ERR_OK);
	return id;
}

/* ---- reviews --------------------------------------------------------- */

static void review_validation(void **state)
{
	(void)state;
	struct actor w = who("aaa", "team-manager");
	struct field_errors e;
	int64_t before = count_sql("SELECT COUNT(*) FROM scrutiny_review");
	struct scrutiny_review_in bad = {"parliament", "", "x\x01y",
					 "2016-02-30", "2015-01-01", NULL,
					 "25", NULL};
	assert_int_equal(scrutiny_review_create(conn, &w, &bad, &e, NULL),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "body_kind"));
	assert_non_null(fe_for(&e, "body_name"));
	assert_non_null(fe_for(&e, "topic"));
	assert_non_null(fe_for(&e, "started_on"));
	assert_non_null(fe_for(&e, "schedule_months"));
	assert_string_equal(fe_for(&e, "body_name"),
			    "Enter the name of the body");
	struct scrutiny_review_in order = {"committee", "Cabinet", "Topic",
					   "2016-05-01", "2016-04-01", NULL,
					   NULL, NULL};
	assert_int_equal(scrutiny_review_create(conn, &w, &order, &e, NULL),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "reported_on"));
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_review"),
			 before);
}

static void review_next_report_due(void **state)
{
	(void)state;
	int64_t id = new_review("aaa");
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2016, 12, 7), &p), ERR_OK);
	/* reported 7 June 2016, every 6 months */
	assert_string_equal(p.review.next_report_due, "2016-12-07");
	assert_false(p.review.report_overdue); /* due today is not late */
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2016, 12, 8), &p), ERR_OK);
	assert_true(p.review.report_overdue);
	/* another council cannot see it */
	assert_int_equal(scrutiny_plan_load(conn, "bbb", arena, id,
					    d(2016, 12, 8), &p),
			 ERR_NOTFOUND);
}

/* ---- import ---------------------------------------------------------- */

static void import_save_and_conflict(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	struct field_errors e;
	int n = 0;
	assert_int_equal(scrutiny_import_save(conn, &w, "Tia Manager", id,
					      &prop, "2016-06-07", &e, &n),
			 ERR_OK);
	assert_int_equal(n, 2);
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2016, 11, 1), &p), ERR_OK);
	assert_int_equal(p.nrecs, 2);
	assert_string_equal(p.recs[0].ref, "a");
	assert_string_equal(p.recs[0].response_kind, "accepted");
	assert_int_equal(p.recs[0].nactions, 2);
	assert_int_equal(p.recs[1].nactions, 1);
	const struct scrutiny_action *x = &p.recs[0].actions[0];
	assert_string_equal(x->owner, "Head of Commissioning");
	assert_string_equal(x->timescale_text, "end September 2016");
	assert_string_equal(x->due_on, "2016-09-30");
	assert_string_equal(x->status, "completed");
	assert_int_equal(x->nupdates, 1);
	assert_string_equal(x->updates[0].on_date, "2016-06-07");
	assert_string_equal(x->updates[0].narrative, "Published in October");
	assert_false(x->overdue);
	assert_string_equal(p.recs[0].actions[1].recurrence, "termly");
	assert_string_equal(p.recs[0].actions[1].status, "not-started");
	assert_false(p.recs[0].actions[1].overdue); /* no due date */
	assert_int_equal(p.review.nactions, 3);
	assert_int_equal(p.review.by_status[scrutiny_status_index(
				 "completed")], 1);
	/* the register counts it */
	struct scrutiny_review *reg;
	int nreg;
	assert_int_equal(scrutiny_reviews(conn, "aaa", arena, d(2016, 11, 1),
					  &reg, &nreg), ERR_OK);
	bool seen = false;
	for (int i = 0; i < nreg; i++)
		if (reg[i].review_id == id) {
			seen = true;
			assert_int_equal(reg[i].nrecs, 2);
			assert_int_equal(reg[i].nactions, 3);
			assert_int_equal(reg[i].by_status[scrutiny_status_index(
						 "completed")], 1);
		}
	assert_true(seen);
	/* the same review again: refused, nothing added */
	int64_t recs_before = count_sql("SELECT COUNT(*) FROM scrutiny_rec");
	assert_int_equal(scrutiny_import_save(conn, &w, "Tia Manager", id,
					      &prop, "2016-06-07", &e, &n),
			 ERR_CONFLICT);
	assert_non_null(fe_for(&e, "review_id"));
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_rec"),
			 recs_before);
	/* a review of another council is not found */
	assert_int_equal(scrutiny_import_save(conn, &(struct actor){
		.council = "bbb", .username = "x", .role = "team-manager",
		.request_id = "t", .ip = "-"}, "X", id, &prop, "2016-06-07",
		&e, &n), ERR_NOTFOUND);
}

static void import_all_or_nothing(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	struct field_errors e;
	int64_t recs_before = count_sql("SELECT COUNT(*) FROM scrutiny_rec");
	int64_t acts_before = count_sql("SELECT COUNT(*) FROM scrutiny_action");
	/* two recommendations numbered alike */
	recs[1].ref = "a";
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", &e, NULL),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "recommendations.ref"));
	/* a control character in an action */
	make_proposal();
	acts2[0].owner = "Head\x07";
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", &e, NULL),
			 ERR_INVALID);
	/* nothing to save */
	make_proposal();
	prop.nrecs = 0;
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", &e, NULL),
			 ERR_INVALID);
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_rec"),
			 recs_before);
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_action"),
			 acts_before);
}

/* ---- status history and overdue -------------------------------------- */

static int64_t action_of(int64_t review_id, int rec, int k)
{
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, review_id,
					    d(2027, 1, 1), &p), ERR_OK);
	return p.recs[rec].actions[k].action_id;
}

static const struct scrutiny_action *load_action(int64_t review_id,
						 int64_t action_id,
						 struct cal_date today)
{
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, review_id,
					    today, &p), ERR_OK);
	for (int i = 0; i < p.nrecs; i++)
		for (int j = 0; j < p.recs[i].nactions; j++)
			if (p.recs[i].actions[j].action_id == action_id)
				return &p.recs[i].actions[j];
	fail_msg("action %lld not found", (long long)action_id);
	return NULL;
}

static void overdue_around_due_date(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	int64_t act = action_of(id, 1, 0); /* due 2027-03-31, not started */
	assert_false(load_action(id, act, d(2027, 3, 30))->overdue);
	assert_false(load_action(id, act, d(2027, 3, 31))->overdue);
	assert_true(load_action(id, act, d(2027, 4, 1))->overdue);

	struct field_errors e;
	/* in progress and delayed are still overdue; completed is not */
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 4, 2)), "Tia", act,
					     "2027-04-01", "delayed",
					     "Waiting for the new lead",
					     &e, NULL),
			 ERR_OK);
	const struct scrutiny_action *x = load_action(id, act, d(2027, 4, 2));
	assert_string_equal(x->status, "delayed");
	assert_true(x->overdue);
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 4, 2)), "Tia", act,
					     "2027-04-02", "completed",
					     "Done", &e, NULL),
			 ERR_OK);
	x = load_action(id, act, d(2027, 4, 2));
	assert_string_equal(x->status, "completed");
	assert_false(x->overdue);
	/* superseded is not overdue either */
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 4, 2)), "Tia", act,
					     "2027-04-02", "superseded",
					     "Replaced by the new plan",
					     &e, NULL),
			 ERR_OK);
	x = load_action(id, act, d(2027, 5, 1));
	/* same date: the one recorded later is current */
	assert_string_equal(x->status, "superseded");
	assert_false(x->overdue);
	assert_int_equal(x->nupdates, 3);
	/* history as it stood */
	assert_string_equal(scrutiny_status_at(x, "2027-03-31"), "not-started");
	assert_string_equal(scrutiny_status_at(x, "2027-04-01"), "delayed");
}

static void update_validation(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	int64_t act = action_of(id, 0, 1);
	int64_t before = count_sql("SELECT COUNT(*) FROM scrutiny_update");
	struct field_errors e;
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 1, 1)), "T", act, "2027-01-02",
					     "completed", "x", &e, NULL), ERR_INVALID);
	assert_string_equal(fe_for(&e, "on_date"),
			    "The date of the update must be today or in the "
			    "past");
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 1, 1)), "T", act, "2026-13-01",
					     "finished", "", &e, NULL), ERR_INVALID);
	assert_non_null(fe_for(&e, "on_date"));
	assert_non_null(fe_for(&e, "status"));
	assert_non_null(fe_for(&e, "narrative"));
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2027, 1, 1)), "T", 999999,
					     "2026-12-01", "completed", "x",
					     &e, NULL),
			 ERR_NOTFOUND);
	struct actor wb = who("bbb", "team-manager");
	assert_int_equal(scrutiny_update_add(conn, on(&wb, d(2027, 1, 1)), "T", act,
					     "2026-12-01", "completed", "x",
					     &e, NULL),
			 ERR_NOTFOUND);
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_update"),
			 before);
}

static void timescale_correction(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "analyst");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	int64_t act = action_of(id, 0, 1);
	struct field_errors e;
	assert_int_equal(scrutiny_timescale_set(conn, &w, act, "2016-02-30",
						"fortnightly", &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "due_on"));
	assert_non_null(fe_for(&e, "recurrence"));
	assert_int_equal(scrutiny_timescale_set(conn, &w, act, "2016-12-31",
						"", &e), ERR_OK);
	const struct scrutiny_action *x = load_action(id, act, d(2017, 1, 1));
	assert_string_equal(x->due_on, "2016-12-31");
	assert_string_equal(x->recurrence, "");
	assert_string_equal(x->timescale_text, "Termly"); /* as written */
	assert_true(x->timescale_checked);
	assert_true(x->overdue);
	assert_int_equal(scrutiny_timescale_set(conn, &w, 424242, "", "", &e),
			 ERR_NOTFOUND);
}

/* ---- roles ----------------------------------------------------------- */

static void roles_enforced_by_the_store(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	int64_t act = action_of(id, 0, 0);
	struct field_errors e;
	struct actor c = who("aaa", "councillor");
	db_set_role(conn, RB_COUNCILLOR);
	/* a councillor reads, comments, and cannot change a status */
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2017, 1, 1), &p), ERR_OK);
	assert_int_equal(scrutiny_comment_add(conn, &c, "Cllr Test", id, 0,
					      "When will this be done?", &e,
					      NULL), ERR_OK);
	assert_int_equal(scrutiny_update_add(conn, on(&c, d(2017, 1, 1)), "Cllr", act,
					     "2016-12-01", "completed", "x",
					     &e, NULL),
			 ERR_DENIED);
	assert_int_equal(scrutiny_timescale_set(conn, &c, act, "2016-12-01",
						"", &e), ERR_DENIED);
	assert_false(db_in_tx(conn));
	/* a partner reads nothing here */
	db_set_role(conn, RB_PARTNER);
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2017, 1, 1), &p),
			 ERR_DENIED);
	db_set_role(conn, RB_SOCIAL_WORKER);
	assert_int_equal(scrutiny_comment_add(conn, &c, "SW", id, 0, "x", &e,
					      NULL), ERR_DENIED);
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(count_sql("SELECT COUNT(*) FROM scrutiny_update "
				   "WHERE narrative = 'x'"), 0);
}

static void comments_validated(void **state)
{
	(void)state;
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "councillor");
	struct field_errors e;
	assert_int_equal(scrutiny_comment_add(conn, &w, "C", id, 0, "  ", &e,
					      NULL), ERR_INVALID);
	assert_non_null(fe_for(&e, "text"));
	assert_int_equal(scrutiny_comment_add(conn, &w, "C", id, 12345, "ok",
					      &e, NULL), ERR_INVALID);
	assert_non_null(fe_for(&e, "rec_id"));
	assert_int_equal(scrutiny_comment_add(conn, &w, "C", 99999, 0, "ok",
					      &e, NULL), ERR_NOTFOUND);
}

/* ---- reports --------------------------------------------------------- */

static void report_presented_and_changes(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	struct field_errors e;
	assert_int_equal(scrutiny_report_presented(conn, on(&w, d(2016, 12, 10)), id, "2016-12-05",
						   &e),
			 ERR_OK);
	assert_int_equal(scrutiny_report_presented(conn, on(&w, d(2016, 12, 10)), id, "2016-12-05",
						   &e),
			 ERR_CONFLICT);
	assert_int_equal(scrutiny_report_presented(conn, on(&w, d(2016, 12, 10)), id, "2016-12-11",
						   &e),
			 ERR_INVALID);
	int64_t act = action_of(id, 0, 1);
	assert_int_equal(scrutiny_update_add(conn, on(&w, d(2017, 2, 1)), "T", act, "2017-01-20",
					     "in-progress", "First forum held",
					     &e, NULL),
			 ERR_OK);
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2017, 2, 1), &p), ERR_OK);
	assert_string_equal(p.review.last_presented, "2016-12-05");
	assert_string_equal(p.review.next_report_due, "2017-06-05");
	struct report rp;
	assert_int_equal(report_build(arena, &p, p.review.last_presented,
				      d(2017, 2, 1), &rp), 0);
	assert_int_equal(rp.nactions, 3);
	assert_int_equal(rp.by_status[scrutiny_status_index("completed")], 1);
	assert_int_equal(rp.by_status[scrutiny_status_index("in-progress")], 1);
	assert_int_equal(rp.by_status[scrutiny_status_index("not-started")], 1);
	assert_int_equal(rp.nchanges, 1);
	assert_int_equal(rp.changes[0].action->action_id, act);
	assert_string_equal(rp.changes[0].from_status, "not-started");
	assert_string_equal(rp.changes[0].to_status, "in-progress");
	assert_string_equal(rp.changes[0].latest, "First forum held");
	/* with no earlier report every update is a change */
	assert_int_equal(report_build(arena, &p, "", d(2017, 2, 1), &rp), 0);
	assert_int_equal(rp.nchanges, 2);
	/* the HTML names both tables' headings */
	struct sbuf sb;
	sbuf_init(&sb, 1u << 20);
	assert_int_equal(report_html(&rp, true, &sb), 0);
	sbuf_addc(&sb, '\0');
	assert_non_null(strstr(sb.buf, "Comments and action taken"));
	assert_non_null(strstr(sb.buf, "<th scope=\"col\" class=\"govuk-table"
				       "__header\">Budget</th>"));
	assert_non_null(strstr(sb.buf, "@page{size:A4"));
	assert_null(strstr(sb.buf, "<script"));
	sbuf_release(&sb);
	assert_int_equal(count_sql("SELECT COUNT(*) FROM audit WHERE entity "
				   "LIKE 'scrutiny-%' AND COALESCE(child_id, 0) = 0") > 0,
			 1);
}

/* Splits one RFC 4180 record from *p into fields[] (malloc'd). */
static int csv_record(const char **p, char *fields[], int max)
{
	int n = 0;
	const char *s = *p;
	if (*s == '\0')
		return 0;
	for (;;) {
		char *f = malloc(strlen(s) + 1);
		size_t k = 0;
		if (*s == '"') {
			s++;
			for (;;) {
				if (*s == '"' && s[1] == '"') {
					f[k++] = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else if (*s == '\0') {
					fail_msg("unterminated quote");
				} else {
					f[k++] = *s++;
				}
			}
		} else {
			while (*s && *s != ',' && *s != '\r')
				f[k++] = *s++;
		}
		f[k] = '\0';
		assert_true(n < max);
		fields[n++] = f;
		if (*s == ',') {
			s++;
			continue;
		}
		assert_true(s[0] == '\r' && s[1] == '\n');
		s += 2;
		break;
	}
	*p = s;
	return n;
}

static void csv_round_trip(void **state)
{
	(void)state;
	make_proposal();
	int64_t id = new_review("aaa");
	struct actor w = who("aaa", "team-manager");
	assert_int_equal(scrutiny_import_save(conn, &w, "T", id, &prop,
					      "2016-06-07", NULL, NULL),
			 ERR_OK);
	struct scrutiny_plan p;
	assert_int_equal(scrutiny_plan_load(conn, "aaa", arena, id,
					    d(2017, 2, 1), &p), ERR_OK);
	struct report rp;
	assert_int_equal(report_build(arena, &p, "", d(2017, 2, 1), &rp), 0);
	struct sbuf sb;
	sbuf_init(&sb, 1u << 20);
	assert_int_equal(report_csv(&rp, &sb), 0);
	sbuf_addc(&sb, '\0');
	const char *s = sb.buf;
	char *f[32];
	int ncols = 0;
	while (report_csv_columns[ncols])
		ncols++;
	int n = csv_record(&s, f, 32);
	assert_int_equal(n, ncols);
	for (int i = 0; i < n; i++) {
		assert_string_equal(f[i], report_csv_columns[i]);
		free(f[i]);
	}
	int rows = 0;
	for (int i = 0; i < p.nrecs; i++)
		for (int j = 0; j < p.recs[i].nactions; j++) {
			const struct scrutiny_action *x = &p.recs[i].actions[j];
			assert_int_equal(csv_record(&s, f, 32), ncols);
			assert_string_equal(f[3], p.recs[i].ref);
			assert_string_equal(f[4], p.recs[i].text);
			char idb[24];
			snprintf(idb, sizeof(idb), "%lld",
				 (long long)x->action_id);
			assert_string_equal(f[7], idb);
			/* a cell a spreadsheet would run as a formula is
			 * prefixed with an apostrophe, and only then */
			if (x->text[0] == '=')
				assert_true(f[8][0] == '\'' &&
					    strcmp(f[8] + 1, x->text) == 0);
			else
				assert_string_equal(f[8], x->text);
			assert_string_equal(f[9], x->owner);
			assert_string_equal(f[11], x->timescale_text);
			assert_string_equal(f[12], x->due_on);
			assert_string_equal(f[14], x->status);
			for (int k = 0; k < ncols; k++)
				free(f[k]);
			rows++;
		}
	assert_int_equal(rows, 3);
	assert_int_equal(csv_record(&s, f, 32), 0);
	sbuf_release(&sb);
}

static void audit_chain_intact(void **state)
{
	(void)state;
	struct audit_verify_result res;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(audit_verify(conn, &res), 0);
	db_rollback(conn);
	assert_true(res.ok);
	assert_true(res.rows > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(review_validation),
		cmocka_unit_test(review_next_report_due),
		cmocka_unit_test(import_save_and_conflict),
		cmocka_unit_test(import_all_or_nothing),
		cmocka_unit_test(overdue_around_due_date),
		cmocka_unit_test(update_validation),
		cmocka_unit_test(timescale_correction),
		cmocka_unit_test(roles_enforced_by_the_store),
		cmocka_unit_test(comments_validated),
		cmocka_unit_test(report_presented_and_changes),
		cmocka_unit_test(csv_round_trip),
		cmocka_unit_test(audit_chain_intact),
	};
	return cmocka_run_group_tests_name("scrutiny", tests, setup, teardown);
}
