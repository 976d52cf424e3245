/* e2e_scrutiny_upload_test.c: uploading an action plan (issue 12, D62).
 * The fixtures in tests/docs/ (the same fictional plan as Word,
 * OpenDocument, a saved web page and a PDF, and a Word document named
 * .pdf) go through the import page as a multipart form with its CSRF
 * token, and through the API as the request body with their own
 * Content-Type.  Each proposes three recommendations and four actions;
 * the page's proposal carries the text read (not the file) to the save
 * step, which saves them.  Refused, with nothing saved: no file and no
 * text, both, an empty file, a picture, a body over the limit, a
 * declared type the bytes contradict, multipart on a route that does
 * not take uploads, a multipart form without its CSRF token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "harness.h"

static struct e2e_server srv;

#define BOUNDARY "----e2eUploadBoundary7MA4YWxkTrZu0gW"
#define MP_TYPE "multipart/form-data; boundary=" BOUNDARY
/* the server's limit for an upload (web/app.h APP_UPLOAD_LIMIT) */
#define UPLOAD_LIMIT (((size_t)10 << 20) + ((size_t)64 << 10))

static const char *const docs[] = {
	"tests/docs/plan.docx", "tests/docs/plan.odt", "tests/docs/plan.html",
	"tests/docs/plan.pdf", "tests/docs/renamed.pdf",
};
/* what each is declared as to the API: its own type, or nothing said
 * (renamed.pdf is a Word document under a PDF's name) */
static const char *const types[] = {
	("application/vnd.openxmlformats-officedocument.wordprocessingml."
	 "document"),
	"application/vnd.oasis.opendocument.text",
	"text/html; charset=utf-8",
	"application/pdf",
	"application/octet-stream",
};

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

static long long rows_of(const char *table, long long review)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE review_id = "
		 "%lld", table, review);
	return e2e_sql_int(&srv, sql);
}

static long long rows(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return e2e_sql_int(&srv, sql);
}

static char *read_doc(const char *path, size_t *len)
{
	char *d = cli_read_file(path, 64u << 20, len);
	if (d == NULL)
		fail_msg("cannot read %s", path);
	return d;
}

static void api_client(struct e2e_client *c)
{
	e2e_client_init(c, &srv);
	assert_true(e2e_bearer(c, "tm.demo"));
}

static void page_client(struct e2e_client *c)
{
	e2e_client_init(c, &srv);
	assert_true(e2e_sign_in(c, "tm.demo", DEMO_PASSWORD));
}

/* A new empty review, made through the API. */
static long long new_review(const char *topic)
{
	struct e2e_client a;
	api_client(&a);
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"body_kind\":\"scrutiny-panel\",\"body_name\":\"Panel\","
		 "\"topic\":\"%s\"}", topic);
	assert_int_equal(e2e_json(&a, "POST", "/api/v1/reviews", body), 201);
	const char *p = strstr(a.r.body, "\"review_id\":");
	assert_non_null(p);
	long long id = atoll(p + strlen("\"review_id\":"));
	assert_true(id > 0);
	e2e_client_free(&a);
	return id;
}

/* A multipart body growing in a malloc'd buffer. */
struct mp {
	char *b;
	size_t len, cap;
};

static void mp_add(struct mp *m, const void *p, size_t n)
{
	if (m->len + n + 1 > m->cap) {
		m->cap = (m->len + n + 1) * 2;
		m->b = realloc(m->b, m->cap);
		assert_non_null(m->b);
	}
	memcpy(m->b + m->len, p, n);
	m->len += n;
	m->b[m->len] = '\0';
}

static void mp_adds(struct mp *m, const char *s)
{
	mp_add(m, s, strlen(s));
}

