/* child_test.c: the child's record against a temporary SQLite database:
 * create/read with audit rows, every validator (and that a refused write
 * leaves nothing), duplicates, typo-tolerant search (phonetic index and
 * the fallback scan), the partner row-level rule, council isolation,
 * field history, optimistic concurrency, addresses, network and flags,
 * child_visible, the name index (owned by the test as by an application,
 * and a search without one), and the search time on 50,000 children.
 * Synthetic data only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/role.h"
#include "child/child.h"
#include "rules/uktime.h"
#include "child/namematch.h"
#include "core/arena.h"
#include "db/testdb.h"

#ifndef CAIRN_SOURCE_ROOT
#define CAIRN_SOURCE_ROOT "."
#endif

static char path[64];
static struct db *db;
static struct db *raw_db; /* raw_open's own pool, opened once */
/* the tests' name index, as an application's (web/app.c) */
static struct child_names *app_names;
static struct cal_date today = {2024, 6, 12};

static void rm_db(void)
{
	testdb_remove(path);
}

static void sql(const char *s)
{
	testdb_exec(path, s);
}

static int64_t count(const char *query)
{
	return testdb_count(path, query);
}

static int64_t rows_of(const char *table)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	return count(q);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "childtest");
	rm_db();
	char err[256];
	struct db_options o = {.pool_size = 2, .busy_timeout_ms = 5000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	app_names = child_names_new();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(db, c);
	sql("INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	    "INSERT INTO council (council, name) VALUES ('bbb', 'Bton');"
	    "INSERT INTO organisation VALUES ('aaa', 5, 'Aville Primary', 'school');"
	    "INSERT INTO organisation VALUES ('aaa', 6, 'Aville Surgery', 'health');"
	    "INSERT INTO organisation VALUES ('bbb', 7, 'Bton High', 'school');"
	    "INSERT INTO app_user (council, user_id, username, display_name,"
	    " role, pw_hash, created_at) VALUES ('aaa', 1, 'sw1', 'Sam Worker',"
	    " 'social-worker', 'x', '2024-01-01T00:00:00Z');"
	    "INSERT INTO app_user (council, user_id, username, display_name,"
	    " role, org_id, pw_hash, created_at) VALUES ('aaa', 2, 'pt1',"
	    " 'Pat Partner', 'partner', 5, 'x', '2024-01-01T00:00:00Z');"
	    "INSERT INTO app_user (council, user_id, username, display_name,"
	    " role, pw_hash, created_at) VALUES ('bbb', 1, 'sw2', 'Bo Worker',"
	    " 'social-worker', 'x', '2024-01-01T00:00:00Z');");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	child_names_free(app_names);
	db_close(db);
	db_close(raw_db);
	raw_db = NULL;
	rm_db();
	return 0;
}

/* Removes every child row (and dependants) between tests. */
static void wipe(void)
{
	sql("DELETE FROM child_history; DELETE FROM address;"
	    "DELETE FROM network_member; DELETE FROM family_person;"
	    "DELETE FROM flag; DELETE FROM contact;"
	    "DELETE FROM referral; DELETE FROM child; DELETE FROM audit;"
	    "DELETE FROM audit_head; DELETE FROM audit_seen;"
	    "DELETE FROM id_counter;");
}

struct t {
	struct db_conn *c;
	struct actor act;
	struct child_ctx x;
	struct arena *a;
};

static void t_open(struct t *t, const char *council, enum role role,
		   int64_t user_id, int64_t org)
{
	t->c = db_acquire(db);
	db_set_role(t->c, RB(role));
	memset(&t->x, 0, sizeof(t->x));
	t->act = (struct actor){
		.council = council, .user_id = user_id, .username = "tester",
		.role = role_id(role), .partner = role == ROLE_PARTNER,
		.org_id = org, .request_id = "req-test", .ip = "127.0.0.1",
	};
	/* noon in England on the tests' today */
	actor_at(&t->act, uk_to_instant((struct cal_time){today, 12, 0}));
	t->x.act = &t->act;
	t->x.names = app_names;
	t->a = arena_new(16u << 20);
}

static void t_close(struct t *t)
{
	db_release(db, t->c);
	arena_free(t->a);
}

static struct child_input person(const char *given, const char *family,
				 const char *dob)
{
	struct child_input in = {0};
	in.given_name = given;
	in.family_name = family;
	in.dob_status = dob ? CHILD_DOB_KNOWN : CHILD_DOB_UNKNOWN;
	in.dob = dob;
	in.gender = "1";
	return in;
}

static int64_t make(struct t *t, struct child_input in)
{
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = child_create(t->c, &t->x, t->a, &in, true, &id, NULL, NULL,
			      NULL, &e);
	if (rc != ERR_OK)
		fprintf(stderr, "create: %s %s\n", err_name(rc),
			e.n ? e.v[0].msg : "");
	assert_int_equal(rc, ERR_OK);
	return id;
}

/* ---- create, read, audit --------------------------------------------- */

static void create_read_audit(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	struct child_input in = person("  Zoë ", "O'Brien", "2015-03-27");
	in.nhs_number = "943 476 5919";
	in.upn = "b801200005001";
	in.ethnicity = "wiri";
	in.gender = "2";
	struct field_errors e = {0};
	int64_t id = 0;
	const char *ref = NULL;
	assert_int_equal(child_create(t.c, &t.x, t.a, &in, false, &id, &ref,
				      NULL, NULL, &e), ERR_OK);
	assert_int_equal(id, 1);
	assert_string_equal(ref, "AAA0000001");
	assert_int_equal(rows_of("child"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = "
			       "'create' AND entity = 'child' AND child_id = 1"),
			 1);
	/* keys as the contract says: key(fold(name)) */
	char k[NAMEMATCH_KEY_MAX], f[NAMEMATCH_NAME_MAX];
	size_t fn = namematch_fold("O'Brien", 7, f, sizeof(f));
	namematch_key(f, fn, k, sizeof(k));
	char q[160];
	snprintf(q, sizeof(q), "SELECT count(*) FROM child WHERE family_key = "
		 "'%s' AND given_key <> ''", k);
	assert_int_equal(count(q), 1);

	/* a second child gets the next reference */
	int64_t id2 = make(&t, person("Adam", "Baker", "2016-01-01"));
	assert_int_equal(id2, 2);
	assert_int_equal(count("SELECT count(*) FROM child WHERE la_ref = "
			       "'AAA0000002'"), 1);

	/* a number already taken (an imported reference) is stepped over */
	sql("INSERT INTO child (council, child_id, la_ref, given_name,"
	    " family_name, given_key, family_key, gender, created_at,"
	    " created_by, updated_at) VALUES ('aaa', 3, 'AAA0000004', 'Imp',"
	    " 'Orted', 'AMP', 'ARTT', '0', 'x', 1, 'x')");
	/* an importer that chooses its own ids moves the counter past them
	 * (db_ids_sync), as the store hands out ids from it, not MAX + 1 */
	sql("UPDATE id_counter SET next = 4 WHERE council = 'aaa'"
	    " AND kind = 'child'");
	make(&t, person("Cara", "Dunne", "2016-02-02"));
	assert_int_equal(count("SELECT count(*) FROM child WHERE child_id = 4"
			       " AND la_ref = 'AAA0000005'"), 1);
	sql("DELETE FROM child WHERE child_id IN (3, 4)");

	/* read needs the caller's transaction */
	struct child ch;
	assert_int_equal(child_read(t.c, &t.x, t.a, id, &ch), ERR_NOTX);
	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_read(t.c, &t.x, t.a, id, &ch), ERR_OK);
	assert_int_equal(db_commit(t.c), DB_OK);
	assert_string_equal(ch.given_name, "Zoë");
	assert_string_equal(ch.family_name, "O'Brien");
	assert_string_equal(ch.dob, "2015-03-27");
	assert_string_equal(ch.nhs_number, "9434765919");
	assert_string_equal(ch.upn, "B801200005001");
	assert_string_equal(ch.ethnicity, "WIRI");
	assert_string_equal(ch.gender, "2");
	assert_int_equal(ch.version, 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = "
			       "'read' AND child_id = 1"), 1);
	/* unknown id */
	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_read(t.c, &t.x, t.a, 99, &ch), ERR_NOTFOUND);
	db_rollback(t.c);

	/* an unborn child: expected date, no dob */
	struct child_input u = person("Unborn", "Baker", NULL);
	u.dob_status = CHILD_DOB_EXPECTED;
	u.expected_dob = "2024-09-01";
	u.gender = "0";
	int64_t uid = make(&t, u);
	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_read(t.c, &t.x, t.a, uid, &ch), ERR_OK);
	db_commit(t.c);
	assert_string_equal(ch.dob, "");
	assert_string_equal(ch.expected_dob, "2024-09-01");
	t_close(&t);
}

/* ---- validators -------------------------------------------------------- */

