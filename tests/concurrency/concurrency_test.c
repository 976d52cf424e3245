/*
 * concurrency_test.c: several server processes writing one store at once
 * (issue 10 §1, D43).
 *
 *     test-concurrency sqlite|postgres
 *
 * PROCS processes (fork; each opens its own pool after the fork, as a
 * `cairn serve` would) of THREADS threads each create children and
 * contacts through the real domain functions (child_create,
 * contact_record), ITERS of each a thread, for two councils at once,
 * each thread acting for its council as the request pipeline does
 * (role and db_set_council).  Every create the store acknowledged is
 * reported to the parent through a pipe.  Afterwards the parent checks:
 * no create failed (a colliding id would fail its insert), no two
 * acknowledged creates share an id, every acknowledged create is in the
 * store and nothing else is, every create has its audit row, and each
 * council's audit chain verifies.
 *
 * On PostgreSQL the store is a throwaway cluster (scripts/pg-tmp) and
 * the database belongs to an ordinary role, so row-level security holds
 * every connection; on SQLite it is a file the processes share.  Exits
 * 0 when every check holds, 77 (skipped) when PostgreSQL is not
 * installed, 1 otherwise, saying which check failed.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/user.h"
#include "child/child.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/testdb.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "referral/contact.h"
#include "rules/uktime.h"

#define PROCS 3
#define THREADS 3
#define ITERS 8
#define NCOUNCILS 2
#define MAX_ACKS (PROCS * THREADS * ITERS * 2)

static const char *const councils[NCOUNCILS] = {"ca", "cb"};
static int64_t users[NCOUNCILS];
static char path[512];
static int ack_fd = -1; /* the pipe's write end, in a worker process */

static int failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "FAILED: " __VA_ARGS__);           \
			fputc('\n', stderr);                               \
			failed = 1;                                        \
		}                                                          \
	} while (0)

static struct db *open_pool(int size)
{
	struct db *db = NULL;
	char err[256];
	struct db_options o = {.pool_size = size, .busy_timeout_ms = 20000,
			       .synchronous_full = false};
	if (db_open(path, &o, &db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "db_open: %s\n", err);
		exit(1);
	}
	return db;
}

DB_STMT(st_conc_council) = {
	"test_conc_council",
	"INSERT INTO council (council, name) VALUES (?1, ?1)",
	DB_ROLE_SYSTEM,
};

/* The councils, their audit chains' genesis and a front-door user each,
 * before any worker starts. */
static void seed(void)
{
	struct db *db = open_pool(1);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	char err[256];
	if (db_migrate(c, &from, &to) != DB_OK) {
		fprintf(stderr, "migrate failed: %s\n", db_errmsg(c));
		exit(1);
	}
	for (int i = 0; i < NCOUNCILS; i++) {
		if (db_begin(c, DB_TX_WRITE) != DB_OK ||
		    db_exec(c, &st_conc_council, NULL, councils[i]) != DB_DONE ||
		    audit_genesis(c, councils[i]) != DB_OK ||
		    user_add(c, councils[i], "front.door", "Front Door",
			     ROLE_FRONT_DOOR, 0, 0, "a long test password",
			     &users[i], err, sizeof(err)) != 0 ||
		    db_commit(c) != DB_OK) {
			fprintf(stderr, "seed failed: %s\n", db_errmsg(c));
			exit(1);
		}
	}
	db_release(db, c);
	db_close(db);
}

struct worker {
	struct db *db;
	int proc, thread;
};

static pthread_mutex_t ack_mu = PTHREAD_MUTEX_INITIALIZER;

/* Tells the parent of one acknowledged create ('C' child, 'K' contact)
 * or of a failure ('F'). */
