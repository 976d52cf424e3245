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

#endif
