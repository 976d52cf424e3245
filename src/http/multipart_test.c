/* multipart_test.c: multipart/form-data bodies, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static enum multipart_err parse(struct arena *a, const char *ct,
				const char *body, size_t len,
				struct multipart_parts *out)
{
	return multipart_parse(a, ct, body, len, NULL, 0, out);
}

static enum multipart_err parse_s(struct arena *a, const char *body,
				  struct multipart_parts *out)
{
	return parse(a, CT, body, strlen(body), out);
}

static void strerror_table(void **state)
{
	(void)state;
	for (int i = 0; i < MULTIPART__MAX; i++) {
		const char *m = multipart_strerror((enum multipart_err)i);
		assert_non_null(m);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(
				m, multipart_strerror((enum multipart_err)j));
	}
	assert_string_equal(multipart_strerror(MULTIPART__MAX),
			    "unknown multipart error");
	assert_string_equal(multipart_strerror((enum multipart_err)-1),
			    "unknown multipart error");
}

static void boundary_good(void **state)
{
	(void)state;
	char b[MULTIPART_BOUNDARY_MAX + 1];
	assert_int_equal(multipart_boundary(CT, b), MULTIPART_OK);
	assert_string_equal(b, "XyZ");
	assert_int_equal(multipart_boundary(
		"Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c?\"", b),
		MULTIPART_OK);
	assert_string_equal(b, "a b:c?");
	/* Chrome's and Firefox's shapes */
	assert_int_equal(multipart_boundary("multipart/form-data; boundary="
		"----WebKitFormBoundary7MA4YWxkTrZu0gW", b), MULTIPART_OK);
	assert_string_equal(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	char ct[128];
	memset(b, 0, sizeof(b));
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.*s", 70,
		 "0123456789012345678901234567890123456789012345678901234567"
		 "890123456789");
	assert_int_equal(multipart_boundary(ct, b), MULTIPART_OK);
	assert_int_equal(strlen(b), 70);
}

static void boundary_bad(void **state)
{
	(void)state;
	char b[MULTIPART_BOUNDARY_MAX + 1] = "untouched";
	assert_int_equal(multipart_boundary(NULL, b), MULTIPART_NOTMULTIPART);
	assert_int_equal(multipart_boundary("application/json", b),
			 MULTIPART_NOTMULTIPART);
	assert_int_equal(multipart_boundary("multipart/mixed; boundary=a", b),
			 MULTIPART_NOTMULTIPART);
	assert_int_equal(multipart_boundary("multipart/form-dataX; boundary=a",
					    b), MULTIPART_NOTMULTIPART);
	assert_int_equal(multipart_boundary("multipart/form-data", b),
			 MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=",
					    b), MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=\"\"", b),
			 MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=\"ab ", b),
			 MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=\"ab \"", b),
			 MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=\"a;b\"", b),
			 MULTIPART_BOUNDARY);
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=a; boundary=b", b),
			 MULTIPART_BOUNDARY);
	char ct[128];
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.*s", 71,
		 "0123456789012345678901234567890123456789012345678901234567"
		 "8901234567890");
	assert_int_equal(multipart_boundary(ct, b), MULTIPART_BOUNDARY);
	assert_string_equal(b, "untouched");
}

