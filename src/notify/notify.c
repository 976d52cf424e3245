/* notify.c: see notify.h for the contract. */
#include "notify/notify.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/field.h"
#include "domain/rows.h"
#include "referral/contact.h"
#include "rules/calendar.h"
#include "rules/uktime.h"

#include <stdio.h>
#include <string.h>

/* Who makes notifications: the roles whose writes do (allocating and
 * deciding: auth/policy.c PERM_REFERRAL_ALLOCATE, PERM_CONTACT_DECIDE;
 * commenting on scrutiny: PERM_SCRUTINY_COMMENT).  Every signed-in
 * role reads and marks its own. */
#define ADD_ROLES                                                          \
	(RB_FRONT_DOOR | RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN |         \
	 RB_COUNCILLOR | DB_ROLE_SYSTEM)
#define DECIDE_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define COMMENT_ROLES                                                      \
	(RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN | RB_COUNCILLOR |          \
	 DB_ROLE_SYSTEM)
#define OWN_ROLES (RB_ANY_USER | DB_ROLE_SYSTEM)
#define QUEUE_ROLES (RB_FRONT_DOOR | DB_ROLE_SYSTEM)

/* ---- kinds and words -------------------------------------------------- */

static const char *const kind_ids[NOTIFY__MAX] = {
	"allocated",       /* NOTIFY_ALLOCATED */
	"decided",         /* NOTIFY_DECIDED */
	"comment",         /* NOTIFY_COMMENT */
	"contact_overdue", /* NOTIFY_CONTACT_OVERDUE */
};

/* What a person reads; NOTIFY_DECIDED adds the decision's label. */
static const char *const kind_words[NOTIFY__MAX] = {
	"A referral was allocated to you",                       /* ALLOCATED */
	"A contact you recorded was decided",                    /* DECIDED */
	"New comment on a scrutiny review you keep actions for", /* COMMENT */
	"A contact in your queue is overdue for a decision", /* CONTACT_OVERDUE */
};

const char *notify_kind_id(enum notify_kind k)
{
	return (unsigned)k < NOTIFY__MAX ? kind_ids[k] : NULL;
}

bool notify_kind_parse(const char *s, enum notify_kind *out)
{
	for (int k = 0; s && k < NOTIFY__MAX; k++)
		if (strcmp(s, kind_ids[k]) == 0) {
			*out = (enum notify_kind)k;
			return true;
		}
	return false;
}

const char *notify_words(const char *kind, const char *detail, char *out,
			 size_t n)
{
	enum notify_kind k;
	if (!notify_kind_parse(kind, &k))
		return "Something needs your attention";
	enum contact_decision d;
	if (k == NOTIFY_DECIDED && contact_decision_parse(detail, &d)) {
		snprintf(out, n, "%s: %s", kind_words[k],
			 contact_decision_label(d));
		return out;
	}
	return kind_words[k];
}

const char *notify_href(const char *subject, int64_t subject_id, char *out,
			size_t n)
{
	static const char *const pages[][2] = {
		{"referral", "/referrals/"},
		{"contact", "/contacts/"},
		{"scrutiny_review", "/scrutiny/reviews/"},
	};
	out[0] = '\0';
	for (size_t i = 0; subject && i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(subject, pages[i][0]) == 0)
			snprintf(out, n, "%s%lld", pages[i][1],
				 (long long)subject_id);
	return out;
}

/* ---- the view --------------------------------------------------------- */

