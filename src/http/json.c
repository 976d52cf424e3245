/* json.c: see json.h for the contract. */
#include "http/json.h"

#include "core/str.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const json_body_errnames[JSON_BODY__MAX] = {
	"ok",            /* JSON_BODY_OK */
	"empty",         /* JSON_BODY_EMPTY */
	"too_big",       /* JSON_BODY_TOOBIG */
	"not_utf8",      /* JSON_BODY_NOTUTF8 */
	"syntax",        /* JSON_BODY_SYNTAX */
	"duplicate_key", /* JSON_BODY_DUPKEY */
	"not_object",    /* JSON_BODY_NOTOBJECT */
	"too_deep",      /* JSON_BODY_TOODEEP */
};

const char *json_body_errname(enum json_body_err e)
{
	if ((unsigned)e >= JSON_BODY__MAX)
		return "unknown";
	return json_body_errnames[e];
}

/* Length of the UTF-8 sequence a lead byte announces; 1 for ASCII; 0
 * when the byte cannot start a sequence. */
static size_t seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 0;
}

/* Length of the valid UTF-8 text character at s[0..n), or 0. */
static size_t text_char(const char *s, size_t n)
{
	size_t len = seq_len((unsigned char)s[0]);
	if (len == 0 || len > n || !str_is_text(s, len))
		return 0;
	return len;
}

/*
 * Copies src into dst[0..cap) as text: each byte that does not start a
 * valid UTF-8 text character becomes '?', and the copy stops before a
 * character that would not fit, so dst is always NUL-terminated valid
 * UTF-8.  cap must be at least 1.
 */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src), i = 0, j = 0;
	while (i < n) {
		size_t len = text_char(src + i, n - i);
		if (len == 0) {
			if (j + 1 >= cap)
				break;
			dst[j++] = '?';
			i++;
			continue;
		}
		if (j + len >= cap)
			break;
		memcpy(dst + j, src + i, len);
		i += len;
		j += len;
	}
	dst[j] = '\0';
}

/* Writes a formatted, sanitised message into err (when errlen > 0). */
static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	copy_text(err, errlen, tmp);
}

/* Returns the offset of the first byte of buf[0..n) that is not part of
 * valid UTF-8, or n when there is none.  Control bytes are left to the
 * JSON grammar. */
static size_t utf8_bad_offset(const char *buf, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)buf[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = text_char(buf + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

static bool is_json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* True when a container inside v (v at `depth`) is deeper than max. */
static bool nest_too_deep(json_t *v, size_t depth, size_t max)
{
	if (!json_is_object(v) && !json_is_array(v))
		return false;
	if (depth > max)
		return true;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			if (nest_too_deep(x, depth + 1, max))
				return true;
		return false;
	}
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
		if (nest_too_deep(x, depth + 1, max))
			return true;
	return false;
}

enum json_body_err json_body_parse(const char *buf, size_t n,
				   size_t max_depth, json_t **out,
				   char *err, size_t errlen)
{
	size_t i = 0;
	while (i < n && is_json_ws(buf[i]))
		i++;
	if (i == n) {
		set_err(err, errlen, "request body is empty");
		return JSON_BODY_EMPTY;
	}
	if (n > JSON_BODY_MAX) {
		set_err(err, errlen, "request body is larger than %zu bytes",
			JSON_BODY_MAX);
		return JSON_BODY_TOOBIG;
	}
	size_t bad = utf8_bad_offset(buf, n);
	if (bad < n) {
		size_t line = 1, col = 1;
		for (size_t k = 0; k < bad; k++) {
			if (buf[k] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[k] & 0xc0) != 0x80) {
				col++;
			}
		}
		set_err(err, errlen, "line %zu, column %zu: invalid UTF-8",
			line, col);
		return JSON_BODY_NOTUTF8;
	}

	json_error_t je;
	json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES |
				  JSON_DECODE_ANY, &je);
	if (root == NULL) {
		enum json_body_err rc;
		switch (json_error_code(&je)) {
		case json_error_out_of_memory:
			/* OOM policy (core/arena.h): abort the worker. */
			fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n",
			      stderr);
			abort();
		case json_error_invalid_utf8:
			rc = JSON_BODY_NOTUTF8;
			break;
		case json_error_duplicate_key:
			rc = JSON_BODY_DUPKEY;
			break;
		case json_error_stack_overflow:
			rc = JSON_BODY_TOODEEP;
			break;
		default:
			rc = JSON_BODY_SYNTAX;
			break;
		}
		set_err(err, errlen, "line %d, column %d: %s", je.line,
			je.column, je.text);
		return rc;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		set_err(err, errlen, "the top-level value must be an object");
		return JSON_BODY_NOTOBJECT;
	}
	if (nest_too_deep(root, 1, max_depth)) {
		json_decref(root);
		set_err(err, errlen, "values are nested more than %zu deep",
			max_depth);
		return JSON_BODY_TOODEEP;
	}
	set_err(err, errlen, "ok");
	*out = root;
	return JSON_BODY_OK;
}

