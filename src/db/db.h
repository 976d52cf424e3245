/*
 * db: the backend-neutral store interface.
 *
 * A `struct db` is a fixed pool of connections opened at start-up.  A
 * thread borrows one with db_acquire() and gives it back with
 * db_release().  SQL never appears outside statement definitions: each
 * module defines its statements with DB_STMT() (below), whose text is
 * constant, written in the SQL subset that SQLite 3.40 and PostgreSQL 15
 * share, with numbered placeholders ?1..?N (the PostgreSQL back end
 * rewrites them to $1..$N).  Values are always bound, never printed into
 * SQL.
 *
 * The catalogue: DB_STMT() places each definition in one linker section,
 * so every statement linked into the program is listed by
 * db_catalogue() with no hand-kept list that could miss one, and has a
 * fixed index (db_stmt_index) that the back ends use for O(1) statement
 * caches.  Names are unique across the catalogue (a test checks).  A
 * statement defined without DB_STMT() (a test's own) still runs: the back
 * end keeps a small bounded cache for such statements.
 *
 * Roles are enforced per statement, default-deny: each statement carries
 * a bitmask of the roles (see auth/role.h) that may run it, and a
 * connection carries the bit of the role it acts for (db_set_role).  A
 * statement the role may not run fails with DB_EDENIED before it
 * reaches the engine; the caller must abort the request.
 *
 * Every function returning int returns 0 (DB_OK) on success or a
 * negative `enum db_err`; db_step returns DB_ROW or DB_DONE (>= 0) or a
 * negative error.  Busy and locked conditions are retried in one place
 * (inside this module) with jitter, up to the busy timeout.
 *
 * Thread safety: a connection is used by one thread at a time; the pool
 * itself is thread-safe.
 */
#ifndef CAIRN_DB_H
#define CAIRN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum db_err {
	DB_OK = 0,
	DB_EBUSY = -1,       /* lock not obtained within the busy timeout */
	DB_ECONSTRAINT = -2, /* a unique, check or foreign-key constraint */
	DB_EDENIED = -3,     /* the connection's role may not run this */
	DB_EIO = -4,         /* anything else from the engine */
	DB_ESCHEMA = -5,     /* database is newer than this program */
	DB_EFULL = -6,       /* out of space: the disk, or the size limit */
};

enum db_step_result {
	DB_DONE = 0,
	DB_ROW = 1,
};

enum db_tx {
	DB_TX_READ,  /* a consistent snapshot; no writes */
	DB_TX_WRITE, /* takes the write lock at BEGIN */
};

/* Role bit for the command line and internal jobs: may run anything
 * whose allow-list names it. */
#define DB_ROLE_SYSTEM (1u << 31)
/* Role bit for the authentication layer before a user is known: signing
 * in, looking up a session or an API token. */
#define DB_ROLE_AUTH (1u << 30)
/* Mask meaning every role, signed-in or not. */
#define DB_ROLES_ALL 0xffffffffu

struct db_stmt {
	const char *name; /* unique, for logs and the DPIA report */
	const char *sql;
	unsigned roles;   /* bitmask of roles that may run it */
};

/*
 * Defines a statement in the catalogue:
 *
 *     DB_STMT(st_child_get) = { "child_get", "SELECT ...", R_READ };
 *     DB_STMTS(st_pair, 2) = { {...}, {...} };
 *
 * The definition goes into the section "cairn_stmt", which the linker
 * bounds with __start_cairn_stmt and __stop_cairn_stmt: an array of
 * struct db_stmt.  For that array to have no gaps, every entry is aligned
 * to exactly the struct's own alignment (an explicit `aligned` stops the
 * compiler from over-aligning a large object, which x86-64 GCC does to
 * 16 or 32 bytes for speed) and sizeof(struct db_stmt) is a multiple of
 * it (always true in C).  `used` keeps a statement the optimiser could
 * drop; sanitizers leave globals in named sections unpadded.  The
 * catalogue test checks the layout at run time (db_catalogue_check).
 */
#define DB_STMT_ATTRS                                                      \
	__attribute__((used, section("cairn_stmt"),                        \
		       aligned(__alignof__(struct db_stmt))))
#define DB_STMT(var) static const struct db_stmt var DB_STMT_ATTRS
#define DB_STMTS(var, n) static const struct db_stmt var[n] DB_STMT_ATTRS

