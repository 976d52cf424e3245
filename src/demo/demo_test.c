/* demo_test.c: the synthetic data generator.  Generates 300 children into
 * temporary databases and checks the rows against rules recomputed here
 * independently (mod 11, UPN check letter, R01 due times, R14
 * re-referrals, name keys), plus reproducibility and the error cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child/child.h"
#include "child/ident.h"
#include "child/namematch.h"
#include "db/db.h"
#include "db/testdb.h"
#include "demo/demo.h"
#include "rules/calendar.h"
#include "rules/holidays.h"

#define CODES_DIR CAIRN_SOURCE_ROOT "/data/codes"
#define NCHILD 300
#define TODAY "2025-03-14"

static const struct db_stmt st_user_ins = {
	"test_demo_user_ins",
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" org_id, team_id, pw_hash, created_at) VALUES ('nwd', ?1, ?2, ?3, ?4,"
	" NULL, ?5, 'x', '2025-01-01T00:00:00Z')",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_count = {
	"test_demo_count",
	"SELECT (SELECT count(*) FROM child),"
	" (SELECT count(*) FROM contact),"
	" (SELECT count(*) FROM referral),"
	" (SELECT count(*) FROM organisation),"
	" (SELECT count(*) FROM team),"
	" (SELECT count(*) FROM address),"
	" (SELECT count(*) FROM bank_holiday),"
	" (SELECT count(*) FROM setting WHERE key = 'working_day_convention'"
	"   AND value = 'day0'),"
	" (SELECT count(*) FROM flag),"
	" (SELECT count(*) FROM council WHERE council = 'nwd')",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_per_child = {
	"test_demo_per_child",
	"SELECT min(n), max(n) FROM (SELECT c.child_id, count(t.contact_id) AS n"
	" FROM child c LEFT JOIN contact t ON t.council = c.council"
	" AND t.child_id = c.child_id GROUP BY c.child_id) AS per_child",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_nhs = {
	"test_demo_nhs",
	"SELECT nhs_number FROM child WHERE nhs_number IS NOT NULL",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_upn = {
	"test_demo_upn", "SELECT upn FROM child WHERE upn IS NOT NULL",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_ids_unique = {
	"test_demo_ids_unique",
	"SELECT count(*), count(DISTINCT la_ref), count(nhs_number),"
	" count(DISTINCT nhs_number), count(upn), count(DISTINCT upn),"
	" (SELECT count(*) FROM child WHERE la_ref LIKE 'NWD_______'),"
	" sum(CASE WHEN dob IS NULL AND expected_dob IS NOT NULL THEN 1"
	"  ELSE 0 END)"
	" FROM child",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_la_ref = {
	"test_demo_la_ref", "SELECT la_ref FROM child", DB_ROLE_SYSTEM,
};
static const struct db_stmt st_postcode = {
	"test_demo_postcode", "SELECT postcode FROM address", DB_ROLE_SYSTEM,
};
static const struct db_stmt st_names = {
	"test_demo_names",
	"SELECT given_name, family_name, given_key, family_key FROM child",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_due = {
	"test_demo_due", "SELECT received_at, due_at FROM contact",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_timing = {
	"test_demo_timing",
	/* counts of rows meeting a condition as CASE: PostgreSQL does not
	 * sum booleans */
	"SELECT sum(CASE WHEN decided_at > due_at THEN 1 ELSE 0 END),"
	" sum(CASE WHEN decision IS NULL THEN 1 ELSE 0 END),"
	" (SELECT max(received_at) FROM contact WHERE decision IS NOT NULL),"
	" (SELECT min(received_at) FROM contact WHERE decision IS NULL),"
	" sum(CASE WHEN decision IN ('referral', 'strategy') THEN 1 ELSE 0 END),"
	" sum(CASE WHEN decided_at IS NOT NULL AND decided_at <= received_at"
	"  THEN 1 ELSE 0 END),"
	" sum(CASE WHEN source = '6' THEN 1 ELSE 0 END), count(*),"
	" sum(CASE WHEN decision IN ('referral', 'strategy')"
	"  AND referral_id IS NULL THEN 1 ELSE 0 END)"
	" FROM contact",
	DB_ROLE_SYSTEM,
};
/* R14 recomputed: a referral whose child has an earlier referral dated
 * on or after the same day 12 months before (29 Feb looks back to 28
 * Feb), and previous_referral_id = the child's latest earlier referral. */
