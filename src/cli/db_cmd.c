/*
 * db_cmd.c: `cairn db statements`, the statement catalogue for the
 * data-protection impact assessment (DPIA), and its `--check`.
 *
 * For each statement a role can reach (db.h allow-lists), the tables it
 * touches and what it does to each, as SQLite's authorizer reports them
 * when the statement is prepared (db_stmt_access): nothing here reads the
 * SQL text.  The statements are prepared against --db FILE, or against a
 * fresh in-memory database migrated to the newest schema.
 */
#include "auth/role.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "core/str.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A role of the report: the eight of role.h, then the two pseudo-roles
 * of db.h. */
#define NROLES (ROLE__MAX + 2)

static unsigned role_bit_of(int i)
{
	return i < ROLE__MAX ? RB(i) : i == ROLE__MAX ? DB_ROLE_SYSTEM
						      : DB_ROLE_AUTH;
}

static const char *role_name_of(int i)
{
	return i < ROLE__MAX ? role_id((enum role)i)
	       : i == ROLE__MAX ? "system" : "auth";
}

static const char *role_label_of(int i)
{
	return i < ROLE__MAX ? role_label((enum role)i)
	       : i == ROLE__MAX ? "The command line and internal jobs"
				: "Signing in, before a user is known";
}

/* One statement's tables, each with its operations as a bit set. */
#define TABLES_MAX 16
struct touch {
	int n;
	struct {
		char table[64];
		unsigned ops; /* bit (1 << enum db_access) */
	} t[TABLES_MAX];
};

static int add_touch(const char *table, enum db_access op, void *arg)
{
	struct touch *x = arg;
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->t[i].table, table) == 0) {
			x->t[i].ops |= 1u << op;
			return 0;
		}
	if (x->n == TABLES_MAX)
		return -1;
	snprintf(x->t[x->n].table, sizeof(x->t[0].table), "%s", table);
	x->t[x->n++].ops = 1u << op;
	return 0;
}

/* "read, update" for a set of operations. */
static void ops_text(unsigned ops, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int op = 0; op < DB_ACCESS__MAX; op++)
		if (ops & (1u << op))
			len += (size_t)snprintf(out + len, n - len, "%s%s",
						len ? ", " : "",
						db_access_name((enum db_access)op));
}

static int by_name(const void *a, const void *b)
{
	const struct db_stmt *x = *(const struct db_stmt *const *)a;
	const struct db_stmt *y = *(const struct db_stmt *const *)b;
	return strcmp(x->name, y->name);
}

struct report {
	size_t n;
	const struct db_stmt **st; /* sorted by name */
	struct touch *touch;       /* parallel to st */
	int wname, wtable;         /* column widths */
};

/* Prepares every statement of the catalogue on c with the authorizer
 * watching.  Returns the number that failed (each named on stderr). */
static int report_load(struct db_conn *c, struct report *r)
{
	const struct db_stmt *cat = db_catalogue(&r->n);
	r->st = calloc(r->n ? r->n : 1, sizeof(*r->st));
	r->touch = calloc(r->n ? r->n : 1, sizeof(*r->touch));
	if (r->st == NULL || r->touch == NULL)
		abort();
	for (size_t i = 0; i < r->n; i++)
		r->st[i] = &cat[i];
	qsort(r->st, r->n, sizeof(*r->st), by_name);
	r->wname = 9;
	r->wtable = 5;
	int bad = 0;
	for (size_t i = 0; i < r->n; i++) {
		int rc = db_stmt_access(c, r->st[i], add_touch, &r->touch[i]);
		if (rc != 0) {
			fprintf(stderr, "cairn db statements: %s does not "
				"prepare: %s\n", r->st[i]->name,
				rc == -1 ? "touches too many tables"
					 : db_errmsg(c));
			bad++;
			continue;
		}
		int w = (int)strlen(r->st[i]->name);
		if (w > r->wname)
			r->wname = w;
		for (int k = 0; k < r->touch[i].n; k++) {
			w = (int)strlen(r->touch[i].t[k].table);
			if (w > r->wtable)
				r->wtable = w;
		}
	}
	return bad;
}

static void report_free(struct report *r)
{
	free(r->st);
	free(r->touch);
}

static void print_table(const struct report *r, int role)
{
	unsigned bit = role_bit_of(role);
	size_t count = 0;
	for (size_t i = 0; i < r->n; i++)
		count += (r->st[i]->roles & bit) != 0;
	printf("%s: %s (%zu statements)\n\n", role_name_of(role),
	       role_label_of(role), count);
	printf("  %-*s  %-*s  %s\n", r->wname, "STATEMENT", r->wtable,
	       "TABLE", "OPERATIONS");
	for (size_t i = 0; i < r->n; i++) {
		if ((r->st[i]->roles & bit) == 0)
			continue;
		const struct touch *t = &r->touch[i];
		if (t->n == 0)
			printf("  %-*s  %-*s  %s\n", r->wname, r->st[i]->name,
			       r->wtable, "-", "-");
		for (int k = 0; k < t->n; k++) {
			char ops[64];
			ops_text(t->t[k].ops, ops, sizeof(ops));
			printf("  %-*s  %-*s  %s\n", r->wname,
			       k == 0 ? r->st[i]->name : "", r->wtable,
			       t->t[k].table, ops);
		}
	}
	printf("\n");
}

