/* audit.c: see audit.h for the contract. */
#include "audit/audit.h"
#include "rules/uktime.h"
#include "auth/role.h"
#include "core/arena.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

#define AUDIT_ROLES (RB_ANY_USER | DB_ROLE_SYSTEM | DB_ROLE_AUTH)
#define VERIFY_ROLES (RB_ADMIN | DB_ROLE_SYSTEM)

/* The hash version audit_append writes. */
#define HV_NOW 2

/* The head is read by an UPDATE that changes nothing, so that on
 * PostgreSQL it takes the row's lock first: a second writer of the same
 * council waits here until the first commits, then reads the head the
 * first wrote.  A plain SELECT would let both read the same head and
 * chain two rows to it; only SQLite's single writer prevents that today
 * (docs/decisions.md D25). */
DB_STMT(st_head) = {
	"audit_head_take",
	"UPDATE audit_head SET seq = seq WHERE council = ?1"
	" RETURNING seq, hash, count",
	AUDIT_ROLES,
};
DB_STMT(st_insert) = {
	"audit_insert",
	"INSERT INTO audit (council, seq, at, user_id, username, role, action,"
	" entity, entity_id, child_id, status, request_id, ip, prev_hash, hash,"
	" hv, children) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15, ?16, ?17)",
	AUDIT_ROLES,
};
DB_STMT(st_seen_insert) = {
	"audit_seen_insert",
	"INSERT INTO audit_seen (council, child_id, seq) VALUES (?1, ?2, ?3)",
	AUDIT_ROLES,
};
DB_STMTS(st_seen_counts, 2) = {
	{"audit_seen_counts_all",
	 "SELECT council, count(*) FROM audit_seen GROUP BY council",
	 RB_ADMIN | DB_ROLE_SYSTEM},
	{"audit_seen_counts_one",
	 "SELECT council, count(*) FROM audit_seen WHERE council = ?1"
	 " GROUP BY council", RB_ADMIN | DB_ROLE_SYSTEM},
};
DB_STMT(st_head_set) = {
	"audit_head_set",
	"INSERT INTO audit_head (council, seq, hash, count, head_hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT (council) DO UPDATE SET seq = excluded.seq,"
	" hash = excluded.hash, count = excluded.count,"
	" head_hash = excluded.head_hash",
	AUDIT_ROLES,
};
DB_STMT(st_child_rows) = {
	"audit_child_rows",
	/* two index lookups, merged: rows about the child, and lists that
	 * showed it, driven from audit_seen (an OR in one WHERE, or a join,
	 * made SQLite walk the council's whole chain) */
	"SELECT seq, at, user_id, username, role, action, entity, entity_id,"
	" child_id, status FROM audit WHERE council = ?1 AND child_id = ?2"
	" AND seq < ?4"
	" UNION ALL"
	" SELECT seq, at, user_id, username, role, action, entity, entity_id,"
	" child_id, status FROM audit WHERE council = ?1 AND seq IN"
	" (SELECT seq FROM audit_seen WHERE council = ?1 AND child_id = ?2"
	"  AND seq < ?4)"
	" ORDER BY 1 DESC LIMIT ?3",
	RB_TEAM_MANAGER | RB_ADMIN | DB_ROLE_SYSTEM,
};

/* verify reads every council (the command line) or one (its
 * administrator); the two forms return the same columns */
#define ROW_COLS                                                             \
	"SELECT council, seq, at, user_id, username, role, action, entity,"  \
	" entity_id, child_id, status, request_id, ip, prev_hash, hash, hv," \
	" children FROM audit"
DB_STMTS(st_rows, 2) = {
	{"audit_rows_all", ROW_COLS " ORDER BY council, seq", VERIFY_ROLES},
	{"audit_rows_one", ROW_COLS " WHERE council = ?1 ORDER BY seq",
	 VERIFY_ROLES},
};
#define HEAD_COLS "SELECT council, seq, hash, count, head_hash FROM audit_head"
DB_STMTS(st_heads, 2) = {
	{"audit_heads_all", HEAD_COLS " ORDER BY council", VERIFY_ROLES},
	{"audit_heads_one", HEAD_COLS " WHERE council = ?1", VERIFY_ROLES},
};
DB_STMTS(st_councils, 2) = {
	{"audit_councils_all", "SELECT council FROM council ORDER BY council",
	 VERIFY_ROLES},
	{"audit_councils_one",
	 "SELECT council FROM council WHERE council = ?1", VERIFY_ROLES},
};

/* ---- the encodings --------------------------------------------------- */

/* A row's encoding is gathered in a buffer and hashed in one call (a
 * call for each tag, length and value cost about three times as much:
 * the committer hashes every audit row). */
struct enc {
	crypto_hash_sha256_state st;
	size_t n;
	unsigned char b[1024];
};

static void enc_init(struct enc *e)
{
	crypto_hash_sha256_init(&e->st);
	e->n = 0;
}

