/* catalogue_test.c: the statement catalogue (db.h DB_STMT).
 *
 * Linked with the whole of libcairn (link_whole in meson.build), so the
 * catalogue here is the one the `cairn` binary has: every module's
 * statements.  Checks the section's layout, that names are unique, that
 * each statement's index is its place, that every statement prepares
 * against a freshly migrated database, what the authorizer reports, and
 * the bounded cache for statements outside the catalogue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/testdb.h"

static char path[128];
static struct db *db;
static struct db_conn *c;

static int setup(void **state)
{
	(void)state;
	char err[256];
	testdb_path(path, sizeof(path), "catalogue");
	testdb_remove(path);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	if (db_open(path, &o, &db, err, sizeof(err)) != DB_OK)
		return -1;
	c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	return db_migrate(c, &from, &to) == DB_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_release(db, c);
	db_close(db);
	testdb_remove(path);
	return 0;
}

static const struct db_stmt *find(const char *name)
{
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(cat[i].name, name) == 0)
			return &cat[i];
	return NULL;
}

/* The layout is an array with no gaps, names unique, and the whole
 * program is in it: one statement of each module that has any. */
static void layout_and_names(void **state)
{
	(void)state;
	char err[256] = "";
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	assert_non_null(cat);
	assert_true(n >= 150);
	if (db_catalogue_check(err, sizeof(err)) != 0)
		fail_msg("%s", err);
	static const char *const one_each[] = {
		"schema_version_get", "audit_insert", "user_auth", "session_get",
		"child_get", "contact_ins", "referral_ins",
		"scrutiny_review_insert", "demo_child_ins", "cli_council_add",
		"app_councils", "health_ping", "dash_contacts", "db_next_id",
	};
	for (size_t i = 0; i < sizeof(one_each) / sizeof(one_each[0]); i++)
		if (find(one_each[i]) == NULL)
			fail_msg("statement %s is not in the catalogue",
				 one_each[i]);
}

