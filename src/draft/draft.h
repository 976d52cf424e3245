/*
 * draft: typed work kept for a person, sealed with the server's key.
 *
 * A draft is what someone typed into a page's form: the form's fields
 * (application/x-www-form-urlencoded, without the CSRF token or any
 * password), the path the form posts to, and the page that shows the
 * form.  It is kept either because the person's session had expired
 * when they sent the form (DRAFT_KEPT) or because they asked
 * ("Save as draft": DRAFT_SAVED).  See docs/decisions.md D24.
 *
 * Invariants:
 *  - The fields are sealed (auth/seal.h) with associated data binding
 *    them to the council, the user, the kind, both paths, the creation
 *    time and the draft id: a row copied to another user, path or id,
 *    or with its creation time changed, does not open.  Only the
 *    metadata (who, which paths, when) is in clear, as in the audit log.
 *  - A draft lives at most DRAFT_TTL_SECONDS from its creation; an
 *    expired draft is never returned, even before it is purged, and
 *    draft_put purges every expired draft (all councils).
 *  - A user has at most one draft per form path: draft_put replaces the
 *    one there was.
 *  - Every read and write is scoped by council and user: nobody reaches
 *    another person's draft through this interface.
 *
 * Transactions: the caller's.  draft_put must run inside a write
 * transaction (it allocates the id); the others are single statements.
 * Auditing is the caller's too (web/drafts.c), in the same transaction.
 *
 * Ownership: strings returned live in the context's arena.  Nothing here
 * logs the content of a draft.
 *
 * Errors: a negative enum db_err (db.h), or DB_ECONSTRAINT for a draft
 * larger than DRAFT_MAX_BYTES.
 */
#ifndef CAIRN_DRAFT_H
#define CAIRN_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct arena;
struct seal_key;

#define DRAFT_TTL_SECONDS (24 * 60 * 60)
/* The largest draft: the largest request body the server accepts. */
#define DRAFT_MAX_BYTES (64u << 20)

enum draft_kind {
	DRAFT_KEPT,  /* sent on an expired session and kept for the person */
	DRAFT_SAVED, /* saved on purpose with "Save as draft" */
	DRAFT__MAX
};

/* "kept", "saved" (the column's values); NULL outside the enum. */
const char *draft_kind_name(enum draft_kind k);

/* Who and when: every call is for one user of one council at `now`
 * (epoch seconds).  key may be NULL for calls that do not seal or open. */
struct draft_ctx {
	struct db_conn *c;
	const struct seal_key *key;
	struct arena *a;
	const char *council;
	int64_t user_id;
	int64_t now;
};

struct draft {
	int64_t draft_id;
	enum draft_kind kind;
	const char *path;       /* where the form posts, e.g. "/children/5/contacts" */
	const char *form_path;  /* the page that shows the form ("" unknown) */
	const char *form_query; /* that page's query string ("" for none) */
	int64_t created_at;
	int64_t expires_at;
	const char *body;       /* the fields, urlencoded, NUL-terminated;
				 * NULL when not opened (draft_list) */
	size_t body_len;
};

/* Seals body[0..len) and stores it as a new draft of x's user, replacing
 * their draft for the same path (its id in *replaced, else 0), after
 * purging expired drafts.  Returns 0 with *id_out set, or a negative
 * db_err (outputs unset).  Must run inside a write transaction. */
int draft_put(const struct draft_ctx *x, enum draft_kind kind,
	      const char *path, const char *form_path, const char *form_query,
	      const char *body, size_t len, int64_t *id_out,
	      int64_t *replaced);

/* The user's live draft shown by the page form_path, opened.  Returns 1
 * with *out filled, 0 when there is none (or it does not open under the
 * key: logged by id, never by content), or a negative db_err. */
int draft_find_page(const struct draft_ctx *x, const char *form_path,
		    struct draft *out);

/* The user's live draft `id`; opened when `open`.  Returns 1, 0 (none,
 * another user's, expired, or does not open), or a negative db_err. */
int draft_get(const struct draft_ctx *x, int64_t id, bool open,
	      struct draft *out);

/* The id of the user's live draft for the form posting to path: 1 with
 * *id, 0 none, or a negative db_err. */
int draft_for_path(const struct draft_ctx *x, const char *path, int64_t *id);

/* Deletes the user's draft `id`.  Returns 1 when it was there, 0 when
 * not, or a negative db_err. */
int draft_delete(const struct draft_ctx *x, int64_t id);

/* The user's live drafts, newest first, not opened (body NULL): *out is
 * an arena array of *n.  Returns 0 or a negative db_err. */
int draft_list(const struct draft_ctx *x, struct draft **out, int *n);

/* Deletes every draft (all councils) expired at now.  Returns how many
 * (capped at INT32_MAX), or a negative db_err. */
int draft_purge(struct db_conn *c, int64_t now);

#endif