static const struct db_stmt st_rereferral_bad = {
	"test_demo_rereferral_bad",
	/* SQL both engines run: the year before as text (years have four
	 * digits), a truth as 0 or 1 */
	"SELECT count(*) FROM referral r WHERE r.rereferral !="
	" (CASE WHEN EXISTS (SELECT 1 FROM referral p WHERE p.council = r.council"
	"   AND p.child_id = r.child_id AND p.referral_id < r.referral_id"
	"   AND p.referral_date >= CAST(CAST(substr(r.referral_date, 1, 4)"
	"     AS INTEGER) - 1 AS TEXT) || CASE WHEN substr(r.referral_date, 6)"
	"     = '02-29' THEN '-02-28' ELSE substr(r.referral_date, 5) END)"
	"  THEN 1 ELSE 0 END)"
	" OR coalesce(r.previous_referral_id, 0) != coalesce((SELECT"
	"   max(p.referral_id) FROM referral p WHERE p.council = r.council"
	"   AND p.child_id = r.child_id AND p.referral_id < r.referral_id), 0)"
	" OR r.referral_date != substr((SELECT decided_at FROM contact t"
	"   WHERE t.council = r.council AND t.contact_id = r.contact_id), 1, 10)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_rereferral_count = {
	"test_demo_rereferral_count",
	"SELECT sum(rereferral), sum(CASE WHEN rereferral = 0 THEN 1 ELSE 0 END),"
	" sum(CASE WHEN worker_id IS NULL THEN 1 ELSE 0 END),"
	" sum(CASE WHEN worker_id IS NOT NULL THEN 1 ELSE 0 END) FROM referral",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_flip = {
	"test_demo_flip",
	"UPDATE referral SET rereferral = 1 - rereferral WHERE referral_id ="
	" (SELECT min(referral_id) FROM referral)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_network = {
	"test_demo_network",
	"SELECT"
	" (SELECT count(*) FROM network_member m JOIN child s"
	"   ON s.council = m.council AND s.child_id = m.linked_child_id"
	"   JOIN child c ON c.council = m.council AND c.child_id = m.child_id"
	"   WHERE s.family_name = c.family_name),"
	" (SELECT count(*) FROM network_member WHERE linked_child_id IS NOT NULL),"
	" (SELECT count(*) FROM network_member m JOIN organisation o"
	"   ON o.council = m.council AND o.org_id = m.org_id"
	"   WHERE m.kind = 'professional' AND o.kind = 'school'),"
	" (SELECT count(*) FROM network_member m JOIN organisation o"
	"   ON o.council = m.council AND o.org_id = m.org_id"
	"   WHERE m.kind = 'professional' AND o.kind = 'health'),"
	" (SELECT count(*) FROM network_member WHERE kind = 'parent'"
	"   AND parental_responsibility = 1)",
	DB_ROLE_SYSTEM,
};

/* Every table the generator writes, with its columns, in key order. */
static const struct {
	struct db_stmt st;
	int ncols;
} dump[] = {
	{{"test_demo_dump_council", "SELECT council, name, la_code FROM council"
	  " ORDER BY council", DB_ROLE_SYSTEM}, 3},
	{{"test_demo_dump_setting", "SELECT council, key, value FROM setting"
	  " ORDER BY council, key", DB_ROLE_SYSTEM}, 3},
	{{"test_demo_dump_org", "SELECT council, org_id, name, kind FROM"
	  " organisation ORDER BY council, org_id", DB_ROLE_SYSTEM}, 4},
	{{"test_demo_dump_team", "SELECT council, team_id, name FROM team"
	  " ORDER BY council, team_id", DB_ROLE_SYSTEM}, 3},
	{{"test_demo_dump_hol", "SELECT council, day, title FROM bank_holiday"
	  " ORDER BY council, day", DB_ROLE_SYSTEM}, 3},
	{{"test_demo_dump_child", "SELECT council, child_id, la_ref, given_name,"
	  " family_name, other_names, given_key, family_key, dob, expected_dob,"
	  " gender, ethnicity, nhs_number, upn, created_at, created_by,"
	  " updated_at, version FROM child ORDER BY council, child_id",
	  DB_ROLE_SYSTEM}, 18},
	{{"test_demo_dump_address", "SELECT council, child_id, address_id, line1,"
	  " line2, town, postcode, start_date, end_date FROM address"
	  " ORDER BY council, child_id, address_id", DB_ROLE_SYSTEM}, 9},
	{{"test_demo_dump_network", "SELECT council, child_id, member_id, kind,"
	  " relationship, name, phone, org_id, linked_child_id,"
	  " parental_responsibility, start_date, end_date FROM network_member"
	  " ORDER BY council, child_id, member_id", DB_ROLE_SYSTEM}, 12},
	{{"test_demo_dump_flag", "SELECT council, child_id, flag_id, kind, text,"
	  " review_date, created_at, created_by, ended_at FROM flag"
	  " ORDER BY council, child_id, flag_id", DB_ROLE_SYSTEM}, 9},
	{{"test_demo_dump_contact", "SELECT council, contact_id, child_id,"
	  " received_at, source, referrer_name, referrer_org, worry, due_at,"
	  " created_at, created_by, decision, decision_reason, decided_at,"
	  " decided_by, referral_id, referrer_phone, referrer_email,"
	  " family_consent, consent_reason, acknowledged_at, acknowledged_by,"
	  " outcome_shared_at, outcome_shared_by FROM contact"
	  " ORDER BY council, contact_id",
	  DB_ROLE_SYSTEM}, 24},
	{{"test_demo_dump_referral", "SELECT council, referral_id, child_id,"
	  " contact_id, referral_date, source, rereferral, previous_referral_id,"
	  " team_id, worker_id, allocated_at, allocated_by, created_at,"
	  " created_by FROM referral ORDER BY council, referral_id",
	  DB_ROLE_SYSTEM}, 14},
};

static char path_a[80], path_b[80], path_c[80];
static const int64_t workers[3] = {3, 4, 5};

static void rm_db(const char *p)
{
	testdb_remove(p);
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path_a, sizeof(path_a), "demotest-a");
	testdb_path(path_b, sizeof(path_b), "demotest-b");
	testdb_path(path_c, sizeof(path_c), "demotest-c");
	rm_db(path_a);
	rm_db(path_b);
	rm_db(path_c);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_db(path_a);
	rm_db(path_b);
	rm_db(path_c);
	return 0;
}

