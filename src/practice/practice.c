/* practice.c: see practice.h for the contract. */
#include "practice/practice.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/rows.h"

#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c (PERM_PRACTICE_READ,
 * PERM_PRACTICE_WRITE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

#define OBSERVATIONS_MAX 20000
#define NOTE_BODY_MAX 20000
#define VOICE_MAX 5000

/* ---- code lists ------------------------------------------------------- */

const struct field_code practice_place_codes[] = {
	{"home", "The child's home"},
	{"school", "School or nursery"},
	{"placement", "Where the child is placed"},
	{"office", "Council office or family centre"},
	{"community", "Out in the community"},
	{"other", "Somewhere else"},
	{NULL, NULL},
};

const struct field_code practice_voice_how_codes[] = {
	{"words", "In their own words"},
	{"drawing", "A drawing, play or other activity"},
	{"advocate", "Through an advocate"},
	{"app", "Through an app"},
	{"other", "Another way"},
	{NULL, NULL},
};

const char *practice_visit_summary(bool seen, bool alone)
{
	return !seen ? "Visit: the child was not seen"
	       : alone ? "Visit: the child was seen, and seen alone"
		       : "Visit: the child was seen, not alone";
}

/* ---- fields ------------------------------------------------------------ */

#define VI(m) offsetof(struct visit_input, m)
static const struct field visit_in_fields[] = {
	{.name = "visited_at", .label = "When was the visit?",
	 .called = "The date of the visit", .what = "the date of the visit",
	 .hint = "For example, 27 3 2026", .type = FT_DATETIME,
	 .required = true, .rules = FR_NOT_FUTURE, .time_label = "Time",
	 .offset = VI(visited_at)},
	{.name = "place", .label = "Where did it happen?", .type = FT_CODE,
	 .required = true, .radios = true, .codes = practice_place_codes,
	 .what = "where the visit happened", .offset = VI(place)},
	{.name = "place_detail", .label = "Where else",
	 .hint = "Needed when it was somewhere else", .type = FT_TEXT,
	 .max = 120, .rules = FR_SOMETIMES, .offset = VI(place_detail)},
	{.name = "child_seen", .label = "Was the child seen?", .type = FT_BOOL,
	 .offset = VI(child_seen)},
	{.name = "seen_alone", .label = "Was the child seen alone?",
	 .type = FT_BOOL, .offset = VI(seen_alone)},
	{.name = "others_present", .label = "Who else was there",
	 .hint = "Names and how they are related to the child", .type = FT_TEXT,
	 .max = 300, .offset = VI(others_present)},
	{.name = "observations", .label = "What did you see and hear?",
	 .hint = "The child's presentation, the home, how people were with "
		 "each other, and anything that worried you",
	 .what = "what you saw and heard", .type = FT_LONGTEXT,
	 .required = true, .max = OBSERVATIONS_MAX,
	 .offset = VI(observations)},
	{.name = "voice_how", .label = "How did the child tell you?",
	 .hint = "Needed when you record what the child said",
	 .type = FT_CODE, .radios = true, .codes = practice_voice_how_codes,
	 .rules = FR_SOMETIMES, .offset = VI(voice_how)},
	{.name = "voice_said", .label = "What did the child say?",
	 .hint = "Their wishes and feelings, in their words where you can",
	 .type = FT_LONGTEXT, .max = VOICE_MAX, .offset = VI(voice_said)},
};
const struct record_type visit_input_type = {
	"visit_input", visit_in_fields,
	(int)(sizeof(visit_in_fields) / sizeof(visit_in_fields[0])),
};

