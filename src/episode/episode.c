/* episode.c: see episode.h for the contract. */
#include "episode/episode.h"
#include "episode/episode_int.h"
#include "auth/role.h"
#include "child/child.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c (PERM_EPISODE_READ,
 * PERM_EPISODE_WRITE, PERM_EPISODE_ALLOCATE, PERM_CASELOAD). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define ALLOCATE_ROLES (RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

#define L01 "L01"
#define SUBJECT "episode"
#define TEXT_MAX 500
#define OWNER_MAX 120

/* ---- code lists -------------------------------------------------------- */

const struct field_code episode_type_codes[] = {
	{"family_help", "Family Help"},           /* EPISODE_FAMILY_HELP */
	{"child_protection", "Child protection"}, /* EPISODE_CHILD_PROTECTION */
	{"looked_after", "Child looked after"},   /* EPISODE_LOOKED_AFTER */
	{NULL, NULL},
};

/* CIN census primary need codes, copied from
 * ../shared/domain/codes/cin_primary_need.csv (shipped as
 * data/codes/cin_primary_need.csv; every row "current", CIN schema
 * 2024).  When the file changes, change this table. */
const struct field_code episode_need_codes[] = {
	{"N1", "Abuse or neglect"},
	{"N2", "Child's disability"},
	{"N3", "Parental disability or illness"},
	{"N4", "Family in acute stress"},
	{"N5", "Family dysfunction"},
	{"N6", "Socially unacceptable behaviour"},
	{"N7", "Low income"},
	{"N8", "Absent parenting"},
	{"N9", "Cases other than children in need"},
	{"N0", "Not stated"},
	{NULL, NULL},
};

/* CIN census reasons for closure, copied from
 * ../shared/domain/codes/cin_reason_for_closure.csv (shipped as
 * data/codes/cin_reason_for_closure.csv; CIN schema 2024). */
const struct field_code episode_closure_codes[] = {
	{"RC1", "Adopted"},
	{"RC2", "Died"},
	{"RC3", "Child arrangements order"},
	{"RC4", "Special guardianship order"},
	{"RC5", "Transferred to services of another local authority"},
	{"RC6", "Transferred to adult social care services"},
	{"RC7", "Services ceased for any other reason, including child no "
		"longer in need"},
	{"RC8", "Case closed after assessment, no further action"},
	{"RC9", "Case closed after assessment, referred to early help"},
	{NULL, NULL},
};

const struct field_code episode_progress_codes[] = {
	{"achieved", "Achieved"},
	{"progressing", "Making progress"},
	{"no_change", "No change"},
	{"worse", "Getting worse"},
	{NULL, NULL},
};

static int type_of(const char *code)
{
	return codes_index(episode_type_codes, code);
}

/* ---- the chronology's lines -------------------------------------------- */

void episode_open_summary(const char *case_type, char *out, size_t n)
{
	const char *l = codes_label(episode_type_codes, case_type);
	snprintf(out, n, "%s case opened", l ? l : "A");
}

/* ---- fields ------------------------------------------------------------ */

#define I(m) offsetof(struct episode_input, m)
static const struct field open_fields[] = {
	{.name = "case_type", .label = "Type of case", .type = FT_CODE,
	 .required = true, .radios = true, .what = "the type of case",
	 .codes = episode_type_codes, .offset = I(case_type)},
	{.name = "opened_on", .label = "Date the case opened", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .what = "the date the case opened", .offset = I(opened_on)},
	{.name = "primary_need", .label = "Primary need", .type = FT_CODE,
	 .required = true, .what = "the primary need",
	 .hint = "The main reason the child needs services, as the CIN "
		 "census records it",
	 .codes = episode_need_codes, .offset = I(primary_need)},
	{.name = "section17", .label = "Is the plan a section 17 child in "
	 "need plan?", .type = FT_BOOL, .offset = I(section17)},
	{.name = "plan_start", .label = "Date the plan started",
	 .hint = "For a section 17 plan, the CIN plan start date",
	 .type = FT_DATE, .rules = FR_NOT_FUTURE | FR_SOMETIMES,
	 .offset = I(plan_start)},
	{.name = "referral_id", .label = "Referral", .type = FT_REF,
	 .offset = I(referral_id)},
	{.name = "assessment_id", .label = "Assessment", .type = FT_REF,
	 .offset = I(assessment_id)},
};
const struct record_type episode_open_type = {
	"episode_open", open_fields,
	(int)(sizeof(open_fields) / sizeof(open_fields[0])),
};

#define P(m) offsetof(struct episode_plan_input, m)
static const struct field plan_fields[] = {
	{.name = "primary_need", .label = "Primary need", .type = FT_CODE,
	 .required = true, .what = "the primary need",
	 .codes = episode_need_codes, .offset = P(primary_need)},
	{.name = "section17", .label = "Is the plan a section 17 child in "
	 "need plan?", .type = FT_BOOL, .offset = P(section17)},
	{.name = "plan_start", .label = "Date the plan started",
	 .hint = "For a section 17 plan, the CIN plan start date",
	 .type = FT_DATE, .rules = FR_NOT_FUTURE | FR_SOMETIMES,
	 .offset = P(plan_start)},
	{.name = "plan_end", .label = "Date the plan ended", .type = FT_DATE,
	 .rules = FR_NOT_FUTURE, .offset = P(plan_end)},
};
const struct record_type episode_plan_type = {
	"episode_plan", plan_fields,
	(int)(sizeof(plan_fields) / sizeof(plan_fields[0])),
};

static const struct field outcome_fields[] = {
	{.name = "outcome", .label = "Outcome wanted", .type = FT_LONGTEXT,
	 .required = true, .max = TEXT_MAX, .what = "the outcome wanted",
	 .offset = offsetof(struct episode_outcome_input, outcome)},
};
const struct record_type episode_outcome_type = {
	"episode_outcome_input", outcome_fields, 1,
};

#define AC(m) offsetof(struct episode_action_input, m)
static const struct field action_fields[] = {
	{.name = "outcome_id", .label = "Outcome", .type = FT_REF,
	 .required = true, .missing = "Select the outcome the action is for",
	 .offset = AC(outcome_id)},
	{.name = "action", .label = "Action", .type = FT_LONGTEXT,
	 .required = true, .max = TEXT_MAX, .what = "the action",
	 .offset = AC(action)},
	{.name = "owner", .label = "Who will do it",
	 .hint = "A person or an agency", .type = FT_TEXT, .required = true,
	 .max = OWNER_MAX, .what = "who will do it", .offset = AC(owner)},
	{.name = "due_on", .label = "Date it is due", .type = FT_DATE,
	 .required = true, .what = "the date it is due", .offset = AC(due_on)},
};
const struct record_type episode_action_type = {
	"episode_action_input", action_fields,
	(int)(sizeof(action_fields) / sizeof(action_fields[0])),
};

static const struct field review_fields[] = {
	{.name = "review_date", .label = "Date of the review", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .what = "the date of the review",
	 .offset = offsetof(struct episode_review_input, review_date)},
};
const struct record_type episode_review_type = {
	"episode_review_input", review_fields, 1,
};

#define M(m) offsetof(struct episode_member_input, m)
static const struct field member_fields[] = {
	{.name = "network_member_id", .label = "Family or network member",
	 .type = FT_REF, .rules = FR_SOMETIMES,
	 .offset = M(network_member_id)},
	{.name = "member_child_id", .label = "Another child", .type = FT_REF,
	 .rules = FR_SOMETIMES, .offset = M(member_child_id)},
};
const struct record_type episode_member_type = {
	"episode_member_input", member_fields, 2,
};

#define AL(m) offsetof(struct episode_allocation_input, m)
static const struct field allocation_fields[] = {
	{.name = "team_id", .label = "Team",
	 .hint = "Leave this to allocate to the worker's own team",
	 .type = FT_REF, .offset = AL(team_id)},
	{.name = "worker_id", .label = "Lead practitioner", .type = FT_REF,
	 .required = true, .missing = "Select a lead practitioner",
	 .offset = AL(worker_id)},
	{.name = "manager_id", .label = "Supervising manager",
	 .hint = "A team manager", .type = FT_REF, .required = true,
	 .missing = "Select a supervising manager", .offset = AL(manager_id)},
};
const struct record_type episode_allocation_type = {
	"episode_allocation_input", allocation_fields, 3,
};

#define CL(m) offsetof(struct episode_close_input, m)
static const struct field close_fields[] = {
	{.name = "closed_on", .label = "Date the case closed", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .what = "the date the case closed", .offset = CL(closed_on)},
	{.name = "reason", .label = "Reason for closing", .type = FT_CODE,
	 .required = true, .radios = true, .what = "the reason for closing",
	 .codes = episode_closure_codes, .offset = CL(reason)},
	{.name = "watch_org_id", .label = "Agency keeping watch on the family",
	 .hint = "Needed when the case had an assessment: the agency that "
		 "will notice if things get worse",
	 .type = FT_REF, .rules = FR_SOMETIMES,
	 .what = "the agency keeping watch", .offset = CL(watch_org_id)},
	{.name = "watch_for", .label = "What the agency will watch for",
	 .hint = "Needed when the case had an assessment",
	 .type = FT_LONGTEXT, .max = 1000, .rules = FR_SOMETIMES,
	 .what = "what the agency will watch for", .offset = CL(watch_for)},
	{.name = "approved", .label = "Do you approve closing this case?",
	 .hint = "A team manager's approval, needed when the case had an "
		 "assessment",
	 .type = FT_BOOL, .offset = CL(approved)},
};
const struct record_type episode_close_type = {
	"episode_close_input", close_fields,
	(int)(sizeof(close_fields) / sizeof(close_fields[0])),
};

/* ---- views ------------------------------------------------------------- */

#define V(m) offsetof(struct episode, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = V(episode_id)},
	{.name = "child_id", .type = FT_INT, .offset = V(child_id)},
	{.name = "child_name", .label = "Child", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(child_name)},
	{.name = "case_type", .label = "Type of case", .type = FT_CODE,
	 .codes = episode_type_codes, .out = FO_LABEL, .offset = V(case_type)},
	{.name = "section17", .label = "Section 17 child in need plan",
	 .type = FT_BOOL, .offset = V(section17)},
	{.name = "plan_start", .label = "Plan started", .type = FT_DATE,
	 .offset = V(plan_start)},
	{.name = "plan_end", .label = "Plan ended", .type = FT_DATE,
	 .offset = V(plan_end)},
	{.name = "primary_need", .label = "Primary need", .type = FT_CODE,
	 .codes = episode_need_codes, .out = FO_LABEL,
	 .offset = V(primary_need)},
	{.name = "referral_id", .type = FT_REF, .offset = V(referral_id)},
	{.name = "assessment_id", .type = FT_REF, .offset = V(assessment_id)},
	{.name = "opened_on", .label = "Opened", .type = FT_DATE,
	 .offset = V(opened_on)},
	{.name = "closed_on", .label = "Closed", .type = FT_DATE,
	 .offset = V(closed_on)},
	{.name = "closure_reason", .label = "Reason for closing",
	 .type = FT_CODE, .codes = episode_closure_codes, .out = FO_LABEL,
	 .offset = V(closure_reason)},
	{.name = "reopened_from", .type = FT_REF, .offset = V(reopened_from)},
	{.name = "reopened_from_closed", .label = "Earlier case closed",
	 .type = FT_DATE, .offset = V(reopened_from_closed)},
	{.name = "team_id", .type = FT_REF, .offset = V(team_id)},
	{.name = "team_name", .label = "Team", .type = FT_TEXT,
	 .offset = V(team_name)},
	{.name = "worker_id", .type = FT_REF, .offset = V(worker_id)},
	{.name = "worker_name", .label = "Lead practitioner", .type = FT_TEXT,
	 .offset = V(worker_name)},
	{.name = "manager_id", .type = FT_REF, .offset = V(manager_id)},
	{.name = "manager_name", .label = "Supervising manager",
	 .type = FT_TEXT, .offset = V(manager_name)},
	{.name = "allocated_at", .label = "Allocated", .type = FT_DATETIME,
	 .offset = V(allocated_at)},
	{.name = "review_due", .label = "Next review due", .type = FT_DATE,
	 .offset = V(review_due)},
	{.name = "open", .type = FT_BOOL, .out = FO_DERIVED, .offset = V(open)},
	{.name = "review_overdue", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(review_overdue)},
};
const struct record_type episode_view = {
	"episode", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

#define O(m) offsetof(struct episode_outcome, m)
static const struct field outcome_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = O(outcome_id)},
	{.name = "episode_id", .type = FT_INT, .offset = O(episode_id)},
	{.name = "outcome", .label = "Outcome wanted", .type = FT_LONGTEXT,
	 .offset = O(outcome)},
	{.name = "progress", .label = "Progress at the last review",
	 .type = FT_CODE, .codes = episode_progress_codes, .out = FO_LABEL,
	 .offset = O(progress)},
};
const struct record_type episode_outcome_view = {
	"episode_outcome", outcome_view_fields, 4,
};

