/*
 * info_pages.c: the pages the footer links to (issue 9, section 5).
 *
 *   GET /accessibility   the accessibility statement (the GOV.UK model
 *                        statement for a public sector website)
 *   GET /privacy         the privacy notice
 *   GET /help            how to do the main tasks, and who to ask
 *
 * All three are public (readable signed out, as GOV.UK's footer pages
 * are) and inside the layout, so a signed-in person keeps the
 * navigation.  Each page is a constant table of blocks (headings,
 * paragraphs, list items, links), written once here and escaped on the
 * way out like any other text.  They read and write nothing: no store,
 * no audit row.
 *
 * The council that runs Cairn is the controller and has its own service
 * desk and data protection officer: the pages say where those details
 * belong and never invent them.
 */
#include "http/html.h"
#include "web/app.h"
#include "web/page.h"
#include "web/routes.h"

#include <stddef.h>

enum info_kind {
	INFO_H2,    /* a section's heading */
	INFO_H3,    /* a heading within a section */
	INFO_P,     /* a paragraph */
	INFO_LI,    /* a bulleted list's item: consecutive items, one list */
	INFO_LINK,  /* a paragraph holding one link to href */
	INFO__MAX
};

struct info_block {
	enum info_kind kind;
	const char *text;
	const char *href; /* INFO_LINK only */
};

#define H2(t) {INFO_H2, (t), NULL}
#define H3(t) {INFO_H3, (t), NULL}
#define P(t) {INFO_P, (t), NULL}
#define LI(t) {INFO_LI, (t), NULL}
#define LINK(t, h) {INFO_LINK, (t), (h)}
#define END {INFO__MAX, NULL, NULL}

static const struct info_block accessibility[] = {
	P("This accessibility statement applies to Cairn, the case management "
	  "service your council uses for children's social care. Cairn is "
	  "open-source software. Your council runs it and is responsible for "
	  "it."),
	P("We want as many people as possible to be able to use this "
	  "service. For example, that means you should be able to:"),
	LI("change colours, contrast levels and fonts using browser or device "
	   "settings"),
	LI("zoom in up to 400% without the text spilling off the screen"),
	LI("use every page with a keyboard alone"),
	LI("use every page without JavaScript: Cairn does not need it"),
	LI("use the service on a small screen, such as a phone"),
	P("We have also made the text as simple as possible to understand."),
	LINK("AbilityNet has advice on making your device easier to use if "
	     "you have a disability",
	     "https://mcmw.abilitynet.org.uk/"),

	H2("How accessible this service is"),
	P("We know some parts of this service are not fully accessible:"),
	LI("it has not yet been tested with screen readers by disabled "
	   "people"),
	LI("on a small screen, some wide tables scroll sideways inside their "
	   "own box, so you may need to scroll to see every column"),
	LI("it has not yet had an independent accessibility audit"),

	H2("Feedback and contact information"),
	P("If you need information from this service in a different format, "
	  "such as large print, easy read, audio recording or braille, "
	  "contact your council's service desk."),
	P("The council that runs Cairn fills in its own contact details for "
	  "the service desk and says how soon it will reply. Your team "
	  "manager can tell you how to reach it."),

	H2("Reporting accessibility problems with this service"),
	P("We are always looking to improve the accessibility of this "
	  "service. If you find any problems not listed on this page, or "
	  "think we are not meeting accessibility requirements, contact your "
	  "council's service desk."),
	P("Your council can pass problems with the software to the Cairn "
	  "open-source project, so that they are fixed for every council "
	  "that uses it."),

	H2("Enforcement procedure"),
	P("The Equality and Human Rights Commission (EHRC) is responsible for "
	  "enforcing the Public Sector Bodies (Websites and Mobile "
	  "Applications) (No. 2) Accessibility Regulations 2018 (the "
	  "'accessibility regulations')."),
	P("If you are not happy with how your council responds to your "
	  "complaint, contact the Equality Advisory and Support Service "
	  "(EASS)."),
	LINK("Contact the Equality Advisory and Support Service",
	     "https://www.equalityadvisoryservice.com/"),

	H2("Technical information about this service's accessibility"),
	P("Your council is committed to making its services accessible, in "
	  "accordance with the Public Sector Bodies (Websites and Mobile "
	  "Applications) (No. 2) Accessibility Regulations 2018."),
	H3("Compliance status"),
	P("This service is partially compliant with the Web Content "
	  "Accessibility Guidelines version 2.2 AA standard, because of the "
	  "issues listed below."),

	H2("Non-accessible content"),
	P("The content listed below is not fully accessible, for the "
	  "following reasons."),
	H3("Not yet tested with assistive technology"),
	LI("Cairn has not yet been tested with screen readers, such as JAWS, "
	   "NVDA and VoiceOver, by disabled people. Its pages are built from "
	   "the GOV.UK Design System's components, which are built to work "
	   "with screen readers, but there may be problems in Cairn's own pages that we do not know about."),
	LI("Cairn has not yet been tested with speech recognition or screen "
	   "magnification software."),
	H3("Wide tables on small screens"),
	LI("On a screen narrower than a table, such as a phone or a screen "
	   "zoomed in a long way, some tables (for example the front-door "
	   "queue and a child's record) scroll sideways inside their own box. "
	   "The rest of the page does not. You can move to the box with the "
	   "keyboard and scroll it with the arrow keys, but you may have to "
	   "scroll to match a row with its column headings. This may fail "
	   "WCAG 2.2 success criterion 1.4.10 (Reflow) for some people."),
	P("We plan to test Cairn with disabled users and to fix what they "
	  "find. We will update this statement when we do."),

	H2("How we tested this service"),
	LI("Every page that Cairn's browser tests visit is checked "
	   "automatically with axe-core, in the Chromium browser, each time "
	   "Cairn is built and tested."),
	LI("Pages are checked by hand with a keyboard alone, at 1280 pixels "
	   "wide and at 320 pixels wide (the width of a small phone, or of a "
	   "desktop screen zoomed to 400%)."),
	P("Automated checks find only some accessibility problems. That is "
	  "why we list testing with disabled people as work still to do."),

	H2("Preparation of this accessibility statement"),
	P("This statement was written by the Cairn project for the version "
	  "of Cairn your council runs. It is reviewed when Cairn changes. "
	  "Your council adds its own contact details and the date it last "
	  "reviewed the statement."),
	END,
};

