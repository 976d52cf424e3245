/*
 * answer: the one place a domain error (domain/err.h) becomes the answer
 * a person or a program reads.
 *
 * A page route gets a GOV.UK page; an API route (/api/) RFC 9457
 * problem+json.  The status is err_status(): not found and not yours are
 * the same 404 with the same words as an unknown address, a constraint
 * is 409, a store that is busy or full 503.  ERR_INVALID answers 422:
 * through the API, a problem naming every field; on a page a form
 * handler re-shows its own form with the error summary and everything
 * typed instead of calling this (a page that still gets ERR_INVALID here
 * shows the first message).  Denials and unexpected errors are logged
 * with the route, never with what was typed.
 */
#ifndef CAIRN_ANSWER_H
#define CAIRN_ANSWER_H

#include "domain/err.h"

struct req;

/* Answers err (negative; ERR_OK is a programming error and answers
 * 500).  fe may be NULL; with ERR_CONFLICT or ERR_INVALID its first
 * message is the detail.  what names the record for an API's 404
 * ("contact"); may be NULL. */
void answer_error(struct req *r, int err, const struct field_errors *fe,
		  const char *what);

/* The 403 page for a page the user's role may not use: in the layout,
 * with words that say what their role can do and whom to ask (a signed
 * out request gets the general words).  Logs nothing (the caller does). */
void answer_denied_page(struct req *r);

/* For a page that read in a transaction and then failed: rolls the
 * request's transaction back (if one is open; nothing it wrote is kept)
 * and answers err as answer_error does, with no fields and no name. */
void answer_abort(struct req *r, int err);

#endif