/* Every statement of the program, *n of them (0 and NULL when none), in
 * link order.  The array is static: never freed. */
const struct db_stmt *db_catalogue(size_t *n);

/* The catalogue index of st (0 .. n-1), or -1 when st is not in the
 * catalogue (a statement defined without DB_STMT).  O(1): computed from
 * st's address. */
long db_stmt_index(const struct db_stmt *st);

/* Checks the catalogue's layout and names: every entry has a name, SQL
 * and at least one role, and no two share a name.  Returns 0, or -1
 * with the first problem in err. */
int db_catalogue_check(char *err, size_t errlen);

/* The same checks on any array of n statements (exported for its test). */
int db_stmts_check(const struct db_stmt *v, size_t n, char *err,
		   size_t errlen);

/* What a statement does to one table, as the engine's authorizer reports
 * it when the statement is prepared. */
enum db_access {
	DB_ACCESS_READ,   /* "read" */
	DB_ACCESS_INSERT, /* "insert" */
	DB_ACCESS_UPDATE, /* "update" */
	DB_ACCESS_DELETE, /* "delete" */
	DB_ACCESS_CREATE, /* "create": DDL (the schema version table) */
	DB_ACCESS__MAX
};

/* "read", "insert" ...; NULL out of range. */
const char *db_access_name(enum db_access a);

struct db;
struct db_conn;
struct db_q;

struct db_options {
	int pool_size;         /* connections opened at start (>= 1) */
	int busy_timeout_ms;   /* default 5000 */
	bool synchronous_full; /* fsync every commit (default true) */
	/* A size limit in pages of 4 KiB (0: none but the disk's).
	 * Connections may grow the file to max_pages; one given
	 * db_use_reserve() to max_pages + reserve_pages, so the audit rows
	 * that reads need can still be written when ordinary writes are
	 * refused for want of space. */
	int64_t max_pages;
	int64_t reserve_pages;
};

/* Opens the pool on target: a `postgres://` or `postgresql://` URI
 * (libpq's syntax) opens PostgreSQL, anything else is a SQLite file,
 * created when missing.  This is the one place the engine is chosen.
 * Returns 0 and sets *out, or a negative db_err with *out untouched and
 * a message in errbuf (which may contain the target: never a password,
 * which libpq takes from the URI or ~/.pgpass and we never print).
 * Free with db_close(). */
int db_open(const char *target, const struct db_options *opt,
	    struct db **out, char *errbuf, size_t errlen);

/* True when target names a database server (a URI db_open accepts), not
 * a file: a file's existence checks and paths beside it do not apply. */
bool db_is_uri(const char *target);

/* The engine of an open pool: "sqlite" or "postgres". */
const char *db_engine(const struct db *db);

/* Closes every connection.  db_close(NULL) is a no-op.  No connection
 * may be borrowed. */
void db_close(struct db *db);

/* Borrows a connection, waiting for one if all are in use.  Never NULL.
 * The connection's role is reset to none (every statement denied). */
struct db_conn *db_acquire(struct db *db);

/* Lets c use the reserve above the size limit (see db_options). */
void db_use_reserve(struct db_conn *c);

/* True when, since c was acquired, the engine reported that it is out
 * of space (DB_EFULL) or could not read or write the disk.  The request
 * pipeline uses it to tell the person that nothing was saved because of
 * the store, not because of what they sent. */
bool db_storage_failed(const struct db_conn *c);

/* Bulk writing, for a generator that writes many rows in one
 * transaction (the demo).  While on, inside a transaction, a statement
 * that writes and returns no rows may be only queued (PostgreSQL's
 * pipeline: no round trip each), answering DB_DONE at once; its error,
 * if any, is returned by the next statement that returns rows, by
 * db_changes or by db_commit, and the transaction cannot commit.  On
 * SQLite it changes nothing.  db_release turns it off. */
void db_set_bulk(struct db_conn *c, bool on);

/* Refreshes the engine's statistics of every table, inside the open
 * transaction (its own rows counted), for a bulk writer whose tables
 * grew from empty: PostgreSQL plans a foreign key's check once a
 * session, and a plan made while a table was nearly empty scans the
 * whole table on each later insert (the demo's 50,000 children took
 * minutes, growing with the square).  Planning again on fresh
 * statistics uses the key's index.  On SQLite nothing is done: its
 * foreign-key checks always use the key, and its plans elsewhere were
 * measured without statistics (docs/performance.md).  DB_ROLE_SYSTEM.
 * Returns 0 or a negative db_err. */
