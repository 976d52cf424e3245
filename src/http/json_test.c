/* json_test.c: strict body parsing, typed getters, and the sbuf writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/json.h"

static enum json_body_err parse(const char *s, size_t depth, json_t **out,
				char *err, size_t errlen)
{
	return json_body_parse(s, strlen(s), depth, out, err, errlen);
}

static void errnames(void **state)
{
	(void)state;
	for (int i = 0; i < JSON_BODY__MAX; i++) {
		const char *m = json_body_errname((enum json_body_err)i);
		assert_non_null(m);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(m,
				json_body_errname((enum json_body_err)j));
	}
	assert_string_equal(json_body_errname(JSON_BODY_DUPKEY),
			    "duplicate_key");
	assert_string_equal(json_body_errname(JSON_BODY__MAX), "unknown");
}

static void parse_good(void **state)
{
	(void)state;
	json_t *j = NULL;
	char err[200];
	assert_int_equal(parse("{\"a\":1}", 1, &j, err, sizeof(err)),
			 JSON_BODY_OK);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	json_decref(j);

	/* depth: root 1, inner object 2, array 3 */
	const char *d3 = " {\"a\":{\"b\":[1,2]},\"c\":[]}\n";
	assert_int_equal(parse(d3, 3, &j, err, sizeof(err)), JSON_BODY_OK);
	json_decref(j);

	/* bytes after n are not read */
	assert_int_equal(json_body_parse("{\"a\":1}garbage", 7, 1, &j, NULL,
					 0), JSON_BODY_OK);
	json_decref(j);

	/* UTF-8 text survives */
	assert_int_equal(parse("{\"n\":\"Zo\xc3\xab\"}", 1, &j, err,
			       sizeof(err)), JSON_BODY_OK);
	assert_string_equal(json_string_value(json_object_get(j, "n")),
			    "Zo\xc3\xab");
	json_decref(j);
}

static void parse_bad(void **state)
{
	(void)state;
	json_t *j = (json_t *)state; /* any non-NULL marker */
	json_t *const marker = j;
	char err[200];

	assert_int_equal(parse("", 4, &j, err, sizeof(err)), JSON_BODY_EMPTY);
	assert_int_equal(parse(" \r\n\t", 4, &j, err, sizeof(err)),
			 JSON_BODY_EMPTY);
	assert_int_equal(json_body_parse(NULL, 0, 4, &j, NULL, 0),
			 JSON_BODY_EMPTY);

	assert_int_equal(parse("{\"a\":}", 4, &j, err, sizeof(err)),
			 JSON_BODY_SYNTAX);
	assert_string_equal(err, "line 1, column 6: unexpected token near '}'");
	assert_int_equal(parse("{\n  \"ab\": tru}", 4, &j, err, sizeof(err)),
			 JSON_BODY_SYNTAX);
	assert_true(strncmp(err, "line 2, column 11: ", 19) == 0);
	assert_int_equal(parse("{} x", 4, &j, err, sizeof(err)),
			 JSON_BODY_SYNTAX);
	assert_int_equal(parse("{\"a\":\"\\u0000\"}", 4, &j, err, sizeof(err)),
			 JSON_BODY_SYNTAX);
	assert_int_equal(json_body_parse("{\"a\":\"\0\"}", 9, 4, &j, err,
					 sizeof(err)), JSON_BODY_SYNTAX);
	assert_int_equal(parse("{\"a\":1e999999}", 4, &j, err, sizeof(err)),
			 JSON_BODY_SYNTAX);
	assert_int_equal(parse("{\"a\":123456789012345678901234567890}", 4,
			       &j, err, sizeof(err)), JSON_BODY_SYNTAX);

	assert_int_equal(parse("{\"a\":1,\"a\":2}", 4, &j, err, sizeof(err)),
			 JSON_BODY_DUPKEY);
	assert_true(strncmp(err, "line 1, column 10: ", 19) == 0);
	assert_int_equal(parse("{\"x\":[{\"b\":1,\"b\":1}]}", 4, &j, err,
			       sizeof(err)), JSON_BODY_DUPKEY);

	assert_int_equal(parse("{\"a\":\"\xff\"}", 4, &j, err, sizeof(err)),
			 JSON_BODY_NOTUTF8);
	assert_string_equal(err, "line 1, column 7: invalid UTF-8");
	assert_int_equal(parse("{\"a\":\"\xc0\xaf\"}", 4, &j, err,
			       sizeof(err)), JSON_BODY_NOTUTF8);
	assert_int_equal(parse("{\"a\":\"\xed\xa0\x80\"}", 4, &j, err,
			       sizeof(err)), JSON_BODY_NOTUTF8);
	assert_int_equal(parse("{\n\"a\":\"\xe2\x82\"}", 4, &j, err,
			       sizeof(err)), JSON_BODY_NOTUTF8);
	assert_string_equal(err, "line 2, column 6: invalid UTF-8");

	const char *roots[] = { "[1]", "\"s\"", "5", "null", "true" };
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		assert_int_equal(parse(roots[i], 4, &j, err, sizeof(err)),
				 JSON_BODY_NOTOBJECT);

	const char *d3 = "{\"a\":{\"b\":[1,2]}}";
	assert_int_equal(parse(d3, 2, &j, err, sizeof(err)),
			 JSON_BODY_TOODEEP);
	assert_int_equal(parse("{}", 0, &j, err, sizeof(err)),
			 JSON_BODY_TOODEEP);

	/* nothing was ever stored on failure */
	assert_ptr_equal(j, marker);

	/* errlen truncates, and 0 writes nothing */
	char small[5] = "zzzz";
	assert_int_equal(parse("", 4, &j, small, sizeof(small)),
			 JSON_BODY_EMPTY);
	assert_string_equal(small, "requ");
	small[0] = 'z';
	assert_int_equal(parse("", 4, &j, small, 0), JSON_BODY_EMPTY);
	assert_int_equal(small[0], 'z');
}

