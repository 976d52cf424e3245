/*
 * address.c: the child's addresses (child.h "addresses"): at most one
 * current address (end_date NULL); adding one ends the previous one on
 * the new one's start date, in the same transaction as its audit row.
 */
#include "child/child_int.h"
#include "child/ident.h"

#include <stdio.h>
#include <string.h>

#define LINE_MAX_CHARS 200
#define TOWN_MAX_CHARS 100

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

/* "12 March 2024" */
static void human_date(struct cal_date d, char *out, size_t n)
{
	snprintf(out, n, "%d %s %d", d.d, cal_month_name(d.m), d.y);
}

int child_address_add(struct db_conn *c, const struct child_ctx *x,
		      int64_t child_id, const struct child_address_input *in,
		      int64_t *address_id, struct field_errors *errs)
{
	struct arena *a = arena_new(64u << 10);
	int before = errs->n;
	const char *l1 = child_check_text(a, in->line1, "line1",
					  "Address line 1",
					  "Enter address line 1, for example "
					  "the house number and street.",
					  LINE_MAX_CHARS, true, errs);
	const char *l2 = child_check_text(a, in->line2, "line2",
					  "Address line 2", NULL,
					  LINE_MAX_CHARS, true, errs);
	const char *town = child_check_text(a, in->town, "town",
					    "Town or city", NULL,
					    TOWN_MAX_CHARS, true, errs);
	char pc[9] = "";
	const char *p = child_trimmed(a, in->postcode);
	if (p == NULL || p[0] == '\0')
		fe_addf(errs, "postcode", "Enter the postcode.");
	else if (!ident_postcode_check(p, strlen(p), pc))
		fe_addf(errs, "postcode", "Enter a real UK postcode, like "
			"AA1 1AA: this is not the shape of a postcode.");
	struct cal_date start;
	char sbuf[11] = "";
	const char *s = child_trimmed(a, in->start_date);
	if (s == NULL || s[0] == '\0')
		fe_addf(errs, "start_date", "Enter the date the child started "
			"living at this address.");
	else if (child_check_date(s, "start_date", "Start date", &start,
				  errs)) {
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
	struct db_q *q;
	int k = db_exec(c, &st_addr_current, &q, x->act->council,
		       child_id);
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
		k = db_exec(c, &st_addr_end, NULL, x->act->council,
			   child_id, cur_id, sbuf);
		if (k < 0) {
			rc = err_from_db(k);
			goto out;
		}
	}
	int64_t id;
	if ((rc = next_id(c, "address", x, &id)) != ERR_OK)
		goto out;
	k = db_exec(c, &st_addr_insert, NULL, x->act->council, child_id, id,
		    l1, nullable(l2), nullable(town), pc, sbuf);
	if (k < 0) {
		rc = err_from_db(k);
		goto out;
	}
	if ((rc = act_audit(c, x->act, "create", "address", id, child_id)) != ERR_OK)
		goto out;
	rc = tx_end(c, own, ERR_OK);
	if (rc == ERR_OK)
		*address_id = id;
	arena_free(a);
	return rc;
out:
	arena_free(a);
	return tx_end(c, own, rc);
}

int child_addresses(struct db_conn *c, const struct child_ctx *x,
		    struct arena *a, int64_t child_id,
		    struct child_address **v, int *n)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	int rc = child_section_visible(c, x, child_id);
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
