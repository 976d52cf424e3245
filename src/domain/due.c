/* due.c: see due.h for the contract. */
#include "domain/due.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/actor.h"
#include "domain/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* counts naming nobody: PERM_AGGREGATES's roles and practice */
#define COUNT_ROLES \
	(RB_PRACTICE | RB_ANALYST | RB_COUNCILLOR | RB_ADMIN | DB_ROLE_SYSTEM)
#define LIST_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES \
	(RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

/* ---- rebuilding from the records ---------------------------------------
 * A source statement lists, for ?1's council, one row per occurrence:
 * subject_id, child_id, seq, start, met, worker_id, team_id, with start
 * and met as the rule counts them (a date, or a UK civil time). */

/* R01: a contact is received (received_at, civil) and decided
 * (decided_at, civil). */
DB_STMT(src_r01) = {
	"due_source_r01",
	"SELECT contact_id, child_id, 1, received_at, decided_at, NULL, NULL"
	" FROM contact WHERE council = ?1 ORDER BY contact_id",
	DB_ROLE_SYSTEM,
};
/* R02: the point of referral; met when the referral's single
 * assessment is authorised by a manager. */
DB_STMT(src_r02) = {
	"due_source_r02",
	"SELECT r.referral_id, r.child_id, 1, r.referral_date,"
	" (SELECT min(a.authorised_on) FROM assessment a"
	"  WHERE a.council = r.council AND a.referral_id = r.referral_id),"
	" r.worker_id, r.team_id FROM referral r WHERE r.council = ?1"
	" ORDER BY r.referral_id",
	DB_ROLE_SYSTEM,
};

/* R05: the point of referral; met when the child is first seen during
 * the referral's single assessment (assess/assess.h). */
DB_STMT(src_r05) = {
	"due_source_r05",
	"SELECT r.referral_id, r.child_id, 1, r.referral_date,"
	" (SELECT min(s.seen_on) FROM assessment a JOIN assessment_seen s"
	"  ON s.council = a.council AND s.assessment_id = a.assessment_id"
	"  WHERE a.council = r.council AND a.referral_id = r.referral_id),"
	" r.worker_id, r.team_id FROM referral r WHERE r.council = ?1"
	" ORDER BY r.referral_id",
	DB_ROLE_SYSTEM,
};

/* R06: reasonable cause to suspect significant harm, as Cairn records it:
 * the front door decides a strategy discussion (the referral that
 * decision opened, on its date), or else a manager authorises the
 * referral's assessment with that outcome; met by the first strategy
 * discussion about the child held on or after it (due_refresh keeps
 * it, since a discussion names no referral).  FROM_T: the referrals
 * with their start, as t. */
#define SRC_R06(FROM_T)                                                    \
	"SELECT t.referral_id, t.child_id, 1, t.start, (SELECT"              \
	" min(st.held_on) FROM cp_strategy st WHERE st.council = t.council"  \
	" AND st.child_id = t.child_id AND st.held_on >= t.start),"          \
	" t.worker_id, t.team_id FROM " FROM_T
DB_STMTS(src_r06, 2) = {
	/* the council's: the front door's strategy decisions, from the
	 * contacts (contact_queue), then the authorised assessments with
	 * that outcome, from the assessments, each looking up its referral
	 * (a lookup of the contact and the assessment for each referral
	 * took 437 ms of the 50,000-child demo's rebuild; this, about 100) */
	{"due_source_r06",
	 SRC_R06("(SELECT r.council, r.referral_id, r.child_id, r.worker_id,"
		 " r.team_id, r.referral_date AS start FROM contact k"
		 " CROSS JOIN referral r WHERE r.council = k.council"
		 " AND r.contact_id = k.contact_id AND k.council = ?1"
		 " AND k.decision = 'strategy'"
		 " UNION ALL SELECT r.council, r.referral_id, r.child_id,"
		 " r.worker_id, r.team_id, s.start FROM (SELECT a.council,"
		 "  a.referral_id, min(a.authorised_on) AS start"
		 "  FROM assessment a WHERE a.council = ?1"
		 "  AND a.outcome = 'strategy' AND a.authorised_on IS NOT NULL"
		 "  GROUP BY a.council, a.referral_id) s"
		 " CROSS JOIN referral r LEFT JOIN contact k"
		 " ON k.council = r.council AND k.contact_id = r.contact_id"
		 " WHERE r.council = s.council AND r.referral_id = s.referral_id"
		 " AND (k.decision IS NULL OR k.decision <> 'strategy')) t"),
	 DB_ROLE_SYSTEM},
	/* one child's, from its referrals (referral_child); the same
	 * items as the council's (kept equals rebuilt: cp_test) */
	{"due_source_r06_child",
	 SRC_R06("(SELECT r.council, r.referral_id, r.child_id, r.worker_id,"
		 " r.team_id, CASE WHEN EXISTS (SELECT 1 FROM contact k"
		 "  WHERE k.council = r.council AND k.contact_id = r.contact_id"
		 "  AND k.decision = 'strategy') THEN r.referral_date"
		 "  ELSE (SELECT min(a.authorised_on) FROM assessment a"
		 "  WHERE a.council = r.council AND a.referral_id ="
		 "  r.referral_id AND a.outcome = 'strategy') END AS start"
		 " FROM referral r WHERE r.council = ?1 AND r.child_id = ?2) t"
		 " WHERE t.start IS NOT NULL"),
	 WRITE_ROLES},
};

/* L01 (a local rule: no national figure): a Family Help case's plan is
 * reviewed every `family_help_review_months` months (the council's
 * setting), the first from the plan's start, each next one from the
 * review before; met by a review; stopped when the case closes:
 * occurrence 1 runs from the plan's start to the first review,
 * occurrence n + 1 from review n to review n + 1 (none: still open,
 * unless the case is closed). */
DB_STMT(src_l01) = {
	"due_source_l01",
	/* a chain from the plan's start (wanted's "Chains") */
	"SELECT e.episode_id, e.child_id, e.closed_on, e.plan_start,"
	" r.review_date, e.worker_id, e.team_id FROM episode e"
	" LEFT JOIN episode_review r ON r.council = e.council"
	" AND r.episode_id = e.episode_id"
	" WHERE e.council = ?1 AND e.case_type = 'family_help'"
	" AND e.plan_start IS NOT NULL"
	" ORDER BY e.episode_id, r.review_date, r.review_id",
	DB_ROLE_SYSTEM,
};

/* The child protection case a plan's row `p` belongs to: its clocks are
 * on that case's worker's and team's lists (due_assign moves them when
 * the case is allocated again). */
#define PLAN_CASE(p)                                                       \
	"LEFT JOIN episode e ON e.council = ?1 AND e.episode_id = " p         \
	".episode_id"

/* L02 (a local rule: no national figure): after the first core group
 * (R08), the core group meets every `cp_core_group_weeks` weeks (the
 * council's setting, default 4) while the plan lasts: occurrence n runs
 * from meeting n to meeting n + 1; the open one dropped when the plan
 * ended. */
DB_STMT(src_l02) = {
	"due_source_l02",
	/* a chain from the first meeting (wanted's "Chains") */
	"SELECT p.plan_id, p.child_id, p.ended_on, NULL, g.held_on,"
	" e.worker_id, e.team_id FROM cp_plan p JOIN cp_core_group g"
	" ON g.council = p.council AND g.plan_id = p.plan_id"
	" " PLAN_CASE("p") " WHERE p.council = ?1"
	" ORDER BY p.plan_id, g.held_on, g.meeting_id",
	DB_ROLE_SYSTEM,
};

/* R07: the ICPC, from the strategy discussion that started the
 * section 47 enquiry (cp/cp.h); met when the initial conference is
 * held; none once the enquiry concluded that no conference is needed
 * (and none was held).  On the lead practitioner's list. */
DB_STMT(src_r07) = {
	"due_source_r07",
	"SELECT s.s47_id, s.child_id, 1, st.held_on,"
	" (SELECT min(c.held_on) FROM cp_conference c WHERE c.council ="
	"  s.council AND c.s47_id = s.s47_id AND c.kind = 'initial'),"
	" st.lead_id, u.team_id FROM cp_s47 s JOIN cp_strategy st"
	" ON st.council = s.council AND st.strategy_id = s.strategy_id"
	" LEFT JOIN app_user u ON u.council = st.council"
	" AND u.user_id = st.lead_id"
	" WHERE s.council = ?1 AND (s.conference IS NULL OR s.conference = 1"
	"  OR EXISTS (SELECT 1 FROM cp_conference c WHERE c.council ="
	"  s.council AND c.s47_id = s.s47_id AND c.kind = 'initial'))"
	" ORDER BY s.s47_id",
	DB_ROLE_SYSTEM,
};
/* R08: the first core group, from the plan's start (the ICPC's date);
 * met by the first meeting; none once the plan ended unmet. */
DB_STMT(src_r08) = {
	"due_source_r08",
	"SELECT p.plan_id, p.child_id, 1, p.started_on, (SELECT"
	" min(g.held_on) FROM cp_core_group g WHERE g.council = p.council"
	" AND g.plan_id = p.plan_id), e.worker_id, e.team_id FROM cp_plan p"
	" " PLAN_CASE("p") " WHERE p.council = ?1 AND (p.ended_on IS NULL OR EXISTS (SELECT 1"
	"  FROM cp_core_group g WHERE g.council = p.council"
	"  AND g.plan_id = p.plan_id)) ORDER BY p.plan_id",
	DB_ROLE_SYSTEM,
};
/* R09: the first review conference, from the plan's start (the ICPC);
 * met by the first review; none once the plan ended unmet. */
DB_STMT(src_r09) = {
	"due_source_r09",
	"SELECT p.plan_id, p.child_id, 1, p.started_on, (SELECT"
	" min(c.held_on) FROM cp_conference c WHERE c.council = p.council"
	" AND c.plan_id = p.plan_id), e.worker_id, e.team_id FROM cp_plan p"
	" " PLAN_CASE("p") " WHERE p.council = ?1 AND (p.ended_on IS NULL OR EXISTS (SELECT 1"
	"  FROM cp_conference c WHERE c.council = p.council"
	"  AND c.plan_id = p.plan_id)) ORDER BY p.plan_id",
	DB_ROLE_SYSTEM,
};
/* R10: from each review conference to the next (occurrence n runs from
 * review n to review n + 1); the open one dropped when the plan ended. */
DB_STMT(src_r10) = {
	"due_source_r10",
	/* a chain from the first review (wanted's "Chains") */
	"SELECT p.plan_id, p.child_id, p.ended_on, NULL, c.held_on,"
	" e.worker_id, e.team_id FROM cp_plan p JOIN cp_conference c"
	" ON c.council = p.council AND c.plan_id = p.plan_id"
	" " PLAN_CASE("p") " WHERE p.council = ?1"
	" ORDER BY p.plan_id, c.held_on, c.conference_id",
	DB_ROLE_SYSTEM,
};

/* R11: a child on a child protection plan is visited, and seen, at
 * the plan's frequency (cp_plan.visit_days, in working days; NULL: the
 * council's `cp_visit_working_days`, default 10): occurrence 1 from the
 * plan's start to the first day the child was seen on a visit (the
 * practice module's visits), occurrence n + 1 from the nth such day to
 * the next; the open one dropped when the plan ended.  A day counts
 * once however many visits it had.  W: the child filter.
 *
 * A chain source ("Chains", at wanted): each plan with the days its
 * child was seen during it, in order (a plan without any: one row, day
 * NULL), read by the plan's key and visit_child, so that neither store
 * need sort or number anything.  (With ROW_NUMBER and LEAD over the
 * distinct days it took 320 ms of the 50,000-child demo's rebuild.) */
#define SRC_R11(W)                                                         \
	"SELECT p.plan_id, p.child_id, p.ended_on, p.started_on,"             \
	" substr(x.visited_at, 1, 10), e.worker_id, e.team_id, p.visit_days"  \
	" FROM cp_plan p " PLAN_CASE("p") " LEFT JOIN visit x"                \
	" ON x.council = p.council AND x.child_id = p.child_id"               \
	" AND x.child_seen = 1 AND substr(x.visited_at, 1, 10)"               \
	" >= p.started_on AND (p.ended_on IS NULL"                            \
	" OR substr(x.visited_at, 1, 10) <= p.ended_on)"                      \
	" WHERE p.council = ?1" W " ORDER BY p.plan_id, x.visited_at"
DB_STMTS(src_r11, 2) = {
	{"due_source_r11", SRC_R11(""), DB_ROLE_SYSTEM},
	{"due_source_r11_child", SRC_R11(" AND p.child_id = ?2"), WRITE_ROLES},
};

/* L03 (a local rule): a young person's transition plan (episode/
 * transition.c) runs from their 17th birthday (starts_on) to the
 * handover to adult services, checked on their 18th birthday. */
DB_STMT(src_l03) = {
	"due_source_l03",
	"SELECT t.transition_id, t.child_id, 1, t.starts_on, t.handover_on,"
	" NULL, NULL FROM transition_plan t WHERE t.council = ?1"
	" ORDER BY t.transition_id",
	DB_ROLE_SYSTEM,
};

/* ---- the rules ----------------------------------------------------------
 * Each row cites ../shared/domain/timescales.csv (a local rule, Lnn, has
 * no national figure and no row there).  Keep them in id order. */
static const struct due_rule rules[] = {
	/* L01 "Family Help review" (local: no national figure, so no row
	 * in timescales.csv): the plan of a Family Help case (targeted
	 * early help and child in need) is reviewed every N months, N
	 * the council's setting (default 3), from the plan's start and
	 * then from each review; met by a review, recurring while the
	 * case is open.  */
	{"L01", DUE_DEADLINE, "Family Help review", "episode",
	 "the family's plan starts, or the last review", "the plan is reviewed",
	 3, DUE_MONTHS, false, 3, 14, "family_help_review_months", &src_l01,
	 "family_help_review_months", NULL, false, DUE_CHAIN | DUE_CHAIN_HEAD},
	/* L02 "Core group meeting" (local: WT leaves the frequency to the
	 * council, "often 4-weekly"; R08's notes): every N weeks after the
	 * first core group, N the council's setting (default 4), met by
	 * each meeting, recurring while the plan lasts. */
	{"L02", DUE_DEADLINE, "Core group meeting", "cp_plan",
	 "the last core group meeting", "the core group meets", 4, DUE_WEEKS,
	 false, 4, 5, "cp_core_group_weeks", &src_l02, "cp_core_group_weeks", NULL, false,
	 DUE_CHAIN},
	/* L03 "Transition to adult services" (local: no national figure):
	 * the handover of a young person flagged for transition planning
	 * (17, with a child protection plan or Family Help in the last two
	 * years, not looked after), due by their 18th birthday: 12 months
	 * from the 17th (the council's setting `transition_check_months`
	 * moves it earlier); met when the handover is recorded. */
	{"L03", DUE_DEADLINE, "Handover to adult services", "transition",
	 "the young person turns 17", "the handover is recorded", 12,
	 DUE_MONTHS, false, 0, 30, "transition_check_months", &src_l03, NULL, NULL, false, false},
	/* R01 "Decision on type of response to a referral": within one
	 * working day of the contact being received (WT 2023 ch.1),
	 * counted to the same clock time on the next working day. */
	{"R01", DUE_DEADLINE, "Decision on a contact", "contact",
	 "the contact is received", "the decision is recorded", 1,
	 DUE_WORKING_DAYS, true, 0, 4, NULL, &src_r01, NULL, NULL, false, false},
	/* R02 "Single assessment concluded": no longer than 45 working
	 * days from the point of referral. */
	{"R02", DUE_DEADLINE, "Single assessment", "referral",
	 "the referral is made", "a manager authorises the assessment", 45,
	 DUE_WORKING_DAYS, false, 0, 5, NULL, &src_r02, NULL, NULL, false, false},
	/* R05 "Child seen during assessment": no national figure; the
	 * council's setting r05_working_days (5 working days from the
	 * referral when unset: Wokingham's "a maximum of 5 working days
	 * for children in need concerns"). */
	{"R05", DUE_DEADLINE, "Child seen during assessment", "referral",
	 "the referral is made", "the child is seen", 5, DUE_WORKING_DAYS,
	 false, 0, 2, "r05_working_days", &src_r05, NULL, NULL, false, false},
	/* R06 "Strategy discussion held": no national figure; the
	 * council's setting r06_working_days (3 working days when unset:
	 * Bexley's "must take place within 3 days"). */
	{"R06", DUE_DEADLINE, "Strategy discussion", "referral",
	 "a strategy discussion is decided on",
	 "a strategy discussion is held", 3, DUE_WORKING_DAYS, false, 0, 1,
	 "r06_working_days", &src_r06[0], NULL, &src_r06[1], false, false},
	/* R07 "Initial child protection conference": within 15 working
	 * days of the strategy discussion at which the section 47
	 * enquiry was initiated (WT). */
	{"R07", DUE_DEADLINE, "Initial child protection conference", "cp_s47",
	 "the strategy discussion that started the enquiry",
	 "the initial conference is held", 15, DUE_WORKING_DAYS, false, 0, 5,
	 NULL, &src_r07, NULL, NULL, false, false},
	/* R08 "First core group meeting": within 10 working days of the
	 * ICPC (the plan starts on the ICPC's date). */
	{"R08", DUE_DEADLINE, "First core group meeting", "cp_plan",
	 "the initial conference makes a plan", "the core group first meets",
	 10, DUE_WORKING_DAYS, false, 0, 3, NULL, &src_r08, NULL, NULL, false, false},
	/* R09 "First review child protection conference": within 3
	 * months of the initial conference. */
	{"R09", DUE_DEADLINE, "First review conference", "cp_plan",
	 "the initial conference makes a plan",
	 "the first review conference is held", 3, DUE_MONTHS, false, 0, 14,
	 NULL, &src_r09, NULL, NULL, false, false},
	/* R10 "Subsequent review conferences": at intervals of not more
	 * than 6 months, repeating while the plan lasts. */
	{"R10", DUE_DEADLINE, "Review conference", "cp_plan",
	 "the last review conference", "the next review conference is held",
	 6, DUE_MONTHS, false, 6, 14, NULL, &src_r10, NULL, NULL, false, DUE_CHAIN},
	/* R11 "Home visits to child on a CP plan": at the interval the
	 * plan sets (Liverpool: "at a minimum of every 10 working days"),
	 * the council's setting cp_visit_working_days when the plan sets
	 * none (default 10); met by a visit in which the child was seen,
	 * recurring while the plan lasts. */
	{"R11", DUE_DEADLINE, "Visit to a child on a plan", "cp_plan",
	 "the plan starts, or the child was last seen on a visit",
	 "the child is seen on a visit", 10, DUE_WORKING_DAYS, false, 10, 3,
	 "cp_visit_working_days", &src_r11[0], "cp_visit_working_days",
	 &src_r11[1], true, DUE_CHAIN | DUE_CHAIN_HEAD | DUE_CHAIN_DAYS},
	/* R14 "Re-referral": referred within 12 months of a previous
	 * referral (a measure: no due items). */
	{"R14", DUE_INDICATOR, "Re-referral within 12 months", "referral",
	 "a child is referred", "12 months have passed", 12, DUE_MONTHS, false, 0, 0, NULL,
	 NULL, NULL, NULL, false, false},
};

/* The table in use: `rules`, or a test's (due_rules_use). */
static const struct due_rule *table = rules;
static size_t ntable = sizeof(rules) / sizeof(rules[0]);

void due_rules_use(const struct due_rule *v, size_t n)
{
	table = v ? v : rules;
	ntable = v ? n : sizeof(rules) / sizeof(rules[0]);
}

const struct due_rule *due_rules(size_t *n)
{
	*n = ntable;
	return table;
}

const struct due_rule *due_rule(const char *id)
{
	for (size_t i = 0; id && i < ntable; i++)
		if (strcmp(table[i].id, id) == 0)
			return &table[i];
	return NULL;
}

const char *due_rule_label(const char *id)
{
	const struct due_rule *r = due_rule(id);
	return r ? r->what : "Timescale";
}

/* ---- arithmetic ------------------------------------------------------ */

struct cal_time due_compute(const struct due_rule *r, const struct cal *cal,
			    struct cal_time start, int count)
{
	static struct cal *weekends; /* made once; never freed */
	if (cal == NULL) {
		struct cal *w = __atomic_load_n(&weekends, __ATOMIC_ACQUIRE);
		if (w == NULL) {
			struct cal *mine = cal_new(CAL_DAY0);
			if (!__atomic_compare_exchange_n(&weekends, &w, mine,
							 false, __ATOMIC_ACQ_REL,
							 __ATOMIC_ACQUIRE))
				cal_free(mine);
			else
				w = mine;
		}
		cal = w;
	}
	struct cal_time t = start;
	if (!r->timed)
		t.hh = t.mm = 0;
	switch (r->unit) {
	case DUE_WORKING_DAYS:
		if (r->timed)
			return cal_due_working_days(cal, t, count);
		t.date = cal_add_working_days(cal, t.date, count);
		return t;
	case DUE_CALENDAR_DAYS:
		t.date = cal_add_days(t.date, count);
		return t;
	case DUE_WEEKS:
		t.date = cal_add_days(t.date, 7 * count);
		return t;
	case DUE_MONTHS:
		t.date = cal_add_months(t.date, count);
		return t;
	case DUE_HOURS:
		return cal_time_add_hours(t, count);
	}
	return t;
}

/* When "due soon" starts: r->soon hours (timed) or calendar days before
 * the due time. */
static struct cal_time soon_from(const struct due_rule *r, struct cal_time due)
{
	if (r->timed)
		return cal_time_add_hours(due, -r->soon);
	due.date = cal_add_days(due.date, -r->soon);
	return due;
}

bool due_within(const struct due_rule *r, struct cal_date later,
		struct cal_date earlier)
{
	struct cal_time t = {later, 0, 0};
	struct cal_time from = t;
	switch (r->unit) {
	case DUE_MONTHS: from.date = cal_add_months(later, -r->count); break;
	case DUE_WEEKS: from.date = cal_add_days(later, -7 * r->count); break;
	default: from.date = cal_add_days(later, -r->count); break;
	}
	return cal_compare(earlier, later) <= 0 &&
	       cal_compare(earlier, from.date) >= 0;
}

/* The stored text of a time under r: a date, or a civil time. */
static void put_time(const struct due_rule *r, struct cal_time t,
		     char out[17])
{
	if (r->timed)
		cal_time_format(t, out);
	else
		cal_date_format(t.date, out);
}

/* Reads stored text (a date or a civil time) back. */
static bool get_time(const char *s, struct cal_time *out)
{
	size_t n = s ? strlen(s) : 0;
	struct cal_time t = {{0, 0, 0}, 0, 0};
	if (n == 10 && cal_date_parse(s, n, &t.date)) {
		*out = t;
		return true;
	}
	return n == 16 && cal_time_parse(s, n, out);
}

/* ---- statements ------------------------------------------------------ */

DB_STMT(st_setting) = {
	"due_setting",
	"SELECT value FROM setting WHERE council = ?1 AND key = ?2",
	COUNT_ROLES | WRITE_ROLES,
};
/* A new clock is on the list its subject's other clocks are on (one
 * allocation a subject: due_assign); found through the child's items
 * (the index due_child). */
#define SUBJECT_HAS(col)                                                   \
	"(SELECT " col " FROM due_item o WHERE o.council = ?1"              \
	" AND o.child_id = ?5 AND o.subject = ?3 AND o.subject_id = ?4"     \
	" ORDER BY o.rule, o.seq LIMIT 1)"
DB_STMT(st_start) = {
	"due_start",
	"INSERT INTO due_item (council, rule, subject, subject_id, seq,"
	" child_id, started_at, due_at, soon_at, worker_id, team_id)"
	" VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, " SUBJECT_HAS("worker_id")
	", " SUBJECT_HAS("team_id") ")"
	" ON CONFLICT (council, rule, subject, subject_id, seq) DO UPDATE SET"
	" child_id = excluded.child_id, started_at = excluded.started_at,"
	" due_at = excluded.due_at, soon_at = excluded.soon_at, met_at = NULL",
	WRITE_ROLES,
};
DB_STMT(st_open) = {
	"due_open_item",
	"SELECT seq, child_id, worker_id, team_id FROM due_item"
	" WHERE council = ?1 AND rule = ?2 AND subject = ?3 AND subject_id = ?4"
	" AND met_at IS NULL ORDER BY seq DESC LIMIT 1",
	WRITE_ROLES,
};
DB_STMT(st_meet) = {
	"due_meet",
	"UPDATE due_item SET met_at = ?6 WHERE council = ?1 AND rule = ?2"
	" AND subject = ?3 AND subject_id = ?4 AND seq = ?5",
	WRITE_ROLES,
};
DB_STMT(st_insert) = {
	"due_insert",
	"INSERT INTO due_item (council, rule, subject, subject_id, seq,"
	" child_id, started_at, due_at, soon_at, met_at, worker_id, team_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	WRITE_ROLES,
};
DB_STMT(st_assign) = {
	"due_assign",
	"UPDATE due_item SET worker_id = ?4, team_id = ?5"
	" WHERE council = ?1 AND subject = ?2 AND subject_id = ?3",
	WRITE_ROLES,
};
/* a case's allocation moves its child protection plans' clocks (their
 * sources read the worker from the plan's case: PLAN_CASE): the plans
 * are read first, then each one's items moved by st_assign.  One
 * UPDATE ... IN (SELECT ...) let PostgreSQL, with statistics taken
 * while the council had few plans, read every plan's items on each
 * allocation. */
DB_STMT(st_case_plans) = {
	"due_case_plans",
	"SELECT plan_id FROM cp_plan WHERE council = ?1 AND episode_id = ?2",
	WRITE_ROLES,
};
/* The status of an item as of ?T (today) and ?N (the civil time now):
 * 0 met on time, 1 met late, 2 overdue, 3 due soon, 4 due (the order of
 * enum due_status).  A date is compared with today, a time with now. */
#define STATUS_SQL(T, N)                                                   \
	"CASE WHEN d.met_at IS NOT NULL THEN"                                \
	" (CASE WHEN d.met_at <= d.due_at THEN 0 ELSE 1 END)"                \
	" WHEN d.due_at < (CASE WHEN length(d.due_at) = 10 THEN " T " ELSE " \
	N " END) THEN 2"                                                     \
	" WHEN d.soon_at <= (CASE WHEN length(d.due_at) = 10 THEN " T        \
	" ELSE " N " END) THEN 3 ELSE 4 END"

DB_STMT(st_list) = {
	"due_list",
	"SELECT d.rule, d.subject, d.subject_id, d.seq, d.child_id,"
	" ch.given_name || ' ' || ch.family_name, d.started_at, d.due_at,"
	" d.met_at, d.worker_id, d.team_id, " STATUS_SQL("?2", "?3") " AS st"
	" FROM due_item d JOIN child ch ON ch.council = d.council"
	"  AND ch.child_id = d.child_id"
	" WHERE d.council = ?1 AND (?4 = 0 OR d.worker_id = ?4)"
	" AND (?5 = 0 OR d.team_id = ?5) AND (?6 = 0 OR d.child_id = ?6)"
	" AND (CAST(?7 AS TEXT) IS NULL OR d.rule = ?7)"
	" AND (?8 = 0 OR d.met_at IS NULL)"
	" AND (CAST(?9 AS TEXT) IS NULL OR substr(d.due_at, 1, 10) >= ?9)"
	" AND (CAST(?10 AS TEXT) IS NULL OR substr(d.due_at, 1, 10) <= ?10)"
	" AND (?11 = 0 OR ((?11 >> (" STATUS_SQL("?2", "?3") ")) & 1) = 1)"
	" ORDER BY d.met_at IS NOT NULL, CASE WHEN d.met_at IS NULL"
	"  THEN d.due_at END, d.met_at DESC, d.rule, d.subject_id, d.seq"
	" LIMIT ?12 OFFSET ?13",
	LIST_ROLES,
};
#define COUNTS_SQL(where)                                                   \
	"SELECT st, count(*) FROM (SELECT " STATUS_SQL("?2", "?3") " AS st" \
	"  FROM due_item d WHERE d.council = ?1 AND " where                 \
	"  AND (?4 = 0 OR d.worker_id = ?4) AND (?5 = 0 OR d.team_id = ?5)" \
	"  AND (?6 = 0 OR d.child_id = ?6)"                                 \
	"  AND (CAST(?7 AS TEXT) IS NULL OR d.rule = ?7)"                   \
	"  AND (?8 = 0 OR d.met_at IS NULL)) AS s"                          \
	" GROUP BY st"
/* The same counts, the first for any filter; the others name the
 * worker's (and open) items in a form an index reaches (due_worker,
 * due_child): "?4 = 0 OR worker_id = ?4" alone made SQLite read every
 * item of the council, 450 million instructions for a worker's "My
 * work" on the 50,000-child demo. */
DB_STMTS(st_counts, 4) = {
	{"due_counts", COUNTS_SQL("1 = 1"), COUNT_ROLES},
	{"due_counts_worker", COUNTS_SQL("d.worker_id = ?4"), COUNT_ROLES},
	{"due_counts_worker_open",
	 COUNTS_SQL("d.worker_id = ?4 AND d.met_at IS NULL"), COUNT_ROLES},
	{"due_counts_child", COUNTS_SQL("d.child_id = ?6"), COUNT_ROLES},
};
DB_STMT(st_timeliness) = {
	"due_timeliness",
	"SELECT rule, substr(due_at, 1, 7) AS month,"
	" SUM(CASE WHEN st = 0 THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN st = 1 THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN st = 2 THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN st >= 3 THEN 1 ELSE 0 END)"
	" FROM (SELECT d.rule, d.due_at, " STATUS_SQL("?4", "?5") " AS st"
	"  FROM due_item d WHERE d.council = ?1"
	"  AND substr(d.due_at, 1, 10) >= ?2 AND substr(d.due_at, 1, 10) <= ?3)"
	" AS s GROUP BY rule, month ORDER BY rule, month",
	COUNT_ROLES,
};

/* ---- the council's calendar -------------------------------------------- */

DB_STMT(st_holidays) = {
	"due_holidays",
	"SELECT day FROM bank_holiday WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_convention) = {
	"due_convention",
	"SELECT value FROM setting WHERE council = ?1 AND"
	" key = 'working_day_convention'",
	DB_ROLE_SYSTEM,
};

int due_load_cal(struct db_conn *c, const char *council, struct cal **out)
{
	struct db_q *q;
	enum cal_convention conv = CAL_DAY0;
	int rc = db_exec(c, &st_convention, &q, council);
	if (rc < 0)
		return err_from_db(rc);
	if (rc == DB_ROW) {
		const char *v = db_col_text(q, 0);
		if (v && !cal_convention_parse(v, strlen(v), &conv))
			conv = CAL_DAY0; /* checked where it is set */
		db_done(q);
	}
	struct cal *cal = cal_new(conv);
	rc = db_prepare(c, &st_holidays, &q);
	if (rc < 0) {
		cal_free(cal);
		return err_from_db(rc);
	}
	db_bind_text(q, 1, council);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *d = db_col_text(q, 0);
		struct cal_date cd;
		if (d && cal_date_parse(d, strlen(d), &cd))
			cal_add_holiday(cal, cd);
	}
	if (rc < 0) {
		cal_free(cal);
		return err_from_db(rc);
	}
	*out = cal;
	return ERR_OK;
}