static void expect_invalid(struct t *t, struct child_input in,
			   const char *field, const char *contains)
{
	int64_t before_child = rows_of("child");
	int64_t before_audit = rows_of("audit");
	struct field_errors e = {0};
	int64_t id = 0;
	assert_int_equal(child_create(t->c, &t->x, t->a, &in, true, &id, NULL,
				      NULL, NULL, &e), ERR_INVALID);
	const char *msg = fe_for(&e, field);
	if (msg == NULL)
		fprintf(stderr, "no error for %s (first: %s)\n", field,
			e.n ? e.v[0].field : "-");
	assert_non_null(msg);
	if (contains && strstr(msg, contains) == NULL)
		fprintf(stderr, "'%s' lacks '%s'\n", msg, contains);
	if (contains)
		assert_non_null(strstr(msg, contains));
	assert_int_equal(id, 0);
	assert_int_equal(rows_of("child"), before_child);
	assert_int_equal(rows_of("audit"), before_audit);
}

static void validators(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	struct child_input in;

	in = person("Amy", "Ford", "2015-01-01");
	in.nhs_number = "943 476 5918";
	expect_invalid(&t, in, "nhs_number", "last digit should be 9");
	in = person("Amy", "Ford", "2015-01-01");
	in.nhs_number = "12345";
	expect_invalid(&t, in, "nhs_number", "10 digits");

	in = person("Amy", "Ford", "2015-01-01");
	in.upn = "A801200005001";
	expect_invalid(&t, in, "upn", "should be B");

	in = person("Amy", "Ford", "2023-02-29");
	expect_invalid(&t, in, "dob", "February 2023 has only 28 days");
	in = person("Amy", "Ford", "2023-13-01");
	expect_invalid(&t, in, "dob", "month");
	in = person("Amy", "Ford", "27/03/2019");
	expect_invalid(&t, in, "dob", "real date");
	in = person("Amy", "Ford", "2024-06-13");
	expect_invalid(&t, in, "dob", "today or in the past");
	in = person("Amy", "Ford", NULL);
	in.dob_status = CHILD_DOB_KNOWN;
	expect_invalid(&t, in, "dob", "Enter the date of birth");
	in = person("Amy", "Ford", NULL);
	in.dob_status = CHILD_DOB_UNSET;
	expect_invalid(&t, in, "dob_status", NULL);
	in = person("Unborn", "Ford", NULL);
	in.dob_status = CHILD_DOB_EXPECTED;
	in.expected_dob = "2024-06-01";
	expect_invalid(&t, in, "expected_dob", "today or later");
	in.expected_dob = "2025-12-01";
	expect_invalid(&t, in, "expected_dob", "within 10 months");

	in = person("Amy", "Ford", "2015-01-01");
	in.ethnicity = "XYZ";
	expect_invalid(&t, in, "ethnicity",
		       "Ethnicity 'XYZ' is not a DfE ethnicity code");
	in = person("Amy", "Ford", "2015-01-01");
	in.gender = "3";
	expect_invalid(&t, in, "gender", NULL);

	in = person("  ", "Ford", "2015-01-01");
	expect_invalid(&t, in, "given_name", "Enter the child's given name");
	in = person("Amy", NULL, "2015-01-01");
	expect_invalid(&t, in, "family_name", "Enter the child's family name");
	char longname[120];
	memset(longname, 'a', 101);
	longname[101] = '\0';
	in = person(longname, "Ford", "2015-01-01");
	expect_invalid(&t, in, "given_name", "100 characters or fewer");
	in = person("Amy\nJo", "Ford", "2015-01-01");
	expect_invalid(&t, in, "given_name", "one line");

	/* several errors at once, each on its field */
	in = person("", "", "2023-02-30");
	in.nhs_number = "943 476 5918";
	struct field_errors e = {0};
	int64_t id = 0;
	assert_int_equal(child_create(t.c, &t.x, t.a, &in, true, &id, NULL,
				      NULL, NULL, &e), ERR_INVALID);
	assert_int_equal(e.n, 4);

	/* validation alone writes nothing either way */
	in = person("Amy", "Ford", "2023-02-29");
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_validate(&t.x, t.a, &in, &e), ERR_INVALID);
	assert_non_null(fe_for(&e, "dob"));
	in = person("Amy", "Ford", "2023-02-28");
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_validate(&t.x, t.a, &in, &e), ERR_OK);
	assert_int_equal(rows_of("child"), 0);

	/* the positive pair: the same fields, valid */
	memset(longname, 'a', 100);
	longname[100] = '\0';
	in = person(longname, "Ford", "2024-06-12");
	in.nhs_number = "943-476-5919";
	in.upn = "B801200005001";
	in.ethnicity = " wbri ";
	in.gender = "9";
	make(&t, in);
	assert_int_equal(rows_of("child"), 1);
	t_close(&t);
}

/* ---- duplicates -------------------------------------------------------- */

static void duplicates(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_FRONT_DOOR, 1, 0);
	struct child_input a = person("Harry", "Johnson", "2014-05-01");
	a.nhs_number = "9434765919";
	int64_t ida = make(&t, a);

	/* same NHS number, different everything else */
	struct child_input b = person("Mia", "Clark", "2012-02-02");
	b.nhs_number = "943 476 5919";
	struct field_errors e = {0};
	struct child_match *d = NULL;
	int nd = 0;
	int64_t id = 0;
	assert_int_equal(child_create(t.c, &t.x, t.a, &b, false, &id, NULL, &d,
				      &nd, &e), ERR_DUPLICATE);
	assert_int_equal(nd, 1);
	assert_int_equal(d[0].child_id, ida);
	assert_string_equal(d[0].reason, "The same NHS number");
	assert_int_equal(rows_of("child"), 1);
	/* showing the candidates is audited, creating nothing else */
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = "
			       "'search'"), 1);

	/* same dob, misspelt name */
	struct child_input c = person("Hary", "Jonson", "2014-05-01");
	nd = 0;
	assert_int_equal(child_create(t.c, &t.x, t.a, &c, false, &id, NULL, &d,
				      &nd, &e), ERR_DUPLICATE);
	assert_int_equal(nd, 1);
	assert_true(d[0].score >= NAMEMATCH_LIKELY);
	assert_string_equal(d[0].family_name, "Johnson");
	assert_int_equal(rows_of("child"), 1);

	/* same dob, unrelated name: no duplicate */
	struct child_input f = person("Chloe", "Adeyemi", "2014-05-01");
	nd = 0;
	assert_int_equal(child_create(t.c, &t.x, t.a, &f, false, &id, NULL, &d,
				      &nd, &e), ERR_OK);
	assert_int_equal(nd, 0);
	/* similar name, other dob: no duplicate */
	struct child_input g = person("Harry", "Johnson", "2016-05-01");
	assert_int_equal(child_create(t.c, &t.x, t.a, &g, false, &id, NULL, &d,
				      &nd, &e), ERR_OK);

	/* confirmed: created */
	assert_int_equal(child_create(t.c, &t.x, t.a, &c, true, &id, NULL, &d,
				      &nd, &e), ERR_OK);
	assert_int_equal(rows_of("child"), 4);

	/* confirming "a different child" does not let two children share an
	 * NHS number: refused, naming the field, nothing written */
	struct field_errors e2 = {0};
	assert_int_equal(child_create(t.c, &t.x, t.a, &b, true, &id, NULL, &d,
				      &nd, &e2), ERR_INVALID);
	assert_true(e2.n >= 1);
	assert_string_equal(e2.v[0].field, "nhs_number");
	assert_int_equal(rows_of("child"), 4);
	t_close(&t);
}

/* ---- search ------------------------------------------------------------ */

static struct child_results search(struct t *t, const char *name,
				   const char *dob, int expect_rc)
{
	struct child_query q = {0};
	q.name = name;
	q.dob = dob;
	q.limit = 50;
	struct child_results r = {0};
	struct field_errors e = {0};
	assert_int_equal(child_search(t->c, &t->x, t->a, &q, &r, &e),
			 expect_rc);
	return r;
}

static bool has(const struct child_results *r, const char *family)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].family_name, family) == 0)
			return true;
	return false;
}

