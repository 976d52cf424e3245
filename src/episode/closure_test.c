/* closure_test.c: closing a case and stepping down (issue 11 §8).  No
 * closing of a case that had an assessment without a consultation with
 * each involved agency, a watching agency and what it watches for,
 * services from the directory and a manager's approval, each refused on
 * its own field and writing nothing; a case without an assessment
 * closes as before; the watching agency's partners see the child while
 * the watch lasts and not after; a case reopened within 12 months names
 * the closed one; the consultations' and the directory's refusals.
 * Against a temporary database (SQLite, or PostgreSQL under
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
#include "child/child.h"
#include "core/arena.h"
#include "db/testdb.h"
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
	" ('aaa', 1, 'Family Help Team 1');"
	"INSERT INTO organisation (council, org_id, name, kind) VALUES"
	" ('aaa', 1, 'Testfield School', 'school'),"
	" ('aaa', 2, 'Test Health Visiting', 'health'),"
	" ('aaa', 3, 'Test Police', 'police'),"
	" ('aaa', 4, 'Test Old Nursery', 'other'),"
	" ('bbb', 1, 'Beeton School', 'school');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', 1, 'x', 0, 't'),"
	" ('aaa', 4, 'ad.four', 'Ada Admin', 'admin', NULL, 'x', 0, 't');"
	"INSERT INTO service_entry (council, service_id, kind, name, contact,"
	" withdrawn, created_at, created_by) VALUES"
	" ('aaa', 1, 'early_help', 'Test Early Help', 'Telephone 01632 960 000',"
	"  0, 't', 1),"
	" ('aaa', 2, 'money_advice', 'Test Money Advice', 'Library', 1, 't', 1),"
	" ('aaa', 3, 'childrens_centre', 'Test Centre', '1 Test Street', 0,"
	"  't', 1);";

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
	testdb_path(path, sizeof(path), "closuretest");
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
	/* child 1: the school and health visitor involved now, a nursery
	 * whose involvement ended before any case; child 2: nobody */
	testdb_exec(path, "INSERT INTO network_member (council, child_id,"
		    " member_id, kind, relationship, name, org_id, start_date,"
		    " end_date) VALUES"
		    " ('aaa', 1, 1, 'parent', 'Mother', 'Testparent One', NULL,"
		    "  NULL, NULL),"
		    " ('aaa', 1, 2, 'professional', 'Teacher', 'Testteacher',"
		    "  1, '2023-09-01', NULL),"
		    " ('aaa', 1, 3, 'professional', 'Health visitor',"
		    "  'Testvisitor', 2, NULL, NULL),"
		    " ('aaa', 1, 4, 'professional', 'Key worker', 'Testkey',"
		    "  4, '2020-01-01', '2022-01-01');");
	/* child 1's assessment, authorised after its case opens */
	testdb_exec(path, "INSERT INTO assessment (council, assessment_id,"
		    " child_id, started_on, authorised_on, created_at,"
		    " created_by) VALUES ('aaa', 1, 1, '2024-03-02', '2024-03-10',"
		    " 't', 2);");
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_ids_sync(conn, "aaa"), DB_OK);
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

