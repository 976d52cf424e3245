/* fields.c (web): see fields.h for the contract. */
#include "web/fields.h"
#include "core/arena.h"
#include "core/str.h"
#include "web/app.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

/* The stem of a field's inputs. */
static const char *stem(const struct field *f)
{
	return f->form ? f->form : f->name;
}

static const char *key(struct req *r, const struct field *f,
		       const char *suffix)
{
	const char *k = arena_printf(r->a, "%s%s", stem(f), suffix);
	return k ? k : "";
}

/* The input a field's message is shown on. */
static const char *anchor(struct req *r, const struct field *f)
{
	return f->type == FT_DATE || f->type == FT_DATETIME ? key(r, f, "-day")
							    : stem(f);
}

/* Reads 'H:MM' or 'HH:MM' (or with a dot) into hh, mm. */
static bool read_time(const char *t, int *hh, int *mm)
{
	const char *sep = strpbrk(t, ":.");
	int64_t h, m;
	if (sep == NULL || strlen(sep + 1) != 2 ||
	    !str_to_i64(t, (size_t)(sep - t), 0, 23, &h) ||
	    !str_to_i64z(sep + 1, 0, 59, &m))
		return false;
	*hh = (int)h;
	*mm = (int)m;
	return true;
}

int fields_read(struct req *r, const struct record_type *t, void *rec,
		struct field_errors *e)
{
	int before = e->n;
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		const char *v;
		int64_t n;
		switch (f->type) {
		case FT_DATE:
		case FT_DATETIME: {
			const char *date = NULL;
			bool ok = page_date_field(r, false, stem(f), f->label, e,
						  &date);
			if (f->type == FT_DATE || !ok) {
				field_set_text(f, rec, date);
				break;
			}
			const char *tm = page_trim(r, req_form(r, key(r, f,
								      "-time")));
			int hh = 0, mm = 0;
			if (date && tm == NULL)
				fe_addf(e, key(r, f, "-time"), "Enter the time "
					"for %s", f->what ? f->what : f->label);
			else if (tm && !read_time(tm, &hh, &mm))
				fe_set(e, key(r, f, "-time"), "Enter the time "
				       "in the 24-hour clock, for example 14:30");
			else if (date && tm)
				field_set_text(f, rec, arena_printf(
					r->a, "%sT%02d:%02d", date, hh, mm));
			break;
		}
		case FT_INT:
		case FT_MONEY:
		case FT_REF:
			v = page_trim(r, req_form(r, stem(f)));
			n = 0;
			if (v && !str_to_i64z(v, 0, INT64_MAX, &n))
				fe_addf(e, stem(f), "%s must be a whole number",
					f->label);
			field_set_int(f, rec, n);
			break;
		case FT_BOOL:
			v = req_form(r, stem(f));
			field_set_bool(f, rec, v && strcmp(v, "yes") == 0);
			break;
		case FT_LONGTEXT:
			/* narrative keeps its own white space inside */
			v = req_form(r, stem(f));
			field_set_text(f, rec, page_trim(r, v) ? v : NULL);
			break;
		default:
			field_set_text(f, rec, page_trim(r, req_form(r, stem(f))));
		}
	}
	return e->n - before;
}

/* The typed value of an input on a re-shown POST, else the fallback. */
static const char *typed(struct req *r, const char *k, const char *fallback)
{
	const char *v = req_form(r, k);
	return v ? v : fallback;
}

