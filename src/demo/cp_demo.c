/*
 * cp_demo.c: child protection for the demo council (cp/cp.h), so the
 * chain, the child's "Child protection" section and the timescales of
 * R07 to R10 have something to show.
 *
 * For about one in four children whose single assessment's outcome is
 * a strategy discussion (chosen by the seed), the assessment's worker
 * records the chain after the assessment started, as far as the draw
 * and today allow: the discussion (the police taking part, so the demo
 * police partner reads it), the section 47 enquiry and its outcome, the
 * initial conference, the plan, core groups, a review, now and then
 * the plan's end.  Everything goes through the module's own functions
 * (checked, audited and in the chronology as a worker's would be).  All
 * text is invented.  Skipped when the council already has a strategy
 * discussion (running `cairn demo` twice adds nothing).
 */
#include "demo/demo.h"
#include "auth/role.h"
#include "core/arena.h"
#include "cp/cp.h"
#include "domain/due.h"
#include "domain/rows.h"
#include "episode/episode.h"
#include "practice/practice.h"
#include "rules/calendar.h"

#include <stdio.h>
#include <string.h>

DB_STMT(st_demo_cp_any) = {
	"demo_cp_any",
	"SELECT count(*) FROM cp_strategy WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
/* where a strategy discussion was asked for (R06's start, domain/
 * due.c): a referral the front door decided on one, with its worker; an
 * assessment ending in one, with its author; workers who may lead */
DB_STMT(st_demo_cp_from) = {
	"demo_cp_from",
	"SELECT r.child_id, r.worker_id, r.referral_date FROM referral r"
	" JOIN contact k ON k.council = r.council"
	" AND k.contact_id = r.contact_id AND k.decision = 'strategy'"
	" JOIN app_user u ON u.council = r.council AND u.user_id = r.worker_id"
	" WHERE r.council = ?1 AND u.disabled = 0"
	" AND u.role IN ('social-worker', 'team-manager')"
	" UNION ALL"
	" SELECT a.child_id, a.created_by, COALESCE(a.authorised_on,"
	" a.started_on) FROM assessment a"
	" JOIN app_user u ON u.council = a.council AND u.user_id = a.created_by"
	" WHERE a.council = ?1 AND a.outcome = 'strategy' AND u.disabled = 0"
	" AND u.role IN ('social-worker', 'team-manager')"
	" ORDER BY 1, 3",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_cp_manager) = {
	"demo_cp_manager",
	"SELECT min(user_id) FROM app_user WHERE council = ?1"
	" AND role = 'team-manager' AND disabled = 0",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_cp_police) = {
	"demo_cp_police",
	"SELECT min(org_id) FROM organisation WHERE council = ?1"
	" AND kind = 'police'",
	DB_ROLE_SYSTEM,
};

struct from {
	int64_t child_id, worker_id;
	const char *started_on;
};
static const struct row_col from_cols[] = {
	ROW_COL(ROW_I64, struct from, child_id),
	ROW_COL(ROW_I64, struct from, worker_id),
	ROW_COL(ROW_TEXT, struct from, started_on),
};
static const struct row_map from_map = ROW_MAP(struct from, from_cols, NULL);

static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *x, unsigned n)
{
	return (unsigned)(next(x) % n);
}

static const char *const categories[] = {"NEG", "NEG", "EMO", "PHY", "SAB",
					 "MUL"};

/* The date `days` after from into out; false when after today. */
static bool day_after(const char *from, int days, struct cal_date today,
		      char out[11])
{
	struct cal_date d;
	if (!cal_date_parse(from, strlen(from), &d))
		return false;
	d = cal_add_days(d, days);
	if (cal_compare(d, today) > 0)
		return false;
	cal_date_format(d, out);
	return true;
}

/* Visits to a child on a plan from its start (icpc) to its last day
 * (`last` days on) or today: every 7 to 13 calendar days (R11's 10
 * working days), one in eight late (17 to 24), the child seen in nine
 * of ten. */
static int plan_visits(struct db_conn *c, const struct actor *w,
		       const struct cal *cal, int64_t child_id,
		       const char *icpc, int last, struct cal_date today,
		       uint64_t *x)
{
	char day[11], when[17];
	int at = 3 + (int)below(x, 8);
	for (int i = 0; i < 160 && at < last && day_after(icpc, at, today, day);
	     i++) {
		bool seen = below(x, 10) != 0;
		snprintf(when, sizeof(when), "%sT%02u:%02u", day,
			 8 + below(x, 4), 15 * below(x, 4)); /* before noon:
							       * the actor's now */
		struct visit_input in = {
			.visited_at = when, .place = "home",
			.child_seen = seen, .seen_alone = seen && below(x, 2),
			.observations = seen
				? "Synthetic: the child was seen at home; the "
				  "plan's actions were discussed."
				: "Synthetic: no answer at the door; a card "
				  "was left.",
		};
		int rc = practice_visit_record(c, w, cal, child_id, &in, NULL,
					       NULL);
		if (rc != ERR_OK)
			return rc;
		at += below(x, 8) == 0 ? 17 + (int)below(x, 8)
				       : 7 + (int)below(x, 7);
	}
	return ERR_OK;
}

