/* cli_test.c: the environment stands in for --db, --listen and --config
 * (the command line wins), and a password on the command line is
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int clear_env(void **state)
{
	(void)state;
	unsetenv("CAIRN_DB");
	unsetenv("CAIRN_LISTEN");
	unsetenv("CAIRN_CONFIG");
	return 0;
}

static void env_stands_in(void **state)
{
	(void)state;
	struct cli_opts o;
	char *argv[] = {"--listen", "127.0.0.1:1", NULL};
	setenv("CAIRN_DB", "/srv/cairn/env.db", 1);
	setenv("CAIRN_LISTEN", "127.0.0.1:9", 1);
	setenv("CAIRN_CONFIG", "/etc/cairn/cairn.conf", 1);
	assert_int_equal(cli_parse(2, argv, "db,listen,config", "", &o,
				   "serve"), 0);
	assert_string_equal(cli_opt(&o, "db"), "/srv/cairn/env.db");
	/* the command line wins */
	assert_string_equal(cli_opt(&o, "listen"), "127.0.0.1:1");
	assert_string_equal(cli_opt(&o, "config"), "/etc/cairn/cairn.conf");
	/* only for options the command knows */
	assert_int_equal(cli_parse(0, argv, "db", "", &o, "audit"), 0);
	assert_string_equal(cli_opt(&o, "db"), "/srv/cairn/env.db");
	assert_null(cli_opt(&o, "listen"));
	assert_null(cli_opt(&o, "config"));
	/* empty is unset */
	setenv("CAIRN_DB", "", 1);
	assert_int_equal(cli_parse(0, argv, "db", "", &o, "audit"), 0);
	assert_null(cli_opt(&o, "db"));
	clear_env(NULL);
	assert_int_equal(cli_parse(0, argv, "db,listen", "", &o, "serve"), 0);
	assert_null(cli_opt(&o, "db"));
	assert_null(cli_opt(&o, "listen"));
}

static void password_on_command_line_refused(void **state)
{
	(void)state;
	struct cli_opts o;
	char *bad[] = {"--db", "postgres://cairn:s3cret@db.example/cairn"};
	assert_int_equal(cli_parse(2, bad, "db", "", &o, "init"), -1);
	char *bad2[] = {"--db", "host=db dbname=cairn password = s3cret"};
	assert_int_equal(cli_parse(2, bad2, "db", "", &o, "init"), -1);
	char *bad3[] = {"--db", "postgresql://db/cairn?user=c&password=x"};
	assert_int_equal(cli_parse(2, bad3, "db", "", &o, "init"), -1);
	/* no password: a file, a URI with a user only */
	char *ok[] = {"--db", "postgres://cairn@db.example:5432/cairn"};
	assert_int_equal(cli_parse(2, ok, "db", "", &o, "init"), 0);
	char *ok2[] = {"--db", "/var/lib/cairn/cairn.db"};
	assert_int_equal(cli_parse(2, ok2, "db", "", &o, "init"), 0);
	/* an empty --db (a variable that was not set): SQLite would open a
	 * temporary database and the work would vanish */
	char *empty[] = {"--db", ""};
	assert_int_equal(cli_parse(2, empty, "db", "", &o, "demo"), -1);
	/* the same URI from the environment is accepted */
	setenv("CAIRN_DB", bad[1], 1);
	assert_int_equal(cli_parse(0, bad, "db", "", &o, "init"), 0);
	assert_string_equal(cli_opt(&o, "db"), bad[1]);
	clear_env(NULL);
}

static void secret_detection(void **state)
{
	(void)state;
	assert_true(cli_db_has_secret("postgres://u:p@h/d"));
	assert_true(cli_db_has_secret("postgresql://u:p@[::1]:5432/d"));
	assert_true(cli_db_has_secret("dbname=d PASSWORD=x"));
	assert_false(cli_db_has_secret("postgres://u@h/d"));
	assert_false(cli_db_has_secret("postgres://h:5432/d"));
	assert_false(cli_db_has_secret("postgres://h/d?sslmode=require"));
	assert_false(cli_db_has_secret("var/demo.db"));
	assert_false(cli_db_has_secret("/tmp/a:b@c.db"));
	assert_false(cli_db_has_secret(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(env_stands_in, clear_env),
		cmocka_unit_test_setup(password_on_command_line_refused,
				       clear_env),
		cmocka_unit_test(secret_detection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
