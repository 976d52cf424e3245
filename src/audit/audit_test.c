/* audit_test.c: the chain is built, verified, and every kind of tampering
 * is found: a row changed, deleted in the middle or at the end, a whole
 * chain or the whole log emptied, the genesis row dropped, the head
 * pointed back, NULL turned into 0, and (with an anchor) a chain
 * truncated or rewritten by someone who recomputed every hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "db/testdb.h"

static char path[64];

static const struct db_stmt st_council = {
	"test_council_add", "INSERT INTO council (council, name) VALUES (?1, ?1)",
	DB_ROLE_SYSTEM,
};

static void rm_db(void)
{
	testdb_remove(path);
}

static void tamper(const char *sql)
{
	testdb_exec(path, sql);
}

static int64_t count(const char *sql)
{
	return testdb_count(path, sql);
}

static struct db *open_db(void)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	return db;
}

/* A council made the way cairn init makes one: its row and its genesis
 * in one transaction. */
static void add_council(struct db *db, const char *council)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(db_exec(c, &st_council, NULL, council), DB_DONE);
	assert_int_equal(audit_genesis(c, council), DB_OK);
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
}

static void write_events(struct db *db, const char *council, int n)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	for (int i = 0; i < n; i++) {
		struct audit_event ev = {
			council, 7, "sw.test", "social-worker", "read", "child",
			i + 1, i + 1, "req-1", "127.0.0.1", 200, NULL, 0,
		};
		assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
		assert_int_equal(audit_append(c, &ev), DB_OK);
		assert_int_equal(db_commit(c), DB_OK);
	}
	db_release(db, c);
}

/* Verifies with optional anchors; keeps the last council's line. */
static struct audit_chain last_chain;

static void keep(const struct audit_chain *ch, void *arg)
{
	int *n = arg;
	(*n)++;
	last_chain = *ch;
}

static bool verify_with(struct db *db, const char *only,
			const struct audit_anchor *a, size_t na,
			struct audit_verify_result *r)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int lines = 0;
	assert_int_equal(db_begin(c, DB_TX_READ), DB_OK);
	assert_int_equal(audit_verify_chains(c, only, a, na, keep, &lines, r), 0);
	db_rollback(c);
	db_release(db, c);
	assert_int_equal(lines, r->councils);
	return r->ok;
}

static bool verify(struct db *db, struct audit_verify_result *r)
{
	return verify_with(db, NULL, NULL, 0, r);
}

/* What `cairn audit anchor` records for a council. */
static struct audit_anchor anchor_of(struct db *db, const char *council)
{
	struct audit_verify_result r;
	assert_true(verify_with(db, council, NULL, 0, &r));
	struct audit_anchor a;
	memset(&a, 0, sizeof(a));
	snprintf(a.council, sizeof(a.council), "%s", council);
	a.seq = last_chain.head_seq;
	a.count = last_chain.rows;
	memcpy(a.hash, last_chain.hash, 65);
	return a;
}

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "audittest");
	rm_db();
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(c, &from, &to), DB_OK);
	db_release(db, c);
	add_council(db, "aaa");
	add_council(db, "bbb");
	write_events(db, "aaa", 5);
	write_events(db, "bbb", 3);
	db_close(db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_db();
	return 0;
}

/* ---- what an attacker with the file and this source can do ----------- */

/* Recomputes council's whole chain from row 0 (prev_hash, hash) and its
 * head, as someone who can write the store would after changing rows:
 * through the store with statements of the test's own, so the same on
 * SQLite and PostgreSQL. */