static void enc_add(struct enc *e, const void *p, size_t n)
{
	if (e->n + n > sizeof(e->b)) {
		crypto_hash_sha256_update(&e->st, e->b, e->n);
		e->n = 0;
		if (n > sizeof(e->b)) {
			crypto_hash_sha256_update(&e->st, p, n);
			return;
		}
	}
	memcpy(e->b + e->n, p, n);
	e->n += n;
}

static void put_u64(struct enc *h, uint64_t u)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	enc_add(h, b, sizeof(b));
}

/* v1: a text is its length and bytes (NULL as ""), an integer its 8
 * bytes (NULL was read as 0: the weakness v2 fixes). */
static void v1_str(struct enc *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(h, n);
	if (n)
		enc_add(h, (const unsigned char *)s, n);
}

static void v1_int(struct enc *h, bool has, int64_t v)
{
	put_u64(h, has ? (uint64_t)v : 0);
}

/* v2: every value carries a type tag; absent is its own tag. */
static void v2_tag(struct enc *h, char tag)
{
	unsigned char t = (unsigned char)tag;
	enc_add(h, &t, 1);
}

static void v2_str(struct enc *h, const char *s)
{
	if (s == NULL) {
		v2_tag(h, 'N');
		return;
	}
	size_t n = strlen(s);
	v2_tag(h, 'S');
	put_u64(h, n);
	enc_add(h, (const unsigned char *)s, n);
}

static void v2_int(struct enc *h, bool has, int64_t v)
{
	if (!has) {
		v2_tag(h, 'N');
		return;
	}
	v2_tag(h, 'I');
	put_u64(h, (uint64_t)v);
}

