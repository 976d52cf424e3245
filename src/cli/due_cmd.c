/*
 * due_cmd.c: `cairn due`, the timescale engine's items from the command
 * line (domain/due.h).
 *
 *   cairn due --db FILE [--council C] [--as-of YYYY-MM-DD]
 *             [--format table|csv|json] [--rule R01] [--status LIST]
 *             [--open]
 *   cairn due --db FILE [--council C] --rebuild
 *   cairn due --db FILE [--council C] --check
 *
 * The list prints, for each item: the child's id, the rule's id, what it
 * is, the subject record, when the clock started, the due date or time,
 * when it was met, and its status as of --as-of (noon in England that
 * day; default now).  Child ids, never names.  The read is audited: one
 * ("list", "due") row a 2,000 children, in the same transaction.
 *
 * --rebuild deletes the council's items and makes them again from the
 * records.  --check makes them again in a transaction it rolls back and
 * compares with the items kept as the records were written: it prints
 * each difference and exits 1 when there is one.
 *
 * Exit status: 0 done; 1 --check found a difference; 2 usage; 3 the
 * store failed.
 */
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/actor.h"
#include "domain/due.h"
#include "domain/err.h"
#include "assess/assess.h"
#include "referral/backfill.h"
#include "rules/uktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORK_ARENA (512u * 1024 * 1024)
#define ROWS_MAX 100000

static void usage(void)
{
	puts("usage: cairn due --db FILE [--council C] [--as-of YYYY-MM-DD]\n"
	     "                 [--format table|csv|json] [--rule ID]"
	     " [--status LIST] [--open]\n"
	     "       cairn due --db FILE [--council C] --rebuild\n"
	     "       cairn due --db FILE [--council C] --check\n"
	     "Lists the statutory timescales' due items (child id, rule, what,\n"
	     "due, status as of --as-of: met-on-time, met-late, overdue,\n"
	     "due-soon, due); --status takes a comma-separated list of those.\n"
	     "--rebuild makes the items again from the records; --check does\n"
	     "so without saving and reports any difference from the kept ones.");
}

/* Audits the children a list showed: one row a AUDIT_LIST_MAX. */
static int audit_list(struct db_conn *c, const struct actor *act,
		      const struct due_row *v, int n)
{
	int64_t *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof(*ids));
	if (ids == NULL)
		return ERR_NOMEM;
	for (int i = 0; i < n; i++)
		ids[i] = v[i].child_id;
	int rc = ERR_OK;
	for (int i = 0; rc == ERR_OK && (i < n || i == 0); i += AUDIT_LIST_MAX) {
		struct audit_event ev;
		act_event(act, "list", "due", 0, 0, &ev);
		ev.children = ids + i;
		ev.nchildren = n - i < AUDIT_LIST_MAX ? n - i : AUDIT_LIST_MAX;
		rc = err_from_db(audit_append(c, &ev));
		if (n == 0)
			break;
	}
	free(ids);
	return rc;
}

static const char *rule_what(const char *id)
{
	return due_rule_label(id);
}

static void print_csv_cell(const char *s, bool last)
{
	/* our cells never hold a comma or a quote but rule labels might */
	bool quote = strpbrk(s, ",\"\n") != NULL;
	if (quote) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else
		fputs(s, stdout);
	putchar(last ? '\n' : ',');
}

static void print_rows(const struct due_row *v, int n, const char *fmt)
{
	if (strcmp(fmt, "json") == 0) {
		printf("[");
		for (int i = 0; i < n; i++)
			printf("%s\n {\"child_id\": %lld, \"rule\": \"%s\","
			       " \"what\": \"%s\", \"subject\": \"%s\","
			       " \"subject_id\": %lld, \"started\": \"%s\","
			       " \"due\": \"%s\", \"met\": %s%s%s,"
			       " \"status\": \"%s\"}",
			       i ? "," : "", (long long)v[i].child_id,
			       v[i].rule, rule_what(v[i].rule), v[i].subject,
			       (long long)v[i].subject_id, v[i].started_at,
			       v[i].due_at, v[i].met_at[0] ? "\"" : "",
			       v[i].met_at[0] ? v[i].met_at : "null",
			       v[i].met_at[0] ? "\"" : "",
			       due_status_id(v[i].status));
		printf("%s]\n", n ? "\n" : "");
		return;
	}
	if (strcmp(fmt, "csv") == 0) {
		puts("child_id,rule,what,subject,subject_id,started,due,met,"
		     "status");
		for (int i = 0; i < n; i++) {
			char id[24], sid[24];
			snprintf(id, sizeof(id), "%lld", (long long)v[i].child_id);
			snprintf(sid, sizeof(sid), "%lld",
				 (long long)v[i].subject_id);
			print_csv_cell(id, false);
			print_csv_cell(v[i].rule, false);
			print_csv_cell(rule_what(v[i].rule), false);
			print_csv_cell(v[i].subject, false);
			print_csv_cell(sid, false);
			print_csv_cell(v[i].started_at, false);
			print_csv_cell(v[i].due_at, false);
			print_csv_cell(v[i].met_at, false);
			print_csv_cell(due_status_id(v[i].status), true);
		}
		return;
	}
	printf("%-9s %-4s %-24s %-16s %-16s %-16s %s\n", "CHILD", "RULE",
	       "WHAT", "STARTED", "DUE", "MET", "STATUS");
	for (int i = 0; i < n; i++)
		printf("%-9lld %-4s %-24.24s %-16s %-16s %-16s %s\n",
		       (long long)v[i].child_id, v[i].rule,
		       rule_what(v[i].rule), v[i].started_at, v[i].due_at,
		       v[i].met_at[0] ? v[i].met_at : "-",
		       due_status_label(v[i].status));
}

