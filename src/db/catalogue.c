/*
 * catalogue.c: the statement catalogue (db.h, DB_STMT).
 *
 * The linker gathers every DB_STMT definition into the section
 * "cairn_stmt" and defines __start_cairn_stmt and __stop_cairn_stmt
 * around it.  They are declared weak, so that a program with no
 * statement at all still links (its catalogue is empty).
 */
#include "db/db.h"
#include "core/str.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern const struct db_stmt __start_cairn_stmt[] __attribute__((weak));
extern const struct db_stmt __stop_cairn_stmt[] __attribute__((weak));

_Static_assert(sizeof(struct db_stmt) % _Alignof(struct db_stmt) == 0,
	       "catalogue entries must pack without gaps");

const struct db_stmt *db_catalogue(size_t *n)
{
	uintptr_t b = (uintptr_t)__start_cairn_stmt;
	uintptr_t e = (uintptr_t)__stop_cairn_stmt;
	if (b == 0 || e <= b) {
		*n = 0;
		return NULL;
	}
	*n = (size_t)(e - b) / sizeof(struct db_stmt);
	return __start_cairn_stmt;
}

long db_stmt_index(const struct db_stmt *st)
{
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	uintptr_t p = (uintptr_t)st, b = (uintptr_t)cat;
	if (cat == NULL || p < b || p >= b + n * sizeof(*cat) ||
	    (p - b) % sizeof(*cat) != 0)
		return -1;
	return (long)((p - b) / sizeof(*cat));
}

int db_stmts_check(const struct db_stmt *v, size_t n, char *err,
		   size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		/* a gap left by padding reads as an entry of zeros */
		if (v[i].name == NULL || v[i].sql == NULL || v[i].roles == 0) {
			snprintf(err, errlen, "entry %zu (after %s) has no name, "
				 "SQL or roles: padding in the section?", i,
				 i ? (v[i - 1].name ? v[i - 1].name : "?")
				   : "the start");
			return -1;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k].name, v[i].name) == 0) {
				snprintf(err, errlen, "statement name '%s' is "
					 "used twice", v[i].name);
				return -1;
			}
	}
	return 0;
}

int db_catalogue_check(char *err, size_t errlen)
{
	size_t n;
	const struct db_stmt *cat = db_catalogue(&n);
	if (cat != NULL &&
	    ((uintptr_t)__stop_cairn_stmt - (uintptr_t)__start_cairn_stmt) %
			    sizeof(*cat) != 0) {
		snprintf(err, errlen, "the section is not a whole number of "
			 "statements (padding between entries)");
		return -1;
	}
	return db_stmts_check(cat, n, err, errlen);
}

static const char *const access_names[DB_ACCESS__MAX] = {
	"read",   /* DB_ACCESS_READ */
	"insert", /* DB_ACCESS_INSERT */
	"update", /* DB_ACCESS_UPDATE */
	"delete", /* DB_ACCESS_DELETE */
	"create", /* DB_ACCESS_CREATE */
};

const char *db_access_name(enum db_access a)
{
	return str_at(access_names, DB_ACCESS__MAX, (int)a);
}
