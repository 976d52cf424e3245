/*
 * page: server-rendered HTML in the GOV.UK Design System's markup.
 *
 * Every page is page_begin .. page_end around content written with the
 * html_* (escaping) writer into req->ex->out, then page_send.  Pages work
 * without JavaScript and load none.  Forms are GOV.UK components: each
 * field helper renders the label, hint, the field's error message when it
 * has one, and the value the user typed, so a form that fails validation
 * comes back with everything that was typed and an error summary whose
 * links go to the fields (the GOV.UK error summary pattern).
 *
 * Drafts (web/drafts.h): when the request carries a draft of a form,
 * the form that posts to the draft's path shows the draft's values
 * instead of those passed in (passwords never), and page_begin shows a
 * banner saying so, with "Discard draft".  Every form_begin form
 * carries a hidden "_form" naming the page that shows it, and a form
 * with a textarea gets "Save as draft" beside its main button.  So
 * every page built with these helpers keeps typed work for free.
 *
 * Strings passed in are escaped unless a parameter says "raw" (constant
 * markup only).  Nothing here allocates outside the request's arena.
 */
#ifndef CAIRN_PAGE_H
#define CAIRN_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "domain/err.h"

struct req;


struct choice {
	const char *value;
	const char *label;
	const char *hint; /* may be NULL */
};

/* The response body being written. */
struct sbuf *page_out(struct req *r);

/* Starts the page: doctype, head, skip link, header with the service
 * name and the navigation the user's role may use, and opens <main>.
 * `title` is the page's h1 and <title> (with "Error: " in front when
 * errs has entries).  errs may be NULL. */
void page_begin(struct req *r, const char *title,
		const struct field_errors *errs);

/* The GOV.UK back link, for a page below the top level.  Wherever it
 * is called after page_begin, the link goes above the heading and the
 * error summary, first in <main> (GOV.UK's template puts it just before
 * <main>, which axe-core's "region" rule flags); called with no page
 * begun, it is written where the page is.  href is escaped. */
void page_back_link(struct req *r, const char *href);

/* A level above the page, for page_crumbs: a link (href and label,
 * both escaped). */
struct crumb {
	const char *href;
	const char *label;
};

/* GOV.UK breadcrumbs for a page that sits in a hierarchy (a child >
 * their referral; scrutiny > a review > an action): the n levels above
 * the page, the top first, placed where page_back_link places its link.
 * A page has breadcrumbs or a back link, never both (GOV.UK); forms
 * and other steps of a task keep the back link. */
void page_crumbs(struct req *r, const struct crumb *c, size_t n);

/* A caption above the page's heading, inside its h1 (GOV.UK's "heading
 * with caption"), naming what the page belongs to: the child whose
 * record a form changes.  Call after page_begin; text is escaped. */
void page_caption(struct req *r, const char *text);

/* The breadcrumbs of a page below a child's record: "Find a child" (or
 * "My work" for those who cannot search) > the child's name. */
void page_child_crumbs(struct req *r, int64_t child_id, const char *name);

/* Closes main, writes the footer (GOV.UK support links to the
 * accessibility statement, privacy notice and help: web/info_pages.c),
 * ends the document. */
void page_end(struct req *r);

/* Sets status and content type for the HTML written so far. */
void page_send(struct req *r, int status);

/* A 303 See Other to a local path (must start with '/'). */
void page_redirect(struct req *r, const char *location);

/* A whole error page (404, 403, 400...). */
void page_error(struct req *r, int status, const char *title,
		const char *message);


/* The error summary box (nothing when e is NULL or empty). */
void page_error_summary(struct req *r, const struct field_errors *e);

/* A notification banner (success) with a heading, placed above the
 * page's heading (GOV.UK) wherever it is called after page_begin. */
void page_banner(struct req *r, const char *heading);

/* <form method="post" action=...> with the CSRF field. */
void form_begin(struct req *r, const char *action);
void form_end(struct req *r);

/* As form_begin, sent as multipart/form-data: for a form with a
 * form_file, on a ROUTE_UPLOAD route (D62). */
void form_begin_upload(struct req *r, const char *action);

/* GOV.UK file upload: label, hint, error message; accept (may be NULL)
 * is the file chooser's hint of extensions and types only, never a
 * check (the handler reads the bytes). */
void form_file(struct req *r, const struct field_errors *e, const char *name,
	       const char *label, const char *hint, const char *accept);

/* GET form (search), no CSRF. */
void form_begin_get(struct req *r, const char *action);

void form_input(struct req *r, const struct field_errors *e, const char *name,
		const char *label, const char *hint, const char *value,
		const char *width_class, const char *autocomplete,
		const char *type);
