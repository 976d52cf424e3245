/*
 * practice_api.c: visits, case notes and the child's voice in the JSON
 * API (/api/v1/; practice/practice.h).
 *
 * Writes go through api_write: the record is read back in the write's
 * transaction and answered 201 with its Location.  A child's lists are
 * read in one transaction with one audit row (practice_child_list); a
 * visit and a case note's history are audited reads of their own.
 * Case notes are append-only: there is no PUT, PATCH or DELETE; a
 * correction is POSTed to the note and answered with the note's whole
 * history.  Errors are RFC 9457 problems.
 */
#include "api/api.h"
#include "api/fields.h"
#include "practice/practice.h"
#include "web/answer.h"
#include "web/routes.h"

static int visit_back(struct req *r, int64_t id, json_t **out)
{
	struct visit v;
	int rc = practice_visit_read(r->db, &r->act, id, r->a, &v);
	*out = rc == ERR_OK ? api_fields_json(&visit_view, &v) : NULL;
	return rc;
}

/* {"items": [original, correction...]}: the note as first written, then
 * each correction in order. */
static int note_back(struct req *r, int64_t id, json_t **out)
{
	struct case_note *h;
	int n;
	int rc = practice_note_history(r->db, &r->act, id, r->a, &h, &n);
	*out = rc == ERR_OK ? api_fields_list(&case_note_view, h, sizeof(*h),
					      n, 0, NULL)
			    : NULL;
	return rc;
}

static int visit_op(struct req *r, const void *in, int64_t *id, json_t **out,
		    struct field_errors *e)
{
	int rc = practice_visit_record(r->db, &r->act, r->cal, r->ids[0], in, id, e);
	return rc == ERR_OK ? visit_back(r, *id, out) : rc;
}

static int note_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	int rc = practice_note_add(r->db, &r->act, r->ids[0], in, id, e);
	return rc == ERR_OK ? note_back(r, *id, out) : rc;
}

static int correct_op(struct req *r, const void *in, int64_t *id,
		      json_t **out, struct field_errors *e)
{
	int64_t cid;
	*id = r->ids[0];
	int rc = practice_note_correct(r->db, &r->act, *id, in, &cid, e);
	return rc == ERR_OK ? note_back(r, *id, out) : rc;
}

static int voice_op(struct req *r, const void *in, int64_t *id, json_t **out,
		    struct field_errors *e)
{
	int rc = practice_voice_record(r->db, &r->act, r->ids[0], in, NULL, 0,
				       id, e);
	if (rc != ERR_OK)
		return rc;
	/* read back in the same transaction: the child's newest entry */
	struct child_voice *v;
	int n;
	rc = practice_voice_child(r->db, &r->act, r->ids[0], r->a, &v, &n);
	for (int i = 0; rc == ERR_OK && i < n; i++)
		if (v[i].voice_id == *id) {
			*out = api_fields_json(&child_voice_view, &v[i]);
			return ERR_OK;
		}
	return rc == ERR_OK ? ERR_STORE : rc;
}

static void api_visit_create(struct req *r)
{
	static const struct api_write w = {&visit_input_type, visit_op,
					   "/api/v1/visits/", "child"};
	struct visit_input in = {0};
	api_write(r, &w, &in);
}

static void api_note_create(struct req *r)
{
	static const struct api_write w = {&note_input_type, note_op,
					   "/api/v1/case-notes/", "child"};
	struct note_input in = {0};
	api_write(r, &w, &in);
}

static void api_note_correct(struct req *r)
{
	static const struct api_write w = {&note_correction_type, correct_op,
					   NULL, "case note"};
	struct note_correction_input in = {0};
	api_write(r, &w, &in);
}

static void api_voice_create(struct req *r)
{
	static const struct api_write w = {&voice_input_type, voice_op, NULL,
					   "child"};
	struct voice_input in = {0};
	api_write(r, &w, &in);
}

static void answer_back(struct req *r,
			int (*back)(struct req *, int64_t, json_t **),
			const char *what)
{
	json_t *o;
	int rc = back(r, r->ids[0], &o);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, what);
	else
		api_json(r, 200, o);
}

static void api_visit_get(struct req *r)
{
	answer_back(r, visit_back, "visit");
}

