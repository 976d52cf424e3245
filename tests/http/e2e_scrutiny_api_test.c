/*
 * e2e_scrutiny_api_test.c: the scrutiny API end to end over loopback:
 * creating reviews (and every field error at once), importing each of
 * the five seed documents (tests/seeds/) as a dry run and then for real,
 * a second import refused, documents that cannot be imported refused
 * with nothing written (empty, not text, not JSON, 50 MB, a ragged
 * table, no recommendations), progress updates and the current status,
 * overdue through corrected timescales, comments, reports presented and
 * what changed, each role's rights, the OpenAPI document, and the audit
 * chain afterwards.
 *
 * Expected values come from reading the seeds: 000 has recommendations
 * 1 to 14 in a tab-separated table; 001 has 1 to 13 with a Progress
 * column (3 in progress, 1 delayed, 5 ongoing, 4 completed); 002 has a)
 * to v) in pipe tables, with "I)", "0)" and "V)" scanned for l, o and v
 * (22), dated 7 June 2016; 003 makes none; 004 has 1(a)-(c), 2, 3,
 * 4(a)-(b) and 5(a)-(c) in prose (10), all accepted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "rules/uktime.h"

static struct e2e_server srv;

/* Reviews made by the tests below, in order. */
static long long rv_seed[5];  /* one per seed; 0 for 003 (none saved) */
static long long rv_created;  /* made by create_review */
static long long imports_before; /* audit rows of imports by `cairn demo` */
static int imports_saved;        /* imports saved by the tests */

static const char *const seeds[5] = {
	"tests/seeds/000_47537159088feed5.txt",
	"tests/seeds/001_0427aece4b3b0350.txt",
	"tests/seeds/002_972a3ad5589949d0.txt",
	"tests/seeds/003_4e4e76606ce302a3.txt",
	"tests/seeds/004_17c2ace78e0e2943.txt",
};
static const int seed_recs[5] = {14, 13, 22, 0, 10};

static int up(void **state)
{
	(void)state;
	if (e2e_server_start(&srv, 20) != 0)
		return -1;
	imports_before = e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE "
				     "entity = 'scrutiny-review' AND action = "
				     "'import'");
	return imports_before >= 0 ? 0 : -1;
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

/* ---- helpers --------------------------------------------------------- */

/* A client holding a bearer token for user. */
static void client_as(struct e2e_client *c, const char *user)
{
	e2e_client_init(c, &srv);
	char tok[128];
	assert_int_equal(e2e_cairn(&srv, NULL, tok, sizeof(tok), "token",
				   "create", "--db", srv.db, "--username", user,
				   NULL), 0);
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(c->bearer, sizeof(c->bearer), "%s", tok);
}

