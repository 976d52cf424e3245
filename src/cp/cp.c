/* cp.c: see cp.h for the contract. */
#include "cp/cp.h"
#include "auth/role.h"
#include "child/child.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/rows.h"
#include "episode/episode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c (PERM_CP_READ,
 * PERM_CP_STRATEGY_READ, PERM_CP_WRITE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define STRATEGY_ROLES (RB_PRACTICE | RB_PARTNER | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

/* ---- code lists ------------------------------------------------------- */

const struct field_code cp_agency_codes[] = {
	{"police", "Police"},
	{"health", "Health"},
	{"education", "Education"},
	{"social_care", "Children's social care"},
	{"other", "Another agency"},
	{NULL, NULL},
};

const struct field_code cp_strategy_decision_codes[] = {
	{"s47", "Start a section 47 enquiry"},
	{"nfa", "No further action"},
	{"other", "Another course of action"},
	{NULL, NULL},
};

const struct field_code cp_icpc_decision_codes[] = {
	{"plan", "Child protection plan"},
	{"no_plan", "No child protection plan"},
	{NULL, NULL},
};

const struct field_code cp_review_decision_codes[] = {
	{"continue", "Continue the plan"},
	{"end", "End the plan"},
	{NULL, NULL},
};

/* The CIN census's categories of abuse, the codes of
 * ../shared/domain/codes/cin_cp_category_of_abuse.csv (shipped as
 * data/codes/cin_cp_category_of_abuse.csv); cp_test checks them. */
const struct field_code cp_category_codes[] = {
	{"NEG", "Neglect"},
	{"PHY", "Physical abuse"},
	{"SAB", "Sexual abuse"},
	{"EMO", "Emotional abuse"},
	{"MUL", "Multiple categories"},
	{NULL, NULL},
};

/* Why a plan ended: no census list; these are the reasons a review
 * conference (or a move) ends one. */
const struct field_code cp_end_reason_codes[] = {
	{"no_longer_at_risk", "No longer at continuing risk of significant "
			      "harm"},
	{"looked_after", "Became looked after"},
	{"moved_away", "Moved to another council's area"},
	{"adult", "Reached 18"},
	{"other", "Another reason"},
	{NULL, NULL},
};

const struct field_code cp_yes_no_codes[] = {
	{"yes", "Yes"}, {"no", "No"}, {NULL, NULL},
};

static const struct field_code kind_codes[] = {
	{"initial", "Initial conference"},
	{"review", "Review conference"},
	{NULL, NULL},
};

static const struct field_code conf_decision_codes[] = {
	{"plan", "Child protection plan"},
	{"no_plan", "No child protection plan"},
	{"continue", "Continue the plan"},
	{"end", "End the plan"},
	{NULL, NULL},
};

/* ---- fields ---------------------------------------------------------- */

#define SI(m) offsetof(struct cp_strategy_input, m)
static const struct field strategy_fields[] = {
	{.name = "held_on", .label = "Date of the strategy discussion",
	 .what = "the date of the strategy discussion", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE, .offset = SI(held_on)},
	{.name = "decision", .label = "Decision", .what = "the decision",
	 .type = FT_CODE, .required = true, .radios = true,
	 .codes = cp_strategy_decision_codes, .offset = SI(decision)},
	{.name = "decision_note", .label = "What was decided",
	 .hint = "Needed when the decision is another course of action",
	 .what = "what was decided", .type = FT_LONGTEXT,
	 .max = CP_NARRATIVE_MAX, .rules = FR_SOMETIMES,
	 .offset = SI(decision_note)},
	{.name = "lead_id", .label = "Lead child protection practitioner",
	 .hint = "A social worker or team manager of the council",
	 .type = FT_REF, .required = true,
	 .missing = "Select the lead child protection practitioner",
	 .offset = SI(lead_id)},
};
const struct record_type cp_strategy_type = {"cp_strategy_input",
					     strategy_fields, 4};

#define F_AGENCY(T)                                                         \
	{.name = "agency", .label = "Agency", .what = "the agency",           \
	 .type = FT_CODE, .required = true, .radios = true,                   \
	 .codes = cp_agency_codes, .offset = offsetof(T, agency)}
#define F_NAME(T)                                                           \
	{.name = "name", .label = "Name", .what = "the person's name",        \
	 .type = FT_TEXT, .required = true, .max = CP_TEXT_MAX,               \
	 .offset = offsetof(T, name)}
#define F_ROLE(T)                                                           \
	{.name = "role", .label = "Role", .hint = "For example, detective "   \
	 "sergeant or school nurse", .type = FT_TEXT, .max = CP_TEXT_MAX,     \
	 .offset = offsetof(T, role)}

static const struct field participant_fields[] = {
	F_AGENCY(struct cp_participant_input),
	F_NAME(struct cp_participant_input),
	F_ROLE(struct cp_participant_input),
	{.name = "shared", .label = "Information shared",
	 .hint = "What this agency knew and told the discussion",
	 .type = FT_LONGTEXT, .max = CP_NARRATIVE_MAX,
	 .offset = offsetof(struct cp_participant_input, shared)},
	{.name = "org_id", .label = "Organisation",
	 .hint = "A partner organisation whose staff may then read this "
	 "discussion", .type = FT_REF,
	 .offset = offsetof(struct cp_participant_input, org_id)},
};
const struct record_type cp_participant_type = {"cp_participant_input",
						participant_fields, 5};

static const struct field s47_fields[] = {
	{.name = "started_on", .label = "Date the enquiry started",
	 .what = "the date the enquiry started", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .offset = offsetof(struct cp_s47_input, started_on)},
};
const struct record_type cp_s47_type = {"cp_s47_input", s47_fields, 1};

#define SO(m) offsetof(struct cp_s47_outcome, m)
static const struct field s47_outcome_fields[] = {
	{.name = "concluded_on", .label = "Date the enquiry concluded",
	 .what = "the date the enquiry concluded", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE, .offset = SO(concluded_on)},
	{.name = "findings", .label = "Findings", .what = "the findings",
	 .type = FT_LONGTEXT, .required = true, .max = CP_NARRATIVE_MAX,
	 .offset = SO(findings)},
	{.name = "substantiated", .label = "Were the concerns substantiated?",
	 .what = "whether the concerns were substantiated", .type = FT_CODE,
	 .required = true, .radios = true, .codes = cp_yes_no_codes,
	 .offset = SO(substantiated)},
	{.name = "conference", .label = "Is a child protection conference "
	 "needed?", .what = "whether a conference is needed", .type = FT_CODE,
	 .required = true, .radios = true, .codes = cp_yes_no_codes,
	 .offset = SO(conference)},
};
const struct record_type cp_s47_outcome_type = {"cp_s47_outcome",
						s47_outcome_fields, 4};

#define IC(m) offsetof(struct cp_icpc_input, m)
static const struct field icpc_fields[] = {
	{.name = "held_on", .label = "Date of the conference",
	 .what = "the date of the conference", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE, .offset = IC(held_on)},
	{.name = "pre_birth", .label = "Is this a pre-birth conference?",
	 .hint = "About an unborn child", .what = "whether this is a "
	 "pre-birth conference", .type = FT_CODE, .required = true,
	 .radios = true, .codes = cp_yes_no_codes, .offset = IC(pre_birth)},
	{.name = "decision", .label = "Decision", .what = "the decision",
	 .type = FT_CODE, .required = true, .radios = true,
	 .codes = cp_icpc_decision_codes, .offset = IC(decision)},
};
const struct record_type cp_icpc_type = {"cp_icpc_input", icpc_fields, 3};

static const struct field review_fields[] = {
	{.name = "held_on", .label = "Date of the review conference",
	 .what = "the date of the review conference", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .offset = offsetof(struct cp_review_input, held_on)},
	{.name = "decision", .label = "Decision", .what = "the decision",
	 .type = FT_CODE, .required = true, .radios = true,
	 .codes = cp_review_decision_codes,
	 .offset = offsetof(struct cp_review_input, decision)},
};
const struct record_type cp_review_type = {"cp_review_input", review_fields,
					   2};

static const struct field attendee_fields[] = {
	F_AGENCY(struct cp_attendee_input),
	F_NAME(struct cp_attendee_input),
	F_ROLE(struct cp_attendee_input),
	{.name = "report", .label = "Was the agency's report received?",
	 .what = "whether the agency's report was received", .type = FT_CODE,
	 .required = true, .radios = true, .codes = cp_yes_no_codes,
	 .offset = offsetof(struct cp_attendee_input, report)},
};
const struct record_type cp_attendee_type = {"cp_attendee_input",
					     attendee_fields, 4};

static const struct field plan_fields[] = {
	{.name = "category", .label = "Category of abuse",
	 .what = "the category of abuse", .type = FT_CODE, .required = true,
	 .radios = true, .codes = cp_category_codes,
	 .offset = offsetof(struct cp_plan_input, category)},
	/* R11: the plan sets how often the child is visited */
	{.name = "visit_days", .label = "Working days between visits",
	 .hint = "The child must be seen on a visit at least this often. "
		 "Leave empty to use the council's usual frequency.",
	 .what = "the working days between visits", .type = FT_INT,
	 .max = 60, .offset = offsetof(struct cp_plan_input, visit_days)},
};
const struct record_type cp_plan_type = {"cp_plan_input", plan_fields, 2};

static const struct field plan_end_fields[] = {
	{.name = "ended_on", .label = "Date the plan ended",
	 .what = "the date the plan ended", .type = FT_DATE, .required = true,
	 .rules = FR_NOT_FUTURE,
	 .offset = offsetof(struct cp_plan_end_input, ended_on)},
	{.name = "reason", .label = "Why the plan ended",
	 .what = "why the plan ended", .type = FT_CODE, .required = true,
	 .radios = true, .codes = cp_end_reason_codes,
	 .offset = offsetof(struct cp_plan_end_input, reason)},
};
const struct record_type cp_plan_end_type = {"cp_plan_end_input",
					     plan_end_fields, 2};

static const struct field core_fields[] = {
	{.name = "held_on", .label = "Date of the core group meeting",
	 .what = "the date of the core group meeting", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE,
	 .offset = offsetof(struct cp_core_group_input, held_on)},
};
const struct record_type cp_core_group_type = {"cp_core_group_input",
					       core_fields, 1};

/* ---- views ----------------------------------------------------------- */

#define PV(m) offsetof(struct cp_participant, m)
static const struct field participant_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = PV(participant_id)},
	{.name = "agency", .label = "Agency", .type = FT_CODE,
	 .codes = cp_agency_codes, .out = FO_LABEL, .offset = PV(agency)},
	{.name = "name", .label = "Name", .type = FT_TEXT, .offset = PV(name)},
	{.name = "role", .label = "Role", .type = FT_TEXT, .offset = PV(role)},
	{.name = "shared", .label = "Information shared", .type = FT_LONGTEXT,
	 .offset = PV(shared)},
	{.name = "org_id", .type = FT_REF, .offset = PV(org_id)},
};
const struct record_type cp_participant_view = {"cp_participant",
						participant_view_fields, 6};