/* Reads every item (met or not) for the comparison of --check. */
static int all_items(struct db_conn *c, const struct actor *act,
		     struct arena *a, struct due_row **v, int *n)
{
	struct due_filter f = {0};
	f.limit = 100000;
	bool more = false;
	struct due_row *acc = NULL;
	int total = 0;
	for (;;) {
		struct due_row *rows;
		int k;
		int rc = due_list(c, act, &f, a, &rows, &k, &more);
		if (rc != ERR_OK)
			return rc;
		struct due_row *w = arena_alloc(a, (size_t)(total + k + 1) *
						    sizeof(*w));
		if (w == NULL)
			return ERR_NOMEM;
		if (total)
			memcpy(w, acc, (size_t)total * sizeof(*w));
		memcpy(w + total, rows, (size_t)k * sizeof(*w));
		acc = w;
		total += k;
		if (!more)
			break;
		f.offset += k;
	}
	*v = acc;
	*n = total;
	return ERR_OK;
}

static int cmp_row(const void *x, const void *y)
{
	const struct due_row *a = x, *b = y;
	int k = strcmp(a->rule, b->rule);
	if (k == 0)
		k = strcmp(a->subject, b->subject);
	if (k == 0)
		k = a->subject_id < b->subject_id ? -1
		    : a->subject_id > b->subject_id;
	if (k == 0)
		k = a->seq - b->seq;
	return k;
}

static bool same_row(const struct due_row *a, const struct due_row *b)
{
	return cmp_row(a, b) == 0 && a->child_id == b->child_id &&
	       strcmp(a->started_at, b->started_at) == 0 &&
	       strcmp(a->due_at, b->due_at) == 0 &&
	       strcmp(a->met_at, b->met_at) == 0 &&
	       a->worker_id == b->worker_id && a->team_id == b->team_id;
}

static void say_row(const char *what, const struct due_row *r)
{
	printf("%s: %s %s %lld (%d): child %lld, started %s, due %s, met %s,"
	       " worker %lld, team %lld\n", what, r->rule, r->subject,
	       (long long)r->subject_id, r->seq, (long long)r->child_id,
	       r->started_at, r->due_at, r->met_at[0] ? r->met_at : "-",
	       (long long)r->worker_id, (long long)r->team_id);
}

/* Compares the kept items with a rebuild; returns the differences. */
static int check(struct db_conn *c, const struct actor *act,
		 const struct cal *cal, struct arena *a, int *ndiff)
{
	struct due_row *kept, *made;
	int nk, nm;
	int64_t n;
	int rc = all_items(c, act, a, &kept, &nk);
	if (rc == ERR_OK)
		rc = due_rebuild(c, act, cal, &n, NULL);
	if (rc == ERR_OK)
		rc = all_items(c, act, a, &made, &nm);
	if (rc != ERR_OK)
		return rc;
	qsort(kept, (size_t)nk, sizeof(*kept), cmp_row);
	qsort(made, (size_t)nm, sizeof(*made), cmp_row);
	int i = 0, j = 0, d = 0;
	while (i < nk || j < nm) {
		int k = i == nk ? 1 : j == nm ? -1 : cmp_row(&kept[i], &made[j]);
		if (k < 0) {
			say_row("kept but not made again", &kept[i++]);
			d++;
		} else if (k > 0) {
			say_row("made again but not kept", &made[j++]);
			d++;
		} else {
			if (!same_row(&kept[i], &made[j])) {
				say_row("kept", &kept[i]);
				say_row("made again", &made[j]);
				d++;
			}
			i++, j++;
		}
	}
	printf("%d due items kept, %d made again from the records, %d "
	       "differences\n", nk, nm, d);
	*ndiff = d;
	return ERR_OK;
}

static bool parse_statuses(const char *s, unsigned *out)
{
	unsigned m = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		enum due_status st;
		if (!due_status_parse(t, &st))
			return false;
		m |= 1u << st;
	}
	*out = m;
	return m != 0;
}