static void mp_field(struct mp *m, const char *name, const char *val)
{
	mp_adds(m, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
	mp_adds(m, name);
	mp_adds(m, "\"\r\n\r\n");
	mp_adds(m, val);
	mp_adds(m, "\r\n");
}

static void mp_file(struct mp *m, const char *filename, const char *type,
		    const char *data, size_t len)
{
	mp_adds(m, "--" BOUNDARY "\r\nContent-Disposition: form-data; "
		   "name=\"file\"; filename=\"");
	mp_adds(m, filename);
	mp_adds(m, "\"\r\nContent-Type: ");
	mp_adds(m, type);
	mp_adds(m, "\r\n\r\n");
	mp_add(m, data, len);
	mp_adds(m, "\r\n");
}

static void mp_end(struct mp *m)
{
	mp_adds(m, "--" BOUNDARY "--\r\n");
}

/* Posts the import form as a browser does: csrf (NULL: left out),
 * step, the pasted text (NULL: empty) and a file (filename NULL: the
 * file input with nothing chosen). */
static long page_import(struct e2e_client *c, long long id, const char *csrf,
			const char *step, const char *text,
			const char *filename, const char *data, size_t len)
{
	struct mp m = {0};
	if (csrf)
		mp_field(&m, "csrf", csrf);
	mp_field(&m, "step", step);
	if (filename)
		mp_file(&m, filename, "application/octet-stream", data, len);
	else
		mp_file(&m, "", "application/octet-stream", "", 0);
	mp_field(&m, "document", text ? text : "");
	mp_end(&m);
	char path[96];
	snprintf(path, sizeof(path), "/scrutiny/reviews/%lld/import", id);
	long st = e2e_raw(c, "POST", path, MP_TYPE, m.b, m.len);
	free(m.b);
	return st;
}

/* The hidden "document" field of the proposal page, unescaped
 * (malloc'd). */
static char *hidden_document(const char *page)
{
	const char *p = strstr(page, "name=\"document\" value=\"");
	if (p == NULL)
		return NULL;
	p += strlen("name=\"document\" value=\"");
	const char *e = strchr(p, '"');
	assert_non_null(e);
	char *out = malloc((size_t)(e - p) + 1);
	size_t n = 0;
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
		    {"&quot;", '"'}, {"&#39;", '\''}};
	while (p < e) {
		bool done = false;
		for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			size_t l = strlen(ents[i].ent);
			if (strncmp(p, ents[i].ent, l) == 0) {
				out[n++] = ents[i].c;
				p += l;
				done = true;
				break;
			}
		}
		if (!done)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

static int count_of(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* The proposal the fixture plan gives: 3 recommendations, 4 actions. */
static void check_proposal_page(struct e2e_client *c, const char *doc)
{
	if (c->r.status != 200 || !e2e_has(c, "Check the import"))
		fail_msg("%s: %ld %.400s", doc, c->r.status, c->r.body);
	assert_true(e2e_has(c, "Recommendation 1</h2>"));
	assert_true(e2e_has(c, "Recommendation 2</h2>"));
	assert_true(e2e_has(c, "Recommendation 3</h2>"));
	assert_false(e2e_has(c, "Recommendation 4</h2>"));
	assert_true(e2e_has(c, "Placements Team Manager"));
	assert_true(e2e_has(c, "Nothing has been saved yet"));
	assert_true(e2e_has(c, "enctype=\"multipart/form-data\""));
}

/* Each fixture through the page: the form, the proposal, the save. */
static void page_each_format(void **state)
{
	(void)state;
	struct e2e_client c;
	page_client(&c);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		long long id = new_review("Uploaded plan");
		char path[96];
		snprintf(path, sizeof(path), "/scrutiny/reviews/%lld/import", id);
		assert_int_equal(e2e_get(&c, path), 200);
		assert_true(e2e_has(&c, "class=\"govuk-file-upload\""));
		assert_true(e2e_has(&c, "enctype=\"multipart/form-data\""));
		assert_true(e2e_has(&c, "a web page saved as HTML"));
		size_t len;
		char *data = read_doc(docs[i], &len);
		/* the name the browser sends says nothing: the bytes do */
		page_import(&c, id, c.csrf, "preview", NULL, "plan.docx", data,
			    len);
		check_proposal_page(&c, docs[i]);
		assert_int_equal(rows_of("scrutiny_rec", id), 0);
		/* the save step carries the text read, never the file */
		char *text = hidden_document(c.r.body);
		assert_non_null(text);
		assert_non_null(strstr(text, "Placements Team Manager"));
		assert_null(strstr(text, "PK"));
		assert_null(strstr(text, "%PDF"));
		assert_null(strstr(text, "<html"));
		char csrf[128];
		snprintf(csrf, sizeof(csrf), "%s", c.csrf);
		long st = page_import(&c, id, csrf, "save", text, NULL, NULL, 0);
		free(text);
		if (st != 303)
			fail_msg("%s: save %ld %.400s", docs[i], st, c.r.body);
		char loc[128], want[96];
		snprintf(want, sizeof(want), "/scrutiny/reviews/%lld?saved=1", id);
		assert_string_equal(e2e_header(&c, "Location", loc, sizeof(loc)),
				    want);
		assert_int_equal(rows_of("scrutiny_rec", id), 3);
		assert_int_equal(rows_of("scrutiny_action", id), 4);
		free(data);
	}
	/* the saved rows are the plan's */
	assert_true(e2e_sql_int(&srv, "SELECT count(*) FROM scrutiny_action "
				"WHERE owner = 'Head of Corporate Parenting' "
				"AND timescale_text = 'March 2026'") >= 5);
	e2e_client_free(&c);
}

/* A document dated only by its file's properties (undated.docx): the
 * proposal carries that date to the save step beside the text, which
 * states none, and the save dates the statuses with it. */
static void page_date_from_properties(void **state)
{
	(void)state;
	struct e2e_client c;
	page_client(&c);
	long long id = new_review("Undated plan");
	char path[96];
	snprintf(path, sizeof(path), "/scrutiny/reviews/%lld/import", id);
	assert_int_equal(e2e_get(&c, path), 200);
	size_t len;
	char *data = read_doc("tests/docs/undated.docx", &len);
	page_import(&c, id, c.csrf, "preview", NULL, "undated.docx", data, len);
	check_proposal_page(&c, "undated.docx");
	assert_true(e2e_has(&c, "name=\"doc_date\" value=\"2025-03-14\""));
	free(data);
	/* the save step as the form sends it, with a status to date */
	struct mp m = {0};
	mp_field(&m, "csrf", c.csrf);
	mp_field(&m, "step", "save");
	mp_field(&m, "document", "Recommendation\tAction\tStatus\n"
		 "1. That the panel meets.\tMeet monthly.\tCompleted\n");
	mp_field(&m, "doc_date", "2025-03-14");
	mp_end(&m);
	assert_int_equal(e2e_raw(&c, "POST", path, MP_TYPE, m.b, m.len), 303);
	free(m.b);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM scrutiny_update WHERE "
		 "review_id = %lld AND on_date = '2025-03-14'", id);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	e2e_client_free(&c);
}

