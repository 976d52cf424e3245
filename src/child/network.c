/*
 * network.c: the child's family and professional network (child.h
 * "family and network"): members with their kind, relationship,
 * organisation (professionals) or linked child record, parental
 * responsibility and dates of involvement; the council's organisations.
 * A current professional member is what makes a child visible to a
 * partner of that organisation (visible.c).
 */
#include "child/child_int.h"

#include <stdlib.h>
#include <string.h>

#define PHONE_MAX_CHARS 30

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
	" parental_responsibility, start_date, person_id, rel_code)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	R_WRITE,
};
/* a family member who is not a child with a record is a person of the
 * family, shared with brothers and sisters (family/family.h, D55) */
DB_STMT(st_person_insert) = {
	"child_person_insert",
	"INSERT INTO family_person (council, person_id, name, phone,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
	struct child_write w;
	child_write_open(&w, errs);
	struct arena *a = w.a;
	enum child_member_kind kind = (enum child_member_kind)child_check_code(
		child_member_ids, CHILD_MEMBER__MAX, in->kind, "kind",
		"Select who this person is to the child.", "Kind must be one of "
		"parent, carer, sibling, significant_adult or professional.",
		errs);
	const char *name = child_check_text(a, in->name, "name", "Name",
					    "Enter the person's name.",
					    NAME_MAX_CHARS, true, errs);
	const char *rel = child_check_text(
		a, in->relationship, "relationship",
		kind == CHILD_MEMBER_PROFESSIONAL ? "Role" : "Relationship",
		kind == CHILD_MEMBER_PROFESSIONAL
			? "Enter the professional's role, for example lead "
			  "professional, school DSL, GP or health visitor."
			: "Enter the relationship to the child, for example "
			  "mother, grandfather or older brother.",
		NAME_MAX_CHARS, true, errs);
	const char *phone = child_check_text(a, in->phone, "phone",
					     "Telephone", NULL,
					     PHONE_MAX_CHARS, true, errs);
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
	char sbuf[11];
	child_check_day(a, in->start_date, x->act, "start_date", "Start date",
			NULL, CHILD_DAY_NOT_FUTURE, "Start date must be today or "
			"in the past.", sbuf, errs);
	int rc = child_write_checked(c, x, child_id, &w, errs);
	if (rc != ERR_OK)
		return rc;
	int64_t id = 0;
	struct db_q *oq;
	if (in->org_id > 0 &&
	    (rc = rows_get(c, &st_org_get, &oq, x->act->council,
			   in->org_id)) != ERR_OK) {
		if (rc == ERR_NOTFOUND) {
			fe_addf(errs, "org_id", "Select an organisation from the "
				"list: this one is not known to the council.");
			rc = ERR_INVALID;
		}
		goto out;
	}
	int64_t linked = in->linked_child_id;
	char *lref = child_trimmed(a, in->linked_la_ref);
	if (lref && lref[0] && linked <= 0) {
		size_t j = 0;
		for (char *p = lref; *p; p++)
			if (*p != ' ')
				lref[j++] = (*p >= 'a' && *p <= 'z')
						    ? (char)(*p - 'a' + 'A') : *p;
		lref[j] = '\0';
		struct db_q *lq;
		rc = rows_get(c, &child_st_by_la_ref, &lq, x->act->council,
			      lref);
		if (rc == ERR_NOTFOUND ||
		    (rc == ERR_OK && db_col_i64(lq, 0) == child_id)) {
			fe_addf(errs, "linked_la_ref", rc == ERR_NOTFOUND
				? "There is no child with that LA reference; "
				  "check it on the brother's or sister's record."
				: "A child cannot be linked to their own record.");
			rc = ERR_INVALID;
		}
		if (rc != ERR_OK)
			goto out;
		linked = db_col_i64(lq, 0);
	}
	if (linked > 0) {
		/* linking needs the other record to exist in this council
		 * (and, for a partner, to be visible) */
		rc = child_visible(c, x->act, linked);
		if (rc == ERR_NOTFOUND) {
			fe_addf(errs, "linked_child_id", "There is no child "
				"record with that id to link to.");
			rc = ERR_INVALID;
		}
		if (rc != ERR_OK)
			goto out;
	}
	/* D55: the relationship code of a person added here (the family
	 * form chooses it exactly) */
	int64_t pid = 0;
	const char *rel_code = kind == CHILD_MEMBER_PARENT ? "parent"
			       : kind == CHILD_MEMBER_SIBLING ? "sibling"
							      : "other";
	if (kind != CHILD_MEMBER_PROFESSIONAL && linked <= 0) {
		char stamp[21];
		act_stamp(x->act, stamp);
		if ((rc = next_id(c, "family_person", x, &pid)) == ERR_OK)
			rc = rows_write(c, &st_person_insert, x->act->council,
					pid, name, nullable(phone), stamp,
					x->act->user_id);
		if (rc != ERR_OK)
			goto out;
	}
	if ((rc = next_id(c, "network_member", x, &id)) == ERR_OK)
		rc = rows_write(c, &st_member_insert, x->act->council, child_id,
				id, child_member_kind_id(kind), rel, name,
				nullable(phone), db_id(in->org_id),
				db_id(linked),
				in->parental_responsibility ? 1 : 0,
				nullable(sbuf), db_id(pid),
				pid > 0 ? rel_code : NULL);
out:
	return child_write_created(c, x, &w, rc, "network_member", id,
				   child_id, member_id);
}

