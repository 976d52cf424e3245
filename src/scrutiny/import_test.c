/* import_test.c: the action-plan importer on the five seed documents in
 * tests/seeds/ (expected values read off the documents by hand), on the
 * bad inputs it must refuse, and on small made-up tables and reports for
 * each rule in import.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "scrutiny/import.h"

#define SEEDS CAIRN_SOURCE_ROOT "/tests/seeds/"
#define SEED000 SEEDS "000_47537159088feed5.txt"
#define SEED001 SEEDS "001_0427aece4b3b0350.txt"
#define SEED002 SEEDS "002_972a3ad5589949d0.txt"
#define SEED003 SEEDS "003_4e4e76606ce302a3.txt"
#define SEED004 SEEDS "004_17c2ace78e0e2943.txt"

#define ARENA (64u * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Reads a whole file (malloc'd, NUL-terminated); *n gets its length. */
static char *slurp(const char *path, size_t *n)
{
	char *buf = cli_read_file(path, 64u << 20, n);
	if (buf == NULL)
		fail_msg("cannot read %s", path);
	return buf;
}

struct parsed {
	struct arena *a;
	struct import_proposal p;
	struct import_error e;
	int rc;
};

static void parse_n(struct parsed *x, const char *doc, size_t n)
{
	x->a = arena_new(ARENA);
	memset(&x->e, 0x55, sizeof(x->e));
	x->rc = import_parse(x->a, doc, n, &x->p, &x->e);
}

static void parse_s(struct parsed *x, const char *doc)
{
	parse_n(x, doc, strlen(doc));
}

/* Parses a seed file and requires success. */
static void parse_seed(struct parsed *x, const char *path)
{
	size_t n;
	char *doc = slurp(path, &n);
	parse_n(x, doc, n);
	free(doc);
	if (x->rc != 0)
		fail_msg("import_parse: %s (line %d)", x->e.msg, x->e.line);
}

static void done(struct parsed *x)
{
	arena_free(x->a);
	x->a = NULL;
}

#define assert_prefix(s, pre) do { \
	const char *s_ = (s), *p_ = (pre); \
	if (strncmp(s_, p_, strlen(p_)) != 0) \
		fail_msg("\"%.80s\" does not start with \"%s\"", s_, p_); \
} while (0)

#define assert_suffix(s, suf) do { \
	const char *s_ = (s), *x_ = (suf); \
	size_t a_ = strlen(s_), b_ = strlen(x_); \
	if (a_ < b_ || strcmp(s_ + a_ - b_, x_) != 0) \
		fail_msg("\"...%s\" does not end with \"%s\"", \
			 a_ > 80 ? s_ + a_ - 80 : s_, x_); \
} while (0)

#define assert_contains(s, sub) do { \
	if (strstr((s), (sub)) == NULL) \
		fail_msg("\"%.120s...\" does not contain \"%s\"", (s), (sub)); \
} while (0)

#define assert_date(got, yy, mm, dd) do { \
	struct cal_date g_ = (got); \
	if (g_.y != (yy) || g_.m != (mm) || g_.d != (dd)) \
		fail_msg("date %d-%d-%d, want %d-%d-%d", g_.y, g_.m, g_.d, \
			 (yy), (mm), (dd)); \
} while (0)