static void finish(struct enc *h, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_update(&h->st, h->b, h->n);
	crypto_hash_sha256_final(&h->st, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

void audit_row_hash(const struct audit_hash_input *f, char out[65])
{
	struct enc h;
	enc_init(&h);
	if (f->hv == 1) {
		v1_str(&h, "cairn-audit-v1");
		v1_str(&h, f->council);
		v1_int(&h, true, f->seq);
		v1_str(&h, f->at);
		v1_int(&h, f->has_user_id, f->user_id);
		v1_str(&h, f->username);
		v1_str(&h, f->role);
		v1_str(&h, f->action);
		v1_str(&h, f->entity);
		v1_int(&h, f->has_entity_id, f->entity_id);
		v1_int(&h, f->has_child_id, f->child_id);
		v1_str(&h, f->request_id);
		v1_str(&h, f->ip);
		v1_str(&h, f->prev_hash);
	} else {
		v2_str(&h, "cairn-audit-v2");
		v2_int(&h, true, f->hv);
		v2_str(&h, f->council);
		v2_int(&h, true, f->seq);
		v2_str(&h, f->at);
		v2_int(&h, f->has_user_id, f->user_id);
		v2_str(&h, f->username);
		v2_str(&h, f->role);
		v2_str(&h, f->action);
		v2_str(&h, f->entity);
		v2_int(&h, f->has_entity_id, f->entity_id);
		v2_int(&h, f->has_child_id, f->child_id);
		v2_str(&h, f->children);
		v2_int(&h, f->has_status, f->status);
		v2_str(&h, f->request_id);
		v2_str(&h, f->ip);
		v2_str(&h, f->prev_hash);
	}
	finish(&h, out);
}

void audit_head_hash(const char *council, int64_t seq, int64_t count,
		     const char *row_hash, char out[65])
{
	struct enc h;
	enc_init(&h);
	v2_str(&h, "cairn-audit-head-v2");
	v2_str(&h, council);
	v2_int(&h, true, seq);
	v2_int(&h, true, count);
	v2_str(&h, row_hash);
	finish(&h, out);
}

/* ---- writing --------------------------------------------------------- */

/* An audit row carries when it was written by the system clock, never
 * an actor's injected clock: a caller cannot date its own trace. */
static void now_utc(char out[21])
{
	uk_stamp(uk_clock_now(), out);
}

static bool is_hash(const char *h)
{
	if (h == NULL || strlen(h) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') ||
		      (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return true;
}

/* Takes the council's head (its row lock, on a store that has them) for
 * the caller's write transaction: 1 and the newest seq, the count of
 * rows and that row's hash; 0 when it has none; < 0 on a db error.  A
 * legacy head has no count: its chain started at seq 1, so count = seq. */
static int head_get(struct db_conn *c, const char *council, int64_t *seq,
		    int64_t *count, char hash[65])
{
	struct db_q *q;
	int rc = db_exec(c, &st_head, &q, council);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW)
		return 0;
	const char *h = db_col_text(q, 1);
	if (!is_hash(h)) {
		db_done(q);
		return DB_EIO;
	}
	*seq = db_col_i64(q, 0);
	*count = db_col_null(q, 2) ? *seq : db_col_i64(q, 2);
	memcpy(hash, h, 65);
	db_done(q);
	return 1;
}

static int bind_opt(struct db_q *q, int idx, bool has, int64_t v)
{
	return has ? db_bind_i64(q, idx, v) : db_bind_null(q, idx);
}

/* Inserts row f (hv 2); its hash goes to hash. */
static int insert_row(struct db_conn *c, const struct audit_hash_input *f,
		      char hash[65])
{
	audit_row_hash(f, hash);
	struct db_q *q;
	int rc = db_prepare(c, &st_insert, &q);
	if (rc < 0)
		return rc;
	if ((rc = db_bind_text(q, 1, f->council)) < 0 ||
	    (rc = db_bind_i64(q, 2, f->seq)) < 0 ||
	    (rc = db_bind_text(q, 3, f->at)) < 0 ||
	    (rc = bind_opt(q, 4, f->has_user_id, f->user_id)) < 0 ||
	    (rc = db_bind_text(q, 5, f->username)) < 0 ||
	    (rc = db_bind_text(q, 6, f->role)) < 0 ||
	    (rc = db_bind_text(q, 7, f->action)) < 0 ||
	    (rc = db_bind_text(q, 8, f->entity)) < 0 ||
	    (rc = bind_opt(q, 9, f->has_entity_id, f->entity_id)) < 0 ||
	    (rc = bind_opt(q, 10, f->has_child_id, f->child_id)) < 0 ||
	    (rc = bind_opt(q, 11, f->has_status, f->status)) < 0 ||
	    (rc = db_bind_text(q, 12, f->request_id)) < 0 ||
	    (rc = db_bind_text(q, 13, f->ip)) < 0 ||
	    (rc = db_bind_text(q, 14, f->prev_hash)) < 0 ||
	    (rc = db_bind_text(q, 15, hash)) < 0 ||
	    (rc = db_bind_i64(q, 16, f->hv)) < 0 ||
	    (rc = db_bind_text(q, 17, f->children)) < 0)
		return rc;
	rc = db_step(q);
	return rc < 0 ? rc : DB_OK;
}

/* Points council's head at row seq, whose hash is hash, count rows in
 * all. */
static int head_put(struct db_conn *c, const char *council, int64_t seq,
		    int64_t count, const char hash[65])
{
	char head[65];
	audit_head_hash(council, seq, count, hash, head);
	int rc = db_exec(c, &st_head_set, NULL, council, seq, hash,
			count, head);
	return rc < 0 ? rc : DB_OK;
}

/* Inserts row f (hv 2) and points the head at it, count rows in all. */
static int write_row(struct db_conn *c, const struct audit_hash_input *f,
		     int64_t count)
{
	char hash[65];
	int rc = insert_row(c, f, hash);
	return rc < 0 ? rc : head_put(c, f->council, f->seq, count, hash);
}

/* The children a list showed, sorted, without duplicates, and as the
 * row's text "3,17,42" (NULL when the event is not a list). */
struct shown {
	int64_t *ids;
	int n;
	char *text;
};

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int shown_make(const struct audit_event *ev, struct shown *sh)
{
	memset(sh, 0, sizeof(*sh));
	if (ev->nchildren <= 0 || ev->children == NULL)
		return DB_OK;
	if (ev->nchildren > AUDIT_LIST_MAX)
		return DB_EIO;
	sh->ids = xmalloc((size_t)ev->nchildren * sizeof(*sh->ids));
	memcpy(sh->ids, ev->children, (size_t)ev->nchildren * sizeof(*sh->ids));
	qsort(sh->ids, (size_t)ev->nchildren, sizeof(*sh->ids), cmp_id);
	for (int i = 0; i < ev->nchildren; i++)
		if (sh->ids[i] > 0 && (sh->n == 0 || sh->ids[sh->n - 1] != sh->ids[i]))
			sh->ids[sh->n++] = sh->ids[i];
	if (sh->n == 0)
		return DB_OK;
	size_t cap = (size_t)sh->n * 21 + 1, len = 0;
	sh->text = xmalloc(cap);
	for (int i = 0; i < sh->n; i++)
		len += (size_t)snprintf(sh->text + len, cap - len, "%s%lld",
					i ? "," : "", (long long)sh->ids[i]);
	return DB_OK;
}

static void shown_free(struct shown *sh)
{
	free(sh->ids);
	free(sh->text);
}

/* Appends evs[0..n), which all belong to one council, reading that
 * council's head once and writing it once. */
static int append_run(struct db_conn *c, const struct audit_event *evs,
		      size_t n, const char *at)
{
	const char *council = evs[0].council;
	int64_t seq = 0, count = 0;
	char prev[65] = ZEROS;
	int rc = head_get(c, council, &seq, &count, prev);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct audit_event *ev = &evs[i];
		struct shown sh;
		if ((rc = shown_make(ev, &sh)) < 0)
			return rc;
		struct audit_hash_input f = {
			.hv = HV_NOW,
			.council = ev->council,
			.seq = seq + 1,
			.at = at,
			.has_user_id = ev->user_id != 0,
			.has_entity_id = ev->entity_id != 0,
			.has_child_id = ev->child_id != 0,
			.has_status = ev->status >= 100 && ev->status <= 599,
			.user_id = ev->user_id,
			.username = ev->username,
			.role = ev->role,
			.action = ev->action,
			.entity = ev->entity,
			.entity_id = ev->entity_id,
			.child_id = ev->child_id,
			.status = ev->status,
			.request_id = ev->request_id ? ev->request_id : "-",
			.ip = ev->ip ? ev->ip : "-",
			.prev_hash = prev,
			.children = sh.text,
		};
		char hash[65];
		rc = insert_row(c, &f, hash);
		for (int k = 0; rc >= 0 && k < sh.n; k++)
			rc = db_exec(c, &st_seen_insert, NULL, council,
				    sh.ids[k], f.seq);
		shown_free(&sh);
		if (rc < 0)
			return rc;
		memcpy(prev, hash, sizeof(hash));
		seq++;
		count++;
	}
	return head_put(c, council, seq, count, prev);
}

int audit_append_many(struct db_conn *c, const struct audit_event *evs,
		      size_t n)
{
	if (!db_in_tx(c))
		return DB_EIO;
	char at[21];
	now_utc(at);
	for (size_t i = 0; i < n;) {
		if (evs[i].council == NULL)
			return DB_EIO;
		size_t k = i + 1;
		while (k < n && evs[k].council != NULL &&
		       strcmp(evs[k].council, evs[i].council) == 0)
			k++;
		int rc = append_run(c, evs + i, k - i, at);
		if (rc < 0)
			return rc;
		i = k;
	}
	return DB_OK;
}

int audit_append(struct db_conn *c, const struct audit_event *ev)
{
	return audit_append_many(c, ev, 1);
}

int audit_genesis(struct db_conn *c, const char *council)
{
	if (!db_in_tx(c) || council == NULL)
		return DB_EIO;
	int64_t seq, count;
	char prev[65];
	int rc = head_get(c, council, &seq, &count, prev);
	if (rc != 0)
		return rc < 0 ? rc : DB_ECONSTRAINT;
	char at[21];
	now_utc(at);
	struct audit_hash_input f = {
		.hv = HV_NOW,
		.council = council,
		.seq = 0,
		.at = at,
		.username = "system",
		.role = "system",
		.action = "genesis",
		.entity = "council",
		.request_id = "-",
		.ip = "-",
		.prev_hash = ZEROS,
	};
	return write_row(c, &f, 1);
}

int audit_child_rows(struct db_conn *c, const char *council, int64_t child_id,
		     int64_t before_seq, int limit,
		     int (*cb)(const struct audit_row *, void *), void *arg)
{
	struct db_q *q;
	int rc = db_prepare(c, &st_child_rows, &q);
	if (rc < 0)
		return rc;
	db_bind_text(q, 1, council);
	db_bind_i64(q, 2, child_id);
	db_bind_i64(q, 3, limit);
	db_bind_i64(q, 4, before_seq > 0 ? before_seq : INT64_MAX);
	while ((rc = db_step(q)) == DB_ROW) {
		struct audit_row r = {
			db_col_i64(q, 0),  db_col_text(q, 1),
			db_col_i64(q, 2),  db_col_text(q, 3),
			db_col_text(q, 4), db_col_text(q, 5),
			db_col_text(q, 6), db_col_i64(q, 7),
			db_col_i64(q, 8),  (int)db_col_i64(q, 9),
		};
		int stop = cb(&r, arg);
		if (stop)
			return stop;
	}
	return rc < 0 ? rc : 0;
}

/* ---- anchors --------------------------------------------------------- */

static int anchor_err(char *err, size_t errlen, int line, const char *why)
{
	snprintf(err, errlen, "line %d: %s", line, why);
	return -1;
}

/* A non-negative decimal integer of at most 18 digits. */
static bool parse_count(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int audit_anchor_parse(const char *text, size_t len,
		       struct audit_anchor **out, size_t *n, char *err,
		       size_t errlen)
{
	struct audit_anchor *v = NULL;
	size_t nv = 0, cap = 0;
	int line = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		line++;
		const char *p = text + i;
		size_t l = e - i;
		i = e + 1;
		if (l && p[l - 1] == '\r')
			l--;
		/* fields separated by spaces or tabs */
		const char *f[5];
		size_t fl[5];
		int nf = 0;
		for (size_t k = 0; k < l;) {
			while (k < l && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (k == l)
				break;
			size_t s = k;
			while (k < l && p[k] != ' ' && p[k] != '\t')
				k++;
			if (nf == 5)
				break;
			f[nf] = p + s;
			fl[nf++] = k - s;
		}
		if (nf == 0 || f[0][0] == '#')
			continue;
		const char *why = NULL;
		struct audit_anchor a;
		memset(&a, 0, sizeof(a));
		if (memchr(p, '\0', l))
			why = "a NUL byte";
		else if (nf != 4)
			why = "expected 4 fields: council seq count hash";
		else if (fl[0] >= sizeof(a.council))
			why = "council code too long";
		else if (!parse_count(f[1], fl[1], &a.seq))
			why = "seq is not a non-negative number";
		else if (!parse_count(f[2], fl[2], &a.count) || a.count < 1)
			why = "count is not a positive number";
		else if (a.count != a.seq + 1 && a.count != a.seq)
			why = "count does not fit seq (seq + 1, or seq for a "
			      "legacy chain)";
		else if (fl[3] != 64)
			why = "hash is not 64 hex digits";
		if (why == NULL) {
			memcpy(a.council, f[0], fl[0]);
			memcpy(a.hash, f[3], 64);
			if (!is_hash(a.hash))
				why = "hash is not 64 lower-case hex digits";
			for (size_t k = 0; why == NULL && k < nv; k++)
				if (strcmp(v[k].council, a.council) == 0)
					why = "council named twice";
		}
		if (why) {
			free(v);
			return anchor_err(err, errlen, line, why);
		}
		if (nv == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[nv++] = a;
	}
	if (nv == 0) {
		free(v);
		return anchor_err(err, errlen, line, "no council line");
	}
	*out = v;
	*n = nv;
	return 0;
}

/* ---- verify ---------------------------------------------------------- */

/* One council while verify walks: what the tables say, and how far its
 * rows have been checked. */
struct chain_st {
	struct audit_chain pub;
	bool in_table;           /* a row in `council` */
	bool has_head, head_legacy;
	int64_t h_seq, h_count;
	char h_hash[65], h_head[65];
	int64_t expect;          /* next seq; -1 before the first row */
	char prev[65];
	int last_hv;
	bool broken;
	bool anchor_reached, anchor_ok;
	int64_t anchor_rows;
	int64_t seen_listed;     /* children named by list rows */
	int64_t seen_indexed;    /* rows of audit_seen */
};

struct chains {
	struct chain_st *v;
	size_t n, cap;
	size_t last;             /* the last found, for rows in order */
};

static struct chain_st *chain_get(struct chains *cs, const char *council)
{
	if (cs->last < cs->n &&
	    strcmp(cs->v[cs->last].pub.council, council) == 0)
		return &cs->v[cs->last];
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].pub.council, council) == 0)
			return &cs->v[cs->last = i];
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 16;
		cs->v = xrealloc(cs->v, cs->cap * sizeof(*cs->v));
	}
	struct chain_st *s = &cs->v[cs->last = cs->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->pub.council, sizeof(s->pub.council), "%s", council);
	s->pub.ok = true;
	s->pub.head_seq = -1;
	s->pub.bad_seq = -1;
	s->expect = -1;
	memcpy(s->prev, ZEROS, 65);
	return s;
}

