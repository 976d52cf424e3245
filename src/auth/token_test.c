/* token_test.c: token generation, hashing, shape and comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"

static int group_setup(void **state)
{
	(void)state;
	return password_init() == 0 ? 0 : -1;
}

static void new_tokens(void **state)
{
	(void)state;
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 200; i++) {
		token_new(a);
		assert_true(token_shape_ok(a, strlen(a)));
		assert_null(strpbrk(a, "+/="));
	}
}

static void hash_vector(void **state)
{
	(void)state;
	char h[TOKEN_HASH_LEN + 1];
	token_hash("abc", h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
			       "b00361a396177a9cb410ff61f20015ad");
	token_hash("abd", h);
	assert_string_not_equal(h, "ba7816bf8f01cfea414140de5dae2223"
				   "b00361a396177a9cb410ff61f20015ad");
}

static void shape(void **state)
{
	(void)state;
	char t[TOKEN_LEN + 2];
	token_new(t);
	assert_true(token_shape_ok(t, TOKEN_LEN));
	/* wrong lengths */
	assert_false(token_shape_ok(t, TOKEN_LEN - 1));
	assert_false(token_shape_ok(t, 0));
	assert_false(token_shape_ok(NULL, TOKEN_LEN));
	char longer[TOKEN_LEN + 2];
	memcpy(longer, t, TOKEN_LEN);
	longer[TOKEN_LEN] = 'A';
	longer[TOKEN_LEN + 1] = '\0';
	assert_false(token_shape_ok(longer, TOKEN_LEN + 1));
	/* bytes outside base64url, including an embedded NUL */
	const char bad[] = {'+', '/', '=', ' ', '.', '\0', '\x80'};
	for (size_t i = 0; i < sizeof(bad); i++) {
		char u[TOKEN_LEN + 1];
		memcpy(u, t, sizeof(u));
		u[5] = bad[i];
		assert_false(token_shape_ok(u, TOKEN_LEN));
	}
	/* the last character carries 2 unused bits: 'A' (0) is canonical,
	 * 'B' (1) is not */
	t[TOKEN_LEN - 1] = 'A';
	assert_true(token_shape_ok(t, TOKEN_LEN));
	t[TOKEN_LEN - 1] = 'B';
	assert_false(token_shape_ok(t, TOKEN_LEN));
}

static void equal(void **state)
{
	(void)state;
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	memcpy(b, a, sizeof(b));
	assert_true(token_equal(a, b));
	b[TOKEN_LEN - 1] ^= 1;
	assert_false(token_equal(a, b));
	b[TOKEN_LEN - 1] = '\0';
	assert_false(token_equal(a, b)); /* a prefix */
	assert_false(token_equal(a, ""));
	assert_false(token_equal("", ""));
	assert_false(token_equal(NULL, a));
	assert_false(token_equal(a, NULL));
	assert_false(token_equal(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_tokens),
		cmocka_unit_test(hash_vector),
		cmocka_unit_test(shape),
		cmocka_unit_test(equal),
	};
	return cmocka_run_group_tests_name("token", tests, group_setup, NULL);
}
