/*
 * family: the people in a child's life shared across brothers and sisters,
 * the parental factors recorded against them, and the whole family seen
 * at once (issue 11 section 5; docs/decisions.md D55).
 *
 * An adult (or anyone who is not a child with a record of their own) is
 * a family_person, entered once.  Each child's link to them is that
 * child's network_member row naming the person (person_id), with the
 * child's own relationship (a code of family_rel_codes: "Mother" to one,
 * "Step-mother" to another), parental responsibility and dates.  So the
 * child's "family and network" section (child/network.c) lists them as
 * before, and the partner rule (child/visible.c: a current professional
 * member) is untouched: a person is never a professional.
 *
 * The family of a child: the children reached from it through links to
 * a brother's or sister's own record (network_member.linked_child_id,
 * either way) and through people they share, while the link is current;
 * at most FAMILY_MAX_CHILDREN.  A person may be linked only to a child
 * of a family they are already in (or added new): an id from another
 * family or another council is refused as not one of the choices.
 *
 * Parental factors: the CIN assessment factor codes about a parent or
 * carer (1B..6B) or another adult of the household (1C..6C) recorded
 * against a person (who, when, from which assessment or what source);
 * and the same codes tagged on any assessment of a child of the family.
 *
 * Who: practice roles read (PERM_EPISODE_READ: the view shows cases);
 * the front door, social workers and managers write (PERM_CHILD_UPDATE,
 * as the network).  Partners, analysts and councillors see no family:
 * every function answers ERR_NOTFOUND to a partner actor.
 *
 * Every write is one transaction with its audit row (one a child it
 * concerns) and a chronology entry for each child it affects.  The
 * whole-family read audits every child shown (family_read, audit).
 */
#ifndef CAIRN_FAMILY_H
#define CAIRN_FAMILY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/err.h"
#include "domain/field.h"

struct arena;

#define FAMILY_MAX_CHILDREN 12
#define FAMILY_MAX_PEOPLE 60

/* The relationship of a child to a person; the parental factor codes. */
extern const struct field_code family_rel_codes[];
extern const struct field_code family_factor_codes[];

/* The network kind a relationship code is filed under (parent, carer,
 * sibling, significant_adult), or NULL for an unknown code. */
const char *family_rel_kind(const char *rel_code);

/* ---- writes ----------------------------------------------------------- */

/* A new person and their link to the child. */
struct family_person_input {
	const char *name;
	const char *phone;
	const char *relationship;       /* family_rel_codes */
	const char *relationship_other; /* needed for "other" */
	bool parental_responsibility;
	const char *start_date; /* optional */
	const char *end_date;   /* optional: a relationship already over */
};
extern const struct record_type family_person_input_type;

/* An existing person of the family linked to this child. */
struct family_link_input {
	int64_t person_id;
	const char *relationship;
	const char *relationship_other;
	bool parental_responsibility;
	const char *start_date;
	const char *end_date;
};
extern const struct record_type family_link_input_type;
/* the same fields without person_id (the form draws the choice itself) */
extern const struct record_type family_link_form_type;

/* A parental factor recorded against a person of the family. */
struct family_factor_input {
	int64_t person_id;
	int64_t assessment_id; /* an assessment of a child of the family */
	const char *factor;   /* family_factor_codes */
	const char *noted_on; /* when it was known; not in the future */
	const char *source;    /* or where it came from, in words */
};
extern const struct record_type family_factor_input_type;
/* without person_id and assessment_id (the form draws those choices) */
extern const struct record_type family_factor_form_type;

/* Adds a person and links them to child_id.  ERR_INVALID with the
 * fields; ERR_NOTFOUND for an unknown child (or a partner). */
int family_person_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct family_person_input *in,
		      int64_t *person_id, struct field_errors *e);

/* Links person in->person_id, of child_id's family, to child_id.
 * ERR_INVALID naming person_id for a person not of the family (another
 * family's, another council's, unknown); ERR_CONFLICT naming person_id
 * when already linked. */
