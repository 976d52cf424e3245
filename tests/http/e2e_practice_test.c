/*
 * e2e_practice_test.c: visits, case notes and the child's voice end to
 * end over loopback (practice/practice.h).  A social worker records a
 * visit with what the child said through the form; the child's page
 * shows when they were last seen alone; a refused form keeps what was
 * typed and writes nothing; a case note is corrected and both versions
 * stay readable; the same through the JSON API (201, 422 naming the
 * fields, 404 for another council's child or an unknown note); a
 * partner, an analyst and a councillor are refused every page and call;
 * every read and write leaves its audit row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 200);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long count(const char *sql)
{
	return e2e_sql_int(&srv, sql);
}

static long long written(void)
{
	return count("SELECT (SELECT count(*) FROM visit)"
		     " + (SELECT count(*) FROM case_note)"
		     " + (SELECT count(*) FROM child_voice)");
}

static void visit_through_the_form(void **state)
{
	(void)state;
	long long child = count("SELECT min(child_id) FROM child");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char path[160], form[1024];
	snprintf(path, sizeof(path), "/children/%lld/visits/new", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Record a visit"));

	/* refused: seen alone but not seen, no observations; kept typed */
	long long before = written();
	snprintf(path, sizeof(path), "/children/%lld/visits", child);
	snprintf(form, sizeof(form), "csrf=%s&visited_at-day=1&"
		 "visited_at-month=12&visited_at-year=2026&visited_at-time="
		 "10%%3A30&place=home&child_seen=no&seen_alone=yes&"
		 "others_present=Synthetic+aunt&observations=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "The child cannot have been seen alone if "
			    "they were not seen"));
	assert_true(e2e_has(&c, "Enter what you saw and heard"));
	assert_true(e2e_has(&c, "value=\"Synthetic aunt\""));
	assert_int_equal(written(), before);

	/* saved, with what the child said */
	snprintf(form, sizeof(form), "csrf=%s&visited_at-day=1&"
		 "visited_at-month=12&visited_at-year=2026&visited_at-time="
		 "10%%3A30&place=school&child_seen=yes&seen_alone=yes&"
		 "observations=Synthetic+observations&voice_how=drawing&"
		 "voice_said=Synthetic+drew+a+house", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_int_equal(written(), before + 2);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT max(visit_id) FROM visit WHERE "
		 "child_id = %lld", child);
	long long vid = count(sql);
	snprintf(path, sizeof(path), "/children/%lld/visits/%lld", child, vid);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic observations"));
	assert_true(e2e_has(&c, "Seen alone"));
	assert_true(e2e_has(&c, "School or nursery"));

	/* the child's page: last seen alone; the voice page: the words */
	snprintf(path, sizeof(path), "/children/%lld", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Last seen alone"));
	assert_true(e2e_has(&c, "1 December 2026"));
	snprintf(path, sizeof(path), "/children/%lld/voice", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic drew a house"));
	assert_true(e2e_has(&c, "A drawing, play or other activity"));
	assert_true(e2e_has(&c, "At a visit"));
	/* the chronology's link leads to the visit */
	snprintf(path, sizeof(path), "/visits/%lld", vid);
	assert_int_equal(e2e_get(&c, path), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE action"
		 " = 'create' AND entity = 'visit' AND entity_id = %lld", vid);
	assert_int_equal(count(sql), 1);
	e2e_client_free(&c);
}

static void case_note_corrected_keeps_original(void **state)
{
	(void)state;
	long long child = count("SELECT max(child_id) FROM child");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char path[160], form[1024];
	snprintf(path, sizeof(path), "/children/%lld/case-notes/new", child);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(path, sizeof(path), "/children/%lld/case-notes", child);
	snprintf(form, sizeof(form), "csrf=%s&occurred-day=2&occurred-month="
		 "12&occurred-year=2026&occurred-time=09%%3A00&subject="
		 "Synthetic+call&body=Synthetic+first+text", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT max(note_id) FROM case_note WHERE "
		 "child_id = %lld", child);
	long long nid = count(sql);
	snprintf(path, sizeof(path), "/children/%lld/case-notes/%lld", child,
		 nid);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Correct this note"));
	/* no reason: refused, nothing written */
	long long before = written();
	snprintf(path, sizeof(path), "/children/%lld/case-notes/%lld/correction",
		 child, nid);
	snprintf(form, sizeof(form), "csrf=%s&body=Synthetic+second+text&"
		 "reason=", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "Enter why the note needs correcting"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&body=Synthetic+second+text&"
		 "reason=Synthetic+typo", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(path, sizeof(path), "/children/%lld/case-notes", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic second text"));
	assert_true(e2e_has(&c, "1 correction"));
	snprintf(path, sizeof(path), "/children/%lld/case-notes/%lld", child,
		 nid);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "As first written"));
	assert_true(e2e_has(&c, "Synthetic first text"));
	assert_true(e2e_has(&c, "Why: Synthetic typo"));
	/* a note of another child is not found under this one */
	snprintf(path, sizeof(path), "/children/%lld/case-notes/%lld",
		 child - 1, nid);
	assert_int_equal(e2e_get(&c, path), 404);
	e2e_client_free(&c);
}

static void through_the_api(void **state)
{
	(void)state;
	long long child = count("SELECT min(child_id) FROM child") + 1;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "sw.demo"));
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/visits", child);
	long long before = written();
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"visited_at\": \"2026-11-30T15:00\","
				  " \"place\": \"moon\", \"child_seen\": true,"
				  " \"observations\": \"\"}"), 422);
	assert_true(e2e_has(&c, "\"place\""));
	assert_true(e2e_has(&c, "\"observations\""));
	assert_int_equal(written(), before);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"visited_at\": \"2026-11-30T15:00\","
				  " \"place\": \"home\", \"child_seen\": true,"
				  " \"seen_alone\": false,"
				  " \"observations\": \"Synthetic api\"}"), 201);
	assert_true(e2e_has(&c, "\"place_label\":\"The child's home\""));
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_true(e2e_has(&c, "Synthetic api"));
	/* another council's child, or none: not found */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/children/999999/visits",
				  NULL), 404);

	snprintf(path, sizeof(path), "/api/v1/children/%lld/case-notes", child);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"occurred\": \"2026-11-30T16:00\","
				  " \"subject\": \"Synthetic\","
				  " \"body\": \"Synthetic one\"}"), 201);
	char loc[200];
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	long long nid = atoll(strrchr(loc, '/') + 1);
	snprintf(path, sizeof(path), "/api/v1/case-notes/%lld/corrections",
		 nid);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"body\": \"Synthetic two\","
				  " \"reason\": \"Synthetic\"}"), 200);
	assert_true(e2e_has(&c, "Synthetic one"));
	assert_true(e2e_has(&c, "Synthetic two"));
	/* there is no way to change or delete a note */
	snprintf(path, sizeof(path), "/api/v1/case-notes/%lld", nid);
	assert_int_equal(e2e_json(&c, "DELETE", path, NULL), 405);
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/case-notes/999999/"
				  "corrections", "{\"body\": \"x\", \"reason\":"
				  " \"y\"}"), 404);
	snprintf(path, sizeof(path), "/api/v1/children/%lld/case-notes", child);
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_true(e2e_has(&c, "\"corrections\":1"));
	assert_true(e2e_has(&c, "\"original_body\":\"Synthetic one\""));

	snprintf(path, sizeof(path), "/api/v1/children/%lld/voice", child);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"heard_on\": \"2026-11-29\", \"how\":"
				  " \"app\", \"said\": \"Synthetic voice\"}"),
			 200);
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_true(e2e_has(&c, "Synthetic voice"));
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE action ="
		 " 'read' AND entity = 'child-voice' AND child_id = %lld",
		 child);
	assert_true(count(sql) >= 1);
	e2e_client_free(&c);
}

