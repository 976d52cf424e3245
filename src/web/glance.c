/*
 * glance.c: the child's record at a glance (glance.h; issue 11 §9, D56):
 * its parts from the modules' records, the section at the top of the
 * child's page (order 5) and GET /api/v1/children/{id}/glance.
 */
#include "web/glance.h"
#include "auth/policy.h"
#include "child/child.h"
#include "core/arena.h"
#include "cp/cp.h"
#include "domain/actor.h"
#include "domain/field.h"
#include "episode/episode.h"
#include "http/html.h"
#include "practice/practice.h"
#include "web/answer.h"
#include "web/app.h"
#include "web/page.h"
#include "web/sections.h"

#include <stdio.h>
#include <string.h>

/* ---- the parts --------------------------------------------------------- */

void glance_cases(struct glance *g, const struct episode *v, int n)
{
	g->cases_on = true;
	g->ncases = 0;
	for (int i = 0; i < n && g->ncases < GLANCE_CASES; i++) {
		if (!v[i].open)
			continue;
		const char *t = codes_label(episode_type_codes, v[i].case_type);
		g->cases[g->ncases++] = (struct glance_case){
			v[i].episode_id, v[i].case_type, t ? t : "",
			v[i].opened_on,
			v[i].worker_name ? v[i].worker_name : "",
			v[i].team_name ? v[i].team_name : ""};
	}
}

void glance_plan(struct glance *g, const struct cp_child *d)
{
	g->plan_on = true;
	for (int i = 0; i < d->plan_n; i++) {
		const struct cp_plan *p = &d->plan_v[i];
		if (!p->open)
			continue;
		const char *c = codes_label(cp_category_codes, p->category);
		g->plan_id = p->plan_id;
		g->category = c ? c : "";
		g->plan_started = p->started_on;
		g->repeat = p->repeat;       /* R13 */
		g->two_years = p->two_years; /* R12 */
		return;
	}
}

/* The newest visit that saw the child, and saw them alone (D49): v is
 * newest first, as the visits section shows it. */
void glance_seen(struct glance *g, const struct visit *v, int n)
{
	g->seen_on = true;
	g->last_seen = g->last_alone = "";
	for (int i = 0; i < n; i++) {
		if (v[i].child_seen && !g->last_seen[0])
			g->last_seen = v[i].visited_at;
		if (v[i].seen_alone && !g->last_alone[0])
			g->last_alone = v[i].visited_at;
	}
}

void glance_flags(struct glance *g, const struct child_flag *v, int n)
{
	g->flags_on = true;
	g->nflags = 0;
	for (int i = 0; i < n && g->nflags < GLANCE_FLAGS; i++) {
		if (v[i].ended_at[0])
			continue;
		const char *l = child_flag_kind_label_for(v[i].kind);
		g->flag_overdue[g->nflags] = v[i].overdue;
		g->flags[g->nflags++] = l ? l : "Warning";
	}
}

/* The child's items not met: a few rows by the due_child index (council,
 * child_id), the soonest kept in C (no ORDER BY: a temporary b-tree on
 * every child's page, architecture.md). */
DB_STMT(st_glance_due) = {
	"glance_due",
	"SELECT rule, due_at, soon_at FROM due_item WHERE council = ?1"
	" AND child_id = ?2 AND met_at IS NULL",
	RB_PRACTICE | DB_ROLE_SYSTEM,
};

/* Where the item goes among the soonest kept: its place, or -1. */
static int due_place(const struct glance *g, const char *due_at,
		     const char *rule)
{
	int k = g->ndue;
	while (k > 0) {
		int c = strcmp(due_at, g->due[k - 1].due_at);
		if (c > 0 || (c == 0 && strcmp(rule, g->due[k - 1].rule) >= 0))
			break;
		k--;
	}
	return k < GLANCE_DUE ? k : -1;
}

/* An item's status now: a dated one against today, a timed one against
 * the civil time (due.h's rule). */
static enum due_status due_now(const char *due_at, const char *soon_at,
			       const char *today, const char *now)
{
	const char *at = strlen(due_at) == 10 ? today : now;
	if (strcmp(due_at, at) < 0)
		return DUE_OVERDUE;
	if (soon_at && soon_at[0] && strcmp(soon_at, at) <= 0)
		return DUE_SOON;
	return DUE_DUE;
}

int glance_due(struct req *r, int64_t child_id, struct glance *g)
{
	g->due_on = true;
	g->ndue = 0;
	char today[11], now[17];
	cal_date_format(r->act.today, today);
	cal_time_format(r->act.civil, now);
	struct db_q *q = NULL;
	int rc = db_exec(r->db, &st_glance_due, &q, r->act.council, child_id);
	for (; rc == DB_ROW; rc = db_step(q)) {
		const struct due_rule *rule = due_rule(db_col_text(q, 0));
		const char *due_at = db_col_text(q, 1);
		if (rule == NULL || due_at == NULL)
			continue;
		int k = due_place(g, due_at, rule->id);
		if (k < 0)
			continue;
		int last = g->ndue < GLANCE_DUE ? g->ndue : GLANCE_DUE - 1;
		memmove(&g->due[k + 1], &g->due[k],
			(size_t)(last - k) * sizeof(g->due[0]));
		struct glance_due *d = &g->due[k];
		d->rule = rule->id;
		d->what = due_rule_label(rule->id);
		snprintf(d->due_at, sizeof(d->due_at), "%s", due_at);
		d->status = due_now(due_at, db_col_text(q, 2), today, now);
		if (g->ndue < GLANCE_DUE)
			g->ndue++;
	}
	return rc == DB_DONE ? ERR_OK : err_from_db(rc);
}

