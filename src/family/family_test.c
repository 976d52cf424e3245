/* family_test.c: the family (family/family.h, D55) against a temporary
 * database with synthetic rows: a person entered once and linked to two
 * brothers or sisters with each one's relationship; the refusals, each
 * writing nothing; parental factors with a chronology entry for every
 * child; the whole-family read and its audit; the migration of the
 * network's family rows; the partner rule left as it was. */
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
#include "family/family.h"
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
	" ('aaa', 5, 'pa.five', 'Pat Partner', 'partner', NULL, 'x', 0, 't'),"
	" ('bbb', 6, 'b.sw', 'Bo Worker', 'social-worker', NULL, 'x', 0, 't');"
	"INSERT INTO organisation (council, org_id, name, kind) VALUES"
	" ('aaa', 1, 'Synthetic School', 'school');";

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

static void open_db(int target)
{
	testdb_path(path, sizeof(path), "familytest");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate_to(conn, target, &from, &to), DB_OK);
	testdb_exec(path, fixture);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	add_child("aaa", 1);
	add_child("aaa", 2);
	add_child("aaa", 3); /* another family */
	add_child("bbb", 9);
	/* child 2's network links child 1's own record: one family */
	testdb_exec(path,
		    "INSERT INTO network_member (council, child_id, member_id,"
		    " kind, relationship, name, linked_child_id) VALUES"
		    " ('aaa', 2, 900, 'sibling', 'Older sister', 'Testchild',"
		    " 1);"
		    "INSERT INTO id_counter (council, kind, next) VALUES"
		    " ('aaa', 'network_member', 901);");
	arena = arena_new(8u << 20);
}