static void search_names(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	make(&t, person("Harry", "Johnson", "2014-05-01"));
	make(&t, person("Aisha", "Muhammad", "2013-01-09"));
	make(&t, person("Oliver", "Kowalski", "2012-07-07"));
	make(&t, person("Harry", "Johnson", "2010-03-03"));
	make(&t, person("Grace", "Evans", "2011-11-11"));
	int64_t audit0 = rows_of("audit");

	struct child_results r = search(&t, "Harry Jonson", NULL, ERR_OK);
	assert_int_equal(r.n, 2);
	assert_true(has(&r, "Johnson"));
	assert_int_equal(rows_of("audit"), audit0 + 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = "
			       "'search'"), 1);
	/* finding 5: the row names each child the results showed */
	assert_int_equal(count("SELECT count(*) FROM audit_seen WHERE"
			       " child_id IN (SELECT child_id FROM child WHERE"
			       " family_name = 'Johnson')"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action ="
			       " 'search' AND children IS NOT NULL"), 1);

	r = search(&t, "Jonson", NULL, ERR_OK);
	assert_int_equal(r.n, 2);
	r = search(&t, "Mohamed", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].family_name, "Muhammad");
	r = search(&t, "aisha mohamed", NULL, ERR_OK);
	assert_int_equal(r.n, 1);

	/* wrong first letter: the keys differ, so only the scan finds it */
	char k1[NAMEMATCH_KEY_MAX], k2[NAMEMATCH_KEY_MAX];
	namematch_key("jowalski", 8, k1, sizeof(k1));
	namematch_key("kowalski", 8, k2, sizeof(k2));
	assert_string_not_equal(k1, k2);
	r = search(&t, "Jowalski", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].family_name, "Kowalski");
	r = search(&t, "Olivre Jowalski", NULL, ERR_OK);
	assert_int_equal(r.n, 1);

	/* nothing like it */
	r = search(&t, "Zebedee Quinton", NULL, ERR_OK);
	assert_int_equal(r.n, 0);

	/* ranking: exact first */
	make(&t, person("Harriet", "Jonsen", "2015-02-02"));
	r = search(&t, "Harry Johnson", NULL, ERR_OK);
	assert_true(r.n >= 2);
	assert_string_equal(r.v[0].family_name, "Johnson");
	assert_int_equal(r.v[0].score, 100);

	/* name + dob narrows */
	r = search(&t, "Harry Jonson", "2010-03-03", ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].dob, "2010-03-03");
	/* dob alone */
	r = search(&t, NULL, "2014-05-01", ERR_OK);
	assert_int_equal(r.n, 1);
	/* bad date and no criterion */
	search(&t, NULL, "2023-02-29", ERR_INVALID);
	search(&t, "   ", NULL, ERR_INVALID);

	/* pagination */
	struct child_query q = {0};
	q.name = "Johnson";
	q.limit = 1;
	struct child_results p1, p2, p3;
	struct field_errors e = {0};
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &p1, &e), ERR_OK);
	assert_int_equal(p1.n, 1);
	assert_int_equal(p1.next_offset, 1);
	q.offset = p1.next_offset;
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &p2, &e), ERR_OK);
	assert_int_equal(p2.n, 1);
	assert_true(p2.v[0].child_id != p1.v[0].child_id);
	q.offset = p1.total;
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &p3, &e), ERR_OK);
	assert_int_equal(p3.n, 0);
	assert_int_equal(p3.next_offset, -1);
	t_close(&t);
}

/* Issue 9: "Olly" finds Oliver even when more than
 * CHILD_SEARCH_SCAN_BELOW children share its phonetic key (so the scan
 * of every name does not run): a diminutive counts as a key match. */
static void search_diminutives(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	char fam[CHILD_SEARCH_SCAN_BELOW + 5][16];
	for (int i = 0; i < CHILD_SEARCH_SCAN_BELOW + 5; i++) {
		snprintf(fam[i], sizeof(fam[i]), "Test%c%c", 'a' + i % 26,
			 'a' + i / 26);
		make(&t, person("Ali", fam[i], "2014-05-01"));
	}
	make(&t, person("Oliver", "Webb", "2015-06-01"));
	make(&t, person("Catherine", "Hale", "2016-07-01"));
	make(&t, person("William", "Ross", "2017-08-01"));
	struct child_results r = search(&t, "Olly", NULL, ERR_OK);
	assert_true(has(&r, "Webb"));
	assert_string_equal(r.v[0].family_name, "Webb");
	r = search(&t, "Kate Hale", NULL, ERR_OK);
	assert_true(has(&r, "Hale"));
	r = search(&t, "Bill Ross", NULL, ERR_OK);
	assert_true(has(&r, "Ross"));
	r = search(&t, "Bill Hale", NULL, ERR_OK);
	assert_false(has(&r, "Ross"));
	t_close(&t);
}

static void search_identifiers(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	struct child_input a = person("Lily", "Patel", "2016-04-04");
	a.nhs_number = "9434765919";
	a.upn = "B801200005001";
	make(&t, a);
	make(&t, person("Lily", "Patel", "2017-04-04"));
	struct child_query q = {0};
	struct child_results r;
	struct field_errors e = {0};
	q.limit = 10;
	q.nhs_number = "943 476 5919";
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e), ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].dob, "2016-04-04");
	q.nhs_number = NULL;
	q.upn = "b801200005001";
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e), ERR_OK);
	assert_int_equal(r.n, 1);
	q.upn = NULL;
	q.la_ref = "aaa 0000002";
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e), ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].dob, "2017-04-04");
	/* combined: NHS of one and dob of the other match nobody */
	q.la_ref = NULL;
	q.nhs_number = "9434765919";
	q.dob = "2017-04-04";
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e), ERR_OK);
	assert_int_equal(r.n, 0);
	/* a mistyped NHS number says why */
	q.dob = NULL;
	q.nhs_number = "9434765918";
	assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "nhs_number"));
	t_close(&t);
}

/* ---- partner row-level rule and council isolation ---------------------- */

