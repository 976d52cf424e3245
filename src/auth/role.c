/* role.c: see role.h. */
#include "auth/role.h"

#include "core/str.h"

static const char *const role_ids[ROLE__MAX] = {
	"front-door",    /* ROLE_FRONT_DOOR */
	"social-worker", /* ROLE_SOCIAL_WORKER */
	"team-manager",  /* ROLE_TEAM_MANAGER */
	"iro",           /* ROLE_IRO */
	"partner",       /* ROLE_PARTNER */
	"analyst",       /* ROLE_ANALYST */
	"councillor",    /* ROLE_COUNCILLOR */
	"admin",         /* ROLE_ADMIN */
};

static const char *const role_labels[ROLE__MAX] = {
	"Front door officer",                  /* ROLE_FRONT_DOOR */
	"Social worker",                       /* ROLE_SOCIAL_WORKER */
	"Team manager",                        /* ROLE_TEAM_MANAGER */
	"Independent reviewing officer",       /* ROLE_IRO */
	"Partner professional",                /* ROLE_PARTNER */
	"Performance analyst",                 /* ROLE_ANALYST */
	"Councillor",                          /* ROLE_COUNCILLOR */
	"Administrator",                       /* ROLE_ADMIN */
};

const char *role_id(enum role r)
{
	return str_at(role_ids, ROLE__MAX, (int)r);
}

const char *role_label(enum role r)
{
	return str_at(role_labels, ROLE__MAX, (int)r);
}

bool role_parse(const char *id, enum role *out)
{
	int i = str_index(role_ids, ROLE__MAX, id);
	if (i >= 0)
		*out = (enum role)i;
	return i >= 0;
}