int db_analyze(struct db_conn *c);

/* Tidies the store after a bulk load, outside any transaction: on
 * PostgreSQL VACUUM (ANALYZE), so that the first readers find the rows'
 * visibility already settled (index-only scans, no hint bits to set on
 * every page they touch) and plans made on the tables' final sizes
 * rather than on statistics taken part way through the load (measured:
 * the record page at 212 against about 500 requests a second after the
 * 50,000-child demo, docs/performance.md).  Run by `cairn demo` and
 * `cairn migrate` after their commit.  On SQLite nothing is done.
 * DB_ROLE_SYSTEM.  Returns 0 or a negative db_err (DB_EIO inside a
 * transaction). */
int db_vacuum(struct db_conn *c);

/* Returns a borrowed connection; rolls back any open transaction. */
void db_release(struct db *db, struct db_conn *c);

/* Sets the role bit the connection acts for (a single bit, or
 * DB_ROLE_SYSTEM). */
void db_set_role(struct db_conn *c, unsigned role_bit);
/* The role bit the connection acts for (0: none). */
unsigned db_role(const struct db_conn *c);

/* Sets the council the connection acts for (docs/decisions.md D43):
 * on PostgreSQL, row-level security then shows and accepts only that
 * council's rows, whatever a statement's own filter says.  NULL or ""
 * sets none: a connection acting for no council sees no council's rows
 * except in the tables the authentication layer reads before it knows
 * the council (council, app_user, session, api_token, login_throttle).
 * A connection whose role is DB_ROLE_SYSTEM acts for every council:
 * this is the one way system work (the command line, migrations, the
 * audit committer, `cairn migrate`) reaches all councils.  The setting
 * is sent to the server with the next BEGIN or statement, and only when
 * it changed on that connection.  db_acquire resets it to none.  On
 * SQLite it is only remembered (no row-level security there: the
 * statements' council filters are the one line).  A code longer than
 * 31 bytes sets a council that matches no row. */
void db_set_council(struct db_conn *c, const char *council);

/* The council set with db_set_council ("" for none). */
const char *db_council(const struct db_conn *c);

int db_begin(struct db_conn *c, enum db_tx mode);
int db_commit(struct db_conn *c);
/* Never fails observably; safe when no transaction is open. */
void db_rollback(struct db_conn *c);
bool db_in_tx(const struct db_conn *c);

/* A number for the connection's open transaction, different for every
 * transaction the connection has begun (so a value remembered with the
 * connection names one snapshot); 0 when no transaction is open. */
uint64_t db_tx_seq(const struct db_conn *c);

/* Prepares (or takes from the connection's cache) the statement, resets
 * it and clears its bindings.  The handle is valid until the next
 * db_prepare of the same statement on this connection or db_release. */
int db_prepare(struct db_conn *c, const struct db_stmt *st, struct db_q **out);

/* Binding: idx counts from 1.  A NULL text binds SQL NULL.  Text is
 * copied (the caller's buffer may go away).  A bind that fails (an index
 * out of range, memory) is also kept: the next db_step returns that
 * error and runs nothing, so no statement runs with a missing value even
 * where a caller did not look at a bind's result. */
int db_bind_i64(struct db_q *q, int idx, int64_t v);
int db_bind_text(struct db_q *q, int idx, const char *s);
int db_bind_textn(struct db_q *q, int idx, const char *s, size_t n);
int db_bind_blob(struct db_q *q, int idx, const void *p, size_t n);
int db_bind_null(struct db_q *q, int idx);
/* An id: NULL when v is 0 or less (no record), else the integer. */
int db_bind_id(struct db_q *q, int idx, int64_t v);

/* Steps: DB_ROW, DB_DONE, or a negative db_err. */
int db_step(struct db_q *q);

/* Columns of the current row, counting from 0.  Text and blob pointers
 * are valid until the next db_step or db_prepare of this statement.
 * db_col_text returns NULL for SQL NULL. */
