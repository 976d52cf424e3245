/*
 * notify_pages.c: notifications inside Cairn (notify/notify.h).
 *
 *   GET  /notifications                     what needs the user's
 *                                           attention, paged; "unread
 *                                           only" with ?show=unread
 *   POST /notifications/{id}/read           marks one read
 *   POST /notifications/contacts/{id}/read  marks read the notice of an
 *                                           overdue contact in the
 *                                           front door's queue (worked
 *                                           out, so it has no id yet)
 *   POST /notifications/read                marks everything read
 *
 * and the header's link with the count (notify_pages.h).  The list
 * shows no child's record (words made from codes, a link, a time), so
 * reading it is not audited; marking read is (notify.c).  Forms post
 * with the CSRF token and need no JavaScript; after a mark the page
 * comes back where it was, with a success banner.
 */
#include "auth/role.h"
#include "core/arena.h"
#include "http/html.h"
#include "notify/notify.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/notify_pages.h"
#include "web/page.h"
#include "web/routes.h"

#include <string.h>

static const char *const keys[] = {"show", "page", NULL};

/* ---- the header's link ------------------------------------------------- */

static int header_count(struct req *r, int64_t *n)
{
	if (r->db) {
		/* an error page drawn before the pipeline set the user's
		 * role (a 404 or 405 after signing in) still counts as the
		 * user, not as the sign-in stage */
		req_db_role(r);
		return notify_count(r->db, &r->act, n);
	}
	if (r->app == NULL || r->app->db == NULL)
		return ERR_STORE;
	/* the request gave its connection back (a read's audit row waits
	 * for the group commit): borrow one for the count */
	struct db_conn *c = db_acquire(r->app->db);
	db_set_role(c, RB(r->user.role));
	db_set_council(c, r->user.council); /* D43 */
	int rc = notify_count(c, &r->act, n);
	db_release(r->app->db, c);
	return rc;
}

void notify_nav_item(struct req *r)
{
	if (!r->authed)
		return;
	struct sbuf *o = page_out(r);
	int64_t n = 0;
	if (header_count(r, &n) != ERR_OK)
		n = 0;
	bool active = strcmp(r->ex->path, "/notifications") == 0;
	html_raw(o, active ? "<li class=\"govuk-service-navigation__item "
			     "govuk-service-navigation__item--active\">"
			   : "<li class=\"govuk-service-navigation__item\">");
	html_raw(o, "<a class=\"govuk-service-navigation__link\" "
		    "href=\"/notifications\"");
	if (active)
		html_raw(o, " aria-current=\"page\"");
	html_raw(o, ">Notifications");
	if (n > 0) {
		html_raw(o, " (");
		html_text(o, page_count_text(r, n));
		html_raw(o, "<span class=\"govuk-visually-hidden\"> unread"
			    "</span>)");
	}
	html_raw(o, "</a></li>");
}

/* ---- the list ----------------------------------------------------------- */

/* The form that marks x read, back to this page of the list. */
static void mark_form(struct req *r, const struct notification *x)
{
	struct sbuf *o = page_out(r);
	const char *action =
		x->notification_id > 0
			? arena_printf(r->a, "/notifications/%lld/read",
				       (long long)x->notification_id)
			: arena_printf(r->a, "/notifications/contacts/%lld/read",
				       (long long)x->subject_id);
	form_begin(r, page_href(r, action ? action : "/notifications", keys,
				NULL, NULL));
	html_raw(o, "<button type=\"submit\" class=\"govuk-button "
		    "govuk-button--secondary govuk-!-margin-bottom-0\" "
		    "data-module=\"govuk-button\">Mark as read"
		    "<span class=\"govuk-visually-hidden\">: ");
	html_text(o, x->text);
	html_raw(o, "</span></button>");
	form_end(r);
}