/* ---- writing --------------------------------------------------------- */

/* A whole number 1..999 in the council's setting key, else dflt. */
static int setting_count(struct db_conn *c, const char *council,
			 const char *key, int dflt)
{
	struct db_q *q;
	int64_t v = 0;
	if (db_exec(c, &st_setting, &q, council, key) == DB_ROW) {
		const char *s = db_col_text(q, 0);
		char *end = NULL;
		v = s ? strtoll(s, &end, 10) : 0;
		if (end == NULL || *end != '\0')
			v = 0;
		db_done(q);
	}
	return v >= 1 && v <= 999 ? (int)v : dflt;
}

int due_count(struct db_conn *c, const char *council, const struct due_rule *r)
{
	return r->setting ? setting_count(c, council, r->setting, r->count)
			  : r->count;
}

int due_every(struct db_conn *c, const char *council,
	      const struct due_rule *r)
{
	return r->every_setting
		       ? setting_count(c, council, r->every_setting, r->every)
		       : r->every;
}


static const struct due_rule *deadline(const char *rule_id)
{
	const struct due_rule *r = due_rule(rule_id);
	return r && r->kind == DUE_DEADLINE ? r : NULL;
}

int due_start(struct db_conn *c, const struct actor *act, const char *rule_id,
	      const struct cal *cal, const char *subject, int64_t subject_id,
	      int64_t child_id, struct cal_time start, struct cal_time *due)
{
	const struct due_rule *r = deadline(rule_id);
	/* a rule with a subject's own count moves by due_refresh alone */
	if (r == NULL || r->counted || strcmp(r->subject, subject) != 0)
		return ERR_INVALID;
	if (!db_in_tx(c))
		return ERR_NOTX;
	struct cal_time d = due_compute(r, cal, start,
					due_count(c, act->council, r));
	char s[17], ds[17], ss[17];
	put_time(r, start, s);
	put_time(r, d, ds);
	put_time(r, soon_from(r, d), ss);
	int rc = db_exec(c, &st_start, NULL, act->council, r->id,
			subject, subject_id, child_id, s, ds, ss);
	if (rc < 0)
		return err_from_db(rc);
	if (due)
		*due = d;
	return ERR_OK;
}

