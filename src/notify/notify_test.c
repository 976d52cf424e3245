/* notify_test.c: notifications made by the writes that make them
 * (allocation, a decision, a scrutiny comment), the overdue contacts
 * worked out for the front door, listing, counting, marking read (one,
 * a worked-out one, all), council and user isolation, and no child's
 * name in a row or in the words, against a temporary SQLite database
 * with synthetic rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "core/arena.h"
#include "db/testdb.h"
#include "notify/notify.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "rules/uktime.h"
#include "scrutiny/scrutiny.h"

static char path[64];
static struct db *db;
static struct db_conn *conn;
static struct arena *arena;

/* users of council aaa: 1 front door (no team), 2 social worker (team
 * 1), 3 team manager (team 1), 4 front door of team 2, 5 analyst, 6
 * councillor; of council bbb: 2 a social worker with aaa's worker's id,
 * 7 front door */
static const char *const fixture =
	"INSERT INTO council (council, name) VALUES ('aaa', 'Aville');"
	"INSERT INTO council (council, name) VALUES ('bbb', 'Beeton');"
	"INSERT INTO team (council, team_id, name) VALUES"
	" ('aaa', 1, 'Assessment Team 1'), ('aaa', 2, 'Front Door 2'),"
	" ('bbb', 1, 'B Team');"
	"INSERT INTO app_user (council, user_id, username, display_name, role,"
	" team_id, pw_hash, disabled, created_at) VALUES"
	" ('aaa', 1, 'fd.one', 'Fay Door', 'front-door', NULL, 'x', 0, 't'),"
	" ('aaa', 2, 'sw.two', 'Sam Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('aaa', 3, 'tm.three', 'Tia Manager', 'team-manager', 1, 'x', 0, 't'),"
	" ('aaa', 4, 'fd.four', 'Fin Door', 'front-door', 2, 'x', 0, 't'),"
	" ('aaa', 5, 'an.five', 'Ana Lyst', 'analyst', NULL, 'x', 0, 't'),"
	" ('aaa', 6, 'cl.six', 'Cal Member', 'councillor', NULL, 'x', 0, 't'),"
	" ('bbb', 2, 'b.sw', 'Bo Worker', 'social-worker', 1, 'x', 0, 't'),"
	" ('bbb', 7, 'b.fd', 'Bea Door', 'front-door', NULL, 'x', 0, 't');"
	/* a child whose name must never reach a notification */
	"INSERT INTO child (council, child_id, la_ref, given_name, family_name,"
	" given_key, family_key, created_at, created_by, updated_at) VALUES"
	" ('aaa', 1, 'REF1', 'Oliverzq', 'Webblyx', 'O', 'W', 't', 1, 't'),"
	" ('aaa', 2, 'REF2', 'Testchild', 'Two', 'T', 'T', 't', 1, 't'),"
	" ('bbb', 1, 'REFB', 'Testchild', 'Bee', 'T', 'B', 't', 1, 't');";

static int setup(void **state)
{
	(void)state;
	testdb_path(path, sizeof(path), "notify");
	testdb_remove(path);
	char err[256];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 2000,
			       .synchronous_full = false};
	assert_int_equal(db_open(path, &o, &db, err, sizeof(err)), DB_OK);
	conn = db_acquire(db);
	db_set_role(conn, DB_ROLE_SYSTEM);
	int from, to;
	assert_int_equal(db_migrate(conn, &from, &to), DB_OK);
	testdb_exec(path, fixture);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(audit_genesis(conn, "aaa"), DB_OK);
	assert_int_equal(audit_genesis(conn, "bbb"), DB_OK);
	assert_int_equal(db_commit(conn), DB_OK);
	arena = arena_new(8u << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	db_release(db, conn);
	db_close(db);
	testdb_remove(path);
	return 0;
}

/* Every test starts with no notifications, contacts or referrals. */
static int clean(void **state)
{
	(void)state;
	testdb_exec(path, "DELETE FROM notification; DELETE FROM referral;"
			  " DELETE FROM contact; DELETE FROM due_item;"
			  " DELETE FROM chronology; DELETE FROM scrutiny_comment;"
			  " DELETE FROM scrutiny_update;"
			  " DELETE FROM scrutiny_action; DELETE FROM scrutiny_rec;"
			  " DELETE FROM scrutiny_review;");
	return 0;
}

