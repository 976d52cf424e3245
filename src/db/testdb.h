/*
 * testdb: temporary SQLite databases for the unit tests (compiled into
 * the test programs only, never into cairn).
 *
 * A test names its file with testdb_path() (/tmp/cairn-NAME-PID.db, so
 * parallel test programs never share one), removes it with
 * testdb_remove() (the file and its -wal and -shm), and reads or changes
 * it behind the store's back with testdb_exec() and testdb_count().
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

#endif
