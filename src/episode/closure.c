/*
 * closure.c: closing a case and stepping down (issue 11 §8; the rules
 * in episode.h, "closing").  The consultations with partner agencies,
 * the agency keeping watch, the council's service directory and the
 * services a family was connected to, a manager's approval; and the
 * families a partner's organisation keeps watch on.
 */
#include "auth/role.h"
#include "core/arena.h"
#include "domain/chron.h"
#include "domain/rows.h"
#include "episode/episode.h"
#include "episode/episode_int.h"

#include <stdio.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c: reading a case RB_PRACTICE
 * (PERM_EPISODE_READ), writing RB_SOCIAL_WORKER | RB_TEAM_MANAGER
 * (PERM_EPISODE_WRITE); the directory (no child in it) is read by every
 * user and kept by administrators and team managers
 * (PERM_SERVICES_ADMIN); partners read the families they watch. */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES (RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define DIR_READ (RB_ANY_USER | DB_ROLE_SYSTEM)
#define DIR_WRITE (RB_ADMIN | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define WATCH_ROLES (RB_PARTNER | DB_ROLE_SYSTEM)

#define SUBJECT "episode"

/* ---- code lists and fields --------------------------------------------- */

const struct field_code closure_service_kinds[] = {
	{"money_advice", "Money advice"},
	{"financial_inclusion", "Financial inclusion and benefits"},
	{"parenting", "Parenting support, including before birth"},
	{"childrens_centre", "Children's centre"},
	{"early_help", "Early help"},
	{"careers_advice", "Careers advice"},
	{NULL, NULL},
};

#define KI(m) offsetof(struct closure_consult_input, m)
static const struct field consult_fields[] = {
	{.name = "org_id", .label = "Agency", .type = FT_REF, .required = true,
	 .missing = "Select the agency you consulted", .offset = KI(org_id)},
	{.name = "person", .label = "Who you spoke to",
	 .hint = "Their name and role, like the designated safeguarding lead",
	 .type = FT_TEXT, .required = true, .max = 120,
	 .what = "who you spoke to", .offset = KI(person)},
	{.name = "consulted_on", .label = "Date of the consultation",
	 .type = FT_DATE, .required = true, .rules = FR_NOT_FUTURE,
	 .what = "the date of the consultation", .offset = KI(consulted_on)},
	{.name = "view", .label = "Their view of closing the case",
	 .type = FT_LONGTEXT, .required = true, .max = 2000,
	 .what = "their view of closing the case", .offset = KI(view)},
};
const struct record_type closure_consult_type = {
	"closure_consultation_input", consult_fields,
	(int)(sizeof(consult_fields) / sizeof(consult_fields[0])),
};

#define KV(m) offsetof(struct closure_consultation, m)
static const struct field consultation_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = KV(consultation_id)},
	{.name = "org_id", .type = FT_REF, .offset = KV(org_id)},
	{.name = "org_name", .label = "Agency", .type = FT_TEXT,
	 .offset = KV(org_name)},
	{.name = "person", .label = "Who", .type = FT_TEXT,
	 .offset = KV(person)},
	{.name = "consulted_on", .label = "When", .type = FT_DATE,
	 .offset = KV(consulted_on)},
	{.name = "view", .label = "Their view", .type = FT_LONGTEXT,
	 .offset = KV(view)},
};
const struct record_type closure_consultation_view = {
	"closure_consultation", consultation_view_fields,
	(int)(sizeof(consultation_view_fields) /
	      sizeof(consultation_view_fields[0])),
};

