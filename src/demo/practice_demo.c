/*
 * practice_demo.c: visits, case notes and the child's voice for the demo
 * council (practice/practice.h), so the child's page says when a child
 * was last seen and seen alone, and the case-note and voice pages have
 * something to show.
 *
 * For a third of the children with an allocated referral (chosen by the
 * seed), the allocated worker records one to three visits after the
 * referral: most see the child, most of those alone, and half of those
 * keep what the child said; one or two case notes; now and then a
 * correction.  Everything goes through the module's own functions, as
 * the worker at the time of the visit (so each write is checked, audited
 * and in the chronology as a worker's would be).  All text is invented.
 * Skipped when the council already has a visit (running `cairn demo`
 * twice adds nothing).
 */
#include "demo/demo.h"
#include "auth/role.h"
#include "core/arena.h"
#include "domain/rows.h"
#include "practice/practice.h"
#include "domain/due.h"
#include "rules/calendar.h"

#include <stdio.h>
#include <string.h>

DB_STMT(st_demo_visits) = {
	"demo_practice_any",
	"SELECT count(*) FROM visit WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
/* each child's newest allocated referral */
DB_STMT(st_demo_allocated) = {
	"demo_practice_allocated",
	"SELECT child_id, worker_id, max(referral_date) FROM referral"
	" WHERE council = ?1 AND worker_id IS NOT NULL"
	" GROUP BY child_id, worker_id ORDER BY child_id",
	DB_ROLE_SYSTEM,
};

struct alloc {
	int64_t child_id, worker_id;
	const char *since;
};
static const struct row_col alloc_cols[] = {
	ROW_COL(ROW_I64, struct alloc, child_id),
	ROW_COL(ROW_I64, struct alloc, worker_id),
	ROW_COL(ROW_TEXT, struct alloc, since),
};
static const struct row_map alloc_map = ROW_MAP(struct alloc, alloc_cols, NULL);

/* A small deterministic generator (splitmix64): the demo's seed gives
 * the same visits every time. */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *x, unsigned n)
{
	return (unsigned)(next(x) % n);
}

static const char *const observations[] = {
	"Synthetic: the home was warm and there was food in the fridge. The "
	"child showed me their bedroom and their school books.",
	"Synthetic: the flat was cold and untidy; the child was in the same "
	"clothes as at the last visit. Mother said the heating had broken.",
	"Synthetic: the child was quiet at first and then chatty once we "
	"played a game. Father was present and engaged well.",
	"Synthetic: nobody came to the door at the agreed time. A neighbour "
	"said the family had gone to the grandparents for the weekend.",
};
static const char *const sayings[] = {
	"Synthetic: I like my new teacher and I have a best friend now.",
	"Synthetic: I don't like it when mum and her boyfriend shout.",
	"Synthetic: I want to see my nan more. She makes pancakes.",
	"Synthetic: I'm worried about my little brother.",
	"Synthetic: Nothing is wrong. Can I go back to my game now?",
};
static const char *const hows[] = {"words", "words", "drawing", "advocate",
				   "app"};
static const char *const places[] = {"home", "home", "home", "school",
				     "office", "community"};
static const char *const note_subjects[] = {
	"Synthetic: call from the school",
	"Synthetic: GP surgery returned my call",
	"Synthetic: discussion with the team manager",
	"Synthetic: text message from mother",
};
static const char *const note_bodies[] = {
	"Synthetic: the school said attendance has improved to 92% this half "
	"term. The child is eating breakfast at breakfast club.",
	"Synthetic: the GP confirmed the child's immunisations are up to date "
	"and the missed appointment has been rebooked.",
	"Synthetic: we agreed to keep visiting fortnightly and to ask the "
	"family's consent to speak to the health visitor.",
	"Synthetic: mother asked to move Thursday's visit to Friday after "
	"school; agreed.",
};

/* The civil time `days` after since at hh:mm, no later than today. */
static bool at_day(const char *since, int days, int hh, int mm,
		   struct cal_date today, struct cal_time *out)
{
	struct cal_date d;
	if (!cal_date_parse(since, strlen(since), &d))
		return false;
	d = cal_add_days(d, days);
	if (cal_compare(d, today) > 0)
		return false;
	*out = (struct cal_time){d, hh, mm};
	return true;
}

