/* sections.c: joins the modules' child-page sections once, in order. */
#include "web/sections.h"
#include "core/arena.h"
#include "web/app.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct child_section *const tables[] = {
	glance_child_sections,
	child_record_sections,
	frontdoor_child_sections,
	episode_child_sections,
	closure_child_sections,
	chron_child_sections,
	assess_child_sections,
	practice_child_sections,
	cp_child_sections,
	family_child_sections,
};

static const struct work_section *const work_tables[] = {
	search_work_sections,
	frontdoor_work_sections,
	due_work_sections,
	flag_work_sections,
	closure_work_sections,
};

static struct child_section *joined;
static struct work_section *work_joined;
static int njoined, nwork;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_order(const void *a, const void *b)
{
	const struct child_section *x = a, *y = b;
	return x->order - y->order;
}

static int work_by_order(const void *a, const void *b)
{
	const struct work_section *x = a, *y = b;
	return x->order - y->order;
}

/* Joins nt NULL-id-ended tables of `size`-byte rows (each starting with
 * its id) into one array, sorted by cmp; *n rows. */
static void *join_tables(const void *const *tv, size_t nt, size_t size,
			 int (*cmp)(const void *, const void *), int *n)
{
	size_t k = 0;
	for (size_t t = 0; t < nt; t++)
		for (const char *s = tv[t]; *(const char *const *)s;
		     s += size)
			k++;
	char *v = xcalloc(k + 1, size);
	char *p = v;
	for (size_t t = 0; t < nt; t++)
		for (const char *s = tv[t]; *(const char *const *)s;
		     s += size, p += size)
			memcpy(p, s, size);
	qsort(v, k, size, cmp);
	*n = (int)k;
	return v;
}

static void join(void)
{
	joined = join_tables((const void *const *)tables,
			     sizeof(tables) / sizeof(tables[0]),
			     sizeof(*joined), by_order, &njoined);
	work_joined = join_tables((const void *const *)work_tables,
				  sizeof(work_tables) / sizeof(work_tables[0]),
				  sizeof(*work_joined), work_by_order, &nwork);
}

const struct child_section *child_sections(int *n)
{
	pthread_once(&once, join);
	*n = njoined;
	return joined;
}

const struct work_section *work_sections(int *n)
{
	pthread_once(&once, join);
	*n = nwork;
	return work_joined;
}

const void *child_section_data(struct req *r, const char *id)
{
	if (r->section_data == NULL)
		return NULL;
	int n;
	const struct child_section *sec = child_sections(&n);
	for (int i = 0; i < n; i++)
		if (strcmp(sec[i].id, id) == 0)
			return r->section_on[i] ? r->section_data[i] : NULL;
	return NULL;
}

bool work_caseload(struct req *r)
{
	return r->user.role == ROLE_SOCIAL_WORKER ||
	       r->user.role == ROLE_TEAM_MANAGER;
}
