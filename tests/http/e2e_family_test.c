/*
 * e2e_family_test.c: the family end to end over loopback
 * (family/family.h, D55).  On the demo council, whose brothers and
 * sisters share their adults: the child's page has the family section;
 * the whole family's page shows every child and adult and audits every
 * child shown; a social worker adds a person to one child and the same
 * person to the brother or sister (one person, two links, each with the
 * child's own relationship); linking a brother's or sister's record
 * through the network's form offers their people; the refusals (a link twice, an unknown
 * relationship, an end before the start, a factor without a source)
 * answer 4xx and write nothing; a parental factor reaches every child's
 * chronology; the same through the JSON API and the OpenAPI document; a
 * partner, an analyst and a councillor see no family.
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
	return count("SELECT (SELECT count(*) FROM family_person)"
		     " + (SELECT count(*) FROM network_member)"
		     " + (SELECT count(*) FROM family_factor)"
		     " + (SELECT count(*) FROM chronology)");
}

/* Two children sharing a person (the demo makes such families). */
static void two_children(long long *a, long long *b)
{
	*a = count("SELECT min(child_id) FROM network_member WHERE person_id"
		   " IN (SELECT person_id FROM network_member WHERE person_id"
		   " IS NOT NULL GROUP BY person_id HAVING count(*) >= 2)");
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT min(o.child_id) FROM network_member m JOIN"
		 " network_member o ON o.person_id = m.person_id AND"
		 " o.child_id <> m.child_id WHERE m.child_id = %lld", *a);
	*b = count(sql);
	assert_true(*a > 0 && *b > 0 && *a != *b);
}

static void pages_add_link_and_factor(void **state)
{
	(void)state;
	long long a, b;
	two_children(&a, &b);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char path[200], form[1024], sql[400];

	snprintf(path, sizeof(path), "/children/%lld", a);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "See the whole family"));
	assert_true(e2e_has(&c, "Parental responsibility"));

	/* the whole family: both children; every child shown audited */
	long long audits = count("SELECT count(*) FROM audit WHERE entity ="
				 " 'family' AND action = 'list'");
	snprintf(path, sizeof(path), "/children/%lld/family", a);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "The whole family"));
	snprintf(sql, sizeof(sql), "SELECT la_ref FROM child WHERE child_id ="
		 " %lld", b);
	char *ref = e2e_sql_text(&srv, sql);
	assert_non_null(ref);
	assert_true(e2e_has(&c, ref));
	free(ref);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'family' AND action = 'list'"), audits + 1);

	/* a new person on child a */
	snprintf(path, sizeof(path), "/children/%lld/family/people/new", a);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(path, sizeof(path), "/children/%lld/family/people", a);
	long long before = written();
	snprintf(form, sizeof(form), "csrf=%s&name=Synthetic+Grandad&"
		 "relationship=cousin&parental_responsibility=no", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "value=\"Synthetic Grandad\""));
	snprintf(form, sizeof(form), "csrf=%s&name=Synthetic+Grandad&"
		 "relationship=grandparent&parental_responsibility=no&"
		 "start_date-day=1&start_date-month=5&start_date-year=2024&"
		 "end_date-day=1&end_date-month=4&end_date-year=2024", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "The end date must be on or after the start "
			    "date"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&name=Synthetic+Grandad&"
		 "relationship=grandparent&parental_responsibility=no",
		 c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	long long pid = count("SELECT person_id FROM family_person WHERE name"
			      " = 'Synthetic Grandad'");
	assert_true(pid > 0);

	/* the brother or sister is offered the same person, in one step */
	snprintf(path, sizeof(path), "/children/%lld/family/links/new", b);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic Grandad"));
	assert_true(e2e_has(&c, "In the family as: Grandparent"));
	snprintf(path, sizeof(path), "/children/%lld/family/links", b);
	/* none chosen: refused */
	snprintf(form, sizeof(form), "csrf=%s&person_1=%lld&relationship_1=&"
		 "parental_responsibility_1=no", c.csrf, pid);
	before = written();
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "Say who at least one person is"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&person_1=%lld&relationship_1="
		 "other&relationship_other_1=Synthetic+step-grandad&"
		 "parental_responsibility_1=no", c.csrf, pid);
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_int_equal(count("SELECT count(*) FROM family_person WHERE name"
			       " = 'Synthetic Grandad'"), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM network_member WHERE"
		 " person_id = %lld", pid);
	assert_int_equal(count(sql), 2);
	/* linked twice: refused, nothing written */
	before = written();
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "already in the child"));
	assert_int_equal(written(), before);

	/* a parental factor: every child of the family has it noted */
	snprintf(path, sizeof(path), "/children/%lld/family/factors/new", a);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Mental health of a parent or carer"));
	snprintf(path, sizeof(path), "/children/%lld/family/factors", a);
	snprintf(form, sizeof(form), "csrf=%s&person_id=%lld&assessment_id=&"
		 "factor=4B&noted_on-day=2&noted_on-month=11&"
		 "noted_on-year=2026&source=", c.csrf, pid);
	assert_int_equal(e2e_post(&c, path, form), 422);
	assert_true(e2e_has(&c, "Enter where it came from"));
	assert_int_equal(written(), before);
	snprintf(form, sizeof(form), "csrf=%s&person_id=%lld&assessment_id=&"
		 "factor=4B&noted_on-day=2&noted_on-month=11&"
		 "noted_on-year=2026&source=Synthetic+GP+letter", c.csrf, pid);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chronology WHERE kind"
		 " = 'parental_factor' AND child_id IN (%lld, %lld)", a, b);
	assert_true(count(sql) >= 2);
	snprintf(path, sizeof(path), "/children/%lld/family", b);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "Synthetic step-grandad"));
	assert_true(e2e_has(&c, "Synthetic GP letter"));
	assert_true(e2e_has(&c, "Mental health of a parent or carer"));
	e2e_client_free(&c);
}

