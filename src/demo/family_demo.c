/*
 * family_demo.c: the demo council's families (family/family.h, D55).
 *
 * The generator (demo.c) writes each child's network on its own: a
 * mother of three children is three rows with the same name.  Here the
 * rows of one family (the children linked to each other's records) that
 * name the same person are made one family_person, each row pointing at
 * them with that child's relationship code, as if the adults had been
 * entered once and linked to each brother and sister.  Then, for about
 * one family in two with an open case, chosen by seed, the case's
 * worker records one or two parental factors against the mother (or
 * another adult) through the module's own function, so each is checked,
 * audited and noted in every child's chronology.
 *
 * Done in C over two reads and a few thousand small writes in one
 * transaction (no correlated SQL), so `cairn demo` takes about as long
 * as before.  Skipped when the council already has a family_person
 * made here (running `cairn demo` twice adds nothing).
 */
#include "demo/demo.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/rows.h"
#include "family/family.h"
#include "rules/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DB_STMT(st_fd_any) = {
	"demo_family_any",
	"SELECT count(*) FROM family_person WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
/* the network's family rows that are not yet a person's */
DB_STMT(st_fd_rows) = {
	"demo_family_rows",
	"SELECT member_id, child_id, kind, relationship, name, phone"
	" FROM network_member WHERE council = ?1 AND kind <> 'professional'"
	" AND linked_child_id IS NULL AND person_id IS NULL",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_fd_links) = {
	"demo_family_links",
	"SELECT child_id, linked_child_id FROM network_member"
	" WHERE council = ?1 AND linked_child_id IS NOT NULL",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_fd_person) = {
	"demo_family_person",
	"INSERT INTO family_person (council, person_id, name, phone,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_fd_point) = {
	"demo_family_point",
	"UPDATE network_member SET person_id = ?4, rel_code = ?5"
	" WHERE council = ?1 AND child_id = ?2 AND member_id = ?3",
	DB_ROLE_SYSTEM,
};
/* a child's open case with a worker, and an assessment with its date */
DB_STMT(st_fd_case) = {
	"demo_family_case",
	"SELECT worker_id FROM episode WHERE council = ?1 AND child_id = ?2"
	" AND closed_on IS NULL AND worker_id IS NOT NULL",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_fd_assess) = {
	"demo_family_assess",
	"SELECT assessment_id, started_on FROM assessment WHERE council = ?1"
	" AND child_id = ?2",
	DB_ROLE_SYSTEM,
};

struct fd_row {
	int64_t member_id, child_id, fam;
	const char *kind, *relationship, *name, *phone;
};
static const struct row_col fd_cols[] = {
	ROW_COL(ROW_I64, struct fd_row, member_id),
	ROW_COL(ROW_I64, struct fd_row, child_id),
	ROW_COL(ROW_TEXT, struct fd_row, kind),
	ROW_COL(ROW_TEXT, struct fd_row, relationship),
	ROW_COL(ROW_TEXT, struct fd_row, name),
	ROW_COL(ROW_TEXT, struct fd_row, phone),
};
static const struct row_map fd_map = ROW_MAP(struct fd_row, fd_cols, NULL);

struct fd_link {
	int64_t child_id, linked;
};
static const struct row_col fd_link_cols[] = {
	ROW_COL(ROW_I64, struct fd_link, child_id),
	ROW_COL(ROW_I64, struct fd_link, linked),
};
static const struct row_map fd_link_map =
	ROW_MAP(struct fd_link, fd_link_cols, NULL);

/* The generator's words as a relationship code. */
static const char *fd_code(const char *kind, const char *rel)
{
	static const char *const words[][2] = {
		{"Mother", "mother"}, {"Father", "father"},
		{"Mother's partner", "step_parent"},
		{"Maternal grandmother", "grandparent"},
		{"Half-brother", "half_sibling"}, {"Half-sister", "half_sibling"},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(rel, words[i][0]) == 0)
			return words[i][1];
	return strcmp(kind, "parent") == 0    ? "parent"
	       : strcmp(kind, "sibling") == 0 ? "sibling"
					      : "other";
}

static int fd_cmp(const void *pa, const void *pb)
{
	const struct fd_row *x = pa, *y = pb;
	if (x->fam != y->fam)
		return x->fam < y->fam ? -1 : 1;
	int k = strcmp(x->name, y->name);
	if (k)
		return k;
	/* the generator may give a grandmother her daughter's name */
	if ((k = strcmp(x->relationship, y->relationship)) != 0)
		return k;
	return (x->member_id > y->member_id) - (x->member_id < y->member_id);
}

/* splitmix64, as the other demo files: the seed gives the same factors */
static uint64_t fd_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Each child's family: the smallest child id among it and the records
 * it links to (the generator links every brother and sister). */
