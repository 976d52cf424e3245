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
	char sbuf[11] = "";
	const char *s = child_trimmed(a, in->start_date);
	struct cal_date start;
	if (s && s[0] &&
	    child_check_date(s, "start_date", "Start date", &start, errs)) {
		if (cal_compare(start, x->act->today) > 0)
			fe_addf(errs, "start_date", "Start date must be today or "
				"in the past.");
		cal_date_format(start, sbuf);
	}
	int rc = errs->n > before ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK && arena_exhausted(a))
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(a);
		return rc;
	}
	bool own;
	if ((rc = tx_begin(c, &own)) != ERR_OK) {
		arena_free(a);
		return rc;
	}
	if ((rc = child_visible(c, x->act, child_id)) != ERR_OK)
		goto out;
	int k;
	if (in->org_id > 0) {
		k = db_exec(c, &st_org_get, NULL, x->act->council,
			   in->org_id);
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
	char *lref = child_trimmed(a, in->linked_la_ref);
	if (lref && lref[0] && linked <= 0) {
		size_t j = 0;
		for (char *p = lref; *p; p++)
			if (*p != ' ')
				lref[j++] = (*p >= 'a' && *p <= 'z')
						    ? (char)(*p - 'a' + 'A') : *p;
		lref[j] = '\0';
		struct db_q *lq;
		k = db_exec(c, &child_st_by_la_ref, &lq, x->act->council, lref);
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
		k = child_visible(c, x->act, linked);
		if (k != ERR_OK && k != ERR_NOTFOUND) {
			rc = k;
			goto out;
		}
		if (k == ERR_NOTFOUND) {
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
	db_bind_text(q, 4, child_member_kind_id(kind));
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
	if ((rc = act_audit(c, x->act, "create", "network_member", id, child_id)) !=
	    ERR_OK)
		goto out;
	rc = tx_end(c, own, ERR_OK);
	if (rc == ERR_OK)
		*member_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_end(c, own, rc);
}

static void member_from_row(struct arena *a, struct db_q *q,
			    const struct child_ctx *x, struct child_member *m)
{
	char today[11];
	cal_date_format(x->act->today, today);
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
	int rc = child_visible(c, x->act, child_id);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = db_exec(c, &st_member_get, &q, x->act->council, child_id,
		    member_id);
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
	const char *s = child_trimmed(a, end_date);
	int rc = ERR_OK;
	if (s == NULL || s[0] == '\0') {
		fe_addf(errs, "end_date", "Enter the date this person stopped "
			"being involved.");
		rc = ERR_INVALID;
	} else if (!child_check_date(s, "end_date", "End date", &end, errs)) {
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
	cal_date_format(end, ebuf);
	bool own;
	if ((rc = tx_begin(c, &own)) != ERR_OK) {
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
	int k = db_exec(c, &st_member_end, NULL, x->act->council,
		       child_id, member_id, ebuf);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if (db_changes(c) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	rc = act_audit(c, x->act, "end", "network_member", member_id, child_id);
out:
	arena_free(a);
	return tx_end(c, own, rc);
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
	int rc = child_section_visible(c, x, child_id);
	if (rc != ERR_OK)
		return rc;
	char today[11];
	cal_date_format(x->act->today, today);
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