#define V(m) offsetof(struct notification, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = V(notification_id)},
	{.name = "kind", .type = FT_TEXT, .offset = V(kind)},
	{.name = "subject", .type = FT_TEXT, .offset = V(subject)},
	{.name = "subject_id", .type = FT_REF, .offset = V(subject_id)},
	{.name = "decision", .type = FT_TEXT, .offset = V(detail)},
	{.name = "child_id", .type = FT_REF, .out = FO_HIDDEN,
	 .offset = V(child_id)},
	{.name = "at", .label = "When", .type = FT_TEXT, .offset = V(at)},
	{.name = "read_at", .type = FT_TEXT, .offset = V(read_at)},
	{.name = "read", .type = FT_BOOL, .out = FO_DERIVED, .offset = V(read)},
	{.name = "text", .label = "Notification", .type = FT_TEXT,
	 .out = FO_DERIVED, .offset = V(text)},
	{.name = "href", .type = FT_TEXT, .out = FO_DERIVED, .offset = V(href)},
};
const struct record_type notify_view = {
	"notification", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

/* A due time (UK civil 'YYYY-MM-DDTHH:MM') as a UTC stamp in out;
 * false when it is not such a time. */
static bool civil_stamp(const char *civil, char out[UK_STAMP_LEN])
{
	struct cal_time t;
	if (civil == NULL || !cal_time_parse(civil, strlen(civil), &t))
		return false;
	uk_stamp(uk_to_instant(t), out);
	return true;
}

/* Whether it is read, its words and link; a worked-out item's due time
 * as a stamp like the stored ones'.  A row_map's `each`. */
static int derive(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)q;
	(void)arg;
	struct notification *x = item;
	char buf[160], stamp[UK_STAMP_LEN];
	x->read = x->read_at[0] != '\0';
	x->text = arena_strdup(a, notify_words(x->kind, x->detail, buf,
					       sizeof(buf)));
	x->href = arena_strdup(a, notify_href(x->subject, x->subject_id, buf,
					      sizeof(buf)));
	if (x->notification_id == 0 && civil_stamp(x->at, stamp))
		x->at = arena_strdup(a, stamp);
	return x->text && x->href && x->at ? ERR_OK : ERR_NOMEM;
}

static const struct row_map notify_rows = {
	sizeof(struct notification), NULL, 0, derive, &notify_view,
};

/* ---- statements ------------------------------------------------------- */

DB_STMT(st_ins) = {
	"notify_add",
	"INSERT INTO notification (council, notification_id, user_id, kind,"
	" subject, subject_id, detail, child_id, created_at, read_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)",
	ADD_ROLES,
};
/* A worked-out notice stored as read (marking it read). */
DB_STMT(st_ins_read) = {
	"notify_add_read",
	"INSERT INTO notification (council, notification_id, user_id, kind,"
	" subject, subject_id, detail, child_id, created_at, read_at)"
	" VALUES (?1, ?2, ?3, 'contact_overdue', 'contact', ?4, NULL, ?5, ?6,"
	" ?7)",
	QUEUE_ROLES,
};
DB_STMT(st_recorder) = {
	"notify_contact_recorder",
	"SELECT created_by FROM contact WHERE council = ?1 AND contact_id = ?2",
	DECIDE_ROLES,
};
/* Those who keep a review's actions (notify.h): who created the review,
 * and who recorded progress on an action under the recommendation (?3;
 * 0: any of the review's), if their account is enabled. */
DB_STMT(st_keepers) = {
	"notify_action_keepers",
	"SELECT DISTINCT u.user_id FROM app_user u WHERE u.council = ?1"
	" AND u.disabled = 0 AND u.user_id IN ("
	"  SELECT created_by FROM scrutiny_review"
	"  WHERE council = ?1 AND review_id = ?2"
	"  UNION SELECT p.user_id FROM scrutiny_update p"
	"  JOIN scrutiny_action a ON a.council = p.council"
	"   AND a.action_id = p.action_id"
	"  WHERE p.council = ?1 AND p.review_id = ?2"
	"   AND (?3 = 0 OR a.rec_id = ?3))"
	" ORDER BY u.user_id",
	COMMENT_ROLES,
};

