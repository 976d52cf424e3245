/* policy.c: see policy.h.  The table below is the whole of the policy. */
#include "auth/policy.h"

#include <stddef.h>

static const char *const perm_ids[PERM__MAX] = {
	"public",             /* PERM_PUBLIC */
	"signed-in",          /* PERM_SIGNED_IN */
	"child.search",       /* PERM_CHILD_SEARCH */
	"child.read",         /* PERM_CHILD_READ */
	"child.create",       /* PERM_CHILD_CREATE */
	"child.update",       /* PERM_CHILD_UPDATE */
	"child.history",      /* PERM_CHILD_HISTORY */
	"child.network.read", /* PERM_CHILD_NETWORK_READ */
	"child.flags.read",   /* PERM_CHILD_FLAGS_READ */
	"contact.read",       /* PERM_CONTACT_READ */
	"contact.create",     /* PERM_CONTACT_CREATE */
	"contact.decide",     /* PERM_CONTACT_DECIDE */
	"referral.read",      /* PERM_REFERRAL_READ */
	"referral.allocate",  /* PERM_REFERRAL_ALLOCATE */
	"front-door.queue",   /* PERM_FRONT_DOOR_QUEUE */
	"child.viewers",      /* PERM_CHILD_VIEWERS */
	"aggregates",         /* PERM_AGGREGATES */
	"user.admin",         /* PERM_USER_ADMIN */
	"audit.verify",       /* PERM_AUDIT_VERIFY */
	"scrutiny.read",      /* PERM_SCRUTINY_READ */
	"scrutiny.edit",      /* PERM_SCRUTINY_EDIT */
	"scrutiny.comment",   /* PERM_SCRUTINY_COMMENT */
	"assessment.read",    /* PERM_ASSESSMENT_READ */
	"assessment.write",   /* PERM_ASSESSMENT_WRITE */
	"assessment.authorise", /* PERM_ASSESSMENT_AUTHORISE */
	"practice.read",      /* PERM_PRACTICE_READ */
	"practice.write",     /* PERM_PRACTICE_WRITE */
	"episode.read",       /* PERM_EPISODE_READ */
	"episode.write",      /* PERM_EPISODE_WRITE */
	"episode.allocate",   /* PERM_EPISODE_ALLOCATE */
	"caseload",           /* PERM_CASELOAD */
	"cp.read",            /* PERM_CP_READ */
	"cp.strategy.read",   /* PERM_CP_STRATEGY_READ */
	"cp.write",           /* PERM_CP_WRITE */
	"services.admin",     /* PERM_SERVICES_ADMIN */
};

/* Partners (school, health, police) read a child's summary, network and
 * flags, for children their organisation is involved with; they do not
 * see other agencies' contacts, threshold reasoning or history.
 * Councillors and analysts see counts only, never a name.  The
 * administrator manages accounts and the audit log, not children. */