/* 2024-05-02 09:00 UTC (10:00 in England), a Thursday. */
#define NOW ((int64_t)1714640400)

/* The actor user_id of council with role r at now, and the connection
 * acting for its role. */
static const struct actor *as(const char *council, int64_t user_id,
			      enum role r, int64_t now)
{
	static struct actor ring[8];
	static unsigned k;
	struct actor *p = &ring[k++ % 8];
	db_set_role(conn, RB(r));
	*p = (struct actor){
		.council = council, .user_id = user_id, .username = "tester",
		.role = role_id(r), .partner = r == ROLE_PARTNER,
		.request_id = "rid-test", .ip = "127.0.0.1",
	};
	actor_at(p, now);
	return p;
}

static int64_t record(const struct actor *w, int64_t child,
		      const char *received)
{
	struct contact_input in = {
		.source = "2A", .referrer_name = "Ms Example Teacher",
		.referrer_org = "Example Primary School",
		.received_at = received,
		.worry = "Synthetic worry: the child said they were hungry.",
		.family_consent = "agreed",
	};
	int64_t id = 0;
	assert_int_equal(contact_record(conn, w, NULL, child, &in, &id, NULL),
			 ERR_OK);
	return id;
}

static int64_t decide(const struct actor *w, int64_t contact,
		      const char *decision)
{
	struct contact_decision_input in = {
		.decision = decision, .reason = "Synthetic threshold reasoning.",
		.parallel = "Synthetic: a second referral.",
	};
	int64_t rid = 0;
	assert_int_equal(contact_decide(conn, w, NULL, contact, &in, &rid, NULL),
			 ERR_OK);
	return rid;
}

static int64_t count(const struct actor *w)
{
	int64_t n = -1;
	assert_int_equal(notify_count(conn, w, &n), ERR_OK);
	return n;
}

static int list(const struct actor *w, bool unread_only,
		struct notification **v)
{
	int n = -1;
	bool more = true;
	assert_int_equal(notify_list(conn, w, unread_only, 0, NOTIFY_PAGE,
				     arena, v, &n, &more),
			 ERR_OK);
	assert_false(more);
	return n;
}

static int64_t stored(const char *where)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM notification WHERE %s",
		 where);
	return testdb_count(path, sql);
}

/* ---- made by the writes ----------------------------------------------- */

static void allocation_tells_the_worker(void **state)
{
	(void)state;
	const struct actor *fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	int64_t ref = decide(fd, record(fd, 1, "2024-05-02T09:30"), "referral");
	/* the manager allocates to the worker: the worker is told */
	const struct actor *tm = as("aaa", 3, ROLE_TEAM_MANAGER, NOW);
	assert_int_equal(referral_allocate(conn, tm, ref, 1, 2, NULL), ERR_OK);
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW + 60);
	assert_int_equal(count(sw), 1);
	struct notification *v;
	assert_int_equal(list(sw, false, &v), 1);
	assert_string_equal(v[0].kind, "allocated");
	assert_string_equal(v[0].text, "A referral was allocated to you");
	char href[32];
	snprintf(href, sizeof(href), "/referrals/%lld", (long long)ref);
	assert_string_equal(v[0].href, href);
	assert_false(v[0].read);
	assert_true(v[0].notification_id > 0);
	assert_string_equal(v[0].at, "2024-05-02T09:00:00Z");
	/* the manager allocating to themselves is not told */
	tm = as("aaa", 3, ROLE_TEAM_MANAGER, NOW);
	assert_int_equal(referral_allocate(conn, tm, ref, 1, 3, NULL), ERR_OK);
	assert_int_equal(stored("user_id = 3"), 0);
	/* a refused allocation tells nobody (its transaction rolled back) */
	struct field_errors e = {0};
	assert_int_equal(referral_allocate(conn, tm, ref, 1, 999, &e),
			 ERR_INVALID);
	assert_int_equal(stored("1 = 1"), 1);
}

