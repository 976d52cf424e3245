/*
 * family_api.c: the family in the JSON API (/api/v1/; family/family.h,
 * D55).
 *
 *   GET  /api/v1/children/{id}/family            the whole family: the
 *        children (open cases, child protection plan), the adults (who
 *        they are to each child, parental factors) and the parental
 *        factors tagged on the children's assessments; every child shown
 *        is audited (one "list" row)
 *   POST /api/v1/children/{id}/family/people     a new person and their
 *        link to the child
 *   POST /api/v1/children/{id}/family/links      a person of the family
 *        linked to the child too
 *   POST /api/v1/children/{id}/family/factors    a parental factor
 *
 * Writes go through api_write (one transaction, errors as RFC 9457
 * problems naming the fields) and answer with the person as the family
 * now has them.
 */
#include "api/api.h"
#include "api/fields.h"
#include "core/arena.h"
#include "family/family.h"
#include "web/answer.h"
#include "web/routes.h"

/* The "items" of api_fields_list: an array of the n rows. */
static json_t *fam_items(const struct record_type *t, const void *rows,
			 size_t size, int n)
{
	json_t *l = api_fields_list(t, rows, size, n, 0, NULL);
	json_t *v = json_incref(json_object_get(l, "items"));
	json_decref(l);
	return v ? v : json_array();
}

static json_t *fam_child_json(const struct family_child *c)
{
	json_t *o = api_fields_json(&family_child_view, c);
	json_object_set_new(o, "open_cases",
			    fam_items(&family_case_view, c->cases,
				      sizeof(*c->cases), c->ncases));
	return o;
}

static json_t *fam_adult_json(const struct family_adult *p)
{
	json_t *o = api_fields_json(&family_adult_view, p);
	json_object_set_new(o, "links", fam_items(&family_link_view, p->links,
						  sizeof(*p->links),
						  p->nlinks));
	json_object_set_new(o, "parental_factors",
			    fam_items(&family_factor_view, p->factors,
				      sizeof(*p->factors), p->nfactors));
	return o;
}

static json_t *fam_json(const struct family *f)
{
	json_t *o = json_object();
	json_t *c = json_array(), *a = json_array();
	for (int i = 0; i < f->nchildren; i++)
		json_array_append_new(c, fam_child_json(&f->children[i]));
	for (int i = 0; i < f->nadults; i++)
		json_array_append_new(a, fam_adult_json(&f->adults[i]));
	json_object_set_new(o, "children", c);
	json_object_set_new(o, "more_children", json_boolean(f->more));
	json_object_set_new(o, "adults", a);
	json_object_set_new(o, "assessment_factors",
			    fam_items(&family_tagged_view, f->tagged,
				      sizeof(*f->tagged), f->ntagged));
	return o;
}

static void api_family(struct req *r)
{
	struct family f;
	int rc = family_read(r->db, &r->act, r->ids[0], true, r->a, &f);
	if (rc != ERR_OK)
		answer_error(r, rc, NULL, "child");
	else
		api_json(r, 200, fam_json(&f));
}

/* The person as the family now has them (in the write's transaction). */
static int fam_person_back(struct req *r, int64_t person_id, json_t **out)
{
	struct family f;
	int rc = family_read(r->db, &r->act, r->ids[0], false, r->a, &f);
	for (int i = 0; rc == ERR_OK && i < f.nadults; i++)
		if (f.adults[i].person_id == person_id) {
			*out = fam_adult_json(&f.adults[i]);
			return ERR_OK;
		}
	return rc == ERR_OK ? ERR_STORE : rc;
}

static int person_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	int rc = family_person_add(r->db, &r->act, r->ids[0], in, id, e);
	return rc == ERR_OK ? fam_person_back(r, *id, out) : rc;
}

static int link_op(struct req *r, const void *in, int64_t *id, json_t **out,
		   struct field_errors *e)
{
	const struct family_link_input *li = in;
	*id = li->person_id;
	int rc = family_link_add(r->db, &r->act, r->ids[0], li, e);
	return rc == ERR_OK ? fam_person_back(r, *id, out) : rc;
}

static int factor_op(struct req *r, const void *in, int64_t *id,
		     json_t **out, struct field_errors *e)
{
	const struct family_factor_input *fi = in;
	int rc = family_factor_add(r->db, &r->act, r->ids[0], fi, id, e);
	return rc == ERR_OK ? fam_person_back(r, fi->person_id, out) : rc;
}

static void api_person_create(struct req *r)
{
	static const struct api_write w = {&family_person_input_type,
					   person_op, NULL, "child"};
	struct family_person_input in = {0};
	api_write(r, &w, &in);
}

static void api_link_create(struct req *r)
{
	static const struct api_write w = {&family_link_input_type, link_op,
					   NULL, "child"};
	struct family_link_input in = {0};
	api_write(r, &w, &in);
}

static void api_factor_create(struct req *r)
{
	static const struct api_write w = {&family_factor_input_type,
					   factor_op, NULL, "child"};
	struct family_factor_input in = {0};
	api_write(r, &w, &in);
}

static char person_schema[4096], link_schema[4096], factor_schema[4096];

__attribute__((constructor)) static void fam_schemas(void)
{
	api_fields_schema(&family_person_input_type, person_schema,
			  sizeof(person_schema));
	api_fields_schema(&family_link_input_type, link_schema,
			  sizeof(link_schema));
	api_fields_schema(&family_factor_input_type, factor_schema,
			  sizeof(factor_schema));
}

const struct route family_api_routes[] = {
	{HTTP_GET, "/api/v1/children/{id}/family", PERM_EPISODE_READ,
	 ROUTE_API, NULL, api_family,
	 "The whole family: every child with open cases and child protection "
	 "plan, every adult with who they are to each child and their "
	 "parental factors, and the parental factors on the children's "
	 "assessments (every child shown is audited)", NULL},
	{HTTP_POST, "/api/v1/children/{id}/family/people", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_person_create,
	 "Add a person to the child's family (entered once; link them to a "
	 "brother or sister with /family/links)", person_schema},
	{HTTP_POST, "/api/v1/children/{id}/family/links", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_link_create,
	 "Link a person of the family (from a brother's or sister's record) "
	 "to this child, with this child's own relationship to them",
	 link_schema},
	{HTTP_POST, "/api/v1/children/{id}/family/factors", PERM_CHILD_UPDATE,
	 ROUTE_API, NULL, api_factor_create,
	 "Record a parental factor against a person of the family (noted in "
	 "every child's chronology)", factor_schema},
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
