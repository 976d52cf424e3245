/*
 * field: a kind of record's fields, described once.
 *
 * A record type is a table of fields: the name (the JSON and form name),
 * the label people read, a hint, the type, whether it is required, its
 * limits (lengths in characters, a date range: not in the future, not
 * before a floor), for a code the code list, and where it lives in the
 * module's C struct (offsetof).  From that one table come:
 *   - validation with GOV.UK messages (fields_check, here);
 *   - the form, and reading it back, the three-part date input and the
 *     time input included (web/fields.h);
 *   - the JSON the API reads and writes, and its OpenAPI schema
 *     (api/fields.h);
 *   - the route's declared parameters (web/fields.h).
 * Cross-field rules and workflow stay in the module's code; SQL stays
 * hand-written (db_exec binds by type).
 *
 * Values in the C struct: FT_TEXT, FT_LONGTEXT, FT_DATE (UK civil date
 * 'YYYY-MM-DD'), FT_DATETIME (UK civil 'YYYY-MM-DDTHH:MM'), FT_CODE:
 * `const char *` (NULL or "" when not given); FT_INT, FT_MONEY (pence),
 * FT_REF: int64_t (0 when not given); FT_BOOL: bool.
 *
 * Messages: one sentence, GOV.UK style.  A missing required value says
 * "Enter {what}" (a code: "Select {what}"), or the field's own `missing`
 * sentence; a value too long "{Label} must be {max} characters or
 * fewer"; a date that does not exist "{Label} must be a real date"; and
 * so on (field.c).  Labels start with a capital; `what` is the noun
 * phrase after "Enter".
 */
#ifndef CAIRN_FIELD_H
#define CAIRN_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "rules/calendar.h"

struct actor;

enum field_type {
	FT_TEXT,     /* one line */
	FT_LONGTEXT, /* narrative, several lines: a textarea */
	FT_DATE,     /* 'YYYY-MM-DD' */
	FT_DATETIME, /* 'YYYY-MM-DDTHH:MM', UK civil time */
	FT_INT,
	FT_MONEY,    /* pence */
	FT_BOOL,
	FT_CODE,     /* a code of a code list */
	FT_REF,      /* the id of another record */
};

/* Rules (struct field.rules). */
#define FR_NOT_FUTURE 1u  /* a date: not after the actor's now (or today) */
#define FR_SOMETIMES 2u   /* not required, but required by the module's
			   * own rule in some cases (said in its hint):
			   * the form does not call it "(optional)" */

/* Formats of a one-line text (struct field.format), checked after its
 * length, each with the GOV.UK pattern's message. */
enum field_format {
	FF_NONE,
	FF_EMAIL, /* one '@' with something before it, and a domain with a
		   * dot inside it; no spaces.  "Enter an email address in
		   * the correct format, like name@example.com" */
	FF_PHONE, /* digits, spaces, hyphens and brackets, '+' only first;
		   * FIELD_PHONE_DIGITS_MIN to _MAX digits.  "Enter a
		   * telephone number, like 01632 960 001, ..." */
};
#define FIELD_PHONE_DIGITS_MIN 10
#define FIELD_PHONE_DIGITS_MAX 15

struct field_code {
	const char *code;
	const char *label;
};

struct field {
	const char *name;    /* "referrer_name" */
	const char *label;   /* "Referrer's name": the form's label */
	const char *hint;    /* or NULL */
	enum field_type type;
	bool required;
	int max;             /* text: most characters; int: most value */
	const char *called;  /* its name at the start of a message when
			      * not the label: "The worry" */
	bool show_code;      /* FT_CODE: people see "label (CODE)" */
	bool radios;         /* FT_CODE: radios, not a select */
	const char *const *code_hints; /* FT_CODE: a hint for each code, in
				       * the list's order (NULL entries: none) */
	const char *what;    /* "the name of the person who made the
			      * contact": "Enter ..." (NULL: the label) */
	const char *missing; /* or the whole sentence when missing */
	const char *invalid; /* a code not in the list: the sentence, with
			      * %s for what was sent (NULL: "Select
			      * {what} from the list") */
	unsigned rules;      /* FR_* */
	const char *floor;   /* a date or date-time it may not be before */
	const struct field_code *codes; /* FT_CODE: ended by code NULL */
	size_t offset;       /* offsetof in the record's struct */
	const char *width;   /* a GOV.UK width class for the input, or NULL */
	const char *form;    /* the stem of its form inputs when not name */
	const char *time_label; /* FT_DATETIME: the time input's label */
	unsigned out;        /* FO_*: how a view's field is read and shown */
	enum field_format format; /* FT_TEXT: FF_* (the form's input type
				   * follows: email, tel) */
};

/*
 * A view: a record type describing a record as it is read back (the
 * module's output struct), not as it is typed.  Its fields are read from
 * a row in the table's order (fields_row), written as the API's JSON
 * (api/fields.h) and shown on pages (web/fields.h).  Text is `const
 * char *` ("" for NULL), a number or reference int64_t (0 for NULL), a
 * boolean bool.
 */
#define FO_DERIVED 1u /* not a column: the module works it out */
#define FO_HIDDEN 2u  /* not in the JSON (the API names no one) */
#define FO_OMIT 4u    /* text kept NULL for a NULL column, and then left
		       * out of the JSON (what a list does not carry) */
#define FO_LABEL 8u   /* FT_CODE: the JSON also has "{name}_label" */

struct record_type {
	const char *name;    /* "contact": the OpenAPI schema's name */
	const struct field *fields;
	int n;
};

/* In a code list (ended by code NULL): the index of code, or -1; its
 * label, or NULL (either for a NULL code); the number of codes. */
int codes_index(const struct field_code *v, const char *code);
const char *codes_label(const struct field_code *v, const char *code);
size_t codes_count(const struct field_code *v);

/* The label of code in f's list, or NULL. */
const char *field_code_label(const struct field *f, const char *code);

/* The field named name, or NULL. */
const struct field *field_find(const struct record_type *t, const char *name);

/* Checks every field of rec (a struct of t's) and adds one message for
 * each field that is wrong, in the table's order.  now/today come from
 * act.  Returns ERR_OK or ERR_INVALID. */
int fields_check(const struct record_type *t, const void *rec,
		 const struct actor *act, struct field_errors *e);

/* The value of f in rec. */
const char *field_text(const struct field *f, const void *rec);
int64_t field_int(const struct field *f, const void *rec);
bool field_bool(const struct field *f, const void *rec);

/* Sets f in rec (text kept by pointer: it must outlive rec). */
void field_set_text(const struct field *f, void *rec, const char *v);
void field_set_int(const struct field *f, void *rec, int64_t v);
void field_set_bool(const struct field *f, void *rec, bool v);

/* True for the types held as text in the struct. */
bool field_is_text(const struct field *f);

struct db_q;
struct arena;

/* Reads the row q is on into rec (a struct of view t's; derived fields
 * are left as they were),
 * from column col on: one column a field, derived ones skipped.  Text
 * is copied to a ("" when the arena is spent). */
void fields_row(struct db_q *q, int col, const struct record_type *t,
		void *rec, struct arena *a);


#endif
