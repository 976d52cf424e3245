/*
 * frontdoor_pages.c: "My work", the front-door queue, recording and
 * deciding contacts, and allocating referrals.  See frontdoor_pages.h.
 *
 * Every handler reads through the referral module, whose functions
 * append the audit row in the same transaction as the read or write;
 * pages are written only after that transaction has committed.
 */
#include "web/frontdoor_pages.h"
#include "domain/due.h"
#include "domain/field.h"
#include "web/fields.h"
#include "child/child.h"
#include "web/sections.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/html.h"
#include "referral/contact.h"
#include "referral/referral.h"
#include "web/answer.h"
#include "web/page.h"
#include "web/routes.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Rows shown on one page of a list. */
#define PAGE_ROWS 100

/* ---- helpers --------------------------------------------------------- */

/* The page's id for a domain field. */
static const char *page_field(const char *f)
{
	if (strcmp(f, "received_at") == 0)
		return "received-day";
	return f;
}

static void add_domain_errors(struct req *r, const struct field_errors *e,
			      struct field_errors *fe)
{
	for (int i = 0; i < e->n; i++) {
		const char *m = arena_strdup(r->a, e->v[i].msg);
		fe_set(fe, page_field(e->v[i].field),
			   m ? m : "There is a problem with this answer");
	}
}

static const char *fmt_time(struct req *r, const char *civil)
{
	char b[32];
	referral_format_time(civil, b);
	return referral_dup(r->a, b);
}

static const char *fmt_date(struct req *r, const char *date)
{
	char b[24];
	referral_format_date(date, b);
	return referral_dup(r->a, b);
}

static const char *source_text(struct req *r, const char *code)
{
	const char *l = contact_source_label(code);
	if (l == NULL)
		return referral_dup(r->a, code);
	const char *s = arena_printf(r->a, "%s: %s", code, l);
	return s ? s : "";
}

/* Longest path id_path writes, NUL included. */
#define ID_PATH_MAX 96

/* prefix, the decimal id, then suffix (NULL: none) into buf, truncated
 * to fit (prefix and suffix are short literals from our source, so it
 * never is); returns buf.  Hand-written rather than printf: every row
 * of a list links somewhere. */
static const char *id_path(char buf[ID_PATH_MAX], const char *prefix,
			   int64_t id, const char *suffix)
{
	char digits[24];
	size_t nd = 0, k = 0;
	uint64_t u = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (id < 0)
		digits[nd++] = '-';
	for (const char *p = prefix; *p && k + 1 < ID_PATH_MAX; p++)
		buf[k++] = *p;
	while (nd && k + 1 < ID_PATH_MAX)
		buf[k++] = digits[--nd];
	for (const char *p = suffix ? suffix : ""; *p && k + 1 < ID_PATH_MAX;
	     p++)
		buf[k++] = *p;
	buf[k] = '\0';
	return buf;
}

static const char *path_id(struct req *r, const char *prefix, int64_t id,
			   const char *suffix)
{
	char b[ID_PATH_MAX];
	const char *s = arena_strdup(r->a, id_path(b, prefix, id, suffix));
	return s ? s : "/";
}












/* A cell with source_text(code), written in pieces. */
static void source_cell(struct req *r, const char *code)
{
	struct sbuf *o = page_out(r);
	const char *l = contact_source_label(code);
	page_cell_begin(r);
	html_text(o, code);
	if (l != NULL) {
		html_text(o, ": ");
		html_text(o, l);
	}
	page_cell_end(r);
}



/* "Overdue by 2 hours" with a tag saying the same in words. */
static void due_status(struct req *r, const char *due_at, struct cal_time now)
{
	struct sbuf *o = page_out(r);
	struct cal_time due;
	if (!cal_time_parse(due_at, strlen(due_at), &due)) {
		html_text(o, due_at);
		return;
	}
	char txt[64];
	bool over = contact_due_text(now, due, txt, sizeof(txt));
	txt[0] = (char)toupper((unsigned char)txt[0]);
	html_text(o, txt);
	html_raw(o, " ");
	if (over)
		page_tag(r, "Overdue", "red");
	else if (cal_compare(due.date, now.date) == 0)
		page_tag(r, "Due today", "yellow");
	else
		page_tag(r, "Due later", "grey");
}

