/* report.c: see report.h for the contract. */
#include "scrutiny/report.h"
#include "core/csv.h"
#include "http/html.h"
#include "rules/calendar.h"

#include <string.h>

const char *const report_csv_columns[] = {
	"review_id", "body", "topic", "rec_ref", "recommendation",
	"response_kind", "response", "action_id", "action", "owner",
	"budget", "timescale", "due_on", "recurrence", "status",
	"status_on", "overdue", "latest_update", NULL,
};

static const char *status_label(const char *id)
{
	const char *l = scrutiny_label(scrutiny_statuses, id);
	return l ? l : id;
}

int report_build(struct arena *a, const struct scrutiny_plan *plan,
		 const char *since, struct cal_date today, struct report *out)
{
	memset(out, 0, sizeof(*out));
	out->plan = plan;
	out->since = since ? since : "";
	char *t = arena_alloc(a, 11);
	if (t == NULL)
		return -1;
	cal_date_format(today, t);
	out->today = t;
	int total = 0;
	for (int i = 0; i < plan->nrecs; i++)
		total += plan->recs[i].nactions;
	out->changes = arena_zalloc(a, (size_t)(total + 1) *
					       sizeof(*out->changes));
	if (out->changes == NULL)
		return -1;
	for (int i = 0; i < plan->nrecs; i++) {
		const struct scrutiny_rec *rec = &plan->recs[i];
		for (int j = 0; j < rec->nactions; j++) {
			const struct scrutiny_action *x = &rec->actions[j];
			out->nactions++;
			if (x->overdue)
				out->noverdue++;
			int s = scrutiny_status_index(x->status);
			if (s >= 0)
				out->by_status[s]++;
			const char *from = out->since[0]
				? scrutiny_status_at(x, out->since)
				: "not-started";
			int n = 0;
			const char *latest = "";
			for (int k = 0; k < x->nupdates; k++)
				if (!out->since[0] ||
				    strcmp(x->updates[k].on_date, out->since) >
					    0) {
					n++;
					latest = x->updates[k].narrative;
				}
			if (n == 0 && strcmp(from, x->status) == 0)
				continue;
			struct report_change *c = &out->changes[out->nchanges++];
			c->rec = rec;
			c->action = x;
			c->from_status = from;
			c->to_status = x->status;
			c->nupdates = n;
			c->latest = latest;
		}
	}
	return 0;
}

/* ---- HTML ------------------------------------------------------------ */

static void th(struct sbuf *o, const char *text)
{
	html_raw(o, "<th scope=\"col\" class=\"govuk-table__header\">");
	html_text(o, text);
	html_raw(o, "</th>");
}

static void td_begin(struct sbuf *o)
{
	html_raw(o, "<td class=\"govuk-table__cell\">");
}

static void td(struct sbuf *o, const char *text)
{
	td_begin(o);
	html_text(o, text);
	html_raw(o, "</td>");
}

/* Text with a line break for each "\n". */
static void lines(struct sbuf *o, const char *text)
{
	const char *p = text ? text : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		if (nl == NULL) {
			html_text(o, p);
			return;
		}
		html_textn(o, p, (size_t)(nl - p));
		html_raw(o, "<br>");
		p = nl + 1;
	}
}

/* A table in the box that scrolls it sideways on a narrow screen, as
 * web/page.c's tables are (the box is a focusable region named by the
 * caption; its style is the app's, cairn.css). */
static void table_begin(struct sbuf *o, const char *caption,
			const char *const *heads)
{
	html_raw(o, "<div class=\"cairn-table-scroll\" tabindex=\"0\" "
		    "role=\"region\"");
	html_attr(o, "aria-label", caption);
	html_raw(o, "><table class=\"govuk-table cairn-report-table\">"
		    "<caption class=\"govuk-table__caption "
		    "govuk-table__caption--m\">");
	html_text(o, caption);
	html_raw(o, "</caption><thead class=\"govuk-table__head\">"
		    "<tr class=\"govuk-table__row\">");
	for (; *heads; heads++)
		th(o, *heads);
	html_raw(o, "</tr></thead><tbody class=\"govuk-table__body\">");
}

