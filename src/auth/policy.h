/*
 * policy: who may do what.  One table, default-deny.
 *
 * Every route names exactly one permission; a permission maps to the set
 * of roles that hold it.  A permission missing from the table is held by
 * nobody.  Row-level rules (a partner sees only children their
 * organisation is recorded as involved with) are enforced by the child
 * module on top of this table; section-level rules (which parts of a
 * record a role sees) are permissions of their own so the same table
 * decides them.
 */
#ifndef CAIRN_POLICY_H
#define CAIRN_POLICY_H

#include <stdbool.h>

#include "auth/role.h"

enum perm {
	PERM_PUBLIC,             /* no sign-in needed */
	PERM_SIGNED_IN,          /* any signed-in user */
	PERM_CHILD_SEARCH,       /* find children */
	PERM_CHILD_READ,         /* a child's summary and identifiers */
	PERM_CHILD_CREATE,
	PERM_CHILD_UPDATE,       /* identity, addresses, network, flags */
	PERM_CHILD_HISTORY,      /* field history of a record */
	PERM_CHILD_NETWORK_READ, /* family and network section */
	PERM_CHILD_FLAGS_READ,   /* warnings and flags section */
	PERM_CONTACT_READ,       /* contacts and referrals section */
	PERM_CONTACT_CREATE,
	PERM_CONTACT_DECIDE,
	PERM_REFERRAL_READ,
	PERM_REFERRAL_ALLOCATE,
	PERM_FRONT_DOOR_QUEUE,
	PERM_CHILD_VIEWERS,      /* "who has viewed this record" */
	PERM_AGGREGATES,         /* counts with no names */
	PERM_USER_ADMIN,
	PERM_AUDIT_VERIFY,
	PERM_SCRUTINY_READ,      /* reviews, recommendations, actions, reports */
	PERM_SCRUTINY_EDIT,      /* create, import, progress updates */
	PERM_SCRUTINY_COMMENT,   /* comment on a review */
	PERM_ASSESSMENT_READ,    /* single assessments, narrative and all */
	PERM_ASSESSMENT_WRITE,   /* start, child seen, write, submit */
	PERM_ASSESSMENT_AUTHORISE, /* a manager's authorisation */
	PERM_PRACTICE_READ,      /* visits, case notes, the child's voice */
	PERM_PRACTICE_WRITE,
	PERM_EPISODE_READ,       /* cases (episodes of need) */
	PERM_EPISODE_WRITE,      /* open, plan, review, members, close */
	PERM_EPISODE_ALLOCATE,   /* allocate a case; the unallocated list */
	PERM_CASELOAD,           /* a team's caseloads */
	PERM_CP_READ,            /* child protection: the whole chain */
	PERM_CP_STRATEGY_READ,   /* a strategy discussion (partners: one
				  * their organisation took part in) */
	PERM_CP_WRITE,           /* child protection: record the chain */
	PERM_SERVICES_ADMIN,     /* keep the council's service directory */
	PERM__MAX
};

/* The permission's id ("child.read"...), for reports; NULL out of range. */
const char *perm_id(enum perm p);

/* True when role r holds permission p.  Out-of-range values: false. */
bool policy_allows(enum perm p, enum role r);

/* The bitmask (RB_*) of roles holding p; 0 for none or out of range. */
unsigned policy_roles(enum perm p);

#endif