/* Each fixture through the API as the body: a dry run, then a save. */
static void api_each_format(void **state)
{
	(void)state;
	struct e2e_client a;
	api_client(&a);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		long long id = new_review("Uploaded plan (API)");
		size_t len;
		char *data = read_doc(docs[i], &len);
		char path[128];
		snprintf(path, sizeof(path),
			 "/api/v1/reviews/%lld/import?dry_run=true", id);
		long st = e2e_raw(&a, "POST", path, types[i], data, len);
		if (st != 200)
			fail_msg("%s: dry run %ld %s", docs[i], st, a.r.body);
		assert_int_equal(count_of(a.r.body, "\"ref\""), 3);
		assert_true(e2e_has(&a, "Placements Team Manager"));
		assert_int_equal(rows_of("scrutiny_rec", id), 0);
		snprintf(path, sizeof(path),
			 "/api/v1/reviews/%lld/import?on_date=2025-01-15", id);
		st = e2e_raw(&a, "POST", path, types[i], data, len);
		if (st != 201)
			fail_msg("%s: save %ld %s", docs[i], st, a.r.body);
		assert_true(e2e_has(&a, "\"recommendations\":3") ||
			    e2e_has(&a, "\"recommendations\": 3"));
		assert_true(e2e_has(&a, "2025-01-15"));
		assert_int_equal(rows_of("scrutiny_rec", id), 3);
		assert_int_equal(rows_of("scrutiny_action", id), 4);
		free(data);
	}
	/* plain text as text/plain; JSON as before */
	long long id = new_review("Text plan");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/import?dry_run=1",
		 id);
	static const char txt[] = "Recommendation\tAction\n"
				  "1. That the panel meets.\tMeet monthly.\n"
				  "2. That the plan is kept.\tKeep it.\n";
	assert_int_equal(e2e_raw(&a, "POST", path, "text/plain", txt,
				 sizeof(txt) - 1), 200);
	assert_int_equal(count_of(a.r.body, "\"ref\""), 2);
	assert_int_equal(e2e_json(&a, "POST", path,
				  "{\"document\":\"Recommendation\\tAction\\n"
				  "1. That x.\\tDo x.\","
				  "\"dry_run\":true}"), 200);
	assert_int_equal(count_of(a.r.body, "\"ref\""), 1);
	/* the query's dry_run is checked */
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/import?dry_run=yes",
		 id);
	assert_int_equal(e2e_raw(&a, "POST", path, "text/plain", txt,
				 sizeof(txt) - 1), 422);
	assert_true(e2e_has(&a, "\"field\":\"dry_run\""));
	assert_int_equal(rows_of("scrutiny_rec", id), 0);
	e2e_client_free(&a);
}