int due_meet(struct db_conn *c, const struct actor *act, const char *rule_id,
	     const struct cal *cal, const char *subject, int64_t subject_id,
	     struct cal_time met)
{
	const struct due_rule *r = deadline(rule_id);
	if (r == NULL || r->counted)
		return ERR_INVALID;
	if (!db_in_tx(c))
		return ERR_NOTX;
	struct db_q *q;
	int rc = db_exec(c, &st_open, &q, act->council, r->id, subject,
			subject_id);
	if (rc == DB_DONE)
		return ERR_OK; /* no clock running */
	if (rc < 0)
		return err_from_db(rc);
	int64_t seq = db_col_i64(q, 0), child = db_col_i64(q, 1);
	int64_t worker = db_col_null(q, 2) ? 0 : db_col_i64(q, 2);
	int64_t team = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
	db_done(q);
	char m[17];
	put_time(r, met, m);
	rc = db_exec(c, &st_meet, NULL, act->council, r->id, subject,
		    subject_id, seq, m);
	if (rc < 0 || r->every == 0)
		return err_from_db(rc);
	/* recurring: the next occurrence runs from this one's meeting */
	struct cal_time d = due_compute(r, cal, met, due_every(c, act->council,
							       r));
	char ds[17], ss[17];
	put_time(r, d, ds);
	put_time(r, soon_from(r, d), ss);
	return err_from_db(db_exec(c, &st_insert, NULL, act->council, r->id,
				   subject, subject_id, seq + 1, child, m, ds,
				   ss, NULL, db_id(worker), db_id(team)));
}

