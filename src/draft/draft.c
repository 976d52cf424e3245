/* draft.c: see draft.h. */
#include "draft/draft.h"
#include "auth/role.h"
#include "auth/seal.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

/* Any signed-in role works on its own drafts (every statement is scoped
 * by council and user); the authentication layer keeps a draft for an
 * expired session and purges at sign-in. */
#define DRAFT_ROLES (RB_ANY_USER | DB_ROLE_AUTH | DB_ROLE_SYSTEM)

static const char *const kind_names[DRAFT__MAX] = {
	"kept",  /* DRAFT_KEPT */
	"saved", /* DRAFT_SAVED */
};

/* ids are never reused, even after every draft is gone, so an audit
 * row's draft id names one draft */
DB_STMT(st_next_id) = {
	"draft_next_id",
	"INSERT INTO draft_seq (council, last_id) VALUES (?1, 1)"
	" ON CONFLICT (council) DO UPDATE SET last_id = draft_seq.last_id + 1"
	" RETURNING last_id",
	DRAFT_ROLES,
};
DB_STMT(st_ins) = {
	"draft_ins",
	"INSERT INTO draft (council, draft_id, user_id, kind, path, form_path,"
	" form_query, created_at, expires_at, nonce, ciphertext)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	DRAFT_ROLES,
};
DB_STMT(st_by_path) = {
	"draft_by_path",
	"SELECT draft_id FROM draft WHERE council = ?1 AND user_id = ?2"
	" AND path = ?3 AND expires_at > ?4",
	DRAFT_ROLES,
};
#define DRAFT_COLS \
	"draft_id, kind, path, form_path, form_query, created_at, expires_at," \
	" nonce, ciphertext"
DB_STMT(st_by_page) = {
	"draft_by_page",
	"SELECT " DRAFT_COLS " FROM draft WHERE council = ?1 AND user_id = ?2"
	" AND form_path = ?3 AND expires_at > ?4 ORDER BY draft_id DESC LIMIT 1",
	DRAFT_ROLES,
};
DB_STMT(st_by_id) = {
	"draft_by_id",
	"SELECT " DRAFT_COLS " FROM draft WHERE council = ?1 AND user_id = ?2"
	" AND draft_id = ?3 AND expires_at > ?4",
	DRAFT_ROLES,
};
DB_STMT(st_list) = {
	"draft_list",
	"SELECT " DRAFT_COLS " FROM draft WHERE council = ?1 AND user_id = ?2"
	" AND expires_at > ?3 ORDER BY draft_id DESC LIMIT 200",
	DRAFT_ROLES,
};
DB_STMT(st_del) = {
	"draft_del",
	"DELETE FROM draft WHERE council = ?1 AND user_id = ?2 AND draft_id = ?3",
	DRAFT_ROLES,
};
DB_STMT(st_purge) = {
	"draft_purge", "DELETE FROM draft WHERE expires_at <= ?1", DRAFT_ROLES,
};

const char *draft_kind_name(enum draft_kind k)
{
	return str_at(kind_names, DRAFT__MAX, (int)k);
}