static const struct info_block privacy[] = {
	P("This notice explains what information Cairn holds about children, "
	  "their families and the people who work with them, why it is held, "
	  "who it is shared with and what your rights are."),

	H2("Who is responsible for your information"),
	P("Cairn is the case management system your council uses for "
	  "children's social care. Your council is the controller of the "
	  "information in it. That means the council decides how it is used "
	  "and is responsible for keeping it safe."),
	P("Cairn is open-source software that the council runs. The people "
	  "who wrote it do not receive your information."),
	P("The council has a data protection officer. The council fills in "
	  "its data protection officer's contact details for this notice. You "
	  "can also find them on the council's website."),

	H2("What information we hold"),
	P("Cairn holds children's social care records. These include:"),
	LI("names, including names a child is known by"),
	LI("dates of birth and gender"),
	LI("addresses, past and present"),
	LI("the child's family network: parents, carers, brothers and sisters, "
	   "and other people who matter to the child"),
	LI("contacts (when someone tells the council they are worried about a "
	   "child) and referrals, with the decisions made and who made them"),
	LI("case notes and the child's chronology (a record of important "
	   "events)"),
	LI("warnings, such as a risk to staff or the need for an interpreter"),
	P("Some of this is special category information, such as information "
	  "about health. Cairn also records the name, role and team of each "
	  "person who uses it, and what they did."),

	H2("Why we hold it"),
	P("The council has duties in law to keep children safe and to support "
	  "children in need. It holds this information to carry out those "
	  "duties, which include:"),
	LI("section 17 of the Children Act 1989: to safeguard and promote the "
	   "welfare of children in need in its area"),
	LI("section 47 of the Children Act 1989: to make enquiries when there "
	   "is reason to suspect that a child is suffering, or is likely to "
	   "suffer, significant harm"),
	LI("the Children Act 2004: to work with partners, such as the police "
	   "and health services, to safeguard children and promote their "
	   "welfare"),
	LI("the Children's Wellbeing and Schools Act 2026: the duty to share "
	   "information about children to safeguard them and promote their "
	   "welfare"),

	H2("Our lawful basis"),
	P("Under the UK General Data Protection Regulation (UK GDPR), the "
	  "council uses this information because it is necessary to carry out "
	  "a task in the public interest or in the exercise of its official "
	  "authority: Article 6(1)(e), public task."),
	P("For special category information, such as health, the council "
	  "relies on Article 9(2)(g), reasons of substantial public interest, "
	  "and Article 9(2)(h), health or social care. It meets the conditions "
	  "in Schedule 1 to the Data Protection Act 2018, such as the "
	  "safeguarding of children and of individuals at risk."),
	P("The council does not need your consent to hold this information, "
	  "because the law requires it to carry out these duties."),

	H2("Who we share it with"),
	P("The council shares information with partners who help keep "
	  "children safe, such as the police, health services and schools. It "
	  "shares only what each partner needs for its part in the child's "
	  "safety and welfare."),
	P("Partners who use Cairn see only the records the council has shared "
	  "with them."),
	P("The council also sends the Department for Education the returns "
	  "the law requires, such as the children in need census."),
	P("The council does not sell information or use it for marketing."),

	H2("How long we keep it"),
	P("The council keeps records for as long as its retention schedule "
	  "says, following the law and national guidance. Children's social "
	  "care records are often kept for many years. Ask the council for a "
	  "copy of its retention schedule."),

	H2("Every view and change is recorded"),
	P("Each time someone views or changes a child's record in Cairn, it "
	  "is recorded in an audit trail: who it was, when, and what they "
	  "did. The council can check who has looked at a record. The audit "
	  "trail is linked together so that a changed or deleted entry shows."),
	P("Each person who uses Cairn can see only the records their role "
	  "needs."),

	H2("Your rights"),
	P("You have the right to:"),
	LI("ask for a copy of the information held about you (a subject "
	   "access request)"),
	LI("ask for information that is wrong to be corrected (rectification)"),
	LI("object to how your information is used"),
	LI("ask for the use of your information to be restricted in some "
	   "cases"),
	P("Some rights are limited where the law says the information must be "
	  "kept, or where sharing it could put a child at risk. To use your "
	  "rights, contact the council's data protection officer."),

	H2("How to complain"),
	P("If you are unhappy with how the council has used your information, "
	  "contact its data protection officer first."),
	P("You can also complain to the Information Commissioner's Office "
	  "(ICO)."),
	LINK("Make a complaint to the ICO", "https://ico.org.uk/make-a-complaint/"),
	END,
};

