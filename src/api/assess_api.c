/*
 * assess_api.c: the single assessment in the JSON API (/api/v1/):
 * starting one from a referral, reading it, writing it (PATCH: a field
 * not sent is kept, "" or null-free "" clears), the child seen,
 * submission and a manager's authorisation, and a child's list.
 *
 * Every call goes through the assess module, which audits in the same
 * transaction; a write answers with the assessment read back
 * (api_write).  The answer names no one but the workers (as a
 * referral's does): the child through the children API.  Factors are
 * sent as codes separated by spaces ("3A 16A") and answered as an
 * array; the times seen as an array.  Errors are RFC 9457 problems.
 */
#include "api/api.h"
#include "api/fields.h"
#include "assess/assess.h"
#include "child/child.h"
#include "core/arena.h"
#include "web/answer.h"
#include "web/routes.h"

#include <string.h>

/* The assessment: its view, the factors as an array, the times seen. */
static json_t *assess_json(const struct assessment *s)
{
	json_t *o = api_fields_json(&assess_view, s);
	json_t *f = json_array();
	const char *p = s->factors ? s->factors : "";
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n)
			json_array_append_new(f, json_stringn(p, n));
		p += n;
		p += strspn(p, " ");
	}
	json_object_set_new(o, "factors", f);
	if (s->seen_v)
		json_object_set_new(o, "child_seen",
				    api_fields_list(&assess_seen_view, s->seen_v,
						    sizeof(*s->seen_v), s->seen_n,
						    0, NULL));
	return o;
}

static int back(struct req *r, int64_t id, json_t **out)
{
	struct assessment s;
	int rc = assess_read(r->db, &r->act, id, r->a, &s);
	*out = rc == ERR_OK ? assess_json(&s) : NULL;
	return rc;
}

static int start_op(struct req *r, const void *in, int64_t *id, json_t **out,
		    struct field_errors *e)
{
	int rc = assess_start(r->db, &r->act, r->ids[0], in, id, e);
	return rc == ERR_OK ? back(r, *id, out) : rc;
}

static int edit_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	*id = r->ids[0];
	int rc = assess_update(r->db, &r->act, *id, in, e);
	return rc == ERR_OK ? back(r, *id, out) : rc;
}

static int seen_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	*id = r->ids[0];
	int rc = assess_see(r->db, &r->act, r->cal, *id, in, e);
	return rc == ERR_OK ? back(r, *id, out) : rc;
}

static int submit_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	(void)in;
	*id = r->ids[0];
	int rc = assess_submit(r->db, &r->act, *id, e);
	return rc == ERR_OK ? back(r, *id, out) : rc;
}

static int authorise_op(struct req *r, const void *in, int64_t *id,
			json_t **out, struct field_errors *e)
{
	*id = r->ids[0];
	int rc = assess_authorise(r->db, &r->act, r->cal, *id, in, e);
	return rc == ERR_OK ? back(r, *id, out) : rc;
}

/* An empty body ({}): submission. */
static const struct record_type empty_type = {"assessment_submission", NULL,
					      0};

static void api_start(struct req *r)
{
	static const struct api_write w = {&assess_start_type, start_op,
					   "/api/v1/assessments/", "referral"};
	struct assess_start in = {0};
	api_write(r, &w, &in);
}

static void api_edit(struct req *r)
{
	static const struct api_write w = {&assess_edit_type, edit_op, NULL,
					   "assessment"};
	struct assess_edit in = {0};
	api_write(r, &w, &in);
}

static void api_seen(struct req *r)
{
	static const struct api_write w = {&assess_seen_type, seen_op, NULL,
					   "assessment"};
	struct assess_seen_input in = {0};
	api_write(r, &w, &in);
}

static void api_submit(struct req *r)
{
	static const struct api_write w = {&empty_type, submit_op, NULL,
					   "assessment"};
	api_write(r, &w, NULL);
}

