/*
 * frontdoor_pages: the front door and "My work" pages (GOV.UK Design
 * System, no JavaScript), on top of the referral module
 * (referral/contact.h, referral/referral.h).
 *
 * Routes (frontdoor_page_routes in web/routes.h): GET / (My work),
 * GET /front-door (the queue), GET /children/{id}/contacts/new and
 * POST /children/{id}/contacts (record a contact), GET /contacts/{id}
 * and POST /contacts/{id}/decision, GET /referrals/{id} and
 * POST /referrals/{id}/allocation.  Every page that shows a child's data
 * reads it and appends its audit row in one transaction, commits, and
 * only then is the page sent; a POST that fails validation re-renders
 * its form with an error summary, every typed value kept, status 422
 * (409 for a second decision on a contact), and changes nothing.
 *
 * The child's page shows the child's contacts and referrals through
 * this module's section (frontdoor_child_sections, web/sections.h),
 * read in the page's audited transaction.
 */
#ifndef CAIRN_FRONTDOOR_PAGES_H
#define CAIRN_FRONTDOOR_PAGES_H

#include <stdint.h>

struct req;


#endif