static void partner_rule(void **state)
{
	(void)state;
	wipe();
	struct t sw;
	t_open(&sw, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t a = make(&sw, person("Ruby", "Walsh", "2015-01-01"));
	int64_t b = make(&sw, person("Ruby", "Walsh", "2016-01-01"));
	int64_t c = make(&sw, person("Ruby", "Walsh", "2017-01-01"));
	struct field_errors e = {0};
	int64_t mid;
	struct child_member_input m = {0};
	m.kind = "professional";
	m.name = "Ms Head";
	m.relationship = "School DSL";
	m.org_id = 5;
	assert_int_equal(child_member_add(sw.c, &sw.x, a, &m, &mid, &e), ERR_OK);
	/* b: involvement ended yesterday */
	assert_int_equal(child_member_add(sw.c, &sw.x, b, &m, &mid, &e), ERR_OK);
	assert_int_equal(child_member_end(sw.c, &sw.x, b, mid, "2024-06-11", &e),
			 ERR_OK);
	/* c: another organisation */
	m.org_id = 6;
	assert_int_equal(child_member_add(sw.c, &sw.x, c, &m, &mid, &e), ERR_OK);
	t_close(&sw);

	struct t p;
	t_open(&p, "aaa", ROLE_PARTNER, 2, 5);
	struct child_results r = search(&p, "Ruby Walsh", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].child_id, a);
	struct child ch;
	assert_int_equal(db_begin(p.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_read(p.c, &p.x, p.a, a, &ch), ERR_OK);
	assert_int_equal(child_read(p.c, &p.x, p.a, b, &ch), ERR_NOTFOUND);
	assert_int_equal(child_read(p.c, &p.x, p.a, c, &ch), ERR_NOTFOUND);
	struct child_member *v;
	int n;
	assert_int_equal(child_network(p.c, &p.x, p.a, a, &v, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(child_network(p.c, &p.x, p.a, c, &v, &n),
			 ERR_NOTFOUND);
	/* history is not theirs, even for an involved child */
	struct child_change *h;
	assert_int_equal(child_history_list(p.c, &p.x, p.a, a, &h, &n),
			 ERR_DENIED);
	db_commit(p.c);
	/* the same search by the social worker finds all three */
	t_close(&p);
	t_open(&sw, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	r = search(&sw, "Ruby Walsh", NULL, ERR_OK);
	assert_int_equal(r.n, 3);
	t_close(&sw);
}

static void council_isolation(void **state)
{
	(void)state;
	wipe();
	struct t b;
	t_open(&b, "bbb", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t id = make(&b, person("Isla", "Murray", "2015-05-05"));
	t_close(&b);
	assert_int_equal(count("SELECT count(*) FROM child WHERE la_ref = "
			       "'BBB0000001'"), 1);

	struct t a;
	t_open(&a, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	struct child ch;
	assert_int_equal(db_begin(a.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_read(a.c, &a.x, a.a, id, &ch), ERR_NOTFOUND);
	db_rollback(a.c);
	struct child_results r = search(&a, "Isla Murray", NULL, ERR_OK);
	assert_int_equal(r.n, 0);
	struct field_errors e = {0};
	struct child_input in = {0};
	in.family_name = "Changed";
	assert_int_equal(child_update(a.c, &a.x, a.a, id, 1, &in, NULL, &e),
			 ERR_NOTFOUND);
	struct child_flag_input f = {"health", "Allergy", "2024-07-01"};
	int64_t fid;
	assert_int_equal(child_flag_add(a.c, &a.x, id, &f, &fid, &e),
			 ERR_NOTFOUND);
	/* an organisation of the other council cannot be used */
	int64_t own = make(&a, person("Isla", "Murray", "2015-05-05"));
	struct child_member_input m = {0};
	m.kind = "professional";
	m.name = "Mr Teacher";
	m.relationship = "Class teacher";
	m.org_id = 7;
	int64_t mid;
	assert_int_equal(child_member_add(a.c, &a.x, own, &m, &mid, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "org_id"));
	/* and a child of the other council cannot be linked */
	memset(&e, 0, sizeof(e));
	m.kind = "sibling";
	m.org_id = 0;
	m.relationship = "Sister";
	m.linked_child_id = id;
	assert_int_equal(child_member_add(a.c, &a.x, own, &m, &mid, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "linked_child_id"));
	/* the first council's own numbering starts at 1 too */
	assert_int_equal(count("SELECT count(*) FROM child WHERE council = "
			       "'aaa' AND la_ref = 'AAA0000001'"), 1);
	assert_int_equal(count("SELECT count(*) FROM child WHERE council = "
			       "'bbb' AND family_name = 'Murray'"), 1);
	t_close(&a);
}

/* child_visible, the rule every module asks: a child of the council is
 * visible; an unknown id, a child of another council, and for a partner
 * a child their organisation is not currently involved with are "not
 * found" alike; a role that may not read children is refused. */
static void visible_rule(void **state)
{
	(void)state;
	wipe();
	struct t sw;
	t_open(&sw, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t a = make(&sw, person("Evie", "Shaw", "2015-01-01"));
	int64_t b = make(&sw, person("Evie", "Shaw", "2016-01-01"));
	int64_t c = make(&sw, person("Evie", "Shaw", "2017-01-01"));
	int64_t d = make(&sw, person("Evie", "Shaw", "2018-01-01"));
	struct field_errors e = {0};
	int64_t mid, mid_b, mid_d;
	struct child_member_input m = {0};
	m.kind = "professional";
	m.name = "Dr Lee";
	m.relationship = "GP";
	m.org_id = 5;
	/* a: involved; b: involvement ends today; d: ends tomorrow */
	assert_int_equal(child_member_add(sw.c, &sw.x, a, &m, &mid, &e), ERR_OK);
	assert_int_equal(child_member_add(sw.c, &sw.x, b, &m, &mid_b, &e),
			 ERR_OK);
	assert_int_equal(child_member_end(sw.c, &sw.x, b, mid_b, "2024-06-12",
					  &e), ERR_OK);
	assert_int_equal(child_member_add(sw.c, &sw.x, d, &m, &mid_d, &e),
			 ERR_OK);
	char q[160];
	snprintf(q, sizeof(q), "UPDATE network_member SET end_date ="
		 " '2024-06-13' WHERE member_id = %lld", (long long)mid_d);
	sql(q);
	/* c: another organisation's, and a family member */
	m.org_id = 6;
	assert_int_equal(child_member_add(sw.c, &sw.x, c, &m, &mid, &e), ERR_OK);
	struct child_member_input f = {0};
	f.kind = "parent";
	f.name = "Ann Shaw";
	f.relationship = "Mother";
	assert_int_equal(child_member_add(sw.c, &sw.x, c, &f, &mid, &e), ERR_OK);

	/* a practitioner of the council sees every child of it, in a
	 * transaction or out of one */
	const int64_t all[] = {a, b, c, d};
	for (int i = 0; i < 4; i++)
		assert_int_equal(child_visible(sw.c, &sw.act, all[i]), ERR_OK);
	assert_int_equal(db_begin(sw.c, DB_TX_READ), DB_OK);
	assert_int_equal(child_visible(sw.c, &sw.act, a), ERR_OK);
	assert_int_equal(child_visible(sw.c, &sw.act, 999), ERR_NOTFOUND);
	db_rollback(sw.c);
	assert_int_equal(child_visible(sw.c, &sw.act, 0), ERR_NOTFOUND);
	assert_int_equal(child_visible(sw.c, &sw.act, -1), ERR_NOTFOUND);
	t_close(&sw);

	/* another council: not found, never denied */
	struct t o;
	t_open(&o, "bbb", ROLE_SOCIAL_WORKER, 1, 0);
	assert_int_equal(child_visible(o.c, &o.act, a), ERR_NOTFOUND);
	t_close(&o);

	/* a partner of organisation 5: only while it is involved */
	struct t p;
	t_open(&p, "aaa", ROLE_PARTNER, 2, 5);
	assert_int_equal(child_visible(p.c, &p.act, a), ERR_OK);
	assert_int_equal(child_visible(p.c, &p.act, b), ERR_NOTFOUND);
	assert_int_equal(child_visible(p.c, &p.act, c), ERR_NOTFOUND);
	assert_int_equal(child_visible(p.c, &p.act, d), ERR_OK);
	assert_int_equal(child_visible(p.c, &p.act, 999), ERR_NOTFOUND);
	/* the loaders answer the same */
	struct child ch;
	assert_int_equal(db_begin(p.c, DB_TX_WRITE), DB_OK);
	assert_int_equal(child_load(p.c, &p.x, p.a, a, &ch), ERR_OK);
	assert_int_equal(child_load(p.c, &p.x, p.a, b, &ch), ERR_NOTFOUND);
	assert_int_equal(child_load(p.c, &p.x, p.a, c, &ch), ERR_NOTFOUND);
	assert_int_equal(child_load(p.c, &p.x, p.a, d, &ch), ERR_OK);
	db_rollback(p.c);
	/* tomorrow, d's involvement has ended */
	actor_at(&p.act, p.act.now + 24 * 3600);
	assert_int_equal(child_visible(p.c, &p.act, d), ERR_NOTFOUND);
	assert_int_equal(child_visible(p.c, &p.act, a), ERR_OK);
	/* a partner with no organisation sees no child */
	p.act.org_id = 0;
	assert_int_equal(child_visible(p.c, &p.act, a), ERR_NOTFOUND);
	/* another partner organisation */
	p.act.org_id = 6;
	actor_at(&p.act, p.act.now - 24 * 3600);
	assert_int_equal(child_visible(p.c, &p.act, a), ERR_NOTFOUND);
	assert_int_equal(child_visible(p.c, &p.act, c), ERR_OK);
	t_close(&p);

	/* a role whose statements do not reach children is refused */
	struct t ad;
	t_open(&ad, "aaa", ROLE_ADMIN, 1, 0);
	assert_int_equal(child_visible(ad.c, &ad.act, a), ERR_DENIED);
	t_close(&ad);
}

/* ---- update, history, concurrency -------------------------------------- */

static void update_history(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t id = make(&t, person("Jack", "Smyth", "2013-03-03"));
	int64_t other = make(&t, person("Ella", "Jones", "2013-04-04"));
	struct child_input in = {0};
	in.family_name = "Smith";
	in.nhs_number = "9434765919";
	struct field_errors e = {0};
	int64_t nv = 0;
	assert_int_equal(child_update(t.c, &t.x, t.a, id, 1, &in, &nv, &e),
			 ERR_OK);
	assert_int_equal(nv, 2);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = "
			       "'update' AND child_id = 1"), 1);
	/* the key follows the name */
	char k[NAMEMATCH_KEY_MAX];
	namematch_key("smith", 5, k, sizeof(k));
	char q[128];
	snprintf(q, sizeof(q), "SELECT count(*) FROM child WHERE child_id = 1 "
		 "AND family_key = '%s'", k);
	assert_int_equal(count(q), 1);

	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	struct child_change *h;
	int n;
	assert_int_equal(child_history_list(t.c, &t.x, t.a, id, &h, &n), ERR_OK);
	db_commit(t.c);
	assert_int_equal(n, 2);
	bool saw_family = false;
	for (int i = 0; i < n; i++)
		if (strcmp(h[i].field, "family_name") == 0) {
			saw_family = true;
			assert_string_equal(h[i].old_value, "Smyth");
			assert_string_equal(h[i].new_value, "Smith");
			assert_string_equal(h[i].user_name, "Sam Worker");
		} else {
			assert_string_equal(h[i].field, "nhs_number");
			assert_string_equal(h[i].old_value, "");
		}
	assert_true(saw_family);

	/* stale version: refused, nothing changes */
	int64_t hist = rows_of("child_history");
	int64_t aud = rows_of("audit");
	in = (struct child_input){0};
	in.given_name = "Jake";
	assert_int_equal(child_update(t.c, &t.x, t.a, id, 1, &in, &nv, &e),
			 ERR_CONFLICT);
	assert_int_equal(rows_of("child_history"), hist);
	assert_int_equal(rows_of("audit"), aud);
	assert_int_equal(count("SELECT count(*) FROM child WHERE child_id = 1 "
			       "AND given_name = 'Jack' AND version = 2"), 1);
	/* current version: accepted */
	assert_int_equal(child_update(t.c, &t.x, t.a, id, 2, &in, &nv, &e),
			 ERR_OK);
	assert_int_equal(nv, 3);

	/* an invalid update changes nothing */
	in = (struct child_input){0};
	in.given_name = "Jack";
	in.dob_status = CHILD_DOB_KNOWN;
	in.dob = "2013-02-30";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_update(t.c, &t.x, t.a, id, 3, &in, &nv, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "dob"));
	assert_int_equal(count("SELECT count(*) FROM child WHERE child_id = 1 "
			       "AND given_name = 'Jake' AND version = 3"), 1);

	/* another child's NHS number is refused on update */
	in = (struct child_input){0};
	in.nhs_number = "943 476 5919";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_update(t.c, &t.x, t.a, other, 1, &in, &nv, &e),
			 ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "nhs_number"),
			       "AAA0000001"));
	/* no change: no version bump, no history */
	hist = rows_of("child_history");
	in = (struct child_input){0};
	in.given_name = "Ella";
	assert_int_equal(child_update(t.c, &t.x, t.a, other, 1, &in, &nv, &e),
			 ERR_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(rows_of("child_history"), hist);
	t_close(&t);
}

/* ---- addresses --------------------------------------------------------- */

static void addresses(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t id = make(&t, person("Noah", "Reid", "2012-12-12"));
	struct field_errors e = {0};
	int64_t a1, a2, a3;
	struct child_address_input in = {"1 Mill Lane", "", "Aville", "nq1 1aa",
					 "2020-01-01"};
	assert_int_equal(child_address_add(t.c, &t.x, id, &in, &a1, &e), ERR_OK);
	in = (struct child_address_input){"2 Park Road", NULL, "Aville",
					  "NQ2 2BB", "2022-05-01"};
	assert_int_equal(child_address_add(t.c, &t.x, id, &in, &a2, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM address WHERE address_id = 1"
			       " AND end_date = '2022-05-01'"), 1);
	assert_int_equal(count("SELECT count(*) FROM address WHERE address_id = 2"
			       " AND end_date IS NULL AND postcode = 'NQ2 2BB'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity = "
			       "'address'"), 2);

	/* before the current address started: refused */
	int64_t before = rows_of("address");
	in.start_date = "2021-01-01";
	assert_int_equal(child_address_add(t.c, &t.x, id, &in, &a3, &e),
			 ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "start_date"), "1 May 2022"));
	/* bad postcode, future date, missing line 1 */
	memset(&e, 0, sizeof(e));
	in = (struct child_address_input){"", NULL, NULL, "ZZ99 9ZZ",
					  "2030-01-01"};
	assert_int_equal(child_address_add(t.c, &t.x, id, &in, &a3, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "line1"));
	assert_non_null(fe_for(&e, "postcode"));
	assert_non_null(fe_for(&e, "start_date"));
	assert_int_equal(rows_of("address"), before);
	assert_int_equal(count("SELECT count(*) FROM address WHERE address_id = 2"
			       " AND end_date IS NULL"), 1);

	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	struct child_address *v;
	int n;
	assert_int_equal(child_addresses(t.c, &t.x, t.a, id, &v, &n), ERR_OK);
	db_commit(t.c);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].line1, "2 Park Road");
	assert_string_equal(v[0].end_date, "");
	assert_string_equal(v[1].end_date, "2022-05-01");
	t_close(&t);
}

