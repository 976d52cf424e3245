/*
 * close.h: ending a child protection plan, stepping the child down to
 * Family Help when they are no longer at continuing risk (issue 11 §10,
 * D56).  The plan's end is cp_plan_end's (cp.h); the cases' step is
 * episode_step_down's (episode.h); this joins them in one transaction.
 */
#ifndef CAIRN_CP_CLOSE_H
#define CAIRN_CP_CLOSE_H

#include "cp/cp.h"

#include <stdbool.h>

struct cal;

struct cp_plan_close_input {
	struct cp_plan_end_input end; /* the date and reason (cp.h) */
	bool step_down;               /* close the child-protection case and
				       * carry on under Family Help; only
				       * with reason no_longer_at_risk */
};
/* ended_on, reason, step_down: the page's form and the API's body of
 * POST /api/v1/cp-plans/{id}/end. */
extern const struct record_type cp_plan_close_type;

/* Ends plan_id (cp_plan_end) and, when in->step_down, steps the child
 * down to Family Help (episode_step_down), all or nothing.
 * *family_help_id (may be NULL) is the Family Help case the child is in
 * afterwards (0 without a step down).  Refused on "step_down" for any
 * reason but no_longer_at_risk. */
int cp_plan_close(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t plan_id,
		  const struct cp_plan_close_input *in,
		  int64_t *family_help_id, struct field_errors *e);

#endif
