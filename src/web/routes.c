/* routes.c: joins the modules' route tables once, at first use. */
#include "web/routes.h"
#include "core/arena.h"

#include <pthread.h>
#include <string.h>

static const struct route *const tables[] = {
	core_routes,
	admin_routes,
	child_page_routes,
	frontdoor_page_routes,
	episode_page_routes,
	closure_page_routes,
	scrutiny_page_routes,
	draft_page_routes,
	due_page_routes,
	chron_page_routes,
	practice_page_routes,
	info_page_routes,
	notify_page_routes,
	child_api_routes,
	frontdoor_api_routes,
	episode_api_routes,
	scrutiny_api_routes,
	notify_api_routes,
	assess_page_routes,
	assess_api_routes,
	practice_api_routes,
	cp_page_routes,
	cp_api_routes,
	glance_api_routes,
	family_page_routes,
	family_api_routes,
};

/* Built once and read-only afterwards (process-wide by nature). */
static struct route *joined;
static pthread_once_t joined_once = PTHREAD_ONCE_INIT;

static void join(void)
{
	size_t n = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct route *r = tables[t]; r->pattern; r++)
			n++;
	joined = xcalloc(n + 1, sizeof(*joined));
	size_t k = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct route *r = tables[t]; r->pattern; r++)
			joined[k++] = *r;
}

const struct route *app_routes(void)
{
	pthread_once(&joined_once, join);
	return joined;
}
