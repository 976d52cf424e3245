/*
 * sqlite.c: the SQLite back end of db.h (operations behind db_int.h;
 * the pool, roles, statement cache and retry policy are common.c's).
 *
 * WAL journal, synchronous FULL by default (an acknowledged commit
 * survives power loss), foreign keys on, a busy timeout.  DB_TX_WRITE
 * is BEGIN IMMEDIATE (the one write lock, taken at BEGIN); DB_TX_READ is
 * BEGIN DEFERRED (a WAL snapshot from the first read).
 */
#include "db/db_int.h"
#include "core/arena.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum tx_stmt {
	TX_BEGIN_WRITE, /* "BEGIN IMMEDIATE" */
	TX_BEGIN_READ,  /* "BEGIN DEFERRED" */
	TX_COMMIT,      /* "COMMIT" */
	TX_ROLLBACK,    /* "ROLLBACK" */
	TX__MAX
};

static const char *const tx_sql[TX__MAX] = {
	"BEGIN IMMEDIATE", /* TX_BEGIN_WRITE */
	"BEGIN DEFERRED",  /* TX_BEGIN_READ */
	"COMMIT",          /* TX_COMMIT */
	"ROLLBACK",        /* TX_ROLLBACK */
};

struct lite_conn {
	struct db_conn base; /* first: common.c's view */
	sqlite3 *h;
	int64_t max_pages, reserve_pages;
	sqlite3_stmt *tx[TX__MAX];   /* prepared once: no parsing per call */
};

static struct lite_conn *lite(struct db_conn *c)
{
	return (struct lite_conn *)c;
}

static sqlite3_stmt *st_of(struct db_q *q)
{
	return q->st;
}

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_EBUSY;
	case SQLITE_CONSTRAINT:
		return DB_ECONSTRAINT;
	case SQLITE_FULL:
		return DB_EFULL;
	default:
		return DB_EIO;
	}
}

/* map_rc for a failure of a statement or transaction on c, remembering
 * a failure of the storage itself (db_storage_failed). */
static int conn_rc(struct db_conn *c, int rc)
{
	int prim = rc & 0xff;
	if (prim == SQLITE_FULL || prim == SQLITE_IOERR || prim == SQLITE_CANTOPEN)
		c->storage_failed = true;
	return map_rc(rc);
}

static bool transient(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

static int exec_retry(struct lite_conn *c, const char *sql)
{
	int rc;
	struct db_retry r;
	db__retry_start(&r, c->base.busy_timeout_ms);
	do
		rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
	while (transient(rc) && db__retry_again(&r));
	return rc;
}

/* Runs one of the prepared transaction statements, retrying busy with
 * jitter up to the busy timeout. */
static int tx_retry(struct lite_conn *c, enum tx_stmt t)
{
	int rc;
	struct db_retry r;
	db__retry_start(&r, c->base.busy_timeout_ms);
	do {
		rc = sqlite3_step(c->tx[t]);
		sqlite3_reset(c->tx[t]);
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
	} while (transient(rc) && db__retry_again(&r));
	return rc;
}

/* PRAGMA max_page_count for c (a number, so no binding is needed). */
static int set_max_pages(struct lite_conn *c, int64_t pages)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%lld",
		 (long long)pages);
	return exec_retry(c, sql);
}

static void lite_use_reserve(struct db_conn *base)
{
	struct lite_conn *c = lite(base);
	if (c->max_pages > 0 &&
	    set_max_pages(c, c->max_pages + c->reserve_pages) != SQLITE_OK)
		log_kv(LOG_WARN, NULL, "db.reserve", "error",
		       sqlite3_errmsg(c->h), NULL);
}

/* Library-wide settings, made once before SQLite initialises itself
 * (sqlite3_config refuses them afterwards, harmlessly).  Memory
 * statistics off: with them on, every allocation SQLite makes (the
 * system build has no lookaside, so a few hundred per page) takes one
 * process-wide mutex, which the worker threads then fight over; nothing
 * here reads the statistics. */
static pthread_once_t sqlite_config_once = PTHREAD_ONCE_INIT;

