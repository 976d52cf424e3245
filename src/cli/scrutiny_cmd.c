/*
 * scrutiny_cmd.c: `cairn scrutiny import` and `cairn scrutiny report`.
 *
 * import reads an action plan or progress report (a Word document, an
 * OpenDocument text, a web page, a PDF or plain text, told apart by
 * content: scrutiny/docread.h, D59) and prints the structure it proposes (--format table, the default, or
 * json: the one object import.h documents) on standard output.  Unless
 * --dry-run (or when no --db is given) it then saves the proposal into
 * a review, a new one unless --review names one with no
 * recommendations yet, and says so on standard error.  report prints a
 * review's progress report as a standalone HTML document or as CSV.
 *
 * Exit status: 0 done (a document that makes no recommendations is
 * reported as such and exits 0: it is an answer, not a failure); 2 usage,
 * or a document that cannot be read (nothing saved); 3 the store
 * failed.
 */
#include "audit/audit.h"
#include "cli/cli.h"
#include "rules/uktime.h"
#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "referral/referral.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"
#include "scrutiny/report.h"
#include "scrutiny/scrutiny.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORK_ARENA (128u * 1024 * 1024)


/* One line of at most n bytes of s (UTF-8 safe cut), for the table. */
static void clip(const char *s, size_t n)
{
	size_t k = 0;
	while (s[k] && s[k] != '\n' && k < n)
		k++;
	while (k > 0 && k < strlen(s) && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	fwrite(s, 1, k, stdout);
	if (s[k])
		fputs("...", stdout);
}

static void print_table(const struct import_proposal *p)
{
	if (p->nrecs == 0) {
		/* never silent: why, and what the document looked like */
		const struct import_survey *sv = &p->survey;
		printf("No recommendations were found. %s\n",
		       sv->why ? sv->why : "");
		printf("The document has %d line%s of text (%d of them "
		       "table rows) and %d heading%s.\n", sv->lines,
		       sv->lines == 1 ? "" : "s", sv->table_rows,
		       sv->nheadings, sv->nheadings == 1 ? "" : "s");
		for (int i = 0; i < sv->nheadings &&
				i < IMPORT_SURVEY_HEADINGS; i++)
			printf("  heading: %s\n", sv->headings[i]);
		for (int i = 0; i < sv->nfirst; i++)
			printf("  line %d: %s\n", i + 1, sv->first[i]);
	}
	for (size_t i = 0; i < p->nrecs; i++) {
		const struct import_rec *r = &p->recs[i];
		const char *k = import_response_name(r->response_kind);
		printf("%-6s ", r->ref);
		clip(r->text, 70);
		printf("\n       response: %s", k ? k : "-");
		if (r->response[0]) {
			fputs(": ", stdout);
			clip(r->response, 50);
		}
		putchar('\n');
		for (size_t j = 0; j < r->nactions; j++) {
			const struct import_action *x = &r->actions[j];
			char due[11] = "-";
			if (x->timescale.has_due)
				cal_date_format(x->timescale.due, due);
			const char *rec =
				timescale_recurrence_name(x->timescale.recurrence);
			const char *st = import_status_name(x->status);
			fputs("       - ", stdout);
			clip(x->text, 60);
			printf("\n         owner: %s | budget: %s\n"
			       "         timescale: ",
			       x->owner[0] ? x->owner : "-",
			       x->budget[0] ? x->budget : "-");
			clip(x->timescale_text[0] ? x->timescale_text : "-", 50);
			printf(" -> due %s%s%s | status %s\n", due,
			       rec ? ", " : "", rec ? rec : "",
			       st ? st : "-");
		}
	}
	if (p->nunplaced) {
		printf("\nNot placed (%zu):\n", p->nunplaced);
		for (size_t i = 0; i < p->nunplaced; i++) {
			printf("  line %d: ", p->unplaced[i].line);
			clip(p->unplaced[i].text, 70);
			putchar('\n');
		}
	}
	printf("\n%zu recommendations, %zu not placed\n", p->nrecs,
	       p->nunplaced);
}

static int import_cmd(int argc, char **argv)
{
	struct cli_opts o;
	if (cli_parse(argc, argv,
		      "db,council,dry-run,format,review,body-kind,body,topic",
		      "dry-run", &o, "scrutiny import") < 0)
		return CLI_USAGE;
	if (o.npos != 1) {
		fprintf(stderr, "cairn scrutiny import: name one document\n");
		return CLI_USAGE;
	}
	const char *fmt;
	if (cli_format(&o, "scrutiny import", (const char *const[]){"table", "json", NULL},
		       &fmt) < 0)
		return CLI_USAGE;
	int64_t review_id = 0;
	const char *rs = cli_opt(&o, "review");
	if (rs && !str_to_i64z(rs, 1, INT64_MAX, &review_id)) {
		fprintf(stderr, "cairn scrutiny import: --review must be a "
			"review number\n");
		return CLI_USAGE;
	}
	size_t len;
	char *doc = cli_read_file(o.pos[0], DOC_MAX_BYTES, &len);
	if (doc == NULL) {
		fprintf(stderr, "cairn scrutiny import: cannot read %s: %s\n",
			o.pos[0], errno == EFBIG ? "larger than 10 MiB, too "
			"large for an action plan" : strerror(errno));
		return CLI_USAGE;
	}
	struct arena *a = arena_new(WORK_ARENA);
	struct import_proposal p;
	struct import_error err = {0};
	int ret = CLI_OK;
	/* the document, whatever its format, as the text import.c reads */
	struct doc_error derr = {0};
	enum doc_kind kind = DOC_KIND_TEXT;
	int got = doc_import(a, doc, len, &kind, &p, &err, &derr);
	if (got == -1) {
		fprintf(stderr, "cairn scrutiny import: %s: %s Nothing saved.\n",
			o.pos[0], derr.msg);
		ret = CLI_USAGE;
		goto done;
	}
	if (got != 0) {
		if (err.line)
			fprintf(stderr, "cairn scrutiny import: %s: line %d%s: "
				"%s; nothing saved\n", o.pos[0], err.line,
				kind == DOC_KIND_TEXT ? "" : " of the text read "
				"from it", err.msg);
		else
			fprintf(stderr, "cairn scrutiny import: %s: %s; "
				"nothing saved\n", o.pos[0], err.msg);
		ret = CLI_USAGE;
		goto done;
	}
	if (strcmp(fmt, "json") == 0) {
		struct sbuf sb;
		sbuf_init(&sb, 256u * 1024 * 1024);
		if (import_proposal_json(&p, &sb) != 0) {
			fprintf(stderr, "cairn scrutiny import: the proposal is "
				"too large to print\n");
			sbuf_release(&sb);
			ret = CLI_RUNTIME;
			goto done;
		}
		fwrite(sb.buf, 1, sb.len, stdout);
		putchar('\n');
		sbuf_release(&sb);
	} else {
		print_table(&p);
	}
	const char *dbpath = cli_opt(&o, "db");
	if (cli_flag(&o, "dry-run") || dbpath == NULL) {
		fprintf(stderr, "cairn scrutiny import: nothing saved (%s)\n",
			dbpath ? "--dry-run" : "no --db given");
		goto done;
	}
	if (p.nrecs == 0) {
		fprintf(stderr, "cairn scrutiny import: the document makes no "
			"recommendations; nothing saved\n");
		goto done;
	}
	struct cli_council k;
	if (cli_council_open(&o, &k) < 0) {
		ret = CLI_RUNTIME;
		goto done;
	}
	struct db_conn *c = k.c;
	const char *council = k.council;
	struct actor ev = cli_actor(&o, council);
	struct field_errors se = {0};
	int rc = db_begin(c, DB_TX_WRITE) == DB_OK ? ERR_OK
						   : ERR_BUSY;
	if (rc == ERR_OK && review_id == 0) {
		const char *title = p.title[0] ? p.title : o.pos[0];
		const char *body = cli_opt(&o, "body");
		const char *topic = cli_opt(&o, "topic");
		char reported[11] = "";
		if (p.date.y)
			cal_date_format(p.date, reported);
		struct scrutiny_review_in in = {
			cli_opt(&o, "body-kind") ? cli_opt(&o, "body-kind")
						 : "scrutiny-panel",
			body ? body : "Scrutiny panel",
			topic ? topic : title,
			NULL,
			reported[0] ? reported : NULL,
			title,
			NULL,
			NULL,
		};
		rc = scrutiny_review_create(c, &ev, &in, &se, &review_id);
	}
	char on[11];
	cal_date_format(p.date.y ? p.date : uk_date(cli_now(&o)), on);
	int nrecs = 0;
	if (rc == ERR_OK)
		rc = scrutiny_import_save(c, &ev, "system", review_id, &p, on,
					  &se, &nrecs);
	if (rc == ERR_OK && db_commit(c) != DB_OK)
		rc = ERR_STORE;
	if (rc != ERR_OK) {
		db_rollback(c);
		fprintf(stderr, "cairn scrutiny import: not saved: %s\n",
			err_name(rc));
		for (int i = 0; i < se.n; i++)
			fprintf(stderr, "  %s: %s\n", se.v[i].field,
				se.v[i].msg);
		ret = rc == ERR_INVALID || rc == ERR_CONFLICT ||
				      rc == ERR_NOTFOUND
			      ? CLI_USAGE
			      : CLI_RUNTIME;
		goto close;
	}
	fprintf(stderr, "cairn scrutiny import: %d recommendations saved in "
		"review %lld\n", nrecs, (long long)review_id);
close:
	cli_council_close(&k);
done:
	arena_free(a);
	free(doc);
	return ret;
}

static int report_cmd(int argc, char **argv)
{
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,council,review,format,since", "", &o,
		      "scrutiny report") < 0)
		return CLI_USAGE;
	const char *fmt;
	if (cli_format(&o, "scrutiny report", (const char *const[]){"html", "csv", NULL},
		       &fmt) < 0)
		return CLI_USAGE;
	int64_t review_id = 0;
	const char *rs = cli_opt(&o, "review");
	if (rs == NULL || !str_to_i64z(rs, 1, INT64_MAX, &review_id)) {
		fprintf(stderr, "cairn scrutiny report: --review ID is "
			"required (a review number)\n");
		return CLI_USAGE;
	}
	const char *since = cli_opt(&o, "since");
	struct cal_date sd;
	if (since && !cal_date_parse(since, strlen(since), &sd)) {
		fprintf(stderr, "cairn scrutiny report: --since must be a date "
			"as YYYY-MM-DD\n");
		return CLI_USAGE;
	}
	struct cli_council k;
	if (cli_council_open(&o, &k) < 0)
		return CLI_RUNTIME;
	struct db_conn *c = k.c;
	const char *council = k.council;
	int ret = CLI_RUNTIME;
	struct arena *a = arena_new(WORK_ARENA);
	struct scrutiny_plan p;
	int rc = scrutiny_plan_load(c, council, a, review_id, uk_date(cli_now(&o)), &p);
	if (rc != ERR_OK) {
		fprintf(stderr, "cairn scrutiny report: review %lld: %s\n",
			(long long)review_id, err_name(rc));
		ret = rc == ERR_NOTFOUND ? CLI_USAGE : CLI_RUNTIME;
		goto out;
	}
	struct report rp;
	struct sbuf sb;
	sbuf_init(&sb, 256u * 1024 * 1024);
	if (report_build(a, &p, since ? since : p.review.last_presented,
			 uk_date(cli_now(&o)), &rp) != 0 ||
	    (strcmp(fmt, "csv") == 0 ? report_csv(&rp, &sb)
				     : report_html(&rp, true, &sb)) != 0) {
		fprintf(stderr, "cairn scrutiny report: the report is too "
			"large\n");
		sbuf_release(&sb);
		goto out;
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	sbuf_release(&sb);
	ret = CLI_OK;
out:
	arena_free(a);
	cli_council_close(&k);
	return ret;
}