/* ---- network ----------------------------------------------------------- */

static void network(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t id = make(&t, person("Mia", "Hughes", "2014-04-14"));
	int64_t sib = make(&t, person("Leo", "Hughes", "2016-06-16"));
	struct field_errors e = {0};
	int64_t m1, m2, m3, m4;
	struct child_member_input m = {0};
	m.kind = "parent";
	m.name = "Kate Hughes";
	m.relationship = "Mother";
	m.phone = "07700 900123";
	m.parental_responsibility = true;
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m1, &e), ERR_OK);
	m = (struct child_member_input){0};
	m.kind = "sibling";
	m.name = "Leo Hughes";
	m.relationship = "Younger brother";
	m.linked_child_id = sib;
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m2, &e), ERR_OK);
	m = (struct child_member_input){0};
	m.kind = "significant_adult";
	m.name = "Pat Hughes";
	m.relationship = "Grandmother";
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m3, &e), ERR_OK);
	m = (struct child_member_input){0};
	m.kind = "professional";
	m.name = "Dr Lee";
	m.relationship = "GP";
	m.org_id = 6;
	m.start_date = "2020-02-02";
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m4, &e), ERR_OK);
	/* D55: the mother and the grandmother are people of the family, to
	 * be shared with brothers and sisters; the brother's record and
	 * the professional are not */
	assert_int_equal(count("SELECT count(*) FROM family_person p JOIN"
			       " network_member m ON m.council = p.council AND"
			       " m.person_id = p.person_id WHERE p.name IN"
			       " ('Kate Hughes', 'Pat Hughes') AND m.rel_code IN"
			       " ('parent', 'other')"), 2);
	assert_int_equal(count("SELECT count(*) FROM network_member WHERE"
			       " person_id IS NOT NULL"), 2);

	/* a brother's record found by its LA reference (any case, spaces) */
	int64_t m5;
	m = (struct child_member_input){0};
	m.kind = "sibling";
	m.name = "Leo Hughes";
	m.relationship = "Brother";
	m.linked_la_ref = " aaa 0000002 ";
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m5, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM network_member WHERE"
			       " member_id = 5 AND linked_child_id = 2"), 1);
	m.linked_la_ref = "AAA0000099";
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m5, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "linked_la_ref"));
	m.linked_la_ref = "AAA0000001";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_add(t.c, &t.x, id, &m, &m5, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "linked_la_ref"));
	sql("DELETE FROM network_member WHERE member_id = 5");

	/* refusals */
	int64_t before = rows_of("network_member");
	struct child_member_input bad = {0};
	bad.kind = "professional";
	bad.name = "Someone";
	bad.relationship = "Lead professional";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_add(t.c, &t.x, id, &bad, &m1, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "org_id"));
	bad.kind = "cousin";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_add(t.c, &t.x, id, &bad, &m1, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "kind"));
	bad = (struct child_member_input){0};
	bad.kind = "sibling";
	bad.name = "Self";
	bad.relationship = "Self";
	bad.linked_child_id = id;
	bad.phone = "call me";
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_add(t.c, &t.x, id, &bad, &m1, &e),
			 ERR_INVALID);
	assert_non_null(fe_for(&e, "linked_child_id"));
	assert_non_null(fe_for(&e, "phone"));
	assert_int_equal(rows_of("network_member"), before);

	/* end: before start refused, future refused, then ended, twice refused */
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_end(t.c, &t.x, id, m4, "2019-01-01", &e),
			 ERR_INVALID);
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_end(t.c, &t.x, id, m4, "2024-06-13", &e),
			 ERR_INVALID);
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_member_end(t.c, &t.x, id, m4, "2024-06-01", &e),
			 ERR_OK);
	assert_int_equal(child_member_end(t.c, &t.x, id, m4, "2024-06-01", &e),
			 ERR_INVALID);
	assert_int_equal(child_member_end(t.c, &t.x, id, 99, "2024-06-01", &e),
			 ERR_NOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity = "
			       "'network_member' AND action = 'end'"), 1);

	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	struct child_member *v;
	int n;
	assert_int_equal(child_network(t.c, &t.x, t.a, id, &v, &n), ERR_OK);
	db_commit(t.c);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].kind, "parent");
	assert_true(v[0].parental_responsibility);
	assert_string_equal(v[1].linked_la_ref, "AAA0000002");
	assert_false(v[3].current);
	assert_string_equal(v[3].org_name, "Aville Surgery");
	t_close(&t);
}

/* ---- flags ------------------------------------------------------------- */

static void flags(void **state)
{
	(void)state;
	wipe();
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	int64_t id = make(&t, person("Ava", "Price", "2011-01-21"));
	struct field_errors e = {0};
	int64_t f1;
	struct child_flag_input in = {"worker_safety", "Dog at the address",
				      "2024-06-11"};
	assert_int_equal(child_flag_add(t.c, &t.x, id, &in, &f1, &e),
			 ERR_INVALID);
	assert_non_null(strstr(fe_for(&e, "review_date"),
			       "today or in the future"));
	assert_int_equal(rows_of("flag"), 0);
	memset(&e, 0, sizeof(e));
	in.kind = "spooky";
	in.text = "";
	in.review_date = "2024-02-30";
	assert_int_equal(child_flag_add(t.c, &t.x, id, &in, &f1, &e),
			 ERR_INVALID);
	assert_int_equal(e.n, 3);
	assert_int_equal(rows_of("flag"), 0);

	in = (struct child_flag_input){"worker_safety", "Dog at the address",
				       "2024-06-12"};
	memset(&e, 0, sizeof(e));
	assert_int_equal(child_flag_add(t.c, &t.x, id, &in, &f1, &e), ERR_OK);
	/* an old flag past its review date shows as overdue */
	sql("INSERT INTO flag VALUES ('aaa', 1, 2, 'health', 'Nut allergy',"
	    " '2024-01-01', '2023-01-01T10:00:00Z', 1, NULL)");
	assert_int_equal(db_begin(t.c, DB_TX_WRITE), DB_OK);
	struct child_flag *v;
	int n;
	assert_int_equal(child_flags(t.c, &t.x, t.a, id, &v, &n), ERR_OK);
	db_commit(t.c);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].flag_id, 2);
	assert_true(v[0].overdue);
	assert_false(v[1].overdue);

	assert_int_equal(child_flag_end(t.c, &t.x, id, f1, &e), ERR_OK);
	assert_int_equal(child_flag_end(t.c, &t.x, id, f1, &e), ERR_INVALID);
	assert_int_equal(child_flag_end(t.c, &t.x, id, 9, &e), ERR_NOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM flag WHERE flag_id = 1 AND"
			       " ended_at IS NOT NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE entity = "
			       "'flag'"), 2);
	t_close(&t);
}

/* ---- code lists -------------------------------------------------------- */

