/* api.c: see api.h. */
#include "api/api.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/json.h"
#include "web/app.h"
#include "web/page.h"

#include <string.h>

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Sign-in required";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Request too large";
	case 415: return "Unsupported media type";
	case 422: return "Validation failed";
	case 429: return "Too many requests";
	case 503: return "Service unavailable";
	default: return "Internal error";
	}
}

void api_json(struct req *r, int status, json_t *v)
{
	sbuf_reset(&r->ex->out);
	if (json_dump_sbuf(v, &r->ex->out) != 0) {
		json_decref(v);
		api_problem(r, 500, NULL, "The response could not be written.",
			    NULL);
		return;
	}
	json_decref(v);
	r->ex->status = status;
	r->ex->out_type = "application/json";
}

static void send_problem(struct req *r, int status, json_t *p)
{
	sbuf_reset(&r->ex->out);
	json_dump_sbuf(p, &r->ex->out);
	json_decref(p);
	r->ex->status = status;
	r->ex->out_type = "application/problem+json";
}

void api_problem(struct req *r, int status, const char *title,
		 const char *detail, const char *field)
{
	json_t *p = json_object();
	json_object_set_new(p, "type", json_string("about:blank"));
	json_object_set_new(p, "title",
			    json_string(title ? title : status_title(status)));
	json_object_set_new(p, "status", json_integer(status));
	json_t *d = detail ? json_string(detail) : NULL;
	if (d) /* NULL also when detail is not valid UTF-8 */
		json_object_set_new(p, "detail", d);
	if (field)
		json_object_set_new(p, "field", json_string(field));
	json_object_set_new(p, "instance", json_string(r->ex->rid));
	send_problem(r, status, p);
}

void api_problem_fields(struct req *r, const struct field_errors *e)
{
	json_t *p = json_object();
	json_object_set_new(p, "type", json_string("about:blank"));
	json_object_set_new(p, "title", json_string(status_title(422)));
	json_object_set_new(p, "status", json_integer(422));
	if (e->n > 0) {
		json_object_set_new(p, "detail", json_string(e->v[0].msg));
		json_object_set_new(p, "field", json_string(e->v[0].field));
	}
	json_t *arr = json_array();
	for (int i = 0; i < e->n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "field", json_string(e->v[i].field));
		json_object_set_new(x, "detail", json_string(e->v[i].msg));
		json_array_append_new(arr, x);
	}
	json_object_set_new(p, "errors", arr);
	json_object_set_new(p, "instance", json_string(r->ex->rid));
	send_problem(r, 422, p);
}

int api_page_params(struct req *r, int64_t *limit, int64_t *cursor)
{
	const char *l = req_query(r, "limit");
	const char *c = req_query(r, "cursor");
	*limit = 50;
	*cursor = 0;
	if (l && !str_to_i64z(l, 1, 200, limit)) {
		api_problem(r, 400, NULL,
			    "limit must be a whole number from 1 to 200.",
			    "limit");
		return -1;
	}
	if (c && !str_to_i64z(c, 0, INT64_MAX, cursor)) {
		api_problem(r, 400, NULL,
			    "cursor must be a value given as \"next\" by an "
			    "earlier page.", "cursor");
		return -1;
	}
	return 0;
}

/* ---- request bodies --------------------------------------------------- */

void api_body_error(struct api_body *b, const char *field, const char *msg)
{
	const char *f = arena_strdup(b->r->a, field);
	const char *m = arena_printf(b->r->a, "%s %s.", field, msg);
	fe_set(&b->fe, f ? f : "body", m ? m : "is not valid");
}

const char *api_body_str(struct api_body *b, const char *name, size_t maxlen,
			 bool nullable)
{
	json_t *v = json_object_get(b->r->json, name);
	if (nullable && v != NULL && json_is_null(v))
		return "";
	const char *out = NULL;
	struct json_field_err e;
	if (json_get_string(b->r->json, name, false, maxlen, &out, &e) ==
	    JSON_FIELD_INVALID) {
		api_body_error(b, e.field, e.msg);
		return NULL;
	}
	return out;
}

bool api_body_bool(struct api_body *b, const char *name)
{
	bool out = false;
	struct json_field_err e;
	if (json_get_bool(b->r->json, name, false, &out, &e) ==
	    JSON_FIELD_INVALID)
		api_body_error(b, e.field, e.msg);
	return out;
}

int64_t api_body_id(struct api_body *b, const char *name, bool required)
{
	int64_t out = 0;
	struct json_field_err e;
	if (json_get_int(b->r->json, name, required, 1, INT64_MAX, &out, &e) ==
	    JSON_FIELD_INVALID)
		api_body_error(b, e.field, e.msg);
	return out;
}