static void others_refused(void **state)
{
	(void)state;
	long long child = count("SELECT min(child_id) FROM child");
	static const char *const users[] = {"partner.school", "analyst.demo",
					    "cllr.demo"};
	char path[160];
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct e2e_client c;
		e2e_client_init(&c, &srv);
		assert_true(e2e_sign_in(&c, users[i], DEMO_PASSWORD));
		snprintf(path, sizeof(path), "/children/%lld/visits", child);
		long st = e2e_get(&c, path);
		if (st != 403 && st != 404)
			fail_msg("%s: visits page %ld", users[i], st);
		snprintf(path, sizeof(path), "/children/%lld/voice", child);
		st = e2e_get(&c, path);
		if (st != 403 && st != 404)
			fail_msg("%s: voice page %ld", users[i], st);
		assert_false(e2e_has(&c, "Synthetic"));
		e2e_client_free(&c);
	}
	/* an IRO reads but does not write */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "iro.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld/voice", child);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_false(e2e_has(&c, "Record what the child said"));
	snprintf(path, sizeof(path), "/children/%lld/voice/new", child);
	assert_int_equal(e2e_get(&c, path), 403);
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(visit_through_the_form),
		cmocka_unit_test(case_note_corrected_keeps_original),
		cmocka_unit_test(through_the_api),
		cmocka_unit_test(others_refused),
	};
	return cmocka_run_group_tests(tests, up, down);
}