#define A(m) offsetof(struct episode_action, m)
static const struct field action_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = A(action_id)},
	{.name = "outcome_id", .type = FT_INT, .offset = A(outcome_id)},
	{.name = "action", .label = "Action", .type = FT_LONGTEXT,
	 .offset = A(action)},
	{.name = "owner", .label = "Who", .type = FT_TEXT, .offset = A(owner)},
	{.name = "due_on", .label = "Due", .type = FT_DATE, .offset = A(due_on)},
};
const struct record_type episode_action_view = {
	"episode_action", action_view_fields, 5,
};

#define R(m) offsetof(struct episode_review, m)
static const struct field review_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = R(review_id)},
	{.name = "review_date", .label = "Date", .type = FT_DATE,
	 .offset = R(review_date)},
	{.name = "achieved", .label = "Achieved", .type = FT_INT,
	 .offset = R(achieved)},
	{.name = "progressing", .label = "Making progress", .type = FT_INT,
	 .offset = R(progressing)},
	{.name = "no_change", .label = "No change", .type = FT_INT,
	 .offset = R(no_change)},
	{.name = "worse", .label = "Getting worse", .type = FT_INT,
	 .offset = R(worse)},
};
const struct record_type episode_review_view = {
	"episode_review", review_view_fields, 6,
};

#define MV(m) offsetof(struct episode_member, m)
static const struct field member_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = MV(member_id)},
	{.name = "network_member_id", .type = FT_REF,
	 .offset = MV(network_member_id)},
	{.name = "member_child_id", .type = FT_REF,
	 .offset = MV(member_child_id)},
	{.name = "name", .label = "Name", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = MV(name)},
	{.name = "relationship", .label = "Relationship", .type = FT_TEXT,
	 .offset = MV(relationship)},
};
const struct record_type episode_member_view = {
	"episode_member", member_view_fields, 5,
};

#define H(m) offsetof(struct episode_allocation, m)
static const struct field allocation_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = H(allocation_id)},
	{.name = "allocated_at", .label = "When", .type = FT_DATETIME,
	 .offset = H(allocated_at)},
	{.name = "team_name", .label = "Team", .type = FT_TEXT,
	 .offset = H(team_name)},
	{.name = "worker_name", .label = "Lead practitioner", .type = FT_TEXT,
	 .offset = H(worker_name)},
	{.name = "manager_name", .label = "Supervising manager",
	 .type = FT_TEXT, .offset = H(manager_name)},
	{.name = "allocated_by_name", .label = "Allocated by", .type = FT_TEXT,
	 .offset = H(allocated_by_name)},
};
const struct record_type episode_allocation_view = {
	"episode_allocation", allocation_view_fields, 6,
};

#define K(m) offsetof(struct episode_caseload, m)
static const struct field caseload_fields[] = {
	{.name = "worker_id", .type = FT_INT, .offset = K(worker_id)},
	{.name = "worker_name", .label = "Worker", .type = FT_TEXT,
	 .offset = K(worker_name)},
	{.name = "team_name", .label = "Team", .type = FT_TEXT,
	 .offset = K(team_name)},
	{.name = "cases", .label = "Open cases", .type = FT_INT,
	 .offset = K(cases)},
	{.name = "family_help", .label = "Family Help", .type = FT_INT,
	 .out = FO_DERIVED, .offset = K(by_type[EPISODE_FAMILY_HELP])},
	{.name = "child_protection", .label = "Child protection",
	 .type = FT_INT, .out = FO_DERIVED,
	 .offset = K(by_type[EPISODE_CHILD_PROTECTION])},
	{.name = "looked_after", .label = "Looked after", .type = FT_INT,
	 .out = FO_DERIVED, .offset = K(by_type[EPISODE_LOOKED_AFTER])},
	{.name = "weighted_hundredths", .label = "Weighted caseload",
	 .type = FT_INT, .out = FO_DERIVED, .offset = K(weighted)},
	{.name = "overdue", .label = "Overdue timescales", .type = FT_INT,
	 .out = FO_DERIVED, .offset = K(overdue)},
};
const struct record_type episode_caseload_view = {
	"episode_caseload", caseload_fields,
	(int)(sizeof(caseload_fields) / sizeof(caseload_fields[0])),
};

