/* page.c: see page.h.  Markup follows the GOV.UK Design System. */
#include "web/page.h"
#include "core/arena.h"
#include "core/str.h"
#include "draft/draft.h"
#include "http/html.h"
#include "rules/calendar.h"
#include "rules/uktime.h"
#include "web/app.h"
#include "web/drafts.h"
#include "web/notify_pages.h"

#include <stdio.h>
#include <string.h>

#define FRONTEND_VERSION "6.6.0"

struct sbuf *page_out(struct req *r)
{
	return &r->ex->out;
}

struct nav_item {
	const char *href;
	const char *label;
	enum perm perm;
};

static const struct nav_item nav[] = {
	{"/", "My work", PERM_SIGNED_IN},
	{"/front-door", "Front door", PERM_FRONT_DOOR_QUEUE},
	{"/children", "Find a child", PERM_CHILD_SEARCH},
	{"/timescales", "Timescales", PERM_REFERRAL_READ},
	{"/dashboard", "Dashboard", PERM_AGGREGATES},
	{"/scrutiny", "Scrutiny", PERM_SCRUTINY_READ},
	{"/admin/users", "Users", PERM_USER_ADMIN},
	{"/admin/audit", "Audit log", PERM_AUDIT_VERIFY},
};

#define H1_OPEN "<h1 class=\"govuk-heading-l\">"

void page_begin(struct req *r, const char *title, const struct field_errors *errs)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">"
		    "<head><meta charset=\"utf-8\"><title>");
	if (errs && errs->n)
		html_raw(o, "Error: ");
	html_text(o, title);
	html_raw(o, " - Cairn</title>"
		    "<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1, viewport-fit=cover\">"
		    "<meta name=\"theme-color\" content=\"#0b0c0c\">"
		    "<link rel=\"icon\" sizes=\"48x48\" "
		    "href=\"/assets/images/favicon.ico\">"
		    "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css?v="
		    FRONTEND_VERSION "\">"
		    "<link rel=\"stylesheet\" href=\"/assets/cairn.css?v=3\">"
		    "</head><body class=\"govuk-template__body\">"
		    "<a href=\"#main-content\" class=\"govuk-skip-link\">Skip to "
		    "main content</a>"
		    "<header class=\"govuk-template__header\">"
		    "<div class=\"govuk-generic-header\">"
		    "<div class=\"govuk-generic-header__container "
		    "govuk-width-container\">"
		    "<div class=\"govuk-generic-header__logo\">"
		    "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">"
		    "Cairn</a></div></div></div>");
	html_raw(o, "<section aria-label=\"Service information\" "
		    "class=\"govuk-service-navigation\">"
		    "<div class=\"govuk-width-container\">"
		    "<div class=\"govuk-service-navigation__container\">"
		    "<span class=\"govuk-service-navigation__service-name\">"
		    "<span class=\"govuk-service-navigation__text\">Children's "
		    "social care</span></span>");
	if (r->authed) {
		html_raw(o, "<nav aria-label=\"Menu\" "
			    "class=\"govuk-service-navigation__wrapper\">"
			    "<ul class=\"govuk-service-navigation__list\" "
			    "id=\"navigation\">");
		for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			if (!req_can(r, nav[i].perm))
				continue;
			bool active = strcmp(r->ex->path, nav[i].href) == 0;
			html_raw(o, active ? "<li class=\"govuk-service-navigation__item "
					     "govuk-service-navigation__item--active\">"
					   : "<li class=\"govuk-service-navigation__item\">");
			html_raw(o, "<a class=\"govuk-service-navigation__link\"");
			html_attr(o, "href", nav[i].href);
			if (active)
				html_raw(o, " aria-current=\"page\"");
			html_raw(o, ">");
			html_text(o, nav[i].label);
			html_raw(o, "</a></li>");
		}
		notify_nav_item(r); /* "Notifications (3)" */
		html_raw(o, "</ul></nav>");
	}
	html_raw(o, "</div></div></section>");
	html_raw(o, "<div class=\"govuk-width-container\">");
	if (r->authed) {
		html_raw(o, "<div class=\"cairn-account\">"
			    "<p class=\"govuk-body-s\">Signed in as ");
		html_text(o, r->user.display_name);
		html_raw(o, " (");
		html_text(o, role_label(r->user.role));
		html_raw(o, ")</p>");
		form_begin(r, "/sign-out");
		html_raw(o, "<button type=\"submit\" class=\"govuk-button "
			    "govuk-button--secondary cairn-signout\" "
			    "data-module=\"govuk-button\">Sign out</button>");
		form_end(r);
		html_raw(o, "</div>");
	}
	html_raw(o, "</div></header><div class=\"govuk-width-container\">"
		    "<main class=\"govuk-main-wrapper\" id=\"main-content\">");
	/* a back link goes here, first in <main> (inside the landmark, so
	 * axe-core's "region" rule holds), whenever page_back_link is
	 * called */
	r->back_at = o->len;
	page_error_summary(r, errs);
	drafts_banner(r);
	r->h1_at = o->len;
	html_raw(o, H1_OPEN);
	html_text(o, title);
	html_raw(o, "</h1>");
}

