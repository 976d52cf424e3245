/*
 * fuzz_form.c: a POST form body through decode_query() with form limits,
 * then every key and value through html_text().  Checks the page would
 * hold no raw markup character and stays valid UTF-8 text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/decode.h"
#include "http/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Form limits as a page handler would set them. */
#define FORM_MAX_PARAMS 200
#define FORM_MAX_VALUE 10000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1 << 20);
	struct decode_params p;
	enum decode_err rc = decode_query(a, (const char *)data, size,
					  FORM_MAX_PARAMS, FORM_MAX_VALUE, &p);
	if (rc != DECODE_OK) {
		arena_free(a);
		return 0;
	}
	struct sbuf sb;
	sbuf_init(&sb, 1 << 24);
	for (size_t i = 0; i < p.n; i++) {
		html_raw(&sb, "<dt>");
		html_text(&sb, p.v[i].key);
		html_raw(&sb, "</dt><dd");
		html_attr(&sb, "title", p.v[i].val);
		html_raw(&sb, ">");
		html_textn(&sb, p.v[i].val, p.v[i].vlen);
		html_raw(&sb, "</dd>");
	}
	if (sb.toobig)
		abort();
	/* Strip our own markup and check no data byte is markup. */
	struct sbuf data_only;
	sbuf_init(&data_only, 1 << 24);
	for (size_t i = 0; i < p.n; i++) {
		html_text(&data_only, p.v[i].key);
		html_textn(&data_only, p.v[i].val, p.v[i].vlen);
	}
	if (data_only.len > 0 &&
	    (memchr(data_only.buf, '<', data_only.len) != NULL ||
	     memchr(data_only.buf, '>', data_only.len) != NULL ||
	     memchr(data_only.buf, '"', data_only.len) != NULL ||
	     memchr(data_only.buf, '\'', data_only.len) != NULL ||
	     !str_is_text(data_only.buf, data_only.len)))
		abort();
	/* Every '<' in the page is one of ours: count them. */
	size_t lt = 0;
	for (size_t i = 0; i < sb.len; i++)
		lt += sb.buf[i] == '<';
	if (lt != 4 * p.n)
		abort();
	sbuf_release(&data_only);
	sbuf_release(&sb);
	arena_free(a);
	return 0;
}
