/* sections.c: joins the modules' child-page sections once, in order. */
#include "web/sections.h"
#include "core/arena.h"

#include <pthread.h>
#include <stdlib.h>

static const struct child_section *const tables[] = {
	child_record_sections,
	frontdoor_child_sections,
	chron_child_sections,
};

static struct child_section *joined;
static int njoined;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_order(const void *a, const void *b)
{
	const struct child_section *x = a, *y = b;
	return x->order - y->order;
}

static void join(void)
{
	int n = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct child_section *s = tables[t]; s->id; s++)
			n++;
	joined = xcalloc((size_t)n + 1, sizeof(*joined));
	int k = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct child_section *s = tables[t]; s->id; s++)
			joined[k++] = *s;
	qsort(joined, (size_t)n, sizeof(*joined), by_order);
	njoined = n;
}

const struct child_section *child_sections(int *n)
{
	pthread_once(&once, join);
	*n = njoined;
	return joined;
}
