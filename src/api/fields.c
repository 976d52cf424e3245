/* fields.c (API): see fields.h for the contract. */
#include "api/fields.h"
#include "api/api.h"
#include "core/arena.h"
#include "web/answer.h"
#include "http/json.h"
#include "web/app.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define NAMES_MAX 64

int api_fields_read(struct req *r, const struct record_type *t, void *rec,
		    struct field_errors *e)
{
	int before = e->n;
	const char *names[NAMES_MAX + 1];
	int n = t->n < NAMES_MAX ? t->n : NAMES_MAX;
	for (int i = 0; i < n; i++)
		names[i] = t->fields[i].name;
	names[n] = NULL;
	struct json_field_err je;
	if (r->json == NULL) {
		fe_set(e, "body", "Send a JSON object as the body");
		return e->n - before;
	}
	if (json_check_fields(r->json, names, &je) < 0) {
		const char *f = arena_strdup(r->a, je.field);
		fe_addf(e, f ? f : "body", "%s %s", je.field, je.msg);
	}
	for (int i = 0; i < n; i++) {
		const struct field *f = &t->fields[i];
		int rc;
		memset(&je, 0, sizeof(je));
		if (field_is_text(f)) {
			const char *v = NULL;
			rc = json_get_string(r->json, f->name, false,
					     (size_t)1 << 20, &v, &je);
			if (rc == JSON_FIELD_OK)
				field_set_text(f, rec, v);
		} else if (f->type == FT_BOOL) {
			bool v = false;
			rc = json_get_bool(r->json, f->name, false, &v, &je);
			if (rc == JSON_FIELD_OK)
				field_set_bool(f, rec, v);
		} else {
			int64_t v = 0;
			rc = json_get_int(r->json, f->name, false, 0, INT64_MAX,
					  &v, &je);
			if (rc == JSON_FIELD_OK)
				field_set_int(f, rec, v);
		}
		if (rc == JSON_FIELD_INVALID)
			fe_addf(e, f->name, "%s %s", f->name, je.msg);
	}
	return e->n - before;
}

static json_t *property(const struct field *f)
{
	json_t *p = json_object();
	switch (f->type) {
	case FT_INT:
	case FT_MONEY:
	case FT_REF:
		json_object_set_new(p, "type", json_string("integer"));
		json_object_set_new(p, "minimum", json_integer(f->type == FT_REF));
		if (f->max > 0)
			json_object_set_new(p, "maximum", json_integer(f->max));
		break;
	case FT_BOOL:
		json_object_set_new(p, "type", json_string("boolean"));
		break;
	case FT_DATE:
		json_object_set_new(p, "type", json_string("string"));
		json_object_set_new(p, "format", json_string("date"));
		break;
	case FT_DATETIME:
		json_object_set_new(p, "type", json_string("string"));
		json_object_set_new(p, "pattern", json_string(
			"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$"));
		break;
	case FT_CODE: {
		json_t *en = json_array();
		for (const struct field_code *c = f->codes; c && c->code; c++)
			json_array_append_new(en, json_string(c->code));
		json_object_set_new(p, "type", json_string("string"));
		json_object_set_new(p, "enum", en);
		break;
	}
	default:
		json_object_set_new(p, "type", json_string("string"));
		if (f->max > 0)
			json_object_set_new(p, "maxLength", json_integer(f->max));
		if (f->format == FF_EMAIL)
			json_object_set_new(p, "format", json_string("email"));
	}
	if (!f->required)
		json_object_set_new(p, "nullable", json_true());
	const char *d = f->hint ? f->hint : f->label;
	json_object_set_new(p, "description", json_string(d));
	return p;
}

size_t api_fields_schema(const struct record_type *t, char *out, size_t n)
{
	json_t *s = json_object(), *props = json_object(), *req = json_array();
	json_object_set_new(s, "type", json_string("object"));
	json_object_set_new(s, "additionalProperties", json_false());
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		json_object_set_new(props, f->name, property(f));
		if (f->required)
			json_array_append_new(req, json_string(f->name));
	}
	json_object_set_new(s, "required", req);
	json_object_set_new(s, "properties", props);
	char *text = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(s);
	size_t len = text ? strlen(text) : 0;
	if (text == NULL || len + 1 > n) {
		free(text);
		if (n)
			out[0] = '\0';
		return 0;
	}
	memcpy(out, text, len + 1);
	free(text);
	return len;
}

static json_t *text_or_null(const char *s)
{
	json_t *v = s && s[0] ? json_string(s) : NULL;
	return v ? v : json_null();
}

json_t *api_fields_json(const struct record_type *t, const void *rec)
{
	json_t *o = json_object();
	for (int i = 0; o && i < t->n; i++) {
		const struct field *f = &t->fields[i];
		if (f->out & FO_HIDDEN)
			continue;
		if (field_is_text(f)) {
			const char *v = field_text(f, rec);
			if (v == NULL && (f->out & FO_OMIT))
				continue;
			json_object_set_new(o, f->name, text_or_null(v));
			if (f->type == FT_CODE && (f->out & FO_LABEL)) {
				char key[80];
				snprintf(key, sizeof(key), "%s_label", f->name);
				json_object_set_new(o, key, text_or_null(
					field_code_label(f, v)));
			}
		} else if (f->type == FT_BOOL) {
			json_object_set_new(o, f->name,
					    json_boolean(field_bool(f, rec)));
		} else {
			int64_t v = field_int(f, rec);
			json_object_set_new(o, f->name,
					    f->type == FT_REF && v <= 0
						    ? json_null()
						    : json_integer(v));
		}
	}
	return o;
}

json_t *api_fields_list(const struct record_type *t, const void *rows,
			size_t size, int n, int64_t next,
			json_t *(*one)(const void *rec))
{
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		const void *rec = (const char *)rows + (size_t)i * size;
		json_array_append_new(items, one ? one(rec)
						 : api_fields_json(t, rec));
	}
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? json_integer(next) : json_null());
	return o;
}

void api_write(struct req *r, const struct api_write *w, void *in)
{
	struct field_errors fe = {0};
	if (api_fields_read(r, w->body, in, &fe)) {
		api_problem_fields(r, &fe);
		return;
	}
	json_t *out = NULL;
	int64_t id = 0;
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK)
		rc = w->op(r, in, &id, &out, &fe);
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	if (rc != ERR_OK) {
		db_rollback(r->db);
		json_decref(out);
		answer_error(r, rc, &fe, w->what);
		return;
	}
	const char *loc = w->created ? arena_printf(r->a, "%s%lld", w->created,
						    (long long)id)
				     : NULL;
	if (loc)
		http_add_header(r->ex, "Location", loc);
	api_json(r, loc ? 201 : 200, out);
}