/* ---- My work --------------------------------------------------------- */

static void links_page(struct req *r)
{
	struct sbuf *o = page_out(r);
	page_h2(r, "What you can do");
	html_raw(o, "<ul class=\"govuk-list govuk-list--bullet\">");
	int n = 0;
	if (req_can(r, PERM_CHILD_SEARCH)) {
		html_raw(o, "<li>");
		page_link(r, "/children", "Find a child");
		html_raw(o, "</li>");
		n++;
	}
	if (req_can(r, PERM_AGGREGATES)) {
		html_raw(o, "<li>");
		page_link(r, "/dashboard", "See the dashboard (counts only, no names)");
		html_raw(o, "</li>");
		n++;
	}
	if (req_can(r, PERM_USER_ADMIN)) {
		html_raw(o, "<li>");
		page_link(r, "/admin/users", "Manage user accounts");
		html_raw(o, "</li>");
		n++;
	}
	html_raw(o, "</ul>");
	if (n == 0)
		page_para(r, "Your role has no tasks in Cairn yet. Ask your "
			"administrator if you need access.");
}

static void queue_summary(struct req *r, const struct contact_counts *cc,
			  int64_t unallocated)
{
	struct sbuf *o = page_out(r);
	page_h2(r, "Front door");
	summary_begin(r);
	page_srow_begin(r, "Contacts overdue");
	html_int(o, cc->overdue);
	if (cc->overdue) {
		html_raw(o, " ");
		page_tag(r, "Overdue", "red");
	}
	page_srow_end(r);
	page_srow_begin(r, "Contacts due today");
	html_int(o, cc->due_today);
	page_srow_end(r);
	page_srow_begin(r, "Contacts waiting for a decision");
	html_int(o, cc->undecided);
	page_srow_end(r);
	page_srow_begin(r, "Referrals waiting for allocation");
	html_int(o, unallocated);
	page_srow_end(r);
	summary_end(r);
	html_raw(o, "<p class=\"govuk-body\">");
	page_link(r, "/front-door", "Go to the front-door queue");
	html_raw(o, "</p>");
}

static void my_children(struct req *r, const struct referral *v, int n,
			int64_t more, const struct referral_flag *fl, int nf)
{
	struct sbuf *o = page_out(r);
	page_h2(r, "My children");
	if (n == 0) {
		page_para(r, "No children are allocated to you.");
	} else {
		static const char *const heads[] = {
			"Child", "Referral date", "Assessment due (45 working days)",
		};
		page_table_begin(r, "Children allocated to you", heads, 3);
		for (int i = 0; i < n; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, path_id(r, "/children/", v[i].child_id, NULL),
			     v[i].child_name);
			page_cell_end(r);
			page_cell_begin(r);
			page_link(r, path_id(r, "/referrals/", v[i].referral_id, NULL),
			     fmt_date(r, v[i].referral_date));
			page_cell_end(r);
			page_cell_begin(r);
			html_text(o, fmt_date(r, v[i].assessment_due));
			if (v[i].assessment_overdue) {
				html_raw(o, " ");
				page_tag(r, "Overdue", "red");
			}
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
		if (more)
			page_para(r, "Only the newest 200 are shown.");
	}
	page_h2(r, "Flags past their review date");
	if (nf == 0) {
		page_para(r, "No flags on your children are past their review date.");
		return;
	}
	static const char *const fheads[] = {"Child", "Flag", "Review date"};
	page_table_begin(r, "Open flags past their review date", fheads, 3);
	for (int i = 0; i < nf; i++) {
		page_row_begin(r);
		page_cell_begin(r);
		page_link(r, path_id(r, "/children/", fl[i].child_id, NULL),
		     fl[i].child_name);
		page_cell_end(r);
		page_cell(r, fl[i].kind);
		page_cell_begin(r);
		html_text(o, fmt_date(r, fl[i].review_date));
		html_raw(o, " ");
		page_tag(r, "Review overdue", "red");
		page_cell_end(r);
		page_row_end(r);
	}
	page_table_end(r);
}

