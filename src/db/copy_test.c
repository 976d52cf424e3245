/* copy_test.c: db/copy.h: a whole database SQLite → SQLite and SQLite →
 * PostgreSQL → SQLite, value for value (BLOBs, NULLs, empty text and
 * empty blobs, text with a NUL inside), the refusals (a target holding
 * rows, a verify that fails, schemas that differ, a role that is not the
 * system's), and the SQLite backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "db/copy.h"
#include "db/db_int.h"
#include "db/testdb.h"

static char pa[64], pb[64], pc[64], pe[64];

static int setup(void **state)
{
	(void)state;
	testdb_path(pa, sizeof(pa), "copy-a");
	testdb_path(pb, sizeof(pb), "copy-b");
	testdb_path(pc, sizeof(pc), "copy-c");
	testdb_path(pe, sizeof(pe), "copy-e");
	testdb_remove(pa);
	testdb_remove(pb);
	testdb_remove(pc);
	testdb_remove(pe);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_remove(pa);
	testdb_remove(pb);
	testdb_remove(pc);
	testdb_remove(pe);
	return 0;
}

static struct db *open_db(const char *path)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000,
			       .synchronous_full = false};
	if (db_open(path, &o, &db, err, sizeof(err)) != DB_OK)
		fail_msg("open %s: %s", path, err);
	return db;
}

static struct db_conn *sys(struct db *db)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	return c;
}

static void migrate(const char *path)
{
	struct db *db = open_db(path);
	struct db_conn *c = sys(db);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(db, c);
	db_close(db);
}

/* A source at the newest schema: two councils with audit chains, a
 * draft table with blobs (empty, with zero bytes, 3000 bytes), NULL
 * next to empty text, 250 bank holidays (several read batches and
 * multi-row INSERTs), and, when nul_text, a text value with a NUL
 * inside (SQLite only: PostgreSQL's text cannot hold one). */
static void fill(const char *path)
{
	migrate(path);
	testdb_exec(path, "INSERT INTO council (council, name, la_code) VALUES"
		    " ('c1', 'Council One', NULL), ('c2', 'Council Two', '')");
	struct db *db = open_db(path);
	struct db_conn *c = sys(db);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(c, "c1"), DB_OK);
	assert_int_equal(audit_genesis(c, "c2"), DB_OK);
	for (int i = 1; i <= 5; i++) {
		struct audit_event ev = {
			.council = i % 2 ? "c1" : "c2", .username = "system",
			.role = "system", .action = "update", .entity = "child",
			.entity_id = i, .child_id = i, .request_id = "-",
			.ip = "-", .status = i == 3 ? 0 : 200,
		};
		assert_int_equal(audit_append(c, &ev), DB_OK);
	}
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
	db_close(db);
	testdb_exec(path,
		    "INSERT INTO draft (council, draft_id, user_id, kind, path,"
		    " form_path, form_query, created_at, expires_at, nonce,"
		    " ciphertext) VALUES"
		    " ('c1', 1, 7, 'kept', '/a', '/a', '', 1700000000,"
		    "  1700086400, X'', X'00'),"
		    " ('c1', 2, 7, 'saved', '/b', '/b', 'q=1', 1700000001,"
		    "  4102444800, X'000102FF00', X'FF00FF00'),"
		    " ('c2', 1, 9, 'kept', '/c', '/c', '', -1, 9007199254740993,"
		    "  X'00000000000000000000000000000000000000000000FFFF',"
		    "  X'')");
}

/* A draft with a long blob, children, holidays (fill's tail). */
static void fill_rest(const char *path, bool nul_text)
{
	char *sql = xmalloc(8000);
	int n = snprintf(sql, 8000,
			 "INSERT INTO draft (council, draft_id, user_id, kind,"
			 " path, form_path, form_query, created_at, expires_at,"
			 " nonce, ciphertext) VALUES ('c2', 2, 9, 'saved', '/d',"
			 " '/d', '', 0, 0, X'AB', X'");
	for (int i = 0; i < 3000; i++)
		n += snprintf(sql + n, 8000 - (size_t)n, "%02X", (i * 7) & 0xff);
	snprintf(sql + n, 8000 - (size_t)n, "')");
	testdb_exec(path, sql);
	free(sql);
	testdb_exec(path,
		    "INSERT INTO child (council, child_id, la_ref, given_name,"
		    " family_name, other_names, given_key, family_key, dob,"
		    " created_at, created_by, updated_at) VALUES"
		    " ('c1', 1, 'R1', 'Test', 'Child', '', 'T', 'C', NULL,"
		    "  '2026-01-01T00:00:00Z', 1, '2026-01-01T00:00:00Z'),"
		    " ('c1', 2, 'R2', 'Zoë', 'Ünïcode', NULL, 'Z', 'U',"
		    "  '2020-02-29', '2026-01-01T00:00:00Z', 1,"
		    "  '2026-01-01T00:00:00Z')");
	testdb_exec(path,
		    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
		    " FROM n WHERE i < 250) INSERT INTO bank_holiday (council,"
		    " day, title) SELECT 'c1', printf('2020-%04d', i),"
		    " 'holiday ' || i FROM n");
	if (nul_text)
		testdb_exec(path, "INSERT INTO setting (council, key, value)"
			    " VALUES ('c2', 'k', CAST(X'610062' AS TEXT))");
}

