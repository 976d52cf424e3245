/*
 * migrate_cmd.c: `cairn migrate` (a whole database into another store,
 * SQLite or PostgreSQL, either way) and `cairn backup` (an online copy
 * of a SQLite file).  The copying is db/copy.h's; this file opens the
 * stores, checks what may be done before anything is written, verifies
 * the audit chain on the result and prints a summary of table names
 * and counts, never a value (docs/decisions.md D44).
 */
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "db/copy.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Removes a SQLite file this command made, and the files beside it. */
static void remove_made(const char *path)
{
	static const char *const side[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		unlink(p);
	}
}

/* What copy_run's hooks share: the progress line's kind, and the
 * audit chains' result. */
struct run {
	bool tty;
	struct audit_verify_result res;
};

/* Every council's audit chain on c: 0 when each verifies, else -1 with
 * why.  copy_run's verify hook (in the target's write transaction, so
 * a copy that does not verify is rolled back) and `cairn backup`'s check
 * of its copy. */
static int check_chains(struct db_conn *c, struct audit_verify_result *res,
			char *why, size_t whylen)
{
	if (audit_verify(c, res) != 0) {
		snprintf(why, whylen, "cannot read the audit log: %s",
			 db_errmsg(c));
		return -1;
	}
	if (!res->ok) {
		snprintf(why, whylen, "the audit chain of council %s does not "
			 "verify at seq %lld: %s", res->council,
			 (long long)res->bad_seq, res->reason);
		return -1;
	}
	return 0;
}

static int verify_hook(struct db_conn *c, char *why, size_t whylen, void *arg)
{
	struct run *r = arg;
	return check_chains(c, &r->res, why, whylen);
}

static void table_progress(const char *table, int64_t done, int64_t rows,
			   void *arg)
{
	struct run *b = arg;
	if (!b->tty && done < rows)
		return;
	fprintf(stderr, "%smigrate: %-20s %lld/%lld rows%s",
		b->tty ? "\r" : "", table, (long long)done, (long long)rows,
		b->tty && done < rows ? "   " : "\n");
	fflush(stderr);
}

/* ---- keys ------------------------------------------------------------ */

/* The sealed fields are copied as ciphertext (db/copy.h), so the target
 * needs the key that sealed them.  src_key: --key-file, or the source
 * file's default.  For a SQLite target whose default key file is
 * missing, that key is copied there (0600, never over a file); a key
 * already there must be the same key.  Returns 0, or -1 after saying
 * why.  With `make` false it only checks. */
static int target_key(const char *src_key, const char *to, bool make)
{
	if (src_key == NULL) {
		if (make)
			fprintf(stderr, "cairn migrate: note: no --key-file: "
				"sealed fields (drafts) open only with the key "
				"that sealed them; give the target that key "
				"(%s)\n", db_is_uri(to) ? "the server's key_file"
				: "TARGET.key, mode 0600");
		return 0;
	}
	size_t klen;
	char *key = cli_read_file(src_key, 4096, &klen);
	if (key == NULL) {
		if (!make)
			fprintf(stderr, "cairn migrate: note: no key file %s: "
				"sealed fields (drafts) are copied as they are "
				"and open only with the key that sealed them\n",
				src_key);
		return 0;
	}
	int ret = 0;
	if (db_is_uri(to)) {
		if (make)
			fprintf(stderr, "cairn migrate: sealed fields were "
				"copied as they are: serve the target with "
				"key_file = %s in the server's configuration\n",
				src_key);
		goto out;
	}
	char dst[4200];
	snprintf(dst, sizeof(dst), "%s.key", to);
	size_t dlen;
	char *have = cli_read_file(dst, 4096, &dlen);
	if (have != NULL) {
		if (dlen != klen || memcmp(have, key, klen) != 0) {
			fprintf(stderr, "cairn migrate: %s is not the key of the "
				"source (%s): the copied drafts would not open "
				"with it; move it away first (nothing was "
				"changed)\n", dst, src_key);
			ret = -1;
		}
		free(have);
		goto out;
	}
	if (!make)
		goto out;
	int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, key, klen) != (ssize_t)klen ||
	    fsync(fd) != 0) {
		fprintf(stderr, "cairn migrate: cannot write the key file %s: "
			"%s (copy %s there, mode 0600)\n", dst, strerror(errno),
			src_key);
		ret = -1;
	} else {
		fprintf(stderr, "cairn migrate: copied the server key to %s "
			"(the sealed fields need it)\n", dst);
	}
	if (fd >= 0)
		close(fd);
out:
	memset(key, 0, klen);
	free(key);
	return ret;
}

/* ---- cairn migrate ----------------------------------------------------- */

