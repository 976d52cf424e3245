/* assess.c: see assess.h for the contract. */
#include "assess/assess.h"
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

/* Allow-lists, mirroring auth/policy.c (PERM_ASSESSMENT_READ,
 * PERM_ASSESSMENT_WRITE, PERM_ASSESSMENT_AUTHORISE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define AUTHORISE_ROLES (RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

/* ---- code lists --------------------------------------------------------- */

/*
 * CIN census assessment factors, the codes of
 * ../shared/domain/codes/cin_assessment_factors.csv (shipped as
 * data/codes/cin_assessment_factors.csv; every row "current" in the DfE
 * CIN schema 2024), in the file's families; the labels are the file's
 * descriptions in the words a worker reads them (the census's long
 * "concerns that services may be required..." left out).  test-assess
 * checks the codes against the file.
 */
const struct field_code assess_factor_codes[] = {
	{"1A", "Alcohol misuse by the child"},
	{"1B", "Alcohol misuse by a parent or carer"},
	{"1C", "Alcohol misuse by another person in the household"},
	{"2A", "Drug misuse by the child"},
	{"2B", "Drug misuse by a parent or carer"},
	{"2C", "Drug misuse by another person in the household"},
	{"3A", "Domestic abuse: the child is the subject"},
	{"3B", "Domestic abuse: a parent or carer is the subject"},
	{"3C", "Domestic abuse: another person in the household is the "
	       "subject"},
	{"4A", "Mental health of the child"},
	{"4B", "Mental health of a parent or carer"},
	{"4C", "Mental health of another person in the family or household"},
	{"5A", "Learning disability of the child"},
	{"5B", "Learning disability of a parent or carer"},
	{"5C", "Learning disability of another person in the family or "
	       "household"},
	{"6A", "Physical disability or illness of the child"},
	{"6B", "Physical disability or illness of a parent or carer"},
	{"6C", "Physical disability or illness of another person in the "
	       "family or household"},
	{"7A", "Young carer"},
	{"8B", "Privately fostered: from overseas, intending to return"},
	{"8C", "Privately fostered: from overseas, intending to stay"},
	{"8D", "Privately fostered: UK child in an educational placement"},
	{"8E", "Privately fostered: UK child, alternative family "
	       "arrangements"},
	{"8F", "Privately fostered: other"},
	{"9A", "Unaccompanied asylum-seeking child"},
	{"10A", "Going or being missing"},
	{"11A", "Child sexual exploitation"},
	{"24A", "Child criminal exploitation"},
	{"12A", "Trafficking"},
	{"13A", "Gangs"},
	{"14A", "Socially unacceptable behaviour"},
	{"15A", "Self-harm"},
	{"16A", "Neglect"},
	{"17A", "Emotional abuse"},
	{"18A", "Physical abuse"},
	{"18B", "Physical abuse by another child"},
	{"18C", "Physical abuse by an adult"},
	{"19A", "Sexual abuse"},
	{"19B", "Sexual abuse by another child"},
	{"19C", "Sexual abuse by an adult"},
	{"22A", "Female genital mutilation (FGM)"},
	{"23A", "Abuse linked to faith or belief"},
	{"20", "Other"},
	{"21", "No factors identified"},
	{NULL, NULL},
};
#define FACTOR_NONE "21" /* "only ... if there is no evidence of any of the
			  * factors above and no further action is being
			  * taken" (the census's description) */

const struct field_code assess_how_codes[] = {
	{"words", "In their own words"},
	{"drawing", "Drawing or play"},
	{"advocate", "Through an advocate"},
	{"app", "Through an app"},
	{"other", "Another way, such as observation"},
	{NULL, NULL},
};

const struct field_code assess_outcome_codes[] = {
	{"nfa", "No further action"},
	{"family_help", "Family Help"},
	{"cin_plan", "Child in need plan"},
	{"strategy", "Strategy discussion"},
	{"step_down", "Step down to universal services"},
	{NULL, NULL},
};

const struct field_code assess_status_codes[] = {
	{"in_progress", "In progress"},
	{"submitted", "Waiting for authorisation"},
	{"authorised", "Authorised"},
	{NULL, NULL},
};

static const struct field_code yes_no[] = {
	{"yes", "Yes"}, {"no", "No"}, {NULL, NULL},
};

/* ---- the chronology's lines --------------------------------------------- */

const char *assess_start_summary(void)
{
	return "Single assessment started";
}

void assess_seen_summary(bool alone, const char *by, char *out, size_t n)
{
	snprintf(out, n, "Child seen%s by %s", alone ? " alone" : "",
		 by && by[0] ? by : "a worker");
}

void assess_authorised_summary(const char *outcome, bool late, char *out,
			       size_t n)
{
	const char *o = codes_label(assess_outcome_codes, outcome);
	snprintf(out, n, "Single assessment authorised%s: %s",
		 late ? " after its due date" : "", o ? o : "outcome recorded");
}

/* ---- the fields (domain/field.h) ---------------------------------------- */

#define S(m) offsetof(struct assess_start, m)
static const struct field start_fields[] = {
	{.name = "started_on", .label = "Date the assessment started",
	 .what = "the date the assessment started", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE, .hint = "For example, "
	 "27 3 2025", .offset = S(started_on)},
};
const struct record_type assess_start_type = {"assessment_start",
					      start_fields, 1};

#define SI(m) offsetof(struct assess_seen_input, m)
static const struct field seen_fields[] = {
	{.name = "seen_on", .label = "Date the child was seen",
	 .what = "the date the child was seen", .type = FT_DATE,
	 .required = true, .rules = FR_NOT_FUTURE, .offset = SI(seen_on)},
	{.name = "alone", .label = "Was the child seen alone?",
	 .what = "whether the child was seen alone", .type = FT_CODE,
	 .required = true, .radios = true, .codes = yes_no,
	 .missing = "Select yes if the child was seen alone",
	 .offset = SI(alone)},
	{.name = "seen_by", .label = "Seen by",
	 .hint = "A social worker or team manager of the council",
	 .type = FT_REF, .required = true,
	 .missing = "Select who saw the child", .offset = SI(seen_by)},
};
const struct record_type assess_seen_type = {"assessment_child_seen",
					     seen_fields, 3};

