/*
 * due_pages.c: the timescale engine's pages (domain/due.h).
 *
 *   GET /timescales              the items on a worker's list (mine by
 *                                default), a team's, or the council's,
 *                                the most urgent first, filtered by what
 *                                is due and by rule, paged
 *   GET /timescales/timeliness   per rule and month: how many were met
 *                                on time, met late, are overdue or not
 *                                yet due, each number linking to the
 *                                list behind it
 *
 * The list names children: it is a read of their records, audited as
 * one row naming every child shown (req_audit_shown).  The timeliness
 * counts name nobody; they are open to the roles with aggregates.
 * Labels only: a rule's id appears in the details explaining it, never
 * in a heading, table or tag.
 */
#include "auth/policy.h"
#include "auth/role.h"
#include "core/arena.h"
#include "core/str.h"
#include "domain/due.h"
#include "http/html.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

#define ROWS 50

static const char *const list_keys[] = {
	"scope", "status", "rule", "from", "to", NULL,
};

static const char *status_colour(enum due_status s)
{
	switch (s) {
	case DUE_OVERDUE: return "red";
	case DUE_SOON: return "orange";
	case DUE_MET_LATE: return "yellow";
	case DUE_MET_ON_TIME: return "green";
	default: return "blue";
	}
}

/* ---- the list ------------------------------------------------------------ */

static const struct choice status_choices[] = {
	{"", "Anything not yet met", NULL},
	{"overdue", "Overdue", NULL},
	{"due-soon", "Due soon", NULL},
	{"due", "Due later", NULL},
	{"met-late", "Met late", NULL},
	{"met-on-time", "Met on time", NULL},
	{"all", "Everything, met or not", NULL},
};

static void filters(struct req *r, const char *scope, bool can_team,
		    bool can_all)
{
	struct sbuf *o = page_out(r);
	form_begin_get(r, "/timescales");
	struct choice scopes[3];
	int ns = 0;
	scopes[ns++] = (struct choice){"mine", "Mine", NULL};
	if (can_team)
		scopes[ns++] = (struct choice){"team", "My team's", NULL};
	if (can_all)
		scopes[ns++] = (struct choice){"all", "Everyone's in the council",
					       NULL};
	if (ns > 1)
		form_radios(r, NULL, "scope", "Whose", NULL, scopes, ns, scope);
	form_select(r, NULL, "status", "Show", NULL, status_choices,
		    (int)(sizeof(status_choices) / sizeof(status_choices[0])),
		    req_query(r, "status") ? req_query(r, "status") : "");
	size_t nr;
	const struct due_rule *rules = due_rules(&nr);
	struct choice *rc = arena_alloc(r->a, (nr + 1) * sizeof(*rc));
	int k = 0;
	if (rc) {
		rc[k++] = (struct choice){"", "Every timescale", NULL};
		for (size_t i = 0; i < nr; i++)
			if (rules[i].kind == DUE_DEADLINE)
				rc[k++] = (struct choice){rules[i].id,
							  rules[i].what, NULL};
		form_select(r, NULL, "rule", "Timescale", NULL, rc, k,
			    req_query(r, "rule") ? req_query(r, "rule") : "");
	}
	form_button(r, "Show", true);
	form_end(r);
	(void)o;
}