static const char migrate_usage[] =
	"usage: cairn migrate --from FILE|URI --to FILE|URI [--key-file FILE]\n"
	"Copies a whole database (every council, every table) into another "
	"store, SQLite\nor PostgreSQL, either way: the target is given the "
	"newest schema, then every\nrow is copied in one transaction from one "
	"snapshot of the source, the row counts\nof every table are compared "
	"and every council's audit chain is verified on the\ntarget before "
	"it commits.  The source must be at this program's schema version\n"
	"(run 'cairn init --db SOURCE' first).  A target holding any row is "
	"refused.\nSealed fields (drafts) are copied as ciphertext: they open "
	"with the key that\nsealed them, --key-file FILE (default: the "
	"source file's path + \".key\"); a\nSQLite target is given a copy of "
	"it beside it when it has none.\nA URI is libpq's (postgres://...); "
	"never put a password in it (use ~/.pgpass).";

int cli_migrate(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		puts(migrate_usage);
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "from,to,key-file", "", &o, "migrate") < 0)
		return CLI_USAGE;
	const char *from = cli_opt(&o, "from"), *to = cli_opt(&o, "to");
	if (from == NULL || to == NULL || o.npos > 0) {
		fprintf(stderr, "cairn migrate: --from and --to are required "
			"(see 'cairn migrate --help')\n");
		return CLI_USAGE;
	}
	if (cli_db_has_secret(from) || cli_db_has_secret(to)) {
		fprintf(stderr, "cairn migrate: --from and --to must not carry "
			"a password (every user of this machine can read a "
			"command line): use PostgreSQL's password file\n");
		return CLI_USAGE;
	}
	if (strcmp(from, to) == 0) {
		fprintf(stderr, "cairn migrate: --from and --to name the same "
			"database\n");
		return CLI_USAGE;
	}
	char kbuf[4200];
	const char *src_key = cli_opt(&o, "key-file");
	if (src_key == NULL && !db_is_uri(from)) {
		snprintf(kbuf, sizeof(kbuf), "%s.key", from);
		src_key = kbuf;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	int status = CLI_RUNTIME;
	struct db *sdb = NULL, *tdb = NULL;
	struct db_conn *s = cli_connect(from, true, &sdb), *t = NULL;
	if (s == NULL)
		return CLI_RUNTIME;
	int v = db_schema_version(s);
	if (v != db_schema_latest()) {
		fprintf(stderr, "cairn migrate: %s is at schema version %d, this "
			"program's is %d: %s (nothing was changed)\n", from, v,
			db_schema_latest(), v < db_schema_latest()
				? "run 'cairn init --db SOURCE' with this program "
				  "first"
				: "use the newer program that made it");
		status = CLI_CHECK_FAILED;
		goto out_source;
	}
	if (target_key(src_key, to, false) < 0) {
		status = CLI_CHECK_FAILED;
		goto out_source;
	}
	bool made = !db_is_uri(to) && !file_exists(to);
	t = cli_connect(to, false, &tdb);
	if (t == NULL)
		goto out_source;
	char why[320];
	int rc = copy_target_empty(t, why, sizeof(why));
	if (rc != COPY_OK) {
		fprintf(stderr, "cairn migrate: %s: %s\n", to, why);
		status = rc == COPY_ENOTEMPTY ? CLI_CHECK_FAILED : CLI_RUNTIME;
		goto out_target;
	}
	int vfrom, vto;
	rc = db_migrate(t, &vfrom, &vto);
	if (rc != DB_OK) {
		fprintf(stderr, "cairn migrate: cannot give %s the schema: %s\n",
			to, rc == DB_ESCHEMA ? "it is newer than this program"
					     : db_errmsg(t));
		goto out_target;
	}
	struct run run = {.tty = isatty(2)};
	struct copy_options opt = {.progress = table_progress,
				   .verify = verify_hook, .arg = &run};
	struct copy_report rep;
	rc = copy_run(s, t, &opt, &rep);
	if (rc != COPY_OK) {
		fprintf(stderr, "cairn migrate: %s: %s (nothing was copied)\n",
			copy_strerror(rc), rep.why);
		copy_report_free(&rep);
		status = rc == COPY_EDB || rc == COPY_EDENIED ? CLI_RUNTIME
							      : CLI_CHECK_FAILED;
		goto out_target;
	}
	if (target_key(src_key, to, true) < 0) {
		copy_report_free(&rep);
		goto out_target;
	}
	/* a bulk load's tidy-up (db.h): the copy is already committed, so
	 * a failure here is said and the copy kept */
	if (db_vacuum(t) < 0)
		fprintf(stderr, "cairn migrate: the copy is complete, but the "
			"target's statistics could not be refreshed (%s); "
			"run VACUUM (ANALYZE) on it\n", db_errmsg(t));
	/* the summary: table names and counts only */
	int64_t total = 0;
	printf("%-24s %12s\n", "table", "rows");
	for (size_t i = 0; i < rep.n; i++) {
		printf("%-24s %12lld\n", rep.t[i].name,
		       (long long)rep.t[i].copied);
		total += rep.t[i].copied;
	}
	printf("%-24s %12lld\n", "total", (long long)total);
	printf("%zu tables copied (%s to %s), row counts equal; audit chain "
	       "verified: %lld councils, %lld rows\n", rep.n, db_engine(sdb),
	       db_engine(tdb), (long long)run.res.councils,
	       (long long)run.res.rows);
	fprintf(stderr, "cairn migrate: done in %.1f s\n", seconds_since(&t0));
	copy_report_free(&rep);
	status = CLI_OK;
out_target:
	cli_close(tdb, t);
	if (status != CLI_OK && made)
		remove_made(to);
out_source:
	cli_close(sdb, s);
	return status;
}

