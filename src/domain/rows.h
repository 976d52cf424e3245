/*
 * rows: running a module's statements in the domain's terms (enum err,
 * the caller's arena), so that no module writes the prepare, bind, step
 * and grow-an-array loop again.
 *
 * Statements run as db_exec runs them (db/db.h): each argument bound by
 * its C type (db_id() for an id that may be none), their number checked
 * against the statement's placeholders.
 *
 * Rows into structs.  A table of struct row_col says, for each result
 * column in order, which member of the module's C struct it fills
 * (offsetof) and how: ROW_TEXT a `const char *` copied into the arena,
 * "" for SQL NULL; ROW_I64 an int64_t; ROW_INT an int; ROW_BOOL a bool
 * (non-zero is true).  A text member is NULL only once the arena's
 * budget has run out, which every function here reports as ERR_NOMEM.
 *
 * Every function returns ERR_OK or a negative enum err (domain/err.h); a
 * store error is err_from_db's.  On error, outputs are left unset.
 * Nothing here begins or ends a transaction: reads and writes happen in
 * the caller's, with its audit row (domain/actor.h).
 */
#ifndef CAIRN_ROWS_H
#define CAIRN_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum row_kind {
	ROW_TEXT, /* const char *, arena copy, "" for NULL */
	ROW_I64,  /* int64_t */
	ROW_INT,  /* int */
	ROW_BOOL, /* bool */
	ROW__MAX
};

struct row_col {
	enum row_kind kind;
	size_t offset; /* offsetof in the item's struct */
};

/* One entry of a column table: ROW_COL(ROW_TEXT, struct child_flag, kind). */
#define ROW_COL(kind, type, member) {(kind), offsetof(type, member)}

/* How a row becomes an item of a list. */
struct row_map {
	size_t size;                 /* of one item */
	const struct row_col *cols;  /* column i fills cols[i]; may be NULL */
	int ncols;
	/* NULL, or called once the columns are read, for what the item
	 * works out from them (q is still on the row; arg is rows_list's).
	 * A non-zero return (a negative enum err) stops the read and is
	 * returned. */
	int (*each)(struct arena *a, struct db_q *q, void *item, void *arg);
	/* or, instead of cols, a view (domain/field.h): the row read by
	 * fields_row, one column a field in the view's order */
	const struct record_type *view;
};

/* How many columns a column table (an array, not a pointer) holds. */
#define ROW_NCOLS(cols) ((int)(sizeof(cols) / sizeof((cols)[0])))

/* A row_map read by a column table, each (NULL: none) after it:
 *     static const struct row_map flag_map =
 *             ROW_MAP(struct child_flag, flag_cols, flag_each); */
#define ROW_MAP(type, cols, each) \
	{sizeof(type), (cols), ROW_NCOLS(cols), (each), NULL}

/* Column i of q's row copied into a: "" for SQL NULL; NULL only over the
 * arena's budget. */
const char *rows_text(struct arena *a, struct db_q *q, int i);

/* Fills item's members from columns 0..n-1 of q's row by cols (see the
 * contract).  Members not named are left as they are. */
void rows_fill(struct arena *a, struct db_q *q, const struct row_col *cols,
	       int n, void *item);

/*
 * Runs st with the arguments and reads every row into a new arena array
 * of m->size-byte items, each zeroed, then filled by m (cols, then
 * each):
 *
 *     struct child_flag *v; int n;
 *     rc = rows_list(c, a, &st_flag_list, &flag_map, NULL, &v, &n,
 *                    council, child_id);
 *
 * Sets *v (never NULL, even with no rows) and *n.  Returns ERR_OK;
 * ERR_NOMEM over a's budget; each's code; or the store's error.
 */