/* Linking a brother's or sister's record through the network's form
 * leads to their people, offered to add in one step. */
static void sibling_record_offers_people(void **state)
{
	(void)state;
	long long a, b;
	two_children(&a, &b);
	long long x = count(
		"SELECT min(c.child_id) FROM child c WHERE NOT EXISTS (SELECT 1"
		" FROM network_member m WHERE m.child_id = c.child_id AND"
		" (m.linked_child_id IS NOT NULL OR m.person_id IN (SELECT"
		" person_id FROM network_member WHERE person_id IS NOT NULL"
		" GROUP BY person_id HAVING count(*) > 1))) AND NOT EXISTS"
		" (SELECT 1 FROM network_member l WHERE l.linked_child_id ="
		" c.child_id)");
	assert_true(x > 0);
	char sql[200], path[200], form[1024], loc[300];
	snprintf(sql, sizeof(sql), "SELECT la_ref FROM child WHERE child_id ="
		 " %lld", b);
	char *ref = e2e_sql_text(&srv, sql);
	assert_non_null(ref);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld/network", x);
	snprintf(form, sizeof(form), "csrf=%s&kind=sibling&name=Synthetic+"
		 "Half-brother&relationship=Half-brother&linked_la_ref=%s&"
		 "parental_responsibility=no", c.csrf, ref);
	free(ref);
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	snprintf(path, sizeof(path), "/children/%lld/family/links/new", x);
	assert_non_null(strstr(loc, path));
	assert_int_equal(e2e_get(&c, path), 200);
	/* b's mother (say) is offered by name, and added in one step */
	snprintf(sql, sizeof(sql), "SELECT min(person_id) FROM network_member"
		 " WHERE child_id = %lld AND person_id IS NOT NULL", b);
	long long pid = count(sql);
	snprintf(sql, sizeof(sql), "SELECT name FROM family_person WHERE"
		 " person_id = %lld", pid);
	char *name = e2e_sql_text(&srv, sql);
	assert_non_null(name);
	assert_true(e2e_has(&c, name));
	free(name);
	snprintf(path, sizeof(path), "/children/%lld/family/links", x);
	snprintf(form, sizeof(form), "csrf=%s&person_1=%lld&relationship_1="
		 "family_friend&parental_responsibility_1=no", c.csrf, pid);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM network_member WHERE"
		 " child_id = %lld AND person_id = %lld AND relationship ="
		 " 'Family friend'", x, pid);
	assert_int_equal(count(sql), 1);
	e2e_client_free(&c);
}