static void fill_all(const char *path, bool nul_text)
{
	fill(path);
	fill_rest(path, nul_text);
}

/* ---- a dump of every table, value for value ------------------------- */

struct dump {
	char *p;
	size_t n, cap;
	int64_t rows;
};

static void dump_add(struct dump *d, const void *p, size_t n)
{
	if (d->n + n > d->cap) {
		d->cap = (d->n + n) * 2 + 64;
		d->p = xrealloc(d->p, d->cap);
	}
	if (n > 0) /* an empty blob's pointer may be NULL */
		memcpy(d->p + d->n, p, n);
	d->n += n;
}

struct cols {
	char table[64][64];
	char sql[64][2048];
	int n;
	int ncol[64];
};

static int dump_cb(const struct db_schema_item *it, void *arg)
{
	struct cols *s = arg;
	if (it->column == NULL || strcmp(it->table, "schema_version") == 0)
		return 0;
	if (s->n == 0 || strcmp(s->table[s->n - 1], it->table) != 0) {
		assert_true(s->n < 64);
		snprintf(s->table[s->n], 64, "%s", it->table);
		s->sql[s->n][0] = '\0';
		s->ncol[s->n] = 0;
		s->n++;
	}
	int i = s->n - 1;
	size_t l = strlen(s->sql[i]);
	snprintf(s->sql[i] + l, 2048 - l, "%s\"%s\"", s->ncol[i] ? ", " : "",
		 it->column);
	s->ncol[i]++;
	return 0;
}

/* Every row of every table of path, in primary-key order (all columns,
 * which starts with the key in Cairn's tables), each value as its class
 * and its bytes: two databases with equal dumps hold the same values of
 * the same classes. */
static void dump_db(const char *path, struct dump *d)
{
	*d = (struct dump){.p = NULL};
	struct db *db = open_db(path);
	struct db_conn *c = sys(db);
	struct cols *s = xcalloc(1, sizeof(*s));
	assert_int_equal(c->be->describe(c, dump_cb, s), 0);
	assert_true(s->n > 20);
	struct db_stmt *st = xcalloc((size_t)s->n, sizeof(*st));
	char **sql = xcalloc((size_t)s->n, sizeof(char *));
	for (int i = 0; i < s->n; i++) {
		sql[i] = xmalloc(4300);
		snprintf(sql[i], 4300, "SELECT %s FROM \"%s\" ORDER BY %s",
			 s->sql[i], s->table[i], s->sql[i]);
		st[i] = (struct db_stmt){.name = s->table[i], .sql = sql[i],
					 .roles = DB_ROLE_SYSTEM};
		dump_add(d, s->table[i], strlen(s->table[i]) + 1);
		struct db_q *q;
		int rc = db_exec0(c, &st[i], &q);
		while (rc == DB_ROW) {
			d->rows++;
			for (int k = 0; k < s->ncol[i]; k++) {
				enum db_type t = c->be->col_type(q, k);
				assert_true(t != DB_TYPE_OTHER);
				char tag = (char)('0' + t);
				dump_add(d, &tag, 1);
				if (t == DB_TYPE_INT) {
					int64_t v = db_col_i64(q, k);
					dump_add(d, &v, sizeof(v));
				} else if (t != DB_TYPE_NULL) {
					size_t n = 0;
					const void *p = db_col_blob(q, k, &n);
					dump_add(d, &n, sizeof(n));
					dump_add(d, p, n);
				}
			}
			rc = db_step(q);
		}
		assert_int_equal(rc, DB_DONE);
	}
	db_release(db, c);
	db_close(db);
	for (int i = 0; i < s->n; i++)
		free(sql[i]);
	free(sql);
	free(st);
	free(s);
}

static void assert_same(const char *a, const char *b)
{
	struct dump da, dbb;
	dump_db(a, &da);
	dump_db(b, &dbb);
	assert_true(da.rows > 250);
	assert_int_equal(da.rows, dbb.rows);
	assert_int_equal(da.n, dbb.n);
	assert_memory_equal(da.p, dbb.p, da.n);
	free(da.p);
	free(dbb.p);
}

/* ---- copying ----------------------------------------------------------- */

