/* practice_test.c: visits, case notes (append-only, corrections) and the
 * child's voice against a temporary database with synthetic rows: what
 * each write keeps, that every refusal writes nothing, the audit rows
 * and chronology entries, and the store's role checks. */
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
#include "practice/practice.h"
#include "rules/calendar.h"

static char path[256];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', NULL, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', NULL, 'x', 0, 't'),"
	" ('aaa', 5, 'pa.five', 'Pat Partner', 'partner', NULL, 'x', 0, 't'),"
	" ('bbb', 6, 'b.sw', 'Bo Worker', 'social-worker', NULL, 'x', 0, 't');";

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
	testdb_path(path, sizeof(path), "practicetest");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
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
	add_child("aaa", 1);
	add_child("aaa", 2);
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
	testdb_remove(path);
	return 0;
}

/* An actor of role r at 2026-03-27 10:00 UTC: 10:00 in England too
 * (British Summer Time begins on 29 March 2026). */
static struct actor as(const char *council, int64_t user_id, enum role r)
{
	db_set_role(conn, RB(r));
	struct actor a = {
		.council = council, .user_id = user_id, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	struct cal_time t = {{2026, 3, 27}, 10, 0};
	actor_at(&a, cal_minutes(t) * 60);
	return a;
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

/* Every table a refusal must leave alone, summed into one number. */
static int64_t written(void)
{
	return count("SELECT (SELECT count(*) FROM visit)"
		     " + (SELECT count(*) FROM case_note)"
		     " + (SELECT count(*) FROM child_voice)"
		     " + (SELECT count(*) FROM chronology)"
		     " + (SELECT count(*) FROM audit)");
}

static struct visit_input good_visit(void)
{
	struct visit_input in = {
		.visited_at = "2026-03-26T16:30", .place = "home",
		.child_seen = true, .seen_alone = true,
		.others_present = "Mother (synthetic)",
		.observations = "Synthetic: the home was warm and tidy.",
		.voice_how = "words",
		.voice_said = "Synthetic: I like my new school.",
	};
	return in;
}

static void visit_kept_with_voice_chronology_audit(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct visit_input in = good_visit();
	int64_t id = 0;
	struct field_errors e = {0};
	assert_int_equal(practice_visit_record(conn, &a, NULL, 1, &in, &id, &e),
			 ERR_OK);
	assert_true(id > 0);
	assert_int_equal(count("SELECT count(*) FROM visit WHERE council ="
			       " 'aaa' AND child_id = 1 AND child_seen = 1"
			       " AND seen_alone = 1 AND place = 'home'"
			       " AND visited_at = '2026-03-26T16:30'"), 1);
	/* what the child said, linked to the visit, dated its day */
	assert_int_equal(count("SELECT count(*) FROM child_voice WHERE"
			       " council = 'aaa' AND child_id = 1 AND"
			       " link_kind = 'visit' AND heard_on ="
			       " '2026-03-26' AND how = 'words' AND"
			       " heard_by = 2"), 1);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE"
			       " council = 'aaa' AND child_id = 1 AND kind ="
			       " 'visit' AND occurred = '2026-03-26T16:30'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE council ="
			       " 'aaa' AND action = 'create' AND entity ="
			       " 'visit' AND child_id = 1"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE council ="
			       " 'aaa' AND action = 'create' AND entity ="
			       " 'child-voice' AND child_id = 1"), 1);

	struct visit v;
	assert_int_equal(practice_visit_read(conn, &a, id, arena, &v), ERR_OK);
	assert_string_equal(v.visitor_name, "Sam Worker");
	assert_string_equal(v.place_detail, "");
	assert_true(v.child_seen && v.seen_alone);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'read' AND entity = 'visit'"), 1);

	/* another council's worker finds nothing */
	struct actor b = as("bbb", 6, ROLE_SOCIAL_WORKER);
	assert_int_equal(practice_visit_read(conn, &b, id, arena, &v),
			 ERR_NOTFOUND);

