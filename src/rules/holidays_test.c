/* holidays_test.c: the CSV and GOV.UK JSON bank-holiday parsers.  All
 * inputs are synthetic except the shared England and Wales CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/holidays.h"

#define HOLIDAYS_CSV CAIRN_SOURCE_ROOT \
	"/data/codes/bank_holidays_england_wales_2018_2027.csv"

static char err[256];

static int csv(const char *s, struct holidays_list *l)
{
	err[0] = '\0';
	return holidays_parse_csv(s, strlen(s), l, err, sizeof(err));
}

static int json(const char *s, const char *division, struct holidays_list *l)
{
	err[0] = '\0';
	return holidays_parse_govuk_json(s, strlen(s), division, l, err,
	    sizeof(err));
}

/* Expects failure, an empty list and an error mentioning `want`. */
#define assert_csv_fails(s, want) do { \
	struct holidays_list l_ = {99, (void *)1}; \
	assert_int_equal(csv((s), &l_), -1); \
	assert_int_equal(l_.n, 0); \
	assert_null(l_.v); \
	if (strstr(err, (want)) == NULL) \
		fail_msg("error '%s' lacks '%s'", err, (want)); \
} while (0)

#define assert_json_fails(s, div, want) do { \
	struct holidays_list l_ = {99, (void *)1}; \
	assert_int_equal(json((s), (div), &l_), -1); \
	assert_int_equal(l_.n, 0); \
	assert_null(l_.v); \
	if (strstr(err, (want)) == NULL) \
		fail_msg("error '%s' lacks '%s'", err, (want)); \
} while (0)

static void date_is(struct cal_date d, const char *want)
{
	char s[11];
	cal_date_format(d, s);
	assert_string_equal(s, want);
}

