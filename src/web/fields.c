/* fields.c (web): see fields.h for the contract. */
#include "web/fields.h"
#include "core/arena.h"
#include "core/str.h"
#include "web/app.h"
#include "web/page.h"
#include "http/html.h"
#include "rules/calendar.h"

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
			/* a reference that is not an id is not one of the
			 * choices: the domain says to select one */
			if (v && !str_to_i64z(v, 0, INT64_MAX, &n)) {
				if (f->type == FT_REF)
					n = -1;
				else
					fe_addf(e, stem(f), "%s must be a "
						"whole number", f->label);
			}
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
		const char *label = f->required || f->type == FT_BOOL ||
					    (f->rules & FR_SOMETIMES)
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
					l = arena_printf(r->a, "%s (%s)", l,
							 f->codes[k].code);
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
				   "off", f->format == FF_EMAIL ? "email"
					  : f->format == FF_PHONE ? "tel" : NULL);
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

int fields_take(struct req *r, const struct record_type *t, void *rec,
		struct field_errors *e)
{
	struct field_errors page = {0}, dom = {0};
	if (fields_read(r, t, rec, &page) == 0)
		return ERR_OK;
	/* every other field is still checked, so all are said at once;
	 * where the page could not read a value its message stands */
	fields_check(t, rec, &r->act, &dom);
	for (int i = 0; i < dom.n; i++) {
		const struct field *f = field_find(t, dom.v[i].field);
		if (f == NULL || (fe_for(&page, anchor(r, f)) == NULL &&
				  !(f->type == FT_DATETIME &&
				    fe_for(&page, key(r, f, "-time")))))
			fe_set(&page, dom.v[i].field, dom.v[i].msg);
	}
	fields_errors(r, t, &page, e);
	return ERR_INVALID;
}

const char *fields_value(struct req *r, const struct field *f,
			 const void *rec)
{
	char b[32];
	const char *v = field_is_text(f) ? field_text(f, rec) : NULL;
	switch (f->type) {
	case FT_DATE:
	case FT_DATETIME:
		cal_words(v, b);
		v = arena_strdup(r->a, b);
		break;
	case FT_CODE: {
		const char *l = field_code_label(f, v);
		if (l && f->show_code) {
			/* "School (2A)", by hand: a list shows it on every row */
			size_t nv = strlen(v), nl = strlen(l);
			char *t = arena_alloc(r->a, nv + nl + 4);
			if (t) {
				memcpy(t, l, nl);
				memcpy(t + nl, " (", 2);
				memcpy(t + nl + 2, v, nv);
				memcpy(t + nl + 2 + nv, ")", 2);
			}
			v = t;
		}
		else if (l)
			v = l;
		break;
	}
	case FT_BOOL:
		v = field_bool(f, rec) ? "Yes" : "No";
		break;
	case FT_INT:
	case FT_MONEY:
	case FT_REF:
		v = field_int(f, rec) || f->type == FT_INT
			    ? arena_printf(r->a, "%lld",
					   (long long)field_int(f, rec))
			    : "";
		break;
	default:
		break;
	}
	return v ? v : "";
}

/* A column with its fields found once (not once a cell). */
struct col {
	const struct column *c;
	const struct field *f, *id, *flag;
};

static struct col col_of(const struct record_type *t, const struct column *c)
{
	struct col k = {c, NULL, NULL, NULL};
	k.f = c->field ? field_find(t, c->field) : NULL;
	k.id = c->link_id ? field_find(t, c->link_id) : NULL;
	k.flag = c->flag && c->flag[0] ? field_find(t, c->flag) : NULL;
	return k;
}

/* Writes column k's value of rec; false when it has none to show. */
static bool show(struct req *r, const struct col *k, const void *rec,
		 bool probe)
{
	const struct column *c = k->c;
	const char *v = k->f ? fields_value(r, k->f, rec) : "";
	if (k->f && v[0] == '\0' && c->empty == NULL && (probe || !c->show))
		return false;
	if (probe)
		return true;
	if (c->show) {
		c->show(r, rec);
		return true;
	}
	const char *href = k->id ? page_record_href(r, c->link,
						     field_int(k->id, rec))
				 : NULL;
	const char *text = v[0] ? (c->text ? c->text : v) : c->empty;
	if (href)
		page_link(r, href, text);
	else
		html_text(page_out(r), text);
	if (c->flag && (!c->flag[0] || (k->flag && field_bool(k->flag, rec)))) {
		html_raw(page_out(r), " ");
		page_tag(r, c->tag, c->colour);
	}
	return true;
}

#define COLS_MAX 16

static void table(struct req *r, const char *caption, bool hidden,
		  const struct record_type *t, const struct column *cols,
		  const void *rows, size_t size, int n)
{
	const char *heads[COLS_MAX];
	struct col k[COLS_MAX];
	int nc = 0;
	for (; nc < COLS_MAX && cols[nc].head; nc++) {
		heads[nc] = cols[nc].head;
		k[nc] = col_of(t, &cols[nc]);
	}
	if (hidden)
		page_table_begin_hidden(r, caption, heads, nc, NULL);
	else
		page_table_begin(r, caption, heads, nc);
	for (int i = 0; i < n; i++) {
		const void *rec = (const char *)rows + (size_t)i * size;
		page_row_begin(r);
		for (int c = 0; c < nc; c++) {
			page_cell_begin(r);
			show(r, &k[c], rec, false);
			page_cell_end(r);
		}
		page_row_end(r);
	}
	page_table_end(r);
}

void fields_table(struct req *r, const char *caption,
		  const struct record_type *t, const struct column *cols,
		  const void *rows, size_t size, int n)
{
	table(r, caption, false, t, cols, rows, size, n);
}

void fields_table_hidden(struct req *r, const char *caption,
			 const struct record_type *t,
			 const struct column *cols, const void *rows,
			 size_t size, int n)
{
	table(r, caption, true, t, cols, rows, size, n);
}

void fields_summary(struct req *r, const struct record_type *t,
		    const struct column *rows, const void *rec)
{
	summary_begin(r);
	for (const struct column *c = rows; c->head; c++) {
		struct col k = col_of(t, c);
		if (!show(r, &k, rec, true))
			continue;
		page_srow_begin(r, c->head);
		show(r, &k, rec, false);
		page_srow_end(r);
	}
	summary_end(r);
}