static void timescales(struct req *r)
{
	const char *scope = req_query(r, "scope");
	bool manager = r->user.role == ROLE_TEAM_MANAGER;
	bool front = r->user.role == ROLE_FRONT_DOOR;
	bool can_team = r->user.team_id > 0;
	bool can_all = manager || front || r->user.role == ROLE_IRO;
	/* the front door's clocks are not allocated: theirs is the
	 * council's list; a manager's first view is the team's */
	if (scope == NULL || scope[0] == '\0')
		scope = front ? "all" : manager ? (can_team ? "team" : "all")
					    : "mine";
	if ((strcmp(scope, "team") == 0 && !can_team) ||
	    (strcmp(scope, "all") == 0 && !can_all) ||
	    (strcmp(scope, "mine") && strcmp(scope, "team") &&
	     strcmp(scope, "all")))
		scope = "mine";
	struct due_filter f = {0};
	if (strcmp(scope, "mine") == 0)
		f.worker_id = r->user.user_id;
	else if (strcmp(scope, "team") == 0)
		f.team_id = r->user.team_id;
	const char *st = req_query(r, "status");
	enum due_status one;
	if (st && st[0] && strcmp(st, "all") != 0 && due_status_parse(st, &one))
		f.statuses = 1u << one;
	else if (st == NULL || st[0] == '\0')
		f.open_only = true;
	const char *rule = req_query(r, "rule");
	if (rule && rule[0] && due_rule(rule))
		f.rule = due_rule(rule)->id;
	struct cal_date d;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	if (from && cal_date_parse(from, strlen(from), &d))
		f.due_from = from;
	if (to && cal_date_parse(to, strlen(to), &d))
		f.due_to = to;
	int64_t page = page_number(r, 100000);
	f.limit = ROWS;
	f.offset = (page - 1) * ROWS;
	struct due_row *v = NULL;
	int n = 0;
	bool more = false;
	int rc = err_from_db(db_begin(r->db, DB_TX_READ));
	if (rc == ERR_OK) {
		rc = due_list(r->db, &r->act, &f, r->a, &v, &n, &more);
		db_rollback(r->db);
	}
	if (rc == ERR_OK) {
		int64_t *ids = arena_alloc(r->a, (size_t)(n + 1) * sizeof(*ids));
		for (int i = 0; ids && i < n; i++)
			ids[i] = v[i].child_id;
		rc = ids == NULL ? ERR_NOMEM
		     : req_audit_shown(r, "list", "due", ids, n) == 0 ? ERR_OK
								    : ERR_STORE;
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct sbuf *o = page_out(r);
	page_begin(r, "Timescales", NULL);
	page_para(r, "Statutory timescales for children's records, the most "
		     "urgent first. A timescale is met when the step it waits "
		     "for is recorded.");
	filters(r, scope, can_team, can_all);
	if (n == 0) {
		page_para(r, page > 1 ? "There are no more."
				      : "Nothing matches. Try showing "
					"everything, met or not.");
	} else {
		static const char *const heads[] = {
			"Child", "Timescale", "Started", "Due", "Status",
		};
		page_table_begin(r, "Most urgent first", heads, 5);
		for (int i = 0; i < n; i++) {
			const struct due_row *x = &v[i];
			page_row_begin(r);
			page_cell_begin(r);
			page_link(r, arena_printf(r->a, "/children/%lld",
						  (long long)x->child_id),
				  x->child_name);
			page_cell_end(r);
			page_cell_begin(r);
			const char *href = page_record_href(r, x->subject,
							    x->subject_id);
			if (href)
				page_link(r, href, due_rule_label(x->rule));
			else
				html_text(o, due_rule_label(x->rule));
			page_cell_end(r);
			page_cell(r, page_when(r, x->started_at));
			page_cell(r, page_when(r, x->due_at));
			page_cell_begin(r);
			page_tag(r, due_status_label(x->status),
				 status_colour(x->status));
			if (x->met_at[0]) {
				html_raw(o, " <span class=\"govuk-body-s\">");
				html_text(o, arena_printf(r->a, "on %s",
							  page_when(r, x->met_at)));
				html_raw(o, "</span>");
			}
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	page_pages(r, "/timescales", list_keys, page, more);
	if (req_can(r, PERM_AGGREGATES))
		page_link(r, "/timescales/timeliness",
			  "How many were met on time");
	page_end(r);
	page_send(r, 200);
}

/* ---- timeliness ------------------------------------------------------- */

/* "May 2026" for "2026-05". */
static const char *month_words(struct req *r, const char *ym)
{
	int y = 0, m = 0;
	if (sscanf(ym, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return ym;
	return arena_printf(r->a, "%s %d", cal_month_name(m), y);
}

static void count_cell(struct req *r, int64_t v, const char *rule,
		       const char *month, const char *status)
{
	page_cell_begin(r);
	struct sbuf *o = page_out(r);
	if (v == 0 || !req_can(r, PERM_REFERRAL_READ)) {
		page_count(r, v);
		page_cell_end(r);
		return;
	}
	int y = 0, m = 0;
	sscanf(month, "%4d-%2d", &y, &m);
	struct cal_date first = {y, m, 1};
	struct cal_date last = {y, m, cal_days_in_month(y, m)};
	char f[11], t[11];
	cal_date_format(first, f);
	cal_date_format(last, t);
	html_raw(o, "<a class=\"govuk-link\"");
	html_attr(o, "href", arena_printf(r->a, "/timescales?scope=all&rule=%s"
					  "&status=%s&from=%s&to=%s", rule,
					  status, f, t));
	html_raw(o, ">");
	page_count(r, v);
	html_raw(o, "<span class=\"govuk-visually-hidden\"> (list)</span></a>");
	page_cell_end(r);
}

static void timeliness(struct req *r)
{
	struct cal_date to = r->act.today, from;
	const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
	if (!(ts && cal_date_parse(ts, strlen(ts), &to)))
		to = r->act.today;
	if (!(fs && cal_date_parse(fs, strlen(fs), &from)))
		from = (struct cal_date){cal_add_months(to, -11).y,
					 cal_add_months(to, -11).m, 1};
	struct due_period *v = NULL;
	int n = 0;
	int rc = err_from_db(db_begin(r->db, DB_TX_READ));
	if (rc == ERR_OK) {
		rc = due_timeliness(r->db, &r->act, from, to, r->a, &v, &n);
		db_rollback(r->db);
	}
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, NULL);
		return;
	}
	struct sbuf *o = page_out(r);
	page_begin(r, "How many were met on time", NULL);
	char f[11], t[11];
	cal_date_format(from, f);
	cal_date_format(to, t);
	page_para(r, arena_printf(r->a, "Timescales that fell due from %s to "
				  "%s, by the month they fell due.",
				  page_when(r, f), page_when(r, t)));
	size_t nr;
	const struct due_rule *rules = due_rules(&nr);
	for (size_t k = 0; k < nr; k++) {
		const struct due_rule *ru = &rules[k];
		if (ru->kind != DUE_DEADLINE)
			continue;
		static const char *const heads[] = {
			"Month", "Met on time", "Met late", "Overdue",
			"Not yet due", "On time",
		};
		bool any = false;
		for (int i = 0; i < n; i++) {
			const struct due_period *p = &v[i];
			if (strcmp(p->rule, ru->id) != 0)
				continue;
			if (!any)
				page_table_begin(r, ru->what, heads, 6);
			any = true;
			page_row_begin(r);
			page_cell(r, month_words(r, p->month));
			count_cell(r, p->on_time, ru->id, p->month, "met-on-time");
			count_cell(r, p->late, ru->id, p->month, "met-late");
			count_cell(r, p->overdue, ru->id, p->month, "overdue");
			page_cell_begin(r);
			page_count(r, p->open);
			page_cell_end(r);
			int64_t done = p->on_time + p->late + p->overdue;
			page_cell(r, done ? arena_printf(r->a, "%lld%%",
					     (long long)((p->on_time * 100 +
							  done / 2) / done))
					  : "No data");
			page_row_end(r);
		}
		if (any)
			page_table_end(r);
		else {
			page_h2(r, ru->what);
			page_para(r, "None fell due in this period.");
		}
		html_raw(o, "<details class=\"govuk-details\"><summary class=\""
			    "govuk-details__summary\"><span class=\"govuk-"
			    "details__summary-text\">About this timescale"
			    "</span></summary><div class=\"govuk-details__"
			    "text\">");
		html_text(o, arena_printf(r->a, "The clock starts when %s and "
					  "stops when %s. This is rule %s of "
					  "the statutory timescales.",
					  ru->starts, ru->met_by, ru->id));
		html_raw(o, "</div></details>");
	}
	page_end(r);
	page_send(r, 200);
}

/* The period of the list and of the timeliness table: two dates. */
#define PERIOD_PARAMS \
	{"from", PARAM_LINE, 10, false}, {"to", PARAM_LINE, 10, false}

static const struct param_spec p_list[] = {
	{"scope", PARAM_LINE, 8, false},
	{"status", PARAM_LINE, 16, false},
	{"rule", PARAM_LINE, 8, false},
	PERIOD_PARAMS,
	PAGE_NUMBER_PARAM,
	{NULL, 0, 0, false},
};

static const struct param_spec p_period[] = {
	PERIOD_PARAMS,
	{NULL, 0, 0, false},
};

/* "My work": the statutory timescales on the user's list. */
static int load_mine(struct req *r, void **data)
{
	int64_t *due = arena_zalloc(r->a, DUE_STATUS__MAX * sizeof(*due));
	struct due_filter df = {.worker_id = r->act.user_id, .open_only = true};
	*data = due;
	return due ? due_counts(r->db, &r->act, &df, due) : ERR_NOMEM;
}

static void render_mine(struct req *r, void *data)
{
	const int64_t *due = data;
	page_h2(r, "My timescales");
	page_para(r, arena_printf(r->a, "%s overdue, %s due soon, %s due "
				  "later.", page_count_text(r, due[DUE_OVERDUE]),
				  page_count_text(r, due[DUE_SOON]),
				  page_count_text(r, due[DUE_DUE])));
	page_para_link(r, "/timescales", "See my timescales, most urgent "
		       "first");
}

const struct work_section due_work_sections[] = {
	{"my-timescales", 20, work_caseload, load_mine, render_mine},
	{NULL, 0, NULL, NULL, NULL},
};

const struct route due_page_routes[] = {
	{HTTP_GET, "/timescales", PERM_REFERRAL_READ, 0, p_list, timescales,
	 "Statutory timescales: the items due, most urgent first", NULL},
	{HTTP_GET, "/timescales/timeliness", PERM_AGGREGATES, ROUTE_REPLICA,
	 p_period,
	 timeliness, "How many timescales were met on time, by month", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