DB_STMT(st_stop) = {
	"due_stop",
	"DELETE FROM due_item WHERE council = ?1 AND rule = ?2 AND subject = ?3"
	" AND subject_id = ?4 AND met_at IS NULL",
	WRITE_ROLES,
};

int due_stop(struct db_conn *c, const struct actor *act, const char *rule_id,
	     const char *subject, int64_t subject_id)
{
	const struct due_rule *r = deadline(rule_id);
	if (r == NULL)
		return ERR_INVALID;
	if (!db_in_tx(c))
		return ERR_NOTX;
	return err_from_db(db_exec(c, &st_stop, NULL, act->council, r->id,
				   subject, subject_id));
}

/* Subjects whose clocks follow another's allocation: moving `subject`
 * to a worker moves the items of each `follower` that `ids` lists for
 * it (?1 council, ?2 the subject's id).  A CP case holds its plans'
 * clocks (R08..R11, L02 are on the list of whoever the case is
 * allocated to: D54). */
static const struct {
	const char *subject;
	const char *follower;
	const struct db_stmt *ids;
} due_follows[] = {
	{"episode", "cp_plan", &st_case_plans},
};

/* The followers of one kind a subject holds: a case holds a plan or two
 * (one open at a time). */
enum { FOLLOWERS_MAX = 64 };

