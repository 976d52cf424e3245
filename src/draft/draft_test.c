/* draft_test.c: drafts sealed, scoped to their user, bound to their
 * context, replaced, expired and purged. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/seal.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/testdb.h"
#include "draft/draft.h"

#define T0 1700000000

struct fixture {
	char path[80];
	struct db *db;
	struct db_conn *c;
	struct arena *a;
	struct seal_key key;
};

static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	int from, to;
	memset(&f, 0, sizeof(f));
	testdb_path(f.path, sizeof(f.path), "drafttest");
	testdb_remove(f.path);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000};
	if (db_open(f.path, &o, &f.db, err, sizeof(err)) != DB_OK)
		return -1;
	f.c = db_acquire(f.db);
	db_set_role(f.c, DB_ROLE_SYSTEM);
	if (db_migrate(f.c, &from, &to) != DB_OK)
		return -1;
	for (size_t i = 0; i < sizeof(f.key.k); i++)
		f.key.k[i] = (unsigned char)(7 * i + 1);
	f.a = arena_new(8u << 20);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_release(f->db, f->c);
	db_close(f->db);
	testdb_remove(f->path);
	return 0;
}

static struct draft_ctx ctx(struct fixture *f, const char *council,
			    int64_t user, int64_t now)
{
	struct draft_ctx x = {f->c, &f->key, f->a, council, user, now};
	return x;
}

static int64_t put(struct fixture *f, const struct draft_ctx *x,
		   enum draft_kind kind, const char *path, const char *body,
		   int64_t *replaced)
{
	int64_t id = 0, old = -1;
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	assert_int_equal(draft_put(x, kind, path, "/children/5/contacts/new",
				   "from=x", body, strlen(body), &id, &old), 0);
	assert_int_equal(db_commit(f->c), DB_OK);
	if (replaced)
		*replaced = old;
	return id;
}

/* Whether any draft's ciphertext holds needle's bytes (read through the
 * store, so that the check is the same on SQLite and PostgreSQL). */
static bool ciphertext_holds(struct fixture *f, const char *needle)
{
	static const struct db_stmt st_ct = {
		"test_draft_ciphertext", "SELECT ciphertext FROM draft",
		DB_ROLE_SYSTEM,
	};
	struct db_q *q;
	bool found = false;
	int rc = db_exec0(f->c, &st_ct, &q);
	for (; rc == DB_ROW; rc = db_step(q)) {
		size_t len;
		const void *p = db_col_blob(q, 0, &len);
		assert_true(len > 0);
		if (memmem(p, len, needle, strlen(needle)) != NULL)
			found = true;
	}
	assert_int_equal(rc, DB_DONE);
	return found;
}

/* Changes one bit of draft id's nonce (nonce true) or ciphertext, as
 * someone who can write the store might, through the store (so the same
 * on SQLite and PostgreSQL). */
static void flip_bit(struct fixture *f, int64_t id, bool nonce)
{
	static const struct db_stmt st_get[2] = {
		{"test_draft_ct_get",
		 "SELECT ciphertext FROM draft WHERE draft_id = ?1",
		 DB_ROLE_SYSTEM},
		{"test_draft_nonce_get",
		 "SELECT nonce FROM draft WHERE draft_id = ?1", DB_ROLE_SYSTEM},
	};
	static const struct db_stmt st_set[2] = {
		{"test_draft_ct_set",
		 "UPDATE draft SET ciphertext = ?2 WHERE draft_id = ?1",
		 DB_ROLE_SYSTEM},
		{"test_draft_nonce_set",
		 "UPDATE draft SET nonce = ?2 WHERE draft_id = ?1",
		 DB_ROLE_SYSTEM},
	};
	struct db_q *q;
	assert_int_equal(db_exec(f->c, &st_get[nonce], &q, id), DB_ROW);
	size_t len;
	const unsigned char *p = db_col_blob(q, 0, &len);
	assert_true(len > 0 && len < 4096);
	unsigned char b[4096];
	memcpy(b, p, len);
	db_done(q);
	b[len / 2] ^= 1;
	assert_int_equal(db_prepare(f->c, &st_set[nonce], &q), DB_OK);
	assert_int_equal(db_bind_i64(q, 1, id), DB_OK);
	assert_int_equal(db_bind_blob(q, 2, b, len), DB_OK);
	assert_int_equal(db_step(q), DB_DONE);
	assert_int_equal(db_changes(f->c), 1);
}