#define CV(m) offsetof(struct closure, m)
static const struct field closure_view_fields[] = {
	{.name = "episode_id", .type = FT_INT, .offset = CV(episode_id)},
	{.name = "assessed", .label = "The case had an assessment",
	 .type = FT_BOOL, .offset = CV(assessed)},
	{.name = "watch_org_id", .type = FT_REF, .offset = CV(watch_org_id)},
	{.name = "watch_org_name", .label = "Agency keeping watch",
	 .type = FT_TEXT, .offset = CV(watch_org_name)},
	{.name = "watch_for", .label = "Watching for", .type = FT_LONGTEXT,
	 .offset = CV(watch_for)},
	{.name = "watch_until", .label = "Watching until", .type = FT_DATE,
	 .offset = CV(watch_until)},
	{.name = "approved_by_name", .label = "Closing approved by",
	 .type = FT_TEXT, .offset = CV(approved_by_name)},
	{.name = "approved_at", .label = "Approved", .type = FT_DATETIME,
	 .offset = CV(approved_at)},
	{.name = "services", .label = "Services the family was connected to",
	 .type = FT_TEXT, .out = FO_DERIVED, .offset = CV(services)},
};
const struct record_type closure_view = {
	"closure", closure_view_fields,
	(int)(sizeof(closure_view_fields) / sizeof(closure_view_fields[0])),
};

#define WV(m) offsetof(struct closure_watch, m)
static const struct field watch_view_fields[] = {
	{.name = "episode_id", .type = FT_INT, .offset = WV(episode_id)},
	{.name = "child_id", .type = FT_INT, .offset = WV(child_id)},
	{.name = "child_name", .label = "Child", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = WV(child_name)},
	{.name = "closed_on", .label = "Case closed", .type = FT_DATE,
	 .offset = WV(closed_on)},
	{.name = "watch_for", .label = "Watching for", .type = FT_LONGTEXT,
	 .offset = WV(watch_for)},
	{.name = "watch_until", .label = "Watching until", .type = FT_DATE,
	 .offset = WV(watch_until)},
};
const struct record_type closure_watch_view = {
	"closure_watch", watch_view_fields,
	(int)(sizeof(watch_view_fields) / sizeof(watch_view_fields[0])),
};

#define SI(m) offsetof(struct closure_service_input, m)
static const struct field service_fields[] = {
	{.name = "kind", .label = "Kind of service", .type = FT_CODE,
	 .required = true, .radios = true, .what = "the kind of service",
	 .codes = closure_service_kinds, .offset = SI(kind)},
	{.name = "name", .label = "Name of the service", .type = FT_TEXT,
	 .required = true, .max = 120, .what = "the name of the service",
	 .offset = SI(name)},
	{.name = "contact", .label = "How a family reaches it",
	 .hint = "A telephone number, a web address or where to go",
	 .type = FT_TEXT, .required = true, .max = 300,
	 .what = "how a family reaches the service", .offset = SI(contact)},
};
const struct record_type closure_service_type = {
	"closure_service_input", service_fields,
	(int)(sizeof(service_fields) / sizeof(service_fields[0])),
};

#define SV(m) offsetof(struct closure_service, m)
static const struct field service_view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = SV(service_id)},
	{.name = "kind", .label = "Kind of service", .type = FT_CODE,
	 .codes = closure_service_kinds, .out = FO_LABEL, .offset = SV(kind)},
	{.name = "name", .label = "Service", .type = FT_TEXT,
	 .offset = SV(name)},
	{.name = "contact", .label = "How a family reaches it",
	 .type = FT_TEXT, .offset = SV(contact)},
	{.name = "withdrawn", .label = "Withdrawn", .type = FT_BOOL,
	 .offset = SV(withdrawn)},
};
const struct record_type closure_service_view = {
	"service", service_view_fields,
	(int)(sizeof(service_view_fields) / sizeof(service_view_fields[0])),
};

/* ---- statements ---------------------------------------------------------- */

/* Whether the case had an assessment: opened from one, or the child has
 * one authorised on or after the day the case opened. */
DB_STMT(st_cl_assessed) = {
	"closure_assessed",
	"SELECT CASE WHEN e.assessment_id IS NOT NULL OR EXISTS (SELECT 1"
	" FROM assessment a WHERE a.council = e.council"
	" AND a.child_id = e.child_id AND a.authorised_on IS NOT NULL"
	" AND a.authorised_on >= e.opened_on) THEN 1 ELSE 0 END"
	" FROM episode e WHERE e.council = ?1 AND e.episode_id = ?2",
	READ_ROLES | WRITE_ROLES,
};
/* The agencies involved with the child while the case was open (to ?3),
 * and whether each has been consulted on the case. */