#define rows_list(c, a, st, m, arg, v, n, ...)                              \
	rows_listv((c), (a), (st), (m), (arg), (void **)(v), (n),           \
		   DB_NARGS(__VA_ARGS__),                                    \
		   (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_listv(struct db_conn *c, struct arena *a, const struct db_stmt *st,
	       const struct row_map *m, void *arg, void **v, int *n,
	       int nargs, const struct db_val *args);

/*
 * As rows_list, then sorts the rows with cmp (qsort's, on two items)
 * and keeps the first max (0: all).  For a child's few rows on a page:
 * sorted here rather than by an ORDER BY, for which SQLite builds a
 * temporary b-tree on every page.
 */
#define rows_sorted(c, a, st, m, arg, cmp, max, v, n, ...)                  \
	rows_sortedv((c), (a), (st), (m), (arg), (cmp), (max), (void **)(v), \
		     (n), DB_NARGS(__VA_ARGS__),                             \
		     (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_sortedv(struct db_conn *c, struct arena *a, const struct db_stmt *st,
		 const struct row_map *m, void *arg,
		 int (*cmp)(const void *, const void *), int max, void **v,
		 int *n, int nargs, const struct db_val *args);

/*
 * Runs st with the arguments for its first row: ERR_OK with *q on that
 * row (valid until the statement is run again), ERR_NOTFOUND when there
 * is none, or the store's error.
 */
#define rows_get(c, st, q, ...)                                             \
	rows_getv((c), (st), (q), DB_NARGS(__VA_ARGS__),                    \
		  (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_getv(struct db_conn *c, const struct db_stmt *st, struct db_q **q,
	      int nargs, const struct db_val *args);

/*
 * Runs a write that must change exactly one row: an UPDATE guarded by
 * the version or the state the caller read.  ERR_OK; ERR_CONFLICT when
 * it changed none (the row changed since it was read) or more than one;
 * or the store's error.
 */
#define rows_change(c, st, ...)                                             \
	rows_changev((c), (st), DB_NARGS(__VA_ARGS__),                      \
		     (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_changev(struct db_conn *c, const struct db_stmt *st, int nargs,
		 const struct db_val *args);

/* Runs a write (an INSERT, or an UPDATE that may change no row): ERR_OK
 * or the store's error (a constraint is ERR_CONFLICT). */
#define rows_write(c, st, ...)                                              \
	rows_writev((c), (st), DB_NARGS(__VA_ARGS__),                       \
		    (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_writev(struct db_conn *c, const struct db_stmt *st, int nargs,
		const struct db_val *args);

/*
 * A list shown to who (a queue, a worker's list): runs st with the
 * arguments and reads the rows as rows_list does; keeps the first
 * `limit` (0: all) and, when there were more, sets *next (may be NULL)
 * to the id of the last kept (s->id_off; 0 at the end), so st should ask
 * for limit + 1; then audits the list (act_audit_shown: s->entity, the
 * children at s->child_off).  Without who->audit_read all of it is in a
 * write transaction (own or joined, domain/actor.h); with it, the read
 * takes none and the audit row goes through who->audit_read.  Outputs
 * are set only on ERR_OK.
 */
struct actor;
struct rows_list_shown {
	const char *entity; /* the audit row's: "contact" */
	size_t child_off;   /* offsetof the child's id in an item */
	size_t id_off;      /* offsetof the item's own id (the cursor) */
};
#define rows_shown(c, who, a, st, m, s, arg, limit, v, n, next, ...)        \
	rows_shownv((c), (who), (a), (st), (m), (s), (arg), (limit),          \
		    (void **)(v), (n), (next), DB_NARGS(__VA_ARGS__),         \
		    (const struct db_val[]){DB_MAP(__VA_ARGS__)})
int rows_shownv(struct db_conn *c, const struct actor *who, struct arena *a,
		const struct db_stmt *st, const struct row_map *m,
		const struct rows_list_shown *s, void *arg, int64_t limit,
		void **v, int *n, int64_t *next, int nargs,
		const struct db_val *args);

#endif
