/* err.c: see err.h for the contract. */
#include "domain/err.h"
#include "db/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int status;
} codes[ERR__COUNT] = {
	{"ok", 200},
	{"invalid input", 422},
	{"not found", 404},
	{"conflict", 409},
	{"denied", 403},
	{"store busy", 503},
	{"store error", 500},
	{"store full", 503},
	{"out of memory", 413},
	{"possible duplicates", 409},
	{"numbers used up", 500},
	{"no transaction", 500},
};

const char *err_name(int err)
{
	if (err > 0 || err <= -ERR__COUNT)
		return "unknown error";
	return codes[-err].name;
}

int err_status(int err)
{
	if (err > 0 || err <= -ERR__COUNT)
		return 500;
	return codes[-err].status;
}

int err_from_db(int rc)
{
	if (rc >= 0)
		return ERR_OK;
	switch (rc) {
	case DB_ECONSTRAINT: return ERR_CONFLICT;
	case DB_EBUSY: return ERR_BUSY;
	case DB_EDENIED: return ERR_DENIED;
	case DB_EFULL: return ERR_FULL;
	default: return ERR_STORE;
	}
}

const char *fe_for(const struct field_errors *e, const char *field)
{
	if (e == NULL || field == NULL)
		return NULL;
	size_t n = strlen(field);
	for (int i = 0; i < e->n; i++) {
		const char *f = e->v[i].field;
		/* a date input reports on name-day; the group's name finds it */
		if (strcmp(f, field) == 0 ||
		    (strncmp(f, field, n) == 0 && strcmp(f + n, "-day") == 0))
			return e->v[i].msg;
	}
	return NULL;
}

bool fe_any(const struct field_errors *e)
{
	return e != NULL && e->n > 0;
}

/* The slot for field's message, or NULL when it has one or e is full. */
static char *slot(struct field_errors *e, const char *field)
{
	if (e == NULL || field == NULL || e->n >= FIELD_ERRORS_MAX ||
	    fe_for(e, field))
		return NULL;
	e->v[e->n].field = field;
	return e->v[e->n++].msg;
}

void fe_set(struct field_errors *e, const char *field, const char *msg)
{
	char *m = slot(e, field);
	if (m)
		snprintf(m, FIELD_ERROR_LEN, "%s", msg ? msg : "");
}

void fe_addf(struct field_errors *e, const char *field, const char *fmt, ...)
{
	char *m = slot(e, field);
	if (m == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, FIELD_ERROR_LEN, fmt, ap);
	va_end(ap);
}
