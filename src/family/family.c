/* family.c: see family.h for the contract (D55). */
#include "family/family.h"
#include "auth/role.h"
#include "cp/cp.h"
#include "episode/episode.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/rows.h"

#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c: PERM_EPISODE_READ reads the
 * family, PERM_CHILD_UPDATE writes it (a write reads the family too). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES \
	(RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

#define NAME_MAX 120
#define SOURCE_MAX 300

/* ---- code lists --------------------------------------------------------- */

const struct field_code family_rel_codes[] = {
	{"mother", "Mother"},
	{"father", "Father"},
	{"parent", "Parent"},
	{"step_parent", "Step-parent"},
	{"sibling", "Brother or sister"},
	{"half_sibling", "Half-brother or half-sister"},
	{"grandparent", "Grandparent"},
	{"aunt_uncle", "Aunt or uncle"},
	{"family_friend", "Family friend"},
	{"other", "Someone else who matters to the child"},
	{NULL, NULL},
};

/* The network kind each relationship is filed under, in the list's
 * order (the network section and its CHECK know these kinds). */
static const char *const rel_kinds[] = {
	"parent", "parent", "parent", "carer", "sibling", "sibling",
	"significant_adult", "significant_adult", "significant_adult",
	"significant_adult",
};

/* The CIN census assessment factors about a parent or carer (B) or
 * another adult of the household (C): cin_assessment_factors.csv. */
const struct field_code family_factor_codes[] = {
	{"1B", "Alcohol misuse by a parent or carer"},
	{"2B", "Drug misuse by a parent or carer"},
	{"3B", "Domestic abuse: a parent or carer is subject to it"},
	{"4B", "Mental health of a parent or carer"},
	{"5B", "Learning disability of a parent or carer"},
	{"6B", "Physical disability or illness of a parent or carer"},
	{"1C", "Alcohol misuse by another adult in the household"},
	{"2C", "Drug misuse by another adult in the household"},
	{"3C", "Domestic abuse: another adult in the household is subject "
	       "to it"},
	{"4C", "Mental health of another adult in the household"},
	{"5C", "Learning disability of another adult in the household"},
	{"6C", "Physical disability or illness of another adult in the "
	       "household"},
	{NULL, NULL},
};

const char *family_rel_kind(const char *rel_code)
{
	int k = codes_index(family_rel_codes, rel_code);
	return k < 0 ? NULL : rel_kinds[k];
}

/* ---- fields ------------------------------------------------------------- */

#define REL_FIELDS(T)                                                       \
	{.name = "relationship", .label = "Who are they to the child?",     \
	 .type = FT_CODE, .required = true, .radios = true,                 \
	 .codes = family_rel_codes, .what = "who they are to the child",    \
	 .offset = offsetof(T, relationship)},                              \
	{.name = "relationship_other", .label = "Who they are, in words",   \
	 .hint = "Needed for someone else who matters to the child, for "   \
		 "example a neighbour or a godparent",                      \
	 .type = FT_TEXT, .max = NAME_MAX, .rules = FR_SOMETIMES,           \
	 .offset = offsetof(T, relationship_other)},                        \
	{.name = "parental_responsibility",                                 \
	 .label = "Do they have parental responsibility for the child?",    \
	 .type = FT_BOOL, .offset = offsetof(T, parental_responsibility)},  \
	{.name = "start_date", .label = "In the child's life since",        \
	 .called = "The start date", .what = "the start date",              \
	 .hint = "For example, 1 9 2023", .type = FT_DATE,                  \
	 .rules = FR_NOT_FUTURE, .offset = offsetof(T, start_date)},        \
	{.name = "end_date", .label = "No longer in the child's life since",\
	 .called = "The end date", .what = "the end date",                  \
	 .hint = "Only for someone who was in the child's life",            \
	 .type = FT_DATE, .rules = FR_NOT_FUTURE,                           \
	 .offset = offsetof(T, end_date)}

#define PI(m) offsetof(struct family_person_input, m)
static const struct field person_in_fields[] = {
	{.name = "name", .label = "Full name", .type = FT_TEXT,
	 .required = true, .max = NAME_MAX, .what = "the person's full name",
	 .offset = PI(name)},
	{.name = "phone", .label = "Telephone", .type = FT_TEXT, .max = 30,
	 .format = FF_PHONE, .width = "govuk-input--width-20",
	 .offset = PI(phone)},
	REL_FIELDS(struct family_person_input),
};
const struct record_type family_person_input_type = {
	"family_person_input", person_in_fields,
	(int)(sizeof(person_in_fields) / sizeof(person_in_fields[0])),
};

static const struct field link_in_fields[] = {
	{.name = "person_id", .label = "Who", .type = FT_REF,
	 .required = true, .what = "the person",
	 .missing = "Select the person to add",
	 .offset = offsetof(struct family_link_input, person_id)},
	REL_FIELDS(struct family_link_input),
};
const struct record_type family_link_input_type = {
	"family_link_input", link_in_fields,
	(int)(sizeof(link_in_fields) / sizeof(link_in_fields[0])),
};
const struct record_type family_link_form_type = {
	"family_link_input", link_in_fields + 1,
	(int)(sizeof(link_in_fields) / sizeof(link_in_fields[0])) - 1,
};

#define FI(m) offsetof(struct family_factor_input, m)
static const struct field factor_in_fields[] = {
	{.name = "person_id", .label = "Who", .type = FT_REF,
	 .required = true, .missing = "Select the person",
	 .offset = FI(person_id)},
	{.name = "assessment_id", .label = "From an assessment",
	 .hint = "The assessment it was found in, if it was", .type = FT_REF,
	 .offset = FI(assessment_id)},
	{.name = "factor", .label = "Which factor?", .type = FT_CODE,
	 .required = true, .radios = true, .codes = family_factor_codes,
	 .what = "the factor", .offset = FI(factor)},
	{.name = "noted_on", .label = "When was it known?",
	 .called = "The date", .what = "the date it was known",
	 .hint = "For example, 27 3 2026", .type = FT_DATE, .required = true,
	 .rules = FR_NOT_FUTURE, .offset = FI(noted_on)},
	{.name = "source", .label = "Where it came from",
	 .hint = "Needed without an assessment, for example \"the health "
		 "visitor, by telephone\"",
	 .type = FT_TEXT, .max = SOURCE_MAX, .rules = FR_SOMETIMES,
	 .offset = FI(source)},
};
const struct record_type family_factor_input_type = {
	"family_factor_input", factor_in_fields,
	(int)(sizeof(factor_in_fields) / sizeof(factor_in_fields[0])),
};
const struct record_type family_factor_form_type = {
	"family_factor_input", factor_in_fields + 2,
	(int)(sizeof(factor_in_fields) / sizeof(factor_in_fields[0])) - 2,
};

/* ---- views -------------------------------------------------------------- */

#define CV(m) offsetof(struct family_child, m)
static const struct field child_fields[] = {
	{.name = "child_id", .type = FT_INT, .offset = CV(child_id)},
	{.name = "given_name", .label = "Given name", .type = FT_TEXT,
	 .offset = CV(given_name)},
	{.name = "family_name", .label = "Family name", .type = FT_TEXT,
	 .offset = CV(family_name)},
	{.name = "la_ref", .label = "LA reference", .type = FT_TEXT,
	 .offset = CV(la_ref)},
	{.name = "dob", .label = "Date of birth", .type = FT_DATE,
	 .offset = CV(dob)},
	{.name = "cp_category", .label = "Child protection plan",
	 .type = FT_CODE, .codes = cp_category_codes, .out = FO_LABEL | FO_DERIVED,
	 .offset = CV(cp_category)},
	{.name = "cp_since", .label = "Plan since", .type = FT_DATE,
	 .out = FO_DERIVED, .offset = CV(cp_since)},
};
const struct record_type family_child_view = {
	"family_child", child_fields,
	(int)(sizeof(child_fields) / sizeof(child_fields[0])),
};

#define KV(m) offsetof(struct family_case, m)
static const struct field case_fields[] = {
	{.name = "case_id", .type = FT_INT, .offset = KV(episode_id)},
	{.name = "case_type", .label = "Case", .type = FT_CODE,
	 .codes = episode_type_codes, .out = FO_LABEL, .offset = KV(case_type)},
	{.name = "lead_practitioner", .label = "Lead practitioner",
	 .type = FT_TEXT, .offset = KV(worker_name)},
};
const struct record_type family_case_view = {
	"family_case", case_fields,
	(int)(sizeof(case_fields) / sizeof(case_fields[0])),
};

#define LV(m) offsetof(struct family_link, m)
static const struct field link_fields[] = {
	{.name = "person_id", .type = FT_INT, .out = FO_HIDDEN,
	 .offset = LV(person_id)},
	{.name = "child_id", .type = FT_INT, .offset = LV(child_id)},
	{.name = "member_id", .type = FT_INT, .offset = LV(member_id)},
	{.name = "relationship_code", .type = FT_CODE,
	 .codes = family_rel_codes, .offset = LV(rel_code)},
	{.name = "relationship", .label = "Who they are to the child",
	 .type = FT_TEXT, .offset = LV(relationship)},
	{.name = "parental_responsibility", .label = "Parental responsibility",
	 .type = FT_BOOL, .offset = LV(parental_responsibility)},
	{.name = "start_date", .label = "Since", .type = FT_DATE,
	 .offset = LV(start_date)},
	{.name = "end_date", .label = "Until", .type = FT_DATE,
	 .offset = LV(end_date)},
	{.name = "current", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = LV(current)},
};
const struct record_type family_link_view = {
	"family_link", link_fields,
	(int)(sizeof(link_fields) / sizeof(link_fields[0])),
};

#define FV(m) offsetof(struct family_factor, m)
static const struct field factor_fields[] = {
	{.name = "id", .type = FT_INT, .offset = FV(factor_id)},
	{.name = "person_id", .type = FT_INT, .out = FO_HIDDEN,
	 .offset = FV(person_id)},
	{.name = "factor", .label = "Factor", .type = FT_CODE,
	 .codes = family_factor_codes, .out = FO_LABEL, .offset = FV(factor)},
	{.name = "noted_on", .label = "Known since", .type = FT_DATE,
	 .offset = FV(noted_on)},
	{.name = "assessment_id", .type = FT_REF, .offset = FV(assessment_id)},
	{.name = "assessment_child_id", .type = FT_REF,
	 .offset = FV(assessment_child_id)},
	{.name = "source", .label = "Source", .type = FT_TEXT,
	 .offset = FV(source)},
	{.name = "recorded_by", .label = "Recorded by", .type = FT_TEXT,
	 .offset = FV(recorded_by_name)},
	{.name = "recorded_at", .label = "Recorded", .type = FT_TEXT,
	 .offset = FV(recorded_at)},
};
const struct record_type family_factor_view = {
	"family_factor", factor_fields,
	(int)(sizeof(factor_fields) / sizeof(factor_fields[0])),
};

#define AV(m) offsetof(struct family_adult, m)
static const struct field adult_fields[] = {
	{.name = "person_id", .type = FT_INT, .offset = AV(person_id)},
	{.name = "name", .label = "Name", .type = FT_TEXT, .offset = AV(name)},
	{.name = "phone", .label = "Telephone", .type = FT_TEXT,
	 .offset = AV(phone)},
};
const struct record_type family_adult_view = {
	"family_adult", adult_fields,
	(int)(sizeof(adult_fields) / sizeof(adult_fields[0])),
};

#define TV(m) offsetof(struct family_tagged, m)
static const struct field tagged_fields[] = {
	{.name = "assessment_id", .type = FT_INT, .offset = TV(assessment_id)},
	{.name = "child_id", .type = FT_INT, .offset = TV(child_id)},
	{.name = "started_on", .label = "Assessment started", .type = FT_DATE,
	 .offset = TV(started_on)},
	{.name = "factor", .label = "Factor", .type = FT_CODE,
	 .codes = family_factor_codes, .out = FO_LABEL, .offset = TV(factor)},
};
const struct record_type family_tagged_view = {
	"family_tagged", tagged_fields,
	(int)(sizeof(tagged_fields) / sizeof(tagged_fields[0])),
};

/* ---- statements ---------------------------------------------------------- */

DB_STMT(st_child) = {
	"family_child",
	"SELECT child_id, given_name, family_name, la_ref, dob FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
/* a child's neighbours in the family: the records it links to, those
 * that link to it, and the children of the people it shares (while the
 * link is current: ?3 is today) */
DB_STMT(st_next) = {
	"family_next",
	/* written so SQLite reads the child's rows by the primary key and
	 * the people's by network_member_person: with "IS NOT NULL" and a
	 * join it walked every linked or shared row of the council, each
	 * step of the walk (the 9,000-child demo spent most of its time
	 * here); "+" keeps an index off a test (valid on PostgreSQL too) */
	"SELECT linked_child_id FROM network_member WHERE council = ?1"
	" AND child_id = ?2 AND +linked_child_id IS NOT NULL"
	" AND (end_date IS NULL OR end_date > ?3)"
	" UNION SELECT child_id FROM network_member WHERE council = ?1"
	" AND linked_child_id = ?2 AND (end_date IS NULL OR end_date > ?3)"
	" UNION SELECT o.child_id FROM network_member o WHERE o.council = ?1"
	" AND (o.end_date IS NULL OR o.end_date > ?3) AND o.person_id IN"
	" (SELECT m.person_id FROM network_member m WHERE m.council = ?1"
	"  AND m.child_id = ?2 AND (m.end_date IS NULL OR m.end_date > ?3))",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_cases) = {
	"family_cases",
	"SELECT e.episode_id, e.case_type, u.display_name FROM episode e"
	" LEFT JOIN app_user u ON u.council = e.council"
	" AND u.user_id = e.worker_id"
	" WHERE e.council = ?1 AND e.child_id = ?2 AND e.closed_on IS NULL",
	READ_ROLES,
};
DB_STMT(st_cp) = {
	"family_cp",
	"SELECT category, started_on FROM cp_plan WHERE council = ?1"
	" AND child_id = ?2 AND ended_on IS NULL",
	READ_ROLES,
};
DB_STMT(st_links) = {
	"family_links",
	"SELECT m.person_id, m.child_id, m.member_id, m.rel_code,"
	" m.relationship, m.parental_responsibility, m.start_date,"
	" m.end_date, p.name, p.phone FROM network_member m"
	" JOIN family_person p ON p.council = m.council"
	" AND p.person_id = m.person_id"
	" WHERE m.council = ?1 AND m.child_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_factors) = {
	"family_factors",
	"SELECT f.factor_id, f.person_id, f.factor, f.noted_on,"
	" f.assessment_id, a.child_id, f.source, u.display_name,"
	" f.recorded_at FROM family_factor f"
	" LEFT JOIN assessment a ON a.council = f.council"
	" AND a.assessment_id = f.assessment_id"
	" LEFT JOIN app_user u ON u.council = f.council"
	" AND u.user_id = f.recorded_by"
	" WHERE f.council = ?1 AND f.person_id = ?2",
	READ_ROLES,
};
DB_STMT(st_tagged) = {
	"family_tagged",
	/* CROSS JOIN: SQLite reads the child's assessments first.  Without
	 * statistics it chose the factors of the whole council as the outer
	 * loop (29 million instructions a record page on a 3,000-child
	 * demo); PostgreSQL plans a CROSS JOIN as any inner join */
	"SELECT a.assessment_id, a.child_id, a.started_on, f.factor"
	" FROM assessment a CROSS JOIN assessment_factor f"
	" WHERE f.council = a.council AND f.assessment_id = a.assessment_id"
	" AND a.council = ?1 AND a.child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_assessments) = {
	"family_assessments",
	"SELECT assessment_id, child_id, started_on FROM assessment"
	" WHERE council = ?1 AND child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_person_ins) = {
	"family_person_ins",
	"INSERT INTO family_person (council, person_id, name, phone,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	WRITE_ROLES,
};
DB_STMT(st_person_get) = {
	"family_person_get",
	"SELECT name FROM family_person WHERE council = ?1 AND person_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
/* which children of the council a person is linked to */
DB_STMT(st_person_children) = {
	"family_person_children",
	"SELECT child_id, relationship FROM network_member WHERE council = ?1"
	" AND person_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_member_ins) = {
	"family_member_ins",
	"INSERT INTO network_member (council, child_id, member_id, kind,"
	" relationship, name, phone, parental_responsibility, start_date,"
	" end_date, person_id, rel_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	" ?8, ?9, ?10, ?11, ?12)",
	WRITE_ROLES,
};
DB_STMT(st_assess_child) = {
	"family_assess_child",
	"SELECT child_id FROM assessment WHERE council = ?1"
	" AND assessment_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_factor_ins) = {
	"family_factor_ins",
	"INSERT INTO family_factor (council, factor_id, person_id, factor,"
	" assessment_id, source, noted_on, recorded_at, recorded_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	WRITE_ROLES,
};

/* ---- the family's children ------------------------------------------------ */

static bool given(const char *s)
{
	return s && s[0];
}

static bool seen_id(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Breadth first from child_id (present in the council) over st_next. */
static int walk(struct db_conn *c, const struct actor *who, int64_t child_id,
		int64_t *ids, int *n, bool *more)
{
	char today[11];
	cal_date_format(who->today, today);
	ids[0] = child_id;
	*n = 1;
	*more = false;
	for (int at = 0; at < *n; at++) {
		struct db_q *q;
		int rc = db_prepare(c, &st_next, &q);
		if (rc != DB_OK)
			return err_from_db(rc);
		db_bind_text(q, 1, who->council);
		db_bind_i64(q, 2, ids[at]);
		db_bind_text(q, 3, today);
		while ((rc = db_step(q)) == DB_ROW) {
			int64_t id = db_col_i64(q, 0);
			if (id <= 0 || seen_id(ids, *n, id))
				continue;
			if (*n == FAMILY_MAX_CHILDREN) {
				*more = true;
				continue;
			}
			ids[(*n)++] = id;
		}
		if (rc < 0)
			return err_from_db(rc);
	}
	return ERR_OK;
}

int family_children(struct db_conn *c, const struct actor *who,
		    int64_t child_id, int64_t *ids, int *n, bool *more)
{
	if (who->partner)
		return ERR_NOTFOUND; /* D55: partners see no family */
	struct db_q *q;
	int rc = rows_get(c, &st_child, &q, who->council, child_id);
	if (rc != ERR_OK)
		return rc;
	return walk(c, who, child_id, ids, n, more);
}

/* ---- reading the family ----------------------------------------------------- */

static const struct row_map case_rows = {
	sizeof(struct family_case), NULL, 0, NULL, &family_case_view,
};
static const struct row_map factor_rows = {
	sizeof(struct family_factor), NULL, 0, NULL, &family_factor_view,
};
static const struct row_map tagged_rows = {
	sizeof(struct family_tagged), NULL, 0, NULL, &family_tagged_view,
};

static int load_child(struct db_conn *c, const struct actor *who,
		      struct arena *a, int64_t id, struct family_child *ch)
{
	struct db_q *q;
	int rc = rows_get(c, &st_child, &q, who->council, id);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &family_child_view, ch, a);
	ch->cp_category = "";
	ch->cp_since = "";
	rc = rows_list(c, a, &st_cases, &case_rows, NULL, &ch->cases,
		       &ch->ncases, who->council, id);
	if (rc != ERR_OK)
		return rc;
	rc = rows_get(c, &st_cp, &q, who->council, id);
	if (rc == ERR_OK) {
		ch->cp_category = rows_text(a, q, 0);
		ch->cp_since = rows_text(a, q, 1);
		return ch->cp_category && ch->cp_since ? ERR_OK : ERR_NOMEM;
	}
	return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

/* The adult of person_id in f (added when new: name, phone from the
 * link's row q). */
static struct family_adult *adult_of(struct family *f, struct arena *a,
				     int64_t person_id)
{
	for (int i = 0; i < f->nadults; i++)
		if (f->adults[i].person_id == person_id)
			return &f->adults[i];
	if (f->nadults == FAMILY_MAX_PEOPLE)
		return NULL;
	struct family_adult *p = &f->adults[f->nadults++];
	memset(p, 0, sizeof(*p));
	p->person_id = person_id;
	p->links = arena_alloc(a, FAMILY_MAX_CHILDREN * sizeof(*p->links));
	return p->links ? p : NULL;
}

static int load_links(struct db_conn *c, const struct actor *who,
		      struct arena *a, int64_t child_id, struct family *f)
{
	char today[11];
	cal_date_format(who->today, today);
	struct db_q *q;
	int rc = db_prepare(c, &st_links, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, child_id);
	while ((rc = db_step(q)) == DB_ROW) {
		struct family_adult *p = adult_of(f, a, db_col_i64(q, 0));
		if (p == NULL)
			continue; /* beyond FAMILY_MAX_PEOPLE: not shown */
		if (p->name == NULL) {
			p->name = rows_text(a, q, 8);
			p->phone = rows_text(a, q, 9);
		}
		if (p->nlinks == FAMILY_MAX_CHILDREN)
			continue;
		struct family_link *l = &p->links[p->nlinks++];
		memset(l, 0, sizeof(*l));
		fields_row(q, 0, &family_link_view, l, a);
		l->current = !given(l->end_date) ||
			     strcmp(l->end_date, today) > 0;
	}
	return rc < 0 ? err_from_db(rc) : arena_exhausted(a) ? ERR_NOMEM
								 : ERR_OK;
}

static int cmp_adult(const void *pa, const void *pb)
{
	const struct family_adult *x = pa, *y = pb;
	int k = strcmp(x->name, y->name);
	return k ? k : (x->person_id > y->person_id) -
			       (x->person_id < y->person_id);
}

static int cmp_factor(const void *pa, const void *pb)
{
	const struct family_factor *x = pa, *y = pb;
	int k = strcmp(y->noted_on, x->noted_on);
	return k ? k : (y->factor_id > x->factor_id) -
			       (y->factor_id < x->factor_id);
}

/* The parental factors tagged on the child's assessments, and the
 * assessments themselves. */
static int load_tagged(struct db_conn *c, const struct actor *who,
		       struct arena *a, int64_t child_id, struct family *f,
		       int cap)
{
	struct family_tagged *v;
	int n;
	int rc = rows_list(c, a, &st_tagged, &tagged_rows, NULL, &v, &n,
			   who->council, child_id);
	for (int i = 0; rc == ERR_OK && i < n; i++)
		if (codes_index(family_factor_codes, v[i].factor) >= 0 &&
		    f->ntagged < cap)
			f->tagged[f->ntagged++] = v[i];
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	if ((rc = db_prepare(c, &st_assessments, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, child_id);
	while ((rc = db_step(q)) == DB_ROW && f->nassessments < cap) {
		struct family_assessment *s = &f->assessments[f->nassessments++];
		s->assessment_id = db_col_i64(q, 0);
		s->child_id = db_col_i64(q, 1);
		s->started_on = rows_text(a, q, 2);
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Whether p is linked to child_id. */
static bool linked_to(const struct family_adult *p, int64_t child_id)
{
	for (int i = 0; i < p->nlinks; i++)
		if (p->links[i].child_id == child_id)
			return true;
	return false;
}

/* family_read, or with `whole` false family_read_section's part. */
static int read_family(struct db_conn *c, const struct actor *who,
		       int64_t child_id, bool audit, bool whole,
		       struct arena *a, struct family *out)
{
	bool own = false;
	int rc = audit ? tx_begin(c, &own) : ERR_OK;
	if (rc != ERR_OK)
		return rc;
	int64_t ids[FAMILY_MAX_CHILDREN];
	struct family f = {0};
	int n = 0;
	rc = family_children(c, who, child_id, ids, &n, &f.more);
	enum { TAGGED_MAX = 200 };
	f.children = arena_zalloc(a, (size_t)FAMILY_MAX_CHILDREN *
					     sizeof(*f.children));
	f.adults = arena_alloc(a, FAMILY_MAX_PEOPLE * sizeof(*f.adults));
	f.tagged = arena_alloc(a, TAGGED_MAX * sizeof(*f.tagged));
	f.assessments = arena_alloc(a, TAGGED_MAX * sizeof(*f.assessments));
	if (rc == ERR_OK &&
	    (!f.children || !f.adults || !f.tagged || !f.assessments))
		rc = ERR_NOMEM;
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		if (whole)
			rc = load_child(c, who, a, ids[i], &f.children[i]);
		else
			f.children[i].child_id = ids[i];
		if (rc == ERR_OK)
			f.nchildren++;
		if (rc == ERR_OK)
			rc = load_links(c, who, a, ids[i], &f);
		if (rc == ERR_OK && whole)
			rc = load_tagged(c, who, a, ids[i], &f, TAGGED_MAX);
	}
	for (int i = 0; rc == ERR_OK && i < f.nadults; i++) {
		struct family_adult *p = &f.adults[i];
		if (!whole && !linked_to(p, child_id))
			continue;
		rc = rows_sorted(c, a, &st_factors, &factor_rows, NULL,
				 cmp_factor, 0, &p->factors, &p->nfactors,
				 who->council, p->person_id);
	}
	if (rc == ERR_OK)
		qsort(f.adults, (size_t)f.nadults, sizeof(*f.adults),
		      cmp_adult);
	/* every child shown is a read of their record */
	if (rc == ERR_OK && audit)
		rc = act_audit_list(c, who, "family", f.children,
				    sizeof(*f.children),
				    offsetof(struct family_child, child_id),
				    f.nchildren);
	if (audit)
		rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = f;
	return rc;
}

int family_read(struct db_conn *c, const struct actor *who, int64_t child_id,
		bool audit, struct arena *a, struct family *out)
{
	return read_family(c, who, child_id, audit, true, a, out);
}

int family_read_section(struct db_conn *c, const struct actor *who,
			int64_t child_id, struct arena *a, struct family *out)
{
	return read_family(c, who, child_id, false, false, a, out);
}

/* ---- writes ------------------------------------------------------------------ */

const char *family_factor_summary(struct arena *a, const char *factor,
				  const char *relationship)
{
	const char *l = codes_label(family_factor_codes, factor);
	return arena_printf(a, "Parental factor recorded: %s (%s)",
			    l ? l : "a factor",
			    given(relationship) ? relationship
						: "an adult of the family");
}

/* The words for the relationship: the code's label, or for "other" the
 * words given. */
static const char *rel_words(const char *code, const char *other)
{
	if (code && strcmp(code, "other") == 0 && given(other))
		return other;
	const char *l = codes_label(family_rel_codes, code);
	return l ? l : "";
}

/* The rules across a link's fields (fields_check has done the rest). */
static void link_rules(const char *rel, const char *other, bool pr,
		       const char *start, const char *end,
		       struct field_errors *e)
{
	if (rel && strcmp(rel, "other") == 0 && !given(other))
		fe_set(e, "relationship_other", "Enter who they are to the "
		       "child, for example a neighbour or a godparent");
	const char *kind = family_rel_kind(rel);
	if (pr && kind && strcmp(kind, "sibling") == 0)
		fe_set(e, "parental_responsibility", "A brother or sister "
		       "cannot have parental responsibility here; if they "
		       "hold it by a court order, choose \"Someone else who "
		       "matters to the child\" and say so");
	if (given(start) && given(end) && strcmp(end, start) < 0)
		fe_set(e, "end_date", "The end date must be on or after the "
		       "start date");
}

/* A network row for person pid of child_id, in the caller's write. */
static int link_write(struct db_conn *c, const struct actor *who,
		      int64_t child_id, int64_t pid, const char *name,
		      const char *phone, const char *rel, const char *other,
		      bool pr, const char *start, const char *end)
{
	int64_t mid;
	int rc = err_from_db(db_next_id(c, who->council, "network_member",
					&mid));
	const char *words = rel_words(rel, other);
	if (rc == ERR_OK)
		rc = rows_write(c, &st_member_ins, who->council, child_id, mid,
				family_rel_kind(rel), words, name,
				given(phone) ? phone : NULL, pr ? 1 : 0,
				given(start) ? start : NULL,
				given(end) ? end : NULL, pid, rel);
	struct cal_time at = {who->today, 0, 0};
	struct arena *a = arena_new(4096);
	const char *line = a ? arena_printf(a, "Family and network: %s added%s",
					    words, pr ? " (parental "
					    "responsibility)" : "")
			     : NULL;
	if (rc == ERR_OK)
		rc = line ? chron_note(c, who, child_id, at, false, "family",
				       line, "child", child_id)
			  : ERR_NOMEM;
	arena_free(a);
	return rc;
}

int family_person_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct family_person_input *in,
		      int64_t *person_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&family_person_input_type, in, who, e);
	link_rules(in->relationship, in->relationship_other,
		   in->parental_responsibility, in->start_date, in->end_date,
		   e);
	if (who->partner)
		return ERR_NOTFOUND;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = rows_get(c, &st_child, &q, who->council, child_id);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t pid = 0;
	char stamp[21];
	act_stamp(who, stamp);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "family_person",
					    &pid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_person_ins, who->council, pid, in->name,
				given(in->phone) ? in->phone : NULL, stamp,
				who->user_id);
	if (rc == ERR_OK)
		rc = link_write(c, who, child_id, pid, in->name, in->phone,
				in->relationship, in->relationship_other,
				in->parental_responsibility, in->start_date,
				in->end_date);
	rc = tx_end_audit(c, own, rc, who, "create", "family_person", pid,
			  child_id);
	if (rc == ERR_OK && person_id)
		*person_id = pid;
	return rc;
}

/* ERR_OK when person pid is linked to a child of ids (the family);
 * sets *linked when linked to child_id itself. */
static int person_in_family(struct db_conn *c, const struct actor *who,
			    int64_t pid, const int64_t *ids, int n,
			    int64_t child_id, bool *linked)
{
	struct db_q *q;
	int rc = db_prepare(c, &st_person_children, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, pid);
	bool in = false;
	*linked = false;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t id = db_col_i64(q, 0);
		in = in || seen_id(ids, n, id);
		*linked = *linked || id == child_id;
	}
	if (rc < 0)
		return err_from_db(rc);
	return in ? ERR_OK : ERR_NOTFOUND;
}

int family_link_add(struct db_conn *c, const struct actor *who,
		    int64_t child_id, const struct family_link_input *in,
		    struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&family_link_input_type, in, who, e);
	link_rules(in->relationship, in->relationship_other,
		   in->parental_responsibility, in->start_date, in->end_date,
		   e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t ids[FAMILY_MAX_CHILDREN];
	int n = 0;
	bool more, linked = false;
	rc = family_children(c, who, child_id, ids, &n, &more);
	/* another council's person, another family's or an unknown id: the
	 * same answer, so that an id reveals nothing */
	if (rc == ERR_OK && in->person_id > 0) {
		rc = person_in_family(c, who, in->person_id, ids, n, child_id,
				      &linked);
		if (rc == ERR_NOTFOUND) {
			fe_set(e, "person_id", "Select someone from this "
			       "child's family: that person is not one of "
			       "them");
			rc = ERR_OK;
		}
	}
	if (rc == ERR_OK && linked && !fe_for(e, "person_id")) {
		fe_set(e, "person_id", "This person is already in the child's "
		       "family and network");
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	struct db_q *q;
	const char *name = NULL;
	struct arena *a = arena_new(4096);
	if (rc == ERR_OK && a == NULL)
		rc = ERR_NOMEM;
	if (rc == ERR_OK &&
	    (rc = rows_get(c, &st_person_get, &q, who->council,
			   in->person_id)) == ERR_OK)
		name = rows_text(a, q, 0);
	if (rc == ERR_OK)
		rc = link_write(c, who, child_id, in->person_id, name, NULL,
				in->relationship, in->relationship_other,
				in->parental_responsibility, in->start_date,
				in->end_date);
	arena_free(a);
	return tx_end_audit(c, own, rc, who, "link", "family_person",
			    in->person_id, child_id);
}

/* The person's relationship to each child of ids, for the chronology. */
static const char *rel_to(struct db_conn *c, const struct actor *who,
			  struct arena *a, int64_t pid, int64_t child_id)
{
	struct db_q *q;
	if (db_prepare(c, &st_person_children, &q) != DB_OK)
		return NULL;
	db_bind_text(q, 1, who->council);
	db_bind_i64(q, 2, pid);
	const char *rel = NULL;
	while (db_step(q) == DB_ROW)
		if (db_col_i64(q, 0) == child_id)
			rel = rows_text(a, q, 1);
	return rel;
}

int family_factor_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct family_factor_input *in,
		      int64_t *factor_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&family_factor_input_type, in, who, e);
	if (in->assessment_id <= 0 && !given(in->source))
		fe_set(e, "source", "Enter where it came from, or choose the "
		       "assessment it was found in");
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t ids[FAMILY_MAX_CHILDREN];
	int n = 0;
	bool more, linked;
	rc = family_children(c, who, child_id, ids, &n, &more);
	if (rc == ERR_OK && in->person_id > 0 &&
	    person_in_family(c, who, in->person_id, ids, n, child_id,
			     &linked) == ERR_NOTFOUND)
		fe_set(e, "person_id", "Select someone from this child's "
		       "family: that person is not one of them");
	struct db_q *q;
	if (rc == ERR_OK && in->assessment_id > 0) {
		int k = rows_get(c, &st_assess_child, &q, who->council,
				 in->assessment_id);
		if (k == ERR_NOTFOUND ||
		    (k == ERR_OK && !seen_id(ids, n, db_col_i64(q, 0))))
			fe_set(e, "assessment_id", "Select an assessment of a "
			       "child of this family");
		else if (k != ERR_OK)
			rc = k;
	}
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t fid = 0;
	char stamp[21];
	act_stamp(who, stamp);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "family_factor",
					    &fid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_factor_ins, who->council, fid,
				in->person_id, in->factor,
				db_id(in->assessment_id),
				given(in->source) ? in->source : NULL,
				in->noted_on, stamp, who->user_id);
	/* it matters to every child of the family: an entry and an audit
	 * row for each */
	struct arena *a = arena_new(16u << 10);
	if (rc == ERR_OK && a == NULL)
		rc = ERR_NOMEM;
	struct cal_date day = {0};
	if (rc == ERR_OK && !cal_date_parse(in->noted_on, strlen(in->noted_on),
					    &day))
		rc = ERR_STORE; /* fields_check has read it already */
	struct cal_time at = {day, 0, 0};
	for (int i = 0; rc == ERR_OK && i < n; i++) {
		const char *line = family_factor_summary(
			a, in->factor, rel_to(c, who, a, in->person_id, ids[i]));
		rc = line ? chron_note(c, who, ids[i], at, false,
				       "parental_factor", line, "child", ids[i])
			  : ERR_NOMEM;
		if (rc == ERR_OK && ids[i] != child_id)
			rc = act_audit(c, who, "create", "family_factor", fid,
				       ids[i]);
	}
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "create", "family_factor", fid,
			  child_id);
	if (rc == ERR_OK && factor_id)
		*factor_id = fid;
	return rc;
}
