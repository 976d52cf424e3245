/* router_test.c: pattern matching and parameter filtering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "http/router.h"

static void matching(void **state)
{
	(void)state;
	int64_t ids[ROUTER_MAX_IDS];
	int n = -1;
	assert_true(router_match("/", "/", ids, &n));
	assert_int_equal(n, 0);
	assert_true(router_match("/children", "/children", ids, &n));
	assert_false(router_match("/children", "/children/", ids, &n));
	assert_false(router_match("/children", "/childrens", ids, &n));
	assert_false(router_match("/children/new", "/children", ids, &n));
	assert_true(router_match("/children/{id}", "/children/42", ids, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 42);
	assert_true(router_match("/children/{id}/contacts/{id}",
				 "/children/7/contacts/9", ids, &n));
	assert_int_equal(n, 2);
	assert_int_equal(ids[1], 9);
	assert_false(router_match("/children/{id}", "/children/0", ids, &n));
	assert_false(router_match("/children/{id}", "/children/-1", ids, &n));
	assert_false(router_match("/children/{id}", "/children/4a", ids, &n));
	assert_false(router_match("/children/{id}", "/children/", ids, &n));
	assert_false(router_match("/children/{id}", "/children/99999999999999999999",
				  ids, &n));
	assert_false(router_match("/children/{id}", "/children/1/x", ids, &n));
	assert_false(router_match("/a", "", ids, &n));
	assert_false(router_match("/a", "a", ids, &n));
}

static const struct param_spec specs[] = {
	{"name", PARAM_LINE, 10, false},
	{"note", PARAM_TEXT, 100, false},
	{"n", PARAM_INT, 5, false},
	{"csrf", PARAM_TOKEN, 64, false},
	{"tag", PARAM_LINE, 10, true},
	{NULL, 0, 0, false},
};

static struct decode_params mk(struct decode_kv *kv, size_t n)
{
	struct decode_params p = {n, kv};
	return p;
}

static void filtering(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_kv kv[] = {
		{"name", "Amy", 3},   {"evil", "x", 1},   {"note", "a\nb", 3},
		{"name", "Bob", 3},   {"tag", "x", 1},    {"tag", "y", 1},
		{"csrf", "abc-_9", 6},
	};
	struct decode_params out;
	const char *f, *why;
	assert_true(router_filter(a, specs, &(struct decode_params){7, kv}, &out,
				  &f, &why));
	assert_int_equal(out.n, 5);
	assert_string_equal(decode_params_get(&out, "name"), "Amy");
	assert_null(decode_params_get(&out, "evil"));
	assert_int_equal(decode_params_count(&out, "tag"), 2);

	struct decode_kv bad1[] = {{"name", "a\nb", 3}};
	struct decode_params p1 = mk(bad1, 1);
	assert_false(router_filter(a, specs, &p1, &out, &f, &why));
	assert_string_equal(f, "name");
	struct decode_kv bad2[] = {{"name", "0123456789A", 11}};
	struct decode_params p2 = mk(bad2, 1);
	assert_false(router_filter(a, specs, &p2, &out, &f, &why));
	assert_non_null(strstr(why, "longer than 10"));
	struct decode_kv bad3[] = {{"n", "1-2", 3}};
	struct decode_params p3 = mk(bad3, 1);
	assert_false(router_filter(a, specs, &p3, &out, &f, &why));
	assert_string_equal(f, "n");
	struct decode_kv bad4[] = {{"csrf", "a=b", 3}};
	struct decode_params p4 = mk(bad4, 1);
	assert_false(router_filter(a, specs, &p4, &out, &f, &why));
	/* no specs: everything dropped */
	assert_true(router_filter(a, NULL, &(struct decode_params){7, kv}, &out,
				  &f, &why));
	assert_int_equal(out.n, 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matching),
		cmocka_unit_test(filtering),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