static void assert_refs(const struct import_proposal *p,
			const char *const *want, size_t n)
{
	assert_int_equal(p->nrecs, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(p->recs[i].ref, want[i]);
}

/* Every string of a successful proposal is non-NULL text. */
static void assert_well_formed(const struct import_proposal *p)
{
	assert_non_null(p->title);
	assert_true(str_is_text(p->title, strlen(p->title)));
	assert_int_equal(p->no_recommendations, p->nrecs == 0);
	for (size_t i = 0; i < p->nrecs; i++) {
		const struct import_rec *r = &p->recs[i];
		assert_non_null(r->ref);
		assert_true(r->ref[0] != '\0' && strlen(r->ref) <= 32);
		assert_non_null(r->text);
		assert_true(str_is_text(r->text, strlen(r->text)));
		assert_non_null(r->response);
		for (size_t k = 0; k < r->nactions; k++) {
			const struct import_action *x = &r->actions[k];
			assert_non_null(x->text);
			assert_non_null(x->owner);
			assert_non_null(x->budget);
			assert_non_null(x->timescale_text);
			assert_non_null(x->progress);
		}
	}
	for (size_t i = 0; i < p->nunplaced; i++) {
		assert_true(p->unplaced[i].line >= 1);
		assert_true(p->unplaced[i].text[0] != '\0');
	}
}

/* The proposal is empty after a failure. */
static void assert_empty(const struct import_proposal *p)
{
	assert_int_equal(p->nrecs, 0);
	assert_null(p->recs);
	assert_int_equal(p->nunplaced, 0);
	assert_null(p->unplaced);
	assert_null(p->title);
	assert_int_equal(p->format, IMPORT_FORMAT_UNKNOWN);
}

/* ------------------------------------------------------------------ */
/* Seed 000: tab-separated table with HTML cells and page breaks      */

static void seed000_tsv_html(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED000);
	const struct import_proposal *p = &x.p;
	static const char *const refs[] = {
		"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
		"13", "14",
	};
	assert_well_formed(p);
	assert_int_equal(p->format, IMPORT_FORMAT_TSV);
	assert_refs(p, refs, 14);
	assert_string_equal(p->title, "Education, Children & Young People "
			    "Scrutiny Panel Review into the Protection of "
			    "Vulnerable Children");
	assert_int_equal(p->date.y, 0);
	assert_false(p->no_recommendations);
	assert_int_equal(p->nunplaced, 0);

	const struct import_rec *r = &p->recs[0];
	assert_string_equal(r->text, "That the First Option programme "
			    "continues to be supported and extended.");
	assert_prefix(r->response, "The First Option service is a key "
		      "element of the Looked After Children Placement");
	assert_int_equal(r->response_kind, IMPORT_RESP_UNKNOWN);
	assert_int_equal(r->nactions, 1);
	assert_prefix(r->actions[0].text, "The placement strategy and "
		      "accompanying project plan has four distinct");
	assert_string_equal(r->actions[0].owner, "");
	assert_string_equal(r->actions[0].budget, "");
	assert_string_equal(r->actions[0].timescale_text,
			    "Target implementation March 2011");
	assert_true(r->actions[0].timescale.has_due);
	assert_date(r->actions[0].timescale.due, 2011, 3, 31);
	assert_int_equal(r->actions[0].status, IMPORT_STATUS_NONE);

	/* <p> paragraphs kept as "\n", &amp; decoded */
	r = &p->recs[1];
	assert_contains(r->response, "made to children\u2019s social care.\n"
			"The Prevention & Early Intervention Strategy "
			"promotes early intervention");
	assert_string_equal(r->actions[0].timescale_text,
			    "Procedure refresh December 2010\n"
			    "PEIS strategy Ongoing");

	/* 3 continues across the page break, column by column */
	r = &p->recs[2];
	assert_contains(r->text, "at the Universal and Targeted stages. "
			"For example, that there is more public awareness");
	assert_suffix(r->text, "to avoid automatically referring incidents "
		      "to Social Care.");
	assert_contains(r->response, "The Prevention & Early Intervention "
			"Strategy promotes early intervention via the use");
	assert_contains(r->actions[0].text, "The delivery of the Prevention "
			"and Early intervention strategy continues");
	assert_string_equal(r->actions[0].timescale_text,
			    "Procedure refresh December 2010\n"
			    "PEIS strategy Ongoing");

	/* a numbered <p> cell */
	r = &p->recs[3];
	assert_string_equal(r->text, "That resources are made available to "
			    "provide all social work students with suitable "
			    "placements.");
	assert_string_equal(r->actions[0].timescale_text,
			    "September 2010/ Ongoing");
	assert_true(r->actions[0].timescale.has_due);
	assert_date(r->actions[0].timescale.due, 2010, 9, 30);
	assert_int_equal(r->actions[0].timescale.recurrence,
			 TS_RECUR_ONGOING);

	/* continuation row with an empty first cell */
	assert_suffix(p->recs[5].response, "The Recruitment and Retention "
		      "Strategy is looking at how to attract the best "
		      "students to Portsmouth with the limited resources "
		      "available.");
	assert_string_equal(p->recs[9].text, "That in view of the fact that "
			    "it is harder to compel teenagers to do something "
			    "against their wishes, explore and promote more "
			    "ways of engaging with them in relation to neglect "
			    "issues.");
	assert_suffix(p->recs[9].actions[0].text, "which will address this "
		      "recommendation.");

	r = &p->recs[10];
	assert_string_equal(r->actions[0].timescale_text,
			    "No agreed timescale at present.");
	assert_int_equal(r->actions[0].timescale.kind, TS_NONE);
	assert_false(r->actions[0].timescale.has_due);
	assert_contains(p->recs[11].response, "the 'CAF\u00c9' service");

	/* the last row's cells are as the council wrote them */
	r = &p->recs[13];
	assert_string_equal(r->text, "That Portsmouth City Council petitions "
			    "for national pay scales for social workers to "
			    "help with recruitment and retention.");
	assert_string_equal(r->response, "Approach Cabinet member for "
			    "Children's Services.");
	assert_string_equal(r->actions[0].text, "Immediate");
	assert_string_equal(r->actions[0].timescale_text,
			    "Within existing staff and resources");
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Seed 001: progress report                                           */

static void seed001_progress(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED001);
	const struct import_proposal *p = &x.p;
	static const char *const refs[] = {
		"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
		"13",
	};
	static const enum import_status st[] = {
		IMPORT_STATUS_IN_PROGRESS, IMPORT_STATUS_IN_PROGRESS,
		IMPORT_STATUS_COMPLETED, IMPORT_STATUS_DELAYED,
		IMPORT_STATUS_COMPLETED, IMPORT_STATUS_COMPLETED,
		IMPORT_STATUS_ONGOING, IMPORT_STATUS_ONGOING,
		IMPORT_STATUS_ONGOING, IMPORT_STATUS_ONGOING,
		IMPORT_STATUS_COMPLETED, IMPORT_STATUS_IN_PROGRESS,
		IMPORT_STATUS_ONGOING,
	};
	assert_well_formed(p);
	assert_int_equal(p->format, IMPORT_FORMAT_TSV);
	assert_refs(p, refs, 13);
	assert_string_equal(p->title, "CORPORATE PARENTING REVIEW UPDATE");
	assert_date(p->date, 2005, 4, 13);
	assert_int_equal(p->nunplaced, 0);
	for (size_t i = 0; i < 13; i++) {
		assert_int_equal(p->recs[i].nactions, 1);
		assert_int_equal(p->recs[i].actions[0].status, st[i]);
		assert_string_equal(p->recs[i].actions[0].progress, "");
		assert_string_equal(p->recs[i].response, "");
	}

	const struct import_rec *r = &p->recs[0];
	assert_prefix(r->text, "The Executive (collectively) assume "
		      "responsibility for looked after children");
	assert_suffix(r->text, "(any such reports to be no less frequently "
		      "than every six months)");
	assert_prefix(r->actions[0].text, "A report on outcomes for looked "
		      "after children will be considered by the Executive");
	/* continued over a page break in both columns */
	assert_suffix(p->recs[2].text, "(The Panel sees this as being a "
		      "recruitment and retention issue with regard to "
		      "carers)");
	assert_contains(p->recs[2].actions[0].text, "However, the number of "
			"looked after children is also going up");
	/* list items are paragraphs; the bullet characters are dropped */
	assert_contains(p->recs[5].actions[0].text, "interconnecting "
			"groups, including\ngeographically based groups\n"
			"groups focussed on particular needs");
	assert_contains(p->recs[5].actions[0].text, "Partnership "
			"Commissioning Group\nExecutive\nPortsmouth has been "
			"chosen");
	assert_contains(p->recs[10].text, "statutory intervention and/or the "
			"involvement of acute services");
	assert_contains(p->recs[10].actions[0].text, "between agencies, to "
			"give a holistic picture of his/her needs");
	/* the page's first row is 13's, but its cell starts by finishing
	 * 12's sentence: that paragraph goes back to 12 */
	assert_suffix(p->recs[11].actions[0].text, "will ensure that "
		      "services are centred around the needs of the child "
		      "and family.");
	r = &p->recs[12];
	assert_string_equal(r->text, "Policies that have an impact on "
			    "children in the city be developed in partnership "
			    "with children, young people and their families");
	assert_prefix(r->actions[0].text, "Actively involving users and "
		      "carers in planning services");
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Seed 002: Markdown pipe tables, garbled headers, mis-scanned refs   */

static void seed002_pipe(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED002);
	const struct import_proposal *p = &x.p;
	static const char *const refs[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
		"m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
	};
	assert_well_formed(p);
	assert_int_equal(p->format, IMPORT_FORMAT_PIPE);
	assert_refs(p, refs, 22);
	assert_string_equal(p->title, "CHILDREN AND LEARNING SCRUTINY PANEL "
			    "SAFEGUARDING AND CHILDREN IN CARE \u2013 ACTION "
			    "PLAN");
	assert_date(p->date, 2016, 6, 7);
	assert_int_equal(p->nunplaced, 0);

	const struct import_rec *r = &p->recs[0];
	assert_prefix(r->text, "That the Local Authority's Market Position "
		      "Statement contains detailed information");
	assert_suffix(r->text, "To seek active cooperation of providers.");
	assert_int_equal(r->nactions, 1);
	const struct import_action *a = &r->actions[0];
	assert_prefix(a->text, "The market position statement is being "
		      "reviewed");
	assert_string_equal(a->owner, "Head of Commissioning and "
			    "Procurement");
	assert_string_equal(a->budget, "N/A");
	assert_string_equal(a->timescale_text, "The revised MPS will be "
			    "complete by end September 2016");
	assert_true(a->timescale.has_due);
	assert_date(a->timescale.due, 2016, 9, 30);

	/* c) continues under a garbled header ("| sc | RUTINY ...") */
	r = &p->recs[2];
	assert_prefix(r->text, "That the Virtual School facilitates and "
		      "supports the development of a forum, whereby "
		      "designated teachers are invited");
	a = &r->actions[0];
	assert_prefix(a->text, "To provide training, advice and support to "
		      "Designated teachers for Looked After Children to "
		      "enable schools");
	assert_string_equal(a->owner, "Virtual School Headteacher for Looked "
			    "After Children");
	assert_string_equal(a->budget, "No additional cost");
	assert_string_equal(a->timescale_text, "Monthly designated teacher "
			    "forum May 16 MAP training event in June 16");

	/* "| d) | That ...": the ref in a cell of its own */
	r = &p->recs[3];
	assert_prefix(r->text, "That the Virtual School works with schools "
		      "to facilitate");
	assert_string_equal(r->actions[0].budget, "8.5K Pupil premium "
			    "funding per child");

	/* f) has sub-rows, each with its own action */
	r = &p->recs[5];
	assert_contains(r->text, "each PEP being completed electronically "
			"and the document");
	assert_contains(r->text, "\nThat each PEP details specific steps");
	assert_int_equal(r->nactions, 4);
	assert_string_equal(r->actions[0].budget, "Costing identified "
			    "through tender process (circa 10k)");
	assert_string_equal(r->actions[1].text, "SMART targets linked to "
			    "progress steps");
	assert_string_equal(r->actions[1].timescale_text, "May 16");
	assert_date(r->actions[1].timescale.due, 2016, 5, 31);

	r = &p->recs[6];
	assert_string_equal(r->actions[0].budget, "Costs to schools");
	assert_string_equal(r->actions[0].timescale_text,
			    "June \u2013 Dec 2016");
	assert_date(r->actions[0].timescale.due, 2016, 12, 31);

	r = &p->recs[7];
	assert_contains(r->text, "children in care - that a joint working "
			"protocol is developed");
	assert_string_equal(r->actions[0].owner, "Head of Placements & "
			    "Looked After Children");
	assert_string_equal(r->actions[0].budget, "No additional cost");
	assert_string_equal(p->recs[10].actions[0].owner, "Head of Placements "
			    "& Looked After Children");

	/* "I)" read as l, with "Completed" as its timescale */
	r = &p->recs[11];
	assert_string_equal(r->text, "That the Specialist Nurse for LAC "
			    "remains located in the Pathways Team.");
	assert_string_equal(r->actions[0].timescale_text, "Completed");
	assert_int_equal(r->actions[0].status, IMPORT_STATUS_COMPLETED);

	assert_contains(p->recs[13].actions[0].text, "feedback sheet for "
			"foster carers to complete to be sent to the contact "
			"team/SW's.");
	/* "0)" read as o */
	assert_prefix(p->recs[14].text, "That the Local Authority "
		      "financially invests in networking");

	r = &p->recs[18];
	assert_int_equal(r->nactions, 3);
	assert_string_equal(r->actions[1].owner, "Head of Initial Response, "
			    "Quality & Standards");
	assert_string_equal(r->actions[2].timescale_text, "29/04/2016");
	assert_date(r->actions[2].timescale.due, 2016, 4, 29);

	/* "| SC | | | PROPOSED ACTION |": the lone bullet cell is dropped */
	r = &p->recs[20];
	assert_string_equal(r->text, "That the Local Authority arranges "
			    "formal training for Councillors, which provides "
			    "an overview of the role and functions of the "
			    "corporate parent and supports them to champion "
			    "the needs and interests of children in care.");
	assert_prefix(r->actions[0].text, "Head of Democratic Services to "
		      "liaise");

	/* "V)" read as v */
	r = &p->recs[21];
	assert_string_equal(r->text, "That the Local Authority implements "
			    "practices to ensure corporate parenting "
			    "responsibilities are considered across all "
			    "services.");
	assert_string_equal(r->actions[0].owner, "Asst. Director, "
			    "Safeguarding & Children's Care");
	assert_string_equal(r->actions[0].budget, "No additional cost");
	assert_string_equal(r->actions[0].timescale_text, "September 2016");
	assert_date(r->actions[0].timescale.due, 2016, 9, 30);
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Seed 003: no recommendations                                        */

static void seed003_none(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED003);
	assert_int_equal(x.rc, 0);
	assert_well_formed(&x.p);
	assert_true(x.p.no_recommendations);
	assert_int_equal(x.p.nrecs, 0);
	assert_int_equal(x.p.nunplaced, 0);
	assert_int_equal(x.p.format, IMPORT_FORMAT_PROSE);
	assert_string_equal(x.p.title, "AMBITIOUS PLYMOUTH");
	assert_date(x.p.date, 2013, 8, 12);
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Seed 004: numbered prose with sub-parts and responses               */

static void seed004_prose(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED004);
	const struct import_proposal *p = &x.p;
	static const char *const refs[] = {
		"1(a)", "1(b)", "1(c)", "2", "3", "4(a)", "4(b)", "5(a)",
		"5(b)", "5(c)",
	};
	assert_well_formed(p);
	assert_int_equal(p->format, IMPORT_FORMAT_PROSE);
	assert_refs(p, refs, 10);
	assert_string_equal(p->title, "Recommendations from the Children's "
			    "Safeguarding Policy and Practice Advisory "
			    "Committee");
	assert_date(p->date, 2009, 11, 17);
	assert_int_equal(p->nunplaced, 0);

	/* sub-parts read with their item's lead-in */
	const struct import_rec *r = &p->recs[0];
	assert_prefix(r->text, "The Committee has seen case chronologies "
		      "which indicate");
	assert_suffix(r->text, "The Committee therefore recommends that:\n"
		      "Partner agencies who have involvement with the child "
		      "are consulted prior to the closure of a case which "
		      "has involved a core assessment having been carried "
		      "out;");
	for (size_t i = 0; i < 3; i++) {
		assert_prefix(p->recs[i].response, "The three recommendations "
			      "here are accepted and welcomed by the service");
		assert_int_equal(p->recs[i].response_kind,
				 IMPORT_RESP_ACCEPTED);
	}
	assert_suffix(p->recs[2].text, "recommends that:\nWhen any case is "
		      "closed, families are always supported in accessing "
		      "universal services such as children's centres.");

	r = &p->recs[3];
	assert_string_equal(r->text, "The Committee welcomes the new "
			    "threshold guidance for referrals that is "
			    "currently in development, and recommends that "
			    "the Council ensures that all relevant Haringey "
			    "staff and staff in partner agencies, "
			    "particularly frontline workers, are provided "
			    "with full training in its use as a priority.");
	assert_prefix(r->response, "The Threshold Document has now been "
		      "approved by the Local Safeguarding Children Board");
	assert_int_equal(r->response_kind, IMPORT_RESP_UNKNOWN);

	r = &p->recs[4];
	assert_string_equal(r->response, "This is accepted and work is "
			    "underway to explore how we can maximise our "
			    "ability to hear the views of children and young "
			    "people especially those subject to child "
			    "protection plans");
	assert_int_equal(r->response_kind, IMPORT_RESP_ACCEPTED);

	r = &p->recs[5];
	assert_contains(r->text, "the Committee therefore recommends that:\n"
			"Communication and multi-agency working between "
			"Children's Services and Adult Services is reviewed");
	assert_prefix(r->response, "There are now regular meetings between "
		      "the two relevant portfolio holders");
	assert_int_equal(r->response_kind, IMPORT_RESP_UNKNOWN);

	r = &p->recs[9];
	assert_prefix(r->text, "The Committee has seen initial and core "
		      "assessment forms");
	assert_suffix(r->text, "recommends that:\nSufficient resources are "
		      "made available by the Council to enable Children's "
		      "Services to build on work already undertaken in this "
		      "area.");
	assert_prefix(r->response, "A substantial amount of work has already "
		      "gone into redesigning some of the ICS templates");
	assert_suffix(r->response, "Again these recommendations will support "
		      "these changes.");
	for (size_t i = 0; i < p->nrecs; i++)
		assert_int_equal(p->recs[i].nactions, 0);
	done(&x);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static json_t *to_json(const struct import_proposal *p)
{
	struct sbuf sb;
	sbuf_init(&sb, 1 << 24);
	assert_int_equal(import_proposal_json(p, &sb), 0);
	json_error_t je;
	json_t *j = json_loadb(sb.buf, sb.len, 0, &je);
	if (j == NULL)
		fail_msg("not JSON: %s", je.text);
	sbuf_release(&sb);
	return j;
}

static const char *jget_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", k);
	return json_string_value(v);
}