#define VV(m) offsetof(struct visit, m)
static const struct field visit_fields[] = {
	{.name = "id", .type = FT_INT, .offset = VV(visit_id)},
	{.name = "child_id", .type = FT_INT, .offset = VV(child_id)},
	{.name = "visited_at", .label = "When", .type = FT_DATETIME,
	 .offset = VV(visited_at)},
	{.name = "place", .label = "Where", .type = FT_CODE,
	 .codes = practice_place_codes, .out = FO_LABEL, .offset = VV(place)},
	{.name = "place_detail", .label = "Where else", .type = FT_TEXT,
	 .offset = VV(place_detail)},
	{.name = "child_seen", .label = "Child seen", .type = FT_BOOL,
	 .offset = VV(child_seen)},
	{.name = "seen_alone", .label = "Seen alone", .type = FT_BOOL,
	 .offset = VV(seen_alone)},
	{.name = "others_present", .label = "Who else was there",
	 .type = FT_TEXT, .offset = VV(others_present)},
	{.name = "observations", .label = "What was seen and heard",
	 .type = FT_LONGTEXT, .offset = VV(observations)},
	{.name = "visitor_id", .type = FT_REF, .offset = VV(visitor_id)},
	{.name = "visitor_name", .label = "Visited by", .type = FT_TEXT,
	 .offset = VV(visitor_name)},
	{.name = "created_at", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = VV(created_at)},
};
const struct record_type visit_view = {
	"visit", visit_fields,
	(int)(sizeof(visit_fields) / sizeof(visit_fields[0])),
};

#define NI(m) offsetof(struct note_input, m)
static const struct field note_in_fields[] = {
	{.name = "occurred", .label = "When did it happen?",
	 .called = "The date it happened", .what = "the date it happened",
	 .hint = "For example, 27 3 2026", .type = FT_DATETIME,
	 .required = true, .rules = FR_NOT_FUTURE, .time_label = "Time",
	 .offset = NI(occurred)},
	{.name = "subject", .label = "Subject",
	 .hint = "A few words: what the note is about", .type = FT_TEXT,
	 .required = true, .max = 120, .what = "the subject",
	 .offset = NI(subject)},
	{.name = "body", .label = "Note", .type = FT_LONGTEXT,
	 .required = true, .max = NOTE_BODY_MAX, .what = "the note",
	 .offset = NI(body)},
};
const struct record_type note_input_type = {
	"case_note_input", note_in_fields,
	(int)(sizeof(note_in_fields) / sizeof(note_in_fields[0])),
};

#define NC(m) offsetof(struct note_correction_input, m)
static const struct field correction_fields[] = {
	{.name = "body", .label = "Corrected note",
	 .hint = "The whole note as it should read. The note as first "
		 "written is kept, and shown beside the correction",
	 .type = FT_LONGTEXT, .required = true, .max = NOTE_BODY_MAX,
	 .what = "the corrected note", .offset = NC(body)},
	{.name = "reason", .label = "Why does it need correcting?",
	 .hint = "For example, the wrong date, or a name spelt wrongly",
	 .type = FT_TEXT, .required = true, .max = 300,
	 .what = "why the note needs correcting", .offset = NC(reason)},
};
const struct record_type note_correction_type = {
	"case_note_correction", correction_fields,
	(int)(sizeof(correction_fields) / sizeof(correction_fields[0])),
};

#define NV(m) offsetof(struct case_note, m)
static const struct field note_fields[] = {
	{.name = "id", .type = FT_INT, .offset = NV(note_id)},
	{.name = "child_id", .type = FT_INT, .offset = NV(child_id)},
	{.name = "occurred", .label = "When", .type = FT_DATETIME,
	 .offset = NV(occurred)},
	{.name = "subject", .label = "Subject", .type = FT_TEXT,
	 .offset = NV(subject)},
	{.name = "body", .label = "Note", .type = FT_LONGTEXT,
	 .offset = NV(body)},
	{.name = "corrects", .type = FT_REF, .offset = NV(corrects)},
	{.name = "reason", .label = "Why it was corrected", .type = FT_TEXT,
	 .offset = NV(reason)},
	{.name = "author_id", .type = FT_REF, .offset = NV(author_id)},
	{.name = "author_name", .label = "Written by", .type = FT_TEXT,
	 .offset = NV(author_name)},
	{.name = "created_at", .label = "Written", .type = FT_TEXT,
	 .offset = NV(created_at)},
};
const struct record_type case_note_view = {
	"case_note", note_fields,
	(int)(sizeof(note_fields) / sizeof(note_fields[0])),
};

