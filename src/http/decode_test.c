/* decode_test.c: URL, form, cookie and path-id decoders, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/decode.h"

/* Decodes a C string; returns the code and leaves the result in *out. */
static enum decode_err url(struct arena *a, const char *s, bool plus,
			   char **out)
{
	return decode_url(a, s, strlen(s), plus, out, NULL);
}

static void strerror_table(void **state)
{
	(void)state;
	for (int i = 0; i < DECODE__MAX; i++) {
		const char *m = decode_strerror((enum decode_err)i);
		assert_non_null(m);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(m,
				decode_strerror((enum decode_err)j));
	}
	assert_string_equal(decode_strerror(DECODE__MAX),
			    "unknown decode error");
	assert_string_equal(decode_strerror((enum decode_err)-1),
			    "unknown decode error");
}

static void url_good(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	char *o;
	size_t len = 99;
	assert_int_equal(decode_url(a, "a%20b", 5, false, &o, &len),
			 DECODE_OK);
	assert_string_equal(o, "a b");
	assert_int_equal(len, 3);
	assert_int_equal(url(a, "a+b", false, &o), DECODE_OK);
	assert_string_equal(o, "a+b");
	assert_int_equal(url(a, "a+b", true, &o), DECODE_OK);
	assert_string_equal(o, "a b");
	assert_int_equal(url(a, "%2B%2b", true, &o), DECODE_OK);
	assert_string_equal(o, "++");
	assert_int_equal(url(a, "caf%c3%A9", false, &o), DECODE_OK);
	assert_string_equal(o, "caf\xc3\xa9");
	/* raw UTF-8 passes through untouched */
	assert_int_equal(url(a, "\xe2\x82\xac", false, &o), DECODE_OK);
	assert_string_equal(o, "\xe2\x82\xac");
	assert_int_equal(url(a, "", false, &o), DECODE_OK);
	assert_string_equal(o, "");
	/* length-bounded: bytes past n are never read */
	char buf[6] = { 'a', 'b', 'c', '%', '4', '1' };
	assert_int_equal(decode_url(a, buf, 3, false, &o, &len), DECODE_OK);
	assert_string_equal(o, "abc");
	assert_int_equal(decode_url(a, buf, 6, false, &o, &len), DECODE_OK);
	assert_string_equal(o, "abcA");
	arena_free(a);
}

static void url_bad(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	char *o = (char *)"untouched";
	size_t len = 99;
	assert_int_equal(url(a, "%G1", false, &o), DECODE_BADESCAPE);
	assert_int_equal(url(a, "%1G", false, &o), DECODE_BADESCAPE);
	assert_int_equal(url(a, "ab%4", false, &o), DECODE_BADESCAPE);
	assert_int_equal(url(a, "ab%", false, &o), DECODE_BADESCAPE);
	assert_int_equal(url(a, "%%41", false, &o), DECODE_BADESCAPE);
	/* truncated by n although the bytes after are a valid escape */
	assert_int_equal(decode_url(a, "x%41", 3, false, &o, &len),
			 DECODE_BADESCAPE);
	assert_int_equal(url(a, "a%00b", false, &o), DECODE_NOTTEXT);
	assert_int_equal(url(a, "%C3%28", false, &o), DECODE_NOTTEXT);
	assert_int_equal(url(a, "%FF", false, &o), DECODE_NOTTEXT);
	assert_int_equal(url(a, "%1b[31m", false, &o), DECODE_NOTTEXT);
	assert_int_equal(url(a, "%c0%af", false, &o), DECODE_NOTTEXT);
	assert_int_equal(decode_url(a, "a\0b", 3, false, &o, &len),
			 DECODE_NOTTEXT);
	assert_int_equal(url(a, "\xff", false, &o), DECODE_NOTTEXT);
	assert_string_equal(o, "untouched");
	assert_int_equal(len, 99);
	arena_free(a);
}

static void url_budget(void **state)
{
	(void)state;
	struct arena *a = arena_new(64);
	char big[200];
	memset(big, 'x', sizeof(big));
	char *o = NULL;
	assert_int_equal(decode_url(a, big, sizeof(big), false, &o, NULL),
			 DECODE_NOMEM);
	assert_null(o);
	assert_int_equal(decode_url(a, big, 10, false, &o, NULL), DECODE_OK);
	arena_free(a);
}

static enum decode_err query(struct arena *a, const char *s,
			     struct decode_params *p)
{
	return decode_query(a, s, strlen(s), 20, 100, p);
}

