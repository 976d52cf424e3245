/* chron.c: see chron.h for the contract. */
#include "domain/chron.h"
#include "auth/role.h"
#include "core/arena.h"
#include "core/str.h"
#include "domain/actor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define WRITE_ROLES \
	(RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

static const struct chron_kind kinds[] = {
	{"contact", "Contact"},
	{"decision", "Decision"},
	{"referral", "Referral"},
	{"allocation", "Allocation"},
	{"acknowledgement", "Acknowledgement to the referrer"},
	{"outcome_shared", "Outcome shared with the referrer"},
	{"assessment", "Assessment started"},
	{"child_seen", "Child seen"},
	{"assessment_authorised", "Assessment authorised"},
	{"visit", "Visit"},
	{"case_opened", "Case opened"},
	{"case_review", "Case review"},
	{"case_closed", "Case closed"},
	{"cp_strategy", "Strategy discussion"},
	{"cp_s47", "Section 47 enquiry"},
	{"cp_conference", "Child protection conference"},
	{"cp_plan", "Child protection plan"},
	{"cp_core_group", "Core group meeting"},
	{"agency_consulted", "Agency consulted before closing"},
	{"transition", "Transition to adult services"},
	{"family", "Family and network"},
	{"parental_factor", "Parental factor"},
	{"event", "Event recorded by hand"},
	{NULL, NULL},
};

const struct chron_kind *chron_kinds(void)
{
	return kinds;
}

const char *chron_kind_label(const char *code)
{
	for (const struct chron_kind *k = kinds; code && k->code; k++)
		if (strcmp(k->code, code) == 0)
			return k->label;
	return code ? code : "";
}

static const char *const significances[][2] = {
	{"high", "High"}, {"medium", "Medium"}, {"low", "Low"},
};

const char *chron_significance_label(const char *code)
{
	for (size_t i = 0; code && i < 3; i++)
		if (strcmp(significances[i][0], code) == 0)
			return significances[i][1];
	return NULL;
}

DB_STMT(st_insert) = {
	"chron_insert",
	"INSERT INTO chronology (council, entry_id, child_id, occurred, kind,"
	" summary, link_kind, link_id, source, significance, created_at,"
	" created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12)",
	WRITE_ROLES,
};
DB_STMT(st_analyse) = {
	"chron_analyse",
	"UPDATE chronology SET analysis = ?4, analysis_by = ?5,"
	" analysis_at = ?6 WHERE council = ?1 AND child_id = ?2"
	" AND entry_id = ?3",
	WRITE_ROLES,
};

#define ENTRY_COLS                                                         \
	"e.entry_id, e.occurred, e.kind, e.summary, e.link_kind, e.link_id," \
	" e.source, e.significance, e.analysis, u.display_name,"             \
	" e.analysis_at"
#define ENTRY_FROM                                                         \
	" FROM chronology e LEFT JOIN app_user u ON u.council = e.council"   \
	"  AND u.user_id = e.analysis_by"

/* By occurred, which the index (council, child_id, occurred) gives
 * without a sort: the days come in order, and chron_list puts a day's
 * entries in the order people read (cmp_entries).  A SQL ORDER BY of
 * that order cost SQLite a temporary b-tree on every child's page. */
#define LIST_WHERE                                                         \
	" WHERE e.council = ?1 AND e.child_id = ?2"                          \
	" AND (CAST(?3 AS TEXT) IS NULL OR e.kind = ?3)"                     \
	" AND (CAST(?4 AS TEXT) IS NULL OR substr(e.occurred, 1, 10) >= ?4)" \
	" AND (CAST(?5 AS TEXT) IS NULL OR substr(e.occurred, 1, 10) <= ?5)"
DB_STMT(st_list) = {
	"chron_list",
	"SELECT " ENTRY_COLS ENTRY_FROM LIST_WHERE " ORDER BY e.occurred",
	READ_ROLES,
};
DB_STMT(st_list_desc) = {
	"chron_list_desc",
	"SELECT " ENTRY_COLS ENTRY_FROM LIST_WHERE " ORDER BY e.occurred DESC",
	READ_ROLES,
};
DB_STMT(st_get) = {
	"chron_get",
	"SELECT " ENTRY_COLS ENTRY_FROM
	" WHERE e.council = ?1 AND e.child_id = ?2 AND e.entry_id = ?3",
	READ_ROLES | WRITE_ROLES,
};

static void put_occurred(struct cal_time t, bool timed, char out[17])
{
	if (timed)
		cal_time_format(t, out);
	else
		cal_date_format(t.date, out);
}

static int insert(struct db_conn *c, const struct actor *act, int64_t id,
		  int64_t child_id, const char *occurred, const char *kind,
		  const char *summary, const char *link_kind, int64_t link_id,
		  const char *source, const char *significance)
{
	char created[21];
	act_stamp(act, created);
	return db_exec(c, &st_insert, NULL, act->council, id, child_id,
		       occurred, kind, summary, link_kind,
		       db_id(link_kind ? link_id : 0), source, significance,
		       created, act->user_id);
}

int chron_note(struct db_conn *c, const struct actor *act, int64_t child_id,
	       struct cal_time occurred, bool timed, const char *kind,
	       const char *summary, const char *link_kind, int64_t link_id)
{
	if (!db_in_tx(c))
		return ERR_NOTX;
	char at[17], line[CHRON_SUMMARY_MAX * 4 + 1];
	put_occurred(occurred, timed, at);
	/* one line, cut to the limit on a character boundary */
	size_t n = 0, k = 0;
	for (const char *p = summary ? summary : ""; *p && k + 4 < sizeof(line);
	     p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == CHRON_SUMMARY_MAX)
			break;
		line[k++] = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
	}
	line[k] = '\0';
	int64_t id;
	int rc = db_next_id(c, act->council, "chronology", &id);
	if (rc >= 0)
		rc = insert(c, act, id, child_id, at, kind, line, link_kind,
			    link_id, NULL, NULL);
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

/* Checks one-line text of at most max characters: "" when fine. */
static const char *line_problem(const char *s, size_t max, bool required)
{
	if (s == NULL || s[0] == '\0')
		return required ? "empty" : "";
	if (!str_is_line(s, strlen(s)))
		return "not a line";
	if (str_utf8_chars(s, strlen(s)) > max)
		return "too long";
	return "";
}

int chron_check(const struct actor *act, const char *child_dob,
		const struct chron_input *in, struct field_errors *e)
{
	struct cal_date d;
	const char *occ = in->occurred;
	if (occ == NULL || occ[0] == '\0')
		fe_set(e, "occurred", "Enter the date it happened");
	else if (!cal_date_parse(occ, strlen(occ), &d))
		fe_set(e, "occurred", "The date it happened must be a real date");
	else if (cal_compare(d, act->today) > 0)
		fe_set(e, "occurred", "The date it happened must be today or "
				      "in the past");
	else if (child_dob && child_dob[0] && strcmp(occ, child_dob) < 0)
		fe_set(e, "occurred", "The date it happened must be on or "
				      "after the child's date of birth");
	const char *p = line_problem(in->summary, CHRON_SUMMARY_MAX, true);
	if (strcmp(p, "empty") == 0)
		fe_set(e, "summary", "Enter what happened");
	else if (p[0])
		fe_addf(e, "summary", "What happened must be one line of %d "
				      "characters or fewer", CHRON_SUMMARY_MAX);
	p = line_problem(in->source, CHRON_SOURCE_MAX, false);
	if (p[0])
		fe_addf(e, "source", "Who told us must be one line of %d "
				     "characters or fewer", CHRON_SOURCE_MAX);
	if (chron_significance_label(in->significance) == NULL)
		fe_set(e, "significance", "Select how significant it is");
	return fe_any(e) ? ERR_INVALID : ERR_OK;
}

int chron_add(struct db_conn *c, const struct actor *act, int64_t child_id,
	      const char *child_dob, const struct chron_input *in,
	      int64_t *entry_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	const char *occ = in->occurred;
	if (chron_check(act, child_dob, in, e) != ERR_OK)
		return ERR_INVALID;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int64_t id = 0;
	int k = db_next_id(c, act->council, "chronology", &id);
	if (k >= 0)
		k = insert(c, act, id, child_id, occ, "event", in->summary,
			   NULL, 0, in->source && in->source[0] ? in->source
								 : NULL,
			   in->significance);
	rc = k < 0 ? err_from_db(k) : act_audit(c, act, "create", "chronology",
						 id, child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && entry_id)
		*entry_id = id;
	return rc;
}

int chron_analyse(struct db_conn *c, const struct actor *act,
		  int64_t child_id, int64_t entry_id, const char *analysis,
		  struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	if (analysis == NULL || analysis[0] == '\0')
		fe_set(e, "analysis", "Enter your analysis");
	else if (!str_is_text(analysis, strlen(analysis)))
		fe_set(e, "analysis", "The analysis must be text");
	else if (str_utf8_chars(analysis, strlen(analysis)) >
		 CHRON_ANALYSIS_MAX)
		fe_addf(e, "analysis", "The analysis must be %d characters or "
				       "fewer", CHRON_ANALYSIS_MAX);
	if (fe_any(e))
		return ERR_INVALID;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	char at[21];
	act_stamp(act, at);
	int k = db_exec(c, &st_analyse, NULL, act->council, child_id,
			entry_id, analysis, act->user_id, at);
	if (k < 0)
		rc = err_from_db(k);
	else if (db_changes(c) != 1)
		rc = ERR_NOTFOUND;
	else
		rc = act_audit(c, act, "update", "chronology", entry_id,
			       child_id);
	return tx_end(c, own, rc);
}

static const char *col(struct arena *a, struct db_q *q, int i)
{
	const char *s = db_col_text(q, i);
	const char *t = arena_strdup(a, s ? s : "");
	return t ? t : "";
}

static void entry_from_row(struct db_q *q, struct arena *a,
			   struct chron_entry *x)
{
	memset(x, 0, sizeof(*x));
	x->entry_id = db_col_i64(q, 0);
	snprintf(x->occurred, sizeof(x->occurred), "%s",
		 db_col_text(q, 1) ? db_col_text(q, 1) : "");
	x->kind = col(a, q, 2);
	x->summary = col(a, q, 3);
	x->link_kind = col(a, q, 4);
	x->link_id = db_col_null(q, 5) ? 0 : db_col_i64(q, 5);
	x->source = col(a, q, 6);
	x->significance = col(a, q, 7);
	x->analysis = col(a, q, 8);
	x->analysis_by = col(a, q, 9);
	snprintf(x->analysis_at, sizeof(x->analysis_at), "%s",
		 db_col_text(q, 10) ? db_col_text(q, 10) : "");
	x->by_hand = strcmp(x->kind, "event") == 0;
}

/* Oldest first: by day; on a day the entries with a time first, by
 * time (an entry dated only, such as a referral, follows the decision
 * that made it); then by id.  Newest first is the exact reverse. */
static int cmp_entries(const void *pa, const void *pb)
{
	const struct chron_entry *x = pa, *y = pb;
	int c = strncmp(x->occurred, y->occurred, 10);
	size_t lx = strlen(x->occurred), ly = strlen(y->occurred);
	if (c == 0 && lx != ly)
		c = lx > ly ? -1 : 1;
	if (c == 0)
		c = strcmp(x->occurred, y->occurred);
	return c ? c : (x->entry_id > y->entry_id) - (x->entry_id < y->entry_id);
}

static int cmp_entries_desc(const void *pa, const void *pb)
{
	return cmp_entries(pb, pa);
}

int chron_list(struct db_conn *c, const struct actor *act, int64_t child_id,
	       const struct chron_filter *f, struct arena *a,
	       struct chron_entry **rows, int *n, bool *more)
{
	int64_t limit = f->limit < 1 ? 1 : f->limit > 10000 ? 10000 : f->limit;
	struct chron_entry *v = NULL;
	struct db_q *q = NULL;
	int k = 0, cap = 0;
	int rc = db_exec(c, f->newest_first ? &st_list_desc : &st_list, &q,
			 act->council, child_id, f->kind, f->from, f->to);
	for (; rc == DB_ROW; rc = db_step(q)) {
		/* past the limit, the day of the entry just beyond it is read
		 * whole: its entries' order is ours, not the index's */
		const char *occ = db_col_text(q, 1);
		if (k > limit && strncmp(occ ? occ : "", v[limit].occurred, 10)) {
			db_done(q);
			rc = DB_DONE;
			break;
		}
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		if (v == NULL) {
			db_done(q);
			return ERR_NOMEM;
		}
		entry_from_row(q, a, &v[k++]);
	}
	if (rc < 0)
		return err_from_db(rc);
	if (k > 1)
		qsort(v, (size_t)k, sizeof(*v),
		      f->newest_first ? cmp_entries_desc : cmp_entries);
	*rows = v ? v : arena_zalloc(a, sizeof(*v));
	*n = k > limit ? (int)limit : k;
	if (more)
		*more = k > limit;
	return *rows ? ERR_OK : ERR_NOMEM;
}

int chron_get(struct db_conn *c, const struct actor *act, int64_t child_id,
	      int64_t entry_id, struct arena *a, struct chron_entry *out)
{
	struct db_q *q;
	int rc = db_exec(c, &st_get, &q, act->council, child_id, entry_id);
	if (rc < 0)
		return err_from_db(rc);
	if (rc != DB_ROW)
		return ERR_NOTFOUND;
	entry_from_row(q, a, out);
	db_done(q);
	return ERR_OK;
}

/* An entry to note, read from the records first (entries are written
 * after the read, never while its statement steps). */
struct pending {
	int64_t child_id, link_id;
	struct cal_time at;
	bool timed;
	const struct chron_source *src;
	char line[CHRON_SUMMARY_MAX * 4 + 1];
};

static int pending_read(struct db_conn *c, const struct actor *act,
			const struct chron_source *s, struct pending **v,
			size_t *n, size_t *cap)
{
	struct db_q *q;
	int rc = db_exec(c, s->st, &q, act->council);
	for (; rc == DB_ROW; rc = db_step(q)) {
		struct pending p = {db_col_i64(q, 0), db_col_i64(q, 1),
				    {{0, 0, 0}, 0, 0}, false, s, ""};
		const char *at = db_col_text(q, 2);
		size_t len = at ? strlen(at) : 0;
		p.timed = len > 10;
		if (!(p.timed ? cal_time_parse(at, len, &p.at)
			      : cal_date_parse(at ? at : "", len, &p.at.date)) ||
		    !s->line(q, p.line, sizeof(p.line)))
			continue;
		if (*n == *cap) {
			size_t c2 = *cap ? 2 * *cap : 1024;
			struct pending *w = realloc(*v, c2 * sizeof(*w));
			if (w == NULL) {
				db_done(q);
				return ERR_NOMEM;
			}
			*v = w;
			*cap = c2;
		}
		(*v)[(*n)++] = p;
	}
	return rc < 0 ? err_from_db(rc) : ERR_OK;
}

int chron_backfill(struct db_conn *c, const struct actor *act,
		   const struct chron_source *v, size_t n, int64_t *made)
{
	struct pending *p = NULL;
	size_t k = 0, cap = 0;
	int rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++)
		rc = pending_read(c, act, &v[i], &p, &k, &cap);
	for (size_t i = 0; rc == ERR_OK && i < k; i++)
		rc = chron_note(c, act, p[i].child_id, p[i].at, p[i].timed,
				p[i].src->kind, p[i].line, p[i].src->link,
				p[i].link_id);
	free(p);
	if (rc == ERR_OK && made)
		*made = (int64_t)k;
	return rc;
}