static void sqlite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static struct db_conn *lite_open(const char *path,
				 const struct db_options *opt, char *errbuf,
				 size_t errlen)
{
	pthread_once(&sqlite_config_once, sqlite_config);
	if (sqlite3_threadsafe() == 0) {
		snprintf(errbuf, errlen, "SQLite was built without threads");
		return NULL;
	}
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path,
			 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, opt->busy_timeout_ms);
	const char *pragmas = opt->synchronous_full
				      ? "PRAGMA journal_mode=WAL;"
					"PRAGMA synchronous=FULL;"
					"PRAGMA foreign_keys=ON;"
					"PRAGMA temp_store=MEMORY;"
					"PRAGMA cache_size=-16000;"
				      : "PRAGMA journal_mode=WAL;"
					"PRAGMA synchronous=NORMAL;"
					"PRAGMA foreign_keys=ON;"
					"PRAGMA temp_store=MEMORY;"
					"PRAGMA cache_size=-16000;";
	struct lite_conn *c = xcalloc(1, sizeof(*c));
	db__conn_init(&c->base, &db_backend_sqlite, opt);
	c->h = h;
	c->max_pages = opt->max_pages;
	c->reserve_pages = opt->reserve_pages;
	rc = exec_retry(c, pragmas);
	if (rc == SQLITE_OK && c->max_pages > 0)
		rc = set_max_pages(c, c->max_pages);
	for (int t = 0; rc == SQLITE_OK && t < TX__MAX; t++)
		rc = sqlite3_prepare_v3(h, tx_sql[t], -1,
					SQLITE_PREPARE_PERSISTENT, &c->tx[t],
					NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot configure %s: %s", path,
			 sqlite3_errmsg(h));
		for (int t = 0; t < TX__MAX; t++)
			sqlite3_finalize(c->tx[t]);
		sqlite3_close(h);
		db__conn_fini(&c->base);
		free(c);
		return NULL;
	}
	return &c->base;
}

static void lite_close(struct db_conn *base)
{
	struct lite_conn *c = lite(base);
	for (int t = 0; t < TX__MAX; t++)
		sqlite3_finalize(c->tx[t]);
	sqlite3_close(c->h);
	free(c);
}

static int lite_begin(struct db_conn *base, enum db_tx mode)
{
	int rc = tx_retry(lite(base), mode == DB_TX_WRITE ? TX_BEGIN_WRITE
							  : TX_BEGIN_READ);
	return rc == SQLITE_OK ? DB_OK : conn_rc(base, rc);
}

static int lite_commit(struct db_conn *base)
{
	int rc = tx_retry(lite(base), TX_COMMIT);
	return rc == SQLITE_OK ? DB_OK : conn_rc(base, rc);
}

static void lite_rollback(struct db_conn *base)
{
	struct lite_conn *c = lite(base);
	sqlite3_step(c->tx[TX_ROLLBACK]);
	sqlite3_reset(c->tx[TX_ROLLBACK]);
}

static int lite_prepare(struct db_conn *base, const struct db_stmt *st,
			struct db_q *q)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(lite(base)->h, st->sql, -1,
				    SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK)
		return map_rc(rc);
	if (q->st != NULL)
		sqlite3_finalize(st_of(q));
	q->st = s;
	return DB_OK;
}

/* CAIRN_STMT_STATS=1: each cached statement's work since it was
 * prepared, written to stderr as it is finalized (when its connection
 * closes), to find the statement a page spends its time in:
 * `stmt NAME runs N vm_steps N fullscan_steps N sorts N`.  Names and
 * counts only, nothing from the rows.  docs/performance.md. */
static void stmt_stats(struct db_q *q)
{
	static int on = -1;
	if (on < 0) {
		const char *e = getenv("CAIRN_STMT_STATS");
		on = e != NULL && strcmp(e, "1") == 0;
	}
	if (!on || q->def == NULL)
		return;
	sqlite3_stmt *s = st_of(q);
	fprintf(stderr, "stmt %s runs %d vm_steps %d fullscan_steps %d"
			" sorts %d\n",
		q->def->name, sqlite3_stmt_status(s, SQLITE_STMTSTATUS_RUN, 0),
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0),
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0),
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0));
}