/* One CSV line a (role, statement, table, operation). */
static void print_csv(const struct report *r, int role, struct sbuf *o)
{
	unsigned bit = role_bit_of(role);
	for (size_t i = 0; i < r->n; i++) {
		if ((r->st[i]->roles & bit) == 0)
			continue;
		const struct touch *t = &r->touch[i];
		for (int k = 0; k < t->n; k++)
			for (int op = 0; op < DB_ACCESS__MAX; op++) {
				if (!(t->t[k].ops & (1u << op)))
					continue;
				csv_cell(o, role_name_of(role), true);
				csv_cell(o, r->st[i]->name, false);
				csv_cell(o, t->t[k].table, false);
				csv_cell(o, db_access_name((enum db_access)op),
					 false);
				sbuf_adds(o, "\r\n");
			}
	}
}

static int statements(int argc, char **argv)
{
	const char *usage =
		"usage: cairn db statements [--role ROLE] [--db FILE] "
		"[--format table|csv]\n"
		"       cairn db statements --check [--db FILE]\n"
		"Lists, for each statement a role can reach, the tables it "
		"touches and what it\ndoes to each (read, insert, update, "
		"delete), as SQLite reports them when the\nstatement is "
		"prepared: for the data-protection impact assessment.  Without"
		"\n--role, every role in turn (the eight roles, then 'system', "
		"the command line,\nand 'auth', signing in).  The statements "
		"are prepared against --db FILE, or\nagainst a new in-memory "
		"database at the newest schema.\n"
		"--check prepares every statement and checks the catalogue "
		"(unique names):\nexit 0 when all prepare, 1 naming each that "
		"does not.";
	if (cli_wants_help(argc, argv)) {
		puts(usage);
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "role,db,format,check", "check", &o,
		      "db statements") < 0)
		return CLI_USAGE;
	if (o.npos) {
		fprintf(stderr, "cairn db statements: unexpected argument "
			"'%s'\n", o.pos[0]);
		return CLI_USAGE;
	}
	int only = -1;
	const char *role = cli_opt(&o, "role");
	if (role != NULL) {
		for (int i = 0; i < NROLES; i++)
			if (strcmp(role, role_name_of(i)) == 0)
				only = i;
		if (only < 0) {
			fprintf(stderr, "cairn db statements: unknown role "
				"'%s'\n", role);
			return CLI_USAGE;
		}
	}
	const char *format;
	if (cli_format(&o, "db statements",
		       (const char *const[]){"table", "csv", NULL}, &format) < 0)
		return CLI_USAGE;
	bool csv = strcmp(format, "csv") == 0;
	bool check = cli_flag(&o, "check");

	char err[256];
	if (db_catalogue_check(err, sizeof(err)) != 0) {
		fprintf(stderr, "cairn db statements: %s\n", err);
		return CLI_CHECK_FAILED;
	}
	struct db *db;
	const char *path = cli_opt(&o, "db");
	if (path != NULL) {
		if ((db = cli_open_db(path, true)) == NULL)
			return CLI_RUNTIME;
	} else {
		struct db_options dopt = {.pool_size = 1,
					  .busy_timeout_ms = 1000};
		if (db_open(":memory:", &dopt, &db, err, sizeof(err)) != DB_OK) {
			fprintf(stderr, "cairn db statements: %s\n", err);
			return CLI_RUNTIME;
		}
	}
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int from, to;
	if (path == NULL && db_migrate(c, &from, &to) != DB_OK) {
		fprintf(stderr, "cairn db statements: cannot build the schema\n");
		db_release(db, c);
		db_close(db);
		return CLI_RUNTIME;
	}
	struct report r = {0};
	int bad = report_load(c, &r);
	db_release(db, c);
	db_close(db);
	int ret = bad ? CLI_CHECK_FAILED : CLI_OK;
	if (check) {
		if (!bad)
			printf("%zu statements, all prepare\n", r.n);
		report_free(&r);
		return ret;
	}
	struct sbuf out;
	sbuf_init(&out, 64u << 20);
	if (csv)
		sbuf_adds(&out, "role,statement,table,operation\r\n");
	for (int i = 0; i < NROLES; i++) {
		if (only >= 0 && i != only)
			continue;
		if (csv)
			print_csv(&r, i, &out);
		else
			print_table(&r, i);
	}
	if (csv)
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	sbuf_release(&out);
	report_free(&r);
	return ret;
}

int cli_db(int argc, char **argv)
{
	const char *usage =
		"usage: cairn db statements [--role ROLE] [--db FILE] "
		"[--format table|csv] [--check]\n"
		"statements: what each role's statements read and write "
		"(cairn db statements --help)";
	int status;
	if (cli_sub(argc, argv, "db", usage,
		    (const char *const[]){"statements", NULL}, true, &status) < 0)
		return status;
	return statements(argc - 1, argv + 1);
}