static void json_shape(void **state)
{
	(void)state;
	struct parsed x;
	parse_seed(&x, SEED002);
	json_t *j = to_json(&x.p);
	assert_true(json_is_object(j));
	assert_int_equal(json_object_size(j), 6);
	assert_string_equal(jget_str(j, "format"), "pipe");
	assert_prefix(jget_str(j, "title"), "CHILDREN AND LEARNING");
	assert_string_equal(jget_str(j, "date"), "2016-06-07");
	assert_true(json_is_false(json_object_get(j, "no_recommendations")));
	json_t *recs = json_object_get(j, "recommendations");
	assert_true(json_is_array(recs));
	assert_int_equal(json_array_size(recs), 22);
	json_t *r = json_array_get(recs, 0);
	assert_int_equal(json_object_size(r), 5);
	assert_string_equal(jget_str(r, "ref"), "a");
	assert_prefix(jget_str(r, "text"), "That the Local Authority's");
	assert_true(json_is_null(json_object_get(r, "response_kind")));
	assert_string_equal(jget_str(r, "response"), "");
	json_t *acts = json_object_get(r, "actions");
	assert_true(json_is_array(acts));
	assert_int_equal(json_array_size(acts), 1);
	json_t *a = json_array_get(acts, 0);
	assert_int_equal(json_object_size(a), 6);
	assert_string_equal(jget_str(a, "owner"), "Head of Commissioning "
			    "and Procurement");
	assert_string_equal(jget_str(a, "budget"), "N/A");
	assert_true(json_is_null(json_object_get(a, "status")));
	assert_string_equal(jget_str(a, "progress"), "");
	json_t *ts = json_object_get(a, "timescale");
	assert_int_equal(json_object_size(ts), 4);
	assert_string_equal(jget_str(ts, "due"), "2016-09-30");
	assert_true(json_is_null(json_object_get(ts, "recurrence")));
	assert_true(json_is_null(json_object_get(ts, "start")));
	assert_prefix(jget_str(ts, "text"), "The revised MPS");
	/* l) is completed */
	a = json_array_get(json_object_get(json_array_get(recs, 11),
					   "actions"), 0);
	assert_string_equal(jget_str(a, "status"), "completed");
	/* k) recurs annually, with no due date */
	ts = json_object_get(json_array_get(json_object_get(
		json_array_get(recs, 10), "actions"), 0), "timescale");
	assert_true(json_is_null(json_object_get(ts, "due")));
	assert_string_equal(jget_str(ts, "recurrence"), "annually");
	json_t *unp = json_object_get(j, "unplaced");
	assert_true(json_is_array(unp));
	assert_int_equal(json_array_size(unp), 0);
	json_decref(j);
	done(&x);

	/* 004: response kinds by name */
	parse_seed(&x, SEED004);
	j = to_json(&x.p);
	assert_string_equal(jget_str(j, "format"), "prose");
	r = json_array_get(json_object_get(j, "recommendations"), 4);
	assert_string_equal(jget_str(r, "ref"), "3");
	assert_string_equal(jget_str(r, "response_kind"), "accepted");
	json_decref(j);
	done(&x);

	/* 003: none, reported as such */
	parse_seed(&x, SEED003);
	j = to_json(&x.p);
	assert_true(json_is_true(json_object_get(j, "no_recommendations")));
	assert_int_equal(json_array_size(json_object_get(j,
				"recommendations")), 0);
	assert_string_equal(jget_str(j, "date"), "2013-08-12");
	json_decref(j);
	done(&x);
}