int due_assign(struct db_conn *c, const struct actor *act,
	       const char *subject, int64_t subject_id, int64_t worker_id,
	       int64_t team_id)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = db_exec(c, &st_assign, NULL, act->council, subject,
			 subject_id, db_id(worker_id), db_id(team_id));
	for (size_t f = 0;
	     rc >= 0 && f < sizeof(due_follows) / sizeof(due_follows[0]); f++) {
		if (strcmp(subject, due_follows[f].subject) != 0)
			continue;
		/* read first, then write: the statements share no cursor */
		int64_t ids[FOLLOWERS_MAX];
		int n = 0;
		struct db_q *q;
		for (rc = db_exec(c, due_follows[f].ids, &q, act->council,
				  subject_id);
		     rc == DB_ROW; rc = db_step(q)) {
			if (n == FOLLOWERS_MAX) {
				db_done(q);
				return ERR_LIMIT;
			}
			ids[n++] = db_col_i64(q, 0);
		}
		for (int i = 0; rc >= 0 && i < n; i++)
			rc = db_exec(c, &st_assign, NULL, act->council,
				     due_follows[f].follower, ids[i],
				     db_id(worker_id), db_id(team_id));
	}
	return err_from_db(rc);
}

/* An item as stored: what rebuild compares and writes. */
struct item {
	int64_t subject_id, seq, child_id, worker, team;
	char start[17], due[17], soon[17], met[17]; /* met "": not met */
};