#define E(m) offsetof(struct assess_edit, m)
#define F_DEVELOPMENT                                                       \
	{.name = "development", .label = "The child's developmental needs",   \
	 .hint = "Health, education, emotional and behavioural development, " \
	 "identity, family and social relationships, self-care",            \
	 .type = FT_LONGTEXT, .max = ASSESS_NARRATIVE_MAX,                   \
	 .rules = FR_SOMETIMES, .offset = E(development)}
#define F_PARENTING                                                         \
	{.name = "parenting", .label = "Parenting capacity",                  \
	 .hint = "Basic care, safety, emotional warmth, stimulation, "        \
	 "guidance and boundaries, stability", .type = FT_LONGTEXT,          \
	 .max = ASSESS_NARRATIVE_MAX, .rules = FR_SOMETIMES,                 \
	 .offset = E(parenting)}
#define F_FAMILY                                                            \
	{.name = "family", .label = "Family and environmental factors",       \
	 .hint = "Family history and functioning, wider family, housing, "    \
	 "employment, income, social integration, community resources",      \
	 .type = FT_LONGTEXT, .max = ASSESS_NARRATIVE_MAX,                   \
	 .rules = FR_SOMETIMES, .offset = E(family)}
#define F_WISHES                                                            \
	{.name = "wishes", .label = "The child's wishes and feelings",        \
	 .hint = "What the child said, showed or wanted, in their words "     \
	 "where you can", .type = FT_LONGTEXT, .max = ASSESS_NARRATIVE_MAX,  \
	 .rules = FR_SOMETIMES, .offset = E(wishes)}
#define F_HOW                                                               \
	{.name = "wishes_how",                                               \
	 .label = "How were the child's wishes and feelings gathered?",       \
	 .what = "how the child's wishes and feelings were gathered",         \
	 .type = FT_CODE, .radios = true, .codes = assess_how_codes,          \
	 .rules = FR_SOMETIMES, .offset = E(wishes_how)}
#define F_ANALYSIS                                                          \
	{.name = "analysis", .label = "Summary analysis",                     \
	 .hint = "What the information means for the child: risks, "         \
	 "strengths, and why the outcome follows", .type = FT_LONGTEXT,      \
	 .max = ASSESS_NARRATIVE_MAX, .rules = FR_SOMETIMES,                 \
	 .offset = E(analysis)}
#define F_OUTCOME                                                           \
	{.name = "outcome", .label = "Outcome", .what = "the outcome",        \
	 .type = FT_CODE, .radios = true, .codes = assess_outcome_codes,      \
	 .rules = FR_SOMETIMES, .offset = E(outcome)}
#define F_FACTORS                                                           \
	{.name = "factors", .label = "Assessment factors",                    \
	 .hint = "CIN census codes separated by spaces, such as \"3A 16A\"",  \
	 .type = FT_TEXT, .max = 400, .rules = FR_SOMETIMES,                 \
	 .offset = E(factors)}

static const struct field edit_fields[] = {
	F_DEVELOPMENT, F_PARENTING, F_FAMILY, F_WISHES, F_HOW, F_ANALYSIS,
	F_OUTCOME, F_FACTORS,
};
const struct record_type assess_edit_type = {"assessment_edit", edit_fields,
					     8};
static const struct field text_fields[] = {
	F_DEVELOPMENT, F_PARENTING, F_FAMILY, F_WISHES, F_HOW, F_ANALYSIS,
};
const struct record_type assess_text_type = {"assessment_text", text_fields,
					     6};
static const struct field outcome_fields[] = {F_OUTCOME};
const struct record_type assess_outcome_type = {"assessment_outcome",
						outcome_fields, 1};
static const struct field page_fields[] = {
	F_DEVELOPMENT, F_PARENTING, F_FAMILY, F_WISHES, F_HOW, F_ANALYSIS,
	F_OUTCOME,
};
const struct record_type assess_page_type = {"assessment_page", page_fields,
					     7};

#define AU(m) offsetof(struct assess_authorise, m)
static const struct field authorise_fields[] = {
	{.name = "late_reason", .label = "Why is it authorised late?",
	 .what = "why the assessment is authorised after its due date",
	 .hint = "Needed when the assessment is authorised more than 45 "
	 "working days after the referral", .type = FT_LONGTEXT,
	 .max = ASSESS_REASON_MAX, .rules = FR_SOMETIMES,
	 .offset = AU(late_reason)},
	{.name = "version", .type = FT_INT, .offset = AU(version)},
	{.name = "primary_need", .label = "The child's primary need",
	 .what = "the child's primary need",
	 .hint = "Needed when the outcome opens a case: Family Help or a "
		 "child in need plan", .type = FT_CODE,
	 .codes = episode_need_codes, .rules = FR_SOMETIMES,
	 .offset = AU(primary_need)},
};
const struct record_type assess_authorise_type = {"assessment_authorise",
						  authorise_fields, 3};

#define SV(m) offsetof(struct assess_seen, m)
static const struct field seen_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = SV(seen_id)},
	{.name = "assessment_id", .type = FT_REF, .offset = SV(assessment_id)},
	{.name = "seen_on", .label = "Seen on", .type = FT_DATE,
	 .offset = SV(seen_on)},
	{.name = "alone", .label = "Seen alone", .type = FT_BOOL,
	 .offset = SV(alone)},
	{.name = "seen_by", .type = FT_REF, .offset = SV(seen_by)},
	{.name = "seen_by_name", .label = "Seen by", .type = FT_TEXT,
	 .offset = SV(seen_by_name)},
};
const struct record_type assess_seen_view = {"assessment_seen",
					     seen_view_fields, 6};