/* ---- statements -------------------------------------------------------- */

/* The view's columns.  The next review is L01's open item (the
 * engine's, never worked out again here). */
#define EP_COLS                                                           \
	"e.episode_id, e.child_id, ch.given_name || ' ' || ch.family_name,"  \
	" e.case_type, e.section17, e.plan_start, e.plan_end,"               \
	" e.primary_need, e.referral_id, e.assessment_id, e.opened_on,"      \
	" e.closed_on, e.closure_reason, e.reopened_from, rf.closed_on,"     \
	" e.team_id, t.name, e.worker_id,"                                   \
	" w.display_name, e.manager_id, m.display_name, e.allocated_at,"     \
	" di.due_at FROM episode e"                                          \
	" JOIN child ch ON ch.council = e.council AND ch.child_id = e.child_id" \
	" LEFT JOIN episode rf ON rf.council = e.council"                    \
	"  AND rf.episode_id = e.reopened_from"                              \
	" LEFT JOIN team t ON t.council = e.council AND t.team_id = e.team_id" \
	" LEFT JOIN app_user w ON w.council = e.council"                     \
	"  AND w.user_id = e.worker_id"                                      \
	" LEFT JOIN app_user m ON m.council = e.council"                     \
	"  AND m.user_id = e.manager_id"                                     \
	" LEFT JOIN due_item di ON di.council = e.council AND di.rule = 'L01'" \
	"  AND di.subject = 'episode' AND di.subject_id = e.episode_id"      \
	"  AND di.met_at IS NULL"

DB_STMT(st_ep_get) = {
	"episode_get",
	"SELECT " EP_COLS " WHERE e.council = ?1 AND e.episode_id = ?2",
	READ_ROLES,
};
DB_STMT(st_ep_child) = {
	"episode_list_child",
	/* no ORDER BY: a child's few cases are sorted in C (cmp_child);
	 * SQLite's temporary b-tree for it cost more than the read */
	"SELECT " EP_COLS " WHERE e.council = ?1 AND e.child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_ep_list) = {
	"episode_list",
	"SELECT " EP_COLS " WHERE e.council = ?1 AND e.closed_on IS NULL"
	" AND e.episode_id > ?2 AND (?3 = 0 OR e.worker_id IS NULL)"
	" AND (?4 = 0 OR e.worker_id = ?4) AND (?5 = 0 OR e.team_id = ?5)"
	" ORDER BY e.episode_id LIMIT ?6",
	READ_ROLES,
};
/* What a write checks: the child, type, dates, the last review, how
 * many reviews. */
DB_STMT(st_ep_state) = {
	"episode_state",
	"SELECT e.child_id, e.case_type, e.opened_on, e.closed_on,"
	" e.plan_start, e.worker_id,"
	" (SELECT max(r.review_date) FROM episode_review r"
	"  WHERE r.council = e.council AND r.episode_id = e.episode_id),"
	" (SELECT count(*) FROM episode_review r"
	"  WHERE r.council = e.council AND r.episode_id = e.episode_id),"
	" e.team_id FROM episode e WHERE e.council = ?1 AND e.episode_id = ?2",
	WRITE_ROLES | ALLOCATE_ROLES,
};
DB_STMT(st_ep_open_type) = {
	"episode_open_of_type",
	"SELECT episode_id FROM episode WHERE council = ?1 AND child_id = ?2"
	" AND case_type = ?3 AND closed_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_ep_referral) = {
	"episode_referral",
	"SELECT referral_date FROM referral WHERE council = ?1"
	" AND referral_id = ?2 AND child_id = ?3",
	WRITE_ROLES,
};
DB_STMT(st_ep_ins) = {
	"episode_insert",
	"INSERT INTO episode (council, episode_id, child_id, case_type,"
	" section17, plan_start, primary_need, referral_id, assessment_id,"
	" opened_on, created_at, created_by, reopened_from)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	WRITE_ROLES,
};
/* The child's case of the type closed last, on or after ?4 (12 months
 * before the new case opens) and not after ?5 (its opening). */