#define WI(m) offsetof(struct voice_input, m)
static const struct field voice_in_fields[] = {
	{.name = "heard_on", .label = "When did the child say it?",
	 .called = "The date", .what = "the date the child said it",
	 .hint = "For example, 27 3 2026", .type = FT_DATE, .required = true,
	 .rules = FR_NOT_FUTURE, .offset = WI(heard_on)},
	{.name = "how", .label = "How did the child tell you?", .type = FT_CODE,
	 .required = true, .radios = true, .codes = practice_voice_how_codes,
	 .what = "how the child told you", .offset = WI(how)},
	{.name = "said", .label = "What did the child say?",
	 .hint = "Their wishes and feelings, in their words where you can",
	 .type = FT_LONGTEXT, .required = true, .max = VOICE_MAX,
	 .what = "what the child said", .offset = WI(said)},
};
const struct record_type voice_input_type = {
	"child_voice_input", voice_in_fields,
	(int)(sizeof(voice_in_fields) / sizeof(voice_in_fields[0])),
};

#define WV(m) offsetof(struct child_voice, m)
static const struct field voice_fields[] = {
	{.name = "id", .type = FT_INT, .offset = WV(voice_id)},
	{.name = "child_id", .type = FT_INT, .offset = WV(child_id)},
	{.name = "heard_on", .label = "When", .type = FT_DATE,
	 .offset = WV(heard_on)},
	{.name = "how", .label = "How", .type = FT_CODE,
	 .codes = practice_voice_how_codes, .out = FO_LABEL,
	 .offset = WV(how)},
	{.name = "said", .label = "What the child said", .type = FT_LONGTEXT,
	 .offset = WV(said)},
	{.name = "heard_by", .type = FT_REF, .offset = WV(heard_by)},
	{.name = "heard_by_name", .label = "Heard by", .type = FT_TEXT,
	 .offset = WV(heard_by_name)},
	{.name = "link_kind", .type = FT_TEXT, .offset = WV(link_kind)},
	{.name = "link_id", .type = FT_REF, .offset = WV(link_id)},
};
const struct record_type child_voice_view = {
	"child_voice", voice_fields,
	(int)(sizeof(voice_fields) / sizeof(voice_fields[0])),
};

/* ---- statements -------------------------------------------------------- */

DB_STMT(st_child_exists) = {
	"practice_child_exists",
	"SELECT 1 FROM child WHERE council = ?1 AND child_id = ?2",
	READ_ROLES | WRITE_ROLES,
};

#define VISIT_COLS                                                         \
	"v.visit_id, v.child_id, v.visited_at, v.place, v.place_detail,"    \
	" v.child_seen, v.seen_alone, v.others_present, v.observations,"    \
	" v.created_by, u.display_name, v.created_at FROM visit v"          \
	" LEFT JOIN app_user u ON u.council = v.council"                    \
	"  AND u.user_id = v.created_by"