static bool kind_parse(const char *s, enum draft_kind *out)
{
	int i = str_index(kind_names, DRAFT__MAX, s);
	if (i >= 0)
		*out = (enum draft_kind)i;
	return i >= 0;
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static size_t put_str(unsigned char *p, const char *s)
{
	size_t n = strlen(s);
	put_u64(p, n);
	memcpy(p + 8, s, n);
	return 8 + n;
}

/* The associated data: a domain tag, then each bound value with its
 * length, so no two contexts encode alike.  NULL when the arena is
 * spent. */
static unsigned char *make_ad(const struct draft_ctx *x, int64_t id,
			      enum draft_kind kind, const char *path,
			      const char *form_path, const char *form_query,
			      int64_t created_at, size_t *len)
{
	static const char tag[] = "cairn-draft-v1";
	const char *kn = kind_names[kind];
	size_t n = sizeof(tag) + 8 * 8 + strlen(x->council) + strlen(kn) +
		   strlen(path) + strlen(form_path) + strlen(form_query) + 3 * 8;
	unsigned char *ad = arena_alloc(x->a, n), *p = ad;
	if (ad == NULL)
		return NULL;
	memcpy(p, tag, sizeof(tag));
	p += sizeof(tag);
	p += put_str(p, x->council);
	put_u64(p, (uint64_t)x->user_id);
	p += 8;
	p += put_str(p, kn);
	p += put_str(p, path);
	p += put_str(p, form_path);
	p += put_str(p, form_query);
	put_u64(p, (uint64_t)created_at);
	p += 8;
	put_u64(p, (uint64_t)id);
	p += 8;
	*len = (size_t)(p - ad);
	return ad;
}

int draft_put(const struct draft_ctx *x, enum draft_kind kind,
	      const char *path, const char *form_path, const char *form_query,
	      const char *body, size_t len, int64_t *id_out,
	      int64_t *replaced)
{
	if ((unsigned)kind >= DRAFT__MAX || len > DRAFT_MAX_BYTES ||
	    x->key == NULL)
		return DB_ECONSTRAINT;
	int rc = draft_purge(x->c, x->now);
	if (rc < 0)
		return rc;
	int64_t old = 0;
	rc = draft_for_path(x, path, &old);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = draft_delete(x, old)) < 0)
		return rc;
	struct db_q *q;
	rc = db_exec(x->c, &st_next_id, &q, x->council);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_EIO;
	int64_t id = db_col_i64(q, 0);
	db_done(q);
	size_t adlen;
	unsigned char *ad = make_ad(x, id, kind, path, form_path, form_query,
				    x->now, &adlen);
	unsigned char *ct = arena_alloc(x->a, len + SEAL_TAG_BYTES);
	unsigned char nonce[SEAL_NONCE_BYTES];
	if (ad == NULL || ct == NULL ||
	    seal_encrypt(x->key, ad, adlen, body, len, nonce, ct) != 0)
		return DB_EIO;
	rc = db_prepare(x->c, &st_ins, &q);
	if (rc < 0)
		return rc;
	db_bind_text(q, 1, x->council);
	db_bind_i64(q, 2, id);
	db_bind_i64(q, 3, x->user_id);
	db_bind_text(q, 4, kind_names[kind]);
	db_bind_text(q, 5, path);
	db_bind_text(q, 6, form_path);
	db_bind_text(q, 7, form_query);
	db_bind_i64(q, 8, x->now);
	db_bind_i64(q, 9, x->now + DRAFT_TTL_SECONDS);
	db_bind_blob(q, 10, nonce, sizeof(nonce));
	db_bind_blob(q, 11, ct, len + SEAL_TAG_BYTES);
	rc = db_step(q);
	if (rc < 0)
		return rc;
	*id_out = id;
	*replaced = old;
	return 0;
}

/* Reads the row q is on into *out, opening it when open.  Returns 1, 0
 * when it does not open or is past its lifetime, or DB_EIO for a row we
 * could not have written. */