static void parse_limits(void **state)
{
	(void)state;
	json_t *j = NULL;
	char err[200];
	/* exactly JSON_BODY_MAX bytes is allowed, one more is not */
	size_t n = JSON_BODY_MAX + 1;
	char *big = xmalloc(n);
	memset(big, ' ', n);
	memcpy(big, "{\"a\":\"", 6);
	memset(big + 6, 'x', JSON_BODY_MAX - 8);
	memcpy(big + JSON_BODY_MAX - 2, "\"}", 2);
	assert_int_equal(json_body_parse(big, JSON_BODY_MAX, 2, &j, err,
					 sizeof(err)), JSON_BODY_OK);
	json_decref(j);
	assert_int_equal(json_body_parse(big, n, 2, &j, err, sizeof(err)),
			 JSON_BODY_TOOBIG);
	free(big);

	/* deeper than jansson's own limit: reported, not crashed */
	size_t depth = 5000;
	char *deep = xmalloc(2 * depth + 16);
	size_t k = 0;
	memcpy(deep, "{\"a\":", 5);
	k = 5;
	for (size_t i = 0; i < depth; i++)
		deep[k++] = '[';
	for (size_t i = 0; i < depth; i++)
		deep[k++] = ']';
	deep[k++] = '}';
	assert_int_equal(json_body_parse(deep, k, SIZE_MAX, &j, err,
					 sizeof(err)), JSON_BODY_TOODEEP);
	assert_int_equal(json_body_parse(deep, k, 64, &j, err, sizeof(err)),
			 JSON_BODY_TOODEEP);
	free(deep);
}

/* Loads a test object from a literal. */
static json_t *obj(const char *s)
{
	json_t *j = NULL;
	enum json_body_err rc = json_body_parse(s, strlen(s), 8, &j, NULL, 0);
	assert_int_equal(rc, JSON_BODY_OK);
	return j;
}