static void parse_fields_and_file(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	/* a file holding NUL bytes, CRLF, and a near-miss of the delimiter */
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"csrf\"\r\n"
		"\r\n"
		"tok123\r\n"
		"--XyZ\r\n"
		"content-disposition: form-data; name=\"file\"; "
		"filename=\"plan \\\"v2\\\".docx\"\r\n"
		"Content-Type: application/octet-stream \r\n"
		"\r\n"
		"PK\0\3\r\n--XyQ\r\n--Xy\0end\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"document\"\r\n"
		"\r\n"
		"\r\n"
		"--XyZ--\r\n"
		"epilogue is ignored";
	struct multipart_parts p;
	assert_int_equal(parse(a, CT, body, sizeof(body) - 1, &p),
			 MULTIPART_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0].name, "csrf");
	assert_null(p.v[0].filename);
	assert_null(p.v[0].type);
	assert_int_equal(p.v[0].len, 6);
	assert_memory_equal(p.v[0].data, "tok123", 6);
	assert_string_equal(p.v[1].name, "file");
	assert_string_equal(p.v[1].filename, "plan \"v2\".docx");
	assert_string_equal(p.v[1].type, "application/octet-stream");
	assert_int_equal(p.v[1].len, 21);
	assert_memory_equal(p.v[1].data, "PK\0\3\r\n--XyQ\r\n--Xy\0end", 21);
	/* borrowed: points into the body */
	assert_true(p.v[1].data > body && p.v[1].data < body + sizeof(body));
	assert_string_equal(p.v[2].name, "document");
	assert_int_equal(p.v[2].len, 0);
	assert_ptr_equal(multipart_get(&p, "file"), &p.v[1]);
	assert_null(multipart_get(&p, "nope"));
	/* copied: into the arena, NUL-terminated */
	assert_int_equal(multipart_parse(a, CT, body, sizeof(body) - 1, NULL,
					 MULTIPART_COPY, &p), MULTIPART_OK);
	assert_true(p.v[1].data < body || p.v[1].data >= body + sizeof(body));
	assert_memory_equal(p.v[1].data, "PK\0\3\r\n--XyQ\r\n--Xy\0end", 21);
	assert_int_equal(p.v[1].data[21], '\0');
	arena_free(a);
}

static void parse_edges(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct multipart_parts p;
	/* a preamble, transport padding, an empty filename (a file input
	 * with nothing chosen), an unknown header and filename* ignored */
	assert_int_equal(parse_s(a, "preamble\r\n--XyZ  \r\n"
		"Content-Disposition: form-data; name=f; filename=\"\"; "
		"filename*=UTF-8''x\r\nX-Other: 1\r\n\r\n\r\n--XyZ--", &p),
		MULTIPART_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "f");
	assert_string_equal(p.v[0].filename, "");
	assert_int_equal(p.v[0].len, 0);
	/* no parts at all */
	assert_int_equal(parse_s(a, "--XyZ--\r\n", &p), MULTIPART_OK);
	assert_int_equal(p.n, 0);
	assert_null(p.v);
	/* UTF-8 names */
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: form-data;"
		" name=\"caf\xc3\xa9\"\r\n\r\nx\r\n--XyZ--", &p), MULTIPART_OK);
	assert_string_equal(p.v[0].name, "caf\xc3\xa9");
	arena_free(a);
}