void form_textarea(struct req *r, const struct field_errors *e,
		   const char *name, const char *label, const char *hint,
		   const char *value, int rows);
/* Date input: three fields named name-day, name-month, name-year; the
 * error link targets name-day. */
void form_date(struct req *r, const struct field_errors *e, const char *name,
	       const char *legend, const char *hint, const char *day,
	       const char *month, const char *year);
/* form_date showing what was typed into it (the form sent: name-day,
 * name-month, name-year) when typed, else the date ymd ('YYYY-MM-DD';
 * empty parts for NULL or anything else). */
void form_date_of(struct req *r, const struct field_errors *e,
		  const char *name, const char *legend, const char *hint,
		  bool typed, const char *ymd);
void form_radios(struct req *r, const struct field_errors *e,
		 const char *name, const char *legend, const char *hint,
		 const struct choice *choices, int nchoices,
		 const char *selected);
/* A select; a "Choose" option with the empty value comes first unless
 * the first choice is itself the empty value (a named default). */
void form_select(struct req *r, const struct field_errors *e,
		 const char *name, const char *label, const char *hint,
		 const struct choice *choices, int nchoices,
		 const char *selected);
/* Checkboxes: every choice whose value is in checked[0..nchecked) is
 * ticked (the field is repeated in the form, so its route parameter
 * must be declared `multi`). */
void form_checkboxes(struct req *r, const struct field_errors *e,
		     const char *name, const char *legend, const char *hint,
		     const struct choice *choices, int nchoices,
		     const char *const *checked, int nchecked);
void form_hidden(struct req *r, const char *name, const char *value);
/* A submit button.  The first main (not secondary) button of a form
 * that has a textarea comes in a button group with "Save as draft"
 * (name "_draft", value "save") when the user is signed in. */
void form_button(struct req *r, const char *text, bool secondary);

/* Summary list helpers: <dl class="govuk-summary-list"> rows. */
void summary_begin(struct req *r);
void summary_row(struct req *r, const char *key, const char *value);
void summary_end(struct req *r);

/* A tag (status label), colour one of "grey","green","red","yellow",
 * "blue","orange" or NULL for the default. */
void page_tag(struct req *r, const char *text, const char *colour);

/* ---- content helpers (shared by every module's pages) ---------------- */

/* <a class="govuk-link" href=...>text</a>; both escaped. */
void page_link(struct req *r, const char *href, const char *text);
/* A heading (govuk-heading-m) and a paragraph (govuk-body). */
void page_h2(struct req *r, const char *text);
void page_para(struct req *r, const char *text);
/* Narrative: one paragraph per line of text. */
void page_narrative(struct req *r, const char *text);

/* A GOV.UK table: caption, n column headings, then rows of cells.
 * Every table sits in its own box that scrolls sideways when the table
 * is wider than the screen (so the page does not); the box can take
 * keyboard focus and is a region named by the caption.  Close it with
 * page_table_end. */
void page_table_begin(struct req *r, const char *caption,
		      const char *const *heads, int n);
/* The same with the caption for screen readers only (a heading above
 * already names the table); cls (NULL: none) is added to the table's
 * class, as "cairn-report-table" for the print style. */
void page_table_begin_hidden(struct req *r, const char *caption,
			     const char *const *heads, int n, const char *cls);
/* The same as page_table_begin, with each column whose bit is set in
 * numeric (bit i for heads[i]) headed as GOV.UK heads a column of
 * numbers (aligned right, as page_cell_numeric_begin's cells are). */
void page_table_begin_numeric(struct req *r, const char *caption,
			      const char *const *heads, int n,
			      unsigned numeric);
void page_table_end(struct req *r);
void page_row_begin(struct req *r);
/* A row's heading: a <th scope="row"> cell holding text (escaped). */
void page_row_head(struct req *r, const char *text);
/* Opens a cell of a column of numbers (aligned right); close it with
 * page_cell_end. */
void page_cell_numeric_begin(struct req *r);
void page_row_end(struct req *r);
void page_cell_begin(struct req *r);
void page_cell_end(struct req *r);
void page_cell(struct req *r, const char *text);

/* "path?k=v&..." (values percent-encoded, not HTML-escaped) carrying
 * the request's declared query values named in keys (NULL-ended; empty
 * ones left out), with `key` set to `value` (NULL: no such pair).  For a
 * link that changes one thing (the page) and keeps the filters.  In the
 * arena; "" when spent. */
const char *page_href(struct req *r, const char *path,
		      const char *const *keys, const char *key,
		      const char *value);

/* A stored date ('YYYY-MM-DD') or UK civil time ('YYYY-MM-DDTHH:MM')
 * for people: "2 June 2026" or "2 June 2026 at 09:00"; "" for NULL or "".
 * In the arena. */
