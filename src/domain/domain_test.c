/* domain_test.c: the shared machinery: the error vocabulary and field
 * errors, the actor and its clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "db/db.h"
#include "domain/err.h"

static void statuses(void **state)
{
	(void)state;
	assert_int_equal(err_status(ERR_OK), 200);
	assert_int_equal(err_status(ERR_INVALID), 422);
	assert_int_equal(err_status(ERR_NOTFOUND), 404);
	assert_int_equal(err_status(ERR_CONFLICT), 409);
	assert_int_equal(err_status(ERR_DENIED), 403);
	assert_int_equal(err_status(ERR_BUSY), 503);
	assert_int_equal(err_status(ERR_FULL), 503);
	assert_int_equal(err_status(ERR_STORE), 500);
	assert_int_equal(err_status(ERR_NOMEM), 413);
	assert_int_equal(err_status(-99), 500);
	assert_string_equal(err_name(ERR_NOTFOUND), "not found");
	assert_string_equal(err_name(3), "unknown error");
	for (int e = 0; e > -ERR__COUNT; e--)
		assert_true(strlen(err_name(e)) > 0);
}

/* A constraint is a conflict in every module (it was a 500 in two). */
static void from_db(void **state)
{
	(void)state;
	assert_int_equal(err_from_db(DB_OK), ERR_OK);
	assert_int_equal(err_from_db(DB_ROW), ERR_OK);
	assert_int_equal(err_from_db(DB_ECONSTRAINT), ERR_CONFLICT);
	assert_int_equal(err_from_db(DB_EBUSY), ERR_BUSY);
	assert_int_equal(err_from_db(DB_EDENIED), ERR_DENIED);
	assert_int_equal(err_from_db(DB_EFULL), ERR_FULL);
	assert_int_equal(err_from_db(DB_EIO), ERR_STORE);
	assert_int_equal(err_from_db(DB_ESCHEMA), ERR_STORE);
}

static void field_errors(void **state)
{
	(void)state;
	struct field_errors e = {0};
	assert_false(fe_any(&e));
	fe_addf(&e, "given_name", "Enter %s", "a first name");
	fe_set(&e, "given_name", "a second message is dropped");
	fe_set(&e, "dob-day", "Date of birth must be a real date");
	assert_true(fe_any(&e));
	assert_int_equal(e.n, 2);
	assert_string_equal(fe_for(&e, "given_name"), "Enter a first name");
	assert_string_equal(fe_for(&e, "dob"), "Date of birth must be a real date");
	assert_string_equal(fe_for(&e, "dob-day"), "Date of birth must be a real date");
	assert_null(fe_for(&e, "do"));
	assert_null(fe_for(&e, "family_name"));
	assert_null(fe_for(NULL, "x"));
	fe_set(NULL, "x", "nothing happens");
	/* Long messages are cut to fit; the list stops at its size. */
	char big[400];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fe_set(&e, "long", big);
	assert_int_equal(strlen(fe_for(&e, "long")), FIELD_ERROR_LEN - 1);
	static const char *names[FIELD_ERRORS_MAX + 5];
	static char buf[FIELD_ERRORS_MAX + 5][8];
	for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++) {
		buf[i][0] = 'f', buf[i][1] = (char)('A' + i), buf[i][2] = 0;
		names[i] = buf[i];
		fe_set(&e, names[i], "m");
	}
	assert_int_equal(e.n, FIELD_ERRORS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(from_db),
		cmocka_unit_test(field_errors),
	};
	return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
