/*
 * record.c: the child's record itself (child.h "the record" and
 * "history"): identity validation, the possible-duplicate check,
 * create, load and read, update with one child_history row per changed
 * field, and the history list.  Also the identifier look-ups
 * (child_st_by_*) that the search and the network share.
 *
 * Writers tell the search's name index (names.c) of each child they
 * create or rename, before they commit (child_names_note).
 */
#include "child/child_int.h"
#include "child/ident.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OTHER_MAX_CHARS 200
#define DUPS_MAX 20
#define LA_REF_LIMIT 9999999
/* An expected date of birth further ahead than this is a typing error. */
#define EXPECTED_MONTHS_MAX 10

/* ---- statements ------------------------------------------------------ */

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
/* the identifier look-ups (child_int.h) */
#define MATCH_COLS CHILD_MATCH_COLS ", nhs_number, upn"
CHILD_STMT(child_st_by_dob) = {
	"child_by_dob",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND dob = ?2",
	R_READ | R_WRITE,
};
CHILD_STMT(child_st_by_nhs) = {
	"child_by_nhs",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND nhs_number = ?2",
	R_READ | R_WRITE,
};
CHILD_STMT(child_st_by_upn) = {
	"child_by_upn",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND upn = ?2",
	R_READ | R_WRITE,
};
CHILD_STMT(child_st_by_la_ref) = {
	"child_by_la_ref",
	"SELECT " MATCH_COLS " FROM child WHERE council = ?1 AND la_ref = ?2",
	R_READ | R_WRITE,
};

const struct row_col child_match_cols[CHILD_MATCH_NCOLS] = {
	ROW_COL(ROW_I64, struct child_match, child_id),
	ROW_COL(ROW_TEXT, struct child_match, given_name),
	ROW_COL(ROW_TEXT, struct child_match, family_name),
	ROW_COL(ROW_TEXT, struct child_match, la_ref),
	ROW_COL(ROW_TEXT, struct child_match, dob),
	ROW_COL(ROW_TEXT, struct child_match, expected_dob),
};

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
		out->given = child_check_text(a, in->given_name,
					      "given_name", "Given name",
					      "Enter the child's given name.",
					      NAME_MAX_CHARS, true, e);
	if (create || in->family_name)
		out->family = child_check_text(a, in->family_name,
					       "family_name", "Family name",
					       "Enter the child's family name.",
					       NAME_MAX_CHARS, true, e);
	if (in->other_names)
		out->other = child_check_text(a, in->other_names,
					      "other_names", "Other names",
					      NULL, OTHER_MAX_CHARS, true, e);

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
		if (!child_check_date(in->dob, "dob", "Date of birth", &d, e))
			break;
		if (cal_compare(d, x->act->today) > 0) {
			fe_addf(e, "dob", "Date of birth must be today or in the "
				"past; for a child not born yet, record the "
				"expected date of birth instead.");
			break;
		}
		cal_date_format(d, buf);
		out->dob = arena_strdup(a, buf);
		out->edob = "";
		break;
	case CHILD_DOB_EXPECTED:
		if (in->expected_dob == NULL || in->expected_dob[0] == '\0') {
			fe_addf(e, "expected_dob",
				"Enter the expected date of birth.");
			break;
		}
		if (!child_check_date(in->expected_dob, "expected_dob",
				      "Expected date of birth", &d, e))
			break;
		cal_date_format(d, buf);
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
		char *t = child_trimmed(a, in->ethnicity);
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
		char *t = child_trimmed(a, in->nhs_number);
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
		char *t = child_trimmed(a, in->upn);
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
	rows_fill(a, q, child_match_cols, CHILD_MATCH_NCOLS, m);
	m->score = score;
	m->reason = reason;
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
		{&child_st_by_nhs, v->nhs, "The same NHS number"},
		{&child_st_by_upn, v->upn, "The same UPN"},
		{&child_st_by_dob, v->dob, "The same date of birth and a similar name"},
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
			if (by[k].st == &child_st_by_dob && score < NAMEMATCH_LIKELY)
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
		int rc = db_exec(c, &st_la_ref_used, NULL, x->act->council, out);
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
	if ((rc = tx_begin(c, &own)) != ERR_OK)
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
		if ((rc = act_audit(c, x->act, "search", "child", 0, 0)) != ERR_OK)
			goto out;
		rc = tx_end(c, own, ERR_OK);
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
		int r1 = unique_ident(c, x, &child_st_by_nhs, v.nhs, "", 0,
				      "nhs_number", "NHS number", errs);
		int r2 = unique_ident(c, x, &child_st_by_upn, v.upn, "", 0, "upn",
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
	child_name_key(v.given, gk);
	child_name_key(v.family, fk);
	if ((rc = rows_write(c, &st_insert, x->act->council, id, ref, v.given,
			     v.family, nullable(v.other), gk, fk,
			     nullable(v.dob), nullable(v.edob), v.gender,
			     nullable(v.eth), nullable(v.nhs), nullable(v.upn),
			     now, x->act->user_id)) != ERR_OK)
		goto out;
	child_names_note(x->names, x->act->council, id, 1);
	rc = tx_end_audit(c, own, ERR_OK, x->act, "create", "child", id, id);
	if (rc == ERR_OK) {
		*child_id = id;
		if (la_ref)
			*la_ref = arena_strdup(a, ref);
	}
	return rc;
out:
	return tx_end(c, own, rc);
}

