/*
 * transition.c: a young person's transition to adult services (issue
 * 11 §7; the contract in episode.h, "transition to adulthood").
 */
#include "auth/role.h"
#include "child/child.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/due.h"
#include "domain/rows.h"
#include "episode/episode.h"

#include <stdio.h>
#include <string.h>

/* Allow-lists mirroring auth/policy.c: PERM_EPISODE_READ, _WRITE. */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define L03 "L03"
#define SUBJECT "transition"

#define TI(m) offsetof(struct transition_input, m)
static const struct field input_fields[] = {
	{.name = "adult_contact", .label = "Adult services contact",
	 .hint = "Their name and role", .type = FT_TEXT, .required = true,
	 .max = 120, .what = "the adult services contact",
	 .offset = TI(adult_contact)},
	{.name = "adult_service", .label = "Their service",
	 .hint = "For example, the adult social care team or the leaving "
		 "care service", .type = FT_TEXT, .required = true,
	 .max = 120, .what = "their service", .offset = TI(adult_service)},
	{.name = "support", .label = "Support agreed",
	 .hint = "Include universal services such as careers advice",
	 .type = FT_LONGTEXT, .required = true, .max = 2000,
	 .what = "the support agreed", .offset = TI(support)},
	{.name = "handover_on", .label = "Date of the handover",
	 .hint = "When the young person was handed over to adult services",
	 .type = FT_DATE, .rules = FR_NOT_FUTURE,
	 .what = "the date of the handover", .offset = TI(handover_on)},
};
const struct record_type transition_type = {
	"transition_input", input_fields,
	(int)(sizeof(input_fields) / sizeof(input_fields[0])),
};