static void notifications(struct req *r)
{
	const char *show = req_query(r, "show");
	bool unread_only = show && strcmp(show, "unread") == 0;
	int64_t page = page_number(r, 100000), unread = 0;
	struct notification *v = NULL;
	int n = 0;
	bool more = false;
	/* one snapshot for the list and its count */
	int rc = err_from_db(db_begin(r->db, DB_TX_READ));
	if (rc == ERR_OK)
		rc = notify_list(r->db, &r->act, unread_only,
				 (page - 1) * NOTIFY_PAGE, NOTIFY_PAGE, r->a,
				 &v, &n, &more);
	if (rc == ERR_OK)
		rc = notify_count(r->db, &r->act, &unread);
	db_rollback(r->db);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct sbuf *o = page_out(r);
	page_begin(r, "Notifications", NULL);
	const char *done = req_query(r, "done");
	if (done && strcmp(done, "all") == 0)
		page_banner(r, "All notifications marked as read");
	else if (done && strcmp(done, "one") == 0)
		page_banner(r, "Notification marked as read");
	page_para(r, unread == 0 ? "You have no unread notifications."
		  : unread == 1 ? "You have 1 unread notification."
		  : arena_printf(r->a, "You have %s unread notifications.",
				 page_count_text(r, unread)));
	if (unread_only)
		page_para_link(r, "/notifications", "Show all notifications");
	else
		page_para_link(r, "/notifications?show=unread",
			       "Show only unread notifications");
	if (unread > 0) {
		form_begin(r, "/notifications/read");
		form_button(r, "Mark all as read", true);
		form_end(r);
	}
	if (n == 0) {
		page_para(r, page > 1 ? "There are no more."
			  : unread_only ? "Nothing is unread."
				       : "You have no notifications.");
	} else {
		static const char *const heads[] = {
			"Notification", "When", "Status", "Action",
		};
		page_table_begin_hidden(r, "Notifications, unread first",
					heads, 4, NULL);
		for (int i = 0; i < n; i++) {
			const struct notification *x = &v[i];
			page_row_begin(r);
			page_cell_begin(r);
			if (x->href[0])
				page_link(r, x->href, x->text);
			else
				html_text(o, x->text);
			page_cell_end(r);
			page_cell(r, page_time(r, x->at));
			page_cell_begin(r);
			if (x->read)
				page_tag(r, "Read", "grey");
			else
				page_tag(r, "Unread", "blue");
			page_cell_end(r);
			page_cell_begin(r);
			if (!x->read)
				mark_form(r, x);
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	page_pages(r, "/notifications", keys, page, more);
	page_end(r);
	page_send(r, 200);
}

/* ---- marking read ------------------------------------------------------- */

/* Back to the list where it was, with the banner `done` says. */
static void marked(struct req *r, int rc, const char *done)
{
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "notification");
	else
		page_redirect(r, page_href(r, "/notifications", keys, "done",
					   done));
}

static void mark_one(struct req *r)
{
	marked(r, notify_mark_read(r->db, &r->act, r->ids[0]), "one");
}

static void mark_overdue(struct req *r)
{
	marked(r, notify_mark_overdue_read(r->db, &r->act, r->ids[0]), "one");
}

static void mark_all(struct req *r)
{
	int rc = notify_mark_all_read(r->db, &r->act, NULL);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "notification");
	else
		page_redirect(r, "/notifications?done=all");
}

/* ---- routes --------------------------------------------------------------- */

static const struct param_spec p_list[] = {
	{"show", PARAM_LINE, 8, false},
	{"done", PARAM_LINE, 4, false},
	PAGE_NUMBER_PARAM,
	{NULL, 0, 0, false},
};

static const struct param_spec p_mark[] = {
	{"show", PARAM_LINE, 8, false},
	PAGE_NUMBER_PARAM,
	{NULL, 0, 0, false},
};

const struct route notify_page_routes[] = {
	{HTTP_GET, "/notifications", PERM_SIGNED_IN, 0, p_list, notifications,
	 "Your notifications: what needs your attention", NULL},
	{HTTP_POST, "/notifications/read", PERM_SIGNED_IN, ROUTE_FORM, NULL,
	 mark_all, "Mark all your notifications read", NULL},
	{HTTP_POST, "/notifications/{id}/read", PERM_SIGNED_IN, ROUTE_FORM,
	 p_mark, mark_one, "Mark a notification read", NULL},
	{HTTP_POST, "/notifications/contacts/{id}/read", PERM_SIGNED_IN,
	 ROUTE_FORM, p_mark, mark_overdue,
	 "Mark read the notice of an overdue contact in your queue", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
