/*
 * import: read an action plan or progress report, as plain text, and
 * propose its structure: numbered recommendations with their response,
 * actions (owner, budget, timescale, status) and progress comments.
 *
 * Purpose.  Councils keep scrutiny action plans in word-processed
 * tables.  Exported to text they arrive in a few shapes (the five seeds
 * in tests/seeds/ are one of each):
 *   - tab-separated tables whose cells may hold HTML fragments (<p>,
 *     <b>, <ul><li>), with the header row repeated after each page break
 *     and a cell that continues in the next page's first row (seeds 000,
 *     001);
 *   - Markdown pipe tables with the same page-break continuations and
 *     mis-scanned reference letters ("I)" for l, "0)" for o, "V)" for v;
 *     seed 002);
 *   - numbered recommendations in prose with lettered sub-parts, and the
 *     responses given later under "Recommendation N." (seed 004);
 *   - a report with no recommendations at all (seed 003), reported as
 *     such and not forced into rows.
 * Nothing is dropped silently: text that could not be placed is listed
 * in unplaced[].
 *
 * This module only proposes.  It never touches the store; a person
 * reviews the proposal (page or `cairn scrutiny import --dry-run`)
 * before scrutiny.c saves it.
 *
 * Rules.  These are the decisions the seeds forced; import_test.c pins
 * each one down.
 *  - Format.  The first line that is a table header (below) makes the
 *    document a table, tab-separated or pipe ("| a | b |"); otherwise it
 *    is read as prose.  A document with tabs or pipes but no header
 *    naming a recommendation column is prose, not a table.  A document
 *    with neither may hold a table that lost its delimiters in a PDF:
 *    one cell per line, or columns side by side; import_reflow.c
 *    rebuilds it as tab-separated rows, line for line, and it is read
 *    as a table (see there for how its rows and cells are found).
 *  - Preamble.  Everything before the first header row (tables) or the
 *    first recommendation (prose), or the whole document when there is
 *    none.  It is never unplaced; its first 100 non-blank lines give:
 *    the title (a "Title:"/"Report title:"/"Subject:" line, else the
 *    first Markdown heading, else the first line of at most 200 bytes
 *    that is not a "Label:" line, a date or a "[placeholder]"; a final
 *    "." dropped) and the date (the first line that is a date, alone or
 *    after "Label:", "On " or a dash: "DATE: 7 JUNE 2016", "13th April
 *    2005", "Children's Social Care - 12 August 2013").  The date is the
 *    reference date for "Immediate" timescales.
 *  - Headers.  A row is a header when its cells are short (60 bytes
 *    each, cleaned), at least two name a known column and one of them
 *    is the recommendation, and named cells are at least half the
 *    non-empty ones.  A header with no recommendation column but an action
 *    column and a reference, owner or date column ("Ref | Recommended
 *    action | Lead officer | Target date") is a plan whose action column
 *    says what each row recommends.  Which heading names which column is data, one
 *    table in import.c (heading_vocab: a phrase, whether it is the
 *    whole heading, a word of it or anywhere in it, and the column; the
 *    first match wins): ref (Ref, No., #), recommendation (also "Area
 *    for improvement", "Ofsted recommendation"), response (also
 *    "Agreed", "Decision"), action (any "action", so "Recommended
 *    action" and "Comments and action taken"), owner (post title, lead
 *    officer, accountability, ...), budget (budget, cost, resources),
 *    timescale (timescale, timetable, target date, deadline, ...),
 *    status (Progress, Status, RAG, Rating), progress narrative
 *    (Progress update, Comments).  "Recommendation made to" names to
 *    whom, not what, and a meeting's or decision's date is not a
 *    timescale: both kept as other columns.  A column with any other
 *    name is kept as "Name: text" paragraphs of the action text.  A later row that repeats at least
 *    two cells of the first header is the header again after a page
 *    break, even when garbled ("| sc | RUTINY RECOMMENDATION |", "| SC
 *    | | |"): cells that name nothing take the column missing between
 *    their named neighbours (else the neighbour's), so the cells under
 *    them are joined again.
 *  - Rows.  A row whose recommendation cell starts with a reference
 *    ("1.", "1)", "(1)", "1(a)", "a)", "(a)", "Recommendation 1") starts
 *    a recommendation (so does a reference alone in a Ref column: "7",
 *    "1.2", "R3.1", "2(b)", kept as the document wrote it), with
 *    one action from its other cells (a cell listing several actions
 *    stays one action).  Letters are repaired against the expected
 *    next letter: "I)" for l, "0)" for o, "V)" for v, any capital for
 *    its small letter.  A row without a reference
 *    belongs to the recommendation above: the first row after a
 *    repeated header continues its cells column by column (a page
 *    break); any other such row adds its text as a new paragraph and
 *    its action cells as a new action.  When the first row after a
 *    page break has a new reference but a cell whose first paragraph
 *    starts in lower case where the cell above ends mid-sentence, that
 *    paragraph goes back up.  A table in which no row has a reference
 *    numbers its rows 1, 2, ... itself; there the first row after a
 *    page break continues the row above when it starts in lower case
 *    or the row above ends mid-sentence.
 *  - Statuses come from the status column (the words may start a longer
 *    text, whose rest is the progress; a Red/Amber/Green rating is a
 *    status: Green and "On track" in progress, Amber, Red and "Not
 *    achieved" delayed, Blue complete; the letters G, A, R, B only as
 *    the whole cell).  An "Agreed" column's Yes or No is the response
 *    (accepted, not accepted).  Statuses also come from a timescale
 *    that is only a status word ("Completed"); "Comments and action
 *    taken" is the
 *    action's text.  Budgets and timescales are kept as written, and
 *    every action's timescale goes through timescale_parse().
 *  - Ragged rows.  A row with fewer cells than its header is padded; one
 *    with one or two more is repaired by joining the neighbouring cells
 *    most likely split (an empty cell, or one that continues the
 *    sentence of the cell before); trailing empty cells are ignored.  A
 *    row with more than two extra cells is ragged and goes to
 *    unplaced[].  When at least two rows, and at least a third of the
 *    table's rows, are ragged, the table is ragged beyond repair: -1.
 *  - Prose.  The recommendations are a numbered list ("1)", "(1)", "1.",
 *    "Recommendation 1", or "R1", "R2", "R3.1", "R3.2" kept as written) whose item 1 comes within three non-blank
 *    lines of a cue: a heading that starts "Recommendation(s)" (after
 *    any section number) or has the word "recommendations" in it
 *    ("2. Summary of recommendations"), a line that mentions
 *    recommending and ends in ":" (which may itself be item 1), or a
 *    minute's "RESOLVED:" alone on its line.  Items follow in order;
 *    the list ends at a decision's or report's boilerplate ("Reason for
 *    decision", "Key decision", "Contact officer", "Tel:"...: the last
 *    item does not swallow it), a Markdown heading, a "Recommendation
 *    N" line, a
 *    numbered heading ("5. Reasons": short, capitalised, no closing
 *    punctuation), a numbered line of another style after a blank
 *    line, or any such heading after a blank line.  Lettered
 *    sub-parts "(a)", "a)" (or roman: "(i)", "(ii)") of item N are the
 *    recommendations "N(a)" ("N(ii)"),
 *    each with the item's lead-in as its first paragraph.  After the
 *    list, a "Recommendation N." line starts the response to every
 *    recommendation numbered N (or only "N(a)" for "Recommendation
 *    1(a)"); it runs to the next such line, heading, or numbered line
 *    after a blank line.  "Response:", "Action:", "Owner:",
 *    "Timescale:", "Budget:", "Status:" lines (in the list or in a
 *    response) fill those fields.  Other text after the list is
 *    commentary and is not imported.
 *  - Response kind: "not accepted", "rejected", "not agreed" ... give
 *    not-accepted; "partly/partially accepted", "accepted in part" ...
 *    partly; "accepted", "we accept", "is agreed", or a response that
 *    starts "Agreed"/"Accept", accepted; anything else unknown.
 *  - Unplaced: lines inside a table region that are not rows (a page
 *    footer), rows before the first recommendation, ragged rows, and
 *    responses to a recommendation number that does not exist.  A
 *    document with no recommendations (no_recommendations) lists
 *    nothing: there is no structure for its text to be missing from.
 *  - Cleanup (every string): tags stripped (only known HTML tag names,
 *    so "<5 days" stays), entities decoded (&amp; &lt; &gt; &quot;
 *    &apos; &nbsp; &ndash; ... and numeric ones that are text), "**"
 *    removed, bullets ("•", "◦", "▪", Word's U+F0B7) and <li> start a
 *    new paragraph and are themselves dropped, Unicode spaces are
 *    spaces, zero-width characters are dropped.
 *  - Limits: references are at most three digits; a header at most 32
 *    columns.  Time and memory are linear in the input.
 *
 * Ownership.  Every string and array in a proposal lives in the arena
 * passed to import_parse(); free the arena to free the proposal.
 * Strings are NUL-terminated UTF-8 with HTML tags removed, entities
 * decoded, runs of white space collapsed to one space, paragraphs
 * (<p>, <li>, bullets, blank lines) kept as "\n".  Strings are never
 * NULL after a successful parse ("" when there is nothing).
 *
 * Errors.  import_parse() returns 0 with a proposal (which may have no
 * recommendations; see no_recommendations) or -1 with err filled in:
 * empty or white-space-only input, input that is not text (NUL bytes,
 * other control characters than tab, CR, LF, FF and VT, invalid UTF-8),
 * input over IMPORT_MAX_BYTES, a table whose rows are ragged beyond
 * repair (err->line: the first ragged row), or a document that needs
 * more of the arena than its budget ("too complex").  On -1 the
 * proposal is empty (zeroed: no recommendations, NULL pointers).  err
 * may be NULL.  Messages say what and why and never quote the
 * document.
 */
