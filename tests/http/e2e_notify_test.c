/*
 * e2e_notify_test.c: notifications end to end over loopback.  A manager
 * allocates a referral to a worker; the worker sees the count in the
 * header and the item in the list, marks it read and the count drops.
 * Refused without the CSRF token, another user's is a 404 and changes
 * nothing, allocating to oneself tells no one; the front door's overdue
 * contact is worked out, marked read and then all marked read; the same
 * through the JSON API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 200);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static long long user_id(const char *username)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT user_id FROM app_user WHERE "
		 "username = '%s'", username);
	return e2e_sql_int(&srv, sql);
}

static long long unread(long long user)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM notification WHERE "
		 "user_id = %lld AND read_at IS NULL", user);
	return e2e_sql_int(&srv, sql);
}

/* The header's link says "Notifications (n unread)", or "Notifications"
 * alone for none. */
static bool header_says(struct e2e_client *c, long long n)
{
	char want[160];
	if (n == 0)
		return e2e_has(c, ">Notifications</a></li>");
	snprintf(want, sizeof(want), ">Notifications (%lld<span class=\""
		 "govuk-visually-hidden\"> unread</span>)</a>", n);
	return e2e_has(c, want);
}

static void allocated_worker_sees_and_marks_read(void **state)
{
	(void)state;
	long long sw = user_id("sw.demo"), tm = user_id("tm.demo");
	long long sw2 = user_id("sw2.demo");
	assert_true(sw > 0 && tm > 0 && sw2 > 0);
	long long ref = e2e_sql_int(&srv, "SELECT min(referral_id) FROM "
				    "referral WHERE worker_id IS NULL");
	assert_true(ref > 0);
	long long before = unread(sw);

	/* the manager allocates it to the worker, in Assessment Team 1 */
	struct e2e_client m;
	e2e_client_init(&m, &srv);
	assert_true(e2e_sign_in(&m, "tm.demo", DEMO_PASSWORD));
	char path[160], form[512];
	snprintf(path, sizeof(path), "/referrals/%lld", ref);
	assert_int_equal(e2e_get(&m, path), 200);
	snprintf(path, sizeof(path), "/referrals/%lld/allocation", ref);
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld",
		 m.csrf, sw);
	assert_int_equal(e2e_post(&m, path, form), 303);
	assert_int_equal(unread(sw), before + 1);
	/* allocating to oneself tells no one */
	long long tm_before = e2e_sql_int(&srv, "SELECT count(*) FROM "
					  "notification WHERE user_id = "
					  "(SELECT user_id FROM app_user WHERE "
					  "username = 'tm.demo')");
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld",
		 m.csrf, tm);
	assert_int_equal(e2e_post(&m, path, form), 303);
	assert_int_equal(e2e_sql_int(&srv, "SELECT count(*) FROM notification"
				     " WHERE user_id = (SELECT user_id FROM "
				     "app_user WHERE username = 'tm.demo')"),
			 tm_before);
	/* and back to the worker: told again */
	snprintf(form, sizeof(form), "csrf=%s&team_id=2&worker_id=%lld",
		 m.csrf, sw);
	assert_int_equal(e2e_post(&m, path, form), 303);
	assert_int_equal(unread(sw), before + 2);
	e2e_client_free(&m);

	/* the worker: the count in the header of every page, the item */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/"), 200);
	assert_true(header_says(&c, before + 2));
	assert_int_equal(e2e_get(&c, "/notifications"), 200);
	assert_true(header_says(&c, before + 2));
	assert_true(e2e_has(&c, "aria-current=\"page\">Notifications"));
	assert_true(e2e_has(&c, "A referral was allocated to you"));
	snprintf(path, sizeof(path), "href=\"/referrals/%lld\"", ref);
	assert_true(e2e_has(&c, path));
	assert_true(e2e_has(&c, ">Unread</strong>"));
	/* the newest: the first of the list */
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT max(notification_id) FROM "
		 "notification WHERE user_id = %lld", sw);
	long long nid = e2e_sql_int(&srv, sql);
	assert_true(nid > 0);
	snprintf(path, sizeof(path), "action=\"/notifications/%lld/read\"", nid);
	assert_true(e2e_has(&c, path));

	/* without the CSRF token: refused, nothing changed */
	snprintf(path, sizeof(path), "/notifications/%lld/read", nid);
	assert_int_equal(e2e_post(&c, path, "x=1"), 403);
	assert_int_equal(unread(sw), before + 2);
	/* another user's: not found, nothing changed */
	snprintf(sql, sizeof(sql), "SELECT max(notification_id) FROM "
		 "notification WHERE user_id = %lld AND read_at IS NULL", sw2);
	long long other = e2e_sql_int(&srv, sql);
	assert_true(other > 0);
	long long sw2_before = unread(sw2);
	char opath[160];
	snprintf(opath, sizeof(opath), "/notifications/%lld/read", other);
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, opath, form), 404);
	assert_int_equal(unread(sw2), sw2_before);
	assert_int_equal(e2e_post(&c, "/notifications/999999/read", form), 404);

	/* marked read: back to the list with a banner, the count drops */
	assert_int_equal(e2e_post(&c, path, form), 303);
	char loc[200];
	assert_non_null(e2e_header(&c, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/notifications?done=one");
	assert_int_equal(unread(sw), before + 1);
	assert_int_equal(e2e_get(&c, loc), 200);
	assert_true(e2e_has(&c, "Notification marked as read"));
	assert_true(header_says(&c, before + 1));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE action = "
		 "'mark-read' AND entity = 'notification' AND entity_id = %lld",
		 nid);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* only the unread */
	assert_int_equal(e2e_get(&c, "/notifications?show=unread"), 200);
	assert_true(e2e_has(&c, "Show all notifications"));
	snprintf(path, sizeof(path), "action=\"/notifications/%lld/read", nid);
	assert_false(e2e_has(&c, path));
	/* an unknown filter shows everything; a page that is not a number
	 * is refused, one out of range is the first */
	assert_int_equal(e2e_get(&c, "/notifications?show=zzz"), 200);
	assert_true(e2e_has(&c, "Show only unread notifications"));
	assert_int_equal(e2e_get(&c, "/notifications?page=abc"), 400);
	assert_int_equal(e2e_get(&c, "/notifications?page=0"), 200);
	e2e_client_free(&c);
}