static const unsigned perm_roles[PERM__MAX] = {
	[PERM_PUBLIC] = RB_ANY_USER,
	[PERM_SIGNED_IN] = RB_ANY_USER,
	[PERM_CHILD_SEARCH] = RB_PRACTICE | RB_PARTNER,
	[PERM_CHILD_READ] = RB_PRACTICE | RB_PARTNER,
	[PERM_CHILD_CREATE] = RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	[PERM_CHILD_UPDATE] = RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	[PERM_CHILD_HISTORY] = RB_PRACTICE,
	[PERM_CHILD_NETWORK_READ] = RB_PRACTICE | RB_PARTNER,
	[PERM_CHILD_FLAGS_READ] = RB_PRACTICE | RB_PARTNER,
	[PERM_CONTACT_READ] = RB_PRACTICE,
	[PERM_CONTACT_CREATE] = RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	[PERM_CONTACT_DECIDE] = RB_FRONT_DOOR | RB_TEAM_MANAGER,
	[PERM_REFERRAL_READ] = RB_PRACTICE,
	[PERM_REFERRAL_ALLOCATE] = RB_FRONT_DOOR | RB_TEAM_MANAGER,
	[PERM_FRONT_DOOR_QUEUE] = RB_FRONT_DOOR | RB_TEAM_MANAGER,
	[PERM_CHILD_VIEWERS] = RB_TEAM_MANAGER,
	[PERM_AGGREGATES] = RB_TEAM_MANAGER | RB_ANALYST | RB_COUNCILLOR | RB_ADMIN,
	[PERM_USER_ADMIN] = RB_ADMIN,
	[PERM_AUDIT_VERIFY] = RB_ADMIN,
	/* Scrutiny holds no child's data (scrutiny/scrutiny.h): council
	 * staff and councillors read it; managers, performance analysts
	 * and administrators keep it; councillors comment but never change
	 * a status.  Partners see none of it. */
	[PERM_SCRUTINY_READ] =
		RB_PRACTICE | RB_ANALYST | RB_COUNCILLOR | RB_ADMIN,
	[PERM_SCRUTINY_EDIT] = RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN,
	[PERM_SCRUTINY_COMMENT] =
		RB_TEAM_MANAGER | RB_ANALYST | RB_ADMIN | RB_COUNCILLOR,
	/* The single assessment (assess/assess.h): practitioners read it;
	 * partners never read its narrative, analysts and councillors see
	 * no child.  Social workers and team managers write it; only a team
	 * manager authorises. */
	[PERM_ASSESSMENT_READ] = RB_PRACTICE,
	[PERM_ASSESSMENT_WRITE] = RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	[PERM_ASSESSMENT_AUTHORISE] = RB_TEAM_MANAGER,
	/* A worker's direct work with a child (practice/practice.h): the
	 * council's practitioners read it; those who work with the child
	 * write it.  Partners see none of it: what the child said to a
	 * social worker and the worker's observations stay with social
	 * care (their summary, network and warnings are what partners
	 * share). */
	[PERM_PRACTICE_READ] = RB_PRACTICE,
	[PERM_PRACTICE_WRITE] = RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	/* Cases (episode/episode.h): practice reads them; social workers
	 * and team managers keep them; team managers allocate and see
	 * their team's caseloads.  Partners see no case (their view of a
	 * child is the summary, network and flags), and analysts and
	 * councillors no name: they have the counts of the timescales. */
	[PERM_EPISODE_READ] = RB_PRACTICE,
	[PERM_EPISODE_WRITE] = RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	[PERM_EPISODE_ALLOCATE] = RB_TEAM_MANAGER,
	[PERM_CASELOAD] = RB_TEAM_MANAGER,
	/* Child protection (cp/cp.h): practice reads the chain; social
	 * workers and team managers record it.  A partner reads a strategy
	 * discussion their organisation took part in (the row rule is the
	 * module's) and nothing else of it; analysts and councillors see
	 * no child here. */
	[PERM_CP_READ] = RB_PRACTICE,
	[PERM_CP_STRATEGY_READ] = RB_PRACTICE | RB_PARTNER,
	[PERM_CP_WRITE] = RB_SOCIAL_WORKER | RB_TEAM_MANAGER,
	/* The council's directory of universal services (closing a case,
	 * episode/episode.h): it names no child; administrators and team
	 * managers keep it, the closing form offers it to practitioners. */
	[PERM_SERVICES_ADMIN] = RB_TEAM_MANAGER | RB_ADMIN,
};

const char *perm_id(enum perm p)
{
	return (unsigned)p < PERM__MAX ? perm_ids[p] : NULL;
}

unsigned policy_roles(enum perm p)
{
	return (unsigned)p < PERM__MAX ? perm_roles[p] : 0u;
}

bool policy_allows(enum perm p, enum role r)
{
	if ((unsigned)r >= ROLE__MAX)
		return false;
	return (policy_roles(p) & RB(r)) != 0;
}