/* Marks the chain broken at seq, unless it already is (the first fault
 * is the one reported).  Returns false, for the checks' returns. */
static bool chain_fail(struct chain_st *s, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool chain_fail(struct chain_st *s, int64_t seq, const char *fmt, ...)
{
	if (s->broken)
		return false;
	s->broken = true;
	s->pub.ok = false;
	s->pub.bad_seq = seq;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->pub.reason, sizeof(s->pub.reason), fmt, ap);
	va_end(ap);
	return false;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Checks one row (q positioned on it) against the chain so far.
 * Returns true when it is good. */
static bool check_row(struct chain_st *s, struct db_q *q)
{
	struct audit_hash_input f = {
		.hv = (int)db_col_i64(q, 15),
		.council = s->pub.council,
		.seq = db_col_i64(q, 1),
		.at = nz(db_col_text(q, 2)),
		.has_user_id = !db_col_null(q, 3),
		.user_id = db_col_i64(q, 3),
		.username = nz(db_col_text(q, 4)),
		.role = nz(db_col_text(q, 5)),
		.action = nz(db_col_text(q, 6)),
		.entity = nz(db_col_text(q, 7)),
		.has_entity_id = !db_col_null(q, 8),
		.entity_id = db_col_i64(q, 8),
		.has_child_id = !db_col_null(q, 9),
		.child_id = db_col_i64(q, 9),
		.has_status = !db_col_null(q, 10),
		.status = db_col_i64(q, 10),
		.request_id = nz(db_col_text(q, 11)),
		.ip = nz(db_col_text(q, 12)),
		.prev_hash = nz(db_col_text(q, 13)),
		.children = db_col_text(q, 16),
	};
	const char *stored = nz(db_col_text(q, 14));
	if (f.children != NULL) {
		s->seen_listed++;
		for (const char *p = f.children; *p; p++)
			s->seen_listed += *p == ',';
	}
	if (s->expect < 0) {
		/* the first row: the genesis, or a legacy chain's row 1 */
		if (f.seq == 0) {
			if (f.hv != 2 || strcmp(f.action, "genesis") ||
			    strcmp(f.entity, "council"))
				return chain_fail(s, 0, "row 0 is not a genesis "
						  "row");
		} else if (f.seq == 1 && f.hv == 1) {
			/* legacy: no genesis */
		} else if (f.hv == 1) {
			return chain_fail(s, 1, "row missing: the chain starts "
					  "at row %lld", (long long)f.seq);
		} else {
			return chain_fail(s, 0, "the genesis row is missing");
		}
		s->expect = f.seq;
	}
	if (f.seq != s->expect)
		return chain_fail(s, s->expect, "row missing: sequence numbers "
				  "are not contiguous");
	if (f.hv != 1 && f.hv != 2)
		return chain_fail(s, f.seq, "unknown hash version %d", f.hv);
	if (f.hv < s->last_hv)
		return chain_fail(s, f.seq, "a version 1 row after a version "
				  "2 row");
	if (strcmp(f.prev_hash, s->prev) != 0)
		return chain_fail(s, f.seq, "prev_hash does not match the row "
				  "before");
	char h[65];
	audit_row_hash(&f, h);
	if (strcmp(h, stored) != 0)
		return chain_fail(s, f.seq, "hash does not match the row's "
				  "contents");
	memcpy(s->prev, h, 65);
	s->last_hv = f.hv;
	s->expect++;
	s->pub.rows++;
	s->pub.head_seq = f.seq;
	memcpy(s->pub.hash, h, 65);
	const struct audit_anchor *a = s->pub.anchor;
	if (a && f.seq == a->seq) {
		s->anchor_reached = true;
		s->anchor_ok = strcmp(h, a->hash) == 0;
		s->anchor_rows = s->pub.rows;
	}
	return true;
}

/* After the walk: the council table, the head and the anchor.  Returns
 * true when the chain is intact. */
static bool check_chain(struct chain_st *s)
{
	const struct audit_anchor *a = s->pub.anchor;
	if (!s->in_table)
		return chain_fail(s, -1, a ? "the anchored council no longer "
				  "exists" : "audit rows or head for a council "
				  "that does not exist");
	if (s->pub.rows == 0 && !s->broken)
		return chain_fail(s, 0, "no audit rows: the chain, genesis "
				  "included, is gone");
	if (s->broken)
		return false;
	int64_t last = s->pub.head_seq;
	if (!s->has_head)
		return chain_fail(s, -1, "the chain has no head");
	if (s->h_seq > last)
		return chain_fail(s, last + 1, "newest rows missing: the chain "
				  "ends at row %lld, its head names row %lld",
				  (long long)last, (long long)s->h_seq);
	if (s->h_seq < last)
		return chain_fail(s, s->h_seq + 1, "rows after the head (row "
				  "%lld)", (long long)s->h_seq);
	if (strcmp(s->h_hash, s->pub.hash) != 0)
		return chain_fail(s, -1, "the head's hash is not row %lld's",
				  (long long)last);
	if (s->head_legacy) {
		if (s->last_hv != 1)
			return chain_fail(s, -1, "the head has no count or head "
					  "hash");
	} else {
		char hh[65];
		audit_head_hash(s->pub.council, s->h_seq, s->h_count,
				s->h_hash, hh);
		if (s->h_count != s->pub.rows)
			return chain_fail(s, -1, "the head counts %lld rows, "
					  "the chain has %lld",
					  (long long)s->h_count,
					  (long long)s->pub.rows);
		if (strcmp(hh, s->h_head) != 0)
			return chain_fail(s, -1, "the head hash does not match "
					  "the head");
	}
	/* audit_seen indexes the children list rows name, for "who has
	 * viewed": a row taken out of it would hide a view from the page */
	if (s->seen_indexed != s->seen_listed)
		return chain_fail(s, -1, "the index of children shown in lists "
				  "has %lld entries, the rows name %lld",
				  (long long)s->seen_indexed,
				  (long long)s->seen_listed);
	if (a == NULL)
		return true;
	if (!s->anchor_reached)
		return chain_fail(s, last + 1, "truncated: the chain ends at "
				  "row %lld, below the anchored row %lld",
				  (long long)last, (long long)a->seq);
	if (!s->anchor_ok)
		return chain_fail(s, a->seq, "rewritten: row %lld no longer "
				  "has the anchored hash", (long long)a->seq);
	if (s->anchor_rows != a->count)
		return chain_fail(s, a->seq, "rewritten: %lld rows up to row "
				  "%lld, the anchor says %lld",
				  (long long)s->anchor_rows, (long long)a->seq,
				  (long long)a->count);
	return true;
}

/* Runs one of a pair of statements: [0] every council, [1] only one. */
static int run_pair(struct db_conn *c, const struct db_stmt st[2],
		    const char *only, struct db_q **q)
{
	int rc = db_prepare(c, &st[only != NULL], q);
	if (rc < 0)
		return rc;
	if (only)
		rc = db_bind_text(*q, 1, only);
	return rc;
}

static int cmp_chain(const void *a, const void *b)
{
	return strcmp(((const struct chain_st *)a)->pub.council,
		      ((const struct chain_st *)b)->pub.council);
}

static int load(struct db_conn *c, const char *only,
		const struct audit_anchor *anchors, size_t nanchors,
		struct chains *cs)
{
	struct db_q *q;
	int rc = run_pair(c, st_councils, only, &q);
	if (rc < 0)
		return rc;
	while ((rc = db_step(q)) == DB_ROW)
		chain_get(cs, nz(db_col_text(q, 0)))->in_table = true;
	if (rc < 0)
		return rc;
	if ((rc = run_pair(c, st_heads, only, &q)) < 0)
		return rc;
	while ((rc = db_step(q)) == DB_ROW) {
		struct chain_st *s = chain_get(cs, nz(db_col_text(q, 0)));
		s->has_head = true;
		s->h_seq = db_col_i64(q, 1);
		snprintf(s->h_hash, sizeof(s->h_hash), "%s", nz(db_col_text(q, 2)));
		s->head_legacy = db_col_null(q, 3) && db_col_null(q, 4);
		s->h_count = db_col_i64(q, 3);
		snprintf(s->h_head, sizeof(s->h_head), "%s", nz(db_col_text(q, 4)));
	}
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < nanchors; i++)
		if (only == NULL || strcmp(only, anchors[i].council) == 0)
			chain_get(cs, anchors[i].council)->pub.anchor =
				&anchors[i];
	if ((rc = run_pair(c, st_seen_counts, only, &q)) < 0)
		return rc;
	while ((rc = db_step(q)) == DB_ROW)
		chain_get(cs, nz(db_col_text(q, 0)))->seen_indexed =
			db_col_i64(q, 1);
	if (rc < 0)
		return rc;
	if ((rc = run_pair(c, st_rows, only, &q)) < 0)
		return rc;
	while ((rc = db_step(q)) == DB_ROW) {
		struct chain_st *s = chain_get(cs, nz(db_col_text(q, 0)));
		if (!s->broken)
			check_row(s, q);
	}
	return rc < 0 ? rc : 0;
}

