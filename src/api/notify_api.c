/*
 * notify_api.c: notifications in the JSON API (/api/v1/), the same as
 * the page (web/notify_pages.c): the caller's own, never anyone else's.
 *
 *   GET  /api/v1/notifications                    the list: items (the
 *        view notify_view: id, kind, subject, subject_id, decision, at,
 *        read_at, read, text, href) and next; unread, how many; with
 *        unread=true only those
 *   POST /api/v1/notifications/{id}/read          marks one read
 *   POST /api/v1/notifications/contacts/{id}/read marks read the notice
 *        of an overdue contact in the caller's queue (an item whose id
 *        is null)
 *   POST /api/v1/notifications/read               marks everything read
 *
 * The marks take an empty JSON object and answer how many are unread
 * (and for all, how many were marked).  Another user's notification is
 * a 404, as one that does not exist.  Nothing sent names a child: the
 * text is made from codes, and the child's id is not sent.
 */
#include "api/api.h"
#include "api/fields.h"
#include "notify/notify.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/routes.h"

#include <string.h>

/* No fields: a mark's body is {} (any key is refused). */
static const struct record_type empty_body = {"notification_read", NULL, 0};

/* True when the body is {}; else answers 422 naming the key. */
static bool body_empty(struct req *r)
{
	struct field_errors e = {0};
	if (api_fields_read(r, &empty_body, NULL, &e) == 0)
		return true;
	api_problem_fields(r, &e);
	return false;
}

/* Answers {"unread": N} (and "marked" when marked >= 0), or the error. */
static void answer_marked(struct req *r, int rc, int64_t marked)
{
	int64_t unread = 0;
	if (rc == ERR_OK)
		rc = notify_count(r->db, &r->act, &unread);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "notification");
		return;
	}
	json_t *o = json_pack("{s:I}", "unread", (json_int_t)unread);
	if (marked >= 0)
		json_object_set_new(o, "marked", json_integer(marked));
	api_json(r, 200, o);
}

static void api_list(struct req *r)
{
	int64_t limit, cursor;
	if (api_page_params(r, &limit, &cursor) < 0)
		return;
	const char *u = req_query(r, "unread");
	bool unread_only = u && strcmp(u, "true") == 0;
	if (u && !unread_only && strcmp(u, "false") != 0) {
		api_problem(r, 400, NULL, "unread must be true or false.",
			    "unread");
		return;
	}
	struct notification *v = NULL;
	int n = 0;
	bool more = false;
	int64_t unread = 0;
	int rc = err_from_db(db_begin(r->db, DB_TX_READ));
	if (rc == ERR_OK)
		rc = notify_list(r->db, &r->act, unread_only, cursor, limit,
				 r->a, &v, &n, &more);
	if (rc == ERR_OK)
		rc = notify_count(r->db, &r->act, &unread);
	db_rollback(r->db);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "notification");
		return;
	}
	/* the cursor is the position of the next page */
	json_t *o = api_fields_list(&notify_view, v, sizeof(*v), n,
				    more ? cursor + n : 0, NULL);
	json_object_set_new(o, "unread", json_integer(unread));
	api_json(r, 200, o);
}

static void api_mark(struct req *r)
{
	if (body_empty(r))
		answer_marked(r, notify_mark_read(r->db, &r->act, r->ids[0]),
			      -1);
}

static void api_mark_overdue(struct req *r)
{
	if (body_empty(r))
		answer_marked(r, notify_mark_overdue_read(r->db, &r->act,
							  r->ids[0]), -1);
}

static void api_mark_all(struct req *r)
{
	if (!body_empty(r))
		return;
	int64_t n = 0;
	int rc = notify_mark_all_read(r->db, &r->act, &n);
	answer_marked(r, rc, n);
}

static const struct param_spec p_list[] = {
	API_PAGE_PARAMS,
	{"unread", PARAM_LINE, 5, false},
	{NULL, 0, 0, false},
};

static const char schema_empty[] =
	"{\"type\":\"object\",\"additionalProperties\":false}";

const struct route notify_api_routes[] = {
	{HTTP_GET, "/api/v1/notifications", PERM_SIGNED_IN, ROUTE_API, p_list,
	 api_list, "Your notifications, worked-out ones and unread first, "
	 "newest first (unread=true: only those), with how many are unread; "
	 "text and href say what and where, no child is named", NULL},
	{HTTP_POST, "/api/v1/notifications/read", PERM_SIGNED_IN, ROUTE_API,
	 NULL, api_mark_all, "Mark all your notifications read (body {})",
	 schema_empty},
	{HTTP_POST, "/api/v1/notifications/{id}/read", PERM_SIGNED_IN,
	 ROUTE_API, NULL, api_mark, "Mark one of your notifications read "
	 "(body {}); another user's is a 404", schema_empty},
	{HTTP_POST, "/api/v1/notifications/contacts/{id}/read", PERM_SIGNED_IN,
	 ROUTE_API, NULL, api_mark_overdue,
	 "Mark read the notice of an overdue contact in your queue (an item "
	 "whose id is null; body {})", schema_empty},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