DB_STMT(st_visit_ins) = {
	"practice_visit_ins",
	"INSERT INTO visit (council, visit_id, child_id, visited_at, place,"
	" place_detail, child_seen, seen_alone, others_present, observations,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" ?10, ?11, ?12)",
	WRITE_ROLES,
};
DB_STMT(st_visit_get) = {
	"practice_visit_get",
	"SELECT " VISIT_COLS " WHERE v.council = ?1 AND v.visit_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
/* no ORDER BY: a few rows, sorted in C (a LIMIT with ORDER BY costs
 * SQLite a temporary b-tree on every child's page) */
DB_STMT(st_visit_child) = {
	"practice_visit_child",
	"SELECT " VISIT_COLS " WHERE v.council = ?1 AND v.child_id = ?2",
	READ_ROLES,
};

#define NOTE_COLS                                                          \
	"n.note_id, n.child_id, n.occurred, n.subject, n.body, n.corrects," \
	" n.reason, n.created_by, u.display_name, n.created_at"              \
	" FROM case_note n LEFT JOIN app_user u ON u.council = n.council"    \
	"  AND u.user_id = n.created_by"
DB_STMT(st_note_ins) = {
	"practice_note_ins",
	"INSERT INTO case_note (council, note_id, child_id, occurred, subject,"
	" body, corrects, reason, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	WRITE_ROLES,
};
/* a note and everything that corrects it, by id (the order written) */
DB_STMT(st_note_family) = {
	"practice_note_family",
	/* two index reads (the key; case_note_corrects): with "OR", or an
	 * ORDER BY SQLite could answer from the key, it read the council's
	 * notes in key order, on every correction ("+ 0" keeps it off) */
	"SELECT * FROM (SELECT " NOTE_COLS " WHERE n.council = ?1"
	" AND n.note_id = ?2 UNION ALL SELECT " NOTE_COLS
	" WHERE n.council = ?1 AND n.corrects = ?2) x ORDER BY x.note_id + 0",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_note_original) = {
	"practice_note_original",
	"SELECT coalesce(corrects, note_id), child_id FROM case_note"
	" WHERE council = ?1 AND note_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_note_child) = {
	"practice_note_child",
	"SELECT " NOTE_COLS " WHERE n.council = ?1 AND n.child_id = ?2",
	READ_ROLES,
};

#define VOICE_COLS                                                         \
	"w.voice_id, w.child_id, w.heard_on, w.how, w.said, w.heard_by,"    \
	" u.display_name, w.link_kind, w.link_id FROM child_voice w"        \
	" LEFT JOIN app_user u ON u.council = w.council"                    \
	"  AND u.user_id = w.heard_by"
DB_STMT(st_voice_ins) = {
	"practice_voice_ins",
	"INSERT INTO child_voice (council, voice_id, child_id, heard_on, how,"
	" said, heard_by, link_kind, link_id, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	WRITE_ROLES,
};
DB_STMT(st_voice_child) = {
	"practice_voice_child",
	"SELECT " VOICE_COLS " WHERE w.council = ?1 AND w.child_id = ?2",
	READ_ROLES,
};

static const struct row_map visit_rows = {
	sizeof(struct visit), NULL, 0, NULL, &visit_view,
};
static const struct row_map note_rows = {
	sizeof(struct case_note), NULL, 0, NULL, &case_note_view,
};
static const struct row_map voice_rows = {
	sizeof(struct child_voice), NULL, 0, NULL, &child_voice_view,
};

/* ---- shared ------------------------------------------------------------ */

static bool given(const char *s)
{
	return s && s[0];
}

/* ERR_OK when child_id is a child of the actor's council, ERR_NOTFOUND
 * when not, or the store's error. */
static int child_here(struct db_conn *c, const struct actor *who,
		      int64_t child_id)
{
	int k = db_exec(c, &st_child_exists, NULL, who->council, child_id);
	return k < 0 ? err_from_db(k) : k == DB_ROW ? ERR_OK : ERR_NOTFOUND;
}

/* ---- visits ------------------------------------------------------------ */

/* The cross-field rules of a visit; fields_check has done the rest. */
static void visit_rules(const struct visit_input *in, struct field_errors *e)
{
	if (in->place && strcmp(in->place, "other") == 0 &&
	    !given(in->place_detail))
		fe_set(e, "place_detail", "Enter where the visit happened");
	if (in->seen_alone && !in->child_seen)
		fe_set(e, "seen_alone", "The child cannot have been seen alone "
			"if they were not seen; check both answers");
	if (given(in->voice_said) && !given(in->voice_how))
		fe_set(e, "voice_how", "Select how the child told you");
}

int practice_visit_record(struct db_conn *c, const struct actor *who,
			  const struct cal *cal, int64_t child_id, const struct visit_input *in,
			  int64_t *visit_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&visit_input_type, in, who, e);
	visit_rules(in, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_here(c, who, child_id);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t id = 0;
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "visit", &id));
	char created[21];
	act_stamp(who, created);
	bool other = in->place && strcmp(in->place, "other") == 0;
	if (rc == ERR_OK)
		rc = rows_write(c, &st_visit_ins, who->council, id, child_id,
				in->visited_at, in->place,
				other ? in->place_detail : NULL,
				in->child_seen, in->child_seen && in->seen_alone,
				given(in->others_present) ? in->others_present
							  : NULL,
				in->observations, created, who->user_id);
	struct cal_time at = {0};
	if (rc == ERR_OK && !cal_time_parse(in->visited_at,
					    strlen(in->visited_at), &at))
		rc = ERR_STORE; /* fields_check has read it already */
	if (rc == ERR_OK)
		rc = chron_note(c, who, child_id, at, true, "visit",
				practice_visit_summary(in->child_seen,
						       in->seen_alone),
				"visit", id);
	/* R11: a visit in which the child was seen meets the clock of a
	 * child protection plan (counted on the day, in order, however
	 * late it is recorded) */
	if (rc == ERR_OK && in->child_seen)
		rc = due_refresh(c, who, cal, "R11", child_id);
	if (rc == ERR_OK && given(in->voice_said)) {
		char day[11];
		cal_date_format(at.date, day);
		struct voice_input v = {day, in->voice_how, in->voice_said};
		struct field_errors ve = {0};
		rc = practice_voice_record(c, who, child_id, &v, "visit", id,
					   NULL, &ve);
		/* its fields are the visit's, checked above */
		if (rc == ERR_INVALID)
			for (int i = 0; i < ve.n; i++)
				fe_set(e, strcmp(ve.v[i].field, "how") == 0
						  ? "voice_how" : "voice_said",
				       ve.v[i].msg);
	}
	rc = tx_end_audit(c, own, rc, who, "create", "visit", id, child_id);
	if (rc == ERR_OK && visit_id)
		*visit_id = id;
	return rc;
}