/* The view: the columns of ASSESS_COLS in order, then the derived. */
#define V(m) offsetof(struct assessment, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = V(assessment_id)},
	{.name = "child_id", .type = FT_INT, .offset = V(child_id)},
	{.name = "child_name", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = V(child_name)},
	{.name = "referral_id", .label = "Referral", .type = FT_REF,
	 .offset = V(referral_id)},
	{.name = "case_id", .type = FT_REF, .offset = V(case_id)},
	{.name = "referral_date", .label = "Referral date", .type = FT_DATE,
	 .offset = V(referral_date)},
	{.name = "started_on", .label = "Started", .type = FT_DATE,
	 .offset = V(started_on)},
	{.name = "development", .label = "The child's developmental needs",
	 .type = FT_LONGTEXT, .offset = V(development)},
	{.name = "parenting", .label = "Parenting capacity",
	 .type = FT_LONGTEXT, .offset = V(parenting)},
	{.name = "family", .label = "Family and environmental factors",
	 .type = FT_LONGTEXT, .offset = V(family)},
	{.name = "wishes", .label = "The child's wishes and feelings",
	 .type = FT_LONGTEXT, .offset = V(wishes)},
	{.name = "wishes_how", .label = "How they were gathered",
	 .type = FT_CODE, .codes = assess_how_codes, .out = FO_LABEL,
	 .offset = V(wishes_how)},
	{.name = "analysis", .label = "Summary analysis", .type = FT_LONGTEXT,
	 .offset = V(analysis)},
	{.name = "outcome", .label = "Outcome", .type = FT_CODE,
	 .codes = assess_outcome_codes, .out = FO_LABEL, .offset = V(outcome)},
	{.name = "submitted_at", .label = "Submitted", .type = FT_DATETIME,
	 .offset = V(submitted_at)},
	{.name = "submitted_by_name", .label = "Submitted by", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(submitted_by_name)},
	{.name = "submitted_by", .type = FT_REF, .offset = V(submitted_by)},
	{.name = "authorised_on", .label = "Authorised", .type = FT_DATE,
	 .offset = V(authorised_on)},
	{.name = "authorised_by_name", .label = "Authorised by",
	 .type = FT_TEXT, .out = FO_HIDDEN, .offset = V(authorised_by_name)},
	{.name = "authorised_by", .type = FT_REF, .offset = V(authorised_by)},
	{.name = "late_reason", .label = "Why it was authorised late",
	 .type = FT_LONGTEXT, .offset = V(late_reason)},
	{.name = "due_on", .label = "Due (45 working days from the referral)",
	 .type = FT_DATE, .offset = V(due_on)},
	{.name = "seen_due_on", .label = "Child to be seen by", .type = FT_DATE,
	 .offset = V(seen_due_on)},
	{.name = "first_seen_on", .label = "Child first seen", .type = FT_DATE,
	 .offset = V(first_seen_on)},
	{.name = "version", .type = FT_INT, .offset = V(version)},
	{.name = "worker_name", .label = "Started by", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(worker_name)},
	{.name = "status", .label = "Status", .type = FT_CODE,
	 .codes = assess_status_codes, .out = FO_DERIVED | FO_LABEL,
	 .offset = V(status)},
	{.name = "factors", .label = "Assessment factors", .type = FT_TEXT,
	 .out = FO_DERIVED, .offset = V(factors)},
	{.name = "authorised", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(authorised)},
	{.name = "overdue", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(overdue)},
	{.name = "late", .type = FT_BOOL, .out = FO_DERIVED, .offset = V(late)},
	{.name = "seen", .type = FT_BOOL, .out = FO_DERIVED, .offset = V(seen)},
	{.name = "seen_overdue", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(seen_overdue)},
};
const struct record_type assess_view = {
	"assessment", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

/* ---- statements ---------------------------------------------------------- */

/* Clock items: the engine's (domain/due.h), never worked out again. */
#define DUE_JOIN(alias, rule)                                               \
	" LEFT JOIN due_item " alias " ON " alias ".council = a.council"     \
	" AND " alias ".rule = '" rule "' AND " alias ".subject = 'referral'" \
	" AND " alias ".subject_id = a.referral_id AND " alias ".seq = 1"

/* The view's columns: the child's name, the narrative and who started
 * it as given (a list for the child's page leaves out what it does not
 * show), then the joins every form shares. */
#define ASSESS_SELECT(name, narrative, creator)                             \
	"a.assessment_id, a.child_id, " name ","                             \
	" a.referral_id, a.case_id, r.referral_date, a.started_on, "        \
	narrative ", a.outcome, a.submitted_at, sb.display_name,"           \
	" a.submitted_by, a.authorised_on, ab.display_name, a.authorised_by," \
	" a.late_reason, d2.due_at, d5.due_at, d5.met_at, a.version, "      \
	creator " FROM assessment a"
#define ASSESS_JOINS                                                        \
	" LEFT JOIN referral r ON r.council = a.council"                     \
	"  AND r.referral_id = a.referral_id"                                \
	" LEFT JOIN app_user sb ON sb.council = a.council"                   \
	"  AND sb.user_id = a.submitted_by"                                  \
	" LEFT JOIN app_user ab ON ab.council = a.council"                   \
	"  AND ab.user_id = a.authorised_by"                                 \
	DUE_JOIN("d2", "R02") DUE_JOIN("d5", "R05")
#define ASSESS_COLS(narrative)                                              \
	ASSESS_SELECT("ch.given_name || ' ' || ch.family_name", narrative,    \
		      "cb.display_name")                                     \
	" JOIN child ch ON ch.council = a.council AND ch.child_id = a.child_id" \
	" LEFT JOIN app_user cb ON cb.council = a.council"                   \
	"  AND cb.user_id = a.created_by" ASSESS_JOINS

DB_STMT(st_get) = {
	"assess_get",
	"SELECT " ASSESS_COLS("a.development, a.parenting, a.family, a.wishes,"
			      " a.wishes_how, a.analysis")
	" WHERE a.council = ?1 AND a.assessment_id = ?2",
	READ_ROLES,
};
/* The child's page: no join back to the child (the page has it) or to
 * who started it, and no ORDER BY: the few rows are sorted in C (a
 * LIMIT with ORDER BY makes SQLite build a temporary b-tree on every
 * child's page). */
DB_STMT(st_child) = {
	"assess_list_child",
	"SELECT " ASSESS_SELECT("''", "NULL, NULL, NULL, NULL, a.wishes_how,"
				" NULL", "''") ASSESS_JOINS
	" WHERE a.council = ?1 AND a.child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_factors) = {
	"assess_factors",
	"SELECT factor FROM assessment_factor WHERE council = ?1"
	" AND assessment_id = ?2 ORDER BY factor",
	READ_ROLES,
};
DB_STMT(st_seen_list) = {
	"assess_seen_list",
	"SELECT s.seen_id, s.assessment_id, s.seen_on, s.alone, s.seen_by,"
	" u.display_name FROM assessment_seen s LEFT JOIN app_user u"
	" ON u.council = s.council AND u.user_id = s.seen_by"
	" WHERE s.council = ?1 AND s.assessment_id = ?2"
	" ORDER BY s.seen_on, s.seen_id",
	READ_ROLES,
};
DB_STMT(st_startable) = {
	"assess_startable",
	"SELECT r.referral_id, r.referral_date FROM referral r"
	" WHERE r.council = ?1 AND r.child_id = ?2 AND NOT EXISTS (SELECT 1"
	"  FROM assessment a WHERE a.council = r.council"
	"  AND a.referral_id = r.referral_id)",
	READ_ROLES,
};
DB_STMT(st_referral) = {
	"assess_referral",
	"SELECT r.child_id, r.referral_date, (SELECT a.assessment_id FROM"
	" assessment a WHERE a.council = r.council"
	" AND a.referral_id = r.referral_id) FROM referral r"
	" WHERE r.council = ?1 AND r.referral_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_insert) = {
	"assess_insert",
	"INSERT INTO assessment (council, assessment_id, child_id, referral_id,"
	" started_on, created_at, created_by, version)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
	WRITE_ROLES,
};
/* The row a write works on: its state and what it is checked against. */
DB_STMT(st_state) = {
	"assess_state",
	"SELECT a.child_id, a.referral_id, r.referral_date, a.submitted_at,"
	" a.submitted_by, a.authorised_on, a.version, a.development,"
	" a.parenting, a.family, a.wishes, a.wishes_how, a.analysis,"
	" a.outcome, d2.due_at FROM assessment a"
	" LEFT JOIN referral r ON r.council = a.council"
	"  AND r.referral_id = a.referral_id"
	DUE_JOIN("d2", "R02")
	" WHERE a.council = ?1 AND a.assessment_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_update) = {
	"assess_update",
	"UPDATE assessment SET development = ?4, parenting = ?5, family = ?6,"
	" wishes = ?7, wishes_how = ?8, analysis = ?9, outcome = ?10,"
	" version = version + 1 WHERE council = ?1 AND assessment_id = ?2"
	" AND version = ?3 AND authorised_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_bump) = {
	"assess_bump",
	"UPDATE assessment SET version = version + 1 WHERE council = ?1"
	" AND assessment_id = ?2 AND version = ?3 AND authorised_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_factor_del) = {
	"assess_factor_delete",
	"DELETE FROM assessment_factor WHERE council = ?1 AND assessment_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_factor_ins) = {
	"assess_factor_insert",
	"INSERT INTO assessment_factor (council, assessment_id, factor)"
	" VALUES (?1, ?2, ?3)",
	WRITE_ROLES,
};
DB_STMT(st_factor_count) = {
	"assess_factor_count",
	"SELECT count(*), SUM(CASE WHEN factor = '" FACTOR_NONE "' THEN 1"
	" ELSE 0 END) FROM assessment_factor WHERE council = ?1"
	" AND assessment_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_user) = {
	"assess_user",
	"SELECT display_name, role, disabled FROM app_user"
	" WHERE council = ?1 AND user_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_seen_ins) = {
	"assess_seen_insert",
	"INSERT INTO assessment_seen (council, seen_id, assessment_id,"
	" child_id, seen_on, alone, seen_by, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	WRITE_ROLES,
};
DB_STMT(st_first_seen) = {
	"assess_first_seen",
	"SELECT min(seen_on) FROM assessment_seen WHERE council = ?1"
	" AND assessment_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_submit) = {
	"assess_submit",
	"UPDATE assessment SET submitted_at = ?4, submitted_by = ?5"
	" WHERE council = ?1 AND assessment_id = ?2 AND version = ?3"
	" AND submitted_at IS NULL AND authorised_on IS NULL",
	WRITE_ROLES,
};
DB_STMT(st_authorise) = {
	"assess_authorise",
	"UPDATE assessment SET authorised_on = ?4, authorised_by = ?5,"
	" late_reason = ?6 WHERE council = ?1 AND assessment_id = ?2"
	" AND version = ?3 AND submitted_at IS NOT NULL"
	" AND authorised_on IS NULL",
	AUTHORISE_ROLES,
};

/* ---- reading -------------------------------------------------------------- */

/* The derived fields, as of the actor's (arg) civil date. */
static int derive(struct arena *a, struct db_q *q, void *item, void *arg)
{
	(void)a;
	(void)q;
	struct assessment *s = item;
	const struct actor *who = arg;
	char today[11];
	cal_date_format(who->civil.date, today);
	s->authorised = s->authorised_on[0] != '\0';
	s->status = s->authorised ? "authorised"
		    : s->submitted_at[0] ? "submitted" : "in_progress";
	s->overdue = !s->authorised && s->due_on[0] &&
		     strcmp(today, s->due_on) > 0;
	s->late = s->authorised && s->due_on[0] &&
		  strcmp(s->authorised_on, s->due_on) > 0;
	s->seen = s->first_seen_on[0] != '\0';
	s->seen_overdue = !s->seen && s->seen_due_on[0] &&
			  strcmp(today, s->seen_due_on) > 0;
	if (s->factors == NULL)
		s->factors = "";
	return ERR_OK;
}

static const struct row_map view_rows = {
	sizeof(struct assessment), NULL, 0, derive, &assess_view,
};
static const struct row_map seen_rows = {
	sizeof(struct assess_seen), NULL, 0, NULL, &assess_seen_view,
};

/* The factors of id, space-separated, into *out (arena). */
static int read_factors(struct db_conn *c, const char *council, int64_t id,
			struct arena *a, const char **out)
{
	struct db_q *q;
	char buf[ASSESS_FACTORS_MAX * 5 + 1] = "";
	size_t len = 0;
	int rc = db_exec(c, &st_factors, &q, council, id);
	for (; rc == DB_ROW; rc = db_step(q)) {
		const char *f = db_col_text(q, 0);
		int k = snprintf(buf + len, sizeof(buf) - len, "%s%s",
				 len ? " " : "", f ? f : "");
		if (k > 0 && (size_t)k < sizeof(buf) - len)
			len += (size_t)k;
	}
	if (rc < 0)
		return err_from_db(rc);
	*out = arena_strdup(a, buf);
	return *out ? ERR_OK : ERR_NOMEM;
}

int assess_read(struct db_conn *c, const struct actor *who, int64_t id,
		struct arena *a, struct assessment *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct assessment s;
	memset(&s, 0, sizeof(s));
	rc = rows_get(c, &st_get, &q, who->council, id);
	if (rc == ERR_OK) {
		fields_row(q, 0, &assess_view, &s, a);
		db_done(q);
		rc = child_visible(c, who, s.child_id);
	}
	if (rc == ERR_OK)
		rc = read_factors(c, who->council, id, a, &s.factors);
	if (rc == ERR_OK)
		rc = derive(a, NULL, &s, (void *)who);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_seen_list, &seen_rows, NULL, &s.seen_v,
			       &s.seen_n, who->council, id);
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "assessment", id, s.child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = s;
	return rc;
}