static const char *body1 =
	"worry=She%20said%20%22not%20again%22&received-day=7&flags=a&flags=b";

static void round_trip(void **state)
{
	struct fixture *f = *state;
	testdb_exec(f->path, "DELETE FROM draft");
	struct draft_ctx x = ctx(f, "aaa", 3, T0);
	int64_t id = put(f, &x, DRAFT_KEPT, "/children/5/contacts", body1, NULL);
	assert_true(id > 0);
	/* sealed at rest: the narrative is nowhere in the file's row */
	assert_false(ciphertext_holds(f, "again"));
	struct draft d;
	x.now = T0 + 60;
	assert_int_equal(draft_find_page(&x, "/children/5/contacts/new", &d), 1);
	assert_int_equal(d.draft_id, id);
	assert_int_equal(d.kind, DRAFT_KEPT);
	assert_string_equal(d.path, "/children/5/contacts");
	assert_string_equal(d.form_query, "from=x");
	assert_string_equal(d.body, body1);
	assert_int_equal(d.body_len, strlen(body1));
	assert_int_equal(d.expires_at, T0 + DRAFT_TTL_SECONDS);
	assert_int_equal(draft_get(&x, id, true, &d), 1);
	assert_string_equal(d.body, body1);
	assert_int_equal(draft_get(&x, id, false, &d), 1);
	assert_null(d.body);
	int64_t got = 0;
	assert_int_equal(draft_for_path(&x, "/children/5/contacts", &got), 1);
	assert_int_equal(got, id);
	assert_int_equal(draft_for_path(&x, "/children/6/contacts", &got), 0);
	struct draft *v;
	int n;
	assert_int_equal(draft_list(&x, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_null(v[0].body);
	assert_int_equal(draft_find_page(&x, "/children/6/contacts/new", &d), 0);
}

/* Another user, or another council's user with the same id, reaches
 * nothing; a row moved to another user, path or id does not open. */
static void bound_to_user_and_path(void **state)
{
	struct fixture *f = *state;
	testdb_exec(f->path, "DELETE FROM draft");
	struct draft_ctx x = ctx(f, "aaa", 3, T0);
	int64_t id = put(f, &x, DRAFT_SAVED, "/children/5/contacts", body1, NULL);
	struct draft d;
	struct draft_ctx y = ctx(f, "aaa", 4, T0);
	struct draft_ctx z = ctx(f, "bbb", 3, T0);
	assert_int_equal(draft_get(&y, id, true, &d), 0);
	assert_int_equal(draft_find_page(&y, "/children/5/contacts/new", &d), 0);
	assert_int_equal(draft_get(&z, id, true, &d), 0);
	assert_int_equal(draft_delete(&y, id), 0);
	/* moved behind the store's back: found, but it does not open */
	testdb_exec(f->path, "UPDATE draft SET user_id = 4");
	assert_int_equal(draft_get(&y, id, true, &d), 0);
	assert_int_equal(draft_get(&y, id, false, &d), 1); /* metadata only */
	testdb_exec(f->path, "UPDATE draft SET user_id = 3");
	assert_int_equal(draft_get(&x, id, true, &d), 1);
	testdb_exec(f->path, "UPDATE draft SET path = '/children/9/contacts'");
	assert_int_equal(draft_get(&x, id, true, &d), 0);
	testdb_exec(f->path, "UPDATE draft SET path = '/children/5/contacts'");
	testdb_exec(f->path, "UPDATE draft SET council = 'bbb'");
	assert_int_equal(draft_get(&z, id, true, &d), 0);
	testdb_exec(f->path, "UPDATE draft SET council = 'aaa'");
	testdb_exec(f->path, "UPDATE draft SET draft_id = draft_id + 1");
	assert_int_equal(draft_get(&x, id + 1, true, &d), 0);
	testdb_exec(f->path, "UPDATE draft SET draft_id = draft_id - 1");
	/* an older creation time (to keep it longer) breaks the seal */
	testdb_exec(f->path, "UPDATE draft SET created_at = created_at + 100");
	assert_int_equal(draft_get(&x, id, true, &d), 0);
	testdb_exec(f->path, "UPDATE draft SET created_at = created_at - 100");
	assert_int_equal(draft_get(&x, id, true, &d), 1);
	/* a changed ciphertext or nonce does not open */
	flip_bit(f, id, false);
	assert_int_equal(draft_get(&x, id, true, &d), 0);
	/* another key does not open it either */
	id = put(f, &x, DRAFT_SAVED, "/children/5/contacts", body1, NULL);
	struct seal_key other = f->key;
	other.k[0] ^= 1;
	struct draft_ctx w = x;
	w.key = &other;
	assert_int_equal(draft_get(&w, id, true, &d), 0);
	flip_bit(f, id, true);
	assert_int_equal(draft_get(&x, id, true, &d), 0);
}

static void replaced_expired_purged(void **state)
{
	struct fixture *f = *state;
	testdb_exec(f->path, "DELETE FROM draft");
	struct draft_ctx x = ctx(f, "aaa", 3, T0);
	int64_t old = 0;
	int64_t a = put(f, &x, DRAFT_SAVED, "/children/5/contacts", "worry=1",
			&old);
	assert_int_equal(old, 0);
	int64_t b = put(f, &x, DRAFT_KEPT, "/children/5/contacts", "worry=2",
			&old);
	assert_int_equal(old, a);
	assert_int_equal(testdb_count(f->path, "SELECT count(*) FROM draft"), 1);
	struct draft d;
	assert_int_equal(draft_get(&x, b, true, &d), 1);
	assert_string_equal(d.body, "worry=2");
	/* a day later it is gone, even before the purge */
	x.now = T0 + DRAFT_TTL_SECONDS;
	assert_int_equal(draft_get(&x, b, true, &d), 0);
	/* moving expires_at on in the file does not keep it longer */
	testdb_exec(f->path, "UPDATE draft SET expires_at = expires_at + 999");
	assert_int_equal(draft_get(&x, b, true, &d), 0);
	testdb_exec(f->path, "UPDATE draft SET expires_at = expires_at - 999");
	assert_int_equal(draft_purge(f->c, T0 + DRAFT_TTL_SECONDS - 1), 0);
	assert_int_equal(draft_purge(f->c, T0 + DRAFT_TTL_SECONDS), 1);
	/* every write purges too */
	x.now = T0;
	put(f, &x, DRAFT_SAVED, "/children/5/contacts", "worry=3", NULL);
	x.now = T0 + DRAFT_TTL_SECONDS + 5;
	put(f, &x, DRAFT_SAVED, "/children/7/contacts", "worry=4", &old);
	assert_int_equal(old, 0);
	assert_int_equal(testdb_count(f->path, "SELECT count(*) FROM draft"), 1);
	/* deleted once, then not there */
	int64_t id = 0;
	assert_int_equal(draft_for_path(&x, "/children/7/contacts", &id), 1);
	assert_int_equal(draft_delete(&x, id), 1);
	assert_int_equal(draft_delete(&x, id), 0);
	/* too large */
	int64_t nid, rep;
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	assert_int_equal(draft_put(&x, DRAFT_SAVED, "/p", "", "", "x",
				   (size_t)DRAFT_MAX_BYTES + 1, &nid, &rep),
			 DB_ECONSTRAINT);
	db_rollback(f->c);
	assert_string_equal(draft_kind_name(DRAFT_KEPT), "kept");
	assert_null(draft_kind_name(DRAFT__MAX));
}

int main(void)
{
	if (password_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(bound_to_user_and_path),
		cmocka_unit_test(replaced_expired_purged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
