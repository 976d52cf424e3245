/*
 * drafts: no typed work lost (docs/decisions.md D24).
 *
 * The pipeline's draft steps, and the pages that list, restore and
 * discard drafts.  A draft is a page form's fields kept for its user
 * (draft/draft.h: sealed with the server's key, 24 hours at most):
 *
 *  - Kept on expiry: a page POST whose cookie names a session that has
 *    just expired, carrying that session's CSRF token, is kept for the
 *    session's user (drafts_keep_expired), who is sent to sign in and
 *    then to /drafts/{id}, which opens the page that showed the form.
 *  - Saved on purpose: a form with a long-text field gets a second
 *    button, "Save as draft" (name "_draft", value "save"), which the
 *    pipeline catches before the handler (drafts_intercept).
 *  - Shown: a GET page whose path is the draft's form page gets it
 *    (drafts_load); page.c's form helpers then fill the form that posts
 *    to the draft's path with the kept values, and page_begin shows a
 *    banner with "Discard draft".  Every form built with form_begin
 *    carries a hidden "_form" (the page that shows it) so a draft knows
 *    where to go back to.
 *  - Done with: a successful (303) submission of that form deletes the
 *    draft (drafts_after_post), as does "Discard draft".
 *
 * Reserved field names, never passed to a handler: "_draft", "_form".
 * A "cairn_drafts" cookie says "this browser's user may have drafts";
 * it is only a hint (the store decides), and spares everyone else the
 * look-up.  Every write, read and delete of a draft is audited (entity
 * "draft", the child's id when the form's path names one) in the same
 * transaction.  With no server key (app->key NULL: unit tests that
 * build a bare app) every step does nothing.
 */
#ifndef CAIRN_DRAFTS_H
#define CAIRN_DRAFTS_H

#include <stdbool.h>

#include "http/decode.h"

struct req;

/* The hint cookie's name. */
#define DRAFTS_COOKIE "cairn_drafts"

/* For a page POST refused because its session expired (r->expired set
 * by authentication): keeps the declared fields for the session's user
 * when the body carries that session's CSRF token, and redirects to
 * sign in.  Returns 1 when it answered (kept), 0 when the caller should
 * answer as before (nothing kept). */
int drafts_keep_expired(struct req *r);

/* For a signed-in page POST whose CSRF token was accepted, with the raw
 * (unfiltered) form: notes "_form", and saves a draft when "_draft" is
 * "save".  Returns 1 when it answered (saved, or a 503), else 0. */
int drafts_intercept(struct req *r, const struct decode_params *raw);

/* For a signed-in GET page: loads (and audits) the user's draft shown
 * by this page, if any, into r->draft. */
void drafts_load(struct req *r);

/* After a signed-in page POST's handler: a 303 means the form was
 * accepted, so the user's draft for this path is deleted. */
void drafts_after_post(struct req *r);

/* After a successful sign-in (session committed): purges expired
 * drafts and sets the hint cookie when the user has any. */
void drafts_signed_in(struct req *r);

/* The value a field of the form being written should show: the
 * draft's when the form is the draft's (r->draft_on) and the draft has
 * the field, else `given`.  For choices (radios, checkboxes) a draft
 * without the field means "none chosen": pass choice = true. */
const char *drafts_value(const struct req *r, const char *name,
			 const char *given, bool choice);

/* True when the draft filling the current form chose value for name
 * (a checkbox); *applies is set when a draft fills this form at all. */
bool drafts_chosen(const struct req *r, const char *name, const char *value,
		   bool *applies);

/* The banner page_begin shows above the heading on a page a draft
 * fills. */
void drafts_banner(struct req *r);

/* The page that shows the form being written, for its hidden "_form"
 * field, or NULL when unknown. */
const char *drafts_form_page(struct req *r);

#endif