#ifndef CAIRN_SCRUTINY_IMPORT_H
#define CAIRN_SCRUTINY_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/str.h"
#include "scrutiny/timescale.h"

#define IMPORT_MAX_BYTES (4u * 1024 * 1024)

enum import_format {
	IMPORT_FORMAT_UNKNOWN = 0,
	IMPORT_FORMAT_TSV,       /* tab-separated table */
	IMPORT_FORMAT_PIPE,      /* Markdown pipe table */
	IMPORT_FORMAT_PROSE,     /* numbered prose */
};

/* Response to a recommendation; IMPORT_RESP_UNKNOWN when not stated. */
enum import_response {
	IMPORT_RESP_UNKNOWN = 0,
	IMPORT_RESP_ACCEPTED,
	IMPORT_RESP_PARTLY,
	IMPORT_RESP_NOT_ACCEPTED,
};

/*
 * Statuses of an action, as a progress report states them.  The names
 * ("not-started", "in-progress", "delayed", "ongoing", "completed",
 * "superseded") are shared with the store and the API.
 */
enum import_status {
	IMPORT_STATUS_NONE = 0,  /* not stated */
	IMPORT_STATUS_NOT_STARTED,
	IMPORT_STATUS_IN_PROGRESS,
	IMPORT_STATUS_DELAYED,
	IMPORT_STATUS_ONGOING,
	IMPORT_STATUS_COMPLETED,
	IMPORT_STATUS_SUPERSEDED,
};

