/* user_test.c: users, sign-in, administration and API tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "rules/uktime.h"
#include "db/db.h"
#include "db/testdb.h"

#define PW "a long test password"
#define NOW uk_clock_now()
#define FUTURE (NOW + 86400)

static const struct db_stmt st_seed_council = {
	"test_user_seed_council",
	"INSERT INTO council (council, name) VALUES (?1, ?2)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_seed_org = {
	"test_user_seed_org",
	"INSERT INTO organisation (council, org_id, name, kind)"
	" VALUES (?1, ?2, ?3, 'school')",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_seed_team = {
	"test_user_seed_team",
	"INSERT INTO team (council, team_id, name) VALUES (?1, ?2, ?3)",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_get_hash = {
	"test_user_get_hash",
	"SELECT pw_hash FROM app_user WHERE username = ?1", DB_ROLE_SYSTEM,
};
static const struct db_stmt st_set_hash = {
	"test_user_set_hash",
	"UPDATE app_user SET pw_hash = ?2 WHERE username = ?1", DB_ROLE_SYSTEM,
};
static const struct db_stmt st_row = {
	"test_user_row",
	"SELECT org_id, team_id, created_at, role FROM app_user"
	" WHERE username = ?1",
	DB_ROLE_SYSTEM,
};
static const struct db_stmt st_revoked = {
	"test_user_revoked",
	"SELECT count(*) FROM api_token WHERE revoked_at IS NOT NULL",
	DB_ROLE_SYSTEM,
};

struct fixture {
	char path[80];
	struct db *db;
	struct db_conn *c;
};

static void unlink_db(const char *path)
{
	testdb_remove(path);
}

/* Two councils: tst (org 1, team 1) and oth (org 2, team 2). */
static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	int from, to;
	memset(&f, 0, sizeof(f));
	testdb_path(f.path, sizeof(f.path), "usertest");
	unlink_db(f.path);
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000, .synchronous_full = false};
	if (db_open(f.path, &o, &f.db, err, sizeof(err)) != DB_OK)
		return -1;
	f.c = db_acquire(f.db);
	db_set_role(f.c, DB_ROLE_SYSTEM);
	if (db_migrate(f.c, &from, &to) != DB_OK ||
	    db_exec(f.c, &st_seed_council, NULL, "tst", "Test") != DB_DONE ||
	    db_exec(f.c, &st_seed_council, NULL, "oth", "Other") != DB_DONE ||
	    db_exec(f.c, &st_seed_org, NULL, "tst", 1,
		   "Test Primary") != DB_DONE ||
	    db_exec(f.c, &st_seed_org, NULL, "oth", 2,
		   "Other Primary") != DB_DONE ||
	    db_exec(f.c, &st_seed_team, NULL, "tst", 1,
		   "Team North") != DB_DONE ||
	    db_exec(f.c, &st_seed_team, NULL, "oth", 2,
		   "Team South") != DB_DONE)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_release(f->db, f->c);
	db_close(f->db);
	unlink_db(f->path);
	return 0;
}

/* user_add in its own transaction as the system role. */
static int add(struct db_conn *c, const char *council, const char *name,
	       enum role role, int64_t org, int64_t team, const char *pw,
	       int64_t *id, char *err, size_t errlen)
{
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(c, DB_TX_WRITE), DB_OK);
	int rc = user_add(c, council, name, "Test Person", role, org, team,
			  pw, id, err, errlen);
	if (rc == 0)
		assert_int_equal(db_commit(c), DB_OK);
	else
		db_rollback(c);
	return rc;
}

static void stored_hash(struct db_conn *c, const char *name,
			char out[PASSWORD_HASH_MAX])
{
	struct db_q *q;
	db_set_role(c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec(c, &st_get_hash, &q, name), DB_ROW);
	snprintf(out, PASSWORD_HASH_MAX, "%s", db_col_text(q, 0));
	while (db_step(q) == DB_ROW)
		;
}