DB_STMT(st_ep_reopened) = {
	"episode_reopened_from",
	"SELECT episode_id FROM episode WHERE council = ?1 AND child_id = ?2"
	" AND case_type = ?3 AND closed_on IS NOT NULL AND closed_on >= ?4"
	" AND closed_on <= ?5 ORDER BY closed_on DESC, episode_id DESC LIMIT 1",
	WRITE_ROLES,
};
DB_STMT(st_ep_plan) = {
	"episode_plan_set",
	"UPDATE episode SET primary_need = ?3, section17 = ?4, plan_start = ?5,"
	" plan_end = ?6 WHERE council = ?1 AND episode_id = ?2"
	" AND closed_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_ep_close) = {
	"episode_close",
	"UPDATE episode SET closed_on = ?3, closure_reason = ?4"
	" WHERE council = ?1 AND episode_id = ?2 AND closed_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_ep_alloc) = {
	"episode_allocate",
	"UPDATE episode SET team_id = ?3, worker_id = ?4, manager_id = ?5,"
	" allocated_at = ?6 WHERE council = ?1 AND episode_id = ?2"
	" AND closed_on IS NULL",
	ALLOCATE_ROLES,
};
DB_STMT(st_alloc_ins) = {
	"episode_allocation_insert",
	"INSERT INTO episode_allocation (council, allocation_id, episode_id,"
	" child_id, team_id, worker_id, manager_id, allocated_at, allocated_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	ALLOCATE_ROLES,
};
DB_STMT(st_alloc_list) = {
	"episode_allocations",
	"SELECT a.allocation_id, a.allocated_at, t.name, w.display_name,"
	" m.display_name, b.display_name FROM episode_allocation a"
	" LEFT JOIN team t ON t.council = a.council AND t.team_id = a.team_id"
	" LEFT JOIN app_user w ON w.council = a.council"
	"  AND w.user_id = a.worker_id"
	" LEFT JOIN app_user m ON m.council = a.council"
	"  AND m.user_id = a.manager_id"
	" LEFT JOIN app_user b ON b.council = a.council"
	"  AND b.user_id = a.allocated_by"
	" WHERE a.council = ?1 AND a.episode_id = ?2"
	" ORDER BY a.allocation_id DESC",
	READ_ROLES,
};
DB_STMT(st_user) = {
	"episode_user",
	"SELECT u.display_name, u.role, u.disabled, u.team_id, t.name"
	" FROM app_user u LEFT JOIN team t ON t.council = u.council"
	"  AND t.team_id = u.team_id WHERE u.council = ?1 AND u.user_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_team) = {
	"episode_team",
	"SELECT name FROM team WHERE council = ?1 AND team_id = ?2",
	ALLOCATE_ROLES,
};
DB_STMT(st_setting) = {
	"episode_setting",
	"SELECT value FROM setting WHERE council = ?1 AND key = ?2",
	READ_ROLES,
};
DB_STMT(st_out_ins) = {
	"episode_outcome_insert",
	"INSERT INTO episode_plan_outcome (council, outcome_id, episode_id,"
	" child_id, outcome, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	WRITE_ROLES,
};
DB_STMT(st_out_list) = {
	"episode_outcomes",
	"SELECT o.outcome_id, o.episode_id, o.outcome,"
	" (SELECT p.progress FROM episode_progress p JOIN episode_review r"
	"  ON r.council = p.council AND r.review_id = p.review_id"
	"  WHERE p.council = o.council AND p.outcome_id = o.outcome_id"
	"  ORDER BY r.review_date DESC, r.review_id DESC LIMIT 1)"
	" FROM episode_plan_outcome o WHERE o.council = ?1 AND o.episode_id = ?2"
	" ORDER BY o.outcome_id",
	READ_ROLES,
};
DB_STMT(st_out_of) = {
	"episode_outcome_of",
	"SELECT 1 FROM episode_plan_outcome WHERE council = ?1"
	" AND outcome_id = ?2 AND episode_id = ?3",
	WRITE_ROLES,
};
DB_STMT(st_act_ins) = {
	"episode_action_insert",
	"INSERT INTO episode_plan_action (council, action_id, episode_id,"
	" child_id, outcome_id, action, owner, due_on, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	WRITE_ROLES,
};
DB_STMT(st_act_list) = {
	"episode_actions",
	"SELECT action_id, outcome_id, action, owner, due_on"
	" FROM episode_plan_action WHERE council = ?1 AND episode_id = ?2"
	" ORDER BY outcome_id, action_id",
	READ_ROLES,
};
DB_STMT(st_rev_ins) = {
	"episode_review_insert",
	"INSERT INTO episode_review (council, review_id, episode_id, child_id,"
	" review_date, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	WRITE_ROLES,
};
DB_STMT(st_prog_ins) = {
	"episode_progress_insert",
	"INSERT INTO episode_progress (council, review_id, outcome_id, child_id,"
	" progress) VALUES (?1, ?2, ?3, ?4, ?5)",
	WRITE_ROLES,
};
DB_STMT(st_rev_list) = {
	"episode_reviews",
	"SELECT r.review_id, r.review_date,"
	" SUM(CASE WHEN p.progress = 'achieved' THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN p.progress = 'progressing' THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN p.progress = 'no_change' THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN p.progress = 'worse' THEN 1 ELSE 0 END)"
	" FROM episode_review r LEFT JOIN episode_progress p"
	"  ON p.council = r.council AND p.review_id = r.review_id"
	" WHERE r.council = ?1 AND r.episode_id = ?2"
	" GROUP BY r.review_id, r.review_date"
	" ORDER BY r.review_date DESC, r.review_id DESC",
	READ_ROLES,
};
DB_STMT(st_out_ids) = {
	"episode_outcome_ids",
	"SELECT outcome_id FROM episode_plan_outcome WHERE council = ?1"
	" AND episode_id = ?2 ORDER BY outcome_id",
	WRITE_ROLES,
};
DB_STMT(st_net_of) = {
	"episode_network_of",
	"SELECT 1 FROM network_member WHERE council = ?1 AND child_id = ?2"
	" AND member_id = ?3",
	WRITE_ROLES,
};
DB_STMT(st_child_of) = {
	"episode_child_of",
	"SELECT 1 FROM child WHERE council = ?1 AND child_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_mem_ins) = {
	"episode_member_insert",
	"INSERT INTO episode_member (council, member_id, episode_id, child_id,"
	" network_member_id, member_child_id, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	WRITE_ROLES,
};
DB_STMT(st_mem_list) = {
	"episode_members",
	"SELECT em.member_id, em.network_member_id, em.member_child_id,"
	" COALESCE(n.name, c2.given_name || ' ' || c2.family_name),"
	" COALESCE(n.relationship, 'Child')"
	" FROM episode_member em"
	" LEFT JOIN network_member n ON n.council = em.council"
	"  AND n.child_id = em.child_id AND n.member_id = em.network_member_id"
	" LEFT JOIN child c2 ON c2.council = em.council"
	"  AND c2.child_id = em.member_child_id"
	" WHERE em.council = ?1 AND em.episode_id = ?2 ORDER BY em.member_id",
	READ_ROLES,
};
DB_STMT(st_team_users) = {
	"episode_team_users",
	"SELECT u.user_id, u.display_name, t.name, u.role FROM app_user u"
	" LEFT JOIN team t ON t.council = u.council AND t.team_id = u.team_id"
	" WHERE u.council = ?1 AND u.disabled = 0 AND u.team_id = ?2"
	" ORDER BY u.display_name, u.user_id",
	ALLOCATE_ROLES,
};
DB_STMT(st_caseload) = {
	"episode_caseload",
	"SELECT e.worker_id, w.display_name, t.name, e.case_type, count(*)"
	" FROM episode e JOIN app_user w ON w.council = e.council"
	"  AND w.user_id = e.worker_id"
	" LEFT JOIN team t ON t.council = w.council AND t.team_id = w.team_id"
	" WHERE e.council = ?1 AND e.closed_on IS NULL"
	" AND e.worker_id IS NOT NULL AND (?2 = 0 OR e.team_id = ?2)"
	" GROUP BY e.worker_id, w.display_name, t.name, e.case_type",
	ALLOCATE_ROLES,
};
/* Open items past due: a date after today (?2), a time after now (?3),
 * as domain/due.h counts overdue. */
DB_STMT(st_overdue) = {
	"episode_worker_overdue",
	"SELECT worker_id, count(*) FROM due_item WHERE council = ?1"
	" AND met_at IS NULL AND worker_id IS NOT NULL"
	" AND due_at < CASE WHEN length(due_at) = 10 THEN ?2 ELSE ?3 END"
	" GROUP BY worker_id",
	ALLOCATE_ROLES,
};

/* Whether L01's review is overdue as of the actor's (arg) civil date. */
static int ep_derive(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	(void)q;
	struct episode *e = item;
	struct cal_date due;
	const char *d = e->review_due;
	e->open = e->closed_on[0] == '\0';
	e->review_overdue = e->open && cal_date_parse(d, strlen(d), &due) &&
			    cal_compare(((const struct actor *)arg)->civil.date,
					due) > 0;
	return ERR_OK;
}

static const struct row_map ep_rows = {
	sizeof(struct episode), NULL, 0, ep_derive, &episode_view,
};
static const struct rows_list_shown ep_shown = {
	"episode", offsetof(struct episode, child_id),
	offsetof(struct episode, episode_id),
};

/* ---- helpers ----------------------------------------------------------- */

/* What a write needs to know of a case. */
struct state {
	int64_t child_id;
	char case_type[24];
	struct cal_date opened, last_review, plan_start;
	bool closed, has_plan, has_review, allocated;
	int64_t reviews, worker_id, team_id;
};

static bool date_of(const char *s, struct cal_date *d)
{
	return s && s[0] && cal_date_parse(s, strlen(s), d);
}

/* Reads the case's state: ERR_OK, ERR_NOTFOUND or a store error. */
static int state_read(struct db_conn *c, const struct actor *who,
		      int64_t episode_id, struct state *s)
{
	struct db_q *q;
	int rc = rows_get(c, &st_ep_state, &q, who->council, episode_id);
	if (rc != ERR_OK)
		return rc;
	memset(s, 0, sizeof(*s));
	s->child_id = db_col_i64(q, 0);
	snprintf(s->case_type, sizeof(s->case_type), "%s", db_col_text(q, 1));
	date_of(db_col_text(q, 2), &s->opened);
	s->closed = !db_col_null(q, 3);
	s->has_plan = date_of(db_col_text(q, 4), &s->plan_start);
	s->allocated = !db_col_null(q, 5);
	s->has_review = date_of(db_col_text(q, 6), &s->last_review);
	s->reviews = db_col_i64(q, 7);
	s->worker_id = s->allocated ? db_col_i64(q, 5) : 0;
	s->team_id = db_col_null(q, 8) ? 0 : db_col_i64(q, 8);
	db_done(q);
	return ERR_OK;
}

/* A date field known to be valid (fields_check passed) or empty. */
static bool field_date(const char *s, struct cal_date *d)
{
	return date_of(s, d);
}

/* The refusal of a write to a closed case: a field error on "case". */
static int refuse_closed(struct field_errors *e)
{
	fe_set(e, "case", "The case is closed; open a new case to record "
	       "more work");
	return ERR_INVALID;
}

/* ---- opening ----------------------------------------------------------- */

