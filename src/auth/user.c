/* user.c: see user.h. */
#include "auth/user.h"
#include "rules/uktime.h"
#include "auth/password.h"
#include "core/log.h"
#include "core/str.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define AUTH_ROLES (DB_ROLE_AUTH | DB_ROLE_SYSTEM)
#define ADMIN_ROLES (RB_ADMIN | DB_ROLE_SYSTEM)

/* Columns decoded by user_from_row, in order. */
#define USER_COLS                                                      \
	"u.council, u.user_id, u.username, u.display_name, u.role,"    \
	" u.org_id, u.team_id, u.disabled"
#define USER_NCOLS 8

DB_STMT(st_user_get) = {
	"user_get",
	"SELECT " USER_COLS " FROM app_user u"
	" WHERE u.council = ?1 AND u.user_id = ?2",
	AUTH_ROLES | RB_ADMIN,
};
/* A username is unique within its council (schema 4, D26).  Looked up
 * without a council, it may name users of several: the "_any" forms read
 * up to two rows so the caller can tell. */
DB_STMT(st_user_find) = {
	"user_find",
	"SELECT " USER_COLS " FROM app_user u"
	" WHERE u.council = ?1 AND u.username = ?2",
	AUTH_ROLES | RB_ADMIN,
};
DB_STMT(st_user_find_any) = {
	"user_find_any",
	"SELECT " USER_COLS " FROM app_user u WHERE u.username = ?1 LIMIT 2",
	AUTH_ROLES | RB_ADMIN,
};
DB_STMT(st_user_auth) = {
	"user_auth",
	"SELECT " USER_COLS ", u.pw_hash FROM app_user u"
	" WHERE u.council = ?1 AND u.username = ?2",
	AUTH_ROLES,
};
DB_STMT(st_user_auth_any) = {
	"user_auth_any",
	"SELECT " USER_COLS ", u.pw_hash FROM app_user u"
	" WHERE u.username = ?1 LIMIT 2",
	AUTH_ROLES,
};
DB_STMT(st_user_rehash) = {
	"user_rehash",
	"UPDATE app_user SET pw_hash = ?3"
	" WHERE council = ?1 AND user_id = ?2 AND pw_hash = ?4",
	AUTH_ROLES,
};
DB_STMT(st_user_list) = {
	"user_list",
	"SELECT " USER_COLS " FROM app_user u WHERE u.council = ?1"
	" ORDER BY u.user_id",
	ADMIN_ROLES,
};
DB_STMT(st_user_council_exists) = {
	"user_council_exists",
	"SELECT 1 FROM council WHERE council = ?1",
	ADMIN_ROLES,
};
DB_STMT(st_user_org_exists) = {
	"user_org_exists",
	"SELECT 1 FROM organisation WHERE council = ?1 AND org_id = ?2",
	ADMIN_ROLES,
};
DB_STMT(st_user_team_exists) = {
	"user_team_exists",
	"SELECT 1 FROM team WHERE council = ?1 AND team_id = ?2",
	ADMIN_ROLES,
};
DB_STMT(st_user_name_taken) = {
	"user_name_taken",
	"SELECT 1 FROM app_user WHERE council = ?1 AND username = ?2",
	ADMIN_ROLES,
};
DB_STMT(st_user_ins) = {
	"user_ins",
	"INSERT INTO app_user (council, user_id, username, display_name,"
	" role, org_id, team_id, pw_hash, disabled, created_at)"
	" VALUES (?1, ?9, ?2, ?3, ?4, NULLIF(?5, 0), NULLIF(?6, 0), ?7, 0, ?8)",
	ADMIN_ROLES,
};
DB_STMT(st_user_disable) = {
	"user_disable",
	"UPDATE app_user SET disabled = ?3"
	" WHERE council = ?1 AND username = ?2",
	ADMIN_ROLES,
};
DB_STMT(st_user_sessions_del) = {
	"user_sessions_del",
	"DELETE FROM session WHERE council = ?1 AND user_id IN"
	" (SELECT user_id FROM app_user WHERE council = ?1 AND username = ?2)",
	ADMIN_ROLES,
};
DB_STMT(st_user_tokens_revoke) = {
	"user_tokens_revoke",
	"UPDATE api_token SET revoked_at = ?3"
	" WHERE council = ?1 AND revoked_at IS NULL AND user_id IN"
	" (SELECT user_id FROM app_user WHERE council = ?1 AND username = ?2)",
	ADMIN_ROLES,
};
DB_STMT(st_user_set_pw) = {
	"user_set_pw",
	"UPDATE app_user SET pw_hash = ?3"
	" WHERE council = ?1 AND username = ?2",
	ADMIN_ROLES,
};
DB_STMT(st_apitoken_ins) = {
	"apitoken_ins",
	"INSERT INTO api_token (council, token_id, user_id, token_hash,"
	" created_at, expires_at)"
	" SELECT u.council, ?6,"
	"  u.user_id, CAST(?3 AS TEXT), CAST(?4 AS TEXT), CAST(?5 AS TEXT)"
	" FROM app_user u"
	" WHERE u.council = ?1 AND u.user_id = ?2 AND u.disabled = 0",
	ADMIN_ROLES,
};
DB_STMT(st_apitoken_get) = {
	"apitoken_get",
	"SELECT " USER_COLS " FROM api_token t JOIN app_user u"
	"  ON u.council = t.council AND u.user_id = t.user_id"
	" WHERE t.token_hash = ?1 AND t.revoked_at IS NULL"
	"  AND t.expires_at > ?2 AND u.disabled = 0",
	AUTH_ROLES,
};
DB_STMT(st_apitoken_revoke) = {
	"apitoken_revoke",
	"UPDATE api_token SET revoked_at = ?3"
	" WHERE council = ?1 AND token_id = ?2 AND revoked_at IS NULL",
	ADMIN_ROLES,
};