DB_STMT(st_cl_agencies) = {
	"closure_agencies",
	"SELECT o.org_id, o.name, CASE WHEN EXISTS (SELECT 1"
	" FROM episode_consultation k WHERE k.council = e.council"
	" AND k.episode_id = e.episode_id AND k.org_id = o.org_id)"
	" THEN 1 ELSE 0 END"
	" FROM episode e JOIN organisation o ON o.council = e.council"
	" WHERE e.council = ?1 AND e.episode_id = ?2 AND EXISTS (SELECT 1"
	" FROM network_member m WHERE m.council = e.council"
	" AND m.child_id = e.child_id AND m.kind = 'professional'"
	" AND m.org_id = o.org_id"
	" AND (m.end_date IS NULL OR m.end_date >= e.opened_on)"
	" AND (m.start_date IS NULL OR m.start_date <= ?3))"
	" ORDER BY o.name, o.org_id",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_cl_orgs) = {
	"closure_orgs",
	"SELECT org_id, name, 0 FROM organisation WHERE council = ?1"
	" ORDER BY name, org_id",
	READ_ROLES | WRITE_ROLES,
};
DB_STMT(st_cl_org) = {
	"closure_org",
	"SELECT name FROM organisation WHERE council = ?1 AND org_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_cl_service) = {
	"closure_service_get",
	"SELECT withdrawn, name FROM service_entry WHERE council = ?1"
	" AND service_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_cl_ins) = {
	"closure_insert",
	"INSERT INTO episode_closure (council, episode_id, child_id, assessed,"
	" watch_org_id, watch_for, watch_until, approved_by, approved_at,"
	" created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	WRITE_ROLES,
};
DB_STMT(st_cl_svc_ins) = {
	"closure_service_link",
	"INSERT INTO episode_closure_service (council, episode_id, service_id,"
	" child_id) VALUES (?1, ?2, ?3, ?4)",
	WRITE_ROLES,
};
DB_STMT(st_cl_get) = {
	"closure_get",
	"SELECT k.episode_id, k.assessed, k.watch_org_id, o.name, k.watch_for,"
	" k.watch_until, u.display_name, k.approved_at"
	" FROM episode_closure k"
	" LEFT JOIN organisation o ON o.council = k.council"
	"  AND o.org_id = k.watch_org_id"
	" LEFT JOIN app_user u ON u.council = k.council"
	"  AND u.user_id = k.approved_by"
	" WHERE k.council = ?1 AND k.episode_id = ?2",
	READ_ROLES,
};
DB_STMT(st_cl_svc_names) = {
	"closure_service_names",
	"SELECT s.name FROM episode_closure_service cs JOIN service_entry s"
	" ON s.council = cs.council AND s.service_id = cs.service_id"
	" WHERE cs.council = ?1 AND cs.episode_id = ?2 ORDER BY s.kind, s.name",
	READ_ROLES,
};
DB_STMT(st_cl_watched) = {
	"closure_watched",
	"SELECT k.episode_id, k.child_id, ch.given_name || ' ' || ch.family_name,"
	" e.closed_on, k.watch_for, k.watch_until FROM episode_closure k"
	" JOIN episode e ON e.council = k.council AND e.episode_id = k.episode_id"
	" JOIN child ch ON ch.council = k.council AND ch.child_id = k.child_id"
	" WHERE k.council = ?1 AND k.watch_org_id = ?2 AND k.watch_until > ?3"
	" ORDER BY k.watch_until, k.episode_id LIMIT 200",
	WATCH_ROLES,
};
DB_STMT(st_cl_state) = {
	"closure_case_state",
	"SELECT child_id, opened_on, closed_on FROM episode WHERE council = ?1"
	" AND episode_id = ?2",
	WRITE_ROLES,
};
DB_STMT(st_k_ins) = {
	"closure_consultation_insert",
	"INSERT INTO episode_consultation (council, consultation_id,"
	" episode_id, child_id, org_id, person, consulted_on, view,"
	" created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	WRITE_ROLES,
};
DB_STMT(st_k_list) = {
	"closure_consultation_list",
	"SELECT k.consultation_id, k.org_id, o.name, k.person, k.consulted_on,"
	" k.view FROM episode_consultation k JOIN organisation o"
	" ON o.council = k.council AND o.org_id = k.org_id"
	" WHERE k.council = ?1 AND k.episode_id = ?2"
	" ORDER BY k.consulted_on, k.consultation_id",
	READ_ROLES,
};
DB_STMT(st_s_ins) = {
	"service_entry_insert",
	"INSERT INTO service_entry (council, service_id, kind, name, contact,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	DIR_WRITE,
};
DB_STMT(st_s_withdraw) = {
	"service_entry_withdraw",
	"UPDATE service_entry SET withdrawn = ?3 WHERE council = ?1"
	" AND service_id = ?2",
	DIR_WRITE,
};
DB_STMT(st_s_list) = {
	"service_entry_list",
	"SELECT service_id, kind, name, contact, withdrawn FROM service_entry"
	" WHERE council = ?1 AND (?2 = 1 OR withdrawn = 0)"
	" ORDER BY kind, name, service_id",
	DIR_READ,
};
DB_STMT(st_s_count) = {
	"service_entry_count",
	"SELECT count(*) FROM service_entry WHERE council = ?1",
	DIR_WRITE,
};

