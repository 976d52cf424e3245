/*
 * scrutiny_demo.c: a fictional scrutiny review for the demo council, so
 * the register, the report and the progress pages have something to
 * show.  The action plan is written here as a Markdown pipe table (the
 * shape of seed 002) and goes through the same import as a council's
 * document, then gets a few progress updates dated relative to today,
 * so some actions are overdue, some completed, some delayed.  All names
 * and text are invented.  Skipped when the council already has a review
 * (running `cairn demo` twice adds nothing).
 */
#include "demo/demo.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "scrutiny/import.h"
#include "rules/uktime.h"
#include "scrutiny/scrutiny.h"

#include <stdio.h>
#include <string.h>

static const char plan_text[] =
	"NORTHWOLD CHILDREN AND YOUNG PEOPLE SCRUTINY PANEL - SAFEGUARDING "
	"AT THE FRONT DOOR - ACTION PLAN\n"
	"\n"
	"| RECOMMENDATION | PROPOSED ACTION | POST TITLE | BUDGET COST | "
	"TIMESCALE |\n"
	"|---|---|---|---|---|\n"
	"| a) That every contact is decided within one working day, and the "
	"panel receives the figures each quarter. | Publish the front-door "
	"timeliness figures to the panel every quarter. | Head of Early Help "
	"and Front Door | No additional cost | Quarterly |\n"
	"| b) That schools are told the outcome of every referral they make. "
	"| Send the referrer an outcome letter within five working days of "
	"the decision. | Front Door Service Manager | No additional cost | "
	"March 2025 |\n"
	"| c) That significant adults in a child's life are recorded in the "
	"child's network. | Add significant adults to the assessment "
	"template and train assessment teams. | Principal Social Worker | "
	"Training within existing budget | September 2025 |\n"
	"| d) That no case is closed without telling the partners involved. "
	"| Add a closure check that lists every partner to inform. | Head of "
	"Safeguarding | Costs to be met from the systems budget | June - Dec "
	"2026 |\n"
	"| e) That the panel reviews progress on this plan every six months. "
	"| Report progress to the panel. | Director of Children's Services | "
	"N/A | Every six months |\n";

int demo_scrutiny(struct db *db, const char *council, const char *today,
		  char *err, size_t errlen)
{
	struct cal_date t;
	if (!cal_date_parse(today, strlen(today), &t)) {
		snprintf(err, errlen, "today is not a date");
		return DEMO_EINVAL;
	}
	struct arena *a = arena_new(16u << 20);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int ret = DEMO_EDB;
	struct scrutiny_review *v;
	int n;
	if (scrutiny_reviews(c, council, a, t, &v, &n) != ERR_OK) {
		snprintf(err, errlen, "cannot read the scrutiny register");
		goto out;
	}
	if (n > 0) {
		ret = 0;
		goto out;
	}
	struct import_proposal p;
	struct import_error ie = {0};
	if (import_parse(a, plan_text, sizeof(plan_text) - 1, &p, &ie) != 0 ||
	    p.nrecs != 5) {
		snprintf(err, errlen, "the demo action plan did not import "
			 "(%s)", ie.msg[0] ? ie.msg : "wrong count");
		goto out;
	}
	/* acting at noon on the demo's today */
	struct actor ev = actor_system(council, uk_day_start(t) + 12 * 3600);
	ev.request_id = "demo";
	char reported[11], on[11];
	cal_date_format(cal_add_months(t, -20), reported);
	struct scrutiny_review_in in = {
		"scrutiny-panel", "Children and Young People Scrutiny Panel",
		"Safeguarding at the front door", NULL, reported,
		"Safeguarding at the front door: final report", "6", NULL,
	};
	int64_t id = 0;
	struct field_errors se = {0};
	if (db_begin(c, DB_TX_WRITE) != DB_OK)
		goto out;
	int rc = scrutiny_review_create(c, &ev, &in, &se, &id);
	if (rc == ERR_OK)
		rc = scrutiny_import_save(c, &ev, "Demo", id, &p, reported,
					  &se, NULL);
	struct scrutiny_plan plan;
	if (rc == ERR_OK)
		rc = scrutiny_plan_load(c, council, a, id, t, &plan);
	/* progress: a) ongoing, b) completed, c) delayed (overdue), d) in
	 * progress, e) reported once, six months ago */
	static const struct {
		int rec;
		int months_ago;
		const char *status;
		const char *text;
	} ups[] = {
		{0, 14, "ongoing", "Figures for the first quarter reported."},
		{1, 13, "in-progress", "Letter drafted with the schools forum."},
		{1, 9, "completed", "Outcome letters sent since January."},
		{2, 8, "delayed", "Template changed; training postponed to "
				  "next term."},
		{3, 2, "in-progress", "Closure check designed; testing with "
				      "two teams."},
	};
	for (size_t i = 0; rc == ERR_OK && i < sizeof(ups) / sizeof(ups[0]);
	     i++) {
		if (plan.recs[ups[i].rec].nactions == 0)
			continue;
		cal_date_format(cal_add_months(t, -ups[i].months_ago), on);
		rc = scrutiny_update_add(c, &ev, "Demo officer",
					 plan.recs[ups[i].rec].actions[0].action_id,
					 on, ups[i].status, ups[i].text, &se,
					 NULL);
	}
	if (rc == ERR_OK) {
		cal_date_format(cal_add_months(t, -7), on);
		rc = scrutiny_report_presented(c, &ev, id, on, &se);
	}
	if (rc != ERR_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		snprintf(err, errlen, "cannot save the demo review: %s%s%s",
			 err_name(rc), se.n ? ": " : "",
			 se.n ? se.v[0].msg : "");
		goto out;
	}
	ret = 0;
out:
	db_release(db, c);
	arena_free(a);
	return ret;
}
