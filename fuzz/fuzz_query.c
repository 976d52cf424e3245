/*
 * fuzz_query.c: decode_query() with query-string limits.  The first input
 * byte picks max_params (0..63) so the TOOMANY edge is reached; the rest
 * is the query.  Checks every pair against the contract in decode.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t max_params = data[0] & 63;
	size_t max_value = 256;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	struct arena *a = arena_new(1 << 20);
	struct decode_params p = { 12345, NULL };
	enum decode_err rc = decode_query(a, s, n, max_params, max_value, &p);
	if (rc != DECODE_OK) {
		if (rc >= DECODE__MAX || p.n != 12345 || p.v != NULL)
			abort();
		arena_free(a);
		return 0;
	}
	if (p.n > max_params || (p.n == 0) != (p.v == NULL))
		abort();
	for (size_t i = 0; i < p.n; i++) {
		const struct decode_kv *kv = &p.v[i];
		size_t kl = strlen(kv->key);
		if (kl == 0 || kl > DECODE_KEY_MAX || !str_is_text(kv->key, kl))
			abort();
		if (strlen(kv->val) != kv->vlen || kv->vlen > max_value ||
		    !str_is_text(kv->val, kv->vlen))
			abort();
		const char *first = decode_params_get(&p, kv->key);
		if (first == NULL || decode_params_count(&p, kv->key) == 0)
			abort();
	}
	arena_free(a);
	return 0;
}