#define STV(m) offsetof(struct cp_strategy, m)
static const struct field strategy_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = STV(strategy_id)},
	{.name = "child_id", .type = FT_INT, .offset = STV(child_id)},
	{.name = "held_on", .label = "Date", .type = FT_DATE,
	 .offset = STV(held_on)},
	{.name = "decision", .label = "Decision", .type = FT_CODE,
	 .codes = cp_strategy_decision_codes, .out = FO_LABEL,
	 .offset = STV(decision)},
	{.name = "decision_note", .label = "What was decided",
	 .type = FT_LONGTEXT, .offset = STV(decision_note)},
	{.name = "lead_id", .type = FT_REF, .offset = STV(lead_id)},
	{.name = "lead_name", .label = "Lead child protection practitioner",
	 .type = FT_TEXT, .out = FO_HIDDEN, .offset = STV(lead_name)},
	{.name = "s47_id", .type = FT_REF, .offset = STV(s47_id)},
};
const struct record_type cp_strategy_view = {"cp_strategy",
					     strategy_view_fields, 8};

#define S4(m) offsetof(struct cp_s47, m)
static const struct field s47_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = S4(s47_id)},
	{.name = "child_id", .type = FT_INT, .offset = S4(child_id)},
	{.name = "strategy_id", .type = FT_REF, .offset = S4(strategy_id)},
	{.name = "strategy_on", .label = "Strategy discussion",
	 .type = FT_DATE, .offset = S4(strategy_on)},
	{.name = "started_on", .label = "Started", .type = FT_DATE,
	 .offset = S4(started_on)},
	{.name = "concluded_on", .label = "Concluded", .type = FT_DATE,
	 .offset = S4(concluded_on)},
	{.name = "findings", .label = "Findings", .type = FT_LONGTEXT,
	 .offset = S4(findings)},
	{.name = "substantiated", .label = "Concerns substantiated",
	 .type = FT_CODE, .codes = cp_yes_no_codes,
	 .offset = S4(substantiated)},
	{.name = "conference", .label = "Conference needed", .type = FT_CODE,
	 .codes = cp_yes_no_codes, .offset = S4(conference)},
	{.name = "icpc_due", .label = "Initial conference due",
	 .type = FT_DATE, .offset = S4(icpc_due)},
	{.name = "conference_id", .type = FT_REF, .offset = S4(conference_id)},
};
const struct record_type cp_s47_view = {"cp_s47", s47_view_fields, 11};

#define AV(m) offsetof(struct cp_attendee, m)
static const struct field attendee_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = AV(attendee_id)},
	{.name = "agency", .label = "Agency", .type = FT_CODE,
	 .codes = cp_agency_codes, .out = FO_LABEL, .offset = AV(agency)},
	{.name = "name", .label = "Name", .type = FT_TEXT, .offset = AV(name)},
	{.name = "role", .label = "Role", .type = FT_TEXT, .offset = AV(role)},
	{.name = "report", .label = "Report received", .type = FT_BOOL,
	 .offset = AV(report)},
};
const struct record_type cp_attendee_view = {"cp_attendee",
					     attendee_view_fields, 5};

#define CV(m) offsetof(struct cp_conference, m)
static const struct field conf_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = CV(conference_id)},
	{.name = "child_id", .type = FT_INT, .offset = CV(child_id)},
	{.name = "kind", .label = "Conference", .type = FT_CODE,
	 .codes = kind_codes, .out = FO_LABEL, .offset = CV(kind)},
	{.name = "s47_id", .type = FT_REF, .offset = CV(s47_id)},
	{.name = "plan_id", .type = FT_REF, .offset = CV(plan_id)},
	{.name = "held_on", .label = "Date", .type = FT_DATE,
	 .offset = CV(held_on)},
	{.name = "pre_birth", .label = "Pre-birth", .type = FT_BOOL,
	 .offset = CV(pre_birth)},
	{.name = "decision", .label = "Decision", .type = FT_CODE,
	 .codes = conf_decision_codes, .out = FO_LABEL,
	 .offset = CV(decision)},
};
const struct record_type cp_conference_view = {"cp_conference",
					       conf_view_fields, 8};

