/*
 * demo_cmd.c: `cairn demo`: a fictional council for demonstrations,
 * training, tests and benchmarks.
 *
 * Creates (or migrates) the database, the council with its organisations
 * and teams (demo_setup), one demo user per role, then the children
 * (demo_generate), with a progress bar on stderr.  The demo users share
 * one published password, DEMO_PASSWORD: this is a demonstration
 * database and must never hold real data.  Their hashes use the lowest
 * Argon2id cost so that creating them is quick; the first sign-in
 * rehashes at the normal cost (user_authenticate).
 */
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/user.h"
#include "cli/cli.h"
#include "rules/uktime.h"
#include "core/paths.h"
#include "core/str.h"
#include "db/db.h"
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define DEMO_PASSWORD "cairn-demo-password"

static const struct demo_user {
	const char *username;
	const char *name;
	enum role role;
	int org;  /* enum demo_org, 0 none */
	int team; /* enum demo_team, 0 none */
	const char *what; /* in the logins list; NULL: a generated worker,
			   * no password (ensure_staff) */
} demo_users[] = {
	{"fd.demo", "Fola Door", ROLE_FRONT_DOOR, 0, DEMO_TEAM_FRONT_DOOR,
	 "front door officer (MASH)"},
	{"sw.demo", "Sam Worker", ROLE_SOCIAL_WORKER, 0, DEMO_TEAM_ASSESS_1,
	 "social worker, Assessment Team 1"},
	{"sw2.demo", "Priya Worker", ROLE_SOCIAL_WORKER, 0, DEMO_TEAM_ASSESS_2,
	 "social worker, Assessment Team 2"},
	{"sw3.demo", "Tomasz Worker", ROLE_SOCIAL_WORKER, 0, DEMO_TEAM_CIN,
	 "social worker, Children in Need Team"},
	{"tm.demo", "Morgan Manager", ROLE_TEAM_MANAGER, 0, DEMO_TEAM_ASSESS_1,
	 "team manager, Assessment Team 1"},
	{"iro.demo", "Indira Reviewer", ROLE_IRO, 0, 0,
	 "conference chair / independent reviewing officer"},
	{"partner.school", "Sally School", ROLE_PARTNER,
	 DEMO_ORG_PRIMARY_NORTHWOLD, 0,
	 "partner: designated safeguarding lead, Northwold Primary School"},
	{"partner.health", "Harry Health", ROLE_PARTNER,
	 DEMO_ORG_HEALTH_VISITING, 0,
	 "partner: health visitor, Northwold Health Visiting Service"},
	{"partner.police", "Pat Police", ROLE_PARTNER, DEMO_ORG_POLICE, 0,
	 "partner: Northwold Police Public Protection Unit"},
	{"analyst.demo", "Ana Lyst", ROLE_ANALYST, 0, 0, "performance analyst"},
	{"cllr.demo", "Cllr Chris Member", ROLE_COUNCILLOR, 0, 0, "councillor"},
	{"admin.demo", "Alex Admin", ROLE_ADMIN, 0, 0, "administrator"},
};
#define N_DEMO_USERS (int)(sizeof(demo_users) / sizeof(demo_users[0]))

#define DEMO_COUNCIL "nwd"

/* The demo username of du in council: as listed for the first demo
 * council, with ".CODE" added for any other: usernames need only be
 * unique within a council, but distinct ones let a demo's people sign in
 * without choosing their council. */
static void demo_username(const struct demo_user *du, const char *council,
			  char out[80])
{
	if (strcmp(council, DEMO_COUNCIL) == 0)
		snprintf(out, 80, "%s", du->username);
	else
		snprintf(out, 80, "%s.%s", du->username, council);
}

static void print_logins(const char *council)
{
	char name[80];
	printf("\nDemo logins (password for all: %s)\n", DEMO_PASSWORD);
	for (int i = 0; i < N_DEMO_USERS; i++) {
		demo_username(&demo_users[i], council, name);
		printf("  %-15s %s\n", name, demo_users[i].what);
	}
	printf("\n");
}