int practice_visit_read(struct db_conn *c, const struct actor *who,
			int64_t visit_id, struct arena *a, struct visit *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct visit v = {0};
	rc = rows_get(c, &st_visit_get, &q, who->council, visit_id);
	if (rc == ERR_OK) {
		fields_row(q, 0, &visit_view, &v, a);
		rc = act_audit(c, who, "read", "visit", v.visit_id, v.child_id);
	}
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = v;
	return rc;
}

static int cmp_visit_desc(const void *pa, const void *pb)
{
	const struct visit *x = pa, *y = pb;
	int k = strcmp(y->visited_at, x->visited_at);
	return k ? k : (y->visit_id > x->visit_id) - (y->visit_id < x->visit_id);
}

int practice_visits_child(struct db_conn *c, const struct actor *who,
			  int64_t child_id, struct arena *a,
			  struct visit **rows, int *n)
{
	return rows_sorted(c, a, &st_visit_child, &visit_rows, NULL,
			   cmp_visit_desc, PRACTICE_CHILD_ROWS, rows, n,
			   who->council, child_id);
}

/* ---- case notes -------------------------------------------------------- */

static int insert_note(struct db_conn *c, const struct actor *who,
		       int64_t child_id, const char *occurred,
		       const char *subject, const char *body, int64_t corrects,
		       const char *reason, int64_t *id)
{
	char created[21];
	act_stamp(who, created);
	int rc = err_from_db(db_next_id(c, who->council, "case_note", id));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_note_ins, who->council, *id, child_id,
				occurred, subject, body, db_id(corrects),
				reason, created, who->user_id);
	return rc;
}

int practice_note_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct note_input *in,
		      int64_t *note_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&note_input_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_here(c, who, child_id);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t id = 0;
	if (rc == ERR_OK)
		rc = insert_note(c, who, child_id, in->occurred, in->subject,
				 in->body, 0, NULL, &id);
	rc = tx_end_audit(c, own, rc, who, "create", "case-note", id,
			  child_id);
	if (rc == ERR_OK && note_id)
		*note_id = id;
	return rc;
}