/* Fills *e (when non-NULL) and returns JSON_FIELD_INVALID. */
static int field_err(struct json_field_err *e, const char *field,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int field_err(struct json_field_err *e, const char *field,
		     const char *fmt, ...)
{
	char tmp[sizeof(e->msg)];
	va_list ap;
	if (e == NULL)
		return JSON_FIELD_INVALID;
	copy_text(e->field, sizeof(e->field), field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	copy_text(e->msg, sizeof(e->msg), tmp);
	return JSON_FIELD_INVALID;
}

/*
 * Shared start of every getter: finds the field.  Returns JSON_FIELD_OK
 * with *v set, JSON_FIELD_ABSENT, or JSON_FIELD_INVALID with *e filled.
 */
static int field_find(json_t *obj, const char *field, bool required,
		      json_t **v, struct json_field_err *e)
{
	if (!json_is_object(obj))
		return field_err(e, field, "must be an object");
	json_t *x = json_object_get(obj, field);
	if (x == NULL || json_is_null(x)) {
		if (required)
			return field_err(e, field, "is required");
		return JSON_FIELD_ABSENT;
	}
	*v = x;
	return JSON_FIELD_OK;
}

static bool all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_json_ws(s[i]))
			return false;
	return true;
}

int json_get_string(json_t *obj, const char *field, bool required,
		    size_t maxlen, const char **out,
		    struct json_field_err *e)
{
	json_t *v = NULL;
	int rc = field_find(obj, field, required, &v, e);
	if (rc != JSON_FIELD_OK)
		return rc;
	if (!json_is_string(v))
		return field_err(e, field, "must be text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!str_is_text(s, n))
		return field_err(e, field,
				 "must not contain control characters");
	if (required && all_space(s, n))
		return field_err(e, field, "is required");
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars > maxlen)
		return field_err(e, field, "must be at most %zu characters",
				 maxlen);
	*out = s;
	return JSON_FIELD_OK;
}

int json_get_int(json_t *obj, const char *field, bool required,
		 int64_t min, int64_t max, int64_t *out,
		 struct json_field_err *e)
{
	json_t *v = NULL;
	int rc = field_find(obj, field, required, &v, e);
	if (rc != JSON_FIELD_OK)
		return rc;
	if (!json_is_integer(v))
		return field_err(e, field, "must be a whole number");
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return field_err(e, field,
				 "must be a whole number from %" PRId64
				 " to %" PRId64, min, max);
	*out = (int64_t)x;
	return JSON_FIELD_OK;
}

int json_get_bool(json_t *obj, const char *field, bool required, bool *out,
		  struct json_field_err *e)
{
	json_t *v = NULL;
	int rc = field_find(obj, field, required, &v, e);
	if (rc != JSON_FIELD_OK)
		return rc;
	if (!json_is_boolean(v))
		return field_err(e, field, "must be true or false");
	*out = json_is_true(v);
	return JSON_FIELD_OK;
}

int json_get_date(json_t *obj, const char *field, bool required,
		  struct cal_date *out, struct json_field_err *e)
{
	json_t *v = NULL;
	int rc = field_find(obj, field, required, &v, e);
	if (rc != JSON_FIELD_OK)
		return rc;
	struct cal_date d;
	if (!json_is_string(v) ||
	    !cal_date_parse(json_string_value(v), json_string_length(v), &d))
		return field_err(e, field,
				 "must be a real date written as YYYY-MM-DD, "
				 "between %d and %d", CAL_PARSE_YEAR_MIN,
				 CAL_PARSE_YEAR_MAX);
	*out = d;
	return JSON_FIELD_OK;
}

int json_check_fields(json_t *obj, const char *const *allowed,
		      struct json_field_err *e)
{
	if (!json_is_object(obj))
		return field_err(e, "", "must be an object");
	const char *k;
	json_t *v = NULL;
	json_object_foreach(obj, k, v) {
		bool ok = false;
		for (size_t i = 0; allowed != NULL && allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0) {
				ok = true;
				break;
			}
		if (!ok)
			return field_err(e, k, "is not a recognised field");
	}
	return 0;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	return sbuf_add(data, buffer, size);
}

int json_dump_sbuf(json_t *v, struct sbuf *sb)
{
	size_t len = sb->len;
	if (v == NULL ||
	    json_dump_callback(v, dump_cb, sb,
			       JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
		sb->len = len;
		if (sb->buf != NULL)
			sb->buf[len] = '\0';
		return -1;
	}
	return 0;
}