static void recompute(const char *council)
{
	static const struct db_stmt st_rd = {
		"test_audit_rows",
		"SELECT seq, at, user_id, username, role, action, entity,"
		" entity_id, child_id, status, request_id, ip, hv FROM audit"
		" WHERE council = ?1 ORDER BY seq",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_up = {
		"test_audit_rehash",
		"UPDATE audit SET prev_hash = ?3, hash = ?4"
		" WHERE council = ?1 AND seq = ?2",
		DB_ROLE_SYSTEM,
	};
	static const struct db_stmt st_head = {
		"test_audit_rehead",
		"UPDATE audit_head SET seq = ?2, hash = ?3, count = ?4,"
		" head_hash = ?5 WHERE council = ?1",
		DB_ROLE_SYSTEM,
	};
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	char hash[65] = "";
	int64_t seq = -1, n = 0;
	struct db_q *rd;
	int rc = db_exec(c, &st_rd, &rd, council);
	for (; rc == DB_ROW; rc = db_step(rd)) {
		struct audit_hash_input f = {
			.hv = (int)db_col_i64(rd, 12),
			.council = council,
			.seq = db_col_i64(rd, 0),
			.at = db_col_text(rd, 1),
			.has_user_id = !db_col_null(rd, 2),
			.user_id = db_col_i64(rd, 2),
			.username = db_col_text(rd, 3),
			.role = db_col_text(rd, 4),
			.action = db_col_text(rd, 5),
			.entity = db_col_text(rd, 6),
			.has_entity_id = !db_col_null(rd, 7),
			.entity_id = db_col_i64(rd, 7),
			.has_child_id = !db_col_null(rd, 8),
			.child_id = db_col_i64(rd, 8),
			.has_status = !db_col_null(rd, 9),
			.status = db_col_i64(rd, 9),
			.request_id = db_col_text(rd, 10),
			.ip = db_col_text(rd, 11),
			.prev_hash = prev,
		};
		audit_row_hash(&f, hash);
		seq = f.seq;
		n++;
		assert_int_equal(db_exec(c, &st_up, NULL, council, seq, prev,
					 hash), DB_DONE);
		memcpy(prev, hash, 65);
	}
	assert_int_equal(rc, DB_DONE);
	char head[65];
	audit_head_hash(council, seq, n, hash, head);
	assert_int_equal(db_exec(c, &st_head, NULL, council, seq, hash, n,
				 head), DB_DONE);
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
	db_close(db);
}

/* ---- positive cases -------------------------------------------------- */

static void intact(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 10); /* two genesis rows, 5 and 3 events */
	assert_int_equal(r.councils, 2);
	/* the callback saw bbb last, with its own head */
	assert_string_equal(last_chain.council, "bbb");
	assert_int_equal(last_chain.rows, 4);
	assert_int_equal(last_chain.head_seq, 3);
	assert_int_equal(strlen(last_chain.hash), 64);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE seq = 0 AND"
			       " action = 'genesis' AND hv = 2"), 2);
	assert_int_equal(count("SELECT count FROM audit_head WHERE council = 'aaa'"),
			 6);
	db_close(db);
}

static void fresh_council_verifies(void **state)
{
	(void)state;
	struct db *db = open_db();
	add_council(db, "ccc");
	struct audit_verify_result r;
	assert_true(verify_with(db, "ccc", NULL, 0, &r));
	assert_int_equal(r.rows, 1);
	assert_int_equal(last_chain.head_seq, 0);
	assert_true(verify(db, &r));
	assert_int_equal(r.councils, 3);
	/* a second genesis for the same council is refused */
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(c, "ccc"), DB_ECONSTRAINT);
	db_rollback(c);
	assert_int_not_equal(audit_genesis(c, "ddd"), DB_OK); /* no tx */
	db_release(db, c);
	db_close(db);
}

/* A chain written before schema version 3 (v1 hashes, no genesis, a
 * head without count) verifies, and goes on with v2 rows. */