#define PL(m) offsetof(struct cp_plan, m)
static const struct field plan_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = PL(plan_id)},
	{.name = "child_id", .type = FT_INT, .offset = PL(child_id)},
	{.name = "conference_id", .type = FT_REF, .offset = PL(conference_id)},
	{.name = "episode_id", .type = FT_REF, .offset = PL(episode_id)},
	{.name = "category", .label = "Category of abuse", .type = FT_CODE,
	 .codes = cp_category_codes, .out = FO_LABEL, .offset = PL(category)},
	{.name = "started_on", .label = "Started", .type = FT_DATE,
	 .offset = PL(started_on)},
	{.name = "ended_on", .label = "Ended", .type = FT_DATE,
	 .offset = PL(ended_on)},
	{.name = "end_reason", .label = "Why it ended", .type = FT_CODE,
	 .codes = cp_end_reason_codes, .out = FO_LABEL,
	 .offset = PL(end_reason)},
	{.name = "core_due", .label = "First core group due", .type = FT_DATE,
	 .offset = PL(core_due)},
	{.name = "core_first", .label = "First core group", .type = FT_DATE,
	 .offset = PL(core_first)},
	{.name = "core_next", .label = "Next core group due", .type = FT_DATE,
	 .offset = PL(core_next)},
	{.name = "review_due", .label = "Next review conference due",
	 .type = FT_DATE, .offset = PL(review_due)},
	{.name = "core_groups", .label = "Core group meetings", .type = FT_INT,
	 .offset = PL(core_groups)},
	{.name = "reviews", .label = "Review conferences", .type = FT_INT,
	 .offset = PL(reviews)},
	{.name = "visit_days", .label = "Working days between visits",
	 .type = FT_INT, .offset = PL(visit_days)},
	{.name = "visit_next", .label = "Next visit due", .type = FT_DATE,
	 .offset = PL(visit_next)},
	{.name = "open", .type = FT_BOOL, .out = FO_DERIVED, .offset = PL(open)},
	{.name = "repeat", .label = "Repeat plan", .type = FT_BOOL,
	 .out = FO_DERIVED, .offset = PL(repeat)},
	{.name = "two_years", .label = "Two years or more", .type = FT_BOOL,
	 .out = FO_DERIVED, .offset = PL(two_years)},
};
const struct record_type cp_plan_view = {"cp_plan", plan_view_fields, 19};

/* ---- statements ------------------------------------------------------- */

#define STRATEGY_COLS                                                       \
	"s.strategy_id, s.child_id, s.held_on, s.decision, s.decision_note," \
	" s.lead_id, u.display_name, (SELECT x.s47_id FROM cp_s47 x"         \
	"  WHERE x.council = s.council AND x.strategy_id = s.strategy_id)"   \
	" FROM cp_strategy s LEFT JOIN app_user u ON u.council = s.council"  \
	" AND u.user_id = s.lead_id"

DB_STMT(st_strategy_get) = {
	"cp_strategy_get",
	"SELECT " STRATEGY_COLS " WHERE s.council = ?1 AND s.strategy_id = ?2",
	STRATEGY_ROLES,
};
DB_STMT(st_strategy_child) = {
	"cp_strategy_child",
	"SELECT " STRATEGY_COLS " WHERE s.council = ?1 AND s.child_id = ?2"
	" ORDER BY s.held_on DESC, s.strategy_id DESC LIMIT 100",
	READ_ROLES,
};
DB_STMT(st_partner_took_part) = {
	"cp_partner_took_part",
	"SELECT 1 FROM cp_participant WHERE council = ?1 AND strategy_id = ?2"
	" AND org_id = ?3",
	STRATEGY_ROLES,
};
DB_STMT(st_participants) = {
	"cp_participants",
	"SELECT participant_id, agency, name, role, shared, org_id"
	" FROM cp_participant WHERE council = ?1 AND strategy_id = ?2"
	" ORDER BY participant_id",
	STRATEGY_ROLES,
};
DB_STMT(st_strategy_ins) = {
	"cp_strategy_insert",
	"INSERT INTO cp_strategy (council, strategy_id, child_id, held_on,"
	" decision, decision_note, lead_id, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	WRITE_ROLES,
};
DB_STMT(st_participant_ins) = {
	"cp_participant_insert",
	"INSERT INTO cp_participant (council, participant_id, strategy_id,"
	" child_id, agency, name, role, shared, org_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	WRITE_ROLES,
};
DB_STMT(st_user) = {
	"cp_user",
	"SELECT display_name, role, disabled FROM app_user"
	" WHERE council = ?1 AND user_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_org) = {
	"cp_org",
	"SELECT name FROM organisation WHERE council = ?1 AND org_id = ?2",
	WRITE_ROLES,
};

#define S47_COLS                                                            \
	"s.s47_id, s.child_id, s.strategy_id, st.held_on, s.started_on,"     \
	" s.concluded_on, s.findings, CASE s.substantiated WHEN 1 THEN 'yes'" \
	" WHEN 0 THEN 'no' END, CASE s.conference WHEN 1 THEN 'yes'"         \
	" WHEN 0 THEN 'no' END, d.due_at, (SELECT c.conference_id FROM"      \
	" cp_conference c WHERE c.council = s.council AND c.s47_id ="        \
	" s.s47_id) FROM cp_s47 s JOIN cp_strategy st ON st.council ="       \
	" s.council AND st.strategy_id = s.strategy_id LEFT JOIN due_item d"  \
	" ON d.council = s.council AND d.rule = 'R07' AND d.subject ="       \
	" 'cp_s47' AND d.subject_id = s.s47_id AND d.seq = 1"

DB_STMT(st_s47_get) = {
	"cp_s47_get",
	"SELECT " S47_COLS " WHERE s.council = ?1 AND s.s47_id = ?2",
	READ_ROLES,
};
DB_STMT(st_s47_child) = {
	"cp_s47_child",
	"SELECT " S47_COLS " WHERE s.council = ?1 AND s.child_id = ?2"
	" ORDER BY s.started_on DESC, s.s47_id DESC LIMIT 100",
	READ_ROLES,
};
DB_STMT(st_s47_ins) = {
	"cp_s47_insert",
	"INSERT INTO cp_s47 (council, s47_id, strategy_id, child_id,"
	" started_on, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	WRITE_ROLES,
};
DB_STMT(st_s47_conclude) = {
	"cp_s47_conclude",
	"UPDATE cp_s47 SET concluded_on = ?3, findings = ?4,"
	" substantiated = ?5, conference = ?6 WHERE council = ?1"
	" AND s47_id = ?2 AND concluded_on IS NULL",
	WRITE_ROLES,
};

#define CONF_COLS                                                           \
	"c.conference_id, c.child_id, c.kind, c.s47_id, COALESCE(c.plan_id,"  \
	" (SELECT p.plan_id FROM cp_plan p WHERE p.council = c.council"      \
	"  AND p.conference_id = c.conference_id)), c.held_on, c.pre_birth,"  \
	" c.decision FROM cp_conference c"