static int cmp_item(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->subject_id != b->subject_id)
		return a->subject_id < b->subject_id ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts items into key order; most sources give them in that order
 * already, and qsort moving 108-byte items was 8% of a rebuild. */
static void sort_items(struct item *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_item(&v[i - 1], &v[i]) > 0) {
			qsort(v, n, sizeof(*v), cmp_item);
			return;
		}
}

static bool same_item(const struct item *a, const struct item *b)
{
	return a->child_id == b->child_id && a->worker == b->worker &&
	       a->team == b->team && strcmp(a->start, b->start) == 0 &&
	       strcmp(a->due, b->due) == 0 && strcmp(a->soon, b->soon) == 0 &&
	       strcmp(a->met, b->met) == 0;
}

struct items {
	struct item *v;
	size_t n, cap;
};

static struct item *items_add(struct items *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		struct item *w = realloc(l->v, cap * sizeof(*w));
		if (w == NULL)
			return NULL;
		l->v = w;
		l->cap = cap;
	}
	struct item *it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

#define HAVE_SQL(W)                                                        \
	"SELECT subject_id, seq, child_id, started_at, due_at, soon_at,"     \
	" met_at, worker_id, team_id FROM due_item WHERE council = ?1"       \
	" AND rule = ?2 AND subject = ?3" W
DB_STMTS(st_have, 2) = {
	{"due_have", HAVE_SQL(" ORDER BY subject_id, seq"), DB_ROLE_SYSTEM},
	/* one child's (due_refresh): the index due_child; sorted in C (an
	 * ORDER BY made SQLite walk the primary key: every item of the
	 * rule) */
	{"due_have_child", HAVE_SQL(" AND child_id = ?4"), WRITE_ROLES},
};
DB_STMT(st_update) = {
	"due_update",
	"UPDATE due_item SET child_id = ?6, started_at = ?7, due_at = ?8,"
	" soon_at = ?9, met_at = ?10, worker_id = ?11, team_id = ?12"
	" WHERE council = ?1 AND rule = ?2 AND subject = ?3"
	" AND subject_id = ?4 AND seq = ?5",
	WRITE_ROLES, /* due_refresh, for a record's writer */
};
DB_STMT(st_delete) = {
	"due_delete",
	"DELETE FROM due_item WHERE council = ?1 AND rule = ?2 AND subject = ?3"
	" AND subject_id = ?4 AND seq = ?5",
	WRITE_ROLES,
};
DB_STMT(st_rules_held) = {
	"due_rules_held",
	"SELECT DISTINCT rule, subject FROM due_item WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_drop_rule) = {
	"due_drop_rule",
	"DELETE FROM due_item WHERE council = ?1 AND rule = ?2 AND subject = ?3",
	DB_ROLE_SYSTEM,
};

/* Writes one item with st (insert or update: the same ?1..?12). */
static int put_item(struct db_conn *c, const struct db_stmt *st,
		    const char *council, const struct due_rule *r,
		    const struct item *it)
{
	if (st == &st_delete)
		return db_exec(c, st, NULL, council, r->id, r->subject,
			       it->subject_id, it->seq);
	return db_exec(c, st, NULL, council, r->id, r->subject, it->subject_id,
		       it->seq, it->child_id, it->start, it->due, it->soon,
		       it->met[0] ? it->met : NULL, db_id(it->worker),
		       db_id(it->team));
}

/* The items rule r's records call for, in key order: its source for the
 * council, or with child_id (not 0) its source_child for that child. */
/* The units an occurrence of rule r is due after: count for the first,
 * every for the next, or the subject's own (r->counted: column 7 of
 * the source's row q). */
static int item_units(const struct due_rule *r, struct db_q *q, int64_t seq,
		      int count, int every)
{
	int n = seq == 1 ? count : every;
	if (r->counted && !db_col_null(q, 7)) {
		int64_t own = db_col_i64(q, 7);
		if (own >= 1 && own <= 999)
			n = (int)own;
	}
	return n;
}

/* Sets it's times from start, due after n units of rule r, met at *met
 * (NULL: open): as due_start (occurrence 1) and due_meet (the next
 * ones) would have. */
static void item_times(struct item *it, const struct due_rule *r,
		       const struct cal *cal, struct cal_time start, int n,
		       const struct cal_time *met)
{
	struct cal_time d = due_compute(r, cal, start, n);
	put_time(r, start, it->start);
	put_time(r, d, it->due);
	put_time(r, soon_from(r, d), it->soon);
	if (met)
		put_time(r, *met, it->met);
}

/*
 * Chains (r->chain).  The source gives, for each subject in key order,
 * its events in order: columns 0 subject, 1 child, 2 the subject's end
 * (NULL: not ended), 3 its start (DUE_CHAIN_HEAD), 4 an event's date
 * (NULL: none; a subject without events has one such row, or none), 5
 * worker, 6 team, 7 own count.  Each event meets the open occurrence
 * and opens the next, from its date; with DUE_CHAIN_HEAD occurrence 1
 * runs from the subject's start to the first event, without it from
 * the first event to the second; with DUE_CHAIN_DAYS a second event on
 * the same date is not one.  The open occurrence is dropped when the
 * subject has ended.  Made here in one pass over rows both stores read
 * in index order, rather than by window functions over a sorted copy
 * (ROW_NUMBER and LEAD: R11 took 320 ms of the 50,000-child demo's
 * rebuild that way, 60 as a chain).
 */
struct chain {
	struct item it;  /* the open occurrence (subject, child, worker,
			  * team, seq); times set when it is closed */
	struct cal_time start;
	bool start_ok;   /* start parsed: otherwise no clock */
	bool ended;
	int units;
	char last[11];   /* the last event's date */
};

/* Adds ch's open occurrence, met at *met (NULL: still open, dropped when
 * the subject has ended). */
static int chain_emit(struct items *out, const struct due_rule *r,
		      const struct cal *cal, const struct chain *ch,
		      const struct cal_time *met)
{
	if (!ch->start_ok || (met == NULL && ch->ended))
		return 0;
	struct item *it = items_add(out);
	if (it == NULL)
		return DB_EIO;
	*it = ch->it;
	item_times(it, r, cal, ch->start, ch->units, met);
	return 0;
}