static void name_shape(void **state)
{
	(void)state;
	assert_true(user_name_ok("ab"));
	assert_true(user_name_ok("sam.worker-2_x"));
	char n64[65];
	memset(n64, 'a', 64);
	n64[64] = '\0';
	assert_true(user_name_ok(n64));
	assert_false(user_name_ok(NULL));
	assert_false(user_name_ok(""));
	assert_false(user_name_ok("a"));
	assert_false(user_name_ok("1ab"));
	assert_false(user_name_ok(".ab"));
	assert_false(user_name_ok("Sam"));
	assert_false(user_name_ok("sam worker"));
	assert_false(user_name_ok("sam@x"));
	assert_false(user_name_ok("s\xc3\xa9n"));
	char n65[66];
	memset(n65, 'a', 65);
	n65[65] = '\0';
	assert_false(user_name_ok(n65));
}

static void add_and_get(void **state)
{
	struct fixture *f = *state;
	char err[200];
	int64_t id1 = 0, id2 = 0, id3 = 0;
	struct user u;
	assert_int_equal(add(f->c, "tst", "sam", ROLE_SOCIAL_WORKER, 0, 1, PW,
			     &id1, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(add(f->c, "tst", "pat.partner", ROLE_PARTNER, 1, 0,
			     PW, &id2, err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "oth", "olly", ROLE_ADMIN, 0, 0, PW, &id3,
			     err, sizeof(err)), 0);
	/* ids are per council */
	assert_int_equal(id1, 1);
	assert_int_equal(id2, 2);
	assert_int_equal(id3, 1);

	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_get(f->c, "tst", id2, &u), 1);
	assert_string_equal(u.council, "tst");
	assert_string_equal(u.username, "pat.partner");
	assert_string_equal(u.display_name, "Test Person");
	assert_int_equal(u.role, ROLE_PARTNER);
	assert_int_equal(u.org_id, 1);
	assert_int_equal(u.team_id, 0);
	assert_false(u.disabled);
	assert_int_equal(user_find(f->c, NULL, "olly", &u), 1);
	assert_string_equal(u.council, "oth");
	assert_int_equal(u.user_id, 1);
	assert_int_equal(u.role, ROLE_ADMIN);
	/* not found */
	struct user keep = u;
	assert_int_equal(user_get(f->c, "tst", 99, &u), 0);
	assert_int_equal(user_get(f->c, "oth", id2, &u), 0);
	assert_int_equal(user_find(f->c, NULL, "nobody", &u), 0);
	assert_int_equal(user_find(f->c, NULL, "Bad Name", &u), 0);
	assert_int_equal(user_get(f->c, "a-council-too-long", 1, &u), 0);
	assert_memory_equal(&u, &keep, sizeof(u)); /* untouched */

	/* stored row: NULL for "none", role id, UTC created_at */
	struct db_q *q;
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec(f->c, &st_row, &q, "pat.partner"), DB_ROW);
	assert_false(db_col_null(q, 0));
	assert_true(db_col_null(q, 1));
	const char *at = db_col_text(q, 2);
	assert_int_equal(strlen(at), 20);
	assert_int_equal(at[10], 'T');
	assert_int_equal(at[19], 'Z');
	assert_string_equal(db_col_text(q, 3), "partner");
	while (db_step(q) == DB_ROW)
		;
	/* the password is stored hashed */
	char h[PASSWORD_HASH_MAX];
	stored_hash(f->c, "sam", h);
	assert_null(strstr(h, PW));
	assert_true(password_verify(h, PW));
}