/* ---- cairn backup ------------------------------------------------------ */

struct pages_bar {
	bool tty;
	int last;
};

static void pages_progress(int remaining, int total, void *arg)
{
	struct pages_bar *b = arg;
	int pct = total > 0 ? (int)((int64_t)(total - remaining) * 100 / total)
			    : 100;
	if (pct == b->last || (!b->tty && pct != 100))
		return;
	b->last = pct;
	fprintf(stderr, "%sbackup: %3d%% of %d pages%s", b->tty ? "\r" : "",
		pct, total, b->tty && pct < 100 ? "" : "\n");
	fflush(stderr);
}

static const char backup_usage[] =
	"usage: cairn backup --db FILE --to FILE\n"
	"Makes a consistent copy of a SQLite database while it is in use "
	"(SQLite's online\nbackup API, a few megabytes a step: the server "
	"keeps running and writing), then\nchecks the copy: SQLite's "
	"integrity check, the schema, and every council's audit\nchain.  "
	"Never overwrites a file.  The server's key file is not in the copy: "
	"back it\nup apart from the database.  A PostgreSQL database is backed "
	"up with pg_dump or\nbase backups (docs/operations.md).";

int cli_backup(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		puts(backup_usage);
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,to", "", &o, "backup") < 0)
		return CLI_USAGE;
	const char *from = cli_opt(&o, "db"), *to = cli_opt(&o, "to");
	if (from == NULL || to == NULL || o.npos > 0) {
		fprintf(stderr, "cairn backup: --db and --to are required (see "
			"'cairn backup --help')\n");
		return CLI_USAGE;
	}
	if (db_is_uri(from)) {
		fprintf(stderr, "cairn backup: %s is a PostgreSQL database: back "
			"it up with pg_dump -Fc, or with base backups and WAL "
			"archiving (docs/operations.md, \"Backing up "
			"PostgreSQL\")\n", from);
		return CLI_USAGE;
	}
	if (db_is_uri(to)) {
		fprintf(stderr, "cairn backup: --to must be a file (to copy into "
			"PostgreSQL, use 'cairn migrate')\n");
		return CLI_USAGE;
	}
	if (file_exists(to)) {
		fprintf(stderr, "cairn backup: %s exists: not overwriting it\n",
			to);
		return CLI_RUNTIME;
	}
	/* the source must be a Cairn database at a version we know */
	struct db *db;
	struct db_conn *c = cli_connect(from, true, &db);
	if (c == NULL)
		return CLI_RUNTIME;
	int v = db_schema_version(c);
	cli_close(db, c);
	if (v > db_schema_latest()) {
		fprintf(stderr, "cairn backup: %s is newer than this program "
			"(schema %d): use the program that made it\n", from, v);
		return CLI_RUNTIME;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pages_bar bar = {.tty = isatty(2), .last = -1};
	char why[320];
	if (copy_backup(from, to, pages_progress, &bar, why, sizeof(why)) !=
	    COPY_OK) {
		fprintf(stderr, "cairn backup: %s\n", why);
		return CLI_RUNTIME;
	}
	/* the copy, opened as the server would open it */
	c = cli_connect(to, true, &db);
	if (c == NULL)
		return CLI_RUNTIME;
	int status = CLI_OK;
	struct audit_verify_result res;
	if (db_schema_version(c) != v) {
		fprintf(stderr, "cairn backup: the copy's schema version is not "
			"the source's\n");
		status = CLI_CHECK_FAILED;
	} else if (check_chains(c, &res, why, sizeof(why)) != 0) {
		fprintf(stderr, "cairn backup: the copy %s was made, but %s\n",
			to, why);
		status = CLI_CHECK_FAILED;
	} else {
		printf("backup %s: integrity ok, schema version %d, audit chain "
		       "verified: %lld councils, %lld rows\n", to, v,
		       (long long)res.councils, (long long)res.rows);
		fprintf(stderr, "cairn backup: done in %.1f s; the key file is "
			"not in the copy: keep it apart\n", seconds_since(&t0));
	}
	cli_close(db, c);
	return status;
}