static long long count(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return e2e_sql_int(&srv, sql);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* s[0..n) as a JSON string literal, quotes included (malloc'd). */
static char *json_quote(const char *s, size_t n)
{
	char *out = malloc(n * 6 + 3);
	assert_non_null(out);
	size_t o = 0;
	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			out[o++] = '\\';
			out[o++] = (char)ch;
		} else if (ch == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (ch == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (ch < 0x20) {
			o += (size_t)snprintf(out + o, 7, "\\u%04x", ch);
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* POSTs {"document": doc, ...extra} to the review's import. */
static long import_doc(struct e2e_client *c, long long review,
		       const char *doc, size_t n, const char *extra)
{
	char *q = json_quote(doc, n);
	size_t len = strlen(q) + (extra ? strlen(extra) : 0) + 32;
	char *body = malloc(len);
	snprintf(body, len, "{\"document\":%s%s%s}", q, extra ? "," : "",
		 extra ? extra : "");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/import", review);
	long st = e2e_json(c, "POST", path, body);
	free(body);
	free(q);
	return st;
}

/* Occurrences of "key": (white space allowed before the colon) in the
 * body, outside escaped text. */
static int count_key(const char *body, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	int n = 0;
	for (const char *p = strstr(body, pat); p; p = strstr(p + 1, pat)) {
		if (p > body && p[-1] == '\\')
			continue;
		const char *q = p + strlen(pat);
		while (*q == ' ' || *q == '\n')
			q++;
		if (*q == ':')
			n++;
	}
	return n;
}

/* The integer after the first "key": at or after from, or -1. */
static long long int_after(const char *from, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = from ? strstr(from, pat) : NULL;
	if (p == NULL)
		return -1;
	return strtoll(p + strlen(pat), NULL, 10);
}

/* Where action id's object starts in a plan or list, or NULL. */
static const char *action_at(const char *body, long long id)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"action_id\":%lld,", id);
	return strstr(body, pat);
}

/* True when action id's "key" has the JSON text value (e.g. "\"x\"",
 * "true"). */
static bool action_has(const char *body, long long id, const char *key,
		       const char *value)
{
	const char *a = action_at(body, id);
	if (a == NULL)
		return false;
	char pat[128];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = strstr(a, pat);
	return p && strncmp(p + strlen(pat), value, strlen(value)) == 0;
}

/* The date d days from today in England, as YYYY-MM-DD. */
static void uk_day_text(int d, char out[11])
{
	cal_date_format(cal_add_days(uk_date(uk_clock_now()), d), out);
}

static long long review_action(long long review, int nth)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT action_id FROM scrutiny_action "
		 "WHERE council = 'nwd' AND review_id = %lld ORDER BY action_id "
		 "LIMIT 1 OFFSET %d", review, nth);
	return e2e_sql_int(&srv, sql);
}

/* ---- reviews --------------------------------------------------------- */

static void create_review(void **state)
{
	(void)state;
	struct e2e_client c;
	client_as(&c, "tm.demo");
	long long before = count("scrutiny_review");
	/* every field error at once */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"choir\",\"topic\":\"\","
				  "\"started_on\":\"2023-02-30\","
				  "\"schedule_months\":99}"), 422);
	char ct[128];
	assert_non_null(e2e_header(&c, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/problem+json");
	assert_true(e2e_has(&c, "\"field\":\"body_kind\""));
	assert_true(e2e_has(&c, "\"field\":\"body_name\""));
	assert_true(e2e_has(&c, "\"field\":\"topic\""));
	assert_true(e2e_has(&c, "\"field\":\"started_on\""));
	assert_true(e2e_has(&c, "\"field\":\"schedule_months\""));
	/* wrong JSON types and unknown fields name the field */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"committee\",\"body_name\":5,"
				  "\"topic\":\"Care leavers\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"body_name\""));
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"committee\",\"body_name\":\"C\","
				  "\"topic\":\"T\",\"schedule_months\":[6]}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"schedule_months\""));
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"committee\",\"body_name\":\"C\","
				  "\"topic\":\"T\",\"colour\":\"red\"}"), 422);
	assert_true(e2e_has(&c, "colour"));
	/* not JSON at all */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews", "{\"body"), 400);
	assert_int_equal(count("scrutiny_review"), before);

	/* a good one, schedule as a string */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"scrutiny-panel\","
				  "\"body_name\":\"Children and Learning Scrutiny "
				  "Panel\",\"topic\":\"Synthetic review\","
				  "\"reported_on\":\"2016-06-07\","
				  "\"schedule_months\":\"12\"}"), 201);
	rv_created = int_after(c.r.body, "review_id");
	assert_true(rv_created > 0);
	char h[128], want[64];
	assert_non_null(e2e_header(&c, "Location", h, sizeof(h)));
	snprintf(want, sizeof(want), "/api/v1/reviews/%lld", rv_created);
	assert_string_equal(h, want);
	assert_int_equal(count("scrutiny_review"), before + 1);
	assert_int_equal(e2e_get(&c, want), 200);
	assert_true(e2e_has(&c, "\"schedule_months\":12"));
	assert_true(e2e_has(&c, "\"next_report_due\":\"2017-06-07\""));
	assert_true(e2e_has(&c, "\"recommendations\":[]"));
	/* and one with an integer schedule */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews",
				  "{\"body_kind\":\"inspection\",\"body_name\":"
				  "\"Ofsted\",\"topic\":\"ILACS\","
				  "\"schedule_months\":6}"), 201);
	long long other = int_after(c.r.body, "review_id");
	snprintf(want, sizeof(want), "/api/v1/reviews/%lld", other);
	assert_int_equal(e2e_get(&c, want), 200);
	assert_true(e2e_has(&c, "\"schedule_months\":6"));
	assert_true(e2e_has(&c, "\"body_kind\":\"inspection\""));
	/* not found, and another council's review is not found either */
	assert_int_equal(e2e_get(&c, "/api/v1/reviews/999999"), 404);
	/* the other council first: PostgreSQL enforces the foreign key */
	assert_int_equal(e2e_sql_exec(&srv,
		"INSERT INTO council (council, name) VALUES ('zzz', 'Elsewhere');"
		"INSERT INTO scrutiny_review (council, review_id, body_kind,"
		" body_name, topic, schedule_months, created_at, created_by)"
		" VALUES ('zzz', 9999, 'committee', 'Elsewhere', 'Theirs', 6,"
		" '2024-01-01T00:00:00Z', 1)"), 0);
	assert_int_equal(e2e_get(&c, "/api/v1/reviews/9999"), 404);
	assert_true(e2e_has(&c, "\"status\":404"));
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews/9999/comments",
				  "{\"text\":\"Synthetic\"}"), 404);
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/reviews/9999/import",
				  "{\"document\":\"1. That x.\",\"dry_run\":true}"),
			 404);
	/* gone again: a council row without its audit chain would fail
	 * `cairn audit verify` at the end */
	assert_int_equal(e2e_sql_exec(&srv,
		"DELETE FROM scrutiny_review WHERE council = 'zzz';"
		"DELETE FROM council WHERE council = 'zzz'"), 0);
	e2e_client_free(&c);
}

/* ---- import ---------------------------------------------------------- */