static void add_rejects(void **state)
{
	struct fixture *f = *state;
	char err[200];
	int64_t id = -5;
	assert_int_equal(add(f->c, "tst", "dup", ROLE_IRO, 0, 0, PW, &id, err,
			     sizeof(err)), 0);
	/* duplicate username in the same council (another council may
	 * have it: same_name_two_councils) */
	assert_int_equal(add(f->c, "tst", "dup", ROLE_IRO, 0, 0, PW, &id, err,
			     sizeof(err)), USER_EEXISTS);
	assert_string_equal(err, "Username is already taken");
	/* partner without an organisation; with another council's */
	assert_int_equal(add(f->c, "tst", "pp", ROLE_PARTNER, 0, 0, PW, &id,
			     err, sizeof(err)), USER_ENEEDORG);
	assert_true(strlen(err) > 0);
	assert_int_equal(add(f->c, "tst", "pp", ROLE_PARTNER, 2, 0, PW, &id,
			     err, sizeof(err)), USER_ENOORG);
	assert_int_equal(add(f->c, "tst", "pp", ROLE_PARTNER, 1, 2, PW, &id,
			     err, sizeof(err)), USER_ENOTEAM);
	assert_int_equal(add(f->c, "tst", "pp", ROLE_PARTNER, -1, 0, PW, &id,
			     err, sizeof(err)), USER_ENOORG);
	/* weak passwords, with the policy's own message */
	assert_int_equal(add(f->c, "tst", "weak", ROLE_IRO, 0, 0, "short", &id,
			     err, sizeof(err)), USER_EPASSWORD);
	assert_string_equal(err, "Password must be 12 characters or more");
	assert_int_equal(add(f->c, "tst", "weak", ROLE_IRO, 0, 0,
			     "zzzzzzzzzzzzzzzz", &id, err, sizeof(err)),
			 USER_EPASSWORD);
	/* shapes */
	assert_int_equal(add(f->c, "tst", "Bad", ROLE_IRO, 0, 0, PW, &id, err,
			     sizeof(err)), USER_ENAME);
	assert_int_equal(add(f->c, "tst", "ok", ROLE__MAX, 0, 0, PW, &id, err,
			     sizeof(err)), USER_EROLE);
	assert_int_equal(add(f->c, "zzz", "ok", ROLE_IRO, 0, 0, PW, &id, err,
			     sizeof(err)), USER_ENOCOUNCIL);
	assert_int_equal(add(f->c, "a-council-too-long", "ok", ROLE_IRO, 0, 0,
			     PW, &id, err, sizeof(err)), USER_ENOCOUNCIL);
	assert_int_equal(id, 1); /* only the first add set it */

	/* display names */
	const char *bad_display[] = {"", "   ", "Two\nlines", "\xff\xfe"};
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	for (size_t i = 0; i < sizeof(bad_display) / sizeof(*bad_display); i++)
		assert_int_equal(user_add(f->c, "tst", "dn", bad_display[i],
					  ROLE_IRO, 0, 0, PW, NULL, err,
					  sizeof(err)), USER_EDISPLAY);
	char longname[130];
	memset(longname, 'x', 129);
	longname[129] = '\0';
	assert_int_equal(user_add(f->c, "tst", "dn", longname, ROLE_IRO, 0, 0,
				  PW, NULL, err, sizeof(err)), USER_EDISPLAY);
	longname[128] = '\0';
	assert_int_equal(user_add(f->c, "tst", "dn", longname, ROLE_IRO, 0, 0,
				  PW, NULL, NULL, 0), 0);
	db_rollback(f->c);

	/* no transaction */
	assert_int_equal(user_add(f->c, "tst", "notx", "N", ROLE_IRO, 0, 0, PW,
				  NULL, err, sizeof(err)), USER_ENOTX);
}

static void add_roles(void **state)
{
	struct fixture *f = *state;
	char err[200];
	/* an admin may add; a team manager may not */
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	assert_int_equal(user_add(f->c, "tst", "by.admin", "By Admin",
				  ROLE_IRO, 0, 0, PW, NULL, err, sizeof(err)), 0);
	assert_int_equal(db_commit(f->c), DB_OK);
	db_set_role(f->c, RB_TEAM_MANAGER);
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	assert_int_equal(user_add(f->c, "tst", "by.tm", "By TM", ROLE_IRO, 0,
				  0, PW, NULL, err, sizeof(err)), USER_EDENIED);
	db_rollback(f->c);
	/* the auth role may sign in but not list users */
	db_set_role(f->c, DB_ROLE_AUTH);
	struct user u;
	assert_int_equal(user_authenticate(f->c, NULL, "by.admin", PW, &u), 1);
	assert_int_equal(user_list(f->c, "tst", NULL, NULL), USER_EDENIED);
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_authenticate(f->c, NULL, "by.admin", PW, &u),
			 USER_EDENIED);
}

