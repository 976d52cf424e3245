/* child.c: see child.h. */
#include "child/child.h"
#include "auth/role.h"
#include "child/ident.h"
#include "child/namematch.h"
#include "core/arena.h"
#include "core/str.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Statement allow-lists (auth/policy.c decides the routes; these are the
 * second fence).  Reading: practitioners and partners (whose rows are
 * further limited by the row-level rule).  Writing: the roles holding
 * child.create / child.update.  History: practitioners only. */
#define R_READ (RB_PRACTICE | RB_PARTNER)
#define R_WRITE (RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER)
#define R_HIST RB_PRACTICE

#define NAME_MAX_CHARS 100
#define OTHER_MAX_CHARS 200
#define LINE_MAX_CHARS 200
#define TOWN_MAX_CHARS 100
#define PHONE_MAX_CHARS 30
#define FLAG_TEXT_MAX_CHARS 500
#define DUPS_MAX 20
#define LA_REF_LIMIT 9999999
/* An expected date of birth further ahead than this is a typing error. */
#define EXPECTED_MONTHS_MAX 10

/* ---- names of codes -------------------------------------------------- */

/* ../shared/domain/codes/cin_gender_pre2025.csv */
static const char *const gender_codes[CHILD_GENDER__MAX] = {
	"0", /* CHILD_GENDER_NOT_RECORDED */
	"1", /* CHILD_GENDER_MALE */
	"2", /* CHILD_GENDER_FEMALE */
	"9", /* CHILD_GENDER_INDETERMINATE */
};
static const char *const gender_labels[CHILD_GENDER__MAX] = {
	"Not recorded or unborn", /* CHILD_GENDER_NOT_RECORDED */
	"Male",                   /* CHILD_GENDER_MALE */
	"Female",                 /* CHILD_GENDER_FEMALE */
	"Indeterminate",          /* CHILD_GENDER_INDETERMINATE */
};

const char *child_gender_code(enum child_gender g)
{
	return (unsigned)g < CHILD_GENDER__MAX ? gender_codes[g] : NULL;
}

const char *child_gender_label(enum child_gender g)
{
	return (unsigned)g < CHILD_GENDER__MAX ? gender_labels[g] : NULL;
}

const char *child_gender_label_for(const char *code)
{
	for (int i = 0; code && i < CHILD_GENDER__MAX; i++)
		if (strcmp(code, gender_codes[i]) == 0)
			return gender_labels[i];
	return NULL;
}

/* The current DfE ethnicity codes, copied from
 * ../shared/domain/codes/ethnicity_cin_903.csv (rows with status
 * "current", CIN schema 2016-2024).  Update both together. */
static const struct {
	const char *code;
	const char *label;
} ethnicities[CHILD_ETHNICITY_COUNT] = {
	{"WBRI", "White British"},
	{"WIRI", "White Irish"},
	{"WIRT", "Traveller of Irish heritage"},
	{"WOTH", "Any other White background"},
	{"WROM", "Gypsy/Roma"},
	{"MWBC", "White and Black Caribbean"},
	{"MWBA", "White and Black African"},
	{"MWAS", "White and Asian"},
	{"MOTH", "Any other mixed background"},
	{"AIND", "Indian"},
	{"APKN", "Pakistani"},
	{"ABAN", "Bangladeshi"},
	{"AOTH", "Any other Asian background"},
	{"BCRB", "Caribbean"},
	{"BAFR", "African"},
	{"BOTH", "Any other black background"},
	{"CHNE", "Chinese"},
	{"OOTH", "Any other ethnic group"},
	{"REFU", "Refused"},
	{"NOBT", "Information not yet obtained"},
};

const char *child_ethnicity_code(int i)
{
	return i >= 0 && i < CHILD_ETHNICITY_COUNT ? ethnicities[i].code : NULL;
}

const char *child_ethnicity_label(int i)
{
	return i >= 0 && i < CHILD_ETHNICITY_COUNT ? ethnicities[i].label : NULL;
}

const char *child_ethnicity_label_for(const char *code)
{
	for (int i = 0; code && i < CHILD_ETHNICITY_COUNT; i++)
		if (strcmp(code, ethnicities[i].code) == 0)
			return ethnicities[i].label;
	return NULL;
}

static const char *const member_ids[CHILD_MEMBER__MAX] = {
	"parent",            /* CHILD_MEMBER_PARENT */
	"carer",             /* CHILD_MEMBER_CARER */
	"sibling",           /* CHILD_MEMBER_SIBLING */
	"significant_adult", /* CHILD_MEMBER_SIGNIFICANT */
	"professional",      /* CHILD_MEMBER_PROFESSIONAL */
};
static const char *const member_labels[CHILD_MEMBER__MAX] = {
	"Parent",            /* CHILD_MEMBER_PARENT */
	"Carer",             /* CHILD_MEMBER_CARER */
	"Brother or sister", /* CHILD_MEMBER_SIBLING */
	"Significant adult", /* CHILD_MEMBER_SIGNIFICANT */
	"Professional",      /* CHILD_MEMBER_PROFESSIONAL */
};

const char *child_member_kind_id(enum child_member_kind k)
{
	return (unsigned)k < CHILD_MEMBER__MAX ? member_ids[k] : NULL;
}

const char *child_member_kind_label(enum child_member_kind k)
{
	return (unsigned)k < CHILD_MEMBER__MAX ? member_labels[k] : NULL;
}

bool child_member_kind_parse(const char *id, enum child_member_kind *out)
{
	for (int i = 0; id && i < CHILD_MEMBER__MAX; i++)
		if (strcmp(id, member_ids[i]) == 0) {
			*out = (enum child_member_kind)i;
			return true;
		}
	return false;
}

static const char *const flag_ids[CHILD_FLAG__MAX] = {
	"worker_safety", /* CHILD_FLAG_WORKER_SAFETY */
	"child_safety",  /* CHILD_FLAG_CHILD_SAFETY */
	"health",        /* CHILD_FLAG_HEALTH */
	"communication", /* CHILD_FLAG_COMMUNICATION */
	"legal",         /* CHILD_FLAG_LEGAL */
	"other",         /* CHILD_FLAG_OTHER */
};
static const char *const flag_labels[CHILD_FLAG__MAX] = {
	"Risk to workers visiting",         /* CHILD_FLAG_WORKER_SAFETY */
	"Risk to the child",                /* CHILD_FLAG_CHILD_SAFETY */
	"Health or medical",                /* CHILD_FLAG_HEALTH */
	"Communication needs",              /* CHILD_FLAG_COMMUNICATION */
	"Court order or legal restriction", /* CHILD_FLAG_LEGAL */
	"Other",                            /* CHILD_FLAG_OTHER */
};

const char *child_flag_kind_id(enum child_flag_kind k)
{
	return (unsigned)k < CHILD_FLAG__MAX ? flag_ids[k] : NULL;
}

const char *child_flag_kind_label(enum child_flag_kind k)
{
	return (unsigned)k < CHILD_FLAG__MAX ? flag_labels[k] : NULL;
}

bool child_flag_kind_parse(const char *id, enum child_flag_kind *out)
{
	for (int i = 0; id && i < CHILD_FLAG__MAX; i++)
		if (strcmp(id, flag_ids[i]) == 0) {
			*out = (enum child_flag_kind)i;
			return true;
		}
	return false;
}

/* ---- small helpers --------------------------------------------------- */


/* Opens a write transaction unless the caller holds one. */
static int tx_open(struct db_conn *c, bool *own)
{
	*own = !db_in_tx(c);
	if (!*own)
		return ERR_OK;
	int rc = db_begin(c, DB_TX_WRITE);
	return rc == DB_OK ? ERR_OK : err_from_db(rc);
}

/* Ends what tx_open began: commit on success, roll back on error. */
static int tx_close(struct db_conn *c, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != ERR_OK) {
		db_rollback(c);
		return rc;
	}
	int k = db_commit(c);
	if (k != DB_OK) {
		db_rollback(c);
		return err_from_db(k);
	}
	return ERR_OK;
}

static int audit(struct db_conn *c, const struct child_ctx *x,
		 const char *action, const char *entity, int64_t entity_id,
		 int64_t child_id)
{
	return act_audit(c, x->act, action, entity, entity_id, child_id);
}