static const char *const user_err_names[USER_ERR__MAX] = {
	"ok",                           /* USER_OK */
	"invalid username",             /* USER_ENAME */
	"invalid display name",         /* USER_EDISPLAY */
	"password fails policy",        /* USER_EPASSWORD */
	"invalid role",                 /* USER_EROLE */
	"partner needs an organisation", /* USER_ENEEDORG */
	"organisation not found",       /* USER_ENOORG */
	"team not found",               /* USER_ENOTEAM */
	"council not found",            /* USER_ENOCOUNCIL */
	"username taken",               /* USER_EEXISTS */
	"user not found",               /* USER_ENOTFOUND */
	"no write transaction open",    /* USER_ENOTX */
	"password hashing failed",      /* USER_EHASH */
	"statement not allowed for this role", /* USER_EDENIED */
	"database busy",                /* USER_EBUSY */
	"database error",               /* USER_EDB */
};

/* Human messages for the person at the form, parallel to the codes. */
static const char *const user_err_msgs[USER_ERR__MAX] = {
	"",                                                 /* USER_OK */
	"Username must be 2 to 64 characters, start with a lower-case "
	"letter, and use only lower-case letters, numbers, full stops, "
	"hyphens and underscores",                          /* USER_ENAME */
	"Display name must be 1 to 128 characters on one line", /* USER_EDISPLAY */
	"Enter a password that meets the rules",            /* USER_EPASSWORD */
	"Select a role",                                    /* USER_EROLE */
	"Select the organisation a partner works for",      /* USER_ENEEDORG */
	"Organisation not found",                           /* USER_ENOORG */
	"Team not found",                                   /* USER_ENOTEAM */
	"Council not found",                                /* USER_ENOCOUNCIL */
	"Username is already taken",                        /* USER_EEXISTS */
	"User not found",                                   /* USER_ENOTFOUND */
	"Something went wrong, try again",                  /* USER_ENOTX */
	"Something went wrong, try again",                  /* USER_EHASH */
	"You do not have permission to do that",            /* USER_EDENIED */
	"The system is busy, try again",                    /* USER_EBUSY */
	"Something went wrong, try again",                  /* USER_EDB */
};

const char *user_strerror(int err)
{
	if (err > 0 || -err >= USER_ERR__MAX)
		return "unknown user error";
	return user_err_names[-err];
}