/* Moves the markup written from `end` to the page's end back to `at`
 * (the markup between shifts right); returns its length, or 0 when it
 * stays where it was written (no page begun, or nothing after `at`). */
static size_t move_back(struct req *r, size_t at, size_t end)
{
	struct sbuf *o = page_out(r);
	size_t n = o->len - end;
	if (o->toobig || at == 0 || at >= end)
		return 0;
	char *piece = arena_alloc(r->a, n);
	if (piece == NULL)
		return 0;
	memcpy(piece, o->buf + end, n);
	memmove(o->buf + at + n, o->buf + at, end - at);
	memcpy(o->buf + at, piece, n);
	return n;
}

/* Moves what was written from `end` to back_at, keeping the heading's
 * offset true (it lies after back_at), and back_at after the piece. */
static void place_first_in_main(struct req *r, size_t end)
{
	size_t n = move_back(r, r->back_at, end);
	r->back_at += n;
	if (n && r->h1_at >= r->back_at - n)
		r->h1_at += n;
}

void page_back_link(struct req *r, const char *href)
{
	struct sbuf *o = page_out(r);
	size_t end = o->len;
	html_raw(o, "<a class=\"govuk-back-link\"");
	html_attr(o, "href", href);
	html_raw(o, ">Back</a>");
	place_first_in_main(r, end);
}

void page_crumbs(struct req *r, const struct crumb *c, size_t n)
{
	struct sbuf *o = page_out(r);
	size_t end = o->len;
	html_raw(o, "<nav class=\"govuk-breadcrumbs\" aria-label=\"Breadcrumb\">"
		    "<ol class=\"govuk-breadcrumbs__list\">");
	for (size_t i = 0; i < n; i++) {
		html_raw(o, "<li class=\"govuk-breadcrumbs__list-item\">"
			    "<a class=\"govuk-breadcrumbs__link\"");
		html_attr(o, "href", c[i].href);
		html_raw(o, ">");
		html_text(o, c[i].label);
		html_raw(o, "</a></li>");
	}
	html_raw(o, "</ol></nav>");
	place_first_in_main(r, end);
}

void page_child_crumbs(struct req *r, int64_t child_id, const char *name)
{
	bool search = req_can(r, PERM_CHILD_SEARCH);
	struct crumb c[] = {
		{search ? "/children" : "/", search ? "Find a child" : "My work"},
		{page_record_href(r, "child", child_id), name},
	};
	page_crumbs(r, c, 2);
}

void page_caption(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	size_t end = o->len;
	if (r->h1_at == 0)
		return;
	html_raw(o, "<span class=\"govuk-caption-l\">");
	html_text(o, text);
	html_raw(o, "</span>");
	move_back(r, r->h1_at + sizeof(H1_OPEN) - 1, end);
}

void page_end(struct req *r)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "</main></div>"
		    "<footer class=\"govuk-footer\"><div "
		    "class=\"govuk-width-container\"><div "
		    "class=\"govuk-footer__meta\"><div "
		    "class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">"
		    /* GOV.UK's "Support links" (web/info_pages.c) */
		    "<h2 class=\"govuk-visually-hidden\">Support links</h2>"
		    "<ul class=\"govuk-footer__inline-list\">"
		    "<li class=\"govuk-footer__inline-list-item\">"
		    "<a class=\"govuk-footer__link\" href=\"/accessibility\">"
		    "Accessibility statement</a></li>"
		    "<li class=\"govuk-footer__inline-list-item\">"
		    "<a class=\"govuk-footer__link\" href=\"/privacy\">"
		    "Privacy notice</a></li>"
		    "<li class=\"govuk-footer__inline-list-item\">"
		    "<a class=\"govuk-footer__link\" href=\"/help\">"
		    "Help</a></li></ul>"
		    "<p class=\"govuk-body-s\">Cairn: open-source case management "
		    "for children's social care. Every view of a child's record "
		    "is recorded.</p></div></div></div></footer></body></html>\n");
}

void page_send(struct req *r, int status)
{
	r->ex->status = status;
	r->ex->out_type = "text/html; charset=utf-8";
	if (r->ex->out.toobig) {
		sbuf_reset(&r->ex->out);
		r->ex->status = 500;
		r->ex->out_type = "text/plain; charset=utf-8";
		sbuf_adds(&r->ex->out, "The page is too large to show.\n");
	}
}

void page_redirect(struct req *r, const char *location)
{
	if (location == NULL || location[0] != '/' || location[1] == '/')
		location = "/";
	char *loc = arena_strdup(r->a, location);
	sbuf_reset(&r->ex->out);
	r->ex->status = 303;
	r->ex->out_type = "text/plain; charset=utf-8";
	http_add_header(r->ex, "Location", loc ? loc : "/");
}

void page_error(struct req *r, int status, const char *title,
		const char *message)
{
	sbuf_reset(page_out(r));
	page_begin(r, title, NULL);
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-body\">");
	html_text(o, message);
	html_raw(o, "</p>");
	page_end(r);
	page_send(r, status);
}