int audit_verify_chains(struct db_conn *c, const char *only,
			const struct audit_anchor *anchors, size_t nanchors,
			void (*cb)(const struct audit_chain *, void *),
			void *arg, struct audit_verify_result *res)
{
	memset(res, 0, sizeof(*res));
	res->ok = true;
	res->bad_seq = -1;
	struct chains cs = {NULL, 0, 0, 0};
	int rc = load(c, only, anchors, nanchors, &cs);
	if (rc < 0) {
		free(cs.v);
		return rc;
	}
	if (cs.n)
		qsort(cs.v, cs.n, sizeof(*cs.v), cmp_chain);
	for (size_t i = 0; i < cs.n; i++) {
		struct chain_st *s = &cs.v[i];
		check_chain(s);
		res->rows += s->pub.rows;
		res->councils++;
		if (!s->pub.ok && res->ok) {
			res->ok = false;
			memcpy(res->council, s->pub.council, sizeof(res->council));
			res->bad_seq = s->pub.bad_seq;
			memcpy(res->reason, s->pub.reason, sizeof(res->reason));
		}
		if (cb)
			cb(&s->pub, arg);
	}
	free(cs.v);
	return 0;
}

int audit_verify(struct db_conn *c, struct audit_verify_result *res)
{
	return audit_verify_chains(c, NULL, NULL, 0, NULL, NULL, res);
}