int practice_note_correct(struct db_conn *c, const struct actor *who,
			  int64_t note_id,
			  const struct note_correction_input *in,
			  int64_t *correction_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&note_correction_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t original = 0, child_id = 0, id = 0;
	rc = rows_get(c, &st_note_original, &q, who->council, note_id);
	if (rc == ERR_OK) {
		original = db_col_i64(q, 0);
		child_id = db_col_i64(q, 1);
	}
	/* the current version: the family's last row */
	struct case_note *v = NULL;
	int n = 0;
	struct arena *a = rc == ERR_OK ? arena_new(1u << 20) : NULL;
	if (rc == ERR_OK && a == NULL)
		rc = ERR_NOMEM;
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_note_family, &note_rows, NULL, &v, &n,
			       who->council, original);
	if (rc == ERR_OK && n == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK && in->body && strcmp(in->body, v[n - 1].body) == 0)
		fe_set(e, "body", "The corrected note is the same as the note "
			"now; change what needs correcting");
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (rc == ERR_OK)
		rc = insert_note(c, who, child_id, v[0].occurred, v[0].subject,
				 in->body, original, in->reason, &id);
	arena_free(a);
	rc = tx_end_audit(c, own, rc, who, "correct", "case-note", original,
			  child_id);
	if (rc == ERR_OK && correction_id)
		*correction_id = id;
	return rc;
}

int practice_note_history(struct db_conn *c, const struct actor *who,
			  int64_t note_id, struct arena *a,
			  struct case_note **rows, int *n)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t original = 0, child_id = 0;
	rc = rows_get(c, &st_note_original, &q, who->council, note_id);
	if (rc == ERR_OK) {
		original = db_col_i64(q, 0);
		child_id = db_col_i64(q, 1);
		rc = rows_list(c, a, &st_note_family, &note_rows, NULL, rows, n,
			       who->council, original);
	}
	if (rc == ERR_OK && *n == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK)
		rc = act_audit(c, who, "read", "case-note", original, child_id);
	return tx_end(c, own, rc);
}

/* Newest first by when it happened, then by the original's id. */
static int cmp_line_desc(const void *pa, const void *pb)
{
	const struct note_line *x = pa, *y = pb;
	int k = strcmp(y->original->occurred, x->original->occurred);
	if (k)
		return k;
	return (y->original->note_id > x->original->note_id) -
	       (y->original->note_id < x->original->note_id);
}

static int cmp_note_id(const void *pa, const void *pb)
{
	const struct case_note *x = pa, *y = pb;
	return (x->note_id > y->note_id) - (x->note_id < y->note_id);
}

