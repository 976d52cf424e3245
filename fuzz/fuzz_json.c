/*
 * fuzz_json.c: json_body_parse() on an untrusted body, then every getter
 * on every field, json_check_fields() and json_dump_sbuf().  Checks that
 * messages are text, that accepted strings are text, and that what we
 * dump parses back.  (jansson allocates with malloc, not an arena, so no
 * arena is needed here.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "http/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DEPTH 8

static void check_err(const struct json_field_err *e)
{
	size_t f = strnlen(e->field, sizeof(e->field));
	size_t m = strnlen(e->msg, sizeof(e->msg));
	if (f == sizeof(e->field) || m == sizeof(e->msg) || m == 0 ||
	    !str_is_text(e->field, f) || !str_is_text(e->msg, m))
		abort();
}

static void get_all(json_t *root)
{
	static const char *const allowed[] = { "name", "dob", "age", "flag",
					       NULL };
	const char *k;
	json_t *v;
	struct json_field_err e;
	json_object_foreach(root, k, v) {
		const char *s;
		int64_t i;
		bool b;
		struct cal_date d;
		for (int req = 0; req < 2; req++) {
			int rc = json_get_string(root, k, req, 40, &s, &e);
			if (rc == JSON_FIELD_OK && !str_is_text(s, strlen(s)))
				abort();
			if (rc == JSON_FIELD_INVALID)
				check_err(&e);
			if (json_get_int(root, k, req, -1000, 1000, &i, &e) ==
			    JSON_FIELD_OK && (i < -1000 || i > 1000))
				abort();
			if (json_get_bool(root, k, req, &b, &e) ==
			    JSON_FIELD_INVALID)
				check_err(&e);
			if (json_get_date(root, k, req, &d, &e) ==
			    JSON_FIELD_OK && !cal_date_valid(d))
				abort();
		}
	}
	if (json_check_fields(root, allowed, &e) != 0)
		check_err(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = NULL;
	char err[160];
	enum json_body_err rc = json_body_parse((const char *)data, size,
						FUZZ_DEPTH, &root, err,
						sizeof(err));
	size_t el = strnlen(err, sizeof(err));
	if (el == sizeof(err) || !str_is_text(err, el) ||
	    rc >= JSON_BODY__MAX)
		abort();
	if (rc != JSON_BODY_OK) {
		if (root != NULL)
			abort();
		return 0;
	}
	get_all(root);

	struct sbuf sb;
	sbuf_init(&sb, 4 * JSON_BODY_MAX);
	if (json_dump_sbuf(root, &sb) != 0)
		abort();
	if (sb.len <= JSON_BODY_MAX) {
		json_t *again = NULL;
		if (json_body_parse(sb.buf, sb.len, FUZZ_DEPTH, &again, NULL,
				    0) != JSON_BODY_OK)
			abort();
		json_decref(again);
	}
	sbuf_release(&sb);
	json_decref(root);
	return 0;
}