/* ---- helpers --------------------------------------------------------- */

static bool blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

static const struct row_col agency_cols[] = {
	ROW_COL(ROW_I64, struct closure_agency, org_id),
	ROW_COL(ROW_TEXT, struct closure_agency, name),
	ROW_COL(ROW_BOOL, struct closure_agency, consulted),
};
static const struct row_map agency_map =
	ROW_MAP(struct closure_agency, agency_cols, NULL);

static int agencies_to(struct db_conn *c, const struct actor *who,
		       int64_t episode_id, struct cal_date to,
		       struct arena *a, struct closure_agency **rows, int *n)
{
	char d[11];
	cal_date_format(to, d);
	return rows_list(c, a, &st_cl_agencies, &agency_map, NULL, rows, n,
			 who->council, episode_id, d);
}

/* ---- closing --------------------------------------------------------- */

int closure_assessed(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, bool *assessed)
{
	struct db_q *q;
	int rc = rows_get(c, &st_cl_assessed, &q, who->council, episode_id);
	if (rc != ERR_OK)
		return rc;
	*assessed = db_col_i64(q, 0) != 0;
	db_done(q);
	return ERR_OK;
}

static bool is_manager(const struct actor *who)
{
	return who->role && strcmp(who->role, role_id(ROLE_TEAM_MANAGER)) == 0;
}

/* The services: each once, each a current entry of the directory. */
static int check_services(struct db_conn *c, const struct actor *who,
			  const struct episode_close_input *in,
			  struct field_errors *e)
{
	if (in->nservices > CLOSURE_SERVICES_MAX) {
		fe_addf(e, "services", "Select at most %d services",
			CLOSURE_SERVICES_MAX);
		return ERR_OK;
	}
	for (int i = 0; i < in->nservices && !fe_for(e, "services"); i++) {
		for (int j = 0; j < i; j++)
			if (in->services[j] == in->services[i])
				fe_set(e, "services", "Select each service once");
		struct db_q *q;
		int rc = in->services[i] > 0
				 ? rows_get(c, &st_cl_service, &q, who->council,
					    in->services[i])
				 : ERR_NOTFOUND;
		if (rc == ERR_NOTFOUND) {
			fe_set(e, "services", "Select services from the "
			       "council's directory");
			continue;
		}
		if (rc != ERR_OK)
			return rc;
		if (db_col_i64(q, 0) != 0)
			fe_addf(e, "services", "%s has been withdrawn from the "
				"directory; select another service",
				db_col_text(q, 1));
		db_done(q);
	}
	return ERR_OK;
}