/* The page's refusals: each on its field, the text typed kept, nothing
 * saved. */
static void page_errors(void **state)
{
	(void)state;
	struct e2e_client c;
	page_client(&c);
	long long id = new_review("Refused uploads");
	long long recs = rows("scrutiny_rec");
	char path[96];
	snprintf(path, sizeof(path), "/scrutiny/reviews/%lld/import", id);
	assert_int_equal(e2e_get(&c, path), 200);
	char csrf[128];
	snprintf(csrf, sizeof(csrf), "%s", c.csrf);
	/* no file and no text */
	assert_int_equal(page_import(&c, id, csrf, "preview", NULL, NULL, NULL,
				     0), 422);
	assert_true(e2e_has(&c, "href=\"#file\""));
	assert_true(e2e_has(&c, "Choose a file to upload, or paste the "
			    "document&#39;s text"));
	assert_true(e2e_has(&c, "govuk-file-upload--error"));
	/* a file in which nothing is found: never silent (issue 12) */
	static const char nothing[] = "Annual report\n\nSummary\n\n"
		"1. That the panel notes the report.\n";
	assert_int_equal(page_import(&c, id, csrf, "preview", NULL,
				     "report.txt", nothing,
				     sizeof(nothing) - 1), 422);
	assert_true(e2e_has(&c, "No recommendations were found."));
	assert_true(e2e_has(&c, "starts on line 5 is not introduced as "
			    "recommendations"));
	assert_true(e2e_has(&c, "What Cairn found in the document"));
	assert_true(e2e_has(&c, "<li>Annual report</li>"));
	assert_int_equal(rows("scrutiny_rec"), recs);
	/* PDF text pasted, with a start and a span (D63): read as a table;
	 * the proposal says when each starts or is due */
	static const char pdf_text[] = "Plan\n\nDate: 12 March 2025\n\n"
		"Recommendation\nResponse\nLead officer\nTimescale\n"
		"1. That a is done.\nAccepted.\nHead of A\n"
		"Commencing March 2025 and ongoing\n"
		"2. That b is done.\nAccepted.\nHead of B\n6 months\n";
	assert_int_equal(page_import(&c, id, csrf, "preview", pdf_text, NULL,
				     NULL, 0), 200);
	assert_true(e2e_has(&c, "Cairn found 2 recommendations"));
	assert_true(e2e_has(&c, "Ongoing, starts 1 March 2025"));
	assert_true(e2e_has(&c, "12 September 2025"));
	assert_int_equal(rows("scrutiny_rec"), recs);
	/* an empty file */
	assert_int_equal(page_import(&c, id, csrf, "preview", NULL, "plan.docx",
				     "", 0), 422);
	assert_true(e2e_has(&c, "The selected file is empty"));
	/* a picture under a document's name */
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1";
	assert_int_equal(page_import(&c, id, csrf, "preview", NULL, "plan.pdf",
				     png, sizeof(png) - 1), 422);
	assert_true(e2e_has(&c, "This is a picture, not a document"));
	assert_true(e2e_has(&c, "href=\"#file\""));
	/* a zip that is not a document */
	size_t zl;
	char *zip = read_doc("tests/docs/other.zip", &zl);
	assert_int_equal(page_import(&c, id, csrf, "preview", NULL, "plan.docx",
				     zip, zl), 422);
	assert_true(e2e_has(&c, "href=\"#file\""));
	free(zip);
	/* a file and pasted text: refused, the text kept in its box */
	assert_int_equal(page_import(&c, id, csrf, "preview",
				     "1. That kept text survives.", "plan.txt",
				     "1. That x.", 10), 422);
	assert_true(e2e_has(&c, "Upload a file or paste the text, not both"));
	assert_true(e2e_has(&c, ">1. That kept text survives.</textarea>"));
	/* pasted text the import refuses: the error is on the text box */
	assert_int_equal(page_import(&c, id, csrf, "preview",
				     "Nothing numbered here.", NULL, NULL, 0),
			 422);
	assert_true(e2e_has(&c, "href=\"#document\""));
	assert_true(e2e_has(&c, ">Nothing numbered here.</textarea>"));
	/* pasted text still works alone, through the multipart form */
	assert_int_equal(page_import(&c, id, csrf, "preview",
				     "Recommendation\tAction\n1. That the panel "
				     "meets.\tMeet monthly.", NULL, NULL, 0),
			 200);
	assert_true(e2e_has(&c, "Recommendation 1</h2>"));
	/* "Save as draft" from the multipart form: the text fields are kept
	 * as a urlencoded form's are, and the form comes back filled */
	{
		struct mp m = {0};
		mp_field(&m, "csrf", csrf);
		mp_field(&m, "_form", path);
		mp_field(&m, "step", "preview");
		mp_file(&m, "", "application/octet-stream", "", 0);
		mp_field(&m, "document", "1. That a draft is kept.");
		mp_field(&m, "_draft", "save");
		mp_end(&m);
		assert_int_equal(e2e_raw(&c, "POST", path, MP_TYPE, m.b, m.len),
				 303);
		free(m.b);
		assert_int_equal(e2e_get(&c, path), 200);
		assert_true(e2e_has(&c, ">1. That a draft is kept.</textarea>"));
		snprintf(csrf, sizeof(csrf), "%s", c.csrf);
	}
	/* no CSRF token in the multipart form */
	size_t len;
	char *data = read_doc("tests/docs/plan.docx", &len);
	assert_int_equal(page_import(&c, id, NULL, "save", NULL, "plan.docx",
				     data, len), 403);
	assert_int_equal(page_import(&c, id, "wrong-token", "save", NULL,
				     "plan.docx", data, len), 403);
	free(data);
	/* a body over the upload limit */
	size_t big = UPLOAD_LIMIT + 1;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'a', big);
	assert_int_equal(e2e_raw(&c, "POST", path, MP_TYPE, huge, big), 413);
	/* a malformed multipart body */
	assert_int_equal(e2e_raw(&c, "POST", path, MP_TYPE, "--" BOUNDARY
				 "\r\nno headers end", 33), 400);
	/* multipart where the route takes none: 415, and over 1 MiB the
	 * ordinary limit still holds there */
	char cpath[96];
	snprintf(cpath, sizeof(cpath), "/scrutiny/reviews/%lld/comments", id);
	struct mp m = {0};
	mp_field(&m, "csrf", csrf);
	mp_field(&m, "text", "A comment");
	mp_end(&m);
	assert_int_equal(e2e_raw(&c, "POST", cpath, MP_TYPE, m.b, m.len), 415);
	free(m.b);
	assert_int_equal(e2e_raw(&c, "POST", cpath, MP_TYPE, huge,
				 ((size_t)1 << 20) + 64), 413);
	free(huge);
	assert_int_equal(rows("scrutiny_rec"), recs);
	assert_int_equal(rows_of("scrutiny_rec", id), 0);
	e2e_client_free(&c);
}