/* The original with id `id` among v (sorted by id), or NULL. */
static struct note_line *line_of(struct note_line *lines, int nl, int64_t id)
{
	int lo = 0, hi = nl - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t m = lines[mid].original->note_id;
		if (m == id)
			return &lines[mid];
		if (m < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int practice_notes_child(struct db_conn *c, const struct actor *who,
			 int64_t child_id, struct arena *a,
			 struct note_line **lines, int *n)
{
	struct case_note *v;
	int k;
	int rc = rows_sorted(c, a, &st_note_child, &note_rows, NULL, cmp_note_id,
			     0, &v, &k, who->council, child_id);
	if (rc != ERR_OK)
		return rc;
	struct note_line *l = arena_zalloc(a, sizeof(*l) * (size_t)(k + 1));
	if (l == NULL)
		return ERR_NOMEM;
	/* originals first (in id order, so line_of can search them); a
	 * correction's id is always after its original's */
	int nl = 0;
	for (int i = 0; i < k; i++)
		if (v[i].corrects == 0)
			l[nl++] = (struct note_line){&v[i], &v[i], 0};
	for (int i = 0; i < k; i++) {
		struct note_line *o = v[i].corrects ? line_of(l, nl, v[i].corrects)
						    : NULL;
		if (o) {
			o->current = &v[i];
			o->corrections++;
		}
	}
	if (nl > 1)
		qsort(l, (size_t)nl, sizeof(*l), cmp_line_desc);
	*lines = l;
	*n = nl > PRACTICE_CHILD_ROWS ? PRACTICE_CHILD_ROWS : nl;
	return ERR_OK;
}

/* ---- the child's voice ------------------------------------------------- */

int practice_voice_record(struct db_conn *c, const struct actor *who,
			  int64_t child_id, const struct voice_input *in,
			  const char *link_kind, int64_t link_id,
			  int64_t *voice_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&voice_input_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_here(c, who, child_id);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t id = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "child_voice", &id));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_voice_ins, who->council, id, child_id,
				in->heard_on, in->how, in->said, who->user_id,
				given(link_kind) ? link_kind : NULL,
				db_id(given(link_kind) ? link_id : 0), created);
	rc = tx_end_audit(c, own, rc, who, "create", "child-voice", id,
			  child_id);
	if (rc == ERR_OK && voice_id)
		*voice_id = id;
	return rc;
}

static int cmp_voice(const void *pa, const void *pb)
{
	const struct child_voice *x = pa, *y = pb;
	int k = strcmp(x->heard_on, y->heard_on);
	return k ? k : (x->voice_id > y->voice_id) - (x->voice_id < y->voice_id);
}

int practice_voice_child(struct db_conn *c, const struct actor *who,
			 int64_t child_id, struct arena *a,
			 struct child_voice **rows, int *n)
{
	return rows_sorted(c, a, &st_voice_child, &voice_rows, NULL, cmp_voice,
			   PRACTICE_CHILD_ROWS, rows, n, who->council, child_id);
}

/* ---- pages and the API --------------------------------------------------- */

int practice_visit_get(struct db_conn *c, const struct actor *who,
		       int64_t child_id, int64_t visit_id, struct arena *a,
		       struct visit *out)
{
	struct db_q *q;
	int rc = rows_get(c, &st_visit_get, &q, who->council, visit_id);
	if (rc != ERR_OK)
		return rc;
	struct visit v = {0};
	fields_row(q, 0, &visit_view, &v, a);
	if (v.child_id != child_id)
		return ERR_NOTFOUND;
	*out = v;
	return ERR_OK;
}

int practice_note_get(struct db_conn *c, const struct actor *who,
		      int64_t child_id, int64_t note_id, struct arena *a,
		      struct case_note **rows, int *n)
{
	struct db_q *q;
	int rc = rows_get(c, &st_note_original, &q, who->council, note_id);
	if (rc != ERR_OK)
		return rc;
	int64_t original = db_col_i64(q, 0);
	if (db_col_i64(q, 1) != child_id)
		return ERR_NOTFOUND;
	rc = rows_list(c, a, &st_note_family, &note_rows, NULL, rows, n,
		       who->council, original);
	return rc == ERR_OK && *n == 0 ? ERR_NOTFOUND : rc;
}

int practice_child_list(struct db_conn *c, const struct actor *who,
			int64_t child_id, enum practice_list which,
			struct arena *a, void **rows, int *n)
{
	static const char *const what[] = {"visits", "case-notes",
					   "child-voice"};
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_here(c, who, child_id);
	if (rc == ERR_OK && which == PRACTICE_VISITS)
		rc = practice_visits_child(c, who, child_id, a,
					   (struct visit **)rows, n);
	else if (rc == ERR_OK && which == PRACTICE_NOTES)
		rc = practice_notes_child(c, who, child_id, a,
					  (struct note_line **)rows, n);
	else if (rc == ERR_OK)
		rc = practice_voice_child(c, who, child_id, a,
					  (struct child_voice **)rows, n);
	return tx_end_audit(c, own, rc, who, "read", what[which], 0, child_id);
}
