/*
 * practice: what a worker records of their direct work with a child
 * (issue 11 section 4): visits, case notes and the child's voice.
 *
 * Visits.  When and where (a place from a short list, with a word more
 * for "somewhere else"), whether the child was seen and seen alone, who
 * else was there, and what the worker observed.  A child cannot be seen
 * alone without being seen.  What the child said at the visit, when the
 * worker gives it, is kept as the child's voice linked to the visit, in
 * the same transaction.
 *
 * Case notes are append-only.  A note is never changed: a correction is
 * a note of its own that names the note it corrects (always the
 * original, so a note's corrections form one list), says why, and
 * carries the whole corrected text.  Pages show the newest version with
 * "corrected by ... on ..." and keep the original and every earlier
 * version readable.  No statement updates or deletes a case note
 * (practice_test checks the catalogue).
 *
 * The child's voice: what the child said, how it was gathered (their
 * words, a drawing, through an advocate, through an app, another way),
 * when and who heard it; recorded on its own or at a visit (link
 * "visit"), and by later modules at an assessment, a conference or a
 * review.  practice_voice_list gives everything the child has said, in
 * the order it was heard.
 *
 * Every function takes the actor (the clock is its `now`) and returns
 * ERR_OK or a negative enum err with field errors.  Writes audit in the
 * same transaction ("create" visit / case-note / child-voice, "correct"
 * case-note) and note the chronology.  Reads of one record audit a
 * "read"; the child's lists are read in the caller's transaction (the
 * child's page, whose audit row covers them) or audited as one read of
 * the child (the API).  The child must be in the actor's council;
 * visibility to partners is the policy's: partners, analysts and
 * councillors have no access to any of it (auth/policy.c
 * PERM_PRACTICE_READ and _WRITE).
 */
#ifndef CAIRN_PRACTICE_H
#define CAIRN_PRACTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"

struct arena;

/* ---- visits ------------------------------------------------------------ */

struct visit_input {
	const char *visited_at;     /* 'YYYY-MM-DDTHH:MM', UK civil, not future */
	const char *place;          /* practice_place_codes */
	const char *place_detail;   /* required when place is "other" */
	bool child_seen;
	bool seen_alone;            /* only when seen */
	const char *others_present; /* optional */
	const char *observations;   /* required narrative */
	const char *voice_how;      /* with voice_said: the child's voice */
	const char *voice_said;     /* optional */
};
extern const struct record_type visit_input_type;
extern const struct field_code practice_place_codes[];

struct visit {
	int64_t visit_id;
	int64_t child_id;
	const char *visited_at;
	const char *place;
	const char *place_detail;
	bool child_seen;
	bool seen_alone;
	const char *others_present;
	const char *observations;
	int64_t visitor_id;
	const char *visitor_name;
	const char *created_at;
};
extern const struct record_type visit_view;

/* Records a visit; one in which the child was seen meets R11 (a child
 * protection plan's visits: due_refresh with the council's calendar). */
int practice_visit_record(struct db_conn *c, const struct actor *who,
			  const struct cal *cal, int64_t child_id,
			  const struct visit_input *in,
			  int64_t *visit_id, struct field_errors *e);
int practice_visit_read(struct db_conn *c, const struct actor *who,
			int64_t visit_id, struct arena *a, struct visit *out);

/* ---- case notes -------------------------------------------------------- */

struct note_input {
	const char *occurred; /* 'YYYY-MM-DDTHH:MM', not future */
	const char *subject;  /* one line, up to 120 characters */
	const char *body;     /* up to 20,000 characters */
};
extern const struct record_type note_input_type;

struct note_correction_input {
	const char *body;   /* the whole corrected text */
	const char *reason; /* why: one line, required */
};
extern const struct record_type note_correction_type;

struct case_note {
	int64_t note_id;
	int64_t child_id;
	const char *occurred;
	const char *subject;
	const char *body;
	int64_t corrects;     /* 0 for an original */
	const char *reason;   /* a correction's reason */
	int64_t author_id;
	const char *author_name;
	const char *created_at; /* UTC 'YYYY-MM-DDTHH:MM:SSZ' */
};
extern const struct record_type case_note_view;