int closure_check(struct db_conn *c, const struct actor *who,
		  int64_t episode_id, int64_t child_id, struct cal_date opened,
		  const struct cal_date *closed,
		  const struct episode_close_input *in,
		  struct closure_plan *plan, struct field_errors *e)
{
	(void)child_id;
	(void)opened;
	bool assessed = false;
	int rc = closure_assessed(c, who, episode_id, &assessed);
	if (rc != ERR_OK)
		return rc;
	plan->assessed = assessed;
	plan->approved = in->approved && is_manager(who);
	if ((rc = check_services(c, who, in, e)) != ERR_OK)
		return rc;
	if (in->watch_org_id > 0) {
		struct db_q *q;
		rc = rows_get(c, &st_cl_org, &q, who->council, in->watch_org_id);
		if (rc == ERR_NOTFOUND)
			fe_set(e, "watch_org_id", "Select an agency from the "
			       "list");
		else if (rc != ERR_OK)
			return rc;
		else
			db_done(q);
		if (blank(in->watch_for))
			fe_set(e, "watch_for", "Enter what the agency will "
			       "watch for");
	} else if (!blank(in->watch_for)) {
		fe_set(e, "watch_org_id", "Select the agency that will keep "
		       "watch");
	}
	if (in->approved && !is_manager(who))
		fe_set(e, "approved", "Only a team manager can approve closing "
		       "a case");
	if (!assessed)
		return ERR_OK;

	/* a case that had an assessment: each requirement on its own */
	struct arena *a = arena_new(64u << 10);
	struct closure_agency *v = NULL;
	int n = 0;
	rc = agencies_to(c, who, episode_id, closed ? *closed : who->today, a,
			 &v, &n);
	if (rc == ERR_OK) {
		char names[FIELD_ERROR_LEN] = "";
		int missing = 0;
		size_t used = 0;
		for (int i = 0; i < n; i++) {
			if (v[i].consulted)
				continue;
			int k = snprintf(names + used, sizeof(names) - used,
					 "%s%s", missing ? ", " : "", v[i].name);
			if (k > 0 && used + (size_t)k < sizeof(names))
				used += (size_t)k;
			missing++;
		}
		if (missing)
			fe_addf(e, "consultations", "Record a consultation with "
				"every agency involved with the child before "
				"closing; not yet consulted: %s", names);
	}
	arena_free(a);
	if (rc != ERR_OK)
		return rc;
	if (in->watch_org_id <= 0)
		fe_set(e, "watch_org_id", "Select the agency that will keep "
		       "watch on the family: the case had an assessment");
	if (blank(in->watch_for))
		fe_set(e, "watch_for", "Enter what the agency will watch for");
	if (in->nservices == 0)
		fe_set(e, "services", "Select the universal services the family "
		       "has been connected to");
	if (!is_manager(who))
		fe_set(e, "approved", "A team manager must approve closing a "
		       "case that had an assessment; ask a team manager to "
		       "close it");
	else if (!in->approved)
		fe_set(e, "approved", "Confirm that you approve closing the "
		       "case");
	return ERR_OK;
}

int closure_record(struct db_conn *c, const struct actor *who,
		   int64_t episode_id, int64_t child_id, struct cal_date closed,
		   const struct episode_close_input *in,
		   const struct closure_plan *plan)
{
	char until[11] = "", created[21], at[17] = "";
	bool watch = in->watch_org_id > 0;
	if (watch)
		cal_date_format(cal_add_months(closed, CLOSURE_WATCH_MONTHS),
				until);
	if (plan->approved)
		cal_time_format(who->civil, at);
	act_stamp(who, created);
	int rc = rows_write(c, &st_cl_ins, who->council, episode_id, child_id,
			    plan->assessed, db_id(in->watch_org_id),
			    watch ? in->watch_for : NULL, watch ? until : NULL,
			    db_id(plan->approved ? who->user_id : 0),
			    plan->approved ? at : NULL, created, who->user_id);
	for (int i = 0; rc == ERR_OK && i < in->nservices; i++)
		rc = rows_write(c, &st_cl_svc_ins, who->council, episode_id,
				in->services[i], child_id);
	return rc;
}

/* ---- consultations ----------------------------------------------------- */

