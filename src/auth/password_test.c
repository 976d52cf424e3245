/* password_test.c: hashing, verification, rehash detection, policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"

static int group_setup(void **state)
{
	(void)state;
	password_set_cost(PASSWORD_COST_MIN);
	return password_init() == 0 ? 0 : -1;
}

static void hash_and_verify(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery", h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(password_verify(h, "correct horse battery"));
	/* negative: wrong, empty, NULL, prefix of the password */
	assert_false(password_verify(h, "correct horse battery!"));
	assert_false(password_verify(h, "correct horse batter"));
	assert_false(password_verify(h, ""));
	assert_false(password_verify(h, NULL));
	/* two hashes of one password differ (random salt) */
	char h2[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery", h2), 0);
	assert_string_not_equal(h, h2);
	assert_true(password_verify(h2, "correct horse battery"));
}

static void verify_malformed(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("pass phrase one", h), 0);
	assert_false(password_verify(NULL, "pass phrase one"));
	assert_false(password_verify("", "pass phrase one"));
	assert_false(password_verify("plain text", "plain text"));
	/* truncated */
	char t[PASSWORD_HASH_MAX];
	memcpy(t, h, sizeof(t));
	t[strlen(t) - 5] = '\0';
	assert_false(password_verify(t, "pass phrase one"));
	/* tampered digest */
	memcpy(t, h, sizeof(t));
	size_t n = strlen(t);
	t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A';
	assert_false(password_verify(t, "pass phrase one"));
	/* argon2i (not id) is refused even when correct */
	char i2[crypto_pwhash_argon2i_STRBYTES];
	assert_int_equal(crypto_pwhash_argon2i_str(i2, "pass phrase one", 15,
			 crypto_pwhash_argon2i_OPSLIMIT_MIN,
			 crypto_pwhash_argon2i_MEMLIMIT_MIN), 0);
	assert_false(password_verify(i2, "pass phrase one"));
	/* over-long stored string (no NUL within the buffer size) */
	char big[300];
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "$argon2id$", 10);
	big[sizeof(big) - 1] = '\0';
	assert_false(password_verify(big, "x"));
	assert_true(password_needs_rehash(big));
}

static void too_long_password(void **state)
{
	(void)state;
	char pw[PASSWORD_MAX_BYTES + 2];
	char h[PASSWORD_HASH_MAX];
	memset(pw, 'x', sizeof(pw));
	pw[0] = 'y';
	pw[PASSWORD_MAX_BYTES] = '\0'; /* exactly the maximum: fine */
	assert_int_equal(password_hash(pw, h), 0);
	assert_true(password_verify(h, pw));
	pw[PASSWORD_MAX_BYTES] = 'x';
	pw[PASSWORD_MAX_BYTES + 1] = '\0'; /* one over */
	assert_int_equal(password_hash(pw, h), PASSWORD_ETOOLONG);
	assert_string_equal(h, "");
	assert_int_equal(password_hash(NULL, h), PASSWORD_ETOOLONG);
}