static void my_work(struct req *r)
{
	bool queue = req_can(r, PERM_FRONT_DOOR_QUEUE);
	bool mine = r->user.role == ROLE_SOCIAL_WORKER ||
		    r->user.role == ROLE_TEAM_MANAGER;
	struct contact_counts cc = {0};
	int64_t unallocated = 0, more = 0;
	struct referral *refs = NULL;
	struct referral_flag *flags = NULL;
	int nrefs = 0, nflags = 0, rc = ERR_OK;
	if (queue) {
		rc = contact_queue_counts(r->db, &r->act, &cc);
		if (rc == ERR_OK)
			rc = referral_count_unallocated(r->db, r->user.council,
							&unallocated);
	}
	int64_t due[DUE_STATUS__MAX] = {0};
	if (rc == ERR_OK && mine) {
		const struct actor *w = &r->act;
		rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
		if (rc == ERR_OK) {
			struct due_filter df = {.worker_id = r->user.user_id,
						.open_only = true};
			rc = due_counts(r->db, w, &df, due);
		}
		if (rc == ERR_OK) {
			struct referral_filter f = {false, r->user.user_id, 200,
						    0, true};
			rc = referral_list(r->db, w, r->cal, &f, r->a,
					   &refs, &nrefs, &more);
			if (rc == ERR_OK)
				rc = referral_worker_flags(r->db, w,
							   r->user.user_id, r->a,
							   &flags, &nflags);
			if (rc == ERR_OK)
				rc = err_from_db(db_commit(r->db));
			if (rc != ERR_OK)
				db_rollback(r->db);
		}
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_begin(r, "My work", NULL);
	if (queue)
		queue_summary(r, &cc, unallocated);
	if (mine) {
		/* the statutory timescales on my list (domain/due.h) */
		page_h2(r, "My timescales");
		page_para(r, arena_printf(r->a, "%lld overdue, %lld due soon, "
					  "%lld due later.",
					  (long long)due[DUE_OVERDUE],
					  (long long)due[DUE_SOON],
					  (long long)due[DUE_DUE]));
		page_link(r, "/timescales", "See my timescales, most urgent "
			  "first");
		my_children(r, refs, nrefs, more, flags, nflags);
	}
	if (!queue && !mine)
		links_page(r);
	page_end(r);
	page_send(r, 200);
}

/* ---- the front-door queue -------------------------------------------- */

static void front_door(struct req *r)
{
	int64_t cursor = 0, next = 0, rnext = 0;
	const char *cs = req_query(r, "cursor");
	if (cs && cs[0] && !str_to_i64z(cs, 0, INT64_MAX, &cursor)) {
		page_error(r, 400, "Bad request", "The page number in the web "
			   "address is not valid.");
		return;
	}
	const struct actor *w = &r->act;
	struct contact *v = NULL;
	struct referral *rv = NULL;
	int n = 0, rn = 0;
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK) {
		rc = contact_queue(r->db, w, PAGE_ROWS, cursor, r->a, &v,
				   &n, &next);
		struct referral_filter f = {true, 0, PAGE_ROWS, 0, false};
		if (rc == ERR_OK)
			rc = referral_list(r->db, w, r->cal, &f, r->a, &rv,
					   &rn, &rnext);
		if (rc == ERR_OK)
			rc = err_from_db(db_commit(r->db));
		if (rc != ERR_OK)
			db_rollback(r->db);
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct cal_time uk = r->act.civil;
	struct sbuf *o = page_out(r);
	page_begin(r, "Front door", NULL);
	page_para(r, "Contacts need a decision within one working day of being "
		"received. The most urgent are first.");
	if (n == 0) {
		page_h2(r, "Contacts waiting for a decision");
		page_para(r, cursor ? "There are no more contacts waiting for a "
				 "decision."
			       : "There are no contacts waiting for a decision.");
	} else {
		static const char *const heads[] = {
			"Child", "Received", "Source", "Decision due", "Time left",
		};
		page_table_begin(r, "Contacts waiting for a decision", heads, 5);
		for (int i = 0; i < n; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, path_id(r, "/contacts/", v[i].contact_id, NULL),
			     v[i].child_name);
			page_cell_end(r);
			page_cell(r, fmt_time(r, v[i].received_at));
			page_cell(r, source_text(r, v[i].source));
			page_cell(r, fmt_time(r, v[i].due_at));
			page_cell_begin(r);
			due_status(r, v[i].due_at, uk);
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (next) {
		html_raw(o, "<p class=\"govuk-body\">");
		page_link(r, path_id(r, "/front-door?cursor=", next, NULL),
		     "Next contacts");
		html_raw(o, "</p>");
	}
	if (rn == 0) {
		page_h2(r, "Referrals waiting for allocation");
		page_para(r, "Every referral has a worker.");
	} else {
		static const char *const heads[] = {
			"Child", "Referral date", "Re-referral", "Team",
		};
		page_table_begin(r, "Referrals waiting for allocation", heads, 4);
		for (int i = 0; i < rn; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, path_id(r, "/referrals/", rv[i].referral_id, NULL),
			     rv[i].child_name);
			page_cell_end(r);
			page_cell(r, fmt_date(r, rv[i].referral_date));
			page_cell_begin(r);
			if (rv[i].rereferral)
				page_tag(r, "Re-referral", "orange");
			else
				html_text(o, "No");
			page_cell_end(r);
			page_cell(r, rv[i].team_name[0] ? rv[i].team_name
						   : "Not allocated");
			page_row_end(r);
		}
		page_table_end(r);
		if (rnext)
			page_para(r, "Only the oldest 100 are shown.");
	}
	page_end(r);
	page_send(r, 200);
}

/* ---- recording a contact --------------------------------------------- */

static void contact_form_page(struct req *r, int64_t child_id,
			      const char *child_name,
			      const struct contact_input *v,
			      const struct field_errors *e, int status)
{
	sbuf_reset(page_out(r));
	struct sbuf *o = page_out(r);
	page_begin(r, "Record a contact", e);
	html_raw(o, "<p class=\"govuk-body\">About ");
	page_link(r, path_id(r, "/children/", child_id, NULL), child_name);
	html_raw(o, "</p>");
	form_begin(r, path_id(r, "/children/", child_id, "/contacts"));
	fields_form(r, &contact_record_type, v, e);
	form_button(r, "Record contact", false);
	form_end(r);
	page_end(r);
	page_send(r, status);
}

/* Reads the child's name and audits the view, in the open transaction
 * (joined) or in one of its own.  Returns 0 or a negative enum err. */
static int child_name_audited(struct req *r, int64_t child_id,
			      const char **name)
{
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc != ERR_OK)
		return rc;
	int k = referral_child_name(r->db, r->user.council, child_id, r->a,
				    name);
	rc = k < 0 ? err_from_db(k) : k == 0 ? ERR_NOTFOUND : ERR_OK;
	if (rc == ERR_OK)
		rc = act_audit(r->db, &r->act, "read", "child", child_id,
			       child_id);
	return tx_end(r->db, own, rc);
}