	/* a visit with the child not seen: no voice, its own line */
	a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct visit_input unseen = {
		.visited_at = "2026-03-27T09:00", .place = "other",
		.place_detail = "The park", .child_seen = false,
		.observations = "Synthetic: nobody answered the door.",
	};
	int64_t id2;
	assert_int_equal(practice_visit_record(conn, &a, NULL, 1, &unseen, &id2, &e),
			 ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM child_voice"), 1);
	struct visit *rows;
	int n;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(practice_visits_child(conn, &a, 1, arena, &rows, &n),
			 ERR_OK);
	db_rollback(conn);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].visit_id, id2); /* newest first */
	assert_string_equal(rows[0].place_detail, "The park");
	assert_false(rows[0].child_seen);
}

/* Each refusal: ERR_INVALID naming the field, or ERR_NOTFOUND, and
 * nothing written anywhere. */
static void visit_refusals_write_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		const char *field;
	} cases[] = {
		{"no observations", "observations"},
		{"in the future", "visited_at"},
		{"not a real date", "visited_at"},
		{"unknown place", "place"},
		{"somewhere else, unsaid", "place_detail"},
		{"alone, not seen", "seen_alone"},
		{"said, but not how", "voice_how"},
		{"unknown way of telling", "voice_how"},
		{"too long", "voice_said"},
	};
	static char lots[5002];
	memset(lots, 'a', sizeof(lots) - 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
		struct visit_input in = good_visit();
		switch (i) {
		case 0: in.observations = ""; break;
		case 1: in.visited_at = "2026-03-28T09:00"; break;
		case 2: in.visited_at = "2026-02-30T09:00"; break;
		case 3: in.place = "moon"; break;
		case 4: in.place = "other"; break;
		case 5: in.child_seen = false; break;
		case 6: in.voice_how = NULL; break;
		case 7: in.voice_how = "telepathy"; break;
		case 8: in.voice_said = lots; break;
		}
		int64_t before = written();
		struct field_errors e = {0};
		int rc = practice_visit_record(conn, &a, NULL, 1, &in, NULL, &e);
		if (rc != ERR_INVALID || fe_for(&e, cases[i].field) == NULL)
			fail_msg("%s: %s, %d errors, first on %s", cases[i].what,
				 err_name(rc), e.n, e.n ? e.v[0].field : "-");
		assert_int_equal(written(), before);
	}
	/* no such child, and another council's child: not found */
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct visit_input in = good_visit();
	int64_t before = written();
	assert_int_equal(practice_visit_record(conn, &a, NULL, 77, &in, NULL, NULL),
			 ERR_NOTFOUND);
	assert_int_equal(practice_visit_record(conn, &a, NULL, 9, &in, NULL, NULL),
			 ERR_NOTFOUND);
	/* a partner's connection may not write (the store's role check) */
	struct actor p = as("aaa", 5, ROLE_PARTNER);
	assert_int_equal(practice_visit_record(conn, &p, NULL, 1, &in, NULL, NULL),
			 ERR_DENIED);
	assert_int_equal(written(), before);
}

