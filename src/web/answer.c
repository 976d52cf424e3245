/* answer.c: see answer.h for the contract. */
#include "web/answer.h"
#include "api/api.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "web/app.h"
#include "web/page.h"

#include <string.h>

static const char *const problem_title =
	"Sorry, there is a problem with the service";

/* What each role may do, and whom to ask, for a page it may not see. */
static const char *const denied_words[ROLE__MAX] = {
	/* ROLE_FRONT_DOOR */
	"Front door officers can find children, record contacts, decide on "
	"them and allocate referrals, but this page is for other roles. If "
	"you need it for your work, ask your team manager.",
	/* ROLE_SOCIAL_WORKER */
	"Social workers can find children and work on their records, "
	"contacts and referrals, but this page is for other roles. If you "
	"need it for your work, ask your team manager.",
	/* ROLE_TEAM_MANAGER */
	"Team managers cannot use this page. If you need it for your work, "
	"ask your council's Cairn administrator.",
	/* ROLE_IRO */
	"Independent reviewing officers can read children's records, "
	"contacts and referrals, but this page is for other roles. If you "
	"need it for your work, ask your manager.",
	/* ROLE_PARTNER */
	"Partner professionals can see the records of the children their "
	"organisation works with, and nothing else. If you need more, "
	"contact the council's front door.",
	/* ROLE_ANALYST */
	"Performance analysts can see the dashboard and scrutiny reviews, "
	"which name no children, but not this page. If you need it for your "
	"work, ask your manager.",
	/* ROLE_COUNCILLOR */
	"Councillors can see the dashboard and read and comment on scrutiny "
	"reviews, but cannot see children's records or change anything "
	"else. If you need more, ask the council's scrutiny officer.",
	/* ROLE_ADMIN */
	"Administrators can manage users, check the audit log and see the "
	"dashboard and scrutiny reviews, but cannot see children's records.",
};

void answer_denied_page(struct req *r)
{
	const char *words = r->authed ? str_at(denied_words, ROLE__MAX,
					       (int)r->user.role)
				      : NULL;
	page_error(r, 403, "You do not have access to this page",
		   words ? words : "Your role does not allow this. Ask your "
				   "manager if you need it.");
}

void answer_error(struct req *r, int err, const struct field_errors *fe,
		  const char *what)
{
	bool api = strncmp(r->ex->path, "/api/", 5) == 0;
	bool has = fe_any(fe);
	int status = err == ERR_OK ? 500 : err_status(err);
	if (err == ERR_DENIED)
		log_kv(LOG_WARN, r->ex->rid, "request.denied", "route",
		       r->route ? r->route->pattern : "-", NULL);
	else if (status >= 500)
		log_kv(LOG_ERROR, r->ex->rid, "request.error", "route",
		       r->route ? r->route->pattern : "-", "error",
		       err_name(err), NULL);
	if (api) {
		const char *detail = NULL;
		switch (err) {
		case ERR_INVALID:
			if (has) {
				api_problem_fields(r, fe);
				return;
			}
			detail = "The request is not valid.";
			break;
		case ERR_NOTFOUND:
			detail = what ? arena_printf(r->a, "There is no %s with "
						     "that id in your council.",
						     what)
				      : "There is nothing at this address.";
			break;
		case ERR_CONFLICT:
		case ERR_DUPLICATE:
			detail = has ? fe->v[0].msg
				     : "This conflicts with what is already "
				       "recorded.";
			break;
		case ERR_DENIED:
			detail = "Your role does not allow this.";
			break;
		case ERR_BUSY:
			detail = "The store is busy; try again.";
			break;
		case ERR_FULL:
			detail = "The service cannot save anything at the "
				 "moment; nothing was changed.";
			break;
		case ERR_NOMEM:
			detail = "The request needs more memory than one "
				 "request may use.";
			break;
		default:
			detail = "Nothing was changed; try again later.";
		}
		api_problem(r, status, NULL, detail,
			    has && (err == ERR_CONFLICT || err == ERR_DUPLICATE)
				    ? fe->v[0].field : NULL);
		return;
	}
	switch (err) {
	case ERR_NOTFOUND:
		/* the same words as any unknown address: a partner must not
		 * learn that a hidden record exists */
		page_error(r, 404, "Page not found",
			   "If you typed the web address, check it is correct.");
		return;
	case ERR_DENIED:
		answer_denied_page(r);
		return;
	case ERR_INVALID:
		page_error(r, 422, "There is a problem",
			   has ? fe->v[0].msg : "What was sent is not valid.");
		return;
	case ERR_CONFLICT:
	case ERR_DUPLICATE:
		page_error(r, 409, "This has changed",
			   has ? fe->v[0].msg
			       : "Someone else changed this record while you "
				 "were working on it. Go back, reload the page "
				 "and try again.");
		return;
	case ERR_BUSY:
		page_error(r, 503, problem_title,
			   "The service is busy. Try again in a minute.");
		return;
	case ERR_FULL:
		page_error(r, 503, problem_title,
			   "The service cannot save anything at the moment. "
			   "Nothing you entered has been saved.");
		return;
	case ERR_NOMEM:
		page_error(r, 413, "The request was too large",
			   "Try a smaller search or a shorter text.");
		return;
	default:
		page_error(r, 500, problem_title,
			   "Try again later. Nothing you entered has been saved.");
	}
}

void answer_abort(struct req *r, int err)
{
	db_rollback(r->db);
	answer_error(r, err, NULL, NULL);
}
