/*
 * admin_pages.c: the dashboard (counts only, never a name: analysts,
 * councillors, managers, administrators), the user list and the audit
 * check (administrators).
 */
#include "audit/audit.h"
#include "core/arena.h"
#include "http/html.h"
#include "web/page.h"
#include "web/routes.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define AGG_ROLES (RB_TEAM_MANAGER | RB_ANALYST | RB_COUNCILLOR | RB_ADMIN)

/* Each statement returns one count for the council (?1) since a date
 * (?2, 'YYYY-MM-DD'). */
DB_STMT(st_contacts) = {
	"dash_contacts",
	"SELECT count(*) FROM contact WHERE council = ?1 AND received_at >= ?2",
	AGG_ROLES,
};
DB_STMT(st_contacts_on_time) = {
	"dash_contacts_on_time",
	"SELECT count(*) FROM contact WHERE council = ?1 AND received_at >= ?2"
	" AND decided_at IS NOT NULL AND decided_at <= due_at",
	AGG_ROLES,
};
DB_STMT(st_contacts_decided) = {
	"dash_contacts_decided",
	"SELECT count(*) FROM contact WHERE council = ?1 AND received_at >= ?2"
	" AND decided_at IS NOT NULL",
	AGG_ROLES,
};
DB_STMT(st_referrals) = {
	"dash_referrals",
	"SELECT count(*) FROM referral WHERE council = ?1 AND referral_date >= ?2",
	AGG_ROLES,
};
DB_STMT(st_rereferrals) = {
	"dash_rereferrals",
	"SELECT count(*) FROM referral WHERE council = ?1 AND referral_date >= ?2"
	" AND rereferral = 1",
	AGG_ROLES,
};
DB_STMT(st_undecided) = {
	"dash_undecided",
	"SELECT count(*) FROM contact WHERE council = ?1 AND decision IS NULL"
	" AND received_at >= ?2",
	AGG_ROLES,
};
DB_STMT(st_unallocated) = {
	"dash_unallocated",
	"SELECT count(*) FROM referral WHERE council = ?1 AND worker_id IS NULL"
	" AND referral_date >= ?2",
	AGG_ROLES,
};
DB_STMT(st_children) = {
	"dash_children",
	"SELECT count(*) FROM child WHERE council = ?1 AND created_at >= ?2",
	AGG_ROLES,
};

static int64_t count(struct req *r, const struct db_stmt *st, const char *since)
{
	struct db_q *q;
	if (db_exec(r->db, st, &q, r->user.council, since) != DB_ROW)
		return -1;
	return db_col_i64(q, 0);
}

/* The UK civil date days_back days before the request's today. */
static void since_date(const struct req *r, int days_back, char out[11])
{
	cal_date_format(cal_add_days(r->act.today, -days_back), out);
}

static void pct_text(struct sbuf *o, int64_t part, int64_t whole)
{
	if (whole <= 0) {
		html_raw(o, "No data");
		return;
	}
	char b[32];
	snprintf(b, sizeof(b), "%.1f%%", 100.0 * (double)part / (double)whole);
	html_text(o, b);
}

static void row(struct req *r, const char *label, int64_t v)
{
	page_row_begin(r);
	page_row_head(r, label);
	page_cell_numeric_begin(r);
	if (v < 0)
		html_raw(page_out(r), "Not available");
	else
		page_count(r, v);
	page_cell_end(r);
	page_row_end(r);
}

/* How the dashboard's measures are counted: the rules' ids are for the
 * people who check the figures, inside a details component, never in
 * the measures' names. */
static void how_counted(struct sbuf *o)
{
	html_raw(o, "<details class=\"govuk-details\"><summary class=\""
		    "govuk-details__summary\"><span class=\"govuk-details__"
		    "summary-text\">How these are counted</span></summary>"
		    "<div class=\"govuk-details__text\"><p class=\"govuk-body\">"
		    "A re-referral is a referral within 12 months of the "
		    "child's previous referral, as the children in need census "
		    "counts it (rule R14 of the statutory timescales).</p>"
		    "<p class=\"govuk-body\">A contact is decided on time when "
		    "the decision is recorded within one working day of the "
		    "contact being received: by the same time on the next "
		    "working day (rule R01).</p></div></details>");
}