static void query_good(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p;
	assert_int_equal(query(a, "a=1&b=two+words&a=3", &p), DECODE_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0].key, "a");
	assert_string_equal(p.v[1].val, "two words");
	assert_int_equal(p.v[1].vlen, 9);
	assert_string_equal(p.v[2].val, "3");
	assert_string_equal(decode_params_get(&p, "a"), "1");
	assert_int_equal(decode_params_count(&p, "a"), 2);
	assert_int_equal(decode_params_count(&p, "b"), 1);
	assert_null(decode_params_get(&p, "c"));
	assert_null(decode_params_get(&p, "A"));
	assert_int_equal(decode_params_count(&p, "c"), 0);

	assert_int_equal(query(a, "&&flag&x=a=b&&", &p), DECODE_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].key, "flag");
	assert_string_equal(p.v[0].val, "");
	assert_int_equal(p.v[0].vlen, 0);
	assert_string_equal(p.v[1].val, "a=b");

	assert_int_equal(query(a, "na%6De=caf%C3%A9&e=", &p), DECODE_OK);
	assert_string_equal(decode_params_get(&p, "name"), "caf\xc3\xa9");
	assert_string_equal(decode_params_get(&p, "e"), "");

	assert_int_equal(query(a, "", &p), DECODE_OK);
	assert_int_equal(p.n, 0);
	assert_null(decode_params_get(&p, "a"));
	assert_int_equal(decode_params_count(&p, "a"), 0);
	assert_int_equal(decode_query(a, NULL, 0, 1, 1, &p), DECODE_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(query(a, "&&&", &p), DECODE_OK);
	assert_int_equal(p.n, 0);

	/* bounded by n */
	assert_int_equal(decode_query(a, "a=1&b=2", 3, 20, 100, &p),
			 DECODE_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].val, "1");
	arena_free(a);
}

static void query_limits(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p = { 7, NULL };
	/* exactly max_params is allowed, one more is not; empties don't count */
	assert_int_equal(decode_query(a, "a&b&c", 5, 3, 10, &p), DECODE_OK);
	assert_int_equal(p.n, 3);
	p.n = 7;
	assert_int_equal(decode_query(a, "a&b&&c&", 7, 3, 10, &p), DECODE_OK);
	assert_int_equal(p.n, 3);
	p.n = 7;
	assert_int_equal(decode_query(a, "a&b&c&d", 7, 3, 10, &p),
			 DECODE_TOOMANY);
	assert_int_equal(p.n, 7);
	assert_int_equal(decode_query(a, "a", 1, 0, 10, &p), DECODE_TOOMANY);

	/* max_value counts decoded bytes */
	assert_int_equal(decode_query(a, "v=%41%41%41", 11, 3, 3, &p),
			 DECODE_OK);
	assert_string_equal(p.v[0].val, "AAA");
	p.n = 7;
	assert_int_equal(decode_query(a, "v=AAAA", 6, 3, 3, &p),
			 DECODE_TOOLONG);
	assert_int_equal(p.n, 7);

	char key[DECODE_KEY_MAX + 3];
	memset(key, 'k', sizeof(key));
	key[DECODE_KEY_MAX] = '=';
	assert_int_equal(decode_query(a, key, DECODE_KEY_MAX + 1, 3, 3, &p),
			 DECODE_OK);
	assert_int_equal(strlen(p.v[0].key), DECODE_KEY_MAX);
	key[DECODE_KEY_MAX] = 'k';
	key[DECODE_KEY_MAX + 1] = '=';
	assert_int_equal(decode_query(a, key, DECODE_KEY_MAX + 2, 3, 3, &p),
			 DECODE_TOOLONG);
	arena_free(a);
}

static void query_bad(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p = { 7, NULL };
	assert_int_equal(query(a, "a=1&=x", &p), DECODE_SYNTAX);
	assert_int_equal(query(a, "a=%G1", &p), DECODE_BADESCAPE);
	assert_int_equal(query(a, "a%2=1", &p), DECODE_BADESCAPE);
	assert_int_equal(query(a, "a=%00", &p), DECODE_NOTTEXT);
	assert_int_equal(query(a, "%FF=1", &p), DECODE_NOTTEXT);
	assert_int_equal(query(a, "k%07=1", &p), DECODE_NOTTEXT);
	assert_int_equal(query(a, "a=\xc3", &p), DECODE_NOTTEXT);
	assert_int_equal(p.n, 7);
	assert_null(p.v);
	arena_free(a);

	/* the arena budget is reported, not crashed on */
	a = arena_new(32);
	assert_int_equal(query(a, "a=1&b=2&c=3&d=4&e=5", &p), DECODE_NOMEM);
	arena_free(a);
}

static enum decode_err cookies(struct arena *a, const char *s,
			       struct decode_params *p)
{
	return decode_cookies(a, s, strlen(s), p);
}