/* The contacts overdue in the queue of user ?2 of council ?1 as of the
 * civil time ?3: open R01 items past due, of the user's team or of no
 * team, when the user is an enabled front-door officer, and not yet
 * stored for them (read).  Columns: the contact, the child, the due
 * time.  The index due_rule_open (schema 10) holds every column the
 * count reads. */
#define OVERDUE_FROM                                                       \
	" FROM app_user u JOIN due_item di ON di.council = u.council"      \
	"  AND di.rule = 'R01' AND di.met_at IS NULL AND di.due_at < ?3"   \
	"  AND (di.team_id IS NULL OR di.team_id = u.team_id)"             \
	" WHERE u.council = ?1 AND u.user_id = ?2"                         \
	"  AND u.role = 'front-door' AND u.disabled = 0"                   \
	"  AND NOT EXISTS (SELECT 1 FROM notification n"                   \
	"   WHERE n.council = ?1 AND n.user_id = ?2"                       \
	"   AND n.kind = 'contact_overdue' AND n.subject_id = di.subject_id)"

/* The view's columns (notify_view, in order), the worked-out items
 * first (grp 0), then unread (1), then read (2), newest first. */
DB_STMT(st_list) = {
	"notify_list",
	"SELECT id, kind, subject, subject_id, detail, child_id, at, read_at"
	" FROM (SELECT 0 AS grp, 0 AS id, 'contact_overdue' AS kind,"
	"  'contact' AS subject, di.subject_id AS subject_id, NULL AS detail,"
	"  di.child_id AS child_id, di.due_at AS at, NULL AS read_at"
	OVERDUE_FROM
	" UNION ALL SELECT CASE WHEN read_at IS NULL THEN 1 ELSE 2 END,"
	"  notification_id, kind, subject, subject_id, detail, child_id,"
	"  created_at, read_at FROM notification"
	"  WHERE council = ?1 AND user_id = ?2 AND (?4 = 0 OR read_at IS NULL)"
	" ) t ORDER BY grp, at DESC, id DESC, subject_id DESC"
	" LIMIT ?5 OFFSET ?6",
	OWN_ROLES,
};
DB_STMT(st_count) = {
	"notify_count",
	"SELECT (SELECT count(*) FROM notification"
	"  WHERE council = ?1 AND user_id = ?2 AND read_at IS NULL)"
	" + (SELECT count(*)" OVERDUE_FROM ")",
	OWN_ROLES,
};
DB_STMT(st_overdue) = {
	"notify_overdue",
	"SELECT di.subject_id, di.child_id, di.due_at" OVERDUE_FROM
	" ORDER BY di.subject_id",
	OWN_ROLES,
};
DB_STMT(st_mark) = {
	"notify_mark_read",
	"UPDATE notification SET read_at = COALESCE(read_at, ?4)"
	" WHERE council = ?1 AND user_id = ?2 AND notification_id = ?3",
	OWN_ROLES,
};
DB_STMT(st_mark_all) = {
	"notify_mark_all_read",
	"UPDATE notification SET read_at = ?3"
	" WHERE council = ?1 AND user_id = ?2 AND read_at IS NULL",
	OWN_ROLES,
};
DB_STMT(st_stored) = {
	"notify_overdue_stored",
	"SELECT notification_id FROM notification WHERE council = ?1"
	" AND user_id = ?2 AND kind = 'contact_overdue' AND subject_id = ?3",
	OWN_ROLES,
};
/* The R01 item of contact ?3 in the queue of front-door officer ?2. */
DB_STMT(st_in_queue) = {
	"notify_in_queue",
	"SELECT di.child_id, di.due_at FROM app_user u JOIN due_item di"
	" ON di.council = u.council AND di.rule = 'R01'"
	" AND di.subject = 'contact' AND di.subject_id = ?3 AND di.seq = 1"
	" AND (di.team_id IS NULL OR di.team_id = u.team_id)"
	" WHERE u.council = ?1 AND u.user_id = ?2 AND u.role = 'front-door'",
	OWN_ROLES,
};