int episode_open(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t child_id,
		 const struct episode_input *in, int64_t *episode_id,
		 struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_open_type, in, who, e);
	struct cal_date opened = {0, 0, 0}, plan = {0, 0, 0};
	bool has_open = field_date(in->opened_on, &opened);
	bool has_plan = field_date(in->plan_start, &plan);
	int type = type_of(in->case_type);
	if (in->section17 && type >= 0 && type != EPISODE_FAMILY_HELP)
		fe_set(e, "section17", "Only a Family Help case can be a "
		       "section 17 child in need plan");
	if (in->section17 && !has_plan && !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Enter the date the child in need plan "
		       "started");
	if (has_plan && type >= 0 && type != EPISODE_FAMILY_HELP &&
	    !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Only a Family Help case has its plan "
		       "recorded here; leave the date empty");
	if (has_plan && has_open && cal_compare(plan, opened) < 0 &&
	    !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Date the plan started must be the same "
		       "as or after the date the case opened");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_visible(c, who, child_id);
	struct db_q *q;
	if (rc == ERR_OK && in->referral_id > 0) {
		int k = rows_get(c, &st_ep_referral, &q, who->council,
				 in->referral_id, child_id);
		struct cal_date rd;
		if (k == ERR_NOTFOUND)
			fe_set(e, "referral_id", "The referral was not found "
			       "for this child; open the case from one of the "
			       "child's referrals");
		else if (k != ERR_OK)
			rc = k;
		else {
			if (date_of(db_col_text(q, 0), &rd) && has_open &&
			    cal_compare(opened, rd) < 0)
				fe_set(e, "opened_on", "Date the case opened "
				       "must be the same as or after the date "
				       "of the referral");
			db_done(q);
		}
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (rc == ERR_OK) {
		int k = rows_get(c, &st_ep_open_type, &q, who->council,
				 child_id, in->case_type);
		if (k == ERR_OK) {
			db_done(q);
			fe_addf(e, "case_type", "The child already has an open "
				"%s case; add to that case or close it first",
				codes_label(episode_type_codes, in->case_type));
			rc = ERR_CONFLICT;
		} else if (k != ERR_NOTFOUND)
			rc = k;
	}
	/* a case reopened within 12 months names the one closed */
	int64_t from = 0;
	if (rc == ERR_OK && has_open) {
		char since[11];
		cal_date_format(cal_add_months(opened, -12), since);
		int k = rows_get(c, &st_ep_reopened, &q, who->council, child_id,
				 in->case_type, since, in->opened_on);
		if (k == ERR_OK) {
			from = db_col_i64(q, 0);
			db_done(q);
		} else if (k != ERR_NOTFOUND)
			rc = k;
	}
	int64_t id = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "episode", &id));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_ep_ins, who->council, id, child_id,
				in->case_type, in->section17,
				has_plan ? in->plan_start : NULL,
				in->primary_need, db_id(in->referral_id),
				db_id(in->assessment_id), in->opened_on, created,
				who->user_id, db_id(from));
	/* L01: the plan's first review runs from the plan's start */
	if (rc == ERR_OK && has_plan && type == EPISODE_FAMILY_HELP)
		rc = due_start(c, who, L01, cal, SUBJECT, id, child_id,
			       (struct cal_time){plan, 0, 0}, NULL);
	if (rc == ERR_OK) {
		char line[80];
		episode_open_summary(in->case_type, line, sizeof(line));
		rc = chron_note(c, who, child_id, (struct cal_time){opened, 0, 0},
				false, "case_opened", line, SUBJECT, id);
	}
	rc = tx_end_audit(c, own, rc, who, "create", SUBJECT, id, child_id);
	if (rc == ERR_OK && episode_id)
		*episode_id = id;
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

int episode_read(struct db_conn *c, const struct actor *who,
		 int64_t episode_id, struct arena *a, struct episode *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct episode v = {0};
	rc = rows_get(c, &st_ep_get, &q, who->council, episode_id);
	if (rc == ERR_OK) {
		fields_row(q, 0, &episode_view, &v, a);
		db_done(q);
		ep_derive(NULL, NULL, &v, (void *)who);
		rc = act_audit(c, who, "read", SUBJECT, v.episode_id,
			       v.child_id);
	}
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = v;
	return rc;
}

/* Open first, then the newest opened, then the higher id. */
static int cmp_child(const void *pa, const void *pb)
{
	const struct episode *x = pa, *y = pb;
	if (x->open != y->open)
		return x->open ? -1 : 1;
	int k = strcmp(y->opened_on, x->opened_on);
	return k ? k : (y->episode_id > x->episode_id) -
			       (y->episode_id < x->episode_id);
}

int episode_list_child(struct db_conn *c, const struct actor *who,
		       int64_t child_id, struct arena *a,
		       struct episode **rows, int *n)
{
	return rows_sorted(c, a, &st_ep_child, &ep_rows, (void *)who, cmp_child,
			   0, rows, n, who->council, child_id);
}

int episode_list(struct db_conn *c, const struct actor *who,
		 const struct episode_filter *f, struct arena *a,
		 struct episode **rows, int *n, int64_t *next)
{
	int64_t limit = f->limit < 1 ? 1 : f->limit > 200 ? 200 : f->limit;
	return rows_shown(c, who, a, &st_ep_list, &ep_rows, &ep_shown,
			  (void *)who, limit, rows, n, next, who->council,
			  f->cursor > 0 ? f->cursor : 0, f->unallocated,
			  f->worker_id > 0 ? f->worker_id : 0,
			  f->team_id > 0 ? f->team_id : 0, limit + 1);
}

static const struct row_map out_rows = {
	sizeof(struct episode_outcome), NULL, 0, NULL, &episode_outcome_view,
};
static const struct row_map act_rows = {
	sizeof(struct episode_action), NULL, 0, NULL, &episode_action_view,
};
static const struct row_map rev_rows = {
	sizeof(struct episode_review), NULL, 0, NULL, &episode_review_view,
};
static const struct row_map mem_rows = {
	sizeof(struct episode_member), NULL, 0, NULL, &episode_member_view,
};
static const struct row_map alloc_rows = {
	sizeof(struct episode_allocation), NULL, 0, NULL,
	&episode_allocation_view,
};

int episode_outcomes(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, struct arena *a,
		     struct episode_outcome **rows, int *n)
{
	return rows_list(c, a, &st_out_list, &out_rows, NULL, rows, n,
			 who->council, episode_id);
}

int episode_actions(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_action **rows, int *n)
{
	return rows_list(c, a, &st_act_list, &act_rows, NULL, rows, n,
			 who->council, episode_id);
}

int episode_reviews(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_review **rows, int *n)
{
	return rows_list(c, a, &st_rev_list, &rev_rows, NULL, rows, n,
			 who->council, episode_id);
}

int episode_members(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, struct arena *a,
		    struct episode_member **rows, int *n)
{
	return rows_list(c, a, &st_mem_list, &mem_rows, NULL, rows, n,
			 who->council, episode_id);
}

int episode_allocations(struct db_conn *c, const struct actor *who,
			int64_t episode_id, struct arena *a,
			struct episode_allocation **rows, int *n)
{
	return rows_list(c, a, &st_alloc_list, &alloc_rows, NULL, rows, n,
			 who->council, episode_id);
}

/* ---- the plan ---------------------------------------------------------- */

int episode_plan_set(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, int64_t episode_id,
		     const struct episode_plan_input *in,
		     struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_plan_type, in, who, e);
	struct cal_date ps = {0, 0, 0}, pe;
	bool has_start = field_date(in->plan_start, &ps);
	bool has_end = field_date(in->plan_end, &pe);
	if (in->section17 && !has_start && !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Enter the date the child in need plan "
		       "started");
	if (has_end && !has_start && !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Enter the date the plan started, as "
		       "it has ended");
	if (has_end && has_start && cal_compare(pe, ps) < 0 &&
	    !fe_for(e, "plan_end"))
		fe_set(e, "plan_end", "Date the plan ended must be the same as "
		       "or after the date the plan started");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	int type = rc == ERR_OK ? type_of(s.case_type) : -1;
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	if (rc == ERR_OK && type != EPISODE_FAMILY_HELP) {
		if (in->section17)
			fe_set(e, "section17", "Only a Family Help case can be "
			       "a section 17 child in need plan");
		if (has_start || has_end)
			fe_set(e, has_start ? "plan_start" : "plan_end",
			       "Only a Family Help case has its plan dates "
			       "recorded here; leave the dates empty");
	}
	if (rc == ERR_OK && has_start && cal_compare(ps, s.opened) < 0 &&
	    !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "Date the plan started must be the same "
		       "as or after the date the case opened");
	/* L01's items follow the reviews from the plan's start: fixed once
	 * a review is recorded */
	bool moved = has_start != s.has_plan ||
		     (has_start && cal_compare(ps, s.plan_start) != 0);
	if (rc == ERR_OK && s.reviews > 0 && moved && !fe_for(e, "plan_start"))
		fe_set(e, "plan_start", "The plan has been reviewed, so the date "
		       "it started cannot change");
	if (rc == ERR_OK && has_end && s.has_review &&
	    cal_compare(pe, s.last_review) < 0 && !fe_for(e, "plan_end"))
		fe_set(e, "plan_end", "Date the plan ended must be the same as "
		       "or after its last review");
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (rc == ERR_OK)
		rc = rows_change(c, &st_ep_plan, who->council, episode_id,
				 in->primary_need, in->section17,
				 has_start ? in->plan_start : NULL,
				 has_end ? in->plan_end : NULL);
	if (rc == ERR_OK && moved && type == EPISODE_FAMILY_HELP) {
		if (has_start)
			rc = due_start(c, who, L01, cal, SUBJECT, episode_id,
				       s.child_id, (struct cal_time){ps, 0, 0},
				       NULL);
		else
			rc = due_stop(c, who, L01, SUBJECT, episode_id);
		/* keep the items on the worker's list */
		if (rc == ERR_OK && has_start && s.allocated)
			rc = due_assign(c, who, SUBJECT, episode_id, s.worker_id,
					s.team_id);
	}
	return tx_end_audit(c, own, rc, who, "plan", SUBJECT, episode_id,
			    s.child_id);
}