struct bar {
	int last;
	bool tty;
};

static void progress(int done, int total, void *arg)
{
	struct bar *b = arg;
	int pct = total ? (int)((int64_t)done * 100 / total) : 100;
	if (pct == b->last)
		return;
	if (!b->tty && pct % 25 != 0 && done != total)
		return;
	b->last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "%sdemo: [%s] %3d%% %d/%d children%s", b->tty ? "\r" : "",
		bar, pct, done, total, b->tty && done < total ? "" : "\n");
	fflush(stderr);
}

/* The social workers beyond the demo logins, so that caseloads are a
 * council's (about 20 children a worker: a worker for every 120 or so
 * children of the demo's four years, measured on the demo).  They have
 * no password: allocation lists them, nobody signs in as them. */
#define DEMO_CHILDREN_A_WORKER 120

static const char *const staff_given[] = {
	"Alex", "Bea", "Cal", "Dana", "Eli", "Fern", "Gus", "Hana", "Ivo",
	"Jude", "Kit", "Lena", "Milo", "Nia", "Otto", "Pia", "Quin", "Rosa",
	"Sol", "Tara",
};
static const char *const staff_family[] = {
	"Abbott", "Barker", "Chandra", "Doyle", "Ekwueme", "Fraser", "Gill",
	"Hughes", "Iqbal", "Jensen", "Kowalski", "Lloyd", "Mensah", "Nolan",
	"Okafor", "Price", "Quayle", "Reid", "Shah", "Turner",
};
#define NSTAFF_GIVEN (sizeof(staff_given) / sizeof(staff_given[0]))
#define NSTAFF_FAMILY (sizeof(staff_family) / sizeof(staff_family[0]))

static int ensure_user(struct db_conn *c, const char *council,
		       const struct demo_user *du, int64_t *id, char *err,
		       size_t errlen);

/* The workforce's i-th generated social worker (from 0): a username,
 * a synthetic name, a team; ids[i] its user id. */
