/*
 * fields (web): a record type's form, made from its field table
 * (domain/field.h).
 *
 * Each field's inputs are named after it: a text, code, number or
 * boolean field one input named `name`; a date the three GOV.UK inputs
 * `name-day`, `name-month`, `name-year`; a date and time those and
 * `name-time`.  (A field may give its inputs another stem with `form`,
 * so an existing page keeps its names.)  Errors on a date are reported
 * on `name-day`, the input the error summary links to.
 *
 * fields_read reads the form into the record's struct, turning the date
 * parts into 'YYYY-MM-DD' and 'YYYY-MM-DDTHH:MM', and adds a message for
 * a date or time that cannot be read; fields_form writes the inputs,
 * showing what was typed when the form comes back with errors (the raw
 * parts, not the parsed value); fields_params fills a route's parameter
 * declarations.
 */
#ifndef CAIRN_WEB_FIELDS_H
#define CAIRN_WEB_FIELDS_H

#include <stddef.h>

#include "domain/field.h"
#include "http/router.h"

struct req;

/* Reads the form (the request's body fields) into rec.  Text is trimmed
 * and kept in the request's arena.  Returns the number of messages
 * added (dates and times that cannot be read). */
int fields_read(struct req *r, const struct record_type *t, void *rec,
		struct field_errors *e);

/* Writes the inputs of every field.  When the request is a re-shown
 * POST, what was typed is shown; otherwise rec's values (NULL: empty). */
void fields_form(struct req *r, const struct record_type *t, const void *rec,
		 const struct field_errors *e);

/* A domain error on a field, moved to the input the summary links to
 * (a date's day input).  Adds every message of from to to, in t's order
 * (then any others). */
void fields_errors(struct req *r, const struct record_type *t,
		   const struct field_errors *from, struct field_errors *to);

/* Fills out (n entries at most, the last left as the end marker) with
 * the parameters t's form sends, followed by the NULL-ended extra
 * ones.  Call once, before the first request (a module's constructor). */
void fields_params(const struct record_type *t, const struct param_spec *extra,
		   struct param_spec *out, size_t n);

/* Reads the form into rec (fields_read); when a value cannot be read,
 * checks every other field too (fields_check) and gives all the
 * messages, on the inputs the summary links to, in e: ERR_INVALID.
 * ERR_OK when everything was read (the domain then checks it). */
int fields_take(struct req *r, const struct record_type *t, void *rec,
		struct field_errors *e);

/* f's value in rec for people: a date "6 April 2023", a date and time
 * "... at 10:00", a code its label ("School (2A)" with show_code), a
 * boolean "Yes"/"No", a reference 0 "".  In the arena. */
const char *fields_value(struct req *r, const struct field *f,
			 const void *rec);

/*
 * A column of a table, or a row of a summary list, showing a view's
 * record: the field's value for people (fields_value), linked to the
 * page of `link` ("contact", "child": page_record_href) with the id in
 * field link_id, as `text` when set ("View the referral"), or `empty`
 * when the value is ""; then a GOV.UK tag `tag` in `colour` when the
 * boolean field `flag` is true ("" : always); or drawn by show.  A
 * summary list leaves out a row whose field is empty and has no `empty`
 * text.  Ended by head NULL.
 */
struct column {
	const char *head;
	const char *field;
	const char *link;
	const char *link_id;
	const char *text;
	const char *empty;
	void (*show)(struct req *r, const void *rec);
	const char *flag;
	const char *tag;
	const char *colour;
};

/* A table of the n records of `size` bytes at rows. */
void fields_table(struct req *r, const char *caption,
		  const struct record_type *t, const struct column *cols,
		  const void *rows, size_t size, int n);
/* The same with the caption for screen readers only: the section's
 * heading above already names the table ("Cases" twice on the child's
 * page otherwise). */
void fields_table_hidden(struct req *r, const char *caption,
			 const struct record_type *t,
			 const struct column *cols, const void *rows,
			 size_t size, int n);

/* A GOV.UK summary list of rec. */
void fields_summary(struct req *r, const struct record_type *t,
		    const struct column *rows, const void *rec);

#endif