static long long new_review(struct e2e_client *c, const char *topic)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"body_kind\":\"scrutiny-panel\",\"body_name\":\"Panel\","
		 "\"topic\":\"%s\"}", topic);
	assert_int_equal(e2e_json(c, "POST", "/api/v1/reviews", body), 201);
	long long id = int_after(c->r.body, "review_id");
	assert_true(id > 0);
	return id;
}

/* Imports seed i into a new review: a dry run, then a save, then a
 * second save refused; checks the plan against the seed. */
static void import_seed(int i)
{
	struct e2e_client c;
	client_as(&c, "tm.demo");
	char path[96];
	size_t n;
	char *doc = slurp(seeds[i], &n);
	char topic[64];
	snprintf(topic, sizeof(topic), "Seed %d", i);
	long long id = new_review(&c, topic);
	long long recs_before = count("scrutiny_rec");
	/* the dry run proposes and writes nothing */
	long st = import_doc(&c, id, doc, n, "\"dry_run\":true");
	if (st != 200)
		fail_msg("seed %d dry run: %ld %s", i, st, c.r.body);
	assert_true(e2e_has(&c, "\"recommendations\""));
	assert_true(e2e_has(&c, "\"unplaced\""));
	int got = count_key(c.r.body, "ref");
	if (got != seed_recs[i])
		fail_msg("seed %d: %d recommendations proposed, want %d",
			 i, got, seed_recs[i]);
	assert_int_equal(count("scrutiny_rec"), recs_before);
	if (i == 3) {
		/* makes none: said so, and saving it is refused */
		assert_true(e2e_has(&c, "\"no_recommendations\":true") ||
			    e2e_has(&c, "\"no_recommendations\": true"));
		/* never silent: the dry run says what it looked like */
		assert_true(e2e_has(&c, "\"survey\""));
		assert_true(e2e_has(&c, "\"why\""));
		assert_true(e2e_has(&c, "\"first_lines\""));
		assert_int_equal(import_doc(&c, id, doc, n, NULL), 422);
		assert_true(e2e_has(&c, "\"field\":\"document\""));
		assert_true(e2e_has(&c, "No recommendations were found"));
		assert_int_equal(count("scrutiny_rec"), recs_before);
		rv_seed[i] = 0;
		goto out_free_doc;
	}
	/* saved for real */
	st = import_doc(&c, id, doc, n,
			i == 1 ? "\"on_date\":\"2005-04-13\"" : NULL);
	if (st != 201)
		fail_msg("seed %d save: %ld %s", i, st, c.r.body);
	assert_int_equal(int_after(c.r.body, "recommendations"),
			 seed_recs[i]);
	assert_true(e2e_has(&c, "\"unplaced\":["));
	assert_int_equal(count("scrutiny_rec"),
			 recs_before + seed_recs[i]);
	if (i == 2) /* the document's own date */
		assert_true(e2e_has(&c, "\"on_date\":\"2016-06-07\""));
	rv_seed[i] = id;
	imports_saved++;
	/* the plan as saved */
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_int_equal(count_key(c.r.body, "ref"), seed_recs[i]);
	assert_int_equal(int_after(c.r.body, "nrecs"), seed_recs[i]);
	if (i < 3) /* tables: an action a row */
		assert_true(int_after(c.r.body, "nactions") >=
			    seed_recs[i]);
	/* a second import into the same review is refused */
	assert_int_equal(import_doc(&c, id, doc, n, NULL), 409);
	assert_true(e2e_has(&c, "\"field\":\"review_id\""));
	assert_int_equal(count("scrutiny_rec"),
			 recs_before + seed_recs[i]);
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	switch (i) {
	case 0:
		assert_true(e2e_has(&c, "That the First Option programme "
				    "continues to be supported"));
		assert_true(e2e_has(&c, "\"ref\":\"14\""));
		assert_true(e2e_has(&c, "Target implementation March "
				    "2011"));
		assert_true(e2e_has(&c, "\"due\":\"2011-03-31\""));
		/* no statuses in a plan: all not started */
		assert_true(e2e_has(&c, "\"not-started\":14"));
		break;
	case 1:
		assert_true(e2e_has(&c, "\"ref\":\"13\""));
		assert_true(e2e_has(&c, "\"in-progress\":3"));
		assert_true(e2e_has(&c, "\"delayed\":1"));
		assert_true(e2e_has(&c, "\"ongoing\":5"));
		assert_true(e2e_has(&c, "\"completed\":4"));
		assert_true(e2e_has(&c, "\"on_date\":\"2005-04-13\""));
		break;
	case 2:
		assert_true(e2e_has(&c, "\"ref\":\"a\""));
		assert_true(e2e_has(&c, "\"ref\":\"l\""));
		assert_true(e2e_has(&c, "\"ref\":\"o\""));
		assert_true(e2e_has(&c, "\"ref\":\"v\""));
		assert_false(e2e_has(&c, "\"ref\":\"I\""));
		assert_false(e2e_has(&c, "\"ref\":\"0\""));
		assert_true(e2e_has(&c, "\"owner\":\"Head of Commissioning "
				    "and Procurement\""));
		assert_true(e2e_has(&c, "\"budget\":\"N/A\""));
		break;
	case 4:
		assert_true(e2e_has(&c, "\"ref\":\"1(a)\""));
		assert_true(e2e_has(&c, "\"ref\":\"2\""));
		assert_true(e2e_has(&c, "\"ref\":\"4(b)\""));
		assert_true(e2e_has(&c, "\"ref\":\"5(c)\""));
		assert_true(e2e_has(&c, "\"response_kind\":\"accepted\""));
		break;
	}
out_free_doc:
	free(doc);
	e2e_client_free(&c);
}