const char *page_when(struct req *r, const char *s);

/* A stored UTC stamp 'YYYY-MM-DDTHH:MM:SSZ' (or without seconds) in UK
 * local time, as people read it: "12 June 2024 at 14:03" (BST in
 * summer, GMT in winter; no zone named, GOV.UK style).  A civil time or
 * a date in words (page_when); "" for NULL.  In the arena.  Every page
 * that shows a stored stamp shows it through this. */
const char *page_time(struct req *r, const char *s);

/* The page of a record a timescale or a chronology entry points to:
 * "/contacts/ID", "/referrals/ID", "/children/ID"; NULL for a kind with
 * no page. */
const char *page_record_href(struct req *r, const char *kind, int64_t id);

/* GOV.UK pagination: "Previous" and "Next" links (either NULL for
 * none; nothing at all when both are NULL).  hrefs are escaped. */
void page_pagination(struct req *r, const char *prev_href,
		     const char *next_href);

/* The page of a paged list asked for: the query's "page", a whole
 * number from 1 to max; 1 when it is absent or not such a number. */
int64_t page_number(struct req *r, int64_t max);

/* Pagination for page `page` of a list at path: "Previous" to page - 1
 * when there is one, "Next" to page + 1 when `more`, each keeping the
 * declared query values named in keys (page_href). */
void page_pages(struct req *r, const char *path, const char *const *keys,
		int64_t page, bool more);

/* <p class="govuk-body"> holding one link (page_link). */
void page_para_link(struct req *r, const char *href, const char *text);

/* GOV.UK warning text ("!" and a visually hidden "Warning"). */
void page_warning(struct req *r, const char *text);

/* The same with other words: aria names the navigation, and each link's
 * title is constant markup (raw). */
void page_pagination_raw(struct req *r, const char *aria,
			 const char *prev_href, const char *prev_raw,
			 const char *next_href, const char *next_raw);

/* The second of the pair in pairs[0..n) whose first is key (a table of
 * codes and their words); NULL when there is none or key is NULL. */
const char *page_pair(const char *const pairs[][2], size_t n,
		      const char *key);

/* A summary list row whose value the caller writes between these. */
void page_srow_begin(struct req *r, const char *key);
void page_srow_end(struct req *r);

/* An arena copy of s with white space trimmed from both ends; NULL when
 * s is NULL, blank, or the arena is spent. */
const char *page_trim(struct req *r, const char *s);

/*
 * Reads a GOV.UK date input (name-day, name-month, name-year) from the
 * form (or the query when from_query).  Returns true with *out
 * "YYYY-MM-DD" (or NULL when all three parts are empty); false with an
 * error on name-day saying which part is missing or wrong.  label
 * starts the message ("Date of the update must be a real date").
 */
bool page_date_field(struct req *r, bool from_query, const char *name,
		     const char *label, struct field_errors *fe,
		     const char **out);

/* The day, month and year of 'YYYY-MM-DD' as a date input shows them
 * ("6", "4", "2023"); all "" when ymd is NULL or not such a date. */
void page_date_parts(struct req *r, const char *ymd, const char *out[3]);

/* ---- route parameters shared by every module's pages ---------------- */

/* A part of a GOV.UK date input, in bytes: generous, so that a part
 * typed wrong gets page_date_field's message rather than a 400 (the
 * field descriptors' forms, web/fields.c, allow the same). */
#define PAGE_DATE_PART_MAX 16

/* The three parameters of the date input `stem` (page_date_field), for
 * a route's param_spec table (http/router.h). */
#define PAGE_DATE_PARAMS(stem) \
	{stem "-day", PARAM_LINE, PAGE_DATE_PART_MAX, false}, \
	{stem "-month", PARAM_LINE, PAGE_DATE_PART_MAX, false}, \
	{stem "-year", PARAM_LINE, PAGE_DATE_PART_MAX, false}

/* The query's "page" of a paged list (page_number). */
#define PAGE_NUMBER_PARAM {"page", PARAM_INT, 6, false}

/* ---- numbers for people ---------------------------------------------- */

/* n with thousands separators, as GOV.UK writes numbers: "2,404",
 * "-1,000", "999".  From the request's arena ("" when it is spent). */
const char *page_count_text(struct req *r, int64_t n);

/* Writes page_count_text(r, n) into the page. */
void page_count(struct req *r, int64_t n);

/* A child's age for people from a date of birth 'YYYY-MM-DD' as of
 * the actor's today: "7 years", "14 months" (under 2), "3 weeks"
 * (under a month), "not yet born"; "" when dob is not a date.  In the
 * arena. */
const char *page_age(struct req *r, const char *dob);

#endif