/* ---- making them ------------------------------------------------------ */

int notify_add(struct db_conn *c, const struct actor *who, int64_t user_id,
	       enum notify_kind kind, const char *subject, int64_t subject_id,
	       const char *detail, int64_t child_id)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	if (user_id <= 0 || user_id == who->user_id ||
	    kind == NOTIFY_CONTACT_OVERDUE || notify_kind_id(kind) == NULL)
		return ERR_OK;
	char at[UK_STAMP_LEN];
	act_stamp(who, at);
	int64_t id;
	int rc = err_from_db(db_next_id(c, who->council, "notification", &id));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_ins, who->council, id, user_id,
				notify_kind_id(kind), subject, subject_id,
				detail, db_id(child_id), at);
	return rc;
}

int notify_allocated(struct db_conn *c, const struct actor *who,
		     int64_t worker_id, int64_t referral_id, int64_t child_id)
{
	return notify_add(c, who, worker_id, NOTIFY_ALLOCATED, "referral",
			  referral_id, NULL, child_id);
}

int notify_decided(struct db_conn *c, const struct actor *who,
		   int64_t contact_id, int64_t child_id, const char *decision)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	struct db_q *q;
	int rc = rows_get(c, &st_recorder, &q, who->council, contact_id);
	if (rc != ERR_OK)
		return rc == ERR_NOTFOUND ? ERR_OK : rc;
	int64_t recorder = db_col_i64(q, 0);
	db_done(q);
	return notify_add(c, who, recorder, NOTIFY_DECIDED, "contact",
			  contact_id, decision, child_id);
}

struct keeper {
	int64_t user_id;
};
static const struct row_col keeper_cols[] = {
	ROW_COL(ROW_I64, struct keeper, user_id),
};
static const struct row_map keeper_map = ROW_MAP(struct keeper, keeper_cols,
						 NULL);

int notify_commented(struct db_conn *c, const struct actor *who,
		     int64_t review_id, int64_t rec_id)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	/* a few people: their ids in a small arena of its own */
	struct arena *a = arena_new(64u << 10);
	struct keeper *v = NULL;
	int n = 0;
	int rc = rows_list(c, a, &st_keepers, &keeper_map, NULL, &v, &n,
			   who->council, review_id, rec_id > 0 ? rec_id : 0);
	for (int i = 0; rc == ERR_OK && i < n; i++)
		rc = notify_add(c, who, v[i].user_id, NOTIFY_COMMENT,
				"scrutiny_review", review_id, NULL, 0);
	arena_free(a);
	return rc;
}

/* ---- reading them ----------------------------------------------------- */

int notify_list(struct db_conn *c, const struct actor *who, bool unread_only,
		int64_t offset, int64_t limit, struct arena *a,
		struct notification **rows, int *n, bool *more)
{
	char now[17];
	cal_time_format(who->civil, now);
	limit = limit < 1 ? 1 : limit > 200 ? 200 : limit;
	offset = offset < 0 ? 0 : offset;
	struct notification *v = NULL;
	int k = 0;
	int rc = rows_list(c, a, &st_list, &notify_rows, NULL, &v, &k,
			   who->council, who->user_id, now, unread_only,
			   limit + 1, offset);
	if (rc != ERR_OK)
		return rc;
	*more = k > limit;
	*rows = v;
	*n = k > limit ? (int)limit : k;
	return ERR_OK;
}

int notify_count(struct db_conn *c, const struct actor *who, int64_t *n)
{
	char now[17];
	cal_time_format(who->civil, now);
	struct db_q *q;
	int rc = rows_get(c, &st_count, &q, who->council, who->user_id, now);
	if (rc != ERR_OK)
		return rc == ERR_NOTFOUND ? ERR_STORE : rc;
	*n = db_col_i64(q, 0);
	db_done(q);
	return ERR_OK;
}

/* ---- marking them read ------------------------------------------------ */

