/*
 * e2e_audit_test.c: the audit chain through the real command and
 * server, with two councils in one database: `cairn audit verify`
 * prints every council's line, an administrator's /admin/audit shows
 * only their own council, `cairn audit anchor` writes an anchor that
 * `verify --anchor` checks, bad anchor files are usage errors, and an
 * emptied chain is caught.  The tests run in order and the last ones
 * tamper with the database.
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
static char out[64 * 1024];
static char anchor[400];

static int up(void **state)
{
	(void)state;
	if (e2e_server_start(&srv, 20) != 0)
		return -1;
	/* a second council in the same database */
	return e2e_cairn(&srv, NULL, NULL, 0, "demo", "--db", srv.db,
			 "--children", "5", "--seed", "3", "--council", "sec",
			 "--key-file", srv.key, NULL) == 0 ? 0 : -1;
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void every_council_verified(void **state)
{
	(void)state;
	/* each council's chain starts with its genesis row */
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE"
				     " seq = 0 AND action = 'genesis'"), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, NULL), 0);
	assert_non_null(strstr(out, "council nwd: intact; "));
	assert_non_null(strstr(out, "council sec: intact; "));
	assert_non_null(strstr(out, "audit chain intact: 2 councils, "));
	/* the head seq printed is the newest row's */
	char want[64];
	snprintf(want, sizeof(want), "head seq %lld, hash ",
		 e2e_sql_int(&srv, "SELECT max(seq) FROM audit WHERE council = 'sec'"));
	assert_non_null(strstr(strstr(out, "council sec:"), want));
}

static void admin_sees_own_council(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "admin.demo.sec", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/admin/audit"), 200);
	assert_true(e2e_has(&c, "Intact"));
	assert_true(e2e_has(&c, "Council sec"));
	assert_false(e2e_has(&c, "nwd"));
	e2e_client_free(&c);
}

/* Post the sign-in form with an optional council; the status. */
static long sign_in_as(struct e2e_client *c, const char *user,
		       const char *council)
{
	if (e2e_get(c, "/sign-in") != 200)
		return 0;
	char form[512];
	snprintf(form, sizeof(form), "csrf=%s&username=%s&password=%s%s%s"
		 "&next=/", c->csrf, user, DEMO_PASSWORD,
		 council ? "&council=" : "", council ? council : "");
	return e2e_post(c, "/sign-in", form);
}

/* Usernames are unique within a council (D26): both councils may have
 * pat.shared; signing in names the council, and without it the shared
 * name is refused like a wrong password. */
static void same_username_two_councils(void **state)
{
	(void)state;
	assert_int_equal(e2e_cairn(&srv, DEMO_PASSWORD "\n", NULL, 0, "user",
				   "add", "--db", srv.db, "--username",
				   "pat.shared", "--role", "iro", "--council",
				   "nwd", "--password-stdin", NULL), 0);
	assert_int_equal(e2e_cairn(&srv, DEMO_PASSWORD "\n", NULL, 0, "user",
				   "add", "--db", srv.db, "--username",
				   "pat.shared", "--role", "admin", "--council",
				   "sec", "--password-stdin", NULL), 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(sign_in_as(&c, "pat.shared", NULL), 401);
	assert_int_equal(sign_in_as(&c, "pat.shared", "sec"), 303);
	assert_int_equal(e2e_get(&c, "/admin/audit"), 200);
	assert_true(e2e_has(&c, "Council sec"));
	assert_false(e2e_has(&c, "nwd"));
	e2e_client_free(&c);
	e2e_client_init(&c, &srv);
	assert_int_equal(sign_in_as(&c, "pat.shared", "nwd"), 303);
	assert_int_equal(e2e_get(&c, "/admin/audit"), 403);
	e2e_client_free(&c);
	/* a name one council has needs no council, and another's refuses */
	e2e_client_init(&c, &srv);
	assert_int_equal(sign_in_as(&c, "admin.demo.sec", "nwd"), 401);
	assert_int_equal(sign_in_as(&c, "admin.demo.sec", NULL), 303);
	e2e_client_free(&c);
}

static void anchor_and_verify(void **state)
{
	(void)state;
	snprintf(anchor, sizeof(anchor), "%s/anchor.txt", srv.dir);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "anchor", "--db", srv.db, "--out", anchor,
				   NULL), 0);
	/* without --out, the same lines go to stdout */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "anchor", "--db", srv.db, NULL), 0);
	assert_true(strncmp(out, "# cairn audit anchor, written ", 30) == 0);
	char want[128];
	snprintf(want, sizeof(want), "\nsec %lld %lld ",
		 e2e_sql_int(&srv, "SELECT max(seq) FROM audit WHERE council = 'sec'"),
		 e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE council = 'sec'"));
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "\nnwd "));
	/* more activity after the anchor is fine */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "admin.demo", DEMO_PASSWORD));
	e2e_client_free(&c);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, "--anchor", anchor,
				   NULL), 0);
	assert_non_null(strstr(out, "every anchor holds"));
	assert_non_null(strstr(out, "anchored row"));
}