/* The embedded ethnicity table is the CSV's list of current codes. */
static void ethnicity_table(void **state)
{
	(void)state;
	assert_string_equal(child_ethnicity_label_for("WBRI"), "White British");
	assert_null(child_ethnicity_label_for("XYZ"));
	assert_null(child_ethnicity_code(CHILD_ETHNICITY_COUNT));
	assert_string_equal(child_gender_label_for("9"), "Indeterminate");
	assert_null(child_gender_label_for("3"));
	FILE *f = fopen(CAIRN_SOURCE_ROOT
			"/data/codes/ethnicity_cin_903.csv", "r");
	if (f == NULL)
		skip();
	char line[512];
	int n = 0;
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ',');
		if (comma == NULL || strstr(line, ",current,") == NULL)
			continue;
		*comma = '\0';
		assert_non_null(child_ethnicity_label_for(line));
		n++;
	}
	fclose(f);
	assert_int_equal(n, CHILD_ETHNICITY_COUNT);
}

/* ---- 50,000 children --------------------------------------------------- */

static const char *const bench_given[] = {
	"Oliver", "Harry", "George", "Jack", "Noah", "Leo", "Jacob", "Charlie",
	"Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Sophia",
	"Mohammed", "Muhammad", "Aisha", "Fatima", "Zainab", "Ibrahim",
	"Oskar", "Zofia", "Jakub", "Lena", "Chidi", "Amara", "Kwame",
	"Tyrone", "Shanice", "Wei", "Mei", "Minh", "Siobhan", "Niamh",
	"Seán", "Zoë", "Róisín", "Łukasz", "Kayden", "Jayden", "Harper",
};
static const char *const bench_family[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
	"Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker",
	"White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Khan", "Ali", "Hussain", "Ahmed", "Begum", "Patel", "Singh", "Kaur",
	"Nowak", "Wójcik", "Kowalczyk", "Okafor", "Adeyemi", "Mensah",
	"Campbell", "Chen", "Nguyen", "O'Brien", "Murphy", "Kelly",
	"Smith-Jones", "McDonald", "Chaudhry", "Choudhury", "Dvořák",
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A pool of its own on the test's database (opened at the first use,
 * closed by the teardown), acting for the system: writes and reads
 * behind the child module's back, as another process or an import
 * would, through the store (so the same on SQLite and PostgreSQL). */
static struct db *raw_open(struct db_conn **c)
{
	if (raw_db == NULL) {
		char err[256];
		struct db_options o = {.pool_size = 1,
				       .busy_timeout_ms = 2000,
				       .synchronous_full = false};
		assert_int_equal(db_open(path, &o, &raw_db, err, sizeof(err)),
				 DB_OK);
	}
	*c = db_acquire(raw_db);
	db_set_role(*c, DB_ROLE_SYSTEM);
	return raw_db;
}

static void raw_close(struct db *d, struct db_conn *c)
{
	db_release(d, c);
}

static const struct db_stmt st_raw_bulk = {
	"test_child_raw_bulk",
	"INSERT INTO child (council, child_id, la_ref, given_name,"
	" family_name, given_key, family_key, dob, gender, created_at,"
	" created_by, updated_at) VALUES ('aaa', ?1, ?2, ?3, ?4, ?5, ?6,"
	" ?7, '1', '2024-01-01T00:00:00Z', 1, '2024-01-01T00:00:00Z')",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_raw_analyze = {
	"test_child_raw_analyze", "ANALYZE", DB_ROLE_SYSTEM,
};

static void search_50k(void **state)
{
	(void)state;
	wipe();
	struct db_conn *rc;
	struct db *rdb = raw_open(&rc);
	assert_int_equal(db_begin(rc, DB_TX_WRITE), DB_OK);
	uint64_t s = 12345;
	size_t ng = sizeof(bench_given) / sizeof(bench_given[0]);
	size_t nf = sizeof(bench_family) / sizeof(bench_family[0]);
	for (int i = 1; i <= 50000; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		const char *g = bench_given[(s >> 33) % ng];
		const char *f = bench_family[(s >> 17) % nf];
		char ref[16], gk[NAMEMATCH_KEY_MAX], fk[NAMEMATCH_KEY_MAX];
		char fold[NAMEMATCH_NAME_MAX], dob[11];
		snprintf(ref, sizeof(ref), "AAA%07d", i);
		size_t n = namematch_fold(g, strlen(g), fold, sizeof(fold));
		namematch_key(fold, n, gk, sizeof(gk));
		n = namematch_fold(f, strlen(f), fold, sizeof(fold));
		namematch_key(fold, n, fk, sizeof(fk));
		snprintf(dob, sizeof(dob), "20%02d-%02d-%02d",
			 (int)(7 + (s >> 40) % 17), (int)(1 + (s >> 45) % 12),
			 (int)(1 + (s >> 50) % 28));
		assert_int_equal(db_exec(rc, &st_raw_bulk, NULL, i, ref, g, f,
					 gk, fk, dob), DB_DONE);
	}
	assert_int_equal(db_commit(rc), DB_OK);
	assert_int_equal(db_exec0(rc, &st_raw_analyze, NULL), DB_DONE);
	raw_close(rdb, rc);

	/* misspelt queries; the first ones defeat the phonetic index and go
	 * through the scan */
	static const char *const queries[] = {
		"Dmith", "Xhanice", "Jowalczyk", "Tmith Kones",
		"Bakub Jowalczyk", "Tyronne Kampbell", "Harry Jonson",
		"Mohamed Hussein", "Nyguen", "Siobhan OBrian",
	};
	enum { RUNS = 100 };
	double t[RUNS];
	struct t x;
	t_open(&x, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	for (int i = 0; i < RUNS; i++) {
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct child_query q = {0};
		q.name = queries[i % 10];
		q.limit = 20;
		struct child_results r;
		struct field_errors e = {0};
		assert_int_equal(child_search(x.c, &x.x, x.a, &q, &r, &e),
				 ERR_OK);
		t[i] = ms_since(&t0);
		if (i < 10)
			assert_true(r.n > 0);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("search over 50,000 children: median %.1f ms, p99 %.1f ms\n",
	       t[RUNS / 2], t[RUNS - 2]);
	/* the API target is p99 < 50 ms; leave room for slow CI machines and
	 * sanitizer builds here, the benchmark line above is the measure */
	assert_true(t[RUNS - 2] < 250.0);
	t_close(&x);
}

/* ---- the name index ---------------------------------------------------- */

/* namematch's scoring by parts gives namematch_score_query exactly. */
static void namematch_parts(void **state)
{
	(void)state;
	static const char *const names[] = {
		"", "Harry", "Hary", "Harriet", "Johnson", "Jonson", "Smith",
		"Smith-Jones", "Jones Smith", "O'Brien", "Obrian", "Zoë", "Zoe",
		"J", "Jo", "Mary Ann", "de Souza", "Desouza", "Łukasz", "王",
		"Мария", "Al-Hassan", "Hassan", "123", "Muhammad", "Mohamed",
	};
	size_t n = sizeof(names) / sizeof(names[0]);
	for (size_t qi = 0; qi < n; qi++) {
		for (size_t qj = 0; qj < n; qj++) {
			struct namematch_query q;
			namematch_query_init(&q, names[qi], names[qj]);
			for (size_t ci = 0; ci < n; ci++) {
				struct namematch_part g;
				namematch_part_init(&g, names[ci]);
				int gg = namematch_part_score(&q, 0, &g);
				int fg = namematch_part_score(&q, 1, &g);
				for (size_t cj = 0; cj < n; cj++) {
					struct namematch_part f;
					namematch_part_init(&f, names[cj]);
					int ff = namematch_part_score(&q, 1, &f);
					int gf = namematch_part_score(&q, 0, &f);
					assert_int_equal(
						namematch_combine(&q, gg, ff, gf, fg),
						namematch_score_query(&q, names[ci],
								      names[cj]));
				}
			}
		}
	}
}

/* A child inserted behind the child module's back (another process, an
 * import). */
static void raw_child(int64_t id, const char *given, const char *family,
		      const char *created)
{
	static const struct db_stmt st_raw_child = {
		"test_child_raw_one",
		"INSERT INTO child (council, child_id, la_ref, given_name,"
		" family_name, given_key, family_key, gender, created_at,"
		" created_by, updated_at) VALUES ('aaa', ?1, ?2, ?3, ?4, ?5,"
		" ?6, '1', ?7, 1, ?7)",
		DB_ROLE_SYSTEM,
	};
	char ref[16], gk[NAMEMATCH_KEY_MAX], fk[NAMEMATCH_KEY_MAX];
	char fold[NAMEMATCH_NAME_MAX * 2];
	size_t n = namematch_fold(given, strlen(given), fold, sizeof(fold));
	namematch_key(fold, n, gk, sizeof(gk));
	n = namematch_fold(family, strlen(family), fold, sizeof(fold));
	namematch_key(fold, n, fk, sizeof(fk));
	snprintf(ref, sizeof(ref), "AAA%07d", (int)id);
	struct db_conn *rc;
	struct db *rdb = raw_open(&rc);
	assert_int_equal(db_exec(rc, &st_raw_child, NULL, id, ref, given,
				 family, gk, fk, created), DB_DONE);
	raw_close(rdb, rc);
}

/* Renames, creates, rollbacks and writes from elsewhere show in the next
 * search, including a rename committed after the index was rebuilt
 * under it. */
static void search_index_fresh(void **state)
{
	(void)state;
	wipe();
	/* s searches on a pool of its own whose short busy timeout lets a
	 * search rank but not audit while w holds the write lock (and a
	 * failed assertion leaves one of the shared connections free) */
	struct db *db2;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 200, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db2, err, sizeof(err)), DB_OK);
	struct t w, s;
	t_open(&w, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	s = w;
	s.c = db_acquire(db2);
	db_set_role(s.c, RB(ROLE_SOCIAL_WORKER));
	s.a = arena_new(16u << 20);
	int64_t a = make(&w, person("Harry", "Johnson", "2014-05-01"));
	int64_t b = make(&w, person("Harry", "Johnson", "2015-05-01"));
	make(&w, person("Zed", "Zulu", "2016-05-01"));
	/* the next search indexes these three */
	child_names_drop(app_names);
	assert_int_equal(search(&s, "Harry Jonson", NULL, ERR_OK).n, 2);

	/* a rename (own transaction) */
	struct child_input in = {0};
	struct field_errors e = {0};
	in.family_name = "Kowalczyk";
	assert_int_equal(child_update(w.c, &w.x, w.a, b, 1, &in, NULL, &e),
			 ERR_OK);
	struct child_results r = search(&s, "Harry Kowalcyzk", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].child_id, b);
	assert_int_equal(search(&s, "Harry Jonson", NULL, ERR_OK).n, 1);

	/* a new child */
	int64_t c = make(&w, person("Peregrin", "Took", "2017-05-01"));
	r = search(&s, "Peregrine", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].child_id, c);

	/* a rename that rolls back changes nothing */
	assert_int_equal(db_begin(w.c, DB_TX_WRITE), DB_OK);
	in.family_name = "Baggins";
	assert_int_equal(child_update(w.c, &w.x, w.a, a, 1, &in, NULL, &e),
			 ERR_OK);
	db_rollback(w.c);
	assert_int_equal(search(&s, "Harry Bagins", NULL, ERR_OK).n, 0);
	assert_int_equal(search(&s, "Harry Jonson", NULL, ERR_OK).n, 1);

	/* a rename in the caller's transaction, with the index rebuilt
	 * (after a row it knew went away) before that commits */
	sql("DELETE FROM child_history WHERE child_id = 3;"
	    " DELETE FROM chronology WHERE child_id = 3;"
	    " DELETE FROM child WHERE child_id = 3");
	assert_int_equal(db_begin(w.c, DB_TX_WRITE), DB_OK);
	in.family_name = "Brandybuck";
	assert_int_equal(child_update(w.c, &w.x, w.a, a, 1, &in, NULL, &e),
			 ERR_OK);
	search(&s, "Harry Jonson", NULL, ERR_BUSY);
	assert_int_equal(db_commit(w.c), DB_OK);
	r = search(&s, "Harry Brandybuk", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].child_id, a);
	assert_int_equal(search(&s, "Harry Jonson", NULL, ERR_OK).n, 0);

	/* written by another process: a new child, then all replaced by
	 * rows with the same ids, then more than the index reads beside
	 * its snapshot */
	raw_child(10, "Bilbo", "Baggins", "2020-01-01T00:00:00Z");
	assert_int_equal(search(&s, "Bilbo Bagins", NULL, ERR_OK).n, 1);
	sql("DELETE FROM child_history; DELETE FROM chronology;"
	    " DELETE FROM child");
	for (int i = 1; i <= 10; i++)
		raw_child(i, "Samwise", "Gamgee", "2021-01-01T00:00:00Z");
	assert_int_equal(search(&s, "Bilbo Bagins", NULL, ERR_OK).n, 0);
	assert_int_equal(search(&s, "Samwise Gamjee", NULL, ERR_OK).n, 10);
	for (int i = 11; i <= 1100; i++)
		raw_child(i, "Rosie", "Cotton", "2022-01-01T00:00:00Z");
	r = search(&s, "Rosie Coton", NULL, ERR_OK);
	assert_int_equal(r.total, 1090);
	t_close(&w);
	db_release(db2, s.c);
	arena_free(s.a);
	db_close(db2);
}

