/* field.c: see field.h for the contract. */
#include "domain/field.h"
#include "core/str.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/actor.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool field_is_text(const struct field *f)
{
	return f->type == FT_TEXT || f->type == FT_LONGTEXT ||
	       f->type == FT_DATE || f->type == FT_DATETIME ||
	       f->type == FT_CODE;
}

const char *field_text(const struct field *f, const void *rec)
{
	return *(const char *const *)((const char *)rec + f->offset);
}

int64_t field_int(const struct field *f, const void *rec)
{
	return *(const int64_t *)((const char *)rec + f->offset);
}

bool field_bool(const struct field *f, const void *rec)
{
	return *(const bool *)((const char *)rec + f->offset);
}

void field_set_text(const struct field *f, void *rec, const char *v)
{
	*(const char **)((char *)rec + f->offset) = v;
}

void field_set_int(const struct field *f, void *rec, int64_t v)
{
	*(int64_t *)((char *)rec + f->offset) = v;
}

void field_set_bool(const struct field *f, void *rec, bool v)
{
	*(bool *)((char *)rec + f->offset) = v;
}

int codes_index(const struct field_code *v, const char *code)
{
	for (int i = 0; v && code && v[i].code; i++)
		if (strcmp(v[i].code, code) == 0)
			return i;
	return -1;
}

const char *codes_label(const struct field_code *v, const char *code)
{
	int i = codes_index(v, code);
	return i < 0 ? NULL : v[i].label;
}

size_t codes_count(const struct field_code *v)
{
	size_t n = 0;
	while (v && v[n].code)
		n++;
	return n;
}

const char *field_code_label(const struct field *f, const char *code)
{
	return codes_label(f->codes, code);
}

const struct field *field_find(const struct record_type *t, const char *name)
{
	for (int i = 0; name && i < t->n; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

void fields_row(struct db_q *q, int col, const struct record_type *t,
		void *rec, struct arena *a)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		if (f->out & FO_DERIVED)
			continue;
		if (field_is_text(f)) {
			const char *v = db_col_text(q, col);
			if (v == NULL && (f->out & FO_OMIT)) {
				field_set_text(f, rec, NULL);
			} else if (v == NULL || v[0] == '\0') {
				field_set_text(f, rec, ""); /* no copy */
			} else {
				char *d = arena_strdup(a, v);
				field_set_text(f, rec, d ? d : "");
			}
		} else if (f->type == FT_BOOL) {
			field_set_bool(f, rec, db_col_i64(q, col) != 0);
		} else {
			field_set_int(f, rec, db_col_null(q, col)
						      ? 0 : db_col_i64(q, col));
		}
		col++;
	}
}

/* True when s is only white space. */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* The field's name at the start of a message. */
static const char *called(const struct field *f)
{
	return f->called ? f->called : f->label;
}

static void missing(const struct field *f, struct field_errors *e)
{
	if (f->missing)
		fe_set(e, f->name, f->missing);
	else
		fe_addf(e, f->name, "%s %s", f->type == FT_CODE ||
			f->type == FT_BOOL ? "Select" : "Enter",
			f->what ? f->what : f->label);
}

/* "9 July 2026" / "9 July 2026 at 10:00" of a stored floor. */
static void words(const char *s, char *out, size_t n)
{
	struct cal_time t = {{0, 0, 0}, 0, 0};
	size_t k = strlen(s);
	if (k == 16 && cal_time_parse(s, k, &t) && (t.hh || t.mm))
		snprintf(out, n, "%d %s %d at %02d:%02d", t.date.d,
			 cal_month_name(t.date.m), t.date.y, t.hh, t.mm);
	else if ((k == 10 && cal_date_parse(s, k, &t.date)) ||
		 (k == 16 && cal_time_parse(s, k, &t)))
		snprintf(out, n, "%d %s %d", t.date.d,
			 cal_month_name(t.date.m), t.date.y);
	else
		snprintf(out, n, "%s", s);
}

/* FF_EMAIL: one '@' with something before it; after it a domain with
 * a dot that neither starts nor ends it, nor sits beside another; no
 * white space anywhere. */