struct import_action {
	char *text;           /* the action (or "comments and action taken") */
	char *owner;          /* post title, "" when none */
	char *budget;         /* as written: "N/A", "No additional cost", ... */
	char *timescale_text; /* as written, "" when none */
	struct timescale timescale;
	enum import_status status;
	char *progress;       /* progress narrative from a progress report, "" */
};

struct import_rec {
	char *ref;            /* "1", "2", "a", "1(a)", ... as the body numbered */
	char *text;           /* the recommendation's full text */
	enum import_response response_kind;
	char *response;       /* response text, "" when none */
	struct import_action *actions;
	size_t nactions;
};

struct import_unplaced {
	int line;             /* 1-based line in the document where it starts */
	char *text;
};

/*
 * What a document in which nothing was found looks like, and why
 * nothing matched (issue 12: "never silent").  Filled only when a
 * proposal has no recommendations; strings as written in the document
 * (cleaned, at most IMPORT_SURVEY_TEXT bytes each).
 */
#define IMPORT_SURVEY_HEADINGS 5
#define IMPORT_SURVEY_FIRST 3
#define IMPORT_SURVEY_TEXT 120
struct import_survey {
	int lines;             /* non-blank lines */
	int table_rows;        /* lines with cells (tabs or pipes) */
	int nheadings;         /* heading-like lines (all of them) */
	char *headings[IMPORT_SURVEY_HEADINGS]; /* the first few */
	int nfirst;
	char *first[IMPORT_SURVEY_FIRST];       /* its first lines */
	int table_line;        /* a row that names columns but not a
	                        * recommendation (0: none) */
	int list_line;         /* a numbered list's first item that nothing
	                        * introduces as recommendations (0: none) */
	char *why;             /* one or two sentences, for the person */
};