static void authenticate(void **state)
{
	struct fixture *f = *state;
	char err[200];
	int64_t id;
	struct user u, keep;
	assert_int_equal(add(f->c, "tst", "alex", ROLE_TEAM_MANAGER, 0, 1, PW,
			     &id, err, sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "alex", PW, &u), 1);
	assert_int_equal(u.user_id, id);
	assert_int_equal(u.role, ROLE_TEAM_MANAGER);
	assert_int_equal(u.team_id, 1);
	keep = u;
	/* wrong password, unknown user, malformed name, NULLs: all 0 */
	assert_int_equal(user_authenticate(f->c, NULL, "alex", PW "x", &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "alex", "", &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "alex", NULL, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "alexx", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "ALEX", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "alex' OR 1=1 --", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, NULL, PW, &u), 0);
	assert_memory_equal(&u, &keep, sizeof(u));

	/* disabled: 0 even with the right password; back after enabling */
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_set_disabled(f->c, "tst", "alex", true), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "alex", PW, &u), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_get(f->c, "tst", id, &u), 1);
	assert_true(u.disabled);
	assert_int_equal(user_set_disabled(f->c, "tst", "alex", false), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "alex", PW, &u), 1);
}

/* A user added with no password (the demo's generated workforce) is on
 * the list but cannot sign in, whatever is typed; setting a password
 * lets them. */
static void no_password_no_sign_in(void **state)
{
	struct fixture *f = *state;
	char err[200];
	int64_t id;
	struct user u;
	assert_int_equal(add(f->c, "tst", "staff.only", ROLE_SOCIAL_WORKER, 0,
			     1, NULL, &id, err, sizeof(err)), 0);
	char h[PASSWORD_HASH_MAX];
	stored_hash(f->c, "staff.only", h);
	assert_string_equal(h, PASSWORD_NONE);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "staff.only", "", &u),
			 0);
	assert_int_equal(user_authenticate(f->c, NULL, "staff.only",
					   PASSWORD_NONE, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "staff.only", PW, &u),
			 0);
	assert_false(password_verify(PASSWORD_NONE, PASSWORD_NONE));
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_get(f->c, "tst", id, &u), 1);
	assert_false(u.disabled);
}

static void rehash_on_sign_in(void **state)
{
	struct fixture *f = *state;
	char err[200], old[PASSWORD_HASH_MAX], now[PASSWORD_HASH_MAX];
	struct user u;
	assert_int_equal(add(f->c, "tst", "robin", ROLE_IRO, 0, 0, PW, NULL,
			     err, sizeof(err)), 0);
	/* plant a hash made with other parameters */
	assert_int_equal(crypto_pwhash_str_alg(old, PW, strlen(PW), 2,
			 crypto_pwhash_MEMLIMIT_MIN,
			 crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_true(password_needs_rehash(old));
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec(f->c, &st_set_hash, NULL, "robin", old),
			 DB_DONE);

	/* inside a caller's transaction: signs in, no rehash */
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(db_begin(f->c, DB_TX_READ), DB_OK);
	assert_int_equal(user_authenticate(f->c, NULL, "robin", PW, &u), 1);
	db_rollback(f->c);
	stored_hash(f->c, "robin", now);
	assert_string_equal(now, old);

	/* outside: rehashed to the current cost, still the same password */
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "robin", PW, &u), 1);
	assert_false(db_in_tx(f->c));
	stored_hash(f->c, "robin", now);
	assert_string_not_equal(now, old);
	assert_false(password_needs_rehash(now));
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "robin", PW, &u), 1);
	assert_int_equal(user_authenticate(f->c, NULL, "robin", "wrong password!", &u),
			 0);
}

struct list_acc {
	int n;
	int stop_at;
	int64_t ids[8];
};

static int list_cb(const struct user *u, void *arg)
{
	struct list_acc *a = arg;
	a->ids[a->n++] = u->user_id;
	return a->n == a->stop_at ? 42 : 0;
}

