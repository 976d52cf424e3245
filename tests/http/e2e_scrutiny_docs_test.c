/* e2e_scrutiny_docs_test.c: `cairn scrutiny import` on the documents
 * councils publish (issue 12, first part: scrutiny/docread.h): the same
 * fictional action plan as Word, OpenDocument, a saved web page and a
 * PDF (tests/docs/, made by tests/docs/make_fixtures.py) each proposes
 * its three recommendations and four actions; a Word document under a
 * PDF's name is read as Word; one is saved; files that are not
 * documents Cairn reads are refused with nothing saved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

#define OUT_MAX (1u << 20)
static char out[OUT_MAX];

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 10);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static const char *const docs[] = {
	"tests/docs/plan.docx", "tests/docs/plan.odt", "tests/docs/plan.html",
	"tests/docs/plan.pdf", "tests/docs/renamed.pdf",
};

static long long rows(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return e2e_sql_int(&srv, sql);
}

static void each_format_proposed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		out[0] = '\0';
		int rc = e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--dry-run", "--format", "json",
				   docs[i], NULL);
		assert_int_equal(rc, 0);
		json_error_t je;
		json_t *v = json_loads(out, 0, &je);
		if (v == NULL)
			fail_msg("%s: not JSON: %s", docs[i], je.text);
		json_t *recs = json_object_get(v, "recommendations");
		if (json_array_size(recs) != 3)
			fail_msg("%s: %zu recommendations, expected 3", docs[i],
				 json_array_size(recs));
		size_t actions = 0;
		for (size_t k = 0; k < 3; k++) {
			json_t *r = json_array_get(recs, k);
			char want[4];
			snprintf(want, sizeof(want), "%zu", k + 1);
			assert_string_equal(json_string_value(
				json_object_get(r, "ref")), want);
			actions += json_array_size(json_object_get(r, "actions"));
		}
		assert_int_equal(actions, 4);
		json_t *a = json_array_get(json_object_get(
			json_array_get(recs, 1), "actions"), 0);
		assert_string_equal(json_string_value(json_object_get(a, "owner")),
				    "Placements Team Manager");
		json_decref(v);
	}
}

static void one_saved(void **state)
{
	(void)state;
	long long reviews = rows("scrutiny_review");
	long long recs = rows("scrutiny_rec");
	long long acts = rows("scrutiny_action");
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, "--body-kind",
				   "scrutiny-panel", "--body", "Test panel",
				   "tests/docs/plan.pdf", NULL), 0);
	assert_int_equal(rows("scrutiny_review"), reviews + 1);
	assert_int_equal(rows("scrutiny_rec"), recs + 3);
	assert_int_equal(rows("scrutiny_action"), acts + 4);
	assert_int_equal(e2e_sql_int(&srv,
		"SELECT count(*) FROM scrutiny_action WHERE owner = "
		"'Head of Corporate Parenting' AND timescale_text = "
		"'March 2026'"), 1);
}

static void not_documents_refused(void **state)
{
	(void)state;
	long long reviews = rows("scrutiny_review");
	const char *bad[] = {"tests/docs/other.zip", "tests/docs/xxe.docx",
			     "tests/docs/bomb.docx"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out),
					   "scrutiny", "import", "--db", srv.db,
					   "--body-kind", "scrutiny-panel",
					   "--body", "Test panel", bad[i], NULL),
				 2);
	/* a Word 97-2003 file */
	char p[400];
	snprintf(p, sizeof(p), "%s/old.doc", srv.dir);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fwrite("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 1, 8, f);
	for (int i = 0; i < 1024; i++)
		fputc(0, f);
	fclose(f);
	assert_int_equal(e2e_cairn(&srv, NULL, out, sizeof(out), "scrutiny",
				   "import", "--db", srv.db, "--body-kind",
				   "scrutiny-panel", "--body", "Test panel", p,
				   NULL), 2);
	assert_int_equal(rows("scrutiny_review"), reviews);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_format_proposed),
		cmocka_unit_test(one_saved),
		cmocka_unit_test(not_documents_refused),
	};
	return cmocka_run_group_tests_name("e2e_scrutiny_docs", tests, up, down);
}