static void seed_000(void **state)
{
	(void)state;
	import_seed(0);
}

static void seed_001(void **state)
{
	(void)state;
	import_seed(1);
}

static void seed_002(void **state)
{
	(void)state;
	import_seed(2);
}

static void seed_003(void **state)
{
	(void)state;
	import_seed(3);
}

static void seed_004(void **state)
{
	(void)state;
	import_seed(4);
}

static void register_lists(void **state)
{
	(void)state;
	assert_true(rv_seed[0] > 0 && rv_seed[2] > 0);
	struct e2e_client c;
	client_as(&c, "tm.demo");
	char path[96];
	/* the register lists them with their counts, newest first */
	assert_int_equal(e2e_get(&c, "/api/v1/reviews"), 200);
	assert_true(e2e_has(&c, "\"items\":["));
	assert_true(e2e_has(&c, "\"nrecs\":14"));
	assert_true(e2e_has(&c, "\"nrecs\":22"));
	assert_true(e2e_has(&c, "\"by_status\":{"));
	assert_true(e2e_has(&c, "\"report_overdue\":"));
	assert_true(e2e_has(&c, "\"last_presented\":null"));
	/* a page of one, then the next */
	assert_int_equal(e2e_get(&c, "/api/v1/reviews?limit=1"), 200);
	assert_int_equal(count_key(c.r.body, "review_id"), 1);
	long long next = int_after(c.r.body, "next");
	assert_true(next > 0);
	snprintf(path, sizeof(path), "/api/v1/reviews?limit=1&cursor=%lld", next);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(int_after(c.r.body, "review_id") < next);
	assert_int_equal(e2e_get(&c, "/api/v1/reviews?body=choir"), 400);
	assert_true(e2e_has(&c, "\"field\":\"body\""));
	e2e_client_free(&c);
}

static void import_refusals(void **state)
{
	(void)state;
	struct e2e_client c;
	client_as(&c, "tm.demo");
	long long id = new_review(&c, "Refusals");
	long long recs = count("scrutiny_rec");
	long long acts = count("scrutiny_action");
	long long upds = count("scrutiny_update");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/import", id);

	/* empty */
	assert_int_equal(import_doc(&c, id, "", 0, NULL), 422);
	assert_true(e2e_has(&c, "\"field\":\"document\""));
	assert_int_equal(import_doc(&c, id, "", 0, "\"dry_run\":true"), 422);
	/* no document, or not a string */
	assert_int_equal(e2e_json(&c, "POST", path, "{\"dry_run\":true}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"document\""));
	assert_int_equal(e2e_json(&c, "POST", path, "{\"document\":42}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"document\""));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"document\":\"1. That x.\",\"dry_run\":\"yes\"}"),
			 422);
	assert_true(e2e_has(&c, "\"field\":\"dry_run\""));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"document\":\"1. That x.\","
				  "\"on_date\":\"2016-13-01\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"on_date\""));
	/* binary: a NUL byte (JSON escapes it; our parser refuses it) */
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"document\":\"1. That\\u0000x.\"}"), 400);
	/* control bytes that JSON carries: not a document */
	static const char ctl[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e"
				  "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18";
	assert_int_equal(import_doc(&c, id, ctl, sizeof(ctl) - 1, NULL), 422);
	assert_true(e2e_has(&c, "\"field\":\"document\""));
	assert_true(e2e_has(&c, "\"detail\":\""));
	/* raw bytes that are not JSON (nor UTF-8) */
	static const char raw[] = "\xff\xfe\x00\x01PK\x03\x04\x80\x81";
	assert_int_equal(e2e_raw(&c, "POST", path, "application/json", raw,
				 sizeof(raw) - 1), 400);
	/* a body that is neither JSON nor a document type (text/plain and
	 * the document types are uploads: e2e_scrutiny_upload) */
	assert_int_equal(e2e_raw(&c, "POST", path,
				 "application/x-www-form-urlencoded",
				 "document=x", 10), 415);
	assert_int_equal(e2e_raw(&c, "POST", path, "image/png", "1. That x.",
				 10), 415);
	/* a ragged table: rows of 9, 1 and 13 cells under a header of 4 */
	static const char ragged[] =
		"Recommendation\tResponse\tAction\tTimescale\n"
		"1. That x is done.\ta\tb\tc\td\te\tf\tg\th\n"
		"2. That y is done.\n"
		"\t\t\t\t\t\t\t\t\t\t\t\t\n"
		"3. That z is done.\ta\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\n"
		"Recommendation\tAction\n"
		"4.\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tx\n";
	long st = import_doc(&c, id, ragged, sizeof(ragged) - 1, NULL);
	if (st != 422)
		fail_msg("ragged table: %ld %s", st, c.r.body);
	assert_true(e2e_has(&c, "\"field\":\"document\""));
	assert_true(e2e_has(&c, "ragged"));
	assert_int_equal(import_doc(&c, id, ragged, sizeof(ragged) - 1,
				    "\"dry_run\":true"), 422);
	assert_true(e2e_has(&c, "ragged"));
	/* 50 MB: refused by the pipeline before the handler */
	size_t big = (size_t)50 << 20;
	char *body = malloc(big);
	assert_non_null(body);
	memset(body, 'a', big);
	memcpy(body, "{\"document\":\"", 13);
	memcpy(body + big - 2, "\"}", 2);
	assert_int_equal(e2e_raw(&c, "POST", path, "application/json", body,
				 big), 413);
	free(body);
	/* the pipeline's own limit: just over 1 MiB */
	big = ((size_t)1 << 20) + 64;
	body = malloc(big);
	memset(body, 'a', big);
	memcpy(body, "{\"document\":\"", 13);
	memcpy(body + big - 2, "\"}", 2);
	assert_int_equal(e2e_raw(&c, "POST", path, "application/json", body,
				 big), 413);
	free(body);
	/* nothing written by any of them; the review is still empty */
	assert_int_equal(count("scrutiny_rec"), recs);
	assert_int_equal(count("scrutiny_action"), acts);
	assert_int_equal(count("scrutiny_update"), upds);
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld", id);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "\"recommendations\":[]"));
	e2e_client_free(&c);
}