static int64_t fd_fam(const struct fd_link *l, int nl, int64_t child_id)
{
	/* l is sorted by child_id: a binary search for the first */
	int lo = 0, hi = nl;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (l[mid].child_id < child_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	int64_t f = child_id;
	for (int i = lo; i < nl && l[i].child_id == child_id; i++)
		if (l[i].linked < f)
			f = l[i].linked;
	return f;
}

static int fd_link_cmp(const void *pa, const void *pb)
{
	const struct fd_link *x = pa, *y = pb;
	return (x->child_id > y->child_id) - (x->child_id < y->child_id);
}

static const char *const fd_sources[] = {
	"Synthetic: the health visitor, by telephone",
	"Synthetic: the mother told the social worker at a home visit",
	"Synthetic: the GP's letter to the assessment",
};
static const char *const fd_factors[] = {"4B", "3B", "1B", "2B", "5B",
					 "6B"};

/* One or two factors against the family's first person (the sort puts
 * names in order; the mother is as likely as anyone), by the worker of
 * an open case of one of its children. */
static int fd_factors_for(struct db_conn *c, const char *council,
			  struct cal_date today, const struct fd_row *r,
			  int nr, int64_t person, uint64_t *x)
{
	struct db_q *q;
	int64_t worker = 0;
	for (int i = 0; i < nr && worker == 0; i++)
		if (db_exec(c, &st_fd_case, &q, council, r[i].child_id) ==
		    DB_ROW) {
			worker = db_col_i64(q, 0);
			db_done(q);
		}
	if (worker == 0)
		return ERR_OK;
	int64_t assessment = 0;
	char day[11];
	cal_date_format(today, day);
	if (db_exec(c, &st_fd_assess, &q, council, r[0].child_id) == DB_ROW) {
		assessment = db_col_i64(q, 0);
		const char *s = db_col_text(q, 1);
		if (s && strlen(s) == 10)
			memcpy(day, s, 11);
		db_done(q);
	}
	struct actor a = actor_system(council, 0);
	a.user_id = worker;
	a.username = "demo";
	a.role = role_id(ROLE_SOCIAL_WORKER);
	a.request_id = "demo";
	actor_at(&a, (cal_minutes((struct cal_time){today, 12, 0})) * 60);
	int n = 1 + (int)(fd_next(x) % 2);
	for (int k = 0; k < n; k++) {
		struct family_factor_input in = {
			.person_id = person,
			.assessment_id = k == 0 ? assessment : 0,
			.factor = fd_factors[fd_next(x) % 6],
			.noted_on = day,
			.source = k == 0 && assessment
					  ? NULL
					  : fd_sources[fd_next(x) % 3],
		};
		struct field_errors e = {0};
		int rc = family_factor_add(c, &a, r[0].child_id, &in, NULL, &e);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static int fd_run(struct db_conn *c, struct arena *a, const char *council,
		  struct cal_date today, uint64_t seed)
{
	struct fd_row *r;
	struct fd_link *l;
	int nr, nl;
	int rc = rows_list(c, a, &st_fd_rows, &fd_map, NULL, &r, &nr, council);
	if (rc == ERR_OK)
		rc = rows_list(c, a, &st_fd_links, &fd_link_map, NULL, &l, &nl,
			       council);
	if (rc != ERR_OK)
		return rc;
	qsort(l, (size_t)nl, sizeof(*l), fd_link_cmp);
	for (int i = 0; i < nr; i++)
		r[i].fam = fd_fam(l, nl, r[i].child_id);
	qsort(r, (size_t)nr, sizeof(*r), fd_cmp);
	char stamp[21];
	struct actor sys = actor_system(council, 0);
	actor_at(&sys, cal_minutes((struct cal_time){today, 9, 0}) * 60);
	act_stamp(&sys, stamp);
	uint64_t x = seed ^ 0x66616d696c79ull; /* "family" */
	for (int i = 0; i < nr && rc == ERR_OK;) {
		/* one group: the same name and words in one family (a
		 * mother's partner is "Mother's partner" to each child the
		 * generator made) */
		int j = i;
		while (j < nr && r[j].fam == r[i].fam &&
		       strcmp(r[j].name, r[i].name) == 0 &&
		       strcmp(r[j].relationship, r[i].relationship) == 0)
			j++;
		int64_t pid = 0;
		rc = err_from_db(db_next_id(c, council, "family_person", &pid));
		if (rc == ERR_OK)
			rc = rows_write(c, &st_fd_person, council, pid, r[i].name,
				r[i].phone[0] ? r[i].phone : NULL, stamp);
		for (int k = i; k < j && rc == ERR_OK; k++)
			rc = rows_write(c, &st_fd_point, council, r[k].child_id,
					r[k].member_id, pid, fd_code(r[k].kind,
						     r[k].relationship));
		/* a family's first group (sorted by name): one in two */
		bool first = i == 0 || r[i - 1].fam != r[i].fam;
		if (rc == ERR_OK && first && fd_next(&x) % 2 == 0) {
			if (j - i > 1) /* linked to 2 or more children */
				rc = fd_factors_for(c, council, today, &r[i],
						    j - i, pid, &x);
		}
		i = j;
	}
	if (rc == ERR_OK)
		rc = err_from_db(db_ids_sync(c, council));
	return rc;
}

int demo_families(struct db *db, const char *council, const char *today,
		uint64_t seed, char *err, size_t errlen)
{
	struct cal_date t;
	if (!cal_date_parse(today, strlen(today), &t)) {
		snprintf(err, errlen, "today is not a date");
		return DEMO_EINVAL;
	}
	struct arena *a = arena_new(64u << 20);
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	int ret = DEMO_EDB;
	struct db_q *q;
	if (a == NULL || db_begin(c, DB_TX_WRITE) != DB_OK) {
		snprintf(err, errlen, "cannot begin the families");
		goto out;
	}
	if (db_exec(c, &st_fd_any, &q, council) != DB_ROW) {
		snprintf(err, errlen, "cannot count the families");
		goto out;
	}
	if (db_col_i64(q, 0) > 0) {
		ret = 0; /* made before */
		goto out;
	}
	db_done(q);
	int rc = fd_run(c, a, council, t, seed);
	if (rc != ERR_OK) {
		snprintf(err, errlen, "cannot make the families: %s",
			 err_name(rc));
		goto out;
	}
	if (db_commit(c) != DB_OK) {
		snprintf(err, errlen, "cannot commit the families");
		goto out;
	}
	ret = 0;
out:
	db_rollback(c);
	db_release(db, c);
	arena_free(a);
	return ret;
}