/* The manager allocates the plan's case to the lead practitioner (w's
 * user), the worker's own team. */
static int allocate_case(struct db_conn *c, const struct actor *w,
			 int64_t plan_id, int64_t manager)
{
	struct cp_plan p;
	struct arena *a = arena_new(1u << 14);
	int rc = a ? cp_plan_read(c, w, plan_id, a, &p) : ERR_NOMEM;
	struct actor m = *w;
	m.user_id = manager;
	m.role = role_id(ROLE_TEAM_MANAGER);
	struct episode_allocation_input in = {0, w->user_id, manager};
	if (rc == ERR_OK) {
		db_set_role(c, RB_TEAM_MANAGER);
		rc = episode_allocate(c, &m, p.episode_id, &in, NULL);
		db_set_role(c, RB_SOCIAL_WORKER);
	}
	arena_free(a);
	return rc;
}

/* One child's chain, as far as the draw and today allow. */
static int one_child(struct db_conn *c, const struct actor *w,
		     const struct cal *cal, const struct from *k,
		     int64_t police, int64_t manager, struct cal_date today,
		     uint64_t *x)
{
	char held[11], s47_on[11], done[11], icpc[11], when[11];
	/* R06: mostly within its 3 working days, one in eight late */
	int after = below(x, 8) == 0 ? 5 + (int)below(x, 6) : (int)below(x, 4);
	if (!day_after(k->started_on, after, today, held))
		return ERR_OK;
	bool enquiry = below(x, 100) < 80;
	struct cp_strategy_input si = {held, enquiry ? "s47" : "nfa", NULL,
				       k->worker_id};
	int64_t sid, qid, cid, pid;
	int rc = cp_strategy_add(c, w, cal, k->child_id, &si, &sid, NULL);
	struct cp_participant_input pol = {
		"police", "Synthetic Officer", "Detective constable",
		"Synthetic: one earlier call-out to the address.", police};
	struct cp_participant_input hea = {
		"health", "Synthetic Health Visitor", "Health visitor",
		"Synthetic: missed two developmental checks.", 0};
	if (rc == ERR_OK)
		rc = cp_participant_add(c, w, sid, &pol, NULL, NULL);
	if (rc == ERR_OK)
		rc = cp_participant_add(c, w, sid, &hea, NULL, NULL);
	if (rc != ERR_OK || !enquiry ||
	    !day_after(held, (int)below(x, 2), today, s47_on))
		return rc;
	struct cp_s47_input qi = {s47_on};
	rc = cp_s47_start(c, w, cal, sid, &qi, &qid, NULL);
	if (rc != ERR_OK || !day_after(s47_on, 5 + (int)below(x, 8), today,
				       done))
		return rc;
	bool conference = below(x, 100) < 60;
	struct cp_s47_outcome qo = {
		done, "Synthetic: the enquiry found the concerns were "
		"supported by what the school and health visitor saw.",
		conference ? "yes" : (below(x, 2) ? "yes" : "no"),
		conference ? "yes" : "no"};
	rc = cp_s47_conclude(c, w, qid, &qo, NULL);
	/* most conferences within 15 working days of the discussion */
	if (rc != ERR_OK || !conference ||
	    !day_after(held, 14 + (int)below(x, 12), today, icpc) ||
	    strcmp(icpc, done) < 0)
		return rc;
	bool plan = below(x, 100) < 75;
	struct cp_icpc_input ii = {icpc, below(x, 20) == 0 ? "yes" : "no",
				   plan ? "plan" : "no_plan"};
	rc = cp_icpc_hold(c, w, cal, qid, &ii, &cid, NULL);
	if (rc != ERR_OK || !plan)
		return rc;
	/* one plan in six visits four-weekly (Southwark's minimum) */
	struct cp_plan_input pi = {categories[below(x, 6)],
				   below(x, 6) == 0 ? 20 : 0};
	rc = cp_plan_start(c, w, cal, cid, &pi, &pid, NULL);
	if (rc == ERR_CONFLICT)
		return ERR_OK; /* the child already has a plan */
	/* the manager allocates the case to the lead practitioner: the
	 * plan's clocks go on their list */
	if (rc == ERR_OK && manager > 0)
		rc = allocate_case(c, w, pid, manager);
	/* reviews about three months on, then every six; drawn first, as
	 * the plan's last day bounds its meetings and visits */
	int reviews[4], nrev = 0, end = 0;
	for (int day = 80 + (int)below(x, 20); nrev < 4 && !end &&
	     day_after(icpc, day, today, when); day += 170) {
		reviews[nrev++] = day;
		if (below(x, 100) < 30)
			end = day;
	}
	int last = end ? end : 100000;
	/* core groups about every four weeks, now and then late */
	for (int day = 7 + (int)below(x, 8); rc == ERR_OK && day < last &&
	     day_after(icpc, day, today, when); day += below(x, 6) ? 28 : 40) {
		struct cp_core_group_input g = {when};
		rc = cp_core_group_add(c, w, cal, pid, &g, NULL, NULL);
	}
	/* R11: home visits (plan_visits) */
	if (rc == ERR_OK)
		rc = plan_visits(c, w, cal, k->child_id, icpc, last, today, x);
	for (int i = 0; rc == ERR_OK && i < nrev; i++) {
		bool ending = reviews[i] == end;
		day_after(icpc, reviews[i], today, when);
		struct cp_review_input rv = {when, ending ? "end" : "continue"};
		rc = cp_review_hold(c, w, cal, pid, &rv, NULL, NULL);
		if (rc == ERR_OK && ending) {
			struct cp_plan_end_input pe = {when, "no_longer_at_risk"};
			rc = cp_plan_end(c, w, cal, pid, &pe, NULL);
		}
	}
	return rc;
}