static struct actor as_on(int64_t user, enum role r, int64_t org, int y,
			  int m, int d)
{
	db_set_role(conn, RB(r));
	struct actor a = {
		.council = "aaa", .user_id = user, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER, .org_id = org,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	actor_at(&a, uk_to_instant((struct cal_time){{y, m, d}, 12, 0}));
	return a;
}

static struct actor sw(int y, int m, int d)
{
	return as_on(2, ROLE_SOCIAL_WORKER, 0, y, m, d);
}

static struct actor tm(int y, int m, int d)
{
	return as_on(3, ROLE_TEAM_MANAGER, 0, y, m, d);
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

/* Everything a refused write could have left behind. */
static int64_t written(void)
{
	return count("SELECT (SELECT count(*) FROM episode)"
		     " + (SELECT count(*) FROM episode WHERE closed_on IS NULL)"
		     " + (SELECT count(*) FROM episode_closure)"
		     " + (SELECT count(*) FROM episode_closure_service)"
		     " + (SELECT count(*) FROM episode_consultation)"
		     " + (SELECT count(*) FROM service_entry)"
		     " + (SELECT count(*) FROM chronology)"
		     " + (SELECT count(*) FROM audit)");
}

static void refused(int rc, int want, const struct field_errors *e,
		    const char *field, int64_t before)
{
	assert_int_equal(rc, want);
	if (field && fe_for(e, field) == NULL)
		fail_msg("no message on %s (first: %s %s)", field,
			 e->n ? e->v[0].field : "-", e->n ? e->v[0].msg : "");
	assert_int_equal(written(), before);
}

static int64_t open_case(int64_t child, const char *type, const char *on,
			 int64_t assessment)
{
	struct actor a = sw(2024, 3, 1);
	actor_at(&a, uk_to_instant((struct cal_time){{2027, 1, 1}, 12, 0}));
	struct episode_input in = {type, on, "N1", false, NULL, 0, assessment};
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = episode_open(conn, &a, NULL, child, &in, &id, &e);
	if (rc != ERR_OK)
		fail_msg("open: %d %s %s", rc, e.n ? e.v[0].field : "-",
			 e.n ? e.v[0].msg : "");
	return id;
}

static void consult(int64_t episode, int64_t org, const char *on)
{
	struct actor a = sw(2024, 6, 1);
	struct closure_consult_input in = {org, "Test Person, safeguarding lead",
					   on, "Synthetic: content to close"};
	struct field_errors e = {0};
	assert_int_equal(closure_consult(conn, &a, episode, &in, NULL, &e),
			 ERR_OK);
}

/* ---- a case that had an assessment ------------------------------------- */

static void assessed_case_needs_each_requirement(void **state)
{
	(void)state;
	int64_t id = open_case(1, "family_help", "2024-03-01", 0);
	struct field_errors e = {0};
	struct actor w = sw(2024, 6, 1);
	bool assessed = false;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(closure_assessed(conn, &w, id, &assessed), ERR_OK);
	db_rollback(conn);
	assert_true(assessed);

	/* the worker with a date and reason only: every requirement named */
	int64_t before = written();
	struct episode_close_input in = {.closed_on = "2024-05-20",
					 .reason = "RC8"};
	refused(episode_close(conn, &w, id, &in, &e), ERR_INVALID, &e,
		"consultations", before);
	const char *need[] = {"watch_org_id", "watch_for", "services",
			      "approved"};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!fe_for(&e, need[i]))
			fail_msg("no message on %s", need[i]);
	assert_non_null(strstr(fe_for(&e, "consultations"), "Testfield School"));
	assert_non_null(strstr(fe_for(&e, "consultations"),
			       "Test Health Visiting"));
	/* the nursery's involvement ended before the case */
	assert_null(strstr(fe_for(&e, "consultations"), "Nursery"));
	assert_non_null(strstr(fe_for(&e, "approved"), "team manager"));

	/* the manager with everything but the consultations */
	static const int64_t svc[] = {1, 3};
	struct actor m = tm(2024, 6, 1);
	in.watch_org_id = 1;
	in.watch_for = "Synthetic: attendance and whether the child comes to "
		       "school hungry";
	in.approved = true;
	in.services = svc;
	in.nservices = 2;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &in, &e), ERR_INVALID, &e,
		"consultations", before);
	assert_int_equal(e.n, 1);

	/* one agency consulted: the other still named */
	consult(id, 1, "2024-05-10");
	before = written();
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &in, &e), ERR_INVALID, &e,
		"consultations", before);
	assert_null(strstr(fe_for(&e, "consultations"), "Testfield"));
	assert_non_null(strstr(fe_for(&e, "consultations"), "Health"));
	consult(id, 2, "2024-05-12");
	before = written();

	/* each remaining requirement alone */
	struct episode_close_input bad = in;
	bad.watch_org_id = 0;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"watch_org_id", before);
	assert_int_equal(e.n, 1);
	bad = in;
	bad.watch_org_id = 99;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"watch_org_id", before);
	bad = in;
	bad.watch_for = "  ";
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"watch_for", before);
	assert_int_equal(e.n, 1);
	bad = in;
	bad.nservices = 0;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"services", before);
	assert_int_equal(e.n, 1);
	static const int64_t withdrawn[] = {2}, unknown[] = {77},
			     twice[] = {1, 1};
	bad.services = withdrawn;
	bad.nservices = 1;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"services", before);
	assert_non_null(strstr(fe_for(&e, "services"), "withdrawn"));
	bad.services = unknown;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"services", before);
	bad.services = twice;
	bad.nservices = 2;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"services", before);
	bad = in;
	bad.approved = false;
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &bad, &e), ERR_INVALID, &e,
		"approved", before);
	assert_non_null(strstr(fe_for(&e, "approved"), "Confirm"));
	/* the worker with everything: still the manager's to approve */
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &w, id, &in, &e), ERR_INVALID, &e,
		"approved", before);
	assert_int_equal(e.n, 1);

	/* all of it: closed, recorded, the watch for 12 months */
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_close(conn, &m, id, &in, &e), ERR_OK);
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode_closure WHERE"
		 " episode_id = %lld AND assessed = 1 AND watch_org_id = 1"
		 " AND watch_until = '2025-05-20' AND approved_by = 3"
		 " AND approved_at = '2024-06-01T12:00'", (long long)id);
	assert_int_equal(count(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode_closure_service"
		 " WHERE episode_id = %lld", (long long)id);
	assert_int_equal(count(sql), 2);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE kind ="
			       " 'agency_consulted'"), 2);
	/* read back for the case page */
	struct closure cl;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	m = tm(2024, 6, 2);
	assert_int_equal(closure_read(conn, &m, id, arena, &cl), ERR_OK);
	struct closure_consultation *kv;
	int kn;
	assert_int_equal(closure_consultations(conn, &m, id, arena, &kv, &kn),
			 ERR_OK);
	db_rollback(conn);
	assert_string_equal(cl.watch_org_name, "Testfield School");
	assert_string_equal(cl.approved_by_name, "Tia Manager");
	assert_string_equal(cl.services, "Test Centre; Test Early Help");
	assert_int_equal(kn, 2);
	assert_string_equal(kv[0].org_name, "Testfield School");
	/* closed: no more consultations, no second closing */
	struct closure_consult_input k = {1, "Someone", "2024-05-30", "View"};
	before = written();
	memset(&e, 0, sizeof(e));
	refused(closure_consult(conn, &w, id, &k, NULL, &e), ERR_INVALID, &e,
		"case", before);
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &m, id, &in, &e), ERR_CONFLICT, &e, "case",
		before);
}