/* The ranking as child_search defines it, the slow way: the rows whose
 * stored key is a key of the query, and when fewer than
 * CHILD_SEARCH_SCAN_BELOW of them match, every row of the council. */
struct ref_hit {
	int64_t id;
	int score;
	char given[128], family[128];
	bool keyed;
};

static int cmp_ref(const void *pa, const void *pb)
{
	const struct ref_hit *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int k = strcmp(a->family, b->family);
	if (k == 0)
		k = strcmp(a->given, b->given);
	if (k)
		return k;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void ref_key(const char *name, char out[NAMEMATCH_KEY_MAX])
{
	char fold[NAMEMATCH_NAME_MAX * 2];
	size_t n = namematch_fold(name, strlen(name), fold, sizeof(fold));
	namematch_key(fold, n, out, NAMEMATCH_KEY_MAX);
}

static int ref_search(const char *name, struct ref_hit *v, int cap)
{
	char t[256];
	const char *p = name;
	while (*p == ' ' || *p == '\t')
		p++;
	snprintf(t, sizeof(t), "%s", p);
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		t[--n] = '\0';
	char *last = strrchr(t, ' ');
	bool single = last == NULL;
	const char *family = single ? t : last + 1;
	if (!single) {
		char *g = last;
		while (g > t && g[-1] == ' ')
			g--;
		*g = '\0';
	}
	struct namematch_query both, qg, qf;
	namematch_query_init(&both, t, family);
	namematch_query_init(&qg, t, NULL);
	namematch_query_init(&qf, NULL, family);
	char gk[NAMEMATCH_KEY_MAX], fk[NAMEMATCH_KEY_MAX];
	ref_key(t, gk);
	ref_key(family, fk);

	static const struct db_stmt st_raw_all = {
		"test_child_raw_all",
		"SELECT child_id, given_name, family_name, given_key,"
		" family_key FROM child WHERE council = 'aaa'",
		DB_ROLE_SYSTEM,
	};
	struct db_conn *rc;
	struct db *rdb = raw_open(&rc);
	struct db_q *st;
	int nv = 0, keyed = 0;
	int step = db_exec0(rc, &st_raw_all, &st);
	for (; step == DB_ROW; step = db_step(st)) {
		const char *g = db_col_text(st, 1);
		const char *f = db_col_text(st, 2);
		const char *rgk = db_col_text(st, 3);
		const char *rfk = db_col_text(st, 4);
		int score;
		if (single) {
			int x = namematch_score_query(&qg, g, NULL);
			int y = namematch_score_query(&qf, NULL, f);
			score = x > y ? x : y;
		} else {
			score = namematch_score_query(&both, g, f);
		}
		if (score < NAMEMATCH_LIKELY)
			continue;
		assert_true(nv < cap);
		struct ref_hit *e = &v[nv++];
		e->id = db_col_i64(st, 0);
		e->score = score;
		snprintf(e->given, sizeof(e->given), "%s", g);
		snprintf(e->family, sizeof(e->family), "%s", f);
		e->keyed = (gk[0] && (strcmp(rgk, gk) == 0 ||
				      strcmp(rfk, gk) == 0)) ||
			   (fk[0] && (strcmp(rgk, fk) == 0 ||
				      strcmp(rfk, fk) == 0));
		keyed += e->keyed;
	}
	assert_int_equal(step, DB_DONE);
	raw_close(rdb, rc);
	if (keyed >= CHILD_SEARCH_SCAN_BELOW) {
		int k = 0;
		for (int i = 0; i < nv; i++)
			if (v[i].keyed)
				v[k++] = v[i];
		nv = k;
	}
	qsort(v, (size_t)nv, sizeof(*v), cmp_ref);
	return nv < CHILD_SEARCH_MAX ? nv : CHILD_SEARCH_MAX;
}

/* Every page of child_search against the reference ranking, over a
 * varied population with typos, double-barrelled, accented and empty
 * names. */
static void search_reference(void **state)
{
	(void)state;
	wipe();
	size_t ng = sizeof(bench_given) / sizeof(bench_given[0]);
	size_t nf = sizeof(bench_family) / sizeof(bench_family[0]);
	uint64_t s = 777;
	for (int i = 1; i <= 3000; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		char g[64], f[64];
		snprintf(g, sizeof(g), "%s", bench_given[(s >> 33) % ng]);
		snprintf(f, sizeof(f), "%s", bench_family[(s >> 17) % nf]);
		switch ((s >> 50) % 8) {
		case 0: /* a typo in the family name */
			/* ASCII bytes only: a swap inside a multi-byte
			 * character is not UTF-8, which PostgreSQL refuses
			 * (and a person cannot type) */
			if (strlen(f) > 3 && (unsigned char)f[1] < 0x80 &&
			    (unsigned char)f[2] < 0x80) {
				char ch = f[1];
				f[1] = f[2];
				f[2] = ch;
			}
			break;
		case 1: /* unborn, no given name yet */
			g[0] = '\0';
			break;
		case 2: /* two given names */
			snprintf(g + strlen(g), sizeof(g) - strlen(g), " %s",
				 bench_given[(s >> 40) % ng]);
			break;
		default:
			break;
		}
		raw_child(i, g, f, "2024-01-01T00:00:00Z");
	}
	static const char *const queries[] = {
		"Smiht", "Jonson", "Harry Jonson", "Jonson Harry", "Dmith",
		"Jowalczyk", "Tmith Kones", "Mohamed", "Muhamad Ali", "Nyguen",
		"Siobhan OBrian", "O'Brien", "Obrien", "Smith Jones",
		"Smith-Jones", "Mc Donald", "Zoe", "Zoë Chen", "Lukasz",
		"Dvorak", "Wojcik", "J", "Jo", "J Smith", "Ali", "Kaur",
		"Chaudry", "Shanice Campbel", "  Amelia   Wrihgt  ", "Oskar",
		"Wei Chen", "123", "王", "Harper Kelly", "Niamh Murphy",
		"Roisin", "Sean Kelly", "Fatima Begum", "Amara Okafor",
		"Kwame Mensah", "Tyrone", "Evnas", "Davis", "Thomson",
	};
	static struct ref_hit ref[3001];
	struct t t;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	for (size_t qi = 0; qi < sizeof(queries) / sizeof(queries[0]); qi++) {
		int n = ref_search(queries[qi], ref, 3001);
		struct child_query q = {0};
		q.name = queries[qi];
		q.limit = 200;
		int at = 0;
		for (;;) {
			struct child_results r;
			struct field_errors e = {0};
			assert_int_equal(child_search(t.c, &t.x, t.a, &q, &r, &e),
					 ERR_OK);
			assert_int_equal(r.total, n);
			for (int i = 0; i < r.n; i++, at++) {
				assert_true(at < n);
				if (r.v[i].child_id != ref[at].id ||
				    r.v[i].score != ref[at].score)
					fprintf(stderr, "%s: #%d is %lld (%d), "
						"expected %lld (%d)\n",
						queries[qi], at,
						(long long)r.v[i].child_id,
						r.v[i].score,
						(long long)ref[at].id,
						ref[at].score);
				assert_int_equal(r.v[i].child_id, ref[at].id);
				assert_int_equal(r.v[i].score, ref[at].score);
			}
			if (r.next_offset < 0)
				break;
			q.offset = r.next_offset;
		}
		assert_int_equal(at, n);
		arena_free(t.a);
		t.a = arena_new(16u << 20);
	}
	t_close(&t);
}

/* A ctx without a name index searches correctly: each search reads
 * every name in its own snapshot, so creations and renames show at
 * once, and every page ranks as through an index.  Two indexes share
 * nothing: an index is told only of the writes made through it. */
static void search_own_index(void **state)
{
	(void)state;
	wipe();
	struct t t, n;
	t_open(&t, "aaa", ROLE_SOCIAL_WORKER, 1, 0);
	n = t;
	n.x.names = NULL;
	n.a = arena_new(16u << 20);
	size_t ng = sizeof(bench_given) / sizeof(bench_given[0]);
	size_t nf = sizeof(bench_family) / sizeof(bench_family[0]);
	uint64_t s = 4242;
	for (int i = 1; i <= 600; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		raw_child(i, bench_given[(s >> 33) % ng],
			  bench_family[(s >> 17) % nf], "2024-01-01T00:00:00Z");
	}
	sql("INSERT INTO id_counter (council, kind, next)"
	    " VALUES ('aaa', 'child', 601)");
	static const char *const queries[] = {
		"Smiht", "Harry Jonson", "Jowalczyk", "Mohamed", "Zoe",
		"Siobhan OBrian", "Kaur", "J", "Evnas",
	};
	for (size_t qi = 0; qi < sizeof(queries) / sizeof(queries[0]); qi++) {
		struct child_query q = {0};
		q.name = queries[qi];
		q.limit = 7;
		for (;;) {
			struct child_results a, b;
			struct field_errors e = {0};
			assert_int_equal(child_search(t.c, &t.x, t.a, &q, &a, &e),
					 ERR_OK);
			assert_int_equal(child_search(n.c, &n.x, n.a, &q, &b, &e),
					 ERR_OK);
			assert_int_equal(a.total, b.total);
			assert_int_equal(a.n, b.n);
			assert_int_equal(a.next_offset, b.next_offset);
			for (int i = 0; i < a.n; i++) {
				assert_int_equal(a.v[i].child_id, b.v[i].child_id);
				assert_int_equal(a.v[i].score, b.v[i].score);
			}
			if (a.next_offset < 0)
				break;
			q.offset = a.next_offset;
		}
	}

	/* without an index: a new child and a rename show at once */
	int64_t id = make(&n, person("Peregrin", "Took", "2017-05-01"));
	struct child_results r = search(&n, "Peregrine Tok", NULL, ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].child_id, id);
	struct child_input in = {0};
	struct field_errors e = {0};
	in.family_name = "Brandybuck";
	assert_int_equal(child_update(n.c, &n.x, n.a, id, 1, &in, NULL, &e),
			 ERR_OK);
	assert_int_equal(search(&n, "Peregrin Brandybuk", NULL, ERR_OK).n, 1);
	assert_int_equal(search(&n, "Peregrin Tok", NULL, ERR_OK).n, 0);

	/* the application's index was told of neither, and finds the child
	 * as it is: created after its snapshot, it is read beside it; and
	 * the same once the snapshot is rebuilt */
	assert_int_equal(search(&t, "Peregrin Brandybuk", NULL, ERR_OK).n, 1);
	child_names_drop(app_names);
	assert_int_equal(search(&t, "Peregrin Brandybuk", NULL, ERR_OK).n, 1);
	assert_int_equal(search(&t, "Peregrin Tok", NULL, ERR_OK).n, 0);

	/* another process: its own pool on the same store and its own
	 * index, which knows nothing of the first's notes.  A rename through
	 * the first of a child in the second's snapshot shows in the second
	 * at its next search, from the store's rename number (D43) */
	struct db *other_db = NULL;
	char err[256];
	struct db_options oo = {.pool_size = 1, .busy_timeout_ms = 5000};
	assert_int_equal(db_open(path, &oo, &other_db, err, sizeof(err)),
			 DB_OK);
	struct child_names *other = child_names_new();
	struct t o = t;
	o.c = db_acquire(other_db);
	db_set_role(o.c, RB(ROLE_SOCIAL_WORKER));
	db_set_council(o.c, "aaa");
	o.x.names = other;
	assert_int_equal(search(&o, "Peregrin Brandybuk", NULL, ERR_OK).n, 1);
	in.family_name = "Took";
	assert_int_equal(child_update(t.c, &t.x, t.a, id, 2, &in, NULL, &e),
			 ERR_OK);
	assert_int_equal(search(&t, "Peregrin Tok", NULL, ERR_OK).n, 1);
	assert_int_equal(search(&o, "Peregrin Tok", NULL, ERR_OK).n, 1);
	assert_int_equal(search(&o, "Peregrin Brandybuk", NULL, ERR_OK).n, 0);
	/* and the other way, a rename through the second */
	in.family_name = "Gamgee";
	assert_int_equal(child_update(o.c, &o.x, o.a, id, 3, &in, NULL, &e),
			 ERR_OK);
	assert_int_equal(search(&t, "Peregrin Gamgee", NULL, ERR_OK).n, 1);
	assert_int_equal(search(&t, "Peregrin Tok", NULL, ERR_OK).n, 0);
	/* a rename that rolls back is found by neither */
	assert_int_equal(db_begin(o.c, DB_TX_WRITE), DB_OK);
	in.family_name = "Baggins";
	assert_int_equal(child_update(o.c, &o.x, o.a, id, 4, &in, NULL, &e),
			 ERR_OK);
	db_rollback(o.c);
	assert_int_equal(search(&t, "Peregrin Bagins", NULL, ERR_OK).n, 0);
	assert_int_equal(search(&o, "Peregrin Gamgee", NULL, ERR_OK).n, 1);
	child_names_drop(other);
	assert_int_equal(search(&o, "Peregrin Gamgee", NULL, ERR_OK).n, 1);
	db_release(other_db, o.c);
	db_close(other_db);
	child_names_free(other);
	child_names_free(NULL);
	child_names_drop(NULL);
	arena_free(n.a);
	t_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_read_audit),
		cmocka_unit_test(validators),
		cmocka_unit_test(duplicates),
		cmocka_unit_test(search_names),
		cmocka_unit_test(search_diminutives),
		cmocka_unit_test(search_identifiers),
		cmocka_unit_test(partner_rule),
		cmocka_unit_test(council_isolation),
		cmocka_unit_test(visible_rule),
		cmocka_unit_test(update_history),
		cmocka_unit_test(addresses),
		cmocka_unit_test(network),
		cmocka_unit_test(flags),
		cmocka_unit_test(ethnicity_table),
		cmocka_unit_test(namematch_parts),
		cmocka_unit_test(search_index_fresh),
		cmocka_unit_test(search_reference),
		cmocka_unit_test(search_own_index),
		cmocka_unit_test(search_50k),
	};
	return cmocka_run_group_tests_name("child", tests, setup, teardown);
}