static void api_note_get(struct req *r)
{
	answer_back(r, note_back, "case note");
}

/* A case note line: the current version, with the original's id, how
 * many corrections and the text as first written when corrected. */
static json_t *line_json(const void *rec)
{
	const struct note_line *l = rec;
	json_t *o = api_fields_json(&case_note_view, l->current);
	json_object_set_new(o, "id", json_integer(l->original->note_id));
	json_object_set_new(o, "version_id",
			    json_integer(l->current->note_id));
	json_object_set_new(o, "corrections", json_integer(l->corrections));
	json_object_set_new(o, "original_body",
			    l->corrections ? json_string(l->original->body)
					   : json_null());
	return o;
}

static void child_list(struct req *r, enum practice_list which)
{
	void *v;
	int n;
	int rc = practice_child_list(r->db, &r->act, r->ids[0], which, r->a,
				     &v, &n);
	if (rc != ERR_OK) {
		answer_error(r, rc, NULL, "child");
		return;
	}
	json_t *o = which == PRACTICE_VISITS
			    ? api_fields_list(&visit_view, v,
					      sizeof(struct visit), n, 0, NULL)
		    : which == PRACTICE_NOTES
			    ? api_fields_list(&case_note_view, v,
					      sizeof(struct note_line), n, 0,
					      line_json)
			    : api_fields_list(&child_voice_view, v,
					      sizeof(struct child_voice), n, 0,
					      NULL);
	api_json(r, 200, o);
}

static void api_visits(struct req *r)
{
	child_list(r, PRACTICE_VISITS);
}

static void api_notes(struct req *r)
{
	child_list(r, PRACTICE_NOTES);
}

static void api_voice(struct req *r)
{
	child_list(r, PRACTICE_VOICE);
}

static char visit_schema[8192], note_schema[2048], correction_schema[2048],
	voice_schema[2048];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&visit_input_type, visit_schema,
			  sizeof(visit_schema));
	api_fields_schema(&note_input_type, note_schema, sizeof(note_schema));
	api_fields_schema(&note_correction_type, correction_schema,
			  sizeof(correction_schema));
	api_fields_schema(&voice_input_type, voice_schema,
			  sizeof(voice_schema));
}

const struct route practice_api_routes[] = {
	{HTTP_POST, "/api/v1/children/{id}/visits", PERM_PRACTICE_WRITE,
	 ROUTE_API, NULL, api_visit_create,
	 "Record a visit to a child (what the child said, when given, is "
	 "kept as the child's voice)", visit_schema},
	{HTTP_GET, "/api/v1/children/{id}/visits", PERM_PRACTICE_READ,
	 ROUTE_API, NULL, api_visits, "A child's visits, newest first", NULL},
	{HTTP_GET, "/api/v1/visits/{id}", PERM_PRACTICE_READ, ROUTE_API, NULL,
	 api_visit_get, "A visit", NULL},
	{HTTP_POST, "/api/v1/children/{id}/case-notes", PERM_PRACTICE_WRITE,
	 ROUTE_API, NULL, api_note_create,
	 "Add a case note (append-only: it is never changed afterwards)",
	 note_schema},
	{HTTP_GET, "/api/v1/children/{id}/case-notes", PERM_PRACTICE_READ,
	 ROUTE_API, NULL, api_notes,
	 "A child's case notes, newest first, each as it now reads", NULL},
	{HTTP_GET, "/api/v1/case-notes/{id}", PERM_PRACTICE_READ, ROUTE_API,
	 NULL, api_note_get,
	 "A case note as first written, then each correction", NULL},
	{HTTP_POST, "/api/v1/case-notes/{id}/corrections", PERM_PRACTICE_WRITE,
	 ROUTE_API, NULL, api_note_correct,
	 "Correct a case note: the whole corrected text and why; the note "
	 "as first written is kept", correction_schema},
	{HTTP_POST, "/api/v1/children/{id}/voice", PERM_PRACTICE_WRITE,
	 ROUTE_API, NULL, api_voice_create, "Record what the child said",
	 voice_schema},
	{HTTP_GET, "/api/v1/children/{id}/voice", PERM_PRACTICE_READ,
	 ROUTE_API, NULL, api_voice,
	 "Everything the child has said, in the order they said it", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
