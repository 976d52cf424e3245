/*
 * id.c: per-council record ids from the id_counter table (db.h,
 * docs/decisions.md D25).
 *
 * One statement, valid on SQLite 3.40 and PostgreSQL 15, takes the next
 * ids: an upsert that creates the counter at its first use (a council
 * made later needs no setup) and otherwise adds to it, returning the
 * first id taken.  On PostgreSQL the upsert locks the counter's row until
 * the caller's transaction ends, so two writers can never be handed the
 * same id; the old `SELECT COALESCE(MAX(id), 0) + 1` was correct only
 * because SQLite has one writer.
 *
 * One upsert a transaction per counter.  Because the first take locks
 * the row (and on SQLite the transaction holds the only write lock), the
 * transaction's later takes of the same (council, kind) are counted in
 * the connection (struct db_id_cache) and the counter is written once,
 * just before the commit (db__ids_flush, called by db_commit).  A
 * rollback forgets them, as it forgets the row.  Besides saving a
 * statement an id, this matters on PostgreSQL: every UPDATE of one row in
 * one transaction adds a row version that cannot be pruned until the
 * transaction ends, and each later update walks that chain, so a
 * transaction taking 200,000 chronology ids one at a time (the demo)
 * spent minutes in the server (issue 10 §6).
 */
#include "db/db_int.h"

#include <string.h>

/* Writers of every role take ids; the counter itself holds no personal
 * data, and the insert that uses the id has its own allow-list. */
DB_STMT(st_next_ids) = {
	"db_next_id",
	"INSERT INTO id_counter (council, kind, next) VALUES (?1, ?2, ?3 + 1)"
	" ON CONFLICT (council, kind) DO UPDATE"
	" SET next = id_counter.next + ?3"
	" RETURNING next - ?3",
	DB_ROLES_ALL & ~DB_ROLE_AUTH,
};

/* The write-back of a counter the transaction holds (db__ids_flush). */
DB_STMT(st_ids_flush) = {
	"db_ids_flush",
	"UPDATE id_counter SET next = ?3 WHERE council = ?1 AND kind = ?2",
	DB_ROLES_ALL & ~DB_ROLE_AUTH,
};

static struct db_id_cache *cached(struct db_conn *c, const char *council,
				  const char *kind)
{
	for (int i = 0; i < c->nids; i++)
		if (strcmp(c->ids[i].kind, kind) == 0 &&
		    strcmp(c->ids[i].council, council) == 0)
			return &c->ids[i];
	return NULL;
}

int db_next_ids(struct db_conn *c, const char *council, const char *kind,
		int64_t n, int64_t *first)
{
	if (!db_in_tx(c) || council == NULL || kind == NULL || n < 1)
		return DB_EIO;
	struct db_id_cache *e = cached(c, council, kind);
	/* A cached take is still a run of st_next_ids: the same roles. */
	if (e != NULL && (st_next_ids.roles & c->role) == 0)
		e = NULL; /* db_exec refuses it, and logs why */
	if (e != NULL) {
		*first = e->next;
		e->next += n;
		return DB_OK;
	}
	struct db_q *q;
	int rc = db_exec(c, &st_next_ids, &q, council, kind, n);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_EIO;
	int64_t v = db_col_i64(q, 0);
	db_done(q);
	*first = v;
	/* Remember the counter when it fits; one that does not is simply
	 * taken by the upsert each time. */
	if (c->nids < DB_ID_CACHE && strlen(council) < sizeof(e->council) &&
	    strlen(kind) < sizeof(e->kind)) {
		e = &c->ids[c->nids++];
		memcpy(e->council, council, strlen(council) + 1);
		memcpy(e->kind, kind, strlen(kind) + 1);
		e->next = e->store = v + n;
	}
	return DB_OK;
}

int db__ids_flush(struct db_conn *c)
{
	for (int i = 0; i < c->nids; i++) {
		struct db_id_cache *e = &c->ids[i];
		if (e->next == e->store)
			continue;
		int rc = db_exec(c, &st_ids_flush, NULL, e->council, e->kind,
				 e->next);
		if (rc < 0)
			return rc;
		e->store = e->next;
	}
	return DB_OK;
}

void db__ids_forget(struct db_conn *c)
{
	c->nids = 0;
}

int db_next_id(struct db_conn *c, const char *council, const char *kind,
	       int64_t *out)
{
	return db_next_ids(c, council, kind, 1, out);
}

/* The kinds whose ids come from id_counter: each is its table's name,
 * with the column that holds the id.  Migration 6 seeded the same list
 * (schema.c); db_ids_sync raises each counter past what its table holds. */
#define SYNC(kind, col)                                                     \
	{"db_id_sync_" kind,                                                \
	 "INSERT INTO id_counter (council, kind, next)"                     \
	 " SELECT ?1, '" kind "', COALESCE(MAX(" col "), 0) + 1 FROM " kind \
	 " WHERE council = ?1"                                              \
	 " ON CONFLICT (council, kind) DO UPDATE SET next ="                \
	 " CASE WHEN excluded.next > id_counter.next THEN excluded.next"    \
	 " ELSE id_counter.next END",                                       \
	 DB_ROLE_SYSTEM}
#define NKINDS 39
DB_STMTS(st_sync, NKINDS) = {
	SYNC("app_user", "user_id"),
	SYNC("api_token", "token_id"),
	SYNC("child", "child_id"),
	SYNC("child_history", "seq"),
	SYNC("address", "address_id"),
	SYNC("network_member", "member_id"),
	SYNC("flag", "flag_id"),
	SYNC("contact", "contact_id"),
	SYNC("referral", "referral_id"),
	SYNC("scrutiny_review", "review_id"),
	SYNC("scrutiny_rec", "rec_id"),
	SYNC("scrutiny_action", "action_id"),
	SYNC("scrutiny_update", "update_id"),
	SYNC("scrutiny_comment", "comment_id"),
	SYNC("assessment", "assessment_id"),
	SYNC("chronology", "entry_id"),
	SYNC("notification", "notification_id"),
	SYNC("assessment_seen", "seen_id"),
	SYNC("visit", "visit_id"),
	SYNC("case_note", "note_id"),
	SYNC("child_voice", "voice_id"),
	SYNC("episode", "episode_id"),
	SYNC("episode_allocation", "allocation_id"),
	SYNC("episode_member", "member_id"),
	SYNC("episode_plan_outcome", "outcome_id"),
	SYNC("episode_plan_action", "action_id"),
	SYNC("episode_review", "review_id"),
	SYNC("cp_strategy", "strategy_id"),
	SYNC("cp_participant", "participant_id"),
	SYNC("cp_s47", "s47_id"),
	SYNC("cp_conference", "conference_id"),
	SYNC("cp_attendee", "attendee_id"),
	SYNC("cp_plan", "plan_id"),
	SYNC("cp_core_group", "meeting_id"),
	SYNC("service_entry", "service_id"),
	SYNC("episode_consultation", "consultation_id"),
	SYNC("transition_plan", "transition_id"),
	SYNC("family_person", "person_id"),
	SYNC("family_factor", "factor_id"),
};

int db_ids_sync(struct db_conn *c, const char *council)
{
	if (!db_in_tx(c) || council == NULL)
		return DB_EIO;
	/* The counters this transaction holds are written first, so the
	 * raise below compares with what was handed out. */
	int frc = db__ids_flush(c);
	if (frc < 0)
		return frc;
	db__ids_forget(c);
	for (int i = 0; i < NKINDS; i++) {
		int rc = db_exec(c, &st_sync[i], NULL, council);
		if (rc < 0)
			return rc;
	}
	return DB_OK;
}