DB_STMT(st_conf_get) = {
	"cp_conference_get",
	"SELECT " CONF_COLS " WHERE c.council = ?1 AND c.conference_id = ?2",
	READ_ROLES,
};
DB_STMT(st_conf_child) = {
	"cp_conference_child",
	"SELECT " CONF_COLS " WHERE c.council = ?1 AND c.child_id = ?2"
	" ORDER BY c.held_on DESC, c.conference_id DESC LIMIT 100",
	READ_ROLES,
};
DB_STMT(st_conf_ins) = {
	"cp_conference_insert",
	"INSERT INTO cp_conference (council, conference_id, child_id, kind,"
	" s47_id, plan_id, held_on, pre_birth, decision, created_at,"
	" created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	WRITE_ROLES,
};
DB_STMT(st_attendees) = {
	"cp_attendees",
	"SELECT attendee_id, agency, name, role, report FROM cp_attendee"
	" WHERE council = ?1 AND conference_id = ?2 ORDER BY attendee_id",
	READ_ROLES,
};
DB_STMT(st_attendee_ins) = {
	"cp_attendee_insert",
	"INSERT INTO cp_attendee (council, attendee_id, conference_id,"
	" child_id, agency, name, role, report)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	WRITE_ROLES,
};
DB_STMT(st_last_review) = {
	"cp_last_review",
	"SELECT max(held_on), count(*) FROM cp_conference WHERE council = ?1"
	" AND plan_id = ?2",
	WRITE_ROLES,
};

#define DUE_OPEN(alias, rules)                                              \
	" LEFT JOIN due_item " alias " ON " alias ".council = p.council"     \
	" AND " alias ".rule IN (" rules ") AND " alias ".subject = 'cp_plan'" \
	" AND " alias ".subject_id = p.plan_id AND " alias ".met_at IS NULL"

#define PLAN_COLS                                                           \
	"p.plan_id, p.child_id, p.conference_id, p.episode_id, p.category,"   \
	" p.started_on, p.ended_on, p.end_reason, d8.due_at, d8.met_at,"     \
	" lg.due_at, rv.due_at, (SELECT count(*) FROM cp_core_group g WHERE g.council =" \
	" p.council AND g.plan_id = p.plan_id), (SELECT count(*) FROM"      \
	" cp_conference c WHERE c.council = p.council AND c.plan_id ="       \
	" p.plan_id), p.visit_days, vs.due_at,"                              \
	" (SELECT count(*) FROM cp_plan e WHERE e.council ="                 \
	" p.council AND e.child_id = p.child_id AND (e.started_on <"         \
	" p.started_on OR (e.started_on = p.started_on AND e.plan_id <"     \
	" p.plan_id))) FROM cp_plan p LEFT JOIN due_item d8 ON d8.council =" \
	" p.council AND d8.rule = 'R08' AND d8.subject = 'cp_plan'"          \
	" AND d8.subject_id = p.plan_id AND d8.seq = 1"                      \
	DUE_OPEN("lg", "'L02'") DUE_OPEN("rv", "'R09', 'R10'")                \
	DUE_OPEN("vs", "'R11'")

DB_STMT(st_plan_get) = {
	"cp_plan_get",
	"SELECT " PLAN_COLS " WHERE p.council = ?1 AND p.plan_id = ?2",
	READ_ROLES,
};
DB_STMT(st_plan_child) = {
	"cp_plan_child",
	"SELECT " PLAN_COLS " WHERE p.council = ?1 AND p.child_id = ?2"
	" ORDER BY p.started_on DESC, p.plan_id DESC LIMIT 100",
	READ_ROLES,
};
DB_STMT(st_plan_open) = {
	"cp_plan_open_of_child",
	"SELECT plan_id FROM cp_plan WHERE council = ?1 AND child_id = ?2"
	" AND ended_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_plan_ins) = {
	"cp_plan_insert",
	"INSERT INTO cp_plan (council, plan_id, child_id, conference_id,"
	" episode_id, category, started_on, created_at, created_by,"
	" visit_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	WRITE_ROLES,
};
DB_STMT(st_plan_end) = {
	"cp_plan_end",
	"UPDATE cp_plan SET ended_on = ?3, end_reason = ?4 WHERE council = ?1"
	" AND plan_id = ?2 AND ended_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_episode_open) = {
	"cp_episode_open",
	"SELECT episode_id FROM episode WHERE council = ?1 AND child_id = ?2"
	" AND case_type = 'child_protection' AND closed_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_core_last) = {
	"cp_core_last",
	"SELECT max(held_on), count(*) FROM cp_core_group WHERE council = ?1"
	" AND plan_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_core_ins) = {
	"cp_core_group_insert",
	"INSERT INTO cp_core_group (council, meeting_id, plan_id, child_id,"
	" held_on, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	WRITE_ROLES,
};
DB_STMT(st_child_of_strategy) = {
	"cp_child_of_strategy",
	"SELECT child_id FROM cp_strategy WHERE council = ?1 AND strategy_id = ?2",
	READ_ROLES,
};
DB_STMT(st_child_of_s47) = {
	"cp_child_of_s47",
	"SELECT child_id FROM cp_s47 WHERE council = ?1 AND s47_id = ?2",
	READ_ROLES,
};
DB_STMT(st_child_of_conference) = {
	"cp_child_of_conference",
	"SELECT child_id FROM cp_conference WHERE council = ?1"
	" AND conference_id = ?2",
	READ_ROLES,
};
DB_STMT(st_child_of_plan) = {
	"cp_child_of_plan",
	"SELECT child_id FROM cp_plan WHERE council = ?1 AND plan_id = ?2",
	READ_ROLES,
};
DB_STMT(st_workers) = {
	"cp_workers",
	"SELECT user_id, display_name FROM app_user WHERE council = ?1"
	" AND disabled = 0 AND role IN ('social-worker', 'team-manager')"
	" ORDER BY display_name, user_id",
	WRITE_ROLES,
};
DB_STMT(st_orgs) = {
	"cp_orgs",
	"SELECT org_id, name FROM organisation WHERE council = ?1"
	" ORDER BY name, org_id",
	WRITE_ROLES,
};

/* ---- helpers ---------------------------------------------------------- */

/* A text column into a fixed buffer ("" for NULL). */
static void col_copy(struct db_q *q, int i, char *out, size_t n)
{
	const char *v = db_col_text(q, i);
	snprintf(out, n, "%s", v ? v : "");
}

static struct cal_time on_date(const char *ymd)
{
	struct cal_time t = {{0, 0, 0}, 0, 0};
	if (ymd)
		cal_date_parse(ymd, strlen(ymd), &t.date);
	return t;
}

/* A message on field when v (a date) is before floor. */
static void not_before(const char *v, const char *floor, const char *field,
		       const char *what, const char *of, struct field_errors *e)
{
	if (v && v[0] && floor && floor[0] && strcmp(v, floor) < 0 &&
	    fe_for(e, field) == NULL) {
		char w[32];
		cal_words(floor, w);
		fe_addf(e, field, "%s must be on or after %s, %s", what, of, w);
	}
}

static bool is_yes(const char *v)
{
	return v && strcmp(v, "yes") == 0;
}