void page_error_summary(struct req *r, const struct field_errors *e)
{
	if (e == NULL || e->n == 0)
		return;
	struct sbuf *o = page_out(r);
	html_raw(o, "<div class=\"govuk-error-summary\" "
		    "data-module=\"govuk-error-summary\"><div role=\"alert\">"
		    "<h2 class=\"govuk-error-summary__title\">There is a "
		    "problem</h2><div class=\"govuk-error-summary__body\">"
		    "<ul class=\"govuk-list govuk-error-summary__list\">");
	for (int i = 0; i < e->n; i++) {
		html_raw(o, "<li><a href=\"#");
		html_text(o, e->v[i].field);
		html_raw(o, "\">");
		html_text(o, e->v[i].msg);
		html_raw(o, "</a></li>");
	}
	html_raw(o, "</ul></div></div></div>");
}

void page_banner(struct req *r, const char *heading)
{
	struct sbuf *o = page_out(r);
	size_t end = o->len;
	html_raw(o, "<div class=\"govuk-notification-banner "
		    "govuk-notification-banner--success\" role=\"alert\" "
		    "aria-labelledby=\"govuk-notification-banner-title\" "
		    "data-module=\"govuk-notification-banner\">"
		    "<div class=\"govuk-notification-banner__header\">"
		    "<h2 class=\"govuk-notification-banner__title\" "
		    "id=\"govuk-notification-banner-title\">Success</h2></div>"
		    "<div class=\"govuk-notification-banner__content\">"
		    "<p class=\"govuk-notification-banner__heading\">");
	html_text(o, heading);
	html_raw(o, "</p></div></div>");
	/* GOV.UK: a success banner sits above the page's heading */
	r->h1_at += move_back(r, r->h1_at, end);
}

/* True when the form posting to action is the one r->draft fills: the
 * same path (any query string on the action aside). */
static bool draft_fills(const struct req *r, const char *action)
{
	if (r->draft == NULL || action == NULL)
		return false;
	const char *path = r->draft->path;
	size_t n = strcspn(action, "?");
	return strlen(path) == n && strncmp(path, action, n) == 0;
}

static void form_open(struct req *r, const char *action, bool upload)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<form method=\"post\" novalidate");
	html_attr(o, "action", action);
	if (upload)
		html_raw(o, " enctype=\"multipart/form-data\"");
	html_raw(o, ">");
	form_hidden(r, "csrf", r->csrf);
	/* the page that shows this form, so a draft of it can come back
	 * here (web/drafts.h) */
	const char *page = drafts_form_page(r);
	if (page)
		form_hidden(r, "_form", page);
	r->form_has_text = false;
	r->draft_on = draft_fills(r, action);
}

void form_begin(struct req *r, const char *action)
{
	form_open(r, action, false);
}

void form_begin_upload(struct req *r, const char *action)
{
	form_open(r, action, true);
}

void form_begin_get(struct req *r, const char *action)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<form method=\"get\" novalidate");
	html_attr(o, "action", action);
	html_raw(o, ">");
}

void form_end(struct req *r)
{
	html_raw(page_out(r), "</form>");
	r->draft_on = false;
	r->form_has_text = false;
}

void form_hidden(struct req *r, const char *name, const char *value)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<input type=\"hidden\"");
	html_attr(o, "name", name);
	html_attr(o, "value", value ? value : "");
	html_raw(o, ">");
}

static void group_begin(struct sbuf *o, const char *err)
{
	html_raw(o, err ? "<div class=\"govuk-form-group govuk-form-group--error\">"
			: "<div class=\"govuk-form-group\">");
}

static void hint_and_error(struct sbuf *o, const char *name, const char *hint,
			   const char *err)
{
	if (hint) {
		html_raw(o, "<div class=\"govuk-hint\"");
		char id[160];
		snprintf(id, sizeof(id), "%s-hint", name);
		html_attr(o, "id", id);
		html_raw(o, ">");
		html_text(o, hint);
		html_raw(o, "</div>");
	}
	if (err) {
		html_raw(o, "<p class=\"govuk-error-message\"");
		char id[160];
		snprintf(id, sizeof(id), "%s-error", name);
		html_attr(o, "id", id);
		html_raw(o, "><span class=\"govuk-visually-hidden\">Error:</span> ");
		html_text(o, err);
		html_raw(o, "</p>");
	}
}

static void describedby(struct sbuf *o, const char *name, const char *hint,
			const char *err)
{
	if (!hint && !err)
		return;
	char v[340];
	snprintf(v, sizeof(v), "%s%s%s%s%s", hint ? name : "",
		 hint ? "-hint" : "", hint && err ? " " : "", err ? name : "",
		 err ? "-error" : "");
	html_attr(o, "aria-describedby", v);
}

/* Opens a form group with its label, hint and error message; returns the
 * field's error (NULL: none) for the control that follows. */
static const char *field_begin(struct req *r, const struct field_errors *e,
			       const char *name, const char *label,
			       const char *hint)
{
	struct sbuf *o = page_out(r);
	const char *err = fe_for(e, name);
	group_begin(o, err);
	html_raw(o, "<label class=\"govuk-label\"");
	html_attr(o, "for", name);
	html_raw(o, ">");
	html_text(o, label);
	html_raw(o, "</label>");
	hint_and_error(o, name, hint, err);
	return err;
}