static void lite_finalize(struct db_q *q)
{
	stmt_stats(q);
	sqlite3_finalize(st_of(q));
	q->st = NULL;
}

static void lite_reset(struct db_q *q)
{
	sqlite3_reset(st_of(q));
}

static void lite_clear_bindings(struct db_q *q)
{
	sqlite3_clear_bindings(st_of(q));
}

static int lite_nparams(struct db_q *q)
{
	return sqlite3_bind_parameter_count(st_of(q));
}

/* What db_stmt_access collects while the authorizer watches. */
#define ACCESS_MAX 64
struct access {
	int n;
	bool overflow;
	struct {
		char table[64];
		enum db_access op;
	} v[ACCESS_MAX];
};

static void access_add(struct access *a, const char *table, enum db_access op)
{
	if (table == NULL || strncmp(table, "sqlite_", 7) == 0)
		return;
	for (int i = 0; i < a->n; i++)
		if (a->v[i].op == op && strcmp(a->v[i].table, table) == 0)
			return;
	if (a->n == ACCESS_MAX || strlen(table) >= sizeof(a->v[0].table)) {
		a->overflow = true;
		return;
	}
	snprintf(a->v[a->n].table, sizeof(a->v[a->n].table), "%s", table);
	a->v[a->n++].op = op;
}

static int authorizer(void *arg, int action, const char *a1, const char *a2,
		      const char *db, const char *trigger)
{
	(void)a2;
	(void)db;
	(void)trigger;
	struct access *a = arg;
	switch (action) {
	case SQLITE_READ:   access_add(a, a1, DB_ACCESS_READ); break;
	case SQLITE_INSERT: access_add(a, a1, DB_ACCESS_INSERT); break;
	case SQLITE_UPDATE: access_add(a, a1, DB_ACCESS_UPDATE); break;
	case SQLITE_DELETE: access_add(a, a1, DB_ACCESS_DELETE); break;
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_INDEX:
		access_add(a, action == SQLITE_CREATE_TABLE ? a1 : a2,
			   DB_ACCESS_CREATE);
		break;
	default: break;
	}
	return SQLITE_OK;
}

static int lite_stmt_access(struct db_conn *base, const struct db_stmt *st,
		   int (*cb)(const char *table, enum db_access op, void *arg),
		   void *arg)
{
	struct lite_conn *c = lite(base);
	struct access *a = xcalloc(1, sizeof(*a));
	sqlite3_stmt *s = NULL;
	sqlite3_set_authorizer(c->h, authorizer, a);
	int rc = sqlite3_prepare_v2(c->h, st->sql, -1, &s, NULL);
	sqlite3_set_authorizer(c->h, NULL, NULL);
	sqlite3_finalize(s);
	if (rc != SQLITE_OK) {
		free(a);
		return map_rc(rc);
	}
	if (a->overflow) {
		log_kv(LOG_ERROR, NULL, "db.access_overflow", "stmt", st->name,
		       NULL);
		free(a);
		return DB_EIO;
	}
	int ret = 0;
	for (int i = 0; i < a->n && ret == 0; i++)
		ret = cb(a->v[i].table, a->v[i].op, arg);
	free(a);
	return ret;
}


static int lite_bind_i64(struct db_q *q, int idx, int64_t v)
{
	return map_rc(sqlite3_bind_int64(st_of(q), idx, v));
}

