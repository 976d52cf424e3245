/*
 * testdb: temporary SQLite databases for the unit tests (compiled into
 * the test programs only, never into cairn).
 *
 * A test names its file with testdb_path() (/tmp/cairn-NAME-PID.db, so
 * parallel test programs never share one), removes it with
 * testdb_remove() (the file and its -wal and -shm), and reads or changes
 * it behind the store's back with testdb_exec() and testdb_count().
 * testdb_pg_*() start a PostgreSQL cluster for the same purposes.
 *
 * With CAIRN_TEST_DB=postgres in the environment, testdb_path() gives
 * the URI of a new empty database in a cluster the process starts at
 * its first call (and stops at exit), testdb_remove() empties it, and
 * testdb_exec() and testdb_count() run on it: a test written against
 * testdb_* runs on PostgreSQL unchanged, where its SQL is valid there.
 * Without PostgreSQL installed the process exits 77 (skipped).
 * Failures fail the current cmocka test.
 */
#ifndef CAIRN_TESTDB_H
#define CAIRN_TESTDB_H

#include <stddef.h>
#include <stdint.h>

void testdb_path(char *out, size_t n, const char *name);
void testdb_remove(const char *path);
void testdb_exec(const char *path, const char *sql);
/* The first column of the first row of sql, an integer. */
int64_t testdb_count(const char *path, const char *sql);

/*
 * A throwaway PostgreSQL cluster for the test program (scripts/pg-tmp):
 * initdb into a new directory under /tmp, the server on a Unix socket
 * there, run as the `postgres` user when the test runs as root.  It is
 * stopped and removed by testdb_pg_stop(), or by the script's watchdog
 * when this process ends without calling it (a crash, a failed assert).
 *
 * testdb_pg_start returns 0 and the URI of an empty database in uri;
 * 77 when the PostgreSQL server binaries are not installed (the caller
 * skips, saying so); -1 on any other failure (the message is printed).
 * testdb_pg_createdb makes another empty database NAME in the running
 * cluster: 0 and its URI, or -1.  One cluster per process.
 */
int testdb_pg_start(char *uri, size_t n);
int testdb_pg_createdb(const char *name, char *uri, size_t n);
void testdb_pg_stop(void);

/* As testdb_pg_createdb, but the database belongs to an ordinary role
 * (cairn_app: no superuser, no BYPASSRLS), made when missing, and the
 * URI connects as it: row-level security holds such a connection
 * (D43), where it does not hold the cluster's superuser.  0 or -1. */
int testdb_pg_createdb_app(const char *name, char *uri, size_t n);

#endif
