/*
 * source: what a contact's source (a CIN census referral source code)
 * says about the referrer, in its own header so that the demo generator,
 * whose bulk writer has its own structs named like the front door's,
 * can include it (as referral/backfill.h).  Defined in contact.c.
 */
#ifndef CAIRN_SOURCE_H
#define CAIRN_SOURCE_H

#include <stdbool.h>

/* True when a source is a professional one, whom the outcome is shared
 * with: every source but the individuals (1A family, 1B acquaintance,
 * 1C the child, 1D another individual), anonymous (9) and unknown (10).
 * False for NULL or an unknown code. */
bool contact_source_professional(const char *code);

#endif