static bool email_ok(const char *v)
{
	const char *at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@'))
		return false;
	for (const char *p = v; *p; p++)
		if (isspace((unsigned char)*p))
			return false;
	const char *d = at + 1;
	size_t n = strlen(d);
	return n >= 3 && strchr(d, '.') && d[0] != '.' && d[n - 1] != '.' &&
	       strstr(d, "..") == NULL;
}

/* FF_PHONE: digits, spaces, hyphens and brackets, a '+' only before the
 * first digit; from FIELD_PHONE_DIGITS_MIN to _MAX digits. */
static bool phone_ok(const char *v)
{
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '+' ? digits > 0 || strchr(p + 1, '+') != NULL
				   : strchr(" -()", *p) == NULL)
			return false;
	}
	return digits >= FIELD_PHONE_DIGITS_MIN &&
	       digits <= FIELD_PHONE_DIGITS_MAX;
}

static void check_text(const struct field *f, const char *v,
		       struct field_errors *e)
{
	size_t n = strlen(v);
	bool line = f->type != FT_LONGTEXT;
	if (line ? !str_is_line(v, n) : !str_is_text(v, n))
		fe_addf(e, f->name, line ? "%s must be on one line, without "
				    "special characters" : "%s must be text "
				    "without special characters", called(f));
	else if (f->max > 0 && str_utf8_chars(v, n) > (size_t)f->max)
		fe_addf(e, f->name, "%s must be %d characters or fewer; it "
			"has %zu", called(f), f->max, str_utf8_chars(v, n));
	else if (f->format == FF_EMAIL && !email_ok(v))
		fe_set(e, f->name, "Enter an email address in the correct "
		       "format, like name@example.com");
	else if (f->format == FF_PHONE && !phone_ok(v))
		fe_set(e, f->name, "Enter a telephone number, like 01632 960 "
		       "001, 07700 900 982 or +44 7700 900 982");
}

static void check_time(const struct field *f, const char *v,
		       const struct actor *act, struct field_errors *e)
{
	struct cal_time t = {{0, 0, 0}, 0, 0};
	bool timed = f->type == FT_DATETIME;
	size_t n = strlen(v);
	if (timed ? !cal_time_parse(v, n, &t) : !cal_date_parse(v, n, &t.date)) {
		fe_addf(e, f->name, timed ? "%s must be a real date and time"
					  : "%s must be a real date", called(f));
		return;
	}
	char w[48];
	if (f->floor && strcmp(v, f->floor) < 0) {
		words(f->floor, w, sizeof(w));
		fe_addf(e, f->name, "%s must be on or after %s", called(f), w);
		return;
	}
	if (f->rules & FR_NOT_FUTURE) {
		bool future = timed ? cal_minutes(t) > cal_minutes(act->civil)
				    : cal_compare(t.date, act->today) > 0;
		if (future)
			fe_addf(e, f->name, timed ? "%s must be now or in the "
						    "past"
						  : "%s must be today or in "
						    "the past", called(f));
	}
}

int fields_check(const struct record_type *t, const void *rec,
		 const struct actor *act, struct field_errors *e)
{
	int before = e->n;
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		if (!field_is_text(f)) {
			int64_t v = f->type == FT_BOOL ? 0 : field_int(f, rec);
			/* a reference is an id from 1 */
			bool absent = f->type == FT_REF ? v <= 0 : v == 0;
			if (f->required && f->type != FT_BOOL && absent)
				missing(f, e);
			else if (f->type == FT_INT && f->max > 0 && v > f->max)
				fe_addf(e, f->name, "%s must be %d or less",
					f->label, f->max);
			continue;
		}
		const char *v = field_text(f, rec);
		if (v == NULL || blank(v)) {
			if (f->required)
				missing(f, e);
			continue;
		}
		switch (f->type) {
		case FT_CODE:
			if (field_code_label(f, v) == NULL && f->invalid)
				fe_addf(e, f->name, f->invalid, v);
			else if (field_code_label(f, v) == NULL)
				fe_addf(e, f->name, "Select %s from the list",
					f->what ? f->what : f->label);
			break;
		case FT_DATE:
		case FT_DATETIME:
			check_time(f, v, act, e);
			break;
		default:
			check_text(f, v, e);
		}
	}
	return e->n > before ? ERR_INVALID : ERR_OK;
}
