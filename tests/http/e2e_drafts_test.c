/*
 * e2e_drafts_test.c: no typed work lost (docs/decisions.md D24), end to
 * end and without JavaScript: a form sent on an expired session is kept,
 * sealed, for its user, who signs in and finds the form filled in with
 * exactly what they typed, and sends it; nobody else gets it; nothing
 * is kept for a cookie that names no session or a form without its
 * session's token; a draft saved on purpose comes back and can be
 * discarded; after 24 hours it is gone.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct e2e_server srv;
static long long child_id;

static int up(void **state)
{
	(void)state;
	if (e2e_server_start(&srv, 50) != 0)
		return -1;
	child_id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	return child_id > 0 ? 0 : -1;
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long drafts(void)
{
	return e2e_sql_int(&srv, "SELECT count(*) FROM draft");
}

/* Makes every session look two hours idle, as if the person had gone
 * to a meeting: the next request finds it expired. */
static void expire_sessions(void)
{
	assert_int_equal(e2e_sql_exec(&srv, "UPDATE session SET seen_at = "
				      "seen_at - 7200, created_at = "
				      "created_at - 7200"), 0);
}

/* A long narrative with everything that needs escaping or encoding:
 * markup, ampersands, quotes, a plus, new lines, and non-ASCII. */
static char narrative[6000];

static void make_narrative(void)
{
	size_t o = 0;
	o += (size_t)snprintf(narrative + o, sizeof(narrative) - o,
			      "Mum said <b>\"not again\"</b> & left at 3+4 pm.\r\n"
			      "Zoë's teacher (café) saw bruising.\r\n");
	for (int i = 0; o + 80 < sizeof(narrative) - 100; i++)
		o += (size_t)snprintf(narrative + o, sizeof(narrative) - o,
				      "Paragraph %d of what the referrer said, "
				      "typed over a long time.\r\n", i);
	snprintf(narrative + o, sizeof(narrative) - o, "END-OF-NARRATIVE");
}

/* narrative as it must appear in the page's textarea: escaped, with the
 * browser's CRLF kept */
static const char *escaped_start =
	"Mum said &lt;b&gt;&quot;not again&quot;&lt;/b&gt; &amp; left at 3+4 pm.";

static void contact_form(struct e2e_client *c, char *out, size_t len,
			 const char *extra)
{
	static char enc[20000];
	e2e_enc(narrative, enc, sizeof(enc));
	char fp[96], fpe[200];
	snprintf(fp, sizeof(fp), "/children/%lld/contacts/new", child_id);
	snprintf(out, len,
		 "csrf=%s&_form=%s&source=1A&referrer_name=A+Teacher"
		 "&referrer_org=School&received-day=3&received-month=4"
		 "&received-year=2024&received-time=09%%3A30"
		 "&family_consent=agreed&worry=%s%s",
		 c->csrf, e2e_enc(fp, fpe, sizeof(fpe)), enc, extra);
}

/* Signs in through the form with next (and kept=1 when kept). */
static long sign_in_next(struct e2e_client *c, const char *user,
			 const char *next)
{
	char path[256], form[1024], u[128], p[128], n[256];
	snprintf(path, sizeof(path), "/sign-in?next=%s&kept=1", next);
	if (e2e_get(c, path) != 200)
		return 0;
	snprintf(form, sizeof(form), "csrf=%s&username=%s&password=%s&next=%s"
		 "&kept=1", c->csrf, e2e_enc(user, u, sizeof(u)),
		 e2e_enc(DEMO_PASSWORD, p, sizeof(p)), e2e_enc(next, n, sizeof(n)));
	return e2e_post(c, "/sign-in", form);
}

static long long audit_rows(const char *action)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE entity = "
		 "'draft' AND action = '%s' AND child_id = %lld", action,
		 child_id);
	return e2e_sql_int(&srv, sql);
}