static void cookie_good(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p;
	assert_int_equal(cookies(a, "sid=abc123; theme=dark", &p), DECODE_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(decode_params_get(&p, "sid"), "abc123");
	assert_string_equal(decode_params_get(&p, "theme"), "dark");
	assert_int_equal(p.v[0].vlen, 6);

	/* extra spaces, tabs, empty pieces, quoted values, empty values */
	assert_int_equal(cookies(a, "  a = 1 ;b=\"two\";;\tc=; d=\"\" ;",
				 &p), DECODE_OK);
	assert_int_equal(p.n, 4);
	assert_string_equal(decode_params_get(&p, "a"), "1");
	assert_string_equal(decode_params_get(&p, "b"), "two");
	assert_string_equal(decode_params_get(&p, "c"), "");
	assert_string_equal(decode_params_get(&p, "d"), "");

	/* no percent-decoding; '=' inside a value is kept */
	assert_int_equal(cookies(a, "x=a%20b; t=YWJj==", &p), DECODE_OK);
	assert_string_equal(decode_params_get(&p, "x"), "a%20b");
	assert_string_equal(decode_params_get(&p, "t"), "YWJj==");

	/* repeated names kept in order */
	assert_int_equal(cookies(a, "s=1; s=2", &p), DECODE_OK);
	assert_int_equal(decode_params_count(&p, "s"), 2);
	assert_string_equal(decode_params_get(&p, "s"), "1");

	assert_int_equal(cookies(a, "", &p), DECODE_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(decode_cookies(a, NULL, 0, &p), DECODE_OK);
	assert_int_equal(p.n, 0);
	arena_free(a);
}

static void cookie_malformed_skipped(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p;
	const char *h = "noeq; bad name=1; =anon; q=\"open; sp=a b; "
			"bs=a\\b; cm=a,b; utf=caf\xc3\xa9; mid=a\"b; "
			"lone=\"; brk[0]=1; ok=yes";
	assert_int_equal(cookies(a, h, &p), DECODE_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].key, "ok");
	assert_string_equal(p.v[0].val, "yes");
	assert_null(decode_params_get(&p, "q"));
	assert_null(decode_params_get(&p, "utf"));
	arena_free(a);
}

static void cookie_bad(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p = { 7, NULL };
	assert_int_equal(decode_cookies(a, "a=1\0; b=2", 9, &p),
			 DECODE_NOTTEXT);
	assert_int_equal(cookies(a, "a=1; b=\x01", &p), DECODE_NOTTEXT);
	assert_int_equal(cookies(a, "a=1\r\nSet: x", &p), DECODE_NOTTEXT);
	assert_int_equal(cookies(a, "a=\xff", &p), DECODE_NOTTEXT);
	assert_int_equal(cookies(a, "a=\xc3", &p), DECODE_NOTTEXT);
	assert_int_equal(p.n, 7);
	assert_null(p.v);
	arena_free(a);
}

static void cookie_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct decode_params p;
	char h[2048];
	size_t n = 0;
	for (int i = 0; i < DECODE_COOKIE_MAX; i++)
		n += (size_t)snprintf(h + n, sizeof(h) - n, "c%d=%d; ", i, i);
	assert_int_equal(decode_cookies(a, h, n, &p), DECODE_OK);
	assert_int_equal(p.n, DECODE_COOKIE_MAX);
	assert_string_equal(decode_params_get(&p, "c49"), "49");
	/* a malformed extra does not count */
	size_t m = n + (size_t)snprintf(h + n, sizeof(h) - n, "junk; ");
	assert_int_equal(decode_cookies(a, h, m, &p), DECODE_OK);
	/* one well-formed extra does */
	m = n + (size_t)snprintf(h + n, sizeof(h) - n, "c50=50");
	assert_int_equal(decode_cookies(a, h, m, &p), DECODE_TOOMANY);
	arena_free(a);
}

static void path_ids(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(decode_path_segment_id("1", 1, &v));
	assert_int_equal(v, 1);
	assert_true(decode_path_segment_id("42", 2, &v));
	assert_int_equal(v, 42);
	assert_true(decode_path_segment_id("9007199254740992", 16, &v));
	assert_int_equal(v, DECODE_ID_MAX);
	assert_true(decode_path_segment_id("123abc", 3, &v));
	assert_int_equal(v, 123);

	v = 5;
	const char *bad[] = { "", "0", "007", "+1", "-1", "1e3", "12a", " 1",
			      "1 ", "9007199254740993", "99999999999999999",
			      "%31", "\xd9\xa1", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(decode_path_segment_id(bad[i], strlen(bad[i]),
						    &v));
	assert_false(decode_path_segment_id(NULL, 0, &v));
	assert_int_equal(v, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strerror_table),
		cmocka_unit_test(url_good),
		cmocka_unit_test(url_bad),
		cmocka_unit_test(url_budget),
		cmocka_unit_test(query_good),
		cmocka_unit_test(query_limits),
		cmocka_unit_test(query_bad),
		cmocka_unit_test(cookie_good),
		cmocka_unit_test(cookie_malformed_skipped),
		cmocka_unit_test(cookie_bad),
		cmocka_unit_test(cookie_limit),
		cmocka_unit_test(path_ids),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