static void dashboard(struct req *r)
{
	char y1[11], d30[11];
	since_date(r, 365, y1);
	since_date(r, 30, d30);
	if (db_begin(r->db, DB_TX_READ) != DB_OK) {
		page_error(r, 503, "Sorry, there is a problem with the service",
			   "Try again later.");
		return;
	}
	int64_t contacts30 = count(r, &st_contacts, d30);
	int64_t contacts = count(r, &st_contacts, y1);
	int64_t decided = count(r, &st_contacts_decided, y1);
	int64_t on_time = count(r, &st_contacts_on_time, y1);
	int64_t refs = count(r, &st_referrals, y1);
	int64_t rerefs = count(r, &st_rereferrals, y1);
	int64_t undecided = count(r, &st_undecided, "0000-01-01");
	int64_t unalloc = count(r, &st_unallocated, "0000-01-01");
	int64_t kids = count(r, &st_children, "0000-01-01");
	db_rollback(r->db);

	page_begin(r, "Dashboard", NULL);
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-body\">Counts for your council. No child "
		    "is named on this page.</p>");
	static const char *const heads[] = {"Measure", "Value"};
	page_table_begin_numeric(r, "The front door", heads, 2, 1u << 1);
	row(r, "Contacts in the last 30 days", contacts30);
	row(r, "Contacts in the last 12 months", contacts);
	row(r, "Contacts waiting for a decision", undecided);
	row(r, "Referrals in the last 12 months", refs);
	row(r, "Re-referrals within 12 months of a previous referral", rerefs);
	row(r, "Referrals not yet allocated to a worker", unalloc);
	row(r, "Children with a record", kids);
	page_table_end(r);
	html_raw(o, "<h2 class=\"govuk-heading-m\">Timeliness</h2>"
		    "<p class=\"govuk-body\">Contacts decided within one working "
		    "day of receipt, last 12 months: <strong>");
	pct_text(o, on_time, decided);
	html_raw(o, "</strong> of decided contacts.</p>"
		    "<p class=\"govuk-body\">Re-referral rate, last 12 months: "
		    "<strong>");
	pct_text(o, rerefs, refs);
	html_raw(o, "</strong> of referrals.</p>");
	how_counted(o);
	page_end(r);
	page_send(r, 200);
}

static int user_row(const struct user *u, void *arg)
{
	struct req *r = arg;
	page_row_begin(r);
	page_cell(r, u->username);
	page_cell(r, u->display_name);
	page_cell(r, role_label(u->role));
	page_cell(r, u->disabled ? "Disabled" : "Active");
	page_row_end(r);
	return 0;
}

static void users(struct req *r)
{
	page_begin(r, "Users", NULL);
	html_raw(page_out(r), "<p class=\"govuk-body\">Add, disable and reset "
			      "users with <code>cairn user</code> on the "
			      "server.</p>");
	static const char *const heads[] = {"Username", "Name", "Role",
					    "Status"};
	page_table_begin(r, "Accounts in your council", heads, 4);
	int rc = user_list(r->db, r->user.council, user_row, r);
	page_table_end(r);
	if (rc < 0) {
		page_error(r, 503, "Sorry, there is a problem with the service",
			   "Try again later.");
		return;
	}
	page_end(r);
	page_send(r, 200);
}

static void keep_chain(const struct audit_chain *ch, void *arg)
{
	*(struct audit_chain *)arg = *ch;
}

/* An administrator checks their own council's chain only (per-council
 * rule); `cairn audit verify` checks them all. */
static void audit_check(struct req *r)
{
	struct audit_verify_result res;
	struct audit_chain ch;
	memset(&ch, 0, sizeof(ch));
	int rc = -1;
	if (db_begin(r->db, DB_TX_READ) == DB_OK) {
		rc = audit_verify_chains(r->db, r->user.council, NULL, 0,
					 keep_chain, &ch, &res);
		db_rollback(r->db);
	}
	if (rc != 0) {
		page_error(r, 503, "Sorry, there is a problem with the service",
			   "Try again later.");
		return;
	}
	page_begin(r, "Audit log check", NULL);
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-body\">");
	if (res.ok) {
		page_tag(r, "Intact", "green");
		html_raw(o, " Council ");
		html_text(o, ch.council);
		html_raw(o, ": ");
		page_count(r, ch.rows);
		html_raw(o, " rows checked. Newest row ");
		html_int(o, ch.head_seq);
		html_raw(o, ", hash <code>");
		html_text(o, ch.hash);
		html_raw(o, "</code>. Record it somewhere outside this server "
			    "(or run <code>cairn audit anchor</code>) to anchor "
			    "the chain.");
	} else {
		page_tag(r, "Broken", "red");
		html_raw(o, " Council ");
		html_text(o, res.council);
		if (res.bad_seq >= 0) {
			html_raw(o, ", row ");
			html_int(o, res.bad_seq);
		}
		html_raw(o, ": ");
		html_text(o, res.reason);
	}
	html_raw(o, "</p>");
	page_end(r);
	page_send(r, res.ok ? 200 : 409);
}

const struct route admin_routes[] = {
	{HTTP_GET, "/dashboard", PERM_AGGREGATES, ROUTE_REPLICA, NULL, dashboard,
	 "Counts for the council, no names", NULL},
	{HTTP_GET, "/admin/users", PERM_USER_ADMIN, 0, NULL, users,
	 "Accounts of the council", NULL},
	{HTTP_GET, "/admin/audit", PERM_AUDIT_VERIFY, 0, NULL, audit_check,
	 "Verify the audit chain", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