static void contact_new(struct req *r)
{
	int64_t child_id = r->ids[0];
	const char *name = "";
	int rc = child_name_audited(r, child_id, &name);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	char now[17];
	cal_time_format(r->act.civil, now);
	struct contact_input v = {.received_at = now};
	contact_form_page(r, child_id, name, &v, NULL, 200);
}

static void contact_create(struct req *r)
{
	int64_t child_id = r->ids[0];
	struct contact_input in = {0};
	struct field_errors fe = {0}, de = {0};
	fields_read(r, &contact_record_type, &in, &fe);
	const struct actor *w = &r->act;
	int64_t id = 0;
	const char *name = "";
	/* one transaction: the write (and its audit row), or, when the
	 * form is refused, the child's name for the re-rendered form (and
	 * the audit row of that read) */
	int rc = err_from_db(db_begin(r->db, DB_TX_WRITE));
	if (rc == ERR_OK && fe.n == 0)
		rc = contact_record(r->db, w, r->cal, child_id, &in, &id, &de);
	else if (rc == ERR_OK) {
		/* the page could not read the date or time: every other
		 * field is still checked, so all are said at once */
		fields_check(&contact_record_type, &in, w, &de);
		rc = ERR_INVALID;
	}
	if (rc == ERR_INVALID) {
		/* the page's date and time errors stand; the domain's on
		 * every other field join them, in the form's order */
		struct field_errors all = fe;
		for (int i = 0; i < de.n; i++)
			if (!(fe.n && strcmp(de.v[i].field, "received_at") == 0))
				fe_set(&all, de.v[i].field, de.v[i].msg);
		fe = (struct field_errors){0};
		fields_errors(r, &contact_record_type, &all, &fe);
		/* joins the open transaction: the name and its read's
		 * audit row, committed before the form is shown again */
		rc = child_name_audited(r, child_id, &name);
		if (rc == ERR_OK)
			rc = err_from_db(db_commit(r->db));
		if (rc != ERR_OK) {
			db_rollback(r->db);
			answer_error(r, rc, NULL, NULL);
			return;
		}
		contact_form_page(r, child_id, name, &in, &fe, 422);
		return;
	}
	if (rc == ERR_OK)
		rc = err_from_db(db_commit(r->db));
	if (rc != ERR_OK) {
		db_rollback(r->db);
		answer_error(r, rc, NULL, NULL);
		return;
	}
	page_redirect(r, path_id(r, "/contacts/", id, "?saved=1"));
}