int child_validate(const struct child_ctx *x, struct arena *a,
		   const struct child_input *in, struct field_errors *errs)
{
	struct ident_vals v;
	return validate_identity(a, x, in, NULL, &v, errs);
}

/* ---- read ------------------------------------------------------------ */

static const struct row_col child_cols[] = {
	ROW_COL(ROW_I64, struct child, child_id),
	ROW_COL(ROW_TEXT, struct child, la_ref),
	ROW_COL(ROW_TEXT, struct child, given_name),
	ROW_COL(ROW_TEXT, struct child, family_name),
	ROW_COL(ROW_TEXT, struct child, other_names),
	ROW_COL(ROW_TEXT, struct child, dob),
	ROW_COL(ROW_TEXT, struct child, expected_dob),
	ROW_COL(ROW_TEXT, struct child, gender),
	ROW_COL(ROW_TEXT, struct child, ethnicity),
	ROW_COL(ROW_TEXT, struct child, nhs_number),
	ROW_COL(ROW_TEXT, struct child, upn),
	ROW_COL(ROW_TEXT, struct child, created_at),
	ROW_COL(ROW_TEXT, struct child, updated_at),
	ROW_COL(ROW_I64, struct child, version),
};

static int load_child(struct db_conn *c, const struct child_ctx *x,
		      struct arena *a, int64_t child_id, struct child *out)
{
	struct db_q *q;
	int rc = rows_get(c, &st_get, &q, x->act->council, child_id);
	if (rc != ERR_OK)
		return rc;
	struct child ch;
	rows_fill(a, q, child_cols,
		  ROW_NCOLS(child_cols), &ch);
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
	/* child_visible(), with the row read here with its columns: it
	 * exists and, for a partner, their organisation is involved */
	struct child ch;
	int rc = load_child(c, x, a, child_id, &ch);
	if (rc != ERR_OK)
		return rc;
	if (x->act->partner) {
		rc = child_involved(c, x->act, child_id);
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
	if ((rc = act_audit(c, x->act, "read", "child", child_id, child_id)) != ERR_OK)
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
	return rows_write(c, &st_hist_insert, x->act->council, child_id, seq,
			  field, nullable(old), nullable(now_value),
			  x->act->user_id, at);
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
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct child cur;
	if ((rc = child_visible(c, x->act, child_id)) != ERR_OK ||
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
	int r1 = unique_ident(c, x, &child_st_by_nhs, v.nhs, old.nhs, child_id,
			      "nhs_number", "NHS number", errs);
	int r2 = unique_ident(c, x, &child_st_by_upn, v.upn, old.upn, child_id,
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
	child_name_key(v.given, gk);
	child_name_key(v.family, fk);
	if ((rc = rows_change(c, &st_update, x->act->council, child_id,
			      v.given, v.family, nullable(v.other), gk, fk,
			      nullable(v.dob), nullable(v.edob), v.gender,
			      nullable(v.eth), nullable(v.nhs), nullable(v.upn),
			      now, version)) != ERR_OK)
		goto out;
	if (strcmp(old.given, v.given) != 0 ||
	    strcmp(old.family, v.family) != 0) {
		child_names_note(x->names, x->act->council, child_id,
				 version + 1);
		/* and for every other process's index (D43) */
		if ((rc = child_names_changed(c, x->act->council,
					      child_id)) != ERR_OK)
			goto out;
	}
	for (int i = 0; i < nf; i++)
		if ((rc = history_row(c, x, child_id, fields[i].field,
				      fields[i].old, fields[i].now, now)) !=
		    ERR_OK)
			goto out;
	rc = tx_end_audit(c, own, ERR_OK, x->act, "update", "child", child_id,
			  child_id);
	if (rc == ERR_OK && new_version)
		*new_version = version + 1;
	return rc;
out:
	return tx_end(c, own, rc);
}

static const struct row_col hist_cols[] = {
	ROW_COL(ROW_I64, struct child_change, seq),
	ROW_COL(ROW_TEXT, struct child_change, field),
	ROW_COL(ROW_TEXT, struct child_change, old_value),
	ROW_COL(ROW_TEXT, struct child_change, new_value),
	ROW_COL(ROW_I64, struct child_change, user_id),
	ROW_COL(ROW_TEXT, struct child_change, at),
	ROW_COL(ROW_TEXT, struct child_change, user_name),
};
static const struct row_map hist_map =
	ROW_MAP(struct child_change, hist_cols, NULL);

int child_history_list(struct db_conn *c, const struct child_ctx *x,
		       struct arena *a, int64_t child_id,
		       struct child_change **v, int *n)
{
	return child_section_rows(c, x, a, child_id, &st_hist_list, &hist_map,
				  (void **)v, n);
}