static int from_db(int rc)
{
	switch (rc) {
	case DB_EDENIED: return USER_EDENIED;
	case DB_EBUSY: return USER_EBUSY;
	default: return USER_EDB;
	}
}

/* Returns rc after writing its human message to err. */
static int fail(int rc, char *err, size_t errlen)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s",
			 -rc < USER_ERR__MAX ? user_err_msgs[-rc] : "");
	return rc;
}

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

static bool council_ok(const char *council)
{
	return council != NULL && council[0] != '\0' &&
	       strnlen(council, 16) < 16;
}

/* Decodes USER_COLS starting at column 0.  False for a corrupt row. */
static bool user_from_row(struct db_q *q, struct user *u)
{
	if (!copy_text(u->council, sizeof(u->council), db_col_text(q, 0)) ||
	    !copy_text(u->username, sizeof(u->username), db_col_text(q, 2)) ||
	    !copy_text(u->display_name, sizeof(u->display_name),
		       db_col_text(q, 3)))
		return false;
	const char *role = db_col_text(q, 4);
	if (role == NULL || !role_parse(role, &u->role))
		return false;
	u->user_id = db_col_i64(q, 1);
	u->org_id = db_col_null(q, 5) ? 0 : db_col_i64(q, 5);
	u->team_id = db_col_null(q, 6) ? 0 : db_col_i64(q, 6);
	u->disabled = db_col_i64(q, 7) != 0;
	return true;
}

/* Runs a statement expected to give at most one user row.  1/0/<0. */
/* Runs st, whose parameters are s and then either i (fmt "ti") or s2
 * (fmt "tt") or nothing (fmt "t"), and reads the one user it yields. */
static int load_one(struct db_conn *c, const struct db_stmt *st,
		    struct user *out, const char *fmt, const char *s,
		    int64_t i, const char *s2)
{
	struct db_q *q;
	struct user u;
	int rc = fmt[1] == 'i' ? db_exec(c, st, &q, s, i)
	       : fmt[1] == 't' ? db_exec(c, st, &q, s, s2)
			       : db_exec(c, st, &q, s);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_DONE)
		return 0;
	bool ok = user_from_row(q, &u);
	q_finish(q);
	if (!ok) {
		log_kv(LOG_ERROR, NULL, "user.bad_row", "stmt", st->name, NULL);
		return USER_EDB;
	}
	*out = u;
	return 1;
}

/* 1 when the statement yields a row, 0 when not, <0 user_err.  Its
 * parameters are s and then i (fmt "ti"), s2 (fmt "tt") or nothing. */
static int exists(struct db_conn *c, const struct db_stmt *st,
		  const char *fmt, const char *s, int64_t i, const char *s2)
{
	struct db_q *q;
	int rc = fmt[1] == 'i' ? db_exec(c, st, &q, s, i)
	       : fmt[1] == 't' ? db_exec(c, st, &q, s, s2)
			       : db_exec(c, st, &q, s);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_DONE)
		return 0;
	q_finish(q);
	return 1;
}

/* t (Unix seconds) as 'YYYY-MM-DDTHH:MM:SSZ'. */
static void utc_text(int64_t t, char out[21])
{
	uk_stamp(t, out);
}

/* Account changes carry the time they were made (not an actor's clock:
 * accounts are not case records). */
static void utc_now(char out[21])
{
	uk_stamp(uk_clock_now(), out);
}

/* Opens a write transaction unless the caller has one.  *own says who
 * must finish it. */
static int tx_open(struct db_conn *c, bool *own)
{
	*own = !db_in_tx(c);
	if (!*own)
		return 0;
	int rc = db_begin(c, DB_TX_WRITE);
	return rc < 0 ? from_db(rc) : 0;
}

/* Finishes a transaction opened by tx_open: commit on rc == 0, else
 * roll back.  Returns rc, or the commit's error. */
static int tx_close(struct db_conn *c, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != 0) {
		db_rollback(c);
		return rc;
	}
	int crc = db_commit(c);
	return crc < 0 ? from_db(crc) : 0;
}