/* ---- group commit ---------------------------------------------------- */

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

/* A request waiting for its row: on its own stack, queued by pointer.
 * The committer sets rc and then posts `sem`, after which it never
 * touches the wait again (the request may already have returned). */
struct audit_wait {
	struct audit_event ev;
	char council[32], username[80], role[32], action[32], entity[32];
	char rid[40], ip[64];
	const struct audit_event *evs; /* &ev, or the caller's array: it
					* stays valid while the caller waits */
	size_t nev;
	int rc;
	sem_t sem;
	/* audit_batcher_submit_async: called instead of posting sem; the
	 * wait is then the committer's to free */
	void (*done)(void *arg, int rc);
	void *done_arg;
};

/* Each waiter sleeps on a semaphore of its own, posted by the committer
 * once its batch is over: a commit wakes exactly the requests of its
 * batch, and they need no lock to leave.  (With one condition variable
 * and a broadcast, every commit woke every waiter, those queued for the
 * next batch too, and they all fought for the mutex to go back to
 * sleep or to leave.) */
struct audit_batcher {
	struct db *db;
	struct db_conn *conn; /* its own for its whole life: never waits */
	pthread_t th;
	pthread_mutex_t mu;   /* guards q, n, cap, stop, batches, rows */
	pthread_cond_t cv_work;
	struct audit_wait **q;
	size_t n, cap;
	bool stop;
	uint64_t batches, rows;
};

