/*
 * routes: the modules' route tables.  app_routes() joins them, in this
 * order, into the one table the pipeline, the policy test and the
 * OpenAPI document read.  Each table ends with pattern == NULL.
 */
#ifndef CAIRN_ROUTES_H
#define CAIRN_ROUTES_H

#include "web/app.h"

extern const struct route core_routes[];          /* web/core_pages.c */
extern const struct route admin_routes[];         /* web/admin_pages.c */
extern const struct route child_page_routes[];    /* web/child_pages.c */
extern const struct route frontdoor_page_routes[];/* web/frontdoor_pages.c */
extern const struct route episode_page_routes[]; /* web/episode_pages.c */
extern const struct route closure_page_routes[]; /* web/closure_pages.c */
extern const struct route scrutiny_page_routes[]; /* web/scrutiny_pages.c */
extern const struct route draft_page_routes[];    /* web/drafts.c */
extern const struct route due_page_routes[];      /* web/due_pages.c */
extern const struct route chron_page_routes[];    /* web/chron_pages.c */
extern const struct route practice_page_routes[]; /* web/practice_pages.c */
extern const struct route family_page_routes[]; /* web/family_pages.c */
extern const struct route family_api_routes[]; /* api/family_api.c */
extern const struct route info_page_routes[];     /* web/info_pages.c */
extern const struct route notify_page_routes[];   /* web/notify_pages.c */
extern const struct route child_api_routes[];     /* api/child_api.c */
extern const struct route frontdoor_api_routes[]; /* api/frontdoor_api.c */
extern const struct route practice_api_routes[]; /* api/practice_api.c */
extern const struct route episode_api_routes[]; /* api/episode_api.c */
extern const struct route scrutiny_api_routes[];  /* api/scrutiny_api.c */
extern const struct route notify_api_routes[];    /* api/notify_api.c */
extern const struct route assess_page_routes[];   /* web/assess_pages.c */
extern const struct route assess_api_routes[];    /* api/assess_api.c */
extern const struct route cp_page_routes[];       /* web/cp_pages.c */
extern const struct route cp_api_routes[];        /* api/cp_api.c */
extern const struct route glance_api_routes[];    /* api/glance_api.c */

#endif