/* Opens a form group and its fieldset with legend, hint and error
 * message (a date's: role "group", a small legend); returns the field's
 * error (NULL: none). */
static const char *fieldset_begin(struct req *r, const struct field_errors *e,
				  const char *name, const char *legend,
				  const char *hint, bool date)
{
	struct sbuf *o = page_out(r);
	const char *err = fe_for(e, name);
	group_begin(o, err);
	html_raw(o, date ? "<fieldset class=\"govuk-fieldset\" role=\"group\""
			 : "<fieldset class=\"govuk-fieldset\"");
	describedby(o, name, hint, err);
	html_raw(o, date ? "><legend class=\"govuk-fieldset__legend "
			   "govuk-fieldset__legend--s\">"
			 : "><legend class=\"govuk-fieldset__legend "
			   "govuk-fieldset__legend--m\">");
	html_text(o, legend);
	html_raw(o, "</legend>");
	hint_and_error(o, name, hint, err);
	return err;
}

/* One radio or checkbox (kind "radios" or "checkboxes") of the group
 * `name`: the i-th, ticked when on.  The first carries the group's id,
 * so the error summary's link lands on it. */
static void choice_item(struct sbuf *o, const char *kind, const char *name,
			int i, const struct choice *c, bool on)
{
	bool radio = kind[0] == 'r';
	char id[160];
	if (i == 0)
		snprintf(id, sizeof(id), "%s", name);
	else
		snprintf(id, sizeof(id), "%s-%d", name, i + 1);
	html_raw(o, "<div class=\"govuk-");
	html_raw(o, kind);
	html_raw(o, "__item\"><input class=\"govuk-");
	html_raw(o, kind);
	html_raw(o, radio ? "__input\" type=\"radio\"" : "__input\" type=\"checkbox\"");
	html_attr(o, "id", id);
	html_attr(o, "name", name);
	html_attr(o, "value", c->value);
	if (on)
		html_raw(o, " checked");
	html_raw(o, "><label class=\"govuk-label govuk-");
	html_raw(o, kind);
	html_raw(o, "__label\"");
	html_attr(o, "for", id);
	html_raw(o, ">");
	html_text(o, c->label);
	html_raw(o, "</label>");
	if (c->hint) {
		html_raw(o, "<div class=\"govuk-hint govuk-");
		html_raw(o, kind);
		html_raw(o, "__hint\">");
		html_text(o, c->hint);
		html_raw(o, "</div>");
	}
	html_raw(o, "</div>");
}

void form_input(struct req *r, const struct field_errors *e, const char *name,
		const char *label, const char *hint, const char *value,
		const char *width_class, const char *autocomplete,
		const char *type)
{
	struct sbuf *o = page_out(r);
	const char *err = field_begin(r, e, name, label, hint);
	html_raw(o, err ? "<input class=\"govuk-input govuk-input--error"
			: "<input class=\"govuk-input");
	if (width_class) {
		html_raw(o, " ");
		html_text(o, width_class);
	}
	html_raw(o, "\"");
	html_attr(o, "id", name);
	html_attr(o, "name", name);
	html_attr(o, "type", type ? type : "text");
	/* a password is never kept in a draft, nor shown from one */
	if (type == NULL || strcmp(type, "password") != 0)
		value = drafts_value(r, name, value, false);
	html_attr(o, "value", value ? value : "");
	if (autocomplete)
		html_attr(o, "autocomplete", autocomplete);
	html_raw(o, " spellcheck=\"false\"");
	describedby(o, name, hint, err);
	html_raw(o, "></div>");
}

void form_textarea(struct req *r, const struct field_errors *e,
		   const char *name, const char *label, const char *hint,
		   const char *value, int rows)
{
	struct sbuf *o = page_out(r);
	const char *err = field_begin(r, e, name, label, hint);
	html_raw(o, err ? "<textarea class=\"govuk-textarea govuk-textarea--error\""
			: "<textarea class=\"govuk-textarea\"");
	html_attr(o, "id", name);
	html_attr(o, "name", name);
	html_raw(o, " rows=\"");
	html_int(o, rows > 0 ? rows : 5);
	html_raw(o, "\"");
	describedby(o, name, hint, err);
	html_raw(o, ">");
	value = drafts_value(r, name, value, false);
	html_text(o, value ? value : "");
	html_raw(o, "</textarea></div>");
	r->form_has_text = true;
}

void form_file(struct req *r, const struct field_errors *e, const char *name,
	       const char *label, const char *hint, const char *accept)
{
	struct sbuf *o = page_out(r);
	const char *err = field_begin(r, e, name, label, hint);
	html_raw(o, err ? "<input class=\"govuk-file-upload "
			  "govuk-file-upload--error\""
			: "<input class=\"govuk-file-upload\"");
	html_attr(o, "id", name);
	html_attr(o, "name", name);
	html_raw(o, " type=\"file\"");
	if (accept)
		html_attr(o, "accept", accept);
	describedby(o, name, hint, err);
	html_raw(o, "></div>");
}