int cli_due(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage();
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,council,as-of,format,rule,status,open,"
		      "rebuild,check", "open,rebuild,check", &o, "due") < 0)
		return CLI_USAGE;
	const char *fmt;
	if (cli_format(&o, "due",
		       (const char *const[]){"table", "csv", "json", NULL},
		       &fmt) < 0)
		return CLI_USAGE;
	const char *asof = cli_opt(&o, "as-of");
	struct cal_time at = {{0, 0, 0}, 12, 0};
	if (asof && !cal_date_parse(asof, strlen(asof), &at.date)) {
		fprintf(stderr, "cairn due: --as-of must be a date as "
			"YYYY-MM-DD\n");
		return CLI_USAGE;
	}
	unsigned statuses = 0;
	if (cli_opt(&o, "status") &&
	    !parse_statuses(cli_opt(&o, "status"), &statuses)) {
		fprintf(stderr, "cairn due: --status takes met-on-time, "
			"met-late, overdue, due-soon, due (comma-separated)\n");
		return CLI_USAGE;
	}
	const char *rule = cli_opt(&o, "rule");
	if (rule && (due_rule(rule) == NULL ||
		     due_rule(rule)->kind != DUE_DEADLINE)) {
		fprintf(stderr, "cairn due: no timescale rule %s with due "
			"items\n", rule);
		return CLI_USAGE;
	}
	struct cli_council k;
	if (cli_council_open(&o, &k) < 0)
		return CLI_RUNTIME;
	struct db_conn *c = k.c;
	const char *council = k.council;
	int ret = CLI_RUNTIME;
	struct arena *a = arena_new(WORK_ARENA);
	struct cal *cal = NULL;
	struct actor act = cli_actor(&o, council);
	if (asof)
		actor_at(&act, uk_to_instant(at));
	if (due_load_cal(c, council, &cal) != ERR_OK ||
	    db_begin(c, DB_TX_WRITE) != DB_OK) {
		fprintf(stderr, "cairn due: cannot read the store\n");
		goto out;
	}
	int rc;
	if (cli_flag(&o, "rebuild")) {
		int64_t n = 0, changed = 0;
		rc = due_rebuild(c, &act, cal, &n, &changed);
		if (rc == ERR_OK)
			rc = act_audit(c, &act, "rebuild", "due", 0, 0);
		if (rc == ERR_OK && db_commit(c) == DB_OK) {
			fprintf(stderr, "cairn due: the records of council %s "
				"call for %lld due items; %lld rows written\n",
				council, (long long)n, (long long)changed);
			ret = CLI_OK;
		} else
			fprintf(stderr, "cairn due: %s\n", err_name(rc));
		goto out;
	}
	if (cli_flag(&o, "check")) {
		int d = 0;
		rc = check(c, &act, cal, a, &d);
		db_rollback(c);
		if (rc != ERR_OK)
			fprintf(stderr, "cairn due: %s\n", err_name(rc));
		else
			ret = d ? CLI_CHECK_FAILED : CLI_OK;
		goto out;
	}
	struct due_filter f = {0};
	f.rule = rule;
	f.statuses = statuses;
	f.open_only = cli_flag(&o, "open");
	f.limit = ROWS_MAX;
	struct due_row *v;
	int n;
	bool more = false;
	rc = due_list(c, &act, &f, a, &v, &n, &more);
	if (rc == ERR_OK)
		rc = audit_list(c, &act, v, n);
	if (rc == ERR_OK && db_commit(c) != DB_OK)
		rc = ERR_STORE;
	if (rc != ERR_OK) {
		db_rollback(c);
		fprintf(stderr, "cairn due: %s\n", err_name(rc));
		goto out;
	}
	print_rows(v, n, fmt);
	if (more)
		fprintf(stderr, "cairn due: the first %d items; narrow with "
			"--rule, --status or --open\n", ROWS_MAX);
	ret = CLI_OK;
out:
	cal_free(cal);
	arena_free(a);
	cli_council_close(&k);
	return ret;
}

int cli_due_rebuild_all(struct db_conn *c, int64_t now, int from)
{
	DB_STMT(st_councils) = {
		"due_cli_councils", "SELECT council FROM council ORDER BY council",
		DB_ROLE_SYSTEM,
	};
	char councils[64][32];
	int nc = 0;
	struct db_q *q;
	int rc = db_prepare(c, &st_councils, &q);
	while (rc >= 0 && nc < 64 && (rc = db_step(q)) == DB_ROW)
		snprintf(councils[nc++], 32, "%s", db_col_text(q, 0));
	if (rc < 0)
		return err_from_db(rc);
	for (int i = 0; i < nc; i++) {
		struct cal *cal = NULL;
		struct actor act = actor_system(councils[i], now);
		if ((rc = due_load_cal(c, councils[i], &cal)) != ERR_OK)
			return rc;
		rc = err_from_db(db_begin(c, DB_TX_WRITE));
		/* 13 added R05 (the child seen) to every referral */
		if (rc == ERR_OK && from < 13)
			rc = due_rebuild(c, &act, cal, NULL, NULL);
		if (rc == ERR_OK && from < 13)
			rc = act_audit(c, &act, "rebuild", "due", 0, 0);
		if (rc == ERR_OK && from < 7)
			rc = frontdoor_chron_backfill(c, &act, NULL);
		if (rc == ERR_OK && from < 13)
			rc = assess_chron_backfill(c, &act, NULL);
		if (rc == ERR_OK)
			rc = err_from_db(db_commit(c));
		if (rc != ERR_OK)
			db_rollback(c);
		cal_free(cal);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}