/* ---- a contact ------------------------------------------------------- */

static void contact_page(struct req *r, const struct contact *k,
			 const struct field_errors *e, int status)
{
	struct sbuf *o = page_out(r);
	struct cal_time uk = r->act.civil;
	sbuf_reset(o);
	page_begin(r, "Contact", e);
	if (req_query(r, "saved") && (!e || !e->n))
		page_banner(r, k->decided ? "Decision recorded"
					  : "Contact recorded");
	html_raw(o, "<p class=\"govuk-body\">About ");
	page_link(r, path_id(r, "/children/", k->child_id, NULL), k->child_name);
	html_raw(o, "</p>");
	summary_begin(r);
	summary_row(r, "Received", fmt_time(r, k->received_at));
	summary_row(r, "Source", source_text(r, k->source));
	summary_row(r, "Referrer", k->referrer_name);
	summary_row(r, "Referrer's organisation", k->referrer_org);
	summary_row(r, "Recorded by", k->created_by_name);
	page_srow_begin(r, "Decision due");
	html_text(o, fmt_time(r, k->due_at));
	if (!k->decided) {
		html_raw(o, "<br>");
		due_status(r, k->due_at, uk);
	}
	page_srow_end(r);
	if (k->decided) {
		summary_row(r, "Decision", contact_decision_label(k->decision));
		page_srow_begin(r, "Decided");
		html_text(o, fmt_time(r, k->decided_at));
		html_raw(o, " ");
		if (k->late)
			page_tag(r, "Late", "red");
		else
			page_tag(r, "On time", "green");
		page_srow_end(r);
		summary_row(r, "Decided by", k->decided_by_name);
		if (k->referral_id) {
			page_srow_begin(r, "Referral");
			page_link(r, path_id(r, "/referrals/", k->referral_id, NULL),
			     "View the referral");
			page_srow_end(r);
		}
	}
	summary_end(r);
	page_h2(r, "What the referrer is worried about");
	page_narrative(r, k->worry);
	if (k->decided) {
		page_h2(r, "Threshold reasoning");
		page_narrative(r, k->decision_reason);
		if (e && e->n) {
			/* the error summary's link lands here */
			html_raw(o, "<p class=\"govuk-body\" id=\"decision\">");
			html_text(o, "This contact already has a decision. A "
				     "contact can be decided once.");
			html_raw(o, "</p>");
		}
	} else if (req_can(r, PERM_CONTACT_DECIDE)) {
		form_begin(r, path_id(r, "/contacts/", k->contact_id,
				      "/decision"));
		fields_form(r, &contact_decision_type, NULL, e);
		form_button(r, "Record decision", false);
		form_end(r);
	}
	page_end(r);
	page_send(r, status);
}

static void contact_view(struct req *r)
{
	const struct actor *w = &r->act;
	struct contact k;
	int rc = contact_read(r->db, w, r->ids[0], r->a, &k);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	contact_page(r, &k, NULL, 200);
}

static void contact_decision(struct req *r)
{
	const struct actor *w = &r->act;
	struct contact_decision_input in = {0};
	struct field_errors de = {0};
	fields_read(r, &contact_decision_type, &in, &de);
	int64_t rid = 0;
	int rc = contact_decide(r->db, w, r->cal, r->ids[0], &in, &rid, &de);
	if (rc == ERR_OK) {
		page_redirect(r, rid ? path_id(r, "/referrals/", rid, "?saved=1")
				     : path_id(r, "/contacts/", r->ids[0],
					       "?saved=1"));
		return;
	}
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct field_errors fe = {0};
	fields_errors(r, &contact_decision_type, &de, &fe);
	struct contact k;
	int k2 = contact_read(r->db, w, r->ids[0], r->a, &k);
	if (k2 != ERR_OK) {
		answer_error(r, k2, NULL, NULL);
		return;
	}
	contact_page(r, &k, &fe, rc == ERR_CONFLICT ? 409 : 422);
}