static void copy_field(char *dst, size_t cap, const char *src, const char **out)
{
	snprintf(dst, cap, "%s", src ? src : "-");
	*out = dst;
}

static void *batcher_main(void *arg)
{
	struct audit_batcher *b = arg;
	struct audit_wait **batch = NULL;
	struct audit_event *evs = NULL;
	size_t bcap = 0, ecap = 0;
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->n == 0 && !b->stop)
			pthread_cond_wait(&b->cv_work, &b->mu);
		if (b->n == 0 && b->stop)
			break;
		size_t n = b->n;
		if (bcap < n) {
			bcap = n * 2;
			batch = xrealloc(batch, bcap * sizeof(*batch));
		}
		memcpy(batch, b->q, n * sizeof(*batch));
		b->n = 0;
		pthread_mutex_unlock(&b->mu);

		struct db_conn *c = b->conn;
		int rc = db_begin(c, DB_TX_WRITE);
		/* one array, so each council's head is read and written
		 * once a batch, not once a row */
		size_t rows = 0;
		for (size_t i = 0; i < n; i++)
			rows += batch[i]->nev;
		if (ecap < rows) {
			ecap = rows * 2;
			evs = xrealloc(evs, ecap * sizeof(*evs));
		}
		for (size_t i = 0, k = 0; i < n; i++) {
			memcpy(evs + k, batch[i]->evs,
			       batch[i]->nev * sizeof(*evs));
			k += batch[i]->nev;
		}
		if (rc == DB_OK)
			rc = audit_append_many(c, evs, rows);
		if (rc == DB_OK)
			rc = db_commit(c);
		else
			db_rollback(c);

		/* count first: a waiter that has returned may read the
		 * counters at once (audit_batcher_stats) */
		pthread_mutex_lock(&b->mu);
		if (rc == DB_OK) {
			b->batches++;
			b->rows += rows;
		}
		pthread_mutex_unlock(&b->mu);
		for (size_t i = 0; i < n; i++) {
			struct audit_wait *w = batch[i];
			if (w->done) {
				w->done(w->done_arg, rc);
				free(w);
				continue;
			}
			w->rc = rc;
			sem_post(&w->sem); /* w is gone now */
		}
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	free(batch);
	free(evs);
	return NULL;
}