static void list(void **state)
{
	struct fixture *f = *state;
	char err[200];
	assert_int_equal(add(f->c, "tst", "l.one", ROLE_IRO, 0, 0, PW, NULL,
			     err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "tst", "l.two", ROLE_ANALYST, 0, 0, PW,
			     NULL, err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "oth", "l.three", ROLE_IRO, 0, 0, PW, NULL,
			     err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "tst", "l.four", ROLE_COUNCILLOR, 0, 0, PW,
			     NULL, err, sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_set_disabled(f->c, "tst", "l.two", true), 0);
	db_set_role(f->c, RB_ADMIN);
	struct list_acc a = {0, 0, {0}};
	assert_int_equal(user_list(f->c, "tst", list_cb, &a), 0);
	assert_int_equal(a.n, 3); /* disabled included, other council not */
	assert_int_equal(a.ids[0], 1);
	assert_int_equal(a.ids[1], 2);
	assert_int_equal(a.ids[2], 3);
	struct list_acc b = {0, 2, {0}};
	assert_int_equal(user_list(f->c, "tst", list_cb, &b), 42);
	assert_int_equal(b.n, 2);
	struct list_acc e = {0, 0, {0}};
	assert_int_equal(user_list(f->c, "nope", list_cb, &e), 0);
	assert_int_equal(e.n, 0);
}

static void disable_ends_sessions_and_tokens(void **state)
{
	struct fixture *f = *state;
	char err[200], tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	char api[TOKEN_LEN + 1];
	int64_t id, tid;
	struct session s;
	struct user u;
	assert_int_equal(add(f->c, "tst", "dana", ROLE_FRONT_DOOR, 0, 0, PW,
			     &id, err, sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(session_create(f->c, "tst", id, 1000, tok, csrf), 0);
	assert_int_equal(apitoken_create(f->c, "tst", id, FUTURE, api, &tid), 0);

	/* unknown user */
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_set_disabled(f->c, "tst", "nobody", true),
			 USER_ENOTFOUND);
	assert_int_equal(user_set_disabled(f->c, "oth", "dana", true),
			 USER_ENOTFOUND);
	/* in the caller's transaction, rolled back: nothing happened */
	assert_int_equal(db_begin(f->c, DB_TX_WRITE), DB_OK);
	assert_int_equal(user_set_disabled(f->c, "tst", "dana", true), 0);
	assert_true(db_in_tx(f->c));
	db_rollback(f->c);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 1);
	assert_int_equal(apitoken_lookup(f->c, api, NOW, &u), 1);

	/* its own transaction: sessions gone, tokens revoked */
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_set_disabled(f->c, "tst", "dana", true), 0);
	assert_false(db_in_tx(f->c));
	struct db_q *q;
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(db_exec0(f->c, &st_revoked, &q), DB_ROW);
	assert_int_equal(db_col_i64(q, 0), 1);
	while (db_step(q) == DB_ROW)
		;
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 0);
	assert_int_equal(apitoken_lookup(f->c, api, NOW, &u), 0);
	/* re-enabling does not bring the token back */
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_set_disabled(f->c, "tst", "dana", false), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(apitoken_lookup(f->c, api, NOW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "dana", PW, &u), 1);
}

static void set_password(void **state)
{
	struct fixture *f = *state;
	char err[200], tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	int64_t id;
	struct session s;
	struct user u;
	char api[TOKEN_LEN + 1];
	assert_int_equal(add(f->c, "tst", "kim", ROLE_ANALYST, 0, 0, PW, &id,
			     err, sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_create(f->c, "tst", id, 1000, tok, csrf), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(apitoken_create(f->c, "tst", id, FUTURE, api, NULL), 0);

	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_set_password(f->c, "tst", "kim", "too short",
					   err, sizeof(err)), USER_EPASSWORD);
	assert_string_equal(err, "Password must be 12 characters or more");
	assert_int_equal(user_set_password(f->c, "tst", "nobody",
					   "another long password", err,
					   sizeof(err)), USER_ENOTFOUND);
	assert_string_equal(err, "User not found");
	assert_int_equal(user_set_password(f->c, "oth", "kim",
					   "another long password", err,
					   sizeof(err)), USER_ENOTFOUND);
	/* nothing changed yet */
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 1);
	assert_int_equal(user_authenticate(f->c, NULL, "kim", PW, &u), 1);
	assert_int_equal(apitoken_lookup(f->c, api, NOW, &u), 1);

	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(user_set_password(f->c, "tst", "kim",
					   "another long password", err,
					   sizeof(err)), 0);
	assert_string_equal(err, "");
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "kim", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "kim",
					   "another long password", &u), 1);
	assert_int_equal(session_lookup(f->c, tok, 1001, 600, 3600, &s), 0);
	/* finding 8: a new password revokes the user's API tokens too */
	assert_int_equal(apitoken_lookup(f->c, api, NOW, &u), 0);
	/* denied for a non-admin role */
	db_set_role(f->c, RB_SOCIAL_WORKER);
	assert_int_equal(user_set_password(f->c, "tst", "kim",
					   "yet another password", err,
					   sizeof(err)), USER_EDENIED);
}