static int setup(void **state)
{
	(void)state;
	open_db(db_schema_latest());
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

/* An actor of role r at 2026-03-27 10:00 UTC. */
static struct actor as(const char *council, int64_t user_id, enum role r)
{
	db_set_role(conn, RB(r));
	struct actor a = {
		.council = council, .user_id = user_id, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.org_id = r == ROLE_PARTNER ? 1 : 0,
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
	return count("SELECT (SELECT count(*) FROM family_person)"
		     " + (SELECT count(*) FROM network_member)"
		     " + (SELECT count(*) FROM family_factor)"
		     " + (SELECT count(*) FROM chronology)"
		     " + (SELECT count(*) FROM audit)");
}

static int64_t add_mother(struct actor *a)
{
	struct family_person_input in = {
		.name = "Synthetic Mother", .phone = "01632 960 001",
		.relationship = "mother", .parental_responsibility = true,
		.start_date = "2015-01-01",
	};
	struct field_errors e = {0};
	int64_t pid = 0;
	assert_int_equal(family_person_add(conn, a, 1, &in, &pid, &e), ERR_OK);
	assert_true(pid > 0);
	return pid;
}

static void person_entered_once_linked_twice(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t pid = add_mother(&a);
	struct family_link_input li = {
		.person_id = pid, .relationship = "step_parent",
		.parental_responsibility = false, .start_date = "2020-06-01",
	};
	struct field_errors e = {0};
	assert_int_equal(family_link_add(conn, &a, 2, &li, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM family_person"), 1);
	assert_int_equal(count("SELECT count(*) FROM network_member WHERE"
			       " person_id IS NOT NULL"), 2);
	assert_int_equal(count("SELECT count(*) FROM network_member WHERE"
			       " child_id = 1 AND relationship = 'Mother'"
			       " AND kind = 'parent' AND rel_code = 'mother'"
			       " AND parental_responsibility = 1"), 1);
	assert_int_equal(count("SELECT count(*) FROM network_member WHERE"
			       " child_id = 2 AND relationship = 'Step-parent'"
			       " AND kind = 'carer'"
			       " AND name = 'Synthetic Mother'"), 1);
	/* a chronology entry for each child, audited in the write */
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE"
			       " kind = 'family'"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'family_person' AND action = 'link'"
			       " AND child_id = 2"), 1);
	/* the child's network section still lists them */
	struct child_ctx x = {.act = &a};
	struct child_member *v;
	int n;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(child_network(conn, &x, arena, 2, &v, &n), ERR_OK);
	db_rollback(conn);
	assert_int_equal(n, 2);

	/* the whole family: both children, one adult linked to both */
	struct family f;
	int64_t before = count("SELECT count(*) FROM audit");
	assert_int_equal(family_read(conn, &a, 2, true, arena, &f), ERR_OK);
	assert_int_equal(f.nchildren, 2);
	assert_int_equal(f.children[0].child_id, 2);
	assert_int_equal(f.children[1].child_id, 1);
	assert_int_equal(f.nadults, 1);
	assert_int_equal(f.adults[0].nlinks, 2);
	assert_string_equal(f.adults[0].name, "Synthetic Mother");
	assert_int_equal(count("SELECT count(*) FROM audit"), before + 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'family' AND action = 'list'"), 1);
	/* child 3 is of no family here */
	assert_int_equal(family_read(conn, &a, 3, false, arena, &f), ERR_OK);
	assert_int_equal(f.nchildren, 1);
	assert_int_equal(f.nadults, 0);
}

static void refusals_write_nothing(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t pid = add_mother(&a);
	struct actor b = as("bbb", 6, ROLE_SOCIAL_WORKER);
	struct family_person_input bp = {.name = "Beeton Person",
					 .relationship = "father"};
	int64_t bpid = 0;
	struct field_errors e = {0};
	/* ids are each council's: Beeton's second person has an id no
	 * person of Aville has */
	assert_int_equal(family_person_add(conn, &b, 9, &bp, &bpid, &e),
			 ERR_OK);
	assert_int_equal(family_person_add(conn, &b, 9, &bp, &bpid, &e),
			 ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM family_person WHERE"
			       " council = 'aaa' AND person_id = 2"), 0);
	a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t w = written();

	/* an unknown relationship code */
	struct family_person_input in = {.name = "X", .relationship = "cousin"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_person_add(conn, &a, 1, &in, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "relationship"));
	/* "other" without words */
	in.relationship = "other";
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_person_add(conn, &a, 1, &in, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "relationship_other"));
	/* end before start */
	struct family_person_input eb = {
		.name = "Y", .relationship = "grandparent",
		.start_date = "2024-05-01", .end_date = "2024-04-01",
	};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_person_add(conn, &a, 1, &eb, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "end_date"));
	/* a person of another council */
	struct family_link_input li = {.person_id = bpid,
				       .relationship = "father"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_link_add(conn, &a, 2, &li, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "person_id"));
	/* a person of another family (child 3 is not child 1's) */
	li.person_id = pid;
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_link_add(conn, &a, 3, &li, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "person_id"));
	/* the same child linked twice to the same person */
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_link_add(conn, &a, 1, &li, &e), ERR_CONFLICT);
	assert_non_null(fe_for(&e, "person_id"));
	/* a link ending before it starts */
	struct family_link_input le = {
		.person_id = pid, .relationship = "mother",
		.start_date = "2024-05-01", .end_date = "2023-01-01",
	};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_link_add(conn, &a, 2, &le, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "end_date"));
	/* a brother or sister with parental responsibility */
	struct family_link_input ls = {.person_id = pid,
				       .relationship = "sibling",
				       .parental_responsibility = true};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_link_add(conn, &a, 2, &ls, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "parental_responsibility"));
	/* a partner sees no family and writes none */
	struct actor p = as("aaa", 5, ROLE_PARTNER);
	struct family f;
	assert_int_equal(family_read(conn, &p, 1, false, arena, &f),
			 ERR_NOTFOUND);
	a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	/* a child of another council */
	struct family_person_input ok = {.name = "Z", .relationship = "mother"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_person_add(conn, &a, 9, &ok, NULL, &e),
			 ERR_NOTFOUND);
	/* a factor without a source, and one from another family's
	 * assessment */
	testdb_exec(path, "INSERT INTO assessment (council, assessment_id,"
			  " child_id, started_on, created_at, created_by)"
			  " VALUES ('aaa', 70, 3, '2026-01-02', 't', 2);");
	w = written();
	struct family_factor_input fi = {.person_id = pid, .factor = "4B",
					 .noted_on = "2026-03-01"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_factor_add(conn, &a, 1, &fi, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "source"));
	fi.assessment_id = 70;
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_factor_add(conn, &a, 1, &fi, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "assessment_id"));
	/* a code that is about the child, not a parent */
	fi.assessment_id = 0;
	fi.source = "Synthetic source";
	fi.factor = "4A";
	memset(&e, 0, sizeof(e));
	assert_int_equal(family_factor_add(conn, &a, 1, &fi, NULL, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "factor"));
	assert_int_equal(written(), w);
}