static const struct info_block help[] = {
	P("How to do the main tasks in Cairn. If you are stuck, ask your team "
	  "manager, or contact your council's service desk."),
	P("You see only the pages your role allows, so some of these tasks "
	  "may not be open to you."),

	H2("Find a child"),
	P("Search from 'My work', or choose 'Find a child' at the top of the "
	  "page. Search by name, date of birth or both. Names are found even "
	  "when they are spelt differently."),
	P("Check the results to be sure you have the right child before you "
	  "open the record. If the child is not there, choose 'Add a new "
	  "child'."),
	LINK("Find a child", "/children"),

	H2("Record a contact"),
	P("A contact is when someone tells the council they are worried about "
	  "a child. Choose 'Record a contact' beside the child in the search "
	  "results, or on the child's record. You can also start from the "
	  "front-door queue: choose to record a new contact and find the "
	  "child first."),
	P("Say who got in touch, when, and what they are worried about, then "
	  "choose 'Record contact'. If you have made a mistake, the form shows "
	  "what is wrong and keeps what you typed."),

	H2("Decide a contact"),
	P("A contact needs a decision within one working day. Open it from "
	  "the front-door queue, which shows who is handling each contact. "
	  "To work on one someone else has, choose 'Take this contact on "
	  "yourself', so that two people do not work on it without knowing."),
	P("Before you decide, check the child's other open contacts and "
	  "referrals shown on the page. If the new worry belongs with one "
	  "that is already open, add it there rather than starting another."),
	P("Choose what response is needed, write your threshold reasoning and "
	  "choose 'Record decision'. A contact can be decided only once."),
	LINK("Go to the front-door queue", "/front-door"),

	H2("Allocate a referral"),
	P("When a contact is referred to children's social care, Cairn opens "
	  "a referral. If you may allocate, you can choose the worker as you "
	  "decide. Otherwise open the referral, choose a worker and choose "
	  "'Allocate': the referral goes to the worker's own team unless you "
	  "choose a team. To give it to someone else later, choose "
	  "'Re-allocate'."),

	H2("My work and timescales"),
	P("'My work' is the first page you see after you sign in. It shows "
	  "the work that is yours and what is due."),
	P("'Timescales' lists the statutory timescales for children's "
	  "records, the most urgent first. A timescale is met when the step "
	  "it waits for is recorded. Timescales in working days do not count "
	  "weekends or bank holidays."),
	LINK("See your timescales", "/timescales"),

	H2("A child's chronology"),
	P("The chronology lists the important events in a child's life, "
	  "oldest first. Contacts, decisions and other changes are added to "
	  "it for you. You can add an entry by hand, filter the list by kind "
	  "and period, print it, or download it as a spreadsheet (CSV)."),
	P("Open it from the child's record."),

	H2("If you are signed out"),
	P("Cairn signs you out after a time without use (30 minutes, unless "
	  "your council has chosen another time)."),
	P("If you send a form after you have been signed out, what you typed "
	  "is kept. Sign in again and the form comes back with it, for you to "
	  "check and send."),
	P("On forms with long text, you can also choose 'Save as draft' and "
	  "come back to it later. A draft is kept for 24 hours, then "
	  "deleted, so send it or copy what you need before then."),
	LINK("See your drafts", "/drafts"),

	H2("Who to ask"),
	LI("For help with your work, such as what decision to make, ask your "
	   "team manager."),
	LI("If Cairn is not working, or you cannot sign in, contact your "
	   "council's service desk."),
	P("To report a problem with accessibility, read the accessibility "
	   "statement."),
	LINK("Accessibility statement", "/accessibility"),
	END,
};