/* ---- a referral ------------------------------------------------------ */

static void referral_page(struct req *r, const struct referral *f,
			  const struct field_errors *e, const char *team,
			  const char *worker, int status)
{
	struct sbuf *o = page_out(r);
	struct referral_option *teams = NULL, *workers = NULL;
	int nt = 0, nw = 0;
	bool alloc = req_can(r, PERM_REFERRAL_ALLOCATE);
	if (alloc) {
		int rc = referral_teams(r->db, r->user.council, r->a, &teams,
					&nt);
		if (rc == ERR_OK)
			rc = referral_workers(r->db, r->user.council, r->a,
					      &workers, &nw);
		if (rc != ERR_OK) {
			answer_error(r, rc, NULL, NULL);
			return;
		}
	}
	sbuf_reset(o);
	page_begin(r, "Referral", e);
	if (req_query(r, "saved") && (!e || !e->n))
		page_banner(r, f->worker_id ? "Referral allocated"
					    : "Referral opened");
	html_raw(o, "<p class=\"govuk-body\">About ");
	page_link(r, path_id(r, "/children/", f->child_id, NULL), f->child_name);
	html_raw(o, "</p>");
	summary_begin(r);
	summary_row(r, "Referral date", fmt_date(r, f->referral_date));
	summary_row(r, "Source", source_text(r, f->source));
	page_srow_begin(r, "Re-referral");
	if (f->rereferral) {
		page_tag(r, "Re-referral", "orange");
		html_raw(o, " ");
		html_text(o, "Within 12 months of the referral on ");
		page_link(r, path_id(r, "/referrals/", f->previous_referral_id, NULL),
		     fmt_date(r, f->previous_date));
	} else if (f->previous_referral_id) {
		html_text(o, "No. The previous referral was on ");
		page_link(r, path_id(r, "/referrals/", f->previous_referral_id, NULL),
		     fmt_date(r, f->previous_date));
	} else {
		html_text(o, "No. This is the child's first referral.");
	}
	page_srow_end(r);
	if (f->contact_id) {
		page_srow_begin(r, "Contact");
		page_link(r, path_id(r, "/contacts/", f->contact_id, NULL),
		     "View the contact");
		page_srow_end(r);
	}
	summary_row(r, "Team", f->team_name[0] ? f->team_name : "Not allocated");
	page_srow_begin(r, "Worker");
	if (f->worker_id)
		html_text(o, f->worker_name);
	else
		page_tag(r, "Not allocated", "yellow");
	page_srow_end(r);
	if (f->allocated_at[0])
		summary_row(r, "Allocated", fmt_time(r, f->allocated_at));
	page_srow_begin(r, "Assessment due");
	html_text(o, fmt_date(r, f->assessment_due));
	html_text(o, " (45 working days from the referral)");
	if (f->assessment_overdue) {
		html_raw(o, " ");
		page_tag(r, "Overdue", "red");
	}
	page_srow_end(r);
	summary_end(r);
	if (alloc) {
		struct choice *tc = arena_zalloc(r->a, (size_t)(nt + 1) *
							       sizeof(*tc));
		struct choice *wc = arena_zalloc(r->a, (size_t)(nw + 1) *
							       sizeof(*wc));
		if (tc == NULL || wc == NULL)
			nt = nw = 0;
		for (int i = 0; i < nt; i++) {
			tc[i].value = path_id(r, "", teams[i].id, NULL);
			tc[i].label = teams[i].name;
		}
		for (int i = 0; i < nw; i++) {
			wc[i].value = path_id(r, "", workers[i].id, NULL);
			const char *l = arena_printf(r->a, "%s (%s)",
						     workers[i].name,
						     workers[i].detail);
			wc[i].label = l ? l : workers[i].name;
		}
		page_h2(r, f->worker_id ? "Re-allocate" : "Allocate");
		form_begin(r, path_id(r, "/referrals/", f->referral_id,
				      "/allocation"));
		form_select(r, e, "team_id", "Team", NULL, tc, nt,
			    team ? team : f->team_id
				    ? path_id(r, "", f->team_id, NULL) : NULL);
		form_select(r, e, "worker_id", "Worker",
			    "Social workers and team managers", wc, nw,
			    worker ? worker : f->worker_id
				    ? path_id(r, "", f->worker_id, NULL) : NULL);
		form_button(r, f->worker_id ? "Re-allocate" : "Allocate", false);
		form_end(r);
	}
	page_end(r);
	page_send(r, status);
}

