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
	struct child_write w;
	child_write_open(&w, errs);
	struct arena *a = w.a;
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
	char sbuf[11];
	child_check_day(a, in->start_date, x->act, "start_date", "Start date",
			"Enter the date the child started living at this "
			"address.", CHILD_DAY_NOT_FUTURE, "Start date must be "
			"today or in the past.", sbuf, errs);
	int rc = child_write_checked(c, x, child_id, &w, errs);
	if (rc != ERR_OK)
		return rc;
	int64_t id = 0;
	struct db_q *q;
	rc = rows_get(c, &st_addr_current, &q, x->act->council, child_id);
	if (rc == ERR_OK) {
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
		} else {
			rc = rows_write(c, &st_addr_end, x->act->council,
					child_id, cur_id, sbuf);
		}
	} else if (rc == ERR_NOTFOUND) {
		rc = ERR_OK;
	}
	if (rc == ERR_OK && (rc = next_id(c, "address", x, &id)) == ERR_OK)
		rc = rows_write(c, &st_addr_insert, x->act->council, child_id,
				id, l1, nullable(l2), nullable(town), pc, sbuf);
	return child_write_created(c, x, &w, rc, "address", id, child_id,
				   address_id);
}

static const struct row_col addr_cols[] = {
	ROW_COL(ROW_I64, struct child_address, address_id),
	ROW_COL(ROW_TEXT, struct child_address, line1),
	ROW_COL(ROW_TEXT, struct child_address, line2),
	ROW_COL(ROW_TEXT, struct child_address, town),
	ROW_COL(ROW_TEXT, struct child_address, postcode),
	ROW_COL(ROW_TEXT, struct child_address, start_date),
	ROW_COL(ROW_TEXT, struct child_address, end_date),
};
static const struct row_map addr_map =
	ROW_MAP(struct child_address, addr_cols, NULL);

int child_addresses(struct db_conn *c, const struct child_ctx *x,
		    struct arena *a, int64_t child_id,
		    struct child_address **v, int *n)
{
	return child_section_rows(c, x, a, child_id, &st_addr_list, &addr_map,
				  (void **)v, n);
}