static struct demo_options options(uint64_t seed, int children)
{
	struct demo_options o;
	memset(&o, 0, sizeof(o));
	o.council = "nwd";
	o.council_name = "Northwold (fictional)";
	o.children = children;
	o.seed = seed;
	o.codes_dir = CODES_DIR;
	o.today = TODAY;
	o.worker_ids = workers;
	o.n_workers = 3;
	o.front_door_user_id = 1;
	o.manager_user_id = 2;
	return o;
}

/* A fresh migrated database with the council set up and five users:
 * 1 front door, 2 manager, 3 and 4 in the assessment teams, 5 in none. */
static struct db *fresh_db(const char *path)
{
	struct db *db = NULL;
	char err[256];
	struct db_options dopt = {.pool_size = 1, .busy_timeout_ms = 5000, .synchronous_full = false};
	rm_db(path);
	assert_int_equal(db_open(path, &dopt, &db, err, sizeof(err)), DB_OK);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(db, c);
	struct demo_options o = options(1, 1);
	assert_int_equal(demo_setup(db, &o, err, sizeof(err)), 0);
	/* idempotent */
	assert_int_equal(demo_setup(db, &o, err, sizeof(err)), 0);
	c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	static const struct {
		int64_t id;
		const char *name, *role;
		int64_t team;
	} users[] = {
		{1, "fd", "front-door", DEMO_TEAM_FRONT_DOOR},
		{2, "tm", "team-manager", DEMO_TEAM_ASSESS_1},
		{3, "sw1", "social-worker", DEMO_TEAM_ASSESS_1},
		{4, "sw2", "social-worker", DEMO_TEAM_ASSESS_2},
		{5, "sw3", "social-worker", 0},
	};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		int rc = users[i].team
				 ? db_exec(c, &st_user_ins, NULL, users[i].id,
					  users[i].name, users[i].name, users[i].role,
					  users[i].team)
				 : db_exec(c, &st_user_ins, NULL, users[i].id,
					  users[i].name, users[i].name, users[i].role, NULL);
		assert_int_equal(rc, DB_DONE);
	}
	db_release(db, c);
	return db;
}