int closure_consult(struct db_conn *c, const struct actor *who,
		    int64_t episode_id, const struct closure_consult_input *in,
		    int64_t *id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&closure_consult_type, in, who, e);
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t child_id = 0;
	struct cal_date opened = {0, 0, 0}, on = {0, 0, 0};
	char org[200] = "";
	rc = rows_get(c, &st_cl_state, &q, who->council, episode_id);
	if (rc == ERR_OK) {
		child_id = db_col_i64(q, 0);
		const char *o = db_col_text(q, 1);
		cal_date_parse(o, strlen(o), &opened);
		bool closed = !db_col_null(q, 2);
		db_done(q);
		if (closed) {
			fe_set(e, "case", "The case is closed; open a new case "
			       "to record more work");
			rc = ERR_INVALID;
		}
	}
	if (rc == ERR_OK && in->org_id > 0) {
		int k = rows_get(c, &st_cl_org, &q, who->council, in->org_id);
		if (k == ERR_NOTFOUND)
			fe_set(e, "org_id", "Select an agency from the list");
		else if (k != ERR_OK)
			rc = k;
		else {
			snprintf(org, sizeof(org), "%s", db_col_text(q, 0));
			db_done(q);
		}
	}
	bool has_on = in->consulted_on &&
		      cal_date_parse(in->consulted_on, strlen(in->consulted_on),
				     &on) && !fe_for(e, "consulted_on");
	if (rc == ERR_OK && has_on && cal_compare(on, opened) < 0)
		fe_set(e, "consulted_on", "Date of the consultation must be the "
		       "same as or after the date the case opened");
	if (rc == ERR_OK && e->n)
		rc = ERR_INVALID;
	int64_t kid = 0;
	char created[21];
	act_stamp(who, created);
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council,
					    "episode_consultation", &kid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_k_ins, who->council, kid, episode_id,
				child_id, in->org_id, in->person,
				in->consulted_on, in->view, created,
				who->user_id);
	if (rc == ERR_OK) {
		char line[CHRON_SUMMARY_MAX];
		snprintf(line, sizeof(line), "%.120s consulted about closing the "
			 "case", org);
		rc = chron_note(c, who, child_id, (struct cal_time){on, 0, 0},
				false, "agency_consulted", line, SUBJECT,
				episode_id);
	}
	rc = tx_end_audit(c, own, rc, who, "consultation", SUBJECT, episode_id,
			  child_id);
	if (rc == ERR_OK && id)
		*id = kid;
	return rc;
}

static const struct row_map consultation_map = {
	sizeof(struct closure_consultation), NULL, 0, NULL,
	&closure_consultation_view,
};

int closure_consultations(struct db_conn *c, const struct actor *who,
			  int64_t episode_id, struct arena *a,
			  struct closure_consultation **rows, int *n)
{
	return rows_list(c, a, &st_k_list, &consultation_map, NULL, rows, n,
			 who->council, episode_id);
}

int closure_agencies(struct db_conn *c, const struct actor *who,
		     int64_t episode_id, struct arena *a,
		     struct closure_agency **rows, int *n)
{
	return agencies_to(c, who, episode_id, who->today, a, rows, n);
}

int closure_orgs(struct db_conn *c, const struct actor *who, struct arena *a,
		 struct closure_agency **rows, int *n)
{
	return rows_list(c, a, &st_cl_orgs, &agency_map, NULL, rows, n,
			 who->council);
}

/* ---- reading a closing ------------------------------------------------- */

int closure_read(struct db_conn *c, const struct actor *who,
		 int64_t episode_id, struct arena *a, struct closure *out)
{
	struct db_q *q;
	struct closure v = {0};
	int rc = rows_get(c, &st_cl_get, &q, who->council, episode_id);
	if (rc != ERR_OK)
		return rc;
	fields_row(q, 0, &closure_view, &v, a);
	db_done(q);
	const char **names = NULL;
	int n = 0;
	static const struct row_col name_col[] = {{ROW_TEXT, 0}};
	static const struct row_map name_map = {sizeof(const char *), name_col,
						1, NULL, NULL};
	rc = rows_list(c, a, &st_cl_svc_names, &name_map, NULL, &names, &n,
		       who->council, episode_id);
	if (rc != ERR_OK)
		return rc;
	char *s = arena_strdup(a, "");
	for (int i = 0; s && i < n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "; " : "", names[i]);
	if (s == NULL)
		return ERR_NOMEM;
	v.services = s;
	*out = v;
	return ERR_OK;
}