static void legacy_then_v2(void **state)
{
	(void)state;
	tamper("INSERT INTO council (council, name) VALUES ('leg', 'Legacy')");
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	char hash[65], sql[1024];
	for (int seq = 1; seq <= 3; seq++) {
		/* v1 wrote 0, not NULL, for "no child" */
		struct audit_hash_input f = {
			.hv = 1, .council = "leg", .seq = seq,
			.at = "2025-01-01T00:00:00Z",
			.has_user_id = true, .user_id = 0,
			.username = "system", .role = "system",
			.action = "create", .entity = "user",
			.has_entity_id = true, .entity_id = seq,
			.has_child_id = true, .child_id = 0,
			.request_id = "cli", .ip = "-", .prev_hash = prev,
		};
		audit_row_hash(&f, hash);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO audit (council, seq, at, user_id, username,"
			 " role, action, entity, entity_id, child_id, request_id,"
			 " ip, prev_hash, hash) VALUES ('leg', %d,"
			 " '2025-01-01T00:00:00Z', 0, 'system', 'system', 'create',"
			 " 'user', %d, 0, 'cli', '-', '%s', '%s')",
			 seq, seq, prev, hash);
		tamper(sql);
		memcpy(prev, hash, 65);
	}
	snprintf(sql, sizeof(sql), "INSERT INTO audit_head (council, seq, hash)"
		 " VALUES ('leg', 3, '%s')", hash);
	tamper(sql);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE council = 'leg'"
			       " AND hv = 1"), 3);
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 13);
	write_events(db, "leg", 2);
	assert_true(verify_with(db, "leg", NULL, 0, &r));
	assert_int_equal(r.rows, 5);
	assert_int_equal(last_chain.head_seq, 5);
	assert_int_equal(count("SELECT count FROM audit_head WHERE council = 'leg'"),
			 5);
	/* a v1 row after a v2 row is not allowed */
	tamper("UPDATE audit SET hv = 1 WHERE council = 'leg' AND seq = 5");
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "leg");
	assert_int_equal(r.bad_seq, 5);
	assert_non_null(strstr(r.reason, "version 1 row after"));
	db_close(db);
}

/* Many rows in one transaction (the group commit does this). */
static void many_in_one_tx(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_TEAM_MANAGER);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	for (int i = 0; i < 40; i++) {
		struct audit_event ev = {
			i % 2 ? "aaa" : "bbb", 9, "tm.test", "team-manager",
			"read", "child", i + 1, i + 1, "req-2", "127.0.0.1",
			i % 3 ? 200 : 403, NULL, 0,
		};
		assert_int_equal(audit_append(c, &ev), DB_OK);
	}
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 50);
	assert_int_equal(count("SELECT count FROM audit_head WHERE council = 'bbb'"),
			 24);
	db_close(db);
}

static void outside_tx_refused(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	struct audit_event ev = {"aaa", 1, "x", "social-worker", "read",
				 "child", 1, 1, "-", "-", 200, NULL, 0};
	assert_int_not_equal(audit_append(c, &ev), DB_OK);
	db_release(db, c);
	db_close(db);
}

/* An administrator's check reads their council only. */
static void one_council_only(void **state)
{
	(void)state;
	tamper("UPDATE audit SET action = 'update' WHERE council = 'bbb' AND seq = 2");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_true(verify_with(db, "aaa", NULL, 0, &r));
	assert_int_equal(r.councils, 1);
	assert_string_equal(last_chain.council, "aaa");
	assert_false(verify_with(db, "bbb", NULL, 0, &r));
	assert_false(verify(db, &r));
	db_close(db);
}

/* ---- tampering, each caught ------------------------------------------ */

static void changed_row(void **state)
{
	(void)state;
	tamper("UPDATE audit SET action = 'update' WHERE council = 'aaa' AND seq = 3");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 3);
	db_close(db);
}

static void changed_status(void **state)
{
	(void)state;
	assert_int_equal(count("SELECT count(*) FROM audit WHERE status = 200"), 8);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE status IS NULL"), 2);
	tamper("UPDATE audit SET status = 403 WHERE council = 'bbb' AND seq = 1");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	assert_int_equal(r.bad_seq, 1);
	db_close(db);
}

static void deleted_middle(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'bbb' AND seq = 2");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	assert_int_equal(r.bad_seq, 2);
	db_close(db);
}

static void deleted_newest(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'aaa' AND seq = 5");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 5);
	db_close(db);
}

static void deleted_chain_rows(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'bbb'");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	db_close(db);
}

/* Finding (a): every row and every head deleted. */
static void emptied_log(void **state)
{
	(void)state;
	tamper("DELETE FROM audit; DELETE FROM audit_head;");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_int_equal(r.rows, 0);
	assert_int_equal(r.councils, 2);
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 0);
	db_close(db);
}

/* Finding (b): one council's whole chain and head deleted, another's
 * left intact. */