int family_link_add(struct db_conn *c, const struct actor *who,
		    int64_t child_id, const struct family_link_input *in,
		    struct field_errors *e);

/* Records a parental factor; a chronology entry for every child of the
 * family. */
int family_factor_add(struct db_conn *c, const struct actor *who,
		      int64_t child_id, const struct family_factor_input *in,
		      int64_t *factor_id, struct field_errors *e);

/* ---- the family as read ------------------------------------------------ */

struct family_case {
	int64_t episode_id;
	const char *case_type;   /* episode_type_codes */
	const char *worker_name; /* "" when unallocated */
};

struct family_child {
	int64_t child_id;
	const char *given_name;
	const char *family_name;
	const char *la_ref;
	const char *dob;
	const char *cp_category; /* "" without a current plan */
	const char *cp_since;
	struct family_case *cases;
	int ncases;
};
extern const struct record_type family_child_view;
extern const struct record_type family_case_view;

struct family_link {
	int64_t person_id;
	int64_t child_id;
	int64_t member_id;
	const char *rel_code;
	const char *relationship; /* the words */
	bool parental_responsibility;
	const char *start_date;
	const char *end_date;
	bool current;
};
extern const struct record_type family_link_view;

struct family_factor {
	int64_t factor_id;
	int64_t person_id;
	const char *factor;
	const char *noted_on;
	int64_t assessment_id; /* 0: none */
	int64_t assessment_child_id;
	const char *source;
	const char *recorded_by_name;
	const char *recorded_at;
};
extern const struct record_type family_factor_view;

struct family_adult {
	int64_t person_id;
	const char *name;
	const char *phone;
	struct family_link *links; /* one per child of the family linked */
	int nlinks;
	struct family_factor *factors;
	int nfactors;
};
extern const struct record_type family_adult_view;

/* A parental factor tagged on an assessment of a child of the family. */
struct family_tagged {
	int64_t assessment_id;
	int64_t child_id;
	const char *started_on;
	const char *factor;
};
extern const struct record_type family_tagged_view;

/* An assessment of a child of the family (a factor's possible source). */
struct family_assessment {
	int64_t assessment_id;
	int64_t child_id;
	const char *started_on;
};

struct family {
	struct family_child *children; /* the child asked about first */
	int nchildren;
	bool more; /* more children than FAMILY_MAX_CHILDREN */
	struct family_adult *adults;
	int nadults;
	struct family_tagged *tagged;
	int ntagged;
	struct family_assessment *assessments;
	int nassessments;
};

/* Reads child_id's family.  With audit, in the caller's or its own
 * write transaction, appends one ("list", "family") row naming every
 * child shown; without, it writes nothing (a page's read snapshot, which
 * audits what it shows itself).  ERR_NOTFOUND: no such child here, or a
 * partner. */
int family_read(struct db_conn *c, const struct actor *who, int64_t child_id,
		bool audit, struct arena *a, struct family *out);

/* What the family section of child_id's own page shows, without
 * auditing: every adult of the family with their links (so the page can
 * offer the sibling's adults not linked yet), the factors only of the
 * adults linked to child_id, and of the other children their ids only
 * (how many there are); no tagged factors or assessments.  A family of
 * n children costs n + 1 statements and a few for the child's own
 * adults, not 6 n (the whole family's read: the family page). */
int family_read_section(struct db_conn *c, const struct actor *who,
			int64_t child_id, struct arena *a, struct family *out);

/* The family's children ids (the child first).  No audit. */
int family_children(struct db_conn *c, const struct actor *who,
		    int64_t child_id, int64_t *ids, int *n, bool *more);

/* The chronology's line for a factor ("Parental factor recorded: ..."),
 * and for a person linked ("Family and network: mother added"). */
const char *family_factor_summary(struct arena *a, const char *factor,
				  const char *relationship);

#endif