/* ---- progress, overdue, comments, reports ---------------------------- */

static void progress_and_overdue(void **state)
{
	(void)state;
	assert_true(rv_seed[0] > 0);
	struct e2e_client c;
	client_as(&c, "tm.demo");
	long long act = review_action(rv_seed[0], 0);
	long long act2 = review_action(rv_seed[0], 1);
	assert_true(act > 0 && act2 > 0);
	char path[96], plan[96], body[512], yesterday[11], today[11],
		tomorrow[11];
	uk_day_text(-1, yesterday);
	uk_day_text(0, today);
	uk_day_text(1, tomorrow);
	snprintf(plan, sizeof(plan), "/api/v1/reviews/%lld", rv_seed[0]);

	/* a progress update becomes the current status */
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "status", "\"not-started\""));
	snprintf(path, sizeof(path), "/api/v1/actions/%lld/updates", act);
	long long upds = count("scrutiny_update");
	/* refusals first: bad status, no narrative, a future date, types */
	snprintf(body, sizeof(body), "{\"on_date\":\"%s\",\"status\":\"done\","
		 "\"narrative\":\"\"}", tomorrow);
	assert_int_equal(e2e_json(&c, "POST", path, body), 422);
	assert_true(e2e_has(&c, "\"field\":\"on_date\""));
	assert_true(e2e_has(&c, "\"field\":\"status\""));
	assert_true(e2e_has(&c, "\"field\":\"narrative\""));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"status\":3,\"narrative\":\"x\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"status\""));
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/actions/999999/updates",
				  "{\"status\":\"in-progress\",\"narrative\":"
				  "\"Synthetic\"}"), 404);
	assert_int_equal(count("scrutiny_update"), upds);
	snprintf(body, sizeof(body), "{\"on_date\":\"%s\",\"status\":"
		 "\"in-progress\",\"narrative\":\"Synthetic: placement "
		 "strategy workstream started\"}", yesterday);
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	assert_true(int_after(c.r.body, "update_id") > 0);
	assert_int_equal(count("scrutiny_update"), upds + 1);
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "status", "\"in-progress\""));
	assert_true(e2e_has(&c, "placement strategy workstream started"));
	assert_true(e2e_has(&c, "\"author\":\"Morgan Manager\""));
	/* a later one (no date: today) supersedes it */
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"status\":\"delayed\",\"narrative\":"
				  "\"Synthetic: waiting for Cabinet\"}"), 201);
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "status", "\"delayed\""));

	/* overdue: due yesterday is overdue, today and tomorrow are not */
	snprintf(path, sizeof(path), "/api/v1/actions/%lld/timescale", act);
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\",\"recurrence\":null}",
		 yesterday);
	assert_int_equal(e2e_json(&c, "PUT", path, body), 200);
	assert_true(e2e_has(&c, "\"checked\":true"));
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "overdue", "true"));
	assert_true(action_has(c.r.body, act, "checked", "true"));
	assert_true(int_after(c.r.body, "noverdue") >= 1);
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\"}", today);
	assert_int_equal(e2e_json(&c, "PUT", path, body), 200);
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "overdue", "false"));
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\",\"recurrence\":"
		 "\"monthly\"}", tomorrow);
	assert_int_equal(e2e_json(&c, "PUT", path, body), 200);
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "overdue", "false"));
	assert_true(action_has(c.r.body, act, "recurrence", "\"monthly\""));
	/* bad corrections are refused and name the field */
	assert_int_equal(e2e_json(&c, "PUT", path,
				  "{\"due_on\":\"2024-02-30\",\"recurrence\":"
				  "\"hourly\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"due_on\""));
	assert_true(e2e_has(&c, "\"field\":\"recurrence\""));
	assert_int_equal(e2e_json(&c, "PUT", path, "{\"due_on\":20240101}"),
			 422);
	assert_true(e2e_has(&c, "\"field\":\"due_on\""));
	assert_int_equal(e2e_json(&c, "PUT", "/api/v1/actions/999999/timescale",
				  "{\"due_on\":\"2024-01-01\"}"), 404);
	/* overdue again; it shows in the actions list and its filter */
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\"}", yesterday);
	assert_int_equal(e2e_json(&c, "PUT", path, body), 200);
	assert_int_equal(e2e_get(&c, "/api/v1/actions?overdue=1&limit=200"),
			 200);
	assert_non_null(action_at(c.r.body, act));
	assert_true(action_has(c.r.body, act, "overdue", "true"));
	assert_true(action_has(c.r.body, act, "rec_ref", "\"1\""));
	assert_true(action_has(c.r.body, act, "review_topic", "\"Seed 0\""));
	/* (most of seed 000's timescales, 2010 and 2011, are long past) */
	assert_non_null(action_at(c.r.body, act2));
	snprintf(path, sizeof(path), "/api/v1/actions/%lld/timescale", act2);
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\"}", tomorrow);
	assert_int_equal(e2e_json(&c, "PUT", path, body), 200);
	assert_int_equal(e2e_get(&c, "/api/v1/actions?overdue=1&limit=200"),
			 200);
	assert_non_null(action_at(c.r.body, act));
	assert_null(action_at(c.r.body, act2));
	assert_int_equal(e2e_get(&c, "/api/v1/actions?status=delayed"
				 "&body=scrutiny-panel&limit=200"), 200);
	assert_non_null(action_at(c.r.body, act));
	assert_int_equal(e2e_get(&c, "/api/v1/actions?status=finished"), 400);
	assert_true(e2e_has(&c, "\"field\":\"status\""));
	assert_int_equal(e2e_get(&c, "/api/v1/actions?overdue=maybe"), 400);
	assert_int_equal(e2e_get(&c, "/api/v1/actions?body=inspection"), 200);
	assert_null(action_at(c.r.body, act));
	/* owner: any part, any case */
	assert_int_equal(e2e_get(&c, "/api/v1/actions?owner=VIRTUAL%20school"
				 "&limit=200"), 200);
	assert_true(e2e_has(&c, "Virtual School Headteacher"));
	assert_false(e2e_has(&c, "\"owner\":\"Head of Commissioning"));
	/* pages of the list in action_id order */
	assert_int_equal(e2e_get(&c, "/api/v1/actions?limit=2"), 200);
	assert_int_equal(count_key(c.r.body, "action_id"), 2);
	long long next = int_after(c.r.body, "next");
	assert_true(next > 0);
	snprintf(path, sizeof(path), "/api/v1/actions?limit=2&cursor=%lld",
		 next);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(int_after(c.r.body, "action_id") > next);

	/* a completed update clears overdue */
	snprintf(path, sizeof(path), "/api/v1/actions/%lld/updates", act);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"status\":\"completed\",\"narrative\":"
				  "\"Synthetic: done\"}"), 201);
	assert_int_equal(e2e_get(&c, plan), 200);
	assert_true(action_has(c.r.body, act, "status", "\"completed\""));
	assert_true(action_has(c.r.body, act, "overdue", "false"));
	assert_int_equal(e2e_get(&c, "/api/v1/actions?overdue=true&limit=200"),
			 200);
	assert_null(action_at(c.r.body, act));
	e2e_client_free(&c);
}

