/*
 * fuzz_cookie.c: decode_cookies() on a Cookie header value.  Checks the
 * count limit, that names are tokens and values cookie-octets, and that
 * a failed call leaves its output alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cookie(const struct decode_kv *kv)
{
	size_t kl = strlen(kv->key);
	if (kl == 0 || strlen(kv->val) != kv->vlen)
		abort();
	for (size_t i = 0; i < kl; i++) {
		unsigned char c = (unsigned char)kv->key[i];
		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			abort();
	}
	for (size_t i = 0; i < kv->vlen; i++) {
		unsigned char c = (unsigned char)kv->val[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == ';' || c == '\\')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1 << 20);
	struct decode_params p = { 12345, NULL };
	enum decode_err rc = decode_cookies(a, (const char *)data, size, &p);
	if (rc == DECODE_OK) {
		if (p.n > DECODE_COOKIE_MAX || (p.n == 0) != (p.v == NULL))
			abort();
		for (size_t i = 0; i < p.n; i++) {
			check_cookie(&p.v[i]);
			if (decode_params_get(&p, p.v[i].key) == NULL)
				abort();
		}
	} else if (rc >= DECODE__MAX || p.n != 12345 || p.v != NULL) {
		abort();
	}
	arena_free(a);
	return 0;
}