/* Writes the blocks up to END; consecutive INFO_LI make one list. */
static void info_render(struct req *r, const struct info_block *b)
{
	struct sbuf *o = page_out(r);
	bool in_list = false;
	for (; b->kind != INFO__MAX; b++) {
		if (b->kind == INFO_LI && !in_list)
			html_raw(o, "<ul class=\"govuk-list govuk-list--bullet\">");
		else if (b->kind != INFO_LI && in_list)
			html_raw(o, "</ul>");
		in_list = b->kind == INFO_LI;
		switch (b->kind) {
		case INFO_H2:
			page_h2(r, b->text);
			break;
		case INFO_H3:
			html_raw(o, "<h3 class=\"govuk-heading-s\">");
			html_text(o, b->text);
			html_raw(o, "</h3>");
			break;
		case INFO_P:
			page_para(r, b->text);
			break;
		case INFO_LI:
			html_raw(o, "<li>");
			html_text(o, b->text);
			html_raw(o, "</li>");
			break;
		case INFO_LINK:
			page_para_link(r, b->href, b->text);
			break;
		case INFO__MAX:
			break;
		}
	}
	if (in_list)
		html_raw(o, "</ul>");
}

static void info_page(struct req *r, const char *title,
		      const struct info_block *blocks)
{
	page_begin(r, title, NULL);
	html_raw(page_out(r), "<div class=\"govuk-grid-row\">"
			      "<div class=\"govuk-grid-column-two-thirds\">");
	info_render(r, blocks);
	html_raw(page_out(r), "</div></div>");
	page_end(r);
	page_send(r, 200);
}

static void accessibility_page(struct req *r)
{
	info_page(r, "Accessibility statement for Cairn", accessibility);
}

static void privacy_page(struct req *r)
{
	info_page(r, "Privacy notice", privacy);
}

static void help_page(struct req *r)
{
	info_page(r, "Help using Cairn", help);
}

const struct route info_page_routes[] = {
	{HTTP_GET, "/accessibility", PERM_PUBLIC, 0, NULL, accessibility_page,
	 "Accessibility statement", NULL},
	{HTTP_GET, "/privacy", PERM_PUBLIC, 0, NULL, privacy_page,
	 "Privacy notice", NULL},
	{HTTP_GET, "/help", PERM_PUBLIC, 0, NULL, help_page,
	 "Help using Cairn", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