static void kept_on_expiry_restored_and_sent(void **state)
{
	(void)state;
	make_narrative();
	static char form[30000];
	char path[128], page[128], loc[256];
	snprintf(page, sizeof(page), "/children/%lld/contacts/new", child_id);
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	struct e2e_client c, other;
	e2e_client_init(&c, &srv);
	e2e_client_init(&other, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, page), 200);
	/* the form says where it is shown, and offers a draft */
	assert_true(e2e_has(&c, "name=\"_form\""));
	assert_true(e2e_has(&c, "name=\"_draft\" value=\"save\""));
	long long contacts = e2e_sql_int(&srv, "SELECT count(*) FROM contact");
	long long created = audit_rows("create");

	expire_sessions();
	contact_form(&c, form, sizeof(form), "");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "/sign-in?next=/drafts/"));
	assert_non_null(strstr(loc, "kept=1"));
	long long id = strtoll(strstr(loc, "/drafts/") + 8, NULL, 10);
	assert_true(id > 0);
	/* kept: one row, sealed (the words are not in the file), audited
	 * with the child's id; nothing recorded yet */
	assert_int_equal(drafts(), 1);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM draft WHERE "
				     "kind = 'kept'"), 1);
	size_t clen;
	unsigned char *ct = e2e_sql_blob(&srv, "SELECT ciphertext FROM draft "
					 "WHERE kind = 'kept'", &clen);
	assert_non_null(ct);
	assert_true(clen > 0);
	assert_null(memmem(ct, clen, "not again", 9));
	assert_null(memmem(ct, clen, "Teacher", 7));
	free(ct);
	assert_int_equal(audit_rows("create"), created + 1);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM contact"),
			 contacts);

	/* the sign-in page says the work was kept */
	assert_int_equal(e2e_get(&c, loc), 200);
	assert_true(e2e_has(&c, "What you typed has been kept"));

	/* another user signing in on another browser gets nothing */
	char next[64];
	snprintf(next, sizeof(next), "/drafts/%lld", id);
	assert_int_equal(sign_in_next(&other, "tm.demo", next), 303);
	assert_int_equal(e2e_get(&other, next), 404);
	assert_int_equal(e2e_get(&other, page), 200);
	assert_false(e2e_has(&other, "END-OF-NARRATIVE"));
	assert_false(e2e_has(&other, "Your work was kept"));
	assert_int_equal(e2e_get(&other, "/drafts"), 200);
	assert_true(e2e_has(&other, "You have no drafts"));

	/* the person signs in and is taken to the form, filled in */
	assert_int_equal(sign_in_next(&c, "fd.demo", next), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, next);
	assert_int_equal(e2e_get(&c, next), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, page);
	assert_int_equal(e2e_get(&c, page), 200);
	assert_true(e2e_has(&c, "Your work was kept"));
	assert_true(e2e_has(&c, escaped_start));
	assert_true(e2e_has(&c, "Zoë&#39;s teacher (café)") ||
		    e2e_has(&c, "Zoë&#x27;s teacher (café)") ||
		    e2e_has(&c, "Zoë's teacher (café)"));
	assert_true(e2e_has(&c, "END-OF-NARRATIVE</textarea>"));
	assert_true(e2e_has(&c, "value=\"A Teacher\""));
	assert_true(e2e_has(&c, "value=\"School\""));
	assert_true(e2e_has(&c, "name=\"received-day\" value=\"3\""));
	assert_true(e2e_has(&c, "name=\"received-month\" value=\"4\""));
	assert_true(e2e_has(&c, "name=\"received-year\" value=\"2024\""));
	assert_true(e2e_has(&c, "value=\"09:30\""));
	assert_true(e2e_has(&c, "value=\"1A\" selected"));
	/* showing it is audited */
	assert_int_equal(audit_rows("read"), 1);

	/* sent with the new session's token: recorded, draft gone */
	contact_form(&c, form, sizeof(form), "");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "/contacts/"));
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM contact"),
			 contacts + 1);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT worry FROM contact WHERE "
		 "worry LIKE '%%END-OF-NARRATIVE' AND referrer_name = "
		 "'A Teacher' AND child_id = %lld", child_id);
	/* exactly what was typed, byte for byte */
	char *worry = e2e_sql_text(&srv, sql);
	assert_non_null(worry);
	assert_string_equal(worry, narrative);
	free(worry);
	assert_int_equal(drafts(), 0);
	assert_int_equal(audit_rows("delete"), 1);
	/* the form is empty again */
	assert_int_equal(e2e_get(&c, page), 200);
	assert_false(e2e_has(&c, "END-OF-NARRATIVE"));
	e2e_client_free(&c);
	e2e_client_free(&other);
}

