/*
 * page_test.c: the words pages show for numbers (page.c) and stored
 * times (page_time), with no server: a request with only an arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "web/app.h"
#include "web/page.h"

static struct req *req_new(void)
{
	static struct req r;
	memset(&r, 0, sizeof(r));
	r.a = arena_new(1 << 16);
	return &r;
}

/* Counts people read have thousands separators ("2,404"). */
static void counts(void **state)
{
	(void)state;
	struct req *r = req_new();
	static const struct {
		int64_t n;
		const char *s;
	} cases[] = {
		{0, "0"},           {7, "7"},
		{999, "999"},       {1000, "1,000"},
		{2404, "2,404"},    {12345, "12,345"},
		{100000, "100,000"}, {1234567, "1,234,567"},
		{-1000, "-1,000"},  {-999, "-999"},
		{INT64_MAX, "9,223,372,036,854,775,807"},
		{INT64_MIN, "-9,223,372,036,854,775,808"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(page_count_text(r, cases[i].n), cases[i].s);
	arena_free(r->a);
}

/* Stored UTC stamps are shown in UK local time, never as UTC: the
 * viewers table, a warning's end and the history of changes once said
 * "12 June 2024, 13:03 UTC". */
static void times(void **state)
{
	(void)state;
	struct req *r = req_new();
	static const struct {
		const char *in, *out;
	} cases[] = {
		/* BST: 23:30 UTC on 1 July is 00:30 on 2 July in England */
		{"2025-07-01T23:30:00Z", "2 July 2025 at 00:30"},
		{"2024-06-12T13:03:59Z", "12 June 2024 at 14:03"},
		/* GMT: the same as UTC */
		{"2025-01-15T23:30:00Z", "15 January 2025 at 23:30"},
		/* the clock changes: 01:00 UTC on the last Sundays */
		{"2025-03-30T00:59:00Z", "30 March 2025 at 00:59"},
		{"2025-03-30T01:00:00Z", "30 March 2025 at 02:00"},
		{"2025-10-26T00:30:00Z", "26 October 2025 at 01:30"},
		{"2025-10-26T01:30:00Z", "26 October 2025 at 01:30"},
		/* a civil time and a date are already UK: in words */
		{"2025-07-01T23:30", "1 July 2025 at 23:30"},
		{"2025-07-01", "1 July 2025"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(page_time(r, cases[i].in),
				    cases[i].out);
	assert_string_equal(page_time(r, NULL), "");
	arena_free(r->a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts),
		cmocka_unit_test(times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