int notify_mark_read(struct db_conn *c, const struct actor *who,
		     int64_t notification_id)
{
	char at[UK_STAMP_LEN];
	act_stamp(who, at);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = rows_write(c, &st_mark, who->council, who->user_id,
			notification_id, at);
	if (rc == ERR_OK && db_changes(c) != 1)
		rc = ERR_NOTFOUND;
	return tx_end_audit(c, own, rc, who, "mark-read", "notification",
			    notification_id, 0);
}

/* Stores the worked-out notice of contact_id (of child_id, due at the
 * civil time due) for the actor, read now. */
static int store_read(struct db_conn *c, const struct actor *who, int64_t id,
		      int64_t contact_id, int64_t child_id, const char *due)
{
	char at[UK_STAMP_LEN], when[UK_STAMP_LEN];
	act_stamp(who, at);
	if (!civil_stamp(due, when))
		memcpy(when, at, sizeof(when));
	return rows_write(c, &st_ins_read, who->council, id, who->user_id,
			  contact_id, db_id(child_id), when, at);
}

int notify_mark_overdue_read(struct db_conn *c, const struct actor *who,
			     int64_t contact_id)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t id = 0;
	rc = rows_get(c, &st_stored, &q, who->council, who->user_id,
		      contact_id);
	if (rc == ERR_OK) {
		/* stored already: it was read */
		db_done(q);
		return tx_end(c, own, ERR_OK);
	}
	if (rc == ERR_NOTFOUND)
		rc = rows_get(c, &st_in_queue, &q, who->council, who->user_id,
			      contact_id);
	char due[17] = "";
	int64_t child_id = 0;
	if (rc == ERR_OK) {
		child_id = db_col_i64(q, 0);
		snprintf(due, sizeof(due), "%s",
			 db_col_text(q, 1) ? db_col_text(q, 1) : "");
		db_done(q);
		rc = err_from_db(db_next_id(c, who->council, "notification",
					    &id));
	}
	if (rc == ERR_OK)
		rc = store_read(c, who, id, contact_id, child_id, due);
	return tx_end_audit(c, own, rc, who, "mark-read", "notification", id,
			    0);
}

struct overdue {
	int64_t contact_id;
	int64_t child_id;
	const char *due_at;
};
static const struct row_col overdue_cols[] = {
	ROW_COL(ROW_I64, struct overdue, contact_id),
	ROW_COL(ROW_I64, struct overdue, child_id),
	ROW_COL(ROW_TEXT, struct overdue, due_at),
};
static const struct row_map overdue_map =
	ROW_MAP(struct overdue, overdue_cols, NULL);

int notify_mark_all_read(struct db_conn *c, const struct actor *who,
			 int64_t *n)
{
	char at[UK_STAMP_LEN], now[17];
	act_stamp(who, at);
	cal_time_format(who->civil, now);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t marked = 0, first = 0;
	rc = rows_write(c, &st_mark_all, who->council, who->user_id, at);
	if (rc == ERR_OK)
		marked = db_changes(c);
	/* the worked-out ones: stored, read; the queue's overdue contacts
	 * are few, but read into an arena of their own all the same */
	struct arena *a = arena_new(4u << 20);
	struct overdue *v = NULL;
	int k = 0;
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_overdue, &overdue_map, NULL, &v, &k,
			       who->council, who->user_id, now);
	if (rc == ERR_OK && k > 0)
		rc = err_from_db(db_next_ids(c, who->council, "notification",
					     k, &first));
	for (int i = 0; rc == ERR_OK && i < k; i++)
		rc = store_read(c, who, first + i, v[i].contact_id,
				v[i].child_id, v[i].due_at);
	arena_free(a);
	marked += k;
	rc = tx_end_audit(c, own, rc, who, "mark-all-read", "notification", 0,
			  0);
	if (rc == ERR_OK && n)
		*n = marked;
	return rc;
}
