/*
 * backfill: what the front door adds to records written before a feature
 * existed (its own header, so the demo generator, whose bulk writer has
 * its own structs named like the front door's, can include it).
 */
#ifndef CAIRN_BACKFILL_H
#define CAIRN_BACKFILL_H

#include <stdint.h>

struct db_conn;
struct actor;

/* Notes in the chronology (domain/chron.h) the front door's events
 * (contacts, decisions, referrals, allocations, the acknowledgements
 * and outcomes shared with referrers) of act->council that
 * have no entry yet, with the same lines the live writes note: for a
 * database from before the chronology, and for the demo's bulk records.
 * Caller's write transaction; DB_ROLE_SYSTEM.  *made may be NULL.
 * Returns 0 or a negative enum err.  (Defined in contact.c.) */
int frontdoor_chron_backfill(struct db_conn *c, const struct actor *act,
			     int64_t *made);

#endif