static void date_part(struct req *r, const char *name, const char *part,
		      const char *label, const char *value, bool err,
		      const char *width)
{
	struct sbuf *o = page_out(r);
	char id[160];
	snprintf(id, sizeof(id), "%s-%s", name, part);
	value = drafts_value(r, id, value, false);
	html_raw(o, "<div class=\"govuk-date-input__item\"><div "
		    "class=\"govuk-form-group\"><label class=\"govuk-label "
		    "govuk-date-input__label\"");
	html_attr(o, "for", id);
	html_raw(o, ">");
	html_text(o, label);
	html_raw(o, "</label><input class=\"govuk-input govuk-date-input__input ");
	html_text(o, width);
	if (err)
		html_raw(o, " govuk-input--error");
	html_raw(o, "\"");
	html_attr(o, "id", id);
	html_attr(o, "name", id);
	html_attr(o, "value", value ? value : "");
	html_raw(o, " type=\"text\" inputmode=\"numeric\"></div></div>");
}

void form_date(struct req *r, const struct field_errors *e, const char *name,
	       const char *legend, const char *hint, const char *day,
	       const char *month, const char *year)
{
	struct sbuf *o = page_out(r);
	const char *err = fieldset_begin(r, e, name, legend, hint, true);
	html_raw(o, "<div class=\"govuk-date-input\"");
	html_attr(o, "id", name);
	html_raw(o, ">");
	date_part(r, name, "day", "Day", day, err != NULL, "govuk-input--width-2");
	date_part(r, name, "month", "Month", month, err != NULL,
		  "govuk-input--width-2");
	date_part(r, name, "year", "Year", year, err != NULL,
		  "govuk-input--width-4");
	html_raw(o, "</div></fieldset></div>");
}

void form_date_of(struct req *r, const struct field_errors *e,
		  const char *name, const char *legend, const char *hint,
		  bool typed, const char *ymd)
{
	const char *part[3];
	static const char *const sfx[3] = {"-day", "-month", "-year"};
	page_date_parts(r, typed ? NULL : ymd, part);
	for (int i = 0; typed && i < 3; i++) {
		char key[64];
		snprintf(key, sizeof(key), "%s%s", name, sfx[i]);
		part[i] = req_form(r, key);
	}
	form_date(r, e, name, legend, hint, part[0], part[1], part[2]);
}

void form_radios(struct req *r, const struct field_errors *e,
		 const char *name, const char *legend, const char *hint,
		 const struct choice *choices, int nchoices,
		 const char *selected)
{
	struct sbuf *o = page_out(r);
	fieldset_begin(r, e, name, legend, hint, false);
	selected = drafts_value(r, name, selected, true);
	html_raw(o, "<div class=\"govuk-radios\" data-module=\"govuk-radios\">");
	for (int i = 0; i < nchoices; i++)
		choice_item(o, "radios", name, i, &choices[i],
			    selected && strcmp(selected, choices[i].value) == 0);
	html_raw(o, "</div></fieldset></div>");
}

void form_select(struct req *r, const struct field_errors *e,
		 const char *name, const char *label, const char *hint,
		 const struct choice *choices, int nchoices,
		 const char *selected)
{
	struct sbuf *o = page_out(r);
	const char *err = field_begin(r, e, name, label, hint);
	html_raw(o, err ? "<select class=\"govuk-select govuk-select--error\""
			: "<select class=\"govuk-select\"");
	html_attr(o, "id", name);
	html_attr(o, "name", name);
	describedby(o, name, hint, err);
	selected = drafts_value(r, name, selected, false);
	html_raw(o, ">");
	/* a list whose first choice is the empty value names it itself */
	if (nchoices == 0 || choices[0].value[0] != '\0')
		html_raw(o, "<option value=\"\">Choose</option>");
	for (int i = 0; i < nchoices; i++) {
		html_raw(o, "<option");
		html_attr(o, "value", choices[i].value);
		if (selected && strcmp(selected, choices[i].value) == 0)
			html_raw(o, " selected");
		html_raw(o, ">");
		html_text(o, choices[i].label);
		html_raw(o, "</option>");
	}
	html_raw(o, "</select></div>");
}

void form_button(struct req *r, const char *text, bool secondary)
{
	struct sbuf *o = page_out(r);
	/* a form with long text offers to save it as a draft (web/drafts.h):
	 * a second button, after the main one so Enter still sends */
	bool offer = !secondary && r->form_has_text && r->authed &&
		     r->app->key != NULL;
	if (offer)
		html_raw(o, "<div class=\"govuk-button-group\">");
	html_raw(o, secondary ? "<button type=\"submit\" class=\"govuk-button "
				"govuk-button--secondary\" data-module=\"govuk-button\">"
			      : "<button type=\"submit\" class=\"govuk-button\" "
				"data-module=\"govuk-button\">");
	html_text(o, text);
	html_raw(o, "</button>");
	if (offer) {
		html_raw(o, "<button type=\"submit\" name=\"_draft\" "
			    "value=\"save\" class=\"govuk-button "
			    "govuk-button--secondary\" data-module=\"govuk-button\">"
			    "Save as draft</button></div>");
		r->form_has_text = false;
	}
}