/* Newest started first, then the higher id. */
static int cmp_child(const void *pa, const void *pb)
{
	const struct assessment *x = pa, *y = pb;
	int k = strcmp(y->started_on, x->started_on);
	return k ? k : (y->assessment_id > x->assessment_id) -
			       (y->assessment_id < x->assessment_id);
}

int assess_list_child(struct db_conn *c, const struct actor *who,
		      int64_t child_id, struct arena *a,
		      struct assessment **rows, int *n)
{
	return rows_sorted(c, a, &st_child, &view_rows, (void *)who, cmp_child,
			   ASSESS_CHILD_ROWS, rows, n, who->council, child_id);
}

static const struct row_col startable_cols[] = {
	ROW_COL(ROW_I64, struct assess_startable, referral_id),
	ROW_COL(ROW_TEXT, struct assess_startable, referral_date),
};
static const struct row_map startable_rows =
	ROW_MAP(struct assess_startable, startable_cols, NULL);

/* Newest referral first, then the higher id (sorted here: see
 * st_child). */
static int cmp_startable(const void *pa, const void *pb)
{
	const struct assess_startable *x = pa, *y = pb;
	int k = strcmp(y->referral_date, x->referral_date);
	return k ? k : (y->referral_id > x->referral_id) -
			       (y->referral_id < x->referral_id);
}