int cli_scrutiny(int argc, char **argv)
{
	const char *usage =
		"usage: cairn scrutiny import [--db FILE] [--council C] "
		"[--dry-run] [--format table|json]\n"
		"                             [--review ID | --body-kind K "
		"--body NAME --topic T] DOC\n"
		"       cairn scrutiny report --db FILE [--council C] --review ID "
		"[--format html|csv]\n"
		"                             [--since YYYY-MM-DD]\n\n"
		"import reads an action plan or progress report (a Word .docx, "
		"OpenDocument .odt,\nweb page, PDF, or plain text: a "
		"tab-separated or Markdown table, or numbered\nrecommendations "
		"in prose), prints what it found, and saves it into a new "
		"review (or\n--review ID, which must have no recommendations "
		"yet) unless --dry-run.  Body\nkinds: "
		"scrutiny-panel, committee, inspection, peer-review, "
		"practice-review,\nimprovement-board.  The file's format is "
		"told by its content, not its name.\n"
		"report prints the review's progress report: a standalone HTML "
		"page that prints on\nA4, or CSV.  --since is the date of the "
		"last report (default: the last one\nrecorded as presented).\n\n"
		"Exit status: 0 done (a document with no recommendations is "
		"reported, not an\nerror); 2 usage, or a document that cannot "
		"be read (nothing saved); 3 store error.";
	int status;
	int which = cli_sub(argc, argv, "scrutiny", usage,
			(const char *const[]){"import", "report", NULL}, false,
			&status);
	if (which < 0)
		return status;
	return which == 0 ? import_cmd(argc - 1, argv + 1)
			  : report_cmd(argc - 1, argv + 1);
}