void form_checkboxes(struct req *r, const struct field_errors *e,
		     const char *name, const char *legend, const char *hint,
		     const struct choice *choices, int nchoices,
		     const char *const *checked, int nchecked)
{
	struct sbuf *o = page_out(r);
	fieldset_begin(r, e, name, legend, hint, false);
	html_raw(o, "<div class=\"govuk-checkboxes\" "
		    "data-module=\"govuk-checkboxes\">");
	for (int i = 0; i < nchoices; i++) {
		bool from_draft;
		bool on = drafts_chosen(r, name, choices[i].value, &from_draft);
		for (int k = 0; !from_draft && k < nchecked; k++)
			if (checked[k] && strcmp(checked[k], choices[i].value) == 0)
				on = true;
		choice_item(o, "checkboxes", name, i, &choices[i], on);
	}
	html_raw(o, "</div></fieldset></div>");
}

void summary_begin(struct req *r)
{
	html_raw(page_out(r), "<dl class=\"govuk-summary-list\">");
}

void summary_row(struct req *r, const char *key, const char *value)
{
	page_srow_begin(r, key);
	html_text(page_out(r), value && value[0] ? value : "Not recorded");
	page_srow_end(r);
}

void summary_end(struct req *r)
{
	html_raw(page_out(r), "</dl>");
}

void page_tag(struct req *r, const char *text, const char *colour)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<strong class=\"govuk-tag");
	if (colour) {
		html_raw(o, " govuk-tag--");
		html_text(o, colour);
	}
	html_raw(o, "\">");
	html_text(o, text);
	html_raw(o, "</strong>");
}

/* ---- content helpers -------------------------------------------------- */

void page_link(struct req *r, const char *href, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<a class=\"govuk-link\"");
	html_attr(o, "href", href);
	html_raw(o, ">");
	html_text(o, text);
	html_raw(o, "</a>");
}

void page_h2(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<h2 class=\"govuk-heading-m\">");
	html_text(o, text);
	html_raw(o, "</h2>");
}

void page_para(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<p class=\"govuk-body\">");
	html_text(o, text);
	html_raw(o, "</p>");
}

void page_narrative(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	const char *p = text ? text : "";
	do {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			html_raw(o, "<p class=\"govuk-body\">");
			html_textn(o, p, n);
			html_raw(o, "</p>");
		}
		p = nl ? nl + 1 : NULL;
	} while (p);
}

/* The table's opening up to its body: cls is added to its class, the
 * caption is shown (a medium heading) or for screen readers only, and
 * column i is headed as numbers when bit i of numeric is set. */
static void table_open(struct req *r, const char *caption,
		       const char *const *heads, int n, const char *cls,
		       bool visible, unsigned numeric)
{
	struct sbuf *o = page_out(r);
	/* GOV.UK's narrow-screen table: it scrolls sideways in its own
	 * box, which a keyboard can reach and a screen reader names */
	html_raw(o, "<div class=\"cairn-table-scroll\" tabindex=\"0\" "
		    "role=\"region\"");
	html_attr(o, "aria-label", caption);
	html_raw(o, "><table class=\"govuk-table");
	if (cls) {
		html_raw(o, " ");
		html_text(o, cls);
	}
	html_raw(o, visible ? "\"><caption class=\"govuk-table__caption "
			      "govuk-table__caption--m\">"
			    : "\"><caption class=\"govuk-table__caption "
			      "govuk-visually-hidden\">");
	html_text(o, caption);
	html_raw(o, "</caption><thead class=\"govuk-table__head\">"
		    "<tr class=\"govuk-table__row\">");
	for (int i = 0; i < n; i++) {
		bool num = i < (int)(sizeof(numeric) * 8) &&
			   (numeric >> i & 1u);
		html_raw(o, num ? "<th scope=\"col\" class=\"govuk-table__"
				  "header govuk-table__header--numeric\">"
				: "<th scope=\"col\" class=\"govuk-table__"
				  "header\">");
		html_text(o, heads[i]);
		html_raw(o, "</th>");
	}
	html_raw(o, "</tr></thead><tbody class=\"govuk-table__body\">");
}

void page_table_begin(struct req *r, const char *caption,
		      const char *const *heads, int n)
{
	table_open(r, caption, heads, n, NULL, true, 0);
}

void page_table_begin_numeric(struct req *r, const char *caption,
			      const char *const *heads, int n,
			      unsigned numeric)
{
	table_open(r, caption, heads, n, NULL, true, numeric);
}

void page_table_begin_hidden(struct req *r, const char *caption,
			     const char *const *heads, int n, const char *cls)
{
	table_open(r, caption, heads, n, cls, false, 0);
}

void page_table_end(struct req *r)
{
	html_raw(page_out(r), "</tbody></table></div>");
}

void page_row_begin(struct req *r)
{
	html_raw(page_out(r), "<tr class=\"govuk-table__row\">");
}

void page_row_end(struct req *r)
{
	html_raw(page_out(r), "</tr>");
}

void page_row_head(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<th scope=\"row\" class=\"govuk-table__header\">");
	html_text(o, text);
	html_raw(o, "</th>");
}