/* The field errors of the check, then ERR_INVALID when any was added. */
static int invalid_if(const struct field_errors *e, int before)
{
	return e->n > before ? ERR_INVALID : ERR_OK;
}

/* ---- strategy discussion ---------------------------------------------- */

static const struct row_map participant_rows = {
	sizeof(struct cp_participant), NULL, 0, NULL, &cp_participant_view,
};
static const struct row_map strategy_rows = {
	sizeof(struct cp_strategy), NULL, 0, NULL, &cp_strategy_view,
};

/* Checks lead (a user of the council: an enabled social worker or team
 * manager); a message on "lead_id" when not. */
static int check_lead(struct db_conn *c, const struct actor *who,
		      int64_t lead, struct field_errors *e)
{
	if (lead <= 0 || fe_for(e, "lead_id"))
		return ERR_OK;
	struct db_q *q;
	int rc = rows_get(c, &st_user, &q, who->council, lead);
	if (rc == ERR_NOTFOUND) {
		fe_set(e, "lead_id", "The lead child protection practitioner was "
		       "not found in your council; select them from the list");
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	const char *role = db_col_text(q, 1);
	bool ok = db_col_i64(q, 2) == 0 && role &&
		  (strcmp(role, "social-worker") == 0 ||
		   strcmp(role, "team-manager") == 0);
	db_done(q);
	if (!ok)
		fe_set(e, "lead_id", "The lead child protection practitioner "
		       "must be a social worker or team manager whose account "
		       "is enabled; select them from the list");
	return ERR_OK;
}

DB_STMT(st_lead_team) = {
	"cp_lead_team",
	"SELECT team_id FROM app_user WHERE council = ?1 AND user_id = ?2",
	WRITE_ROLES,
};

/* R07's item on the lead practitioner's list and their team's, as
 * due.c's source reads them. */
static int lead_assign(struct db_conn *c, const struct actor *who,
		       int64_t s47_id, int64_t lead_id)
{
	struct db_q *q;
	int64_t team = 0;
	int rc = rows_get(c, &st_lead_team, &q, who->council, lead_id);
	if (rc == ERR_OK) {
		team = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
		db_done(q);
	} else if (rc != ERR_NOTFOUND) {
		return rc;
	}
	return due_assign(c, who, "cp_s47", s47_id, lead_id, team);
}

int cp_strategy_add(struct db_conn *c, const struct actor *who,
		    const struct cal *cal, int64_t child_id, const struct cp_strategy_input *in,
		    int64_t *id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_strategy_type, in, who, e);
	if (in->decision && strcmp(in->decision, "other") == 0 &&
	    (in->decision_note == NULL || in->decision_note[0] == '\0') &&
	    fe_for(e, "decision_note") == NULL)
		fe_set(e, "decision_note", "Enter what was decided");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_visible(c, who, child_id);
	if (rc == ERR_OK)
		rc = check_lead(c, who, in->lead_id, e);
	if (rc == ERR_OK)
		rc = invalid_if(e, before);
	int64_t sid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_strategy", &sid));
	const char *note = in->decision_note && in->decision_note[0]
				   ? in->decision_note : NULL;
	if (rc == ERR_OK)
		rc = rows_write(c, &st_strategy_ins, who->council, sid, child_id,
				in->held_on, in->decision, note, in->lead_id,
				created, who->user_id);
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Strategy discussion: %s",
			 codes_label(cp_strategy_decision_codes, in->decision));
		rc = chron_note(c, who, child_id, on_date(in->held_on), false,
				"cp_strategy", line, "cp_strategy", sid);
	}
	/* R06: the discussion meets the child's clocks started on or
	 * before the day it was held */
	if (rc == ERR_OK)
		rc = due_refresh(c, who, cal, "R06", child_id);
	rc = tx_end_audit(c, own, rc, who, "create", "cp_strategy", sid,
			  child_id);
	if (rc == ERR_OK && id)
		*id = sid;
	return rc;
}

/* Reads strategy_id's row (the view) and whether who may see it. */
static int strategy_get(struct db_conn *c, const struct actor *who,
			int64_t sid, struct arena *a, struct cp_strategy *s)
{
	struct db_q *q;
	memset(s, 0, sizeof(*s));
	int rc = rows_get(c, &st_strategy_get, &q, who->council, sid);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &cp_strategy_view, s, a);
	db_done(q);
	if (!who->partner)
		return child_visible(c, who, s->child_id);
	/* a partner: only when their organisation took part */
	if (who->org_id <= 0)
		return ERR_NOTFOUND;
	rc = rows_get(c, &st_partner_took_part, &q, who->council, sid,
		      who->org_id);
	if (rc == ERR_OK)
		db_done(q);
	return rc;
}

int cp_participant_add(struct db_conn *c, const struct actor *who,
		       int64_t strategy_id,
		       const struct cp_participant_input *in, int64_t *id,
		       struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_participant_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_strategy s;
	rc = a ? strategy_get(c, who, strategy_id, a, &s) : ERR_NOMEM;
	if (rc == ERR_OK && in->org_id > 0) {
		struct db_q *q;
		int k = rows_get(c, &st_org, &q, who->council, in->org_id);
		if (k == ERR_OK)
			db_done(q);
		else if (k == ERR_NOTFOUND)
			fe_set(e, "org_id", "The organisation was not found in "
			       "your council; select it from the list");
		else
			rc = k;
	}
	if (rc == ERR_OK)
		rc = invalid_if(e, before);
	int64_t pid = 0;
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_participant",
					    &pid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_participant_ins, who->council, pid,
				strategy_id, s.child_id, in->agency, in->name,
				in->role && in->role[0] ? in->role : NULL,
				in->shared && in->shared[0] ? in->shared : NULL,
				db_id(in->org_id));
	int64_t child = s.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "participant", "cp_strategy",
			  strategy_id, child);
	if (rc == ERR_OK && id)
		*id = pid;
	return rc;
}

int cp_strategy_read(struct db_conn *c, const struct actor *who, int64_t id,
		     struct arena *a, struct cp_strategy *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct cp_strategy s;
	rc = strategy_get(c, who, id, a, &s);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_participants, &participant_rows, NULL,
			       &s.part_v, &s.part_n, who->council, id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "cp_strategy", id, s.child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = s;
	return rc;
}

/* ---- section 47 ------------------------------------------------------- */

static const struct row_map s47_rows = {
	sizeof(struct cp_s47), NULL, 0, NULL, &cp_s47_view,
};

static int s47_get(struct db_conn *c, const struct actor *who, int64_t id,
		   struct arena *a, struct cp_s47 *s)
{
	struct db_q *q;
	memset(s, 0, sizeof(*s));
	int rc = rows_get(c, &st_s47_get, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &cp_s47_view, s, a);
	db_done(q);
	return child_visible(c, who, s->child_id);
}