int episode_outcome_add(struct db_conn *c, const struct actor *who,
			int64_t episode_id,
			const struct episode_outcome_input *in, int64_t *id,
			struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_outcome_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t oid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council,
					    "episode_plan_outcome", &oid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_out_ins, who->council, oid, episode_id,
				s.child_id, in->outcome, created, who->user_id);
	rc = tx_end_audit(c, own, rc, who, "outcome", SUBJECT, episode_id,
			  s.child_id);
	if (rc == ERR_OK && id)
		*id = oid;
	return rc;
}

int episode_action_add(struct db_conn *c, const struct actor *who,
		       int64_t episode_id,
		       const struct episode_action_input *in, int64_t *id,
		       struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_action_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	struct cal_date due;
	if (rc == ERR_OK && field_date(in->due_on, &due) &&
	    cal_compare(due, s.opened) < 0 && !fe_for(e, "due_on"))
		fe_set(e, "due_on", "Date it is due must be the same as or "
		       "after the date the case opened");
	if (rc == ERR_OK && in->outcome_id > 0) {
		struct db_q *q;
		int k = rows_get(c, &st_out_of, &q, who->council,
				 in->outcome_id, episode_id);
		if (k == ERR_OK)
			db_done(q);
		else if (k == ERR_NOTFOUND)
			fe_set(e, "outcome_id", "Select one of this case's "
			       "outcomes");
		else
			rc = k;
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t aid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council,
					    "episode_plan_action", &aid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_act_ins, who->council, aid, episode_id,
				s.child_id, in->outcome_id, in->action,
				in->owner, in->due_on, created, who->user_id);
	rc = tx_end_audit(c, own, rc, who, "action", SUBJECT, episode_id,
			  s.child_id);
	if (rc == ERR_OK && id)
		*id = aid;
	return rc;
}

/* ---- reviews ----------------------------------------------------------- */

#define OUTCOMES_MAX 30

/* The field of the n-th outcome's progress (by its place in the plan,
 * from 1: the form's radio groups are named so). */
#define PN(n) "progress_" #n
static const char *const progress_names[OUTCOMES_MAX] = {
	PN(1), PN(2), PN(3), PN(4), PN(5), PN(6), PN(7), PN(8), PN(9),
	PN(10), PN(11), PN(12), PN(13), PN(14), PN(15), PN(16), PN(17),
	PN(18), PN(19), PN(20), PN(21), PN(22), PN(23), PN(24), PN(25),
	PN(26), PN(27), PN(28), PN(29), PN(30),
};

int episode_review_add(struct db_conn *c, const struct actor *who,
		       const struct cal *cal, int64_t episode_id,
		       const struct episode_review_input *in, int64_t *id,
		       struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_review_type, in, who, e);
	struct cal_date rd;
	bool has_date = field_date(in->review_date, &rd) &&
			!fe_for(e, "review_date");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	if (rc == ERR_OK && type_of(s.case_type) != EPISODE_FAMILY_HELP)
		fe_set(e, "case", "Reviews here are of a Family Help plan; this "
		       "case's reviews are recorded with its own plan");
	else if (rc == ERR_OK && !s.has_plan)
		fe_set(e, "review_date", "Record the date the plan started "
		       "before its first review");
	else if (rc == ERR_OK && has_date && cal_compare(rd, s.plan_start) < 0)
		fe_set(e, "review_date", "Date of the review must be the same as "
		       "or after the date the plan started");
	else if (rc == ERR_OK && has_date && s.has_review &&
		 cal_compare(rd, s.last_review) < 0)
		fe_set(e, "review_date", "Date of the review must be the same as "
		       "or after the last review");
	/* progress on every outcome, once, from the list */
	int64_t outs[OUTCOMES_MAX];
	int nouts = 0;
	if (rc == ERR_OK) {
		struct db_q *q;
		int k = db_exec(c, &st_out_ids, &q, who->council, episode_id);
		for (; k == DB_ROW; k = db_step(q))
			if (nouts < OUTCOMES_MAX)
				outs[nouts++] = db_col_i64(q, 0);
		rc = err_from_db(k);
	}
	if (rc == ERR_OK && nouts == 0 && !e->n)
		fe_set(e, "progress", "Add the outcomes the plan wants before "
		       "reviewing it");
	for (int i = 0; rc == ERR_OK && i < in->nprogress; i++) {
		const struct episode_progress *p = &in->progress[i];
		bool known = false;
		for (int j = 0; j < nouts; j++)
			known = known || outs[j] == p->outcome_id;
		if (!known)
			fe_set(e, "progress", "Progress was given for an outcome "
			       "that is not this case's");
		else if (codes_index(episode_progress_codes, p->progress) < 0)
			fe_set(e, "progress", "Select the progress on each "
			       "outcome from the list");
		for (int j = 0; j < i; j++)
			if (in->progress[j].outcome_id == p->outcome_id)
				fe_set(e, "progress", "Give the progress on "
				       "each outcome once");
	}
	for (int j = 0; rc == ERR_OK && j < nouts; j++) {
		bool given = false;
		for (int i = 0; i < in->nprogress; i++)
			given = given || in->progress[i].outcome_id == outs[j];
		if (!given)
			fe_addf(e, progress_names[j], "Select the progress on "
				"outcome %d", j + 1);
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t rid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "episode_review",
					    &rid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_rev_ins, who->council, rid, episode_id,
				s.child_id, in->review_date, created,
				who->user_id);
	for (int i = 0; rc == ERR_OK && i < in->nprogress; i++)
		rc = rows_write(c, &st_prog_ins, who->council, rid,
				in->progress[i].outcome_id, s.child_id,
				in->progress[i].progress);
	/* L01 met: the next review falls due from this one */
	if (rc == ERR_OK)
		rc = due_meet(c, who, L01, cal, SUBJECT, episode_id,
			      (struct cal_time){rd, 0, 0});
	if (rc == ERR_OK)
		rc = chron_note(c, who, s.child_id, (struct cal_time){rd, 0, 0},
				false, "case_review", EPISODE_REVIEW_SUMMARY,
				SUBJECT, episode_id);
	rc = tx_end_audit(c, own, rc, who, "review", SUBJECT, episode_id,
			  s.child_id);
	if (rc == ERR_OK && id)
		*id = rid;
	return rc;
}

/* ---- members ----------------------------------------------------------- */

int episode_member_add(struct db_conn *c, const struct actor *who,
		       int64_t episode_id,
		       const struct episode_member_input *in, int64_t *id,
		       struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_member_type, in, who, e);
	bool net = in->network_member_id > 0, kid = in->member_child_id > 0;
	if (net == kid)
		fe_set(e, "network_member_id", net
		       ? "Choose either a family or network member or another "
			 "child, not both"
		       : "Select a family or network member, or another child");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	struct db_q *q;
	if (rc == ERR_OK && net && !kid) {
		int k = rows_get(c, &st_net_of, &q, who->council, s.child_id,
				 in->network_member_id);
		if (k == ERR_OK)
			db_done(q);
		else if (k == ERR_NOTFOUND)
			fe_set(e, "network_member_id", "Select someone from the "
			       "child's family and network");
		else
			rc = k;
	}
	if (rc == ERR_OK && kid && !net) {
		int k = in->member_child_id == s.child_id ? ERR_NOTFOUND
			: rows_get(c, &st_child_of, &q, who->council,
				   in->member_child_id);
		if (k == ERR_OK)
			db_done(q);
		else if (k == ERR_NOTFOUND)
			fe_set(e, "member_child_id", "The child was not found; "
			       "select another child of the family");
		else
			rc = k;
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t mid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "episode_member",
					    &mid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_mem_ins, who->council, mid, episode_id,
				s.child_id, db_id(in->network_member_id),
				db_id(in->member_child_id), created,
				who->user_id);
	rc = tx_end_audit(c, own, rc, who, "member", SUBJECT, episode_id,
			  s.child_id);
	if (rc == ERR_OK && id)
		*id = mid;
	return rc;
}