void page_cell_numeric_begin(struct req *r)
{
	html_raw(page_out(r), "<td class=\"govuk-table__cell govuk-table__"
			      "cell--numeric\">");
}

void page_cell_begin(struct req *r)
{
	html_raw(page_out(r), "<td class=\"govuk-table__cell\">");
}

void page_cell_end(struct req *r)
{
	html_raw(page_out(r), "</td>");
}

void page_cell(struct req *r, const char *text)
{
	page_cell_begin(r);
	html_text(page_out(r), text);
	page_cell_end(r);
}

void page_srow_begin(struct req *r, const char *key)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<div class=\"govuk-summary-list__row\"><dt "
		    "class=\"govuk-summary-list__key\">");
	html_text(o, key);
	html_raw(o, "</dt><dd class=\"govuk-summary-list__value\">");
}

void page_srow_end(struct req *r)
{
	html_raw(page_out(r), "</dd></div>");
}

const char *page_trim(struct req *r, const char *s)
{
	if (s == NULL)
		return NULL;
	char *t = arena_strdup(r->a, s);
	if (t == NULL)
		return NULL;
	str_trim(t);
	return t[0] ? t : NULL;
}

bool page_date_field(struct req *r, bool from_query, const char *name,
		     const char *label, struct field_errors *fe,
		     const char **out)
{
	static const char *const sfx[3] = {"-day", "-month", "-year"};
	static const char *const word[3] = {"day", "month", "year"};
	const char *part[3];
	char key[64];
	int missing = 0, present = 0;
	bool miss[3];
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "%s%s", name, sfx[i]);
		const char *v = from_query ? req_query(r, key) : req_form(r, key);
		part[i] = page_trim(r, v);
		miss[i] = part[i] == NULL;
		missing += miss[i];
		present += !miss[i];
	}
	const char *field = arena_printf(r->a, "%s-day", name);
	*out = NULL;
	if (present == 0)
		return true;
	if (missing > 0) {
		const char *m = NULL;
		for (int i = 0; i < 3; i++)
			if (miss[i])
				m = m ? arena_printf(r->a, "%s and %s", m, word[i])
				      : word[i];
		fe_set(fe, field, arena_printf(r->a, "%s must include a %s",
						   label, m));
		return false;
	}
	int64_t d, m, y;
	if (!str_to_i64z(part[0], 1, 99, &d) || !str_to_i64z(part[1], 1, 99, &m) ||
	    !str_to_i64z(part[2], 0, 9999, &y)) {
		fe_set(fe, field, arena_printf(r->a, "%s must be a real date",
						   label));
		return false;
	}
	if (strlen(part[2]) != 4) {
		fe_set(fe, field, "Year must include 4 numbers");
		return false;
	}
	struct cal_date cd = {(int)y, (int)m, (int)d};
	if (!cal_date_valid(cd)) {
		fe_set(fe, field, arena_printf(r->a, "%s must be a real date",
						   label));
		return false;
	}
	*out = arena_printf(r->a, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
	return true;
}

const char *page_href(struct req *r, const char *path,
		      const char *const *keys, const char *key,
		      const char *value)
{
	struct sbuf sb;
	sbuf_init(&sb, 8192);
	sbuf_adds(&sb, path);
	char sep = '?';
	for (; keys && *keys; keys++) {
		const char *v = req_query(r, *keys);
		if (v == NULL || v[0] == '\0' ||
		    (key && strcmp(key, *keys) == 0))
			continue;
		sbuf_addc(&sb, sep);
		sep = '&';
		sbuf_adds(&sb, *keys);
		sbuf_addc(&sb, '=');
		html_url_component(&sb, v);
	}
	if (key && value) {
		sbuf_addc(&sb, sep);
		sbuf_adds(&sb, key);
		sbuf_addc(&sb, '=');
		html_url_component(&sb, value);
	}
	const char *out = arena_strdup(r->a, sb.buf ? sb.buf : "");
	sbuf_release(&sb);
	return out ? out : "";
}

/* One link of the pagination: rel "prev" or "next", its title markup. */
static void pagination_link(struct sbuf *o, const char *rel, const char *href,
			    const char *title_raw)
{
	html_raw(o, rel[0] == 'p' ? "<div class=\"govuk-pagination__prev\">"
				  : "<div class=\"govuk-pagination__next\">");
	html_raw(o, "<a class=\"govuk-link govuk-pagination__link\"");
	html_attr(o, "href", href);
	html_raw(o, " rel=\"");
	html_raw(o, rel);
	html_raw(o, "\"><span class=\"govuk-pagination__link-title\">");
	html_raw(o, title_raw);
	html_raw(o, "</span></a></div>");
}

void page_pagination_raw(struct req *r, const char *aria,
			 const char *prev_href, const char *prev_raw,
			 const char *next_href, const char *next_raw)
{
	if (prev_href == NULL && next_href == NULL)
		return;
	struct sbuf *o = page_out(r);
	html_raw(o, "<nav class=\"govuk-pagination\"");
	html_attr(o, "aria-label", aria);
	html_raw(o, ">");
	if (prev_href)
		pagination_link(o, "prev", prev_href, prev_raw);
	if (next_href)
		pagination_link(o, "next", next_href, next_raw);
	html_raw(o, "</nav>");
}