/* Column text copied to the arena; "" for NULL.  NULL only over budget. */
static const char *col(struct arena *a, struct db_q *q, int i)
{
	const char *s = db_col_text(q, i);
	return arena_strdup(a, s ? s : "");
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* A trimmed arena copy of s, or NULL over budget.  NULL s gives "". */
static char *trimmed(struct arena *a, const char *s)
{
	if (s == NULL)
		s = "";
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* Checks free text typed for `field` (labelled `label`, capitalised for
 * the start of a sentence).  Returns the trimmed copy ("" when empty and
 * not required), or NULL with an error added. */
static const char *check_text(struct arena *a, const char *s,
			      const char *field, const char *label,
			      const char *empty_msg, size_t max_chars,
			      bool one_line, struct field_errors *e)
{
	char *t = trimmed(a, s);
	if (t == NULL) {
		fe_addf(e, field, "%s could not be read.", label);
		return NULL;
	}
	if (t[0] == '\0') {
		if (empty_msg) {
			fe_addf(e, field, "%s", empty_msg);
			return NULL;
		}
		return t;
	}
	size_t n = strlen(t);
	if (one_line ? !str_is_line(t, n) : !str_is_text(t, n)) {
		fe_addf(e, field, "%s must be plain text%s, without control "
			"characters.", label, one_line ? " on one line" : "");
		return NULL;
	}
	if (utf8_chars(t) > max_chars) {
		fe_addf(e, field, "%s must be %zu characters or fewer.", label,
			max_chars);
		return NULL;
	}
	return t;
}

/* Parses a 'YYYY-MM-DD' value of `field`; on failure adds an error that
 * says why the date is not real. */
static bool check_date(const char *s, const char *field, const char *label,
		       struct cal_date *out, struct field_errors *e)
{
	size_t n = strlen(s);
	if (cal_date_parse(s, n, out))
		return true;
	int64_t y, m, d;
	if (n == 10 && s[4] == '-' && s[7] == '-' &&
	    str_to_i64(s, 4, 0, 9999, &y) && str_to_i64(s + 5, 2, 0, 99, &m) &&
	    str_to_i64(s + 8, 2, 0, 99, &d)) {
		if (m < 1 || m > 12)
			fe_addf(e, field, "%s must be a real date: the month "
				"must be from 1 to 12.", label);
		else if (y < CAL_PARSE_YEAR_MIN || y > CAL_PARSE_YEAR_MAX)
			fe_addf(e, field, "%s must be a real date: the year "
				"must be from %d to %d.", label,
				CAL_PARSE_YEAR_MIN, CAL_PARSE_YEAR_MAX);
		else
			fe_addf(e, field, "%s must be a real date: %s %d has "
				"only %d days.", label, cal_month_name(m),
				(int)y, cal_days_in_month((int)y, (int)m));
		return false;
	}
	fe_addf(e, field, "%s must be a real date written as year-month-day, "
		"for example 2019-03-27.", label);
	return false;
}

static void fmt_date(struct cal_date d, char out[11])
{
	cal_date_format(d, out);
}

/* "12 March 2024" */
static void human_date(struct cal_date d, char *out, size_t n)
{
	snprintf(out, n, "%d %s %d", d.d, cal_month_name(d.m), d.y);
}

/* ---- statements ------------------------------------------------------ */

DB_STMT(st_involved) = {
	"child_involved",
	"SELECT 1 FROM network_member WHERE council = ?1 AND child_id = ?2"
	" AND kind = 'professional' AND org_id = ?3"
	" AND (end_date IS NULL OR end_date > ?4) LIMIT 1",
	R_READ | R_WRITE,
};
DB_STMT(st_exists) = {
	"child_exists",
	"SELECT version FROM child WHERE council = ?1 AND child_id = ?2",
	R_READ | R_WRITE,
};
#define CHILD_COLS \
	"child_id, la_ref, given_name, family_name, other_names, dob," \
	" expected_dob, gender, ethnicity, nhs_number, upn, created_at," \
	" updated_at, version"
DB_STMT(st_get) = {
	"child_get",
	"SELECT " CHILD_COLS " FROM child WHERE council = ?1 AND child_id = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_la_ref_used) = {
	"child_la_ref_used",
	"SELECT 1 FROM child WHERE council = ?1 AND la_ref = ?2",
	R_WRITE,
};
DB_STMT(st_insert) = {
	"child_insert",
	"INSERT INTO child (council, child_id, la_ref, given_name, family_name,"
	" other_names, given_key, family_key, dob, expected_dob, gender,"
	" ethnicity, nhs_number, upn, created_at, created_by, updated_at,"
	" version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15, ?16, ?15, 1)",
	R_WRITE,
};
DB_STMT(st_update) = {
	"child_update",
	"UPDATE child SET given_name = ?3, family_name = ?4, other_names = ?5,"
	" given_key = ?6, family_key = ?7, dob = ?8, expected_dob = ?9,"
	" gender = ?10, ethnicity = ?11, nhs_number = ?12, upn = ?13,"
	" updated_at = ?14, version = version + 1"
	" WHERE council = ?1 AND child_id = ?2 AND version = ?15",
	R_WRITE,
};
DB_STMT(st_hist_insert) = {
	"child_history_insert",
	"INSERT INTO child_history (council, child_id, seq, field, old_value,"
	" new_value, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	R_WRITE,
};
DB_STMT(st_hist_list) = {
	"child_history_list",
	"SELECT h.seq, h.field, h.old_value, h.new_value, h.user_id, h.at,"
	" u.display_name FROM child_history h LEFT JOIN app_user u"
	" ON u.council = h.council AND u.user_id = h.user_id"
	" WHERE h.council = ?1 AND h.child_id = ?2 ORDER BY h.seq DESC",
	R_HIST,
};
#define MATCH_COLS \
	"child_id, given_name, family_name, la_ref, dob, expected_dob," \
	" nhs_number, upn"
DB_STMT(st_by_dob) = {
	"child_by_dob",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND dob = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_by_nhs) = {
	"child_by_nhs",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND nhs_number = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_by_upn) = {
	"child_by_upn",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND upn = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_by_la_ref) = {
	"child_by_la_ref",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND la_ref = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_hit) = {
	"child_hit",
	"SELECT la_ref, given_name, family_name, dob, expected_dob FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	R_READ,
};
DB_STMT(st_addr_current) = {
	"child_address_current",
	"SELECT address_id, start_date FROM address WHERE council = ?1"
	" AND child_id = ?2 AND end_date IS NULL",
	R_WRITE,
};
DB_STMT(st_addr_end) = {
	"child_address_end",
	"UPDATE address SET end_date = ?4 WHERE council = ?1 AND child_id = ?2"
	" AND address_id = ?3 AND end_date IS NULL",
	R_WRITE,
};
DB_STMT(st_addr_insert) = {
	"child_address_insert",
	"INSERT INTO address (council, child_id, address_id, line1, line2,"
	" town, postcode, start_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	R_WRITE,
};
DB_STMT(st_addr_list) = {
	"child_address_list",
	"SELECT address_id, line1, line2, town, postcode, start_date, end_date"
	" FROM address WHERE council = ?1 AND child_id = ?2"
	" ORDER BY end_date IS NOT NULL, start_date DESC, address_id DESC",
	R_READ | R_WRITE,
};
DB_STMT(st_org_get) = {
	"child_org_get",
	"SELECT name FROM organisation WHERE council = ?1 AND org_id = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_org_list) = {
	"child_org_list",
	"SELECT org_id, name FROM organisation WHERE council = ?1"
	" ORDER BY name, org_id",
	R_READ | R_WRITE,
};
DB_STMT(st_member_insert) = {
	"child_member_insert",
	"INSERT INTO network_member (council, child_id, member_id, kind,"
	" relationship, name, phone, org_id, linked_child_id,"
	" parental_responsibility, start_date) VALUES (?1, ?2, ?3, ?4, ?5,"
	" ?6, ?7, ?8, ?9, ?10, ?11)",
	R_WRITE,
};
#define MEMBER_COLS \
	"m.member_id, m.kind, m.name, m.relationship, m.phone, m.org_id," \
	" o.name, m.linked_child_id, l.la_ref, m.parental_responsibility," \
	" m.start_date, m.end_date"
#define MEMBER_FROM \
	" FROM network_member m LEFT JOIN organisation o" \
	" ON o.council = m.council AND o.org_id = m.org_id" \
	" LEFT JOIN child l ON l.council = m.council" \
	" AND l.child_id = m.linked_child_id"
/* in no particular order: child_network sorts in C (see member_cmp),
 * which costs far less than SQLite's sorter did for the few rows */
DB_STMT(st_member_list) = {
	"child_member_list",
	"SELECT " MEMBER_COLS MEMBER_FROM
	" WHERE m.council = ?1 AND m.child_id = ?2",
	R_READ | R_WRITE,
};
DB_STMT(st_member_get) = {
	"child_member_get",
	"SELECT " MEMBER_COLS MEMBER_FROM
	" WHERE m.council = ?1 AND m.child_id = ?2 AND m.member_id = ?3",
	R_READ | R_WRITE,
};
DB_STMT(st_member_end) = {
	"child_member_end",
	"UPDATE network_member SET end_date = ?4 WHERE council = ?1"
	" AND child_id = ?2 AND member_id = ?3 AND end_date IS NULL",
	R_WRITE,
};
DB_STMT(st_flag_insert) = {
	"child_flag_insert",
	"INSERT INTO flag (council, child_id, flag_id, kind, text, review_date,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	R_WRITE,
};
DB_STMT(st_flag_get) = {
	"child_flag_get",
	"SELECT ended_at FROM flag WHERE council = ?1 AND child_id = ?2"
	" AND flag_id = ?3",
	R_WRITE,
};
DB_STMT(st_flag_end) = {
	"child_flag_end",
	"UPDATE flag SET ended_at = ?4 WHERE council = ?1 AND child_id = ?2"
	" AND flag_id = ?3 AND ended_at IS NULL",
	R_WRITE,
};
DB_STMT(st_flag_list) = {
	"child_flag_list",
	"SELECT flag_id, kind, text, review_date, created_at, ended_at"
	" FROM flag WHERE council = ?1 AND child_id = ?2"
	" ORDER BY ended_at IS NOT NULL, review_date, flag_id",
	R_READ | R_WRITE,
};

/* ---- visibility ------------------------------------------------------ */

/* 1 when a partner's organisation is currently involved with child_id,
 * 0 when not, or a negative child_err. */
static int involved(struct db_conn *c, const struct child_ctx *x,
		    int64_t child_id)
{
	char today[11];
	fmt_date(x->act->today, today);
	int rc = db_run(c, &st_involved, NULL, "tiit", x->act->council,
			(int64_t)child_id, (int64_t)x->act->org_id, today);
	if (rc < 0)
		return err_from_db(rc);
	return rc == DB_ROW;
}

/* 1 when the child exists in the council and the actor may see it
 * (version in *version when not NULL), 0 when not, or a negative
 * child_err. */
static int visible(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, int64_t *version)
{
	struct db_q *q;
	int rc = db_run(c, &st_exists, &q, "ti", x->act->council, (int64_t)child_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return 0;
	if (version)
		*version = db_col_i64(q, 0);
	if (x->act->partner)
		return involved(c, x, child_id);
	return 1;
}

/* As visible(), as an error code: ERR_OK or ERR_NOTFOUND. */
static int need_visible(struct db_conn *c, const struct child_ctx *x,
			int64_t child_id)
{
	int rc = visible(c, x, child_id, NULL);
	if (rc < 0)
		return rc;
	return rc == 1 ? ERR_OK : ERR_NOTFOUND;
}

/* need_visible() for the section loaders: ERR_OK at once when
 * child_load found child_id visible in this very transaction (x->seen),
 * which one snapshot cannot contradict. */
static int section_visible(struct db_conn *c, const struct child_ctx *x,
			   int64_t child_id)
{
	const struct child_seen *s = x->seen;
	if (s && s->tx != 0 && s->conn == c && s->child_id == child_id &&
	    s->tx == db_tx_seq(c))
		return ERR_OK;
	return need_visible(c, x, child_id);
}

/* The next id of kind (a table's name) in x's council (db_next_id). */
static int next_id(struct db_conn *c, const char *kind,
		   const struct child_ctx *x, int64_t *out)
{
	int rc = db_next_id(c, x->act->council, kind, out);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* ---- identity validation --------------------------------------------- */

/* Identity values, normalised; "" for none, never NULL. */
struct ident_vals {
	const char *given, *family, *other;
	const char *dob, *edob;
	const char *gender, *eth, *nhs, *upn;
};

static void vals_from_child(const struct child *ch, struct ident_vals *v)
{
	v->given = ch->given_name;
	v->family = ch->family_name;
	v->other = ch->other_names;
	v->dob = ch->dob;
	v->edob = ch->expected_dob;
	v->gender = ch->gender;
	v->eth = ch->ethnicity;
	v->nhs = ch->nhs_number;
	v->upn = ch->upn;
}

/* Validates `in` over `cur` (NULL on create) into *out.  Returns
 * ERR_OK, ERR_INVALID (errors in e) or ERR_NOMEM. */
static int validate_identity(struct arena *a, const struct child_ctx *x,
			     const struct child_input *in,
			     const struct ident_vals *cur,
			     struct ident_vals *out, struct field_errors *e)
{
	bool create = cur == NULL;
	int before = e->n;
	if (cur)
		*out = *cur;
	else
		*out = (struct ident_vals){"", "", "", "", "", "0", "", "", ""};

	if (create || in->given_name)
		out->given = check_text(a, in->given_name, "given_name",
					"Given name",
					"Enter the child's given name.",
					NAME_MAX_CHARS, true, e);
	if (create || in->family_name)
		out->family = check_text(a, in->family_name, "family_name",
					 "Family name",
					 "Enter the child's family name.",
					 NAME_MAX_CHARS, true, e);
	if (in->other_names)
		out->other = check_text(a, in->other_names, "other_names",
					"Other names", NULL, OTHER_MAX_CHARS,
					true, e);

	struct cal_date d;
	char buf[11];
	switch (in->dob_status) {
	case CHILD_DOB_UNSET:
		if (create)
			fe_addf(e, "dob_status", "Say whether the date of birth "
				"is known, the child is not born yet, or the "
				"date of birth is not known.");
		break;
	case CHILD_DOB_KNOWN:
		if (in->dob == NULL || in->dob[0] == '\0') {
			fe_addf(e, "dob", "Enter the date of birth.");
			break;
		}
		if (!check_date(in->dob, "dob", "Date of birth", &d, e))
			break;
		if (cal_compare(d, x->act->today) > 0) {
			fe_addf(e, "dob", "Date of birth must be today or in the "
				"past; for a child not born yet, record the "
				"expected date of birth instead.");
			break;
		}
		fmt_date(d, buf);
		out->dob = arena_strdup(a, buf);
		out->edob = "";
		break;
	case CHILD_DOB_EXPECTED:
		if (in->expected_dob == NULL || in->expected_dob[0] == '\0') {
			fe_addf(e, "expected_dob",
				"Enter the expected date of birth.");
			break;
		}
		if (!check_date(in->expected_dob, "expected_dob",
				"Expected date of birth", &d, e))
			break;
		fmt_date(d, buf);
		/* a past expected date is refused only when it is being
		 * entered, so that an old record stays editable */
		if (cal_compare(d, x->act->today) < 0 &&
		    (create || strcmp(buf, cur->edob) != 0)) {
			fe_addf(e, "expected_dob", "Expected date of birth must "
				"be today or later; if the child has been born, "
				"record the date of birth instead.");
			break;
		}
		if (cal_compare(d, cal_add_months(x->act->today,
						  EXPECTED_MONTHS_MAX)) > 0) {
			fe_addf(e, "expected_dob", "Expected date of birth must "
				"be within %d months from today.",
				EXPECTED_MONTHS_MAX);
			break;
		}
		out->edob = arena_strdup(a, buf);
		out->dob = "";
		break;
	case CHILD_DOB_UNKNOWN:
		out->dob = "";
		out->edob = "";
		break;
	default:
		fe_addf(e, "dob_status", "Date of birth status must be known, "
			"expected or unknown.");
	}

	if (in->gender) {
		const char *g = in->gender[0] ? in->gender : "0";
		if (child_gender_label_for(g) == NULL)
			fe_addf(e, "gender", "Gender must be one of 0 (not "
				"recorded or unborn), 1 (male), 2 (female) or "
				"9 (indeterminate).");
		else
			out->gender = g;
	}

	if (in->ethnicity) {
		char *t = trimmed(a, in->ethnicity);
		if (t == NULL)
			return ERR_NOMEM;
		for (char *p = t; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		if (t[0] == '\0')
			out->eth = "";
		else if (child_ethnicity_label_for(t))
			out->eth = t;
		else if (strlen(t) <= 16 && str_is_text(t, strlen(t)))
			fe_addf(e, "ethnicity", "Ethnicity '%s' is not a DfE "
				"ethnicity code.", t);
		else
			fe_addf(e, "ethnicity", "Ethnicity is not a DfE "
				"ethnicity code.");
	}

	if (in->nhs_number) {
		char *t = trimmed(a, in->nhs_number);
		char norm[11], msg[200];
		if (t == NULL)
			return ERR_NOMEM;
		if (t[0] == '\0')
			out->nhs = "";
		else if (ident_nhs_check(t, strlen(t), norm) == IDENT_OK)
			out->nhs = arena_strdup(a, norm);
		else {
			ident_nhs_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "nhs_number", "%s", msg);
		}
	}

	if (in->upn) {
		char *t = trimmed(a, in->upn);
		char norm[14], msg[200];
		if (t == NULL)
			return ERR_NOMEM;
		if (t[0] == '\0')
			out->upn = "";
		else if (ident_upn_check(t, strlen(t), norm) == IDENT_OK)
			out->upn = arena_strdup(a, norm);
		else {
			ident_upn_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "upn", "%s", msg);
		}
	}
	if (arena_exhausted(a))
		return ERR_NOMEM;
	return e->n > before ? ERR_INVALID : ERR_OK;
}

/* Tells the search's name index that a child is being created or renamed
 * (see "The name index" below). */
static void nx_note(const char *council, int64_t id, int64_t version);

/* The stored key of a name: namematch_key(namematch_fold(name)). */
static void name_key(const char *name, char out[NAMEMATCH_KEY_MAX])
{
	char folded[NAMEMATCH_NAME_MAX * 2];
	size_t n = namematch_fold(name, strlen(name), folded, sizeof(folded));
	namematch_key(folded, n, out, NAMEMATCH_KEY_MAX);
}

static const char *nullable(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* ---- duplicates ------------------------------------------------------ */

static int add_dup(struct arena *a, struct child_match *v, int *n,
		   struct db_q *q, int score, const char *reason)
{
	int64_t id = db_col_i64(q, 0);
	for (int i = 0; i < *n; i++)
		if (v[i].child_id == id) {
			if (score > v[i].score)
				v[i].score = score;
			return ERR_OK;
		}
	if (*n >= DUPS_MAX)
		return ERR_OK;
	struct child_match *m = &v[(*n)++];
	m->child_id = id;
	m->score = score;
	m->reason = reason;
	m->given_name = col(a, q, 1);
	m->family_name = col(a, q, 2);
	m->la_ref = col(a, q, 3);
	m->dob = col(a, q, 4);
	m->expected_dob = col(a, q, 5);
	return arena_exhausted(a) ? ERR_NOMEM : ERR_OK;
}

static int cmp_dup(const void *pa, const void *pb)
{
	const struct child_match *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->child_id < b->child_id ? -1 : a->child_id > b->child_id;
}

/* Children of the council that may be the same child as v (excluding
 * `self`).  Fills v (DUPS_MAX entries) and *n. */
static int find_dups(struct db_conn *c, const struct child_ctx *x,
		     struct arena *a, const struct ident_vals *v,
		     int64_t self, struct child_match *out, int *n)
{
	struct db_q *q;
	int rc;
	*n = 0;
	const struct {
		const struct db_stmt *st;
		const char *value;
		const char *reason;
	} by[3] = {
		{&st_by_nhs, v->nhs, "The same NHS number"},
		{&st_by_upn, v->upn, "The same UPN"},
		{&st_by_dob, v->dob, "The same date of birth and a similar name"},
	};
	for (int k = 0; k < 3; k++) {
		if (by[k].value[0] == '\0')
			continue;
		if ((rc = db_prepare(c, by[k].st, &q)) != DB_OK)
			return err_from_db(rc);
		db_bind_text(q, 1, x->act->council);
		db_bind_text(q, 2, by[k].value);
		while ((rc = db_step(q)) == DB_ROW) {
			if (db_col_i64(q, 0) == self)
				continue;
			int score = namematch_score(v->given, v->family,
						    db_col_text(q, 1),
						    db_col_text(q, 2));
			if (by[k].st == &st_by_dob && score < NAMEMATCH_LIKELY)
				continue;
			if ((rc = add_dup(a, out, n, q, score, by[k].reason)))
				return rc;
		}
		if (rc < 0)
			return err_from_db(rc);
	}
	qsort(out, (size_t)*n, sizeof(*out), cmp_dup);
	return ERR_OK;
}

/* ---- create ---------------------------------------------------------- */

/* The next free la_ref: the council code in capitals and 7 digits.  The
 * number follows the child_id sequence (the new child's id), stepping
 * over numbers already taken (imported or demo references need not be
 * in sequence). */
static int next_la_ref(struct db_conn *c, const struct child_ctx *x,
		       int64_t child_id, char out[48])
{
	char prefix[20];
	size_t pn = 0;
	for (const char *p = x->act->council; *p && pn < sizeof(prefix) - 1; p++)
		prefix[pn++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A')
							: *p;
	prefix[pn] = '\0';
	int64_t next = child_id;
	for (int tries = 0; tries < 1000; tries++, next++) {
		if (next > LA_REF_LIMIT)
			return ERR_LIMIT;
		snprintf(out, 48, "%s%07lld", prefix, (long long)next);
		int rc = db_run(c, &st_la_ref_used, NULL, "tt", x->act->council, out);
		if (rc < 0)
			return err_from_db(rc);
		if (rc == DB_DONE)
			return ERR_OK;
	}
	return ERR_LIMIT;
}

static int unique_ident(struct db_conn *c, const struct child_ctx *x,
			const struct db_stmt *st, const char *value,
			const char *old, int64_t self, const char *field,
			const char *label, struct field_errors *e);

int child_create(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, const struct child_input *in,
		 bool confirm_not_duplicate, int64_t *child_id,
		 const char **la_ref, struct child_match **dups, int *ndups,
		 struct field_errors *errs)
{
	struct ident_vals v;
	int rc = validate_identity(a, x, in, NULL, &v, errs);
	if (rc != ERR_OK)
		return rc;
	bool own;
	if ((rc = tx_open(c, &own)) != ERR_OK)
		return rc;
	struct child_match *found = arena_zalloc(a, DUPS_MAX * sizeof(*found));
	int nfound = 0;
	if (found == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = find_dups(c, x, a, &v, 0, found, &nfound)) != ERR_OK)
		goto out;
	if (nfound > 0 && !confirm_not_duplicate) {
		/* the candidates are other children's data about to be shown:
		 * the look-up is audited, and that row is all that is kept */
		if ((rc = audit(c, x, "search", "child", 0, 0)) != ERR_OK)
			goto out;
		rc = tx_close(c, own, ERR_OK);
		if (rc != ERR_OK)
			return rc;
		if (dups)
			*dups = found;
		if (ndups)
			*ndups = nfound;
		return ERR_DUPLICATE;
	}
	/* "a different child" cannot share an NHS number or a UPN: those
	 * identify one person, so a confirmed create is still refused */
	if (nfound > 0) {
		int r1 = unique_ident(c, x, &st_by_nhs, v.nhs, "", 0,
				      "nhs_number", "NHS number", errs);
		int r2 = unique_ident(c, x, &st_by_upn, v.upn, "", 0, "upn",
				      "UPN", errs);
		if (r1 != ERR_OK || r2 != ERR_OK) {
			rc = r1 != ERR_OK && r1 != ERR_INVALID ? r1
			   : r2 != ERR_OK && r2 != ERR_INVALID ? r2
								    : ERR_INVALID;
			goto out;
		}
	}
	int64_t id = 0;
	char ref[48], now[21], gk[NAMEMATCH_KEY_MAX], fk[NAMEMATCH_KEY_MAX];
	if ((rc = next_id(c, "child", x, &id)) != ERR_OK ||
	    (rc = next_la_ref(c, x, id, ref)) != ERR_OK)
		goto out;
	act_stamp(x->act, now);
	name_key(v.given, gk);
	name_key(v.family, fk);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_insert, &q)) != DB_OK) {
		rc = err_from_db(rc);
		goto out;
	}
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, id);
	db_bind_text(q, 3, ref);
	db_bind_text(q, 4, v.given);
	db_bind_text(q, 5, v.family);
	db_bind_text(q, 6, nullable(v.other));
	db_bind_text(q, 7, gk);
	db_bind_text(q, 8, fk);
	db_bind_text(q, 9, nullable(v.dob));
	db_bind_text(q, 10, nullable(v.edob));
	db_bind_text(q, 11, v.gender);
	db_bind_text(q, 12, nullable(v.eth));
	db_bind_text(q, 13, nullable(v.nhs));
	db_bind_text(q, 14, nullable(v.upn));
	db_bind_text(q, 15, now);
	db_bind_i64(q, 16, x->act->user_id);
	if ((rc = db_step(q)) < 0) {
		rc = err_from_db(rc);
		goto out;
	}
	nx_note(x->act->council, id, 1);
	if ((rc = audit(c, x, "create", "child", id, id)) != ERR_OK)
		goto out;
	rc = tx_close(c, own, ERR_OK);
	if (rc == ERR_OK) {
		*child_id = id;
		if (la_ref)
			*la_ref = arena_strdup(a, ref);
	}
	return rc;
out:
	return tx_close(c, own, rc);
}

