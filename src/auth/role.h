/*
 * role: the closed set of roles, their command-line ids and their bits.
 *
 * The ids are a contract (`cairn user add --role ID`, the policy table,
 * the DPIA report).  A role's bit is used in statement allow-lists
 * (db.h).  ROLE__MAX is never a valid role.
 */
#ifndef CAIRN_ROLE_H
#define CAIRN_ROLE_H

#include <stdbool.h>

enum role {
	ROLE_FRONT_DOOR,    /* "front-door" */
	ROLE_SOCIAL_WORKER, /* "social-worker" */
	ROLE_TEAM_MANAGER,  /* "team-manager" */
	ROLE_IRO,           /* "iro" */
	ROLE_PARTNER,       /* "partner" */
	ROLE_ANALYST,       /* "analyst" */
	ROLE_COUNCILLOR,    /* "councillor" */
	ROLE_ADMIN,         /* "admin" */
	ROLE__MAX
};

#define RB(r) (1u << (r))
#define RB_FRONT_DOOR RB(ROLE_FRONT_DOOR)
#define RB_SOCIAL_WORKER RB(ROLE_SOCIAL_WORKER)
#define RB_TEAM_MANAGER RB(ROLE_TEAM_MANAGER)
#define RB_IRO RB(ROLE_IRO)
#define RB_PARTNER RB(ROLE_PARTNER)
#define RB_ANALYST RB(ROLE_ANALYST)
#define RB_COUNCILLOR RB(ROLE_COUNCILLOR)
#define RB_ADMIN RB(ROLE_ADMIN)
/* Practitioners inside the council who work with children's records. */
#define RB_PRACTICE \
	(RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER | RB_IRO)
/* Every signed-in role. */
#define RB_ANY_USER ((1u << ROLE__MAX) - 1u)

/* The command-line id of a role ("front-door"...); NULL out of range. */
const char *role_id(enum role r);

/* A human label ("Front door officer"...); NULL out of range. */
const char *role_label(enum role r);

/* Parses an id.  Returns true and sets *out, or false for an unknown id. */
bool role_parse(const char *id, enum role *out);

#endif