static void deleted_chain_and_head(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'aaa';"
	       "DELETE FROM audit_head WHERE council = 'aaa';");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_non_null(strstr(r.reason, "no audit rows"));
	assert_true(verify_with(db, "bbb", NULL, 0, &r));
	db_close(db);
}

/* Finding (c): the newest row deleted and the head copied from the row
 * before, then its count put back too: no hashing, so caught. */
static void head_pointed_back(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'aaa' AND seq = 5;"
	       "UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit"
	       " WHERE council = 'aaa' AND seq = 4) WHERE council = 'aaa';");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, -1);
	tamper("UPDATE audit_head SET count = count - 1 WHERE council = 'aaa'");
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_non_null(strstr(r.reason, "head hash"));
	/* and a head emptied to look legacy is refused after a v2 row */
	tamper("UPDATE audit_head SET count = NULL, head_hash = NULL"
	       " WHERE council = 'aaa'");
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	db_close(db);
}

/* Finding (d): NULL and 0 hash differently. */
static void null_became_zero(void **state)
{
	(void)state;
	struct audit_hash_input f = {
		.hv = 2, .council = "aaa", .seq = 1, .at = "t", .username = "u",
		.role = "r", .action = "a", .entity = "e", .request_id = "-",
		.ip = "-", .prev_hash = "p",
	};
	char absent[65], zero[65];
	audit_row_hash(&f, absent);
	f.has_child_id = true;
	audit_row_hash(&f, zero);
	assert_string_not_equal(absent, zero);

	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	struct audit_event ev = {"aaa", 7, "sw.test", "social-worker", "search",
				 "child", 0, 0, "req-3", "127.0.0.1", 200, NULL,
				 0};
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_append(c, &ev), DB_OK);
	assert_int_equal(db_commit(c), DB_OK);
	db_release(db, c);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE council = 'aaa'"
			       " AND seq = 6 AND child_id IS NULL"
			       " AND entity_id IS NULL"), 1);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	tamper("UPDATE audit SET child_id = 0 WHERE council = 'aaa' AND seq = 6");
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 6);
	db_close(db);
}

static void deleted_genesis(void **state)
{
	(void)state;
	tamper("DELETE FROM audit WHERE council = 'bbb' AND seq = 0");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	assert_int_equal(r.bad_seq, 0);
	assert_non_null(strstr(r.reason, "genesis"));
	db_close(db);
}

static void council_gone(void **state)
{
	(void)state;
	tamper("DELETE FROM council WHERE council = 'bbb'");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_string_equal(r.council, "bbb");
	assert_non_null(strstr(r.reason, "does not exist"));
	db_close(db);
}

static void rewritten_hash_only(void **state)
{
	(void)state;
	/* changing a hash breaks the next row's link */
	tamper("UPDATE audit SET hash = CASE WHEN substr(hash, 1, 1) = '0'"
	       " THEN '1' || substr(hash, 2) ELSE '0' || substr(hash, 2) END"
	       " WHERE council = 'aaa' AND seq = 1");
	struct db *db = open_db();
	struct audit_verify_result r;
	assert_false(verify(db, &r));
	assert_int_equal(r.bad_seq, 1);
	db_close(db);
}

/* ---- anchors ---------------------------------------------------------- */

/* Anchored, more rows written, then cut back below the anchor with
 * every hash and the head recomputed: intact without the anchor,
 * caught with it. */
static void anchor_catches_truncation(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct audit_anchor a[2] = {anchor_of(db, "aaa"), anchor_of(db, "bbb")};
	assert_int_equal(a[0].seq, 5);
	assert_int_equal(a[0].count, 6);
	write_events(db, "aaa", 3);
	struct audit_verify_result r;
	assert_true(verify_with(db, NULL, a, 2, &r));
	tamper("DELETE FROM audit WHERE council = 'aaa' AND seq >= 3");
	recompute("aaa");
	assert_true(verify(db, &r));
	assert_false(verify_with(db, NULL, a, 2, &r));
	assert_string_equal(r.council, "aaa");
	assert_non_null(strstr(r.reason, "truncated"));
	db_close(db);
}

/* Rows below the anchor deleted, the chain refilled past it and
 * recomputed: the anchored row's hash differs. */