int child_validate(const struct child_ctx *x, struct arena *a,
		   const struct child_input *in, struct field_errors *errs)
{
	struct ident_vals v;
	return validate_identity(a, x, in, NULL, &v, errs);
}

/* ---- read ------------------------------------------------------------ */

static int load_child(struct db_conn *c, const struct child_ctx *x,
		      struct arena *a, int64_t child_id, struct child *out)
{
	struct db_q *q;
	int rc = db_run(c, &st_get, &q, "ti", x->act->council, (int64_t)child_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return ERR_NOTFOUND;
	struct child ch;
	ch.child_id = db_col_i64(q, 0);
	ch.la_ref = col(a, q, 1);
	ch.given_name = col(a, q, 2);
	ch.family_name = col(a, q, 3);
	ch.other_names = col(a, q, 4);
	ch.dob = col(a, q, 5);
	ch.expected_dob = col(a, q, 6);
	ch.gender = col(a, q, 7);
	ch.ethnicity = col(a, q, 8);
	ch.nhs_number = col(a, q, 9);
	ch.upn = col(a, q, 10);
	ch.created_at = col(a, q, 11);
	ch.updated_at = col(a, q, 12);
	ch.version = db_col_i64(q, 13);
	if (arena_exhausted(a))
		return ERR_NOMEM;
	*out = ch;
	return ERR_OK;
}

int child_load(struct db_conn *c, const struct child_ctx *x,
	       struct arena *a, int64_t child_id, struct child *out)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	/* visible(): the row exists (read here with its columns) and, for
	 * a partner, their organisation is involved */
	struct child ch;
	int rc = load_child(c, x, a, child_id, &ch);
	if (rc != ERR_OK)
		return rc;
	if (x->act->partner) {
		rc = involved(c, x, child_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return ERR_NOTFOUND;
	}
	if (x->seen)
		*x->seen = (struct child_seen){c, db_tx_seq(c), child_id};
	*out = ch;
	return ERR_OK;
}

int child_read(struct db_conn *c, const struct child_ctx *x,
	       struct arena *a, int64_t child_id, struct child *out)
{
	struct child ch;
	int rc = child_load(c, x, a, child_id, &ch);
	if (rc != ERR_OK)
		return rc;
	if ((rc = audit(c, x, "read", "child", child_id, child_id)) != ERR_OK)
		return rc;
	*out = ch;
	return ERR_OK;
}

/* ---- update ---------------------------------------------------------- */

/* A history row for a changed field; its seq from the council's
 * child_history counter (increasing within each child, as the history
 * list's order needs). */
static int history_row(struct db_conn *c, const struct child_ctx *x,
		       int64_t child_id, const char *field,
		       const char *old, const char *now_value, const char *at)
{
	if (strcmp(old, now_value) == 0)
		return ERR_OK;
	int64_t seq;
	int rc = next_id(c, "child_history", x, &seq);
	if (rc != ERR_OK)
		return rc;
	rc = db_run(c, &st_hist_insert, NULL, "tiitttit", x->act->council,
			(int64_t)child_id, seq, field,
			nullable(old), nullable(now_value), (int64_t)x->act->user_id,
			at);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* An identifier already held by another child is a field error. */
static int unique_ident(struct db_conn *c, const struct child_ctx *x,
			const struct db_stmt *st, const char *value,
			const char *old, int64_t self, const char *field,
			const char *label, struct field_errors *e)
{
	if (value[0] == '\0' || strcmp(value, old) == 0)
		return ERR_OK;
	struct db_q *q;
	int rc = db_prepare(c, st, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_text(q, 2, value);
	while ((rc = db_step(q)) == DB_ROW) {
		if (db_col_i64(q, 0) == self)
			continue;
		fe_addf(e, field, "This %s is already recorded for another "
			"child (LA reference %s): check whether the two records "
			"are the same child.", label, db_col_text(q, 3));
		return ERR_INVALID;
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

int child_update(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, int64_t child_id, int64_t version,
		 const struct child_input *in, int64_t *new_version,
		 struct field_errors *errs)
{
	bool own;
	int rc = tx_open(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct child cur;
	if ((rc = need_visible(c, x, child_id)) != ERR_OK ||
	    (rc = load_child(c, x, a, child_id, &cur)) != ERR_OK)
		goto out;
	if (cur.version != version) {
		rc = ERR_CONFLICT;
		goto out;
	}
	struct ident_vals old, v;
	vals_from_child(&cur, &old);
	if ((rc = validate_identity(a, x, in, &old, &v, errs)) != ERR_OK)
		goto out;
	int r1 = unique_ident(c, x, &st_by_nhs, v.nhs, old.nhs, child_id,
			      "nhs_number", "NHS number", errs);
	int r2 = unique_ident(c, x, &st_by_upn, v.upn, old.upn, child_id,
			      "upn", "UPN", errs);
	if (r1 != ERR_OK || r2 != ERR_OK) {
		rc = r1 != ERR_OK && r1 != ERR_INVALID ? r1
		   : r2 != ERR_OK && r2 != ERR_INVALID ? r2
							    : ERR_INVALID;
		goto out;
	}
	const struct {
		const char *field;
		const char *old, *now;
	} fields[] = {
		{"given_name", old.given, v.given},
		{"family_name", old.family, v.family},
		{"other_names", old.other, v.other},
		{"dob", old.dob, v.dob},
		{"expected_dob", old.edob, v.edob},
		{"gender", old.gender, v.gender},
		{"ethnicity", old.eth, v.eth},
		{"nhs_number", old.nhs, v.nhs},
		{"upn", old.upn, v.upn},
	};
	int nf = (int)(sizeof(fields) / sizeof(fields[0]));
	int changed = 0;
	for (int i = 0; i < nf; i++)
		changed += strcmp(fields[i].old, fields[i].now) != 0;
	if (changed == 0) {
		if (new_version)
			*new_version = cur.version;
		rc = ERR_OK;
		goto out;
	}
	char now[21], gk[NAMEMATCH_KEY_MAX], fk[NAMEMATCH_KEY_MAX];
	act_stamp(x->act, now);
	name_key(v.given, gk);
	name_key(v.family, fk);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_update, &q)) != DB_OK) {
		rc = err_from_db(rc);
		goto out;
	}
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	db_bind_text(q, 3, v.given);
	db_bind_text(q, 4, v.family);
	db_bind_text(q, 5, nullable(v.other));
	db_bind_text(q, 6, gk);
	db_bind_text(q, 7, fk);
	db_bind_text(q, 8, nullable(v.dob));
	db_bind_text(q, 9, nullable(v.edob));
	db_bind_text(q, 10, v.gender);
	db_bind_text(q, 11, nullable(v.eth));
	db_bind_text(q, 12, nullable(v.nhs));
	db_bind_text(q, 13, nullable(v.upn));
	db_bind_text(q, 14, now);
	db_bind_i64(q, 15, version);
	if ((rc = db_step(q)) < 0) {
		rc = err_from_db(rc);
		goto out;
	}
	if (db_changes(c) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	if (strcmp(old.given, v.given) != 0 ||
	    strcmp(old.family, v.family) != 0)
		nx_note(x->act->council, child_id, version + 1);
	for (int i = 0; i < nf; i++)
		if ((rc = history_row(c, x, child_id, fields[i].field,
				      fields[i].old, fields[i].now, now)) !=
		    ERR_OK)
			goto out;
	if ((rc = audit(c, x, "update", "child", child_id, child_id)) !=
	    ERR_OK)
		goto out;
	rc = tx_close(c, own, ERR_OK);
	if (rc == ERR_OK && new_version)
		*new_version = version + 1;
	return rc;
out:
	return tx_close(c, own, rc);
}

int child_history_list(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, int64_t child_id,
		       struct child_change **v, int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = need_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	if ((rc = db_prepare(c, &st_hist_list, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	int cap = 16, k = 0;
	struct child_change *out = arena_alloc(a, (size_t)cap * sizeof(*out));
	while (out && (rc = db_step(q)) == DB_ROW) {
		out = arena_grow(a, out, k, &cap, sizeof(*out));
		if (out == NULL)
			return ERR_NOMEM;
		struct child_change *h = &out[k++];
		h->seq = db_col_i64(q, 0);
		h->field = col(a, q, 1);
		h->old_value = col(a, q, 2);
		h->new_value = col(a, q, 3);
		h->user_id = db_col_i64(q, 4);
		h->at = col(a, q, 5);
		h->user_name = col(a, q, 6);
	}
	if (out == NULL || arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	*v = out;
	*n = k;
	return ERR_OK;
}

/* ---- search ---------------------------------------------------------- */

/* How a name query is scored. */
struct scorer {
	bool single;                 /* one word: try it as either part */
	struct namematch_query both; /* given + family (not single) */
	struct namematch_query qg;   /* the given part (or the word) alone */
	struct namematch_query qf;   /* the family part (or the word) alone */
	char gkey[NAMEMATCH_KEY_MAX], fkey[NAMEMATCH_KEY_MAX];
};

/* Splits a trimmed name into given names and a family name (the last
 * word).  Returns false when it holds no word. */
static bool scorer_init(struct scorer *s, struct arena *a, const char *name)
{
	char *t = trimmed(a, name);
	if (t == NULL || t[0] == '\0')
		return false;
	char *last = NULL;
	for (char *p = t; *p; p++)
		if (is_space(*p))
			last = p;
	if (last == NULL) {
		s->single = true;
		namematch_query_init(&s->qg, t, NULL);
		namematch_query_init(&s->qf, NULL, t);
		name_key(t, s->gkey);
		memcpy(s->fkey, s->gkey, sizeof(s->fkey));
		return true;
	}
	char *family = last + 1;
	char *g = last;
	while (g > t && is_space(g[-1]))
		g--;
	*g = '\0';
	s->single = false;
	namematch_query_init(&s->both, t, family);
	namematch_query_init(&s->qg, t, NULL);
	namematch_query_init(&s->qf, NULL, family);
	name_key(t, s->gkey);
	name_key(family, s->fkey);
	return true;
}

static int scorer_score(const struct scorer *s, const char *g, const char *f)
{
	if (s->single) {
		int a = namematch_score_query(&s->qg, g, NULL);
		int b = namematch_score_query(&s->qf, NULL, f);
		return a > b ? a : b;
	}
	return namematch_score_query(&s->both, g, f);
}

/* The similarities of one name to the query (see namematch_part_score):
 * sg to the query's given part (for one word: to the word), sf to its
 * family part (one word: the same), best the larger, and kh whether the
 * name's phonetic key is one the query looks up. */
struct name_sims {
	uint8_t sg, sf, best, kh;
};

static struct name_sims scorer_sims(const struct scorer *s,
				    const struct namematch_part *p,
				    const char *key)
{
	struct name_sims m;
	if (s->single) {
		/* qg's given part and qf's family part are the same word */
		int v = namematch_part_score(&s->qg, 0, p);
		m.sg = m.sf = (uint8_t)v;
	} else {
		m.sg = (uint8_t)namematch_part_score(&s->both, 0, p);
		m.sf = (uint8_t)namematch_part_score(&s->both, 1, p);
	}
	m.best = m.sg > m.sf ? m.sg : m.sf;
	/* the phonetic index is looked up by the query's keys, never by "" */
	m.kh = (s->gkey[0] && strcmp(key, s->gkey) == 0) ||
	       (s->fkey[0] && strcmp(key, s->fkey) == 0);
	return m;
}

/* scorer_score of a row from the similarities of its two names: exactly
 * namematch_score_query (namematch.h, "Scoring by parts"). */
static int scorer_combine(const struct scorer *s, struct name_sims g,
			  struct name_sims f)
{
	if (s->single) {
		int a = namematch_combine(&s->qg, g.sg, 0, 0, 0);
		int b = namematch_combine(&s->qf, 0, f.sf, 0, 0);
		return a > b ? a : b;
	}
	return namematch_combine(&s->both, g.sg, f.sf, f.sg, g.sf);
}

/*
 * The name index.  A name search ranks every child of the council (the
 * rows whose phonetic key the query has, and when fewer than
 * CHILD_SEARCH_SCAN_BELOW of those match, all the others too), so each
 * process keeps, per council, a snapshot of the council's names: the
 * rows (child_id and the two names, as indexes into a table of distinct
 * names) and each distinct name prepared once (folded, words keyed, its
 * phonetic key).  A search scores each distinct name once against the
 * query, then only the rows of the names that can make a match (through
 * rows-by-name lists) from those scores: a few store reads and well under
 * a millisecond, where stepping 50,000 rows through SQLite and scoring
 * them cost ~10 ms.
 *
 * Freshness.  A snapshot is the state of one read transaction.  A search
 * uses it with what changed since, read in the search's own snapshot:
 *  - rows with a child_id above the snapshot's largest.  Ids are
 *    allocated as MAX + 1 under the write lock, so every child created
 *    after the snapshot is one of them (a primary-key range);
 *  - the children this process created or renamed ("notes", made by
 *    child_create and child_update before they commit, so a caller's
 *    joined transaction is covered too): their snapshot rows are ignored
 *    and their current rows read by primary key;
 *  - the snapshot's largest row must still be there with the same
 *    created_at; if not (children deleted, another database) the snapshot
 *    is rebuilt.
 * A note is dropped by a rebuild whose snapshot holds its version, or
 * whose transaction started NX_NOTE_SLACK_MS after the note (its
 * transaction must then have rolled back); when notes pile up with
 * nobody searching, the snapshot is dropped with the notes that old.  A snapshot is rebuilt when
 * much has changed and after NX_MAX_AGE_MS, so that a rename by another
 * process sharing the database (none does: only child_update writes
 * names) shows within that time.  Cairn never deletes children; a row
 * deleted under a snapshot is dropped when the page is read.
 *
 * Threads.  nx_mu guards the council list, the notes and the reference
 * counts.  A snapshot is immutable once built and freed by whoever drops
 * its last reference; nobody holds nx_mu while reading the store or
 * scoring.  The index lives as long as the process (no owner to hang it
 * on without widening child_search's signature); memory is ~24 bytes
 * per child and ~200 bytes per distinct name.
 */
#define NX_NOTE_SLACK_MS (5 * 60 * 1000) /* far longer than a transaction */
#define NX_MAX_AGE_MS (60 * 1000)
#define NX_REBUILD_GAP_MS 1000 /* at most one optional rebuild a second */
#define NX_NOTES_MAX 64        /* more notes: rebuild */
#define NX_NOTES_CAP 4096      /* notes nobody settles: drop the snapshot */
#define NX_EXTRA_MAX 512       /* more rows read beside it: rebuild */

struct nx_name {
	struct namematch_part part;   /* folded, every word keyed */
	char key[NAMEMATCH_KEY_MAX];  /* name_key(text) */
	const char *text;             /* as stored, in the snapshot's pool */
};

struct nx_row {
	int64_t id;
	uint32_t g, f; /* indexes into names */
};

struct nx_snap {
	int refs;                 /* under nx_mu */
	int64_t built_ms;         /* mono_ms() when its transaction began */
	int64_t max_id;           /* largest child_id; 0 when no rows */
	char max_created[32];     /* created_at of that row */
	struct nx_row *rows;      /* in no particular order */
	size_t nrows;
	struct nx_name *names;
	size_t nnames;
	char *pool;
	/* rows by name: those with given name i are the row indexes
	 * post[goff[i] .. goff[i + 1]), with family name i
	 * post[foff[i] .. foff[i + 1]) */
	uint32_t *goff, *foff, *post;
};

struct nx_note {
	uint64_t seq;
	int64_t id, version, at_ms;
};

struct nx_council {
	struct nx_council *next;
	char *council;
	struct nx_snap *snap;     /* the index's reference; NULL: none yet */
	uint64_t epoch;           /* bumped when snap and notes are dropped */
	bool optional;            /* an optional rebuild is under way */
	int64_t tried_ms;         /* when the last optional rebuild began */
	struct nx_note *notes;    /* in seq order */
	size_t nnotes, notes_cap;
	uint64_t next_seq;
};

static pthread_mutex_t nx_mu = PTHREAD_MUTEX_INITIALIZER;
static struct nx_council *nx_councils;

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The council's entry, made when missing.  Under nx_mu. */
static struct nx_council *nx_council_get(const char *council)
{
	struct nx_council *e;
	for (e = nx_councils; e; e = e->next)
		if (strcmp(e->council, council) == 0)
			return e;
	e = xcalloc(1, sizeof(*e));
	e->council = xstrdup(council);
	e->next = nx_councils;
	nx_councils = e;
	return e;
}

static void nx_snap_free(struct nx_snap *s)
{
	if (s == NULL)
		return;
	free(s->rows);
	free(s->names);
	free(s->pool);
	free(s->goff);
	free(s->foff);
	free(s->post);
	free(s);
}

/* Drops one reference.  Under nx_mu. */
static void nx_unref_locked(struct nx_snap *s)
{
	if (s && --s->refs == 0)
		nx_snap_free(s);
}

static void nx_release(struct nx_snap *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&nx_mu);
	nx_unref_locked(s);
	pthread_mutex_unlock(&nx_mu);
}

/* Notes that child id of the council has (or is about to commit) names
 * at `version`: called by the writers before they commit.  Always kept,
 * even with no snapshot yet: a build may start before the commit. */
static void nx_note(const char *council, int64_t id, int64_t version)
{
	int64_t now = mono_ms();
	pthread_mutex_lock(&nx_mu);
	struct nx_council *e = nx_council_get(council);
	if (e->nnotes >= NX_NOTES_CAP) {
		/* nobody has searched for a long while: forget the snapshot,
		 * keep builds under way from publishing theirs, and forget the
		 * notes whose transactions are over (any later build sees
		 * them) */
		nx_unref_locked(e->snap);
		e->snap = NULL;
		e->epoch++;
		size_t k = 0;
		for (size_t j = 0; j < e->nnotes; j++)
			if (e->notes[j].at_ms >= now - NX_NOTE_SLACK_MS)
				e->notes[k++] = e->notes[j];
		e->nnotes = k;
	}
	if (e->nnotes == e->notes_cap) {
		e->notes_cap = e->notes_cap ? e->notes_cap * 2 : 64;
		e->notes = xrealloc(e->notes, e->notes_cap * sizeof(*e->notes));
	}
	e->notes[e->nnotes++] = (struct nx_note){e->next_seq++, id, version,
						 now};
	pthread_mutex_unlock(&nx_mu);
}

void child_search_index_drop(void)
{
	pthread_mutex_lock(&nx_mu);
	for (struct nx_council *e = nx_councils; e; e = e->next) {
		nx_unref_locked(e->snap);
		e->snap = NULL;
		e->epoch++; /* builds under way keep theirs to themselves */
		/* the notes stay: the next build settles them */
	}
	pthread_mutex_unlock(&nx_mu);
}

/* Building a snapshot: names interned as pool offsets first. */
struct nx_builder {
	struct nx_snap *s;
	size_t rows_cap, names_cap, pool_len, pool_cap;
	uint32_t *slot;   /* name index + 1; 0 is empty */
	size_t slot_cap;
	uint32_t *hash;   /* per name */
	size_t *off;      /* per name, into pool */
};

static void nx_slots_grow(struct nx_builder *b)
{
	size_t ncap = b->slot_cap ? b->slot_cap * 2 : 1024;
	uint32_t *ns = xcalloc(ncap, sizeof(*ns));
	for (size_t i = 0; i < b->s->nnames; i++) {
		size_t j = b->hash[i] & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = (uint32_t)i + 1;
	}
	free(b->slot);
	b->slot = ns;
	b->slot_cap = ncap;
}

/* The index of name s (NULL counts as ""), added when new. */
static uint32_t nx_intern(struct nx_builder *b, const char *s)
{
	if (s == NULL)
		s = "";
	size_t n = strlen(s);
	uint32_t h = fnv1a(s, n);
	if ((b->s->nnames + 1) * 2 > b->slot_cap)
		nx_slots_grow(b);
	size_t j = h & (b->slot_cap - 1);
	for (; b->slot[j]; j = (j + 1) & (b->slot_cap - 1)) {
		uint32_t i = b->slot[j] - 1;
		if (b->hash[i] == h && strcmp(b->s->pool + b->off[i], s) == 0)
			return i;
	}
	if (b->s->nnames == b->names_cap) {
		b->names_cap = b->names_cap ? b->names_cap * 2 : 256;
		b->hash = xrealloc(b->hash, b->names_cap * sizeof(*b->hash));
		b->off = xrealloc(b->off, b->names_cap * sizeof(*b->off));
	}
	if (b->pool_len + n + 1 > b->pool_cap) {
		while (b->pool_len + n + 1 > b->pool_cap)
			b->pool_cap = b->pool_cap ? b->pool_cap * 2 : 4096;
		b->s->pool = xrealloc(b->s->pool, b->pool_cap);
	}
	memcpy(b->s->pool + b->pool_len, s, n + 1);
	uint32_t i = (uint32_t)b->s->nnames++;
	b->hash[i] = h;
	b->off[i] = b->pool_len;
	b->pool_len += n + 1;
	b->slot[j] = i + 1;
	return i;
}

/* the snapshot's largest row, whose created_at must not change */
DB_STMT(st_nx_last) = {
	"child_index_last",
	"SELECT child_id, created_at FROM child WHERE council = ?1"
	" ORDER BY child_id DESC LIMIT 1",
	R_READ,
};
/* every name of the council (covered by the index child_names) */
DB_STMT(st_nx_names) = {
	"child_index_names",
	"SELECT child_id, given_name, family_name FROM child"
	" WHERE council = ?1",
	R_READ,
};
/* the snapshot's largest row, then every row created after it */
DB_STMT(st_nx_after) = {
	"child_index_after",
	"SELECT child_id, given_name, family_name, created_at FROM child"
	" WHERE council = ?1 AND child_id >= ?2 ORDER BY child_id",
	R_READ,
};
/* a noted child as it is now */
DB_STMT(st_nx_one) = {
	"child_index_one",
	"SELECT given_name, family_name, version FROM child"
	" WHERE council = ?1 AND child_id = ?2",
	R_READ,
};

/* Fills s's rows-by-name lists (a counting sort of the row indexes). */
static void nx_postings(struct nx_snap *s)
{
	size_t d = s->nnames;
	s->goff = xcalloc(d + 1, sizeof(*s->goff));
	s->foff = xcalloc(d + 1, sizeof(*s->foff));
	s->post = xmalloc((2 * s->nrows + 1) * sizeof(*s->post));
	for (size_t i = 0; i < s->nrows; i++) {
		s->goff[s->rows[i].g + 1]++;
		s->foff[s->rows[i].f + 1]++;
	}
	for (size_t i = 0; i < d; i++)
		s->goff[i + 1] += s->goff[i];
	s->foff[0] = s->goff[d];
	for (size_t i = 0; i < d; i++)
		s->foff[i + 1] += s->foff[i];
	uint32_t *gnext = xmalloc((d + 1) * sizeof(*gnext));
	uint32_t *fnext = xmalloc((d + 1) * sizeof(*fnext));
	memcpy(gnext, s->goff, (d + 1) * sizeof(*gnext));
	memcpy(fnext, s->foff, (d + 1) * sizeof(*fnext));
	for (size_t i = 0; i < s->nrows; i++) {
		s->post[gnext[s->rows[i].g]++] = (uint32_t)i;
		s->post[fnext[s->rows[i].f]++] = (uint32_t)i;
	}
	free(gnext);
	free(fnext);
}

/* Builds the council's snapshot in the caller's read transaction, which
 * began at t0.  Returns 0 and *out (one reference), or an error. */
static int nx_build(struct db_conn *c, const char *council, int64_t t0,
		    struct nx_snap **out)
{
	struct nx_builder b = {0};
	b.s = xcalloc(1, sizeof(*b.s));
	b.s->refs = 1;
	b.s->built_ms = t0;
	struct db_q *q;
	int rc = db_run(c, &st_nx_last, &q, "t", council);
	if (rc == DB_ROW) {
		const char *cr = db_col_text(q, 1);
		b.s->max_id = db_col_i64(q, 0);
		snprintf(b.s->max_created, sizeof(b.s->max_created), "%s",
			 cr ? cr : "");
	}
	if (rc >= 0)
		rc = db_prepare(c, &st_nx_names, &q);
	if (rc < 0)
		goto out_free;
	db_bind_text(q, 1, council);
	uint32_t prev_g = UINT32_MAX;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *g = db_col_text(q, 1), *f = db_col_text(q, 2);
		if (b.s->nrows == b.rows_cap) {
			b.rows_cap = b.rows_cap ? b.rows_cap * 2 : 1024;
			b.s->rows = xrealloc(b.s->rows,
					     b.rows_cap * sizeof(*b.s->rows));
		}
		struct nx_row *row = &b.s->rows[b.s->nrows++];
		row->id = db_col_i64(q, 0);
		/* rows come in given-name order: most repeat the last one */
		if (prev_g == UINT32_MAX || strcmp(b.s->pool + b.off[prev_g],
						   g ? g : "") != 0)
			prev_g = nx_intern(&b, g);
		row->g = prev_g;
		row->f = nx_intern(&b, f);
	}
	if (rc < 0)
		goto out_free;
	nx_postings(b.s);
	b.s->names = xcalloc(b.s->nnames ? b.s->nnames : 1,
			     sizeof(*b.s->names));
	for (size_t i = 0; i < b.s->nnames; i++) {
		struct nx_name *nm = &b.s->names[i];
		nm->text = b.s->pool + b.off[i];
		namematch_part_init(&nm->part, nm->text);
		name_key(nm->text, nm->key);
	}
	free(b.slot);
	free(b.hash);
	free(b.off);
	*out = b.s;
	return ERR_OK;
out_free:
	free(b.slot);
	free(b.hash);
	free(b.off);
	nx_snap_free(b.s);
	return err_from_db(rc);
}

/* A row read beside the snapshot for one search (arena). */
struct nx_extra {
	int64_t id;
	const char *given, *family;
	struct namematch_part g, f;
	char gkey[NAMEMATCH_KEY_MAX], fkey[NAMEMATCH_KEY_MAX];
};

/* What one search ranks: the snapshot's rows except those in skip, and
 * the extra rows. */
struct nx_view {
	struct nx_snap *snap;     /* one reference, for nx_release */
	int64_t *skip;            /* ascending */
	size_t nskip;
	struct nx_extra *extra;
	size_t nextra, extra_cap;
};

static int nx_extra_add(struct arena *a, struct nx_view *v, int64_t id,
			const char *given, const char *family)
{
	if (v->nextra == v->extra_cap) {
		size_t ncap = v->extra_cap ? v->extra_cap * 2 : 16;
		struct nx_extra *ne = arena_alloc(a, ncap * sizeof(*ne));
		if (ne == NULL)
			return ERR_NOMEM;
		if (v->nextra)
			memcpy(ne, v->extra, v->nextra * sizeof(*ne));
		v->extra = ne;
		v->extra_cap = ncap;
	}
	struct nx_extra *e = &v->extra[v->nextra];
	e->id = id;
	e->given = arena_strdup(a, given ? given : "");
	e->family = arena_strdup(a, family ? family : "");
	if (e->given == NULL || e->family == NULL)
		return ERR_NOMEM;
	namematch_part_init(&e->g, e->given);
	namematch_part_init(&e->f, e->family);
	name_key(e->given, e->gkey);
	name_key(e->family, e->fkey);
	v->nextra++;
	return ERR_OK;
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Reads what changed since snapshot s into v (see "Freshness").  Sets
 * *stale when s cannot be used (then v is to be discarded). */
static int nx_overlay(struct db_conn *c, const struct child_ctx *x,
		      struct arena *a, const struct nx_snap *s,
		      const struct nx_note *notes, size_t nnotes,
		      struct nx_view *v, bool *stale)
{
	*stale = false;
	struct db_q *q;
	int rc = db_prepare(c, &st_nx_after, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, s->max_id);
	bool first = s->max_id > 0;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t id = db_col_i64(q, 0);
		if (first) {
			const char *cr = db_col_text(q, 3);
			first = false;
			if (id != s->max_id ||
			    strcmp(cr ? cr : "", s->max_created) != 0) {
				*stale = true;
				return ERR_OK;
			}
			continue;
		}
		if (v->nextra >= NX_EXTRA_MAX) {
			*stale = true; /* cheaper to rebuild */
			return ERR_OK;
		}
		if ((rc = nx_extra_add(a, v, id, db_col_text(q, 1),
				       db_col_text(q, 2))) != ERR_OK)
			return rc;
	}
	if (rc < 0)
		return err_from_db(rc);
	if (first) {
		*stale = true; /* the largest row has gone */
		return ERR_OK;
	}
	if (nnotes == 0)
		return ERR_OK;
	/* noted children the snapshot holds: their rows as they are now
	 * (a noted id above max_id is among the rows just read, if
	 * committed) */
	v->skip = arena_alloc(a, nnotes * sizeof(*v->skip));
	if (v->skip == NULL)
		return ERR_NOMEM;
	for (size_t i = 0; i < nnotes; i++)
		if (notes[i].id <= s->max_id)
			v->skip[v->nskip++] = notes[i].id;
	qsort(v->skip, v->nskip, sizeof(*v->skip), cmp_i64);
	size_t k = 0;
	for (size_t i = 0; i < v->nskip; i++)
		if (k == 0 || v->skip[k - 1] != v->skip[i])
			v->skip[k++] = v->skip[i];
	v->nskip = k;
	if (v->nskip + v->nextra > NX_EXTRA_MAX) {
		*stale = true;
		return ERR_OK;
	}
	for (size_t i = 0; i < v->nskip; i++) {
		rc = db_run(c, &st_nx_one, &q, "ti", x->act->council, v->skip[i]);
		if (rc < 0)
			return err_from_db(rc);
		if (rc == DB_ROW &&
		    (rc = nx_extra_add(a, v, v->skip[i], db_col_text(q, 0),
				       db_col_text(q, 1))) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

/* Sets up v for a search of council x->act->council in c's read transaction
 * (begun at t0, before its first read): takes the snapshot and reads what
 * changed since, or builds a new snapshot (and publishes it).  On
 * success the caller must nx_release(v->snap); on error nothing is
 * held. */
static int nx_open(struct db_conn *c, const struct child_ctx *x,
		   struct arena *a, int64_t t0, struct nx_view *v)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_lock(&nx_mu);
	struct nx_council *e = nx_council_get(x->act->council);
	struct nx_snap *s = e->snap;
	if (s)
		s->refs++;
	size_t nnotes = e->nnotes;
	struct nx_note *notes = NULL;
	if (nnotes)
		notes = arena_alloc(a, nnotes * sizeof(*notes));
	if (notes)
		memcpy(notes, e->notes, nnotes * sizeof(*notes));
	uint64_t epoch = e->epoch;
	bool optional = false;
	if (s && !e->optional && t0 - e->tried_ms >= NX_REBUILD_GAP_MS &&
	    (t0 - s->built_ms >= NX_MAX_AGE_MS || nnotes > NX_NOTES_MAX)) {
		optional = e->optional = true;
		e->tried_ms = t0;
	}
	pthread_mutex_unlock(&nx_mu);

	int rc = ERR_OK;
	struct nx_snap *ns = NULL;
	if (nnotes && notes == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (s && !optional) {
		bool stale;
		rc = nx_overlay(c, x, a, s, notes, nnotes, v, &stale);
		if (rc != ERR_OK)
			goto out;
		if (!stale) {
			v->snap = s;
			s = NULL; /* the view's reference now */
			goto out;
		}
		memset(v, 0, sizeof(*v));
	}
	/* the snapshot is our transaction's state: nothing beside it */
	if ((rc = nx_build(c, x->act->council, t0, &ns)) != ERR_OK)
		goto out;
	/* the notes it settles: version there, or rolled back long ago */
	bool *settled = NULL;
	if (nnotes && (settled = arena_zalloc(a, nnotes)) == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nnotes; i++) {
		struct db_q *q;
		int k = db_run(c, &st_nx_one, &q, "ti", x->act->council,
			       notes[i].id);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		settled[i] = (k == DB_ROW &&
			      db_col_i64(q, 2) >= notes[i].version) ||
			     notes[i].at_ms < t0 - NX_NOTE_SLACK_MS;
	}
	pthread_mutex_lock(&nx_mu);
	if (e->epoch == epoch && e->snap == s) {
		/* nobody published since we looked: publish, and drop the
		 * settled notes (ours are a prefix of e->notes in seq order;
		 * later ones are kept).  Otherwise ours serves this search
		 * only: publishing it could undo a newer one. */
		size_t k = 0, i = 0;
		for (size_t j = 0; j < e->nnotes; j++) {
			while (i < nnotes && notes[i].seq < e->notes[j].seq)
				i++;
			if (i < nnotes && notes[i].seq == e->notes[j].seq &&
			    settled[i])
				continue;
			e->notes[k++] = e->notes[j];
		}
		e->nnotes = k;
		nx_unref_locked(e->snap);
		e->snap = ns;
		ns->refs++;
	}
	pthread_mutex_unlock(&nx_mu);
	v->snap = ns;
	ns = NULL;
out:
	pthread_mutex_lock(&nx_mu);
	if (optional)
		e->optional = false;
	nx_unref_locked(s);
	pthread_mutex_unlock(&nx_mu);
	nx_snap_free(ns);
	return rc;
}

/* A match kept while ranking. */
struct hit {
	int64_t id;
	int score;
	const char *family, *given; /* for ties; live as long as the ranking */
};

/* The ranking state: the hits (arena), in any order while there are
 * fewer than CHILD_SEARCH_MAX; from then on a heap of the best
 * CHILD_SEARCH_MAX, the worst at the root (most searches never get
 * there, and so never pay for keeping a heap). */
struct ranking {
	struct arena *a;
	const struct child_ctx *x;
	struct db_conn *c;
	const struct scorer *sc;     /* NULL: no name criterion */
	struct hit *heap;
	int nheap;
	int64_t matched;             /* matches counted, kept or not */
	/* the identifier criteria, checked in C on rows a lookup found */
	const char *dob, *nhs, *upn, *la_ref;
};

/* The result order: score, then family name, given name and id. */
static int cmp_hit(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	/* names from the index are interned: equal names are often the
	 * same pointer (rows of one family tie on score) */
	int k = a->family == b->family ? 0 : strcmp(a->family, b->family);
	if (k == 0)
		k = a->given == b->given ? 0 : strcmp(a->given, b->given);
	if (k)
		return k;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* By the full result order, so which hits are kept when there are more
 * than CHILD_SEARCH_MAX does not depend on the order they came in. */
static bool hit_worse(const struct hit *a, const struct hit *b)
{
	return cmp_hit(a, b) > 0;
}

/* Sifts h[i] down a heap of n hits: the worst at the root when dir > 0,
 * the best when dir < 0. */
static void heap_down(struct hit *h, int n, int i, int dir)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && dir * cmp_hit(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && dir * cmp_hit(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		struct hit t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The `upto` best of h[0..n) in result order, in a new arena array (NULL
 * over budget); h is left in any order.  Only the page is read, so for a
 * first page this is a partial heapsort rather than a full sort. */
static struct hit *hits_best(struct arena *a, struct hit *h, int n, int upto)
{
	struct hit *out = arena_alloc(a, (size_t)(upto + 1) * sizeof(*out));
	if (out == NULL)
		return NULL;
	if ((int64_t)upto * 4 >= n) {
		qsort(h, (size_t)n, sizeof(*h), cmp_hit);
		memcpy(out, h, (size_t)upto * sizeof(*out));
		return out;
	}
	for (int i = n / 2 - 1; i >= 0; i--)
		heap_down(h, n, i, -1);
	for (int k = 0; k < upto; k++) {
		out[k] = h[0];
		h[0] = h[--n];
		heap_down(h, n, 0, -1);
	}
	return out;
}

/* Offers a scored row (already known to pass every criterion).  given and
 * family must live as long as the ranking. */
static int rank_offer(struct ranking *r, int64_t id, int score,
		      const char *given, const char *family)
{
	if (r->x->act->partner) {
		int rc = involved(r->c, r->x, id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return ERR_OK;
	}
	r->matched++;
	struct hit h = {id, score, family ? family : "", given ? given : ""};
	if (r->nheap < CHILD_SEARCH_MAX) {
		r->heap[r->nheap++] = h;
		if (r->nheap == CHILD_SEARCH_MAX) /* full: make it a heap */
			for (int i = r->nheap / 2 - 1; i >= 0; i--)
				heap_down(r->heap, r->nheap, i, 1);
		return ERR_OK;
	}
	if (!hit_worse(&r->heap[0], &h))
		return ERR_OK;
	r->heap[0] = h;
	heap_down(r->heap, r->nheap, 0, 1);
	return ERR_OK;
}

/* Rows of an identifier lookup (MATCH_COLS): every criterion checked. */
static int rank_lookup(struct ranking *r, const struct db_stmt *st,
		       const char *value)
{
	struct db_q *q;
	int rc = db_prepare(r->c, st, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, r->x->act->council);
	db_bind_text(q, 2, value);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *g = db_col_text(q, 1), *f = db_col_text(q, 2);
		const struct {
			const char *want;
			int col;
		} crit[4] = {{r->la_ref, 3}, {r->dob, 4}, {r->nhs, 6},
			     {r->upn, 7}};
		bool ok = true;
		for (int k = 0; k < 4 && ok; k++) {
			const char *have = db_col_text(q, crit[k].col);
			ok = crit[k].want == NULL ||
			     (have && strcmp(have, crit[k].want) == 0);
		}
		if (!ok)
			continue;
		int score = 100;
		if (r->sc) {
			score = scorer_score(r->sc, g, f);
			if (score < NAMEMATCH_LIKELY)
				continue;
		}
		g = arena_strdup(r->a, g ? g : "");
		f = arena_strdup(r->a, f ? f : "");
		if (g == NULL || f == NULL)
			return ERR_NOMEM;
		if ((rc = rank_offer(r, db_col_i64(q, 0), score, g, f)))
			return rc;
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Offers snapshot row i when it belongs to the pass (keyed: a name's key
 * is the query's; otherwise not) and its score is likely. */
static int rank_row(struct ranking *r, const struct nx_view *v,
		    const struct name_sims *ns, size_t i, bool keyed)
{
	const struct nx_snap *s = v->snap;
	const struct nx_row *row = &s->rows[i];
	struct name_sims g = ns[row->g], f = ns[row->f];
	if ((bool)(g.kh | f.kh) != keyed)
		return ERR_OK;
	if (v->nskip && bsearch(&row->id, v->skip, v->nskip,
				sizeof(*v->skip), cmp_i64))
		return ERR_OK; /* read again: among the extra rows */
	int score = scorer_combine(r->sc, g, f);
	if (score < NAMEMATCH_LIKELY)
		return ERR_OK;
	return rank_offer(r, row->id, score, s->names[row->g].text,
			  s->names[row->f].text);
}

/*
 * A name search over the index, in two passes with the semantics of the
 * phonetic index and its fallback scan: first the rows with a name whose
 * key the query has (given_key or family_key equal to the key of either
 * query part; for one word, its key), then, when fewer than
 * CHILD_SEARCH_SCAN_BELOW of them matched, every other row.  Each
 * distinct name is scored once.  A row's score cannot exceed the best
 * similarity of its two names (namematch.h), so only the rows of names
 * reaching NAMEMATCH_LIKELY are looked at, through the rows-by-name
 * lists.
 */
static int rank_index(struct ranking *r, const struct nx_view *v)
{
	const struct scorer *sc = r->sc;
	const struct nx_snap *s = v->snap;
	struct name_sims *ns = arena_alloc(r->a, (s->nnames + 1) *
						     sizeof(*ns));
	uint32_t *likely = arena_alloc(r->a, (s->nnames + 1) *
					      sizeof(*likely));
	if (ns == NULL || likely == NULL)
		return ERR_NOMEM;
	size_t nlikely = 0;
	for (size_t i = 0; i < s->nnames; i++) {
		ns[i] = scorer_sims(sc, &s->names[i].part, s->names[i].key);
		if (ns[i].best >= NAMEMATCH_LIKELY)
			likely[nlikely++] = (uint32_t)i;
	}
	for (int pass = 0; pass < 2; pass++) {
		bool keyed = pass == 0;
		if (!keyed && r->matched >= CHILD_SEARCH_SCAN_BELOW)
			break;
		for (size_t k = 0; k < nlikely; k++) {
			uint32_t n = likely[k];
			for (uint32_t j = s->goff[n]; j < s->goff[n + 1]; j++) {
				int rc = rank_row(r, v, ns, s->post[j], keyed);
				if (rc != ERR_OK)
					return rc;
			}
			for (uint32_t j = s->foff[n]; j < s->foff[n + 1]; j++) {
				uint32_t i = s->post[j];
				if (ns[s->rows[i].g].best >= NAMEMATCH_LIKELY)
					continue; /* seen by its given name */
				int rc = rank_row(r, v, ns, i, keyed);
				if (rc != ERR_OK)
					return rc;
			}
		}
		for (size_t i = 0; i < v->nextra; i++) {
			const struct nx_extra *e = &v->extra[i];
			struct name_sims g = scorer_sims(sc, &e->g, e->gkey);
			struct name_sims f = scorer_sims(sc, &e->f, e->fkey);
			if ((bool)(g.kh | f.kh) != keyed)
				continue;
			int score = scorer_combine(sc, g, f);
			if (score < NAMEMATCH_LIKELY)
				continue;
			int rc = rank_offer(r, e->id, score, e->given,
					    e->family);
			if (rc != ERR_OK)
				return rc;
		}
	}
	return ERR_OK;
}

/* Validates the query into r's criteria.  Returns ERR_OK or
 * ERR_INVALID. */
static int search_criteria(struct arena *a, const struct child_query *q,
			   struct ranking *r, struct scorer *sc,
			   struct field_errors *e)
{
	int before = e->n;
	bool any = false;
	if (q->name && scorer_init(sc, a, q->name)) {
		if (utf8_chars(q->name) > 2 * NAME_MAX_CHARS)
			fe_addf(e, "name", "Name must be %d characters or fewer.",
				2 * NAME_MAX_CHARS);
		r->sc = sc;
		any = true;
	}
	char *t;
	if (q->dob && (t = trimmed(a, q->dob)) && t[0]) {
		struct cal_date d;
		char buf[11];
		if (check_date(t, "dob", "Date of birth", &d, e)) {
			fmt_date(d, buf);
			r->dob = arena_strdup(a, buf);
		}
		any = true;
	}
	if (q->nhs_number && (t = trimmed(a, q->nhs_number)) && t[0]) {
		char norm[11], msg[200];
		if (ident_nhs_check(t, strlen(t), norm) == IDENT_OK) {
			r->nhs = arena_strdup(a, norm);
		} else {
			ident_nhs_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "nhs_number", "%s", msg);
		}
		any = true;
	}
	if (q->upn && (t = trimmed(a, q->upn)) && t[0]) {
		char norm[14], msg[200];
		if (ident_upn_check(t, strlen(t), norm) == IDENT_OK) {
			r->upn = arena_strdup(a, norm);
		} else {
			ident_upn_explain(t, strlen(t), msg, sizeof(msg));
			fe_addf(e, "upn", "%s", msg);
		}
		any = true;
	}
	if (q->la_ref && (t = trimmed(a, q->la_ref)) && t[0]) {
		size_t k = 0;
		bool ok = strlen(t) <= 24;
		for (char *p = t; ok && *p; p++) {
			char ch = *p;
			if (ch == ' ')
				continue;
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
			t[k++] = ch;
		}
		t[k] = '\0';
		if (ok)
			r->la_ref = t;
		else
			fe_addf(e, "la_ref", "LA reference must be letters and "
				"digits only, for example NWD0001234.");
		any = true;
	}
	if (!any)
		fe_addf(e, "name", "Enter a name, date of birth, NHS number, UPN "
			"or LA reference to search for.");
	if (q->limit < 1 || q->limit > 200)
		fe_addf(e, "limit", "Limit must be a whole number from 1 to 200.");
	if (q->offset < 0)
		fe_addf(e, "cursor", "Cursor must be a position given by an "
			"earlier page.");
	return e->n > before ? ERR_INVALID : ERR_OK;
}

/* Puts the requested page of the hits in order and reads its rows into
 * *out.  Leaves r->heap in any order. */
static int search_page(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, struct ranking *r,
		       const struct child_query *q, struct child_results *out)
{
	int64_t from = q->offset < r->nheap ? q->offset : r->nheap;
	int64_t upto = from + q->limit < r->nheap ? from + q->limit : r->nheap;
	out->total = r->nheap;
	out->next_offset = upto < r->nheap ? upto : -1;
	out->v = arena_zalloc(a, (size_t)(upto - from + 1) * sizeof(*out->v));
	struct hit *best = hits_best(a, r->heap, r->nheap, (int)upto);
	if (out->v == NULL || best == NULL)
		return ERR_NOMEM;
	for (int64_t i = from; i < upto; i++) {
		struct db_q *dq;
		int k = db_run(c, &st_hit, &dq, "ti", x->act->council,
			       (int64_t)best[i].id);
		if (k < 0)
			return err_from_db(k);
		if (k != DB_ROW)
			continue; /* deleted under the name index */
		struct child_match *m = &out->v[out->n++];
		m->child_id = best[i].id;
		m->score = best[i].score;
		m->reason = "";
		m->la_ref = col(a, dq, 0);
		m->given_name = col(a, dq, 1);
		m->family_name = col(a, dq, 2);
		m->dob = col(a, dq, 3);
		m->expected_dob = col(a, dq, 4);
	}
	return arena_exhausted(a) ? ERR_NOMEM : ERR_OK;
}

/*
 * The server gives child_search its group commit (x->audit_shown), where
 * a search's audit row shares one write transaction and one fsync with
 * every search and record view waiting at the time: with a transaction
 * and an fsync of its own for each search, one after another, searches
 * at 64 connections managed ~1,100 a second with a p99 of 177 ms
 * (docs/performance.md).  Without it (the command line, tests),
 * searches' audit rows are written one at a time per process: a search
 * waits here, in turn, rather than in SQLite's busy handler, which
 * sleeps between tries for up to 100 ms at a time and lets newcomers
 * overtake, so under 8 concurrent searches a few waited hundreds of
 * milliseconds (p99 ~200 ms for ~0.5 ms of work).  One writer at a time
 * is all SQLite allows anyway.  Taken with no transaction open
 * (child_search refuses to run inside one), so it cannot deadlock with
 * other writers; a search that cannot have it within
 * SEARCH_AUDIT_WAIT_MS (the default busy timeout: the store is stuck)
 * gives up with ERR_BUSY, as it would have in the busy handler.
 * (Serialising writers belongs in the db layer; this covers the one
 * writer that runs on every search.)
 */
#define SEARCH_AUDIT_WAIT_MS 5000
static pthread_mutex_t search_audit_mu = PTHREAD_MUTEX_INITIALIZER;

/* Appends and commits the ("search", "child") audit row: through the
 * caller's x->audit_shown when given (the web layer's group commit: no
 * write lock taken here, one fsync for every search and record view
 * waiting together; c may be back in its pool afterwards), else in a
 * write transaction of its own. */
static int search_audit(struct db_conn *c, const struct child_ctx *x,
			struct arena *a, const struct child_results *out)
{
	/* the row names each child shown, so that "who has viewed" lists
	 * whoever saw the child in a list of results */
	int64_t *ids = arena_alloc(a, ((size_t)out->n + 1) * sizeof(*ids));
	if (ids == NULL)
		return ERR_NOMEM;
	for (int i = 0; i < out->n; i++)
		ids[i] = out->v[i].child_id;
	if (x->audit_shown) {
		int rc = x->audit_shown(x->audit_arg, "search", "child", ids,
					out->n);
		return rc == DB_OK ? ERR_OK : err_from_db(rc);
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SEARCH_AUDIT_WAIT_MS / 1000;
	if (pthread_mutex_timedlock(&search_audit_mu, &until) != 0)
		return ERR_BUSY;
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc == DB_OK) {
		struct audit_event ev;
		act_event(x->act, "search", "child", 0, 0, &ev);
		ev.children = ids;
		ev.nchildren = out->n;
		int arc = audit_append(c, &ev);
		rc = tx_close(c, true, arc == DB_OK ? ERR_OK : err_from_db(arc));
	} else
		rc = err_from_db(rc);
	pthread_mutex_unlock(&search_audit_mu);
	return rc;
}

int child_search(struct db_conn *c, const struct child_ctx *x,
		 struct arena *a, const struct child_query *q,
		 struct child_results *res, struct field_errors *errs)
{
	if (db_in_tx(c))
		return ERR_NOTX;
	struct scorer *sc = arena_zalloc(a, sizeof(*sc));
	struct ranking r = {0};
	if (sc == NULL)
		return ERR_NOMEM;
	r.a = a;
	r.x = x;
	r.c = c;
	int rc = search_criteria(a, q, &r, sc, errs);
	if (rc != ERR_OK)
		return rc;
	r.heap = arena_alloc(a, CHILD_SEARCH_MAX * sizeof(*r.heap));
	if (r.heap == NULL)
		return ERR_NOMEM;

	/* 1: rank, and read the page's rows, in one read snapshot (no
	 * write lock meanwhile) */
	int64_t t0 = mono_ms();
	if ((rc = db_begin(c, DB_TX_READ)) != DB_OK)
		return err_from_db(rc);
	struct nx_view v = {0};
	if (r.la_ref)
		rc = rank_lookup(&r, &st_by_la_ref, r.la_ref);
	else if (r.nhs)
		rc = rank_lookup(&r, &st_by_nhs, r.nhs);
	else if (r.upn)
		rc = rank_lookup(&r, &st_by_upn, r.upn);
	else if (r.dob)
		rc = rank_lookup(&r, &st_by_dob, r.dob);
	else if ((rc = nx_open(c, x, a, t0, &v)) == ERR_OK)
		rc = rank_index(&r, &v); /* name only */
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	struct child_results out = {0};
	if (rc == ERR_OK)
		rc = search_page(c, x, a, &r, q, &out);
	db_rollback(c);
	nx_release(v.snap); /* the hits' names point into it */
	if (rc != ERR_OK)
		return rc;

	/* 2: the audit row, durable before anything is shown (c is not
	 * used after this) */
	if ((rc = search_audit(c, x, a, &out)) != ERR_OK)
		return rc;
	*res = out;
	return ERR_OK;
}

/* ---- addresses ------------------------------------------------------- */

int child_address_add(struct db_conn *c, const struct child_ctx *x,
		      int64_t child_id, const struct child_address_input *in,
		      int64_t *address_id, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	int before = errs->n;
	const char *l1 = check_text(a, in->line1, "line1", "Address line 1",
				    "Enter address line 1, for example the "
				    "house number and street.", LINE_MAX_CHARS,
				    true, errs);
	const char *l2 = check_text(a, in->line2, "line2", "Address line 2",
				    NULL, LINE_MAX_CHARS, true, errs);
	const char *town = check_text(a, in->town, "town", "Town or city",
				      NULL, TOWN_MAX_CHARS, true, errs);
	char pc[9] = "";
	const char *p = trimmed(a, in->postcode);
	if (p == NULL || p[0] == '\0')
		fe_addf(errs, "postcode", "Enter the postcode.");
	else if (!ident_postcode_check(p, strlen(p), pc))
		fe_addf(errs, "postcode", "Enter a real UK postcode, like "
			"AA1 1AA: this is not the shape of a postcode.");
	struct cal_date start;
	char sbuf[11] = "";
	const char *s = trimmed(a, in->start_date);
	if (s == NULL || s[0] == '\0')
		fe_addf(errs, "start_date", "Enter the date the child started "
			"living at this address.");
	else if (check_date(s, "start_date", "Start date", &start, errs)) {
		if (cal_compare(start, x->act->today) > 0)
			fe_addf(errs, "start_date", "Start date must be today or "
				"in the past.");
		fmt_date(start, sbuf);
	}
	int rc = errs->n > before ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	bool own;
	if ((rc = tx_open(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	if ((rc = need_visible(c, x, child_id)) != ERR_OK)
		goto out;
	struct db_q *q;
	int k = db_run(c, &st_addr_current, &q, "ti", x->act->council,
		       (int64_t)child_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (k == DB_ROW) {
		int64_t cur_id = db_col_i64(q, 0);
		const char *cur_start = db_col_text(q, 1);
		if (cur_start && strcmp(sbuf, cur_start) < 0) {
			struct cal_date cd;
			char h[40] = "";
			if (cal_date_parse(cur_start, strlen(cur_start), &cd))
				human_date(cd, h, sizeof(h));
			fe_addf(errs, "start_date", "Start date must be on or "
				"after %s, when the current address started: "
				"the current address ends when this one starts.",
				h);
			rc = ERR_INVALID;
			goto out;
		}
		k = db_run(c, &st_addr_end, NULL, "tiit", x->act->council,
			   (int64_t)child_id, (int64_t)cur_id, sbuf);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
	}
	int64_t id;
	if ((rc = next_id(c, "address", x, &id)) != ERR_OK)
		goto out;
	k = db_run(c, &st_addr_insert, NULL, "tiitttt" "t", x->act->council,
		   (int64_t)child_id, (int64_t)id, l1, nullable(l2),
		   nullable(town), pc, sbuf);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if ((rc = audit(c, x, "create", "address", id, child_id)) != ERR_OK)
		goto out;
	rc = tx_close(c, own, ERR_OK);
	if (rc == ERR_OK)
		*address_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_close(c, own, rc);
}

int child_addresses(struct db_conn *c, const struct child_ctx *x,
		    struct arena *a, int64_t child_id,
		    struct child_address **v, int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	if ((rc = db_prepare(c, &st_addr_list, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	int cap = 8, k = 0;
	struct child_address *out = arena_alloc(a, (size_t)cap * sizeof(*out));
	while (out && (rc = db_step(q)) == DB_ROW) {
		out = arena_grow(a, out, k, &cap, sizeof(*out));
		if (out == NULL)
			return ERR_NOMEM;
		struct child_address *d = &out[k++];
		d->address_id = db_col_i64(q, 0);
		d->line1 = col(a, q, 1);
		d->line2 = col(a, q, 2);
		d->town = col(a, q, 3);
		d->postcode = col(a, q, 4);
		d->start_date = col(a, q, 5);
		d->end_date = col(a, q, 6);
	}
	if (out == NULL || arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	*v = out;
	*n = k;
	return ERR_OK;
}

/* ---- network --------------------------------------------------------- */

static bool phone_ok(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-", *s))
			return false;
	}
	return digits >= 5 && digits <= 15;
}

int child_member_add(struct db_conn *c, const struct child_ctx *x,
		     int64_t child_id, const struct child_member_input *in,
		     int64_t *member_id, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	int before = errs->n;
	enum child_member_kind kind = CHILD_MEMBER__MAX;
	if (in->kind == NULL || in->kind[0] == '\0')
		fe_addf(errs, "kind", "Select who this person is to the child.");
	else if (!child_member_kind_parse(in->kind, &kind))
		fe_addf(errs, "kind", "Kind must be one of parent, carer, sibling, "
			"significant_adult or professional.");
	const char *name = check_text(a, in->name, "name", "Name",
				      "Enter the person's name.",
				      NAME_MAX_CHARS, true, errs);
	const char *rel = check_text(
		a, in->relationship, "relationship",
		kind == CHILD_MEMBER_PROFESSIONAL ? "Role" : "Relationship",
		kind == CHILD_MEMBER_PROFESSIONAL
			? "Enter the professional's role, for example lead "
			  "professional, school DSL, GP or health visitor."
			: "Enter the relationship to the child, for example "
			  "mother, grandfather or older brother.",
		NAME_MAX_CHARS, true, errs);
	const char *phone = check_text(a, in->phone, "phone", "Telephone",
				       NULL, PHONE_MAX_CHARS, true, errs);
	if (phone && phone[0] && !phone_ok(phone))
		fe_addf(errs, "phone", "Telephone must be a UK or international "
			"number of digits, with spaces, brackets or + only, like "
			"01632 960 001.");
	if (kind == CHILD_MEMBER_PROFESSIONAL && in->org_id <= 0)
		fe_addf(errs, "org_id", "Select the professional's "
			"organisation.");
	if (kind != CHILD_MEMBER_PROFESSIONAL && kind != CHILD_MEMBER__MAX &&
	    in->org_id > 0)
		fe_addf(errs, "org_id", "Only a professional has an "
			"organisation; leave it empty for a family member or "
			"significant adult.");
	if (in->parental_responsibility && kind != CHILD_MEMBER_PARENT &&
	    kind != CHILD_MEMBER_CARER && kind != CHILD_MEMBER_SIGNIFICANT &&
	    kind != CHILD_MEMBER__MAX)
		fe_addf(errs, "parental_responsibility", "Only a parent, carer "
			"or significant adult can hold parental "
			"responsibility.");
	if (in->linked_child_id == child_id)
		fe_addf(errs, "linked_child_id", "A child cannot be linked to "
			"their own record.");
	char sbuf[11] = "";
	const char *s = trimmed(a, in->start_date);
	struct cal_date start;
	if (s && s[0] && check_date(s, "start_date", "Start date", &start, errs)) {
		if (cal_compare(start, x->act->today) > 0)
			fe_addf(errs, "start_date", "Start date must be today or "
				"in the past.");
		fmt_date(start, sbuf);
	}
	int rc = errs->n > before ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	bool own;
	if ((rc = tx_open(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	if ((rc = need_visible(c, x, child_id)) != ERR_OK)
		goto out;
	int k;
	if (in->org_id > 0) {
		k = db_run(c, &st_org_get, NULL, "ti", x->act->council,
			   (int64_t)in->org_id);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		if (k != DB_ROW) {
			fe_addf(errs, "org_id", "Select an organisation from the "
				"list: this one is not known to the council.");
			rc = ERR_INVALID;
			goto out;
		}
	}
	int64_t linked = in->linked_child_id;
	char *lref = trimmed(a, in->linked_la_ref);
	if (lref && lref[0] && linked <= 0) {
		size_t j = 0;
		for (char *p = lref; *p; p++)
			if (*p != ' ')
				lref[j++] = (*p >= 'a' && *p <= 'z')
						    ? (char)(*p - 'a' + 'A') : *p;
		lref[j] = '\0';
		struct db_q *lq;
		k = db_run(c, &st_by_la_ref, &lq, "tt", x->act->council, lref);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
		if (k != DB_ROW || db_col_i64(lq, 0) == child_id) {
			fe_addf(errs, "linked_la_ref", k != DB_ROW
				? "There is no child with that LA reference; "
				  "check it on the brother's or sister's record."
				: "A child cannot be linked to their own record.");
			rc = ERR_INVALID;
			goto out;
		}
		linked = db_col_i64(lq, 0);
	}
	if (linked > 0) {
		/* linking needs the other record to exist in this council
		 * (and, for a partner, to be visible) */
		k = visible(c, x, linked, NULL);
		if (k < 0) {
			rc = k;
			goto out;
		}
		if (k == 0) {
			fe_addf(errs, "linked_child_id", "There is no child "
				"record with that id to link to.");
			rc = ERR_INVALID;
			goto out;
		}
	}
	int64_t id;
	if ((rc = next_id(c, "network_member", x, &id)) != ERR_OK)
		goto out;
	struct db_q *q;
	if ((k = db_prepare(c, &st_member_insert, &q)) != DB_OK) {
		rc = err_from_db(k);
		goto out;
	}
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	db_bind_i64(q, 3, id);
	db_bind_text(q, 4, member_ids[kind]);
	db_bind_text(q, 5, rel);
	db_bind_text(q, 6, name);
	db_bind_text(q, 7, nullable(phone));
	if (in->org_id > 0)
		db_bind_i64(q, 8, in->org_id);
	else
		db_bind_null(q, 8);
	if (linked > 0)
		db_bind_i64(q, 9, linked);
	else
		db_bind_null(q, 9);
	db_bind_i64(q, 10, in->parental_responsibility ? 1 : 0);
	db_bind_text(q, 11, nullable(sbuf));
	if ((k = db_step(q)) < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if ((rc = audit(c, x, "create", "network_member", id, child_id)) !=
	    ERR_OK)
		goto out;
	rc = tx_close(c, own, ERR_OK);
	if (rc == ERR_OK)
		*member_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_close(c, own, rc);
}

static void member_from_row(struct arena *a, struct db_q *q,
			    const struct child_ctx *x, struct child_member *m)
{
	char today[11];
	fmt_date(x->act->today, today);
	m->member_id = db_col_i64(q, 0);
	m->kind = col(a, q, 1);
	m->name = col(a, q, 2);
	m->relationship = col(a, q, 3);
	m->phone = col(a, q, 4);
	m->org_id = db_col_i64(q, 5);
	m->org_name = col(a, q, 6);
	m->linked_child_id = db_col_i64(q, 7);
	m->linked_la_ref = col(a, q, 8);
	m->parental_responsibility = db_col_i64(q, 9) != 0;
	m->start_date = col(a, q, 10);
	m->end_date = col(a, q, 11);
	m->current = m->end_date == NULL || m->end_date[0] == '\0' ||
		     strcmp(m->end_date, today) > 0;
}

int child_member_get(struct db_conn *c, const struct child_ctx *x,
		     struct arena *a, int64_t child_id, int64_t member_id,
		     struct child_member *out)
{
	int rc = need_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = db_run(c, &st_member_get, &q, "tii", x->act->council, (int64_t)child_id,
		    (int64_t)member_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return ERR_NOTFOUND;
	struct child_member m;
	member_from_row(a, q, x, &m);
	if (arena_exhausted(a))
		return ERR_NOMEM;
	*out = m;
	return ERR_OK;
}

int child_member_end(struct db_conn *c, const struct child_ctx *x,
		     int64_t child_id, int64_t member_id,
		     const char *end_date, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	struct cal_date end;
	char ebuf[11] = "";
	const char *s = trimmed(a, end_date);
	int rc = ERR_OK;
	if (s == NULL || s[0] == '\0') {
		fe_addf(errs, "end_date", "Enter the date this person stopped "
			"being involved.");
		rc = ERR_INVALID;
	} else if (!check_date(s, "end_date", "End date", &end, errs)) {
		rc = ERR_INVALID;
	} else if (cal_compare(end, x->act->today) > 0) {
		fe_addf(errs, "end_date", "End date must be today or in the "
			"past.");
		rc = ERR_INVALID;
	}
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	fmt_date(end, ebuf);
	bool own;
	if ((rc = tx_open(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	struct child_member m;
	if ((rc = child_member_get(c, x, a, child_id, member_id, &m)) !=
	    ERR_OK)
		goto out;
	if (m.end_date[0]) {
		fe_addf(errs, "end_date", "This person's involvement has already "
			"ended.");
		rc = ERR_INVALID;
		goto out;
	}
	if (m.start_date[0] && strcmp(ebuf, m.start_date) < 0) {
		fe_addf(errs, "end_date", "End date must be on or after the "
			"start date.");
		rc = ERR_INVALID;
		goto out;
	}
	int k = db_run(c, &st_member_end, NULL, "tiit", x->act->council,
		       (int64_t)child_id, (int64_t)member_id, ebuf);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (db_changes(c) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	rc = audit(c, x, "end", "network_member", member_id, child_id);
out:
	arena_free(a);
	return tx_close(c, own, rc);
}

/* A network row with its sort key: ended (an end date on or before
 * today), then kind (parent, carer, sibling, significant adult, the
 * rest), name (bytewise, as SQLite's BINARY collation) and member id. */
struct member_sorted {
	struct child_member m;
	bool ended;
	int rank;
};

static int member_rank(const char *kind)
{
	static const char *const order[] = {
		"parent", "carer", "sibling", "significant_adult",
	};
	for (int i = 0; i < 4; i++)
		if (strcmp(kind, order[i]) == 0)
			return i + 1;
	return 5;
}

static int member_cmp(const void *pa, const void *pb)
{
	const struct member_sorted *a = pa, *b = pb;
	if (a->ended != b->ended)
		return a->ended ? 1 : -1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	int k = strcmp(a->m.name, b->m.name);
	if (k)
		return k;
	return a->m.member_id < b->m.member_id ? -1
					       : a->m.member_id > b->m.member_id;
}

int child_network(struct db_conn *c, const struct child_ctx *x,
		  struct arena *a, int64_t child_id, struct child_member **v,
		  int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	fmt_date(x->act->today, today);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_member_list, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	int cap = 8, k = 0;
	struct member_sorted *rows = arena_alloc(a, (size_t)cap * sizeof(*rows));
	while (rows && (rc = db_step(q)) == DB_ROW) {
		rows = arena_grow(a, rows, k, &cap, sizeof(*rows));
		if (rows == NULL)
			return ERR_NOMEM;
		struct member_sorted *r = &rows[k++];
		member_from_row(a, q, x, &r->m);
		r->ended = !db_col_null(q, 11) && r->m.end_date &&
			   strcmp(r->m.end_date, today) <= 0;
		r->rank = r->m.kind ? member_rank(r->m.kind) : 5;
	}
	if (rows == NULL || arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	struct child_member *out = arena_alloc(a, (size_t)(k + 1) * sizeof(*out));
	if (out == NULL)
		return ERR_NOMEM;
	qsort(rows, (size_t)k, sizeof(*rows), member_cmp);
	for (int i = 0; i < k; i++)
		out[i] = rows[i].m;
	*v = out;
	*n = k;
	return ERR_OK;
}

int child_orgs(struct db_conn *c, const struct child_ctx *x,
	       int (*cb)(int64_t org_id, const char *name, void *arg),
	       void *arg)
{
	struct db_q *q;
	int rc = db_prepare(c, &st_org_list, &q);
	if (rc != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	while ((rc = db_step(q)) == DB_ROW) {
		int k = cb(db_col_i64(q, 0), db_col_text(q, 1), arg);
		if (k)
			return k;
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* ---- flags ----------------------------------------------------------- */

int child_flag_add(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, const struct child_flag_input *in,
		   int64_t *flag_id, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	int before = errs->n;
	enum child_flag_kind kind = CHILD_FLAG__MAX;
	if (in->kind == NULL || in->kind[0] == '\0')
		fe_addf(errs, "kind", "Select the kind of warning.");
	else if (!child_flag_kind_parse(in->kind, &kind))
		fe_addf(errs, "kind", "Kind must be one of worker_safety, "
			"child_safety, health, communication, legal or other.");
	const char *text = check_text(a, in->text, "text", "Warning",
				      "Enter what people need to know.",
				      FLAG_TEXT_MAX_CHARS, false, errs);
	struct cal_date rd;
	char rbuf[11] = "";
	const char *s = trimmed(a, in->review_date);
	if (s == NULL || s[0] == '\0')
		fe_addf(errs, "review_date", "Enter the date this warning should "
			"be reviewed.");
	else if (check_date(s, "review_date", "Review date", &rd, errs)) {
		if (cal_compare(rd, x->act->today) < 0)
			fe_addf(errs, "review_date", "Review date must be today "
				"or in the future: a warning is reviewed to "
				"decide whether it still applies.");
		fmt_date(rd, rbuf);
	}
	int rc = errs->n > before ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	bool own;
	if ((rc = tx_open(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	if ((rc = need_visible(c, x, child_id)) != ERR_OK)
		goto out;
	int64_t id;
	if ((rc = next_id(c, "flag", x, &id)) != ERR_OK)
		goto out;
	char now[21];
	act_stamp(x->act, now);
	int k = db_run(c, &st_flag_insert, NULL, "tiitttti", x->act->council,
		       (int64_t)child_id, (int64_t)id, flag_ids[kind], text,
		       rbuf, now, (int64_t)x->act->user_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if ((rc = audit(c, x, "create", "flag", id, child_id)) != ERR_OK)
		goto out;
	rc = tx_close(c, own, ERR_OK);
	if (rc == ERR_OK)
		*flag_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_close(c, own, rc);
}

int child_flag_end(struct db_conn *c, const struct child_ctx *x,
		   int64_t child_id, int64_t flag_id,
		   struct field_errors *errs)
{
	bool own;
	int rc = tx_open(c, &own);
	if (rc != ERR_OK)
		return rc;
	if ((rc = need_visible(c, x, child_id)) != ERR_OK)
		goto out;
	struct db_q *q;
	int k = db_run(c, &st_flag_get, &q, "tii", x->act->council, (int64_t)child_id,
		       (int64_t)flag_id);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (k != DB_ROW) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	if (!db_col_null(q, 0)) {
		fe_addf(errs, "flag", "This warning has already been ended.");
		rc = ERR_INVALID;
		goto out;
	}
	char now[21];
	act_stamp(x->act, now);
	k = db_run(c, &st_flag_end, NULL, "tiit", x->act->council, (int64_t)child_id,
		   (int64_t)flag_id, now);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (db_changes(c) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	rc = audit(c, x, "end", "flag", flag_id, child_id);
out:
	return tx_close(c, own, rc);
}

int child_flags(struct db_conn *c, const struct child_ctx *x,
		struct arena *a, int64_t child_id, struct child_flag **v,
		int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	fmt_date(x->act->today, today);
	struct db_q *q;
	if ((rc = db_prepare(c, &st_flag_list, &q)) != DB_OK)
		return err_from_db(rc);
	db_bind_text(q, 1, x->act->council);
	db_bind_i64(q, 2, child_id);
	int cap = 8, k = 0;
	struct child_flag *out = arena_alloc(a, (size_t)cap * sizeof(*out));
	while (out && (rc = db_step(q)) == DB_ROW) {
		out = arena_grow(a, out, k, &cap, sizeof(*out));
		if (out == NULL)
			return ERR_NOMEM;
		struct child_flag *f = &out[k++];
		f->flag_id = db_col_i64(q, 0);
		f->kind = col(a, q, 1);
		f->text = col(a, q, 2);
		f->review_date = col(a, q, 3);
		f->created_at = col(a, q, 4);
		f->ended_at = col(a, q, 5);
		f->overdue = f->ended_at && f->ended_at[0] == '\0' &&
			     f->review_date && strcmp(f->review_date, today) < 0;
	}
	if (out == NULL || arena_exhausted(a))
		return ERR_NOMEM;
	if (rc < 0)
		return err_from_db(rc);
	*v = out;
	*n = k;
	return ERR_OK;
}