/* Opened from an assessment (assessment_id): assessed too. */
static void opened_from_an_assessment_is_assessed(void **state)
{
	(void)state;
	int64_t id = open_case(3, "family_help", "2024-01-05", 42);
	struct actor m = tm(2024, 6, 1);
	struct episode_close_input in = {.closed_on = "2024-02-01",
					 .reason = "RC7", .approved = true};
	struct field_errors e = {0};
	int64_t before = written();
	refused(episode_close(conn, &m, id, &in, &e), ERR_INVALID, &e,
		"watch_org_id", before);
	/* child 3 has no agency: nobody to consult */
	assert_null(fe_for(&e, "consultations"));
	assert_non_null(fe_for(&e, "services"));
}

/* ---- a case without an assessment ------------------------------------ */

static void unassessed_case_closes_as_before(void **state)
{
	(void)state;
	int64_t id = open_case(2, "family_help", "2024-02-01", 0);
	struct actor w = sw(2024, 6, 1);
	struct field_errors e = {0};
	struct episode_close_input in = {.closed_on = "2024-04-01",
					 .reason = "RC7", .approved = true};
	int64_t before = written();
	/* only a manager approves */
	refused(episode_close(conn, &w, id, &in, &e), ERR_INVALID, &e,
		"approved", before);
	/* what to watch for needs an agency */
	in.approved = false;
	in.watch_for = "Synthetic: anything";
	memset(&e, 0, sizeof(e));
	refused(episode_close(conn, &w, id, &in, &e), ERR_INVALID, &e,
		"watch_org_id", before);
	in.watch_for = NULL;
	memset(&e, 0, sizeof(e));
	assert_int_equal(episode_close(conn, &w, id, &in, &e), ERR_OK);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM episode_closure WHERE"
		 " episode_id = %lld AND assessed = 0 AND watch_org_id IS NULL"
		 " AND approved_by IS NULL", (long long)id);
	assert_int_equal(count(sql), 1);
}