bool user_name_ok(const char *username)
{
	if (username == NULL || !(username[0] >= 'a' && username[0] <= 'z'))
		return false;
	size_t n = 0;
	for (const char *p = username; *p; p++, n++) {
		char ch = *p;
		if (n >= USER_NAME_MAX)
			return false;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return n >= 2;
}

static bool display_ok(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strnlen(s, USER_DISPLAY_MAX + 1);
	if (n == 0 || n > USER_DISPLAY_MAX || !str_is_line(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ')
			return true;
	return false;
}

int user_add(struct db_conn *c, const char *council, const char *username,
	     const char *display_name, enum role role, int64_t org_id,
	     int64_t team_id, const char *password, int64_t *user_id_out,
	     char *err, size_t errlen)
{
	char pwmsg[160];
	char hash[PASSWORD_HASH_MAX];
	char now[21];
	int rc;

	if (errlen > 0)
		err[0] = '\0';
	if (!user_name_ok(username))
		return fail(USER_ENAME, err, errlen);
	if (!display_ok(display_name))
		return fail(USER_EDISPLAY, err, errlen);
	if ((unsigned)role >= ROLE__MAX)
		return fail(USER_EROLE, err, errlen);
	if (password && password_policy(password, pwmsg, sizeof(pwmsg)) != 0) {
		if (errlen > 0)
			snprintf(err, errlen, "%s", pwmsg);
		return USER_EPASSWORD;
	}
	if (org_id < 0 || team_id < 0)
		return fail(org_id < 0 ? USER_ENOORG : USER_ENOTEAM, err,
			    errlen);
	if (role == ROLE_PARTNER && org_id == 0)
		return fail(USER_ENEEDORG, err, errlen);
	if (!council_ok(council))
		return fail(USER_ENOCOUNCIL, err, errlen);
	if (!db_in_tx(c))
		return fail(USER_ENOTX, err, errlen);

	if ((rc = exists(c, &st_user_council_exists, "t", council, 0, NULL)) <= 0)
		return fail(rc < 0 ? rc : USER_ENOCOUNCIL, err, errlen);
	if (org_id != 0 &&
	    (rc = exists(c, &st_user_org_exists, "ti", council, org_id, NULL)) <= 0)
		return fail(rc < 0 ? rc : USER_ENOORG, err, errlen);
	if (team_id != 0 &&
	    (rc = exists(c, &st_user_team_exists, "ti", council, team_id, NULL)) <= 0)
		return fail(rc < 0 ? rc : USER_ENOTEAM, err, errlen);
	if ((rc = exists(c, &st_user_name_taken, "tt", council, 0,
			 username)) != 0)
		return fail(rc < 0 ? rc : USER_EEXISTS, err, errlen);

	/* no password: a hash no password matches (PASSWORD_NONE) */
	if (password == NULL)
		snprintf(hash, sizeof(hash), "%s", PASSWORD_NONE);
	else if (password_hash(password, hash) != 0)
		return fail(USER_EHASH, err, errlen);
	utc_now(now);
	int64_t id;
	if ((rc = db_next_id(c, council, "app_user", &id)) < 0) {
		sodium_memzero(hash, sizeof(hash));
		return fail(from_db(rc), err, errlen);
	}
	rc = db_exec(c, &st_user_ins, NULL, council, username,
		    display_name, role_id(role), org_id, team_id, hash, now, id);
	sodium_memzero(hash, sizeof(hash));
	if (rc == DB_ECONSTRAINT)
		return fail(USER_EEXISTS, err, errlen);
	if (rc < 0)
		return fail(from_db(rc), err, errlen);
	if (user_id_out != NULL)
		*user_id_out = id;
	return 0;
}

int user_get(struct db_conn *c, const char *council, int64_t user_id,
	     struct user *out)
{
	if (!council_ok(council))
		return 0;
	return load_one(c, &st_user_get, out, "ti", council, user_id, NULL);
}

int user_find(struct db_conn *c, const char *council, const char *username,
	      struct user *out)
{
	if (!user_name_ok(username))
		return 0;
	if (council != NULL)
		return council_ok(council)
			       ? load_one(c, &st_user_find, out, "tt", council,
					  0, username)
			       : 0;
	struct db_q *q;
	struct user u;
	int rc = db_exec(c, &st_user_find_any, &q, username);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_DONE)
		return 0;
	bool ok = user_from_row(q, &u);
	rc = db_step(q);
	q_finish(q);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_ROW)
		return 2; /* more than one council has it */
	if (!ok) {
		log_kv(LOG_ERROR, NULL, "user.bad_row", "stmt",
		       st_user_find_any.name, NULL);
		return USER_EDB;
	}
	*out = u;
	return 1;
}

static void rehash(struct db_conn *c, const struct user *u, const char *old,
		   const char *password)
{
	char hash[PASSWORD_HASH_MAX];
	if (db_in_tx(c))
		return; /* contract: skipped until the next sign-in */
	if (password_hash(password, hash) != 0) {
		log_kv(LOG_WARN, NULL, "user.rehash_failed", "error",
		       "hash", NULL);
		return;
	}
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc == DB_OK) {
		rc = db_exec(c, &st_user_rehash, NULL, u->council,
			    u->user_id, hash, old);
		rc = rc < 0 ? rc : db_commit(c);
		if (rc < 0)
			db_rollback(c);
	}
	if (rc < 0)
		log_kv(LOG_WARN, NULL, "user.rehash_failed", "error",
		       db_strerror(rc), "detail", db_errmsg(c), NULL);
}