/* ---- allocation -------------------------------------------------------- */

/* A setting's text into out ("" when unset). */
static int setting(struct db_conn *c, const char *council, const char *key,
		   char *out, size_t n)
{
	struct db_q *q;
	out[0] = '\0';
	int rc = rows_get(c, &st_setting, &q, council, key);
	if (rc == ERR_OK) {
		snprintf(out, n, "%s", db_col_text(q, 0) ? db_col_text(q, 0)
							 : "");
		db_done(q);
	}
	return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

bool episode_lead_role(struct db_conn *c, const char *council,
		       const char *role)
{
	char v[200];
	if (role == NULL || setting(c, council, "episode_lead_roles", v,
				    sizeof(v)) != ERR_OK)
		return false;
	if (v[0] == '\0')
		snprintf(v, sizeof(v), "social-worker,team-manager");
	size_t n = strlen(role);
	for (const char *p = v; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, role, n) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/* A decimal weight "1", "1.5", "1.25" in hundredths; -1 when not one
 * (0.01 to 99.99). */
static int64_t weight_parse(const char *s)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, places = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (digits == 0 || digits > 2)
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && places < 2; p++, places++)
			frac = frac * 10 + (*p - '0');
		if (places == 0)
			return -1;
		if (places == 1)
			frac *= 10;
	}
	int64_t v = whole * 100 + frac;
	return *p == '\0' && v > 0 ? v : -1;
}

int episode_weights(struct db_conn *c, const char *council,
		    int64_t out[EPISODE_TYPE__MAX])
{
	static const int64_t def[EPISODE_TYPE__MAX] = {
		EPISODE_WEIGHT_FAMILY_HELP, EPISODE_WEIGHT_CHILD_PROTECTION,
		EPISODE_WEIGHT_LOOKED_AFTER,
	};
	for (int i = 0; i < EPISODE_TYPE__MAX; i++) {
		char key[64], v[32];
		snprintf(key, sizeof(key), "episode_weight_%s",
			 episode_type_codes[i].code);
		int rc = setting(c, council, key, v, sizeof(v));
		if (rc != ERR_OK)
			return rc;
		int64_t w = v[0] ? weight_parse(v) : -1;
		out[i] = w > 0 ? w : def[i];
	}
	return ERR_OK;
}

/* A user chosen as lead or manager, as the store has them. */
struct person {
	char name[128];
	char role[32];
	char team[128];
	int64_t team_id;
	bool disabled;
};

/* ERR_OK, ERR_NOTFOUND (not a user of the council) or a store error. */
static int person_read(struct db_conn *c, const char *council, int64_t id,
		       struct person *p)
{
	struct db_q *q;
	int rc = rows_get(c, &st_user, &q, council, id);
	if (rc != ERR_OK)
		return rc;
	snprintf(p->name, sizeof(p->name), "%s", db_col_text(q, 0));
	snprintf(p->role, sizeof(p->role), "%s", db_col_text(q, 1));
	p->disabled = db_col_i64(q, 2) != 0;
	p->team_id = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
	snprintf(p->team, sizeof(p->team), "%s",
		 db_col_text(q, 4) ? db_col_text(q, 4) : "");
	db_done(q);
	return ERR_OK;
}

int episode_allocate(struct db_conn *c, const struct actor *who,
		     int64_t episode_id,
		     const struct episode_allocation_input *in,
		     struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_allocation_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed)
		rc = refuse_closed(e);
	struct person w = {.name = ""}, m = {.name = ""};
	bool has_w = false;
	int64_t team_id = in->team_id;
	char team[128] = "";
	if (rc == ERR_OK && in->worker_id > 0) {
		int k = person_read(c, who->council, in->worker_id, &w);
		has_w = k == ERR_OK;
		if (k == ERR_NOTFOUND)
			fe_set(e, "worker_id", "The lead practitioner was not "
			       "found in your council; select one from the list");
		else if (k != ERR_OK)
			rc = k;
		else if (w.disabled)
			fe_addf(e, "worker_id", "%.60s's account is disabled; "
				"select another lead practitioner", w.name);
		else if (!episode_lead_role(c, who->council, w.role))
			fe_addf(e, "worker_id", "%.60s's role may not lead a "
				"case in your council; select another lead "
				"practitioner", w.name);
	}
	if (rc == ERR_OK && in->manager_id > 0) {
		int k = person_read(c, who->council, in->manager_id, &m);
		if (k == ERR_NOTFOUND)
			fe_set(e, "manager_id", "The manager was not found in "
			       "your council; select one from the list");
		else if (k != ERR_OK)
			rc = k;
		else if (m.disabled)
			fe_addf(e, "manager_id", "%.60s's account is disabled; "
				"select another manager", m.name);
		else if (strcmp(m.role, "team-manager") != 0)
			fe_addf(e, "manager_id", "%.60s is not a team manager; "
				"select a team manager", m.name);
		else if (in->manager_id == in->worker_id)
			fe_set(e, "manager_id", "The supervising manager must be "
			       "someone other than the lead practitioner");
	}
	/* no team chosen: the worker's own */
	if (rc == ERR_OK && team_id <= 0 && has_w) {
		team_id = w.team_id;
		if (team_id == 0)
			fe_addf(e, "team_id", "%.60s has no team recorded; "
				"select a team", w.name);
	}
	if (rc == ERR_OK && team_id > 0) {
		struct db_q *q;
		int k = rows_get(c, &st_team, &q, who->council, team_id);
		if (k == ERR_OK) {
			snprintf(team, sizeof(team), "%s", db_col_text(q, 0));
			db_done(q);
		} else if (k == ERR_NOTFOUND)
			fe_set(e, "team_id", "The team was not found in your "
			       "council; select a team from the list");
		else
			rc = k;
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	char at[17];
	cal_time_format(who->civil, at);
	int64_t aid = 0;
	if (rc == ERR_OK)
		rc = rows_change(c, &st_ep_alloc, who->council, episode_id,
				 team_id, in->worker_id, in->manager_id, at);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council,
					    "episode_allocation", &aid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_alloc_ins, who->council, aid, episode_id,
				s.child_id, team_id, in->worker_id,
				in->manager_id, at, who->user_id);
	/* the case's clocks are now on the worker's list */
	if (rc == ERR_OK)
		rc = due_assign(c, who, SUBJECT, episode_id, in->worker_id,
				team_id);
	if (rc == ERR_OK) {
		char line[300];
		snprintf(line, sizeof(line), "Case allocated to %s, %s", w.name,
			 team);
		rc = chron_note(c, who, s.child_id, who->civil, true,
				"allocation", line, SUBJECT, episode_id);
	}
	return tx_end_audit(c, own, rc, who,
			    s.allocated ? "reallocate" : "allocate", SUBJECT,
			    episode_id, s.child_id);
}

/* ---- caseloads --------------------------------------------------------- */

/* The row of worker id in v[0..*n), added (zeroed) when missing. */
static struct episode_caseload *load_row(struct arena *a,
					 struct episode_caseload **v, int *n,
					 int *cap, int64_t id)
{
	for (int i = 0; i < *n; i++)
		if ((*v)[i].worker_id == id)
			return &(*v)[i];
	if (*n == *cap) {
		int ncap = *cap ? 2 * *cap : 32;
		struct episode_caseload *w =
			arena_alloc(a, (size_t)ncap * sizeof(*w));
		if (w == NULL)
			return NULL;
		if (*n)
			memcpy(w, *v, (size_t)*n * sizeof(*w));
		*v = w;
		*cap = ncap;
	}
	struct episode_caseload *r = &(*v)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->worker_id = id;
	r->worker_name = r->team_name = "";
	return r;
}

static int cmp_load(const void *x, const void *y)
{
	const struct episode_caseload *p = x, *q = y;
	int k = strcmp(p->worker_name, q->worker_name);
	return k ? k : (p->worker_id > q->worker_id) - (p->worker_id < q->worker_id);
}