static void comments_and_reports(void **state)
{
	(void)state;
	assert_true(rv_seed[0] > 0);
	struct e2e_client c;
	client_as(&c, "cllr.demo");
	char path[96], body[256], today[11];
	uk_day_text(0, today);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT min(rec_id) FROM scrutiny_rec WHERE "
		 "council = 'nwd' AND review_id = %lld", rv_seed[0]);
	long long rec = e2e_sql_int(&srv, sql);
	snprintf(sql, sizeof(sql), "SELECT min(rec_id) FROM scrutiny_rec WHERE "
		 "council = 'nwd' AND review_id = %lld", rv_seed[1]);
	long long other_rec = e2e_sql_int(&srv, sql);
	assert_true(rec > 0 && other_rec > 0);
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/comments", rv_seed[0]);
	/* the councillor comments on the review and on a recommendation */
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"text\":\"Synthetic: please report on "
				  "placements in March.\"}"), 201);
	assert_true(int_after(c.r.body, "comment_id") > 0);
	snprintf(body, sizeof(body), "{\"text\":\"Synthetic: on this one\","
		 "\"rec_id\":%lld}", rec);
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	/* a recommendation of another review, an empty text, a bad type */
	snprintf(body, sizeof(body), "{\"text\":\"x\",\"rec_id\":%lld}",
		 other_rec);
	assert_int_equal(e2e_json(&c, "POST", path, body), 422);
	assert_true(e2e_has(&c, "\"field\":\"rec_id\""));
	assert_int_equal(e2e_json(&c, "POST", path, "{\"text\":\"\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"text\""));
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"text\":\"x\",\"rec_id\":\"1\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"rec_id\""));
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld", rv_seed[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "please report on placements in March"));
	assert_true(e2e_has(&c, "\"author\":\"Cllr Chris Member\""));
	assert_true(e2e_has(&c, "\"role\":\"councillor\""));
	e2e_client_free(&c);

	/* the manager records the report presented today */
	client_as(&c, "tm.demo");
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/report", rv_seed[0]);
	/* before any report: every update counts as a change */
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "\"since\":null"));
	assert_true(e2e_has(&c, "\"to_status\":\"completed\""));
	assert_true(e2e_has(&c, "\"from_status\":\"not-started\""));
	assert_true(e2e_has(&c, "\"rec_ref\":\"1\""));
	assert_int_equal(int_after(c.r.body, "nactions"), 14);
	assert_true(e2e_has(&c, "\"completed\":1"));
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/reports", rv_seed[0]);
	assert_int_equal(e2e_json(&c, "POST", path,
				  "{\"presented_on\":\"2999-01-01\"}"), 422);
	assert_true(e2e_has(&c, "\"field\":\"presented_on\""));
	snprintf(body, sizeof(body), "{\"presented_on\":\"%s\"}", today);
	assert_int_equal(e2e_json(&c, "POST", path, body), 201);
	assert_true(e2e_has(&c, "\"next_report_due\":\""));
	char want[64];
	snprintf(want, sizeof(want), "\"last_presented\":\"%s\"", today);
	assert_true(e2e_has(&c, want));
	/* the same date again conflicts */
	assert_int_equal(e2e_json(&c, "POST", path, body), 409);
	assert_true(e2e_has(&c, "\"field\":\"presented_on\""));
	/* since the report just presented nothing has changed */
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/report", rv_seed[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	snprintf(want, sizeof(want), "\"since\":\"%s\"", today);
	assert_true(e2e_has(&c, want));
	assert_true(e2e_has(&c, "\"changes\":[]"));
	/* since a date of our choosing, it has */
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/report?since=2000-01-01",
		 rv_seed[0]);
	assert_int_equal(e2e_get(&c, path), 200);
	assert_true(e2e_has(&c, "\"to_status\":\"completed\""));
	assert_true(e2e_has(&c, "\"nupdates\":3"));
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/report?since=yesterday",
		 rv_seed[0]);
	assert_int_equal(e2e_get(&c, path), 400);
	assert_true(e2e_has(&c, "\"field\":\"since\""));
	e2e_client_free(&c);
}

