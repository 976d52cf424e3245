/*
 * stepdown.c: a child protection case stepped down to Family Help (issue
 * 11 §10, D56).  When a child protection plan ends because the child is
 * no longer at continuing risk, the council may keep working with the
 * family under Family Help: the child-protection case closes and a
 * Family Help case opens, in the caller's transaction (cp_plan_close).
 *
 * This is not the end of the council's involvement, so the rules of
 * closing an assessed case (closure.c: consultations, a named agency,
 * services, a manager's approval) do not apply: they are asked of the
 * Family Help case when it closes.
 */
#include "episode/episode.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/rows.h"

#include <stdio.h>
#include <string.h>

#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

/* The census has no reason for "continued under Family Help"; RC9
 * ("closed after assessment, referred to early help") is the nearest,
 * Family Help being where early help went in the 2026 reforms (D56). */
#define STEP_DOWN_REASON "RC9"

DB_STMT(st_sd_open) = {
	"episode_step_down_open",
	"SELECT episode_id, case_type, opened_on, primary_need FROM episode"
	" WHERE council = ?1 AND child_id = ?2 AND closed_on IS NULL"
	" AND case_type IN ('child_protection', 'family_help')",
	WRITE_ROLES,
};
DB_STMT(st_sd_close) = {
	"episode_step_down_close",
	"UPDATE episode SET closed_on = ?3, closure_reason = ?4"
	" WHERE council = ?1 AND episode_id = ?2 AND closed_on IS NULL"
	" AND case_type = 'child_protection'",
	WRITE_ROLES,
};

/* The child's latest authorised assessment: the Family Help case a step
 * down opens names it, so that closing it later asks what closing an
 * assessed case asks (closure.c, D52), as it would have of the child
 * protection case the family leaves (D56). */
DB_STMT(st_sd_assessment) = {
	"episode_step_down_assessment",
	"SELECT max(assessment_id) FROM assessment WHERE council = ?1"
	" AND child_id = ?2 AND authorised_on IS NOT NULL",
	WRITE_ROLES,
};

/* The child's open child-protection and Family Help cases (0: none). */
struct sd_open {
	int64_t cp_id, fh_id;
	int64_t assessment_id;
	char cp_opened[11];
	char need[4];
};

static int sd_read(struct db_conn *c, const struct actor *who,
		   int64_t child_id, struct sd_open *o)
{
	memset(o, 0, sizeof(*o));
	struct db_q *q = NULL;
	int rc = db_exec(c, &st_sd_open, &q, who->council, child_id);
	for (; rc == DB_ROW; rc = db_step(q)) {
		const char *type = db_col_text(q, 1);
		if (strcmp(type, "child_protection") == 0) {
			o->cp_id = db_col_i64(q, 0);
			snprintf(o->cp_opened, sizeof(o->cp_opened), "%s",
				 db_col_text(q, 2));
			snprintf(o->need, sizeof(o->need), "%s",
				 db_col_text(q, 3));
		} else {
			o->fh_id = db_col_i64(q, 0);
		}
	}
	if (rc != DB_DONE)
		return err_from_db(rc);
	rc = db_exec(c, &st_sd_assessment, &q, who->council, child_id);
	if (rc == DB_ROW) {
		o->assessment_id = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
		db_done(q);
	}
	return rc == DB_ROW || rc == DB_DONE ? ERR_OK : err_from_db(rc);
}

/* Closes the child-protection case on `on`, noting the chronology. */
static int sd_close_cp(struct db_conn *c, const struct actor *who,
		       int64_t child_id, const struct sd_open *o,
		       const char *on, struct cal_date day,
		       struct field_errors *e)
{
	/* the case's own check (closed_on >= opened_on), on the date the
	 * plan ended: a case opened after the plan started (opened by hand)
	 * cannot close before it opened */
	if (strcmp(on, o->cp_opened) < 0) {
		fe_set(e, "ended_on", "The date the plan ended must be the "
		       "same as or after the date the child protection case "
		       "opened");
		return ERR_INVALID;
	}
	int rc = rows_change(c, &st_sd_close, who->council, o->cp_id, on,
			     STEP_DOWN_REASON);
	if (rc == ERR_OK)
		rc = due_stop(c, who, "L01", "episode", o->cp_id);
	if (rc == ERR_OK)
		rc = chron_note(c, who, child_id, (struct cal_time){day, 0, 0},
				false, "case_closed", "Child protection case "
				"closed: stepped down to Family Help",
				"episode", o->cp_id);
	return rc;
}

int episode_step_down(struct db_conn *c, const struct actor *who,
		      const struct cal *cal, int64_t child_id, const char *on,
		      int64_t *family_help_id, bool *kept,
		      struct field_errors *e)
{
	struct cal_date day;
	if (on == NULL || !cal_date_parse(on, strlen(on), &day))
		return ERR_INVALID;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct sd_open o;
	rc = sd_read(c, who, child_id, &o);
	if (rc == ERR_OK && o.cp_id)
		rc = sd_close_cp(c, who, child_id, &o, on, day, e);
	*kept = rc == ERR_OK && o.fh_id != 0;
	if (rc == ERR_OK && o.fh_id) {
		/* a Family Help case already open (opened beside the plan):
		 * the family stays in it, and no second one opens (D50) */
		*family_help_id = o.fh_id;
	} else if (rc == ERR_OK) {
		struct episode_input in = {
			.case_type = "family_help", .opened_on = on,
			/* the need the child-protection case recorded;
			 * N0 "not stated" when the plan had no case */
			.primary_need = o.need[0] ? o.need : "N0",
			.assessment_id = o.assessment_id,
		};
		struct field_errors ee = {0};
		rc = episode_open(c, who, cal, child_id, &in, family_help_id,
				  &ee);
		for (int i = 0; i < ee.n; i++)
			fe_set(e, "step_down", ee.v[i].msg);
	}
	return tx_end(c, own, rc);
}
