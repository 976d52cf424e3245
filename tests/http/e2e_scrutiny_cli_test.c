/* e2e_scrutiny_cli_test.c: `cairn scrutiny import` and `cairn scrutiny
 * report`, run as a council's IT team would: every seed proposed as
 * JSON (the shape) and saved, bad documents refused with nothing
 * saved, and the report as HTML and as CSV.  Expected counts come from
 * reading the seeds by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

#define OUT_MAX (1u << 20)
static char out[OUT_MAX];

static int up(void **state)
{
	(void)state;
	/* a server is not needed, only its database and binary; starting
	 * it keeps one fixture for all e2e suites */
	return e2e_server_start(&srv, 10);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static const struct {
	const char *file;
	int nrecs;
	const char *first_ref;
	const char *last_ref;
} seeds[] = {
	{"tests/seeds/000_47537159088feed5.txt", 14, "1", "14"},
	{"tests/seeds/001_0427aece4b3b0350.txt", 13, NULL, NULL},
	{"tests/seeds/002_972a3ad5589949d0.txt", 22, "a", NULL},
	{"tests/seeds/003_4e4e76606ce302a3.txt", 0, NULL, NULL},
	{"tests/seeds/004_17c2ace78e0e2943.txt", 10, NULL, NULL},
};

static long long rows(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return e2e_sql_int(&srv, sql);
}

static void seeds_as_json(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		out[0] = '\0';
		int rc = e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--dry-run", "--format", "json",
				   seeds[i].file, NULL);
		assert_int_equal(rc, 0);
		json_error_t je;
		json_t *v = json_loads(out, 0, &je);
		if (v == NULL)
			fail_msg("%s: not JSON: %s", seeds[i].file, je.text);
		json_t *recs = json_object_get(v, "recommendations");
		assert_true(json_is_array(recs));
		assert_true(json_is_array(json_object_get(v, "unplaced")));
		if ((int)json_array_size(recs) != seeds[i].nrecs)
			fail_msg("%s: %zu recommendations, expected %d",
				 seeds[i].file, json_array_size(recs),
				 seeds[i].nrecs);
		if (seeds[i].nrecs == 0)
			assert_true(json_is_true(
				json_object_get(v, "no_recommendations")));
		for (size_t k = 0; k < json_array_size(recs); k++) {
			json_t *r = json_array_get(recs, k);
			assert_true(json_is_string(json_object_get(r, "ref")));
			assert_true(json_is_string(json_object_get(r, "text")));
			assert_true(json_is_string(
				json_object_get(r, "response")));
			json_t *acts = json_object_get(r, "actions");
			assert_true(json_is_array(acts));
			for (size_t j = 0; j < json_array_size(acts); j++) {
				json_t *x = json_array_get(acts, j);
				json_t *ts = json_object_get(x, "timescale");
				assert_true(json_is_object(ts));
				assert_true(json_is_string(
					json_object_get(ts, "text")));
				json_t *due = json_object_get(ts, "due");
				assert_true(json_is_null(due) ||
					    json_is_string(due));
				assert_non_null(json_object_get(x, "owner"));
				assert_non_null(json_object_get(x, "budget"));
				assert_non_null(json_object_get(x, "status"));
			}
		}
		if (seeds[i].first_ref)
			assert_string_equal(json_string_value(json_object_get(
				json_array_get(recs, 0), "ref")),
					    seeds[i].first_ref);
		if (seeds[i].last_ref)
			assert_string_equal(json_string_value(json_object_get(
				json_array_get(recs, json_array_size(recs) - 1),
				"ref")), seeds[i].last_ref);
		json_decref(v);
	}
	/* a dry run saves nothing */
	assert_int_equal(rows("scrutiny_rec"), 5); /* the demo's review */
}

