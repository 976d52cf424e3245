/* core_test.c: arena, sbuf and the checked parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/str.h"

static void arena_budget(void **state)
{
	(void)state;
	struct arena *a = arena_new(1000);
	char *p = arena_alloc(a, 500);
	assert_non_null(p);
	assert_false(arena_exhausted(a));
	assert_null(arena_alloc(a, 600));
	assert_true(arena_exhausted(a));
	/* small allocation still fits after a refused big one */
	assert_non_null(arena_alloc(a, 100));
	assert_true(arena_used(a) <= 1000);
	arena_free(a);
	arena_free(NULL);
}

static void arena_align_and_large(void **state)
{
	(void)state;
	struct arena *a = arena_new(1u << 24);
	for (int i = 1; i < 100; i++) {
		void *p = arena_alloc(a, (size_t)i * 37);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xaa, (size_t)i * 37);
	}
	assert_non_null(arena_alloc(a, 100000));
	char *s = arena_printf(a, "%s-%d", "x", 42);
	assert_string_equal(s, "x-42");
	assert_string_equal(arena_strndup(a, "hello", 3), "hel");
	assert_null(arena_strdup(a, NULL));
	arena_free(a);
}

static void arena_overflow_size(void **state)
{
	(void)state;
	struct arena *a = arena_new(SIZE_MAX);
	assert_null(arena_alloc(a, SIZE_MAX - 3));
	arena_free(a);
}

static void sbuf_limit(void **state)
{
	(void)state;
	struct sbuf sb;
	sbuf_init(&sb, 10);
	assert_int_equal(sbuf_adds(&sb, "12345"), 0);
	assert_int_equal(sbuf_printf(&sb, "%d", 12345), 0);
	assert_int_equal(sb.len, 10);
	assert_int_equal(sbuf_addc(&sb, 'x'), -1);
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "1234512345");
	size_t n;
	char *p = sbuf_detach(&sb, &n);
	assert_int_equal(n, 10);
	free(p);
	assert_null(sb.buf);
	sbuf_release(&sb);
}

static void parse_ints(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_true(str_to_i64z("0", 0, 10, &v));
	assert_int_equal(v, 0);
	assert_true(str_to_i64z("-42", -100, 100, &v));
	assert_int_equal(v, -42);
	assert_true(str_to_i64z("9223372036854775807", INT64_MIN, INT64_MAX, &v));
	assert_int_equal(v, INT64_MAX);
	assert_true(str_to_i64z("-9223372036854775808", INT64_MIN, INT64_MAX, &v));
	assert_int_equal(v, INT64_MIN);
	v = 7;
	assert_false(str_to_i64z("9223372036854775808", INT64_MIN, INT64_MAX, &v));
	assert_false(str_to_i64z("", 0, 10, &v));
	assert_false(str_to_i64z("-", -10, 10, &v));
	assert_false(str_to_i64z("+1", 0, 10, &v));
	assert_false(str_to_i64z("1a", 0, 10, &v));
	assert_false(str_to_i64z(" 1", 0, 10, &v));
	assert_false(str_to_i64z("11", 0, 10, &v));
	assert_int_equal(v, 7);
}

static void text_checks(void **state)
{
	(void)state;
	assert_true(str_is_text("hello\n\tworld", 12));
	assert_true(str_is_text("caf\xc3\xa9", 5));
	assert_false(str_is_text("a\0b", 3));
	assert_false(str_is_text("\x1b[31m", 5));
	assert_false(str_is_text("\xc3", 1));       /* truncated */
	assert_false(str_is_text("\xc0\xaf", 2));   /* overlong */
	assert_false(str_is_text("\xed\xa0\x80", 3)); /* surrogate */
	char s[] = "  padded \t";
	assert_string_equal(str_trim(s), "padded");
	assert_true(str_eqn("abc", 3, "abc"));
	assert_false(str_eqn("abc", 2, "abc"));
	assert_true(str_prefix("/api/v1/x", "/api/"));
}

/* Finding: cells starting with TAB or CR reached the spreadsheet as
 * they were; OWASP lists them with = + - @. */
static void csv_cells(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "plain"},
		{"", ""},
		{"a,b", "\"a,b\""},
		{"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"line\nbreak", "\"line\nbreak\""},
		{"=1+1", "\"'=1+1\""},
		{"+44", "\"'+44\""},
		{"-2", "\"'-2\""},
		{"@SUM(A1)", "\"'@SUM(A1)\""},
		{"\t=1+1", "\"'\t=1+1\""},
		{"\r=1+1", "\"'\r=1+1\""},
		{"a=1", "a=1"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf b;
		sbuf_init(&b, 256);
		csv_cell(&b, cases[i].in, true);
		sbuf_addc(&b, '\0');
		assert_string_equal(b.buf, cases[i].out);
		sbuf_release(&b);
	}
	struct sbuf b;
	sbuf_init(&b, 256);
	csv_cell(&b, NULL, true);
	csv_int(&b, -7, false);
	csv_cell(&b, "x", false);
	sbuf_addc(&b, '\0');
	assert_string_equal(b.buf, ",-7,x");
	sbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_budget),
		cmocka_unit_test(arena_align_and_large),
		cmocka_unit_test(arena_overflow_size),
		cmocka_unit_test(sbuf_limit),
		cmocka_unit_test(parse_ints),
		cmocka_unit_test(text_checks),
		cmocka_unit_test(csv_cells),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