static int lite_bind_text(struct db_q *q, int idx, const char *s, size_t n)
{
	return map_rc(sqlite3_bind_text64(st_of(q), idx, s, n,
					  SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int lite_bind_blob(struct db_q *q, int idx, const void *p, size_t n)
{
	return map_rc(sqlite3_bind_blob64(st_of(q), idx, p, n,
					  SQLITE_TRANSIENT));
}

static int lite_bind_null(struct db_q *q, int idx)
{
	return map_rc(sqlite3_bind_null(st_of(q), idx));
}

static int lite_step(struct db_q *q)
{
	struct lite_conn *c = lite(q->conn);
	struct db_retry r;
	db__retry_start(&r, c->base.busy_timeout_ms);
	for (;;) {
		int rc = sqlite3_step(st_of(q));
		if (rc == SQLITE_ROW)
			return DB_ROW;
		if (rc == SQLITE_DONE)
			return DB_DONE;
		sqlite3_reset(st_of(q));
		/* Inside a transaction a busy step cannot be retried safely
		 * (SQLite may have rolled back); outside one it can. */
		if (transient(rc) && !c->base.in_tx && db__retry_again(&r))
			continue;
		if ((rc & 0xff) != SQLITE_CONSTRAINT)
			log_kv(LOG_ERROR, NULL, "db.step", "stmt", q->def->name,
			       "error", sqlite3_errmsg(c->h), NULL);
		q->active = false;
		return conn_rc(&c->base, rc);
	}
}

static int64_t lite_col_i64(struct db_q *q, int col)
{
	return sqlite3_column_int64(st_of(q), col);
}

static const char *lite_col_text(struct db_q *q, int col)
{
	return (const char *)sqlite3_column_text(st_of(q), col);
}

static const void *lite_col_blob(struct db_q *q, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st_of(q), col);
	*len = (size_t)sqlite3_column_bytes(st_of(q), col);
	return p;
}

static bool lite_col_null(struct db_q *q, int col)
{
	return sqlite3_column_type(st_of(q), col) == SQLITE_NULL;
}

static int64_t lite_changes(struct db_conn *c)
{
	return sqlite3_changes64(lite(c)->h);
}

static const char *lite_errmsg(struct db_conn *c)
{
	return sqlite3_errmsg(lite(c)->h);
}

static int lite_exec_script(struct db_conn *base, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(lite(base)->h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		log_kv(LOG_ERROR, NULL, "db.migrate", "error",
		       err ? err : sqlite3_errstr(rc), NULL);
		sqlite3_free(err);
		return map_rc(rc);
	}
	return DB_OK;
}

/* At the end of the file (db/copy.c's hooks). */
static enum db_type lite_col_type(struct db_q *q, int col);
static int lite_describe(struct db_conn *c,
			 int (*cb)(const struct db_schema_item *it, void *arg),
			 void *arg);

const struct db_backend db_backend_sqlite = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.reset = lite_reset,
	.clear_bindings = lite_clear_bindings,
	.nparams = lite_nparams,
	.bind_i64 = lite_bind_i64,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.col_i64 = lite_col_i64,
	.col_text = lite_col_text,
	.col_blob = lite_col_blob,
	.col_null = lite_col_null,
	.changes = lite_changes,
	.errmsg = lite_errmsg,
	.stmt_access = lite_stmt_access,
	.exec_script = lite_exec_script,
	.use_reserve = lite_use_reserve,
	.col_type = lite_col_type,
	.describe = lite_describe,
};

/* ---- db/copy.c's hooks: value types, the schema, the backup API ---- */

static enum db_type lite_col_type(struct db_q *q, int col)
{
	switch (sqlite3_column_type(st_of(q), col)) {
	case SQLITE_NULL: return DB_TYPE_NULL;
	case SQLITE_INTEGER: return DB_TYPE_INT;
	case SQLITE_TEXT: return DB_TYPE_TEXT;
	case SQLITE_BLOB: return DB_TYPE_BLOB;
	default: return DB_TYPE_OTHER; /* SQLITE_FLOAT */
	}
}

/* A declared type mapped by SQLite's own affinity rules (§3.1 of
 * "Datatypes In SQLite"): INT → integer; CHAR, CLOB, TEXT → text; BLOB
 * or none → blob; anything else (REAL, NUMERIC) → other. */
static enum db_type decl_type(const char *t)
{
	if (t == NULL || t[0] == '\0')
		return DB_TYPE_BLOB;
	char up[64];
	size_t i = 0;
	for (; t[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(t[i] >= 'a' && t[i] <= 'z' ? t[i] - 32 : t[i]);
	up[i] = '\0';
	if (strstr(up, "INT"))
		return DB_TYPE_INT;
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return DB_TYPE_TEXT;
	if (strstr(up, "BLOB"))
		return DB_TYPE_BLOB;
	return DB_TYPE_OTHER;
}

/* The schema from sqlite_master and the table-valued pragmas: constant
 * SQL, the table names coming from the catalogue itself. */
static int lite_describe(struct db_conn *base,
			 int (*cb)(const struct db_schema_item *it, void *arg),
			 void *arg)
{
	static const char *const sql[2] = {
		"SELECT m.name, p.name, p.type, p.pk FROM sqlite_master m,"
		" pragma_table_info(m.name) p WHERE m.type = 'table'"
		" AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		" ORDER BY m.name, p.cid",
		"SELECT DISTINCT m.name, f.\"table\" FROM sqlite_master m,"
		" pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
		" AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		" ORDER BY m.name, f.\"table\"",
	};
	struct lite_conn *c = lite(base);
	int ret = 0;
	for (int k = 0; k < 2 && ret == 0; k++) {
		sqlite3_stmt *s = NULL;
		int rc = sqlite3_prepare_v2(c->h, sql[k], -1, &s, NULL);
		if (rc != SQLITE_OK)
			return conn_rc(base, rc);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0) {
			struct db_schema_item it = {
				.table = (const char *)sqlite3_column_text(s, 0),
			};
			if (k == 0) {
				it.column = (const char *)sqlite3_column_text(s, 1);
				it.type = decl_type(
					(const char *)sqlite3_column_text(s, 2));
				it.pk = sqlite3_column_int(s, 3);
			} else {
				it.parent = (const char *)sqlite3_column_text(s, 1);
			}
			ret = cb(&it, arg);
		}
		if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
			ret = conn_rc(base, rc);
		sqlite3_finalize(s);
	}
	return ret;
}

/* A backup that another connection's write restarted (remaining went
 * up) this many times is finished in one step: one read snapshot, which
 * in WAL mode holds no writer back either. */
#define BACKUP_RESTARTS 3

int db__sqlite_backup(const char *from, const char *to, int step_pages,
		      void (*progress)(int remaining, int total, void *arg),
		      void *arg, char *err, size_t errlen)
{
	pthread_once(&sqlite_config_once, sqlite_config);
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b = NULL;
	int ret = -1;
	/* the source must exist: no SQLITE_OPEN_CREATE */
	int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", from,
			 src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		sqlite3_close(src);
		return -1;
	}
	sqlite3_busy_timeout(src, 10000);
	/* claim the destination's name: never overwrite a file; readable
	 * by its owner only, as the database it copies should be */
	int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s: not overwriting it", to,
			 errno == EEXIST ? "the file exists" : strerror(errno));
		sqlite3_close(src);
		return -1;
	}
	close(fd);
	rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", to,
			 dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out_remove;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		snprintf(err, errlen, "cannot start the backup: %s",
			 sqlite3_errmsg(dst));
		goto out_remove;
	}
	int restarts = 0, last = -1;
	do {
		rc = sqlite3_backup_step(b, restarts >= BACKUP_RESTARTS
						    ? -1 : step_pages);
		int remaining = sqlite3_backup_remaining(b);
		if (last >= 0 && remaining > last)
			restarts++;
		last = remaining;
		if (progress)
			progress(remaining, sqlite3_backup_pagecount(b), arg);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	rc = sqlite3_backup_finish(b);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "the backup failed: %s",
			 sqlite3_errmsg(dst));
		goto out_remove;
	}
	sqlite3_stmt *s = NULL;
	rc = sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &s, NULL);
	const char *ok = NULL;
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		ok = (const char *)sqlite3_column_text(s, 0);
	if (ok == NULL || strcmp(ok, "ok") != 0) {
		/* the first problem names a table or page, never a value */
		snprintf(err, errlen, "the copy fails its integrity check: %s",
			 ok ? ok : sqlite3_errmsg(dst));
		sqlite3_finalize(s);
		goto out_remove;
	}
	sqlite3_finalize(s);
	ret = 0;
	goto out_close;
out_remove:
	sqlite3_close(dst);
	dst = NULL;
	remove(to);
	{
		char side[4200];
		snprintf(side, sizeof(side), "%s-journal", to);
		remove(side);
	}
out_close:
	sqlite3_close(dst);
	sqlite3_close(src);
	return ret;
}
