/* token.c: see token.h. */
#include "auth/token.h"

#include <sodium.h>
#include <string.h>

_Static_assert(sodium_base64_ENCODED_LEN(TOKEN_BYTES,
		       sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
		       TOKEN_LEN + 1,
	       "TOKEN_LEN must match the base64url length of TOKEN_BYTES");
_Static_assert(crypto_hash_sha256_BYTES * 2 == TOKEN_HASH_LEN,
	       "TOKEN_HASH_LEN must match SHA-256");

#define TOKEN_EQUAL_MAX 1024

void token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void token_hash(const char *tok, char out[TOKEN_HASH_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof(h));
}

static bool b64url_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool token_shape_ok(const char *tok, size_t n)
{
	if (tok == NULL || n != TOKEN_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!b64url_char((unsigned char)tok[i]))
			return false;
	/* canonical: libsodium refuses non-zero padding bits */
	unsigned char raw[TOKEN_BYTES];
	size_t len = 0;
	if (sodium_base642bin(raw, sizeof(raw), tok, n, NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return false;
	sodium_memzero(raw, sizeof(raw));
	return len == TOKEN_BYTES;
}

bool token_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	size_t na = strnlen(a, TOKEN_EQUAL_MAX + 1);
	size_t nb = strnlen(b, TOKEN_EQUAL_MAX + 1);
	if (na == 0 || na != nb || na > TOKEN_EQUAL_MAX)
		return false;
	return sodium_memcmp(a, b, na) == 0;
}