static int wanted_chain(struct db_q *q, const struct due_rule *r,
			const struct cal *cal, int count, int every,
			struct items *out)
{
	struct chain ch;
	bool any = false;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t sid = db_col_i64(q, 0);
		if (!any || sid != ch.it.subject_id) {
			/* the previous subject's last occurrence, open */
			if (any && (rc = chain_emit(out, r, cal, &ch, NULL)) < 0)
				break;
			any = true;
			memset(&ch, 0, sizeof(ch));
			ch.it.subject_id = sid;
			ch.it.child_id = db_col_i64(q, 1);
			ch.it.worker = db_col_null(q, 5) ? 0 : db_col_i64(q, 5);
			ch.it.team = db_col_null(q, 6) ? 0 : db_col_i64(q, 6);
			ch.ended = !db_col_null(q, 2);
			if (r->chain & DUE_CHAIN_HEAD) {
				ch.it.seq = 1;
				ch.start_ok = get_time(db_col_text(q, 3),
						       &ch.start);
				ch.units = item_units(r, q, 1, count, every);
			}
		}
		struct cal_time day;
		const char *d = db_col_text(q, 4);
		if (d == NULL ||
		    ((r->chain & DUE_CHAIN_DAYS) &&
		     strncmp(d, ch.last, 10) == 0) ||
		    !get_time(d, &day))
			continue;
		if ((rc = chain_emit(out, r, cal, &ch, &day)) < 0)
			break;
		size_t k = strnlen(d, 10);
		memcpy(ch.last, d, k);
		ch.last[k] = '\0';
		ch.it.seq++;
		ch.start = day;
		ch.start_ok = true;
		ch.units = item_units(r, q, ch.it.seq, count, every);
	}
	if (rc == DB_DONE && any)
		rc = chain_emit(out, r, cal, &ch, NULL);
	else if (rc != DB_DONE)
		db_done(q);
	return rc < 0 ? rc : 0;
}

static int wanted(struct db_conn *c, const char *council,
		  const struct due_rule *r, const struct cal *cal,
		  int64_t child_id, struct items *out)
{
	int count = due_count(c, council, r), every = due_every(c, council, r);
	struct db_q *q;
	int rc = db_prepare(c, child_id ? r->source_child : r->source, &q);
	if (rc < 0 || (rc = db_bind_text(q, 1, council)) < 0 ||
	    (child_id && (rc = db_bind_i64(q, 2, child_id)) < 0))
		return rc;
	if (r->chain) {
		rc = wanted_chain(q, r, cal, count, every, out);
		if (rc == 0 && out->n > 1)
			sort_items(out->v, out->n);
		return rc;
	}
	while ((rc = db_step(q)) == DB_ROW) {
		struct cal_time start, met;
		if (!get_time(db_col_text(q, 3), &start))
			continue; /* not a time: no clock */
		struct item *it = items_add(out);
		if (it == NULL) {
			db_done(q);
			return DB_EIO;
		}
		it->subject_id = db_col_i64(q, 0);
		it->child_id = db_col_i64(q, 1);
		it->seq = db_col_i64(q, 2);
		it->worker = db_col_null(q, 5) ? 0 : db_col_i64(q, 5);
		it->team = db_col_null(q, 6) ? 0 : db_col_i64(q, 6);
		int n = item_units(r, q, it->seq, count, every);
		bool met_ok = get_time(db_col_text(q, 4), &met);
		item_times(it, r, cal, start, n, met_ok ? &met : NULL);
	}
	if (rc < 0)
		return rc;
	if (out->n > 1)
		sort_items(out->v, out->n);
	return 0;
}

/* Copies stored text (a date or a civil time, at most 16 bytes) into
 * an item's field; snprintf was a tenth of a rebuild's time. */
static void put_text(char out[17], const char *s)
{
	size_t n = s ? strnlen(s, 16) : 0;
	memcpy(out, s ? s : "", n);
	out[n] = '\0';
}

/* The items stored for rule r (child_id's alone when not 0), in key
 * order. */
static int held(struct db_conn *c, const char *council,
		const struct due_rule *r, int64_t child_id, struct items *out)
{
	struct db_q *q;
	int rc = child_id ? db_exec(c, &st_have[1], &q, council, r->id,
				    r->subject, child_id)
			  : db_exec(c, &st_have[0], &q, council, r->id,
				    r->subject);
	for (; rc == DB_ROW; rc = db_step(q)) {
		struct item *it = items_add(out);
		if (it == NULL) {
			db_done(q);
			return DB_EIO;
		}
		it->subject_id = db_col_i64(q, 0);
		it->seq = db_col_i64(q, 1);
		it->child_id = db_col_i64(q, 2);
		put_text(it->start, db_col_text(q, 3));
		put_text(it->due, db_col_text(q, 4));
		put_text(it->soon, db_col_text(q, 5));
		put_text(it->met, db_col_text(q, 6));
		it->worker = db_col_null(q, 7) ? 0 : db_col_i64(q, 7);
		it->team = db_col_null(q, 8) ? 0 : db_col_i64(q, 8);
	}
	if (rc >= 0 && child_id && out->n > 1)
		sort_items(out->v, out->n);
	return rc < 0 ? rc : 0;
}

/* Makes rule r's stored items equal to the wanted ones, writing only the
 * differences (a merge of the two key-ordered lists). */
static int reconcile(struct db_conn *c, const char *council,
		     const struct due_rule *r, const struct items *want,
		     const struct items *have, int64_t *changed)
{
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc >= 0 && (i < want->n || j < have->n)) {
		int k = i == want->n ? 1 : j == have->n ? -1
			: cmp_item(&want->v[i], &have->v[j]);
		if (k < 0) {
			rc = put_item(c, &st_insert, council, r, &want->v[i++]);
			++*changed;
		} else if (k > 0) {
			rc = put_item(c, &st_delete, council, r, &have->v[j++]);
			++*changed;
		} else {
			if (!same_item(&want->v[i], &have->v[j])) {
				rc = put_item(c, &st_update, council, r,
					      &want->v[i]);
				++*changed;
			}
			i++, j++;
		}
	}
	return rc < 0 ? rc : 0;
}

/* Deletes items of rules (or subjects) the table no longer has. */
static int drop_unknown(struct db_conn *c, const char *council,
			int64_t *changed)
{
	char keep[16][2][32];
	int nk = 0;
	struct db_q *q;
	int rc = db_exec(c, &st_rules_held, &q, council);
	for (; rc == DB_ROW && nk < 16; rc = db_step(q)) {
		const char *id = db_col_text(q, 0), *sub = db_col_text(q, 1);
		const struct due_rule *r = due_rule(id);
		if (r && r->kind == DUE_DEADLINE && r->source &&
		    strcmp(r->subject, sub ? sub : "") == 0)
			continue;
		snprintf(keep[nk][0], 32, "%s", id ? id : "");
		snprintf(keep[nk][1], 32, "%s", sub ? sub : "");
		nk++;
	}
	if (rc == DB_ROW)
		db_done(q);
	else if (rc < 0)
		return rc;
	for (int i = 0; i < nk; i++) {
		if ((rc = db_exec(c, &st_drop_rule, NULL, council,
				 keep[i][0], keep[i][1])) < 0)
			return rc;
		*changed += db_changes(c);
	}
	return 0;
}

int due_rebuild(struct db_conn *c, const struct actor *act,
		const struct cal *cal, int64_t *n, int64_t *changed)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int64_t made = 0, diff = 0;
	int rc = drop_unknown(c, act->council, &diff);
	for (size_t i = 0; rc >= 0 && i < ntable; i++) {
		const struct due_rule *r = &table[i];
		if (r->kind != DUE_DEADLINE || r->source == NULL)
			continue;
		struct items want = {0}, have = {0};
		rc = wanted(c, act->council, r, cal, 0, &want);
		if (rc >= 0)
			rc = held(c, act->council, r, 0, &have);
		if (rc >= 0)
			rc = reconcile(c, act->council, r, &want, &have, &diff);
		made += (int64_t)want.n;
		free(want.v);
		free(have.v);
	}
	if (rc < 0)
		return err_from_db(rc);
	if (n)
		*n = made;
	if (changed)
		*changed = diff;
	return ERR_OK;
}

