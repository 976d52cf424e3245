/* frontdoor_api.c: placeholder route table, filled in by its module. */
#include "web/routes.h"

const struct route frontdoor_api_routes[] = {
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