static void factors_for_every_child(void **state)
{
	(void)state;
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t pid = add_mother(&a);
	testdb_exec(path, "INSERT INTO assessment (council, assessment_id,"
			  " child_id, started_on, created_at, created_by)"
			  " VALUES ('aaa', 71, 2, '2026-02-02', 't', 2);"
			  "INSERT INTO assessment_factor (council,"
			  " assessment_id, factor) VALUES ('aaa', 71, '2B'),"
			  " ('aaa', 71, '16A');");
	struct family_factor_input fi = {.person_id = pid, .factor = "4B",
					 .noted_on = "2026-03-01",
					 .assessment_id = 71};
	struct field_errors e = {0};
	int64_t fid = 0;
	int64_t chron = count("SELECT count(*) FROM chronology");
	assert_int_equal(family_factor_add(conn, &a, 1, &fi, &fid, &e),
			 ERR_OK);
	assert_true(fid > 0);
	/* both children of the family have the entry */
	assert_int_equal(count("SELECT count(*) FROM chronology"), chron + 2);
	assert_int_equal(count("SELECT count(*) FROM chronology WHERE"
			       " kind = 'parental_factor' AND child_id = 2"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity ="
			       " 'family_factor'"), 2);
	struct family f;
	assert_int_equal(family_read(conn, &a, 1, false, arena, &f), ERR_OK);
	assert_int_equal(f.nadults, 1);
	assert_int_equal(f.adults[0].nfactors, 1);
	assert_string_equal(f.adults[0].factors[0].factor, "4B");
	assert_string_equal(f.adults[0].factors[0].recorded_by_name,
			    "Sam Worker");
	assert_int_equal(f.adults[0].factors[0].assessment_child_id, 2);
	/* the assessment's parental factor, not the child's own (16A) */
	assert_int_equal(f.ntagged, 1);
	assert_string_equal(f.tagged[0].factor, "2B");
	assert_int_equal(f.nassessments, 1);

	/* the section on child 1's own page: the mother and her factor,
	 * the family's two children, nothing of the sibling's record */
	int64_t audited = count("SELECT count(*) FROM audit");
	struct family s;
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(family_read_section(conn, &a, 1, arena, &s), ERR_OK);
	assert_int_equal(s.nchildren, 2);
	assert_int_equal(s.children[1].child_id, 2);
	assert_null(s.children[1].cases);
	assert_int_equal(s.nadults, 1);
	assert_int_equal(s.adults[0].nlinks, 1);
	assert_int_equal(s.adults[0].nfactors, 1);
	assert_string_equal(s.adults[0].factors[0].factor, "4B");
	assert_int_equal(s.ntagged, 0);
	/* on child 2's: the mother is the sibling's, not linked to 2 (the
	 * page offers to link her), and her factors are not read */
	assert_int_equal(family_read_section(conn, &a, 2, arena, &s), ERR_OK);
	assert_int_equal(s.nchildren, 2);
	assert_int_equal(s.nadults, 1);
	assert_int_equal(s.adults[0].links[0].child_id, 1);
	assert_int_equal(s.adults[0].nfactors, 0);
	db_rollback(conn);
	/* the page audits its own read: the section writes nothing */
	assert_int_equal(count("SELECT count(*) FROM audit"), audited);
}

/* The network's family rows kept before migration 19 become people of
 * their own; a professional stays one, and still makes the child
 * visible to the partner's organisation. */
static void migration_keeps_network(void **state)
{
	(void)state;
	arena_free(arena);
	db_release(db, conn);
	db_close(db);
	open_db(17);
	testdb_exec(path,
		    "INSERT INTO network_member (council, child_id, member_id,"
		    " kind, relationship, name, parental_responsibility) VALUES"
		    " ('aaa', 1, 950, 'parent', 'Mum', 'Old Mother', 1),"
		    /* member ids numbered by child, as the demo's are */
		    " ('aaa', 2, 950, 'parent', 'Dad', 'Old Father', 0);"
		    "INSERT INTO network_member (council, child_id, member_id,"
		    " kind, relationship, name, org_id) VALUES"
		    " ('aaa', 1, 951, 'professional', 'DSL', 'Teacher', 1);"
		    "UPDATE id_counter SET next = 952 WHERE kind ="
		    " 'network_member';");
	int from, to;
	db_set_role(conn, DB_ROLE_SYSTEM);
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(count("SELECT count(*) FROM family_person p JOIN"
			       " network_member m ON m.council = p.council AND"
			       " m.person_id = p.person_id WHERE m.member_id ="
			       " 950 AND p.name = 'Old Mother' AND m.rel_code ="
			       " 'parent' AND m.relationship = 'Mum'"), 1);
	assert_int_equal(count("SELECT count(DISTINCT person_id) FROM"
			       " network_member WHERE person_id IS NOT NULL"),
			 2);
	/* the next person does not take a migrated one's id */
	struct actor a = as("aaa", 2, ROLE_SOCIAL_WORKER);
	int64_t pid = add_mother(&a);
	assert_int_equal(count("SELECT count(*) FROM family_person"), 3);
	assert_true(pid > 2);
	/* the partner rule: the professional still makes child 1 visible */
	struct actor p = as("aaa", 5, ROLE_PARTNER);
	assert_int_equal(db_begin(conn, DB_TX_READ), DB_OK);
	assert_int_equal(child_visible(conn, &p, 1), ERR_OK);
	assert_int_equal(child_visible(conn, &p, 2), ERR_NOTFOUND);
	db_rollback(conn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(person_entered_once_linked_twice,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_write_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(factors_for_every_child, setup,
						teardown),
		cmocka_unit_test_setup_teardown(migration_keeps_network, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