static int ensure_staff(struct db_conn *c, const char *council, int n,
			int64_t *ids, char *err, size_t errlen)
{
	static const int teams[] = {DEMO_TEAM_ASSESS_1, DEMO_TEAM_ASSESS_2,
				    DEMO_TEAM_CIN};
	for (int i = 0; i < n; i++) {
		char username[32], name[64];
		snprintf(username, sizeof(username), "sw.g%04d", i + 1);
		size_t g = (size_t)i % NSTAFF_GIVEN;
		size_t f = ((size_t)i / NSTAFF_GIVEN + (size_t)i) % NSTAFF_FAMILY;
		if ((size_t)i < NSTAFF_GIVEN * NSTAFF_FAMILY)
			snprintf(name, sizeof(name), "%s %s", staff_given[g],
				 staff_family[f]);
		else
			snprintf(name, sizeof(name), "%s %s %d", staff_given[g],
				 staff_family[f], i / (int)(NSTAFF_GIVEN *
							     NSTAFF_FAMILY));
		struct demo_user du = {username, name, ROLE_SOCIAL_WORKER, 0,
				       teams[i % 3], NULL};
		if (ensure_user(c, council, &du, &ids[i], err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int ensure_user(struct db_conn *c, const char *council,
		       const struct demo_user *du, int64_t *id, char *err,
		       size_t errlen)
{
	struct user u;
	char name[80];
	demo_username(du, council, name);
	int rc = user_find(c, council, name, &u);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (strcmp(u.council, council) != 0) {
			snprintf(err, errlen, "user %s belongs to another council",
				 name);
			return -1;
		}
		*id = u.user_id;
		return 0;
	}
	struct audit_event ev;
	if (db_begin(c, DB_TX_WRITE) != DB_OK)
		return -1;
	rc = user_add(c, council, name, du->name, du->role, du->org,
		      du->team, du->what ? DEMO_PASSWORD : NULL, id, err,
		      errlen);
	cli_system_event(&ev, council, "create", "user", *id);
	if (rc != 0 || audit_append(c, &ev) != DB_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		return -1;
	}
	return 0;
}

/* Between the demo's stages: the store's statistics refreshed
 * (db_analyze; PostgreSQL only), so that each stage's checks of foreign
 * keys to what the stages before wrote are planned on an index. */
static int refresh_stats(struct db *db, char *err, size_t errlen)
{
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int rc = db_analyze(c);
	if (rc < 0)
		snprintf(err, errlen, "cannot refresh the statistics: %s",
			 db_errmsg(c));
	db_release(db, c);
	return rc < 0 ? -1 : 0;
}

int cli_demo(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			puts("usage: cairn demo --db FILE --children N [--seed S] "
			     "[--today YYYY-MM-DD]\n"
			     "                  [--council CODE] [--codes DIR] "
			     "[--key-file FILE]\n"
			     "       cairn demo --db FILE --print-logins "
			     "[--council CODE]\n"
			     "Fills a new database with a fictional council: "
			     "organisations, teams, one\nuser per role and N "
			     "synthetic children with families, contacts and\n"
			     "referrals over the four years before --today "
			     "(default: today).  The same\nseed and the same "
			     "--today give the same data.  Demo users share a "
			     "published\npassword: never put real data in a demo "
			     "database.  A second council (--council\nCODE) "
			     "may be added to the same database; its users' "
			     "names end in .CODE.");
			return CLI_OK;
		}
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,children,seed,today,council,codes,print-logins,key-file",
		      "print-logins", &o, "demo") < 0)
		return CLI_USAGE;
	const char *db_path = cli_opt(&o, "db");
	if (db_path == NULL) {
		fprintf(stderr, "cairn demo: --db FILE is required\n");
		return CLI_USAGE;
	}
	if (cli_flag(&o, "print-logins") && cli_opt(&o, "children") == NULL) {
		print_logins(cli_opt(&o, "council") ? cli_opt(&o, "council")
						    : DEMO_COUNCIL);
		return CLI_OK;
	}
	int64_t n = 0, seed = 1;
	if (cli_opt(&o, "children") == NULL ||
	    !str_to_i64z(cli_opt(&o, "children"), 1, DEMO_CHILDREN_MAX, &n)) {
		fprintf(stderr, "cairn demo: --children must be a whole number "
			"from 1 to %d\n", DEMO_CHILDREN_MAX);
		return CLI_USAGE;
	}
	if (cli_opt(&o, "seed") &&
	    !str_to_i64z(cli_opt(&o, "seed"), 0, INT64_MAX, &seed)) {
		fprintf(stderr, "cairn demo: --seed must be a whole number\n");
		return CLI_USAGE;
	}
	char today[11];
	uk_date_text(cli_now(&o), today);
	const char *council = cli_opt(&o, "council") ? cli_opt(&o, "council")
						     : DEMO_COUNCIL;
	if (password_init() != 0)
		return CLI_RUNTIME;
	password_set_cost(PASSWORD_COST_MIN);

	struct db *db = NULL;
	char err[512] = "";
	/* Commits are not flushed one by one (SQLite's synchronous=NORMAL,
	 * PostgreSQL's synchronous_commit=off): the demo writes its later
	 * stages a record a transaction, through the domain, and waiting
	 * for the disk on each is time lost on a generated council.  Neither setting can corrupt the store; a power cut
	 * during the demo could lose its last moments, and the demo is made
	 * again by running it again.  The server always flushes (D57). */
	struct db_options dopt = {.pool_size = 1, .busy_timeout_ms = 10000,
				  .synchronous_full = false};
	if (db_open(db_path, &dopt, &db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "cairn demo: %s\n", err);
		return CLI_RUNTIME;
	}
	int ret = CLI_RUNTIME;
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	if (db_migrate(c, &from, &to) != DB_OK) {
		fprintf(stderr, "cairn demo: cannot create the schema in %s\n",
			db_path);
		db_release(db, c);
		goto out;
	}
	db_release(db, c);
	if (cli_make_key(db_path, cli_opt(&o, "key-file"), "demo") < 0)
		goto out;

	/* the code lists: --codes, else the program's own (core/paths.h) */
	char codes_buf[4096];
	const char *codes = cli_opt(&o, "codes");
	if (codes == NULL) {
		char why[8192];
		if (paths_find(PATHS_CODES, codes_buf, sizeof(codes_buf), why,
			       sizeof(why)) < 0) {
			fprintf(stderr, "cairn demo: %s\n", why);
			goto out;
		}
		codes = codes_buf;
	}
	struct bar b = {-1, isatty(2) != 0};
	int64_t ids[N_DEMO_USERS];
	struct demo_options d = {
		.council = council,
		.council_name = strcmp(council, DEMO_COUNCIL) == 0
				? "Northwold (fictional council)"
				: "Southmere (fictional council)",
		.children = (int)n,
		.seed = (uint64_t)seed,
		.codes_dir = codes,
		.today = today,
		.progress = progress,
		.progress_arg = &b,
	};
	int rc = demo_setup(db, &d, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "cairn demo: %s\n", err);
		ret = rc == DEMO_EINVAL ? CLI_USAGE : CLI_RUNTIME;
		goto out;
	}
	c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	for (int i = 0; i < N_DEMO_USERS; i++) {
		if (ensure_user(c, council, &demo_users[i], &ids[i], err,
				sizeof(err)) != 0) {
			fprintf(stderr, "cairn demo: cannot create user %s: %s\n",
				demo_users[i].username, err);
			db_release(db, c);
			goto out;
		}
	}
	db_release(db, c);
	int nstaff = (int)(n / DEMO_CHILDREN_A_WORKER);
	int64_t *workers = calloc((size_t)nstaff + 3, sizeof(*workers));
	if (workers == NULL)
		goto out;
	workers[0] = ids[1];
	workers[1] = ids[2];
	workers[2] = ids[3];
	c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	rc = ensure_staff(c, council, nstaff, workers + 3, err, sizeof(err));
	db_release(db, c);
	if (rc != 0) {
		fprintf(stderr, "cairn demo: cannot create the workforce: %s\n",
			err);
		free(workers);
		goto out;
	}
	d.worker_ids = workers;
	d.n_workers = 3 + nstaff;
	d.front_door_user_id = ids[0];
	d.manager_user_id = ids[4];
	rc = demo_generate(db, &d, err, sizeof(err));
	free(workers);
	if (rc != 0) {
		fprintf(stderr, "cairn demo: %s\n", err);
		ret = rc == DEMO_EINVAL ? CLI_USAGE : CLI_RUNTIME;
		goto out;
	}
	/* the later stages, in order, each after the statistics of what
	 * the stages before wrote */
	static int (*const stages[])(struct db *, const char *, const char *,
				     uint64_t, char *, size_t) = {
		demo_practice, demo_cp, demo_closure, demo_families,
	};
	rc = demo_scrutiny(db, council, today, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < sizeof(stages) / sizeof(*stages);
	     i++) {
		rc = refresh_stats(db, err, sizeof(err));
		if (rc == 0)
			rc = stages[i](db, council, today, (uint64_t)seed, err,
				       sizeof(err));
	}
	if (rc != 0) {
		fprintf(stderr, "cairn demo: %s\n", err);
		ret = CLI_RUNTIME;
		goto out;
	}
	fprintf(stderr, "cairn demo: %lld children in council %s (seed %lld, "
		"today %s)\n", (long long)n, council, (long long)seed, today);
	if (cli_flag(&o, "print-logins"))
		print_logins(council);
	ret = CLI_OK;
out:
	db_close(db);
	return ret;
}
