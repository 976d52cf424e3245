/*
 * fuzz_multipart.c: a multipart/form-data body through multipart_parse().
 * The input's first line (up to '\n', at most 200 bytes) is the
 * Content-Type header, the rest is the body, so both the boundary
 * parameter and the framing are fuzzed.  Checks: borrowed parts lie
 * inside the body, in order and without overlap; names, filenames and
 * types are one-line UTF-8 text within their limits; a copied parse
 * gives the same parts byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_check_text(const char *s, size_t max)
{
	if (s == NULL)
		return;
	size_t n = strlen(s);
	if (n > max || !str_is_line(s, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size < 200 ? size : 200);
	if (nl == NULL)
		return 0;
	char ct[201];
	size_t ctl = (size_t)(nl - in);
	memcpy(ct, in, ctl);
	ct[ctl] = '\0';
	const char *body = nl + 1;
	size_t len = size - ctl - 1;
	struct arena *a = arena_new(1 << 20);
	struct multipart_parts p, q;
	struct multipart_limits lim = {16, 512};
	enum multipart_err rc = multipart_parse(a, ct, body, len, &lim, 0, &p);
	if (rc < MULTIPART_OK || rc >= MULTIPART__MAX)
		abort();
	if (rc != MULTIPART_OK) {
		arena_free(a);
		return 0;
	}
	if (p.n > lim.max_parts)
		abort();
	const char *prev_end = body;
	for (size_t i = 0; i < p.n; i++) {
		const struct multipart_part *x = &p.v[i];
		if (x->name == NULL || x->name[0] == '\0')
			abort();
		fz_check_text(x->name, MULTIPART_NAME_MAX);
		fz_check_text(x->filename, MULTIPART_FILENAME_MAX);
		fz_check_text(x->type, lim.max_header);
		if (x->data < prev_end || x->data + x->len > body + len)
			abort();
		prev_end = x->data + x->len;
	}
	if (multipart_parse(a, ct, body, len, &lim, MULTIPART_COPY, &q) ==
	    MULTIPART_OK) {
		if (q.n != p.n)
			abort();
		for (size_t i = 0; i < p.n; i++)
			if (q.v[i].len != p.v[i].len ||
			    memcmp(q.v[i].data, p.v[i].data, p.v[i].len) != 0 ||
			    q.v[i].data[q.v[i].len] != '\0' ||
			    strcmp(q.v[i].name, p.v[i].name) != 0)
				abort();
	} else if (!arena_exhausted(a)) {
		abort(); /* the same input parsed once must parse again */
	}
	arena_free(a);
	return 0;
}