static void shared_csv_file(void **state)
{
	(void)state;
	FILE *f = fopen(HOLIDAYS_CSV, "rb");
	assert_non_null(f);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct holidays_list l;
	if (holidays_parse_csv(buf, n, &l, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(l.n, 83);	/* 8 a year, 10 in 2022, 9 in 2023 */
	date_is(l.v[0].date, "2018-01-01");
	assert_string_equal(l.v[0].title, "New Year\xe2\x80\x99s Day");
	date_is(l.v[l.n - 1].date, "2027-12-28");
	for (size_t i = 1; i < l.n; i++)
		assert_true(cal_compare(l.v[i - 1].date, l.v[i].date) < 0);
	holidays_list_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	holidays_list_free(&l);		/* twice is fine */
	holidays_list_free(NULL);
}

static void csv_quoting_and_layout(void **state)
{
	(void)state;
	struct holidays_list l;

	/* quoted comma, doubled quotes, CRLF, BOM, blank lines, any column
	 * order, a quoted line break in an ignored column, unsorted input */
	const char *s =
	    "\xef\xbb\xbf" "Title , notes,DATE,Weekday\r\n"
	    "\r\n"
	    "\"Boxing Day, observed\",\"two\nlines\",2024-12-26,thursday\r\n"
	    "\"The \"\"Big\"\" Day\",,2024-12-25,\r\n"
	    "\n"
	    "Plain,x,2024-01-01,Monday\n";
	if (csv(s, &l) != 0)
		fail_msg("%s", err);
	assert_int_equal(l.n, 3);
	date_is(l.v[0].date, "2024-01-01");
	assert_string_equal(l.v[0].title, "Plain");
	date_is(l.v[1].date, "2024-12-25");
	assert_string_equal(l.v[1].title, "The \"Big\" Day");
	date_is(l.v[2].date, "2024-12-26");
	assert_string_equal(l.v[2].title, "Boxing Day, observed");
	holidays_list_free(&l);

	/* header only: an empty list; no final newline is fine */
	assert_int_equal(csv("date,title", &l), 0);
	assert_int_equal(l.n, 0);
	holidays_list_free(&l);
	assert_int_equal(csv("date,title\n2024-05-06,Early May", &l), 0);
	assert_int_equal(l.n, 1);
	holidays_list_free(&l);

	/* a 127-byte title fits; 128 does not */
	char big[400];
	snprintf(big, sizeof(big), "date,title\n2024-05-06,%0127d\n", 0);
	assert_int_equal(csv(big, &l), 0);
	assert_int_equal(strlen(l.v[0].title), 127);
	holidays_list_free(&l);
	snprintf(big, sizeof(big), "date,title\n2024-05-06,%0128d\n", 0);
	assert_csv_fails(big, "line 2: the title is 128 bytes long");
	snprintf(big, sizeof(big), "date,title\n2024-05-06,%0200d\n", 0);
	assert_csv_fails(big, "line 2: the title is longer than 127 bytes");
}

static void csv_rejections(void **state)
{
	(void)state;
	assert_csv_fails("", "no header row");
	assert_csv_fails("\n\n", "no header row");
	assert_csv_fails("date,name\n2024-01-01,x\n", "no 'title' column");
	assert_csv_fails("day,title\n2024-01-01,x\n", "no 'date' column");
	assert_csv_fails("date,title,date\n", "names the column 'date' twice");
	assert_csv_fails("date,title\n2024-01-01,x,y\n",
	    "line 2: expected 2 fields as in the header, found 3");
	assert_csv_fails("date,title\n2024-01-01\n", "found 1");
	assert_csv_fails("date,title\n2023-02-29,Leap\n",
	    "line 2: '2023-02-29' is not a real date");
	assert_csv_fails("date,title\n2024-04-31,x\n", "not a real date");
	assert_csv_fails("date,title\n29/02/2024,x\n",
	    "'29/02/2024' is not a date in YYYY-MM-DD form");
	assert_csv_fails("date,title\n1066-10-14,Hastings\n",
	    "outside the years 1900 to 2100");
	assert_csv_fails("date,title\n\"2024-01-01 00:00:00 and more\",x\n",
	    "not a date in YYYY-MM-DD form");
	assert_csv_fails("date,weekday,title\n2018-01-01,Tuesday,x\n",
	    "the weekday 'Tuesday' does not match 2018-01-01, which is a "
	    "Monday");
	assert_csv_fails("date,title\n2024-01-01,\"open\n",
	    "line 2: a quoted field is never closed");
	assert_csv_fails("date,title\n2024-01-01,\"x\"y\n",
	    "unexpected text after a closing quote");
	assert_csv_fails("date,title\n2024-01-01,a\"b\n",
	    "double quote inside an unquoted field");
	assert_csv_fails("date,title\n2024-01-01,\n", "the title is empty");
	assert_csv_fails("date,title\n2024-01-01,\"a\nb\"\n",
	    "not valid UTF-8 text on one line");
	assert_csv_fails("date,title\n2024-01-01,caf\xc3\n",
	    "not valid UTF-8 text");
	assert_csv_fails("date,title\n2024-01-01,\x01x\n",
	    "not valid UTF-8 text");
	/* duplicates are rejected, naming both lines */
	assert_csv_fails("date,title\n2024-01-01,a\n2024-05-06,b\n"
	    "2024-01-01,a\n", "line 4: 2024-01-01 is listed twice (also at "
	    "line 2)");
	/* the line number counts physical lines, quoted breaks included */
	assert_csv_fails("date,notes,title\n2024-01-01,\"a\nb\",x\n"
	    "2024-13-01,,y\n", "line 4:");

	/* too many fields in a row */
	char wide[300] = "date,title";
	memset(wide + 10, ',', 70);
	wide[80] = '\0';
	assert_csv_fails(wide, "more than 64 fields");

	/* more than 5000 holidays */
	size_t cap = 32 + 5001 * 24, len, len5000 = 0;
	char *many = xmalloc(cap);
	assert_non_null(many);
	len = (size_t)snprintf(many, cap, "date,title\n");
	struct cal_date d = {1990, 1, 1};
	for (int i = 0; i < 5001; i++) {
		char ds[11];
		if (i == 5000)
			len5000 = len;
		cal_date_format(cal_add_days(d, i), ds);
		len += (size_t)snprintf(many + len, cap - len, "%s,x\n", ds);
	}
	assert_csv_fails(many, "more than 5000 holidays");
	/* exactly 5000 is fine */
	many[len5000] = '\0';
	struct holidays_list l;
	assert_int_equal(csv(many, &l), 0);
	assert_int_equal(l.n, 5000);
	holidays_list_free(&l);
	free(many);

	/* larger than 1 MiB */
	char *huge = xcalloc(1, HOLIDAYS_INPUT_MAX + 2);
	assert_non_null(huge);
	memset(huge, ' ', HOLIDAYS_INPUT_MAX + 1);
	struct holidays_list l2 = {0};
	assert_int_equal(holidays_parse_csv(huge, HOLIDAYS_INPUT_MAX + 1, &l2,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	free(huge);

	/* a NULL err buffer is allowed */
	assert_int_equal(holidays_parse_csv("x", 1, &l2, NULL, 0), -1);
	/* a tiny err buffer truncates */
	char small[8];
	assert_int_equal(holidays_parse_csv("", 0, &l2, small, sizeof(small)),
	    -1);
	assert_int_equal(strlen(small), 7);
}

static const char *govuk =
    "{\"england-and-wales\": {\"division\": \"england-and-wales\","
    " \"events\": ["
    "  {\"title\": \"Boxing Day\", \"date\": \"2022-12-26\","
    "   \"notes\": \"\", \"bunting\": true},"
    "  {\"title\": \"Christmas Day\", \"date\": \"2022-12-27\","
    "   \"notes\": \"Substitute day\", \"bunting\": true},"
    "  {\"title\": \"Bank holiday for the coronation of King Charles III\","
    "   \"date\": \"2023-05-08\", \"notes\": \"\", \"bunting\": true},"
    "  {\"title\": \"New Year\\u2019s Day\", \"date\": \"2023-01-02\","
    "   \"notes\": \"Substitute day\", \"bunting\": true}]},"
    " \"scotland\": {\"division\": \"scotland\", \"events\": ["
    "  {\"title\": \"St Andrew\\u2019s Day\", \"date\": \"2022-11-30\"},"
    "  {\"title\": \"2nd January\", \"date\": \"2023-01-02\"}]},"
    " \"northern-ireland\": {\"division\": \"northern-ireland\","
    " \"events\": []}}";

static void json_valid(void **state)
{
	(void)state;
	struct holidays_list l;
	if (json(govuk, NULL, &l) != 0)
		fail_msg("%s", err);
	assert_int_equal(l.n, 4);
	/* sorted, whatever the input order */
	date_is(l.v[0].date, "2022-12-26");
	date_is(l.v[1].date, "2022-12-27");
	date_is(l.v[2].date, "2023-01-02");
	assert_string_equal(l.v[2].title, "New Year\xe2\x80\x99s Day");
	date_is(l.v[3].date, "2023-05-08");

	struct cal *c = cal_new(CAL_DAY0);
	assert_int_equal(holidays_add_to_cal(&l, c), 0);
	struct cal_date fri = {2022, 12, 23}, wed = {2022, 12, 28};
	assert_int_equal(cal_compare(cal_add_working_days(c, fri, 1), wed), 0);
	cal_free(c);
	holidays_list_free(&l);

	assert_int_equal(json(govuk, "scotland", &l), 0);
	assert_int_equal(l.n, 2);
	date_is(l.v[0].date, "2022-11-30");
	holidays_list_free(&l);
	assert_int_equal(json(govuk, "northern-ireland", &l), 0);
	assert_int_equal(l.n, 0);
	holidays_list_free(&l);
}

static void json_rejections(void **state)
{
	(void)state;
	assert_json_fails("", NULL, "empty");
	assert_json_fails("{\"england-and-wales\": {", NULL,
	    "malformed JSON at line 1");
	assert_json_fails("{\"a\": 1,}", NULL, "malformed JSON");
	assert_json_fails("[]", NULL, "must be a JSON object");
	/* jansson quotes the bad token; the message stays printable */
	assert_json_fails("\x17\x17\xa2", NULL, "malformed JSON");
	for (const char *p = err; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	assert_csv_fails("date,title, Date \n", "column 'Date' twice");
	assert_json_fails("\"x\"", NULL, "malformed JSON");
	assert_json_fails(govuk, "wales", "no 'wales' division");
	assert_json_fails("{\"england-and-wales\": []}", NULL,
	    "england-and-wales: must be an object");
	assert_json_fails("{\"england-and-wales\": {\"division\": \"x\","
	    " \"events\": []}}", NULL, "division: does not name");
	assert_json_fails("{\"england-and-wales\": {}}", NULL,
	    "england-and-wales.events: missing");
	assert_json_fails("{\"england-and-wales\": {\"events\": {}}}", NULL,
	    "events: must be an array");
	assert_json_fails("{\"england-and-wales\": {\"events\": [1]}}", NULL,
	    "events[0]: must be an object");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"title\": \"x\"}]}}", NULL, "events[0].date: missing");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"title\": \"x\", \"date\": 20240101}]}}", NULL,
	    "events[0].date: must be a string");
	assert_json_fails("{\"england-and-wales\": {\"events\": ["
	    "{\"title\": \"a\", \"date\": \"2023-01-02\"},"
	    "{\"title\": \"b\", \"date\": \"2023-01-03\"},"
	    "{\"title\": \"c\", \"date\": \"2023-01-04\"},"
	    "{\"title\": \"d\", \"date\": \"2023-02-30\"}]}}", NULL,
	    "events[3].date: '2023-02-30' is not a real date");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\"}]}}", NULL, "events[0].title: missing");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": null}]}}", NULL,
	    "events[0].title: must be a string");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"a\\u0007b\"}]}}", NULL,
	    "events[0].title: the title is not valid UTF-8 text");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"a\\u0000b\"}]}}", NULL,
	    "malformed JSON");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"\xff\"}]}}", NULL,
	    "malformed JSON");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"x\", \"bunting\": 1}]}}",
	    NULL, "events[0].bunting: must be true or false");
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"x\", \"notes\": 1}]}}",
	    NULL, "events[0].notes: must be a string");
	/* duplicate keys (JSON_REJECT_DUPLICATES) and duplicate dates */
	assert_json_fails("{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"date\": \"2024-01-02\", "
	    "\"title\": \"x\"}]}}", NULL, "duplicate object key");
	assert_json_fails("{\"england-and-wales\": {\"events\": ["
	    "{\"date\": \"2024-01-01\", \"title\": \"x\"},"
	    "{\"date\": \"2024-01-01\", \"title\": \"x\"}]}}", NULL,
	    "events[1]: 2024-01-01 is listed twice (also at events[0])");

	/* a title of 128 bytes */
	char big[400];
	snprintf(big, sizeof(big), "{\"england-and-wales\": {\"events\": "
	    "[{\"date\": \"2024-01-01\", \"title\": \"%0128d\"}]}}", 0);
	assert_json_fails(big, NULL, "events[0].title: the title is 128 bytes");

	/* more than 5000 events */
	size_t cap = 64 + 5001 * 48, len;
	char *many = xmalloc(cap);
	assert_non_null(many);
	len = (size_t)snprintf(many, cap,
	    "{\"england-and-wales\": {\"events\": [");
	struct cal_date d = {1990, 1, 1};
	for (int i = 0; i < 5001; i++) {
		char ds[11];
		cal_date_format(cal_add_days(d, i), ds);
		len += (size_t)snprintf(many + len, cap - len,
		    "%s{\"date\": \"%s\", \"title\": \"x\"}", i ? "," : "", ds);
	}
	snprintf(many + len, cap - len, "]}}");
	assert_json_fails(many, NULL, "5001 events; the most allowed is 5000");
	free(many);

	/* larger than 1 MiB, even if well formed */
	char *huge = xmalloc(HOLIDAYS_INPUT_MAX + 1);
	assert_non_null(huge);
	memset(huge, ' ', HOLIDAYS_INPUT_MAX + 1);
	huge[0] = '{';
	huge[HOLIDAYS_INPUT_MAX] = '}';
	struct holidays_list l = {0};
	assert_int_equal(holidays_parse_govuk_json(huge, HOLIDAYS_INPUT_MAX + 1,
	    NULL, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	free(huge);
	assert_int_equal(holidays_parse_govuk_json("[", 1, NULL, &l, NULL, 0),
	    -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_csv_file),
		cmocka_unit_test(csv_quoting_and_layout),
		cmocka_unit_test(csv_rejections),
		cmocka_unit_test(json_valid),
		cmocka_unit_test(json_rejections),
	};
	return cmocka_run_group_tests_name("holidays", tests, NULL, NULL);
}