void page_pagination(struct req *r, const char *prev_href,
		     const char *next_href)
{
	page_pagination_raw(r, "Results pages", prev_href,
			    "Previous<span class=\"govuk-visually-hidden\"> "
			    "page</span>", next_href,
			    "Next<span class=\"govuk-visually-hidden\"> "
			    "page</span>");
}

int64_t page_number(struct req *r, int64_t max)
{
	int64_t page = 1;
	const char *p = req_query(r, "page");
	if (p && p[0] && !str_to_i64z(p, 1, max, &page))
		page = 1;
	return page;
}

void page_pages(struct req *r, const char *path, const char *const *keys,
		int64_t page, bool more)
{
	char prev[24], next[24];
	snprintf(prev, sizeof(prev), "%lld", (long long)(page - 1));
	snprintf(next, sizeof(next), "%lld", (long long)(page + 1));
	page_pagination(r, page > 1 ? page_href(r, path, keys, "page", prev)
				    : NULL,
			more ? page_href(r, path, keys, "page", next) : NULL);
}

void page_para_link(struct req *r, const char *href, const char *text)
{
	html_raw(page_out(r), "<p class=\"govuk-body\">");
	page_link(r, href, text);
	html_raw(page_out(r), "</p>");
}

void page_warning(struct req *r, const char *text)
{
	struct sbuf *o = page_out(r);
	html_raw(o, "<div class=\"govuk-warning-text\"><span class=\"govuk-"
		    "warning-text__icon\" aria-hidden=\"true\">!</span><strong "
		    "class=\"govuk-warning-text__text\"><span class=\"govuk-"
		    "visually-hidden\">Warning</span>");
	html_text(o, text);
	html_raw(o, "</strong></div>");
}

const char *page_when(struct req *r, const char *s)
{
	char out[32];
	cal_words(s, out);
	const char *t = arena_strdup(r->a, out);
	return t ? t : "";
}

const char *page_time(struct req *r, const char *s)
{
	int64_t at;
	if (s == NULL || !uk_stamp_parse(s, &at))
		return page_when(r, s);
	char b[40];
	uk_human(at, b);
	const char *t = arena_strdup(r->a, b);
	return t ? t : "";
}

const char *page_pair(const char *const pairs[][2], size_t n,
		      const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(key, pairs[i][0]) == 0)
			return pairs[i][1];
	return NULL;
}

const char *page_record_href(struct req *r, const char *kind, int64_t id)
{
	static const char *const pages[][2] = {
		{"contact", "/contacts/"}, {"referral", "/referrals/"},
		{"child", "/children/"}, {"visit", "/visits/"},
		{"assessment", "/assessments/"}, {"case", "/cases/"},
		{"episode", "/cases/"},
	};
	const char *path = page_pair(pages, sizeof(pages) / sizeof(pages[0]),
				     kind);
	if (path == NULL)
		return NULL;
	/* by hand rather than printf: every row of a list links somewhere */
	char digits[24], *p = digits + sizeof(digits);
	uint64_t u = id < 0 ? 0 : (uint64_t)id;
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	size_t np = strlen(path), nd = (size_t)(digits + sizeof(digits) - p);
	char *out = arena_alloc(r->a, np + nd);
	if (out == NULL)
		return "";
	memcpy(out, path, np);
	memcpy(out + np, p, nd);
	return out;
}

void page_date_parts(struct req *r, const char *ymd, const char *out[3])
{
	struct cal_date d;
	out[0] = out[1] = out[2] = "";
	if (ymd && cal_date_parse(ymd, strlen(ymd), &d)) {
		out[0] = arena_printf(r->a, "%d", d.d);
		out[1] = arena_printf(r->a, "%d", d.m);
		out[2] = arena_printf(r->a, "%d", d.y);
	}
}

/* ---- numbers for people ------------------------------------------------ */

const char *page_count_text(struct req *r, int64_t n)
{
	/* by hand: printf's ' flag follows the locale, and ours is "C" */
	char b[32], *p = b + sizeof(b);
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int k = 0;
	*--p = '\0';
	do {
		if (k > 0 && k % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + u % 10);
		k++;
	} while ((u /= 10) > 0);
	if (n < 0)
		*--p = '-';
	const char *t = arena_strdup(r->a, p);
	return t ? t : "";
}

void page_count(struct req *r, int64_t n)
{
	html_text(page_out(r), page_count_text(r, n));
}

const char *page_age(struct req *r, const char *dob)
{
	struct cal_date b, today = r->act.civil.date;
	if (dob == NULL || !cal_date_parse(dob, strlen(dob), &b))
		return "";
	int m = cal_age_months(b, today);
	if (cal_compare(b, today) > 0)
		return "not yet born";
	if (m >= 24)
		return arena_printf(r->a, "%d years", m / 12);
	if (m >= 1)
		return arena_printf(r->a, "%d month%s", m, m == 1 ? "" : "s");
	int w = (cal_days(today) - cal_days(b)) / 7;
	return arena_printf(r->a, "%d week%s", w, w == 1 ? "" : "s");
}