#define TV(m) offsetof(struct transition, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = TV(transition_id)},
	{.name = "child_id", .type = FT_INT, .offset = TV(child_id)},
	{.name = "adult_contact", .label = "Adult services contact",
	 .type = FT_TEXT, .offset = TV(adult_contact)},
	{.name = "adult_service", .label = "Their service", .type = FT_TEXT,
	 .offset = TV(adult_service)},
	{.name = "support", .label = "Support agreed", .type = FT_LONGTEXT,
	 .offset = TV(support)},
	{.name = "handover_on", .label = "Handed over", .type = FT_DATE,
	 .offset = TV(handover_on)},
	{.name = "starts_on", .label = "Planning from", .type = FT_DATE,
	 .offset = TV(starts_on)},
	{.name = "updated_at", .label = "Last changed", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = TV(updated_at)},
};
const struct record_type transition_view = {
	"transition", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

/* The date of birth; whether a Family Help or child protection case
 * was open on or after ?3; whether a looked-after case is open. */
DB_STMT(st_t_facts) = {
	"transition_facts",
	"SELECT ch.dob, CASE WHEN EXISTS (SELECT 1 FROM episode e"
	" WHERE e.council = ch.council AND e.child_id = ch.child_id"
	" AND e.case_type IN ('family_help', 'child_protection')"
	" AND (e.closed_on IS NULL OR e.closed_on >= ?3)) THEN 1 ELSE 0 END,"
	" CASE WHEN EXISTS (SELECT 1 FROM episode e WHERE e.council ="
	" ch.council AND e.child_id = ch.child_id AND e.case_type ="
	" 'looked_after' AND e.closed_on IS NULL) THEN 1 ELSE 0 END,"
	" (SELECT t.transition_id FROM transition_plan t WHERE t.council ="
	" ch.council AND t.child_id = ch.child_id)"
	" FROM child ch WHERE ch.council = ?1 AND ch.child_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_t_get) = {
	"transition_get",
	"SELECT transition_id, child_id, adult_contact, adult_service, support,"
	" handover_on, starts_on, updated_at FROM transition_plan"
	" WHERE council = ?1 AND child_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_t_ins) = {
	"transition_insert",
	"INSERT INTO transition_plan (council, transition_id, child_id,"
	" adult_contact, adult_service, support, handover_on, starts_on,"
	" created_at, created_by, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)",
	WRITE_ROLES,
};
DB_STMT(st_t_upd) = {
	"transition_update",
	"UPDATE transition_plan SET adult_contact = ?3, adult_service = ?4,"
	" support = ?5, handover_on = ?6, updated_at = ?7"
	" WHERE council = ?1 AND transition_id = ?2",
	WRITE_ROLES,
};

struct facts {
	bool born, history, looked_after;
	struct cal_date dob, at17, at18;
	int64_t plan_id;
};

static int facts_read(struct db_conn *c, const struct actor *who,
		      int64_t child_id, struct facts *f)
{
	char since[11];
	cal_date_format(cal_add_months(who->today, -24), since);
	struct db_q *q;
	int rc = rows_get(c, &st_t_facts, &q, who->council, child_id, since);
	if (rc != ERR_OK)
		return rc;
	memset(f, 0, sizeof(*f));
	const char *d = db_col_text(q, 0);
	f->born = d && cal_date_parse(d, strlen(d), &f->dob);
	f->history = db_col_i64(q, 1) != 0;
	f->looked_after = db_col_i64(q, 2) != 0;
	f->plan_id = db_col_null(q, 3) ? 0 : db_col_i64(q, 3);
	db_done(q);
	if (f->born) {
		f->at17 = cal_add_months(f->dob, 17 * 12);
		f->at18 = cal_add_months(f->dob, 18 * 12);
	}
	return ERR_OK;
}

static bool flagged(const struct actor *who, const struct facts *f)
{
	return f->born && cal_compare(who->today, f->at17) >= 0 &&
	       cal_compare(who->today, f->at18) < 0 && f->history &&
	       !f->looked_after;
}

int transition_flag(struct db_conn *c, const struct actor *who,
		    int64_t child_id, struct arena *a,
		    struct transition_flag *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_visible(c, who, child_id);
	struct facts f;
	if (rc == ERR_OK)
		rc = facts_read(c, who, child_id, &f);
	rc = tx_end(c, own, rc);
	if (rc != ERR_OK)
		return rc;
	char d[11] = "";
	if (f.born)
		cal_date_format(f.at18, d);
	out->flagged = flagged(who, &f);
	out->has_plan = f.plan_id > 0;
	out->turns18 = arena_strdup(a, d);
	return out->turns18 ? ERR_OK : ERR_NOMEM;
}

int transition_save(struct db_conn *c, const struct actor *who,
		    const struct cal *cal, int64_t child_id,
		    const struct transition_input *in, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&transition_type, in, who, e);
	struct cal_date ho = {0, 0, 0};
	bool has_ho = in->handover_on && in->handover_on[0] &&
		      !fe_for(e, "handover_on") &&
		      cal_date_parse(in->handover_on, strlen(in->handover_on),
				     &ho);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = child_visible(c, who, child_id);
	struct facts f = {0};
	struct transition old = {0};
	struct arena *a = arena_new(16u << 10);
	if (rc == ERR_OK)
		rc = facts_read(c, who, child_id, &f);
	if (rc == ERR_OK && f.plan_id == 0 && !flagged(who, &f))
		fe_set(e, "child", "Only a young person flagged for transition "
		       "planning has a transition plan: aged 17, with a child "
		       "protection plan or Family Help in the last two years, "
		       "and not looked after");
	if (rc == ERR_OK && f.plan_id) {
		struct db_q *q;
		rc = rows_get(c, &st_t_get, &q, who->council, child_id);
		if (rc == ERR_OK) {
			fields_row(q, 0, &transition_view, &old, a);
			db_done(q);
		}
	}
	if (rc == ERR_OK && has_ho && f.born &&
	    cal_compare(ho, f.at17) < 0)
		fe_set(e, "handover_on", "Date of the handover must be on or "
		       "after the young person's 17th birthday");
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	char now[21], start[11];
	act_stamp(who, now);
	cal_date_format(f.at17, start);
	int64_t id = f.plan_id;
	bool created = id == 0;
	if (rc == ERR_OK && created) {
		rc = err_from_db(db_next_id(c, who->council, "transition_plan",
					    &id));
		if (rc == ERR_OK)
			rc = rows_write(c, &st_t_ins, who->council, id, child_id,
					in->adult_contact, in->adult_service,
					in->support,
					has_ho ? in->handover_on : NULL, start,
					now, who->user_id);
		if (rc == ERR_OK)
			rc = due_start(c, who, L03, cal, SUBJECT, id, child_id,
				       (struct cal_time){f.at17, 0, 0}, NULL);
	} else if (rc == ERR_OK) {
		rc = rows_change(c, &st_t_upd, who->council, id,
				 in->adult_contact, in->adult_service,
				 in->support, has_ho ? in->handover_on : NULL,
				 now);
	}
	bool handed = has_ho && (created || !old.handover_on[0]);
	if (rc == ERR_OK && handed)
		rc = due_meet(c, who, L03, cal, SUBJECT, id,
			      (struct cal_time){ho, 0, 0});
	if (rc == ERR_OK && created)
		rc = chron_note(c, who, child_id,
				(struct cal_time){who->today, 0, 0}, false,
				"transition", "Transition plan to adult "
				"services made", SUBJECT, id);
	if (rc == ERR_OK && handed)
		rc = chron_note(c, who, child_id, (struct cal_time){ho, 0, 0},
				false, "transition", "Handed over to adult "
				"services", SUBJECT, id);
	arena_free(a);
	return tx_end_audit(c, own, rc, who, created ? "create" : "update",
			    SUBJECT, id, child_id);
}

int transition_read(struct db_conn *c, const struct actor *who,
		    int64_t child_id, struct arena *a, struct transition *out)
{
	struct db_q *q;
	int rc = rows_get(c, &st_t_get, &q, who->council, child_id);
	if (rc != ERR_OK)
		return rc;
	struct transition v = {0};
	fields_row(q, 0, &transition_view, &v, a);
	db_done(q);
	*out = v;
	return ERR_OK;
}
