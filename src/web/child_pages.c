/* child_pages.c: placeholder route table, filled in by its module. */
#include "web/routes.h"

const struct route child_page_routes[] = {
	{0, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