int assess_startable(struct db_conn *c, const struct actor *who,
		     int64_t child_id, struct arena *a,
		     struct assess_startable **rows, int *n)
{
	return rows_sorted(c, a, &st_startable, &startable_rows, NULL,
			   cmp_startable, ASSESS_STARTABLE_ROWS, rows, n,
			   who->council, child_id);
}

DB_STMT(st_workers) = {
	"assess_workers",
	"SELECT user_id, display_name FROM app_user WHERE council = ?1"
	" AND disabled = 0 AND role IN ('social-worker', 'team-manager')"
	" ORDER BY display_name, user_id",
	WRITE_ROLES,
};
static const struct row_col worker_cols[] = {
	ROW_COL(ROW_I64, struct assess_worker, user_id),
	ROW_COL(ROW_TEXT, struct assess_worker, name),
};
static const struct row_map worker_rows =
	ROW_MAP(struct assess_worker, worker_cols, NULL);

int assess_workers(struct db_conn *c, const struct actor *who,
		   struct arena *a, struct assess_worker **rows, int *n)
{
	return rows_list(c, a, &st_workers, &worker_rows, NULL, rows, n,
			 who->council);
}

/* ---- writing --------------------------------------------------------------- */

/* A date typed as 'YYYY-MM-DD' on or after the referral's date, else a
 * message on field. */
static void not_before_referral(const char *v, const char *referral_date,
				const char *field, const char *what,
				struct field_errors *e)
{
	if (v && referral_date && referral_date[0] &&
	    strcmp(v, referral_date) < 0 && fe_for(e, field) == NULL) {
		char w[32];
		cal_words(referral_date, w);
		fe_addf(e, field, "%s must be on or after the referral date, %s",
			what, w);
	}
}

int assess_start(struct db_conn *c, const struct actor *who,
		 int64_t referral_id, const struct assess_start *in,
		 int64_t *id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&assess_start_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t child_id = 0, existing = 0, aid = 0;
	char rdate[11] = "";
	rc = rows_get(c, &st_referral, &q, who->council, referral_id);
	if (rc == ERR_OK) {
		child_id = db_col_i64(q, 0);
		snprintf(rdate, sizeof(rdate), "%s",
			 db_col_text(q, 1) ? db_col_text(q, 1) : "");
		existing = db_col_null(q, 2) ? 0 : db_col_i64(q, 2);
		db_done(q);
		rc = child_visible(c, who, child_id);
	}
	if (rc == ERR_OK && existing) {
		fe_set(e, "referral_id", "This referral already has a single "
		       "assessment; open it from the child's record");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK) {
		not_before_referral(in->started_on, rdate, "started_on",
				    "The date the assessment started", e);
		if (e->n > before)
			rc = ERR_INVALID;
	}
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "assessment", &aid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_insert, who->council, aid, child_id,
				referral_id, in->started_on, created,
				who->user_id);
	if (rc == ERR_OK) {
		struct cal_time t = {{0, 0, 0}, 0, 0};
		cal_date_parse(in->started_on, strlen(in->started_on), &t.date);
		rc = chron_note(c, who, child_id, t, false, "assessment",
				assess_start_summary(), "assessment", aid);
	}
	rc = tx_end_audit(c, own, rc, who, "create", "assessment", aid,
			  child_id);
	if (rc == ERR_OK && id)
		*id = aid;
	return rc;
}

/* The row a write works on. */
struct state {
	int64_t child_id, referral_id, submitted_by, version;
	char referral_date[11], due_on[11], authorised_on[11];
	bool submitted;
	/* the written content, for the completeness check */
	const char *text[7]; /* development ... outcome, in edit order */
};

/* Reads id's state (and its content into a, when a is not NULL);
 * ERR_NOTFOUND when the actor may not see it. */