struct import_proposal {
	enum import_format format;
	char *title;          /* first heading-like line, "" when none */
	struct cal_date date; /* document date when stated ("DATE: 7 JUNE 2016"), else 0 */
	bool no_recommendations;  /* the document makes none (seed 003) */
	struct import_rec *recs;
	size_t nrecs;
	struct import_unplaced *unplaced;
	size_t nunplaced;
	struct import_survey survey; /* when nrecs == 0 */
};

struct import_error {
	int line;             /* 1-based, 0 when not about one line */
	char msg[200];        /* what and why, no document text */
};

/*
 * Reads doc[0..len) (need not be NUL-terminated; a leading UTF-8 BOM is
 * skipped) and fills *out from arena a.  Returns 0, or -1 with *err
 * filled and *out zeroed (see Errors above).  a and out must not be
 * NULL; err may be.
 */
int import_parse(struct arena *a, const char *doc, size_t len,
                 struct import_proposal *out, struct import_error *err);

/*
 * Append the proposal as one JSON object ("format": "tsv", "pipe",
 * "prose" or null; "date": YYYY-MM-DD or null; NULL strings as ""):
 *   {"format", "title", "date", "no_recommendations",
 *    "recommendations": [{"ref", "text", "response_kind", "response",
 *      "actions": [{"text", "owner", "budget",
 *        "timescale": {"text", "due" (YYYY-MM-DD or null),
 *                      "recurrence" (name or null),
 *                      "start" (YYYY-MM-DD or null)},
 *        "status" (name or null), "progress"}]}],
 *    "unplaced": [{"line", "text"}],
 *    "survey" (only with no recommendations): {"why", "lines",
 *      "table_rows", "headings": [...], "first_lines": [...]}}
 * Returns 0, or -1 when sb is full.
 */
int import_proposal_json(const struct import_proposal *p, struct sbuf *sb);

/*
 * Dates a proposal whose text stated no date with d (from the file's
 * properties, or carried from the preview to the save step): sets
 * p->date and reads each action's timescale again against it ("6
 * months", "Immediate" run from the document's date).  Does nothing
 * when p already has a date or d is not a valid date.
 */
void import_redate(struct import_proposal *p, struct cal_date d);

/* Names shared with the store and API; NULL for the NONE/UNKNOWN value. */
const char *import_status_name(enum import_status s);
bool import_status_from_name(const char *name, enum import_status *out);
const char *import_response_name(enum import_response r);
bool import_response_from_name(const char *name, enum import_response *out);

#endif