static void nothing_kept_without_its_session(void **state)
{
	(void)state;
	make_narrative();
	static char form[30000];
	char path[128], loc[256];
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	/* a cookie that names no session: nobody to keep it for */
	snprintf(c.cookies, sizeof(c.cookies), "cairn_session="
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	snprintf(c.csrf, sizeof(c.csrf), "x");
	contact_form(&c, form, sizeof(form), "");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/sign-in?next=/");
	assert_int_equal(drafts(), 0);
	/* an expired session, but a form it was not shown (another token):
	 * not kept, so nobody can plant a draft for someone else */
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	expire_sessions();
	snprintf(c.csrf, sizeof(c.csrf), "%s", "not-the-session-token");
	contact_form(&c, form, sizeof(form), "");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/sign-in?next=/");
	assert_int_equal(drafts(), 0);
	e2e_client_free(&c);
}

static void saved_on_purpose_then_discarded(void **state)
{
	(void)state;
	make_narrative();
	static char form[30000];
	char path[128], page[128], loc[256];
	snprintf(page, sizeof(page), "/children/%lld/contacts/new", child_id);
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, page), 200);
	long long contacts = e2e_sql_int(&srv, "SELECT count(*) FROM contact");
	/* "Save as draft": the second submit button, no JavaScript */
	contact_form(&c, form, sizeof(form), "&_draft=save");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, page);
	assert_int_equal(drafts(), 1);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM draft WHERE "
				     "kind = 'saved'"), 1);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM contact"),
			 contacts);
	/* opened again: filled in, with the banner and "Discard draft" */
	assert_int_equal(e2e_get(&c, page), 200);
	assert_true(e2e_has(&c, "Draft saved"));
	assert_true(e2e_has(&c, "Discard draft"));
	assert_true(e2e_has(&c, escaped_start));
	assert_true(e2e_has(&c, "END-OF-NARRATIVE</textarea>"));
	/* listed under "Your drafts" */
	assert_int_equal(e2e_get(&c, "/drafts"), 200);
	assert_true(e2e_has(&c, "Record a contact"));
	long long id = e2e_sql_int(&srv, "SELECT draft_id FROM draft");
	/* saved again: still one draft for the form, the newer one */
	contact_form(&c, form, sizeof(form), "&_draft=save");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_int_equal(drafts(), 1);
	long long id2 = e2e_sql_int(&srv, "SELECT draft_id FROM draft");
	assert_true(id2 > id);
	/* discarded: gone, and the form is empty */
	char disc[96], f2[256];
	snprintf(disc, sizeof(disc), "/drafts/%lld/discard", id);
	snprintf(f2, sizeof(f2), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, disc, f2), 404);
	snprintf(disc, sizeof(disc), "/drafts/%lld/discard", id2);
	assert_int_equal(e2e_post(&c, disc, f2), 303);
	assert_int_equal(drafts(), 0);
	assert_int_equal(e2e_get(&c, "/drafts?discarded=1"), 200);
	assert_true(e2e_has(&c, "Draft discarded"));
	assert_int_equal(e2e_get(&c, page), 200);
	assert_false(e2e_has(&c, "END-OF-NARRATIVE"));
	/* the scrutiny progress update offers a draft too */
	long long action = e2e_sql_int(&srv, "SELECT min(action_id) FROM "
					     "scrutiny_action");
	assert_true(action > 0);
	struct e2e_client s;
	e2e_client_init(&s, &srv);
	assert_true(e2e_sign_in(&s, "tm.demo", DEMO_PASSWORD));
	char ap[96];
	snprintf(ap, sizeof(ap), "/scrutiny/actions/%lld", action);
	assert_int_equal(e2e_get(&s, ap), 200);
	assert_true(e2e_has(&s, "name=\"narrative\""));
	assert_true(e2e_has(&s, "Save as draft"));
	e2e_client_free(&s);
	e2e_client_free(&c);
}

static void gone_after_a_day(void **state)
{
	(void)state;
	make_narrative();
	static char form[30000];
	char path[128], loc[256];
	snprintf(path, sizeof(path), "/children/%lld/contacts", child_id);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	expire_sessions();
	contact_form(&c, form, sizeof(form), "");
	assert_int_equal(e2e_post(&c, path, form), 303);
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	long long id = strtoll(strstr(loc, "/drafts/") + 8, NULL, 10);
	assert_int_equal(drafts(), 1);
	/* a day passes */
	assert_int_equal(e2e_sql_exec(&srv, "UPDATE draft SET created_at = "
				      "created_at - 86400, expires_at = "
				      "expires_at - 86400"), 0);
	char next[64];
	snprintf(next, sizeof(next), "/drafts/%lld", id);
	assert_int_equal(sign_in_next(&c, "fd.demo", next), 303);
	/* purged at sign-in */
	assert_int_equal(drafts(), 0);
	assert_int_equal(e2e_get(&c, next), 404);
	assert_true(e2e_has(&c, "no longer available"));
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_on_expiry_restored_and_sent),
		cmocka_unit_test(nothing_kept_without_its_session),
		cmocka_unit_test(saved_on_purpose_then_discarded),
		cmocka_unit_test(gone_after_a_day),
	};
	return cmocka_run_group_tests_name("e2e_drafts", tests, up, down);
}