static void ack(char kind, int council, int64_t id)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%c %d %lld\n", kind, council,
			 (long long)id);
	pthread_mutex_lock(&ack_mu);
	if (write(ack_fd, line, (size_t)n) != n)
		abort();
	pthread_mutex_unlock(&ack_mu);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	/* noon in England on a fixed day: synthetic, and the contacts'
	 * receipt that morning */
	int64_t now = uk_to_instant((struct cal_time){{2024, 6, 12}, 12, 0});
	for (int i = 0; i < ITERS; i++) {
		int k = (w->proc + w->thread + i) % NCOUNCILS;
		struct db_conn *c = db_acquire(w->db);
		db_set_role(c, RB_FRONT_DOOR);
		db_set_council(c, councils[k]);
		struct actor act = {
			.council = councils[k], .user_id = users[k],
			.username = "front.door", .role = role_id(ROLE_FRONT_DOOR),
			.request_id = "conc", .ip = "127.0.0.1",
		};
		actor_at(&act, now);
		struct child_ctx x = {.act = &act};
		struct arena *a = arena_new(1u << 20);
		char given[32];
		snprintf(given, sizeof(given), "Test%c%c%c",
			 'A' + w->proc, 'A' + w->thread, 'A' + i);
		struct child_input in = {
			.given_name = given, .family_name = "Synthetic",
			.dob_status = CHILD_DOB_KNOWN, .dob = "2017-05-01",
			.gender = "1",
		};
		struct field_errors e = {0};
		int64_t child = 0, contact = 0;
		int rc = child_create(c, &x, a, &in, true, &child, NULL, NULL,
				      NULL, &e);
		if (rc == ERR_OK) {
			ack('C', k, child);
			struct contact_input ci = {
				.source = "2A",
				.referrer_name = "Ms Example Teacher",
				.referrer_org = "Example Primary School",
				.received_at = "2024-06-12T09:00",
				.worry = "Synthetic worry for a load test.",
				.referrer_phone = "01632 960 001",
				.referrer_email = "teacher@example.org",
				.family_consent = "agreed",
			};
			struct field_errors e2 = {0};
			rc = contact_record(c, &act, NULL, child, &ci, &contact,
					    &e2);
			if (rc == ERR_OK)
				ack('K', k, contact);
			else
				ack('F', k, rc);
		} else {
			ack('F', k, rc);
		}
		arena_free(a);
		db_release(w->db, c);
	}
	return NULL;
}

/* One worker process: its own pool, THREADS threads. */
static void run_process(int proc)
{
	struct db *db = open_pool(THREADS);
	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int t = 0; t < THREADS; t++) {
		w[t] = (struct worker){.db = db, .proc = proc, .thread = t};
		if (pthread_create(&th[t], NULL, work, &w[t]) != 0)
			_exit(1);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	db_close(db);
}

struct acks {
	int64_t id[NCOUNCILS][MAX_ACKS];
	int n[NCOUNCILS];
};

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

DB_STMT(st_conc_child) = {
	"test_conc_child",
	"SELECT count(*) FROM child WHERE council = ?1 AND child_id = ?2",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_conc_contact) = {
	"test_conc_contact",
	"SELECT count(*) FROM contact WHERE council = ?1 AND contact_id = ?2",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_conc_children) = {
	"test_conc_children",
	"SELECT count(*) FROM child WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_conc_contacts) = {
	"test_conc_contacts",
	"SELECT count(*) FROM contact WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_conc_audited) = {
	"test_conc_audited",
	"SELECT count(*) FROM audit WHERE council = ?1 AND entity = 'child'"
	" AND action = 'create'",
	DB_ROLE_SYSTEM,
};

static int64_t one(struct db_conn *c, const struct db_stmt *st,
		   const char *council, int64_t id, bool with_id)
{
	struct db_q *q;
	int rc = with_id ? db_exec(c, st, &q, council, id)
			 : db_exec(c, st, &q, council);
	if (rc != DB_ROW) {
		fprintf(stderr, "%s: %s\n", st->name, db_errmsg(c));
		exit(1);
	}
	int64_t v = db_col_i64(q, 0);
	db_done(q);
	return v;
}

/* Checks one kind of record against what the workers were told. */
static void check_kind(struct db_conn *c, const char *what, struct acks *k,
		       const struct db_stmt *st_one,
		       const struct db_stmt *st_all)
{
	for (int i = 0; i < NCOUNCILS; i++) {
		qsort(k->id[i], (size_t)k->n[i], sizeof(int64_t), cmp_i64);
		for (int j = 1; j < k->n[i]; j++)
			CHECK(k->id[i][j] != k->id[i][j - 1],
			      "%s %s id %lld acknowledged twice", councils[i],
			      what, (long long)k->id[i][j]);
		for (int j = 0; j < k->n[i]; j++)
			CHECK(one(c, st_one, councils[i], k->id[i][j], true) == 1,
			      "%s %s %lld acknowledged but lost", councils[i],
			      what, (long long)k->id[i][j]);
		int64_t rows = one(c, st_all, councils[i], 0, false);
		CHECK(rows == k->n[i], "%s: %lld %s rows, %d acknowledged",
		      councils[i], (long long)rows, what, k->n[i]);
		printf("%s: %d %s created and found\n", councils[i], k->n[i],
		       what);
	}
}