int64_t db_col_i64(struct db_q *q, int col);
const char *db_col_text(struct db_q *q, int col);
const void *db_col_blob(struct db_q *q, int col, size_t *len);
bool db_col_null(struct db_q *q, int col);

/* Prepares st afresh on c (not from the cache; the role is not checked)
 * with the engine's authorizer watching, and calls cb once for each
 * distinct (table, operation) the statement would touch, in the order
 * first seen; the engine's own tables (sqlite_*) are left out.  This is
 * what the statement can do, taken from the engine, not from reading the
 * SQL: the DPIA report (`cairn db statements`) is built from it.  A
 * non-zero return from cb stops and is returned.  Returns 0, or a
 * negative db_err when the statement does not prepare (the schema lacks
 * a table or column it names; db_errmsg says which).  On PostgreSQL the
 * statement is only prepared (cb is never called): the tables come from
 * SQLite's authorizer (docs/decisions.md D23). */
int db_stmt_access(struct db_conn *c, const struct db_stmt *st,
		   int (*cb)(const char *table, enum db_access op, void *arg),
		   void *arg);

/*
 * Typed: prepare, bind each argument by its C type, step once.
 *
 *     db_exec(c, &st_get, &q, council, child_id);
 *
 * Each argument is bound by _Generic on its type: an integer of any width
 * (int, long, int64_t, bool ...) as an integer, a char pointer or array
 * as text (a NULL char pointer as SQL NULL), the literal NULL as NULL,
 * and db_id(v) as db_bind_id binds an id (NULL for 0 or less).  Any
 * other type does not compile.  Their number must equal the
 * statement's placeholders (checked: DB_EIO and a log line naming the
 * statement otherwise), and every bind's result is checked.  Returns
 * DB_ROW (and *out positioned on the first row when out is non-NULL),
 * DB_DONE, or a negative error.  db_exec0 is the same for a statement
 * without placeholders.
 */
enum db_val_kind { DBV_I64, DBV_TEXT, DBV_NULL };
struct db_val {
	enum db_val_kind kind;
	int64_t i;
	const char *t;
};
static inline struct db_val db_v_i64(int64_t v)
{
	return (struct db_val){DBV_I64, v, NULL};
}
static inline struct db_val db_v_text(const char *s)
{
	return (struct db_val){s ? DBV_TEXT : DBV_NULL, 0, s};
}
static inline struct db_val db_v_null(const void *p)
{
	(void)p;
	return (struct db_val){DBV_NULL, 0, NULL};
}
static inline struct db_val db_v_val(struct db_val v)
{
	return v;
}
/* An id for db_exec: SQL NULL when v is 0 or less (no record), else the
 * integer (as db_bind_id). */
static inline struct db_val db_id(int64_t v)
{
	return v > 0 ? db_v_i64(v) : db_v_null(NULL);
}
#define DB_V(x)                                                             \
	_Generic((x),                                                       \
		char *: db_v_text, const char *: db_v_text,                 \
		void *: db_v_null, struct db_val: db_v_val,                 \
		_Bool: db_v_i64, int: db_v_i64, unsigned: db_v_i64,         \
		long: db_v_i64, unsigned long: db_v_i64,                    \
		long long: db_v_i64, unsigned long long: db_v_i64)(x)
#define DB_NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, \
		  a14, a15, a16, a17, a18, a19, a20, n, ...) n
#define DB_NARGS(...)                                                       \
	DB_NARGS_(__VA_ARGS__, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, \
		  8, 7, 6, 5, 4, 3, 2, 1, 0)
