/*
 * notify_pages: the header's link to a person's notifications, with how
 * many are unread (notify/notify.h).  The routes are in routes.h.
 */
#ifndef CAIRN_NOTIFY_PAGES_H
#define CAIRN_NOTIFY_PAGES_H

struct req;

/* Writes the service navigation's "Notifications (3)" item (an <li>)
 * for a signed-in user: one indexed count (notify_count) on the
 * request's connection, or on one borrowed for it when the request has
 * given its own back.  When the count cannot be read the link is shown
 * without it.  Nothing for a signed-out request. */
void notify_nav_item(struct req *r);

#endif
