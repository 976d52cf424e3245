/* fuzz_namematch.c: folding, keys, distance and scoring never read out
 * of bounds and always produce valid text; folding is idempotent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "child/namematch.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char f[NAMEMATCH_NAME_MAX * 4], f2[NAMEMATCH_NAME_MAX * 4];
	char k[NAMEMATCH_KEY_MAX], ka[NAMEMATCH_KEY_MAX * NAMEMATCH_WORDS_MAX];
	size_t n = namematch_fold(s, size, f, sizeof(f));
	if (n != strlen(f) || !str_is_text(f, n))
		abort();
	size_t n2 = namematch_fold(f, n, f2, sizeof(f2));
	if (n2 != n || memcmp(f, f2, n) != 0)
		abort();
	namematch_key(s, size, k, sizeof(k));
	namematch_keys_all(s, size, ka, sizeof(ka));
	/* split the input in two for the pairwise functions */
	size_t half = size / 2;
	int d = namematch_distance(s, half, s + half, size - half, 8);
	if (d < 0 || d > 9)
		abort();
	char a[64], b[64];
	size_t an = half < 63 ? half : 63, bn = size - half < 63 ? size - half : 63;
	memcpy(a, s, an);
	a[an] = '\0';
	memcpy(b, s + half, bn);
	b[bn] = '\0';
	int sc = namematch_score(a, b, b, a);
	if (sc < 0 || sc > 100)
		abort();
	return 0;
}