static void through_the_api(void **state)
{
	(void)state;
	long long a, b;
	two_children(&a, &b);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "sw.demo"));
	char path[200], body[512];
	snprintf(path, sizeof(path), "/api/v1/children/%lld/family", a);
	assert_int_equal(e2e_json(&c, "GET", path, NULL), 200);
	assert_true(e2e_has(&c, "\"children\""));
	assert_true(e2e_has(&c, "\"adults\""));
	assert_true(e2e_has(&c, "\"open_cases\""));
	assert_true(e2e_has(&c, "\"parental_factors\""));

	snprintf(path, sizeof(path), "/api/v1/children/%lld/family/people", a);
	long long before = written();
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"name\": \"Synthetic Aunt\","
				  " \"relationship\": \"auntie\"}"), 422);
	assert_true(e2e_has(&c, "relationship"));
	assert_int_equal(written(), before);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"name\": \"Synthetic Aunt\","
				  " \"relationship\": \"aunt_uncle\"}"), 200);
	assert_true(e2e_has(&c, "\"relationship\":\"Aunt or uncle\""));
	long long pid = count("SELECT person_id FROM family_person WHERE name"
			      " = 'Synthetic Aunt'");
	snprintf(path, sizeof(path), "/api/v1/children/%lld/family/links", b);
	snprintf(body, sizeof(body), "{\"person_id\": %lld, \"relationship\":"
		 " \"aunt_uncle\", \"start_date\": \"2024-05-01\","
		 " \"end_date\": \"2023-05-01\"}", pid);
	before = written();
	assert_int_equal(e2e_json(&c, "POST", path, body), 422);
	assert_true(e2e_has(&c, "end_date"));
	/* a person of no family of this council's */
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"person_id\": 99999999, \"relationship\":"
				  " \"aunt_uncle\"}"), 422);
	assert_true(e2e_has(&c, "person_id"));
	assert_int_equal(written(), before);
	snprintf(body, sizeof(body), "{\"person_id\": %lld, \"relationship\":"
		 " \"aunt_uncle\"}", pid);
	assert_int_equal(e2e_json(&c, "POST", path, body), 200);
	assert_int_equal(e2e_json(&c, "POST", path, body), 409);
	snprintf(path, sizeof(path), "/api/v1/children/%lld/family/factors",
		 b);
	snprintf(body, sizeof(body), "{\"person_id\": %lld, \"factor\":"
		 " \"1C\", \"noted_on\": \"2026-11-01\", \"source\":"
		 " \"Synthetic school\"}", pid);
	assert_int_equal(e2e_json(&c, "POST", path, body), 200);
	assert_true(e2e_has(&c, "Alcohol misuse by another adult in the "
			    "household"));
	/* the OpenAPI document has the writes and their bodies */
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/openapi.json", NULL),
			 200);
	assert_true(e2e_has(&c, "/api/v1/children/{id}/family/people"));
	assert_true(e2e_has(&c, "/api/v1/children/{id}/family/factors"));
	assert_true(e2e_has(&c, "relationship_other"));
	assert_true(e2e_has(&c, "noted_on"));
	e2e_client_free(&c);
}

static void others_refused(void **state)
{
	(void)state;
	long long a, b;
	two_children(&a, &b);
	/* the partner's organisation is made involved with child a, so its
	 * record is open to them: still no family */
	char sql[300], path[200];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO network_member (council, child_id, member_id,"
		 " kind, relationship, name, org_id) SELECT 'nwd', %lld, 990001,"
		 " 'professional', 'DSL', 'Synthetic DSL', org_id FROM app_user"
		 " WHERE username = 'partner.school'", a);
	assert_int_equal(e2e_sql_exec(&srv, sql), 0);
	struct e2e_client p;
	e2e_client_init(&p, &srv);
	assert_true(e2e_sign_in(&p, "partner.school", DEMO_PASSWORD));
	snprintf(path, sizeof(path), "/children/%lld", a);
	assert_int_equal(e2e_get(&p, path), 200);
	assert_false(e2e_has(&p, "See the whole family"));
	e2e_client_free(&p);
	static const char *const users[] = {"partner.school", "analyst.demo",
					    "cllr.demo"};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct e2e_client c;
		e2e_client_init(&c, &srv);
		assert_true(e2e_sign_in(&c, users[i], DEMO_PASSWORD));
		snprintf(path, sizeof(path), "/children/%lld/family", a);
		long st = e2e_get(&c, path);
		if (st != 403 && st != 404)
			fail_msg("%s: family page %ld", users[i], st);
		assert_false(e2e_has(&c, "Synthetic"));
		snprintf(path, sizeof(path), "/children/%lld/family/people/new",
			 a);
		st = e2e_get(&c, path);
		if (st != 403 && st != 404)
			fail_msg("%s: person form %ld", users[i], st);
		e2e_client_free(&c);
		e2e_client_init(&c, &srv);
		assert_true(e2e_bearer(&c, users[i]));
		snprintf(path, sizeof(path), "/api/v1/children/%lld/family", a);
		st = e2e_json(&c, "GET", path, NULL);
		if (st != 403 && st != 404)
			fail_msg("%s: family API %ld", users[i], st);
		assert_false(e2e_has(&c, "given_name"));
		e2e_client_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_add_link_and_factor),
		cmocka_unit_test(sibling_record_offers_people),
		cmocka_unit_test(through_the_api),
		cmocka_unit_test(others_refused),
	};
	return cmocka_run_group_tests(tests, up, down);
}