static void parse_bad(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct multipart_parts p = {99, NULL};
	const char *dn = "Content-Disposition: form-data; name=\"a\"\r\n";
	char buf[512];
#define BODY(...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)
	assert_int_equal(parse_s(a, "", &p), MULTIPART_SYNTAX);
	assert_int_equal(parse_s(a, "no delimiter here", &p),
			 MULTIPART_TRUNCATED);
	/* no close delimiter */
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%s\r\nvalue", dn), &p),
			 MULTIPART_TRUNCATED);
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%s\r\nv\r\n--XyZ", dn),
				 &p), MULTIPART_SYNTAX);
	/* headers never end */
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%s", dn), &p),
			 MULTIPART_TRUNCATED);
	/* junk after a delimiter */
	assert_int_equal(parse_s(a, BODY("--XyZx\r\n%s\r\nv\r\n--XyZ--", dn),
				 &p), MULTIPART_SYNTAX);
	/* no Content-Disposition; not form-data; no name; empty name */
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Type: text/plain\r\n"
				 "\r\nv\r\n--XyZ--", &p), MULTIPART_NODISP);
	assert_int_equal(parse_s(a, "--XyZ\r\n\r\nv\r\n--XyZ--", &p),
			 MULTIPART_NODISP);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "attachment; name=a\r\n\r\nv\r\n--XyZ--", &p),
			 MULTIPART_NODISP);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; filename=a\r\n\r\nv\r\n--XyZ--",
				 &p), MULTIPART_NODISP);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; name=\"\"\r\n\r\nv\r\n--XyZ--",
				 &p), MULTIPART_NODISP);
	/* repeated parameter, repeated header, folding, unbalanced quote,
	 * a header line without a colon */
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; name=a; name=b\r\n\r\nv\r\n"
				 "--XyZ--", &p), MULTIPART_SYNTAX);
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%s%s\r\nv\r\n--XyZ--", dn,
					 dn), &p), MULTIPART_SYNTAX);
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%s  folded\r\n\r\nv\r\n"
					 "--XyZ--", dn), &p), MULTIPART_SYNTAX);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
				 &p), MULTIPART_SYNTAX);
	assert_int_equal(parse_s(a, BODY("--XyZ\r\n%sbroken\r\n\r\nv\r\n"
					 "--XyZ--", dn), &p), MULTIPART_SYNTAX);
	/* NUL in headers; a control character in a name */
	static const char nul[] = "--XyZ\r\nContent-Disposition: form-data; "
				  "name=a\0\r\n\r\nv\r\n--XyZ--";
	assert_int_equal(parse(a, CT, nul, sizeof(nul) - 1, &p),
			 MULTIPART_NOTTEXT);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; name=\"a\\\tb\"\r\n\r\nv\r\n"
				 "--XyZ--", &p), MULTIPART_NOTTEXT);
	assert_int_equal(parse_s(a, "--XyZ\r\nContent-Disposition: "
				 "form-data; name=\"\xc3\x28\"\r\n\r\nv\r\n"
				 "--XyZ--", &p), MULTIPART_NOTTEXT);
	/* too long: a name, a filename */
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	assert_int_equal(parse_s(a, BODY("--XyZ\r\nContent-Disposition: "
		"form-data; name=%.*s\r\n\r\nv\r\n--XyZ--", 129, longname),
		&p), MULTIPART_TOOLONG);
	assert_int_equal(parse_s(a, BODY("--XyZ\r\nContent-Disposition: "
		"form-data; name=a; filename=\"%.*s\"\r\n\r\nv\r\n--XyZ--",
		256, longname), &p), MULTIPART_TOOLONG);
	/* a bad content type */
	assert_int_equal(parse(a, "text/plain", "x", 1, &p),
			 MULTIPART_NOTMULTIPART);
	assert_int_equal(parse(a, "multipart/form-data", "x", 1, &p),
			 MULTIPART_BOUNDARY);
	/* untouched on failure */
	assert_int_equal(p.n, 99);
#undef BODY
	arena_free(a);
}

static void parse_limits(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct multipart_parts p;
	const char *two = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
			  "\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; "
			  "name=b\r\n\r\n2\r\n--XyZ--";
	struct multipart_limits one = {1, 0};
	assert_int_equal(multipart_parse(a, CT, two, strlen(two), &one, 0, &p),
			 MULTIPART_TOOMANY);
	struct multipart_limits two_ok = {2, 0};
	assert_int_equal(multipart_parse(a, CT, two, strlen(two), &two_ok, 0,
					 &p), MULTIPART_OK);
	assert_int_equal(p.n, 2);
	/* header section over max_header, ended or not */
	struct multipart_limits small = {0, 39};
	assert_int_equal(multipart_parse(a, CT, two, strlen(two), &small, 0,
					 &p), MULTIPART_TOOLONG);
	struct multipart_limits fits = {0, 40};
	assert_int_equal(multipart_parse(a, CT, two, strlen(two), &fits, 0,
					 &p), MULTIPART_OK);
	/* the arena's budget */
	struct arena *tiny = arena_new(64);
	assert_int_equal(multipart_parse(tiny, CT, two, strlen(two), NULL,
					 MULTIPART_COPY, &p), MULTIPART_NOMEM);
	arena_free(tiny);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strerror_table),
		cmocka_unit_test(boundary_good),
		cmocka_unit_test(boundary_bad),
		cmocka_unit_test(parse_fields_and_file),
		cmocka_unit_test(parse_edges),
		cmocka_unit_test(parse_limits),
		cmocka_unit_test(parse_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