static void referral_view(struct req *r)
{
	const struct actor *w = &r->act;
	struct referral f;
	int rc = referral_read(r->db, w, r->cal, r->ids[0], r->a,
			       &f);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	referral_page(r, &f, NULL, NULL, NULL, 200);
}

static int64_t form_id(struct req *r, const char *name)
{
	const char *s = req_form(r, name);
	int64_t v = 0;
	if (s == NULL || s[0] == '\0')
		return 0;
	return str_to_i64z(s, 1, INT64_MAX, &v) ? v : -1;
}

static void referral_allocation(struct req *r)
{
	const struct actor *w = &r->act;
	struct field_errors de = {0};
	int rc = referral_allocate(r->db, w, r->ids[0],
				   form_id(r, "team_id"),
				   form_id(r, "worker_id"), &de);
	if (rc == ERR_OK) {
		page_redirect(r, path_id(r, "/referrals/", r->ids[0],
					 "?saved=1"));
		return;
	}
	if (rc != ERR_INVALID) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct field_errors fe = {0};
	add_domain_errors(r, &de, &fe);
	struct referral f;
	rc = referral_read(r->db, w, r->cal, r->ids[0], r->a, &f);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	referral_page(r, &f, &fe, req_form(r, "team_id"),
		      req_form(r, "worker_id"), 422);
}

/* ---- the child's page section ---------------------------------------- */

/* The child's contacts and referrals, read in the child page's audited
 * transaction (web/sections.h): its "read" row covers them. */
struct child_frontdoor {
	struct contact *v;
	int n;
	struct referral *rv;
	int rn;
};

static int load_child_frontdoor(struct req *r, const struct child_ctx *x,
				const struct child *ch, void **data)
{
	(void)x;
	struct child_frontdoor *d = arena_zalloc(r->a, sizeof(*d));
	if (d == NULL)
		return ERR_NOMEM;
	*data = d;
	int rc = contact_list_child(r->db, &r->act, ch->child_id, r->a, &d->v,
				    &d->n);
	if (rc == ERR_OK)
		rc = referral_list_child(r->db, &r->act, r->cal, ch->child_id,
					 r->a, &d->rv, &d->rn);
	return rc;
}