static void case_notes_append_only(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct note_input in = {"2026-03-25T14:00", "Phone call with school",
				"Synthetic: the school rang about lateness."};
	int64_t id = 0, c1 = 0, c2 = 0, other = 0;
	struct field_errors e = {0};
	assert_int_equal(practice_note_add(conn, &a, 1, &in, &id, &e), ERR_OK);
	struct note_input in2 = {"2026-03-26T09:00", "Home visit arranged",
				 "Synthetic: a visit was arranged."};
	assert_int_equal(practice_note_add(conn, &a, 1, &in2, &other, &e),
			 ERR_OK);

	/* a correction by the manager: the original is untouched */
	struct actor m = as("aaa", 3, ROLE_TEAM_MANAGER);
	struct note_correction_input fix = {
		"Synthetic: the school rang about absence, not lateness.",
		"The wrong word was written"};
	assert_int_equal(practice_note_correct(conn, &m, id, &fix, &c1, &e),
			 ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM case_note WHERE note_id ="
			       " (SELECT min(note_id) FROM case_note) AND body"
			       " = 'Synthetic: the school rang about"
			       " lateness.' AND corrects IS NULL"), 1);
	/* correcting the correction still names the original */
	struct note_correction_input fix2 = {
		"Synthetic: the school rang about absence on Monday.",
		"The day was left out"};
	assert_int_equal(practice_note_correct(conn, &a, c1, &fix2, &c2, &e),
			 ERR_OK);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_note WHERE"
		 " corrects = %lld", (long long)id);
	assert_int_equal(count(sql), 2);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'correct' AND entity = 'case-note'"), 2);

	/* refusals: the same text, no reason, no such note */
	int64_t before = written();
	struct note_correction_input same = {fix2.body, "No change"};
	e = (struct field_errors){0};
	assert_int_equal(practice_note_correct(conn, &a, id, &same, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "body"));
	struct note_correction_input noreason = {"Synthetic: other.", ""};
	e = (struct field_errors){0};
	assert_int_equal(practice_note_correct(conn, &a, id, &noreason, NULL,
					       &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "reason"));
	assert_int_equal(practice_note_correct(conn, &a, 999, &fix, NULL, NULL),
			 ERR_NOTFOUND);
	struct actor b = as("bbb", 6, ROLE_SOCIAL_WORKER);
	assert_int_equal(practice_note_correct(conn, &b, id, &fix, NULL, NULL),
			 ERR_NOTFOUND);
	a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct note_input bad = {"2026-03-25T14:00", "", ""};
	e = (struct field_errors){0};
	assert_int_equal(practice_note_add(conn, &a, 1, &bad, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "subject"));
	assert_non_null(fe_for(&e, "body"));
	assert_int_equal(written(), before);

	/* the history: original first, then the corrections */
	struct case_note *h;
	int n;
	assert_int_equal(practice_note_history(conn, &a, c2, arena, &h, &n),
			 ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].note_id, id);
	assert_int_equal(h[2].note_id, c2);
	assert_string_equal(h[2].subject, "Phone call with school");
	assert_string_equal(h[2].reason, "The day was left out");
	assert_string_equal(h[1].author_name, "Tia Manager");

	/* the child's lines: newest happening first, the current text */
	struct note_line *l;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(practice_notes_child(conn, &a, 1, arena, &l, &n),
			 ERR_OK);
	db_rollback(conn);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].original->note_id, other);
	assert_int_equal(l[0].corrections, 0);
	assert_int_equal(l[1].original->note_id, id);
	assert_int_equal(l[1].corrections, 2);
	assert_int_equal(l[1].current->note_id, c2);
	assert_string_equal(l[1].original->body,
			    "Synthetic: the school rang about lateness.");
}

static void voice_in_order(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	struct voice_input v1 = {"2026-03-20", "drawing",
				 "Synthetic: drew the family with a dog."};
	struct voice_input v0 = {"2026-01-05", "advocate",
				 "Synthetic: wants to see grandad more."};
	struct field_errors e = {0};
	assert_int_equal(practice_voice_record(conn, &a, 2, &v1, NULL, 0, NULL,
					       &e), ERR_OK);
	assert_int_equal(practice_voice_record(conn, &a, 2, &v0, NULL, 0, NULL,
					       &e), ERR_OK);
	int64_t before = written();
	struct voice_input future = {"2026-03-28", "words", "Synthetic."};
	e = (struct field_errors){0};
	assert_int_equal(practice_voice_record(conn, &a, 2, &future, NULL, 0,
					       NULL, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "heard_on"));
	struct voice_input nohow = {"2026-03-20", "", "Synthetic."};
	e = (struct field_errors){0};
	assert_int_equal(practice_voice_record(conn, &a, 2, &nohow, NULL, 0,
					       NULL, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "how"));
	assert_int_equal(written(), before);

	struct child_voice *v;
	int n;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(practice_voice_child(conn, &a, 2, arena, &v, &n),
			 ERR_OK);
	db_rollback(conn);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].heard_on, "2026-01-05"); /* as heard */
	assert_string_equal(v[0].how, "advocate");
	assert_string_equal(v[1].heard_by_name, "Sam Worker");
	assert_string_equal(v[1].link_kind, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			visit_kept_with_voice_chronology_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(visit_refusals_write_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(case_notes_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(voice_in_order, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
