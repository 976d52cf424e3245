/* seal_test.c: the key file and sealing with associated data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/seal.h"

static void key_path(char *out, size_t n)
{
	snprintf(out, n, "/tmp/cairn-sealtest-%d.key", (int)getpid());
}

static void key_file_made_once_and_private(void **state)
{
	(void)state;
	char p[80], err[256];
	key_path(p, sizeof(p));
	unlink(p);
	assert_int_equal(seal_key_create(p, err, sizeof(err)), 1);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 65);
	struct seal_key a, b;
	assert_int_equal(seal_key_load(p, &a, err, sizeof(err)), 0);
	/* a second create leaves the key alone */
	assert_int_equal(seal_key_create(p, err, sizeof(err)), 0);
	assert_int_equal(seal_key_load(p, &b, err, sizeof(err)), 0);
	assert_memory_equal(a.k, b.k, sizeof(a.k));
	/* refused when others may read it */
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(seal_key_load(p, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0600"));
	assert_int_equal(chmod(p, 0600), 0);
	/* refused when it is not 64 hex characters */
	FILE *f = fopen(p, "w");
	fputs("not a key\n", f);
	fclose(f);
	assert_int_equal(seal_key_load(p, &b, err, sizeof(err)), -1);
	unlink(p);
	assert_int_equal(seal_key_load(p, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cairn init"));
	char dp[300];
	assert_int_equal(seal_key_default_path("/var/lib/cairn.db", dp,
					       sizeof(dp)), 0);
	assert_string_equal(dp, "/var/lib/cairn.db.key");
}

static void round_trip_and_refusals(void **state)
{
	(void)state;
	struct seal_key k, other;
	for (size_t i = 0; i < sizeof(k.k); i++) {
		k.k[i] = (unsigned char)i;
		other.k[i] = (unsigned char)(i + 1);
	}
	const char *msg = "worry=She said \"not again\" & left";
	size_t n = strlen(msg);
	unsigned char nonce[SEAL_NONCE_BYTES], nonce2[SEAL_NONCE_BYTES];
	unsigned char ct[128], ct2[128], pt[128];
	assert_int_equal(seal_encrypt(&k, "ad1", 3, msg, n, nonce, ct), 0);
	assert_memory_not_equal(ct, msg, n);
	assert_int_equal(seal_decrypt(&k, "ad1", 3, nonce, ct,
				      n + SEAL_TAG_BYTES, pt), 0);
	assert_memory_equal(pt, msg, n);
	/* a fresh nonce each time: the same text seals differently */
	assert_int_equal(seal_encrypt(&k, "ad1", 3, msg, n, nonce2, ct2), 0);
	assert_memory_not_equal(nonce, nonce2, sizeof(nonce));
	/* other associated data, key, nonce: refused, nothing given back */
	assert_int_equal(seal_decrypt(&k, "ad2", 3, nonce, ct,
				      n + SEAL_TAG_BYTES, pt), -1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pt[i], 0);
	assert_int_equal(seal_decrypt(&other, "ad1", 3, nonce, ct,
				      n + SEAL_TAG_BYTES, pt), -1);
	assert_int_equal(seal_decrypt(&k, "ad1", 3, nonce2, ct,
				      n + SEAL_TAG_BYTES, pt), -1);
	/* a changed or cut ciphertext: refused */
	ct[3] ^= 1;
	assert_int_equal(seal_decrypt(&k, "ad1", 3, nonce, ct,
				      n + SEAL_TAG_BYTES, pt), -1);
	ct[3] ^= 1;
	assert_int_equal(seal_decrypt(&k, "ad1", 3, nonce, ct,
				      n + SEAL_TAG_BYTES - 1, pt), -1);
	assert_int_equal(seal_decrypt(&k, "ad1", 3, nonce, ct, 5, pt), -1);
	/* an empty message seals to a tag alone */
	assert_int_equal(seal_encrypt(&k, NULL, 0, "", 0, nonce, ct), 0);
	assert_int_equal(seal_decrypt(&k, NULL, 0, nonce, ct, SEAL_TAG_BYTES,
				      pt), 0);
}

int main(void)
{
	if (password_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_file_made_once_and_private),
		cmocka_unit_test(round_trip_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