static void front_door_overdue_contact(void **state)
{
	(void)state;
	long long fd = user_id("fd.demo");
	/* an undecided contact whose decision is long overdue */
	long long k = e2e_sql_int(&srv, "SELECT min(subject_id) FROM due_item "
				  "WHERE rule = 'R01' AND met_at IS NULL");
	assert_true(k > 0);
	char sql[300];
	snprintf(sql, sizeof(sql), "UPDATE due_item SET due_at = "
		 "'2026-01-05T09:00' WHERE rule = 'R01' AND subject_id = %lld",
		 k);
	assert_int_equal(e2e_sql_exec(&srv, sql), 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "fd.demo", DEMO_PASSWORD));
	assert_int_equal(e2e_get(&c, "/notifications"), 200);
	assert_true(e2e_has(&c, "A contact in your queue is overdue for a "
			    "decision"));
	/* the due time in UK local time, in words */
	assert_true(e2e_has(&c, "5 January 2026 at 09:00"));
	char path[160], form[300];
	snprintf(path, sizeof(path), "href=\"/contacts/%lld\"", k);
	assert_true(e2e_has(&c, path));
	snprintf(path, sizeof(path), "/notifications/contacts/%lld/read", k);
	assert_true(e2e_has(&c, path));
	/* a worker may not mark the front door's */
	struct e2e_client w;
	e2e_client_init(&w, &srv);
	assert_true(e2e_sign_in(&w, "sw.demo", DEMO_PASSWORD));
	snprintf(form, sizeof(form), "csrf=%s", w.csrf);
	assert_int_equal(e2e_post(&w, path, form), 404);
	e2e_client_free(&w);
	/* marked read: stored, read */
	snprintf(form, sizeof(form), "csrf=%s", c.csrf);
	assert_int_equal(e2e_post(&c, path, form), 303);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM notification WHERE "
		 "user_id = %lld AND kind = 'contact_overdue' AND subject_id = "
		 "%lld AND read_at IS NOT NULL", fd, k);
	assert_int_equal(e2e_sql_int(&srv, sql), 1);
	/* everything read: no number in the header */
	assert_int_equal(e2e_post(&c, "/notifications/read", form), 303);
	assert_int_equal(e2e_get(&c, "/notifications?done=all"), 200);
	assert_true(e2e_has(&c, "All notifications marked as read"));
	assert_true(header_says(&c, 0));
	assert_true(e2e_has(&c, "You have no unread notifications."));
	assert_false(e2e_has(&c, "Mark all as read"));
	e2e_client_free(&c);
}

static void api_flow(void **state)
{
	(void)state;
	long long sw = user_id("sw.demo");
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_bearer(&c, "sw.demo"));
	long long n = unread(sw);
	assert_true(n > 0);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/notifications", NULL),
			 200);
	char want[64];
	snprintf(want, sizeof(want), "\"unread\":%lld", n);
	assert_true(e2e_has(&c, want));
	assert_true(e2e_has(&c, "\"text\":\"A referral was allocated to you\""));
	assert_true(e2e_has(&c, "\"href\":\"/referrals/"));
	assert_false(e2e_has(&c, "child_id"));
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/notifications?unread="
				  "maybe", NULL), 400);
	assert_int_equal(e2e_json(&c, "GET", "/api/v1/notifications?unread="
				  "true&limit=1", NULL), 200);
	assert_true(e2e_has(&c, "\"next\":1"));
	/* one read: the unread count comes back */
	char sql[200], path[128];
	snprintf(sql, sizeof(sql), "SELECT max(notification_id) FROM "
		 "notification WHERE user_id = %lld AND read_at IS NULL", sw);
	long long nid = e2e_sql_int(&srv, sql);
	snprintf(path, sizeof(path), "/api/v1/notifications/%lld/read", nid);
	assert_int_equal(e2e_json(&c, "POST", path, "{\"colour\":1}"), 422);
	assert_int_equal(unread(sw), n);
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 200);
	snprintf(want, sizeof(want), "\"unread\":%lld", n - 1);
	assert_true(e2e_has(&c, want));
	/* another user's: 404 */
	snprintf(sql, sizeof(sql), "SELECT max(notification_id) FROM "
		 "notification WHERE user_id <> %lld", sw);
	snprintf(path, sizeof(path), "/api/v1/notifications/%lld/read",
		 e2e_sql_int(&srv, sql));
	assert_int_equal(e2e_json(&c, "POST", path, "{}"), 404);
	/* all */
	assert_int_equal(e2e_json(&c, "POST", "/api/v1/notifications/read",
				  "{}"), 200);
	assert_true(e2e_has(&c, "\"unread\":0"));
	assert_int_equal(unread(sw), 0);
	/* in the OpenAPI document */
	assert_int_equal(e2e_get(&c, "/api/v1/openapi.json"), 200);
	assert_true(e2e_has(&c, "/api/v1/notifications/{id}/read"));
	e2e_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocated_worker_sees_and_marks_read),
		cmocka_unit_test(front_door_overdue_contact),
		cmocka_unit_test(api_flow),
	};
	return cmocka_run_group_tests_name("e2e_notify", tests, up, down);
}
