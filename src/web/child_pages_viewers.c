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
#include "db/db.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/child_pages_int.h"
#include "web/page.h"

#include <string.h>

#define VIEWERS_SHOWN 20
#define VIEWERS_PAGE 50

/* What an audit row did, in plain words: never an action's or a table's
 * name.  Exact pairs first; then a verb and a noun; then words that name
 * nothing internal. */
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
		{"list", "due", "Saw it in a list of timescales"},
		{"read", "viewers", "Looked at who has viewed the record"},
		{"read", "contact", "Looked at a contact"},
		{"create", "contact", "Recorded a contact"},
		{"decide", "contact", "Decided what happens next on a contact"},
		{"handle", "contact", "Took on the contact"},
		{"acknowledge", "contact", "Recorded the acknowledgement sent "
					   "to a referrer"},
		{"share_outcome", "contact", "Recorded the outcome shared with "
					     "a referrer"},
		{"read", "referral", "Looked at a referral"},
		{"create", "referral", "Made a referral"},
		{"allocate", "referral", "Allocated a referral to a worker"},
		{"reallocate", "referral", "Allocated a referral to another "
					   "worker"},
		{"read", "chronology", "Looked at the chronology"},
		{"create", "chronology", "Added an entry to the chronology"},
		{"update", "chronology", "Added analysis to the chronology"},
		{"read", "draft", "Opened a draft of a form about the child"},
		{"create", "draft", "Saved a draft of a form about the child"},
		{"delete", "draft", "Deleted a draft of a form about the child"},
	};
	static const char *const verbs[][2] = {
		{"read", "Looked at"}, {"create", "Added"},
		{"update", "Changed"}, {"end", "Ended"},
		{"delete", "Deleted"}, {"list", "Saw it in a list of"},
	};
	static const char *const nouns[][2] = {
		{"child", "the record"}, {"contact", "a contact"},
		{"referral", "a referral"}, {"address", "an address"},
		{"network_member", "someone in the network"},
		{"flag", "a warning"}, {"chronology", "the chronology"},
		{"draft", "a draft"}, {"assessment", "an assessment"},
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
	const char *verb = page_pair(verbs, sizeof(verbs) / sizeof(verbs[0]),
				     action);
	const char *noun = page_pair(nouns, sizeof(nouns) / sizeof(nouns[0]),
				     entity);
	if (verb && noun)
		return arena_printf(r->a, "%s %s", verb, noun);
	return "Used the record in another way";
}

/* Audit rows about a child, read for the viewers table; who each person
 * is (name, team or organisation) is looked up once the rows are read. */
struct viewer {
	const char *at, *who, *role, *team, *what;
	int64_t user_id;
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

/* Mirrors auth/policy.c: PERM_CHILD_VIEWERS. */
DB_STMT(st_viewer_person) = {
	"viewers_person",
	"SELECT u.display_name, coalesce(t.name, o.name) FROM app_user u"
	" LEFT JOIN team t ON t.council = u.council AND t.team_id = u.team_id"
	" LEFT JOIN organisation o ON o.council = u.council"
	" AND o.org_id = u.org_id"
	" WHERE u.council = ?1 AND u.user_id = ?2",
	RB_TEAM_MANAGER,
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
	w->user_id = a->user_id;
	w->at = page_time(v->r, a->at);
	/* a command on the server (the demo, `cairn ...`) is no person */
	bool person = a->user_id > 0;
	w->who = person ? NULL : "Cairn (a command on the server)";
	w->role = !person ? "None"
		  : role_parse(a->role, &rl) ? role_label(rl) : "Not known";
	w->team = "None";
	w->what = audit_what(v->r, a->action, a->entity);
	if (w->at == NULL || w->what == NULL) {
		v->nomem = true;
		return 1;
	}
	return 0;
}

/* Fills in each person's name and team or organisation, asking the
 * store once a person.  Returns ERR_OK or an error. */
static int viewers_people(struct req *r, struct viewers *v)
{
	for (int i = 0; i < v->n; i++) {
		struct viewer *w = &v->v[i];
		if (w->who)
			continue;
		int j = 0;
		while (j < i && v->v[j].user_id != w->user_id)
			j++;
		if (j < i) {
			w->who = v->v[j].who;
			w->team = v->v[j].team;
			continue;
		}
		struct db_q *q;
		int rc = db_exec(r->db, &st_viewer_person, &q, r->user.council,
				 w->user_id);
		if (rc < 0)
			return rc == DB_EDENIED ? ERR_DENIED : ERR_STORE;
		const char *name = rc == DB_ROW ? db_col_text(q, 0) : NULL;
		const char *team = rc == DB_ROW ? db_col_text(q, 1) : NULL;
		w->who = name ? arena_strdup(r->a, name)
			      : "Someone no longer on the system";
		w->team = team ? arena_strdup(r->a, team) : "None";
		if (w->who == NULL || w->team == NULL)
			return ERR_NOMEM;
	}
	return ERR_OK;
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
	return v->nomem ? ERR_NOMEM : viewers_people(r, v);
}

static void viewers_table(struct req *r, const struct viewers *v)
{
	if (v->n == 0) {
		page_para(r, v->before ? "No older entries." : "No one yet.");
		return;
	}
	static const char *const heads[] = {"When", "Who", "Role",
					    "Team or organisation", "What"};
	page_table_begin_hidden(r, "Who has viewed this record (newest first)",
				heads, 5, NULL);
	for (int i = 0; i < v->n; i++) {
		page_row_begin(r);
		page_cell(r, v->v[i].at);
		page_cell(r, v->v[i].who);
		page_cell(r, v->v[i].role);
		page_cell(r, v->v[i].team);
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
	child_page_crumbs(r, &ch);
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