void fields_form(struct req *r, const struct record_type *t, const void *rec,
		 const struct field_errors *e)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		const char *v = rec && field_is_text(f) ? field_text(f, rec) : NULL;
		const char *label = f->required || f->type == FT_BOOL
				  ? f->label
				  : arena_printf(r->a, "%s (optional)", f->label);
		switch (f->type) {
		case FT_DATE:
		case FT_DATETIME: {
			struct cal_time ct = {{0, 0, 0}, 0, 0};
			bool have = v && (f->type == FT_DATE
					  ? cal_date_parse(v, strlen(v), &ct.date)
					  : cal_time_parse(v, strlen(v), &ct));
			char d[8] = "", m[8] = "", y[8] = "", hm[8] = "";
			if (have) {
				snprintf(d, sizeof(d), "%d", ct.date.d);
				snprintf(m, sizeof(m), "%d", ct.date.m);
				snprintf(y, sizeof(y), "%d", ct.date.y);
				snprintf(hm, sizeof(hm), "%02d:%02d", ct.hh, ct.mm);
			}
			form_date(r, e, stem(f), label, f->hint,
				  typed(r, key(r, f, "-day"), d),
				  typed(r, key(r, f, "-month"), m),
				  typed(r, key(r, f, "-year"), y));
			if (f->type == FT_DATETIME)
				form_input(r, e, key(r, f, "-time"),
					   f->time_label ? f->time_label : "Time",
					   "Use the 24-hour clock, for example "
					   "14:30",
					   typed(r, key(r, f, "-time"), hm),
					   "govuk-input--width-5", "off", NULL);
			break;
		}
		case FT_CODE: {
			int n = 0;
			while (f->codes[n].code)
				n++;
			struct choice *c = arena_zalloc(r->a, (size_t)(n + 1) *
							 sizeof(*c));
			for (int k = 0; c && k < n; k++) {
				const char *l = f->codes[k].label;
				if (f->show_code)
					l = arena_printf(r->a, "%s: %s",
							 f->codes[k].code, l);
				c[k] = (struct choice){f->codes[k].code,
						       l ? l : "",
						       f->code_hints
						       ? f->code_hints[k] : NULL};
			}
			if (f->radios)
				form_radios(r, e, stem(f), label, f->hint, c,
					    c ? n : 0, typed(r, stem(f), v));
			else
				form_select(r, e, stem(f), label, f->hint, c,
					    c ? n : 0, typed(r, stem(f), v));
			break;
		}
		case FT_LONGTEXT:
			form_textarea(r, e, stem(f), label, f->hint,
				      typed(r, stem(f), v), 10);
			break;
		case FT_INT:
		case FT_MONEY:
		case FT_REF: {
			char num[24] = "";
			if (rec && field_int(f, rec))
				snprintf(num, sizeof(num), "%lld",
					 (long long)field_int(f, rec));
			form_input(r, e, stem(f), label, f->hint,
				   typed(r, stem(f), num), "govuk-input--width-10",
				   "off", "text");
			break;
		}
		case FT_BOOL: {
			static const struct choice yn[] = {{"yes", "Yes", NULL},
							   {"no", "No", NULL}};
			const char *sel = rec && field_bool(f, rec) ? "yes" : "no";
			form_radios(r, e, stem(f), label, f->hint, yn, 2,
				    typed(r, stem(f), sel));
			break;
		}
		default:
			form_input(r, e, stem(f), label, f->hint,
				   typed(r, stem(f), v),
				   f->width ? f->width : "govuk-!-width-two-thirds",
				   "off", NULL);
		}
	}
}

void fields_errors(struct req *r, const struct record_type *t,
		   const struct field_errors *from, struct field_errors *to)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		const char *m = fe_for(from, anchor(r, f));
		if (m == NULL)
			m = fe_for(from, f->name);
		if (m)
			fe_set(to, anchor(r, f), m);
		if (f->type == FT_DATETIME) {
			m = fe_for(from, key(r, f, "-time"));
			if (m)
				fe_set(to, key(r, f, "-time"), m);
		}
	}
	for (int i = 0; i < from->n; i++)
		if (fe_for(to, from->v[i].field) == NULL &&
		    field_find(t, from->v[i].field) == NULL)
			fe_set(to, from->v[i].field, from->v[i].msg);
}

void fields_params(const struct record_type *t, const struct param_spec *extra,
		   struct param_spec *out, size_t n)
{
	size_t k = 0;
	static const char *const parts[] = {"-day", "-month", "-year", "-time"};
	for (int i = 0; i < t->n && k + 1 < n; i++) {
		const struct field *f = &t->fields[i];
		const char *s = stem(f);
		switch (f->type) {
		case FT_DATE:
		case FT_DATETIME:
			for (int p = 0; p < (f->type == FT_DATE ? 3 : 4) &&
					k + 1 < n; p++) {
				/* a stem and a part, kept for the process's
				 * life (the route tables' parameters) */
				size_t len = strlen(s) + strlen(parts[p]) + 1;
				char *name = xcalloc(1, len);
				snprintf(name, len, "%s%s", s, parts[p]);
				out[k++] = (struct param_spec){name, PARAM_LINE,
							       16, false};
			}
			break;
		case FT_LONGTEXT:
			out[k++] = (struct param_spec){
				s, PARAM_TEXT, (size_t)f->max * 4 + 64, false};
			break;
		case FT_INT:
		case FT_MONEY:
		case FT_REF:
			out[k++] = (struct param_spec){s, PARAM_INT, 20, false};
			break;
		default:
			out[k++] = (struct param_spec){
				s, PARAM_LINE,
				f->max > 0 ? (size_t)f->max * 4 + 64 : 64, false};
		}
	}
	for (; extra && extra->name && k + 1 < n; extra++)
		out[k++] = *extra;
	out[k] = (struct param_spec){NULL, 0, 0, false};
}
