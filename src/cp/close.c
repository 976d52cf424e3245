/* close.c: ending a plan with a step down to Family Help (close.h, D56). */
#include "cp/close.h"
#include "domain/actor.h"
#include "episode/episode.h"

#include <stddef.h>
#include <string.h>

#define CL(m) offsetof(struct cp_plan_close_input, m)
static const struct field close_fields[] = {
	{.name = "ended_on", .label = "Date the plan ended",
	 .what = "the date the plan ended", .type = FT_DATE, .required = true,
	 .rules = FR_NOT_FUTURE, .offset = CL(end.ended_on)},
	{.name = "reason", .label = "Why the plan ended",
	 .what = "why the plan ended", .type = FT_CODE, .required = true,
	 .radios = true, .codes = cp_end_reason_codes,
	 .offset = CL(end.reason)},
	{.name = "step_down", .label = "Step the child down to Family Help?",
	 .hint = "Only when the child is no longer at continuing risk of "
		 "significant harm: the child protection case closes and the "
		 "family carries on with a Family Help case",
	 .type = FT_BOOL, .offset = CL(step_down)},
};
const struct record_type cp_plan_close_type = {"cp_plan_close_input",
					       close_fields, 3};

/* A step down is for a child no longer at continuing risk: a child who
 * became looked after, moved away or turned 18 is not stepped down. */
static void close_check(const struct cp_plan_close_input *in,
			struct field_errors *e)
{
	if (in->step_down && in->end.reason && in->end.reason[0] &&
	    strcmp(in->end.reason, "no_longer_at_risk") != 0)
		fe_set(e, "step_down", "Step down to Family Help only when the "
		       "child is no longer at continuing risk of significant "
		       "harm");
}

int cp_plan_close(struct db_conn *c, const struct actor *who,
		  const struct cal *cal, int64_t plan_id,
		  const struct cp_plan_close_input *in,
		  int64_t *family_help_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	int64_t fh = 0;
	close_check(in, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	/* the plan's own checks and writes (joined: they roll back with a
	 * refusal below) */
	rc = cp_plan_end(c, who, cal, plan_id, &in->end, e);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t child = 0;
	if (rc == ERR_OK && in->step_down)
		rc = cp_child_of(c, who, "cp_plan", plan_id, &child);
	bool kept = false;
	if (rc == ERR_OK && in->step_down)
		rc = episode_step_down(c, who, cal, child, in->end.ended_on,
				       &fh, &kept, e);
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	if (family_help_id)
		*family_help_id = rc == ERR_OK ? fh : 0;
	if (!in->step_down)
		return tx_end(c, own, rc);
	return tx_end_audit(c, own, rc, who, "step_down", "cp_plan", plan_id,
			    child);
}