/* ---- the watching agency's partners ----------------------------------- */

static void watching_agency_sees_the_family(void **state)
{
	(void)state;
	/* child 4: nobody involved; a case without an assessment closed
	 * with the police keeping watch */
	int64_t id = open_case(4, "family_help", "2024-02-01", 0);
	struct actor police = as_on(9, ROLE_PARTNER, 3, 2024, 6, 1);
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(child_visible(conn, &police, 4), ERR_NOTFOUND);
	db_rollback(conn);

	static const int64_t svc[] = {1};
	struct episode_close_input in = {
		.closed_on = "2024-05-31", .reason = "RC7", .watch_org_id = 3,
		.watch_for = "Synthetic: call-outs to the address",
		.services = svc, .nservices = 1};
	struct actor w = sw(2024, 6, 1);
	struct field_errors e = {0};
	assert_int_equal(episode_close(conn, &w, id, &in, &e), ERR_OK);

	police = as_on(9, ROLE_PARTNER, 3, 2024, 6, 1);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_visible(conn, &police, 4), ERR_OK);
	struct closure_watch *v;
	int n;
	int64_t audits = count("SELECT count(*) FROM audit WHERE action ="
			       " 'list'");
	assert_int_equal(closure_watched(conn, &police, arena, &v, &n), ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].child_id, 4);
	assert_string_equal(v[0].watch_until, "2025-05-31");
	/* the list is audited */
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'list'"), audits + 1);
	/* another agency sees only the family it watches (child 1, above) */
	struct actor school = as_on(9, ROLE_PARTNER, 1, 2024, 6, 1);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_visible(conn, &school, 4), ERR_NOTFOUND);
	assert_int_equal(closure_watched(conn, &school, arena, &v, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].child_id, 1);
	db_rollback(conn);
	/* the last day of the watch, then after it */
	police = as_on(9, ROLE_PARTNER, 3, 2025, 5, 30);
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(child_visible(conn, &police, 4), ERR_OK);
	db_rollback(conn);
	police = as_on(9, ROLE_PARTNER, 3, 2025, 5, 31);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_visible(conn, &police, 4), ERR_NOTFOUND);
	assert_int_equal(closure_watched(conn, &police, arena, &v, &n), ERR_OK);
	assert_int_equal(n, 0);
	db_rollback(conn);
}

/* ---- reopening within 12 months ------------------------------------- */

static void reopened_within_12_months_links_back(void **state)
{
	(void)state;
	/* child 2's Family Help case closed on 2024-04-01 (above) */
	int64_t closed = count("SELECT episode_id FROM episode WHERE child_id"
			       " = 2 AND closed_on = '2024-04-01'");
	assert_true(closed > 0);
	/* a child protection case is another type: no link */
	int64_t cp = open_case(2, "child_protection", "2024-06-01", 0);
	int64_t fh = open_case(2, "family_help", "2025-04-01", 0);
	struct actor m = tm(2025, 4, 2);
	struct episode v;
	assert_int_equal(episode_read(conn, &m, fh, arena, &v), ERR_OK);
	assert_int_equal(v.reopened_from, closed);
	assert_string_equal(v.reopened_from_closed, "2024-04-01");
	assert_int_equal(episode_read(conn, &m, cp, arena, &v), ERR_OK);
	assert_int_equal(v.reopened_from, 0);
	/* a day past 12 months: no link */
	struct actor w = sw(2025, 5, 1);
	struct episode_close_input in = {.closed_on = "2025-04-02",
					 .reason = "RC7"};
	struct field_errors e = {0};
	assert_int_equal(episode_close(conn, &w, fh, &in, &e), ERR_OK);
	int64_t late = open_case(2, "family_help", "2026-04-03", 0);
	assert_int_equal(episode_read(conn, &m, late, arena, &v), ERR_OK);
	assert_int_equal(v.reopened_from, 0);
}