int due_refresh(struct db_conn *c, const struct actor *act,
		const struct cal *cal, const char *rule_id, int64_t child_id)
{
	const struct due_rule *r = deadline(rule_id);
	if (r == NULL || r->source_child == NULL || child_id <= 0)
		return ERR_INVALID;
	if (!db_in_tx(c))
		return ERR_NOTX;
	struct items want = {0}, have = {0};
	int64_t diff = 0;
	int rc = wanted(c, act->council, r, cal, child_id, &want);
	if (rc >= 0)
		rc = held(c, act->council, r, child_id, &have);
	if (rc >= 0)
		rc = reconcile(c, act->council, r, &want, &have, &diff);
	free(want.v);
	free(have.v);
	return err_from_db(rc);
}

/* ---- reading --------------------------------------------------------- */

static const char *const status_ids[DUE_STATUS__MAX] = {
	"met-on-time", "met-late", "overdue", "due-soon", "due",
};
static const char *const status_labels[DUE_STATUS__MAX] = {
	"Met on time", "Met late", "Overdue", "Due soon", "Due",
};

const char *due_status_label(enum due_status s)
{
	return (unsigned)s < DUE_STATUS__MAX ? status_labels[s] : "";
}

const char *due_status_id(enum due_status s)
{
	return (unsigned)s < DUE_STATUS__MAX ? status_ids[s] : "";
}

bool due_status_parse(const char *id, enum due_status *out)
{
	for (int i = 0; id && i < DUE_STATUS__MAX; i++)
		if (strcmp(status_ids[i], id) == 0) {
			*out = (enum due_status)i;
			return true;
		}
	return false;
}

/* The static id of a rule or subject read from a row ("" when unknown). */
static const char *rule_id_of(const char *s)
{
	const struct due_rule *r = due_rule(s);
	return r ? r->id : "";
}

static const char *subject_of(const char *s)
{
	for (size_t i = 0; s && i < ntable; i++)
		if (strcmp(table[i].subject, s) == 0)
			return table[i].subject;
	return "";
}

int due_list(struct db_conn *c, const struct actor *act,
	     const struct due_filter *f, struct arena *a, struct due_row **rows,
	     int *n, bool *more)
{
	int64_t limit = f->limit < 1 ? 1 : f->limit > 100000 ? 100000 : f->limit;
	char today[11], now[17];
	cal_date_format(act->today, today);
	cal_time_format(act->civil, now);
	size_t cap = (size_t)(limit < 256 ? limit + 1 : 256);
	struct due_row *v = arena_alloc(a, cap * sizeof(*v));
	int k = 0;
	if (v == NULL)
		return ERR_NOMEM;
	struct db_q *q = NULL;
	int rc = db_exec(c, &st_list, &q, act->council, today, now,
			 f->worker_id, f->team_id, f->child_id, f->rule,
			 f->open_only, f->due_from, f->due_to,
			 (int64_t)f->statuses, limit + 1,
			 f->offset < 0 ? 0 : f->offset);
	for (; rc == DB_ROW; rc = db_step(q)) {
		if (k == limit) {
			if (more)
				*more = true;
			db_done(q);
			*rows = v;
			*n = k;
			return ERR_OK;
		}
		if ((size_t)k == cap) {
			struct due_row *w = arena_alloc(a, 2 * cap * sizeof(*v));
			if (w == NULL)
				return ERR_NOMEM;
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		struct due_row *d = &v[k++];
		memset(d, 0, sizeof(*d));
		d->rule = rule_id_of(db_col_text(q, 0));
		d->subject = subject_of(db_col_text(q, 1));
		d->subject_id = db_col_i64(q, 2);
		d->seq = (int)db_col_i64(q, 3);
		d->child_id = db_col_i64(q, 4);
		const char *nm = db_col_text(q, 5);
		d->child_name = arena_strdup(a, nm ? nm : "");
		if (d->child_name == NULL)
			return ERR_NOMEM;
		put_text(d->started_at, db_col_text(q, 6));
		put_text(d->due_at, db_col_text(q, 7));
		put_text(d->met_at, db_col_text(q, 8));
		d->worker_id = db_col_null(q, 9) ? 0 : db_col_i64(q, 9);
		d->team_id = db_col_null(q, 10) ? 0 : db_col_i64(q, 10);
		int64_t st = db_col_i64(q, 11);
		d->status = st >= 0 && st < DUE_STATUS__MAX
				    ? (enum due_status)st : DUE_DUE;
	}
	if (rc < 0)
		return err_from_db(rc);
	if (more)
		*more = false;
	*rows = v;
	*n = k;
	return ERR_OK;
}

int due_counts(struct db_conn *c, const struct actor *act,
	       const struct due_filter *f, int64_t counts[DUE_STATUS__MAX])
{
	char today[11], now[17];
	cal_date_format(act->today, today);
	cal_time_format(act->civil, now);
	memset(counts, 0, DUE_STATUS__MAX * sizeof(counts[0]));
	struct db_q *q;
	const struct db_stmt *which =
		f->worker_id > 0 ? &st_counts[f->open_only ? 2 : 1]
		: f->child_id > 0 ? &st_counts[3] : &st_counts[0];
	int rc = db_exec(c, which, &q, act->council, today, now, f->worker_id,
			 f->team_id, f->child_id, f->rule, (int64_t)f->open_only);
	for (; rc == DB_ROW; rc = db_step(q)) {
		int64_t st = db_col_i64(q, 0);
		if (st >= 0 && st < DUE_STATUS__MAX)
			counts[st] = db_col_i64(q, 1);
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

int due_timeliness(struct db_conn *c, const struct actor *act,
		   struct cal_date from, struct cal_date to, struct arena *a,
		   struct due_period **rows, int *n)
{
	char f[11], t[11], today[11], now[17];
	cal_date_format(from, f);
	cal_date_format(to, t);
	cal_date_format(act->today, today);
	cal_time_format(act->civil, now);
	size_t cap = 64;
	struct due_period *v = arena_alloc(a, cap * sizeof(*v));
	int k = 0;
	if (v == NULL)
		return ERR_NOMEM;
	struct db_q *q = NULL;
	int rc = db_exec(c, &st_timeliness, &q, act->council, f, t, today, now);
	for (; rc == DB_ROW; rc = db_step(q)) {
		if ((size_t)k == cap) {
			struct due_period *w =
				arena_alloc(a, 2 * cap * sizeof(*v));
			if (w == NULL)
				return ERR_NOMEM;
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		struct due_period *p = &v[k++];
		memset(p, 0, sizeof(*p));
		p->rule = rule_id_of(db_col_text(q, 0));
		snprintf(p->month, sizeof(p->month), "%s",
			 db_col_text(q, 1) ? db_col_text(q, 1) : "");
		p->on_time = db_col_i64(q, 2);
		p->late = db_col_i64(q, 3);
		p->overdue = db_col_i64(q, 4);
		p->open = db_col_i64(q, 5);
	}
	if (rc < 0)
		return err_from_db(rc);
	*rows = v;
	*n = k;
	return ERR_OK;
}
