/*
 * api: JSON responses and RFC 9457 problem details for /api/v1/.
 *
 * Every error answers application/problem+json with "type", "title",
 * "status", "detail" and, when one field is at fault, "field"; a
 * validation failure of several fields adds "errors": [{"field",
 * "detail"}].  Lists are paginated: api_page_params reads `limit`
 * (1..200, default 50) and `cursor` (an opaque position, here the last
 * id seen), and list responses carry "items" and "next" (a cursor, or
 * null at the end).
 */
#ifndef CAIRN_API_H
#define CAIRN_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "web/page.h"

struct req;

/* Sends v (reference stolen) as application/json with `status`. */
void api_json(struct req *r, int status, json_t *v);

/* Sends a problem.  field may be NULL. */
void api_problem(struct req *r, int status, const char *title,
		 const char *detail, const char *field);

/* Sends a 422 problem listing every field error. */
void api_problem_fields(struct req *r, const struct field_errors *e);

/* Reads limit and cursor; on a bad value sends a 400 problem and
 * returns -1.  cursor 0 means "from the start". */
int api_page_params(struct req *r, int64_t *limit, int64_t *cursor);

/* Route parameter declarations for paginated lists. */
#define API_PAGE_PARAMS {"limit", PARAM_INT, 4, false}, \
			{"cursor", PARAM_INT, 20, false}

/*
 * A JSON request body being read field by field: type errors collect as
 * field errors ("FIELD MESSAGE."), and the handler then answers them all
 * at once (api_problem_fields) or names the first.
 */
struct api_body {
	struct req *r;
	struct field_errors fe;
};

void api_body_error(struct api_body *b, const char *field, const char *msg);

/* An optional string of at most maxlen characters: NULL when absent or
 * JSON null, except that null gives "" when nullable (a field the client
 * clears). */
const char *api_body_str(struct api_body *b, const char *name, size_t maxlen,
			 bool nullable);

/* An optional boolean: false when absent. */
bool api_body_bool(struct api_body *b, const char *name);

/* An integer from 1 (an id): 0 when absent, an error when required. */
int64_t api_body_id(struct api_body *b, const char *name, bool required);

/* Writes the OpenAPI 3 document built from the route table. */
void api_openapi(struct req *r);

#endif