static int chains_ok(struct db_conn *to, char *why, size_t whylen, void *arg)
{
	struct audit_verify_result *res = arg;
	if (audit_verify(to, res) != 0 || !res->ok) {
		snprintf(why, whylen, "chain");
		return -1;
	}
	return 0;
}

static int refuse(struct db_conn *to, char *why, size_t whylen, void *arg)
{
	(void)to;
	(void)arg;
	snprintf(why, whylen, "refused by the test");
	return -1;
}

/* Copies from → to (to migrated first), with a small batch; returns the
 * copy_err and leaves the report's table count in *ntables. */
static int copy(const char *from, const char *to,
		int (*verify)(struct db_conn *, char *, size_t, void *),
		void *arg, struct copy_report *rep)
{
	struct db *fa = open_db(from), *tb = open_db(to);
	struct db_conn *f = sys(fa), *t = sys(tb);
	struct copy_options opt = {.batch = 7, .verify = verify, .arg = arg};
	int rc = copy_run(f, t, &opt, rep);
	assert_false(db_in_tx(f));
	assert_false(db_in_tx(t));
	db_release(fa, f);
	db_release(tb, t);
	db_close(fa);
	db_close(tb);
	return rc;
}

static int64_t rows_of(const struct copy_report *rep, const char *table)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->t[i].name, table) == 0) {
			assert_int_equal(rep->t[i].rows, rep->t[i].copied);
			return rep->t[i].copied;
		}
	fail_msg("no table %s in the report", table);
	return -1;
}

static void sqlite_to_sqlite(void **state)
{
	(void)state;
	if (db_is_uri(pa))
		skip(); /* CAIRN_TEST_DB=postgres: pg_roundtrip covers it */
	fill_all(pa, true);
	migrate(pb);
	struct copy_report rep;
	struct audit_verify_result res = {.ok = false};
	assert_int_equal(copy(pa, pb, chains_ok, &res, &rep), COPY_OK);
	assert_true(res.ok);
	assert_int_equal(res.councils, 2);
	assert_int_equal(rows_of(&rep, "bank_holiday"), 250);
	assert_int_equal(rows_of(&rep, "draft"), 4);
	assert_int_equal(rows_of(&rep, "council"), 2);
	/* parents first: council before child */
	size_t ic = 0, ich = 0;
	for (size_t i = 0; i < rep.n; i++) {
		if (strcmp(rep.t[i].name, "council") == 0)
			ic = i;
		if (strcmp(rep.t[i].name, "child") == 0)
			ich = i;
	}
	assert_true(ic < ich);
	copy_report_free(&rep);
	assert_same(pa, pb);
	/* the NUL inside text came across whole */
	assert_int_equal(testdb_count(pb, "SELECT length(CAST(value AS BLOB))"
				      " FROM setting WHERE key = 'k'"), 3);
	assert_int_equal(testdb_count(pb, "SELECT count(*) FROM child WHERE"
				      " other_names IS NULL"), 1);
	assert_int_equal(testdb_count(pb, "SELECT count(*) FROM draft WHERE"
				      " typeof(nonce) = 'blob'"), 4);

	/* a second copy into the same target is refused, changing nothing */
	assert_int_equal(copy(pa, pb, NULL, NULL, &rep), COPY_ENOTEMPTY);
	assert_non_null(strstr(rep.why, "not empty"));
	copy_report_free(&rep);
	assert_same(pa, pb);
	struct db *db = open_db(pb);
	struct db_conn *c = sys(db);
	char why[256];
	assert_int_equal(copy_target_empty(c, why, sizeof(why)), COPY_ENOTEMPTY);
	db_release(db, c);
	db_close(db);
}

static void refusals(void **state)
{
	(void)state;
	if (db_is_uri(pa))
		skip();
	fill_all(pa, true);
	migrate(pc);
	struct copy_report rep;
	/* a verify that fails rolls the whole copy back */
	assert_int_equal(copy(pa, pc, refuse, NULL, &rep), COPY_EVERIFY);
	assert_string_equal(rep.why, "refused by the test");
	copy_report_free(&rep);
	struct db *db = open_db(pc);
	struct db_conn *c = sys(db);
	char why[256];
	assert_int_equal(copy_target_empty(c, why, sizeof(why)), COPY_OK);
	/* a connection not acting for the system may not copy */
	db_set_role(c, 1u);
	assert_int_equal(copy_target_empty(c, why, sizeof(why)), COPY_EDENIED);
	db_release(db, c);
	db_close(db);

	/* schemas that differ: a table the source lacks */
	testdb_exec(pc, "CREATE TABLE extra (council TEXT NOT NULL,"
		    " PRIMARY KEY (council))");
	assert_int_equal(copy(pa, pc, NULL, NULL, &rep), COPY_ESCHEMA);
	assert_non_null(strstr(rep.why, "extra"));
	copy_report_free(&rep);
	assert_int_equal(testdb_count(pc, "SELECT count(*) FROM council"), 0);

	/* a value of a class the copy does not carry (SQLite's REAL) */
	testdb_remove(pc);
	migrate(pc);
	testdb_exec(pa, "UPDATE draft SET user_id = 1.5 WHERE draft_id = 1"
		    " AND council = 'c1'");
	assert_int_equal(copy(pa, pc, NULL, NULL, &rep), COPY_ETYPE);
	assert_non_null(strstr(rep.why, "draft.user_id"));
	copy_report_free(&rep);
	assert_int_equal(testdb_count(pc, "SELECT count(*) FROM council"), 0);
}