static int read_row(const struct draft_ctx *x, struct db_q *q, bool open,
		    struct draft *out)
{
	struct draft d;
	memset(&d, 0, sizeof(d));
	d.draft_id = db_col_i64(q, 0);
	const char *path = db_col_text(q, 2), *fp = db_col_text(q, 3),
		   *fq = db_col_text(q, 4);
	if (!kind_parse(db_col_text(q, 1), &d.kind) || !path || !fp || !fq)
		return DB_EIO;
	d.path = arena_strdup(x->a, path);
	d.form_path = arena_strdup(x->a, fp);
	d.form_query = arena_strdup(x->a, fq);
	d.created_at = db_col_i64(q, 5);
	d.expires_at = db_col_i64(q, 6);
	if (!d.path || !d.form_path || !d.form_query)
		return DB_EIO;
	/* the lifetime counts from the sealed creation time, so moving
	 * expires_at on in the file keeps nothing longer */
	if (x->now >= d.created_at + DRAFT_TTL_SECONDS)
		return 0;
	if (open) {
		size_t nlen = 0, clen = 0;
		const unsigned char *nonce = db_col_blob(q, 7, &nlen);
		const unsigned char *ct = db_col_blob(q, 8, &clen);
		size_t adlen;
		unsigned char *ad = make_ad(x, d.draft_id, d.kind, d.path,
					    d.form_path, d.form_query,
					    d.created_at, &adlen);
		char *pt = clen >= SEAL_TAG_BYTES
			   ? arena_alloc(x->a, clen - SEAL_TAG_BYTES + 1) : NULL;
		if (ad == NULL || x->key == NULL)
			return DB_EIO;
		if (pt == NULL || nonce == NULL || nlen != SEAL_NONCE_BYTES ||
		    seal_decrypt(x->key, ad, adlen, nonce, ct, clen,
				 (unsigned char *)pt) != 0) {
			char id[24];
			snprintf(id, sizeof(id), "%lld", (long long)d.draft_id);
			log_kv(LOG_WARN, NULL, "draft.unsealable", "council",
			       x->council, "draft", id, NULL);
			return 0;
		}
		d.body_len = clen - SEAL_TAG_BYTES;
		pt[d.body_len] = '\0';
		d.body = pt;
	}
	*out = d;
	return 1;
}

static int find_one(const struct draft_ctx *x, const struct db_stmt *st,
		    const char *s, int64_t id, bool open, struct draft *out)
{
	struct db_q *q;
	int rc = db_prepare(x->c, st, &q);
	if (rc < 0)
		return rc;
	db_bind_text(q, 1, x->council);
	db_bind_i64(q, 2, x->user_id);
	if (s)
		db_bind_text(q, 3, s);
	else
		db_bind_i64(q, 3, id);
	db_bind_i64(q, 4, x->now);
	rc = db_step(q);
	if (rc == DB_ROW)
		rc = read_row(x, q, open, out);
	db_done(q);
	return rc;
}

int draft_find_page(const struct draft_ctx *x, const char *form_path,
		    struct draft *out)
{
	return find_one(x, &st_by_page, form_path, 0, true, out);
}

int draft_get(const struct draft_ctx *x, int64_t id, bool open,
	      struct draft *out)
{
	return find_one(x, &st_by_id, NULL, id, open, out);
}

int draft_for_path(const struct draft_ctx *x, const char *path, int64_t *id)
{
	struct db_q *q;
	int rc = db_exec(x->c, &st_by_path, &q, x->council, x->user_id,
			path, x->now);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return 0;
	*id = db_col_i64(q, 0);
	db_done(q);
	return 1;
}

int draft_delete(const struct draft_ctx *x, int64_t id)
{
	int rc = db_exec(x->c, &st_del, NULL, x->council, x->user_id, id);
	if (rc < 0)
		return rc;
	return db_changes(x->c) > 0 ? 1 : 0;
}

int draft_list(const struct draft_ctx *x, struct draft **out, int *n)
{
	struct db_q *q;
	int rc = db_prepare(x->c, &st_list, &q);
	if (rc < 0)
		return rc;
	db_bind_text(q, 1, x->council);
	db_bind_i64(q, 2, x->user_id);
	db_bind_i64(q, 3, x->now);
	struct draft *v = NULL;
	int cnt = 0, cap = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		struct draft d;
		int k = read_row(x, q, false, &d);
		if (k < 0) {
			rc = k;
			break;
		}
		if (k == 0)
			continue;
		v = arena_grow(x->a, v, cnt, &cap, sizeof(*v));
		if (v == NULL) {
			rc = DB_EIO;
			break;
		}
		v[cnt++] = d;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	*out = v;
	*n = cnt;
	return 0;
}

int draft_purge(struct db_conn *c, int64_t now)
{
	int rc = db_exec(c, &st_purge, NULL, now);
	if (rc < 0)
		return rc;
	int64_t n = db_changes(c);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