static void api_authorise(struct req *r)
{
	static const struct api_write w = {&assess_authorise_type,
					   authorise_op, NULL, "assessment"};
	struct assess_authorise in = {0};
	api_write(r, &w, &in);
}

static void api_get(struct req *r)
{
	json_t *o;
	int rc = back(r, r->ids[0], &o);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "assessment");
	else
		api_json(r, 200, o);
}

/* The child's assessments (no narrative), one audited read. */
static void api_child_list(struct req *r)
{
	struct assessment *v = NULL;
	int n = 0;
	bool own;
	int rc = tx_begin(r->db, &own);
	if (rc == ERR_OK)
		rc = child_visible(r->db, &r->act, r->ids[0]);
	if (rc == ERR_OK)
		rc = assess_list_child(r->db, &r->act, r->ids[0], r->a, &v, &n);
	if (rc == ERR_OK)
		rc = act_audit(r->db, &r->act, "list", "assessment", 0,
			       r->ids[0]);
	rc = tx_end(r->db, own, rc);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "child");
	else
		api_json(r, 200, api_fields_list(&assess_view, v, sizeof(*v), n,
						 0, NULL));
}

/* ---- routes ---------------------------------------------------------- */

static char start_schema[1024], edit_schema[4096], seen_schema[1024],
	authorise_schema[1024], empty_schema[128];

__attribute__((constructor)) static void schemas(void)
{
	api_fields_schema(&assess_start_type, start_schema,
			  sizeof(start_schema));
	api_fields_schema(&assess_edit_type, edit_schema, sizeof(edit_schema));
	api_fields_schema(&assess_seen_type, seen_schema, sizeof(seen_schema));
	api_fields_schema(&assess_authorise_type, authorise_schema,
			  sizeof(authorise_schema));
	api_fields_schema(&empty_type, empty_schema, sizeof(empty_schema));
}

const struct route assess_api_routes[] = {
	{HTTP_POST, "/api/v1/referrals/{id}/assessments", PERM_ASSESSMENT_WRITE,
	 ROUTE_API, NULL, api_start,
	 "Start the single assessment of a referral (one a referral; due 45 "
	 "working days from the referral, R02)", start_schema},
	{HTTP_GET, "/api/v1/assessments/{id}", PERM_ASSESSMENT_READ, ROUTE_API,
	 NULL, api_get, "A single assessment: narrative, wishes and feelings, "
	 "factors, outcome, the child seen (R05), authorisation (R02)", NULL},
	{HTTP_PATCH, "/api/v1/assessments/{id}", PERM_ASSESSMENT_WRITE,
	 ROUTE_API, NULL, api_edit,
	 "Write an assessment: a field not sent is kept, \"\" clears it; "
	 "factors are CIN census codes separated by spaces", edit_schema},
	{HTTP_POST, "/api/v1/assessments/{id}/child-seen", PERM_ASSESSMENT_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_seen,
	 "Record that the child was seen (date, alone, by whom); the first "
	 "meets R05", seen_schema},
	{HTTP_POST, "/api/v1/assessments/{id}/submission", PERM_ASSESSMENT_WRITE,
	 ROUTE_API | ROUTE_ACTION, NULL, api_submit,
	 "Submit an assessment for a manager's authorisation (every section, "
	 "the analysis, the wishes and feelings, a factor and the outcome "
	 "needed); the body is {}", empty_schema},
	{HTTP_POST, "/api/v1/assessments/{id}/authorisation",
	 PERM_ASSESSMENT_AUTHORISE, ROUTE_API | ROUTE_ACTION, NULL,
	 api_authorise,
	 "Authorise a submitted assessment (a team manager other than the one "
	 "who submitted it; late_reason when after R02's due date; version: "
	 "the one read)", authorise_schema},
	{HTTP_GET, "/api/v1/children/{id}/assessments", PERM_ASSESSMENT_READ,
	 ROUTE_API, NULL, api_child_list,
	 "A child's single assessments, newest first (no narrative)", NULL},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
