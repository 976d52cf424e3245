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
 * The child's page (child_pages.c) shows the child's contacts and
 * referrals by calling frontdoor_child_section().
 */
#ifndef CAIRN_FRONTDOOR_PAGES_H
#define CAIRN_FRONTDOOR_PAGES_H

#include <stdint.h>

struct req;

/*
 * Writes the "Contacts and referrals" section of a child's page (an h2,
 * a "Record a contact" link when the user holds PERM_CONTACT_CREATE, and
 * two GOV.UK tables with captions: the child's contacts and referrals)
 * into the page being built.  Writes nothing when the user does not hold
 * PERM_CONTACT_READ.
 *
 * MUST be called inside the caller's open transaction on r->db (the
 * child page's audited read): it neither opens a transaction nor
 * appends an audit row, because the caller's ("read", "child") audit
 * row, committed in that same transaction before the page is sent,
 * covers everything shown here.  child_id must be a child of
 * r->user.council the caller has already found.  On a store error it
 * writes a one-line notice instead of the tables (the caller's
 * transaction is left for the caller to finish).
 */
void frontdoor_child_section(struct req *r, int64_t child_id);

#endif