int user_authenticate(struct db_conn *c, const char *council,
		      const char *username, const char *password,
		      struct user *out)
{
	struct db_q *q;
	struct user u;
	char stored[PASSWORD_HASH_MAX];

	if (!user_name_ok(username) || (council != NULL && !council_ok(council))) {
		password_verify_dummy(password);
		return 0;
	}
	int rc = council ? db_exec(c, &st_user_auth, &q, council, username)
			 : db_exec(c, &st_user_auth_any, &q, username);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_DONE) {
		password_verify_dummy(password);
		return 0;
	}
	bool ok = user_from_row(q, &u) &&
		  copy_text(stored, sizeof(stored), db_col_text(q, USER_NCOLS));
	/* without a council, a username that more than one council has
	 * names nobody: the same answer, at the same cost, as an unknown
	 * one, so the form does not tell which names are shared */
	rc = db_step(q);
	q_finish(q);
	if (rc < 0)
		return from_db(rc);
	if (rc == DB_ROW) {
		password_verify_dummy(password);
		return 0;
	}
	if (!ok) {
		log_kv(LOG_ERROR, NULL, "user.bad_row", "stmt",
		       st_user_auth.name, NULL);
		return USER_EDB;
	}
	/* verify before looking at `disabled`, so a disabled account
	 * costs the same as any other */
	if (!password_verify(stored, password) || u.disabled)
		return 0;
	if (password_needs_rehash(stored))
		rehash(c, &u, stored, password);
	*out = u;
	return 1;
}

int user_list(struct db_conn *c, const char *council,
	      int (*cb)(const struct user *u, void *arg), void *arg)
{
	struct db_q *q;
	struct user u;
	if (!council_ok(council))
		return 0;
	int rc = db_exec(c, &st_user_list, &q, council);
	while (rc == DB_ROW) {
		if (!user_from_row(q, &u)) {
			q_finish(q);
			log_kv(LOG_ERROR, NULL, "user.bad_row", "stmt",
			       st_user_list.name, NULL);
			return USER_EDB;
		}
		int r = cb(&u, arg);
		if (r != 0) {
			q_finish(q);
			return r;
		}
		rc = db_step(q);
	}
	return rc < 0 ? from_db(rc) : 0;
}

/* Ends the user's sessions and revokes their API tokens, in the
 * caller's transaction.  Returns 0 or a negative user_err. */
static int end_access(struct db_conn *c, const char *council,
		      const char *username)
{
	char now[21];
	utc_now(now);
	int rc;
	if ((rc = db_exec(c, &st_user_sessions_del, NULL, council,
			 username)) < 0 ||
	    (rc = db_exec(c, &st_user_tokens_revoke, NULL, council,
			 username, now)) < 0)
		return from_db(rc);
	return 0;
}

