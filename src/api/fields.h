/*
 * fields (API): a record type's JSON body and its OpenAPI schema, made
 * from its field table (domain/field.h).
 *
 * The body is an object whose keys are the fields' names; a key that is
 * not a field is refused ("is not a recognised field"), a value of the
 * wrong JSON type too ("must be a string" ...), each as a field error;
 * the domain then checks the values (fields_check) with the same
 * messages the form shows.  Text is a JSON string, a date 'YYYY-MM-DD',
 * a date and time 'YYYY-MM-DDTHH:MM' (UK civil time), a number or
 * reference a JSON integer, a boolean true or false; an optional field
 * may be null.
 */
#ifndef CAIRN_API_FIELDS_H
#define CAIRN_API_FIELDS_H

#include <stddef.h>

#include "domain/field.h"

struct req;

/* Reads r's JSON body into rec (strings borrowed from the body).
 * Returns the number of field errors added to e. */
int api_fields_read(struct req *r, const struct record_type *t, void *rec,
		    struct field_errors *e);

/* Writes t's JSON Schema (an OpenAPI request body) as text into out (n
 * bytes, NUL-terminated; cut short it would be invalid, so n must be
 * ample: 0 is returned then, else the length).  description, when not
 * NULL, is added to the object. */
size_t api_fields_schema(const struct record_type *t, char *out, size_t n);

#include <jansson.h>

/* A view's record (domain/field.h) as a JSON object: each field under
 * its name but FO_HIDDEN ones; text "" as null (FO_OMIT text NULL is
 * left out); a reference 0 as null; a code with FO_LABEL followed by
 * "{name}_label" (its label, or null). */
json_t *api_fields_json(const struct record_type *t, const void *rec);

/* {"items": [...], "next": next or null} for the n records of `size`
 * bytes at rows, each made by one (NULL: api_fields_json of t). */
json_t *api_fields_list(const struct record_type *t, const void *rows,
			size_t size, int n, int64_t next,
			json_t *(*one)(const void *rec));

/*
 * A write the API answers with the record.  api_write reads the body
 * into `in` (w->body's fields; refused: 422 naming every field), then
 * in one write transaction runs w->op, which writes, reads the record
 * back (*out, its JSON) and gives its id; committed, it answers 201
 * with Location w->created + id when w->created is set, else 200.  An
 * error rolls everything back and is answered by answer_error (422
 * naming the fields, 409 naming the field, 404 naming w->what...).
 */
struct api_write {
	const struct record_type *body;
	int (*op)(struct req *r, const void *in, int64_t *id, json_t **out,
		  struct field_errors *e);
	const char *created; /* "/api/v1/contacts/" or NULL */
	const char *what;    /* "contact": for a 404 */
};
void api_write(struct req *r, const struct api_write *w, void *in);

#endif
