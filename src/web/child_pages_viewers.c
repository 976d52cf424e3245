/*
 * child_pages_viewers.c: who has viewed a child's record, from the audit
 * log: the newest on the record (a section) and every one, a page at a
 * time (?before=SEQ: the entries older than SEQ).  See
 * child_pages_int.h.
 */
#include "audit/audit.h"
#include "auth/role.h"
#include "child/child.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"

#include <string.h>

#define VIEWERS_SHOWN 20
#define VIEWERS_PAGE 50

/* What an audit row did, in words. */
static const char *audit_what(struct req *r, const char *action,
			      const char *entity)
{
	static const char *const words[][3] = {
		{"read", "child", "Viewed the record"},
		{"create", "child", "Added the record"},
		{"update", "child", "Changed identity details"},
		{"create", "address", "Added an address"},
		{"create", "network_member", "Added someone to the network"},
		{"end", "network_member", "Ended someone's involvement"},
		{"create", "flag", "Added a warning"},
		{"end", "flag", "Ended a warning"},
		{"search", "child", "Saw it in search results"},
		{"list", "referral", "Saw it in a list of referrals"},
		{"list", "contact", "Saw it in a list of contacts"},
		{"list", "flag", "Saw it in a list of warnings to review"},
		{"read", "viewers", "Looked at who has viewed the record"},
	};
	/* refusals name the route asked for: say what happened */
	if (strcmp(action, "refused") == 0)
		return "Asked for it and was refused";
	if (strcmp(action, "not found") == 0)
		return "Asked for it and was not shown it";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(action, words[i][0]) == 0 &&
		    strcmp(entity, words[i][1]) == 0)
			return words[i][2];
	char *t = arena_printf(r->a, "%s: %s", action, entity);
	for (char *p = t; p && *p; p++)
		if (*p == '_')
			*p = ' ';
	if (t && t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

/* Audit rows about a child, read for the viewers table. */
struct viewer {
	const char *at, *username, *role, *what;
};

struct viewers {
	struct req *r;
	struct viewer *v;
	int n;
	int shown;          /* rows to show; one more is read to see if
			     * there are older ones */
	int64_t before;     /* the rows are older than this (0: newest) */
	int64_t last_seq;   /* the oldest row shown */
	bool more;
	bool nomem;
};

static int viewer_row(const struct audit_row *a, void *arg)
{
	struct viewers *v = arg;
	if (v->n == v->shown) {
		v->more = true;
		return 1;
	}
	v->last_seq = a->seq;
	struct viewer *w = &v->v[v->n++];
	enum role rl;
	w->at = child_page_time(v->r, a->at);
	w->username = arena_strdup(v->r->a, a->username);
	w->role = role_parse(a->role, &rl) ? role_label(rl)
					   : arena_strdup(v->r->a, a->role);
	w->what = audit_what(v->r, a->action, a->entity);
	if (w->username == NULL || w->role == NULL || w->what == NULL) {
		v->nomem = true;
		return 1;
	}
	return 0;
}

/* Reads up to `shown` rows older than `before` (0: the newest). */
static int viewers_load(struct req *r, int64_t id, int64_t before, int shown,
			struct viewers *v)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->shown = shown;
	v->before = before;
	v->v = arena_alloc(r->a, (size_t)shown * sizeof(*v->v));
	if (v->v == NULL)
		return ERR_NOMEM;
	int rc = audit_child_rows(r->db, r->user.council, id, before,
				  shown + 1, viewer_row, v);
	if (rc < 0)
		return rc == DB_EDENIED ? ERR_DENIED : ERR_STORE;
	return v->nomem ? ERR_NOMEM : ERR_OK;
}

static void viewers_table(struct req *r, const struct viewers *v)
{
	if (v->n == 0) {
		page_para(r, v->before ? "No older entries." : "No one yet.");
		return;
	}
	static const char *const heads[] = {"When", "Who", "Role", "What"};
	page_table_begin_hidden(r, "Who has viewed this record (newest first)",
				heads, 4, NULL);
	for (int i = 0; i < v->n; i++) {
		page_row_begin(r);
		page_cell(r, v->v[i].at);
		page_cell(r, v->v[i].username);
		page_cell(r, v->v[i].role);
		page_cell(r, v->v[i].what);
		page_row_end(r);
	}
	page_table_end(r);
}

int child_page_viewers_load(struct req *r, const struct child_ctx *x,
			    const struct child *ch, void **data)
{
	(void)x;
	struct viewers *v = arena_alloc(r->a, sizeof(*v));
	if (v == NULL)
		return ERR_NOMEM;
	*data = v;
	return viewers_load(r, ch->child_id, 0, VIEWERS_SHOWN, v);
}

void child_page_viewers_render(struct req *r, const struct child_ctx *x,
			       const struct child *ch, void *data)
{
	(void)x;
	const struct viewers *v = data;
	viewers_table(r, v);
	if (v->more)
		page_para_link(r, child_page_path(r, ch->child_id, "/viewers"),
			       "See everyone who has viewed this record");
}

/* All who have viewed the record, VIEWERS_PAGE at a time, newest first. */
void child_page_viewers(struct req *r)
{
	int64_t id = r->ids[0], before = 0;
	const char *b = req_query(r, "before");
	if (b && b[0] && !str_to_i64z(b, 1, INT64_MAX, &before)) {
		page_error(r, 400, "Bad request", "The page in the web address "
			   "is not valid.");
		return;
	}
	struct child_ctx x;
	struct child ch;
	if (child_page_start(r, &x, &ch) < 0)
		return;
	struct viewers vw;
	int rc = viewers_load(r, id, before, VIEWERS_PAGE, &vw);
	if (rc != ERR_OK) {
		answer_abort(r, rc);
		return;
	}
	page_begin(r, "Who has viewed this record", NULL);
	child_page_caption(r, &ch);
	viewers_table(r, &vw);
	/* "Newest entries": back to the first page */
	const char *path = child_page_path(r, id, "/viewers");
	page_pagination_raw(r, "Pages of entries", before ? path : NULL,
			    "Newest entries",
			    vw.more ? arena_printf(r->a, "%s?before=%lld", path,
						   (long long)vw.last_seq)
				    : NULL,
			    "Older entries");
	page_para_link(r, child_page_path(r, id, NULL), "Back to the record");
	page_end(r);
	child_page_send(r, 200);
}