/* ---- roles ----------------------------------------------------------- */

struct call {
	const char *method;
	const char *path;   /* %lld: a review id, or an action id */
	const char *body;
	bool action;        /* the id is an action's */
};

static void roles(void **state)
{
	(void)state;
	assert_true(rv_seed[0] > 0);
	long long act = review_action(rv_seed[0], 2);
	const struct call reads[] = {
		{"GET", "/api/v1/reviews", NULL, false},
		{"GET", "/api/v1/reviews/%lld", NULL, false},
		{"GET", "/api/v1/reviews/%lld/report", NULL, false},
		{"GET", "/api/v1/actions", NULL, false},
	};
	const struct call edits[] = {
		{"POST", "/api/v1/reviews", "{\"body_kind\":\"committee\","
		 "\"body_name\":\"C\",\"topic\":\"By role\"}", false},
		{"POST", "/api/v1/reviews/%lld/import", "{\"document\":"
		 "\"Recommendation\\tResponse\\tAction\\tTimescale\\n"
		 "1. That the panel is told.\\tAccepted.\\tA report.\\t"
		 "March 2011\\n\",\"dry_run\":true}", false},
		{"POST", "/api/v1/actions/%lld/updates", "{\"status\":"
		 "\"in-progress\",\"narrative\":\"Synthetic by role\"}", true},
		{"PUT", "/api/v1/actions/%lld/timescale", "{\"due_on\":null}",
		 true},
		{"POST", "/api/v1/reviews/%lld/reports", "{\"presented_on\":"
		 "\"2020-01-01\"}", false},
	};
	const struct call comment = {"POST", "/api/v1/reviews/%lld/comments",
				     "{\"text\":\"Synthetic by role\"}", false};
	struct who {
		const char *user;
		long read, edit, comment;
	} users[] = {
		{"cllr.demo", 200, 403, 201},
		{"partner.school", 403, 403, 403},
		{"partner.police", 403, 403, 403},
		{"sw.demo", 200, 403, 403},
		{"analyst.demo", 200, 0, 201},
		{"tm.demo", 200, 0, 201},
	};
	char path[128];
	for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++) {
		struct e2e_client c;
		client_as(&c, users[u].user);
		long long upds = count("scrutiny_update");
		for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
			snprintf(path, sizeof(path), reads[i].path, rv_seed[0]);
			long st = e2e_json(&c, reads[i].method, path, NULL);
			if (st != users[u].read)
				fail_msg("%s %s %s: %ld, want %ld",
					 users[u].user, reads[i].method, path,
					 st, users[u].read);
		}
		for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
			snprintf(path, sizeof(path), edits[i].path,
				 edits[i].action ? act : rv_seed[0]);
			long st = e2e_json(&c, edits[i].method, path,
					   edits[i].body);
			bool ok = users[u].edit ? st == users[u].edit
						: st >= 200 && st < 300;
			/* a second report on one date conflicts */
			if (!ok && users[u].edit == 0 && st == 409 &&
			    strstr(path, "/reports"))
				ok = true;
			if (!ok)
				fail_msg("%s %s %s: %ld", users[u].user,
					 edits[i].method, path, st);
			if (users[u].edit == 403)
				assert_true(e2e_has(&c, "\"status\":403"));
		}
		if (users[u].edit == 403)
			assert_int_equal(count("scrutiny_update"), upds);
		snprintf(path, sizeof(path), comment.path, rv_seed[0]);
		long st = e2e_json(&c, comment.method, path, comment.body);
		if (st != users[u].comment)
			fail_msg("%s comment: %ld, want %ld", users[u].user, st,
				 users[u].comment);
		e2e_client_free(&c);
	}
	/* no token at all */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/api/v1/reviews"), 401);
	e2e_client_free(&c);
}