/* ---- the families a partner watches ------------------------------------ */

static const struct row_map watch_map = {
	sizeof(struct closure_watch), NULL, 0, NULL, &closure_watch_view,
};
static const struct rows_list_shown watch_shown = {
	"episode", offsetof(struct closure_watch, child_id),
	offsetof(struct closure_watch, episode_id),
};

int closure_watched(struct db_conn *c, const struct actor *who,
		    struct arena *a, struct closure_watch **rows, int *n)
{
	if (!who->partner || who->org_id <= 0) {
		*rows = arena_alloc(a, 1);
		*n = 0;
		return *rows ? ERR_OK : ERR_NOMEM;
	}
	char today[11];
	cal_date_format(who->today, today);
	return rows_shown(c, who, a, &st_cl_watched, &watch_map, &watch_shown,
			  NULL, 0, rows, n, NULL, who->council, who->org_id,
			  today);
}

/* ---- the service directory ----------------------------------------------- */

int closure_service_add(struct db_conn *c, const struct actor *who,
			const struct closure_service_input *in, int64_t *id,
			struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	fields_check(&closure_service_type, in, who, e);
	if (e->n)
		return ERR_INVALID;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t sid = 0;
	char created[21];
	act_stamp(who, created);
	rc = err_from_db(db_next_id(c, who->council, "service_entry", &sid));
	if (rc == ERR_OK)
		rc = rows_write(c, &st_s_ins, who->council, sid, in->kind,
				in->name, in->contact, created, who->user_id);
	if (rc == ERR_CONFLICT)
		fe_set(e, "name", "The directory already has a service of this "
		       "kind with this name");
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && id)
		*id = sid;
	return rc;
}

int closure_service_withdraw(struct db_conn *c, const struct actor *who,
			     int64_t service_id, bool withdrawn)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	rc = rows_change(c, &st_s_withdraw, who->council, service_id,
			 withdrawn);
	if (rc == ERR_CONFLICT)
		rc = ERR_NOTFOUND;
	return tx_end(c, own, rc);
}

static const struct row_map service_map = {
	sizeof(struct closure_service), NULL, 0, NULL, &closure_service_view,
};

int closure_services(struct db_conn *c, const struct actor *who, bool all,
		     struct arena *a, struct closure_service **rows, int *n)
{
	return rows_list(c, a, &st_s_list, &service_map, NULL, rows, n,
			 who->council, all ? 1 : 0);
}

int closure_services_seed(struct db_conn *c, const struct actor *who,
			  int64_t *made)
{
	static const struct closure_service_input seed[] = {
		{"money_advice", "Money Advice Drop-in (invented)",
		 "Telephone 01632 960 101, weekdays 9am to 5pm"},
		{"financial_inclusion", "Benefits and Budgeting Service "
		 "(invented)", "Telephone 01632 960 102 or ask at any library"},
		{"parenting", "Parenting Together, antenatal and after "
		 "(invented)", "Self-referral: telephone 01632 960 103"},
		{"childrens_centre", "Riverside Children's Centre (invented)",
		 "1 River Street; open weekdays 8.30am to 5pm"},
		{"early_help", "Early Help Hub (invented)",
		 "Telephone 01632 960 105 or ask the child's school"},
		{"careers_advice", "Careers and Futures Service (invented)",
		 "Telephone 01632 960 106; drop-in at the youth centre"},
	};
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int64_t have = 0, k = 0;
	rc = rows_get(c, &st_s_count, &q, who->council);
	if (rc == ERR_OK) {
		have = db_col_i64(q, 0);
		db_done(q);
	}
	for (size_t i = 0; rc == ERR_OK && have == 0 &&
			   i < sizeof(seed) / sizeof(seed[0]); i++) {
		rc = closure_service_add(c, who, &seed[i], NULL, NULL);
		k += rc == ERR_OK;
	}
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && made)
		*made = k;
	return rc;
}