int user_set_disabled(struct db_conn *c, const char *council,
		      const char *username, bool disabled)
{
	bool own;
	if (!council_ok(council) || !user_name_ok(username))
		return USER_ENOTFOUND;
	int rc = tx_open(c, &own);
	if (rc != 0)
		return rc;
	rc = db_exec(c, &st_user_disable, NULL, council, username,
		    (int64_t)((disabled ? 1 : 0)));
	if (rc < 0) {
		rc = from_db(rc);
		goto out_tx;
	}
	if (db_changes(c) == 0) {
		rc = USER_ENOTFOUND;
		goto out_tx;
	}
	rc = disabled ? end_access(c, council, username) : 0;
out_tx:
	return tx_close(c, own, rc);
}

int user_set_password(struct db_conn *c, const char *council,
		      const char *username, const char *password, char *err,
		      size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	bool own;
	if (errlen > 0)
		err[0] = '\0';
	if (password_policy(password, err, errlen) != 0)
		return USER_EPASSWORD;
	if (!council_ok(council) || !user_name_ok(username))
		return fail(USER_ENOTFOUND, err, errlen);
	if (password_hash(password, hash) != 0)
		return fail(USER_EHASH, err, errlen);
	int rc = tx_open(c, &own);
	if (rc != 0)
		return fail(rc, err, errlen);
	rc = db_exec(c, &st_user_set_pw, NULL, council, username, hash);
	if (rc < 0) {
		rc = from_db(rc);
		goto out_tx;
	}
	if (db_changes(c) == 0) {
		rc = USER_ENOTFOUND;
		goto out_tx;
	}
	/* a new password ends everything the old one opened: sessions and
	 * API tokens (whoever learnt the old password may have made one) */
	rc = end_access(c, council, username);
out_tx:
	sodium_memzero(hash, sizeof(hash));
	rc = tx_close(c, own, rc);
	return rc == 0 ? 0 : fail(rc, err, errlen);
}

int apitoken_create(struct db_conn *c, const char *council, int64_t user_id,
		    int64_t expires_at, char token_out[TOKEN_LEN + 1],
		    int64_t *token_id)
{
	char tok[TOKEN_LEN + 1];
	char hash[TOKEN_HASH_LEN + 1];
	char now[21], until[21];
	int64_t id;
	token_out[0] = '\0';
	if (!council_ok(council))
		return USER_ENOTFOUND;
	token_new(tok);
	token_hash(tok, hash);
	utc_now(now);
	utc_text(expires_at, until);
	bool own;
	int rc = tx_open(c, &own);
	if (rc != 0)
		return rc;
	if ((rc = db_next_id(c, council, "api_token", &id)) < 0 ||
	    (rc = db_exec(c, &st_apitoken_ins, NULL, council,
			 user_id, hash, now, until, id)) < 0)
		rc = from_db(rc);
	else
		rc = db_changes(c) == 1 ? 0 : USER_ENOTFOUND;
	if ((rc = tx_close(c, own, rc)) != 0)
		return rc;
	memcpy(token_out, tok, sizeof(tok));
	if (token_id != NULL)
		*token_id = id;
	return 0;
}

int apitoken_lookup(struct db_conn *c, const char *token, int64_t now,
		    struct user *out)
{
	if (token == NULL || !token_shape_ok(token, strnlen(token, TOKEN_LEN + 1)))
		return 0;
	char hash[TOKEN_HASH_LEN + 1], at[21];
	token_hash(token, hash);
	utc_text(now, at);
	return load_one(c, &st_apitoken_get, out, "tt", hash, 0, at);
}

int apitoken_revoke(struct db_conn *c, const char *council, int64_t token_id)
{
	char now[21];
	if (!council_ok(council))
		return USER_ENOTFOUND;
	utc_now(now);
	int rc = db_exec(c, &st_apitoken_revoke, NULL, council, token_id,
			now);
	if (rc < 0)
		return from_db(rc);
	return db_changes(c) == 0 ? USER_ENOTFOUND : 0;
}