/* ---- the document and the audit chain -------------------------------- */

static void openapi_lists_paths(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/api/v1/openapi.json"), 200);
	const char *paths[] = {
		"\"/api/v1/reviews\"", "\"/api/v1/reviews/{id}\"",
		"\"/api/v1/reviews/{id}/import\"", "\"/api/v1/actions\"",
		"\"/api/v1/actions/{id}/updates\"",
		"\"/api/v1/actions/{id}/timescale\"",
		"\"/api/v1/reviews/{id}/comments\"",
		"\"/api/v1/reviews/{id}/reports\"",
		"\"/api/v1/reviews/{id}/report\"",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!e2e_has(&c, paths[i]))
			fail_msg("openapi.json lacks %s", paths[i]);
	assert_true(e2e_has(&c, "\"scrutiny.read\""));
	assert_true(e2e_has(&c, "\"scrutiny.edit\""));
	assert_true(e2e_has(&c, "\"scrutiny.comment\""));
	assert_true(e2e_has(&c, "\"put\""));
	/* the body schemas came through as objects, not the fallback */
	assert_true(e2e_has(&c, "\"dry_run\""));
	assert_true(e2e_has(&c, "\"presented_on\""));
	assert_true(e2e_has(&c, "\"six-monthly\""));
	e2e_client_free(&c);
}

static void audit_after(void **state)
{
	(void)state;
	/* each write left its audit row, with no child */
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE "
				     "entity = 'scrutiny-review' AND action = "
				     "'import'"), imports_before + imports_saved);
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE "
				"entity = 'scrutiny-action' AND action = "
				"'update'") >= 4);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM audit WHERE "
				     "entity LIKE 'scrutiny-%' AND child_id IS "
				     "NOT NULL AND child_id <> 0"), 0);
	/* no narrative or comment text in the server's log */
	FILE *f = fopen(srv.log, "r");
	assert_non_null(f);
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		assert_null(strstr(line, "Synthetic"));
		assert_null(strstr(line, "First Option"));
	}
	fclose(f);
	char out[512];
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "audit",
				   "verify", "--db", srv.db, NULL), 0);
	assert_non_null(strstr(out, "intact"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_review),
		cmocka_unit_test(seed_000),
		cmocka_unit_test(seed_001),
		cmocka_unit_test(seed_002),
		cmocka_unit_test(seed_003),
		cmocka_unit_test(seed_004),
		cmocka_unit_test(register_lists),
		cmocka_unit_test(import_refusals),
		cmocka_unit_test(progress_and_overdue),
		cmocka_unit_test(comments_and_reports),
		cmocka_unit_test(roles),
		cmocka_unit_test(openapi_lists_paths),
		cmocka_unit_test(audit_after),
	};
	return cmocka_run_group_tests_name("e2e_scrutiny_api", tests, up, down);
}
