/*
 * fuzz_url.c: decode_url() in both modes and decode_path_segment_id().
 * Checks: a decoded string is text whose length is outlen; an accepted
 * id is in range and prints back to exactly the input.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct arena *a = arena_new(1 << 20);
	for (int plus = 0; plus < 2; plus++) {
		char *out = NULL;
		size_t len = 0;
		enum decode_err rc = decode_url(a, s, size, plus, &out, &len);
		if (rc == DECODE_OK) {
			if (len > size || strlen(out) != len ||
			    !str_is_text(out, len))
				abort();
			if (plus && memchr(out, '+', len) != NULL &&
			    memchr(s, '%', size) == NULL)
				abort();
		} else if (rc >= DECODE__MAX || out != NULL) {
			abort();
		}
	}
	int64_t id = 0;
	if (decode_path_segment_id(s, size, &id)) {
		char buf[32];
		int k = snprintf(buf, sizeof(buf), "%" PRId64, id);
		if (id < 1 || id > DECODE_ID_MAX || k < 0 ||
		    (size_t)k != size || memcmp(buf, s, size) != 0)
			abort();
	}
	arena_free(a);
	return 0;
}