int practice_note_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct note_input *in,
		      int64_t *note_id, struct field_errors *e);
/* Corrects note_id (an original or one of its corrections: the
 * correction always names the original).  ERR_NOTFOUND for no such
 * note; ERR_INVALID when the text is the same as the current version. */
int practice_note_correct(struct db_conn *c, const struct actor *who,
			  int64_t note_id,
			  const struct note_correction_input *in,
			  int64_t *correction_id, struct field_errors *e);
/* note_id and its whole history (the original first, then each
 * correction in order), audited as one read.  *n >= 1 on ERR_OK. */
int practice_note_history(struct db_conn *c, const struct actor *who,
			  int64_t note_id, struct arena *a,
			  struct case_note **rows, int *n);

/* A note as people read it: the newest version of an original, with the
 * original's date and subject, how many times it was corrected and the
 * last correction. */
struct note_line {
	const struct case_note *original;
	const struct case_note *current; /* == original when never corrected */
	int corrections;
};

/* ---- the child's voice ----------------------------------------------- */

struct voice_input {
	const char *heard_on; /* 'YYYY-MM-DD', not future */
	const char *how;      /* practice_voice_how_codes */
	const char *said;     /* required, up to 5,000 characters */
};
extern const struct record_type voice_input_type;
extern const struct field_code practice_voice_how_codes[];

struct child_voice {
	int64_t voice_id;
	int64_t child_id;
	const char *heard_on;
	const char *how;
	const char *said;
	int64_t heard_by;
	const char *heard_by_name;
	const char *link_kind; /* "" or "visit", "assessment"... */
	int64_t link_id;
};
extern const struct record_type child_voice_view;

/* Records what the child said, heard by the actor; link_kind/link_id
 * (NULL, 0: none) name the record it was heard at.  Joins the caller's
 * transaction when there is one (domain/actor.h). */
int practice_voice_record(struct db_conn *c, const struct actor *who,
			  int64_t child_id, const struct voice_input *in,
			  const char *link_kind, int64_t link_id,
			  int64_t *voice_id, struct field_errors *e);

/* ---- a child's lists -------------------------------------------------- */

#define PRACTICE_CHILD_ROWS 1000

/* The child's visits (newest first), case notes grouped into lines
 * (newest first by when they happened) and voice (oldest first: the
 * order the child said it), at most PRACTICE_CHILD_ROWS of each.  In
 * the caller's transaction, whose audit row covers them. */
int practice_visits_child(struct db_conn *c, const struct actor *who,
			  int64_t child_id, struct arena *a,
			  struct visit **rows, int *n);
int practice_notes_child(struct db_conn *c, const struct actor *who,
			 int64_t child_id, struct arena *a,
			 struct note_line **lines, int *n);
int practice_voice_child(struct db_conn *c, const struct actor *who,
			 int64_t child_id, struct arena *a,
			 struct child_voice **rows, int *n);

/* For pages about the child, read in the child page's snapshot (its
 * audit row covers them): visit_id of child_id, and note_id's history
 * (as practice_note_history) when the note is child_id's.  ERR_NOTFOUND
 * when there is no such record of that child. */
int practice_visit_get(struct db_conn *c, const struct actor *who,
		       int64_t child_id, int64_t visit_id, struct arena *a,
		       struct visit *out);
int practice_note_get(struct db_conn *c, const struct actor *who,
		      int64_t child_id, int64_t note_id, struct arena *a,
		      struct case_note **rows, int *n);

/* For the API: one of the child's lists in a transaction of its own,
 * audited as a read of the child ("read", entity `what`: "visits",
 * "case-notes", "child-voice").  ERR_NOTFOUND for a child not in the
 * actor's council. */
enum practice_list { PRACTICE_VISITS, PRACTICE_NOTES, PRACTICE_VOICE };
int practice_child_list(struct db_conn *c, const struct actor *who,
			int64_t child_id, enum practice_list which,
			struct arena *a, void **rows, int *n);

/* The chronology's line for a visit (live and backfill alike). */
const char *practice_visit_summary(bool seen, bool alone);

#endif
