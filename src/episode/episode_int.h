/*
 * episode_int.h: what episode.c and closure.c share (not public).
 * episode_close (episode.c) reads the case and checks its dates; the
 * rules of step-down and the closing's record are closure.c's.
 */
#ifndef CAIRN_EPISODE_INT_H
#define CAIRN_EPISODE_INT_H

#include "episode/episode.h"

/* What closure_check worked out for closure_record. */
struct closure_plan {
	bool assessed;
	bool approved; /* a team manager approved */
};

/* Checks in (the watch, the services, the consultations and approval of
 * a case that had an assessment) inside the caller's transaction,
 * adding a message per field to e.  closed is the closing date, or NULL
 * when it is itself in error (the agencies are then those involved by
 * the actor's today).  Returns ERR_OK (look at e->n) or a store error. */
int closure_check(struct db_conn *c, const struct actor *who,
		  int64_t episode_id, int64_t child_id, struct cal_date opened,
		  const struct cal_date *closed,
		  const struct episode_close_input *in,
		  struct closure_plan *plan, struct field_errors *e);

/* Writes the closing's record (the watch until CLOSURE_WATCH_MONTHS
 * after closed, the services, the approval) in the caller's
 * transaction. */
int closure_record(struct db_conn *c, const struct actor *who,
		   int64_t episode_id, int64_t child_id, struct cal_date closed,
		   const struct episode_close_input *in,
		   const struct closure_plan *plan);

#endif