/* ---- the section on the child's page ------------------------------------ */

/* Only its own part is read here: the rest is the other sections'. */
static int load_glance(struct req *r, const struct child_ctx *x,
		       const struct child *ch, void **data)
{
	(void)x;
	struct glance *g = arena_zalloc(r->a, sizeof(*g));
	*data = g;
	if (g == NULL)
		return ERR_NOMEM;
	return req_can(r, PERM_REFERRAL_READ) ? glance_due(r, ch->child_id, g)
					      : ERR_OK;
}

/* The other sections' data, each through its module's adapter. */
static void glance_gather(struct req *r, struct glance *g)
{
	static const struct {
		const char *section;
		void (*fill)(struct glance *, const void *);
	} parts[] = {
		{"cases", episode_pages_glance},
		{"child-protection", cp_pages_glance},
		{"visits", practice_pages_glance},
		{"warnings", child_page_flags_glance},
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const void *d = child_section_data(r, parts[i].section);
		if (d)
			parts[i].fill(g, d);
	}
}

static const char *case_path(struct req *r, int64_t id)
{
	return arena_printf(r->a, "/cases/%lld", (long long)id);
}

static void row_cases(struct req *r, const struct glance *g)
{
	struct sbuf *o = page_out(r);
	page_srow_begin(r, g->ncases > 1 ? "Open cases" : "Open case");
	if (g->ncases == 0)
		html_text(o, "No open case");
	for (int i = 0; i < g->ncases; i++) {
		html_raw(o, i ? "<br>" : "");
		page_link(r, case_path(r, g->cases[i].episode_id),
			  g->cases[i].type);
		html_text(o, arena_printf(r->a, ", open since %s",
					  page_when(r, g->cases[i].opened_on)));
	}
	page_srow_end(r);
	if (g->ncases == 0)
		return;
	page_srow_begin(r, "Lead practitioner");
	for (int i = 0; i < g->ncases; i++) {
		const struct glance_case *c = &g->cases[i];
		html_raw(o, i ? "<br>" : "");
		if (g->ncases > 1)
			html_text(o, arena_printf(r->a, "%s: ", c->type));
		if (!c->lead[0])
			page_tag(r, "Not allocated", "red");
		else
			html_text(o, c->team[0] ? arena_printf(r->a, "%s, %s",
							       c->lead, c->team)
						: c->lead);
	}
	page_srow_end(r);
}

static void row_plan(struct req *r, const struct glance *g,
		     int64_t child_id)
{
	struct sbuf *o = page_out(r);
	page_srow_begin(r, "Child protection plan");
	if (!g->plan_id) {
		html_text(o, "Not on a plan");
	} else {
		page_link(r, arena_printf(r->a, "/children/%lld/"
					  "child-protection",
					  (long long)child_id),
			  g->category);
		html_text(o, arena_printf(r->a, ", since %s",
					  page_when(r, g->plan_started)));
		if (g->repeat) { /* R13 */
			html_raw(o, " ");
			page_tag(r, "Repeat plan", "orange");
		}
		if (g->two_years) { /* R12 */
			html_raw(o, " ");
			page_tag(r, "Two years or more", "red");
		}
	}
	page_srow_end(r);
}

static void row_due(struct req *r, const struct glance *g)
{
	static const char *const colour[DUE_STATUS__MAX] = {
		[DUE_OVERDUE] = "red", [DUE_SOON] = "yellow", [DUE_DUE] = "blue"};
	struct sbuf *o = page_out(r);
	page_srow_begin(r, "Next due");
	if (g->ndue == 0)
		html_text(o, "Nothing due");
	for (int i = 0; i < g->ndue; i++) {
		const struct glance_due *d = &g->due[i];
		html_raw(o, i ? "<br>" : "");
		page_link(r, arena_printf(r->a, "/timescales?rule=%s", d->rule),
			  d->what);
		html_text(o, arena_printf(r->a, ": due %s ",
					  page_when(r, d->due_at)));
		page_tag(r, due_status_label(d->status), colour[d->status]);
	}
	page_srow_end(r);
}

static void row_flags(struct req *r, const struct glance *g)
{
	struct sbuf *o = page_out(r);
	page_srow_begin(r, "Warnings");
	if (g->nflags == 0)
		html_text(o, "None");
	for (int i = 0; i < g->nflags; i++) {
		html_raw(o, i ? "<br>" : "");
		html_text(o, g->flags[i]);
		if (g->flag_overdue[i])
			html_text(o, " (review overdue)");
	}
	page_srow_end(r);
}

static void render_glance(struct req *r, const struct child_ctx *x,
			  const struct child *ch, void *data)
{
	(void)x;
	struct glance *g = data;
	glance_gather(r, g);
	if (!g->cases_on && !g->plan_on && !g->seen_on && !g->flags_on &&
	    !g->due_on)
		return;
	page_h2(r, "At a glance");
	summary_begin(r);
	if (g->cases_on)
		row_cases(r, g);
	if (g->plan_on)
		row_plan(r, g, ch->child_id);
	if (g->due_on)
		row_due(r, g);
	if (g->seen_on) {
		summary_row(r, "Last seen", g->last_seen[0]
			    ? page_when(r, g->last_seen)
			    : "Not seen at a recorded visit");
		summary_row(r, "Last seen alone", g->last_alone[0]
			    ? page_when(r, g->last_alone)
			    : "Not seen alone at a recorded visit");
	}
	if (g->flags_on)
		row_flags(r, g);
	summary_end(r);
}

const struct child_section glance_child_sections[] = {
	{"glance", NULL, PERM_CHILD_READ, 5, load_glance, NULL, render_glance},
	{NULL, NULL, 0, 0, NULL, NULL, NULL},
};
