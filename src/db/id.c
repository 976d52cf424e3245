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
 */
#include "db/db.h"

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

int db_next_ids(struct db_conn *c, const char *council, const char *kind,
		int64_t n, int64_t *first)
{
	if (!db_in_tx(c) || council == NULL || kind == NULL || n < 1)
		return DB_EIO;
	struct db_q *q;
	int rc = db_exec(c, &st_next_ids, &q, council, kind, n);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_EIO;
	int64_t v = db_col_i64(q, 0);
	db_done(q);
	*first = v;
	return DB_OK;
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
#define NKINDS 17
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
};

int db_ids_sync(struct db_conn *c, const char *council)
{
	if (!db_in_tx(c) || council == NULL)
		return DB_EIO;
	for (int i = 0; i < NKINDS; i++) {
		int rc = db_exec(c, &st_sync[i], NULL, council);
		if (rc < 0)
			return rc;
	}
	return DB_OK;
}