static void status_tag(struct sbuf *o, const char *status, bool overdue)
{
	const char *colour = scrutiny_status_colour(status);
	html_raw(o, "<strong class=\"govuk-tag");
	if (colour) {
		html_raw(o, " govuk-tag--");
		html_raw(o, colour);
	}
	html_raw(o, "\">");
	html_text(o, status_label(status));
	html_raw(o, "</strong>");
	if (overdue)
		html_raw(o, " <strong class=\"govuk-tag govuk-tag--red\">"
			    "Overdue</strong>");
}

static void date_words(struct sbuf *o, const char *ymd)
{
	char words[32];
	cal_words(ymd, words);
	html_text(o, words);
}

static void summary(const struct report *rp, struct sbuf *o)
{
	const struct scrutiny_review *rv = &rp->plan->review;
	html_raw(o, "<h2 class=\"govuk-heading-m\">Summary</h2>"
		    "<dl class=\"govuk-summary-list\">");
	html_raw(o, "<div class=\"govuk-summary-list__row\"><dt class="
		    "\"govuk-summary-list__key\">Recommendations</dt><dd "
		    "class=\"govuk-summary-list__value\">");
	html_int(o, rp->plan->nrecs);
	html_raw(o, "</dd></div><div class=\"govuk-summary-list__row\"><dt "
		    "class=\"govuk-summary-list__key\">Actions</dt><dd "
		    "class=\"govuk-summary-list__value\">");
	html_int(o, rp->nactions);
	html_raw(o, "</dd></div>");
	for (int i = 0; scrutiny_statuses[i].id; i++) {
		html_raw(o, "<div class=\"govuk-summary-list__row\"><dt "
			    "class=\"govuk-summary-list__key\">");
		html_text(o, scrutiny_statuses[i].label);
		html_raw(o, "</dt><dd class=\"govuk-summary-list__value\">");
		html_int(o, rp->by_status[i]);
		html_raw(o, "</dd></div>");
	}
	html_raw(o, "<div class=\"govuk-summary-list__row\"><dt class="
		    "\"govuk-summary-list__key\">Overdue</dt><dd class="
		    "\"govuk-summary-list__value\">");
	html_int(o, rp->noverdue);
	html_raw(o, "</dd></div><div class=\"govuk-summary-list__row\"><dt "
		    "class=\"govuk-summary-list__key\">Next progress report "
		    "due</dt><dd class=\"govuk-summary-list__value\">");
	if (rv->next_report_due[0]) {
		date_words(o, rv->next_report_due);
		if (rv->report_overdue)
			html_raw(o, " <strong class=\"govuk-tag "
				    "govuk-tag--red\">Overdue</strong>");
	} else {
		html_raw(o, "No schedule set");
	}
	html_raw(o, "</dd></div></dl>");
}

static void changes(const struct report *rp, struct sbuf *o)
{
	html_raw(o, "<h2 class=\"govuk-heading-m\">What has changed ");
	if (rp->since[0]) {
		html_raw(o, "since the last report (");
		date_words(o, rp->since);
		html_raw(o, ")</h2>");
	} else {
		html_raw(o, "</h2><p class=\"govuk-body\">No earlier report "
			    "is recorded, so all progress is shown.</p>");
	}
	if (rp->nchanges == 0) {
		html_raw(o, "<p class=\"govuk-body\">No progress has been "
			    "recorded since then.</p>");
		return;
	}
	static const char *const heads[] = {
		"Recommendation", "Action", "Was", "Now", "Latest update",
		NULL,
	};
	table_begin(o, "Changes", heads);
	for (int i = 0; i < rp->nchanges; i++) {
		const struct report_change *c = &rp->changes[i];
		html_raw(o, "<tr class=\"govuk-table__row\">");
		td(o, c->rec->ref);
		td_begin(o);
		lines(o, c->action->text);
		html_raw(o, "</td>");
		td(o, status_label(c->from_status));
		td_begin(o);
		status_tag(o, c->to_status, c->action->overdue);
		html_raw(o, "</td>");
		td_begin(o);
		lines(o, c->latest);
		html_raw(o, "</td></tr>");
	}
	html_raw(o, "</tbody></table></div>");
}