int episode_caseloads(struct db_conn *c, const struct actor *who,
		      int64_t team_id, struct arena *a,
		      struct episode_caseload **rows, int *n)
{
	int64_t wt[EPISODE_TYPE__MAX];
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = episode_weights(c, who->council, wt);
	struct episode_caseload *v = NULL;
	int k = 0, cap = 0;
	struct db_q *q;
	int d;
	if (rc == ERR_OK && team_id > 0) {
		d = db_exec(c, &st_team_users, &q, who->council, team_id);
		for (; d == DB_ROW; d = db_step(q)) {
			if (!episode_lead_role(c, who->council,
					       db_col_text(q, 3)))
				continue;
			struct episode_caseload *r =
				load_row(a, &v, &k, &cap, db_col_i64(q, 0));
			if (r == NULL) {
				db_done(q);
				d = DB_EIO;
				break;
			}
			r->worker_name = rows_text(a, q, 1);
			r->team_name = rows_text(a, q, 2);
		}
		rc = d == DB_EIO ? ERR_NOMEM : err_from_db(d);
	}
	if (rc == ERR_OK) {
		d = db_exec(c, &st_caseload, &q, who->council, team_id);
		for (; d == DB_ROW; d = db_step(q)) {
			struct episode_caseload *r =
				load_row(a, &v, &k, &cap, db_col_i64(q, 0));
			if (r == NULL) {
				db_done(q);
				d = DB_EIO;
				break;
			}
			r->worker_name = rows_text(a, q, 1);
			r->team_name = rows_text(a, q, 2);
			int t = type_of(db_col_text(q, 3));
			int64_t cnt = db_col_i64(q, 4);
			r->cases += cnt;
			if (t >= 0) {
				r->by_type[t] += cnt;
				r->weighted += cnt * wt[t];
			}
		}
		rc = d == DB_EIO ? ERR_NOMEM : err_from_db(d);
	}
	if (rc == ERR_OK && k > 0) {
		char today[11], now[17];
		cal_date_format(who->civil.date, today);
		cal_time_format(who->civil, now);
		d = db_exec(c, &st_overdue, &q, who->council, today, now);
		for (; d == DB_ROW; d = db_step(q)) {
			int64_t id = db_col_i64(q, 0);
			for (int i = 0; i < k; i++)
				if (v[i].worker_id == id)
					v[i].overdue = db_col_i64(q, 1);
		}
		rc = err_from_db(d);
	}
	for (int i = 0; rc == ERR_OK && i < k; i++)
		if (v[i].worker_name == NULL || v[i].team_name == NULL)
			rc = ERR_NOMEM;
	rc = tx_end(c, own, rc);
	if (rc != ERR_OK)
		return rc;
	if (k > 1)
		qsort(v, (size_t)k, sizeof(*v), cmp_load);
	*rows = v ? v : arena_alloc(a, 1);
	*n = k;
	return *rows ? ERR_OK : ERR_NOMEM;
}

/* ---- closing ----------------------------------------------------------- */

int episode_close(struct db_conn *c, const struct actor *who,
		  int64_t episode_id, const struct episode_close_input *in,
		  struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&episode_close_type, in, who, e);
	struct cal_date cd;
	bool has_date = field_date(in->closed_on, &cd) &&
			!fe_for(e, "closed_on");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s = {0};
	rc = state_read(c, who, episode_id, &s);
	if (rc == ERR_OK && s.closed) {
		fe_set(e, "case", "The case is already closed");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK && has_date && cal_compare(cd, s.opened) < 0)
		fe_set(e, "closed_on", "Date the case closed must be the same as "
		       "or after the date it opened");
	if (rc == ERR_OK && has_date && s.has_review &&
	    cal_compare(cd, s.last_review) < 0 && !fe_for(e, "closed_on"))
		fe_set(e, "closed_on", "Date the case closed must be the same as "
		       "or after its last review");
	/* the rules of step-down (closure.c) */
	struct closure_plan plan = {0};
	if (rc == ERR_OK)
		rc = closure_check(c, who, episode_id, s.child_id, s.opened,
				   has_date ? &cd : NULL, in, &plan, e);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (rc == ERR_OK)
		rc = rows_change(c, &st_ep_close, who->council, episode_id,
				 in->closed_on, in->reason);
	if (rc == ERR_OK)
		rc = closure_record(c, who, episode_id, s.child_id, cd, in,
				    &plan);
	/* nothing more falls due on a closed case */
	if (rc == ERR_OK)
		rc = due_stop(c, who, L01, SUBJECT, episode_id);
	if (rc == ERR_OK) {
		char line[160];
		const char *l = codes_label(episode_type_codes, s.case_type);
		snprintf(line, sizeof(line), "%s case closed", l ? l : "A");
		rc = chron_note(c, who, s.child_id, (struct cal_time){cd, 0, 0},
				false, "case_closed", line, SUBJECT, episode_id);
	}
	return tx_end_audit(c, own, rc, who, "close", SUBJECT, episode_id,
			    s.child_id);
}

/* ---- the chronology of records written in bulk -------------------------
 * The demo writes cases in bulk; their entries are made here with the
 * lines the live writes note.  No entry yet: none of that kind on the
 * case on that day. */
#define NO_ENTRY(t, day, K)                                               \
	" NOT EXISTS (SELECT 1 FROM chronology c WHERE c.council = " t      \
	".council AND c.link_kind = 'episode' AND c.link_id = " t           \
	".episode_id AND c.kind = '" K "' AND c.occurred = " day ")"

DB_STMT(st_bf_open) = {
	"episode_open_chron_backfill",
	"SELECT e.child_id, e.episode_id, e.opened_on, e.case_type FROM episode e"
	" WHERE e.council = ?1 AND" NO_ENTRY("e", "e.opened_on", "case_opened")
	" ORDER BY e.episode_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_alloc) = {
	"episode_alloc_chron_backfill",
	"SELECT a.child_id, a.episode_id, a.allocated_at, w.display_name, t.name"
	" FROM episode_allocation a"
	" LEFT JOIN app_user w ON w.council = a.council AND w.user_id = a.worker_id"
	" LEFT JOIN team t ON t.council = a.council AND t.team_id = a.team_id"
	" WHERE a.council = ?1 AND" NO_ENTRY("a", "a.allocated_at", "allocation")
	" ORDER BY a.allocation_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_review) = {
	"episode_review_chron_backfill",
	"SELECT r.child_id, r.episode_id, r.review_date FROM episode_review r"
	" WHERE r.council = ?1 AND" NO_ENTRY("r", "r.review_date", "case_review")
	" ORDER BY r.review_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_close) = {
	"episode_close_chron_backfill",
	"SELECT e.child_id, e.episode_id, e.closed_on, e.case_type FROM episode e"
	" WHERE e.council = ?1 AND e.closed_on IS NOT NULL AND"
	NO_ENTRY("e", "e.closed_on", "case_closed") " ORDER BY e.episode_id",
	DB_ROLE_SYSTEM,
};

static bool bf_open(struct db_q *q, char *out, size_t n)
{
	episode_open_summary(db_col_text(q, 3), out, n);
	return true;
}

static bool bf_alloc(struct db_q *q, char *out, size_t n)
{
	const char *w = db_col_text(q, 3), *t = db_col_text(q, 4);
	snprintf(out, n, "Case allocated to %s, %s", w ? w : "a worker",
		 t ? t : "");
	return true;
}

static bool bf_review(struct db_q *q, char *out, size_t n)
{
	(void)q;
	snprintf(out, n, "%s", EPISODE_REVIEW_SUMMARY);
	return true;
}

static bool bf_close(struct db_q *q, char *out, size_t n)
{
	const char *l = codes_label(episode_type_codes, db_col_text(q, 3));
	snprintf(out, n, "%s case closed", l ? l : "A");
	return true;
}

int episode_chron_backfill(struct db_conn *c, const struct actor *act,
			   int64_t *made)
{
	static const struct chron_source sources[] = {
		{&st_bf_open, "case_opened", SUBJECT, bf_open},
		{&st_bf_alloc, "allocation", SUBJECT, bf_alloc},
		{&st_bf_review, "case_review", SUBJECT, bf_review},
		{&st_bf_close, "case_closed", SUBJECT, bf_close},
	};
	return chron_backfill(c, act, sources,
			      sizeof(sources) / sizeof(sources[0]), made);
}
