/*
 * child_pages_address.c: the child's addresses, current first (a
 * section of the record) and the form that adds one (it becomes the
 * current address).  See child_pages_int.h.
 */
#include "child/child.h"
#include "core/arena.h"
#include "http/html.h"
#include "web/child_pages_int.h"
#include "web/page.h"

int child_page_addresses_load(struct req *r, const struct child_ctx *x,
			      const struct child *ch, void **data)
{
	struct child_address *v = NULL;
	int n = 0;
	int rc = child_addresses(r->db, x, r->a, ch->child_id, &v, &n);
	return child_page_rows_keep(r, data, v, n, rc);
}

/* "line 1, line 2, town", leaving out what is empty. */
static const char *address_text(struct req *r, const struct child_address *d)
{
	const char *addr = d->line1;
	if (d->line2[0] && d->town[0])
		addr = child_page_join(r, addr, ", ", d->line2, ", ", d->town,
				       (const char *)NULL);
	else if (d->line2[0])
		addr = child_page_join(r, addr, ", ", d->line2,
				       (const char *)NULL);
	else if (d->town[0])
		addr = child_page_join(r, addr, ", ", d->town,
				       (const char *)NULL);
	return addr;
}

void child_page_addresses_render(struct req *r, const struct child_ctx *x,
				 const struct child *ch, void *data)
{
	(void)x;
	const struct child_page_rows *l = data;
	const struct child_address *v = l->v;
	if (l->n == 0)
		page_para(r, "No address recorded.");
	else {
		static const char *const heads[] = {"Address", "Postcode", "From",
						    "To"};
		page_table_begin_hidden(r, "Addresses, current first", heads, 4,
					NULL);
		for (int i = 0; i < l->n; i++) {
			const struct child_address *d = &v[i];
			page_row_begin(r);
			page_cell(r, address_text(r, d));
			page_cell(r, d->postcode);
			page_cell(r, page_when(r, d->start_date));
			page_cell_begin(r);
			if (d->end_date[0])
				html_text(page_out(r),
					  page_when(r, d->end_date));
			else
				page_tag(r, "Current", "green");
			page_cell_end(r);
			page_row_end(r);
		}
		page_table_end(r);
	}
	child_page_update_link(r, ch->child_id, "/addresses/new",
			       "Add a new address");
}

static bool address_fields(struct req *r, const struct child_form_page *p)
{
	const struct field_errors *fe = p->fe;
	page_para(r, "The new address becomes the current one. The current "
		     "address ends on the day this one starts.");
	form_input(r, fe, "line1", "Address line 1", NULL,
		   child_page_typed(r, p, "line1"), NULL, "off", NULL);
	form_input(r, fe, "line2", "Address line 2 (optional)", NULL,
		   child_page_typed(r, p, "line2"), NULL, "off", NULL);
	form_input(r, fe, "town", "Town or city (optional)", NULL,
		   child_page_typed(r, p, "town"), "govuk-!-width-two-thirds",
		   "off", NULL);
	form_input(r, fe, "postcode", "Postcode", NULL,
		   child_page_typed(r, p, "postcode"), "govuk-input--width-10",
		   "off", NULL);
	form_date_of(r, fe, "start_date", "Date the child started living here",
		     "For example, 1 5 2024", p->post, NULL);
	return true;
}

static int address_submit(struct req *r, struct child_form_post *p)
{
	struct child_address_input in = {
		req_form(r, "line1"), req_form(r, "line2"), req_form(r, "town"),
		req_form(r, "postcode"),
		child_page_date(r, "start_date", "Start date", &p->fe, &p->skip),
	};
	int64_t aid;
	return child_address_add(r->db, &p->x, r->ids[0], &in, &aid, &p->ce);
}

static const struct child_form address_form = {
	.title = "Add a new address", .action = "/addresses",
	.button = "Add the address", .done = "?done=address",
	.fields = address_fields, .submit = address_submit,
};

void child_page_address_new(struct req *r)
{
	child_page_form(r, &address_form, NULL, 200);
}

void child_page_address_create(struct req *r)
{
	child_page_form_post(r, &address_form);
}