static void decision_tells_who_recorded(void **state)
{
	(void)state;
	/* a social worker records; the front door decides: told, with the
	 * decision in words */
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	int64_t k = record(sw, 2, "2024-05-02T09:30");
	const struct actor *fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	decide(fd, k, "early_help");
	sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	struct notification *v;
	assert_int_equal(list(sw, false, &v), 1);
	assert_string_equal(v[0].kind, "decided");
	assert_string_equal(v[0].detail, "early_help");
	char want[200];
	snprintf(want, sizeof(want), "A contact you recorded was decided: %s",
		 contact_decision_label(CONTACT_EARLY_HELP));
	assert_string_equal(v[0].text, want);
	char href[32];
	snprintf(href, sizeof(href), "/contacts/%lld", (long long)k);
	assert_string_equal(v[0].href, href);
	/* the officer who recorded and decided it is not told */
	fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	decide(fd, record(fd, 2, "2024-05-02T09:40"), "nfa");
	assert_int_equal(stored("user_id = 1"), 0);
}

static void comment_tells_who_keeps_the_actions(void **state)
{
	(void)state;
	/* review 1 made by the manager (3); the analyst (5) recorded
	 * progress on the action under recommendation 1; recommendation 2
	 * has an action nobody updated */
	testdb_exec(path,
		"INSERT INTO scrutiny_review (council, review_id, body_kind,"
		" body_name, topic, created_at, created_by) VALUES"
		" ('aaa', 1, 'committee', 'Panel', 'Topic', 't', 3);"
		"INSERT INTO scrutiny_rec (council, rec_id, review_id, position,"
		" ref, text) VALUES ('aaa', 1, 1, 1, '1', 'R one'),"
		" ('aaa', 2, 1, 2, '2', 'R two');"
		"INSERT INTO scrutiny_action (council, action_id, rec_id,"
		" review_id, position, text, owner) VALUES"
		" ('aaa', 1, 1, 1, 1, 'Do one', 'Head of Service'),"
		" ('aaa', 2, 2, 1, 1, 'Do two', 'Head of Service');"
		"INSERT INTO scrutiny_update (council, update_id, action_id,"
		" review_id, on_date, status, narrative, user_id, author,"
		" created_at) VALUES ('aaa', 1, 1, 1, '2024-04-01', 'in-progress',"
		" 'x', 5, 'Ana Lyst', 't');");
	const struct actor *cl = as("aaa", 6, ROLE_COUNCILLOR, NOW);
	assert_int_equal(scrutiny_comment_add(conn, cl, "Cal Member", 1, 1,
					      "A question.", NULL, NULL),
			 ERR_OK);
	assert_int_equal(stored("user_id = 3 AND kind = 'comment'"
				" AND subject = 'scrutiny_review'"
				" AND subject_id = 1"), 1);
	assert_int_equal(stored("user_id = 5 AND kind = 'comment'"), 1);
	assert_int_equal(stored("user_id = 6"), 0);
	/* on recommendation 2: only the review's maker */
	assert_int_equal(scrutiny_comment_add(conn, cl, "Cal Member", 1, 2,
					      "Another.", NULL, NULL),
			 ERR_OK);
	assert_int_equal(stored("user_id = 3"), 2);
	assert_int_equal(stored("user_id = 5"), 1);
	/* the analyst commenting is not told of their own comment */
	const struct actor *an = as("aaa", 5, ROLE_ANALYST, NOW);
	assert_int_equal(scrutiny_comment_add(conn, an, "Ana Lyst", 1, 0,
					      "Noted.", NULL, NULL),
			 ERR_OK);
	assert_int_equal(stored("user_id = 5"), 1);
	assert_int_equal(stored("user_id = 3"), 3);
	struct notification *v;
	const struct actor *tm = as("aaa", 3, ROLE_TEAM_MANAGER, NOW);
	assert_int_equal(list(tm, false, &v), 3);
	assert_string_equal(v[0].text, "New comment on a scrutiny review you "
				       "keep actions for");
	assert_string_equal(v[0].href, "/scrutiny/reviews/1");
}

/* ---- the front door's overdue contacts --------------------------------- */