#define DB_M1(a) DB_V(a)
#define DB_M2(a, ...) DB_V(a), DB_M1(__VA_ARGS__)
#define DB_M3(a, ...) DB_V(a), DB_M2(__VA_ARGS__)
#define DB_M4(a, ...) DB_V(a), DB_M3(__VA_ARGS__)
#define DB_M5(a, ...) DB_V(a), DB_M4(__VA_ARGS__)
#define DB_M6(a, ...) DB_V(a), DB_M5(__VA_ARGS__)
#define DB_M7(a, ...) DB_V(a), DB_M6(__VA_ARGS__)
#define DB_M8(a, ...) DB_V(a), DB_M7(__VA_ARGS__)
#define DB_M9(a, ...) DB_V(a), DB_M8(__VA_ARGS__)
#define DB_M10(a, ...) DB_V(a), DB_M9(__VA_ARGS__)
#define DB_M11(a, ...) DB_V(a), DB_M10(__VA_ARGS__)
#define DB_M12(a, ...) DB_V(a), DB_M11(__VA_ARGS__)
#define DB_M13(a, ...) DB_V(a), DB_M12(__VA_ARGS__)
#define DB_M14(a, ...) DB_V(a), DB_M13(__VA_ARGS__)
#define DB_M15(a, ...) DB_V(a), DB_M14(__VA_ARGS__)
#define DB_M16(a, ...) DB_V(a), DB_M15(__VA_ARGS__)
#define DB_M17(a, ...) DB_V(a), DB_M16(__VA_ARGS__)
#define DB_M18(a, ...) DB_V(a), DB_M17(__VA_ARGS__)
#define DB_M19(a, ...) DB_V(a), DB_M18(__VA_ARGS__)
#define DB_M20(a, ...) DB_V(a), DB_M19(__VA_ARGS__)
#define DB_MAP__(n) DB_M##n
#define DB_MAP_(n) DB_MAP__(n)
#define DB_MAP(...) DB_MAP_(DB_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define db_exec(c, st, out, ...)                                            \
	db_runv((c), (st), (out), DB_NARGS(__VA_ARGS__),                    \
		(const struct db_val[]){DB_MAP(__VA_ARGS__)})
#define db_exec0(c, st, out) db_runv((c), (st), (out), 0, NULL)

int db_runv(struct db_conn *c, const struct db_stmt *st, struct db_q **out,
	    int n, const struct db_val *v);

/* Resets a statement that may still be positioned on a row, ending its
 * read snapshot.  db_begin, db_commit, db_rollback and db_release reset
 * every statement of the connection anyway; call this after reading one
 * row outside a transaction. */
void db_done(struct db_q *q);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(struct db_conn *c);

/* The engine's last message on this connection (no personal data is put
 * into SQL, so none can appear here). */
const char *db_errmsg(struct db_conn *c);

/* A fixed name for an error code. */
const char *db_strerror(int err);

/*
 * Record ids (docs/decisions.md D25).  Each council numbers each kind of
 * record on its own, from the id_counter table (council, kind, next).
 * `kind` is the name of the table whose key the id is ("child",
 * "contact", "scrutiny_rec" ...).  Ids are taken in the caller's write
 * transaction, by one upsert that is valid on SQLite and PostgreSQL and
 * that, on PostgreSQL, holds the counter's row lock until the caller
 * commits or rolls back: no two transactions get the same id, and a
 * rolled-back transaction's ids are taken back.  A council or kind with
 * no counter yet starts at 1.  Ids are increasing, not gap-free (a
 * failed insert after a committed take leaves a gap).
 */

/* Takes the next id of kind for council into *out.  Returns 0; DB_EIO
 * outside a write transaction (nothing taken); or a negative db_err (the
 * caller must roll back). */
int db_next_id(struct db_conn *c, const char *council, const char *kind,
	       int64_t *out);

/* Takes n (>= 1) consecutive ids at once: *first .. *first + n - 1.
 * Same contract as db_next_id. */
int db_next_ids(struct db_conn *c, const char *council, const char *kind,
		int64_t n, int64_t *first);

/* Raises each of council's counters to one past the highest id its
 * table holds (never lowers one), for a writer that chose its own ids
 * (the demo's bulk generator) before it commits.  Caller's write
 * transaction; DB_ROLE_SYSTEM.  Returns 0 or a negative db_err. */
int db_ids_sync(struct db_conn *c, const char *council);

/* Schema: creates or migrates to the newest version in one transaction.
 * Returns 0, or DB_ESCHEMA when the file is newer than this program. */
int db_migrate(struct db_conn *c, int *from, int *to);

/* As db_migrate, but stops at version `target` (<= db_schema_latest()):
 * for tests of a migration, which build the version before it. */
int db_migrate_to(struct db_conn *c, int target, int *from, int *to);

/* The schema version of the open database (0 when empty). */
int db_schema_version(struct db_conn *c);

/* The same, reading only (a read replica, where the version table cannot
 * be created): 0 when the store has no version table. */
int db_schema_version_read(struct db_conn *c);

/* The schema version this program migrates to. */
int db_schema_latest(void);

#endif
