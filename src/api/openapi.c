/*
 * openapi.c: the OpenAPI 3 document, built from the route table so it
 * cannot drift from it: every route under /api/v1/ appears with its
 * method, summary, path ids, declared query parameters, request body
 * schema (route.body_schema, a JSON Schema object as text), its success
 * (201 for a POST that creates, 200 for one acting on a record:
 * ROUTE_ACTION, which may also answer 409) and the problem+json error
 * responses.
 */
#include "api/api.h"
#include "core/arena.h"
#include "web/app.h"

#include <string.h>

/* The media types an upload route takes as its body besides JSON:
 * the document itself (D62; its kind is read from the bytes). */
static void openapi_upload_types(json_t *content)
{
	static const char *const types[] = {
		"application/pdf",
		("application/vnd.openxmlformats-officedocument."
		 "wordprocessingml.document"),
		"application/vnd.oasis.opendocument.text",
		"text/html", "text/plain", "application/octet-stream",
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		json_object_set_new(content, types[i],
				    json_pack("{s:{s:s, s:s}}", "schema", "type",
					      "string", "format", "binary"));
}

static json_t *problem_ref(const char *desc)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", desc,
			 "content", "application/problem+json", "schema",
			 "$ref", "#/components/schemas/Problem");
}

/* "/api/v1/x/{id}/y/{id}" -> "/api/v1/x/{id}/y/{id2}" */
static char *oa_path(struct arena *a, const char *pattern, int *nids)
{
	char *out = arena_alloc(a, strlen(pattern) + 16);
	if (out == NULL)
		return NULL;
	char *w = out;
	int n = 0;
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{id}", 4) == 0) {
			n++;
			if (n == 1) {
				memcpy(w, "{id}", 4);
				w += 4;
			} else {
				memcpy(w, "{id", 3);
				w += 3;
				*w++ = (char)('0' + n);
				*w++ = '}';
			}
			p += 4;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	*nids = n;
	return out;
}

static const char *const methods_lc[HTTP__MAX] = {
	"get", "head", "post", "put", "patch", "delete", "other",
};

void api_openapi(struct req *r)
{
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:[{s:s}]}", "openapi", "3.0.3",
		"info", "title", "Cairn API", "version", "1.0.0", "description",
		"Children's social care case management. Authenticate with "
		"'Authorization: Bearer TOKEN' (cairn token create). Errors "
		"are RFC 9457 problem details naming the field at fault.",
		"servers", "url", "/");
	json_t *paths = json_object();
	for (const struct route *rt = app_routes(); rt->pattern; rt++) {
		if (strncmp(rt->pattern, "/api/v1/", 8) != 0)
			continue;
		int nids = 0;
		char *p = oa_path(r->a, rt->pattern, &nids);
		if (p == NULL)
			continue;
		json_t *item = json_object_get(paths, p);
		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, p, item);
		}
		json_t *op = json_object();
		json_object_set_new(op, "summary",
				    json_string(rt->summary ? rt->summary : ""));
		json_object_set_new(op, "x-permission",
				    json_string(perm_id(rt->perm)));
		json_t *params = json_array();
		for (int i = 1; i <= nids; i++) {
			char name[8] = "id";
			if (i > 1) {
				name[2] = (char)('0' + i);
				name[3] = '\0';
			}
			json_array_append_new(
				params,
				json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name",
					  name, "in", "path", "required", 1,
					  "schema", "type", "integer", "minimum",
					  1));
		}
		/* an API POST's declared parameters are in its query: an
		 * upload's (D62), whose body is the document */
		if (rt->method == HTTP_GET || (rt->flags & ROUTE_UPLOAD))
			for (const struct param_spec *ps = rt->params;
			     ps && ps->name; ps++)
				json_array_append_new(
					params,
					json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}",
						  "name", ps->name, "in", "query",
						  "required", 0, "schema", "type",
						  ps->kind == PARAM_INT ? "integer"
									: "string",
						  ps->kind == PARAM_INT ? "minimum"
									: "maxLength",
						  ps->kind == PARAM_INT
							  ? 0
							  : (int)ps->maxlen));
		json_object_set_new(op, "parameters", params);
		if (rt->body_schema) {
			json_error_t je;
			json_t *schema = json_loads(rt->body_schema, 0, &je);
			if (schema == NULL)
				schema = json_pack("{s:s}", "type", "object");
			json_t *rb = json_pack("{s:b, s:{s:{s:o}}}", "required",
					       1, "content", "application/json",
					       "schema", schema);
			if (rt->flags & ROUTE_UPLOAD)
				openapi_upload_types(json_object_get(rb,
								     "content"));
			json_object_set_new(op, "requestBody", rb);
		}
		json_t *resp = json_object();
		bool creates = rt->method == HTTP_POST &&
			       !(rt->flags & ROUTE_ACTION);
		json_object_set_new(resp, creates ? "201" : "200",
				    json_pack("{s:s, s:{s:{s:{s:s}}}}",
					      "description", "Success",
					      "content", "application/json",
					      "schema", "type", "object"));
		if (rt->perm != PERM_PUBLIC) {
			json_object_set_new(resp, "401",
					    problem_ref("No valid token"));
			json_object_set_new(resp, "403",
					    problem_ref("The role may not do this"));
		}
		json_object_set_new(resp, "400", problem_ref("Malformed request"));
		if (nids)
			json_object_set_new(resp, "404", problem_ref("Not found"));
		if (rt->body_schema)
			json_object_set_new(resp, "422",
					    problem_ref("A field is not valid"));
		if (rt->flags & ROUTE_ACTION)
			json_object_set_new(resp, "409", problem_ref(
				"The record's state does not allow it: already "
				"done, or not yet possible"));
		json_object_set_new(op, "responses", resp);
		if (rt->perm != PERM_PUBLIC)
			json_object_set_new(op, "security",
					    json_pack("[{s:[]}]", "bearer"));
		json_object_set_new(item, methods_lc[rt->method], op);
	}
	json_object_set_new(doc, "paths", paths);
	json_object_set_new(
		doc, "components",
		json_pack("{s:{s:{s:s, s:s}}, s:{s:{s:s, s:{s:{s:s}, s:{s:s},"
			  " s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}}}}}}",
			  "securitySchemes", "bearer", "type", "http", "scheme",
			  "bearer", "schemas", "Problem", "type", "object",
			  "properties", "type", "type", "string", "title", "type",
			  "string", "status", "type", "integer", "detail", "type",
			  "string", "field", "type", "string", "instance", "type",
			  "string", "errors", "type", "array", "items", "type",
			  "object"));
	api_json(r, 200, doc);
}