static void json_unplaced_and_limits(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Recommendation\tResponse\nstray\tbefore any\n"
		"1. That it is done.\tYes.\nPage 1 of 2\n");
	assert_int_equal(x.rc, 0);
	json_t *j = to_json(&x.p);
	json_t *unp = json_object_get(j, "unplaced");
	assert_int_equal(json_array_size(unp), 2);
	json_t *u = json_array_get(unp, 0);
	assert_int_equal(json_integer_value(json_object_get(u, "line")), 2);
	assert_string_equal(jget_str(u, "text"), "stray | before any");
	u = json_array_get(unp, 1);
	assert_int_equal(json_integer_value(json_object_get(u, "line")), 4);
	assert_string_equal(jget_str(u, "text"), "Page 1 of 2");
	assert_true(json_is_null(json_object_get(j, "date")));
	json_decref(j);

	/* a full buffer fails and leaves it as it was */
	struct sbuf sb;
	sbuf_init(&sb, 16);
	assert_int_equal(import_proposal_json(&x.p, &sb), -1);
	assert_int_equal(sb.len, 0);
	sbuf_release(&sb);
	done(&x);

	/* the empty proposal of a failure still writes */
	parse_s(&x, "");
	assert_int_equal(x.rc, -1);
	j = to_json(&x.p);
	assert_true(json_is_null(json_object_get(j, "format")));
	assert_string_equal(jget_str(j, "title"), "");
	json_decref(j);
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

static void expect_error(const char *doc, size_t n, const char *want)
{
	struct parsed x;
	parse_n(&x, doc, n);
	assert_int_equal(x.rc, -1);
	assert_empty(&x.p);
	size_t m = strnlen(x.e.msg, sizeof(x.e.msg));
	assert_true(m > 0 && m < sizeof(x.e.msg));
	assert_true(str_is_text(x.e.msg, m));
	assert_contains(x.e.msg, want);
	/* never the document's own text */
	assert_null(strstr(x.e.msg, "SECRET"));
	done(&x);
}