/* Finding 8: tokens never expired. */
static void api_token_expiry(void **state)
{
	struct fixture *f = *state;
	char err[200], tok[TOKEN_LEN + 1];
	int64_t id;
	struct user u;
	assert_int_equal(add(f->c, "tst", "lee", ROLE_ANALYST, 0, 0, PW, &id,
			     err, sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_SYSTEM);
	int64_t now = NOW;
	assert_int_equal(apitoken_create(f->c, "tst", id, now + 100, tok, NULL), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(apitoken_lookup(f->c, tok, now, &u), 1);
	assert_int_equal(apitoken_lookup(f->c, tok, now + 99, &u), 1);
	assert_int_equal(apitoken_lookup(f->c, tok, now + 100, &u), 0);
	assert_int_equal(apitoken_lookup(f->c, tok, now + 86400, &u), 0);
}

/* A username is unique within a council, not across councils (D26):
 * two councils may each have "sam"; looked up or signed in without a
 * council, the shared name names nobody; with the council, that
 * council's user. */
static void same_name_two_councils(void **state)
{
	struct fixture *f = *state;
	char err[200];
	int64_t a, b;
	struct user u;
	assert_int_equal(add(f->c, "tst", "sam", ROLE_IRO, 0, 0, PW, &a, err,
			     sizeof(err)), 0);
	assert_int_equal(add(f->c, "oth", "sam", ROLE_ANALYST, 0, 0, PW "2", &b,
			     err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "oth", "sam", ROLE_IRO, 0, 0, PW, &b, err,
			     sizeof(err)), USER_EEXISTS);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_find(f->c, NULL, "sam", &u), 2);
	assert_int_equal(user_find(f->c, "oth", "sam", &u), 1);
	assert_string_equal(u.council, "oth");
	assert_int_equal(u.role, ROLE_ANALYST);
	assert_int_equal(user_find(f->c, "nope", "sam", &u), 0);
	/* sign-in: the council decides; without it the name is unknown */
	memset(&u, 0, sizeof(u));
	assert_int_equal(user_authenticate(f->c, NULL, "sam", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, NULL, "sam", PW "2", &u), 0);
	assert_int_equal(user_authenticate(f->c, "tst", "sam", PW, &u), 1);
	assert_string_equal(u.council, "tst");
	assert_int_equal(user_authenticate(f->c, "oth", "sam", PW, &u), 0);
	assert_int_equal(user_authenticate(f->c, "oth", "sam", PW "2", &u), 1);
	assert_string_equal(u.council, "oth");
	/* a name only one council has still needs no council */
	assert_int_equal(add(f->c, "oth", "solo", ROLE_IRO, 0, 0, PW, &b, err,
			     sizeof(err)), 0);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(user_authenticate(f->c, NULL, "solo", PW, &u), 1);
	assert_string_equal(u.council, "oth");
	assert_int_equal(user_authenticate(f->c, "tst", "solo", PW, &u), 0);
}

static void api_tokens(void **state)
{
	struct fixture *f = *state;
	char err[200], t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1], t3[TOKEN_LEN + 1];
	char bad[TOKEN_LEN + 1];
	int64_t a, b, id1, id2, id3;
	struct user u;
	assert_int_equal(add(f->c, "tst", "svc.one", ROLE_ANALYST, 0, 0, PW, &a,
			     err, sizeof(err)), 0);
	assert_int_equal(add(f->c, "oth", "svc.two", ROLE_ANALYST, 0, 0, PW, &b,
			     err, sizeof(err)), 0);
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(apitoken_create(f->c, "tst", a, FUTURE, t1, &id1), 0);
	assert_int_equal(apitoken_create(f->c, "tst", a, FUTURE, t2, &id2), 0);
	assert_int_equal(apitoken_create(f->c, "oth", b, FUTURE, t3, &id3), 0);
	assert_int_equal(id1, 1);
	assert_int_equal(id2, 2);
	assert_int_equal(id3, 1); /* per council */
	assert_string_not_equal(t1, t2);
	/* a user of another council, or no such user */
	assert_int_equal(apitoken_create(f->c, "oth", a + 5, FUTURE, bad, NULL),
			 USER_ENOTFOUND);
	assert_string_equal(bad, "");
	/* a role that may not issue tokens */
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(apitoken_create(f->c, "tst", a, FUTURE, bad, NULL),
			 USER_EDENIED);

	assert_int_equal(apitoken_lookup(f->c, t1, NOW, &u), 1);
	assert_string_equal(u.username, "svc.one");
	assert_string_equal(u.council, "tst");
	assert_int_equal(apitoken_lookup(f->c, t3, NOW, &u), 1);
	assert_string_equal(u.username, "svc.two");
	/* tampered, short, NULL, the stored hash itself */
	memcpy(bad, t1, sizeof(bad));
	bad[0] = bad[0] == 'Q' ? 'R' : 'Q';
	assert_int_equal(apitoken_lookup(f->c, bad, NOW, &u), 0);
	bad[0] = t1[0];
	bad[TOKEN_LEN - 1] = '\0';
	assert_int_equal(apitoken_lookup(f->c, bad, NOW, &u), 0);
	assert_int_equal(apitoken_lookup(f->c, NULL, NOW, &u), 0);
	char h[TOKEN_HASH_LEN + 1];
	token_hash(t1, h);
	assert_int_equal(apitoken_lookup(f->c, h, NOW, &u), 0);

	/* revoke: that token stops, the other keeps working */
	db_set_role(f->c, RB_ADMIN);
	assert_int_equal(apitoken_revoke(f->c, "tst", id1), 0);
	assert_int_equal(apitoken_revoke(f->c, "tst", id1), USER_ENOTFOUND);
	assert_int_equal(apitoken_revoke(f->c, "tst", 99), USER_ENOTFOUND);
	db_set_role(f->c, DB_ROLE_AUTH);
	assert_int_equal(apitoken_lookup(f->c, t1, NOW, &u), 0);
	assert_int_equal(apitoken_lookup(f->c, t2, NOW, &u), 1);
	assert_int_equal(apitoken_revoke(f->c, "tst", id2), USER_EDENIED);

	/* a disabled user's tokens do not work, and it gets no new ones */
	db_set_role(f->c, DB_ROLE_SYSTEM);
	assert_int_equal(user_set_disabled(f->c, "oth", "svc.two", true), 0);
	assert_int_equal(apitoken_lookup(f->c, t3, NOW, &u), 0);
	assert_int_equal(apitoken_create(f->c, "oth", b, FUTURE, bad, NULL),
			 USER_ENOTFOUND);
}

static void error_names(void **state)
{
	(void)state;
	for (int e = 0; e > -USER_ERR__MAX; e--)
		assert_string_not_equal(user_strerror(e), "unknown user error");
	assert_string_equal(user_strerror(-USER_ERR__MAX), "unknown user error");
	assert_string_equal(user_strerror(3), "unknown user error");
	assert_string_equal(user_strerror(USER_EEXISTS), "username taken");
}

int main(void)
{
	if (password_init() != 0)
		return 1;
	password_set_cost(PASSWORD_COST_MIN);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_shape),
		T(add_and_get),
		T(add_rejects),
		T(add_roles),
		T(authenticate),
		T(no_password_no_sign_in),
		T(rehash_on_sign_in),
		T(list),
		T(disable_ends_sessions_and_tokens),
		T(set_password),
		T(same_name_two_councils),
		T(api_tokens),
		T(api_token_expiry),
		cmocka_unit_test(error_names),
	};
#undef T
	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