/* Recommendation | Comments and action taken | Progress (seed 001). */
static void progress_table(const struct report *rp, struct sbuf *o)
{
	static const char *const heads[] = {
		"Recommendation", "Comments and action taken", "Progress",
		NULL,
	};
	table_begin(o, "Progress against each recommendation", heads);
	for (int i = 0; i < rp->plan->nrecs; i++) {
		const struct scrutiny_rec *rec = &rp->plan->recs[i];
		html_raw(o, "<tr class=\"govuk-table__row\">");
		td_begin(o);
		html_raw(o, "<strong>");
		html_text(o, rec->ref);
		html_raw(o, ".</strong> ");
		lines(o, rec->text);
		html_raw(o, "</td>");
		td_begin(o);
		for (int j = 0; j < rec->nactions; j++) {
			const struct scrutiny_action *x = &rec->actions[j];
			html_raw(o, "<p class=\"govuk-body-s\">");
			lines(o, x->text);
			const struct scrutiny_update *u =
				x->nupdates ? &x->updates[x->nupdates - 1]
					    : NULL;
			/* an imported progress report's update repeats the
			 * action's text: show it once */
			if (u && strcmp(u->narrative, x->text) != 0) {
				html_raw(o, "<br><span class=\"govuk-hint\">");
				date_words(o, u->on_date);
				html_raw(o, ":</span> ");
				lines(o, u->narrative);
			}
			html_raw(o, "</p>");
		}
		if (rec->nactions == 0)
			html_raw(o, "No action recorded.");
		html_raw(o, "</td>");
		td_begin(o);
		for (int j = 0; j < rec->nactions; j++) {
			if (j)
				html_raw(o, "<br>");
			status_tag(o, rec->actions[j].status,
				   rec->actions[j].overdue);
		}
		html_raw(o, "</td></tr>");
	}
	html_raw(o, "</tbody></table></div>");
}

/* Recommendation | Response | Action | Owner | Budget | Timescale
 * (seeds 000 and 002), with the status. */
static void plan_table(const struct report *rp, struct sbuf *o)
{
	static const char *const heads[] = {
		"Recommendation", "Response", "Action", "Owner", "Budget",
		"Timescale", "Status", NULL,
	};
	table_begin(o, "Action plan", heads);
	for (int i = 0; i < rp->plan->nrecs; i++) {
		const struct scrutiny_rec *rec = &rp->plan->recs[i];
		int rows = rec->nactions ? rec->nactions : 1;
		for (int j = 0; j < rows; j++) {
			html_raw(o, "<tr class=\"govuk-table__row\">");
			if (j == 0) {
				html_raw(o, "<td class=\"govuk-table__cell\" "
					    "rowspan=\"");
				html_int(o, rows);
				html_raw(o, "\"><strong>");
				html_text(o, rec->ref);
				html_raw(o, ".</strong> ");
				lines(o, rec->text);
				html_raw(o, "</td><td class=\"govuk-table__cell"
					    "\" rowspan=\"");
				html_int(o, rows);
				html_raw(o, "\">");
				const char *k = scrutiny_label(
					scrutiny_responses, rec->response_kind);
				if (k) {
					html_raw(o, "<strong>");
					html_text(o, k);
					html_raw(o, ".</strong> ");
				}
				lines(o, rec->response);
				html_raw(o, "</td>");
			}
			if (rec->nactions == 0) {
				html_raw(o, "<td class=\"govuk-table__cell\" "
					    "colspan=\"5\">No action recorded."
					    "</td></tr>");
				continue;
			}
			const struct scrutiny_action *x = &rec->actions[j];
			td_begin(o);
			lines(o, x->text);
			html_raw(o, "</td>");
			td(o, x->owner);
			td(o, x->budget);
			td_begin(o);
			lines(o, x->timescale_text);
			if (x->due_on[0] || x->recurrence[0]) {
				html_raw(o, "<br><span class=\"govuk-hint\">");
				if (x->due_on[0]) {
					html_raw(o, "Due ");
					date_words(o, x->due_on);
				}
				if (x->recurrence[0]) {
					if (x->due_on[0])
						html_raw(o, ", ");
					html_text(o, scrutiny_label(
						scrutiny_recurrences,
						x->recurrence));
				}
				html_raw(o, "</span>");
			}
			html_raw(o, "</td>");
			td_begin(o);
			status_tag(o, x->status, x->overdue);
			html_raw(o, "</td></tr>");
		}
	}
	html_raw(o, "</tbody></table></div>");
}