static void overdue_contacts_are_worked_out(void **state)
{
	(void)state;
	/* received Tuesday 09:00: due Wednesday 09:00; now Thursday */
	const struct actor *fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	int64_t late = record(fd, 2, "2024-04-30T09:00");
	int64_t fresh = record(fd, 2, "2024-05-02T09:30");
	(void)fresh;
	fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	assert_int_equal(count(fd), 1);
	struct notification *v;
	assert_int_equal(list(fd, false, &v), 1);
	assert_string_equal(v[0].kind, "contact_overdue");
	assert_int_equal(v[0].notification_id, 0);
	assert_int_equal(v[0].subject_id, late);
	assert_string_equal(v[0].text, "A contact in your queue is overdue for "
				       "a decision");
	/* the due time (Wednesday 09:00 in England, BST) as a UTC stamp */
	assert_string_equal(v[0].at, "2024-05-01T08:00:00Z");
	assert_int_equal(stored("1 = 1"), 0); /* worked out, not stored */
	/* the front door of another team, a worker, and another council's
	 * front door are not told (the contact has no team: every front
	 * door officer of the council is) */
	const struct actor *fd4 = as("aaa", 4, ROLE_FRONT_DOOR, NOW);
	assert_int_equal(count(fd4), 1);
	testdb_exec(path, "UPDATE due_item SET team_id = 1");
	assert_int_equal(count(fd4), 0);
	testdb_exec(path, "UPDATE due_item SET team_id = NULL");
	assert_int_equal(count(as("aaa", 2, ROLE_SOCIAL_WORKER, NOW)), 0);
	assert_int_equal(count(as("bbb", 7, ROLE_FRONT_DOOR, NOW)), 0);
	/* a worker cannot mark it; another council's officer neither */
	assert_int_equal(notify_mark_overdue_read(conn, as("aaa", 2,
					ROLE_SOCIAL_WORKER, NOW), late),
			 ERR_NOTFOUND);
	assert_int_equal(notify_mark_overdue_read(conn, as("bbb", 7,
					ROLE_FRONT_DOOR, NOW), late),
			 ERR_NOTFOUND);
	assert_int_equal(stored("1 = 1"), 0);
	/* marked read: stored, read, and no longer counted */
	fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW + 600);
	assert_int_equal(notify_mark_overdue_read(conn, fd, late), ERR_OK);
	assert_int_equal(count(fd), 0);
	assert_int_equal(stored("user_id = 1 AND read_at IS NOT NULL"), 1);
	assert_int_equal(list(fd, false, &v), 1);
	assert_true(v[0].read);
	assert_true(v[0].notification_id > 0);
	assert_string_equal(v[0].at, "2024-05-01T08:00:00Z");
	assert_int_equal(list(fd, true, &v), 0);
	/* again: nothing more */
	assert_int_equal(notify_mark_overdue_read(conn, fd, late), ERR_OK);
	assert_int_equal(stored("1 = 1"), 1);
	/* the other officer still has it; decided, it drops out */
	fd4 = as("aaa", 4, ROLE_FRONT_DOOR, NOW);
	assert_int_equal(count(fd4), 1);
	decide(as("aaa", 1, ROLE_FRONT_DOOR, NOW), late, "nfa");
	assert_int_equal(count(as("aaa", 4, ROLE_FRONT_DOOR, NOW)), 0);
}

/* ---- marking read ------------------------------------------------------ */

/* n notifications for user_id of council, made by user 3. */
static void add_n(const char *council, int64_t user_id, int n, int64_t now)
{
	const struct actor *tm = as(council, 3, ROLE_TEAM_MANAGER, now);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	for (int i = 0; i < n; i++)
		assert_int_equal(notify_add(conn, tm, user_id, NOTIFY_ALLOCATED,
					    "referral", 100 + i, NULL, 1),
				 ERR_OK);
	assert_int_equal(db_commit(conn), DB_OK);
}