static void audit_cb(const struct audit_chain *ch, void *arg)
{
	(void)arg;
	printf("%s: audit chain %s, %lld rows\n", ch->council,
	       ch->ok ? "verifies" : ch->reason, (long long)ch->rows);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "sqlite") != 0 &&
			  strcmp(argv[1], "postgres") != 0)) {
		fprintf(stderr, "usage: test-concurrency sqlite|postgres\n");
		return 2;
	}
	if (password_init() != 0)
		return 1;
	if (strcmp(argv[1], "postgres") == 0) {
		char su[512];
		int rc = testdb_pg_start(su, sizeof(su));
		if (rc == 77) {
			printf("PostgreSQL is not installed: skipped\n");
			return 77;
		}
		if (rc != 0 ||
		    testdb_pg_createdb_app("conc", path, sizeof(path)) != 0) {
			testdb_pg_stop();
			return 1;
		}
	} else {
		snprintf(path, sizeof(path), "/tmp/cairn-conc-%d.db",
			 (int)getpid());
		testdb_remove(path);
	}
	seed();

	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	pid_t pids[PROCS];
	for (int p = 0; p < PROCS; p++) {
		fflush(NULL);
		pids[p] = fork();
		if (pids[p] < 0)
			return 1;
		if (pids[p] == 0) {
			close(fds[0]);
			ack_fd = fds[1];
			run_process(p);
			_exit(0);
		}
	}
	close(fds[1]);
	static struct acks children, contacts;
	int failures = 0;
	FILE *in = fdopen(fds[0], "r");
	char line[64];
	while (in && fgets(line, sizeof(line), in)) {
		char kind;
		int k;
		long long id;
		if (sscanf(line, "%c %d %lld", &kind, &k, &id) != 3 || k < 0 ||
		    k >= NCOUNCILS)
			continue;
		struct acks *to = kind == 'C' ? &children
				  : kind == 'K' ? &contacts : NULL;
		if (to == NULL) {
			fprintf(stderr, "a create failed in %s: %s\n",
				councils[k], err_name((int)id));
			failures++;
		} else if (to->n[k] < MAX_ACKS) {
			to->id[k][to->n[k]++] = id;
		}
	}
	if (in)
		fclose(in);
	for (int p = 0; p < PROCS; p++) {
		int st = 0;
		waitpid(pids[p], &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "worker process %d ended badly", p);
	}
	CHECK(failures == 0, "%d creates failed", failures);
	int total = 0;
	for (int i = 0; i < NCOUNCILS; i++)
		total += children.n[i];
	CHECK(total == PROCS * THREADS * ITERS, "%d of %d children created",
	      total, PROCS * THREADS * ITERS);

	struct db *db = open_pool(1);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	check_kind(c, "children", &children, &st_conc_child, &st_conc_children);
	check_kind(c, "contacts", &contacts, &st_conc_contact, &st_conc_contacts);
	for (int i = 0; i < NCOUNCILS; i++)
		CHECK(one(c, &st_conc_audited, councils[i], 0, false) ==
			      children.n[i],
		      "%s: not every child's creation is audited", councils[i]);
	struct audit_verify_result res;
	CHECK(audit_verify_chains(c, NULL, NULL, 0, audit_cb, NULL, &res) ==
		      DB_OK && res.ok && res.councils == NCOUNCILS,
	      "the audit chains do not verify (%s: %s)", res.council,
	      res.reason);
	db_release(db, c);
	db_close(db);
	if (db_is_uri(path))
		testdb_pg_stop();
	else
		testdb_remove(path);
	printf("%s: %s\n", argv[1], failed ? "FAILED" : "ok");
	return failed;
}
