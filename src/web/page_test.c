/*
 * page_test.c: the words pages show for numbers and times, with no
 * server: a request with only an arena.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
