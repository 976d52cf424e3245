/*
 * closure_demo.c: step-down for the demo council (episode/episode.h,
 * "closing"): the council's service directory, and some open Family
 * Help cases closed as the rules ask, so the case pages show the
 * consultations and how a case closed, and the partners' "My work"
 * shows the families their organisation keeps watch on.
 *
 * Of the open, allocated Family Help cases opened from an assessment at
 * least two months ago whose child has an agency involved, one in four
 * (by the seed; at most DEMO_CLOSINGS) is closed today (never before
 * its last review): the worker consults every involved agency a few
 * days before, then the
 * manager closes the case with an agency keeping watch (the child's
 * school when they have one, so partner.school sees families), one to
 * three services of the directory, and the approval.  One closing in
 * five is followed by a new case today (the reopening links back).
 * Of the young people flagged for transition planning (17, Family Help
 * or child protection in the last two years, not looked after), one in
 * two gets a transition plan from their worker, a third of those
 * already handed over (episode.h, "transition to adulthood").
 * Everything goes through the module's own functions as the worker or
 * manager at the time (a refusal fails the demo: the rules are the
 * module's, and the demo keeps them).  All text is invented.  Skipped
 * when the
 * council already has a closing recorded this way.
 */
#include "demo/demo.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/rows.h"
#include "episode/episode.h"
#include "rules/calendar.h"
#include "rules/uktime.h"

#include <stdio.h>
#include <string.h>

#define DEMO_CLOSINGS 60

