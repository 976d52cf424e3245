/*
 * notify: notifications inside Cairn (issue 9 §7): what needs a
 * person's attention, listed for them, counted in the header, marked
 * read.
 *
 * What makes one (docs/decisions.md D39):
 *   allocated        a referral allocated to you by someone else
 *                    (referral_allocate);
 *   decided          a decision on a contact you recorded, by someone
 *                    else (contact_decide): a partner who records
 *                    contacts later is told the same way;
 *   comment          a comment on a scrutiny review whose actions you
 *                    keep: action owners are post titles ("Head of
 *                    Service"), not accounts, so "you keep" means you
 *                    created the review (and imported its actions) or
 *                    recorded progress on an action under the comment's
 *                    recommendation (any of the review's when the
 *                    comment is on the whole review);
 *   contact_overdue  a contact in your queue past its decision's due
 *                    time (R01).  Not stored: it is worked out when the
 *                    list or the count is read, from the timescale
 *                    engine's open R01 items, for front-door officers
 *                    (their team's items, or the council's when an item
 *                    has no team, as the front door's have today).
 *                    Marking one read stores a read row for it; a
 *                    contact decided before it was read drops out.
 *
 * Rows hold codes and ids only: the kind, the record it points to
 * (subject and id), for "decided" the decision's code, the child's id
 * (never shown; kept so that a child's erasure can find them), when
 * (created_at, a UTC stamp) and when read.  The words a person reads
 * are made when the list is read, from the kind and the code
 * (notify_words), with a link to the record (notify_href): no name and
 * no narrative is ever stored or rendered, so nothing about a child
 * could leave Cairn through one.  A list shows no child's record and is
 * not audited; marking read is a write and is ("mark-read" /
 * "mark-all-read", entity "notification", no child).
 *
 * Transactions: notify_add and the hooks (notify_allocated,
 * notify_decided, notify_commented) run in the caller's write
 * transaction (ERR_NOTX otherwise), do not audit (the caller's write
 * is audited; a notification holds nothing the write did not) and skip
 * the actor themselves.  The marks are "own or joined" (domain/actor.h);
 * the reads are one statement each, in the caller's transaction if it
 * has one.
 *
 * Roles: any signed-in role reads and marks its own; the hooks run as
 * the roles whose writes make them (statement allow-lists).
 *
 * Errors: 0 or a negative enum err.  Marking a notification that is not
 * the actor's (another user's, another council's, none) is
 * ERR_NOTFOUND and changes nothing.
 */
#ifndef CAIRN_NOTIFY_H
#define CAIRN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"

struct arena;
struct record_type;

enum notify_kind {
	NOTIFY_ALLOCATED,       /* "allocated" */
	NOTIFY_DECIDED,         /* "decided" */
	NOTIFY_COMMENT,         /* "comment" */
	NOTIFY_CONTACT_OVERDUE, /* "contact_overdue" (worked out, not
				 * stored until read) */
	NOTIFY__MAX
};

/* The stored code ("allocated"...); NULL out of range.  parse: true and
 * *out set for a code, else false. */
const char *notify_kind_id(enum notify_kind k);
bool notify_kind_parse(const char *s, enum notify_kind *out);

/* The sentence a person reads for a notification of kind `kind` with
 * `detail` (the decision's code for NOTIFY_DECIDED; else ignored, may
 * be NULL): "A referral was allocated to you".  It takes no name and
 * holds none.  Static or in out (n bytes); never NULL. */
const char *notify_words(const char *kind, const char *detail, char *out,
			 size_t n);

/* The page a notification links to: "/referrals/12", "/contacts/7",
 * "/scrutiny/reviews/3"; "" for an unknown subject.  In out (n bytes). */
const char *notify_href(const char *subject, int64_t subject_id, char *out,
			size_t n);

/* A notification as read (the view notify_view: rows, the API's JSON).
 * Text is "" when absent. */
struct notification {
	int64_t notification_id; /* 0: a worked-out item not yet read */
	const char *kind;        /* a notify_kind code */
	const char *subject;     /* "referral", "contact", "scrutiny_review" */
	int64_t subject_id;
	const char *detail;      /* "decided": the decision's code */
	int64_t child_id;        /* never shown or sent */
	const char *at;          /* stored: when, a UTC stamp; worked out:
				  * the due time, UK civil */
	const char *read_at;     /* a UTC stamp; "" unread */
	/* derived */
	bool read;
	const char *text;        /* notify_words */
	const char *href;        /* notify_href */
};
extern const struct record_type notify_view;

/* Adds a notification for user_id (0 or less: nothing) about subject /
 * subject_id, with detail (a code, or NULL) and child_id (0: none), at
 * the actor's now; nothing when user_id is the actor.  In the caller's
 * write transaction. */
int notify_add(struct db_conn *c, const struct actor *who, int64_t user_id,
	       enum notify_kind kind, const char *subject, int64_t subject_id,
	       const char *detail, int64_t child_id);

/* The hooks, one call each in the write that makes them. */
/* referral_id, of child_id, was allocated to worker_id. */
int notify_allocated(struct db_conn *c, const struct actor *who,
		     int64_t worker_id, int64_t referral_id, int64_t child_id);
/* contact_id, of child_id, was decided `decision` (a code): tells the
 * person who recorded it. */
int notify_decided(struct db_conn *c, const struct actor *who,
		   int64_t contact_id, int64_t child_id, const char *decision);
/* A comment on review_id, on its recommendation rec_id (0: the whole
 * review): tells those who keep its actions (see the contract). */
int notify_commented(struct db_conn *c, const struct actor *who,
		     int64_t review_id, int64_t rec_id);

#define NOTIFY_PAGE 25

/* The actor's notifications: worked-out ones first (the newest due
 * first), then unread, then read, newest first; only unread ones when
 * unread_only; `limit` (1..200) of them after the first `offset` (a
 * page: NOTIFY_PAGE from (page - 1) * NOTIFY_PAGE).  *more when there
 * are more after them.  Not audited (no child's data). */
int notify_list(struct db_conn *c, const struct actor *who, bool unread_only,
		int64_t offset, int64_t limit, struct arena *a,
		struct notification **rows, int *n, bool *more);

/* How many are unread, worked-out ones included: one statement over
 * two indexes (the user's unread; the council's open R01 items). */
int notify_count(struct db_conn *c, const struct actor *who, int64_t *n);

/* Marks the actor's notification_id read (again: no change, ERR_OK);
 * ERR_NOTFOUND when it is not the actor's. */
int notify_mark_read(struct db_conn *c, const struct actor *who,
		     int64_t notification_id);

/* Marks the worked-out notice of contact_id's overdue decision read:
 * stores it, read.  ERR_NOTFOUND unless the actor is a front-door
 * officer whose queue holds the contact (its R01 item in the actor's
 * council, for their team or none); ERR_OK when already stored. */
int notify_mark_overdue_read(struct db_conn *c, const struct actor *who,
			     int64_t contact_id);

/* Marks everything the actor has unread read, worked-out ones included
 * (stored, read).  *n (may be NULL) gets how many. */
int notify_mark_all_read(struct db_conn *c, const struct actor *who,
			 int64_t *n);

#endif
