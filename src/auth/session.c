/* session.c: see session.h. */
#include "auth/session.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

#define SESSION_ROLES (DB_ROLE_AUTH | DB_ROLE_SYSTEM)

DB_STMT(st_session_ins) = {
	"session_ins",
	"INSERT INTO session (council, token_hash, user_id, csrf,"
	" created_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
	SESSION_ROLES,
};
DB_STMT(st_session_get) = {
	"session_get",
	"SELECT s.council, s.user_id, s.csrf, s.created_at, s.seen_at"
	" FROM session s JOIN app_user u"
	"  ON u.council = s.council AND u.user_id = s.user_id"
	" WHERE s.token_hash = ?1 AND u.disabled = 0",
	SESSION_ROLES,
};
DB_STMT(st_session_touch) = {
	"session_touch",
	"UPDATE session SET seen_at = ?2 WHERE token_hash = ?1",
	SESSION_ROLES,
};
DB_STMT(st_session_del) = {
	"session_del", "DELETE FROM session WHERE token_hash = ?1",
	SESSION_ROLES,
};
DB_STMT(st_session_purge) = {
	"session_purge",
	"DELETE FROM session WHERE seen_at <= ?1 OR created_at <= ?2",
	SESSION_ROLES,
};

/* Steps a statement to its end so it holds no read snapshot open. */
static void q_finish(struct db_q *q)
{
	while (db_step(q) == DB_ROW)
		;
}

static bool copy_text(char *dst, size_t size, const char *src)
{
	if (src == NULL)
		return false;
	size_t n = strnlen(src, size);
	if (n == size)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

int session_create(struct db_conn *c, const char *council, int64_t user_id,
		   int64_t now, char token_out[TOKEN_LEN + 1],
		   char csrf_out[TOKEN_LEN + 1])
{
	struct session s;
	char tok[TOKEN_LEN + 1];
	char hash[TOKEN_HASH_LEN + 1];
	token_out[0] = '\0';
	csrf_out[0] = '\0';
	if (!copy_text(s.council, sizeof(s.council), council))
		return DB_ECONSTRAINT;
	token_new(tok);
	token_new(s.csrf);
	token_hash(tok, hash);
	int rc = db_exec(c, &st_session_ins, NULL, council, hash,
			user_id, s.csrf, now);
	if (rc < 0)
		return rc;
	memcpy(token_out, tok, sizeof(tok));
	memcpy(csrf_out, s.csrf, sizeof(s.csrf));
	return 0;
}

int session_lookup(struct db_conn *c, const char *token, int64_t now,
		   int idle_seconds, int absolute_seconds, struct session *out)
{
	return session_lookup_ex(c, token, now, idle_seconds, absolute_seconds,
				 out, NULL);
}

int session_lookup_ex(struct db_conn *c, const char *token, int64_t now,
		      int idle_seconds, int absolute_seconds,
		      struct session *out, struct session *expired)
{
	if (token == NULL || !token_shape_ok(token, strnlen(token, TOKEN_LEN + 1)))
		return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);

	struct db_q *q;
	struct session s;
	int rc = db_exec(c, &st_session_get, &q, hash);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return 0;
	bool ok = copy_text(s.council, sizeof(s.council), db_col_text(q, 0)) &&
		  copy_text(s.csrf, sizeof(s.csrf), db_col_text(q, 2));
	s.user_id = db_col_i64(q, 1);
	s.created_at = db_col_i64(q, 3);
	s.seen_at = db_col_i64(q, 4);
	q_finish(q);
	if (!ok) {
		log_kv(LOG_ERROR, NULL, "session.bad_row", NULL);
		return DB_EIO;
	}

	if (now - s.seen_at >= (int64_t)idle_seconds ||
	    now - s.created_at >= (int64_t)absolute_seconds) {
		rc = db_exec(c, &st_session_del, NULL, hash);
		if (rc < 0)
			log_kv(LOG_WARN, NULL, "session.expire_failed", "error",
			       db_strerror(rc), NULL);
		if (expired)
			*expired = s;
		return 0;
	}
	/* seen_at may lag by up to the refresh interval, which shortens the
	 * idle timeout an active user gets by as much: a quarter of the
	 * timeout at most, so a one-minute timeout is not cut to nothing */
	int64_t refresh = idle_seconds / 4;
	if (refresh > SESSION_REFRESH_SECONDS)
		refresh = SESSION_REFRESH_SECONDS;
	if (now - s.seen_at > refresh) {
		rc = db_exec(c, &st_session_touch, NULL, hash, now);
		if (rc < 0)
			log_kv(LOG_WARN, NULL, "session.refresh_failed",
			       "error", db_strerror(rc), NULL);
		else
			s.seen_at = now;
	}
	*out = s;
	return 1;
}

int session_destroy(struct db_conn *c, const char *token)
{
	if (token == NULL || !token_shape_ok(token, strnlen(token, TOKEN_LEN + 1)))
		return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	int rc = db_exec(c, &st_session_del, NULL, hash);
	return rc < 0 ? rc : 0;
}

int session_purge(struct db_conn *c, int64_t now, int idle_seconds,
		  int absolute_seconds)
{
	int rc = db_exec(c, &st_session_purge, NULL,
			(int64_t)(now - (int64_t)idle_seconds),
			(int64_t)(now - (int64_t)absolute_seconds));
	if (rc < 0)
		return rc;
	int64_t n = db_changes(c);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