DB_STMT(st_demo_closings) = {
	"demo_closure_any",
	"SELECT count(*) FROM episode_closure WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
/* the candidates: open allocated Family Help cases opened from an
 * assessment on or before ?2 whose child has an agency involved */
DB_STMT(st_demo_candidates) = {
	"demo_closure_candidates",
	"SELECT e.episode_id, e.child_id, e.worker_id, e.manager_id,"
	" CASE WHEN EXISTS (SELECT 1 FROM network_member s"
	"  WHERE s.council = e.council AND s.child_id = e.child_id"
	"  AND s.kind = 'professional' AND s.org_id = ?3"
	"  AND s.end_date IS NULL) THEN 1 ELSE 0 END"
	" FROM episode e WHERE e.council = ?1 AND e.closed_on IS NULL"
	" AND e.case_type = 'family_help' AND e.assessment_id IS NOT NULL"
	" AND e.worker_id IS NOT NULL AND e.manager_id IS NOT NULL"
	" AND e.opened_on <= ?2 AND EXISTS (SELECT 1 FROM network_member m"
	"  WHERE m.council = e.council AND m.child_id = e.child_id"
	"  AND m.kind = 'professional' AND m.org_id IS NOT NULL)"
	" ORDER BY e.episode_id",
	DB_ROLE_SYSTEM,
};

/* the young people aged 17 today (born after ?2, on or before ?3) with a
 * Family Help or child protection case and its worker */
DB_STMT(st_demo_seventeen) = {
	"demo_transition_candidates",
	"SELECT ch.child_id, max(e.worker_id), ch.dob FROM child ch"
	" JOIN episode e ON e.council = ch.council AND e.child_id = ch.child_id"
	" WHERE ch.council = ?1 AND ch.dob > ?2 AND ch.dob <= ?3"
	" AND e.case_type IN ('family_help', 'child_protection')"
	" AND e.worker_id IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM transition_plan t WHERE t.council ="
	" ch.council AND t.child_id = ch.child_id)"
	" GROUP BY ch.child_id, ch.dob ORDER BY ch.child_id",
	DB_ROLE_SYSTEM,
};

struct young {
	int64_t child_id, worker_id;
	const char *dob;
};
static const struct row_col young_cols[] = {
	ROW_COL(ROW_I64, struct young, child_id),
	ROW_COL(ROW_I64, struct young, worker_id),
	ROW_COL(ROW_TEXT, struct young, dob),
};
static const struct row_map young_map = ROW_MAP(struct young, young_cols,
						NULL);

struct candidate {
	int64_t episode_id, child_id, worker_id, manager_id;
	bool school;
};
static const struct row_col cand_cols[] = {
	ROW_COL(ROW_I64, struct candidate, episode_id),
	ROW_COL(ROW_I64, struct candidate, child_id),
	ROW_COL(ROW_I64, struct candidate, worker_id),
	ROW_COL(ROW_I64, struct candidate, manager_id),
	ROW_COL(ROW_BOOL, struct candidate, school),
};
static const struct row_map cand_map = ROW_MAP(struct candidate, cand_cols,
					       NULL);

/* splitmix64: the demo's seed gives the same closings every time */
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

static const char *const people[] = {
	"Synthetic: the designated safeguarding lead",
	"Synthetic: the health visitor",
	"Synthetic: the practice nurse",
	"Synthetic: the family support worker",
};
static const char *const views[] = {
	"Synthetic: agrees the case can close; attendance is good and the "
	"child is settled. Will call the front door if anything changes.",
	"Synthetic: content for the case to close; the family engage with "
	"appointments. Would like to be told the outcome.",
	"Synthetic: some worry about the winter months but agrees to close "
	"with the family connected to early help.",
};
static const char *const watches[] = {
	"Synthetic: attendance dropping, the child arriving hungry or "
	"unkempt, or the child saying things are hard at home again.",
	"Synthetic: missed health appointments, weight, and the mother's "
	"mood.",
	"Synthetic: any sign that the arguments at home have started again.",
};

/* The worker or manager at noon on day (the civil date in England). */
static struct actor person_on(const char *council, int64_t user,
			      enum role r, struct cal_date day)
{
	struct actor a = actor_system(council, 0);
	a.user_id = user;
	a.username = "demo";
	a.role = role_id(r);
	a.request_id = "demo";
	actor_at(&a, uk_to_instant((struct cal_time){day, 12, 0}));
	return a;
}

/* Consults the agencies, then closes: ERR_OK or the refusal. */
static int close_one(struct db_conn *c, const char *council,
		     const struct candidate *k, struct cal_date today,
		     const struct closure_service *svc, int nsvc,
		     struct arena *a, uint64_t *x)
{
	struct cal_date day = today;
	struct cal_date asked = cal_add_days(day, -(1 + (int)below(x, 5)));
	struct actor w = person_on(council, k->worker_id, ROLE_SOCIAL_WORKER,
				   asked);
	struct closure_agency *ag;
	int n;
	/* the connection acts for each person's role, as a request would */
	db_set_role(c, RB(ROLE_SOCIAL_WORKER));
	int rc = closure_agencies(c, &w, k->episode_id, a, &ag, &n);
	char on[11], cd[11];
	cal_date_format(asked, on);
	cal_date_format(day, cd);
	int64_t watch = 0;
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		struct closure_consult_input in = {
			ag[i].org_id, people[below(x, 4)], on,
			views[below(x, 3)]};
		struct field_errors e = {0};
		rc = closure_consult(c, &w, k->episode_id, &in, NULL, &e);
		if (watch == 0 || ag[i].org_id == DEMO_ORG_PRIMARY_NORTHWOLD)
			watch = ag[i].org_id;
	}
	int64_t chosen[3];
	int nc = 0;
	unsigned first = below(x, (unsigned)nsvc);
	int want = 1 + (int)below(x, 3);
	for (int i = 0; i < want && i < nsvc; i++)
		chosen[nc++] = svc[(first + (unsigned)i) % (unsigned)nsvc]
				       .service_id;
	struct episode_close_input in = {
		.closed_on = cd, .reason = below(x, 3) ? "RC7" : "RC9",
		.watch_org_id = watch, .watch_for = watches[below(x, 3)],
		.approved = true, .services = chosen, .nservices = nc};
	struct actor m = person_on(council, k->manager_id, ROLE_TEAM_MANAGER,
				   day);
	struct field_errors e = {0};
	db_set_role(c, RB(ROLE_TEAM_MANAGER));
	if (rc == ERR_OK)
		rc = episode_close(c, &m, k->episode_id, &in, &e);
	/* reopened now and then: a new case today links back */
	if (rc == ERR_OK && below(x, 5) == 0) {
		char td[11];
		cal_date_format(today, td);
		struct episode_input again = {"family_help", td, "N1", false,
					      NULL, 0, 0};
		struct actor w2 = person_on(council, k->worker_id,
					    ROLE_SOCIAL_WORKER, today);
		db_set_role(c, RB(ROLE_SOCIAL_WORKER));
		rc = episode_open(c, &w2, NULL, k->child_id, &again, NULL, &e);
	}
	db_set_role(c, DB_ROLE_SYSTEM);
	if (rc == ERR_INVALID && e.n)
		fprintf(stderr, "demo: closing refused on %s: %s\n", e.v[0].field,
			e.v[0].msg);
	return rc;
}