static void render_child_frontdoor(struct req *r, const struct child_ctx *x,
				   const struct child *ch, void *data)
{
	(void)x;
	const struct child_frontdoor *d = data;
	const struct contact *v = d->v;
	const struct referral *rv = d->rv;
	int n = d->n, rn = d->rn;
	int64_t child_id = ch->child_id;
	struct sbuf *o = page_out(r);
	struct cal_time uk = r->act.civil;
	char path[ID_PATH_MAX], when[32];
	if (req_can(r, PERM_CONTACT_CREATE)) {
		html_raw(o, "<p class=\"govuk-body\">");
		html_raw(o, "<a class=\"govuk-button govuk-button--secondary\" "
			    "data-module=\"govuk-button\"");
		html_attr(o, "href", id_path(path, "/children/", child_id,
					     "/contacts/new"));
		html_raw(o, ">Record a contact</a></p>");
	}
	if (n == 0) {
		page_para(r, "No contacts have been recorded.");
	} else {
		static const char *const heads[] = {
			"Received", "Source", "Decision", "Due or decided",
		};
		page_table_begin(r, "Contacts", heads, 4);
		for (int i = 0; i < n; i++) {
			page_row_begin(r);
			page_cell_begin(r);
			referral_format_time(v[i].received_at, when);
			page_link(r, id_path(path, "/contacts/", v[i].contact_id, NULL),
			     when);
			page_cell_end(r);
			source_cell(r, v[i].source);
			page_cell(r, v[i].decided ? contact_decision_label(v[i].decision)
					     : "Waiting for a decision");
			page_cell_begin(r);
			if (v[i].decided) {
				referral_format_time(v[i].decided_at, when);
				html_text(o, when);
				if (v[i].late) {
					html_raw(o, " ");
					page_tag(r, "Late", "red");
				}
			} else {
				due_status(r, v[i].due_at, uk);
			}
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	if (rn == 0) {
		page_para(r, "No referrals have been made.");
		return;
	}
	static const char *const rheads[] = {
		"Referral date", "Re-referral", "Allocated to", "Assessment due",
	};
	page_table_begin(r, "Referrals", rheads, 4);
	for (int i = 0; i < rn; i++) {
		page_row_begin(r);
		page_cell_begin(r);
		referral_format_date(rv[i].referral_date, when);
		page_link(r, id_path(path, "/referrals/", rv[i].referral_id, NULL),
		     when);
		page_cell_end(r);
		page_cell_begin(r);
		if (rv[i].rereferral)
			page_tag(r, "Re-referral", "orange");
		else
			html_text(o, "No");
		page_cell_end(r);
		page_cell_begin(r);
		if (rv[i].worker_id)
			html_text(o, rv[i].worker_name);
		else
			page_tag(r, "Not allocated", "yellow");
		page_cell_end(r);
		page_cell_begin(r);
		referral_format_date(rv[i].assessment_due, when);
		html_text(o, when);
		if (rv[i].assessment_overdue) {
			html_raw(o, " ");
			page_tag(r, "Overdue", "red");
		}
		page_cell_end(r);
		page_row_end(r);
	}
	page_table_end(r);
}

/* The front door's section of the child's page. */
const struct child_section frontdoor_child_sections[] = {
	{"contacts", "Contacts and referrals", PERM_CONTACT_READ, 50,
	 load_child_frontdoor, NULL, render_child_frontdoor},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* ---- routes ---------------------------------------------------------- */

static const struct param_spec p_front_door[] = {
	{"cursor", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_saved[] = {
	{"saved", PARAM_INT, 1, false},
	{NULL, 0, 0, false},
};

/* The contact form's parameters, from its fields (web/fields.h): filled
 * once, before main runs. */
static struct param_spec p_contact[16];

__attribute__((constructor)) static void contact_params(void)
{
	fields_params(&contact_record_type, NULL, p_contact,
		      sizeof(p_contact) / sizeof(p_contact[0]));
}

static const struct param_spec p_decision[] = {
	{"decision", PARAM_LINE, 32, false},
	{"reason", PARAM_TEXT, CONTACT_REASON_MAX * 4 + 64, false},
	{NULL, 0, 0, false},
};

static const struct param_spec p_allocation[] = {
	{"team_id", PARAM_INT, 20, false},
	{"worker_id", PARAM_INT, 20, false},
	{NULL, 0, 0, false},
};

const struct route frontdoor_page_routes[] = {
	{HTTP_GET, "/", PERM_SIGNED_IN, 0, NULL, my_work, "My work", NULL},
	{HTTP_GET, "/front-door", PERM_FRONT_DOOR_QUEUE, 0, p_front_door,
	 front_door, "The front-door queue", NULL},
	{HTTP_GET, "/children/{id}/contacts/new", PERM_CONTACT_CREATE, 0, NULL,
	 contact_new, "Form: record a contact", NULL},
	{HTTP_POST, "/children/{id}/contacts", PERM_CONTACT_CREATE, ROUTE_FORM,
	 p_contact, contact_create, "Record a contact", NULL},
	{HTTP_GET, "/contacts/{id}", PERM_CONTACT_READ, 0, p_saved,
	 contact_view, "A contact", NULL},
	{HTTP_POST, "/contacts/{id}/decision", PERM_CONTACT_DECIDE, ROUTE_FORM,
	 p_decision, contact_decision, "Decide a contact", NULL},
	{HTTP_GET, "/referrals/{id}", PERM_REFERRAL_READ, 0, p_saved,
	 referral_view, "A referral", NULL},
	{HTTP_POST, "/referrals/{id}/allocation", PERM_REFERRAL_ALLOCATE,
	 ROUTE_FORM, p_allocation, referral_allocation, "Allocate a referral",
	 NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