static void pg_roundtrip(void **state)
{
	(void)state;
	char uri[256];
	/* under CAIRN_TEST_DB=postgres the process has its cluster (one a
	 * process), and pa is an empty database in it */
	bool own = !db_is_uri(pa);
	if (own) {
		int rc = testdb_pg_start(uri, sizeof(uri));
		if (rc == 77) {
			print_message("PostgreSQL is not installed: skipped\n");
			skip();
		}
		assert_int_equal(rc, 0);
	} else {
		snprintf(uri, sizeof(uri), "%s", pa);
	}
	/* the source is a SQLite file even under CAIRN_TEST_DB=postgres */
	char a[64], d[64];
	snprintf(a, sizeof(a), "/tmp/cairn-copy-pa-%d.db", (int)getpid());
	snprintf(d, sizeof(d), "/tmp/cairn-copy-pd-%d.db", (int)getpid());
	unlink(a);
	unlink(d);
	fill_all(a, false);
	migrate(uri);
	migrate(d);
	struct copy_report rep;
	struct audit_verify_result res = {.ok = false};
	assert_int_equal(copy(a, uri, chains_ok, &res, &rep), COPY_OK);
	assert_int_equal(res.councils, 2);
	assert_int_equal(rows_of(&rep, "bank_holiday"), 250);
	copy_report_free(&rep);
	/* the cluster sorts text bytewise (--no-locale): same order */
	assert_same(a, uri);
	/* refused on PostgreSQL too */
	assert_int_equal(copy(a, uri, NULL, NULL, &rep), COPY_ENOTEMPTY);
	copy_report_free(&rep);
	res.ok = false;
	assert_int_equal(copy(uri, d, chains_ok, &res, &rep), COPY_OK);
	assert_true(res.ok);
	assert_int_equal(rows_of(&rep, "draft"), 4);
	copy_report_free(&rep);
	assert_same(a, d);
	assert_int_equal(testdb_count(d, "SELECT count(*) FROM draft WHERE"
				      " typeof(nonce) = 'blob' AND"
				      " typeof(ciphertext) = 'blob'"), 4);
	assert_int_equal(testdb_count(d, "SELECT length(ciphertext) FROM draft"
				      " WHERE council = 'c2' AND draft_id = 2"),
			 3000);
	assert_int_equal(testdb_count(d, "SELECT count(*) FROM council WHERE"
				      " la_code IS NULL"), 1);
	assert_int_equal(testdb_count(d, "SELECT expires_at FROM draft WHERE"
				      " council = 'c2' AND draft_id = 1"),
			 9007199254740993);
	if (own)
		testdb_pg_stop();
	testdb_remove(a);
	testdb_remove(d);
}

static void backup(void **state)
{
	(void)state;
	if (db_is_uri(pa))
		skip();
	fill_all(pa, true);
	char why[320];
	assert_int_equal(copy_backup(pa, pe, NULL, NULL, why, sizeof(why)),
			 COPY_OK);
	assert_same(pa, pe);
	/* never over a file: the copy stays as it was */
	testdb_exec(pa, "DELETE FROM bank_holiday");
	assert_int_equal(copy_backup(pa, pe, NULL, NULL, why, sizeof(why)),
			 COPY_EBACKUP);
	assert_non_null(strstr(why, "not overwriting"));
	assert_int_equal(testdb_count(pe, "SELECT count(*) FROM bank_holiday"),
			 250);
	/* a missing source leaves no file behind */
	char none[80];
	snprintf(none, sizeof(none), "%s-none", pe);
	unlink(none);
	assert_int_equal(copy_backup("/nonexistent/x.db", none, NULL, NULL, why,
				     sizeof(why)), COPY_EBACKUP);
	assert_int_equal(access(none, F_OK), -1);
	/* PostgreSQL is pg_dump's */
	assert_int_equal(copy_backup("postgres://u@/db", none, NULL, NULL, why,
				     sizeof(why)), COPY_EBACKUP);
	assert_non_null(strstr(why, "pg_dump"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sqlite_to_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(backup, setup, teardown),
		cmocka_unit_test_setup_teardown(pg_roundtrip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