/* The checks can fail: a duplicate name, and a gap of zeros. */
static void check_refuses(void **state)
{
	(void)state;
	char err[256];
	const struct db_stmt dup[3] = {
		{"a", "SELECT 1", 1}, {"b", "SELECT 1", 1}, {"a", "SELECT 2", 1},
	};
	assert_int_equal(db_stmts_check(dup, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'a'"));
	const struct db_stmt gap[3] = {
		{"a", "SELECT 1", 1}, {NULL, NULL, 0}, {"b", "SELECT 1", 1},
	};
	assert_int_equal(db_stmts_check(gap, 3, err, sizeof(err)), -1);
	assert_int_equal(db_stmts_check(dup, 2, err, sizeof(err)), 0);
}

static const struct db_stmt st_plain = {
	"test_plain", "SELECT count(*) FROM council", DB_ROLE_SYSTEM,
};

static void index_from_address(void **state)
{
	(void)state;
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(db_stmt_index(&cat[i]), (long)i);
	assert_int_equal(db_stmt_index(&st_plain), -1);
	/* an address inside an entry is not an entry */
	assert_int_equal(db_stmt_index((const struct db_stmt *)
				       ((const char *)&cat[1] + 8)), -1);
	assert_int_equal(db_stmt_index(cat + n), -1);
}

/* Every statement of the program prepares against the newest schema;
 * the failure names each one that does not. */
static int ignore(const char *table, enum db_access op, void *arg)
{
	(void)table;
	(void)op;
	(void)arg;
	return 0;
}

static void every_statement_prepares(void **state)
{
	(void)state;
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	char bad[4096] = "";
	size_t len = 0;
	int nbad = 0;
	for (size_t i = 0; i < n; i++)
		if (db_stmt_access(c, &cat[i], ignore, NULL) != 0) {
			nbad++;
			len += (size_t)snprintf(bad + len, sizeof(bad) - len,
						"\n  %s: %s", cat[i].name,
						db_errmsg(c));
			if (len >= sizeof(bad))
				len = sizeof(bad) - 1;
		}
	if (nbad)
		fail_msg("%d statements do not prepare:%s", nbad, bad);
	/* and the check can fail */
	static const struct db_stmt st_missing = {
		"test_missing", "SELECT nope FROM no_such_table", DB_ROLE_SYSTEM,
	};
	assert_int_equal(db_stmt_access(c, &st_missing, ignore, NULL), DB_EIO);
	assert_non_null(strstr(db_errmsg(c), "no_such_table"));
}

/* What the authorizer reports, as "table:op table:op". */
struct seen {
	char text[256];
};

static int note(const char *table, enum db_access op, void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);
	snprintf(s->text + len, sizeof(s->text) - len, "%s%s:%s",
		 len ? " " : "", table, db_access_name(op));
	return 0;
}

static void access_of(const char *sql, const char *want)
{
	struct db_stmt st = {"test_access", sql, DB_ROLE_SYSTEM};
	struct seen s = {""};
	assert_int_equal(db_stmt_access(c, &st, note, &s), 0);
	assert_string_equal(s.text, want);
}

static int stop_at_first(const char *table, enum db_access op, void *arg)
{
	(void)table;
	(void)op;
	++*(int *)arg;
	return 7;
}

static void access_from_the_authorizer(void **state)
{
	(void)state;
	if (strcmp(db_engine(db), "sqlite") != 0) {
		/* tables and operations are SQLite's authorizer's (D23) */
		print_message("the authorizer is SQLite's: skipped on %s\n",
			      db_engine(db));
		skip();
	}
	access_of("SELECT count(*) FROM child", "child:read");
	access_of("SELECT name FROM council WHERE council = ?1", "council:read");
	access_of("UPDATE team SET name = ?3 WHERE council = ?1 AND team_id = ?2",
		  "team:update team:read");
	access_of("DELETE FROM audit_seen WHERE council = ?1",
		  "audit_seen:delete audit_seen:read");
	/* a foreign key's parent is read too: the engine says so */
	access_of("DELETE FROM setting WHERE council = ?1", "setting:delete"
		  " setting:read council:read");
	access_of("INSERT INTO bank_holiday (council, day, title)"
		  " VALUES (?1, ?2, ?3)", "bank_holiday:insert");
	/* a join names both tables; a sub-select too */
	access_of("SELECT u.username FROM session s JOIN app_user u"
		  " ON u.council = s.council AND u.user_id = s.user_id",
		  "app_user:read session:read");
	/* the callback's non-zero return stops and is returned */
	struct db_stmt st = {"t", "SELECT 1 FROM child, council", DB_ROLE_SYSTEM};
	int calls = 0;
	assert_int_equal(db_stmt_access(c, &st, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
}

/* Statements outside the catalogue share a bounded cache: 64 fit, the
 * 65th is refused (DB_EIO, logged db.cache_full); the catalogue's own
 * statements are unaffected. */
#define EXTRA 65
static struct db_stmt extra[EXTRA];
static char extra_names[EXTRA][16];

/* Tables kept append-only (a correction is a row of its own, the
 * original is never changed): no statement in the catalogue updates or
 * deletes their rows.  case_note: practice/practice.h. */
static void append_only_tables(void **state)
{
	(void)state;
	static const char *const tables[] = {"case_note"};
	size_t n;
	const struct db_stmt *v = db_catalogue(&n);
	int inserts = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		char upd[64], del[64], ins[64];
		snprintf(upd, sizeof(upd), "UPDATE %s ", tables[t]);
		snprintf(del, sizeof(del), "DELETE FROM %s", tables[t]);
		snprintf(ins, sizeof(ins), "INSERT INTO %s ", tables[t]);
		for (size_t i = 0; i < n; i++) {
			if (strstr(v[i].sql, upd) || strstr(v[i].sql, del))
				fail_msg("%s changes %s, which is append-only",
					 v[i].name, tables[t]);
			inserts += strstr(v[i].sql, ins) != NULL;
		}
	}
	/* the check is looking at the right statements */
	assert_true(inserts >= 1);
}

static void fallback_cache_is_bounded(void **state)
{
	(void)state;
	struct db_q *q;
	for (int i = 0; i < EXTRA; i++) {
		snprintf(extra_names[i], sizeof(extra_names[i]), "extra_%d", i);
		extra[i] = (struct db_stmt){extra_names[i],
					    "SELECT count(*) FROM council",
					    DB_ROLE_SYSTEM};
	}
	for (int i = 0; i < EXTRA - 1; i++)
		assert_int_equal(db_exec0(c, &extra[i], NULL), DB_ROW);
	/* again: each is found in its slot */
	for (int i = 0; i < EXTRA - 1; i++)
		assert_int_equal(db_exec0(c, &extra[i], NULL), DB_ROW);
	assert_int_equal(db_exec0(c, &extra[EXTRA - 1], NULL), DB_EIO);
	/* every catalogue statement still has its own slot */
	const struct db_stmt *v = find("schema_version_get");
	assert_non_null(v);
	assert_int_equal(db_exec0(c, v, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), db_schema_latest());
	db_done(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_and_names),
		cmocka_unit_test(check_refuses),
		cmocka_unit_test(index_from_address),
		cmocka_unit_test(every_statement_prepares),
		cmocka_unit_test(access_from_the_authorizer),
		cmocka_unit_test(append_only_tables),
		cmocka_unit_test(fallback_cache_is_bounded),
	};
	return cmocka_run_group_tests_name("catalogue", tests, setup, teardown);
}
