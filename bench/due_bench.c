/*
 * due_bench.c: what the timescale engine costs (issue 8's targets:
 * `cairn due --rebuild` on the 50,000-child demo under 1 s; the due-item
 * upkeep adds under 1 ms to a write).
 *
 *   ninja -C build bench-due && build/bench-due DB
 *
 * DB is a demo database (it is changed: run it on a copy).  Prints:
 *  - rebuild: due_rebuild over the council when the kept items agree
 *    (the usual case), five runs, each in a transaction rolled back;
 *  - from empty: the same after deleting every item (what `cairn init`
 *    does for a database from before the engine), once;
 *  - upkeep: due_start then due_meet on a contact, as contact_record and
 *    contact_decide call them, 5,000 times inside one open write
 *    transaction, so the time is the engine's statements alone, not the
 *    commit's fsync (which the record's own write pays anyway).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/due.h"
#include "domain/err.h"
#include "rules/uktime.h"

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench-due DB\n");
		return 2;
	}
	struct db *db;
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 5000,
			       .synchronous_full = true};
	if (db_open(argv[1], &o, &db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "bench-due: %s\n", err);
		return 3;
	}
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	struct cal *cal;
	if (due_load_cal(c, "nwd", &cal) != ERR_OK) {
		fprintf(stderr, "bench-due: no council nwd\n");
		return 3;
	}
	struct actor act = actor_system("nwd", uk_clock_now());
	int64_t n = 0, changed = 0;
	double runs[5];
	for (int i = 0; i < 5; i++) {
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (db_begin(c, DB_TX_WRITE) != DB_OK ||
		    due_rebuild(c, &act, cal, &n, &changed) != ERR_OK) {
			fprintf(stderr, "bench-due: rebuild failed\n");
			return 3;
		}
		runs[i] = ms_since(&t0);
		db_rollback(c);
	}
	qsort(runs, 5, sizeof(runs[0]), cmp_double);
	printf("rebuild (items agree): %lld items, %lld rows written; "
	       "best %.0f ms, median %.0f ms, worst %.0f ms\n",
	       (long long)n, (long long)changed, runs[0], runs[2], runs[4]);

	static const struct db_stmt st_wipe = {
		"bench_due_wipe", "DELETE FROM due_item WHERE council = ?1",
		DB_ROLE_SYSTEM,
	};
	struct timespec t0;
	db_begin(c, DB_TX_WRITE);
	db_exec(c, &st_wipe, NULL, "nwd");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (due_rebuild(c, &act, cal, &n, &changed) != ERR_OK)
		return 3;
	printf("rebuild from empty: %lld rows written in %.0f ms\n",
	       (long long)changed, ms_since(&t0));
	db_rollback(c);

	enum { N = 5000 };
	db_begin(c, DB_TX_WRITE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++) {
		struct cal_time start = {{2026, 11, 2 + i % 20}, 9, i % 60};
		struct cal_time met = {{2026, 11, 3 + i % 20}, 10, 0};
		int64_t id = 900000000 + i;
		if (due_start(c, &act, "R01", cal, "contact", id, 1 + i % 1000,
			      start, NULL) != ERR_OK ||
		    due_meet(c, &act, "R01", cal, "contact", id, met) != ERR_OK) {
			fprintf(stderr, "bench-due: upkeep failed\n");
			return 3;
		}
	}
	double ms = ms_since(&t0);
	db_rollback(c);
	printf("upkeep: due_start + due_meet, %d pairs in %.0f ms: %.1f us "
	       "a written record\n", N, ms, ms * 1000.0 / N);
	cal_free(cal);
	db_release(db, c);
	db_close(db);
	return 0;
}