int cp_s47_start(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t strategy_id,
		 const struct cp_s47_input *in, int64_t *id,
		 struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_s47_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_strategy s;
	rc = a ? strategy_get(c, who, strategy_id, a, &s) : ERR_NOMEM;
	struct field_errors ce = {0};
	if (rc == ERR_OK && strcmp(s.decision, "s47") != 0) {
		fe_set(&ce, "strategy_id", "The strategy discussion did not "
		       "decide on a section 47 enquiry");
		rc = ERR_CONFLICT;
	} else if (rc == ERR_OK && s.s47_id) {
		fe_set(&ce, "strategy_id", "The strategy discussion already "
		       "started a section 47 enquiry");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_CONFLICT)
		*e = ce;
	if (rc == ERR_OK) {
		not_before(in->started_on, s.held_on, "started_on",
			   "The date the enquiry started",
			   "the strategy discussion", e);
		rc = invalid_if(e, before);
	}
	int64_t sid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_s47", &sid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_s47_ins, who->council, sid, strategy_id,
				s.child_id, in->started_on, created,
				who->user_id);
	/* R07: 15 working days from the strategy discussion that started
	 * the enquiry, kept from the enquiry's start */
	if (rc == ERR_OK)
		rc = due_start(c, who, "R07", cal, "cp_s47", sid, s.child_id,
			       on_date(s.held_on), NULL);
	/* on the lead child protection practitioner's list */
	if (rc == ERR_OK)
		rc = lead_assign(c, who, sid, s.lead_id);
	if (rc == ERR_OK)
		rc = chron_note(c, who, s.child_id, on_date(in->started_on),
				false, "cp_s47", "Section 47 enquiry started",
				"cp_s47", sid);
	int64_t child = s.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "create", "cp_s47", sid, child);
	if (rc == ERR_OK && id)
		*id = sid;
	return rc;
}

int cp_s47_conclude(struct db_conn *c, const struct actor *who,
		    int64_t s47_id, const struct cp_s47_outcome *in,
		    struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_s47_outcome_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_s47 s;
	rc = a ? s47_get(c, who, s47_id, a, &s) : ERR_NOMEM;
	if (rc == ERR_OK && s.concluded_on[0]) {
		struct field_errors ce = {0};
		fe_set(&ce, "concluded_on", "The enquiry has already concluded");
		*e = ce;
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK) {
		not_before(in->concluded_on, s.started_on, "concluded_on",
			   "The date the enquiry concluded",
			   "the date it started", e);
		rc = invalid_if(e, before);
	}
	if (rc == ERR_OK)
		rc = rows_change(c, &st_s47_conclude, who->council, s47_id,
				 in->concluded_on, in->findings,
				 (int64_t)is_yes(in->substantiated),
				 (int64_t)is_yes(in->conference));
	/* R07: no conference, no clock (the rebuild's source agrees) */
	if (rc == ERR_OK && !is_yes(in->conference))
		rc = due_stop(c, who, "R07", "cp_s47", s47_id);
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Section 47 enquiry concluded: "
			 "concerns %ssubstantiated; %s",
			 is_yes(in->substantiated) ? "" : "not ",
			 is_yes(in->conference) ? "conference needed"
						: "no conference");
		rc = chron_note(c, who, s.child_id, on_date(in->concluded_on),
				false, "cp_s47", line, "cp_s47", s47_id);
	}
	int64_t child = s.child_id;
	arena_free(a);
	return tx_end_audit(c, own, rc, who, "conclude", "cp_s47", s47_id,
			    child);
}

int cp_s47_read(struct db_conn *c, const struct actor *who, int64_t id,
		struct arena *a, struct cp_s47 *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct cp_s47 s;
	rc = s47_get(c, who, id, a, &s);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "cp_s47", id, s.child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = s;
	return rc;
}

/* ---- conferences ------------------------------------------------------ */

static const struct row_map conf_rows = {
	sizeof(struct cp_conference), NULL, 0, NULL, &cp_conference_view,
};
static const struct row_map attendee_rows = {
	sizeof(struct cp_attendee), NULL, 0, NULL, &cp_attendee_view,
};

static int conf_get(struct db_conn *c, const struct actor *who, int64_t id,
		    struct arena *a, struct cp_conference *s)
{
	struct db_q *q;
	memset(s, 0, sizeof(*s));
	int rc = rows_get(c, &st_conf_get, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &cp_conference_view, s, a);
	db_done(q);
	return child_visible(c, who, s->child_id);
}

int cp_icpc_hold(struct db_conn *c, const struct actor *who,
		 const struct cal *cal, int64_t s47_id,
		 const struct cp_icpc_input *in, int64_t *id,
		 struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_icpc_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_s47 s;
	rc = a ? s47_get(c, who, s47_id, a, &s) : ERR_NOMEM;
	struct field_errors ce = {0};
	/* no conference without an enquiry that called for one */
	if (rc == ERR_OK && !is_yes(s.conference)) {
		fe_set(&ce, "s47_id", s.concluded_on[0]
		       ? "The section 47 enquiry found no conference was "
			 "needed"
		       : "The section 47 enquiry has not concluded that a "
			 "conference is needed; record its outcome first");
		rc = ERR_CONFLICT;
	} else if (rc == ERR_OK && s.conference_id) {
		fe_set(&ce, "s47_id", "The enquiry's initial conference is "
		       "already recorded");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_CONFLICT)
		*e = ce;
	if (rc == ERR_OK) {
		not_before(in->held_on, s.started_on, "held_on",
			   "The date of the conference",
			   "the date the enquiry started", e);
		rc = invalid_if(e, before);
	}
	int64_t cid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_conference",
					    &cid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_conf_ins, who->council, cid, s.child_id,
				"initial", s47_id, db_id(0), in->held_on,
				(int64_t)is_yes(in->pre_birth), in->decision,
				created, who->user_id);
	if (rc == ERR_OK)
		rc = due_meet(c, who, "R07", cal, "cp_s47", s47_id,
			      on_date(in->held_on));
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Initial child protection "
			 "conference%s: %s",
			 is_yes(in->pre_birth) ? " (pre-birth)" : "",
			 codes_label(cp_icpc_decision_codes, in->decision));
		rc = chron_note(c, who, s.child_id, on_date(in->held_on), false,
				"cp_conference", line, "cp_conference", cid);
	}
	int64_t child = s.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "create", "cp_conference", cid,
			  child);
	if (rc == ERR_OK && id)
		*id = cid;
	return rc;
}

int cp_attendee_add(struct db_conn *c, const struct actor *who,
		    int64_t conference_id, const struct cp_attendee_input *in,
		    int64_t *id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_attendee_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_conference s;
	rc = a ? conf_get(c, who, conference_id, a, &s) : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = invalid_if(e, before);
	int64_t aid = 0;
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_attendee",
					    &aid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_attendee_ins, who->council, aid,
				conference_id, s.child_id, in->agency, in->name,
				in->role && in->role[0] ? in->role : NULL,
				(int64_t)is_yes(in->report));
	int64_t child = s.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "attendee", "cp_conference",
			  conference_id, child);
	if (rc == ERR_OK && id)
		*id = aid;
	return rc;
}

int cp_conference_read(struct db_conn *c, const struct actor *who,
		       int64_t id, struct arena *a, struct cp_conference *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct cp_conference s;
	rc = conf_get(c, who, id, a, &s);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_attendees, &attendee_rows, NULL,
			       &s.att_v, &s.att_n, who->council, id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "cp_conference", id, s.child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = s;
	return rc;
}

/* ---- the plan --------------------------------------------------------- */

/* R12 and R13, as of the actor's today. */
static int plan_derive(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	struct cp_plan *p = item;
	const struct actor *who = arg;
	p->open = p->ended_on[0] == '\0';
	/* R13: the column after the view's, the earlier plans */
	if (q)
		p->repeat = db_col_i64(q, cp_plan_view.n - 3) > 0;
	/* R12: two years or more, to the end or to today */
	struct cal_date s, to = who->civil.date;
	if (cal_date_parse(p->started_on, strlen(p->started_on), &s)) {
		if (!p->open)
			cal_date_parse(p->ended_on, strlen(p->ended_on), &to);
		p->two_years = cal_compare(to, cal_add_months(s, 24)) >= 0;
	}
	return ERR_OK;
}