/* The worker acting at civil time t (its UTC instant from uktime). */
static struct actor worker_at(const char *council, int64_t worker,
			      struct cal_time t)
{
	struct actor a = actor_system(council, 0);
	a.user_id = worker;
	a.username = "demo";
	a.role = role_id(ROLE_SOCIAL_WORKER);
	a.request_id = "demo";
	/* a civil minute an hour after t is safely after it in UTC too, so
	 * the visit at t is never "in the future" for the actor */
	actor_at(&a, (cal_minutes(t) + 60) * 60);
	return a;
}

static int one_child(struct db_conn *c, const char *council,
		     const struct cal *cal, const struct alloc *k, struct cal_date today,
		     uint64_t *x)
{
	int visits = 1 + (int)below(x, 3);
	int day = 2 + (int)below(x, 6);
	char when[17];
	for (int i = 0; i < visits; i++, day += 7 + (int)below(x, 14)) {
		struct cal_time t;
		if (!at_day(k->since, day, 9 + (int)below(x, 8),
			    below(x, 4) * 15, today, &t))
			break;
		cal_time_format(t, when);
		bool seen = below(x, 100) < 85;
		bool alone = seen && below(x, 100) < 65;
		bool says = seen && below(x, 2) == 0;
		struct visit_input in = {
			.visited_at = when,
			.place = places[below(x, 6)],
			.child_seen = seen,
			.seen_alone = alone,
			.observations = observations[seen ? below(x, 3) : 3],
			.voice_how = says ? hows[below(x, 5)] : NULL,
			.voice_said = says ? sayings[below(x, 5)] : NULL,
		};
		struct actor a = worker_at(council, k->worker_id, t);
		int rc = practice_visit_record(c, &a, cal, k->child_id, &in, NULL,
					       NULL);
		if (rc != ERR_OK)
			return rc;
	}
	int notes = (int)below(x, 3);
	for (int i = 0; i < notes; i++) {
		struct cal_time t;
		if (!at_day(k->since, 1 + (int)below(x, 30), 10 + i, 0, today,
			    &t))
			break;
		cal_time_format(t, when);
		unsigned w = below(x, 4);
		struct note_input in = {when, note_subjects[w], note_bodies[w]};
		struct actor a = worker_at(council, k->worker_id, t);
		int64_t id;
		int rc = practice_note_add(c, &a, k->child_id, &in, &id, NULL);
		if (rc == ERR_OK && below(x, 10) == 0) {
			struct note_correction_input fix = {
				"Synthetic: corrected: the call was on the "
				"Wednesday, not the Tuesday.",
				"Synthetic: the wrong day was written"};
			rc = practice_note_correct(c, &a, id, &fix, NULL, NULL);
		}
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

int demo_practice(struct db *db, const char *council, const char *today,
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
	struct alloc *v = NULL;
	struct cal *cal = NULL;
	int n = 0;
	if (a == NULL || due_load_cal(c, council, &cal) != ERR_OK ||
	    db_begin(c, DB_TX_WRITE) != DB_OK) {
		snprintf(err, errlen, "cannot begin the visits");
		goto out;
	}
	if (db_exec(c, &st_demo_visits, &q, council) != DB_ROW) {
		snprintf(err, errlen, "cannot count the visits");
		goto out;
	}
	if (db_col_i64(q, 0) > 0) {
		ret = 0; /* made before */
		goto out;
	}
	db_done(q);
	if (rows_list(c, a, &st_demo_allocated, &alloc_map, NULL, &v, &n,
		      council) != ERR_OK) {
		snprintf(err, errlen, "cannot read the allocated referrals");
		goto out;
	}
	uint64_t x = seed ^ 0x7072616374696365ull; /* "practice" */
	int64_t last = 0;
	int made = 0;
	for (int i = 0; i < n; i++) {
		if (v[i].child_id == last || below(&x, 3) != 0)
			continue;
		last = v[i].child_id;
		int rc = one_child(c, council, cal, &v[i], t, &x);
		if (rc == ERR_OK)
			rc = err_from_db(demo_batch(c, ++made));
		if (rc != ERR_OK) {
			snprintf(err, errlen, "cannot record a visit: %s",
				 err_name(rc));
			goto out;
		}
	}
	if (db_commit(c) != DB_OK) {
		snprintf(err, errlen, "cannot commit the visits");
		goto out;
	}
	ret = 0;
out:
	db_rollback(c);
	db_release(db, c);
	arena_free(a);
	cal_free(cal);
	return ret;
}