static void anchor_catches_rewrite(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct audit_anchor a = anchor_of(db, "aaa");
	tamper("DELETE FROM audit WHERE council = 'aaa' AND seq = 2;"
	       "UPDATE audit SET seq = seq - 1 WHERE council = 'aaa' AND seq > 2;");
	recompute("aaa");
	write_events(db, "aaa", 2);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_false(verify_with(db, NULL, &a, 1, &r));
	assert_string_equal(r.council, "aaa");
	assert_int_equal(r.bad_seq, 5);
	assert_non_null(strstr(r.reason, "rewritten"));
	/* an anchored council that is gone */
	struct audit_anchor z = a;
	snprintf(z.council, sizeof(z.council), "zzz");
	assert_false(verify_with(db, NULL, &z, 1, &r));
	assert_string_equal(r.council, "zzz");
	db_close(db);
}

static void anchor_file(void **state)
{
	(void)state;
	const char *h = "3f0a3f0a3f0a3f0a3f0a3f0a3f0a3f0a"
			"3f0a3f0a3f0a3f0a3f0a3f0a3f0a3f0a";
	char text[1024], err[128];
	struct audit_anchor *a = NULL;
	size_t n = 0;
	snprintf(text, sizeof(text), "# cairn audit anchor\n\naaa 5 6 %s\r\n"
		 "bbb\t3\t3\t%s\n", h, h);
	assert_int_equal(audit_anchor_parse(text, strlen(text), &a, &n, err,
					    sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(a[1].council, "bbb");
	assert_int_equal(a[0].seq, 5);
	assert_int_equal(a[1].count, 3);
	free(a);
	static const struct {
		const char *text, *err;
	} bad[] = {
		{"# nothing\n", "line 1: no council line"},
		{"aaa 5 6\n", "line 1: expected 4 fields"},
		{"#\naaa x 6 H\n", "line 2: seq is not"},
		{"aaa 5 9 H\n", "line 1: count does not fit"},
		{"aaa 5 6 abc\n", "line 1: hash is not 64"},
		{"aaa 5 6 H\naaa 5 6 H\n", "line 2: council named twice"},
		{"aaa 5 6 H extra\n", "line 1: expected 4 fields"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* H stands for a good hash */
		char t[512] = "";
		for (const char *p = bad[i].text; *p; p++) {
			if (*p == 'H')
				strcat(t, h);
			else
				strncat(t, p, 1);
		}
		a = NULL;
		assert_int_equal(audit_anchor_parse(t, strlen(t), &a, &n, err,
						    sizeof(err)), -1);
		assert_null(a);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)) != 0)
			fail_msg("case %zu: got '%s'", i, err);
	}
	/* upper-case hex is not what anchor writes */
	snprintf(text, sizeof(text), "aaa 5 6 3F%s\n", h + 2);
	assert_int_equal(audit_anchor_parse(text, strlen(text), &a, &n, err,
					    sizeof(err)), -1);
}

/* ---- group commit ------------------------------------------------------ */

struct submitter {
	struct audit_batcher *b;
	int n;
	int failures;
};

static void *submit_many(void *arg)
{
	struct submitter *s = arg;
	for (int i = 0; i < s->n; i++) {
		struct audit_event ev = {"aaa", 9, "tm.test", "team-manager",
					 "read", "child", i + 1, i + 1, "req-b",
					 "127.0.0.1", 200, NULL, 0};
		if (audit_batcher_submit(s->b, &ev) != 0)
			s->failures++;
	}
	return NULL;
}