/* ---- consultations and the directory ----------------------------------- */

static void consultation_refusals(void **state)
{
	(void)state;
	int64_t id = open_case(3, "child_protection", "2024-03-01", 0);
	struct actor w = sw(2024, 6, 1);
	struct {
		struct closure_consult_input in;
		const char *field;
	} bad[] = {
		{{0, "A", "2024-05-01", "V"}, "org_id"},
		{{99, "A", "2024-05-01", "V"}, "org_id"},
		{{1, "", "2024-05-01", "V"}, "person"},
		{{1, "A", "2024-02-01", "V"}, "consulted_on"},
		{{1, "A", "2024-07-01", "V"}, "consulted_on"},
		{{1, "A", "2024-05-01", ""}, "view"},
	};
	int64_t before = written();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_errors e = {0};
		refused(closure_consult(conn, &w, id, &bad[i].in, NULL, &e),
			ERR_INVALID, &e, bad[i].field, before);
	}
	struct field_errors e = {0};
	refused(closure_consult(conn, &w, 999, &bad[0].in, NULL, &e),
		ERR_NOTFOUND, &e, NULL, before);
	/* another council's case is not found either */
	struct actor b = w;
	b.council = "bbb";
	struct closure_consult_input ok = {1, "A", "2024-05-01", "V"};
	refused(closure_consult(conn, &b, id, &ok, NULL, &e), ERR_NOTFOUND, &e,
		NULL, before);
}

static void service_directory(void **state)
{
	(void)state;
	struct actor ad = as_on(4, ROLE_ADMIN, 0, 2024, 6, 1);
	struct field_errors e = {0};
	int64_t before = written();
	struct closure_service_input bad = {"bingo", "X", "Y"};
	refused(closure_service_add(conn, &ad, &bad, NULL, &e), ERR_INVALID,
		&e, "kind", before);
	struct closure_service_input dup = {"early_help", "Test Early Help",
					    "Elsewhere"};
	memset(&e, 0, sizeof(e));
	refused(closure_service_add(conn, &ad, &dup, NULL, &e), ERR_CONFLICT,
		&e, "name", before);
	struct closure_service_input ok = {"parenting", "Test Bump to Baby",
					   "Telephone 01632 960 999"};
	int64_t id = 0;
	memset(&e, 0, sizeof(e));
	assert_int_equal(closure_service_add(conn, &ad, &ok, &id, &e), ERR_OK);
	assert_true(id > 3);
	struct closure_service *v;
	int n;
	assert_int_equal(closure_services(conn, &ad, false, arena, &v, &n),
			 ERR_OK);
	assert_int_equal(n, 3); /* the withdrawn one left out */
	assert_int_equal(closure_services(conn, &ad, true, arena, &v, &n),
			 ERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(closure_service_withdraw(conn, &ad, id, true), ERR_OK);
	assert_int_equal(closure_service_withdraw(conn, &ad, 999, true),
			 ERR_NOTFOUND);
	assert_int_equal(closure_services(conn, &ad, false, arena, &v, &n),
			 ERR_OK);
	assert_int_equal(n, 2);
	/* the seed: six kinds for a council with none, nothing after */
	struct actor sys = actor_system("bbb", ad.now);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int64_t made = -1;
	assert_int_equal(closure_services_seed(conn, &sys, &made), ERR_OK);
	assert_int_equal(made, 6);
	assert_int_equal(closure_services_seed(conn, &sys, &made), ERR_OK);
	assert_int_equal(made, 0);
	assert_int_equal(count("SELECT count(DISTINCT kind) FROM service_entry"
			       " WHERE council = 'bbb'"), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(assessed_case_needs_each_requirement),
		cmocka_unit_test(opened_from_an_assessment_is_assessed),
		cmocka_unit_test(unassessed_case_closes_as_before),
		cmocka_unit_test(watching_agency_sees_the_family),
		cmocka_unit_test(reopened_within_12_months_links_back),
		cmocka_unit_test(consultation_refusals),
		cmocka_unit_test(service_directory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