struct progress {
	int calls, last_done, last_total;
	bool backwards;
};

static void on_progress(int done, int total, void *arg)
{
	struct progress *p = arg;
	if (done < p->last_done || done > total)
		p->backwards = true;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

static struct db *generated(const char *path, uint64_t seed)
{
	struct db *db = fresh_db(path);
	char err[256] = "";
	struct progress p = {0, 0, 0, false};
	struct demo_options o = options(seed, NCHILD);
	o.progress = on_progress;
	o.progress_arg = &p;
	int rc = demo_generate(db, &o, err, sizeof(err));
	if (rc != 0)
		fail_msg("demo_generate: %d %s", rc, err);
	/* progress moves forward and ends at done == total */
	assert_true(p.calls > 1);
	assert_false(p.backwards);
	assert_int_equal(p.last_done, NCHILD);
	assert_int_equal(p.last_total, NCHILD);
	return db;
}

/* ---- independent checks ------------------------------------------------ */

static bool nhs_ok(const char *s)
{
	if (s == NULL || strlen(s) != 10)
		return false;
	int sum = 0;
	for (int i = 0; i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		sum += (s[i] - '0') * (10 - i);
	}
	int check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && s[9] == '0' + check;
}

static bool upn_ok(const char *s)
{
	static const char alpha[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	if (s == NULL || strlen(s) != 13)
		return false;
	int sum = 0;
	for (int i = 1; i < 13; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		sum += (s[i] - '0') * (i + 1);
	}
	return s[0] == alpha[sum % 23];
}

static uint64_t digest(struct db *db)
{
	uint64_t h = 0xcbf29ce484222325ull;
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	for (size_t t = 0; t < sizeof(dump) / sizeof(dump[0]); t++) {
		struct db_q *q;
		assert_int_equal(db_prepare(c, &dump[t].st, &q), DB_OK);
		int rc;
		while ((rc = db_step(q)) == DB_ROW) {
			for (int i = 0; i < dump[t].ncols; i++) {
				const char *v = db_col_null(q, i) ? "\x01NULL"
								  : db_col_text(q, i);
				for (const char *p = v; *p; p++) {
					h ^= (unsigned char)*p;
					h *= 0x100000001b3ull;
				}
				h ^= 0xff;
				h *= 0x100000001b3ull;
			}
		}
		assert_int_equal(rc, DB_DONE);
	}
	db_release(db, c);
	return h;
}

/* ---- tests ------------------------------------------------------------- */

static void identifier_checkers(void **state)
{
	(void)state;
	/* the test's own checkers accept good and refuse bad numbers */
	assert_true(nhs_ok("9434765919"));
	assert_false(nhs_ok("9434765918"));
	assert_true(upn_ok("B801200005001"));
	assert_false(upn_ok("C801200005001"));
}

static const struct db_stmt st_flag_kinds = {
	"test_demo_flag_kinds",
	"SELECT kind, count(*) FROM flag GROUP BY kind ORDER BY kind",
	DB_ROLE_SYSTEM,
};

/* Every warning the demo writes has a kind from the program's one list
 * (child_flag_kinds), so every page can show its label; the demo once
 * wrote "risk_to_staff", "interpreter" and "dog", which pages showed as
 * codes. */
static void flag_kinds(void **state)
{
	(void)state;
	struct db *db = generated(path_a, 42);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;
	int kinds = 0, flags = 0, rc;
	assert_int_equal(db_prepare(c, &st_flag_kinds, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		enum child_flag_kind k;
		const char *kind = db_col_text(q, 0);
		if (!child_flag_kind_parse(kind, &k))
			fail_msg("demo flag kind \"%s\" is not in the program's "
				 "list", kind);
		assert_non_null(child_flag_kind_label(k));
		kinds++;
		flags += (int)db_col_i64(q, 1);
	}
	assert_int_equal(rc, DB_DONE);
	assert_true(flags > 0);
	assert_true(kinds >= 2);
	db_release(db, c);
	db_close(db);
}

static void counts_and_identifiers(void **state)
{
	(void)state;
	struct db *db = generated(path_a, 42);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;

	assert_int_equal(db_exec0(c, &st_count, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), NCHILD);
	int64_t ncontact = db_col_i64(q, 1);
	assert_true(ncontact >= NCHILD && ncontact <= 4 * NCHILD);
	assert_true(db_col_i64(q, 2) > 0);
	assert_int_equal(db_col_i64(q, 3), DEMO_ORG__MAX - 1);
	assert_int_equal(db_col_i64(q, 4), DEMO_TEAM__MAX - 1);
	assert_true(db_col_i64(q, 5) >= NCHILD);
	assert_true(db_col_i64(q, 6) >= 80);
	assert_int_equal(db_col_i64(q, 7), 1);
	assert_true(db_col_i64(q, 8) > 0 && db_col_i64(q, 8) < NCHILD / 5);
	assert_int_equal(db_col_i64(q, 9), 1);

	assert_int_equal(db_exec0(c, &st_per_child, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	assert_true(db_col_i64(q, 1) <= 4);

	/* identifiers unique and well formed */
	assert_int_equal(db_exec0(c, &st_ids_unique, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), db_col_i64(q, 1));
	assert_int_equal(db_col_i64(q, 2), db_col_i64(q, 3));
	assert_int_equal(db_col_i64(q, 4), db_col_i64(q, 5));
	assert_int_equal(db_col_i64(q, 6), NCHILD);
	int64_t with_nhs = db_col_i64(q, 2);
	assert_true(with_nhs >= NCHILD * 80 / 100 && with_nhs <= NCHILD * 97 / 100);
	assert_true(db_col_i64(q, 4) >= NCHILD / 2); /* UPNs */
	/* and the seven after NWD are digits */
	assert_int_equal(db_prepare(c, &st_la_ref, &q), DB_OK);
	int nref = 0;
	while (db_step(q) == DB_ROW) {
		const char *ref = db_col_text(q, 0);
		assert_int_equal(strspn(ref + 3, "0123456789"), 7);
		nref++;
	}
	assert_int_equal(nref, NCHILD);

	int n = 0, rc;
	assert_int_equal(db_prepare(c, &st_nhs, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *s = db_col_text(q, 0);
		assert_true(nhs_ok(s));
		assert_memory_equal(s, "999", 3); /* the NHS test range */
		n++;
	}
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, with_nhs);

	assert_int_equal(db_prepare(c, &st_upn, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *s = db_col_text(q, 0);
		assert_true(upn_ok(s));
		assert_memory_equal(s + 1, DEMO_LA_CODE, 3);
	}
	assert_int_equal(rc, DB_DONE);

	assert_int_equal(db_prepare(c, &st_postcode, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *s = db_col_text(q, 0);
		char norm[9];
		assert_true(ident_postcode_check(s, strlen(s), norm));
		assert_string_equal(norm, s);
		assert_memory_equal(s, "NQ", 2);
	}
	assert_int_equal(rc, DB_DONE);

	/* network: linked siblings share the family name; professionals
	 * carry school and health org ids; parents hold PR */
	assert_int_equal(db_exec0(c, &st_network, &q), DB_ROW);
	assert_true(db_col_i64(q, 1) > 0);
	assert_int_equal(db_col_i64(q, 0), db_col_i64(q, 1));
	assert_true(db_col_i64(q, 2) > NCHILD / 3);
	assert_true(db_col_i64(q, 3) >= NCHILD);
	assert_true(db_col_i64(q, 4) >= NCHILD);

	db_release(db, c);
	db_close(db);
}

static void name_keys(void **state)
{
	(void)state;
	struct db *db = generated(path_a, 7);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;
	int rc, n = 0, differ = 0;
	assert_int_equal(db_prepare(c, &st_names, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *given = db_col_text(q, 0), *family = db_col_text(q, 1);
		char fold[NAMEMATCH_NAME_MAX], key[NAMEMATCH_KEY_MAX];
		size_t fl = namematch_fold(given, strlen(given), fold, sizeof(fold));
		namematch_key(fold, fl, key, sizeof(key));
		assert_string_equal(key, db_col_text(q, 2));
		fl = namematch_fold(family, strlen(family), fold, sizeof(fold));
		namematch_key(fold, fl, key, sizeof(key));
		assert_string_equal(key, db_col_text(q, 3));
		/* negative: the key of the given name is not the stored
		 * family key, for names that sound different */
		if (strcmp(db_col_text(q, 2), db_col_text(q, 3)) != 0)
			differ++;
		n++;
	}
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, NCHILD);
	assert_true(differ > NCHILD * 9 / 10);
	db_release(db, c);
	db_close(db);
}

static void timing_and_rereferrals(void **state)
{
	(void)state;
	struct db *db = generated(path_a, 99);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct db_q *q;

	/* R01 recomputed with the shared holiday list */
	static char buf[65536];
	FILE *f = fopen(CODES_DIR "/bank_holidays_england_wales_2018_2027.csv", "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(buf));
	struct holidays_list hol;
	char err[160];
	assert_int_equal(holidays_parse_csv(buf, n, &hol, err, sizeof(err)), 0);
	struct cal *cal = cal_new(CAL_DAY0);
	assert_int_equal(holidays_add_to_cal(&hol, cal), 0);
	holidays_list_free(&hol);
	int rc, checked = 0;
	assert_int_equal(db_prepare(c, &st_due, &q), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *recv = db_col_text(q, 0), *due = db_col_text(q, 1);
		struct cal_time t;
		assert_true(cal_time_parse(recv, strlen(recv), &t));
		char want[17];
		cal_time_format(cal_due_working_days(cal, t, 1), want);
		assert_string_equal(due, want);
		assert_true(strcmp(recv, TODAY) < 0);
		checked++;
	}
	assert_int_equal(rc, DB_DONE);
	assert_true(checked >= NCHILD);
	cal_free(cal);

	/* some late, some undecided, and the undecided are the newest */
	assert_int_equal(db_exec0(c, &st_timing, &q), DB_ROW);
	int64_t late = db_col_i64(q, 0), undecided = db_col_i64(q, 1);
	int64_t total = db_col_i64(q, 7);
	assert_true(late > 0 && late < total / 4);
	assert_true(undecided > 0 && undecided <= total / 20 + 1);
	assert_true(strcmp(db_col_text(q, 2), db_col_text(q, 3)) <= 0);
	int64_t to_referral = db_col_i64(q, 4);
	assert_true(to_referral * 100 >= total * 28 && to_referral * 100 <= total * 52);
	assert_int_equal(db_col_i64(q, 5), 0); /* decided after receipt */
	int64_t police = db_col_i64(q, 6);
	assert_true(police * 100 >= total * 18 && police * 100 <= total * 40);
	assert_int_equal(db_col_i64(q, 8), 0); /* each has its referral */

	/* R14 */
	assert_int_equal(db_exec0(c, &st_rereferral_bad, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 0);
	assert_int_equal(db_exec0(c, &st_rereferral_count, &q), DB_ROW);
	assert_true(db_col_i64(q, 0) > 0); /* some re-referrals */
	assert_true(db_col_i64(q, 1) > 0); /* and some first referrals */
	assert_true(db_col_i64(q, 3) > db_col_i64(q, 2)); /* most allocated */
	/* negative: a wrong flag is caught by the recomputation */
	assert_int_equal(db_exec0(c, &st_flip, NULL), DB_DONE);
	assert_int_equal(db_exec0(c, &st_rereferral_bad, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);

	db_release(db, c);
	db_close(db);
}

static void reproducible(void **state)
{
	(void)state;
	struct db *a = generated(path_a, 12345);
	struct db *b = generated(path_b, 12345);
	struct db *c = generated(path_c, 12346);
	uint64_t da = digest(a), db_ = digest(b), dc = digest(c);
	assert_true(da == db_);
	assert_true(da != dc);
	db_close(a);
	db_close(b);
	db_close(c);
}

static void refusals(void **state)
{
	(void)state;
	struct db *db = generated(path_a, 5);
	char err[256];
	struct demo_options o = options(5, 10);

	/* a council that already has children */
	err[0] = '\0';
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EEXISTS);
	assert_non_null(strstr(err, "nwd already has data"));
	db_close(db);

	db = fresh_db(path_b);
	o = options(5, 0);
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EINVAL);
	o = options(5, 10);
	o.today = "2025-02-30";
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EINVAL);
	o = options(5, 10);
	o.council = "NWD";
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EINVAL);
	o = options(5, 10);
	o.codes_dir = "/nonexistent";
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EIO);
	static const int64_t ghost[1] = {77};
	o = options(5, 10);
	o.worker_ids = ghost;
	o.n_workers = 1;
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), DEMO_EINVAL);
	assert_non_null(strstr(err, "77"));
	/* nothing was written by the refusals; a good call still works */
	o = options(5, 10);
	assert_int_equal(demo_generate(db, &o, err, sizeof(err)), 0);
	db_close(db);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(demo_org_name(DEMO_ORG_PRIMARY_NORTHWOLD),
			    "Northwold Primary School");
	assert_string_equal(demo_org_name(DEMO_ORG_POLICE),
			    "Northwold Police Public Protection Unit");
	assert_null(demo_org_name(DEMO_ORG__MAX));
	assert_null(demo_org_name((enum demo_org)0));
	assert_string_equal(demo_team_name(DEMO_TEAM_FRONT_DOOR), "Front Door (MASH)");
	assert_null(demo_team_name(DEMO_TEAM__MAX));
	assert_string_equal(demo_strerror(DEMO_EEXISTS), "council already has data");
	assert_string_equal(demo_strerror(-99), "unknown demo error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identifier_checkers),
		cmocka_unit_test(names),
		cmocka_unit_test(counts_and_identifiers),
		cmocka_unit_test(flag_kinds),
		cmocka_unit_test(name_keys),
		cmocka_unit_test(timing_and_rereferrals),
		cmocka_unit_test(reproducible),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