static const struct row_map plan_rows = {
	sizeof(struct cp_plan), NULL, 0, plan_derive, &cp_plan_view,
};

static int plan_get(struct db_conn *c, const struct actor *who, int64_t id,
		    struct arena *a, struct cp_plan *p)
{
	struct db_q *q;
	memset(p, 0, sizeof(*p));
	int rc = rows_get(c, &st_plan_get, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &cp_plan_view, p, a);
	plan_derive(a, q, p, (void *)who);
	db_done(q);
	return child_visible(c, who, p->child_id);
}

DB_STMT(st_case_worker) = {
	"cp_case_worker",
	"SELECT worker_id, team_id FROM episode WHERE council = ?1"
	" AND episode_id = ?2",
	WRITE_ROLES,
};

/* Puts a new plan's clocks on its case's worker's and team's lists (none
 * while the case is unallocated; allocating it moves them: due_assign). */
static int plan_case_assign(struct db_conn *c, const struct actor *who,
			    int64_t plan_id, int64_t episode_id)
{
	struct db_q *q;
	int rc = rows_get(c, &st_case_worker, &q, who->council, episode_id);
	if (rc == ERR_NOTFOUND)
		return ERR_OK;
	if (rc != ERR_OK)
		return rc;
	int64_t worker = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
	int64_t team = db_col_null(q, 1) ? 0 : db_col_i64(q, 1);
	db_done(q);
	if (worker == 0 && team == 0)
		return ERR_OK;
	return due_assign(c, who, "cp_plan", plan_id, worker, team);
}

/* The child's open child-protection case, or one opened on `on`. */
static int cp_episode(struct db_conn *c, const struct actor *who,
		      const struct cal *cal, int64_t child_id, const char *on,
		      int64_t *episode_id, struct field_errors *e)
{
	struct db_q *q;
	int rc = rows_get(c, &st_episode_open, &q, who->council, child_id);
	if (rc == ERR_OK) {
		*episode_id = db_col_i64(q, 0);
		db_done(q);
		return ERR_OK;
	}
	if (rc != ERR_NOTFOUND)
		return rc;
	struct episode_input in = {
		.case_type = "child_protection", .opened_on = on,
		.primary_need = "N1",
	};
	return episode_open(c, who, cal, child_id, &in, episode_id, e);
}

int cp_plan_start(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t conference_id,
		  const struct cp_plan_input *in, int64_t *id,
		  struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_plan_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_conference s;
	rc = a ? conf_get(c, who, conference_id, a, &s) : ERR_NOMEM;
	struct field_errors ce = {0};
	/* no plan without a conference's decision */
	if (rc == ERR_OK && (strcmp(s.kind, "initial") != 0 ||
			     strcmp(s.decision, "plan") != 0)) {
		fe_set(&ce, "conference_id", "The conference did not decide on "
		       "a child protection plan");
		rc = ERR_CONFLICT;
	} else if (rc == ERR_OK && s.plan_id) {
		fe_set(&ce, "conference_id", "The conference's plan is already "
		       "recorded");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK) {
		struct db_q *q;
		int k = rows_get(c, &st_plan_open, &q, who->council, s.child_id);
		if (k == ERR_OK) {
			db_done(q);
			fe_set(&ce, "conference_id", "The child already has a "
			       "child protection plan; end it first");
			rc = ERR_CONFLICT;
		} else if (k != ERR_NOTFOUND) {
			rc = k;
		}
	}
	if (rc == ERR_CONFLICT)
		*e = ce;
	if (rc == ERR_OK && in->visit_days < 0)
		fe_set(e, "visit_days", "Working days between visits must be 1 "
		       "or more");
	if (rc == ERR_OK)
		rc = invalid_if(e, before);
	int64_t episode = 0, pid = 0;
	if (rc == ERR_OK)
		rc = cp_episode(c, who, cal, s.child_id, s.held_on, &episode, e);
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_plan", &pid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_plan_ins, who->council, pid, s.child_id,
				conference_id, db_id(episode), in->category,
				s.held_on, created, who->user_id,
				db_id(in->visit_days));
	/* R08 and R09 from the initial conference (the plan's start) */
	if (rc == ERR_OK)
		rc = due_start(c, who, "R08", cal, "cp_plan", pid, s.child_id,
			       on_date(s.held_on), NULL);
	if (rc == ERR_OK)
		rc = due_start(c, who, "R09", cal, "cp_plan", pid, s.child_id,
			       on_date(s.held_on), NULL);
	/* on the CP case's worker's list, as due.c's sources read them */
	if (rc == ERR_OK)
		rc = plan_case_assign(c, who, pid, episode);
	/* R11: the visits from the plan's start (visits already recorded
	 * on or after it count) */
	if (rc == ERR_OK)
		rc = due_refresh(c, who, cal, "R11", s.child_id);
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Child protection plan started: %s",
			 codes_label(cp_category_codes, in->category));
		rc = chron_note(c, who, s.child_id, on_date(s.held_on), false,
				"cp_plan", line, "cp_plan", pid);
	}
	int64_t child = s.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "create", "cp_plan", pid, child);
	if (rc == ERR_OK && id)
		*id = pid;
	return rc;
}

/* An open plan's row, else ERR_CONFLICT on field (a message). */
static int open_plan(struct db_conn *c, const struct actor *who, int64_t id,
		     struct arena *a, struct cp_plan *p, const char *field,
		     struct field_errors *e)
{
	int rc = plan_get(c, who, id, a, p);
	if (rc == ERR_OK && !p->open) {
		struct field_errors ce = {0};
		char w[32];
		cal_words(p->ended_on, w);
		fe_addf(&ce, field, "The plan ended on %s", w);
		*e = ce;
		rc = ERR_CONFLICT;
	}
	return rc;
}

int cp_plan_end(struct db_conn *c, const struct actor *who,
		const struct cal *cal, int64_t plan_id,
		const struct cp_plan_end_input *in, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_plan_end_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_plan p;
	rc = a ? open_plan(c, who, plan_id, a, &p, "ended_on", e) : ERR_NOMEM;
	if (rc == ERR_OK) {
		/* no end before the start */
		not_before(in->ended_on, p.started_on, "ended_on",
			   "The date the plan ended", "the date it started", e);
		rc = invalid_if(e, before);
	}
	if (rc == ERR_OK)
		rc = rows_change(c, &st_plan_end, who->council, plan_id,
				 in->ended_on, in->reason);
	static const char *const clocks[] = {"R08", "R09", "R10", "L02"};
	for (int i = 0; rc == ERR_OK && i < 4; i++)
		rc = due_stop(c, who, clocks[i], "cp_plan", plan_id);
	/* R11: no more visits fall due (and none after the end count) */
	if (rc == ERR_OK)
		rc = due_refresh(c, who, cal, "R11", p.child_id);
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Child protection plan ended: %s",
			 codes_label(cp_end_reason_codes, in->reason));
		rc = chron_note(c, who, p.child_id, on_date(in->ended_on), false,
				"cp_plan", line, "cp_plan", plan_id);
	}
	int64_t child = p.child_id;
	arena_free(a);
	return tx_end_audit(c, own, rc, who, "end", "cp_plan", plan_id, child);
}