/* The API's refusals: a declared type the bytes contradict (415, saying
 * what they are), a picture, an empty body, a body over the limit, a
 * type that is no document, multipart; nothing saved. */
static void api_errors(void **state)
{
	(void)state;
	struct e2e_client a;
	api_client(&a);
	long long id = new_review("Refused API uploads");
	long long recs = rows("scrutiny_rec");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/reviews/%lld/import", id);
	size_t len;
	char *docx = read_doc("tests/docs/plan.docx", &len);
	assert_int_equal(e2e_raw(&a, "POST", path, "application/pdf", docx,
				 len), 415);
	assert_true(e2e_has(&a, "Word document"));
	assert_true(e2e_has(&a, "application/pdf"));
	assert_int_equal(e2e_raw(&a, "POST", path, "text/plain", docx, len),
			 415);
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1";
	assert_int_equal(e2e_raw(&a, "POST", path, "application/octet-stream",
				 png, sizeof(png) - 1), 422);
	assert_true(e2e_has(&a, "picture"));
	assert_true(e2e_has(&a, "\"field\":\"document\""));
	assert_int_equal(e2e_raw(&a, "POST", path, "application/pdf", png,
				 sizeof(png) - 1), 415);
	assert_true(e2e_has(&a, "picture"));
	assert_int_equal(e2e_raw(&a, "POST", path, "application/octet-stream",
				 "", 0), 422);
	assert_true(e2e_has(&a, "empty"));
	assert_int_equal(e2e_raw(&a, "POST", path, "image/png", png,
				 sizeof(png) - 1), 415);
	assert_int_equal(e2e_raw(&a, "POST", path, MP_TYPE, docx, len), 415);
	size_t big = UPLOAD_LIMIT + 1;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'a', big);
	assert_int_equal(e2e_raw(&a, "POST", path, "application/octet-stream",
				 huge, big), 413);
	/* JSON keeps its own, smaller, limit on the same route */
	assert_int_equal(e2e_raw(&a, "POST", path, "application/json", huge,
				 ((size_t)1 << 20) + 64), 413);
	free(huge);
	/* a route that takes no upload: JSON only */
	assert_int_equal(e2e_raw(&a, "POST", "/api/v1/reviews",
				 "application/pdf", docx, len), 415);
	free(docx);
	assert_int_equal(rows("scrutiny_rec"), recs);
	e2e_client_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_each_format),
		cmocka_unit_test(page_date_from_properties),
		cmocka_unit_test(api_each_format),
		cmocka_unit_test(page_errors),
		cmocka_unit_test(api_errors),
	};
	return cmocka_run_group_tests_name("e2e_scrutiny_upload", tests, up,
					   down);
}