/* For the standalone document: GOV.UK-like type, and A4 when printed. */
static const char standalone_css[] =
	"body{font-family:Arial,sans-serif;font-size:11pt;color:#0b0c0c;"
	"margin:1.5em}"
	"h1{font-size:18pt}h2{font-size:14pt;margin-top:1.5em}"
	"table{border-collapse:collapse;width:100%;margin-bottom:1em}"
	"caption{text-align:left;font-weight:700;padding:.3em 0}"
	"th,td{border:1px solid #b1b4b6;padding:.3em;text-align:left;"
	"vertical-align:top}"
	"dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}"
	"dt{font-weight:700}dd{margin:0}"
	".govuk-tag{font-weight:700;text-transform:none}"
	".govuk-tag--red{color:#942514}.govuk-hint{color:#505a5f}"
	"@page{size:A4;margin:15mm}"
	"@media print{body{margin:0;font-size:9pt}tr{break-inside:avoid}"
	"thead{display:table-header-group}}";

int report_html(const struct report *rp, bool standalone, struct sbuf *o)
{
	const struct scrutiny_review *rv = &rp->plan->review;
	if (standalone) {
		html_raw(o, "<!DOCTYPE html><html lang=\"en\"><head><meta "
			    "charset=\"utf-8\"><title>Progress report: ");
		html_text(o, rv->topic);
		html_raw(o, "</title><style>");
		html_raw(o, standalone_css);
		html_raw(o, "</style></head><body><h1>Progress report: ");
		html_text(o, rv->topic);
		html_raw(o, "</h1>");
	}
	html_raw(o, "<p class=\"govuk-body\">");
	html_text(o, rv->body_name);
	if (rv->reported_on[0]) {
		html_raw(o, ", report of ");
		date_words(o, rv->reported_on);
	}
	html_raw(o, ". Progress as at ");
	date_words(o, rp->today);
	html_raw(o, ".</p>");
	summary(rp, o);
	changes(rp, o);
	progress_table(rp, o);
	plan_table(rp, o);
	if (standalone)
		html_raw(o, "</body></html>\n");
	return o->toobig ? -1 : 0;
}

/* ---- CSV ------------------------------------------------------------- */

int report_csv(const struct report *rp, struct sbuf *o)
{
	const struct scrutiny_review *rv = &rp->plan->review;
	for (int i = 0; report_csv_columns[i]; i++)
		csv_cell(o, report_csv_columns[i], i == 0);
	sbuf_adds(o, "\r\n");
	for (int i = 0; i < rp->plan->nrecs; i++) {
		const struct scrutiny_rec *rec = &rp->plan->recs[i];
		int rows = rec->nactions ? rec->nactions : 1;
		for (int j = 0; j < rows; j++) {
			const struct scrutiny_action *x =
				rec->nactions ? &rec->actions[j] : NULL;
			csv_int(o, rv->review_id, true);
			csv_cell(o, rv->body_name, false);
			csv_cell(o, rv->topic, false);
			csv_cell(o, rec->ref, false);
			csv_cell(o, rec->text, false);
			csv_cell(o, rec->response_kind, false);
			csv_cell(o, rec->response, false);
			if (x == NULL) {
				sbuf_adds(o, ",,,,,,,,,,,\r\n");
				continue;
			}
			csv_int(o, x->action_id, false);
			csv_cell(o, x->text, false);
			csv_cell(o, x->owner, false);
			csv_cell(o, x->budget, false);
			csv_cell(o, x->timescale_text, false);
			csv_cell(o, x->due_on, false);
			csv_cell(o, x->recurrence, false);
			csv_cell(o, x->status, false);
			csv_cell(o, x->nupdates
				? x->updates[x->nupdates - 1].on_date : "",
				  false);
			csv_cell(o, x->overdue ? "yes" : "no", false);
			csv_cell(o, x->nupdates
				? x->updates[x->nupdates - 1].narrative : "",
				  false);
			sbuf_adds(o, "\r\n");
		}
	}
	return o->toobig ? -1 : 0;
}