/* The latest date and the number of rows st (plan_id's) holds. */
static int last_of(struct db_conn *c, const struct db_stmt *st,
		   const char *council, int64_t plan_id, char last[11],
		   int64_t *n)
{
	struct db_q *q;
	int rc = rows_get(c, st, &q, council, plan_id);
	if (rc != ERR_OK)
		return rc;
	col_copy(q, 0, last, 11);
	*n = db_col_i64(q, 1);
	db_done(q);
	return ERR_OK;
}

int cp_review_hold(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t plan_id,
		   const struct cp_review_input *in, int64_t *id,
		   struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_review_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_plan p;
	rc = a ? open_plan(c, who, plan_id, a, &p, "plan_id", e) : ERR_NOMEM;
	char last[11] = "";
	int64_t n = 0;
	if (rc == ERR_OK)
		rc = last_of(c, &st_last_review, who->council, plan_id, last, &n);
	if (rc == ERR_OK) {
		/* in date order, so the kept items are what a rebuild makes */
		not_before(in->held_on, p.started_on, "held_on",
			   "The date of the review conference",
			   "the initial conference", e);
		not_before(in->held_on, last, "held_on",
			   "The date of the review conference",
			   "the last review conference", e);
		rc = invalid_if(e, before);
	}
	int64_t cid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_conference",
					    &cid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_conf_ins, who->council, cid, p.child_id,
				"review", db_id(0), plan_id, in->held_on,
				(int64_t)0, in->decision, created, who->user_id);
	struct cal_time at = on_date(in->held_on);
	if (rc == ERR_OK && n == 0) {
		/* R09 met by the first review; R10 runs from it */
		rc = due_meet(c, who, "R09", cal, "cp_plan", plan_id, at);
		if (rc == ERR_OK)
			rc = due_start(c, who, "R10", cal, "cp_plan", plan_id,
				       p.child_id, at, NULL);
	} else if (rc == ERR_OK) {
		rc = due_meet(c, who, "R10", cal, "cp_plan", plan_id, at);
	}
	if (rc == ERR_OK) {
		char line[160];
		snprintf(line, sizeof(line), "Review child protection "
			 "conference: %s",
			 codes_label(cp_review_decision_codes, in->decision));
		rc = chron_note(c, who, p.child_id, at, false, "cp_conference",
				line, "cp_conference", cid);
	}
	int64_t child = p.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "create", "cp_conference", cid,
			  child);
	if (rc == ERR_OK && id)
		*id = cid;
	return rc;
}

int cp_core_group_add(struct db_conn *c, const struct actor *who,
		      const struct cal *cal, int64_t plan_id,
		      const struct cp_core_group_input *in, int64_t *id,
		      struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&cp_core_group_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = arena_new(1u << 16);
	struct cp_plan p;
	rc = a ? open_plan(c, who, plan_id, a, &p, "plan_id", e) : ERR_NOMEM;
	char last[11] = "";
	int64_t n = 0;
	if (rc == ERR_OK)
		rc = last_of(c, &st_core_last, who->council, plan_id, last, &n);
	if (rc == ERR_OK) {
		not_before(in->held_on, p.started_on, "held_on",
			   "The date of the core group meeting",
			   "the initial conference", e);
		not_before(in->held_on, last, "held_on",
			   "The date of the core group meeting",
			   "the last core group meeting", e);
		rc = invalid_if(e, before);
	}
	int64_t mid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "cp_core_group",
					    &mid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_core_ins, who->council, mid, plan_id,
				p.child_id, in->held_on, created, who->user_id);
	/* R08 met by the first meeting; L02 then runs from each meeting
	 * to the next at the council's frequency */
	struct cal_time at = on_date(in->held_on);
	if (rc == ERR_OK && n == 0) {
		rc = due_meet(c, who, "R08", cal, "cp_plan", plan_id, at);
		if (rc == ERR_OK)
			rc = due_start(c, who, "L02", cal, "cp_plan", plan_id,
				       p.child_id, at, NULL);
	} else if (rc == ERR_OK) {
		rc = due_meet(c, who, "L02", cal, "cp_plan", plan_id, at);
	}
	if (rc == ERR_OK)
		rc = chron_note(c, who, p.child_id, on_date(in->held_on), false,
				"cp_core_group", "Core group meeting",
				"cp_plan", plan_id);
	int64_t child = p.child_id;
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "core_group", "cp_plan", plan_id,
			  child);
	if (rc == ERR_OK && id)
		*id = mid;
	return rc;
}

int cp_plan_read(struct db_conn *c, const struct actor *who, int64_t id,
		 struct arena *a, struct cp_plan *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct cp_plan p;
	rc = plan_get(c, who, id, a, &p);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "cp_plan", id, p.child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = p;
	return rc;
}

/* ---- the child's page ------------------------------------------------- */

int cp_list_child(struct db_conn *c, const struct actor *who,
		  int64_t child_id, struct arena *a, struct cp_child *out)
{
	memset(out, 0, sizeof(*out));
	int rc = rows_list(c, a, &st_strategy_child, &strategy_rows, NULL,
			   &out->strat_v, &out->strat_n, who->council, child_id);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_s47_child, &s47_rows, NULL, &out->s47_v,
			       &out->s47_n, who->council, child_id);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_conf_child, &conf_rows, NULL,
			       &out->conf_v, &out->conf_n, who->council,
			       child_id);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_plan_child, &plan_rows, (void *)who,
			       &out->plan_v, &out->plan_n, who->council,
			       child_id);
	return rc;
}

static const struct row_col pick_cols[] = {
	ROW_COL(ROW_I64, struct cp_pick, id),
	ROW_COL(ROW_TEXT, struct cp_pick, name),
};
static const struct row_map pick_rows =
	ROW_MAP(struct cp_pick, pick_cols, NULL);

int cp_workers(struct db_conn *c, const struct actor *who, struct arena *a,
	       struct cp_pick **rows, int *n)
{
	return rows_list(c, a, &st_workers, &pick_rows, NULL, rows, n,
			 who->council);
}

int cp_orgs(struct db_conn *c, const struct actor *who, struct arena *a,
	    struct cp_pick **rows, int *n)
{
	return rows_list(c, a, &st_orgs, &pick_rows, NULL, rows, n,
			 who->council);
}

int cp_child_of(struct db_conn *c, const struct actor *who, const char *kind,
		int64_t id, int64_t *child_id)
{
	static const struct {
		const char *kind;
		const struct db_stmt *st;
	} v[] = {
		{"cp_strategy", &st_child_of_strategy},
		{"cp_s47", &st_child_of_s47},
		{"cp_conference", &st_child_of_conference},
		{"cp_plan", &st_child_of_plan},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (strcmp(kind, v[i].kind) != 0)
			continue;
		bool own;
		int rc = tx_begin(c, &own);
		if (rc != ERR_OK)
			return rc;
		struct db_q *q;
		int64_t child = 0;
		rc = rows_get(c, v[i].st, &q, who->council, id);
		if (rc == ERR_OK) {
			child = db_col_i64(q, 0);
			db_done(q);
			rc = child_visible(c, who, child);
		}
		rc = tx_end(c, own, rc);
		if (rc == ERR_OK)
			*child_id = child;
		return rc;
	}
	return ERR_NOTFOUND;
}