struct audit_batcher *audit_batcher_new(struct db *db)
{
	struct audit_batcher *b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->conn = db_acquire(db);
	db_set_role(b->conn, DB_ROLE_SYSTEM);
	/* the rows that let records be read are written even when ordinary
	 * writes have used the store's space (db_options) */
	db_use_reserve(b->conn);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv_work, NULL);
	if (pthread_create(&b->th, NULL, batcher_main, b) != 0) {
		db_release(db, b->conn);
		pthread_mutex_destroy(&b->mu);
		pthread_cond_destroy(&b->cv_work);
		free(b);
		return NULL;
	}
	return b;
}

void audit_batcher_free(struct audit_batcher *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->th, NULL);
	db_release(b->db, b->conn);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv_work);
	free(b->q);
	free(b);
}

/* Queues w for the committer.  Returns false when it is stopping. */
static bool batcher_queue(struct audit_batcher *b, struct audit_wait *w)
{
	pthread_mutex_lock(&b->mu);
	if (b->stop) {
		pthread_mutex_unlock(&b->mu);
		return false;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->q = xrealloc(b->q, b->cap * sizeof(*b->q));
	}
	b->q[b->n++] = w;
	pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->mu);
	return true;
}

/* Queues w and waits until its batch is over; returns its result. */
static int batcher_wait(struct audit_batcher *b, struct audit_wait *w)
{
	if (sem_init(&w->sem, 0, 0) != 0)
		return DB_EIO;
	if (!batcher_queue(b, w)) {
		sem_destroy(&w->sem);
		return DB_EIO;
	}
	while (sem_wait(&w->sem) != 0 && errno == EINTR)
		;
	sem_destroy(&w->sem);
	return w->rc;
}

int audit_batcher_submit_many(struct audit_batcher *b,
			      const struct audit_event *evs, size_t n)
{
	if (n == 0)
		return DB_OK;
	struct audit_wait w;
	memset(&w, 0, sizeof(w));
	w.evs = evs;
	w.nev = n;
	return batcher_wait(b, &w);
}

int audit_batcher_submit_async(struct audit_batcher *b,
			       const struct audit_event *evs, size_t n,
			       void (*done)(void *arg, int rc), void *arg)
{
	struct audit_wait *w = xcalloc(1, sizeof(*w));
	w->evs = evs;
	w->nev = n;
	w->done = done;
	w->done_arg = arg;
	if (!batcher_queue(b, w)) {
		free(w);
		return DB_EIO;
	}
	return DB_OK;
}

int audit_batcher_submit(struct audit_batcher *b, const struct audit_event *ev)
{
	struct audit_wait w;
	memset(&w, 0, sizeof(w));
	w.ev = *ev;
	w.evs = &w.ev;
	w.nev = 1;
	copy_field(w.council, sizeof(w.council), ev->council, &w.ev.council);
	copy_field(w.username, sizeof(w.username), ev->username, &w.ev.username);
	copy_field(w.role, sizeof(w.role), ev->role, &w.ev.role);
	copy_field(w.action, sizeof(w.action), ev->action, &w.ev.action);
	copy_field(w.entity, sizeof(w.entity), ev->entity, &w.ev.entity);
	copy_field(w.rid, sizeof(w.rid), ev->request_id, &w.ev.request_id);
	copy_field(w.ip, sizeof(w.ip), ev->ip, &w.ev.ip);
	return batcher_wait(b, &w);
}

void audit_batcher_stats(struct audit_batcher *b, uint64_t *batches,
			 uint64_t *rows)
{
	pthread_mutex_lock(&b->mu);
	*batches = b->batches;
	*rows = b->rows;
	pthread_mutex_unlock(&b->mu);
}