static const struct row_col member_cols[] = {
	ROW_COL(ROW_I64, struct child_member, member_id),
	ROW_COL(ROW_TEXT, struct child_member, kind),
	ROW_COL(ROW_TEXT, struct child_member, name),
	ROW_COL(ROW_TEXT, struct child_member, relationship),
	ROW_COL(ROW_TEXT, struct child_member, phone),
	ROW_COL(ROW_I64, struct child_member, org_id),
	ROW_COL(ROW_TEXT, struct child_member, org_name),
	ROW_COL(ROW_I64, struct child_member, linked_child_id),
	ROW_COL(ROW_TEXT, struct child_member, linked_la_ref),
	ROW_COL(ROW_BOOL, struct child_member, parental_responsibility),
	ROW_COL(ROW_TEXT, struct child_member, start_date),
	ROW_COL(ROW_TEXT, struct child_member, end_date),
};
#define MEMBER_NCOLS ROW_NCOLS(member_cols)

/* A member is current until its end date (arg: today). */
static int member_each(struct arena *a, struct db_q *q, void *item,
		       void *arg)
{
	(void)a;
	(void)q;
	struct child_member *m = item;
	const char *today = arg;
	m->current = m->end_date == NULL || m->end_date[0] == '\0' ||
		     strcmp(m->end_date, today) > 0;
	return ERR_OK;
}

int child_member_get(struct db_conn *c, const struct child_ctx *x,
		     struct arena *a, int64_t child_id, int64_t member_id,
		     struct child_member *out)
{
	int rc = child_visible(c, x->act, child_id);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = rows_get(c, &st_member_get, &q, x->act->council, child_id,
		      member_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	cal_date_format(x->act->today, today);
	struct child_member m = {0};
	rows_fill(a, q, member_cols, MEMBER_NCOLS, &m);
	member_each(a, q, &m, today);
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
	char ebuf[11];
	bool own;
	int rc = ERR_INVALID;
	if (!child_check_day(a, end_date, x->act, "end_date", "End date",
			     "Enter the date this person stopped being "
			     "involved.", CHILD_DAY_NOT_FUTURE, "End date must "
			     "be today or in the past.", ebuf, errs) ||
	    (rc = tx_begin(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	struct child_member m;
	rc = child_member_get(c, x, a, child_id, member_id, &m);
	if (rc == ERR_OK && m.end_date[0]) {
		fe_addf(errs, "end_date", "This person's involvement has already "
			"ended.");
		rc = ERR_INVALID;
	} else if (rc == ERR_OK && m.start_date[0] &&
		   strcmp(ebuf, m.start_date) < 0) {
		fe_addf(errs, "end_date", "End date must be on or after the "
			"start date.");
		rc = ERR_INVALID;
	}
	if (rc == ERR_OK)
		rc = rows_change(c, &st_member_end, x->act->council, child_id,
				 member_id, ebuf);
	arena_free(a);
	return tx_end_audit(c, own, rc, x->act, "end", "network_member",
			    member_id, child_id);
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

/* A network row's sort key (arg: today). */
static int member_sorted_each(struct arena *a, struct db_q *q, void *item,
			      void *arg)
{
	struct member_sorted *r = item;
	member_each(a, q, &r->m, arg);
	r->ended = !db_col_null(q, 11) && r->m.end_date &&
		   strcmp(r->m.end_date, arg) <= 0;
	r->rank = r->m.kind ? member_rank(r->m.kind) : 5;
	return ERR_OK;
}

/* member_cols fill the struct child_member at the start of each row */
_Static_assert(offsetof(struct member_sorted, m) == 0,
	       "member_sorted begins with its member");
static const struct row_map member_sorted_map = {
	sizeof(struct member_sorted), member_cols, MEMBER_NCOLS,
	member_sorted_each, NULL,
};

int child_network(struct db_conn *c, const struct child_ctx *x,
		  struct arena *a, int64_t child_id, struct child_member **v,
		  int *n)
{
	struct member_sorted *rows;
	int k;
	int rc = child_section_rows(c, x, a, child_id, &st_member_list,
				    &member_sorted_map, (void **)&rows, &k);
	if (rc != ERR_OK)
		return rc;
	struct child_member *out = arena_alloc(a, (size_t)(k + 1) * sizeof(*out));
	if (out == NULL)
		return ERR_NOMEM;
	qsort(rows, (size_t)k, sizeof(*rows), member_cmp);
	for (int i = 0; i < k; i++) {
		out[i] = rows[i].m;
		/* a brother or sister the viewer may not see (a partner
		 * whose organisation is not involved with them) is named,
		 * not linked: their id and reference would disclose a
		 * record the viewer is told does not exist */
		if (out[i].linked_child_id <= 0 || !x->act->partner)
			continue; /* the join found it in the council */
		rc = child_visible(c, x->act, out[i].linked_child_id);
		if (rc == ERR_NOTFOUND) {
			out[i].linked_child_id = 0;
			out[i].linked_la_ref = "";
		} else if (rc != ERR_OK) {
			return rc;
		}
	}
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
