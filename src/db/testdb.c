/* testdb.c: see testdb.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/testdb.h"
#include "db/db.h"

static bool on_postgres(void)
{
	const char *e = getenv("CAIRN_TEST_DB");
	return e != NULL && strcmp(e, "postgres") == 0;
}

static void pg_atexit(void)
{
	testdb_pg_stop();
}

/* A new empty database in this process's cluster (started at the first
 * call), its URI into out. */
static void pg_path(char *out, size_t n)
{
	static int started, seq;
	if (!started) {
		char uri[256];
		int rc = testdb_pg_start(uri, sizeof(uri));
		if (rc == 77) {
			printf("CAIRN_TEST_DB=postgres, but PostgreSQL is not "
			       "installed: skipped\n");
			exit(77);
		}
		if (rc != 0)
			fail_msg("cannot start PostgreSQL");
		started = 1;
		atexit(pg_atexit);
	}
	char name[32], uri[256];
	snprintf(name, sizeof(name), "t%d", ++seq);
	if (testdb_pg_createdb(name, uri, sizeof(uri)) != 0)
		fail_msg("cannot create database %s", name);
	if (strlen(uri) >= n)
		fail_msg("the test's path buffer (%zu) is too small for %s",
			 n, uri);
	snprintf(out, n, "%s", uri);
}

/* Runs constant SQL on the database at uri; fails the test on error. */
static PGresult *pg_run(const char *uri, const char *sql)
{
	PGconn *h = PQconnectdb(uri);
	if (PQstatus(h) != CONNECTION_OK) {
		fail_msg("%s", PQerrorMessage(h));
	}
	PQclear(PQexec(h, "SET client_min_messages = warning"));
	PGresult *r = PQexec(h, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		char m[512];
		snprintf(m, sizeof(m), "%s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(h);
		fail_msg("%s", m);
	}
	PQfinish(h);
	return r;
}

void testdb_path(char *out, size_t n, const char *name)
{
	if (on_postgres())
		pg_path(out, n);
	else
		snprintf(out, n, "/tmp/cairn-%s-%d.db", name, (int)getpid());
}

void testdb_remove(const char *path)
{
	char p[512];
	if (db_is_uri(path)) {
		/* emptied, not dropped: the same URI names an empty
		 * database again, as a removed file does */
		PQclear(pg_run(path, "DROP SCHEMA public CASCADE;"
				     " CREATE SCHEMA public"));
		return;
	}
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

void testdb_exec(const char *path, const char *sql)
{
	if (db_is_uri(path)) {
		PQclear(pg_run(path, sql));
		return;
	}
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err ? err : "sqlite error");
	sqlite3_close(h);
}

int64_t testdb_count(const char *path, const char *sql)
{
	if (db_is_uri(path)) {
		PGresult *r = pg_run(path, sql);
		assert_true(PQntuples(r) > 0);
		int64_t v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return v;
	}
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(h));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

#ifndef CAIRN_SOURCE_ROOT
#define CAIRN_SOURCE_ROOT "."
#endif

static char pg_dir[64];

/* Runs scripts/pg-tmp with args, its first output line into out.
 * Returns the script's exit status (-1 when it did not run). */
static int pg_tmp(const char *args, char *out, size_t n)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "'%s/scripts/pg-tmp' %s",
		 CAIRN_SOURCE_ROOT, args);
	FILE *f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	char line[512] = "";
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	int st = pclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (out != NULL)
		snprintf(out, n, "%s", line);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int testdb_pg_start(char *uri, size_t n)
{
	snprintf(pg_dir, sizeof(pg_dir), "/tmp/cairn-pg-XXXXXX");
	if (mkdtemp(pg_dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	char args[160];
	snprintf(args, sizeof(args), "start %s %d", pg_dir, (int)getpid());
	int rc = pg_tmp(args, uri, n);
	if (rc != 0) {
		if (rc != 77)
			fprintf(stderr, "testdb: scripts/pg-tmp start failed "
				"(%d)\n", rc);
		rmdir(pg_dir);
		pg_dir[0] = '\0';
		return rc == 77 ? 77 : -1;
	}
	return 0;
}

int testdb_pg_createdb(const char *name, char *uri, size_t n)
{
	char args[200];
	snprintf(args, sizeof(args), "createdb %s %s", pg_dir, name);
	return pg_dir[0] && pg_tmp(args, uri, n) == 0 ? 0 : -1;
}

int testdb_pg_createdb_app(const char *name, char *uri, size_t n)
{
	char su[256];
	if (testdb_pg_createdb(name, su, sizeof(su)) != 0)
		return -1;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "DO $$BEGIN CREATE ROLE cairn_app LOGIN; EXCEPTION WHEN"
		 " duplicate_object THEN NULL; END$$;"
		 " ALTER DATABASE \"%s\" OWNER TO cairn_app", name);
	PQclear(pg_run(su, sql));
	/* the same database as the superuser's URI, another user */
	const char *at = strstr(su, "cairn@");
	if (at == NULL)
		return -1;
	snprintf(uri, n, "%.*scairn_app@%s", (int)(at - su), su, at + 6);
	return 0;
}

void testdb_pg_stop(void)
{
	if (pg_dir[0] == '\0')
		return;
	char args[96];
	snprintf(args, sizeof(args), "stop %s", pg_dir);
	pg_tmp(args, NULL, 0);
	pg_dir[0] = '\0';
}