static void needs_rehash(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("rehash me please", h), 0);
	assert_false(password_needs_rehash(h));
	/* a different opslimit needs a rehash */
	char o[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(o, "rehash me please", 16, 2,
			 crypto_pwhash_MEMLIMIT_MIN,
			 crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_true(password_verify(o, "rehash me please"));
	assert_true(password_needs_rehash(o));
	assert_true(password_needs_rehash(NULL));
	assert_true(password_needs_rehash("garbage"));
	assert_int_equal(password_get_cost(), PASSWORD_COST_MIN);
}

static void dummy_verify(void **state)
{
	(void)state;
	/* must not crash whatever it is given */
	password_verify_dummy("anything at all");
	password_verify_dummy("");
	password_verify_dummy(NULL);
}

static void policy_case(const char *pw, int want)
{
	char msg[160];
	int rc = password_policy(pw, msg, sizeof(msg));
	if (rc != want)
		fail_msg("policy(\"%.40s\") = %d, want %d", pw ? pw : "(null)",
			 rc, want);
	if (want == 0)
		assert_string_equal(msg, "");
	else
		assert_true(strlen(msg) > 10);
}

static void policy(void **state)
{
	(void)state;
	policy_case("qzmv krtw lp", 0);                 /* 12: allowed */
	policy_case("qzmv krtw l", PASSWORD_ETOOSHORT); /* 11: denied */
	policy_case("", PASSWORD_ETOOSHORT);
	policy_case(NULL, PASSWORD_ETOOSHORT);
	policy_case("correct horse battery staple", 0);
	policy_case("abababababab", 0);
	policy_case("aaaaaaaaaaaa", PASSWORD_EREPEATED);
	policy_case("            ", PASSWORD_EREPEATED);
	/* 12 code points, 18 bytes: allowed; 6 code points in 12 bytes:
	 * too short (code points count, not bytes) */
	policy_case("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" "kwzrtp", 0);
	policy_case("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    PASSWORD_ETOOSHORT);
	policy_case("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    PASSWORD_EREPEATED);
	/* invalid UTF-8, an overlong form, control characters */
	policy_case("abcdefghijk\xff", PASSWORD_ENOTTEXT);
	policy_case("abcdefghijk\xc0\xaf", PASSWORD_ENOTTEXT);
	policy_case("abcdef\nghijkl", PASSWORD_ENOTTEXT);
	policy_case("abcdef\tghijkl", PASSWORD_ENOTTEXT);
	policy_case("abcdef\x01ghijkl", PASSWORD_ENOTTEXT);

	char big[PASSWORD_MAX_BYTES + 2];
	memset(big, 'q', sizeof(big));
	big[0] = 'r';
	big[PASSWORD_MAX_BYTES] = '\0';
	policy_case(big, 0);
	big[PASSWORD_MAX_BYTES] = 'q';
	big[PASSWORD_MAX_BYTES + 1] = '\0';
	policy_case(big, PASSWORD_ETOOLONG);

	/* finding 13: common passwords dressed up with digits, symbols,
	 * capitals, letter swaps or repetition are refused ... */
	policy_case("password1234", PASSWORD_ECOMMON);
	policy_case("Password1234!", PASSWORD_ECOMMON);
	policy_case("P@ssw0rd2024!", PASSWORD_ECOMMON);
	policy_case("passwordpassword", PASSWORD_ECOMMON);
	policy_case("Summer2024!!", PASSWORD_ECOMMON);
	policy_case("football1234", PASSWORD_ECOMMON);
	policy_case("!!letmein!!2024", PASSWORD_ECOMMON);
	policy_case("iloveyou2024", PASSWORD_ECOMMON);
	policy_case("qwertyuiop12", PASSWORD_ECOMMON);
	policy_case("abcdefghijkl", PASSWORD_ECOMMON);
	policy_case("1234567890123", PASSWORD_ECOMMON);
	/* ... and passphrases are not */
	policy_case("a long test password", 0);
	policy_case("cairn-demo-password", 0);
	policy_case("Tr0ub4dor&3 staple", 0);
	policy_case("kettle orbit lantern", 0);

	/* msg may be absent */
	assert_int_equal(password_policy("short", NULL, 0), PASSWORD_ETOOSHORT);
	/* message is truncated, never overflowed */
	char tiny[8];
	assert_int_equal(password_policy("short", tiny, sizeof(tiny)),
			 PASSWORD_ETOOSHORT);
	assert_int_equal(strlen(tiny), 7);
}

static void names(void **state)
{
	(void)state;
	for (int e = 0; e > -PASSWORD_ERR__MAX; e--)
		assert_string_not_equal(password_strerror(e),
					"unknown password error");
	assert_string_equal(password_strerror(-PASSWORD_ERR__MAX),
			    "unknown password error");
	assert_string_equal(password_strerror(1), "unknown password error");
	assert_string_equal(password_cost_name(PASSWORD_COST_MIN), "min");
	assert_null(password_cost_name(PASSWORD_COST__MAX));
	/* an out-of-range cost is ignored */
	password_set_cost(PASSWORD_COST__MAX);
	assert_int_equal(password_get_cost(), PASSWORD_COST_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_and_verify),
		cmocka_unit_test(verify_malformed),
		cmocka_unit_test(too_long_password),
		cmocka_unit_test(needs_rehash),
		cmocka_unit_test(dummy_verify),
		cmocka_unit_test(policy),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("password", tests, group_setup,
					   NULL);
}