static void group_commit(void **state)
{
	(void)state;
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = 3, .busy_timeout_ms = 5000, .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	struct audit_batcher *b = audit_batcher_new(db);
	assert_non_null(b);
	enum { THREADS = 8, EACH = 50 };
	pthread_t th[THREADS];
	struct submitter s[THREADS];
	for (int i = 0; i < THREADS; i++) {
		s[i] = (struct submitter){b, EACH, 0};
		assert_int_equal(pthread_create(&th[i], NULL, submit_many, &s[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(s[i].failures, 0);
	}
	uint64_t batches, rows;
	audit_batcher_stats(b, &batches, &rows);
	assert_int_equal(rows, THREADS * EACH);
	assert_true(batches >= 1 && batches <= rows);
	audit_batcher_free(b);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	assert_int_equal(r.rows, 10 + THREADS * EACH);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE status = 200"),
			 8 + THREADS * EACH);
	db_close(db);
	audit_batcher_free(NULL);
}

/* Rows read back by audit_child_rows. */
static int seen_cb(const struct audit_row *row, void *arg)
{
	int *n = arg;
	(*n)++;
	assert_string_equal(row->action, "search");
	return 0;
}

/* Finding 5: a list's row names the children it showed, once each,
 * indexed for "who has viewed"; the index is checked by verify. */
static void list_rows(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, RB_SOCIAL_WORKER);
	int64_t ids[] = {42, 7, 42, 9, 0};
	struct audit_event ev = {"aaa", 7, "sw.test", "social-worker",
				 "search", "child", 0, 0, "req-l", "127.0.0.1",
				 200, ids, 5};
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_append(c, &ev), DB_OK);
	assert_int_equal(db_commit(c), DB_OK);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE children ="
			       " '7,9,42' AND child_id IS NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit_seen WHERE"
			       " council = 'aaa'"), 3);
	/* the child's viewers include the list, and no other council's */
	db_set_role(c, RB_TEAM_MANAGER);
	int n = 0;
	assert_int_equal(audit_child_rows(c, "aaa", 9, 0, 10, seen_cb, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(audit_child_rows(c, "bbb", 9, 0, 10, seen_cb, &n), 0);
	assert_int_equal(n, 0);
	db_release(db, c);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	/* the list is in the hash */
	tamper("UPDATE audit SET children = '7,42' WHERE children = '7,9,42'");
	assert_false(verify(db, &r));
	assert_string_equal(r.reason, "hash does not match the row's contents");
	tamper("UPDATE audit SET children = '7,9,42' WHERE children = '7,42'");
	assert_true(verify(db, &r));
	/* a view taken out of the index is noticed */
	tamper("DELETE FROM audit_seen WHERE child_id = 9");
	assert_false(verify(db, &r));
	assert_non_null(strstr(r.reason, "index of children shown"));
	db_close(db);
}

/* Appending takes the head with a write (an UPDATE ... RETURNING), so
 * that on PostgreSQL the head's row lock orders two writers of one
 * council; a plain SELECT would let both chain to the same head.  What
 * the statement does is asked of the engine (db_stmt_access). */
static int note_head(const char *table, enum db_access op, void *arg)
{
	if (strcmp(table, "audit_head") == 0 && op == DB_ACCESS_UPDATE)
		*(bool *)arg = true;
	return 0;
}

static void head_taken_by_a_write(void **state)
{
	(void)state;
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n), *take = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cat[i].name, "audit_head_take") == 0)
			take = &cat[i];
	assert_non_null(take);
	struct db *db = open_db();
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	bool updates = false;
	assert_int_equal(db_stmt_access(c, take, note_head, &updates), 0);
	/* what a statement touches is SQLite's authorizer's answer (D23);
	 * PostgreSQL only proves that it prepares */
	if (strcmp(db_engine(db), "sqlite") == 0)
		assert_true(updates);
	db_release(db, c);
	/* and the chain it writes still verifies, the head moved on */
	write_events(db, "aaa", 2);
	struct audit_verify_result r;
	assert_true(verify(db, &r));
	db_close(db);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(list_rows),
		T(intact),
		T(fresh_council_verifies),
		T(legacy_then_v2),
		T(many_in_one_tx),
		T(outside_tx_refused),
		T(one_council_only),
		T(changed_row),
		T(changed_status),
		T(deleted_middle),
		T(deleted_newest),
		T(deleted_chain_rows),
		T(emptied_log),
		T(deleted_chain_and_head),
		T(head_pointed_back),
		T(null_became_zero),
		T(deleted_genesis),
		T(council_gone),
		T(rewritten_hash_only),
		T(anchor_catches_truncation),
		T(anchor_catches_rewrite),
		cmocka_unit_test(anchor_file),
		T(group_commit),
		T(head_taken_by_a_write),
	};
#undef T
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