static void bad_input(void **state)
{
	(void)state;
	expect_error("", 0, "empty");
	expect_error(NULL, 0, "empty");
	expect_error(" \n\t\r\n  \xc2\xa0 \r\n\f", 13, "white space");
	expect_error("SECRET\0Recommendation", 21, "NUL");
	expect_error("SECRET \x01 text", 13, "control characters");
	expect_error("SECRET \xff text", 13, "UTF-8");
	expect_error("SECRET \xc0\xaf", 9, "UTF-8");       /* overlong */
	expect_error("SECRET \xed\xa0\x80", 10, "UTF-8");  /* surrogate */
	expect_error("SECRET \xe2\x80", 9, "UTF-8");       /* truncated */

	/* one byte over the limit; the limit itself is fine */
	size_t n = IMPORT_MAX_BYTES + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	expect_error(big, n, "larger than");
	struct parsed x;
	parse_n(&x, big, n - 1);
	assert_int_equal(x.rc, 0);
	assert_true(x.p.no_recommendations);
	done(&x);
	free(big);

	/* an arena too small for the document */
	size_t dn;
	char *doc = slurp(SEED002, &dn);
	struct arena *a = arena_new(4096);
	struct import_proposal p;
	struct import_error e;
	assert_int_equal(import_parse(a, doc, dn, &p, &e), -1);
	assert_empty(&p);
	assert_contains(e.msg, "too complex");
	arena_free(a);
	/* err may be NULL */
	a = arena_new(ARENA);
	assert_int_equal(import_parse(a, "", 0, &p, NULL), -1);
	assert_int_equal(import_parse(a, doc, dn, &p, NULL), 0);
	assert_int_equal(p.nrecs, 22);
	arena_free(a);
	free(doc);
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static void ragged_rows(void **state)
{
	(void)state;
	/* two of three rows carry 5 and 4 cells more than the header's 4 */
	struct parsed x;
	parse_s(&x, "Plan\n\nRecommendation\tResponse\tAction\tTimescale\n"
		"1. That a\tb\tc\td\te\tf\tg\th\ti\n"
		"2. That x\ty\tz\tMarch 2011\n"
		"3. That q\ta\tb\tc\td\te\tf\tg\n");
	assert_int_equal(x.rc, -1);
	assert_empty(&x.p);
	assert_int_equal(x.e.line, 4);
	assert_contains(x.e.msg, "ragged beyond repair");
	done(&x);

	/* one ragged row of four is unplaced, not fatal */
	parse_s(&x, "Recommendation\tResponse\tAction\tTimescale\n"
		"1. That a\tb\tc\td\te\tf\tg\th\ti\n"
		"2. That x\ty\tz\tMarch 2011\n"
		"3. That q\ta\tb\tMay 2012\n"
		"4. That r\ta\tb\tJune 2013\n");
	assert_int_equal(x.rc, 0);
	static const char *const refs[] = {"2", "3", "4"};
	assert_refs(&x.p, refs, 3);
	assert_int_equal(x.p.nunplaced, 1);
	assert_int_equal(x.p.unplaced[0].line, 2);
	assert_string_equal(x.p.unplaced[0].text,
			    "1. That a | b | c | d | e | f | g | h | i");
	done(&x);

	/* two extra cells are repaired: a stray tab inside a sentence and
	 * an empty cell; a short row is padded; trailing empties ignored */
	parse_s(&x, "Recommendation\tResponse\tAction\tTimescale\n"
		"1. That a.\tThe CAF\t' service works.\tAct.\t\tMay 2012\n"
		"2. That b.\tResp.\n"
		"3. That c.\tR.\tA.\tJune 2013\t\t\t\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 3);
	assert_int_equal(x.p.nunplaced, 0);
	assert_string_equal(x.p.recs[0].response, "The CAF ' service works.");
	assert_string_equal(x.p.recs[0].actions[0].text, "Act.");
	assert_string_equal(x.p.recs[0].actions[0].timescale_text,
			    "May 2012");
	assert_string_equal(x.p.recs[1].response, "Resp.");
	assert_int_equal(x.p.recs[1].nactions, 0);
	assert_string_equal(x.p.recs[2].actions[0].timescale_text,
			    "June 2013");
	done(&x);
}

/* The heading vocabulary (issue 12): an inspection plan's headings, a
 * rating's words and letters, an "Agreed" column's Yes and No, and a
 * column to whom a recommendation is made kept, not read as it. */
static void heading_vocabulary(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Ofsted recommendation\tAction\tAccountability\tTimetable"
		"\tRAG\n"
		"1. Improve plans.\tTrain staff.\tHead of Service\tJune 2025"
		"\tGreen\n"
		"2. Improve visits.\tAudit visits.\tTeam Manager\tMay 2025"
		"\tA\n"
		"3. Improve records.\tNew policy.\tPrincipal Social Worker"
		"\tMarch 2025\tB\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 3);
	const struct import_action *a = &x.p.recs[0].actions[0];
	assert_string_equal(a->owner, "Head of Service");
	assert_string_equal(a->timescale_text, "June 2025");
	assert_int_equal(a->status, IMPORT_STATUS_IN_PROGRESS);
	assert_int_equal(x.p.recs[1].actions[0].status, IMPORT_STATUS_DELAYED);
	assert_int_equal(x.p.recs[2].actions[0].status,
			 IMPORT_STATUS_COMPLETED);
	done(&x);

	parse_s(&x, "| No. | Recommendation | Recommendation made to | Agreed |"
		" Action | Lead officer |\n"
		"| 1 | That a map is kept. | The Partnership | Yes | Map it. |"
		" Manager |\n"
		"| 2 | That b is done. | Cabinet | No | None. | Director |\n"
		"| 3 | That c is done. | Cabinet | Partially agreed | Some. |"
		" Director |\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 3);
	assert_string_equal(x.p.recs[0].text, "That a map is kept.");
	assert_int_equal(x.p.recs[0].response_kind, IMPORT_RESP_ACCEPTED);
	assert_int_equal(x.p.recs[1].response_kind, IMPORT_RESP_NOT_ACCEPTED);
	assert_int_equal(x.p.recs[2].response_kind, IMPORT_RESP_PARTLY);
	assert_string_equal(x.p.recs[0].actions[0].owner, "Manager");
	/* the addressee is kept with the action, not lost */
	assert_non_null(strstr(x.p.recs[0].actions[0].text, "The Partnership"));
	done(&x);
}

/* Minutes: "RESOLVED:" introduces the list, and the decision's
 * boilerplate after it ends the last item (issue 12). */
static void minutes_resolved(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "MINUTES of the Cabinet\n\n"
		"7. SCRUTINY REVIEW OF FOSTERING\n\n"
		"RESOLVED:\n"
		"1. That the fostering allowances are reviewed.\n"
		"2. That a progress report is brought in six months.\n\n"
		"Reason for decision: to respond to the review.\n"
		"Contact officer: Synthetic Officer, Tel: 01632 960123\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[1].text,
			    "That a progress report is brought in six months.");
	done(&x);
	/* a heading with the word in it cues the list too */
	parse_s(&x, "Report\n\n2. Summary of recommendations\n\n"
		"1. That a is done.\n2. That b is done.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	done(&x);
}

/* Issue 12: the document's own references are kept (R1, R3.1, 1.2,
 * 2(b), 3(ii)); a plan with no recommendation column reads its action
 * column as what each row recommends. */
static void own_references(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Report\n\n2. Summary of recommendations\n\n"
		"R1 That a is done.\nResponse: Accepted.\n"
		"Lead officer: Head of A\n\n"
		"R2 That b is done.\n\n"
		"R3.1 That c is done.\n\nR3.2 That d is done.\n\n"
		"R4 That e is done.\n\n3. Next steps\n\nR5 is not here.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 5);
	assert_string_equal(x.p.recs[0].ref, "R1");
	assert_string_equal(x.p.recs[0].text, "That a is done.");
	assert_int_equal(x.p.recs[0].response_kind, IMPORT_RESP_ACCEPTED);
	assert_string_equal(x.p.recs[0].actions[0].owner, "Head of A");
	assert_string_equal(x.p.recs[2].ref, "R3.1");
	assert_string_equal(x.p.recs[3].ref, "R3.2");
	assert_string_equal(x.p.recs[4].ref, "R4");
	done(&x);
	/* roman sub-parts, and "(i)" a numeral unless "(h)" came before */
	parse_s(&x, "Recommendations\n\n1) That a:\n(i) first;\n"
		"(ii) second.\n2) That b:\na) one;\nb) two.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 4);
	assert_string_equal(x.p.recs[0].ref, "1(i)");
	assert_string_equal(x.p.recs[1].ref, "1(ii)");
	assert_string_equal(x.p.recs[3].ref, "2(b)");
	done(&x);
	/* a Ref column's 1.2 stays 1.2; no recommendation column */
	parse_s(&x, "Ref\tRecommended action\tLead officer\tTarget date\n"
		"1.1\tPublish a strategy.\tDirector\tMarch 2025\n"
		"1.2\tAgree a board.\tDirector\tApril 2025\n"
		"2.1\tTrain the staff.\tManager\tMay 2025\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 3);
	assert_string_equal(x.p.recs[1].ref, "1.2");
	assert_string_equal(x.p.recs[1].text, "Agree a board.");
	assert_string_equal(x.p.recs[2].ref, "2.1");
	assert_string_equal(x.p.recs[2].actions[0].owner, "Manager");
	done(&x);
	/* "AFI 1" in a Ref column; one column for the recommendation and
	 * its response, the actions in rows beneath */
	parse_s(&x, "Ref\tArea for improvement\tAction\tLead\n"
		"AFI 1\tThe quality of a.\tDo a.\tHead of A\n"
		"AFI 2\tThe timeliness of b.\tDo b.\tHead of B\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[1].ref, "AFI 2");
	assert_string_equal(x.p.recs[1].text, "The timeliness of b.");
	done(&x);
	parse_s(&x, "| Recommendation and Cabinet response | Action | Lead |\n"
		"|---|---|---|\n"
		"| **R1** That a is done.<br>**Response:** Not agreed. No "
		"money. | | |\n"
		"| | Review a. | Head of A |\n"
		"| | Report on a. | Head of B |\n"
		"| **R2** That b is done.<br>**Response:** Agreed. | | |\n"
		"| | Do b. | Head of B |\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[0].ref, "R1");
	assert_string_equal(x.p.recs[0].text, "That a is done.");
	assert_string_equal(x.p.recs[0].response, "Not agreed. No money.");
	assert_int_equal(x.p.recs[0].response_kind, IMPORT_RESP_NOT_ACCEPTED);
	assert_int_equal(x.p.recs[0].nactions, 2);
	assert_string_equal(x.p.recs[0].actions[1].owner, "Head of B");
	assert_int_equal(x.p.recs[1].response_kind, IMPORT_RESP_ACCEPTED);
	done(&x);
	/* an owner written over two lines of its cell is one line */
	parse_s(&x, "Ref\tRecommendation\tOwner\n"
		"1\tThat a.\t<p>Head of Service,</p><p>Front Door</p>\n");
	assert_int_equal(x.p.nrecs, 1);
	assert_string_equal(x.p.recs[0].actions[0].owner,
			    "Head of Service, Front Door");
	done(&x);
	/* a meeting's date is a column of its own, not the timescale */
	parse_s(&x, "Ref\tRecommendation\tMeeting date\tTarget date\n"
		"1\tThat a.\t12 March 2025\tJune 2025\n");
	assert_int_equal(x.p.nrecs, 1);
	assert_string_equal(x.p.recs[0].actions[0].timescale_text,
			    "June 2025");
	assert_non_null(strstr(x.p.recs[0].actions[0].text,
			       "Meeting date: 12 March 2025"));
	done(&x);
	/* a table of something else (no reference, owner or date) is not a
	 * plan because it has an action column */
	parse_s(&x, "Theme\tAction\nA\tDo a.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 0);
	done(&x);
}

/* Issue 12: tables that lost their delimiters in a PDF (import_reflow.c):
 * one cell per line, cells wrapped over lines, columns side by side;
 * the page's furniture is unplaced at its own line. */
static void pdf_text_tables(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Plan\n\nRecommendation\nResponse\nLead officer\n"
		"Target date\n"
		"1. That a is done.\nAccepted.\nHead of A\nMay 2025\n"
		"2. That b is done.\nNot accepted.\nHead of B\nImmediate\n"
		"\nPage 1 of 2\n\nRecommendation\nResponse\nLead officer\n"
		"Target date\n"
		"3. That c is done.\nAccepted.\nHead of C\nJune 2025\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 3);
	assert_string_equal(x.p.recs[1].text, "That b is done.");
	assert_int_equal(x.p.recs[1].response_kind, IMPORT_RESP_NOT_ACCEPTED);
	assert_string_equal(x.p.recs[2].actions[0].owner, "Head of C");
	assert_string_equal(x.p.recs[2].actions[0].timescale_text,
			    "June 2025");
	assert_int_equal(x.p.nunplaced, 1);
	assert_int_equal(x.p.unplaced[0].line, 16);
	assert_string_equal(x.p.unplaced[0].text, "Page 1 of 2");
	done(&x);
	/* cells wrapped over several lines: divided where a sentence ends
	 * and a one-line owner and date close the row */
	parse_s(&x, "Recommendation\nAction taken\nResponsible officer\n"
		"Timetable\n"
		"1. That the Council publishes clear\n"
		"Eligibility Criteria for the Disabled\n"
		"Children's Team, agreed with parents.\n"
		"Criteria written with the Parent Carer\n"
		"Forum and published.\nService Manager\nCompleted\n"
		"2. That breaks are offered.\nOffered since May.\n"
		"Commissioner\nDecember 2025\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[0].text, "That the Council publishes "
			    "clear Eligibility Criteria for the Disabled "
			    "Children's Team, agreed with parents.");
	assert_string_equal(x.p.recs[0].actions[0].text, "Criteria written "
			    "with the Parent Carer Forum and published.");
	assert_string_equal(x.p.recs[0].actions[0].owner, "Service Manager");
	assert_int_equal(x.p.recs[0].actions[0].status,
			 IMPORT_STATUS_COMPLETED);
	done(&x);
	/* columns side by side (pdftotext -layout) */
	parse_s(&x, "Report\n\n"
		"No  Recommendation          Response     Lead officer   Timescale\n"
		"\n"
		"1   That the campaign       Agreed.      Recruitment    May 2025\n"
		"    targets teenagers.                   Manager\n"
		"\n"
		"2   That fees are           Not agreed.  Head of        Annually\n"
		"    benchmarked.                         Fostering\n"
		"\n"
		"                                                  Page 3\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[0].ref, "1");
	assert_string_equal(x.p.recs[0].text,
			    "That the campaign targets teenagers.");
	assert_string_equal(x.p.recs[0].actions[0].owner,
			    "Recruitment Manager");
	assert_string_equal(x.p.recs[1].actions[0].owner, "Head of Fostering");
	assert_int_equal(x.p.recs[1].response_kind, IMPORT_RESP_NOT_ACCEPTED);
	assert_int_equal(x.p.nunplaced, 1);
	assert_int_equal(x.p.unplaced[0].line, 11);
	done(&x);
	/* a row broken by a page: the header again, then the rest */
	parse_s(&x, "No  Recommendation          Response     Timescale\n"
		"\n"
		"1   That the campaign       Agreed.      May 2025\n"
		"    targets teenagers and\n"
		"\n"
		"                    Page 1 of 2\n"
		"\fNo  Recommendation          Response     Timescale\n"
		"\n"
		"    sibling groups.\n"
		"\n"
		"2   That fees are           Agreed.      Annually\n"
		"    benchmarked.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 2);
	assert_string_equal(x.p.recs[0].text, "That the campaign targets "
			    "teenagers and sibling groups.");
	assert_string_equal(x.p.recs[1].text, "That fees are benchmarked.");
	assert_int_equal(x.p.nunplaced, 1);
	assert_string_equal(x.p.unplaced[0].text, "Page 1 of 2");
	done(&x);
}

/* Issue 12: a document in which nothing is found says what it looked
 * like and why nothing matched. */
static void never_silent(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Plan\n\nTheme\tLead officer\tTarget date\n"
		"A\tHead of A\tMay 2025\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 0);
	assert_int_equal(x.p.survey.lines, 3);
	assert_int_equal(x.p.survey.table_rows, 2);
	assert_int_equal(x.p.survey.table_line, 3);
	assert_non_null(strstr(x.p.survey.why, "line 3 has no column for "
			       "the recommendations"));
	assert_int_equal(x.p.survey.nheadings, 1);
	assert_string_equal(x.p.survey.headings[0], "Plan");
	assert_string_equal(x.p.survey.first[1], "Theme Lead officer Target "
			    "date");
	done(&x);
	parse_s(&x, "# Our plan\n\nDate: 1 May 2025\n\n1. That a is done.\n"
		"2. That b is done.\n");
	assert_int_equal(x.p.nrecs, 0);
	assert_int_equal(x.p.survey.list_line, 5);
	assert_non_null(strstr(x.p.survey.why, "line 5 is not introduced"));
	/* a "Label:" line is not a heading */
	assert_int_equal(x.p.survey.nheadings, 1);
	done(&x);
	parse_s(&x, "Just a letter.\nNothing here is a plan.\n");
	assert_int_equal(x.p.nrecs, 0);
	assert_non_null(strstr(x.p.survey.why, "no table of recommendations"));
	assert_int_equal(x.p.survey.nfirst, 2);
	done(&x);
	/* a long first line is cut, on a character's start */
	char doc[400];
	memset(doc, 'a', sizeof(doc));
	memcpy(doc + 110, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);
	doc[sizeof(doc) - 1] = '\0';
	parse_s(&x, doc);
	assert_true(strlen(x.p.survey.first[0]) <= IMPORT_SURVEY_TEXT);
	assert_non_null(strstr(x.p.survey.first[0], "..."));
	done(&x);
	/* a section number alone on its line (found by the fuzzer: read
	 * past the line's end) */
	parse_s(&x, "Report\n\n4.   \n\n1. That a.\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 0);
	assert_int_equal(x.p.survey.list_line, 5);
	done(&x);
	/* found recommendations: no survey */
	parse_s(&x, "Recommendations\n\n1. That a.\n");
	assert_int_equal(x.p.nrecs, 1);
	assert_null(x.p.survey.why);
	done(&x);
}

static void crlf_lines(void **state)
{
	(void)state;
	size_t n;
	char *doc = slurp(SEED000, &n);
	char *crlf = malloc(2 * n + 1), *cr = malloc(n + 1);
	assert_non_null(crlf);
	assert_non_null(cr);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (doc[i] == '\n')
			crlf[m++] = '\r';
		crlf[m++] = doc[i];
		cr[i] = doc[i] == '\n' ? '\r' : doc[i];
	}
	const char *const docs[] = {crlf, cr};
	const size_t lens[] = {m, n};
	for (size_t k = 0; k < 2; k++) {
		struct parsed x;
		parse_n(&x, docs[k], lens[k]);
		assert_int_equal(x.rc, 0);
		assert_well_formed(&x.p);
		assert_int_equal(x.p.nrecs, 14);
		assert_null(strchr(x.p.title, '\r'));
		assert_string_equal(x.p.recs[0].actions[0].timescale_text,
				    "Target implementation March 2011");
		assert_contains(x.p.recs[2].text, "stages. For example, that");
		assert_string_equal(x.p.recs[13].actions[0].timescale_text,
				    "Within existing staff and resources");
		for (size_t i = 0; i < x.p.nrecs; i++)
			assert_null(strchr(x.p.recs[i].text, '\r'));
		done(&x);
	}
	free(crlf);
	free(cr);
	free(doc);
}

static void page_break_continuation(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "| No. | Recommendation | Owner | Budget | Timescale |\n"
		"|---|---|---|---|---|\n"
		"| 1 | That the council reviews the | Head of | Nil | "
		"Monthly |\n"
		"\n"
		"Page 1\n"
		"\n"
		"| No. | Recommendation | Owner | Budget | Timescale |\n"
		"|---|---|---|---|---|\n"
		"| | placement strategy. | Children's Services | | from "
		"May 2016 |\n"
		"| 2 | That a forum meets. | Head of Service | \u00a35,000 "
		"| 30/06/2016 |\n");
	assert_int_equal(x.rc, 0);
	static const char *const refs[] = {"1", "2"};
	assert_refs(&x.p, refs, 2);
	const struct import_rec *r = &x.p.recs[0];
	assert_string_equal(r->text, "That the council reviews the placement "
			    "strategy.");
	assert_int_equal(r->nactions, 1);
	assert_string_equal(r->actions[0].owner, "Head of Children's "
			    "Services");
	assert_string_equal(r->actions[0].budget, "Nil");
	assert_string_equal(r->actions[0].timescale_text,
			    "Monthly from May 2016");
	assert_int_equal(r->actions[0].timescale.recurrence,
			 TS_RECUR_MONTHLY);
	r = &x.p.recs[1];
	assert_string_equal(r->actions[0].budget, "\u00a35,000");
	assert_date(r->actions[0].timescale.due, 2016, 6, 30);
	/* the footer between the tables is unplaced */
	assert_int_equal(x.p.nunplaced, 1);
	assert_int_equal(x.p.unplaced[0].line, 5);
	assert_string_equal(x.p.unplaced[0].text, "Page 1");
	done(&x);
}

static void cleanup_rules(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "\xef\xbb\xbfRecommendation\tResponse\n"
		"<p><b>1. That</b> A &amp; B &lt;5&gt; &quot;q&quot; "
		"&#39;x&#39; &nbsp;y &#8211; z &#x2014; &#0; &bogus; "
		"<unknown> <5 days</p>\t"
		"<ul style=\"x\"><li>\u2022 one</li><li>two</li></ul>"
		"<p>three\u00a0\u00a0 four\u200b</p> \xef\x82\xb7 five \u2022\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.nrecs, 1);
	assert_string_equal(x.p.recs[0].text, "That A & B <5> \"q\" 'x' y "
			    "\u2013 z \u2014 &#0; &bogus; <unknown> <5 days");
	assert_string_equal(x.p.recs[0].response, "one\ntwo\nthree four\n"
			    "five");
	done(&x);
}

static void refs_and_misscans(void **state)
{
	(void)state;
	struct parsed x;
	/* letters run on; capitals, "1)" for l and "0)" for o repaired */
	parse_s(&x, "| Recommendation | Action |\n|--|--|\n"
		"| h) That h. | x |\n| i) That i. | x |\n| J) That j. | x |\n"
		"| k) That k. | x |\n| 1) That l. | x |\n| m) That m. | x |\n"
		"| n) That n. | x |\n| 0) That o. | x |\n"
		"| (p) That p. | x |\n| q. That q. | x |\n");
	assert_int_equal(x.rc, 0);
	static const char *const refs[] = {
		"h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
	};
	assert_refs(&x.p, refs, 10);
	assert_string_equal(x.p.recs[4].text, "That l.");
	done(&x);

	/* numbers in their forms, and a REF column */
	parse_s(&x, "Ref\tRecommendation\tResponse\n"
		"1.\tThat one.\tAgreed.\n"
		"(2)\tThat two.\tNot accepted: no money.\n"
		"Recommendation 3\tThat three.\tPartially accepted.\n"
		"4(a)\tThat four a.\tWe accept this.\n"
		"5\tThat five.\tNoted.\n");
	assert_int_equal(x.rc, 0);
	static const char *const nrefs[] = {"1", "2", "3", "4(a)", "5"};
	assert_refs(&x.p, nrefs, 5);
	assert_string_equal(x.p.recs[0].text, "That one.");
	assert_int_equal(x.p.recs[0].response_kind, IMPORT_RESP_ACCEPTED);
	assert_int_equal(x.p.recs[1].response_kind,
			 IMPORT_RESP_NOT_ACCEPTED);
	assert_int_equal(x.p.recs[2].response_kind, IMPORT_RESP_PARTLY);
	assert_int_equal(x.p.recs[3].response_kind, IMPORT_RESP_ACCEPTED);
	assert_int_equal(x.p.recs[4].response_kind, IMPORT_RESP_UNKNOWN);
	done(&x);
}

static void unnumbered_and_status_words(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "Recommendation\tComments\tRAG Status\tLead officer\n"
		"That the plan is written.\tDraft done.\tIn Progress - draft "
		"with Cabinet\tHead of Service\n"
		"That carers are thanked.\t\tCOMPLETED\tDirector\n"
		"That a forum meets.\t\tnot started\t\n");
	assert_int_equal(x.rc, 0);
	static const char *const refs[] = {"1", "2", "3"};
	assert_refs(&x.p, refs, 3);
	const struct import_action *a = &x.p.recs[0].actions[0];
	assert_int_equal(a->status, IMPORT_STATUS_IN_PROGRESS);
	assert_string_equal(a->progress, "draft with Cabinet\nDraft done.");
	assert_string_equal(a->owner, "Head of Service");
	assert_int_equal(x.p.recs[1].actions[0].status,
			 IMPORT_STATUS_COMPLETED);
	assert_int_equal(x.p.recs[2].actions[0].status,
			 IMPORT_STATUS_NOT_STARTED);
	done(&x);

	/* a table with no recommendation column is not a table */
	parse_s(&x, "Measure\tTarget\tActual\nCIN\t300\t345\n");
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.format, IMPORT_FORMAT_PROSE);
	assert_true(x.p.no_recommendations);
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Prose                                                               */

static void prose_labels(void **state)
{
	(void)state;
	struct parsed x;
	parse_s(&x, "# Review of fostering\n\nDate: 3 March 2020\n\n"
		"The panel recommends that:\n\n"
		"1. The council recruits more carers.\n"
		"Response: Accepted. A campaign will run.\n"
		"Owner: Head of Fostering\n"
		"Timescale: March 2021\n"
		"Budget: \u00a320,000\n"
		"2. The council thanks its carers.\n\n"
		"Background\n\n"
		"Some commentary that is not imported.\n\n"
		"Recommendation 2: Not accepted at this time.\n"
		"Recommendation 7: There is no such recommendation.\n");
	assert_int_equal(x.rc, 0);
	assert_string_equal(x.p.title, "Review of fostering");
	assert_date(x.p.date, 2020, 3, 3);
	static const char *const refs[] = {"1", "2"};
	assert_refs(&x.p, refs, 2);
	const struct import_rec *r = &x.p.recs[0];
	assert_string_equal(r->text, "The council recruits more carers.");
	assert_string_equal(r->response, "Accepted. A campaign will run.");
	assert_int_equal(r->response_kind, IMPORT_RESP_ACCEPTED);
	assert_int_equal(r->nactions, 1);
	assert_string_equal(r->actions[0].owner, "Head of Fostering");
	assert_string_equal(r->actions[0].budget, "\u00a320,000");
	assert_date(r->actions[0].timescale.due, 2021, 3, 31);
	r = &x.p.recs[1];
	assert_string_equal(r->text, "The council thanks its carers.");
	assert_string_equal(r->response, "Not accepted at this time.");
	assert_int_equal(r->response_kind, IMPORT_RESP_NOT_ACCEPTED);
	assert_int_equal(x.p.nunplaced, 1);
	assert_int_equal(x.p.unplaced[0].line, 19);
	assert_string_equal(x.p.unplaced[0].text, "Recommendation 7: There "
			    "is no such recommendation.");
	done(&x);

	/* "Recommendation N:" items with no cue */
	parse_s(&x, "Scrutiny report\n\n"
		"Recommendation 1: That the council acts.\n\n"
		"Recommendation 2: That it reports back.\n");
	assert_int_equal(x.rc, 0);
	assert_refs(&x.p, refs, 2);
	assert_string_equal(x.p.recs[1].text, "That it reports back.");
	assert_string_equal(x.p.title, "Scrutiny report");
	done(&x);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

static void names(void **state)
{
	(void)state;
	static const char *const st[] = {
		"not-started", "in-progress", "delayed", "ongoing",
		"completed", "superseded",
	};
	assert_null(import_status_name(IMPORT_STATUS_NONE));
	assert_null(import_status_name((enum import_status)99));
	for (int i = 1; i <= IMPORT_STATUS_SUPERSEDED; i++) {
		enum import_status s;
		assert_string_equal(import_status_name((enum import_status)i),
				    st[i - 1]);
		assert_true(import_status_from_name(st[i - 1], &s));
		assert_int_equal(s, i);
	}
	enum import_status s = IMPORT_STATUS_DELAYED;
	assert_false(import_status_from_name("Completed", &s));
	assert_false(import_status_from_name(NULL, &s));
	assert_int_equal(s, IMPORT_STATUS_DELAYED);

	static const char *const rs[] = {
		"accepted", "partly-accepted", "not-accepted",
	};
	assert_null(import_response_name(IMPORT_RESP_UNKNOWN));
	for (int i = 1; i <= IMPORT_RESP_NOT_ACCEPTED; i++) {
		enum import_response r;
		assert_string_equal(
			import_response_name((enum import_response)i),
			rs[i - 1]);
		assert_true(import_response_from_name(rs[i - 1], &r));
		assert_int_equal(r, i);
	}
	enum import_response r;
	assert_false(import_response_from_name("unknown", &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed000_tsv_html),
		cmocka_unit_test(seed001_progress),
		cmocka_unit_test(seed002_pipe),
		cmocka_unit_test(seed003_none),
		cmocka_unit_test(seed004_prose),
		cmocka_unit_test(json_shape),
		cmocka_unit_test(json_unplaced_and_limits),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(ragged_rows),
		cmocka_unit_test(heading_vocabulary),
		cmocka_unit_test(minutes_resolved),
		cmocka_unit_test(own_references),
		cmocka_unit_test(pdf_text_tables),
		cmocka_unit_test(never_silent),
		cmocka_unit_test(crlf_lines),
		cmocka_unit_test(page_break_continuation),
		cmocka_unit_test(cleanup_rules),
		cmocka_unit_test(refs_and_misscans),
		cmocka_unit_test(unnumbered_and_status_words),
		cmocka_unit_test(prose_labels),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