static int state_read(struct db_conn *c, const struct actor *who, int64_t id,
		      struct arena *a, struct state *s)
{
	struct db_q *q;
	memset(s, 0, sizeof(*s));
	int rc = rows_get(c, &st_state, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	s->child_id = db_col_i64(q, 0);
	s->referral_id = db_col_null(q, 1) ? 0 : db_col_i64(q, 1);
	snprintf(s->referral_date, 11, "%s",
		 db_col_text(q, 2) ? db_col_text(q, 2) : "");
	s->submitted = !db_col_null(q, 3);
	s->submitted_by = db_col_null(q, 4) ? 0 : db_col_i64(q, 4);
	snprintf(s->authorised_on, 11, "%s",
		 db_col_text(q, 5) ? db_col_text(q, 5) : "");
	s->version = db_col_i64(q, 6);
	/* the columns development, parenting, family, wishes, wishes_how,
	 * analysis, outcome: the order of struct assess_edit */
	for (int i = 0; a && i < 7; i++) {
		s->text[i] = rows_text(a, q, 7 + i);
		if (s->text[i] == NULL) {
			db_done(q);
			return ERR_NOMEM;
		}
	}
	snprintf(s->due_on, 11, "%s",
		 db_col_text(q, 14) ? db_col_text(q, 14) : "");
	db_done(q);
	return child_visible(c, who, s->child_id);
}

/* ERR_CONFLICT with a message when id is authorised. */
static int open_for_change(const struct state *s, struct field_errors *e)
{
	if (!s->authorised_on[0])
		return ERR_OK;
	char w[32];
	cal_words(s->authorised_on, w);
	fe_addf(e, "assessment", "The assessment was authorised on %s and "
		"cannot be changed", w);
	return ERR_CONFLICT;
}

/* Parses codes separated by spaces or commas into v (unique, in the
 * list's order); messages on "factors". */
static int parse_factors(const char *s, const char *v[ASSESS_FACTORS_MAX],
			 int *n, struct field_errors *e)
{
	bool on[ASSESS_FACTORS_MAX + 1] = {false};
	int before = e->n;
	*n = 0;
	for (const char *p = s; p && *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		size_t len = strcspn(p, " ,\t");
		if (len == 0)
			break;
		char code[8];
		int k = -1;
		if (len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = '\0';
			k = codes_index(assess_factor_codes, code);
		}
		if (k < 0 || k >= ASSESS_FACTORS_MAX) {
			fe_addf(e, "factors", "Assessment factor %.*s is not "
				"one of the CIN census's factors; select factors "
				"from the list", len > 8 ? 8 : (int)len, p);
			break;
		}
		on[k] = true;
		p += len;
	}
	for (int k = 0; k < ASSESS_FACTORS_MAX; k++)
		if (on[k])
			v[(*n)++] = assess_factor_codes[k].code;
	bool none = false;
	for (int i = 0; i < *n; i++)
		none = none || strcmp(v[i], FACTOR_NONE) == 0;
	if (e->n == before && none && *n > 1)
		fe_set(e, "factors", "\"No factors identified\" cannot be "
		       "chosen with other factors");
	return e->n > before ? ERR_INVALID : ERR_OK;
}

/* What submission and authorisation need, each missing part named;
 * content in edit order (NULL or "" missing), nf factors, with_none
 * factor 21 among them. */
static void check_complete(const char *const text[7], int64_t nf,
			   bool with_none, struct field_errors *e)
{
	static const char *const missing[7] = {
		"Enter the child's developmental needs",
		"Enter the parenting capacity",
		"Enter the family and environmental factors",
		"Enter the child's wishes and feelings",
		"Select how the child's wishes and feelings were gathered",
		"Enter the summary analysis",
		"Select the outcome",
	};
	for (int i = 0; i < 7; i++)
		if (text[i] == NULL || text[i][0] == '\0')
			fe_set(e, edit_fields[i].name, missing[i]);
	if (nf == 0)
		fe_set(e, "factors", "Select at least one assessment factor, "
		       "or \"No factors identified\"");
	const char *o = text[6];
	if (with_none && o && o[0] && strcmp(o, "nfa") != 0 &&
	    strcmp(o, "step_down") != 0)
		fe_set(e, "factors", "\"No factors identified\" is only for an "
		       "assessment ending in no further action or a step down "
		       "to universal services; select the factors found");
}

int assess_update(struct db_conn *c, const struct actor *who, int64_t id,
		  const struct assess_edit *in, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&assess_edit_type, in, who, e);
	const char *fv[ASSESS_FACTORS_MAX];
	int nf = 0;
	if (in->factors)
		parse_factors(in->factors, fv, &nf, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s;
	struct arena *a = arena_new(1u << 20);
	rc = state_read(c, who, id, a, &s);
	struct field_errors conflict = {0};
	if (rc == ERR_OK && (rc = open_for_change(&s, &conflict)) != ERR_OK)
		*e = conflict;
	if (rc == ERR_OK && e->n > before)
		rc = ERR_INVALID;
	/* NULL keeps, "" clears (stored NULL) */
	const char *const given[7] = {in->development, in->parenting,
				      in->family, in->wishes, in->wishes_how,
				      in->analysis, in->outcome};
	const char *v[7];
	for (int i = 0; i < 7; i++) {
		const char *x = given[i] ? given[i] : s.text[i];
		v[i] = x && x[0] ? x : NULL;
	}
	if (rc == ERR_OK)
		rc = rows_change(c, &st_update, who->council, id, s.version, v[0],
				 v[1], v[2], v[3], v[4], v[5], v[6]);
	if (rc == ERR_OK && in->factors) {
		rc = rows_write(c, &st_factor_del, who->council, id);
		for (int i = 0; rc == ERR_OK && i < nf; i++)
			rc = rows_write(c, &st_factor_ins, who->council, id, fv[i]);
	}
	arena_free(a);
	return tx_end_audit(c, own, rc, who, "update", "assessment", id,
			    s.child_id);
}

/* The factors held: how many, and whether 21 is one. */
static int factor_count(struct db_conn *c, const char *council, int64_t id,
			int64_t *n, bool *none)
{
	struct db_q *q;
	int rc = rows_get(c, &st_factor_count, &q, council, id);
	if (rc != ERR_OK)
		return rc;
	*n = db_col_i64(q, 0);
	*none = !db_col_null(q, 1) && db_col_i64(q, 1) > 0;
	db_done(q);
	return ERR_OK;
}

/* Checks s (content read) is complete: ERR_INVALID naming each part. */
static int complete(struct db_conn *c, const struct actor *who, int64_t id,
		    const struct state *s, struct field_errors *e)
{
	int64_t nf = 0;
	bool none = false;
	int rc = factor_count(c, who->council, id, &nf, &none);
	if (rc != ERR_OK)
		return rc;
	int before = e->n;
	check_complete(s->text, nf, none, e);
	return e->n > before ? ERR_INVALID : ERR_OK;
}

int assess_submit(struct db_conn *c, const struct actor *who, int64_t id,
		  struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s;
	struct arena *a = arena_new(1u << 20);
	rc = state_read(c, who, id, a, &s);
	if (rc == ERR_OK)
		rc = open_for_change(&s, e);
	if (rc == ERR_OK && s.submitted) {
		fe_set(e, "submission", "The assessment is already waiting for "
		       "a manager's authorisation");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK)
		rc = complete(c, who, id, &s, e);
	char at[17];
	cal_time_format(who->civil, at);
	if (rc == ERR_OK)
		rc = rows_change(c, &st_submit, who->council, id, s.version, at,
				 who->user_id);
	arena_free(a);
	return tx_end_audit(c, own, rc, who, "submit", "assessment", id,
			    s.child_id);
}

/* Whether the outcome opens a Family Help case (assess.h). */
static bool opens_case(const char *outcome)
{
	return outcome && (strcmp(outcome, "family_help") == 0 ||
			   strcmp(outcome, "cin_plan") == 0);
}

/* Whether the child has an open Family Help case (in c's transaction). */
static int family_help_open(struct db_conn *c, const struct actor *who,
			    int64_t child_id, bool *open)
{
	struct arena *a = arena_new(1u << 20);
	if (a == NULL)
		return ERR_NOMEM;
	struct episode *v;
	int n;
	int rc = episode_list_child(c, who, child_id, a, &v, &n);
	*open = false;
	for (int i = 0; rc == ERR_OK && i < n; i++)
		*open |= v[i].open && strcmp(v[i].case_type, "family_help") == 0;
	arena_free(a);
	return rc;
}

/* Opens the case the outcome names (assess.h), on today. */
static int open_case(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, const struct state *s, int64_t id,
		     const char *need, struct field_errors *e)
{
	char today[11];
	cal_date_format(who->civil.date, today);
	bool s17 = strcmp(s->text[6], "cin_plan") == 0;
	struct episode_input in = {
		.case_type = "family_help", .opened_on = today,
		.primary_need = need, .section17 = s17,
		.plan_start = s17 ? today : NULL,
		.referral_id = s->referral_id, .assessment_id = id,
	};
	struct field_errors ee = {0};
	int rc = episode_open(c, who, cal, s->child_id, &in, NULL, &ee);
	/* the case's own checks, on this form's field */
	for (int i = 0; i < ee.n; i++)
		fe_set(e, strcmp(ee.v[i].field, "primary_need") == 0
				  ? "primary_need" : "outcome", ee.v[i].msg);
	return rc;
}

int assess_authorise(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, int64_t id,
		     const struct assess_authorise *in,
		     struct field_errors *e)
{
	/* every message in mine, given to e at the end: a refusal is
	 * decided on this call's messages alone */
	struct field_errors mine = {0}, *out = e;
	e = &mine;
	if (who->role == NULL || strcmp(who->role, "team-manager") != 0)
		return ERR_DENIED;
	fields_check(&assess_authorise_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s;
	struct arena *a = arena_new(1u << 20);
	struct field_errors ce = {0};
	rc = state_read(c, who, id, a, &s);
	if (rc == ERR_OK)
		rc = open_for_change(&s, &ce);
	if (rc == ERR_OK && !s.submitted) {
		fe_set(&ce, "submission", "The assessment has not been submitted "
		       "for authorisation; the worker submits it first");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK && in->version > 0 && in->version != s.version) {
		fe_set(&ce, "version", "The assessment was changed after you "
		       "opened it; read it again before you authorise it");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK && s.submitted_by == who->user_id) {
		fe_set(&ce, "authorised_by", "You submitted this assessment; "
		       "another team manager must authorise it");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_CONFLICT)
		*e = ce;
	if (rc == ERR_OK)
		rc = complete(c, who, id, &s, e);
	/* R02: late when authorised after the engine's due date */
	char today[11];
	cal_date_format(who->civil.date, today);
	bool late = s.due_on[0] && strcmp(today, s.due_on) > 0;
	const char *reason = in->late_reason;
	bool have = reason && reason[0] && reason[strspn(reason, " \t\r\n")];
	/* the case the outcome opens needs the primary need, unless the
	 * child's Family Help case is open already (it continues) */
	bool open_one = false;
	if (rc == ERR_OK && opens_case(s.text[6])) {
		bool already;
		rc = family_help_open(c, who, s.child_id, &already);
		open_one = rc == ERR_OK && !already;
		if (open_one && (in->primary_need == NULL ||
				 in->primary_need[0] == '\0'))
			fe_set(e, "primary_need", "Select the child's primary "
			       "need: authorising this outcome opens a Family "
			       "Help case");
	}
	if (rc != ERR_CONFLICT && rc != ERR_NOTFOUND && late && !have) {
		char w[32];
		cal_words(s.due_on, w);
		fe_addf(e, "late_reason", "Enter why the assessment is "
			"authorised after its due date, %s", w);
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (rc == ERR_OK)
		rc = rows_change(c, &st_authorise, who->council, id, s.version,
				 today, who->user_id, late ? reason : NULL);
	if (rc == ERR_OK && s.referral_id) {
		struct cal_time t = {who->civil.date, 0, 0};
		rc = due_meet(c, who, "R02", cal, "referral", s.referral_id, t);
	}
	if (rc == ERR_OK) {
		char line[200];
		assess_authorised_summary(s.text[6], late, line, sizeof(line));
		struct cal_time t = {who->civil.date, 0, 0};
		rc = chron_note(c, who, s.child_id, t, false,
				"assessment_authorised", line, "assessment", id);
	}
	if (rc == ERR_OK && open_one)
		rc = open_case(c, who, cal, &s, id, in->primary_need, e);
	/* R06: an outcome of a strategy discussion starts its clock (the
	 * referral's, unless the front door started it already) */
	if (rc == ERR_OK && s.referral_id && strcmp(s.text[6], "strategy") == 0)
		rc = due_refresh(c, who, cal, "R06", s.child_id);
	arena_free(a);
	for (int i = 0; out && i < mine.n; i++)
		fe_set(out, mine.v[i].field, mine.v[i].msg);
	return tx_end_audit(c, own, rc, who, "authorise", "assessment", id,
			    s.child_id);
}

/* R05 on the referral: started at the referral (as referral_open does)
 * and met on the first day the child was seen, whatever the order the
 * times were recorded in; so the kept item is what a rebuild makes. */
static int r05_again(struct db_conn *c, const struct actor *who,
		     const struct cal *cal, const struct state *s, int64_t id)
{
	struct db_q *q;
	struct cal_time start = {{0, 0, 0}, 0, 0}, met = {{0, 0, 0}, 0, 0};
	if (!cal_date_parse(s->referral_date, strlen(s->referral_date),
			    &start.date))
		return ERR_OK; /* no referral: no clock */
	int rc = rows_get(c, &st_first_seen, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	const char *first = db_col_text(q, 0);
	bool ok = first && cal_date_parse(first, strlen(first), &met.date);
	db_done(q);
	rc = due_start(c, who, "R05", cal, "referral", s->referral_id,
		       s->child_id, start, NULL);
	if (rc == ERR_OK && ok)
		rc = due_meet(c, who, "R05", cal, "referral", s->referral_id,
			      met);
	return rc;
}

int assess_see(struct db_conn *c, const struct actor *who,
	       const struct cal *cal, int64_t id,
	       const struct assess_seen_input *in, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int before = e->n;
	fields_check(&assess_seen_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct state s;
	rc = state_read(c, who, id, NULL, &s);
	if (rc == ERR_OK)
		rc = open_for_change(&s, e);
	char by[128] = "";
	if (rc == ERR_OK && in->seen_by > 0 && fe_for(e, "seen_by") == NULL) {
		struct db_q *q;
		int k = rows_get(c, &st_user, &q, who->council, in->seen_by);
		if (k == ERR_NOTFOUND) {
			fe_set(e, "seen_by", "The person who saw the child was "
			       "not found in your council; select them from "
			       "the list");
		} else if (k == ERR_OK) {
			const char *role = db_col_text(q, 1);
			snprintf(by, sizeof(by), "%s", db_col_text(q, 0));
			if (db_col_i64(q, 2) != 0)
				fe_addf(e, "seen_by", "%.60s's account is "
					"disabled; select who saw the child", by);
			else if (!role || (strcmp(role, "social-worker") != 0 &&
					   strcmp(role, "team-manager") != 0))
				fe_addf(e, "seen_by", "%.60s is not a social "
					"worker or team manager; select who saw "
					"the child", by);
			db_done(q);
		} else {
			rc = k;
		}
	}
	if (rc == ERR_OK) {
		not_before_referral(in->seen_on, s.referral_date, "seen_on",
				    "The date the child was seen", e);
		if (e->n > before)
			rc = ERR_INVALID;
	}
	int64_t sid = 0;
	char created[21];
	act_stamp(who, created);
	bool alone = in->alone && strcmp(in->alone, "yes") == 0;
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "assessment_seen",
					    &sid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_seen_ins, who->council, sid, id,
				s.child_id, in->seen_on, alone, in->seen_by,
				created, who->user_id);
	if (rc == ERR_OK)
		rc = rows_change(c, &st_bump, who->council, id, s.version);
	if (rc == ERR_OK && s.referral_id)
		rc = r05_again(c, who, cal, &s, id);
	if (rc == ERR_OK) {
		char line[200];
		struct cal_time t = {{0, 0, 0}, 0, 0};
		cal_date_parse(in->seen_on, strlen(in->seen_on), &t.date);
		assess_seen_summary(alone, by, line, sizeof(line));
		rc = chron_note(c, who, s.child_id, t, false, "child_seen", line,
				"assessment", id);
	}
	return tx_end_audit(c, own, rc, who, "child_seen", "assessment", id,
			    s.child_id);
}

/* ---- the chronology's backfill --------------------------------------------- */

#define NO_ENTRY(kind, extra)                                               \
	" NOT EXISTS (SELECT 1 FROM chronology e WHERE e.council = a.council" \
	" AND e.link_kind = 'assessment' AND e.link_id = a.assessment_id"    \
	" AND e.kind = '" kind "'" extra ")"

DB_STMT(st_bf_start) = {
	"assess_chron_backfill_start",
	"SELECT a.child_id, a.assessment_id, a.started_on FROM assessment a"
	" WHERE a.council = ?1 AND" NO_ENTRY("assessment", "")
	" ORDER BY a.assessment_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_seen) = {
	"assess_chron_backfill_seen",
	"SELECT a.child_id, a.assessment_id, s.seen_on, s.alone,"
	" u.display_name FROM assessment_seen s JOIN assessment a"
	" ON a.council = s.council AND a.assessment_id = s.assessment_id"
	" LEFT JOIN app_user u ON u.council = s.council AND u.user_id = s.seen_by"
	" WHERE s.council = ?1 AND"
	NO_ENTRY("child_seen", " AND e.occurred = s.seen_on")
	" ORDER BY s.seen_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_auth) = {
	"assess_chron_backfill_authorised",
	"SELECT a.child_id, a.assessment_id, a.authorised_on, a.outcome,"
	" a.late_reason FROM assessment a"
	" WHERE a.council = ?1 AND a.authorised_on IS NOT NULL AND"
	NO_ENTRY("assessment_authorised", "") " ORDER BY a.assessment_id",
	DB_ROLE_SYSTEM,
};

static bool bf_start(struct db_q *q, char *out, size_t n)
{
	(void)q;
	snprintf(out, n, "%s", assess_start_summary());
	return true;
}

static bool bf_seen(struct db_q *q, char *out, size_t n)
{
	assess_seen_summary(db_col_i64(q, 3) != 0, db_col_text(q, 4), out, n);
	return true;
}

static bool bf_auth(struct db_q *q, char *out, size_t n)
{
	/* a late authorisation is the one with a reason (assess_authorise
	 * keeps the reason only then) */
	assess_authorised_summary(db_col_text(q, 3), !db_col_null(q, 4), out,
				  n);
	return true;
}

int assess_chron_backfill(struct db_conn *c, const struct actor *act,
			  int64_t *made)
{
	static const struct chron_source sources[] = {
		{&st_bf_start, "assessment", "assessment", bf_start},
		{&st_bf_seen, "child_seen", "assessment", bf_seen},
		{&st_bf_auth, "assessment_authorised", "assessment", bf_auth},
	};
	return chron_backfill(c, act, sources,
			      sizeof(sources) / sizeof(sources[0]), made);
}