static void bad_anchor_files(void **state)
{
	(void)state;
	char bad[400];
	snprintf(bad, sizeof(bad), "%s/bad-anchor.txt", srv.dir);
	const char *texts[] = {
		"# empty\n",
		"nwd 12 13\n",
		"nwd 12 13 nothex\n",
		("nwd twelve 13 "
		 "0000000000000000000000000000000000000000000000000000000000000000\n"),
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(write_text(bad, texts[i]), 0);
		assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
					   "verify", "--db", srv.db, "--anchor",
					   bad, NULL), 2);
	}
	snprintf(bad, sizeof(bad), "%s/no-such-anchor.txt", srv.dir);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, "--anchor", bad,
				   NULL), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, "--out", bad,
				   NULL), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "check", "--db", srv.db, NULL), 2);
}

/* The newest row of sec deleted and its head copied from the row before
 * (finding c): caught, and anchoring a broken log is refused. */
static void head_pointed_back(void **state)
{
	(void)state;
	assert_int_equal(e2e_sql_exec(&srv,
		"DELETE FROM audit WHERE council = 'sec' AND seq ="
		" (SELECT max(seq) FROM audit WHERE council = 'sec');"
		"UPDATE audit_head SET seq = seq - 1, count = count - 1, hash ="
		" (SELECT hash FROM audit WHERE council = 'sec' AND seq ="
		"  (SELECT max(seq) FROM audit WHERE council = 'sec'))"
		" WHERE council = 'sec';"), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, NULL), 1);
	assert_non_null(strstr(out, "council nwd: intact"));
	assert_non_null(strstr(out, "council sec: BROKEN"));
	assert_non_null(strstr(out, "audit chain BROKEN: council sec"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "anchor", "--db", srv.db, NULL), 1);
	/* the other council's administrator still sees an intact chain */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "admin.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/admin/audit"), 200);
	e2e_client_free(&c);
}

/* Finding (a): every row and head deleted. */
static void emptied_log(void **state)
{
	(void)state;
	assert_int_equal(e2e_sql_exec(&srv, "DELETE FROM audit;"
					    "DELETE FROM audit_head;"), 0);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, NULL), 1);
	assert_non_null(strstr(out, "council nwd: BROKEN"));
	assert_non_null(strstr(out, "council sec: BROKEN"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, "--anchor", anchor,
				   NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_council_verified),
		cmocka_unit_test(admin_sees_own_council),
		cmocka_unit_test(same_username_two_councils),
		cmocka_unit_test(anchor_and_verify),
		cmocka_unit_test(bad_anchor_files),
		cmocka_unit_test(head_pointed_back),
		cmocka_unit_test(emptied_log),
	};
	return cmocka_run_group_tests_name("e2e_audit", tests, up, down);
}