static void get_string(void **state)
{
	(void)state;
	json_t *j = obj("{\"name\":\"Alex\",\"e\":\"\xc3\xa9\xc3\xa9\xc3\xa9\","
			"\"blank\":\"  \",\"empty\":\"\",\"n\":null,\"num\":5,"
			"\"ctl\":\"a\\u0001b\",\"nl\":\"a\\nb\"}");
	struct json_field_err e;
	const char *s = "untouched";
	assert_int_equal(json_get_string(j, "name", true, 10, &s, &e),
			 JSON_FIELD_OK);
	assert_string_equal(s, "Alex");
	/* maxlen counts characters, not bytes */
	assert_int_equal(json_get_string(j, "e", true, 3, &s, &e),
			 JSON_FIELD_OK);
	assert_string_equal(s, "\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(json_get_string(j, "nl", true, 3, &s, &e),
			 JSON_FIELD_OK);
	/* optional: missing, null, empty */
	s = "untouched";
	assert_int_equal(json_get_string(j, "missing", false, 3, &s, &e),
			 JSON_FIELD_ABSENT);
	assert_int_equal(json_get_string(j, "n", false, 3, &s, &e),
			 JSON_FIELD_ABSENT);
	assert_string_equal(s, "untouched");
	assert_int_equal(json_get_string(j, "empty", false, 3, &s, &e),
			 JSON_FIELD_OK);
	assert_string_equal(s, "");

	s = "untouched";
	assert_int_equal(json_get_string(j, "e", true, 2, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.field, "e");
	assert_string_equal(e.msg, "must be at most 2 characters");
	assert_int_equal(json_get_string(j, "missing", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.field, "missing");
	assert_string_equal(e.msg, "is required");
	assert_int_equal(json_get_string(j, "n", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(json_get_string(j, "empty", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(json_get_string(j, "blank", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "is required");
	assert_int_equal(json_get_string(j, "num", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "must be text");
	assert_int_equal(json_get_string(j, "ctl", true, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "must not contain control characters");
	assert_int_equal(json_get_string(j, "name", true, 3, &s, NULL),
			 JSON_FIELD_INVALID);
	assert_string_equal(s, "untouched");

	json_t *arr = json_array();
	assert_int_equal(json_get_string(arr, "x", false, 3, &s, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "must be an object");
	assert_int_equal(json_get_string(NULL, "x", false, 3, &s, &e),
			 JSON_FIELD_INVALID);
	json_decref(arr);
	json_decref(j);
}

static void get_int_bool(void **state)
{
	(void)state;
	json_t *j = obj("{\"age\":17,\"neg\":-3,\"real\":1.0,\"str\":\"1\","
			"\"big\":9223372036854775807,\"t\":true,\"f\":false,"
			"\"zero\":0,\"n\":null}");
	struct json_field_err e;
	int64_t v = 99;
	assert_int_equal(json_get_int(j, "age", true, 0, 17, &v, &e),
			 JSON_FIELD_OK);
	assert_int_equal(v, 17);
	assert_int_equal(json_get_int(j, "neg", true, -3, 0, &v, &e),
			 JSON_FIELD_OK);
	assert_int_equal(v, -3);
	assert_int_equal(json_get_int(j, "big", true, INT64_MIN, INT64_MAX,
				      &v, &e), JSON_FIELD_OK);
	assert_int_equal(v, INT64_MAX);
	v = 99;
	assert_int_equal(json_get_int(j, "n", false, 0, 1, &v, &e),
			 JSON_FIELD_ABSENT);
	assert_int_equal(json_get_int(j, "age", true, 0, 16, &v, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "must be a whole number from 0 to 16");
	assert_int_equal(json_get_int(j, "neg", true, -2, 5, &v, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(json_get_int(j, "real", true, 0, 5, &v, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.msg, "must be a whole number");
	assert_int_equal(json_get_int(j, "str", true, 0, 5, &v, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(json_get_int(j, "t", true, 0, 5, &v, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(v, 99);

	bool b = false;
	assert_int_equal(json_get_bool(j, "t", true, &b, &e), JSON_FIELD_OK);
	assert_true(b);
	assert_int_equal(json_get_bool(j, "f", true, &b, &e), JSON_FIELD_OK);
	assert_false(b);
	b = true;
	assert_int_equal(json_get_bool(j, "missing", false, &b, &e),
			 JSON_FIELD_ABSENT);
	assert_int_equal(json_get_bool(j, "zero", true, &b, &e),
			 JSON_FIELD_INVALID);
	assert_string_equal(e.field, "zero");
	assert_string_equal(e.msg, "must be true or false");
	assert_int_equal(json_get_bool(j, "str", true, &b, &e),
			 JSON_FIELD_INVALID);
	assert_int_equal(json_get_bool(j, "missing", true, &b, &e),
			 JSON_FIELD_INVALID);
	assert_true(b);
	json_decref(j);
}

static void get_date(void **state)
{
	(void)state;
	json_t *j = obj("{\"dob\":\"2024-02-29\",\"bad\":\"2023-02-29\","
			"\"short\":\"2024-2-9\",\"num\":20240101,"
			"\"sp\":\" 2024-01-01\",\"old\":\"1899-12-31\","
			"\"time\":\"2024-01-01T10:00\"}");
	struct json_field_err e;
	struct cal_date d = { 1, 1, 1 };
	assert_int_equal(json_get_date(j, "dob", true, &d, &e),
			 JSON_FIELD_OK);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	assert_int_equal(json_get_date(j, "missing", false, &d, &e),
			 JSON_FIELD_ABSENT);
	const char *bad[] = { "bad", "short", "num", "sp", "old", "time" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(json_get_date(j, bad[i], true, &d, &e),
				 JSON_FIELD_INVALID);
		assert_string_equal(e.field, bad[i]);
	}
	assert_true(strstr(e.msg, "YYYY-MM-DD") != NULL);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.d, 29);
	json_decref(j);
}

static void check_fields(void **state)
{
	(void)state;
	static const char *const allowed[] = { "name", "dob", "note", NULL };
	struct json_field_err e;
	json_t *j = obj("{\"name\":\"A\",\"dob\":\"2020-01-01\"}");
	assert_int_equal(json_check_fields(j, allowed, &e), 0);
	json_decref(j);

	j = obj("{\"name\":\"A\",\"role\":\"admin\",\"zzz\":1}");
	assert_int_equal(json_check_fields(j, allowed, &e), -1);
	assert_string_equal(e.field, "role");
	assert_string_equal(e.msg, "is not a recognised field");
	/* case matters */
	json_decref(j);
	j = obj("{\"Name\":\"A\"}");
	assert_int_equal(json_check_fields(j, allowed, &e), -1);
	assert_string_equal(e.field, "Name");
	json_decref(j);

	/* a hostile key is truncated to fit and stays valid text */
	j = obj("{\"\\u0007\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\":1}");
	assert_int_equal(json_check_fields(j, allowed, &e), -1);
	assert_int_equal(e.field[0], '?');
	assert_true(strlen(e.field) < sizeof(e.field));
	assert_true(strlen(e.field) % 2 == 1); /* '?' + whole characters */
	assert_true(str_is_text(e.field, strlen(e.field)));
	json_decref(j);

	json_t *arr = json_array();
	assert_int_equal(json_check_fields(arr, allowed, &e), -1);
	assert_string_equal(e.msg, "must be an object");
	json_decref(arr);
	j = obj("{}");
	assert_int_equal(json_check_fields(j, allowed, &e), 0);
	json_decref(j);
}

static void dump(void **state)
{
	(void)state;
	struct sbuf sb;
	sbuf_init(&sb, 1024);
	json_t *j = json_pack("{s:i,s:[b,n],s:s}", "a", 1, "b", 1, "c",
			      "\xc3\xa9<\"");
	assert_non_null(j);
	sbuf_adds(&sb, "x");
	assert_int_equal(json_dump_sbuf(j, &sb), 0);
	assert_string_equal(sb.buf, "x{\"a\":1,\"b\":[true,null],\"c\":\"\xc3\xa9<\\\"\"}");
	json_t *s = json_string("plain");
	sbuf_reset(&sb);
	assert_int_equal(json_dump_sbuf(s, &sb), 0);
	assert_string_equal(sb.buf, "\"plain\"");
	json_decref(s);
	assert_int_equal(json_dump_sbuf(NULL, &sb), -1);
	assert_string_equal(sb.buf, "\"plain\"");
	sbuf_release(&sb);

	/* over the limit: -1 and the buffer is as it was */
	sbuf_init(&sb, 10);
	sbuf_adds(&sb, "ab");
	assert_int_equal(json_dump_sbuf(j, &sb), -1);
	assert_int_equal(sb.len, 2);
	assert_string_equal(sb.buf, "ab");
	sbuf_release(&sb);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errnames),
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(parse_limits),
		cmocka_unit_test(get_string),
		cmocka_unit_test(get_int_bool),
		cmocka_unit_test(get_date),
		cmocka_unit_test(check_fields),
		cmocka_unit_test(dump),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