static void mark_read_is_the_users_own(void **state)
{
	(void)state;
	add_n("aaa", 2, 2, NOW);
	add_n("bbb", 2, 1, NOW);
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	assert_int_equal(count(sw), 2);
	struct notification *v;
	assert_int_equal(list(sw, false, &v), 2);
	int64_t id = v[0].notification_id;
	/* another council's user with the same user id sees only theirs */
	const struct actor *bsw = as("bbb", 2, ROLE_SOCIAL_WORKER, NOW);
	assert_int_equal(count(bsw), 1);
	assert_int_equal(list(bsw, false, &v), 1);
	int64_t bid = v[0].notification_id;
	/* not theirs: not found, nothing changed, nothing audited */
	int64_t audits = testdb_count(path, "SELECT count(*) FROM audit");
	assert_int_equal(notify_mark_read(conn, as("aaa", 3, ROLE_TEAM_MANAGER,
						   NOW), id), ERR_NOTFOUND);
	if (bid != id)
		assert_int_equal(notify_mark_read(conn, bsw, id), ERR_NOTFOUND);
	assert_int_equal(notify_mark_read(conn, sw, 999999), ERR_NOTFOUND);
	assert_int_equal(stored("read_at IS NOT NULL"), 0);
	assert_int_equal(testdb_count(path, "SELECT count(*) FROM audit"),
			 audits);
	/* theirs: read, counted down, audited */
	sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW + 60);
	assert_int_equal(notify_mark_read(conn, sw, id), ERR_OK);
	assert_int_equal(count(sw), 1);
	assert_int_equal(count(as("bbb", 2, ROLE_SOCIAL_WORKER, NOW)), 1);
	assert_int_equal(testdb_count(path, "SELECT count(*) FROM audit"),
			 audits + 1);
	assert_int_equal(testdb_count(path, "SELECT count(*) FROM audit"
					    " WHERE seq = (SELECT max(seq)"
					    " FROM audit WHERE council = 'aaa')"
					    " AND council = 'aaa'"
					    " AND action = 'mark-read'"
					    " AND entity = 'notification'"
					    " AND child_id IS NULL"),
			 1);
	/* again: still read, at the first time */
	sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW + 120);
	assert_int_equal(notify_mark_read(conn, sw, id), ERR_OK);
	assert_int_equal(stored("read_at = '2024-05-02T09:01:00Z'"), 1);
	/* unread first, and the filter */
	assert_int_equal(list(sw, false, &v), 2);
	assert_false(v[0].read);
	assert_true(v[1].read);
	assert_int_equal(list(sw, true, &v), 1);
	assert_false(v[0].read);
}

static void mark_all_read(void **state)
{
	(void)state;
	add_n("aaa", 1, 3, NOW);
	add_n("aaa", 2, 1, NOW);
	const struct actor *fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	record(fd, 2, "2024-04-30T09:00"); /* overdue */
	fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	assert_int_equal(count(fd), 4);
	int64_t n = 0;
	assert_int_equal(notify_mark_all_read(conn, fd, &n), ERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(count(fd), 0);
	assert_int_equal(stored("user_id = 1 AND read_at IS NOT NULL"), 4);
	/* the worker's are theirs */
	assert_int_equal(count(as("aaa", 2, ROLE_SOCIAL_WORKER, NOW)), 1);
	/* with nothing unread: nothing */
	fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	assert_int_equal(notify_mark_all_read(conn, fd, &n), ERR_OK);
	assert_int_equal(n, 0);
}

static void paged_newest_first(void **state)
{
	(void)state;
	for (int i = 0; i < 30; i++)
		add_n("aaa", 2, 1, NOW + i * 60);
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW + 3600);
	struct notification *v;
	int n;
	bool more;
	assert_int_equal(notify_list(conn, sw, false, 0, NOTIFY_PAGE, arena,
				     &v, &n, &more), ERR_OK);
	assert_int_equal(n, NOTIFY_PAGE);
	assert_true(more);
	assert_true(strcmp(v[0].at, v[1].at) > 0);
	assert_int_equal(v[0].subject_id, 100); /* add_n's, the newest */
	assert_int_equal(notify_list(conn, sw, false, NOTIFY_PAGE, NOTIFY_PAGE,
				     arena, &v, &n, &more), ERR_OK);
	assert_int_equal(n, 5);
	assert_false(more);
	assert_string_equal(v[4].at, "2024-05-02T09:00:00Z");
}

/* ---- no personal data --------------------------------------------------- */