/* Transition plans for some of the young people flagged today. */
static int transitions(struct db_conn *c, const char *council,
		       struct cal_date today, struct arena *a, uint64_t *x)
{
	char older[11], younger[11];
	cal_date_format(cal_add_months(today, -18 * 12), older);
	cal_date_format(cal_add_months(today, -17 * 12), younger);
	struct young *v;
	int n;
	int rc = rows_list(c, a, &st_demo_seventeen, &young_map, NULL, &v, &n,
			   council, older, younger);
	db_set_role(c, RB(ROLE_SOCIAL_WORKER));
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		if (below(x, 2) != 0)
			continue;
		struct actor w = person_on(council, v[i].worker_id,
					   ROLE_SOCIAL_WORKER, today);
		struct transition_flag f;
		rc = transition_flag(c, &w, v[i].child_id, a, &f);
		if (rc != ERR_OK || !f.flagged)
			continue;
		struct cal_date dob, ho;
		cal_date_parse(v[i].dob, strlen(v[i].dob), &dob);
		ho = cal_add_days(cal_add_months(dob, 17 * 12),
				  (int)below(x, 60));
		char hd[11];
		cal_date_format(ho, hd);
		bool handed = below(x, 3) == 0 && cal_compare(ho, today) <= 0;
		struct transition_input in = {
			"Synthetic: the transitions social worker",
			below(x, 2) ? "Synthetic: adult social care team"
				    : "Synthetic: leaving care service",
			"Synthetic: careers advice at the youth centre, a "
			"personal adviser and help to register with a GP.",
			handed ? hd : NULL};
		struct field_errors e = {0};
		rc = transition_save(c, &w, NULL, v[i].child_id, &in, &e);
	}
	db_set_role(c, DB_ROLE_SYSTEM);
	return rc;
}

int demo_closure(struct db *db, const char *council, const char *today,
		 uint64_t seed, char *err, size_t errlen)
{
	struct cal_date t;
	if (!cal_date_parse(today, strlen(today), &t)) {
		snprintf(err, errlen, "today is not a date");
		return DEMO_EINVAL;
	}
	struct arena *a = arena_new(16u << 20);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	/* the people below act for the council (PostgreSQL's row-level
	 * security shows them its rows only) */
	db_set_council(c, council);
	int ret = DEMO_EDB;
	struct db_q *q;
	struct actor sys = person_on(council, 0, ROLE_ADMIN, t);
	sys.role = "system";
	if (a == NULL || db_begin(c, DB_TX_WRITE) != DB_OK) {
		snprintf(err, errlen, "cannot begin the closings");
		goto out;
	}
	if (closure_services_seed(c, &sys, NULL) != ERR_OK) {
		snprintf(err, errlen, "cannot add the service directory");
		goto out;
	}
	if (db_exec(c, &st_demo_closings, &q, council) != DB_ROW) {
		snprintf(err, errlen, "cannot count the closings");
		goto out;
	}
	int64_t have = db_col_i64(q, 0);
	db_done(q);
	struct closure_service *svc = NULL;
	struct candidate *v = NULL;
	int nsvc = 0, n = 0;
	char since[11];
	cal_date_format(cal_add_days(t, -60), since);
	if (have == 0 &&
	    (closure_services(c, &sys, false, a, &svc, &nsvc) != ERR_OK ||
	     rows_list(c, a, &st_demo_candidates, &cand_map, NULL, &v, &n,
		       council, since, (int64_t)DEMO_ORG_PRIMARY_NORTHWOLD) !=
		     ERR_OK)) {
		snprintf(err, errlen, "cannot read the open cases");
		goto out;
	}
	uint64_t x = seed ^ 0x636c6f73757265ull; /* "closure" */
	int made = 0;
	for (int i = 0; have == 0 && nsvc > 0 && i < n &&
			made < DEMO_CLOSINGS; i++) {
		/* the school's families first in line: one in two of them */
		if (below(&x, v[i].school ? 2 : 4) != 0)
			continue;
		int rc = close_one(c, council, &v[i], t, svc, nsvc, a, &x);
		if (rc != ERR_OK) {
			snprintf(err, errlen, "cannot close a case: %s",
				 err_name(rc));
			goto out;
		}
		made++;
	}
	int trc = have == 0 ? transitions(c, council, t, a, &x) : ERR_OK;
	if (trc != ERR_OK) {
		snprintf(err, errlen, "cannot make a transition plan: %s",
			 err_name(trc));
		goto out;
	}
	if (db_commit(c) != DB_OK) {
		snprintf(err, errlen, "cannot commit the closings");
		goto out;
	}
	ret = 0;
out:
	db_rollback(c);
	db_release(db, c);
	arena_free(a);
	return ret;
}