int demo_cp(struct db *db, const char *council, const char *today,
	    uint64_t seed, char *err, size_t errlen)
{
	struct cal_date t;
	if (!cal_date_parse(today, strlen(today), &t)) {
		snprintf(err, errlen, "today is not a date");
		return DEMO_EINVAL;
	}
	struct arena *a = arena_new(16u << 20);
	struct db_conn *c = db_acquire(db);
	struct cal *cal = NULL;
	db_set_role(c, DB_ROLE_SYSTEM);
	/* the worker's role below sees the council's rows only (row-level
	 * security on PostgreSQL) */
	db_set_council(c, council);
	int ret = DEMO_EDB;
	struct db_q *q;
	struct from *v = NULL;
	int n = 0;
	int64_t police = 0, manager = 0;
	if (a == NULL || due_load_cal(c, council, &cal) != ERR_OK ||
	    db_begin(c, DB_TX_WRITE) != DB_OK) {
		snprintf(err, errlen, "cannot begin child protection");
		goto out;
	}
	if (db_exec(c, &st_demo_cp_any, &q, council) != DB_ROW) {
		snprintf(err, errlen, "cannot count the strategy discussions");
		goto out;
	}
	bool made = db_col_i64(q, 0) > 0;
	db_done(q);
	if (made) {
		ret = 0;
		goto out;
	}
	if (db_exec(c, &st_demo_cp_manager, &q, council) == DB_ROW) {
		manager = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
		db_done(q);
	}
	if (db_exec(c, &st_demo_cp_police, &q, council) == DB_ROW) {
		police = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
		db_done(q);
	}
	if (rows_list(c, a, &st_demo_cp_from, &from_map, NULL, &v, &n,
		      council) != ERR_OK) {
		snprintf(err, errlen, "cannot read the assessments");
		goto out;
	}
	/* the chain is written as the worker would write it: their
	 * statements, their allow-lists */
	db_set_role(c, RB_SOCIAL_WORKER);
	uint64_t x = seed ^ 0x6368696c6470726full; /* "childpro" */
	struct actor w = actor_system(council, 0);
	w.username = "demo";
	w.request_id = "demo";
	w.role = role_id(ROLE_SOCIAL_WORKER);
	actor_at(&w, (cal_minutes((struct cal_time){t, 12, 0})) * 60);
	/* every discussion asked for is held, but for one in three of the
	 * last month's (still due, or overdue) */
	char recent[11];
	cal_date_format(cal_add_days(t, -30), recent);
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i].started_on, recent) >= 0 && below(&x, 3) == 0)
			continue;
		w.user_id = v[i].worker_id;
		int rc = one_child(c, &w, cal, &v[i], police, manager, t, &x);
		if (rc == ERR_OK)
			rc = err_from_db(demo_batch(c, i + 1));
		if (rc != ERR_OK) {
			snprintf(err, errlen, "cannot record child protection: %s",
				 err_name(rc));
			goto out;
		}
	}
	if (db_commit(c) != DB_OK) {
		snprintf(err, errlen, "cannot commit child protection");
		goto out;
	}
	ret = 0;
out:
	db_rollback(c);
	db_release(db, c);
	cal_free(cal);
	arena_free(a);
	return ret;
}