static void no_child_name_in_a_row_or_the_words(void **state)
{
	(void)state;
	/* child 1 is "Oliverzq Webblyx": recorded by a worker, decided and
	 * allocated by others, so the worker has two notifications */
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	int64_t k = record(sw, 1, "2024-05-02T09:30");
	const struct actor *fd = as("aaa", 1, ROLE_FRONT_DOOR, NOW);
	int64_t ref = decide(fd, k, "referral");
	const struct actor *tm = as("aaa", 3, ROLE_TEAM_MANAGER, NOW);
	assert_int_equal(referral_allocate(conn, tm, ref, 1, 2, NULL), ERR_OK);
	assert_int_equal(stored("child_id = 1"), 2);
	/* every column of every row, as text */
	assert_int_equal(testdb_count(path,
		"SELECT count(*) FROM (SELECT kind || subject || subject_id ||"
		" COALESCE(detail, '') || COALESCE(CAST(child_id AS TEXT), '')"
		" || created_at || COALESCE(read_at, '') AS t FROM notification)"
		" AS s"
		" WHERE t LIKE '%Oliverzq%' OR t LIKE '%Webblyx%'"),
		0);
	sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	struct notification *v;
	assert_int_equal(list(sw, false, &v), 2);
	for (int i = 0; i < 2; i++) {
		assert_null(strstr(v[i].text, "Oliverzq"));
		assert_null(strstr(v[i].text, "Webblyx"));
		assert_null(strstr(v[i].href, "Oliverzq"));
	}
	/* and the words of every kind, whatever the detail */
	char buf[200];
	for (int kind = 0; kind < NOTIFY__MAX; kind++) {
		const char *w = notify_words(notify_kind_id(kind), "Oliverzq",
					     buf, sizeof(buf));
		assert_non_null(w);
		assert_null(strstr(w, "Oliverzq"));
	}
}

static void words_and_links(void **state)
{
	(void)state;
	char buf[200];
	assert_string_equal(notify_words("allocated", NULL, buf, sizeof(buf)),
			    "A referral was allocated to you");
	assert_string_equal(notify_words("decided", "bogus", buf, sizeof(buf)),
			    "A contact you recorded was decided");
	assert_string_equal(notify_words("nonsense", NULL, buf, sizeof(buf)),
			    "Something needs your attention");
	assert_string_equal(notify_href("referral", 12, buf, sizeof(buf)),
			    "/referrals/12");
	assert_string_equal(notify_href("scrutiny_review", 3, buf, sizeof(buf)),
			    "/scrutiny/reviews/3");
	assert_string_equal(notify_href("child", 3, buf, sizeof(buf)), "");
	enum notify_kind k;
	assert_true(notify_kind_parse("contact_overdue", &k));
	assert_int_equal(k, NOTIFY_CONTACT_OVERDUE);
	assert_false(notify_kind_parse("Allocated", &k));
	assert_null(notify_kind_id(NOTIFY__MAX));
	/* outside a transaction the hooks refuse */
	const struct actor *tm = as("aaa", 3, ROLE_TEAM_MANAGER, NOW);
	assert_int_equal(notify_allocated(conn, tm, 2, 1, 1), ERR_NOTX);
	/* a role that makes none may not add one */
	const struct actor *sw = as("aaa", 2, ROLE_SOCIAL_WORKER, NOW);
	assert_int_equal(db_begin(conn, DB_TX_WRITE), DB_OK);
	assert_int_equal(notify_allocated(conn, sw, 3, 1, 1), ERR_DENIED);
	db_rollback(conn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(allocation_tells_the_worker, clean),
		cmocka_unit_test_setup(decision_tells_who_recorded, clean),
		cmocka_unit_test_setup(comment_tells_who_keeps_the_actions,
				       clean),
		cmocka_unit_test_setup(overdue_contacts_are_worked_out, clean),
		cmocka_unit_test_setup(mark_read_is_the_users_own, clean),
		cmocka_unit_test_setup(mark_all_read, clean),
		cmocka_unit_test_setup(paged_newest_first, clean),
		cmocka_unit_test_setup(no_child_name_in_a_row_or_the_words,
				       clean),
		cmocka_unit_test_setup(words_and_links, clean),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