static void seeds_saved(void **state)
{
	(void)state;
	long long reviews = rows("scrutiny_review");
	long long recs = rows("scrutiny_rec");
	int saved = 0, total = 0;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		int rc = e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, "--body-kind",
				   "scrutiny-panel", "--body", "Test panel",
				   seeds[i].file, NULL);
		assert_int_equal(rc, 0);
		saved += seeds[i].nrecs > 0;
		total += seeds[i].nrecs;
	}
	/* seed 003 makes no recommendations: no review is made for it */
	assert_int_equal(rows("scrutiny_review"), reviews + saved);
	assert_int_equal(rows("scrutiny_rec"), recs + total);
	/* seed 000's first timescale, kept as written and read as a date */
	assert_int_equal(e2e_sql_int(&srv,
		"SELECT count(*) FROM scrutiny_action WHERE timescale_text = "
		"'Target implementation March 2011' AND due_on = '2011-03-31'"),
			 1);
	/* seed 001 states progress: it became status history */
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM scrutiny_update "
				      "WHERE status = 'completed'") >= 1);
}

static void bad_documents(void **state)
{
	(void)state;
	char p[400];
	long long reviews = rows("scrutiny_review");
	long long recs = rows("scrutiny_rec");
	/* empty */
	snprintf(p, sizeof(p), "%s/empty.txt", srv.dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, p, NULL), 2);
	/* binary */
	snprintf(p, sizeof(p), "%s/binary.txt", srv.dir);
	f = fopen(p, "wb");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc((i * 131) & 0xff, f);
	fclose(f);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, p, NULL), 2);
	/* 50 MB */
	snprintf(p, sizeof(p), "%s/big.txt", srv.dir);
	f = fopen(p, "w");
	assert_non_null(f);
	static char line[1024];
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 2] = '\n';
	for (int i = 0; i < 50 * 1024; i++)
		fputs(line, f);
	fclose(f);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, p, NULL), 2);
	/* ragged rows */
	snprintf(p, sizeof(p), "%s/ragged.txt", srv.dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("| RECOMMENDATION | PROPOSED ACTION | POST TITLE | BUDGET COST | "
	      "TIMESCALE |\n|---|---|---|---|---|\n"
	      "| a) That x | y |\n"
	      "| b) That x | y | z | w | v | u | t | s | r |\n"
	      "| c) That | \n"
	      "| d) | a | b | c | d | e | f | g | h | i | j | k |\n", f);
	fclose(f);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, p, NULL), 2);
	/* usage */
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--format", "xml", p, NULL), 2);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "report", "--db", srv.db, NULL), 2);
	assert_int_equal(rows("scrutiny_review"), reviews);
	assert_int_equal(rows("scrutiny_rec"), recs);
}

static void report_html_and_csv(void **state)
{
	(void)state;
	char id[24];
	snprintf(id, sizeof(id), "%lld",
		 e2e_sql_int(&srv, "SELECT min(review_id) FROM scrutiny_review"));
	out[0] = '\0';
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "report", "--db", srv.db, "--review", id,
				   "--format", "html", NULL), 0);
	assert_non_null(strstr(out, "<!DOCTYPE html>"));
	assert_non_null(strstr(out, "Comments and action taken"));
	assert_non_null(strstr(out, "What has changed since the last report"));
	assert_non_null(strstr(out, "@page{size:A4"));
	out[0] = '\0';
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "report", "--db", srv.db, "--review", id,
				   "--format", "csv", NULL), 0);
	assert_true(strncmp(out, "review_id,body,topic,rec_ref,", 29) == 0);
	/* one header and one row per action (the demo review: 5) */
	int lines = 0;
	for (const char *q = out; (q = strstr(q, "\r\n")) != NULL; q += 2)
		lines++;
	assert_int_equal(lines, 1 + e2e_sql_int(&srv,
		"SELECT count(*) FROM scrutiny_action a JOIN scrutiny_review r"
		" USING (council, review_id) WHERE r.review_id = (SELECT"
		" min(review_id) FROM scrutiny_review)"));
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "report", "--db", srv.db, "--review",
				   "99999", NULL), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seeds_as_json),
		cmocka_unit_test(seeds_saved),
		cmocka_unit_test(bad_documents),
		cmocka_unit_test(report_html_and_csv),
	};
	return cmocka_run_group_tests_name("e2e_scrutiny_cli", tests, up, down);
}
